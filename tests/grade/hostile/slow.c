/* slow - a correct allocator that wastes time on every malloc. Verdict:
 * ok on every trace (slowness is not cheating), with a lower performance
 * index. */
static void *dawdle(void *p)
{
    for (volatile unsigned i = 0; i < 20000; i++)
        ;
    return p;
}
#define ON_MALLOC(n, p) dawdle(p)
