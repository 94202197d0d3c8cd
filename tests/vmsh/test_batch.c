/*
 * test_batch.c - vmsh reading a script, as a user or a grader runs it:
 * the parameters line first, each command echoed before its output,
 * errors as SCRIPT:LINE: message in their place in the transcript, -e,
 * the command line, and scripts sourcing scripts.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "vmshtest.h"

TestSuite(batch, .timeout = VMSH_TEST_TIMEOUT);

#define PARAMS "# vmsh frames=64 tlb=8x2 policy=clock1 watermarks=4,8 swap=256 " \
               "handspread=16 log=events seed=1 readahead=0 arch=x86-64\n"

Test(batch, a_transcript_starts_with_the_parameters_line)
{
    struct vmsh_run r = vmsh_batch(NULL, "echo hi\n", NULL, true);
    cr_expect(eq(int, strncmp(r.out, PARAMS, strlen(PARAMS)), 0), "got: %s", r.out);
    vmsh_run_free(&r);
}

Test(batch, each_command_is_echoed_before_its_output)
{
    struct vmsh_run r = vmsh_batch(NULL, "echo one\n  echo two  \nseed\n", NULL, true);
    cr_expect(eq(str, r.out, PARAMS "vmsh> echo one\none\nvmsh> echo two\ntwo\n"
                 "vmsh> seed\nseed 1\n"));
    cr_expect(eq(int, r.status, 0));
    vmsh_run_free(&r);
}

Test(batch, comments_and_blank_lines_are_copied)
{
    struct vmsh_run r = vmsh_batch(NULL, "# a comment\n\n   # indented\necho x # not echoed\n",
                                   NULL, true);
    cr_expect(eq(str, r.out, PARAMS "# a comment\n\n   # indented\n"
                 "vmsh> echo x # not echoed\nx\n"));
    vmsh_run_free(&r);
}

Test(batch, errors_go_to_stderr_named_by_script_and_line)
{
    char dir[256], path[300];
    vt_temp_dir(dir, sizeof dir);
    vt_write_file(dir, "s.vmsh", "echo ok\n\nbogus\n", path, sizeof path);
    const char *args[] = { "-f", "s.vmsh", NULL };
    struct vmsh_run r = vmsh_batch(args, NULL, dir, false);
    cr_expect(eq(str, r.err, "s.vmsh:3: unknown command 'bogus'; help lists the commands\n"));
    cr_expect(eq(str, r.out, PARAMS "vmsh> echo ok\nok\n\nvmsh> bogus\n"));
    vmsh_run_free(&r);
    vt_remove_dir(dir);
}

Test(batch, standard_input_is_named_stdin)
{
    struct vmsh_run r = vmsh_batch(NULL, "echo a\nswitch\n", NULL, false);
    cr_expect(eq(int, strncmp(r.err, "<stdin>:2: switch: expected 1 argument, got 0", 45), 0),
              "got: %s", r.err);
    vmsh_run_free(&r);
}

Test(batch, an_error_keeps_its_place_in_the_merged_transcript)
{
    struct vmsh_run r = vmsh_batch(NULL, "echo before\nread\necho after\n", NULL, true);
    cr_expect(eq(str, r.out, PARAMS "vmsh> echo before\nbefore\nvmsh> read\n"
                 "<stdin>:2: read: expected 1 to 3 arguments, got 0; usage: read VA [N] "
                 "[user|kernel]\nvmsh> echo after\nafter\n"));
    vmsh_run_free(&r);
}

Test(batch, dash_e_stops_at_the_first_error_with_status_1)
{
    const char *args[] = { "-e", NULL };
    struct vmsh_run r = vmsh_batch(args, "echo one\nbogus\necho two\n", NULL, true);
    cr_expect(eq(int, r.status, 1));
    cr_expect(strstr(r.out, "one\n") != NULL);
    cr_expect(strstr(r.out, "two") == NULL, "it went on after the error: %s", r.out);
    vmsh_run_free(&r);
}

Test(batch, without_dash_e_the_session_goes_on_with_status_0)
{
    struct vmsh_run r = vmsh_batch(NULL, "bogus\necho two\n", NULL, true);
    cr_expect(eq(int, r.status, 0));
    cr_expect(strstr(r.out, "vmsh> echo two\ntwo\n") != NULL, "got: %s", r.out);
    vmsh_run_free(&r);
}

Test(batch, settings_on_the_command_line_configure_the_machine)
{
    const char *args[] = { "frames=32", "tlb=4x2", "handspread=4", "seed=9", NULL };
    struct vmsh_run r = vmsh_batch(args, "config\n", NULL, true);
    const char *want = "# vmsh frames=32 tlb=4x2 policy=clock1 watermarks=4,8 swap=256 "
                       "handspread=4 log=events seed=9 readahead=0 arch=x86-64\n";
    cr_expect(eq(int, strncmp(r.out, want, strlen(want)), 0), "got: %s", r.out);
    cr_expect(eq(int, vt_count_lines(r.out, want), 2), "config shows it too: %s", r.out);
    vmsh_run_free(&r);
}

Test(batch, the_fewest_frames_on_the_command_line_fit_the_default_handspread)
{
    const char *args[] = { "frames=16", NULL };
    struct vmsh_run r = vmsh_batch(args, "echo up\n", NULL, false);
    cr_expect(eq(int, r.status, 0));
    cr_expect(eq(str, r.err, "vmsh: handspread 16 does not fit 16 frames: it is 4 now "
                 "(frames / 4)\n"));
    const char *want = "# vmsh frames=16 tlb=8x2 policy=clock1 watermarks=4,8 swap=256 "
                       "handspread=4 log=events seed=1 readahead=0 arch=x86-64\nvmsh> echo up\nup\n";
    cr_expect(eq(str, r.out, (char *)want));
    vmsh_run_free(&r);
}

Test(batch, config_of_the_fewest_frames_fits_the_default_handspread)
{
    struct vmsh_run r = vmsh_batch(NULL, "config frames=16\n", NULL, true);
    cr_expect(eq(str, r.out, PARAMS "vmsh> config frames=16\n"
                 "config: handspread 16 does not fit 16 frames: it is 4 now (frames / 4)\n"
                 "# vmsh frames=16 tlb=8x2 policy=clock1 watermarks=4,8 swap=256 "
                 "handspread=4 log=events seed=1 readahead=0 arch=x86-64\n"));
    vmsh_run_free(&r);
}

Test(batch, a_bad_command_line_exits_2_with_the_reason)
{
    const char *bad[][2] = { { "frames=lots", NULL }, { "--nosuch", NULL },
                             { "frames=8", NULL }, { "-f", NULL } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct vmsh_run r = vmsh_batch(bad[i], NULL, NULL, false);
        cr_expect(eq(int, r.status, 2), "vmsh %s: status %d", bad[i][0], r.status);
        cr_expect(eq(int, strncmp(r.err, "vmsh: ", 6), 0), "vmsh %s: %s", bad[i][0], r.err);
        vmsh_run_free(&r);
    }
}

Test(batch, help_and_version_options)
{
    const char *help[] = { "--help", NULL }, *version[] = { "--version", NULL };
    struct vmsh_run r = vmsh_batch(help, NULL, NULL, false);
    cr_expect(eq(int, r.status, 0));
    cr_expect(eq(int, strncmp(r.out, "usage: vmsh ", 12), 0), "got: %s", r.out);
    vmsh_run_free(&r);
    r = vmsh_batch(version, NULL, NULL, false);
    cr_expect(eq(int, r.status, 0));
    cr_expect(eq(str, r.out, "vmsh " VMSH_VERSION "\n"));
    vmsh_run_free(&r);
}

Test(batch, a_missing_script_exits_1)
{
    const char *args[] = { "-f", "/nonexistent/x.vmsh", NULL };
    struct vmsh_run r = vmsh_batch(args, NULL, NULL, false);
    cr_expect(eq(int, r.status, 1));
    cr_expect(eq(str, r.err, "cannot open /nonexistent/x.vmsh: No such file or directory\n"));
    vmsh_run_free(&r);
}

Test(batch, a_directory_as_the_script_exits_1)
{
    const char *args[] = { "-f", "/tmp", NULL };
    struct vmsh_run r = vmsh_batch(args, NULL, NULL, false);
    cr_expect(eq(int, r.status, 1));
    cr_expect(eq(str, r.err, "cannot run /tmp: it is a directory, not a script\n"));
    vmsh_run_free(&r);
}

Test(batch, help_names_every_number_suffix)
{
    struct vmsh_run r = vmsh_batch(NULL, "help\ntouch 0 1T --step 1T\n", NULL, false);
    cr_expect(strstr(r.out, "with an optional K, M, G or T (4K is 4096)") != NULL,
              "got: %s", r.out);
    cr_expect(eq(str, r.err, "<stdin>:2: touch: no process is running (spawn one, or "
                 "switch PID)\n"), "1T is a number");
    vmsh_run_free(&r);
}

Test(batch, paths_in_a_script_start_from_the_script_s_directory)
{
    char dir[256], path[300];
    vt_temp_dir(dir, sizeof dir);
    vt_write_file(dir, "main.vmsh", "source other.vmsh\nreplay refs.pages --policy fifo\n",
                  path, sizeof path);
    vt_write_file(dir, "other.vmsh", "echo from other\n", path, sizeof path);
    vt_write_file(dir, "refs.pages", "1\n2\n1\n", path, sizeof path);
    char script[300];
    snprintf(script, sizeof script, "%s/main.vmsh", dir);
    const char *args[] = { "-f", script, NULL };
    struct vmsh_run r = vmsh_batch(args, NULL, "/", true);
    cr_expect(strstr(r.out, "vmsh> echo from other\nfrom other\n") != NULL, "got: %s", r.out);
    cr_expect(strstr(r.out, "replay refs.pages: 3 references, 2 pages") != NULL,
              "got: %s", r.out);
    vmsh_run_free(&r);
    vt_remove_dir(dir);
}

Test(batch, a_script_sourcing_itself_stops_at_the_depth_limit)
{
    char dir[256], path[300];
    vt_temp_dir(dir, sizeof dir);
    vt_write_file(dir, "loop.vmsh", "source loop.vmsh\n", path, sizeof path);
    const char *args[] = { "-f", "loop.vmsh", NULL };
    struct vmsh_run r = vmsh_batch(args, NULL, dir, false);
    cr_expect(eq(int, r.status, 0));
    cr_expect(strstr(r.err, "scripts nested more than 16 deep") != NULL, "got: %s", r.err);
    cr_expect(eq(int, vt_count_lines(r.out, "vmsh> source loop.vmsh"), 16));
    vmsh_run_free(&r);
    vt_remove_dir(dir);
}

Test(batch, quit_ends_the_session)
{
    struct vmsh_run r = vmsh_batch(NULL, "echo one\nquit\necho two\n", NULL, true);
    cr_expect(eq(int, r.status, 0));
    cr_expect(strstr(r.out, "two") == NULL, "got: %s", r.out);
    vmsh_run_free(&r);
}

/* A plausible line for every command: the session must run them all to
 * the end, whatever the student files are (a skeleton stops some). */
