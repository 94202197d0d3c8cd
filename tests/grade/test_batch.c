/*
 * test_batch.c - a class graded at once (grade -j N -o DIR): a result
 * per student in the folder and a summary at the end; a run stopped
 * anywhere (killed, interrupted) goes on where it stopped, with nothing
 * lost and nothing graded twice; a wedged submission costs the others
 * nothing. Submissions are the reference, the skeleton and the hostile
 * cases of tests/grade/hostile, graded with the quick policy.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "files.h"
#include "gradetest.h"

TestSuite(batch, .timeout = 600);

/* A copy of an implementation's malloc files as the submission subs/name. */
static void copy_of(gt_t *g, const char *impl, const char *name)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/subs/%s/malloc' && cp %s/%s/malloc/mm.c "
             "%s/%s/malloc/mminline.h '%s/subs/%s/malloc'",
             g->dir, name, KIT_ROOT, impl, KIT_ROOT, impl, g->dir, name);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* hostile - hostile case c as the submission subs/name. */
static void hostile(gt_t *g, const char *c, const char *name)
{
    const char *made = gt_case(g, c);
    if (!strcmp(c, name))
        return;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "mv '%s' '%s/subs/%s'", made, g->dir, name);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* start - grade (malloc lab, quick policy) on the class with extra
 * arguments; stdout and stderr into g->dir/grade.out. Its pid. */
static pid_t start(gt_t *g, const char *policy, const char *const *extra)
{
    char out[512], work[512], pol[512], subs[512], dir[512];
    snprintf(out, sizeof out, "%s/grade.out", g->dir);
    snprintf(work, sizeof work, "%s/work", g->dir);
    snprintf(pol, sizeof pol, KIT_ROOT "/tests/grade/%s", policy);
    snprintf(subs, sizeof subs, "%s/subs", g->dir);
    snprintf(dir, sizeof dir, "%s/out", g->dir);
    const char *argv[32] = { GRADE_BIN "/grade", "--lab", "malloc", "--work", work, "-P", pol,
                             "--traces", KIT_ROOT "/tests/grade/traces", "-o", dir };
    int n = 11;
    for (; extra && *extra && n < 30; extra++)
        argv[n++] = *extra;
    argv[n++] = subs;
    argv[n] = NULL;
    return gt_spawn(g, argv, out);
}

/* finish - wait for grade; its exit status (128 + signal when killed);
 * its output into g->out. */
static int finish(gt_t *g, pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    char out[512];
    snprintf(out, sizeof out, "%s/grade.out", g->dir);
    free(g->out);
    g->out = file_read(out, NULL);
    if (!g->out)
        g->out = strdup("");
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int grade_class(gt_t *g, const char *policy, const char *const *extra)
{
    return finish(g, start(g, policy, extra));
}

/* results - how many students' results.json the folder holds. */
static int results(gt_t *g, const char *const *names, int n)
{
    int got = 0;
    for (int i = 0; i < n; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/out/%s.json", g->dir, names[i]);
        got += access(path, F_OK) == 0;
    }
    return got;
}

/* wait_for - until at least k results are there (or grade ended). */
static void wait_for(gt_t *g, pid_t pid, const char *const *names, int n, int k)
{
    for (int tries = 0; tries < 6000 && results(g, names, n) < k; tries++) {
        int st;
        cr_assert_eq(waitpid(pid, &st, WNOHANG), 0, "grade ended before %d results", k);
        struct timespec nap = { 0, 50 * 1000 * 1000 };
        nanosleep(&nap, NULL);
    }
    cr_assert_geq(results(g, names, n), k);
}

/* result - the student's results.json, parsed (gt_t's readers then work). */
static void result(gt_t *g, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/out/%s.json", g->dir, name);
    char *text = file_read(path, NULL);
    cr_assert_not_null(text, "no %s:\n%s", path, g->out);
    cJSON_Delete(g->results);
    g->results = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(g->results, "%s is not JSON", path);
}

static char *file_of(gt_t *g, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/out/%s", g->dir, name);
    char *text = file_read(path, NULL);
    cr_assert_not_null(text, "no %s:\n%s", path, g->out);
    return text;
}

/* How many times text occurs in s. */
static int occurrences(const char *s, const char *text)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, text)); p += strlen(text))
        n++;
    return n;
}

