/*
** url.c — datasource URLs as Prisma reads them (db.h), in the form the
** scheme's dialect says:
**
**   file:./dev.db?connection_limit=1              a file, relative to the schema's folder
**   postgresql://u:p%40ss@host:5432/app?schema=s  a server
**
** The dialect takes the query parameters it knows (PostgreSQL maps
** Prisma's to libpq's); the others, such as connection_limit, which mean
** nothing to a one-connection tool, are listed as ignored, so commands can
** say so. Percent-escapes are decoded in every part.
*/
#include "zmc/db.h"

#include "dialect.h"

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

static void add_ignored(zm_db_url *u, const char *key, size_t n)
{
    char **p = realloc(u->ignored, (u->nignored + 1) * sizeof *p);
    if (!p) return;
    u->ignored = p;
    u->ignored[u->nignored++] = strndup(key, n);
}

/* Query parameters: the dialect takes those it knows; the rest are listed
   as ignored (pool settings mean nothing to a one-connection tool). */
static void parse_params(zm_db_url *u, const char *q)
{
    while (q && *q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        size_t klen = eq ? (size_t)(eq - q) : n;
        char *key = decode(q, klen);
        char *value = eq ? decode(eq + 1, n - klen - 1) : strdup("");
        bool taken = key && value && u->dialect->url_param && u->dialect->url_param(u, key, value);
        if (!taken && klen) add_ignored(u, q, klen);
        free(key);
        free(value);
        q += n + (q[n] == '&');
    }
}

/* user:password@host:port/database?params */
static int parse_server(const char *rest, zm_db_url *u, char **error)
{
    const char *name = u->dialect->display_name;
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
        if (!close) return fail(error, "invalid %s URL: unclosed [ in the host", name), -1;
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
            return fail(error, "invalid %s URL: the port must be a number", name), -1;
    }
    const char *p = end;
    if (*p == '/') {
        size_t n = strcspn(p + 1, "?");
        if (n) u->database = decode(p + 1, n);
        p += 1 + n;
    }
    if (*p == '?') parse_params(u, p + 1);
    return 0;
}

int zm_db_url_parse(const char *url, const char *base_dir, zm_db_url *u, char **error)
{
    memset(u, 0, sizeof *u);
    *error = NULL;
    if (!url || !*url) return fail(error, "the datasource URL is empty", NULL), -1;
    size_t n = strcspn(url, ":");
    if (!url[n] || n == 0 || n > 32) {
        return fail(error, "the datasource URL has no protocol (such as `file:` or `postgresql://`): `%.20s`", url),
               -1;
    }
    char scheme[40];
    snprintf(scheme, sizeof scheme, "%.*s", (int)n, url);
    char *why = NULL;
    u->dialect = zm_dialect_for_scheme(scheme, &why);
    if (!u->dialect) {
        *error = why;
        return -1;
    }
    const char *rest = url + n + 1;
    if (u->dialect->url_form == ZMC_URL_FILE) {
        const char *path = rest;
        if (strncmp(path, "//", 2) == 0) path += 2;     /* file://dev.db, as Prisma allows */
        size_t len = strcspn(path, "?");
        if (len == 0) return fail(error, "the URL %s names no file", url), -1;
        char *file = decode(path, len);
        u->path = !file ? NULL : strcmp(file, ":memory:") == 0 ? strdup(file) : path_join(base_dir, file);
        free(file);
        if (path[len] == '?') parse_params(u, path + len + 1);
        return 0;
    }
    if (strncmp(rest, "//", 2) != 0) return fail(error, "invalid %s URL: expected `//` after the protocol",
                                                 u->dialect->display_name), -1;
    if (parse_server(rest + 2, u, error) != 0) {
        zm_db_url_free(u);
        return -1;
    }
    if (!u->schema) {
        const char *dflt = u->dialect->default_schema ? u->dialect->default_schema : u->database;
        u->schema = dflt ? strdup(dflt) : NULL;
    }
    /* a certificate path is relative to the schema's folder, as Prisma reads it */
    for (size_t i = 0; i < u->nparams; i++)
        if (strcmp(u->params[i].key, "sslrootcert") == 0 && u->params[i].value[0] != '/') {
            char *abs = path_join(base_dir, u->params[i].value);
            free(u->params[i].value);
            u->params[i].value = abs;
        }
    return 0;
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

