/*
** naming.c — identifiers and literals of the SQL backend: Prisma's default
** constraint names (cut to the dialect's identifier limit on a UTF-8
** boundary) and the quoting that keeps any name or string valid SQL.
**
** Quoting is the only defence against a hostile @map("x\"; DROP ...") or a
** default value with quotes: every identifier and string literal the
** backend writes goes through sql_quote_ident / sql_quote_literal.
*/
#include <string.h>

#include "sql.h"

size_t sql_utf8_floor(const char *s, size_t n)
{
    size_t len = strlen(s);
    if (n >= len) return len;
    /* back off continuation bytes (10xxxxxx): s[n] must start a character */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

char *sql_constraint_name(sql_arena *a, const char *table, const char *const *cols, size_t ncols,
                          const char *suffix, size_t limit)
{
    sql_sb b = {0};
    sb_add(&b, table);
    for (size_t i = 0; i < ncols; i++) {
        sb_addc(&b, '_');
        sb_add(&b, cols[i]);
    }
    size_t room = limit > strlen(suffix) ? limit - strlen(suffix) : 0;
    if (!b.oom && b.len > room) {
        b.len = sql_utf8_floor(b.s, room);
        b.s[b.len] = '\0';
    }
    sb_add(&b, suffix);
    return sb_keep(a, &b);
}

void sql_quote_ident(sql_sb *b, const sql_flavor *f, const char *name)
{
    char q = f->quote;
    sb_addc(b, q);
    for (const char *p = name; *p; p++) {
        if (*p == q) sb_addc(b, q);
        sb_addc(b, *p);
    }
    sb_addc(b, q);
}

void sql_quote_literal(sql_sb *b, const sql_flavor *f, const char *text)
{
    sb_addc(b, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'' || (*p == '\\' && f->backslash_escapes)) sb_addc(b, *p);
        sb_addc(b, *p);
    }
    sb_addc(b, '\'');
}

void sql_quote_object(sql_sb *b, const zm_rel_schema *s, const char *namespace_, const char *name)
{
    /* objects of the connection's own schema (public) are not qualified */
    if (s->multi_namespace && namespace_ && strcmp(namespace_, "public") != 0) {
        sql_quote_ident(b, s->flavor, namespace_);
        sb_addc(b, '.');
    }
    sql_quote_ident(b, s->flavor, name);
}
