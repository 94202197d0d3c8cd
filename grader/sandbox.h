/*
 * sandbox.h - the system calls a process may make once it runs a
 * submission's code.
 *
 * A process that is about to call into a student's allocator or machine
 * code (mdriver's replay child, a Criterion worker of a graded test, vmsh
 * run by grade) first finishes its own set-up (opens what it will read,
 * maps its heap), then calls sandbox_enter. From then on a seccomp filter
 * (libseccomp) allows reading and writing descriptors it already holds,
 * memory management without PROT_EXEC, its own signals, threads where
 * the rules ask for them, clocks and exit. Everything else (opening a
 * file, a socket, fork, exec, kill of another process, ptrace, raising a
 * limit, leaving the process group...) is refused: the process is killed
 * by SIGSYS, after its handler has said which call it was. Unless SIGSYS
 * was blocked at the time (the C library blocks every signal while it
 * starts a thread or a command): the kernel then kills with no handler,
 * and no report; SIGSYS alone still says the sandbox refused a call.
 *
 * The filter cannot be lifted: seccomp filters only ever add up, and the
 * filter itself refuses the calls that would change the SIGSYS handler.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sandbox_rules {
    bool threads;           /* the process may start threads (never processes) */
    int report_fd;          /* a refused call is written here as SANDBOX_REPORT, or -1 */
    volatile int *report;   /* ... and its number stored here (shared memory), or NULL */
} sandbox_rules_t;

/* What the SIGSYS handler writes to report_fd: the text, then the number
 * of the call and a newline. */
#define SANDBOX_REPORT "\nsandbox: forbidden system call #"

/*
 * sandbox_enter - load the filter into this process (every thread, when
 * r->threads). Returns 0, or -1 with the reason in err (n bytes); then
 * nothing is loaded, and the caller must not run the submission's code.
 * Under Valgrind, whose own work the filter would refuse, it loads nothing
 * and returns 0.
 */
int sandbox_enter(const sandbox_rules_t *r, char *err, size_t n);

/* sandbox_syscall_name - the name of system call nr on this machine
 * ("openat"), or "#nr" when it has none, or for nr < 0 (a SIGSYS without
 * a report) SANDBOX_UNKNOWN; into buf (n bytes, SANDBOX_NAME_MAX is
 * enough). */
#define SANDBOX_UNKNOWN "(unknown: SIGSYS was blocked, as the C library blocks it " \
                        "while it starts a thread or a command)"
#define SANDBOX_NAME_MAX 128
const char *sandbox_syscall_name(int nr, char *buf, size_t n);

/*
 * sandbox_parse_report - the number of the refused call in text (what a
 * process wrote to its report_fd, possibly among other output), or -1 when
 * text holds no report. Only the last report counts.
 */
int sandbox_parse_report(const char *text);

#endif
