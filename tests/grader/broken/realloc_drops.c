/*
 * realloc_drops.c - breaks realloc's promise to keep the data: it moves the
 * payload but copies its first word only, so byte 8 on is lost (the new
 * payload is fresh heap, all zero).
 */
#include <string.h>

#include "broken.h"

#define KEPT 8

static void *realloc_drops_realloc(void *p, size_t size)
{
    if (!p)
        return bump_malloc(size);
    if (size == 0)
        return NULL;
    unsigned char *q = bump_malloc(size);
    if (!q)
        return NULL;
    size_t old = core_size(p), keep = old < size ? old : size;
    memcpy(q, p, keep < KEPT ? keep : KEPT);
    return q;
}

const allocator_t realloc_drops_allocator = {
    .name = "realloc_drops", .init = bump_init, .malloc = bump_malloc, .free = bump_free,
    .realloc = realloc_drops_realloc, .check = bump_check, .in_heap = true,
};
