/*
** test_db.c — runtime/db: datasource URLs (parsing, masking), .env files,
** the statement finder, and the SQLite driver on real database files.
** The PostgreSQL driver is tested against a server in test_db_pg.c.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasource.h"
#include "dialects.h"
#include "driver.h"
#include "zmc/db.h"

/* ---- URLs ------------------------------------------------------------------------- */

Test(url, postgresql_parts_and_params)
{
    zm_db_url u;
    char *error = NULL;
    cr_assert_eq(zm_db_url_parse("postgresql://al%40ice:p%3Ass@db.example.com:6543/my%20app?schema=tenant"
                                 "&sslmode=require&connection_limit=5&pool_timeout=2",
                                 "/proj", &u, &error),
                 0, "%s", error);
    cr_assert_eq(u.dialect, DIALECT_POSTGRESQL);
    cr_assert_str_eq(u.user, "al@ice");
    cr_assert_str_eq(u.password, "p:ss");
    cr_assert_str_eq(u.host, "db.example.com");
    cr_assert_str_eq(u.port, "6543");
    cr_assert_str_eq(u.database, "my app");
    cr_assert_str_eq(u.schema, "tenant");
    cr_assert_eq(u.nparams, 1);
    cr_assert_str_eq(u.params[0].key, "sslmode");
    cr_assert_str_eq(u.params[0].value, "require");
    cr_assert_eq(u.nignored, 2);
    cr_assert_str_eq(u.ignored[0], "connection_limit");
    cr_assert_str_eq(u.ignored[1], "pool_timeout");
    char *shown = zm_db_url_display(&u), *where = zm_db_url_location(&u);
    cr_assert_str_eq(shown, "postgresql://al@ice:****@db.example.com:6543/my app?schema=tenant");
    cr_assert_str_eq(where, "db.example.com:6543");
    free(shown);
    free(where);
    zm_db_url_free(&u);
}

Test(url, postgresql_defaults_socket_and_ipv6)
{
    zm_db_url u;
    char *error = NULL;
    cr_assert_eq(zm_db_url_parse("postgres://localhost/app", ".", &u, &error), 0);
    cr_assert_str_eq(u.schema, "public");
    cr_assert_null(u.port);
    cr_assert_null(u.user);
    zm_db_url_free(&u);
    cr_assert_eq(zm_db_url_parse("postgresql://u@/app?host=/var/run/postgresql", ".", &u, &error), 0);
    cr_assert_str_eq(u.host, "/var/run/postgresql");
    zm_db_url_free(&u);
    cr_assert_eq(zm_db_url_parse("postgresql://u:x@[::1]:5433/app?sslcert=certs/ca.pem", "/p", &u, &error), 0);
    cr_assert_str_eq(u.host, "::1");
    cr_assert_str_eq(u.port, "5433");
    cr_assert_str_eq(u.params[0].key, "sslrootcert");
    cr_assert_str_eq(u.params[0].value, "/p/certs/ca.pem");
    char *where = zm_db_url_location(&u);
    cr_assert_str_eq(where, "[::1]:5433");
    free(where);
    zm_db_url_free(&u);
}

Test(url, sqlite_paths)
{
    zm_db_url u;
    char *error = NULL;
    cr_assert_eq(zm_db_url_parse("file:./dev.db?connection_limit=1", "zenstack", &u, &error), 0);
    cr_assert_eq(u.dialect, DIALECT_SQLITE);
    cr_assert_str_eq(u.path, "zenstack/dev.db");   /* "./" dropped */
    cr_assert_eq(u.nignored, 1);
    zm_db_url_free(&u);
    cr_assert_eq(zm_db_url_parse("file:/tmp/x.db", "zenstack", &u, &error), 0);
    cr_assert_str_eq(u.path, "/tmp/x.db");
    zm_db_url_free(&u);
}

