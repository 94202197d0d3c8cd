/*
 * vmshtest.c - running vmsh for the tests (vmshtest.h). Output goes to
 * files, not pipes, so a long transcript never blocks the child, and what
 * a killed run printed can still be read. Every child dies with the test
 * process that started it.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmshtest.h"

const char *vt_program(const char *name)
{
    static char path[4200];
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(len, 0, "cannot read /proc/self/exe");
    self[len] = '\0';
    snprintf(path, sizeof path, "%s/%s", dirname(self), name);
    cr_assert_eq(access(path, X_OK), 0, "no %s program at %s", name, path);
    return path;
}

const char *vmsh_path(void)
{
    return vt_program("vmsh");
}

void vt_die_with_parent(pid_t parent)
{
    /* If parent died before the prctl, the child was reparented already
     * and would never get the signal. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
        _exit(125);
}

void vt_temp_dir(char *buf, size_t n)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, n, "%s/vmshtest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(buf), "mkdtemp failed");
}

void vt_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4200];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            vt_remove_dir(path);
    }
    closedir(d);
    rmdir(dir);
}

char *vt_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

void vt_write_file(const char *dir, const char *name, const char *text, char *path,
                   size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Waits for pid until deadline seconds from start; kills it past that.
 * Its wait status; *killed tells whether the deadline did it. */
static int wait_until(pid_t pid, double start, double deadline, bool *killed)
{
    int status;
    long nap = 1000000;     /* ns: short at first, for the quick runs */
    *killed = false;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        cr_assert_geq(r, 0, "waitpid failed");
        if (r == pid)
            return status;
        if (now() - start > deadline) {
            kill(pid, SIGKILL);
            cr_assert_eq(waitpid(pid, &status, 0), pid);
            *killed = true;
            return status;
        }
        struct timespec ts = { 0, nap };
        nanosleep(&ts, NULL);
        if (nap < 20000000)
            nap *= 2;
    }
}

struct vmsh_run vmsh_run(const char *prog, const char *const *args, const char *input,
                         const char *dir, bool merged, double deadline)
{
    char tmp[256], in[300], out[300], err[300];
    vt_temp_dir(tmp, sizeof tmp);
    snprintf(in, sizeof in, "%s/stdin", tmp);
    snprintf(out, sizeof out, "%s/stdout", tmp);
    snprintf(err, sizeof err, "%s/stderr", tmp);
    FILE *f = fopen(in, "w");
    cr_assert_not_null(f);
    if (input)
        fputs(input, f);
    fclose(f);
    const char *argv[64] = { prog };
    int n = 1;
    for (; args && args[n - 1]; n++) {
        cr_assert_lt(n, 63, "too many arguments");
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    fflush(NULL);
    pid_t parent = getpid();
    double start = now();
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork failed");
    if (pid == 0) {
        vt_die_with_parent(parent);
        int i = open(input ? in : "/dev/null", O_RDONLY);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = merged ? o : open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (i < 0 || o < 0 || e < 0 || dup2(i, 0) < 0 || dup2(o, 1) < 0 ||
            dup2(e, 2) < 0 || chdir(dir ? dir : KIT_ROOT) < 0)
            _exit(126);
        unsetenv("VMSH_HISTORY");
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    bool killed;
    int status = wait_until(pid, start, deadline, &killed);
    struct vmsh_run r = {
        .status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
        .out = vt_read_file(out),
        .err = merged ? strdup("") : vt_read_file(err),
        .timed_out = killed,
        .deadline = deadline,
    };
    cr_assert_not_null(r.out);
    cr_assert_not_null(r.err);
    vt_remove_dir(tmp);
    return r;
}

struct vmsh_run vmsh_batch(const char *const *args, const char *input,
                           const char *dir, bool merged)
{
    struct vmsh_run r = vmsh_run(vmsh_path(), args, input, dir, merged, VMSH_RUN_DEADLINE);
    if (r.timed_out) {
        char out[4096], err[4096];
        snprintf(out, sizeof out, "%s", r.out);
        snprintf(err, sizeof err, "%s", r.err);
        vmsh_run_free(&r);
        cr_assert_fail("vmsh ran more than %g s and was killed; it had printed:\n%s%s",
                       (double)VMSH_RUN_DEADLINE, out, err);
    }
    return r;
}

/* The next line of text at *p, without its newline, into buf; false at the
 * end. */
static bool next_line(const char **p, char *buf, size_t n)
{
    if (!**p)
        return false;
    size_t len = strcspn(*p, "\n");
    snprintf(buf, n, "%.*s", (int)len, *p);
    *p += len + ((*p)[len] == '\n');
    return true;
}

const char *vmsh_timeout_text(const struct vmsh_run *r, const char *script_path,
                              char *buf, size_t n)
{
    /* The script's commands, in order, each found in the transcript after
     * the one before: the last one found is the one that was running. */
    char *script = vt_read_file(script_path);
    char line[1024], cmd[1024] = "", echo[1100];
    unsigned long lineno = 0, at = 0;
    const char *s = script ? script : "", *t = r->out;
    while (next_line(&s, line, sizeof line)) {
        lineno++;
        char *c = line + strspn(line, " \t");
        size_t len = strlen(c);
        while (len > 0 && strchr(" \t\r", c[len - 1]))
            c[--len] = '\0';
        if (*c == '\0' || *c == '#')
            continue;
        snprintf(echo, sizeof echo, "vmsh> %s\n", c);
        const char *found = strstr(t, echo);
        while (found && found != r->out && found[-1] != '\n')
            found = strstr(found + 1, echo);
        if (!found)
            break;
        t = found + strlen(echo);
        snprintf(cmd, sizeof cmd, "%s", c);
        at = lineno;
    }
    free(script);
    if (at)
        snprintf(buf, n, "timed out after %g s during `%s` (line %lu)", r->deadline, cmd,
                 at);
    else
        snprintf(buf, n, "timed out after %g s before its first command", r->deadline);
    return buf;
}

void vmsh_run_free(struct vmsh_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int vt_count_lines(const char *text, const char *prefix)
{
    int n = 0;
    size_t len = strlen(prefix);
    for (const char *p = text; *p;) {
        if (!strncmp(p, prefix, len))
            n++;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}

const char *vt_line_with(const char *text, const char *needle, char *buf, size_t n)
{
    buf[0] = '\0';
    const char *at = strstr(text, needle);
    if (!at)
        return buf;
    const char *start = at;
    while (start > text && start[-1] != '\n')
        start--;
    size_t len = strcspn(start, "\n");
    snprintf(buf, n, "%.*s", (int)len, start);
    return buf;
}
