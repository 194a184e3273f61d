/*
** relational.h — the relational schema: the model IR lowered to tables,
** columns, keys, indexes, foreign keys and enum types for one SQL dialect,
** read-only.
**
**     zm_rel_schema *s = zm_rel_lower(ir, dialect);    // zmc/dialect.h
**     for (size_t i = 0; i < zm_rel_table_count(s); i++) {
**         const zm_rel_table *t = zm_rel_table_at(s, i);
**         printf("%s: %zu columns\n", zm_rel_table_name(t), zm_rel_table_column_count(t));
**     }
**     zm_rel_render_create(s, write, ctx);     // the DDL that creates it
**     zm_rel_free(s);
**
** The lowering follows Prisma Migrate: the schema is what Prisma derives
** from the Prisma schema zmc's `prisma` backend writes for the IR (delegate
** models get their `delegate_aux_*` foreign keys, implicit many-to-many
** relations their `_AToB` join tables), with Prisma's type mapping, default
** values and constraint names. Every name is the database name (after
** @map/@@map), unquoted; every SQL fragment (a type, a default) is text as
** the dialect writes it. Two schemas of the same dialect can therefore be
** compared object by object: tables by (namespace, name), columns, indexes
** and foreign keys by name within their table, enums by (namespace, name).
**
** Handles are opaque and owned by the schema; they live until zm_rel_free().
** Lists are read by count and index; an index out of range gives NULL (or 0).
** Strings are NUL-terminated UTF-8; an absent optional string is NULL.
**
** The functions are in the SQL backend (backends/sql/, the `sql` module).
** Its descriptor hands them out as a table (zmc_plugin.relational, with
** zmc/diff.h's as zmc_plugin.diff), and the host gives them to a command
** module that asks for the backend (zmc_host.backend): the migration engine
** lowers, introspects and diffs through them and links none of it. A test
** program may link the backend's static library (zm_sql) instead.
*/
#ifndef ZMC_RELATIONAL_H
#define ZMC_RELATIONAL_H

#include <stdbool.h>
#include <stddef.h>

#include "zmc/dialect.h"
#include "zmc/ir.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zm_rel_schema zm_rel_schema;
typedef struct zm_rel_table zm_rel_table;
typedef struct zm_rel_column zm_rel_column;
typedef struct zm_rel_index zm_rel_index;
typedef struct zm_rel_fk zm_rel_fk;
typedef struct zm_rel_enum zm_rel_enum;
typedef struct zm_rel_extension zm_rel_extension;

/* Lower a checked schema for a dialect (whatever the datasource says), in
   the SQL flavour the dialect names. NULL if memory ran out or the SQL
   backend has no such flavour. */
zm_rel_schema *zm_rel_lower(const zm_ir *ir, const zmc_dialect *d);
void zm_rel_free(zm_rel_schema *s);

/* Write the DDL that creates the schema in an empty database, exactly as
   `prisma migrate diff --from-empty --to-schema-datamodel --script` prints
   it (the final newline included). Returns 0, or -1 if memory ran out
   (nothing written then). */
int zm_rel_render_create(const zm_rel_schema *s,
                         void (*write)(void *ctx, const char *text, size_t len), void *ctx);

/* ---- the schema ------------------------------------------------------------ */

const zmc_dialect *zm_rel_schema_dialect(const zm_rel_schema *s);

/* PostgreSQL namespaces (`CREATE SCHEMA`), in order: with multiSchema,
   those the schema's objects are in, sorted; else "public". Empty for
   other dialects. */
size_t zm_rel_namespace_count(const zm_rel_schema *s);
const char *zm_rel_namespace_at(const zm_rel_schema *s, size_t i);
/* multiSchema: the datasource's `schemas` list as written, in use or not
   (what reading the database back covers); empty otherwise. */
size_t zm_rel_listed_namespace_count(const zm_rel_schema *s);
const char *zm_rel_listed_namespace_at(const zm_rel_schema *s, size_t i);
/* True when objects are namespace-qualified (PostgreSQL multiSchema). */
bool zm_rel_schema_is_multi_namespace(const zm_rel_schema *s);

