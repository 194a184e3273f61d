/*
** render.c — the DDL script common to all dialects: Prisma's layout
** (`-- Step` headers, one blank line between steps, the CLI's extra final
** newline, "-- This is an empty migration." when nothing is created) and
** the pieces every dialect writes alike: columns, indexes, the tail of a
** foreign key.
*/
#include <stdlib.h>

#include "sql.h"

void sql_step(sql_sb *out, bool *first, const char *step)
{
    if (!*first) sb_addc(out, '\n');
    *first = false;
    sb_add(out, "-- ");
    sb_add(out, step);
    sb_addc(out, '\n');
}

void sql_render_column(sql_sb *b, const zm_rel_schema *s, const zm_rel_column *c, bool inline_pk)
{
    sb_add(b, "    ");
    sql_quote_ident(b, s->dialect, c->name);
    sb_addc(b, ' ');
    sb_add(b, c->type);
    if (!c->nullable) sb_add(b, " NOT NULL");
    if (inline_pk) {
        sb_add(b, " PRIMARY KEY");
        if (c->autoincrement) sb_add(b, " AUTOINCREMENT");
    }
    if (c->default_sql) {
        sb_add(b, " DEFAULT ");
        sb_add(b, c->default_sql);
    }
}

void sql_render_index(sql_sb *b, const zm_rel_schema *s, const zm_rel_table *t, const zm_rel_index *x)
{
    sb_add(b, x->kind == ZM_REL_UNIQUE ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    sql_quote_ident(b, s->dialect, x->name);
    sb_add(b, " ON ");
    sql_quote_object(b, s, t->namespace_, t->name);
    if (x->method) {
        sb_add(b, " USING ");
        sb_add(b, x->method);
        sb_addc(b, ' ');
    }
    sb_addc(b, '(');
    for (size_t i = 0; i < x->ncols; i++) {
        if (i) sb_add(b, ", ");
        sql_quote_ident(b, s->dialect, x->cols[i].name);
        if (x->cols[i].opclass) {
            sb_addc(b, ' ');
            sb_add(b, x->cols[i].opclass);
        }
        if (x->cols[i].sort == ZM_REL_SORT_DESC) sb_add(b, " DESC");
    }
    sb_add(b, ");\n");
}

static void column_list(sql_sb *b, const zm_rel_schema *s, const char *const *cols, size_t n)
{
    sb_addc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i) sb_add(b, ", ");
        sql_quote_ident(b, s->dialect, cols[i]);
    }
    sb_addc(b, ')');
}

void sql_render_fk_tail(sql_sb *b, const zm_rel_schema *s, const zm_rel_fk *k, bool space_before_cols)
{
    sb_add(b, " FOREIGN KEY ");
    column_list(b, s, k->cols, k->ncols);
    sb_add(b, " REFERENCES ");
    sql_quote_object(b, s, k->ref_namespace, k->ref_table);
    if (space_before_cols) sb_addc(b, ' ');
    column_list(b, s, k->ref_cols, k->ncols);
    sb_add(b, " ON DELETE ");
    sb_add(b, zm_rel_action_sql(k->on_delete));
    sb_add(b, " ON UPDATE ");
    sb_add(b, zm_rel_action_sql(k->on_update));
}

int zm_rel_render_create(const zm_rel_schema *s, void (*write)(void *ctx, const char *text, size_t len), void *ctx)
{
    sql_sb out = {0};
    if (s->dialect == ZM_REL_POSTGRESQL) sql_pg_render(s, &out);
    else if (s->dialect == ZM_REL_MYSQL) sql_mysql_render(s, &out);
    else sql_sqlite_render(s, &out);
    if (out.len == 0) sb_add(&out, "-- This is an empty migration.\n");
    sb_addc(&out, '\n');    /* the CLI prints the script and one more newline */
    int rc = out.oom ? -1 : 0;
    if (rc == 0) write(ctx, out.s, out.len);
    free(out.s);
    return rc;
}
