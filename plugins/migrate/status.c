/*
** status.c — `zmc migrate status` (is the database's history the folder's?)
** and `zmc migrate resolve` (mark a migration applied or rolled back by
** hand), as Prisma Migrate does them.
**
** status reads only: no lock, no shadow database, no change. Beyond Prisma
** it also names applied migrations whose file was edited since.
*/
#include <stdlib.h>
#include <string.h>

#include "migrate_int.h"
#include "zmc/buf.h"

/* "  a\n  b\n" of the names, for messages. */
static void add_name(zm_buf *b, const char *name) { zm_buf_printf(b, "  %s\n", name); }

int zm_migrate_status(zm_migrate_ctx *c)
{
    mg_begin(c, "status");
    mg_lists(c, "applied", "pending", "failed", "modified", "missingLocally", NULL);
    zm_migrations m;
    if (mg_read_folder(c, &m)) return mg_end(c, 1);
    mg_say(c, "%zu migration%s found in %s\n\n", m.count, m.count == 1 ? "" : "s", c->migrations_dir);
    if (c->json) json_object_set_new(REPORT(c), "found", json_integer((json_int_t)m.count));

    zm_history h = {0};
    zm_db_error err = {0};
    int rc = 0;
    if (zm_history_read(c->db, &h, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "reading _prisma_migrations", &err);
        goto done;
    }
    if (c->json) json_object_set_new(REPORT(c), "managed", json_boolean(h.exists));
    if (!h.exists) {
        bool empty = true;
        if (zm_history_database_is_empty(c->db, c->model, &empty, &err) != ZM_DB_OK) {
            rc = mg_fail_db(c, "reading the database", &err);
            goto done;
        }
        for (size_t i = 0; i < m.count; i++) mg_list(c, "pending", m.items[i].name);
        if (!m.count && empty) {
            mg_say(c, "The database is empty and there are no migrations.\n");
            goto done;
        }
        mg_say(c, "The database is not managed by migrations yet (it has no _prisma_migrations table).\n");
        if (empty)
            mg_say(c, "\nTo apply the migrations: zmc migrate deploy\n");
        else if (m.count)
            mg_say(c, "\nIf it already has the schema of the first migration, baseline it:\n"
                      "  zmc migrate resolve --applied %s\nthen apply the rest with zmc migrate deploy.\n",
                   m.items[0].name);
        rc = 1;
        goto done;
    }

    zm_buf failed = ZM_BUF_INIT, modified = ZM_BUF_INIT, missing = ZM_BUF_INIT, pending = ZM_BUF_INIT;
    for (size_t i = 0; i < h.count; i++) {
        const zm_history_row *r = &h.rows[i];
        if (zm_history_row_failed(r)) {
            add_name(&failed, r->name);
            mg_list(c, "failed", r->name);
        }
        /* once per name: the row that counts */
        if (r->rolled_back || zm_history_find(&h, r->name) != r) continue;
        const zm_migration *mi = zm_migrations_find(&m, r->name);
        if (!mi) {
            add_name(&missing, r->name);
            mg_list(c, "missingLocally", r->name);
        } else if (r->finished && !zm_checksum_matches(mi, r->checksum)) {
            add_name(&modified, r->name);
            mg_list(c, "modified", r->name);
        }
    }
    for (size_t i = 0; i < m.count; i++) {
        const zm_history_row *r = zm_history_find(&h, m.items[i].name);
        if (r) {
            if (r->finished) mg_list(c, "applied", m.items[i].name);
            continue;
        }
        add_name(&pending, m.items[i].name);
        mg_list(c, "pending", m.items[i].name);
    }
    if (failed.len) {
        mg_say(c,
               "These migrations failed to apply:\n%s\n"
               "Fix the database, then mark each with `zmc migrate resolve --rolled-back NAME` (to run it "
               "again) or `--applied NAME` (if you finished it by hand).\n\n",
               failed.data);
        rc = 1;
    }
    if (missing.len) {
        mg_say(c,
               "These migrations are applied to the database but missing from %s:\n%s\n"
               "The database's history and the folder diverge: restore the folders (git).\n\n",
               c->migrations_dir, missing.data);
        rc = 1;
    }
    if (modified.len) {
        mg_say(c,
               "These migrations were modified after they were applied:\n%s\n"
               "The database has what the files said when they ran: restore the files (git).\n\n",
               modified.data);
        rc = 1;
    }
    if (pending.len) {
        mg_say(c,
               "These migrations have not been applied yet:\n%s\n"
               "To apply them: zmc migrate deploy (or zmc migrate dev in development).\n",
               pending.data);
        zm_say_out_of_order(c, &m, &h, false);
        rc = 1;
    }
    if (!rc) mg_say(c, "Database schema is up to date!\n");
    zm_buf_free(&failed);
    zm_buf_free(&modified);
    zm_buf_free(&missing);
    zm_buf_free(&pending);
done:
    if (c->json && !json_object_get(REPORT(c), "error"))
        json_object_set_new(REPORT(c), "inSync", json_boolean(rc == 0));
    zm_db_error_clear(&err);
    zm_history_free(&h);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}

