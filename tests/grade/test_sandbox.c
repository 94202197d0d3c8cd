/*
 * test_sandbox.c - the seccomp filter around a submission's code: after
 * sandbox_enter a process still writes to descriptors it holds, allocates
 * and prints; opening a file, fork, a socket, a signal to another process,
 * executable memory, raising a limit, touching SIGSYS's handler and (unless
 * the rules allow them) threads kill it by SIGSYS, after its handler has
 * written the call's number to report_fd and to the shared report. And the
 * two helpers grade reads the report with: sandbox_syscall_name and
 * sandbox_parse_report.
 *
 * sandbox_enter cannot be undone, so every case runs in a child forked for
 * it, and the parent judges the child's wait status and report. Under
 * Valgrind sandbox_enter loads nothing: the cases that expect a refusal
 * are skipped there.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "sandbox.h"
#include "timeouts.h"

TestSuite(sandbox, .timeout = TIMEOUT(10));

/* How a sandboxed child ended. */
typedef struct outcome {
    int status;             /* its wait status */
    char report[512];       /* what it wrote to report_fd */
    char out[512];          /* what it wrote to stdout */
    int shared;             /* what its handler stored in the shared report (-1: nothing) */
} outcome_t;

enum { SB_THREADS = 1, SB_NO_REPORT_FD = 2, SB_NO_SHARED = 4 };

#define ENTER_FAILED 99     /* the child's exit status when sandbox_enter failed */

/* A pipe the body may write to: opened before the child enters. */
static int data_pipe[2];

/* read_into - what is left on fd, into buf (n bytes, terminated); fd closed. */
static void read_into(int fd, char *buf, size_t n)
{
    size_t len = 0;
    ssize_t got;
    while (len + 1 < n && (got = read(fd, buf + len, n - 1 - len)) > 0)
        len += (size_t)got;
    buf[len] = '\0';
    close(fd);
}

/*
 * in_sandbox - fork a child that enters the sandbox (flags: SB_*) and runs
 * body; its exit status is what body returns. Its stdout goes to o.out.
 */
static outcome_t in_sandbox(int flags, int (*body)(void))
{
    outcome_t o = { .shared = -1 };
    int rep[2], out[2];
    cr_assert(eq(int, pipe(rep), 0));
    cr_assert(eq(int, pipe(out), 0));
    cr_assert(eq(int, pipe(data_pipe), 0));
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                -1, 0);
    cr_assert(ne(ptr, (void *)shared, MAP_FAILED));
    *shared = -1;
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(ne(int, pid, -1));
    if (pid == 0) {
        /* A child killed by SIGSYS would leave a core file behind. */
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none);
        prctl(PR_SET_DUMPABLE, 0);
        close(rep[0]);
        close(out[0]);
        close(data_pipe[0]);
        dup2(out[1], STDOUT_FILENO);
        close(out[1]);
        sandbox_rules_t r = {
            .threads = flags & SB_THREADS,
            .report_fd = flags & SB_NO_REPORT_FD ? -1 : rep[1],
            .report = flags & SB_NO_SHARED ? NULL : shared,
        };
        char err[256];
        if (sandbox_enter(&r, err, sizeof err) < 0) {
            dprintf(STDERR_FILENO, "sandbox_enter: %s\n", err);
            _exit(ENTER_FAILED);
        }
        _exit(body());
    }
    close(rep[1]);
    close(out[1]);
    close(data_pipe[1]);
    cr_assert(eq(int, waitpid(pid, &o.status, 0), pid));
    read_into(rep[0], o.report, sizeof o.report);
    read_into(out[0], o.out, sizeof o.out);
    o.shared = *shared;
    munmap((void *)shared, 4096);
    return o;
}

/* expect_exit - the child ended by exit(code). */
static void expect_exit(const outcome_t *o, int code)
{
    cr_expect(eq(int, WIFSIGNALED(o->status) ? WTERMSIG(o->status) : 0, 0),
              "killed by signal %d (report: %s)", WTERMSIG(o->status), o->report);
    cr_expect(eq(int, WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1, code));
}

/* expect_sigsys - the child died of SIGSYS (whatever it reported). */
static void expect_sigsys(const outcome_t *o)
{
    cr_expect(eq(int, WIFSIGNALED(o->status) ? WTERMSIG(o->status) : 0, SIGSYS),
              "not killed by SIGSYS: wait status %#x", o->status);
}

/* expect_killed - the child died of SIGSYS, its report naming call nr. */
static void expect_killed(const outcome_t *o, int nr)
{
    char got[64], want[64];
    expect_sigsys(o);
    sandbox_syscall_name(sandbox_parse_report(o->report), got, sizeof got);
    sandbox_syscall_name(nr, want, sizeof want);
    cr_expect(eq(str, got, want), "report [%s]", o->report);
}

