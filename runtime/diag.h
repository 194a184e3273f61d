/*
** diag.h — the diagnostic sink of a compilation.
**
** Phases report problems here and carry on; nothing prints until the caller
** asks. Rendering sorts by file and offset so the output reads top to bottom
** whatever order the phases found things in.
*/
#ifndef ZM_DIAG_H
#define ZM_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "arena.h"
#include "source.h"
#include "zmc/buf.h"
#include "zmc/zmc.h"

typedef struct zm_diag {
    zm_severity severity;
    zm_span span;           /* ZM_NO_FILE: a message about no source location */
    const char *message;    /* lowercase, no trailing period */
    size_t seq;             /* report order, to keep sorting stable */
} zm_diag;

typedef struct zm_diag_sink {
    zm_arena *arena;        /* messages live here */
    zm_sources *sources;    /* for rendering locations */
    zm_diag *items;
    size_t count, cap;
    size_t errors, warnings;
    size_t limit;           /* errors beyond this are counted, not stored */
    int truncated;          /* 1 once an error was dropped because of limit */
} zm_diag_sink;

void zm_diag_init(zm_diag_sink *d, zm_arena *a, zm_sources *s, size_t limit);
void zm_diag_free(zm_diag_sink *d);
void zm_diag_report(zm_diag_sink *d, zm_severity sev, zm_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void zm_diag_vreport(zm_diag_sink *d, zm_severity sev, zm_span at, const char *fmt, va_list ap);
#define zm_diag_error(d, at, ...) zm_diag_report((d), ZM_SEVERITY_ERROR, (at), __VA_ARGS__)
#define zm_diag_warning(d, at, ...) zm_diag_report((d), ZM_SEVERITY_WARNING, (at), __VA_ARGS__)

/* Render all diagnostics, sorted, into `out`. */
void zm_diag_render(zm_diag_sink *d, zm_buf *out);
/* Render one diagnostic (used by tests to check the exact text). */
void zm_diag_render_one(zm_diag_sink *d, const zm_diag *g, zm_buf *out);

#endif
