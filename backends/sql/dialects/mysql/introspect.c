/*
** introspect.c — a MySQL or MariaDB database read back into a relational
** schema from information_schema: tables, columns, indexes (with the
** primary key) and foreign keys of one database (the connection's).
**
** Types come back as Prisma writes them: COLUMN_TYPE without the integer
** display widths MariaDB and MySQL 5 add ("int(11)" → "INTEGER"),
** tinyint(1) as BOOLEAN, "decimal(65,30)" → "DECIMAL(65, 30)", an enum's
** values re-quoted as ENUM('A', 'B'), MariaDB's JSON (a LONGTEXT with a
** json_valid() check) as JSON. Defaults come from COLUMN_DEFAULT, which
** MariaDB writes as SQL ('text', 1, current_timestamp(3)) and MySQL 8 as
** bare text. The primary key, which MySQL always names PRIMARY, gets
** Prisma's default name; an index MySQL made by itself for a foreign key
** (named as the key, on its columns) is left out, as Prisma's describer
** does, since the schema never asks for it.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql.h"

static char *upper(sql_intro *in, const char *s, size_t n)
{
    char *u = sql_strndup(in->a, s, n);
    for (char *p = u; *p; p++) *p = (char)toupper((unsigned char)*p);
    return u;
}

static zm_rel_table *table_named(sql_intro *in, const char *name)
{
    for (size_t i = 0; i < in->s->tables.count; i++) {
        zm_rel_table *t = in->s->tables.items[i];
        if (strcmp(t->name, name) == 0) return t;
    }
    return NULL;
}

/* A string literal as MySQL and MariaDB write one in the catalog, with ''
   and backslash escapes ('it''s', 'C:\\path' for C:\path); *p moved past
   it, NULL when *p starts none. \% and \_ keep their backslash, as MySQL
   reads them. */
static const char *literal(sql_intro *in, const char **p)
{
    const char *s = *p;
    if (*s != '\'') return NULL;
    sql_sb b = {0};
    for (s++;; s++) {
        if (!*s) {
            free(b.s);
            return NULL;
        }
        if (*s == '\'') {
            if (s[1] != '\'') break;
            s++;
        } else if (*s == '\\' && s[1]) {
            s++;
            switch (*s) {
            case 'n': sb_addc(&b, '\n'); continue;
            case 't': sb_addc(&b, '\t'); continue;
            case 'r': sb_addc(&b, '\r'); continue;
            case '0': sb_addc(&b, '\0'); continue;
            case 'Z': sb_addc(&b, 26); continue;
            case '%': case '_': sb_addc(&b, '\\'); break;
            default: break;
            }
        }
        sb_addc(&b, *s);
    }
    *p = s + 1;
    return sb_keep(in->a, &b);
}

/* ---- types ------------------------------------------------------------------------------- */

/* enum('a','b''c') → ENUM('a', 'b''c'), each value re-quoted. */
static const char *enum_type(sql_intro *in, const char *t)
{
    sql_sb b = {0};
    sb_add(&b, "ENUM(");
    const char *p = t + 5;
    for (size_t i = 0; *p == '\''; i++) {
        const char *v = literal(in, &p);
        if (!v) break;
        if (i) sb_add(&b, ", ");
        sql_quote_literal(&b, &sql_flavor_mysql, v);
        if (*p == ',') p++;
    }
    sb_addc(&b, ')');
    return sb_keep(in->a, &b);
}

/* COLUMN_TYPE → the lowering's spelling. */
static const char *prisma_type(sql_intro *in, const char *t, bool json)
{
    if (json) return "JSON";
    if (sql_starts(t, "enum(")) return enum_type(in, t);
    size_t name_len = strcspn(t, "( ");
    const char *args = t[name_len] == '(' ? t + name_len : NULL;
    size_t args_len = args ? strcspn(args, ")") + 1 : 0;
    bool unsigned_ = strstr(t, " unsigned") != NULL;
    char *name = upper(in, t, name_len);
    static const char *const ints[] = {"TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (strcmp(name, ints[i]) != 0) continue;
        if (i == 0 && !unsigned_ && args && strncmp(args, "(1)", 3) == 0) return "BOOLEAN";
        sql_sb b = {0};
        sb_add(&b, i == 3 ? "INTEGER" : name);
        if (unsigned_) sb_add(&b, " UNSIGNED");
        return sb_keep(in->a, &b);
    }
    if (strcmp(name, "BOOL") == 0 || strcmp(name, "BOOLEAN") == 0) return "BOOLEAN";
    if (!args) return name;
    /* (65,30) → (65, 30) */
    sql_sb b = {0};
    sb_add(&b, name);
    for (size_t i = 0; i < args_len; i++) {
        sb_addc(&b, args[i]);
        if (args[i] == ',' && args[i + 1] != ' ') sb_addc(&b, ' ');
    }
    if (unsigned_) sb_add(&b, " UNSIGNED");
    return sb_keep(in->a, &b);
}

