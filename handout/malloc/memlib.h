/*
 * memlib.h - the simulated heap your allocator grows, like sbrk(2).
 *
 * The heap is one contiguous range of bytes, [mem_heap_lo(), mem_heap_hi()],
 * that only grows. Memory past the break is inaccessible: a read or write
 * beyond the page holding the last heap byte faults at once instead of
 * silently scribbling. The heap lies above 4 GiB, so a pointer truncated to
 * 32 bits crashes rather than half-works.
 *
 * These are the only memory functions an allocator may call: no malloc,
 * calloc, realloc, free, sbrk or mmap of its own.
 */
#ifndef MEMLIB_H
#define MEMLIB_H

#include <stddef.h>
#include <stdint.h>

/*
 * mem_sbrk - grow the heap by incr bytes and return the old break (the
 * address of the first new byte). The new bytes hold whatever they held:
 * write before you read. mem_sbrk(0) returns the current break.
 * Returns (void *)-1 and sets errno (EINVAL for incr < 0, ENOMEM when the
 * heap would pass its maximum size); the heap is then unchanged.
 */
void *mem_sbrk(intptr_t incr);

/* mem_heap_lo - address of the first heap byte. */
void *mem_heap_lo(void);

/* mem_heap_hi - address of the last heap byte (mem_heap_lo() - 1 while empty). */
void *mem_heap_hi(void);

/* mem_heapsize - bytes in the heap, mem_heap_hi() - mem_heap_lo() + 1. */
size_t mem_heapsize(void);

/* mem_pagesize - the system page size in bytes. */
size_t mem_pagesize(void);

#endif
