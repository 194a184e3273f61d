/*
** format.c — the canonical layout of a ZModel file (`zmc format`).
**
** The layout is Prisma's: two-space indent, one blank line between
** declarations, and the columns of fields (name, type, attributes), enum
** values and config entries (key, `= value`) aligned within each run of lines
** not broken by a blank line. Every comment is kept: a comment on its own line
** stays on its own line before the item that follows it, a comment after an
** item on the same line stays at the end of that line. Runs of blank lines
** shrink to one.
**
** The printer works from the AST, so what it prints parses to the same tree.
** Where the author spread an item over several lines, or put a comment inside
** it, the part of the item that holds the line breaks is copied as written
** (the way gofmt respects line breaks), which also keeps those comments.
** Function, attribute and procedure declarations, which appear in libraries
** rather than application schemas, are copied as written.
*/
#include "format.h"

#include <string.h>

enum { INDENT = 2 };

typedef struct fmt {
    zm_buf *out;
    const char *src;        /* the file's text */
    size_t srclen;
    const zm_comment *next; /* first comment not printed yet */
    zm_arena *scratch;
} fmt;

/* ---- expressions ------------------------------------------------------- */

static void args_out(const zm_arg *a, zm_buf *out)
{
    for (; a; a = a->next) {
        if (a->name) {
            zm_buf_puts(out, a->name_raw ? a->name_raw : a->name);
            zm_buf_puts(out, ": ");
        }
        zm_format_expr(a->value, out);
        if (a->next) zm_buf_puts(out, ", ");
    }
}

void zm_format_expr(const zm_expr *e, zm_buf *out)
{
    switch (e->kind) {
    case ZM_EXPR_NUMBER: zm_buf_puts(out, e->text); return;
    case ZM_EXPR_STRING: zm_buf_puts(out, e->raw); return;
    case ZM_EXPR_BOOL: zm_buf_puts(out, e->boolean ? "true" : "false"); return;
    case ZM_EXPR_NULL: zm_buf_puts(out, "null"); return;
    case ZM_EXPR_THIS: zm_buf_puts(out, "this"); return;
    case ZM_EXPR_REF: zm_buf_puts(out, e->text); return;
    case ZM_EXPR_CALL:
        zm_buf_puts(out, e->text);
        zm_buf_putc(out, '(');
        args_out(e->args, out);
        zm_buf_putc(out, ')');
        return;
    case ZM_EXPR_MEMBER:
        zm_format_expr(e->lhs, out);
        zm_buf_putc(out, '.');
        zm_buf_puts(out, e->text);
        return;
    case ZM_EXPR_ARRAY:
        zm_buf_putc(out, '[');
        args_out(e->args, out);
        zm_buf_putc(out, ']');
        return;
    case ZM_EXPR_OBJECT:
        if (!e->args) {
            zm_buf_puts(out, "{}");
            return;
        }
        zm_buf_puts(out, "{ ");
        args_out(e->args, out);
        zm_buf_puts(out, " }");
        return;
    case ZM_EXPR_NOT:
        zm_buf_putc(out, '!');
        zm_format_expr(e->lhs, out);
        return;
    case ZM_EXPR_BINARY:
        zm_format_expr(e->lhs, out);
        zm_buf_printf(out, " %s ", zm_binop_text(e->op));
        zm_format_expr(e->rhs, out);
        return;
    case ZM_EXPR_PREDICATE:
        zm_format_expr(e->lhs, out);
        zm_buf_putc(out, (char)e->quant);
        zm_buf_putc(out, '[');
        if (e->text) {
            zm_buf_puts(out, e->text);
            zm_buf_puts(out, ", ");
        }
        zm_format_expr(e->rhs, out);
        zm_buf_putc(out, ']');
        return;
    case ZM_EXPR_PAREN:
        zm_buf_putc(out, '(');
        zm_format_expr(e->lhs, out);
        zm_buf_putc(out, ')');
        return;
    }
}

static void attr_out(const zm_attr *a, zm_buf *out)
{
    zm_buf_puts(out, a->name);
    if (a->has_parens) {
        zm_buf_putc(out, '(');
        args_out(a->args, out);
        zm_buf_putc(out, ')');
    }
}

static void type_out(const zm_typeref *t, zm_buf *out)
{
    zm_buf_puts(out, t->name);
    if (t->kind == ZM_TYPE_UNSUPPORTED) {
        zm_buf_putc(out, '(');
        zm_format_expr(t->unsupported, out);
        zm_buf_putc(out, ')');
    }
    if (t->list) zm_buf_puts(out, "[]");
    if (t->optional) zm_buf_putc(out, '?');
}

