/*
** dialect.c — MySQL and MariaDB as zmc knows them (zmc/dialect.h):
** `mysql://` URLs, a database that is the schema, DDL that commits itself
** (a migration runs statement by statement and a failure says how far it
** got), `_prisma_migrations` as Prisma's MySQL connector creates it,
** Prisma's GET_LOCK migration lock, a shadow in a temporary database. The
** module dialect_mysql.so; its driver is db_mysql.so (driver.c), which
** alone links libmariadb.
*/
#include <stdlib.h>
#include <string.h>

#include "zmc/plugin.h"
#include "zmc/zmc.h"

/* Prisma's MySQL parameters the driver uses; the pool's are ignored. */
static bool url_param(zm_db_url *u, const char *key, const char *value)
{
    static const char *const known[] = {"socket", "connect_timeout", "sslaccept", "sslcert", "sslidentity",
                                        "sslpassword"};
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && !ok; i++) ok = strcmp(known[i], key) == 0;
    return ok && zm_db_url_add_param(u, key, value);
}

static const zmc_dialect mysql = {
    ZMC_DIALECT_HEADER("mysql", "MySQL"),
    .url_schemes = (const char *const[]){"mysql", "mariadb", NULL},
    .url_form = ZMC_URL_SERVER,
    .default_port = "3306",
    .url_param = url_param,
    .ident_quote = '`',
    .name_limit = 64,
    .features = ZMC_DIALECT_BACKSLASH_ESCAPES | ZMC_DIALECT_CROSS_DATABASE,
    .sql_flavor = "mysql",
    .driver_module = "db_mysql",
    .param_prefix = "$",
    .migrations_table = "CREATE TABLE IF NOT EXISTS `_prisma_migrations` (\n"
                        "    `id`                    VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                        "    `checksum`              VARCHAR(64) NOT NULL,\n"
                        "    `finished_at`           DATETIME(3),\n"
                        "    `migration_name`        VARCHAR(255) NOT NULL,\n"
                        "    `logs`                  TEXT,\n"
                        "    `rolled_back_at`        DATETIME(3),\n"
                        "    `started_at`            DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
                        "    `applied_steps_count`   INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
                        ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    .migrations_table_exists = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = $1 "
                               "AND TABLE_NAME = '_prisma_migrations'",
    .objects_count = "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = $1 "
                     "AND TABLE_NAME NOT IN ('_prisma_migrations', '_zmc_migration_lock')",
    .now_sql = "CURRENT_TIMESTAMP(3)",
    /* the record is written after the statements ran: the clock from before */
    .started_at_sql = "FROM_UNIXTIME(%lld / 1000)",
    .timestamp_text = "CAST(%s AS CHAR)",
    .shadow = ZMC_SHADOW_DATABASE,
    .stale_shadows = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'zmc\\_shadow\\_%' "
                     "AND SCHEMA_NAME NOT IN (SELECT DB FROM information_schema.PROCESSLIST WHERE DB IS NOT NULL)",
    /* information_schema and performance_schema cannot be changed */
    .other_databases = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN "
                       "('information_schema', 'performance_schema') AND SCHEMA_NAME <> DATABASE()",
    .read_only = "SELECT @@global.read_only",
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DIALECT, "dialect_mysql", ZMC_VERSION, "MySQL and MariaDB databases"),
    .dialect = &mysql,
};
