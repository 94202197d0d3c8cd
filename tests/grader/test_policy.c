/*
 * test_policy.c - the grading policy: the shipped file says exactly what
 * the built-in defaults say, a bad line is a `path:line:` error and the
 * reading goes on, and the performance index scales as documented.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "grader_test.h"
#include "policy.h"

#ifndef KIT_ROOT
#define KIT_ROOT "."
#endif

static char dir[4096];

static void policy_setup(void)
{
    temp_dir(dir, sizeof dir);
}

static void policy_teardown(void)
{
    remove_dir(dir);
}

TestSuite(policy, .init = policy_setup, .fini = policy_teardown, .timeout = SUITE_TIMEOUT);

/* load_text - policy_load of a file holding text over *p; the problems and
 * what was printed. */
static int load_text(const char *text, policy_t *p, char **errors, char *path, size_t n)
{
    write_file(dir, "policy.ini", text, path, n);
    size_t len;
    FILE *err = open_memstream(errors, &len);
    int problems = policy_load(path, p, err);
    fclose(err);
    return problems;
}

/* expect_policy_error - text, read over the defaults, is exactly one
 * problem, printed as `path:want`. */
static void expect_policy_error(const char *text, const char *want)
{
    policy_t p = policy_default();
    char path[4200], *errors, full[4400];
    int problems = load_text(text, &p, &errors, path, sizeof path);
    snprintf(full, sizeof full, "%s:%s", path, want);
    cr_expect(eq(int, problems, 1));
    cr_expect(eq(str, errors, full));
    free(errors);
}

Test(policy, shipped_file_is_the_built_in_policy)
{
    /* Start from values unlike the defaults, so every key must be in the file. */
    policy_t p = {
        .util_weight = 9, .util_of_bound = false, .util_min = 0.1, .util_max = 0.2,
        .thru_weight = 9, .thru_min = 0.1, .thru_max = 0.2, .timeout = 1, .min_cpu = 1,
        .rounds = 31,
    };
    char *errors;
    size_t len;
    FILE *err = open_memstream(&errors, &len);
    int problems = policy_load(KIT_ROOT "/grader/policy.ini", &p, err);
    fclose(err);
    cr_assert(eq(int, problems, 0), "%s", errors);
    free(errors);
    policy_t d = policy_default();
    cr_expect(eq(dbl, p.util_weight, d.util_weight));
    cr_expect(eq(int, p.util_of_bound, d.util_of_bound));
    cr_expect(eq(dbl, p.util_min, d.util_min));
    cr_expect(eq(dbl, p.util_max, d.util_max));
    cr_expect(eq(dbl, p.thru_weight, d.thru_weight));
    cr_expect(eq(dbl, p.thru_min, d.thru_min));
    cr_expect(eq(dbl, p.thru_max, d.thru_max));
    cr_expect(eq(dbl, p.timeout, d.timeout));
    cr_expect(eq(dbl, p.min_cpu, d.min_cpu));
    cr_expect(eq(u32, p.rounds, d.rounds));
}

Test(policy, file_sets_only_the_keys_it_lists)
{
    policy_t p = policy_default();
    char path[4200], *errors;
    int problems = load_text("[limits]\ntimeout = 5\n[timing]\nrounds = 3\n", &p, &errors, path,
                             sizeof path);
    cr_assert(eq(int, problems, 0), "%s", errors);
    free(errors);
    policy_t d = policy_default();
    cr_expect(eq(dbl, p.timeout, 5.0));
    cr_expect(eq(u32, p.rounds, 3));
    cr_expect(eq(dbl, p.util_min, d.util_min));
    cr_expect(eq(dbl, p.min_cpu, d.min_cpu));
}

Test(policy, flag_accepts_yes_and_no)
{
    policy_t p = policy_default();
    char path[4200], *errors;
    int problems = load_text("[perfidx]\nutil_of_bound = no\n", &p, &errors, path, sizeof path);
    cr_assert(eq(int, problems, 0), "%s", errors);
    free(errors);
    cr_expect(eq(int, p.util_of_bound, false));
}

Test(policy, bad_value_names_its_line)
{
    expect_policy_error("; a comment\n[perfidx]\n\nutil_weight = lots\n",
                        "4: util_weight: expected a number from 0 to 1e+09, found 'lots'\n");
}

Test(policy, bad_flag_names_its_line)
{
    expect_policy_error("[perfidx]\nutil_of_bound = maybe\n",
                        "2: util_of_bound: expected yes or no, found 'maybe'\n");
}

Test(policy, fractional_rounds_are_rejected)
{
    expect_policy_error("[timing]\nrounds = 2.5\n", "2: rounds: expected a whole number from 1 to 32, found '2.5'\n");
}

