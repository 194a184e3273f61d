/*
** check_model.c — structural rules of models, fields and the datasource.
**
**   - field names are unique in a model, inherited fields included (two
**     mixins may not bring the same name either);
**   - a model has a unique criterion (@id, @@id, @unique or @@unique; views,
**     v2 abstract models and v3 @@ignore'd models excepted), not both @id and
**     @@id, at most one @id field, and its id fields are required scalars or
**     enums;
**   - model fields: no optional lists; Unsupported("...") takes a string
**     literal; a field typed by a `type` carries @json, and (v3) that type
**     reaches no model through its fields, however deep;
**   - relations pair up: one opposite field per relation name, `fields` and
**     `references` on exactly one side (not on implicit many-to-many ones),
**     matching in number and type, the other side a list or optional, the
**     foreign key of a one-to-one relation unique;
**   - a model extends only delegate (v2: or abstract) models, without cycles;
**   - v3 @@delegateMap: at most one, on a sub-model, with a value of the
**     base's discriminator type; sub-models stand for distinct values;
**   - v3 procedures are not named __proto__, prototype or constructor;
**   - the datasource has a supported provider and a url that is a string or
**     env(...); there is one datasource in the whole schema.
** Messages are ZenStack's.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sema.h"
#include "dialect.h"

typedef struct checker {
    zm_compilation *c;
    int level;
} checker;

#define error(k, at, ...) zm_diag_error(&(k)->c->diag, (at), __VA_ARGS__)

/* ---- fields, own and inherited -------------------------------------------- */

typedef struct fields {
    zm_member **items;          /* malloc'ed; fields_free() */
    size_t count, cap;
    const zm_decl *seen[64];    /* declarations collected, so a cycle ends */
    size_t nseen;
} fields;

static void fields_add(fields *f, zm_member *m)
{
    if (f->count == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 32;
        f->items = realloc(f->items, f->cap * sizeof *f->items);
        if (!f->items) abort();
    }
    f->items[f->count++] = m;
}

static void fields_free(fields *f) { free(f->items); }


static bool is_model_type(const zm_typeref *t)
{
    return t && t->decl && t->decl->kind == ZM_DECL_MODEL;
}

/* Fields of d and of what it inherits; `delegates`: also through @@delegate
   bases (whose fields live in the base's own table). */
static void collect_fields(const zm_decl *d, fields *out, bool delegates, int depth)
{
    if (!d || depth > 32) return;
    for (size_t i = 0; i < out->nseen; i++)
        if (out->seen[i] == d) return;
    if (out->nseen < 64) out->seen[out->nseen++] = d;
    for (const zm_name *n = d->mixins; n; n = n->next) collect_fields(n->decl, out, delegates, depth + 1);
    for (const zm_name *n = d->extends; n; n = n->next)
        if (n->decl && (delegates || !zm_is_delegate(n->decl)))
            collect_fields(n->decl, out, delegates, depth + 1);
    for (zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_FIELD) fields_add(out, m);
}

static void collect(const zm_decl *d, fields *out, int depth) { collect_fields(d, out, true, depth); }




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
    fields all = {0};
    collect(d, &all, 0);

    /* @@@onceInModel attributes: on one field at most, inherited ones included. */
    if (k->level == 3 && d->kind != ZM_DECL_TYPE) {
        zm_map once = {0};
        for (size_t i = 0; i < all.count; i++)
            for (zm_attr *a = all.items[i]->attrs; a; a = a->next)
                if (a->decl && zm_decl_attr(a->decl, "@@@onceInModel") &&
                    zm_map_put(&once, a->decl->name, a))
                    error(k, a->span, "Attribute \"%s\" can only be applied to one field per model",
                          a->decl->name);
        zm_map_free(&once);
    }

    /* Duplicates: reported on this model's own fields; when all of a name's
       fields are inherited (two mixins), once, on the second of them. */
    zm_map names = {0}, own = {0}, reported = {0};
    for (zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_FIELD) zm_map_put(&own, m->name, m);
    for (size_t i = 0; i < all.count; i++) {
        zm_member *f = all.items[i];
        if (!zm_map_put(&names, f->name, f)) continue;
        if (f->owner == d || (!zm_map_get(&own, f->name) && !zm_map_put(&reported, f->name, f)))
            error(k, f->name_span, "Duplicated declaration name \"%s\"", f->name);
    }
    zm_map_free(&names);
    zm_map_free(&own);
    zm_map_free(&reported);

    if (d->kind == ZM_DECL_TYPE) {
        fields_free(&all);
        return;
    }

    size_t ids = 0, uniques = 0;
    const zm_member *id_field = NULL;
    for (size_t i = 0; i < all.count; i++) {
        if (zm_member_attr(all.items[i], "@id")) {
            ids++;
            if (!id_field) id_field = all.items[i];
        }
        if (zm_member_attr(all.items[i], "@unique")) uniques++;
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
    fields_free(&all);
}

