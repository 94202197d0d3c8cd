/*
 * test_mtrace.c - the allocation recorder: the log -> .rep rules on made-up
 * logs, and the whole chain (libmtrace.so, mtrace, mtrace-rep) on victim
 * programs whose allocations are known. The programs are found beside this
 * test binary (the build's bin directory).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "convert.h"
#include "logfile.h"
#include "ptrmap.h"
#include "timeouts.h"
#include "trace.h"

#ifdef __SANITIZE_ADDRESS__
/*
 * make asan: with more than one job, Criterion's runner process itself
 * loses one 48-byte block at exit now and then, and LeakSanitizer fails the
 * run for it. One job at a time avoids that without hiding any leak of the
 * code under test (a suppression naming libcriterion would hide them all:
 * every test's stack passes through it). --jobs on the command line wins.
 */
__attribute__((constructor)) static void one_job_under_asan(void)
{
    setenv("CRITERION_JOBS", "1", 0);
}
#endif

TestSuite(convert, .timeout = TIMEOUT(10));
TestSuite(ptrmap, .timeout = TIMEOUT(10));
TestSuite(rep, .timeout = TIMEOUT(10));
TestSuite(logfile, .timeout = TIMEOUT(10));
TestSuite(recorder, .timeout = TIMEOUT(60)); /* each test runs programs */
TestSuite(traces, .timeout = TIMEOUT(30));

#define PATH_CAP 1024

/* pathf - format a path or message into buf; a test fails if it does not fit. */
__attribute__((format(printf, 3, 4))) static void pathf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n < cap, "'%s...' does not fit in %zu bytes", buf, cap);
}

/* --- Made-up logs ---------------------------------------------------------- */

static struct mtlog_record rec(enum mtlog_op op, uint64_t ptr, uint64_t size, uint64_t result)
{
    return (struct mtlog_record){ .op = op, .ptr = ptr, .size = size, .result = result };
}

#define MALLOC(size, result) rec(MTLOG_MALLOC, 0, size, result)
#define REALLOC(ptr, size, result) rec(MTLOG_REALLOC, ptr, size, result)
#define FREE(ptr) rec(MTLOG_FREE, ptr, 0, 0)

/* expect_ops - r's ops are exactly the lines of want. */
static void expect_ops(const trace_t *r, const char *const *want, size_t n)
{
    char got[64];
    for (size_t i = 0; i < n && i < r->num_ops; i++) {
        trace_op_text(&r->ops[i], got, sizeof got);
        cr_assert_str_eq(got, want[i], "op %zu: got '%s', expected '%s'", i, got, want[i]);
    }
    cr_assert_eq(r->num_ops, n, "the trace has %zu ops, expected %zu", r->num_ops, n);
}

#define EXPECT_OPS(r, ...)                                                  \
    do {                                                                    \
        static const char *const want_[] = { __VA_ARGS__ };                 \
        expect_ops((r), want_, sizeof want_ / sizeof want_[0]);             \
    } while (0)

static struct convert_stats convert(const struct mtlog_record *recs, size_t n, size_t max_ops,
                                    trace_t *r)
{
    struct convert_stats st;
    cr_assert_eq(convert_records(recs, n, max_ops, r, &st), 0, "convert_records failed");
    return st;
}

Test(convert, malloc_becomes_a_with_its_size)
{
    struct mtlog_record log[] = { MALLOC(100, 0x1000), FREE(0x1000) };
    trace_t r;
    convert(log, 2, 0, &r);
    EXPECT_OPS(&r, "a 0 100", "f 0");
    trace_free(&r);
}

Test(convert, realloc_keeps_the_id_when_the_block_moves)
{
    struct mtlog_record log[] = { MALLOC(10, 0x1000), REALLOC(0x1000, 500, 0x2000),
                                  MALLOC(20, 0x1000), FREE(0x2000), FREE(0x1000) };
    trace_t r;
    convert(log, 5, 0, &r);
    EXPECT_OPS(&r, "a 0 10", "r 0 500", "a 1 20", "f 0", "f 1");
    trace_free(&r);
}

Test(convert, realloc_of_null_becomes_a)
{
    struct mtlog_record log[] = { REALLOC(0, 70, 0x1000), FREE(0x1000) };
    trace_t r;
    convert(log, 2, 0, &r);
    EXPECT_OPS(&r, "a 0 70", "f 0");
    trace_free(&r);
}

Test(convert, realloc_to_zero_that_freed_becomes_f)
{
    struct mtlog_record log[] = { MALLOC(10, 0x1000), REALLOC(0x1000, 0, 0) };
    trace_t r;
    struct convert_stats st = convert(log, 2, 0, &r);
    EXPECT_OPS(&r, "a 0 10", "f 0");
    cr_assert_eq(st.failed, 0, "failed = %zu, expected 0", st.failed);
    trace_free(&r);
}

