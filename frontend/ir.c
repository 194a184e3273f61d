/*
** ir.c — the read-only accessors of the model IR (zmc/ir.h).
**
** Each accessor reads one field of the private layout in ir_impl.h. Index
** arguments out of range give NULL (or 0), never undefined behaviour, so a
** plugin with an off-by-one fails softly.
*/
#include <string.h>

#include "ir_impl.h"

#define AT(list, i) ((i) < (list).count ? (list).items[i] : NULL)

const zm_ir *zm_compilation_ir(zm_compilation *c)
{
    if (!c || c->checked != 1) return NULL;
    if (!c->ir) c->ir = zm_ir_build(c);
    return c->ir;
}

int zm_ir_level(const zm_ir *ir) { return ir->level; }

size_t zm_ir_model_count(const zm_ir *ir) { return ir->models.count; }
const zm_ir_model *zm_ir_model_at(const zm_ir *ir, size_t i) { return AT(ir->models, i); }
const zm_ir_model *zm_ir_model_find(const zm_ir *ir, const char *name)
{
    return zm_map_get(&ir->model_names, name);
}

size_t zm_ir_enum_count(const zm_ir *ir) { return ir->enums.count; }
const zm_ir_enum *zm_ir_enum_at(const zm_ir *ir, size_t i) { return AT(ir->enums, i); }
const zm_ir_enum *zm_ir_enum_find(const zm_ir *ir, const char *name)
{
    return zm_map_get(&ir->enum_names, name);
}

const zm_ir_config *zm_ir_datasource(const zm_ir *ir) { return ir->datasource; }
size_t zm_ir_generator_count(const zm_ir *ir) { return ir->generators.count; }
const zm_ir_config *zm_ir_generator_at(const zm_ir *ir, size_t i) { return AT(ir->generators, i); }
size_t zm_ir_plugin_count(const zm_ir *ir) { return ir->plugins.count; }
const zm_ir_config *zm_ir_plugin_at(const zm_ir *ir, size_t i) { return AT(ir->plugins, i); }

/* ---- configuration blocks ---------------------------------------------------- */

static const zm_member *config_entry(const zm_ir_config *c, size_t i)
{
    for (const zm_member *m = c->decl->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_CONFIG && i-- == 0) return m;
    return NULL;
}

const char *zm_ir_config_name(const zm_ir_config *c) { return c->decl->name; }

size_t zm_ir_config_entry_count(const zm_ir_config *c)
{
    size_t n = 0;
    for (const zm_member *m = c->decl->members; m; m = m->next) n += m->kind == ZM_MEMBER_CONFIG;
    return n;
}

const char *zm_ir_config_key_at(const zm_ir_config *c, size_t i)
{
    const zm_member *m = config_entry(c, i);
    return m ? m->name : NULL;
}

const zm_ir_expr *zm_ir_config_value_at(const zm_ir_config *c, size_t i)
{
    const zm_member *m = config_entry(c, i);
    return m ? (const zm_ir_expr *)m->value : NULL;
}

const zm_ir_expr *zm_ir_config_value(const zm_ir_config *c, const char *key)
{
    for (const zm_member *m = c->decl->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_CONFIG && strcmp(m->name, key) == 0) return (const zm_ir_expr *)m->value;
    return NULL;
}

const char *zm_ir_config_string(const zm_ir_config *c, const char *key)
{
    const zm_ir_expr *e = zm_ir_config_value(c, key);
    return e && zm_ir_expr_kind_of(e) == ZM_IR_EXPR_STRING ? zm_ir_expr_text(e) : NULL;
}

const char *zm_ir_config_env(const zm_ir_config *c, const char *key)
{
    const zm_ir_expr *e = zm_ir_config_value(c, key);
    if (!e || zm_ir_expr_kind_of(e) != ZM_IR_EXPR_CALL || strcmp(zm_ir_expr_text(e), "env") != 0 ||
        zm_ir_expr_arg_count(e) != 1)
        return NULL;
    const zm_ir_expr *v = zm_ir_expr_arg_at(e, 0);
    return zm_ir_expr_kind_of(v) == ZM_IR_EXPR_STRING ? zm_ir_expr_text(v) : NULL;
}

/* ---- models -------------------------------------------------------------------- */

