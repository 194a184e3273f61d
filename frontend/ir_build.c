/*
** ir_build.c — lower a checked syntax tree to the model IR (zmc/ir.h).
**
** Runs only after zm_compilation_check() found no errors, so every name is
** resolved and every attribute argument bound to its parameter; nothing here
** reports diagnostics. In order:
**   1. enums, and one zm_ir_model per model, view and type (v2 abstract
**      models excepted), so later steps can point at any of them;
**   2. each model's fields and model attributes, inheritance flattened in
**      ZenStack's order (see collect_v2/collect_v3);
**   3. per model: field flags, native type, default, primary key, unique
**      constraints and indexes, policies and validation rules;
**   4. relations, pairing each relation field with its opposite.
*/
#include <stdlib.h>
#include <string.h>

#include "ir_impl.h"
#include "sema.h"

typedef struct builder {
    zm_ir *ir;
    zm_arena *arena;
} builder;

void zm_ir_list_push(zm_arena *a, zm_ir_list *l, const void *item)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        void **items = zm_arena_alloc(a, cap * sizeof *items);
        if (l->count) memcpy(items, l->items, l->count * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count++] = (void *)item;
}

/* ---- attribute arguments ---------------------------------------------------- */

/* The argument bound to parameter `param` of attribute a, or NULL. */
static const zm_expr *arg_of(const zm_attr *a, const char *param)
{
    for (const zm_arg *g = a ? a->args : NULL; g; g = g->next) {
        const char *n = g->param ? g->param->name : g->name;
        if (n && strcmp(n, param) == 0) return g->value;
    }
    return NULL;
}

static const char *string_arg(const zm_attr *a, const char *param)
{
    const zm_expr *e = arg_of(a, param);
    while (e && e->kind == ZM_EXPR_PAREN) e = e->lhs;
    return e && e->kind == ZM_EXPR_STRING ? e->text : NULL;
}

/* An enum-valued argument such as sort: Desc or type: Hash, by name. */
static const char *name_arg(const zm_attr *a, const char *param)
{
    const zm_expr *e = arg_of(a, param);
    return e && e->kind == ZM_EXPR_REF ? e->text : NULL;
}

/* The own model-level attribute `name` of declaration d, the last one written. */
static const zm_attr *own_model_attr(const zm_decl *d, const char *name)
{
    const zm_attr *found = NULL;
    for (const zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_ATTR && strcmp(m->attrs->name, name) == 0) found = m->attrs;
    return found;
}

/* `///` lines without their slashes (and one space after them), joined by \n. */
static const char *docs_text(zm_arena *a, const zm_doc *d)
{
    if (!d) return NULL;
    zm_buf b = ZM_BUF_INIT;
    for (; d; d = d->next) {
        const char *t = d->text + 3;
        if (*t == ' ') t++;
        zm_buf_printf(&b, "%s%s", b.len ? "\n" : "", t);
    }
    char *s = zm_arena_strndup(a, b.data ? b.data : "", b.len);
    zm_buf_free(&b);
    return s;
}

/* `///` lines as written, slashes included, joined by \n. */
static const char *docs_raw(zm_arena *a, const zm_doc *d)
{
    if (!d) return NULL;
    zm_buf b = ZM_BUF_INIT;
    for (; d; d = d->next) zm_buf_printf(&b, "%s%s", b.len ? "\n" : "", d->text);
    char *s = zm_arena_strndup(a, b.data ? b.data : "", b.len);
    zm_buf_free(&b);
    return s;
}

/* ---- 1. declarations ------------------------------------------------------------ */

