/*
** common.c — what the database interface and every driver share (db.h,
** driver.h): rows, errors, the statement finder. The PostgreSQL driver is
** a module of its own (so zmc starts without loading libpq and its two
** dozen libraries) and links this file too.
*/
#include "driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zmc/buf.h"

void zm_db_rows_free(zm_db_rows *rows)
{
    if (!rows) return;
    for (size_t i = 0; rows->names && i < rows->ncols; i++) free(rows->names[i]);
    for (size_t i = 0; rows->cells && i < rows->nrows * rows->ncols; i++) free(rows->cells[i]);
    free(rows->names);
    free(rows->cells);
    memset(rows, 0, sizeof *rows);
}

/* ---- errors ----------------------------------------------------------------------- */

void zm_db_error_clear(zm_db_error *err)
{
    if (!err) return;
    free(err->message);
    free(err->statement);
    free(err->code);
    memset(err, 0, sizeof *err);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

zm_db_status zm_db_fail(zm_db_error *err, zm_db_status status, const char *message,
                        const char *statement, const char *code)
{
    if (!err) return status;
    zm_db_error_clear(err);
    err->message = dup_or_null(message);
    err->statement = dup_or_null(statement);
    err->code = dup_or_null(code);
    return status;
}

zm_db_status zm_db_failf(zm_db_error *err, zm_db_status status, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return zm_db_fail(err, status, buf, NULL, NULL);
}

void zm_db_quote_into(zm_buf *b, char quote, const char *name)
{
    zm_buf_putc(b, quote);
    for (const char *p = name; *p; p++) {
        if (*p == quote) zm_buf_putc(b, quote);
        zm_buf_putc(b, *p);
    }
    zm_buf_putc(b, quote);
}

void zm_db_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- statements ------------------------------------------------------------------- */

/* The end of the PostgreSQL dollar-quote tag starting at s ("$tag$" or
   "$$"), or NULL when s does not start one. */
static const char *dollar_tag_end(const char *s)
{
    const char *p = s + 1;
    while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
        p++;
    if (*p != '$' || (p > s + 1 && s[1] >= '0' && s[1] <= '9')) return NULL;
    return p + 1;
}

/* Past the token starting at p: a quoted string or identifier, a comment or
   a dollar-quoted body; else one byte. */
static const char *skip_token(const char *p)
{
    if (*p == '\'' || *p == '"' || *p == '`') {
        char q = *p++;
        while (*p && !(*p == q && p[1] != q)) p += (*p == q) ? 2 : 1;
        return *p ? p + 1 : p;
    }
    if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n') p++;
        return p;
    }
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    if (*p == '$') {
        const char *t = dollar_tag_end(p);
        if (t) {
            size_t n = (size_t)(t - p);
            for (const char *q = t; *q; q++)
                if (*q == '$' && strncmp(q, p, n) == 0) return q + n;
            return p + strlen(p);
        }
    }
    return p + 1;
}

char *zm_db_statement_at(const char *script, size_t pos)
{
    size_t len = strlen(script);
    if (pos > len) pos = len;
    const char *start = script, *p = script;
    while (*p) {
        if (*p == ';') {
            if ((size_t)(p - script) >= pos) break;
            start = p + 1;
            p++;
            continue;
        }
        p = skip_token(p);
    }
    const char *end = *p ? p + 1 : p;
    /* Trim blank lines and comment lines in front, spaces behind. */
    for (;;) {
        while (start < end && (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')) start++;
        if (start + 1 < end && start[0] == '-' && start[1] == '-') {
            while (start < end && *start != '\n') start++;
            continue;
        }
        break;
    }
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) end--;
    return strndup(start, (size_t)(end - start));
}

/* ---- URLs for messages --------------------------------------------------------------- */

char *zm_db_url_location(const zm_db_url *u)
{
    if (u->dialect->url_form == ZMC_URL_FILE) return strdup(u->path ? u->path : "");
    const char *host = u->host ? u->host : "localhost";
    const char *port = u->port ? u->port : u->dialect->default_port ? u->dialect->default_port : "";
    size_t n = strlen(host) + strlen(port) + 4;
    char *s = malloc(n);
    if (s) snprintf(s, n, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
    return s;
}

char *zm_db_url_display(const zm_db_url *u)
{
    const char *scheme = u->dialect->url_schemes[0];
    if (u->dialect->url_form == ZMC_URL_FILE) {
        size_t n = strlen(scheme) + strlen(u->path ? u->path : "") + 2;
        char *s = malloc(n);
        if (s) snprintf(s, n, "%s:%s", scheme, u->path ? u->path : "");
        return s;
    }
    char *loc = zm_db_url_location(u);
    const char *user = u->user ? u->user : "", *db = u->database ? u->database : "";
    /* the schema is shown when it is a parameter of its own (PostgreSQL's) */
    const char *schema = u->dialect->default_schema && u->schema ? u->schema : NULL;
    size_t n = strlen(scheme) + strlen(user) + (loc ? strlen(loc) : 0) + strlen(db) +
               (schema ? strlen(schema) : 0) + 48;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s://%s%s%s%s/%s%s%s", scheme, user, u->password ? ":****" : "",
                 u->user || u->password ? "@" : "", loc ? loc : "", db, schema ? "?schema=" : "",
                 schema ? schema : "");
    free(loc);
    return s;
}

char *zm_db_mask_passwords(const char *text)
{
    zm_buf b = ZM_BUF_INIT;
    const char *p = text;
    for (const char *scheme; (scheme = strstr(p, "://"));) {
        const char *u = scheme + 3;
        size_t span = strcspn(u, "/?# \t\r\n\"'`");
        const char *at = NULL;
        for (const char *q = u; q < u + span; q++)
            if (*q == '@') at = q;
        const char *colon = at ? memchr(u, ':', (size_t)(at - u)) : NULL;
        if (colon) {
            zm_buf_append(&b, p, (size_t)(colon + 1 - p));
            zm_buf_puts(&b, "****");
            p = at;
        } else {
            zm_buf_append(&b, p, (size_t)(u - p));
            p = u;
        }
    }
    zm_buf_puts(&b, p);
    return b.data;
}
