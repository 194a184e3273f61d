/*
** project.c — the schema, datasource, connection and migrations folder of
** a database command (project.h).
*/
#include "project.h"

#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "introspect.h"
#include "zmc/buf.h"
#include "zmc/db.h"

zm_db_status zm_db_connect_creating(const zm_db_url *url, zm_db **db, zm_db_error *err, bool *created)
{
    *created = false;
    /* a file database is created by connecting: it is new if it was not there */
    struct stat file;
    bool new_file = url->path && strcmp(url->path, ":memory:") != 0 && stat(url->path, &file) != 0;
    zm_db_status st = zm_db_connect(url, true, db, err);
    if (st == ZM_DB_OK && new_file) *created = true;
    if (st == ZM_DB_ENODB) {
        zm_db_error_clear(err);
        st = zm_db_create_database(url, err);
        if (st == ZM_DB_OK) {
            *created = true;
            st = zm_db_connect(url, false, db, err);
        } else {
            /* another zmc (a concurrent deploy) may have created it meanwhile */
            zm_db_error again = {0};
            if (zm_db_connect(url, false, db, &again) == ZM_DB_OK) {
                zm_db_error_clear(err);
                st = ZM_DB_OK;
            }
            zm_db_error_clear(&again);
        }
    }
    return st;
}

/* Where schemas live inside a database (PostgreSQL), the URL's schema
   (?schema=) is where everything goes. It is created only when missing:
   CREATE SCHEMA IF NOT EXISTS needs the CREATE right on the database even
   when the schema is there, which an application role that owns its
   schema often lacks. */
static zm_db_status ensure_schema(zm_db *db, zm_db_error *err)
{
    const char *exists_sql = zm_db_dialect(db)->schema_exists;
    if (!exists_sql) return ZM_DB_OK;
    const char *name = zm_db_schema(db);
    zm_db_rows rows;
    zm_db_status st = zm_db_query(db, exists_sql, 1, &name, &rows, err);
    if (st != ZM_DB_OK) return st;
    bool exists = rows.nrows > 0;
    zm_db_rows_free(&rows);
    if (exists) return ZM_DB_OK;
    char *ns = zm_db_quote_ident(zm_db_dialect(db), name);
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "CREATE SCHEMA IF NOT EXISTS %s", ns ? ns : "\"public\"");
    st = zm_db_execute(db, sql.data, err);
    zm_buf_free(&sql);
    free(ns);
    return st;
}

/* Why the last zm_project_open failed, for --json (the text went to stderr). */
static char last_error[1024];

const char *zm_project_last_error(void) { return last_error; }

static void set_error(const char *fmt, const char *arg)
{
    char *masked = zm_db_mask_passwords(arg ? arg : "");
    snprintf(last_error, sizeof last_error, fmt, masked ? masked : "");
    free(masked);
}

/* The dialect's read_only query says the database takes no writes. */
static bool is_read_only(zm_db *db)
{
    const zmc_dialect *d = zm_db_dialect(db);
    if (!ZMC_DIALECT_HAS(d, read_only) || !d->read_only) return false;
    zm_db_rows rows = {0};
    zm_db_error err = {0};
    bool ro = zm_db_query(db, d->read_only, 0, NULL, &rows, &err) == ZM_DB_OK && rows.nrows && ZM_DB_CELL(&rows, 0, 0) &&
              (strcmp(ZM_DB_CELL(&rows, 0, 0), "t") == 0 || strcmp(ZM_DB_CELL(&rows, 0, 0), "1") == 0 ||
               strcmp(ZM_DB_CELL(&rows, 0, 0), "true") == 0);
    zm_db_rows_free(&rows);
    zm_db_error_clear(&err);
    return ro;
}