/* ---- defaults ----------------------------------------------------------------------------- */

/* MariaDB writes a default as SQL; MySQL 8 writes a literal's text bare
   and marks expressions DEFAULT_GENERATED. */
static void read_default(sql_intro *in, zm_rel_column *c, const char *def, const char *extra, bool mariadb)
{
    if (!def || strcmp(def, "NULL") == 0) return;
    zm_rel_default_kind kind;
    const char *value = def;
    sql_sb sql = {0};
    const char *p = def;
    const char *lit = mariadb ? literal(in, &p) : NULL;
    bool generated = extra && strstr(extra, "DEFAULT_GENERATED");
    if (lit && *p == '\0') {
        value = lit;
    } else if (!mariadb && !generated) {
        lit = def;
    }
    if ((sql_starts(def, "b'") || sql_starts(def, "B'")) && (strcmp(def + 1, "'0'") == 0 || strcmp(def + 1, "'1'") == 0)) {
        kind = ZM_REL_DEFAULT_BOOL;     /* a BIT(1) holding a Boolean */
        value = def[2] == '1' ? "true" : "false";
        sb_add(&sql, value);
    } else if (sql_starts(def, "current_timestamp") || sql_starts(def, "CURRENT_TIMESTAMP")) {
        kind = ZM_REL_DEFAULT_NOW;
        value = NULL;
        const char *open = strchr(def, '(');
        sb_add(&sql, "CURRENT_TIMESTAMP(");
        sb_add(&sql, open && open[1] != ')' ? sql_strndup(in->a, open + 1, strcspn(open + 1, ")")) : "0");
        sb_addc(&sql, ')');
    } else if (lit && sql_starts(c->type, "ENUM(")) {
        kind = ZM_REL_DEFAULT_ENUM;
        value = lit;
        sql_quote_literal(&sql, &sql_flavor_mysql, lit);
    } else if (lit && !(strcmp(c->type, "BOOLEAN") == 0 || !sql_intro_is_number(lit) ||
                        sql_starts(c->type, "VARCHAR") || sql_starts(c->type, "CHAR") || strstr(c->type, "TEXT"))) {
        kind = ZM_REL_DEFAULT_NUMBER;       /* MySQL 8: a number's text */
        value = lit;
        sb_add(&sql, lit);
    } else if (lit && strcmp(c->type, "BOOLEAN") != 0) {
        kind = ZM_REL_DEFAULT_STRING;
        value = lit;
        sql_quote_literal(&sql, &sql_flavor_mysql, lit);
    } else if (strcmp(c->type, "BOOLEAN") == 0 && (strcmp(value, "1") == 0 || strcmp(value, "0") == 0)) {
        kind = ZM_REL_DEFAULT_BOOL;
        value = strcmp(value, "1") == 0 ? "true" : "false";
        sb_add(&sql, value);
    } else if (sql_intro_is_number(def)) {
        kind = ZM_REL_DEFAULT_NUMBER;
        /* DECIMAL(65,30) keeps 30 digits: 1.500... is written 1.5 */
        char *n = sql_strdup(in->a, def);
        if (strchr(n, '.') && !strchr(n, 'e') && !strchr(n, 'E')) {
            size_t len = strlen(n);
            while (len > 0 && n[len - 1] == '0') n[--len] = '\0';
            if (len > 0 && n[len - 1] == '.') n[--len] = '\0';
        }
        value = n;
        sb_add(&sql, n);
    } else {
        kind = ZM_REL_DEFAULT_EXPRESSION;
        value = def;
        sb_addc(&sql, '(');
        sb_add(&sql, def);
        sb_addc(&sql, ')');
    }
    c->default_kind = kind;
    c->default_value = value;
    c->default_sql = sb_keep(in->a, &sql);
}

/* ---- catalog queries ----------------------------------------------------------------------- */

static bool is_mariadb(sql_intro *in)
{
    sql_rows r = sql_intro_query(in, "SELECT VERSION()", 0, NULL);
    return r.nrows && SQL_CELL(r, 0, 0) && strstr(SQL_CELL(r, 0, 0), "MariaDB");
}

