/*
** introspect.c — an SQLite database read back into a relational
** schema: sqlite_master for the tables, the table-valued pragmas for
** columns, indexes and foreign keys, and the tables' own CREATE TABLE text
** for what the pragmas do not say (AUTOINCREMENT, foreign key names).
**
** Types are the declared ones, as Prisma wrote them; defaults are the text
** after DEFAULT, as written. The primary key gets Prisma's default name
** (`Table_pkey`): SQLite keeps none.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlite.h"

/* ---- the CREATE TABLE text ---------------------------------------------------------- */

typedef enum tok_kind { TOK_END, TOK_WORD, TOK_IDENT, TOK_STRING, TOK_PUNCT } tok_kind;

typedef struct token {
    tok_kind kind;
    const char *text;           /* an identifier unquoted (arena), else NULL */
    const char *start;
    size_t len;
} token;

typedef struct lexer {
    sql_intro *in;
    const char *p;
} lexer;

/* The next token: words, quoted identifiers ("x", `x`, [x]), string
   literals, single punctuation characters; blanks and comments skipped. */
static token next_token(lexer *lx)
{
    const char *p = lx->p;
    for (;;) {
        while (isspace((unsigned char)*p)) p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else {
            break;
        }
    }
    token t = {.start = p};
    if (!*p) {
        t.kind = TOK_END;
    } else if (*p == '"' || *p == '`' || *p == '[') {
        char close = *p == '[' ? ']' : *p;
        sql_sb b = {0};
        for (p++; *p; p++) {
            if (*p == close) {
                if (close == ']' || p[1] != close) break;
                p++;
            }
            sb_addc(&b, *p);
        }
        if (*p) p++;
        t.kind = TOK_IDENT;
        t.text = sb_keep(lx->in->a, &b);
    } else if (*p == '\'') {
        for (p++; *p; p++)
            if (*p == '\'' && *++p != '\'') break;
        t.kind = TOK_STRING;
    } else if (isalnum((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80) {
        while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80) p++;
        t.kind = TOK_WORD;
        t.text = sql_strndup(lx->in->a, t.start, (size_t)(p - t.start));
    } else {
        p++;
        t.kind = TOK_PUNCT;
    }
    t.len = (size_t)(p - t.start);
    lx->p = p;
    return t;
}

static bool is_word(token t, const char *w) { return t.kind == TOK_WORD && strcasecmp(t.text, w) == 0; }
static bool is_punct(token t, char c) { return t.kind == TOK_PUNCT && *t.start == c; }
static bool is_name(token t) { return t.kind == TOK_IDENT || t.kind == TOK_WORD; }

/* A foreign key clause as written: CONSTRAINT name FOREIGN KEY (cols) REFERENCES table. */
typedef struct fk_clause {
    const char *name, *ref_table;
    sql_vec cols;
} fk_clause;

typedef struct table_text {
    bool autoincrement;
    sql_vec fks;                /* fk_clause * */
} table_text;

/* (a, b, c) after the current position; false if not a name list. */
static bool name_list(lexer *lx, sql_vec *out)
{
    if (!is_punct(next_token(lx), '(')) return false;
    for (;;) {
        token t = next_token(lx);
        if (!is_name(t)) return false;
        sql_vec_push(lx->in->a, out, (void *)t.text);
        t = next_token(lx);
        if (is_punct(t, ')')) return true;
        if (!is_punct(t, ',')) return false;
    }
}

static table_text read_table_text(sql_intro *in, const char *sql)
{
    table_text tt = {0};
    lexer lx = {.in = in, .p = sql ? sql : ""};
    for (token t = next_token(&lx); t.kind != TOK_END; t = next_token(&lx)) {
        if (is_word(t, "AUTOINCREMENT")) tt.autoincrement = true;
        if (!is_word(t, "CONSTRAINT")) continue;
        token name = next_token(&lx);
        if (!is_name(name)) continue;
        lexer save = lx;
        if (!is_word(next_token(&lx), "FOREIGN") || !is_word(next_token(&lx), "KEY")) {
            lx = save;
            continue;
        }
        fk_clause *fk = sql_alloc(in->a, sizeof *fk);
        fk->name = name.text;
        if (!name_list(&lx, &fk->cols) || !is_word(next_token(&lx), "REFERENCES")) continue;
        token ref = next_token(&lx);
        if (!is_name(ref)) continue;
        fk->ref_table = ref.text;
        sql_vec_push(in->a, &tt.fks, fk);
    }
    return tt;
}

/* ---- defaults ------------------------------------------------------------------------ */

/* The text after DEFAULT as written; the kind follows from its form and the
   column's declared type (JSONB, DATETIME, BLOB). */
static void read_default(sql_intro *in, zm_rel_column *c, const char *text)
{
    if (!text) return;
    c->default_sql = sql_strdup(in->a, text);
    const char *p = text;
    const char *lit = sql_intro_literal(in, &p);
    if (lit && *p == '\0') {
        c->default_value = lit;
        if (strcasecmp(c->type, "JSONB") == 0 || strcasecmp(c->type, "JSON") == 0) c->default_kind = ZM_REL_DEFAULT_JSON;
        else if (strcasecmp(c->type, "DATETIME") == 0) c->default_kind = ZM_REL_DEFAULT_DATETIME;
        else if (strcasecmp(c->type, "BLOB") == 0) c->default_kind = ZM_REL_DEFAULT_BYTES;
        else c->default_kind = ZM_REL_DEFAULT_STRING;
    } else if (strcasecmp(text, "CURRENT_TIMESTAMP") == 0) {
        c->default_kind = ZM_REL_DEFAULT_NOW;
        c->default_sql = "CURRENT_TIMESTAMP";
    } else if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
        c->default_kind = ZM_REL_DEFAULT_BOOL;
        c->default_value = c->default_sql;
    } else if (sql_intro_is_number(text)) {
        c->default_kind = ZM_REL_DEFAULT_NUMBER;
        c->default_value = c->default_sql;
    } else {
        /* SQLite takes any other expression only in parentheses, and keeps it without them */
        sql_sb b = {0};
        sb_addc(&b, '(');
        sb_add(&b, text);
        sb_addc(&b, ')');
        c->default_kind = ZM_REL_DEFAULT_EXPRESSION;
        c->default_value = c->default_sql = sb_keep(in->a, &b);
    }
}