int zm_project_open(zm_project *p, const char *command, const zm_project_options *o)
{
    memset(p, 0, sizeof *p);
    p->command = command;
    p->schema_path = zm_arg_find_schema(o->schema);
    set_error("no schema found%s: pass --schema PATH", "");
    if (!p->schema_path) return ZM_EXIT_USAGE;
    set_error("the schema %s cannot be used: the diagnostics are on stderr", p->schema_path);
    int status = zm_side_from_schema(&p->model, p->schema_path, o->level, NULL);
    if (status) return status;
    p->provider = p->model.dialect->provider;

    if (o->migrations) {
        p->migrations_dir = strdup(o->migrations);
    } else {
        char *copy = strdup(p->schema_path);
        zm_buf dir = ZM_BUF_INIT;
        zm_buf_printf(&dir, "%s/migrations", dirname(copy));
        p->migrations_dir = dir.data;
        free(copy);
    }

    char *error = NULL;
    if (zm_datasource_url(p->model.ir, p->schema_path, "url", &p->url, &error) != 0) {
        fprintf(stderr, "%s: error: %s: %s\n", command, p->schema_path, error ? error : "");
        set_error("the datasource: %s", error);
        free(error);
        zm_project_close(p);
        return ZM_EXIT_SCHEMA;
    }
    for (size_t i = 0; i < p->url.nignored; i++)
        fprintf(stderr, "%s: note: the URL parameter `%s` does not apply to zmc and is ignored\n", command,
                p->url.ignored[i]);
    if (!o->quiet) {
        char *shown = zm_db_url_display(&p->url);
        printf("Datasource: %s\n", shown ? shown : "");
        free(shown);
    }

    if (o->offline || (o->shadow_only && p->model.dialect->shadow != ZMC_SHADOW_DATABASE)) return ZM_EXIT_OK;
    zm_db_error err = {0};
    zm_db_status st = o->create ? zm_db_connect_creating(&p->url, &p->db, &err, &p->created)
                                : zm_db_connect(&p->url, false, &p->db, &err);
    if (st == ZM_DB_OK && o->create) st = ensure_schema(p->db, &err);
    if (st != ZM_DB_OK) {
        zm_print_db_error(command, &err);
        set_error("%s", err.message ? err.message : "cannot connect to the database");
        zm_db_error_clear(&err);
        zm_project_close(p);
        return zm_db_exit_status(st);
    }
    if (p->created && !o->quiet && p->url.database) printf("Created the database `%s`.\n", p->url.database);
    if (o->writes && is_read_only(p->db)) {
        char *where = zm_db_url_display(&p->url);
        fprintf(stderr,
                "%s: error: the database at %s takes no writes (a replica, or a server in read-only mode): nothing "
                "was done. Run the command against the primary.\n",
                command, where ? where : "?");
        set_error("%s", "the database takes no writes (a replica?)");
        free(where);
        zm_project_close(p);
        return ZM_EXIT_SCHEMA;
    }
    return ZM_EXIT_OK;
}

void zm_project_close(zm_project *p)
{
    zm_db_close(p->db);
    zm_db_url_free(&p->url);
    zm_side_free(&p->model);
    free(p->migrations_dir);
    memset(p, 0, sizeof *p);
}

zm_migrate_ctx zm_project_migrate_ctx(const zm_project *p, bool json)
{
    return (zm_migrate_ctx){
        .command = p->command,
        .migrations_dir = p->migrations_dir,
        .provider = p->provider,
        .db = p->db,
        .out = stdout,
        .json = json,
        .lock_timeout_ms = 30000,
        .model = p->model.rel,
    };
}

int zm_project_replay(const zm_project *p, const char *const *names, const char *const *scripts, size_t n,
                      zm_side *shadow, zm_replay_states *cap)
{
    int rc = ZM_EXIT_OK;
    zm_db *pg = p->db, *own = NULL;
    const zm_db_url *pg_url = &p->url;
    zm_db_url surl = {0};
    bool have_surl = false;
    char *error = NULL;
    if (p->model.dialect->shadow == ZMC_SHADOW_DATABASE) {
        int found = zm_datasource_url(p->model.ir, p->schema_path, "shadowDatabaseUrl", &surl, &error);
        if (found < 0) {
            fprintf(stderr, "%s: error: %s\n", p->command, error ? error : "shadowDatabaseUrl");
            rc = ZM_EXIT_SCHEMA;
        } else if (found == 0 && zm_side_same_database(&surl, &p->url)) {
            fprintf(stderr, "%s: error: the shadowDatabaseUrl names the datasource's own database: the shadow "
                            "must be another database (or none: zmc then makes a temporary one)\n", p->command);
            zm_db_url_free(&surl);
            rc = ZM_EXIT_SCHEMA;
        } else if (found == 0) {
            have_surl = true;
            zm_db_error err = {0};
            zm_db_status st = zm_db_connect(&surl, false, &own, &err);
            if (st != ZM_DB_OK) {
                fprintf(stderr, "%s: error: cannot connect to the shadow database (shadowDatabaseUrl)\n", p->command);
                zm_print_db_error(p->command, &err);
                rc = zm_db_exit_status(st);
            }
            zm_db_error_clear(&err);
            pg = own;
            pg_url = &surl;
        }
        free(error);
    }
    if (rc == ZM_EXIT_OK)
        rc = zm_side_from_replay_states(shadow, p->model.dialect, pg, pg_url, names, scripts, n, cap, p->model.rel);
    zm_db_close(own);
    if (have_surl) zm_db_url_free(&surl);
    return rc;
}

zm_db_status zm_project_reset(const zm_project *p, zm_db_error *err)
{
    size_t n;
    const char **ns = zm_db_namespaces_of(p->model.rel, &n);
    if (n == SIZE_MAX) {
        err->message = strdup("out of memory");
        return ZM_DB_EMISUSE;
    }
    if (!ns) return zm_db_reset(p->db, err);
    zm_db_status st = zm_db_begin(p->db, err);
    if (st == ZM_DB_OK) st = zm_db_reset(p->db, err);
    for (size_t i = 0; st == ZM_DB_OK && i < n; i++)
        if (strcmp(ns[i], zm_db_schema(p->db)) != 0) st = zm_db_reset_namespace(p->db, ns[i], err);
    free(ns);
    if (st == ZM_DB_OK) return zm_db_commit(p->db, err);
    zm_db_error ignored = {0};
    zm_db_rollback(p->db, &ignored);
    zm_db_error_clear(&ignored);
    return st;
}
