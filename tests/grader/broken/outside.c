/*
 * outside.c - breaks "inside the heap": payloads come from a static array of
 * the program, laid out as the core lays out the heap, and the heap stays
 * empty.
 */
#include <string.h>

#include "broken.h"

static _Alignas(16) unsigned char arena[1 << 12];
static size_t used;

static int outside_init(void)
{
    used = 0;
    return 0;
}

static void *outside_malloc(size_t size)
{
    if (size == 0 || size > sizeof arena - used - sizeof(size_t))
        return NULL;
    unsigned char *p = arena + used + sizeof(size_t);
    memcpy(p - sizeof size, &size, sizeof size);
    used += sizeof(size_t) + core_round(size);
    return p;
}

static void *outside_realloc(void *p, size_t size)
{
    return core_realloc(p, size, outside_malloc, bump_free);
}

const allocator_t outside_allocator = {
    .name = "outside", .init = outside_init, .malloc = outside_malloc, .free = bump_free,
    .realloc = outside_realloc, .check = bump_check, .in_heap = true,
};
