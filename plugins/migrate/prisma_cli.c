/*
** prisma_cli.c — migrations through the Prisma backend (prisma_cli.h): the
** Prisma CLI found without npx, and one run of it on a temporary schema
** that never outlives the run (the arguments: prisma_args.c).
**
** As ZenStack's CLI (`zen migrate dev` -> `prisma migrate dev --schema
** <zmodel folder>/~schema.prisma --skip-generate --skip-seed`), but the
** file's name is unique per process (mkstemps), the CLI comes from the
** project's node_modules or PATH and never from the network, and an
** interrupted zmc still waits for Prisma and removes the file.
*/
#define _DEFAULT_SOURCE 1  /* mkstemps */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prisma_cli.h"
#include "zmc/buf.h"

extern char **environ;

/* ---- where the CLI is --------------------------------------------------------------------- */

static bool executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* dir/name if that is an executable file (malloc'ed), else NULL. */
static char *candidate(const char *dir, size_t dir_len, const char *name)
{
    zm_buf b = ZM_BUF_INIT;
    if (dir_len == 0) zm_buf_puts(&b, ".");   /* an empty PATH entry is the current folder */
    else zm_buf_append(&b, dir, dir_len);
    if (b.data[b.len - 1] != '/') zm_buf_putc(&b, '/');
    zm_buf_puts(&b, name);
    if (executable(b.data)) return b.data;
    zm_buf_free(&b);
    return NULL;
}

/* node_modules/.bin/prisma here or in a parent folder, nearest first. */
static char *find_in_node_modules(void)
{
    char *dir = getcwd(NULL, 0);
    if (!dir) return NULL;
    char *found;
    while (!(found = candidate(dir, strlen(dir), "node_modules/.bin/prisma")) && strcmp(dir, "/") != 0) {
        char *slash = strrchr(dir, '/');    /* up one folder */
        if (!slash) break;
        slash[slash == dir] = '\0';
    }
    free(dir);
    return found;
}

static char *find_on_path(void)
{
    const char *path = getenv("PATH");
    if (!path) return NULL;
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *found = candidate(p, len, "prisma");
        if (found || !end) return found;
        p = end;
    }
}

char *zm_prisma_find(void)
{
    const char *env = getenv("ZMC_PRISMA");
    if (env && *env) return executable(env) ? strdup(env) : NULL;
    char *found = find_in_node_modules();
    return found ? found : find_on_path();
}

/* ---- one run -------------------------------------------------------------------------------- */

/* The signals forwarded to Prisma, and what the handler saw. */
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP};
enum { NSIG_FORWARDED = sizeof forwarded / sizeof forwarded[0] };
static volatile sig_atomic_t caught;    /* the first signal zmc got, 0 none */
static volatile sig_atomic_t child;     /* Prisma's pid while it may be signalled */

/* Async-signal-safe: a flag and kill() (whose ESRCH, Prisma just gone,
   does not matter). A SIGINT from the terminal went to the whole process
   group, Prisma included; one a process sent zmc alone did not. */
static void on_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    int saved = errno;
    if (!caught) caught = sig;
    bool from_process = info && (info->si_code == SI_USER || info->si_code == SI_QUEUE);
    if (child > 0 && (sig != SIGINT || from_process)) kill((pid_t)child, sig);
    errno = saved;
}

/* sigaction and sigprocmask fail only on invalid arguments (EINVAL), so
   they are not checked where the arguments are known to be valid. */
typedef struct signals {
    struct sigaction old[NSIG_FORWARDED];
    bool installed[NSIG_FORWARDED];
    sigset_t set;       /* the signals handled */
} signals;

/* Catch the forwarded signals, except those ignored on entry: those stay
   ignored, also for Prisma (which inherits SIG_IGN through exec). */
static void catch_signals(signals *s)
{
    caught = 0;
    child = 0;
    sigemptyset(&s->set);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NSIG_FORWARDED; i++) sigaddset(&sa.sa_mask, forwarded[i]);
    for (int i = 0; i < NSIG_FORWARDED; i++) {
        s->installed[i] = sigaction(forwarded[i], NULL, &s->old[i]) == 0 && s->old[i].sa_handler != SIG_IGN &&
                          sigaction(forwarded[i], &sa, NULL) == 0;
        if (s->installed[i]) sigaddset(&s->set, forwarded[i]);
    }
}

static void restore_signals(signals *s)
{
    for (int i = 0; i < NSIG_FORWARDED; i++)
        if (s->installed[i]) sigaction(forwarded[i], &s->old[i], NULL);
}

/* Die of the signal zmc got while Prisma ran, as if it had not been
   caught. Returns only if that fails. */
static void die_of(int sig)
{
    struct sigaction dfl = {0};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
}

/* <zmodel folder>/~schema.XXXXXX.prisma, created and written. Returns the
   path (malloc'ed) or NULL after reporting. */
