/*
** url.c — datasource URLs as Prisma reads them (db.h).
**
**   file:./dev.db?connection_limit=1              SQLite; relative to the schema's folder
**   postgresql://u:p%40ss@host:5432/app?schema=s  PostgreSQL (also postgres://)
**
** Query parameters Prisma defines are mapped to libpq's (sslmode; sslcert,
** Prisma's CA certificate, is libpq's sslrootcert; host= a socket folder);
** pool settings such as connection_limit mean nothing to a one-connection
** tool and are listed as ignored, so commands can say so. Percent-escapes
** are decoded in every part.
*/
#include "db.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* s[0..n) with %XX decoded, malloc'ed. */
static char *decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

static char *path_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0) return strdup(rel);
    while (rel[0] == '.' && rel[1] == '/') rel += 2;     /* dir/./x.db reads as dir/x.db */
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, rel);
    return s;
}

static char *fail(char **error, const char *fmt, const char *arg)
{
    size_t n = strlen(fmt) + (arg ? strlen(arg) : 0) + 1;
    *error = malloc(n);
    if (*error) snprintf(*error, n, fmt, arg ? arg : "");
    return NULL;
}

static void add_param(zm_db_url *u, const char *key, char *value)
{
    zm_db_param *p = realloc(u->params, (u->nparams + 1) * sizeof *p);
    if (!p) {
        free(value);
        return;
    }
    u->params = p;
    u->params[u->nparams++] = (zm_db_param){strdup(key), value};
}

static void add_ignored(zm_db_url *u, const char *key, size_t n)
{
    char **p = realloc(u->ignored, (u->nignored + 1) * sizeof *p);
    if (!p) return;
    u->ignored = p;
    u->ignored[u->nignored++] = strndup(key, n);
}

/* Prisma's PostgreSQL parameters that zmc passes on, as libpq keywords. */
static const char *libpq_key(const char *key, size_t n)
{
    static const char *const map[][2] = {
        {"sslmode", "sslmode"},           {"sslcert", "sslrootcert"}, {"connect_timeout", "connect_timeout"},
        {"application_name", "application_name"}, {"options", "options"}, {"host", "host"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i][0]) == n && strncmp(map[i][0], key, n) == 0) return map[i][1];
    return NULL;
}

static void parse_params(zm_db_url *u, const char *q)
{
    while (q && *q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        size_t klen = eq ? (size_t)(eq - q) : n;
        char *value = eq ? decode(eq + 1, n - klen - 1) : strdup("");
        const char *key = libpq_key(q, klen);
        if (u->dialect == ZM_REL_POSTGRESQL && klen == 6 && strncmp(q, "schema", 6) == 0) {
            free(u->schema);
            u->schema = value;
        } else if (u->dialect == ZM_REL_POSTGRESQL && key && strcmp(key, "host") == 0) {
            free(u->host);
            u->host = value;
        } else if (u->dialect == ZM_REL_POSTGRESQL && key) {
            add_param(u, key, value);
        } else {
            free(value);
            if (klen) add_ignored(u, q, klen);
        }
        q += n + (q[n] == '&');
    }
}

static int parse_postgresql(const char *rest, zm_db_url *u, char **error)
{
    const char *end = rest + strcspn(rest, "/?");
    const char *at = NULL;
    for (const char *p = rest; p < end; p++)
        if (*p == '@') at = p;
    const char *hostpart = rest;
    if (at) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        u->user = decode(rest, (size_t)((colon ? colon : at) - rest));
        if (colon) u->password = decode(colon + 1, (size_t)(at - colon - 1));
        hostpart = at + 1;
    }
    const char *portsep = NULL;
    if (*hostpart == '[') {
        const char *close = memchr(hostpart, ']', (size_t)(end - hostpart));
        if (!close) return fail(error, "invalid PostgreSQL URL: unclosed [ in the host", NULL), -1;
        u->host = strndup(hostpart + 1, (size_t)(close - hostpart - 1));
        if (close + 1 < end && close[1] == ':') portsep = close + 1;
    } else {
        portsep = memchr(hostpart, ':', (size_t)(end - hostpart));
        const char *hend = portsep ? portsep : end;
        if (hend > hostpart) u->host = decode(hostpart, (size_t)(hend - hostpart));
    }
    if (portsep) {
        u->port = strndup(portsep + 1, (size_t)(end - portsep - 1));
        if (!u->port || !*u->port || strspn(u->port, "0123456789") != strlen(u->port))
            return fail(error, "invalid PostgreSQL URL: the port must be a number", NULL), -1;
    }
    const char *p = end;
    if (*p == '/') {
        size_t n = strcspn(p + 1, "?");
        if (n) u->database = decode(p + 1, n);
        p += 1 + n;
    }
    if (*p == '?') parse_params(u, p + 1);
    if (!u->schema) u->schema = strdup("public");
    return 0;
}

