/*
** backend.h — compiling a schema and running a backend module on it: what
** `zmc build` does, and what zmc does for a command module that asks
** (host->compile, host->render).
*/
#ifndef ZM_CLI_BACKEND_H
#define ZM_CLI_BACKEND_H

#include <stdbool.h>

#include "host.h"
#include "zmc/zmc.h"

/* The schema at `path`, loaded and checked with language level `level` (0:
   the default), its diagnostics printed on stderr. NULL after errors, with
   *status 1 (the schema has errors) or 3 (it cannot be read). */
zm_compilation *zm_cli_compile(const char *path, int level, int *status);

/* Load backend `name` (a module name or path), initialise it and run
   request `req` on it: `write` writes the outputs (zmc build, each reported
   through `wrote`), else they stay in `req` for the caller. Messages start
   with `command` ("zmc build"). Returns 0, or 1 after reporting why. */
int zm_cli_run_backend(const char *command, const char *name, zm_request *req, bool write,
                       void (*wrote)(const char *path, void *ctx), void *ctx);

#endif
