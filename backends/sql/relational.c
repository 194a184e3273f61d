/*
** relational.c — the read-only API of zmc/relational.h over the schema's
** structs (sql.h), the arena everything lives in, and string building.
**
** Accessors check their indexes: out of range gives NULL or 0, as the IR's
** do, so a caller never reads past a list.
*/
#include <stdlib.h>
#include <string.h>

#include "sql.h"

/* ---- arena ------------------------------------------------------------------- */

struct sql_block {
    sql_block *next;
    size_t used, size;
    max_align_t data[];
};

enum { BLOCK_SIZE = 64 * 1024 };

static void out_of_memory(sql_arena *a)
{
    if (a->oom) longjmp(*a->oom, 1);
    abort();
}

void *sql_alloc(sql_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    sql_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        b = malloc(sizeof *b + size);
        if (!b) out_of_memory(a);
        b->size = size;
        b->used = 0;
        /* a big block goes behind the current one, which keeps its room */
        if (a->head && n > BLOCK_SIZE) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *sql_strndup(sql_arena *a, const char *s, size_t n)
{
    char *d = sql_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *sql_strdup(sql_arena *a, const char *s) { return s ? sql_strndup(a, s, strlen(s)) : NULL; }

void sql_arena_free(sql_arena *a)
{
    for (sql_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

void sql_vec_push(sql_arena *a, sql_vec *v, void *item)
{
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **items = sql_alloc(a, cap * sizeof *items);
        if (v->count) memcpy(items, v->items, v->count * sizeof *items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->count++] = item;
}

/* ---- string building ------------------------------------------------------------ */

void sb_addn(sql_sb *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1) cap *= 2;
        char *more = realloc(b->s, cap);
        if (!more) {
            b->oom = true;
            return;
        }
        b->s = more;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_add(sql_sb *b, const char *s) { sb_addn(b, s, strlen(s)); }
void sb_addc(sql_sb *b, char c) { sb_addn(b, &c, 1); }

char *sb_keep(sql_arena *a, sql_sb *b)
{
    bool oom = b->oom;
    char *s = oom ? NULL : sql_strndup(a, b->s ? b->s : "", b->len);
    free(b->s);
    *b = (sql_sb){0};
    if (oom) out_of_memory(a);
    return s;
}

void zm_rel_free(zm_rel_schema *s)
{
    if (!s) return;
    sql_arena arena = s->arena;     /* the schema itself lives in its arena */
    sql_arena_free(&arena);
}

/* ---- accessors ---------------------------------------------------------------------- */

const zmc_dialect *zm_rel_schema_dialect(const zm_rel_schema *s) { return s->dialect; }
size_t zm_rel_namespace_count(const zm_rel_schema *s) { return s->namespaces.count; }
const char *zm_rel_namespace_at(const zm_rel_schema *s, size_t i) { return SQL_AT(s->namespaces, i, const char *); }
size_t zm_rel_listed_namespace_count(const zm_rel_schema *s) { return s->listed_namespaces.count; }
const char *zm_rel_listed_namespace_at(const zm_rel_schema *s, size_t i)
{
    return SQL_AT(s->listed_namespaces, i, const char *);
}
bool zm_rel_schema_is_multi_namespace(const zm_rel_schema *s) { return s->multi_namespace; }

size_t zm_rel_extension_count(const zm_rel_schema *s) { return s->extensions.count; }
void zm_rel_extensions_borrow(zm_rel_schema *to, const zm_rel_schema *from) { to->extensions = from->extensions; }
const zm_rel_extension *zm_rel_extension_at(const zm_rel_schema *s, size_t i)
{
    return SQL_AT(s->extensions, i, const zm_rel_extension *);
}
const char *zm_rel_extension_name(const zm_rel_extension *x) { return x->name; }
const char *zm_rel_extension_version(const zm_rel_extension *x) { return x->version; }
const char *zm_rel_extension_namespace(const zm_rel_extension *x) { return x->namespace_; }

size_t zm_rel_table_count(const zm_rel_schema *s) { return s->tables.count; }
const zm_rel_table *zm_rel_table_at(const zm_rel_schema *s, size_t i) { return SQL_AT(s->tables, i, const zm_rel_table *); }

const zm_rel_table *zm_rel_table_find(const zm_rel_schema *s, const char *ns, const char *name)
{
    for (size_t i = 0; i < s->tables.count; i++) {
        const zm_rel_table *t = s->tables.items[i];
        if (strcmp(t->name, name) != 0) continue;
        if (!ns || (t->namespace_ && strcmp(t->namespace_, ns) == 0)) return t;
    }
    return NULL;
}

size_t zm_rel_enum_count(const zm_rel_schema *s) { return s->enums.count; }
const zm_rel_enum *zm_rel_enum_at(const zm_rel_schema *s, size_t i) { return SQL_AT(s->enums, i, const zm_rel_enum *); }
const char *zm_rel_enum_name(const zm_rel_enum *e) { return e->name; }
const char *zm_rel_enum_namespace(const zm_rel_enum *e) { return e->namespace_; }
size_t zm_rel_enum_value_count(const zm_rel_enum *e) { return e->values.count; }
const char *zm_rel_enum_value_at(const zm_rel_enum *e, size_t i) { return SQL_AT(e->values, i, const char *); }

const char *zm_rel_table_name(const zm_rel_table *t) { return t->name; }
const char *zm_rel_table_namespace(const zm_rel_table *t) { return t->namespace_; }
const zm_ir_model *zm_rel_table_model(const zm_rel_table *t) { return t->model; }
bool zm_rel_table_is_join(const zm_rel_table *t) { return t->model == NULL; }
size_t zm_rel_table_column_count(const zm_rel_table *t) { return t->columns.count; }
const zm_rel_column *zm_rel_table_column_at(const zm_rel_table *t, size_t i)
{
    return SQL_AT(t->columns, i, const zm_rel_column *);
}

const zm_rel_column *zm_rel_table_column_find(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; i < t->columns.count; i++) {
        const zm_rel_column *c = t->columns.items[i];
        if (strcmp(c->name, name) == 0) return c;
    }
    return NULL;
}

const zm_rel_index *zm_rel_table_primary_key(const zm_rel_table *t) { return t->pk; }
size_t zm_rel_table_index_count(const zm_rel_table *t) { return t->indexes.count; }
const zm_rel_index *zm_rel_table_index_at(const zm_rel_table *t, size_t i)
{
    return SQL_AT(t->indexes, i, const zm_rel_index *);
}
size_t zm_rel_table_fk_count(const zm_rel_table *t) { return t->fks.count; }
const zm_rel_fk *zm_rel_table_fk_at(const zm_rel_table *t, size_t i) { return SQL_AT(t->fks, i, const zm_rel_fk *); }

const char *zm_rel_column_name(const zm_rel_column *c) { return c->name; }
const char *zm_rel_column_type(const zm_rel_column *c) { return c->type; }
bool zm_rel_column_is_nullable(const zm_rel_column *c) { return c->nullable; }
bool zm_rel_column_is_list(const zm_rel_column *c) { return c->list; }
bool zm_rel_column_is_autoincrement(const zm_rel_column *c) { return c->autoincrement; }
const zm_rel_enum *zm_rel_column_enum(const zm_rel_column *c) { return c->enum_type; }
zm_rel_default_kind zm_rel_column_default_kind(const zm_rel_column *c) { return c->default_kind; }
const char *zm_rel_column_default_value(const zm_rel_column *c) { return c->default_value; }
const char *zm_rel_column_default_sql(const zm_rel_column *c) { return c->default_sql; }
size_t zm_rel_column_default_item_count(const zm_rel_column *c) { return c->default_items.count; }
const char *zm_rel_column_default_item_at(const zm_rel_column *c, size_t i) { return SQL_AT(c->default_items, i, const char *); }
zm_rel_default_kind zm_rel_column_default_item_kind(const zm_rel_column *c) { return c->default_item_kind; }

zm_rel_index_kind zm_rel_index_kind_of(const zm_rel_index *x) { return x->kind; }
const char *zm_rel_index_name(const zm_rel_index *x) { return x->name; }
const char *zm_rel_index_method(const zm_rel_index *x) { return x->method; }
size_t zm_rel_index_column_count(const zm_rel_index *x) { return x->ncols; }
const char *zm_rel_index_column_at(const zm_rel_index *x, size_t i) { return i < x->ncols ? x->cols[i].name : NULL; }
zm_rel_sort zm_rel_index_sort_at(const zm_rel_index *x, size_t i)
{
    return i < x->ncols ? x->cols[i].sort : ZM_REL_SORT_DEFAULT;
}
int zm_rel_index_length_at(const zm_rel_index *x, size_t i) { return i < x->ncols ? x->cols[i].length : 0; }
const char *zm_rel_index_opclass_at(const zm_rel_index *x, size_t i) { return i < x->ncols ? x->cols[i].opclass : NULL; }

const char *zm_rel_fk_name(const zm_rel_fk *k) { return k->name; }
size_t zm_rel_fk_column_count(const zm_rel_fk *k) { return k->ncols; }
const char *zm_rel_fk_column_at(const zm_rel_fk *k, size_t i) { return i < k->ncols ? k->cols[i] : NULL; }
const char *zm_rel_fk_ref_table(const zm_rel_fk *k) { return k->ref_table; }
const char *zm_rel_fk_ref_namespace(const zm_rel_fk *k) { return k->ref_namespace; }
const char *zm_rel_fk_ref_column_at(const zm_rel_fk *k, size_t i) { return i < k->ncols ? k->ref_cols[i] : NULL; }
zm_rel_action zm_rel_fk_on_delete(const zm_rel_fk *k) { return k->on_delete; }
zm_rel_action zm_rel_fk_on_update(const zm_rel_fk *k) { return k->on_update; }

const char *zm_rel_action_sql(zm_rel_action a)
{
    switch (a) {
    case ZM_REL_CASCADE: return "CASCADE";
    case ZM_REL_RESTRICT: return "RESTRICT";
    case ZM_REL_NO_ACTION: return "NO ACTION";
    case ZM_REL_SET_NULL: return "SET NULL";
    case ZM_REL_SET_DEFAULT: return "SET DEFAULT";
    }
    return NULL;
}
