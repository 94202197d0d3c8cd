/*
 * fuzz_policy.c - libFuzzer target: the grading policy's readers on any
 * bytes, read as a course's policy file: mdriver's (grader/policy.c) and
 * grade's (grader/grade/parts.c: the shipped grader/policy.ini first, the
 * input over it, as grade --policy FILE reads them).
 *
 * Both readers take a path (inih reads the file through a callback that
 * counts lines), so the input is written to a memory file whose
 * /proc/self/fd path they open. Besides what the sanitizers catch, each
 * input is held to what the readers promise:
 *   - every problem is one line of the report, starting with the file's
 *     path, and a policy without problems prints nothing;
 *   - a policy mdriver accepts makes an index from 0 to 100 of any figures.
 * A broken promise aborts with what was read and printed.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "parts.h"
#include "policy.h"

#define KIT_POLICY KIT_ROOT "/grader/policy.ini"

static void fail(const char *what, const char *printed)
{
    fprintf(stderr, "fuzz_policy: %s\n--- the reader printed:\n%s---\n", what,
            printed ? printed : "");
    abort();
}

/* input_path - the memory file holding data, as a path to open. */
static const char *input_path(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-policy.ini", 0);
        if (fd < 0)
            fail("memfd_create failed", NULL);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        fail("cannot write the input to the memory file", NULL);
    return path;
}

/* names - whether line starts with path and a colon. */
static bool names(const char *line, const char *path)
{
    return path && !strncmp(line, path, strlen(path)) && line[strlen(path)] == ':';
}

/* check_report - the report of problems problems: as many lines, each
 * starting with the path of the file it is about, path or kit (NULL: not
 * read) and a colon. */
static void check_report(const char *text, int problems, const char *path, const char *kit)
{
    int lines = 0;
    for (const char *p = text; *p; p = strchr(p, '\n') + 1) {
        if (!strchr(p, '\n'))
            fail("the report's last line has no newline", text);
        if (!names(p, path) && !names(p, kit))
            fail("a line of the report does not start with a file's path", text);
        lines++;
    }
    if (lines != problems)
        fail("the report is not one line per problem", text);
}

static void check_index(const policy_t *p, const char *printed)
{
    static const double figures[] = { 0, 0.5, 0.93, 1, 2, 1e9 };
    size_t n = sizeof figures / sizeof figures[0];
    for (size_t i = 0; i < n; i++) {
        double space, speed;
        double x = policy_perfidx(p, figures[i], figures[n - 1 - i], &space, &speed);
        if (!isfinite(x) || x < 0 || x > 100 + 1e-9 || space < 0 || speed < 0)
            fail("an accepted policy makes an index outside 0..100", printed);
    }
}

static void fuzz_mdriver(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);
    policy_t p = policy_default();
    int problems = policy_load(path, &p, err);
    fclose(err);
    check_report(text, problems, path, NULL);
    if (problems == 0)
        check_index(&p, text);
    free(text);
}

/* Looks up a check of each kind in gp's parts, as scoring does. */
static void use_parts(const grade_policy_t *gp)
{
    check_t checks[] = {
        { .key = "gen-random", .kind = CHECK_TRACE, .lab = LAB_MALLOC },
        { .key = "partA/tlb_hit", .kind = CHECK_TEST, .lab = LAB_VM },
        { .key = "walk", .kind = CHECK_SCENARIO, .lab = LAB_VM },
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        part_of(gp, &checks[i]);
    const char *patterns[16];
    parts_test_patterns(gp, LAB_VM, patterns, 16);
    parts_free(parts_copy(gp), gp->nparts);
}

static void fuzz_grade(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);
    grade_policy_t gp;
    int problems = grade_policy_load(&gp, KIT_POLICY, path, err);
    fclose(err);
    check_report(text, problems, path, KIT_POLICY);
    use_parts(&gp);
    grade_policy_free(&gp);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = input_path(data, size);
    fuzz_mdriver(path);
    fuzz_grade(path);
    return 0;
}
