/*
 * test_runs.c - how the tests run vmsh (vmshtest.h), for a submission
 * whose code loops forever: a run past its deadline is killed and its
 * transcript tells which command of the script was running, and a test
 * process that dies (Criterion's timeout kills it) takes its vmsh with it.
 * The looping submission is vmsh-stuck, whose every TLB lookup loops.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmshtest.h"

static char dir[256];

static void setup(void)
{
    vt_temp_dir(dir, sizeof dir);
}

static void teardown(void)
{
    vt_remove_dir(dir);
}

TestSuite(runs, .init = setup, .fini = teardown, .timeout = VMSH_TEST_TIMEOUT);

/* A scenario whose line 6 never ends with vmsh-stuck. */
#define STUCK_SCRIPT                                                         \
    "# a scenario\n"                                                         \
    "spawn\n"                                                                \
    "mmap 0x10000000 4K rw- private,anon,fixed\n"                            \
    "\n"                                                                     \
    "   # the next line never ends\n"                                        \
    "  translate 0x10000000  \n"                                             \
    "echo never\n"

#define SHORT_DEADLINE TIMEOUT(1)

Test(runs, a_run_past_its_deadline_is_killed_with_what_it_printed)
{
    char path[300];
    vt_write_file(dir, "stuck.vmsh", STUCK_SCRIPT, path, sizeof path);
    const char *args[] = { "-f", "stuck.vmsh", NULL };
    struct vmsh_run r = vmsh_run(vt_program("vmsh-stuck"), args, NULL, dir, true,
                                 SHORT_DEADLINE);
    cr_expect(r.timed_out, "the run was not stopped at its deadline");
    cr_expect(eq(int, r.status, 128 + SIGKILL));
    cr_expect(strstr(r.out, "vmsh> translate 0x10000000\n") != NULL,
              "the running command's echo is missing from the transcript:\n%s", r.out);
    vmsh_run_free(&r);
}

Test(runs, a_timed_out_script_names_the_running_command_and_its_line)
{
    char path[300];
    vt_write_file(dir, "stuck.vmsh", STUCK_SCRIPT, path, sizeof path);
    const char *args[] = { "-f", "stuck.vmsh", NULL };
    struct vmsh_run r = vmsh_run(vt_program("vmsh-stuck"), args, NULL, dir, true,
                                 SHORT_DEADLINE);
    cr_assert(r.timed_out);
    char got[512], want[512];
    vmsh_timeout_text(&r, path, got, sizeof got);
    snprintf(want, sizeof want, "timed out after %g s during `translate 0x10000000` "
             "(line 6)", (double)SHORT_DEADLINE);
    cr_expect(eq(str, got, want));
    vmsh_run_free(&r);
}

Test(runs, a_timeout_before_the_first_command_says_so)
{
    char path[300];
    vt_write_file(dir, "s.vmsh", "# only\nspawn\n", path, sizeof path);
    struct vmsh_run r = { .out = "# vmsh frames=64\n# only\n", .timed_out = true,
                          .deadline = 20 };
    char got[512];
    cr_expect(eq(str, (char *)vmsh_timeout_text(&r, path, got, sizeof got),
                 "timed out after 20 s before its first command"));
}

Test(runs, a_repeated_command_is_found_at_its_own_line)
{
    char path[300];
    vt_write_file(dir, "s.vmsh", "echo a\necho a\necho b\n", path, sizeof path);
    struct vmsh_run r = { .out = "# vmsh frames=64\nvmsh> echo a\na\nvmsh> echo a\n",
                          .timed_out = true, .deadline = 20 };
    char got[512];
    cr_expect(eq(str, (char *)vmsh_timeout_text(&r, path, got, sizeof got),
                 "timed out after 20 s during `echo a` (line 2)"));
}

/* The pids of pid's children, from /proc, into kids; how many. */
static int children_of(pid_t pid, pid_t *kids, int max)
{
    char path[64], text[256] = "";
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    fclose(f);
    int n = 0;
    for (char *w = strtok(text, " \n"); w && n < max; w = strtok(NULL, " \n"))
        kids[n++] = (pid_t)atoi(w);
    return n;
}

static void nap(void)
{
    struct timespec ts = { 0, 10000000 };
    nanosleep(&ts, NULL);
}

Test(runs, vmsh_dies_with_the_test_process_that_started_it)
{
    char path[300];
    vt_write_file(dir, "stuck.vmsh", STUCK_SCRIPT, path, sizeof path);
    /* Orphans come to this process instead of init, so it can see whether
     * vmsh outlives the test process, and clean up if it does. */
    cr_assert(eq(int, prctl(PR_SET_CHILD_SUBREAPER, 1), 0));
    fflush(NULL);
    pid_t test = fork();
    cr_assert_geq(test, 0, "fork failed");
    if (test == 0) {
        /* The test process, whose run of vmsh never ends. */
        setenv("TMPDIR", dir, 1);
        const char *args[] = { "-f", "stuck.vmsh", NULL };
        vmsh_run(vt_program("vmsh-stuck"), args, NULL, dir, true, 3600);
        _exit(0);
    }
    pid_t vmsh = 0;
    for (int i = 0; i < 500 && !children_of(test, &vmsh, 1); i++)
        nap();
    if (!vmsh) {
        kill(test, SIGKILL);
        waitpid(test, NULL, 0);
        cr_fatal("the test process started no vmsh");
    }
    cr_assert(eq(int, kill(test, SIGKILL), 0));
    cr_assert(eq(int, waitpid(test, NULL, 0), test));

    int status = 0;
    pid_t r = 0;
    for (int i = 0; i < 100 * 5 * TEST_TIMEOUT_SCALE && r == 0; i++) {
        r = waitpid(vmsh, &status, WNOHANG);
        if (r == 0)
            nap();
    }
    if (r == 0) {
        kill(vmsh, SIGKILL);
        waitpid(vmsh, NULL, 0);
        cr_fatal("vmsh (pid %d) still ran after its test process died", (int)vmsh);
    }
    cr_assert(eq(int, r, vmsh));
    /* Killed; or, caught between fork and exec, it saw its parent gone. */
    bool killed = (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
                  (WIFEXITED(status) && WEXITSTATUS(status) == 125);
    cr_expect(killed, "vmsh ended with status %#x, not killed by SIGKILL", status);
}
