/*
 * test_replace.c - the replacement experiments (replace.c) and the
 * reference streams they read (refstream.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rng.h"
#include "vmtest.h"

TestSuite(replace, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);
TestSuite(refstream, .init = vt_setup, .fini = vt_teardown, .timeout = VT_TIMEOUT);

/* The shipped streams, wherever the tests run from. */
#define REFS KIT_ROOT "/traces/refs/"

static const uint64_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
#define NBELADY (sizeof belady / sizeof belady[0])

static int64_t faults(const uint64_t *pages, size_t n, int policy, unsigned frames,
                      unsigned spread)
{
    struct replay r;
    cr_assert_eq(replay_init_pages(&r, pages, n), 0, "replay_init_pages");
    int64_t f = replace_run(&r, policy, frames, spread);
    replay_free(&r);
    return f;
}

Test(replace, fifo_shows_beladys_anomaly)
{
    VT_EQ(faults(belady, NBELADY, REPLACE_FIFO, 3, 0), 9, "FIFO faults, 3 frames");
    VT_EQ(faults(belady, NBELADY, REPLACE_FIFO, 4, 0), 10, "FIFO faults, 4 frames");
}

Test(replace, lru_on_beladys_string)
{
    VT_EQ(faults(belady, NBELADY, REPLACE_LRU, 3, 0), 10, "LRU faults, 3 frames");
    VT_EQ(faults(belady, NBELADY, REPLACE_LRU, 4, 0), 8, "LRU faults, 4 frames");
}

Test(replace, opt_on_beladys_string)
{
    VT_EQ(faults(belady, NBELADY, REPLACE_OPT, 3, 0), 7, "OPT faults, 3 frames");
    VT_EQ(faults(belady, NBELADY, REPLACE_OPT, 4, 0), 6, "OPT faults, 4 frames");
}

Test(replace, one_handed_clock_on_beladys_string)
{
    VT_EQ(faults(belady, NBELADY, REPLACE_CLOCK1, 3, 0), 9, "clock1 faults, 3 frames");
    VT_EQ(faults(belady, NBELADY, REPLACE_CLOCK1, 4, 0), 10, "clock1 faults, 4 frames");
}

Test(replace, two_handed_clock_on_beladys_string)
{
    VT_EQ(faults(belady, NBELADY, REPLACE_CLOCK2, 3, 1), 10, "clock2 faults, 3 frames, spread 1");
}

Test(replace, two_handed_clock_with_no_spread_takes_the_page_under_the_hands)
{
    /* Spread 0: the front hand clears the bit the back hand then reads,
     * so the clock degenerates to FIFO. */
    for (unsigned frames = 1; frames <= 5; frames++)
        VT_EQ(faults(belady, NBELADY, REPLACE_CLOCK2, frames, 0),
              faults(belady, NBELADY, REPLACE_FIFO, frames, 0), "clock2 spread 0 vs FIFO");
}

Test(replace, enough_frames_fault_once_per_page)
{
    for (int pol = 0; pol < REPLACE_NPOLICIES; pol++)
        VT_EQ(faults(belady, NBELADY, pol, 5, 2), 5, replace_policy_name(pol));
}

/* limit_address_space - this process may map at most extra bytes more
 * from now on, so asking for more fails on any machine, however much
 * memory it has (the test runs in a process of its own). */
static void limit_address_space(uint64_t extra)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    cr_assert(f && fscanf(f, "%lu", &pages) == 1, "cannot read /proc/self/statm");
    fclose(f);
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_AS, &rl), 0, "getrlimit");
    rlim_t want = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + extra;
    if (rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max)
        rl.rlim_cur = want;
    cr_assert_eq(setrlimit(RLIMIT_AS, &rl), 0, "setrlimit");
}

Test(replace, frames_past_the_pages_used_take_no_memory_of_their_own)
{
    /* Tables for 2^32 - 1 frames would be tens of GiB; five pages need
     * five frames, and fault once each however many there are. */
    limit_address_space((uint64_t)256 << 20);
    for (int pol = 0; pol < REPLACE_NPOLICIES; pol++)
        VT_EQ(faults(belady, NBELADY, pol, UINT32_MAX, 2), 5, replace_policy_name(pol));
}

Test(replace, empty_stream_has_no_faults)
{
    for (int pol = 0; pol < REPLACE_NPOLICIES; pol++)
        VT_EQ(faults(belady, 0, pol, 3, 1), 0, replace_policy_name(pol));
}

Test(replace, bad_arguments_are_refused)
{
    VT_EQ(faults(belady, NBELADY, REPLACE_LRU, 0, 0), -EINVAL, "0 frames");
    VT_EQ(faults(belady, NBELADY, 99, 3, 0), -EINVAL, "unknown policy");
}

