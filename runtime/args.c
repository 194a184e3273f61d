/*
** args.c — option parsing and the default schema (zmc/command.h).
*/
#include "zmc/command.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool zm_arg_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

bool zm_arg_option(int argc, char **argv, int *i, const char *name, const char **value, int *status)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (a[n] != '\0') return false;
    if (*i + 1 >= argc) {
        fprintf(stderr, "zmc: error: option '%s' needs a value\n", name);
        *status = ZM_EXIT_USAGE;
        return true;
    }
    *value = argv[++*i];
    return true;
}

int zm_arg_level(const char *value)
{
    if (strcmp(value, "2") == 0) return 2;
    if (strcmp(value, "3") == 0) return 3;
    fprintf(stderr, "zmc: error: --zenstack takes 2 or 3, not '%s'\n", value);
    return 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *zm_arg_default_schema(const char *explicit_path)
{
    if (explicit_path) return explicit_path;
    if (exists("zenstack/schema.zmodel")) return "zenstack/schema.zmodel";
    if (exists("schema.zmodel")) return "schema.zmodel";
    return NULL;
}

const char *zm_arg_find_schema(const char *explicit_path)
{
    const char *path = zm_arg_default_schema(explicit_path);
    if (path) return path;
    fputs("zmc: error: no schema found: looked for zenstack/schema.zmodel and ./schema.zmodel\n"
          "  = help: pass --schema PATH\n",
          stderr);
    return NULL;
}

const zm_command_api zm_command_api_table = {
    .size = sizeof(zm_command_api),
#define ZM_COMMAND_API_ENTRY(f) .f = f,
    ZM_COMMAND_API_FUNCTIONS(ZM_COMMAND_API_ENTRY)
#undef ZM_COMMAND_API_ENTRY
};
