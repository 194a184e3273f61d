/*
** records.c — the migrations folder (migrate.h): migration folders in name
** order, their checksums, migration_lock.toml and new folder names, all as
** Prisma Migrate writes and reads them.
*/
#define _DEFAULT_SOURCE 1  /* timegm */
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "migrate.h"
#include "zmc/buf.h"
#include "zmc/command.h"

static int fail(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **error, const char *fmt, ...)
{
    zm_buf b = ZM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    zm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    *error = b.data;
    return -1;
}

/* The file's bytes (the host's reader), or NULL. */
static char *read_all(const char *path, size_t *len)
{
    char *text = NULL;
    return zm_read_file(path, &text, len) == 0 ? text : NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const zm_migration *)a)->name, ((const zm_migration *)b)->name);
}

int zm_migrations_read(const char *dir, zm_migrations *out, char **error)
{
    memset(out, 0, sizeof *out);
    *error = NULL;
    out->dir = strdup(dir);
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT ? 0 : fail(error, "cannot open the migrations folder %s: %s", dir, strerror(errno));
    size_t cap = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        zm_buf path = ZM_BUF_INIT;
        zm_buf_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        bool is_dir = stat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
        if (!is_dir) {
            zm_buf_free(&path);
            continue;
        }
        zm_buf_puts(&path, "/migration.sql");
        zm_migration m = {0};
        m.script = read_all(path.data, &m.len);
        if (!m.script) {
            rc = fail(error, "could not find the migration file at %s (every folder of %s is a migration)", path.data,
                      dir);
            zm_buf_free(&path);
            break;
        }
        m.name = strdup(e->d_name);
        m.path = path.data;
        zm_buf down = ZM_BUF_INIT;
        zm_buf_printf(&down, "%s/%s/down.sql", dir, e->d_name);
        size_t down_len;
        m.down = read_all(down.data, &down_len);
        zm_buf_free(&down);
        zm_sha256_hex(m.script, m.len, m.checksum);
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            zm_migration *p = realloc(out->items, cap * sizeof *p);
            if (!p) abort();
            out->items = p;
        }
        out->items[out->count++] = m;
    }
    closedir(d);
    if (out->count) qsort(out->items, out->count, sizeof *out->items, by_name);
    if (rc != 0) zm_migrations_free(out);
    return rc;
}

void zm_migrations_free(zm_migrations *m)
{
    for (size_t i = 0; i < m->count; i++) {
        free(m->items[i].name);
        free(m->items[i].path);
        free(m->items[i].script);
        free(m->items[i].down);
    }
    free(m->items);
    free(m->dir);
    memset(m, 0, sizeof *m);
}

const zm_migration *zm_migrations_find(const zm_migrations *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->items[i].name, name) == 0) return &m->items[i];
    return NULL;
}

void zm_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
    out[64] = '\0';
}

/* The script with its line endings converted: to LF (crlf false) or CRLF. */
static void convert(const zm_migration *m, bool crlf, zm_buf *b)
{
    for (size_t i = 0; i < m->len; i++) {
        char c = m->script[i];
        if (c == '\r' && i + 1 < m->len && m->script[i + 1] == '\n') continue;
        if (c == '\n' && crlf) zm_buf_putc(b, '\r');
        zm_buf_putc(b, c);
    }
}

bool zm_checksum_matches(const zm_migration *m, const char *checksum)
{
    if (!checksum) return false;
    if (strcmp(m->checksum, checksum) == 0) return true;
    for (int crlf = 0; crlf < 2; crlf++) {
        zm_buf b = ZM_BUF_INIT;
        convert(m, crlf, &b);
        char hex[65];
        zm_sha256_hex(b.data ? b.data : "", b.len, hex);
        zm_buf_free(&b);
        if (strcmp(hex, checksum) == 0) return true;
    }
    return false;
}

char *zm_lock_file_provider(const char *dir)
{
    zm_buf path = ZM_BUF_INIT;
    zm_buf_printf(&path, "%s/migration_lock.toml", dir);
    size_t len;
    char *text = read_all(path.data, &len);
    zm_buf_free(&path);
    if (!text) return NULL;
    char *provider = NULL;
    for (char *line = strtok(text, "\n"); line && !provider; line = strtok(NULL, "\n")) {
        while (*line == ' ' || *line == '\t') line++;
        if (strncmp(line, "provider", 8) != 0) continue;
        char *q = strchr(line, '"'), *e = q ? strchr(q + 1, '"') : NULL;
        if (q && e) provider = strndup(q + 1, (size_t)(e - q - 1));
    }
    free(text);
    return provider ? provider : strdup("");
}

int zm_lock_file_write(const char *dir, const char *provider)
{
    zm_buf path = ZM_BUF_INIT, text = ZM_BUF_INIT;
    zm_buf_printf(&path, "%s/migration_lock.toml", dir);
    zm_buf_printf(&text,
                  "# Please do not edit this file manually\n"
                  "# It should be added in your version-control system (e.g., Git)\n"
                  "provider = \"%s\"\n",
                  provider);
    int rc = zm_write_file_atomic(path.data, text.data, text.len);
    zm_buf_free(&path);
    zm_buf_free(&text);
    return rc;
}

/* The UTC timestamp a folder name starts with, or -1. */
static time_t folder_time(const char *folder)
{
    struct tm tm = {0};
    if (!folder || strspn(folder, "0123456789") < 14) return -1;
    if (sscanf(folder, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

time_t zm_migrations_latest_time(const zm_migrations *m)
{
    time_t latest = -1;
    for (size_t i = 0; m && i < m->count; i++) {
        time_t t = folder_time(m->items[i].name);
        if (t > latest) latest = t;
    }
    return latest;
}

char *zm_migration_folder_name(const char *name, const zm_migrations *after)
{
    time_t now = time(NULL);
    /* Folders apply in name order: a new one must sort after every other,
       even when made in the same second or behind a clock ahead of ours. */
    for (size_t i = 0; after && i < after->count; i++) {
        time_t t = folder_time(after->items[i].name);
        if (t >= now) now = t + 1;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    zm_buf b = ZM_BUF_INIT, slug = ZM_BUF_INIT;
    zm_buf_printf(&b, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec);
    /* as Prisma: no name gives `<timestamp>_`; a name with no letters left
       (all of another script) gives `<timestamp>` alone */
    zm_migration_slug(name, &slug);
    if (slug.len || !name || !*name) zm_buf_putc(&b, '_');
    if (slug.len) zm_buf_append(&b, slug.data, slug.len);
    zm_buf_free(&slug);
    return b.data;
}
