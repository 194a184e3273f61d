/*
** ir_json.c — the model IR as JSON (`zmc ir`), through jansson.
**
** Written against the public API of zmc/ir.h only, so it doubles as proof
** that a backend can see everything the IR holds. Keys keep insertion
** order; optional values that are absent and flags that are false are left
** out, so a golden file shows what a schema says and not the defaults.
*/
#include <jansson.h>
#include <string.h>

#include "zmc/ir.h"

static void set(json_t *o, const char *key, json_t *v)
{
    if (v) json_object_set_new(o, key, v);
}

static void set_string(json_t *o, const char *key, const char *s)
{
    if (s) json_object_set_new(o, key, json_string(s));
}

static void set_flag(json_t *o, const char *key, bool b)
{
    if (b) json_object_set_new(o, key, json_true());
}

/* ---- expressions ---------------------------------------------------------- */

static json_t *expr_json(const zm_ir_expr *e);

static json_t *args_json(const zm_ir_expr *e)
{
    json_t *a = json_array();
    for (size_t i = 0; i < zm_ir_expr_arg_count(e); i++) {
        json_t *v = expr_json(zm_ir_expr_arg_at(e, i));
        const char *name = zm_ir_expr_arg_name_at(e, i);
        if (name) {
            json_t *named = json_object();
            set_string(named, "name", name);
            set(named, "value", v);
            v = named;
        }
        json_array_append_new(a, v);
    }
    return a;
}

static const char *ref_kind_name(zm_ir_ref_kind k)
{
    switch (k) {
    case ZM_IR_REF_FIELD: return "field";
    case ZM_IR_REF_ENUM_VALUE: return "enumValue";
    case ZM_IR_REF_PARAM: return "param";
    case ZM_IR_REF_BINDING: return "binding";
    case ZM_IR_REF_NONE: break;
    }
    return NULL;
}

static json_t *expr_json(const zm_ir_expr *e)
{
    if (!e) return NULL;
    json_t *o = json_object();
    static const char *const kinds[] = {"number", "string", "bool", "null", "this", "ref", "call",
                                        "member", "array", "object", "not", "binary", "predicate"};
    zm_ir_expr_kind k = zm_ir_expr_kind_of(e);
    set_string(o, "kind", kinds[k]);
    switch (k) {
    case ZM_IR_EXPR_NUMBER:
    case ZM_IR_EXPR_STRING:
        set_string(o, "value", zm_ir_expr_text(e));
        break;
    case ZM_IR_EXPR_BOOL:
        set(o, "value", json_boolean(zm_ir_expr_bool(e)));
        break;
    case ZM_IR_EXPR_REF:
        set_string(o, "name", zm_ir_expr_text(e));
        set_string(o, "target", ref_kind_name(zm_ir_expr_ref_kind(e)));
        break;
    case ZM_IR_EXPR_CALL:
        set_string(o, "function", zm_ir_expr_text(e));
        set(o, "args", args_json(e));
        break;
    case ZM_IR_EXPR_MEMBER:
        set(o, "operand", expr_json(zm_ir_expr_operand(e, 0)));
        set_string(o, "name", zm_ir_expr_text(e));
        set_string(o, "target", ref_kind_name(zm_ir_expr_ref_kind(e)));
        break;
    case ZM_IR_EXPR_ARRAY:
        set(o, "items", args_json(e));
        break;
    case ZM_IR_EXPR_OBJECT:
        set(o, "entries", args_json(e));
        break;
    case ZM_IR_EXPR_NOT:
        set(o, "operand", expr_json(zm_ir_expr_operand(e, 0)));
        break;
    case ZM_IR_EXPR_BINARY:
        set_string(o, "op", zm_ir_expr_op(e));
        set(o, "left", expr_json(zm_ir_expr_operand(e, 0)));
        set(o, "right", expr_json(zm_ir_expr_operand(e, 1)));
        break;
    case ZM_IR_EXPR_PREDICATE: {
        char q[2] = {zm_ir_expr_quantifier(e), 0};
        set_string(o, "quantifier", q);
        set_string(o, "binding", zm_ir_expr_text(e));
        set(o, "operand", expr_json(zm_ir_expr_operand(e, 0)));
        set(o, "condition", expr_json(zm_ir_expr_operand(e, 1)));
        break;
    }
    case ZM_IR_EXPR_NULL:
    case ZM_IR_EXPR_THIS:
        break;
    }
    return o;
}

