/*
** dialect.h — a database, as zmc knows it: one const descriptor per
** database (SQLite, PostgreSQL, MySQL, or a third party's), found by the
** datasource's provider name. Nothing outside a dialect's folder asks which
** database it talks to: it reads the descriptor.
**
** A dialect is a module (see zmc/plugin.h) of kind ZMC_PLUGIN_DIALECT whose
** descriptor points at a zmc_dialect:
**
**     static const zmc_dialect mine = {
**         ZMC_DIALECT_HEADER("litefile", "LiteFile"),
**         .url_schemes = (const char *const[]){"litefile", NULL},
**         .url_form = ZMC_URL_FILE,
**         .sql_flavor = "sqlite",         // writes SQLite's SQL
**         .driver_module = "db_litefile",  // connects through this module
**         ...
**     };
**     ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
**         ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DIALECT, "dialect_litefile", "1.0.0", "LiteFile databases"),
**         .dialect = &mine,
**     };
**
** The module is named `dialect_<provider>` and found through the plugin
** folders ($ZMC_PLUGIN_PATH first). It holds what zmc needs to know of the
** database without connecting: identifier rules, which SQL it speaks (the
** SQL backend's flavour of that name: types, DDL, diff, catalog reading),
** what its DDL can do inside a transaction, the `_prisma_migrations` table
** as Prisma creates it there, the migration lock, how a shadow database is
** made. The driver, which links the database's client library, is a module
** of its own (kind ZMC_PLUGIN_DRIVER, named by `driver_module`), loaded
** only when a connection is opened: compiling a schema never loads libpq.
**
** Every string is UTF-8 and NUL-terminated; lists end with NULL. Structs
** carry their size, so fields appended in a later minor ABI are read only
** when present.
*/
#ifndef ZMC_DIALECT_H
#define ZMC_DIALECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header's structs (zmc_dialect, zmc_db_driver). A
   host accepts a dialect of its own major and a minor not newer. */
#define ZMC_DIALECT_ABI_MAJOR 1
#define ZMC_DIALECT_ABI_MINOR 2

typedef struct zmc_dialect zmc_dialect;

/* ---- connections: what a driver fills in ------------------------------------------ */

typedef enum zm_db_status {
    ZM_DB_OK = 0,
    ZM_DB_ECONNECT,         /* cannot reach or open the database */
    ZM_DB_ESQL,             /* the database refused a statement */
    ZM_DB_ELOCK,            /* the migration lock was not acquired in time */
    ZM_DB_EMISUSE,          /* unsupported dialect, bad argument, out of memory */
    ZM_DB_ENODB             /* connect: the server is there, the database is not (commands may create it) */
} zm_db_status;

/* Every failure fills one: the database's own message and, for a
   statement, the statement. Fields are malloc'ed (the host frees them). */
typedef struct zm_db_error {
    char *message;          /* the database's message, or NULL */
    char *statement;        /* the failing statement, or NULL */
    char *code;             /* SQLSTATE, SQLite's error name, MySQL's error number, or NULL */
} zm_db_error;

typedef struct zm_db_param {
    char *key, *value;
} zm_db_param;

/* A parsed datasource URL; every string malloc'ed or NULL. */
typedef struct zm_db_url {
    const zmc_dialect *dialect;
    char *path;             /* file URLs: the database file, resolved; ":memory:" in memory */
    char *host, *port;      /* server URLs: NULL when absent (the driver's defaults) */
    char *user, *password, *database;
    char *schema;           /* what the database's objects are read from: PostgreSQL's
                               ?schema= (default "public"), MySQL's database, SQLite's "main" */
    zm_db_param *params;    /* parameters the dialect passes on to its driver */
    size_t nparams;
    char **ignored;         /* parameters zmc does not use (connection_limit, ...) */
    size_t nignored;
} zm_db_url;

/* Append key=value (copied) to u->params: what a dialect's url_param hook
   does with a parameter its driver takes. False when memory ran out. */
static inline char *zm_db_copy_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = (char *)malloc(n);
    return c ? (char *)memcpy(c, s, n) : NULL;
}

static inline bool zm_db_url_add_param(zm_db_url *u, const char *key, const char *value)
{
    zm_db_param *p = (zm_db_param *)realloc(u->params, (u->nparams + 1) * sizeof *p);
    if (!p) return false;
    u->params = p;
    char *k = zm_db_copy_text(key), *v = zm_db_copy_text(value);
    if (!k || !v) {
        free(k);
        free(v);
        return false;
    }
    u->params[u->nparams++] = (zm_db_param){k, v};
    return true;
}

/* Rows of a query, every value as text (NULL for SQL NULL), malloc'ed. */
typedef struct zm_db_rows {
    size_t nrows, ncols;
    char **names;           /* ncols column names */
    char **cells;           /* nrows * ncols, row-major */
} zm_db_rows;

