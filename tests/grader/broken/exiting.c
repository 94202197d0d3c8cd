/*
 * exiting.c - ends the process: the second malloc calls exit(3), as an
 * allocator that gives up on an error it cannot handle might.
 */
#include <stdlib.h>

#include "broken.h"

#define FATAL_CALL 2
#define STATUS 3

static unsigned calls;

static int exiting_init(void)
{
    calls = 0;
    return 0;
}

static void *exiting_malloc(size_t size)
{
    if (++calls == FATAL_CALL)
        exit(STATUS);
    return bump_malloc(size);
}

static void *exiting_realloc(void *p, size_t size)
{
    return core_realloc(p, size, exiting_malloc, bump_free);
}

const allocator_t exiting_allocator = {
    .name = "exiting", .init = exiting_init, .malloc = exiting_malloc, .free = bump_free,
    .realloc = exiting_realloc, .check = bump_check, .in_heap = true,
};
