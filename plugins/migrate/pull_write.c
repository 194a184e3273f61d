/*
** pull_write.c — a relational schema read from a database, written as
** ZModel models and enums (zm_pull_write, for `db pull`).
**
** The names are Prisma's introspection's, so a team moving between the
** tools gets the same schema:
**   - a model per table, named as the table; a name that is no identifier
**     ("2nd table", "_Log") loses its leading non-letters and has every
**     other character outside [A-Za-z0-9_] replaced by _, with @@map (@map
**     for columns, enum types and values) keeping the database's name;
**   - a foreign key from T to R gives T a field named R (fields:,
**     references:) and R a field named T (a list, or optional when the key's
**     columns are unique); when two tables are joined by more than one key,
**     each relation is named "T_colsToR" and its fields R_<name>, T_<name>;
**     a table's key to itself is "TToT", with the fields T and other_T;
**   - a table `_XToY` with columns A (a key to X) and B (a key to Y), unique
**     together, is the join table of an implicit many-to-many relation:
**     X gets `Y Y[]` and Y gets `X X[]`, and no model;
**   - constraint and index names that are not the lowering's defaults are
**     kept with map:; referential actions that are not Prisma's defaults
**     with onDelete:/onUpdate:.
** Where a previous schema (`prev`) already names a table, column, key or
** enum, that name wins, so a re-pull keeps what the user chose.
*/
#define _GNU_SOURCE 1
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pull.h"

/* ---- the models being written ------------------------------------------------------- */

typedef struct pfield {
    char *name;
    char *type;                 /* "String", "Role", "Post", "Unsupported(\"x\")" */
    char mod;                   /* 0, '?' or '[' (a list) */
    bool inherited;             /* declared by a base model of the previous schema: not written */
    bool from_change;           /* a relation field whose key (or join table) is new or changed */
    zm_buf attrs;               /* " @id @default(...)" */
} pfield;

typedef struct pmodel pmodel;
typedef const pmodel *pmodel_ref;

struct pmodel {
    const zm_rel_table *t;
    char *name;
    pfield *fields;
    size_t nfields, cap;
    zm_buf attrs;               /* "  @@index(...)\n" lines */
    bool join;                  /* the join table of an implicit many-to-many relation */
    bool ignored;               /* no unique identifier: @@ignore */
    bool changed;               /* the table is new, or the diff from the previous schema touches it */
    bool keep;                  /* unchanged model of the previous schema: the user's text stays */
    const pmodel_ref *refs;     /* the model each foreign key references (or NULL) */
    const zm_ir_model *prev;    /* the previous schema's model of the table, or NULL */
    const pmodel *join_a, *join_b;
    const char *join_name;      /* the relation's name (the table's without _) */
};

typedef struct penum {
    const char *db;             /* database name (PostgreSQL type, or MySQL's table_column) */
    char *name;
    size_t nvalues;
    const char *const *values;  /* database names */
    char **value_names;
} penum;

typedef struct pair {
    size_t a, b;                /* model indexes, a <= b */
} pair;

typedef struct pull {
    const zm_rel_schema *s;
    const zm_ir *prev;
    pmodel *models;
    size_t nmodels;
    penum *enums;
    size_t nenums, enums_cap;
    pair *pairs;              /* model pairs joined by a relation, sorted */
    size_t npairs;
    char **strings;             /* everything malloc'ed, freed at the end */
    size_t nstrings, strings_cap;
    bool oom;
} pull;

static char *keep(pull *p, char *s)
{
    if (!s) {
        p->oom = true;
        return NULL;
    }
    if (p->nstrings == p->strings_cap) {
        size_t cap = p->strings_cap ? p->strings_cap * 2 : 64;
        char **n = realloc(p->strings, cap * sizeof *n);
        if (!n) {
            free(s);
            p->oom = true;
            return NULL;
        }
        p->strings = n, p->strings_cap = cap;
    }
    return p->strings[p->nstrings++] = s;
}

static char *dup(pull *p, const char *s) { return keep(p, strdup(s ? s : "")); }

static char *fmt(pull *p, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(pull *p, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    int n = vasprintf(&s, f, ap);
    va_end(ap);
    return keep(p, n < 0 ? NULL : s);
}

/* ---- names ---------------------------------------------------------------------------- */

/* Prisma's sanitizing: leading characters that are not letters dropped,
   each other character outside [A-Za-z0-9_] replaced by _. Empty when
   nothing is left. */
static char *sanitize(pull *p, const char *db)
{
    while (*db && !isalpha((unsigned char)*db)) db++;
    char *s = dup(p, db), *out = s;
    for (const char *c = s; c && *c; c++) {
        if ((*c & 0xC0) == 0x80) continue;     /* one _ for a whole UTF-8 character */
        *out++ = isalnum((unsigned char)*c) || *c == '_' ? *c : '_';
    }
    if (out) *out = '\0';
    return s;
}

/* Words ZModel's grammar does not take as a declaration's name (`decl`)
   or a field's: built-in type names and keywords. */
static bool reserved(const char *name, bool decl)
{
    static const char *const both[] = {"this", "null", "true", "false", "extends", "function", "generator",
                                       "FieldReference", "TransitiveFieldReference", "ContextType"};
    static const char *const decls[] = {"String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime",
                                        "Json", "Bytes", "Unsupported", "Null", "Object", "Any", "Void",
                                        "Undefined", "with", "procedure", "mutation"};
    for (size_t i = 0; i < sizeof both / sizeof both[0]; i++)
        if (strcmp(name, both[i]) == 0) return true;
    for (size_t i = 0; decl && i < sizeof decls / sizeof decls[0]; i++)
        if (strcmp(name, decls[i]) == 0) return true;
    return false;
}

/* A name for a database name: the previous schema's, else sanitized; an
   empty result (a name of digits and signs only) becomes `fallback`_N, a
   reserved word is renamed as Prisma renames one (`RenamedString`; a
   field: `this_`). `decl`: a model's or enum's name. */
static char *name_for(pull *p, const char *db, const char *prev_name, const char *fallback, bool decl)
{
    if (prev_name) return dup(p, prev_name);
    char *s = sanitize(p, db);
    if (s && !*s) s = fmt(p, "%s_%zu", fallback, p->nstrings);
    if (s && reserved(s, decl)) s = decl ? fmt(p, "Renamed%s", s) : fmt(p, "%s_", s);
    return s;
}

/* A ZModel string literal. */
static void put_string(zm_buf *b, const char *s)
{
    zm_buf_putc(b, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"': zm_buf_puts(b, "\\\""); break;
        case '\\': zm_buf_puts(b, "\\\\"); break;
        case '\n': zm_buf_puts(b, "\\n"); break;
        case '\r': zm_buf_puts(b, "\\r"); break;
        case '\t': zm_buf_puts(b, "\\t"); break;
        default: zm_buf_putc(b, *s);
        }
    }
    zm_buf_putc(b, '"');
}

