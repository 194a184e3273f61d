/*
** side.c — the sides of a schema comparison (side.h).
*/
#define _GNU_SOURCE 1   /* strcasestr */
#include "side.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "introspect.h"
#include "migrate.h"
#include "stop.h"
#include "zmc/buf.h"
#include "zmc/db.h"
#include "zmc/diff.h"
#include "zmc/ir.h"

int zm_side_from_schema(zm_side *side, const char *path, int level, const zmc_dialect *dialect)
{
    memset(side, 0, sizeof *side);
    int status;
    const zm_ir *ir = zm_engine_compile(path, level, &status);
    if (!ir) return status;
    if (!dialect) {
        const zm_ir_config *ds = zm_ir_datasource(ir);
        const char *provider = ds ? zm_ir_config_string(ds, "provider") : NULL;
        char *why = NULL;
        dialect = zm_engine_dialect(provider ? provider : "", &why);
        if (!dialect) {
            fprintf(stderr, "zmc: error: %s: %s\n", path, why ? why : "no dialect");
            free(why);
            return ZM_EXIT_SCHEMA;
        }
    }
    side->rel = zm_rel_lower(ir, dialect);
    if (!side->rel) {
        fprintf(stderr, "zmc: error: cannot lower %s for %s (SQL flavour \"%s\")\n", path, dialect->display_name,
                dialect->sql_flavor);
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

int zm_db_exit_status(zm_db_status st)
{
    return st == ZM_DB_ECONNECT || st == ZM_DB_ENODB ? ZM_EXIT_IO : ZM_EXIT_SCHEMA;
}

int zm_side_from_db(zm_side *side, zm_db *db, const zm_rel_schema *like)
{
    memset(side, 0, sizeof *side);
    char *error = NULL;
    side->rel = zm_db_introspect(db, like, &error);
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

int zm_side_from_url(zm_side *side, const char *url_text, const char *base_dir, bool missing_ok,
                     const zm_rel_schema *like)
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
    if (missing_ok && url.dialect->url_form == ZMC_URL_FILE) {
        struct stat st;
        if (stat(url.path, &st) != 0) {
            const zmc_dialect *d = url.dialect;
            zm_db_url_free(&url);
            return zm_side_empty(side, d);
        }
    }
    int rc = zm_side_from_db_url(side, &url, like);
    zm_db_url_free(&url);
    return rc;
}

int zm_side_from_db_url(zm_side *side, const zm_db_url *url, const zm_rel_schema *like)
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
    int rc = zm_side_from_db(side, db, like);
    zm_db_close(db);
    return rc;
}

/* ---- the shadow of a PostgreSQL history ------------------------------------------ */

/* A signal (SIGINT, SIGTERM, SIGHUP) that came while a shadow was in use:
   the replay stops at the next script, the shadow is dropped, and then zmc
   dies of the signal. A second signal is not caught. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    if (!interrupted) interrupted = sig;
    signal(sig, SIG_DFL);
    zm_db_interrupt();      /* the script running in the shadow stops */
}

static void catch_signals(zm_signals *old)
{
    interrupted = 0;
    zm_signals_catch(old, on_signal);
}

/* Put the handlers back; die of a signal that came meanwhile. */
static void release_signals(const zm_signals *old)
{
    zm_signals_restore(old);
    zm_db_interrupt_disarm();
    if (interrupted) {
        fprintf(stderr, "zmc: interrupted; the shadow database was dropped\n");
        signal(interrupted, SIG_DFL);
        raise(interrupted);
    }
}

/* Run each script on `db`, in order, as a migration runs (its BEGIN ...
   COMMIT blocks inside the caller's transaction, other transaction
   control refused); P3006 names the one that fails. */
/* Where a statement can name another database of the server (MySQL), a
   replayed history could change the live database from the shadow: a
   history that names one of the server's other databases, or switches
   databases, is refused before anything runs. */
