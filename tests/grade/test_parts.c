/*
 * test_parts.c - the kit's policy puts each vm scenario in the grading part
 * of the last lab part it needs (its "# parts:" line), so a student with
 * part A done can pass every scenario of vm.A, and parts A and B every one
 * of vm.B.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

#define SCENARIOS KIT_ROOT "/traces/vm"

/* The last part letter of the "# parts:" line of scenario file path ('A'
 * .. 'C'), '-' for "none", 0 when the line is missing. */
static char last_part(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[256];
    char last = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "# parts:", 8)) {
            last = '-';
            for (const char *c = line + 8; *c; c++)
                if (*c >= 'A' && *c <= 'C')
                    last = *c;
            break;
        }
    fclose(f);
    return last;
}

Test(parts, each_scenario_counts_in_the_part_of_the_last_lab_part_it_needs)
{
    grade_policy_t gp;
    cr_assert_eq(grade_policy_load(&gp, KIT_ROOT "/grader/policy.ini", NULL, stderr), 0,
                 "the kit's policy does not load");
    DIR *d = opendir(SCENARIOS);
    cr_assert_not_null(d, "cannot read " SCENARIOS);
    unsigned seen = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".vmsh"))
            continue;
        char path[512], key[256];
        snprintf(path, sizeof path, SCENARIOS "/%s", e->d_name);
        snprintf(key, sizeof key, "%.*s", (int)(n - 5), e->d_name);
        char last = last_part(path);
        cr_expect_neq(last, 0, "%s has no # parts: line", e->d_name);
        check_t c = { .name = key, .key = key, .kind = CHECK_SCENARIO, .lab = LAB_VM,
                      .part = -1 };
        int i = part_of(&gp, &c);
        if (last == '-') {
            cr_expect_eq(i, -1, "%s needs no part of the lab, but counts in %s", key,
                         i >= 0 ? gp.parts[i].id : "");
        } else {
            char want[8];
            snprintf(want, sizeof want, "vm.%c", last);
            cr_expect(i >= 0 && !strcmp(gp.parts[i].id, want),
                      "%s needs part %c last, and counts in %s, not %s", key, last,
                      i >= 0 ? gp.parts[i].id : "no part", want);
        }
        seen++;
    }
    closedir(d);
    cr_expect_gt(seen, 20, "only %u scenarios found in " SCENARIOS, seen);
    grade_policy_free(&gp);
}