/* `label` then a database name as a string literal: map: "x". */
static void put_named(zm_buf *b, const char *label, const char *name)
{
    zm_buf_puts(b, label);
    put_string(b, name);
}

/* A database name inside a comment: a line break would end the comment
   and let the rest of the name be read as ZModel. */
static void put_comment_name(zm_buf *b, const char *name)
{
    for (; *name; name++) zm_buf_putc(b, *name == '\n' || *name == '\r' ? ' ' : *name);
}

/* ---- the previous schema's names -------------------------------------------------------- */

static const zm_ir_model *prev_model(const pull *p, const zm_rel_table *t)
{
    for (size_t i = 0; p->prev && i < zm_ir_model_count(p->prev); i++) {
        const zm_ir_model *m = zm_ir_model_at(p->prev, i);
        if (zm_ir_model_kind_of(m) != ZM_IR_MODEL || strcmp(zm_ir_model_db_name(m), zm_rel_table_name(t)) != 0)
            continue;
        const char *ns = zm_rel_table_namespace(t), *mns = zm_ir_model_schema(m);
        if (!ns || !mns || strcmp(ns, mns) == 0) return m;
    }
    return NULL;
}

static const zm_ir_field *prev_column(const zm_ir_model *m, const char *column)
{
    for (size_t i = 0; m && i < zm_ir_model_field_count(m); i++) {
        const zm_ir_field *f = zm_ir_model_field_at(m, i);
        if (zm_ir_field_kind_of(f) != ZM_IR_FIELD_RELATION && !zm_ir_field_is_computed(f) &&
            strcmp(zm_ir_field_db_name(f), column) == 0)
            return f;
    }
    return NULL;
}

/* ---- building ----------------------------------------------------------------------------- */

static pfield *add_field(pull *p, pmodel *m, const char *name, const char *type, char mod)
{
    if (m->nfields == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        pfield *n = realloc(m->fields, cap * sizeof *n);
        if (!n) {
            p->oom = true;
            return NULL;
        }
        m->fields = n, m->cap = cap;
    }
    pfield *f = &m->fields[m->nfields++];
    *f = (pfield){.name = (char *)name, .type = (char *)type, .mod = mod, .attrs = ZM_BUF_INIT};
    return f;
}

static bool has_field(const pmodel *m, const char *name)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (m->fields[i].name && strcmp(m->fields[i].name, name) == 0) return true;
    return false;
}

/* The model of a table: the models are sorted by table name (then namespace). */
static pmodel *model_of_table(pull *p, const char *namespace_, const char *table)
{
    size_t lo = 0, hi = p->nmodels;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(zm_rel_table_name(p->models[mid].t), table) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo; i < p->nmodels && strcmp(zm_rel_table_name(p->models[i].t), table) == 0; i++) {
        const char *ns = zm_rel_table_namespace(p->models[i].t);
        if (!namespace_ || !ns || strcmp(ns, namespace_) == 0) return &p->models[i];
    }
    return NULL;
}

static const char *field_of_column(const pmodel *m, const char *column)
{
    const zm_rel_table *t = m->t;
    for (size_t i = 0; i < zm_rel_table_column_count(t); i++)
        if (strcmp(zm_rel_column_name(zm_rel_table_column_at(t, i)), column) == 0) return m->fields[i].name;
    return column;
}

static penum *enum_named(pull *p, const char *db)
{
    for (size_t i = 0; i < p->nenums; i++)
        if (strcmp(p->enums[i].db, db) == 0) return &p->enums[i];
    return NULL;
}

static penum *add_enum(pull *p, const char *db, const zm_ir_enum *prev, size_t n, const char *const *values)
{
    if (p->nenums == p->enums_cap) {
        size_t cap = p->enums_cap ? p->enums_cap * 2 : 8;
        penum *e = realloc(p->enums, cap * sizeof *e);
        if (!e) {
            p->oom = true;
            return NULL;
        }
        p->enums = e, p->enums_cap = cap;
    }
    penum *e = &p->enums[p->nenums++];
    *e = (penum){.db = db, .nvalues = n, .values = values};
    e->name = name_for(p, db, prev ? zm_ir_enum_name(prev) : NULL, "enum", true);
    e->value_names = calloc(n + 1, sizeof *e->value_names);
    if (!e->value_names) {
        p->oom = true;
        e->nvalues = 0;
        return e;
    }
    keep(p, (char *)e->value_names);
    for (size_t i = 0; i < n; i++) {
        const char *prev_name = NULL;
        for (size_t k = 0; prev && k < zm_ir_enum_value_count(prev); k++) {
            const zm_ir_enum_value *v = zm_ir_enum_value_at(prev, k);
            if (strcmp(zm_ir_enum_value_db_name(v), values[i]) == 0) prev_name = zm_ir_enum_value_name(v);
        }
        e->value_names[i] = name_for(p, values[i], prev_name, "VALUE", false);
    }
    return e;
}

static const zm_ir_enum *prev_enum(const pull *p, const char *db)
{
    for (size_t i = 0; p->prev && i < zm_ir_enum_count(p->prev); i++)
        if (strcmp(zm_ir_enum_db_name(zm_ir_enum_at(p->prev, i)), db) == 0) return zm_ir_enum_at(p->prev, i);
    return NULL;
}

static const char *value_name(const penum *e, const char *db)
{
    for (size_t i = 0; i < e->nvalues; i++)
        if (strcmp(e->values[i], db) == 0) return e->value_names[i];
    return db;
}

/* ---- columns --------------------------------------------------------------------------------- */

static const char *action_name(zm_rel_action a)
{
    switch (a) {
    case ZM_REL_CASCADE: return "Cascade";
    case ZM_REL_RESTRICT: return "Restrict";
    case ZM_REL_NO_ACTION: return "NoAction";
    case ZM_REL_SET_NULL: return "SetNull";
    case ZM_REL_SET_DEFAULT: return "SetDefault";
    }
    return "NoAction";
}

/* "<base64>" for hex digits (after an optional \\x); false if the text
   is not hex. */
static bool hex_to_base64(const char *hex, zm_buf *out)
{
    if (hex[0] == '\\' && hex[1] == 'x') hex += 2;
    size_t n = strlen(hex);
    if (n % 2 || strspn(hex, "0123456789abcdefABCDEF") != n) return false;
    unsigned char *bytes = malloc(n / 2 + 1), *b64 = malloc(4 * (n / 2 + 2) / 3 + 2);
    bool ok = bytes && b64;
    for (size_t i = 0; ok && i < n / 2; i++) {
        unsigned byte;
        sscanf(hex + 2 * i, "%2x", &byte);
        bytes[i] = (unsigned char)byte;
    }
    if (ok) {
        EVP_EncodeBlock(b64, bytes, (int)(n / 2));
        zm_buf_printf(out, "\"%s\"", (char *)b64);
    }
    free(bytes);
    free(b64);
    return ok;
}

