/* ignores_signals - ignores every signal it may touch, then loops: only
 * SIGKILL, which grade's deadline sends to the whole process group, ends
 * it. Verdict: timeout. */
#include <signal.h>
static void deaf(void)
{
    for (int sig = 1; sig < 32; sig++)
        if (sig != SIGKILL && sig != SIGSTOP && sig != SIGSYS)
            signal(sig, SIG_IGN);
    for (volatile unsigned long i = 0;; i++)
        ;
}
#define ON_INIT() deaf()
