/*
** catalog_test.c — zmc's DDL and Prisma's leave identical catalogs.
**
**   catalog_test sqlite|postgresql --corpus DIR [--jobs N] [--pg-dump N]
**                [--only NAME] [--verbose] [--show]
**
** For every golden of DIR/expected-sql for the dialect (Prisma Migrate's own
** `migrate diff --from-empty` DDL), zmc's DDL for the same schema is made as
** corpus.sql makes it; both scripts are applied to empty databases and the
** catalogs they leave are dumped and compared, together with the errors of
** any statement that failed (statements run one by one, going on after a
** failure, as psql without ON_ERROR_STOP). SQLite runs in memory (fresh
** per script); PostgreSQL, in databases emptied before each script, uses the
** server of the PG* variables (tests/support/pg.sh; run_pg.sh starts one),
** N worker processes (default 2) with two databases each. The catalog dump
** is a query over pg_catalog (pg_catalog.c); --pg-dump N also compares the
** output of pg_dump --schema-only for every N-th golden and every golden
** that does not apply (pg_dump costs a quarter second a run here, six
** minutes for all). --show prints zmc's side's catalog dumps.
**
** Cases named below, never skipped:
**   - SQLite Json defaults (prisma/orm#26571): Prisma writes the default
**     unquoted, which SQLite rejects; zmc quotes it. The test asserts that
**     Prisma's DDL fails, and compares zmc's catalog with the one of
**     Prisma's DDL with that default quoted.
**   - Goldens that do not apply to a stock database (PostgreSQL SQL in a
**     SQLite dbgenerated(), extensions or types the server lacks): both
**     scripts must fail in the same statements with the same messages and
**     leave the same catalog. Any other failing golden fails the test.
** Without the corpus the run exits 77 (CTest: skipped).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog.h"
#include "zmc/ir.h"

enum { SKIP = 77 };

typedef struct known {
    const char *key, *why;
} known;

/* SQLite goldens with a Json default Prisma leaves unquoted. */
static const known JSON_DEFAULT_UNQUOTED[] = {
    {"valid-inline/v2__tests__integration__tests__plugins__zod__L1102", NULL},
    {"valid-inline/v2__tests__regression__tests__issue-2039__L6", NULL},
    {"valid-inline/v2__tests__regression__tests__issue-416__L5", NULL},
    {"valid-inline/v3__tests__regression__test__v2-migrated__issue-416__L6", NULL},
    {"zenstack/tests__regression__test__issue-2550__schema", NULL},
    {"zenstack/tests__regression__test__issue-2639__schema", NULL},
    {NULL, NULL},
};

static const known SQLITE_NOT_APPLICABLE[] = {
    {"valid-inline/v2__packages__schema__tests__generator__prisma-generator__L156",
     "dbgenerated(\"gen_random_uuid()\") is PostgreSQL SQL"},
    {"zenstack/tests__e2e__orm__schemas__unsupported__schema", "dbgenerated(\"'<root/>'::xml\") is PostgreSQL SQL"},
    {NULL, NULL},
};

static const known PG_NOT_APPLICABLE[] = {
    {"zenstack/tests__e2e__github-repos__formbricks__schema", "extension vector not installed"},
    {"valid-inline/v2__packages__schema__tests__generator__prisma-generator__L32", "extension postgis not installed"},
    {"valid-inline/v2__tests__regression__tests__issue-1870__L5", "type geometry (postgis)"},
    {"valid-inline/v3__tests__regression__test__v2-migrated__issue-1870__L6", "type geometry (postgis)"},
    {"zenstack/tests__e2e__apps__rally__zenstack__schema", "type citext without its extension"},
    {"valid-inline/v2__packages__schema__tests__generator__prisma-generator__L111", "Unsupported(\"foo\")"},
    {"valid-inline/v2__packages__schema__tests__schema__validation__datamodel-validation__L45",
     "Unsupported(\"foo\")"},
    {NULL, NULL},
};

static const known *find(const known *list, const char *key)
{
    for (; list->key; list++)
        if (strcmp(list->key, key) == 0) return list;
    return NULL;
}

typedef struct tally {
    long total, equal, deliberate, both_fail, failed, pg_dumps;
} tally;

typedef struct options {
    const char *dialect, *corpus, *only;
    int jobs, pg_dump_every;
    bool verbose, show;
} options;

/* Prisma's SQLite DDL with each unquoted Json default made a string
   literal, as zmc (and Prisma on PostgreSQL) writes it. */
