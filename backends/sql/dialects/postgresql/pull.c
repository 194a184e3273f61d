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
    {"TEXT", "String", "Text", true, NULL},
    {"VARCHAR", "String", "VarChar", false, NULL},
    {"CHAR", "String", "Char", false, "(1)"},
    {"BIT", "String", "Bit", false, "(1)"},
    {"VARBIT", "String", "VarBit", false, NULL},
    {"UUID", "String", "Uuid", true, NULL},
    {"XML", "String", "Xml", true, NULL},
    {"INET", "String", "Inet", true, NULL},
    {"CITEXT", "String", "Citext", true, NULL},
    {"BOOLEAN", "Boolean", "Boolean", true, NULL},
    {"INTEGER", "Int", "Integer", true, NULL},
    {"SERIAL", "Int", "Integer", true, NULL},
    {"SMALLINT", "Int", "SmallInt", true, NULL},
    {"SMALLSERIAL", "Int", "SmallInt", true, NULL},
    {"OID", "Int", "Oid", true, NULL},
    {"BIGINT", "BigInt", "BigInt", true, NULL},
    {"BIGSERIAL", "BigInt", "BigInt", true, NULL},
    {"DOUBLE PRECISION", "Float", "DoublePrecision", true, NULL},
    {"REAL", "Float", "Real", true, NULL},
    {"DECIMAL", "Decimal", "Decimal", false, NULL},
    {"MONEY", "Decimal", "Money", true, NULL},
    {"TIMESTAMP", "DateTime", "Timestamp", false, NULL},
    {"TIMESTAMPTZ", "DateTime", "Timestamptz", false, NULL},
    {"DATE", "DateTime", "Date", true, NULL},
    {"TIME", "DateTime", "Time", false, NULL},
    {"TIMETZ", "DateTime", "Timetz", false, NULL},
    {"JSON", "Json", "Json", true, NULL},
    {"JSONB", "Json", "JsonB", true, NULL},
    {"BYTEA", "Bytes", "ByteA", true, NULL},
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
