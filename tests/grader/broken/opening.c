/*
 * opening.c - opens a file at its first malloc (to read the trace, say),
 * which the sandbox refuses.
 */
#include <fcntl.h>
#include <unistd.h>

#include "broken.h"

static void *opening_malloc(size_t size)
{
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd >= 0)
        close(fd);
    return bump_malloc(size);
}

static void *opening_realloc(void *p, size_t size)
{
    return core_realloc(p, size, opening_malloc, bump_free);
}

const allocator_t opening_allocator = {
    .name = "opening", .init = bump_init, .malloc = opening_malloc, .free = bump_free,
    .realloc = opening_realloc, .check = bump_check, .in_heap = true,
};
