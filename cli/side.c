/*
** side.c — the sides of a schema comparison (side.h).
**
** zmc links backends/sql's library, which is built for modules: its IR
** calls go through zmc_plugin_ir, pointed here at the front end's table.
*/
#include "side.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "datasource.h"
#include "introspect.h"
#include "zmc/diff.h"
#include "zmc/ir.h"

const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

static zm_rel_dialect dialect_of_provider(const char *p)
{
    if (!p) return 0;
    if (strcmp(p, "postgres") == 0) return ZM_REL_POSTGRESQL;
    return zm_rel_dialect_from_name(p);
}

int zm_side_from_schema(zm_side *side, const char *path, int level, zm_rel_dialect dialect)
{
    memset(side, 0, sizeof *side);
    zm_options opts = {.version = sizeof opts, .zenstack = level ? level : 3};
    zm_compilation *c = zm_compilation_new(&opts);
    int rc = zm_compilation_load_file(c, path);
    if (rc == ZM_OK) rc = zm_compilation_check(c);
    zm_compilation_print_diagnostics(c, stderr);
    if (rc != ZM_OK) {
        size_t errors = zm_compilation_error_count(c);
        zm_compilation_free(c);
        if (rc == ZM_ENOTFOUND || rc == ZM_EIO) return ZM_EXIT_IO;
        fprintf(stderr, "%zu error%s\n", errors, errors == 1 ? "" : "s");
        return ZM_EXIT_SCHEMA;
    }
    const zm_ir *ir = zm_compilation_ir(c);
    if (!dialect) {
        const zm_ir_config *ds = zm_ir_datasource(ir);
        const char *provider = ds ? zm_ir_config_string(ds, "provider") : NULL;
        dialect = dialect_of_provider(provider);
        if (dialect != ZM_REL_SQLITE && dialect != ZM_REL_POSTGRESQL) {
            fprintf(stderr, "zmc: error: %s: the datasource's provider \"%s\" is not supported here: expected "
                            "sqlite or postgresql\n",
                    path, provider ? provider : "");
            zm_compilation_free(c);
            return ZM_EXIT_SCHEMA;
        }
    }
    side->rel = zm_rel_lower(ir, dialect);
    if (!side->rel) {
        fprintf(stderr, "zmc: error: cannot lower %s for %s\n", path, zm_rel_dialect_name(dialect));
        zm_compilation_free(c);
        return ZM_EXIT_SCHEMA;
    }
    side->compilation = c;
    side->dialect = dialect;
    return ZM_EXIT_OK;
}

void zm_print_db_error(const char *command, const zm_db_error *err)
{
    char *message = zm_db_mask_passwords(err->message ? err->message : "unknown database error");
    fprintf(stderr, "%s: error: %s\n", command, message ? message : "");
    if (err->code && err->statement) fprintf(stderr, "  database error code: %s\n", err->code);
    if (err->statement) fprintf(stderr, "  in the statement:\n    %s\n", err->statement);
    free(message);
}

int zm_db_exit_status(zm_db_status st) { return st == ZM_DB_ECONNECT ? ZM_EXIT_IO : ZM_EXIT_SCHEMA; }

int zm_side_from_db(zm_side *side, zm_db *db)
{
    memset(side, 0, sizeof *side);
    char *error = NULL;
    side->rel = zm_db_introspect(db, &error);
    if (!side->rel) {
        char *masked = zm_db_mask_passwords(error ? error : "cannot read the database");
        fprintf(stderr, "zmc: error: reading the database: %s\n", masked ? masked : "");
        free(masked);
        free(error);
        return ZM_EXIT_IO;
    }
    side->dialect = zm_db_dialect(db);
    return ZM_EXIT_OK;
}

