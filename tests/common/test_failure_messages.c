/*
 * test_failure_messages.c - what a student reads when a public malloc test
 * fails: built against an allocator whose mm_free never coalesces, the
 * coalescing test fails at a line of its own body (not of a helper), on its
 * own check of the blocks (not through the student's mm_check_heap, which
 * a student with a weak checker would pass), with addresses as heap offsets.
 * Built against an MMU that refuses every user page, a vm test says what it
 * expected and what it got in vmsh's words (#PF and the error code's bits),
 * not as bare numbers.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeouts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

/* A make of its own: nothing of the make that runs this test (make memcheck
 * exports VARIANT=memcheck, make check-malloc LAB=malloc...) leaks in. */
#define CLEAN_ENV "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u LAB -u VARIANT -u IMPL -u BUILD "

/* Building test_malloc from an empty build folder takes seconds. */
TestSuite(failure_messages, .timeout = TIMEOUT(180));

/* output_of - stdout and stderr of cmd; its exit status in *status. */
static char *output_of(const char *cmd, int *status)
{
    char full[4096];
    snprintf(full, sizeof full, "( %s ) 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert(ne(ptr, p, NULL));
    char *out = NULL;
    size_t n = 0;
    if (getdelim(&out, &n, '\0', p) < 0) {
        free(out);
        out = strdup("");
    }
    *status = pclose(p);
    return out;
}

/* test_lines - the first and last line of Test(suite, name) in file. */
static void test_lines(const char *file, const char *suite_name, int *first, int *last)
{
    FILE *f = fopen(file, "r");
    cr_assert(ne(ptr, f, NULL), "%s", file);
    char line[512], want[256];
    snprintf(want, sizeof want, "Test(%s)", suite_name);
    *first = *last = 0;
    for (int n = 1; fgets(line, sizeof line, f); n++) {
        if (!*first && strncmp(line, want, strlen(want)) == 0)
            *first = n;
        else if (*first && strcmp(line, "}\n") == 0) {
            *last = n;
            break;
        }
    }
    fclose(f);
    cr_assert(gt(int, *last, *first), "no %s in %s", want, file);
}

Test(failure_messages, a_coalescing_test_fails_on_its_own_check_at_its_own_line)
{
    char dir[] = "/tmp/failure-messages-XXXXXX", cmd[3072];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    int status;
    /* The reference with both merges of its coalesce() turned off. */
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/sub/malloc && cp %s/solution/malloc/mminline.h %s/sub/malloc && "
             "sed 's/if (!block_next_allocated(b)) {/if (0) {/; "
             "s/if (!block_prev_allocated(b)) {/if (0) {/' %s/solution/malloc/mm.c "
             "> %s/sub/malloc/mm.c && grep -c 'if (0) {' %s/sub/malloc/mm.c",
             dir, KIT_ROOT, dir, KIT_ROOT, dir, dir);
    char *out = output_of(cmd, &status);
    cr_assert(eq(str, out, "2\n"), "the reference's coalesce() is not as this test expects:\n%s",
              out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "name=sub-sub-$(printf %%s %s/sub | cksum | cut -d' ' -f1); "
             CLEAN_ENV
             "make --no-print-directory -s -C %s BUILD=%s/b IMPL=%s/sub "
             "%s/b/release/$name/bin/test_malloc >/dev/null && "
             /* Not this runner's environment: Criterion's worker processes
              * are told apart by variables a nested runner would inherit. */
             "env -i PATH=/usr/bin:/bin %s/b/release/$name/bin/test_malloc --short-filename "
             "--filter 'mm_2_free/coalesce_with_free_block_below'",
             dir, KIT_ROOT, dir, dir, dir, dir);
    out = output_of(cmd, &status);
    cr_assert(ne(int, status, 0), "the test passed without coalescing:\n%s", out);

    int first, last, at = 0;
    test_lines(KIT_ROOT "/handout/tests/malloc/test_mm.c",
               "mm_2_free, coalesce_with_free_block_below", &first, &last);
    const char *loc = strstr(out, "test_mm.c:");
    cr_assert(ne(ptr, (void *)loc, NULL), "no failure location:\n%s", out);
    sscanf(loc, "test_mm.c:%d", &at);
    cr_expect(at > first && at < last, "the failure is at line %d, not in the test (lines %d-%d):\n%s",
              at, first, last, out);
    cr_expect(ne(ptr, strstr(out, "the free block below merged with the freed one: block at heap+0x"),
                 NULL), "not the test's own check of the merged block:\n%s", out);
    cr_expect(eq(ptr, strstr(out, "mm_check_heap found"), NULL),
              "the test asked the allocator's checker first:\n%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
}

/* The output of the public vm test selected by filter, built against part
 * A as a submission: the reference TLB, and the reference MMU with body
 * run after it, where t is what it gave for va (acc, mode) on machine m.
 * The exit status of the test in *status. */
static char *vm_test_output(const char *body, const char *filter, int *status)
{
    char dir[] = "/tmp/failure-messages-XXXXXX", cmd[3072];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/sub/vm && cp %s/solution/vm/tlb.c %s/sub/vm && printf '%%s\\n' "
             "'#include \"pagetable.h\"' "
             "'#define mmu_translate reference_mmu_translate' "
             "'#include \"%s/solution/vm/mmu.c\"' "
             "'#undef mmu_translate' "
             "'struct translation mmu_translate(struct machine *m, vaddr_t va, "
             "enum access acc, enum mode mode, struct walk *w)' "
             "'{' "
             "'    struct translation t = reference_mmu_translate(m, va, acc, mode, w);' "
             "'    %s' "
             "'    return t;' "
             "'}' > %s/sub/vm/mmu.c",
             dir, KIT_ROOT, dir, KIT_ROOT, body, dir);
    char *out = output_of(cmd, status);
    cr_assert(eq(int, *status, 0), "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "name=sub-sub-$(printf %%s %s/sub | cksum | cut -d' ' -f1); "
             CLEAN_ENV
             "make --no-print-directory -s -j4 -C %s BUILD=%s/b IMPL=%s/sub "
             "%s/b/release/$name/bin/test_vm >/dev/null && "
             "env -i PATH=/usr/bin:/bin %s/b/release/$name/bin/test_vm --short-filename "
             "--filter '%s'",
             dir, KIT_ROOT, dir, dir, dir, dir, filter);
    out = output_of(cmd, status);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
    return out;
}

