/*
** corpus.c — the goldens of DIR/expected-sql (Prisma's DDL per schema and
** dialect) with zmc's DDL for the same schema, made the way
** tests/corpus/sql_test.c makes it: the schema compiled at its source level
** (v3 → --zenstack 3, v2 → 2; files of a repository folder rebuilt at their
** original paths first, so their imports resolve), lowered for the dialect
** whatever its datasource says, rendered by the zm_sql library. Also the
** text buffer the catalog test uses everywhere.
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "zmc/ir.h"
#include "zmc/relational.h"
#include "zmc/zmc.h"
#include "dialects.h"

/* ---- text ----------------------------------------------------------------- */

void text_put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        if (!t->data) abort();
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void text_puts(text *t, const char *s) { text_put(t, s, strlen(s)); }

void text_printf(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *buf = malloc((size_t)n + 1);
    if (!buf) abort();
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    text_put(t, buf, (size_t)n);
    free(buf);
}

void text_free(text *t)
{
    free(t->data);
    *t = (text){0};
}

void text_sink(void *ctx, const char *s, size_t n) { text_put(ctx, s, n); }

void outcome_free(outcome *o)
{
    text_free(&o->catalog);
    text_free(&o->errors);
}

char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    text t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) text_put(&t, buf, n);
    fclose(f);
    if (!t.data) text_put(&t, "", 0);
    return t.data;
}

/* ---- repository folders at their original paths (as sql_test.c) ---------- */

static const char *const REPOS[] = {"zenstack", "zenstack-v1", "zenstack-v2", "zenstack-v3", NULL};

