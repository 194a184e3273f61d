/*
** report.c — what the migration commands say: lines for people on the
** context's stream, errors on stderr, or one JSON object (--json) on the
** stream for CI, with the same facts. Database messages are printed with
** passwords masked, as everywhere in zmc.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migrate_int.h"
#include "stop.h"
#include "zmc/buf.h"

void mg_say(zm_migrate_ctx *c, const char *fmt, ...)
{
    if (c->json) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->out, fmt, ap);
    va_end(ap);
}

int mg_fail(zm_migrate_ctx *c, const char *code, const char *fmt, ...)
{
    zm_buf b = ZM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    zm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *masked = zm_db_mask_passwords(b.data ? b.data : "");
    if (c->json) {
        json_object_set_new(REPORT(c), "ok", json_false());
        json_t *e = json_object();
        if (code) json_object_set_new(e, "code", json_string(code));
        json_object_set_new(e, "message", json_string(masked ? masked : ""));
        json_object_set_new(REPORT(c), "error", e);
    } else {
        fprintf(stderr, "%s: error: %s%s%s%s\n", c->command, masked ? masked : "", code ? " (" : "", code ? code : "",
                code ? ")" : "");
    }
    free(masked);
    zm_buf_free(&b);
    return 1;
}

int mg_fail_db(zm_migrate_ctx *c, const char *what, const zm_db_error *err)
{
    char *message = zm_db_mask_passwords(err->message ? err->message : "unknown database error");
    if (c->json) {
        mg_fail(c, NULL, "%s: %s", what, message ? message : "");
        json_t *e = json_object_get(REPORT(c), "error");
        if (err->code) json_object_set_new(e, "databaseCode", json_string(err->code));
        if (err->statement) json_object_set_new(e, "statement", json_string(err->statement));
    } else {
        fprintf(stderr, "%s: error: %s: %s\n", c->command, what, message ? message : "");
        if (err->code && err->statement) fprintf(stderr, "  database error code: %s\n", err->code);
        if (err->statement) fprintf(stderr, "  in the statement:\n    %s\n", err->statement);
    }
    free(message);
    return 1;
}

void mg_list(zm_migrate_ctx *c, const char *key, const char *name)
{
    if (!c->json) return;
    json_t *a = json_object_get(REPORT(c), key);
    if (!a) {
        a = json_array();
        json_object_set_new(REPORT(c), key, a);
    }
    json_array_append_new(a, json_string(name));
}

void mg_lists(zm_migrate_ctx *c, ...)
{
    if (!c->json) return;
    va_list ap;
    va_start(ap, c);
    for (const char *key; (key = va_arg(ap, const char *));) json_object_set_new(REPORT(c), key, json_array());
    va_end(ap);
}

void mg_begin(zm_migrate_ctx *c, const char *command)
{
    if (!c->json) return;
    c->report = json_object();
    json_object_set_new(REPORT(c), "command", json_string(command));
    json_object_set_new(REPORT(c), "ok", json_true());
    json_object_set_new(REPORT(c), "migrationsDir", json_string(c->migrations_dir));
}

/* The one JSON document of --json, then the report is released. */
static void print_report(json_t *r, FILE *out)
{
    char *text = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text) fprintf(out, "%s\n", text);
    free(text);
    json_decref(r);
}

int mg_end(zm_migrate_ctx *c, int status)
{
    if (!c->json) return status;
    /* "ok" is the exit status, whatever path led here; a failure reported
       only on stderr (a shadow's P3006, a lost connection) still says so */
    json_object_set_new(REPORT(c), "ok", json_boolean(status == 0));
    if (status != 0 && !json_object_get(REPORT(c), "error")) {
        json_t *e = json_object();
        json_object_set_new(e, "message", json_string("the command failed; the details are on stderr"));
        json_object_set_new(REPORT(c), "error", e);
    }
    /* interrupted: zmc dies of the signal once the lock is released
       (zm_stop_reraise), and a shell sees 128 + its number */
    int sig = zm_stop_signal();
    if (sig) json_object_set_new(REPORT(c), "interrupted", json_string(zm_stop_signal_name()));
    json_object_set_new(REPORT(c), "exitCode", json_integer(sig ? 128 + sig : status));
    print_report(REPORT(c), c->out);
    c->report = NULL;
    return status;
}

int mg_report_early(const char *command, int argc, char **argv, int status, const char *message)
{
    bool json = false;
    for (int i = 1; i < argc && !json; i++) json = strcmp(argv[i], "--json") == 0;
    return json ? mg_report_error(command, status, message) : status;
}

int mg_report_error(const char *command, int status, const char *message)
{
    if (status == 0) return status;
    json_t *r = json_object(), *e = json_object();
    json_object_set_new(r, "command", json_string(command));
    json_object_set_new(r, "ok", json_false());
    json_object_set_new(e, "message", json_string(message ? message : "the command failed; the details are on stderr"));
    json_object_set_new(r, "error", e);
    json_object_set_new(r, "exitCode", json_integer(status));
    print_report(r, stdout);
    return status;
}
