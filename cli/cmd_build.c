/*
** cmd_build.c — `zmc build`: check the schema, then run its backends.
**
** Which backends run: the ones named with --backend; else those the schema's
** `plugin` blocks name (`provider = "prisma"` or "@core/prisma", "sql", or a
** path to a module .so); else `prisma`. --provider overrides the dialect the
** sql backend writes (its `dialect` option). A plugin block's other entries are the
** backend's options, and its `output` is relative to the schema's folder.
** Blocks for ZenStack's JavaScript plugins are skipped with a note, the
** migration engine's (`provider = "migrate"`) silently.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "zmc/ir.h"
#include "zmc/zmc.h"
#include "dialect.h"

const char zm_build_usage[] =
    "usage: zmc build [--schema PATH] [--zenstack 2|3] [--backend NAME|PATH]... [--output PATH]\n"
    "                 [--provider sqlite|postgresql|mysql] [-q]\n"
    "\n"
    "Check the schema, then run backends on its model IR. Without --backend, the\n"
    "schema's plugin blocks choose them (provider = \"prisma\", \"@core/prisma\", \"sql\"\n"
    "or the path of a module); without those, the prisma backend writes prisma/schema.prisma\n"
    "in the project (the folder above zenstack/, else the schema's folder).\n"
    "\n"
    "options:\n"
    "  --schema PATH       the schema (default: zenstack/schema.zmodel, else ./schema.zmodel)\n"
    "  --zenstack N        language level: 3 (ZenStack v3, the default) or 2 (ZenStack v2)\n"
    "  --backend NAME      run this backend: a module name (prisma, sql) or a path to a\n"
    "                      .so; may be repeated\n"
    "  --output PATH       where the (single) backend writes\n"
    "  --provider NAME     the SQL dialect the sql backend writes (default: the\n"
    "                      datasource's provider)\n"
    "  -q, --quiet         do not list the files written\n"
    "\n"
    "Modules are looked for in $ZMC_PLUGIN_PATH, the build tree and the install libdir.\n"
    "Exit status: 0 ok, 1 schema or backend errors, 2 usage error, 3 file error.\n";

enum { MAX_RUNS = 32 };

typedef struct run {
    const char *backend;            /* module name or path */
    char *output;                   /* malloc'ed, or NULL */
    const zm_ir_config *block;      /* the plugin block, or NULL */
    const char *dialect;            /* --provider, or NULL */
    char *owned;                    /* backend, when it is a path we made */
} run;

/* The folder part of `path` ("." when it has none), malloc'ed. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The project folder: the one above a schema kept in zenstack/, else the
   schema's own folder. */
static char *project_of(const char *schema)
{
    char *dir = dir_of(schema);
    size_t n = strlen(dir);
    if (dir && (strcmp(dir, "zenstack") == 0 || (n > 9 && strcmp(dir + n - 9, "/zenstack") == 0))) {
        char *up = dir_of(dir);
        free(dir);
        return up;
    }
    return dir;
}

/* `rel` taken from folder `dir`, malloc'ed. */
static char *join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || strcmp(dir, ".") == 0) return strdup(rel);
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, rel);
    return s;
}

/* The zmc backend a plugin block's provider names, or NULL. */
static const char *backend_of(const char *provider)
{
    if (!provider) return NULL;
    if (strcmp(provider, "prisma") == 0 || strcmp(provider, "@core/prisma") == 0) return "prisma";
    if (strcmp(provider, "sql") == 0) return "sql";
    size_t n = strlen(provider);
    if (n > 3 && strcmp(provider + n - 3, ".so") == 0) return provider;
    return NULL;
}

/* Options of a run: --provider as `dialect`, else the plugin block's
   entries, as text. */
static const char *run_option(void *ctx, const char *key)
{
    const run *r = ctx;
    if (r->dialect && strcmp(key, "dialect") == 0) return r->dialect;
    const zm_ir_config *block = r->block;
    if (!block) return NULL;
    const zm_ir_expr *v = zm_ir_config_value(block, key);
    if (!v) return NULL;
    switch (zm_ir_expr_kind_of(v)) {
    case ZM_IR_EXPR_STRING:
    case ZM_IR_EXPR_NUMBER:
        return zm_ir_expr_text(v);
    case ZM_IR_EXPR_BOOL:
        return zm_ir_expr_bool(v) ? "true" : "false";
    default:
        return NULL;
    }
}

static void print_wrote(const char *path, void *ctx)
{
    if (!*(bool *)ctx) printf("wrote %s\n", path);
}

