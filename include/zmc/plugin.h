/*
** plugin.h — the ABI of zmc's loadable modules: backends, and command
** modules such as the migration engine.
**
** A module is a shared object that exports one symbol, `zmc_plugin_descriptor`,
** a zmc_plugin. The host (zmc) loads it, checks the ABI version before it
** calls anything, then calls init() with a table of host services, emit() for
** each request, and fini(). Everything a module needs from zmc comes through
** that table, the model IR included: build a module with -DZMC_PLUGIN and
** the IR functions of zmc/ir.h are redirected through it, so the module links
** against nothing of zmc (`-Wl,--no-undefined` holds).
**
**     #define ZMC_PLUGIN
**     #include <zmc/plugin.h>
**
**     ZMC_PLUGIN_IR;                              // the IR table pointer
**
**     static int init(const zmc_host *host, void **state) {
**         zmc_plugin_ir = host->ir;
**         *state = (void *)host;
**         return 0;
**     }
**     static int emit(void *state, const zmc_emit *req) {
**         const zmc_host *host = state;
**         zmc_output *out = host->output_open(req, "models.txt");
**         for (size_t i = 0; i < zm_ir_model_count(req->ir); i++)
**             host->output_printf(out, "%s\n", zm_ir_model_name(zm_ir_model_at(req->ir, i)));
**         return 0;
**     }
**     ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
**         ZMC_PLUGIN_HEADER(ZMC_PLUGIN_BACKEND, "models", "1.0.0", "model names, one per line"),
**         .init = init, .emit = emit,
**     };
**
** A command module (kind ZMC_PLUGIN_COMMAND) runs whole command lines
** instead: zmc hands `zmc migrate dev -n init` to run() as argv {"migrate",
** "dev", "-n", "init"}, and the module asks the host to compile schemas.
**
** Compatibility: a host loads a module whose ABI major equals its own and
** whose minor is not newer than its own. Structs carry their size, so fields
** appended in a later minor version are read only when present.
*/
#ifndef ZMC_PLUGIN_H
#define ZMC_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "zmc/dialect.h"
#include "zmc/ir.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZMC_PLUGIN_ABI_MAJOR 1
#define ZMC_PLUGIN_ABI_MINOR 4

/* The name of the one symbol a module exports. */
#define ZMC_PLUGIN_SYMBOL "zmc_plugin_descriptor"

#if defined(__GNUC__)
#define ZMC_PLUGIN_EXPORT __attribute__((visibility("default")))
#define ZMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ZMC_PLUGIN_EXPORT
#define ZMC_PRINTF(f, a)
#endif

typedef enum zmc_plugin_kind {
    ZMC_PLUGIN_BACKEND = 1,     /* reads the model IR, writes files */
    ZMC_PLUGIN_COMMAND = 2,     /* runs zmc commands (ABI 1.1): `migrate`, `db` */
    ZMC_PLUGIN_DIALECT = 3,     /* a database (ABI 1.2): zmc/dialect.h, module dialect_<provider> */
    ZMC_PLUGIN_DRIVER = 4       /* a database's client (ABI 1.2), named by its dialect */
} zmc_plugin_kind;

typedef struct zmc_emit zmc_emit;
typedef struct zmc_plugin zmc_plugin;

/* The tables of zmc/buf.h, zmc/command.h, zmc/db.h, zmc/relational.h and
   zmc/diff.h (ABI 1.3); include those headers to use them. */
struct zm_buf_api;
struct zm_command_api;
struct zm_db_api;
struct zm_rel_api;
struct zm_diff_api;
typedef struct zmc_output zmc_output;
typedef struct zmc_run zmc_run;

/* One request to a backend. */
struct zmc_emit {
    size_t size;                /* sizeof(zmc_emit) of the host */
    const zm_ir *ir;            /* the checked schema */
    const char *schema_path;    /* the entry schema file */
    const char *output;         /* the output path asked for (the plugin block's
                                   `output`, or --output), or NULL: the backend's
                                   default. Relative paths are the host's business. */
    void *host_data;            /* the host's; do not touch */
};

/* One command line for a command module (ABI 1.1). */
struct zmc_run {
    size_t size;                /* sizeof(zmc_run) of the host */
    int argc;
    char **argv;                /* argv[0] is the command: "migrate", "db" */
    void *host_data;            /* the host's; do not touch */
};

/* What the host offers a module. All functions are safe to call from emit();
   output_* and error may also be called from init() with req NULL. */
