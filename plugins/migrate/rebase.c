/*
** rebase.c — merge-safe history: migrations that arrived out of order, and
** `zmc migrate rebase` to move one after the newest.
**
** Two branches that each add a migration, merged, give a folder where the
** migration of one branch is older than a migration the other branch has
** already applied. Deploy (as Prisma's) applies it anyway, after the newer
** one: not where its name puts it, in an order nobody tested. status, dev
** and deploy say so; rebase moves it after the newest migration (a new
** timestamp, the same content) once it has checked that the two orders
** give the same database: the migrations it now follows touch none of the
** objects it touches (tables, columns, indexes, foreign keys, enums), read
** from the schemas the history replayed in the shadow builds, and the
** history in its new order replays cleanly.
*/
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "migrate.h"
#include "migrate_int.h"
#include "project.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"
#include "zmc/diff.h"

const char zm_migrate_rebase_usage[] =
    "usage: zmc migrate rebase NAME [--schema PATH] [--migrations DIR] [--json] [--zenstack 2|3]\n"
    "\n"
    "Move migration NAME, not yet applied, after the newest migration of the folder\n"
    "(a new timestamp, the same content): for a migration that arrived out of order,\n"
    "older than migrations already applied (two branches merged). It moves only when\n"
    "the two orders give the same database: the migrations it would follow touch none\n"
    "of the tables, columns, indexes, foreign keys and enums it touches, and the\n"
    "history in the new order replays cleanly in the shadow. Otherwise it stops and\n"
    "names the objects both touch.\n"
    "\n"
    "Exit status: 0 moved (or nothing to do), 1 they do not commute, 2 usage error,\n"
    "3 cannot connect.\n";

/* ---- out of order ----------------------------------------------------------------------- */

size_t zm_migrations_out_of_order(const zm_migrations *m, const zm_history *h, zm_buf *lines, const char **newest)
{
    *newest = NULL;
    for (size_t i = 0; i < m->count; i++) {
        const zm_history_row *r = zm_history_find(h, m->items[i].name);
        if (r && r->finished) *newest = m->items[i].name;
    }
    size_t n = 0;
    for (size_t i = 0; *newest && i < m->count && strcmp(m->items[i].name, *newest) < 0; i++) {
        if (zm_history_find(h, m->items[i].name)) continue;
        if (lines) zm_buf_printf(lines, "  - %s\n", m->items[i].name);
        n++;
    }
    return n;
}

void zm_say_out_of_order(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h, bool applies)
{
    zm_buf lines = ZM_BUF_INIT;
    const char *newest;
    size_t n = zm_migrations_out_of_order(m, h, &lines, &newest);
    if (n) {
        char *text = NULL;
        if (n == 1 && asprintf(&text,
                               "This pending migration is older than `%s`, the newest applied one: it arrived out of "
                               "order (two branches merged?):\n%s%s after `%s`, not where its name puts it: in an "
                               "order nobody has run before. If it commutes with the migrations after it, `zmc "
                               "migrate rebase NAME` moves it after the newest, once it has checked that.\n",
                               newest, lines.data, applies ? "It is applied" : "migrate deploy applies it",
                               newest) < 0)
            text = NULL;
        if (n > 1 && asprintf(&text,
                              "These %zu pending migrations are older than `%s`, the newest applied one: they arrived "
                              "out of order (two branches merged?):\n%s%s after `%s`, not where their names put them: "
                              "in an order nobody has run before. If they commute with the migrations after them, "
                              "`zmc migrate rebase NAME` moves each after the newest, once it has checked that.\n",
                              n, newest, lines.data, applies ? "They are applied" : "migrate deploy applies them",
                              newest) < 0)
            text = NULL;
        if (c->json) {
            json_t *list = json_array();
            for (size_t i = 0; i < m->count && strcmp(m->items[i].name, newest) < 0; i++)
                if (!zm_history_find(h, m->items[i].name)) json_array_append_new(list, json_string(m->items[i].name));
            json_object_set_new(REPORT(c), "outOfOrder", list);
        } else if (text) {
            mg_say(c, "\n%s\n", text);
        }
        free(text);
    }
    zm_buf_free(&lines);
}

/* ---- what a migration touches ---------------------------------------------------------- */

typedef enum object_kind { OBJ_TABLE, OBJ_COLUMN, OBJ_INDEX, OBJ_FOREIGN_KEY, OBJ_PRIMARY_KEY, OBJ_ENUM } object_kind;

typedef struct object {
    object_kind kind;
    char *table, *name;
} object;

typedef struct objects {
    object *items;
    size_t count;
} objects;

static void touch(objects *o, object_kind kind, const char *table, const char *name)
{
    object *items = realloc(o->items, (o->count + 1) * sizeof *items);
    if (!items) return;
    o->items = items;
    o->items[o->count++] = (object){kind, table ? strdup(table) : NULL, name ? strdup(name) : NULL};
}

