/*
 * test_grade_cli.c - grade as a TA runs it, with the kit's own policy and
 * traces: the reference scores full marks and the skeleton zero, on a
 * directory and on archives, in the report, in results.json (checked
 * against Gradescope's schema) and in the Autolab line; and grade's
 * command line refuses what it cannot do, with a message.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gradetest.h"

TestSuite(grade_cli, .timeout = 300);

/* A copy of an implementation (solution, handout) as a submission. */
static const char *implementation(gt_t *g, const char *impl, const char *as)
{
    static char path[600];
    char cmd[4096];
    snprintf(path, sizeof path, "%s/subs/%s", g->dir, as);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/malloc %s/vm && cp %s/%s/malloc/mm.c %s/%s/malloc/mminline.h %s/malloc"
             " && cp %s/%s/vm/*.c %s/vm",
             path, path, KIT_ROOT, impl, KIT_ROOT, impl, path, KIT_ROOT, impl, path);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    return path;
}

/* packed - the folder sub as an archive (tar.gz or zip) beside it. */
static const char *packed(gt_t *g, const char *sub, const char *name, const char *kind)
{
    static char path[600];
    char cmd[4096];
    snprintf(path, sizeof path, "%s/%s.%s", g->dir, name, kind);
    if (!strcmp(kind, "zip"))
        snprintf(cmd, sizeof cmd, "cd %s && zip -qr %s malloc vm", sub, path);
    else
        snprintf(cmd, sizeof cmd, "tar czf %s -C %s malloc vm", path, sub);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    return path;
}

/* grade_kit - grade with the kit's policy and traces (not the tests'). */
static void grade_kit(gt_t *g, const char *sub, const char *extra)
{
    char json[600], out[600], cmd[2400];
    snprintf(json, sizeof json, "%s/results.json", g->dir);
    snprintf(out, sizeof out, "%s/grade.out", g->dir);
    snprintf(cmd, sizeof cmd, "NO_COLOR= %s/grade --json %s --work %s/work %s %s >%s 2>&1",
             GRADE_BIN, json, g->dir, extra, sub, out);
    g->status = WEXITSTATUS(system(cmd));
    FILE *f = fopen(out, "r");
    free(g->out);
    g->out = NULL;
    size_t n = 0;
    if (f) {
        if (getdelim(&g->out, &n, '\0', f) < 0) {
            free(g->out);
            g->out = strdup("");
        }
        fclose(f);
    }
    f = fopen(json, "r");
    char *text = NULL;
    n = 0;
    if (f) {
        if (getdelim(&text, &n, '\0', f) < 0)
            text[0] = '\0';
        fclose(f);
    }
    cJSON_Delete(g->results);
    g->results = text ? cJSON_Parse(text) : NULL;
    free(text);
    cr_assert_not_null(g->results, "no results.json (exit %d):\n%s", g->status, g->out);
}

static bool is_number(const cJSON *o, const char *key)
{
    return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, key));
}

static bool is_string(const cJSON *o, const char *key)
{
    return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* expect_gradescope - results.json has what Gradescope's autograder
 * schema requires, with the types it requires, and adds up. */
static void expect_gradescope(const gt_t *g)
{
    const cJSON *r = g->results;
    cr_assert(is_number(r, "score"), "score is not a number");
    cr_assert(is_number(r, "execution_time"), "execution_time is not a number");
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(r, "tests");
    cr_assert(cJSON_IsArray(tests), "tests is not an array");
    double sum = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests)
    {
        cr_assert(cJSON_IsObject(t));
        cr_assert(is_string(t, "name"), "a test without a name");
        cr_assert(is_number(t, "score") && is_number(t, "max_score"), "a test without scores");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(t, "status");
        cr_assert(cJSON_IsString(status) && (!strcmp(status->valuestring, "passed") ||
                                             !strcmp(status->valuestring, "failed")),
                  "status is not passed or failed");
        cr_assert(is_string(t, "output"), "a test without output");
        const cJSON *vis = cJSON_GetObjectItemCaseSensitive(t, "visibility");
        cr_assert(cJSON_IsString(vis) && (!strcmp(vis->valuestring, "visible") ||
                                          !strcmp(vis->valuestring, "hidden") ||
                                          !strcmp(vis->valuestring, "after_due_date") ||
                                          !strcmp(vis->valuestring, "after_published")),
                  "visibility is not one of Gradescope's");
        sum += cJSON_GetObjectItemCaseSensitive(t, "score")->valuedouble;
    }
    cr_assert_float_eq(sum, cJSON_GetObjectItemCaseSensitive(r, "score")->valuedouble, 1e-6,
                       "the tests' scores do not add up to the score");
}

/* last_line - the last non-empty line of text (into buf). */
static const char *last_line(const char *text, char *buf, size_t n)
{
    const char *end = text + strlen(text);
    while (end > text && end[-1] == '\n')
        end--;
    const char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(buf, n, "%.*s", (int)(end - start), start);
    return buf;
}

