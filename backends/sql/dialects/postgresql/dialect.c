/*
** dialect.c — PostgreSQL as zmc knows it (zmc/dialect.h): `postgresql://`
** URLs with Prisma's parameters mapped to libpq's, transactional DDL,
** dollar quotes, `_prisma_migrations` as Prisma's PostgreSQL connector
** creates it, a shadow in a temporary database (else in a schema of a
** rolled-back transaction). The module dialect_postgresql.so; its driver
** is db_postgresql.so (driver.c), which alone links libpq.
*/
#include <stdlib.h>
#include <string.h>

#include "zmc/plugin.h"
#include "zmc/zmc.h"

/* Prisma's parameters zmc passes on, as libpq keywords. */
static const char *libpq_key(const char *key)
{
    static const char *const map[][2] = {
        {"sslmode", "sslmode"},           {"sslcert", "sslrootcert"}, {"connect_timeout", "connect_timeout"},
        {"application_name", "application_name"}, {"options", "options"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], key) == 0) return map[i][1];
    return NULL;
}

static bool url_param(zm_db_url *u, const char *key, const char *value)
{
    char **slot = strcmp(key, "schema") == 0 ? &u->schema : strcmp(key, "host") == 0 ? &u->host : NULL;
    if (slot) {     /* ?host= is a socket folder */
        char *copy = strdup(value);
        if (!copy) return false;
        free(*slot);
        *slot = copy;
        return true;
    }
    const char *libpq = libpq_key(key);
    return libpq && zm_db_url_add_param(u, libpq, value);
}

static const zmc_dialect postgresql = {
    ZMC_DIALECT_HEADER("postgresql", "PostgreSQL"),
    .aliases = (const char *const[]){"postgres", NULL},
    .url_schemes = (const char *const[]){"postgresql", "postgres", NULL},
    .url_form = ZMC_URL_SERVER,
    .default_port = "5432",
    .url_param = url_param,
    .ident_quote = '"',
    .name_limit = 63,
    .features = ZMC_DIALECT_TRANSACTIONAL_DDL | ZMC_DIALECT_SCRATCH_SCHEMA | ZMC_DIALECT_DOLLAR_QUOTES |
                ZMC_DIALECT_EXTENSIONS | ZMC_DIALECT_NAMES_CUT | ZMC_DIALECT_TEXT_SEARCH,
    .sql_flavor = "postgresql",
    .driver_module = "db_postgresql",
    .param_prefix = "$",
    .migrations_table = "CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\n"
                        "    \"id\"                    VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                        "    \"checksum\"              VARCHAR(64) NOT NULL,\n"
                        "    \"finished_at\"           TIMESTAMPTZ,\n"
                        "    \"migration_name\"        VARCHAR(255) NOT NULL,\n"
                        "    \"logs\"                  TEXT,\n"
                        "    \"rolled_back_at\"        TIMESTAMPTZ,\n"
                        "    \"started_at\"            TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                        "    \"applied_steps_count\"   INTEGER NOT NULL DEFAULT 0\n"
                        ")",
    .migrations_table_exists = "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 "
                               "AND tablename = '_prisma_migrations'",
    /* clock_timestamp(), not now(): that is the start of the transaction */
    .objects_count = "SELECT (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                     "ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                     "AND c.relname <> '_prisma_migrations') + (SELECT count(*) FROM pg_catalog.pg_type t "
                     "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 "
                     "AND t.typtype = 'e')",
    .now_sql = "clock_timestamp()",
    .started_at_sql = "now()",
    .timestamp_text = "CAST(%s AS TEXT)",
    .default_schema = "public",
    .shadow = ZMC_SHADOW_DATABASE,
    .stale_shadows = "SELECT datname FROM pg_database WHERE datname LIKE 'zmc\\_shadow\\_%' AND datname NOT IN "
                     "(SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)",
    .schema_exists = "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
    .read_only = "SELECT pg_catalog.pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'",
    .replica_target = "SELECT pg_catalog.pg_current_wal_insert_lsn()::text",
    .replicas_behind = "SELECT coalesce(nullif(application_name, ''), 'replica') || ' (' || "
                       "coalesce(host(client_addr), 'local') || ')', greatest(0, pg_catalog.pg_wal_lsn_diff("
                       "$1::pg_lsn, coalesce(replay_lsn, '0/0'::pg_lsn)))::bigint FROM pg_catalog.pg_stat_replication "
                       "ORDER BY 1",
};

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_DIALECT, "dialect_postgresql", ZMC_VERSION, "PostgreSQL databases"),
    .dialect = &postgresql,
};
