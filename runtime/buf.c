/*
** buf.c — growable byte buffer (see buf.h).
*/
#include "zmc/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(zm_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("zmc: fatal: out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void zm_buf_free(zm_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void zm_buf_append(zm_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void zm_buf_puts(zm_buf *b, const char *s) { zm_buf_append(b, s, strlen(s)); }

void zm_buf_putc(zm_buf *b, char c) { zm_buf_append(b, &c, 1); }

void zm_buf_pad(zm_buf *b, char c, size_t n)
{
    reserve(b, n);
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void zm_buf_vprintf(zm_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0) return;
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void zm_buf_printf(zm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zm_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

size_t zm_buf_line_width(const zm_buf *b)
{
    size_t w = 0;
    for (size_t i = b->len; i > 0 && b->data[i - 1] != '\n'; i--)
        if (((unsigned char)b->data[i - 1] & 0xC0) != 0x80) w++;
    return w;
}

void zm_buf_write(void *ctx, const char *text, size_t len) { zm_buf_append(ctx, text, len); }

const zm_buf_api zm_buf_api_table = {
    .size = sizeof(zm_buf_api),
#define ZM_BUF_API_ENTRY(f) .f = f,
    ZM_BUF_API_FUNCTIONS(ZM_BUF_API_ENTRY)
#undef ZM_BUF_API_ENTRY
};
