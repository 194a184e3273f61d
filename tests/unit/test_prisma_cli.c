/*
** test_prisma_cli.c — migrations through the Prisma CLI (plugins/migrate/
** prisma_cli.c): zmc's words mapped to Prisma 6's, the CLI found through
** ZMC_PRISMA, node_modules/.bin or PATH (and a clear error without it),
** runs of a fake CLI (fixtures/fake_prisma.sh) that log what they got, and
** interrupted runs: Prisma stopped, the temporary schema removed, zmc dead
** of the signal.
**
** Each test runs in its own process (Criterion), so chdir and setenv stay
** there. Waits poll with a deadline, so a hang fails instead of blocking.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compilation.h"
#include "prisma_cli.h"
#include "zmc/buf.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* Strings live until the test ends (released by the suites' fini). */
static char *scratch[256];
static size_t nscratch;

static char *keep(char *p)
{
    cr_assert_lt(nscratch, sizeof scratch / sizeof scratch[0]);
    return scratch[nscratch++] = p;
}

static char *str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str(const char *fmt, ...)
{
    zm_buf b = ZM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    zm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!b.data) zm_buf_puts(&b, "");
    return keep(b.data);
}

static char *read_file(const char *path)
{
    char *text;
    size_t len;
    return zm_read_file(path, &text, &len) == ZM_OK ? keep(text) : NULL;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(path, mode), 0);
}

static void make_dirs(const char *path)
{
    char *p = str("%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    cr_assert(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s", p);
}

/* The test's folder: fresh, its physical path (as getcwd gives it), the
   current folder, with no Prisma CLI around: no ZMC_PRISMA, PATH an empty
   folder, no node_modules (unless one is above $TMPDIR). */
static char *dir;

static void make_sandbox(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = str("%s/zm-prisma-XXXXXX", base && *base ? base : "/tmp");
    cr_assert_not_null(mkdtemp(tmpl));
    cr_assert_not_null(dir = realpath(tmpl, NULL));
    keep(dir);
    make_dirs(str("%s/empty-bin", dir));
    unsetenv("ZMC_PRISMA");
    setenv("PATH", str("%s/empty-bin", dir), 1);
    cr_assert_eq(chdir(dir), 0);
}

static void clean_up(void)
{
    if (dir) cr_expect_eq(system(str("/bin/rm -rf '%s'", dir)), 0);
    while (nscratch) free(scratch[--nscratch]);
}

/* The fake CLI copied to `path` (executable whatever the checkout's modes). */
static const char *install_fake(const char *path)
{
    const char *script = read_file(ZM_FAKE_PRISMA);
    cr_assert_not_null(script, "cannot read %s", ZM_FAKE_PRISMA);
    write_file(path, script, 0755);
    return path;
}

/* The fake as ZMC_PRISMA: <dir>/fake-prisma. */
static const char *use_fake(void)
{
    const char *fake = install_fake(str("%s/fake-prisma", dir));
    setenv("ZMC_PRISMA", fake, 1);
    return fake;
}

/* How many temporary schemas (~schema.*.prisma) are in folder `d`. */
static int temp_schemas(const char *d)
{
    DIR *h = opendir(d);
    cr_assert_not_null(h, "cannot open %s", d);
    int n = 0;
    for (struct dirent *e; (e = readdir(h));) {
        size_t len = strlen(e->d_name);
        n += strncmp(e->d_name, "~schema.", 8) == 0 && len > 15 && strcmp(e->d_name + len - 7, ".prisma") == 0;
    }
    closedir(h);
    return n;
}

/* What zmc would pass: the words and the compiled schema (with bytes a
   shell or a C string would mangle). */
static zm_prisma_run_opts run_opts(const char *zmodel, char **words, int nwords)
{
    static const char schema[] = "datasource db {\n  provider = \"sqlite\"\n  url      = \"file:./dev.db\"\n}\n\n"
                                 "model User {\n  id   Int    @id\n  name String // \xc3\xa9t\xc3\xa9 \"quoted\" \\ $HOME\n}";
    return (zm_prisma_run_opts){.zmodel_path = zmodel, .prisma_schema = schema, .prisma_schema_len = sizeof schema - 1,
                                .nwords = nwords, .words = words, .command = "zmc migrate dev"};
}

