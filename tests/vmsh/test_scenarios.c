/*
 * test_scenarios.c - the golden scenarios: each traces/vm/NAME.vmsh, run
 * as vmsh -f NAME.vmsh in traces/vm, must print exactly NAME.out (standard
 * output and error in one stream, in order), which the reference made
 * (make vmsh-golden). One test per scenario, named for it; the list is
 * generated from the directory (mk/vmsh.mk). A scenario that runs past
 * VMSH_RUN_DEADLINE (a student function that loops) is killed, and the
 * test says which command of the script was running.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transcript.h"
#include "vmshtest.h"

#define SCENARIO_DIR KIT_ROOT "/traces/vm"

TestSuite(scenario, .timeout = VMSH_TEST_TIMEOUT);

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
    char want[512], got[512];
    int line = transcript_diff(expected, r.out, want, got, sizeof want);
    int status = r.status;
    free(expected);
    vmsh_run_free(&r);
    cr_assert_eq(line, 0, "traces/vm/%s.vmsh: the transcript differs from %s.out at "
                 "line %d:\n  expected: %s\n  got:      %s\n(to see it all: cd "
                 "traces/vm && vmsh -f %s.vmsh 2>&1 | diff %s.out -)", name, name, line,
                 want, got, name, name);
    cr_assert_eq(status, 0, "traces/vm/%s.vmsh: vmsh exited with status %d", name,
                 status);
}

#define SCENARIO(id, name) Test(scenario, id) { check_scenario(name); }
#include "scenarios.h"
