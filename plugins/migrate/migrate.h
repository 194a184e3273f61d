/*
** migrate.h — the migration engine: migration folders and their records,
** compatible with Prisma Migrate in both directions.
**
**   <migrations>/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql
**   <migrations>/migration_lock.toml          provider = "postgresql"
**   _prisma_migrations                         one row per attempt
**
** records.c reads and writes the folder, history.c the table, and the
** commands (deploy.c: deploy, status, resolve) combine them.
*/
#ifndef ZM_MIGRATE_H
#define ZM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "zmc/buf.h"
#include "zmc/db.h"
#include "zmc/relational.h"

/* ---- the folder (records.c) --------------------------------------------------------- */

typedef struct zm_migration {
    char *name;             /* folder name */
    char *path;             /* .../migration.sql */
    char *script;           /* its bytes, NUL-terminated */
    size_t len;
    char checksum[65];      /* lowercase hex SHA-256 of the bytes */
    char *down;             /* down.sql beside it (zmc's; Prisma ignores it), or NULL */
} zm_migration;

typedef struct zm_migrations {
    char *dir;
    zm_migration *items;    /* in name order */
    size_t count;
} zm_migrations;

/* Read every folder of `dir` with its migration.sql. A missing `dir` is an
   empty list. Returns 0, or -1 with *error set (malloc'ed): a folder
   without migration.sql, an unreadable file. */
int zm_migrations_read(const char *dir, zm_migrations *out, char **error);
void zm_migrations_free(zm_migrations *m);
const zm_migration *zm_migrations_find(const zm_migrations *m, const char *name);

/* Lowercase hex SHA-256 (libcrypto). */
void zm_sha256_hex(const void *data, size_t len, char out[65]);
/* Does `checksum` match the script as written, or with its line endings
   converted either way (a checkout with other line endings)? */
bool zm_checksum_matches(const zm_migration *m, const char *checksum);

/* migration_lock.toml: the provider it names (malloc'ed), NULL when there
   is no file. */
char *zm_lock_file_provider(const char *dir);
int zm_lock_file_write(const char *dir, const char *provider);

/* Prisma's slug of a migration name, appended to `out` (slug.c): camelCase
   and acronyms split, Latin letters transliterated (ä -> ae, é -> e),
   lower case, every run of other characters one `_`, at most 200 bytes. */
void zm_migration_slug(const char *name, zm_buf *out);
/* A new folder name: UTC timestamp, `_` and zm_migration_slug(name). The
   timestamp is now, or one second after the latest folder of `after`
   (may be NULL) when that is not earlier, so the new folder sorts last.
   Malloc'ed. */
char *zm_migration_folder_name(const char *name, const zm_migrations *after);
/* The UTC time of the latest folder name of `m`, or -1 without one. */
time_t zm_migrations_latest_time(const zm_migrations *m);

/* ---- the table (history.c) ------------------------------------------------------------- */

typedef struct zm_history_row {
    char *id, *checksum, *name, *logs;
    bool finished, rolled_back;
    char *started_at;       /* as the database returns it */
} zm_history_row;

typedef struct zm_history {
    zm_history_row *rows;   /* ORDER BY started_at */
    size_t count;
    bool exists;            /* the table is there */
} zm_history;

/* Read _prisma_migrations (absent: exists false, no rows). */
zm_db_status zm_history_read(zm_db *db, zm_history *out, zm_db_error *err);
void zm_history_free(zm_history *h);
/* CREATE TABLE IF NOT EXISTS, in Prisma's form for the dialect. */
zm_db_status zm_history_create(zm_db *db, zm_db_error *err);
/* Does the database hold tables other than _prisma_migrations? In the
   connection's schema and, when `model` (may be NULL) is a PostgreSQL
   multiSchema model, in each namespace of its datasource's list. */
zm_db_status zm_history_database_is_empty(zm_db *db, const zm_rel_schema *model, bool *empty, zm_db_error *err);

/* The INSERT of the row of `m` applied now, to run as the epilogue of its
   script (zm_db_apply_script_then): the migration and its record commit
   together. Malloc'ed. */
char *zm_history_applied_sql(zm_db *db, const zm_migration *m);
/* The DELETE of every row of migration `name`, to run as the epilogue of
   its down script (migrate down): the revert and the record's removal
   commit together. Malloc'ed. */
char *zm_history_removed_sql(zm_db *db, const char *name);
/* After the database refused `m` (and its transaction rolled back): a
   failed row, with the error in `logs`. */
zm_db_status zm_history_record_failure(zm_db *db, const zm_migration *m, const char *logs, zm_db_error *err);
/* resolve --applied: a finished row for m (earlier failed rows of its name
   marked rolled back). resolve --rolled-back: the failed row of `name`. */
zm_db_status zm_history_mark_applied(zm_db *db, const zm_migration *m, zm_db_error *err);
zm_db_status zm_history_mark_rolled_back(zm_db *db, const char *id, zm_db_error *err);

/* Row states, as Prisma reads them. */
bool zm_history_row_failed(const zm_history_row *r);
/* The row that counts for `name`: not rolled back (the latest), or NULL. */
const zm_history_row *zm_history_find(const zm_history *h, const char *name);

/* ---- commands (deploy.c) ---------------------------------------------------------------- */

typedef struct zm_migrate_ctx {
    const char *command;            /* "zmc migrate deploy", for messages */
    const char *migrations_dir;
    const char *provider;           /* the datasource's */
    zm_db *db;
    FILE *out;
    bool json;
    bool ignore_checksums;          /* deploy: apply despite edited applied migrations */
    int lock_timeout_ms;
    void *report;                   /* --json: the object being built */
    const zm_rel_schema *model;     /* the schema's, or NULL: the namespaces a multiSchema one lists */
} zm_migrate_ctx;

/* Each returns an exit status: 0 ok, 1 refused or failed (with why). */
int zm_migrate_deploy(zm_migrate_ctx *c);
int zm_migrate_status(zm_migrate_ctx *c);
int zm_migrate_resolve(zm_migrate_ctx *c, const char *applied, const char *rolled_back);

/* For commands that apply migrations (deploy, dev, reset), under the lock:
   apply, in order, the migrations of `m` that have no row in `h`, each
   with its record in one transaction. Stops at the first the database
   refuses (recorded as failed, reported): returns 1. *applied counts. */
int zm_migrate_apply_pending(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h, size_t *applied);
/* "header" and the tree of the `applied` migrations that had no row in `h`. */
void zm_migrate_print_applied(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h, size_t applied,
                              const char *header);

#endif
