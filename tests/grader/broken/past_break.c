/*
 * past_break.c - breaks "inside the heap" at its top: the heap grows by the
 * size word and half the request only, so the payload's second half lies
 * past the break (a 0 64 at [heap+0x8, heap+0x48) in a heap of 0x28 bytes).
 */
#include <string.h>

#include "broken.h"
#include "memlib.h"

static void *past_break_malloc(size_t size)
{
    if (size == 0 || size > CORE_MAX_REQUEST)
        return NULL;
    unsigned char *block = mem_sbrk((intptr_t)(sizeof(size_t) + core_round(size / 2)));
    if (block == (void *)-1)
        return NULL;
    memcpy(block, &size, sizeof size);
    return block + sizeof(size_t);
}

static void *past_break_realloc(void *p, size_t size)
{
    return core_realloc(p, size, past_break_malloc, bump_free);
}

const allocator_t past_break_allocator = {
    .name = "past_break", .init = bump_init, .malloc = past_break_malloc, .free = bump_free,
    .realloc = past_break_realloc, .check = bump_check, .in_heap = true,
};
