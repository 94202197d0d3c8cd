/*
 * misaligned.c - breaks alignment: every payload starts 4 bytes into a core
 * payload, so it is 4 mod 8 (the first one at heap+0xc).
 */
#include <string.h>

#include "broken.h"

#define SHIFT 4

static void *misaligned_malloc(size_t size)
{
    if (size == 0 || size > CORE_MAX_REQUEST)
        return NULL;
    unsigned char *p = bump_malloc(size + SHIFT);
    return p ? p + SHIFT : NULL;
}

static void *misaligned_realloc(void *p, size_t size)
{
    if (!p)
        return misaligned_malloc(size);
    if (size == 0)
        return NULL;
    unsigned char *q = misaligned_malloc(size);
    if (!q)
        return NULL;
    size_t old = core_size((unsigned char *)p - SHIFT) - SHIFT;
    memcpy(q, p, old < size ? old : size);
    return q;
}

const allocator_t misaligned_allocator = {
    .name = "misaligned", .init = bump_init, .malloc = misaligned_malloc, .free = bump_free,
    .realloc = misaligned_realloc, .check = bump_check, .in_heap = true,
};