/* MariaDB's JSON columns: LONGTEXT with a json_valid(`c`) check. */
static bool is_json_column(sql_rows checks, const char *table, const char *column)
{
    for (size_t i = 0; i < checks.nrows; i++) {
        const char *t = SQL_CELL(checks, i, 0), *clause = SQL_CELL(checks, i, 1);
        if (!t || !clause || strcmp(t, table) != 0 || !sql_starts(clause, "json_valid(`")) continue;
        const char *name = clause + 12;
        size_t n = strlen(column);
        if (strncmp(name, column, n) == 0 && strcmp(name + n, "`)") == 0) return true;
    }
    return false;
}

static void read_columns(sql_intro *in, const char *db, bool mariadb)
{
    sql_rows checks = mariadb ? sql_intro_query(in,
        "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = $1", 1, &db) : (sql_rows){0};
    sql_rows r = sql_intro_query(in,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = $1 "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION", 1, &db);
    for (size_t i = 0; i < r.nrows; i++) {
        zm_rel_table *t = table_named(in, SQL_CELL(r, i, 0));
        if (!t) continue;
        zm_rel_column *c = sql_intro_column(in, t, SQL_CELL(r, i, 1));
        const char *type = SQL_CELL(r, i, 2) ? SQL_CELL(r, i, 2) : "";
        const char *extra = SQL_CELL(r, i, 5) ? SQL_CELL(r, i, 5) : "";
        c->type = prisma_type(in, type, mariadb && sql_starts(type, "longtext") &&
                                            is_json_column(checks, t->name, c->name));
        c->nullable = SQL_CELL(r, i, 3) && strcmp(SQL_CELL(r, i, 3), "YES") == 0;
        if (strstr(extra, "auto_increment")) {
            c->autoincrement = true;
            continue;
        }
        read_default(in, c, SQL_CELL(r, i, 4), extra, mariadb);
    }
}

static bool same_columns(const zm_rel_index *x, const zm_rel_fk *k)
{
    if (x->ncols != k->ncols) return false;
    for (size_t i = 0; i < k->ncols; i++)
        if (strcmp(x->cols[i].name, k->cols[i]) != 0) return false;
    return true;
}

static void read_indexes(sql_intro *in, const char *db)
{
    sql_rows r = sql_intro_query(in,
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE "
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = $1 "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", 1, &db);
    for (size_t i = 0; i < r.nrows;) {
        size_t n = 1;
        while (i + n < r.nrows && strcmp(SQL_CELL(r, i + n, 0), SQL_CELL(r, i, 0)) == 0 &&
               strcmp(SQL_CELL(r, i + n, 1), SQL_CELL(r, i, 1)) == 0)
            n++;
        zm_rel_table *t = table_named(in, SQL_CELL(r, i, 0));
        const char *name = SQL_CELL(r, i, 1);
        bool primary = strcmp(name, "PRIMARY") == 0;
        bool unique = SQL_CELL(r, i, 2) && strcmp(SQL_CELL(r, i, 2), "0") == 0;
        bool fulltext = SQL_CELL(r, i, 6) && strcmp(SQL_CELL(r, i, 6), "FULLTEXT") == 0;
        zm_rel_index_kind kind = primary ? ZM_REL_PRIMARY : fulltext ? ZM_REL_FULLTEXT
                                 : unique ? ZM_REL_UNIQUE : ZM_REL_INDEX;
        const char *xname = primary && t ? sql_constraint_name(in->a, t->name, NULL, 0, "_pkey",
                                                               sql_flavor_mysql.name_limit)
                                         : name;
        zm_rel_index *x = sql_intro_index(in, kind, xname, n);
        for (size_t k = 0; k < n; k++) {
            sql_index_column *col = &x->cols[k];
            col->name = SQL_CELL(r, i + k, 3) ? SQL_CELL(r, i + k, 3) : "";
            if (SQL_CELL(r, i + k, 4)) col->length = atoi(SQL_CELL(r, i + k, 4));
            if (SQL_CELL(r, i + k, 5) && strcmp(SQL_CELL(r, i + k, 5), "D") == 0) col->sort = ZM_REL_SORT_DESC;
        }
        if (t && primary) t->pk = x;
        else if (t) sql_vec_push(in->a, &t->indexes, x);
        i += n;
    }
}

static zm_rel_action action_of(const char *rule)
{
    if (!rule) return ZM_REL_NO_ACTION;
    if (strcmp(rule, "CASCADE") == 0) return ZM_REL_CASCADE;
    if (strcmp(rule, "RESTRICT") == 0) return ZM_REL_RESTRICT;
    if (strcmp(rule, "SET NULL") == 0) return ZM_REL_SET_NULL;
    if (strcmp(rule, "SET DEFAULT") == 0) return ZM_REL_SET_DEFAULT;
    return ZM_REL_NO_ACTION;
}