/* PostgreSQL extensions of the datasource's `extensions` list. */
size_t zm_rel_extension_count(const zm_rel_schema *s);
const zm_rel_extension *zm_rel_extension_at(const zm_rel_schema *s, size_t i);
const char *zm_rel_extension_name(const zm_rel_extension *x);     /* database name (map:) */
const char *zm_rel_extension_version(const zm_rel_extension *x);  /* or NULL */
const char *zm_rel_extension_namespace(const zm_rel_extension *x);/* or NULL */
/* `to` takes the extension list of `from` (shared, not copied: `from` must
   outlive `to`'s use of it). A live PostgreSQL database lists every
   extension of the database, a migration history only those it creates. */
void zm_rel_extensions_borrow(zm_rel_schema *to, const zm_rel_schema *from);

/* Tables in creation order: models in declaration order, then the implicit
   many-to-many join tables. */
size_t zm_rel_table_count(const zm_rel_schema *s);
const zm_rel_table *zm_rel_table_at(const zm_rel_schema *s, size_t i);
/* namespace NULL matches any. */
const zm_rel_table *zm_rel_table_find(const zm_rel_schema *s, const char *namespace_, const char *name);

/* Enum types (PostgreSQL; on SQLite enums are TEXT, on MySQL inline
   ENUM('A', 'B') column types, and the list is empty). */
size_t zm_rel_enum_count(const zm_rel_schema *s);
const zm_rel_enum *zm_rel_enum_at(const zm_rel_schema *s, size_t i);
const char *zm_rel_enum_name(const zm_rel_enum *e);
const char *zm_rel_enum_namespace(const zm_rel_enum *e);          /* or NULL */
size_t zm_rel_enum_value_count(const zm_rel_enum *e);
const char *zm_rel_enum_value_at(const zm_rel_enum *e, size_t i);

/* ---- tables ---------------------------------------------------------------- */

const char *zm_rel_table_name(const zm_rel_table *t);
const char *zm_rel_table_namespace(const zm_rel_table *t);        /* or NULL */
/* The model the table stores, or NULL for a join table. */
const zm_ir_model *zm_rel_table_model(const zm_rel_table *t);
bool zm_rel_table_is_join(const zm_rel_table *t);

size_t zm_rel_table_column_count(const zm_rel_table *t);
const zm_rel_column *zm_rel_table_column_at(const zm_rel_table *t, size_t i);
const zm_rel_column *zm_rel_table_column_find(const zm_rel_table *t, const char *name);

/* The primary key (an index of kind ZM_REL_PRIMARY), or NULL. */
const zm_rel_index *zm_rel_table_primary_key(const zm_rel_table *t);
/* Unique constraints and indexes, in Prisma's order. */
size_t zm_rel_table_index_count(const zm_rel_table *t);
const zm_rel_index *zm_rel_table_index_at(const zm_rel_table *t, size_t i);
size_t zm_rel_table_fk_count(const zm_rel_table *t);
const zm_rel_fk *zm_rel_table_fk_at(const zm_rel_table *t, size_t i);

/* ---- columns --------------------------------------------------------------- */

typedef enum zm_rel_default_kind {
    ZM_REL_DEFAULT_NONE,        /* no database default (uuid(), cuid(), @updatedAt, ...) */
    ZM_REL_DEFAULT_STRING,      /* a string literal: value is the string */
    ZM_REL_DEFAULT_NUMBER,      /* value: the number as written */
    ZM_REL_DEFAULT_BOOL,        /* value: "true" or "false" */
    ZM_REL_DEFAULT_ENUM,        /* value: the enum value's database name */
    ZM_REL_DEFAULT_DATETIME,    /* value: the timestamp as the dialect writes it */
    ZM_REL_DEFAULT_NOW,         /* now(): CURRENT_TIMESTAMP */
    ZM_REL_DEFAULT_JSON,        /* value: the JSON text */
    ZM_REL_DEFAULT_BYTES,       /* value: the base64 text as written */
    ZM_REL_DEFAULT_LIST,        /* an array (PostgreSQL lists) */
    ZM_REL_DEFAULT_EXPRESSION   /* dbgenerated("..."): value is the expression */
} zm_rel_default_kind;

const char *zm_rel_column_name(const zm_rel_column *c);
/* The column type as the dialect writes it: "TEXT", "VARCHAR(255)",
   "TIMESTAMP(3)", "SERIAL", "\"Role\"", "TEXT[]", an Unsupported type. */
