/*
** db.h — connections to real databases: one interface over the driver of
** each dialect (zmc/dialect.h), found through the URL's scheme.
**
**     zm_db_url url;  zm_db_error err = {0};  zm_db *db;
**     if (zm_db_url_parse("postgresql://u:pw@localhost:5432/app?schema=s", ".", &url, &err.message) == 0 &&
**         zm_db_connect(&url, false, &db, &err) == ZM_DB_OK) {
**         zm_db_execute(db, "CREATE TABLE t (id INT);", &err);
**         zm_db_close(db);
**     }
**     zm_db_error_clear(&err);  zm_db_url_free(&url);
**
** Every failure fills a zm_db_error with the database's own message and,
** for a statement, the statement that failed: commands print both, so the
** user sees what the database saw. Passwords never appear in a message or
** a displayed URL (they read "****").
**
** Migrations are applied as the dialect's descriptor says: in a
** transaction with their record where DDL is transactional, else statement
** by statement, with how far a failed one got. Transactions and the
** migration lock are separate calls.
**
** The host (zmc) implements it over the dialect modules' drivers. A module
** compiled with ZMC_PLUGIN calls the same names; they go through the host's
** table (zmc_host.db, ZMC_PLUGIN_DB), so the module links nothing of zmc.
*/
#ifndef ZMC_DB_H
#define ZMC_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "zmc/dialect.h"
#include "zmc/ir.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- URLs ------------------------------------------------------------------------- */

/* Parse a datasource URL for the dialect whose url_schemes hold its
   scheme: `scheme:PATH` (file dialects; a relative PATH is taken from
   `base_dir`, the schema's folder, as Prisma does) or
   `scheme://user:password@host:port/database?params` (servers). Returns 0,
   or -1 with *error set (malloc'ed; it never contains the password). */
int zm_db_url_parse(const char *url, const char *base_dir, zm_db_url *out, char **error);
void zm_db_url_free(zm_db_url *url);
/* The URL for messages, password masked: "postgresql://u:****@h:5432/db?schema=s",
   "file:/abs/dev.db". Malloc'ed. */
char *zm_db_url_display(const zm_db_url *url);
/* Where it is, for connection errors: "localhost:5432", or the SQLite file. Malloc'ed. */
char *zm_db_url_location(const zm_db_url *url);
/* `text` with any password in a URL inside it replaced by "****". Malloc'ed. */
char *zm_db_mask_passwords(const char *text);

/* ---- errors ----------------------------------------------------------------------- */

void zm_db_error_clear(zm_db_error *err);

/* ---- connections ------------------------------------------------------------------ */

typedef struct zm_db zm_db;

/* Connect. SQLite creates the file (and its folders) when `create` is set,
   else a missing file is ZM_DB_ECONNECT. PostgreSQL sets the search path
   to the URL's schema. */
zm_db_status zm_db_connect(const zm_db_url *url, bool create, zm_db **out, zm_db_error *err);
void zm_db_close(zm_db *db);
const zmc_dialect *zm_db_dialect(const zm_db *db);
/* The schema statements use: the URL's (PostgreSQL's ?schema=, MySQL's
   database), else "main" (SQLite). */
const char *zm_db_schema(const zm_db *db);

/* Run a script of any number of statements. */
zm_db_status zm_db_execute(zm_db *db, const char *script, zm_db_error *err);

/* One statement with text parameters, written with the dialect's
   param_prefix ($1, $2; ?1, ?2). */
zm_db_status zm_db_query(zm_db *db, const char *sql, size_t nparams, const char *const *params,
                         zm_db_rows *out, zm_db_error *err);
void zm_db_rows_free(zm_db_rows *rows);

/* Run a migration script all-or-nothing, and restore the database as it
   was when a statement fails. PostgreSQL: one implicit transaction (the
   script as one message). SQLite: foreign keys off outside a transaction
   (so a table redefinition's DROP TABLE fires no ON DELETE actions), the
   script in a transaction, `PRAGMA foreign_key_check` before COMMIT (a
   violation rolls back), foreign keys on again. */
