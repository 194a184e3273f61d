/*
** corpus_test.c — conformance runs over the shared ZModel corpus.
**
**   corpus_test parse  --corpus DIR   every real schema parses without a syntax error
**   corpus_test format --corpus DIR   formatting keeps the tree and every comment,
**                                     and is idempotent
**   corpus_test valid  --corpus DIR   every schema ZenStack accepts (MANIFEST.md's
**                                     v2/v3 columns; valid-inline/ at its
**                                     version) passes `zmc check` at that level
**   corpus_test invalid --corpus DIR [--floor N]
**                                     files ZenStack rejects are rejected with
**                                     its message (line 1: EXPECT-ERROR); fails
**                                     if fewer than N match (a ratchet that only
**                                     goes up as checks are added)
**   corpus_test robust --corpus DIR --zmc BIN
**                                     `zmc check` on invalid schemas, doc snippets
**                                     and every corpus file cut at random bytes
**                                     exits 0, 1 or 2: no crash, hang or
**                                     sanitizer report
**
** The file lists come from walking the corpus, never from a list in this
** repository. Without the corpus the run exits 77, which CTest reports as
** skipped (never as passed). Each mode ends with "N passed, N failed".
*/
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compilation.h"
#include "format.h"
#include "zmc/buf.h"
#include "zmc/ir.h"

enum { SKIP = 77 };

static const char *const REAL_DIRS[] = {"zenstack", "zenstack-v1", "zenstack-v2", "zenstack-v3",
                                        "valid-inline", NULL};
static const char *const ODD_DIRS[] = {"invalid", "docs-snippets", NULL};
static const char *const ALL_DIRS[] = {"zenstack", "zenstack-v1", "zenstack-v2", "zenstack-v3",
                                       "valid-inline", "invalid", "docs-snippets", NULL};

typedef struct list {
    char **items;
    size_t count, cap;
} list;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .zmodel files of corpus/<dirs>, sorted, as full paths. */
static void collect(const char *corpus, const char *const *dirs, list *out)
{
    for (; *dirs; dirs++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", corpus, *dirs);
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "corpus_test: cannot open %s: %s\n", path, strerror(errno));
            continue;
        }
        size_t first = out->count;
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n < 7 || strcmp(e->d_name + n - 7, ".zmodel") != 0) continue;
            if (out->count == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 256;
                out->items = realloc(out->items, out->cap * sizeof *out->items);
                if (!out->items) abort();
            }
            size_t len = strlen(path) + n + 2;
            char *p = malloc(len);
            if (!p) abort();
            snprintf(p, len, "%s/%s", path, e->d_name);
            out->items[out->count++] = p;
        }
        closedir(d);
        qsort(out->items + first, out->count - first, sizeof *out->items, by_name);
    }
}

static void list_free(list *l)
{
    for (size_t i = 0; i < l->count; i++) free(l->items[i]);
    free(l->items);
}

static char *diagnostics_of(zm_compilation *c)
{
    zm_buf b = ZM_BUF_INIT;
    zm_diag_render(&c->diag, &b);
    return b.data;
}

/* ---- parse ---------------------------------------------------------------- */

