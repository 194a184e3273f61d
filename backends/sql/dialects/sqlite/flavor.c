/*
** flavor.c — SQLite's SQL: no native types, primary keys and foreign keys
** inside CREATE TABLE, ALTER TABLE that only adds columns (anything else
** rebuilds the table), AUTOINCREMENT only on an INTEGER primary key.
*/
#include "sqlite.h"

static const char *const DISPLAY[][2] = {
    {"TEXT", "String"},   {"INTEGER", "Int"},     {"BIGINT", "BigInt"},   {"REAL", "Float"},
    {"DECIMAL", "Decimal"}, {"DATETIME", "DateTime"}, {"BOOLEAN", "Boolean"}, {"BLOB", "Bytes"},
    {"JSONB", "Json"},
};

static const char *type_display(sql_arena *a, const char *type)
{
    return sql_type_display_from(a, type, DISPLAY, sizeof DISPLAY / sizeof DISPLAY[0]);
}

const sql_flavor sql_flavor_sqlite = {
    .name = "sqlite",
    .quote = '"',
    .name_limit = 10000,        /* SQLite has no limit; Prisma uses this one */
    .features = SQL_ROWID_AUTOINCREMENT | SQL_REDEFINE_TABLES | SQL_INLINE_FOREIGN_KEYS |
                SQL_ENUM_DEFAULTS_AS_STRINGS,
    .bytes_prefix = "",
    .column_type = sql_sqlite_column_type,
    .render_create = sql_sqlite_render,
    .render_step = sql_sqlite_render_step,
    .render_redefine = sql_sqlite_render_redefine,
    .type_display = type_display,
    .introspect = sql_sqlite_introspect,
    .read_notes = sql_sqlite_read_notes,
    .zmodel_type = sql_sqlite_zmodel_type,
};