Test(url, errors_name_the_problem_not_the_password)
{
    zm_db_url u;
    char *error = NULL;
    cr_assert_eq(zm_db_url_parse("mongodb://u:secret@h/db", ".", &u, &error), -1);
    cr_assert(strstr(error, "`mongodb`"), "%s", error);
    cr_assert_null(strstr(error, "secret"));
    free(error);
    cr_assert_eq(zm_db_url_parse("postgresql://u:secret@h:port/db", ".", &u, &error), -1);
    cr_assert(strstr(error, "port must be a number"), "%s", error);
    cr_assert_null(strstr(error, "secret"));
    free(error);
    cr_assert_eq(zm_db_url_parse("file:", ".", &u, &error), -1);
    free(error);
}

Test(url, mask_passwords_in_text)
{
    char *m = zm_db_mask_passwords("failed: postgresql://bob:hunter2@h:5432/db and postgres://x@h/y and "
                                   "mysql://a:b@c/d");
    cr_assert_str_eq(m, "failed: postgresql://bob:****@h:5432/db and postgres://x@h/y and mysql://a:****@c/d");
    free(m);
}

/* ---- .env ------------------------------------------------------------------------- */

Test(dotenv, values_quotes_comments_and_expansion)
{
    char path[] = "/tmp/zmc-dotenv-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# comment\n"
          "export ZMT_A=plain value # trailing comment\n"
          "ZMT_B=\"line1\\nline2\"\n"
          "ZMT_C='${ZMT_A} not expanded'\n"
          "ZMT_D=${ZMT_A}/x\n"
          "ZMT_E=from-file\n"
          "ZMT_F = spaced \r\n",
          f);
    fclose(f);
    setenv("ZMT_E", "from-env", 1);
    cr_assert_eq(zm_dotenv_load(path), 0);
    cr_assert_str_eq(getenv("ZMT_A"), "plain value");
    cr_assert_str_eq(getenv("ZMT_B"), "line1\nline2");
    cr_assert_str_eq(getenv("ZMT_C"), "${ZMT_A} not expanded");
    cr_assert_str_eq(getenv("ZMT_D"), "plain value/x");
    cr_assert_str_eq(getenv("ZMT_E"), "from-env", "the environment wins over .env");
    cr_assert_str_eq(getenv("ZMT_F"), "spaced");
    unlink(path);
    cr_assert_eq(zm_dotenv_load("/nonexistent/.env"), -1);
}

/* ---- statements ------------------------------------------------------------------- */

Test(statement, found_by_position)
{
    const char *s = "-- CreateTable\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\n"
                    "-- CreateIndex\nCREATE INDEX i ON a(x);\nSELECT $f$ ; $f$;";
    char *first = zm_db_statement_at(s, 20);
    cr_assert_str_eq(first, "CREATE TABLE a (x TEXT DEFAULT 'a;b');");
    char *second = zm_db_statement_at(s, (size_t)(strstr(s, "INDEX") - s));
    cr_assert_str_eq(second, "CREATE INDEX i ON a(x);");
    char *third = zm_db_statement_at(s, strlen(s) - 3);
    cr_assert_str_eq(third, "SELECT $f$ ; $f$;");
    free(first);
    free(second);
    free(third);
}

/* ---- transaction control in a migration ------------------------------------------- */

/* The script as it runs in zmc's transaction ("=" + the text), or the
   refusal ("!" + line and statement). */
static char *fit(const zmc_dialect *d, const char *script)
{
    char *out = NULL, *r = NULL;
    zm_db_error err = {0};
    if (zm_db_script_for_transaction(d, script, &out, &err) == ZM_DB_OK) {
        cr_assert_null(err.message);
        size_t n = strlen(out ? out : script) + 2;
        r = malloc(n);
        snprintf(r, n, "=%s", out ? out : script);
    } else {
        const char *line = strstr(err.message, "(line ");
        size_t n = strlen(err.statement) + 32;
        r = malloc(n);
        snprintf(r, n, "!%d %s", line ? atoi(line + 6) : 0, err.statement);
    }
    free(out);
    zm_db_error_clear(&err);
    return r;
}

