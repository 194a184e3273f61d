/*
** introspect.c — a live database read back into a relational schema
** (zm_rel_introspect), the part common to every dialect, and the canonical
** description of a schema (zm_rel_describe).
**
** The database is reached only through the caller's query callback, so
** this library links no client library. The dialect readers
** (introspect_sqlite.c, introspect_postgresql.c) fill the same structs the
** lowering fills (sql.h), in the lowering's representation: a database
** created from a schema's DDL must describe exactly as that schema does.
**
** The description writes only what a database can hold (see the header):
** whatever the lowering knows beyond that (an ASC sort, an enum default on
** SQLite) is written as the database would give it back.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "introspect.h"

/* ---- queries ---------------------------------------------------------------------- */

static char *dup_malloc(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

_Noreturn void sql_intro_fail(sql_intro *in, const char *message)
{
    if (!in->error) in->error = dup_malloc(message);
    longjmp(*in->a->oom, 1);
}

sql_rows sql_intro_query(sql_intro *in, const char *sql, size_t nparams, const char *const *params)
{
    zm_rel_rows raw = {0};
    char *error = NULL;
    if (in->src->query(in->src->ctx, sql, nparams, params, &raw, &error) != 0) {
        if (!in->error) in->error = error ? error : dup_malloc("introspection query failed");
        else free(error);
        longjmp(*in->a->oom, 1);
    }
    sql_rows r = {.nrows = raw.nrows, .ncols = raw.ncols};
    size_t n = raw.nrows * raw.ncols;
    /* copy before anything can jump: the callback's rows are freed either way */
    const char **cells = calloc(n + 1, sizeof *cells);
    bool ok = cells != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (!raw.cells[i]) continue;
        cells[i] = dup_malloc(raw.cells[i]);
        ok = cells[i] != NULL;
    }
    if (in->src->free_rows) in->src->free_rows(in->src->ctx, &raw);
    if (ok) {
        r.cells = sql_alloc(in->a, (n + 1) * sizeof *r.cells);
        for (size_t i = 0; i < n; i++) r.cells[i] = cells[i] ? sql_strdup(in->a, cells[i]) : NULL;
    }
    for (size_t i = 0; cells && i < n; i++) free((char *)cells[i]);
    free(cells);
    if (!ok) sql_intro_fail(in, "out of memory");
    return r;
}

/* ---- constructors ------------------------------------------------------------------- */

zm_rel_table *sql_intro_table(sql_intro *in, const char *namespace_, const char *name)
{
    zm_rel_table *t = sql_alloc(in->a, sizeof *t);
    t->name = sql_strdup(in->a, name);
    t->namespace_ = in->s->multi_namespace ? sql_strdup(in->a, namespace_) : NULL;
    sql_vec_push(in->a, &in->s->tables, t);
    return t;
}

zm_rel_column *sql_intro_column(sql_intro *in, zm_rel_table *t, const char *name)
{
    zm_rel_column *c = sql_alloc(in->a, sizeof *c);
    c->name = sql_strdup(in->a, name);
    c->nullable = true;
    sql_vec_push(in->a, &t->columns, c);
    return c;
}

zm_rel_index *sql_intro_index(sql_intro *in, zm_rel_index_kind kind, const char *name, size_t ncols)
{
    zm_rel_index *x = sql_alloc(in->a, sizeof *x);
    x->kind = kind;
    x->name = sql_strdup(in->a, name);
    x->named = true;
    x->ncols = ncols;
    x->cols = sql_alloc(in->a, (ncols + 1) * sizeof *x->cols);
    return x;
}

zm_rel_fk *sql_intro_fk(sql_intro *in, const char *name, size_t ncols)
{
    zm_rel_fk *k = sql_alloc(in->a, sizeof *k);
    k->name = sql_strdup(in->a, name);
    k->ncols = ncols;
    k->cols = sql_alloc(in->a, (ncols + 1) * sizeof *k->cols);
    k->ref_cols = sql_alloc(in->a, (ncols + 1) * sizeof *k->ref_cols);
    return k;
}

zm_rel_enum *sql_intro_enum(sql_intro *in, const char *namespace_, const char *name)
{
    zm_rel_enum *e = sql_alloc(in->a, sizeof *e);
    e->name = sql_strdup(in->a, name);
    e->namespace_ = in->s->multi_namespace ? sql_strdup(in->a, namespace_) : NULL;
    sql_vec_push(in->a, &in->s->enums, e);
    return e;
}

/* ---- literals ------------------------------------------------------------------------ */

