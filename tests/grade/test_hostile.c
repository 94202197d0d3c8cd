/*
 * test_hostile.c - grade against hostile and broken submissions, as a TA
 * runs it: each case of tests/grade/hostile is built into a submission
 * (the reference allocator around the case's code, see prelude.h), graded
 * with the quick policy of tests/grade/policy.ini on the traces of
 * tests/grade/traces, and its results.json read back. Each case must end
 * with its named verdict; none may score above what the reference earns
 * (its hostile part only ever costs it); none may stop grade (every run
 * exits 0 with results). Every case runs twice: with grade as root (its
 * runs then become the user nobody) and with grade as an ordinary user.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gradetest.h"

#define TRACES { "trace coalesce", "trace random", "trace realloc" }

TestSuite(hostile, .timeout = 240);
TestSuite(hostile_as_user, .timeout = 240);

/* CASE(name) - the body runs once as root and once as an ordinary user. */
#define CASE(name)                                                                          \
    static void check_##name(gt_t *g);                                                      \
    Test(hostile, name)                                                                     \
    {                                                                                       \
        gt_t g;                                                                             \
        gt_begin(&g, false);                                                                \
        check_##name(&g);                                                                   \
        gt_done(&g);                                                                        \
    }                                                                                       \
    Test(hostile_as_user, name)                                                             \
    {                                                                                       \
        gt_t g;                                                                             \
        gt_begin(&g, true);                                                                 \
        check_##name(&g);                                                                   \
        gt_done(&g);                                                                        \
    }                                                                                       \
    static void check_##name(gt_t *g)

/* every_trace - each trace's verdict is v, and the message holds text. */
static void every_trace(const gt_t *g, const char *v, const char *text)
{
    const char *traces[] = TRACES;
    cr_assert_eq(g->status, 0, "grade's exit status:\n%s", g->out);
    for (size_t i = 0; i < 3; i++) {
        const char *got = gt_verdict(g, traces[i]);
        cr_assert(got && !strcmp(got, v), "%s: verdict %s, expected %s (%s)\n%s", traces[i],
                  got ? got : "(none)", v, gt_message(g, traces[i]), g->out);
        cr_assert(strstr(gt_message(g, traces[i]), text), "%s: message '%s' lacks '%s'",
                  traces[i], gt_message(g, traces[i]), text);
    }
    if (strcmp(v, "ok")) {
        cr_assert_eq(gt_part(g, "malloc.traces"), 0.0);
        cr_assert_eq(gt_part(g, "malloc.perfidx"), 0.0);
    }
}

/* refused - a static check's line says text; nothing of the lab ran. */
static void refused(const gt_t *g, const char *text)
{
    cr_assert_eq(g->status, 0, "grade's exit status:\n%s", g->out);
    cr_assert(gt_line(g, "static_checks", text), "no static check says '%s':\n%s", text, g->out);
    cr_assert_eq(gt_count(g, "ok"), 0);
    cr_assert_eq(gt_score(g), 0.0);
}

static void grade_malloc(gt_t *g, const char *name)
{
    gt_grade(g, gt_case(g, name), NULL, "--lab", "malloc", NULL);
}

CASE(reference_scores_what_the_reference_scores)
{
    grade_malloc(g, "fake_output");
    every_trace(g, "ok", "");
    cr_assert_eq(gt_part(g, "malloc.traces"), 20.0);
}

CASE(infinite_loop)
{
    grade_malloc(g, "loop");
    every_trace(g, "timeout", "stuck in one operation for 2 s");
}

CASE(ignoring_signals_and_looping)
{
    grade_malloc(g, "ignores_signals");
    every_trace(g, "timeout", "during mm_init");
}

CASE(leaving_the_process_group)
{
    grade_malloc(g, "leaves_group");
    every_trace(g, "forbidden system call", "setsid");
}

CASE(fork_bomb)
{
    grade_malloc(g, "fork_bomb");
    refused(g, "calls fork");
}

CASE(fork_bomb_past_the_static_checks)
{
    grade_malloc(g, "fork_bomb_hidden");
    every_trace(g, "forbidden system call", "clone");
}

CASE(thread_that_burns_cpu)
{
    grade_malloc(g, "thread_burns");
    /* The C library blocks every signal while it starts a thread, so the
     * sandbox's SIGSYS kills without its handler naming the call. */
    every_trace(g, "forbidden system call", "SIGSYS was blocked");
}

