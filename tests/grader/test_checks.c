/*
 * test_checks.c - every check of a replay catches the allocator that breaks
 * it, with a message that names the line, the op and the facts; and none of
 * them fires on a correct allocator (the reference, and the bump core the
 * broken ones are made from).
 *
 * Each test replays a small trace through run_trace, in a child as mdriver
 * does, against one allocator of broken/. Addresses in messages are heap
 * offsets, fixed by the core's layout: the first payload is at heap+0x8.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

#include "allocators.h"
#include "broken/broken.h"
#include "grader_test.h"

#ifdef __SANITIZE_ADDRESS__
/* AddressSanitizer would turn the crashing allocator's SIGSEGV into a report
 * and an abort; the crash tests expect the signal a plain build sees. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "handle_segv=0";
}
#endif

TestSuite(checks, .timeout = SUITE_TIMEOUT);

/* One payload, freed. */
static const char one_block[] =
    "20000 1 2 1\n"
    "a 0 16\n"          /* line 2 */
    "f 0\n";            /* line 3 */

/* Two payloads of 16 bytes, freed in order. */
static const char two_blocks[] =
    "20000 2 4 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 16\n"          /* line 3 */
    "f 0\n"             /* line 4 */
    "f 1\n";            /* line 5 */

static const char two_blocks_of_32[] =
    "20000 2 4 1\n"
    "a 0 32\n"          /* line 2 */
    "a 1 32\n"          /* line 3 */
    "f 0\n"
    "f 1\n";

static const char small_after_large[] =
    "20000 2 4 1\n"
    "a 0 64\n"          /* line 2 */
    "a 1 8\n"           /* line 3 */
    "f 1\n"
    "f 0\n";

static const char large_after_small[] =
    "20000 2 4 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 64\n"          /* line 3 */
    "f 0\n"
    "f 1\n";

static const char one_block_of_64[] =
    "20000 1 2 1\n"
    "a 0 64\n"          /* line 2 */
    "f 0\n";

static const char realloc_of_neighbour[] =
    "20000 2 4 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 16\n"          /* line 3 */
    "f 0\n"             /* line 4 */
    "r 1 32\n";         /* line 5 */

static const char neighbour_left_live[] =
    "20000 2 3 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 16\n"          /* line 3 */
    "f 0\n";            /* line 4 */

static const char realloc_grows[] =
    "20000 1 3 1\n"
    "a 0 32\n"          /* line 2 */
    "r 0 64\n"          /* line 3 */
    "f 0\n";

static const char malloc_of_100[] =
    "20000 2 4 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 100\n"         /* line 3 */
    "f 0\n"
    "f 1\n";

static const char realloc_to_200[] =
    "20000 1 3 1\n"
    "a 0 16\n"          /* line 2 */
    "r 0 200\n"         /* line 3 */
    "f 0\n";

/* Larger than TEST_MAX_HEAP: any allocator may refuse it. */
static const char beyond_the_heap[] =
    "20000 1 2 1\n"
    "a 0 2000000\n"
    "f 0\n";

static const char realloc_to_zero[] =
    "20000 1 2 1\n"
    "a 0 16\n"          /* line 2 */
    "r 0 0\n";          /* line 3 */

static const char three_blocks[] =
    "20000 3 6 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 16\n"          /* line 3 */
    "a 2 16\n"          /* line 4 */
    "f 0\n"
    "f 1\n"
    "f 2\n";

static const char free_then_malloc[] =
    "20000 2 4 1\n"
    "a 0 16\n"
    "f 0\n"
    "a 1 16\n"
    "f 1\n";

static const char two_pages[] =
    "20000 2 4 1\n"
    "a 0 4096\n"
    "a 1 4096\n"
    "f 0\n"
    "f 1\n";

/* Every trace above, for the allocators that must pass them all. */
static const char *const all_traces[] = {
    one_block, two_blocks, two_blocks_of_32, small_after_large, large_after_small,
    one_block_of_64, realloc_of_neighbour, neighbour_left_live, realloc_grows,
    malloc_of_100, realloc_to_200, beyond_the_heap, realloc_to_zero, three_blocks,
    free_then_malloc, two_pages,
};
#define NTRACES (sizeof all_traces / sizeof all_traces[0])

/* check_only - the report of a's checked replay of text. */
static trace_report_t check_only(const allocator_t *a, const char *text)
{
    run_config_t cfg = test_config(a);
    return replay_text(&cfg, text);
}

