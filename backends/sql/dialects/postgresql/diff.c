/*
** diff.c — the SQL of each diff step on PostgreSQL, as Prisma
** Migrate writes it: one ALTER TABLE per table with its clauses joined by
** ",\n" (drop primary key, drop columns, add columns, alter columns, add
** primary key), sequences for a column that becomes autoincrement, enum
** values added in place and removed by swapping in a new type.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "postgresql.h"

static void quote_table(sql_sb *b, const zm_rel_schema *s, const zm_rel_table *t)
{
    sql_quote_object(b, s, t->namespace_, t->name);
}

/* Prisma's implicit sequence name: table_column_seq, lower-cased, unquoted. */
static void sequence_name(sql_sb *b, const zm_rel_table *t, const zm_rel_column *c)
{
    for (const char *p = t->name; *p; p++) sb_addc(b, (char)tolower((unsigned char)*p));
    sb_addc(b, '_');
    for (const char *p = c->name; *p; p++) sb_addc(b, (char)tolower((unsigned char)*p));
    sb_add(b, "_seq");
}

static void clause(sql_sb *b, bool *first)
{
    if (!*first) sb_add(b, ",\n");
    *first = false;
}

static void alter_column(const zm_rel_schema *s, const zm_rel_table *t, const diff_change *c, sql_sb *b, bool *first)
{
    const zm_rel_column *to = c->to;
#define ALTER()                                  \
    do {                                         \
        clause(b, first);                        \
        sb_add(b, "ALTER COLUMN ");              \
        sql_quote_ident(b, s->flavor, to->name); \
    } while (0)
    if (c->what & ALTER_AUTOINCREMENT && to->autoincrement) {
        ALTER();
        sb_add(b, " SET DEFAULT nextval('");
        sequence_name(b, t, to);
        sb_add(b, "')");
    }
    if (c->what & ALTER_NULLABLE) {
        ALTER();
        sb_add(b, to->nullable ? " DROP NOT NULL" : " SET NOT NULL");
    }
    if (c->what & ALTER_DEFAULT && !to->autoincrement) {
        ALTER();
        if (to->default_sql) {
            sb_add(b, " SET DEFAULT ");
            sb_add(b, to->default_sql);
        } else {
            sb_add(b, " DROP DEFAULT");
        }
    }
    if (c->what & ALTER_TYPE) {
        ALTER();
        sb_add(b, " SET DATA TYPE ");
        sb_add(b, strcmp(to->type, "SERIAL") == 0 ? "INTEGER" : strcmp(to->type, "BIGSERIAL") == 0 ? "BIGINT"
                  : strcmp(to->type, "SMALLSERIAL") == 0                                        ? "SMALLINT"
                                                                                                 : to->type);
    }
#undef ALTER
}

static void pk_columns(sql_sb *b, const zm_rel_schema *s, const zm_rel_index *pk)
{
    sb_add(b, " PRIMARY KEY (");
    for (size_t i = 0; i < pk->ncols; i++) {
        if (i) sb_add(b, ", ");     /* unlike CREATE TABLE's "a","b" */
        sql_quote_ident(b, s->flavor, pk->cols[i].name);
    }
    sb_addc(b, ')');
}

static void alter_table(const zm_rel_diff *d, const diff_step *st, sql_sb *b)
{
    const zm_rel_schema *s = d->to;
    const zm_rel_table *t = st->to_table;
    /* A column that becomes autoincrement needs its sequence first. */
    for (size_t i = 0; i < st->changes.count; i++) {
        const diff_change *c = st->changes.items[i];
        if (c->kind == CH_ALTER_COLUMN && (c->what & ALTER_AUTOINCREMENT) && c->to->autoincrement) {
            sb_add(b, "CREATE SEQUENCE ");
            sequence_name(b, t, c->to);
            sb_add(b, ";\n");
        }
    }
    sb_add(b, "ALTER TABLE ");
    quote_table(b, s, t);
    sb_addc(b, ' ');
    bool first = true;
    for (size_t i = 0; i < st->changes.count; i++) {
        const diff_change *c = st->changes.items[i];
        switch (c->kind) {
        case CH_DROP_PK:
            clause(b, &first);
            sb_add(b, "DROP CONSTRAINT ");
            sql_quote_ident(b, s->flavor, st->from_table->pk->name);
            break;
        case CH_DROP_COLUMN:
            clause(b, &first);
            sb_add(b, "DROP COLUMN ");
            sql_quote_ident(b, s->flavor, c->from->name);
            break;
        case CH_ADD_COLUMN:
            clause(b, &first);
            sb_add(b, "ADD COLUMN ");
            sql_render_column(b, s, c->to, false);
            break;
        case CH_RECREATE_COLUMN:
            clause(b, &first);
            sb_add(b, "DROP COLUMN ");
            sql_quote_ident(b, s->flavor, c->from->name);
            clause(b, &first);
            sb_add(b, "ADD COLUMN ");
            sql_render_column(b, s, c->to, false);
            break;
        case CH_ALTER_COLUMN:
            alter_column(s, t, c, b, &first);
            break;
        case CH_ADD_PK:
            clause(b, &first);
            sb_add(b, "ADD CONSTRAINT ");
            sql_quote_ident(b, s->flavor, t->pk->name);
            pk_columns(b, s, t->pk);
            break;
        }
    }
    sb_add(b, ";\n");
    for (size_t i = 0; i < st->changes.count; i++) {
        const diff_change *c = st->changes.items[i];
        if (c->kind == CH_ALTER_COLUMN && (c->what & ALTER_AUTOINCREMENT) && c->to->autoincrement) {
            sb_add(b, "ALTER SEQUENCE ");
            sequence_name(b, t, c->to);
            sb_add(b, " OWNED BY ");
            quote_table(b, s, t);
            sb_addc(b, '.');
            sql_quote_ident(b, s->flavor, c->to->name);
            sb_add(b, ";\n");
        }
    }
}

