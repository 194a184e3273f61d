/*
** driver.c — the PostgreSQL driver (libpq).
**
** The URL is handed to libpq as keywords rather than as a URI, because
** Prisma's URLs carry parameters libpq rejects (schema, connection_limit,
** ...). The search path is the URL's schema. A script goes out as one
** simple-query message, as Prisma Migrate sends a migration file; when it
** fails, the error position PostgreSQL reports finds the statement.
**
** Built as the module db_postgresql.so (see db.c for why), with common.c
** and url.c linked in.
*/
#include "driver.h"
#include "parse.h"
#include "zmc/plugin.h"
#include "zmc/zmc.h"

#include <libpq-fe.h>

#include "zmc/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Prisma Migrate's advisory lock key, so zmc and Prisma exclude each other. */
#define MIGRATE_LOCK_KEY "72707369"

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The byte offset of 1-based character `pos` in UTF-8 `s`. */
static size_t byte_offset(const char *s, long pos)
{
    size_t i = 0;
    for (long chars = 1; s[i] && chars < pos; chars++) {
        i++;
        while ((s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* err from a failed result: the primary message with its detail and hint,
   the SQLSTATE, and the statement it was about. */
static zm_db_status fail_result(PGconn *pg, PGresult *res, const char *script, zm_db_error *err)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *position = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
    char *message = NULL;
    if (primary) {
        size_t n = strlen(primary) + (detail ? strlen(detail) + 10 : 0) + (hint ? strlen(hint) + 8 : 0) + 1;
        message = malloc(n);
        if (message)
            snprintf(message, n, "%s%s%s%s%s", primary, detail ? "\nDETAIL: " : "", detail ? detail : "",
                     hint ? "\nHINT: " : "", hint ? hint : "");
    } else {
        message = strdup(PQerrorMessage(pg));
        if (message) message[strcspn(message, "\n")] = '\0';
    }
    char *statement = NULL;
    if (script) {
        if (position) {
            statement = zm_db_statement_at(script, byte_offset(script, atol(position)));
        } else {
            /* Without a position, only a script of one statement says which. */
            size_t end = strlen(script);
            while (end && strchr(" \t\r\n", script[end - 1])) end--;
            char *first = zm_db_statement_at(script, 0), *last = zm_db_statement_at(script, end ? end - 1 : 0);
            if (first && last && strcmp(first, last) == 0) {
                statement = first;
                first = NULL;
            }
            free(first);
            free(last);
        }
    }
    zm_db_status st = zm_db_fail(err, ZM_DB_ESQL, message ? message : "unknown error", statement, code);
    free(message);
    free(statement);
    return st;
}

static zm_db_status pg_connect(const zm_db_url *url, bool create, void **conn, zm_db_error *err)
{
    (void)create;   /* creating a database is a separate step (CREATE DATABASE) */
    *conn = NULL;
    enum { MAX = 64 };
    const char *keys[MAX + 1], *values[MAX + 1];
    size_t n = 0;
#define KV(k, v)                   \
    if ((v) && n < MAX) {          \
        keys[n] = (k);             \
        values[n++] = (v);         \
    }
    KV("host", url->host)
    KV("port", url->port)
    KV("user", url->user)
    KV("password", url->password)
    KV("dbname", url->database)
    KV("application_name", "zmc")
    KV("client_encoding", "UTF8")
    for (size_t i = 0; i < url->nparams; i++) KV(url->params[i].key, url->params[i].value)
#undef KV
    keys[n] = values[n] = NULL;
    PGconn *pg = PQconnectdbParams(keys, values, 0);
    if (!pg) return zm_db_fail(err, ZM_DB_ECONNECT, "out of memory", NULL, NULL);
    if (PQstatus(pg) != CONNECTION_OK) {
        char *where = zm_db_url_location(url);
        char *why = strdup(PQerrorMessage(pg));
        if (why) {
            size_t len = strlen(why);
            while (len && (why[len - 1] == '\n' || why[len - 1] == ' ')) why[--len] = '\0';
        }
        /* A missing database is not an unreachable server: say so, with
           PostgreSQL's SQLSTATE for it, so that commands can create it. */
        bool missing = why && strstr(why, "database \"") && strstr(why, "does not exist");
        zm_db_status st =
            missing ? zm_db_failf(err, ZM_DB_ENODB, "Database `%s` does not exist on the database server at %s",
                                  url->database ? url->database : "", where ? where : "?")
                    : zm_db_failf(err, ZM_DB_ECONNECT, "Can't reach database server at %s: %s", where ? where : "?",
                                  why ? why : "");
        if (missing) err->code = strdup("3D000");
        free(where);
        free(why);
        PQfinish(pg);
        return st;
    }
    PQsetNoticeProcessor(pg, ignore_notice, NULL);
    const char *schema = url->schema ? url->schema : "public";
    char *ident = PQescapeIdentifier(pg, schema, strlen(schema));
    char sql[512];
    snprintf(sql, sizeof sql, "SET search_path TO %s", ident ? ident : "public");
    PQfreemem(ident);
    PGresult *res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fail_result(pg, res, sql, err);
        PQclear(res);
        PQfinish(pg);
        return ZM_DB_ECONNECT;
    }
    PQclear(res);
    *conn = pg;
    return ZM_DB_OK;
}

static void pg_close(void *conn) { PQfinish(conn); }

static bool result_ok(PGresult *res)
{
    ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

static zm_db_status pg_execute(void *conn, const char *script, zm_db_error *err)
{
    PGconn *pg = conn;
    /* PQexec returns the last result; an error stops the script there. */
    PGresult *res = PQexec(pg, script);
    zm_db_status st = result_ok(res) ? ZM_DB_OK : fail_result(pg, res, script, err);
    PQclear(res);
    return st;
}

static zm_db_status pg_query(void *conn, const char *sql, size_t nparams, const char *const *params,
                             zm_db_rows *out, zm_db_error *err)
{
    PGconn *pg = conn;
    PGresult *res = PQexecParams(pg, sql, (int)nparams, NULL, params, NULL, NULL, 0);
    if (!result_ok(res)) {
        zm_db_status st = fail_result(pg, res, sql, err);
        PQclear(res);
        return st;
    }
    size_t nrows = (size_t)PQntuples(res), ncols = (size_t)PQnfields(res);
    out->nrows = nrows;
    out->ncols = ncols;
    out->names = calloc(ncols ? ncols : 1, sizeof *out->names);
    out->cells = calloc(nrows * ncols + 1, sizeof *out->cells);
    if (!out->names || !out->cells) {
        PQclear(res);
        zm_db_rows_free(out);
        return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", sql, NULL);
    }
    for (size_t c = 0; c < ncols; c++) out->names[c] = strdup(PQfname(res, (int)c));
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols; c++)
            if (!PQgetisnull(res, (int)r, (int)c))
                out->cells[r * ncols + c] = strdup(PQgetvalue(res, (int)r, (int)c));
    PQclear(res);
    return ZM_DB_OK;
}

/* pg_try_advisory_lock in a loop, so that the wait has a deadline and the
   connection stays usable when it passes. */
static zm_db_status pg_lock(void *conn, int timeout_ms, zm_db_error *err)
{
    PGconn *pg = conn;
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int wait = 10;; wait = wait < 200 ? wait * 2 : 200) {
        PGresult *res = PQexec(pg, "SELECT pg_try_advisory_lock(" MIGRATE_LOCK_KEY ")");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            zm_db_status st = fail_result(pg, res, "SELECT pg_try_advisory_lock(" MIGRATE_LOCK_KEY ")", err);
            PQclear(res);
            return st;
        }
        bool got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
        if (got) return ZM_DB_OK;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (elapsed >= timeout_ms)
            return zm_db_failf(err, ZM_DB_ELOCK,
                               "Timed out trying to acquire a postgres advisory lock "
                               "(SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")). Elapsed: %ldms",
                               elapsed);
        zm_db_sleep_ms(wait);
    }
}

