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

#include "timeouts.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

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
             "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "
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
             "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "
             "make --no-print-directory -n -C %s BUILD=/tmp/makefile-dry-run check-malloc", KIT_ROOT);
    cr_assert(eq(int, shell(cmd, &out), 0), "%s", out);
    cr_expect(ne(ptr, strstr(out, "-o /tmp/makefile-dry-run/release/solution/bin/mdriver"), NULL),
              "make check-malloc would not build mdriver:\n%s", out);
    free(out);
}