static const char every_command[] =
    "config frames=32 tlb=4x2 watermarks=4,6 swap=32 handspread=4\n"
    "seed 3\nreset\nfile create f 8K seq\nfiles\nfile cat f 0 16\nfile write f 0 7\n"
    "spawn\nps\nmmap any 16K rw- private,anon\nmmap any 8K rw- shared f\nvmas\n"
    "write 0x10000000 \"x\"\nread 0x10000000 8\ntouch 0x10000000 16K w\n"
    "translate 0x10000000 w\nmprotect 0x10000000 4K r--\nmunmap 0x10001000 4K\n"
    "fork\nswitch 2\nread 0x10004000 8\nexit\nswitch 1\npt\npt kernel --dot\ntlb\n"
    "tlb flush\ntlb invlpg 0x10000000\nframes --all\nswap\nstats\nstats reset\n"
    "log tlb\ntouch 0x10002000\nlog events\ncheck\npageout\nclock\n"
    "replay traces/refs/belady.pages\nsource /dev/null\necho done\nhelp\nhelp file cat\n"
    "exit 1\nquit\n";

Test(batch, the_session_runs_every_command_to_the_end)
{
    struct vmsh_run r = vmsh_batch(NULL, every_command, NULL, true);
    int lines = 0;
    for (const char *p = every_command; *p; p++)
        lines += *p == '\n';
    cr_expect(eq(int, r.status, 0), "vmsh ended with status %d", r.status);
    cr_expect(eq(int, vt_count_lines(r.out, "vmsh> "), lines),
              "not every command was echoed:\n%s", r.out);
    vmsh_run_free(&r);
}