/* Attributes the JSON shows under keys of their own (id, default, indexes,
   rules, ...) are not repeated in "attributes"; the C API lists them all. */
static bool shown_elsewhere(const char *name)
{
    static const char *const names[] = {
        "@id", "@default", "@unique", "@updatedAt", "@ignore", "@computed", "@map", "@relation",
        "@allow", "@deny", "@@id", "@@unique", "@@index", "@@fulltext", "@@map", "@@schema",
        "@@ignore", "@@auth", "@@allow", "@@deny", "@@validate", "@@delegate"};
    if (strncmp(name, "@db.", 4) == 0) return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) return true;
    return false;
}

static json_t *attr_json(const zm_ir_attr *a)
{
    json_t *o = json_object();
    set_string(o, "name", zm_ir_attr_name(a));
    size_t n = zm_ir_attr_arg_count(a);
    if (n) {
        json_t *args = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *g = json_object();
            set_string(g, "param", zm_ir_attr_arg_name_at(a, i));
            set(g, "value", expr_json(zm_ir_attr_arg_at(a, i)));
            json_array_append_new(args, g);
        }
        set(o, "args", args);
    }
    return o;
}

/* The attributes of a field or model not shown elsewhere, or NULL. */
static json_t *attrs_json(size_t n, const zm_ir_attr *(*at)(const void *, size_t), const void *owner)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const zm_ir_attr *a = at(owner, i);
        if (!shown_elsewhere(zm_ir_attr_name(a))) json_array_append_new(list, attr_json(a));
    }
    if (json_array_size(list)) return list;
    json_decref(list);
    return NULL;
}

static const zm_ir_attr *field_attr(const void *f, size_t i) { return zm_ir_field_attr_at(f, i); }
static const zm_ir_attr *model_attr(const void *m, size_t i) { return zm_ir_model_attr_at(m, i); }

/* ---- declarations ----------------------------------------------------------- */

static json_t *config_json(const zm_ir_config *c)
{
    if (!c) return NULL;
    json_t *o = json_object(), *entries = json_object();
    set_string(o, "name", zm_ir_config_name(c));
    for (size_t i = 0; i < zm_ir_config_entry_count(c); i++)
        set(entries, zm_ir_config_key_at(c, i), expr_json(zm_ir_config_value_at(c, i)));
    set(o, "entries", entries);
    return o;
}

static json_t *rule_json(const zm_ir_rule *r)
{
    static const char *const kinds[] = {"allow", "deny", "validate"};
    json_t *o = json_object();
    set_string(o, "kind", kinds[zm_ir_rule_kind_of(r)]);
    set_string(o, "operations", zm_ir_rule_operations(r));
    set(o, "condition", expr_json(zm_ir_rule_condition(r)));
    set_string(o, "message", zm_ir_rule_message(r));
    set_string(o, "origin", zm_ir_rule_origin(r));
    return o;
}

static json_t *field_ref(const zm_ir_field *f)
{
    return f ? json_string(zm_ir_field_name(f)) : json_null();
}

static json_t *relation_json(const zm_ir_field *f)
{
    const zm_ir_relation *r = zm_ir_field_relation(f);
    if (!r) return NULL;
    static const char *const kinds[] = {"oneToOne", "oneToMany", "manyToMany"};
    json_t *o = json_object();
    set_string(o, "kind", kinds[zm_ir_relation_kind_of(r)]);
    set_string(o, "name", zm_ir_relation_name(r));
    const zm_ir_field *other = zm_ir_relation_opposite(r, f);
    if (other) {
        json_t *op = json_object();
        set_string(op, "model", zm_ir_model_name(zm_ir_field_model(other)));
        set_string(op, "field", zm_ir_field_name(other));
        set(o, "opposite", op);
    }
    set_flag(o, "owner", zm_ir_relation_owner(r) == f);
    if (zm_ir_relation_owner(r) == f) {
        json_t *fields = json_array(), *refs = json_array();
        for (size_t i = 0; i < zm_ir_relation_key_count(r); i++) {
            json_array_append_new(fields, field_ref(zm_ir_relation_field_at(r, i)));
            json_array_append_new(refs, field_ref(zm_ir_relation_reference_at(r, i)));
        }
        set(o, "fields", fields);
        set(o, "references", refs);
        set_string(o, "onDelete", zm_ir_action_name(zm_ir_relation_on_delete(r)));
        set_string(o, "onUpdate", zm_ir_action_name(zm_ir_relation_on_update(r)));
        set_string(o, "map", zm_ir_relation_map(r));
    }
    return o;
}