/* ---- tables ---------------------------------------------------------------------------- */

/* The catalog is read with one query per kind over every table (the
   table-valued pragmas joined to sqlite_master), not one per table: on
   hundreds of tables, preparing thousands of small statements was most of
   the time. Each query ends with its key column (the table, or the index),
   so that a key's rows viewed alone have the columns a per-table query
   would have had. */
#define USER_TABLES \
    "FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
    "AND m.name <> '_prisma_migrations'"

/* The rows of `r` (sorted by its last column) whose key is `key`, as a view. */
static sql_rows rows_of_key(const sql_rows *r, const char *key)
{
    size_t lo = 0, hi = r->nrows, k = r->ncols - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *c = SQL_CELL(*r, mid, k);
        if (strcmp(c ? c : "", key) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < r->nrows && SQL_CELL(*r, end, k) && strcmp(SQL_CELL(*r, end, k), key) == 0) end++;
    return (sql_rows){.nrows = end - lo, .ncols = r->ncols, .cells = r->cells + lo * r->ncols};
}


static zm_rel_action action_of(const char *s)
{
    if (!s) return ZM_REL_NO_ACTION;
    if (strcasecmp(s, "CASCADE") == 0) return ZM_REL_CASCADE;
    if (strcasecmp(s, "RESTRICT") == 0) return ZM_REL_RESTRICT;
    if (strcasecmp(s, "SET NULL") == 0) return ZM_REL_SET_NULL;
    if (strcasecmp(s, "SET DEFAULT") == 0) return ZM_REL_SET_DEFAULT;
    return ZM_REL_NO_ACTION;
}

