/*
 * vmshtest.c - running vmsh for the tests (vmshtest.h). Output goes to
 * files, not pipes, so a long transcript never blocks the child.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmshtest.h"

const char *vmsh_path(void)
{
    static char path[4200];
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(len, 0, "cannot read /proc/self/exe");
    self[len] = '\0';
    snprintf(path, sizeof path, "%s/vmsh", dirname(self));
    cr_assert_eq(access(path, X_OK), 0, "no vmsh program at %s", path);
    return path;
}

void vt_temp_dir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/vmshtest.XXXXXX");
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
        unlink(path);
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

struct vmsh_run vmsh_batch(const char *const *args, const char *input,
                           const char *dir, bool merged)
{
    const char *prog = vmsh_path();
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
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork failed");
    if (pid == 0) {
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
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    struct vmsh_run r = {
        .status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
        .out = vt_read_file(out),
        .err = merged ? strdup("") : vt_read_file(err),
    };
    cr_assert_not_null(r.out);
    cr_assert_not_null(r.err);
    vt_remove_dir(tmp);
    return r;
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
