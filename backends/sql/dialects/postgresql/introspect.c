/*
** introspect.c — a PostgreSQL database read back into a
** relational schema from pg_catalog: one query each for tables, columns,
** indexes, foreign keys, enums and extensions over the namespaces asked for.
**
** Types are mapped back from format_type() to the spelling Prisma writes
** ("character varying(255)" → "VARCHAR(255)", "numeric(65,30)" →
** "DECIMAL(65,30)", "timestamp(3) without time zone" → "TIMESTAMP(3)");
** an integer column whose default is nextval() of the sequence it owns is
** SERIAL (BIGSERIAL, SMALLSERIAL) without a default, as Prisma created it.
** Defaults come from pg_get_expr(): a literal and its casts become the
** lowering's kind and value, ARRAY[...] a list, anything else an
** expression.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgresql.h"

/* The namespaces as one text[] parameter: {"a","b"}. */
static const char *namespace_array(sql_intro *in)
{
    sql_sb b = {0};
    sb_addc(&b, '{');
    for (size_t i = 0; i < in->namespace_count; i++) {
        if (i) sb_addc(&b, ',');
        sb_addc(&b, '"');
        for (const char *p = in->namespaces[i]; *p; p++) {
            if (*p == '"' || *p == '\\') sb_addc(&b, '\\');
            sb_addc(&b, *p);
        }
        sb_addc(&b, '"');
    }
    sb_addc(&b, '}');
    return sb_keep(in->a, &b);
}

static bool is_true(const char *s) { return s && (strcmp(s, "t") == 0 || strcmp(s, "true") == 0); }

/* ---- types ------------------------------------------------------------------------------- */

/* format_type() of a built-in type → Prisma's spelling; others as given. */
static const char *prisma_type(sql_intro *in, const char *t)
{
    static const char *const plain[][2] = {
        {"text", "TEXT"},         {"integer", "INTEGER"},       {"bigint", "BIGINT"},
        {"smallint", "SMALLINT"}, {"double precision", "DOUBLE PRECISION"}, {"real", "REAL"},
        {"boolean", "BOOLEAN"},   {"date", "DATE"},             {"uuid", "UUID"},
        {"xml", "XML"},           {"inet", "INET"},             {"citext", "CITEXT"},
        {"oid", "OID"},           {"money", "MONEY"},           {"json", "JSON"},
        {"jsonb", "JSONB"},       {"bytea", "BYTEA"},           {"numeric", "DECIMAL"},
        {"character varying", "VARCHAR"}, {"bit varying", "VARBIT"}, {"character", "CHAR"},
        {"bit", "BIT"},
        {"timestamp without time zone", "TIMESTAMP"}, {"timestamp with time zone", "TIMESTAMPTZ"},
        {"time without time zone", "TIME"},           {"time with time zone", "TIMETZ"},
    };
    /* an extension's type outside the search path comes qualified: public.citext */
    const char *dot = strrchr(t, '.');
    if (dot && !strchr(t, '"') && !strchr(t, '(')) t = dot + 1;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        const char *name = plain[i][0];
        size_t n = strlen(name);
        if (strcmp(t, name) == 0) return plain[i][1];
        /* "numeric(65,30)", "character varying(255)" */
        if (strncmp(t, name, n) == 0 && t[n] == '(' && strchr(t + n, ')') && strchr(t + n, ')')[1] == '\0') {
            char buf[128];
            snprintf(buf, sizeof buf, "%s%s", plain[i][1], t + n);
            return sql_strdup(in->a, buf);
        }
    }
    /* "timestamp(3) without time zone" → TIMESTAMP(3) */
    static const char *const zoned[][3] = {
        {"timestamp(", " without time zone", "TIMESTAMP"}, {"timestamp(", " with time zone", "TIMESTAMPTZ"},
        {"time(", " without time zone", "TIME"},           {"time(", " with time zone", "TIMETZ"},
    };
    for (size_t i = 0; i < sizeof zoned / sizeof zoned[0]; i++) {
        const char *close = strchr(t, ')');
        if (sql_starts(t, zoned[i][0]) && close && strcmp(close + 1, zoned[i][1]) == 0) {
            char buf[128];
            snprintf(buf, sizeof buf, "%s(%.*s)", zoned[i][2], (int)(close - t - strlen(zoned[i][0])),
                     t + strlen(zoned[i][0]));
            return sql_strdup(in->a, buf);
        }
    }
    return t;
}