const char *sql_intro_literal(sql_intro *in, const char **p)
{
    const char *s = *p;
    if (*s != '\'') return NULL;
    sql_sb b = {0};
    for (s++;; s++) {
        if (!*s) {
            free(b.s);
            return NULL;
        }
        if (*s == '\'') {
            if (s[1] != '\'') break;
            s++;
        }
        sb_addc(&b, *s);
    }
    *p = s + 1;
    return sb_keep(in->a, &b);
}

bool sql_intro_is_number(const char *t)
{
    if (*t == '-' || *t == '+') t++;
    size_t n = strspn(t, "0123456789");
    if (n == 0) return false;
    t += n;
    if (*t == '.') {
        n = strspn(t + 1, "0123456789");
        if (n == 0) return false;
        t += 1 + n;
    }
    if (*t == 'e' || *t == 'E') {
        t++;
        if (*t == '-' || *t == '+') t++;
        n = strspn(t, "0123456789");
        if (n == 0) return false;
        t += n;
    }
    return *t == '\0';
}

/* ---- introspection ----------------------------------------------------------------------- */

zm_rel_schema *zm_rel_introspect(const zm_rel_source *src, char **error)
{
    if (error) *error = NULL;
    const sql_flavor *flavor = src ? sql_flavor_of(src->dialect) : NULL;
    if (!src || !src->query || !flavor) {
        if (error) *error = dup_malloc("introspection: no SQL flavour for the dialect, or no query callback");
        return NULL;
    }
    /* the arena and the reader's state live on the heap: they must survive a longjmp */
    sql_arena *volatile arena = calloc(1, sizeof *arena);
    sql_intro *volatile in = calloc(1, sizeof *in);
    if (!arena || !in) {
        free(arena);
        free(in);
        if (error) *error = dup_malloc("out of memory");
        return NULL;
    }
    jmp_buf fail;
    arena->oom = &fail;
    if (setjmp(fail)) {
        if (error) *error = in->error ? in->error : dup_malloc("out of memory");
        else free(in->error);
        sql_arena_free(arena);
        free(arena);
        free(in);
        return NULL;
    }
    static const char *const public_ns[] = {"public"};
    in->src = src;
    in->a = arena;
    in->namespaces = src->namespace_count ? src->namespaces : public_ns;
    in->namespace_count = src->namespace_count ? src->namespace_count : 1;
    zm_rel_schema *s = sql_alloc(arena, sizeof *s);
    s->dialect = src->dialect;
    s->flavor = flavor;
    s->multi_namespace = sql_has(flavor, SQL_NAMESPACES) && src->multi_namespace;
    in->s = s;
    flavor->introspect(in);
    arena->oom = NULL;
    s->arena = *arena;
    free(arena);
    free(in);
    return s;
}

int zm_rel_read_notes(zm_rel_schema *s, const zm_rel_source *src, char **error)
{
    if (error) *error = NULL;
    if (!s || !src || !src->query || !s->flavor->read_notes) return 0;
    sql_intro *volatile in = calloc(1, sizeof *in);
    if (!in) {
        if (error) *error = dup_malloc("out of memory");
        return -1;
    }
    jmp_buf fail, *saved = s->arena.oom;
    s->arena.oom = &fail;
    if (setjmp(fail)) {
        s->arena.oom = saved;
        if (error) *error = in->error ? in->error : dup_malloc("out of memory");
        else free(in->error);
        free(in);
        return -1;
    }
    static const char *const public_ns[] = {"public"};
    in->src = src;
    in->a = &s->arena;
    in->namespaces = src->namespace_count ? src->namespaces : public_ns;
    in->namespace_count = src->namespace_count ? src->namespace_count : 1;
    in->s = s;
    s->flavor->read_notes(in);
    s->arena.oom = saved;
    free(in);
    return 0;
}

void sql_intro_note(sql_intro *in, const char *kind, const char *table, const char *name)
{
    sql_note *n = sql_alloc(in->a, sizeof *n);
    n->kind = kind;
    n->table = table ? sql_strdup(in->a, table) : NULL;
    n->name = sql_strdup(in->a, name ? name : "");
    sql_vec_push(in->a, &in->s->notes, n);
}

size_t zm_rel_note_count(const zm_rel_schema *s) { return s ? s->notes.count : 0; }

const char *zm_rel_note_at(const zm_rel_schema *s, size_t i, const char **table, const char **name)
{
    const sql_note *n = s ? SQL_AT(s->notes, i, const sql_note *) : NULL;
    if (table) *table = n ? n->table : NULL;
    if (name) *name = n ? n->name : NULL;
    return n ? n->kind : NULL;
}

