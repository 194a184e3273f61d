/*
** arena.c — the compilation arena (see arena.h).
*/
#define _GNU_SOURCE 1  /* MAP_ANONYMOUS, MAP_POPULATE */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct zm_arena_chunk {
    zm_arena_chunk *next;
    size_t mapped;          /* bytes mmap'ed for this chunk; 0 if calloc'ed */
    max_align_t data[];     /* aligned payload */
};

/* Chunks start small and double up to 4 MiB, so a tiny schema costs little and
   a huge one needs few chunks. Chunks come zeroed (calloc, or fresh anonymous
   pages), so the bump allocator never clears memory itself. Chunks of 1 MiB
   and more are mapped with their pages populated at once: one system call
   instead of a page fault every 4 KiB, which on virtual machines is most of the
   cost of touching new memory. */
enum {
    FIRST_CHUNK = 64 * 1024,
    MAX_CHUNK = 4 * 1024 * 1024,
    MAP_FROM = 1024 * 1024,
    ALIGN = _Alignof(max_align_t)
};

void zm_arena_init(zm_arena *a) { memset(a, 0, sizeof *a); }

void zm_arena_free(zm_arena *a)
{
    zm_arena_chunk *c = a->head;
    while (c) {
        zm_arena_chunk *next = c->next;
        if (c->mapped) munmap(c, c->mapped);
        else free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

static zm_arena_chunk *chunk_new(size_t cap)
{
    zm_arena_chunk *c = NULL;
    size_t size = sizeof *c + cap;
#ifndef ZM_ARENA_DEBUG
    if (cap >= MAP_FROM) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p != MAP_FAILED) {
            c = p;
            c->mapped = size;
            return c;
        }
    }
#endif
    c = calloc(1, size);
    if (!c) {
        fputs("zmc: fatal: out of memory\n", stderr);
        abort();
    }
    return c;
}

void *zm_arena_alloc(zm_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need == 0) need = ALIGN;
    a->total += need;
#ifdef ZM_ARENA_DEBUG
    zm_arena_chunk *d = chunk_new(need);
    d->next = a->head;
    a->head = d;
    a->used = a->cap = need;
    return d->data;
#else
    if (a->head && a->used + need <= a->cap) {
        void *p = (char *)a->head->data + a->used;
        a->used += need;
        return p;
    }
    size_t cap = a->cap ? a->cap * 2 : FIRST_CHUNK;
    if (cap > MAX_CHUNK) cap = MAX_CHUNK;
    if (need > cap / 4) {
        /* A large block gets a chunk of its own, linked behind the head so
           the head's free space stays usable. */
        zm_arena_chunk *c = chunk_new(need);
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            a->head = c;
            a->used = a->cap = need;
        }
        return c->data;
    }
    zm_arena_chunk *c = chunk_new(cap);
    c->next = a->head;
    a->head = c;
    a->cap = cap;
    a->used = need;
    return c->data;
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
