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

#include "buf.h"
#include "cli.h"
#include "datasource.h"
#include "introspect.h"
#include "side.h"
#include "zmc/diff.h"
#include "zmc/ir.h"

const char zm_db_usage[] =
    "usage: zmc db push [--schema PATH] [--zenstack 2|3] [--accept-data-loss] [--force-reset]\n"
    "                   [--rename TABLE.OLD=NEW]...\n"
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
    "\n"
    "Exit status: 0 in sync, 1 schema errors or changes refused or failed, 2 usage error,\n"
    "3 cannot reach the database.\n";

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* COUNT(*) of `table` (with a WHERE), or -1 after printing why. */
static long count_rows(zm_db *db, const char *namespace_, const char *table, const char *column, bool nulls)
{
    char *t = zm_db_quote_ident(table), *ns = namespace_ ? zm_db_quote_ident(namespace_) : NULL;
    char *c = column ? zm_db_quote_ident(column) : NULL;
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "SELECT COUNT(*) FROM %s%s%s", ns ? ns : "", ns ? "." : "", t ? t : "");
    if (c) zm_buf_printf(&sql, " WHERE %s IS %sNULL", c, nulls ? "" : "NOT ");
    zm_db_rows rows;
    zm_db_error err = {0};
    long n = -1;
    if (zm_db_query(db, sql.data, 0, NULL, &rows, &err) == ZM_DB_OK) {
        n = rows.nrows ? atol(ZM_DB_CELL(&rows, 0, 0) ? ZM_DB_CELL(&rows, 0, 0) : "0") : 0;
        zm_db_rows_free(&rows);
    } else {
        zm_print_db_error("zmc db push", &err);
    }
    zm_db_error_clear(&err);
    zm_buf_free(&sql);
    free(t);
    free(ns);
    free(c);
    return n;
}

/* Weigh the diff's warnings against the data. Each that matters is added to
   `loss` (would lose data) or `blocked` (cannot run). Returns -1 when a
   count failed. */
