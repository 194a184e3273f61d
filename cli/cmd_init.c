/*
** cmd_init.c — `zmc init`: start a project, as `prisma init` and `zen init`
** do: zenstack/schema.zmodel with the datasource and a first model, a .env
** with DATABASE_URL, and .gitignore lines for .env (it holds passwords) and
** for a database file.
**
** The provider is any dialect zmc has (its module's provider name or an
** alias); what its URL looks like comes from its descriptor (a file or a
** server, its scheme and port), so nothing here names a database. An
** existing schema is never overwritten; an existing .env keeps its
** DATABASE_URL; .gitignore only gains the lines it lacks.
*/
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "dialect.h"
#include "zmc/buf.h"
#include "zmc/command.h"

const char zm_init_usage[] =
    "usage: zmc init [--provider NAME] [--url URL] [--dir DIR]\n"
    "\n"
    "Start a project in DIR (default: the current folder): zenstack/schema.zmodel\n"
    "with a datasource and a first model, a .env with DATABASE_URL, and .gitignore\n"
    "lines for .env and the SQLite file. An existing schema is never overwritten.\n"
    "\n"
    "options:\n"
    "  --provider NAME  the database: sqlite (default), postgresql, mysql, or a\n"
    "                   third party's dialect\n"
    "  --url URL        the datasource URL, written to .env as DATABASE_URL (default:\n"
    "                   file:./dev.db for a file database, a placeholder for a server)\n"
    "  --dir DIR        the project folder\n"
    "\n"
    "Exit status: 0 created, 1 a schema exists already, 2 usage error, 3 a file\n"
    "could not be written.\n";

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A file's text, or NULL when it cannot be read. */
static char *read_text(const char *path)
{
    char *text = NULL;
    size_t len;
    return zm_read_file(path, &text, &len) == 0 ? text : NULL;
}

/* Does `text` hold `line` as a whole line? */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\r' || p[n] == '\0')) return true;
    return false;
}

/* Append the lines `file` lacks (creating it). 0, or -1 with errno set. */
static int add_lines(const char *file, const char *const *lines, const char *heading)
{
    char *text = read_text(file);
    zm_buf b = ZM_BUF_INIT;
    if (text) zm_buf_puts(&b, text);
    bool added = false;
    for (size_t i = 0; lines[i]; i++) {
        if (text && has_line(text, lines[i])) continue;
        if (!added) {
            if (b.len && b.data[b.len - 1] != '\n') zm_buf_putc(&b, '\n');
            if (heading) zm_buf_printf(&b, "%s%s\n", b.len ? "\n" : "", heading);
            added = true;
        }
        zm_buf_printf(&b, "%s\n", lines[i]);
    }
    int rc = added ? zm_write_file_atomic(file, b.data, b.len) : 0;
    zm_buf_free(&b);
    free(text);
    return rc;
}

/* The URL a project starts with: a file beside the schema, or the form of
   the dialect's server URLs with placeholders to fill in. */
static char *default_url(const zmc_dialect *d)
{
    const char *scheme = d->url_schemes && d->url_schemes[0] ? d->url_schemes[0] : d->provider;
    char *url = NULL;
    if (d->url_form == ZMC_URL_FILE) {
        if (asprintf(&url, "%s:./dev.db", scheme) < 0) url = NULL;
    } else if (asprintf(&url, "%s://USER:PASSWORD@localhost%s%s/DATABASE", scheme, d->default_port ? ":" : "",
                        d->default_port ? d->default_port : "") < 0) {
        url = NULL;
    }
    return url;
}

static int fail_write(const char *path)
{
    fprintf(stderr, "zmc init: error: cannot write %s: %s\n", path, strerror(errno));
    return ZM_EXIT_IO;
}