int zm_side_from_url(zm_side *side, const char *url_text, const char *base_dir, bool missing_ok)
{
    memset(side, 0, sizeof *side);
    zm_db_url url;
    char *error = NULL;
    if (zm_db_url_parse(url_text, base_dir, &url, &error) != 0) {
        char *masked = zm_db_mask_passwords(error ? error : "");
        fprintf(stderr, "zmc: error: %s\n", masked ? masked : "");
        free(masked);
        free(error);
        return ZM_EXIT_USAGE;
    }
    if (missing_ok && url.dialect == ZM_REL_SQLITE) {
        struct stat st;
        if (stat(url.path, &st) != 0) {
            zm_rel_dialect d = url.dialect;
            zm_db_url_free(&url);
            return zm_side_empty(side, d);
        }
    }
    zm_db *db = NULL;
    zm_db_error err = {0};
    zm_db_status st = zm_db_connect(&url, false, &db, &err);
    zm_db_url_free(&url);
    if (st != ZM_DB_OK) {
        zm_print_db_error("zmc", &err);
        zm_db_error_clear(&err);
        return zm_db_exit_status(st);
    }
    int rc = zm_side_from_db(side, db);
    zm_db_close(db);
    return rc;
}

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    char buf[65536];
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *p = realloc(text, cap);
            if (!p) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = p;
        }
        memcpy(text + len, buf, n);
        len += n;
    }
    fclose(f);
    if (!text) text = calloc(1, 1);
    else text[len] = '\0';
    return text;
}

/* The names of the migration folders in `dir`, sorted; NULL-terminated. */
static char **migration_names(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = calloc(1, sizeof *names);
    size_t n = 0;
    for (struct dirent *e; names && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        char **p = realloc(names, (n + 2) * sizeof *names);
        if (!p) break;
        names = p;
        names[n++] = strdup(e->d_name);
        names[n] = NULL;
    }
    closedir(d);
    if (names) qsort(names, n, sizeof *names, by_string);
    *count = n;
    return names;
}

/* Replay every migration of `dir` on `db`. */
static int replay(zm_db *db, const char *dir, char **names, size_t n)
{
    zm_db_error err = {0};
    int rc = ZM_EXIT_OK;
    for (size_t i = 0; i < n && rc == ZM_EXIT_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/migration.sql", dir, names[i]);
        char *script = read_file(path);
        if (!script) {
            fprintf(stderr, "zmc: error: cannot read %s\n", path);
            rc = ZM_EXIT_IO;
        } else if (zm_db_execute(db, script, &err) != ZM_DB_OK) {
            fprintf(stderr, "zmc: error: migration `%s` failed to apply cleanly to the shadow database\n", names[i]);
            zm_print_db_error("zmc", &err);
            rc = ZM_EXIT_SCHEMA;
        }
        free(script);
    }
    zm_db_error_clear(&err);
    return rc;
}

