/*
** flavor.c — MySQL's SQL: `backtick` names up to 64 bytes (refused beyond),
** '\' escapes in strings, inline ENUM(...) types, AUTO_INCREMENT, indexes
** and the unnamed primary key inside CREATE TABLE, FULLTEXT indexes, ALTER
** TABLE ... MODIFY in place.
*/
#include <string.h>
#include <strings.h>

#include "mysql.h"

static const char *const DISPLAY[][2] = {
    {"VARCHAR", "VarChar"},   {"CHAR", "Char"},         {"TINYTEXT", "TinyText"}, {"TEXT", "Text"},
    {"MEDIUMTEXT", "MediumText"}, {"LONGTEXT", "LongText"}, {"INTEGER UNSIGNED", "UnsignedInt"},
    {"INTEGER", "Int"},       {"SMALLINT UNSIGNED", "UnsignedSmallInt"}, {"SMALLINT", "SmallInt"},
    {"TINYINT UNSIGNED", "UnsignedTinyInt"}, {"TINYINT", "TinyInt"}, {"MEDIUMINT UNSIGNED", "UnsignedMediumInt"},
    {"MEDIUMINT", "MediumInt"}, {"BIGINT UNSIGNED", "UnsignedBigInt"}, {"BIGINT", "BigInt"},
    {"DECIMAL", "Decimal"},   {"FLOAT", "Float"},       {"DOUBLE", "Double"},     {"BIT", "Bit"},
    {"BOOLEAN", "TinyInt"},   {"DATETIME", "DateTime"}, {"TIMESTAMP", "Timestamp"}, {"DATE", "Date"},
    {"TIME", "Time"},         {"YEAR", "Year"},         {"JSON", "Json"},         {"BINARY", "Binary"},
    {"VARBINARY", "VarBinary"}, {"TINYBLOB", "TinyBlob"}, {"BLOB", "Blob"},       {"MEDIUMBLOB", "MediumBlob"},
    {"LONGBLOB", "LongBlob"},
};

static const char *type_display(sql_arena *a, const char *type)
{
    return sql_type_display_from(a, type, DISPLAY, sizeof DISPLAY / sizeof DISPLAY[0]);
}

/* The type without what MySQL leaves unsaid: DATETIME is DATETIME(0),
   YEAR is YEAR(4); n is the length of the rest. */
static size_t type_key(const char *t, size_t *n)
{
    size_t len = strlen(t);
    static const char *const implied[] = {"(0)", "(4)"};
    for (size_t i = 0; i < 2; i++)
        if (len > 3 && strcasecmp(t + len - 3, implied[i]) == 0 &&
            (i == 1 ? strncasecmp(t, "YEAR", 4) == 0
                    : strncasecmp(t, "DATETIME", 8) == 0 || strncasecmp(t, "TIMESTAMP", 9) == 0 ||
                          strncasecmp(t, "TIME", 4) == 0))
            len -= 3;
    *n = len;
    return len;
}

static bool same_type(const char *a, const char *b)
{
    size_t na, nb;
    type_key(a, &na);
    type_key(b, &nb);
    return na == nb && strncasecmp(a, b, na) == 0;
}

/* MariaDB's catalog (information_schema, SHOW CREATE TABLE) shows a column
   default in utf8mb3, with ? for each 4-byte character (an emoji), though
   the default itself is kept whole and rows get it whole: a ? read back
   stands for any one such character. */
static bool same_default(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a == *b) {
            a++, b++;
            continue;
        }
        if (*a == '?' && ((unsigned char)*b & 0xF8) == 0xF0 && b[1] && b[2] && b[3]) a++, b += 4;
        else if (*b == '?' && ((unsigned char)*a & 0xF8) == 0xF0 && a[1] && a[2] && a[3]) b++, a += 4;
        else return false;
    }
    return *a == *b;
}

const sql_flavor sql_flavor_mysql = {
    .name = "mysql",
    .quote = '`',
    .backslash_escapes = true,
    .name_limit = 64,
    .features = SQL_FULLTEXT | SQL_CUT_JOIN_NAMES | SQL_NO_BYTES_DEFAULTS | SQL_INLINE_INDEXES,
    .bytes_prefix = "",
    .column_type = sql_mysql_column_type,
    .adjust_default = sql_mysql_default,
    .render_create = sql_mysql_render,
    .render_step = sql_mysql_render_step,
    .cast = sql_mysql_cast,
    .same_type = same_type,
    .same_default = same_default,
    .removed_values = sql_mysql_removed_values,
    .type_display = type_display,
    .introspect = sql_mysql_introspect,
    .read_notes = sql_mysql_read_notes,
    .zmodel_type = sql_mysql_zmodel_type,
    .inline_enum_values = sql_mysql_enum_values,
};
