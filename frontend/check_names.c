/*
** check_names.c — the database names of a schema against its datasource's
** identifier limit, which the dialect gives (zmc/dialect.h): PostgreSQL
** keeps 63 bytes of a name and cuts the rest without a word, MySQL refuses
** more than 64.
**
** As Prisma's validator does, with its messages:
**   - a `map:` constraint name over the limit is an error;
**   - on PostgreSQL, primary keys, indexes and unique constraints share one
**     namespace, and so do a table's foreign keys: two names that are the
**     same once Prisma's default names are cut to the limit (its scheme:
**     `{table}_{columns}_{suffix}`, the prefix cut on a UTF-8 boundary) are
**     an error, which would otherwise only show when the migration runs.
** Beyond Prisma, for PostgreSQL:
**   - two tables, or two columns of a table, whose names are the same once
**     cut to 63 bytes are an error (the SQL backend writes the cut names,
**     as the database keeps them, so a long name is no difference to diff
**     against the catalog every time);
**   - an enum value over 63 bytes is an error (PostgreSQL refuses such a
**     label rather than cutting it).
** And the names the database keeps for itself (SQLite's `sqlite_`). Runs on the IR, after every other check passed.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialect.h"
#include "ir_impl.h"
#include "sema.h"
#include "zmc/buf.h"

typedef struct named {
    const char *name;       /* the database name, as the database keeps it */
    zm_span span;           /* where it comes from */
    const char *attr;       /* "@@index", ...: for the message */
    const char *model;
} named;

typedef struct names {
    zm_compilation *c;
    size_t limit;
    bool pg;
    named *items;
    size_t count, cap;
} names;

/* `s` cut to `limit` bytes on a UTF-8 boundary, in the arena. */
static const char *cut(zm_compilation *c, const char *s, size_t limit)
{
    size_t n = strlen(s);
    if (n <= limit) return s;
    while (limit > 0 && ((unsigned char)s[limit] & 0xC0) == 0x80) limit--;
    return zm_arena_strndup(&c->arena, s, limit);
}

/* Prisma's default constraint name: {table}_{cols}{suffix}, the prefix cut
   so that the whole fits the limit. */
static const char *default_name(zm_compilation *c, const char *table, const zm_ir_field *const *cols, size_t n,
                                const char *suffix, size_t limit)
{
    zm_buf b = ZM_BUF_INIT;
    zm_buf_puts(&b, table);
    for (size_t i = 0; i < n; i++) {
        zm_buf_putc(&b, '_');
        zm_buf_puts(&b, cols[i]->db_name);
    }
    size_t room = limit > strlen(suffix) ? limit - strlen(suffix) : 0;
    const char *prefix = cut(c, b.data ? b.data : "", room);
    const char *name = zm_arena_printf(&c->arena, "%s%s", prefix, suffix);
    zm_buf_free(&b);
    return name;
}

static void add(names *ns, const char *name, zm_span span, const char *attr, const char *model)
{
    if (ns->count == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 32;
        named *bigger = zm_arena_alloc(&ns->c->arena, cap * sizeof *bigger);
        if (ns->count) memcpy(bigger, ns->items, ns->count * sizeof *bigger);
        ns->items = bigger;
        ns->cap = cap;
    }
    ns->items[ns->count++] = (named){name, span, attr, model};
}

/* Report every name of the list that another one also has. */
static void report_clashes(names *ns, const char *namespace_)
{
    for (size_t i = 0; i < ns->count; i++)
        for (size_t j = 0; j < ns->count; j++) {
            if (i == j || strcmp(ns->items[i].name, ns->items[j].name) != 0) continue;
            zm_diag_error(&ns->c->diag, ns->items[i].span,
                          "Error parsing attribute \"%s\": The given constraint name `%s` has to be unique in the "
                          "following namespace: %s. Please provide a different name using the `map` argument.",
                          ns->items[i].attr, ns->items[i].name, namespace_);
            break;
        }
    ns->count = 0;
}

static const char *index_attr(const zm_ir_index *x)
{
    switch (x->kind) {
    case ZM_IR_PRIMARY: return x->count == 1 && x->attr && x->attr->level == ZM_ATTR_FIELD ? "@id" : "@@id";
    case ZM_IR_UNIQUE: return x->attr && x->attr->level == ZM_ATTR_FIELD ? "@unique" : "@@unique";
    case ZM_IR_FULLTEXT: return "@@fulltext";
    default: return "@@index";
    }
}

