/* fork_bomb_hidden - the fork bomb with fork found at run time, which no
 * static check sees. Verdict: forbidden system call (clone, which fork
 * makes). */
#include "lookup.h"
#include <sys/types.h>
static void bomb(void)
{
    pid_t (*f)(void) = (pid_t (*)(void))libc_lookup("fork");
    for (; f;)
        f();
}
#define ON_INIT() bomb()
