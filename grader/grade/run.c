/*
 * run.c - a confined process and what came out of it (see run.h).
 *
 * The parent waits on the process's pidfd, its output, its channel and,
 * when there is input, on stdin's pipe, all in one poll: a process that
 * floods its output or never reads its input cannot stall grade, and the
 * deadline is checked every time poll returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "run.h"

#define CHANNEL_FD 3
#define CHANNEL_MAX ((size_t)64 << 20)

bool run_as_nobody(void)
{
    return geteuid() == 0;
}

/* The user nobody, looked up once, by the parent (getpwnam after fork,
 * in a child of a process that may have threads, is not safe). */
static uid_t nobody_uid = 65534;
static gid_t nobody_gid = 65534;

static void find_nobody(void)
{
    static bool found;
    if (found)
        return;
    struct passwd *pw = getpwnam("nobody");
    if (pw) {
        nobody_uid = pw->pw_uid;
        nobody_gid = pw->pw_gid;
    }
    found = true;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_limit(int resource, rlim_t v)
{
    struct rlimit rl = { v, v };
    setrlimit(resource, &rl);
}

/* child - never returns: becomes the confined program, or reports on
 * status_fd why it could not. */
__attribute__((noreturn)) static void child(const run_request_t *rq, int in_fd, int out_fd,
                                            int chan_fd, int status_fd, const char *nonce)
{
    const char *step = "setpgid";
    if (setpgid(0, 0) < 0)
        goto fail;
    /* Descriptors: 0 input, 1 and 2 the capture, 3 the channel, nothing
     * else. Each is first moved out of the way, so no dup2 below can
     * overwrite one still to be moved. */
    step = "dup2";
    int high[4] = { in_fd, out_fd, chan_fd, status_fd };
    for (int i = 0; i < 4; i++)
        if ((high[i] = fcntl(high[i], F_DUPFD_CLOEXEC, 100)) < 0)
            goto fail;
    status_fd = high[3];
    if (dup2(high[0], 0) < 0 || dup2(high[1], 1) < 0 || dup2(high[1], 2) < 0 ||
        dup2(high[2], CHANNEL_FD) < 0 || dup2(high[3], CHANNEL_FD + 1) < 0)
        goto fail;
    status_fd = CHANNEL_FD + 1;
    fcntl(status_fd, F_SETFD, FD_CLOEXEC);
    if (syscall(SYS_close_range, CHANNEL_FD + 2, ~0U, 0) < 0)
        for (int fd = CHANNEL_FD + 2; fd < 1024; fd++)   /* kernels before 5.9 */
            close(fd);
    step = "chdir";
    if (chdir(rq->cwd) < 0)
        goto fail;
    if (run_as_nobody() && !rq->as_self) {
        step = "setuid nobody";
        if (setgroups(0, NULL) < 0 || setgid(nobody_gid) < 0 || setuid(nobody_uid) < 0)
            goto fail;
        if (rq->lim.processes)
            set_limit(RLIMIT_NPROC, rq->lim.processes);
    }
    /* After setuid, which clears it: die with grade (and at once if grade
     * died already). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1)
        _exit(127);
    set_limit(RLIMIT_CORE, 0);
    if (rq->lim.cpu > 0) {
        /* SIGXCPU at the soft limit, SIGKILL a second later. */
        struct rlimit rl = { (rlim_t)(rq->lim.cpu + 1), (rlim_t)(rq->lim.cpu + 2) };
        setrlimit(RLIMIT_CPU, &rl);
    }
    if (rq->lim.memory)
        set_limit(RLIMIT_AS, rq->lim.memory);
    if (rq->lim.file_size)
        set_limit(RLIMIT_FSIZE, rq->lim.file_size);
    if (rq->lim.files)
        set_limit(RLIMIT_NOFILE, rq->lim.files);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    char home[4200], fd_var[64], nonce_var[96];
    snprintf(home, sizeof home, "HOME=%s", rq->cwd);
    snprintf(fd_var, sizeof fd_var, CHANNEL_FD_ENV "=%d", CHANNEL_FD);
    snprintf(nonce_var, sizeof nonce_var, CHANNEL_NONCE_ENV "=%s", nonce);
    char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", home, fd_var, nonce_var, NULL };
    step = "exec";
#ifdef KIT_COVERAGE
    /* A coverage build's counters of this child, before exec drops them;
     * as nobody they could not be written (the build is root's). */
    if (!run_as_nobody() || rq->as_self) {
        extern void __gcov_dump(void);
        __gcov_dump();
    }
#endif
    /* A bare name (a tool: gcc, nm) is looked for on grade's PATH. */
    execvpe(rq->argv[0], (char *const *)rq->argv, env);
fail:;
    char msg[256];
    int len = snprintf(msg, sizeof msg, "%s: %s%s", step, strerror(errno),
                       errno == EACCES && run_as_nobody()
                           ? " (as the user nobody: the work folder must be readable by all)"
                           : "");
    if (write(status_fd, msg, (size_t)len) < 0)
        _exit(127);
    _exit(127);
}

