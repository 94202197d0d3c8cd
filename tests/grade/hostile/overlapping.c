/* overlapping - now and then returns a payload inside one still live.
 * Verdict: wrong (the payload overlaps another). */
static char *last;
static unsigned calls;
static void *overlap(size_t n, void *p)
{
    char *r = p;
    if (++calls % 10 == 0 && last && n <= 8)
        r = last;
    last = p;
    return r;
}
#define ON_INIT() (last = NULL, calls = 0)
#define ON_MALLOC(n, p) overlap(n, p)