#define SKIP_UNDER_VALGRIND()                                                                  \
    do {                                                                                       \
        if (RUNNING_ON_VALGRIND)                                                               \
            cr_skip_test("under Valgrind sandbox_enter loads no filter");                      \
    } while (0)

/* --- what a sandboxed process may do ------------------------------------ */

static int write_to_pipe(void)
{
    return write(data_pipe[1], "ok", 2) == 2 ? 0 : 1;
}

Test(sandbox, writing_to_a_pipe_it_holds_works)
{
    outcome_t o = in_sandbox(0, write_to_pipe);
    expect_exit(&o, 0);
    char got[16];
    read_into(data_pipe[0], got, sizeof got);
    cr_expect(eq(str, got, "ok"));
}

static int malloc_a_mebibyte(void)
{
    char *volatile p = malloc((size_t)1 << 20);
    if (!p)
        return 1;
    memset(p, 0x5a, (size_t)1 << 20);
    free(p);
    return 0;
}

Test(sandbox, malloc_and_free_of_1_mib_work)
{
    outcome_t o = in_sandbox(0, malloc_a_mebibyte);
    expect_exit(&o, 0);
}

static int print_a_line(void)
{
    printf("hello %d\n", 42);
    return fflush(stdout) == 0 ? 0 : 1;
}

Test(sandbox, printf_and_fflush_work)
{
    outcome_t o = in_sandbox(0, print_a_line);
    expect_exit(&o, 0);
    cr_expect(eq(str, o.out, "hello 42\n"));
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1 = 1;
}

static int signal_itself(void)
{
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    return got_usr1 ? 0 : 1;
}

Test(sandbox, a_signal_to_itself_is_delivered)
{
    outcome_t o = in_sandbox(0, signal_itself);
    expect_exit(&o, 0);
}

static int read_a_limit(void)
{
    struct rlimit r;
    return getrlimit(RLIMIT_NOFILE, &r) == 0 ? 0 : 1;
}

Test(sandbox, reading_a_limit_works)
{
    outcome_t o = in_sandbox(0, read_a_limit);
    expect_exit(&o, 0);
}

static void *thread_body(void *arg)
{
    *(int *)arg = 7;
    return NULL;
}

static int start_a_thread(void)
{
    pthread_t t;
    int v = 0;
    if (pthread_create(&t, NULL, thread_body, &v) != 0)
        return 1;
    if (pthread_join(t, NULL) != 0)
        return 2;
    return v == 7 ? 0 : 3;
}

Test(sandbox, with_threads_allowed_a_thread_is_created_and_joined)
{
    outcome_t o = in_sandbox(SB_THREADS, start_a_thread);
    expect_exit(&o, 0);
}

/* --- what it may not ---------------------------------------------------- */

static int open_a_file(void)
{
    int fd = openat(AT_FDCWD, "/etc/hostname", O_RDONLY);
    return fd >= 0 ? 0 : 1;
}

Test(sandbox, opening_a_file_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, open_a_file);
    expect_killed(&o, SYS_openat);
}

Test(sandbox, the_report_fd_gets_the_number_of_the_refused_call)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(SB_NO_SHARED, open_a_file);
    cr_expect(eq(int, sandbox_parse_report(o.report), SYS_openat), "report [%s]", o.report);
}

Test(sandbox, the_shared_report_gets_the_number_of_the_refused_call)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(SB_NO_REPORT_FD, open_a_file);
    cr_expect(eq(int, o.shared, SYS_openat));
    cr_expect(eq(str, o.report, ""));
}

Test(sandbox, with_no_report_at_all_a_refused_call_still_kills)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(SB_NO_REPORT_FD | SB_NO_SHARED, open_a_file);
    expect_sigsys(&o);
}

static int start_a_process(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    return 1;
}

Test(sandbox, fork_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, start_a_process);
    expect_killed(&o, SYS_clone);
}

Test(sandbox, fork_is_refused_even_with_threads_allowed)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(SB_THREADS, start_a_process);
    expect_killed(&o, SYS_clone);
}

static int make_a_socket(void)
{
    return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 1;
}

Test(sandbox, socket_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, make_a_socket);
    expect_killed(&o, SYS_socket);
}

static int kill_the_parent(void)
{
    return kill(getppid(), SIGTERM) == 0 ? 0 : 1;
}