static void objects_free(objects *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->items[i].table);
        free(o->items[i].name);
    }
    free(o->items);
    *o = (objects){0};
}

static bool same_text(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static bool same_column(const zm_rel_column *a, const zm_rel_column *b)
{
    return same_text(zm_rel_column_type(a), zm_rel_column_type(b)) &&
           zm_rel_column_is_nullable(a) == zm_rel_column_is_nullable(b) &&
           zm_rel_column_is_list(a) == zm_rel_column_is_list(b) &&
           zm_rel_column_is_autoincrement(a) == zm_rel_column_is_autoincrement(b) &&
           same_text(zm_rel_column_default_sql(a), zm_rel_column_default_sql(b));
}

static bool same_index(const zm_rel_index *a, const zm_rel_index *b)
{
    if (!a || !b) return a == b;
    if (zm_rel_index_kind_of(a) != zm_rel_index_kind_of(b) ||
        zm_rel_index_column_count(a) != zm_rel_index_column_count(b))
        return false;
    for (size_t i = 0; i < zm_rel_index_column_count(a); i++)
        if (!same_text(zm_rel_index_column_at(a, i), zm_rel_index_column_at(b, i))) return false;
    return true;
}

static bool same_fk(const zm_rel_fk *a, const zm_rel_fk *b)
{
    if (zm_rel_fk_column_count(a) != zm_rel_fk_column_count(b) ||
        !same_text(zm_rel_fk_ref_table(a), zm_rel_fk_ref_table(b)) ||
        zm_rel_fk_on_delete(a) != zm_rel_fk_on_delete(b) || zm_rel_fk_on_update(a) != zm_rel_fk_on_update(b))
        return false;
    for (size_t i = 0; i < zm_rel_fk_column_count(a); i++)
        if (!same_text(zm_rel_fk_column_at(a, i), zm_rel_fk_column_at(b, i)) ||
            !same_text(zm_rel_fk_ref_column_at(a, i), zm_rel_fk_ref_column_at(b, i)))
            return false;
    return true;
}

static const zm_rel_index *index_named(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; t && i < zm_rel_table_index_count(t); i++)
        if (same_text(zm_rel_index_name(zm_rel_table_index_at(t, i)), name)) return zm_rel_table_index_at(t, i);
    return NULL;
}

static const zm_rel_fk *fk_named(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; t && i < zm_rel_table_fk_count(t); i++)
        if (same_text(zm_rel_fk_name(zm_rel_table_fk_at(t, i)), name)) return zm_rel_table_fk_at(t, i);
    return NULL;
}

/* The parts of table `t` (in `a`) that `u` (its namesake in `b`, or NULL)
   lacks or has otherwise. */
static void table_changes(const zm_rel_table *t, const zm_rel_table *u, objects *o)
{
    const char *name = zm_rel_table_name(t);
    for (size_t i = 0; i < zm_rel_table_column_count(t); i++) {
        const zm_rel_column *c = zm_rel_table_column_at(t, i);
        const zm_rel_column *d = zm_rel_table_column_find(u, zm_rel_column_name(c));
        if (!d || !same_column(c, d)) touch(o, OBJ_COLUMN, name, zm_rel_column_name(c));
    }
    for (size_t i = 0; i < zm_rel_table_index_count(t); i++) {
        const zm_rel_index *x = zm_rel_table_index_at(t, i);
        if (!same_index(x, index_named(u, zm_rel_index_name(x)))) touch(o, OBJ_INDEX, name, zm_rel_index_name(x));
    }
    for (size_t i = 0; i < zm_rel_table_fk_count(t); i++) {
        const zm_rel_fk *k = zm_rel_table_fk_at(t, i), *l = fk_named(u, zm_rel_fk_name(k));
        if (!l || !same_fk(k, l)) touch(o, OBJ_FOREIGN_KEY, name, zm_rel_fk_name(k));
    }
    if (!same_index(zm_rel_table_primary_key(t), zm_rel_table_primary_key(u))) touch(o, OBJ_PRIMARY_KEY, name, NULL);
}