Test(replace, opt_is_never_beaten_and_lru_never_gets_worse_with_more_frames)
{
    rng_t g = rng_seed(33);
    uint64_t pages[3000];
    for (size_t i = 0; i < 3000; i++)      /* drifting locality */
        pages[i] = i / 100 + rng_below(&g, 12);
    int64_t last_lru = INT64_MAX;
    for (unsigned frames = 1; frames <= 16; frames++) {
        int64_t opt = faults(pages, 3000, REPLACE_OPT, frames, 0);
        for (int pol = 0; pol < REPLACE_NPOLICIES; pol++)
            cr_assert_leq(opt, faults(pages, 3000, pol, frames, frames / 2),
                          "OPT (%" PRId64 ") beaten by %s with %u frames", opt,
                          replace_policy_name(pol), frames);
        int64_t lru = faults(pages, 3000, REPLACE_LRU, frames, 0);
        cr_assert_leq(lru, last_lru, "LRU got worse going to %u frames", frames);
        last_lru = lru;
    }
}

Test(replace, loop_bigger_than_memory_defeats_lru_but_not_opt)
{
    uint64_t pages[100];
    for (size_t i = 0; i < 100; i++)
        pages[i] = i % 10;
    VT_EQ(faults(pages, 100, REPLACE_LRU, 9, 0), 100, "LRU faults");
    VT_EQ(faults(pages, 100, REPLACE_FIFO, 9, 0), 100, "FIFO faults");
    cr_assert_lt(faults(pages, 100, REPLACE_OPT, 9, 0), 25, "OPT faults");
}

Test(replace, policy_names_round_trip)
{
    for (int pol = 0; pol < REPLACE_NPOLICIES; pol++)
        VT_EQ(replace_policy_parse(replace_policy_name(pol)), pol, replace_policy_name(pol));
    VT_EQ(replace_policy_parse("random"), -1, "unknown name");
    cr_assert_str_eq(replace_policy_name(42), "?");
}

Test(refstream, pages_file_reads_one_reference_per_line)
{
    struct refstream s;
    cr_assert_eq(refstream_load(&s, REFS "belady.pages", REF_AUTO, stderr), 0);
    VT_EQ(s.n, NBELADY, "references");
    VT_EQ(s.errors, 0, "bad lines");
    for (size_t i = 0; i < s.n; i++)
        VT_EQ(s.va[i], belady[i] << PAGE_SHIFT, "address of a reference");
    struct replay r;
    cr_assert_eq(replay_init(&r, &s), 0);
    VT_EQ(r.npages, 5, "distinct pages");
    VT_EQ(replace_run(&r, REPLACE_FIFO, 4, 0), 10, "FIFO faults, 4 frames");
    replay_free(&r);
    refstream_free(&s);
}

Test(refstream, lackey_log_is_recognised_and_read)
{
    struct refstream s;
    cr_assert_eq(refstream_load(&s, REFS "tiny.lackey", REF_AUTO, stderr), 0);
    VT_EQ(s.n, 7, "references");
    VT_EQ(s.errors, 0, "bad lines");
    VT_EQ(s.va[0], 0x04000000, "first address");
    VT_EQ(s.kind[0], ACC_EXEC, "I is a fetch");
    VT_EQ(s.kind[1], ACC_READ, "L is a load");
    VT_EQ(s.va[3], 0x1ffefff000, "store address");
    VT_EQ(s.kind[3], ACC_WRITE, "S is a store");
    VT_EQ(s.kind[4], ACC_WRITE, "M is a write");
    refstream_free(&s);
}

static struct refstream parse(const char *text, int format, char *err, size_t n)
{
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    FILE *e = fmemopen(err, n, "w");
    struct refstream s;
    cr_assert_eq(refstream_read(&s, in, "t.refs", format, e), 0, "refstream_read");
    fclose(in);
    fclose(e);
    return s;
}

Test(refstream, bad_line_is_reported_with_file_and_line_and_skipped)
{
    char err[256] = "";
    struct refstream s = parse("# comment\n0x10\n\nbanana\n  17  # seventeen\n", REF_PAGES,
                               err, sizeof err);
    VT_EQ(s.n, 2, "references kept");
    VT_EQ(s.errors, 1, "bad lines");
    cr_assert(strstr(err, "t.refs:4: expected a page number") != NULL,
              "error message: '%s'", err);
    VT_EQ(s.va[1], 17 << PAGE_SHIFT, "second page");
    refstream_free(&s);
}

Test(refstream, pages_format_refuses_octal_trap_and_overflow)
{
    char err[512] = "";
    struct refstream s = parse("010\n99999999999999999999\n12x\n0x\n", REF_PAGES, err,
                               sizeof err);
    VT_EQ(s.n, 1, "references kept");
    VT_EQ(s.va[0], 10 << PAGE_SHIFT, "010 is decimal ten");
    VT_EQ(s.errors, 3, "bad lines");
    refstream_free(&s);
}

Test(refstream, bad_lackey_lines_are_reported)
{
    char err[512] = "";
    struct refstream s = parse("I  0400,3\n X 0400,3\n L zz,8\n S 1000\n L 10,x\nI 10,4\n",
                               REF_LACKEY, err, sizeof err);
    VT_EQ(s.n, 2, "references kept");
    VT_EQ(s.errors, 4, "bad lines");
    cr_assert(strstr(err, "t.refs:2: expected a lackey line") != NULL, "message: '%s'", err);
    refstream_free(&s);
}