zm_ir_model_kind zm_ir_model_kind_of(const zm_ir_model *m) { return m->kind; }
const char *zm_ir_model_name(const zm_ir_model *m) { return m->name; }
const char *zm_ir_model_db_name(const zm_ir_model *m) { return m->db_name; }
const char *zm_ir_model_schema(const zm_ir_model *m) { return m->schema; }
const char *zm_ir_model_docs(const zm_ir_model *m) { return m->docs; }
bool zm_ir_model_is_ignored(const zm_ir_model *m) { return m->ignored; }
bool zm_ir_model_is_auth(const zm_ir_model *m) { return m->auth; }
bool zm_ir_model_is_delegate(const zm_ir_model *m) { return m->delegate; }
const zm_ir_field *zm_ir_model_discriminator(const zm_ir_model *m) { return m->discriminator; }
const zm_ir_model *zm_ir_model_base(const zm_ir_model *m) { return m->base; }
size_t zm_ir_model_sub_count(const zm_ir_model *m) { return m->subs.count; }
const zm_ir_model *zm_ir_model_sub_at(const zm_ir_model *m, size_t i) { return AT(m->subs, i); }
size_t zm_ir_model_field_count(const zm_ir_model *m) { return m->fields.count; }
const zm_ir_field *zm_ir_model_field_at(const zm_ir_model *m, size_t i) { return AT(m->fields, i); }
const zm_ir_field *zm_ir_model_field_find(const zm_ir_model *m, const char *name)
{
    return zm_map_get(&m->field_names, name);
}
const zm_ir_index *zm_ir_model_primary_key(const zm_ir_model *m) { return m->primary_key; }
size_t zm_ir_model_index_count(const zm_ir_model *m) { return m->indexes.count; }
const zm_ir_index *zm_ir_model_index_at(const zm_ir_model *m, size_t i) { return AT(m->indexes, i); }
size_t zm_ir_model_rule_count(const zm_ir_model *m) { return m->rules.count; }
const zm_ir_rule *zm_ir_model_rule_at(const zm_ir_model *m, size_t i) { return AT(m->rules, i); }
size_t zm_ir_model_attr_count(const zm_ir_model *m) { return m->attrs.count; }
const zm_ir_attr *zm_ir_model_attr_at(const zm_ir_model *m, size_t i) { return AT(m->attrs, i); }

/* ---- fields -------------------------------------------------------------------- */

const char *zm_ir_field_name(const zm_ir_field *f) { return f->name; }
const char *zm_ir_field_db_name(const zm_ir_field *f) { return f->db_name; }
const char *zm_ir_field_docs(const zm_ir_field *f) { return f->docs; }
const zm_ir_model *zm_ir_field_model(const zm_ir_field *f) { return f->model; }
const char *zm_ir_field_origin(const zm_ir_field *f) { return f->origin->name; }
bool zm_ir_field_is_from_delegate(const zm_ir_field *f) { return f->from_delegate; }
zm_ir_field_kind zm_ir_field_kind_of(const zm_ir_field *f) { return f->kind; }
zm_ir_scalar zm_ir_field_scalar(const zm_ir_field *f) { return f->scalar; }
const char *zm_ir_field_type_name(const zm_ir_field *f) { return f->member->type->name; }
const zm_ir_model *zm_ir_field_target(const zm_ir_field *f) { return f->target; }
const zm_ir_enum *zm_ir_field_enum(const zm_ir_field *f) { return f->enumeration; }
const char *zm_ir_field_unsupported(const zm_ir_field *f)
{
    const zm_expr *e = f->member->type->unsupported;
    return f->kind == ZM_IR_FIELD_UNSUPPORTED && e && e->kind == ZM_EXPR_STRING ? e->text : NULL;
}
bool zm_ir_field_is_list(const zm_ir_field *f) { return f->list; }
bool zm_ir_field_is_optional(const zm_ir_field *f) { return f->optional; }
bool zm_ir_field_is_id(const zm_ir_field *f) { return f->id; }
bool zm_ir_field_is_unique(const zm_ir_field *f) { return f->unique; }
bool zm_ir_field_is_updated_at(const zm_ir_field *f) { return f->updated_at; }
bool zm_ir_field_is_ignored(const zm_ir_field *f) { return f->ignored; }
bool zm_ir_field_is_computed(const zm_ir_field *f) { return f->computed; }

const char *zm_ir_field_native_type(const zm_ir_field *f)
{
    /* past "@db." of its declaration (written @mydb.X with datasource mydb) */
    return f->native ? (f->native->decl ? f->native->decl->name : f->native->name) + 4 : NULL;
}

