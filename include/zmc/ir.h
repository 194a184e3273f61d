/*
** ir.h — the model IR: a checked schema, fully resolved, read-only.
**
** The IR is what backends and the migration engine read: the models, views
** and composite types of the schema with inheritance flattened (v2 abstract
** bases and v3 mixins inlined, delegate bases linked), imports merged,
** every type name resolved to the declaration it means, relations paired
** with both sides, keys and indexes collected from field and model
** attributes, and access policies and validation rules kept as expression
** trees.
**
**     zm_compilation *c = zm_compilation_new(NULL);
**     if (zm_compilation_load_file(c, path) == ZM_OK && zm_compilation_check(c) == ZM_OK) {
**         const zm_ir *ir = zm_compilation_ir(c);
**         for (size_t i = 0; i < zm_ir_model_count(ir); i++)
**             puts(zm_ir_model_name(zm_ir_model_at(ir, i)));
**     }
**     zm_compilation_free(c);
**
** Everything is owned by the compilation and lives until it is freed. Lists
** are read by count and index; `_find` functions look a name up. Handles are
** opaque: no struct layout is part of the API. Strings are NUL-terminated
** UTF-8; an absent optional string is NULL.
*/
#ifndef ZMC_IR_H
#define ZMC_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "zmc/zmc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zm_ir zm_ir;
typedef struct zm_ir_model zm_ir_model;
typedef struct zm_ir_field zm_ir_field;
typedef struct zm_ir_relation zm_ir_relation;
typedef struct zm_ir_index zm_ir_index;
typedef struct zm_ir_enum zm_ir_enum;
typedef struct zm_ir_enum_value zm_ir_enum_value;
typedef struct zm_ir_config zm_ir_config;
typedef struct zm_ir_rule zm_ir_rule;
typedef struct zm_ir_attr zm_ir_attr;
typedef struct zm_ir_expr zm_ir_expr;

/* The IR of a compilation that checked without errors (built on first call);
   NULL if zm_compilation_check() was not called or reported errors. */
const zm_ir *zm_compilation_ir(zm_compilation *c);

/* ---- the schema ---------------------------------------------------------- */

int zm_ir_level(const zm_ir *ir);                   /* language level: 2 or 3 */

/* Models, views and composite types, in merged declaration order (the entry
   file first, then imported files depth-first). v2 abstract models are not
   listed: their fields and attributes live on in the models extending them. */
size_t zm_ir_model_count(const zm_ir *ir);
const zm_ir_model *zm_ir_model_at(const zm_ir *ir, size_t i);
const zm_ir_model *zm_ir_model_find(const zm_ir *ir, const char *name);

size_t zm_ir_enum_count(const zm_ir *ir);
const zm_ir_enum *zm_ir_enum_at(const zm_ir *ir, size_t i);
const zm_ir_enum *zm_ir_enum_find(const zm_ir *ir, const char *name);

/* The datasource block (NULL if the schema has none), generator and plugin
   blocks in declaration order. */
const zm_ir_config *zm_ir_datasource(const zm_ir *ir);
size_t zm_ir_generator_count(const zm_ir *ir);
const zm_ir_config *zm_ir_generator_at(const zm_ir *ir, size_t i);
size_t zm_ir_plugin_count(const zm_ir *ir);
const zm_ir_config *zm_ir_plugin_at(const zm_ir *ir, size_t i);

/* ---- configuration blocks -------------------------------------------------- */

const char *zm_ir_config_name(const zm_ir_config *c);
size_t zm_ir_config_entry_count(const zm_ir_config *c);
const char *zm_ir_config_key_at(const zm_ir_config *c, size_t i);
const zm_ir_expr *zm_ir_config_value_at(const zm_ir_config *c, size_t i);
const zm_ir_expr *zm_ir_config_value(const zm_ir_config *c, const char *key);
/* The value of `key` when it is a string literal, else NULL. */
const char *zm_ir_config_string(const zm_ir_config *c, const char *key);
/* The variable name X when `key` is written env("X"), else NULL. */
const char *zm_ir_config_env(const zm_ir_config *c, const char *key);

/* ---- models ---------------------------------------------------------------- */

typedef enum zm_ir_model_kind {
    ZM_IR_MODEL,            /* a table */
    ZM_IR_VIEW,             /* a database view */
    ZM_IR_TYPE              /* a composite type: typed JSON, v3 mixin, auth() shape */
} zm_ir_model_kind;

zm_ir_model_kind zm_ir_model_kind_of(const zm_ir_model *m);
const char *zm_ir_model_name(const zm_ir_model *m);
const char *zm_ir_model_db_name(const zm_ir_model *m);    /* @@map, else the name */
const char *zm_ir_model_schema(const zm_ir_model *m);     /* @@schema, or NULL */
const char *zm_ir_model_docs(const zm_ir_model *m);       /* `///` lines joined by \n, or NULL */
bool zm_ir_model_is_ignored(const zm_ir_model *m);        /* @@ignore */
bool zm_ir_model_is_auth(const zm_ir_model *m);           /* what auth() stands for */