static void read_fks(sql_intro *in, const char *db)
{
    sql_rows r = sql_intro_query(in,
        "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, c.UPDATE_RULE, c.DELETE_RULE, k.REFERENCED_TABLE_NAME, "
        "k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME "
        "FROM information_schema.KEY_COLUMN_USAGE k "
        "JOIN information_schema.REFERENTIAL_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
        "AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND c.TABLE_NAME = k.TABLE_NAME "
        "WHERE k.TABLE_SCHEMA = $1 AND k.REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION", 1, &db);
    for (size_t i = 0; i < r.nrows;) {
        size_t n = 1;
        while (i + n < r.nrows && strcmp(SQL_CELL(r, i + n, 0), SQL_CELL(r, i, 0)) == 0 &&
               strcmp(SQL_CELL(r, i + n, 1), SQL_CELL(r, i, 1)) == 0)
            n++;
        zm_rel_table *t = table_named(in, SQL_CELL(r, i, 0));
        zm_rel_fk *k = sql_intro_fk(in, SQL_CELL(r, i, 1), n);
        k->on_update = action_of(SQL_CELL(r, i, 2));
        k->on_delete = action_of(SQL_CELL(r, i, 3));
        k->ref_table = SQL_CELL(r, i, 4);
        for (size_t j = 0; j < n; j++) {
            k->cols[j] = SQL_CELL(r, i + j, 5);
            k->ref_cols[j] = SQL_CELL(r, i + j, 6);
        }
        if (t) sql_vec_push(in->a, &t->fks, k);
        i += n;
    }
}

/* Indexes InnoDB created for a foreign key (its name, its columns). */
static void drop_implicit_fk_indexes(sql_intro *in)
{
    for (size_t i = 0; i < in->s->tables.count; i++) {
        zm_rel_table *t = in->s->tables.items[i];
        size_t kept = 0;
        for (size_t k = 0; k < t->indexes.count; k++) {
            zm_rel_index *x = t->indexes.items[k];
            bool implicit = false;
            for (size_t f = 0; x->kind == ZM_REL_INDEX && f < t->fks.count && !implicit; f++) {
                const zm_rel_fk *fk = t->fks.items[f];
                implicit = strcmp(fk->name, x->name) == 0 && same_columns(x, fk);
            }
            if (!implicit) t->indexes.items[kept++] = x;
        }
        t->indexes.count = kept;
    }
}

void sql_mysql_introspect(sql_intro *in)
{
    const char *db = in->namespaces[0];
    bool mariadb = is_mariadb(in);
    sql_rows r = sql_intro_query(in,
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = $1 "
        "AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT IN ('_prisma_migrations', '_zmc_migration_lock') "
        "ORDER BY TABLE_NAME", 1, &db);
    for (size_t i = 0; i < r.nrows; i++) sql_intro_table(in, NULL, SQL_CELL(r, i, 0));
    read_columns(in, db, mariadb);
    read_indexes(in, db);
    read_fks(in, db);
    drop_implicit_fk_indexes(in);
}

/* Views, triggers, CHECK constraints (MariaDB's own json_valid() checks on
   JSON columns aside) and columns the database updates itself (ON UPDATE
   CURRENT_TIMESTAMP). */
void sql_mysql_read_notes(sql_intro *in)
{
    const char *db = in->namespaces[0];
    sql_rows r = sql_intro_query(in,
        "SELECT 'view', NULL, TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = $1 "
        "UNION ALL SELECT 'trigger', EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS "
        "WHERE TRIGGER_SCHEMA = $1 "
        "UNION ALL SELECT 'check constraint', tc.TABLE_NAME, tc.CONSTRAINT_NAME "
        "FROM information_schema.TABLE_CONSTRAINTS tc JOIN information_schema.CHECK_CONSTRAINTS cc "
        "ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
        "WHERE tc.CONSTRAINT_SCHEMA = $1 AND tc.CONSTRAINT_TYPE = 'CHECK' "
        "AND cc.CHECK_CLAUSE NOT LIKE 'json\\_valid(%' "
        "UNION ALL SELECT 'self-updating column', TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = $1 AND EXTRA LIKE '%on update%' ORDER BY 1, 2, 3", 1, &db);
    for (size_t i = 0; i < r.nrows; i++) {
        static const char *const kinds[] = {"view", "trigger", "check constraint", "self-updating column"};
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp(SQL_CELL(r, i, 0), kinds[k]) == 0)
                sql_intro_note(in, kinds[k], SQL_CELL(r, i, 1), SQL_CELL(r, i, 2));
    }
}