Test(batch, every_student_gets_a_report_results_and_a_row_and_the_class_a_summary)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "solution", "ann");
    copy_of(&g, "handout", "bob");
    hostile(&g, "calls_malloc", "cy");
    const char *args[] = { "-j", "2", NULL };
    cr_assert_eq(grade_class(&g, "policy.ini", args), 0, "%s", g.out);
    const char *names[] = { "ann", "bob", "cy" };
    for (int i = 0; i < 3; i++) {
        char f[64];
        snprintf(f, sizeof f, "%s.txt", names[i]);
        char *report = file_of(&g, f);
        cr_assert(strstr(report, "Score: "), "%s", report);
        free(report);
        snprintf(f, sizeof f, "%s.csv", names[i]);
        char *row = file_of(&g, f);
        cr_assert_eq(occurrences(row, "\n"), 2, "header and row: %s", row);
        free(row);
    }
    result(&g, "ann");
    cr_assert_eq(gt_part(&g, "malloc.traces"), 20.0);
    result(&g, "bob");
    cr_assert_eq(gt_score(&g), 0.0);
    result(&g, "cy");
    cr_assert(gt_line(&g, "static_checks", "calls malloc"));
    char *csv = file_of(&g, "summary.csv");
    cr_assert(!strncmp(csv, "student,", 8), "%s", csv);
    cr_assert(strstr(csv, "\nann,") && strstr(csv, "\nbob,") && strstr(csv, "\ncy,"), "%s", csv);
    cr_assert_eq(occurrences(csv, "\n"), 4, "%s", csv);
    free(csv);
    char *md = file_of(&g, "summary.md");
    cr_assert(strstr(md, "3 of 3 submissions graded"), "%s", md);
    cr_assert(strstr(md, "| 0-9 % | 2 |"), "bob and cy score nothing:\n%s", md);
    cr_assert(strstr(md, "calls malloc"), "cy's refusal is among the failures:\n%s", md);
    cr_assert(strstr(g.out, "3 of 3 submissions graded"), "the summary on stdout:\n%s", g.out);
    free(md);
    gt_done(&g);
}

Test(batch, traces_that_all_fail_alike_are_one_failure_counted_once_per_student)
{
    gt_t g;
    gt_begin(&g, false);
    hostile(&g, "crash_init", "a1");
    hostile(&g, "crash_init", "a2");
    copy_of(&g, "solution", "ref");
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    char *md = file_of(&g, "summary.md");
    cr_assert(strstr(md, "| every trace: crash | 2 |"), "%s", md);
    cr_assert(!strstr(md, "trace random"), "not each trace again:\n%s", md);
    free(md);
    gt_done(&g);
}

Test(batch, without_a_results_folder_reports_come_in_the_order_of_the_class)
{
    gt_t g;
    gt_begin(&g, false);
    hostile(&g, "loop", "a-slow");   /* done last, printed first */
    copy_of(&g, "handout", "b-quick");
    copy_of(&g, "handout", "c-quick");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s/grade --lab malloc --work %s/work -P %s/tests/grade/policy.ini "
             "--traces %s/tests/grade/traces -j 2 %s/subs >%s/grade.out 2>&1", GRADE_BIN, g.dir,
             KIT_ROOT, KIT_ROOT, g.dir, g.dir);
    cr_assert_eq(WEXITSTATUS(system(cmd)), 0);
    snprintf(cmd, sizeof cmd, "%s/grade.out", g.dir);
    char *out = file_read(cmd, NULL);
    char *a = strstr(out, "== a-slow"), *b = strstr(out, "== b-quick"), *c = strstr(out, "== c-quick");
    cr_assert(a && b && c && a < b && b < c, "%s", out);
    cr_assert_eq(occurrences(out, "Score: "), 3, "%s", out);
    free(out);
    gt_done(&g);
}