/* ---- source helpers ------------------------------------------------------ */

static bool has_newline(const fmt *f, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b && i < f->srclen; i++)
        if (f->src[i] == '\n') return true;
    return false;
}

/* True if the source between a and b holds an empty line. */
static bool has_blank_line(const fmt *f, uint32_t a, uint32_t b)
{
    bool after_newline = false;
    for (uint32_t i = a; i < b && i < f->srclen; i++) {
        char c = f->src[i];
        if (c == '\n') {
            if (after_newline) return true;
            after_newline = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            after_newline = false;
        }
    }
    return false;
}

static bool comment_within(const fmt *f, uint32_t a, uint32_t b)
{
    for (const zm_comment *c = f->next; c && c->span.start < b; c = c->next)
        if (c->span.start >= a) return true;
    return false;
}

/* True if the carriage returns from `i` on are followed by a newline before
   `b`: they are part of the line end, which the formatter writes as \n. */
static bool crs_end_line(const fmt *f, uint32_t i, uint32_t b)
{
    while (i < b && f->src[i] == '\r') i++;
    return i < b && f->src[i] == '\n';
}

/* Copy source text as written, without carriage returns before newlines,
   except inside string literals, where they are part of the value. `a` is
   at the start of a token or comment, so a small scan tells strings apart. */
static void verbatim(fmt *f, uint32_t a, uint32_t b)
{
    char quote = 0;         /* the quote of the string literal we are in */
    int comment = 0;        /* 1 in a line comment, 2 in a block comment */
    if (b > f->srclen) b = (uint32_t)f->srclen;
    for (uint32_t i = a; i < b; i++) {
        char c = f->src[i], next = i + 1 < b ? f->src[i + 1] : '\0';
        size_t n = 1;       /* bytes to copy as one unit */
        if (quote) {
            if (c == '\\') n = 2;
            else if (c == quote) quote = 0;
        } else if (comment == 1) {
            if (c == '\n') comment = 0;
        } else if (comment == 2) {
            if (c == '*' && next == '/') n = 2, comment = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '/' && (next == '/' || next == '*')) {
            n = 2;
            comment = next == '/' ? 1 : 2;
        }
        if (!quote && c == '\r' && crs_end_line(f, i, b)) continue;
        if (i + n > b) n = b - i;
        zm_buf_append(f->out, f->src + i, n);
        i += (uint32_t)n - 1;
    }
}

/* Width of the indentation of the line holding `offset` (a tab counts 4). */
static size_t line_indent(const fmt *f, uint32_t offset)
{
    uint32_t s = offset;
    while (s > 0 && f->src[s - 1] != '\n') s--;
    size_t w = 0;
    for (; s < offset && (f->src[s] == ' ' || f->src[s] == '\t'); s++) w += f->src[s] == '\t' ? 4 : 1;
    return w;
}

/* Copy an item that spans lines as written, but move its continuation lines
   by as much as its first line moved (from indentation `old` to `now`), so
   the shape the author gave it survives re-indentation. Lines that begin
   inside a string literal are not touched. */
