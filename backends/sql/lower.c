/*
** lower.c — the model IR lowered to a relational schema (zmc/relational.h),
** the part common to every dialect.
**
** The result is what Prisma Migrate derives from the Prisma schema that
** zmc's `prisma` backend writes for the same IR, so the rules here mirror
** that printer: v2 drops @ignore fields, v3 drops @computed ones; a
** delegate sub-model's table holds its own fields plus the base's id fields
** (without their defaults) and a foreign key on them to the base's table
** (CASCADE both ways, Prisma's `delegate_aux_*` relation); an implicit
** many-to-many relation gets a join table `_AToB` after all model tables.
** Column types come from the dialect files (sqlite.c, postgresql.c, mysql.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"

typedef struct lowering {
    zm_rel_schema *s;
    sql_arena *a;
    const zm_ir *ir;
    int level;
    const sql_flavor *f;
    bool foreign_keys;          /* false with relationMode = "prisma" */
    const char *default_ns;     /* multiSchema: the namespace of unmarked models */
    sql_vec seen_m2m;           /* relations whose join table exists */
} lowering;

/* ---- fields -------------------------------------------------------------------- */

/* Is the field in the model's Prisma schema (print.c's prints_field)? */
static bool field_printed(const lowering *l, const zm_ir_field *f)
{
    if (l->level == 3 && zm_ir_field_is_computed(f)) return false;
    if (l->level == 2 && zm_ir_field_is_ignored(f)) return false;
    return !zm_ir_field_is_from_delegate(f) || zm_ir_field_is_id(f);
}

static bool calls_auth(const zm_ir_expr *e)
{
    if (!e) return false;
    if (zm_ir_expr_kind_of(e) == ZM_IR_EXPR_CALL && strcmp(zm_ir_expr_text(e), "auth") == 0) return true;
    if (calls_auth(zm_ir_expr_operand(e, 0)) || calls_auth(zm_ir_expr_operand(e, 1))) return true;
    for (size_t i = 0; i < zm_ir_expr_arg_count(e); i++)
        if (calls_auth(zm_ir_expr_arg_at(e, i))) return true;
    return false;
}

/* The @default the Prisma schema keeps for the field, or NULL. */
static const zm_ir_expr *field_default(const zm_ir_field *f)
{
    const zm_ir_expr *e = zm_ir_field_default(f);
    if (!e || calls_auth(e)) return NULL;
    if (zm_ir_field_is_from_delegate(f) && zm_ir_field_is_id(f)) return NULL;
    return e;
}

static bool is_call(const zm_ir_expr *e, const char *fn)
{
    return e && zm_ir_expr_kind_of(e) == ZM_IR_EXPR_CALL && strcmp(zm_ir_expr_text(e), fn) == 0;
}

static const zm_rel_enum *enum_of(const lowering *l, const zm_ir_enum *e)
{
    for (size_t i = 0; i < l->s->enums.count; i++) {
        const zm_rel_enum *x = l->s->enums.items[i];
        if (x->ir == e) return x;
    }
    return NULL;
}

/* The @@schema of a model or enum: the IR's, else the attribute's (v2
   leaves it in the attribute list). */
static const char *schema_attr(const char *schema, size_t n, const zm_ir_attr *(*at)(const void *, size_t),
                               const void *owner)
{
    for (size_t i = 0; !schema && i < n; i++) {
        const zm_ir_attr *a = at(owner, i);
        const zm_ir_expr *x = zm_ir_attr_arg_at(a, 0);
        if (strcmp(zm_ir_attr_name(a), "@@schema") == 0 && x && zm_ir_expr_kind_of(x) == ZM_IR_EXPR_STRING)
            schema = zm_ir_expr_text(x);
    }
    return schema;
}

static const zm_ir_attr *model_attr_at(const void *m, size_t i) { return zm_ir_model_attr_at(m, i); }
static const zm_ir_attr *enum_attr_at(const void *e, size_t i) { return zm_ir_enum_attr_at(e, i); }

static const char *model_schema(const zm_ir_model *m)
{
    return schema_attr(zm_ir_model_schema(m), zm_ir_model_attr_count(m), model_attr_at, m);
}

static const char *enum_schema(const zm_ir_enum *e)
{
    return schema_attr(zm_ir_enum_schema(e), zm_ir_enum_attr_count(e), enum_attr_at, e);
}

static const char *namespace_of(const lowering *l, const char *schema)
{
    if (!l->s->multi_namespace) return NULL;
    return schema ? schema : l->default_ns;
}

/* A table, column or enum name as the database keeps it: PostgreSQL cuts
   a name to 63 bytes (on a character boundary) without a word, so the
   schema's long name is written cut, and a catalog read back is no
   difference from the model. (zmc check refuses two names the same once
   cut.) */