/* Does `type` t, or a type one of its fields has (at any depth), have a
   field typed by a model? `seen` ends cycles between types. */
static bool type_has_relation(const zm_decl *t, const zm_decl **seen, size_t *nseen)
{
    for (size_t i = 0; i < *nseen; i++)
        if (seen[i] == t) return false;
    if (*nseen == 64) return false;
    seen[(*nseen)++] = t;
    fields inner = {0};
    collect(t, &inner, 0);
    bool found = false;
    for (size_t i = 0; i < inner.count && !found; i++) {
        const zm_typeref *ft = inner.items[i]->type;
        found = is_model_type(ft) ||
                (ft->decl && ft->decl->kind == ZM_DECL_TYPE && type_has_relation(ft->decl, seen, nseen));
    }
    fields_free(&inner);
    return found;
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
        if (m->type->decl && m->type->decl->kind == ZM_DECL_TYPE && !zm_member_attr(m, "@json"))
            error(k, m->name_span, "Custom-typed field must have @json attribute");
        if (m->type->decl && m->type->decl->kind == ZM_DECL_TYPE && k->level == 3) {
            const zm_decl *seen[64];
            size_t nseen = 0;
            if (type_has_relation(m->type->decl, seen, &nseen))
                error(k, m->type->span, "Type used as JSON field type cannot have relation fields");
        }
    }
}

/* ---- relations ------------------------------------------------------------- */

bool zm_is_delegate(const zm_decl *d)
{
    for (const zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_ATTR && strcmp(m->attrs->name, "@@delegate") == 0) return true;
    return false;
}

/* What a field's @relation says. */
typedef struct relation {
    const zm_attr *attr;
    const char *name;
    const zm_arg *fields, *references;      /* array items, or NULL */
    bool has_fields, has_references;
    bool valid;
} relation;

static relation parse_relation(checker *k, const zm_member *f, bool report)
{
    relation r = {NULL, NULL, NULL, NULL, false, false, true};
    r.attr = zm_member_attr(f, "@relation");
    if (!r.attr) return r;
    for (const zm_arg *a = r.attr->args; a; a = a->next) {
        if (!a->name || strcmp(a->name, "name") == 0) {
            if (a->value->kind == ZM_EXPR_STRING) r.name = a->value->text;
        } else if ((strcmp(a->name, "fields") == 0 || strcmp(a->name, "references") == 0) &&
                   a->value->kind == ZM_EXPR_ARRAY) {
            bool fields = a->name[0] == 'f';
            if (fields) {
                r.fields = a->value->args;
                r.has_fields = true;
            } else {
                r.references = a->value->args;
                r.has_references = true;
            }
            if (!a->value->args) {
                if (report) error(k, a->span, "\"%s\" value cannot be empty", a->name);
                r.valid = false;
            }
        }
    }
    if (!r.has_fields && !r.has_references) return r;
    if (!r.has_fields || !r.has_references) {
        if (report) error(k, r.attr->span, "\"fields\" and \"references\" must be provided together");
        return r;
    }
    size_t nf = 0, nr = 0;
    for (const zm_arg *a = r.fields; a; a = a->next) nf++;
    for (const zm_arg *a = r.references; a; a = a->next) nr++;
    if (nf != nr) {
        if (report) error(k, r.attr->span, "\"references\" and \"fields\" must have the same length");
        return r;
    }
    for (const zm_arg *a = r.fields, *b = r.references; a && b && report; a = a->next, b = b->next) {
        const zm_member *fk = a->value->member, *pk = b->value->member;
        bool refs = a->value->kind == ZM_EXPR_REF && b->value->kind == ZM_EXPR_REF;
        if (refs && !fk != !pk) {   /* one side unresolved (reported): its type is unknown */
            error(k, r.attr->span, "values of \"references\" and \"fields\" must have the same type");
            continue;
        }
        if (!fk || !pk || fk->kind != ZM_MEMBER_FIELD || pk->kind != ZM_MEMBER_FIELD) continue;
        if (!f->type->optional && fk->type->optional)
            error(k, fk->name_span, "relation \"%s\" is not optional, but field \"%s\" is optional",
                  f->name, fk->name);
        if (fk->type->decl != pk->type->decl || fk->type->list != pk->type->list ||
            (!fk->type->decl && strcmp(fk->type->name, pk->type->name) != 0))
            error(k, r.attr->span, "values of \"references\" and \"fields\" must have the same type");
    }
    return r;
}

