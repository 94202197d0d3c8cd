/* exit_mid - ends the process, with status 0, at the 50th malloc of a
 * replay. Verdict: exited early. */
#include <stdlib.h>
static unsigned calls;
static void *maybe_exit(void *p)
{
    if (++calls == 50)
        exit(0);
    return p;
}
#define ON_INIT() (calls = 0)
#define ON_MALLOC(n, p) maybe_exit(p)