/* expect_invalid - rep is RUN_INVALID with exactly the message want. */
static void expect_invalid(const trace_report_t *rep, const char *want)
{
    cr_assert(eq(str, (char *)run_status_name(rep->status), "invalid"), "message: %s",
              rep->message);
    cr_assert(eq(str, (char *)rep->message, (char *)want));
}

/* garbled_bytes - the expected and found byte of a "was changed" message. */
static void garbled_bytes(const char *message, unsigned *expected, unsigned *found)
{
    const char *at = strstr(message, "expected ");
    cr_assert(ne(ptr, (void *)at, NULL), "no expected byte in: %s", message);
    cr_assert(eq(int, sscanf(at, "expected %x, found %x", expected, found), 2),
              "cannot read the bytes of: %s", message);
}

Test(checks, misaligned_payload_is_invalid_with_its_offset)
{
    trace_report_t rep = check_only(&misaligned_allocator, one_block);
    expect_invalid(&rep, "line 2: a 0 16: payload heap+0xc is not aligned to 8 bytes");
    cr_assert(eq(u32, rep.checked.error_line, 2));
}

Test(checks, partial_overlap_names_both_ranges)
{
    trace_report_t rep = check_only(&overlapping_allocator, two_blocks_of_32);
    expect_invalid(&rep, "line 3: a 1 32: payload [heap+0x18, heap+0x38) overlaps the payload "
                         "of ID 0 [heap+0x8, heap+0x28), allocated at line 2");
}

Test(checks, payload_inside_another_is_an_overlap)
{
    trace_report_t rep = check_only(&overlapping_allocator, small_after_large);
    expect_invalid(&rep, "line 3: a 1 8: payload [heap+0x18, heap+0x20) overlaps the payload "
                         "of ID 0 [heap+0x8, heap+0x48), allocated at line 2");
}

Test(checks, payload_containing_another_is_an_overlap)
{
    trace_report_t rep = check_only(&containing_allocator, large_after_small);
    expect_invalid(&rep, "line 3: a 1 64: payload [heap+0x38, heap+0x78) overlaps the payload "
                         "of ID 0 [heap+0x40, heap+0x50), allocated at line 2");
}

Test(checks, payload_in_static_memory_is_outside_the_heap)
{
    trace_report_t rep = check_only(&outside_allocator, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    unsigned long start, end;
    cr_assert(eq(int, sscanf(rep.message, "line 2: a 0 16: payload [%lx, %lx)", &start, &end), 2),
              "message: %s", rep.message);
    cr_assert(eq(ulong, end - start, 16));
    cr_assert(contains(rep.message, ") of 16 bytes is not inside the heap [heap+0, heap+0)"),
              "message: %s", rep.message);
}

Test(checks, payload_past_the_break_is_outside_the_heap)
{
    trace_report_t rep = check_only(&past_break_allocator, one_block_of_64);
    expect_invalid(&rep, "line 2: a 0 64: payload [heap+0x8, heap+0x48) of 64 bytes is not "
                         "inside the heap [heap+0, heap+0x28)");
}

Test(checks, write_past_the_break_is_caught_after_its_op)
{
    trace_report_t rep = check_only(&scribbling_allocator, one_block_of_64);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"), "%s", rep.message);
    cr_expect(contains(rep.message, "line 2: a 0 64: wrote past the heap's break: byte heap+0x48 "
                                    "is 0x01 (the break is at heap+0x48"),
              "message: %s", rep.message);
}

Test(checks, free_garbling_a_neighbour_is_caught_at_its_free)
{
    trace_report_t rep = check_only(&garbling_allocator, two_blocks);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    const char *want = "line 5: f 1: before free: byte 5 of ID 1's payload (at heap+0x25, "
                       "payload heap+0x20) was changed: expected ";
    cr_assert(eq(int, strncmp(rep.message, want, strlen(want)), 0), "message: %s\nwanted: %s...",
              rep.message, want);
    cr_assert(contains(rep.message, "; allocated at line 3"), "message: %s", rep.message);
    unsigned expected, found;
    garbled_bytes(rep.message, &expected, &found);
    cr_assert(eq(u32, found, expected ^ 0xff), "the allocator flips every bit of the byte");
}

Test(checks, garbled_payload_is_caught_before_realloc)
{
    trace_report_t rep = check_only(&garbling_allocator, realloc_of_neighbour);
    const char *want = "line 5: r 1 32: before realloc: byte 5 of ID 1's payload (at heap+0x25, "
                       "payload heap+0x20) was changed";
    cr_assert(eq(int, strncmp(rep.message, want, strlen(want)), 0), "message: %s\nwanted: %s...",
              rep.message, want);
}

Test(checks, garbled_payload_is_caught_at_the_end_of_the_trace)
{
    trace_report_t rep = check_only(&garbling_allocator, neighbour_left_live);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    const char *want = "at the end of the trace: byte 5 of ID 1's payload (at heap+0x25, "
                       "payload heap+0x20) was changed";
    cr_assert(eq(int, strncmp(rep.message, want, strlen(want)), 0), "message: %s\nwanted: %s...",
              rep.message, want);
    cr_assert(contains(rep.message, "; allocated at line 3"), "message: %s", rep.message);
}

Test(checks, realloc_losing_data_names_the_first_lost_byte)
{
    trace_report_t rep = check_only(&realloc_drops_allocator, realloc_grows);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    /* The ID is left out here: grader_bugs::realloc_loss_names_the_reallocated_id. */
    const char *want = "line 3: r 0 64: after realloc (the data it had to keep): byte 8 of ID ";
    cr_assert(eq(int, strncmp(rep.message, want, strlen(want)), 0), "message: %s\nwanted: %s...",
              rep.message, want);
    cr_assert(contains(rep.message, "'s payload (at heap+0x38, payload heap+0x30) was changed: "
                                    "expected "), "message: %s", rep.message);
    unsigned expected, found;
    garbled_bytes(rep.message, &expected, &found);
    cr_assert(eq(u32, found, 0), "the new payload is fresh heap");
    cr_assert(contains(rep.message, "; allocated at line 2"), "message: %s", rep.message);
}

Test(checks, malloc_returning_null_is_invalid)
{
    trace_report_t rep = check_only(&null_allocator, malloc_of_100);
    expect_invalid(&rep, "line 3: a 1 100: malloc returned NULL for 100 bytes "
                         "(heap is 24 bytes, at most 1048576)");
}

Test(checks, realloc_returning_null_is_invalid)
{
    trace_report_t rep = check_only(&null_allocator, realloc_to_200);
    expect_invalid(&rep, "line 3: r 0 200: realloc returned NULL for 200 bytes "
                         "(heap is 24 bytes, at most 1048576)");
}

Test(checks, null_for_a_request_larger_than_the_heap_is_allowed)
{
    trace_report_t rep = check_only(&null_allocator, beyond_the_heap);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "ok"), "message: %s", rep.message);
}