/* Run one backend, writing its outputs. Returns 0 or an exit status. */
static int run_backend(const run *r, const zm_ir *ir, const char *schema, const char *project, bool quiet)
{
    zm_request req = {
        .emit = {.ir = ir, .schema_path = schema, .output = r->output},
        .project_dir = project,
        .option = run_option,
        .option_ctx = (void *)r,
        .diag = stderr,
    };
    int status = zm_cli_run_backend("zmc build", r->backend, &req, true, print_wrote, &quiet);
    zm_request_free(&req);
    return status;
}

int zm_cmd_build(int argc, char **argv)
{
    const char *schema = NULL, *level = NULL, *output = NULL, *dialect = NULL;
    const char *backends[MAX_RUNS];
    size_t nbackends = 0;
    bool quiet = false;
    int status = ZM_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *b = NULL;
        if (zm_arg_option(argc, argv, &i, "--backend", &b, &status)) {
            if (status) return status;
            if (nbackends == MAX_RUNS) {
                fprintf(stderr, "zmc build: error: at most %d backends\n", MAX_RUNS);
                return ZM_EXIT_USAGE;
            }
            backends[nbackends++] = b;
        } else if (zm_arg_option(argc, argv, &i, "--schema", &schema, &status) ||
                   zm_arg_option(argc, argv, &i, "--zenstack", &level, &status) ||
                   zm_arg_option(argc, argv, &i, "--output", &output, &status) ||
                   zm_arg_option(argc, argv, &i, "--provider", &dialect, &status)) {
            if (status) return status;
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            quiet = true;
        } else {
            fprintf(stderr, "zmc build: error: unexpected argument '%s'\n", argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    if (output && nbackends > 1) {
        fputs("zmc build: error: --output needs a single --backend\n", stderr);
        return ZM_EXIT_USAGE;
    }
    char *why = NULL;
    if (dialect && !zm_dialect_find(dialect, &why)) {
        fprintf(stderr, "zmc build: error: %s\n", why ? why : "no such dialect");
        free(why);
        return ZM_EXIT_USAGE;
    }
    int zenstack = 3;
    if (level && (zenstack = zm_arg_level(level)) == 0) return ZM_EXIT_USAGE;
    const char *path = zm_arg_find_schema(schema);
    if (!path) return ZM_EXIT_USAGE;

    zm_compilation *c = zm_cli_compile(path, zenstack, &status);
    if (!c) return status;
    const zm_ir *ir = zm_compilation_ir(c);
    char *schema_dir = dir_of(path), *project = project_of(path);

    run runs[MAX_RUNS];
    size_t nruns = 0;
    for (size_t i = 0; i < nbackends; i++)
        runs[nruns++] = (run){backends[i], output ? strdup(output) : NULL, NULL, dialect, NULL};
    for (size_t i = 0; !nbackends && i < zm_ir_plugin_count(ir) && nruns < MAX_RUNS; i++) {
        const zm_ir_config *block = zm_ir_plugin_at(ir, i);
        const char *provider = zm_ir_config_string(block, "provider");
        const char *backend = backend_of(provider);
        if (!backend) {
            /* the migration engine's own block (plugins/migrate/delegate.h) */
            if (provider && strcmp(provider, "migrate") == 0) continue;
            if (!quiet)
                fprintf(stderr, "zmc build: note: skipping plugin %s (provider \"%s\"): not a zmc backend\n",
                        zm_ir_config_name(block), provider ? provider : "?");
            continue;
        }
        const char *out = zm_ir_config_string(block, "output");
        run *r = &runs[nruns++];
        *r = (run){backend, out ? join(schema_dir, out) : NULL, block, dialect, NULL};
        if (backend == provider) r->backend = r->owned = join(schema_dir, provider);  /* a module path */
    }
    if (nruns == 0) runs[nruns++] = (run){"prisma", NULL, NULL, dialect, NULL};
    if (output && !nbackends) {
        if (nruns > 1) {
            fputs("zmc build: error: --output needs a single backend, and the schema names several\n", stderr);
            status = ZM_EXIT_USAGE;
        } else {
            free(runs[0].output);
            runs[0].output = strdup(output);
        }
    }

    for (size_t i = 0; i < nruns && status == ZM_EXIT_OK; i++)
        status = run_backend(&runs[i], ir, path, project, quiet);

    for (size_t i = 0; i < nruns; i++) {
        free(runs[i].output);
        free(runs[i].owned);
    }
    free(schema_dir);
    free(project);
    zm_compilation_free(c);
    return status;
}
