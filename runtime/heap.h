/*
** heap.h — tuning the process's heap for zmc's allocation pattern (many
** small blocks, a few large ones, all freed at exit).
*/
#ifndef ZM_HEAP_H
#define ZM_HEAP_H

/* Call once, first thing in main(). Harmless where the tuning is not
   available (another allocator, a sanitizer). */
void zm_heap_init(void);

#endif
