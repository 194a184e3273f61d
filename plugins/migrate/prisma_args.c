/*
** prisma_args.c — zmc's words as Prisma 6's arguments (prisma_cli.h), for
** the commands the Prisma backend delegates to the Prisma CLI:
**
**   migrate dev [-n NAME] [--create-only]   migrate dev --schema F [--name NAME] [--create-only]
**                                                --skip-generate --skip-seed
**   migrate reset [-f]                      migrate reset --schema F [--force] --skip-generate --skip-seed
**   migrate deploy | status                 migrate deploy | status --schema F
**   migrate resolve --applied|--rolled-back migrate resolve --schema F --applied|--rolled-back NAME
**   db push [--accept-data-loss] [--force-reset]
**                                           db push --schema F [...] --skip-generate
**
** Options checked against `prisma <command> --help` and the parser of
** Prisma 6.19's CLI. zmc's options without a Prisma equivalent are usage
** errors that name them, never dropped in silence.
*/
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "prisma_cli.h"
#include "zmc/buf.h"

/* What becomes of one of zmc's options. */
typedef enum how {
    PASS,   /* Prisma has it, spelled as zmc's long name */
    DROP,   /* zmc's own (or always passed): not repeated */
    NONE,   /* zmc's, and Prisma cannot honour it: a usage error */
} how;

typedef struct option {
    const char *name, *alias;
    how how;
    bool value;         /* takes a value */
    const char *why;    /* NONE: why Prisma cannot */
} option;

#define END {NULL, NULL, PASS, false, NULL}

static const option zmc_own[] = {
    {"--schema", NULL, DROP, true, NULL},     /* the ZModel; Prisma gets the temporary schema */
    {"--zenstack", NULL, DROP, true, NULL},
    {"--backend", NULL, DROP, true, NULL},
    END,
};
static const option migrate_own[] = {
    {"--json", NULL, NONE, false, "Prisma prints text only"},
    {"--migrations", NULL, NONE, true, "Prisma's migrations folder is always <schema folder>/migrations"},
    END,
};
/* Prisma's migrate dev asks on a terminal where zmc has these two flags. */
static const option dev[] = {
    {"--name", "-n", PASS, true, NULL},
    {"--create-only", NULL, PASS, false, NULL},
    {"--accept-data-loss", NULL, NONE, false,
     "Prisma's migrate dev asks on a terminal (or write the migration with --create-only and apply it with "
     "migrate deploy)"},
    {"--force-reset", NULL, NONE, false, "Prisma's migrate dev asks on a terminal (or run migrate reset --force)"},
    END,
};
static const option reset[] = {
    {"--force", "-f", PASS, false, NULL},
    {"--skip-seed", NULL, DROP, false, NULL},
    {"--skip-generate", NULL, DROP, false, NULL},
    END,
};
static const option deploy[] = {
    {"--allow-modified", NULL, NONE, false, "Prisma's migrate deploy has no such option"},
    {"--lock-timeout", NULL, NONE, true, "Prisma's migrate deploy has no such option"},
    END,
};
static const option resolve[] = {
    {"--applied", NULL, PASS, true, NULL},
    {"--rolled-back", NULL, PASS, true, NULL},
    END,
};
static const option push[] = {
    {"--accept-data-loss", NULL, PASS, false, NULL},
    {"--force-reset", NULL, PASS, false, NULL},
    {"--rename", NULL, NONE, true, "Prisma's db push cannot rename a column (it drops it and adds a new one)"},
    END,
};
static const option none[] = {END};

/* Prisma's flags added to every run: no client generation, no seed (zmc
   runs neither; ZenStack passes the same). */
static const char *const skip_both[] = {"--skip-generate", "--skip-seed", NULL};
static const char *const skip_generate[] = {"--skip-generate", NULL};
static const char *const nothing[] = {NULL};

enum { LISTS = 3, MAX_OPTIONS = 8 };
#define FITS(list) _Static_assert(sizeof list / sizeof list[0] <= MAX_OPTIONS, #list ": raise MAX_OPTIONS")
FITS(zmc_own);
FITS(migrate_own);
FITS(dev);
FITS(reset);
FITS(deploy);
FITS(resolve);
FITS(push);

static const struct command {
    const char *group, *name;
    const option *lists[LISTS];
    const char *const *tail;
    bool one_value;     /* exactly one of the PASS values (resolve) */
} commands[] = {
    {"migrate", "dev", {zmc_own, migrate_own, dev}, skip_both, false},
    {"migrate", "reset", {zmc_own, migrate_own, reset}, skip_both, false},
    {"migrate", "deploy", {zmc_own, migrate_own, deploy}, nothing, false},
    {"migrate", "status", {zmc_own, migrate_own, none}, nothing, false},
    {"migrate", "resolve", {zmc_own, migrate_own, resolve}, nothing, true},
    {"db", "push", {zmc_own, none, push}, skip_generate, false},
};

