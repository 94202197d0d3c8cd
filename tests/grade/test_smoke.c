/*
 * test_smoke.c - grade's verdict names, which every report uses.
 */
#include <criterion/criterion.h>

#include "grade.h"

Test(verdicts, every_verdict_has_a_distinct_name)
{
    for (int a = 0; a < V_COUNT; a++)
        for (int b = a + 1; b < V_COUNT; b++)
            cr_expect_str_neq(verdict_name((verdict_t)a), verdict_name((verdict_t)b));
}
