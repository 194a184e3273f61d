/*
** down.c — `zmc migrate down`: revert the latest applied migrations, newest
** first, each with the removal of its record.
**
** A migration's way back is the down.sql beside it (migrate dev writes one)
** or, for a migration without one (Prisma's, or written by hand), the
** script the diff gives from the schema the history builds with it to the
** schema it builds without it. Either way the history is replayed in the
** shadow first, as migrate dev does: the schema before and after each
** reverted migration is known. What a revert would lose is weighed against
** the data (as migrate dev weighs its changes) and refused without
** --accept-data-loss. Each down script runs with the DELETE of its record,
** as deploy runs a migration with its INSERT: in one transaction where the
** dialect's DDL is transactional. Afterwards the database is read back and
** compared with the history replayed up to the migration that stays; a
** difference is reported as drift.
*/
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dataloss.h"
#include "migrate.h"
#include "migrate_int.h"
#include "project.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"
#include "zmc/diff.h"

const char zm_migrate_down_usage[] =
    "usage: zmc migrate down [--count N | --to NAME] [--accept-data-loss] [--schema PATH]\n"
    "                        [--migrations DIR] [--json] [--zenstack 2|3]\n"
    "\n"
    "Revert the latest applied migrations, newest first: each one's down.sql (migrate\n"
    "dev writes it), or, without one, the change back computed from the history. Each\n"
    "revert runs with the removal of its _prisma_migrations row, in one transaction\n"
    "where the database allows. Afterwards the database must equal the history\n"
    "replayed up to the migration that stays.\n"
    "\n"
    "  --count N            revert the N latest applied migrations (default 1)\n"
    "  --to NAME            revert every migration applied after NAME (NAME stays)\n"
    "  --accept-data-loss   revert even when it drops tables or columns that hold data\n"
    "\n"
    "Exit status: 0 reverted, 1 refused or failed, 2 usage error, 3 cannot connect.\n";

/* The way back of migration k: its down.sql, or the diff from its schema to
   the one before it, rendered. Malloc'ed. */
static char *down_script(const zm_migration *m, const zm_rel_diff *back, bool *computed)
{
    *computed = m->down == NULL;
    if (m->down) return strdup(m->down);
    zm_buf b = ZM_BUF_INIT;
    zm_rel_diff_render(back, true, zm_buf_write, &b);
    return b.data ? b.data : strdup("");
}

static int revert(zm_migrate_ctx *c, const zm_project *p, const zm_migration *m, const zm_rel_schema *from,
                  const zm_rel_schema *to, bool accept)
{
    zm_rel_diff *back = zm_rel_diff_new(from, to);
    if (!back) return mg_fail(c, NULL, "out of memory");
    zm_buf loss = ZM_BUF_INIT, blocked = ZM_BUF_INIT;
    int rc = 0;
    if (zm_weigh_data_loss(p->db, back, c->command, &loss, &blocked) != 0) {
        rc = 1;
    } else if (blocked.len) {
        rc = mg_fail(c, NULL, "reverting `%s` cannot run on the data in the database:\n\n%s\nNothing of it was run.",
                     m->name, blocked.data);
    } else if (loss.len && !accept) {
        rc = mg_fail(c, NULL,
                     "reverting `%s` would lose data:\n\n%s\nNothing of it was run. To revert it anyway: zmc migrate down "
                     "--accept-data-loss",
                     m->name, loss.data);
    }
    if (!rc) {
        bool computed;
        char *script = down_script(m, back, &computed);
        char *record = zm_history_removed_sql(p->db, m->name);
        zm_db_error err = {0};
        mg_say(c, "Reverting migration `%s`%s\n", m->name, computed ? " (its down computed from the history)" : "");
        zm_db_migration_plan plan;
        zm_db_plan_migration(p->db, script, &plan);
        zm_db_status st = zm_db_apply_migration(p->db, script, record, &plan, &err);
        if (st != ZM_DB_OK) {
            char what[768], cause[320];
            if (plan.why[0]) snprintf(cause, sizeof cause, "it runs outside a transaction (%s)", plan.why);
            else snprintf(cause, sizeof cause, "%s DDL commits as it runs", zm_db_dialect(p->db)->display_name);
            if (!plan.stepwise || !plan.total)
                snprintf(what, sizeof what, "reverting migration `%s` failed; the database is as it was before it",
                         m->name);
            else
                snprintf(what, sizeof what,
                         "reverting migration `%s` failed at statement %zu of %zu; %s, so the statements before it "
                         "stay applied and the migration is still recorded as applied",
                         m->name, plan.done + 1, plan.total, cause);
            rc = mg_fail_db(c, what, &err);
        } else {
            mg_list(c, "reverted", m->name);
        }
        zm_db_error_clear(&err);
        free(script);
        free(record);
    }
    zm_buf_free(&loss);
    zm_buf_free(&blocked);
    zm_rel_diff_free(back);
    return rc;
}