const char *zm_rel_column_type(const zm_rel_column *c);
bool zm_rel_column_is_nullable(const zm_rel_column *c);
bool zm_rel_column_is_list(const zm_rel_column *c);
/* autoincrement(): SERIAL types (PostgreSQL), AUTOINCREMENT (SQLite),
   AUTO_INCREMENT (MySQL). */
bool zm_rel_column_is_autoincrement(const zm_rel_column *c);
/* The enum type of an enum column (PostgreSQL), or NULL. */
const zm_rel_enum *zm_rel_column_enum(const zm_rel_column *c);
zm_rel_default_kind zm_rel_column_default_kind(const zm_rel_column *c);
/* The default's value (see the kinds), or NULL when there is none. */
const char *zm_rel_column_default_value(const zm_rel_column *c);
/* The default as SQL text after DEFAULT, quoted and escaped, or NULL. */
const char *zm_rel_column_default_sql(const zm_rel_column *c);
/* A list default (ZM_REL_DEFAULT_LIST): its elements, each a value as
   zm_rel_column_default_value() gives one for a default of the item kind
   (every element has the same kind; ZM_REL_DEFAULT_NONE for an empty list). */
size_t zm_rel_column_default_item_count(const zm_rel_column *c);
const char *zm_rel_column_default_item_at(const zm_rel_column *c, size_t i);
zm_rel_default_kind zm_rel_column_default_item_kind(const zm_rel_column *c);

/* ---- keys and indexes ------------------------------------------------------ */

typedef enum zm_rel_index_kind {
    ZM_REL_PRIMARY,
    ZM_REL_UNIQUE,
    ZM_REL_INDEX,
    ZM_REL_FULLTEXT
} zm_rel_index_kind;

typedef enum zm_rel_sort {
    ZM_REL_SORT_DEFAULT,
    ZM_REL_SORT_ASC,
    ZM_REL_SORT_DESC
} zm_rel_sort;

zm_rel_index_kind zm_rel_index_kind_of(const zm_rel_index *x);
/* The constraint or index name: map:, else Prisma's default. SQLite primary
   keys have none in the DDL but get the default name here. */
const char *zm_rel_index_name(const zm_rel_index *x);
/* The access method when not the default B-tree: "HASH", "GIN", "GIST",
   "SPGIST", "BRIN"; else NULL. */
const char *zm_rel_index_method(const zm_rel_index *x);
size_t zm_rel_index_column_count(const zm_rel_index *x);
const char *zm_rel_index_column_at(const zm_rel_index *x, size_t i);
zm_rel_sort zm_rel_index_sort_at(const zm_rel_index *x, size_t i);
int zm_rel_index_length_at(const zm_rel_index *x, size_t i);          /* prefix length, or 0 */
const char *zm_rel_index_opclass_at(const zm_rel_index *x, size_t i); /* "jsonb_path_ops", or NULL */

/* ---- foreign keys ---------------------------------------------------------- */

typedef enum zm_rel_action {
    ZM_REL_CASCADE = 1,
    ZM_REL_RESTRICT,
    ZM_REL_NO_ACTION,
    ZM_REL_SET_NULL,
    ZM_REL_SET_DEFAULT
} zm_rel_action;

const char *zm_rel_fk_name(const zm_rel_fk *k);
size_t zm_rel_fk_column_count(const zm_rel_fk *k);
const char *zm_rel_fk_column_at(const zm_rel_fk *k, size_t i);
const char *zm_rel_fk_ref_table(const zm_rel_fk *k);
const char *zm_rel_fk_ref_namespace(const zm_rel_fk *k);          /* or NULL */
const char *zm_rel_fk_ref_column_at(const zm_rel_fk *k, size_t i);
/* Prisma's defaults already applied: ON DELETE RESTRICT (required
   relation) or SET NULL (optional), ON UPDATE CASCADE. */
zm_rel_action zm_rel_fk_on_delete(const zm_rel_fk *k);
zm_rel_action zm_rel_fk_on_update(const zm_rel_fk *k);
const char *zm_rel_action_sql(zm_rel_action a);                  /* "SET NULL", ... */

/* ---- introspection ---------------------------------------------------------- */