static int run_parse(const list *files)
{
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < files->count; i++) {
        zm_options o = {.version = sizeof o, .skip_imports = 1};
        zm_compilation *c = zm_compilation_new(&o);
        int rc = zm_compilation_load_file(c, files->items[i]);
        zm_file *f = zm_compilation_main(c);
        if (rc == ZM_OK && f && !f->had_errors) {
            passed++;
        } else {
            char *d = diagnostics_of(c);
            printf("FAIL %s\n%s", files->items[i], d ? d : "");
            free(d);
            failed++;
        }
        zm_compilation_free(c);
    }
    printf("corpus.parse: %zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* ---- format --------------------------------------------------------------- */

typedef struct parsed {
    zm_compilation *c;
    zm_file *file;
    size_t comments;
} parsed;

static int parse_text(const char *name, const char *text, size_t len, parsed *out)
{
    zm_options o = {.version = sizeof o, .keep_comments = 1, .skip_imports = 1};
    out->c = zm_compilation_new(&o);
    int rc = zm_compilation_load_string(out->c, name, text, len);
    out->file = zm_compilation_main(out->c);
    out->comments = 0;
    for (zm_comment *k = out->file->comments; k; k = k->next) out->comments++;
    return rc;
}

static int run_format(const list *files)
{
    size_t passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < files->count; i++) {
        const char *path = files->items[i];
        char *text;
        size_t len;
        if (zm_read_file(path, &text, &len) != ZM_OK) {
            printf("FAIL %s: cannot read\n", path);
            failed++;
            continue;
        }
        parsed a, b;
        if (parse_text(path, text, len, &a) != ZM_OK) {
            /* Invalid on purpose (syntax errors): nothing to format. */
            zm_compilation_free(a.c);
            free(text);
            skipped++;
            continue;
        }
        zm_buf once = ZM_BUF_INIT, twice = ZM_BUF_INIT, da = ZM_BUF_INIT, db = ZM_BUF_INIT;
        zm_format_file(a.file, zm_sources_get(&a.c->sources, a.file->id), &a.c->arena, &once);
        zm_buf_puts(&once, "");
        const char *why = NULL;
        if (parse_text(path, once.data, once.len, &b) != ZM_OK) {
            why = "formatted text does not parse";
        } else {
            zm_ast_dump(a.file, &da);
            zm_ast_dump(b.file, &db);
            if (strcmp(da.data, db.data) != 0) why = "formatted text parses to a different tree";
            else if (a.comments != b.comments) why = "a comment was lost or duplicated";
        }
        if (!why) {
            zm_format_file(b.file, zm_sources_get(&b.c->sources, b.file->id), &b.c->arena, &twice);
            zm_buf_puts(&twice, "");
            if (strcmp(once.data, twice.data) != 0) why = "formatting is not idempotent";
        }
        if (why) {
            printf("FAIL %s: %s\n", path, why);
            failed++;
        } else {
            passed++;
        }
        zm_buf_free(&once);
        zm_buf_free(&twice);
        zm_buf_free(&da);
        zm_buf_free(&db);
        zm_compilation_free(a.c);
        zm_compilation_free(b.c);
        free(text);
    }
    printf("corpus.format: %zu passed, %zu failed (%zu files with syntax errors not formatted)\n",
           passed, failed, skipped);
    return failed ? 1 : 0;
}

/* ---- valid ---------------------------------------------------------------- */

typedef struct job {
    char *path;
    int level;
} job;

typedef struct jobs {
    job *items;
    size_t count, cap;
} jobs;

static void add_job(jobs *j, const char *path, int level)
{
    if (j->count == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 256;
        j->items = realloc(j->items, j->cap * sizeof *j->items);
        if (!j->items) abort();
    }
    j->items[j->count].path = strdup(path);
    j->items[j->count].level = level;
    j->count++;
}

/* Rows of MANIFEST.md's file table: | dir/file.zmodel | source | L | prov |
   M/E/T/V | v2 | v3 | ... | — a level is a job where its column says OK. */
static void manifest_jobs(const char *corpus, jobs *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST.md", corpus);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[16384];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| ", 2) != 0) continue;
        char *cols[8];
        int n = 0;
        char *p = line + 1;
        while (n < 8) {
            char *bar = strchr(p, '|');
            if (!bar) break;
            *bar = '\0';
            while (*p == ' ') p++;
            char *e = p + strlen(p);
            while (e > p && e[-1] == ' ') *--e = '\0';
            cols[n++] = p;
            p = bar + 1;
        }
        size_t len = n ? strlen(cols[0]) : 0;
        if (n < 7 || len < 7 || strcmp(cols[0] + len - 7, ".zmodel") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", corpus, cols[0]);
        if (strcmp(cols[5], "OK") == 0) add_job(out, path, 2);
        if (strcmp(cols[6], "OK") == 0) add_job(out, path, 3);
    }
    fclose(f);
}

static bool listed(const jobs *j, const char *path)
{
    for (size_t i = 0; i < j->count; i++)
        if (strcmp(j->items[i].path, path) == 0) return true;
    return false;
}