static json_t *field_json(const zm_ir_field *f)
{
    static const char *const kinds[] = {"scalar", "enum", "relation", "composite", "unsupported"};
    json_t *o = json_object();
    set_string(o, "name", zm_ir_field_name(f));
    if (strcmp(zm_ir_field_db_name(f), zm_ir_field_name(f)) != 0) set_string(o, "dbName", zm_ir_field_db_name(f));
    set_string(o, "kind", kinds[zm_ir_field_kind_of(f)]);
    set_string(o, "type", zm_ir_field_type_name(f));
    set_string(o, "unsupported", zm_ir_field_unsupported(f));
    set_flag(o, "list", zm_ir_field_is_list(f));
    set_flag(o, "optional", zm_ir_field_is_optional(f));
    set_flag(o, "id", zm_ir_field_is_id(f));
    set_flag(o, "unique", zm_ir_field_is_unique(f));
    set_flag(o, "updatedAt", zm_ir_field_is_updated_at(f));
    set_flag(o, "ignored", zm_ir_field_is_ignored(f));
    set_flag(o, "computed", zm_ir_field_is_computed(f));
    if (strcmp(zm_ir_field_origin(f), zm_ir_model_name(zm_ir_field_model(f))) != 0)
        set_string(o, "origin", zm_ir_field_origin(f));
    set_flag(o, "fromDelegate", zm_ir_field_is_from_delegate(f));
    if (zm_ir_field_native_type(f)) {
        json_t *nt = json_object(), *args = json_array();
        set_string(nt, "name", zm_ir_field_native_type(f));
        for (size_t i = 0; i < zm_ir_field_native_arg_count(f); i++)
            json_array_append_new(args, expr_json(zm_ir_field_native_arg_at(f, i)));
        set(nt, "args", args);
        set(o, "nativeType", nt);
    }
    set(o, "default", expr_json(zm_ir_field_default(f)));
    set(o, "relation", relation_json(f));
    set_string(o, "docs", zm_ir_field_docs(f));
    if (zm_ir_field_rule_count(f)) {
        json_t *rules = json_array();
        for (size_t i = 0; i < zm_ir_field_rule_count(f); i++)
            json_array_append_new(rules, rule_json(zm_ir_field_rule_at(f, i)));
        set(o, "rules", rules);
    }
    set(o, "attributes", attrs_json(zm_ir_field_attr_count(f), field_attr, f));
    return o;
}

static json_t *index_json(const zm_ir_index *x)
{
    static const char *const kinds[] = {"primary", "unique", "index", "fulltext"};
    json_t *o = json_object(), *fields = json_array();
    set_string(o, "kind", kinds[zm_ir_index_kind_of(x)]);
    for (size_t i = 0; i < zm_ir_index_field_count(x); i++) {
        zm_ir_sort s = zm_ir_index_sort_at(x, i);
        int len = zm_ir_index_length_at(x, i);
        const zm_ir_expr *ops = zm_ir_index_ops_at(x, i);
        if (s == ZM_IR_SORT_DEFAULT && !len && !ops) {
            json_array_append_new(fields, field_ref(zm_ir_index_field_at(x, i)));
            continue;
        }
        json_t *c = json_object();
        set(c, "field", field_ref(zm_ir_index_field_at(x, i)));
        if (s != ZM_IR_SORT_DEFAULT) set_string(c, "sort", s == ZM_IR_SORT_DESC ? "Desc" : "Asc");
        if (len) set(c, "length", json_integer(len));
        set(c, "ops", expr_json(ops));
        json_array_append_new(fields, c);
    }
    set(o, "fields", fields);
    set_string(o, "name", zm_ir_index_name(x));
    set_string(o, "map", zm_ir_index_map(x));
    set_string(o, "type", zm_ir_index_type(x));
    if (zm_ir_index_clustered(x) >= 0) set(o, "clustered", json_boolean(zm_ir_index_clustered(x)));
    return o;
}

