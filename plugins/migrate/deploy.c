/*
** deploy.c — `zmc migrate deploy`: apply the pending migrations of the
** folder, in name order, the command CI and production run. It never
** generates a migration, never resets, never prompts.
**
** As Prisma Migrate: under the migration lock; a database with tables but
** no history is refused (it needs a baseline, P3005); an unresolved failed
** migration stops everything (P3009); the first migration the database
** refuses stops the run (P3018). Beyond Prisma: each migration and its
** record are applied whole or not at all, on SQLite too, even when the
** process is killed (PostgreSQL: a transaction each; SQLite: a savepoint
** each in one transaction per run); and an applied migration whose file
** was edited since is refused unless --allow-modified.
*/
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate_int.h"
#include "stop.h"
#include "zmc/buf.h"

int mg_read_folder(zm_migrate_ctx *c, zm_migrations *m)
{
    char *error = NULL;
    if (zm_migrations_read(c->migrations_dir, m, &error) != 0) {
        mg_fail(c, "P3015", "%s", error ? error : "cannot read the migrations folder");
        free(error);
        return 1;
    }
    char *locked = zm_lock_file_provider(c->migrations_dir);
    int rc = 0;
    if (locked && c->provider && strcmp(locked, c->provider) != 0)
        rc = mg_fail(c, "P3019",
                     "the datasource provider `%s` does not match `%s`, the provider of the migrations in %s "
                     "(migration_lock.toml). Migrations are written for one database: start a new history for "
                     "`%s` in another folder, or use the provider they were written for",
                     c->provider, locked, c->migrations_dir, c->provider);
    free(locked);
    if (rc) zm_migrations_free(m);
    return rc;
}

/* The history table there, or created on an empty database (else P3005). */
static int init_history(zm_migrate_ctx *c, zm_history *h)
{
    zm_db_error err = {0};
    int rc = 0;
    if (zm_history_read(c->db, h, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "reading _prisma_migrations", &err);
    } else if (!h->exists) {
        bool empty = false;
        if (zm_history_database_is_empty(c->db, c->model, &empty, &err) != ZM_DB_OK)
            rc = mg_fail_db(c, "reading the database", &err);
        else if (!empty)
            rc = mg_fail(c, "P3005",
                         "the database schema is not empty and has no migration history (_prisma_migrations). "
                         "To start managing it, baseline it: make its current schema the first migration "
                         "(zmc migrate diff --from-empty --to-url ... --script > <folder>/migration.sql) and "
                         "mark that as applied (zmc migrate resolve --applied <folder>)");
        else if (zm_history_create(c->db, &err) != ZM_DB_OK)
            rc = mg_fail_db(c, "creating _prisma_migrations", &err);
    }
    zm_db_error_clear(&err);
    return rc;
}

/* P3009: a failed migration must be resolved first. */
static int refuse_failed(zm_migrate_ctx *c, const zm_history *h)
{
    zm_buf why = ZM_BUF_INIT;
    size_t n = 0;
    for (size_t i = 0; i < h->count; i++) {
        const zm_history_row *r = &h->rows[i];
        if (!zm_history_row_failed(r)) continue;
        n++;
        mg_list(c, "failed", r->name);
        zm_buf_printf(&why, "\nThe `%s` migration started at %s failed", r->name, r->started_at ? r->started_at : "?");
        if (r->logs && *r->logs) zm_buf_printf(&why, " with the following logs:\n%s\n", r->logs);
        else zm_buf_puts(&why, ".\n");
    }
    int rc = 0;
    if (n)
        rc = mg_fail(c, "P3009",
                     "found failed migrations in the database; new migrations will not be applied.\n%s\n"
                     "Fix the database, then mark the migration with `zmc migrate resolve --rolled-back NAME` "
                     "(to run it again) or `--applied NAME` (if you applied it by hand).",
                     why.data);
    zm_buf_free(&why);
    return rc;
}