/* valid-inline/ files say their version in their SOURCE line. */
static void inline_jobs(const list *files, jobs *out)
{
    size_t manifest = out->count;
    for (size_t i = 0; i < files->count; i++) {
        jobs m = {out->items, manifest, manifest};
        if (listed(&m, files->items[i])) continue;
        char *text;
        size_t len;
        if (zm_read_file(files->items[i], &text, &len) != ZM_OK) continue;
        if (len > 600) text[600] = '\0';
        add_job(out, files->items[i], strstr(text, "(zenstack v3") ? 3 : 2);
        free(text);
    }
}

/* The corpus stores a repository's files flat (`a__b__c.zmodel` for
   a/b/c.zmodel), which breaks imports between them. Rebuild the folders as
   symbolic links under `root` and return where `flat` now lives. */
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
    /* mkdir -p the folders, then link. */
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

/* An accepted schema lowers to an IR whose relation fields all have their
   relation, and which prints as JSON. */
static bool ir_sound(zm_compilation *c)
{
    const zm_ir *ir = zm_compilation_ir(c);
    if (!ir) return false;
    for (size_t i = 0; i < zm_ir_model_count(ir); i++) {
        const zm_ir_model *m = zm_ir_model_at(ir, i);
        for (size_t k = 0; k < zm_ir_model_field_count(m); k++) {
            const zm_ir_field *f = zm_ir_model_field_at(m, k);
            if (zm_ir_field_kind_of(f) == ZM_IR_FIELD_RELATION &&
                (!zm_ir_field_relation(f) || !zm_ir_field_target(f)))
                return false;
        }
    }
    char *json = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&json, &len);
    bool ok = mem && zm_ir_write_json(ir, mem) == ZM_OK;
    if (mem) ok = fclose(mem) == 0 && ok && len > 2;
    free(json);
    return ok;
}

static int run_valid(const char *corpus)
{
    /* Every repository folder's files, at their original paths. */
    char root[] = "/tmp/zmc-corpus-XXXXXX";
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    static const char *const repos[] = {"zenstack", "zenstack-v1", "zenstack-v2", "zenstack-v3", NULL};
    for (const char *const *r = repos; *r; r++) {
        list one = {0};
        const char *dirs[] = {*r, NULL};
        collect(corpus, dirs, &one);
        char sub[sizeof root + 32];
        snprintf(sub, sizeof sub, "%s/%s", root, *r);
        mkdir(sub, 0755);
        for (size_t i = 0; i < one.count; i++) free(mirror(sub, one.items[i]));
        list_free(&one);
    }

    jobs j = {0};
    manifest_jobs(corpus, &j);
    list inl = {0};
    static const char *const inline_dir[] = {"valid-inline", NULL};
    collect(corpus, inline_dir, &inl);
    inline_jobs(&inl, &j);
    list_free(&inl);

    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < j.count; i++) {
        zm_options o = {.version = sizeof o, .zenstack = j.items[i].level};
        zm_compilation *c = zm_compilation_new(&o);
        const char *path = j.items[i].path;
        char *mirrored = NULL;
        for (const char *const *r = repos; *r; r++) {
            char prefix[4096];
            snprintf(prefix, sizeof prefix, "%s/%s/", corpus, *r);
            if (strncmp(path, prefix, strlen(prefix)) == 0) {
                char sub[sizeof root + 32];
                snprintf(sub, sizeof sub, "%s/%s", root, *r);
                mirrored = mirror(sub, path);
            }
        }
        if (zm_compilation_load_file(c, mirrored ? mirrored : path) != ZM_ENOTFOUND)
            zm_compilation_check(c);
        free(mirrored);
        size_t other = 0;
        for (size_t d = 0; d < c->diag.count; d++)
            if (c->diag.items[d].severity == ZM_SEVERITY_ERROR) other++;
        if (other) {
            char *d = diagnostics_of(c);
            printf("FAIL %s (--zenstack %d)\n%s", j.items[i].path, j.items[i].level, d ? d : "");
            free(d);
            failed++;
        } else if (!ir_sound(c)) {
            printf("FAIL %s (--zenstack %d): the IR is incomplete\n", j.items[i].path, j.items[i].level);
            failed++;
        } else {
            passed++;
        }
        zm_compilation_free(c);
        free(j.items[i].path);
    }
    free(j.items);
    remove_tree(root);
    printf("corpus.valid: %zu passed, %zu failed\n", passed, failed);
    return failed || passed == 0 ? 1 : 0;
}

/* ---- invalid --------------------------------------------------------------- */

