/*
 * memlib_driver.h - set-up of the simulated heap, for drivers and tests only.
 *
 * An allocator never calls these: the program that runs the allocator
 * (mdriver, a test) owns the heap's life. mem_sbrk() initializes the heap
 * with MEM_DEFAULT_MAX_HEAP on first use if nobody called mem_init().
 */
#ifndef MEMLIB_DRIVER_H
#define MEMLIB_DRIVER_H

#include <stddef.h>

#include "memlib.h"

/* Default most bytes the heap may reach (reserved, not committed). */
#define MEM_DEFAULT_MAX_HEAP ((size_t)512 << 20)

/* Address the heap is asked to start at: above 4 GiB, and clear of
 * AddressSanitizer's shadow memory so the same address works under ASan. */
#define MEM_HEAP_HINT ((uintptr_t)0x600000000000)

/*
 * mem_init - reserve a heap of at most max_heap bytes (rounded up to pages;
 * 0 means MEM_DEFAULT_MAX_HEAP), empty. Returns 0, or -1 with errno set
 * when the reservation fails. Calling it again first releases the old heap.
 */
int mem_init(size_t max_heap);

/* mem_reset - empty the heap: break back to the start, every byte zero and
 * inaccessible again. The reservation and its address stay. */
void mem_reset(void);

/*
 * mem_rewind - empty the heap for another timing run of the same trace: the
 * break goes back to the start, but the pages already reached stay
 * accessible and keep their bytes, so a run costs neither page faults nor
 * protection changes. Bytes past the break are not protected until
 * mem_reset. An allocator that reads heap bytes it never wrote behaves
 * differently after a rewind; mdriver notices (the offsets' hash differs).
 */
void mem_rewind(void);

/* mem_deinit - release the heap; mem_init() may be called again after. */
void mem_deinit(void);

/* mem_max_heap - the most bytes the current heap may reach. */
size_t mem_max_heap(void);

/*
 * mem_count_refusals - from now on, every mem_sbrk refused because the
 * heap would pass its maximum, when it already holds more than half of it
 * (the heap is full; a buggy request of some exabytes from a small heap is
 * not a shortage), adds one to *counter (NULL: stop counting).
 * A driver points it into memory it shares with the process running the
 * allocator, so the count outlives that process's crash.
 */
void mem_count_refusals(volatile unsigned *counter);

#endif
