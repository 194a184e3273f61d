/*
** check_attr.c — attribute applications checked against their declarations.
**
** Nothing here knows a particular attribute: what may be passed, where an
** attribute may stand and how often, all comes from its declaration in the
** standard library (or the user's own `attribute` declarations):
**   - arguments bind to parameters by name, or positionally to the `_`
**     parameters in order; unknown, repeated and missing ones are errors;
**   - @@@zenstackParams(N, [...]) parameters exist only at level N;
**   - @@@targetField([...]) limits the field types an attribute applies to;
**   - @@@once (level 3) forbids a second application on the same item (for
**     a model, among the attributes it inherits and its mixins bring too);
**   - @@@supportTypeDef (level 2) marks what a `type` may use;
**   - @@@deprecated makes a warning.
** Messages are ZenStack's, so users who know them recognise them.
*/
#include <stdlib.h>
#include <string.h>

#include "sema.h"
#include "dialect.h"

typedef struct checker {
    zm_compilation *c;
    int level;
    const char *provider;   /* the datasource's provider, if a literal */
} checker;

static const zm_attr *find_attr(const zm_attr *a, const char *name)
{
    for (; a; a = a->next)
        if (strcmp(a->name, name) == 0) return a;
    return NULL;
}

const zm_attr *zm_decl_attr(const zm_decl *d, const char *name) { return find_attr(d->attrs, name); }

const zm_attr *zm_member_attr(const zm_member *m, const char *name) { return find_attr(m->attrs, name); }

bool zm_param_exists(const zm_decl *d, const zm_param *p, int level)
{
    for (const zm_attr *a = d->attrs; a; a = a->next) {
        if (strcmp(a->name, "@@@zenstackParams") != 0 || !a->args || !a->args->next) continue;
        const zm_expr *n = a->args->value, *names = a->args->next->value;
        if (n->kind != ZM_EXPR_NUMBER || names->kind != ZM_EXPR_ARRAY) continue;
        if (n->text[0] - '0' == level) continue;
        for (const zm_arg *i = names->args; i; i = i->next)
            if (i->value->kind == ZM_EXPR_STRING && strcmp(i->value->text, p->name) == 0)
                return false;
    }
    return true;
}

/* The field category a @@@targetField value names matches field f. */
static bool target_matches(const char *category, const zm_member *f, int level)
{
    const zm_typeref *t = f->type;
    const zm_decl *d = t->decl;
    static const struct { const char *category, *type; } scalar[] = {
        {"StringField", "String"},     {"IntField", "Int"},     {"BigIntField", "BigInt"},
        {"FloatField", "Float"},       {"DecimalField", "Decimal"},
        {"BooleanField", "Boolean"},   {"DateTimeField", "DateTime"},
        {"JsonField", "Json"},         {"BytesField", "Bytes"},
    };
    for (size_t i = 0; i < sizeof scalar / sizeof scalar[0]; i++)
        if (strcmp(category, scalar[i].category) == 0)
            return !d && t->kind == ZM_TYPE_NAMED && strcmp(t->name, scalar[i].type) == 0;
    if (strcmp(category, "ModelField") == 0) return d && d->kind == ZM_DECL_MODEL;
    if (strcmp(category, "TypeDefField") == 0) return d && d->kind == ZM_DECL_TYPE;
    if (strcmp(category, "ListField") == 0)
        return level == 3 && t->list && !(d && d->kind == ZM_DECL_MODEL);
    return false;
}

static bool valid_target(const zm_decl *attr, const zm_member *field, int level)
{
    const zm_attr *tf = zm_decl_attr(attr, "@@@targetField");
    if (!tf || !tf->args || tf->args->value->kind != ZM_EXPR_ARRAY) return true;
    if (!field->type || (field->type->kind == ZM_TYPE_NAMED && !field->type->decl &&
                         !strchr("SBIFDJ", field->type->name[0])))
        return true;    /* an unresolved type was reported already */
    for (const zm_arg *i = tf->args->value->args; i; i = i->next)
        if (i->value->kind == ZM_EXPR_REF && target_matches(i->value->text, field, level)) return true;
    return false;
}

/* `fields: authorId` for `fields: [authorId]`: Prisma takes one field
   reference without brackets where a list of them is expected, so the
   argument becomes the one-element list every later pass reads. */
