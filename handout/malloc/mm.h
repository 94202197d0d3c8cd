/*
 * mm.h - the allocator you write, as the driver and the tests call it.
 *
 * Payloads are aligned to ALIGNMENT bytes and live inside the simulated heap
 * of memlib.h. The driver calls mm_init() once before each trace, on an empty
 * heap; your allocator must not keep state from one trace to the next.
 */
#ifndef MM_H
#define MM_H

#include <stddef.h>

/* Every payload address is a multiple of ALIGNMENT. */
#define ALIGNMENT 8

/*
 * mm_init - set up an empty allocator on the (empty) heap.
 * Returns 0 on success, -1 when the heap cannot be set up.
 */
int mm_init(void);

/*
 * mm_malloc - return a payload of at least size bytes, ALIGNMENT-aligned,
 * inside the heap and overlapping no other live payload; its contents are
 * unspecified. NULL when size is 0 or the heap cannot grow enough.
 */
void *mm_malloc(size_t size);

/*
 * mm_free - give back ptr, a payload returned by mm_malloc or mm_realloc
 * and not freed since. mm_free(NULL) does nothing.
 */
void mm_free(void *ptr);

/*
 * mm_realloc - resize the payload at ptr to size bytes, returning the new
 * payload, whose first min(old size, size) bytes equal the old payload's.
 * mm_realloc(NULL, size) is mm_malloc(size); mm_realloc(ptr, 0) is
 * mm_free(ptr) and returns NULL. When there is no room it returns NULL and
 * ptr is left as it was.
 */
void *mm_realloc(void *ptr, size_t size);

/*
 * mm_check_heap - check every invariant of the heap and the free list.
 * Returns nonzero when the heap is consistent; otherwise prints what is
 * wrong, with addresses, to stderr and returns 0.
 */
int mm_check_heap(void);

#endif