int zm_cmd_init(int argc, char **argv)
{
    const char *provider = "sqlite", *url = NULL, *dir = ".";
    int status = ZM_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (zm_arg_option(argc, argv, &i, "--provider", &provider, &status) ||
            zm_arg_option(argc, argv, &i, "--url", &url, &status) ||
            zm_arg_option(argc, argv, &i, "--dir", &dir, &status)) {
            if (status) return status;
        } else {
            fprintf(stderr, "zmc init: error: unexpected argument '%s'\n", argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    if (url && strpbrk(url, "\r\n")) {
        fprintf(stderr, "zmc init: error: the URL holds a newline, which a .env line cannot\n");
        return ZM_EXIT_USAGE;
    }
    char *why = NULL;
    const zmc_dialect *d = zm_dialect_find(provider, &why);
    if (!d) {
        fprintf(stderr, "zmc init: error: %s\n", why ? why : "no such provider");
        free(why);
        return ZM_EXIT_USAGE;
    }
    zm_buf folder = ZM_BUF_INIT, schema = ZM_BUF_INIT, env = ZM_BUF_INIT, ignore = ZM_BUF_INIT;
    zm_buf_printf(&folder, "%s/zenstack", dir);
    zm_buf_printf(&schema, "%s/schema.zmodel", folder.data);
    zm_buf_printf(&env, "%s/.env", dir);
    zm_buf_printf(&ignore, "%s/.gitignore", dir);
    char *start_url = url ? strdup(url) : default_url(d);
    if (exists(schema.data)) {
        fprintf(stderr, "zmc init: error: %s exists already; nothing was changed (edit it, or remove it to start "
                        "again)\n", schema.data);
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) || (mkdir(folder.data, 0777) != 0 && errno != EEXIST)) {
        status = fail_write(folder.data);
        goto done;
    }
    /* the schema: the datasource (its URL from .env, as Prisma's) and a first model */
    zm_buf text = ZM_BUF_INIT;
    zm_buf_printf(&text,
                  "// The data model: https://zenstack.dev/docs/reference/zmodel-language\n"
                  "// `zmc migrate dev -n init` creates the database and its first migration.\n"
                  "\n"
                  "datasource db {\n"
                  "  provider = \"%s\"\n"
                  "  url      = env(\"DATABASE_URL\")\n"
                  "}\n"
                  "\n"
                  "model User {\n"
                  "  id        Int      @id @default(autoincrement())\n"
                  "  email     String   @unique\n"
                  "  name      String?\n"
                  "  createdAt DateTime @default(now())\n"
                  "}\n",
                  d->provider);
    if (zm_write_file_atomic(schema.data, text.data, text.len) != 0) status = fail_write(schema.data);
    zm_buf_free(&text);
    if (status) goto done;
    printf("Created %s (provider \"%s\").\n", schema.data, d->provider);

    /* .env: DATABASE_URL, unless it is there (a relative file path is taken
       from the schema's folder: zenstack/dev.db) */
    char *env_text = read_text(env.data);
    bool had_url = env_text && (strstr(env_text, "\nDATABASE_URL=") || strncmp(env_text, "DATABASE_URL=", 13) == 0);
    free(env_text);
    if (!had_url) {
        /* in double quotes, as Prisma writes it, unless .env would read
           something in it (a quote, \n, $NAME): then in single quotes,
           which .env takes literally */
        const char *u = start_url ? start_url : "";
        bool literal = strpbrk(u, "\"\\$") != NULL;
        zm_buf line = ZM_BUF_INIT;
        zm_buf_printf(&line, "DATABASE_URL=%c%s%c", literal ? '\'' : '"', u, literal ? '\'' : '"');
        const char *lines[] = {line.data, NULL};
        int rc = add_lines(env.data, lines,
                           d->url_form == ZMC_URL_FILE
                               ? "# The datasource URL of zenstack/schema.zmodel (a relative path is taken from the "
                                 "schema's folder)."
                               : "# The datasource URL of zenstack/schema.zmodel: fill in the user, password, host and "
                                 "database.");
        zm_buf_free(&line);
        if (rc != 0) {
            status = fail_write(env.data);
            goto done;
        }
        printf("Wrote DATABASE_URL to %s%s.\n", env.data,
               url || d->url_form == ZMC_URL_FILE ? "" : " (a placeholder: fill it in)");
    } else {
        printf("Kept the DATABASE_URL of %s.\n", env.data);
    }

    /* .gitignore: .env holds passwords; a database file is no source */
    const char *file_lines[] = {".env", "zenstack/dev.db", "zenstack/dev.db-journal", NULL};
    const char *server_lines[] = {".env", NULL};
    if (add_lines(ignore.data, d->url_form == ZMC_URL_FILE && !url ? file_lines : server_lines, "# zmc") != 0) {
        status = fail_write(ignore.data);
        goto done;
    }
    printf("\nNext: edit the schema, then run `zmc migrate dev -n init`%s.\n",
           d->url_form == ZMC_URL_FILE || url ? "" : " once DATABASE_URL names your database");
done:
    free(start_url);
    zm_buf_free(&folder);
    zm_buf_free(&schema);
    zm_buf_free(&env);
    zm_buf_free(&ignore);
    return status;
}
