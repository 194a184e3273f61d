/*
** catalog.h — what the catalog equivalence test's files share: a growing
** text buffer, the walk over the corpus' expected-sql goldens with zmc's DDL
** for each (corpus.c), and applying DDL to a database and dumping its
** catalog as comparable text (sqlite_catalog.c, pg_catalog.c).
*/
#ifndef ZM_CATALOG_H
#define ZM_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct text {
    char *data;
    size_t len, cap;
} text;

void text_put(text *t, const char *s, size_t n);
void text_puts(text *t, const char *s);
void text_printf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_free(text *t);
/* The write callback zm_rel_render_create takes. */
void text_sink(void *ctx, const char *s, size_t n);

char *read_file(const char *path);

/* One golden of expected-sql: Prisma's DDL and zmc's for the same schema. */
typedef struct golden {
    const char *dialect;    /* "sqlite", "postgresql" */
    const char *key;        /* <dir>/<name> */
    char *prisma;           /* Prisma's DDL as stored */
    char *zmc;              /* zmc's, or NULL if it failed (error says why) */
    const char *error;
} golden;

typedef struct corpus corpus;

/* NULL (after saying why) when DIR/expected-sql/index.tsv is absent. */
corpus *corpus_open(const char *dir);
void corpus_close(corpus *c);
/* Walk only every n-th golden from the k-th (0-based), for worker k of n. */
void corpus_shard(corpus *c, int k, int n);
/* The next golden of `dialect` (only `only` when set, by key or name);
   false at the end. The strings live until the next call. */
bool corpus_next(corpus *c, const char *dialect, const char *only, golden *g);

/* A database's reaction to a script: the catalog dump afterwards and the
   errors of the statements that failed (each "stmt N: message\n"). */
typedef struct outcome {
    text catalog, errors;
} outcome;

void outcome_free(outcome *o);

/* SQLite: apply to a fresh in-memory database, statement by statement,
   going on after a failing one. Returns 0, -1 if SQLite itself failed. */
int sqlite_outcome(const char *ddl, outcome *o);

/* PostgreSQL (connection from PG* variables, see tests/support/pg.sh). */
typedef struct pg_slot pg_slot;
/* Creates (or recreates) database `name`. NULL after printing why. */
pg_slot *pg_slot_open(const char *name);
void pg_slot_close(pg_slot *s);
/* Empty the database (every user schema and extension dropped, public
   recreated), apply the script statement by statement going on after a
   failing one, and dump the catalog; with `pg_dump_too` also append the
   normalized output of pg_dump --schema-only. Returns 0, -1 on a broken
   connection. */
int pg_outcome(pg_slot *s, const char *ddl, bool pg_dump_too, outcome *o);

/* Split a script into statements at `;` outside quotes and comments;
   calls fn for each (trimmed, without the `;`). */
void sql_statements(const char *script, void (*fn)(void *ctx, const char *stmt, size_t n), void *ctx);

#endif
