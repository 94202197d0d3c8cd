/* global_heap - keeps its blocks in a global array instead of memlib's
 * heap. Verdict: the static checks refuse it (writable global data over
 * the budget). */
static char arena[1 << 20];
static unsigned long used;
static void *from_arena(size_t n, void *p)
{
    if (used + n <= sizeof arena && n < 64) {
        used += (n + 7) & ~7UL;
        return arena + used - ((n + 7) & ~7UL);
    }
    return p;
}
#define ON_INIT() (used = 0)
#define ON_MALLOC(n, p) from_arena(n, p)
