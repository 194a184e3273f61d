/*
** side.c — the sides of a schema comparison (side.h).
*/
#define _GNU_SOURCE 1   /* strcasestr */
#include "side.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "datasource.h"
#include "introspect.h"
#include "migrate.h"
#include "buf.h"
#include "zmc/diff.h"
#include "zmc/ir.h"

static zm_rel_dialect dialect_of_provider(const char *p)
{
    if (!p) return 0;
    if (strcmp(p, "postgres") == 0) return ZM_REL_POSTGRESQL;
    return zm_rel_dialect_from_name(p);
}

int zm_side_from_schema(zm_side *side, const char *path, int level, zm_rel_dialect dialect)
{
    memset(side, 0, sizeof *side);
    int status;
    const zm_ir *ir = zm_engine_compile(path, level, &status);
    if (!ir) return status;
    if (!dialect) {
        const zm_ir_config *ds = zm_ir_datasource(ir);
        const char *provider = ds ? zm_ir_config_string(ds, "provider") : NULL;
        dialect = dialect_of_provider(provider);
        if (dialect != ZM_REL_SQLITE && dialect != ZM_REL_POSTGRESQL) {
            fprintf(stderr, "zmc: error: %s: the datasource's provider \"%s\" is not supported here: expected "
                            "sqlite or postgresql\n",
                    path, provider ? provider : "");
            return ZM_EXIT_SCHEMA;
        }
    }
    side->rel = zm_rel_lower(ir, dialect);
    if (!side->rel) {
        fprintf(stderr, "zmc: error: cannot lower %s for %s\n", path, zm_rel_dialect_name(dialect));
        return ZM_EXIT_SCHEMA;
    }
    side->ir = ir;
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
    int rc = zm_side_from_db_url(side, &url);
    zm_db_url_free(&url);
    return rc;
}

int zm_side_from_db_url(zm_side *side, const zm_db_url *url)
{
    memset(side, 0, sizeof *side);
    zm_db *db = NULL;
    zm_db_error err = {0};
    zm_db_status st = zm_db_connect(url, false, &db, &err);
    if (st != ZM_DB_OK) {
        zm_print_db_error("zmc", &err);
        zm_db_error_clear(&err);
        return zm_db_exit_status(st);
    }
    int rc = zm_side_from_db(side, db);
    zm_db_close(db);
    return rc;
}

/* Run each script on `db`, in order; P3006 names the one that fails. */
static int replay(zm_db *db, const char *const *names, const char *const *scripts, size_t n)
{
    zm_db_error err = {0};
    int rc = ZM_EXIT_OK;
    for (size_t i = 0; i < n && rc == ZM_EXIT_OK; i++) {
        if (zm_db_execute(db, scripts[i], &err) != ZM_DB_OK) {
            fprintf(stderr, "zmc: error: migration `%s` failed to apply cleanly to the shadow database (P3006)\n",
                    names[i]);
            zm_print_db_error("zmc", &err);
            rc = ZM_EXIT_SCHEMA;
        }
    }
    zm_db_error_clear(&err);
    return rc;
}

/* Replay into `db`, connected when `st` is OK, and read it back. */
static int replay_and_read(zm_side *side, zm_db *db, zm_db_status st, const zm_db_error *err,
                           const char *const *names, const char *const *scripts, size_t n)
{
    if (st != ZM_DB_OK) {
        zm_print_db_error("zmc", err);
        return zm_db_exit_status(st);
    }
    int rc = replay(db, names, scripts, n);
    return rc == ZM_EXIT_OK ? zm_side_from_db(side, db) : rc;
}

/* Does a script create an extension? */
static bool creates_extension(const char *const *scripts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (const char *s = scripts[i]; (s = strcasestr(s, "CREATE")); s += 6) {
            const char *t = s + 6;
            while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') t++;
            if (strncasecmp(t, "EXTENSION", 9) == 0) return true;
        }
    return false;
}

