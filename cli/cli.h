/*
** cli.h — the `zmc` command table and helpers shared by the commands.
**
** main() finds the command by name and calls it with the arguments that
** follow it; each command lives in its own cmd_<name>.c. Exit codes are the
** same everywhere: 0 ok, 1 the schema has errors (or a check failed), 2 bad
** usage, 3 a file could not be read or written.
*/
#ifndef ZM_CLI_H
#define ZM_CLI_H

#include <stdbool.h>

enum { ZM_EXIT_OK = 0, ZM_EXIT_SCHEMA = 1, ZM_EXIT_USAGE = 2, ZM_EXIT_IO = 3 };

typedef struct zm_cmd {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
    const char *summary;
    const char *usage;                    /* full help text */
} zm_cmd;

int zm_cmd_check(int argc, char **argv);
int zm_cmd_format(int argc, char **argv);
int zm_cmd_ir(int argc, char **argv);
int zm_cmd_build(int argc, char **argv);
int zm_cmd_migrate(int argc, char **argv);
int zm_cmd_db(int argc, char **argv);

extern const char zm_check_usage[];
extern const char zm_format_usage[];
extern const char zm_ir_usage[];
extern const char zm_build_usage[];
extern const char zm_migrate_usage[];
extern const char zm_db_usage[];

/* `zmc migrate` has subcommands, each with its own help (cmd_migrate.c
   dispatches; deploy, status and resolve are in cmd_migrate_apply.c). */
int zm_migrate_dev_cmd(int argc, char **argv);
int zm_migrate_reset_cmd(int argc, char **argv);
int zm_migrate_deploy_cmd(int argc, char **argv);
int zm_migrate_status_cmd(int argc, char **argv);
int zm_migrate_resolve_cmd(int argc, char **argv);
extern const char zm_migrate_dev_usage[];
extern const char zm_migrate_reset_usage[];
extern const char zm_migrate_deploy_usage[];
extern const char zm_migrate_status_usage[];
extern const char zm_migrate_resolve_usage[];

/* The schema to use: `explicit` if given, else zenstack/schema.zmodel, else
   ./schema.zmodel. Prints an error and returns NULL if there is none. */
const char *zm_cli_find_schema(const char *explicit_path);

/* True if argv[i] is `name` (`--schema`) with a value in argv[i+1] or after
   `=`; stores the value and advances *i. Reports a missing value. */
bool zm_cli_option(int argc, char **argv, int *i, const char *name, const char **value, int *status);

bool zm_cli_is_help(const char *arg);

/* The language level named by a --zenstack value ("2" or "3"), or 0 after
   reporting a bad value. */
int zm_cli_level(const char *value);

#endif
