/*
** diff.c — the SQL of each diff step on MySQL, as Prisma Migrate's MySQL
** renderer writes it: one ALTER TABLE per table with its clauses joined by
** ",\n    " (DROP PRIMARY KEY, DROP COLUMN, ADD COLUMN, MODIFY for a type,
** nullability or default change, ADD PRIMARY KEY); a new table's indexes
** inside its CREATE TABLE; DROP INDEX ... ON; DROP FOREIGN KEY; RENAME INDEX.
**
** MySQL has no enum types: an enum is its columns' ENUM(...) type, so a
** changed enum shows as a MODIFY of every column using it.
*/
#include <stdlib.h>
#include <string.h>

#include "mysql.h"

static void quote(sql_sb *b, const char *name) { sql_quote_ident(b, &sql_flavor_mysql, name); }

static void clause(sql_sb *b, bool *first)
{
    if (!*first) sb_add(b, ",\n    ");
    *first = false;
}

static void alter_table(const diff_step *st, sql_sb *b)
{
    const zm_rel_table *t = st->to_table;
    sb_add(b, "ALTER TABLE ");
    quote(b, t->name);
    sb_addc(b, ' ');
    bool first = true;
    for (size_t i = 0; i < st->changes.count; i++) {
        const diff_change *c = st->changes.items[i];
        switch (c->kind) {
        case CH_DROP_PK:
            clause(b, &first);
            sb_add(b, "DROP PRIMARY KEY");
            break;
        case CH_DROP_COLUMN:
            clause(b, &first);
            sb_add(b, "DROP COLUMN ");
            quote(b, c->from->name);
            break;
        case CH_ADD_COLUMN:
            clause(b, &first);
            sb_add(b, "ADD COLUMN ");
            sql_mysql_render_column(b, c->to);
            break;
        case CH_RECREATE_COLUMN:
            clause(b, &first);
            sb_add(b, "DROP COLUMN ");
            quote(b, c->from->name);
            clause(b, &first);
            sb_add(b, "ADD COLUMN ");
            sql_mysql_render_column(b, c->to);
            break;
        case CH_ALTER_COLUMN:
            clause(b, &first);
            if (c->what == ALTER_DEFAULT && !c->to->default_sql) {
                sb_add(b, "ALTER COLUMN ");
                quote(b, c->to->name);
                sb_add(b, " DROP DEFAULT");
            } else {
                /* Prisma's MODIFY: one space, then type, nullability,
                   default and AUTO_INCREMENT in that order */
                sb_add(b, "MODIFY ");
                quote(b, c->to->name);
                sb_addc(b, ' ');
                sb_add(b, c->to->type);
                sb_add(b, c->to->nullable ? " NULL" : " NOT NULL");
                if (c->to->default_sql) {
                    sb_add(b, " DEFAULT ");
                    sb_add(b, c->to->default_sql);
                }
                if (c->to->autoincrement) sb_add(b, " AUTO_INCREMENT");
            }
            break;
        case CH_ADD_PK:
            clause(b, &first);
            sb_add(b, "ADD PRIMARY KEY ");
            sql_mysql_index_columns(b, t->pk);
            break;
        }
    }
    sb_add(b, ";\n");
}

static void create_index(const zm_rel_table *t, const zm_rel_index *x, sql_sb *b)
{
    sb_add(b, x->kind == ZM_REL_UNIQUE     ? "CREATE UNIQUE INDEX "
              : x->kind == ZM_REL_FULLTEXT ? "CREATE FULLTEXT INDEX "
                                           : "CREATE INDEX ");
    quote(b, x->name);
    sb_add(b, " ON ");
    quote(b, t->name);
    sql_mysql_index_columns(b, x);
    sb_add(b, ";\n");
}

void sql_mysql_render_step(const zm_rel_diff *d, const diff_step *st, sql_sb *b)
{
    const zm_rel_schema *s = d->to;
    switch (st->kind) {
    case ST_DROP_FOREIGN_KEY:
        sb_add(b, "ALTER TABLE ");
        quote(b, st->from_table->name);
        sb_add(b, " DROP FOREIGN KEY ");
        quote(b, st->from_fk->name);
        sb_add(b, ";\n");
        break;
    case ST_DROP_INDEX:
        sb_add(b, "DROP INDEX ");
        quote(b, st->from_index->name);
        sb_add(b, " ON ");
        quote(b, st->from_table->name);
        sb_add(b, ";\n");
        break;
    case ST_RENAME_COLUMN:
        sb_add(b, "ALTER TABLE ");
        quote(b, st->from_table->name);
        sb_add(b, " RENAME COLUMN ");
        quote(b, st->from_column->name);
        sb_add(b, " TO ");
        quote(b, st->to_column->name);
        sb_add(b, ";\n");
        break;
    case ST_ALTER_TABLE:
        alter_table(st, b);
        break;
    case ST_DROP_TABLE:
        sb_add(b, "DROP TABLE ");
        quote(b, st->from_table->name);
        sb_add(b, ";\n");
        break;
    case ST_CREATE_TABLE:
        sql_mysql_render_table(st->to_table, b);
        break;
    case ST_CREATE_INDEX:
        create_index(st->to_table, st->to_index, b);
        break;
    case ST_ADD_FOREIGN_KEY:
        sb_add(b, "ALTER TABLE ");
        quote(b, st->to_table->name);
        sb_add(b, " ADD CONSTRAINT ");
        quote(b, st->to_fk->name);
        sql_render_fk_tail(b, s, st->to_fk, false);
        sb_add(b, ";\n");
        break;
    case ST_RENAME_INDEX:
    case ST_REDEFINE_INDEX:
        sb_add(b, "ALTER TABLE ");
        quote(b, st->to_table->name);
        sb_add(b, " RENAME INDEX ");
        quote(b, st->from_index->name);
        sb_add(b, " TO ");
        quote(b, st->to_index->name);
        sb_add(b, ";\n");
        break;
    case ST_RENAME_FOREIGN_KEY:
        /* MySQL cannot rename a foreign key: drop it and add it again */
        sb_add(b, "ALTER TABLE ");
        quote(b, st->to_table->name);
        sb_add(b, " DROP FOREIGN KEY ");
        quote(b, st->from_fk->name);
        sb_add(b, ";\nALTER TABLE ");
        quote(b, st->to_table->name);
        sb_add(b, " ADD CONSTRAINT ");
        quote(b, st->to_fk->name);
        sql_render_fk_tail(b, s, st->to_fk, false);
        sb_add(b, ";\n");
        break;
    case ST_CREATE_SCHEMA:
    case ST_CREATE_EXTENSION:
    case ST_CREATE_ENUM:
    case ST_ALTER_ENUM:
    case ST_DROP_ENUM:
    case ST_REDEFINE_TABLES:
    case ST__COUNT:
        break;
    }
}