#define ZM_DB_CELL(r, row, col) ((r)->cells[(row) * (r)->ncols + (col)])

/* A driver: the database's client library behind one table. `conn` is the
   driver's own connection. Statements may carry parameters written
   `<param_prefix>N` of the dialect (1-based), every value text. */
/* ---- statements, as the database's own parser reads them ------------------------ */

/* What a statement needs (zmc_sql_statement.flags). */
enum {
    /* The database refuses it inside a transaction block (PostgreSQL:
       CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, VACUUM, ...). */
    ZMC_SQL_NO_TRANSACTION = 1u << 0,
    /* It adds an enum value that a later statement of the same script uses:
       the value is not usable before the transaction that added it commits
       (PostgreSQL's "unsafe use of new value", 55P04). */
    ZMC_SQL_ENUM_VALUE_USED = 1u << 1,
    /* What it does to a table that has rows and traffic (PostgreSQL): */
    ZMC_SQL_BLOCKS_WRITES = 1u << 2,    /* builds an index without CONCURRENTLY: writes wait until it is built */
    ZMC_SQL_VALIDATES = 1u << 3,        /* adds a foreign key or CHECK without NOT VALID: checks every row under lock */
    ZMC_SQL_SET_NOT_NULL = 1u << 4,     /* SET NOT NULL: scans every row under an ACCESS EXCLUSIVE lock */
    ZMC_SQL_VOLATILE_DEFAULT = 1u << 5, /* adds a column whose default is volatile (random(), ...): rewrites the table */
    ZMC_SQL_RENAME_TABLE = 1u << 6,     /* renames `table` to `new_name` */
    ZMC_SQL_RENAME_COLUMN = 1u << 7,    /* renames `column` of `table` to `new_name` */
    ZMC_SQL_DROPS_INDEX = 1u << 8       /* drops index `object` without CONCURRENTLY: locks its table */
};

/* One statement of a script. Strings belong to the analysis. */
typedef struct zmc_sql_statement {
    size_t offset, length;      /* its bytes in the script */
    unsigned line;              /* the line it starts on, 1-based */
    unsigned flags;             /* ZMC_SQL_* */
    const char *kind;           /* what it is, in SQL words: "CREATE INDEX CONCURRENTLY" */
    const char *hint;           /* what a failure of it leaves behind and what to do, or NULL */
    const char *table;          /* the table it creates an index on, alters or renames, or NULL */
    const char *column;         /* the column of a flag that concerns one, or NULL */
    const char *new_name;       /* a rename's new name, or NULL */
    const char *object;         /* the index it drops, or NULL */
} zmc_sql_statement;

/* A script's statements in order. `statement_size` is sizeof(zmc_sql_statement)
   of the driver that made it: read the i-th with zmc_sql_statement_at(). */
typedef struct zmc_sql_analysis {
    size_t count;
    size_t statement_size;
    const zmc_sql_statement *statements;
} zmc_sql_analysis;

static inline const zmc_sql_statement *zmc_sql_statement_at(const zmc_sql_analysis *a, size_t i)
{
    return i < a->count ? (const zmc_sql_statement *)(const void *)((const char *)a->statements +
                                                                   i * a->statement_size)
                        : NULL;
}