static int refuse_other_databases(zm_db *db, const char *const *names, const char *const *scripts, size_t n)
{
    const zmc_dialect *d = zm_db_dialect(db);
    if (!(d->features & ZMC_DIALECT_CROSS_DATABASE) || !d->other_databases || n == 0) return ZM_EXIT_OK;
    zm_db_rows rows;
    zm_db_error err = {0};
    if (zm_db_query(db, d->other_databases, 0, NULL, &rows, &err) != ZM_DB_OK) {
        zm_print_db_error("zmc", &err);
        zm_db_error_clear(&err);
        return ZM_EXIT_IO;
    }
    const char **dbs = calloc(rows.nrows + 1, sizeof *dbs);
    for (size_t i = 0; dbs && i < rows.nrows; i++) dbs[i] = ZM_DB_CELL(&rows, i, 0) ? ZM_DB_CELL(&rows, i, 0) : "";
    int rc = dbs ? ZM_EXIT_OK : ZM_EXIT_IO;
    for (size_t i = 0; i < n && rc == ZM_EXIT_OK; i++) {
        if (zm_db_script_names_database(d, scripts[i], dbs, rows.nrows, &err) == ZM_DB_OK) continue;
        fprintf(stderr,
                "zmc: error: migration `%s` cannot be replayed in the shadow database: %s. Replaying it would change "
                "that database, which may be the live one; nothing was run. Give the datasource a shadowDatabaseUrl "
                "on a server of its own (--shadow-database-url for migrate diff), or write the migration without "
                "naming the database\n",
                names[i], err.message ? err.message : "");
        if (err.statement) fprintf(stderr, "  in the statement:\n    %s\n", err.statement);
        rc = ZM_EXIT_SCHEMA;
    }
    zm_db_error_clear(&err);
    free(dbs);
    zm_db_rows_free(&rows);
    return rc;
}

/* What a replay reads back: the namespaces of `like` (see
   zm_db_introspect()), and after each script the states `cap` asks for. */
typedef struct replay_read {
    const zm_rel_schema *like;
    zm_replay_states *cap;
} replay_read;

/* The shadow's schema now: the connected database, or the scratch
   namespace `ns` of it. */
static zm_rel_schema *read_shadow(zm_db *db, const char *ns, const replay_read *r, char **why)
{
    const char *list[] = {ns};
    return ns ? zm_db_introspect_namespaces(db, list, 1, false, why) : zm_db_introspect(db, r->like, why);
}

/* After script i, the schema it left, when the caller asked for it. */
static int capture(const replay_read *r, size_t i, zm_db *db, const char *ns)
{
    zm_replay_states *cap = r->cap;
    if (!cap || (cap->want && !cap->want[i])) return ZM_EXIT_OK;
    char *why = NULL;
    cap->states[i] = read_shadow(db, ns, r, &why);
    if (!cap->states[i]) fprintf(stderr, "zmc: error: reading the shadow database: %s\n", why ? why : "");
    free(why);
    return cap->states[i] ? ZM_EXIT_OK : ZM_EXIT_IO;
}

/* Each script as one message, or statement by statement when it holds what
   cannot run inside a transaction block (CREATE INDEX CONCURRENTLY), as
   deploy runs it. In the rolled-back transaction of replay_rolled_back()
   such a script cannot run at all: it is refused before anything runs. */
