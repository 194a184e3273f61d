/*
** driver.c — the MySQL and MariaDB driver (libmariadb, MariaDB's
** Connector/C, which speaks to both).
**
** A script runs statement by statement (one round trip each), so an error
** names the statement the server refused and how many ran before it: MySQL
** commits each DDL statement by itself, so what ran stays. Parameters ($1,
** $2) are sent as escaped literals (mysql_real_escape_string), in text, as
** every other value here is. The connection speaks utf8mb4.
**
** The migration lock is Prisma's: GET_LOCK('prisma_migrate'), held by the
** session until RELEASE_LOCK or the connection ends. On a Galera cluster,
** where GET_LOCK holds on one node only, a lock row the nodes agree on is
** taken too (cluster.c).
*/
#define _GNU_SOURCE 1
#include "cluster.h"
#include "driver.h"
#include "zmc/plugin.h"
#include "zmc/zmc.h"

#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zmc/buf.h"

/* What the statement splitter (script.c) needs to know of MySQL. */
static const zmc_dialect splitting = {.features = ZMC_DIALECT_BACKSLASH_ESCAPES};

enum { ER_BAD_DB = 1049 };

zm_db_status my_fail(MYSQL *my, zm_db_status st, const char *statement, zm_db_error *err)
{
    char code[16];
    snprintf(code, sizeof code, "%u", mysql_errno(my));
    return zm_db_fail(err, st, mysql_error(my), statement, code);
}

static const char *param(const zm_db_url *url, const char *key)
{
    for (size_t i = 0; i < url->nparams; i++)
        if (strcmp(url->params[i].key, key) == 0) return url->params[i].value;
    return NULL;
}

/* Connect to the URL's server, to `database` (NULL: none). */
static zm_db_status open_server(const zm_db_url *url, const char *database, MYSQL **out, zm_db_error *err)
{
    *out = NULL;
    MYSQL *my = mysql_init(NULL);
    if (!my) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    unsigned timeout = 10;
    const char *t = param(url, "connect_timeout");
    if (t && atoi(t) > 0) timeout = (unsigned)atoi(t);
    mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    const char *accept = param(url, "sslaccept");
    if (accept && strcmp(accept, "strict") == 0) {
        my_bool verify = 1;
        mysql_optionsv(my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    }
    if (param(url, "sslcert")) mysql_optionsv(my, MYSQL_OPT_SSL_CA, param(url, "sslcert"));
    unsigned port = url->port ? (unsigned)atoi(url->port) : 3306;
    const char *socket = param(url, "socket");
    const char *host = url->host && *url->host ? url->host : socket ? NULL : "localhost";
    if (!mysql_real_connect(my, host, url->user ? url->user : "root", url->password, database, port, socket, 0)) {
        char *where = zm_db_url_location(url);
        zm_db_status st = mysql_errno(my) == ER_BAD_DB ? ZM_DB_ENODB : ZM_DB_ECONNECT;
        if (st == ZM_DB_ENODB)
            zm_db_failf(err, st, "Database `%s` does not exist on the database server at %s", database ? database : "",
                        where ? where : "?");
        else
            zm_db_failf(err, st, "Can't reach database server at %s: %s", where ? where : "?", mysql_error(my));
        char code[16];
        snprintf(code, sizeof code, "%u", mysql_errno(my));
        free(err->code);
        err->code = strdup(code);
        free(where);
        mysql_close(my);
        return st;
    }
    *out = my;
    return ZM_DB_OK;
}

/* One statement; its result (if any) read and dropped. */
static zm_db_status run_one(MYSQL *my, const char *sql, zm_db_error *err)
{
    if (mysql_real_query(my, sql, strlen(sql)) != 0) return my_fail(my, ZM_DB_ESQL, sql, err);
    MYSQL_RES *res = mysql_store_result(my);
    if (res) mysql_free_result(res);
    else if (mysql_field_count(my) != 0) return my_fail(my, ZM_DB_ESQL, sql, err);
    return ZM_DB_OK;
}

zm_db_status my_run(my_conn *c, const char *sql, zm_db_error *err) { return run_one(c->my, sql, err); }

static zm_db_status my_connect(const zm_db_url *url, bool create, void **conn, zm_db_error *err)
{
    (void)create;   /* a database is created by CREATE DATABASE (create_database) */
    *conn = NULL;
    my_conn *c = calloc(1, sizeof *c);
    if (!c) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    zm_db_status st = open_server(url, url->database, &c->my, err);
    if (st == ZM_DB_OK) st = my_cluster_setup(c, err);
    if (st != ZM_DB_OK) {
        if (c->my) mysql_close(c->my);
        free(c);
        return st;
    }
    *conn = c;
    return ZM_DB_OK;
}

static void my_close(void *conn)
{
    my_conn *c = conn;
    if (!c) return;
    zm_db_error ignore = {0};
    my_cluster_unlock(c, &ignore);
    zm_db_error_clear(&ignore);
    mysql_close(c->my);
    free(c);
}

static zm_db_status my_execute(void *conn, const char *script, zm_db_error *err)
{
    my_conn *c = conn;
    char **statements = NULL;
    size_t n = zm_db_script_split(&splitting, script, &statements);
    if (!statements && n) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    zm_db_status st = ZM_DB_OK;
    for (size_t i = 0; i < n && st == ZM_DB_OK; i++) {
        my_cluster_beat(c);
        st = c->galera ? my_cluster_run(c, statements[i], err) : run_one(c->my, statements[i], err);
    }
    zm_db_script_free(statements, n);
    return st;
}

/* `sql` with each $N outside quotes and comments replaced by parameter N
   as an escaped string literal (NULL as NULL). */
static char *bind(MYSQL *my, const char *sql, size_t nparams, const char *const *params)
{
    zm_buf b = ZM_BUF_INIT;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"' || *p == '`') {
            char q = *p;
            const char *s = p++;
            while (*p && *p != q) p += (*p == '\\' && q != '`' && p[1]) ? 2 : 1;
            if (*p) p++;
            zm_buf_append(&b, s, (size_t)(p - s));
        } else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
            char *end;
            long k = strtol(p + 1, &end, 10);
            if (k < 1 || (size_t)k > nparams) {
                zm_buf_append(&b, p, (size_t)(end - p));
            } else if (!params[k - 1]) {
                zm_buf_puts(&b, "NULL");
            } else {
                size_t len = strlen(params[k - 1]);
                char *esc = malloc(2 * len + 1);
                if (!esc) {
                    zm_buf_free(&b);
                    return NULL;
                }
                mysql_real_escape_string(my, esc, params[k - 1], len);
                zm_buf_putc(&b, '\'');
                zm_buf_puts(&b, esc);
                zm_buf_putc(&b, '\'');
                free(esc);
            }
            p = end;
        } else {
            zm_buf_putc(&b, *p++);
        }
    }
    if (!b.data) zm_buf_puts(&b, "");
    return b.data;
}

