/*
** main.c — the zmc command line: find the command, run it. Nothing else.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "heap.h"
#include "zmc/zmc.h"

static const zm_cmd commands[] = {
    {"check", zm_cmd_check, "parse and validate a schema", zm_check_usage},
    {"format", zm_cmd_format, "rewrite a schema in canonical layout", zm_format_usage},
    {"build", zm_cmd_build, "check a schema and run its backends (Prisma schema, ...)", zm_build_usage},
    {"ir", zm_cmd_ir, "check a schema and print its model IR as JSON", zm_ir_usage},
    {"migrate", zm_cmd_migrate, "make and apply migrations (dev, reset, deploy, status, resolve, diff)", zm_migrate_usage},
    {"db", zm_cmd_db, "make the database match the schema (db push)", zm_db_usage},
};

enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static void usage(FILE *out)
{
    fputs("usage: zmc <command> [options]\n"
          "\n"
          "zmc compiles ZModel schemas (ZenStack's schema language) and keeps databases\n"
          "in step with them.\n"
          "\n"
          "commands:\n",
          out);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "options:\n"
          "  -h, --help     show this help, or a command's help: zmc <command> --help\n"
          "  -V, --version  print the version\n"
          "\n"
          "The schema is --schema PATH, else zenstack/schema.zmodel, else ./schema.zmodel.\n"
          "Exit status: 0 ok, 1 schema errors, 2 usage error, 3 file error.\n",
          out);
}

int main(int argc, char **argv)
{
    zm_heap_init();
    if (argc < 2) {
        usage(stderr);
        return ZM_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (zm_cli_is_help(name) || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (int i = 0; i < NCOMMANDS; i++)
                if (strcmp(commands[i].name, argv[2]) == 0) {
                    fputs(commands[i].usage, stdout);
                    return ZM_EXIT_OK;
                }
        }
        usage(stdout);
        return ZM_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 || strcmp(name, "version") == 0) {
        printf("zmc %s\n", ZMC_VERSION);
        return ZM_EXIT_OK;
    }
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, name) != 0) continue;
        /* migrate's subcommands have their own help */
        bool sub = strcmp(name, "migrate") == 0 && argc > 2 && !zm_cli_is_help(argv[2]);
        for (int j = 2; j < argc && !sub; j++) {
            if (strcmp(argv[j], "--") == 0) break;
            if (zm_cli_is_help(argv[j])) {
                fputs(commands[i].usage, stdout);
                return ZM_EXIT_OK;
            }
        }
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "zmc: error: unknown command '%s'\n\n", name);
    usage(stderr);
    return ZM_EXIT_USAGE;
}

bool zm_cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

bool zm_cli_option(int argc, char **argv, int *i, const char *name, const char **value, int *status)
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

int zm_cli_level(const char *value)
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

const char *zm_cli_find_schema(const char *explicit_path)
{
    if (explicit_path) return explicit_path;
    if (exists("zenstack/schema.zmodel")) return "zenstack/schema.zmodel";
    if (exists("schema.zmodel")) return "schema.zmodel";
    fputs("zmc: error: no schema found: looked for zenstack/schema.zmodel and ./schema.zmodel\n"
          "  = help: pass --schema PATH\n",
          stderr);
    return NULL;
}