static int replay(zm_db *db, const char *const *names, const char *const *scripts, size_t n, bool in_transaction,
                  const char *ns, const replay_read *r)
{
    zm_db_error err = {0};
    int rc = refuse_other_databases(db, names, scripts, n);
    for (size_t i = 0; i < n && rc == ZM_EXIT_OK; i++) {
        if (interrupted) return ZM_EXIT_IO;
        /* statement by statement only for the script's sake (as deploy):
           otherwise the script as one message, as it always ran here */
        zm_db_migration_plan plan;
        zm_db_plan_migration(db, scripts[i], &plan);
        bool outside = plan.why[0] != '\0';
        if (outside && in_transaction) {
            fprintf(stderr, "zmc: error: migration `%s` cannot be replayed in the shadow's transaction: %s\n",
                    names[i], plan.why);
            rc = ZM_EXIT_SCHEMA;
            break;
        }
        char *fit = NULL;
        zm_db_status st = outside ? zm_db_apply_migration(db, scripts[i], NULL, &plan, &err)
                                  : zm_db_script_for_transaction(zm_db_dialect(db), scripts[i], &fit, &err);
        if (st == ZM_DB_OK && !outside) st = zm_db_execute(db, fit ? fit : scripts[i], &err);
        free(fit);
        if (st != ZM_DB_OK && interrupted) {
            rc = ZM_EXIT_IO;
        } else if (st != ZM_DB_OK) {
            fprintf(stderr, "zmc: error: migration `%s` failed to apply cleanly to the shadow database (P3006)\n",
                    names[i]);
            zm_print_db_error("zmc", &err);
            rc = ZM_EXIT_SCHEMA;
        } else {
            rc = capture(r, i, db, ns);
        }
    }
    zm_db_error_clear(&err);
    return rc;
}

/* Replay into `db`, connected when `st` is OK, and read it back. */
static int replay_and_read(zm_side *side, zm_db *db, zm_db_status st, const zm_db_error *err,
                           const char *const *names, const char *const *scripts, size_t n, const replay_read *r)
{
    if (st != ZM_DB_OK) {
        zm_print_db_error("zmc", err);
        return zm_db_exit_status(st);
    }
    zm_db_interrupt_arm(db);
    int rc = replay(db, names, scripts, n, false, NULL, r);
    if (rc == ZM_EXIT_OK && interrupted) rc = ZM_EXIT_IO;
    return rc == ZM_EXIT_OK ? zm_side_from_db(side, db, r->like) : rc;
}

/* `VERB DATABASE "name"` on the server (CREATE, or DROP ... IF EXISTS);
   the database's error in *err. */
static zm_db_status database_statement(zm_db *pg, const char *verb, const char *name, zm_db_error *err)
{
    char *quoted = zm_db_quote_ident(zm_db_dialect(pg), name);
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "%s DATABASE %s%s", verb, strcmp(verb, "DROP") == 0 ? "IF EXISTS " : "",
                  quoted ? quoted : "\"\"");
    zm_db_status st = zm_db_execute(pg, sql.data, err);
    zm_buf_free(&sql);
    free(quoted);
    return st;
}

/* Shadow databases are named zmc_shadow_<pid>_<unix time>_<serial>. One
   that no session uses and that is over a minute old was left by a zmc
   that could not drop it (killed with SIGKILL, the connection lost): drop
   it. A zmc at work keeps a session in its shadow from just after CREATE
   DATABASE to just before DROP, and DROP DATABASE itself refuses a
   database someone is connected to, so nothing in use goes. */
static void sweep_stale_shadows(zm_db *pg)
{
    zm_db_rows rows;
    zm_db_error err = {0};
    const char *stale = zm_db_dialect(pg)->stale_shadows;
    if (!stale || zm_db_query(pg, stale, 0, NULL, &rows, &err) != ZM_DB_OK) {
        zm_db_error_clear(&err);
        return;
    }
    long now = (long)time(NULL);
    for (size_t i = 0; i < rows.nrows; i++) {
        const char *name = ZM_DB_CELL(&rows, i, 0);
        long pid, when;
        unsigned serial;
        if (!name || sscanf(name, "zmc_shadow_%ld_%ld_%u", &pid, &when, &serial) != 3 || now - when < 60) continue;
        if (database_statement(pg, "DROP", name, &err) == ZM_DB_OK)
            fprintf(stderr, "zmc: dropped %s, a shadow database an interrupted zmc left behind\n", name);
        zm_db_error_clear(&err);
    }
    zm_db_rows_free(&rows);
}

