/*
 * lying_check.c - a correct allocator whose mm_check_heap reports an
 * inconsistent heap every time.
 */
#include "broken.h"

static int lying_check(void)
{
    return 0;
}

const allocator_t lying_check_allocator = {
    .name = "lying_check", .init = bump_init, .malloc = bump_malloc, .free = bump_free,
    .realloc = bump_realloc, .check = lying_check, .in_heap = true,
};