/* What differs between `a` and `b`, the schema before and after a migration. */
static void changes(const zm_rel_schema *a, const zm_rel_schema *b, objects *o)
{
    for (int pass = 0; pass < 2; pass++) {
        const zm_rel_schema *x = pass ? b : a, *y = pass ? a : b;
        for (size_t i = 0; i < zm_rel_table_count(x); i++) {
            const zm_rel_table *t = zm_rel_table_at(x, i);
            const zm_rel_table *u = zm_rel_table_find(y, zm_rel_table_namespace(t), zm_rel_table_name(t));
            if (!u) touch(o, OBJ_TABLE, zm_rel_table_name(t), NULL);
            else table_changes(t, u, o);
        }
        for (size_t i = 0; i < zm_rel_enum_count(x); i++) {
            const zm_rel_enum *e = zm_rel_enum_at(x, i), *f = NULL;
            for (size_t j = 0; j < zm_rel_enum_count(y) && !f; j++)
                if (same_text(zm_rel_enum_name(zm_rel_enum_at(y, j)), zm_rel_enum_name(e))) f = zm_rel_enum_at(y, j);
            bool same = f && zm_rel_enum_value_count(e) == zm_rel_enum_value_count(f);
            for (size_t k = 0; same && k < zm_rel_enum_value_count(e); k++)
                same = same_text(zm_rel_enum_value_at(e, k), zm_rel_enum_value_at(f, k));
            if (!same) touch(o, OBJ_ENUM, NULL, zm_rel_enum_name(e));
        }
    }
}

/* Do two objects collide: the same one, or a table and a part of it? */
static bool collide(const object *x, const object *y)
{
    if (x->kind == OBJ_ENUM || y->kind == OBJ_ENUM) return x->kind == y->kind && same_text(x->name, y->name);
    if (!same_text(x->table, y->table)) return false;
    if (x->kind == OBJ_TABLE || y->kind == OBJ_TABLE) return true;
    return x->kind == y->kind && same_text(x->name, y->name);
}

static void describe(const object *o, zm_buf *b)
{
    switch (o->kind) {
    case OBJ_TABLE: zm_buf_printf(b, "table `%s`", o->table); break;
    case OBJ_COLUMN: zm_buf_printf(b, "column `%s`.`%s`", o->table, o->name); break;
    case OBJ_INDEX: zm_buf_printf(b, "index `%s` of `%s`", o->name, o->table); break;
    case OBJ_FOREIGN_KEY: zm_buf_printf(b, "foreign key `%s` of `%s`", o->name, o->table); break;
    case OBJ_PRIMARY_KEY: zm_buf_printf(b, "the primary key of `%s`", o->table); break;
    case OBJ_ENUM: zm_buf_printf(b, "enum `%s`", o->name); break;
    }
}

/* ---- the command ------------------------------------------------------------------------- */

