/*
** diff.c — the difference of two relational schemas (zmc/diff.h): which
** objects were added, dropped or changed, the steps Prisma Migrate would
** take for them, and the warnings for steps that may lose data or fail on
** existing rows. The SQL of each step is the dialect's (diff_postgresql.c,
** diff_sqlite.c); the script layout is written here.
**
** Objects are matched by name: tables by (namespace, name), columns,
** indexes and foreign keys by name within their table, enums by name. An
** index or foreign key that only changed its name is renamed rather than
** dropped and created again. On SQLite anything beyond adding a column
** redefines the table (new table, copy, drop, rename), as Prisma does.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- comparing objects ----------------------------------------------------------- */

/* The integer type under a PostgreSQL serial type: autoincrement is
   compared on its own. */
const char *sql_base_type(const char *t)
{
    if (strcmp(t, "SERIAL") == 0) return "INTEGER";
    if (strcmp(t, "BIGSERIAL") == 0) return "BIGINT";
    if (strcmp(t, "SMALLSERIAL") == 0) return "SMALLINT";
    return t;
}

/* Types compare without case (PostgreSQL folds unquoted type names:
   Unsupported("xml") is XML), except quoted ones (enums); then as the
   flavour says (MySQL: DATETIME is DATETIME(0)). */
static bool same_type(const sql_flavor *f, const zm_rel_column *a, const zm_rel_column *b)
{
    const char *x = sql_base_type(a->type), *y = sql_base_type(b->type);
    if (a->list != b->list) return false;
    if (x[0] == '"' || y[0] == '"' ? strcmp(x, y) == 0 : strcasecmp(x, y) == 0) return true;
    return f->same_type && f->same_type(x, y);
}

/* JSON defaults compare without the blanks between tokens: PostgreSQL's
   jsonb does not keep them. */
static bool same_json(const char *a, const char *b)
{
    bool in_a = false, in_b = false;
    char prev_a = 0, prev_b = 0;
    for (;;) {
        while (!in_a && (*a == ' ' || *a == '\n' || *a == '\t')) a++;
        while (!in_b && (*b == ' ' || *b == '\n' || *b == '\t')) b++;
        if (*a != *b) return false;
        if (!*a) return true;
        if (*a == '"' && prev_a != '\\') in_a = !in_a;
        if (*b == '"' && prev_b != '\\') in_b = !in_b;
        prev_a = *a++;
        prev_b = *b++;
    }
}

/* dbgenerated("'v'::xml") on a column of type xml: PostgreSQL keeps 'v',
   so a database reads back the string default 'v'. */
static bool same_cast_literal(const zm_rel_column *expr, const zm_rel_column *lit)
{
    if (expr->default_kind != ZM_REL_DEFAULT_EXPRESSION || lit->default_kind != ZM_REL_DEFAULT_STRING) return false;
    size_t n = strlen(lit->default_sql);
    const char *cast = expr->default_sql + n;
    return strncmp(expr->default_sql, lit->default_sql, n) == 0 && cast[0] == ':' && cast[1] == ':' &&
           strcasecmp(cast + 2, sql_base_type(expr->type)) == 0;
}

/* A date-time literal as the lowering writes it and PostgreSQL gives it
   back: 'YYYY-MM-DD HH:MM:SS[.fff] +HH:MM' (the quotes excluded, n bytes).
   Its local time in seconds since 1970, the fraction's digits without
   trailing zeros, and the offset in minutes. */
static bool parse_datetime(const char *s, size_t n, long long *local, char frac[16], int *offset)
{
    char buf[64];
    if (n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int y, mo, d, h, mi, sec, used = 0;
    if (sscanf(buf, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6) return false;
    const char *p = buf + used;
    size_t f = 0;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9' && f < 15) frac[f++] = *p++;
    }
    while (f && frac[f - 1] == '0') f--;
    frac[f] = '\0';
    int oh = 0, om = 0, sign = 1;
    if (*p == ' ') p++;
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) < 1) return false;
    }
    /* days from civil (Howard Hinnant's algorithm) */
    int yy = mo <= 2 ? y - 1 : y;
    long long era = (yy >= 0 ? yy : yy - 399) / 400;
    unsigned yoe = (unsigned)(yy - era * 400), mp = (unsigned)(mo + 9) % 12;
    unsigned doy = (153 * mp + 2) / 5 + (unsigned)d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + (long long)doe - 719468;
    *local = days * 86400 + h * 3600 + mi * 60 + sec;
    *offset = sign * (oh * 60 + om);
    return true;
}

/* Date-time defaults, also in lists, compared as the column keeps them:
   TIMESTAMP (no time zone) drops the offset a literal carries, so only
   the local time counts; TIMESTAMPTZ keeps the instant, which PostgreSQL
   gives back in UTC. Everything outside the quotes must be the same. */
static bool same_datetimes(const char *a, const char *b, bool with_zone)
{
    while (*a && *b) {
        if (*a != '\'' || *b != '\'') {
            if (*a++ != *b++) return false;
            continue;
        }
        const char *ea = strchr(a + 1, '\''), *eb = strchr(b + 1, '\'');
        if (!ea || !eb) return false;
        long long la, lb;
        char fa[16], fb[16];
        int oa, ob;
        if (!parse_datetime(a + 1, (size_t)(ea - a - 1), &la, fa, &oa) ||
            !parse_datetime(b + 1, (size_t)(eb - b - 1), &lb, fb, &ob) || strcmp(fa, fb) != 0)
            return false;
        if (with_zone ? la - oa * 60LL != lb - ob * 60LL : la != lb) return false;
        a = ea + 1;
        b = eb + 1;
    }
    return *a == *b;
}

/* Numbers as decimals, without a sign + or trailing zeros after the
   point: 150.00 is 150. */
static bool same_number(const char *a, const char *b)
{
    char x[64], y[64];
    const char *in[2] = {a, b};
    char *out[2] = {x, y};
    for (int k = 0; k < 2; k++) {
        const char *p = in[k];
        if (*p == '+') p++;
        size_t n = strlen(p);
        if (n >= sizeof x || strspn(p, "-0123456789.") != n) return false;
        memcpy(out[k], p, n + 1);
        if (strchr(out[k], '.')) {
            while (n > 0 && out[k][n - 1] == '0') out[k][--n] = '\0';
            if (n > 0 && out[k][n - 1] == '.') out[k][--n] = '\0';
        }
    }
    return strcmp(x, y) == 0;
}

