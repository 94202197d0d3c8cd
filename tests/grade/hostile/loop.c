/* loop - malloc never returns. Verdict: timeout, on every trace. */
static void *spin(void *p)
{
    for (volatile unsigned long i = 0;; i++)
        ;
    return p;
}
#define ON_MALLOC(n, p) spin(p)
