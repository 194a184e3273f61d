/*
** db.c — the database interface (db.h): picks the driver for a URL's
** dialect and forwards to it.
**
** SQLite's driver is built in. PostgreSQL's is the module db_postgresql.so,
** loaded (with libltdl, from the plugin folders) the first time a
** PostgreSQL database is opened: libpq brings two dozen libraries (TLS,
** Kerberos, LDAP) whose loading would otherwise slow every zmc command.
*/
#include "driver.h"

#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "module.h"

struct zm_db {
    const zm_db_driver *driver;
    void *conn;
    char *schema;
};

typedef struct find_module {
    char *path;
} find_module;

static void try_dir(const char *dir, void *ctx)
{
    find_module *f = ctx;
    if (f->path) return;
    size_t n = strlen(dir) + sizeof "/db_postgresql.so" + 1;
    char *path = malloc(n);
    if (!path) return;
    snprintf(path, n, "%s/db_postgresql.so", dir);
    FILE *probe = fopen(path, "rb");
    if (probe) {
        fclose(probe);
        f->path = path;
    } else {
        free(path);
    }
}

/* The PostgreSQL driver from its module; loaded once, kept for the
   process's lifetime. */
static const zm_db_driver *load_postgresql(zm_db_error *err)
{
    static const zm_db_driver *driver;
    if (driver) return driver;
    find_module f = {0};
    zm_module_search_path(try_dir, &f);
    if (!f.path) {
        zm_db_fail(err, ZM_DB_EMISUSE,
                   "the PostgreSQL driver (db_postgresql.so) is not installed: looked in the plugin folders "
                   "($ZMC_PLUGIN_PATH, the build tree, the install libdir)",
                   NULL, NULL);
        return NULL;
    }
    if (lt_dlinit() != 0) {
        free(f.path);
        zm_db_fail(err, ZM_DB_EMISUSE, "cannot initialise libltdl", NULL, NULL);
        return NULL;
    }
    lt_dlhandle h = lt_dlopen(f.path);
    const zm_db_driver *d = h ? lt_dlsym(h, "zm_db_postgresql_driver") : NULL;
    if (!d) {
        zm_db_failf(err, ZM_DB_EMISUSE, "cannot load the PostgreSQL driver %s: %s", f.path, lt_dlerror());
        if (h) lt_dlclose(h);
        lt_dlexit();
    }
    free(f.path);
    return driver = d;
}

static const zm_db_driver *driver_for(zm_rel_dialect d, zm_db_error *err)
{
    switch (d) {
    case ZM_REL_SQLITE: return &zm_db_sqlite_driver;
    case ZM_REL_POSTGRESQL: return load_postgresql(err);
    default:
        zm_db_failf(err, ZM_DB_EMISUSE, "zmc has no driver for %s databases yet",
                    d == ZM_REL_MYSQL ? "MySQL" : "these");
        return NULL;
    }
}

zm_db_status zm_db_connect(const zm_db_url *url, bool create, zm_db **out, zm_db_error *err)
{
    *out = NULL;
    const zm_db_driver *d = driver_for(url->dialect, err);
    if (!d) return ZM_DB_EMISUSE;
    zm_db *db = calloc(1, sizeof *db);
    char *schema = strdup(url->dialect == ZM_REL_POSTGRESQL && url->schema ? url->schema : "main");
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

zm_rel_dialect zm_db_dialect(const zm_db *db) { return db->driver->dialect; }
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

/* SQLite, foreign keys off: does any row reference a missing one? */
static zm_db_status foreign_key_check(zm_db *db, zm_db_error *err)
{
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db, "PRAGMA foreign_key_check", 0, NULL, &rows, err);
    if (st != ZM_DB_OK) return st;
    if (rows.nrows)
        st = zm_db_failf(err, ZM_DB_ESQL,
                         "FOREIGN KEY constraint failed: %zu row%s of table `%s` reference%s a missing row",
                         rows.nrows, rows.nrows == 1 ? "" : "s",
                         ZM_DB_CELL(&rows, 0, 0) ? ZM_DB_CELL(&rows, 0, 0) : "?", rows.nrows == 1 ? "s" : "");
    zm_db_rows_free(&rows);
    return st;
}

/* PostgreSQL: the script and the epilogue in one message inside BEGIN and
   COMMIT; a failure leaves an aborted transaction to roll back. */
static zm_db_status apply_pg(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    if (!epilogue) return zm_db_execute(db, script, err);
    zm_buf text = ZM_BUF_INIT;
    zm_buf_printf(&text, "BEGIN;\n%s\n;\n%s;\nCOMMIT;", script, epilogue);
    zm_db_status st = zm_db_execute(db, text.data, err);
    zm_buf_free(&text);
    if (st != ZM_DB_OK) {
        zm_db_error ignore = {0};
        zm_db_execute(db, "ROLLBACK", &ignore);
        zm_db_error_clear(&ignore);
        /* The position PostgreSQL reported is in our message: the statement
           text it found is still the script's (BEGIN adds a line before). */
    }
    return st;
}

