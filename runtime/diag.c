/*
** diag.c — collecting and rendering diagnostics (see diag.h).
**
** The rendered form is GNU's `file:line:col: severity: message`, so editors
** and CI annotate it, followed by the source line in a numbered gutter and a
** caret with a `~` underline over the reported span:
**
**     schema.zmodel:3:9: error: unexpected '}', expected a type
**         3 |   name }
**           |        ^
*/
#include "diag.h"

#include <stdbool.h>

#include <stdlib.h>
#include <string.h>

void zm_diag_init(zm_diag_sink *d, zm_arena *a, zm_sources *s, size_t limit)
{
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->sources = s;
    d->limit = limit ? limit : 100;
}

void zm_diag_free(zm_diag_sink *d)
{
    free(d->items);
    d->items = NULL;
    d->count = d->cap = 0;
}

void zm_diag_vreport(zm_diag_sink *d, zm_severity sev, zm_span at, const char *fmt, va_list ap)
{
    if (sev == ZM_SEVERITY_ERROR) {
        d->errors++;
        if (d->errors > d->limit) {
            d->truncated = 1;
            return;
        }
    } else if (sev == ZM_SEVERITY_WARNING) {
        d->warnings++;
    }
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        zm_diag *p = realloc(d->items, cap * sizeof *p);
        if (!p) abort();
        d->items = p;
        d->cap = cap;
    }
    zm_buf b = ZM_BUF_INIT;
    zm_buf_vprintf(&b, fmt, ap);
    zm_diag *g = &d->items[d->count];
    g->severity = sev;
    g->span = at;
    g->message = zm_arena_strndup(d->arena, b.data ? b.data : "", b.len);
    g->seq = d->count++;
    zm_buf_free(&b);
}

void zm_diag_report(zm_diag_sink *d, zm_severity sev, zm_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zm_diag_vreport(d, sev, at, fmt, ap);
    va_end(ap);
}

static const char *severity_name(zm_severity s)
{
    switch (s) {
    case ZM_SEVERITY_ERROR: return "error";
    case ZM_SEVERITY_WARNING: return "warning";
    default: return "note";
    }
}

static int compare(const void *pa, const void *pb)
{
    const zm_diag *a = pa, *b = pb;
    if (a->span.file != b->span.file) return a->span.file < b->span.file ? -1 : 1;
    if (a->span.start != b->span.start) return a->span.start < b->span.start ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Display width of text[from, to): code points, tabs kept as tabs by caller. */
static size_t width(const char *text, uint32_t from, uint32_t to)
{
    size_t w = 0;
    for (uint32_t i = from; i < to; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) w++;
    return w;
}

/* Text from the schema on a terminal: a control byte (an escape sequence
   could move the cursor, recolour or retitle the terminal) is shown as
   `\xNN` in a message and as `?` in the source line, where it keeps the
   one column the caret line counts for it. */
static bool is_control(unsigned char ch) { return (ch < 0x20 && ch != '\t') || ch == 0x7f; }

static void put_message(zm_buf *out, const char *m)
{
    for (; *m; m++) {
        if (is_control((unsigned char)*m)) zm_buf_printf(out, "\\x%02x", (unsigned char)*m);
        else zm_buf_putc(out, *m);
    }
}

/* At most this many bytes of a source line are shown, around the span's
   start: a 240 KB line would otherwise be printed whole, twice. */
enum { SHOWN_BEFORE = 60, SHOWN = 160 };

static uint32_t char_start(const char *text, uint32_t i, uint32_t floor)
{
    while (i > floor && ((unsigned char)text[i] & 0xC0) == 0x80) i--;
    return i;
}

void zm_diag_render_one(zm_diag_sink *d, const zm_diag *g, zm_buf *out)
{
    zm_source *src = zm_sources_get(d->sources, g->span.file);
    if (!src) {
        zm_buf_printf(out, "zmc: %s: ", severity_name(g->severity));
        put_message(out, g->message);
        zm_buf_putc(out, '\n');
        return;
    }
    uint32_t line, col;
    zm_source_locate(src, d->arena, g->span.start, &line, &col);
    zm_buf_printf(out, "%s:%u:%u: %s: ", src->path, line, col, severity_name(g->severity));
    put_message(out, g->message);
    zm_buf_putc(out, '\n');

    uint32_t ls, ll;
    zm_source_line(src, d->arena, g->span.start, &ls, &ll);
    uint32_t start = g->span.start < ls + ll ? g->span.start : ls + ll;
    /* the window of the line shown: all of it, or SHOWN bytes around start */
    uint32_t ws = ls, we = ls + ll;
    if (ll > SHOWN) {
        ws = start - ls > SHOWN_BEFORE ? char_start(src->text, start - SHOWN_BEFORE, ls) : ls;
        we = ws + SHOWN < ls + ll ? char_start(src->text, ws + SHOWN, ws) : ls + ll;
    }
    char num[16];
    int nw = snprintf(num, sizeof num, "%u", line);
    zm_buf_printf(out, " %s | ", num);
    if (ws > ls) zm_buf_puts(out, "...");
    for (uint32_t i = ws; i < we; i++)
        zm_buf_putc(out, is_control((unsigned char)src->text[i]) ? '?' : src->text[i]);
    if (we < ls + ll) zm_buf_puts(out, "...");
    zm_buf_putc(out, '\n');
    zm_buf_putc(out, ' ');
    zm_buf_pad(out, ' ', (size_t)nw);
    zm_buf_puts(out, " | ");
    if (ws > ls) zm_buf_puts(out, "   ");
    /* Pad with the line's own tabs so the caret lines up in any tab width. */
    for (uint32_t i = ws; i < start; i++) {
        unsigned char ch = (unsigned char)src->text[i];
        if (ch == '\t') zm_buf_putc(out, '\t');
        else if ((ch & 0xC0) != 0x80) zm_buf_putc(out, ' ');
    }
    zm_buf_putc(out, '^');
    uint32_t end = g->span.end;
    if (end > we) end = we;
    size_t under = end > start ? width(src->text, start, end) : 0;
    if (under > 1) zm_buf_pad(out, '~', under - 1);
    zm_buf_putc(out, '\n');
}

void zm_diag_render(zm_diag_sink *d, zm_buf *out)
{
    if (d->count > 1) qsort(d->items, d->count, sizeof *d->items, compare);
    for (size_t i = 0; i < d->count; i++) zm_diag_render_one(d, &d->items[i], out);
    if (d->truncated)
        zm_buf_printf(out, "zmc: error: too many errors (%zu), only the first %zu are shown\n",
                      d->errors, d->limit);
}