zm_db_status zm_db_apply_script(zm_db *db, const char *script, zm_db_error *err);
/* The same, with `epilogue` (e.g. the migration's record) run in the same
   transaction after the script, so both happen or neither does. */
zm_db_status zm_db_apply_script_then(zm_db *db, const char *script, const char *epilogue, zm_db_error *err);
/* The same inside a transaction the caller holds (SQLite, with foreign keys
   already off): the script and the epilogue in a savepoint, released when
   both ran and `PRAGMA foreign_key_check` finds nothing, else rolled back
   to, so the caller's transaction goes on without any of it. */
zm_db_status zm_db_apply_in_savepoint(zm_db *db, const char *script, const char *epilogue, zm_db_error *err);
/* A migration script made fit to run inside zmc's transaction (script.c):
   ZM_DB_OK with *out NULL when it runs as written, or a copy (malloc'ed)
   with its BEGIN; ... COMMIT; blocks blanked out; ZM_DB_ESQL when it holds
   any other transaction control (ROLLBACK, SAVEPOINT, RELEASE, a COMMIT
   midway, ...), with the statement and its line in *err. The apply
   functions above call it first, and run nothing of a refused script. */
zm_db_status zm_db_script_for_transaction(const zmc_dialect *dialect, const char *script, char **out,
                                          zm_db_error *err);
/* Does a statement of the script reach one of `names` (databases of the
   server: `db`.`table`, db.table), switch databases (USE) or attach one
   (ATTACH)? ZM_DB_ESQL
   with the statement and its line in *err when one does. */
zm_db_status zm_db_script_names_database(const zmc_dialect *dialect, const char *script, const char *const *names,
                                         size_t count, zm_db_error *err);
/* The statements of a script as the dialect's own parser reads them (its
   driver's analyse(), zmc/dialect.h): where each starts, what it is, and
   what it needs (ZMC_SQL_NO_TRANSACTION, ...). ZM_DB_EMISUSE when the
   dialect's driver has no parser (only PostgreSQL's has one), ZM_DB_ESQL
   with the parser's message and statement when it cannot read the script.
   Release *out with zm_db_analysis_free(). */
zm_db_status zm_db_script_analyse(const zmc_dialect *d, const char *script, zmc_sql_analysis **out,
                                  zm_db_error *err);
void zm_db_analysis_free(const zmc_dialect *d, zmc_sql_analysis *a);
/* Must the script run outside a transaction, statement by statement? True
   on a dialect with transactional DDL when its parser finds a statement the
   database refuses inside a transaction block (CREATE INDEX CONCURRENTLY,
   VACUUM, ...) or an enum value added and used in the same script; *why
   (malloc'ed, or NULL) says which, with its line. False otherwise, and for
   a script the parser cannot read (the database reports that when it runs). */
bool zm_db_script_needs_autocommit(const zmc_dialect *d, const char *script, char **why);

/* How a migration script runs: in one transaction with its epilogue, or
   statement by statement, because the dialect's DDL commits as it runs
   (MySQL) or because the script holds what cannot run in a transaction
   (`why` then says which: "line 2: CREATE INDEX CONCURRENTLY cannot ..."). */
typedef struct zm_db_migration_plan {
    bool stepwise;
    char why[256];          /* "" unless stepwise for the script's sake */
    size_t done, total;     /* after a stepwise run: the statements run before the failing one, and the count */
} zm_db_migration_plan;
/* Decide how `script` runs on `db` (nothing runs). */
void zm_db_plan_migration(zm_db *db, const char *script, zm_db_migration_plan *plan);
/* Run it as planned, then `epilogue` (may be NULL): deploy's migration with
   its record, migrate down's script with its record's removal, db execute. */