/* zm_prisma_run with stderr captured into *err. */
static int run_capturing(const zm_prisma_run_opts *o, char **err)
{
    const char *path = str("%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *f = fopen(path, "w");
    cr_assert(saved >= 0 && f);
    cr_assert_geq(dup2(fileno(f), STDERR_FILENO), 0);
    fclose(f);
    int rc = zm_prisma_run(o);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    *err = read_file(path);
    cr_assert_not_null(*err);
    return rc;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* Wait up to `ms` for `path` to exist; false on timeout. */
static bool wait_for_file(const char *path, long ms)
{
    for (long t = 0; t < ms; t += 10) {
        if (access(path, F_OK) == 0) return true;
        sleep_ms(10);
    }
    return false;
}

/* Wait up to `ms` for child `pid`; on timeout kill its process group. */
static bool wait_for_child(pid_t pid, int *status, long ms)
{
    for (long t = 0; t < ms; t += 10) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) return true;
        cr_assert_geq(r, 0, "waitpid: %s", strerror(errno));
        sleep_ms(10);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, status, 0);
    return false;
}

/* ---- the mapping -------------------------------------------------------------------------- */

typedef struct mapping {
    const char *words[12];
    const char *argv[12];
} mapping;

/* F is the temporary schema. */
static const mapping mappings[] = {
    {{"migrate", "dev"}, {"migrate", "dev", "--schema", "F", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "-n", "init"}, {"migrate", "dev", "--schema", "F", "--name", "init", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "--name", "init", "--create-only"},
     {"migrate", "dev", "--schema", "F", "--name", "init", "--create-only", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "--create-only", "--name=add posts"},
     {"migrate", "dev", "--schema", "F", "--name", "add posts", "--create-only", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "-n=init"}, {"migrate", "dev", "--schema", "F", "--name", "init", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "--schema=zenstack/schema.zmodel", "--zenstack", "2", "--backend", "prisma", "-n", "a"},
     {"migrate", "dev", "--schema", "F", "--name", "a", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "--schema", "z.zmodel", "--zenstack=3", "--backend=prisma", "--name", "a", "-n", "b"},
     {"migrate", "dev", "--schema", "F", "--name", "b", "--skip-generate", "--skip-seed"}},
    {{"migrate", "dev", "--name", "-x"}, {"migrate", "dev", "--schema", "F", "--name=-x", "--skip-generate", "--skip-seed"}},
    {{"migrate", "deploy"}, {"migrate", "deploy", "--schema", "F"}},
    {{"migrate", "deploy", "--schema", "s.zmodel"}, {"migrate", "deploy", "--schema", "F"}},
    {{"migrate", "reset"}, {"migrate", "reset", "--schema", "F", "--skip-generate", "--skip-seed"}},
    {{"migrate", "reset", "--force"}, {"migrate", "reset", "--schema", "F", "--force", "--skip-generate", "--skip-seed"}},
    {{"migrate", "reset", "-f", "--skip-seed", "--skip-generate"},
     {"migrate", "reset", "--schema", "F", "--force", "--skip-generate", "--skip-seed"}},
    {{"migrate", "status"}, {"migrate", "status", "--schema", "F"}},
    {{"migrate", "status", "--zenstack", "3", "--schema=s.zmodel"}, {"migrate", "status", "--schema", "F"}},
    {{"migrate", "resolve", "--applied", "20240101000000_init"},
     {"migrate", "resolve", "--schema", "F", "--applied", "20240101000000_init"}},
    {{"migrate", "resolve", "--rolled-back=20240101000000_init", "--schema", "s.zmodel"},
     {"migrate", "resolve", "--schema", "F", "--rolled-back", "20240101000000_init"}},
    {{"db", "push"}, {"db", "push", "--schema", "F", "--skip-generate"}},
    {{"db", "push", "--force-reset", "--schema", "s.zmodel", "--accept-data-loss"},
     {"db", "push", "--schema", "F", "--accept-data-loss", "--force-reset", "--skip-generate"}},
};

static char *joined(const char *const *v, size_t n)
{
    zm_buf b = ZM_BUF_INIT;
    for (size_t i = 0; i < n && v[i]; i++) zm_buf_printf(&b, "%s[%s]", i ? " " : "", v[i]);
    if (!b.data) zm_buf_puts(&b, "");
    return keep(b.data);
}

/* The words of a table row: up to its first NULL or its end. */
static int count(const char *const *v, int max)
{
    int n = 0;
    while (n < max && v[n]) n++;
    return n;
}
#define COUNT(v) count(v, (int)(sizeof(v) / sizeof(v)[0]))

