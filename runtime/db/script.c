/*
** script.c — a migration script read as the database will read it, to
** find the statements that control transactions.
**
** zmc runs every migration inside a transaction of its own, together with
** its record in _prisma_migrations, so that the two happen whole or not at
** all. A COMMIT or ROLLBACK in the middle of the script would end that
** transaction early: what ran before it would stay (or vanish) whatever
** happens after, and the record would no longer tell the truth. So before
** anything runs, the script's statements are classified:
**
**   - a block BEGIN; ... COMMIT; (Prisma writes one around an enum's
**     redefinition on PostgreSQL) asks for what zmc's transaction already
**     gives: its two statements are blanked out (spaces, so positions and
**     line numbers stay) and the rest runs in zmc's transaction;
**   - anything else (ROLLBACK, ABORT, SAVEPOINT, RELEASE, PREPARE
**     TRANSACTION, COMMIT PREPARED, a COMMIT with no BEGIN, a BEGIN with
**     no COMMIT, a BEGIN inside a block) is refused, and nothing runs.
**
** Statements end at a semicolon outside quotes ('', "", ``, E'' with its
** backslashes, $tag$ bodies), comments (-- and block comments, which nest
** on PostgreSQL), parentheses, and BEGIN ... END bodies of CREATE
** statements (SQLite's triggers, PostgreSQL's BEGIN ATOMIC), where CASE
** ... END nests too.
*/
#include "driver.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zmc/buf.h"

typedef enum tx_kind { TX_NONE, TX_BEGIN, TX_COMMIT, TX_OTHER } tx_kind;

typedef struct statement {
    size_t start, end;      /* [start, end) the text, without the semicolon */
    size_t semi;            /* the semicolon's offset, or end when there is none */
    tx_kind tx;
} statement;

static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$' || (c & 0x80); }

static bool word_is(const char *w, size_t n, const char *kw) { return strlen(kw) == n && strncasecmp(w, kw, n) == 0; }

/* Past a quoted string or identifier starting at p (the quote); `backslash`:
   a backslash escapes the next byte (E'...'). */
static const char *skip_quoted(const char *p, bool backslash)
{
    char q = *p++;
    while (*p) {
        if (backslash && *p == '\\' && p[1]) p += 2;
        else if (*p == q && p[1] == q) p += 2;
        else if (*p == q) return p + 1;
        else p++;
    }
    return p;
}

/* Past a block comment starting at p ("/" "*"); nested on PostgreSQL. */
static const char *skip_block_comment(const char *p, bool nested)
{
    int depth = 0;
    while (*p) {
        if (p[0] == '/' && p[1] == '*') {
            depth++;
            p += 2;
        } else if (p[0] == '*' && p[1] == '/') {
            p += 2;
            if (--depth == 0 || !nested) return p;
        } else {
            p++;
        }
    }
    return p;
}

/* Past a dollar-quoted body starting at p, or NULL when p starts none. */
static const char *skip_dollar(const char *p)
{
    const char *t = p + 1;
    if (*t >= '0' && *t <= '9') return NULL;
    while (*t == '_' || isalnum((unsigned char)*t) || (*t & 0x80)) t++;
    if (*t != '$') return NULL;
    size_t n = (size_t)(t + 1 - p);
    for (const char *q = t + 1; *q; q++)
        if (*q == '$' && strncmp(q, p, n) == 0) return q + n;
    return p + strlen(p);
}

static tx_kind classify(const char *w1, size_t n1, const char *w2, size_t n2)
{
    if (word_is(w1, n1, "BEGIN")) return TX_BEGIN;
    if (word_is(w1, n1, "START") && word_is(w2, n2, "TRANSACTION")) return TX_BEGIN;
    if (word_is(w1, n1, "COMMIT")) return word_is(w2, n2, "PREPARED") ? TX_OTHER : TX_COMMIT;
    if (word_is(w1, n1, "END")) return TX_COMMIT;
    if (word_is(w1, n1, "ROLLBACK") || word_is(w1, n1, "ABORT") || word_is(w1, n1, "SAVEPOINT") ||
        word_is(w1, n1, "RELEASE"))
        return TX_OTHER;
    if (word_is(w1, n1, "PREPARE") && word_is(w2, n2, "TRANSACTION")) return TX_OTHER;
    return TX_NONE;
}

/* Split `s` into statements (those with at least one word), each with its
   kind. Returns the count; *out malloc'ed, NULL when out of memory. */
