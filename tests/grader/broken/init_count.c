/*
 * init_count.c - behaves differently when timed: the checked replay calls
 * mm_init once, a timing run many times, so from the second mm_init on it
 * leaves the first heap word unused and every payload comes 8 bytes later.
 */
#include "broken.h"
#include "memlib.h"

static unsigned inits;

static int init_count_init(void)
{
    if (++inits > 1 && mem_sbrk(sizeof(size_t)) == (void *)-1)
        return -1;
    return 0;
}

const allocator_t init_count_allocator = {
    .name = "init_count", .init = init_count_init, .malloc = bump_malloc, .free = bump_free,
    .realloc = bump_realloc, .check = bump_check, .in_heap = true,
};