Test(convert, realloc_to_zero_that_returned_a_block_becomes_f_then_a_0)
{
    struct mtlog_record log[] = { MALLOC(10, 0x1000), REALLOC(0x1000, 0, 0x3000), FREE(0x3000) };
    trace_t r;
    convert(log, 3, 0, &r);
    EXPECT_OPS(&r, "a 0 10", "f 0", "a 1 0", "f 1");
    trace_free(&r);
}

Test(convert, failed_realloc_is_dropped_and_the_block_stays)
{
    struct mtlog_record log[] = { MALLOC(10, 0x1000), REALLOC(0x1000, 99, 0), FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 3, 0, &r);
    EXPECT_OPS(&r, "a 0 10", "f 0");
    cr_assert_eq(st.failed, 1, "failed = %zu, expected 1", st.failed);
    trace_free(&r);
}

Test(convert, free_of_null_is_dropped_and_counted)
{
    struct mtlog_record log[] = { FREE(0), MALLOC(8, 0x1000), FREE(0), FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 4, 0, &r);
    EXPECT_OPS(&r, "a 0 8", "f 0");
    cr_assert_eq(st.free_null, 2, "free_null = %zu, expected 2", st.free_null);
    trace_free(&r);
}

Test(convert, free_of_a_block_never_handed_out_is_dropped_and_counted)
{
    struct mtlog_record log[] = { FREE(0x9000), MALLOC(8, 0x1000), FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 3, 0, &r);
    EXPECT_OPS(&r, "a 0 8", "f 0");
    cr_assert_eq(st.unseen_free, 1, "unseen_free = %zu, expected 1", st.unseen_free);
    trace_free(&r);
}

Test(convert, realloc_of_a_block_never_handed_out_becomes_a)
{
    struct mtlog_record log[] = { REALLOC(0x9000, 40, 0xa000), FREE(0xa000) };
    trace_t r;
    struct convert_stats st = convert(log, 2, 0, &r);
    EXPECT_OPS(&r, "a 0 40", "f 0");
    cr_assert_eq(st.unseen_realloc, 1, "unseen_realloc = %zu, expected 1", st.unseen_realloc);
    trace_free(&r);
}

Test(convert, malloc_of_zero_is_kept)
{
    struct mtlog_record log[] = { MALLOC(0, 0x1000), FREE(0x1000) };
    trace_t r;
    convert(log, 2, 0, &r);
    EXPECT_OPS(&r, "a 0 0", "f 0");
    trace_free(&r);
}

Test(convert, failed_malloc_is_dropped_and_counted)
{
    struct mtlog_record log[] = { MALLOC(1ULL << 60, 0), MALLOC(8, 0x1000), FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 3, 0, &r);
    EXPECT_OPS(&r, "a 0 8", "f 0");
    cr_assert_eq(st.failed, 1, "failed = %zu, expected 1", st.failed);
    trace_free(&r);
}

Test(convert, memalign_and_calloc_records_become_a)
{
    struct mtlog_record log[] = { rec(MTLOG_CALLOC, 0, 300, 0x1000),
                                  rec(MTLOG_MEMALIGN, 0, 200, 0x2000), FREE(0x1000),
                                  FREE(0x2000) };
    log[1].aux = 64;
    trace_t r;
    convert(log, 4, 0, &r);
    EXPECT_OPS(&r, "a 0 300", "a 1 200", "f 0", "f 1");
    trace_free(&r);
}

Test(convert, missing_frees_are_appended_in_id_order)
{
    struct mtlog_record log[] = { MALLOC(1, 0x3000), MALLOC(2, 0x1000), MALLOC(3, 0x2000),
                                  FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 4, 0, &r);
    EXPECT_OPS(&r, "a 0 1", "a 1 2", "a 2 3", "f 1", "f 0", "f 2");
    cr_assert_eq(st.closing_free, 2, "closing_free = %zu, expected 2", st.closing_free);
    trace_free(&r);
}

Test(convert, address_handed_out_again_without_a_free_frees_the_old_id_first)
{
    struct mtlog_record log[] = { MALLOC(16, 0x1000), MALLOC(32, 0x1000), FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 3, 0, &r);
    EXPECT_OPS(&r, "a 0 16", "f 0", "a 1 32", "f 1");
    cr_assert_eq(st.implied_free, 1, "implied_free = %zu, expected 1", st.implied_free);
    trace_free(&r);
}

Test(convert, cap_keeps_the_first_ops_and_stays_balanced)
{
    struct mtlog_record log[] = { MALLOC(1, 0x1000), MALLOC(2, 0x2000),
                                  REALLOC(0x1000, 9, 0x3000), FREE(0x2000), MALLOC(4, 0x4000) };
    trace_t r;
    struct convert_stats st = convert(log, 5, 3, &r);
    EXPECT_OPS(&r, "a 0 1", "a 1 2", "r 0 9", "f 0", "f 1");
    cr_assert(st.capped, "capped is false, expected true");
    cr_assert_eq(st.records, 3, "records = %zu, expected 3", st.records);
    int problems = trace_check_classic(&r, MTRACE_RULES, stderr, NULL);
    cr_assert_eq(problems, 0, "trace_check_classic found %d problems (see stderr)", problems);
    trace_free(&r);
}