static const char *db_ident(lowering *l, const char *name)
{
    if (!sql_has(l->f, SQL_NAMES_CUT) || !name) return name;
    size_t n = sql_utf8_floor(name, l->f->name_limit);
    return name[n] ? sql_strndup(l->a, name, n) : name;
}

/* ---- defaults ------------------------------------------------------------------- */

/* "2000-01-01T00:00:00Z" as chrono prints it: "2000-01-01 00:00:00 +00:00". */
static const char *datetime_text(lowering *l, const char *v)
{
    int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) return v;
    const char *p = v + n;
    char frac[16] = "";
    if (*p == 'T' || *p == ' ') {
        int k = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &k) != 3) return v;
        p += 1 + k;
        if (*p == '.') {
            size_t f = strspn(p + 1, "0123456789");
            snprintf(frac, sizeof frac, ".%.*s", (int)(f > 9 ? 9 : f), p + 1);
            p += 1 + f;
        }
    }
    const char *zone = (*p == 'Z' || *p == '\0') ? "+00:00" : p;
    char buf[96];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d%s %s", y, mo, d, h, mi, s, frac, zone);
    return sql_strdup(l->a, buf);
}

/* A Bytes default (base64, as Prisma writes it) as the database's
   literal: PostgreSQL's bytea hex form '\\x68656c6c6f', SQLite's hex
   string '68656c6c6f' (Prisma's renderers). False for text that is not
   base64. */
static bool bytes_literal(const sql_flavor *f, const char *b64, sql_sb *sql)
{
    static const char digits[] = "0123456789abcdef";
    sql_sb hex = {0};
    unsigned acc = 0;
    int bits = 0;
    size_t pad = 0;
    for (const char *p = b64; *p; p++) {
        const char *k = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", *p);
        if (*p == '=') {
            pad++;
            continue;
        }
        if (!k || !*p || pad) {
            free(hex.s);
            return false;
        }
        acc = (acc << 6) | (unsigned)(k - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned byte = (acc >> bits) & 0xFF;
            sb_addc(&hex, digits[byte >> 4]);
            sb_addc(&hex, digits[byte & 15]);
        }
    }
    sb_addc(sql, '\'');
    sb_add(sql, f->bytes_prefix);
    if (hex.s) sb_add(sql, hex.s);
    sb_addc(sql, '\'');
    free(hex.s);
    return true;
}

/* A Decimal written as a string, as Prisma's BigDecimal prints it: no
   sign +, no leading zeros, no dangling point ("3." is 3); the digits of
   the fraction kept (1.50). */
static const char *decimal_text(lowering *l, const char *v)
{
    sql_sb b = {0};
    if (*v == '-') sb_addc(&b, *v++);
    else if (*v == '+') v++;
    while (v[0] == '0' && v[1] >= '0' && v[1] <= '9') v++;
    if (*v == '.') sb_addc(&b, '0');
    for (; *v; v++)
        if (!(*v == '.' && v[1] == '\0')) sb_addc(&b, *v);
    return sb_keep(l->a, &b);
}

/* The enum value's database name for a default written as a reference. */
static const char *enum_value_db(const zm_ir_field *f, const char *name)
{
    const zm_ir_enum *e = zm_ir_field_enum(f);
    for (size_t i = 0; e && i < zm_ir_enum_value_count(e); i++) {
        const zm_ir_enum_value *v = zm_ir_enum_value_at(e, i);
        if (strcmp(zm_ir_enum_value_name(v), name) == 0) return zm_ir_enum_value_db_name(v);
    }
    return name;
}

/* One scalar value of a default: its kind, value and SQL. False if the
   database gets no default for it. */
