/*
 * test_session.c - a command the machine cannot finish stops without
 * stopping vmsh: a missing student function or a panic is reported with
 * the function and its file, the machine is rebuilt from its
 * configuration, and what the command allocated is freed.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "unimplemented.h"
#include "vmshtest.h"

static struct vmsh sh;

static void setup(void)
{
    cr_redirect_stdout();
    cr_redirect_stderr();
    struct vm_config c;
    vm_config_default(&c);
    c.frames = 32;
    c.high_water = 6;
    c.handspread = 4;
    cr_assert(eq(int, session_init(&sh, &c, 1), 0));
}

static void teardown(void)
{
    session_free(&sh);
}

TestSuite(session, .init = setup, .fini = teardown, .timeout = VMSH_TEST_TIMEOUT);

/* Everything written to the redirected stderr so far. */
static char *stderr_text(void)
{
    fflush(stderr);
    FILE *f = cr_get_redirected_stderr();
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    return buf;
}

static int missing(struct vmsh *s, void *arg)
{
    (void)s;
    (void)arg;
    unimplemented("mmu_translate", "/somewhere/handout/vm/mmu.c", 17);
}

static int panics(struct vmsh *s, void *arg)
{
    (void)s;
    (void)arg;
    vm_panic("frame %d is in two places", 7);
}

static int allocates_then_stops(struct vmsh *s, void *arg)
{
    *(void **)arg = session_temp(s, 100);
    unimplemented("tlb_insert", "handout/vm/tlb.c", 3);
}

static int answers(struct vmsh *s, void *arg)
{
    (void)s;
    return *(int *)arg;
}

Test(session, a_missing_student_function_is_named_with_its_file)
{
    int r = session_guard(&sh, missing, NULL);
    cr_expect(eq(int, r, -1));
    const char *err = stderr_text();
    cr_expect(eq(str, (char *)err, "vm/mmu.c:17: mmu_translate is not implemented yet; "
                 "the machine is rebuilt from its configuration (processes, files and "
                 "statistics start over)\n"));
    cr_expect(eq(u32, sh.errors, 1));
}

Test(session, the_machine_is_rebuilt_from_its_configuration)
{
    cr_assert_not_null(proc_spawn(sh.m));
    cr_assert(eq(int, command_run_line(&sh, "file create f 4K"), 0));
    session_guard(&sh, missing, NULL);
    cr_expect(eq(u32, sh.m->nproc, 0), "the old processes are gone");
    cr_expect(eq(u32, sh.m->disk.nfiles, 0), "the old files are gone");
    cr_expect(eq(u32, sh.m->cfg.frames, 32), "the configuration is kept");
    cr_expect(eq(u32, vm_check(sh.m, NULL), 0));
    cr_expect(eq(int, command_run_line(&sh, "file create f 4K"), 0), "the session goes on");
}

Test(session, a_panic_is_reported_and_the_machine_rebuilt)
{
    cr_assert_not_null(proc_spawn(sh.m));
    int r = session_guard(&sh, panics, NULL);
    cr_expect(eq(int, r, -1));
    const char *err = stderr_text();
    cr_expect(strstr(err, "vm panic: frame 7 is in two places") != NULL, "stderr: %s", err);
    cr_expect(eq(u32, sh.m->nproc, 0));
}

Test(session, a_stopped_command_s_allocations_are_freed)
{
    void *p = NULL;
    session_guard(&sh, allocates_then_stops, &p);
    cr_expect_not_null(p);
    for (size_t i = 0; i < sizeof sh.temp / sizeof sh.temp[0]; i++)
        cr_expect_null(sh.temp[i], "temporary %zu is still held", i);
}

Test(session, a_guarded_call_returns_its_result)
{
    int v = 0;
    cr_expect(eq(int, session_guard(&sh, answers, &v), 0));
    v = -1;
    cr_expect(eq(int, session_guard(&sh, answers, &v), -1));
    cr_expect(eq(u32, sh.errors, 0));
}

Test(session, errors_in_a_script_name_the_script_and_line)
{
    struct source src = { .name = "demo.vmsh", .line = 12 };
    sh.src = &src;
    sh_error(&sh, "something is wrong");
    sh.src = NULL;
    sh_error(&sh, "at the terminal");
    const char *err = stderr_text();
    cr_expect(eq(str, (char *)err, "demo.vmsh:12: something is wrong\nat the terminal\n"));
}

Test(session, the_parameters_line_gives_every_setting)
{
    char line[320];
    session_params(&sh, line, sizeof line);
    cr_expect(eq(str, line, "# vmsh frames=32 tlb=8x2 policy=clock1 watermarks=4,6 "
                 "swap=256 handspread=4 log=events seed=1 readahead=0 arch=x86-64"));
}

Test(session, config_reboots_with_the_new_settings)
{
    cr_assert_not_null(proc_spawn(sh.m));
    cr_assert(eq(int, command_run_line(&sh, "config frames=48 policy=clock2 seed=5"), 0));
    cr_expect(eq(u32, sh.m->cfg.frames, 48));
    cr_expect(eq(int, sh.m->cfg.policy, POLICY_CLOCK2));
    cr_expect(eq(u64, sh.seed, 5));
    cr_expect(eq(u32, sh.m->nproc, 0));
}

Test(session, a_bad_configuration_changes_nothing)
{
    cr_assert_not_null(proc_spawn(sh.m));
    cr_expect(eq(int, command_run_line(&sh, "config frames=8"), -1));
    cr_expect(eq(u32, sh.m->cfg.frames, 32));
    cr_expect(eq(u32, sh.m->nproc, 1));
}