static void append(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n + 1)
            c *= 2;
        char *b = realloc(*buf, c);
        if (!b)
            abort();
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* parse_channel - the records of raw into res's payload. */
static void parse_channel(const channel_t *ch, const char *raw, size_t len, run_result_t *res)
{
    size_t pos = 0, cap = 0;
    const char *p;
    size_t n;
    int r;
    while ((r = channel_next(ch, raw, len, &pos, &p, &n)) == 1) {
        append(&res->payload, &res->payload_len, &cap, p, n);
        res->records++;
    }
    if (r == -1)
        res->forged = true;
    else if (r == -2)
        res->cut = true;
    if (!res->payload)
        append(&res->payload, &res->payload_len, &cap, "", 0);
}

void run_confined(const run_request_t *rq, run_result_t *res)
{
    memset(res, 0, sizeof *res);
    res->how = RAN_FAILED;
    channel_t ch = { .fd = -1 };
    int chan_w = -1, out[2] = { -1, -1 }, in[2] = { -1, -1 }, status[2] = { -1, -1 };
    if (channel_open(&ch, &chan_w) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
        pipe2(status, O_CLOEXEC) < 0) {
        snprintf(res->error, sizeof res->error, "pipe: %s", strerror(errno));
        goto done;
    }
    if (rq->input) {
        if (pipe2(in, O_CLOEXEC) < 0) {
            snprintf(res->error, sizeof res->error, "pipe: %s", strerror(errno));
            goto done;
        }
    } else if ((in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(res->error, sizeof res->error, "/dev/null: %s", strerror(errno));
        goto done;
    }
    find_nobody();
    /* Children an earlier run left to grade (the subreaper): gone now. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(res->error, sizeof res->error, "fork: %s", strerror(errno));
        goto done;
    }
    if (pid == 0)
        child(rq, in[0], out[1], chan_w, status[1], ch.nonce);
    setpgid(pid, pid);   /* also done by the child: whoever is first */
    close(out[1]);
    close(chan_w);
    close(status[1]);
    close(in[0]);
    out[1] = chan_w = status[1] = in[0] = -1;
    /* The pidfd wakes poll when the process ends. Valgrind knows no
     * pidfd_open (and says so in its log): there, and on kernels before
     * 5.3, poll wakes every 50 ms to look. */
    int pidfd = RUNNING_ON_VALGRIND ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);
    if (in[1] >= 0)
        fcntl(in[1], F_SETFL, O_NONBLOCK);

    char *raw = NULL, *started = NULL;
    size_t raw_len = 0, raw_cap = 0, out_cap = 0, fed = 0, started_len = 0, started_cap = 0;
    size_t seen = 0;   /* bytes of output, kept or not */
    bool exited = false, out_open = true, chan_open = true, stat_open = true;
    int wstatus = 0;
    struct rusage ru = { 0 };
    enum { POLL_PID, POLL_OUT, POLL_CHAN, POLL_STAT, POLL_IN, POLL_N };
    while (!exited || out_open || chan_open) {
        double left = rq->lim.wall - (now() - start);
        if (left <= 0 && !exited && res->how != RAN_OUTPUT && res->how != RAN_TIMEOUT) {
            res->how = RAN_TIMEOUT;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        if (exited && (res->how == RAN_TIMEOUT || res->how == RAN_OUTPUT || left < -5))
            break;   /* something of the group may still hold a pipe: stop waiting */
        struct pollfd fds[POLL_N] = {
            [POLL_PID] = { exited ? -1 : pidfd, POLLIN, 0 },
            [POLL_OUT] = { out_open ? out[0] : -1, POLLIN, 0 },
            [POLL_CHAN] = { chan_open ? ch.fd : -1, POLLIN, 0 },
            [POLL_STAT] = { stat_open ? status[0] : -1, POLLIN, 0 },
            [POLL_IN] = { in[1], POLLOUT, 0 },
        };
        int ms = left > 0 ? (int)(left * 1000) + 1 : 200;
        if (pidfd < 0 && !exited && ms > 50)
            ms = 50;
        if (poll(fds, POLL_N, ms) < 0 && errno != EINTR)
            break;
        char buf[65536];
        ssize_t r;
        if (fds[POLL_OUT].revents) {
            r = read(out[0], buf, sizeof buf);
            if (r <= 0) {
                out_open = false;
            } else {
                seen += (size_t)r;
                if (res->output_len < rq->lim.output) {
                    size_t keep = rq->lim.output - res->output_len;
                    append(&res->output, &res->output_len, &out_cap, buf,
                           (size_t)r < keep ? (size_t)r : keep);
                }
                if (seen > rq->lim.output && res->how != RAN_TIMEOUT &&
                    res->how != RAN_OUTPUT && !exited) {
                    res->how = RAN_OUTPUT;
                    kill(-pid, SIGKILL);
                    kill(pid, SIGKILL);
                }
            }
        }
        if (fds[POLL_CHAN].revents) {
            r = read(ch.fd, buf, sizeof buf);
            if (r <= 0)
                chan_open = false;
            else if (raw_len + (size_t)r <= CHANNEL_MAX)
                append(&raw, &raw_len, &raw_cap, buf, (size_t)r);
            else
                res->forged = true;
        }
        if (fds[POLL_STAT].revents) {
            r = read(status[0], buf, sizeof buf);
            if (r <= 0)
                stat_open = false;
            else
                append(&started, &started_len, &started_cap, buf, (size_t)r);
        }
        if (in[1] >= 0 && fds[POLL_IN].revents) {
            if (fds[POLL_IN].revents & (POLLERR | POLLHUP)) {
                close(in[1]);
                in[1] = -1;
            } else {
                /* SIGPIPE is ignored (main.c): a reader gone is EPIPE here. */
                r = write(in[1], rq->input + fed, rq->input_len - fed);
                if (r > 0)
                    fed += (size_t)r;
                if ((r < 0 && errno != EAGAIN) || fed == rq->input_len) {
                    close(in[1]);
                    in[1] = -1;
                }
            }
        }
        if (!exited && (fds[POLL_PID].revents || pidfd < 0)) {
            /* Ended? Look without reaping it: while the leader is a zombie
             * its group's id cannot go to another process, so the kill of
             * the group below reaches only what the run left. */
            siginfo_t si = { 0 };
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid) {
                exited = true;
                kill(-pid, SIGKILL);
                while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR)
                    ;
            }
        }
    }
    if (!exited) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR)
            ;
    }
    /* What the run left in its group came back to grade (the subreaper):
     * reap it, so no zombie counts against the next run's process limit. */
    for (double until = now() + 2; now() < until;) {
        pid_t w = waitpid(-pid, NULL, WNOHANG);
        if (w < 0 && errno == ECHILD)
            break;
        if (w <= 0)
            usleep(2000);
    }
    res->wall = now() - start;
    res->cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    res->maxrss = (size_t)ru.ru_maxrss * 1024;
    if (started_len) {
        snprintf(res->error, sizeof res->error, "cannot start %s: %.*s", rq->argv[0],
                 (int)started_len, started);
        res->how = RAN_FAILED;
    } else if (res->how != RAN_TIMEOUT && res->how != RAN_OUTPUT) {
        if (WIFSIGNALED(wstatus)) {
            res->how = RAN_SIGNALED;
            res->code = WTERMSIG(wstatus);
        } else {
            res->how = RAN_EXITED;
            res->code = WEXITSTATUS(wstatus);
        }
    }
    if (!res->output) {
        size_t cap = 0;
        append(&res->output, &res->output_len, &cap, "", 0);
    }
    parse_channel(&ch, raw ? raw : "", raw_len, res);
    free(raw);
    free(started);
    if (pidfd >= 0)
        close(pidfd);
