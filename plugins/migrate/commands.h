/*
** commands.h — the command lines the migration engine module runs.
**
** module.c receives `zmc migrate ...` and `zmc db ...` from zmc and calls
** the command; each lives in its own cmd_*.c with its help text. Exit
** statuses are zmc's (zmc/command.h): 0 ok, 1 refused, failed or not in sync,
** 2 bad usage, 3 cannot reach the database or read a file.
*/
#ifndef ZM_MIGRATE_COMMANDS_H
#define ZM_MIGRATE_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "zmc/command.h"
#include "zmc/dialect.h"
#include "zmc/ir.h"

/* argv[0] is the command name ("migrate", "db"). */
int zm_cmd_migrate(int argc, char **argv);
int zm_cmd_db(int argc, char **argv);

extern const char zm_migrate_usage[];
extern const char zm_db_usage[];

/* `zmc migrate` has subcommands, each with its own help (cmd_migrate.c
   dispatches; deploy, status and resolve are in cmd_migrate_apply.c, dev
   and reset in cmd_migrate_dev.c). */
int zm_migrate_dev_cmd(int argc, char **argv);
int zm_migrate_reset_cmd(int argc, char **argv);
int zm_migrate_deploy_cmd(int argc, char **argv);
int zm_migrate_lint_cmd(int argc, char **argv);
int zm_migrate_down_cmd(int argc, char **argv);
int zm_migrate_rebase_cmd(int argc, char **argv);
int zm_db_execute_cmd(int argc, char **argv);
int zm_db_seed_cmd(int argc, char **argv);
int zm_db_pull_cmd(int argc, char **argv);
extern const char zm_db_pull_usage[];
extern const char zm_db_seed_usage[];
extern const char zm_db_execute_usage[];
extern const char zm_migrate_rebase_usage[];
extern const char zm_migrate_down_usage[];
extern const char zm_migrate_lint_usage[];
int zm_migrate_status_cmd(int argc, char **argv);
int zm_migrate_resolve_cmd(int argc, char **argv);
extern const char zm_migrate_dev_usage[];
extern const char zm_migrate_reset_usage[];
extern const char zm_migrate_deploy_usage[];
extern const char zm_migrate_status_usage[];
extern const char zm_migrate_resolve_usage[];

/* The schema at `path`, compiled and checked by zmc (the host's compile;
   the module has no front end). Diagnostics are printed. Returns the IR,
   valid until the command returns, or NULL with *status the exit status. */
const zm_ir *zm_engine_compile(const char *path, int level, int *status);

/* What backend `backend` ("prisma") writes for `ir` (the schema at
   `schema_path`), in memory: malloc'ed, *len its length; NULL after the
   backend's errors were printed (the host's render). */
char *zm_engine_render(const zm_ir *ir, const char *schema_path, const char *backend, size_t *len);

/* The schema file at `path` (NULL: none) with the pulled models and enums
   merged in (the host's pull_merge; `keep`: the models left as written,
   one per line), formatted: malloc'ed, *out_len its length; NULL after the
   reason was printed. */
char *zm_engine_pull_merge(const char *path, const char *pulled, size_t len, bool force, const char *keep,
                           size_t *out_len);

/* The dialect of a provider name or alias (the host's, loaded once); NULL
   with *error set (malloc'ed) when no dialect module provides it. */
const zmc_dialect *zm_engine_dialect(const char *provider, char **error);

#endif
