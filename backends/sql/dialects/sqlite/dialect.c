/*
** dialect.c — SQLite as zmc knows it (zmc/dialect.h): a file named by a
** `file:` URL, DDL in transactions (foreign keys off around a migration,
** checked before COMMIT), `_prisma_migrations` as Prisma's SQLite connector
** creates it, an in-memory shadow. The module dialect_sqlite.so; its
** driver is db_sqlite.so (driver.c).
*/
#include "zmc/plugin.h"
#include "zmc/zmc.h"

static const zmc_dialect sqlite = {
    ZMC_DIALECT_HEADER("sqlite", "SQLite"),
    .url_schemes = (const char *const[]){"file", NULL},
    .url_form = ZMC_URL_FILE,
    .ident_quote = '"',
    .features = ZMC_DIALECT_TRANSACTIONAL_DDL | ZMC_DIALECT_BATCH_APPLY | ZMC_DIALECT_CROSS_DATABASE,
    .sql_flavor = "sqlite",
    .driver_module = "db_sqlite",
    .param_prefix = "?",
    .apply_before = "PRAGMA foreign_keys=OFF",
    .apply_after = "PRAGMA foreign_keys=ON",
    .apply_begin = "BEGIN IMMEDIATE",
    .apply_check = "PRAGMA foreign_key_check",
    .migrations_table = "CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\n"
                        "    \"id\"                    TEXT PRIMARY KEY NOT NULL,\n"
                        "    \"checksum\"              TEXT NOT NULL,\n"
                        "    \"finished_at\"           DATETIME,\n"
                        "    \"migration_name\"        TEXT NOT NULL,\n"
                        "    \"logs\"                  TEXT,\n"
                        "    \"rolled_back_at\"        DATETIME,\n"
                        "    \"started_at\"            DATETIME NOT NULL DEFAULT current_timestamp,\n"
                        "    \"applied_steps_count\"   INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
                        ")",
    .migrations_table_exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                               "'_prisma_migrations' AND ?1 IS NOT NULL",
    /* Prisma's engine writes integer milliseconds into these DATETIME columns */
    .objects_count = "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
                     "'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations' AND ?1 IS NOT NULL",
    .now_sql = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
    .timestamp_text = "CAST(%s AS TEXT)",
    .default_schema = "main",
    .read_begin = "SAVEPOINT zm_introspect",
    .read_end = "RELEASE zm_introspect",
    .shadow = ZMC_SHADOW_MEMORY,
    .memory_url = "file::memory:",
    .reserved_prefix = "sqlite_",
    /* ATTACH is refused in a replay; nothing else is attached to a shadow */
    .other_databases = "SELECT name FROM pragma_database_list WHERE name NOT IN ('main', 'temp')",
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DIALECT, "dialect_sqlite", ZMC_VERSION, "SQLite databases (the embedded default)"),
    .dialect = &sqlite,
};
