/*
** sqlite_catalog.c — apply a DDL script to a fresh in-memory SQLite database
** and dump what it left as text: every sqlite_master row (type, name,
** tbl_name, the SQL with whitespace outside quotes collapsed) and per table
** PRAGMA table_info, index_list, index_info, index_xinfo and
** foreign_key_list, in a fixed order, so two equal catalogs give equal text.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

/* SQL text with each run of whitespace outside quotes made one space. */
static void put_normalized(text *t, const char *sql)
{
    bool space = false;
    for (const char *p = sql; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            space = true;
            continue;
        }
        if (space && t->len && t->data[t->len - 1] != '(') text_put(t, " ", 1);
        space = false;
        if (*p == '\'' || *p == '"' || *p == '`') {
            const char *q = p;
            for (p++; *p && !(*p == *q && p[1] != *q); p++)
                if (*p == *q) p++;
            if (!*p) p--;
            text_put(t, q, (size_t)(p - q) + 1);
        } else {
            text_put(t, p, 1);
        }
    }
}

/* The rows of `sql` (one text parameter `arg`, may be NULL), each as
   "label|col|col|...\n"; NULL values as \N. */
static int dump_rows(sqlite3 *db, text *out, const char *label, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        text_printf(out, "%s: %s\n", label, sqlite3_errmsg(db));
        return -1;
    }
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        text_puts(out, label);
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            text_put(out, "|", 1);
            const char *v = (const char *)sqlite3_column_text(st, i);
            if (!v) text_puts(out, "\\N");
            else if (strcmp(sqlite3_column_name(st, i), "sql") == 0) put_normalized(out, v);
            else text_puts(out, v);
        }
        text_put(out, "\n", 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int dump_catalog(sqlite3 *db, text *out)
{
    if (dump_rows(db, out, "master", "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
                  NULL) != 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        text_printf(out, "table %s\n", table);
        rc |= dump_rows(db, out, "  column", "SELECT * FROM pragma_table_info(?1) ORDER BY cid", table);
        rc |= dump_rows(db, out, "  fk", "SELECT * FROM pragma_foreign_key_list(?1) ORDER BY id, seq", table);
        rc |= dump_rows(db, out, "  index", "SELECT * FROM pragma_index_list(?1) ORDER BY name", table);
        sqlite3_stmt *ix;
        if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_index_list(?1) ORDER BY name", -1, &ix, NULL) !=
            SQLITE_OK) {
            rc = -1;
            break;
        }
        sqlite3_bind_text(ix, 1, table, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(ix) == SQLITE_ROW) {
            const char *index = (const char *)sqlite3_column_text(ix, 0);
            text_printf(out, "  index %s\n", index);
            rc |= dump_rows(db, out, "    info", "SELECT * FROM pragma_index_info(?1) ORDER BY seqno", index);
            rc |= dump_rows(db, out, "    xinfo", "SELECT * FROM pragma_index_xinfo(?1) ORDER BY seqno", index);
        }
        sqlite3_finalize(ix);
    }
    sqlite3_finalize(st);
    return rc;
}

typedef struct apply {
    sqlite3 *db;
    outcome *o;
    int n;
} apply;

static void apply_one(void *ctx, const char *stmt, size_t n)
{
    apply *a = ctx;
    a->n++;
    char *sql = strndup(stmt, n);
    if (!sql) abort();
    char *err = NULL;
    if (sqlite3_exec(a->db, sql, NULL, NULL, &err) != SQLITE_OK)
        text_printf(&a->o->errors, "stmt %d: %s\n", a->n, err ? err : "?");
    sqlite3_free(err);
    free(sql);
}

int sqlite_outcome(const char *ddl, outcome *o)
{
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    /* As Prisma's SQLite connection does. */
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    apply a = {db, o, 0};
    sql_statements(ddl, apply_one, &a);
    int rc = dump_catalog(db, &o->catalog);
    sqlite3_close(db);
    return rc;
}