static bool scalar_default(lowering *l, const zm_ir_field *f, const zm_ir_expr *e, zm_rel_default_kind *kind,
                           const char **value, sql_sb *sql)
{
    zm_ir_scalar sc = zm_ir_field_scalar(f);
    switch (zm_ir_expr_kind_of(e)) {
    case ZM_IR_EXPR_STRING:
        *value = zm_ir_expr_text(e);
        if (sc == ZM_IR_DATETIME) {
            *kind = ZM_REL_DEFAULT_DATETIME;
            *value = datetime_text(l, *value);
        } else if (sc == ZM_IR_JSON || zm_ir_field_kind_of(f) == ZM_IR_FIELD_COMPOSITE) {
            *kind = ZM_REL_DEFAULT_JSON;   /* quoted on SQLite too, unlike Prisma (prisma/orm#26571) */
        } else if (sc == ZM_IR_DECIMAL) {
            /* "1.50" on a Decimal: the number, as Prisma renders it (exact) */
            *kind = ZM_REL_DEFAULT_NUMBER;
            *value = decimal_text(l, *value);
            sb_add(sql, *value);
            return true;
        } else if (sc == ZM_IR_BYTES) {
            *kind = ZM_REL_DEFAULT_BYTES;
            return !sql_has(l->f, SQL_NO_BYTES_DEFAULTS) && bytes_literal(l->f, *value, sql);
        } else {
            *kind = ZM_REL_DEFAULT_STRING;
        }
        sql_quote_literal(sql, l->f, *value);
        return true;
    case ZM_IR_EXPR_NUMBER:
        *kind = ZM_REL_DEFAULT_NUMBER;
        *value = zm_ir_expr_text(e);
        sb_add(sql, *value);
        return true;
    case ZM_IR_EXPR_BOOL:
        *kind = ZM_REL_DEFAULT_BOOL;
        *value = zm_ir_expr_bool(e) ? "true" : "false";
        sb_add(sql, *value);
        return true;
    case ZM_IR_EXPR_REF:
        if (zm_ir_field_kind_of(f) != ZM_IR_FIELD_ENUM) return false;
        *kind = ZM_REL_DEFAULT_ENUM;
        *value = enum_value_db(f, zm_ir_expr_text(e));
        sql_quote_literal(sql, l->f, *value);
        return true;
    default: return false;
    }
}

static void lower_default(lowering *l, const zm_ir_field *f, zm_rel_column *c, const char *elem_type)
{
    const zm_ir_expr *e = field_default(f);
    if (!e) return;
    sql_sb sql = {0};
    const char *value = NULL;
    zm_rel_default_kind kind = ZM_REL_DEFAULT_NONE;
    bool ok = false;
    if (is_call(e, "now")) {
        kind = ZM_REL_DEFAULT_NOW;
        sb_add(&sql, "CURRENT_TIMESTAMP");
        ok = true;
    } else if (is_call(e, "dbgenerated")) {
        const zm_ir_expr *x = zm_ir_expr_arg_at(e, 0);
        if (x && zm_ir_expr_kind_of(x) == ZM_IR_EXPR_STRING) {
            kind = ZM_REL_DEFAULT_EXPRESSION;
            value = zm_ir_expr_text(x);
            sb_add(&sql, value);
            ok = true;
        }
    } else if (zm_ir_expr_kind_of(e) == ZM_IR_EXPR_ARRAY) {
        /* PostgreSQL lists: ARRAY[a, b]::TYPE[] */
        kind = ZM_REL_DEFAULT_LIST;
        ok = true;
        sb_add(&sql, "ARRAY[");
        for (size_t i = 0; i < zm_ir_expr_arg_count(e) && ok; i++) {
            zm_rel_default_kind k;
            const char *v = NULL;
            if (i) sb_add(&sql, ", ");
            ok = scalar_default(l, f, zm_ir_expr_arg_at(e, i), &k, &v, &sql);
            if (ok) {
                c->default_item_kind = k;
                sql_vec_push(l->a, &c->default_items, (void *)sql_strdup(l->a, v));
            }
        }
        sb_add(&sql, "]::");
        sb_add(&sql, elem_type);
        sb_add(&sql, "[]");
    } else if (zm_ir_expr_kind_of(e) != ZM_IR_EXPR_CALL) {
        ok = scalar_default(l, f, e, &kind, &value, &sql);
    }
    if (ok && l->f->adjust_default) ok = l->f->adjust_default(l->a, f, e, &kind, &value, &sql);
    if (!ok || kind != ZM_REL_DEFAULT_LIST) c->default_items = (sql_vec){0};
    if (!ok) {
        free(sql.s);
        return;
    }
    c->default_kind = kind;
    c->default_value = sql_strdup(l->a, value);
    c->default_sql = sb_keep(l->a, &sql);
}

/* ---- columns ---------------------------------------------------------------------- */

static bool is_column(const zm_ir_field *f)
{
    return zm_ir_field_kind_of(f) != ZM_IR_FIELD_RELATION;
}

static const char *column_type(lowering *l, const zm_ir_field *f, bool autoincrement, const zm_rel_enum **et)
{
    if (zm_ir_field_kind_of(f) == ZM_IR_FIELD_ENUM && sql_has(l->f, SQL_ENUM_TYPES)) {
        *et = enum_of(l, zm_ir_field_enum(f));
        sql_sb b = {0};
        if (*et) sql_quote_object(&b, l->s, (*et)->namespace_, (*et)->name);
        return sb_keep(l->a, &b);
    }
    return l->f->column_type(l->a, f, autoincrement);
}

