/*
 * test_reports.c - what vmsh's commands say about what happened: a fault
 * touch could not get resolved, the split of an address on a huge page,
 * a walk that read another index than the address's, and a scenario's
 * comment checked against the table it comments.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "print.h"
#include "vmshtest.h"

TestSuite(reports, .timeout = VMSH_TEST_TIMEOUT);

Test(reports, touch_counts_and_names_a_fault_not_resolved)
{
    /* log=off: the event log would say it; touch alone must. */
    struct vmsh_run r = vmsh_batch(NULL, "config log=off\nspawn\n"
                                   "mmap any 4K r-- private,anon\ntouch 0x20000000\n",
                                   NULL, false);
    cr_expect(strstr(r.out, "touch: 1 reference (read), TLB 0 hits 1 misses, 1 fault "
                     "(0 minor, 0 major, 1 not resolved)\n") != NULL, "got:\n%s", r.out);
    cr_expect(eq(str, r.err, "<stdin>:4: touch: 0x20000000: the page fault (error 0x4 "
                 "(U)) was not resolved: EFAULT (Bad address); pid 1 was killed "
                 "(SIGSEGV)\n"));
    vmsh_run_free(&r);
}

Test(reports, translate_splits_a_huge_page_s_address_at_its_size)
{
    struct vmsh_run r = vmsh_batch(NULL, "translate 0xffff800000012345 kernel\n"
                                   "translate 0xffff800040012345 kernel\nspawn\n"
                                   "translate 0xffff800000012345 user\n", NULL, false);
    /* A walk ending at a PD entry; one ending at a PDPT entry; a TLB hit
     * on the 2 MiB page whose rights refuse the access. */
    cr_expect(strstr(r.out, "translate 0xffff800000012345: read, kernel mode, no process "
                     "(CR3 0x0, the kernel's)\n  indices: PML4 256, PDPT 0, PD 0, "
                     "offset 0x012345 (2M page)\n") != NULL, "got:\n%s", r.out);
    cr_expect(strstr(r.out, "  indices: PML4 256, PDPT 1, offset 0x00012345 (1G page)\n")
              != NULL, "got:\n%s", r.out);
    cr_expect(strstr(r.out, "translate 0xffff800000012345: read, user mode, pid 1 "
                     "(CR3 0x3000)\n  indices: PML4 256, PDPT 0, PD 0, offset 0x012345 "
                     "(2M page)\n") != NULL, "got:\n%s", r.out);
    cr_expect(strstr(r.out, "PT 18") == NULL, "a 4 KiB split: %s", r.out);
    vmsh_run_free(&r);
}

static struct vmsh sh;

static void session_setup(void)
{
    cr_redirect_stdout();
    struct vm_config c;
    vm_config_default(&c);
    cr_assert(eq(int, session_init(&sh, &c, 1), 0));
}

static void session_teardown(void)
{
    session_free(&sh);
}

/* Everything written to the redirected stdout so far. */
static const char *stdout_text(void)
{
    fflush(stdout);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, cr_get_redirected_stdout());
    buf[n] = '\0';
    return buf;
}

Test(reports, translate_says_which_index_a_wrong_walk_read,
     .init = session_setup, .fini = session_teardown)
{
    /* The record of a walk that read PML4 entry 0 for an address of the
     * kernel half (PML4 index 256), as a walk that computes the index
     * wrong leaves it: entry 0 of the kernel's PML4 is empty. */
    vaddr_t va = 0xffff800000001000;
    struct walk w = { .nsteps = 1, .stop = WALK_NOT_PRESENT, .stop_level = 3 };
    w.step[0] = (struct walk_step){ .level = 3, .index = 0, .entry_pa = sh.m->cr3,
                                    .entry = 0 };
    struct translation t = { .fault = FAULT_PAGE, .error = 0 };
    print_walk(sh.m, va, &w, &t, -1);
    const char *out = stdout_text();
    cr_expect(strstr(out, "  PML4[0]    at 0x0       0 (empty)\n  the walk read PML4 "
                     "entry 0, but the address's PML4 index is 256 (its bits 47..39): "
                     "check how the walk computes the index\n") != NULL, "got:\n%s", out);
    cr_expect(strstr(out, "not present (PML4 entry 0, which the walk read instead of "
                     "entry 256)\n") != NULL, "got:\n%s", out);
    cr_expect(strstr(out, "(PML4 entry 256)") == NULL, "blames the entry not read:\n%s",
              out);
}