static void verbatim_shifted(fmt *f, uint32_t a, uint32_t b, size_t old, size_t now)
{
    char quote = 0;             /* inside a string literal: its quote */
    bool line_comment = false, block_comment = false;
    for (uint32_t i = a; i < b && i < f->srclen; i++) {
        char c = f->src[i];
        if (!quote && c == '\r' && crs_end_line(f, i, b)) continue;
        zm_buf_putc(f->out, c);
        if (quote) {
            if (c == '\\' && i + 1 < b) zm_buf_putc(f->out, f->src[++i]);
            else if (c == quote) quote = 0;
            continue;
        }
        if (line_comment) {
            if (c == '\n') line_comment = false;
        } else if (block_comment) {
            if (c == '*' && i + 1 < b && f->src[i + 1] == '/') {
                zm_buf_putc(f->out, '/');
                i++;
                block_comment = false;
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '/' && i + 1 < b && f->src[i + 1] == '/') {
            line_comment = true;
        } else if (c == '/' && i + 1 < b && f->src[i + 1] == '*') {
            zm_buf_putc(f->out, '*');
            i++;
            block_comment = true;
        }
        if (c != '\n') continue;
        line_comment = false;
        /* Re-indent the next line. */
        size_t w = 0;
        uint32_t j = i + 1;
        for (; j < b && (f->src[j] == ' ' || f->src[j] == '\t'); j++) w += f->src[j] == '\t' ? 4 : 1;
        if (j < b && (f->src[j] == '\n' || f->src[j] == '\r')) {
            i = j - 1;          /* a blank line: no trailing spaces */
            continue;
        }
        size_t want = w + now >= old ? w + now - old : 0;
        zm_buf_pad(f->out, ' ', want);
        i = j - 1;
    }
}

/* Mark comments before `offset` as printed (they were copied verbatim). */
static void skip_comments(fmt *f, uint32_t offset)
{
    while (f->next && f->next->span.start < offset) f->next = f->next->next;
}

static void indent(fmt *f, int level) { zm_buf_pad(f->out, ' ', (size_t)(level * INDENT)); }

/* Comments on their own lines before `before`; `*last` is the end of what was
   printed last, for blank-line preservation. */
static void leading_comments(fmt *f, uint32_t before, uint32_t *last, int level, bool *first)
{
    while (f->next && f->next->span.start < before) {
        const zm_comment *c = f->next;
        if (!*first && has_blank_line(f, *last, c->span.start)) zm_buf_putc(f->out, '\n');
        indent(f, level);
        verbatim(f, c->span.start, c->span.end);
        zm_buf_putc(f->out, '\n');
        *last = c->span.end;
        *first = false;
        f->next = c->next;
    }
}

/* Comments that start on the line where the item ending at `end` ends,
   before `limit` (the start of the next item, which owns any later ones). */
static void trailing_comments(fmt *f, uint32_t end, uint32_t limit)
{
    while (f->next && f->next->span.start < limit && !has_newline(f, end, f->next->span.start)) {
        zm_buf_putc(f->out, ' ');
        verbatim(f, f->next->span.start, f->next->span.end);
        end = f->next->span.end;
        f->next = f->next->next;
    }
}

/* Offset of the first `ch` at or after `from` outside comments. */
static uint32_t find_char(const fmt *f, uint32_t from, char ch)
{
    const zm_comment *c = f->next;
    for (uint32_t i = from; i < f->srclen; i++) {
        while (c && c->span.end <= i) c = c->next;
        if (c && c->span.start <= i) {
            i = c->span.end - 1;
            continue;
        }
        if (f->src[i] == ch) return i;
    }
    return (uint32_t)f->srclen;
}

static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* ---- bodies ---------------------------------------------------------------- */

/* One member laid out as columns. `tail_from` > 0 means the last column is
   copied from the source starting there (it spans lines or holds comments). */
typedef struct row {
    const zm_member *m;
    const char *col[3];
    int ncol;
    uint32_t tail_from;     /* verbatim last column from here to m->span.end */
    bool whole;             /* the whole member is copied as written */
    int section;
} row;

static const char *str_of(fmt *f, zm_buf *b)
{
    const char *s = zm_arena_strndup(f->scratch, b->data ? b->data : "", b->len);
    b->len = 0;
    if (b->data) b->data[0] = '\0';
    return s;
}

static uint32_t member_core_start(const zm_member *m)
{
    return m->kind == ZM_MEMBER_ATTR ? m->attrs->span.start : m->name_span.start;
}

static void layout_row(fmt *f, const zm_member *m, row *r)
{
    zm_buf b = ZM_BUF_INIT;
    uint32_t core = member_core_start(m), end = m->span.end;
    bool spread = has_newline(f, core, end) || comment_within(f, core, end);
    r->m = m;
    switch (m->kind) {
    case ZM_MEMBER_ATTR:
        if (spread) {
            r->whole = true;
            break;
        }
        attr_out(m->attrs, &b);
        r->col[r->ncol++] = str_of(f, &b);
        break;
    case ZM_MEMBER_FIELD:
    case ZM_MEMBER_ENUM_VALUE: {
        uint32_t head_end = m->attrs ? m->attrs->span.start : end;
        if (has_newline(f, core, head_end) || comment_within(f, core, head_end)) {
            r->whole = true;
            break;
        }
        r->col[r->ncol++] = m->name;
        if (m->type) {
            type_out(m->type, &b);
            r->col[r->ncol++] = str_of(f, &b);
        }
        if (m->attrs) {
            if (spread) {
                r->tail_from = m->attrs->span.start;
                r->col[r->ncol++] = "";
            } else {
                for (const zm_attr *a = m->attrs; a; a = a->next) {
                    attr_out(a, &b);
                    if (a->next) zm_buf_putc(&b, ' ');
                }
                r->col[r->ncol++] = str_of(f, &b);
            }
        }
        break;
    }
    case ZM_MEMBER_CONFIG:
        if (has_newline(f, core, m->value->span.start) ||
            comment_within(f, core, m->value->span.start)) {
            r->whole = true;
            break;
        }
        r->col[r->ncol++] = m->name;
        if (spread) {
            r->tail_from = m->value->span.start;
            r->col[r->ncol++] = "= ";
        } else {
            zm_buf_puts(&b, "= ");
            zm_format_expr(m->value, &b);
            r->col[r->ncol++] = str_of(f, &b);
        }
        break;
    }
    zm_buf_free(&b);
}

/* Print a body's members between `open` (just after `{`) and `close` (`}`). */
static void body_out(fmt *f, const zm_member *members, uint32_t open, uint32_t close, int level)
{
    size_t n = 0;
    for (const zm_member *m = members; m; m = m->next) n++;
    row *rows = n ? zm_arena_alloc(f->scratch, n * sizeof *rows) : NULL;

    /* Lay out every row first: alignment needs a whole section's widths. The
       comment cursor is only peeked at here. */
    const zm_comment *saved = f->next;
    size_t i = 0;
    int section = 0;
    for (const zm_member *m = members; m; m = m->next, i++) {
        layout_row(f, m, &rows[i]);
        if (i > 0) {
            const zm_member *prev = rows[i - 1].m;
            if (m->kind == ZM_MEMBER_ATTR || prev->kind == ZM_MEMBER_ATTR ||
                has_blank_line(f, prev->span.end, m->span.start))
                section++;
        }
        rows[i].section = section;
    }
    f->next = saved;

    uint32_t last = open;
    bool first = true;
    for (i = 0; i < n; i++) {
        row *r = &rows[i];
        const zm_member *m = r->m;
        leading_comments(f, m->span.start, &last, level, &first);
        if (!first && has_blank_line(f, last, m->span.start)) zm_buf_putc(f->out, '\n');
        first = false;

        /* Docs, and comments between them and the member itself. */
        const zm_doc *d = m->docs;
        uint32_t core = r->whole ? m->span.start : member_core_start(m);
        if (r->whole && d) {
            /* Copied as written from its first doc line. */
            d = NULL;
        }
        while (d || (f->next && f->next->span.start < core)) {
            if (d && (!f->next || d->span.start < f->next->span.start || f->next->span.start >= core)) {
                indent(f, level);
                zm_buf_puts(f->out, d->text);
                zm_buf_putc(f->out, '\n');
                d = d->next;
            } else {
                indent(f, level);
                verbatim(f, f->next->span.start, f->next->span.end);
                zm_buf_putc(f->out, '\n');
                f->next = f->next->next;
            }
        }

        indent(f, level);
        if (r->whole) {
            verbatim_shifted(f, m->span.start, m->span.end, line_indent(f, m->span.start),
                             (size_t)(level * INDENT));
            skip_comments(f, m->span.end);
        } else {
            size_t w[3] = {0, 0, 0};
            for (size_t j = 0; j < n; j++) {
                if (rows[j].section != r->section || rows[j].whole) continue;
                for (int k = 0; k < rows[j].ncol; k++) {
                    size_t cw = width(rows[j].col[k]);
                    if (cw > w[k]) w[k] = cw;
                }
            }
            for (int k = 0; k < r->ncol; k++) {
                zm_buf_puts(f->out, r->col[k]);
                if (k + 1 < r->ncol) zm_buf_pad(f->out, ' ', w[k] - width(r->col[k]) + 1);
            }
            if (r->tail_from) {
                verbatim_shifted(f, r->tail_from, m->span.end, line_indent(f, m->span.start),
                                 (size_t)(level * INDENT));
                skip_comments(f, m->span.end);
            }
        }
        trailing_comments(f, m->span.end, m->next ? m->next->span.start : close);
        zm_buf_putc(f->out, '\n');
        last = m->span.end;
        while (last < f->srclen && f->src[last] != '\n' && (f->src[last] == ' ' || f->src[last] == '\t'))
            last++;
    }
    leading_comments(f, close, &last, level, &first);
}

/* ---- declarations ---------------------------------------------------------- */

static void names_out(zm_buf *out, const char *kw, const zm_name *n)
{
    if (!n) return;
    zm_buf_printf(out, " %s ", kw);
    for (; n; n = n->next) {
        zm_buf_puts(out, n->text);
        if (n->next) zm_buf_puts(out, ", ");
    }
}

/* Where the comments trailing a declaration must end: a comment after the
   next item on the same line is that item's. */
static uint32_t decl_limit(const fmt *f, const zm_decl *d)
{
    return d->next ? d->next->span.start : (uint32_t)f->srclen;
}

static void decl_out(fmt *f, const zm_decl *d)
{
    if (d->kind == ZM_DECL_FUNCTION || d->kind == ZM_DECL_ATTRIBUTE || d->kind == ZM_DECL_PROCEDURE) {
        verbatim(f, d->span.start, d->span.end);
        skip_comments(f, d->span.end);
        trailing_comments(f, d->span.end, decl_limit(f, d));
        zm_buf_putc(f->out, '\n');
        return;
    }

    /* Docs, and comments among them or inside the header, each on its own
       line in source order, then the header. */
    uint32_t open = find_char(f, d->name_span.end, '{');
    const zm_doc *doc = d->docs;
    while (doc || (f->next && f->next->span.start < open)) {
        if (doc && (!f->next || f->next->span.start >= open || doc->span.start < f->next->span.start)) {
            zm_buf_puts(f->out, doc->text);
            doc = doc->next;
        } else {
            verbatim(f, f->next->span.start, f->next->span.end);
            f->next = f->next->next;
        }
        zm_buf_putc(f->out, '\n');
    }

    zm_buf *out = f->out;
    if (d->is_abstract) zm_buf_puts(out, "abstract ");
    zm_buf_printf(out, "%s %s", zm_decl_kind_name(d->kind), d->name);
    if (d->with_first) {
        names_out(out, "with", d->mixins);
        names_out(out, "extends", d->extends);
    } else {
        names_out(out, "extends", d->extends);
        names_out(out, "with", d->mixins);
    }
    zm_buf_puts(out, " {");
    uint32_t close = d->span.end ? d->span.end - 1 : 0;
    trailing_comments(f, open + 1, d->members ? d->members->span.start : close);
    zm_buf_putc(out, '\n');
    body_out(f, d->members, open + 1, close, 1);
    zm_buf_putc(out, '}');
    trailing_comments(f, d->span.end, decl_limit(f, d));
    zm_buf_putc(out, '\n');
}

void zm_format_file(const zm_file *file, const zm_source *src, zm_arena *scratch, zm_buf *out)
{
    fmt f = {out, src->text, src->len, file->comments, scratch};
    uint32_t last = 0;
    bool first = true;

    for (const zm_import *i = file->imports; i; i = i->next) {
        leading_comments(&f, i->span.start, &last, 0, &first);
        if (!first && has_blank_line(&f, last, i->span.start)) zm_buf_putc(out, '\n');
        first = false;
        zm_buf_printf(out, "import %s", i->raw);
        trailing_comments(&f, i->span.end, i->next ? i->next->span.start
                                           : file->decls ? file->decls->span.start
                                                         : (uint32_t)src->len);
        zm_buf_putc(out, '\n');
        last = i->span.end;
    }
    bool after_decl = file->imports != NULL;
    for (const zm_decl *d = file->decls; d; d = d->next) {
        /* Comments before the declaration keep their own blank lines; one
           blank line always separates declarations. */
        bool blank_done = false;
        while (f.next && f.next->span.start < d->span.start) {
            const zm_comment *c = f.next;
            if (!first && (after_decl || has_blank_line(&f, last, c->span.start)) && !blank_done)
                zm_buf_putc(out, '\n');
            blank_done = false;
            after_decl = false;
            verbatim(&f, c->span.start, c->span.end);
            zm_buf_putc(out, '\n');
            last = c->span.end;
            first = false;
            f.next = c->next;
        }
        if (!first && (after_decl || has_blank_line(&f, last, d->span.start))) zm_buf_putc(out, '\n');
        first = false;
        decl_out(&f, d);
        last = d->span.end;
        after_decl = true;
    }
    /* Comments after the last declaration. */
    while (f.next) {
        const zm_comment *c = f.next;
        if (!first && (after_decl || has_blank_line(&f, last, c->span.start))) zm_buf_putc(out, '\n');
        after_decl = false;
        verbatim(&f, c->span.start, c->span.end);
        zm_buf_putc(out, '\n');
        last = c->span.end;
        first = false;
        f.next = c->next;
    }
}