/* Delegate inheritance (polymorphic tables): a base carries @@delegate(field);
   each concrete model extending it keeps its own table, keyed like the base. */
bool zm_ir_model_is_delegate(const zm_ir_model *m);
const zm_ir_field *zm_ir_model_discriminator(const zm_ir_model *m);
const zm_ir_model *zm_ir_model_base(const zm_ir_model *m); /* the delegate it extends, or NULL */
size_t zm_ir_model_sub_count(const zm_ir_model *m);
const zm_ir_model *zm_ir_model_sub_at(const zm_ir_model *m, size_t i);

/* Fields in ZenStack's order. v2: the abstract bases' fields in reverse
   pre-order of the extends lists, then the model's own. v3: mixin fields (in
   `with` order, each mixin's own mixins first), then the delegate base's,
   then the model's own. */
size_t zm_ir_model_field_count(const zm_ir_model *m);
const zm_ir_field *zm_ir_model_field_at(const zm_ir_model *m, size_t i);
const zm_ir_field *zm_ir_model_field_find(const zm_ir_model *m, const char *name);

/* The primary key (@id or @@id), or NULL (views, types, @@ignore'd models
   without one). Unique constraints, indexes and full-text indexes: @unique
   fields first in field order, then @@unique, @@index and @@fulltext in
   attribute order. */
const zm_ir_index *zm_ir_model_primary_key(const zm_ir_model *m);
size_t zm_ir_model_index_count(const zm_ir_model *m);
const zm_ir_index *zm_ir_model_index_at(const zm_ir_model *m, size_t i);

/* Access policies (@@allow, @@deny) and validation rules (@@validate), the
   inherited ones included, in order. */
size_t zm_ir_model_rule_count(const zm_ir_model *m);
const zm_ir_rule *zm_ir_model_rule_at(const zm_ir_model *m, size_t i);

/* Every model-level attribute in effect, inherited ones included: for
   backends that act on attributes of their own. */
size_t zm_ir_model_attr_count(const zm_ir_model *m);
const zm_ir_attr *zm_ir_model_attr_at(const zm_ir_model *m, size_t i);

/* ---- fields ---------------------------------------------------------------- */

typedef enum zm_ir_field_kind {
    ZM_IR_FIELD_SCALAR,     /* String, Int, ... (see zm_ir_scalar) */
    ZM_IR_FIELD_ENUM,       /* an enum value */
    ZM_IR_FIELD_RELATION,   /* a model: see zm_ir_field_relation() */
    ZM_IR_FIELD_COMPOSITE,  /* a composite type stored as JSON (@json) */
    ZM_IR_FIELD_UNSUPPORTED /* Unsupported("native type") */
} zm_ir_field_kind;

typedef enum zm_ir_scalar {
    ZM_IR_NONE,             /* not a scalar field */
    ZM_IR_STRING,
    ZM_IR_BOOLEAN,
    ZM_IR_INT,
    ZM_IR_BIGINT,
    ZM_IR_FLOAT,
    ZM_IR_DECIMAL,
    ZM_IR_DATETIME,
    ZM_IR_JSON,
    ZM_IR_BYTES
} zm_ir_scalar;

const char *zm_ir_field_name(const zm_ir_field *f);
const char *zm_ir_field_db_name(const zm_ir_field *f);    /* @map, else the name */
const char *zm_ir_field_docs(const zm_ir_field *f);
const zm_ir_model *zm_ir_field_model(const zm_ir_field *f);   /* the model listing it */
/* The declaration that wrote the field: the model itself, an abstract base,
   a mixin type or a delegate base. */
const char *zm_ir_field_origin(const zm_ir_field *f);
/* True if the field is the delegate base's, stored in the base's table. */
bool zm_ir_field_is_from_delegate(const zm_ir_field *f);

zm_ir_field_kind zm_ir_field_kind_of(const zm_ir_field *f);
zm_ir_scalar zm_ir_field_scalar(const zm_ir_field *f);
const char *zm_ir_field_type_name(const zm_ir_field *f);  /* "String", "Role", "Post", ... */
const zm_ir_model *zm_ir_field_target(const zm_ir_field *f);  /* RELATION, COMPOSITE */
const zm_ir_enum *zm_ir_field_enum(const zm_ir_field *f);     /* ENUM */
const char *zm_ir_field_unsupported(const zm_ir_field *f);    /* UNSUPPORTED: "circle" */
bool zm_ir_field_is_list(const zm_ir_field *f);
bool zm_ir_field_is_optional(const zm_ir_field *f);
bool zm_ir_field_is_id(const zm_ir_field *f);             /* part of the primary key */
bool zm_ir_field_is_unique(const zm_ir_field *f);         /* @unique */
bool zm_ir_field_is_updated_at(const zm_ir_field *f);     /* @updatedAt */
bool zm_ir_field_is_ignored(const zm_ir_field *f);        /* @ignore */
bool zm_ir_field_is_computed(const zm_ir_field *f);       /* @computed (v3) */