static const char *index_suffix(zm_ir_index_kind k)
{
    return k == ZM_IR_PRIMARY ? "_pkey" : k == ZM_IR_UNIQUE ? "_key" : "_idx";
}

/* The database name given: map:, or an @@index's name:, its legacy alias
   (as the SQL backend reads it). */
static const char *index_map(const zm_ir_index *x)
{
    return x->map ? x->map : x->kind == ZM_IR_INDEX ? x->name : NULL;
}

static zm_span span_of_attr(const zm_attr *a, const zm_decl *d)
{
    return a ? a->span : d->name_span;
}

/* A `map:` over the limit. */
static void check_map_length(names *ns, const zm_ir_model *m, const char *map, const char *attr, zm_span span)
{
    if (!map || strlen(map) <= ns->limit) return;
    zm_diag_error(&ns->c->diag, span,
                  "Error validating model \"%s\": The constraint name '%s' specified in the `map` argument for the "
                  "`%s` constraint is too long for your chosen provider. The maximum allowed length is %zu bytes.",
                  m->name, map, attr, ns->limit);
}

/* Two database names the same once cut: tables of the schema, or columns
   of a table. */
static void check_cut_names(names *ns, const char *what, const char *owner)
{
    for (size_t i = 0; i < ns->count; i++)
        for (size_t j = 0; j < i; j++) {
            if (strcmp(ns->items[i].name, ns->items[j].name) != 0) continue;
            zm_diag_error(&ns->c->diag, ns->items[i].span,
                          "the database name of %s `%s`%s is the same as that of `%s` once PostgreSQL cuts it to "
                          "%zu bytes (`%s`): give one of them a shorter name with %s",
                          what, ns->items[i].attr, owner ? owner : "", ns->items[j].attr, ns->limit,
                          ns->items[i].name, strcmp(what, "model") == 0 ? "@@map" : "@map");
            break;
        }
    ns->count = 0;
}

/* Names the database keeps for itself (SQLite's sqlite_): it refuses to
   create such a table or index (unless PRAGMA writable_schema is on) and
   to drop one (even then), so a model mapped to one could never be
   changed or removed by a migration. */
static void check_reserved_names(zm_compilation *c, const zm_ir *ir, const zmc_dialect *d)
{
    const char *prefix = d->reserved_prefix;
    size_t n = strlen(prefix);
    for (size_t i = 0; i < ir->models.count; i++) {
        const zm_ir_model *m = ir->models.items[i];
        if (m->kind != ZM_IR_MODEL || m->ignored) continue;
        if (strncasecmp(m->db_name, prefix, n) == 0)
            zm_diag_error(&c->diag, m->decl->name_span,
                          "%s keeps the names that start with `%s` for itself: it refuses to create the "
                          "table `%s` and could never drop it; give the model another database name with @@map",
                          d->display_name, prefix, m->db_name);
        for (size_t k = 0; k < m->indexes.count; k++) {
            const zm_ir_index *x = m->indexes.items[k];
            const char *map = index_map(x);
            if (map && strncasecmp(map, prefix, n) == 0)
                zm_diag_error(&c->diag, span_of_attr(x->attr, m->decl),
                              "%s keeps the names that start with `%s` for itself: it refuses to create "
                              "the index `%s`; give it another name with map:",
                              d->display_name, prefix, map);
        }
    }
}