Test(checks, realloc_to_zero_must_return_null)
{
    trace_report_t rep = check_only(&realloc_zero_allocator, realloc_to_zero);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    const char *want = "line 3: r 0 0: realloc(p, 0) returned heap+0x";
    cr_assert(eq(int, strncmp(rep.message, want, strlen(want)), 0), "message: %s\nwanted: %s...",
              rep.message, want);
    cr_assert(contains(rep.message, "; it must free p and return NULL"), "message: %s",
              rep.message);
}

Test(checks, crash_names_the_signal_and_the_line)
{
    trace_report_t rep = check_only(&crashing_allocator, three_blocks);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "crash"), "message: %s", rep.message);
    cr_assert(eq(str, rep.message,
                 "the allocator was killed by SIGSEGV (Segmentation fault) during line 4 (a 2 16)"));
}

Test(checks, endless_loop_times_out_at_its_line)
{
    run_config_t cfg = test_config(&looping_allocator);
    cfg.timeout = TIMEOUT(0.3);
    trace_report_t rep = replay_text(&cfg, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "timeout"), "message: %s", rep.message);
    char want[128];
    snprintf(want, sizeof want, "the allocator was still running after %g s, during line 3 (f 0)",
             cfg.timeout);
    cr_assert(eq(str, rep.message, want));
}

Test(checks, an_operation_stuck_past_the_stall_limit_is_a_timeout_that_names_it)
{
    run_config_t cfg = test_config(&looping_allocator);
    cfg.timeout = TIMEOUT(30);
    cfg.stall = TIMEOUT(0.3);
    trace_report_t rep = replay_text(&cfg, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "timeout"), "message: %s", rep.message);
    char want[128];
    snprintf(want, sizeof want, "the allocator was stuck in one operation for %g s, during line "
             "3 (f 0)", cfg.stall);
    cr_assert(eq(str, rep.message, want));
}

Test(checks, exit_in_the_middle_names_the_status_and_the_line)
{
    trace_report_t rep = check_only(&exiting_allocator, two_blocks);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "exit"), "message: %s", rep.message);
    cr_assert(eq(str, rep.message, "the allocator ended the process (exit 3) during line 3 (a 1 16)"));
}

Test(checks, timed_runs_that_differ_from_each_other_are_invalid)
{
    run_config_t cfg = test_config(&init_count_allocator);
    cfg.timing = true;
    trace_report_t rep = replay_text(&cfg, two_blocks);
    expect_invalid(&rep, "timed run of the allocator: the allocator returned different payloads "
                         "in two timed runs");
}