static zm_rel_column *lower_column(lowering *l, const zm_ir_field *f, bool pk_single)
{
    zm_rel_column *c = sql_alloc(l->a, sizeof *c);
    c->name = db_ident(l, zm_ir_field_db_name(f));
    const zm_ir_expr *dflt = field_default(f);
    bool autoinc = is_call(dflt, "autoincrement");
    bool list = zm_ir_field_is_list(f) && zm_ir_field_kind_of(f) != ZM_IR_FIELD_COMPOSITE;
    const char *base = column_type(l, f, autoinc, &c->enum_type);
    c->list = list;
    c->nullable = zm_ir_field_is_optional(f) || list;
    if (list) {
        sql_sb b = {0};
        sb_add(&b, base);
        sb_add(&b, "[]");
        c->type = sb_keep(l->a, &b);
    } else {
        c->type = base;
    }
    /* SQLite: an INTEGER primary key of its own is the rowid, AUTOINCREMENT;
       nothing else may say AUTOINCREMENT (SQLite refuses it on a BIGINT
       key: Prisma writes `BIGINT NOT NULL PRIMARY KEY` for BigInt's
       autoincrement()) */
    if (sql_has(l->f, SQL_ROWID_AUTOINCREMENT)) c->autoincrement = pk_single && strcmp(base, "INTEGER") == 0;
    else c->autoincrement = autoinc;
    if (!autoinc) lower_default(l, f, c, base);
    return c;
}

/* ---- keys and indexes --------------------------------------------------------------- */

static const char *const *index_col_names(lowering *l, const zm_rel_index *x)
{
    const char **names = sql_alloc(l->a, (x->ncols + 1) * sizeof *names);
    for (size_t i = 0; i < x->ncols; i++) names[i] = x->cols[i].name;
    return names;
}

/* ops: ArrayOps → array_ops, raw("x") → x. */
static const char *opclass_text(lowering *l, const zm_ir_expr *e)
{
    if (!e) return NULL;
    if (zm_ir_expr_kind_of(e) == ZM_IR_EXPR_CALL) {
        const zm_ir_expr *x = zm_ir_expr_arg_at(e, 0);
        return x ? zm_ir_expr_text(x) : NULL;
    }
    const char *name = zm_ir_expr_text(e);
    if (!name) return NULL;
    /* Words PostgreSQL's operator class names keep whole (int4_minmax_ops,
       timestamptz_bloom_ops), as Prisma's renderer spells them; the other
       capitals start a word of their own (jsonb_path_ops). */
    static const char *const whole[][2] = {
        {"TimestampTz", "timestamptz"}, {"TimeTz", "timetz"}, {"VarBit", "varbit"}, {"MinMax", "minmax"}};
    sql_sb b = {0};
    for (const char *p = name; *p;) {
        size_t k = 0;
        while (k < sizeof whole / sizeof whole[0] && strncmp(p, whole[k][0], strlen(whole[k][0])) != 0) k++;
        if (p != name && *p >= 'A' && *p <= 'Z') sb_addc(&b, '_');
        if (k < sizeof whole / sizeof whole[0]) {
            sb_add(&b, whole[k][1]);
            p += strlen(whole[k][0]);
        } else {
            sb_addc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
            p++;
        }
    }
    return sb_keep(l->a, &b);
}

static const char *index_method(const char *type)
{
    static const char *const map[][2] = {
        {"Hash", "HASH"}, {"Gin", "GIN"}, {"Gist", "GIST"}, {"SpGist", "SPGIST"}, {"Brin", "BRIN"}};
    for (size_t i = 0; type && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(type, map[i][0]) == 0) return map[i][1];
    return NULL;
}

/* The index over the table's columns, or NULL if a field is not one. */
static zm_rel_index *lower_index(lowering *l, const zm_rel_table *t, const zm_ir_index *ix, zm_rel_index_kind kind)
{
    size_t n = zm_ir_index_field_count(ix);
    zm_rel_index *x = sql_alloc(l->a, sizeof *x);
    x->kind = kind;
    x->ncols = n;
    x->cols = sql_alloc(l->a, (n + 1) * sizeof *x->cols);
    for (size_t i = 0; i < n; i++) {
        const zm_ir_field *f = zm_ir_index_field_at(ix, i);
        if (!f || !field_printed(l, f) || !is_column(f)) return NULL;
        zm_ir_sort sort = zm_ir_index_sort_at(ix, i);
        x->cols[i] = (sql_index_column){
            .name = db_ident(l, zm_ir_field_db_name(f)),
            .sort = sort == ZM_IR_SORT_DESC ? ZM_REL_SORT_DESC : sort == ZM_IR_SORT_ASC ? ZM_REL_SORT_ASC : ZM_REL_SORT_DEFAULT,
            .length = zm_ir_index_length_at(ix, i),
            .opclass = opclass_text(l, zm_ir_index_ops_at(ix, i)),
        };
    }
    x->method = index_method(zm_ir_index_type(ix));
    const char *map = zm_ir_index_map(ix);
    /* @@index's name: is a legacy alias of map: */
    if (!map && kind == ZM_REL_INDEX) map = zm_ir_index_name(ix);
    x->named = map != NULL;
    const char *suffix = kind == ZM_REL_PRIMARY ? "_pkey" : kind == ZM_REL_UNIQUE ? "_key" : "_idx";
    x->name = map ? map
                  : sql_constraint_name(l->a, t->name, kind == ZM_REL_PRIMARY ? NULL : index_col_names(l, x),
                                        kind == ZM_REL_PRIMARY ? 0 : n, suffix, l->f->name_limit);
    return x;
}

