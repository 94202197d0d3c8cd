/*
 * test_cli.c - mdriver as a user runs it: the built program beside this
 * test binary, on small trace files written to a fresh directory. Usage and
 * exit status (0 all valid, 1 some trace not, 2 usage), the table, -g's
 * autograder lines, --json, and a malformed trace costing only itself.
 *
 * The traces are run against the allocator mdriver was built with (IMPL);
 * these tests expect a correct one (IMPL=solution).
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"
#include "grader_test.h"

static char dir[4096];

static void cli_setup(void)
{
    temp_dir(dir, sizeof dir);
}

static void cli_teardown(void)
{
    remove_dir(dir);
}

TestSuite(mdriver_cli, .init = cli_setup, .fini = cli_teardown, .timeout = SUITE_TIMEOUT);

static const char good_trace[] =
    "20000 2 5 1\n"
    "a 0 100\n"
    "a 1 200\n"
    "r 0 300\n"
    "f 1\n"
    "f 0\n";

static const char bad_trace[] =
    "20000 2 3 1\n"
    "a 0 100\n"
    "x 1 200\n"         /* line 3: unknown op */
    "f 0\n";

/* A policy that times for a moment only, to keep the tests quick. */
static const char quick_policy[] =
    "[timing]\n"
    "min_cpu = 0.001\n"
    "rounds = 1\n";

typedef struct run {
    int status;           /* exit status; -1 if killed by a signal */
    char *out, *err;      /* what it printed (malloc'd) */
} run_t;

/* mdriver_path - the mdriver program beside this test binary. */
static void mdriver_path(char *path, size_t n)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(gt(sz, (size_t)(len + 1), 1), "cannot read /proc/self/exe");
    self[len] = '\0';
    snprintf(path, n, "%s/mdriver", dirname(self));
    cr_assert(eq(int, access(path, X_OK), 0), "no mdriver at %s", path);
}

/* mdriver - run mdriver with the arguments args (NULL-terminated), its
 * output captured in files of the test's directory. */
static run_t mdriver(const char *const *args)
{
    char prog[4200], out[4200], err[4200];
    mdriver_path(prog, sizeof prog);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    const char *argv[32] = { prog };
    size_t n = 1;
    for (; args[n - 1]; n++) {
        cr_assert(lt(sz, n, sizeof argv / sizeof argv[0] - 1));
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(ge(int, pid, 0), "fork failed");
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    int status;
    cr_assert(eq(int, waitpid(pid, &status, 0), pid));
    run_t r = { .status = WIFEXITED(status) ? WEXITSTATUS(status) : -1 };
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
}

static void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
}

/* trace_file - a trace (or any file) in the test's directory. */
static const char *trace_file(const char *name, const char *text)
{
    static char paths[4][4200];
    static int next;
    char *path = paths[next++ % 4];
    write_file(dir, name, text, path, sizeof paths[0]);
    return path;
}

Test(mdriver_cli, help_exits_0_with_usage)
{
    run_t r = mdriver((const char *[]){ "-h", NULL });
    cr_expect(eq(int, r.status, 0));
    cr_expect(eq(int, strncmp(r.out, "usage: mdriver", 14), 0), "stdout:\n%s", r.out);
    cr_expect(eq(str, r.err, ""));
    run_free(&r);
}

Test(mdriver_cli, bad_flag_exits_2_with_usage)
{
    run_t r = mdriver((const char *[]){ "-Z", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "usage: mdriver"), "stderr:\n%s", r.err);
    cr_expect(eq(str, r.out, ""));
    run_free(&r);
}

Test(mdriver_cli, stray_argument_exits_2)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ good, NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "unexpected argument"), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(mdriver_cli, valid_trace_exits_0_with_its_row)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--no-timing", "-f", good, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cr_expect(eq(int, strncmp(r.out, "# mdriver seed=1 traces=1 ", 26), 0),
              "the parameters come first:\n%s", r.out);
    cr_expect(contains(r.out, "\ngood.rep                   yes "), "stdout:\n%s", r.out);
    cr_expect(contains(r.out, "mdriver: 1 of 1 traces valid"), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, json_parses_and_has_the_summary)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--json", "--no-timing", "-f", good, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert(ne(ptr, doc, NULL), "stdout is not JSON:\n%s", r.out);
    cJSON *summary = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    cr_assert(cJSON_IsObject(summary), "no summary object:\n%s", r.out);
    cJSON *traces = cJSON_GetObjectItemCaseSensitive(summary, "traces");
    cJSON *valid = cJSON_GetObjectItemCaseSensitive(summary, "valid");
    cJSON *util = cJSON_GetObjectItemCaseSensitive(summary, "util");
    cr_assert(cJSON_IsNumber(traces) && cJSON_IsNumber(valid) && cJSON_IsNumber(util), "%s", r.out);
    cr_expect(eq(dbl, traces->valuedouble, 1.0));
    cr_expect(eq(dbl, valid->valuedouble, 1.0));
    cr_expect(gt(dbl, util->valuedouble, 0.0));
    cr_expect(le(dbl, util->valuedouble, 1.0));
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "traces"), 0);
    cJSON *status = cJSON_GetObjectItemCaseSensitive(row, "status");
    cr_assert(cJSON_IsString(status), "%s", r.out);
    cr_expect(eq(str, status->valuestring, "ok"));
    cJSON_Delete(doc);
    run_free(&r);
}