/* The database against the history replayed up to the migration that
   stays: equal, or drift. */
static int verify(zm_migrate_ctx *c, const zm_project *p, const zm_rel_schema *expected, const char *stays)
{
    zm_side live = {0};
    int rc = zm_side_from_db(&live, p->db, p->model.rel);
    if (rc) return rc;
    zm_rel_diff *d = zm_rel_diff_new(expected, live.rel);
    if (d && !zm_rel_diff_is_empty(d)) {
        zm_buf sql = ZM_BUF_INIT;
        zm_rel_diff_render(d, false, zm_buf_write, &sql);
        rc = mg_fail(c, NULL,
                     "after the revert the database differs from the migrations replayed up to %s%s%s; what would "
                     "make it equal:\n\n%s",
                     stays ? "`" : "", stays ? stays : "none", stays ? "`" : "", sql.data ? sql.data : "");
        zm_buf_free(&sql);
    }
    zm_rel_diff_free(d);
    zm_side_free(&live);
    return rc;
}

static int migrate_down(zm_project *p, zm_migrate_ctx *c, long count, const char *to, bool accept)
{
    mg_begin(c, "down");
    mg_lists(c, "reverted", NULL);
    zm_migrations m = {0};
    zm_history h = {0};
    zm_db_error err = {0};
    int rc = 0;
    if (zm_db_lock(p->db, c->lock_timeout_ms, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "taking the migration lock", &err);
        zm_db_error_clear(&err);
        return mg_end(c, rc);
    }
    if ((rc = mg_read_folder(c, &m))) goto done;
    if (zm_history_read(p->db, &h, &err) != ZM_DB_OK) {
        rc = mg_fail_db(c, "reading _prisma_migrations", &err);
        goto done;
    }
    /* the applied migrations, in order; each must be in the folder */
    size_t napplied = 0;
    const zm_migration **applied = calloc(m.count + 1, sizeof *applied);
    const char **names = calloc(m.count + 1, sizeof *names), **scripts = calloc(m.count + 1, sizeof *scripts);
    zm_rel_schema **states = calloc(m.count + 1, sizeof *states);
    if (!applied || !names || !scripts || !states) {
        rc = mg_fail(c, NULL, "out of memory");
        goto free_lists;
    }
    for (size_t i = 0; i < h.count && !rc; i++) {
        const zm_history_row *r = &h.rows[i];
        if (zm_history_row_failed(r)) rc = mg_fail(c, NULL, "migration `%s` failed and is not resolved: resolve it "
                                                            "first (zmc migrate resolve)", r->name);
        else if (r->finished && !r->rolled_back && !zm_migrations_find(&m, r->name))
            rc = mg_fail(c, NULL, "migration `%s` is applied but not in %s: it cannot be reverted without its file",
                         r->name, c->migrations_dir);
    }
    for (size_t i = 0; i < m.count && !rc; i++) {
        const zm_history_row *r = zm_history_find(&h, m.items[i].name);
        if (!r || !r->finished) continue;
        applied[napplied] = &m.items[i];
        names[napplied] = m.items[i].name;
        scripts[napplied++] = m.items[i].script;
    }
    size_t keep = napplied;     /* the migrations that stay applied: applied[0..keep) */
    if (!rc && to) {
        size_t i = 0;
        while (i < napplied && strcmp(applied[i]->name, to) != 0) i++;
        if (i == napplied) rc = mg_fail(c, NULL, "`%s` is not an applied migration", to);
        else keep = i + 1;
    } else if (!rc) {
        keep = (size_t)count > napplied ? 0 : napplied - (size_t)count;
    }
    if (!rc && keep == napplied) {
        mg_say(c, "No migration to revert.\n");
        goto free_lists;
    }
    /* the schema after each applied migration from the one that stays on */
    if (!rc) {
        bool *want = calloc(napplied + 1, sizeof *want);
        for (size_t i = keep ? keep - 1 : 0; want && i < napplied; i++) want[i] = true;
        zm_side shadow = {0};
        zm_replay_states cap = {.want = want, .states = states};
        rc = want ? zm_project_replay(p, names, scripts, napplied, &shadow, &cap) : mg_fail(c, NULL, "out of memory");
        zm_side_free(&shadow);
        free(want);
    }
    zm_rel_schema *empty = rc ? NULL : zm_rel_empty(p->model.dialect);
    for (size_t k = napplied; !rc && k-- > keep;)
        rc = revert(c, p, applied[k], states[k], k ? states[k - 1] : empty, accept);
    if (!rc) rc = verify(c, p, keep ? states[keep - 1] : empty, keep ? applied[keep - 1]->name : NULL);
    if (!rc)
        mg_say(c, "\nReverted %zu migration%s; %s.\n", napplied - keep, napplied - keep == 1 ? "" : "s",
               keep ? "the database is as the migrations up to the one that stays build it"
                    : "the database is as before the first migration");
    zm_rel_free(empty);
free_lists:
    for (size_t i = 0; states && i < m.count; i++) zm_rel_free(states[i]);
    free(states);
    free(names);
    free(scripts);
    free(applied);
done:
    zm_db_error_clear(&err);
    zm_db_unlock(p->db, &err);
    zm_db_error_clear(&err);
    zm_history_free(&h);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}

