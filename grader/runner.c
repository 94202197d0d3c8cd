/*
 * runner.c - replays in child processes (see runner.h).
 *
 * A child reports through a page shared with the parent (MAP_SHARED): its
 * progress, written before every call into the allocator, and its result,
 * marked complete only at the very end. A child that dies leaves its
 * progress behind, which says where.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "memlib_driver.h"
#include "runner.h"
#include "sandbox.h"

/* What a child leaves for the parent. */
typedef struct shared {
    replay_progress_t progress;
    replay_result_t result;       /* checked runs */
    uint64_t hash;                /* timed runs */
    unsigned reps;                /* timed runs: repetitions done */
    int failed;                   /* timed runs: a cheap check failed */
    char message[REPLAY_MESSAGE];
    volatile int forbidden;       /* the call the sandbox refused, or -1 */
    volatile unsigned refusals;   /* mem_sbrk calls refused for want of space */
    volatile int complete;        /* set last */
} shared_t;

enum job { JOB_CHECK, JOB_CALIBRATE, JOB_TIME };

typedef struct child_outcome {
    enum run_status status;
    int signal;                   /* RUN_CRASH */
    int exit_code;                /* RUN_EXIT */
    double cpu;                   /* user + system seconds */
    double wall;                  /* seconds from fork to its end */
    bool stalled;                 /* RUN_TIMEOUT: stuck in one operation */
    size_t maxrss;                /* bytes, the most the child had resident */
} child_outcome_t;

const char *run_status_name(enum run_status s)
{
    static const char *names[] = { "ok", "invalid", "crash", "timeout", "exit", "forbidden",
                                   "oom" };
    return names[s];
}

static double cpu_seconds(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

static double self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return cpu_seconds(&ru);
}

/*
 * child_exit - end a child at once: _exit, so the parent's atexit handlers
 * do not run twice and its unflushed stdio is not written twice. A coverage
 * build writes the child's counters first, as exit would have.
 */
__attribute__((noreturn)) static void child_exit(void)
{
#ifdef KIT_COVERAGE
    extern void __gcov_dump(void);
    __gcov_dump();
#endif
    _exit(0);
}

/* address_space - bytes of address space this process has mapped now. */
static size_t address_space(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* limit_memory - the child may map what it has, the heap's reservation,
 * and cfg->memory more. Valgrind maps much of its own, so not under it. */
static void limit_memory(const run_config_t *cfg)
{
    if (!cfg->memory || RUNNING_ON_VALGRIND)
        return;
    rlim_t lim = address_space() + cfg->replay.max_heap + cfg->memory;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || lim < rl.rlim_cur)) {
        rl.rlim_cur = lim;
        setrlimit(RLIMIT_AS, &rl);
    }
}

/* child_fail - end a child that could not set up: the reason, then exit. */
__attribute__((noreturn)) static void child_fail(shared_t *sh, const char *why)
{
    snprintf(sh->message, sizeof sh->message, "%s", why);
    snprintf(sh->result.message, sizeof sh->result.message, "%s", why);
    sh->failed = 1;
    sh->complete = 1;
    child_exit();
}

/* child_main - the child's whole life: one job, then child_exit. */
static void child_main(const run_config_t *cfg, const allocator_t *a, const trace_t *t,
                       enum job job, unsigned reps, shared_t *sh, pid_t parent)
{
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);
    /* Die with the parent: a killed mdriver leaves no replay spinning. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    /* Whatever the allocator prints goes to stderr: stdout carries the
     * table, the -g lines and the JSON document, which it must not corrupt. */
    fflush(stdout);
    dup2(STDERR_FILENO, STDOUT_FILENO);
    char why[256];
    limit_memory(cfg);
    if (a->in_heap && mem_init(cfg->replay.max_heap) < 0) {
        snprintf(why, sizeof why, "cannot reserve the heap: %s", strerror(errno));
        child_fail(sh, why);
    }
    mem_count_refusals(&sh->refusals);
    /* grade's channel and its nonce are the parent's: not the allocator's
     * to find. */
    if (cfg->secret_fd > STDERR_FILENO)
        close(cfg->secret_fd);
    if (cfg->secret)
        memset(cfg->secret, 0, cfg->secret_len);
    sandbox_rules_t rules = { .report_fd = -1, .report = &sh->forbidden };
    if (cfg->sandbox && sandbox_enter(&rules, why, sizeof why) < 0)
        child_fail(sh, why);
    switch (job) {
    case JOB_CHECK:
        replay_checked(a, t, &cfg->replay, &sh->progress, &sh->result);
        break;
    case JOB_CALIBRATE: {
        /* Repeat until min_cpu is spent; each run's hash must match. */
        double start = self_cpu();
        uint64_t h;
        unsigned n = 0;
        do {
            if (replay_timed(a, t, 1, &cfg->replay, &sh->progress, &h, sh->message,
                             sizeof sh->message) < 0) {
                sh->failed = 1;
                break;
            }
            if (n > 0 && a->in_heap && h != sh->hash) {
                snprintf(sh->message, sizeof sh->message,
                         "the allocator returned different payloads in two timed runs");
                sh->failed = 1;
                break;
            }
            sh->hash = h;
            n++;
        } while (self_cpu() - start < cfg->min_cpu);
        sh->reps = n;
        break;
    }
    case JOB_TIME:
        if (replay_timed(a, t, reps, &cfg->replay, &sh->progress, &sh->hash, sh->message,
                         sizeof sh->message) < 0)
            sh->failed = 1;
        sh->reps = reps;
        break;
    }
    sh->complete = 1;
    fflush(stdout);
    child_exit();
}

