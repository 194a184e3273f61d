/*
** dotenv.c — `.env` files, read as Prisma reads them (dotenv + dotenv-expand):
**
**   # a comment
**   export DATABASE_URL="postgresql://u:p@localhost/app"   # quotes optional
**   SHADOW=${DATABASE_URL}_shadow                           # ${X} expands
**
** A variable already in the environment wins over the file, so a CI
** setting is never overridden by a committed .env.
*/
#include "datasource.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zmc/buf.h"

/* Append `s[0..n)` to b, expanding ${NAME} and $NAME from the environment. */
static void expand(zm_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '$') {
            zm_buf_putc(b, '$');
            i++;
            continue;
        }
        if (s[i] != '$' || i + 1 >= n) {
            zm_buf_putc(b, s[i]);
            continue;
        }
        size_t start, end;
        if (s[i + 1] == '{') {
            const char *close = memchr(s + i + 2, '}', n - i - 2);
            if (!close) {
                zm_buf_putc(b, s[i]);
                continue;
            }
            start = i + 2;
            end = (size_t)(close - s);
            i = end;
        } else if (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '_') {
            start = i + 1;
            end = start;
            while (end < n && (isalnum((unsigned char)s[end]) || s[end] == '_')) end++;
            i = end - 1;
        } else {
            zm_buf_putc(b, s[i]);
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(end - start), s + start);
        const char *v = getenv(name);
        if (v) zm_buf_puts(b, v);
    }
}

/* One `KEY=VALUE` line. */
static void load_line(char *line)
{
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\0') return;
    if (strncmp(p, "export ", 7) == 0) p += 7;
    char *eq = strchr(p, '=');
    if (!eq) return;
    char *key_end = eq;
    while (key_end > p && (key_end[-1] == ' ' || key_end[-1] == '\t')) key_end--;
    *key_end = '\0';
    if (!*p || getenv(p)) return;
    char *v = eq + 1;
    while (*v == ' ' || *v == '\t') v++;
    zm_buf value = ZM_BUF_INIT;
    if (*v == '\'' || *v == '"' || *v == '`') {
        char q = *v++;
        char *close = strrchr(v, q);
        size_t n = close ? (size_t)(close - v) : strlen(v);
        if (q == '\'') {
            zm_buf_append(&value, v, n);
        } else {
            zm_buf raw = ZM_BUF_INIT;
            for (size_t i = 0; i < n; i++) {
                if (q == '"' && v[i] == '\\' && i + 1 < n && v[i + 1] == 'n') {
                    zm_buf_putc(&raw, '\n');
                    i++;
                } else {
                    zm_buf_putc(&raw, v[i]);
                }
            }
            expand(&value, raw.data ? raw.data : "", raw.len);
            zm_buf_free(&raw);
        }
    } else {
        char *end = v + strlen(v);
        char *hash = strstr(v, " #");
        if (hash) end = hash;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
        expand(&value, v, (size_t)(end - v));
    }
    setenv(p, value.data ? value.data : "", 0);
    zm_buf_free(&value);
}

int zm_dotenv_load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        load_line(line);
    }
    free(line);
    fclose(f);
    return 0;
}
