/*
** backend.c — compile a schema; load a backend and run a request (backend.h).
*/
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "module.h"

zm_compilation *zm_cli_compile(const char *path, int level, int *status)
{
    zm_options opts = {.version = sizeof opts, .zenstack = level ? level : 3, .require_datasource = 1};
    zm_compilation *c = zm_compilation_new(&opts);
    if (!c) {
        fputs("zmc: error: out of memory\n", stderr);
        *status = ZM_EXIT_IO;
        return NULL;
    }
    int rc = zm_compilation_load_file(c, path);
    if (rc == ZM_OK) rc = zm_compilation_check(c);
    zm_compilation_print_diagnostics(c, stderr);
    if (rc != ZM_OK) {
        size_t errors = zm_compilation_error_count(c);
        zm_compilation_free(c);
        if (rc == ZM_ENOTFOUND || rc == ZM_EIO) {
            *status = ZM_EXIT_IO;
        } else {
            fprintf(stderr, "%zu error%s\n", errors, errors == 1 ? "" : "s");
            *status = ZM_EXIT_SCHEMA;
        }
        return NULL;
    }
    *status = ZM_EXIT_OK;
    return c;
}

int zm_cli_run_backend(const char *command, const char *name, zm_request *req, bool write,
                       void (*wrote)(const char *path, void *ctx), void *ctx)
{
    char *error = NULL;
    zm_module *m = zm_module_load(name, &error);
    if (!m) {
        fprintf(stderr, "%s: error: %s\n", command, error ? error : "cannot load plugin");
        free(error);
        return ZM_EXIT_SCHEMA;
    }
    const zmc_plugin *p = zm_module_plugin(m);
    const zmc_host *host = zm_host_services(&zm_ir_api_table);
    if (!req->plugin_name) req->plugin_name = p->name ? p->name : name;
    void *state = NULL;
    int status = ZM_EXIT_OK;
    if (p->kind != ZMC_PLUGIN_BACKEND) {
        fprintf(stderr, "%s: error: %s is not a backend\n", command, zm_module_path(m));
        status = ZM_EXIT_SCHEMA;
    } else if (p->init && p->init(host, &state) != 0) {
        fprintf(stderr, "%s: error: backend %s failed to start\n", command, req->plugin_name);
        status = ZM_EXIT_SCHEMA;
    } else {
        int rc = write ? zm_request_run(req, p, state, wrote, ctx) : zm_request_emit(req, p, state);
        if (rc != 0) status = ZM_EXIT_SCHEMA;
        if (p->fini) p->fini(state);
    }
    zm_module_unload(m);
    return status;
}
