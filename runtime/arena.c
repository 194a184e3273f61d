/*
** arena.c — the compilation arena (see arena.h).
*/
#define _GNU_SOURCE 1  /* MAP_ANONYMOUS, MADV_HUGEPAGE, MADV_POPULATE_WRITE */
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

/* Chunks start small and double up to 16 MiB, so a tiny schema costs little
   and a huge one needs few chunks. Chunks come zeroed (calloc, or fresh
   anonymous pages), so the bump allocator never clears memory itself. Chunks
   of 1 MiB and more are mapped on huge pages with their pages populated at
   once: on virtual machines page faults and TLB misses are most of the cost of
   touching new memory (measured in docs/benchmarks.md). */
enum {
    FIRST_CHUNK = 64 * 1024,
    MAX_CHUNK = 16 * 1024 * 1024,
    MAP_FROM = 1024 * 1024,
    HUGE_PAGE = 2 * 1024 * 1024,
    ALIGN = _Alignof(max_align_t) < 8 ? _Alignof(max_align_t) : 8
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

#ifndef ZM_ARENA_DEBUG
/* A mapped chunk of at least `size` bytes, a whole number of 2 MiB pages
   aligned to 2 MiB, so the kernel can back it with transparent huge pages:
   a big tree then costs a handful of TLB entries instead of thousands. */
static void *map_chunk(size_t *size)
{
    *size = (*size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    size_t span = *size + HUGE_PAGE;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    char *p = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > raw) munmap(raw, (size_t)(p - raw));
    if (raw + span > p + *size) munmap(p + *size, (size_t)(raw + span - (p + *size)));
    /* With huge pages a fault brings in 2 MiB, so pages come as the bump
       pointer reaches them; without, fault the 4 KiB pages in with one call
       rather than one fault each. */
    if (madvise(p, *size, MADV_HUGEPAGE) != 0) madvise(p, *size, MADV_POPULATE_WRITE);
    return p;
}
#endif

/* A zeroed chunk with room for at least `cap` bytes; *got is its room. */
static zm_arena_chunk *chunk_new(size_t cap, size_t *got)
{
    zm_arena_chunk *c = NULL;
    size_t size = sizeof *c + cap;
#ifndef ZM_ARENA_DEBUG
    if (cap >= MAP_FROM) {
        c = map_chunk(&size);
        if (c) {
            c->mapped = size;
            *got = size - sizeof *c;
            return c;
        }
        size = sizeof *c + cap;
    }
#endif
    c = calloc(1, size);
    if (!c) {
        fputs("zmc: fatal: out of memory\n", stderr);
        abort();
    }
    *got = cap;
    return c;
}

/* n bytes at a multiple of `align` (a power of two). Nodes are aligned for
   pointers and doubles; strings are packed byte by byte, since a schema's
   tree is mostly small nodes and short names and padding them is pure cache
   footprint. */
static void *arena_take(zm_arena *a, size_t n, size_t align)
{
    if (n == 0) n = 1;
    a->total += n;
#ifdef ZM_ARENA_DEBUG
    (void)align;
    size_t got;
    zm_arena_chunk *d = chunk_new(n, &got);
    d->next = a->head;
    a->head = d;
    a->used = a->cap = n;
    return d->data;
#else
    if (a->head) {
        size_t at = (a->used + align - 1) & ~(align - 1);
        if (at + n <= a->cap) {
            a->used = at + n;
            return (char *)a->head->data + at;
        }
    }
    size_t cap = a->cap ? a->cap * 2 : FIRST_CHUNK;
    if (cap > MAX_CHUNK - sizeof(zm_arena_chunk)) cap = MAX_CHUNK - sizeof(zm_arena_chunk);
    if (n > cap / 4) {
        /* A large block gets a chunk of its own, linked behind the head so
           the head's free space stays usable. */
        size_t got;
        zm_arena_chunk *c = chunk_new(n, &got);
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            a->head = c;
            a->used = a->cap = n;
        }
        return c->data;
    }
    zm_arena_chunk *c = chunk_new(cap, &cap);
    c->next = a->head;
    a->head = c;
    a->cap = cap;
    a->used = n;
    return c->data;
#endif
}

void *zm_arena_alloc(zm_arena *a, size_t n)
{
    return arena_take(a, n, ALIGN);
}

char *zm_arena_strndup(zm_arena *a, const char *s, size_t n)
{
    char *p = arena_take(a, n + 1, 1);
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
    char *p = arena_take(a, (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