static bool same_name(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Is fk unique on its own (@id, @unique) or in a model-level @@unique/@@id? */
/* A model's relation fields (own and inherited, not through delegate bases),
   sorted by target model and then by position: finding the candidates for
   an opposite field costs a binary search, not a walk over every field of a
   model that hundreds of others point to. */
typedef struct zm_relation_index {
    size_t count;
    struct relation_entry {
        const zm_decl *target;
        size_t position;
        const zm_member *field;
    } items[];
} zm_relation_index;

static int relation_entry_cmp(const void *a, const void *b)
{
    const struct relation_entry *x = a, *y = b;
    if (x->target != y->target) return (uintptr_t)x->target < (uintptr_t)y->target ? -1 : 1;
    return x->position < y->position ? -1 : x->position > y->position;
}

/* The index of model d, built on first use; [*first, *end) are the entries
   targeting `target`. */
static const zm_relation_index *relation_index(checker *k, const zm_decl *d, const zm_decl *target,
                                               size_t *first, size_t *end)
{
    zm_relation_index *ix = d->relations;
    if (!ix) {
        fields all = {0};
        collect_fields(d, &all, false, 0);
        size_t n = 0;
        for (size_t i = 0; i < all.count; i++) n += is_model_type(all.items[i]->type);
        ix = zm_arena_alloc(&k->c->arena, sizeof *ix + n * sizeof ix->items[0]);
        ix->count = 0;
        for (size_t i = 0; i < all.count; i++)
            if (is_model_type(all.items[i]->type))
                ix->items[ix->count++] = (struct relation_entry){all.items[i]->type->decl, i, all.items[i]};
        fields_free(&all);
        qsort(ix->items, ix->count, sizeof ix->items[0], relation_entry_cmp);
        ((zm_decl *)d)->relations = ix;
    }
    size_t lo = 0, hi = ix->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)ix->items[mid].target < (uintptr_t)target) lo = mid + 1;
        else hi = mid;
    }
    *first = lo;
    while (lo < ix->count && ix->items[lo].target == target) lo++;
    *end = lo;
    return ix;
}

static bool unique_field(const zm_decl *d, const zm_member *fk)
{
    if (zm_member_attr(fk, "@id") || zm_member_attr(fk, "@unique")) return true;
    for (int depth = 0; d && depth < 32; depth++) {
        for (const zm_member *m = d->members; m; m = m->next) {
            if (m->kind != ZM_MEMBER_ATTR) continue;
            const char *n = m->attrs->name;
            if (strcmp(n, "@@unique") != 0 && strcmp(n, "@@id") != 0) continue;
            const zm_arg *list = m->attrs->args;
            if (!list || list->value->kind != ZM_EXPR_ARRAY) continue;
            for (const zm_arg *i = list->value->args; i; i = i->next)
                if (i->value->member == fk) return true;
        }
        d = d->extends ? d->extends->decl : NULL;
    }
    return false;
}

