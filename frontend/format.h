/*
** format.h — `zmc format`: the canonical layout of a ZModel file.
*/
#ifndef ZM_FORMAT_H
#define ZM_FORMAT_H

#include "arena.h"
#include "ast.h"
#include "source.h"
#include "zmc/buf.h"

/* Print `f` (parsed with comments kept, without syntax errors) in canonical
   layout into `out`. `src` is the file's source text; `scratch` holds
   temporary strings. */
void zm_format_file(const zm_file *f, const zm_source *src, zm_arena *scratch, zm_buf *out);

/* Print one expression on one line, as the formatter does. */
void zm_format_expr(const zm_expr *e, zm_buf *out);

#endif
