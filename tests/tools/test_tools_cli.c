/*
 * test_tools_cli.c - tracegen, mtrace and mtrace-rep as a user runs them:
 * the built programs beside this test binary, their usage, their exit
 * status (0 done, 1 failed, 2 bad command line) and their messages.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timeouts.h"

TestSuite(tracegen_cli, .timeout = TIMEOUT(20));
TestSuite(mtrace_cli, .timeout = TIMEOUT(20));

typedef struct run {
    int status;         /* exit status, or 128 + signal */
    char *out, *err;    /* what it printed (malloc'd) */
} run_t;

static char dir[] = "/tmp/tools-cli-XXXXXX";

static void setup(void)
{
    cr_assert(ne(ptr, mkdtemp(dir), NULL), "mkdtemp failed");
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect(eq(int, system(cmd), 0), "cannot remove %s", dir);
}

/* path_in - dir/name into a rotating static buffer. */
static const char *path_in(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

/* program - the program name beside this test binary. */
static const char *program(const char *name)
{
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    char self[400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(gt(sz, (size_t)(n + 1), 1), "cannot read /proc/self/exe");
    self[n] = '\0';
    snprintf(p, sizeof paths[0], "%s/%s", dirname(self), name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(ne(ptr, f, NULL), "cannot open %s", path);
    char *text = NULL;
    size_t n = 0;
    cr_assert(ge(sz, (size_t)getdelim(&text, &n, '\0', f) + 1, 0));
    fclose(f);
    return text ? text : strdup("");
}

/* run - argv[0] found beside this binary, run with argv, output captured. */
static run_t run(const char *const *argv)
{
    const char *out = path_in("stdout"), *err = path_in("stderr");
    const char *prog = program(argv[0]);
    pid_t pid = fork();
    cr_assert(ge(int, pid, 0), "fork failed");
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(126);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    int status;
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    run_t r = { WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out),
                slurp(err) };
    return r;
}

static void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL), "cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

/* --- tracegen ------------------------------------------------------------ */

Test(tracegen_cli, help_lists_the_patterns, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "tracegen", "-h", NULL });
    cr_expect(eq(int, r.status, 0));
    cr_expect(ne(ptr, strstr(r.out, "Patterns"), NULL), "stdout:\n%s", r.out);
    cr_expect(ne(ptr, strstr(r.out, "binary"), NULL), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(tracegen_cli, list_describes_every_parameter, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "tracegen", "--list", NULL });
    cr_expect(eq(int, r.status, 0));
    cr_expect(ne(ptr, strstr(r.out, "--alpha"), NULL), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(tracegen_cli, unknown_pattern_exits_2, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "tracegen", "zigzag", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "zigzag"), NULL), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(tracegen_cli, output_file_holds_the_trace_stdout_would, .init = setup, .fini = teardown)
{
    const char *file = path_in("random.rep");
    run_t a = run((const char *[]){ "tracegen", "random", "-s", "3", "-n", "200", "-o", file, NULL });
    cr_expect(eq(int, a.status, 0), "stderr:\n%s", a.err);
    char *written = slurp(file);
    run_t b = run((const char *[]){ "tracegen", "random", "-s", "3", "-n", "200", NULL });
    cr_expect(eq(str, written, b.out));
    free(written);
    run_free(&a);
    run_free(&b);
}