static zm_db_status apply_script_then(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    if (db->driver->dialect != ZM_REL_SQLITE) return apply_pg(db, script, epilogue, err);
    zm_db_status st = zm_db_execute(db, "PRAGMA foreign_keys=OFF", err);
    if (st == ZM_DB_OK) st = zm_db_execute(db, "BEGIN", err);
    if (st != ZM_DB_OK) return st;
    st = zm_db_execute(db, script, err);
    if (st == ZM_DB_OK && epilogue) st = zm_db_execute(db, epilogue, err);
    if (st == ZM_DB_OK) st = foreign_key_check(db, err);
    if (st == ZM_DB_OK) {
        st = zm_db_execute(db, "COMMIT", err);
    } else {
        zm_db_error keep = *err;    /* the rollback must not hide the failure */
        memset(err, 0, sizeof *err);
        zm_db_execute(db, "ROLLBACK", err);
        zm_db_error_clear(err);
        *err = keep;
    }
    zm_db_error ignore = {0};
    zm_db_execute(db, "PRAGMA foreign_keys=ON", &ignore);
    zm_db_error_clear(&ignore);
    return st;
}

zm_db_status zm_db_apply_script_then(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    char *fit = NULL;
    zm_db_status st = zm_db_script_for_transaction(db->driver->dialect, script, &fit, err);
    if (st == ZM_DB_OK) st = apply_script_then(db, fit ? fit : script, epilogue, err);
    free(fit);
    return st;
}

zm_db_status zm_db_begin_migrations(zm_db *db, zm_db_error *err)
{
    zm_db_status st = zm_db_execute(db, "PRAGMA foreign_keys=OFF", err);
    return st == ZM_DB_OK ? zm_db_execute(db, "BEGIN IMMEDIATE", err) : st;
}

zm_db_status zm_db_end_migrations(zm_db *db, zm_db_error *err)
{
    zm_db_status st = zm_db_execute(db, "COMMIT", err);
    zm_db_error ignore = {0};
    if (st != ZM_DB_OK) zm_db_execute(db, "ROLLBACK", &ignore);
    zm_db_error_clear(&ignore);
    zm_db_execute(db, "PRAGMA foreign_keys=ON", &ignore);
    zm_db_error_clear(&ignore);
    return st;
}

zm_db_status zm_db_apply_in_savepoint(zm_db *db, const char *script, const char *epilogue, zm_db_error *err)
{
    char *fit = NULL;
    zm_db_status st = zm_db_script_for_transaction(db->driver->dialect, script, &fit, err);
    if (st != ZM_DB_OK) return st;
    st = zm_db_execute(db, "SAVEPOINT zm_migration", err);
    if (st != ZM_DB_OK) {
        free(fit);
        return st;
    }
    st = zm_db_execute(db, fit ? fit : script, err);
    free(fit);
    if (st == ZM_DB_OK && epilogue) st = zm_db_execute(db, epilogue, err);
    if (st == ZM_DB_OK && db->driver->dialect == ZM_REL_SQLITE) st = foreign_key_check(db, err);
    if (st == ZM_DB_OK) return zm_db_execute(db, "RELEASE zm_migration", err);
    zm_db_error keep = *err, ignore = {0};
    zm_db_execute(db, "ROLLBACK TO zm_migration; RELEASE zm_migration", &ignore);
    zm_db_error_clear(&ignore);
    *err = keep;
    return st;
}

char *zm_db_quote_ident(const char *name)
{
    size_t n = 3;
    for (const char *p = name; *p; p++) n += *p == '"' ? 2 : 1;
    char *q = malloc(n), *o = q;
    if (!q) return NULL;
    *o++ = '"';
    for (const char *p = name; *p; p++) {
        if (*p == '"') *o++ = '"';
        *o++ = *p;
    }
    *o++ = '"';
    *o = '\0';
    return q;
}

zm_db_status zm_db_create_database(const zm_db_url *url, zm_db_error *err)
{
    if (url->dialect != ZM_REL_POSTGRESQL || !url->database)
        return zm_db_fail(err, ZM_DB_EMISUSE, "only a PostgreSQL database can be created here", NULL, NULL);
    zm_db_url server = *url;
    server.database = (char *)"postgres";
    server.schema = (char *)"public";
    zm_db *db = NULL;
    zm_db_status st = zm_db_connect(&server, false, &db, err);
    if (st != ZM_DB_OK) return st;
    char *name = zm_db_quote_ident(url->database);
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "CREATE DATABASE %s", name ? name : "\"\"");
    st = zm_db_execute(db, sql.data, err);
    zm_buf_free(&sql);
    free(name);
    zm_db_close(db);
    return st;
}

