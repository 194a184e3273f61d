/*
** pull.c — SQLite's declared column types as ZModel scalars (db pull), by
** the rules of Prisma's SQLite describer: the type is read without regard
** to case; INT and INTEGER are Int, anything holding CHAR is a String,
** NUMERIC and DECIMAL a Decimal, and so on. SQLite takes any type name,
** so the rest is Unsupported. There are no native types.
*/
#include <ctype.h>
#include <string.h>

#include "sqlite.h"

const char *sql_sqlite_zmodel_type(sql_arena *a, const zm_rel_column *c, const char **native)
{
    *native = NULL;
    char *t = sql_strdup(a, c->type);
    for (char *p = t; *p; p++) *p = (char)tolower((unsigned char)*p);
    static const char *const exact[][2] = {
        {"int", "Int"},          {"integer", "Int"},      {"serial", "Int"},      {"bigint", "BigInt"},
        {"real", "Float"},       {"float", "Float"},      {"double", "Float"},    {"boolean", "Boolean"},
        {"text", "String"},      {"date", "DateTime"},    {"datetime", "DateTime"}, {"timestamp", "DateTime"},
        {"binary", "Bytes"},     {"blob", "Bytes"},       {"jsonb", "Json"},      {"json", "Json"},
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(t, exact[i][0]) == 0) return exact[i][1];
    if (strstr(t, "char")) return "String";
    if (strstr(t, "numeric") || strstr(t, "decimal")) return "Decimal";
    return NULL;
}