/* monotonic - seconds on a clock that only moves forward. */
static double monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * wait_deadline - wait for pid at most timeout seconds (0: no limit), then
 * kill it. SIGCHLD is blocked by the caller, so its arrival is awaited with
 * sigtimedwait; a stale SIGCHLD only costs one more look. Returns the wait
 * status and fills *ru; *late when the child had to be killed.
 */
static int wait_deadline(pid_t pid, double timeout, double stall,
                         const replay_progress_t *progress, struct rusage *ru, bool *late,
                         bool *stalled)
{
    int status = 0;
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    double start = monotonic(), deadline = start + timeout, moved = start;
    uint64_t op = progress->op;
    uint32_t phase = progress->phase;
    *late = *stalled = false;
    for (;;) {
        pid_t r = wait4(pid, &status, WNOHANG, ru);
        if (r == pid)
            return status;
        double now = monotonic(), left = deadline - now;
        if (timeout > 0 && left <= 0)
            break;
        /* The child's progress, looked at every 50 ms when stalls count. */
        if (progress->op != op || progress->phase != phase) {
            op = progress->op;
            phase = progress->phase;
            moved = now;
        } else if (stall > 0 && now - moved >= stall) {
            *stalled = true;
            break;
        }
        if (stall > 0 && (timeout <= 0 || left > 0.05))
            left = 0.05;
        struct timespec ts = { (time_t)left, (long)((left - (time_t)left) * 1e9) };
        sigtimedwait(&chld, NULL, timeout > 0 || stall > 0 ? &ts : NULL);
    }
    kill(pid, SIGKILL);
    *late = true;
    while (wait4(pid, &status, 0, ru) < 0 && errno == EINTR)
        ;
    return status;
}

/* run_child - run one job in a child; the outcome says how it ended. */
static child_outcome_t run_child(const run_config_t *cfg, const allocator_t *a,
                                 const trace_t *t, enum job job, unsigned reps, shared_t *sh)
{
    child_outcome_t out = { .status = RUN_OK };
    memset(sh, 0, sizeof *sh);
    sh->forbidden = -1;
    fflush(stdout);
    fflush(stderr);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        snprintf(sh->message, sizeof sh->message, "fork failed: %s", strerror(errno));
        out.status = RUN_EXIT;
        out.exit_code = -1;
        return out;
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        child_main(cfg, a, t, job, reps, sh, parent);
    }
    struct rusage ru;
    bool late;
    double started = monotonic();
    bool stalled;
    int status = wait_deadline(pid, cfg->timeout, cfg->stall, &sh->progress, &ru, &late,
                               &stalled);
    out.stalled = stalled;
    out.wall = monotonic() - started;
    sigprocmask(SIG_SETMASK, &old, NULL);
    out.cpu = cpu_seconds(&ru);
    out.maxrss = (size_t)ru.ru_maxrss * 1024;
    if (late)
        out.status = RUN_TIMEOUT;
    else if (WIFSIGNALED(status)) {
        out.status = RUN_CRASH;
        out.signal = WTERMSIG(status);
    } else if (!sh->complete) {
        out.status = RUN_EXIT;
        out.exit_code = WEXITSTATUS(status);
    }
    /* SIGSYS comes from the sandbox; its handler names the call, unless the
     * allocator blocked the signal, which then kills without a word. */
    if (out.status == RUN_CRASH && out.signal == SIGSYS)
        out.status = RUN_FORBIDDEN;
    return out;
}

