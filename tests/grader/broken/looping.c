/*
 * looping.c - never returns: the first free spins forever, as a free-list
 * walk does on a list that was made circular by mistake.
 */
#include "broken.h"

static volatile unsigned long spins;

static void looping_free(void *p)
{
    if (!p)
        return;
    for (;;)
        spins++;
}

static void *looping_realloc(void *p, size_t size)
{
    return core_realloc(p, size, bump_malloc, looping_free);
}

const allocator_t looping_allocator = {
    .name = "looping", .init = bump_init, .malloc = bump_malloc, .free = looping_free,
    .realloc = looping_realloc, .check = bump_check, .in_heap = true,
};