static size_t split(const zmc_dialect *dialect, const char *s, statement **out)
{
    bool pg = (dialect->features & ZMC_DIALECT_DOLLAR_QUOTES) != 0;
    bool backslash = (dialect->features & ZMC_DIALECT_BACKSLASH_ESCAPES) != 0;
    size_t cap = 16, n = 0;
    statement *v = malloc(cap * sizeof *v);
    const char *p = s, *start = NULL;
    const char *w1 = NULL, *w2 = NULL;
    size_t n1 = 0, n2 = 0, words = 0;
    int depth = 0, parens = 0;
    bool create = false;
    while (v) {
        if (!*p || (*p == ';' && depth == 0 && parens == 0)) {
            if (words) {
                if (n == cap) {
                    statement *bigger = realloc(v, (cap *= 2) * sizeof *v);
                    if (!bigger) break;
                    v = bigger;
                }
                v[n++] = (statement){(size_t)(start - s), (size_t)(p - s), (size_t)(p - s),
                                     classify(w1, n1, w2, n2)};
            }
            if (!*p) break;
            p++;
            start = NULL;
            w1 = w2 = NULL;
            n1 = n2 = 0;
            words = 0;
            depth = parens = 0;
            create = false;
            continue;
        }
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            p++;
        } else if ((c == '-' && p[1] == '-') || (c == '#' && backslash)) {
            while (*p && *p != '\n') p++;     /* MySQL: # comments too */
        } else if (c == '/' && p[1] == '*') {
            p = skip_block_comment(p, pg);
        } else if (c == '\'' || c == '"' || c == '`') {
            if (!start) start = p;
            p = skip_quoted(p, backslash && c != '`');
            words++;
        } else if (c == '$' && pg && skip_dollar(p)) {
            if (!start) start = p;
            p = skip_dollar(p);
            words++;
        } else if (word_char(c)) {
            const char *w = p;
            while (word_char(*p)) p++;
            size_t wn = (size_t)(p - w);
            if (pg && *p == '\'' && wn == 1 && (*w == 'E' || *w == 'e')) {
                if (!start) start = w;
                p = skip_quoted(p, true);
                words++;
                continue;
            }
            if (!start) start = w;
            if (words == 0) w1 = w, n1 = wn, create = word_is(w, wn, "CREATE");
            else if (words == 1) w2 = w, n2 = wn;
            words++;
            if (create && (word_is(w, wn, "BEGIN") || word_is(w, wn, "CASE"))) depth++;
            else if (create && depth > 0 && word_is(w, wn, "END")) depth--;
        } else {
            if (!start) start = p;
            if (c == '(') parens++;
            else if (c == ')' && parens > 0) parens--;
            p++;
            words += words == 0;    /* a statement of punctuation: not empty */
            if (words == 1 && !w1) w1 = "", n1 = 0;
        }
    }
    if (!v) return 0;
    *out = v;
    return n;
}

static int line_of(const char *s, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++) line += s[i] == '\n';
    return line;
}

/* Refuse statement `st`: why, where, and that nothing ran. */
static zm_db_status refuse(const char *s, const statement *st, const char *why, zm_db_error *err)
{
    char *text = strndup(s + st->start, st->end - st->start);
    zm_buf m = ZM_BUF_INIT;
    zm_buf_printf(&m,
                  "the migration controls transactions itself: %s (line %d). zmc runs each migration in one "
                  "transaction together with its record, so that both are applied whole or not at all; a "
                  "statement that ends, splits or rolls back that transaction would break it. Only a "
                  "BEGIN; ... COMMIT; block is allowed, and it runs in zmc's transaction. Nothing of this "
                  "migration was run",
                  why, line_of(s, st->start));
    zm_db_status rc = zm_db_fail(err, ZM_DB_ESQL, m.data ? m.data : "transaction control", text, NULL);
    zm_buf_free(&m);
    free(text);
    return rc;
}

zm_db_status zm_db_script_for_transaction(const zmc_dialect *dialect, const char *script, char **out,
                                          zm_db_error *err)
{
    *out = NULL;
    statement *v = NULL;
    size_t n = split(dialect, script, &v);
    if (!v) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    const statement *open = NULL;
    zm_db_status rc = ZM_DB_OK;
    bool blank = false;
    for (size_t i = 0; i < n && rc == ZM_DB_OK; i++) {
        const statement *st = &v[i];
        if (st->tx == TX_BEGIN && open) rc = refuse(script, st, "a BEGIN inside a BEGIN ... COMMIT block", err);
        else if (st->tx == TX_BEGIN) open = st;
        else if (st->tx == TX_COMMIT && !open) rc = refuse(script, st, "a COMMIT with no BEGIN before it", err);
        else if (st->tx == TX_COMMIT) open = NULL, blank = true;
        else if (st->tx == TX_OTHER) rc = refuse(script, st, "a ROLLBACK, SAVEPOINT, RELEASE or two-phase commit", err);
    }
    if (rc == ZM_DB_OK && open) rc = refuse(script, open, "a BEGIN with no COMMIT after it", err);
    if (rc == ZM_DB_OK && blank) {
        char *copy = strdup(script);
        if (!copy) {
            rc = zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
        } else {
            for (size_t i = 0; i < n; i++) {
                if (v[i].tx != TX_BEGIN && v[i].tx != TX_COMMIT) continue;
                size_t end = v[i].semi + (script[v[i].semi] == ';');
                for (size_t k = v[i].start; k < end; k++)
                    if (copy[k] != '\n') copy[k] = ' ';
            }
            *out = copy;
        }
    }
    free(v);
    return rc;
}

