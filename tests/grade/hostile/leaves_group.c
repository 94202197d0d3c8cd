/* leaves_group - ignores SIGTERM and tries to leave its process group
 * (setsid), so that a kill of the group would miss it. Verdict: forbidden
 * system call (setsid). */
#include <signal.h>
#include <unistd.h>
static void escape(void)
{
    signal(SIGTERM, SIG_IGN);
    setsid();
    setpgid(0, 0);
    for (;;)
        ;
}
#define ON_INIT() escape()
