/* mmap_bomb - maps and touches memory outside the heap until the system
 * says no, mmap found at run time; then writes where the failed mapping
 * "is". Verdict: out of memory. */
#include "lookup.h"
#include <sys/mman.h>
static void bomb(void)
{
    void *(*map)(void *, size_t, int, int, int, off_t) =
        (void *(*)(void *, size_t, int, int, int, off_t))libc_lookup("mmap");
    for (char *p; map;) {
        p = map(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            *(volatile char *)p = 1;
            break;
        }
        for (size_t i = 0; i < (16 << 20); i += 4096)
            p[i] = 1;
    }
}
#define ON_INIT() bomb()