#define expect_fit(d, script, want)              \
    do {                                         \
        char *got_ = fit(d, script);             \
        cr_expect_str_eq(got_, want, "%s", script); \
        free(got_);                              \
    } while (0)

Test(script, plain_scripts_run_as_written)
{
    expect_fit(DIALECT_POSTGRESQL, "CREATE TABLE a (x INT);\nDROP TABLE b;", "=CREATE TABLE a (x INT);\nDROP TABLE b;");
    expect_fit(DIALECT_SQLITE, "", "=");
    /* the words in strings, identifiers, comments and bodies are not statements */
    expect_fit(DIALECT_POSTGRESQL,
               "INSERT INTO t VALUES ('; COMMIT;', E'\\'; ROLLBACK; --');\n"
               "CREATE TABLE \"x; ROLLBACK\" (y INT); /* c /* nested; ROLLBACK; */ ROLLBACK; */\n"
               "DO $do$ BEGIN ROLLBACK; END $do$;\n"
               "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END;\n"
               "-- ROLLBACK;\n",
               "=INSERT INTO t VALUES ('; COMMIT;', E'\\'; ROLLBACK; --');\n"
               "CREATE TABLE \"x; ROLLBACK\" (y INT); /* c /* nested; ROLLBACK; */ ROLLBACK; */\n"
               "DO $do$ BEGIN ROLLBACK; END $do$;\n"
               "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END;\n"
               "-- ROLLBACK;\n");
    expect_fit(DIALECT_SQLITE, "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; DELETE FROM b; END;",
               "=CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; DELETE FROM b; END;");
}

Test(script, a_begin_commit_block_runs_in_our_transaction)
{
    /* Prisma's enum redefinition on PostgreSQL: the block's two statements
       are blanked out, positions and lines kept. */
    expect_fit(DIALECT_POSTGRESQL, "CREATE TABLE a (x INT);\nBEGIN;\nALTER TYPE e RENAME TO f;\nCOMMIT;\nDROP TABLE b;",
               "=CREATE TABLE a (x INT);\n      \nALTER TYPE e RENAME TO f;\n       \nDROP TABLE b;");
    expect_fit(DIALECT_SQLITE, "begin transaction; create table a (x);\nend transaction",
               "=                   create table a (x);\n               ");
    expect_fit(DIALECT_POSTGRESQL, "START TRANSACTION ISOLATION LEVEL SERIALIZABLE; SELECT 1; COMMIT WORK;",
               "=                                                SELECT 1;             ");
}

/* needs_autocommit(dialect, script): "" when it runs in a transaction, else
   what zmc says about it ("line 2: VACUUM ..."), prefix-matched. */
static void expect_autocommit(const zmc_dialect *d, const char *script, const char *want)
{
    char *why = NULL;
    bool needs = zm_db_script_needs_autocommit(d, script, &why);
    if (!*want) cr_expect(!needs, "%s: runs outside a transaction (%s)", script, why ? why : "");
    else cr_expect(needs && why && strncmp(why, want, strlen(want)) == 0, "%s: %s, want %s", script,
                   why ? why : "(nothing)", want);
    free(why);
}

