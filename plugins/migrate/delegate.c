/*
** delegate.c — which backend a database command runs on, and the Prisma
** backend: the command through the Prisma CLI (delegate.h).
**
** With the SQL backend (the default) the engine does the work itself. With
** the Prisma backend it does what ZenStack's own CLI does: the schema goes
** through zmc's `prisma` backend into a temporary Prisma schema beside the
** ZModel, and Prisma Migrate runs on it, so the records land in the same
** migrations folder either way and a project can switch at any time.
*/
#include "delegate.h"

#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "migrate.h"
#include "prisma_cli.h"
#include "zmc/buf.h"
#include "zmc/ir.h"

/* The commands Prisma Migrate has an equivalent of. */
static bool delegable(int argc, char **argv)
{
    if (argc < 2) return false;
    if (strcmp(argv[0], "db") == 0) return strcmp(argv[1], "push") == 0;
    static const char *const migrate[] = {"dev", "deploy", "reset", "status", "resolve"};
    for (size_t i = 0; i < sizeof migrate / sizeof migrate[0]; i++)
        if (strcmp(argv[1], migrate[i]) == 0) return true;
    return false;
}

/* The value of option `name` in argv (the last one), or NULL. */
static const char *option_value(int argc, char **argv, const char *name)
{
    const char *value = NULL;
    size_t n = strlen(name);
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strncmp(argv[i], name, n) != 0) continue;
        if (argv[i][n] == '=') value = argv[i] + n + 1;
        else if (argv[i][n] == '\0' && i + 1 < argc) value = argv[++i];
    }
    return value;
}

static bool is_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (zm_arg_is_help(argv[i])) return true;
    return false;
}

/* The `backend` of the schema's `plugin` block for the engine (provider
   "migrate"), or NULL. */
static const char *schema_backend(const zm_ir *ir)
{
    for (size_t i = 0; i < zm_ir_plugin_count(ir); i++) {
        const zm_ir_config *block = zm_ir_plugin_at(ir, i);
        const char *provider = zm_ir_config_string(block, "provider");
        if (provider && strcmp(provider, "migrate") == 0) return zm_ir_config_string(block, "backend");
    }
    return NULL;
}

static int check_name(const char *command, const char *name, const char *where, zm_backend *out)
{
    if (strcmp(name, "sql") == 0) *out = ZM_BACKEND_SQL;
    else if (strcmp(name, "prisma") == 0) *out = ZM_BACKEND_PRISMA;
    else {
        fprintf(stderr, "%s: error: unknown backend '%s'%s: expected sql (zmc's own engine) or prisma (the "
                        "Prisma CLI)\n",
                command, name, where);
        return ZM_EXIT_USAGE;
    }
    return ZM_EXIT_OK;
}

/* The command line's schema (--schema, else the default places; NULL when
   there is none, reported unless `quiet`), compiled at its --zenstack
   level. Returns 0, or an exit status. */
static int command_schema(int argc, char **argv, bool quiet, const char **path, const zm_ir **ir)
{
    const char *schema = option_value(argc, argv, "--schema");
    *ir = NULL;
    *path = quiet ? zm_arg_default_schema(schema) : zm_arg_find_schema(schema);
    if (!*path) return quiet ? ZM_EXIT_OK : ZM_EXIT_USAGE;
    const char *level_text = option_value(argc, argv, "--zenstack");
    int level = level_text ? zm_arg_level(level_text) : 0;
    if (level_text && !level) return ZM_EXIT_USAGE;
    int status;
    *ir = zm_engine_compile(*path, level, &status);
    return status;
}

int zm_backend_choose(const char *command, int argc, char **argv, zm_backend *out)
{
    *out = ZM_BACKEND_SQL;
    const char *flag = option_value(argc, argv, "--backend");
    if (flag) {
        int status = check_name(command, flag, "", out);
        if (status) return status;
        if (*out == ZM_BACKEND_PRISMA && !delegable(argc, argv)) {
            fprintf(stderr, "%s: error: --backend prisma applies to migrate dev, deploy, reset, status, resolve "
                            "and db push\n",
                    command);
            return ZM_EXIT_USAGE;
        }
        return ZM_EXIT_OK;
    }
    if (!delegable(argc, argv) || is_help(argc, argv)) return ZM_EXIT_OK;

    /* The schema decides. A missing schema is the command's to report. */
    const char *path;
    const zm_ir *ir;
    int status = command_schema(argc, argv, true, &path, &ir);
    if (!ir) return status;
    const char *name = schema_backend(ir);
    return name ? check_name(command, name, " in the schema's `plugin` block (provider \"migrate\")", out)
                : ZM_EXIT_OK;
}

int zm_backend_strip(int argc, char **argv)
{
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--backend=", 10) == 0) continue;
        argv[n++] = argv[i];
    }
    argv[n] = NULL;
    return n;
}

/* Prisma names a new folder by the clock alone. zmc dates one a second
   after the newest when that is not in the past (two migrations in one
   second), so right after such a folder Prisma's would sort before it and
   apply too early. Wait for the clock to pass it: a second at most. */
static void wait_for_newest_folder(const char *command, const char *schema_path)
{
    char *copy = strdup(schema_path);
    if (!copy) return;
    zm_buf dir = ZM_BUF_INIT;
    zm_buf_printf(&dir, "%s/migrations", dirname(copy));
    free(copy);
    zm_migrations m = {0};
    char *error = NULL;
    if (zm_migrations_read(dir.data, &m, &error) == 0) {
        time_t latest = zm_migrations_latest_time(&m);
        time_t now = time(NULL);
        if (latest >= now && latest - now <= 2) {
            struct timespec pause = {0, 50 * 1000 * 1000};
            while (time(NULL) <= latest) nanosleep(&pause, NULL);
        } else if (latest > now) {
            fprintf(stderr, "%s: warning: the newest migration in %s is dated in the future; Prisma names the new "
                            "one by the clock, so it will sort (and apply) before it\n",
                    command, dir.data);
        }
    }
    free(error);
    zm_migrations_free(&m);
    zm_buf_free(&dir);
}

int zm_prisma_delegate(const char *command, int argc, char **argv)
{
    const char *path;
    const zm_ir *ir;
    int status = command_schema(argc, argv, false, &path, &ir);
    if (!ir) return status;
    if (strcmp(argv[0], "migrate") == 0 && strcmp(argv[1], "dev") == 0) wait_for_newest_folder(command, path);
    size_t len = 0;
    char *prisma = zm_engine_render(ir, path, "prisma", &len);
    if (!prisma) return ZM_EXIT_SCHEMA;
    zm_prisma_run_opts o = {
        .zmodel_path = path,
        .prisma_schema = prisma,
        .prisma_schema_len = len,
        .nwords = argc,
        .words = argv,
        .command = command,
    };
    status = zm_prisma_run(&o);
    free(prisma);
    return status;
}