zm_db_status zm_db_apply_migration(zm_db *db, const char *script, const char *epilogue, zm_db_migration_plan *plan,
                                   zm_db_error *err);
/* The statements of a script as the database splits them (quotes,
   comments, dollar bodies, CREATE ... BEGIN ... END respected), each
   without its semicolon. Returns the count, *out malloc'ed (NULL when out
   of memory or empty); free with zm_db_script_free(). */
size_t zm_db_script_split(const zmc_dialect *dialect, const char *script, char ***out);
void zm_db_script_free(char **statements, size_t n);
/* Where the statements of a script are, split as zm_db_script_split()
   splits it: the offset of each (past leading blanks), its length (without
   its semicolon) and its line. Returns the count, *out malloc'ed (free()). */
typedef struct zm_db_span {
    size_t offset, length;
    unsigned line;
} zm_db_span;
size_t zm_db_script_spans(const zmc_dialect *dialect, const char *script, zm_db_span **out);

/* What the driver has to report about the statements run on `db` since the
   last call (zmc_db_driver.notes: on a Galera cluster, the time DDL held
   the cluster under Total Order Isolation), one line, malloc'ed; NULL when
   nothing. */
char *zm_db_take_notes(zm_db *db);
/* A migration on a dialect without transactional DDL: each statement on
   its own, then `epilogue`. *done is how many statements ran before one
   failed (all of them on success); what ran stays. */
zm_db_status zm_db_apply_statements(zm_db *db, const char *script, const char *epilogue, size_t *done,
                                    size_t *total, zm_db_error *err);
/* SQLite: the transaction zm_db_apply_in_savepoint() runs in. Begin turns
   foreign keys off and takes the write lock; end commits (rolling back if
   COMMIT fails) and turns foreign keys on again. */
zm_db_status zm_db_begin_migrations(zm_db *db, zm_db_error *err);
zm_db_status zm_db_end_migrations(zm_db *db, zm_db_error *err);

/* CREATE DATABASE / DROP DATABASE of a server URL's database, through the
   dialect's driver; ZM_DB_EMISUSE when the dialect has no databases to
   create (a file is created by connecting). */
zm_db_status zm_db_create_database(const zm_db_url *url, zm_db_error *err);
zm_db_status zm_db_drop_database(const zm_db_url *url, zm_db_error *err);
/* Can the dialect create and drop databases? */
bool zm_db_can_create_databases(const zmc_dialect *d);

/* Drop everything the connection's schema holds: every SQLite table, view
   and trigger; PostgreSQL's schema, dropped with CASCADE and created empty. */
zm_db_status zm_db_reset(zm_db *db, zm_db_error *err);
/* The same for namespace `ns` of the connected database (PostgreSQL
   multiSchema: each namespace of the datasource's `schemas` list). */
zm_db_status zm_db_reset_namespace(zm_db *db, const char *ns, zm_db_error *err);

/* The name quoted with the dialect's identifier quote, doubled inside, for
   building statements. Malloc'ed. */
char *zm_db_quote_ident(const zmc_dialect *d, const char *name);
/* "$1" / "?1": parameter n (1-based) of the dialect's statements. */
const char *zm_db_param_at(const zmc_dialect *d, int n);

zm_db_status zm_db_begin(zm_db *db, zm_db_error *err);
zm_db_status zm_db_commit(zm_db *db, zm_db_error *err);
zm_db_status zm_db_rollback(zm_db *db, zm_db_error *err);

/* The migration lock, held until zm_db_unlock() or the connection closes:
   PostgreSQL's advisory lock 72707369 (Prisma Migrate's), SQLite's
   exclusive locking mode. Waits up to `timeout_ms`, then ZM_DB_ELOCK. */
zm_db_status zm_db_lock(zm_db *db, int timeout_ms, zm_db_error *err);
zm_db_status zm_db_unlock(zm_db *db, zm_db_error *err);