static bool same_default(const sql_flavor *f, const zm_rel_column *a, const zm_rel_column *b)
{
    if (str_eq(a->default_sql, b->default_sql)) return true;
    if (!a->default_sql || !b->default_sql) return false;
    if (f->same_default && f->same_default(a->default_sql, b->default_sql)) return true;
    if (a->default_kind == ZM_REL_DEFAULT_NUMBER && b->default_kind == ZM_REL_DEFAULT_NUMBER &&
        same_number(a->default_sql, b->default_sql))
        return true;
    if (same_cast_literal(a, b) || same_cast_literal(b, a)) return true;
    const char *type = sql_base_type(b->type);
    if ((a->default_kind == ZM_REL_DEFAULT_DATETIME || a->default_kind == ZM_REL_DEFAULT_LIST) &&
        a->default_kind == b->default_kind && strncasecmp(type, "TIMESTAMP", 9) == 0)
        return same_datetimes(a->default_sql, b->default_sql, strncasecmp(type, "TIMESTAMPTZ", 11) == 0);
    return (a->default_kind == ZM_REL_DEFAULT_JSON || b->default_kind == ZM_REL_DEFAULT_JSON) &&
           same_json(a->default_sql, b->default_sql);
}

static unsigned column_changes(const sql_flavor *f, const zm_rel_column *a, const zm_rel_column *b)
{
    unsigned what = 0;
    if (!same_type(f, a, b)) what |= ALTER_TYPE;
    if (a->nullable != b->nullable) what |= ALTER_NULLABLE;
    if (a->autoincrement != b->autoincrement) what |= ALTER_AUTOINCREMENT;
    /* A serial column's default is its sequence; SQLite's AUTOINCREMENT has none. */
    if (!same_default(f, a, b) && !(sql_has(f, SQL_SERIAL_DEFAULTS) && a->autoincrement && b->autoincrement))
        what |= ALTER_DEFAULT;
    return what;
}

/* Operator classes: an absent one is the default, so a default class
   written on one side only is no difference. */
static bool same_opclass(const sql_flavor *f, const zm_rel_table *t, const zm_rel_index *x, const sql_index_column *a,
                         const sql_index_column *b)
{
    if (str_eq(a->opclass, b->opclass)) return true;
    if (a->opclass && b->opclass) return false;
    /* a database tells which class is its default for the column (BRIN's
       int4_minmax_ops, ...); a schema may name it or not */
    const sql_index_column *unnamed = a->opclass ? b : a, *named = a->opclass ? a : b;
    if (unnamed->default_opclass) return strcmp(unnamed->default_opclass, named->opclass) == 0;
    const zm_rel_column *c = NULL;
    for (size_t i = 0; t && i < t->columns.count && !c; i++)
        if (strcmp(((const zm_rel_column *)t->columns.items[i])->name, a->name) == 0) c = t->columns.items[i];
    if (!c) return false;
    char type[256];
    snprintf(type, sizeof type, "%s%s", c->type, c->list ? "[]" : "");
    return f->default_opclass && f->default_opclass(x->method, type, a->opclass ? a->opclass : b->opclass);
}

/* Same key columns, in the same order, with the same options. `t` is the
   table of `b`, for operator classes. */
static bool same_columns(const sql_flavor *f, const zm_rel_index *a, const zm_rel_index *b, const zm_rel_table *t)
{
    if (a->ncols != b->ncols) return false;
    for (size_t i = 0; i < a->ncols; i++) {
        const sql_index_column *x = &a->cols[i], *y = &b->cols[i];
        /* ASC is the default order: a database does not tell them apart */
        zm_rel_sort xs = x->sort == ZM_REL_SORT_ASC ? ZM_REL_SORT_DEFAULT : x->sort;
        zm_rel_sort ys = y->sort == ZM_REL_SORT_ASC ? ZM_REL_SORT_DEFAULT : y->sort;
        if (strcmp(x->name, y->name) != 0 || xs != ys || x->length != y->length || !same_opclass(f, t, b, x, y))
            return false;
    }
    return true;
}

/* Same index but for its name. */
static bool same_index(const sql_flavor *f, const zm_rel_index *a, const zm_rel_index *b, const zm_rel_table *t)
{
    return a->kind == b->kind && str_eq(a->method, b->method) && same_columns(f, a, b, t);
}

static bool same_fk(const zm_rel_fk *a, const zm_rel_fk *b)
{
    if (a->ncols != b->ncols || strcmp(a->ref_table, b->ref_table) != 0 || !str_eq(a->ref_namespace, b->ref_namespace) ||
        a->on_delete != b->on_delete || a->on_update != b->on_update)
        return false;
    for (size_t i = 0; i < a->ncols; i++)
        if (strcmp(a->cols[i], b->cols[i]) != 0 || strcmp(a->ref_cols[i], b->ref_cols[i]) != 0) return false;
    return true;
}

static const zm_rel_column *find_column(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; i < t->columns.count; i++) {
        const zm_rel_column *c = t->columns.items[i];
        if (strcmp(c->name, name) == 0) return c;
    }
    return NULL;
}

static const zm_rel_index *find_index(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; i < t->indexes.count; i++) {
        const zm_rel_index *x = t->indexes.items[i];
        if (strcmp(x->name, name) == 0) return x;
    }
    return NULL;
}

static const zm_rel_fk *find_fk(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; i < t->fks.count; i++) {
        const zm_rel_fk *k = t->fks.items[i];
        if (strcmp(k->name, name) == 0) return k;
    }
    return NULL;
}

/* The foreign key of t named as k is, preferring one that is the same as
   k: two relations over the same columns give two keys of one name (SQLite
   takes that), which must not be told apart by name alone. */
static const zm_rel_fk *find_fk_like(const zm_rel_table *t, const zm_rel_fk *k)
{
    const zm_rel_fk *named = NULL;
    for (size_t i = 0; i < t->fks.count; i++) {
        const zm_rel_fk *x = t->fks.items[i];
        if (strcmp(x->name, k->name) != 0) continue;
        if (same_fk(x, k)) return x;
        if (!named) named = x;
    }
    return named;
}

static int table_key_cmp(const zm_rel_table *x, const zm_rel_table *y)
{
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return strcmp(x->namespace_ ? x->namespace_ : "", y->namespace_ ? y->namespace_ : "");
}

static int by_table_key(const void *a, const void *b)
{
    return table_key_cmp(*(const zm_rel_table *const *)a, *(const zm_rel_table *const *)b);
}

/* The table of `s` named as `like` (and in its namespace). The two sides
   of the diff are searched through their sorted index (hundreds of tables
   looked up from hundreds), any other schema one by one. */
static const zm_rel_table *find_table(const zm_rel_diff *d, const zm_rel_schema *s, const zm_rel_table *like)
{
    const zm_rel_table **sorted = s == d->from ? d->from_sorted : s == d->to ? d->to_sorted : NULL;
    if (sorted) {
        size_t lo = 0, hi = s->tables.count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = table_key_cmp(sorted[mid], like);
            if (c == 0) return sorted[mid];
            if (c < 0) lo = mid + 1;
            else hi = mid;
        }
        return NULL;
    }
    for (size_t i = 0; i < s->tables.count; i++) {
        const zm_rel_table *t = s->tables.items[i];
        if (strcmp(t->name, like->name) == 0 && str_eq(t->namespace_, like->namespace_)) return t;
    }
    return NULL;
}

