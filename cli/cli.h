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

#include "zmc/command.h"

typedef struct zm_cmd {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
    const char *summary;
    const char *usage;                    /* full help text; NULL: the command
                                             prints its own on --help */
} zm_cmd;

int zm_cmd_init(int argc, char **argv);
int zm_cmd_check(int argc, char **argv);
int zm_cmd_format(int argc, char **argv);
int zm_cmd_ir(int argc, char **argv);
int zm_cmd_build(int argc, char **argv);
/* Run by the migration engine module (cmd_module.c). */
int zm_cmd_migrate(int argc, char **argv);
int zm_cmd_db(int argc, char **argv);

extern const char zm_init_usage[];
extern const char zm_check_usage[];
extern const char zm_format_usage[];
extern const char zm_ir_usage[];
extern const char zm_build_usage[];

#endif
