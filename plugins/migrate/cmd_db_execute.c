/*
** cmd_db_execute.c — `zmc db execute`: run a SQL script against a database,
** as Prisma's `db execute` does: the script from a file or stdin, the
** database from --url or the schema's datasource.
**
** The script runs as a migration does: in one transaction where the
** dialect's DDL is transactional (a failure leaves the database as it was),
** statement by statement where it is not (MySQL) or where the script holds
** what cannot run in a transaction (CREATE INDEX CONCURRENTLY). Nothing is
** recorded in _prisma_migrations.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "migrate.h"
#include "project.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"

const char zm_db_execute_usage[] =
    "usage: zmc db execute (--file PATH | --stdin) [--url URL | --schema PATH] [--zenstack 2|3]\n"
    "\n"
    "Run a SQL script against the database of --url, or of the schema's datasource\n"
    "(default: zenstack/schema.zmodel, else ./schema.zmodel). The script runs in one\n"
    "transaction where the database allows (SQLite, PostgreSQL): a failing statement\n"
    "leaves the database as it was. On MySQL, and for statements that cannot run in a\n"
    "transaction, it runs statement by statement and stops at the first failure.\n"
    "Nothing is recorded in _prisma_migrations.\n"
    "\n"
    "Exit status: 0 executed, 1 the database refused a statement, 2 usage error,\n"
    "3 cannot read the script or reach the database.\n";

static int run_script(zm_db *db, const char *script)
{
    zm_db_error err = {0};
    zm_db_migration_plan plan;
    zm_db_plan_migration(db, script, &plan);
    zm_db_status st = zm_db_apply_migration(db, script, NULL, &plan, &err);
    int status = ZM_EXIT_OK;
    if (st == ZM_DB_OK) {
        printf("Script executed successfully.\n");
    } else {
        zm_print_db_error("zmc db execute", &err);
        if (!plan.stepwise)
            fprintf(stderr, "Nothing of the script was applied: it ran in one transaction, rolled back.\n");
        else if (plan.total)
            fprintf(stderr, "It stopped at statement %zu of %zu; the %zu before it stay applied (%s).\n",
                    plan.done + 1, plan.total, plan.done,
                    plan.why[0] ? plan.why : "the database commits DDL as it runs");
        status = zm_db_exit_status(st);
    }
    zm_db_error_clear(&err);
    return status;
}

int zm_db_execute_cmd(int argc, char **argv)
{
    const char *file = NULL, *url = NULL, *level = NULL;
    zm_project_options o = {.quiet = true, .writes = true};
    bool from_stdin = false;
    int status = 0;
    for (int i = 1; i < argc && !status; i++) {
        if (zm_arg_option(argc, argv, &i, "--file", &file, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--url", &url, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--schema", &o.schema, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--zenstack", &level, &status)) {
            if (!status && !(o.level = zm_arg_level(level))) status = ZM_EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--stdin") == 0) from_stdin = true;
        else {
            fprintf(stderr, "zmc db execute: error: unexpected argument '%s'\n\n%s", argv[i], zm_db_execute_usage);
            status = ZM_EXIT_USAGE;
        }
    }
    if (!status && !file == !from_stdin) {
        fprintf(stderr, "zmc db execute: error: give the script with exactly one of --file PATH and --stdin\n");
        status = ZM_EXIT_USAGE;
    }
    if (!status && url && o.schema) {
        fprintf(stderr, "zmc db execute: error: give --url or --schema, not both\n");
        status = ZM_EXIT_USAGE;
    }
    if (status) return status;

    size_t len;
    char *script = NULL;
    if (zm_read_file(from_stdin ? "/dev/stdin" : file, &script, &len) != 0) {
        fprintf(stderr, "zmc db execute: error: cannot read %s\n", from_stdin ? "stdin" : file);
        return ZM_EXIT_IO;
    }
    if (url) {
        zm_db_url u;
        char *error = NULL;
        zm_db_error err = {0};
        zm_db *db = NULL;
        if (zm_db_url_parse(url, ".", &u, &error) != 0) {
            fprintf(stderr, "zmc db execute: error: %s\n", error ? error : "bad URL");
            free(error);
            free(script);
            return ZM_EXIT_USAGE;
        }
        zm_db_status st = zm_db_connect(&u, false, &db, &err);
        if (st != ZM_DB_OK) {
            zm_print_db_error("zmc db execute", &err);
            status = zm_db_exit_status(st);
        } else {
            status = run_script(db, script);
        }
        zm_db_error_clear(&err);
        zm_db_close(db);
        zm_db_url_free(&u);
    } else {
        zm_project p;
        if (!(status = zm_project_open(&p, "zmc db execute", &o))) {
            status = run_script(p.db, script);
            zm_project_close(&p);
        }
    }
    free(script);
    return status;
}
