/*
 * squandering.c - at its first malloc, fills memory outside the heap until
 * none is left, then crashes: out of memory, outside the heap.
 */
#include <stdlib.h>
#include <string.h>

#include "broken.h"

static void *squandering_malloc(size_t size)
{
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p)
            break;
        memset(p, 1, 1 << 20);
    }
    *(volatile char *)NULL = 1;
    return bump_malloc(size);
}

static void *squandering_realloc(void *p, size_t size)
{
    return core_realloc(p, size, squandering_malloc, bump_free);
}

const allocator_t squandering_allocator = {
    .name = "squandering", .init = bump_init, .malloc = squandering_malloc, .free = bump_free,
    .realloc = squandering_realloc, .check = bump_check, .in_heap = true,
};
