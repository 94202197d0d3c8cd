/* report_hook - a Criterion report hook, which runs in the test runner,
 * outside the sandbox, and turns every failed test into a passed one. No
 * call, no constructor: a pointer in a section of Criterion's own.
 * Verdict: the static checks refuse it (a section of the test framework's). */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
ReportHook(POST_FINI)(struct criterion_test_stats *st)
{
    st->test_status = CR_STATUS_PASSED;
}