static int resolve_applied(zm_migrate_ctx *c, const zm_migrations *m, const char *name)
{
    const zm_migration *mi = zm_migrations_find(m, name);
    if (!mi)
        return mg_fail(c, "P3017", "there is no migration `%s` in %s (use the folder's whole name)", name,
                       c->migrations_dir);
    zm_history h = {0};
    zm_db_error err = {0};
    int rc = 0;
    if (zm_history_create(c->db, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "creating _prisma_migrations", &err);
    } else if (zm_history_read(c->db, &h, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "reading _prisma_migrations", &err);
    } else {
        const zm_history_row *r = zm_history_find(&h, name);
        if (r && r->finished)
            rc = mg_fail(c, "P3008", "the migration `%s` is already recorded as applied in the database", name);
        else if (zm_history_mark_applied(c->db, mi, &err) != ZM_DB_OK)
            rc = mg_fail_db(c, "recording the migration", &err);
        else
            mg_say(c, "Migration %s marked as applied.\n", name);
    }
    zm_db_error_clear(&err);
    zm_history_free(&h);
    return rc;
}

static int resolve_rolled_back(zm_migrate_ctx *c, const char *name)
{
    zm_history h = {0};
    zm_db_error err = {0};
    int rc = 0;
    if (zm_history_read(c->db, &h, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "reading _prisma_migrations", &err);
    } else {
        const zm_history_row *r = zm_history_find(&h, name);
        if (!r)
            rc = mg_fail(c, "P3011",
                         "the migration `%s` cannot be rolled back: it was never applied to the database", name);
        else if (!zm_history_row_failed(r))
            rc = mg_fail(c, "P3012",
                         "the migration `%s` cannot be rolled back: it is not in a failed state (it was applied)",
                         name);
        else if (zm_history_mark_rolled_back(c->db, r->id, &err) != ZM_DB_OK)
            rc = mg_fail_db(c, "recording the rollback", &err);
        else
            mg_say(c, "Migration %s marked as rolled back.\n", name);
    }
    zm_db_error_clear(&err);
    zm_history_free(&h);
    return rc;
}

int zm_migrate_resolve(zm_migrate_ctx *c, const char *applied, const char *rolled_back)
{
    mg_begin(c, "resolve");
    zm_migrations m;
    if (mg_read_folder(c, &m)) return mg_end(c, 1);
    zm_db_error err = {0};
    int rc;
    if (zm_db_lock(c->db, c->lock_timeout_ms, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "taking the migration lock", &err);
    } else {
        rc = applied ? resolve_applied(c, &m, applied) : resolve_rolled_back(c, rolled_back);
        zm_db_unlock(c->db, &err);
    }
    if (c->json && !rc) json_object_set_new(REPORT(c), applied ? "applied" : "rolledBack",
                                            json_string(applied ? applied : rolled_back));
    zm_db_error_clear(&err);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}
