/*
** pull.c — MySQL's and MariaDB's types as ZModel writes them (db pull):
** the lowering's @db.* types mapped back, BIT(1) as a Boolean, TINYINT(1)
** already read as BOOLEAN by the introspection, an inline ENUM('A', 'B')
** as an enum whose values the writer declares. The scalars' own types
** (INTEGER, VARCHAR(191), DOUBLE, DECIMAL(65, 30), DATETIME(3), LONGBLOB,
** JSON) take no attribute.
*/
#include <string.h>

#include "mysql.h"

static const sql_pull_row TYPES[] = {
    {"INTEGER", "Int", "Int", false, NULL},
    {"INTEGER UNSIGNED", "Int", "UnsignedInt", false, NULL},
    {"SMALLINT", "Int", "SmallInt", false, NULL},
    {"SMALLINT UNSIGNED", "Int", "UnsignedSmallInt", false, NULL},
    {"TINYINT", "Int", "TinyInt", false, NULL},
    {"TINYINT UNSIGNED", "Int", "UnsignedTinyInt", false, NULL},
    {"MEDIUMINT", "Int", "MediumInt", false, NULL},
    {"MEDIUMINT UNSIGNED", "Int", "UnsignedMediumInt", false, NULL},
    {"YEAR", "Int", "Year", false, NULL},
    {"BIGINT", "BigInt", "BigInt", false, NULL},
    {"BIGINT UNSIGNED", "BigInt", "UnsignedBigInt", false, NULL},
    {"BOOLEAN", "Boolean", NULL, false, NULL},
    {"DECIMAL", "Decimal", "Decimal", false, NULL},
    {"FLOAT", "Float", "Float", true, NULL},
    {"DOUBLE", "Float", "Double", true, NULL},
    {"CHAR", "String", "Char", false, NULL},
    {"VARCHAR", "String", "VarChar", false, NULL},
    {"TINYTEXT", "String", "TinyText", true, NULL},
    {"TEXT", "String", "Text", true, NULL},
    {"MEDIUMTEXT", "String", "MediumText", true, NULL},
    {"LONGTEXT", "String", "LongText", true, NULL},
    {"DATE", "DateTime", "Date", true, NULL},
    {"TIME", "DateTime", "Time", false, NULL},
    {"DATETIME", "DateTime", "DateTime", false, "(0)"},
    {"TIMESTAMP", "DateTime", "Timestamp", false, "(0)"},
    {"JSON", "Json", NULL, true, NULL},
    {"BINARY", "Bytes", "Binary", false, NULL},
    {"VARBINARY", "Bytes", "VarBinary", false, NULL},
    {"TINYBLOB", "Bytes", "TinyBlob", true, NULL},
    {"BLOB", "Bytes", "Blob", true, NULL},
    {"MEDIUMBLOB", "Bytes", "MediumBlob", true, NULL},
    {"LONGBLOB", "Bytes", "LongBlob", true, NULL},
    {"BIT", "Bytes", "Bit", false, NULL},
};

/* The type a scalar gets without @db.* (render.c's scalar_type). */
static const char *default_type(const char *scalar)
{
    static const char *const map[][2] = {
        {"String", "VARCHAR(191)"}, {"Boolean", "BOOLEAN"},        {"Int", "INTEGER"},
        {"BigInt", "BIGINT"},       {"Float", "DOUBLE"},           {"Decimal", "DECIMAL(65, 30)"},
        {"DateTime", "DATETIME(3)"}, {"Json", "JSON"},             {"Bytes", "LONGBLOB"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], scalar) == 0) return map[i][1];
    return NULL;
}

const char *sql_mysql_zmodel_type(sql_arena *a, const zm_rel_column *c, const char **native)
{
    *native = NULL;
    if (sql_starts(c->type, "ENUM(")) return NULL;
    /* YEAR(4) is the only YEAR there is, written without its width */
    if (sql_starts(c->type, "YEAR")) {
        *native = "Year";
        return "Int";
    }
    /* BIT(1) holds a Boolean; wider bits are Bytes */
    if (strcmp(c->type, "BIT(1)") == 0) {
        *native = "Bit(1)";
        return "Boolean";
    }
    return sql_pull_from_table(a, TYPES, sizeof TYPES / sizeof TYPES[0], c->type, default_type, native);
}

size_t sql_mysql_enum_values(sql_arena *a, const zm_rel_column *c, const char *const **values)
{
    if (!sql_starts(c->type, "ENUM(")) return 0;
    sql_vec v = {0};
    const char *p = c->type + 5;
    while (*p == '\'') {
        sql_sb b = {0};
        for (p++; *p; p++) {
            if (*p == '\'' && p[1] == '\'') p++;
            else if (*p == '\\' && p[1]) p++;
            else if (*p == '\'') break;
            sb_addc(&b, *p);
        }
        if (*p == '\'') p++;
        sql_vec_push(a, &v, sb_keep(a, &b));
        while (*p == ',' || *p == ' ') p++;
    }
    *values = (const char *const *)v.items;
    return v.count;
}