Test(batch, an_interrupted_run_exits_130_keeps_its_results_and_goes_on_when_run_again)
{
    gt_t g;
    gt_begin(&g, false);
    const char *names[] = { "a", "b", "c", "d" };
    copy_of(&g, "handout", "a");
    hostile(&g, "loop", "b");
    hostile(&g, "loop", "c");
    copy_of(&g, "handout", "d");
    const char *one[] = { "-j", "1", NULL };
    pid_t pid = start(&g, "policy.ini", one);
    wait_for(&g, pid, names, 4, 1);
    kill(pid, SIGINT);
    cr_assert_eq(finish(&g, pid), 130, "%s", g.out);
    cr_assert(strstr(g.out, "interrupted"), "%s", g.out);
    int kept = results(&g, names, 4);
    cr_assert(kept >= 1 && kept < 4, "%d results", kept);
    cr_assert_eq(grade_class(&g, "policy.ini", one), 0, "%s", g.out);
    char said[64];
    snprintf(said, sizeof said, "%d of 4 already graded", kept);
    cr_assert(strstr(g.out, said), "%s", g.out);
    cr_assert_eq(results(&g, names, 4), 4);
    gt_done(&g);
}

Test(batch, a_wedged_submission_is_stopped_and_the_others_go_on)
{
    gt_t g;
    gt_begin(&g, false);
    hostile(&g, "loop", "stuck");
    copy_of(&g, "solution", "well");
    const char *args[] = { "-j", "2", NULL };
    cr_assert_eq(grade_class(&g, "policy-wedged.ini", args), 0, "%s", g.out);
    result(&g, "stuck");
    cr_assert_eq(gt_score(&g), 0.0);
    cr_assert(gt_line(&g, "intake", "grading stopped after"), "%s", g.out);
    result(&g, "well");
    cr_assert_eq(gt_part(&g, "malloc.traces"), 20.0, "%s", g.out);
    char *md = file_of(&g, "summary.md");
    cr_assert(strstr(md, "1 with a problem"), "%s", md);
    free(md);
    gt_done(&g);
}

Test(batch, a_looping_allocator_is_stopped_at_a_multiple_of_the_references_time_and_the_test_deadline)
{
    gt_t g;
    gt_begin(&g, false);
    hostile(&g, "loop", "stuck");
    copy_of(&g, "handout", "other");   /* a class, not one packed folder */
    cr_assert_eq(grade_class(&g, "policy-deadline.ini", NULL), 0, "%s", g.out);
    result(&g, "stuck");
    const char *msg = gt_message(&g, "trace random");
    const char *after = strstr(msg, "still running after ");
    cr_assert(after, "%s", msg);
    double secs = strtod(after + strlen("still running after "), NULL);
    cr_assert(secs >= 1 && secs < 30, "a deadline of %g s, not derived (timeout 30 s): %s", secs,
              msg);
    cr_assert(strstr(msg, "times the reference's replay of this trace"), "%s", msg);
    const char *test = "test mm_5_check_heap/check_heap_is_silent_on_good_heap";
    cr_assert_str_eq(gt_verdict(&g, test), "timeout", "%s", g.out);
    /* Under Valgrind grade stretches the deadline (by 40, and Criterion
     * keeps the suite's 5 s when that is shorter). */
    cr_assert(strstr(gt_message(&g, test), RUNNING_ON_VALGRIND ? "timed out after" : "after 1.0 s"),
              "%s", gt_message(&g, test));
    gt_done(&g);
}