typedef struct zmc_host {
    uint32_t abi_major, abi_minor;
    size_t size;                /* sizeof(zmc_host) of the host */
    const char *zmc_version;

    /* The model IR functions of zmc/ir.h (see ZMC_PLUGIN_IR). */
    const zm_ir_api *ir;

    /* Report a problem; an error fails the request. Messages are one line,
       without the "error:" prefix or a newline. */
    void (*error)(const zmc_emit *req, const char *fmt, ...) ZMC_PRINTF(2, 3);
    void (*warning)(const zmc_emit *req, const char *fmt, ...) ZMC_PRINTF(2, 3);

    /* An option of the request, as a string: an entry of the schema's plugin
       block (`format = true` gives "true"), or a --option of the command
       line. NULL if not set. */
    const char *(*option)(const zmc_emit *req, const char *key);

    /* Outputs are collected in memory and written when emit() returns 0,
       each file atomically (temporary file, then rename); after an error
       nothing is written. `path` NULL means the request's output path. */
    zmc_output *(*output_open)(const zmc_emit *req, const char *path);
    void (*output_write)(zmc_output *out, const char *data, size_t len);
    void (*output_printf)(zmc_output *out, const char *fmt, ...) ZMC_PRINTF(2, 3);

    /* ABI 1.1, for command modules (check `size` before use). Compile and
       check the schema at `path` with ZenStack language level `level` (0:
       the default). Diagnostics go to stderr. Returns the IR, valid until
       run() returns, or NULL with *status the exit status (1 the schema
       has errors, 3 it cannot be read). */
    const zm_ir *(*compile)(const zmc_run *req, const char *path, int level, int *status);

    /* ABI 1.1, for command modules. Run the backend `backend` (a module
       name, "prisma", or a path) on `ir`, from the schema at `schema_path`,
       and return what it wrote to its output, in memory: malloc'ed (free()
       it), *len its length. Nothing is written to disk. NULL after the
       backend's errors were printed. */
    char *(*render)(const zmc_run *req, const zm_ir *ir, const char *schema_path, const char *backend, size_t *len);

    /* ABI 1.2. The dialect of a provider name ("postgresql", an alias such as
       "postgres", a third party's), loaded once and kept; NULL with *error
       set (malloc'ed) when there is none. */
    const zmc_dialect *(*dialect)(const char *provider, char **error);

    /* ABI 1.3. The string builder (zmc/buf.h), the command-line helpers
       (zmc/command.h) and the database connections (zmc/db.h) as tables:
       a module compiled with ZMC_PLUGIN points zmc_plugin_buf,
       zmc_plugin_command and zmc_plugin_db at them and calls the functions
       by their names. `db` is NULL where the host has no databases (a
       backend's emit). */
    const struct zm_buf_api *buf;
    const struct zm_command_api *command;
    const struct zm_db_api *db;

    /* ABI 1.3, for command modules. The backend module `name` ("sql"),
       loaded, started with init() and kept until run() returns: its
       descriptor, whose tables (zmc_plugin.relational, .diff) the command
       calls. NULL with *error set (malloc'ed) when there is none. */
    const zmc_plugin *(*backend)(const zmc_run *req, const char *name, char **error);

    /* ABI 1.4, for command modules (db pull). The schema file at `path`
       with `pulled` (ZModel models and enums read from a database) merged
       in, as `zmc db pull --help` describes, in the layout `zmc format`
       writes; with `force` the file's models and enums are replaced. `keep`
       (NULL: none): names of models, one per line, whose tables did not
       change: the file's text of them stays, and only the pulled fields
       they lack are added. `path` NULL: an empty file. Malloc'ed, *out_len
       its length; NULL after the reason was printed to stderr. */
    char *(*pull_merge)(const zmc_run *req, const char *path, const char *pulled, size_t len, int force,
                        const char *keep, size_t *out_len);
} zmc_host;

/* The descriptor a module exports as `zmc_plugin_descriptor`. */
struct zmc_plugin {
    uint32_t abi_major, abi_minor;
    size_t size;                /* sizeof(zmc_plugin) of the module */
    zmc_plugin_kind kind;
    const char *name;           /* short name: "prisma", "erd" */
    const char *version;
    const char *description;    /* one line, for `zmc build --list` */

    /* Optional. Returns 0, or nonzero after reporting why through host->error. */
    int (*init)(const zmc_host *host, void **state);
    void (*fini)(void *state);

    /* Capabilities, each optional. Backends: write the artefact for the IR. */
    int (*emit)(void *state, const zmc_emit *req);

    /* ABI 1.1. Command modules: run one command line; returns its exit
       status (0 ok, 1 failed or refused, 2 usage, 3 cannot reach a file or
       database). The module prints its own output and messages. */
    int (*run)(void *state, const zmc_run *req);

    /* ABI 1.2. Dialect modules: the database (zmc/dialect.h). Driver
       modules: its client. Neither has init, emit or run. */
    const zmc_dialect *dialect;
    const zmc_db_driver *driver;

    /* ABI 1.3. A backend's functions for other modules: the SQL backend
       hands out its relational schema (zmc/relational.h) and diff
       (zmc/diff.h), which the migration engine uses through the host. */
    const struct zm_rel_api *relational;
    const struct zm_diff_api *diff;
};

/* The first fields of a descriptor, filled in for this header's ABI. */
#define ZMC_PLUGIN_HEADER(kind_, name_, version_, description_)                   \
    .abi_major = ZMC_PLUGIN_ABI_MAJOR, .abi_minor = ZMC_PLUGIN_ABI_MINOR,           \
    .size = sizeof(zmc_plugin), .kind = (kind_), .name = (name_),                   \
    .version = (version_), .description = (description_)

/* In one source file of a module: the definition of the IR table pointer
   that zmc/ir.h's names go through under ZMC_PLUGIN. */
#define ZMC_PLUGIN_IR const zm_ir_api *zmc_plugin_ir

#ifdef __cplusplus
}
#endif

#endif