static const zm_rel_table **sorted_tables(zm_rel_diff *d, const zm_rel_schema *s)
{
    const zm_rel_table **v = sql_alloc(&d->arena, (s->tables.count + 1) * sizeof *v);
    for (size_t i = 0; i < s->tables.count; i++) v[i] = s->tables.items[i];
    if (s->tables.count > 1) qsort(v, s->tables.count, sizeof *v, by_table_key);
    return v;
}

static const zm_rel_enum *find_enum(const zm_rel_schema *s, const zm_rel_enum *like)
{
    for (size_t i = 0; i < s->enums.count; i++) {
        const zm_rel_enum *e = s->enums.items[i];
        if (strcmp(e->name, like->name) == 0 && str_eq(e->namespace_, like->namespace_)) return e;
    }
    return NULL;
}

static bool pk_changed(const sql_flavor *f, const zm_rel_table *a, const zm_rel_table *b)
{
    if (!a->pk || !b->pk) return a->pk != b->pk;
    return !same_columns(f, a->pk, b->pk, b);
}

/* ---- building the diff --------------------------------------------------------------- */

static diff_step *add_step(zm_rel_diff *d, diff_step_kind kind)
{
    diff_step *st = sql_alloc(&d->arena, sizeof *st);
    st->kind = kind;
    sql_vec_push(&d->arena, &d->steps[kind], st);
    return st;
}

static void add_change(zm_rel_diff *d, diff_step *st, diff_change_kind kind, const zm_rel_column *from,
                       const zm_rel_column *to, unsigned what)
{
    diff_change *c = sql_alloc(&d->arena, sizeof *c);
    *c = (diff_change){kind, from, to, what};
    sql_vec_push(&d->arena, &st->changes, c);
}