static void check_relation_field(checker *k, const zm_decl *ctx, const zm_member *field,
                                 bool via_delegate)
{
    relation me = parse_relation(k, field, true);
    if (!me.valid || via_delegate) return;  /* a delegate's field: no opposite needed */
    const zm_decl *container = field->owner;
    bool self = field->type->decl == container;
    if (self && !me.name) {
        if (k->level == 3)
            error(k, field->name_span, "Self-relation field must have a name in @relation attribute");
        return;     /* v2: an unnamed self relation needs no opposite */
    }

    const zm_decl *opposite = field->type->decl;
    const zm_member *match[16];
    size_t n = 0;
    size_t first, end;
    const zm_relation_index *theirs = relation_index(k, opposite, ctx, &first, &end);
    for (size_t i = first; i < end; i++) {
        const zm_member *f = theirs->items[i].field;
        if (f == field) continue;
        relation r = parse_relation(k, f, false);
        if (r.valid && same_name(r.name, me.name) && n < 16) match[n++] = f;
    }
    if (n == 0) {
        for (const zm_arg *a = me.attr ? me.attr->args : NULL; a; a = a->next)
            if (a->name && strcmp(a->name, "createOpposite") == 0 && a->value->kind == ZM_EXPR_BOOL &&
                a->value->boolean)
                return;
        error(k, field->name_span,
              "The relation field \"%s\" on model \"%s\" is missing an opposite relation field on "
              "model \"%s\"",
              field->name, ctx->name, opposite->name);
        return;
    }
    if (n > 1) {
        zm_buf names = ZM_BUF_INIT;
        for (size_t i = 0; i < n; i++) zm_buf_printf(&names, "%s\"%s\"", i ? ", " : "", match[i]->name);
        for (size_t i = 0; i < n; i++) {
            const zm_member *f = match[i];
            if (f->owner == ctx || f->type->decl == f->owner) continue;
            error(k, f->name_span, "Fields %s on model \"%s\" refer to the same relation to model \"%s\"",
                  names.data, opposite->name, container->name);
        }
        zm_buf_free(&names);
        return;
    }

    const zm_member *other = match[0];
    relation them = parse_relation(k, other, false);
    if (field->type->list && other->type->list) {
        if (k->level == 3) {
            if (me.has_fields || me.has_references)
                error(k, field->name_span, "Implicit many-to-many relation cannot have \"fields\" or "
                                           "\"references\" in @relation attribute");
            if (them.has_fields || them.has_references)
                error(k, other->name_span, "Implicit many-to-many relation cannot have \"fields\" or "
                                           "\"references\" in @relation attribute");
        }
        return;
    }
    const zm_member *non_owner;
    if (me.fields && me.references) {
        if (them.has_fields || them.has_references) {
            error(k, other->name_span,
                  "\"fields\" and \"references\" must be provided only on one side of relation field");
            return;
        }
        non_owner = other;
    } else if (them.fields && them.references) {
        if (me.has_fields || me.has_references) {
            error(k, field->name_span,
                  "\"fields\" and \"references\" must be provided only on one side of relation field");
            return;
        }
        non_owner = field;
    } else {
        const zm_member *both[2] = {field, other};
        for (int i = 0; i < 2; i++)
            if (both[i]->type->decl != both[i]->owner)
                error(k, both[i]->name_span, "Field for one side of relation must carry @relation "
                                             "attribute with both \"fields\" and \"references\"");
        return;
    }
    if (!non_owner->type->list && !non_owner->type->optional) {
        error(k, non_owner->name_span, "Relation field needs to be list or optional");
        return;
    }
    if (non_owner != field && !non_owner->type->list) {
        /* One-to-one: the foreign key must be unique. */
        for (const zm_arg *a = me.fields; a; a = a->next) {
            const zm_member *fk = a->value->member;
            if (!fk || fk->kind != ZM_MEMBER_FIELD) continue;
            if (unique_field(container, fk) || (container != ctx && unique_field(ctx, fk))) continue;
            error(k, fk->name_span,
                  "Field \"%s\" on model \"%s\" is part of a one-to-one relation and must be marked as "
                  "@unique or be part of a model-level @@unique attribute",
                  fk->name, container->name);
        }
    }
}