static char *write_schema(const zm_prisma_run_opts *o, const char *command)
{
    static const char suffix[] = ".prisma";
    const char *zmodel = o->zmodel_path ? o->zmodel_path : "";
    const char *slash = strrchr(zmodel, '/');
    zm_buf path = ZM_BUF_INIT;
    if (!slash) zm_buf_puts(&path, ".");
    else zm_buf_append(&path, zmodel, slash == zmodel ? 1 : (size_t)(slash - zmodel));
    zm_buf_printf(&path, "%s~schema.XXXXXX%s", path.data[path.len - 1] == '/' ? "" : "/", suffix);
    int fd = mkstemps(path.data, (int)sizeof suffix - 1);
    int err = fd < 0 ? errno : 0;
    for (size_t done = 0; !err && done < o->prisma_schema_len;) {
        ssize_t n = write(fd, o->prisma_schema + done, o->prisma_schema_len - done);
        if (n < 0 && errno != EINTR) err = errno;
        if (n > 0) done += (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0 && !err) err = errno;
    if (!err) return path.data;
    if (fd >= 0) unlink(path.data);
    fprintf(stderr, "%s: error: cannot write the Prisma schema %s: %s\n", command, path.data, strerror(err));
    zm_buf_free(&path);
    return NULL;
}

/* zmc's environment, plus PRISMA_HIDE_UPDATE_MESSAGE=1 unless set (as
   ZenStack runs Prisma: no "update available" box). Only the array is
   malloc'ed. */
static char **prisma_environment(void)
{
    size_t n = 0;
    while (environ && environ[n]) n++;
    char **env = malloc((n + 2) * sizeof *env);
    if (!env) abort();
    if (n) memcpy(env, environ, n * sizeof *env);
    if (!getenv("PRISMA_HIDE_UPDATE_MESSAGE")) env[n++] = "PRISMA_HIDE_UPDATE_MESSAGE=1";
    env[n] = NULL;
    return env;
}

/* Start Prisma (argv[0] the program) with the handled signals blocked, so
   that the handler sees its pid as soon as it exists. Returns 0, an errno,
   or -1 when a signal caught before (while the schema was written) stops
   the run. */
static int start(char **argv, const signals *s, pid_t *pid)
{
    sigset_t old;
    if (sigprocmask(SIG_BLOCK, &s->set, &old) != 0) return errno;
    int err = -1;
    if (!caught) {
        posix_spawnattr_t attr;
        if ((err = posix_spawnattr_init(&attr)) == 0) {
            char **env = prisma_environment();
            if (!(err = posix_spawnattr_setsigmask(&attr, &old)) &&
                !(err = posix_spawnattr_setsigdefault(&attr, &s->set)) &&
                !(err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)))
                err = posix_spawn(pid, argv[0], NULL, &attr, argv, env);
            if (!err) child = *pid;
            free(env);
            posix_spawnattr_destroy(&attr);
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return err;
}

/* Wait for Prisma to end; its exit status (128+S if killed by S), or -1.
   The child is reaped with the signals blocked, so that the handler never
   signals a pid the system may have given to another process. */
static int wait_for(pid_t pid, const signals *s)
{
    siginfo_t info;
    while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) != 0)
        if (errno != EINTR) return -1;
    sigset_t old;
    sigprocmask(SIG_BLOCK, &s->set, &old);
    child = 0;
    int status;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {}
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (r < 0) return -1;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void report_missing_cli(const char *command)
{
    const char *env = getenv("ZMC_PRISMA");
    if (env && *env) {
        struct stat st;
        const char *why = stat(env, &st) != 0      ? strerror(errno)
                          : !S_ISREG(st.st_mode) ? "not a file"
                                                 : "not executable";
        fprintf(stderr, "%s: error: ZMC_PRISMA is '%s', which is not the Prisma CLI (%s): set it to the CLI's path, "
                        "or unset it\n", command, env, why);
    } else {
        fprintf(stderr, "%s: error: the Prisma backend needs the Prisma CLI (version 6), found neither in "
                        "node_modules/.bin nor on PATH: install it with `npm install --save-dev prisma@6`, or set "
                        "ZMC_PRISMA to its path\n", command);
    }
}

int zm_prisma_run(const zm_prisma_run_opts *o)
{
    const char *command = o->command ? o->command : "zmc";
    zm_prisma_args args;
    char *error = NULL;
    /* Usage first: before looking for Prisma or writing anything. */
    if (zm_prisma_map_args(o->nwords, o->words, "", &args, &error) != 0) {
        fprintf(stderr, "%s: error: %s\n", command, error);
        free(error);
        return 2;
    }
    zm_prisma_args_free(&args);
    char *prisma = zm_prisma_find();
    if (!prisma) {
        report_missing_cli(command);
        return 3;
    }

    signals s;
    catch_signals(&s);
    int rc = 3;
    char *schema = write_schema(o, command);
    if (schema && zm_prisma_map_args(o->nwords, o->words, schema, &args, NULL) == 0) {
        char **argv = malloc((args.argc + 2) * sizeof *argv);
        if (!argv) abort();
        argv[0] = prisma;
        memcpy(argv + 1, args.argv, (args.argc + 1) * sizeof *argv);
        fflush(NULL);   /* zmc's lines before Prisma's */
        pid_t pid;
        int err = start(argv, &s, &pid);
        free(argv);
        if (!err && (rc = wait_for(pid, &s)) < 0) {
            fprintf(stderr, "%s: error: cannot wait for the Prisma CLI: %s\n", command, strerror(errno));
            rc = 3;
        } else if (err > 0) {
            fprintf(stderr, "%s: error: cannot start the Prisma CLI %s: %s\n", command, prisma, strerror(err));
        }
        zm_prisma_args_free(&args);
    }
    if (schema && unlink(schema) != 0 && errno != ENOENT)
        fprintf(stderr, "%s: warning: cannot remove %s: %s\n", command, schema, strerror(errno));
    free(schema);
    free(prisma);

    /* Restore the dispositions with the signals blocked, so that none is
       lost in between; a pending one then acts as zmc's caller set it. */
    sigset_t old;
    sigprocmask(SIG_BLOCK, &s.set, &old);
    restore_signals(&s);
    int sig = caught;
    caught = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (sig) {
        die_of(sig);
        rc = 128 + sig;
    }
    return rc;
}