static void add_enum(builder *b, const zm_decl *d)
{
    zm_ir_enum *e = ZM_NEW(b->arena, zm_ir_enum);
    e->decl = d;
    e->name = d->name;
    e->docs = docs_text(b->arena, d->docs);
    e->comments = docs_raw(b->arena, d->docs);
    const zm_attr *map = own_model_attr(d, "@@map");
    e->db_name = string_arg(map, "name") ? string_arg(map, "name") : d->name;
    e->schema = string_arg(own_model_attr(d, "@@schema"), "name");
    size_t n = 0;
    for (const zm_member *m = d->members; m; m = m->next) n += m->kind == ZM_MEMBER_ENUM_VALUE;
    e->values = zm_arena_alloc(b->arena, (n ? n : 1) * sizeof *e->values);
    for (const zm_member *m = d->members; m; m = m->next) {
        if (m->kind != ZM_MEMBER_ENUM_VALUE) continue;
        zm_ir_enum_value *v = &e->values[e->nvalues++];
        v->member = m;
        v->name = m->name;
        v->db_name = string_arg(zm_member_attr(m, "@map"), "name");
        if (!v->db_name) v->db_name = m->name;
        v->docs = docs_text(b->arena, m->docs);
        v->comments = docs_raw(b->arena, m->docs);
    }
    zm_ir_list_push(b->arena, &b->ir->enums, e);
    zm_map_put(&b->ir->enum_names, e->name, e);
}

static void add_model(builder *b, const zm_decl *d)
{
    zm_ir_model *m = ZM_NEW(b->arena, zm_ir_model);
    m->decl = d;
    m->kind = d->kind == ZM_DECL_VIEW ? ZM_IR_VIEW : d->kind == ZM_DECL_TYPE ? ZM_IR_TYPE : ZM_IR_MODEL;
    m->name = d->name;
    m->docs = docs_text(b->arena, d->docs);
    m->comments = docs_raw(b->arena, d->docs);
    zm_ir_list_push(b->arena, &b->ir->models, m);
    zm_map_put(&b->ir->model_names, m->name, m);
}

static zm_ir_model *model_of(builder *b, const zm_decl *d)
{
    if (!d || (d->kind != ZM_DECL_MODEL && d->kind != ZM_DECL_VIEW && d->kind != ZM_DECL_TYPE)) return NULL;
    zm_ir_model *m = zm_map_get(&b->ir->model_names, d->name);
    return m && m->decl == d ? m : NULL;
}

/* ---- 2. inheritance ------------------------------------------------------------- */

typedef struct flat {
    builder *b;
    zm_ir_model *m;
    const zm_decl *seen[64];    /* declarations visited, so a cycle ends */
    size_t nseen;
} flat;

static bool visit(flat *f, const zm_decl *d)
{
    for (size_t i = 0; i < f->nseen; i++)
        if (f->seen[i] == d) return false;
    if (f->nseen == 64) return false;
    f->seen[f->nseen++] = d;
    return true;
}

/* Attributes a model does not take over from what it inherits from. */
static bool attr_inherited(const zm_attr *a, const zm_decl *from, bool via_delegate, int level,
                           const zm_decl *self)
{
    const char *n = a->name;
    if (strcmp(n, "@@delegate") == 0) return false;
    /* v2: a model's own @@schema wins over any base's */
    if (level == 2 && strcmp(n, "@@schema") == 0 && own_model_attr(self, "@@schema")) return false;
    if (via_delegate)   /* the base keeps these for its own table */
        return strcmp(n, "@@map") != 0 && strcmp(n, "@@unique") != 0 && strcmp(n, "@@index") != 0;
    if (level == 2 && from->kind == ZM_DECL_MODEL)   /* an abstract base */
        return strcmp(n, "@@map") != 0;
    return true;
}