static bool has_value(const zm_rel_enum *e, const char *v)
{
    for (size_t i = 0; i < e->values.count; i++)
        if (strcmp(e->values.items[i], v) == 0) return true;
    return false;
}

/* The name of an enum with a suffix, quoted (and qualified when multi-namespace). */
static void enum_name(sql_sb *b, const zm_rel_schema *s, const zm_rel_enum *e, const char *suffix)
{
    sql_sb n = {0};
    sb_add(&n, e->name);
    sb_add(&n, suffix);
    sql_quote_object(b, s, e->namespace_, n.s ? n.s : "");
    free(n.s);
}

static bool column_uses(const zm_rel_column *c, const zm_rel_enum *e)
{
    return c->enum_type && strcmp(c->enum_type->name, e->name) == 0 &&
           (c->enum_type->namespace_ == e->namespace_ ||
            (c->enum_type->namespace_ && e->namespace_ && strcmp(c->enum_type->namespace_, e->namespace_) == 0));
}

static void alter_enum(const zm_rel_diff *d, const diff_step *st, sql_sb *b)
{
    const zm_rel_schema *s = d->to;
    const zm_rel_enum *old = st->from_enum, *e = st->to_enum;
    bool removes = false;
    for (size_t i = 0; i < old->values.count && !removes; i++) removes = !has_value(e, old->values.items[i]);
    if (!removes) {
        size_t added = 0;
        for (size_t i = 0; i < e->values.count; i++) added += !has_value(old, e->values.items[i]);
        if (added > 1)
            sb_add(b, "-- This migration adds more than one value to an enum.\n"
                      "-- With PostgreSQL versions 11 and earlier, this is not possible\n"
                      "-- in a single migration. This can be worked around by creating\n"
                      "-- multiple migrations, each migration adding only one value to\n"
                      "-- the enum.\n\n\n");
        for (size_t i = 0; i < e->values.count; i++) {
            if (has_value(old, e->values.items[i])) continue;
            sb_add(b, "ALTER TYPE ");
            enum_name(b, s, e, "");
            sb_add(b, " ADD VALUE ");
            sql_quote_literal(b, s->flavor, e->values.items[i]);
            sb_add(b, ";\n");
        }
        return;
    }
    /* Removing values: a new type, the columns moved to it, the old one dropped. */
    sb_add(b, "BEGIN;\nCREATE TYPE ");
    enum_name(b, s, e, "_new");
    sb_add(b, " AS ENUM (");
    for (size_t i = 0; i < e->values.count; i++) {
        if (i) sb_add(b, ", ");
        sql_quote_literal(b, s->flavor, e->values.items[i]);
    }
    sb_add(b, ");\n");
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < d->from->tables.count; i++) {
            const zm_rel_table *t = d->from->tables.items[i];
            for (size_t k = 0; k < t->columns.count; k++) {
                const zm_rel_column *c = t->columns.items[k];
                if (!column_uses(c, old)) continue;
                if (pass == 0 && c->default_sql) {
                    sb_add(b, "ALTER TABLE ");
                    quote_table(b, s, t);
                    sb_add(b, " ALTER COLUMN ");
                    sql_quote_ident(b, s->flavor, c->name);
                    sb_add(b, " DROP DEFAULT;\n");
                } else if (pass == 1) {
                    sb_add(b, "ALTER TABLE ");
                    quote_table(b, s, t);
                    sb_add(b, " ALTER COLUMN ");
                    sql_quote_ident(b, s->flavor, c->name);
                    sb_add(b, " TYPE ");
                    enum_name(b, s, e, "_new");
                    if (c->list) sb_add(b, "[]");
                    sb_add(b, " USING (");
                    sql_quote_ident(b, s->flavor, c->name);
                    sb_add(b, "::text::");
                    enum_name(b, s, e, "_new");
                    if (c->list) sb_add(b, "[]");
                    sb_add(b, ");\n");
                }
            }
            if (pass == 1 && i + 1 == d->from->tables.count) {
                sb_add(b, "ALTER TYPE ");
                enum_name(b, s, e, "");
                sb_add(b, " RENAME TO ");
                enum_name(b, s, e, "_old");
                sb_add(b, ";\nALTER TYPE ");
                enum_name(b, s, e, "_new");
                sb_add(b, " RENAME TO ");
                enum_name(b, s, e, "");
                sb_add(b, ";\nDROP TYPE ");
                enum_name(b, s, e, "_old");
                sb_add(b, ";\n");
            }
        }
    /* Defaults back, as the target schema has them. */
    for (size_t i = 0; i < d->from->tables.count; i++) {
        const zm_rel_table *t = d->from->tables.items[i], *nt = zm_rel_table_find(d->to, t->namespace_, t->name);
        for (size_t k = 0; nt && k < t->columns.count; k++) {
            const zm_rel_column *c = t->columns.items[k];
            const zm_rel_column *n = zm_rel_table_column_find(nt, c->name);
            if (!column_uses(c, old) || !c->default_sql || !n || !n->default_sql) continue;
            sb_add(b, "ALTER TABLE ");
            quote_table(b, s, t);
            sb_add(b, " ALTER COLUMN ");
            sql_quote_ident(b, s->flavor, c->name);
            sb_add(b, " SET DEFAULT ");
            sb_add(b, n->default_sql);
            sb_add(b, ";\n");
        }
    }
    sb_add(b, "COMMIT;\n");
}

