/*
** module.c — the migration engine as a zmc command module (zmc/plugin.h).
**
** zmc hands over `zmc migrate ...` and `zmc db ...` whole; this file finds
** the command and its backend (delegate.h: this engine, or the Prisma CLI)
** and keeps the host's services for the length of the call.
** The model IR comes through the host's table, and schemas are compiled by
** the host, so the module links no front end (-Wl,--no-undefined holds).
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "delegate.h"
#include "dialect.h"
#include "migrate_int.h"
#include "zmc/plugin.h"

ZMC_PLUGIN_IR;

static const zmc_host *host;
static const zmc_run *request;

const zm_ir *zm_engine_compile(const char *path, int level, int *status)
{
    if (!host || !request || host->size < offsetof(zmc_host, compile) + sizeof host->compile || !host->compile) {
        fprintf(stderr, "zmc: error: this zmc cannot compile schemas for the migration engine (plugin ABI "
                        "1.1 needed)\n");
        *status = ZM_EXIT_IO;
        return NULL;
    }
    return host->compile(request, path, level, status);
}

char *zm_engine_render(const zm_ir *ir, const char *schema_path, const char *backend, size_t *len)
{
    if (!host || !request || host->size < offsetof(zmc_host, render) + sizeof host->render || !host->render) {
        fprintf(stderr, "zmc: error: this zmc cannot run backends for the migration engine (plugin ABI 1.1 "
                        "needed)\n");
        return NULL;
    }
    return host->render(request, ir, schema_path, backend, len);
}

/* The command's backend decides who runs it: this engine, or Prisma. */
static int dispatch(int argc, char **argv)
{
    char command[64];
    snprintf(command, sizeof command, "zmc %s%s%s", argv[0], argc > 1 && argv[1][0] != '-' ? " " : "",
             argc > 1 && argv[1][0] != '-' ? argv[1] : "");
    zm_backend backend;
    int status = zm_backend_choose(command, argc, argv, &backend);
    if (status)
        return mg_report_early(argc > 1 ? argv[1] : argv[0], argc, argv, status,
                               "the schema cannot be used: the details are on stderr");
    if (backend == ZM_BACKEND_PRISMA) return zm_prisma_delegate(command, argc, argv);
    argc = zm_backend_strip(argc, argv);
    if (strcmp(argv[0], "migrate") == 0) return zm_cmd_migrate(argc, argv);
    if (strcmp(argv[0], "db") == 0) return zm_cmd_db(argc, argv);
    fprintf(stderr, "zmc: error: the migration engine has no command '%s'\n", argv[0]);
    return ZM_EXIT_USAGE;
}

static int init(const zmc_host *h, void **state)
{
    zmc_plugin_ir = h->ir;
    host = h;
    *state = NULL;
    return 0;
}

static int run(void *state, const zmc_run *req)
{
    (void)state;
    if (req->argc < 1) return ZM_EXIT_USAGE;
    /* A copy the commands may reorder (--backend is taken out). */
    char **argv = calloc((size_t)req->argc + 1, sizeof *argv);
    if (!argv) {
        fputs("zmc: error: out of memory\n", stderr);
        return ZM_EXIT_IO;
    }
    memcpy(argv, req->argv, (size_t)req->argc * sizeof *argv);
    request = req;
    int status = dispatch(req->argc, argv);
    request = NULL;
    free(argv);
    return status;
}

static void fini(void *state)
{
    (void)state;
    host = NULL;
    zm_dialect_unload_all();
}

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_COMMAND, "migrate", ZMC_VERSION,
                      "the migration engine: migrate dev|deploy|reset|status|resolve|diff, db push"),
    .init = init,
    .fini = fini,
    .run = run,
};