/* Take over declaration d's own fields and model attributes. */
static void take_members(flat *f, const zm_decl *d, bool via_delegate)
{
    builder *b = f->b;
    zm_ir_model *m = f->m;
    for (const zm_member *x = d->members; x; x = x->next) {
        if (x->kind == ZM_MEMBER_FIELD) {
            if (zm_map_get(&m->field_names, x->name)) continue;   /* reported by the checks */
            zm_ir_field *fl = ZM_NEW(b->arena, zm_ir_field);
            fl->member = x;
            fl->model = m;
            fl->origin = d;
            fl->from_delegate = via_delegate;
            fl->name = x->name;
            zm_ir_list_push(b->arena, &m->fields, fl);
            zm_map_put(&m->field_names, fl->name, fl);
        } else if (x->kind == ZM_MEMBER_ATTR) {
            if (d != m->decl && !attr_inherited(x->attrs, d, via_delegate, b->ir->level, m->decl))
                continue;
            zm_ir_list_push(b->arena, &m->attrs, x->attrs);
            const char *n = x->attrs->name;
            bool allow = strcmp(n, "@@allow") == 0, deny = strcmp(n, "@@deny") == 0;
            if (allow || deny || strcmp(n, "@@validate") == 0) {
                zm_ir_rule *r = ZM_NEW(b->arena, zm_ir_rule);
                r->kind = allow ? ZM_IR_ALLOW : deny ? ZM_IR_DENY : ZM_IR_VALIDATE;
                r->origin = d->name;
                if (r->kind == ZM_IR_VALIDATE) {
                    r->condition = arg_of(x->attrs, "value");
                    r->message = string_arg(x->attrs, "message");
                } else {
                    r->operations = string_arg(x->attrs, "operation");
                    r->condition = arg_of(x->attrs, "condition");
                }
                zm_ir_list_push(b->arena, &m->rules, r);
            }
        }
    }
}

/* v3: mixins in `with` order (each one's own mixins first), then the
   delegate base (all of it), then d's own members. */
static void collect_v3(flat *f, const zm_decl *d, bool via_delegate)
{
    if (!visit(f, d)) return;
    for (const zm_name *n = d->mixins; n; n = n->next)
        if (n->decl) collect_v3(f, n->decl, via_delegate);
    for (const zm_name *n = d->extends; n; n = n->next)
        if (n->decl) collect_v3(f, n->decl, true);
    take_members(f, d, via_delegate);
}

/* v2: bases in pre-order of the extends lists, each with whether it is
   reached through a delegate base. */
typedef struct base_entry {
    const zm_decl *decl;
    bool via_delegate;
} base_entry;

static void preorder_v2(flat *f, const zm_decl *d, bool via_delegate, base_entry *out, size_t *n)
{
    for (const zm_name *x = d->extends; x; x = x->next) {
        if (!x->decl || !visit(f, x->decl) || *n == 64) continue;
        bool via = via_delegate || zm_is_delegate(x->decl);
        out[(*n)++] = (base_entry){x->decl, via};
        preorder_v2(f, x->decl, via, out, n);
    }
}

/* v2: the bases' own members in REVERSE pre-order, then d's own: for
   `M extends C, B` and `C extends A`, the order is B, A, C, M. */
static void collect_v2(flat *f, const zm_decl *d)
{
    base_entry bases[64];
    size_t n = 0;
    visit(f, d);
    preorder_v2(f, d, false, bases, &n);
    while (n--) take_members(f, bases[n].decl, bases[n].via_delegate);
    take_members(f, d, false);
}

/* ---- 3. fields, keys and indexes ---------------------------------------------- */

static zm_ir_scalar scalar_of(const char *t)
{
    static const struct { const char *name; zm_ir_scalar s; } names[] = {
        {"String", ZM_IR_STRING},   {"Boolean", ZM_IR_BOOLEAN}, {"Int", ZM_IR_INT},
        {"BigInt", ZM_IR_BIGINT},   {"Float", ZM_IR_FLOAT},     {"Decimal", ZM_IR_DECIMAL},
        {"DateTime", ZM_IR_DATETIME}, {"Json", ZM_IR_JSON},     {"Bytes", ZM_IR_BYTES},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t, names[i].name) == 0) return names[i].s;
    return ZM_IR_NONE;
}

