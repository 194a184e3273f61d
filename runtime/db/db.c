/*
** db.c — the database interface (db.h): forwards to the driver of the
** URL's dialect (zmc/dialect.h), loaded through the plugin loader the
** first time a database of that dialect is opened (dialect.c), so that a
** command that never connects loads no client library.
**
** What differs between databases here is read off the descriptor: the
** statements around a migration, whether DDL is transactional, how
** parameters and names are written.
*/
#define _GNU_SOURCE 1
#include "driver.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "zmc/buf.h"

struct zm_db {
    const zmc_dialect *dialect;
    const zmc_db_driver *driver;
    void *conn;
    char *schema;
};

static const zmc_db_driver *driver_of(const zmc_dialect *d, zm_db_error *err)
{
    char *why = NULL;
    const zmc_db_driver *drv = d ? zm_dialect_driver(d, &why) : NULL;
    if (!drv)
        zm_db_failf(err, ZM_DB_EMISUSE, "cannot load the %s driver: %s", d ? d->display_name : "database",
                    why ? why : "no dialect");
    free(why);
    return drv;
}

zm_db_status zm_db_connect(const zm_db_url *url, bool create, zm_db **out, zm_db_error *err)
{
    *out = NULL;
    const zmc_db_driver *d = driver_of(url->dialect, err);
    if (!d) return ZM_DB_EMISUSE;
    zm_db *db = calloc(1, sizeof *db);
    char *schema = strdup(url->schema ? url->schema : "main");
    if (!db || !schema) {
        free(db);
        free(schema);
        return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    }
    zm_db_status st = d->connect(url, create, &db->conn, err);
    if (st != ZM_DB_OK) {
        free(schema);
        free(db);
        return st;
    }
    db->dialect = url->dialect;
    db->driver = d;
    db->schema = schema;
    *out = db;
    return ZM_DB_OK;
}

void zm_db_close(zm_db *db)
{
    if (!db) return;
    db->driver->close(db->conn);
    free(db->schema);
    free(db);
}

const zmc_dialect *zm_db_dialect(const zm_db *db) { return db->dialect; }
const char *zm_db_schema(const zm_db *db) { return db->schema; }

zm_db_status zm_db_execute(zm_db *db, const char *script, zm_db_error *err)
{
    return db->driver->execute(db->conn, script, err);
}

zm_db_status zm_db_query(zm_db *db, const char *sql, size_t nparams, const char *const *params,
                         zm_db_rows *out, zm_db_error *err)
{
    memset(out, 0, sizeof *out);
    return db->driver->query(db->conn, sql, nparams, params, out, err);
}

zm_db_status zm_db_apply_script(zm_db *db, const char *script, zm_db_error *err)
{
    return zm_db_apply_script_then(db, script, NULL, err);
}

/* The dialect's check before COMMIT (SQLite's foreign_key_check): any row
   is a violation. */
static zm_db_status integrity_check(zm_db *db, zm_db_error *err)
{
    const char *check = db->dialect->apply_check;
    if (!check) return ZM_DB_OK;
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db, check, 0, NULL, &rows, err);
    if (st != ZM_DB_OK) return st;
    if (rows.nrows)
        st = zm_db_failf(err, ZM_DB_ESQL,
                         "FOREIGN KEY constraint failed: %zu row%s of table `%s` reference%s a missing row",
                         rows.nrows, rows.nrows == 1 ? "" : "s",
                         ZM_DB_CELL(&rows, 0, 0) ? ZM_DB_CELL(&rows, 0, 0) : "?", rows.nrows == 1 ? "s" : "");
    zm_db_rows_free(&rows);
    return st;
}

static void run_quietly(zm_db *db, const char *sql)
{
    if (!sql) return;
    zm_db_error ignore = {0};
    zm_db_execute(db, sql, &ignore);
    zm_db_error_clear(&ignore);
}

/* Transactional DDL: before; BEGIN; script; epilogue; check; COMMIT (or
   ROLLBACK, keeping the first error); after. */