static void check_relations(checker *k, const zm_decl *d)
{
    if (d->kind != ZM_DECL_MODEL || (k->level == 2 && d->is_abstract)) return;
    fields all = {0}, own = {0};
    collect(d, &all, 0);
    collect_fields(d, &own, false, 0);
    zm_map own_names = {0};     /* contains() by pointer, fast for big models */
    for (size_t i = 0; i < own.count; i++) zm_map_put(&own_names, own.items[i]->name, own.items[i]);
    for (size_t i = 0; i < all.count; i++)
        if (is_model_type(all.items[i]->type))
            check_relation_field(k, d, all.items[i],
                                 zm_map_get(&own_names, all.items[i]->name) != all.items[i]);
    zm_map_free(&own_names);
    fields_free(&all);
    fields_free(&own);
}

/* ---- inheritance ------------------------------------------------------------ */

static void check_inheritance(checker *k, const zm_decl *d)
{
    size_t delegates = 0;
    bool bad_base = false;
    for (const zm_name *n = d->extends; n; n = n->next) {
        const zm_decl *base = n->decl;
        if (!base) continue;
        if (zm_is_delegate(base)) {
            delegates++;
        } else if (k->level == 3) {
            error(k, n->span, "Model %s cannot be extended because it's not a delegate model", n->text);
            bad_base = true;
        } else if (!base->is_abstract) {
            error(k, n->span,
                  "Model %s cannot be extended because it's neither abstract nor marked as \"@@delegate\"",
                  n->text);
            bad_base = true;
        }
    }
    if (k->level == 2 && delegates > 1)
        error(k, d->name_span, "Extending from multiple delegate models is not supported");

    /* Cycles, through bases (and, for types and models, mixins). */
    for (int mixins = bad_base ? 1 : 0; mixins < 2; mixins++) {
        const zm_decl *path[64];
        size_t len = 0;
        if (k->level == 2 && !mixins) path[len++] = d;
        const zm_name *next = mixins ? d->mixins : d->extends;
        const zm_decl *cur = next ? next->decl : NULL;
        while (cur && len < 64) {
            bool seen = false;
            for (size_t i = 0; i < len; i++) seen |= path[i] == cur;
            if (seen) {
                zm_buf b = ZM_BUF_INIT;
                for (size_t i = 0; i < len; i++) zm_buf_printf(&b, "%s -> ", path[i]->name);
                zm_buf_puts(&b, cur->name);
                if (mixins) error(k, d->name_span, "Cyclic mixin detected: %s", b.data);
                else if (k->level == 2) error(k, d->name_span, "Circular inheritance detected: %s", b.data);
                else error(k, d->name_span, "Cyclic inheritance detected: %s", b.data);
                zm_buf_free(&b);
                break;
            }
            path[len++] = cur;
            next = mixins ? cur->mixins : cur->extends;
            cur = next ? next->decl : NULL;
        }
    }
}

/* ---- polymorphism ------------------------------------------------------------ */

/* The model's own model-level attribute `name`, the n-th (0-based). */
static const zm_attr *own_attr(const zm_decl *d, const char *name, int n)
{
    for (const zm_member *m = d->members; m; m = m->next)
        if (m->kind == ZM_MEMBER_ATTR && strcmp(m->attrs->name, name) == 0 && n-- == 0) return m->attrs;
    return NULL;
}

/* The value a sub-model stands for in its base's discriminator: its
   @@delegateMap string or enum value, else its name. */
static const char *discriminator_value(const zm_decl *d)
{
    const zm_attr *map = own_attr(d, "@@delegateMap", 0);
    const zm_expr *v = map && map->args ? map->args->value : NULL;
    if (v && v->kind == ZM_EXPR_STRING) return v->text;
    if (v && v->kind == ZM_EXPR_REF && v->member && v->member->kind == ZM_MEMBER_ENUM_VALUE) return v->text;
    return d->name;
}

