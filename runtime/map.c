/*
** map.c — string-keyed hash map (see map.h).
*/
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;        /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void zm_map_free(zm_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static size_t slot(const zm_map *m, const char *key, size_t h)
{
    size_t i = h & (m->cap - 1);
    for (;;) {
        const zm_map_entry *e = &m->slots[i];
        if (!e->key || (e->hash == h && strcmp(e->key, key) == 0)) return i;
        i = (i + 1) & (m->cap - 1);
    }
}

void *zm_map_get(const zm_map *m, const char *key)
{
    if (!m->cap) return NULL;
    const zm_map_entry *e = &m->slots[slot(m, key, (size_t)hash(key))];
    return e->key ? e->value : NULL;
}

static void grow(zm_map *m)
{
    zm_map bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 64;
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots) abort();
    for (size_t i = 0; i < m->cap; i++) {
        const zm_map_entry *e = &m->slots[i];
        if (e->key) bigger.slots[slot(&bigger, e->key, e->hash)] = *e;
    }
    bigger.count = m->count;
    zm_map_free(m);
    *m = bigger;
}

void *zm_map_put(zm_map *m, const char *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap) grow(m);   /* load factor <= 1/2 */
    size_t h = (size_t)hash(key);
    zm_map_entry *e = &m->slots[slot(m, key, h)];
    void *old = e->key ? e->value : NULL;
    if (!e->key) {
        e->key = key;
        e->hash = h;
        m->count++;
    }
    e->value = value;
    return old;
}