static zm_db_status apply_in_transaction(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    const zmc_dialect *d = db->dialect;
    const char *begin = d->apply_begin ? d->apply_begin : "BEGIN";
    zm_db_status st = d->apply_before ? zm_db_execute(db, d->apply_before, err) : ZM_DB_OK;
    if (st == ZM_DB_OK && !d->apply_check) {
        /* nothing to check before COMMIT: BEGIN, the script, its epilogue
           and COMMIT in one message, one round trip (PostgreSQL reads it as
           one; the failing statement is still found in the text sent) */
        zm_buf text = ZM_BUF_INIT;
        zm_buf_printf(&text, "%s;\n%s\n;\n%s%sCOMMIT;", begin, script, epilogue ? epilogue : "", epilogue ? ";\n" : "");
        st = zm_db_execute(db, text.data, err);
        zm_buf_free(&text);
        if (st != ZM_DB_OK) run_quietly(db, "ROLLBACK");
        run_quietly(db, d->apply_after);
        return st;
    }
    if (st == ZM_DB_OK) st = zm_db_execute(db, begin, err);
    if (st != ZM_DB_OK) {
        run_quietly(db, d->apply_after);
        return st;
    }
    st = zm_db_execute(db, script, err);
    if (st == ZM_DB_OK && epilogue) st = zm_db_execute(db, epilogue, err);
    if (st == ZM_DB_OK) st = integrity_check(db, err);
    if (st == ZM_DB_OK) {
        st = zm_db_execute(db, "COMMIT", err);
        if (st != ZM_DB_OK) run_quietly(db, "ROLLBACK");
    } else {
        run_quietly(db, "ROLLBACK");    /* the rollback must not hide the failure */
    }
    run_quietly(db, d->apply_after);
    return st;
}

/* Each statement on its own (the script already fit), then the epilogue. */
static zm_db_status apply_each(zm_db *db, const char *script, const char *epilogue, size_t *done, size_t *total,
                               zm_db_error *err)
{
    char **statements = NULL;
    size_t n = zm_db_script_split(db->dialect, script, &statements);
    *total = n;
    if (!statements && n) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    zm_db_status st = ZM_DB_OK;
    for (size_t i = 0; i < n && st == ZM_DB_OK; i++) {
        st = zm_db_execute(db, statements[i], err);
        if (st == ZM_DB_OK) *done = i + 1;
        else if (!err->statement) err->statement = strdup(statements[i]);
    }
    zm_db_script_free(statements, n);
    if (st == ZM_DB_OK && epilogue) st = zm_db_execute(db, epilogue, err);
    return st;
}

zm_db_status zm_db_apply_statements(zm_db *db, const char *script, const char *epilogue, size_t *done,
                                    size_t *total, zm_db_error *err)
{
    *done = *total = 0;
    char *fit = NULL;
    zm_db_status st = zm_db_script_for_transaction(db->dialect, script, &fit, err);
    if (st == ZM_DB_OK) st = apply_each(db, fit ? fit : script, epilogue, done, total, err);
    free(fit);
    return st;
}

zm_db_status zm_db_apply_script_then(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    char *fit = NULL;
    zm_db_status st = zm_db_script_for_transaction(db->dialect, script, &fit, err);
    if (st != ZM_DB_OK) return st;
    if (db->dialect->features & ZMC_DIALECT_TRANSACTIONAL_DDL) {
        st = apply_in_transaction(db, fit ? fit : script, epilogue, err);
    } else {
        size_t done = 0, total;
        st = apply_each(db, fit ? fit : script, epilogue, &done, &total, err);
    }
    free(fit);
    return st;
}

zm_db_status zm_db_begin_migrations(zm_db *db, zm_db_error *err)
{
    const zmc_dialect *d = db->dialect;
    zm_db_status st = d->apply_before ? zm_db_execute(db, d->apply_before, err) : ZM_DB_OK;
    return st == ZM_DB_OK ? zm_db_execute(db, d->apply_begin ? d->apply_begin : "BEGIN", err) : st;
}

zm_db_status zm_db_end_migrations(zm_db *db, zm_db_error *err)
{
    zm_db_status st = zm_db_execute(db, "COMMIT", err);
    if (st != ZM_DB_OK) run_quietly(db, "ROLLBACK");
    run_quietly(db, db->dialect->apply_after);
    return st;
}