static json_t *model_json(const zm_ir_model *m)
{
    static const char *const kinds[] = {"model", "view", "type"};
    json_t *o = json_object();
    set_string(o, "name", zm_ir_model_name(m));
    set_string(o, "kind", kinds[zm_ir_model_kind_of(m)]);
    if (strcmp(zm_ir_model_db_name(m), zm_ir_model_name(m)) != 0) set_string(o, "dbName", zm_ir_model_db_name(m));
    set_string(o, "schema", zm_ir_model_schema(m));
    set_string(o, "docs", zm_ir_model_docs(m));
    set_flag(o, "ignored", zm_ir_model_is_ignored(m));
    set_flag(o, "auth", zm_ir_model_is_auth(m));
    set_flag(o, "delegate", zm_ir_model_is_delegate(m));
    if (zm_ir_model_discriminator(m)) set(o, "discriminator", field_ref(zm_ir_model_discriminator(m)));
    if (zm_ir_model_base(m)) set_string(o, "base", zm_ir_model_name(zm_ir_model_base(m)));
    if (zm_ir_model_sub_count(m)) {
        json_t *subs = json_array();
        for (size_t i = 0; i < zm_ir_model_sub_count(m); i++)
            json_array_append_new(subs, json_string(zm_ir_model_name(zm_ir_model_sub_at(m, i))));
        set(o, "subModels", subs);
    }
    json_t *fields = json_array();
    for (size_t i = 0; i < zm_ir_model_field_count(m); i++)
        json_array_append_new(fields, field_json(zm_ir_model_field_at(m, i)));
    set(o, "fields", fields);
    if (zm_ir_model_primary_key(m)) set(o, "primaryKey", index_json(zm_ir_model_primary_key(m)));
    if (zm_ir_model_index_count(m)) {
        json_t *ix = json_array();
        for (size_t i = 0; i < zm_ir_model_index_count(m); i++)
            json_array_append_new(ix, index_json(zm_ir_model_index_at(m, i)));
        set(o, "indexes", ix);
    }
    if (zm_ir_model_rule_count(m)) {
        json_t *rules = json_array();
        for (size_t i = 0; i < zm_ir_model_rule_count(m); i++)
            json_array_append_new(rules, rule_json(zm_ir_model_rule_at(m, i)));
        set(o, "rules", rules);
    }
    set(o, "attributes", attrs_json(zm_ir_model_attr_count(m), model_attr, m));
    return o;
}

static json_t *enum_json(const zm_ir_enum *e)
{
    json_t *o = json_object(), *values = json_array();
    set_string(o, "name", zm_ir_enum_name(e));
    if (strcmp(zm_ir_enum_db_name(e), zm_ir_enum_name(e)) != 0) set_string(o, "dbName", zm_ir_enum_db_name(e));
    set_string(o, "schema", zm_ir_enum_schema(e));
    set_string(o, "docs", zm_ir_enum_docs(e));
    for (size_t i = 0; i < zm_ir_enum_value_count(e); i++) {
        const zm_ir_enum_value *v = zm_ir_enum_value_at(e, i);
        json_t *jv = json_object();
        set_string(jv, "name", zm_ir_enum_value_name(v));
        if (strcmp(zm_ir_enum_value_db_name(v), zm_ir_enum_value_name(v)) != 0)
            set_string(jv, "dbName", zm_ir_enum_value_db_name(v));
        set_string(jv, "docs", zm_ir_enum_value_docs(v));
        json_array_append_new(values, jv);
    }
    set(o, "values", values);
    return o;
}

int zm_ir_write_json(const zm_ir *ir, FILE *out)
{
    json_t *root = json_object();
    set(root, "zenstack", json_integer(zm_ir_level(ir)));
    set(root, "datasource", config_json(zm_ir_datasource(ir)));
    json_t *gens = json_array(), *plugins = json_array(), *enums = json_array(), *models = json_array();
    for (size_t i = 0; i < zm_ir_generator_count(ir); i++)
        json_array_append_new(gens, config_json(zm_ir_generator_at(ir, i)));
    for (size_t i = 0; i < zm_ir_plugin_count(ir); i++)
        json_array_append_new(plugins, config_json(zm_ir_plugin_at(ir, i)));
    for (size_t i = 0; i < zm_ir_enum_count(ir); i++)
        json_array_append_new(enums, enum_json(zm_ir_enum_at(ir, i)));
    for (size_t i = 0; i < zm_ir_model_count(ir); i++)
        json_array_append_new(models, model_json(zm_ir_model_at(ir, i)));
    set(root, "generators", gens);
    set(root, "plugins", plugins);
    set(root, "enums", enums);
    set(root, "models", models);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc == 0 && fputc('\n', out) == EOF) rc = -1;
    return rc == 0 ? ZM_OK : ZM_EIO;
}