size_t zm_ir_field_native_arg_count(const zm_ir_field *f)
{
    return f->native ? zm_ir_attr_arg_count((const zm_ir_attr *)f->native) : 0;
}

const zm_ir_expr *zm_ir_field_native_arg_at(const zm_ir_field *f, size_t i)
{
    return f->native ? zm_ir_attr_arg_at((const zm_ir_attr *)f->native, i) : NULL;
}

const zm_ir_expr *zm_ir_field_default(const zm_ir_field *f)
{
    return (const zm_ir_expr *)f->default_value;
}

const zm_ir_relation *zm_ir_field_relation(const zm_ir_field *f) { return f->relation; }
size_t zm_ir_field_rule_count(const zm_ir_field *f) { return f->rules.count; }
const zm_ir_rule *zm_ir_field_rule_at(const zm_ir_field *f, size_t i) { return AT(f->rules, i); }
size_t zm_ir_field_attr_count(const zm_ir_field *f) { return f->attrs.count; }
const zm_ir_attr *zm_ir_field_attr_at(const zm_ir_field *f, size_t i) { return AT(f->attrs, i); }

/* ---- relations ------------------------------------------------------------------ */

zm_ir_relation_kind zm_ir_relation_kind_of(const zm_ir_relation *r) { return r->kind; }
const char *zm_ir_relation_name(const zm_ir_relation *r) { return r->name; }
const zm_ir_field *zm_ir_relation_side(const zm_ir_relation *r, int side)
{
    return side == 0 || side == 1 ? r->side[side] : NULL;
}
const zm_ir_field *zm_ir_relation_opposite(const zm_ir_relation *r, const zm_ir_field *f)
{
    return f == r->side[0] ? r->side[1] : f == r->side[1] ? r->side[0] : NULL;
}
const zm_ir_field *zm_ir_relation_owner(const zm_ir_relation *r) { return r->owner; }
size_t zm_ir_relation_key_count(const zm_ir_relation *r) { return r->nkeys; }
const zm_ir_field *zm_ir_relation_field_at(const zm_ir_relation *r, size_t i)
{
    return i < r->nkeys ? r->fields[i] : NULL;
}
const zm_ir_field *zm_ir_relation_reference_at(const zm_ir_relation *r, size_t i)
{
    return i < r->nkeys ? r->references[i] : NULL;
}
zm_ir_action zm_ir_relation_on_delete(const zm_ir_relation *r) { return r->on_delete; }
zm_ir_action zm_ir_relation_on_update(const zm_ir_relation *r) { return r->on_update; }
const char *zm_ir_relation_map(const zm_ir_relation *r) { return r->map; }

const char *zm_ir_action_name(zm_ir_action a)
{
    static const char *const names[] = {NULL, "Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"};
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : NULL;
}

/* ---- keys and indexes ------------------------------------------------------------- */

zm_ir_index_kind zm_ir_index_kind_of(const zm_ir_index *x) { return x->kind; }
const char *zm_ir_index_name(const zm_ir_index *x) { return x->name; }
const char *zm_ir_index_map(const zm_ir_index *x) { return x->map; }
const char *zm_ir_index_type(const zm_ir_index *x) { return x->type; }
int zm_ir_index_clustered(const zm_ir_index *x) { return x->clustered; }
size_t zm_ir_index_field_count(const zm_ir_index *x) { return x->count; }
const zm_ir_field *zm_ir_index_field_at(const zm_ir_index *x, size_t i)
{
    return i < x->count ? x->fields[i] : NULL;
}
zm_ir_sort zm_ir_index_sort_at(const zm_ir_index *x, size_t i)
{
    return i < x->count ? x->sort[i] : ZM_IR_SORT_DEFAULT;
}
int zm_ir_index_length_at(const zm_ir_index *x, size_t i) { return i < x->count ? x->length[i] : 0; }
const zm_ir_expr *zm_ir_index_ops_at(const zm_ir_index *x, size_t i)
{
    return i < x->count ? (const zm_ir_expr *)x->ops[i] : NULL;
}

/* ---- enums ------------------------------------------------------------------------ */

