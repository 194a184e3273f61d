/*
** args.h — what every zmc command line shares: the exit statuses, option
** parsing, and where the schema is when none is named. The zmc executable
** and the command modules (plugins/migrate) both use it, so a command
** behaves the same wherever it lives.
*/
#ifndef ZM_ARGS_H
#define ZM_ARGS_H

#include <stdbool.h>

/* 0 ok, 1 the schema has errors (or a check failed, or a change was
   refused), 2 bad usage, 3 a file or database could not be reached. */
enum { ZM_EXIT_OK = 0, ZM_EXIT_SCHEMA = 1, ZM_EXIT_USAGE = 2, ZM_EXIT_IO = 3 };

/* True if argv[i] is `name` (`--schema`) with a value in argv[i+1] or after
   `=`; stores the value and advances *i. Reports a missing value (*status
   becomes ZM_EXIT_USAGE). */
bool zm_arg_option(int argc, char **argv, int *i, const char *name, const char **value, int *status);

/* -h or --help. */
bool zm_arg_is_help(const char *arg);

/* The language level named by a --zenstack value ("2" or "3"), or 0 after
   reporting a bad value. */
int zm_arg_level(const char *value);

/* The schema to use: `explicit_path` if given, else zenstack/schema.zmodel,
   else ./schema.zmodel. Prints an error and returns NULL if there is none. */
const char *zm_arg_find_schema(const char *explicit_path);
/* The same, silent. */
const char *zm_arg_default_schema(const char *explicit_path);

#endif