static void wrap_single_field(checker *k, zm_arg *arg, const zm_param *param)
{
    const zm_typeref *t = param->type;
    zm_expr *v = arg->value;
    if (!t || !t->list || !t->name || !v || (v->kind != ZM_EXPR_REF && v->kind != ZM_EXPR_MEMBER && v->kind != ZM_EXPR_CALL))
        return;
    if (strcmp(t->name, "FieldReference") != 0 && strcmp(t->name, "TransitiveFieldReference") != 0) return;
    zm_arg *item = ZM_NEW(&k->c->arena, zm_arg);
    item->span = v->span;
    item->value = v;
    zm_expr *list = ZM_NEW(&k->c->arena, zm_expr);
    list->kind = ZM_EXPR_ARRAY;
    list->span = v->span;
    list->args = item;
    list->depth = v->depth + 1;
    arg->value = list;
}

/* Bind arguments to parameters; false after reporting a problem. */
static bool bind_args(checker *k, zm_attr *a)
{
    const zm_decl *d = a->decl;
    enum { MAX_PARAMS = 64 };
    const zm_param *filled[MAX_PARAMS];
    size_t nfilled = 0;

    for (zm_arg *arg = a->args; arg; arg = arg->next) {
        const zm_param *param = NULL;
        if (!arg->name) {
            for (const zm_param *p = d->params; p && !param; p = p->next) {
                if (!p->positional || !zm_param_exists(d, p, k->level)) continue;
                bool used = false;
                for (size_t i = 0; i < nfilled; i++) used |= filled[i] == p;
                if (!used) param = p;
            }
            if (!param) {
                zm_diag_error(&k->c->diag, arg->span, "Unexpected unnamed argument");
                return false;
            }
        } else {
            for (const zm_param *p = d->params; p && !param; p = p->next)
                if (strcmp(p->name, arg->name) == 0 && zm_param_exists(d, p, k->level)) param = p;
            if (!param) {
                zm_diag_error(&k->c->diag, arg->span,
                              "Attribute \"%s\" doesn't have a parameter named \"%s\"", d->name,
                              arg->name);
                return false;
            }
        }
        for (size_t i = 0; i < nfilled; i++) {
            if (filled[i] == param) {
                zm_diag_error(&k->c->diag, arg->span, "Parameter \"%s\" is already provided",
                              param->name);
                return false;
            }
        }
        if (nfilled < MAX_PARAMS) filled[nfilled++] = param;
        arg->param = (zm_param *)param;
        wrap_single_field(k, arg, param);
    }

    zm_buf missing = ZM_BUF_INIT;
    int nmissing = 0;
    for (const zm_param *p = d->params; p; p = p->next) {
        if (p->type->optional || !zm_param_exists(d, p, k->level)) continue;
        bool used = false;
        for (size_t i = 0; i < nfilled; i++) used |= filled[i] == p;
        if (used) continue;
        zm_buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", p->name);
    }
    if (nmissing) {
        zm_diag_error(&k->c->diag, a->span, "Required parameter%s not provided: %s",
                      nmissing > 1 ? "s" : "", missing.data);
        zm_buf_free(&missing);
        return false;
    }
    return true;
}

/* `siblings`: the other attributes of the same item, for @@@once. */
static void check_one(checker *k, zm_attr *a, const zm_attr *siblings, const zm_member *field,
                      bool on_attribute_decl, bool in_type)
{
    const zm_decl *d = a->decl;
    if (!d) return;     /* unresolved: reported by the link pass */
    if (strcmp(d->name, "@@@targetField") == 0 && !on_attribute_decl) {
        zm_diag_error(&k->c->diag, a->span,
                      "attribute \"%s\" can only be used on attribute declarations", d->name);
        return;
    }
    if (field && !valid_target(d, field, k->level))
        zm_diag_error(&k->c->diag, a->span, "attribute \"%s\" cannot be used on this type of field",
                      d->name);
    if (in_type && k->level == 2 && !zm_decl_attr(d, "@@@supportTypeDef"))
        zm_diag_error(&k->c->diag, a->span, "attribute \"%s\" cannot be used on type declaration%s",
                      d->name, field ? " fields" : "s");
    const zm_attr *dep = zm_decl_attr(d, "@@@deprecated");
    if (dep && k->level == 3) {
        const zm_expr *m = dep->args ? dep->args->value : NULL;
        if (m && m->kind == ZM_EXPR_STRING) zm_diag_warning(&k->c->diag, a->span, "%s", m->text);
        else zm_diag_warning(&k->c->diag, a->span, "Attribute \"%s\" is deprecated", d->name);
    }
    if (k->level == 3 && zm_decl_attr(d, "@@@once")) {
        for (const zm_attr *o = siblings; o; o = o->next) {
            if (o != a && o->decl == d) {
                zm_diag_error(&k->c->diag, a->span, "Attribute \"%s\" can only be applied once",
                              d->name);
                break;
            }
        }
    }
    bind_args(k, a);
}