/* zm_rel_introspect() reads a live database back into a relational schema
   in the lowering's representation, so that a database created from a
   schema's DDL describes (zm_rel_describe) exactly as that schema's
   lowering does. It talks to the database only through a query callback:
   this library links no database client (runtime/db's zm_db_introspect()
   wires its drivers to it).

   What the database cannot hold is left out: the model (NULL), index sort
   ASC (the default order: ZM_REL_SORT_DEFAULT), enum defaults on SQLite
   (plain strings there: ZM_REL_DEFAULT_STRING), an SQLite primary key's
   map: name (the default `Table_pkey` instead), default operator classes
   (NULL), extension versions (NULL). PostgreSQL types come back as Prisma
   writes them ("TEXT", "VARCHAR(255)", "TIMESTAMP(3)", "DECIMAL(65,30)",
   "SERIAL" for an integer column defaulting to its own sequence, "\"Role\""
   for an enum, "TEXT[]"); SQLite types as declared. `_prisma_migrations`
   and SQLite's internal tables are skipped. */

/* Rows a query returns, every value as text, row-major (cells[row * ncols +
   col]); NULL for SQL NULL. Filled by the callback, freed by free_rows. */
typedef struct zm_rel_rows {
    size_t nrows, ncols;
    char **cells;
} zm_rel_rows;

/* Run one query with text parameters ($1, $2 on PostgreSQL; ?1, ?2 on
   SQLite). Returns 0 with *out filled, or -1 with *error set (malloc'ed,
   freed by the caller; NULL is allowed). */
typedef int (*zm_rel_query_fn)(void *ctx, const char *sql, size_t nparams, const char *const *params,
                               zm_rel_rows *out, char **error);

typedef struct zm_rel_source {
    const zmc_dialect *dialect;         /* its flavour reads the catalog */
    zm_rel_query_fn query;
    void (*free_rows)(void *ctx, zm_rel_rows *rows);
    void *ctx;
    /* PostgreSQL: the namespaces to read; NULL/0 reads "public". */
    const char *const *namespaces;
    size_t namespace_count;
    /* PostgreSQL multiSchema (a datasource `schemas` list): objects carry
       their namespace and the schema lists the namespaces holding any,
       sorted, as the lowering does. Else namespaces are NULL and the
       schema lists the first namespace read. */
    bool multi_namespace;
} zm_rel_source;

/* Read the database. NULL with *error set (malloc'ed) if a query failed,
   memory ran out or the dialect is not supported. Free with zm_rel_free(). */
zm_rel_schema *zm_rel_introspect(const zm_rel_source *src, char **error);

/* ---- the ZModel side of a column (db pull) ------------------------------------ */

/* The ZModel scalar type of a column read from a database: "String",
   "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json" or
   "Bytes", with its native type in *native (the @db. attribute without
   "@db.": "VarChar(255)", "Timestamptz(6)"), or NULL there when the column
   has the type the scalar gets by default. NULL when the column's type is
   an enum (zm_rel_column_enum, or the inline values below) or ZModel has no
   type for it: the field is then Unsupported("<zm_rel_column_type>"),
   without the "[]" of a list. */
const char *zm_rel_column_zmodel_type(const zm_rel_schema *s, const zm_rel_column *c, const char **native);
/* The values of a column whose type is an enum of its own (MySQL's ENUM('A',
   'B')), in order, in *values; 0 for any other column. */
size_t zm_rel_column_enum_values(const zm_rel_schema *s, const zm_rel_column *c, const char *const **values);
/* The name the lowering gives a constraint or index that has no map:
   `table_col1_col2` + suffix ("_pkey", "_key", "_idx", "_fkey"), cut to
   the dialect's name limit; columns NULL/0 for a primary key. */
const char *zm_rel_default_name(const zm_rel_schema *s, const char *table, const char *const *cols, size_t ncols,
                                const char *suffix);

/* What a database holds that a relational schema cannot: views, triggers,
   CHECK and exclusion constraints, partial indexes, row level security,
   storage parameters, columns the database updates itself (MySQL's ON
   UPDATE CURRENT_TIMESTAMP).
   zm_rel_read_notes() adds them to a schema zm_rel_introspect() read from
   the same source (db pull comments on each; nothing else looks at them).
   Returns 0, or -1 with *error set (malloc'ed). */
