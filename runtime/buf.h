/*
** buf.h — a growable byte buffer for building text (formatter output,
** rendered diagnostics). Always NUL-terminated; owned by the caller, who
** releases it with zm_buf_free().
*/
#ifndef ZM_BUF_H
#define ZM_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct zm_buf {
    char *data;     /* NUL-terminated text, NULL until the first append */
    size_t len;     /* bytes used, excluding the NUL */
    size_t cap;     /* bytes allocated */
} zm_buf;

#define ZM_BUF_INIT {NULL, 0, 0}

void zm_buf_free(zm_buf *b);
void zm_buf_append(zm_buf *b, const char *s, size_t n);
void zm_buf_puts(zm_buf *b, const char *s);
/* zm_buf_append as a writer callback (ctx is the zm_buf): for renderers that
   take `void (*write)(void *ctx, const char *text, size_t len)`. */
void zm_buf_write(void *ctx, const char *text, size_t len);
void zm_buf_putc(zm_buf *b, char c);
void zm_buf_pad(zm_buf *b, char c, size_t n);
void zm_buf_printf(zm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void zm_buf_vprintf(zm_buf *b, const char *fmt, va_list ap);
/* Column width of the current (last) line, counting UTF-8 code points. */
size_t zm_buf_line_width(const zm_buf *b);

#endif
