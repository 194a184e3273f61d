/*
** module.c — the migration engine as a zmc command module (zmc/plugin.h).
**
** zmc hands over `zmc migrate ...` and `zmc db ...` whole; this file finds
** the command and its backend (delegate.h: this engine, or the Prisma CLI)
** and keeps the host's services for the length of the call.
** Everything of zmc comes through the host's tables: the model IR, the
** string builder, the command-line helpers and the database connections
** (zmc_host), and the SQL backend's relational schema and diff (the `sql`
** module's descriptor, loaded by the host). Schemas are compiled by the
** host. So the module links nothing of zmc: -Wl,--no-undefined holds, and
** the suite checks that it has no undefined zmc symbol.
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "delegate.h"
#include "migrate_int.h"
#include "stop.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"
#include "zmc/diff.h"
#include "zmc/plugin.h"
#include "zmc/relational.h"

ZMC_PLUGIN_IR;
ZMC_PLUGIN_BUF;
ZMC_PLUGIN_COMMAND_API;
ZMC_PLUGIN_DB;
ZMC_PLUGIN_REL;
ZMC_PLUGIN_DIFF;

/* The SQL backend whose relational schema and diff the engine uses. */
#define SQL_BACKEND "sql"

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

char *zm_engine_pull_merge(const char *path, const char *pulled, size_t len, bool force, const char *keep,
                           size_t *out_len)
{
    if (!host || !request || host->size < offsetof(zmc_host, pull_merge) + sizeof host->pull_merge ||
        !host->pull_merge) {
        fprintf(stderr, "zmc: error: this zmc cannot merge a pulled schema (plugin ABI 1.4 needed)\n");
        return NULL;
    }
    return host->pull_merge(request, path, pulled, len, force, keep, out_len);
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

const zmc_dialect *zm_engine_dialect(const char *provider, char **error)
{
    return host->dialect(provider, error);
}

static int init(const zmc_host *h, void **state)
{
    *state = NULL;
    if (h->size < offsetof(zmc_host, backend) + sizeof h->backend || !h->buf || !h->command || !h->db ||
        !h->backend || !h->dialect) {
        fprintf(stderr, "zmc: error: this zmc is too old for the migration engine (plugin ABI 1.3 needed)\n");
        return 1;
    }
    zmc_plugin_ir = h->ir;
    zmc_plugin_buf = h->buf;
    zmc_plugin_command = h->command;
    zmc_plugin_db = h->db;
    host = h;
    return 0;
}

/* The SQL backend's tables, from its module as the host loaded it. */
static int use_sql_backend(const zmc_run *req)
{
    char *error = NULL;
    const zmc_plugin *p = host->backend(req, SQL_BACKEND, &error);
    if (!p) {
        fprintf(stderr, "zmc: error: the migration engine needs the SQL backend: %s\n",
                error ? error : "it cannot be loaded");
        free(error);
        return ZM_EXIT_IO;
    }
    if (p->size < offsetof(zmc_plugin, diff) + sizeof p->diff || !p->relational || !p->diff) {
        fprintf(stderr, "zmc: error: the backend '%s' has no relational schema and diff to migrate with "
                        "(plugin ABI 1.3)\n", SQL_BACKEND);
        return ZM_EXIT_IO;
    }
    zmc_plugin_rel = p->relational;
    zmc_plugin_diff = p->diff;
    return ZM_EXIT_OK;
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
    int status = use_sql_backend(req);
    if (status == ZM_EXIT_OK) status = dispatch(req->argc, argv);
    request = NULL;
    free(argv);
    zm_stop_reraise();      /* a deploy interrupted, its lock released: die of the signal */
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