static int usage(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(char **error, const char *fmt, ...)
{
    if (!error) return 2;
    zm_buf b = ZM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    zm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    *error = b.data;
    return 2;
}

/* Is w[*i] the option (or its alias), alone or as `name=value`? The value
   of a lone one is the next word, as zmc's own parsers take it. Returns 1
   and advances *i, 0 when it is not, -1 when the value is missing. */
static int match(const option *o, int n, char **w, int *i, const char **value)
{
    const char *names[2] = {o->name, o->alias};
    for (int k = 0; k < 2 && names[k]; k++) {
        size_t len = strlen(names[k]);
        if (strncmp(w[*i], names[k], len) != 0) continue;
        if (w[*i][len] == '\0' && !o->value) {
            *value = o->name;
            return 1;
        }
        if (!o->value) continue;
        if (w[*i][len] == '=') {
            *value = w[*i] + len + 1;
            return 1;
        }
        if (w[*i][len] != '\0') continue;
        if (*i + 1 >= n) return -1;
        *value = w[++*i];
        return 1;
    }
    return 0;
}

static char *copy(const char *s)
{
    char *p = strdup(s);
    if (!p) abort();
    return p;
}

static void push_arg(zm_prisma_args *a, char *s)
{
    char **p = realloc(a->argv, (a->argc + 2) * sizeof *p);
    if (!p) abort();
    a->argv = p;
    a->argv[a->argc++] = s;
    a->argv[a->argc] = NULL;
}

/* An option and its value as Prisma's parser reads them: a value starting
   with `-` would be taken for an option, so it is joined with `=`. */
static void push_option(zm_prisma_args *a, const option *o, const char *value)
{
    if (!o->value) {
        push_arg(a, copy(o->name));
    } else if (value[0] == '-') {
        zm_buf b = ZM_BUF_INIT;
        zm_buf_printf(&b, "%s=%s", o->name, value);
        push_arg(a, b.data);
    } else {
        push_arg(a, copy(o->name));
        push_arg(a, copy(value));
    }
}

static const struct command *find_command(int nwords, char **words, char **error)
{
    if (nwords < 2) return usage(error, "missing command"), NULL;
    if (strcmp(words[0], "migrate") == 0 && strcmp(words[1], "diff") == 0) {
        usage(error, "zmc migrate diff is not delegated to Prisma: it runs natively with every backend");
        return NULL;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(words[0], commands[i].group) == 0 && strcmp(words[1], commands[i].name) == 0)
            return &commands[i];
    usage(error, "zmc %s %s cannot be run through the Prisma CLI", words[0], words[1]);
    return NULL;
}

int zm_prisma_map_args(int nwords, char **words, const char *schema_file, zm_prisma_args *out, char **error)
{
    memset(out, 0, sizeof *out);
    if (error) *error = NULL;
    const struct command *c = find_command(nwords, words, error);
    if (!c) return 2;
    const char *set[LISTS][MAX_OPTIONS] = {{0}};  /* each option's last value (a flag: its name) */
    for (int i = 2; i < nwords; i++) {
        int found = 0;
        for (int l = 0; l < LISTS && !found; l++)
            for (int k = 0; c->lists[l][k].name && !found; k++) {
                const option *o = &c->lists[l][k];
                const char *value = NULL;
                if (!(found = match(o, nwords, words, &i, &value))) continue;
                if (o->how == NONE)
                    return usage(error, "option '%s' is not available with the Prisma backend: %s", o->name, o->why);
                if (found < 0) return usage(error, "option '%s' needs a value", words[i]);
                set[l][k] = value;
            }
        if (!found) return usage(error, "unexpected argument '%s'", words[i]);
    }

    int values = 0;
    for (int k = 0; c->lists[2][k].name; k++) values += set[2][k] && c->lists[2][k].value;
    if (c->one_value && values != 1)
        return usage(error, "pass exactly one of %s NAME and %s NAME", c->lists[2][0].name, c->lists[2][1].name);

    push_arg(out, copy(c->group));
    push_arg(out, copy(c->name));
    push_arg(out, copy("--schema"));
    push_arg(out, copy(schema_file));
    for (int l = 0; l < LISTS; l++)
        for (int k = 0; c->lists[l][k].name; k++)
            if (set[l][k] && c->lists[l][k].how == PASS) push_option(out, &c->lists[l][k], set[l][k]);
    for (int k = 0; c->tail[k]; k++) push_arg(out, copy(c->tail[k]));
    return 0;
}

void zm_prisma_args_free(zm_prisma_args *a)
{
    for (size_t i = 0; i < a->argc; i++) free(a->argv[i]);
    free(a->argv);
    a->argv = NULL;
    a->argc = 0;
}