static void warn(zm_rel_diff *d, zm_rel_warning_kind kind, const zm_rel_table *t, const char *column,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void warn(zm_rel_diff *d, zm_rel_warning_kind kind, const zm_rel_table *t, const char *column,
                 const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diff_warning *w = sql_alloc(&d->arena, sizeof *w);
    *w = (diff_warning){kind, t->name, t->namespace_, column, sql_strdup(&d->arena, buf)};
    sql_vec_push(&d->arena, &d->warnings, w);
}

static int by_name(const void *a, const void *b)
{
    const zm_rel_column *x = *(const zm_rel_column *const *)a, *y = *(const zm_rel_column *const *)b;
    return strcmp(x->name, y->name);
}

/* The columns of `t` in name order (Prisma walks columns by name). */
static const zm_rel_column **sorted_columns(zm_rel_diff *d, const zm_rel_table *t)
{
    const zm_rel_column **v = sql_alloc(&d->arena, (t->columns.count + 1) * sizeof *v);
    for (size_t i = 0; i < t->columns.count; i++) v[i] = t->columns.items[i];
    qsort(v, t->columns.count, sizeof *v, by_name);
    return v;
}

static const char *column_list_text(zm_rel_diff *d, const zm_rel_index *x)
{
    sql_sb b = {0};
    for (size_t i = 0; i < x->ncols; i++) {
        if (i) sb_addc(&b, ',');
        sb_add(&b, x->cols[i].name);
    }
    return sb_keep(&d->arena, &b);
}

/* Does the table need redefining (SQL_REDEFINE_TABLES), or do ADD COLUMNs do? */
static bool needs_redefine(const sql_flavor *f, const zm_rel_table *a, const zm_rel_table *b)
{
    if (pk_changed(f, a, b)) return true;
    for (size_t i = 0; i < a->columns.count; i++) {
        const zm_rel_column *c = a->columns.items[i], *n = find_column(b, c->name);
        if (!n || column_changes(f, c, n)) return true;
    }
    for (size_t i = 0; i < b->columns.count; i++) {
        const zm_rel_column *c = b->columns.items[i];
        if (find_column(a, c->name)) continue;
        /* Prisma adds only nullable columns in place (SQLite's ADD COLUMN
           takes no NOT NULL without a default, nor a non-constant default). */
        if (!c->nullable) return true;
        if (c->default_kind == ZM_REL_DEFAULT_NOW || c->default_kind == ZM_REL_DEFAULT_EXPRESSION) return true;
    }
    if (a->fks.count != b->fks.count) return true;
    for (size_t i = 0; i < a->fks.count; i++) {
        const zm_rel_fk *k = a->fks.items[i], *n = find_fk_like(b, k);
        if (!n || !same_fk(k, n)) return true;
    }
    return false;
}

/* The flavour's cast of a column's values to another type; without a
   rule, any type change is a cast that may fail. */
static sql_cast cast_of(const sql_flavor *f, const zm_rel_column *a, const zm_rel_column *b)
{
    return f->cast ? f->cast(a, b) : SQL_CAST_RISKY;
}

static void diff_table_warnings_sqlite(zm_rel_diff *d, const zm_rel_table *a, const zm_rel_table *b)
{
    if (pk_changed(d->to->flavor, a, b) && a->pk && b->pk)
        warn(d, ZM_REL_WARN_CHANGE_PRIMARY_KEY, b, NULL,
             "The primary key for the `%s` table will be changed. If it partially fails, the table could be left "
             "without primary key constraint.",
             b->name);
    const zm_rel_column **cols = sorted_columns(d, a);
    for (size_t i = 0; i < a->columns.count; i++)
        if (!find_column(b, cols[i]->name))
            warn(d, ZM_REL_WARN_DROP_COLUMN, b, cols[i]->name,
                 "You are about to drop the column `%s` on the `%s` table. All the data in the column will be lost.",
                 cols[i]->name, b->name);
    for (size_t i = 0; i < a->columns.count; i++) {
        const zm_rel_column *c = cols[i], *n = find_column(b, c->name);
        if (!n) continue;
        if (!same_type(d->to->flavor, c, n))
            warn(d, ZM_REL_WARN_CAST_COLUMN, b, c->name,
                 "You are about to alter the column `%s` on the `%s` table. The data in that column could be lost. "
                 "The data in that column will be cast from `%s` to `%s`.",
                 c->name, b->name, d->to->flavor->type_display(&d->arena, c->type),
                 d->to->flavor->type_display(&d->arena, n->type));
        if (c->nullable && !n->nullable && !n->default_sql)
            warn(d, ZM_REL_WARN_MAKE_REQUIRED, b, c->name,
                 "Made the column `%s` on table `%s` required. This step will fail if there are existing NULL values "
                 "in that column.",
                 c->name, b->name);
    }
}

static void added_required_warnings(zm_rel_diff *d, const zm_rel_table *a, const zm_rel_table *b)
{
    const zm_rel_column **cols = sorted_columns(d, b);
    for (size_t i = 0; i < b->columns.count; i++) {
        const zm_rel_column *c = cols[i];
        if (find_column(a, c->name) || c->nullable || c->default_sql || c->autoincrement) continue;
        warn(d, ZM_REL_WARN_ADD_REQUIRED, b, c->name,
             "Added the required column `%s` to the `%s` table without a default value. This is not possible if the "
             "table is not empty.",
             c->name, b->name);
    }
}

/* AlterTable changes of one PostgreSQL table, in Prisma's clause order. */
static void diff_table_pg(zm_rel_diff *d, const zm_rel_table *a, const zm_rel_table *b)
{
    diff_step *st = NULL;
#define STEP() (st ? st : (st = add_step(d, ST_ALTER_TABLE), st->from_table = a, st->to_table = b, st))
    bool pk = pk_changed(d->to->flavor, a, b);
    if (pk && a->pk) add_change(d, STEP(), CH_DROP_PK, NULL, NULL, 0);
    if (pk && a->pk && b->pk)
        warn(d, ZM_REL_WARN_CHANGE_PRIMARY_KEY, b, NULL,
             "The primary key for the `%s` table will be changed. If it partially fails, the table could be left "
             "without primary key constraint.",
             b->name);
    const zm_rel_column **from_cols = sorted_columns(d, a), **to_cols = sorted_columns(d, b);
    for (size_t i = 0; i < a->columns.count; i++)
        if (!find_column(b, from_cols[i]->name)) {
            add_change(d, STEP(), CH_DROP_COLUMN, from_cols[i], NULL, 0);
            warn(d, ZM_REL_WARN_DROP_COLUMN, b, from_cols[i]->name,
                 "You are about to drop the column `%s` on the `%s` table. All the data in the column will be lost.",
                 from_cols[i]->name, b->name);
        }
    for (size_t i = 0; i < b->columns.count; i++)
        if (!find_column(a, to_cols[i]->name)) add_change(d, STEP(), CH_ADD_COLUMN, NULL, to_cols[i], 0);
    added_required_warnings(d, a, b);
    for (size_t i = 0; i < a->columns.count; i++) {
        const zm_rel_column *c = from_cols[i], *n = find_column(b, c->name);
        unsigned what = n ? column_changes(d->to->flavor, c, n) : 0;
        if (!what) continue;
        sql_cast cast = (what & ALTER_TYPE) ? cast_of(d->to->flavor, c, n) : SQL_CAST_SAFE;
        if (cast == SQL_CAST_NONE) {
            add_change(d, STEP(), CH_RECREATE_COLUMN, c, n, what);
            if (!n->nullable && !n->default_sql)
                warn(d, ZM_REL_WARN_RECREATE_REQUIRED, b, c->name,
                     "Changed the type of `%s` on the `%s` table. No cast exists, the column would be dropped and "
                     "recreated, which cannot be done if there is data, since the column is required.",
                     c->name, b->name);
            else
                warn(d, ZM_REL_WARN_RECREATE_COLUMN, b, c->name,
                     "The `%s` column on the `%s` table would be dropped and recreated. This will lead to data loss.",
                     c->name, b->name);
            continue;
        }
        add_change(d, STEP(), CH_ALTER_COLUMN, c, n, what);
        const char *removed = cast == SQL_CAST_RISKY && d->to->flavor->removed_values
                                  ? d->to->flavor->removed_values(&d->arena, c, n)
                                  : NULL;
        if (removed)    /* an enum that is the column's type: Prisma names it table_column */
            warn(d, ZM_REL_WARN_REMOVE_ENUM_VALUES, b, c->name,
                 "The values [%s] on the enum `%s_%s` will be removed. If these variants are still used in the "
                 "database, this will fail.",
                 removed, b->name, c->name);
        else if (cast == SQL_CAST_RISKY)
            warn(d, ZM_REL_WARN_CAST_COLUMN, b, c->name,
                 "You are about to alter the column `%s` on the `%s` table. The data in that column could be lost. "
                 "The data in that column will be cast from `%s` to `%s`.",
                 c->name, b->name, d->to->flavor->type_display(&d->arena, c->type),
                 d->to->flavor->type_display(&d->arena, n->type));
        if ((what & ALTER_NULLABLE) && !n->nullable)
            warn(d, ZM_REL_WARN_MAKE_REQUIRED, b, c->name,
                 "Made the column `%s` on table `%s` required. This step will fail if there are existing NULL values "
                 "in that column.",
                 c->name, b->name);
    }
    if (pk && b->pk) add_change(d, STEP(), CH_ADD_PK, NULL, NULL, 0);
#undef STEP
}

/* Does index x of table a cover a column PostgreSQL drops and recreates
   (no cast to its new type)? DROP COLUMN takes the index with it, so it
   must be created again, not kept or renamed. */
static bool index_recreated(const sql_flavor *f, const zm_rel_table *a, const zm_rel_table *b, const zm_rel_index *x)
{
    if (!f->cast) return false;
    for (size_t i = 0; i < x->ncols; i++) {
        const zm_rel_column *c = find_column(a, x->cols[i].name), *n = find_column(b, x->cols[i].name);
        if (c && n && !same_type(f, c, n) && f->cast(c, n) == SQL_CAST_NONE) return true;
    }
    return false;
}

/* Does the index cover a column added without a default and nullable? Its
   values are all NULL, which a unique index takes any number of. */
static bool has_new_nullable_column(const zm_rel_table *a, const zm_rel_table *b, const zm_rel_index *x)
{
    for (size_t i = 0; i < x->ncols; i++) {
        const zm_rel_column *c = find_column(b, x->cols[i].name);
        if (c && !find_column(a, c->name) && c->nullable && !c->default_sql) return true;
    }
    return false;
}

/* Indexes of a table kept (on both sides). */
static void diff_indexes(zm_rel_diff *d, const zm_rel_table *a, const zm_rel_table *b, bool redefined)
{
    const sql_flavor *flavor = d->to->flavor;
    for (size_t i = 0; i < a->indexes.count; i++) {
        const zm_rel_index *x = a->indexes.items[i], *y = find_index(b, x->name);
        bool recreated = index_recreated(flavor, a, b, x);
        if (y && same_index(flavor, x, y, b) && !recreated) continue;
        if (!y && !recreated) {   /* renamed? */
            bool renamed = false;
            for (size_t k = 0; k < b->indexes.count && !renamed; k++) {
                const zm_rel_index *z = b->indexes.items[k];
                renamed = !find_index(a, z->name) && same_index(flavor, x, z, b);
            }
            if (renamed) continue;
        }
        if (redefined) continue;
        diff_step *st = add_step(d, ST_DROP_INDEX);
        st->from_table = a;
        st->to_table = b;
        st->from_index = x;
    }
    for (size_t i = 0; i < b->indexes.count; i++) {
        const zm_rel_index *y = b->indexes.items[i], *x = find_index(a, y->name);
        if (x && same_index(flavor, x, y, b) && !index_recreated(flavor, a, b, x)) continue;
        const zm_rel_index *old = NULL;
        for (size_t k = 0; !x && k < a->indexes.count && !old; k++) {
            const zm_rel_index *z = a->indexes.items[k];
            if (!find_index(b, z->name) && same_index(flavor, z, y, b) && !index_recreated(flavor, a, b, z)) old = z;
        }
        if (y->kind == ZM_REL_UNIQUE && !old && !has_new_nullable_column(a, b, y))
            warn(d, ZM_REL_WARN_ADD_UNIQUE, b, NULL,
                 "A unique constraint covering the columns `[%s]` on the table `%s` will be added. If there are "
                 "existing duplicate values, this will fail.",
                 column_list_text(d, y), b->name);
        if (redefined) continue;
        diff_step *st;
        if (old) {
            st = add_step(d, sql_has(flavor, SQL_REDEFINE_TABLES) ? ST_REDEFINE_INDEX : ST_RENAME_INDEX);
            st->from_index = old;
        } else {
            st = add_step(d, ST_CREATE_INDEX);
        }
        st->from_table = a;
        st->to_table = b;
        st->to_index = y;
    }
}

/* Is one of the key columns of foreign key `k` (of table `a`) or of the
   columns it references changing type? Then PostgreSQL needs the key
   dropped and added again. */
static bool fk_columns_retyped(const zm_rel_diff *d, const zm_rel_table *a, const zm_rel_table *b, const zm_rel_fk *k)
{
    for (size_t i = 0; i < k->ncols; i++) {
        const zm_rel_column *x = find_column(a, k->cols[i]), *y = find_column(b, k->cols[i]);
        if (x && y && !same_type(d->to->flavor, x, y)) return true;
    }
    zm_rel_table like = {.name = k->ref_table, .namespace_ = k->ref_namespace};
    const zm_rel_table *ra = find_table(d, d->from, &like), *rb = find_table(d, d->to, &like);
    if (!ra || !rb) return false;
    for (size_t i = 0; i < k->ncols; i++) {
        const zm_rel_column *x = find_column(ra, k->ref_cols[i]), *y = find_column(rb, k->ref_cols[i]);
        if (x && y && !same_type(d->to->flavor, x, y)) return true;
    }
    return false;
}

static void diff_fks_pg(zm_rel_diff *d, const zm_rel_table *a, const zm_rel_table *b)
{
    for (size_t i = 0; i < a->fks.count; i++) {
        const zm_rel_fk *x = a->fks.items[i], *y = find_fk_like(b, x);
        if (y && same_fk(x, y) && !fk_columns_retyped(d, a, b, x)) continue;
        bool renamed = false;
        for (size_t k = 0; !y && k < b->fks.count && !renamed; k++) {
            const zm_rel_fk *z = b->fks.items[k];
            renamed = !find_fk(a, z->name) && same_fk(x, z) && !fk_columns_retyped(d, a, b, x);
        }
        if (renamed) continue;
        diff_step *st = add_step(d, ST_DROP_FOREIGN_KEY);
        st->from_table = a;
        st->from_fk = x;
    }
    for (size_t i = 0; i < b->fks.count; i++) {
        const zm_rel_fk *y = b->fks.items[i], *x = find_fk_like(a, y);
        if (x && same_fk(x, y) && !fk_columns_retyped(d, a, b, x)) continue;
        const zm_rel_fk *old = NULL;
        for (size_t k = 0; !x && k < a->fks.count && !old; k++) {
            const zm_rel_fk *z = a->fks.items[k];
            if (!find_fk(b, z->name) && same_fk(z, y) && !fk_columns_retyped(d, a, b, z)) old = z;
        }
        diff_step *st = add_step(d, old ? ST_RENAME_FOREIGN_KEY : ST_ADD_FOREIGN_KEY);
        st->from_table = a;
        st->to_table = b;
        st->from_fk = old;
        st->to_fk = y;
    }
}

static void diff_enums(zm_rel_diff *d)
{
    for (size_t i = 0; i < d->to->enums.count; i++) {
        const zm_rel_enum *e = d->to->enums.items[i], *old = find_enum(d->from, e);
        if (!old) {
            add_step(d, ST_CREATE_ENUM)->to_enum = e;
            continue;
        }
        bool same = old->values.count == e->values.count;
        for (size_t k = 0; same && k < e->values.count; k++) same = strcmp(old->values.items[k], e->values.items[k]) == 0;
        if (same) continue;
        diff_step *st = add_step(d, ST_ALTER_ENUM);
        st->from_enum = old;
        st->to_enum = e;
        sql_sb removed = {0};
        for (size_t k = 0; k < old->values.count; k++) {
            bool kept = false;
            for (size_t j = 0; j < e->values.count && !kept; j++) kept = strcmp(old->values.items[k], e->values.items[j]) == 0;
            if (kept) continue;
            if (removed.len) sb_addc(&removed, ',');
            sb_add(&removed, old->values.items[k]);
        }
        if (removed.len) {
            zm_rel_table t = {.name = e->name, .namespace_ = e->namespace_};
            warn(d, ZM_REL_WARN_REMOVE_ENUM_VALUES, &t, NULL,
                 "The values [%s] on the enum `%s` will be removed. If these variants are still used in the database, "
                 "this will fail.",
                 removed.s, e->name);
        }
        free(removed.s);
    }
    for (size_t i = 0; i < d->from->enums.count; i++) {
        const zm_rel_enum *e = d->from->enums.items[i];
        if (!find_enum(d->to, e)) add_step(d, ST_DROP_ENUM)->from_enum = e;
    }
}

static void diff_schemas(zm_rel_diff *d)
{
    const zm_rel_schema *a = d->from, *b = d->to;
    const sql_flavor *flavor = b->flavor;
    if (sql_has(flavor, SQL_NAMESPACES)) {
        for (size_t i = 0; i < b->namespaces.count; i++) {
            /* Without multiSchema, objects are unqualified and live in the
               connection's schema, whatever its name: only an empty side
               needs it created. */
            if (!b->multi_namespace && a->namespaces.count) break;
            bool known = false;
            for (size_t k = 0; k < a->namespaces.count && !known; k++)
                known = strcmp(a->namespaces.items[k], b->namespaces.items[i]) == 0;
            if (!known && (b->tables.count || b->enums.count)) add_step(d, ST_CREATE_SCHEMA)->name = b->namespaces.items[i];
        }
        for (size_t i = 0; i < b->extensions.count; i++) {
            const zm_rel_extension *x = b->extensions.items[i];
            bool known = false;
            for (size_t k = 0; k < a->extensions.count && !known; k++)
                known = strcmp(((const zm_rel_extension *)a->extensions.items[k])->name, x->name) == 0;
            if (!known) add_step(d, ST_CREATE_EXTENSION)->name = (const char *)x;
        }
        diff_enums(d);
    }

    /* Tables dropped: their foreign keys go first (others may reference them). */
    for (size_t i = 0; i < a->tables.count; i++) {
        const zm_rel_table *t = a->tables.items[i];
        if (find_table(d, b, t)) continue;
        if (!sql_has(flavor, SQL_INLINE_FOREIGN_KEYS))
            for (size_t k = 0; k < t->fks.count; k++) {
                diff_step *st = add_step(d, ST_DROP_FOREIGN_KEY);
                st->from_table = t;
                st->from_fk = t->fks.items[k];
            }
        add_step(d, ST_DROP_TABLE)->from_table = t;
        warn(d, ZM_REL_WARN_DROP_TABLE, t, NULL,
             "You are about to drop the `%s` table. If the table is not empty, all the data it contains will be lost.",
             t->name);
    }
    /* Tables kept. */
    for (size_t i = 0; i < b->tables.count; i++) {
        const zm_rel_table *t = b->tables.items[i], *old = find_table(d, a, t);
        if (!old) continue;
        if (sql_has(flavor, SQL_REDEFINE_TABLES)) {
            bool redefine = needs_redefine(flavor, old, t);
            if (redefine) {
                diff_step *st = add_step(d, ST_REDEFINE_TABLES);
                st->from_table = old;
                st->to_table = t;
                diff_table_warnings_sqlite(d, old, t);
                added_required_warnings(d, old, t);
            } else {
                const zm_rel_column **cols = sorted_columns(d, t);
                diff_step *st = NULL;
                for (size_t k = 0; k < t->columns.count; k++) {
                    if (find_column(old, cols[k]->name)) continue;
                    if (!st) {
                        st = add_step(d, ST_ALTER_TABLE);
                        st->from_table = old;
                        st->to_table = t;
                    }
                    add_change(d, st, CH_ADD_COLUMN, NULL, cols[k], 0);
                }
            }
            diff_indexes(d, old, t, redefine);
        } else {
            diff_fks_pg(d, old, t);
            diff_table_pg(d, old, t);
            diff_indexes(d, old, t, false);
        }
    }
    /* Tables created, with their indexes and (PostgreSQL) foreign keys. */
    for (size_t i = 0; i < b->tables.count; i++) {
        const zm_rel_table *t = b->tables.items[i];
        if (find_table(d, a, t)) continue;
        add_step(d, ST_CREATE_TABLE)->to_table = t;
        for (size_t k = 0; !sql_has(flavor, SQL_INLINE_INDEXES) && k < t->indexes.count; k++) {
            diff_step *st = add_step(d, ST_CREATE_INDEX);
            st->to_table = t;
            st->to_index = t->indexes.items[k];
        }
        if (!sql_has(flavor, SQL_INLINE_FOREIGN_KEYS))
            for (size_t k = 0; k < t->fks.count; k++) {
                diff_step *st = add_step(d, ST_ADD_FOREIGN_KEY);
                st->to_table = t;
                st->to_fk = t->fks.items[k];
            }
    }
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct diff_rank *)a)->t, y = (uintptr_t)((const struct diff_rank *)b)->t;
    return x < y ? -1 : x > y;
}