const char *zm_ir_enum_name(const zm_ir_enum *e) { return e->name; }
const char *zm_ir_enum_db_name(const zm_ir_enum *e) { return e->db_name; }
const char *zm_ir_enum_schema(const zm_ir_enum *e) { return e->schema; }
const char *zm_ir_enum_docs(const zm_ir_enum *e) { return e->docs; }
size_t zm_ir_enum_value_count(const zm_ir_enum *e) { return e->nvalues; }
const zm_ir_enum_value *zm_ir_enum_value_at(const zm_ir_enum *e, size_t i)
{
    return i < e->nvalues ? &e->values[i] : NULL;
}
const char *zm_ir_enum_value_name(const zm_ir_enum_value *v) { return v->name; }
const char *zm_ir_enum_value_db_name(const zm_ir_enum_value *v) { return v->db_name; }
const char *zm_ir_enum_value_docs(const zm_ir_enum_value *v) { return v->docs; }

/* ---- rules ------------------------------------------------------------------------- */

zm_ir_rule_kind zm_ir_rule_kind_of(const zm_ir_rule *r) { return r->kind; }
const char *zm_ir_rule_operations(const zm_ir_rule *r) { return r->operations; }
const zm_ir_expr *zm_ir_rule_condition(const zm_ir_rule *r) { return (const zm_ir_expr *)r->condition; }
const char *zm_ir_rule_message(const zm_ir_rule *r) { return r->message; }
const char *zm_ir_rule_origin(const zm_ir_rule *r) { return r->origin; }

/* ---- attributes --------------------------------------------------------------------- */

static const zm_arg *arg_at(const zm_arg *g, size_t i)
{
    while (g && i--) g = g->next;
    return g;
}

static size_t arg_count(const zm_arg *g)
{
    size_t n = 0;
    for (; g; g = g->next) n++;
    return n;
}

const char *zm_ir_attr_name(const zm_ir_attr *a) { return ((const zm_attr *)a)->name; }
size_t zm_ir_attr_arg_count(const zm_ir_attr *a) { return arg_count(((const zm_attr *)a)->args); }
const char *zm_ir_attr_arg_name_at(const zm_ir_attr *a, size_t i)
{
    const zm_arg *g = arg_at(((const zm_attr *)a)->args, i);
    return !g ? NULL : g->param ? g->param->name : g->name;
}
const zm_ir_expr *zm_ir_attr_arg_at(const zm_ir_attr *a, size_t i)
{
    const zm_arg *g = arg_at(((const zm_attr *)a)->args, i);
    return g ? (const zm_ir_expr *)g->value : NULL;
}

/* ---- expressions --------------------------------------------------------------------- */

static const zm_expr *expr(const zm_ir_expr *e)
{
    const zm_expr *x = (const zm_expr *)e;
    while (x && x->kind == ZM_EXPR_PAREN) x = x->lhs;
    return x;
}

zm_ir_expr_kind zm_ir_expr_kind_of(const zm_ir_expr *e)
{
    switch (expr(e)->kind) {
    case ZM_EXPR_NUMBER: return ZM_IR_EXPR_NUMBER;
    case ZM_EXPR_STRING: return ZM_IR_EXPR_STRING;
    case ZM_EXPR_BOOL: return ZM_IR_EXPR_BOOL;
    case ZM_EXPR_NULL: return ZM_IR_EXPR_NULL;
    case ZM_EXPR_THIS: return ZM_IR_EXPR_THIS;
    case ZM_EXPR_REF: return ZM_IR_EXPR_REF;
    case ZM_EXPR_CALL: return ZM_IR_EXPR_CALL;
    case ZM_EXPR_MEMBER: return ZM_IR_EXPR_MEMBER;
    case ZM_EXPR_ARRAY: return ZM_IR_EXPR_ARRAY;
    case ZM_EXPR_OBJECT: return ZM_IR_EXPR_OBJECT;
    case ZM_EXPR_NOT: return ZM_IR_EXPR_NOT;
    case ZM_EXPR_BINARY: return ZM_IR_EXPR_BINARY;
    case ZM_EXPR_PREDICATE:
    case ZM_EXPR_PAREN: break;
    }
    return ZM_IR_EXPR_PREDICATE;
}

const char *zm_ir_expr_text(const zm_ir_expr *e) { return expr(e)->text; }
bool zm_ir_expr_bool(const zm_ir_expr *e) { return expr(e)->boolean; }

const char *zm_ir_expr_op(const zm_ir_expr *e)
{
    const zm_expr *x = expr(e);
    return x->kind == ZM_EXPR_BINARY ? zm_binop_text(x->op) : NULL;
}