static char *quote_json_defaults(const char *ddl)
{
    text out = {0};
    for (const char *line = ddl; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        char *l = strndup(line, n);
        if (!l) abort();
        char *type = strstr(l, " JSONB "), *d = type ? strstr(type, " DEFAULT ") : NULL;
        if (d && d[9] != '\'') {
            char *v = d + 9, *end = v + strlen(v);
            if (end > v && end[-1] == '\n') end--;
            if (end > v && end[-1] == ',') end--;
            text_put(&out, l, (size_t)(v - l));
            text_put(&out, "'", 1);
            for (char *p = v; p < end; p++) text_put(&out, p, *p == '\'' ? 2 : 1);
            text_put(&out, "'", 1);
            text_puts(&out, end);
        } else {
            text_puts(&out, l);
        }
        free(l);
        line += n;
    }
    if (!out.data) text_put(&out, "", 0);
    return out.data;
}

/* The first line where a and b part, both versions. */
static void first_difference(const char *what, const char *a, const char *b)
{
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') la = a + 1, lb = b + 1;
        a++, b++;
    }
    printf("    %s differ:\n      prisma: %.*s%s\n      zmc:    %.*s%s\n", what, (int)strcspn(la, "\n"), la,
           *la ? "" : "<end>", (int)strcspn(lb, "\n"), lb, *lb ? "" : "<end>");
}

typedef struct target {
    const options *o;
    pg_slot *prisma, *zmc;  /* PostgreSQL only */
} target;

static int outcome_of(target *t, pg_slot *slot, const char *ddl, bool pg_dump, outcome *out)
{
    if (strcmp(t->o->dialect, "sqlite") == 0) return sqlite_outcome(ddl, out);
    return pg_outcome(slot, ddl, pg_dump, out);
}

static const char *str(const text *t) { return t->data ? t->data : ""; }

/* Compare one golden; returns false only if the databases broke down. */
static bool check(target *t, const golden *g, tally *n)
{
    bool sqlite = strcmp(g->dialect, "sqlite") == 0;
    n->total++;
    if (!g->zmc) {
        printf("FAIL %s/%s: zmc: %s\n", g->dialect, g->key, g->error);
        n->failed++;
        return true;
    }
    const known *json = sqlite ? find(JSON_DEFAULT_UNQUOTED, g->key) : NULL;
    const known *na = find(sqlite ? SQLITE_NOT_APPLICABLE : PG_NOT_APPLICABLE, g->key);
    char *prisma_ddl = json ? quote_json_defaults(g->prisma) : strdup(g->prisma);
    if (!prisma_ddl) abort();
    outcome p = {0}, z = {0}, raw = {0};
    bool dump = !sqlite && t->o->pg_dump_every > 0 && (na || (n->total - 1) % t->o->pg_dump_every == 0);
    n->pg_dumps += dump;
    bool alive = outcome_of(t, t->prisma, prisma_ddl, dump, &p) == 0 && outcome_of(t, t->zmc, g->zmc, dump, &z) == 0;
    if (alive && json) alive = outcome_of(t, t->prisma, g->prisma, false, &raw) == 0;
    bool ok = alive;
    const char *fail = NULL;
    if (!alive) {
        fail = "a database failed";
    } else if (json && !raw.errors.data) {
        fail = "Prisma's DDL with an unquoted Json default applied: is prisma/orm#26571 fixed? (update the list)";
    } else if (p.errors.data && !na) {
        fail = "Prisma's DDL does not apply (not a known case)";
    } else if (strcmp(str(&p.catalog), str(&z.catalog)) != 0) {
        fail = "the catalogs differ";
    } else if (strcmp(str(&p.errors), str(&z.errors)) != 0) {
        fail = "the failing statements differ";
    }
    if (fail) {
        ok = false;
        n->failed++;
        printf("FAIL %s/%s: %s\n", g->dialect, g->key, fail);
        if (p.errors.data) printf("    prisma's errors:\n%s", p.errors.data);
        if (z.errors.data) printf("    zmc's errors:\n%s", z.errors.data);
        if (alive && strcmp(str(&p.catalog), str(&z.catalog)) != 0)
            first_difference("catalogs", str(&p.catalog), str(&z.catalog));
    } else if (json) {
        n->equal++;
        n->deliberate++;
        printf("deliberate %s/%s: Prisma's DDL is rejected (%.*s); zmc's quoted Json default applies and equals "
               "Prisma's with the default quoted\n",
               g->dialect, g->key, (int)strcspn(raw.errors.data, "\n"), raw.errors.data);
    } else if (na && p.errors.data) {
        n->equal++;
        n->both_fail++;
        printf("not applicable %s/%s (%s): both fail alike, same catalog; first error: %.*s\n", g->dialect, g->key,
               na->why, (int)strcspn(p.errors.data, "\n"), p.errors.data);
    } else {
        n->equal++;
        if (na) printf("note %s/%s: listed as not applicable (%s) but applies now\n", g->dialect, g->key, na->why);
    }
    if (t->o->verbose && ok) printf("ok %s/%s\n", g->dialect, g->key);
    if (t->o->show) printf("zmc's catalog of %s/%s:\n%s", g->dialect, g->key, str(&z.catalog));
    outcome_free(&p);
    outcome_free(&z);
    outcome_free(&raw);
    free(prisma_ddl);
    return alive;
}

