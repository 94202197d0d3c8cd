/*
 * containing.c - breaks disjointness by containment: the k-th payload
 * starts at heap+64-8k, 8 bytes below the previous one, so a larger request
 * covers an earlier payload whole (a 0 16 at [heap+0x40, heap+0x50), then
 * a 1 64 at [heap+0x38, heap+0x78)). Neither end of the new payload lies in
 * the old one: a checker that only looks up the two ends misses it.
 */
#include "broken.h"

#define FIRST 64
#define STEP 8

static size_t count;

static int containing_init(void)
{
    count = 0;
    return 0;
}

static void *containing_malloc(size_t size)
{
    if (size == 0)
        return NULL;
    size_t back = STEP * count++;
    return core_place(back < FIRST - STEP ? FIRST - back : STEP, size);
}

static void *containing_realloc(void *p, size_t size)
{
    return core_realloc(p, size, containing_malloc, bump_free);
}

const allocator_t containing_allocator = {
    .name = "containing", .init = containing_init, .malloc = containing_malloc,
    .free = bump_free, .realloc = containing_realloc, .check = bump_check, .in_heap = true,
};
