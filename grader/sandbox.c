/*
 * sandbox.c - the seccomp filter for processes that run a submission's
 * code (see sandbox.h).
 *
 * The filter is an allowlist: the default action traps (SIGSYS), and the
 * handler installed here reports the call and lets the signal kill the
 * process. Calls that the C library makes on its own and that do no harm
 * when refused (ioctl other than the terminal query, clone3) fail with an
 * errno instead, so the library falls back as it would on an older kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "sandbox.h"

static int report_fd = -1;
static volatile int *report_nr;

/* on_sigsys - a refused call: say which, then die of SIGSYS (the handler
 * was installed with SA_RESETHAND and SA_NODEFER, so the raise is fatal). */
static void on_sigsys(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    int nr = info->si_syscall;
    if (report_nr)
        *report_nr = nr;
    if (report_fd >= 0) {
        char buf[64] = SANDBOX_REPORT;
        size_t len = sizeof SANDBOX_REPORT - 1;
        char digits[16];
        int k = 0;
        unsigned u = nr < 0 ? 0 : (unsigned)nr;
        do
            digits[k++] = (char)('0' + u % 10);
        while ((u /= 10) && k < (int)sizeof digits);
        while (k)
            buf[len++] = digits[--k];
        buf[len++] = '\n';
        ssize_t w = write(report_fd, buf, len);
        (void)w;
    }
    raise(sig);
}

/* The calls allowed with no condition. */
static const int plain[] = {
    SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev), SCMP_SYS(pread64),
    SCMP_SYS(lseek), SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
    /* Pipes and copies of descriptors stay inside the process (a test
     * that captures its own stderr makes a pipe). */
    SCMP_SYS(pipe), SCMP_SYS(pipe2), SCMP_SYS(dup), SCMP_SYS(dup2), SCMP_SYS(dup3),
    SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
    SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list), SCMP_SYS(rseq),
    SCMP_SYS(sched_yield), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
    SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
    SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid), SCMP_SYS(getuid), SCMP_SYS(geteuid),
    SCMP_SYS(getgid), SCMP_SYS(getegid), SCMP_SYS(getrusage), SCMP_SYS(times),
    SCMP_SYS(getrandom), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
    SCMP_SYS(sigaltstack), SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group),
    /* A test runner's worker talks to its runner over descriptors it holds. */
    SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait),
    SCMP_SYS(epoll_ctl), SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(sendto),
    SCMP_SYS(recvfrom), SCMP_SYS(getsockopt), SCMP_SYS(sched_getaffinity),
};

static int add_rules(scmp_filter_ctx f, const sandbox_rules_t *r)
{
    int rc = 0;
    pid_t self = getpid();
    for (size_t i = 0; i < sizeof plain / sizeof plain[0] && rc == 0; i++)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, plain[i], 0);
    /* Memory, never executable: no code made at run time. */
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
                              SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
                              SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    /* fcntl for descriptors' flags and copies; not F_SETOWN or F_SETSIG,
     * with which a descriptor's events signal any process, nor O_ASYNC. */
    static const int fcntl_cmds[] = { F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL,
                                      F_GETPIPE_SZ };
    for (size_t i = 0; i < sizeof fcntl_cmds / sizeof fcntl_cmds[0] && !rc; i++)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
                              SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i]));
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 2,
                              SCMP_A1(SCMP_CMP_EQ, F_SETFL),
                              SCMP_A2(SCMP_CMP_MASKED_EQ, O_ASYNC, 0));
    /* Signals to this process only; SIGSYS stays this file's. */
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
                              SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                              SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), 1,
                              SCMP_A0(SCMP_CMP_NE, SIGSYS));
    /* Limits may be read (getrlimit is prlimit64 with no new limit), not set. */
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1,
                              SCMP_A2(SCMP_CMP_EQ, 0));
    /* isatty asks TCGETS; any other ioctl fails as on a descriptor that
     * is not a terminal. */
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                              SCMP_A1(SCMP_CMP_EQ, TCGETS));
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 1,
                              SCMP_A1(SCMP_CMP_NE, TCGETS));
    /* clone3's flags are in memory, out of the filter's sight: the C
     * library falls back to clone, whose flags the filter can see. */
    if (!rc)
        rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (!rc && r->threads)
        rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
    return rc;
}

int sandbox_enter(const sandbox_rules_t *r, char *err, size_t n)
{
    if (RUNNING_ON_VALGRIND)
        return 0;
    report_fd = r->report_fd;
    report_nr = r->report;
    struct sigaction sa = { .sa_sigaction = on_sigsys,
                            .sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSYS, &sa, NULL) < 0) {
        snprintf(err, n, "sigaction(SIGSYS): %s", strerror(errno));
        return -1;
    }
    /* A blocked SIGSYS would still kill, but without the handler's report. */
    sigset_t sys;
    sigemptyset(&sys);
    sigaddset(&sys, SIGSYS);
    sigprocmask(SIG_UNBLOCK, &sys, NULL);

    scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
    if (!f) {
        snprintf(err, n, "seccomp_init failed");
        return -1;
    }
    int rc = add_rules(f, r);
    if (!rc && r->threads)
        rc = seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1);
#ifdef KIT_COVERAGE
    /* A coverage build's counters, while files can still be written. */
    extern void __gcov_dump(void);
    __gcov_dump();
#endif
    if (!rc)
        rc = seccomp_load(f);
    seccomp_release(f);
    if (rc) {
        snprintf(err, n, "cannot load the seccomp filter: %s", strerror(-rc));
        return -1;
    }
    return 0;
}

const char *sandbox_syscall_name(int nr, char *buf, size_t n)
{
    if (nr < 0) {
        snprintf(buf, n, "%s", SANDBOX_UNKNOWN);
        return buf;
    }
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    if (name)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "#%d", nr);
    free(name);
    return buf;
}

int sandbox_parse_report(const char *text)
{
    const char *last = NULL;
    for (const char *p = text; (p = strstr(p, SANDBOX_REPORT)); p++)
        last = p;
    if (!last)
        return -1;
    const char *d = last + sizeof SANDBOX_REPORT - 1;
    char *end;
    long nr = strtol(d, &end, 10);
    if (end == d || nr < 0 || nr > 100000)
        return -1;
    return (int)nr;
}