TestSuite(map_args, .fini = clean_up);

Test(map_args, every_command_and_option_form)
{
    for (size_t i = 0; i < sizeof mappings / sizeof mappings[0]; i++) {
        const mapping *m = &mappings[i];
        const char *words = joined(m->words, COUNT(m->words));
        zm_prisma_args a;
        char *error = NULL;
        int rc = zm_prisma_map_args(COUNT(m->words), (char **)m->words, "F", &a, &error);
        cr_expect_eq(rc, 0, "%s: %s", words, error ? error : "");
        cr_expect_null(error);
        free(error);
        const char *got = a.argv ? joined((const char *const *)a.argv, a.argc) : "-";
        cr_expect_str_eq(got, joined(m->argv, COUNT(m->argv)), "%s", words);
        cr_expect_eq(a.argc, (size_t)COUNT(m->argv), "%s", words);
        if (a.argv) cr_expect_null(a.argv[a.argc], "%s: argv ends with NULL", words);
        zm_prisma_args_free(&a);
        cr_expect_null(a.argv);
    }
}

typedef struct refusal {
    const char *words[8];
    const char *message;  /* a part of the error */
} refusal;

static const refusal refusals[] = {
    /* zmc's options Prisma cannot honour: named */
    {{"migrate", "dev", "--json"}, "option '--json' is not available with the Prisma backend"},
    {{"migrate", "dev", "--migrations", "db/migrations"}, "option '--migrations' is not available with the Prisma backend"},
    {{"migrate", "dev", "--migrations=db/migrations"}, "option '--migrations' is not available with the Prisma backend"},
    {{"migrate", "dev", "--migrations"}, "option '--migrations' is not available with the Prisma backend"},
    {{"migrate", "dev", "--accept-data-loss"}, "option '--accept-data-loss' is not available with the Prisma backend"},
    {{"migrate", "dev", "-n", "x", "--force-reset"}, "option '--force-reset' is not available with the Prisma backend"},
    {{"migrate", "deploy", "--allow-modified"}, "option '--allow-modified' is not available with the Prisma backend"},
    {{"migrate", "deploy", "--lock-timeout", "5"}, "option '--lock-timeout' is not available with the Prisma backend"},
    {{"migrate", "reset", "--json"}, "option '--json' is not available with the Prisma backend"},
    {{"migrate", "status", "--migrations", "m"}, "option '--migrations' is not available with the Prisma backend"},
    {{"migrate", "resolve", "--applied", "a", "--json"}, "option '--json' is not available with the Prisma backend"},
    {{"db", "push", "--rename", "User.a=b"}, "option '--rename' is not available with the Prisma backend"},
    /* not delegated, not zmc's, malformed */
    {{"migrate", "diff", "--from-empty", "--to-schema", "s.zmodel"}, "zmc migrate diff is not delegated to Prisma"},
    {{"db", "pull"}, "zmc db pull cannot be run through the Prisma CLI"},
    {{"migrate"}, "missing command"},
    {{"migrate", "dev", "--bogus"}, "unexpected argument '--bogus'"},
    {{"migrate", "dev", "--create-only=yes"}, "unexpected argument '--create-only=yes'"},
    {{"migrate", "dev", "init"}, "unexpected argument 'init'"},
    {{"migrate", "deploy", "--force"}, "unexpected argument '--force'"},
    {{"migrate", "dev", "--skip-seed"}, "unexpected argument '--skip-seed'"},
    {{"db", "push", "--json"}, "unexpected argument '--json'"},
    {{"migrate", "dev", "--name"}, "option '--name' needs a value"},
    {{"migrate", "dev", "-n"}, "option '-n' needs a value"},
    {{"migrate", "resolve"}, "pass exactly one of --applied NAME and --rolled-back NAME"},
    {{"migrate", "resolve", "--applied", "a", "--rolled-back", "b"}, "pass exactly one of --applied NAME and --rolled-back NAME"},
};

Test(map_args, refusals_are_usage_errors_that_say_why)
{
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        const refusal *r = &refusals[i];
        const char *words = joined(r->words, COUNT(r->words));
        zm_prisma_args a = {(char **)1, 99};
        char *error = NULL;
        int rc = zm_prisma_map_args(COUNT(r->words), (char **)r->words, "F", &a, &error);
        cr_expect_eq(rc, 2, "%s", words);
        cr_expect(error && strstr(error, r->message), "%s: got '%s', want '%s'", words, error ? error : "(none)",
                  r->message);
        free(error);
        cr_expect(a.argv == NULL && a.argc == 0, "%s: nothing to free", words);
        cr_expect_eq(zm_prisma_map_args(COUNT(r->words), (char **)r->words, "F", &a, NULL), 2, "%s: no error wanted",
                     words);
    }
}

