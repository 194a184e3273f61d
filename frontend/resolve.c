/*
** resolve.c — names inside expressions: attribute arguments and function
** bodies.
**
** A bare name is looked up, in order: a collection-predicate binding (v3),
** a value of the enum the attribute's field is typed with, a field of the
** model in scope (its own, then those of its mixins and base models), a
** parameter of the enclosing function, and a value of any visible enum. Scopes
** switch as in ZenStack: `a.b` looks `b` up in the model or type of `a`; in
** `list?[cond]` the condition sees the element model's fields; `references:`
** of @relation names fields of the related model; `this`, `future()` and
** `before()` are the model in scope, `auth()` the model or type marked
** @@auth, else the one named User. In v2 a `type`'s fields are reachable only
** from auth() (`auth().profile.age`) or inside the type itself.
**
** Config blocks (datasource, generator, plugin) hold values for other tools,
** not references, and are left alone.
*/
#include <string.h>

#include "sema.h"

typedef struct binding {
    const char *name;
    zm_decl *model;
    const struct binding *next;
} binding;

typedef struct scope {
    zm_decl *model;         /* fields visible by bare name; NULL if none */
    zm_decl *self;          /* `this`, future(), before() */
    zm_decl *function;      /* parameters visible by bare name */
    zm_decl *enum_first;    /* enum whose values win (defaults of enum fields) */
    const binding *bindings;
} scope;

/* Enum values by name: a chain of every value with that name. */
typedef struct enum_value_ref {
    zm_member *value;
    struct enum_value_ref *next;
} enum_value_ref;

typedef struct resolver {
    zm_linker *l;
    zm_file *file;          /* the file being resolved */
    zm_decl *auth;          /* the auth() model, once searched */
    bool auth_searched;
    zm_map enum_values;     /* name -> enum_value_ref chain */
} resolver;

/* What an expression denotes, as far as scoping needs: a model, type or enum
   declaration (and whether a list of them), or nothing known. */
typedef struct target {
    zm_decl *decl;
    bool list;
} target;

static const target NONE = {NULL, false};

static bool is_record(const zm_decl *d)
{
    return d && (d->kind == ZM_DECL_MODEL || d->kind == ZM_DECL_VIEW || d->kind == ZM_DECL_TYPE);
}

static zm_member *find_field_in(zm_decl *d, const char *name, int depth)
{
    if (!is_record(d) || depth > 32) return NULL;   /* depth: cyclic inheritance */
    for (zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_FIELD && strcmp(m->name, name) == 0) return m;
    for (zm_name *n = d->mixins; n; n = n->next) {
        zm_member *m = find_field_in(n->decl, name, depth + 1);
        if (m) return m;
    }
    for (zm_name *n = d->extends; n; n = n->next) {
        zm_member *m = find_field_in(n->decl, name, depth + 1);
        if (m) return m;
    }
    return NULL;
}

static zm_member *find_field(zm_decl *d, const char *name) { return find_field_in(d, name, 0); }

static target field_target(const zm_member *m)
{
    if (!m || !m->type) return NONE;
    return (target){m->type->decl, m->type->list};
}

static zm_member *enum_value(zm_decl *e, const char *name)
{
    if (!e || e->kind != ZM_DECL_ENUM) return NULL;
    for (zm_member *m = e->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_ENUM_VALUE && strcmp(m->name, name) == 0) return m;
    return NULL;
}

static void index_enum_values(resolver *r, zm_file *f)
{
    for (zm_decl *d = f->decls; d; d = d->next) {
        if (d->kind != ZM_DECL_ENUM) continue;
        for (zm_member *m = d->members; m; m = m->next) {
            if (m->kind != ZM_MEMBER_ENUM_VALUE) continue;
            enum_value_ref *ref = ZM_NEW(&r->l->c->arena, enum_value_ref);
            ref->value = m;
            ref->next = zm_map_get(&r->enum_values, m->name);
            zm_map_put(&r->enum_values, m->name, ref);
        }
    }
}

/* An enum value visible from the file: its own enums first, then its direct
   imports', then the standard library's. */
static zm_member *find_enum_value(resolver *r, const char *name)
{
    zm_member *best = NULL;
    int best_rank = 0;
    for (enum_value_ref *ref = zm_map_get(&r->enum_values, name); ref; ref = ref->next) {
        const zm_decl *e = ref->value->owner;
        int rank = 0;
        if (e->file == r->file) rank = 3;
        else if (e->file->is_stdlib && (!e->level || e->level == r->l->level)) rank = 1;
        else for (zm_import *imp = r->file->imports; imp; imp = imp->next)
            if (imp->target == e->file) rank = 2;
        if (rank > best_rank) {
            best = ref->value;
            best_rank = rank;
        }
    }
    return best;
}

