/*
** source.c — source files and line tables (see source.h).
*/
#include "source.h"

#include <stdlib.h>
#include <string.h>

uint32_t zm_sources_adopt(zm_sources *s, zm_arena *a, const char *path, const char *text,
                          size_t len)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        zm_source **p = realloc(s->items, cap * sizeof *p);
        if (!p) abort();
        s->items = p;
        s->cap = cap;
    }
    zm_source *src = ZM_NEW(a, zm_source);
    src->path = zm_arena_strdup(a, path);
    src->text = text;
    src->len = len;
    s->items[s->count] = src;
    return (uint32_t)s->count++;
}

uint32_t zm_sources_add(zm_sources *s, zm_arena *a, const char *path,
                        const char *text, size_t len)
{
    /* Two NUL bytes after the text let the scanner work in place. */
    char *copy = zm_arena_alloc(a, len + 2);
    memcpy(copy, text, len);
    return zm_sources_adopt(s, a, path, copy, len);
}

void zm_sources_free(zm_sources *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

zm_source *zm_sources_get(const zm_sources *s, uint32_t file)
{
    return file < s->count ? s->items[file] : NULL;
}

static void build_lines(zm_source *src, zm_arena *a)
{
    size_t n = 1;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n') n++;
    src->lines = zm_arena_alloc(a, n * sizeof *src->lines);
    src->lines[0] = 0;
    size_t k = 1;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n') src->lines[k++] = (uint32_t)(i + 1);
    src->nlines = n;
}

static size_t line_index(zm_source *src, zm_arena *a, uint32_t offset)
{
    if (!src->lines) build_lines(src, a);
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (src->lines[mid] <= offset) lo = mid;
        else hi = mid;
    }
    return lo;
}

void zm_source_locate(zm_source *src, zm_arena *a, uint32_t offset,
                      uint32_t *line, uint32_t *col)
{
    if (offset > src->len) offset = (uint32_t)src->len;
    size_t li = line_index(src, a, offset);
    uint32_t c = 1;
    for (uint32_t i = src->lines[li]; i < offset; i++)
        if (((unsigned char)src->text[i] & 0xC0) != 0x80) c++;
    *line = (uint32_t)li + 1;
    *col = c;
}

void zm_source_line(zm_source *src, zm_arena *a, uint32_t offset,
                    uint32_t *start, uint32_t *len)
{
    if (offset > src->len) offset = (uint32_t)src->len;
    size_t li = line_index(src, a, offset);
    uint32_t s = src->lines[li], e = s;
    while (e < src->len && src->text[e] != '\n') e++;
    if (e > s && src->text[e - 1] == '\r') e--;
    *start = s;
    *len = e - s;
}
