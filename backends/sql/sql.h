/*
** sql.h — the inside of the relational schema (zmc/relational.h) shared by
** the lowering, naming, rendering and dialect files of backends/sql/.
**
** Everything a schema owns lives in its arena and is freed at once. An
** allocation failure during zm_rel_lower() jumps back to it (the arena's
** jmp_buf), so the lowering code need not check every allocation.
*/
#ifndef ZM_SQL_H
#define ZM_SQL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "zmc/relational.h"

/* ---- arena and growable arrays ------------------------------------------------ */

typedef struct sql_block sql_block;

typedef struct sql_arena {
    sql_block *head;
    jmp_buf *oom;           /* where to go when malloc fails; NULL: abort() */
} sql_arena;

void *sql_alloc(sql_arena *a, size_t n);        /* zeroed */
char *sql_strdup(sql_arena *a, const char *s);
char *sql_strndup(sql_arena *a, const char *s, size_t n);
void sql_arena_free(sql_arena *a);

/* A list of pointers in the arena. */
typedef struct sql_vec {
    void **items;
    size_t count, cap;
} sql_vec;

void sql_vec_push(sql_arena *a, sql_vec *v, void *item);
#define SQL_AT(v, i, type) ((i) < (v).count ? (type)(v).items[i] : NULL)

/* ---- string building (malloc'd; oom set instead of failing) ------------------- */

typedef struct sql_sb {
    char *s;
    size_t len, cap;
    bool oom;
} sql_sb;

void sb_addn(sql_sb *b, const char *s, size_t n);
void sb_add(sql_sb *b, const char *s);
void sb_addc(sql_sb *b, char c);
/* The text built so far, copied into the arena; the builder is reset. */
char *sb_keep(sql_arena *a, sql_sb *b);

/* ---- the schema ------------------------------------------------------------------ */

struct zm_rel_column {
    const char *name, *type;
    bool nullable, list, autoincrement;
    const zm_rel_enum *enum_type;
    zm_rel_default_kind default_kind;
    const char *default_value, *default_sql;
};

typedef struct sql_index_column {
    const char *name;
    zm_rel_sort sort;
    int length;
    const char *opclass;
    const char *default_opclass;    /* read from a database: the type's default class it uses, when opclass is NULL */
} sql_index_column;

struct zm_rel_index {
    zm_rel_index_kind kind;
    const char *name, *method;
    bool named;                 /* map: given (else Prisma's default name) */
    size_t ncols;
    sql_index_column *cols;
};

struct zm_rel_fk {
    const char *name;
    size_t ncols;
    const char **cols, **ref_cols;
    const char *ref_table, *ref_namespace;
    zm_rel_action on_delete, on_update;
};

struct zm_rel_table {
    const char *name, *namespace_;
    const zm_ir_model *model;
    sql_vec columns, indexes, fks;
    zm_rel_index *pk;
};

struct zm_rel_enum {
    const char *name, *namespace_;
    const zm_ir_enum *ir;
    sql_vec values;             /* const char * */
};

struct zm_rel_extension {
    const char *name, *version, *namespace_;
};

struct zm_rel_schema {
    zm_rel_dialect dialect;
    sql_arena arena;
    bool multi_namespace;
    sql_vec namespaces, extensions, tables, enums;
};

/* ---- naming and quoting (naming.c) -------------------------------------------- */

/* The longest identifier the dialect accepts, in bytes. */
size_t sql_name_limit(zm_rel_dialect d);
/* Prisma's default constraint name: `table_col1_col2` + suffix, the prefix
   cut on a UTF-8 boundary so that the whole fits in `limit` bytes. Columns
   NULL/0 gives `table` + suffix (primary keys). */
char *sql_constraint_name(sql_arena *a, const char *table, const char *const *cols, size_t ncols,
                          const char *suffix, size_t limit);
/* The longest prefix of s of at most n bytes that ends on a UTF-8 boundary. */
size_t sql_utf8_floor(const char *s, size_t n);
/* "name" with " doubled (` for MySQL, ` doubled). */
void sql_quote_ident(sql_sb *b, zm_rel_dialect d, const char *name);
/* 'text' with ' doubled (and \ doubled for MySQL, where it escapes). */
void sql_quote_literal(sql_sb *b, zm_rel_dialect d, const char *text);
/* "ns"."name" when the schema is multi-namespace, else "name". */
void sql_quote_object(sql_sb *b, const zm_rel_schema *s, const char *namespace_, const char *name);

/* ---- dialects -------------------------------------------------------------------- */

/* A field's column type (sqlite.c, postgresql.c, mysql.c). `autoincrement`
   says the field defaults to autoincrement(); the dialect may pick a serial type. */
const char *sql_sqlite_column_type(sql_arena *a, const zm_ir_field *f);
const char *sql_pg_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement);
const char *sql_mysql_column_type(sql_arena *a, const zm_ir_field *f);
/* MySQL's take on a default lowered from expression e (kind, value and SQL
   may be rewritten); false: the column gets none. */
bool sql_mysql_default(sql_arena *a, const zm_ir_field *f, const zm_ir_expr *e, zm_rel_default_kind *kind,
                       const char **value, sql_sb *sql);

/* The DDL of a schema for `--from-empty` (render.c calls the dialect's). */
void sql_sqlite_render(const zm_rel_schema *s, sql_sb *out);
void sql_pg_render(const zm_rel_schema *s, sql_sb *out);
void sql_mysql_render(const zm_rel_schema *s, sql_sb *out);

/* Shared rendering pieces (render.c). */
void sql_step(sql_sb *out, bool *first, const char *step);
void sql_render_column(sql_sb *b, const zm_rel_schema *s, const zm_rel_column *c, bool inline_pk);
void sql_render_index(sql_sb *b, const zm_rel_schema *s, const zm_rel_table *t, const zm_rel_index *x);
void sql_render_fk_tail(sql_sb *b, const zm_rel_schema *s, const zm_rel_fk *k, bool space_before_cols);

#endif
