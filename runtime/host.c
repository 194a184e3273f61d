/*
** host.c — the services zmc hands to plugins (see host.h).
*/
#define _GNU_SOURCE 1
#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dialect.h"
#include "zmc/buf.h"
#include "zmc/command.h"

struct zm_host_output {
    char *path;
    zm_buf text;
    zm_host_output *next;
};

static zm_request *request_of(const zmc_emit *req) { return req ? req->host_data : NULL; }

static void report(const zmc_emit *req, const char *severity, const char *fmt, va_list ap)
{
    zm_request *r = request_of(req);
    FILE *out = r && r->diag ? r->diag : stderr;
    fprintf(out, "zmc: %s%s%s: ", r && r->plugin_name ? r->plugin_name : "plugin",
            *severity ? ": " : "", severity);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
}

static void host_error(const zmc_emit *req, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(req, "error", fmt, ap);
    va_end(ap);
    zm_request *r = request_of(req);
    if (r) r->errors++;
}

static void host_warning(const zmc_emit *req, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(req, "warning", fmt, ap);
    va_end(ap);
}

static const char *host_option(const zmc_emit *req, const char *key)
{
    zm_request *r = request_of(req);
    return r && r->option ? r->option(r->option_ctx, key) : NULL;
}

/* `path` as the plugin gave it: NULL is the request's output; a relative
   path is taken from the folder of the request's output, or from the
   project folder when the request has none. */
static char *resolve_output(const zm_request *r, const char *path)
{
    const char *out = r->emit.output;
    if (!path) return out ? strdup(out) : NULL;
    if (path[0] == '/') return strdup(path);
    int dir_len = 0;
    const char *dir = NULL;
    if (out) {
        const char *slash = strrchr(out, '/');
        if (slash) dir = out, dir_len = (int)(slash - out);
    } else if (r->project_dir && *r->project_dir && strcmp(r->project_dir, ".") != 0) {
        dir = r->project_dir, dir_len = (int)strlen(r->project_dir);
    }
    if (!dir) return strdup(path);
    char *s = NULL;
    if (asprintf(&s, "%.*s/%s", dir_len, dir, path) < 0) return NULL;
    return s;
}

static zmc_output *host_output_open(const zmc_emit *req, const char *path)
{
    zm_request *r = request_of(req);
    if (!r) return NULL;
    char *full = resolve_output(r, path);
    if (!full) {
        host_error(req, "no output path: set `output` in the plugin block or pass --output");
        return NULL;
    }
    zm_host_output **tail = &r->outputs;
    for (; *tail; tail = &(*tail)->next)
        if (strcmp((*tail)->path, full) == 0) {    /* opened again: start over */
            free(full);
            (*tail)->text.len = 0;
            return (zmc_output *)*tail;
        }
    zm_host_output *o = calloc(1, sizeof *o);
    if (!o) {
        free(full);
        return NULL;
    }
    o->path = full;
    *tail = o;
    return (zmc_output *)o;
}

static void host_output_write(zmc_output *out, const char *data, size_t len)
{
    if (out) zm_buf_append(&((zm_host_output *)out)->text, data, len);
}

static void host_output_printf(zmc_output *out, const char *fmt, ...)
{
    if (!out) return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n > 0) zm_buf_append(&((zm_host_output *)out)->text, s, (size_t)n);
    free(s);
}

const zmc_host *zm_host_services(const zm_ir_api *ir)
{
    static zmc_host host;
    host = (zmc_host){
        .abi_major = ZMC_PLUGIN_ABI_MAJOR,
        .abi_minor = ZMC_PLUGIN_ABI_MINOR,
        .size = sizeof(zmc_host),
        .zmc_version = ZMC_VERSION,
        .ir = ir,
        .error = host_error,
        .warning = host_warning,
        .option = host_option,
        .output_open = host_output_open,
        .output_write = host_output_write,
        .output_printf = host_output_printf,
        .dialect = zm_dialect_find,
        .buf = &zm_buf_api_table,
        .command = &zm_command_api_table,
    };
    return &host;
}

/* mkdir -p for the folder holding `path`. */
static int make_parents(const char *path)
{
    char *p = strdup(path);
    if (!p) return -1;
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

int zm_request_emit(zm_request *r, const zmc_plugin *p, void *state)
{
    r->emit.size = sizeof r->emit;
    r->emit.host_data = r;
    if (!p->emit) {
        host_error(&r->emit, "this plugin cannot emit files (it is not a backend)");
        return -1;
    }
    int rc = p->emit(state, &r->emit);
    if (rc != 0 && r->errors == 0) host_error(&r->emit, "failed without saying why (status %d)", rc);
    return rc != 0 || r->errors ? -1 : 0;
}

const char *zm_request_output_text(const zm_request *r, size_t *len)
{
    if (!r->outputs) return NULL;
    *len = r->outputs->text.len;
    return r->outputs->text.data ? r->outputs->text.data : "";
}

int zm_request_run(zm_request *r, const zmc_plugin *p, void *state,
                   void (*wrote)(const char *path, void *ctx), void *ctx)
{
    if (zm_request_emit(r, p, state) != 0) return -1;
    for (zm_host_output *o = r->outputs; o; o = o->next) {
        if (make_parents(o->path) != 0 ||
            zm_write_file_atomic(o->path, o->text.data ? o->text.data : "", o->text.len) != 0) {
            host_error(&r->emit, "cannot write %s: %s", o->path, strerror(errno));
            return -1;
        }
        if (wrote) wrote(o->path, ctx);
    }
    return 0;
}

void zm_request_free(zm_request *r)
{
    for (zm_host_output *o = r->outputs, *next; o; o = next) {
        next = o->next;
        free(o->path);
        zm_buf_free(&o->text);
        free(o);
    }
    r->outputs = NULL;
}
