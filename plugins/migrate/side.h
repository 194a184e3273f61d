/*
** side.h — one side of a schema comparison, as a relational schema: an
** empty database, a schema's model lowered for its datasource, a live
** database read back, or a migrations folder replayed. `migrate diff`
** compares two sides, `db push` a database with a schema.
*/
#ifndef ZM_MIGRATE_SIDE_H
#define ZM_MIGRATE_SIDE_H

#include "zmc/db.h"
#include "zmc/diff.h"
#include "zmc/ir.h"
#include "zmc/relational.h"

typedef struct zm_side {
    const zm_ir *ir;                /* a schema side: its model (the host's) */
    zm_rel_schema *rel;
    const zmc_dialect *dialect;
} zm_side;

/* Each returns 0, or an exit status after printing why. */

/* A schema, checked and lowered for `dialect`, or for its datasource's
   provider when `dialect` is NULL. */
int zm_side_from_schema(zm_side *side, const char *path, int level, const zmc_dialect *dialect);
/* Each reading of a database takes `like`, the model it is compared with
   (may be NULL): a PostgreSQL multiSchema model has its namespaces read
   (zm_db_introspect()), else the connection's own schema is. */

/* The database at `url`, read back (a relative SQLite path is taken from
   `base_dir`). A missing SQLite file reads as empty when `missing_ok`. */
int zm_side_from_url(zm_side *side, const char *url, const char *base_dir, bool missing_ok,
                     const zm_rel_schema *like);
/* The database at a parsed `url`: connected, read back, closed. */
int zm_side_from_db_url(zm_side *side, const zm_db_url *url, const zm_rel_schema *like);
/* The database a connected `db` holds. */
int zm_side_from_db(zm_side *side, zm_db *db, const zm_rel_schema *like);
/* The migrations in `dir` (folders with migration.sql, in name order)
   replayed into a shadow database and read back as zm_side_from_replay
   does: in memory (ZMC_SHADOW_MEMORY), else through the server of
   `shadow_url`. `live` (may be NULL) is the database on the other side of the
   comparison: a shadow URL naming the same database is refused. */
int zm_side_from_migrations(zm_side *side, const char *dir, const zmc_dialect *dialect, const char *shadow_url,
                            const zm_db_url *live, const zm_rel_schema *like);
/* The database `n` migration scripts build, replayed into a shadow and
   read back, the scripts run as migrations run (script.c). The dialect's
   shadow: ZMC_SHADOW_MEMORY, a fresh database at its memory_url (SQLite);
   ZMC_SHADOW_DATABASE, a temporary database of the server `server` is
   connected to (`server_url`, its URL), dropped afterwards, as Prisma's
   shadow database; when the user may not create one, with
   ZMC_DIALECT_SCRATCH_SCHEMA (PostgreSQL), a scratch schema of the
   connected database inside a transaction that is always rolled back,
   else an error that names shadowDatabaseUrl. Either way no script can
   change anything outside the shadow, and an interrupted zmc leaves
   nothing behind (a temporary database a SIGKILL left is dropped by the
   next replay on that server). A script the shadow refuses is reported
   (P3006). */
int zm_side_from_replay(zm_side *side, const zmc_dialect *dialect, zm_db *server, const zm_db_url *server_url,
                        const char *const *names, const char *const *scripts, size_t n, const zm_rel_schema *like);
/* The schema each migration of a replay leaves, for the commands that look
   at one migration's change (migrate lint): states[i] is read after script
   i when want[i] (want NULL: after every one), NULL where not read; the
   caller frees them with zm_rel_free(). */
typedef struct zm_replay_states {
    const bool *want;
    zm_rel_schema **states;     /* n entries, zeroed by the caller */
} zm_replay_states;
/* zm_side_from_replay(), reading the states `cap` asks for on the way. */
int zm_side_from_replay_states(zm_side *side, const zmc_dialect *dialect, zm_db *server, const zm_db_url *server_url,
                               const char *const *names, const char *const *scripts, size_t n,
                               zm_replay_states *cap, const zm_rel_schema *like);
/* Do two server URLs name the same database (host, port, database)? */
bool zm_side_same_database(const zm_db_url *a, const zm_db_url *b);
/* Nothing, in `dialect`. */
int zm_side_empty(zm_side *side, const zmc_dialect *dialect);
void zm_side_free(zm_side *side);

/* Rename hints from the command line: `--rename TABLE.OLD=NEW` (database
   names; `NAMESPACE.TABLE.OLD=NEW` with multiSchema), repeatable. */
enum { ZM_MAX_RENAMES = 64 };
typedef struct zm_renames {
    zm_rel_rename items[ZM_MAX_RENAMES];
    char *owned[ZM_MAX_RENAMES];
    size_t count;
} zm_renames;

/* Parse one hint into r; 0, or a usage error after printing why. */
int zm_renames_add(zm_renames *r, const char *command, const char *arg);
/* After the diff: an error for hints that did not apply. */
int zm_renames_check(const zm_renames *r, const char *command, size_t applied);
void zm_renames_free(zm_renames *r);

/* Print a database error (the statement and the database's message) the
   way every command does, passwords masked. */
void zm_print_db_error(const char *command, const zm_db_error *err);

/* The exit status for a database failure: 3 cannot connect, else 1. */
int zm_db_exit_status(zm_db_status st);

#endif
