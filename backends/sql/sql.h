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
#include <string.h>

#include "zmc/diff.h"
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
    /* a list default's elements: const char * values, as default_value is
       for a scalar default of default_item_kind */
    sql_vec default_items;
    zm_rel_default_kind default_item_kind;
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

/* An object of a database the schema cannot hold (zm_rel_read_notes). */
typedef struct sql_note {
    const char *kind, *table, *name;
} sql_note;

struct zm_rel_schema {
    const zmc_dialect *dialect;
    const struct sql_flavor *flavor;
    sql_arena arena;
    bool multi_namespace;
    sql_vec namespaces, extensions, tables, enums;
    sql_vec listed_namespaces;  /* multiSchema: the datasource's schemas list, as written */
    sql_vec notes;              /* sql_note *, read by zm_rel_read_notes only */
};

/* ---- SQL flavours ------------------------------------------------------------------ */

/* What a flavour's SQL can do (sql_flavor.features). */
enum {
    SQL_NAMES_CUT = 1u << 0,        /* longer names are cut to name_limit (PostgreSQL) */
    SQL_ENUM_TYPES = 1u << 1,       /* CREATE TYPE ... AS ENUM; columns name the type */
    SQL_NAMESPACES = 1u << 2,       /* schemas inside the database (multiSchema) */
    SQL_EXTENSIONS = 1u << 3,       /* CREATE EXTENSION */
    SQL_ROWID_AUTOINCREMENT = 1u << 4, /* only an INTEGER primary key of its own autoincrements (SQLite) */
    SQL_FULLTEXT = 1u << 5,         /* @@fulltext indexes */
    SQL_JOIN_PRIMARY_KEY = 1u << 6, /* implicit m:n tables get a primary key, not a unique index */
    SQL_SERIAL_DEFAULTS = 1u << 7,  /* an autoincrement column's default is its sequence */
    SQL_REDEFINE_TABLES = 1u << 8,  /* no ALTER COLUMN: a changed table is rebuilt (SQLite) */
    SQL_INLINE_FOREIGN_KEYS = 1u << 9, /* foreign keys inside CREATE TABLE, never added apart */
    SQL_CUT_JOIN_NAMES = 1u << 10,  /* m:n table names cut to name_limit */
    SQL_NO_BYTES_DEFAULTS = 1u << 11,  /* Bytes defaults are not written (MySQL) */
    SQL_ENUM_DEFAULTS_AS_STRINGS = 1u << 12, /* enum defaults read back as plain strings (SQLite) */
    SQL_INLINE_INDEXES = 1u << 13   /* a new table's indexes inside its CREATE TABLE (MySQL) */
};

typedef struct diff_step diff_step;
typedef struct sql_intro sql_intro;
typedef enum sql_cast { SQL_CAST_SAFE, SQL_CAST_RISKY, SQL_CAST_NONE } sql_cast;

/* The SQL one family of databases speaks: everything database-specific
   that the lowering, the rendering, the diff and introspection ask about.
   One per dialect folder (dialects/<name>/flavor.c); a dialect (zmc/dialect.h)
   names its flavour. */
