/*
 * mtrace_victim_basic.c - one call of each kind the recorder logs, in a fixed
 * order, for test_mtrace to compare against the expected trace. No stdio:
 * the process makes no allocation but these.
 */
#include <malloc.h>
#include <stdlib.h>

/* The blocks escape here, so the compiler keeps every call. */
void *volatile sink[8];

int main(void)
{
    sink[0] = malloc(100);                    /* a 0 100 */
    sink[1] = calloc(10, 30);                 /* a 1 300 */
    sink[0] = realloc(sink[0], 1000);         /* r 0 1000 */
    sink[0] = realloc(sink[0], 50);           /* r 0 50 */
    sink[2] = realloc(NULL, 70);              /* a 2 70 */
    sink[3] = malloc(0);                      /* a 3 0 */
    void *p;
    if (posix_memalign(&p, 64, 200) != 0)     /* a 4 200 */
        return 1;
    sink[4] = p;
    sink[5] = aligned_alloc(256, 512);        /* a 5 512 */
    sink[6] = memalign(32, 48);               /* a 6 48 */
    sink[7] = realloc(sink[2], 0);            /* f 2: glibc frees, returns NULL */
    free(sink[7]);                            /* free(NULL): dropped */
    free(sink[1]);                            /* f 1 */
    for (int i = 3; i <= 6; i++)
        free(sink[i]);                        /* f 3 .. f 6 */
    return 0;                                 /* block 0 leaks: the closing "f 0" */
}