/* Applied migrations whose file changed since (line endings aside). */
static int refuse_modified(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h)
{
    zm_buf names = ZM_BUF_INIT;
    for (size_t i = 0; i < m->count; i++) {
        const zm_history_row *r = zm_history_find(h, m->items[i].name);
        if (!r || !r->finished || zm_checksum_matches(&m->items[i], r->checksum)) continue;
        mg_list(c, "modified", m->items[i].name);
        zm_buf_printf(&names, "\n  %s", m->items[i].name);
    }
    int rc = 0;
    if (names.len && !c->ignore_checksums)
        rc = mg_fail(c, NULL,
                     "these migrations were modified after they were applied:%s\n\n"
                     "The database has what the files said when they ran. Restore the files (git), or, if the "
                     "edit changes nothing in the database (a comment), pass --allow-modified.",
                     names.data);
    else if (names.len)
        mg_say(c, "Applied migrations modified since (allowed by --allow-modified):%s\n", names.data);
    zm_buf_free(&names);
    return rc;
}

static void log_text(const zm_db_error *err, zm_buf *logs)
{
    char *message = zm_db_mask_passwords(err->message ? err->message : "unknown database error");
    if (err->code) zm_buf_printf(logs, "Database error code: %s\n\n", err->code);
    zm_buf_printf(logs, "Database error:\n%s\n", message ? message : "");
    if (err->statement) zm_buf_printf(logs, "\nStatement:\n%s\n", err->statement);
    free(message);
}

/* Each migration with its record, as the dialect allows:
   - ZMC_DIALECT_BATCH_APPLY (SQLite): the whole run is one transaction and
     each migration a savepoint in it. Each migration is still all or
     nothing, and a failed one is recorded after its savepoint is rolled
     back; but the file is synced once at COMMIT instead of several times
     per migration. A crash before COMMIT leaves the database as it was
     before the run, which the next deploy simply redoes.
   - ZMC_DIALECT_TRANSACTIONAL_DDL (PostgreSQL): each migration in a
     transaction of its own (Prisma's enum changes commit on their own),
     except a migration holding what the database refuses inside one
     (CREATE INDEX CONCURRENTLY, VACUUM, an enum value added and used; the
     dialect's parser finds them): that one runs statement by statement, as
     below, and the report says why.
   - neither (MySQL, whose DDL commits itself): statement by statement; a
     failure leaves the statements before it applied, and the report says
     which ran, which failed and how to resolve it (as Prisma's P3018). */
/* What the failing statement (the one after `done` of `total`) leaves
   behind when it fails, from the dialect's parser: "line 3, CREATE INDEX
   CONCURRENTLY: when it fails, ...". Malloc'ed, or NULL. */
static char *failing_hint(const zmc_dialect *d, const char *script, size_t done, size_t total)
{
    zmc_sql_analysis *a = NULL;
    zm_db_error err = {0};
    char *hint = NULL;
    if (zm_db_script_analyse(d, script, &a, &err) == ZM_DB_OK && a->count == total) {
        const zmc_sql_statement *s = zmc_sql_statement_at(a, done);
        if (s && s->hint && asprintf(&hint, "line %u, %s: %s", s->line, s->kind, s->hint) < 0) hint = NULL;
    }
    zm_db_error_clear(&err);
    zm_db_analysis_free(d, a);
    return hint;
}

