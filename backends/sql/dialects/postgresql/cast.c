/*
** cast.c — what PostgreSQL's ALTER COLUMN ... TYPE does with a column's
** values, which decides between altering a column in place (with a
** warning when the cast may fail) and dropping and recreating it, as
** Prisma does; and the default operator classes of its index methods.
*/
#include <string.h>

#include "postgresql.h"

typedef enum type_family { F_INT, F_NUM, F_STR, F_TEXT, F_TIME, F_BOOL, F_JSON, F_BYTES, F_OTHER } type_family;

static type_family family_of(const char *t)
{
    t = sql_base_type(t);
    if (!strcmp(t, "SMALLINT") || !strcmp(t, "INTEGER") || !strcmp(t, "BIGINT")) return F_INT;
    if (sql_starts(t, "DECIMAL") || !strcmp(t, "REAL") || !strcmp(t, "DOUBLE PRECISION") || !strcmp(t, "MONEY"))
        return F_NUM;
    if (!strcmp(t, "TEXT") || !strcmp(t, "CITEXT")) return F_TEXT;
    if (sql_starts(t, "VARCHAR") || sql_starts(t, "CHAR")) return F_STR;
    if (sql_starts(t, "TIMESTAMP") || sql_starts(t, "DATE") || sql_starts(t, "TIME")) return F_TIME;
    if (!strcmp(t, "BOOLEAN")) return F_BOOL;
    if (!strcmp(t, "JSON") || !strcmp(t, "JSONB")) return F_JSON;
    if (!strcmp(t, "BYTEA") || !strcmp(t, "BLOB")) return F_BYTES;
    return F_OTHER;
}

static int int_rank(const char *t)
{
    t = sql_base_type(t);
    return !strcmp(t, "SMALLINT") ? 1 : !strcmp(t, "INTEGER") ? 2 : 3;
}

/* What PostgreSQL's ALTER COLUMN ... TYPE does with the values: converts
   them without loss, converts them but may fail or lose precision, or
   cannot convert them without a USING clause (then Prisma drops and
   recreates the column). */
sql_cast sql_pg_cast(const zm_rel_column *a, const zm_rel_column *b)
{
    if (a->list != b->list) return SQL_CAST_NONE;
    type_family fa = family_of(a->type), fb = family_of(b->type);
    if (fb == F_TEXT) return SQL_CAST_SAFE;     /* every type has an assignment cast to text */
    if (fa == F_INT && fb == F_INT) return int_rank(a->type) <= int_rank(b->type) ? SQL_CAST_SAFE : SQL_CAST_RISKY;
    if (fa == F_INT && fb == F_NUM) return strcmp(b->type, "DOUBLE PRECISION") == 0 ? SQL_CAST_SAFE : SQL_CAST_RISKY;
    if ((fa == F_NUM || fa == F_INT) && (fb == F_NUM || fb == F_INT)) return SQL_CAST_RISKY;
    if ((fa == F_STR || fa == F_TEXT) && fb == F_STR) return SQL_CAST_RISKY;
    if (fa == F_TIME && fb == F_TIME) return SQL_CAST_RISKY;
    if (fa == F_JSON && fb == F_JSON) return SQL_CAST_RISKY;
    return SQL_CAST_NONE;
}

/* PostgreSQL's default operator class for a column type and access method
   (the common ones): written or not, the database holds the same index. */
bool sql_pg_default_opclass(const char *method, const char *type, const char *opclass)
{
    static const char *const btree[][2] = {
        {"TEXT", "text_ops"},       {"VARCHAR", "text_ops"},        {"CHAR", "bpchar_ops"},
        {"INTEGER", "int4_ops"},    {"BIGINT", "int8_ops"},         {"SMALLINT", "int2_ops"},
        {"BOOLEAN", "bool_ops"},    {"TIMESTAMPTZ", "timestamptz_ops"}, {"TIMESTAMP", "timestamp_ops"},
        {"DATE", "date_ops"},       {"UUID", "uuid_ops"},           {"DECIMAL", "numeric_ops"},
        {"DOUBLE PRECISION", "float8_ops"}, {"REAL", "float4_ops"}, {"BYTEA", "bytea_ops"},
        {"JSONB", "jsonb_ops"},     {"CITEXT", "citext_ops"},       {"INET", "inet_ops"},
    };
    if (!type || !opclass) return false;
    size_t n = strlen(type);
    bool array = n >= 2 && strcmp(type + n - 2, "[]") == 0;
    if (method && strcmp(method, "GIN") == 0)
        return strcmp(opclass, array ? "array_ops" : strcmp(type, "JSONB") == 0 ? "jsonb_ops" : "") == 0;
    if (method && strcmp(method, "HASH") != 0) return false;
    if (array) return strcmp(opclass, "array_ops") == 0;
    for (size_t i = 0; i < sizeof btree / sizeof btree[0]; i++) {
        size_t k = strlen(btree[i][0]);
        /* "VARCHAR(255)", "TIMESTAMP(3)" */
        if (strncmp(type, btree[i][0], k) == 0 && (type[k] == '\0' || type[k] == '('))
            return strcmp(opclass, btree[i][1]) == 0;
    }
    return false;
}

