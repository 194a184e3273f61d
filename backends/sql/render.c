/*
** render.c — the DDL script common to all dialects: Prisma's layout
** (`-- Step` headers, one blank line between steps, the CLI's extra final
** newline, "-- This is an empty migration." when nothing is created) and
** the pieces every dialect writes alike: columns, indexes, the tail of a
** foreign key.
*/
#include <stdlib.h>
#include <string.h>

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
    sql_quote_ident(b, s->flavor, c->name);
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
    sql_quote_ident(b, s->flavor, x->name);
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
        sql_quote_ident(b, s->flavor, x->cols[i].name);
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
        sql_quote_ident(b, s->flavor, cols[i]);
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
    s->flavor->render_create(s, &out);
    if (out.len == 0) sb_add(&out, "-- This is an empty migration.\n");
    sb_addc(&out, '\n');    /* the CLI prints the script and one more newline */
    int rc = out.oom ? -1 : 0;
    if (rc == 0) write(ctx, out.s, out.len);
    free(out.s);
    return rc;
}

const char *sql_type_display_from(sql_arena *a, const char *type, const char *const (*table)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(table[i][0]);
        if (strncmp(type, table[i][0], len) != 0 || (type[len] && type[len] != '(')) continue;
        if (!type[len]) return table[i][1];
        sql_sb b = {0};
        sb_add(&b, table[i][1]);
        sb_add(&b, type + len);
        return sb_keep(a, &b);
    }
    if (type[0] == '"' || type[0] == '`') {   /* an enum: its name */
        size_t len = strlen(type);
        return sql_strndup(a, type + 1, len > 2 ? len - 2 : 0);
    }
    return type;
}
