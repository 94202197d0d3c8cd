/*
 * test_makefile.c - what the Makefile does for a student's folder
 * (make IMPL=DIR): messages name the student's own files, and the per-lab
 * targets build what the lab's writeup says they do.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "timeouts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

/* A make of its own: nothing of the make that runs this test (make memcheck
 * exports VARIANT=memcheck, make check-malloc LAB=malloc...) leaks in. */
#define CLEAN_ENV "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u LAB -u VARIANT -u IMPL -u BUILD "

/* A build of one object from an empty build folder takes seconds. */
TestSuite(makefile, .timeout = TIMEOUT(120));

/* shell - run cmd with sh; its exit status, its stdout and stderr in *out. */
static int shell(const char *cmd, char **out)
{
    char full[4096];
    snprintf(full, sizeof full, "( %s ) 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert(ne(ptr, p, NULL));
    size_t n = 0;
    *out = NULL;
    if (getdelim(out, &n, '\0', p) < 0) {
        free(*out);
        *out = strdup("");
    }
    return pclose(p);
}

Test(makefile, compiler_errors_name_the_students_file_not_the_builds_copy)
{
    char dir[] = "/tmp/makefile-XXXXXX", cmd[3072];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    /* The reference with an error on its last line, in a folder of its own. */
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/sub/malloc && cp %s/solution/malloc/mm.c %s/solution/malloc/mminline.h "
             "%s/sub/malloc && echo 'int oops = ;' >> %s/sub/malloc/mm.c && "
             "wc -l < %s/sub/malloc/mm.c",
             dir, KIT_ROOT, KIT_ROOT, dir, dir, dir);
    char *out;
    cr_assert(eq(int, shell(cmd, &out), 0), "%s", out);
    int last = atoi(out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "name=sub-sub-$(printf %%s %s/sub | cksum | cut -d' ' -f1); "
             CLEAN_ENV
             "make --no-print-directory -s -C %s BUILD=%s/b IMPL=%s/sub "
             "%s/b/release/$name/obj/impl/malloc/mm.o",
             dir, KIT_ROOT, dir, dir, dir);
    cr_assert(ne(int, shell(cmd, &out), 0), "the build of a broken mm.c succeeded:\n%s", out);
    char want[600];
    snprintf(want, sizeof want, "%s/sub/malloc/mm.c:%d:", dir, last);
    cr_expect(ne(ptr, strstr(out, want), NULL), "no error at %s in:\n%s", want, out);
    cr_expect(eq(ptr, strstr(out, "/impl/sub-sub-"), NULL),
              "an error names the build's copy:\n%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
}

Test(makefile, check_malloc_builds_mdriver_for_the_same_files)
{
    char *out;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             CLEAN_ENV
             "make --no-print-directory -n -C %s BUILD=/tmp/makefile-dry-run check-malloc", KIT_ROOT);
    cr_assert(eq(int, shell(cmd, &out), 0), "%s", out);
    cr_expect(ne(ptr, strstr(out, "-o /tmp/makefile-dry-run/release/solution/bin/mdriver"), NULL),
              "make check-malloc would not build mdriver:\n%s", out);
    free(out);
}

/* --- Results per lab (mk/run-tests) ------------------------------------- */

/* fake_test - an executable at dir/name that prints Criterion's synthesis
 * of tested/passing tests and exits with status (tested < 0: no synthesis,
 * as a runner that dies). Returns its path (static). */
static const char *fake_test(const char *dir, const char *name, int tested, int passing,
                             int status)
{
    static char path[600];
    char cmd[1400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (tested >= 0)
        snprintf(cmd, sizeof cmd,
                 "printf '#!/bin/sh\\necho \"[====] Synthesis: Tested: %d | Passing: %d | "
                 "Failing: %d | Crashing: 0 \" >&2\\nexit %d\\n' > %s && chmod +x %s",
                 tested, passing, tested - passing, status, path, path);
    else
        snprintf(cmd, sizeof cmd, "printf '#!/bin/sh\\nkill -9 $$\\n' > %s && chmod +x %s", path,
                 path);
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
    return path;
}

/* remove_dir - rm -rf dir. */
static void remove_dir(const char *dir)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
}

/* run_tests - mk/run-tests with args (GROUP=BINARY...); its exit status
 * and output. */