static int rebase(zm_migrate_ctx *c, const zm_project *p, const char *name)
{
    mg_begin(c, "rebase");
    zm_migrations m = {0};
    zm_history h = {0};
    zm_db_error err = {0};
    int rc = 0;
    const char **names = NULL, **scripts = NULL;
    zm_rel_schema **states = NULL;
    bool *want = NULL;
    objects mine = {0};
    zm_buf clash = ZM_BUF_INIT;
    char *folder = NULL;
    /* under the migration lock, as deploy: nothing applies it meanwhile */
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
    size_t x = 0;
    while (x < m.count && strcmp(m.items[x].name, name) != 0) x++;
    if (x == m.count) {
        rc = mg_fail(c, NULL, "there is no migration `%s` in %s (use the folder's whole name)", name, c->migrations_dir);
        goto done;
    }
    if (zm_history_find(&h, name)) {
        rc = mg_fail(c, NULL, "migration `%s` is recorded in the database already: only a migration no database "
                              "here has run can move", name);
        goto done;
    }
    if (x + 1 == m.count) {
        mg_say(c, "Migration `%s` is the newest already: nothing to move.\n", name);
        goto done;
    }
    /* the history as the folder orders it, each state read: what `name`
       changes, and what each migration after it changes */
    names = calloc(m.count, sizeof *names);
    scripts = calloc(m.count, sizeof *scripts);
    states = calloc(m.count, sizeof *states);
    want = calloc(m.count, sizeof *want);
    if (!names || !scripts || !states || !want) {
        rc = mg_fail(c, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < m.count; i++) {
        names[i] = m.items[i].name;
        scripts[i] = m.items[i].script;
        want[i] = i + 1 >= x;
    }
    zm_side shadow = {0};
    zm_replay_states cap = {.want = want, .states = states};
    rc = zm_project_replay(p, names, scripts, m.count, &shadow, &cap);
    zm_side_free(&shadow);
    if (rc) {
        rc = mg_fail(c, NULL, "the history in its present order does not replay, so `%s` cannot be checked against the "
                              "migrations after it (the reason is above)", name);
        goto done;
    }
    zm_rel_schema *empty = zm_rel_empty(p->model.dialect);
    changes(x ? states[x - 1] : empty, states[x], &mine);
    for (size_t i = x + 1; i < m.count; i++) {
        objects o = {0};
        changes(states[i - 1], states[i], &o);
        for (size_t a = 0; a < mine.count; a++)
            for (size_t b = 0; b < o.count; b++) {
                if (!collide(&mine.items[a], &o.items[b])) continue;
                zm_buf_printf(&clash, "  - `%s` and `%s` both change ", name, m.items[i].name);
                describe(&mine.items[a], &clash);
                if (mine.items[a].kind != o.items[b].kind || !same_text(mine.items[a].name, o.items[b].name)) {
                    zm_buf_puts(&clash, " (and ");
                    describe(&o.items[b], &clash);
                    zm_buf_putc(&clash, ')');
                }
                zm_buf_putc(&clash, '\n');
                b = o.count;
            }
        objects_free(&o);
    }
    zm_rel_free(empty);
    if (clash.len) {
        rc = mg_fail(c, NULL,
                     "`%s` does not commute with the migrations after it: run after them it may not do what it did "
                     "before them:\n%s\nNothing was moved. Merge the changes by hand: write the migration again "
                     "against the newest schema (zmc migrate dev), then delete `%s`.",
                     name, clash.data, name);
        goto done;
    }
    /* the new order replays too */
    const char *moved_name = names[x], *moved_script = scripts[x];
    memmove(names + x, names + x + 1, (m.count - x - 1) * sizeof *names);
    memmove(scripts + x, scripts + x + 1, (m.count - x - 1) * sizeof *scripts);
    names[m.count - 1] = moved_name;
    scripts[m.count - 1] = moved_script;
    rc = zm_project_replay(p, names, scripts, m.count, &shadow, NULL);
    zm_side_free(&shadow);
    if (rc) {
        rc = mg_fail(c, NULL, "with `%s` after the newest migration the history does not replay (the reason is above); "
                              "nothing was moved", name);
        goto done;
    }
    /* the move: a new timestamp, the name's words and the content kept */
    const char *words = strchr(name, '_') ? strchr(name, '_') + 1 : "";
    folder = zm_migration_folder_name(words, &m);
    zm_buf from = ZM_BUF_INIT, to = ZM_BUF_INIT;
    zm_buf_printf(&from, "%s/%s", c->migrations_dir, name);
    zm_buf_printf(&to, "%s/%s", c->migrations_dir, folder);
    struct stat st;
    if (stat(to.data, &st) == 0) rc = mg_fail(c, NULL, "%s exists already", to.data);
    else if (rename(from.data, to.data) != 0) rc = mg_fail(c, NULL, "cannot rename %s to %s", from.data, to.data);
    zm_buf_free(&from);
    zm_buf_free(&to);
    if (!rc) {
        mg_say(c, "Moved `%s` to `%s`, after `%s`: it touches none of the objects the %zu migration%s after it "
                  "touch%s, and the history replays in the new order.\n",
               name, folder, m.items[m.count - 1].name, m.count - x - 1, m.count - x - 1 == 1 ? "" : "s",
               m.count - x - 1 == 1 ? "es" : "");
        if (c->json) json_object_set_new(REPORT(c), "movedTo", json_string(folder));
    }
done:
    zm_db_error_clear(&err);
    zm_db_unlock(p->db, &err);
    zm_db_error_clear(&err);
    for (size_t i = 0; states && i < m.count; i++) zm_rel_free(states[i]);
    free(states);
    free(names);
    free(scripts);
    free(want);
    free(folder);
    objects_free(&mine);
    zm_buf_free(&clash);
    zm_history_free(&h);
    zm_migrations_free(&m);
    return mg_end(c, rc);
}

int zm_migrate_rebase_cmd(int argc, char **argv)
{
    zm_project_options o = {0};
    const char *name = NULL, *level = NULL;
    bool json = false;
    int status = 0;
    for (int i = 1; i < argc && !status; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &o.schema, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--migrations", &o.migrations, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--zenstack", &level, &status)) {
            if (!status && !(o.level = zm_arg_level(level))) status = ZM_EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if (argv[i][0] != '-' && !name) name = argv[i];
        else {
            fprintf(stderr, "zmc migrate rebase: error: unexpected argument '%s'\n\n%s", argv[i], zm_migrate_rebase_usage);
            status = ZM_EXIT_USAGE;
        }
    }
    if (!status && !name) {
        fprintf(stderr, "zmc migrate rebase: error: which migration? (its folder's name)\n\n%s", zm_migrate_rebase_usage);
        status = ZM_EXIT_USAGE;
    }
    if (status) return mg_report_early("rebase", argc, argv, status, "usage error: the details are on stderr");
    o.quiet = json;
    zm_project p;
    if ((status = zm_project_open(&p, "zmc migrate rebase", &o)))
        return mg_report_early("rebase", argc, argv, status, zm_project_last_error());
    zm_migrate_ctx c = zm_project_migrate_ctx(&p, json);
    status = rebase(&c, &p, name);
    zm_project_close(&p);
    return status;
}
