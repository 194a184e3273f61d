/*
** map.h — a hash map from strings to pointers (open addressing, linear
** probing). Keys are not copied: they must outlive the map, as arena strings
** do. Used for symbol tables.
*/
#ifndef ZM_MAP_H
#define ZM_MAP_H

#include <stddef.h>

typedef struct zm_map_entry {
    const char *key;        /* NULL: empty slot */
    void *value;
    size_t hash;            /* compared before the key, so a probe rarely
                               touches a key's text */
} zm_map_entry;

typedef struct zm_map {
    zm_map_entry *slots;
    size_t count, cap;      /* cap is 0 or a power of two */
} zm_map;

void zm_map_free(zm_map *m);
void *zm_map_get(const zm_map *m, const char *key);
/* Set key to value; returns the previous value or NULL. */
void *zm_map_put(zm_map *m, const char *key, void *value);

#endif
