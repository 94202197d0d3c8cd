/* fork_bomb - calls fork in a loop. Verdict: the static checks refuse it
 * (calls fork). */
#include <unistd.h>
static void bomb(void)
{
    for (;;)
        fork();
}
#define ON_INIT() bomb()
