/*
 * mm.c - your allocator.
 *
 * Write here, before the code, how your allocator works: the heap's layout
 * (what sits at its start and its end), how a free block is found
 * (placement policy), when blocks are split and coalesced, how mm_realloc
 * avoids copying, and why you chose each. A reader should understand the
 * design without reading the code.
 *
 * Rules: the only memory functions you may call are those of memlib.h; no
 * global or static arrays or structs beyond a few words of state; use the
 * accessors of mminline.h to touch blocks.
 */
#include <stdio.h>
#include <string.h>

#include "memlib.h"
#include "mm.h"
#include "mminline.h"

/*
 * mm_init - set up the heap: the words at its start and end that spare the
 * allocator from special cases at the edges, and an empty free list.
 * Returns 0, or -1 when mem_sbrk fails.
 */
int mm_init(void)
{
    UNIMPLEMENTED();
}

/*
 * mm_malloc - find a free block big enough (splitting off what is left when
 * the rest can be a block of its own), or grow the heap; return its payload.
 * NULL for size 0 or when the heap cannot grow.
 */
void *mm_malloc(size_t size)
{
    (void)size;
    UNIMPLEMENTED();
}

/*
 * mm_free - free the block of ptr and coalesce it at once with a free
 * neighbour below, above, or both, so no two free blocks are ever adjacent.
 * mm_free(NULL) does nothing.
 */
void mm_free(void *ptr)
{
    (void)ptr;
    UNIMPLEMENTED();
}

/*
 * mm_realloc - see mm.h. Shrink in place; grow in place into a free block
 * above, or at the end of the heap, before falling back to malloc, copy and
 * free.
 */
void *mm_realloc(void *ptr, size_t size)
{
    (void)ptr;
    (void)size;
    UNIMPLEMENTED();
}

/*
 * mm_check_heap - walk the heap and the free list and check: every block is
 * aligned and inside the heap; its size word equals its end tag; no two
 * free blocks are adjacent; every free block is on the free list and every
 * block on it is free; next and prev links agree; the counts agree.
 * Print each problem with its address to stderr. Nonzero when all is well.
 */
int mm_check_heap(void)
{
    UNIMPLEMENTED();
}
