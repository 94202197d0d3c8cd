/*
 * shrinking.c - lies about the heap's size: when its last payload is freed
 * it empties the heap with memlib's driver-only mem_reset, so the final heap
 * is smaller than the bytes that were live at once (utilization above 100 %).
 *
 * memlib.h offers no way down (mem_sbrk refuses a negative increment); the
 * driver's functions are reachable only because the allocator is linked into
 * the same program.
 */
#include "broken.h"
#include "memlib_driver.h"

static size_t live;

static int shrinking_init(void)
{
    live = 0;
    return 0;
}

static void *shrinking_malloc(size_t size)
{
    void *p = bump_malloc(size);
    live += p != NULL;
    return p;
}

static void shrinking_free(void *p)
{
    if (p && --live == 0)
        mem_reset();
}

static void *shrinking_realloc(void *p, size_t size)
{
    return core_realloc(p, size, shrinking_malloc, shrinking_free);
}

const allocator_t shrinking_allocator = {
    .name = "shrinking", .init = shrinking_init, .malloc = shrinking_malloc,
    .free = shrinking_free, .realloc = shrinking_realloc, .check = bump_check, .in_heap = true,
};