static zm_db_status reset_sqlite(zm_db *db, zm_db_error *err)
{
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db,
                                  "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN "
                                  "('table', 'view', 'trigger') ORDER BY type = 'table'",
                                  0, NULL, &rows, err);
    if (st != ZM_DB_OK) return st;
    zm_buf script = ZM_BUF_INIT;
    for (size_t i = 0; i < rows.nrows; i++) {
        char *name = zm_db_quote_ident(ZM_DB_CELL(&rows, i, 1));
        const char *type = ZM_DB_CELL(&rows, i, 0);
        zm_buf_printf(&script, "DROP %s IF EXISTS %s;\n",
                      strcmp(type, "view") == 0 ? "VIEW" : strcmp(type, "trigger") == 0 ? "TRIGGER" : "TABLE",
                      name ? name : "\"\"");
        free(name);
    }
    zm_db_rows_free(&rows);
    if (script.len) st = zm_db_apply_script(db, script.data, err);
    zm_buf_free(&script);
    return st;
}

/* PostgreSQL: the schema dropped with everything in it and created again
   with the owner, privileges and comment it had (a reset `public` stays
   usable by the application's other roles). Owner and privileges are put
   back as far as the user may; one transaction, so a failure changes
   nothing. */
static const char reset_pg[] =
    "DO $zmc_reset$\n"
    "DECLARE\n"
    "  s text := %s;\n"
    "  own regrole; acl aclitem[]; note text; g record;\n"
    "BEGIN\n"
    "  SELECT nspowner::regrole, nspacl, obj_description(oid, 'pg_namespace') INTO own, acl, note\n"
    "    FROM pg_namespace WHERE nspname = s;\n"
    "  EXECUTE format('DROP SCHEMA IF EXISTS %%I CASCADE', s);\n"
    "  EXECUTE format('CREATE SCHEMA %%I', s);\n"
    "  IF own IS NULL THEN RETURN; END IF;\n"
    "  BEGIN\n"
    "    EXECUTE format('ALTER SCHEMA %%I OWNER TO %%s', s, own);\n"
    "  EXCEPTION WHEN insufficient_privilege THEN NULL;\n"
    "  END;\n"
    "  FOR g IN SELECT grantee, privilege_type, is_grantable FROM aclexplode(acl) LOOP\n"
    "    BEGIN\n"
    "      EXECUTE format('GRANT %%s ON SCHEMA %%I TO %%s%%s', g.privilege_type, s,\n"
    "        CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE g.grantee::regrole::text END,\n"
    "        CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
    "    EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN NULL;\n"
    "    END;\n"
    "  END LOOP;\n"
    "  EXECUTE format('COMMENT ON SCHEMA %%I IS %%L', s, note);\n"
    "END\n"
    "$zmc_reset$";

zm_db_status zm_db_reset(zm_db *db, zm_db_error *err)
{
    if (db->driver->dialect == ZM_REL_SQLITE) return reset_sqlite(db, err);
    zm_buf literal = ZM_BUF_INIT, script = ZM_BUF_INIT;
    zm_buf_putc(&literal, '\'');
    for (const char *p = db->schema; *p; p++) {
        if (*p == '\'') zm_buf_putc(&literal, '\'');
        zm_buf_putc(&literal, *p);
    }
    zm_buf_putc(&literal, '\'');
    zm_buf_printf(&script, reset_pg, literal.data);
    zm_db_status st = zm_db_execute(db, script.data, err);
    zm_buf_free(&script);
    zm_buf_free(&literal);
    return st;
}

zm_db_status zm_db_begin(zm_db *db, zm_db_error *err) { return zm_db_execute(db, "BEGIN", err); }
zm_db_status zm_db_commit(zm_db *db, zm_db_error *err) { return zm_db_execute(db, "COMMIT", err); }
zm_db_status zm_db_rollback(zm_db *db, zm_db_error *err) { return zm_db_execute(db, "ROLLBACK", err); }

zm_db_status zm_db_lock(zm_db *db, int timeout_ms, zm_db_error *err)
{
    return db->driver->lock(db->conn, timeout_ms, err);
}

zm_db_status zm_db_unlock(zm_db *db, zm_db_error *err) { return db->driver->unlock(db->conn, err); }

/* The connection a signal may interrupt: its driver and handle, set only
   while no signal handler can read them half-written (armed before the
   handler is installed, disarmed after it is removed). */
static const zm_db_driver *volatile armed_driver;
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
    const zm_db_driver *d = armed_driver;
    void *h = armed_handle;
    if (d && h) d->cancel_fire(h);
}

void zm_db_interrupt_disarm(void)
{
    const zm_db_driver *d = armed_driver;
    void *h = armed_handle;
    armed_driver = NULL;
    armed_handle = NULL;
    if (d && h) d->cancel_free(h);
}