int zm_migrate_apply_pending(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h, size_t *applied)
{
    zm_db_error err = {0};
    int rc = 0;
    *applied = 0;
    size_t pending = 0;
    for (size_t i = 0; i < m->count; i++) pending += zm_history_find(h, m->items[i].name) == NULL;
    const zmc_dialect *d = zm_db_dialect(c->db);
    bool batch = (d->features & ZMC_DIALECT_BATCH_APPLY) && pending > 0;
    if (batch && zm_db_begin_migrations(c->db, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "starting the migrations' transaction", &err);
        zm_db_error_clear(&err);
        return rc;
    }
    zm_stop_catch(c->db);
    for (size_t i = 0; i < m->count && !rc && !zm_stop_requested(); i++) {
        const zm_migration *mi = &m->items[i];
        if (zm_history_find(h, mi->name)) continue;
        zm_db_migration_plan plan = {0};
        if (!batch) zm_db_plan_migration(c->db, mi->script, &plan);
        bool outside = plan.why[0] != '\0', in_transaction = !plan.stepwise;
        mg_say(c, "%sApplying migration `%s`%s%s%s\n", *applied ? "" : "\n", mi->name,
               outside ? " outside a transaction (" : "", plan.why, outside ? ")" : "");
        char *record = zm_history_applied_sql(c->db, mi);
        free(zm_db_take_notes(c->db));  /* what ran before this migration is not its */
        zm_db_status st = batch ? zm_db_apply_in_savepoint(c->db, mi->script, record, &err)
                                : zm_db_apply_migration(c->db, mi->script, record, &plan, &err);
        free(record);
        size_t done = plan.done, total = plan.total;
        /* what the driver saw (Galera: how long the DDL held the cluster) */
        char *notes = zm_db_take_notes(c->db);
        if (notes) {
            mg_say(c, "  %s\n", notes);
            if (c->json) {
                json_t *all = json_object_get(REPORT(c), "notes");
                if (!all) json_object_set_new(REPORT(c), "notes", all = json_array());
                json_array_append_new(all, json_pack("{s:s, s:s}", "migration", mi->name, "note", notes));
            }
            free(notes);
        }
        if (st == ZM_DB_OK) {
            ++*applied;
            mg_list(c, "applied", mi->name);
            continue;
        }
        if (zm_stop_requested() > 1 && in_transaction && !batch) {
            /* cancelled by a second interrupt and rolled back whole: no
               failure to record, it is simply still pending */
            rc = mg_fail(c, NULL,
                         "migration `%s` was interrupted and rolled back, so the database is as it was before it; "
                         "it is still pending",
                         mi->name);
            break;
        }
        /* why the statements before the failing one stay */
        zm_buf stays = ZM_BUF_INIT;
        if (outside) zm_buf_printf(&stays, "It runs outside a transaction (%s)", plan.why);
        else zm_buf_printf(&stays, "%s DDL commits as it runs", d->display_name);
        char *hint = outside && total > 0 ? failing_hint(d, mi->script, done, total) : NULL;
        zm_buf logs = ZM_BUF_INIT;
        log_text(&err, &logs);
        /* statement by statement, and it got to run (not refused before) */
        bool partial = !in_transaction && total > 0;
        if (partial)
            zm_buf_printf(&logs, "\nFailed at statement %zu of %zu; the %zu before it stay applied. %s.\n", done + 1,
                          total, done, stays.data);
        if (hint) zm_buf_printf(&logs, "\nNote: %s.\n", hint);
        zm_db_error rec = {0};
        bool recorded = zm_history_record_failure(c->db, mi, logs.data, &rec) == ZM_DB_OK;
        if (!recorded) mg_fail_db(c, "recording the failure in _prisma_migrations", &rec);
        zm_db_error_clear(&rec);
        zm_buf_free(&logs);
        if (c->json) json_object_set_new(REPORT(c), "failedMigration", json_string(mi->name));
        zm_buf what = ZM_BUF_INIT;
        if (in_transaction)
            zm_buf_printf(&what,
                          "migration `%s` failed to apply; it was rolled back, so the database is as it was before "
                          "it (P3018)",
                          mi->name);
        else if (!partial)
            zm_buf_printf(&what, "migration `%s` failed to apply; nothing of it was run (P3018)", mi->name);
        else
            zm_buf_printf(&what,
                          "migration `%s` failed to apply at statement %zu of %zu (P3018). %s, so %s",
                          mi->name, done + 1, total, stays.data,
                          done == 0 ? "nothing of it was applied"
                          : done == 1 ? "its first statement stays applied"
                                      : "the statements before it stay applied");
        rc = mg_fail_db(c, what.data, &err);
        zm_buf_free(&what);
        zm_buf_free(&stays);
        if (!c->json && hint) fprintf(stderr, "\nNote: %s.\n", hint);
        free(hint);
        if (c->json && partial) {
            json_object_set_new(REPORT(c), "appliedStatements", json_integer((json_int_t)done));
            json_object_set_new(REPORT(c), "statementCount", json_integer((json_int_t)total));
        }
        if (!c->json && partial && done > 0) {
            char ran[64];
            if (done == 1) snprintf(ran, sizeof ran, "Statement 1");
            else snprintf(ran, sizeof ran, "Statements 1 to %zu", done);
            fprintf(stderr,
                    "\n%s of %s %s applied and cannot be rolled back. Either undo %s by hand and fix the "
                    "migration, then run\n  zmc migrate resolve --rolled-back %s\nor finish the migration by hand "
                    "(statements %zu to %zu), then run\n  zmc migrate resolve --applied %s\n",
                    ran, mi->path, done == 1 ? "was" : "were", done == 1 ? "it" : "them", mi->name, done + 1, total,
                    mi->name);
        }
        else if (!c->json && recorded)
            fprintf(stderr,
                    "\nIt is recorded as failed. Fix %s, then run `zmc migrate resolve --rolled-back %s` and try "
                    "again.\n",
                    mi->path, mi->name);
        else if (!c->json)
            fprintf(stderr,
                    "\nNothing was recorded either (the database took no write). Fix the cause, then run the "
                    "command again.\n");
    }
    if (batch) {
        zm_db_error_clear(&err);
        if (zm_db_end_migrations(c->db, &err) != ZM_DB_OK) {
            rc = mg_fail_db(c, "committing the migrations (none of this run was applied)", &err);
            *applied = 0;
        }
    }
    zm_stop_release();
    if (!rc && zm_stop_requested() && *applied < pending)
        rc = mg_fail(c, NULL,
                     "interrupted: %zu of the %zu pending migrations %s applied; the other %zu %s still pending: "
                     "run the command again to apply %s",
                     *applied, pending, *applied == 1 ? "was" : "were", pending - *applied,
                     pending - *applied == 1 ? "is" : "are", pending - *applied == 1 ? "it" : "them");
    zm_db_error_clear(&err);
    return rc;
}