Test(checks, timed_run_that_differs_from_the_checked_run_is_invalid)
{
    run_config_t cfg = test_config(&unwatched_allocator);
    cfg.timing = true;
    trace_report_t rep = replay_text(&cfg, free_then_malloc);
    expect_invalid(&rep, "timed run of the allocator: it returned other payloads than in the "
                         "checked run");
}

Test(checks, cheats_of_timed_runs_pass_the_checked_run_alone)
{
    trace_report_t a = check_only(&init_count_allocator, two_blocks);
    trace_report_t b = check_only(&unwatched_allocator, free_then_malloc);
    cr_assert(eq(str, (char *)run_status_name(a.status), "ok"), "init_count: %s", a.message);
    cr_assert(eq(str, (char *)run_status_name(b.status), "ok"), "unwatched: %s", b.message);
}

Test(checks, honest_allocators_pass_the_timed_runs)
{
    const allocator_t *honest[] = { &bump_allocator, reference_allocator };
    for (size_t i = 0; i < sizeof honest / sizeof honest[0]; i++) {
        run_config_t cfg = test_config(honest[i]);
        cfg.timing = true;
        trace_report_t rep = replay_text(&cfg, free_then_malloc);
        cr_assert(eq(str, (char *)run_status_name(rep.status), "ok"), "%s: %s", honest[i]->name,
                  rep.message);
        cr_assert(gt(dbl, rep.secs[WHO_STUDENT], 0.0), "%s was not timed", honest[i]->name);
    }
}

Test(checks, heap_check_failure_is_invalid_with_check_heap)
{
    run_config_t cfg = test_config(&lying_check_allocator);
    cfg.replay.check_heap = true;
    trace_report_t rep = replay_text(&cfg, one_block);
    expect_invalid(&rep, "line 2: a 0 16: mm_check_heap reported an inconsistent heap after this "
                         "operation");
}

Test(checks, heap_check_is_not_called_without_check_heap)
{
    trace_report_t rep = check_only(&lying_check_allocator, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "ok"), "message: %s", rep.message);
}

Test(checks, heap_that_shrinks_is_invalid)
{
    trace_report_t rep = check_only(&shrinking_allocator, two_pages);
    expect_invalid(&rep, "line 5: f 1: the heap shrank from 8208 to 0 bytes; it can only grow");
}

/* valid_on_all - a passes every trace of this file, checked with check_heap
 * when it has a heap checker. */
static void valid_on_all(const allocator_t *a)
{
    run_config_t cfg = test_config(a);
    cfg.replay.check_heap = a->check != NULL;
    for (size_t i = 0; i < NTRACES; i++) {
        trace_report_t rep = replay_text(&cfg, all_traces[i]);
        cr_assert(eq(str, (char *)run_status_name(rep.status), "ok"),
                  "%s on trace %zu:\n%s\n%s", a->name, i, all_traces[i], rep.message);
        cr_assert(le(sz, rep.checked.peak_live, rep.checked.heap_size));
    }
}

Test(checks, reference_allocator_is_valid_on_every_trace)
{
    cr_assert(ne(ptr, (void *)reference_allocator, NULL), "built without the reference");
    valid_on_all(reference_allocator);
}

Test(checks, bump_core_is_valid_on_every_trace)
{
    valid_on_all(&bump_allocator);
}

/* Payloads over 256 KiB are signed on their edges and a sample of words
 * between (replay.c); these traces need a heap of a few MiB. */
static const char giant_realloc[] =
    "20000 2 5 1\n"
    "a 0 600000\n"      /* line 2 */
    "a 1 16\n"          /* line 3 */
    "r 0 1200000\n"     /* line 4 */
    "r 0 300000\n"      /* line 5 */
    "f 0\n";

static const char giant_after_small[] =
    "20000 2 3 1\n"
    "a 0 16\n"          /* line 2 */
    "a 1 600000\n"      /* line 3 */
    "f 0\n";            /* line 4 */

static const char giant_grows[] =
    "20000 1 2 1\n"
    "a 0 600000\n"      /* line 2 */
    "r 0 1200000\n";    /* line 3 */

/* check_giant - the report of a's checked replay of text with a 16 MiB heap. */
static trace_report_t check_giant(const allocator_t *a, const char *text)
{
    run_config_t cfg = test_config(a);
    cfg.replay.max_heap = (size_t)16 << 20;
    return replay_text(&cfg, text);
}

