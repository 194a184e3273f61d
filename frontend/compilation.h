/*
** compilation.h — the private side of zm_compilation (zmc/zmc.h).
**
** A compilation owns one arena, the source table, the diagnostic sink and the
** parsed files: the entry schema first, then the files it imports in
** pre-order depth-first order, each file once however often it is imported.
*/
#ifndef ZM_COMPILATION_H
#define ZM_COMPILATION_H

#include "zmc/command.h"
#include "zmc/zmc.h"
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "source.h"

struct zm_compilation {
    zm_arena arena;
    zm_sources sources;
    zm_diag_sink diag;
    zm_options opts;
    zm_file *files;         /* entry file first, then imports (pre-order DFS) */
    zm_file **files_tail;
    const char **keys;      /* canonical path of each loaded file, by source id */
    size_t nkeys, capkeys;
    int checked;            /* zm_compilation_check(): 0 not run, 1 clean, -1 errors */
    struct zm_ir *ir;       /* the model IR, built on first request (ir_build.c) */
};

/* The entry file, or NULL if nothing was parsed. */
zm_file *zm_compilation_main(zm_compilation *c);

/* zm_read_file(), which reads the schema files, is zmc/command.h's. */

#endif
