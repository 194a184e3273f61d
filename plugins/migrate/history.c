/*
** history.c — the `_prisma_migrations` table (migrate.h): one row per
** attempt to apply a migration, in Prisma Migrate's form for each dialect,
** so that zmc and Prisma read each other's history.
**
** Timestamps: PostgreSQL's TIMESTAMPTZ from the database clock; SQLite's
** DATETIME columns hold integer milliseconds since the epoch, which is what
** Prisma's engine writes there (it binds its clock's value as an integer).
**
** A successful attempt is recorded inside the migration's own transaction
** (zm_history_finish_sql), so a crash leaves either the migration and its
** row, or neither; only a migration the database refused leaves a failed
** row (finished_at NULL, the error in `logs`), written after the rollback.
*/
#include <openssl/rand.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "introspect.h"
#include "migrate.h"
#include "zmc/buf.h"

/* "now" as the dialect stores it in the record's timestamps. */
static const char *now_sql(zm_db *db) { return zm_db_dialect(db)->now_sql; }

static const char *param(zm_db *db, int n) { return zm_db_param_at(zm_db_dialect(db), n); }

/* `_prisma_migrations`, quoted as the dialect quotes. */
static const char *table(zm_db *db)
{
    return zm_db_dialect(db)->ident_quote == '`' ? "`_prisma_migrations`" : "\"_prisma_migrations\"";
}

static zm_db_status run(zm_db *db, const char *sql, size_t n, const char *const *params, zm_db_error *err)
{
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db, sql, n, params, &rows, err);
    if (st == ZM_DB_OK) zm_db_rows_free(&rows);
    return st;
}

static zm_db_status table_exists(zm_db *db, bool *exists, zm_db_error *err)
{
    const char *schema = zm_db_schema(db);
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db, zm_db_dialect(db)->migrations_table_exists, 1, &schema, &rows, err);
    if (st != ZM_DB_OK) return st;
    *exists = rows.nrows > 0;
    zm_db_rows_free(&rows);
    return ZM_DB_OK;
}

static char *dup_cell(const char *s) { return s ? strdup(s) : NULL; }

/* SQLite's integer milliseconds as a date for messages; other text as is. */
static char *time_text(const char *s)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s)) return dup_cell(s);
    long long ms = atoll(s);
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    char text[64];
    if (!gmtime_r(&secs, &tm)) return dup_cell(s);
    size_t n = strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(text + n, sizeof text - n, ".%03lld UTC", ms % 1000);
    return strdup(text);
}

zm_db_status zm_history_read(zm_db *db, zm_history *out, zm_db_error *err)
{
    memset(out, 0, sizeof *out);
    zm_db_status st = table_exists(db, &out->exists, err);
    if (st != ZM_DB_OK || !out->exists) return st;
    zm_db_rows rows;
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_puts(&sql, "SELECT id, checksum, migration_name, logs, "
                      "CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, "
                      "CASE WHEN rolled_back_at IS NULL THEN 0 ELSE 1 END, ");
    zm_buf_printf(&sql, zm_db_dialect(db)->timestamp_text, "started_at");
    zm_buf_printf(&sql, " FROM %s ORDER BY started_at, migration_name", table(db));
    st = zm_db_query(db, sql.data, 0, NULL, &rows, err);
    zm_buf_free(&sql);
    if (st != ZM_DB_OK) return st;
    out->rows = rows.nrows ? calloc(rows.nrows, sizeof *out->rows) : NULL;
    if (rows.nrows && !out->rows) abort();
    for (size_t i = 0; i < rows.nrows; i++) {
        zm_history_row *r = &out->rows[i];
        r->id = dup_cell(ZM_DB_CELL(&rows, i, 0));
        r->checksum = dup_cell(ZM_DB_CELL(&rows, i, 1));
        r->name = dup_cell(ZM_DB_CELL(&rows, i, 2));
        r->logs = dup_cell(ZM_DB_CELL(&rows, i, 3));
        r->finished = ZM_DB_CELL(&rows, i, 4) && strcmp(ZM_DB_CELL(&rows, i, 4), "1") == 0;
        r->rolled_back = ZM_DB_CELL(&rows, i, 5) && strcmp(ZM_DB_CELL(&rows, i, 5), "1") == 0;
        r->started_at = time_text(ZM_DB_CELL(&rows, i, 6));
    }
    out->count = rows.nrows;
    zm_db_rows_free(&rows);
    return ZM_DB_OK;
}

void zm_history_free(zm_history *h)
{
    for (size_t i = 0; i < h->count; i++) {
        zm_history_row *r = &h->rows[i];
        free(r->id);
        free(r->checksum);
        free(r->name);
        free(r->logs);
        free(r->started_at);
    }
    free(h->rows);
    memset(h, 0, sizeof *h);
}

zm_db_status zm_history_create(zm_db *db, zm_db_error *err)
{
    return zm_db_execute(db, zm_db_dialect(db)->migrations_table, err);
}

/* Does namespace `schema` hold objects other than _prisma_migrations? */
static zm_db_status schema_is_empty(zm_db *db, const char *schema, bool *empty, zm_db_error *err)
{
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db, zm_db_dialect(db)->objects_count, 1, &schema, &rows, err);
    if (st != ZM_DB_OK) return st;
    *empty = rows.nrows == 0 || !ZM_DB_CELL(&rows, 0, 0) || atol(ZM_DB_CELL(&rows, 0, 0)) == 0;
    zm_db_rows_free(&rows);
    return ZM_DB_OK;
}

