/*
** driver.c — the SQLite driver (libsqlite3), the embedded default.
**
** Foreign keys are enforced (PRAGMA foreign_keys = ON, as Prisma's engine
** does) and a busy connection waits for others instead of failing at
** once. Scripts run statement by statement, so an error names the
** statement that failed.
*/
#include "driver.h"
#include "zmc/plugin.h"
#include "zmc/zmc.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>

#include "zmc/buf.h"

enum { BUSY_TIMEOUT_MS = 10000 };

/* mkdir -p of the folders above `path`. */
static int make_parents(const char *path)
{
    char *dir = strdup(path);
    if (!dir) return -1;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            free(dir);
            return -1;
        }
        *p = '/';
    }
    free(dir);
    return 0;
}

static zm_db_status fail_db(sqlite3 *db, zm_db_error *err, const char *statement)
{
    int rc = sqlite3_extended_errcode(db);
    return zm_db_fail(err, ZM_DB_ESQL, sqlite3_errmsg(db), statement, sqlite3_errstr(rc));
}

static zm_db_status sqlite_connect(const zm_db_url *url, bool create, void **conn, zm_db_error *err)
{
    *conn = NULL;
    const char *path = url->path ? url->path : "";
    bool memory = strcmp(path, ":memory:") == 0;
    if (!memory && !create) {
        struct stat st;
        if (stat(path, &st) != 0)
            return zm_db_failf(err, ZM_DB_ECONNECT, "Database file %s does not exist", path);
    }
    if (!memory && create && make_parents(path) != 0)
        return zm_db_failf(err, ZM_DB_ECONNECT, "cannot create the folder of %s: %s", path, strerror(errno));
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        zm_db_status st = zm_db_failf(err, ZM_DB_ECONNECT, "cannot open SQLite database %s: %s", path,
                                      db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return st;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
        zm_db_status st = zm_db_fail(err, ZM_DB_ECONNECT, sqlite3_errmsg(db), NULL, NULL);
        sqlite3_close(db);
        return st;
    }
    *conn = db;
    return ZM_DB_OK;
}

static void sqlite_close(void *conn) { sqlite3_close(conn); }

static zm_db_status sqlite_execute(void *conn, const char *script, zm_db_error *err)
{
    sqlite3 *db = conn;
    const char *p = script;
    while (*p) {
        sqlite3_stmt *stmt = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, p, -1, &stmt, &tail) != SQLITE_OK) {
            char *text = zm_db_statement_at(script, (size_t)(p - script) + strspn(p, " \t\r\n"));
            zm_db_status st = fail_db(db, err, text);
            free(text);
            return st;
        }
        if (!stmt) break;   /* only blanks and comments were left */
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {}
        if (rc != SQLITE_DONE) {
            char *text = strndup(p, (size_t)(tail - p));
            char *trimmed = text ? zm_db_statement_at(text, 0) : NULL;
            zm_db_status st = fail_db(db, err, trimmed);
            free(trimmed);
            free(text);
            sqlite3_finalize(stmt);
            return st;
        }
        sqlite3_finalize(stmt);
        p = tail;
    }
    return ZM_DB_OK;
}

static char *column_text(sqlite3_stmt *stmt, int i)
{
    if (sqlite3_column_type(stmt, i) == SQLITE_NULL) return NULL;
    const unsigned char *t = sqlite3_column_text(stmt, i);
    return strndup(t ? (const char *)t : "", (size_t)sqlite3_column_bytes(stmt, i));
}

static zm_db_status sqlite_query(void *conn, const char *sql, size_t nparams, const char *const *params,
                                 zm_db_rows *out, zm_db_error *err)
{
    sqlite3 *db = conn;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) return fail_db(db, err, sql);
    for (size_t i = 0; i < nparams; i++) {
        int rc = params[i] ? sqlite3_bind_text(stmt, (int)i + 1, params[i], -1, SQLITE_TRANSIENT)
                           : sqlite3_bind_null(stmt, (int)i + 1);
        if (rc != SQLITE_OK) {
            zm_db_status st = fail_db(db, err, sql);
            sqlite3_finalize(stmt);
            return st;
        }
    }
    size_t ncols = (size_t)sqlite3_column_count(stmt), cap = 0;
    out->ncols = ncols;
    out->names = calloc(ncols ? ncols : 1, sizeof *out->names);
    for (size_t i = 0; out->names && i < ncols; i++) out->names[i] = strdup(sqlite3_column_name(stmt, (int)i));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((out->nrows + 1) * ncols > cap) {
            cap = cap ? cap * 2 : 16 * (ncols ? ncols : 1);
            char **cells = realloc(out->cells, cap * sizeof *cells);
            if (!cells) {
                sqlite3_finalize(stmt);
                zm_db_rows_free(out);
                return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", sql, NULL);
            }
            out->cells = cells;
        }
        for (size_t i = 0; i < ncols; i++) out->cells[out->nrows * ncols + i] = column_text(stmt, (int)i);
        out->nrows++;
    }
    zm_db_status st = ZM_DB_OK;
    if (rc != SQLITE_DONE) {
        st = fail_db(db, err, sql);
        zm_db_rows_free(out);
    }
    sqlite3_finalize(stmt);
    return st;
}