typedef struct zmc_db_driver {
    uint32_t abi_major, abi_minor;
    size_t size;                /* sizeof(zmc_db_driver) of the module */

    /* Connect; a file database is created (with its folders) when `create`
       is set, else a missing one is ZM_DB_ECONNECT. Server databases set
       the URL's schema as the one statements use. */
    zm_db_status (*connect)(const zm_db_url *url, bool create, void **conn, zm_db_error *err);
    void (*close)(void *conn);
    /* Run a script of any number of statements, in order, stopping at the
       first that fails (err->statement names it). */
    zm_db_status (*execute)(void *conn, const char *script, zm_db_error *err);
    /* One statement with text parameters; the rows of its result. */
    zm_db_status (*query)(void *conn, const char *sql, size_t nparams, const char *const *params,
                          zm_db_rows *out, zm_db_error *err);

    /* The migration lock (Prisma's: an advisory lock, GET_LOCK, an exclusive
       file lock), held until unlock or close. Waits up to timeout_ms, then
       ZM_DB_ELOCK with a message that says what was waited for. */
    zm_db_status (*lock)(void *conn, int timeout_ms, zm_db_error *err);
    zm_db_status (*unlock)(void *conn, zm_db_error *err);

    /* Drop every object of the connection's schema (`migrate reset`), in
       one transaction where the database allows; the schema stays usable by
       whoever could use it. */
    zm_db_status (*reset)(void *conn, const char *schema, zm_db_error *err);

    /* Optional (servers). CREATE DATABASE / DROP DATABASE of the URL's
       database, through a connection to the server that does not need it.
       Drop of a database that does not exist succeeds. */
    zm_db_status (*create_database)(const zm_db_url *url, zm_db_error *err);
    zm_db_status (*drop_database)(const zm_db_url *url, zm_db_error *err);

    /* Optional: stopping the running statement from a signal handler.
       cancel_arm prepares what cancel_fire needs (NULL: cannot); fire is
       async-signal-safe; free releases it. */
    void *(*cancel_arm)(void *conn);
    void (*cancel_fire)(void *handle);
    void (*cancel_free)(void *handle);

    /* Optional (dialect ABI 1.1): the statements of `script` as the
       database's own parser reads them, without connecting. ZM_DB_OK with
       *out (release it with analysis_free), or ZM_DB_ESQL with the parser's
       message and the statement it stopped at in *err. */
    zm_db_status (*analyse)(const char *script, zmc_sql_analysis **out, zm_db_error *err);
    void (*analysis_free)(zmc_sql_analysis *a);

    /* Optional (dialect ABI 1.2): what the driver has to report about the
       statements run since it was last asked, for people, one line
       (Galera: how long DDL blocked the cluster, statements retried after
       losing certification); malloc'ed, NULL when nothing. */
    char *(*notes)(void *conn);
} zmc_db_driver;

/* ---- the dialect ------------------------------------------------------------------- */

typedef enum zmc_url_form {
    ZMC_URL_FILE = 1,           /* scheme:PATH, relative to the schema's folder */
    ZMC_URL_SERVER              /* scheme://user:password@host:port/database?params */
} zmc_url_form;

typedef enum zmc_shadow_kind {
    ZMC_SHADOW_MEMORY = 1,      /* a fresh database at `memory_url` */
    ZMC_SHADOW_DATABASE         /* a temporary database on the server (the driver's
                                   create_database), or the datasource's shadowDatabaseUrl */
} zmc_shadow_kind;

/* What the database's DDL can do (flags). */
enum {
    /* DDL runs in a transaction and rolls back with it: a migration and its
       record are applied together or not at all. Without it, a migration
       runs statement by statement and a failure midway is recorded with
       how far it got (MySQL commits each DDL statement). */
    ZMC_DIALECT_TRANSACTIONAL_DDL = 1u << 0,
    /* Pending migrations may be applied in one transaction, each in a
       savepoint (SQLite: one fsync instead of one per migration). */
    ZMC_DIALECT_BATCH_APPLY = 1u << 1,
    /* Schemas (namespaces) inside a database, which a rolled-back
       transaction can create and drop (PostgreSQL): the shadow's fallback
       when no database may be created. */
    ZMC_DIALECT_SCRATCH_SCHEMA = 1u << 2,
    /* PostgreSQL's dollar-quoted strings ($tag$ ... $tag$) in scripts. */
    ZMC_DIALECT_DOLLAR_QUOTES = 1u << 3,
    /* Backslash escapes inside '...' (MySQL). */
    ZMC_DIALECT_BACKSLASH_ESCAPES = 1u << 4,
    /* Extensions (CREATE EXTENSION) the shadow needs a database of its own for. */
    ZMC_DIALECT_EXTENSIONS = 1u << 5,
    /* Longer names are cut to name_limit without a word (PostgreSQL), so two
       names the same once cut are one; else longer names are refused. */
    ZMC_DIALECT_NAMES_CUT = 1u << 6,
    /* ZenStack's @fuzzy and @fullText search filters work on it (v3). */
    ZMC_DIALECT_TEXT_SEARCH = 1u << 7,
    /* A statement may reach another database (`db`.`t`, USE db: MySQL;
       ATTACH: SQLite), so a history replayed in a shadow database could
       reach the live one: such a history is refused there (other_databases
       lists the names to look for). */
    ZMC_DIALECT_CROSS_DATABASE = 1u << 8
};

struct zmc_dialect {
    uint32_t abi_major, abi_minor;
    size_t size;                        /* sizeof(zmc_dialect) of the module */
    const char *provider;               /* the datasource's provider: "postgresql" */
    const char *display_name;           /* for messages: "PostgreSQL" */
    const char *const *aliases;         /* other provider names ("postgres"), or NULL */

    /* URLs: the schemes that name this database ("postgresql", "postgres";
       "file" for SQLite), their form, and the port when none is given. */
    const char *const *url_schemes;
    zmc_url_form url_form;
    const char *default_port;
    /* Optional: take a URL parameter the dialect knows (set u->schema,
       u->host, or append to u->params); false leaves it to the ignored list. */
    bool (*url_param)(zm_db_url *u, const char *key, const char *value);

