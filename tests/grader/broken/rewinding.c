/*
 * rewinding.c - lies about the heap's size without going above 100 %: on
 * free it cuts the heap back to the most bytes it ever had live plus a word,
 * with the driver-only mem_rewind, which keeps the pages past the new break
 * readable and their bytes intact. A payload returned earlier then lies past
 * the break, unharmed: a 0 4096; f 0; a 1 4096; a 2 8; f 2 leaves ID 1 at
 * [heap+0x1010, heap+0x2010) in a heap of 0x1010 bytes, utilization 99.8 %
 * for a bump allocator that used twice that.
 */
#include "broken.h"
#include "memlib_driver.h"

static size_t live, peak;

static int rewinding_init(void)
{
    live = peak = 0;
    return 0;
}

static void *rewinding_malloc(size_t size)
{
    unsigned char *p = bump_malloc(size);
    if (!p)
        return NULL;
    live += core_size(p);
    peak = live > peak ? live : peak;
    return p;
}

static void rewinding_free(void *p)
{
    if (!p)
        return;
    live -= core_size(p);
    size_t keep = peak + sizeof(size_t);
    if (mem_heapsize() > keep) {
        mem_rewind();
        mem_sbrk((intptr_t)keep);
    }
}

static void *rewinding_realloc(void *p, size_t size)
{
    return core_realloc(p, size, rewinding_malloc, rewinding_free);
}

const allocator_t rewinding_allocator = {
    .name = "rewinding", .init = rewinding_init, .malloc = rewinding_malloc,
    .free = rewinding_free, .realloc = rewinding_realloc, .check = bump_check, .in_heap = true,
};