/* Extensions belong to a whole database. In the live one, the history's
   `CREATE EXTENSION IF NOT EXISTS` finds the extension already there (in
   its own schema) and creates nothing in a scratch schema, so the types it
   brings (citext, geometry) are out of the replay's reach. Such a history
   is replayed in a temporary database of the same server instead, when
   the role may create one: 0 and the side; -1 when it may not (*why: the
   caller falls back to the scratch schema); else an exit status. */
static int replay_in_database(zm_side *side, zm_db *pg, const zm_db_url *url, const char *const *names,
                              const char *const *scripts, size_t n)
{
    char name[64];
    static unsigned serial;
    snprintf(name, sizeof name, "zmc_shadow_%ld_%ld_%u", (long)getpid(), (long)time(NULL), serial++);
    zm_db_url shadow = *url;    /* the same server, user and schema; borrowed strings */
    shadow.database = name;
    zm_db_error err = {0};
    zm_db_status st = zm_db_create_database(&shadow, &err);
    if (st != ZM_DB_OK) {
        zm_db_error_clear(&err);
        return -1;
    }
    zm_db *db = NULL;
    int rc;
    st = zm_db_connect(&shadow, false, &db, &err);
    if (st == ZM_DB_OK && strcmp(zm_db_schema(db), "public") != 0) {
        char *ns = zm_db_quote_ident(zm_db_schema(db));
        zm_buf sql = ZM_BUF_INIT;
        zm_buf_printf(&sql, "CREATE SCHEMA %s", ns ? ns : "\"\"");
        st = zm_db_execute(db, sql.data, &err);
        zm_buf_free(&sql);
        free(ns);
    }
    rc = replay_and_read(side, db, st, &err, names, scripts, n);
    zm_db_close(db);
    zm_db_error_clear(&err);
    char *quoted = zm_db_quote_ident(name);
    zm_buf drop = ZM_BUF_INIT;
    zm_buf_printf(&drop, "DROP DATABASE IF EXISTS %s", quoted ? quoted : "\"\"");
    if (zm_db_execute(pg, drop.data, &err) != ZM_DB_OK)
        fprintf(stderr, "zmc: warning: could not drop the shadow database %s: %s\n", name,
                err.message ? err.message : "");
    zm_db_error_clear(&err);
    zm_buf_free(&drop);
    free(quoted);
    return rc;
}