int zm_rel_read_notes(zm_rel_schema *s, const zm_rel_source *src, char **error);
size_t zm_rel_note_count(const zm_rel_schema *s);
/* The kind of note i ("view", "materialized view", "trigger", "check
   constraint", "exclusion constraint", "partial index", "row level
   security", "storage parameters", "self-updating column"), with the table it belongs to (NULL for a view) and its name;
   NULL out of range. */
const char *zm_rel_note_at(const zm_rel_schema *s, size_t i, const char **table, const char **name);

/* ---- canonical description ---------------------------------------------------- */

/* The schema as text, one line per object, in an order that does not
   depend on how it was built: namespaces, extensions, enums, tables sorted
   by (namespace, name); within a table its columns in order, then the
   primary key, indexes and foreign keys sorted by name. Only what the
   database holds is written (see introspection above), so a lowering and
   the introspection of its DDL describe alike: no ASC, no primary key
   order, no operator class that is the column type's default for the
   index method, SQLite enum defaults as strings, JSON defaults without
   blanks between tokens (PostgreSQL's jsonb drops them). Malloc'ed; NULL
   if memory ran out. */
char *zm_rel_describe(const zm_rel_schema *s);

/* ---- for loadable modules ------------------------------------------------------ */

/* Every function above, in the table the SQL backend's module hands out
   (zmc_plugin.relational; the host gives it to command modules): a module
   compiled with ZMC_PLUGIN calls the same names through zmc_plugin_rel,
   so it links nothing of zmc. Append new functions at the end: the order is part of
   the ABI. */
#define ZM_REL_API_FUNCTIONS(X) \
    X(zm_rel_lower) \
    X(zm_rel_free) \
    X(zm_rel_render_create) \
    X(zm_rel_schema_dialect) \
    X(zm_rel_namespace_count) \
    X(zm_rel_namespace_at) \
    X(zm_rel_schema_is_multi_namespace) \
    X(zm_rel_extension_count) \
    X(zm_rel_extension_at) \
    X(zm_rel_extension_name) \
    X(zm_rel_extension_version) \
    X(zm_rel_extension_namespace) \
    X(zm_rel_extensions_borrow) \
    X(zm_rel_table_count) \
    X(zm_rel_table_at) \
    X(zm_rel_table_find) \
    X(zm_rel_enum_count) \
    X(zm_rel_enum_at) \
    X(zm_rel_enum_name) \
    X(zm_rel_enum_namespace) \
    X(zm_rel_enum_value_count) \
    X(zm_rel_enum_value_at) \
    X(zm_rel_table_name) \
    X(zm_rel_table_namespace) \
    X(zm_rel_table_model) \
    X(zm_rel_table_is_join) \
    X(zm_rel_table_column_count) \
    X(zm_rel_table_column_at) \
    X(zm_rel_table_column_find) \
    X(zm_rel_table_primary_key) \
    X(zm_rel_table_index_count) \
    X(zm_rel_table_index_at) \
    X(zm_rel_table_fk_count) \
    X(zm_rel_table_fk_at) \
    X(zm_rel_column_name) \
    X(zm_rel_column_type) \
    X(zm_rel_column_is_nullable) \
    X(zm_rel_column_is_list) \
    X(zm_rel_column_is_autoincrement) \
    X(zm_rel_column_enum) \
    X(zm_rel_column_default_kind) \
    X(zm_rel_column_default_value) \
    X(zm_rel_column_default_sql) \
    X(zm_rel_index_kind_of) \
    X(zm_rel_index_name) \
    X(zm_rel_index_method) \
    X(zm_rel_index_column_count) \
    X(zm_rel_index_column_at) \
    X(zm_rel_index_sort_at) \
    X(zm_rel_index_length_at) \
    X(zm_rel_index_opclass_at) \
    X(zm_rel_fk_name) \
    X(zm_rel_fk_column_count) \
    X(zm_rel_fk_column_at) \
    X(zm_rel_fk_ref_table) \
    X(zm_rel_fk_ref_namespace) \
    X(zm_rel_fk_ref_column_at) \
    X(zm_rel_fk_on_delete) \
    X(zm_rel_fk_on_update) \
    X(zm_rel_action_sql) \
    X(zm_rel_introspect) \
    X(zm_rel_describe) \
    X(zm_rel_column_zmodel_type) \
    X(zm_rel_column_enum_values) \
    X(zm_rel_default_name) \
    X(zm_rel_read_notes) \
    X(zm_rel_note_count) \
    X(zm_rel_note_at) \
    X(zm_rel_column_default_item_count) \
    X(zm_rel_column_default_item_at) \
    X(zm_rel_column_default_item_kind) \
    X(zm_rel_listed_namespace_count) \
    X(zm_rel_listed_namespace_at)