Test(convert, heap_hint_is_the_peak_of_live_bytes)
{
    /* live: 100, 400, 1300, 350, 300, 0 */
    struct mtlog_record log[] = { MALLOC(100, 0x1000), MALLOC(300, 0x2000),
                                  REALLOC(0x1000, 1000, 0x3000), REALLOC(0x3000, 50, 0x3000),
                                  FREE(0x3000), FREE(0x2000) };
    trace_t r;
    convert(log, 6, 0, &r);
    cr_assert_eq(r.heap_hint, 1300, "peak = %zu, expected 1300", r.heap_hint);
    trace_free(&r);
}

Test(convert, end_mark_makes_the_log_complete)
{
    struct mtlog_record log[] = { MALLOC(8, 0x1000), rec(MTLOG_END, 0, 0, 0), FREE(0x1000) };
    trace_t r;
    struct convert_stats st = convert(log, 2, 0, &r);
    cr_assert(st.ended, "ended is false after an end mark");
    trace_free(&r);
    st = convert(log, 1, 0, &r);
    cr_assert(!st.ended, "ended is true without an end mark");
    trace_free(&r);
    st = convert(log, 3, 0, &r);
    EXPECT_OPS(&r, "a 0 8", "f 0");
    trace_free(&r);
}

/* --- ptrmap, the trace as mtrace keeps it, logfile ------------------------------ */

Test(ptrmap, removal_inside_collision_runs_keeps_the_other_keys)
{
    enum { N = 20000 };
    struct ptrmap m = { 0 };
    for (uint32_t i = 0; i < N; i++)
        cr_assert_eq(ptrmap_put(&m, 0x10000 + 16 * (uint64_t)i, i), 0, "put %u failed", i);
    for (uint32_t i = 0; i < N; i += 2)
        cr_assert(ptrmap_remove(&m, 0x10000 + 16 * (uint64_t)i), "remove %u: absent", i);
    cr_assert_eq(m.count, N / 2, "count = %zu, expected %d", m.count, N / 2);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t id = UINT32_MAX;
        bool found = ptrmap_get(&m, 0x10000 + 16 * (uint64_t)i, &id);
        cr_assert_eq(found, i % 2 == 1, "key %u: found = %d", i, found);
        if (found)
            cr_assert_eq(id, i, "key %u maps to %u", i, id);
    }
    ptrmap_free(&m);
}