/* out_of_memory - whether a failed child had run out of memory: its heap
 * reached the maximum, or it held, besides its heap, half the memory it
 * may add. */
static bool out_of_memory(const run_config_t *cfg, const child_outcome_t *out,
                          const shared_t *sh)
{
    size_t heap = sh->progress.heap;
    size_t outside = out->maxrss > heap ? out->maxrss - heap : 0;
    return sh->refusals > 0 || (cfg->memory && outside >= cfg->memory / 2);
}

/* where_child_was - "during line 12 (f 3)" from a dead child's progress. */
static void where_child_was(const shared_t *sh, const trace_t *t, char *buf, size_t n)
{
    char optext[64];
    switch (sh->progress.phase) {
    case PHASE_START:
        snprintf(buf, n, "before the replay started");
        break;
    case PHASE_INIT:
        snprintf(buf, n, "during mm_init");
        break;
    case PHASE_OPS: {
        const trace_op_t *op = &t->ops[sh->progress.op < t->num_ops ? sh->progress.op : 0];
        snprintf(buf, n, "during line %u (%s)", op->line, trace_op_text(op, optext, sizeof optext));
        break;
    }
    case PHASE_END:
        snprintf(buf, n, "while the payloads were checked at the end");
        break;
    default:
        snprintf(buf, n, "after the replay");
    }
}

static const char *who_name[WHO_COUNT] = { "the", "the reference", "the C library's" };

/* judge - turn an abnormal outcome into rep's status and message; false
 * when the outcome was abnormal. */