typedef struct sql_flavor {
    const char *name;
    char quote;                 /* identifier quote: " or ` */
    bool backslash_escapes;     /* \ escapes inside '...' */
    size_t name_limit;          /* identifier bytes (Prisma's 10000 where there is none) */
    unsigned features;          /* SQL_* */
    const char *bytes_prefix;   /* before a Bytes default's hex digits ("\\x"), or "" */

    /* A field's column type; `autoincrement` says it defaults to autoincrement(). */
    const char *(*column_type)(sql_arena *a, const zm_ir_field *f, bool autoincrement);
    /* Optional: the flavour's take on a default lowered from e (kind, value
       and SQL may be rewritten); false: the column gets none. */
    bool (*adjust_default)(sql_arena *a, const zm_ir_field *f, const zm_ir_expr *e, zm_rel_default_kind *kind,
                           const char **value, sql_sb *sql);

    /* The DDL of a whole schema (--from-empty). */
    void (*render_create)(const zm_rel_schema *s, sql_sb *out);
    /* The statements of one diff step, and (SQL_REDEFINE_TABLES) of every
       RedefineTables step at once. */
    void (*render_step)(const zm_rel_diff *d, const diff_step *st, sql_sb *out);
    void (*render_redefine)(const zm_rel_diff *d, const sql_vec *steps, sql_sb *out);
    /* Optional: can a column's values be cast from one type to another in
       place? NULL: always (SAFE when the types are equal, else RISKY). */
    sql_cast (*cast)(const zm_rel_column *from, const zm_rel_column *to);
    /* Optional: two spellings of one type that differ by more than case
       (MySQL's DATETIME and DATETIME(0))? */
    bool (*same_type)(const char *a, const char *b);
    /* Optional: two default SQL texts that differ in writing only (MySQL's
       catalog shows a 4-byte UTF-8 character of a default as ?). */
    bool (*same_default)(const char *a, const char *b);
    /* Optional, for enums that are column types (MySQL's ENUM(...)): the
       values `from`'s type has and `to`'s lacks, "A,B" as Prisma lists
       them; NULL when the types are not two enums or nothing is removed. */
    const char *(*removed_values)(sql_arena *a, const zm_rel_column *from, const zm_rel_column *to);
    /* Prisma's name of a column type in warnings. */
    const char *(*type_display)(sql_arena *a, const char *type);
    /* Optional: is `opclass` the default class for a column of `type` in
       an index of `method`? */
    bool (*default_opclass)(const char *method, const char *type, const char *opclass);

    /* Read a live database (introspect.h). */
    void (*introspect)(sql_intro *in);
    /* Optional: what it holds that the schema cannot (sql_intro_note). */
    void (*read_notes)(sql_intro *in);

    /* db pull (pull.c): a column's ZModel scalar ("String", ...) and its
       @db.* type in *native ("VarChar(255)"), NULL when the scalar's
       default; NULL: ZModel has no type for it (Unsupported). */
    const char *(*zmodel_type)(sql_arena *a, const zm_rel_column *c, const char **native);
    /* Optional: the values of an inline enum column type (MySQL's ENUM). */
    size_t (*inline_enum_values)(sql_arena *a, const zm_rel_column *c, const char *const **values);
} sql_flavor;

extern const sql_flavor sql_flavor_sqlite, sql_flavor_postgresql, sql_flavor_mysql;

/* The flavour a dialect names (flavor.c); NULL if the SQL backend has none. */
const sql_flavor *sql_flavor_of(const zmc_dialect *d);
static inline bool sql_has(const sql_flavor *f, unsigned feature) { return (f->features & feature) != 0; }

/* One row of a flavour's table for db pull (pull.c): columns of type `sql`
   (case-insensitive, arguments aside) are `scalar` @db.`native`, the
   native type left out when the column has the scalar's default type.
   `no_args`: the native type takes none, so a column written with some
   (MySQL's FLOAT(10,2)) is Unsupported, which keeps them; `implied_args` is
   written when the column has none ("(0)" for MySQL's DATETIME). */
typedef struct sql_pull_row {
    const char *sql, *scalar, *native;
    bool no_args;
    const char *implied_args;
} sql_pull_row;

const char *sql_pull_from_table(sql_arena *a, const sql_pull_row *rows, size_t n, const char *type,
                                const char *(*default_type)(const char *scalar), const char **native);

/* ---- naming and quoting (naming.c) -------------------------------------------- */

/* Prisma's default constraint name: `table_col1_col2` + suffix, the prefix
   cut on a UTF-8 boundary so that the whole fits in `limit` bytes. Columns
   NULL/0 gives `table` + suffix (primary keys). */
char *sql_constraint_name(sql_arena *a, const char *table, const char *const *cols, size_t ncols,
                          const char *suffix, size_t limit);
/* Does `s` begin with `prefix`? */
static inline bool sql_starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }
/* The longest prefix of s of at most n bytes that ends on a UTF-8 boundary. */
size_t sql_utf8_floor(const char *s, size_t n);
/* The name quoted with the flavour's quote, which is doubled inside. */
void sql_quote_ident(sql_sb *b, const sql_flavor *f, const char *name);
/* 'text' with ' doubled (and \ doubled where it escapes). */
void sql_quote_literal(sql_sb *b, const sql_flavor *f, const char *text);
/* "ns"."name" when the schema is multi-namespace, else "name". */
void sql_quote_object(sql_sb *b, const zm_rel_schema *s, const char *namespace_, const char *name);

/* Shared rendering pieces (render.c). */
void sql_step(sql_sb *out, bool *first, const char *step);
void sql_render_column(sql_sb *b, const zm_rel_schema *s, const zm_rel_column *c, bool inline_pk);
void sql_render_index(sql_sb *b, const zm_rel_schema *s, const zm_rel_table *t, const zm_rel_index *x);
void sql_render_fk_tail(sql_sb *b, const zm_rel_schema *s, const zm_rel_fk *k, bool space_before_cols);
/* A type's display name from a flavour's table of {SQL type, Prisma name}
   pairs: "VARCHAR(255)" → "VarChar(255)"; a quoted enum type → its name. */
const char *sql_type_display_from(sql_arena *a, const char *type, const char *const (*table)[2], size_t n);

#endif
