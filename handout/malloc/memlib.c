/*
 * memlib.c - a simulated sbrk heap over one reserved region.
 *
 * One mmap reserves max bytes of address space with no access. The heap is
 * [base, base + used); the pages covering it are readable and writable, every
 * page past them has no access, so an overrun faults at the first byte past
 * the page holding the break. Invariants: used <= accessible <= max, and
 * accessible is used rounded up to a whole page, except after mem_rewind,
 * which leaves the pages it had accessible.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memlib_driver.h"

static char *base;   /* first byte of the reservation, NULL when none */
static size_t used;  /* bytes in the heap: the break is base + used */
static size_t accessible; /* bytes from base that can be read and written */
static size_t max;   /* bytes reserved */
static volatile unsigned *refusals; /* mem_count_refusals */

size_t mem_pagesize(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t page_round_up(size_t n)
{
    size_t p = mem_pagesize();
    return (n + p - 1) / p * p;
}

int mem_init(size_t max_heap)
{
    if (base)
        mem_deinit();
    size_t want = page_round_up(max_heap ? max_heap : MEM_DEFAULT_MAX_HEAP);
    void *p = mmap((void *)MEM_HEAP_HINT, want, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    if ((uintptr_t)p < ((uintptr_t)1 << 32)) {
        /* The kernel ignored the hint and went low: a 32-bit truncation
         * would go unnoticed there, so refuse rather than mislead. */
        munmap(p, want);
        errno = ENOMEM;
        return -1;
    }
    base = p;
    max = want;
    used = accessible = 0;
    return 0;
}

void mem_deinit(void)
{
    if (base)
        munmap(base, max);
    base = NULL;
    used = accessible = max = 0;
}

void mem_reset(void)
{
    if (!base)
        return;
    if (accessible) {
        /* Dropping the pages makes them zero when they are touched again. */
        madvise(base, accessible, MADV_DONTNEED);
        mprotect(base, accessible, PROT_NONE);
    }
    used = accessible = 0;
}

void mem_rewind(void)
{
    used = 0;
}

size_t mem_max_heap(void)
{
    return max;
}

void mem_count_refusals(volatile unsigned *counter)
{
    refusals = counter;
}

/* have_heap - make sure a heap exists (the first use of memlib makes one). */
static int have_heap(void)
{
    return base || mem_init(0) == 0;
}

void *mem_sbrk(intptr_t incr)
{
    if (!have_heap())
        return (void *)-1;
    if (incr < 0) {
        errno = EINVAL;
        return (void *)-1;
    }
    if ((size_t)incr > max - used) {
        if (refusals && used > max / 2)
            ++*refusals;
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = base + used;
    size_t want = page_round_up(used + (size_t)incr);
    if (want > accessible) {
        if (mprotect(base + accessible, want - accessible, PROT_READ | PROT_WRITE) < 0)
            return (void *)-1;
        accessible = want;
    }
    used += (size_t)incr;
    return old;
}

void *mem_heap_lo(void)
{
    have_heap();
    return base;
}

void *mem_heap_hi(void)
{
    have_heap();
    return (void *)((uintptr_t)base + used - 1);
}

size_t mem_heapsize(void)
{
    return used;
}