/* Stopping a long statement when the user interrupts: arm with the
   connection that will run it (false when its driver cannot: SQLite),
   then a signal handler may call zm_db_interrupt(), which is
   async-signal-safe and makes the running statement fail (PostgreSQL:
   a cancel request). One connection at a time; disarm when done. */
bool zm_db_interrupt_arm(zm_db *db);
void zm_db_interrupt(void);
void zm_db_interrupt_disarm(void);

/* ---- the schema's datasource ------------------------------------------------------ */

/* The URL of the schema's datasource (or, with `key`, another of its
   entries such as "shadowDatabaseUrl"), parsed. Loads `.env` from the
   working directory and from the schema's folder first. A relative SQLite
   path is taken from the schema's folder. Errors say which entry and which
   variable; they never contain a password. Returns 0, 1 when the entry is
   absent and optional (`key` other than "url"), or -1 with *error set
   (malloc'ed). */
int zm_datasource_url(const zm_ir *ir, const char *schema_path, const char *key, zm_db_url *out,
                      char **error);
/* Load a .env file into the environment; variables already set win.
   Returns 0, or -1 when the file cannot be read. */
int zm_dotenv_load(const char *path);

/* ---- for loadable modules --------------------------------------------------------- */

/* Every function above, in the table the host hands to modules. Append new
   functions at the end: the order is part of the ABI. */
#define ZM_DB_API_FUNCTIONS(X) \
    X(zm_db_url_parse) \
    X(zm_db_connect) \
    X(zm_db_execute) \
    X(zm_db_close) \
    X(zm_db_error_clear) \
    X(zm_db_url_free) \
    X(zm_db_url_display) \
    X(zm_db_url_location) \
    X(zm_db_mask_passwords) \
    X(zm_db_dialect) \
    X(zm_db_schema) \
    X(zm_db_query) \
    X(zm_db_rows_free) \
    X(zm_db_apply_script) \
    X(zm_db_apply_script_then) \
    X(zm_db_apply_in_savepoint) \
    X(zm_db_script_for_transaction) \
    X(zm_db_script_names_database) \
    X(zm_db_script_free) \
    X(zm_db_script_split) \
    X(zm_db_apply_statements) \
    X(zm_db_begin_migrations) \
    X(zm_db_end_migrations) \
    X(zm_db_create_database) \
    X(zm_db_drop_database) \
    X(zm_db_can_create_databases) \
    X(zm_db_reset) \
    X(zm_db_quote_ident) \
    X(zm_db_param_at) \
    X(zm_db_begin) \
    X(zm_db_commit) \
    X(zm_db_rollback) \
    X(zm_db_unlock) \
    X(zm_db_lock) \
    X(zm_db_interrupt) \
    X(zm_db_interrupt_arm) \
    X(zm_db_interrupt_disarm) \
    X(zm_datasource_url) \
    X(zm_db_script_analyse) \
    X(zm_db_analysis_free) \
    X(zm_db_script_needs_autocommit) \
    X(zm_dotenv_load) \
    X(zm_db_plan_migration) \
    X(zm_db_apply_migration) \
    X(zm_db_script_spans) \
    X(zm_db_take_notes) \
    X(zm_db_reset_namespace)

typedef struct zm_db_api {
    size_t size;            /* sizeof(zm_db_api) of the host */
#define ZM_DB_API_FIELD(f) __typeof__(&f) f;
    ZM_DB_API_FUNCTIONS(ZM_DB_API_FIELD)
#undef ZM_DB_API_FIELD
} zm_db_api;

/* The host's table. */
extern const zm_db_api zm_db_api_table;

/* In one source file of a module: the table pointer the names go through. */
#define ZMC_PLUGIN_DB const zm_db_api *zmc_plugin_db

