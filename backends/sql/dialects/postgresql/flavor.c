/*
** flavor.c — PostgreSQL's SQL: quoted "names" cut at 63 bytes, enum types,
** schemas and extensions, SERIAL columns, ALTER TABLE in place with casts.
*/
#include "postgresql.h"

static const char *const DISPLAY[][2] = {
    {"TEXT", "Text"},       {"VARCHAR", "VarChar"},   {"CHAR", "Char"},       {"INTEGER", "Integer"},
    {"SERIAL", "Integer"},  {"BIGINT", "BigInt"},     {"BIGSERIAL", "BigInt"}, {"SMALLINT", "SmallInt"},
    {"SMALLSERIAL", "SmallInt"}, {"DOUBLE PRECISION", "DoublePrecision"}, {"REAL", "Real"},
    {"DECIMAL", "Decimal"}, {"TIMESTAMPTZ", "Timestamptz"}, {"TIMESTAMP", "Timestamp"}, {"DATE", "Date"},
    {"TIMETZ", "Timetz"},   {"TIME", "Time"},         {"BOOLEAN", "Boolean"},  {"JSONB", "JsonB"},
    {"JSON", "Json"},       {"BYTEA", "ByteA"},       {"UUID", "Uuid"},        {"XML", "Xml"},
    {"INET", "Inet"},       {"CITEXT", "Citext"},     {"MONEY", "Money"},      {"OID", "Oid"},
    {"VARBIT", "VarBit"},   {"BIT", "Bit"},
};

static const char *type_display(sql_arena *a, const char *type)
{
    return sql_type_display_from(a, type, DISPLAY, sizeof DISPLAY / sizeof DISPLAY[0]);
}

const sql_flavor sql_flavor_postgresql = {
    .name = "postgresql",
    .quote = '"',
    .name_limit = 63,
    .features = SQL_NAMES_CUT | SQL_ENUM_TYPES | SQL_NAMESPACES | SQL_EXTENSIONS | SQL_JOIN_PRIMARY_KEY |
                SQL_SERIAL_DEFAULTS | SQL_CUT_JOIN_NAMES,
    .bytes_prefix = "\\x",
    .column_type = sql_pg_column_type,
    .render_create = sql_pg_render,
    .render_step = sql_pg_render_step,
    .cast = sql_pg_cast,
    .type_display = type_display,
    .default_opclass = sql_pg_default_opclass,
    .introspect = sql_pg_introspect,
    .read_notes = sql_pg_read_notes,
    .zmodel_type = sql_pg_zmodel_type,
};
