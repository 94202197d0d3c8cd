/*
 * test_readme.c - the mdriver table in README.md is what mdriver prints:
 * every row shown there has the utilization, bound and op count of a real
 * run over the shipped traces, and the summary line's space figures match.
 * (Seconds, Kops and ratios depend on the machine and are not compared.)
 *
 * The run uses the allocator mdriver was built with; the README shows the
 * reference, so this test expects IMPL=solution.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "grader_test.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

/* mdriver over every shipped trace takes seconds: the deadline catches a
 * hang, not a slow machine (two of these run at once beside other tests). */
TestSuite(readme, .timeout = TIMEOUT(60));

/* mdriver_output - stdout of mdriver --no-timing over the shipped traces.
 * Under Valgrind the test is skipped: make memcheck runs that same mdriver
 * command itself, and twice would double its time. */
static char *mdriver_output(void)
{
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("make memcheck runs mdriver over the shipped traces itself");
    char self[4096], cmd[8400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(gt(sz, (size_t)(n + 1), 1));
    self[n] = '\0';
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/mdriver' --no-timing 2>/dev/null", KIT_ROOT,
             dirname(self));
    FILE *p = popen(cmd, "r");
    cr_assert(ne(ptr, p, NULL));
    char *text = NULL;
    size_t cap = 0;
    cr_assert(ge(sz, (size_t)getdelim(&text, &cap, '\0', p) + 1, 0));
    pclose(p);
    return text;
}

/* row_of - the line of text starting with name followed by a space. */
static const char *row_of(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, name, len) == 0 && l[len] == ' ')
            return l;
    return NULL;
}

Test(readme, table_rows_match_a_real_run)
{
    char *readme = read_file(KIT_ROOT "/README.md");
    char *out = mdriver_output();
    int rows = 0;
    for (char *l = strstr(readme, "\n    trace "); l && (l = strchr(l + 1, '\n'));) {
        char name[128], valid[16], util[16], bound[16], share[16];
        unsigned long ops;
        if (sscanf(l, " %127s %15s %15s %15s %15s %lu", name, valid, util, bound, share, &ops) != 6 ||
            !strstr(name, ".rep"))
            break;
        const char *real = row_of(out, name);
        cr_assert(ne(ptr, (void *)real, NULL), "README shows %s, mdriver has no such row", name);
        char rname[128], rvalid[16], rutil[16], rbound[16], rshare[16];
        unsigned long rops;
        cr_assert(eq(int, sscanf(real, "%127s %15s %15s %15s %15s %lu", rname, rvalid, rutil, rbound,
                                 rshare, &rops), 6));
        cr_expect(eq(str, util, rutil), "%s: README util %s, mdriver %s", name, util, rutil);
        cr_expect(eq(str, bound, rbound), "%s: README bound %s, mdriver %s", name, bound, rbound);
        cr_expect(eq(str, share, rshare), "%s: README vs bound %s, mdriver %s", name, share, rshare);
        cr_expect(eq(ulong, ops, rops), "%s: README ops %lu, mdriver %lu", name, ops, rops);
        rows++;
    }
    cr_expect(gt(int, rows, 0), "no mdriver table found in README.md");
    free(readme);
    free(out);
}

Test(readme, summary_space_figures_match_a_real_run)
{
    char *readme = read_file(KIT_ROOT "/README.md");
    char *out = mdriver_output();
    const char *shown = strstr(readme, "mdriver: ");
    const char *real = strstr(out, "mdriver: ");
    cr_assert(ne(ptr, (void *)shown, NULL), "no summary line in README.md");
    cr_assert(ne(ptr, (void *)real, NULL), "no summary line from mdriver:\n%s", out);
    /* "mdriver: 20 of 20 traces valid; util 91.4% (93.9% of the layout bound)" */
    size_t len = strstr(shown, "bound)") - shown;
    cr_expect(eq(int, strncmp(shown, real, len), 0), "README: %.*s\nmdriver: %.*s", (int)len,
              shown, (int)len, real);
    free(readme);
    free(out);
}
