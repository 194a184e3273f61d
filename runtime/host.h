/*
** host.h — what zmc offers its plugins (the zmc_host of zmc/plugin.h).
**
** A request runs one backend's emit(): it carries the IR, the options and
** the output path, collects the plugin's diagnostics and outputs, and, when
** emit() succeeded without errors, writes every output atomically.
*/
#ifndef ZM_HOST_H
#define ZM_HOST_H

#include <stdio.h>

#include "zmc/plugin.h"

typedef struct zm_host_output zm_host_output;

typedef struct zm_request {
    zmc_emit emit;                  /* handed to the plugin; emit.host_data is this */
    const char *plugin_name;        /* prefix of its messages */
    const char *project_dir;        /* relative outputs go here when the request
                                       has no output path (NULL: the current folder) */
    /* Options: entries of the schema's plugin block, then command-line ones. */
    const char *(*option)(void *ctx, const char *key);
    void *option_ctx;
    FILE *diag;                     /* where messages go (stderr) */
    int errors;
    zm_host_output *outputs;        /* in the order opened */
} zm_request;

/* The services table, with `ir` the host's IR functions. */
const zmc_host *zm_host_services(const zm_ir_api *ir);

/* Run plugin p (already initialised with state) on request r. Returns 0 when
   emit() succeeded and reported no error; the outputs are then written,
   each reported through `wrote` (may be NULL). Returns -1 otherwise, having
   written nothing. */
int zm_request_run(zm_request *r, const zmc_plugin *p, void *state,
                   void (*wrote)(const char *path, void *ctx), void *ctx);

/* The same without writing: the outputs stay in memory. */
int zm_request_emit(zm_request *r, const zmc_plugin *p, void *state);

/* The text of the request's first output (NULL if it opened none). */
const char *zm_request_output_text(const zm_request *r, size_t *len);

/* Free what the request collected. */
void zm_request_free(zm_request *r);

#endif