/* ---- description --------------------------------------------------------------------------- */

/* Names and strings in descriptions are quoted alike whatever the flavour. */
static const sql_flavor sql_describe_quoting = {.name = "describe", .quote = '"'};

static const char *kind_name(zm_rel_default_kind k)
{
    static const char *const names[] = {"none", "string", "number", "bool",  "enum",      "datetime",
                                        "now",  "json",   "bytes",  "list", "expression"};
    return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void quoted(sql_sb *b, const char *s)
{
    sql_quote_ident(b, &sql_describe_quoting, s ? s : "");
}

static void object(sql_sb *b, const char *ns, const char *name)
{
    if (ns) {
        quoted(b, ns);
        sb_addc(b, '.');
    }
    quoted(b, name);
}

/* JSON text without the blanks between tokens (a database may normalise them). */
static void json_compact(sql_sb *b, const char *s)
{
    bool in_string = false;
    for (; *s; s++) {
        if (in_string) {
            sb_addc(b, *s);
            if (*s == '\\' && s[1]) sb_addc(b, *++s);
            else if (*s == '"') in_string = false;
        } else if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            sb_addc(b, *s);
            in_string = *s == '"';
        }
    }
}

static void describe_column(sql_sb *b, const zm_rel_schema *s, const zm_rel_column *c)
{
    sb_add(b, "  column ");
    quoted(b, c->name);
    sb_addc(b, ' ');
    sb_add(b, c->type ? c->type : "?");
    sb_add(b, c->nullable ? " null" : " not null");
    if (c->list) sb_add(b, " list");
    if (c->autoincrement) sb_add(b, " autoincrement");
    if (c->default_kind != ZM_REL_DEFAULT_NONE) {
        zm_rel_default_kind k = c->default_kind;
        /* SQLite has no enums: an enum default is a string there */
        if (k == ZM_REL_DEFAULT_ENUM && sql_has(s->flavor, SQL_ENUM_DEFAULTS_AS_STRINGS)) k = ZM_REL_DEFAULT_STRING;
        sb_add(b, " default ");
        sb_add(b, kind_name(k));
        if (c->default_sql) {
            sb_addc(b, ' ');
            if (k == ZM_REL_DEFAULT_JSON) json_compact(b, c->default_sql);
            else sb_add(b, c->default_sql);
        }
        if (c->default_value) {
            sb_add(b, " value ");
            if (k == ZM_REL_DEFAULT_JSON) {
                sql_sb v = {0};
                json_compact(&v, c->default_value);
                quoted(b, v.s ? v.s : "");
                free(v.s);
            } else {
                quoted(b, c->default_value);
            }
        }
    }
    sb_addc(b, '\n');
}

static void describe_index(sql_sb *b, const zm_rel_schema *s, const zm_rel_table *t, const zm_rel_index *x)
{
    static const char *const kinds[] = {"primary key", "unique", "index", "fulltext"};
    sb_add(b, "  ");
    sb_add(b, (size_t)x->kind < 4 ? kinds[x->kind] : "?");
    sb_addc(b, ' ');
    quoted(b, x->name);
    sb_add(b, " (");
    for (size_t i = 0; i < x->ncols; i++) {
        const sql_index_column *c = &x->cols[i];
        if (i) sb_add(b, ", ");
        quoted(b, c->name);
        /* primary keys are written without an order; ASC is the default order */
        if (x->kind != ZM_REL_PRIMARY && c->sort == ZM_REL_SORT_DESC) sb_add(b, " DESC");
        if (c->length) {
            char n[32];
            snprintf(n, sizeof n, "(%d)", c->length);
            sb_add(b, n);
        }
        const zm_rel_column *col = zm_rel_table_column_find(t, c->name ? c->name : "");
        if (c->opclass && !(s->flavor->default_opclass &&
                            s->flavor->default_opclass(x->method, col ? col->type : NULL, c->opclass))) {
            sb_addc(b, ' ');
            sb_add(b, c->opclass);
        }
    }
    sb_addc(b, ')');
    if (x->method) {
        sb_add(b, " using ");
        sb_add(b, x->method);
    }
    sb_addc(b, '\n');
}