typedef struct zm_rel_api {
    size_t size;            /* sizeof(zm_rel_api) of the module */
#define ZM_REL_API_FUNCTIONS_FIELD(f) __typeof__(&f) f;
    ZM_REL_API_FUNCTIONS(ZM_REL_API_FUNCTIONS_FIELD)
#undef ZM_REL_API_FUNCTIONS_FIELD
} zm_rel_api;

/* The SQL backend's table (backends/sql). */
extern const zm_rel_api zm_rel_api_table;

/* In one source file of a module: the table pointer the names go through. */
#define ZMC_PLUGIN_REL const zm_rel_api *zmc_plugin_rel

#if defined(ZMC_PLUGIN) && !defined(ZMC_SQL_IMPL)
extern const zm_rel_api *zmc_plugin_rel;
#define zm_rel_lower (zmc_plugin_rel->zm_rel_lower)
#define zm_rel_free (zmc_plugin_rel->zm_rel_free)
#define zm_rel_render_create (zmc_plugin_rel->zm_rel_render_create)
#define zm_rel_schema_dialect (zmc_plugin_rel->zm_rel_schema_dialect)
#define zm_rel_namespace_count (zmc_plugin_rel->zm_rel_namespace_count)
#define zm_rel_namespace_at (zmc_plugin_rel->zm_rel_namespace_at)
#define zm_rel_schema_is_multi_namespace (zmc_plugin_rel->zm_rel_schema_is_multi_namespace)
#define zm_rel_extension_count (zmc_plugin_rel->zm_rel_extension_count)
#define zm_rel_extension_at (zmc_plugin_rel->zm_rel_extension_at)
#define zm_rel_extension_name (zmc_plugin_rel->zm_rel_extension_name)
#define zm_rel_extension_version (zmc_plugin_rel->zm_rel_extension_version)
#define zm_rel_extension_namespace (zmc_plugin_rel->zm_rel_extension_namespace)
#define zm_rel_extensions_borrow (zmc_plugin_rel->zm_rel_extensions_borrow)
#define zm_rel_table_count (zmc_plugin_rel->zm_rel_table_count)
#define zm_rel_table_at (zmc_plugin_rel->zm_rel_table_at)
#define zm_rel_table_find (zmc_plugin_rel->zm_rel_table_find)
#define zm_rel_enum_count (zmc_plugin_rel->zm_rel_enum_count)
#define zm_rel_enum_at (zmc_plugin_rel->zm_rel_enum_at)
#define zm_rel_enum_name (zmc_plugin_rel->zm_rel_enum_name)
#define zm_rel_enum_namespace (zmc_plugin_rel->zm_rel_enum_namespace)
#define zm_rel_enum_value_count (zmc_plugin_rel->zm_rel_enum_value_count)
#define zm_rel_enum_value_at (zmc_plugin_rel->zm_rel_enum_value_at)
#define zm_rel_table_name (zmc_plugin_rel->zm_rel_table_name)
#define zm_rel_table_namespace (zmc_plugin_rel->zm_rel_table_namespace)
#define zm_rel_table_model (zmc_plugin_rel->zm_rel_table_model)
#define zm_rel_table_is_join (zmc_plugin_rel->zm_rel_table_is_join)
#define zm_rel_table_column_count (zmc_plugin_rel->zm_rel_table_column_count)
#define zm_rel_table_column_at (zmc_plugin_rel->zm_rel_table_column_at)
#define zm_rel_table_column_find (zmc_plugin_rel->zm_rel_table_column_find)
#define zm_rel_table_primary_key (zmc_plugin_rel->zm_rel_table_primary_key)
#define zm_rel_table_index_count (zmc_plugin_rel->zm_rel_table_index_count)
#define zm_rel_table_index_at (zmc_plugin_rel->zm_rel_table_index_at)
#define zm_rel_table_fk_count (zmc_plugin_rel->zm_rel_table_fk_count)
#define zm_rel_table_fk_at (zmc_plugin_rel->zm_rel_table_fk_at)
#define zm_rel_column_name (zmc_plugin_rel->zm_rel_column_name)
#define zm_rel_column_type (zmc_plugin_rel->zm_rel_column_type)
#define zm_rel_column_is_nullable (zmc_plugin_rel->zm_rel_column_is_nullable)
#define zm_rel_column_is_list (zmc_plugin_rel->zm_rel_column_is_list)
#define zm_rel_column_is_autoincrement (zmc_plugin_rel->zm_rel_column_is_autoincrement)
#define zm_rel_column_enum (zmc_plugin_rel->zm_rel_column_enum)
#define zm_rel_column_default_kind (zmc_plugin_rel->zm_rel_column_default_kind)
#define zm_rel_column_default_value (zmc_plugin_rel->zm_rel_column_default_value)
#define zm_rel_column_default_sql (zmc_plugin_rel->zm_rel_column_default_sql)
#define zm_rel_index_kind_of (zmc_plugin_rel->zm_rel_index_kind_of)
#define zm_rel_index_name (zmc_plugin_rel->zm_rel_index_name)
#define zm_rel_index_method (zmc_plugin_rel->zm_rel_index_method)
#define zm_rel_index_column_count (zmc_plugin_rel->zm_rel_index_column_count)
#define zm_rel_index_column_at (zmc_plugin_rel->zm_rel_index_column_at)
#define zm_rel_index_sort_at (zmc_plugin_rel->zm_rel_index_sort_at)
#define zm_rel_index_length_at (zmc_plugin_rel->zm_rel_index_length_at)
#define zm_rel_index_opclass_at (zmc_plugin_rel->zm_rel_index_opclass_at)
#define zm_rel_fk_name (zmc_plugin_rel->zm_rel_fk_name)
#define zm_rel_fk_column_count (zmc_plugin_rel->zm_rel_fk_column_count)
#define zm_rel_fk_column_at (zmc_plugin_rel->zm_rel_fk_column_at)
#define zm_rel_fk_ref_table (zmc_plugin_rel->zm_rel_fk_ref_table)
#define zm_rel_fk_ref_namespace (zmc_plugin_rel->zm_rel_fk_ref_namespace)
#define zm_rel_fk_ref_column_at (zmc_plugin_rel->zm_rel_fk_ref_column_at)
#define zm_rel_fk_on_delete (zmc_plugin_rel->zm_rel_fk_on_delete)
#define zm_rel_fk_on_update (zmc_plugin_rel->zm_rel_fk_on_update)
#define zm_rel_action_sql (zmc_plugin_rel->zm_rel_action_sql)
#define zm_rel_introspect (zmc_plugin_rel->zm_rel_introspect)
#define zm_rel_describe (zmc_plugin_rel->zm_rel_describe)
#define zm_rel_column_zmodel_type (zmc_plugin_rel->zm_rel_column_zmodel_type)
#define zm_rel_column_enum_values (zmc_plugin_rel->zm_rel_column_enum_values)
#define zm_rel_default_name (zmc_plugin_rel->zm_rel_default_name)
#define zm_rel_read_notes (zmc_plugin_rel->zm_rel_read_notes)
#define zm_rel_note_count (zmc_plugin_rel->zm_rel_note_count)
#define zm_rel_note_at (zmc_plugin_rel->zm_rel_note_at)
#define zm_rel_column_default_item_count (zmc_plugin_rel->zm_rel_column_default_item_count)
#define zm_rel_column_default_item_at (zmc_plugin_rel->zm_rel_column_default_item_at)
#define zm_rel_column_default_item_kind (zmc_plugin_rel->zm_rel_column_default_item_kind)
#define zm_rel_listed_namespace_count (zmc_plugin_rel->zm_rel_listed_namespace_count)
#define zm_rel_listed_namespace_at (zmc_plugin_rel->zm_rel_listed_namespace_at)
#endif

#ifdef __cplusplus
}
#endif

#endif
