/*
 * scribbling.c - breaks "memory past the break is not the allocator's": a
 * correct bump allocator that, like an off-by-one epilogue, writes a marker
 * word just past the break after every malloc. The payloads themselves are
 * fine; only the write past the heap is wrong.
 */
#include <string.h>

#include "broken.h"
#include "memlib.h"

static void *scribbling_malloc(size_t size)
{
    void *p = bump_malloc(size);
    if (p) {
        size_t marker = 1;
        memcpy((char *)mem_heap_hi() + 1, &marker, sizeof marker);
    }
    return p;
}

static void *scribbling_realloc(void *p, size_t size)
{
    return core_realloc(p, size, scribbling_malloc, bump_free);
}

const allocator_t scribbling_allocator = {
    .name = "scribbling", .init = bump_init, .malloc = scribbling_malloc, .free = bump_free,
    .realloc = scribbling_realloc, .check = bump_check, .in_heap = true,
};