static zm_decl *find_auth(resolver *r)
{
    if (r->auth_searched) return r->auth;
    r->auth_searched = true;
    zm_decl *user = NULL;
    for (zm_file *f = r->l->c->files; f; f = f->next) {
        for (zm_decl *d = f->decls; d; d = d->next) {
            if (d->kind != ZM_DECL_MODEL && d->kind != ZM_DECL_TYPE) continue;
            for (zm_member *m = d->members; m; m = m->next)
                if (m->kind == ZM_MEMBER_ATTR && strcmp(m->attrs->name, "@@auth") == 0)
                    return r->auth = d;
            if (!user && strcmp(d->name, "User") == 0) user = d;
        }
    }
    return r->auth = user;
}

static void unresolved(resolver *r, zm_span at, const char *what, const char *name)
{
    zm_diag_error(&r->l->c->diag, at, "Could not resolve reference to %s named '%s'.", what, name);
}

static target resolve(resolver *r, zm_expr *e, const scope *s);

static void resolve_args(resolver *r, zm_arg *a, const scope *s)
{
    for (; a; a = a->next) resolve(r, a->value, s);
}

/* A name in scope: binding, field, parameter, enum value. */
static target resolve_name(resolver *r, zm_expr *e, const scope *s)
{
    for (const binding *b = s->bindings; b; b = b->next) {
        if (strcmp(b->name, e->text) == 0) {
            e->denotes = b->model;
            return (target){b->model, false};
        }
    }
    /* On an enum-typed field, its own enum's values win even over fields
       (`role Role @default(admin)` in a model that also has `admin`). */
    zm_member *m = enum_value(s->enum_first, e->text);
    if (m) {
        e->member = m;
        return NONE;
    }
    m = find_field(s->model, e->text);
    if (m) {
        e->member = m;
        return field_target(m);
    }
    if (s->function) {
        for (zm_param *p = s->function->params; p; p = p->next) {
            if (strcmp(p->name, e->text) == 0) {
                e->param = p;
                e->decl = s->function;
                return (target){p->type->decl, p->type->list};
            }
        }
    }
    m = find_enum_value(r, e->text);
    if (m) {
        e->member = m;
        return NONE;
    }
    unresolved(r, e->span, "ReferenceTarget", e->text);
    return NONE;
}

/* `f(sort: Desc)` with only named arguments is a field reference with
   arguments (index fields); anything else is a function call. */
static bool is_field_call(const zm_expr *e)
{
    if (!e->args) return false;
    for (const zm_arg *a = e->args; a; a = a->next)
        if (!a->name) return false;
    return true;
}

static target resolve_call(resolver *r, zm_expr *e, const scope *s)
{
    if (is_field_call(e)) {
        resolve_args(r, e->args, s);
        return resolve_name(r, e, s);
    }
    zm_decl *fn = zm_link_lookup(r->l, r->file, e->text, ZM_KIND(ZM_DECL_FUNCTION));
    resolve_args(r, e->args, s);
    if (!fn) {
        unresolved(r, e->name_span, "FunctionDecl", e->text);
        return NONE;
    }
    e->decl = fn;
    if (strcmp(fn->name, "auth") == 0 && fn->file->is_stdlib) {
        e->denotes = find_auth(r);
        if (!e->denotes)
            zm_diag_error(&r->l->c->diag, e->span,
                          "auth() cannot be resolved because no model marked with \"@@auth()\" or "
                          "named \"User\" is found");
        return (target){e->denotes, false};
    }
    if ((strcmp(fn->name, "future") == 0 || strcmp(fn->name, "before") == 0) && fn->file->is_stdlib) {
        e->denotes = s->self;
        return (target){s->self, false};
    }
    return fn->result ? (target){fn->result->decl, fn->result->list} : NONE;
}

/* auth() or a member access on it (auth().profile.roles). */
static bool auth_rooted(const zm_expr *e)
{
    while (e->kind == ZM_EXPR_MEMBER) e = e->lhs;
    return e->kind == ZM_EXPR_CALL && e->decl && e->decl->file->is_stdlib &&
           strcmp(e->decl->name, "auth") == 0;
}

/* v2 opens a `type`'s fields (typed JSON) only to access starting at auth(),
   or inside the type's own attributes; elsewhere they are not in scope. */
static bool closed_type(const resolver *r, const target *t, const zm_expr *operand, const scope *s)
{
    return r->l->level == 2 && t->decl && t->decl->kind == ZM_DECL_TYPE && !auth_rooted(operand) &&
           !(s->self && s->self->kind == ZM_DECL_TYPE);
}