static bool valid_date(const char *v)
{
    int y, mo, d;
    return v && sscanf(v, "%4d-%2d-%2d", &y, &mo, &d) == 3 && y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/* A default value of `kind` (see zm_rel_default_kind) as ZModel writes it
   inside @default(...); false when it has no ZModel literal. `e`: the
   column's enum, else NULL. */
static bool put_value(pull *p, zm_buf *b, zm_rel_default_kind kind, const char *v, const penum *e)
{
    if (!v) return false;
    switch (kind) {
    case ZM_REL_DEFAULT_NUMBER:
    case ZM_REL_DEFAULT_BOOL: zm_buf_puts(b, v); return true;
    case ZM_REL_DEFAULT_ENUM:
        if (!e) return false;
        zm_buf_puts(b, value_name(e, v));
        return true;
    case ZM_REL_DEFAULT_BYTES:
        /* the database's hex ('\\x68656c6c6f', '68656c6c6f') as ZModel's base64 */
        return hex_to_base64(v, b);
    case ZM_REL_DEFAULT_STRING:
        /* a string default of an enum column (SQLite keeps enums as TEXT) */
        if (e) {
            zm_buf_puts(b, value_name(e, v));
            return true;
        }
        /* fall through */
    case ZM_REL_DEFAULT_JSON: put_string(b, v); return true;
    case ZM_REL_DEFAULT_DATETIME: {
        /* "2024-01-02 03:04:05.6 +00:00" → "2024-01-02T03:04:05.6+00:00" */
        char *t = dup(p, v);
        if (!t) return false;
        char *sp = strchr(t, ' ');
        if (sp && sp - t == 10) *sp = 'T';
        char *zone = strrchr(t, ' ');
        if (zone) memmove(zone, zone + 1, strlen(zone));
        put_string(b, t);
        return true;
    }
    default: return false;
    }
}

/* `scalar`: the field's scalar type, NULL for an enum or Unsupported. */
static void put_default(pull *p, pfield *f, const zm_rel_column *c, const penum *e, const char *scalar)
{
    const char *v = zm_rel_column_default_value(c), *sql = zm_rel_column_default_sql(c);
    if (zm_rel_column_is_autoincrement(c)) {
        zm_buf_puts(&f->attrs, " @default(autoincrement())");
        return;
    }
    zm_rel_default_kind kind = zm_rel_column_default_kind(c);
    /* an Unsupported field takes dbgenerated() only; a date ZModel refuses
       (MySQL's zero date) stays the database's text */
    if (kind != ZM_REL_DEFAULT_NONE && !scalar && !e) kind = ZM_REL_DEFAULT_EXPRESSION;
    if (scalar && strcmp(scalar, "DateTime") == 0 && (kind == ZM_REL_DEFAULT_STRING || kind == ZM_REL_DEFAULT_DATETIME) &&
        !valid_date(v))
        kind = ZM_REL_DEFAULT_EXPRESSION;
    if (kind == ZM_REL_DEFAULT_NONE) return;
    if (kind == ZM_REL_DEFAULT_NOW) {
        zm_buf_puts(&f->attrs, " @default(now())");
        return;
    }
    zm_buf lit = ZM_BUF_INIT;
    bool ok = true;
    if (kind == ZM_REL_DEFAULT_LIST) {
        /* [1, 2], from the dialect's elements */
        zm_rel_default_kind item = zm_rel_column_default_item_kind(c);
        zm_buf_putc(&lit, '[');
        for (size_t i = 0; ok && i < zm_rel_column_default_item_count(c); i++) {
            if (i) zm_buf_puts(&lit, ", ");
            const char *iv = zm_rel_column_default_item_at(c, i);
            ok = (!scalar || strcmp(scalar, "DateTime") != 0 || valid_date(iv)) && put_value(p, &lit, item, iv, e);
        }
        zm_buf_putc(&lit, ']');
    } else {
        ok = put_value(p, &lit, kind, v, e);
    }
    if (ok && lit.data) {
        zm_buf_printf(&f->attrs, " @default(%s)", lit.data);
    } else if (sql) {
        zm_buf_puts(&f->attrs, " @default(dbgenerated(");
        put_string(&f->attrs, sql);
        zm_buf_puts(&f->attrs, "))");
    }
    zm_buf_free(&lit);
}

static bool only_column(const zm_rel_index *x, const char *column)
{
    return x && zm_rel_index_column_count(x) == 1 && strcmp(zm_rel_index_column_at(x, 0), column) == 0 &&
           zm_rel_index_sort_at(x, 0) != ZM_REL_SORT_DESC && zm_rel_index_length_at(x, 0) == 0 &&
           !zm_rel_index_opclass_at(x, 0);
}

/* " (map: \"x\")" when the index's name is not the default. */
/* Prisma's default name of a key of `table` over the columns col(key, i),
   i < n (none for a primary key): what a map: is compared with. */
static const char *default_key_name(pull *p, const char *table, const void *key, size_t n,
                                    const char *(*col)(const void *key, size_t i), const char *suffix)
{
    const char **cols = calloc(n + 1, sizeof *cols);
    if (!cols) return p->oom = true, "";
    for (size_t i = 0; i < n; i++) cols[i] = col(key, i);
    const char *d = zm_rel_default_name(p->s, table, n ? cols : NULL, n, suffix);
    free(cols);
    return d;
}

static const char *index_column(const void *x, size_t i) { return zm_rel_index_column_at(x, i); }
static const char *fk_column(const void *k, size_t i) { return zm_rel_fk_column_at(k, i); }

static bool default_index_name(pull *p, const zm_rel_table *t, const zm_rel_index *x, const char *suffix)
{
    size_t n = zm_rel_index_kind_of(x) == ZM_REL_PRIMARY ? 0 : zm_rel_index_column_count(x);
    return strcmp(zm_rel_index_name(x), default_key_name(p, zm_rel_table_name(t), x, n, index_column, suffix)) == 0;
}

static void write_columns(pull *p, pmodel *m, const zm_ir_model *pm)
{
    const zm_rel_table *t = m->t;
    const zm_rel_index *pk = zm_rel_table_primary_key(t);
    for (size_t i = 0; i < zm_rel_table_column_count(t); i++) {
        const zm_rel_column *c = zm_rel_table_column_at(t, i);
        const char *db = zm_rel_column_name(c);
        const zm_ir_field *pf = prev_column(pm, db);
        char *name = name_for(p, db, pf ? zm_ir_field_name(pf) : NULL, "field", false);
        /* two columns may sanitize alike ("a b" and "a_b") */
        for (int n = 2; name && !pf && has_field(m, name); n++) name = fmt(p, "%s_%d", sanitize(p, db), n);
        const char *native = NULL, *type = zm_rel_column_zmodel_type(p->s, c, &native);
        const penum *e = NULL;
        const zm_rel_enum *re = zm_rel_column_enum(c);
        if (re) {
            e = enum_named(p, zm_rel_enum_name(re));
        } else {
            const char *const *values;
            size_t nv = zm_rel_column_enum_values(p->s, c, &values);
            if (nv) {
                /* MySQL: an enum per column, named table_column as Prisma names it */
                const char *db_enum = fmt(p, "%s_%s", zm_rel_table_name(t), db);
                const zm_ir_enum *pe = pf && zm_ir_field_kind_of(pf) == ZM_IR_FIELD_ENUM ? zm_ir_field_enum(pf)
                                                                                        : prev_enum(p, db_enum);
                e = add_enum(p, db_enum, pe, nv, values);
            }
        }
        /* SQLite keeps enums as TEXT: the previous schema's enum stays */
        if (!e && pf && zm_ir_field_kind_of(pf) == ZM_IR_FIELD_ENUM && type && strcmp(type, "String") == 0 &&
            !native) {
            const zm_ir_enum *pe = zm_ir_field_enum(pf);
            e = enum_named(p, zm_ir_enum_db_name(pe));
            if (!e) {
                size_t nv = zm_ir_enum_value_count(pe);
                const char **values = calloc(nv + 1, sizeof *values);
                if (values) {
                    keep(p, (char *)values);
                    for (size_t k = 0; k < nv; k++) values[k] = zm_ir_enum_value_db_name(zm_ir_enum_value_at(pe, k));
                    e = add_enum(p, zm_ir_enum_db_name(pe), pe, nv, values);
                }
            }
        }
        const char *zt;
        if (e) zt = e->name;
        else if (type) zt = type;
        else {
            /* Unsupported("type"), without the [] of a list */
            const char *raw = zm_rel_column_type(c);
            size_t n = strlen(raw);
            if (zm_rel_column_is_list(c) && n > 2 && strcmp(raw + n - 2, "[]") == 0) n -= 2;
            zm_buf u = ZM_BUF_INIT;
            zm_buf_puts(&u, "Unsupported(");
            char *inner = keep(p, strndup(raw, n));
            put_string(&u, inner ? inner : "");
            zm_buf_putc(&u, ')');
            zt = keep(p, u.data ? u.data : strdup(""));
        }
        bool in_pk = false;
        for (size_t k = 0; pk && k < zm_rel_index_column_count(pk); k++) in_pk = in_pk || strcmp(zm_rel_index_column_at(pk, k), db) == 0;
        char mod = zm_rel_column_is_list(c) ? '[' : zm_rel_column_is_nullable(c) && !in_pk ? '?' : 0;
        pfield *f = add_field(p, m, name, zt, mod);
        if (!f) return;
        f->inherited = pf && strcmp(zm_ir_field_origin(pf), zm_ir_model_name(pm)) != 0;
        if (pk && zm_rel_index_column_count(pk) == 1 && strcmp(zm_rel_index_column_at(pk, 0), db) == 0) {
            zm_buf_puts(&f->attrs, " @id");
            bool named = !default_index_name(p, t, pk, "_pkey");
            bool desc = zm_rel_index_sort_at(pk, 0) == ZM_REL_SORT_DESC;
            int len = zm_rel_index_length_at(pk, 0);
            if (named || desc || len) {
                zm_buf_putc(&f->attrs, '(');
                const char *sep = "";
                if (named) put_named(&f->attrs, "map: ", zm_rel_index_name(pk)), sep = ", ";
                if (len) zm_buf_printf(&f->attrs, "%slength: %d", sep, len), sep = ", ";
                if (desc) zm_buf_printf(&f->attrs, "%ssort: Desc", sep);
                zm_buf_putc(&f->attrs, ')');
            }
        }
        for (size_t k = 0; k < zm_rel_table_index_count(t); k++) {
            const zm_rel_index *x = zm_rel_table_index_at(t, k);
            if (zm_rel_index_kind_of(x) != ZM_REL_UNIQUE || !only_column(x, db)) continue;
            if (default_index_name(p, t, x, "_key")) zm_buf_puts(&f->attrs, " @unique");
            else {
                put_named(&f->attrs, " @unique(map: ", zm_rel_index_name(x));
                zm_buf_putc(&f->attrs, ')');
            }
            break;
        }
        put_default(p, f, c, e, e ? NULL : type);
        if (pf && zm_ir_field_is_updated_at(pf)) zm_buf_puts(&f->attrs, " @updatedAt");
        if (strcmp(name, db) != 0) {
            zm_buf_puts(&f->attrs, " @map(");
            put_string(&f->attrs, db);
            zm_buf_putc(&f->attrs, ')');
        }
        if (native) zm_buf_printf(&f->attrs, " @db.%s", native);
    }
}

/* ---- keys and indexes ---------------------------------------------------------------------------- */

static void put_index_columns(pull *p, zm_buf *b, const pmodel *m, const zm_rel_index *x)
{
    (void)p;
    zm_buf_putc(b, '[');
    for (size_t i = 0; i < zm_rel_index_column_count(x); i++) {
        if (i) zm_buf_puts(b, ", ");
        zm_buf_puts(b, field_of_column(m, zm_rel_index_column_at(x, i)));
        int len = zm_rel_index_length_at(x, i);
        bool desc = zm_rel_index_sort_at(x, i) == ZM_REL_SORT_DESC;
        const char *ops = zm_rel_index_opclass_at(x, i);
        if (!len && !desc && !ops) continue;
        const char *sep = "";
        zm_buf_putc(b, '(');
        if (len) zm_buf_printf(b, "length: %d", len), sep = ", ";
        if (desc) zm_buf_printf(b, "%ssort: Desc", sep), sep = ", ";
        if (ops) {
            zm_buf_puts(b, sep);
            put_named(b, "ops: raw(", ops);
            zm_buf_putc(b, ')');
        }
        zm_buf_putc(b, ')');
    }
    zm_buf_putc(b, ']');
}

static bool expression_index(const zm_rel_index *x)
{
    for (size_t i = 0; i < zm_rel_index_column_count(x); i++)
        if (!*zm_rel_index_column_at(x, i)) return true;
    return false;
}

static void write_index(pull *p, pmodel *m, const zm_rel_index *x)
{
    const zm_rel_table *t = m->t;
    zm_buf *b = &m->attrs;
    zm_rel_index_kind kind = zm_rel_index_kind_of(x);
    if (expression_index(x)) {
        zm_buf_puts(b, "  // The index \"");
        put_comment_name(b, zm_rel_index_name(x));
        zm_buf_puts(b, "\" is on an expression, which ZModel cannot describe.\n");
        return;
    }
    if (kind == ZM_REL_UNIQUE && zm_rel_index_column_count(x) == 1 && only_column(x, zm_rel_index_column_at(x, 0)))
        return;   /* @unique on the field */
    const char *what = kind == ZM_REL_UNIQUE ? "unique" : kind == ZM_REL_FULLTEXT ? "fulltext" : "index";
    const char *suffix = kind == ZM_REL_UNIQUE ? "_key" : "_idx";
    zm_buf_printf(b, "  @@%s(", what);
    put_index_columns(p, b, m, x);
    if (!default_index_name(p, t, x, suffix)) put_named(b, ", map: ", zm_rel_index_name(x));
    const char *method = zm_rel_index_method(x);
    if (method) {
        static const char *const names[][2] = {
            {"HASH", "Hash"}, {"GIN", "Gin"}, {"GIST", "Gist"}, {"SPGIST", "SpGist"}, {"BRIN", "Brin"}};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(method, names[i][0]) == 0) zm_buf_printf(b, ", type: %s", names[i][1]);
    }
    zm_buf_puts(b, ")\n");
}

