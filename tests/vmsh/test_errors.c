/*
 * test_errors.c - bad input costs one line and nothing else: every bad
 * command, bad number, bad address, bad word, bad option and wrong
 * argument count gets one error line that says what was expected and
 * ends with the command's usage (an unknown command, with a pointer to
 * help), and the next command runs.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "vmshtest.h"

TestSuite(errors, .timeout = VMSH_TEST_TIMEOUT);

/* Runs bad (one line) then echo alive; checks that stderr is one line
 * that starts "<stdin>:1: " and contains want, and that alive printed. */
static void one_line_then_alive(const char *bad, const char *want)
{
    char input[512];
    snprintf(input, sizeof input, "%s\necho alive\n", bad);
    struct vmsh_run r = vmsh_batch(NULL, input, NULL, false);
    cr_expect(eq(int, vt_count_lines(r.err, ""), 1), "'%s': not one line:\n%s", bad, r.err);
    cr_expect(eq(int, strncmp(r.err, "<stdin>:1: ", 11), 0), "'%s': %s", bad, r.err);
    cr_expect(strstr(r.err, want) != NULL, "'%s': no '%s' in: %s", bad, want, r.err);
    cr_expect(strstr(r.out, "vmsh> echo alive\nalive\n") != NULL,
              "'%s': the session did not go on:\n%s", bad, r.out);
    cr_expect(eq(int, r.status, 0));
    vmsh_run_free(&r);
}

Test(errors, an_unknown_command_points_to_help)
{
    one_line_then_alive("frobnicate 1 2", "unknown command 'frobnicate'; help lists");
}

Test(errors, a_misspelled_command_gets_a_suggestion)
{
    one_line_then_alive("transalte 0x1000", "(did you mean translate?)");
}

Test(errors, a_bad_number_gets_the_usage)
{
    one_line_then_alive("mmap any 4Q rw- private,anon",
                        "mmap: bad LEN '4Q': expected a number (decimal, 0x hex, K/M/G/T "
                        "suffix); usage: mmap ADDR|any LEN PROT FLAGS [FILE [OFFSET]]");
    one_line_then_alive("touch 0x1000 -4", "bad LEN '-4'");
    one_line_then_alive("seed seven", "seed: bad N 'seven'");
}

Test(errors, a_bad_address_gets_the_usage)
{
    one_line_then_alive("translate 0x1000zz",
                        "translate: bad VA '0x1000zz': expected a number");
    one_line_then_alive("read 12abc", "read: bad VA '12abc': expected a number");
    one_line_then_alive("read 12abc", "; usage: read VA [N] [user|kernel]");
    one_line_then_alive("munmap here 4K", "munmap: bad ADDR 'here'");
}

Test(errors, a_number_too_big_for_64_bits_names_the_range)
{
    one_line_then_alive("translate 0x1ffffffffffffffff",
                        "translate: bad VA '0x1ffffffffffffffff': out of range, expected "
                        "0 to 0xffffffffffffffff (2^64 - 1); usage: translate VA");
    one_line_then_alive("read 18446744073709551616", "read: bad VA "
                        "'18446744073709551616': out of range, expected 0 to "
                        "0xffffffffffffffff (2^64 - 1)");
    one_line_then_alive("mmap any 0x1000000T rw- private,anon", "mmap: bad LEN "
                        "'0x1000000T': out of range, expected 0 to 0xffffffffffffffff");
}

Test(errors, a_bad_word_gets_the_usage)
{
    one_line_then_alive("mmap any 4K rwz private,anon", "mmap: bad PROT 'rwz'");
    one_line_then_alive("mmap any 4K rw- privte", "mmap: bad FLAGS 'privte'");
    one_line_then_alive("translate 0x1000 q", "translate: bad word 'q'");
    one_line_then_alive("log loud", "log: bad level 'loud'");
    one_line_then_alive("config frames=lots", "config: bad frames 'lots'");
    one_line_then_alive("switch abc", "switch: bad PID 'abc'");
}