/* Does the rendered output match line 1's expectation: a substring (in any
   case), or a /regex/ (flags: i)? */
static bool expectation_met(const char *expect, const char *output)
{
    size_t n = strlen(expect);
    if (n >= 2 && expect[0] == '/') {
        const char *close = strrchr(expect, '/');
        if (close > expect) {
            char *pattern = strndup(expect + 1, (size_t)(close - expect - 1));
            int flags = REG_EXTENDED | REG_NOSUB | (strchr(close, 'i') ? REG_ICASE : 0);
            regex_t re;
            bool ok = pattern && regcomp(&re, pattern, flags) == 0;
            if (ok) {
                ok = regexec(&re, output, 0, NULL, 0) == 0;
                regfree(&re);
            }
            free(pattern);
            return ok;
        }
    }
    /* Case does not matter: ZenStack's own tests compare loosely too. */
    for (const char *o = output; *o; o++) {
        size_t k = 0;
        while (k < n && o[k] && tolower((unsigned char)o[k]) == tolower((unsigned char)expect[k])) k++;
        if (k == n) return true;
    }
    return n == 0;
}

static int run_invalid(const list *files, long floor)
{
    size_t matched = 0;
    for (size_t i = 0; i < files->count; i++) {
        const char *path = files->items[i];
        char *text;
        size_t len;
        if (zm_read_file(path, &text, &len) != ZM_OK) continue;
        char *expect = strstr(text, "EXPECT-ERROR:");
        char *eol = expect ? strchr(expect, '\n') : NULL;
        if (!expect || !eol) {
            free(text);
            continue;
        }
        *eol = '\0';
        if (eol > expect && eol[-1] == '\r') eol[-1] = '\0';
        expect += strlen("EXPECT-ERROR:");
        while (*expect == ' ') expect++;

        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        zm_options o = {.version = sizeof o, .zenstack = strncmp(name, "v2__", 4) == 0 ? 2 : 3};
        zm_compilation *c = zm_compilation_new(&o);
        if (zm_compilation_load_file(c, path) == ZM_OK) zm_compilation_check(c);
        char *out = diagnostics_of(c);
        bool ok = zm_compilation_error_count(c) > 0 && expectation_met(expect, out ? out : "");
        if (ok) matched++;
        else printf("not yet: %s (want: %s)\n", name, expect);
        free(out);
        zm_compilation_free(c);
        free(text);
    }
    printf("corpus.invalid: %zu of %zu rejected with ZenStack's message (at least %ld required)\n",
           matched, files->count, floor);
    return (long)matched >= floor ? 0 : 1;
}

/* ---- robust --------------------------------------------------------------- */

enum { TIMEOUT_MS = 20000, MAX_CAPTURE = 1 << 16 };

/* Run `zmc check --schema path`; returns its exit code, or a description of
   how it went wrong in *why (crash, hang, sanitizer report). */