static void describe_fk(sql_sb *b, const zm_rel_fk *k)
{
    sb_add(b, "  foreign key ");
    quoted(b, k->name);
    sb_add(b, " (");
    for (size_t i = 0; i < k->ncols; i++) {
        if (i) sb_add(b, ", ");
        quoted(b, k->cols[i]);
    }
    sb_add(b, ") references ");
    object(b, k->ref_namespace, k->ref_table);
    sb_add(b, " (");
    for (size_t i = 0; i < k->ncols; i++) {
        if (i) sb_add(b, ", ");
        quoted(b, k->ref_cols[i]);
    }
    sb_add(b, ") on delete ");
    sb_add(b, zm_rel_action_sql(k->on_delete) ? zm_rel_action_sql(k->on_delete) : "?");
    sb_add(b, " on update ");
    sb_add(b, zm_rel_action_sql(k->on_update) ? zm_rel_action_sql(k->on_update) : "?");
    sb_addc(b, '\n');
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_table(const void *x, const void *y)
{
    const zm_rel_table *a = *(const zm_rel_table *const *)x, *b = *(const zm_rel_table *const *)y;
    int c = cmp_str(a->namespace_, b->namespace_);
    return c ? c : cmp_str(a->name, b->name);
}

static int cmp_enum(const void *x, const void *y)
{
    const zm_rel_enum *a = *(const zm_rel_enum *const *)x, *b = *(const zm_rel_enum *const *)y;
    int c = cmp_str(a->namespace_, b->namespace_);
    return c ? c : cmp_str(a->name, b->name);
}

static int cmp_index(const void *x, const void *y)
{
    return cmp_str((*(const zm_rel_index *const *)x)->name, (*(const zm_rel_index *const *)y)->name);
}

static int cmp_fk(const void *x, const void *y)
{
    return cmp_str((*(const zm_rel_fk *const *)x)->name, (*(const zm_rel_fk *const *)y)->name);
}

static int cmp_extension(const void *x, const void *y)
{
    return cmp_str((*(const zm_rel_extension *const *)x)->name, (*(const zm_rel_extension *const *)y)->name);
}

/* A sorted copy of a vector's items (malloc'ed), or NULL when empty or out of memory. */
static void **sorted(const sql_vec *v, int (*cmp)(const void *, const void *), bool *oom)
{
    if (v->count == 0) return NULL;
    void **items = malloc(v->count * sizeof *items);
    if (!items) {
        *oom = true;
        return NULL;
    }
    memcpy(items, v->items, v->count * sizeof *items);
    qsort(items, v->count, sizeof *items, cmp);
    return items;
}

char *zm_rel_describe(const zm_rel_schema *s)
{
    sql_sb b = {0};
    bool oom = false;
    sb_add(&b, "dialect ");
    sb_add(&b, s->flavor->name);
    if (s->multi_namespace) sb_add(&b, " multi-namespace");
    sb_addc(&b, '\n');
    for (size_t i = 0; i < s->namespaces.count; i++) {
        sb_add(&b, "namespace ");
        quoted(&b, s->namespaces.items[i]);
        sb_addc(&b, '\n');
    }
    void **xs = sorted(&s->extensions, cmp_extension, &oom);
    for (size_t i = 0; xs && i < s->extensions.count; i++) {
        const zm_rel_extension *x = xs[i];
        sb_add(&b, "extension ");
        quoted(&b, x->name);
        if (x->namespace_) {
            sb_add(&b, " schema ");
            quoted(&b, x->namespace_);
        }
        sb_addc(&b, '\n');
    }
    free(xs);
    void **es = sorted(&s->enums, cmp_enum, &oom);
    for (size_t i = 0; es && i < s->enums.count; i++) {
        const zm_rel_enum *e = es[i];
        sb_add(&b, "enum ");
        object(&b, e->namespace_, e->name);
        sb_add(&b, " (");
        for (size_t k = 0; k < e->values.count; k++) {
            if (k) sb_add(&b, ", ");
            sql_quote_literal(&b, &sql_describe_quoting, e->values.items[k]);
        }
        sb_add(&b, ")\n");
    }
    free(es);
    void **ts = sorted(&s->tables, cmp_table, &oom);
    for (size_t i = 0; ts && i < s->tables.count; i++) {
        const zm_rel_table *t = ts[i];
        sb_add(&b, "table ");
        object(&b, t->namespace_, t->name);
        sb_addc(&b, '\n');
        for (size_t k = 0; k < t->columns.count; k++) describe_column(&b, s, t->columns.items[k]);
        if (t->pk) describe_index(&b, s, t, t->pk);
        void **is = sorted(&t->indexes, cmp_index, &oom);
        for (size_t k = 0; is && k < t->indexes.count; k++) describe_index(&b, s, t, is[k]);
        free(is);
        void **fs = sorted(&t->fks, cmp_fk, &oom);
        for (size_t k = 0; fs && k < t->fks.count; k++) describe_fk(&b, fs[k]);
        free(fs);
    }
    free(ts);
    if (oom || b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
