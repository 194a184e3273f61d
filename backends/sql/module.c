/*
** module.c — backend `sql` as a loadable zmc module: the DDL that creates
** the schema's database, as Prisma Migrate writes it for an empty database.
**
** Options (entries of the schema's `plugin` block): `dialect` (sqlite,
** postgresql, mysql) overrides the datasource's provider; so does `provider` when
** its value is a dialect rather than the module (`provider = "sql"`);
** `output` (the host resolves it). Without an output path it writes
** schema.sql in the project.
*/
#include "sql.h"
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

/* The dialect asked for: the `provider` option, else the datasource's.
   The plugin block's `provider` names the module itself, so it only counts
   when it is a dialect. */
static zm_rel_dialect dialect_of(const zmc_emit *req, const char **name)
{
    *name = host->option(req, "dialect");
    if (!*name) {
        const char *opt = host->option(req, "provider");
        if (opt && zm_rel_dialect_from_name(opt)) *name = opt;
    }
    if (!*name) {
        const zm_ir_config *ds = zm_ir_datasource(req->ir);
        *name = ds ? zm_ir_config_string(ds, "provider") : NULL;
    }
    return zm_rel_dialect_from_name(*name);
}

static int emit(void *state, const zmc_emit *req)
{
    (void)state;
    const char *name;
    zm_rel_dialect d = dialect_of(req, &name);
    if (!d) {
        host->error(req, "unsupported provider \"%s\": expected sqlite, postgresql or mysql", name ? name : "");
        return 1;
    }
    zm_rel_schema *s = zm_rel_lower(req->ir, d);
    if (!s) {
        host->error(req, "out of memory");
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
};
