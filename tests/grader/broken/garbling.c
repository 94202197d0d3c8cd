/*
 * garbling.c - breaks a live payload's data: free writes its "link" one
 * block too far, flipping byte 5 of the payload that follows the freed one.
 */
#include "broken.h"
#include "memlib.h"

#define VICTIM_BYTE 5

static void garbling_free(void *p)
{
    if (!p)
        return;
    unsigned char *next = (unsigned char *)p + core_round(core_size(p)) + sizeof(size_t);
    if (next + VICTIM_BYTE < (unsigned char *)mem_heap_hi() + 1)
        next[VICTIM_BYTE] ^= 0xff;
}

static void *garbling_realloc(void *p, size_t size)
{
    return core_realloc(p, size, bump_malloc, garbling_free);
}

const allocator_t garbling_allocator = {
    .name = "garbling", .init = bump_init, .malloc = bump_malloc, .free = garbling_free,
    .realloc = garbling_realloc, .check = bump_check, .in_heap = true,
};