/* On a terminal (script(1) gives grade one), a line that is rewritten. */
Test(batch, on_a_terminal_a_progress_line_says_how_many_are_done_and_who_is_graded)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    copy_of(&g, "handout", "b");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "script -qec '%s/grade --lab malloc --work %s/work -P "
             "%s/tests/grade/policy.ini --traces %s/tests/grade/traces -j 1 -o %s/out %s/subs' "
             "/dev/null >%s/grade.out 2>&1 </dev/null", GRADE_BIN, g.dir, KIT_ROOT, KIT_ROOT,
             g.dir, g.dir, g.dir);
    cr_assert_eq(WEXITSTATUS(system(cmd)), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s/grade.out", g.dir);
    char *out = file_read(cmd, NULL);
    cr_assert(strstr(out, "\r\033[Kgrade: 0/2 graded, 0 failed (grading a)"), "%s", out);
    cr_assert(strstr(out, "\r\033[Kgrade: 1/2 graded, 0 failed, about "), "%s", out);
    cr_assert(strstr(out, "2 of 2 submissions graded"), "%s", out);
    free(out);
    gt_done(&g);
}

Test(batch, force_grades_again_what_the_folder_holds)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    copy_of(&g, "handout", "b");
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    cr_assert(strstr(g.out, "2 of 2 already graded"), "%s", g.out);
    cr_assert_eq(occurrences(g.out, "] a: "), 0, "%s", g.out);
    const char *force[] = { "--force", NULL };
    cr_assert_eq(grade_class(&g, "policy.ini", force), 0, "%s", g.out);
    cr_assert(!strstr(g.out, "already graded"), "%s", g.out);
    cr_assert_eq(occurrences(g.out, "] a: "), 1, "%s", g.out);
    cr_assert_eq(occurrences(g.out, "] b: "), 1, "%s", g.out);
    gt_done(&g);
}

Test(batch, a_submission_changed_since_its_result_is_graded_again)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    copy_of(&g, "handout", "b");
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sleep 0.01; cp %s/solution/malloc/mm.c %s/solution/malloc/mminline.h "
             "%s/subs/b/malloc/", KIT_ROOT, KIT_ROOT, g.dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    cr_assert(strstr(g.out, "1 of 2 already graded"), "%s", g.out);
    cr_assert(strstr(g.out, "1 graded in"), "%s", g.out);
    cr_assert_eq(occurrences(g.out, "] b: "), 1, "%s", g.out);
    result(&g, "b");
    cr_assert_eq(gt_part(&g, "malloc.traces"), 20.0, "b's new files: %s", g.out);
    gt_done(&g);
}

Test(batch, a_result_made_under_another_policy_is_graded_again)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    copy_of(&g, "handout", "b");
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    cr_assert_eq(grade_class(&g, "policy-wedged.ini", NULL), 0, "%s", g.out);
    cr_assert(!strstr(g.out, "already graded"), "%s", g.out);
    cr_assert(strstr(g.out, "2 graded in"), "%s", g.out);
    gt_done(&g);
}

Test(batch, one_student_graded_again_alone_leaves_the_class_summary_whole)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    hostile(&g, "crash_init", "b");
    copy_of(&g, "handout", "c");
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    /* b alone, into the class's folder */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/grade --lab malloc --work %s/work -P %s/tests/grade/policy.ini "
             "--traces %s/tests/grade/traces --force -o %s/out %s/subs/b >%s/grade.out 2>&1",
             GRADE_BIN, g.dir, KIT_ROOT, KIT_ROOT, g.dir, g.dir, g.dir);
    cr_assert_eq(WEXITSTATUS(system(cmd)), 0, "%s", cmd);
    char *csv = file_of(&g, "summary.csv");
    cr_assert_eq(occurrences(csv, "\n"), 4, "the class's three rows:\n%s", csv);
    free(csv);
    char *md = file_of(&g, "summary.md");
    cr_assert(strstr(md, "3 of 3 submissions graded"), "%s", md);
    cr_assert(strstr(md, "## Submissions with a problem (1)") || strstr(md, "every trace: crash"),
              "%s", md);
    free(md);
    gt_done(&g);
}

