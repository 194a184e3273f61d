/*
** render.c — the PostgreSQL flavour: Prisma's column types (every
** @db.* native type, SERIAL for autoincrement) and its statement order:
** schemas, extensions, enum types, tables with their primary keys, indexes,
** then foreign keys (which may need those indexes).
*/
#include <string.h>

#include "postgresql.h"

/* @db.X → the type name Prisma writes; arguments follow in parentheses. */
static const char *const NATIVE[][2] = {
    {"Text", "TEXT"},         {"Char", "CHAR"},         {"VarChar", "VARCHAR"},
    {"Bit", "BIT"},           {"VarBit", "VARBIT"},     {"Uuid", "UUID"},
    {"Xml", "XML"},           {"Inet", "INET"},         {"Citext", "CITEXT"},
    {"Boolean", "BOOLEAN"},   {"Integer", "INTEGER"},   {"SmallInt", "SMALLINT"},
    {"Oid", "OID"},           {"BigInt", "BIGINT"},     {"DoublePrecision", "DOUBLE PRECISION"},
    {"Real", "REAL"},         {"Decimal", "DECIMAL"},   {"Money", "MONEY"},
    {"Timestamp", "TIMESTAMP"}, {"Timestamptz", "TIMESTAMPTZ"}, {"Date", "DATE"},
    {"Time", "TIME"},         {"Timetz", "TIMETZ"},     {"Json", "JSON"},
    {"JsonB", "JSONB"},       {"ByteA", "BYTEA"},
};

static const char *native_name(const char *db)
{
    for (size_t i = 0; i < sizeof NATIVE / sizeof NATIVE[0]; i++)
        if (strcmp(db, NATIVE[i][0]) == 0) return NATIVE[i][1];
    return NULL;
}

/* SERIAL types replace the integer types of autoincrement columns. */
static const char *serial_of(const char *type)
{
    if (strcmp(type, "INTEGER") == 0) return "SERIAL";
    if (strcmp(type, "BIGINT") == 0) return "BIGSERIAL";
    if (strcmp(type, "SMALLINT") == 0) return "SMALLSERIAL";
    return type;
}

static const char *native_type(sql_arena *a, const zm_ir_field *f, const char *db)
{
    const char *name = native_name(db);
    if (!name) return NULL;
    size_t n = zm_ir_field_native_arg_count(f);
    if (n == 0) return name;
    sql_sb b = {0};
    sb_add(&b, name);
    sb_addc(&b, '(');
    for (size_t i = 0; i < n; i++) {
        const zm_ir_expr *e = zm_ir_field_native_arg_at(f, i);
        if (i) sb_addc(&b, ',');
        sb_add(&b, e && zm_ir_expr_text(e) ? zm_ir_expr_text(e) : "");
    }
    sb_addc(&b, ')');
    return sb_keep(a, &b);
}

static const char *scalar_type(zm_ir_scalar sc)
{
    switch (sc) {
    case ZM_IR_BOOLEAN: return "BOOLEAN";
    case ZM_IR_INT: return "INTEGER";
    case ZM_IR_BIGINT: return "BIGINT";
    case ZM_IR_FLOAT: return "DOUBLE PRECISION";
    case ZM_IR_DECIMAL: return "DECIMAL(65,30)";
    case ZM_IR_DATETIME: return "TIMESTAMP(3)";
    case ZM_IR_JSON: return "JSONB";
    case ZM_IR_BYTES: return "BYTEA";
    default: return "TEXT";
    }
}

const char *sql_pg_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement)
{
    switch (zm_ir_field_kind_of(f)) {
    case ZM_IR_FIELD_UNSUPPORTED: return sql_strdup(a, zm_ir_field_unsupported(f) ? zm_ir_field_unsupported(f) : "");
    default: break;
    }
    const char *db = zm_ir_field_native_type(f);
    const char *type = db ? native_type(a, f, db) : NULL;
    if (!type) type = zm_ir_field_kind_of(f) == ZM_IR_FIELD_COMPOSITE ? "JSONB" : scalar_type(zm_ir_field_scalar(f));
    return autoincrement ? serial_of(type) : type;
}

