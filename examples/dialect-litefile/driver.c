/*
** driver.c — the `litefile` driver: SQLite (libsqlite3) in write-ahead-log
** mode, written against <zmc/dialect.h> alone. Everything it returns is
** malloc'ed, as the host frees it.
*/
#define _XOPEN_SOURCE 700
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zmc/plugin.h>

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

static zm_db_status fail(zm_db_error *err, zm_db_status st, const char *message, const char *statement)
{
    free(err->message);
    free(err->statement);
    free(err->code);
    err->message = dup(message);
    err->statement = dup(statement);
    err->code = NULL;
    return st;
}

static zm_db_status connect_(const zm_db_url *url, bool create, void **conn, zm_db_error *err)
{
    *conn = NULL;
    const char *path = url->path ? url->path : "";
    struct stat st;
    if (!create && strcmp(path, ":memory:") != 0 && stat(path, &st) != 0)
        return fail(err, ZM_DB_ECONNECT, "the LiteFile database file does not exist", NULL);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), NULL) != SQLITE_OK) {
        zm_db_status s = fail(err, ZM_DB_ECONNECT, db ? sqlite3_errmsg(db) : "out of memory", NULL);
        sqlite3_close(db);
        return s;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    *conn = db;
    return ZM_DB_OK;
}

static void close_(void *conn) { sqlite3_close(conn); }

static zm_db_status execute(void *conn, const char *script, zm_db_error *err)
{
    sqlite3 *db = conn;
    for (const char *p = script; *p;) {
        sqlite3_stmt *stmt = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, p, -1, &stmt, &tail) != SQLITE_OK) return fail(err, ZM_DB_ESQL, sqlite3_errmsg(db), p);
        if (!stmt) break;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {}
        if (rc != SQLITE_DONE) {
            char *text = strndup(p, (size_t)(tail - p));
            zm_db_status s = fail(err, ZM_DB_ESQL, sqlite3_errmsg(db), text);
            free(text);
            sqlite3_finalize(stmt);
            return s;
        }
        sqlite3_finalize(stmt);
        p = tail;
    }
    return ZM_DB_OK;
}

static zm_db_status query(void *conn, const char *sql, size_t nparams, const char *const *params, zm_db_rows *out,
                          zm_db_error *err)
{
    sqlite3 *db = conn;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) return fail(err, ZM_DB_ESQL, sqlite3_errmsg(db), sql);
    for (size_t i = 0; i < nparams; i++) sqlite3_bind_text(stmt, (int)i + 1, params[i], -1, SQLITE_TRANSIENT);
    size_t ncols = (size_t)sqlite3_column_count(stmt), cap = 0;
    out->ncols = ncols;
    out->names = calloc(ncols + 1, sizeof *out->names);
    for (size_t i = 0; i < ncols; i++) out->names[i] = dup(sqlite3_column_name(stmt, (int)i));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((out->nrows + 1) * ncols > cap) {
            cap = cap ? cap * 2 : 16 * (ncols + 1);
            out->cells = realloc(out->cells, cap * sizeof *out->cells);
        }
        for (size_t i = 0; i < ncols; i++)
            out->cells[out->nrows * ncols + i] =
                sqlite3_column_type(stmt, (int)i) == SQLITE_NULL ? NULL : dup((const char *)sqlite3_column_text(stmt, (int)i));
        out->nrows++;
    }
    zm_db_status s = rc == SQLITE_DONE ? ZM_DB_OK : fail(err, ZM_DB_ESQL, sqlite3_errmsg(db), sql);
    sqlite3_finalize(stmt);
    return s;
}

/* The migration lock: the write lock, kept until unlock (exclusive mode). */
static zm_db_status lock(void *conn, int timeout_ms, zm_db_error *err)
{
    sqlite3 *db = conn;
    sqlite3_busy_timeout(db, timeout_ms);
    int rc = sqlite3_exec(db, "PRAGMA main.locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;", NULL, NULL, NULL);
    sqlite3_busy_timeout(db, 10000);
    if (rc == SQLITE_OK) return ZM_DB_OK;
    return fail(err, (rc & 0xff) == SQLITE_BUSY ? ZM_DB_ELOCK : ZM_DB_ESQL,
                "Timed out trying to acquire the migration lock on the LiteFile database", NULL);
}

static zm_db_status unlock(void *conn, zm_db_error *err)
{
    (void)err;
    sqlite3_exec(conn, "PRAGMA main.locking_mode = NORMAL; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL);
    return ZM_DB_OK;
}

/* Every table, view and trigger dropped, in one transaction. */
static zm_db_status reset(void *conn, const char *schema, zm_db_error *err)
{
    (void)schema;
    zm_db_rows rows = {0};
    zm_db_status st = query(conn, "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN "
                                  "('table', 'view', 'trigger') ORDER BY type = 'table'", 0, NULL, &rows, err);
    if (st == ZM_DB_OK) st = execute(conn, "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE;", err);
    for (size_t i = 0; st == ZM_DB_OK && i < rows.nrows; i++) {
        const char *type = rows.cells[i * 2], *name = rows.cells[i * 2 + 1];
        char *sql = sqlite3_mprintf("DROP %s IF EXISTS \"%w\"", strcmp(type, "table") == 0 ? "TABLE"
                                                               : strcmp(type, "view") == 0 ? "VIEW" : "TRIGGER", name);
        st = execute(conn, sql, err);
        sqlite3_free(sql);
    }
    if (st == ZM_DB_OK) st = execute(conn, "COMMIT", err);
    else sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    for (size_t i = 0; i < rows.nrows * rows.ncols; i++) free(rows.cells[i]);
    for (size_t i = 0; i < rows.ncols; i++) free(rows.names[i]);
    free(rows.cells);
    free(rows.names);
    return st;
}

static const zmc_db_driver driver = {
    ZMC_DRIVER_HEADER,
    .connect = connect_,
    .close = close_,
    .execute = execute,
    .query = query,
    .lock = lock,
    .unlock = unlock,
    .reset = reset,
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DRIVER, "db_litefile", "1.0.0", "the LiteFile driver (libsqlite3, WAL mode)"),
    .driver = &driver,
};