/* scratch - a fresh directory under /tmp for one test. */
static char *scratch(void)
{
    static char dir[64];
    strcpy(dir, "/tmp/test_mtrace.XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
    return dir;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

/* read_classic - the trace at path, read as mtrace's traces are checked;
 * the problems, whose messages go to err. */
static int read_classic(const char *path, trace_t *r, FILE *err)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    int problems = trace_read_classic(f, path, MTRACE_RULES, r, err, NULL);
    fclose(f);
    return problems;
}

/* expect_one_problem - trace_check_classic under mtrace's rules finds
 * exactly one problem in r, and says want. */
static void expect_one_problem(const trace_t *r, const char *want)
{
    char *msg = NULL;
    size_t len;
    FILE *err = open_memstream(&msg, &len);
    int problems = trace_check_classic(r, MTRACE_RULES, err, NULL);
    fclose(err);
    cr_assert_eq(problems, 1, "%d problems:\n%s", problems, msg);
    cr_assert_str_eq(msg, want, "trace_check_classic said '%s', expected '%s'", msg, want);
    free(msg);
}

Test(rep, write_then_read_gives_the_same_trace)
{
    struct mtlog_record log[] = { MALLOC(5, 0x1000), REALLOC(0x1000, 7, 0x2000),
                                  MALLOC(0, 0x3000) };
    trace_t r, back;
    convert(log, 3, 0, &r);
    char *dir = scratch(), path[PATH_CAP];
    pathf(path, sizeof path, "%s/t.rep", dir);
    FILE *f = fopen(path, "w");
    cr_assert_eq(trace_write(&r, f), 0, "trace_write failed");
    fclose(f);
    cr_assert_eq(read_classic(path, &back, stderr), 0, "%s: not a valid trace (see stderr)", path);
    cr_assert_eq(back.heap_hint, r.heap_hint, "peak %zu, expected %zu", back.heap_hint,
                 r.heap_hint);
    cr_assert_eq(back.num_ids, r.num_ids, "num_ids %u, expected %u", back.num_ids, r.num_ids);
    EXPECT_OPS(&back, "a 0 5", "r 0 7", "a 1 0", "f 0", "f 1");
    trace_free(&r);
    trace_free(&back);
    rm_tree(dir);
}

Test(rep, read_names_the_file_and_line_of_a_bad_op)
{
    char *dir = scratch(), path[PATH_CAP], want[PATH_CAP];
    pathf(path, sizeof path, "%s/bad.rep", dir);
    write_file(path, "8\n1\n2\n1\na 0 8\nx 0\n");
    char *msg = NULL;
    size_t len;
    FILE *err = open_memstream(&msg, &len);
    trace_t r;
    int problems = read_classic(path, &r, err);
    fclose(err);
    cr_assert_gt(problems, 0, "a bad op was accepted");
    pathf(want, sizeof want, "%s:6: expected 'a ID SIZE', 'r ID SIZE' or 'f ID'\n", path);
    cr_assert_eq(strncmp(msg, want, strlen(want)), 0, "the messages are\n%s\nexpected first\n%s",
                 msg, want);
    free(msg);
    rm_tree(dir);
}

Test(rep, read_accepts_malloc_of_zero_but_not_realloc_to_zero)
{
    char *dir = scratch(), path[PATH_CAP], want[PATH_CAP];
    trace_t r;
    pathf(path, sizeof path, "%s/zero.rep", dir);
    write_file(path, "0\n1\n2\n1\na 0 0\nf 0\n");
    cr_assert_eq(read_classic(path, &r, stderr), 0, "'a 0 0' was refused (see stderr)");
    trace_free(&r);
    write_file(path, "8\n1\n3\n1\na 0 8\nr 0 0\nf 0\n");
    char *msg = NULL;
    size_t len;
    FILE *err = open_memstream(&msg, &len);
    int problems = read_classic(path, &r, err);
    fclose(err);
    pathf(want, sizeof want, "%s:6: expected a SIZE from 1 in 'r ID SIZE' ('r ID 0' is an "
          "extension)\n", path);
    cr_assert_eq(problems, 1, "%d problems:\n%s", problems, msg);
    cr_assert_str_eq(msg, want, "the message is\n%s\nexpected\n%s", msg, want);
    free(msg);
    rm_tree(dir);
}

Test(rep, check_rejects_a_free_of_an_id_not_live)
{
    trace_op_t ops[] = { { .kind = OP_ALLOC, .id = 0, .size = 8, .line = 5 },
                         { .kind = OP_FREE, .id = 0, .line = 6 },
                         { .kind = OP_FREE, .id = 0, .line = 7 } };
    trace_t r = { .num_ids = 1, .num_ops = 3, .ops = ops, .weight = 1 };
    expect_one_problem(&r, "(built trace):7: expected a live id: 0 is already freed\n");
}

Test(rep, check_rejects_an_unbalanced_trace)
{
    trace_t r;
    trace_init(&r);
    trace_add_alloc(&r, 8);
    expect_one_problem(&r, "(built trace):5: expected id 0 to be freed by the end of the trace\n");
    trace_free(&r);
}

static struct mtlog_info info(uint64_t pid, const char *cmd, size_t records)
{
    struct mtlog_info i = { .records = records };
    i.header.pid = pid;
    snprintf(i.header.cmd, sizeof i.header.cmd, "%s", cmd);
    return i;
}

Test(logfile, choose_takes_the_most_records_unless_narrowed)
{
    struct mtlog_info logs[] = {
        info(10, "/usr/bin/gcc -c x.c", 400),
        info(11, "/usr/lib/gcc/cc1 -quiet x.c", 90000),
        info(12, "as -o x.o", 2000),
        info(12, "/usr/bin/ld x.o", 3000),
    };
    long got = mtlog_choose(logs, 4, -1, NULL);
    cr_assert_eq(got, 1, "default choice %ld, expected 1 (most records)", got);
    got = mtlog_choose(logs, 4, 12, NULL);
    cr_assert_eq(got, 3, "-p 12 chose %ld, expected 3", got);
    got = mtlog_choose(logs, 4, -1, "as");
    cr_assert_eq(got, 2, "-x as chose %ld, expected 2", got);
    got = mtlog_choose(logs, 4, 99, NULL);
    cr_assert_eq(got, -1, "-p 99 chose %ld, expected none", got);
}

Test(logfile, probe_rejects_a_file_that_is_not_a_log, .init = cr_redirect_stderr)
{
    char *dir = scratch(), path[PATH_CAP], want[PATH_CAP];
    pathf(path, sizeof path, "%s/mtrace.1", dir);
    write_file(path, "not a log at all, but long enough to hold a whole header................"
                     "................................................................"
                     "................................................................"
                     "................................................................");
    struct mtlog_info i;
    cr_assert_eq(mtlog_probe(path, &i), -1, "mtlog_probe accepted a text file");
    fflush(stderr);
    pathf(want, sizeof want, "%s: expected an mtrace log (its header is missing)\n", path);
    cr_assert_stderr_eq_str(want);
    rm_tree(dir);
}

/* --- The tools on victim programs ------------------------------------------ */

/* bin - the path of a program built beside this test. */
static const char *bin(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];
    ssize_t n = readlink("/proc/self/exe", p, 400);
    cr_assert_gt(n, 0, "readlink /proc/self/exe failed");
    p[n] = '\0';
    strcpy(strrchr(p, '/') + 1, name);
    return p;
}

