/* heap_bomb - takes every byte memlib has, a mebibyte at a time. Verdict:
 * out of memory (the heap reached its maximum). */
#include "memlib.h"
static void bomb(void)
{
    while (mem_sbrk(1 << 20) != (void *)-1)
        ;
}
#define ON_INIT() bomb()