static void lower_field(builder *b, zm_ir_field *f)
{
    const zm_member *x = f->member;
    const zm_typeref *t = x->type;
    f->list = t->list;
    f->optional = t->optional;
    f->docs = docs_text(b->arena, x->docs);
    f->comments = docs_raw(b->arena, x->docs);
    if (t->kind == ZM_TYPE_UNSUPPORTED) {
        f->kind = ZM_IR_FIELD_UNSUPPORTED;
    } else if (t->decl && t->decl->kind == ZM_DECL_ENUM) {
        f->kind = ZM_IR_FIELD_ENUM;
        f->enumeration = zm_map_get(&b->ir->enum_names, t->decl->name);
    } else if (t->decl && t->decl->kind == ZM_DECL_TYPE) {
        f->kind = ZM_IR_FIELD_COMPOSITE;
        f->target = model_of(b, t->decl);
    } else if (t->decl) {
        f->kind = ZM_IR_FIELD_RELATION;
        f->target = model_of(b, t->decl);
    } else {
        f->kind = ZM_IR_FIELD_SCALAR;
        f->scalar = scalar_of(t->name);
    }
    const char *map = NULL;
    for (const zm_attr *a = x->attrs; a; a = a->next) {
        zm_ir_list_push(b->arena, &f->attrs, a);
        const char *n = a->name;
        if (strcmp(n, "@id") == 0) f->id = true;
        else if (strcmp(n, "@unique") == 0) f->unique = true;
        else if (strcmp(n, "@updatedAt") == 0) f->updated_at = true;
        else if (strcmp(n, "@ignore") == 0) f->ignored = true;
        else if (strcmp(n, "@computed") == 0) f->computed = true;
        else if (strcmp(n, "@map") == 0) map = string_arg(a, "name");
        else if (strcmp(n, "@default") == 0) f->default_value = arg_of(a, "value");
        else if (strncmp(a->decl ? a->decl->name : n, "@db.", 4) == 0) f->native = a;    /* or @mydb.* */
        else if (strcmp(n, "@allow") == 0 || strcmp(n, "@deny") == 0) {
            zm_ir_rule *r = ZM_NEW(b->arena, zm_ir_rule);
            r->kind = n[1] == 'a' ? ZM_IR_ALLOW : ZM_IR_DENY;
            r->operations = string_arg(a, "operation");
            r->condition = arg_of(a, "condition");
            r->origin = f->origin->name;
            zm_ir_list_push(b->arena, &f->rules, r);
        }
    }
    f->db_name = map ? map : f->name;
}

static zm_ir_field *field_named(zm_ir_model *m, const char *name)
{
    return m ? zm_map_get(&m->field_names, name) : NULL;
}

/* The field an index item names: `a` or `a(sort: Desc, length: 10, ops: x)`. */
static zm_ir_field *item_field(zm_ir_model *m, const zm_expr *e)
{
    if (e->kind == ZM_EXPR_REF || e->kind == ZM_EXPR_CALL) return field_named(m, e->text);
    return NULL;
}

static zm_ir_sort sort_of(const char *s)
{
    if (!s) return ZM_IR_SORT_DEFAULT;
    return strcmp(s, "Desc") == 0 ? ZM_IR_SORT_DESC : ZM_IR_SORT_ASC;
}

static int clustered_of(const zm_attr *a)
{
    const zm_expr *e = arg_of(a, "clustered");
    return e && e->kind == ZM_EXPR_BOOL ? e->boolean : -1;
}

static zm_ir_index *index_new(builder *b, zm_ir_index_kind kind, size_t n, const zm_attr *a)
{
    zm_ir_index *x = ZM_NEW(b->arena, zm_ir_index);
    x->kind = kind;
    size_t cap = n ? n : 1;
    x->fields = zm_arena_alloc(b->arena, cap * sizeof *x->fields);
    x->sort = zm_arena_alloc(b->arena, cap * sizeof *x->sort);
    x->length = zm_arena_alloc(b->arena, cap * sizeof *x->length);
    x->ops = zm_arena_alloc(b->arena, cap * sizeof *x->ops);
    x->name = string_arg(a, "name");
    x->map = string_arg(a, "map");
    x->type = name_arg(a, "type");
    x->clustered = clustered_of(a);
    x->attr = a;
    return x;
}