/* run - argv as a child with stdout to out (NULL: /dev/null) and stderr to
 * err (NULL: /dev/null); its exit status, or 128 + signal. */
static int run(const char *const *argv, const char *out, const char *err)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork failed");
    if (pid == 0) {
        int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, STDOUT_FILENO) < 0 || dup2(e, STDERR_FILENO) < 0)
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid, "waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void read_rep(const char *path, trace_t *r)
{
    cr_assert_eq(read_classic(path, r, stderr), 0, "%s: not a valid trace (see stderr)", path);
}

static size_t count_ops(const trace_t *r, enum trace_op_kind kind, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < r->num_ops; i++)
        n += r->ops[i].kind == kind && r->ops[i].size == size;
    return n;
}

/* The trace mtrace_victim_basic.c's comments spell out. */
static const char *const basic_trace[] = {
    "a 0 100", "a 1 300", "r 0 1000", "r 0 50", "a 2 70", "a 3 0", "a 4 200", "a 5 512",
    "a 6 48",  "f 2",     "f 1",      "f 3",    "f 4",    "f 5",   "f 6",    "f 0",
};
#define BASIC_OPS (sizeof basic_trace / sizeof basic_trace[0])

Test(recorder, basic_victim_gives_the_expected_trace)
{
    char *dir = scratch(), out[PATH_CAP], err[PATH_CAP];
    pathf(out, sizeof out, "%s/basic.rep", dir);
    pathf(err, sizeof err, "%s/stderr", dir);
    const char *argv[] = { bin("mtrace"), "-o", out, "--", bin("mtrace-victim-basic"), NULL };
    int rc = run(argv, NULL, err);
    cr_assert_eq(rc, 0, "mtrace exited %d (stderr in %s)", rc, err);
    trace_t r;
    read_rep(out, &r);
    expect_ops(&r, basic_trace, BASIC_OPS);
    cr_assert_eq(r.heap_hint, 1300, "heap hint %zu, expected 1300", r.heap_hint);
    cr_assert_eq(r.num_ids, 7, "num_ids %u, expected 7", r.num_ids);
    trace_free(&r);
    rm_tree(dir);
}

/* The recording of a real program replays valid in mdriver (checks only:
 * alignment, bounds, overlap and every payload byte). */
Test(recorder, recording_replays_valid_in_mdriver)
{
    char *dir = scratch(), rep[PATH_CAP], out[PATH_CAP], err[PATH_CAP];
    pathf(rep, sizeof rep, "%s/basic.rep", dir);
    pathf(out, sizeof out, "%s/mdriver.out", dir);
    pathf(err, sizeof err, "%s/stderr", dir);
    const char *record[] = { bin("mtrace"), "-o", rep, "--", bin("mtrace-victim-basic"), NULL };
    cr_assert_eq(run(record, NULL, err), 0, "mtrace failed (stderr in %s)", err);
    const char *replay[] = { bin("mdriver"), "--no-timing", "-f", rep, NULL };
    int rc = run(replay, out, err);
    cr_assert_eq(rc, 0, "mdriver exited %d on the recording (output in %s, %s)", rc, out, err);
    rm_tree(dir);
}

Test(recorder, cap_keeps_the_first_ops_then_frees_the_live_ones)
{
    char *dir = scratch(), out[PATH_CAP];
    pathf(out, sizeof out, "%s/capped.rep", dir);
    const char *argv[] = { bin("mtrace"), "-n", "5", "-o", out, "--", bin("mtrace-victim-basic"),
                           NULL };
    int rc = run(argv, NULL, NULL);
    cr_assert_eq(rc, 0, "mtrace exited %d", rc);
    trace_t r;
    read_rep(out, &r);
    EXPECT_OPS(&r, "a 0 100", "a 1 300", "r 0 1000", "r 0 50", "a 2 70", "f 0", "f 1", "f 2");
    trace_free(&r);
    rm_tree(dir);
}

/* record_kept - run mtrace on argv's command keeping the logs in dir/logs;
 * the victim's stdout goes to dir/stdout. */
static void record_kept(const char *dir, const char *const *cmd)
{
    char logs[PATH_CAP], out[PATH_CAP], so[PATH_CAP];
    pathf(logs, sizeof logs, "%s/logs", dir);
    pathf(out, sizeof out, "%s/default.rep", dir);
    pathf(so, sizeof so, "%s/stdout", dir);
    const char *argv[16] = { bin("mtrace"), "-k", logs, "-o", out, "--" };
    size_t n = 6;
    for (size_t i = 0; cmd[i]; i++)
        argv[n++] = cmd[i];
    int rc = run(argv, so, NULL);
    cr_assert_eq(rc, 0, "mtrace exited %d", rc);
}

static int is_log(const struct dirent *d)
{
    return strncmp(d->d_name, "mtrace.", 7) == 0;
}

/* kept_logs - the paths of the logs record_kept left in dir/logs, sorted;
 * how many there are. */