Test(policy, unknown_key_names_its_line_and_section)
{
    expect_policy_error("[perfidx]\nutil_weight = 0.5\nspeed = 3\n",
                        "3: unknown key 'speed' in [perfidx]\n");
}

Test(policy, key_in_the_wrong_section_is_unknown)
{
    expect_policy_error("[limits]\nrounds = 3\n", "2: unknown key 'rounds' in [limits]\n");
}

Test(policy, line_that_is_not_ini_is_an_error)
{
    expect_policy_error("[timing]\nrounds 3\n",
                        "2: not an INI line (expected [section] or key = value)\n");
}

Test(policy, reading_goes_on_after_a_bad_line)
{
    policy_t p = policy_default();
    char path[4200], *errors;
    int problems = load_text("[perfidx]\nutil_min = x\nutil_weight = 2\nthru_min = y\n", &p, &errors,
                             path, sizeof path);
    cr_expect(eq(int, problems, 2), "%s", errors);
    cr_expect(eq(dbl, p.util_weight, 2.0));
    free(errors);
}

Test(policy, inverted_range_is_an_error)
{
    expect_policy_error("[perfidx]\nutil_min = 0.9\nutil_max = 0.8\n",
                        " util_min must be below util_max\n");
}

Test(policy, missing_file_is_an_error)
{
    policy_t p = policy_default();
    char *errors;
    size_t len;
    FILE *err = open_memstream(&errors, &len);
    int problems = policy_load("/nonexistent/policy.ini", &p, err);
    fclose(err);
    cr_expect(eq(int, problems, 1));
    cr_expect(eq(str, errors, "/nonexistent/policy.ini: cannot read the policy file: No such file or directory\n"));
    free(errors);
}

/* perfidx - the index of the default policy, and its two parts. */
static double perfidx(double util, double thru, double *space, double *speed)
{
    policy_t p = policy_default();
    return policy_perfidx(&p, util, thru, space, speed);
}

Test(policy, perfidx_is_zero_at_the_bottom_of_both_ranges)
{
    double space, speed;
    cr_expect(epsilon_eq(dbl, perfidx(0.70, 0.30, &space, &speed), 0.0, 1e-9));
    cr_expect(epsilon_eq(dbl, space, 0.0, 1e-9));
    cr_expect(epsilon_eq(dbl, speed, 0.0, 1e-9));
}

Test(policy, perfidx_is_full_at_the_top_of_both_ranges)
{
    double space, speed;
    cr_expect(epsilon_eq(dbl, perfidx(0.93, 0.90, &space, &speed), 100.0, 1e-9));
    cr_expect(epsilon_eq(dbl, space, 60.0, 1e-9));
    cr_expect(epsilon_eq(dbl, speed, 40.0, 1e-9));
}

Test(policy, perfidx_is_linear_in_the_middle)
{
    double space, speed;
    cr_expect(epsilon_eq(dbl, perfidx(0.815, 0.60, &space, &speed), 50.0, 1e-9));
    cr_expect(epsilon_eq(dbl, space, 30.0, 1e-9));
    cr_expect(epsilon_eq(dbl, speed, 20.0, 1e-9));
}

Test(policy, perfidx_is_clamped_outside_the_ranges)
{
    cr_expect(epsilon_eq(dbl, perfidx(0.10, 0.05, NULL, NULL), 0.0, 1e-9));
    cr_expect(epsilon_eq(dbl, perfidx(1.50, 4.00, NULL, NULL), 100.0, 1e-9));
}

Test(policy, perfidx_weights_are_shares_of_their_sum)
{
    policy_t p = policy_default();
    p.util_weight = 3;
    p.thru_weight = 1;
    double space, speed;
    policy_perfidx(&p, 1.0, 0.0, &space, &speed);
    cr_expect(epsilon_eq(dbl, space, 75.0, 1e-9));
    cr_expect(epsilon_eq(dbl, speed, 0.0, 1e-9));
}

Test(policy, not_a_number_is_rejected)
{
    expect_policy_error("[perfidx]\nutil_weight = nan\n",
                        "2: util_weight: expected a number from 0 to 1e+09, found 'nan'\n");
}

Test(policy, directory_is_not_a_policy_file)
{
    policy_t p = policy_default();
    char *errors = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&errors, &len);
    int problems = policy_load("/tmp", &p, err);
    fclose(err);
    cr_expect(eq(int, problems, 1));
    cr_expect(eq(str, errors, "/tmp: cannot read the policy file: it is a directory\n"));
    free(errors);
}
