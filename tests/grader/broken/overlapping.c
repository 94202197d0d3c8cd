/*
 * overlapping.c - breaks disjointness, partially: the k-th payload starts at
 * heap+8+16k whatever its size, so a payload of more than 16 bytes runs into
 * the next one (a 0 32 at [heap+0x8, heap+0x28), a 1 32 at [heap+0x18,
 * heap+0x38)), and a small request lands inside a large one.
 */
#include "broken.h"

#define STEP 16

static size_t count;

static int overlapping_init(void)
{
    count = 0;
    return 0;
}

/* Its size word lands in the previous payload; the checker stops at the
 * overlap before it looks at any payload's bytes. */
static void *overlapping_malloc(size_t size)
{
    if (size == 0)
        return NULL;
    return core_place(sizeof(size_t) + STEP * count++, size);
}

static void *overlapping_realloc(void *p, size_t size)
{
    return core_realloc(p, size, overlapping_malloc, bump_free);
}

const allocator_t overlapping_allocator = {
    .name = "overlapping", .init = overlapping_init, .malloc = overlapping_malloc,
    .free = bump_free, .realloc = overlapping_realloc, .check = bump_check, .in_heap = true,
};