/* The position of a step's table in the target schema (its count when the
   table is not there): a binary search of the ranks by address. */
static size_t table_rank(const zm_rel_diff *d, const diff_step *st)
{
    const zm_rel_table *t = st->to_table ? st->to_table : st->from_table;
    if (!t) return 0;
    size_t lo = 0, hi = d->to->tables.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->ranks[mid].t == t) return d->ranks[mid].pos;
        if ((uintptr_t)d->ranks[mid].t < (uintptr_t)t) lo = mid + 1;
        else hi = mid;
    }
    return d->to->tables.count;
}

typedef struct ranked_step {
    diff_step *st;
    size_t rank, seq;
} ranked_step;

static int by_rank(const void *a, const void *b)
{
    const ranked_step *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;   /* stable */
}

/* Steps of one kind in the order of their tables in the target schema. */
static void order_by_table(zm_rel_diff *d, sql_vec *v)
{
    ranked_step *r = sql_alloc(&d->arena, v->count * sizeof *r);
    for (size_t i = 0; i < v->count; i++) r[i] = (ranked_step){v->items[i], table_rank(d, v->items[i]), i};
    qsort(r, v->count, sizeof *r, by_rank);
    for (size_t i = 0; i < v->count; i++) v->items[i] = r[i].st;
}

