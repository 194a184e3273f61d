/*
** roundtrip_test.c — introspection against the lowering (issue 6, must-show
** 4): for every corpus schema with Prisma DDL in expected-sql, zmc's DDL
** applied to a fresh database and read back must describe exactly as the
** schema's lowering.
**
**   roundtrip_test sqlite|postgresql --corpus DIR [--url URL] [--floor N]
**                  [--only NAME] [--verbose]
**   roundtrip_test sqlite|postgresql --schema FILE.zmodel [--url URL] [--print]
**
** Walks DIR/expected-sql/index.tsv like sql_test.c (rows `ok` for the
** dialect; the schema compiled at its source level, repository files
** rebuilt at their original paths so imports resolve), lowers the schema,
** renders its --from-empty DDL, applies it to an empty database (SQLite: a
** new file per schema; PostgreSQL: the database at --url, or $ZM_PG_URL's
** `postgres`, every non-system namespace dropped before each schema),
** introspects it (the lowering's namespaces when multiSchema) and compares
** zm_rel_describe() of both. Prints "<dialect>: N/M" and the first
** differing lines of each failing schema; fails below the floor (default:
** all). Without the corpus it exits 77 (CTest: skipped); a database that
** cannot be reached is a failure. --schema checks one schema file (ZenStack
** 3) instead: the hand-written ones next to this file cover forms the
** corpus touches lightly.
*/
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dialects.h"
#include "introspect.h"
#include "zmc/db.h"
#include "zmc/diff.h"
#include "zmc/ir.h"
#include "zmc/relational.h"
#include "zmc/zmc.h"

enum { SKIP = 77 };

static const char *const REPOS[] = {"zenstack", "zenstack-v1", "zenstack-v2", "zenstack-v3", NULL};

/* The frontend's IR table: zm_sql is compiled for modules (ZMC_PLUGIN). */
const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

/* ---- files (as sql_test.c) ------------------------------------------------------ */

static char *read_all(const char *path)
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
    return data;
}

/* Repository files at their original paths: a__b__c.zmodel → root/a/b/c.zmodel. */
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
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n < 7 || strcmp(e->d_name + n - 7, ".zmodel") != 0) continue;
            char flat[8192];
            snprintf(flat, sizeof flat, "%s/%s", dir, e->d_name);
            free(mirror(sub, flat));
        }
        if (d) closedir(d);
    }
}

/* ---- comparing ---------------------------------------------------------------------- */

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void collect(void *ctx, const char *s, size_t n)
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

/* Is the line (up to its newline) one of text's lines? */
static bool has_line(const char *text, const char *line, size_t n)
{
    for (const char *p = text; *p;) {
        size_t m = strcspn(p, "\n");
        if (m == n && memcmp(p, line, n) == 0) return true;
        p += m + (p[m] == '\n');
    }
    return false;
}

/* The first lines of `a` that `b` lacks, prefixed. */
static void missing_lines(const char *a, const char *b, const char *prefix, int max)
{
    int shown = 0;
    for (const char *p = a; *p && shown < max;) {
        size_t m = strcspn(p, "\n");
        if (!has_line(b, p, m)) {
            printf("    %s %.*s\n", prefix, (int)m, p);
            shown++;
        }
        p += m + (p[m] == '\n');
    }
}

/* ---- databases -------------------------------------------------------------------- */

typedef struct run {
    const zmc_dialect *dialect;
    const char *corpus, *root, *only, *pg_url;
    bool verbose, print;        /* --print: the introspected description too */
    size_t pass, total;
    zm_db *pg;                  /* the PostgreSQL connection, reused */
    int sqlite_n;
} run;

static void report_db_error(const char *what, const zm_db_error *err)
{
    printf("    %s: %s\n", what, err->message ? err->message : "(no message)");
    if (err->statement) printf("    statement: %.300s\n", err->statement);
}

/* An empty database: a new SQLite file, or the PostgreSQL database with every
   non-system namespace dropped. NULL (after a message) if that failed. */