static void write_indexes(pull *p, pmodel *m)
{
    const zm_rel_table *t = m->t;
    const zm_rel_index *pk = zm_rel_table_primary_key(t);
    zm_buf *b = &m->attrs;
    if (pk && zm_rel_index_column_count(pk) > 1) {
        zm_buf_puts(b, "  @@id(");
        put_index_columns(p, b, m, pk);
        if (!default_index_name(p, t, pk, "_pkey")) put_named(b, ", map: ", zm_rel_index_name(pk));
        zm_buf_puts(b, ")\n");
    }
    /* @@unique, then @@index and @@fulltext, as Prisma orders them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < zm_rel_table_index_count(t); k++) {
            const zm_rel_index *x = zm_rel_table_index_at(t, k);
            if ((zm_rel_index_kind_of(x) == ZM_REL_UNIQUE) == (pass == 0)) write_index(p, m, x);
        }
}

/* Has the table a unique identifier (a primary key, or a unique index on
   required columns)? Without one Prisma ignores the model. */
static bool has_identifier(const zm_rel_table *t)
{
    if (zm_rel_table_primary_key(t)) return true;
    for (size_t k = 0; k < zm_rel_table_index_count(t); k++) {
        const zm_rel_index *x = zm_rel_table_index_at(t, k);
        if (zm_rel_index_kind_of(x) != ZM_REL_UNIQUE || expression_index(x)) continue;
        bool required = true;
        for (size_t i = 0; i < zm_rel_index_column_count(x); i++) {
            const zm_rel_column *c = zm_rel_table_column_find(t, zm_rel_index_column_at(x, i));
            required = required && c && !zm_rel_column_is_nullable(c);
        }
        if (required) return true;
    }
    return false;
}

/* ---- relations ------------------------------------------------------------------------------------ */

/* The columns of a key are unique in their table (a one-to-one relation). */
static bool key_is_unique(const zm_rel_table *t, const zm_rel_fk *k)
{
    size_t n = zm_rel_fk_column_count(k);
    for (size_t x = 0; x <= zm_rel_table_index_count(t); x++) {
        const zm_rel_index *ix = x < zm_rel_table_index_count(t) ? zm_rel_table_index_at(t, x) : zm_rel_table_primary_key(t);
        if (!ix || zm_rel_index_kind_of(ix) == ZM_REL_INDEX || zm_rel_index_kind_of(ix) == ZM_REL_FULLTEXT ||
            zm_rel_index_column_count(ix) != n)
            continue;
        bool all = true;
        for (size_t i = 0; i < n && all; i++) {
            bool found = false;
            for (size_t j = 0; j < n && !found; j++)
                found = strcmp(zm_rel_fk_column_at(k, i), zm_rel_index_column_at(ix, j)) == 0;
            all = found;
        }
        if (all) return true;
    }
    return false;
}

static bool key_is_optional(const zm_rel_table *t, const zm_rel_fk *k)
{
    for (size_t i = 0; i < zm_rel_fk_column_count(k); i++) {
        const zm_rel_column *c = zm_rel_table_column_find(t, zm_rel_fk_column_at(k, i));
        if (c && zm_rel_column_is_nullable(c)) return true;
    }
    return false;
}

/* Relations between two models (either way), many-to-many ones included:
   more than one makes each ambiguous, so each gets a name. The pairs are
   counted once (count_pairs), sorted, and looked up. */
static int by_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    return p->a != q->a ? (p->a > q->a) - (p->a < q->a) : (p->b > q->b) - (p->b < q->b);
}