CASE(memory_bomb_through_the_heap)
{
    grade_malloc(g, "heap_bomb");
    every_trace(g, "out of memory", "the heap reached its maximum");
}

CASE(memory_bomb_through_a_system_call)
{
    grade_malloc(g, "mmap_bomb");
    every_trace(g, "out of memory", "memory outside the heap");
}

CASE(crash_in_mm_init)
{
    grade_malloc(g, "crash_init");
    every_trace(g, "crash", "SIGSEGV");
}

CASE(exit_in_the_middle_of_a_trace)
{
    grade_malloc(g, "exit_mid");
    every_trace(g, "exited early", "exit 0");
}

CASE(fake_results_printed_count_for_nothing)
{
    gt_grade(g, gt_case(g, "fake_output"), NULL, "--lab", "malloc", "--autolab", NULL);
    every_trace(g, "ok", "");
    cr_assert_lt(gt_score(g), 999.0);
    /* The last line of grade's stdout is grade's own Autolab line. */
    const char *last = g->out + strlen(g->out);
    while (last > g->out && last[-1] == '\n')
        last--;
    while (last > g->out && last[-1] != '\n')
        last--;
    char want[64];
    snprintf(want, sizeof want, "{\"scores\":{\"malloc.traces\":20,");
    cr_assert(!strncmp(last, want, strlen(want)), "last line: %s", last);
    cr_assert(!strstr(last, "999"), "last line: %s", last);
}

CASE(fake_results_from_a_destructor)
{
    grade_malloc(g, "destructor");
    refused(g, ".fini_array");
}

CASE(own_timing_functions)
{
    grade_malloc(g, "own_clock");
    refused(g, "defines clock_gettime");
    cr_assert(gt_line(g, "static_checks", "defines getrusage"));
}

CASE(own_memcmp_that_always_says_equal)
{
    grade_malloc(g, "own_memcmp");
    refused(g, "defines memcmp");
}

CASE(constructor_that_writes_files)
{
    remove("/tmp/memlabs-hostile-ctor.json");
    grade_malloc(g, "ctor_files");
    refused(g, ".init_array");
    cr_assert_neq(access("/tmp/memlabs-hostile-ctor.json", F_OK), 0);
}

CASE(writing_result_files)
{
    remove("/tmp/memlabs-hostile-results.json");
    grade_malloc(g, "writes_files");
    every_trace(g, "forbidden system call", "openat");
    cr_assert_neq(access("/tmp/memlabs-hostile-results.json", F_OK), 0);
}

CASE(socket_to_localhost)
{
    grade_malloc(g, "socket_connect");
    every_trace(g, "forbidden system call", "socket");
}

CASE(killing_its_parent)
{
    grade_malloc(g, "kill_parent");
    every_trace(g, "forbidden system call", "kill");
}

CASE(flooding_stdout_and_stderr)
{
    grade_malloc(g, "flood");
    every_trace(g, "output limit", "printed more than 64 KiB");
}

CASE(reading_the_trace_files)
{
    grade_malloc(g, "reads_traces");
    every_trace(g, "forbidden system call", "openat");
    cr_assert(!strstr(g->out, "leak:"), "%s", g->out);
}

CASE(heap_in_a_global_array)
{
    grade_malloc(g, "global_heap");
    refused(g, "bytes of writable global data, over the budget");
}

CASE(calling_the_c_library_malloc)
{
    grade_malloc(g, "calls_malloc");
    refused(g, "calls malloc");
}

CASE(payload_inside_another_live_payload)
{
    grade_malloc(g, "overlapping");
    const char *traces[] = TRACES;
    int wrong = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *v = gt_verdict(g, traces[i]);
        if (v && !strcmp(v, "wrong")) {
            wrong++;
            cr_assert(strstr(gt_message(g, traces[i]), "overlaps the payload of ID"), "%s",
                      gt_message(g, traces[i]));
        }
    }
    cr_assert_gt(wrong, 0, "%s", g->out);
    cr_assert_eq(gt_part(g, "malloc.perfidx"), 0.0);
}