/* ---- finding the CLI ---------------------------------------------------------------------- */

TestSuite(find, .init = make_sandbox, .fini = clean_up, .timeout = 30);

Test(find, missing_cli_is_one_error_with_the_install_hint)
{
    cr_assert_null(zm_prisma_find(), "is there a node_modules/.bin/prisma above %s?", dir);
    char *words[] = {"migrate", "dev", "-n", "init"};
    zm_prisma_run_opts o = run_opts(str("%s/schema.zmodel", dir), words, 4);
    char *err;
    cr_expect_eq(run_capturing(&o, &err), 3);
    cr_expect(strstr(err, "zmc migrate dev: error: ") == err, "%s", err);
    cr_expect(strstr(err, "npm install --save-dev prisma@6"), "%s", err);
    cr_expect(strstr(err, "ZMC_PRISMA"), "%s", err);
    cr_expect_eq(strchr(err, '\n'), err + strlen(err) - 1, "one line: %s", err);
    cr_expect_eq(temp_schemas(dir), 0);
}

Test(find, usage_errors_come_before_the_missing_cli)
{
    char *words[] = {"migrate", "deploy", "--json"};
    zm_prisma_run_opts o = run_opts(str("%s/schema.zmodel", dir), words, 3);
    char *err;
    cr_expect_eq(run_capturing(&o, &err), 2);
    cr_expect_str_eq(err, "zmc migrate dev: error: option '--json' is not available with the Prisma backend: "
                          "Prisma prints text only\n");
    cr_expect_eq(temp_schemas(dir), 0);
}

Test(find, zmc_prisma_naming_no_cli_is_a_clear_error)
{
    const char *missing = str("%s/nowhere/prisma", dir);
    setenv("ZMC_PRISMA", missing, 1);
    /* a CLI on PATH must not be taken instead of the one asked for */
    const char *on_path = install_fake(str("%s/empty-bin/prisma", dir));
    cr_expect_null(zm_prisma_find());

    char *words[] = {"migrate", "deploy"};
    zm_prisma_run_opts o = run_opts(str("%s/schema.zmodel", dir), words, 2);
    char *err;
    cr_expect_eq(run_capturing(&o, &err), 3);
    cr_expect_str_eq(err, str("zmc migrate dev: error: ZMC_PRISMA is '%s', which is not the Prisma CLI (No such file "
                              "or directory): set it to the CLI's path, or unset it\n", missing));
    cr_expect_eq(temp_schemas(dir), 0);

    setenv("ZMC_PRISMA", dir, 1);   /* a folder */
    cr_expect_null(zm_prisma_find());
    const char *plain = str("%s/plain", dir);
    write_file(plain, "#!/bin/sh\n", 0644);
    setenv("ZMC_PRISMA", plain, 1);   /* not executable */
    cr_expect_null(zm_prisma_find());
    setenv("ZMC_PRISMA", on_path, 1);
    char *found = zm_prisma_find();
    cr_expect_str_eq(found ? keep(found) : "(null)", on_path);
}

Test(find, node_modules_bin_in_a_parent_folder_nearest_first)
{
    const char *deep = str("%s/app/zenstack/sub", dir);
    make_dirs(deep);
    make_dirs(str("%s/node_modules/.bin", dir));
    const char *top = install_fake(str("%s/node_modules/.bin/prisma", dir));
    /* on PATH too: node_modules comes first, as with npx */
    const char *on_path = install_fake(str("%s/empty-bin/prisma", dir));
    cr_assert_eq(chdir(deep), 0);
    char *found = zm_prisma_find();
    cr_expect_str_eq(found ? keep(found) : "(null)", top);

    /* nearer: app/node_modules/.bin/prisma; a folder named prisma is no CLI */
    make_dirs(str("%s/app/node_modules/.bin", dir));
    const char *near = install_fake(str("%s/app/node_modules/.bin/prisma", dir));
    make_dirs(str("%s/app/zenstack/node_modules/.bin/prisma", dir));
    found = zm_prisma_find();
    cr_expect_str_eq(found ? keep(found) : "(null)", near);

    /* without node_modules: PATH */
    cr_assert_eq(chdir("/"), 0);
    found = zm_prisma_find();
    cr_expect_str_eq(found ? keep(found) : "(null)", on_path);
}