int zm_migrate_down_cmd(int argc, char **argv)
{
    zm_project_options o = {.writes = true};
    const char *count_text = NULL, *to = NULL, *level = NULL;
    bool accept = false, json = false;
    int status = 0;
    for (int i = 1; i < argc && !status; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &o.schema, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--migrations", &o.migrations, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--count", &count_text, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--to", &to, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--zenstack", &level, &status)) {
            if (!status && !(o.level = zm_arg_level(level))) status = ZM_EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--accept-data-loss") == 0) accept = true;
        else if (strcmp(argv[i], "--json") == 0) json = true;
        else {
            fprintf(stderr, "zmc migrate down: error: unknown argument '%s'\n\n%s", argv[i], zm_migrate_down_usage);
            status = ZM_EXIT_USAGE;
        }
    }
    char *end = NULL;
    long count = count_text ? strtol(count_text, &end, 10) : 1;
    if (!status && count_text && (!*count_text || *end || count < 1)) {
        fprintf(stderr, "zmc migrate down: error: --count needs a number of migrations, not '%s'\n", count_text);
        status = ZM_EXIT_USAGE;
    }
    if (!status && count_text && to) {
        fprintf(stderr, "zmc migrate down: error: give --count or --to, not both\n");
        status = ZM_EXIT_USAGE;
    }
    if (status) return mg_report_early("down", argc, argv, status, "usage error: the details are on stderr");
    o.quiet = json;
    zm_project p;
    if ((status = zm_project_open(&p, "zmc migrate down", &o)))
        return mg_report_early("down", argc, argv, status, zm_project_last_error());
    zm_migrate_ctx c = zm_project_migrate_ctx(&p, json);
    status = migrate_down(&p, &c, count, to, accept);
    zm_project_close(&p);
    return status;
}