int zm_db_url_parse(const char *url, const char *base_dir, zm_db_url *u, char **error)
{
    memset(u, 0, sizeof *u);
    *error = NULL;
    if (!url || !*url) return fail(error, "the datasource URL is empty", NULL), -1;
    if (strncmp(url, "file:", 5) == 0) {
        u->dialect = ZM_REL_SQLITE;
        const char *path = url + 5;
        if (strncmp(path, "//", 2) == 0) path += 2;     /* file://dev.db, as Prisma allows */
        size_t n = strcspn(path, "?");
        if (n == 0) return fail(error, "the SQLite URL %s names no file", url), -1;
        char *file = decode(path, n);
        u->path = !file ? NULL : strcmp(file, ":memory:") == 0 ? strdup(file) : path_join(base_dir, file);
        free(file);
        if (path[n] == '?') parse_params(u, path + n + 1);
        return 0;
    }
    const char *rest = NULL;
    if (strncmp(url, "postgresql://", 13) == 0) rest = url + 13;
    else if (strncmp(url, "postgres://", 11) == 0) rest = url + 11;
    if (rest) {
        u->dialect = ZM_REL_POSTGRESQL;
        if (parse_postgresql(rest, u, error) != 0) {
            zm_db_url_free(u);
            return -1;
        }
        for (size_t i = 0; i < u->nparams; i++)
            if (strcmp(u->params[i].key, "sslrootcert") == 0 && u->params[i].value[0] != '/') {
                char *abs = path_join(base_dir, u->params[i].value);
                free(u->params[i].value);
                u->params[i].value = abs;
            }
        return 0;
    }
    if (strncmp(url, "mysql://", 8) == 0)
        return fail(error, "MySQL databases are not supported by zmc's drivers yet", NULL), -1;
    char scheme[32];
    size_t n = strcspn(url, ":");
    snprintf(scheme, sizeof scheme, "%.*s", (int)(n < 20 ? n : 20), url);
    return fail(error,
                "the URL must start with the protocol `file:` (SQLite) or `postgresql://` / `postgres://` "
                "(PostgreSQL), not `%s`",
                scheme),
           -1;
}

void zm_db_url_free(zm_db_url *u)
{
    free(u->path);
    free(u->host);
    free(u->port);
    free(u->user);
    free(u->password);
    free(u->database);
    free(u->schema);
    for (size_t i = 0; i < u->nparams; i++) {
        free(u->params[i].key);
        free(u->params[i].value);
    }
    free(u->params);
    for (size_t i = 0; i < u->nignored; i++) free(u->ignored[i]);
    free(u->ignored);
    memset(u, 0, sizeof *u);
}

char *zm_db_url_location(const zm_db_url *u)
{
    if (u->dialect == ZM_REL_SQLITE) return strdup(u->path ? u->path : "");
    const char *host = u->host ? u->host : "localhost", *port = u->port ? u->port : "5432";
    size_t n = strlen(host) + strlen(port) + 4;
    char *s = malloc(n);
    if (s) snprintf(s, n, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
    return s;
}

char *zm_db_url_display(const zm_db_url *u)
{
    if (u->dialect == ZM_REL_SQLITE) {
        size_t n = strlen(u->path ? u->path : "") + 6;
        char *s = malloc(n);
        if (s) snprintf(s, n, "file:%s", u->path ? u->path : "");
        return s;
    }
    char *loc = zm_db_url_location(u);
    const char *user = u->user ? u->user : "", *db = u->database ? u->database : "";
    const char *schema = u->schema ? u->schema : "public";
    size_t n = strlen(user) + (loc ? strlen(loc) : 0) + strlen(db) + strlen(schema) + 48;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "postgresql://%s%s%s%s/%s?schema=%s", user, u->password ? ":****" : "",
                 u->user || u->password ? "@" : "", loc ? loc : "", db, schema);
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
