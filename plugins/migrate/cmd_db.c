/*
** cmd_db.c — `zmc db push`: make the datasource's database match the
** schema, without migration records (for prototyping, as `prisma db push`).
**
** The database is read back, diffed against the schema's model, and the
** steps run all-or-nothing. Before that, each warning of the diff is
** weighed against the data: a step that would lose rows or values, or that
** cannot run on the rows there are, is refused, with the counts, unless
** --accept-data-loss (or --force-reset, which empties the database first).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "dataloss.h"
#include "introspect.h"
#include "project.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/db.h"
#include "zmc/diff.h"
#include "zmc/ir.h"

const char zm_db_usage[] =
    "usage: zmc db push [--schema PATH] [--zenstack 2|3] [--accept-data-loss] [--force-reset]\n"
    "                   [--rename TABLE.OLD=NEW]...\n"
    "       zmc db execute (--file PATH | --stdin) [--url URL | --schema PATH]\n"
    "       zmc db seed [--schema PATH]\n"
    "       zmc db pull [--schema PATH] [--print] [--force]\n"
    "                   (zmc db execute --help, zmc db seed --help, zmc db pull --help)\n"
    "\n"
    "Make the database of the schema's datasource match the schema, without writing a\n"
    "migration. SQLite files (and their folders) and PostgreSQL databases are created\n"
    "when missing. Changes that would lose data are refused unless --accept-data-loss.\n"
    "\n"
    "options:\n"
    "  --schema PATH        the schema (default: zenstack/schema.zmodel, else ./schema.zmodel)\n"
    "  --zenstack N         language level: 3 (default) or 2\n"
    "  --accept-data-loss   apply changes that drop tables or columns holding data\n"
    "  --force-reset        drop everything in the database first, then push\n"
    "  --rename T.OLD=NEW   column OLD of table T is NEW now: rename it, keeping its data\n"
    "                       (database names; repeatable)\n"
    "  --backend prisma     run `prisma db push` on a Prisma schema zmc writes (also the\n"
    "                       schema's `plugin migrate { provider = \"migrate\" backend = \"prisma\" }`)\n"
    "\n"
    "Exit status: 0 in sync, 1 schema errors or changes refused or failed, 2 usage error,\n"
    "3 cannot reach the database.\n";

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int db_push(int argc, char **argv)
{
    const char *schema = NULL, *level_text = NULL;
    bool accept = false, reset = false;
    int status = ZM_EXIT_OK;
    zm_renames renames = {0};
    for (int i = 1; i < argc; i++) {
        const char *hint = NULL;
        if (zm_arg_option(argc, argv, &i, "--rename", &hint, &status)) {
            if (!status) status = zm_renames_add(&renames, "zmc db push", hint);
            if (status) {
                zm_renames_free(&renames);
                return status;
            }
            continue;
        }
        if (zm_arg_option(argc, argv, &i, "--schema", &schema, &status) ||
            zm_arg_option(argc, argv, &i, "--zenstack", &level_text, &status)) {
            if (status) return zm_renames_free(&renames), status;
        } else if (strcmp(argv[i], "--accept-data-loss") == 0) {
            accept = true;
        } else if (strcmp(argv[i], "--force-reset") == 0) {
            reset = true;
        } else {
            fprintf(stderr, "zmc db push: error: unexpected argument '%s'\n", argv[i]);
            return zm_renames_free(&renames), ZM_EXIT_USAGE;
        }
    }
    int level = level_text ? zm_arg_level(level_text) : 3;
    if (!level) return zm_renames_free(&renames), ZM_EXIT_USAGE;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    zm_project p;
    zm_project_options o = {.schema = schema, .level = level, .create = true, .writes = true};
    if ((status = zm_project_open(&p, "zmc db push", &o))) return zm_renames_free(&renames), status;
    zm_db *db = p.db;
    zm_db_error err = {0};
    zm_db_status st;
    zm_side live = {0};
    zm_rel_diff *d = NULL;
    zm_buf loss = ZM_BUF_INIT, blocked = ZM_BUF_INIT, script = ZM_BUF_INIT;
    if (reset) {
        if ((st = zm_project_reset(&p, &err)) != ZM_DB_OK) {
            zm_print_db_error("zmc db push", &err);
            status = ZM_EXIT_SCHEMA;
            goto done;
        }
        puts("The database was reset.");
    }
    if ((status = zm_side_from_db(&live, db, p.model.rel))) goto done;
    d = zm_rel_diff_new_with_renames(live.rel, p.model.rel, renames.items, renames.count);
    if (!d) {
        fputs("zmc db push: error: out of memory\n", stderr);
        status = ZM_EXIT_IO;
        goto done;
    }
    if ((status = zm_renames_check(&renames, "zmc db push", zm_rel_diff_renamed_count(d)))) goto done;
    if (zm_rel_diff_is_empty(d)) {
        printf("The database is already in sync with the schema.\n");
        goto done;
    }
    if (zm_weigh_data_loss(db, d, "zmc db push", &loss, &blocked) != 0) {
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if (blocked.len) {
        fprintf(stderr,
                "zmc db push: error: these changes cannot be executed on the data in the database:\n\n%s\n"
                "Make the column optional or give it a default, or drop the data with --force-reset.\n",
                blocked.data);
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if (loss.len && !accept) {
        fprintf(stderr,
                "zmc db push: error: applying the changes would lose data:\n\n%s\n"
                "Nothing was changed. To apply them anyway: zmc db push --accept-data-loss\n",
                loss.data);
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if (zm_rel_diff_render(d, false, zm_buf_write, &script) != 0) {
        fputs("zmc db push: error: out of memory\n", stderr);
        status = ZM_EXIT_IO;
        goto done;
    }
    if ((st = zm_db_apply_script(db, script.data, &err)) != ZM_DB_OK) {
        fputs("zmc db push: error: the changes failed and were rolled back; the database is as it was\n", stderr);
        zm_print_db_error("zmc db push", &err);
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if (loss.len) printf("Applied with data loss:\n%s", loss.data);
    printf("Your database is now in sync with your schema. Done in %.0fms\n", ms_since(&t0));
done:
    zm_buf_free(&loss);
    zm_buf_free(&blocked);
    zm_buf_free(&script);
    zm_rel_diff_free(d);
    zm_side_free(&live);
    zm_db_error_clear(&err);
    zm_project_close(&p);
    zm_renames_free(&renames);
    return status;
}

int zm_cmd_db(int argc, char **argv)
{
    bool execute = argc >= 2 && strcmp(argv[1], "execute") == 0, seed = argc >= 2 && strcmp(argv[1], "seed") == 0;
    bool pull = argc >= 2 && strcmp(argv[1], "pull") == 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (zm_arg_is_help(argv[i])) {
            fputs(execute ? zm_db_execute_usage : seed ? zm_db_seed_usage : pull ? zm_db_pull_usage : zm_db_usage,
                  stdout);
            return ZM_EXIT_OK;
        }
    if (seed) return zm_db_seed_cmd(argc - 1, argv + 1);
    if (pull) return zm_db_pull_cmd(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "push") == 0) return db_push(argc - 1, argv + 1);
    if (execute) return zm_db_execute_cmd(argc - 1, argv + 1);
    fprintf(stderr, "zmc db: error: %s\n\n%s", argc < 2 ? "missing command" : "unknown command", zm_db_usage);
    return ZM_EXIT_USAGE;
}