static const char *serial_of(const char *type)
{
    if (strcmp(type, "INTEGER") == 0) return "SERIAL";
    if (strcmp(type, "BIGINT") == 0) return "BIGSERIAL";
    if (strcmp(type, "SMALLINT") == 0) return "SMALLSERIAL";
    return NULL;
}

static const zm_rel_enum *find_enum(sql_intro *in, const char *ns, const char *name)
{
    for (size_t i = 0; i < in->s->enums.count; i++) {
        const zm_rel_enum *e = in->s->enums.items[i];
        if (strcmp(e->name, name) == 0 && (!e->namespace_ || !ns || strcmp(e->namespace_, ns) == 0)) return e;
    }
    return NULL;
}

/* ---- defaults -------------------------------------------------------------------------------- */

/* Skip `::type` casts (type names may hold blanks, quotes, parentheses and []). */
static const char *skip_casts(const char *p)
{
    while (p[0] == ':' && p[1] == ':') {
        p += 2;
        bool quoted = false;
        int depth = 0;
        for (; *p; p++) {
            if (*p == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (*p == '(' || *p == '[') depth++;
            else if ((*p == ')' || *p == ']') && depth > 0) depth--;
            else if (depth == 0 && (*p == ',' || *p == ')' || *p == ']' || (*p == ':' && p[1] == ':'))) break;
        }
    }
    return p;
}

typedef enum value_class { VALUE_TEXT, VALUE_NUMBER, VALUE_JSON, VALUE_DATETIME, VALUE_BYTES } value_class;

static value_class class_of(const char *base)
{
    if (strcmp(base, "JSON") == 0 || strcmp(base, "JSONB") == 0) return VALUE_JSON;
    if (strcmp(base, "BYTEA") == 0) return VALUE_BYTES;
    if (sql_starts(base, "TIMESTAMP") || sql_starts(base, "DATE") || sql_starts(base, "TIME")) return VALUE_DATETIME;
    if (sql_starts(base, "INTEGER") || sql_starts(base, "BIGINT") || sql_starts(base, "SMALLINT") || sql_starts(base, "DECIMAL") ||
        sql_starts(base, "DOUBLE PRECISION") || sql_starts(base, "REAL") || sql_starts(base, "OID") || sql_starts(base, "MONEY"))
        return VALUE_NUMBER;
    return VALUE_TEXT;
}

/* A timestamp as PostgreSQL prints it → as the lowering writes Prisma's
   value: "2000-01-01 00:00:00 +00:00". A timestamp without time zone and a
   date are kept in UTC (the offset is added); "+00" becomes " +00:00". */
static const char *datetime_value(sql_intro *in, const char *base, const char *lit)
{
    sql_sb v = {0};
    size_t n = strlen(lit);
    if (strcmp(base, "DATE") == 0 && n == 10) {
        sb_add(&v, lit);
        sb_add(&v, " 00:00:00 +00:00");
    } else if (strcmp(base, "TIMESTAMP") == 0 || sql_starts(base, "TIMESTAMP(")) {
        sb_add(&v, lit);
        sb_add(&v, " +00:00");
    } else if (sql_starts(base, "TIMESTAMPTZ") && n > 3 && (lit[n - 3] == '+' || lit[n - 3] == '-') &&
               lit[n - 4] != ' ') {
        sb_addn(&v, lit, n - 3);
        sb_addc(&v, ' ');
        sb_add(&v, lit + n - 3);
        sb_add(&v, ":00");
    } else if (sql_starts(base, "TIMESTAMPTZ") && n > 6 && (lit[n - 6] == '+' || lit[n - 6] == '-') &&
               lit[n - 7] != ' ') {
        sb_addn(&v, lit, n - 6);
        sb_addc(&v, ' ');
        sb_add(&v, lit + n - 6);
    } else {
        return lit;
    }
    return sb_keep(in->a, &v);
}

/* One scalar at *p (a literal with casts, a number, true/false): its kind,
   value and SQL as the lowering writes them. False if it is none. */
static bool scalar_at(sql_intro *in, const char **p, const char *base, bool is_enum, zm_rel_default_kind *kind,
                      const char **value, sql_sb *sql)
{
    const char *s = *p;
    if (*s == '(') {
        /* array elements come back as (1.5)::double precision, ('-2'::integer)::... */
        s++;
        if (!scalar_at(in, &s, base, is_enum, kind, value, sql) || *s != ')') return false;
        *p = skip_casts(s + 1);
        return true;
    }
    const char *lit = sql_intro_literal(in, &s);
    if (lit) {
        s = skip_casts(s);
        value_class vc = class_of(base);
        if (is_enum) *kind = ZM_REL_DEFAULT_ENUM;
        else if (vc == VALUE_JSON) *kind = ZM_REL_DEFAULT_JSON;
        else if (vc == VALUE_BYTES) *kind = ZM_REL_DEFAULT_BYTES;
        else if (vc == VALUE_DATETIME) *kind = ZM_REL_DEFAULT_DATETIME;
        else if (vc == VALUE_NUMBER && sql_intro_is_number(lit)) *kind = ZM_REL_DEFAULT_NUMBER;
        else *kind = ZM_REL_DEFAULT_STRING;
        if (*kind == ZM_REL_DEFAULT_DATETIME) lit = datetime_value(in, base, lit);
        *value = lit;
        if (*kind == ZM_REL_DEFAULT_NUMBER) sb_add(sql, lit);
        else sql_quote_literal(sql, &sql_flavor_postgresql, lit);
        *p = s;
        return true;
    }
    size_t n = 0;
    while (s[n] && s[n] != ',' && s[n] != ']' && s[n] != ')' && !(s[n] == ':' && s[n + 1] == ':')) n++;
    char *word = sql_strndup(in->a, s, n);
    if (strcmp(word, "true") == 0 || strcmp(word, "false") == 0) *kind = ZM_REL_DEFAULT_BOOL;
    else if (sql_intro_is_number(word)) *kind = ZM_REL_DEFAULT_NUMBER;
    else return false;
    *value = word;
    sb_add(sql, word);
    *p = skip_casts(s + n);
    return true;
}

static void read_default(sql_intro *in, zm_rel_column *c, const char *expr, const char *base, bool is_enum)
{
    if (!expr) return;
    sql_sb sql = {0};
    const char *p = expr, *value = NULL;
    zm_rel_default_kind kind = ZM_REL_DEFAULT_NONE;
    bool ok = false;
    if (strcmp(expr, "CURRENT_TIMESTAMP") == 0 || strcmp(expr, "now()") == 0) {
        /* Prisma writes now() as CURRENT_TIMESTAMP; PostgreSQL keeps either */
        kind = ZM_REL_DEFAULT_NOW;
        sb_add(&sql, "CURRENT_TIMESTAMP");
        ok = strcmp(expr, "CURRENT_TIMESTAMP") == 0;
        p = expr + strlen(expr);
    } else if (c->list && (sql_starts(expr, "ARRAY[") || sql_starts(expr, "'{}'"))) {
        /* ARRAY['a'::text, 'b'::text] or '{}'::text[] → ARRAY['a', 'b']::TEXT[] */
        kind = ZM_REL_DEFAULT_LIST;
        ok = true;
        sb_add(&sql, "ARRAY[");
        if (sql_starts(expr, "'{}'")) {
            p = skip_casts(expr + 4);
        } else {
            p = expr + 6;
            for (size_t i = 0; ok && *p != ']'; i++) {
                if (i) {
                    ok = p[0] == ',' && p[1] == ' ';
                    p += 2;
                    sb_add(&sql, ", ");
                }
                zm_rel_default_kind k;
                const char *v = NULL;
                ok = ok && scalar_at(in, &p, base, is_enum, &k, &v, &sql);
                if (ok) {
                    c->default_item_kind = k;
                    sql_vec_push(in->a, &c->default_items, (void *)v);
                }
            }
            if (ok) p = skip_casts(p + 1);
        }
        sb_add(&sql, "]::");
        sb_add(&sql, base);
        sb_add(&sql, "[]");
    } else {
        /* numbers PostgreSQL could not keep bare come back as '-1'::integer, (-1) */
        ok = scalar_at(in, &p, base, is_enum, &kind, &value, &sql);
    }
    if (!ok || *p != '\0') {
        free(sql.s);
        sql = (sql_sb){0};
        kind = ZM_REL_DEFAULT_EXPRESSION;
        value = expr;
        sb_add(&sql, expr);
        c->default_items = (sql_vec){0};
    }
    c->default_kind = kind;
    c->default_value = value;
    c->default_sql = sb_keep(in->a, &sql);
}

/* ---- catalog queries --------------------------------------------------------------------------- */

static zm_rel_table *table_of(sql_intro *in, const char *const *oids, const char *oid)
{
    /* tables were read in oid order is not guaranteed: a linear search keyed by oid text */
    for (size_t i = 0; i < in->s->tables.count; i++)
        if (strcmp(oids[i], oid) == 0) return in->s->tables.items[i];
    return NULL;
}

static void read_enums(sql_intro *in, const char *nsp)
{
    sql_rows r = sql_intro_query(in,
        "SELECT n.nspname, t.typname, e.enumlabel FROM pg_catalog.pg_type t "
        "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
        "WHERE n.nspname = ANY ($1::text[]) ORDER BY n.nspname, t.typname, e.enumsortorder", 1, &nsp);
    zm_rel_enum *e = NULL;
    const char *ens = NULL;
    for (size_t i = 0; i < r.nrows; i++) {
        const char *ns = SQL_CELL(r, i, 0), *name = SQL_CELL(r, i, 1);
        if (!e || strcmp(e->name, name) != 0 || strcmp(ens, ns) != 0) {
            e = sql_intro_enum(in, ns, name);
            ens = ns;
        }
        sql_vec_push(in->a, &e->values, (void *)SQL_CELL(r, i, 2));
    }
}

static void read_extensions(sql_intro *in)
{
    sql_rows r = sql_intro_query(in,
        "SELECT x.extname, n.nspname FROM pg_catalog.pg_extension x "
        "JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace "
        "WHERE x.extname <> 'plpgsql' ORDER BY x.extname", 0, NULL);
    for (size_t i = 0; i < r.nrows; i++) {
        zm_rel_extension *x = sql_alloc(in->a, sizeof *x);
        x->name = SQL_CELL(r, i, 0);
        /* the schema it was created in, when not the connection's own */
        const char *ns = SQL_CELL(r, i, 1);
        if (ns && strcmp(ns, in->namespaces[0]) != 0) x->namespace_ = ns;
        sql_vec_push(in->a, &in->s->extensions, x);
    }
}

static void read_columns(sql_intro *in, const char *nsp, const char *const *oids)
{
    sql_rows r = sql_intro_query(in,
        "SELECT a.attrelid::text, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_catalog.pg_get_expr(d.adbin, d.adrelid), t.typtype, t.typname, tn.nspname, "
        "e.typtype, e.typname, en.nspname, "
        /* pg_get_serial_sequence()'s test (a sequence owned by the column,
           SERIAL or identity), as a join: the function parses names per row */
        "EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_class s ON s.oid = dep.objid "
        "WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass "
        "AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i') "
        "AND s.relkind = 'S') "
        "FROM pg_catalog.pg_attribute a "
        "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
        "JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace "
        "LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' "
        "LEFT JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace "
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') "
        "AND n.nspname = ANY ($1::text[]) ORDER BY a.attrelid, a.attnum", 1, &nsp);
    for (size_t i = 0; i < r.nrows; i++) {
        zm_rel_table *t = table_of(in, oids, SQL_CELL(r, i, 0));
        if (!t) continue;
        zm_rel_column *c = sql_intro_column(in, t, SQL_CELL(r, i, 1));
        const char *fmt = SQL_CELL(r, i, 2), *expr = SQL_CELL(r, i, 4);
        bool is_array = SQL_CELL(r, i, 8) != NULL;
        const char *typtype = is_array ? SQL_CELL(r, i, 8) : SQL_CELL(r, i, 5);
        const char *typname = is_array ? SQL_CELL(r, i, 9) : SQL_CELL(r, i, 6);
        const char *typns = is_array ? SQL_CELL(r, i, 10) : SQL_CELL(r, i, 7);
        c->nullable = !is_true(SQL_CELL(r, i, 3));
        c->list = is_array;
        const char *base;
        bool is_enum = typtype && strcmp(typtype, "e") == 0;
        if (is_enum) {
            c->enum_type = find_enum(in, typns, typname);
            sql_sb b = {0};
            sql_quote_object(&b, in->s, typns, typname);
            base = sb_keep(in->a, &b);
        } else {
            char *elem = sql_strdup(in->a, fmt ? fmt : "");
            size_t n = strlen(elem);
            while (is_array && n >= 2 && strcmp(elem + n - 2, "[]") == 0) elem[n -= 2] = '\0';
            base = prisma_type(in, elem);
        }
        const char *serial = serial_of(base);
        if (!is_array && serial && is_true(SQL_CELL(r, i, 11)) && expr && sql_starts(expr, "nextval(")) {
            c->type = serial;
            c->autoincrement = true;
            continue;
        }
        if (is_array) {
            sql_sb b = {0};
            sb_add(&b, base);
            sb_add(&b, "[]");
            c->type = sb_keep(in->a, &b);
        } else {
            c->type = base;
        }
        read_default(in, c, expr, base, is_enum);
    }
}

static const char *method_of(const char *am)
{
    static const char *const map[][2] = {
        {"hash", "HASH"}, {"gin", "GIN"}, {"gist", "GIST"}, {"spgist", "SPGIST"}, {"brin", "BRIN"}};
    for (size_t i = 0; am && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(am, map[i][0]) == 0) return map[i][1];
    return NULL;
}

static void read_indexes(sql_intro *in, const char *nsp, const char *const *oids)
{
    sql_rows r = sql_intro_query(in,
        "SELECT i.indrelid::text, ic.relname, i.indisprimary, i.indisunique, am.amname, "
        "a.attname, (i.indoption[k.n] & 1)::text, oc.opcname, oc.opcdefault "
        "FROM pg_catalog.pg_index i "
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
        "CROSS JOIN LATERAL pg_catalog.generate_series(0, i.indnkeyatts - 1) AS k(n) "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n] "
        "LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k.n] "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY ($1::text[]) "
        "ORDER BY i.indrelid, ic.relname, k.n", 1, &nsp);
    for (size_t i = 0; i < r.nrows;) {
        size_t n = 1;
        while (i + n < r.nrows && strcmp(SQL_CELL(r, i + n, 0), SQL_CELL(r, i, 0)) == 0 &&
               strcmp(SQL_CELL(r, i + n, 1), SQL_CELL(r, i, 1)) == 0)
            n++;
        zm_rel_table *t = table_of(in, oids, SQL_CELL(r, i, 0));
        bool primary = is_true(SQL_CELL(r, i, 2)), unique = is_true(SQL_CELL(r, i, 3));
        zm_rel_index *x = sql_intro_index(in, primary ? ZM_REL_PRIMARY : unique ? ZM_REL_UNIQUE : ZM_REL_INDEX,
                                          SQL_CELL(r, i, 1), n);
        x->method = method_of(SQL_CELL(r, i, 4));
        for (size_t k = 0; k < n; k++) {
            sql_index_column *col = &x->cols[k];
            /* an expression index has no column name: keep its place */
            col->name = SQL_CELL(r, i + k, 5) ? SQL_CELL(r, i + k, 5) : "";
            if (SQL_CELL(r, i + k, 6) && strcmp(SQL_CELL(r, i + k, 6), "1") == 0) col->sort = ZM_REL_SORT_DESC;
            /* Prisma records only operator classes that are not the type's default */
            if (SQL_CELL(r, i + k, 7) && !is_true(SQL_CELL(r, i + k, 8))) col->opclass = SQL_CELL(r, i + k, 7);
            else col->default_opclass = SQL_CELL(r, i + k, 7);     /* the schema may name it all the same */
        }
        if (t && primary) t->pk = x;
        else if (t) sql_vec_push(in->a, &t->indexes, x);
        i += n;
    }
}

