/*
** render.c — the MySQL flavour: Prisma's column types (every @db.* native
** type, inline ENUM(...) for enums), its defaults (CURRENT_TIMESTAMP(p),
** RFC 3339 date-times, none for Json and Bytes) and the layout of its
** CREATE TABLE: columns say NULL or NOT NULL, AUTO_INCREMENT, indexes and
** the unnamed primary key inline, the table's character set and collation;
** foreign keys come last, as ALTER TABLE.
**
** Identifiers are quoted with backticks (a backtick doubled) and string
** literals with ' (' and \ doubled: Prisma escapes neither a backtick nor a
** backslash, so it writes broken or different SQL for such names and
** values, where zmc's stays exact.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql.h"

/* @db.X → the type name Prisma writes; arguments follow as (a, b). */
static const char *const NATIVE[][2] = {
    {"Int", "INTEGER"},                 {"UnsignedInt", "INTEGER UNSIGNED"},
    {"SmallInt", "SMALLINT"},           {"UnsignedSmallInt", "SMALLINT UNSIGNED"},
    {"TinyInt", "TINYINT"},             {"UnsignedTinyInt", "TINYINT UNSIGNED"},
    {"MediumInt", "MEDIUMINT"},         {"UnsignedMediumInt", "MEDIUMINT UNSIGNED"},
    {"BigInt", "BIGINT"},               {"UnsignedBigInt", "BIGINT UNSIGNED"},
    {"Decimal", "DECIMAL"},             {"Float", "FLOAT"},
    {"Double", "DOUBLE"},               {"Bit", "BIT"},
    {"Char", "CHAR"},                   {"VarChar", "VARCHAR"},
    {"Binary", "BINARY"},               {"VarBinary", "VARBINARY"},
    {"TinyBlob", "TINYBLOB"},           {"Blob", "BLOB"},
    {"MediumBlob", "MEDIUMBLOB"},       {"LongBlob", "LONGBLOB"},
    {"TinyText", "TINYTEXT"},           {"Text", "TEXT"},
    {"MediumText", "MEDIUMTEXT"},       {"LongText", "LONGTEXT"},
    {"Date", "DATE"},                   {"Time", "TIME"},
    {"DateTime", "DATETIME"},           {"Timestamp", "TIMESTAMP"},
    {"Year", "YEAR"},                   {"Json", "JSON"},
};

static const char *native_name(const char *db)
{
    for (size_t i = 0; i < sizeof NATIVE / sizeof NATIVE[0]; i++)
        if (strcmp(db, NATIVE[i][0]) == 0) return NATIVE[i][1];
    return NULL;
}

static const char *native_type(sql_arena *a, const zm_ir_field *f, const char *db)
{
    const char *name = native_name(db);
    if (!name) return NULL;
    /* a TINYINT that holds a Boolean is written BOOLEAN (its alias) */
    if (strcmp(db, "TinyInt") == 0 && zm_ir_field_scalar(f) == ZM_IR_BOOLEAN) return "BOOLEAN";
    size_t n = zm_ir_field_native_arg_count(f);
    if (n == 0) return name;
    sql_sb b = {0};
    sb_add(&b, name);
    sb_addc(&b, '(');
    for (size_t i = 0; i < n; i++) {
        const zm_ir_expr *e = zm_ir_field_native_arg_at(f, i);
        if (i) sb_add(&b, ", ");
        sb_add(&b, e && zm_ir_expr_text(e) ? zm_ir_expr_text(e) : "");
    }
    sb_addc(&b, ')');
    return sb_keep(a, &b);
}

static const char *scalar_type(zm_ir_scalar sc)
{
    switch (sc) {
    case ZM_IR_BOOLEAN: return "BOOLEAN";
    case ZM_IR_INT: return "INTEGER";
    case ZM_IR_BIGINT: return "BIGINT";
    case ZM_IR_FLOAT: return "DOUBLE";
    case ZM_IR_DECIMAL: return "DECIMAL(65, 30)";
    case ZM_IR_DATETIME: return "DATETIME(3)";
    case ZM_IR_JSON: return "JSON";
    case ZM_IR_BYTES: return "LONGBLOB";
    default: return "VARCHAR(191)";
    }
}