zm_db_status zm_db_apply_in_savepoint(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    char *fit = NULL;
    zm_db_status st = zm_db_script_for_transaction(db->dialect, script, &fit, err);
    if (st != ZM_DB_OK) return st;
    st = zm_db_execute(db, "SAVEPOINT zm_migration", err);
    if (st != ZM_DB_OK) {
        free(fit);
        return st;
    }
    st = zm_db_execute(db, fit ? fit : script, err);
    free(fit);
    if (st == ZM_DB_OK && epilogue) st = zm_db_execute(db, epilogue, err);
    if (st == ZM_DB_OK) st = integrity_check(db, err);
    if (st == ZM_DB_OK) return zm_db_execute(db, "RELEASE zm_migration", err);
    zm_db_error keep = *err;
    memset(err, 0, sizeof *err);
    run_quietly(db, "ROLLBACK TO zm_migration; RELEASE zm_migration");
    zm_db_error_clear(err);
    *err = keep;
    return st;
}

char *zm_db_quote_ident(const zmc_dialect *d, const char *name)
{
    zm_buf b = ZM_BUF_INIT;
    zm_db_quote_into(&b, d && d->ident_quote ? d->ident_quote : '"', name);
    return b.data;
}

const char *zm_db_param_at(const zmc_dialect *d, int n)
{
    static const char *const dollar[] = {"$1", "$2", "$3", "$4", "$5", "$6"};
    static const char *const question[] = {"?1", "?2", "?3", "?4", "?5", "?6"};
    if (n < 1 || n > 6) return "?";
    return d->param_prefix[0] == '?' ? question[n - 1] : dollar[n - 1];
}

/* ---- statements, as the database's parser reads them ----------------------------- */

/* The driver's analyse(), when it is new enough to have one. */
static const zmc_db_driver *analyser_of(const zmc_dialect *d)
{
    char *why = NULL;
    const zmc_db_driver *drv = d ? zm_dialect_driver(d, &why) : NULL;
    free(why);
    if (!drv || drv->size < offsetof(zmc_db_driver, analysis_free) + sizeof drv->analysis_free) return NULL;
    return drv->analyse && drv->analysis_free ? drv : NULL;
}

zm_db_status zm_db_script_analyse(const zmc_dialect *d, const char *script, zmc_sql_analysis **out,
                                  zm_db_error *err)
{
    *out = NULL;
    const zmc_db_driver *drv = analyser_of(d);
    if (!drv)
        return zm_db_failf(err, ZM_DB_EMISUSE, "zmc cannot parse %s statements (its driver has no parser)",
                           d ? d->display_name : "the database's");
    return drv->analyse(script, out, err);
}

void zm_db_analysis_free(const zmc_dialect *d, zmc_sql_analysis *a)
{
    const zmc_db_driver *drv = a ? analyser_of(d) : NULL;
    if (drv) drv->analysis_free(a);
}

bool zm_db_script_needs_autocommit(const zmc_dialect *d, const char *script, char **why)
{
    if (why) *why = NULL;
    if (!d || !(d->features & ZMC_DIALECT_TRANSACTIONAL_DDL) || !analyser_of(d)) return false;
    zmc_sql_analysis *a = NULL;
    zm_db_error err = {0};
    bool needs = false;
    if (zm_db_script_analyse(d, script, &a, &err) == ZM_DB_OK) {
        for (size_t i = 0; i < a->count && !needs; i++) {
            const zmc_sql_statement *s = zmc_sql_statement_at(a, i);
            needs = (s->flags & (ZMC_SQL_NO_TRANSACTION | ZMC_SQL_ENUM_VALUE_USED)) != 0;
            if (needs && why && asprintf(why, "line %u: %s %s", s->line, s->kind,
                                         s->flags & ZMC_SQL_NO_TRANSACTION
                                             ? "cannot run inside a transaction block"
                                             : "adds an enum value that a later statement uses, which it cannot "
                                               "before the value is committed") < 0)
                *why = NULL;
        }
    }
    zm_db_error_clear(&err);    /* a script the parser refuses: the database will say why when it runs */
    zm_db_analysis_free(d, a);
    return needs;
}

void zm_db_plan_migration(zm_db *db, const char *script, zm_db_migration_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    char *why = NULL;
    if (!(db->dialect->features & ZMC_DIALECT_TRANSACTIONAL_DDL)) {
        plan->stepwise = true;
    } else if (zm_db_script_needs_autocommit(db->dialect, script, &why)) {
        plan->stepwise = true;
        snprintf(plan->why, sizeof plan->why, "%s", why ? why : "it cannot run inside a transaction block");
    }
    free(why);
}