static zm_rel_action action_of(const char *c)
{
    switch (c ? *c : 'a') {
    case 'c': return ZM_REL_CASCADE;
    case 'r': return ZM_REL_RESTRICT;
    case 'n': return ZM_REL_SET_NULL;
    case 'd': return ZM_REL_SET_DEFAULT;
    default: return ZM_REL_NO_ACTION;
    }
}

static void read_fks(sql_intro *in, const char *nsp, const char *const *oids)
{
    sql_rows r = sql_intro_query(in,
        "SELECT con.conrelid::text, con.conname, con.confupdtype, con.confdeltype, rn.nspname, rc.relname, "
        "a.attname, fa.attname "
        "FROM pg_catalog.pg_constraint con "
        "JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
        "JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
        "CROSS JOIN LATERAL pg_catalog.generate_subscripts(con.conkey, 1) AS k(n) "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[k.n] "
        "JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.n] "
        "WHERE con.contype = 'f' AND n.nspname = ANY ($1::text[]) "
        "ORDER BY con.conrelid, con.conname, k.n", 1, &nsp);
    for (size_t i = 0; i < r.nrows;) {
        size_t n = 1;
        while (i + n < r.nrows && strcmp(SQL_CELL(r, i + n, 0), SQL_CELL(r, i, 0)) == 0 &&
               strcmp(SQL_CELL(r, i + n, 1), SQL_CELL(r, i, 1)) == 0)
            n++;
        zm_rel_table *t = table_of(in, oids, SQL_CELL(r, i, 0));
        zm_rel_fk *k = sql_intro_fk(in, SQL_CELL(r, i, 1), n);
        k->on_update = action_of(SQL_CELL(r, i, 2));
        k->on_delete = action_of(SQL_CELL(r, i, 3));
        k->ref_namespace = in->s->multi_namespace ? SQL_CELL(r, i, 4) : NULL;
        k->ref_table = SQL_CELL(r, i, 5);
        for (size_t j = 0; j < n; j++) {
            k->cols[j] = SQL_CELL(r, i + j, 6);
            k->ref_cols[j] = SQL_CELL(r, i + j, 7);
        }
        if (t) sql_vec_push(in->a, &t->fks, k);
        i += n;
    }
}