zm_rel_schema *zm_rel_empty(const zmc_dialect *d)
{
    const sql_flavor *flavor = sql_flavor_of(d);
    if (!flavor) return NULL;
    sql_arena arena = {0};     /* oom NULL: sql_alloc aborts, as for any tiny allocation */
    zm_rel_schema *s = sql_alloc(&arena, sizeof *s);
    s->dialect = d;
    s->flavor = flavor;
    s->arena = arena;           /* the schema lives in its arena (zm_rel_free) */
    return s;
}

/* ---- rename hints -------------------------------------------------------------------- */

static const char *renamed_name(const char *name, const char *from, const char *to)
{
    return strcmp(name, from) == 0 ? to : name;
}

static zm_rel_index *renamed_index(zm_rel_diff *d, const zm_rel_index *x, const char *from, const char *to)
{
    zm_rel_index *copy = sql_alloc(&d->arena, sizeof *copy);
    *copy = *x;
    copy->cols = sql_alloc(&d->arena, (x->ncols + 1) * sizeof *copy->cols);
    for (size_t i = 0; i < x->ncols; i++) {
        copy->cols[i] = x->cols[i];
        copy->cols[i].name = renamed_name(x->cols[i].name, from, to);
    }
    return copy;
}

/* A copy of foreign key k with its own columns (own) or its referenced
   columns (!own) renamed. */
static zm_rel_fk *renamed_fk(zm_rel_diff *d, const zm_rel_fk *k, bool own, const char *from, const char *to)
{
    zm_rel_fk *copy = sql_alloc(&d->arena, sizeof *copy);
    *copy = *k;
    const char **cols = sql_alloc(&d->arena, (k->ncols + 1) * sizeof *cols);
    for (size_t i = 0; i < k->ncols; i++)
        cols[i] = renamed_name(own ? k->cols[i] : k->ref_cols[i], from, to);
    if (own) copy->cols = cols;
    else copy->ref_cols = cols;
    return copy;
}

/* The old schema as if the hinted columns had their new names already (the
   RenameColumn steps run first), so that the rest of the diff compares
   like with like. */