static bool judge(const run_config_t *cfg, const child_outcome_t *out, const shared_t *sh,
                  const trace_t *t, const char *who, trace_report_t *rep)
{
    char at[128];
    if (out->status == RUN_OK)
        return true;
    where_child_was(sh, t, at, sizeof at);
    rep->status = out->status;
    if (out->status != RUN_FORBIDDEN && out_of_memory(cfg, out, sh))
        rep->status = RUN_OOM;
    char name[SANDBOX_NAME_MAX];
    switch (rep->status) {
    case RUN_FORBIDDEN:
        rep->syscall = sh->forbidden;
        sandbox_syscall_name(sh->forbidden, name, sizeof name);
        snprintf(rep->message, sizeof rep->message,
                 "%s allocator made the system call %s, which the sandbox refuses, %s", who,
                 name, at);
        break;
    case RUN_OOM:
        snprintf(rep->message, sizeof rep->message,
                 "%s allocator ran out of memory %s (%s; the process held %zu MiB at most)",
                 who, at,
                 sh->refusals ? "the heap reached its maximum" : "memory outside the heap",
                 out->maxrss >> 20);
        break;
    case RUN_CRASH:
        snprintf(rep->message, sizeof rep->message, "%s allocator was killed by SIG%s (%s) %s",
                 who, sigabbrev_np(out->signal) ? sigabbrev_np(out->signal) : "?",
                 strsignal(out->signal), at);
        break;
    case RUN_TIMEOUT:
        if (out->stalled)
            snprintf(rep->message, sizeof rep->message,
                     "%s allocator was stuck in one operation for %g s, %s", who, cfg->stall, at);
        else
            snprintf(rep->message, sizeof rep->message,
                     "%s allocator was still running after %g s, %s", who, cfg->timeout, at);
        break;
    default:
        snprintf(rep->message, sizeof rep->message, "%s allocator ended the process (exit %d) %s%s%s",
                 who, out->exit_code, at, sh->message[0] ? ": " : "", sh->message);
        break;
    }
    return false;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* median - the median of the first n samples (n <= 32), left in order. */
static double median(const double *samples, unsigned n)
{
    double v[32];
    memcpy(v, samples, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* timed_ok - whether a timing child of allocator w ended well and, for the
 * student's, returned the payloads of the checked run; if not, says why. */
static bool timed_ok(const run_config_t *cfg, const child_outcome_t *out, const shared_t *sh,
                     const trace_t *t, int w, trace_report_t *rep)
{
    if (!judge(cfg, out, sh, t, who_name[w], rep))
        return false;
    if (!sh->failed && (w != WHO_STUDENT || sh->hash == rep->checked.hash))
        return true;
    rep->status = RUN_INVALID;
    snprintf(rep->message, sizeof rep->message, "timed run of %s allocator: %s", who_name[w],
             sh->failed ? sh->message : "it returned other payloads than in the checked run");
    return false;
}

/* time_all - calibrate and time every allocator of cfg on t. */
static void time_all(const run_config_t *cfg, const trace_t *t, shared_t *sh,
                     trace_report_t *rep)
{
    enum { MAX_ROUNDS = 32 };
    double samples[WHO_COUNT][MAX_ROUNDS];
    unsigned rounds = cfg->rounds < 1 ? 1 : cfg->rounds > MAX_ROUNDS ? MAX_ROUNDS : cfg->rounds;
    for (int w = 0; w < WHO_COUNT; w++) {
        const allocator_t *a = cfg->who[w];
        if (!a)
            continue;
        child_outcome_t out = run_child(cfg, a, t, JOB_CALIBRATE, 0, sh);
        if (!timed_ok(cfg, &out, sh, t, w, rep))
            return;
        rep->reps[w] = sh->reps;
        /* The calibration is a round like the others: a fresh process
         * replaying the trace reps times. */
        samples[w][0] = out.cpu / sh->reps;
    }
    /* Rounds until every allocator's median moved by less than STABLE in
     * the last one (at least MIN_ROUNDS), or the policy's rounds are done. */
    enum { MIN_ROUNDS = 3 };
    const double STABLE = 0.02;
    double last[WHO_COUNT] = { 0 };
    for (int w = 0; w < WHO_COUNT; w++)
        if (cfg->who[w])
            last[w] = rep->secs[w] = samples[w][0];
    rep->rounds = 1;
    for (unsigned r = 1; r < rounds; r++) {
        bool stable = r + 1 >= MIN_ROUNDS;
        for (int w = 0; w < WHO_COUNT; w++) {
            const allocator_t *a = cfg->who[w];
            if (!a)
                continue;
            child_outcome_t out = run_child(cfg, a, t, JOB_TIME, rep->reps[w], sh);
            if (!timed_ok(cfg, &out, sh, t, w, rep))
                return;
            samples[w][r] = out.cpu / rep->reps[w];
            rep->secs[w] = median(samples[w], r + 1);
            stable &= fabs(rep->secs[w] - last[w]) <= STABLE * rep->secs[w];
            last[w] = rep->secs[w];
        }
        rep->rounds = r + 1;
        if (stable)
            break;
    }
}

/* run_here - the checked replay in this process (--no-fork): a debugger
 * sees the allocator's crash where it happens, and no deadline kills a
 * replay stopped at a breakpoint. */
static void run_here(const run_config_t *cfg, const trace_t *t, trace_report_t *rep)
{
    const allocator_t *a = cfg->who[WHO_STUDENT];
    if (a->in_heap && mem_init(cfg->replay.max_heap) < 0) {
        rep->status = RUN_EXIT;
        snprintf(rep->message, sizeof rep->message, "cannot reserve the heap: %s", strerror(errno));
        return;
    }
    replay_checked(a, t, &cfg->replay, NULL, &rep->checked);
    if (!rep->checked.valid) {
        rep->status = RUN_INVALID;
        snprintf(rep->message, sizeof rep->message, "%s", rep->checked.message);
    }
}

void run_trace(const run_config_t *cfg, const trace_t *t, trace_report_t *rep)
{
    memset(rep, 0, sizeof *rep);
    if (cfg->in_process) {
        run_here(cfg, t, rep);
        return;
    }
    shared_t *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        rep->status = RUN_EXIT;
        snprintf(rep->message, sizeof rep->message, "cannot map shared memory: %s", strerror(errno));
        return;
    }
    child_outcome_t out = run_child(cfg, cfg->who[WHO_STUDENT], t, JOB_CHECK, 0, sh);
    rep->check_wall = out.wall;
    if (judge(cfg, &out, sh, t, who_name[WHO_STUDENT], rep)) {
        rep->checked = sh->result;
        if (!sh->result.valid) {
            /* A heap at its maximum explains a failure (malloc's NULL, say). */
            rep->status = sh->refusals ? RUN_OOM : RUN_INVALID;
            snprintf(rep->message, sizeof rep->message, "%s%s",
                     sh->refusals ? "out of memory (the heap reached its maximum): " : "",
                     sh->result.message);
        } else if (cfg->timing) {
            time_all(cfg, t, sh, rep);
        }
    }
    munmap(sh, sizeof *sh);
}
