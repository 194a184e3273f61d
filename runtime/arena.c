/*
** arena.c — the compilation arena (see arena.h).
*/
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zm_arena_chunk {
    zm_arena_chunk *next;
    max_align_t data[];     /* aligned payload */
};

enum { CHUNK_SIZE = 64 * 1024, ALIGN = _Alignof(max_align_t) };

void zm_arena_init(zm_arena *a) { memset(a, 0, sizeof *a); }

void zm_arena_free(zm_arena *a)
{
    zm_arena_chunk *c = a->head;
    while (c) {
        zm_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

static zm_arena_chunk *chunk_new(zm_arena *a, size_t cap)
{
    zm_arena_chunk *c = malloc(sizeof *c + cap);
    if (!c) {
        fputs("zmc: fatal: out of memory\n", stderr);
        abort();
    }
    c->next = a->head;
    a->head = c;
    return c;
}

void *zm_arena_alloc(zm_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need == 0) need = ALIGN;
    a->total += need;
#ifdef ZM_ARENA_DEBUG
    {
        zm_arena_chunk *c = chunk_new(a, need);
        memset(c->data, 0, need);
        a->used = a->cap = need;
        return c->data;
    }
#else
    if (need > CHUNK_SIZE / 4) {
        /* Large block: its own chunk, linked behind the head so the head's
           free space stays usable. */
        zm_arena_chunk *head = a->head;
        zm_arena_chunk *c = chunk_new(a, need);
        if (head) {
            a->head = head;
            c->next = head->next;
            head->next = c;
        } else {
            a->used = a->cap = need;
        }
        memset(c->data, 0, need);
        return c->data;
    }
    if (!a->head || a->used + need > a->cap) {
        chunk_new(a, CHUNK_SIZE);
        a->used = 0;
        a->cap = CHUNK_SIZE;
    }
    void *p = (char *)a->head->data + a->used;
    a->used += need;
    memset(p, 0, need);
    return p;
#endif
}

char *zm_arena_strndup(zm_arena *a, const char *s, size_t n)
{
    char *p = zm_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *zm_arena_strdup(zm_arena *a, const char *s)
{
    return zm_arena_strndup(a, s, strlen(s));
}

char *zm_arena_printf(zm_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return zm_arena_strdup(a, "");
    char *p = zm_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