/* ENUM('A', 'B') of the values' database names. */
static const char *enum_type(sql_arena *a, const zm_ir_enum *e)
{
    sql_sb b = {0};
    sb_add(&b, "ENUM(");
    for (size_t i = 0; e && i < zm_ir_enum_value_count(e); i++) {
        if (i) sb_add(&b, ", ");
        sql_quote_literal(&b, &sql_flavor_mysql, zm_ir_enum_value_db_name(zm_ir_enum_value_at(e, i)));
    }
    sb_addc(&b, ')');
    return sb_keep(a, &b);
}

const char *sql_mysql_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement)
{
    (void)autoincrement;      /* AUTO_INCREMENT is the column's, not its type's */
    switch (zm_ir_field_kind_of(f)) {
    case ZM_IR_FIELD_UNSUPPORTED: return sql_strdup(a, zm_ir_field_unsupported(f) ? zm_ir_field_unsupported(f) : "");
    case ZM_IR_FIELD_ENUM: return enum_type(a, zm_ir_field_enum(f));
    case ZM_IR_FIELD_COMPOSITE: return "JSON";
    default: break;
    }
    const char *db = zm_ir_field_native_type(f);
    const char *type = db ? native_type(a, f, db) : NULL;
    return type ? type : scalar_type(zm_ir_field_scalar(f));
}

/* ---- defaults ----------------------------------------------------------------- */

static bool is_json(const zm_ir_field *f)
{
    const char *db = zm_ir_field_native_type(f);
    return zm_ir_field_kind_of(f) == ZM_IR_FIELD_COMPOSITE || zm_ir_field_scalar(f) == ZM_IR_JSON ||
           (db && strcmp(db, "Json") == 0);
}

/* The fractional-second precision now() is written with: the type's, else 3. */
static const char *now_precision(const zm_ir_field *f)
{
    const char *db = zm_ir_field_native_type(f);
    const zm_ir_expr *p = zm_ir_field_native_arg_count(f) ? zm_ir_field_native_arg_at(f, 0) : NULL;
    if (db && p && zm_ir_expr_text(p) &&
        (strcmp(db, "Time") == 0 || strcmp(db, "DateTime") == 0 || strcmp(db, "Timestamp") == 0))
        return zm_ir_expr_text(p);
    return "3";
}

/* "2020-01-01T10:00:00.5Z" as chrono's to_rfc3339() writes it:
   "2020-01-01T10:00:00.500+00:00" (fraction in 3, 6 or 9 digits, none when
   zero; Z as +00:00). NULL if the text is not a date-time. */
static const char *rfc3339(sql_arena *a, const char *v)
{
    int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) return NULL;
    const char *p = v + n;
    char digits[10] = "000000000";
    if (*p == 'T' || *p == ' ') {
        int k = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &k) != 3) return NULL;
        p += 1 + k;
        if (*p == '.') {
            size_t f = strspn(p + 1, "0123456789");
            memcpy(digits, p + 1, f > 9 ? 9 : f);
            p += 1 + f;
        }
    }
    int width = strcmp(digits + 3, "000000") == 0 ? 3 : strcmp(digits + 6, "000") == 0 ? 6 : 9;
    if (strcmp(digits, "000000000") == 0) width = 0;
    const char *zone = (*p == 'Z' || *p == 'z' || *p == '\0') ? "+00:00" : p;
    char buf[96];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s%.*s%s", y, mo, d, h, mi, s, width ? "." : "", width,
             digits, zone);
    return sql_strdup(a, buf);
}

bool sql_mysql_default(sql_arena *a, const zm_ir_field *f, const zm_ir_expr *e, zm_rel_default_kind *kind,
                       const char **value, sql_sb *sql)
{
    /* MySQL takes no literal default on JSON or BLOB columns; Prisma writes
       none (but keeps dbgenerated() on Bytes) */
    if (is_json(f)) return false;
    if (zm_ir_field_scalar(f) == ZM_IR_BYTES && *kind != ZM_REL_DEFAULT_EXPRESSION) return false;
    if (*kind == ZM_REL_DEFAULT_NOW) {
        free(sql->s);
        *sql = (sql_sb){0};
        sb_add(sql, "CURRENT_TIMESTAMP(");
        sb_add(sql, now_precision(f));
        sb_addc(sql, ')');
    } else if (*kind == ZM_REL_DEFAULT_DATETIME) {
        const char *t = zm_ir_expr_kind_of(e) == ZM_IR_EXPR_STRING ? rfc3339(a, zm_ir_expr_text(e)) : NULL;
        if (!t) return false;
        *value = t;
        free(sql->s);
        *sql = (sql_sb){0};
        sql_quote_literal(sql, &sql_flavor_mysql, t);
    }
    return true;
}

