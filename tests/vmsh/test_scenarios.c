/*
 * test_scenarios.c - the golden scenarios: each traces/vm/NAME.vmsh, run
 * as vmsh -f NAME.vmsh in traces/vm, must print exactly NAME.out (standard
 * output and error in one stream, in order), which the reference made
 * (make vmsh-golden). One test per scenario, named for it; the list is
 * generated from the directory (mk/vmsh.mk). A scenario that runs past
 * VMSH_RUN_DEADLINE (a student function that loops) is killed, and the
 * test says which command of the script was running.
 *
 * A scenario says on its "# parts:" line which parts of the lab it needs
 * (A, B, C, or none): most need more than the part they are named for (a
 * touch needs the fault handler, a killed process munmap). One that stops
 * at a function not implemented yet says so, and which part that is, and
 * the run ends with the results by the parts the scenarios need, so a
 * student who has done part A alone sees which scenarios wait for the rest.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transcript.h"
#include "vmshtest.h"

#define SCENARIO_DIR KIT_ROOT "/traces/vm"

TestSuite(scenario, .timeout = VMSH_TEST_TIMEOUT);

/* The scenarios: test names (ids) and script names. */
static const struct {
    const char *id, *name;
} scenarios[] = {
#define SCENARIO(id, name) { #id, name },
#include "scenarios.h"
#undef SCENARIO
};

/* The parts named by the "# parts:" line of name's script, as letters
 * ("AB"; "" for "none") into parts (4); false when it has no such line. */
