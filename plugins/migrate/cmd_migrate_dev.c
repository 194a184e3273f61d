/*
** cmd_migrate_dev.c — `zmc migrate dev` (make a migration from the schema's
** changes and apply it) and `zmc migrate reset` (empty the database and
** apply every migration): the development half of the workflow.
**
** dev, as Prisma Migrate: under the migration lock, the history is checked
** first: failed, edited or missing migrations, and drift (the applied
** migrations replayed into a shadow database differ from the database).
** Any of these needs a reset, which happens only after a yes on a terminal
** or with --force-reset; without a terminal the command stops and names
** the flag. Then pending migrations are applied, the database is diffed
** against the model, and the difference becomes a new migration folder,
** applied in the same transaction as its record. Changes that lose data
** need a yes or --accept-data-loss; changes that cannot run on the data
** there is need --create-only (write the file, edit it, apply it).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "dataloss.h"
#include "introspect.h"
#include "migrate_int.h"
#include "project.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"

const char zm_migrate_dev_usage[] =
    "usage: zmc migrate dev [-n NAME] [--create-only] [--accept-data-loss] [--force-reset]\n"
    "                       [--no-lint] [--schema PATH] [--migrations DIR] [--json] [--zenstack 2|3]\n"
    "\n"
    "Create a migration from the changes of the schema since the last migration and\n"
    "apply it to the development database (created if missing), after the pending\n"
    "ones. The history is checked first: a failed, edited or missing migration, or a\n"
    "database that drifted from its migrations, needs a reset (all data lost), which\n"
    "happens only after a yes on a terminal, or with --force-reset.\n"
    "\n"
    "options:\n"
    "  -n, --name NAME       the migration's name (its folder: <UTC timestamp>_<name>)\n"
    "  --create-only         write the migration without applying it (to edit it first)\n"
    "  --accept-data-loss    apply changes that lose data without asking\n"
    "  --force-reset         reset the database without asking when the history needs it\n"
    "  --no-lint             do not lint the new migration (zmc migrate lint's rules)\n"
    "  --skip-seed           do not run the seed command when the database was created\n"
    "  --migrations DIR      the migrations folder (default: <schema folder>/migrations)\n"
    "  --json                one JSON object on stdout, for CI and scripts\n";

const char zm_migrate_reset_usage[] =
    "usage: zmc migrate reset [--force] [--schema PATH] [--migrations DIR] [--json] [--zenstack 2|3]\n"
    "\n"
    "Drop everything in the development database (SQLite: every table; PostgreSQL: the\n"
    "datasource's schema) and apply every migration, then run the project's seed\n"
    "command (zmc db seed --help) unless --skip-seed. Asks first on a terminal; needs\n"
    "--force otherwise.\n";

/* A person can answer: stdin and stdout are terminals, not in CI, and
   stdout is not a JSON document (--json) that a question would break. */