static int length_of(const zm_expr *e)
{
    return e && e->kind == ZM_EXPR_NUMBER ? atoi(e->text) : 0;
}

/* A key or index on one field, from @id or @unique. */
static zm_ir_index *field_index(builder *b, zm_ir_index_kind kind, const zm_ir_field *f, const zm_attr *a)
{
    zm_ir_index *x = index_new(b, kind, 1, a);
    x->count = 1;
    x->fields[0] = f;
    x->sort[0] = sort_of(name_arg(a, "sort"));
    x->length[0] = length_of(arg_of(a, "length"));
    return x;
}

/* A key or index on a list of fields, from @@id, @@unique, @@index, @@fulltext. */
static zm_ir_index *list_index(builder *b, zm_ir_model *m, zm_ir_index_kind kind, const zm_attr *a)
{
    const zm_expr *list = arg_of(a, "fields");
    size_t n = 0;
    if (list && list->kind == ZM_EXPR_ARRAY)
        for (const zm_arg *i = list->args; i; i = i->next) n++;
    zm_ir_index *x = index_new(b, kind, n, a);
    for (const zm_arg *i = list ? list->args : NULL; i; i = i->next) {
        zm_ir_field *f = item_field(m, i->value);
        if (!f) continue;
        size_t k = x->count++;
        x->fields[k] = f;
        if (i->value->kind != ZM_EXPR_CALL) continue;
        for (const zm_arg *g = i->value->args; g; g = g->next) {
            if (!g->name) continue;
            if (strcmp(g->name, "sort") == 0 && g->value->kind == ZM_EXPR_REF)
                x->sort[k] = sort_of(g->value->text);
            else if (strcmp(g->name, "length") == 0) x->length[k] = length_of(g->value);
            else if (strcmp(g->name, "ops") == 0) x->ops[k] = g->value;
        }
    }
    return x;
}

static void lower_model(builder *b, zm_ir_model *m)
{
    const zm_attr *map = NULL, *schema = NULL, *id = NULL, *delegate = NULL;
    for (size_t i = 0; i < m->attrs.count; i++) {
        const zm_attr *a = m->attrs.items[i];
        if (strcmp(a->name, "@@map") == 0) map = a;
        else if (strcmp(a->name, "@@schema") == 0) schema = a;
        else if (strcmp(a->name, "@@id") == 0) id = a;
        else if (strcmp(a->name, "@@ignore") == 0) m->ignored = true;
        else if (strcmp(a->name, "@@auth") == 0) m->auth = true;
    }
    delegate = own_model_attr(m->decl, "@@delegate");
    m->db_name = string_arg(map, "name") ? string_arg(map, "name") : m->name;
    m->schema = string_arg(schema, "name");

    for (size_t i = 0; i < m->fields.count; i++) lower_field(b, m->fields.items[i]);

    for (size_t i = 0; i < m->fields.count && !id; i++) {
        zm_ir_field *f = m->fields.items[i];
        const zm_attr *a = zm_member_attr(f->member, "@id");
        if (a) m->primary_key = field_index(b, ZM_IR_PRIMARY, f, a);
    }
    if (id) {
        m->primary_key = list_index(b, m, ZM_IR_PRIMARY, id);
        for (size_t i = 0; i < m->primary_key->count; i++)
            ((zm_ir_field *)m->primary_key->fields[i])->id = true;
    }
    for (size_t i = 0; i < m->fields.count; i++) {
        zm_ir_field *f = m->fields.items[i];
        const zm_attr *a = zm_member_attr(f->member, "@unique");
        if (a && !f->from_delegate) zm_ir_list_push(b->arena, &m->indexes, field_index(b, ZM_IR_UNIQUE, f, a));
    }
    for (size_t i = 0; i < m->attrs.count; i++) {
        const zm_attr *a = m->attrs.items[i];
        zm_ir_index_kind k;
        if (strcmp(a->name, "@@unique") == 0) k = ZM_IR_UNIQUE;
        else if (strcmp(a->name, "@@index") == 0) k = ZM_IR_INDEX;
        else if (strcmp(a->name, "@@fulltext") == 0) k = ZM_IR_FULLTEXT;
        else continue;
        zm_ir_list_push(b->arena, &m->indexes, list_index(b, m, k, a));
    }
    if (delegate) {
        m->delegate = true;
        const zm_expr *d = arg_of(delegate, "discriminator");
        if (d) m->discriminator = item_field(m, d);
    }
    for (const zm_name *n = m->decl->extends; n; n = n->next) {
        zm_ir_model *base = model_of(b, n->decl);
        if (base && zm_is_delegate(n->decl)) {
            m->base = base;
            zm_ir_list_push(b->arena, &base->subs, m);
        }
    }
}