/* An ENUM(...) type's values all in another's? */
static bool enum_within(const char *a, const char *b)
{
    for (const char *p = strchr(a, '\''); p; p = strchr(p, '\'')) {
        const char *e = p + 1;
        while (*e && !(*e == '\'' && e[1] != '\'')) e += *e == '\'' ? 2 : 1;
        size_t n = (size_t)(e + 1 - p);
        bool found = false;
        for (const char *q = strchr(b, '\''); q && !found; q = strchr(q + 1, '\''))
            found = strncmp(q, p, n) == 0 && (q[n] == ',' || q[n] == ')');
        if (!found) return false;
        p = *e ? e + 1 : e;
    }
    return true;
}

/* The next value of an ENUM('a', 'b''c') type at *p, unquoted ('' and the
   backslash doubled by the lowering undone) into b; false at the end. */
static bool next_value(const char **p, sql_sb *b)
{
    const char *q = strchr(*p, '\'');
    if (!q) return false;
    for (q++; *q; q++) {
        if (*q == '\'' && q[1] == '\'') q++;
        else if (*q == '\'') break;
        else if (*q == '\\' && q[1] == '\\') q++;
        sb_addc(b, *q);
    }
    *p = *q ? q + 1 : q;
    return true;
}

const char *sql_mysql_removed_values(sql_arena *a, const zm_rel_column *from, const zm_rel_column *to)
{
    if (!sql_starts(from->type, "ENUM(") || !sql_starts(to->type, "ENUM(")) return NULL;
    sql_sb out = {0};
    const char *p = from->type;
    for (sql_sb v = {0}; next_value(&p, &v); v = (sql_sb){0}) {
        bool kept = false;
        const char *r = to->type;
        for (sql_sb w = {0}; !kept && next_value(&r, &w); w = (sql_sb){0}) {
            kept = v.len == w.len && (v.len == 0 || memcmp(v.s, w.s, v.len) == 0);
            free(w.s);
        }
        if (!kept) {
            if (out.len) sb_addc(&out, ',');
            sb_addn(&out, v.s ? v.s : "", v.len);
        }
        free(v.s);
    }
    return out.len ? sb_keep(a, &out) : (free(out.s), NULL);
}

/* The rank of an integer type (0 when not one), its signedness apart. */
static int int_rank(const char *t)
{
    static const char *const ints[] = {"TINYINT", "SMALLINT", "MEDIUMINT", "INTEGER", "BIGINT"};
    for (int i = 0; i < 5; i++) {
        size_t n = strlen(ints[i]);
        if (strncmp(t, ints[i], n) == 0 && (t[n] == '\0' || t[n] == ' ')) return i + 1;
    }
    return 0;
}

/* The length of VARCHAR(n) / CHAR(n), else -1. */
static long char_length(const char *t)
{
    const char *open = sql_starts(t, "VARCHAR(") || sql_starts(t, "CHAR(") ? strchr(t, '(') : NULL;
    return open ? atol(open + 1) : -1;
}

/* What MODIFY does with the values: keeps them (a wider integer or string
   type, more enum values, text from a string), or converts them in a way
   that may fail or cut them (MySQL's strict mode refuses what does not
   fit), as Prisma's MySQL flavour judges it. */
sql_cast sql_mysql_cast(const zm_rel_column *a, const zm_rel_column *b)
{
    const char *x = a->type, *y = b->type;
    if (strcmp(x, y) == 0) return SQL_CAST_SAFE;
    if (sql_starts(x, "ENUM(") && sql_starts(y, "ENUM(")) return enum_within(x, y) ? SQL_CAST_SAFE : SQL_CAST_RISKY;
    int rx = int_rank(x), ry = int_rank(y);
    if (rx && ry) {
        bool ux = strstr(x, "UNSIGNED") != NULL, uy = strstr(y, "UNSIGNED") != NULL;
        return ux == uy && ry >= rx ? SQL_CAST_SAFE : SQL_CAST_RISKY;
    }
    long lx = char_length(x), ly = char_length(y);
    if (lx >= 0 && ly >= 0) return ly >= lx && sql_starts(x, "VARCHAR") == sql_starts(y, "VARCHAR") ? SQL_CAST_SAFE
                                                                                          : SQL_CAST_RISKY;
    if (lx >= 0 && (strcmp(y, "TEXT") == 0 || strcmp(y, "MEDIUMTEXT") == 0 || strcmp(y, "LONGTEXT") == 0))
        return SQL_CAST_SAFE;
    return SQL_CAST_RISKY;
}