zm_db_status zm_history_database_is_empty(zm_db *db, const zm_rel_schema *model, bool *empty, zm_db_error *err)
{
    zm_db_status st = schema_is_empty(db, zm_db_schema(db), empty, err);
    size_t n;
    const char **ns = zm_db_namespaces_of(model, &n);
    for (size_t i = 0; ns && st == ZM_DB_OK && *empty && i < n; i++)
        if (strcmp(ns[i], zm_db_schema(db)) != 0) st = schema_is_empty(db, ns[i], empty, err);
    free(ns);
    return st;
}

/* A random (version 4) UUID, from OpenSSL's generator. */
static void new_uuid(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) abort();
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

/* INSERT of a row for `m`; `finished` makes it an applied row. */
static char *insert_sql(zm_db *db, bool finished)
{
    zm_buf b = ZM_BUF_INIT;
    zm_buf_printf(&b,
                  "INSERT INTO %s (id, checksum, migration_name, started_at, finished_at, "
                  "logs, applied_steps_count) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                  table(db), param(db, 1), param(db, 2), param(db, 3), now_sql(db), finished ? now_sql(db) : "NULL",
                  finished ? "NULL" : param(db, 4), finished ? "1" : "0");
    return b.data;
}

zm_db_status zm_history_record_failure(zm_db *db, const zm_migration *m, const char *logs, zm_db_error *err)
{
    char id[37];
    new_uuid(id);
    char *sql = insert_sql(db, false);
    const char *params[] = {id, m->checksum, m->name, logs ? logs : ""};
    zm_db_status st = run(db, sql, 4, params, err);
    free(sql);
    return st;
}

/* The INSERT of the applied row, with its values written in: it runs as
   the epilogue of the migration's script, which takes no parameters. The
   values are a UUID, a hex checksum and a folder name, quoted. */
/* `text` as a string literal of the dialect: in quotes, a quote doubled,
   and a backslash doubled where the dialect reads it as an escape (MySQL). */
static void append_literal(zm_buf *b, zm_db *db, const char *text)
{
    bool backslash = (zm_db_dialect(db)->features & ZMC_DIALECT_BACKSLASH_ESCAPES) != 0;
    zm_buf_putc(b, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'' || (*p == '\\' && backslash)) zm_buf_putc(b, *p);
        zm_buf_putc(b, *p);
    }
    zm_buf_putc(b, '\'');
}

char *zm_history_applied_sql(zm_db *db, const zm_migration *m)
{
    char id[37];
    new_uuid(id);
    zm_buf b = ZM_BUF_INIT, name = ZM_BUF_INIT;
    append_literal(&name, db, m->name);
    /* started_at: the dialect's expression (PostgreSQL's now() is the start
       of the transaction, that is of the script), which may hold the clock
       read here, before the script runs, in epoch milliseconds (%lld:
       SQLite stores that number, as Prisma's engine writes; MySQL converts
       it, since the record is written after the statements ran). */
    char started[96];
    const char *form = zm_db_dialect(db)->started_at_sql ? zm_db_dialect(db)->started_at_sql : "%lld";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    const char *at = strstr(form, "%lld");
    if (at) snprintf(started, sizeof started, "%.*s%lld%s", (int)(at - form), form, ms, at + 4);
    else snprintf(started, sizeof started, "%s", form);
    zm_buf_printf(&b,
                  "INSERT INTO %s (id, checksum, migration_name, started_at, finished_at, "
                  "logs, applied_steps_count) VALUES ('%s', '%s', %s, %s, %s, NULL, 1)",
                  table(db), id, m->checksum, name.data ? name.data : "", started, now_sql(db));
    zm_buf_free(&name);
    return b.data;
}

char *zm_history_removed_sql(zm_db *db, const char *name)
{
    zm_buf b = ZM_BUF_INIT;
    zm_buf_printf(&b, "DELETE FROM %s WHERE migration_name = ", table(db));
    append_literal(&b, db, name);
    return b.data;
}

zm_db_status zm_history_mark_applied(zm_db *db, const zm_migration *m, zm_db_error *err)
{
    zm_buf up = ZM_BUF_INIT;
    zm_buf_printf(&up,
                  "UPDATE %s SET rolled_back_at = %s WHERE migration_name = %s "
                  "AND finished_at IS NULL AND rolled_back_at IS NULL",
                  table(db), now_sql(db), param(db, 1));
    const char *name = m->name;
    zm_db_status st = run(db, up.data, 1, &name, err);
    zm_buf_free(&up);
    if (st != ZM_DB_OK) return st;
    char *sql = zm_history_applied_sql(db, m);
    st = zm_db_execute(db, sql, err);
    free(sql);
    return st;
}

zm_db_status zm_history_mark_rolled_back(zm_db *db, const char *id, zm_db_error *err)
{
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "UPDATE %s SET rolled_back_at = %s WHERE id = %s", table(db), now_sql(db), param(db, 1));
    zm_db_status st = run(db, sql.data, 1, &id, err);
    zm_buf_free(&sql);
    return st;
}

bool zm_history_row_failed(const zm_history_row *r) { return !r->finished && !r->rolled_back; }

const zm_history_row *zm_history_find(const zm_history *h, const char *name)
{
    const zm_history_row *found = NULL;
    for (size_t i = 0; i < h->count; i++)
        if (!h->rows[i].rolled_back && strcmp(h->rows[i].name, name) == 0) found = &h->rows[i];
    return found;
}