static size_t kept_logs(const char *dir, char paths[][PATH_CAP], size_t max)
{
    char logs[PATH_CAP];
    pathf(logs, sizeof logs, "%s/logs", dir);
    struct dirent **names;
    int n = scandir(logs, &names, is_log, alphasort);
    cr_assert_geq(n, 0, "cannot read %s", logs);
    for (int i = 0; i < n; i++) {
        if ((size_t)i < max)
            pathf(paths[i], PATH_CAP, "%s/%s", logs, names[i]->d_name);
        free(names[i]);
    }
    free(names);
    return (size_t)n;
}

/* load_log - the converted log at path, and its header. */
static struct convert_stats load_log(const char *path, struct mtlog_info *i, trace_t *r)
{
    cr_assert_eq(mtlog_probe(path, i), 0, "%s: not a log", path);
    struct mtlog_record *recs = mtlog_load(i);
    cr_assert_not_null(recs, "%s: cannot load", path);
    struct convert_stats st = convert(recs, i->records, 0, r);
    free(recs);
    return st;
}

enum { VICTIM_THREADS = 4, VICTIM_ROUNDS = 2000 }; /* as in mtrace_victim_threads.c */

/* record_threads - record mtrace_victim_threads in dir, with one arena and
 * no per-thread cache, so that a block one thread frees is soon handed to
 * another: a free logged out of order would then show. */
static void record_threads(const char *dir)
{
    const char *cmd[] = { bin("mtrace-victim-threads"), NULL };
    setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=1:glibc.malloc.tcache_count=0", 1);
    record_kept(dir, cmd);
}

Test(recorder, threads_have_every_call_recorded)
{
    char *dir = scratch(), path[PATH_CAP];
    record_threads(dir);
    pathf(path, sizeof path, "%s/default.rep", dir);
    trace_t r;
    read_rep(path, &r);
    for (unsigned t = 0; t < VICTIM_THREADS; t++) {
        size_t a = count_ops(&r, OP_ALLOC, 1000 + t), re = count_ops(&r, OP_REALLOC, 2000 + t),
               c = count_ops(&r, OP_ALLOC, 3000 + t);
        cr_assert_eq(a, VICTIM_ROUNDS, "thread %u: %zu mallocs, expected %d", t, a, VICTIM_ROUNDS);
        cr_assert_eq(re, VICTIM_ROUNDS, "thread %u: %zu reallocs, expected %d", t, re,
                     VICTIM_ROUNDS);
        cr_assert_eq(c, VICTIM_ROUNDS, "thread %u: %zu callocs, expected %d", t, c, VICTIM_ROUNDS);
    }
    trace_free(&r);
    rm_tree(dir);
}

static bool is_victim_size(uint64_t size)
{
    return (size >= 1000 && size < 1000 + VICTIM_THREADS)
           || (size >= 3000 && size < 3000 + VICTIM_THREADS);
}

/* A free logged after the C library took the block back shows only when
 * another thread gets the block in that instant: a few runs make that all
 * but certain. */
#define ORDER_RUNS 5

Test(recorder, threads_have_every_free_logged_before_the_block_is_reused)
{
    for (int run = 0; run < ORDER_RUNS; run++) {
        char *dir = scratch(), logs[4][PATH_CAP];
        record_threads(dir);
        size_t n = kept_logs(dir, logs, 4);
        cr_assert_eq(n, 1, "%zu logs, expected 1", n);
        struct mtlog_info i;
        trace_t r;
        struct convert_stats st = load_log(logs[0], &i, &r);
        cr_assert_eq(st.implied_free, 0,
                     "run %d: %zu blocks handed out again before their free was logged", run,
                     st.implied_free);
        cr_assert_eq(st.unseen_free, 0, "run %d: %zu frees of blocks never handed out", run,
                     st.unseen_free);
        cr_assert(st.ended, "run %d: the log has no end mark", run);
        /* The victim frees all its blocks: none may be left to the closing frees. */
        for (size_t k = r.num_ops - st.closing_free; k < r.num_ops; k++)
            for (size_t j = 0; j < r.num_ops; j++)
                if (r.ops[j].kind == OP_ALLOC && r.ops[j].id == r.ops[k].id)
                    cr_assert(!is_victim_size(r.ops[j].size),
                              "run %d: a victim block (id %u, %zu bytes) was never freed", run,
                              r.ops[k].id, r.ops[j].size);
        trace_free(&r);
        mtlog_info_free(&i);
        rm_tree(dir);
    }
}