static void check_list(checker *k, zm_attr *list, const zm_member *field, bool on_attr_decl,
                       bool in_type)
{
    for (zm_attr *a = list; a; a = a->next) check_one(k, a, list, field, on_attr_decl, in_type);
}

/* v2's @regex takes a literal pattern that JavaScript compiles; the message
   is the SyntaxError as JavaScript prints it. */
static void check_regex(checker *k, const zm_attr *a)
{
    const zm_arg *pattern = a->args;
    if (!pattern || pattern->value->kind != ZM_EXPR_STRING) {
        zm_diag_error(&k->c->diag, pattern ? pattern->span : a->span, "Expecting a string literal");
        return;
    }
    zm_buf why = ZM_BUF_INIT;
    if (zm_js_regex_error(pattern->value->text, &why))
        zm_diag_error(&k->c->diag, pattern->span, "SyntaxError: %s", why.data);
    zm_buf_free(&why);
}

/* Does the provider's dialect take ZenStack's text search filters? */
static bool text_search(const char *provider)
{
    char *why = NULL;
    const zmc_dialect *d = zm_dialect_find(provider, &why);
    free(why);
    return d && (d->features & ZMC_DIALECT_TEXT_SEARCH);
}

/* Rules of particular attributes that their declarations cannot say: v2's
   @regex pattern, @fuzzy/@fullText only on postgresql (v3), views have no
   @id/@@id/@@index (v3), and @@id/@@unique/@@index may not use fields a model
   inherits from a polymorphic (@@delegate) base. */
static void check_special(checker *k, const zm_decl *d, const zm_attr *a, const zm_member *field)
{
    if (!a->decl) return;
    const char *n = a->decl->name;
    if (k->level == 3 && (strcmp(n, "@fuzzy") == 0 || strcmp(n, "@fullText") == 0) && k->provider &&
        !text_search(k->provider))
        zm_diag_error(&k->c->diag, a->span, "`%s` is only supported for the `postgresql` provider", n);
    if (k->level == 2 && strcmp(n, "@regex") == 0) check_regex(k, a);
    if (d->kind == ZM_DECL_VIEW && k->level == 3 &&
        (strcmp(n, "@id") == 0 || strcmp(n, "@@id") == 0 || strcmp(n, "@@index") == 0))
        zm_diag_error(&k->c->diag, a->span, "`%s` is not allowed for views", n);
    if (field || !(strcmp(n, "@@id") == 0 || strcmp(n, "@@unique") == 0 || strcmp(n, "@@index") == 0))
        return;
    if (!a->args || a->args->value->kind != ZM_EXPR_ARRAY) return;
    for (const zm_arg *i = a->args->value->args; i; i = i->next) {
        const zm_member *f = i->value->member;
        if (f && f->kind == ZM_MEMBER_FIELD && f->owner != d && zm_is_delegate(f->owner))
            zm_diag_error(&k->c->diag, i->span,
                          "Cannot use fields inherited from a polymorphic base model in `%s`", n);
    }
}

/* A model-level attribute and the declaration whose body holds it. */
typedef struct held_attr {
    const zm_attr *attr;
    const zm_decl *owner;
} held_attr;

typedef struct held_attrs {
    held_attr *items;           /* malloc'ed */
    size_t count, cap;
    const zm_decl *seen[64];    /* declarations visited, so a cycle ends */
    size_t nseen;
} held_attrs;

static void held_push(held_attrs *h, const zm_attr *a, const zm_decl *owner)
{
    if (h->count == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->items = realloc(h->items, h->cap * sizeof *h->items);
        if (!h->items) abort();
    }
    h->items[h->count++] = (held_attr){a, owner};
}

/* The model-level attributes d has, as ZenStack's getAllAttributes: its
   mixins', its base model's (less @@map, @@unique and @@index, which are not
   inherited), then its own. */
