/*
** sql_test.c — backend `sql` against Prisma Migrate's own DDL.
**
**   sql_test --corpus DIR [--floor-sqlite N] [--floor-postgresql N] [--via-diff]
**            [--dialect sqlite|postgresql] [--only NAME] [--verbose]
**
** Walks DIR/expected-sql/index.tsv: each row whose status is `ok` names a
** schema DIR/<zmodel> and Prisma's `migrate diff --from-empty --script`
** output for one dialect, DIR/expected-sql/<dialect>/<dir>/<name>.sql. The
** schema is compiled at its source level (v3 → --zenstack 3, v2 → 2; files
** of a repository folder are rebuilt at their original paths first, so
** their imports resolve), lowered for the dialect whatever its datasource
** says (Prisma's input had its provider rewritten the same way), rendered,
** and compared byte for byte, trailing newlines at the end excepted. The
** run prints the totals per dialect and fails if a dialect passes fewer
** files than its floor: a ratchet raised as the backend improves (issue 5
** wants 95 %). Without the corpus the run exits 77 (CTest: skipped).
**
** Deliberate differences (counted as passes only if the rest is identical):
**
**   - SQLite `Json @default("...")`: Prisma writes the JSON text unquoted
**     (`DEFAULT { "a": "a" }`), which SQLite rejects (prisma/orm#26571, open).
**     zmc quotes it as a string literal, as Prisma does on PostgreSQL; the
**     comparison strips those quotes from zmc's JSONB defaults first.
*/
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zmc/diff.h"
#include "zmc/ir.h"
#include "zmc/relational.h"
#include "zmc/zmc.h"
#include "dialects.h"

enum { SKIP = 77 };

static const char *const REPOS[] = {"zenstack", "zenstack-v1", "zenstack-v2", "zenstack-v3", NULL};

typedef struct list {
    char **items;
    size_t count, cap;
} list;

static void push(list *l, char *s)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items) abort();
    }
    l->items[l->count++] = s;
}

