/*
 * test_check_symbols.c - mk/check-symbols, the build's enforcement of the
 * labs' rules: an object calling malloc (or mmap, sbrk...) is refused with
 * the source's name; one calling only what the rules allow passes.
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

TestSuite(check_symbols, .timeout = TIMEOUT(20));

/* check - compile code into an object and run mk/check-symbols on it;
 * its exit status, and its stderr in *err (malloc'd). */
static int check(const char *code, char **err)
{
    char dir[] = "/tmp/check-symbols-XXXXXX", cmd[1024], path[600];
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    snprintf(path, sizeof path, "%s/mm.c", dir);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    fputs(code, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cc -c -O0 -o %s/mm.o %s 2>/dev/null", dir, path);
    cr_assert(eq(int, system(cmd), 0), "cannot compile:\n%s", code);
    snprintf(cmd, sizeof cmd, "%s/mk/check-symbols %s %s/mm.o 2>%s/err", KIT_ROOT, path, dir, dir);
    int status = system(cmd);
    snprintf(path, sizeof path, "%s/err", dir);
    f = fopen(path, "r");
    size_t n = 0;
    *err = NULL;
    cr_assert(ge(sz, (size_t)getdelim(err, &n, '\0', f) + 1, 0));
    fclose(f);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(eq(int, system(cmd), 0));
    return WEXITSTATUS(status);
}

Test(check_symbols, call_of_malloc_is_refused_with_the_source_named)
{
    char *err;
    int status = check("#include <stdlib.h>\nvoid *f(void) { return malloc(8); }\n", &err);
    cr_expect(eq(int, status, 1));
    cr_expect(ne(ptr, strstr(err, "mm.c: calls malloc"), NULL), "stderr:\n%s", err);
    free(err);
}

Test(check_symbols, call_of_mmap_is_refused)
{
    char *err;
    int status = check("#include <sys/mman.h>\nvoid *f(void) { return mmap(0, 4096, 3, 0x22, -1, 0); }\n",
                       &err);
    cr_expect(eq(int, status, 1));
    cr_expect(ne(ptr, strstr(err, "calls mmap"), NULL), "stderr:\n%s", err);
    free(err);
}

Test(check_symbols, memcpy_and_printf_are_allowed)
{
    char *err;
    int status = check("#include <stdio.h>\n#include <string.h>\n"
                       "void f(char *a, const char *b) { memcpy(a, b, 9); printf(\"%s\", a); }\n",
                       &err);
    cr_expect(eq(int, status, 0), "stderr:\n%s", err);
    free(err);
}

Test(check_symbols, a_destructor_is_refused)
{
    char *err;
    int status = check("#include <stdio.h>\n"
                       "__attribute__((destructor)) static void last(void) { puts(\"perfidx:100\"); }\n",
                       &err);
    cr_expect(eq(int, status, 1));
    cr_expect(ne(ptr, strstr(err, "has .fini_array"), NULL), "stderr:\n%s", err);
    free(err);
}

Test(check_symbols, a_constructor_is_refused)
{
    char *err;
    int status = check("__attribute__((constructor)) static void first(void) { }\n", &err);
    cr_expect(eq(int, status, 1));
    cr_expect(ne(ptr, strstr(err, "has .init_array"), NULL), "stderr:\n%s", err);
    free(err);
}
