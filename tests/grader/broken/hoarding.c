/*
 * hoarding.c - takes every byte of memlib's heap at its first malloc, a
 * mebibyte at a time, then has nothing to give: out of memory, the heap at
 * its maximum.
 */
#include "broken.h"
#include "memlib.h"

static void *hoarding_malloc(size_t size)
{
    while (mem_sbrk(1 << 20) != (void *)-1)
        ;
    (void)size;
    return NULL;
}

static void *hoarding_realloc(void *p, size_t size)
{
    return core_realloc(p, size, hoarding_malloc, bump_free);
}

const allocator_t hoarding_allocator = {
    .name = "hoarding", .init = bump_init, .malloc = hoarding_malloc, .free = bump_free,
    .realloc = hoarding_realloc, .check = bump_check, .in_heap = true,
};