static bool scenario_parts(const char *name, char *parts)
{
    char path[512];
    snprintf(path, sizeof path, SCENARIO_DIR "/%s.vmsh", name);
    char *text = vt_read_file(path);
    parts[0] = '\0';
    const char *line = text;
    while (line && *line && strncmp(line, "# parts:", 8) != 0) {
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    bool found = line && *line;
    if (found) {
        size_t n = 0;
        for (const char *c = line + 8; *c && *c != '\n' && n < 3; c++)
            if (*c >= 'A' && *c <= 'C' && !strchr(parts, *c)) {
                parts[n++] = *c;
                parts[n] = '\0';
            }
    }
    free(text);
    return found;
}

/* "part A", "parts A and B", "parts A, B and C", "no part (the framework
 * alone)", into buf. */
static const char *parts_text(const char *parts, char *buf, size_t n)
{
    size_t k = strlen(parts);
    if (k == 0)
        snprintf(buf, n, "no part (the framework alone)");
    else if (k == 1)
        snprintf(buf, n, "part %c", parts[0]);
    else if (k == 2)
        snprintf(buf, n, "parts %c and %c", parts[0], parts[1]);
    else
        snprintf(buf, n, "parts %c, %c and %c", parts[0], parts[1], parts[2]);
    return buf;
}

/* The part of the student file at path ("vm/fault.c": 'B'), or '?'. */
static char part_of(const char *path, size_t len)
{
    static const struct {
        const char *file;
        char part;
    } files[] = {
        { "vm/mmu.c", 'A' }, { "vm/tlb.c", 'A' },
        { "vm/fault.c", 'B' }, { "vm/clock.c", 'B' }, { "vm/pageout.c", 'B' },
        { "vm/mmap.c", 'C' }, { "vm/cow.c", 'C' }, { "vm/fork.c", 'C' },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strlen(files[i].file) == len && strncmp(path, files[i].file, len) == 0)
            return files[i].part;
    return '?';
}

/* The first "vm/FILE.c:LINE: FUNC is not implemented yet" of a transcript,
 * into where (n bytes); its part, or 0 when there is none. */
static char not_implemented(const char *out, char *where, size_t n)
{
    const char *end = strstr(out, " is not implemented yet");
    if (!end)
        return 0;
    const char *start = end;
    while (start > out && start[-1] != '\n')
        start--;
    const char *path = strstr(start, "vm/");
    if (!path || path > end)
        return 0;
    snprintf(where, n, "%.*s", (int)(end - path), path);
    const char *dot_c = strstr(path, ".c:");
    return dot_c && dot_c < end ? part_of(path, (size_t)(dot_c + 2 - path)) : '?';
}

static void check_scenario(const char *name)
{
    char script[256], golden[512];
    snprintf(script, sizeof script, "%s.vmsh", name);
    snprintf(golden, sizeof golden, SCENARIO_DIR "/%s.out", name);
    char *expected = vt_read_file(golden);
    cr_assert_not_null(expected, "no golden transcript %s (make vmsh-golden makes it "
                       "from the reference)", golden);
    const char *args[] = { "-f", script, NULL };
    struct vmsh_run r = vmsh_run(vmsh_path(), args, NULL, SCENARIO_DIR, true,
                                 VMSH_RUN_DEADLINE);
    if (r.timed_out) {
        char path[512], why[1200];
        snprintf(path, sizeof path, SCENARIO_DIR "/%s", script);
        vmsh_timeout_text(&r, path, why, sizeof why);
        free(expected);
        vmsh_run_free(&r);
        cr_assert_fail("traces/vm/%s: %s", script, why);
    }
    char want[512], got[512], where[256], parts[4], ptext[64];
    int line = transcript_diff(expected, r.out, want, got, sizeof want);
    int status = r.status;
    char missing = line ? not_implemented(r.out, where, sizeof where) : 0;
    free(expected);
    vmsh_run_free(&r);
    bool stated = scenario_parts(name, parts);
    parts_text(parts, ptext, sizeof ptext);
    /* The marker "(part X)" after "not implemented yet" is what the
     * summary by parts (below) reads. */
    if (missing && stated && strchr(parts, missing))
        cr_assert_fail("traces/vm/%s.vmsh needs %s of the lab (its # parts: line), and it "
                       "reached %s, which is not implemented yet (part %c). It can pass once "
                       "%s %s done; until then its failure says nothing about the rest of "
                       "your work.", name, ptext, where, missing, ptext,
                       strlen(parts) == 1 ? "is" : "are");
    /* A function of a part the scenario does not need: the parts it needs
     * went another way than the reference's (a translation that faulted,
     * say), which the difference shows. */
    if (missing && stated)
        cr_assert_fail("traces/vm/%s.vmsh needs %s of the lab only, yet it reached %s "
                       "(part %c): your %s did something the reference's does not. The "
                       "transcript differs from %s.out at line %d:\n  expected: %s\n  "
                       "got:      %s\n(to see it all: cd %s && %s -f %s.vmsh 2>&1 | diff "
                       "%s.out -)", name, ptext, where, missing, ptext, name, line, want, got,
                       SCENARIO_DIR, vmsh_path(), name, name);
    if (missing)
        cr_assert_fail("traces/vm/%s.vmsh reached %s, which is not implemented yet (part %c). "
                       "It can pass once part %c is done; until then its failure says nothing "
                       "about the rest of your work.", name, where, missing, missing);
    cr_assert_eq(line, 0, "traces/vm/%s.vmsh: the transcript differs from %s.out at "
                 "line %d:\n  expected: %s\n  got:      %s\n(to see it all: cd %s && %s "
                 "-f %s.vmsh 2>&1 | diff %s.out -)", name, name, line, want, got,
                 SCENARIO_DIR, vmsh_path(), name, name);
    cr_assert_eq(status, 0, "traces/vm/%s.vmsh: the transcript is right, but vmsh exited "
                 "with status %d, expected 0 (run it: cd %s && %s -f %s.vmsh)", name, status,
                 SCENARIO_DIR, vmsh_path(), name);
}

#define SCENARIO(id, name) Test(scenario, id) { check_scenario(name); }
#include "scenarios.h"

/* At the end of the run, in the runner: the results by the parts the
 * scenarios need, and how many of those that failed stopped at a function
 * not implemented yet (the marker of check_scenario's message). */
ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    /* Past the known groups: scenarios with no # parts: line, or an odd one. */
    static const char *const groups[] = { "", "A", "AB", "ABC" };
    enum { NGROUPS = sizeof groups / sizeof groups[0] };
    unsigned ran[NGROUPS + 1] = { 0 }, passed[NGROUPS + 1] = { 0 };
    unsigned stopped[NGROUPS + 1][3] = { { 0 } };
    for (struct criterion_suite_stats *ss = stats->suites; ss; ss = ss->next) {
        if (strcmp(ss->suite->name, "scenario") != 0)
            continue;
        for (struct criterion_test_stats *ts = ss->tests; ts; ts = ts->next) {
            if (ts->test_status == CR_STATUS_SKIPPED)
                continue;
            const char *name = NULL;
            for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
                if (strcmp(scenarios[i].id, ts->test->name) == 0)
                    name = scenarios[i].name;
            if (!name)
                continue;
            char parts[4];
            unsigned g = 0;
            if (scenario_parts(name, parts))
                while (g < NGROUPS && strcmp(groups[g], parts) != 0)
                    g++;
            else
                g = NGROUPS;
            ran[g]++;
            if (ts->test_status == CR_STATUS_PASSED) {
                passed[g]++;
                continue;
            }
            for (struct criterion_assert_stats *a = ts->asserts; a; a = a->next) {
                const char *m = a->message ? strstr(a->message, "not implemented yet (part ")
                                           : NULL;
                char part = m ? m[strlen("not implemented yet (part ")] : 0;
                if (part >= 'A' && part <= 'C') {
                    stopped[g][part - 'A']++;
                    break;
                }
            }
        }
    }
    unsigned total = 0;
    for (unsigned g = 0; g <= NGROUPS; g++)
        total += ran[g];
    if (total == 0)
        return;
    fprintf(stderr, "scenarios by the parts of the lab they need (their # parts: line):\n");
    for (unsigned g = 0; g <= NGROUPS; g++) {
        if (!ran[g])
            continue;
        char ptext[64];
        fprintf(stderr, "  %s: %u of %u passed",
                g < NGROUPS ? parts_text(groups[g], ptext, sizeof ptext)
                            : "parts not stated (no # parts: line)",
                passed[g], ran[g]);
        for (int p = 0; p < 3; p++)
            if (stopped[g][p])
                fprintf(stderr, "; %u stopped at part %c, not implemented yet", stopped[g][p],
                        'A' + p);
        fprintf(stderr, "\n");
    }
}