static zm_db *fresh_db(run *r, bool *fatal)
{
    zm_db_error err = {0};
    if (r->dialect == DIALECT_SQLITE) {
        char url[4096], *msg = NULL;
        snprintf(url, sizeof url, "file:%s/db/%d.db", r->root, r->sqlite_n++);
        zm_db_url u;
        zm_db *db = NULL;
        if (zm_db_url_parse(url, r->root, &u, &msg) != 0) {
            printf("    %s: %s\n", url, msg);
            free(msg);
            *fatal = true;
            return NULL;
        }
        if (zm_db_connect(&u, true, &db, &err) != ZM_DB_OK) {
            report_db_error("connect", &err);
            *fatal = true;
        } else if (zm_db_execute(db, "PRAGMA synchronous = OFF;", &err) != ZM_DB_OK) {
            /* a throw-away file: no fsync per statement */
            report_db_error("pragma", &err);
        }
        zm_db_url_free(&u);
        zm_db_error_clear(&err);
        return db;
    }
    if (!r->pg) {
        zm_db_url u;
        char *msg = NULL;
        if (zm_db_url_parse(r->pg_url, ".", &u, &msg) != 0) {
            printf("    %s\n", msg);
            free(msg);
            *fatal = true;
            return NULL;
        }
        zm_db_status st = zm_db_connect(&u, false, &r->pg, &err);
        zm_db_url_free(&u);
        if (st != ZM_DB_OK) {
            report_db_error("connect", &err);
            zm_db_error_clear(&err);
            *fatal = true;
            return NULL;
        }
    }
    static const char reset[] =
        "DO $$ DECLARE r record; BEGIN "
        "FOR r IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
        "AND nspname <> 'information_schema' LOOP "
        "EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP; END $$;\n"
        "DROP EXTENSION IF EXISTS citext, pg_trgm, \"uuid-ossp\", pgcrypto CASCADE;\n"
        "CREATE SCHEMA public;\n";
    if (zm_db_execute(r->pg, reset, &err) != ZM_DB_OK) {
        report_db_error("reset", &err);
        zm_db_error_clear(&err);
        *fatal = true;
        return NULL;
    }
    return r->pg;
}

static void close_db(run *r, zm_db *db)
{
    if (db != r->pg) zm_db_close(db);
}

/* ---- one schema ------------------------------------------------------------------------ */

static void print_text(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    fwrite(text, 1, len, stdout);
}

static bool check_schema(run *r, const char *key, const zm_rel_schema *lowered, bool *fatal)
{
    text ddl = {0};
    if (zm_rel_render_create(lowered, collect, &ddl) != 0) {
        printf("FAIL %s: rendering failed\n", key);
        return false;
    }
    zm_db *db = fresh_db(r, fatal);
    if (!db) {
        free(ddl.data);
        printf("FAIL %s: no database\n", key);
        return false;
    }
    bool ok = false;
    zm_db_error err = {0};
    if (zm_db_execute(db, ddl.data, &err) != ZM_DB_OK) {
        printf("FAIL %s: the DDL does not apply\n", key);
        report_db_error("execute", &err);
        zm_db_error_clear(&err);
        free(ddl.data);
        close_db(r, db);
        return false;
    }
    free(ddl.data);
    char *error = NULL;
    zm_rel_schema *live = zm_db_introspect(db, lowered, &error);
    if (!live) {
        printf("FAIL %s: introspection failed: %s\n", key, error ? error : "?");
        free(error);
        close_db(r, db);
        return false;
    }
    char *want = zm_rel_describe(lowered), *got = zm_rel_describe(live);
    if (!want || !got) abort();
    ok = strcmp(want, got) == 0;
    if (r->print) fputs(got, stdout);
    if (!ok) {
        printf("FAIL %s: the introspected schema differs\n", key);
        missing_lines(want, got, "lowered:     ", r->verbose ? 1000 : 4);
        missing_lines(got, want, "introspected:", r->verbose ? 1000 : 4);
    }
    /* And the diff engine sees nothing to do (issue 6, must-show 4). */
    zm_rel_diff *d = zm_rel_diff_new(live, lowered);
    if (!d) abort();
    if (!zm_rel_diff_is_empty(d)) {
        printf("FAIL %s: the diff from the database to the model is not empty:\n", key);
        zm_rel_diff_render(d, false, print_text, NULL);
        ok = false;
    }
    zm_rel_diff_free(d);
    free(want);
    free(got);
    zm_rel_free(live);
    close_db(r, db);
    return ok;
}

static char *field(char **cols, size_t n, size_t i) { return i < n ? cols[i] : ""; }

static void run_row(run *r, char *line, bool *fatal)
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
    if (strcmp(status, "ok") != 0 || zm_test_dialect_or_null(dialect) != r->dialect) return;
    char key[4096], ref[8192], input[8192];
    snprintf(key, sizeof key, "%s/%s", dir, name);
    if (r->only && strcmp(r->only, key) != 0 && strcmp(r->only, name) != 0) return;
    snprintf(ref, sizeof ref, "%s/expected-sql/%s/%s/%s.sql", r->corpus, dialect, dir, name);
    if (access(ref, R_OK) != 0) return;
    snprintf(input, sizeof input, "%s/%s", r->corpus, zmodel);
    r->total++;

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
    zm_rel_schema *s = ir ? zm_rel_lower(ir, r->dialect) : NULL;
    if (!s) printf("FAIL %s: does not compile or lower at level %d\n", key, level);
    else if (check_schema(r, key, s, fatal)) r->pass++;
    zm_rel_free(s);
    zm_compilation_free(c);
}