static target resolve(resolver *r, zm_expr *e, const scope *s)
{
    switch (e->kind) {
    case ZM_EXPR_NUMBER:
    case ZM_EXPR_STRING:
    case ZM_EXPR_BOOL:
    case ZM_EXPR_NULL:
        return NONE;
    case ZM_EXPR_THIS:
        e->denotes = s->self;
        return (target){s->self, false};
    case ZM_EXPR_REF:
        return resolve_name(r, e, s);
    case ZM_EXPR_CALL:
        return resolve_call(r, e, s);
    case ZM_EXPR_MEMBER: {
        target t = resolve(r, e->lhs, s);
        if (!is_record(t.decl)) return NONE;    /* unknown, or reported already */
        /* A list has no members; a v2 type may keep its fields closed. */
        bool closed = t.list || closed_type(r, &t, e->lhs, s);
        zm_member *m = closed ? NULL : find_field(t.decl, e->text);
        if (!m) {
            unresolved(r, e->name_span, "MemberAccessTarget", e->text);
            return NONE;
        }
        e->member = m;
        return field_target(m);
    }
    case ZM_EXPR_PREDICATE: {
        target t = resolve(r, e->lhs, s);
        scope inner = *s;
        binding b;
        if (closed_type(r, &t, e->lhs, s)) {
            inner.model = NULL;     /* the element type's fields are not in scope */
        } else if (is_record(t.decl)) {
            inner.model = t.decl;
            if (e->text) {
                b = (binding){e->text, t.decl, s->bindings};
                inner.bindings = &b;
            }
        }
        resolve(r, e->rhs, &inner);
        return NONE;
    }
    case ZM_EXPR_ARRAY: {
        target t = NONE;
        for (zm_arg *a = e->args; a; a = a->next) t = resolve(r, a->value, s);
        return (target){t.decl, true};
    }
    case ZM_EXPR_OBJECT:
        resolve_args(r, e->args, s);
        return NONE;
    case ZM_EXPR_NOT:
    case ZM_EXPR_PAREN:
        return resolve(r, e->lhs, s);
    case ZM_EXPR_BINARY:
        resolve(r, e->lhs, s);
        resolve(r, e->rhs, s);
        return NONE;
    }
    return NONE;
}

/* The arguments of one attribute application. `field` is the field it is on,
   if any: `references:` of @relation then names fields of its type. */
static void resolve_attr(resolver *r, zm_attr *a, const scope *s, const zm_member *field)
{
    for (zm_arg *arg = a->args; arg; arg = arg->next) {
        scope inner = *s;
        if (field && arg->name && strcmp(arg->name, "references") == 0 && strcmp(a->name, "@relation") == 0) {
            if (!is_record(field->type->decl)) continue;    /* reported elsewhere */
            inner.model = field->type->decl;
        }
        resolve(r, arg->value, &inner);
    }
}

static void resolve_decl(resolver *r, zm_decl *d)
{
    scope s = {0};
    if (is_record(d)) s.model = s.self = d;
    if (d->kind == ZM_DECL_FUNCTION) {
        s.function = d;
        if (d->body) resolve(r, d->body, &s);
        return;
    }
    if (d->kind == ZM_DECL_DATASOURCE || d->kind == ZM_DECL_GENERATOR || d->kind == ZM_DECL_PLUGIN ||
        d->kind == ZM_DECL_ATTRIBUTE || d->kind == ZM_DECL_PROCEDURE)
        return;
    for (zm_member *m = d->members; m; m = m->next) {
        if (m->kind == ZM_MEMBER_ATTR) {
            resolve_attr(r, m->attrs, &s, NULL);
            continue;
        }
        scope fs = s;
        if (m->kind == ZM_MEMBER_FIELD && m->type && m->type->decl &&
            m->type->decl->kind == ZM_DECL_ENUM)
            fs.enum_first = m->type->decl;
        for (zm_attr *a = m->attrs; a; a = a->next)
            resolve_attr(r, a, &fs, m->kind == ZM_MEMBER_FIELD ? m : NULL);
    }
}

void zm_resolve_expressions(zm_linker *l)
{
    resolver r = {l, NULL, NULL, false, {0}};
    index_enum_values(&r, l->stdlib);
    for (zm_file *f = l->c->files; f; f = f->next) index_enum_values(&r, f);
    for (zm_file *f = l->c->files; f; f = f->next) {
        r.file = f;
        for (zm_decl *d = f->decls; d; d = d->next) resolve_decl(&r, d);
    }
    zm_map_free(&r.enum_values);
}