Test(failure_messages, a_vm_test_names_the_fault_it_got_as_vmsh_does)
{
    /* A user access that translates is refused as a protection fault. */
    int status;
    char *out = vm_test_output("if (t.fault == FAULT_NONE && mode == MODE_USER) "
                               "t = (struct translation){ .fault = FAULT_PAGE, "
                               ".error = PF_P | PF_U };",
                               "partA/mmu_translates_a_mapped_page", &status);
    cr_assert(ne(int, status, 0), "the test passed with an MMU that refuses user pages:\n%s",
              out);
    cr_expect(ne(ptr, strstr(out, "got a page fault (#PF), error 0x5 (P U), expected no fault"),
                 NULL), "the fault is not named as vmsh names it:\n%s", out);
    free(out);
}

Test(failure_messages, a_vm_test_failed_by_vm_check_lists_the_problems_in_its_message)
{
    /* A user access that translates leaves its leaf without A, which its
     * TLB entry claims: vm_check finds the entry stale. */
    int status;
    char *out = vm_test_output("if (t.fault == FAULT_NONE && mode == MODE_USER) { "
                               "pte_t *e = pt_lookup(m, m->cur, va); if (e) *e &= ~PTE_A; }",
                               "partA/mmu_translates_a_mapped_page", &status);
    cr_assert(ne(int, status, 0), "the test passed with an MMU that leaves A clear:\n%s", out);
    const char *msg = strstr(out, "vm_check found 1 problem(s) in the machine, expected none:");
    cr_assert(ne(ptr, (void *)msg, NULL), "the message does not say what vm_check found:\n%s",
              out);
    cr_expect(ne(ptr, strstr(msg, "[----]   vm_check: "), NULL),
              "the problem is not in the test's message:\n%s", out);
    free(out);
}