int zm_side_from_replay(zm_side *side, zm_rel_dialect dialect, zm_db *pg, const zm_db_url *pg_url,
                        bool own_database, const char *const *names, const char *const *scripts, size_t n)
{
    memset(side, 0, sizeof *side);
    zm_db_error err = {0};
    int rc = ZM_EXIT_OK;
    if (dialect != ZM_REL_POSTGRESQL) {
        zm_db_url url = {.dialect = ZM_REL_SQLITE, .path = strdup(":memory:")};
        zm_db *db = NULL;
        zm_db_status st = zm_db_connect(&url, true, &db, &err);
        zm_db_url_free(&url);
        rc = replay_and_read(side, db, st, &err, names, scripts, n);
        zm_db_close(db);
        zm_db_error_clear(&err);
        return rc;
    }
    bool extension = pg_url && (own_database || creates_extension(scripts, n));
    if (extension) {
        int in_database = replay_in_database(side, pg, pg_url, names, scripts, n);
        if (in_database >= 0) return in_database;
    }
    /* A schema of our own in the database, gone afterwards; the
       connection's search path is put back. */
    char ns[64], sql[256];
    static unsigned serial;
    snprintf(ns, sizeof ns, "zmc_shadow_%ld_%ld_%u", (long)getpid(), (long)time(NULL), serial++);
    snprintf(sql, sizeof sql, "CREATE SCHEMA \"%s\"; SET search_path TO \"%s\"", ns, ns);
    if (zm_db_execute(pg, sql, &err) != ZM_DB_OK) {
        zm_print_db_error("zmc", &err);
        if (err.code && strcmp(err.code, "42501") == 0)
            fputs("zmc: the shadow database is a scratch schema in the database, and this role may not create "
                  "schemas there: grant it (GRANT CREATE ON DATABASE ... TO ...), or name a database it may use "
                  "in the datasource's shadowDatabaseUrl\n",
                  stderr);
        zm_db_error_clear(&err);
        return ZM_EXIT_SCHEMA;
    }
    rc = replay(pg, names, scripts, n);
    if (rc != ZM_EXIT_OK && extension)
        fputs("zmc: note: extensions belong to a whole database, and this role may not create the temporary "
              "database the migrations need to be replayed in: allow it (ALTER ROLE ... CREATEDB), or name a "
              "database it may use in the datasource's shadowDatabaseUrl\n",
              stderr);
    if (rc == ZM_EXIT_OK) {
        const char *list[] = {ns};
        char *why = NULL;
        side->rel = zm_db_introspect_namespaces(pg, list, 1, false, &why);
        if (!side->rel) {
            fprintf(stderr, "zmc: error: reading the shadow database: %s\n", why ? why : "");
            rc = ZM_EXIT_IO;
        }
        free(why);
    }
    char *own = zm_db_quote_ident(zm_db_schema(pg));
    zm_buf undo = ZM_BUF_INIT;
    zm_buf_printf(&undo, "DROP SCHEMA \"%s\" CASCADE; SET search_path TO %s", ns, own ? own : "\"public\"");
    free(own);
    if (zm_db_execute(pg, undo.data, &err) != ZM_DB_OK)
        fprintf(stderr, "zmc: warning: could not drop the shadow schema %s: %s\n", ns, err.message ? err.message : "");
    zm_buf_free(&undo);
    zm_db_error_clear(&err);
    side->dialect = ZM_REL_POSTGRESQL;
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
    zm_migrations m;
    char *error = NULL;
    if (zm_migrations_read(dir, &m, &error) != 0) {
        fprintf(stderr, "zmc: error: %s\n", error ? error : "cannot read the migrations folder");
        free(error);
        return ZM_EXIT_IO;
    }
    const char **names = calloc(m.count + 1, sizeof *names), **scripts = calloc(m.count + 1, sizeof *scripts);
    for (size_t i = 0; names && scripts && i < m.count; i++) {
        names[i] = m.items[i].name;
        scripts[i] = m.items[i].script;
    }
    int rc = ZM_EXIT_OK;
    zm_db *db = NULL;
    if (!names || !scripts) {
        rc = ZM_EXIT_IO;
    } else if (dialect == ZM_REL_POSTGRESQL) {
        zm_db_url url;
        zm_db_error err = {0};
        if (zm_db_url_parse(shadow_url, ".", &url, &error) != 0 || url.dialect != ZM_REL_POSTGRESQL) {
            char *masked = zm_db_mask_passwords(error ? error : "the shadow database must be PostgreSQL");
            fprintf(stderr, "zmc: error: %s\n", masked ? masked : "");
            free(masked);
            if (!error) zm_db_url_free(&url);
            free(error);
            rc = ZM_EXIT_USAGE;
        } else {
            zm_db_status st = zm_db_connect(&url, true, &db, &err);
            if (st != ZM_DB_OK) {
                zm_print_db_error("zmc", &err);
                rc = zm_db_exit_status(st);
            } else {
                rc = zm_side_from_replay(side, dialect, db, &url, false, names, scripts, m.count);
            }
            zm_db_url_free(&url);
            zm_db_error_clear(&err);
        }
    } else {
        rc = zm_side_from_replay(side, dialect, NULL, NULL, false, names, scripts, m.count);
    }
    zm_db_close(db);
    free(names);
    free(scripts);
    zm_migrations_free(&m);
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