/* ---- runs ----------------------------------------------------------------------------------- */

TestSuite(run, .init = make_sandbox, .fini = clean_up, .timeout = 30);

Test(run, passes_the_mapped_argv_and_the_schema_and_returns_the_status)
{
    use_fake();
    const char *log = str("%s/log", dir), *zdir = str("%s/zenstack", dir);
    char *zmodel = str("%s/schema.zmodel", zdir);
    make_dirs(zdir);
    setenv("FAKE_PRISMA_LOG", log, 1);
    setenv("FAKE_PRISMA_EXIT", "7", 1);
    unsetenv("PRISMA_HIDE_UPDATE_MESSAGE");
    char *words[] = {"migrate", "dev", "--schema", zmodel, "-n", "init", "--create-only"};
    zm_prisma_run_opts o = run_opts(zmodel, words, 7);

    cr_expect_eq(zm_prisma_run(&o), 7);
    const char *got = read_file(log);
    cr_assert_not_null(got, "the fake did not run");
    /* the schema: <zmodel folder>/~schema.XXXXXX.prisma */
    const char *at = strstr(got, "\n--schema\n");
    cr_assert_not_null(at, "%s", got);
    at += strlen("\n--schema\n");
    const char *schema = str("%.*s", (int)(strchr(at, '\n') - at), at);
    size_t n = strlen(zdir);
    cr_expect(strncmp(schema, zdir, n) == 0 && strncmp(schema + n, "/~schema.", 9) == 0 &&
                  strlen(schema) == n + strlen("/~schema.XXXXXX.prisma") && strcmp(schema + n + 15, ".prisma") == 0,
              "%s", schema);
    cr_expect_str_eq(got, str("PRISMA_HIDE_UPDATE_MESSAGE=1\nmigrate\ndev\n--schema\n%s\n--name\ninit\n--create-only\n"
                              "--skip-generate\n--skip-seed\n--- %s\n%.*s",
                              schema, schema, (int)o.prisma_schema_len, o.prisma_schema));
    cr_expect_neq(access(schema, F_OK), 0, "the temporary schema is gone");
    cr_expect_eq(temp_schemas(zdir), 0);

    /* a status of 0, PRISMA_HIDE_UPDATE_MESSAGE as the user set it, a
       zmodel in the current folder */
    setenv("FAKE_PRISMA_EXIT", "0", 1);
    setenv("PRISMA_HIDE_UPDATE_MESSAGE", "0", 1);
    cr_assert_eq(chdir(zdir), 0);
    char *push[] = {"db", "push", "--accept-data-loss"};
    o = run_opts("schema.zmodel", push, 3);
    cr_expect_eq(zm_prisma_run(&o), 0);
    got = read_file(log);
    static const char pushed[] = "PRISMA_HIDE_UPDATE_MESSAGE=0\ndb\npush\n--schema\n./~schema.";
    cr_expect(got && strncmp(got, pushed, sizeof pushed - 1) == 0, "%s", got);
    cr_expect_eq(temp_schemas(zdir), 0);
}

Test(run, a_cli_killed_by_a_signal_is_128_plus_it)
{
    use_fake();
    setenv("FAKE_PRISMA_SIGNAL", "KILL", 1);
    char *words[] = {"migrate", "status"};
    zm_prisma_run_opts o = run_opts(str("%s/schema.zmodel", dir), words, 2);
    cr_expect_eq(zm_prisma_run(&o), 128 + SIGKILL);
    cr_expect_eq(temp_schemas(dir), 0);
}

Test(run, cannot_write_the_schema_or_start_the_cli)
{
    const char *fake = use_fake();
    char *words[] = {"migrate", "deploy"};
    zm_prisma_run_opts o = run_opts(str("%s/missing/schema.zmodel", dir), words, 2);
    char *err;
    cr_expect_eq(run_capturing(&o, &err), 3);
    const char *want = str("zmc migrate dev: error: cannot write the Prisma schema %s/missing/~schema.", dir);
    cr_expect(strncmp(err, want, strlen(want)) == 0 && strstr(err, "No such file or directory"), "%s", err);

    /* executable, but no program: exec fails, the schema is removed */
    write_file(fake, "this is not a program\n", 0755);
    o = run_opts(str("%s/schema.zmodel", dir), words, 2);
    cr_expect_eq(run_capturing(&o, &err), 3);
    want = str("zmc migrate dev: error: cannot start the Prisma CLI %s: ", fake);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "%s", err);
    cr_expect_eq(temp_schemas(dir), 0);
}