static void lower_indexes(lowering *l, zm_rel_table *t, const zm_ir_model *m)
{
    const zm_ir_index *pk = zm_ir_model_primary_key(m);
    if (pk) t->pk = lower_index(l, t, pk, ZM_REL_PRIMARY);
    /* Prisma resolves field attributes first, then all @@index, all
       @@unique, all @@fulltext; the IR lists the @unique fields first,
       then the model attributes as written. */
    size_t nfield = 0, n = zm_ir_model_index_count(m);
    for (size_t i = 0; i < zm_ir_model_field_count(m); i++)
        nfield += zm_ir_field_is_unique(zm_ir_model_field_at(m, i));
    static const zm_ir_index_kind pass_kind[] = {ZM_IR_UNIQUE, ZM_IR_INDEX, ZM_IR_UNIQUE, ZM_IR_FULLTEXT};
    for (int pass = 0; pass < 4; pass++) {
        size_t from = pass == 0 ? 0 : nfield, to = pass == 0 ? nfield : n;
        for (size_t i = from; i < to && i < n; i++) {
            const zm_ir_index *ix = zm_ir_model_index_at(m, i);
            zm_ir_index_kind k = zm_ir_index_kind_of(ix);
            if (k != pass_kind[pass] || (k == ZM_IR_FULLTEXT && !sql_has(l->f, SQL_FULLTEXT))) continue;
            zm_rel_index_kind kind = k == ZM_IR_UNIQUE ? ZM_REL_UNIQUE : k == ZM_IR_INDEX ? ZM_REL_INDEX : ZM_REL_FULLTEXT;
            zm_rel_index *x = lower_index(l, t, ix, kind);
            if (x) sql_vec_push(l->a, &t->indexes, x);
        }
    }
}

/* ---- foreign keys --------------------------------------------------------------------- */

static zm_rel_action action_of(zm_ir_action a, zm_rel_action dflt)
{
    switch (a) {
    case ZM_IR_ACTION_CASCADE: return ZM_REL_CASCADE;
    case ZM_IR_ACTION_RESTRICT: return ZM_REL_RESTRICT;
    case ZM_IR_ACTION_NO_ACTION: return ZM_REL_NO_ACTION;
    case ZM_IR_ACTION_SET_NULL: return ZM_REL_SET_NULL;
    case ZM_IR_ACTION_SET_DEFAULT: return ZM_REL_SET_DEFAULT;
    default: return dflt;
    }
}

static zm_rel_fk *fk_new(lowering *l, const zm_rel_table *t, size_t n, const zm_ir_model *target, const char *map)
{
    zm_rel_fk *k = sql_alloc(l->a, sizeof *k);
    k->ncols = n;
    k->cols = sql_alloc(l->a, (n + 1) * sizeof *k->cols);
    k->ref_cols = sql_alloc(l->a, (n + 1) * sizeof *k->ref_cols);
    k->ref_table = db_ident(l, zm_ir_model_db_name(target));
    k->ref_namespace = namespace_of(l, model_schema(target));
    k->name = map;
    (void)t;
    return k;
}

static void fk_name_default(lowering *l, const zm_rel_table *t, zm_rel_fk *k)
{
    if (!k->name) k->name = sql_constraint_name(l->a, t->name, k->cols, k->ncols, "_fkey", l->f->name_limit);
}

