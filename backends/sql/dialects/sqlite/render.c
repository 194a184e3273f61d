/*
** render.c — the SQLite flavour: Prisma's column types and the layout of
** its CREATE TABLE (primary key and foreign keys inline; indexes after all
** tables).
**
** Prisma accepts no @db.* native types on SQLite, so a type follows from
** the field's scalar alone; enums are TEXT and Json is JSONB (Prisma 6.2+).
*/
#include <string.h>

#include "sqlite.h"

const char *sql_sqlite_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement)
{
    (void)autoincrement;      /* an INTEGER primary key autoincrements by itself */
    switch (zm_ir_field_kind_of(f)) {
    case ZM_IR_FIELD_UNSUPPORTED: return sql_strdup(a, zm_ir_field_unsupported(f) ? zm_ir_field_unsupported(f) : "");
    case ZM_IR_FIELD_ENUM: return "TEXT";
    case ZM_IR_FIELD_COMPOSITE: return "JSONB";
    default: break;
    }
    switch (zm_ir_field_scalar(f)) {
    case ZM_IR_BOOLEAN: return "BOOLEAN";
    case ZM_IR_INT: return "INTEGER";
    case ZM_IR_BIGINT: return "BIGINT";
    case ZM_IR_FLOAT: return "REAL";
    case ZM_IR_DECIMAL: return "DECIMAL";
    case ZM_IR_DATETIME: return "DATETIME";
    case ZM_IR_JSON: return "JSONB";
    case ZM_IR_BYTES: return "BLOB";
    default: return "TEXT";
    }
}

/* A one-column primary key is written on its column. */
static const char *inline_pk_column(const zm_rel_table *t)
{
    return t->pk && t->pk->ncols == 1 ? t->pk->cols[0].name : NULL;
}

static void render_table(const zm_rel_schema *s, const zm_rel_table *t, sql_sb *b)
{
    sb_add(b, "CREATE TABLE ");
    sql_quote_object(b, s, t->namespace_, t->name);
    sb_add(b, " (\n");
    const char *pk_col = inline_pk_column(t);
    for (size_t i = 0; i < t->columns.count; i++) {
        const zm_rel_column *c = t->columns.items[i];
        if (i) sb_add(b, ",\n");
        sql_render_column(b, s, c, pk_col && strcmp(pk_col, c->name) == 0);
    }
    if (t->pk && !pk_col) {
        sb_add(b, ",\n\n    PRIMARY KEY (");
        for (size_t i = 0; i < t->pk->ncols; i++) {
            if (i) sb_add(b, ", ");
            sql_quote_ident(b, s->flavor, t->pk->cols[i].name);
        }
        sb_add(b, ")");
    }
    for (size_t i = 0; i < t->fks.count; i++) {
        const zm_rel_fk *k = t->fks.items[i];
        sb_add(b, ",\n    CONSTRAINT ");
        sql_quote_ident(b, s->flavor, k->name);
        sql_render_fk_tail(b, s, k, true);
    }
    sb_add(b, "\n);\n");
}

void sql_sqlite_render(const zm_rel_schema *s, sql_sb *out)
{
    bool first = true;
    for (size_t i = 0; i < s->tables.count; i++) {
        sql_step(out, &first, "CreateTable");
        render_table(s, s->tables.items[i], out);
    }
    for (size_t i = 0; i < s->tables.count; i++) {
        const zm_rel_table *t = s->tables.items[i];
        for (size_t k = 0; k < t->indexes.count; k++) {
            sql_step(out, &first, "CreateIndex");
            sql_render_index(out, s, t, t->indexes.items[k]);
        }
    }
}

void sql_sqlite_render_table(const zm_rel_schema *s, const zm_rel_table *t, const char *name, sql_sb *b)
{
    zm_rel_table renamed = *t;
    renamed.name = name;
    render_table(s, &renamed, b);
}
