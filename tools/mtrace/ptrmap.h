/*
 * ptrmap.h - a map from block addresses to trace IDs: the live blocks of a
 * recording while it is converted. Open addressing with linear probing;
 * removal shifts entries back, so there are no tombstones and a lookup
 * stops at the first empty slot. The address 0 is never a key.
 */
#ifndef PTRMAP_H
#define PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptrmap {
    uint64_t *keys;   /* 0 marks an empty slot */
    uint32_t *values;
    size_t cap;       /* a power of two, or 0 before the first insert */
    size_t count;
};

/* ptrmap_get - the ID of key in *id; false when key is absent. */
bool ptrmap_get(const struct ptrmap *m, uint64_t key, uint32_t *id);

/* ptrmap_put - map key (nonzero) to id, replacing any old value; -1 when
 * memory runs out (the map is unchanged). */
int ptrmap_put(struct ptrmap *m, uint64_t key, uint32_t id);

/* ptrmap_remove - forget key; false when it was absent. */
bool ptrmap_remove(struct ptrmap *m, uint64_t key);

/* ptrmap_free - release the map's memory; it is empty afterwards. */
void ptrmap_free(struct ptrmap *m);

#endif
