/*
** check_model.c — structural rules of models, fields and the datasource.
**
**   - field names are unique in a model, inherited fields included;
**   - a model has a unique criterion (@id, @@id, @unique or @@unique; views,
**     v2 abstract models and v3 @@ignore'd models excepted), not both @id and
**     @@id, at most one @id field, and its id fields are required scalars or
**     enums;
**   - model fields: no optional lists; Unsupported("...") takes a string
**     literal; a field typed by a `type` carries @json;
**   - the datasource has a supported provider and a url that is a string or
**     env(...); there is one datasource in the whole schema.
** Messages are ZenStack's.
*/
#include <string.h>

#include "sema.h"

typedef struct checker {
    zm_compilation *c;
    int level;
} checker;

#define error(k, at, ...) zm_diag_error(&(k)->c->diag, (at), __VA_ARGS__)

/* ---- fields, own and inherited -------------------------------------------- */

typedef struct fields {
    zm_member *items[1024];
    size_t count;
} fields;

static void collect(const zm_decl *d, fields *out, int depth)
{
    if (!d || depth > 32) return;
    for (const zm_name *n = d->mixins; n; n = n->next) collect(n->decl, out, depth + 1);
    for (const zm_name *n = d->extends; n; n = n->next) collect(n->decl, out, depth + 1);
    for (zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_FIELD && out->count < 1024) out->items[out->count++] = m;
}

static const zm_attr *field_attr(const zm_member *m, const char *name)
{
    for (const zm_attr *a = m->attrs; a; a = a->next)
        if (strcmp(a->name, name) == 0) return a;
    return NULL;
}

/* Model-level attributes named `name`, own and inherited, one at a time. */
static const zm_attr *model_attr(const zm_decl *d, const char *name, int depth)
{
    if (!d || depth > 32) return NULL;
    for (const zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_ATTR && strcmp(m->attrs->name, name) == 0) return m->attrs;
    for (const zm_name *n = d->mixins; n; n = n->next) {
        const zm_attr *a = model_attr(n->decl, name, depth + 1);
        if (a) return a;
    }
    for (const zm_name *n = d->extends; n; n = n->next) {
        const zm_attr *a = model_attr(n->decl, name, depth + 1);
        if (a) return a;
    }
    return NULL;
}

static bool is_scalar(const zm_typeref *t)
{
    static const char *const scalar[] = {"String", "Int", "Float", "Decimal", "BigInt",
                                         "Boolean", "Bytes", "DateTime"};
    if (t->kind != ZM_TYPE_NAMED || t->decl) return false;
    for (size_t i = 0; i < sizeof scalar / sizeof scalar[0]; i++)
        if (strcmp(t->name, scalar[i]) == 0) return true;
    return false;
}

static void check_id_field(checker *k, const zm_member *f)
{
    if (f->type->optional) error(k, f->name_span, "Field with @id attribute must not be optional");
    bool is_enum = f->type->decl && f->type->decl->kind == ZM_DECL_ENUM;
    if (f->type->list || !(is_scalar(f->type) || is_enum))
        error(k, f->name_span, "Field with @id attribute must be of scalar or enum type");
}

static void check_model(checker *k, zm_decl *d)
{
    fields all = {{0}, 0};
    collect(d, &all, 0);

    /* Duplicates: reported on this model's own fields only. */
    for (size_t i = 0; i < all.count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(all.items[i]->name, all.items[j]->name) == 0) {
                const zm_member *f = all.items[i];
                bool own = false;
                for (const zm_member *m = d->members; m; m = m->next) own |= m == f;
                if (own) error(k, f->name_span, "Duplicated declaration name \"%s\"", f->name);
                break;
            }

    if (d->kind == ZM_DECL_TYPE) return;

    size_t ids = 0, uniques = 0;
    const zm_member *id_field = NULL;
    for (size_t i = 0; i < all.count; i++) {
        if (field_attr(all.items[i], "@id")) {
            ids++;
            if (!id_field) id_field = all.items[i];
        }
        if (field_attr(all.items[i], "@unique")) uniques++;
    }
    const zm_attr *model_id = model_attr(d, "@@id", 0);
    const zm_attr *model_unique = model_attr(d, "@@unique", 0);
    bool exempt = d->kind == ZM_DECL_VIEW || (d->is_abstract && k->level == 2) ||
                  (k->level == 3 && model_attr(d, "@@ignore", 0));

    if (!ids && !model_id && !uniques && !model_unique) {
        if (!exempt)
            error(k, d->name_span,
                  "Model must have at least one unique criteria. Either mark a single field with "
                  "`@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` "
                  "to the model.");
    } else if (ids && model_id) {
        error(k, d->name_span, "Model cannot have both field-level @id and model-level @@id attributes");
    } else if (ids > 1) {
        error(k, d->name_span, "Model can include at most one field with @id attribute");
    } else if (ids) {
        check_id_field(k, id_field);
    } else if (model_id && model_id->args && model_id->args->value->kind == ZM_EXPR_ARRAY) {
        for (const zm_arg *a = model_id->args->value->args; a; a = a->next) {
            const zm_member *f = a->value->member;
            if (f && f->kind == ZM_MEMBER_FIELD) check_id_field(k, f);
        }
    }
}