void sql_pg_render_step(const zm_rel_diff *d, const diff_step *st, sql_sb *b)
{
    const zm_rel_schema *s = d->to;
    switch (st->kind) {
    case ST_CREATE_SCHEMA:
        sb_add(b, "CREATE SCHEMA IF NOT EXISTS ");
        sql_quote_ident(b, s->flavor, st->name);
        sb_add(b, ";\n");
        break;
    case ST_CREATE_EXTENSION:
        sql_pg_render_extension(s, (const zm_rel_extension *)(const void *)st->name, b);
        break;
    case ST_CREATE_ENUM:
        sql_pg_render_enum(s, st->to_enum, b);
        break;
    case ST_ALTER_ENUM:
        alter_enum(d, st, b);
        break;
    case ST_DROP_FOREIGN_KEY:
        sb_add(b, "ALTER TABLE ");
        quote_table(b, d->from, st->from_table);
        sb_add(b, " DROP CONSTRAINT ");
        sql_quote_ident(b, s->flavor, st->from_fk->name);
        sb_add(b, ";\n");
        break;
    case ST_DROP_INDEX:
        sb_add(b, "DROP INDEX ");
        sql_quote_object(b, d->from, st->from_table->namespace_, st->from_index->name);
        sb_add(b, ";\n");
        break;
    case ST_RENAME_COLUMN:
        sb_add(b, "ALTER TABLE ");
        quote_table(b, d->from, st->from_table);
        sb_add(b, " RENAME COLUMN ");
        sql_quote_ident(b, s->flavor, st->from_column->name);
        sb_add(b, " TO ");
        sql_quote_ident(b, s->flavor, st->to_column->name);
        sb_add(b, ";\n");
        break;
    case ST_ALTER_TABLE:
        alter_table(d, st, b);
        break;
    case ST_DROP_TABLE:
        sb_add(b, "DROP TABLE ");
        quote_table(b, d->from, st->from_table);
        sb_add(b, ";\n");
        break;
    case ST_DROP_ENUM:
        sb_add(b, "DROP TYPE ");
        sql_quote_object(b, d->from, st->from_enum->namespace_, st->from_enum->name);
        sb_add(b, ";\n");
        break;
    case ST_CREATE_TABLE:
        sql_pg_render_table(s, st->to_table, b);
        break;
    case ST_CREATE_INDEX:
        sql_render_index(b, s, st->to_table, st->to_index);
        break;
    case ST_RENAME_FOREIGN_KEY:
        sb_add(b, "ALTER TABLE ");
        quote_table(b, s, st->to_table);
        sb_add(b, " RENAME CONSTRAINT ");
        sql_quote_ident(b, s->flavor, st->from_fk->name);
        sb_add(b, " TO ");
        sql_quote_ident(b, s->flavor, st->to_fk->name);
        sb_add(b, ";\n");
        break;
    case ST_ADD_FOREIGN_KEY:
        sb_add(b, "ALTER TABLE ");
        quote_table(b, s, st->to_table);
        sb_add(b, " ADD CONSTRAINT ");
        sql_quote_ident(b, s->flavor, st->to_fk->name);
        sql_render_fk_tail(b, s, st->to_fk, false);
        sb_add(b, ";\n");
        break;
    case ST_RENAME_INDEX:
    case ST_REDEFINE_INDEX:
        sb_add(b, "ALTER INDEX ");
        sql_quote_object(b, s, st->to_table->namespace_, st->from_index->name);
        sb_add(b, " RENAME TO ");
        sql_quote_ident(b, s->flavor, st->to_index->name);
        sb_add(b, ";\n");
        break;
    case ST_REDEFINE_TABLES:
    case ST__COUNT:
        break;
    }
}

/* Prisma's names of PostgreSQL types in warnings (the @db.* names). */
