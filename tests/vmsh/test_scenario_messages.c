/*
 * test_scenario_messages.c - what a student reads when a golden scenario
 * fails (test_vmsh_scenarios): which parts of the lab a scenario needs and
 * which part it stopped at, the results by the parts the scenarios need,
 * and a command that shows the whole difference, with the vmsh that ran.
 *
 * The scenario test runs the vmsh beside it: a copy of it beside a shell
 * script named vmsh plays a submission, whatever the kit's own files are.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmshtest.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

static char dir[256];

static void setup(void)
{
    vt_temp_dir(dir, sizeof dir);
}

static void teardown(void)
{
    vt_remove_dir(dir);
}

TestSuite(scenario_messages, .init = setup, .fini = teardown, .timeout = VMSH_TEST_TIMEOUT);

/* In dir, a copy of test_vmsh_scenarios beside a vmsh that is the shell
 * script body (run as vmsh -f NAME.vmsh in traces/vm); runs the copy on the
 * scenarios that filter selects. Its output; free with vmsh_run_free. */
static struct vmsh_run scenarios_with(const char *body, const char *filter)
{
    char path[512], cmd[1400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/'", vt_program("test_vmsh_scenarios"), dir);
    cr_assert_eq(system(cmd), 0, "%s failed", cmd);
    char script[1024];
    snprintf(script, sizeof script, "#!/bin/sh\n%s\n", body);
    vt_write_file(dir, "vmsh", script, path, sizeof path);
    cr_assert_eq(chmod(path, 0755), 0, "chmod %s failed", path);
    char prog[300];
    snprintf(prog, sizeof prog, "%s/test_vmsh_scenarios", dir);
    /* Not this runner's environment: Criterion's worker processes are told
     * apart by variables a nested runner would inherit. */
    const char *args[] = { "-i", "PATH=/usr/bin:/bin", prog, "--short-filename", "--filter",
                           filter, NULL };
    return vmsh_run("/usr/bin/env", args, NULL, NULL, true, VMSH_RUN_DEADLINE);
}

/* What vmsh prints when a script reaches the skeleton's fault handler. */
#define NO_FAULT_HANDLER                                                     \
    "echo \"$2:7: vm/fault.c:29: fault_handle is not implemented yet; the machine is "   \
    "rebuilt from its configuration (processes, files and statistics start over)\" >&2"

Test(scenario_messages, a_scenario_stopped_by_a_part_not_done_names_the_parts_it_needs)
{
    struct vmsh_run r = scenarios_with(NO_FAULT_HANDLER, "scenario/walk");
    cr_assert_neq(r.status, 0, "the scenario passed:\n%s", r.out);
    cr_expect(strstr(r.out, "traces/vm/walk.vmsh needs parts A and B of the lab") != NULL,
              "the message does not say which parts walk.vmsh needs:\n%s", r.out);
    cr_expect(strstr(r.out, "it reached vm/fault.c:29: fault_handle, which is not implemented "
                            "yet (part B)") != NULL,
              "the message does not say which part the scenario stopped at:\n%s", r.out);
    vmsh_run_free(&r);
}

Test(scenario_messages, a_part_a_scenario_that_reaches_part_b_blames_part_a_not_part_b)
{
    struct vmsh_run r = scenarios_with(NO_FAULT_HANDLER, "scenario/a_tlb");
    cr_assert_neq(r.status, 0, "the scenario passed:\n%s", r.out);
    cr_expect(strstr(r.out, "traces/vm/a-tlb.vmsh needs part A of the lab only, yet it "
                            "reached vm/fault.c:29: fault_handle (part B): your part A did "
                            "something the reference's does not") != NULL,
              "the message does not point at part A:\n%s", r.out);
    cr_expect(strstr(r.out, "part A: 0 of 1 passed\n") != NULL,
              "the summary counts it as stopped at part B:\n%s", r.out);
    vmsh_run_free(&r);
}

Test(scenario_messages, the_run_ends_with_the_results_by_the_parts_scenarios_need)
{
    /* huge-pages needs part A alone: its golden transcript passes it. */
    struct vmsh_run r = scenarios_with("if [ \"$2\" = huge-pages.vmsh ]; then cat huge-pages.out; "
                                       "else " NO_FAULT_HANDLER "; fi",
                                       "scenario/@(walk|huge_pages)");
    cr_assert_neq(r.status, 0, "both scenarios passed:\n%s", r.out);
    cr_expect(strstr(r.out, "scenarios by the parts of the lab they need (their # parts: line):\n"
                            "  part A: 1 of 1 passed\n"
                            "  parts A and B: 0 of 1 passed; 1 stopped at part B, not "
                            "implemented yet\n") != NULL,
              "no results by parts at the end:\n%s", r.out);
    vmsh_run_free(&r);
}

Test(scenario_messages, a_differing_transcript_names_the_vmsh_that_ran_it)
{
    struct vmsh_run r = scenarios_with("echo 'not the golden transcript'", "scenario/walk");
    cr_assert_neq(r.status, 0, "the scenario passed:\n%s", r.out);
    char want[1024];
    snprintf(want, sizeof want, "cd %s/traces/vm && %s/vmsh -f walk.vmsh 2>&1 | diff walk.out -",
             KIT_ROOT, dir);
    cr_expect(strstr(r.out, want) != NULL, "no command with this vmsh's path (%s) in:\n%s", want,
              r.out);
    cr_expect(strstr(r.out, "expected: ") != NULL && strstr(r.out, "got:      not the golden") != NULL,
              "the message does not say what was expected and what came:\n%s", r.out);
    vmsh_run_free(&r);
}
