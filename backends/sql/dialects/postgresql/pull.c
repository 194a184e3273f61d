/*
** pull.c — PostgreSQL's types as ZModel writes them (db pull): every type
** the lowering writes for a @db.* attribute maps back to it, SERIAL types
** to their integers; the scalars' own types (TEXT, INTEGER, TIMESTAMP(3),
** DECIMAL(65,30), JSONB, ...) take no attribute. Anything else (tsvector,
** a range, a domain) is Unsupported.
*/
#include <string.h>

#include "postgresql.h"

static const sql_pull_row TYPES[] = {
    {"TEXT", "String", "Text", false, NULL},
    {"VARCHAR", "String", "VarChar", false, NULL},
    {"CHAR", "String", "Char", false, "(1)"},
    {"BIT", "String", "Bit", false, "(1)"},
    {"VARBIT", "String", "VarBit", false, NULL},
    {"UUID", "String", "Uuid", false, NULL},
    {"XML", "String", "Xml", false, NULL},
    {"INET", "String", "Inet", false, NULL},
    {"CITEXT", "String", "Citext", false, NULL},
    {"BOOLEAN", "Boolean", "Boolean", false, NULL},
    {"INTEGER", "Int", "Integer", false, NULL},
    {"SERIAL", "Int", "Integer", false, NULL},
    {"SMALLINT", "Int", "SmallInt", false, NULL},
    {"SMALLSERIAL", "Int", "SmallInt", false, NULL},
    {"OID", "Int", "Oid", false, NULL},
    {"BIGINT", "BigInt", "BigInt", false, NULL},
    {"BIGSERIAL", "BigInt", "BigInt", false, NULL},
    {"DOUBLE PRECISION", "Float", "DoublePrecision", false, NULL},
    {"REAL", "Float", "Real", false, NULL},
    {"DECIMAL", "Decimal", "Decimal", false, NULL},
    {"MONEY", "Decimal", "Money", false, NULL},
    {"TIMESTAMP", "DateTime", "Timestamp", false, NULL},
    {"TIMESTAMPTZ", "DateTime", "Timestamptz", false, NULL},
    {"DATE", "DateTime", "Date", false, NULL},
    {"TIME", "DateTime", "Time", false, NULL},
    {"TIMETZ", "DateTime", "Timetz", false, NULL},
    {"JSON", "Json", "Json", false, NULL},
    {"JSONB", "Json", "JsonB", false, NULL},
    {"BYTEA", "Bytes", "ByteA", false, NULL},
};

/* The type a scalar gets without @db.* (render.c's scalar_type). */
static const char *default_type(const char *scalar)
{
    static const char *const map[][2] = {
        {"String", "TEXT"},       {"Boolean", "BOOLEAN"},         {"Int", "INTEGER"},
        {"BigInt", "BIGINT"},     {"Float", "DOUBLE PRECISION"},  {"Decimal", "DECIMAL(65,30)"},
        {"DateTime", "TIMESTAMP(3)"}, {"Json", "JSONB"},          {"Bytes", "BYTEA"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], scalar) == 0) return map[i][1];
    return NULL;
}

const char *sql_pg_zmodel_type(sql_arena *a, const zm_rel_column *c, const char **native)
{
    const char *type = c->type;
    size_t n = strlen(type);
    if (c->list && n > 2 && strcmp(type + n - 2, "[]") == 0) type = sql_strndup(a, type, n - 2);
    /* SERIAL is the integer the lowering writes for autoincrement() */
    if (strcmp(type, "SERIAL") == 0) type = "INTEGER";
    else if (strcmp(type, "BIGSERIAL") == 0) type = "BIGINT";
    else if (strcmp(type, "SMALLSERIAL") == 0) type = "SMALLINT";
    return sql_pull_from_table(a, TYPES, sizeof TYPES / sizeof TYPES[0], type, default_type, native);
}
