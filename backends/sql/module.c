/*
** module.c — backend `sql` as a loadable zmc module: the DDL that creates
** the schema's database, as Prisma Migrate writes it for an empty database.
**
** Options (entries of the schema's `plugin` block): `dialect` (sqlite,
** postgresql, mysql) overrides the datasource's provider; so does `provider` when
** its value is a dialect rather than the module (`provider = "sql"`);
** `output` (the host resolves it). Without an output path it writes
** schema.sql in the project.
**
** The descriptor also hands out the backend's functions as tables
** (relational, diff): the migration engine lowers, introspects and diffs
** through them, by way of the host.
*/
#include <stdlib.h>

#include "sql.h"
#include "zmc/diff.h"
#include "zmc/plugin.h"

ZMC_PLUGIN_IR;

static const zmc_host *host;

static int init(const zmc_host *h, void **state)
{
    host = h;
    zmc_plugin_ir = h->ir;
    *state = NULL;
    return 0;
}

static void write_out(void *ctx, const char *s, size_t n) { host->output_write(ctx, s, n); }

/* The dialect asked for: the `dialect` option, else the `provider` option
   when it names a dialect (the plugin block's `provider` names the module
   itself), else the datasource's provider. NULL after reporting why. */
static const zmc_dialect *dialect_of(const zmc_emit *req)
{
    char *error = NULL;
    const char *name = host->option(req, "dialect");
    const zmc_dialect *d = NULL;
    if (!name) {
        const char *opt = host->option(req, "provider");
        if (opt && (d = host->dialect(opt, &error))) return d;
        free(error);
        error = NULL;
    }
    if (!name) {
        const zm_ir_config *ds = zm_ir_datasource(req->ir);
        name = ds ? zm_ir_config_string(ds, "provider") : NULL;
    }
    d = host->dialect(name ? name : "", &error);
    if (!d) host->error(req, "%s", error ? error : "no such dialect");
    free(error);
    return d;
}

static int emit(void *state, const zmc_emit *req)
{
    (void)state;
    if (host->size < offsetof(zmc_host, dialect) + sizeof host->dialect) {
        host->error(req, "this zmc is too old for the sql backend (plugin ABI 1.2 needed)");
        return 1;
    }
    const zmc_dialect *d = dialect_of(req);
    if (!d) return 1;
    zm_rel_schema *s = zm_rel_lower(req->ir, d);
    if (!s) {
        host->error(req, "the sql backend cannot write %s's SQL (flavour \"%s\")", d->display_name, d->sql_flavor);
        return 1;
    }
    zmc_output *out = host->output_open(req, req->output ? NULL : "schema.sql");
    int rc = out ? zm_rel_render_create(s, write_out, out) : 1;
    if (out && rc != 0) host->error(req, "out of memory");
    zm_rel_free(s);
    return rc != 0;
}

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_BACKEND, "sql", ZMC_VERSION,
                      "the DDL that creates the database (Prisma Migrate's, SQLite, PostgreSQL and MySQL)"),
    .init = init,
    .emit = emit,
    .relational = &zm_rel_api_table,
    .diff = &zm_diff_api_table,
};