/* The history replayed in a temporary database of the server `pg` is
   connected to, dropped afterwards: nothing the scripts say can reach
   another database (PostgreSQL has no cross-database statements), and
   they run exactly as they will on a fresh server. As Prisma's shadow
   database. 0 and the side; -1 when the role may not create a database
   (the caller falls back); else an exit status. */
static int replay_in_database(zm_side *side, zm_db *pg, const zm_db_url *url, const replay_read *r,
                              const char *const *names,
                              const char *const *scripts, size_t n)
{
    sweep_stale_shadows(pg);
    char name[64];
    static unsigned serial;
    snprintf(name, sizeof name, "zmc_shadow_%ld_%ld_%u", (long)getpid(), (long)time(NULL), serial++);
    zm_db_url shadow = *url;    /* the same server, user and schema; borrowed strings */
    shadow.database = name;
    if (!url->dialect->default_schema) shadow.schema = name;     /* MySQL: the database is the schema */
    zm_db_error err = {0};
    zm_signals old;
    catch_signals(&old);
    zm_db_status st = database_statement(pg, "CREATE", name, &err);
    if (st != ZM_DB_OK) {
        zm_db_error_clear(&err);
        release_signals(&old);
        return -1;
    }
    zm_db *db = NULL;
    st = zm_db_connect(&shadow, false, &db, &err);
    if (st == ZM_DB_ECONNECT || st == ZM_DB_ENODB) {
        /* created but out of reach (a pooler that knows only the
           datasource's database): drop it and replay the other way */
        char *why = zm_db_mask_passwords(err.message ? err.message : "");
        fprintf(stderr, "zmc: note: cannot connect to the temporary shadow database (%s); replaying in a "
                        "transaction instead\n", why ? why : "");
        free(why);
        zm_db_error_clear(&err);
        database_statement(pg, "DROP", name, &err);
        zm_db_error_clear(&err);
        release_signals(&old);
        return -1;
    }
    const char *dflt = url->dialect->default_schema;
    if (st == ZM_DB_OK && dflt && strcmp(zm_db_schema(db), dflt) != 0) {
        char *ns = zm_db_quote_ident(url->dialect, zm_db_schema(db));
        zm_buf sql = ZM_BUF_INIT;
        zm_buf_printf(&sql, "CREATE SCHEMA %s", ns ? ns : "\"\"");
        st = zm_db_execute(db, sql.data, &err);
        zm_buf_free(&sql);
        free(ns);
    }
    int rc = replay_and_read(side, db, st, &err, names, scripts, n, r);
    zm_db_close(db);
    zm_db_error_clear(&err);
    if (database_statement(pg, "DROP", name, &err) != ZM_DB_OK)
        fprintf(stderr, "zmc: warning: could not drop the shadow database %s: %s\n", name,
                err.message ? err.message : "");
    zm_db_error_clear(&err);
    release_signals(&old);
    return rc;
}

/* When the role may not create a database: the history replayed in a
   scratch schema of the connected database, inside a transaction that is
   always rolled back. What a script does to any other schema (a DELETE
   FROM public."Setting" as pg_dump writes it) is undone with the rest,
   and a zmc killed midway leaves nothing: the server rolls back the
   transaction of a lost connection. Transaction control in a script is
   refused (replay()), so the transaction cannot be ended early. */
