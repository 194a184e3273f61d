/*
** diff.c — the SQL of each diff step on SQLite, as Prisma Migrate
** writes it. SQLite's ALTER TABLE only adds columns here; every other
** change redefines the table: create "new_T", copy the shared columns,
** drop T, rename new_T to T and create its indexes again, with foreign key
** checks off (and deferred) meanwhile.
*/
#include <stdlib.h>
#include <string.h>

#include "sqlite.h"

static const zm_rel_column *column_in(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; i < t->columns.count; i++) {
        const zm_rel_column *c = t->columns.items[i];
        if (strcmp(c->name, name) == 0) return c;
    }
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    const zm_rel_column *x = *(const zm_rel_column *const *)a, *y = *(const zm_rel_column *const *)b;
    return strcmp(x->name, y->name);
}

/* INSERT INTO "new_T" (shared columns, by name) SELECT ... FROM "T". A
   column that became required with a default is copied through coalesce. */
static void copy_rows(const zm_rel_schema *s, const zm_rel_table *from, const zm_rel_table *to, sql_sb *b)
{
    size_t n = 0;
    const zm_rel_column **shared = malloc((to->columns.count + 1) * sizeof *shared);
    if (!shared) {
        b->oom = true;
        return;
    }
    for (size_t i = 0; i < to->columns.count; i++) {
        const zm_rel_column *c = to->columns.items[i];
        if (column_in(from, c->name)) shared[n++] = c;
    }
    qsort(shared, n, sizeof *shared, by_name);
    if (n) {
        sql_sb name = {0};
        sb_add(&name, "new_");
        sb_add(&name, to->name);
        sb_add(b, "INSERT INTO ");
        sql_quote_ident(b, s->flavor, name.s ? name.s : "");
        free(name.s);
        sb_add(b, " (");
        for (size_t i = 0; i < n; i++) {
            if (i) sb_add(b, ", ");
            sql_quote_ident(b, s->flavor, shared[i]->name);
        }
        sb_add(b, ") SELECT ");
        for (size_t i = 0; i < n; i++) {
            const zm_rel_column *c = shared[i], *old = column_in(from, c->name);
            if (i) sb_add(b, ", ");
            if (old->nullable && !c->nullable && c->default_sql) {
                sb_add(b, "coalesce(");
                sql_quote_ident(b, s->flavor, c->name);
                sb_add(b, ", ");
                sb_add(b, c->default_sql);
                sb_add(b, ") AS ");
            }
            sql_quote_ident(b, s->flavor, c->name);
        }
        sb_add(b, " FROM ");
        sql_quote_ident(b, s->flavor, from->name);
        sb_add(b, ";\n");
    }
    free(shared);
}

void sql_sqlite_render_redefine(const zm_rel_diff *d, const sql_vec *steps, sql_sb *b)
{
    const zm_rel_schema *s = d->to;
    sb_add(b, "PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\n");
    for (size_t i = 0; i < steps->count; i++) {
        const diff_step *st = steps->items[i];
        const zm_rel_table *t = st->to_table;
        sql_sb name = {0};
        sb_add(&name, "new_");
        sb_add(&name, t->name);
        sql_sqlite_render_table(s, t, name.s ? name.s : "", b);
        copy_rows(s, st->from_table, t, b);
        sb_add(b, "DROP TABLE ");
        sql_quote_ident(b, s->flavor, st->from_table->name);
        sb_add(b, ";\nALTER TABLE ");
        sql_quote_ident(b, s->flavor, name.s ? name.s : "");
        sb_add(b, " RENAME TO ");
        sql_quote_ident(b, s->flavor, t->name);
        sb_add(b, ";\n");
        free(name.s);
        for (size_t k = 0; k < t->indexes.count; k++) sql_render_index(b, s, t, t->indexes.items[k]);
    }
    sb_add(b, "PRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;\n");
}

void sql_sqlite_render_step(const zm_rel_diff *d, const diff_step *st, sql_sb *b)
{
    const zm_rel_schema *s = d->to;
    switch (st->kind) {
    case ST_DROP_INDEX:
        sb_add(b, "DROP INDEX ");
        sql_quote_ident(b, s->flavor, st->from_index->name);
        sb_add(b, ";\n");
        break;
    case ST_RENAME_COLUMN:
        sb_add(b, "ALTER TABLE ");
        sql_quote_ident(b, s->flavor, st->from_table->name);
        sb_add(b, " RENAME COLUMN ");
        sql_quote_ident(b, s->flavor, st->from_column->name);
        sb_add(b, " TO ");
        sql_quote_ident(b, s->flavor, st->to_column->name);
        sb_add(b, ";\n");
        break;
    case ST_ALTER_TABLE:
        for (size_t i = 0; i < st->changes.count; i++) {
            const diff_change *c = st->changes.items[i];
            sb_add(b, "ALTER TABLE ");
            sql_quote_ident(b, s->flavor, st->to_table->name);
            sb_add(b, " ADD COLUMN ");
            sql_sb col = {0};
            sql_render_column(&col, s, c->to, false);
            sb_add(b, col.s ? col.s + 4 : "");     /* without the CREATE TABLE indent */
            free(col.s);
            sb_add(b, ";\n");
        }
        break;
    case ST_DROP_TABLE:
        sb_add(b, "PRAGMA foreign_keys=off;\nDROP TABLE ");
        sql_quote_ident(b, s->flavor, st->from_table->name);
        sb_add(b, ";\nPRAGMA foreign_keys=on;\n");
        break;
    case ST_CREATE_TABLE:
        sql_sqlite_render_table(s, st->to_table, st->to_table->name, b);
        break;
    case ST_CREATE_INDEX:
        sql_render_index(b, s, st->to_table, st->to_index);
        break;
    case ST_REDEFINE_INDEX:
    case ST_RENAME_INDEX:
        sb_add(b, "DROP INDEX ");
        sql_quote_ident(b, s->flavor, st->from_index->name);
        sb_add(b, ";\n");
        sql_render_index(b, s, st->to_table, st->to_index);
        break;
    default:    /* no enums, schemas or separate foreign keys on SQLite */
        break;
    }
}
