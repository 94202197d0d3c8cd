/*
 * test_unimplemented.c - the skeleton's "not implemented yet": the default
 * names the function and aborts; an installed handler is called instead.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <setjmp.h>
#include <signal.h>

#include "timeouts.h"
#include "unimplemented.h"

TestSuite(unimplemented, .timeout = TIMEOUT(5));

static void skeleton_function(void)
{
    UNIMPLEMENTED();
}

Test(unimplemented, default_names_the_function_and_aborts, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    skeleton_function();
}

static jmp_buf back;
static const char *seen;

static void catch(const char *func, const char *file, int line)
{
    (void)file;
    (void)line;
    seen = func;
    longjmp(back, 1);
}

Test(unimplemented, handler_gets_the_function_name)
{
    cr_assert(eq(ptr, (void *)unimplemented_set_handler(catch), NULL), "no handler at start");
    if (!setjmp(back))
        skeleton_function();
    cr_expect(eq(str, (char *)seen, "skeleton_function"));
    cr_expect(eq(ptr, (void *)unimplemented_set_handler(NULL), (void *)catch),
              "set_handler returns the old handler");
}
