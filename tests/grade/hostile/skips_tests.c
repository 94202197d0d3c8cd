/* skips_tests - mm_check_heap asks the test framework to skip the test
 * that called it, so no failure of the checker is seen. Verdict: the
 * static checks refuse it (calls criterion_skip_test). */
extern void criterion_skip_test(const char *msg, ...) __attribute__((weak));
static void skip(void)
{
    if (criterion_skip_test)
        criterion_skip_test("");
}
#define ON_CHECK() skip()
