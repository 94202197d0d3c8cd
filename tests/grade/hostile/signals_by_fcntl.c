/* signals_by_fcntl - signals its parent without kill: a pipe whose
 * owner is the parent, asynchronous, then written to (SIGIO). Verdict:
 * forbidden system call (fcntl). */
#include <fcntl.h>
#include <unistd.h>
static void sigio(void)
{
    int p[2];
    if (pipe(p) == 0) {
        fcntl(p[0], F_SETOWN, getppid());
        fcntl(p[0], F_SETFL, O_ASYNC);
        if (write(p[1], "x", 1) < 0)
            return;
    }
}
#define ON_INIT() sigio()