CASE(cheating_only_in_the_timed_replays)
{
    grade_malloc(g, "timed_cheat");
    every_trace(g, "wrong", "timed run");
}

CASE(shrinking_the_heap)
{
    grade_malloc(g, "shrinks_heap");
    refused(g, "calls mem_reset");
}

CASE(correct_but_slow_is_no_exploit)
{
    grade_malloc(g, "slow");
    every_trace(g, "ok", "");
    cr_assert_eq(gt_part(g, "malloc.traces"), 20.0);
    cr_assert_lt(gt_part(g, "malloc.perfidx"), 60.0 * 0.95);
}

CASE(inline_assembly)
{
    grade_malloc(g, "asm_syscall");
    refused(g, "inline assembly");
}

CASE(machine_code_among_the_instructions)
{
    grade_malloc(g, "text_bytes");
    refused(g, "system call instruction");
}

CASE(including_a_file_of_the_machine)
{
    grade_malloc(g, "includes_outside");
    refused(g, "includes /etc/hostname");
    char host[256] = "";
    FILE *f = fopen("/etc/hostname", "r");
    if (f && fgets(host, sizeof host, f))
        host[strcspn(host, "\n")] = '\0';
    if (f)
        fclose(f);
    if (strlen(host) > 3)
        cr_assert(!strstr(g->out, host) || strstr(g->out, "/etc/hostname"),
                  "the report shows the file's contents:\n%s", g->out);
}

CASE(compile_error)
{
    grade_malloc(g, "compile_error");
    cr_assert(gt_line(g, "build", "does not compile"), "%s", g->out);
    cr_assert(gt_line(g, "build", "undeclared_variable"), "%s", g->out);
    cr_assert_eq(gt_score(g), 0.0);
    /* The CSV's and the class summary's one-line cause is the compiler's. */
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(g->results, "extra_data");
    const char *problem =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(extra, "problem"));
    cr_assert(problem && strstr(problem, "does not compile"), "problem: %s",
              problem ? problem : "(none)");
}

CASE(blocked_sigsys_still_kills)
{
    grade_malloc(g, "blocks_sigsys");
    every_trace(g, "forbidden system call", "SIGSYS was blocked");
}

CASE(check_heap_that_exits)
{
    gt_grade(g, gt_case(g, "check_heap_exits"), "policy-checker.ini", "--lab", "malloc", NULL);
    cr_assert_eq(g->status, 0, "%s", g->out);
    const char *v = gt_verdict(g, "test mm_5_check_heap/check_heap_accepts_empty_heap");
    cr_assert(v && !strcmp(v, "exited early"), "verdict %s\n%s", v ? v : "(none)", g->out);
    cr_assert_eq(gt_part(g, "malloc.checker"), 0.0);
}

CASE(a_test_framework_report_hook)
{
    grade_malloc(g, "report_hook");
    refused(g, "which C code of the lab has no use for");
}

CASE(an_indirect_function_resolved_before_main)
{
    grade_malloc(g, "ifunc");
    refused(g, "as an indirect function");
}

CASE(skipping_the_checkers_tests)
{
    grade_malloc(g, "skips_tests");
    refused(g, "calls criterion_skip_test");
}

CASE(signalling_the_parent_through_a_descriptor)
{
    grade_malloc(g, "signals_by_fcntl");
    every_trace(g, "forbidden system call", "fcntl");
}

CASE(data_in_a_section_of_its_own)
{
    grade_malloc(g, "named_section");
    refused(g, "has a section myheap");
}

CASE(a_line_directive_hiding_assembly)
{
    grade_malloc(g, "line_directive");
    refused(g, "a #line directive");
}

CASE(a_header_that_disarms_the_tests_assertions)
{
    gt_grade(g, gt_header_case(g, "header_cr_assert"), "policy-checker.ini", "--lab", "malloc",
             NULL);
    cr_assert_eq(g->status, 0, "%s", g->out);
    cr_assert(gt_line(g, "static_checks", "cr_assert, a macro of the test framework"), "%s",
              g->out);
    cr_assert_eq(gt_part(g, "malloc.checker"), 0.0, "%s", g->out);
}

/* --- the vm lab ------------------------------------------------------------ */

CASE(vm_state_in_a_global_array)
{
    gt_grade(g, gt_vm_case(g, "vm_global_state", "vm/tlb.c", NULL), NULL, "--lab", "vm", NULL);
    refused(g, "vm: 512 bytes of writable global data, over the budget of 64");
}