#if defined(ZMC_PLUGIN) && !defined(ZMC_DB_IMPL)
extern const zm_db_api *zmc_plugin_db;
#define zm_db_url_parse (zmc_plugin_db->zm_db_url_parse)
#define zm_db_connect (zmc_plugin_db->zm_db_connect)
#define zm_db_execute (zmc_plugin_db->zm_db_execute)
#define zm_db_close (zmc_plugin_db->zm_db_close)
#define zm_db_error_clear (zmc_plugin_db->zm_db_error_clear)
#define zm_db_url_free (zmc_plugin_db->zm_db_url_free)
#define zm_db_url_display (zmc_plugin_db->zm_db_url_display)
#define zm_db_url_location (zmc_plugin_db->zm_db_url_location)
#define zm_db_mask_passwords (zmc_plugin_db->zm_db_mask_passwords)
#define zm_db_dialect (zmc_plugin_db->zm_db_dialect)
#define zm_db_schema (zmc_plugin_db->zm_db_schema)
#define zm_db_query (zmc_plugin_db->zm_db_query)
#define zm_db_rows_free (zmc_plugin_db->zm_db_rows_free)
#define zm_db_apply_script (zmc_plugin_db->zm_db_apply_script)
#define zm_db_apply_script_then (zmc_plugin_db->zm_db_apply_script_then)
#define zm_db_apply_in_savepoint (zmc_plugin_db->zm_db_apply_in_savepoint)
#define zm_db_script_for_transaction (zmc_plugin_db->zm_db_script_for_transaction)
#define zm_db_script_names_database (zmc_plugin_db->zm_db_script_names_database)
#define zm_db_script_free (zmc_plugin_db->zm_db_script_free)
#define zm_db_script_split (zmc_plugin_db->zm_db_script_split)
#define zm_db_apply_statements (zmc_plugin_db->zm_db_apply_statements)
#define zm_db_begin_migrations (zmc_plugin_db->zm_db_begin_migrations)
#define zm_db_end_migrations (zmc_plugin_db->zm_db_end_migrations)
#define zm_db_create_database (zmc_plugin_db->zm_db_create_database)
#define zm_db_drop_database (zmc_plugin_db->zm_db_drop_database)
#define zm_db_can_create_databases (zmc_plugin_db->zm_db_can_create_databases)
#define zm_db_reset (zmc_plugin_db->zm_db_reset)
#define zm_db_reset_namespace (zmc_plugin_db->zm_db_reset_namespace)
#define zm_db_quote_ident (zmc_plugin_db->zm_db_quote_ident)
#define zm_db_param_at (zmc_plugin_db->zm_db_param_at)
#define zm_db_begin (zmc_plugin_db->zm_db_begin)
#define zm_db_commit (zmc_plugin_db->zm_db_commit)
#define zm_db_rollback (zmc_plugin_db->zm_db_rollback)
#define zm_db_unlock (zmc_plugin_db->zm_db_unlock)
#define zm_db_lock (zmc_plugin_db->zm_db_lock)
#define zm_db_interrupt (zmc_plugin_db->zm_db_interrupt)
#define zm_db_interrupt_arm (zmc_plugin_db->zm_db_interrupt_arm)
#define zm_db_interrupt_disarm (zmc_plugin_db->zm_db_interrupt_disarm)
#define zm_datasource_url (zmc_plugin_db->zm_datasource_url)
#define zm_db_script_analyse (zmc_plugin_db->zm_db_script_analyse)
#define zm_db_analysis_free (zmc_plugin_db->zm_db_analysis_free)
#define zm_db_script_needs_autocommit (zmc_plugin_db->zm_db_script_needs_autocommit)
#define zm_dotenv_load (zmc_plugin_db->zm_dotenv_load)
#define zm_db_plan_migration (zmc_plugin_db->zm_db_plan_migration)
#define zm_db_apply_migration (zmc_plugin_db->zm_db_apply_migration)
#define zm_db_script_spans (zmc_plugin_db->zm_db_script_spans)
#define zm_db_take_notes (zmc_plugin_db->zm_db_take_notes)
#endif

#ifdef __cplusplus
}
#endif

#endif