/* PostgreSQL: --url, else $ZM_PG_URL's `postgres` database. */
static bool pick_pg_url(run *r, char *buf, size_t size)
{
    if (r->dialect != DIALECT_POSTGRESQL || r->pg_url) return true;
    const char *base = getenv("ZM_PG_URL");
    if (!base) {
        printf("FAIL: no PostgreSQL server (--url, or ZM_PG_URL from tests/support/pg.sh)\n");
        return false;
    }
    snprintf(buf, size, "%s/postgres", base);
    r->pg_url = buf;
    return true;
}

/* One hand-written schema (ZenStack 3). */
static int run_schema(run *r, const char *path)
{
    char url[4096], root[] = "/tmp/zmc-roundtrip-XXXXXX", dbdir[4096];
    if (!pick_pg_url(r, url, sizeof url)) return 1;
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(dbdir, sizeof dbdir, "%s/db", root);
    mkdir(dbdir, 0755);
    r->root = root;
    r->verbose = true;
    zm_options o = {.version = sizeof o, .zenstack = 3};
    zm_compilation *c = zm_compilation_new(&o);
    bool ok = false, fatal = false;
    if (zm_compilation_load_file(c, path) == ZM_OK && zm_compilation_check(c) == ZM_OK) {
        zm_rel_schema *s = zm_rel_lower(zm_compilation_ir(c), r->dialect);
        ok = s && check_schema(r, path, s, &fatal);
        zm_rel_free(s);
    } else {
        printf("FAIL %s: does not compile\n", path);
    }
    zm_compilation_free(c);
    zm_db_close(r->pg);
    remove_tree(root);
    printf("%s %s: %s\n", r->dialect->provider, path, ok ? "round-trip identical" : "FAIL");
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    run r = {0};
    long floor = -1;
    const char *schema = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) r.corpus = argv[++i];
        else if (strcmp(argv[i], "--url") == 0 && i + 1 < argc) r.pg_url = argv[++i];
        else if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc) schema = argv[++i];
        else if (strcmp(argv[i], "--floor") == 0 && i + 1 < argc) floor = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) r.only = argv[++i];
        else if (strcmp(argv[i], "--verbose") == 0) r.verbose = true;
        else if (strcmp(argv[i], "--print") == 0) r.print = true;
        else if (!r.dialect) r.dialect = zm_test_dialect_or_null(argv[i]);
    }
    if ((!r.corpus && !schema) || (r.dialect != DIALECT_SQLITE && r.dialect != DIALECT_POSTGRESQL)) {
        fputs("usage: roundtrip_test sqlite|postgresql --corpus DIR [--url URL] [--floor N] [--only NAME] "
              "[--verbose]\n       roundtrip_test sqlite|postgresql --schema FILE.zmodel [--url URL]\n", stderr);
        return 2;
    }
    if (schema) return run_schema(&r, schema);
    char index[4096];
    snprintf(index, sizeof index, "%s/expected-sql/index.tsv", r.corpus);
    char *tsv = read_all(index);
    if (!tsv) {
        printf("corpus not found at %s: skipped\n", index);
        return SKIP;
    }
    char url[4096];
    if (!pick_pg_url(&r, url, sizeof url)) {
        free(tsv);
        return 1;
    }
    char root[] = "/tmp/zmc-roundtrip-XXXXXX";
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    char dbdir[4096];
    snprintf(dbdir, sizeof dbdir, "%s/db", root);
    mkdir(dbdir, 0755);
    mirror_repos(r.corpus, root);
    r.root = root;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool fatal = false;
    char *line = strchr(tsv, '\n');     /* skip the header */
    while (line && *++line && !fatal) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        run_row(&r, line, &fatal);
        line = nl;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(tsv);
    zm_db_close(r.pg);
    remove_tree(root);
    const char *name = r.dialect->provider;
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    size_t need = floor < 0 ? r.total : (size_t)floor;
    printf("%s: %zu/%zu round-trip identical in %.1f s, at least %zu required\n", name, r.pass, r.total, secs, need);
    if (fatal) printf("FAIL: stopped: the database is not usable\n");
    return !fatal && r.total > 0 && r.pass >= need ? 0 : 1;
}