static void render_table(const zm_rel_schema *s, const zm_rel_table *t, sql_sb *b)
{
    sb_add(b, "CREATE TABLE ");
    sql_quote_object(b, s, t->namespace_, t->name);
    sb_add(b, " (\n");
    for (size_t i = 0; i < t->columns.count; i++) {
        if (i) sb_add(b, ",\n");
        sql_render_column(b, s, t->columns.items[i], false);
    }
    if (t->pk) {
        sb_add(b, ",\n\n    CONSTRAINT ");
        sql_quote_ident(b, s->flavor, t->pk->name);
        sb_add(b, " PRIMARY KEY (");
        for (size_t i = 0; i < t->pk->ncols; i++) {
            if (i) sb_addc(b, ',');
            sql_quote_ident(b, s->flavor, t->pk->cols[i].name);
        }
        sb_add(b, ")");
    }
    sb_add(b, "\n);\n");
}

static void render_enum(const zm_rel_schema *s, const zm_rel_enum *e, sql_sb *b)
{
    sb_add(b, "CREATE TYPE ");
    sql_quote_object(b, s, e->namespace_, e->name);
    sb_add(b, " AS ENUM (");
    for (size_t i = 0; i < e->values.count; i++) {
        if (i) sb_add(b, ", ");
        sql_quote_literal(b, s->flavor, e->values.items[i]);
    }
    sb_add(b, ");\n");
}

static void render_extension(const zm_rel_schema *s, const zm_rel_extension *x, sql_sb *b)
{
    sb_add(b, "CREATE EXTENSION IF NOT EXISTS ");
    sql_quote_ident(b, s->flavor, x->name);
    if (x->namespace_) {
        sb_add(b, " WITH SCHEMA ");
        sql_quote_ident(b, s->flavor, x->namespace_);
    }
    if (x->version) {
        sb_add(b, x->namespace_ ? " VERSION " : " WITH VERSION ");
        sql_quote_ident(b, s->flavor, x->version);
    }
    sb_add(b, ";\n");
}

void sql_pg_render(const zm_rel_schema *s, sql_sb *out)
{
    bool first = true;
    /* --from-empty creates the namespaces, but only for a non-empty diff */
    if (s->tables.count == 0 && s->enums.count == 0 && s->extensions.count == 0) return;
    for (size_t i = 0; i < s->namespaces.count; i++) {
        sql_step(out, &first, "CreateSchema");
        sb_add(out, "CREATE SCHEMA IF NOT EXISTS ");
        sql_quote_ident(out, s->flavor, s->namespaces.items[i]);
        sb_add(out, ";\n");
    }
    for (size_t i = 0; i < s->extensions.count; i++) {
        sql_step(out, &first, "CreateExtension");
        render_extension(s, s->extensions.items[i], out);
    }
    for (size_t i = 0; i < s->enums.count; i++) {
        sql_step(out, &first, "CreateEnum");
        render_enum(s, s->enums.items[i], out);
    }
    for (size_t i = 0; i < s->tables.count; i++) {
        sql_step(out, &first, "CreateTable");
        render_table(s, s->tables.items[i], out);
    }
    for (size_t i = 0; i < s->tables.count; i++) {
        const zm_rel_table *t = s->tables.items[i];
        for (size_t k = 0; k < t->indexes.count; k++) {
            sql_step(out, &first, "CreateIndex");
            sql_render_index(out, s, t, t->indexes.items[k]);
        }
    }
    for (size_t i = 0; i < s->tables.count; i++) {
        const zm_rel_table *t = s->tables.items[i];
        for (size_t k = 0; k < t->fks.count; k++) {
            const zm_rel_fk *fk = t->fks.items[k];
            sql_step(out, &first, "AddForeignKey");
            sb_add(out, "ALTER TABLE ");
            sql_quote_object(out, s, t->namespace_, t->name);
            sb_add(out, " ADD CONSTRAINT ");
            sql_quote_ident(out, s->flavor, fk->name);
            sql_render_fk_tail(out, s, fk, false);
            sb_add(out, ";\n");
        }
    }
}

/* The pieces the diff renderer (diff_postgresql.c) shares. */
void sql_pg_render_table(const zm_rel_schema *s, const zm_rel_table *t, sql_sb *b) { render_table(s, t, b); }
void sql_pg_render_enum(const zm_rel_schema *s, const zm_rel_enum *e, sql_sb *b) { render_enum(s, e, b); }
void sql_pg_render_extension(const zm_rel_schema *s, const zm_rel_extension *x, sql_sb *b)
{
    render_extension(s, x, b);
}