static void list_free(list *l)
{
    for (size_t i = 0; i < l->count; i++) free(l->items[i]);
    free(l->items);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Names (not paths) in dir ending with `tail`, sorted. */
static void names_in(const char *dir, const char *tail, list *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (ends_with(e->d_name, tail)) push(out, strdup(e->d_name));
    closedir(d);
    qsort(out->items, out->count, sizeof *out->items, by_name);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *more = realloc(data, cap);
            if (!more) abort();
            data = more;
        }
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

/* ---- repository folders at their original paths (as corpus_test.c) ---- */

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

static void mirror_repos(const char *corpus, const char *root)
{
    for (const char *const *r = REPOS; *r; r++) {
        char dir[4096], sub[4096];
        snprintf(dir, sizeof dir, "%s/%s", corpus, *r);
        snprintf(sub, sizeof sub, "%s/%s", root, *r);
        mkdir(sub, 0755);
        list files = {0};
        names_in(dir, ".zmodel", &files);
        for (size_t i = 0; i < files.count; i++) {
            char flat[8192];
            snprintf(flat, sizeof flat, "%s/%s", dir, files.items[i]);
            free(mirror(sub, flat));
        }
        list_free(&files);
    }
}

/* ---- comparing ---------------------------------------------------------- */

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void collect_out(void *ctx, const char *s, size_t n)
{
    text *t = ctx;
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        if (!t->data) abort();
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

/* Print where got and want part: line number and both lines. */
static void diff_hint(const char *got, const char *want)
{
    size_t line = 1;
    const char *g = got, *w = want, *gl = got, *wl = want;
    while (*g && *g == *w) {
        if (*g == '\n') {
            line++;
            gl = g + 1;
            wl = w + 1;
        }
        g++, w++;
    }
    int gn = (int)strcspn(gl, "\n"), wn = (int)strcspn(wl, "\n");
    printf("    line %zu\n    got:  %.*s%s\n    want: %.*s%s\n", line, gn, gl, *g ? "" : "<EOF>", wn, wl,
           *w ? "" : "<EOF>");
}


/* SQLite files where Prisma leaves a Json default unquoted (prisma/orm#26571). */
static const char *const JSON_DEFAULT_UNQUOTED[] = {
    "valid-inline/v2__tests__integration__tests__plugins__zod__L1102",
    "valid-inline/v2__tests__regression__tests__issue-2039__L6",
    "valid-inline/v2__tests__regression__tests__issue-416__L5",
    "valid-inline/v3__tests__regression__test__v2-migrated__issue-416__L6",
    "zenstack/tests__regression__test__issue-2550__schema",
    "zenstack/tests__regression__test__issue-2639__schema",
    NULL,
};

static bool listed(const char *const *names, const char *key)
{
    for (; *names; names++)
        if (strcmp(*names, key) == 0) return true;
    return false;
}

/* Prisma's rendering of the SQLite Json defaults: the literal's quotes
   dropped and its doubled quotes undone, on JSONB column lines. */
static void unquote_json_defaults(text *t)
{
    char *out = malloc(t->len + 1), *w = out;
    if (!out) abort();
    const char *line = t->data;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        const char *d = strstr(line, " DEFAULT '");
        if (d && d < line + n && strstr(line, " JSONB") && strstr(line, " JSONB") < d) {
            size_t head = (size_t)(d - line) + strlen(" DEFAULT ");
            memcpy(w, line, head);
            w += head;
            const char *r = d + strlen(" DEFAULT '");
            for (; r < line + n; r++) {
                if (*r == '\'' && r[1] == '\'') *w++ = *r++;
                else if (*r != '\'') *w++ = *r;
            }
        } else {
            memcpy(w, line, n);
            w += n;
        }
        line += n;
    }
    *w = '\0';
    free(t->data);
    t->data = out;
    t->len = (size_t)(w - out);
}

static void trim_newlines(char *s, size_t *len)
{
    while (*len && s[*len - 1] == '\n') s[--*len] = '\0';
}

typedef struct tally {
    size_t pass, total, deliberate;
} tally;

typedef struct run {
    const char *corpus, *root, *only;
    bool verbose;
    bool via_diff;      /* render through zm_rel_diff (empty -> schema) */
    tally t[2];     /* sqlite, postgresql */
} run;

/* A tab-separated field of a row (0-based); the row is modified. */
static char *field(char **cols, size_t n, size_t i) { return i < n ? cols[i] : ""; }

static void run_row(run *r, char *line)
{
    char *cols[16];
    size_t n = 0;
    for (char *p = line; n < 16;) {
        cols[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = '\0';
        p = tab + 1;
    }
    const char *dialect = field(cols, n, 0), *dir = field(cols, n, 1), *name = field(cols, n, 2);
    const char *zmodel = field(cols, n, 3), *source = field(cols, n, 4), *status = field(cols, n, 8);
    if (strcmp(status, "ok") != 0) return;
    const zmc_dialect *d = zm_test_dialect_or_null(dialect);
    if (d != DIALECT_SQLITE && d != DIALECT_POSTGRESQL) return;
    char key[4096], ref[8192], input[8192];
    snprintf(key, sizeof key, "%s/%s", dir, name);
    if (r->only && strcmp(r->only, key) != 0 && strcmp(r->only, name) != 0) return;
    snprintf(ref, sizeof ref, "%s/expected-sql/%s/%s/%s.sql", r->corpus, dialect, dir, name);
    if (access(ref, R_OK) != 0) return;
    snprintf(input, sizeof input, "%s/%s", r->corpus, zmodel);
    tally *t = &r->t[d == DIALECT_POSTGRESQL];
    t->total++;

    int level = strcmp(source, "v2") == 0 ? 2 : 3;
    char *mirrored = NULL;
    for (const char *const *rp = REPOS; *rp; rp++)
        if (strcmp(dir, *rp) == 0) {
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", r->root, *rp);
            mirrored = mirror(sub, input);
        }
    zm_options o = {.version = sizeof o, .zenstack = level};
    zm_compilation *c = zm_compilation_new(&o);
    const zm_ir *ir = NULL;
    if (zm_compilation_load_file(c, mirrored ? mirrored : input) == ZM_OK && zm_compilation_check(c) == ZM_OK)
        ir = zm_compilation_ir(c);
    free(mirrored);
    if (!ir) {
        printf("FAIL %s/%s: does not compile at level %d\n", dialect, key, level);
        zm_compilation_free(c);
        return;
    }
    zm_rel_schema *s = zm_rel_lower(ir, d);
    text out = {0};
    int rendered = -1;
    if (s && r->via_diff) {
        /* The same DDL through the diff engine: empty -> schema. */
        zm_rel_schema *empty = zm_rel_empty(d);
        zm_rel_diff *diff = zm_rel_diff_new(empty, s);
        rendered = diff ? zm_rel_diff_render(diff, false, collect_out, &out) : -1;
        zm_rel_diff_free(diff);
        zm_rel_free(empty);
    } else if (s) {
        rendered = zm_rel_render_create(s, collect_out, &out);
    }
    if (rendered != 0) {
        printf("FAIL %s/%s: lowering or rendering failed\n", dialect, key);
    } else {
        bool deliberate = d == DIALECT_SQLITE && listed(JSON_DEFAULT_UNQUOTED, key);
        if (deliberate) unquote_json_defaults(&out);
        size_t len;
        char *want = read_all(ref, &len);
        if (!want) abort();
        trim_newlines(want, &len);
        trim_newlines(out.data, &out.len);
        if (strcmp(out.data, want) == 0) {
            t->pass++;
            t->deliberate += deliberate;
        } else {
            printf("FAIL %s/%s\n", dialect, key);
            if (r->verbose) diff_hint(out.data, want);
        }
        free(want);
    }
    free(out.data);
    zm_rel_free(s);
    zm_compilation_free(c);
}

/* The frontend's IR table: zm_sql is compiled for modules (ZMC_PLUGIN). */
const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

int main(int argc, char **argv)
{
    const char *corpus = NULL, *only_dialect = NULL;
    long floor[2] = {0, 0};
    run r = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) corpus = argv[++i];
        else if (strcmp(argv[i], "--floor-sqlite") == 0 && i + 1 < argc) floor[0] = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--floor-postgresql") == 0 && i + 1 < argc) floor[1] = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dialect") == 0 && i + 1 < argc) only_dialect = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) r.only = argv[++i];
        else if (strcmp(argv[i], "--verbose") == 0) r.verbose = true;
        else if (strcmp(argv[i], "--via-diff") == 0) r.via_diff = true;
    }
    if (!corpus) {
        fputs("usage: sql_test --corpus DIR [--floor-sqlite N] [--floor-postgresql N] [--dialect D] [--only NAME] "
              "[--verbose]\n", stderr);
        return 2;
    }
    char index[4096];
    snprintf(index, sizeof index, "%s/expected-sql/index.tsv", corpus);
    size_t len;
    char *tsv = read_all(index, &len);
    if (!tsv) {
        printf("corpus not found at %s: skipped\n", index);
        return SKIP;
    }
    char root[] = "/tmp/zmc-sql-XXXXXX";
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    mirror_repos(corpus, root);
    r.corpus = corpus;
    r.root = root;
    char *line = strchr(tsv, '\n');     /* skip the header */
    while (line && *++line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (!only_dialect || strncmp(line, only_dialect, strlen(only_dialect)) == 0) run_row(&r, line);
        line = nl;
    }
    free(tsv);
    remove_tree(root);
    static const char *const names[] = {"sqlite", "postgresql"};
    bool ok = true;
    for (int i = 0; i < 2; i++) {
        printf("corpus.sql %s: %zu of %zu byte-identical (%zu with a deliberate difference), at least %ld required\n",
               names[i], r.t[i].pass, r.t[i].total, r.t[i].deliberate, floor[i]);
        ok &= (long)r.t[i].pass >= floor[i];
    }
    return r.t[0].total + r.t[1].total > 0 && ok ? 0 : 1;
}
