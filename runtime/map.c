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
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t slot(const zm_map *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
    return i;
}

void *zm_map_get(const zm_map *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t i = slot(m, key);
    return m->keys[i] ? m->values[i] : NULL;
}

static void grow(zm_map *m)
{
    zm_map bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 64;
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.values = calloc(bigger.cap, sizeof *bigger.values);
    if (!bigger.keys || !bigger.values) abort();
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = slot(&bigger, m->keys[i]);
        bigger.keys[j] = m->keys[i];
        bigger.values[j] = m->values[i];
    }
    bigger.count = m->count;
    zm_map_free(m);
    *m = bigger;
}

void *zm_map_put(zm_map *m, const char *key, void *value)
{
    if ((m->count + 1) * 4 > m->cap * 3) grow(m);   /* load factor <= 3/4 */
    size_t i = slot(m, key);
    void *old = m->values[i];
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->count++;
        old = NULL;
    }
    m->values[i] = value;
    return old;
}
