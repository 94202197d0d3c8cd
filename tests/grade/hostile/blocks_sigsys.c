/* blocks_sigsys - blocks every signal, SIGSYS too, then opens a file.
 * Verdict: forbidden system call (openat): a blocked SIGSYS still kills. */
#include <fcntl.h>
#include <signal.h>
static void sneak(void)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    open("/etc/hostname", O_RDONLY);
}
#define ON_INIT() sneak()
