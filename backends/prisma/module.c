/*
** module.c — backend `prisma` as a loadable zmc module: writes the Prisma
** schema ZenStack would write (print.c does the printing).
**
** Options (entries of the schema's `plugin` block): `output` (the host
** resolves it), `format = true` to align columns as `prisma format` does.
** Without an output path it writes prisma/schema.prisma in the project.
*/
#include <string.h>

#include "print.h"
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

static int emit(void *state, const zmc_emit *req)
{
    (void)state;
    const char *format = host->option(req, "format");
    zm_prisma_options opt = {.format = format && strcmp(format, "true") == 0};
    zmc_output *out = host->output_open(req, req->output ? NULL : "prisma/schema.prisma");
    if (!out) return 1;
    return zm_prisma_print(req->ir, &opt, write_out, out);
}

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_BACKEND, "prisma", ZMC_VERSION,
                      "the Prisma schema ZenStack generates (schema.prisma)"),
    .init = init,
    .emit = emit,
};