Test(refstream, many_bad_lines_are_counted_after_the_first_ten)
{
    char text[4096] = "";
    for (int i = 0; i < 30; i++)
        strcat(text, "nope\n");
    char err[2048] = "";
    struct refstream s = parse(text, REF_PAGES, err, sizeof err);
    VT_EQ(s.errors, 30, "bad lines");
    cr_assert(strstr(err, "30 bad lines in all") != NULL, "summary missing: '%s'", err);
    refstream_free(&s);
}

Test(refstream, missing_file_is_an_error)
{
    struct refstream s;
    VT_EQ(refstream_load(&s, REFS "no-such-file", REF_AUTO, NULL), -ENOENT, "result");
    VT_EQ(s.n, 0, "references");
}

Test(refstream, a_directory_is_an_error)
{
    struct refstream s;
    VT_EQ(refstream_load(&s, REFS, REF_AUTO, NULL), -EISDIR, "result");
    VT_EQ(s.n, 0, "references");
}

Test(refstream, format_names_parse)
{
    VT_EQ(refstream_format_parse("auto"), REF_AUTO, "auto");
    VT_EQ(refstream_format_parse("pages"), REF_PAGES, "pages");
    VT_EQ(refstream_format_parse("lackey"), REF_LACKEY, "lackey");
    VT_EQ(refstream_format_parse("cachegrind"), -1, "unknown");
}

Test(refstream, shipped_streams_read_without_errors)
{
    static const char *const files[] = {
        REFS "belady.pages", REFS "loop.pages",
        REFS "locality.pages", REFS "tiny.lackey",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct refstream s;
        cr_assert_eq(refstream_load(&s, files[i], REF_AUTO, stderr), 0, "%s", files[i]);
        cr_assert_eq(s.errors, 0, "%s has bad lines", files[i]);
        cr_assert_gt(s.n, 0, "%s is empty", files[i]);
        refstream_free(&s);
    }
}

static int64_t file_faults(const char *path, int policy, unsigned frames, unsigned spread)
{
    struct refstream s;
    cr_assert_eq(refstream_load(&s, path, REF_AUTO, stderr), 0, "%s", path);
    struct replay r;
    cr_assert_eq(replay_init(&r, &s), 0);
    int64_t f = replace_run(&r, policy, frames, spread);
    replay_free(&r);
    refstream_free(&s);
    return f;
}

/* The figures traces/refs/README.md quotes. */
Test(refstream, readme_figures_hold)
{
    VT_EQ(file_faults(REFS "belady.pages", REPLACE_FIFO, 3, 0), 9, "belady FIFO 3");
    VT_EQ(file_faults(REFS "belady.pages", REPLACE_FIFO, 4, 0), 10, "belady FIFO 4");
    VT_EQ(file_faults(REFS "loop.pages", REPLACE_FIFO, 9, 0), 100, "loop FIFO 9");
    VT_EQ(file_faults(REFS "loop.pages", REPLACE_LRU, 9, 0), 100, "loop LRU 9");
    VT_EQ(file_faults(REFS "loop.pages", REPLACE_CLOCK1, 9, 0), 100, "loop clock1 9");
    VT_EQ(file_faults(REFS "loop.pages", REPLACE_OPT, 9, 0), 20, "loop OPT 9");
    VT_EQ(file_faults(REFS "locality.pages", REPLACE_LRU, 4, 0), 1010, "locality LRU 4");
    VT_EQ(file_faults(REFS "locality.pages", REPLACE_CLOCK1, 4, 0), 1018,
          "locality clock1 4");
    VT_EQ(file_faults(REFS "locality.pages", REPLACE_OPT, 4, 0), 597, "locality OPT 4");
    VT_EQ(file_faults(REFS "tiny.lackey", REPLACE_LRU, 8, 0), 5, "tiny.lackey pages");
}

Test(replace, many_pages_and_repeated_runs_agree)
{
    rng_t g = rng_seed(5);
    size_t n = 60000;
    uint64_t *pages = malloc(n * sizeof *pages);
    cr_assert_not_null(pages);
    for (size_t i = 0; i < n; i++)
        pages[i] = rng_below(&g, 20000) * 4099;
    struct replay r;
    cr_assert_eq(replay_init_pages(&r, pages, n), 0);
    free(pages);
    int64_t first = replace_run(&r, REPLACE_OPT, 500, 0);
    VT_EQ(replace_run(&r, REPLACE_OPT, 500, 0), first, "OPT run twice");
    cr_assert_leq(first, replace_run(&r, REPLACE_LRU, 500, 0), "OPT beaten by LRU");
    replay_free(&r);
}

Test(refstream, hex_digits_of_both_cases_and_long_addresses)
{
    char err[512] = "";
    struct refstream s = parse("0xAbC\n I  00000000000000000000,4\n", REF_AUTO, err, sizeof err);
    VT_EQ(s.n, 1, "references kept");
    VT_EQ(s.va[0], 0xabcULL << PAGE_SHIFT, "0xAbC");
    VT_EQ(s.errors, 1, "a 20-digit address is refused");
    refstream_free(&s);
}