/* multiSchema: the namespaces holding a table or an enum, sorted (the lowering's). */
static void collect_namespaces(sql_intro *in)
{
    zm_rel_schema *s = in->s;
    if (!s->multi_namespace) {
        sql_vec_push(in->a, &s->namespaces, sql_strdup(in->a, in->namespaces[0]));
        return;
    }
    for (size_t i = 0; i < in->namespace_count; i++) {
        const char *ns = in->namespaces[i];
        bool used = false;
        for (size_t k = 0; !used && k < s->tables.count; k++)
            used = strcmp(((zm_rel_table *)s->tables.items[k])->namespace_, ns) == 0;
        for (size_t k = 0; !used && k < s->enums.count; k++)
            used = strcmp(((zm_rel_enum *)s->enums.items[k])->namespace_, ns) == 0;
        if (!used) continue;
        size_t at = 0;
        while (at < s->namespaces.count && strcmp(s->namespaces.items[at], ns) < 0) at++;
        if (at < s->namespaces.count && strcmp(s->namespaces.items[at], ns) == 0) continue;
        sql_vec_push(in->a, &s->namespaces, NULL);
        memmove(&s->namespaces.items[at + 1], &s->namespaces.items[at],
                (s->namespaces.count - 1 - at) * sizeof *s->namespaces.items);
        s->namespaces.items[at] = (void *)sql_strdup(in->a, ns);
    }
}