/* fork_pids - the "PARENT CHILD" line mtrace_victim_fork printed. */
static void fork_pids(const char *dir, long *parent, long *child)
{
    char path[PATH_CAP];
    pathf(path, sizeof path, "%s/stdout", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no %s", path);
    int got = fscanf(f, "%ld %ld", parent, child);
    fclose(f);
    cr_assert_eq(got, 2, "%s: expected 'PARENT CHILD'", path);
}

Test(recorder, fork_gives_the_child_its_own_log)
{
    char *dir = scratch(), logs[4][PATH_CAP];
    const char *cmd[] = { bin("mtrace-victim-fork"), NULL };
    record_kept(dir, cmd);
    long parent, child;
    fork_pids(dir, &parent, &child);
    size_t n = kept_logs(dir, logs, 4);
    cr_assert_eq(n, 2, "%zu logs, expected 2 (parent and child)", n);
    struct mtlog_info a, b;
    cr_assert_eq(mtlog_probe(logs[0], &a), 0, "%s: not a log", logs[0]);
    cr_assert_eq(mtlog_probe(logs[1], &b), 0, "%s: not a log", logs[1]);
    struct mtlog_info *p = a.header.pid == (uint64_t)parent ? &a : &b;
    struct mtlog_info *c = p == &a ? &b : &a;
    cr_assert_eq(p->header.pid, (uint64_t)parent, "no log of the parent %ld", parent);
    cr_assert_eq(c->header.pid, (uint64_t)child, "no log of the child %ld (found %llu)", child,
                 (unsigned long long)c->header.pid);
    cr_assert_eq(c->header.ppid, (uint64_t)parent, "the child's log names parent %llu, not %ld",
                 (unsigned long long)c->header.ppid, parent);
    mtlog_info_free(&a);
    mtlog_info_free(&b);
    rm_tree(dir);
}

Test(recorder, fork_by_default_converts_the_process_with_most_records)
{
    char *dir = scratch(), path[PATH_CAP];
    const char *cmd[] = { bin("mtrace-victim-fork"), NULL };
    record_kept(dir, cmd);
    pathf(path, sizeof path, "%s/default.rep", dir);
    trace_t r;
    read_rep(path, &r);
    size_t childs = count_ops(&r, OP_ALLOC, 222), parents = count_ops(&r, OP_ALLOC, 111);
    cr_assert_eq(childs, 50, "%zu child blocks, expected 50", childs);
    cr_assert_eq(parents, 0, "%zu parent blocks, expected 0", parents);
    trace_free(&r);
    rm_tree(dir);
}

Test(recorder, fork_pid_option_converts_the_parent)
{
    char *dir = scratch(), logs[4][PATH_CAP], out[PATH_CAP], pid[32];
    const char *cmd[] = { bin("mtrace-victim-fork"), NULL };
    record_kept(dir, cmd);
    long parent, child;
    fork_pids(dir, &parent, &child);
    cr_assert_eq(kept_logs(dir, logs, 4), 2, "expected 2 logs");
    pathf(out, sizeof out, "%s/parent.rep", dir);
    pathf(pid, sizeof pid, "%ld", parent);
    const char *argv[] = { bin("mtrace-rep"), "-p", pid, "-o", out, logs[0], logs[1], NULL };
    int rc = run(argv, NULL, NULL);
    cr_assert_eq(rc, 0, "mtrace-rep -p %s exited %d", pid, rc);
    trace_t r;
    read_rep(out, &r);
    size_t childs = count_ops(&r, OP_ALLOC, 222), parents = count_ops(&r, OP_ALLOC, 111);
    cr_assert_eq(parents, 10, "%zu parent blocks, expected 10", parents);
    cr_assert_eq(childs, 0, "%zu child blocks, expected 0", childs);
    trace_free(&r);
    rm_tree(dir);
}

Test(recorder, fork_child_frees_of_parent_blocks_are_dropped_as_unseen)
{
    char *dir = scratch(), logs[4][PATH_CAP];
    const char *cmd[] = { bin("mtrace-victim-fork"), NULL };
    record_kept(dir, cmd);
    long parent, child;
    fork_pids(dir, &parent, &child);
    cr_assert_eq(kept_logs(dir, logs, 4), 2, "expected 2 logs");
    struct mtlog_info i;
    trace_t r;
    struct convert_stats st = load_log(logs[0], &i, &r);
    if (i.header.pid != (uint64_t)child) {
        trace_free(&r);
        mtlog_info_free(&i);
        st = load_log(logs[1], &i, &r);
    }
    cr_assert_eq(i.header.pid, (uint64_t)child, "no log of the child %ld", child);
    cr_assert_eq(st.unseen_free, 10, "unseen frees %zu, expected 10", st.unseen_free);
    cr_assert(st.ended, "the child's log has no end mark");
    trace_free(&r);
    mtlog_info_free(&i);
    rm_tree(dir);
}

Test(recorder, child_ending_with__exit_is_logged_whole)
{
    char *dir = scratch(), logs[4][PATH_CAP];
    const char *cmd[] = { bin("mtrace-victim-fork"), "_exit", NULL };
    record_kept(dir, cmd);
    long parent, child;
    fork_pids(dir, &parent, &child);
    cr_assert_eq(kept_logs(dir, logs, 4), 2, "expected 2 logs");
    struct mtlog_info i;
    trace_t r;
    struct convert_stats st = load_log(logs[0], &i, &r);
    if (i.header.pid != (uint64_t)child) {
        trace_free(&r);
        mtlog_info_free(&i);
        st = load_log(logs[1], &i, &r);
    }
    size_t blocks = count_ops(&r, OP_ALLOC, 222);
    cr_assert_eq(blocks, 50, "%zu child blocks, expected 50", blocks);
    cr_assert(st.ended, "the log of a child that called _exit has no end mark");
    trace_free(&r);
    mtlog_info_free(&i);
    rm_tree(dir);
}

Test(recorder, exec_gets_its_own_log_and_x_picks_the_program)
{
    char *dir = scratch(), out[PATH_CAP], script[PATH_CAP];
    pathf(out, sizeof out, "%s/exec.rep", dir);
    /* The shell allocates, then execs the victim in the same process. */
    pathf(script, sizeof script, "exec %s", bin("mtrace-victim-basic"));
    const char *argv[] = { bin("mtrace"), "-x", "mtrace-victim-basic", "-o", out, "--",
                           "/bin/sh", "-c", script, NULL };
    int rc = run(argv, NULL, NULL);
    cr_assert_eq(rc, 0, "mtrace exited %d", rc);
    trace_t r;
    read_rep(out, &r);
    expect_ops(&r, basic_trace, BASIC_OPS);
    trace_free(&r);
    rm_tree(dir);
}

/* The recorder runs inside other programs: libmtrace.so defines the calls
 * it wraps and nothing else; nothing of the converter or of the grader's
 * trace module, which mtrace and mtrace-rep link, may end up in it. */
Test(recorder, library_defines_only_the_calls_it_wraps)
{
    static const char *const wrapped[] = {
        "_Exit", "_exit", "aligned_alloc", "calloc", "execv", "execve", "execvp", "execvpe",
        "free", "malloc", "memalign", "posix_memalign", "pvalloc", "realloc", "valloc",
    };
    static const char *const linker[] = { "__bss_start", "_edata", "_end", "_init", "_fini" };
    enum { NWRAPPED = sizeof wrapped / sizeof wrapped[0] };
    char cmd[PATH_CAP], line[512], name[256];
    pathf(cmd, sizeof cmd, "nm -D --defined-only %s", bin("libmtrace.so"));
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "cannot run %s", cmd);
    bool seen[NWRAPPED] = { false };
    while (fgets(line, sizeof line, p)) {
        cr_assert_eq(sscanf(line, "%*s %*c %255s", name), 1, "nm printed '%s'", line);
        bool known = false;
        for (size_t i = 0; i < NWRAPPED; i++)
            if (strcmp(name, wrapped[i]) == 0)
                known = seen[i] = true;
        for (size_t i = 0; i < sizeof linker / sizeof linker[0]; i++)
            known = known || strcmp(name, linker[i]) == 0;
        cr_expect(known, "libmtrace.so defines %s, which it does not wrap", name);
    }
    int status = pclose(p);
    cr_assert_eq(status, 0, "%s exited with status %d", cmd, status);
    for (size_t i = 0; i < NWRAPPED; i++)
        cr_expect(seen[i], "libmtrace.so does not define %s", wrapped[i]);
}

