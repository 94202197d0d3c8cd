/*
 * null.c - breaks "a result is required": malloc and realloc return NULL
 * for any request of 100 bytes or more, though the heap has room.
 */
#include "broken.h"

#define REFUSED 100

static void *null_malloc(size_t size)
{
    return size >= REFUSED ? NULL : bump_malloc(size);
}

static void *null_realloc(void *p, size_t size)
{
    if (size >= REFUSED)
        return NULL;
    return core_realloc(p, size, null_malloc, bump_free);
}

const allocator_t null_allocator = {
    .name = "null", .init = bump_init, .malloc = null_malloc, .free = bump_free,
    .realloc = null_realloc, .check = bump_check, .in_heap = true,
};