/* The native database type of @db.X(args): "VarChar" with args "255", or NULL. */
const char *zm_ir_field_native_type(const zm_ir_field *f);
size_t zm_ir_field_native_arg_count(const zm_ir_field *f);
const zm_ir_expr *zm_ir_field_native_arg_at(const zm_ir_field *f, size_t i);

/* The argument of @default: a literal, an enum value, an array or a call
   such as now(), autoincrement(), uuid(), dbgenerated("..."); NULL if none. */
const zm_ir_expr *zm_ir_field_default(const zm_ir_field *f);

const zm_ir_relation *zm_ir_field_relation(const zm_ir_field *f);  /* RELATION only */

/* Field-level policies (@allow, @deny). */
size_t zm_ir_field_rule_count(const zm_ir_field *f);
const zm_ir_rule *zm_ir_field_rule_at(const zm_ir_field *f, size_t i);

size_t zm_ir_field_attr_count(const zm_ir_field *f);
const zm_ir_attr *zm_ir_field_attr_at(const zm_ir_field *f, size_t i);

/* ---- relations ------------------------------------------------------------- */

typedef enum zm_ir_relation_kind {
    ZM_IR_ONE_TO_ONE,
    ZM_IR_ONE_TO_MANY,      /* one side is a list */
    ZM_IR_MANY_TO_MANY      /* both sides are lists: an implicit join table */
} zm_ir_relation_kind;

typedef enum zm_ir_action {
    ZM_IR_ACTION_DEFAULT,   /* not written: the database's or Prisma's default */
    ZM_IR_ACTION_CASCADE,
    ZM_IR_ACTION_RESTRICT,
    ZM_IR_ACTION_NO_ACTION,
    ZM_IR_ACTION_SET_NULL,
    ZM_IR_ACTION_SET_DEFAULT
} zm_ir_action;

/* One relation, shared by its two fields. */
zm_ir_relation_kind zm_ir_relation_kind_of(const zm_ir_relation *r);
const char *zm_ir_relation_name(const zm_ir_relation *r);         /* @relation("name"), or NULL */
/* Side 0 and side 1; side 1 is NULL for a relation without an opposite
   field (a v2 unnamed self relation). */
const zm_ir_field *zm_ir_relation_side(const zm_ir_relation *r, int side);
/* The other side of field f, or NULL. */
const zm_ir_field *zm_ir_relation_opposite(const zm_ir_relation *r, const zm_ir_field *f);
/* The side holding the foreign key (`fields` and `references`); NULL for a
   many-to-many relation. */
const zm_ir_field *zm_ir_relation_owner(const zm_ir_relation *r);
/* The foreign key: fields of the owner's model, and the fields of the
   target model they reference, pairwise. */
size_t zm_ir_relation_key_count(const zm_ir_relation *r);
const zm_ir_field *zm_ir_relation_field_at(const zm_ir_relation *r, size_t i);
const zm_ir_field *zm_ir_relation_reference_at(const zm_ir_relation *r, size_t i);
zm_ir_action zm_ir_relation_on_delete(const zm_ir_relation *r);
zm_ir_action zm_ir_relation_on_update(const zm_ir_relation *r);
const char *zm_ir_relation_map(const zm_ir_relation *r);          /* constraint name, or NULL */
const char *zm_ir_action_name(zm_ir_action a);                    /* "Cascade", ... or NULL */

/* ---- keys and indexes ------------------------------------------------------ */

typedef enum zm_ir_index_kind {
    ZM_IR_PRIMARY,
    ZM_IR_UNIQUE,
    ZM_IR_INDEX,
    ZM_IR_FULLTEXT
} zm_ir_index_kind;

typedef enum zm_ir_sort {
    ZM_IR_SORT_DEFAULT,
    ZM_IR_SORT_ASC,
    ZM_IR_SORT_DESC
} zm_ir_sort;

zm_ir_index_kind zm_ir_index_kind_of(const zm_ir_index *x);
const char *zm_ir_index_name(const zm_ir_index *x);   /* name: (client API name), or NULL */
const char *zm_ir_index_map(const zm_ir_index *x);    /* map: (database name), or NULL */
const char *zm_ir_index_type(const zm_ir_index *x);   /* type: BTree, Hash, Gin, ... or NULL */
int zm_ir_index_clustered(const zm_ir_index *x);      /* clustered: 1, 0, or -1 if not written */
size_t zm_ir_index_field_count(const zm_ir_index *x);
const zm_ir_field *zm_ir_index_field_at(const zm_ir_index *x, size_t i);
zm_ir_sort zm_ir_index_sort_at(const zm_ir_index *x, size_t i);
int zm_ir_index_length_at(const zm_ir_index *x, size_t i);        /* length:, or 0 */
const zm_ir_expr *zm_ir_index_ops_at(const zm_ir_index *x, size_t i);  /* ops:, or NULL */

/* ---- enums ----------------------------------------------------------------- */