int zm_side_from_migrations(zm_side *side, const char *dir, zm_rel_dialect dialect, const char *shadow_url)
{
    memset(side, 0, sizeof *side);
    if (dialect == ZM_REL_POSTGRESQL && !shadow_url) {
        fputs("zmc: error: replaying PostgreSQL migrations needs a database to do it in: pass "
              "--shadow-database-url URL (zmc works in a temporary schema there and drops it)\n",
              stderr);
        return ZM_EXIT_USAGE;
    }
    size_t n = 0;
    char **names = migration_names(dir, &n);
    if (!names) {
        fprintf(stderr, "zmc: error: cannot open the migrations folder %s\n", dir);
        return ZM_EXIT_IO;
    }
    zm_db_url url;
    char *error = NULL;
    zm_db *db = NULL;
    zm_db_error err = {0};
    int rc = ZM_EXIT_OK;
    if (dialect == ZM_REL_POSTGRESQL) {
        if (zm_db_url_parse(shadow_url, ".", &url, &error) != 0 || url.dialect != ZM_REL_POSTGRESQL) {
            char *masked = zm_db_mask_passwords(error ? error : "the shadow database must be PostgreSQL");
            fprintf(stderr, "zmc: error: %s\n", masked ? masked : "");
            free(masked);
            free(error);
            if (!error) zm_db_url_free(&url);
            rc = ZM_EXIT_USAGE;
        }
    } else {
        memset(&url, 0, sizeof url);
        url.dialect = ZM_REL_SQLITE;
        url.path = strdup(":memory:");
    }
    if (rc == ZM_EXIT_OK) {
        zm_db_status st = zm_db_connect(&url, true, &db, &err);
        if (st != ZM_DB_OK) {
            zm_print_db_error("zmc", &err);
            rc = zm_db_exit_status(st);
        }
        zm_db_url_free(&url);
    }
    if (rc == ZM_EXIT_OK && dialect == ZM_REL_POSTGRESQL) {
        /* A schema of our own in the shadow database, gone afterwards. */
        char ns[64], sql[256];
        snprintf(ns, sizeof ns, "zmc_shadow_%ld_%ld", (long)getpid(), (long)time(NULL));
        snprintf(sql, sizeof sql, "CREATE SCHEMA \"%s\"; SET search_path TO \"%s\"", ns, ns);
        if (zm_db_execute(db, sql, &err) != ZM_DB_OK) {
            zm_print_db_error("zmc", &err);
            rc = ZM_EXIT_SCHEMA;
        } else {
            rc = replay(db, dir, names, n);
            const char *list[] = {ns};
            char *why = NULL;
            if (rc == ZM_EXIT_OK) {
                side->rel = zm_db_introspect_namespaces(db, list, 1, false, &why);
                if (!side->rel) {
                    fprintf(stderr, "zmc: error: reading the shadow database: %s\n", why ? why : "");
                    rc = ZM_EXIT_IO;
                }
                free(why);
            }
            snprintf(sql, sizeof sql, "DROP SCHEMA \"%s\" CASCADE", ns);
            zm_db_error ignore = {0};
            if (zm_db_execute(db, sql, &ignore) != ZM_DB_OK)
                fprintf(stderr, "zmc: warning: could not drop the shadow schema %s: %s\n", ns,
                        ignore.message ? ignore.message : "");
            zm_db_error_clear(&ignore);
            side->dialect = ZM_REL_POSTGRESQL;
        }
    } else if (rc == ZM_EXIT_OK) {
        rc = replay(db, dir, names, n);
        if (rc == ZM_EXIT_OK) rc = zm_side_from_db(side, db);
    }
    zm_db_close(db);
    zm_db_error_clear(&err);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int zm_side_empty(zm_side *side, zm_rel_dialect dialect)
{
    memset(side, 0, sizeof *side);
    side->rel = zm_rel_empty(dialect);
    side->dialect = dialect;
    return side->rel ? ZM_EXIT_OK : ZM_EXIT_IO;
}

void zm_side_free(zm_side *side)
{
    zm_rel_free(side->rel);
    if (side->compilation) zm_compilation_free(side->compilation);
    memset(side, 0, sizeof *side);
}

int zm_renames_add(zm_renames *r, const char *command, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char *copy = eq ? strdup(arg) : NULL;
    if (!copy || r->count == ZM_MAX_RENAMES) {
        fprintf(stderr, "%s: error: --rename takes TABLE.OLD=NEW (at most %d)\n", command, ZM_MAX_RENAMES);
        free(copy);
        return ZM_EXIT_USAGE;
    }
    char *to = copy + (eq - arg);
    *to++ = '\0';
    char *from = strrchr(copy, '.');
    if (!from || from == copy || !from[1] || !*to) {
        fprintf(stderr, "%s: error: --rename takes TABLE.OLD=NEW, not '%s'\n", command, arg);
        free(copy);
        return ZM_EXIT_USAGE;
    }
    *from++ = '\0';
    char *table = strrchr(copy, '.');
    zm_rel_rename *h = &r->items[r->count];
    if (table) {
        *table++ = '\0';
        *h = (zm_rel_rename){copy, table, from, to};
    } else {
        *h = (zm_rel_rename){NULL, copy, from, to};
    }
    r->owned[r->count++] = copy;
    return ZM_EXIT_OK;
}

int zm_renames_check(const zm_renames *r, const char *command, size_t applied)
{
    if (applied == r->count) return ZM_EXIT_OK;
    fprintf(stderr,
            "%s: error: %zu of the --rename hints did not apply: each needs the old column in the old table "
            "and the new one, instead, in the new table\n",
            command, r->count - applied);
    return ZM_EXIT_USAGE;
}

void zm_renames_free(zm_renames *r)
{
    for (size_t i = 0; i < r->count; i++) free(r->owned[i]);
    r->count = 0;
}