static zm_db_status my_query(void *conn, const char *sql, size_t nparams, const char *const *params,
                             zm_db_rows *out, zm_db_error *err)
{
    my_cluster_beat(conn);
    MYSQL *my = ((my_conn *)conn)->my;
    char *text = bind(my, sql, nparams, params);
    if (!text) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", sql, NULL);
    if (mysql_real_query(my, text, strlen(text)) != 0) {
        zm_db_status st = my_fail(my, ZM_DB_ESQL, sql, err);
        free(text);
        return st;
    }
    free(text);
    MYSQL_RES *res = mysql_store_result(my);
    if (!res) return mysql_field_count(my) ? my_fail(my, ZM_DB_ESQL, sql, err) : ZM_DB_OK;
    size_t ncols = mysql_num_fields(res), nrows = (size_t)mysql_num_rows(res);
    out->ncols = ncols;
    out->nrows = nrows;
    out->names = calloc(ncols ? ncols : 1, sizeof *out->names);
    out->cells = calloc(nrows * ncols > 0 ? nrows * ncols : 1, sizeof *out->cells);
    if (!out->names || !out->cells) {
        mysql_free_result(res);
        zm_db_rows_free(out);
        return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", sql, NULL);
    }
    MYSQL_FIELD *fields = mysql_fetch_fields(res);
    for (size_t c = 0; c < ncols; c++) out->names[c] = strdup(fields[c].name);
    for (size_t r = 0; r < nrows; r++) {
        MYSQL_ROW row = mysql_fetch_row(res);
        unsigned long *lengths = mysql_fetch_lengths(res);
        for (size_t c = 0; row && c < ncols; c++)
            if (row[c]) out->cells[r * ncols + c] = strndup(row[c], lengths[c]);
    }
    mysql_free_result(res);
    return ZM_DB_OK;
}

static zm_db_status my_lock(void *conn, int timeout_ms, zm_db_error *err)
{
    my_conn *c = conn;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char sql[96];
    int secs = (timeout_ms + 999) / 1000;
    snprintf(sql, sizeof sql, "SELECT GET_LOCK('prisma_migrate', %d)", secs);
    zm_db_rows rows = {0};
    zm_db_status st = my_query(conn, sql, 0, NULL, &rows, err);
    if (st != ZM_DB_OK) return st;
    bool got = rows.nrows && ZM_DB_CELL(&rows, 0, 0) && strcmp(ZM_DB_CELL(&rows, 0, 0), "1") == 0;
    zm_db_rows_free(&rows);
    if (got && c->galera) {
        /* the node's lock is ours; now the cluster's, in the time left */
        st = my_cluster_lock(c, (double)t0.tv_sec + (double)t0.tv_nsec / 1e9 + timeout_ms / 1e3, err);
        if (st != ZM_DB_OK) {
            zm_db_error ignore = {0};
            run_one(c->my, "SELECT RELEASE_LOCK('prisma_migrate')", &ignore);
            zm_db_error_clear(&ignore);
        }
        return st;
    }
    if (got) return ZM_DB_OK;
    return zm_db_failf(err, ZM_DB_ELOCK,
                       "Timed out trying to acquire a MySQL lock (SELECT GET_LOCK('prisma_migrate', %d)): another "
                       "migration holds it. Elapsed: %dms", secs, timeout_ms);
}

