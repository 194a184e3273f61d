/*
** engine_host.c — the host's side of the migration engine for unit tests
** that link its static library (zmc_migrate) directly: the tables the
** engine calls zmc through (zmc_host, plugins/migrate/module.c) point at the
** real functions, which the test links (zmc_db, zm_sql, the runtime).
*/
#include "dialect.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"
#include "zmc/diff.h"
#include "zmc/ir.h"
#include "zmc/relational.h"

const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;
const zm_buf_api *zmc_plugin_buf = &zm_buf_api_table;
const zm_command_api *zmc_plugin_command = &zm_command_api_table;
const zm_db_api *zmc_plugin_db = &zm_db_api_table;
const zm_rel_api *zmc_plugin_rel = &zm_rel_api_table;
const zm_diff_api *zmc_plugin_diff = &zm_diff_api_table;

const zmc_dialect *zm_engine_dialect(const char *provider, char **error)
{
    return zm_dialect_find(provider, error);
}
