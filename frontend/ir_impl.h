/*
** ir_impl.h — the layout of the model IR (zmc/ir.h), private to zmc.
**
** ir_build.c lowers the checked syntax tree into these structs and ir.c
** answers the public accessors from them. Everything is arena memory of the
** compilation. Expressions and attribute applications are not copied: the
** public zm_ir_expr and zm_ir_attr handles are the tree's own nodes.
*/
#ifndef ZM_IR_IMPL_H
#define ZM_IR_IMPL_H

#include "zmc/ir.h"
#include "compilation.h"
#include "map.h"

/* An arena-backed list of pointers. */
typedef struct zm_ir_list {
    void **items;
    size_t count, cap;
} zm_ir_list;

struct zm_ir_config {
    const zm_decl *decl;
};

struct zm_ir_enum_value {
    const zm_member *member;
    const char *name, *db_name, *docs, *comments;
};

struct zm_ir_enum {
    const zm_decl *decl;
    const char *name, *db_name, *schema, *docs, *comments;
    zm_ir_enum_value *values;
    size_t nvalues;
};

struct zm_ir_index {
    zm_ir_index_kind kind;
    const char *name, *map, *type;
    int clustered;
    size_t count;
    const zm_ir_field **fields;
    zm_ir_sort *sort;
    int *length;
    const zm_expr **ops;
    const zm_attr *attr;            /* where it is written */
};

struct zm_ir_rule {
    zm_ir_rule_kind kind;
    const char *operations, *message, *origin;
    const zm_expr *condition;
};

struct zm_ir_relation {
    zm_ir_relation_kind kind;
    const char *name, *map;
    const zm_ir_field *side[2];
    const zm_ir_field *owner;
    size_t nkeys;
    const zm_ir_field **fields, **references;
    zm_ir_action on_delete, on_update;
};

struct zm_ir_field {
    const zm_member *member;
    zm_ir_model *model;
    const zm_decl *origin;
    bool from_delegate;
    const char *name, *db_name, *docs, *comments;
    zm_ir_field_kind kind;
    zm_ir_scalar scalar;
    zm_ir_model *target;
    zm_ir_enum *enumeration;
    bool list, optional, id, unique, updated_at, ignored, computed;
    const zm_attr *native;          /* @db.X */
    const zm_expr *default_value;
    zm_ir_relation *relation;
    zm_ir_list rules;               /* zm_ir_rule */
    zm_ir_list attrs;               /* const zm_attr */
};

struct zm_ir_model {
    const zm_decl *decl;
    zm_ir_model_kind kind;
    const char *name, *db_name, *schema, *docs, *comments;
    bool ignored, auth, delegate;
    const zm_ir_field *discriminator;
    zm_ir_model *base;
    zm_ir_list subs;                /* zm_ir_model */
    zm_ir_list fields;              /* zm_ir_field */
    zm_map field_names;             /* name -> zm_ir_field */
    zm_ir_index *primary_key;
    zm_ir_list indexes;             /* zm_ir_index */
    zm_ir_list rules;               /* zm_ir_rule */
    zm_ir_list attrs;               /* const zm_attr */
};

struct zm_ir {
    zm_compilation *c;
    int level;
    zm_ir_list models, enums, generators, plugins;
    zm_ir_config *datasource;
    zm_map model_names;             /* name -> zm_ir_model */
    zm_map enum_names;              /* name -> zm_ir_enum */
};

/* Lower the checked tree of c (ir_build.c). */
zm_ir *zm_ir_build(zm_compilation *c);
/* Release the maps the IR holds (its memory is the arena's). */
void zm_ir_free(zm_ir *ir);

void zm_ir_list_push(zm_arena *a, zm_ir_list *l, const void *item);

#endif
