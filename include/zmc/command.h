/*
** command.h — what every zmc command line shares: the exit statuses, option
** parsing, where the schema is when none is named, reading a file and
** writing one atomically. The zmc executable and the command modules (plugins/migrate)
** both use it, so a command behaves the same wherever it lives.
**
** A module compiled with ZMC_PLUGIN calls the same names; they go through
** the host's table (zmc_host.command, ZMC_PLUGIN_COMMAND_API).
*/
#ifndef ZMC_COMMAND_H
#define ZMC_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* Replace `path` with `len` bytes of `text` atomically: write a temporary
   file in the same folder, then rename it over the target, so a reader (or a
   crash) never sees half a file. An existing file keeps its permissions; a
   symlink stays a link (its target is written). Returns 0, or -1 with errno
   set. */
int zm_write_file_atomic(const char *path, const char *text, size_t len);

/* Read a whole file (a pipe or /dev/stdin too, up to 64 MiB) into a
   malloc'ed NUL-terminated buffer, *len its length. Returns 0 (ZM_OK),
   ZM_ENOTFOUND or ZM_EIO of zmc/zmc.h, errno kept. */
int zm_read_file(const char *path, char **out, size_t *len);

/* ---- for command modules ------------------------------------------------------ */

/* Every function above, in the table the host hands to modules. Append new
   functions at the end: the order is part of the ABI. */
#define ZM_COMMAND_API_FUNCTIONS(X) \
    X(zm_arg_option) \
    X(zm_arg_is_help) \
    X(zm_arg_level) \
    X(zm_arg_find_schema) \
    X(zm_arg_default_schema) \
    X(zm_write_file_atomic) \
    X(zm_read_file)

typedef struct zm_command_api {
    size_t size;            /* sizeof(zm_command_api) of the host */
#define ZM_COMMAND_API_FIELD(f) __typeof__(&f) f;
    ZM_COMMAND_API_FUNCTIONS(ZM_COMMAND_API_FIELD)
#undef ZM_COMMAND_API_FIELD
} zm_command_api;

/* The host's table. */
extern const zm_command_api zm_command_api_table;

/* In one source file of a module: the table pointer the names go through. */
#define ZMC_PLUGIN_COMMAND_API const zm_command_api *zmc_plugin_command

#if defined(ZMC_PLUGIN) && !defined(ZMC_COMMAND_IMPL)
extern const zm_command_api *zmc_plugin_command;
#define zm_arg_option (zmc_plugin_command->zm_arg_option)
#define zm_arg_is_help (zmc_plugin_command->zm_arg_is_help)
#define zm_arg_level (zmc_plugin_command->zm_arg_level)
#define zm_arg_find_schema (zmc_plugin_command->zm_arg_find_schema)
#define zm_arg_default_schema (zmc_plugin_command->zm_arg_default_schema)
#define zm_write_file_atomic (zmc_plugin_command->zm_write_file_atomic)
#define zm_read_file (zmc_plugin_command->zm_read_file)
#endif

#ifdef __cplusplus
}
#endif

#endif