/* ---- 4. relations --------------------------------------------------------------- */

static zm_ir_action action_of(const char *s)
{
    static const char *const names[] = {"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"};
    for (int i = 0; s && i < 5; i++)
        if (strcmp(s, names[i]) == 0) return (zm_ir_action)(i + 1);
    return ZM_IR_ACTION_DEFAULT;
}

static bool same_relation_name(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static size_t key_count(const zm_expr *list)
{
    size_t n = 0;
    if (list && list->kind == ZM_EXPR_ARRAY)
        for (const zm_arg *i = list->args; i; i = i->next) n++;
    return n;
}

static void pair_relation(builder *b, zm_ir_field *f)
{
    const zm_attr *ra = zm_member_attr(f->member, "@relation");
    const char *name = string_arg(ra, "name");
    zm_ir_field *other = NULL;
    zm_ir_model *t = f->target;
    for (size_t i = 0; t && i < t->fields.count && !other; i++) {
        zm_ir_field *g = t->fields.items[i];
        if (g == f || g->kind != ZM_IR_FIELD_RELATION || g->target != f->model || g->relation) continue;
        if (same_relation_name(string_arg(zm_member_attr(g->member, "@relation"), "name"), name)) other = g;
    }
    zm_ir_relation *r = ZM_NEW(b->arena, zm_ir_relation);
    r->name = name;
    r->side[0] = f;
    r->side[1] = other;
    f->relation = r;
    if (other) other->relation = r;
    bool many = f->list || (other && other->list);
    r->kind = f->list && other && other->list ? ZM_IR_MANY_TO_MANY : many ? ZM_IR_ONE_TO_MANY : ZM_IR_ONE_TO_ONE;

    const zm_ir_field *owner = NULL;
    const zm_attr *oa = NULL;
    if (key_count(arg_of(ra, "fields"))) owner = f, oa = ra;
    else if (other) {
        const zm_attr *ga = zm_member_attr(other->member, "@relation");
        if (key_count(arg_of(ga, "fields"))) owner = other, oa = ga;
    }
    if (r->kind == ZM_IR_MANY_TO_MANY) owner = NULL;
    r->owner = owner;
    const zm_attr *actions = oa ? oa : ra;
    r->on_delete = action_of(name_arg(actions, "onDelete"));
    r->on_update = action_of(name_arg(actions, "onUpdate"));
    r->map = string_arg(actions, "map");
    if (!owner) return;
    const zm_expr *fields = arg_of(oa, "fields"), *refs = arg_of(oa, "references");
    size_t n = key_count(fields);
    r->fields = zm_arena_alloc(b->arena, n * sizeof *r->fields);
    r->references = zm_arena_alloc(b->arena, n * sizeof *r->references);
    const zm_arg *fi = fields->args, *ri = refs && refs->kind == ZM_EXPR_ARRAY ? refs->args : NULL;
    for (; fi && ri; fi = fi->next, ri = ri->next) {
        const zm_ir_field *kf = item_field(owner->model, fi->value);
        const zm_ir_field *kr = item_field(owner->target, ri->value);
        if (!kf || !kr) continue;
        r->fields[r->nkeys] = kf;
        r->references[r->nkeys++] = kr;
    }
}

/* ---- the whole schema ------------------------------------------------------------- */

zm_ir *zm_ir_build(zm_compilation *c)
{
    builder b = {ZM_NEW(&c->arena, zm_ir), &c->arena};
    zm_ir *ir = b.ir;
    ir->c = c;
    ir->level = c->opts.zenstack == 2 ? 2 : 3;
    for (zm_file *file = c->files; file; file = file->next) {
        if (file->is_library) continue;     /* a plugin's attributes and functions, no model */
        for (zm_decl *d = file->decls; d; d = d->next) {
            switch (d->kind) {
            case ZM_DECL_DATASOURCE:
                if (!ir->datasource) {
                    ir->datasource = ZM_NEW(b.arena, zm_ir_config);
                    ir->datasource->decl = d;
                }
                break;
            case ZM_DECL_GENERATOR:
            case ZM_DECL_PLUGIN: {
                zm_ir_config *cf = ZM_NEW(b.arena, zm_ir_config);
                cf->decl = d;
                zm_ir_list_push(b.arena, d->kind == ZM_DECL_GENERATOR ? &ir->generators : &ir->plugins, cf);
                break;
            }
            case ZM_DECL_ENUM:
                add_enum(&b, d);
                break;
            case ZM_DECL_MODEL:
                if (ir->level == 2 && d->is_abstract) break;
                /* fall through */
            case ZM_DECL_VIEW:
            case ZM_DECL_TYPE:
                add_model(&b, d);
                break;
            default:
                break;
            }
        }
    }
    for (size_t i = 0; i < ir->models.count; i++) {
        flat f = {&b, ir->models.items[i], {0}, 0};
        if (ir->level == 2) collect_v2(&f, f.m->decl);
        else collect_v3(&f, f.m->decl, false);
    }
    zm_ir_model *auth = NULL, *user = NULL;
    for (size_t i = 0; i < ir->models.count; i++) {
        zm_ir_model *m = ir->models.items[i];
        lower_model(&b, m);
        if (m->auth && !auth) auth = m;
        if (!user && m->kind == ZM_IR_MODEL && strcmp(m->name, "User") == 0) user = m;
    }
    for (size_t i = 0; i < ir->models.count; i++) ((zm_ir_model *)ir->models.items[i])->auth = false;
    if (auth || user) (auth ? auth : user)->auth = true;    /* what auth() stands for */
    for (size_t i = 0; i < ir->models.count; i++) {
        zm_ir_model *m = ir->models.items[i];
        for (size_t k = 0; k < m->fields.count; k++) {
            zm_ir_field *f = m->fields.items[k];
            if (f->kind == ZM_IR_FIELD_RELATION && !f->relation && !f->from_delegate) pair_relation(&b, f);
        }
    }
    /* A relation field a delegate base passes down is the base's relation. */
    for (size_t i = 0; i < ir->models.count; i++) {
        zm_ir_model *m = ir->models.items[i];
        for (size_t k = 0; k < m->fields.count; k++) {
            zm_ir_field *f = m->fields.items[k];
            if (f->kind != ZM_IR_FIELD_RELATION || f->relation) continue;
            const zm_ir_field *own = field_named(model_of(&b, f->origin), f->name);
            f->relation = own && own != f ? own->relation : NULL;
            if (!f->relation) pair_relation(&b, f);
        }
    }
    return ir;
}

void zm_ir_free(zm_ir *ir)
{
    if (!ir) return;
    for (size_t i = 0; i < ir->models.count; i++)
        zm_map_free(&((zm_ir_model *)ir->models.items[i])->field_names);
    zm_map_free(&ir->model_names);
    zm_map_free(&ir->enum_names);
}
