/*
 * ptrmap.c - address -> ID map (see ptrmap.h). The load factor stays at or
 * below one half, so probe sequences stay short and always end.
 */
#include <stdlib.h>

#include "ptrmap.h"

#define PTRMAP_MIN_CAP 1024

/* slot_of - the home slot of key: a multiplicative hash (Fibonacci). */
static inline size_t slot_of(const struct ptrmap *m, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (m->cap - 1);
}

bool ptrmap_get(const struct ptrmap *m, uint64_t key, uint32_t *id)
{
    if (m->cap == 0)
        return false;
    for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == 0)
            return false;
        if (m->keys[i] == key) {
            *id = m->values[i];
            return true;
        }
    }
}

/* insert - place key in a table known to have room and not to hold it. */
static void insert(struct ptrmap *m, uint64_t key, uint32_t id)
{
    size_t i = slot_of(m, key);
    while (m->keys[i] != 0)
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->values[i] = id;
    m->count++;
}

static int grow(struct ptrmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : PTRMAP_MIN_CAP;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *values = malloc(cap * sizeof *values);
    if (!keys || !values) {
        free(keys);
        free(values);
        return -1;
    }
    struct ptrmap old = *m;
    *m = (struct ptrmap){ .keys = keys, .values = values, .cap = cap };
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i] != 0)
            insert(m, old.keys[i], old.values[i]);
    free(old.keys);
    free(old.values);
    return 0;
}

int ptrmap_put(struct ptrmap *m, uint64_t key, uint32_t id)
{
    if (m->cap) {
        for (size_t i = slot_of(m, key); m->keys[i] != 0; i = (i + 1) & (m->cap - 1)) {
            if (m->keys[i] == key) {
                m->values[i] = id;
                return 0;
            }
        }
    }
    if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
        return -1;
    insert(m, key, id);
    return 0;
}

bool ptrmap_remove(struct ptrmap *m, uint64_t key)
{
    if (m->cap == 0)
        return false;
    size_t mask = m->cap - 1;
    size_t hole = slot_of(m, key);
    while (m->keys[hole] != key) {
        if (m->keys[hole] == 0)
            return false;
        hole = (hole + 1) & mask;
    }
    /* Backward shift: move later entries of the run into the hole when their
     * home slot does not lie (cyclically) between the hole and them. */
    for (size_t j = (hole + 1) & mask; m->keys[j] != 0; j = (j + 1) & mask) {
        size_t home = slot_of(m, m->keys[j]);
        bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            m->keys[hole] = m->keys[j];
            m->values[hole] = m->values[j];
            hole = j;
        }
    }
    m->keys[hole] = 0;
    m->count--;
    return true;
}

void ptrmap_free(struct ptrmap *m)
{
    free(m->keys);
    free(m->values);
    *m = (struct ptrmap){ 0 };
}
