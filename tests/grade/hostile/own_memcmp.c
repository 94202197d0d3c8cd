/* own_memcmp - a memcmp that always says equal, beside an allocator that
 * scribbles on the block it returned before. Verdict: the static checks
 * refuse it (defines memcmp); and were it linked, its memcmp is local to
 * the submission, so the driver's checks use the C library's. */
#include <stddef.h>
int memcmp(const void *a, const void *b, size_t n)
{
    (void)a;
    (void)b;
    (void)n;
    return 0;
}
static void *previous;
static void *scribble(void *p)
{
    if (previous)
        *(volatile char *)previous ^= 0x5a;
    previous = p;
    return p;
}
#define ON_INIT() (previous = NULL)
#define ON_MALLOC(n, p) scribble(p)