static void collect_attrs(const zm_decl *d, held_attrs *out, bool via_base)
{
    if (!d || out->nseen == 64) return;
    for (size_t i = 0; i < out->nseen; i++)
        if (out->seen[i] == d) return;
    out->seen[out->nseen++] = d;
    for (const zm_name *n = d->mixins; n; n = n->next) collect_attrs(n->decl, out, via_base);
    for (const zm_name *n = d->extends; n; n = n->next) collect_attrs(n->decl, out, true);
    for (const zm_member *m = d->members; m; m = m->next) {
        if (m->kind != ZM_MEMBER_ATTR) continue;
        const char *n = m->attrs->name;
        if (via_base && (strcmp(n, "@@map") == 0 || strcmp(n, "@@unique") == 0 || strcmp(n, "@@index") == 0))
            continue;
        held_push(out, m->attrs, d);
    }
}

/* Is the @@@once attribute all->items[i] applied again among `all`? An
   inherited one is reported only for a clash with another declaration's
   (its own declaration reports the rest). */
static bool applied_twice(const held_attrs *all, size_t i, const zm_decl *d)
{
    const held_attr *h = &all->items[i];
    if (!h->attr->decl || !zm_decl_attr(h->attr->decl, "@@@once")) return false;
    for (size_t j = 0; j < all->count; j++) {
        const held_attr *o = &all->items[j];
        if (j != i && o->attr->decl == h->attr->decl && (h->owner == d || o->owner != h->owner)) return true;
    }
    return false;
}

static void once_error(checker *k, const zm_attr *a)
{
    zm_diag_error(&k->c->diag, a->span, "Attribute \"%s\" can only be applied once", a->decl->name);
}

static void check_decl(checker *k, zm_decl *d)
{
    bool in_type = d->kind == ZM_DECL_TYPE;
    check_list(k, d->attrs, NULL, d->kind == ZM_DECL_ATTRIBUTE, false);
    for (zm_param *p = d->params; p; p = p->next) check_list(k, p->attrs, NULL, false, false);

    /* Model-level attributes are siblings of each other across the body. */
    zm_attr *model_attrs[256];
    size_t n = 0;
    for (zm_member *m = d->members; m; m = m->next) {
        switch (m->kind) {
        case ZM_MEMBER_FIELD:
            check_list(k, m->attrs, m, false, in_type);
            for (const zm_attr *a = m->attrs; a; a = a->next) check_special(k, d, a, m);
            break;
        case ZM_MEMBER_ENUM_VALUE: check_list(k, m->attrs, NULL, false, false); break;
        case ZM_MEMBER_ATTR:
            if (n < 256) model_attrs[n++] = m->attrs;
            break;
        case ZM_MEMBER_CONFIG: break;
        }
    }
    /* @@@once (v3): a model's attributes include those it inherits and
       those its mixins bring; a type's are its own. */
    held_attrs all = {0};
    if (k->level == 3 && d->kind == ZM_DECL_MODEL) collect_attrs(d, &all, false);
    else for (size_t i = 0; i < n; i++) held_push(&all, model_attrs[i], d);
    for (size_t i = 0; i < all.count; i++)
        if (all.items[i].owner != d && k->level == 3 && applied_twice(&all, i, d)) once_error(k, all.items[i].attr);
    for (size_t i = 0, own = 0; i < n; i++) {
        zm_attr *a = model_attrs[i];
        while (own < all.count && all.items[own].attr != a) own++;
        if (!a->decl) continue;
        if (k->level == 3 && own < all.count && applied_twice(&all, own, d)) once_error(k, a);
        check_one(k, a, NULL, NULL, false, in_type);
        check_special(k, d, a, NULL);
    }
    free(all.items);
}

void zm_check_attributes(zm_compilation *c, int level)
{
    checker k = {c, level, NULL};
    for (zm_file *f = c->files; f && !k.provider; f = f->next)
        for (zm_decl *d = f->decls; d; d = d->next) {
            if (d->kind != ZM_DECL_DATASOURCE) continue;
            for (zm_member *m = d->members; m; m = m->next)
                if (m->kind == ZM_MEMBER_CONFIG && strcmp(m->name, "provider") == 0 &&
                    m->value->kind == ZM_EXPR_STRING)
                    k.provider = m->value->text;
        }
    for (zm_file *f = c->files; f; f = f->next)
        for (zm_decl *d = f->decls; d; d = d->next) check_decl(&k, d);
}