static zm_db_status pg_unlock(void *conn, zm_db_error *err)
{
    return pg_execute(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", err);
}

static void *pg_cancel_arm(void *conn) { return PQgetCancel(conn); }

/* PQcancel is async-signal-safe (libpq's documentation says so). */
static void pg_cancel_fire(void *handle)
{
    char errbuf[256];
    PQcancel(handle, errbuf, sizeof errbuf);
}

static void pg_cancel_free(void *handle) { PQfreeCancel(handle); }

/* The schema dropped with everything in it and created again with the
   owner, privileges and comment it had (a reset `public` stays usable by
   the application's other roles). Owner and privileges are put back as far
   as the user may; one transaction, so a failure changes nothing. */
static const char reset_sql[] =
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

static zm_db_status pg_reset(void *conn, const char *schema, zm_db_error *err)
{
    zm_buf literal = ZM_BUF_INIT, script = ZM_BUF_INIT;
    zm_buf_putc(&literal, '\'');
    for (const char *p = schema; *p; p++) {
        if (*p == '\'') zm_buf_putc(&literal, '\'');
        zm_buf_putc(&literal, *p);
    }
    zm_buf_putc(&literal, '\'');
    zm_buf_printf(&script, reset_sql, literal.data);
    zm_db_status st = pg_execute(conn, script.data, err);
    zm_buf_free(&script);
    zm_buf_free(&literal);
    return st;
}

/* CREATE or DROP DATABASE of the URL's database, from the server's
   `postgres` database. */
static zm_db_status database_statement(const zm_db_url *url, const char *verb, zm_db_error *err)
{
    zm_db_url server = *url;
    server.database = (char *)"postgres";
    void *conn = NULL;
    zm_db_status st = pg_connect(&server, false, &conn, err);
    if (st != ZM_DB_OK) return st;
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "%s DATABASE %s\"", verb, strcmp(verb, "DROP") == 0 ? "IF EXISTS " : "");
    for (const char *p = url->database; *p; p++) zm_buf_append(&sql, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    zm_buf_putc(&sql, '"');
    st = pg_execute(conn, sql.data, err);
    zm_buf_free(&sql);
    pg_close(conn);
    return st;
}

static zm_db_status pg_create_database(const zm_db_url *url, zm_db_error *err)
{
    return database_statement(url, "CREATE", err);
}

static zm_db_status pg_drop_database(const zm_db_url *url, zm_db_error *err)
{
    return database_statement(url, "DROP", err);
}

static const zmc_db_driver driver = {
    ZMC_DRIVER_HEADER,
    .connect = pg_connect,
    .close = pg_close,
    .execute = pg_execute,
    .query = pg_query,
    .lock = pg_lock,
    .unlock = pg_unlock,
    .reset = pg_reset,
    .create_database = pg_create_database,
    .drop_database = pg_drop_database,
    .cancel_arm = pg_cancel_arm,
    .cancel_fire = pg_cancel_fire,
    .cancel_free = pg_cancel_free,
    .analyse = pg_analyse,
    .analysis_free = pg_analysis_free,
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DRIVER, "db_postgresql", ZMC_VERSION, "the PostgreSQL driver (libpq)"),
    .driver = &driver,
};
