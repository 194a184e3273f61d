/*
** introspect.h — the inside of zm_rel_introspect() (zmc/relational.h),
** shared by the common builder (introspect.c) and the dialect readers
** (introspect_sqlite.c, introspect_postgresql.c).
**
** A reader runs catalog queries through sql_intro_query(), which copies the
** rows into the schema's arena, and builds the schema's structs (sql.h)
** directly. A failed query or an allocation failure jumps back to
** zm_rel_introspect() (the arena's jmp_buf) with the error recorded, so a
** reader checks nothing but the data.
*/
#ifndef ZM_SQL_INTROSPECT_H
#define ZM_SQL_INTROSPECT_H

#include "sql.h"

typedef struct sql_intro {
    const zm_rel_source *src;
    zm_rel_schema *s;
    sql_arena *a;
    char *error;                /* malloc'ed; set before jumping */
    const char *const *namespaces;
    size_t namespace_count;     /* at least 1 on PostgreSQL ("public") */
} sql_intro;

/* Query rows, copied into the arena; cells as the callback gave them. */
typedef struct sql_rows {
    size_t nrows, ncols;
    const char **cells;
} sql_rows;

#define SQL_CELL(r, row, col) ((r).cells[(row) * (r).ncols + (col)])

sql_rows sql_intro_query(sql_intro *in, const char *sql, size_t nparams, const char *const *params);
/* Record an error and jump back to zm_rel_introspect(). */
_Noreturn void sql_intro_fail(sql_intro *in, const char *message);

/* Constructors: the object is appended to its parent. */
zm_rel_table *sql_intro_table(sql_intro *in, const char *namespace_, const char *name);
zm_rel_column *sql_intro_column(sql_intro *in, zm_rel_table *t, const char *name);
/* An index (or primary key) with room for ncols columns; not attached. */
zm_rel_index *sql_intro_index(sql_intro *in, zm_rel_index_kind kind, const char *name, size_t ncols);
zm_rel_fk *sql_intro_fk(sql_intro *in, const char *name, size_t ncols);
zm_rel_enum *sql_intro_enum(sql_intro *in, const char *namespace_, const char *name);

/* Something the schema cannot hold: a view, a trigger, a CHECK constraint. */
void sql_intro_note(sql_intro *in, const char *kind, const char *table, const char *name);

/* A string literal 'a''b' at *p → "a'b" in the arena, *p moved past it;
   NULL (p unchanged) if *p is not one. */
const char *sql_intro_literal(sql_intro *in, const char **p);
/* Is the whole text a number as Prisma writes one (-?digits[.digits][e..])? */
bool sql_intro_is_number(const char *text);

/* The dialect readers. */
void sql_sqlite_introspect(sql_intro *in);
void sql_pg_introspect(sql_intro *in);


#endif
