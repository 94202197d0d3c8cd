/*
 * test_parse.c - the words and values of a command line (parse.h):
 * numbers with their bases and suffixes, quoted strings, protections, mmap
 * flags, ranges and configuration settings; each refusal as well.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "parse.h"
#include "timeouts.h"

TestSuite(parse, .timeout = TIMEOUT(5));

static uint64_t number(const char *s)
{
    uint64_t v = 0;
    cr_assert(parse_number(s, &v), "parse_number(\"%s\") refused it", s);
    return v;
}

static void not_a_number(const char *s)
{
    uint64_t v = 12345;
    cr_expect(not(parse_number(s, &v)), "parse_number(\"%s\") took it as %" PRIu64, s, v);
}

Test(parse, number_reads_decimal_and_hex)
{
    cr_expect(eq(u64, number("0"), 0));
    cr_expect(eq(u64, number("4096"), 4096));
    cr_expect(eq(u64, number("0x1000"), 0x1000));
    cr_expect(eq(u64, number("0XfFff"), 0xffff));
    cr_expect(eq(u64, number("0xffff800000000000"), 0xffff800000000000));
    cr_expect(eq(u64, number("010"), 10), "a leading zero is not octal");
}

Test(parse, number_suffixes_are_powers_of_1024)
{
    cr_expect(eq(u64, number("4K"), 4096));
    cr_expect(eq(u64, number("4k"), 4096));
    cr_expect(eq(u64, number("2M"), 2u << 20));
    cr_expect(eq(u64, number("1G"), 1u << 30));
    cr_expect(eq(u64, number("1T"), (uint64_t)1 << 40));
    cr_expect(eq(u64, number("0x10K"), 16 << 10));
}

Test(parse, number_refuses_signs_blanks_junk_and_overflow)
{
    not_a_number("");
    not_a_number("-1");
    not_a_number("+1");
    not_a_number(" 1");
    not_a_number("1 ");
    not_a_number("12abc");
    not_a_number("0x");
    not_a_number("0xg");
    not_a_number("4KB");
    not_a_number("4Q");
    not_a_number("18446744073709551616");
    not_a_number("0x10000000000000000");
    not_a_number("16777216T");
}

Test(parse, range_reads_one_number_or_two)
{
    uint64_t lo, hi;
    cr_assert(parse_range("3", &lo, &hi));
    cr_expect(eq(u64, lo, 3));
    cr_expect(eq(u64, hi, 3));
    cr_assert(parse_range("1-8", &lo, &hi));
    cr_expect(eq(u64, lo, 1));
    cr_expect(eq(u64, hi, 8));
    cr_expect(not(parse_range("8-1", &lo, &hi)), "a reversed range");
    cr_expect(not(parse_range("-8", &lo, &hi)));
    cr_expect(not(parse_range("1-", &lo, &hi)));
}

static void split(const char *line, struct words *ws)
{
    char err[128] = "";
    int r = words_split(line, ws, err, sizeof err);
    cr_assert(eq(int, r, 0), "words_split(%s) failed: %s", line, err);
}

static void split_fails(const char *line, const char *reason)
{
    struct words ws;
    char err[128] = "";
    int r = words_split(line, &ws, err, sizeof err);
    words_free(&ws);
    cr_expect(eq(int, r, -1), "words_split(%s) should fail", line);
    cr_expect(strstr(err, reason) != NULL, "the reason '%s' should mention '%s'", err,
              reason);
}

Test(parse, words_split_at_blanks_and_stop_at_a_comment)
{
    struct words ws;
    split("  mmap\tany 4K   rw- # a comment", &ws);
    cr_expect(eq(int, ws.n, 4));
    cr_expect(eq(str, ws.w[0], "mmap"));
    cr_expect(eq(str, ws.w[3], "rw-"));
    cr_expect(not(ws.quoted[1]));
    words_free(&ws);
    split("# only a comment", &ws);
    cr_expect(eq(int, ws.n, 0));
    words_free(&ws);
}

Test(parse, quoted_word_keeps_blanks_and_takes_escapes)
{
    struct words ws;
    split("write 0x1000 \"a b\\t\\\"c\\\"\\n\\x41\"", &ws);
    cr_assert(eq(int, ws.n, 3));
    cr_expect(ws.quoted[2]);
    cr_expect(eq(str, ws.w[2], "a b\t\"c\"\nA"));
    cr_expect(eq(sz, ws.len[2], 9));
    words_free(&ws);
}

Test(parse, quoted_word_may_hold_a_nul)
{
    struct words ws;
    split("echo \"a\\0b\" #x", &ws);
    cr_assert(eq(int, ws.n, 2));
    cr_expect(eq(sz, ws.len[1], 3));
    cr_expect(eq(int, memcmp(ws.w[1], "a\0b", 3), 0));
    words_free(&ws);
}

Test(parse, single_quotes_take_everything_as_is)
{
    struct words ws;
    split("echo 'a\\n # b'", &ws);
    cr_assert(eq(int, ws.n, 2));
    cr_expect(eq(str, ws.w[1], "a\\n # b"));
    words_free(&ws);
}

Test(parse, bad_strings_are_refused_with_the_reason)
{
    split_fails("echo \"no end", "unterminated");
    split_fails("echo \"\\q\"", "bad escape");
    split_fails("echo \"\\x4\"", "two hex digits");
    split_fails("echo \"a\"b", "must end its word");
}

Test(parse, more_than_words_max_is_refused)
{
    char line[4 * WORDS_MAX + 8] = "";
    for (int i = 0; i <= WORDS_MAX; i++)
        strcat(line, "w ");
    split_fails(line, "too many words");
}

Test(parse, prot_reads_letters_names_and_none)
{
    cr_expect(eq(int, parse_prot("rw-"), PROT_READ | PROT_WRITE));
    cr_expect(eq(int, parse_prot("r-x"), PROT_READ | PROT_EXEC));
    cr_expect(eq(int, parse_prot("rwx"), PROT_READ | PROT_WRITE | PROT_EXEC));
    cr_expect(eq(int, parse_prot("r"), PROT_READ));
    cr_expect(eq(int, parse_prot("---"), PROT_NONE));
    cr_expect(eq(int, parse_prot("none"), PROT_NONE));
    cr_expect(eq(int, parse_prot("PROT_READ|PROT_WRITE"), PROT_READ | PROT_WRITE));
    cr_expect(eq(int, parse_prot("read,exec"), PROT_READ | PROT_EXEC));
}

Test(parse, prot_refuses_repeats_and_unknown_letters)
{
    cr_expect(eq(int, parse_prot("rr"), -1));
    cr_expect(eq(int, parse_prot("rwq"), -1));
    cr_expect(eq(int, parse_prot(""), -1));
    cr_expect(eq(int, parse_prot("PROT_READ|"), -1));
}

Test(parse, flags_read_words_joined_by_commas_or_bars)
{
    cr_expect(eq(int, parse_flags("private,anon"), MAP_PRIVATE | MAP_ANONYMOUS));
    cr_expect(eq(int, parse_flags("shared|fixed"), MAP_SHARED | MAP_FIXED));
    cr_expect(eq(int, parse_flags("MAP_SHARED|MAP_ANONYMOUS"), MAP_SHARED | MAP_ANONYMOUS));
    cr_expect(eq(int, parse_flags("private,anonymous,fixed"),
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED));
    cr_expect(eq(int, parse_flags("privat"), -1));
    cr_expect(eq(int, parse_flags("private,,anon"), -1));
}

Test(parse, flags_text_is_what_parse_flags_reads)
{
    char buf[64];
    int all[] = { MAP_PRIVATE, MAP_SHARED | MAP_ANONYMOUS,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        flags_text(all[i], buf, sizeof buf);
        cr_expect(eq(int, parse_flags(buf), all[i]), "flags_text gave '%s'", buf);
    }
}

Test(parse, size_text_uses_the_largest_whole_unit)
{
    char buf[32];
    cr_expect(eq(str, (char *)size_text(4096, buf, sizeof buf), "4K"));
    cr_expect(eq(str, (char *)size_text(2u << 20, buf, sizeof buf), "2M"));
    cr_expect(eq(str, (char *)size_text(6144, buf, sizeof buf), "6K"));
    cr_expect(eq(str, (char *)size_text(100, buf, sizeof buf), "100"));
    cr_expect(eq(str, (char *)size_text(0, buf, sizeof buf), "0"));
}

Test(parse, config_set_reads_every_key)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160];
    const char *settings[] = { "frames=32", "tlb=4x2", "policy=clock2", "watermarks=5,7",
                               "swap=1K", "handspread=3", "log=tlb", "seed=0x10" };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        cr_assert(eq(int, config_set(&c, &seed, settings[i], err, sizeof err), 0),
                  "%s: %s", settings[i], err);
    cr_expect(eq(u32, c.frames, 32));
    cr_expect(eq(u32, c.tlb_sets, 4));
    cr_expect(eq(u32, c.tlb_ways, 2));
    cr_expect(eq(int, c.policy, POLICY_CLOCK2));
    cr_expect(eq(u32, c.low_water, 5));
    cr_expect(eq(u32, c.high_water, 7));
    cr_expect(eq(u32, c.swap_slots, 1024));
    cr_expect(eq(u32, c.handspread, 3));
    cr_expect(eq(int, c.log_level, LOG_TLB));
    cr_expect(eq(u64, seed, 16));
}

Test(parse, config_set_refuses_unknown_keys_and_bad_values)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160];
    const char *bad[] = { "frames", "=3", "colour=red", "frames=lots", "tlb=8",
                          "tlb=8x", "policy=lru", "watermarks=4", "log=loud", "seed=-1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_expect(eq(int, config_set(&c, &seed, bad[i], err, sizeof err), -1),
                  "'%s' was accepted", bad[i]);
        cr_expect(err[0] != '\0', "no reason given for '%s'", bad[i]);
    }
}

Test(parse, config_values_offers_only_words_config_set_reads)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160], setting[64];
    int keys = 0;
    for (const char *const *k = config_keys; *k; k++) {
        const char *const *v = config_values(*k);
        keys += v != NULL;
        for (; v && *v; v++) {
            snprintf(setting, sizeof setting, "%s=%s", *k, *v);
            cr_expect(eq(int, config_set(&c, &seed, setting, err, sizeof err), 0),
                      "%s is offered but refused: %s", setting, err);
        }
    }
    cr_expect(ge(int, keys, 2), "policy and log take words");
    cr_expect_null(config_values("frames"));
}

Test(parse, config_text_reads_back_through_config_set)
{
    struct vm_config c, d;
    vm_config_default(&c);
    c.frames = 48;
    c.policy = POLICY_CLOCK2;
    c.log_level = LOG_OFF;
    vm_config_default(&d);
    uint64_t seed = 99, seed2 = 0;
    char text[256], err[160];
    config_text(&c, seed, text, sizeof text);
    for (char *w = strtok(text, " "); w; w = strtok(NULL, " "))
        cr_assert(eq(int, config_set(&d, &seed2, w, err, sizeof err), 0), "%s: %s", w, err);
    cr_expect(eq(int, memcmp(&c, &d, sizeof c), 0), "the configuration changed");
    cr_expect(eq(u64, seed2, 99));
}

Test(parse, config_apply_fits_a_handspread_that_frames_no_longer_holds)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160], note[160];
    const char *settings[] = { "frames=16" };
    cr_assert(eq(int, config_apply(&c, &seed, settings, 1, err, sizeof err, note,
                                   sizeof note), 0), "%s", err);
    cr_expect(eq(u32, c.frames, 16));
    cr_expect(eq(u32, c.handspread, 4), "frames / 4");
    cr_expect(eq(str, note, "handspread 16 does not fit 16 frames: it is 4 now (frames / 4)"));
    cr_expect(eq(int, vm_config_check(&c, err, sizeof err), 0), "%s", err);
}

Test(parse, config_apply_keeps_a_handspread_that_still_fits)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160], note[160];
    const char *settings[] = { "frames=17", "policy=clock2" };
    cr_assert(eq(int, config_apply(&c, &seed, settings, 2, err, sizeof err, note,
                                   sizeof note), 0), "%s", err);
    cr_expect(eq(u32, c.handspread, 16));
    cr_expect(eq(str, note, ""));
}

Test(parse, config_apply_leaves_a_given_handspread_to_the_check)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160], note[160];
    const char *settings[] = { "handspread=16", "frames=16" };
    cr_assert(eq(int, config_apply(&c, &seed, settings, 2, err, sizeof err, note,
                                   sizeof note), 0), "%s", err);
    cr_expect(eq(u32, c.handspread, 16));
    cr_expect(eq(str, note, ""));
    cr_expect(eq(int, vm_config_check(&c, err, sizeof err), -EINVAL));
    cr_expect(eq(str, err, "handspread is 16, expected 0..15"));
}

Test(parse, config_apply_stops_at_the_first_bad_setting)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160], note[160];
    const char *settings[] = { "frames=32", "swap=lots", "seed=9" };
    cr_expect(eq(int, config_apply(&c, &seed, settings, 3, err, sizeof err, note,
                                   sizeof note), -1));
    cr_expect(eq(str, err, "bad swap 'lots': expected a number of swap slots, 0..1048576"));
    cr_expect(eq(u64, seed, 1), "a setting after the bad one was applied");
}

Test(parse, a_number_too_big_for_a_setting_gets_the_range)
{
    struct vm_config c;
    vm_config_default(&c);
    uint64_t seed = 1;
    char err[160];
    cr_expect(eq(int, config_set(&c, &seed, "swap=99999999999", err, sizeof err), -1));
    cr_expect(eq(str, err, "bad swap '99999999999': expected a number of swap slots, "
                 "0..1048576"));
    cr_expect(eq(int, config_set(&c, &seed, "frames=99999999999", err, sizeof err), -1));
    cr_expect(eq(str, err, "bad frames '99999999999': expected a number of frames, "
                 "16..65536"));
}