static int run_tests(const char *args, char **out)
{
    char cmd[2400];
    snprintf(cmd, sizeof cmd, "%s/mk/run-tests %s", KIT_ROOT, args);
    int status = shell(cmd, out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(makefile, results_end_with_a_line_per_lab_and_a_lab_not_submitted_is_named)
{
    char dir[] = "/tmp/run-tests-XXXXXX", args[1400];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    char a[600], b[600];
    snprintf(a, sizeof a, "%s", fake_test(dir, "test_a", 60, 60, 0));
    snprintf(b, sizeof b, "%s", fake_test(dir, "test_b", 42, 42, 0));
    snprintf(args, sizeof args, "malloc=%s malloc=%s vm=-", a, b);
    char *out;
    cr_assert(eq(int, run_tests(args, &out), 0), "%s", out);
    cr_expect(ne(ptr, strstr(out, "\nmalloc: 102 of 102 tests passed\nvm: not submitted, not tested\n"),
                 NULL), "%s", out);
    free(out);
    remove_dir(dir);
}

Test(makefile, a_failed_test_is_counted_and_fails_the_run)
{
    char dir[] = "/tmp/run-tests-XXXXXX", args[1400];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    char a[600], b[600];
    snprintf(a, sizeof a, "%s", fake_test(dir, "test_a", 102, 101, 1));
    snprintf(b, sizeof b, "%s", fake_test(dir, "test_b", 131, 131, 0));
    snprintf(args, sizeof args, "malloc=%s vm=%s", a, b);
    char *out;
    cr_assert(eq(int, run_tests(args, &out), 1), "%s", out);
    cr_expect(ne(ptr, strstr(out, "\nmalloc: 101 of 102 tests passed (1 failed)\n"
                                  "vm: 131 of 131 tests passed\n"), NULL), "%s", out);
    free(out);
    remove_dir(dir);
}

Test(makefile, a_test_program_that_dies_is_named_in_the_summary)
{
    char dir[] = "/tmp/run-tests-XXXXXX", args[1400];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    snprintf(args, sizeof args, "vm=%s", fake_test(dir, "test_dies", -1, 0, 0));
    char *out;
    cr_assert(eq(int, run_tests(args, &out), 1), "%s", out);
    cr_expect(ne(ptr, strstr(out, "\nvm: test_dies did not finish (exit status 137)\n"), NULL), "%s",
              out);
    free(out);
    remove_dir(dir);
}

Test(makefile, check_of_a_malloc_only_submission_does_not_run_the_vm_skeleton)
{
    char dir[] = "/tmp/makefile-XXXXXX", cmd[3072];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/sub/malloc && cp %s/solution/malloc/mm.c %s/solution/malloc/mminline.h "
             "%s/sub/malloc && " CLEAN_ENV
             "make --no-print-directory -n -C %s BUILD=%s/b IMPL=%s/sub test | grep run-tests",
             dir, KIT_ROOT, KIT_ROOT, dir, KIT_ROOT, dir, dir);
    char *out;
    cr_assert(eq(int, shell(cmd, &out), 0), "%s", out);
    cr_expect(ne(ptr, strstr(out, " vm=- "), NULL), "the vm lab is run:\n%s", out);
    cr_expect(ne(ptr, strstr(out, "malloc="), NULL), "the malloc lab is not run:\n%s", out);
    cr_expect(eq(ptr, strstr(out, "test_vm"), NULL), "the vm lab is run:\n%s", out);
    free(out);
    remove_dir(dir);
}

Test(makefile, asan_and_memcheck_have_a_target_per_lab)
{
    const char *targets[] = { "asan-malloc", "asan-vm", "memcheck-malloc", "memcheck-vm" };
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        char cmd[1024], *out;
        snprintf(cmd, sizeof cmd,
                 CLEAN_ENV
                 "make --no-print-directory -n -C %s BUILD=/tmp/makefile-dry-run %s", KIT_ROOT,
                 targets[i]);
        cr_assert(eq(int, shell(cmd, &out), 0), "make %s:\n%s", targets[i], out);
        const char *lab = strchr(targets[i], '-') + 1;
        char want[64];
        snprintf(want, sizeof want, "LAB=%s", lab);
        cr_expect(ne(ptr, strstr(out, want), NULL), "make %s:\n%s", targets[i], out);
        free(out);
    }
}

/* A submission of the vm lab alone: its results are not buried under the
 * malloc skeleton's failures, in make check as in make asan. */
static void expect_vm_only_run(const char *target)
{
    char dir[] = "/tmp/makefile-XXXXXX", cmd[3072];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/sub/vm && cp %s/solution/vm/mmu.c %s/solution/vm/tlb.c %s/sub/vm && "
             CLEAN_ENV "make --no-print-directory -n -C %s BUILD=%s/b IMPL=%s/sub %s | "
             "grep run-tests",
             dir, KIT_ROOT, KIT_ROOT, dir, KIT_ROOT, dir, dir, target);
    char *out;
    cr_assert(eq(int, shell(cmd, &out), 0), "make %s:\n%s", target, out);
    cr_expect(ne(ptr, strstr(out, " malloc=- "), NULL), "make %s runs the malloc lab:\n%s",
              target, out);
    cr_expect(eq(ptr, strstr(out, "test_malloc"), NULL), "make %s runs the malloc lab:\n%s",
              target, out);
    cr_expect(ne(ptr, strstr(out, "/bin/test_vm "), NULL), "make %s does not run the vm lab:\n%s",
              target, out);
    free(out);
    remove_dir(dir);
}

Test(makefile, check_of_a_vm_only_submission_does_not_run_the_malloc_skeleton)
{
    expect_vm_only_run("test");
}

Test(makefile, asan_of_a_vm_only_submission_does_not_run_the_malloc_skeleton)
{
    expect_vm_only_run("asan");
}

Test(makefile, the_vm_writeup_names_impl_and_the_vm_lab_s_own_targets)
{
    FILE *f = fopen(KIT_ROOT "/docs/vm-lab.md", "r");
    cr_assert(ne(ptr, f, NULL), "no docs/vm-lab.md");
    char *doc = NULL;
    size_t n = 0;
    ssize_t len = getdelim(&doc, &n, '\0', f);
    fclose(f);
    cr_assert(gt(int, len > 0, 0), "cannot read docs/vm-lab.md");
    const char *targets[] = { "check-vm", "asan-vm", "memcheck-vm" };
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        char want[64];
        snprintf(want, sizeof want, "make %s IMPL=DIR", targets[i]);
        cr_expect(ne(ptr, strstr(doc, want), NULL), "docs/vm-lab.md does not show '%s'", want);
    }
    cr_expect(ne(ptr, strstr(doc, "`IMPL=DIR`"), NULL), "docs/vm-lab.md does not explain IMPL=DIR");
    free(doc);
}