done:
    if (in[1] >= 0)
        close(in[1]);
    if (in[0] >= 0)
        close(in[0]);
    if (out[0] >= 0)
        close(out[0]);
    if (out[1] >= 0)
        close(out[1]);
    if (status[0] >= 0)
        close(status[0]);
    if (status[1] >= 0)
        close(status[1]);
    if (chan_w >= 0)
        close(chan_w);
    if (ch.fd >= 0)
        close(ch.fd);
}

void run_result_free(run_result_t *res)
{
    free(res->output);
    free(res->payload);
    memset(res, 0, sizeof *res);
}

const char *run_describe(const run_result_t *r, const limits_t *lim, char *buf, size_t n)
{
    switch (r->how) {
    case RAN_EXITED:
        snprintf(buf, n, "exit %d", r->code);
        break;
    case RAN_SIGNALED:
        snprintf(buf, n, "killed by SIG%s (%s)",
                 sigabbrev_np(r->code) ? sigabbrev_np(r->code) : "?", strsignal(r->code));
        break;
    case RAN_TIMEOUT:
        snprintf(buf, n, "still running after %g s: killed", lim->wall);
        break;
    case RAN_OUTPUT:
        snprintf(buf, n, "printed more than %zu KiB: killed", lim->output >> 10);
        break;
    default:
        snprintf(buf, n, "%s", r->error);
    }
    return buf;
}
