/*
 * realloc_zero.c - breaks realloc(p, 0): it keeps p and returns it instead
 * of freeing it and returning NULL.
 */
#include "broken.h"

static void *realloc_zero_realloc(void *p, size_t size)
{
    if (p && size == 0)
        return p;
    return core_realloc(p, size, bump_malloc, bump_free);
}

const allocator_t realloc_zero_allocator = {
    .name = "realloc_zero", .init = bump_init, .malloc = bump_malloc, .free = bump_free,
    .realloc = realloc_zero_realloc, .check = bump_check, .in_heap = true,
};