/* @@delegateMap's value against the base's discriminator field. */
static void check_delegate_map_value(checker *k, const zm_decl *base, const zm_attr *map)
{
    const zm_expr *v = map->args ? map->args->value : NULL;
    if (!v) return;     /* a missing argument is reported with the attribute's */
    const zm_attr *delegate = own_attr(base, "@@delegate", 0);
    const zm_expr *disc = delegate && delegate->args ? delegate->args->value : NULL;
    const zm_member *field = disc && disc->kind == ZM_EXPR_REF ? disc->member : NULL;
    if (!field || field->kind != ZM_MEMBER_FIELD) return;
    const zm_decl *e = field->type->decl;
    if (v->kind == ZM_EXPR_REF && v->member && v->member->kind == ZM_MEMBER_ENUM_VALUE) {
        if (!e || e->kind != ZM_DECL_ENUM)
            error(k, v->span, "`@@delegateMap` enum value cannot be used when the discriminator field is String");
        else if (v->member->owner != e)
            error(k, v->span, "`@@delegateMap` enum value must come from the discriminator enum type");
    } else if (v->kind == ZM_EXPR_STRING) {
        if (e || strcmp(field->type->name, "String") != 0)
            error(k, v->span, "`@@delegateMap` string value must match a String discriminator field");
    } else {
        error(k, v->span, "`@@delegateMap` expects a string literal or enum value");
    }
}

/* v3: a sub-model names its discriminator value at most once, with a value
   of the discriminator's type; a delegate's sub-models in the same file
   stand for distinct values. */
static void check_delegate_map(checker *k, const zm_decl *d, const zm_file *file)
{
    const zm_attr *map = own_attr(d, "@@delegateMap", 0), *second = own_attr(d, "@@delegateMap", 1);
    if (second) error(k, second->span, "Model can include at most one @@delegateMap attribute");
    if (map && !d->extends)
        error(k, map->span, "`@@delegateMap` can only be used on models that extend a delegate base model");
    else if (map && d->extends->decl)
        check_delegate_map_value(k, d->extends->decl, map);
    if (!own_attr(d, "@@delegate", 0)) return;
    zm_map seen = {0};
    for (const zm_decl *sub = file->decls; sub; sub = sub->next) {
        if (sub->kind != ZM_DECL_MODEL || !sub->extends || sub->extends->decl != d) continue;
        const char *value = discriminator_value(sub);
        const zm_decl *first = zm_map_get(&seen, value);
        if (first)
            error(k, sub->name_span, "Duplicate @@delegateMap value \"%s\" on models \"%s\" and \"%s\"", value,
                  first->name, sub->name);
        else
            zm_map_put(&seen, value, (void *)sub);
    }
    zm_map_free(&seen);
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
        /* ZenStack's providers, and any a dialect module provides (Prisma's
           alias "postgres", a third party's database) */
        bool ok = false;
        for (const char *const *p = supported; *p; p++) ok |= strcmp(*p, provider->value->text) == 0;
        char *why = NULL;
        if (!ok) ok = zm_dialect_find(provider->value->text, &why) != NULL;
        free(why);
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
    size_t datasources = 0, auths = 0;
    for (zm_file *f = c->files; f; f = f->next) {
        for (zm_decl *d = f->decls; d; d = d->next) {
            switch (d->kind) {
            case ZM_DECL_MODEL:
            case ZM_DECL_VIEW:
            case ZM_DECL_TYPE:
                if (model_attr(d, "@@auth", 32) && ++auths > 1)
                    error(&k, d->name_span, "Multiple `@@auth` models are not allowed");
                check_model(&k, d);
                check_fields(&k, d);
                check_relations(&k, d);
                check_inheritance(&k, d);
                if (level == 3 && d->kind == ZM_DECL_MODEL) check_delegate_map(&k, d, f);
                break;
            case ZM_DECL_PROCEDURE:
                if (level == 3 && (strcmp(d->name, "__proto__") == 0 || strcmp(d->name, "prototype") == 0 ||
                                   strcmp(d->name, "constructor") == 0))
                    error(&k, d->name_span, "Procedure name \"%s\" is reserved", d->name);
                break;
            case ZM_DECL_ENUM: {
                zm_map values = {0};
                for (zm_member *m = d->members; m; m = m->next)
                    if (m->kind == ZM_MEMBER_ENUM_VALUE && zm_map_put(&values, m->name, m))
                        error(&k, m->name_span, "Duplicated declaration name \"%s\"", m->name);
                zm_map_free(&values);
                break;
            }
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