Test(script, postgresql_parser_finds_what_cannot_run_in_a_transaction)
{
    const zmc_dialect *pg = DIALECT_POSTGRESQL;
    expect_autocommit(pg, "CREATE TABLE a (x INT);\nCREATE INDEX CONCURRENTLY i ON a (x);",
                      "line 2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
    expect_autocommit(pg, "create unique index concurrently if not exists i on a (x)",
                      "line 1: CREATE UNIQUE INDEX CONCURRENTLY");
    expect_autocommit(pg, "DROP INDEX CONCURRENTLY i;", "line 1: DROP INDEX CONCURRENTLY");
    expect_autocommit(pg, "REINDEX (CONCURRENTLY) INDEX i;", "line 1: REINDEX CONCURRENTLY");
    expect_autocommit(pg, "/* tidy */\n\nVACUUM ANALYZE a;", "line 3: VACUUM");
    expect_autocommit(pg, "ALTER SYSTEM SET work_mem = '64MB';", "line 1: ALTER SYSTEM");
    expect_autocommit(pg, "ALTER TYPE e ADD VALUE 'B';\nUPDATE t SET c = 'B';",
                      "line 1: ALTER TYPE ... ADD VALUE adds an enum value that a later statement uses");
    expect_autocommit(pg, "INSERT INTO t VALUES ('x');\nALTER TYPE e ADD VALUE IF NOT EXISTS 'B' BEFORE 'C';\n"
                          "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'B'::e;",
                      "line 2: ALTER TYPE ... ADD VALUE");
    /* what runs in a transaction: the words in comments, strings, bodies
       and names; the value added but not used; ANALYZE; CLUSTER of a table */
    expect_autocommit(pg, "-- CREATE INDEX CONCURRENTLY i ON a (x);\nSELECT 'VACUUM';", "");
    expect_autocommit(pg, "CREATE INDEX \"CONCURRENTLY\" ON a (x);", "");
    expect_autocommit(pg, "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$;", "");
    expect_autocommit(pg, "ALTER TYPE e ADD VALUE 'B';\nALTER TYPE e RENAME VALUE 'A' TO 'Z';", "");
    expect_autocommit(pg, "ALTER TYPE e ADD VALUE 'B';\nCOMMENT ON TYPE e IS 'has B';", "");
    expect_autocommit(pg, "ANALYZE a; CLUSTER a USING i;", "");
    /* a script the parser refuses runs as before: the server reports it */
    expect_autocommit(pg, "CREATE INDEX CONCURRENTLY ON;", "");
    /* no parser, or DDL that commits itself anyway: never */
    expect_autocommit(DIALECT_SQLITE, "VACUUM;", "");
    expect_autocommit(DIALECT_MYSQL, "CREATE INDEX i ON a (x) ALGORITHM=INPLACE LOCK=NONE;", "");
}

Test(script, postgresql_parser_places_each_statement)
{
    const zmc_dialect *pg = DIALECT_POSTGRESQL;
    const char *script = "-- header\nCREATE TABLE a (x INT);\n\n  /* c */ CREATE INDEX CONCURRENTLY i ON a (x);\n";
    zmc_sql_analysis *a = NULL;
    zm_db_error err = {0};
    cr_assert_eq(zm_db_script_analyse(pg, script, &a, &err), ZM_DB_OK, "%s", err.message ? err.message : "");
    cr_assert_eq(a->count, 2);
    const zmc_sql_statement *s0 = zmc_sql_statement_at(a, 0), *s1 = zmc_sql_statement_at(a, 1);
    cr_expect_eq(s0->line, 2);
    cr_expect_str_eq(s0->kind, "CREATE TABLE");
    cr_expect_eq(strncmp(script + s0->offset, "CREATE TABLE a", 14), 0);
    cr_expect_eq(s1->line, 4);
    cr_expect_str_eq(s1->kind, "CREATE INDEX CONCURRENTLY");
    cr_expect_eq(strncmp(script + s1->offset, "CREATE INDEX CONCURRENTLY", 25), 0);
    cr_expect(s1->flags & ZMC_SQL_NO_TRANSACTION);
    cr_expect(s1->hint && strstr(s1->hint, "INVALID"));
    zm_db_analysis_free(pg, a);
    /* a syntax error: the parser's message, the line, the statement */
    cr_expect_eq(zm_db_script_analyse(pg, "SELECT 1;\nCREATE TABLE (;", &a, &err), ZM_DB_ESQL);
    cr_expect(err.message && strstr(err.message, "syntax error") && strstr(err.message, "line 2"), "%s",
              err.message ? err.message : "");
    zm_db_error_clear(&err);
    /* a dialect without a parser says so */
    cr_expect_eq(zm_db_script_analyse(DIALECT_SQLITE, "SELECT 1", &a, &err), ZM_DB_EMISUSE);
    zm_db_error_clear(&err);
}

Test(script, other_transaction_control_is_refused)
{
    expect_fit(DIALECT_SQLITE, "CREATE TABLE a (x);\n\nROLLBACK;\nCREATE TABLE b (x);", "!3 ROLLBACK");
    expect_fit(DIALECT_POSTGRESQL, "CREATE TABLE a (x INT);\nCOMMIT;\nSELECT 1/0;", "!2 COMMIT");
    expect_fit(DIALECT_POSTGRESQL, "BEGIN;\nCREATE TABLE a (x INT);", "!1 BEGIN");
    expect_fit(DIALECT_POSTGRESQL, "BEGIN; BEGIN; COMMIT; COMMIT;", "!1 BEGIN");
    expect_fit(DIALECT_POSTGRESQL, "SAVEPOINT s; SELECT 1; RELEASE s;", "!1 SAVEPOINT s");
    expect_fit(DIALECT_SQLITE, "select 1;\n  -- a comment\n  release zm_migration;", "!3 release zm_migration");
    expect_fit(DIALECT_POSTGRESQL, "PREPARE TRANSACTION 'x';", "!1 PREPARE TRANSACTION 'x'");
    expect_fit(DIALECT_POSTGRESQL, "COMMIT PREPARED 'x';", "!1 COMMIT PREPARED 'x'");
    expect_fit(DIALECT_POSTGRESQL, "abort", "!1 abort");
    expect_fit(DIALECT_POSTGRESQL, "BEGIN; SELECT 1; ROLLBACK;", "!1 ROLLBACK");
}

/* ---- the SQLite driver ------------------------------------------------------------ */

static char dir[64];
static char dbpath[128];

static void make_dir(void)
{
    strcpy(dir, "/tmp/zmc-db-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(dbpath, sizeof dbpath, "%s/sub/dev.db", dir);
}

static void remove_dir(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static zm_db *open_sqlite(bool create)
{
    zm_db_url u = {.dialect = DIALECT_SQLITE, .path = dbpath};
    zm_db *db = NULL;
    zm_db_error err = {0};
    zm_db_status st = zm_db_connect(&u, create, &db, &err);
    cr_assert_eq(st, ZM_DB_OK, "%s", err.message ? err.message : "");
    return db;
}

TestSuite(sqlite, .init = make_dir, .fini = remove_dir);

Test(sqlite, missing_file_without_create)
{
    zm_db_url u = {.dialect = DIALECT_SQLITE, .path = dbpath};
    zm_db *db = NULL;
    zm_db_error err = {0};
    cr_assert_eq(zm_db_connect(&u, false, &db, &err), ZM_DB_ECONNECT);
    cr_assert(strstr(err.message, "does not exist"), "%s", err.message);
    zm_db_error_clear(&err);
    cr_assert_null(db);
}

Test(sqlite, execute_query_and_errors)
{
    zm_db *db = open_sqlite(true);
    cr_assert_eq(zm_db_dialect(db), DIALECT_SQLITE);
    zm_db_error err = {0};
    cr_assert_eq(zm_db_execute(db,
                               "-- CreateTable\nCREATE TABLE \"T\" (id INTEGER PRIMARY KEY, name TEXT);\n"
                               "INSERT INTO \"T\" (name) VALUES ('a;b'), (NULL);\n",
                               &err),
                 ZM_DB_OK);
    zm_db_rows rows;
    const char *params[] = {"1"};
    cr_assert_eq(zm_db_query(db, "SELECT id, name FROM \"T\" WHERE id >= ?1 ORDER BY id", 1, params, &rows, &err),
                 ZM_DB_OK);
    cr_assert_eq(rows.nrows, 2);
    cr_assert_eq(rows.ncols, 2);
    cr_assert_str_eq(rows.names[1], "name");
    cr_assert_str_eq(ZM_DB_CELL(&rows, 0, 1), "a;b");
    cr_assert_null(ZM_DB_CELL(&rows, 1, 1));
    zm_db_rows_free(&rows);

    /* The failing statement is the one reported, with SQLite's message. */
    cr_assert_eq(zm_db_execute(db, "CREATE TABLE ok1 (x INT);\n\n-- Broken\nCREATE TABLE \"T\" (x INT);\nCREATE TABLE ok2 (x INT);", &err),
                 ZM_DB_ESQL);
    cr_assert_str_eq(err.statement, "CREATE TABLE \"T\" (x INT);");
    cr_assert(strstr(err.message, "already exists"), "%s", err.message);
    cr_assert_not_null(err.code);
    cr_assert_eq(zm_db_query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'ok2'", 0, NULL, &rows, &err),
                 ZM_DB_OK);
    cr_assert_str_eq(ZM_DB_CELL(&rows, 0, 0), "0", "execution stops at the failing statement");
    zm_db_rows_free(&rows);

    /* A constraint violation at run time, not at prepare time. */
    cr_assert_eq(zm_db_execute(db, "INSERT INTO \"T\" (id) VALUES (1);", &err), ZM_DB_ESQL);
    cr_assert_str_eq(err.statement, "INSERT INTO \"T\" (id) VALUES (1);");
    cr_assert(strstr(err.message, "UNIQUE"), "%s", err.message);
    zm_db_error_clear(&err);
    zm_db_close(db);
}

Test(sqlite, rollback_undoes_ddl)
{
    zm_db *db = open_sqlite(true);
    zm_db_error err = {0};
    cr_assert_eq(zm_db_begin(db, &err), ZM_DB_OK);
    cr_assert_eq(zm_db_execute(db, "CREATE TABLE gone (x INT);", &err), ZM_DB_OK);
    cr_assert_eq(zm_db_rollback(db, &err), ZM_DB_OK);
    zm_db_rows rows;
    cr_assert_eq(zm_db_query(db, "SELECT count(*) FROM sqlite_master", 0, NULL, &rows, &err), ZM_DB_OK);
    cr_assert_str_eq(ZM_DB_CELL(&rows, 0, 0), "0");
    zm_db_rows_free(&rows);
    zm_db_close(db);
}

Test(sqlite, foreign_keys_are_enforced)
{
    zm_db *db = open_sqlite(true);
    zm_db_error err = {0};
    cr_assert_eq(zm_db_execute(db,
                               "CREATE TABLE p (id INTEGER PRIMARY KEY);"
                               "CREATE TABLE c (p INTEGER REFERENCES p(id));",
                               &err),
                 ZM_DB_OK);
    cr_assert_eq(zm_db_execute(db, "INSERT INTO c VALUES (42);", &err), ZM_DB_ESQL);
    cr_assert(strstr(err.message, "FOREIGN KEY"), "%s", err.message);
    zm_db_error_clear(&err);
    zm_db_close(db);
}

Test(sqlite, lock_excludes_a_second_connection)
{
    zm_db *a = open_sqlite(true), *b = open_sqlite(false);
    zm_db_error err = {0};
    cr_assert_eq(zm_db_execute(a, "CREATE TABLE t (x INT);", &err), ZM_DB_OK);
    cr_assert_eq(zm_db_lock(a, 1000, &err), ZM_DB_OK);
    cr_assert_eq(zm_db_lock(b, 200, &err), ZM_DB_ELOCK);
    zm_db_error_clear(&err);
    cr_assert_eq(zm_db_unlock(a, &err), ZM_DB_OK);
    cr_assert_eq(zm_db_lock(b, 1000, &err), ZM_DB_OK, "%s", err.message ? err.message : "");
    zm_db_close(a);
    zm_db_close(b);
}