zm_db_status zm_db_apply_migration(zm_db *db, const char *script, const char *epilogue, zm_db_migration_plan *plan,
                                   zm_db_error *err)
{
    plan->done = plan->total = 0;
    return plan->stepwise ? zm_db_apply_statements(db, script, epilogue, &plan->done, &plan->total, err)
                          : zm_db_apply_script_then(db, script, epilogue, err);
}

bool zm_db_can_create_databases(const zmc_dialect *d)
{
    char *why = NULL;
    const zmc_db_driver *drv = d ? zm_dialect_driver(d, &why) : NULL;
    free(why);
    return drv && drv->create_database && drv->drop_database;
}

zm_db_status zm_db_create_database(const zm_db_url *url, zm_db_error *err)
{
    const zmc_db_driver *d = driver_of(url->dialect, err);
    if (!d) return ZM_DB_EMISUSE;
    if (!d->create_database || !url->database)
        return zm_db_failf(err, ZM_DB_EMISUSE, "a %s database is not created with CREATE DATABASE",
                           url->dialect->display_name);
    return d->create_database(url, err);
}

zm_db_status zm_db_drop_database(const zm_db_url *url, zm_db_error *err)
{
    const zmc_db_driver *d = driver_of(url->dialect, err);
    if (!d) return ZM_DB_EMISUSE;
    if (!d->drop_database || !url->database)
        return zm_db_failf(err, ZM_DB_EMISUSE, "a %s database is not dropped with DROP DATABASE",
                           url->dialect->display_name);
    return d->drop_database(url, err);
}

zm_db_status zm_db_reset(zm_db *db, zm_db_error *err) { return db->driver->reset(db->conn, db->schema, err); }
zm_db_status zm_db_reset_namespace(zm_db *db, const char *ns, zm_db_error *err)
{
    return db->driver->reset(db->conn, ns, err);
}

zm_db_status zm_db_begin(zm_db *db, zm_db_error *err) { return zm_db_execute(db, "BEGIN", err); }
zm_db_status zm_db_commit(zm_db *db, zm_db_error *err) { return zm_db_execute(db, "COMMIT", err); }
zm_db_status zm_db_rollback(zm_db *db, zm_db_error *err) { return zm_db_execute(db, "ROLLBACK", err); }

zm_db_status zm_db_lock(zm_db *db, int timeout_ms, zm_db_error *err)
{
    return db->driver->lock(db->conn, timeout_ms, err);
}

zm_db_status zm_db_unlock(zm_db *db, zm_db_error *err) { return db->driver->unlock(db->conn, err); }

char *zm_db_take_notes(zm_db *db)
{
    const zmc_db_driver *drv = db ? db->driver : NULL;
    if (!drv || drv->size < offsetof(zmc_db_driver, notes) + sizeof drv->notes || !drv->notes) return NULL;
    return drv->notes(db->conn);
}

/* The connection a signal may interrupt: its driver and handle, set only
   while no signal handler can read them half-written (armed before the
   handler is installed, disarmed after it is removed). */
static const zmc_db_driver *volatile armed_driver;
static void *volatile armed_handle;

bool zm_db_interrupt_arm(zm_db *db)
{
    zm_db_interrupt_disarm();
    if (!db || !db->driver->cancel_arm) return false;
    void *h = db->driver->cancel_arm(db->conn);
    if (!h) return false;
    armed_handle = h;
    armed_driver = db->driver;
    return true;
}

void zm_db_interrupt(void)
{
    const zmc_db_driver *d = armed_driver;
    void *h = armed_handle;
    if (d && h) d->cancel_fire(h);
}

void zm_db_interrupt_disarm(void)
{
    const zmc_db_driver *d = armed_driver;
    void *h = armed_handle;
    armed_driver = NULL;
    armed_handle = NULL;
    if (d && h) d->cancel_free(h);
}

const zm_db_api zm_db_api_table = {
    .size = sizeof(zm_db_api),
#define ZM_DB_API_ENTRY(f) .f = f,
    ZM_DB_API_FUNCTIONS(ZM_DB_API_ENTRY)
#undef ZM_DB_API_ENTRY
};