static bool interactive(bool json)
{
    if (json) return false;
    const char *ci = getenv("CI");
    if (ci && *ci && strcmp(ci, "0") != 0 && strcmp(ci, "false") != 0) return false;
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static bool confirm(const char *question)
{
    printf("%s [y/N] ", question);
    fflush(stdout);
    char answer[32];
    if (!fgets(answer, sizeof answer, stdin)) return false;
    return answer[0] == 'y' || answer[0] == 'Y';
}

typedef struct dev_args {
    zm_project_options project;
    const char *level_text, *name;
    bool create_only, accept, force, json, no_lint, skip_seed;
} dev_args;

static int parse(const char *command, int argc, char **argv, dev_args *a, bool dev)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &a->project.schema, &status) ||
            zm_arg_option(argc, argv, &i, "--migrations", &a->project.migrations, &status) ||
            zm_arg_option(argc, argv, &i, "--zenstack", &a->level_text, &status) ||
            (dev && (zm_arg_option(argc, argv, &i, "--name", &a->name, &status) ||
                     zm_arg_option(argc, argv, &i, "-n", &a->name, &status)))) {
            if (status) return status;
        } else if (strcmp(argv[i], "--json") == 0) {
            a->json = true;
        } else if (dev && strcmp(argv[i], "--no-lint") == 0) {
            a->no_lint = true;
        } else if (dev && strcmp(argv[i], "--create-only") == 0) {
            a->create_only = true;
        } else if (dev && strcmp(argv[i], "--accept-data-loss") == 0) {
            a->accept = true;
        } else if ((dev && strcmp(argv[i], "--force-reset") == 0) ||
                   (!dev && (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "-f") == 0))) {
            a->force = true;
        } else if (strcmp(argv[i], "--skip-seed") == 0) {
            a->skip_seed = true;
        } else if (strcmp(argv[i], "--skip-generate") == 0) {
            /* Prisma's; zmc runs no generators here (zmc build does) */
        } else {
            fprintf(stderr, "%s: error: unexpected argument '%s'\n", command, argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    a->project.level = a->level_text ? zm_arg_level(a->level_text) : 3;
    if (!a->project.level) return ZM_EXIT_USAGE;
    a->project.quiet = a->json;
    a->project.create = true;
    return 0;
}

/* "the SQLite database "dev.db"" / "the "public" schema of the PostgreSQL
   database "app" at "host:port"" ("the "public", "auth" schemas of" with
   multiSchema) / "the MySQL database "app" at ..." */
static void describe_database(const zm_project *p, zm_buf *b)
{
    const zmc_dialect *d = p->url.dialect;
    if (d->url_form == ZMC_URL_FILE) {
        const char *slash = p->url.path ? strrchr(p->url.path, '/') : NULL;
        zm_buf_printf(b, "the %s database \"%s\"", d->display_name, slash ? slash + 1 : p->url.path ? p->url.path : "");
        return;
    }
    char *where = zm_db_url_location(&p->url);
    size_t n;
    const char **ns = zm_db_namespaces_of(p->model.rel, &n);
    if (ns) {
        /* zm_project_reset(): the connection's schema and the datasource's */
        zm_buf_printf(b, "the \"%s\"", zm_db_schema(p->db));
        for (size_t i = 0; i < n; i++)
            if (strcmp(ns[i], zm_db_schema(p->db)) != 0) zm_buf_printf(b, ", \"%s\"", ns[i]);
        zm_buf_puts(b, " schemas of ");
        free(ns);
    } else if (d->default_schema) {
        zm_buf_printf(b, "the \"%s\" schema of ", zm_db_schema(p->db));
    }
    zm_buf_printf(b, "the %s database \"%s\" at \"%s\"", d->display_name, p->url.database ? p->url.database : "",
                  where ? where : "");
    free(where);
}

/* The model declares extensions: the history's own must be known, apart
   from those the database happens to have (a DBA's, a provider's), so the
   history is replayed in a database of its own. */
static bool wants_extensions(const zm_project *p)
{
    return (p->model.dialect->features & ZMC_DIALECT_EXTENSIONS) && zm_rel_extension_count(p->model.rel) > 0;
}

/* The shadow for the drift check: the applied migrations replayed
   (zm_project_replay). */
static int replay_applied(const zm_project *p, const zm_migrations *m, const zm_history *h, zm_side *shadow)
{
    const char **names = calloc(m->count + 1, sizeof *names), **scripts = calloc(m->count + 1, sizeof *scripts);
    size_t n = 0;
    for (size_t i = 0; names && scripts && i < m->count; i++) {
        const zm_history_row *r = zm_history_find(h, m->items[i].name);
        if (!r || !r->finished) continue;
        names[n] = m->items[i].name;
        scripts[n++] = m->items[i].script;
    }
    int rc = names && scripts ? zm_project_replay(p, names, scripts, n, shadow, NULL) : ZM_EXIT_IO;
    free(names);
    free(scripts);
    return rc;
}

/* Why the database must be reset before anything else: failed, edited and
   missing migrations, then drift. Lines "- ..." in `why`. The replayed
   history is left in *shadow. */
static int diagnose(zm_migrate_ctx *c, const zm_project *p, const zm_migrations *m, const zm_history *h,
                    zm_side *live, zm_side *shadow, zm_buf *why)
{
    for (size_t i = 0; i < h->count; i++) {
        const zm_history_row *r = &h->rows[i];
        if (zm_history_row_failed(r)) {
            zm_buf_printf(why, "- The migration `%s` failed.\n", r->name);
            mg_list(c, "failed", r->name);
        }
        if (r->rolled_back || zm_history_find(h, r->name) != r) continue;
        const zm_migration *mi = zm_migrations_find(m, r->name);
        if (!mi) {
            zm_buf_printf(why, "- The migration `%s` is applied to the database but missing from %s.\n", r->name,
                          c->migrations_dir);
            mg_list(c, "missingLocally", r->name);
        } else if (r->finished && !zm_checksum_matches(mi, r->checksum)) {
            zm_buf_printf(why, "- The migration `%s` was modified after it was applied.\n", r->name);
            mg_list(c, "modified", r->name);
        }
    }
    int rc = replay_applied(p, m, h, shadow);
    if (rc) return rc;
    /* Extensions the database has and the history does not create are
       not drift (Prisma's rule): the database's were installed for it. */
    if (wants_extensions(p)) zm_rel_extensions_borrow(live->rel, shadow->rel);
    zm_rel_diff *drift = zm_rel_diff_new(shadow->rel, live->rel);
    if (!drift) rc = ZM_EXIT_IO;
    else if (!zm_rel_diff_is_empty(drift)) {
        char *summary = zm_rel_diff_summary(drift);
        zm_buf_printf(why, "- Drift detected: the database schema is not in sync with the migration history.\n\n"
                           "The following is a summary of the differences between the schema the migrations "
                           "build and the database:\n%s\n", summary ? summary : "");
        free(summary);
        if (c->json) json_object_set_new(REPORT(c), "drift", json_true());
    }
    zm_rel_diff_free(drift);
    return rc;
}

/* Write <dir>/<folder>/migration.sql and migration_lock.toml. */
/* The folder's down.sql: what takes the database back to before the
   migration (migrate down). */
static int write_down(zm_migrate_ctx *c, const char *folder, const zm_rel_schema *after, const zm_rel_schema *before)
{
    zm_rel_diff *back = zm_rel_diff_new(after, before);
    if (!back) return mg_fail(c, NULL, "out of memory");
    zm_buf script = ZM_BUF_INIT, path = ZM_BUF_INIT;
    zm_rel_diff_render(back, true, zm_buf_write, &script);
    zm_buf_printf(&path, "%s/%s/down.sql", c->migrations_dir, folder);
    int rc = zm_write_file_atomic(path.data, script.data ? script.data : "", script.len) != 0
                 ? mg_fail(c, NULL, "cannot write %s", path.data)
                 : 0;
    zm_buf_free(&script);
    zm_buf_free(&path);
    zm_rel_diff_free(back);
    return rc;
}

static int write_migration(zm_migrate_ctx *c, const char *folder, const char *script, size_t len, char **path)
{
    zm_buf dir = ZM_BUF_INIT;
    zm_buf_printf(&dir, "%s/%s", c->migrations_dir, folder);
    int rc = 0;
    if (mkdir(c->migrations_dir, 0777) != 0 && errno != EEXIST)
        rc = mg_fail(c, NULL, "cannot create the migrations folder %s: %s", c->migrations_dir, strerror(errno));
    else if (mkdir(dir.data, 0777) != 0)
        rc = mg_fail(c, NULL, "cannot create %s: %s", dir.data, strerror(errno));
    zm_buf_puts(&dir, "/migration.sql");
    if (!rc && zm_write_file_atomic(dir.data, script, len) != 0)
        rc = mg_fail(c, NULL, "cannot write %s", dir.data);
    if (!rc && zm_lock_file_write(c->migrations_dir, c->provider) != 0)
        rc = mg_fail(c, NULL, "cannot write %s/migration_lock.toml", c->migrations_dir);
    *path = dir.data;
    return rc;
}

static int migrate_dev(zm_project *p, zm_migrate_ctx *c, const dev_args *a)
{
    bool seed = false;     /* run the seed command once the lock is released */
    mg_begin(c, "dev");
    mg_lists(c, "applied", "failed", "modified", "missingLocally", NULL);
    zm_migrations m = {0};
    zm_history h = {0};
    zm_side live = {0}, after = {0}, shadow = {0};
    zm_rel_diff *d = NULL;
    zm_buf why = ZM_BUF_INIT, loss = ZM_BUF_INIT, blocked = ZM_BUF_INIT, script = ZM_BUF_INIT;
    zm_db_error err = {0};
    char *folder = NULL, *path = NULL;
    size_t applied = 0;
    int rc = 0;

    if (zm_db_lock(c->db, c->lock_timeout_ms, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "taking the migration lock", &err);
        goto done;
    }
    /* The folder is read under the lock: a migrate dev that held it before
       may have just added a migration, which must be seen with its record. */
    if (mg_read_folder(c, &m)) {
        rc = 1;
        goto done;
    }
    if (zm_history_read(c->db, &h, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "reading _prisma_migrations", &err);
        goto done;
    }
    if ((rc = zm_side_from_db(&live, c->db, p->model.rel)) || (rc = diagnose(c, p, &m, &h, &live, &shadow, &why))) goto done;
    if (why.len) {
        zm_buf db = ZM_BUF_INIT;
        describe_database(p, &db);
        bool yes = a->force;
        if (!yes && interactive(a->json)) {
            printf("\n%s\nWe need to reset %s.\n\n", why.data, db.data);
            yes = confirm("Do you want to continue? All data will be lost.");
        }
        if (!yes) {
            rc = mg_fail(c, NULL,
                         "the database must be reset before new migrations can be made:\n\n%s\n"
                         "Nothing was changed. To reset %s (all its data will be lost) and apply every "
                         "migration, run again with --force-reset (or run zmc migrate reset --force).",
                         why.data, db.data);
            zm_buf_free(&db);
            goto done;
        }
        zm_buf_free(&db);
        if (zm_project_reset(p, &err) != ZM_DB_OK) {
            rc = mg_fail_db(c, "resetting the database", &err);
            goto done;
        }
        mg_say(c, "The database was reset.\n");
        if (c->json) json_object_set_new(REPORT(c), "reset", json_true());
        zm_history_free(&h);
        zm_side_free(&live);
        zm_side_free(&shadow);
    }
    if (!h.exists && zm_history_create(c->db, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "creating _prisma_migrations", &err);
        goto done;
    }
    zm_say_out_of_order(c, &m, &h, true);
    if ((rc = zm_migrate_apply_pending(c, &m, &h, &applied))) goto done;
    zm_migrate_print_applied(c, &m, &h, applied,
                             applied == 1 ? "The following migration was applied:"
                                          : "The following migrations were applied:");

    /* What the migrations build, against the model. */
    if ((rc = zm_side_from_db(&after, c->db, p->model.rel))) goto done;
    if (wants_extensions(p)) {
        /* The history's extensions, not the database's: a migration
           creates the ones it needs even where a DBA installed them, as
           Prisma's does, so it also runs on a fresh server. */
        if (applied || !shadow.rel) {
            zm_history_free(&h);
            zm_side_free(&shadow);
            if (zm_history_read(c->db, &h, &err) != ZM_DB_OK) {
                rc = mg_fail_db(c, "reading _prisma_migrations", &err);
                goto done;
            }
            if ((rc = replay_applied(p, &m, &h, &shadow))) goto done;
        }
        zm_rel_extensions_borrow(after.rel, shadow.rel);
    }
    d = zm_rel_diff_new(after.rel, p->model.rel);
    if (!d) {
        rc = mg_fail(c, NULL, "out of memory");
        goto done;
    }
    bool empty = zm_rel_diff_is_empty(d);
    if (empty && !a->create_only) {
        mg_say(c, applied ? "\nYour database is now in sync with your schema.\n"
                          : "Already in sync, no schema change or pending migration was found.\n");
        if (c->json) json_object_set_new(REPORT(c), "inSync", json_true());
        seed = p->created && !a->skip_seed;
        goto done;
    }
    if (zm_weigh_data_loss(c->db, d, c->command, &loss, &blocked) != 0) {
        rc = 1;
        goto done;
    }
    if (blocked.len && !a->create_only) {
        rc = mg_fail(c, NULL,
                     "these changes cannot be executed on the data in the database:\n\n%s\n"
                     "Nothing was changed. Use zmc migrate dev --create-only to write the migration, edit it "
                     "(e.g. fill the column, or give it a default), then run zmc migrate dev to apply it.",
                     blocked.data);
        goto done;
    }
    if (loss.len && !a->create_only && !a->accept) {
        bool yes = false;
        if (interactive(a->json)) {
            printf("\nWarnings for the current datasource:\n\n%s\n", loss.data);
            yes = confirm("Are you sure you want to create and apply this migration?");
        }
        if (!yes) {
            rc = mg_fail(c, NULL,
                         "applying the changes would lose data:\n\n%s\n"
                         "Nothing was changed. To create and apply the migration anyway: zmc migrate dev "
                         "--accept-data-loss (or --create-only to review it first)",
                         loss.data);
            goto done;
        }
    }

    /* The new migration. */
    char *name = NULL;
    if (!a->name && interactive(a->json)) {
        printf("Enter a name for the new migration: ");
        fflush(stdout);
        char line[256];
        if (fgets(line, sizeof line, stdin)) name = strndup(line, strcspn(line, "\r\n"));
    }
    folder = zm_migration_folder_name(a->name ? a->name : name ? name : "", &m);
    free(name);
    /* as Prisma writes it: the script `migrate diff --script` prints (an
       empty one says "-- This is an empty migration."), with the warnings */
    zm_rel_diff_render(d, true, zm_buf_write, &script);
    if ((rc = write_migration(c, folder, script.data, script.len, &path))) goto done;
    if ((rc = write_down(c, folder, p->model.rel, after.rel))) goto done;
    if (c->json) json_object_set_new(REPORT(c), "created", json_string(folder));
    zm_migration made = {.name = folder, .path = path, .script = script.data, .len = script.len};
    zm_sha256_hex(made.script, made.len, made.checksum);
    /* what migrate lint would say of it, before it runs anywhere else */
    if (!a->no_lint) zm_lint_new_migration(c, &made, after.rel, p->model.rel);
    if (a->create_only) {
        mg_say(c, "\nCreated the migration %s without applying it.\nYou can now edit it and apply it by running "
                  "zmc migrate dev.\n", path);
        goto done;
    }
    zm_migrations one = {.items = &made, .count = 1};
    zm_history none = {0};
    size_t n = 0;
    rc = zm_migrate_apply_pending(c, &one, &none, &n);
    if (rc) goto done;
    mg_say(c, "\nThe following migration has been created and applied from new schema changes:\n\n"
              "  └─ %s/migration.sql\n\nYour database is now in sync with your schema.\n", folder);
    if (loss.len) mg_say(c, "\nApplied with data loss:\n%s", loss.data);
    if (c->json) json_object_set_new(REPORT(c), "inSync", json_true());
    /* a database this command created gets the project's seed, as Prisma's dev */
    seed = p->created && !a->skip_seed;
done:
    zm_db_error_clear(&err);
    zm_db_unlock(c->db, &err);
    zm_db_error_clear(&err);
    if (seed && !rc) rc = zm_seed_run(c, false);
    zm_rel_diff_free(d);
    zm_side_free(&live);
    zm_side_free(&after);
    zm_side_free(&shadow);      /* after live and after: they may borrow its extensions */
    zm_buf_free(&why);
    zm_buf_free(&loss);
    zm_buf_free(&blocked);
    zm_buf_free(&script);
    free(folder);
    free(path);
    zm_history_free(&h);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}

static int migrate_reset(zm_project *p, zm_migrate_ctx *c, const dev_args *a)
{
    mg_begin(c, "reset");
    mg_lists(c, "applied", NULL);
    zm_buf db = ZM_BUF_INIT;
    describe_database(p, &db);
    int rc = 0;
    if (!a->force) {
        if (!interactive(a->json)) {
            rc = mg_fail(c, NULL, "resetting drops all data in %s: pass --force to confirm (there is no terminal "
                                  "to ask)", db.data);
        } else if (!confirm("Are you sure you want to reset your database? All data will be lost.")) {
            rc = mg_fail(c, NULL, "reset cancelled; nothing was changed");
        }
    }
    zm_buf_free(&db);
    if (rc) return mg_end(c, rc);
    zm_migrations m;
    if (mg_read_folder(c, &m)) return mg_end(c, 1);
    zm_db_error err = {0};
    zm_history none = {0};
    size_t applied = 0;
    if (zm_db_lock(c->db, c->lock_timeout_ms, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "taking the migration lock", &err);
    } else if (zm_project_reset(p, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "resetting the database", &err);
    } else if (zm_history_create(c->db, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "creating _prisma_migrations", &err);
    } else {
        mg_say(c, "Database reset successful\n");
        rc = zm_migrate_apply_pending(c, &m, &none, &applied);
        if (!rc)
            zm_migrate_print_applied(c, &m, &none, applied,
                                     applied == 1 ? "The following migration has been applied:"
                                                  : "The following migrations have been applied:");
    }
    zm_db_error_clear(&err);
    zm_db_unlock(c->db, &err);
    zm_db_error_clear(&err);
    /* the seed once the lock is released: it writes through its own connection */
    if (!rc && !a->skip_seed) rc = zm_seed_run(c, false);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}

static int run(bool dev, int argc, char **argv)
{
    const char *command = dev ? "zmc migrate dev" : "zmc migrate reset";
    const char *word = dev ? "dev" : "reset";
    dev_args a = {0};
    int status = parse(command, argc, argv, &a, dev);
    if (status) return mg_report_early(word, argc, argv, status, "usage error: the details are on stderr");
    a.project.writes = true;
    zm_project p;
    if ((status = zm_project_open(&p, command, &a.project)))
        return mg_report_early(word, argc, argv, status, zm_project_last_error());
    zm_migrate_ctx c = zm_project_migrate_ctx(&p, a.json);
    status = dev ? migrate_dev(&p, &c, &a) : migrate_reset(&p, &c, &a);
    zm_project_close(&p);
    return status;
}

int zm_migrate_dev_cmd(int argc, char **argv) { return run(true, argc, argv); }
int zm_migrate_reset_cmd(int argc, char **argv) { return run(false, argc, argv); }