const char *zm_ir_enum_name(const zm_ir_enum *e);
const char *zm_ir_enum_db_name(const zm_ir_enum *e);      /* @@map, else the name */
const char *zm_ir_enum_schema(const zm_ir_enum *e);       /* @@schema, or NULL */
const char *zm_ir_enum_docs(const zm_ir_enum *e);
size_t zm_ir_enum_value_count(const zm_ir_enum *e);
const zm_ir_enum_value *zm_ir_enum_value_at(const zm_ir_enum *e, size_t i);
const char *zm_ir_enum_value_name(const zm_ir_enum_value *v);
const char *zm_ir_enum_value_db_name(const zm_ir_enum_value *v);  /* @map, else the name */
const char *zm_ir_enum_value_docs(const zm_ir_enum_value *v);

/* ---- policies and validation rules ----------------------------------------- */

typedef enum zm_ir_rule_kind {
    ZM_IR_ALLOW,            /* @@allow / @allow */
    ZM_IR_DENY,             /* @@deny / @deny */
    ZM_IR_VALIDATE          /* @@validate */
} zm_ir_rule_kind;

zm_ir_rule_kind zm_ir_rule_kind_of(const zm_ir_rule *r);
/* ALLOW, DENY: the operations as written, e.g. "create,read" or "all". */
const char *zm_ir_rule_operations(const zm_ir_rule *r);
const zm_ir_expr *zm_ir_rule_condition(const zm_ir_rule *r);
const char *zm_ir_rule_message(const zm_ir_rule *r);      /* VALIDATE: message, or NULL */
const char *zm_ir_rule_origin(const zm_ir_rule *r);       /* the declaration that wrote it */

/* ---- attributes ------------------------------------------------------------ */

const char *zm_ir_attr_name(const zm_ir_attr *a);         /* "@@index", "@db.VarChar", ... */
size_t zm_ir_attr_arg_count(const zm_ir_attr *a);
const char *zm_ir_attr_arg_name_at(const zm_ir_attr *a, size_t i);     /* the parameter it fills */
const zm_ir_expr *zm_ir_attr_arg_at(const zm_ir_attr *a, size_t i);

/* ---- expressions ----------------------------------------------------------- */

typedef enum zm_ir_expr_kind {
    ZM_IR_EXPR_NUMBER,      /* text: as written, "42", "-1.5" */
    ZM_IR_EXPR_STRING,      /* text: the value, unescaped */
    ZM_IR_EXPR_BOOL,
    ZM_IR_EXPR_NULL,
    ZM_IR_EXPR_THIS,
    ZM_IR_EXPR_REF,         /* text: a field, enum value or parameter name */
    ZM_IR_EXPR_CALL,        /* text: the function; args */
    ZM_IR_EXPR_MEMBER,      /* operand 0 . text */
    ZM_IR_EXPR_ARRAY,       /* args */
    ZM_IR_EXPR_OBJECT,      /* args with names */
    ZM_IR_EXPR_NOT,         /* ! operand 0 */
    ZM_IR_EXPR_BINARY,      /* operand 0, op, operand 1 */
    ZM_IR_EXPR_PREDICATE    /* operand 0 quantifier [ operand 1 ], binding in text */
} zm_ir_expr_kind;

typedef enum zm_ir_ref_kind {
    ZM_IR_REF_NONE,
    ZM_IR_REF_FIELD,        /* a field of the model in scope */
    ZM_IR_REF_ENUM_VALUE,
    ZM_IR_REF_PARAM,        /* a parameter of the function being defined */
    ZM_IR_REF_BINDING       /* a v3 predicate binding */
} zm_ir_ref_kind;

/* Parentheses are not nodes: they are looked through. */
zm_ir_expr_kind zm_ir_expr_kind_of(const zm_ir_expr *e);
const char *zm_ir_expr_text(const zm_ir_expr *e);
bool zm_ir_expr_bool(const zm_ir_expr *e);
const char *zm_ir_expr_op(const zm_ir_expr *e);           /* BINARY: "==", "&&", "in", ... */
char zm_ir_expr_quantifier(const zm_ir_expr *e);          /* PREDICATE: '?', '!' or '^' */
const zm_ir_expr *zm_ir_expr_operand(const zm_ir_expr *e, int i);  /* 0 or 1; NULL if none */
size_t zm_ir_expr_arg_count(const zm_ir_expr *e);
const zm_ir_expr *zm_ir_expr_arg_at(const zm_ir_expr *e, size_t i);
const char *zm_ir_expr_arg_name_at(const zm_ir_expr *e, size_t i);  /* named args, object keys */
zm_ir_ref_kind zm_ir_expr_ref_kind(const zm_ir_expr *e);  /* REF, MEMBER */

/* ---- re-emitting the schema (the Prisma printer) ---------------------------- */

/* The `///` lines before a declaration, field or enum value exactly as
   written (slashes included), joined by \n; NULL if none. */
const char *zm_ir_model_comments(const zm_ir_model *m);
const char *zm_ir_field_comments(const zm_ir_field *f);
const char *zm_ir_enum_comments(const zm_ir_enum *e);
const char *zm_ir_enum_value_comments(const zm_ir_enum_value *v);

/* An enum's own attributes (@@map, @@schema, ...) and an enum value's
   (@map, ...), in source order. */
