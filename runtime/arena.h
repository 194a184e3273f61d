/*
** arena.h — bump allocation for one compilation.
**
** Every AST node, string and diagnostic of a compilation lives in one arena and
** is released at once by zm_arena_free(); nothing is freed node by node. Blocks
** are malloc'ed chunks linked in a list. With ZM_ARENA_DEBUG each allocation is
** its own malloc, so AddressSanitizer and valgrind see exact object bounds.
*/
#ifndef ZM_ARENA_H
#define ZM_ARENA_H

#include <stddef.h>

typedef struct zm_arena_chunk zm_arena_chunk;

typedef struct zm_arena {
    zm_arena_chunk *head;   /* newest chunk first */
    size_t used;            /* bytes used in head */
    size_t cap;             /* capacity of head */
    size_t total;           /* bytes handed out over the arena's life */
} zm_arena;

void  zm_arena_init(zm_arena *a);
void  zm_arena_free(zm_arena *a);
/* Zero-filled, aligned to 8 bytes (pointers, integers, doubles: all a tree
   holds); aborts the process only if malloc fails. Strings are not padded. */
void *zm_arena_alloc(zm_arena *a, size_t n);
char *zm_arena_strndup(zm_arena *a, const char *s, size_t n);
char *zm_arena_strdup(zm_arena *a, const char *s);
char *zm_arena_printf(zm_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define ZM_NEW(a, T) ((T *)zm_arena_alloc((a), sizeof(T)))

#endif