Test(sandbox, a_signal_to_another_process_is_refused)
{
    SKIP_UNDER_VALGRIND();
    /* The parent is this test: if the signal went through, it would not
     * be here to judge the child. */
    outcome_t o = in_sandbox(0, kill_the_parent);
    expect_killed(&o, SYS_kill);
}

static int signal_through_a_descriptor(void)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    fcntl(p[0], F_SETOWN, getppid());
    fcntl(p[0], F_SETFL, O_ASYNC);
    return write(p[1], "x", 1) == 1 ? 0 : 1;
}

/* F_SETOWN and O_ASYNC would make a descriptor's events signal any
 * process: the other way to signal the parent. */
Test(sandbox, asking_a_descriptor_to_signal_another_process_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, signal_through_a_descriptor);
    expect_killed(&o, SYS_fcntl);
}

static int set_nonblocking(void)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    int fl = fcntl(p[0], F_GETFL);
    return fl >= 0 && fcntl(p[0], F_SETFL, fl | O_NONBLOCK) == 0 ? 0 : 1;
}

Test(sandbox, a_descriptors_flags_may_change)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, set_nonblocking);
    expect_exit(&o, 0);
}

static int map_executable(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p != MAP_FAILED ? 0 : 1;
}

Test(sandbox, executable_mmap_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, map_executable);
    expect_killed(&o, SYS_mmap);
}

static int make_executable(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 2;
    return mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0 ? 0 : 1;
}

Test(sandbox, mprotect_to_executable_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, make_executable);
    expect_killed(&o, SYS_mprotect);
}

static int raise_a_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return 2;
    r.rlim_cur = r.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &r) == 0 ? 0 : 1;
}

Test(sandbox, raising_a_limit_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, raise_a_limit);
    expect_killed(&o, SYS_prlimit64);
}

static int ignore_sigsys(void)
{
    signal(SIGSYS, SIG_IGN);
    return 0;
}

Test(sandbox, changing_the_sigsys_handler_is_refused)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, ignore_sigsys);
    expect_killed(&o, SYS_rt_sigaction);
}

Test(sandbox, without_threads_allowed_pthread_create_kills_by_sigsys)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, start_a_thread);
    expect_sigsys(&o);
}

/* glibc's pthread_create blocks every signal around its clone call; the
 * kernel forces a blocked SIGSYS with the default action, so the refusal
 * kills with no report (sandbox.h says so; the verdict still says
 * "forbidden system call", of an unknown one). */
Test(sandbox, a_refused_pthread_create_kills_without_a_report)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(0, start_a_thread);
    expect_sigsys(&o);
    cr_expect(eq(int, o.shared, -1));
}

static int run_a_command(void)
{
    return system("true") == 0 ? 0 : 1;
}

Test(sandbox, running_a_command_kills_by_sigsys)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(SB_THREADS, run_a_command);
    expect_sigsys(&o);
}

/* As for pthread_create: system (posix_spawn) blocks every signal around
 * its clone, so the refusal kills with no report. */
Test(sandbox, a_refused_command_kills_without_a_report)
{
    SKIP_UNDER_VALGRIND();
    outcome_t o = in_sandbox(SB_THREADS, run_a_command);
    expect_sigsys(&o);
    cr_expect(eq(int, o.shared, -1));
}

/* --- the report's helpers ------------------------------------------------ */

Test(sandbox, syscall_name_of_openat_is_openat)
{
    char buf[64];
    cr_expect(eq(str, (char *)sandbox_syscall_name(SYS_openat, buf, sizeof buf), "openat"));
}

Test(sandbox, syscall_name_of_an_unknown_number_is_hash_and_number)
{
    char buf[64];
    cr_expect(eq(str, (char *)sandbox_syscall_name(99999, buf, sizeof buf), "#99999"));
}

Test(sandbox, parse_report_of_text_without_a_report_is_minus_1)
{
    cr_expect(eq(int, sandbox_parse_report(""), -1));
    cr_expect(eq(int, sandbox_parse_report("some output\nsandbox: nothing\n"), -1));
}

Test(sandbox, parse_report_finds_a_report_among_other_output)
{
    cr_expect(eq(int, sandbox_parse_report("before" SANDBOX_REPORT "257\nafter\n"), 257));
}

Test(sandbox, parse_report_takes_the_last_of_two_reports)
{
    cr_expect(eq(int, sandbox_parse_report(SANDBOX_REPORT "41\nmore" SANDBOX_REPORT "257\n"), 257));
}

Test(sandbox, parse_report_of_a_report_without_a_number_is_minus_1)
{
    cr_expect(eq(int, sandbox_parse_report("x" SANDBOX_REPORT "\n"), -1));
}