size_t zm_ir_enum_attr_count(const zm_ir_enum *e);
const zm_ir_attr *zm_ir_enum_attr_at(const zm_ir_enum *e, size_t i);
size_t zm_ir_enum_value_attr_count(const zm_ir_enum_value *v);
const zm_ir_attr *zm_ir_enum_value_attr_at(const zm_ir_enum_value *v, size_t i);

/* True if the attribute's declaration carries @@@prisma (Prisma knows it). */
bool zm_ir_attr_is_prisma(const zm_ir_attr *a);
/* The name argument i was written with (`map: "x"`), or NULL if it was
   positional; zm_ir_attr_arg_name_at gives the parameter either way. */
const char *zm_ir_attr_arg_label_at(const zm_ir_attr *a, size_t i);

/* Write the IR as JSON (the shape of `zmc ir`), indented, to `out`. Returns
   ZM_OK or ZM_EIO. */
int zm_ir_write_json(const zm_ir *ir, FILE *out);


/* ---- the IR for loadable modules ------------------------------------------ */

/* Every function above (but zm_compilation_ir), for the table of IR functions
   the host hands to plugins (zmc/plugin.h): a module compiled with
   ZMC_PLUGIN calls the same names, and they go through the table, so the
   module has no undefined symbols and needs no link against zmc. Append new
   functions at the end: the order is part of the ABI. */
#define ZM_IR_API_FUNCTIONS(X) \
    X(zm_ir_level) \
    X(zm_ir_model_count) \
    X(zm_ir_model_at) \
    X(zm_ir_model_find) \
    X(zm_ir_enum_count) \
    X(zm_ir_enum_at) \
    X(zm_ir_enum_find) \
    X(zm_ir_datasource) \
    X(zm_ir_generator_count) \
    X(zm_ir_generator_at) \
    X(zm_ir_plugin_count) \
    X(zm_ir_plugin_at) \
    X(zm_ir_config_name) \
    X(zm_ir_config_entry_count) \
    X(zm_ir_config_key_at) \
    X(zm_ir_config_value_at) \
    X(zm_ir_config_value) \
    X(zm_ir_config_string) \
    X(zm_ir_config_env) \
    X(zm_ir_model_kind_of) \
    X(zm_ir_model_name) \
    X(zm_ir_model_db_name) \
    X(zm_ir_model_schema) \
    X(zm_ir_model_docs) \
    X(zm_ir_model_is_ignored) \
    X(zm_ir_model_is_auth) \
    X(zm_ir_model_is_delegate) \
    X(zm_ir_model_discriminator) \
    X(zm_ir_model_base) \
    X(zm_ir_model_sub_count) \
    X(zm_ir_model_sub_at) \
    X(zm_ir_model_field_count) \
    X(zm_ir_model_field_at) \
    X(zm_ir_model_field_find) \
    X(zm_ir_model_primary_key) \
    X(zm_ir_model_index_count) \
    X(zm_ir_model_index_at) \
    X(zm_ir_model_rule_count) \
    X(zm_ir_model_rule_at) \
    X(zm_ir_model_attr_count) \
    X(zm_ir_model_attr_at) \
    X(zm_ir_field_name) \
    X(zm_ir_field_db_name) \
    X(zm_ir_field_docs) \
    X(zm_ir_field_model) \
    X(zm_ir_field_origin) \
    X(zm_ir_field_is_from_delegate) \
    X(zm_ir_field_kind_of) \
    X(zm_ir_field_scalar) \
    X(zm_ir_field_type_name) \
    X(zm_ir_field_target) \
    X(zm_ir_field_enum) \
    X(zm_ir_field_unsupported) \
    X(zm_ir_field_is_list) \
    X(zm_ir_field_is_optional) \
    X(zm_ir_field_is_id) \
    X(zm_ir_field_is_unique) \
    X(zm_ir_field_is_updated_at) \
    X(zm_ir_field_is_ignored) \
    X(zm_ir_field_is_computed) \
    X(zm_ir_field_native_type) \
    X(zm_ir_field_native_arg_count) \
    X(zm_ir_field_native_arg_at) \
    X(zm_ir_field_default) \
    X(zm_ir_field_relation) \
    X(zm_ir_field_rule_count) \
    X(zm_ir_field_rule_at) \
    X(zm_ir_field_attr_count) \
    X(zm_ir_field_attr_at) \
    X(zm_ir_relation_kind_of) \
    X(zm_ir_relation_name) \
    X(zm_ir_relation_side) \
    X(zm_ir_relation_opposite) \
    X(zm_ir_relation_owner) \
    X(zm_ir_relation_key_count) \
    X(zm_ir_relation_field_at) \
    X(zm_ir_relation_reference_at) \
    X(zm_ir_relation_on_delete) \
    X(zm_ir_relation_on_update) \
    X(zm_ir_relation_map) \
    X(zm_ir_action_name) \
    X(zm_ir_index_kind_of) \
    X(zm_ir_index_name) \
    X(zm_ir_index_map) \
    X(zm_ir_index_type) \
    X(zm_ir_index_clustered) \
    X(zm_ir_index_field_count) \
    X(zm_ir_index_field_at) \
    X(zm_ir_index_sort_at) \
    X(zm_ir_index_length_at) \
    X(zm_ir_index_ops_at) \
    X(zm_ir_enum_name) \
    X(zm_ir_enum_db_name) \
    X(zm_ir_enum_schema) \
    X(zm_ir_enum_docs) \
    X(zm_ir_enum_value_count) \
    X(zm_ir_enum_value_at) \
    X(zm_ir_enum_value_name) \
    X(zm_ir_enum_value_db_name) \
    X(zm_ir_enum_value_docs) \
    X(zm_ir_rule_kind_of) \
    X(zm_ir_rule_operations) \
    X(zm_ir_rule_condition) \
    X(zm_ir_rule_message) \
    X(zm_ir_rule_origin) \
    X(zm_ir_attr_name) \
    X(zm_ir_attr_arg_count) \
    X(zm_ir_attr_arg_name_at) \
    X(zm_ir_attr_arg_at) \
    X(zm_ir_expr_kind_of) \
    X(zm_ir_expr_text) \
    X(zm_ir_expr_bool) \
    X(zm_ir_expr_op) \
    X(zm_ir_expr_quantifier) \
    X(zm_ir_expr_operand) \
    X(zm_ir_expr_arg_count) \
    X(zm_ir_expr_arg_at) \
    X(zm_ir_expr_arg_name_at) \
    X(zm_ir_expr_ref_kind) \
    X(zm_ir_write_json) \
    X(zm_ir_model_comments) \
    X(zm_ir_field_comments) \
    X(zm_ir_enum_comments) \
    X(zm_ir_enum_value_comments) \
    X(zm_ir_enum_attr_count) \
    X(zm_ir_enum_attr_at) \
    X(zm_ir_enum_value_attr_count) \
    X(zm_ir_enum_value_attr_at) \
    X(zm_ir_attr_is_prisma) \
    X(zm_ir_attr_arg_label_at)