/* The comment lines (without "# ") just before the line at, joined by
 * blanks, into buf. */
static const char *comment_before(const char *text, const char *at, char *buf, size_t n)
{
    const char *start = at;
    while (start > text) {
        const char *line = start - 1;
        while (line > text && line[-1] != '\n')
            line--;
        if (strncmp(line, "# ", 2))
            break;
        start = line;
    }
    buf[0] = '\0';
    for (const char *line = start; line < at; line = strchr(line, '\n') + 1) {
        size_t len = (size_t)(strchr(line, '\n') - line) - 2;
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%.*s", buf[0] ? " " : "",
                 (int)len, line + 2);
    }
    return buf;
}

Test(reports, belady_s_comment_on_the_loop_agrees_with_its_table)
{
    static const struct { const char *policy, *words; } names[] = {
        { "fifo", "FIFO" }, { "lru", "LRU" }, { "opt", "OPT" },
        { "clock1", "one-handed clock" }, { "clock2", "two-handed clock" },
    };
    const char *args[] = { "-f", "belady.vmsh", NULL };
    struct vmsh_run r = vmsh_batch(args, NULL, KIT_ROOT "/traces/vm", true);
    const char *cmd = strstr(r.out, "vmsh> replay ../refs/loop.pages");
    cr_assert_not_null(cmd, "belady.vmsh replays loop.pages no more:\n%s", r.out);
    char comment[1024];
    comment_before(r.out, cmd, comment, sizeof comment);

    /* The table: "N references", the header, a row per frame count. */
    const char *table = strchr(cmd, '\n') + 1;
    int refs = 0, frames = 0;
    cr_assert(eq(int, sscanf(strchr(table, ':') + 1, "%d references", &refs), 1));
    const char *with = strstr(comment, " with ");
    cr_assert(with && sscanf(with, " with %d frames", &frames) == 1,
              "the comment names no frame count: %s", comment);
    const char *header = strchr(table, '\n') + 1;
    char head[256], row[256];
    sscanf(header, "%255[^\n]", head);
    const char *line = strchr(header, '\n') + 1;
    int first = -1;
    while (sscanf(line, "%d", &first) == 1 && first != frames)
        line = strchr(line, '\n') + 1;
    cr_assert(eq(int, first, frames), "no row for %d frames", frames);
    sscanf(line, "%255[^\n]", row);

    /* Each policy is named; those that fault on every reference before
     * "every reference", the others after it with their count. */
    const char *every = strstr(comment, "every reference");
    cr_assert_not_null(every, "comment: %s", comment);
    char *hsave, *rsave;
    strtok_r(head, " ", &hsave);
    strtok_r(row, " ", &rsave);
    for (char *h = strtok_r(NULL, " ", &hsave), *v = strtok_r(NULL, " ", &rsave); h && v;
         h = strtok_r(NULL, " ", &hsave), v = strtok_r(NULL, " ", &rsave)) {
        const char *words = NULL;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (!strcmp(names[i].policy, h))
                words = names[i].words;
        cr_assert_not_null(words, "a policy the test does not know: %s", h);
        const char *at = strstr(comment, words);
        cr_expect_not_null(at, "the comment does not name %s: %s", words, comment);
        if (!at)
            continue;
        int faults = atoi(v);
        char count[32];
        snprintf(count, sizeof count, "%d times", faults);
        if (faults == refs)
            cr_expect(at < every, "%s faults on every reference (%d), the comment "
                      "says otherwise: %s", words, faults, comment);
        else
            cr_expect(at > every && strstr(at, count) != NULL, "%s faults %d times with "
                      "%d frames, the comment says otherwise: %s", words, faults, frames,
                      comment);
    }
    vmsh_run_free(&r);
}