static pair make_pair(const pull *p, const pmodel *a, const pmodel *b)
{
    size_t x = (size_t)(a - p->models), y = (size_t)(b - p->models);
    return x <= y ? (pair){x, y} : (pair){y, x};
}

static void count_pairs(pull *p)
{
    size_t n = 0, cap = 64;
    pair *v = malloc(cap * sizeof *v);
    for (size_t i = 0; v && i < p->nmodels; i++) {
        pmodel *m = &p->models[i];
        size_t nk = m->join ? 1 : zm_rel_table_fk_count(m->t);
        for (size_t k = 0; k < nk; k++) {
            const pmodel *r = m->join ? NULL : m->refs[k];
            if (!m->join && (!r || r->join)) continue;
            if (n == cap) {
                pair *g = realloc(v, (cap *= 2) * sizeof *v);
                if (!g) break;
                v = g;
            }
            v[n++] = m->join ? make_pair(p, m->join_a, m->join_b) : make_pair(p, m, r);
        }
    }
    if (!v) p->oom = true;
    else qsort(v, n, sizeof *v, by_pair);
    p->pairs = v, p->npairs = n;
}

static size_t relations_between(const pull *p, const pmodel *a, const pmodel *b)
{
    pair key = make_pair(p, a, b);
    size_t lo = 0, hi = p->npairs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (by_pair(&p->pairs[mid], &key) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t n = 0;
    while (lo + n < p->npairs && by_pair(&p->pairs[lo + n], &key) == 0) n++;
    return n;
}

/* A field name not yet taken in m: `want`, else want_<relation>. */
static char *free_name(pull *p, const pmodel *m, const char *want, const char *relation)
{
    if (!has_field(m, want)) return dup(p, want);
    char *alt = fmt(p, "%s_%s", want, relation ? relation : "relation");
    for (int i = 2; alt && has_field(m, alt); i++) alt = fmt(p, "%s_%s%d", want, relation ? relation : "relation", i);
    return alt;
}

/* The previous schema's relation field of model `pm` over the key columns. */
static const zm_ir_field *prev_relation(const zm_ir_model *pm, const zm_rel_table *t, const zm_rel_fk *k, bool owner)
{
    for (size_t i = 0; pm && i < zm_ir_model_field_count(pm); i++) {
        const zm_ir_field *f = zm_ir_model_field_at(pm, i);
        if (zm_ir_field_kind_of(f) != ZM_IR_FIELD_RELATION) continue;
        const zm_ir_relation *r = zm_ir_field_relation(f);
        const zm_ir_field *own = r ? zm_ir_relation_owner(r) : NULL;
        if (!own || zm_ir_relation_key_count(r) != zm_rel_fk_column_count(k)) continue;
        if ((own == f) != owner) continue;
        if (strcmp(zm_ir_model_db_name(zm_ir_field_model(own)), zm_rel_table_name(t)) != 0) continue;
        bool same = true;
        for (size_t c = 0; c < zm_rel_fk_column_count(k) && same; c++)
            same = strcmp(zm_ir_field_db_name(zm_ir_relation_field_at(r, c)), zm_rel_fk_column_at(k, c)) == 0;
        if (same) return f;
    }
    return NULL;
}

/* The key from a concrete model's table to its delegate base's (the
   previous schema's @@delegate): the schema says it with `extends`, not
   with relation fields. */
static bool delegate_link(const pmodel *m, const pmodel *r)
{
    return m->prev && r && r->prev && zm_ir_model_base(m->prev) == r->prev;
}

/* The name of the relation over key k of `owner` to `r`: the previous
   schema's, else "T_colsToR" when the two models have more than one
   relation (*ambiguous), "TToT" for a key to its own table, else none. */
static const char *relation_name(pull *p, const pmodel *owner, const pmodel *r, const zm_rel_fk *k, bool *ambiguous)
{
    *ambiguous = relations_between(p, owner, r) > 1;
    const zm_ir_field *pf = prev_relation(owner->prev, owner->t, k, true);
    if (pf && zm_ir_relation_name(zm_ir_field_relation(pf))) return zm_ir_relation_name(zm_ir_field_relation(pf));
    if (*ambiguous) {
        zm_buf n = ZM_BUF_INIT;
        zm_buf_puts(&n, owner->name);
        for (size_t i = 0; i < zm_rel_fk_column_count(k); i++) zm_buf_printf(&n, "_%s", zm_rel_fk_column_at(k, i));
        zm_buf_printf(&n, "To%s", r->name);
        return keep(p, n.data ? n.data : strdup(""));
    }
    return r == owner ? fmt(p, "%sTo%s", owner->name, owner->name) : NULL;
}

static void write_relation(pull *p, pmodel *m, const zm_rel_fk *k, pmodel_ref target)
{
    const zm_rel_table *t = m->t;
    pmodel *r = (pmodel *)target;
    if (!r || r->join) return;
    bool ambiguous;
    const char *relname = relation_name(p, m, r, k, &ambiguous);
    const zm_ir_field *pf = prev_relation(m->prev, t, k, true);

    /* the side holding the key */
    const char *fwd = pf ? zm_ir_field_name(pf)
                         : free_name(p, m, ambiguous ? fmt(p, "%s_%s", r->name, relname) : r->name, relname);
    bool optional = key_is_optional(t, k);
    pfield *f = add_field(p, m, (char *)fwd, r->name, optional ? '?' : 0);
    if (!f) return;
    f->from_change = m->changed;
    zm_buf *b = &f->attrs;
    zm_buf_puts(b, " @relation(");
    if (relname) {
        put_string(b, relname);
        zm_buf_puts(b, ", ");
    }
    zm_buf_puts(b, "fields: [");
    for (size_t i = 0; i < zm_rel_fk_column_count(k); i++)
        zm_buf_printf(b, "%s%s", i ? ", " : "", field_of_column(m, zm_rel_fk_column_at(k, i)));
    zm_buf_puts(b, "], references: [");
    for (size_t i = 0; i < zm_rel_fk_column_count(k); i++)
        zm_buf_printf(b, "%s%s", i ? ", " : "", field_of_column(r, zm_rel_fk_ref_column_at(k, i)));
    zm_buf_putc(b, ']');
    zm_rel_action del = zm_rel_fk_on_delete(k), upd = zm_rel_fk_on_update(k);
    if (del != (optional ? ZM_REL_SET_NULL : ZM_REL_RESTRICT)) zm_buf_printf(b, ", onDelete: %s", action_name(del));
    if (upd != ZM_REL_CASCADE) zm_buf_printf(b, ", onUpdate: %s", action_name(upd));
    const char *dflt = default_key_name(p, zm_rel_table_name(t), k, zm_rel_fk_column_count(k), fk_column, "_fkey");
    if (strcmp(zm_rel_fk_name(k), dflt) != 0) put_named(b, ", map: ", zm_rel_fk_name(k));
    zm_buf_putc(b, ')');
}

static void write_back_relation(pull *p, pmodel *owner, const zm_rel_fk *k, pmodel_ref target)
{
    pmodel *r = (pmodel *)target;
    if (!r || r->join) return;
    bool self = r == owner, ambiguous;
    const char *relname = relation_name(p, owner, r, k, &ambiguous);
    const zm_ir_field *pb = prev_relation(r->prev, owner->t, k, false);
    const char *want = self ? (relname && ambiguous ? fmt(p, "other_%s_%s", r->name, relname) : fmt(p, "other_%s", r->name))
                            : relname ? fmt(p, "%s_%s", owner->name, relname) : owner->name;
    const char *name = pb ? zm_ir_field_name(pb) : free_name(p, r, want, relname);
    bool one = key_is_unique(owner->t, k);
    pfield *f = add_field(p, r, (char *)name, owner->name, one ? '?' : '[');
    if (!f) return;
    f->from_change = owner->changed;
    if (relname) {
        zm_buf_puts(&f->attrs, " @relation(");
        put_string(&f->attrs, relname);
        zm_buf_putc(&f->attrs, ')');
    }
}

/* `_XToY`: columns A and B, keys to X and Y, unique together. */
static bool is_join_table(pull *p, pmodel *m)
{
    const zm_rel_table *t = m->t;
    const char *name = zm_rel_table_name(t);
    if (name[0] != '_' || zm_rel_table_column_count(t) != 2 || zm_rel_table_fk_count(t) != 2) return false;
    if (strcmp(zm_rel_column_name(zm_rel_table_column_at(t, 0)), "A") != 0 ||
        strcmp(zm_rel_column_name(zm_rel_table_column_at(t, 1)), "B") != 0)
        return false;
    const pmodel *a = NULL, *b = NULL;
    for (size_t k = 0; k < 2; k++) {
        const zm_rel_fk *fk = zm_rel_table_fk_at(t, k);
        if (zm_rel_fk_column_count(fk) != 1) return false;
        const pmodel *r = model_of_table(p, zm_rel_fk_ref_namespace(fk), zm_rel_fk_ref_table(fk));
        if (!r || r == m) return false;
        if (strcmp(zm_rel_fk_column_at(fk, 0), "A") == 0) a = r;
        else if (strcmp(zm_rel_fk_column_at(fk, 0), "B") == 0) b = r;
    }
    if (!a || !b || strcmp(a->name, b->name) > 0) return false;
    bool unique = false;
    for (size_t x = 0; x <= zm_rel_table_index_count(t) && !unique; x++) {
        const zm_rel_index *ix = x < zm_rel_table_index_count(t) ? zm_rel_table_index_at(t, x) : zm_rel_table_primary_key(t);
        unique = ix && zm_rel_index_kind_of(ix) != ZM_REL_INDEX && zm_rel_index_column_count(ix) == 2 &&
                 strcmp(zm_rel_index_column_at(ix, 0), "A") == 0 && strcmp(zm_rel_index_column_at(ix, 1), "B") == 0;
    }
    if (!unique) return false;
    m->join = true;
    m->join_a = a, m->join_b = b;
    m->join_name = name + 1;
    return true;
}

/* The previous schema's many-to-many field of `a` to `b` over join table
   `name` (its relation's name, or A"To"B when it has none). */
static const zm_ir_field *prev_many_to_many(const pmodel *a, const pmodel *b, const char *name, const char *dflt)
{
    for (size_t i = 0; a->prev && b->prev && i < zm_ir_model_field_count(a->prev); i++) {
        const zm_ir_field *f = zm_ir_model_field_at(a->prev, i);
        const zm_ir_relation *r = zm_ir_field_kind_of(f) == ZM_IR_FIELD_RELATION ? zm_ir_field_relation(f) : NULL;
        if (!r || zm_ir_relation_kind_of(r) != ZM_IR_MANY_TO_MANY || zm_ir_field_target(f) != b->prev) continue;
        const char *rn = zm_ir_relation_name(r);
        if (strcmp(rn ? rn : dflt, name) == 0) return f;
    }
    return NULL;
}

static void write_many_to_many(pull *p, const pmodel *j)
{
    pmodel *a = (pmodel *)j->join_a, *b = (pmodel *)j->join_b;
    const char *dflt = fmt(p, "%sTo%s", a->name, b->name);
    bool ambiguous = relations_between(p, a, b) > 1;
    bool named = !dflt || strcmp(j->join_name, dflt) != 0 || ambiguous;
    const zm_ir_field *pa = a == b ? NULL : prev_many_to_many(a, b, j->join_name, dflt ? dflt : "");
    const zm_ir_field *pb = pa ? zm_ir_relation_opposite(zm_ir_field_relation(pa), pa) : NULL;
    if (pa) named = zm_ir_relation_name(zm_ir_field_relation(pa)) != NULL;
    for (int side = 0; side < 2; side++) {
        pmodel *m = side ? b : a, *other = side ? a : b;
        const zm_ir_field *pf = side ? pb : pa;
        const char *want = a == b ? fmt(p, "%s_%c", other->name, side ? 'B' : 'A')
                           : ambiguous ? fmt(p, "%s_%s", other->name, j->join_name) : other->name;
        pfield *f = add_field(p, m, pf ? dup(p, zm_ir_field_name(pf)) : free_name(p, m, want, j->join_name),
                              other->name, '[');
        if (f) f->from_change = j->changed;
        if (f && named) {
            zm_buf_puts(&f->attrs, " @relation(");
            put_string(&f->attrs, j->join_name);
            zm_buf_putc(&f->attrs, ')');
        }
    }
}

/* ---- writing ------------------------------------------------------------------------------------------ */

static int by_table_name(const void *a, const void *b)
{
    const pmodel *x = a, *y = b;
    int c = strcmp(zm_rel_table_name(x->t), zm_rel_table_name(y->t));
    if (c) return c;
    const char *nx = zm_rel_table_namespace(x->t), *ny = zm_rel_table_namespace(y->t);
    return strcmp(nx ? nx : "", ny ? ny : "");
}

/* The `///` lines of what the table has that the schema cannot say. */
static void print_notes(const pull *p, const pmodel *m, zm_buf *out)
{
    for (size_t i = 0; i < zm_rel_note_count(p->s); i++) {
        const char *table, *name, *kind = zm_rel_note_at(p->s, i, &table, &name);
        if (!table || strcmp(table, zm_rel_table_name(m->t)) != 0) continue;
        /* "a trigger", "an exclusion constraint", "row level security" */
        const char *article = strcmp(kind, "row level security") == 0 || strcmp(kind, "storage parameters") == 0 ? ""
                              : kind[0] == 'e' ? "an " : "a ";
        zm_buf_printf(out, "/// This table has %s%s", article, kind);
        if (*name) {
            zm_buf_puts(out, " \"");
            put_comment_name(out, name);
            zm_buf_putc(out, '"');
        }
        zm_buf_puts(out, ", which ZModel cannot describe: migrations must create it themselves.\n");
    }
}

/* An unchanged model: its name and the relation fields new keys give it. */
static void print_kept_model(const pmodel *m, zm_buf *out)
{
    zm_buf_printf(out, "model %s {\n", m->name);
    for (size_t i = 0; i < m->nfields; i++) {
        const pfield *f = &m->fields[i];
        if (f->from_change && !f->inherited)
            zm_buf_printf(out, "  %s %s%s%s\n", f->name, f->type, f->mod == '[' ? "[]" : f->mod == '?' ? "?" : "",
                          f->attrs.data ? f->attrs.data : "");
    }
    zm_buf_puts(out, "}\n\n");
}

static void print_model(const pull *p, const pmodel *m, zm_buf *out)
{
    if (m->keep) {
        print_kept_model(m, out);
        return;
    }
    print_notes(p, m, out);
    if (m->ignored)
        zm_buf_puts(out, "/// The underlying table does not contain a valid unique identifier and can therefore "
                         "currently not be handled by Prisma Client.\n");
    zm_buf_printf(out, "model %s {\n", m->name);
    for (size_t i = 0; i < m->nfields; i++) {
        const pfield *f = &m->fields[i];
        if (f->inherited) continue;
        zm_buf_printf(out, "  %s %s%s%s\n", f->name, f->type, f->mod == '[' ? "[]" : f->mod == '?' ? "?" : "",
                      f->attrs.data ? f->attrs.data : "");
    }
    bool map = strcmp(m->name, zm_rel_table_name(m->t)) != 0;
    const char *ns = zm_rel_table_namespace(m->t);
    if (m->attrs.len || map || m->ignored || ns) zm_buf_putc(out, '\n');
    if (m->attrs.len) zm_buf_puts(out, m->attrs.data);
    if (map) {
        zm_buf_puts(out, "  @@map(");
        put_string(out, zm_rel_table_name(m->t));
        zm_buf_puts(out, ")\n");
    }
    if (m->ignored) zm_buf_puts(out, "  @@ignore\n");
    if (ns) {
        put_named(out, "  @@schema(", ns);
        zm_buf_puts(out, ")\n");
    }
    zm_buf_puts(out, "}\n\n");
}

static void print_enum(const penum *e, const zm_rel_enum *re, zm_buf *out)
{
    zm_buf_printf(out, "enum %s {\n", e->name);
    for (size_t i = 0; i < e->nvalues; i++) {
        zm_buf_printf(out, "  %s", e->value_names[i]);
        if (strcmp(e->value_names[i], e->values[i]) != 0) {
            zm_buf_puts(out, " @map(");
            put_string(out, e->values[i]);
            zm_buf_putc(out, ')');
        }
        zm_buf_putc(out, '\n');
    }
    bool map = strcmp(e->name, e->db) != 0;
    const char *ns = re ? zm_rel_enum_namespace(re) : NULL;
    if (map || ns) zm_buf_putc(out, '\n');
    if (map) {
        zm_buf_puts(out, "  @@map(");
        put_string(out, e->db);
        zm_buf_puts(out, ")\n");
    }
    if (ns) {
        put_named(out, "  @@schema(", ns);
        zm_buf_puts(out, ")\n");
    }
    zm_buf_puts(out, "}\n\n");
}

static int by_enum_name(const void *a, const void *b)
{
    return strcmp(((const penum *)a)->db, ((const penum *)b)->db);
}

/* Has a model before the i-th that name? */
static bool model_named(const pull *p, size_t i, const char *name)
{
    for (size_t k = 0; k < i; k++)
        if (p->models[k].name && strcmp(p->models[k].name, name) == 0) return true;
    return false;
}

/* Is the table one a step of the diff touches? */
static bool touched(const zm_rel_diff *d, const char *table)
{
    for (size_t i = 0; i < zm_rel_diff_step_count(d); i++) {
        const char *t = zm_rel_diff_step_table(d, i);
        if (t && strcmp(t, table) == 0) return true;
    }
    return false;
}

int zm_pull_write(const zm_rel_schema *s, const zm_ir *prev, const zm_rel_diff *changes, zm_buf *out,
                  zm_buf *kept_models, zm_pull_stats *stats)
{
    pull p = {.s = s, .prev = prev};
    size_t nt = zm_rel_table_count(s);
    p.models = calloc(nt + 1, sizeof *p.models);
    if (!p.models) return -1;
    p.nmodels = nt;
    for (size_t i = 0; i < nt; i++) {
        pmodel *m = &p.models[i];
        m->t = zm_rel_table_at(s, i);
        m->attrs = (zm_buf)ZM_BUF_INIT;
    }
    qsort(p.models, nt, sizeof *p.models, by_table_name);
    for (size_t i = 0; i < nt; i++) {
        pmodel *m = &p.models[i];
        m->prev = prev_model(&p, m->t);
        m->name = name_for(&p, zm_rel_table_name(m->t), m->prev ? zm_ir_model_name(m->prev) : NULL, "model", true);
        /* two tables may sanitize alike ("a b" and "a_b") */
        for (int n = 2; m->name && !m->prev && model_named(&p, i, m->name); n++)
            m->name = fmt(&p, "%s_%d", sanitize(&p, zm_rel_table_name(m->t)), n);
        size_t nk = zm_rel_table_fk_count(m->t);
        pmodel_ref *refs = calloc(nk + 1, sizeof *refs);
        if (!refs) {
            p.oom = true;
            continue;
        }
        keep(&p, (char *)refs);
        m->refs = refs;
    }
    for (size_t i = 0; i < nt && !p.oom; i++)
        for (size_t k = 0; k < zm_rel_table_fk_count(p.models[i].t); k++) {
            const zm_rel_fk *fk = zm_rel_table_fk_at(p.models[i].t, k);
            ((pmodel_ref *)p.models[i].refs)[k] = model_of_table(&p, zm_rel_fk_ref_namespace(fk), zm_rel_fk_ref_table(fk));
        }
    for (size_t i = 0; i < zm_rel_enum_count(s); i++) {
        const zm_rel_enum *re = zm_rel_enum_at(s, i);
        size_t n = zm_rel_enum_value_count(re);
        const char **values = calloc(n + 1, sizeof *values);
        if (!values) {
            p.oom = true;
            break;
        }
        keep(&p, (char *)values);
        for (size_t k = 0; k < n; k++) values[k] = zm_rel_enum_value_at(re, k);
        add_enum(&p, zm_rel_enum_name(re), prev_enum(&p, zm_rel_enum_name(re)), n, values);
    }
    for (size_t i = 0; i < nt && !p.oom; i++) is_join_table(&p, &p.models[i]);
    for (size_t i = 0; i < nt; i++) {
        pmodel *m = &p.models[i];
        m->changed = !changes || (!m->prev && !m->join) || touched(changes, zm_rel_table_name(m->t));
        m->keep = changes && m->prev && !m->changed;
        if (m->keep && kept_models) zm_buf_printf(kept_models, "%s\n", m->name);
    }
    if (!p.oom) count_pairs(&p);
    for (size_t i = 0; i < nt && !p.oom; i++) {
        pmodel *m = &p.models[i];
        if (m->join) continue;
        write_columns(&p, m, m->prev);
        write_indexes(&p, m);
        m->ignored = !has_identifier(m->t);
    }
    /* relation fields in Prisma's order: the keys of every table in name
       order, each giving its model the forward field and the referenced
       model the back field (so each model gets its fields in that order);
       many-to-many relations last */
    for (size_t o = 0; o < nt && !p.oom; o++) {
        pmodel *owner = &p.models[o];
        if (owner->join) continue;
        for (size_t k = 0; k < zm_rel_table_fk_count(owner->t); k++) {
            const zm_rel_fk *fk = zm_rel_table_fk_at(owner->t, k);
            if (delegate_link(owner, owner->refs[k])) continue;
            write_relation(&p, owner, fk, owner->refs[k]);
            write_back_relation(&p, owner, fk, owner->refs[k]);
        }
    }
    for (size_t i = 0; i < nt && !p.oom; i++)
        if (p.models[i].join) write_many_to_many(&p, &p.models[i]);

    size_t models = 0;
    for (size_t i = 0; i < nt; i++) {
        if (p.models[i].join) continue;
        print_model(&p, &p.models[i], out);
        models++;
        if (p.models[i].ignored && stats) stats->ignored++;
    }
    if (p.nenums) qsort(p.enums, p.nenums, sizeof *p.enums, by_enum_name);
    for (size_t i = 0; i < p.nenums; i++) {
        const zm_rel_enum *re = NULL;
        for (size_t k = 0; k < zm_rel_enum_count(s) && !re; k++)
            if (strcmp(zm_rel_enum_name(zm_rel_enum_at(s, k)), p.enums[i].db) == 0) re = zm_rel_enum_at(s, k);
        print_enum(&p.enums[i], re, out);
    }
    for (size_t i = 0; i < zm_rel_note_count(s); i++) {
        const char *table, *name, *kind = zm_rel_note_at(s, i, &table, &name);
        if (table) continue;
        zm_buf_printf(out, "// The database has a %s \"", kind);
        put_comment_name(out, name);
        zm_buf_puts(out, "\", which db pull does not describe.\n");
    }
    if (stats) stats->models = models, stats->enums = p.nenums;
    for (size_t i = 0; i < nt; i++) {
        for (size_t k = 0; k < p.models[i].nfields; k++) zm_buf_free(&p.models[i].fields[k].attrs);
        free(p.models[i].fields);
        zm_buf_free(&p.models[i].attrs);
    }
    free(p.models);
    free(p.enums);
    free(p.pairs);
    for (size_t i = 0; i < p.nstrings; i++) free(p.strings[i]);
    free(p.strings);
    return p.oom ? -1 : 0;
}