static int run_check(const char *zmc, const char *path, const char **why)
{
    int pipefd[2];
    *why = NULL;
    if (pipe(pipefd) != 0) {
        *why = "pipe failed";
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        *why = "fork failed";
        return -1;
    }
    if (pid == 0) {
        dup2(pipefd[1], 2);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, 1);
        close(pipefd[0]);
        /* Sanitizer findings get exit codes of their own, never 0, 1 or 2. */
        setenv("ASAN_OPTIONS", "exitcode=99:detect_leaks=1:abort_on_error=0", 1);
        setenv("UBSAN_OPTIONS", "exitcode=98:halt_on_error=1:print_stacktrace=1", 1);
        setenv("LSAN_OPTIONS", "exitcode=97", 1);
        execl(zmc, zmc, "check", "-q", "--schema", path, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    static char capture[MAX_CAPTURE];
    size_t got = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = 0, done = 0;
    for (;;) {
        struct pollfd p = {pipefd[0], POLLIN, 0};
        int r = poll(&p, 1, 100);
        if (r > 0) {
            char tmp[4096];
            ssize_t n = read(pipefd[0], tmp, sizeof tmp);
            if (n > 0) {
                size_t k = (size_t)n;
                if (got + k > MAX_CAPTURE - 1) k = MAX_CAPTURE - 1 - got;
                memcpy(capture + got, tmp, k);
                got += k;
                continue;
            }
            if (n == 0 && done) break;
        }
        if (!done && waitpid(pid, &status, WNOHANG) == pid) done = 1;
        if (done && r <= 0) break;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (!done && ms > TIMEOUT_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            close(pipefd[0]);
            *why = "hang (killed after 20 s)";
            return -1;
        }
    }
    if (!done) waitpid(pid, &status, 0);
    close(pipefd[0]);
    capture[got] = '\0';
    if (strstr(capture, "Sanitizer") || strstr(capture, "runtime error:")) {
        fputs(capture, stdout);
        *why = "sanitizer report";
        return -1;
    }
    if (WIFSIGNALED(status)) {
        *why = strsignal(WTERMSIG(status));
        return -1;
    }
    return WEXITSTATUS(status);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a: a fixed cut per file */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int check_one(const char *zmc, const char *path, const char *label, size_t *passed,
                     size_t *failed)
{
    const char *why;
    int rc = run_check(zmc, path, &why);
    if (!why && (rc < 0 || rc > 2)) why = "exit status outside 0, 1, 2";
    if (why) {
        printf("FAIL %s: %s (exit %d)\n", label, why, rc);
        (*failed)++;
        return 1;
    }
    (*passed)++;
    return 0;
}

static int run_robust(const char *zmc, const list *odd, const list *all)
{
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < odd->count; i++)
        check_one(zmc, odd->items[i], odd->items[i], &passed, &failed);

    char dir[] = "/tmp/zmc-robust-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char cut[sizeof dir + 32];
    snprintf(cut, sizeof cut, "%s/cut.zmodel", dir);
    for (size_t i = 0; i < all->count; i++) {
        char *text;
        size_t len;
        if (zm_read_file(all->items[i], &text, &len) != ZM_OK || len == 0) {
            free(text);
            continue;
        }
        uint64_t h = hash(all->items[i]);
        {
            size_t at = (size_t)(h % len);
            FILE *f = fopen(cut, "wb");
            if (!f || fwrite(text, 1, at, f) != at || fclose(f) != 0) {
                printf("FAIL cannot write %s\n", cut);
                failed++;
                continue;
            }
            char label[4200];
            snprintf(label, sizeof label, "%s cut at byte %zu", all->items[i], at);
            check_one(zmc, cut, label, &passed, &failed);
        }
        free(text);
    }
    unlink(cut);
    rmdir(dir);
    printf("corpus.robust: %zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "", *corpus = NULL, *zmc = NULL;
    long floor = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--corpus") == 0) corpus = argv[i + 1];
        else if (strcmp(argv[i], "--zmc") == 0) zmc = argv[i + 1];
        else if (strcmp(argv[i], "--floor") == 0) floor = strtol(argv[i + 1], NULL, 10);
    }
    if (!corpus) {
        fputs("usage: corpus_test parse|format|valid|invalid|robust --corpus DIR [--zmc BIN]\n", stderr);
        return 2;
    }
    struct stat st;
    if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("corpus not found at %s: skipped\n", corpus);
        return SKIP;
    }
    list real = {0}, odd = {0}, all = {0};
    int rc = 2;
    if (strcmp(mode, "parse") == 0) {
        collect(corpus, REAL_DIRS, &real);
        rc = real.count ? run_parse(&real) : 1;
    } else if (strcmp(mode, "format") == 0) {
        collect(corpus, ALL_DIRS, &all);
        rc = all.count ? run_format(&all) : 1;
    } else if (strcmp(mode, "invalid") == 0) {
        static const char *const invalid_dir[] = {"invalid", NULL};
        collect(corpus, invalid_dir, &odd);
        rc = odd.count ? run_invalid(&odd, floor) : 1;
    } else if (strcmp(mode, "valid") == 0) {
        rc = run_valid(corpus);
    } else if (strcmp(mode, "robust") == 0 && zmc) {
        collect(corpus, ODD_DIRS, &odd);
        collect(corpus, ALL_DIRS, &all);
        rc = all.count ? run_robust(zmc, &odd, &all) : 1;
    } else {
        fputs("usage: corpus_test parse|format|valid|invalid|robust --corpus DIR [--zmc BIN]\n", stderr);
    }
    list_free(&real);
    list_free(&odd);
    list_free(&all);
    return rc;
}
