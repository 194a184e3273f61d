/*
** heap.c — how the process's heap grows (heap.h).
**
** On the machines zmc is measured on, touching fresh memory is the biggest
** single cost of a run: every 4 KiB page is a fault the hypervisor backs
** and zeroes (a third of `zmc build` on 500 models went there). So malloc
** keeps large blocks on its heap instead of mapping each one, grows the heap
** 64 MiB at a time, and the heap is advised onto transparent huge pages:
** one fault per 2 MiB instead of 512. The arena does the same for its own
** chunks (arena.c). Untouched address space costs nothing.
*/
#define _DEFAULT_SOURCE     /* sbrk */
#include "heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum { HUGE_PAGE = 2 << 20, TOP_PAD = 64 << 20 };

void zm_heap_init(void)
{
    if (!mallopt(M_MMAP_THRESHOLD, 256 << 20) || !mallopt(M_TOP_PAD, TOP_PAD) || !mallopt(M_TRIM_THRESHOLD, 1 << 30))
        return;
    /* Grow the heap now (a block this size comes from it), so that the
       advice covers the memory the run will use; freed, it stays (no trim). */
    char *p = malloc(TOP_PAD / 2);
    if (!p) return;
    char *hi = sbrk(0);
    uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    free(p);
    if (hi != (void *)-1 && (uintptr_t)hi > start) madvise((void *)start, (uintptr_t)hi - start, MADV_HUGEPAGE);
}