Test(batch, a_results_folder_inside_the_class_folder_is_not_a_student)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    copy_of(&g, "handout", "b");
    char cmd[4096];
    for (int run = 0; run < 2; run++) {
        snprintf(cmd, sizeof cmd, "%s/grade --lab malloc --work %s/work -P "
                 "%s/tests/grade/policy.ini --traces %s/tests/grade/traces -o %s/subs/out "
                 "%s/subs >%s/grade.out 2>&1", GRADE_BIN, g.dir, KIT_ROOT, KIT_ROOT, g.dir,
                 g.dir, g.dir);
        cr_assert_eq(WEXITSTATUS(system(cmd)), 0, "%s", cmd);
    }
    snprintf(cmd, sizeof cmd, "%s/subs/out/out.json", g.dir);
    cr_assert_neq(access(cmd, F_OK), 0, "the results folder was graded as a student");
    snprintf(cmd, sizeof cmd, "%s/subs/out/summary.md", g.dir);
    char *md = file_read(cmd, NULL);
    cr_assert(md && strstr(md, "2 of 2 submissions graded"), "%s", md ? md : "");
    free(md);
    gt_done(&g);
}

Test(batch, students_whose_names_make_one_file_name_keep_both)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a b");
    copy_of(&g, "handout", "a_b");
    cr_assert_eq(grade_class(&g, "policy.ini", NULL), 0, "%s", g.out);
    const char *names[] = { "a_b", "a_b-2" };
    cr_assert_eq(results(&g, names, 2), 2, "%s", g.out);
    cr_assert(strstr(g.out, "another submission is named a_b: this one is a_b-2"), "%s", g.out);
    gt_done(&g);
}

Test(batch, a_number_of_jobs_that_is_not_one_is_a_usage_error)
{
    gt_t g;
    gt_begin(&g, false);
    copy_of(&g, "handout", "a");
    const char *args[] = { "-j", "0", NULL };
    cr_assert_eq(grade_class(&g, "policy.ini", args), 2, "%s", g.out);
    cr_assert(strstr(g.out, "-j 0: expected"), "%s", g.out);
    gt_done(&g);
}

/* The kind of each of the fifty, and what its result must be. */
typedef struct kind {
    const char *what;        /* "solution", "handout" or a hostile case */
    const char *verdict;     /* every trace's, or NULL: refused by a check */
    const char *says;        /* what the verdict's message or the check's line says */
} kind_t;

static const kind_t kinds[] = {
    { "solution", "ok", "" },
    { "handout", NULL, NULL },
    { "solution", "ok", "" },
    { "crash_init", "crash", "SIGSEGV" },
    { "calls_malloc", NULL, "calls malloc" },
    { "solution", "ok", "" },
    { "exit_mid", "exited early", "exit 0" },
    { "handout", NULL, NULL },
    { "solution", "ok", "" },
    { "global_heap", NULL, "over the budget" },
    { "flood", "output limit", "printed more than 64 KiB" },
    { "solution", "ok", "" },
    { "heap_bomb", "out of memory", "the heap reached its maximum" },
    { "timed_cheat", "wrong", "timed run" },
    { "solution", "ok", "" },
    { "handout", NULL, NULL },
    { "writes_files", "forbidden system call", "openat" },
    { "solution", "ok", "" },
    { "fork_bomb_hidden", "forbidden system call", "clone" },
    { "own_clock", NULL, "defines clock_gettime" },
    { "solution", "ok", "" },
    { "handout", NULL, NULL },
    { "kill_parent", "forbidden system call", "kill" },
    { "solution", "ok", "" },
    { "loop", "timeout", "stuck in one operation for 2 s" },
};