static void lower_relation_fk(lowering *l, zm_rel_table *t, const zm_ir_field *f)
{
    const zm_ir_relation *r = zm_ir_field_relation(f);
    size_t n = r ? zm_ir_relation_key_count(r) : 0;
    if (!r || zm_ir_relation_owner(r) != f || n == 0 || zm_ir_relation_kind_of(r) == ZM_IR_MANY_TO_MANY) return;
    /* A view is no table: nothing can reference it (Prisma writes no key) */
    if (zm_ir_model_kind_of(zm_ir_field_target(f)) != ZM_IR_MODEL) return;
    zm_rel_fk *k = fk_new(l, t, n, zm_ir_field_target(f), zm_ir_relation_map(r));
    for (size_t i = 0; i < n; i++) {
        k->cols[i] = db_ident(l, zm_ir_field_db_name(zm_ir_relation_field_at(r, i)));
        k->ref_cols[i] = db_ident(l, zm_ir_field_db_name(zm_ir_relation_reference_at(r, i)));
    }
    fk_name_default(l, t, k);
    /* Prisma: RESTRICT when a key column is required, else SET NULL */
    zm_rel_action del = ZM_REL_SET_NULL;
    for (size_t i = 0; i < n; i++)
        if (!zm_ir_field_is_optional(zm_ir_relation_field_at(r, i))) del = ZM_REL_RESTRICT;
    k->on_delete = action_of(zm_ir_relation_on_delete(r), del);
    k->on_update = action_of(zm_ir_relation_on_update(r), ZM_REL_CASCADE);
    sql_vec_push(l->a, &t->fks, k);
}

/* A delegate sub-model's key references the base's row (delegate_aux_*). */
static void lower_delegate_fk(lowering *l, zm_rel_table *t, const zm_ir_model *base)
{
    const zm_ir_index *pk = zm_ir_model_primary_key(base);
    size_t n = pk ? zm_ir_index_field_count(pk) : 0;
    if (n == 0) return;
    zm_rel_fk *k = fk_new(l, t, n, base, NULL);
    for (size_t i = 0; i < n; i++) k->cols[i] = k->ref_cols[i] = db_ident(l, zm_ir_field_db_name(zm_ir_index_field_at(pk, i)));
    fk_name_default(l, t, k);
    k->on_delete = k->on_update = ZM_REL_CASCADE;
    sql_vec_push(l->a, &t->fks, k);
}

/* ---- tables ----------------------------------------------------------------------------- */

static bool is_single_pk(const zm_ir_model *m, const zm_ir_field *f)
{
    const zm_ir_index *pk = zm_ir_model_primary_key(m);
    return pk && zm_ir_index_field_count(pk) == 1 && zm_ir_index_field_at(pk, 0) == f;
}

static void lower_model(lowering *l, const zm_ir_model *m)
{
    zm_rel_table *t = sql_alloc(l->a, sizeof *t);
    t->name = db_ident(l, zm_ir_model_db_name(m));
    t->namespace_ = namespace_of(l, model_schema(m));
    t->model = m;
    for (size_t i = 0; i < zm_ir_model_field_count(m); i++) {
        const zm_ir_field *f = zm_ir_model_field_at(m, i);
        if (field_printed(l, f) && is_column(f)) sql_vec_push(l->a, &t->columns, lower_column(l, f, is_single_pk(m, f)));
    }
    lower_indexes(l, t, m);
    for (size_t i = 0; l->foreign_keys && i < zm_ir_model_field_count(m); i++) {
        const zm_ir_field *f = zm_ir_model_field_at(m, i);
        if (field_printed(l, f) && !is_column(f)) lower_relation_fk(l, t, f);
    }
    if (l->foreign_keys && zm_ir_model_base(m)) lower_delegate_fk(l, t, zm_ir_model_base(m));
    sql_vec_push(l->a, &l->s->tables, t);
}

/* ---- implicit many-to-many join tables ---------------------------------------------------- */

static const zm_ir_field *single_id(const zm_ir_model *m)
{
    const zm_ir_index *pk = zm_ir_model_primary_key(m);
    return pk && zm_ir_index_field_count(pk) == 1 ? zm_ir_index_field_at(pk, 0) : NULL;
}

static zm_rel_column *join_column(lowering *l, const char *name, const zm_ir_field *id)
{
    zm_rel_column *c = sql_alloc(l->a, sizeof *c);
    c->name = name;
    const zm_rel_enum *et = NULL;
    c->type = column_type(l, id, false, &et);
    c->enum_type = et;
    return c;
}

static zm_rel_index *join_index(lowering *l, const zm_rel_table *t, zm_rel_index_kind kind, const char *suffix,
                                bool both)
{
    zm_rel_index *x = sql_alloc(l->a, sizeof *x);
    x->kind = kind;
    x->ncols = both ? 2 : 1;
    x->cols = sql_alloc(l->a, 2 * sizeof *x->cols);
    x->cols[0].name = both ? "A" : "B";
    x->cols[1].name = "B";
    x->name = sql_constraint_name(l->a, t->name, NULL, 0, suffix, l->f->name_limit);
    return x;
}

