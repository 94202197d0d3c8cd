/* kill_parent - kills the process that runs it (mdriver), and grade's
 * too if it can. Verdict: forbidden system call (kill); grade goes on. */
#include <signal.h>
#include <unistd.h>
static void parricide(void)
{
    kill(getppid(), SIGKILL);
    kill(0, SIGKILL);
}
#define ON_INIT() parricide()