/* Exclusive locking mode keeps the lock of the next write transaction until
   the connection closes; an empty exclusive transaction takes it now.
   Several processes racing for it can deadlock inside SQLite (one holds the
   reserved lock while another holds a shared one), which SQLite reports at
   once as busy instead of waiting: so each attempt lets go of everything
   and tries again after a short random pause, until the deadline. */
static zm_db_status sqlite_lock(void *conn, int timeout_ms, zm_db_error *err)
{
    sqlite3 *db = conn;
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned seed = (unsigned)getpid() ^ (unsigned)t0.tv_nsec;
    sqlite3_busy_timeout(db, timeout_ms < 200 ? timeout_ms : 200);
    int rc;
    for (;;) {
        rc = sqlite3_exec(db, "PRAGMA main.locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;", NULL, NULL, NULL);
        if (rc == SQLITE_OK || (rc & 0xff) != SQLITE_BUSY) break;
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        /* back in normal mode, a read lets go of the shared lock the attempt
           kept: holding it while waiting would block the winner */
        sqlite3_exec(db, "PRAGMA main.locking_mode = NORMAL; SELECT count(*) FROM sqlite_master;", NULL, NULL,
                     NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (elapsed >= timeout_ms) break;
        struct timespec pause = {0, (long)(5 + rand_r(&seed) % 45) * 1000000L};
        nanosleep(&pause, NULL);
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    if (rc == SQLITE_OK) return ZM_DB_OK;
    zm_db_status st = (rc & 0xff) == SQLITE_BUSY ? ZM_DB_ELOCK : ZM_DB_ESQL;
    if (st == ZM_DB_ELOCK)
        zm_db_failf(err, st, "Timed out trying to acquire the migration lock on the SQLite database (another "
                             "process holds it). Elapsed: %dms", timeout_ms);
    else
        zm_db_fail(err, st, sqlite3_errmsg(db), "BEGIN EXCLUSIVE", sqlite3_errstr(rc));
    sqlite3_exec(db, "PRAGMA main.locking_mode = NORMAL", NULL, NULL, NULL);
    return st;
}

/* Back to normal mode; the lock goes with the next access. */
static zm_db_status sqlite_unlock(void *conn, zm_db_error *err)
{
    sqlite3 *db = conn;
    if (sqlite3_exec(db, "PRAGMA main.locking_mode = NORMAL; SELECT count(*) FROM sqlite_master;", NULL, NULL,
                     NULL) != SQLITE_OK)
        return fail_db(db, err, "PRAGMA main.locking_mode = NORMAL");
    return ZM_DB_OK;
}

/* Every table, view and trigger dropped, in one transaction. */
static zm_db_status sqlite_reset(void *conn, const char *schema, zm_db_error *err)
{
    (void)schema;
    zm_db_rows rows = {0};
    zm_db_status st = sqlite_query(conn,
                                   "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN "
                                   "('table', 'view', 'trigger') ORDER BY type = 'table'",
                                   0, NULL, &rows, err);
    if (st != ZM_DB_OK) return st;
    zm_buf script = ZM_BUF_INIT;
    zm_buf_puts(&script, "PRAGMA foreign_keys=OFF;\nBEGIN IMMEDIATE;\n");
    for (size_t i = 0; i < rows.nrows; i++) {
        const char *type = ZM_DB_CELL(&rows, i, 0), *name = ZM_DB_CELL(&rows, i, 1);
        zm_buf_printf(&script, "DROP %s IF EXISTS ",
                      strcmp(type, "view") == 0 ? "VIEW" : strcmp(type, "trigger") == 0 ? "TRIGGER" : "TABLE");
        zm_db_quote_into(&script, '"', name);
        zm_buf_puts(&script, ";\n");
    }
    zm_buf_puts(&script, "COMMIT;\n");
    zm_db_rows_free(&rows);
    st = sqlite_execute(conn, script.data, err);
    if (st != ZM_DB_OK) sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(conn, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    zm_buf_free(&script);
    return st;
}

static const zmc_db_driver driver = {
    ZMC_DRIVER_HEADER,
    .connect = sqlite_connect,
    .close = sqlite_close,
    .execute = sqlite_execute,
    .query = sqlite_query,
    .lock = sqlite_lock,
    .unlock = sqlite_unlock,
    .reset = sqlite_reset,
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DRIVER, "db_sqlite", ZMC_VERSION, "the SQLite driver (libsqlite3)"),
    .driver = &driver,
};