static void noop(int sig) { (void)sig; }

Test(run, signal_dispositions_are_restored)
{
    use_fake();
    signal(SIGTERM, noop);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_DFL);
    char *words[] = {"migrate", "deploy"};
    zm_prisma_run_opts o = run_opts(str("%s/schema.zmodel", dir), words, 2);
    cr_expect_eq(zm_prisma_run(&o), 0);
    struct sigaction sa;
    sigaction(SIGTERM, NULL, &sa);
    cr_expect(sa.sa_handler == noop);
    sigaction(SIGHUP, NULL, &sa);
    cr_expect(sa.sa_handler == SIG_IGN);
    sigaction(SIGINT, NULL, &sa);
    cr_expect(sa.sa_handler == SIG_DFL);
}

/* ---- interrupts ----------------------------------------------------------------------------- */

TestSuite(interrupt, .init = make_sandbox, .fini = clean_up, .timeout = 60);

typedef struct running {
    pid_t zmc;      /* the child running zm_prisma_run, leader of its own process group */
    pid_t prisma;   /* the fake CLI, read from its ready file */
} running;

/* zm_prisma_run in a child process (its own process group, so that a
   signal to the group spares Criterion), with a fake CLI that writes its
   pid to `ready` and sleeps. */
static running start_zmc(const char *ready)
{
    use_fake();
    zm_prisma_run_opts o = run_opts(str("%s/schema.zmodel", dir), (char *[]){"migrate", "dev", "-n", "init"}, 4);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        setenv("FAKE_PRISMA_READY", ready, 1);
        _exit(zm_prisma_run(&o) == 0 ? 0 : 40);
    }
    setpgid(pid, pid);
    if (!wait_for_file(ready, 10000)) {
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
        cr_assert_fail("the fake CLI never said it was ready");
    }
    const char *text = read_file(ready);
    running r = {pid, text ? (pid_t)atoi(text) : 0};
    cr_assert_gt(r.prisma, 0);
    return r;
}

/* Send `sig` to zmc alone or to its process group; zmc must die of it,
   with the fake CLI gone and no temporary schema left. */
static void interrupt(int sig, bool group)
{
    running r = start_zmc(str("%s/ready", dir));
    cr_expect_eq(temp_schemas(dir), 1, "the temporary schema exists while Prisma runs");
    cr_assert_eq(kill(group ? -r.zmc : r.zmc, sig), 0);
    int status = 0;
    cr_assert(wait_for_child(r.zmc, &status, 10000), "zmc did not stop within 10 s of signal %d", sig);
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == sig, "zmc died of signal %d (status %#x)", sig, status);
    cr_expect(kill(r.prisma, 0) != 0 && errno == ESRCH, "the fake CLI %d still runs", (int)r.prisma);
    cr_expect_eq(temp_schemas(dir), 0, "the temporary schema is removed");
}

Test(interrupt, sigterm_to_zmc_goes_on_to_prisma) { interrupt(SIGTERM, false); }
Test(interrupt, sighup_to_zmc_goes_on_to_prisma) { interrupt(SIGHUP, false); }
Test(interrupt, sigint_to_the_process_group) { interrupt(SIGINT, true); }
Test(interrupt, sigint_sent_to_zmc_alone_goes_on_to_prisma) { interrupt(SIGINT, false); }

Test(interrupt, two_runs_in_one_folder_have_their_own_schemas)
{
    running a = start_zmc(str("%s/ready1", dir)), b = start_zmc(str("%s/ready2", dir));
    cr_expect_eq(temp_schemas(dir), 2);
    kill(a.zmc, SIGTERM);
    int status;
    cr_assert(wait_for_child(a.zmc, &status, 10000));
    cr_expect_eq(temp_schemas(dir), 1, "the other run's schema stays");
    cr_expect_eq(kill(b.prisma, 0), 0, "the other run goes on");
    kill(b.zmc, SIGTERM);
    cr_assert(wait_for_child(b.zmc, &status, 10000));
    cr_expect_eq(temp_schemas(dir), 0);
}
