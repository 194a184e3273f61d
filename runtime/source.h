/*
** source.h — source files of a compilation and byte-offset locations.
**
** Locations are kept as (file, start, end) byte offsets, as jq does; line and
** column are computed only when a diagnostic is printed, from a line table
** built on first use.
*/
#ifndef ZM_SOURCE_H
#define ZM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* A half-open byte range [start, end) in source file `file` (an index into
   the compilation's file table). file == ZM_NO_FILE means "no location". */
typedef struct zm_span {
    uint32_t file;
    uint32_t start;
    uint32_t end;
} zm_span;

#define ZM_NO_FILE UINT32_MAX
#define ZM_NO_SPAN ((zm_span){ZM_NO_FILE, 0, 0})

typedef struct zm_source {
    const char *path;       /* as given or resolved; used in messages */
    const char *text;       /* the file's bytes, followed by two NUL bytes */
    size_t len;             /* length of text */
    uint32_t *lines;        /* byte offset of each line start; built lazily */
    size_t nlines;
} zm_source;

typedef struct zm_sources {
    zm_source **items;
    size_t count, cap;
} zm_sources;

/* Add a copy of `text`. */
uint32_t zm_sources_add(zm_sources *s, zm_arena *a, const char *path,
                        const char *text, size_t len);
/* Add `text` itself: allocated in `a`, writable, followed by two NUL bytes. */
uint32_t zm_sources_adopt(zm_sources *s, zm_arena *a, const char *path, const char *text,
                          size_t len);
void zm_sources_free(zm_sources *s);
zm_source *zm_sources_get(const zm_sources *s, uint32_t file);

/* 1-based line and column (in UTF-8 code points) of a byte offset. */
void zm_source_locate(zm_source *src, zm_arena *a, uint32_t offset,
                      uint32_t *line, uint32_t *col);
/* Start and length of the line containing `offset`, without its newline. */
void zm_source_line(zm_source *src, zm_arena *a, uint32_t offset,
                    uint32_t *start, uint32_t *len);

#endif
