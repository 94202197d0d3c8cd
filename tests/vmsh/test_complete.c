/*
 * test_complete.c - Tab completion's candidates (complete.h), asked
 * directly, on a session whose machine has processes and files.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <string.h>

#include "commands.h"
#include "complete.h"
#include "vmshtest.h"

static struct vmsh sh;

static void setup(void)
{
    cr_redirect_stdout();
    struct vm_config c;
    vm_config_default(&c);
    cr_assert(eq(int, session_init(&sh, &c, 1), 0));
    /* The framework's calls, not commands: no student code runs here. */
    cr_assert_not_null(proc_spawn(sh.m));
    cr_assert_not_null(proc_spawn(sh.m));
    cr_assert(eq(int, command_run_line(&sh, "file create data 4K"), 0));
    cr_assert(eq(int, command_run_line(&sh, "file create notes 4K"), 0));
}

static void teardown(void)
{
    session_free(&sh);
}

TestSuite(complete, .init = setup, .fini = teardown, .timeout = VMSH_TEST_TIMEOUT);

/* The candidates for the last word of line (after its last blank), as one
 * string: "a b c". */
static const char *candidates(const char *line, bool *host_path)
{
    static char out[2048];
    const char *blank = strrchr(line, ' ');
    int start = blank ? (int)(blank - line) + 1 : 0;
    struct completion c = complete_word(&sh, line, start, line + start);
    out[0] = '\0';
    for (char **w = c.words; w && *w; w++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", out[0] ? " " : "", *w);
    if (host_path)
        *host_path = c.host_path;
    complete_free(&c);
    return out;
}

Test(complete, a_partial_command_completes_to_the_commands_it_begins)
{
    cr_expect(eq(str, (char *)candidates("sw", NULL), "swap switch"));
    cr_expect(eq(str, (char *)candidates("tr", NULL), "translate"));
}

Test(complete, an_empty_line_offers_every_command)
{
    const char *all = candidates("", NULL);
    cr_expect(strstr(all, "config") && strstr(all, "translate") && strstr(all, "quit"),
              "got: %s", all);
    cr_expect(strstr(all, "create") == NULL, "subcommands are not commands: %s", all);
}

Test(complete, file_offers_its_subcommands)
{
    cr_expect(eq(str, (char *)candidates("file ", NULL), "cat create write"));
    cr_expect(eq(str, (char *)candidates("file c", NULL), "cat create"));
}

Test(complete, a_pid_argument_offers_the_pids)
{
    cr_expect(eq(str, (char *)candidates("switch ", NULL), "1 2"));
    cr_expect(eq(str, (char *)candidates("pt ", NULL), "--dot 1 2 kernel"));
}

Test(complete, a_file_argument_offers_the_disk_s_files)
{
    cr_expect(eq(str, (char *)candidates("file cat ", NULL), "--disk data notes"));
    cr_expect(eq(str, (char *)candidates("mmap any 4K rw- shared n", NULL), "notes"));
}

Test(complete, argument_kinds_offer_their_words)
{
    cr_expect(eq(str, (char *)candidates("mmap any 4K r", NULL), "r-- r-x rw- rwx"));
    cr_expect(eq(str, (char *)candidates("mmap any 4K rw- private,", NULL),
                 "private,anon private,anon,fixed private,anon,huge private,fixed"));
    cr_expect(eq(str, (char *)candidates("translate 0x1000 ", NULL), "kernel r user w x"));
    cr_expect(eq(str, (char *)candidates("log ", NULL), "events off refs tlb"));
    cr_expect(eq(str, (char *)candidates("help tl", NULL), "tlb"));
}

Test(complete, tlb_offers_all_only_after_flush)
{
    cr_expect(eq(str, (char *)candidates("tlb ", NULL), "flush invlpg"));
    cr_expect(eq(str, (char *)candidates("tlb flush ", NULL), "all"));
    cr_expect(eq(str, (char *)candidates("tlb invlpg ", NULL), ""));
}

Test(complete, an_option_prefix_offers_the_options)
{
    cr_expect(eq(str, (char *)candidates("pt --", NULL), "--dot"));
    cr_expect(eq(str, (char *)candidates("touch 0x1000 --", NULL),
                 "--passes --random --step"));
}

Test(complete, an_option_s_value_offers_its_kind)
{
    cr_expect(eq(str, (char *)candidates("replay x --policy ", NULL),
                 "clock1 clock2 fifo lru opt"));
    cr_expect(eq(str, (char *)candidates("replay x --format l", NULL), "lackey"));
}

Test(complete, config_offers_its_keys_with_an_equals_sign)
{
    cr_expect(eq(str, (char *)candidates("config f", NULL), "frames="));
    cr_expect(eq(str, (char *)candidates("config frames=32 t", NULL), "tlb="));
}

Test(complete, config_values_of_a_fixed_set_complete_after_their_key)
{
    cr_expect(eq(str, (char *)candidates("config policy=", NULL),
                 "policy=clock1 policy=clock2"));
    cr_expect(eq(str, (char *)candidates("config frames=32 policy=clock", NULL),
                 "policy=clock1 policy=clock2"));
    cr_expect(eq(str, (char *)candidates("config log=", NULL),
                 "log=events log=off log=refs log=tlb"));
    cr_expect(eq(str, (char *)candidates("config log=t", NULL), "log=tlb"));
}

Test(complete, a_script_or_stream_argument_is_a_host_path)
{
    bool host = false;
    candidates("source tra", &host);
    cr_expect(host, "source's SCRIPT should complete from the file system");
    host = false;
    candidates("replay ", &host);
    cr_expect(host, "replay's FILE should complete from the file system");
    candidates("switch ", &host);
    cr_expect(not(host));
}

Test(complete, nothing_past_the_last_argument)
{
    cr_expect(eq(str, (char *)candidates("switch 1 ", NULL), ""));
    cr_expect(eq(str, (char *)candidates("nosuch ", NULL), ""));
}