static void join_fk(lowering *l, zm_rel_table *t, const char *col, const zm_ir_model *m, const zm_ir_field *id)
{
    zm_rel_fk *k = fk_new(l, t, 1, m, NULL);
    k->cols[0] = col;
    k->ref_cols[0] = db_ident(l, zm_ir_field_db_name(id));
    /* Prisma's own scheme here, unlike other default names: the table name
       cut to leave room for `_A_fkey`, so A's and B's never collide */
    size_t room = l->f->name_limit - strlen("_A_fkey");
    sql_sb b = {0};
    sb_addn(&b, t->name, sql_utf8_floor(t->name, room));
    sb_addc(&b, '_');
    sb_add(&b, col);
    sb_add(&b, "_fkey");
    k->name = sb_keep(l->a, &b);
    k->on_delete = k->on_update = ZM_REL_CASCADE;
    sql_vec_push(l->a, &t->fks, k);
}

static void lower_join_table(lowering *l, const zm_ir_field *f)
{
    const zm_ir_relation *r = zm_ir_field_relation(f);
    for (size_t i = 0; i < l->seen_m2m.count; i++)
        if (l->seen_m2m.items[i] == r) return;
    sql_vec_push(l->a, &l->seen_m2m, (void *)r);
    const zm_ir_model *ma = zm_ir_field_model(f), *mb = zm_ir_field_target(f);
    if (strcmp(zm_ir_model_name(ma), zm_ir_model_name(mb)) > 0) {
        const zm_ir_model *x = ma;
        ma = mb;
        mb = x;
    }
    const zm_ir_field *ida = single_id(ma), *idb = single_id(mb);
    if (!ida || !idb) return;
    zm_rel_table *t = sql_alloc(l->a, sizeof *t);
    sql_sb b = {0};
    sb_addc(&b, '_');
    if (zm_ir_relation_name(r)) {
        sb_add(&b, zm_ir_relation_name(r));
    } else {
        sb_add(&b, zm_ir_model_name(ma));
        sb_add(&b, "To");
        sb_add(&b, zm_ir_model_name(mb));
    }
    /* cut to the identifier limit, as Prisma names it (PostgreSQL would cut
       it the same; MySQL would refuse it) */
    t->name = sb_keep(l->a, &b);
    if (sql_has(l->f, SQL_CUT_JOIN_NAMES)) t->name = sql_strndup(l->a, t->name, sql_utf8_floor(t->name, l->f->name_limit));
    t->namespace_ = namespace_of(l, model_schema(ma));
    sql_vec_push(l->a, &t->columns, join_column(l, "A", ida));
    sql_vec_push(l->a, &t->columns, join_column(l, "B", idb));
    if (sql_has(l->f, SQL_JOIN_PRIMARY_KEY)) t->pk = join_index(l, t, ZM_REL_PRIMARY, "_AB_pkey", true);
    else sql_vec_push(l->a, &t->indexes, join_index(l, t, ZM_REL_UNIQUE, "_AB_unique", true));
    sql_vec_push(l->a, &t->indexes, join_index(l, t, ZM_REL_INDEX, "_B_index", false));
    if (l->foreign_keys) {
        join_fk(l, t, "A", ma, ida);
        join_fk(l, t, "B", mb, idb);
    }
    sql_vec_push(l->a, &l->s->tables, t);
}

/* ---- the datasource --------------------------------------------------------------------- */

static void lower_datasource(lowering *l)
{
    const zm_ir_config *ds = zm_ir_datasource(l->ir);
    const char *mode = ds ? zm_ir_config_string(ds, "relationMode") : NULL;
    l->foreign_keys = !(mode && strcmp(mode, "prisma") == 0);
    if (!sql_has(l->f, SQL_NAMESPACES)) return;
    const zm_ir_expr *schemas = ds ? zm_ir_config_value(ds, "schemas") : NULL;
    if (schemas && zm_ir_expr_kind_of(schemas) == ZM_IR_EXPR_ARRAY) {
        l->s->multi_namespace = true;     /* the namespaces used: collect_namespaces() */
        const char *dflt = zm_ir_config_string(ds, "defaultSchema");
        l->default_ns = dflt ? dflt : "public";
        for (size_t i = 0; i < zm_ir_expr_arg_count(schemas); i++) {
            const zm_ir_expr *n = zm_ir_expr_arg_at(schemas, i);
            if (zm_ir_expr_kind_of(n) == ZM_IR_EXPR_STRING)
                sql_vec_push(l->a, &l->s->listed_namespaces, (void *)zm_ir_expr_text(n));
        }
    } else {
        sql_vec_push(l->a, &l->s->namespaces, "public");
    }
    const zm_ir_expr *ext = ds ? zm_ir_config_value(ds, "extensions") : NULL;
    for (size_t i = 0; ext && zm_ir_expr_kind_of(ext) == ZM_IR_EXPR_ARRAY && i < zm_ir_expr_arg_count(ext); i++) {
        const zm_ir_expr *e = zm_ir_expr_arg_at(ext, i);
        zm_rel_extension *x = sql_alloc(l->a, sizeof *x);
        x->name = zm_ir_expr_text(e);
        for (size_t k = 0; zm_ir_expr_kind_of(e) == ZM_IR_EXPR_CALL && k < zm_ir_expr_arg_count(e); k++) {
            const char *key = zm_ir_expr_arg_name_at(e, k);
            const char *val = zm_ir_expr_text(zm_ir_expr_arg_at(e, k));
            if (!key) continue;
            if (strcmp(key, "map") == 0) x->name = val;
            else if (strcmp(key, "version") == 0) x->version = val;
            else if (strcmp(key, "schema") == 0) x->namespace_ = val;
        }
        sql_vec_push(l->a, &l->s->extensions, x);
    }
}