void zm_check_names(zm_compilation *c)
{
    const zm_ir *ir = zm_compilation_ir(c);
    const zm_ir_config *ds = ir ? zm_ir_datasource(ir) : NULL;
    const char *provider = ds ? zm_ir_config_string(ds, "provider") : NULL;
    if (!provider) return;
    /* the limits are the dialect's (a provider without one: nothing to check) */
    char *why = NULL;
    const zmc_dialect *d = zm_dialect_find(provider, &why);
    free(why);
    if (!d) return;
    if (d->reserved_prefix) check_reserved_names(c, ir, d);
    if (!d->name_limit) return;
    names ns = {.c = c, .limit = d->name_limit, .pg = (d->features & ZMC_DIALECT_NAMES_CUT) != 0};

    /* map: arguments over the limit (both databases) */
    for (size_t i = 0; i < ir->models.count; i++) {
        const zm_ir_model *m = ir->models.items[i];
        if (m->kind != ZM_IR_MODEL) continue;
        if (m->primary_key)
            check_map_length(&ns, m, m->primary_key->map, index_attr(m->primary_key),
                             span_of_attr(m->primary_key->attr, m->decl));
        for (size_t k = 0; k < m->indexes.count; k++) {
            const zm_ir_index *x = m->indexes.items[k];
            check_map_length(&ns, m, index_map(x), index_attr(x), span_of_attr(x->attr, m->decl));
        }
        for (size_t k = 0; k < m->fields.count; k++) {
            const zm_ir_field *f = m->fields.items[k];
            const zm_ir_relation *r = f->relation;
            if (r && r->owner == f && f->member)
                check_map_length(&ns, m, r->map, "@relation", f->member->span);
        }
    }
    if (!ns.pg) return;

    /* PostgreSQL: one namespace for primary keys, indexes and unique constraints */
    for (size_t i = 0; i < ir->models.count; i++) {
        const zm_ir_model *m = ir->models.items[i];
        if (m->kind != ZM_IR_MODEL || m->ignored) continue;
        const char *table = cut(c, m->db_name, ns.limit);
        if (m->primary_key) {
            const zm_ir_index *x = m->primary_key;
            add(&ns, x->map ? x->map : default_name(c, table, NULL, 0, "_pkey", ns.limit),
                span_of_attr(x->attr, m->decl), index_attr(x), m->name);
        }
        for (size_t k = 0; k < m->indexes.count; k++) {
            const zm_ir_index *x = m->indexes.items[k];
            if (x->kind == ZM_IR_PRIMARY) continue;
            const char *map = index_map(x);
            add(&ns, map ? map : default_name(c, table, x->fields, x->count, index_suffix(x->kind), ns.limit),
                span_of_attr(x->attr, m->decl), index_attr(x), m->name);
        }
    }
    report_clashes(&ns, "global for primary key, indexes and unique constraints");

    /* PostgreSQL: a table's foreign keys; its columns; the tables */
    for (size_t i = 0; i < ir->models.count; i++) {
        const zm_ir_model *m = ir->models.items[i];
        if (m->kind != ZM_IR_MODEL || m->ignored) continue;
        const char *table = cut(c, m->db_name, ns.limit);
        for (size_t k = 0; k < m->fields.count; k++) {
            const zm_ir_field *f = m->fields.items[k];
            const zm_ir_relation *r = f->relation;
            if (!r || r->owner != f || !f->member) continue;
            add(&ns, r->map ? r->map : default_name(c, table, r->fields, r->nkeys, "_fkey", ns.limit),
                f->member->span, "@relation", m->name);
        }
        report_clashes(&ns, zm_arena_printf(&c->arena, "on model `%s` for foreign keys", m->name));
        for (size_t k = 0; k < m->fields.count; k++) {
            const zm_ir_field *f = m->fields.items[k];
            if (f->kind == ZM_IR_FIELD_RELATION || f->ignored || f->computed || !f->member) continue;
            add(&ns, cut(c, f->db_name, ns.limit), f->member->span, f->name, m->name);
        }
        check_cut_names(&ns, "field", zm_arena_printf(&c->arena, " of model `%s`", m->name));
    }
    for (size_t i = 0; i < ir->models.count; i++) {
        const zm_ir_model *m = ir->models.items[i];
        if (!m->ignored) add(&ns, cut(c, m->db_name, ns.limit), m->decl->name_span, m->name, NULL);
    }
    check_cut_names(&ns, "model", NULL);

    /* PostgreSQL refuses an enum label over 63 bytes */
    for (size_t i = 0; i < ir->enums.count; i++) {
        const zm_ir_enum *e = ir->enums.items[i];
        for (size_t k = 0; k < e->nvalues; k++) {
            const zm_ir_enum_value *v = &e->values[k];
            if (strlen(v->db_name) <= ns.limit) continue;
            zm_diag_error(&c->diag, v->member->span,
                          "the database name of the enum value `%s` is %zu bytes long: PostgreSQL allows %zu for "
                          "an enum label; give it a shorter one with @map",
                          v->name, strlen(v->db_name), ns.limit);
        }
    }
}
