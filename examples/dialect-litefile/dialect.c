/*
** dialect.c — the `litefile` dialect: an example of a database taught to
** zmc from outside its tree, against the installed headers alone.
**
** LiteFile is SQLite under another provider name, with its own driver
** (driver.c): the database file is kept in write-ahead-log mode, so that
** readers never wait for a migration. It writes SQLite's SQL (the SQL
** backend's "sqlite" flavour) and keeps Prisma's `_prisma_migrations` in
** SQLite's form, so the same history works with either provider.
**
**     datasource db {
**       provider = "litefile"
**       url      = "litefile:./dev.db"
**     }
*/
#include <zmc/plugin.h>

static const zmc_dialect litefile = {
    ZMC_DIALECT_HEADER("litefile", "LiteFile"),
    .url_schemes = (const char *const[]){"litefile", NULL},
    .url_form = ZMC_URL_FILE,
    .ident_quote = '"',
    .features = ZMC_DIALECT_TRANSACTIONAL_DDL,
    .sql_flavor = "sqlite",
    .driver_module = "db_litefile",
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
    .objects_count = "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
                     "'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations' AND ?1 IS NOT NULL",
    .now_sql = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
    .timestamp_text = "CAST(%s AS TEXT)",
    .default_schema = "main",
    .shadow = ZMC_SHADOW_MEMORY,
    .memory_url = "litefile::memory:",
    .reserved_prefix = "sqlite_",
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DIALECT, "dialect_litefile", "1.0.0", "LiteFile: SQLite files in WAL mode"),
    .dialect = &litefile,
};
