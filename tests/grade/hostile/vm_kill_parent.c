/* vm_kill_parent - the page-fault handler kills the process that runs it
 * (the test runner, vmsh), kill found at run time past the static checks
 * (appended to vm/fault.c, the reference's fault_handle renamed). Verdict:
 * forbidden system call (kill) in every test and scenario that takes a
 * page fault; grade goes on. */
#include "lookup.h"
#include <signal.h>
#undef fault_handle
int fault_handle(struct machine *m, struct proc *p, vaddr_t va, uint32_t error)
{
    int (*kill_)(int, int) = (int (*)(int, int))libc_lookup("kill");
    int (*parent)(void) = (int (*)(void))libc_lookup("getppid");
    if (kill_ && parent)
        kill_(parent(), SIGKILL);
    return honest_fault_handle(m, p, va, error);
}