static int replay_rolled_back(zm_side *side, zm_db *pg, const replay_read *r, const char *const *names,
                              const char *const *scripts, size_t n)
{
    if (r->like && zm_rel_schema_is_multi_namespace(r->like)) {
        /* its scripts create tables in the live database's own namespaces */
        fputs("zmc: error: could not create the shadow database (P3014): this role may not create databases, and "
              "a multiSchema history (the datasource's `schemas` list) is replayed only in a database of its "
              "own. Allow the role to create databases (ALTER ROLE ... CREATEDB), or name a database on a server "
              "where it may in the datasource's shadowDatabaseUrl\n",
              stderr);
        return ZM_EXIT_SCHEMA;
    }
    char ns[64], sql[256];
    static unsigned serial;
    snprintf(ns, sizeof ns, "zmc_shadow_%ld_%ld_%u", (long)getpid(), (long)time(NULL), serial++);
    snprintf(sql, sizeof sql, "BEGIN; CREATE SCHEMA \"%s\"; SET LOCAL search_path TO \"%s\"", ns, ns);
    zm_db_error err = {0};
    zm_signals old;
    catch_signals(&old);
    int rc = ZM_EXIT_OK;
    if (zm_db_execute(pg, sql, &err) != ZM_DB_OK) {
        zm_print_db_error("zmc", &err);
        if (err.code && strcmp(err.code, "42501") == 0)
            fputs("zmc: this role may create neither a database nor a schema for the shadow: allow one "
                  "(ALTER ROLE ... CREATEDB, or GRANT CREATE ON DATABASE ... TO ...), or name a database it "
                  "may use in the datasource's shadowDatabaseUrl\n",
                  stderr);
        rc = ZM_EXIT_SCHEMA;
    } else {
        zm_db_interrupt_arm(pg);
        rc = replay(pg, names, scripts, n, true, ns, r);
        if (rc == ZM_EXIT_SCHEMA && !interrupted)
            fputs("zmc: note: this role may not create databases, so the migrations were replayed in a "
                  "transaction in a scratch schema, rolled back afterwards; a migration that needs a database of "
                  "its own (an extension's types, a statement that cannot run in a transaction, an enum value "
                  "added and used) fails there. Allow the role to create databases (ALTER ROLE ... CREATEDB), "
                  "or name a database on a server where it may in the datasource's shadowDatabaseUrl\n",
                  stderr);
        if (rc == ZM_EXIT_OK && !interrupted) {
            char *why = NULL;
            side->rel = read_shadow(pg, ns, r, &why);
            if (!side->rel) {
                fprintf(stderr, "zmc: error: reading the shadow database: %s\n", why ? why : "");
                rc = ZM_EXIT_IO;
            }
            free(why);
        }
    }
    zm_db_error_clear(&err);
    if (zm_db_execute(pg, "ROLLBACK", &err) != ZM_DB_OK)
        fprintf(stderr, "zmc: warning: could not roll back the shadow: %s\n", err.message ? err.message : "");
    zm_db_error_clear(&err);
    release_signals(&old);
    side->dialect = zm_db_dialect(pg);
    return rc;
}

int zm_side_from_replay(zm_side *side, const zmc_dialect *dialect, zm_db *server, const zm_db_url *server_url,
                        const char *const *names, const char *const *scripts, size_t n, const zm_rel_schema *like)
{
    return zm_side_from_replay_states(side, dialect, server, server_url, names, scripts, n, NULL, like);
}

int zm_side_from_replay_states(zm_side *side, const zmc_dialect *dialect, zm_db *server, const zm_db_url *server_url,
                               const char *const *names, const char *const *scripts, size_t n,
                               zm_replay_states *cap, const zm_rel_schema *like)
{
    memset(side, 0, sizeof *side);
    const replay_read r = {like, cap};
    zm_db_error err = {0};
    if (dialect->shadow == ZMC_SHADOW_MEMORY) {
        zm_db_url url;
        char *why = NULL;
        if (zm_db_url_parse(dialect->memory_url ? dialect->memory_url : "", ".", &url, &why) != 0) {
            fprintf(stderr, "zmc: error: the %s shadow: %s\n", dialect->display_name, why ? why : "");
            free(why);
            return ZM_EXIT_IO;
        }
        zm_db *db = NULL;
        zm_db_status st = zm_db_connect(&url, true, &db, &err);
        zm_db_url_free(&url);
        int rc = replay_and_read(side, db, st, &err, names, scripts, n, &r);
        zm_db_close(db);
        zm_db_error_clear(&err);
        return rc;
    }
    int rc = replay_in_database(side, server, server_url, &r, names, scripts, n);
    if (rc >= 0) return rc;
    if (dialect->features & ZMC_DIALECT_SCRATCH_SCHEMA)
        return replay_rolled_back(side, server, &r, names, scripts, n);
    fprintf(stderr,
            "zmc: error: could not create the shadow database (P3014): this %s user may not create databases. "
            "Allow it (GRANT CREATE ON *.* TO the user), or name a database it may use, on any server, in the "
            "datasource's shadowDatabaseUrl (its contents are dropped)\n",
            dialect->display_name);
    return ZM_EXIT_SCHEMA;
}