char zm_ir_expr_quantifier(const zm_ir_expr *e)
{
    const zm_expr *x = expr(e);
    return x->kind == ZM_EXPR_PREDICATE ? (char)x->quant : 0;
}

const zm_ir_expr *zm_ir_expr_operand(const zm_ir_expr *e, int i)
{
    const zm_expr *x = expr(e);
    return (const zm_ir_expr *)(i == 0 ? x->lhs : i == 1 ? x->rhs : NULL);
}

size_t zm_ir_expr_arg_count(const zm_ir_expr *e) { return arg_count(expr(e)->args); }
const zm_ir_expr *zm_ir_expr_arg_at(const zm_ir_expr *e, size_t i)
{
    const zm_arg *g = arg_at(expr(e)->args, i);
    return g ? (const zm_ir_expr *)g->value : NULL;
}
const char *zm_ir_expr_arg_name_at(const zm_ir_expr *e, size_t i)
{
    const zm_arg *g = arg_at(expr(e)->args, i);
    return g ? g->name : NULL;
}

zm_ir_ref_kind zm_ir_expr_ref_kind(const zm_ir_expr *e)
{
    const zm_expr *x = expr(e);
    if (x->kind != ZM_EXPR_REF && x->kind != ZM_EXPR_MEMBER) return ZM_IR_REF_NONE;
    if (x->member) return x->member->kind == ZM_MEMBER_ENUM_VALUE ? ZM_IR_REF_ENUM_VALUE : ZM_IR_REF_FIELD;
    if (x->param) return ZM_IR_REF_PARAM;
    if (x->kind == ZM_EXPR_REF && x->denotes) return ZM_IR_REF_BINDING;
    return ZM_IR_REF_NONE;
}

/* ---- for printers that re-emit the schema --------------------------------------- */

const char *zm_ir_model_comments(const zm_ir_model *m) { return m->comments; }
const char *zm_ir_field_comments(const zm_ir_field *f) { return f->comments; }
const char *zm_ir_enum_comments(const zm_ir_enum *e) { return e->comments; }
const char *zm_ir_enum_value_comments(const zm_ir_enum_value *v) { return v->comments; }

static const zm_member *enum_attr_member(const zm_ir_enum *e, size_t i)
{
    for (const zm_member *m = e->decl->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_ATTR && i-- == 0) return m;
    return NULL;
}

size_t zm_ir_enum_attr_count(const zm_ir_enum *e)
{
    size_t n = 0;
    for (const zm_member *m = e->decl->members; m; m = m->next) n += m->kind == ZM_MEMBER_ATTR;
    return n;
}

const zm_ir_attr *zm_ir_enum_attr_at(const zm_ir_enum *e, size_t i)
{
    const zm_member *m = enum_attr_member(e, i);
    return m ? (const zm_ir_attr *)m->attrs : NULL;
}

size_t zm_ir_enum_value_attr_count(const zm_ir_enum_value *v)
{
    size_t n = 0;
    for (const zm_attr *a = v->member->attrs; a; a = a->next) n++;
    return n;
}

const zm_ir_attr *zm_ir_enum_value_attr_at(const zm_ir_enum_value *v, size_t i)
{
    const zm_attr *a = v->member->attrs;
    while (a && i--) a = a->next;
    return (const zm_ir_attr *)a;
}

/* The declaration of a standard-library attribute says @@@prisma when
   Prisma knows the attribute too. */
bool zm_ir_attr_is_prisma(const zm_ir_attr *a)
{
    const zm_decl *d = ((const zm_attr *)a)->decl;
    for (const zm_attr *x = d ? d->attrs : NULL; x; x = x->next)
        if (strcmp(x->name, "@@@prisma") == 0) return true;
    return false;
}

const char *zm_ir_attr_arg_label_at(const zm_ir_attr *a, size_t i)
{
    const zm_arg *g = arg_at(((const zm_attr *)a)->args, i);
    return g ? g->name : NULL;
}

/* ---- the table handed to plugins ------------------------------------------------- */

const zm_ir_api zm_ir_api_table = {
    .size = sizeof(zm_ir_api),
#define ZM_IR_API_ENTRY(f) .f = f,
    ZM_IR_API_FUNCTIONS(ZM_IR_API_ENTRY)
#undef ZM_IR_API_ENTRY
};