/* ---- rendering ---------------------------------------------------------------------- */

void sql_mysql_index_columns(sql_sb *b, const zm_rel_index *x)
{
    sb_addc(b, '(');
    for (size_t i = 0; i < x->ncols; i++) {
        if (i) sb_add(b, ", ");
        sql_quote_ident(b, &sql_flavor_mysql, x->cols[i].name);
        if (x->cols[i].length > 0) {
            char len[24];
            snprintf(len, sizeof len, "(%d)", x->cols[i].length);
            sb_add(b, len);
        }
        /* an explicit sort: is written, ASC too */
        if (x->cols[i].sort == ZM_REL_SORT_ASC) sb_add(b, " ASC");
        if (x->cols[i].sort == ZM_REL_SORT_DESC) sb_add(b, " DESC");
    }
    sb_addc(b, ')');
}

void sql_mysql_render_column(sql_sb *b, const zm_rel_column *c)
{
    sb_add(b, "    ");
    sql_quote_ident(b, &sql_flavor_mysql, c->name);
    sb_addc(b, ' ');
    sb_add(b, c->type);
    sb_add(b, c->nullable ? " NULL" : " NOT NULL");
    if (c->autoincrement) sb_add(b, " AUTO_INCREMENT");
    if (c->default_sql) {
        sb_add(b, " DEFAULT ");
        sb_add(b, c->default_sql);
    }
}

void sql_mysql_render_table(const zm_rel_table *t, sql_sb *b)
{
    sb_add(b, "CREATE TABLE ");
    sql_quote_ident(b, &sql_flavor_mysql, t->name);
    sb_add(b, " (\n");
    for (size_t i = 0; i < t->columns.count; i++) {
        if (i) sb_add(b, ",\n");
        sql_mysql_render_column(b, t->columns.items[i]);
    }
    if (t->indexes.count || t->pk) sb_add(b, ",\n\n");
    for (size_t i = 0; i < t->indexes.count; i++) {
        const zm_rel_index *x = t->indexes.items[i];
        if (i) sb_add(b, ",\n");
        sb_add(b, x->kind == ZM_REL_UNIQUE ? "    UNIQUE INDEX " : x->kind == ZM_REL_FULLTEXT ? "    FULLTEXT INDEX "
                                                                                               : "    INDEX ");
        sql_quote_ident(b, &sql_flavor_mysql, x->name);
        sql_mysql_index_columns(b, x);
    }
    if (t->pk) {
        /* MySQL's primary key is always named PRIMARY: Prisma names none */
        sb_add(b, t->indexes.count ? ",\n    PRIMARY KEY " : "    PRIMARY KEY ");
        sql_mysql_index_columns(b, t->pk);
    }
    sb_add(b, "\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n");
}

void sql_mysql_render(const zm_rel_schema *s, sql_sb *out)
{
    bool first = true;
    for (size_t i = 0; i < s->tables.count; i++) {
        sql_step(out, &first, "CreateTable");
        sql_mysql_render_table(s->tables.items[i], out);
    }
    for (size_t i = 0; i < s->tables.count; i++) {
        const zm_rel_table *t = s->tables.items[i];
        for (size_t k = 0; k < t->fks.count; k++) {
            const zm_rel_fk *fk = t->fks.items[k];
            sql_step(out, &first, "AddForeignKey");
            sb_add(out, "ALTER TABLE ");
            sql_quote_ident(out, &sql_flavor_mysql, t->name);
            sb_add(out, " ADD CONSTRAINT ");
            sql_quote_ident(out, &sql_flavor_mysql, fk->name);
            sql_render_fk_tail(out, s, fk, false);
            sb_add(out, ";\n");
        }
    }
}