Test(errors, a_wrong_argument_count_gets_the_usage)
{
    one_line_then_alive("translate", "translate: expected 1 to 3 arguments, got 0; usage: "
                        "translate VA [r|w|x] [user|kernel]");
    one_line_then_alive("tlb flush all now", "tlb: expected 0 to 2 arguments, got 3");
    one_line_then_alive("spawn 2", "spawn: expected no arguments, got 1; usage: spawn");
}

Test(errors, a_setting_too_big_to_read_gets_its_range)
{
    one_line_then_alive("config swap=99999999999", "config: bad swap '99999999999': "
                        "expected a number of swap slots, 0..1048576; usage: config");
    one_line_then_alive("config swap=4294967295", "config: swap is 4294967295 slots, "
                        "expected 0..1048576; nothing changed");
}

Test(errors, an_explicit_handspread_too_big_for_frames_is_refused)
{
    one_line_then_alive("config frames=16 handspread=16",
                        "config: handspread is 16, expected 0..15; nothing changed");
}

Test(errors, a_directory_given_as_a_file_is_named_as_one)
{
    one_line_then_alive("source /etc", "cannot run /etc: it is a directory, not a script");
    one_line_then_alive("replay /etc", "replay: /etc is a directory; expected a file of "
                        "page numbers or a lackey log");
}

Test(errors, a_bad_option_gets_the_usage)
{
    one_line_then_alive("pt --svg", "pt: unknown option '--svg'; usage: pt [PID|kernel] [--dot]");
    one_line_then_alive("replay x --frames", "replay: --frames needs a value (N|A-B)");
    one_line_then_alive("pt --dot=yes", "pt: --dot takes no value");
    one_line_then_alive("replay x --frames 0", "replay: bad --frames '0'");
}

Test(errors, a_bad_string_gets_the_usage)
{
    one_line_then_alive("write 0x1000 \"no end", "write: unterminated string: a \" is "
                        "missing; usage: write VA");
    one_line_then_alive("echo \"\\q\"", "echo: bad escape in string");
}

Test(errors, a_bad_subcommand_gets_the_usage)
{
    one_line_then_alive("file", "file: expected a subcommand (create, cat, write); usage:");
    one_line_then_alive("file remove x", "file: unknown subcommand 'remove'");
    one_line_then_alive("file create x 4K stripes", "file create: bad PATTERN 'stripes'");
}

/* For a command with at least one argument: run it with none; for one
 * with a limit: with one too many. Each must give the count error and the
 * usage, whatever the command. */
static void check_counts(const struct command *c, const char *name)
{
    char line[512], want[512];
    if (c->min_args > 0) {
        snprintf(want, sizeof want, "got 0; usage: %s", c->usage);
        one_line_then_alive(name, want);
    }
    if (c->max_args >= 0) {
        snprintf(line, sizeof line, "%s", name);
        for (int i = 0; i <= c->max_args; i++)
            strcat(line, " 1");
        snprintf(want, sizeof want, "got %d; usage: %s", c->max_args + 1, c->usage);
        one_line_then_alive(line, want);
    }
}

Test(errors, every_command_checks_its_argument_count)
{
    for (const struct command_group *g = command_groups; g->title; g++)
        for (const struct command *c = g->commands; c->name; c++) {
            if (!c->sub) {
                check_counts(c, c->name);
                continue;
            }
            for (const struct command *s = c->sub; s->name; s++) {
                char name[64];
                snprintf(name, sizeof name, "%s %s", c->name, s->name);
                check_counts(s, name);
            }
        }
}

/* Runs bad after a spawn and a file create, then echo alive: bad's error
 * is stderr's one line, at line 3, and contains want. */
