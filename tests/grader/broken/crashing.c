/*
 * crashing.c - crashes: the third malloc writes one page past the break,
 * which memlib keeps inaccessible, and dies of SIGSEGV.
 *
 * Under Valgrind (make memcheck) the same signal is raised instead of
 * provoked: Valgrind would log the invalid write as an error of the run,
 * and memcheck fails on any error logged.
 */
#include <signal.h>
#include <valgrind/valgrind.h>

#include "broken.h"
#include "memlib.h"

#define FATAL_CALL 3

static unsigned calls;

static int crashing_init(void)
{
    calls = 0;
    return 0;
}

static void *crashing_malloc(size_t size)
{
    if (++calls == FATAL_CALL) {
        if (RUNNING_ON_VALGRIND)
            raise(SIGSEGV);
        volatile unsigned char *past = (unsigned char *)mem_heap_hi() + 1 + mem_pagesize();
        *past = 0;
    }
    return bump_malloc(size);
}

static void *crashing_realloc(void *p, size_t size)
{
    return core_realloc(p, size, crashing_malloc, bump_free);
}

const allocator_t crashing_allocator = {
    .name = "crashing", .init = crashing_init, .malloc = crashing_malloc, .free = bump_free,
    .realloc = crashing_realloc, .check = bump_check, .in_heap = true,
};
