/*
 * unwatched.c - behaves differently when no one checks: the checked replay
 * writes a signature into every payload, a timed replay writes nothing. A
 * payload that comes back to free still all zero gives the timed run away,
 * and from then on every payload comes 8 bytes later.
 */
#include <stdbool.h>

#include "broken.h"
#include "memlib.h"

static bool unwatched;

static int unwatched_init(void)
{
    unwatched = false;
    return 0;
}

static void *unwatched_malloc(size_t size)
{
    if (size && unwatched && mem_sbrk(sizeof(size_t)) == (void *)-1)
        return NULL;
    return bump_malloc(size);
}

static void unwatched_free(void *p)
{
    if (!p)
        return;
    const unsigned char *b = p;
    bool zero = true;
    for (size_t i = 0; i < core_size(p); i++)
        zero = zero && b[i] == 0;
    unwatched = unwatched || zero;
}

static void *unwatched_realloc(void *p, size_t size)
{
    return core_realloc(p, size, unwatched_malloc, unwatched_free);
}

const allocator_t unwatched_allocator = {
    .name = "unwatched", .init = unwatched_init, .malloc = unwatched_malloc,
    .free = unwatched_free, .realloc = unwatched_realloc, .check = bump_check, .in_heap = true,
};