/* DIR/a__b__c.zmodel → ROOT/a/b/c.zmodel, a symbolic link; the path. */
static char *mirror(const char *root, const char *flat)
{
    const char *slash = strrchr(flat, '/');
    const char *name = slash ? slash + 1 : flat;
    size_t n = strlen(root) + strlen(name) + 2;
    char *out = malloc(n);
    if (!out) abort();
    snprintf(out, n, "%s/", root);
    char *w = out + strlen(out);
    for (const char *r = name; *r; r++) {
        if (r[0] == '_' && r[1] == '_') {
            *w++ = '/';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    for (char *p = out + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(out, 0755);
        *p = '/';
    }
    char target[4096];
    if (!realpath(flat, target)) snprintf(target, sizeof target, "%s", flat);
    if (symlink(target, out) != 0 && errno != EEXIST) {
        free(out);
        return NULL;
    }
    return out;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        if (d) closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Every repository folder's schemas mirrored (imports may reach siblings). */
static void mirror_repos(const char *dir, const char *root)
{
    for (const char *const *r = REPOS; *r; r++) {
        char src[4096], sub[4096];
        snprintf(src, sizeof src, "%s/%s", dir, *r);
        snprintf(sub, sizeof sub, "%s/%s", root, *r);
        mkdir(sub, 0755);
        DIR *d = opendir(src);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n < 7 || strcmp(e->d_name + n - 7, ".zmodel") != 0) continue;
            char flat[8192];
            snprintf(flat, sizeof flat, "%s/%s", src, e->d_name);
            free(mirror(sub, flat));
        }
        if (d) closedir(d);
    }
}

/* ---- the walk ------------------------------------------------------------- */

struct corpus {
    char *dir, *tsv, *line;
    char root[64];
    char key[4096];
    char *prisma, *zmc;
    char error[256];
    pid_t owner;        /* the process that made root (forked workers share it) */
    long seen;          /* goldens of the dialect met so far */
    int shard, shards;  /* this process takes every shards-th from the shard-th */
};

void corpus_shard(corpus *c, int k, int n)
{
    c->shard = k;
    c->shards = n;
}

corpus *corpus_open(const char *dir)
{
    char index[4096];
    snprintf(index, sizeof index, "%s/expected-sql/index.tsv", dir);
    char *tsv = read_file(index);
    if (!tsv) {
        printf("corpus not found at %s: skipped\n", index);
        return NULL;
    }
    corpus *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->dir = strdup(dir);
    c->tsv = tsv;
    c->line = strchr(tsv, '\n');     /* past the header */
    snprintf(c->root, sizeof c->root, "/tmp/zmc-catalog-XXXXXX");
    if (!mkdtemp(c->root)) {
        perror("mkdtemp");
        abort();
    }
    mirror_repos(dir, c->root);
    c->owner = getpid();
    c->shards = 1;
    return c;
}

void corpus_close(corpus *c)
{
    if (!c) return;
    if (c->owner == getpid()) remove_tree(c->root);
    free(c->dir);
    free(c->tsv);
    free(c->prisma);
    free(c->zmc);
    free(c);
}

/* zmc's DDL for DIR/<zmodel> at `level` in `d`; NULL with c->error set. */
static char *zmc_ddl(corpus *c, const char *dir, const char *zmodel, int level, const zmc_dialect *d)
{
    char input[8192];
    snprintf(input, sizeof input, "%s/%s", c->dir, zmodel);
    char *mirrored = NULL;
    for (const char *const *rp = REPOS; *rp; rp++)
        if (strcmp(dir, *rp) == 0) {
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", c->root, *rp);
            mirrored = mirror(sub, input);
        }
    zm_options o = {.version = sizeof o, .zenstack = level};
    zm_compilation *comp = zm_compilation_new(&o);
    const zm_ir *ir = NULL;
    if (zm_compilation_load_file(comp, mirrored ? mirrored : input) == ZM_OK && zm_compilation_check(comp) == ZM_OK)
        ir = zm_compilation_ir(comp);
    free(mirrored);
    text out = {0};
    if (!ir) {
        snprintf(c->error, sizeof c->error, "does not compile at level %d", level);
    } else {
        zm_rel_schema *s = zm_rel_lower(ir, d);
        if (!s || zm_rel_render_create(s, text_sink, &out) != 0) {
            snprintf(c->error, sizeof c->error, "lowering or rendering failed");
            text_free(&out);
        }
        zm_rel_free(s);
    }
    zm_compilation_free(comp);
    return out.data;
}

bool corpus_next(corpus *c, const char *dialect, const char *only, golden *g)
{
    while (c->line && *++c->line) {
        char *row = c->line, *nl = strchr(row, '\n');
        size_t n = nl ? (size_t)(nl - row) : strlen(row);
        c->line = nl;
        /* The row's columns: dialect dir name zmodel source ... status. */
        char buf[8192], *cols[16];
        if (n >= sizeof buf) continue;
        memcpy(buf, row, n);
        buf[n] = '\0';
        size_t k = 0;
        for (char *p = buf; k < 16;) {
            cols[k++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = '\0';
            p = tab + 1;
        }
        if (k < 9 || strcmp(cols[0], dialect) != 0 || strcmp(cols[8], "ok") != 0) continue;
        snprintf(c->key, sizeof c->key, "%s/%s", cols[1], cols[2]);
        if (only && strcmp(only, c->key) != 0 && strcmp(only, cols[2]) != 0) continue;
        if (c->seen++ % c->shards != c->shard) continue;
        char ref[8192];
        snprintf(ref, sizeof ref, "%s/expected-sql/%s/%s/%s.sql", c->dir, dialect, cols[1], cols[2]);
        free(c->prisma);
        free(c->zmc);
        c->prisma = read_file(ref);
        if (!c->prisma) continue;
        c->error[0] = '\0';
        int level = strcmp(cols[4], "v2") == 0 ? 2 : 3;
        c->zmc = zmc_ddl(c, cols[1], cols[3], level, zm_test_dialect_or_null(dialect));
        *g = (golden){.dialect = dialect, .key = c->key, .prisma = c->prisma, .zmc = c->zmc, .error = c->error};
        return true;
    }
    return false;
}

/* ---- statements ----------------------------------------------------------- */

void sql_statements(const char *s, void (*fn)(void *ctx, const char *stmt, size_t n), void *ctx)
{
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '\'' || *p == '"' || *p == '`') {
            char q = *p;
            for (p++; *p && !(*p == q && p[1] != q); p++)
                if (*p == q) p++;       /* a doubled quote */
            if (!*p) p--;
        } else if (p[0] == '-' && p[1] == '-') {
            while (p[1] && p[1] != '\n') p++;
        } else if (*p == ';' || !*p) {
            /* Trim, and leave out what is only comments and blanks. */
            const char *a = start, *b = p;
            for (;;) {
                while (a < b && (*a == ' ' || *a == '\n' || *a == '\t' || *a == '\r')) a++;
                if (b - a >= 2 && a[0] == '-' && a[1] == '-') {
                    while (a < b && *a != '\n') a++;
                } else {
                    break;
                }
            }
            while (b > a && (b[-1] == ' ' || b[-1] == '\n' || b[-1] == '\t' || b[-1] == '\r')) b--;
            if (b > a) fn(ctx, a, (size_t)(b - a));
            if (!*p) break;
            start = p + 1;
        }
    }
}