size_t zm_db_script_split(const zmc_dialect *dialect, const char *script, char ***out)
{
    *out = NULL;
    statement *v = NULL;
    size_t n = split(dialect, script, &v);
    if (!v) return 0;
    char **texts = calloc(n + 1, sizeof *texts);
    for (size_t i = 0; texts && i < n; i++) {
        texts[i] = strndup(script + v[i].start, v[i].end - v[i].start);
        if (!texts[i]) {
            zm_db_script_free(texts, i);
            texts = NULL;
        }
    }
    free(v);
    *out = texts;
    return texts ? n : 0;
}

size_t zm_db_script_spans(const zmc_dialect *dialect, const char *script, zm_db_span **out)
{
    *out = NULL;
    statement *v = NULL;
    size_t n = split(dialect, script, &v);
    zm_db_span *spans = v && n ? calloc(n, sizeof *spans) : NULL;
    for (size_t i = 0; spans && i < n; i++) {
        size_t at = v[i].start;
        while (at < v[i].end && (script[at] == ' ' || script[at] == '\t' || script[at] == '\n' || script[at] == '\r'))
            at++;
        spans[i] = (zm_db_span){at, v[i].end - at, (unsigned)line_of(script, at)};
    }
    free(v);
    *out = spans;
    return spans ? n : 0;
}

void zm_db_script_free(char **statements, size_t n)
{
    for (size_t i = 0; statements && i < n; i++) free(statements[i]);
    free(statements);
}

/* Is the word at p (n bytes, or a `quoted` name when quoted) one of names? */
static bool is_listed(const char *p, size_t n, bool quoted, const char *const *names, size_t count)
{
    char word[256];
    size_t len = 0;
    for (size_t i = 0; i < n && len + 1 < sizeof word; i++) {
        if (quoted && p[i] == '`' && i + 1 < n && p[i + 1] == '`') i++;
        word[len++] = p[i];
    }
    word[len] = '\0';
    for (size_t i = 0; i < count; i++)
        if (strcasecmp(word, names[i]) == 0) return true;
    return false;
}

zm_db_status zm_db_script_names_database(const zmc_dialect *dialect, const char *script, const char *const *names,
                                         size_t count, zm_db_error *err)
{
    statement *v = NULL;
    size_t n = split(dialect, script, &v);
    if (!v) return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory", NULL, NULL);
    bool backslash = (dialect->features & ZMC_DIALECT_BACKSLASH_ESCAPES) != 0;
    zm_db_status rc = ZM_DB_OK;
    for (size_t i = 0; i < n && rc == ZM_DB_OK; i++) {
        const char *p = script + v[i].start, *end = script + v[i].end;
        bool first = true;
        while (p < end && rc == ZM_DB_OK) {
            char c = *p;
            const char *w = NULL;
            size_t wn = 0;
            bool quoted = false;
            if (c == '\'' || c == '"') {
                p = skip_quoted(p, backslash);
            } else if ((c == '-' && p[1] == '-') || (c == '#' && backslash)) {
                while (p < end && *p != '\n') p++;
            } else if (c == '/' && p[1] == '*') {
                p = skip_block_comment(p, false);
            } else if (c == '`') {
                w = p + 1;
                p = skip_quoted(p, false);
                wn = (size_t)(p - w) - (p[-1] == '`');
                quoted = true;
            } else if (word_char(c)) {
                w = p;
                while (p < end && word_char(*p)) p++;
                wn = (size_t)(p - w);
            } else {
                p++;
            }
            if (!w) continue;
            const char *q = p;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
            /* USE db, ATTACH DATABASE, or db.table: the statement reaches
               another database */
            bool use = first && !quoted && (word_is(w, wn, "USE") || word_is(w, wn, "ATTACH"));
            first = false;
            if (use || (q < end && *q == '.' && is_listed(w, wn, quoted, names, count))) {
                char *text = strndup(script + v[i].start, v[i].end - v[i].start);
                zm_buf m = ZM_BUF_INIT;
                zm_buf_printf(&m, "the statement at line %d %s", line_of(script, v[i].start),
                              use ? "switches to or attaches another database" : "names another database of the server");
                rc = zm_db_fail(err, ZM_DB_ESQL, m.data ? m.data : "another database", text, NULL);
                zm_buf_free(&m);
                free(text);
            }
        }
    }
    free(v);
    return rc;
}
