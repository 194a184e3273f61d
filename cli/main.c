/*
** main.c — the zmc command line: find the command, run it. Nothing else.
*/
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "heap.h"
#include "zmc/zmc.h"
#include "dialect.h"

static const zm_cmd commands[] = {
    {"init", zm_cmd_init, "start a project: zenstack/schema.zmodel, .env, .gitignore", zm_init_usage},
    {"check", zm_cmd_check, "parse and validate a schema", zm_check_usage},
    {"format", zm_cmd_format, "rewrite a schema in canonical layout", zm_format_usage},
    {"build", zm_cmd_build, "check a schema and run its backends (Prisma schema, ...)", zm_build_usage},
    {"ir", zm_cmd_ir, "check a schema and print its model IR as JSON", zm_ir_usage},
    /* run by the migration engine module, which has their help */
    {"migrate", zm_cmd_migrate, "make and apply migrations (dev, reset, deploy, status, resolve, diff, lint, down, rebase)", NULL},
    {"db", zm_cmd_db, "push the schema to the database, pull the database into the schema, run a SQL script, seed", NULL},
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

/* When stdout and stderr are one pipe or file (`2>&1` into a pipe or a
   log), stdout goes line by line, so that an error comes after the progress
   it stops rather than before all of it. Otherwise (a terminal is line
   buffered already; /dev/null) stdout stays as it is. */
static void stdout_follow_stderr(void)
{
    struct stat out, err;
    if (fstat(1, &out) == 0 && fstat(2, &err) == 0 && out.st_dev == err.st_dev && out.st_ino == err.st_ino &&
        (S_ISFIFO(out.st_mode) || S_ISREG(out.st_mode) || S_ISSOCK(out.st_mode)))
        setvbuf(stdout, NULL, _IOLBF, 0);
}

/* A reader that goes away (`zmc migrate deploy | head -1`, a closed
   terminal) must not kill zmc halfway through a deploy: SIGPIPE is caught
   and does nothing, so a write to the closed pipe fails (EPIPE) and the
   command finishes its work. A handler rather than SIG_IGN, so that the
   programs zmc runs (db seed, Prisma's CLI) start with the default. */
static void on_sigpipe(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    zm_heap_init();
    stdout_follow_stderr();
    struct sigaction pipe_action = {.sa_handler = on_sigpipe};
    sigemptyset(&pipe_action.sa_mask);
    sigaction(SIGPIPE, &pipe_action, NULL);
    if (argc < 2) {
        usage(stderr);
        return ZM_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (zm_arg_is_help(name) || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (int i = 0; i < NCOMMANDS; i++) {
                if (strcmp(commands[i].name, argv[2]) != 0) continue;
                if (!commands[i].usage) {
                    char help[] = "--help";
                    char *args[] = {argv[2], help, NULL};
                    return commands[i].run(2, args);
                }
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
        for (int j = 2; j < argc && commands[i].usage; j++) {
            if (strcmp(argv[j], "--") == 0) break;
            if (zm_arg_is_help(argv[j])) {
                fputs(commands[i].usage, stdout);
                return ZM_EXIT_OK;
            }
        }
        int status = commands[i].run(argc - 1, argv + 1);
        zm_dialect_unload_all();    /* the sql backend's, loaded through the host */
        return status;
    }
    fprintf(stderr, "zmc: error: unknown command '%s'\n\n", name);
    usage(stderr);
    return ZM_EXIT_USAGE;
}