/* Rules for the fields of models and views (a `type`'s fields are freer:
   `Color[]?` is fine in typed JSON). */
static void check_fields(checker *k, zm_decl *d)
{
    if (d->kind == ZM_DECL_TYPE) return;
    for (zm_member *m = d->members; m; m = m->next) {
        if (m->kind != ZM_MEMBER_FIELD) continue;
        if (m->type->list && m->type->optional)
            error(k, m->type->span, "Optional lists are not supported. Use either `Type[]` or `Type?`");
        if (m->type->kind == ZM_TYPE_UNSUPPORTED && m->type->unsupported->kind != ZM_EXPR_STRING)
            error(k, m->type->unsupported->span, "Unsupported type argument must be a string literal");
        if (m->type->decl && m->type->decl->kind == ZM_DECL_TYPE && !field_attr(m, "@json"))
            error(k, m->name_span, "Custom-typed field must have @json attribute");
    }
}

/* ---- datasource ------------------------------------------------------------ */

static const zm_member *config(const zm_decl *d, const char *key)
{
    for (const zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_CONFIG && strcmp(m->name, key) == 0) return m;
    return NULL;
}

static void check_url(checker *k, const zm_member *m)
{
    if (!m) return;
    const zm_expr *v = m->value;
    bool env = v->kind == ZM_EXPR_CALL && strcmp(v->text, "env") == 0;
    if (v->kind != ZM_EXPR_STRING && !env)
        error(k, v->span, "\"%s\" must be set to a string literal or an invocation of \"env\" function",
              m->name);
}

static void check_datasource(checker *k, const zm_decl *d)
{
    static const char *const v2[] = {"postgresql", "mysql", "sqlite", "sqlserver", "cockroachdb", NULL};
    static const char *const v3[] = {"sqlite", "postgresql", "mysql", NULL};
    const char *const *supported = k->level == 2 ? v2 : v3;

    for (const zm_member *m = d->members; m; m = m->next)
        for (const zm_member *o = d->members; o != m; o = o->next)
            if (m->kind == ZM_MEMBER_CONFIG && o->kind == ZM_MEMBER_CONFIG && strcmp(m->name, o->name) == 0) {
                error(k, m->name_span, "Duplicated declaration name \"%s\"", m->name);
                break;
            }

    const zm_member *provider = config(d, "provider");
    if (!provider) {
        error(k, d->name_span, "datasource must include a \"provider\" field");
    } else if (provider->value->kind != ZM_EXPR_STRING) {
        error(k, provider->value->span, "\"provider\" must be set to a string literal");
    } else {
        bool ok = false;
        for (const char *const *p = supported; *p; p++) ok |= strcmp(*p, provider->value->text) == 0;
        if (!ok) {
            zm_buf b = ZM_BUF_INIT;
            for (const char *const *p = supported; *p; p++)
                zm_buf_printf(&b, "%s\"%s\"", p == supported ? "" : " | ", *p);
            error(k, provider->value->span, "Provider \"%s\" is not supported. Choose from %s.",
                  provider->value->text, b.data);
            zm_buf_free(&b);
        }
    }
    check_url(k, config(d, "url"));
    if (k->level == 2) {
        check_url(k, config(d, "directUrl"));
        check_url(k, config(d, "shadowDatabaseUrl"));
        const zm_member *mode = config(d, "relationMode");
        if (mode && !(mode->value->kind == ZM_EXPR_STRING && (strcmp(mode->value->text, "foreignKeys") == 0 ||
                                                             strcmp(mode->value->text, "prisma") == 0)))
            error(k, mode->value->span, "\"relationMode\" must be set to \"foreignKeys\" or \"prisma\"");
    }
}

void zm_check_models(zm_compilation *c, int level)
{
    checker k = {c, level};
    size_t datasources = 0;
    for (zm_file *f = c->files; f; f = f->next) {
        for (zm_decl *d = f->decls; d; d = d->next) {
            switch (d->kind) {
            case ZM_DECL_MODEL:
            case ZM_DECL_VIEW:
            case ZM_DECL_TYPE:
                check_model(&k, d);
                check_fields(&k, d);
                break;
            case ZM_DECL_DATASOURCE:
                if (++datasources > 1)
                    error(&k, d->name_span, "Multiple datasource declarations are not allowed");
                check_datasource(&k, d);
                break;
            default:
                break;
            }
        }
    }
}