/* localhost by any of its names, and libpq's defaults filled in. */
static const char *host_of(const zm_db_url *u)
{
    const char *h = u->host;
    if (!h || !*h || h[0] == '/' || strcmp(h, "127.0.0.1") == 0 || strcmp(h, "::1") == 0 || strcmp(h, "[::1]") == 0)
        return "localhost";
    return h;
}

bool zm_side_same_database(const zm_db_url *a, const zm_db_url *b)
{
    if (a->dialect != b->dialect || a->dialect->url_form != ZMC_URL_SERVER) return false;
    const char *dflt = a->dialect->default_port ? a->dialect->default_port : "";
    const char *pa = a->port ? a->port : dflt, *pb = b->port ? b->port : dflt;
    const char *da = a->database ? a->database : a->user ? a->user : "";
    const char *db = b->database ? b->database : b->user ? b->user : "";
    return strcasecmp(host_of(a), host_of(b)) == 0 && strcmp(pa, pb) == 0 && strcmp(da, db) == 0;
}

int zm_side_from_migrations(zm_side *side, const char *dir, const zmc_dialect *dialect, const char *shadow_url,
                            const zm_db_url *live, const zm_rel_schema *like)
{
    memset(side, 0, sizeof *side);
    bool server = dialect->shadow == ZMC_SHADOW_DATABASE;
    if (server && !shadow_url) {
        fprintf(stderr, "zmc: error: replaying %s migrations needs a server to do it on: pass "
                        "--shadow-database-url URL (zmc creates a temporary database there%s)\n",
                dialect->display_name,
                dialect->features & ZMC_DIALECT_SCRATCH_SCHEMA ? ", or works in a transaction it rolls back" : "");
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
    } else if (server) {
        zm_db_url url;
        zm_db_error err = {0};
        bool parsed = zm_db_url_parse(shadow_url, ".", &url, &error) == 0;
        if (!parsed || url.dialect != dialect) {
            if (parsed) zm_db_url_free(&url);
            if (!error) {
                zm_buf m = ZM_BUF_INIT;
                zm_buf_printf(&m, "the shadow database must be %s too", dialect->display_name);
                error = m.data;
            }
            char *masked = zm_db_mask_passwords(error);
            fprintf(stderr, "zmc: error: %s\n", masked ? masked : "");
            free(masked);
            free(error);
            rc = ZM_EXIT_USAGE;
        } else if (live && zm_side_same_database(&url, live)) {
            fputs("zmc: error: the shadow database URL names the database being compared: migrations are "
                  "replayed in a database of their own, never in one that holds data; pass another "
                  "--shadow-database-url (zmc creates a temporary database on its server, or works in a "
                  "transaction it rolls back)\n",
                  stderr);
            zm_db_url_free(&url);
            rc = ZM_EXIT_USAGE;
        } else {
            zm_db_status st = zm_db_connect(&url, true, &db, &err);
            if (st != ZM_DB_OK) {
                zm_print_db_error("zmc", &err);
                rc = zm_db_exit_status(st);
            } else {
                rc = zm_side_from_replay(side, dialect, db, &url, names, scripts, m.count, like);
            }
            zm_db_url_free(&url);
            zm_db_error_clear(&err);
        }
    } else {
        rc = zm_side_from_replay(side, dialect, NULL, NULL, names, scripts, m.count, like);
    }
    zm_db_close(db);
    free(names);
    free(scripts);
    zm_migrations_free(&m);
    return rc;
}

int zm_side_empty(zm_side *side, const zmc_dialect *dialect)
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
