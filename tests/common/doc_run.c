/*
 * doc_run.c - running a command a doc shows (doc_run.h).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doc_run.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

#define ENV_MAX 24

/* now - seconds on the monotonic clock. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* read_until - what fd gives until its end or the deadline, malloc'd;
 * *timed_out when the deadline came first. */
static char *read_until(int fd, double deadline, bool *timed_out)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    cr_assert(buf != NULL);
    *timed_out = false;
    for (;;) {
        double left = deadline - now();
        if (left <= 0) {
            *timed_out = true;
            break;
        }
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if ((r < 0 && errno == EINTR) || r == 0)
            continue;
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert(buf != NULL);
        }
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    buf[len] = '\0';
    return buf;
}

int doc_run(const char *cmd, const char *const *env, double seconds, char **out,
            bool *timed_out)
{
    char *envp[ENV_MAX + 1];
    int ne = 0;
    for (; env[ne] && ne < ENV_MAX - 8; ne++)
        envp[ne] = strdup(env[ne]);
    envp[ne++] = strdup("LC_ALL=C.UTF-8");
    static const char *const keep[] = { "TMPDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                                        "LSAN_OPTIONS" };
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (getenv(keep[i]))
            cr_assert(asprintf(&envp[ne++], "%s=%s", keep[i], getenv(keep[i])) > 0);
    envp[ne] = NULL;

    int fd[2];
    cr_assert(pipe(fd) == 0, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        if (chdir(KIT_ROOT) != 0) {
            dprintf(2, "cannot enter %s: %s\n", KIT_ROOT, strerror(errno));
            _exit(126);
        }
        execve("/bin/sh", (char *const[]){ "sh", "-c", (char *)cmd, NULL }, envp);
        dprintf(2, "cannot run /bin/sh: %s\n", strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    close(fd[1]);
    for (int i = 0; i < ne; i++)
        free(envp[i]);
    *out = read_until(fd[0], now() + seconds, timed_out);
    close(fd[0]);
    if (*timed_out)
        kill(-pid, SIGKILL);    /* the shell and what it started (not reaped yet) */
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

const char *doc_tail(const char *out)
{
    size_t len = strlen(out), keep = 6000;
    return len > keep ? out + len - keep : out;
}

char *doc_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t cap = 0;
    if (getdelim(&text, &cap, '\0', f) < 0) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}