static zm_db_status my_unlock(void *conn, zm_db_error *err)
{
    my_conn *c = conn;
    zm_db_error ignore = {0};
    my_cluster_unlock(c, &ignore);     /* a reset may have dropped its table */
    zm_db_error_clear(&ignore);
    return run_one(c->my, "SELECT RELEASE_LOCK('prisma_migrate')", err);
}

static void quote_into(zm_buf *b, const char *name) { zm_db_quote_into(b, '`', name); }

/* Every table, view, stored routine and event of the database dropped,
   foreign key checks off meanwhile. The database itself stays, with its grants and character set
   (Prisma drops and creates it, which needs more privileges than the
   application's user usually has). */
static zm_db_status my_reset(void *conn, const char *schema, zm_db_error *err)
{
    zm_db_rows rows = {0};
    const char *params[] = {schema};
    zm_db_status st = my_query(conn,
                               "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = $1",
                               1, params, &rows, err);
    if (st != ZM_DB_OK) return st;
    MYSQL *my = ((my_conn *)conn)->my;
    st = run_one(my, "SET FOREIGN_KEY_CHECKS = 0", err);
    for (size_t i = 0; i < rows.nrows && st == ZM_DB_OK; i++) {
        zm_buf sql = ZM_BUF_INIT;
        bool view = ZM_DB_CELL(&rows, i, 1) && strcmp(ZM_DB_CELL(&rows, i, 1), "VIEW") == 0;
        zm_buf_puts(&sql, view ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ");
        quote_into(&sql, schema);
        zm_buf_putc(&sql, '.');
        quote_into(&sql, ZM_DB_CELL(&rows, i, 0));
        st = run_one(my, sql.data, err);
        zm_buf_free(&sql);
    }
    zm_db_error ignore = {0};
    run_one(my, "SET FOREIGN_KEY_CHECKS = 1", &ignore);
    zm_db_error_clear(&ignore);
    zm_db_rows_free(&rows);
    /* stored procedures, functions and events live in the database too */
    if (st == ZM_DB_OK)
        st = my_query(conn,
                      "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = $1 "
                      "UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = $1",
                      1, params, &rows, err);
    for (size_t i = 0; st == ZM_DB_OK && i < rows.nrows; i++) {
        const char *kind = ZM_DB_CELL(&rows, i, 0);
        zm_buf sql = ZM_BUF_INIT;
        zm_buf_printf(&sql, "DROP %s IF EXISTS ",
                      strcmp(kind, "FUNCTION") == 0 ? "FUNCTION" : strcmp(kind, "EVENT") == 0 ? "EVENT" : "PROCEDURE");
        quote_into(&sql, schema);
        zm_buf_putc(&sql, '.');
        quote_into(&sql, ZM_DB_CELL(&rows, i, 1));
        st = run_one(my, sql.data, err);
        zm_buf_free(&sql);
    }
    zm_db_rows_free(&rows);
    return st;
}

static zm_db_status database_statement(const zm_db_url *url, const char *verb, zm_db_error *err)
{
    MYSQL *my;
    zm_db_status st = open_server(url, NULL, &my, err);
    if (st != ZM_DB_OK) return st;
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "%s DATABASE %s", verb, strcmp(verb, "DROP") == 0 ? "IF EXISTS " : "");
    quote_into(&sql, url->database);
    st = run_one(my, sql.data, err);
    zm_buf_free(&sql);
    mysql_close(my);
    return st;
}

static zm_db_status my_create_database(const zm_db_url *url, zm_db_error *err)
{
    return database_statement(url, "CREATE", err);
}

static zm_db_status my_drop_database(const zm_db_url *url, zm_db_error *err)
{
    return database_statement(url, "DROP", err);
}

/* libmariadb's global state (character sets, the plugin list), made on the
   first mysql_init(), freed when the process ends: the module stays loaded
   until then (the dialect registry pins drivers). */
__attribute__((destructor)) static void library_end(void) { mysql_library_end(); }

static const zmc_db_driver driver = {
    ZMC_DRIVER_HEADER,
    .connect = my_connect,
    .close = my_close,
    .execute = my_execute,
    .query = my_query,
    .lock = my_lock,
    .unlock = my_unlock,
    .reset = my_reset,
    .create_database = my_create_database,
    .drop_database = my_drop_database,
    .notes = my_cluster_notes,
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DRIVER, "db_mysql", ZMC_VERSION, "the MySQL and MariaDB driver (libmariadb)"),
    .driver = &driver,
};
