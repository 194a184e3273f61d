/*
** cmd_module.c — `zmc migrate ...` and `zmc db ...`: commands a module runs.
**
** The migration engine is a loadable module (plugins/migrate, ABI kind
** ZMC_PLUGIN_COMMAND). zmc loads it, hands it the command line and the host
** services (the front end's compile among them: the module links no front
** end; render, a backend's output in memory), and returns its exit status.
** Every schema compiled for the module lives until run() returns.
*/
#define _GNU_SOURCE 1
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "compilation.h"
#include "pull_merge.h"
#include "zmc/command.h"
#include "module.h"
#include "zmc/db.h"

/* The module that runs the database commands: by name through the plugin
   search path ($ZMC_PLUGIN_PATH, the build tree, the installed folder). */
#define ENGINE_MODULE "migrate"

typedef struct compiled {
    zm_compilation *c;
    char *path;
    int level;
    struct compiled *next;
} compiled;

/* A backend module the command asked for (host.backend), started. */
typedef struct loaded {
    zm_module *module;
    void *state;
    struct loaded *next;
} loaded;

typedef struct run_ctx {
    compiled *compilations;
    loaded *backends;
    const zmc_host *host;
} run_ctx;

/* Each schema is compiled once per command, however often the module asks. */
static const zm_ir *host_compile(const zmc_run *req, const char *path, int level, int *status)
{
    run_ctx *ctx = req->host_data;
    for (compiled *c = ctx->compilations; c; c = c->next)
        if (c->level == level && strcmp(c->path, path) == 0) {
            *status = ZM_EXIT_OK;
            return zm_compilation_ir(c->c);
        }
    compiled *node = calloc(1, sizeof *node);
    char *copy = strdup(path);
    if (!node || !copy) {
        fputs("zmc: error: out of memory\n", stderr);
        free(node);
        free(copy);
        *status = ZM_EXIT_IO;
        return NULL;
    }
    zm_compilation *c = zm_cli_compile(path, level, status);
    if (!c) {
        free(node);
        free(copy);
        return NULL;
    }
    *node = (compiled){c, copy, level, ctx->compilations};
    ctx->compilations = node;
    return zm_compilation_ir(c);
}

static char *host_render(const zmc_run *req, const zm_ir *ir, const char *schema_path, const char *backend,
                         size_t *len)
{
    (void)req;
    /* The output path only names the text; nothing is written. */
    zm_request r = {
        .emit = {.ir = ir, .schema_path = schema_path, .output = "schema.out"},
        .diag = stderr,
    };
    char *text = NULL;
    if (zm_cli_run_backend("zmc", backend, &r, false, NULL, NULL) == 0) {
        const char *out = zm_request_output_text(&r, len);
        if (!out) {
            fprintf(stderr, "zmc: error: the %s backend wrote nothing\n", backend);
        } else if ((text = malloc(*len + 1))) {
            memcpy(text, out, *len);
            text[*len] = '\0';
        }
    }
    zm_request_free(&r);
    return text;
}

/* A backend for the command module to call (the SQL backend's relational
   schema and diff), loaded and started once per command. */
static const zmc_plugin *host_backend(const zmc_run *req, const char *name, char **error)
{
    run_ctx *ctx = req->host_data;
    for (loaded *l = ctx->backends; l; l = l->next) {
        const zmc_plugin *p = zm_module_plugin(l->module);
        if (p->name && strcmp(p->name, name) == 0) return p;
    }
    zm_module *m = zm_module_load(name, error);
    if (!m) return NULL;
    const zmc_plugin *p = zm_module_plugin(m);
    loaded *l = calloc(1, sizeof *l);
    if (!l || p->kind != ZMC_PLUGIN_BACKEND || (p->init && p->init(ctx->host, &l->state) != 0)) {
        if (error && asprintf(error, "%s %s", zm_module_path(m),
                              !l ? "cannot be loaded: out of memory"
                                 : p->kind != ZMC_PLUGIN_BACKEND ? "is not a backend" : "failed to start") < 0)
            *error = NULL;
        free(l);
        zm_module_unload(m);
        return NULL;
    }
    l->module = m;
    l->next = ctx->backends;
    ctx->backends = l;
    return p;
}

static char *host_pull_merge(const zmc_run *req, const char *path, const char *pulled, size_t len, int force,
                             const char *keep, size_t *out_len)
{
    (void)req;
    char *text = NULL;
    size_t text_len = 0;
    if (path && zm_read_file(path, &text, &text_len) != 0) {
        fprintf(stderr, "zmc: error: cannot read %s\n", path);
        return NULL;
    }
    zm_buf out = ZM_BUF_INIT;
    int rc = zm_pull_merge(path ? path : "schema.zmodel", text ? text : "", text_len, pulled, len, force != 0, keep,
                           &out);
    free(text);
    if (rc != 0) {
        zm_buf_free(&out);
        return NULL;
    }
    if (out_len) *out_len = out.len;
    return out.data ? out.data : strdup("");
}

/* The module's run(), when its descriptor is new enough to have one. */
static int (*run_of(const zmc_plugin *p))(void *, const zmc_run *)
{
    if (p->kind != ZMC_PLUGIN_COMMAND || p->size < offsetof(zmc_plugin, run) + sizeof p->run) return NULL;
    return p->run;
}

static int run_module(int argc, char **argv)
{
    char *error = NULL;
    zm_module *m = zm_module_load(ENGINE_MODULE, &error);
    if (!m) {
        fprintf(stderr, "zmc %s: error: the migration engine: %s\n", argv[0], error ? error : "cannot load it");
        free(error);
        return ZM_EXIT_IO;
    }
    const zmc_plugin *p = zm_module_plugin(m);
    int (*run)(void *, const zmc_run *) = run_of(p);
    if (!run) {
        fprintf(stderr, "zmc %s: error: %s does not run commands (it is not a command module)\n", argv[0],
                zm_module_path(m));
        zm_module_unload(m);
        return ZM_EXIT_IO;
    }
    zmc_host host = *zm_host_services(&zm_ir_api_table);
    host.compile = host_compile;
    host.render = host_render;
    host.db = &zm_db_api_table;
    host.backend = host_backend;
    host.pull_merge = host_pull_merge;
    run_ctx ctx = {.host = &host};
    zmc_run req = {.size = sizeof req, .argc = argc, .argv = argv, .host_data = &ctx};
    void *state = NULL;
    int status;
    if (p->init && p->init(&host, &state) != 0) {
        fprintf(stderr, "zmc %s: error: the migration engine %s failed to start\n", argv[0], zm_module_path(m));
        status = ZM_EXIT_IO;
    } else {
        status = run(state, &req);
        if (p->fini) p->fini(state);
    }
    for (loaded *l = ctx.backends, *next; l; l = next) {
        next = l->next;
        const zmc_plugin *b = zm_module_plugin(l->module);
        if (b->fini) b->fini(l->state);
        zm_module_unload(l->module);
        free(l);
    }
    for (compiled *c = ctx.compilations, *next; c; c = next) {
        next = c->next;
        zm_compilation_free(c->c);
        free(c->path);
        free(c);
    }
    zm_module_unload(m);
    return status;
}

int zm_cmd_migrate(int argc, char **argv) { return run_module(argc, argv); }
int zm_cmd_db(int argc, char **argv) { return run_module(argc, argv); }