typedef struct zm_ir_api {
    size_t size;            /* sizeof(zm_ir_api) of the host: newer fields are
                               present only if they fit below it */
#define ZM_IR_API_FIELD(f) __typeof__(&f) f;
    ZM_IR_API_FUNCTIONS(ZM_IR_API_FIELD)
#undef ZM_IR_API_FIELD
} zm_ir_api;

/* The host's table (the zmc executable and libzmc). */
extern const zm_ir_api zm_ir_api_table;

#ifdef ZMC_PLUGIN
/* Set by the module from the host's services in its init callback
   (ZMC_PLUGIN_IR_INIT in zmc/plugin.h). */
extern const zm_ir_api *zmc_plugin_ir;
#define zm_ir_level (zmc_plugin_ir->zm_ir_level)
#define zm_ir_model_count (zmc_plugin_ir->zm_ir_model_count)
#define zm_ir_model_at (zmc_plugin_ir->zm_ir_model_at)
#define zm_ir_model_find (zmc_plugin_ir->zm_ir_model_find)
#define zm_ir_enum_count (zmc_plugin_ir->zm_ir_enum_count)
#define zm_ir_enum_at (zmc_plugin_ir->zm_ir_enum_at)
#define zm_ir_enum_find (zmc_plugin_ir->zm_ir_enum_find)
#define zm_ir_datasource (zmc_plugin_ir->zm_ir_datasource)
#define zm_ir_generator_count (zmc_plugin_ir->zm_ir_generator_count)
#define zm_ir_generator_at (zmc_plugin_ir->zm_ir_generator_at)
#define zm_ir_plugin_count (zmc_plugin_ir->zm_ir_plugin_count)
#define zm_ir_plugin_at (zmc_plugin_ir->zm_ir_plugin_at)
#define zm_ir_config_name (zmc_plugin_ir->zm_ir_config_name)
#define zm_ir_config_entry_count (zmc_plugin_ir->zm_ir_config_entry_count)
#define zm_ir_config_key_at (zmc_plugin_ir->zm_ir_config_key_at)
#define zm_ir_config_value_at (zmc_plugin_ir->zm_ir_config_value_at)
#define zm_ir_config_value (zmc_plugin_ir->zm_ir_config_value)
#define zm_ir_config_string (zmc_plugin_ir->zm_ir_config_string)
#define zm_ir_config_env (zmc_plugin_ir->zm_ir_config_env)
#define zm_ir_model_kind_of (zmc_plugin_ir->zm_ir_model_kind_of)
#define zm_ir_model_name (zmc_plugin_ir->zm_ir_model_name)
#define zm_ir_model_db_name (zmc_plugin_ir->zm_ir_model_db_name)
#define zm_ir_model_schema (zmc_plugin_ir->zm_ir_model_schema)
#define zm_ir_model_docs (zmc_plugin_ir->zm_ir_model_docs)
#define zm_ir_model_is_ignored (zmc_plugin_ir->zm_ir_model_is_ignored)
#define zm_ir_model_is_auth (zmc_plugin_ir->zm_ir_model_is_auth)
#define zm_ir_model_is_delegate (zmc_plugin_ir->zm_ir_model_is_delegate)
#define zm_ir_model_discriminator (zmc_plugin_ir->zm_ir_model_discriminator)
#define zm_ir_model_base (zmc_plugin_ir->zm_ir_model_base)
#define zm_ir_model_sub_count (zmc_plugin_ir->zm_ir_model_sub_count)
#define zm_ir_model_sub_at (zmc_plugin_ir->zm_ir_model_sub_at)
#define zm_ir_model_field_count (zmc_plugin_ir->zm_ir_model_field_count)
#define zm_ir_model_field_at (zmc_plugin_ir->zm_ir_model_field_at)
#define zm_ir_model_field_find (zmc_plugin_ir->zm_ir_model_field_find)
#define zm_ir_model_primary_key (zmc_plugin_ir->zm_ir_model_primary_key)
#define zm_ir_model_index_count (zmc_plugin_ir->zm_ir_model_index_count)
#define zm_ir_model_index_at (zmc_plugin_ir->zm_ir_model_index_at)
#define zm_ir_model_rule_count (zmc_plugin_ir->zm_ir_model_rule_count)
#define zm_ir_model_rule_at (zmc_plugin_ir->zm_ir_model_rule_at)
#define zm_ir_model_attr_count (zmc_plugin_ir->zm_ir_model_attr_count)
#define zm_ir_model_attr_at (zmc_plugin_ir->zm_ir_model_attr_at)
#define zm_ir_field_name (zmc_plugin_ir->zm_ir_field_name)
#define zm_ir_field_db_name (zmc_plugin_ir->zm_ir_field_db_name)
#define zm_ir_field_docs (zmc_plugin_ir->zm_ir_field_docs)
#define zm_ir_field_model (zmc_plugin_ir->zm_ir_field_model)
#define zm_ir_field_origin (zmc_plugin_ir->zm_ir_field_origin)
#define zm_ir_field_is_from_delegate (zmc_plugin_ir->zm_ir_field_is_from_delegate)
#define zm_ir_field_kind_of (zmc_plugin_ir->zm_ir_field_kind_of)
#define zm_ir_field_scalar (zmc_plugin_ir->zm_ir_field_scalar)
#define zm_ir_field_type_name (zmc_plugin_ir->zm_ir_field_type_name)
#define zm_ir_field_target (zmc_plugin_ir->zm_ir_field_target)
#define zm_ir_field_enum (zmc_plugin_ir->zm_ir_field_enum)
#define zm_ir_field_unsupported (zmc_plugin_ir->zm_ir_field_unsupported)
#define zm_ir_field_is_list (zmc_plugin_ir->zm_ir_field_is_list)
#define zm_ir_field_is_optional (zmc_plugin_ir->zm_ir_field_is_optional)
#define zm_ir_field_is_id (zmc_plugin_ir->zm_ir_field_is_id)
#define zm_ir_field_is_unique (zmc_plugin_ir->zm_ir_field_is_unique)
#define zm_ir_field_is_updated_at (zmc_plugin_ir->zm_ir_field_is_updated_at)
#define zm_ir_field_is_ignored (zmc_plugin_ir->zm_ir_field_is_ignored)
#define zm_ir_field_is_computed (zmc_plugin_ir->zm_ir_field_is_computed)
#define zm_ir_field_native_type (zmc_plugin_ir->zm_ir_field_native_type)
#define zm_ir_field_native_arg_count (zmc_plugin_ir->zm_ir_field_native_arg_count)
#define zm_ir_field_native_arg_at (zmc_plugin_ir->zm_ir_field_native_arg_at)
#define zm_ir_field_default (zmc_plugin_ir->zm_ir_field_default)
#define zm_ir_field_relation (zmc_plugin_ir->zm_ir_field_relation)
#define zm_ir_field_rule_count (zmc_plugin_ir->zm_ir_field_rule_count)
#define zm_ir_field_rule_at (zmc_plugin_ir->zm_ir_field_rule_at)
#define zm_ir_field_attr_count (zmc_plugin_ir->zm_ir_field_attr_count)
#define zm_ir_field_attr_at (zmc_plugin_ir->zm_ir_field_attr_at)
#define zm_ir_relation_kind_of (zmc_plugin_ir->zm_ir_relation_kind_of)
#define zm_ir_relation_name (zmc_plugin_ir->zm_ir_relation_name)
#define zm_ir_relation_side (zmc_plugin_ir->zm_ir_relation_side)
#define zm_ir_relation_opposite (zmc_plugin_ir->zm_ir_relation_opposite)
#define zm_ir_relation_owner (zmc_plugin_ir->zm_ir_relation_owner)
#define zm_ir_relation_key_count (zmc_plugin_ir->zm_ir_relation_key_count)
#define zm_ir_relation_field_at (zmc_plugin_ir->zm_ir_relation_field_at)
#define zm_ir_relation_reference_at (zmc_plugin_ir->zm_ir_relation_reference_at)
#define zm_ir_relation_on_delete (zmc_plugin_ir->zm_ir_relation_on_delete)
#define zm_ir_relation_on_update (zmc_plugin_ir->zm_ir_relation_on_update)
#define zm_ir_relation_map (zmc_plugin_ir->zm_ir_relation_map)
#define zm_ir_action_name (zmc_plugin_ir->zm_ir_action_name)
#define zm_ir_index_kind_of (zmc_plugin_ir->zm_ir_index_kind_of)
#define zm_ir_index_name (zmc_plugin_ir->zm_ir_index_name)
#define zm_ir_index_map (zmc_plugin_ir->zm_ir_index_map)
#define zm_ir_index_type (zmc_plugin_ir->zm_ir_index_type)
#define zm_ir_index_clustered (zmc_plugin_ir->zm_ir_index_clustered)
#define zm_ir_index_field_count (zmc_plugin_ir->zm_ir_index_field_count)
#define zm_ir_index_field_at (zmc_plugin_ir->zm_ir_index_field_at)
#define zm_ir_index_sort_at (zmc_plugin_ir->zm_ir_index_sort_at)
#define zm_ir_index_length_at (zmc_plugin_ir->zm_ir_index_length_at)
#define zm_ir_index_ops_at (zmc_plugin_ir->zm_ir_index_ops_at)
#define zm_ir_enum_name (zmc_plugin_ir->zm_ir_enum_name)
#define zm_ir_enum_db_name (zmc_plugin_ir->zm_ir_enum_db_name)
#define zm_ir_enum_schema (zmc_plugin_ir->zm_ir_enum_schema)
#define zm_ir_enum_docs (zmc_plugin_ir->zm_ir_enum_docs)
#define zm_ir_enum_value_count (zmc_plugin_ir->zm_ir_enum_value_count)
#define zm_ir_enum_value_at (zmc_plugin_ir->zm_ir_enum_value_at)
#define zm_ir_enum_value_name (zmc_plugin_ir->zm_ir_enum_value_name)
#define zm_ir_enum_value_db_name (zmc_plugin_ir->zm_ir_enum_value_db_name)
#define zm_ir_enum_value_docs (zmc_plugin_ir->zm_ir_enum_value_docs)
#define zm_ir_rule_kind_of (zmc_plugin_ir->zm_ir_rule_kind_of)
#define zm_ir_rule_operations (zmc_plugin_ir->zm_ir_rule_operations)
#define zm_ir_rule_condition (zmc_plugin_ir->zm_ir_rule_condition)
#define zm_ir_rule_message (zmc_plugin_ir->zm_ir_rule_message)
#define zm_ir_rule_origin (zmc_plugin_ir->zm_ir_rule_origin)
#define zm_ir_attr_name (zmc_plugin_ir->zm_ir_attr_name)
#define zm_ir_attr_arg_count (zmc_plugin_ir->zm_ir_attr_arg_count)
#define zm_ir_attr_arg_name_at (zmc_plugin_ir->zm_ir_attr_arg_name_at)
#define zm_ir_attr_arg_at (zmc_plugin_ir->zm_ir_attr_arg_at)
#define zm_ir_expr_kind_of (zmc_plugin_ir->zm_ir_expr_kind_of)
#define zm_ir_expr_text (zmc_plugin_ir->zm_ir_expr_text)
#define zm_ir_expr_bool (zmc_plugin_ir->zm_ir_expr_bool)
#define zm_ir_expr_op (zmc_plugin_ir->zm_ir_expr_op)
#define zm_ir_expr_quantifier (zmc_plugin_ir->zm_ir_expr_quantifier)
#define zm_ir_expr_operand (zmc_plugin_ir->zm_ir_expr_operand)
#define zm_ir_expr_arg_count (zmc_plugin_ir->zm_ir_expr_arg_count)
#define zm_ir_expr_arg_at (zmc_plugin_ir->zm_ir_expr_arg_at)
#define zm_ir_expr_arg_name_at (zmc_plugin_ir->zm_ir_expr_arg_name_at)
#define zm_ir_expr_ref_kind (zmc_plugin_ir->zm_ir_expr_ref_kind)
#define zm_ir_write_json (zmc_plugin_ir->zm_ir_write_json)
#define zm_ir_model_comments (zmc_plugin_ir->zm_ir_model_comments)
#define zm_ir_field_comments (zmc_plugin_ir->zm_ir_field_comments)
#define zm_ir_enum_comments (zmc_plugin_ir->zm_ir_enum_comments)
#define zm_ir_enum_value_comments (zmc_plugin_ir->zm_ir_enum_value_comments)
#define zm_ir_enum_attr_count (zmc_plugin_ir->zm_ir_enum_attr_count)
#define zm_ir_enum_attr_at (zmc_plugin_ir->zm_ir_enum_attr_at)
#define zm_ir_enum_value_attr_count (zmc_plugin_ir->zm_ir_enum_value_attr_count)
#define zm_ir_enum_value_attr_at (zmc_plugin_ir->zm_ir_enum_value_attr_at)
#define zm_ir_attr_is_prisma (zmc_plugin_ir->zm_ir_attr_is_prisma)
#define zm_ir_attr_arg_label_at (zmc_plugin_ir->zm_ir_attr_arg_label_at)
#endif

#ifdef __cplusplus
}
#endif

#endif