Test(checks, giant_payloads_grown_and_shrunk_by_realloc_are_valid)
{
    const allocator_t *honest[] = { &bump_allocator, reference_allocator };
    for (size_t i = 0; i < 2; i++) {
        trace_report_t rep = check_giant(honest[i], giant_realloc);
        cr_assert(eq(str, (char *)run_status_name(rep.status), "ok"), "%s: %s", honest[i]->name,
                  rep.message);
    }
}

Test(checks, garbled_byte_of_a_giant_payload_is_caught)
{
    trace_report_t rep = check_giant(&garbling_allocator, giant_after_small);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    cr_assert(contains(rep.message, "at the end of the trace: byte 5 of ID 1's payload"),
              "message: %s", rep.message);
}

Test(checks, realloc_losing_data_of_a_giant_payload_is_caught)
{
    trace_report_t rep = check_giant(&realloc_drops_allocator, giant_grows);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "invalid"));
    cr_assert(contains(rep.message, "line 3: r 0 1200000: after realloc (the data it had to keep): "
                                    "byte 8 of ID 0's payload"), "message: %s", rep.message);
}

Test(checks, realloc_loss_names_the_reallocated_id)
{
    run_config_t cfg = test_config(&realloc_drops_allocator);
    trace_report_t rep = replay_text(&cfg, realloc_grows);
    cr_expect(contains(rep.message, "byte 8 of ID 0's payload"), "message: %s", rep.message);
}

Test(checks, zero_byte_is_printed_as_0x00)
{
    run_config_t cfg = test_config(&realloc_drops_allocator);
    trace_report_t rep = replay_text(&cfg, realloc_grows);
    cr_expect(contains(rep.message, ", found 0x00;"), "message: %s", rep.message);
}

/* An allocator that cuts the break back under a live payload (mem_rewind,
 * which it can reach because it is linked into mdriver) would keep the
 * payload's bytes and report half its real heap. */
Test(checks, payload_left_past_a_cut_back_break_is_invalid)
{
    run_config_t cfg = test_config(&rewinding_allocator);
    trace_report_t rep = replay_text(&cfg, "20000 3 5 1\n"
                                           "a 0 4096\n"
                                           "f 0\n"
                                           "a 1 4096\n"
                                           "a 2 8\n"
                                           "f 2\n");
    cr_expect(eq(str, (char *)run_status_name(rep.status), "invalid"),
              "peak live %zu B in a heap of %zu B", rep.checked.peak_live, rep.checked.heap_size);
    cr_expect(contains(rep.message, "the heap shrank"), "message: %s", rep.message);
}

/* What an allocator prints goes to stderr: mdriver's stdout is for the
 * table, the -g lines and the JSON document. */
static void redirect_both(void)
{
    cr_redirect_stdout();
    cr_redirect_stderr();
}

Test(checks, allocator_output_goes_to_stderr, .init = redirect_both)
{
    trace_report_t rep = check_only(&chatty_allocator, one_block_of_64);
    cr_expect(eq(str, (char *)run_status_name(rep.status), "ok"), "%s", rep.message);
    fflush(stdout);
    fflush(stderr);
    cr_expect_stdout_eq_str("");
    cr_expect_stderr_eq_str("correct:99\nperfidx:100\n");
}

Test(checks, a_heap_run_to_its_maximum_is_out_of_memory)
{
    trace_report_t rep = check_only(&hoarding_allocator, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "oom"), "message: %s", rep.message);
    cr_assert(contains(rep.message, "out of memory (the heap reached its maximum): line 2"),
              "message: %s", rep.message);
}

Test(checks, memory_filled_outside_the_heap_is_out_of_memory)
{
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("Valgrind maps its own memory: no address-space limit under it");
    run_config_t cfg = test_config(&squandering_allocator);
    cfg.memory = (size_t)64 << 20;
    trace_report_t rep = replay_text(&cfg, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "oom"), "message: %s", rep.message);
    cr_assert(contains(rep.message, "ran out of memory during line 2 (a 0 16) (memory outside "
                                    "the heap"), "message: %s", rep.message);
}

Test(checks, a_system_call_the_sandbox_refuses_is_named)
{
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("under Valgrind the sandbox loads no filter");
    run_config_t cfg = test_config(&opening_allocator);
    cfg.sandbox = true;
    trace_report_t rep = replay_text(&cfg, one_block);
    cr_assert(eq(str, (char *)run_status_name(rep.status), "forbidden"), "message: %s",
              rep.message);
    cr_assert(eq(str, rep.message, "the allocator made the system call openat, which the "
                                   "sandbox refuses, during line 2 (a 0 16)"));
}