static void check_result(gt_t *g, const char *name, const kind_t *k)
{
    result(g, name);
    const char *traces[] = { "trace coalesce", "trace random", "trace realloc" };
    if (!strcmp(k->what, "handout")) {
        cr_assert_eq(gt_score(g), 0.0, "%s", name);
    } else if (!k->verdict) {
        cr_assert(gt_line(g, "static_checks", k->says), "%s: no check says %s", name, k->says);
        cr_assert_eq(gt_score(g), 0.0, "%s", name);
    } else {
        for (int t = 0; t < 3; t++) {
            const char *v = gt_verdict(g, traces[t]);
            cr_assert(v && !strcmp(v, k->verdict), "%s (%s): %s is %s, expected %s", name,
                      k->what, traces[t], v ? v : "(none)", k->verdict);
            cr_assert(strstr(gt_message(g, traces[t]), k->says), "%s: '%s' lacks '%s'", name,
                      gt_message(g, traces[t]), k->says);
        }
        if (!strcmp(k->verdict, "ok"))
            cr_assert_eq(gt_part(g, "malloc.traces"), 20.0, "%s", name);
        else
            cr_assert_eq(gt_score(g), 0.0, "%s", name);
    }
}

/* Fifty mixed submissions, the run killed (SIGKILL, no chance to tidy up)
 * when about half are graded, then started again: every result right,
 * the ones made before the kill untouched, each of the others graded
 * once. Under Valgrind this takes an hour: the smaller tests above run
 * the same code there. */
Test(batch, fifty_submissions_killed_halfway_finish_with_nothing_lost_or_graded_twice)
{
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("fifty gradings under Valgrind: the smaller batch tests cover this code");
    gt_t g;
    gt_begin(&g, false);
    enum { N = 50 };
    const size_t nk = sizeof kinds / sizeof kinds[0];
    char names[N][16];
    const char *list[N];
    for (int i = 0; i < N; i++) {
        const kind_t *k = &kinds[i % nk];
        snprintf(names[i], sizeof names[i], "s%02d", i);
        list[i] = names[i];
        if (!strcmp(k->what, "solution") || !strcmp(k->what, "handout"))
            copy_of(&g, k->what, names[i]);
        else
            hostile(&g, k->what, names[i]);
    }
    const char *two[] = { "-j", "2", NULL };
    pid_t pid = start(&g, "policy.ini", two);
    wait_for(&g, pid, list, N, N / 2);
    kill(pid, SIGKILL);
    cr_assert_eq(finish(&g, pid), 128 + SIGKILL);
    int kept = results(&g, list, N);
    cr_assert(kept >= N / 2 && kept < N, "%d results after the kill", kept);
    struct stat before[N];
    for (int i = 0; i < N; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/out/%.15s.json", g.dir, names[i]);
        if (stat(path, &before[i]) < 0)
            before[i].st_ino = 0;
    }
    cr_assert_eq(grade_class(&g, "policy.ini", two), 0, "%s", g.out);
    char said[64];
    snprintf(said, sizeof said, "%d of %d already graded", kept, N);
    cr_assert(strstr(g.out, said), "%s", g.out);
    for (int i = 0; i < N; i++) {
        char path[1024], graded[32];
        snprintf(path, sizeof path, "%s/out/%.15s.json", g.dir, names[i]);
        struct stat now;
        cr_assert_eq(stat(path, &now), 0, "%s lost", names[i]);
        snprintf(graded, sizeof graded, "] %s: ", names[i]);
        if (before[i].st_ino) {
            cr_assert(now.st_ino == before[i].st_ino &&
                      now.st_mtim.tv_nsec == before[i].st_mtim.tv_nsec &&
                      now.st_mtim.tv_sec == before[i].st_mtim.tv_sec,
                      "%s was graded again", names[i]);
            cr_assert_eq(occurrences(g.out, graded), 0, "%s:\n%s", names[i], g.out);
        } else {
            cr_assert_eq(occurrences(g.out, graded), 1, "%s:\n%s", names[i], g.out);
        }
        check_result(&g, names[i], &kinds[i % nk]);
    }
    char *md = file_of(&g, "summary.md");
    cr_assert(strstr(md, "50 of 50 submissions graded"), "%s", md);
    free(md);
    gt_done(&g);
}
