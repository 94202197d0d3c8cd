/*
 * testhook.c - what grade links into a public Criterion test program
 * (test_malloc, test_vm) to run it on a submission.
 *
 * Criterion runs every test in a worker process that it starts from its
 * runner. The student's code runs only in workers; the runner is the
 * kit's. So:
 *
 * - in the runner, before the first worker starts (PRE_ALL), grade's
 *   channel (channel.h) is taken out of the environment, and a pipe is
 *   made for the workers to report on;
 * - in each worker, the test's set-up is wrapped (the program is linked
 *   with --wrap=criterion_internal_test_setup and ..._teardown): the
 *   sandbox (sandbox.h) goes on before the suite's .init, and after the
 *   test's body and .fini the worker reports that it finished;
 * - in the runner, a record when a test starts (PRE_INIT) and one with its
 *   verdict when it ends (POST_FINI, or TEST_CRASH, or the next PRE_INIT
 *   when its worker died in set-up): ok, wrong (the failed assertions'
 *   messages), crash (the signal), forbidden (the system call), timeout,
 *   or exit (the worker ended before the test did, which Criterion alone
 *   counts as a pass). At the end (POST_ALL), a record says the run is
 *   complete.
 *
 * grade runs the program with --jobs 1, so a worker's reports belong to
 * the test that just ended.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/stats.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "channel.h"
#include "sandbox.h"

#define WORKER_PIPE_ENV "GRADE_WORKER_PIPE"
#define WORKER_TOKEN_ENV "GRADE_WORKER_TOKEN"
#define FINISHED "\ntesthook: finished "

/* The runner's random token, which a worker's "finished" carries: a test's
 * code cannot say it finished without it (it is gone from the environment
 * before the test's code runs). */
static char token[33];

static channel_t channel = { .fd = -1 };
static int reports = -1;        /* the runner's read end of the workers' pipe */

/* --- in the worker ------------------------------------------------------ */

/* worker_fd - the runner's pipe, opened through /proc: the worker does
 * not inherit it (the runner's workers get their own descriptors only). */
static int worker_fd(void)
{
    static int fd = -2;
    if (fd == -2) {
        const char *path = getenv(WORKER_PIPE_ENV);
        fd = path ? open(path, O_WRONLY | O_CLOEXEC) : -1;
    }
    return fd;
}

void __real_criterion_internal_test_setup(void);
void __real_criterion_internal_test_teardown(void);

void __wrap_criterion_internal_test_setup(void)
{
    char err[256];
    char *t = getenv(WORKER_TOKEN_ENV);
    if (t) {
        snprintf(token, sizeof token, "%s", t);
        memset(t, 'x', strlen(t));
        unsetenv(WORKER_TOKEN_ENV);
    }
    sandbox_rules_t rules = { .threads = true, .report_fd = worker_fd() };
    if (sandbox_enter(&rules, err, sizeof err) < 0) {
        fprintf(stderr, "testhook: %s\n", err);
        _exit(121);
    }
    __real_criterion_internal_test_setup();
}

/* The test's body returned: say so before the tear-down, which the
 * runner hears of (POST_FINI) after this is in the pipe. */
void __wrap_criterion_internal_test_teardown(void)
{
    int fd = worker_fd();
    char said[sizeof FINISHED + sizeof token + 1];
    int n = snprintf(said, sizeof said, FINISHED "%s\n", token);
    if (fd >= 0 && write(fd, said, (size_t)n) < 0)
        _exit(122);
    __real_criterion_internal_test_teardown();
}

/* --- in the runner ------------------------------------------------------ */

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    (void)set;
    channel_from_env(&channel);
    int p[2];
    if (pipe(p) == 0) {
        /* The read end stays here; every worker opens the write end. */
        fcntl(p[0], F_SETFD, FD_CLOEXEC);
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        reports = p[0];
        char v[64];
        snprintf(v, sizeof v, "/proc/%d/fd/%d", (int)getpid(), p[1]);
        setenv(WORKER_PIPE_ENV, v, 1);
    }
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) == (ssize_t)sizeof raw) {
        for (size_t i = 0; i < sizeof raw; i++)
            snprintf(token + 2 * i, 3, "%02x", raw[i]);
        setenv(WORKER_TOKEN_ENV, token, 1);
    }
}