static void read_columns(sql_intro *in, zm_rel_table *t, const table_text *tt, sql_rows r)
{
    size_t npk = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        zm_rel_column *c = sql_intro_column(in, t, SQL_CELL(r, i, 0));
        c->type = SQL_CELL(r, i, 1) ? SQL_CELL(r, i, 1) : "";
        c->nullable = !(SQL_CELL(r, i, 2) && strcmp(SQL_CELL(r, i, 2), "0") != 0);
        read_default(in, c, SQL_CELL(r, i, 3));
        if (SQL_CELL(r, i, 4) && strcmp(SQL_CELL(r, i, 4), "0") != 0) npk++;
    }
    if (npk == 0) return;
    zm_rel_index *pk = sql_intro_index(in, ZM_REL_PRIMARY, "", npk);
    pk->name = sql_constraint_name(in->a, t->name, NULL, 0, "_pkey", sql_flavor_sqlite.name_limit);
    pk->named = false;
    for (size_t i = 0; i < r.nrows; i++) {
        long k = SQL_CELL(r, i, 4) ? strtol(SQL_CELL(r, i, 4), NULL, 10) : 0;
        if (k >= 1 && (size_t)k <= npk) pk->cols[k - 1].name = SQL_CELL(r, i, 0);
    }
    t->pk = pk;
    /* AUTOINCREMENT belongs to the rowid: a single INTEGER primary key column */
    if (tt->autoincrement && npk == 1) {
        zm_rel_column *c = (zm_rel_column *)zm_rel_table_column_find(t, pk->cols[0].name);
        if (c && strcasecmp(c->type, "INTEGER") == 0) c->autoincrement = true;
    }
}

static void read_indexes(sql_intro *in, zm_rel_table *t, sql_rows r, const sql_rows *all_cols)
{
    for (size_t i = 0; i < r.nrows; i++) {
        const char *iname = SQL_CELL(r, i, 0), *origin = SQL_CELL(r, i, 2);
        /* the primary key's and inline UNIQUE constraints' automatic indexes */
        if (!iname || (origin && strcmp(origin, "c") != 0) || strncmp(iname, "sqlite_autoindex_", 17) == 0) continue;
        sql_rows cols = rows_of_key(all_cols, iname);
        bool unique = SQL_CELL(r, i, 1) && strcmp(SQL_CELL(r, i, 1), "0") != 0;
        zm_rel_index *x = sql_intro_index(in, unique ? ZM_REL_UNIQUE : ZM_REL_INDEX, iname, cols.nrows);
        for (size_t k = 0; k < cols.nrows; k++) {
            x->cols[k].name = SQL_CELL(cols, k, 0) ? SQL_CELL(cols, k, 0) : "";
            if (SQL_CELL(cols, k, 1) && strcmp(SQL_CELL(cols, k, 1), "0") != 0) x->cols[k].sort = ZM_REL_SORT_DESC;
        }
        sql_vec_push(in->a, &t->indexes, x);
    }
}

static bool same_columns(const fk_clause *c, const zm_rel_fk *k)
{
    if (c->cols.count != k->ncols) return false;
    for (size_t i = 0; i < k->ncols; i++)
        if (strcmp(c->cols.items[i], k->cols[i]) != 0) return false;
    return true;
}