void zm_migrate_print_applied(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h, size_t applied,
                              const char *header)
{
    if (!applied) return;
    mg_say(c, "\n%s\n\n", header);
    for (size_t i = 0, k = 0; i < m->count && k < applied; i++) {
        if (zm_history_find(h, m->items[i].name)) continue;
        mg_say(c, "  %s %s/migration.sql\n", ++k == applied ? "└─" : "├─", m->items[i].name);
    }
}

int zm_migrate_deploy(zm_migrate_ctx *c)
{
    mg_begin(c, "deploy");
    mg_lists(c, "applied", NULL);
    zm_migrations m;
    if (mg_read_folder(c, &m)) return mg_end(c, 1);
    mg_say(c, "%zu migration%s found in %s\n", m.count, m.count == 1 ? "" : "s", c->migrations_dir);
    if (c->json) json_object_set_new(REPORT(c), "found", json_integer((json_int_t)m.count));

    zm_history h = {0};
    zm_db_error err = {0};
    int rc = 0;
    size_t applied = 0;
    if (zm_db_lock(c->db, c->lock_timeout_ms, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "taking the migration lock", &err);
        goto done;
    }
    if ((rc = init_history(c, &h)) || (rc = refuse_failed(c, &h)) || (rc = refuse_modified(c, &m, &h))) goto done;
    zm_say_out_of_order(c, &m, &h, true);
    if ((rc = zm_migrate_apply_pending(c, &m, &h, &applied))) goto done;
    if (!applied) {
        mg_say(c, "\nNo pending migrations to apply.\n");
    } else {
        zm_migrate_print_applied(c, &m, &h, applied,
                                 applied == 1 ? "The following migration has been applied:"
                                              : "The following migrations have been applied:");
        mg_say(c, "\nAll migrations have been successfully applied.\n");
    }
done:
    zm_db_error_clear(&err);
    zm_db_unlock(c->db, &err);
    zm_db_error_clear(&err);
    zm_history_free(&h);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}