/* drain - what the workers reported since the last call, into buf. */
static void drain(char *buf, size_t n)
{
    size_t len = 0;
    ssize_t r;
    while (reports >= 0 && len + 1 < n && (r = read(reports, buf + len, n - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    /* Whatever did not fit is stale for the next test: drop it. */
    char sink[512];
    while (reports >= 0 && read(reports, sink, sizeof sink) > 0)
        ;
}

static void send_record(cJSON *rec)
{
    char *text = cJSON_PrintUnformatted(rec);
    if (text && channel.fd >= 0)
        channel_send(&channel, text, strlen(text));
    cJSON_free(text);
    cJSON_Delete(rec);
}

/* The test whose verdict is not sent yet (PRE_INIT to POST_FINI). */
static char pending[512];

static void send_verdict(const char *name, const char *status, const char *message,
                         const char *syscall, int signal)
{
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "test", name);
    cJSON_AddStringToObject(rec, "status", status);
    if (message && *message)
        cJSON_AddStringToObject(rec, "message", message);
    if (syscall)
        cJSON_AddStringToObject(rec, "syscall", syscall);
    if (signal)
        cJSON_AddNumberToObject(rec, "signal", signal);
    send_record(rec);
    pending[0] = '\0';
}

/* crashed - the verdict of a worker that died: a refused call, or a signal. */
static void crashed(const char *name, int signal, const char *said, const char *when)
{
    char text[512], call[SANDBOX_NAME_MAX];
    int nr = sandbox_parse_report(said);
    if (nr >= 0 || signal == SIGSYS) {
        /* SIGSYS comes from the sandbox; blocked, it kills without a report. */
        sandbox_syscall_name(nr, call, sizeof call);
        snprintf(text, sizeof text, "made the system call %s%s, which the sandbox refuses", call,
                 when);
        send_verdict(name, "forbidden", text, call, SIGSYS);
    } else if (signal) {
        snprintf(text, sizeof text, "killed by SIG%s (%s)%s",
                 sigabbrev_np(signal) ? sigabbrev_np(signal) : "?", strsignal(signal), when);
        send_verdict(name, "crash", text, NULL, signal);
    } else {
        snprintf(text, sizeof text, "its process died%s", when);
        send_verdict(name, "crash", text, NULL, 0);
    }
}

/* flush_pending - a test that started and never reached its end: its
 * worker died in the suite's or the test's set-up or tear-down. */
static void flush_pending(void)
{
    if (!pending[0])
        return;
    char said[4096];
    drain(said, sizeof said);
    crashed(pending, 0, said, " during its set-up or tear-down");
}

static void test_name(const struct criterion_test *t, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", t->category, t->name);
}

ReportHook(PRE_INIT)(struct criterion_test *test)
{
    flush_pending();
    char said[4096];
    drain(said, sizeof said);
    test_name(test, pending, sizeof pending);
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "start", pending);
    send_record(rec);
}

ReportHook(TEST_CRASH)(struct criterion_test_stats *st)
{
    char said[4096], name[512];
    drain(said, sizeof said);
    test_name(st->test, name, sizeof name);
    crashed(name, st->signal, said, "");
}

/* finished_said - whether the worker said it finished, with the token. */
static bool finished_said(const char *said)
{
    char want[sizeof FINISHED + sizeof token + 1];
    snprintf(want, sizeof want, FINISHED "%s\n", token);
    return token[0] && strstr(said, want) != NULL;
}

ReportHook(POST_FINI)(struct criterion_test_stats *st)
{
    char said[4096], name[512], text[2048] = "";
    drain(said, sizeof said);
    test_name(st->test, name, sizeof name);
    const struct criterion_test_extra_data *data = st->test->data;
    bool expects_end = !data || (data->signal == 0 && data->exit_code == 0);
    if (st->test_status == CR_STATUS_SKIPPED) {
        send_verdict(name, "skipped", NULL, NULL, 0);
    } else if (st->timed_out) {
        snprintf(text, sizeof text, "timed out after %.1f s", st->elapsed_time);
        send_verdict(name, "timeout", text, NULL, 0);
    } else if (sandbox_parse_report(said) >= 0) {
        crashed(name, SIGSYS, said, "");
    } else if (st->test_status == CR_STATUS_PASSED && expects_end &&
               !finished_said(said)) {
        snprintf(text, sizeof text, "the test's process ended (exit %d) before the test did",
                 st->exit_code);
        send_verdict(name, "exit", text, NULL, 0);
    } else if (st->test_status == CR_STATUS_PASSED) {
        send_verdict(name, "ok", NULL, NULL, 0);
    } else {
        size_t len = 0;
        for (struct criterion_assert_stats *a = st->asserts; a && len + 1 < sizeof text;
             a = a->next) {
            if (a->passed)
                continue;
            /* A message that names its own place (unimplemented()'s) keeps it. */
            char where[300];
            snprintf(where, sizeof where, "%s:%u: ", a->file ? a->file : "?", a->line);
            const char *msg = a->message ? a->message : "";
            int w = snprintf(text + len, sizeof text - len, "%s%s%s", len ? "\n" : "",
                             strncmp(msg, where, strlen(where)) ? where : "", msg);
            if (w < 0)
                break;
            len += (size_t)w < sizeof text - len ? (size_t)w : sizeof text - len - 1;
        }
        if (!len && st->crashed && st->signal)
            snprintf(text, sizeof text, "killed by SIG%s (%s)",
                     sigabbrev_np(st->signal) ? sigabbrev_np(st->signal) : "?",
                     strsignal(st->signal));
        else if (!len && st->exit_code)
            snprintf(text, sizeof text, "the test's process exited with status %d",
                     st->exit_code);
        else if (!len && data && data->signal)
            snprintf(text, sizeof text, "expected SIG%s, which did not come",
                     sigabbrev_np(data->signal) ? sigabbrev_np(data->signal) : "?");
        send_verdict(name, "wrong", text, NULL, 0);
    }
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    flush_pending();
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddNumberToObject(rec, "end", (double)stats->nb_tests);
    send_record(rec);
}
