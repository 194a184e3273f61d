/*
** buf.h — zmc's string builder: a growable byte buffer for building text
** (statements, reports, rendered diagnostics). Always NUL-terminated; owned
** by the caller, who releases it with zm_buf_free().
**
**     zm_buf b = ZM_BUF_INIT;
**     zm_buf_printf(&b, "DROP TABLE %s;", name);
**     puts(b.data);
**     zm_buf_free(&b);
**
** A module compiled with ZMC_PLUGIN calls the same names; they go through
** the host's table (zmc_host.buf, ZMC_PLUGIN_BUF), so the module links
** nothing of zmc.
*/
#ifndef ZMC_BUF_H
#define ZMC_BUF_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

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
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void zm_buf_printf(zm_buf *b, const char *fmt, ...);
void zm_buf_vprintf(zm_buf *b, const char *fmt, va_list ap);
/* Column width of the current (last) line, counting UTF-8 code points. */
size_t zm_buf_line_width(const zm_buf *b);

/* ---- the string builder for loadable modules --------------------------------- */

/* Every function above, in the table the host hands to modules. Append new
   functions at the end: the order is part of the ABI. */
#define ZM_BUF_API_FUNCTIONS(X) \
    X(zm_buf_free) \
    X(zm_buf_append) \
    X(zm_buf_puts) \
    X(zm_buf_write) \
    X(zm_buf_putc) \
    X(zm_buf_pad) \
    X(zm_buf_printf) \
    X(zm_buf_vprintf) \
    X(zm_buf_line_width)

typedef struct zm_buf_api {
    size_t size;            /* sizeof(zm_buf_api) of the host */
#define ZM_BUF_API_FIELD(f) __typeof__(&f) f;
    ZM_BUF_API_FUNCTIONS(ZM_BUF_API_FIELD)
#undef ZM_BUF_API_FIELD
} zm_buf_api;

/* The host's table. */
extern const zm_buf_api zm_buf_api_table;

/* In one source file of a module: the table pointer the names go through. */
#define ZMC_PLUGIN_BUF const zm_buf_api *zmc_plugin_buf

#if defined(ZMC_PLUGIN) && !defined(ZMC_BUF_IMPL)
extern const zm_buf_api *zmc_plugin_buf;
/* printf-like calls keep their format checks through an inline wrapper. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void zmc_plugin_buf_printf(zm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zmc_plugin_buf->zm_buf_vprintf(b, fmt, ap);
    va_end(ap);
}
#define zm_buf_free (zmc_plugin_buf->zm_buf_free)
#define zm_buf_append (zmc_plugin_buf->zm_buf_append)
#define zm_buf_puts (zmc_plugin_buf->zm_buf_puts)
#define zm_buf_write (zmc_plugin_buf->zm_buf_write)
#define zm_buf_putc (zmc_plugin_buf->zm_buf_putc)
#define zm_buf_pad (zmc_plugin_buf->zm_buf_pad)
#define zm_buf_printf zmc_plugin_buf_printf
#define zm_buf_vprintf (zmc_plugin_buf->zm_buf_vprintf)
#define zm_buf_line_width (zmc_plugin_buf->zm_buf_line_width)
#endif

#ifdef __cplusplus
}
#endif

#endif
