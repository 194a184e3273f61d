/*
** module.c — the migration engine as a zmc command module (zmc/plugin.h).
**
** zmc hands over `zmc migrate ...` and `zmc db ...` whole; this file finds
** the command and keeps the host's services for the length of the call.
** The model IR comes through the host's table, and schemas are compiled by
** the host, so the module links no front end (-Wl,--no-undefined holds).
*/
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
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
    request = req;
    int status;
    if (strcmp(req->argv[0], "migrate") == 0) {
        status = zm_cmd_migrate(req->argc, req->argv);
    } else if (strcmp(req->argv[0], "db") == 0) {
        status = zm_cmd_db(req->argc, req->argv);
    } else {
        fprintf(stderr, "zmc: error: the migration engine has no command '%s'\n", req->argv[0]);
        status = ZM_EXIT_USAGE;
    }
    request = NULL;
    return status;
}

static void fini(void *state)
{
    (void)state;
    host = NULL;
}

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_COMMAND, "migrate", ZMC_VERSION,
                      "the migration engine: migrate dev|deploy|reset|status|resolve|diff, db push"),
    .init = init,
    .fini = fini,
    .run = run,
};