Test(grade_cli, the_reference_scores_full_marks_on_both_labs)
{
    gt_t g;
    gt_begin(&g, false);
    grade_kit(&g, implementation(&g, "solution", "reference"), "--autolab");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_float_eq(gt_score(&g), 200.0, 1e-6, "%s", g.out);
    cr_assert(strstr(g.out, "Score: 200.0/200\n"), "%s", g.out);
    expect_gradescope(&g);
    char line[4096];
    cJSON *autolab = cJSON_Parse(last_line(g.out, line, sizeof line));
    cr_assert_not_null(autolab, "the last line is not JSON: %s", line);
    const cJSON *scores = cJSON_GetObjectItemCaseSensitive(autolab, "scores");
    double sum = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, scores) sum += v->valuedouble;
    cr_assert_float_eq(sum, 200.0, 1e-6, "%s", line);
    cr_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(autolab, "scoreboard")));
    cJSON_Delete(autolab);
    gt_done(&g);
}

Test(grade_cli, the_skeleton_as_a_tarball_scores_zero)
{
    gt_t g;
    gt_begin(&g, false);
    const char *skel = implementation(&g, "handout", "skeleton");
    grade_kit(&g, packed(&g, skel, "skeleton", "tar.gz"), "");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_float_eq(gt_score(&g), 0.0, 1e-6, "%s", g.out);
    cr_assert(strstr(g.out, "Score: 0.0/200\n"), "%s", g.out);
    cr_assert(strstr(g.out, "mm_init is not implemented yet"), "%s", g.out);
    cr_assert_eq(gt_count(&g, "ok"), 0);
    expect_gradescope(&g);
    gt_done(&g);
}

Test(grade_cli, the_skeletons_tests_fail_as_not_implemented_not_as_crashes)
{
    gt_t g;
    gt_begin(&g, false);
    grade_kit(&g, implementation(&g, "handout", "skeleton"), "-v --lab malloc");
    int tests = 0;
    const char *mark = "\n    \u2717 test ";
    for (const char *l = strstr(g.out, mark); l; l = strstr(l + 1, mark)) {
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(l + 1, "\n"), l + 1);
        cr_expect(strstr(line, "is not implemented yet"), "%s", line);
        cr_expect(!strstr(line, "crash"), "%s", line);
        tests++;
    }
    cr_assert_gt(tests, 10, "%s", g.out);
    gt_done(&g);
}

Test(grade_cli, the_reference_as_a_zip_scores_full_marks_on_the_vm_lab)
{
    gt_t g;
    gt_begin(&g, false);
    const char *ref = implementation(&g, "solution", "reference");
    grade_kit(&g, packed(&g, ref, "reference", "zip"), "--lab vm");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_float_eq(gt_score(&g), 100.0, 1e-6, "%s", g.out);
    expect_gradescope(&g);
    gt_done(&g);
}

Test(grade_cli, a_report_to_a_pipe_has_no_colour)
{
    gt_t g;
    gt_begin(&g, false);
    grade_kit(&g, implementation(&g, "handout", "skeleton"), "--lab vm");
    cr_assert_null(strchr(g.out, '\033'), "%s", g.out);
    gt_done(&g);
}

/* run - grade with args, its exit status; its output into *out. */
static int run(const char *args, char **out)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s/grade %s 2>&1", GRADE_BIN, args);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    *out = NULL;
    if (getdelim(out, &n, '\0', p) < 0) {
        free(*out);
        *out = strdup("");
    }
    return WEXITSTATUS(pclose(p));
}

Test(grade_cli, no_submission_is_a_usage_error)
{
    char *out;
    cr_assert_eq(run("", &out), 2);
    cr_assert(strstr(out, "no submission given") && strstr(out, "usage: grade"), "%s", out);
    free(out);
}

Test(grade_cli, an_unknown_lab_is_a_usage_error)
{
    char *out;
    cr_assert_eq(run("--lab fs /tmp", &out), 2);
    cr_assert(strstr(out, "--lab fs: expected malloc or vm"), "%s", out);
    free(out);
}

Test(grade_cli, a_missing_submission_is_named)
{
    char *out;
    cr_assert_eq(run("--lab malloc /nonexistent/student", &out), 1);
    cr_assert(strstr(out, "/nonexistent/student: No such file or directory"), "%s", out);
    free(out);
}

Test(grade_cli, a_file_that_is_not_an_archive_is_refused)
{
    char *out;
    cr_assert_eq(run("--lab malloc " KIT_ROOT "/README.md", &out), 1);
    cr_assert(strstr(out, "neither a folder nor an archive"), "%s", out);
    free(out);
}

Test(grade_cli, a_bad_policy_line_is_named_with_its_file_and_line)
{
    char path[] = "/tmp/memlabs-policy-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    dprintf(fd, "[part vm.A]\npoints = many\n");
    close(fd);
    char args[256], *out;
    snprintf(args, sizeof args, "-P %s --lab malloc /tmp", path);
    cr_assert_eq(run(args, &out), 2);
    char want[128];
    snprintf(want, sizeof want, "%s:2: points: expected a number", path);
    cr_assert(strstr(out, want), "%s", out);
    free(out);
    remove(path);
}