static int weigh(zm_db *db, const zm_rel_diff *d, zm_buf *loss, zm_buf *blocked)
{
    for (size_t i = 0; i < zm_rel_diff_warning_count(d); i++) {
        zm_rel_warning_kind k = zm_rel_diff_warning_kind(d, i);
        const char *t = zm_rel_diff_warning_table(d, i), *c = zm_rel_diff_warning_column(d, i);
        const char *ns = zm_rel_diff_warning_namespace(d, i);
        long n = 0;
        switch (k) {
        case ZM_REL_WARN_DROP_TABLE:
            if ((n = count_rows(db, ns, t, NULL, false)) > 0)
                zm_buf_printf(loss, "  - You are about to drop the `%s` table, which is not empty (%ld row%s).\n", t, n,
                              n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_DROP_COLUMN:
            if ((n = count_rows(db, ns, t, c, false)) > 0)
                zm_buf_printf(loss,
                              "  - You are about to drop the column `%s` on the `%s` table, which still contains %ld "
                              "non-null value%s.\n",
                              c, t, n, n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_CAST_COLUMN:
        case ZM_REL_WARN_RECREATE_COLUMN:
            if ((n = count_rows(db, ns, t, c, false)) > 0)
                zm_buf_printf(loss, "  - %s (%ld non-null value%s)\n", zm_rel_diff_warning_message(d, i), n,
                              n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_ADD_UNIQUE:
        case ZM_REL_WARN_CHANGE_PRIMARY_KEY:
            if ((n = count_rows(db, ns, t, NULL, false)) > 0)
                zm_buf_printf(loss, "  - %s\n", zm_rel_diff_warning_message(d, i));
            break;
        case ZM_REL_WARN_REMOVE_ENUM_VALUES:
            zm_buf_printf(loss, "  - %s\n", zm_rel_diff_warning_message(d, i));
            break;
        case ZM_REL_WARN_ADD_REQUIRED:
            if ((n = count_rows(db, ns, t, NULL, false)) > 0)
                zm_buf_printf(blocked,
                              "  - Added the required column `%s` to the `%s` table without a default value. There "
                              "%s %ld row%s in this table, it is not possible to execute this step.\n",
                              c, t, n == 1 ? "is" : "are", n, n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_MAKE_REQUIRED:
            if ((n = count_rows(db, ns, t, c, true)) > 0)
                zm_buf_printf(blocked, "  - Made the column `%s` on table `%s` required, but there %s %ld existing NULL value%s.\n",
                              c, t, n == 1 ? "is" : "are", n, n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_RECREATE_REQUIRED:
            if ((n = count_rows(db, ns, t, NULL, false)) > 0)
                zm_buf_printf(blocked, "  - %s\n", zm_rel_diff_warning_message(d, i));
            break;
        }
        if (n < 0) return -1;
    }
    return 0;
}

static void collect(void *ctx, const char *text, size_t len) { zm_buf_append(ctx, text, len); }

/* Connect, creating the SQLite file or the PostgreSQL database if needed. */
static zm_db_status connect_creating(const zm_db_url *url, zm_db **db, zm_db_error *err, bool *created)
{
    *created = false;
    zm_db_status st = zm_db_connect(url, true, db, err);
    if (st == ZM_DB_ECONNECT && err->code && strcmp(err->code, "3D000") == 0) {
        zm_db_error_clear(err);
        st = zm_db_create_database(url, err);
        if (st == ZM_DB_OK) {
            *created = true;
            st = zm_db_connect(url, false, db, err);
        }
    }
    return st;
}

static int db_push(int argc, char **argv)
{
    const char *schema = NULL, *level_text = NULL;
    bool accept = false, reset = false;
    int status = ZM_EXIT_OK;
    zm_renames renames = {0};
    for (int i = 1; i < argc; i++) {
        const char *hint = NULL;
        if (zm_cli_option(argc, argv, &i, "--rename", &hint, &status)) {
            if (!status) status = zm_renames_add(&renames, "zmc db push", hint);
            if (status) {
                zm_renames_free(&renames);
                return status;
            }
            continue;
        }
        if (zm_cli_option(argc, argv, &i, "--schema", &schema, &status) ||
            zm_cli_option(argc, argv, &i, "--zenstack", &level_text, &status)) {
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
    int level = level_text ? zm_cli_level(level_text) : 3;
    if (!level) return zm_renames_free(&renames), ZM_EXIT_USAGE;
    const char *path = zm_cli_find_schema(schema);
    if (!path) return zm_renames_free(&renames), ZM_EXIT_USAGE;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    zm_side model;
    if ((status = zm_side_from_schema(&model, path, level, 0))) return zm_renames_free(&renames), status;
    zm_db_url url;
    char *error = NULL;
    if (zm_datasource_url(zm_compilation_ir(model.compilation), path, "url", &url, &error) != 0) {
        fprintf(stderr, "zmc db push: error: %s: %s\n", path, error ? error : "");
        free(error);
        zm_side_free(&model);
        return zm_renames_free(&renames), ZM_EXIT_SCHEMA;
    }
    for (size_t i = 0; i < url.nignored; i++)
        fprintf(stderr, "zmc db push: note: the URL parameter `%s` does not apply to zmc and is ignored\n",
                url.ignored[i]);
    char *shown = zm_db_url_display(&url);
    printf("Datasource: %s\n", shown ? shown : "");
    free(shown);

    zm_db *db = NULL;
    zm_db_error err = {0};
    zm_side live = {0};
    zm_rel_diff *d = NULL;
    zm_buf loss = ZM_BUF_INIT, blocked = ZM_BUF_INIT, script = ZM_BUF_INIT;
    bool created = false;
    zm_db_status st = connect_creating(&url, &db, &err, &created);
    if (st != ZM_DB_OK) {
        zm_print_db_error("zmc db push", &err);
        status = zm_db_exit_status(st);
        goto done;
    }
    if (created) printf("Created the database `%s`.\n", url.database);
    if (zm_db_dialect(db) == ZM_REL_POSTGRESQL) {
        /* The URL's schema (?schema=) is where everything goes: make sure it exists. */
        char *ns = zm_db_quote_ident(zm_db_schema(db));
        zm_buf sql = ZM_BUF_INIT;
        zm_buf_printf(&sql, "CREATE SCHEMA IF NOT EXISTS %s", ns ? ns : "\"public\"");
        st = zm_db_execute(db, sql.data, &err);
        zm_buf_free(&sql);
        free(ns);
        if (st != ZM_DB_OK) {
            zm_print_db_error("zmc db push", &err);
            status = ZM_EXIT_SCHEMA;
            goto done;
        }
    }
    if (reset) {
        if ((st = zm_db_reset(db, &err)) != ZM_DB_OK) {
            zm_print_db_error("zmc db push", &err);
            status = ZM_EXIT_SCHEMA;
            goto done;
        }
        puts("The database was reset.");
    }
    if ((status = zm_side_from_db(&live, db))) goto done;
    d = zm_rel_diff_new_with_renames(live.rel, model.rel, renames.items, renames.count);
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
    if (weigh(db, d, &loss, &blocked) != 0) {
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
    if (zm_rel_diff_render(d, false, collect, &script) != 0) {
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
    zm_db_close(db);
    zm_db_error_clear(&err);
    zm_db_url_free(&url);
    zm_side_free(&model);
    zm_renames_free(&renames);
    return status;
}

int zm_cmd_db(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "push") == 0) return db_push(argc - 1, argv + 1);
    fprintf(stderr, "zmc db: error: %s\n\n%s", argc < 2 ? "missing command" : "unknown command", zm_db_usage);
    return ZM_EXIT_USAGE;
}