/* Worker `k` of `jobs`: every jobs-th golden from the k-th. */
static int work(corpus *c, const options *o, int k, tally *n)
{
    target t = {o, NULL, NULL};
    if (strcmp(o->dialect, "postgresql") == 0) {
        char a[64], b[64];
        snprintf(a, sizeof a, "zmc_catalog_prisma_%d", k);
        snprintf(b, sizeof b, "zmc_catalog_zmc_%d", k);
        t.prisma = pg_slot_open(a);
        t.zmc = t.prisma ? pg_slot_open(b) : NULL;
        if (!t.zmc) {
            pg_slot_close(t.prisma);
            return -1;
        }
    }
    golden g;
    int rc = 0;
    corpus_shard(c, k, o->jobs);
    while (corpus_next(c, o->dialect, o->only, &g)) {
        if (!check(&t, &g, n)) {
            rc = -1;
            break;
        }
    }
    pg_slot_close(t.prisma);
    pg_slot_close(t.zmc);
    return rc;
}

/* The frontend's IR table: zm_sql is compiled for modules (ZMC_PLUGIN). */
const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

int main(int argc, char **argv)
{
    options o = {.jobs = 2};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) o.corpus = argv[++i];
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) o.jobs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) o.only = argv[++i];
        else if (strcmp(argv[i], "--pg-dump") == 0 && i + 1 < argc) o.pg_dump_every = atoi(argv[++i]);
        else if (strcmp(argv[i], "--verbose") == 0) o.verbose = true;
        else if (strcmp(argv[i], "--show") == 0) o.show = true;
        else if (!o.dialect && (strcmp(argv[i], "sqlite") == 0 || strcmp(argv[i], "postgresql") == 0))
            o.dialect = argv[i];
        else o.dialect = NULL, i = argc;
    }
    if (!o.dialect || !o.corpus || o.jobs < 1) {
        fputs("usage: catalog_test sqlite|postgresql --corpus DIR [--jobs N] [--pg-dump N] [--only NAME] "
              "[--verbose] [--show]\n", stderr);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);   /* workers' lines must not interleave */
    corpus *c = corpus_open(o.corpus);
    if (!c) return SKIP;
    if (strcmp(o.dialect, "sqlite") == 0) o.jobs = 1;   /* in memory, fast enough alone */
    tally sum = {0};
    bool broken = false;
    if (o.jobs == 1) {
        broken = work(c, &o, 0, &sum) != 0;
    } else {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("pipe");
            return 1;
        }
        fflush(stdout);
        for (int k = 0; k < o.jobs; k++) {
            pid_t pid = fork();
            if (pid < 0) {
                perror("fork");
                return 1;
            }
            if (pid == 0) {
                close(fds[0]);
                tally n = {0};
                int rc = work(c, &o, k, &n);
                if (write(fds[1], &n, sizeof n) != (ssize_t)sizeof n) rc = -1;
                close(fds[1]);
                corpus_close(c);
                exit(rc == 0 ? 0 : 1);
            }
        }
        close(fds[1]);
        tally n;
        while (read(fds[0], &n, sizeof n) == (ssize_t)sizeof n) {
            sum.total += n.total;
            sum.equal += n.equal;
            sum.deliberate += n.deliberate;
            sum.both_fail += n.both_fail;
            sum.failed += n.failed;
            sum.pg_dumps += n.pg_dumps;
        }
        close(fds[0]);
        int status;
        while (wait(&status) > 0)
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) broken = true;
    }
    corpus_close(c);
    printf("catalog.%s: %ld/%ld equal, %ld deliberate (zmc quotes Json defaults, prisma/orm#26571), "
           "%ld not applicable to a stock database (both fail alike)",
           o.dialect, sum.equal, sum.total, sum.deliberate, sum.both_fail);
    if (sum.pg_dumps) printf("; pg_dump compared too for %ld", sum.pg_dumps);
    printf("%s\n", broken ? "; a database failed" : "");
    return !broken && sum.total > 0 && sum.equal == sum.total ? 0 : 1;
}