/* --- The recorded traces the kit ships ------------------------------------ */

#define MIN_RECORDED_TRACES 6
#define MAX_TRACE_BYTES (3 << 20)
#define MIN_TRACE_OPS 20000
#define MAX_TRACE_OPS 160000 /* the 150000-op cap, then the closing frees */

static size_t recorded_traces(glob_t *g)
{
    int rc = glob(MTRACE_TRACEDIR "/rec-*.rep", 0, NULL, g);
    cr_assert(rc == 0 || rc == GLOB_NOMATCH, "glob failed");
    cr_assert_geq(g->gl_pathc, MIN_RECORDED_TRACES, "%zu traces match %s/rec-*.rep, expected %d",
                  g->gl_pathc, MTRACE_TRACEDIR, MIN_RECORDED_TRACES);
    return g->gl_pathc;
}

Test(traces, recorded_traces_are_balanced_rep_files)
{
    glob_t g;
    size_t n = recorded_traces(&g);
    for (size_t i = 0; i < n; i++) {
        trace_t r;
        read_rep(g.gl_pathv[i], &r);
        trace_free(&r);
    }
    globfree(&g);
}

Test(traces, recorded_traces_stay_within_their_size_limits)
{
    glob_t g;
    size_t n = recorded_traces(&g);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        trace_t r;
        cr_assert_eq(stat(g.gl_pathv[i], &st), 0, "cannot stat %s", g.gl_pathv[i]);
        cr_assert_lt(st.st_size, MAX_TRACE_BYTES, "%s: %lld bytes, limit %d", g.gl_pathv[i],
                     (long long)st.st_size, MAX_TRACE_BYTES);
        read_rep(g.gl_pathv[i], &r);
        cr_assert(r.num_ops >= MIN_TRACE_OPS && r.num_ops <= MAX_TRACE_OPS,
                  "%s: %zu ops, expected %d to %d", g.gl_pathv[i], r.num_ops, MIN_TRACE_OPS,
                  MAX_TRACE_OPS);
        trace_free(&r);
    }
    globfree(&g);
}