void sql_pg_introspect(sql_intro *in)
{
    const char *nsp = namespace_array(in);
    read_extensions(in);
    read_enums(in, nsp);
    sql_rows r = sql_intro_query(in,
        "SELECT c.oid::text, n.nspname, c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY ($1::text[]) "
        "AND c.relname <> '_prisma_migrations' ORDER BY n.nspname, c.relname", 1, &nsp);
    const char **oids = sql_alloc(in->a, (r.nrows + 1) * sizeof *oids);
    for (size_t i = 0; i < r.nrows; i++) {
        oids[i] = SQL_CELL(r, i, 0);
        sql_intro_table(in, SQL_CELL(r, i, 1), SQL_CELL(r, i, 2));
    }
    read_columns(in, nsp, oids);
    read_indexes(in, nsp, oids);
    read_fks(in, nsp, oids);
    collect_namespaces(in);
}

/* Views, triggers, CHECK and exclusion constraints, partial indexes, row
   level security and storage parameters (WITH (fillfactor=...)) of the
   namespaces read. */
void sql_pg_read_notes(sql_intro *in)
{
    const char *nsp = namespace_array(in);
    sql_rows r = sql_intro_query(in,
        "SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, NULL, c.relname "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY ($1::text[]) "
        "UNION ALL SELECT 'trigger', c.relname, t.tgname FROM pg_catalog.pg_trigger t "
        "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = ANY ($1::text[]) "
        "UNION ALL SELECT CASE con.contype WHEN 'c' THEN 'check constraint' ELSE 'exclusion constraint' END, "
        "c.relname, con.conname FROM pg_catalog.pg_constraint con "
        "JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE con.contype IN ('c', 'x') AND n.nspname = ANY ($1::text[]) "
        "UNION ALL SELECT 'partial index', c.relname, ic.relname FROM pg_catalog.pg_index i "
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE i.indpred IS NOT NULL AND n.nspname = ANY ($1::text[]) "
        "UNION ALL SELECT 'row level security', c.relname, '' FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relrowsecurity AND n.nspname = ANY ($1::text[]) "
        "UNION ALL SELECT 'storage parameters', c.relname, array_to_string(c.reloptions, ', ') "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.reloptions IS NOT NULL AND c.relkind IN ('r', 'p') AND n.nspname = ANY ($1::text[]) "
        "ORDER BY 1, 2, 3", 1, &nsp);
    for (size_t i = 0; i < r.nrows; i++) {
        static const char *const kinds[] = {"view", "materialized view", "trigger", "check constraint",
                                            "exclusion constraint", "partial index", "row level security",
                                            "storage parameters"};
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp(SQL_CELL(r, i, 0), kinds[k]) == 0)
                sql_intro_note(in, kinds[k], SQL_CELL(r, i, 1), SQL_CELL(r, i, 2));
    }
}