Test(mdriver_cli, grades_print_correct_and_perfidx)
{
    const char *good = trace_file("good.rep", good_trace);
    const char *policy = trace_file("quick.ini", quick_policy);
    run_t r = mdriver((const char *[]){ "-g", "-P", policy, "-f", good, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cr_expect(contains(r.out, "\ncorrect:1\n"), "stdout:\n%s", r.out);
    const char *line = strstr(r.out, "\nperfidx:");
    cr_assert(ne(ptr, (void *)line, NULL), "no perfidx line:\n%s", r.out);
    int perfidx, end = 0;
    cr_expect(eq(int, sscanf(line, "\nperfidx:%d%n", &perfidx, &end), 1), "%s", line);
    cr_expect(eq(chr, line[end], '\n'), "perfidx is a whole number: %s", line);
    cr_expect(ge(int, perfidx, 0));
    cr_expect(le(int, perfidx, 100));
    run_free(&r);
}

Test(mdriver_cli, malformed_trace_exits_1_and_names_its_line)
{
    const char *bad = trace_file("bad.rep", bad_trace);
    run_t r = mdriver((const char *[]){ "--no-timing", "-f", bad, NULL });
    cr_expect(eq(int, r.status, 1));
    char want[4400];
    snprintf(want, sizeof want, "%s:3: unknown operation 'x': expected a, r or f\n", bad);
    cr_expect(contains(r.err, want), "stderr:\n%s\nwanted:\n%s", r.err, want);
    cr_expect(contains(r.out, "\nbad.rep                  parse "), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, malformed_trace_does_not_stop_the_others)
{
    const char *bad = trace_file("bad.rep", bad_trace);
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--no-timing", "-f", bad, "-f", good, NULL });
    cr_expect(eq(int, r.status, 1));
    cr_expect(contains(r.out, "\nbad.rep                  parse "), "stdout:\n%s", r.out);
    cr_expect(contains(r.out, "\ngood.rep                   yes "), "stdout:\n%s", r.out);
    cr_expect(contains(r.out, "mdriver: 1 of 2 traces valid"), "stdout:\n%s", r.out);
    cr_expect(zero(int, contains(r.out, "correct:")), "no -g, no grades:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, trace_directory_runs_every_rep_in_name_order)
{
    trace_file("b.rep", good_trace);
    trace_file("a.rep", good_trace);
    trace_file("notes.txt", "not a trace\n");
    run_t r = mdriver((const char *[]){ "--no-timing", "-t", dir, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    const char *a = strstr(r.out, "\na.rep "), *b = strstr(r.out, "\nb.rep ");
    cr_assert(a && b, "stdout:\n%s", r.out);
    cr_expect(lt(ptr, (void *)a, (void *)b), "a.rep runs before b.rep");
    cr_expect(contains(r.out, "traces=2 "), "stdout:\n%s", r.out);
    cr_expect(zero(int, contains(r.out, "notes.txt")), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, unreadable_trace_directory_exits_2)
{
    run_t r = mdriver((const char *[]){ "-t", "/nonexistent/traces", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "-t /nonexistent/traces: cannot read the directory"), "stderr:\n%s",
              r.err);
    run_free(&r);
}

Test(mdriver_cli, timed_run_compares_with_reference_and_libc)
{
    const char *good = trace_file("good.rep", good_trace);
    const char *policy = trace_file("quick.ini", quick_policy);
    run_t r = mdriver((const char *[]){ "-l", "-v", "-V", "-P", policy, "-f", good, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cr_expect(contains(r.out, "vs ref"), "no reference column:\n%s", r.out);
    cr_expect(contains(r.out, "vs libc"), "no libc column:\n%s", r.out);
    cr_expect(contains(r.out, "classic header"), "-V shows no header:\n%s", r.out);
    cr_expect(contains(r.out, "peak live 500 B"), "-v shows no detail line:\n%s", r.out);
    cr_expect(contains(r.out, "the C library"), "summary without libc ratio:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, seed_must_be_a_number)
{
    run_t r = mdriver((const char *[]){ "-s", "many", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "-s many: expected a number"), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(mdriver_cli, bad_policy_file_exits_2)
{
    const char *policy = trace_file("bad.ini", "[timing]\nrounds = lots\n");
    run_t r = mdriver((const char *[]){ "-P", policy, NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "bad.ini:2: rounds"), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(mdriver_cli, empty_trace_directory_exits_2)
{
    char empty[4200];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    cr_assert(eq(int, mkdir(empty, 0755), 0));
    run_t r = mdriver((const char *[]){ "-t", empty, NULL });
    cr_expect(eq(int, r.status, 2), "stdout:\n%s", r.out);
    cr_expect(contains(r.err, "has no .rep files"), "stderr:\n%s", r.err);
    rmdir(empty);
    run_free(&r);
}

Test(mdriver_cli, negative_seed_is_refused)
{
    run_t r = mdriver((const char *[]){ "-s", "-1", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "-s -1: expected a number"), "stderr:\n%s", r.err);
    run_free(&r);
}

Test(mdriver_cli, directory_given_as_a_trace_is_named_as_such)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--no-timing", "-f", dir, "-f", good, NULL });
    cr_expect(eq(int, r.status, 1));
    cr_expect(contains(r.err, "is a directory, not a trace"), "stderr:\n%s", r.err);
    cr_expect(contains(r.out, "good.rep "), "the next trace still ran:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, no_fork_checks_in_its_own_process)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--no-fork", "-f", good, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cr_expect(contains(r.out, "timing=no"), "--no-fork must not time:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, trace_without_live_bytes_leaves_the_means_alone)
{
    const char *good = trace_file("good.rep", good_trace);
    const char *empty = trace_file("zero.rep", "20000 0 0 1\n");
    run_t one = mdriver((const char *[]){ "--no-timing", "-f", good, NULL });
    run_t two = mdriver((const char *[]){ "--no-timing", "-f", good, "-f", empty, NULL });
    const char *a = strstr(one.out, "util "), *b = strstr(two.out, "util ");
    cr_assert(ne(ptr, (void *)a, NULL), "%s", one.out);
    cr_assert(ne(ptr, (void *)b, NULL), "%s", two.out);
    cr_expect(eq(int, strncmp(a, b, 40), 0), "one trace: %.40s\nwith an empty one: %.40s", a, b);
    run_free(&one);
    run_free(&two);
}

Test(mdriver_cli, json_names_the_parse_errors)
{
    const char *bad = trace_file("bad.rep", bad_trace);
    run_t r = mdriver((const char *[]){ "--json", "--no-timing", "-f", bad, NULL });
    cr_expect(eq(int, r.status, 1));
    cr_expect(contains(r.out, "bad.rep:3: unknown operation 'x'"), "stdout:\n%s", r.out);
    run_free(&r);
}

/* Run by grade (channel.h): the trace from stdin under the name grade
 * gives it, the results only through the channel, no table on stdout. */
Test(mdriver_cli, run_by_grade_sends_its_results_through_the_channel)
{
    const char *trace = trace_file("good.rep", good_trace);
    int in = open(trace, O_RDONLY);
    cr_assert(ge(int, in, 0));
    cr_assert(ge(int, dup2(in, 0), 0));
    close(in);
    channel_t ch;
    int w;
    cr_assert(eq(int, channel_open(&ch, &w), 0));
    fcntl(w, F_SETFD, 0);
    char fd_var[64];
    snprintf(fd_var, sizeof fd_var, "%d", w);
    setenv(CHANNEL_FD_ENV, fd_var, 1);
    setenv(CHANNEL_NONCE_ENV, ch.nonce, 1);
    const char *args[] = { "-f", "-", "--name", "given-name", "--no-timing", NULL };
    run_t r = mdriver(args);
    close(w);
    unsetenv(CHANNEL_FD_ENV);
    unsetenv(CHANNEL_NONCE_ENV);
    char buf[65536];
    size_t len = 0;
    ssize_t got;
    while ((got = read(ch.fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)got;
    close(ch.fd);
    size_t pos = 0, n;
    const char *payload;
    cr_assert(eq(int, channel_next(&ch, buf, len, &pos, &payload, &n), 1), "channel: %.*s",
              (int)len, buf);
    cr_assert(eq(int, channel_next(&ch, buf, len, &pos, &payload, &n), 0));
    cJSON *doc = cJSON_ParseWithLength(payload, n);
    cr_assert(ne(ptr, doc, NULL));
    const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "traces"), 0);
    cr_assert(eq(str, cJSON_GetStringValue(cJSON_GetObjectItem(t, "name")), "given-name"));
    cr_assert(eq(str, cJSON_GetStringValue(cJSON_GetObjectItem(t, "status")), "ok"));
    cr_assert(eq(str, r.out, ""), "stdout: %s", r.out);
    cr_assert(eq(int, r.status, 0));
    cJSON_Delete(doc);
    run_free(&r);
}

Test(mdriver_cli, json_gives_the_time_of_each_checked_replay)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--json", "--no-timing", "-f", good, NULL });
    cr_expect(eq(int, r.status, 0), "stderr:\n%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "traces"), 0);
    cJSON *secs = cJSON_GetObjectItemCaseSensitive(row, "check_secs");
    cr_assert(cJSON_IsNumber(secs), "no check_secs:\n%s", r.out);
    cr_expect(gt(dbl, secs->valuedouble, 0.0));
    cr_expect(lt(dbl, secs->valuedouble, 20.0));
    cJSON_Delete(doc);
    run_free(&r);
}

/* A replay of 400 000 operations (tens of milliseconds at least) and a
 * deadline of one. */
Test(mdriver_cli, a_deadline_shorter_than_the_replay_ends_it_as_a_timeout)
{
    enum { PAIRS = 200000 };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "20000 1 %d 1\n", 2 * PAIRS);
    for (int i = 0; i < PAIRS; i++)
        fprintf(f, "a 0 %d\nf 0\n", 16 + i % 1000);
    fclose(f);
    const char *long_trace = trace_file("long.rep", text);
    free(text);
    run_t r = mdriver((const char *[]){ "--deadline", "0.001", "--no-timing", "-f", long_trace,
                                        NULL });
    cr_expect(eq(int, r.status, 1), "stdout:\n%s", r.out);
    cr_expect(contains(r.out, "\nlong.rep               timeout "), "stdout:\n%s", r.out);
    run_free(&r);
}

Test(mdriver_cli, a_deadline_must_be_seconds)
{
    run_t r = mdriver((const char *[]){ "--deadline", "soon", NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "--deadline soon: expected seconds"), "stderr:\n%s", r.err);
    run_free(&r);
}

/* svg_of - mdriver --no-timing --svg on good.rep, and a trace named
 * "a<b&c'.rep" beside it (escaped in the picture), and bad.rep; the
 * picture's text (malloc'd). */
static char *svg_of(const char *name)
{
    const char *good = trace_file("good.rep", good_trace);
    const char *odd = trace_file("a<b&c'.rep", good_trace);
    const char *bad = trace_file("bad.rep", bad_trace);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    run_t r = mdriver((const char *[]){ "--no-timing", "--svg", path, "-f", good, "-f", odd,
                                        "-f", bad, NULL });
    cr_expect(eq(int, r.status, 1), "stderr:\n%s", r.err);
    run_free(&r);
    return read_file(path);
}

Test(mdriver_cli, svg_draws_a_row_per_trace_and_the_total)
{
    char *svg = svg_of("run.svg");
    cr_assert(ne(ptr, svg, NULL), "no picture written");
    unsigned rows = 0;
    for (const char *p = svg; (p = strstr(p, "<g class=\"trace\">")); p++)
        rows++;
    cr_expect(eq(u32, rows, 3), "rows drawn:\n%s", svg);
    cr_expect(contains(svg, "<g class=\"total\">"), "no total row:\n%s", svg);
    cr_expect(contains(svg, "a&lt;b&amp;c&apos;.rep"), "the odd name is not escaped:\n%s", svg);
    cr_expect(contains(svg, "invalid: the trace has errors"), "bad.rep is not marked:\n%s", svg);
    cr_expect(contains(svg, "throughput: not measured (--no-timing)"), "%s", svg);
    free(svg);
}

Test(mdriver_cli, svg_is_well_formed_xml)
{
    char *svg = svg_of("run.svg");
    free(svg);
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s/run.svg' 2>&1", dir);
    cr_expect(eq(int, system(cmd), 0), "xmllint refuses %s/run.svg", dir);
}

Test(mdriver_cli, svg_is_the_same_bytes_for_the_same_run)
{
    char *one = svg_of("one.svg"), *two = svg_of("two.svg");
    cr_assert(one && two, "no picture written");
    cr_expect(eq(str, one, two), "two runs, two pictures");
    free(one);
    free(two);
}

Test(mdriver_cli, svg_to_a_path_that_cannot_be_written_exits_2_before_any_trace)
{
    const char *good = trace_file("good.rep", good_trace);
    run_t r = mdriver((const char *[]){ "--svg", "/nonexistent/run.svg", "-f", good, NULL });
    cr_expect(eq(int, r.status, 2));
    cr_expect(contains(r.err, "--svg /nonexistent/run.svg: cannot write"), "stderr:\n%s", r.err);
    cr_expect(eq(str, r.out, ""), "traces ran:\n%s", r.out);
    run_free(&r);
}