static void apply_renames(zm_rel_diff *d, const zm_rel_rename *renames, size_t count)
{
    zm_rel_schema *copy = sql_alloc(&d->arena, sizeof *copy);
    *copy = *d->from;
    copy->tables = (sql_vec){0};
    for (size_t i = 0; i < d->from->tables.count; i++) sql_vec_push(&d->arena, &copy->tables, d->from->tables.items[i]);
    for (size_t r = 0; r < count; r++) {
        const zm_rel_rename *h = &renames[r];
        zm_rel_table like = {.name = h->table, .namespace_ = h->namespace_};
        const zm_rel_table *old = find_table(d, copy, &like), *new = find_table(d, d->to, &like);
        if (!old || !new || !find_column(old, h->from) || find_column(old, h->to) || !find_column(new, h->to) ||
            find_column(new, h->from))
            continue;
        /* the hint's strings are the caller's: the diff keeps its own */
        const char *from = sql_strdup(&d->arena, h->from), *to = sql_strdup(&d->arena, h->to);
        zm_rel_table *t = sql_alloc(&d->arena, sizeof *t);
        *t = *old;
        t->columns = (sql_vec){0};
        for (size_t i = 0; i < old->columns.count; i++) {
            zm_rel_column *c = old->columns.items[i];
            if (strcmp(c->name, from) == 0) {
                zm_rel_column *cc = sql_alloc(&d->arena, sizeof *cc);
                *cc = *c;
                cc->name = to;
                diff_step *st = add_step(d, ST_RENAME_COLUMN);
                st->from_table = old;
                st->to_table = new;
                st->from_column = c;
                st->to_column = cc;
                c = cc;
            }
            sql_vec_push(&d->arena, &t->columns, c);
        }
        t->indexes = (sql_vec){0};
        for (size_t i = 0; i < old->indexes.count; i++)
            sql_vec_push(&d->arena, &t->indexes, renamed_index(d, old->indexes.items[i], from, to));
        if (old->pk) t->pk = renamed_index(d, old->pk, from, to);
        t->fks = (sql_vec){0};
        for (size_t i = 0; i < old->fks.count; i++)
            sql_vec_push(&d->arena, &t->fks, renamed_fk(d, old->fks.items[i], true, from, to));
        for (size_t i = 0; i < copy->tables.count; i++)
            if (copy->tables.items[i] == old) copy->tables.items[i] = t;
        /* Foreign keys elsewhere that reference the column. */
        for (size_t i = 0; i < copy->tables.count; i++) {
            zm_rel_table *u = copy->tables.items[i];
            bool refers = false;
            for (size_t k = 0; k < u->fks.count && !refers; k++) {
                const zm_rel_fk *fk = u->fks.items[k];
                refers = strcmp(fk->ref_table, t->name) == 0 && str_eq(fk->ref_namespace, t->namespace_);
            }
            if (!refers) continue;
            zm_rel_table *uc = u == t ? t : sql_alloc(&d->arena, sizeof *uc);
            if (uc != t) *uc = *u;
            sql_vec fks = {0};
            for (size_t k = 0; k < u->fks.count; k++) {
                const zm_rel_fk *fk = u->fks.items[k];
                bool here = strcmp(fk->ref_table, t->name) == 0 && str_eq(fk->ref_namespace, t->namespace_);
                sql_vec_push(&d->arena, &fks, here ? renamed_fk(d, fk, false, from, to) : (void *)fk);
            }
            uc->fks = fks;
            copy->tables.items[i] = uc;
        }
        d->renamed++;
    }
    d->from = copy;
}

zm_rel_diff *zm_rel_diff_new(const zm_rel_schema *from, const zm_rel_schema *to)
{
    return zm_rel_diff_new_with_renames(from, to, NULL, 0);
}

size_t zm_rel_diff_renamed_count(const zm_rel_diff *d) { return d->renamed; }

zm_rel_diff *zm_rel_diff_new_with_renames(const zm_rel_schema *from, const zm_rel_schema *to,
                                          const zm_rel_rename *renames, size_t count)
{
    if (!from || !to || from->flavor != to->flavor) return NULL;
    zm_rel_diff *volatile d = calloc(1, sizeof *d);
    if (!d) return NULL;
    jmp_buf oom;
    d->from = from;
    d->to = to;
    d->arena.oom = &oom;
    if (setjmp(oom)) {
        zm_rel_diff_free(d);
        return NULL;
    }
    if (count) apply_renames(d, renames, count);
    d->from_sorted = sorted_tables(d, d->from);
    d->to_sorted = sorted_tables(d, d->to);
    d->ranks = sql_alloc(&d->arena, (to->tables.count + 1) * sizeof *d->ranks);
    for (size_t i = 0; i < to->tables.count; i++) d->ranks[i] = (struct diff_rank){to->tables.items[i], i};
    if (to->tables.count > 1) qsort(d->ranks, to->tables.count, sizeof *d->ranks, by_address);
    diff_schemas(d);
    /* Prisma sorts steps of these kinds by the table they belong to, in the
       order of the target schema (created indexes and foreign keys of new
       and kept tables interleave). */
    static const diff_step_kind by_target[] = {ST_CREATE_INDEX, ST_ADD_FOREIGN_KEY, ST_ALTER_TABLE, ST_RENAME_INDEX,
                                                ST_REDEFINE_INDEX, ST_RENAME_FOREIGN_KEY};
    for (size_t i = 0; i < sizeof by_target / sizeof by_target[0]; i++) {
        sql_vec *v = &d->steps[by_target[i]];
        if (v->count > 1) order_by_table(d, v);
    }
    d->arena.oom = NULL;
    return d;
}

void zm_rel_diff_free(zm_rel_diff *d)
{
    if (!d) return;
    sql_arena_free(&d->arena);
    free(d);
}

/* ---- reading it ----------------------------------------------------------------------- */

static const char *const STEP_NAMES[ST__COUNT] = {
    "CreateSchema", "CreateExtension", "CreateEnum",   "AlterEnum",         "DropForeignKey", "DropIndex",
    "RenameColumn", "AlterTable",   "DropTable",       "DropEnum",     "CreateTable",       "RedefineTables", "CreateIndex",
    "RenameForeignKey", "AddForeignKey", "RenameIndex", "RedefineIndex",
};

static const diff_step *step_at(const zm_rel_diff *d, size_t i)
{
    for (int k = 0; k < ST__COUNT; k++) {
        if (i < d->steps[k].count) return d->steps[k].items[i];
        i -= d->steps[k].count;
    }
    return NULL;
}

size_t zm_rel_diff_step_count(const zm_rel_diff *d)
{
    size_t n = 0;
    for (int k = 0; k < ST__COUNT; k++) n += d->steps[k].count;
    return n;
}

bool zm_rel_diff_is_empty(const zm_rel_diff *d) { return zm_rel_diff_step_count(d) == 0; }

const char *zm_rel_diff_step_name(const zm_rel_diff *d, size_t i)
{
    const diff_step *st = step_at(d, i);
    return st ? STEP_NAMES[st->kind] : NULL;
}

const char *zm_rel_diff_step_table(const zm_rel_diff *d, size_t i)
{
    const diff_step *st = step_at(d, i);
    const zm_rel_table *t = st ? (st->to_table ? st->to_table : st->from_table) : NULL;
    return t ? zm_rel_table_name(t) : NULL;
}

static const diff_warning *warning_at(const zm_rel_diff *d, size_t i)
{
    return SQL_AT(d->warnings, i, const diff_warning *);
}

