/* calls_malloc - lets the C library do the work for small requests.
 * Verdict: the static checks refuse it (calls malloc). */
#include <stdlib.h>
static void *cheat(size_t n, void *p)
{
    return n < 16 ? malloc(n) : p;
}
#define ON_MALLOC(n, p) cheat(n, p)