    /* Identifiers: the quote character, the longest name in bytes (0: none). */
    char ident_quote;
    unsigned name_limit;
    unsigned features;                  /* ZMC_DIALECT_* */

    /* The SQL it speaks: the SQL backend's flavour of this name ("sqlite",
       "postgresql", "mysql"): types and `@db.*` native types, DDL, what the
       diff alters in place and what it rebuilds, catalog reading. */
    const char *sql_flavor;

    /* The driver module (kind ZMC_PLUGIN_DRIVER), loaded on first connect. */
    const char *driver_module;

    /* Parameters in the statements below and in queries: "$" ($1, $2:
       PostgreSQL, MySQL through zmc's driver), "?" (?1, ?2: SQLite). */
    const char *param_prefix;

    /* Around a migration (transactional dialects): statements run before
       BEGIN and after COMMIT or ROLLBACK (SQLite turns foreign keys off so
       that a table rebuild fires no ON DELETE action), the statement that
       begins it, and a query run before COMMIT whose rows are violations
       (SQLite's foreign_key_check): any row rolls the migration back. */
    const char *apply_before, *apply_after, *apply_begin, *apply_check;

    /* `_prisma_migrations` as Prisma's connector creates it (CREATE TABLE
       IF NOT EXISTS), a query with one row when it exists in schema $1 (or
       ?1), the count of other objects, "now" in its timestamp columns, started_at of a record about to
       be applied, where %lld is the client's clock before the migration
       runs, in epoch milliseconds (NULL: that number itself), and
       the cast of a timestamp column to text, with %s for the column. */
    const char *migrations_table;
    const char *migrations_table_exists;
    /* A query with one row and one number: the tables, views (and types)
       of schema $1 besides `_prisma_migrations` (P3005: not empty). */
    const char *objects_count;
    const char *now_sql;
    const char *started_at_sql;
    const char *timestamp_text;

    /* The schema when the URL names none ("public", "main"); NULL: the
       URL's database (MySQL, where a database is a schema). */
    const char *default_schema;

    /* Statements around a catalog read (SQLite: a savepoint, so that the
       file is locked once for all the queries), or NULL. */
    const char *read_begin, *read_end;

    /* The shadow database a history is replayed in. */
    zmc_shadow_kind shadow;
    const char *memory_url;             /* ZMC_SHADOW_MEMORY: "file::memory:" */
    /* ZMC_SHADOW_DATABASE: a query listing the databases named
       zmc_shadow_% that no session uses (left by a zmc that was killed). */
    const char *stale_shadows;

    /* Where schemas live inside a database (PostgreSQL): a query with a row
       when schema $1 exists; a missing one is created (CREATE SCHEMA).
       NULL: nothing to create. */
    const char *schema_exists;

    /* Names the database keeps for itself ("sqlite_"), compared without
       case: a table or index named so could never be created or dropped. */
    const char *reserved_prefix;

    /* ZMC_DIALECT_CROSS_DATABASE: a query listing the server's databases a
       statement could change, one per row. */
    const char *other_databases;

    /* ABI 1.2 (read when `size` covers them). A query with one row and one
       value, true ("t", "1") when the connection's database takes no
       writes: a PostgreSQL standby, a MySQL server with read_only. The
       commands that write refuse such a database before they start. NULL:
       always writable. */
    const char *read_only;
    /* Replicas that replay what the primary commits (PostgreSQL streaming
       replication), for `migrate deploy --wait-replicas`: `replica_target`
       is a query with one value, the position every replica has to replay
       for what was committed so far; `replicas_behind` lists the replicas,
       one row each: a name, and how far behind $1 (that position) it is, in
       bytes (0 when it has replayed it). NULL: the dialect cannot tell. */
    const char *replica_target, *replicas_behind;
};

/* Is `field` of dialect `d` there (a dialect of an older minor ABI has a
   smaller struct)? */
#define ZMC_DIALECT_HAS(d, field) ((d)->size >= offsetof(zmc_dialect, field) + sizeof((d)->field))

/* The first fields of a descriptor, filled in for this header's ABI. */
#define ZMC_DIALECT_HEADER(provider_, display_)                                     \
    .abi_major = ZMC_DIALECT_ABI_MAJOR, .abi_minor = ZMC_DIALECT_ABI_MINOR,           \
    .size = sizeof(zmc_dialect), .provider = (provider_), .display_name = (display_)

#define ZMC_DRIVER_HEADER                                                           \
    .abi_major = ZMC_DIALECT_ABI_MAJOR, .abi_minor = ZMC_DIALECT_ABI_MINOR,           \
    .size = sizeof(zmc_db_driver)

#ifdef __cplusplus
}
#endif

#endif