size_t zm_rel_diff_warning_count(const zm_rel_diff *d) { return d->warnings.count; }
zm_rel_warning_kind zm_rel_diff_warning_kind(const zm_rel_diff *d, size_t i) { return warning_at(d, i)->kind; }
const char *zm_rel_diff_warning_table(const zm_rel_diff *d, size_t i) { return warning_at(d, i)->table; }
const char *zm_rel_diff_warning_namespace(const zm_rel_diff *d, size_t i) { return warning_at(d, i)->namespace_; }
const char *zm_rel_diff_warning_column(const zm_rel_diff *d, size_t i) { return warning_at(d, i)->column; }
const char *zm_rel_diff_warning_message(const zm_rel_diff *d, size_t i) { return warning_at(d, i)->message; }

bool zm_rel_warning_is_unexecutable(zm_rel_warning_kind k)
{
    return k == ZM_REL_WARN_ADD_REQUIRED || k == ZM_REL_WARN_MAKE_REQUIRED || k == ZM_REL_WARN_RECREATE_REQUIRED;
}

/* ---- the script ----------------------------------------------------------------------- */

/* Text that names the user's objects, inside the block comment of the
   warnings: nothing in it may end the comment (a name holding star-slash
   would run the rest as SQL) or, on PostgreSQL where comments nest, open
   one (slash-star would swallow the statements after it). Both lose their
   meaning with a space between the two bytes; control bytes are shown as
   spaces, so every warning stays on its line. */
static void add_comment_text(sql_sb *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        char c = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
        sb_addc(out, c);
        if ((c == '*' && p[1] == '/') || (c == '/' && p[1] == '*')) sb_addc(out, ' ');
    }
}

int zm_rel_diff_render(const zm_rel_diff *d, bool warnings, void (*write)(void *ctx, const char *text, size_t len),
                       void *ctx)
{
    sql_sb out = {0};
    if (warnings && d->warnings.count) {
        sb_add(&out, "/*\n  Warnings:\n\n");
        for (size_t i = 0; i < d->warnings.count; i++) {
            sb_add(&out, "  - ");
            add_comment_text(&out, warning_at(d, i)->message);
            sb_addc(&out, '\n');
        }
        sb_add(&out, "\n*/\n");
    }
    bool first = true;
    for (int k = 0; k < ST__COUNT; k++) {
        const sql_vec *v = &d->steps[k];
        if (k == ST_REDEFINE_TABLES && v->count) {
            sql_step(&out, &first, STEP_NAMES[k]);
            d->to->flavor->render_redefine(d, v, &out);
            continue;
        }
        for (size_t i = 0; i < v->count; i++) {
            sql_step(&out, &first, STEP_NAMES[k]);
            d->to->flavor->render_step(d, v->items[i], &out);
        }
    }
    if (first) sb_add(&out, "-- This is an empty migration.\n");
    int rc = out.oom ? -1 : 0;
    if (rc == 0) write(ctx, out.s, out.len);
    free(out.s);
    return rc;
}

char *zm_rel_diff_summary(const zm_rel_diff *d)
{
    sql_sb b = {0};
    const sql_vec *created = &d->steps[ST_CREATE_TABLE], *dropped = &d->steps[ST_DROP_TABLE];
    if (created->count) {
        sb_add(&b, "[+] Added tables\n");
        for (size_t i = 0; i < created->count; i++) {
            sb_add(&b, "  - ");
            sb_add(&b, ((const diff_step *)created->items[i])->to_table->name);
            sb_addc(&b, '\n');
        }
    }
    if (dropped->count) {
        sb_add(&b, "[-] Removed tables\n");
        for (size_t i = 0; i < dropped->count; i++) {
            sb_add(&b, "  - ");
            sb_add(&b, ((const diff_step *)dropped->items[i])->from_table->name);
            sb_addc(&b, '\n');
        }
    }
    for (size_t i = 0; i < d->steps[ST_RENAME_COLUMN].count; i++) {
        const diff_step *st = d->steps[ST_RENAME_COLUMN].items[i];
        sb_add(&b, "[*] Renamed column `");
        sb_add(&b, st->from_column->name);
        sb_add(&b, "` to `");
        sb_add(&b, st->to_column->name);
        sb_add(&b, "` on the `");
        sb_add(&b, st->from_table->name);
        sb_add(&b, "` table\n");
    }
    const diff_step_kind changed[] = {ST_ALTER_TABLE, ST_REDEFINE_TABLES};
    for (size_t c = 0; c < 2; c++)
        for (size_t i = 0; i < d->steps[changed[c]].count; i++) {
            const diff_step *st = d->steps[changed[c]].items[i];
            const zm_rel_table *a = st->from_table, *t = st->to_table;
            sb_add(&b, "[*] Changed the `");
            sb_add(&b, t->name);
            sb_add(&b, "` table\n");
            for (size_t k = 0; k < a->columns.count; k++) {
                const zm_rel_column *col = a->columns.items[k], *n = find_column(t, col->name);
                if (!n) {
                    sb_add(&b, "  [-] Removed column `");
                    sb_add(&b, col->name);
                    sb_add(&b, "`\n");
                } else if (column_changes(d->to->flavor, col, n)) {
                    sb_add(&b, "  [*] Altered column `");
                    sb_add(&b, col->name);
                    sb_add(&b, "`\n");
                }
            }
            for (size_t k = 0; k < t->columns.count; k++) {
                const zm_rel_column *col = t->columns.items[k];
                if (find_column(a, col->name)) continue;
                sb_add(&b, "  [+] Added column `");
                sb_add(&b, col->name);
                sb_add(&b, "`\n");
            }
        }
    const struct { diff_step_kind kind; const char *text; } other[] = {
        {ST_CREATE_ENUM, "[+] Added enum `"},        {ST_DROP_ENUM, "[-] Removed enum `"},
        {ST_ALTER_ENUM, "[*] Changed the `"},        {ST_CREATE_INDEX, "[+] Added index `"},
        {ST_DROP_INDEX, "[-] Removed index `"},      {ST_ADD_FOREIGN_KEY, "[+] Added foreign key `"},
        {ST_DROP_FOREIGN_KEY, "[-] Removed foreign key `"}, {ST_RENAME_INDEX, "[*] Renamed index `"},
        {ST_REDEFINE_INDEX, "[*] Renamed index `"},  {ST_RENAME_FOREIGN_KEY, "[*] Renamed foreign key `"},
    };
    for (size_t o = 0; o < sizeof other / sizeof other[0]; o++)
        for (size_t i = 0; i < d->steps[other[o].kind].count; i++) {
            const diff_step *st = d->steps[other[o].kind].items[i];
            const char *name = st->to_enum     ? st->to_enum->name
                               : st->from_enum ? st->from_enum->name
                               : st->to_index  ? st->to_index->name
                               : st->from_index ? st->from_index->name
                               : st->to_fk     ? st->to_fk->name
                               : st->from_fk   ? st->from_fk->name
                                               : "";
            sb_add(&b, other[o].text);
            sb_add(&b, name);
            sb_add(&b, other[o].kind == ST_ALTER_ENUM ? "` enum\n" : "`\n");
        }
    if (!b.s) sb_add(&b, "");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