Test(tracegen_cli, unwritable_output_exits_1, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "tracegen", "tiny", "-o", "/nonexistent/dir/t.rep", NULL });
    cr_expect(eq(int, r.status, 1));
    cr_expect(ne(ptr, strstr(r.err, "/nonexistent/dir/t.rep"), NULL), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(tracegen_cli, check_accepts_a_classic_trace, .init = setup, .fini = teardown)
{
    const char *file = path_in("good.rep");
    write_text(file, "300\n2\n4\n1\na 0 100\na 1 200\nf 0\nf 1\n");
    run_t r = run((const char *[]){ "tracegen", "--check", file, NULL });
    cr_expect(eq(int, r.status, 0), "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_expect(ne(ptr, strstr(r.out, "ok: 4 ops"), NULL), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(tracegen_cli, check_names_the_line_of_a_bad_op_and_goes_on, .init = setup, .fini = teardown)
{
    const char *bad = path_in("bad.rep"), *good = path_in("good.rep");
    write_text(bad, "300\n2\n4\n1\na 0 100\nq 1 200\nf 0\nf 1\n");
    write_text(good, "100\n1\n2\n1\na 0 100\nf 0\n");
    run_t r = run((const char *[]){ "tracegen", "--check", bad, "/nonexistent.rep", good, NULL });
    cr_expect(eq(int, r.status, 1));
    cr_expect(ne(ptr, strstr(r.err, "bad.rep:6:"), NULL), "stderr:\n%s", r.err);
    cr_expect(ne(ptr, strstr(r.err, "/nonexistent.rep"), NULL), "stderr:\n%s", r.err);
    cr_expect(ne(ptr, strstr(r.out, "good.rep: ok"), NULL), "the good file was not checked:\n%s",
              r.out);
    run_free(&r);
}

/* --- mtrace and mtrace-rep ----------------------------------------------- */

Test(mtrace_cli, help_exits_0, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "mtrace", "-h", NULL });
    cr_expect(eq(int, r.status, 0));
    cr_expect(ne(ptr, strstr(r.out, "usage: mtrace"), NULL), "stdout:\n%s", r.out);
    run_free(&r);
    r = run((const char *[]){ "mtrace-rep", "-h", NULL });
    cr_expect(eq(int, r.status, 0));
    cr_expect(ne(ptr, strstr(r.out, "usage: mtrace-rep"), NULL), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(mtrace_cli, missing_output_or_command_exits_2, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "mtrace", "--", "/bin/true", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "expected -o OUT.rep"), NULL), "stderr:\n%s", r.err);
    run_free(&r);
    r = run((const char *[]){ "mtrace", "-o", path_in("x.rep"), NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "a COMMAND after --"), NULL), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(mtrace_cli, bad_number_exits_2, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "mtrace", "-n", "0", "-o", path_in("x.rep"), "--", "/bin/true", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "-n: expected a number of operations >= 1, got '0'"), NULL),
              "stderr:\n%s", r.err);
    run_free(&r);
    r = run((const char *[]){ "mtrace-rep", "-p", "x", "log", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "-p: expected a process id, got 'x'"), NULL), "stderr:\n%s",
              r.err);
    run_free(&r);
}

Test(mtrace_cli, command_that_cannot_run_is_named, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "mtrace", "-o", path_in("x.rep"), "--", "/nonexistent/prog", NULL });
    cr_expect(ne(int, r.status, 0));
    cr_expect(ne(ptr, strstr(r.err, "/nonexistent/prog"), NULL), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(mtrace_cli, kept_logs_list_and_convert_with_mtrace_rep, .init = setup, .fini = teardown)
{
    char keep[512], rep[512], again[512], listing[512];
    snprintf(keep, sizeof keep, "%s", path_in("logs"));
    snprintf(rep, sizeof rep, "%s", path_in("basic.rep"));
    snprintf(again, sizeof again, "%s", path_in("again.rep"));
    snprintf(listing, sizeof listing, "%s", path_in("list"));
    run_t r = run((const char *[]){ "mtrace", "-k", keep, "-o", rep, "--",
                                    program("mtrace-victim-basic"), NULL });
    cr_assert(eq(int, r.status, 0), "stderr:\n%s", r.err);
    run_free(&r);
    /* The log of the one process is the only file in the kept directory. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls %s/* > %s", keep, listing);
    cr_assert(eq(int, system(cmd), 0));
    char *list = slurp(listing);
    char *nl = strchr(list, '\n');
    if (nl)
        *nl = '\0';
    r = run((const char *[]){ "mtrace-rep", "-l", list, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cr_expect(ne(ptr, strstr(r.err, "mtrace-victim-basic"), NULL), "listing:\n%s", r.err);
    run_free(&r);
    r = run((const char *[]){ "mtrace-rep", "-o", again, list, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    char *a = slurp(rep), *b = slurp(again);
    cr_expect(eq(str, a, b), "mtrace-rep of the kept log differs from mtrace's own trace");
    free(a);
    free(b);
    free(list);
    run_free(&r);
}

Test(mtrace_cli, mtrace_rep_without_logs_exits_2, .init = setup, .fini = teardown)
{
    run_t r = run((const char *[]){ "mtrace-rep", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "expected at least one LOG"), NULL), "stderr:\n%s", r.err);
    run_free(&r);
}