Test(grade_cli, a_misspelt_part_in_a_course_policy_is_an_error)
{
    char path[] = "/tmp/memlabs-policy-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    dprintf(fd, "[part vm.b]\npoints = 50\n");
    close(fd);
    char args[256], *out;
    snprintf(args, sizeof args, "-P %s --lab malloc /tmp", path);
    cr_assert_eq(run(args, &out), 2);
    cr_assert(strstr(out, "[part vm.b] is not a part of the kit's policy"), "%s", out);
    cr_assert(strstr(out, "vm.B"), "%s", out);
    free(out);
    remove(path);
}

Test(grade_cli, autolab_grades_one_submission_at_a_time)
{
    char *out;
    cr_assert_eq(run("--autolab " KIT_ROOT "/solution " KIT_ROOT "/handout", &out), 2);
    cr_assert(strstr(out, "--autolab grades one submission"), "%s", out);
    free(out);
}

/* A class: one student's folder, another's archive, and a file that is
 * neither (named, and the exit status says a submission was not read). */
Test(grade_cli, a_class_folder_gets_a_csv_row_per_student)
{
    gt_t g;
    gt_begin(&g, false);
    implementation(&g, "handout", "ann");
    const char *bob = implementation(&g, "handout", "bob");
    char csv[600], args[1600], cmd[1600], *out;
    snprintf(cmd, sizeof cmd, "cd %s/.. && tar czf bob.tar.gz -C bob malloc vm && rm -r bob && "
             "echo hello > notes.txt", bob);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(csv, sizeof csv, "%s/class.csv", g.dir);
    snprintf(args, sizeof args, "--lab vm --csv %s --work %s/work %s/subs", csv, g.dir, g.dir);
    cr_assert_eq(run(args, &out), 1, "%s", out);
    cr_assert(strstr(out, "subs/notes.txt: neither a folder nor an archive"), "%s", out);
    free(out);
    FILE *f = fopen(csv, "r");
    cr_assert_not_null(f);
    char line[4096];
    int rows = 0;
    cr_assert_not_null(fgets(line, sizeof line, f));
    cr_assert(!strncmp(line, "student,source,score,max_score,vm.A,vm.B,vm.C,", 45), "%s", line);
    cr_assert(strstr(line, ",problem,"), "%s", line);
    while (fgets(line, sizeof line, f)) {
        rows++;
        cr_assert(!strncmp(line, rows == 1 ? "ann," : "bob,", 4), "%s", line);
    }
    fclose(f);
    cr_assert_eq(rows, 2);
    gt_done(&g);
}

Test(grade_cli, hidden_tests_and_scenarios_count_without_their_contents)
{
    gt_t g;
    gt_begin(&g, false);
    char hidden[600], cmd[4096];
    snprintf(hidden, sizeof hidden, "%s/hidden", g.dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/vm %s/tests/vm && cp %s/traces/vm/walk.vmsh %s/vm/a-secret.vmsh && "
             "cp %s/traces/vm/walk.out %s/vm/a-secret.out && "
             "printf '#include <criterion/criterion.h>\\n"
             "Test(partA, secret_truth) { cr_assert(1); }\\n"
             "Test(partA, secret_failure) { cr_assert(0, \"the secret is 42\"); }\\n' "
             "> %s/tests/vm/test_secret.c",
             hidden, hidden, KIT_ROOT, hidden, KIT_ROOT, hidden, hidden);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    char extra[800];
    snprintf(extra, sizeof extra, "--lab vm --hidden %s", hidden);
    grade_kit(&g, implementation(&g, "solution", "reference"), extra);
    cr_assert_eq(g.status, 0, "%s", g.out);
    const char *v = gt_verdict(&g, "hidden scenario 1");
    cr_assert(v && !strcmp(v, "ok"), "hidden scenario 1: %s\n%s", v ? v : "(none)", g.out);
    int ok = 0, wrong = 0;
    for (int i = 1; i <= 2; i++) {
        char name[64];
        snprintf(name, sizeof name, "hidden test %d", i);
        v = gt_verdict(&g, name);
        cr_assert_not_null(v, "no %s:\n%s", name, g.out);
        ok += !strcmp(v, "ok");
        wrong += !strcmp(v, "wrong");
        cr_assert_str_empty(gt_message(&g, name));
    }
    cr_assert(ok == 1 && wrong == 1, "%s", g.out);
    /* Part A counts them: one failure in it. */
    cr_assert_lt(gt_part(&g, "vm.A"), 30.0);
    cr_assert_gt(gt_part(&g, "vm.A"), 29.0);
    char *json = cJSON_Print(g.results);
    cr_assert(!strstr(g.out, "secret") && !strstr(json, "secret"),
              "a hidden name or message shows:\n%s", g.out);
    free(json);
    gt_done(&g);
}