static void refused_after_spawn(const char *bad, const char *want)
{
    char input[512];
    snprintf(input, sizeof input, "spawn\nfile create f 8K\n%s\necho alive\n", bad);
    struct vmsh_run r = vmsh_batch(NULL, input, NULL, false);
    cr_expect(eq(int, vt_count_lines(r.err, ""), 1), "'%s': not one line:\n%s", bad, r.err);
    cr_expect(eq(int, strncmp(r.err, "<stdin>:3: ", 11), 0), "'%s': %s", bad, r.err);
    cr_expect(strstr(r.err, want) != NULL, "'%s': no '%s' in: %s", bad, want, r.err);
    cr_expect(strstr(r.out, "vmsh> echo alive\nalive\n") != NULL,
              "'%s': the session did not go on:\n%s", bad, r.out);
    vmsh_run_free(&r);
}

Test(errors, an_mmap_refused_as_invalid_names_the_rule_it_breaks)
{
    refused_after_spawn("mmap 0x10000800 4K rw- private,anon,fixed",
                        "mmap: EINVAL (Invalid argument): MAP_FIXED needs a page-aligned "
                        "address");
    refused_after_spawn("mmap 0x800000000000 4K rw- private,anon,fixed",
                        "mmap: EINVAL (Invalid argument): MAP_FIXED needs a range inside "
                        "user space");
    refused_after_spawn("mmap any 0 rw- private,anon",
                        "mmap: EINVAL (Invalid argument): the length must not be 0");
    refused_after_spawn("mmap any 4K rw- shared,private,anon",
                        "mmap: EINVAL (Invalid argument): flags need exactly one of "
                        "MAP_SHARED and MAP_PRIVATE");
    refused_after_spawn("mmap any 4K rw- anon",
                        "mmap: EINVAL (Invalid argument): flags need exactly one of "
                        "MAP_SHARED and MAP_PRIVATE");
    refused_after_spawn("mmap any 4K r-- private f 100",
                        "mmap: EINVAL (Invalid argument): the file offset must be "
                        "page-aligned");
    refused_after_spawn("mmap any 4K r-- private,anon f",
                        "mmap: EINVAL (Invalid argument): MAP_ANONYMOUS takes no file");
}

Test(errors, a_munmap_or_mprotect_refused_as_invalid_names_the_rule_it_breaks)
{
    refused_after_spawn("munmap 0x10000800 4K",
                        "munmap: EINVAL (Invalid argument): the address must be page-aligned");
    refused_after_spawn("mprotect 0x10000000 0 r--",
                        "mprotect: EINVAL (Invalid argument): the length must not be 0");
    struct vmsh_run r = vmsh_batch(NULL, "spawn\nmmap any 4M rw- private,anon,huge\n"
                                   "munmap 0x10000000 1M\nmprotect 0x10100000 1M r--\n",
                                   NULL, false);
    cr_expect(strstr(r.err, "<stdin>:3: munmap: EINVAL (Invalid argument): the range would "
                            "cut a 2 MiB page of a huge region") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "<stdin>:4: mprotect: EINVAL (Invalid argument): the range would "
                            "cut a 2 MiB page of a huge region") != NULL, "%s", r.err);
    vmsh_run_free(&r);
}

Test(errors, map_inside_a_region_is_refused)
{
    struct vmsh_run r = vmsh_batch(NULL, "spawn\nmmap 0x10000000 8K rw- private,anon,fixed\n"
                                   "map 0x10001000 0x20000 u\necho alive\n", NULL, false);
    cr_expect(strstr(r.err, "<stdin>:3: map: 0x10001000 lies in a region (vmas)") != NULL,
              "%s", r.err);
    cr_expect(strstr(r.out, "alive\n") != NULL, "the session did not go on:\n%s", r.out);
    vmsh_run_free(&r);
}

Test(errors, a_refusal_of_the_machine_names_its_errno)
{
    struct vmsh_run r = vmsh_batch(NULL, "file create f 4K\nfile create f 4K\n"
                                   "echo alive\n", NULL, false);
    cr_expect(eq(str, r.err, "<stdin>:2: file create: f: EEXIST (File exists)\n"));
    cr_expect(strstr(r.out, "vmsh> echo alive\nalive\n") != NULL, "got: %s", r.out);
    vmsh_run_free(&r);
}