CASE(vm_code_calling_printf)
{
    gt_grade(g, gt_vm_case(g, "vm_prints", "vm/tlb.c", "tlb_flush"), NULL, "--lab", "vm", NULL);
    /* The compiler makes this printf a puts: either is refused. */
    refused(g, "the vm lab's code may call only the machine's functions");
}

CASE(vm_writing_a_fake_transcript)
{
    gt_grade(g, gt_vm_case(g, "vm_writes", "vm/tlb.c", "tlb_flush"), NULL, "--lab", "vm", NULL);
    cr_assert_eq(g->status, 0, "%s", g->out);
    const char *v = gt_verdict(g, "scenario walk");
    cr_assert(v && !strcmp(v, "ok"), "scenario walk: %s (%s)\n%s", v ? v : "(none)",
              gt_message(g, "scenario walk"), g->out);
    cr_assert_eq(gt_count(g, "wrong"), 0, "%s", g->out);
    cr_assert_eq(gt_score(g), 100.0, "%s", g->out);
}

CASE(vm_killing_its_parent)
{
    gt_grade(g, gt_vm_case(g, "vm_kill_parent", "vm/fault.c", "fault_handle"), NULL, "--lab",
             "vm", NULL);
    cr_assert_eq(g->status, 0, "%s", g->out);
    const char *v = gt_verdict(g, "scenario demand-paging");
    cr_assert(v && !strcmp(v, "forbidden system call"), "scenario demand-paging: %s\n%s",
              v ? v : "(none)", g->out);
    cr_assert(strstr(gt_message(g, "scenario demand-paging"), "kill"), "%s",
              gt_message(g, "scenario demand-paging"));
    v = gt_verdict(g, "test partB/first_read_of_anonymous_page_is_a_minor_fault_of_zeros");
    cr_assert(v && !strcmp(v, "forbidden system call"), "partB test: %s\n%s",
              v ? v : "(none)", g->out);
    /* Part A's tests take no page fault: they pass. */
    v = gt_verdict(g, "test partA/mmu_translates_a_mapped_page");
    cr_assert(v && !strcmp(v, "ok"), "partA test: %s", v ? v : "(none)");
    cr_assert_lt(gt_part(g, "vm.B"), 40.0);
}

/* --- one submission cannot touch another -------------------------------- */

CASE(hostile_submissions_leave_the_next_ones_result_alone)
{
    gt_case(g, "kill_parent");
    gt_case(g, "writes_files");
    gt_case(g, "flood");
    gt_case(g, "ignores_signals");
    gt_case(g, "fake_output");
    /* Graded last, after the others in the same run of grade. */
    gt_grade_class(g, "fake_output", NULL, "--lab", "malloc", NULL);
    every_trace(g, "ok", "");
    cr_assert_eq(gt_part(g, "malloc.traces"), 20.0);
    cr_assert(strstr(g->out, "== kill_parent") && strstr(g->out, "== ignores_signals"), "%s",
              g->out);
}

/* --- hidden traces ------------------------------------------------------- */

CASE(hidden_traces_are_graded_without_their_contents)
{
    char hidden[512], trace[600];
    snprintf(hidden, sizeof hidden, "%s/hidden/malloc", g->dir);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s/tests/grade/traces/realloc.rep %s/secret-xk7.rep",
             hidden, KIT_ROOT, hidden);
    cr_assert_eq(system(cmd), 0);
    snprintf(trace, sizeof trace, "%s/hidden", g->dir);
    gt_grade(g, gt_case(g, "overlapping"), NULL, "--lab", "malloc", "--hidden", trace, NULL);
    const char *v = gt_verdict(g, "hidden trace 1");
    cr_assert(v && !strcmp(v, "wrong"), "hidden trace 1: %s\n%s", v ? v : "(none)", g->out);
    cr_assert_str_empty(gt_message(g, "hidden trace 1"));
    cr_assert(!strstr(g->out, "secret-xk7"), "the report names the hidden trace:\n%s", g->out);
    char *json = cJSON_Print(g->results);
    cr_assert(!strstr(json, "secret-xk7"), "results.json names the hidden trace");
    free(json);
}