static void read_fks(sql_intro *in, zm_rel_table *t, table_text *tt, sql_rows r)
{
    for (size_t i = 0; i < r.nrows;) {
        size_t n = 1;
        while (i + n < r.nrows && strcmp(SQL_CELL(r, i + n, 0), SQL_CELL(r, i, 0)) == 0) n++;
        zm_rel_fk *k = sql_intro_fk(in, "", n);
        for (size_t j = 0; j < n; j++) {
            k->cols[j] = SQL_CELL(r, i + j, 3) ? SQL_CELL(r, i + j, 3) : "";
            k->ref_cols[j] = SQL_CELL(r, i + j, 4) ? SQL_CELL(r, i + j, 4) : "";
        }
        k->ref_table = SQL_CELL(r, i, 2);
        k->on_update = action_of(SQL_CELL(r, i, 5));
        k->on_delete = action_of(SQL_CELL(r, i, 6));
        /* the name from the table's text: the clause with these columns and target */
        k->name = NULL;
        for (size_t c = 0; c < tt->fks.count; c++) {
            fk_clause *fc = tt->fks.items[c];
            if (fc->name && same_columns(fc, k) && k->ref_table && strcmp(fc->ref_table, k->ref_table) == 0) {
                k->name = fc->name;
                fc->name = NULL;        /* used: the next key with the same columns takes the next */
                break;
            }
        }
        if (!k->name) k->name = sql_constraint_name(in->a, t->name, k->cols, n, "_fkey", sql_flavor_sqlite.name_limit);
        sql_vec_push(in->a, &t->fks, k);
        i += n;
    }
}

void sql_sqlite_introspect(sql_intro *in)
{
    sql_rows r = sql_intro_query(in, "SELECT m.name, m.sql " USER_TABLES " ORDER BY m.name", 0, NULL);
    sql_rows cols = sql_intro_query(in,
        "SELECT p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, m.name "
        "FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' "
        "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name <> '_prisma_migrations' ORDER BY m.name, p.cid",
        0, NULL);
    sql_rows idx = sql_intro_query(in,
        "SELECT il.name, il.\"unique\", il.origin, m.name "
        "FROM sqlite_master m JOIN pragma_index_list(m.name) il WHERE m.type = 'table' "
        "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name <> '_prisma_migrations' ORDER BY m.name, il.name",
        0, NULL);
    sql_rows idx_cols = sql_intro_query(in,
        "SELECT x.name, x.\"desc\", il.name "
        "FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) x "
        "WHERE m.type = 'table' AND x.key ORDER BY il.name, x.seqno",
        0, NULL);
    sql_rows fks = sql_intro_query(in,
        "SELECT f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete, m.name "
        "FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' "
        "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name <> '_prisma_migrations' ORDER BY m.name, f.id, f.seq",
        0, NULL);
    for (size_t i = 0; i < r.nrows; i++) {
        zm_rel_table *t = sql_intro_table(in, NULL, SQL_CELL(r, i, 0));
        table_text tt = read_table_text(in, SQL_CELL(r, i, 1));
        read_columns(in, t, &tt, rows_of_key(&cols, t->name));
        read_indexes(in, t, rows_of_key(&idx, t->name), &idx_cols);
        read_fks(in, t, &tt, rows_of_key(&fks, t->name));
    }
}

/* Views, triggers, partial indexes and tables with CHECK constraints, from
   sqlite_master (a CHECK is found in the table's SQL). */
void sql_sqlite_read_notes(sql_intro *in)
{
    sql_rows r = sql_intro_query(in,
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "AND name <> '_prisma_migrations' AND (type IN ('view', 'trigger') OR (type = 'index' AND sql LIKE "
        "'% WHERE %') OR (type = 'table' AND upper(sql) LIKE '%CHECK%(%')) ORDER BY type, name", 0, NULL);
    for (size_t i = 0; i < r.nrows; i++) {
        const char *type = SQL_CELL(r, i, 0), *name = SQL_CELL(r, i, 1), *table = SQL_CELL(r, i, 2);
        if (strcmp(type, "view") == 0) sql_intro_note(in, "view", NULL, name);
        else if (strcmp(type, "trigger") == 0) sql_intro_note(in, "trigger", table, name);
        else if (strcmp(type, "index") == 0) sql_intro_note(in, "partial index", table, name);
        else sql_intro_note(in, "check constraint", table, "");
    }
}