static void add_namespace(lowering *l, const char *ns)
{
    if (!ns) return;
    size_t i = 0;
    sql_vec *v = &l->s->namespaces;
    while (i < v->count && strcmp(v->items[i], ns) < 0) i++;
    if (i < v->count && strcmp(v->items[i], ns) == 0) return;
    sql_vec_push(l->a, v, NULL);
    memmove(&v->items[i + 1], &v->items[i], (v->count - 1 - i) * sizeof *v->items);
    v->items[i] = (void *)ns;
}

/* multiSchema: Prisma creates the namespaces in use, sorted by name. */
static void collect_namespaces(lowering *l)
{
    if (!l->s->multi_namespace) return;
    for (size_t i = 0; i < l->s->enums.count; i++) add_namespace(l, ((zm_rel_enum *)l->s->enums.items[i])->namespace_);
    for (size_t i = 0; i < l->s->tables.count; i++)
        add_namespace(l, ((zm_rel_table *)l->s->tables.items[i])->namespace_);
}

static void lower_enums(lowering *l)
{
    if (!sql_has(l->f, SQL_ENUM_TYPES)) return;
    for (size_t i = 0; i < zm_ir_enum_count(l->ir); i++) {
        const zm_ir_enum *e = zm_ir_enum_at(l->ir, i);
        zm_rel_enum *x = sql_alloc(l->a, sizeof *x);
        x->ir = e;
        x->name = db_ident(l, zm_ir_enum_db_name(e));
        x->namespace_ = namespace_of(l, enum_schema(e));
        for (size_t k = 0; k < zm_ir_enum_value_count(e); k++)
            sql_vec_push(l->a, &x->values, (void *)zm_ir_enum_value_db_name(zm_ir_enum_value_at(e, k)));
        sql_vec_push(l->a, &l->s->enums, x);
    }
}

zm_rel_schema *zm_rel_lower(const zm_ir *ir, const zmc_dialect *d)
{
    const sql_flavor *flavor = sql_flavor_of(d);
    if (!ir || !flavor) return NULL;
    /* the arena lives on the heap: its state must survive a longjmp */
    sql_arena *arena = calloc(1, sizeof *arena);
    if (!arena) return NULL;
    jmp_buf oom;
    arena->oom = &oom;
    if (setjmp(oom)) {
        sql_arena_free(arena);
        free(arena);
        return NULL;
    }
    zm_rel_schema *s = sql_alloc(arena, sizeof *s);
    s->dialect = d;
    s->flavor = flavor;
    lowering l = {.s = s, .a = arena, .ir = ir, .level = zm_ir_level(ir), .f = flavor};
    lower_datasource(&l);
    lower_enums(&l);
    size_t n = zm_ir_model_count(ir);
    for (size_t i = 0; i < n; i++) {
        const zm_ir_model *m = zm_ir_model_at(ir, i);
        if (zm_ir_model_kind_of(m) == ZM_IR_MODEL) lower_model(&l, m);
    }
    for (size_t i = 0; i < n; i++) {
        const zm_ir_model *m = zm_ir_model_at(ir, i);
        if (zm_ir_model_kind_of(m) != ZM_IR_MODEL) continue;
        for (size_t k = 0; k < zm_ir_model_field_count(m); k++) {
            const zm_ir_field *f = zm_ir_model_field_at(m, k);
            const zm_ir_relation *r = zm_ir_field_relation(f);
            /* Prisma records the relation from model A's side (the name first in order) */
            if (r && field_printed(&l, f) && zm_ir_relation_kind_of(r) == ZM_IR_MANY_TO_MANY &&
                strcmp(zm_ir_model_name(m), zm_ir_model_name(zm_ir_field_target(f))) <= 0)
                lower_join_table(&l, f);
        }
    }
    collect_namespaces(&l);
    /* from here on nothing allocates: the schema keeps its arena */
    arena->oom = NULL;
    s->arena = *arena;
    free(arena);
    return s;
}
