/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * stats.c - tests of src/review/stats.c: Student t quantiles against published table values,
 * the OLS slope and its t-interval on series worked out by hand, the points a series may
 * skip, and the arrows (only an interval wholly above or below 0 is a trend). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "review/review_int.h"

static void test_stats__t_quantiles_match_the_tables(void **state)
{
    (void)state;
    /* two-sided 95% (p = 0.975) and 90% (p = 0.95) values of any t table */
    assert_true(fabs(cr_review__t_quantile(0.975, 1) - 12.7062) < 1e-3);
    assert_true(fabs(cr_review__t_quantile(0.975, 2) - 4.3027) < 1e-4);
    assert_true(fabs(cr_review__t_quantile(0.975, 10) - 2.2281) < 1e-4);
    assert_true(fabs(cr_review__t_quantile(0.975, 30) - 2.0423) < 1e-4);
    assert_true(fabs(cr_review__t_quantile(0.95, 3) - 2.3534) < 1e-4);
    assert_true(fabs(cr_review__t_quantile(0.025, 10) + 2.2281) < 1e-4);
    assert_true(cr_review__t_quantile(0.5, 7) == 0);
}

static void test_stats__ols_on_a_worked_series(void **state)
{
    /* y = 1, 3, 2, 5 at x = 0..3: x mean 1.5, y mean 2.75, Sxx = 5, Sxy = 5.5, slope 1.1,
     * intercept 1.1; residuals -0.1, 0.8, -1.3, 0.6: SSE 2.7, s^2 = 1.35, se = sqrt(1.35 / 5) =
     * 0.519615; t(0.975, 2) = 4.302653: 1.1 +- 2.2357 */
    static const double y[] = { 1, 3, 2, 5 };
    cr_review__trend t;

    (void)state;
    cr_review__ols(&t, y, 4, 0.95);
    assert_int_equal(t.n, 4);
    assert_true(fabs(t.slope - 1.1) < 1e-12);
    assert_true(fabs(t.intercept - 1.1) < 1e-12);
    assert_true(fabs(t.low - (1.1 - 4.302653 * 0.519615)) < 1e-5);
    assert_true(fabs(t.high - (1.1 + 4.302653 * 0.519615)) < 1e-5);
    assert_string_equal(cr_review__arrow(&t), "flat");
}

static void test_stats__a_clean_rise_is_up_and_a_fall_down(void **state)
{
    static const double up[] = { 3, 4, 5 }, down[] = { 5, 4.1, 3.2, 2.0 };
    cr_review__trend t;

    (void)state;
    cr_review__ols(&t, up, 3, 0.90);
    assert_true(fabs(t.slope - 1) < 1e-12);
    assert_string_equal(cr_review__arrow(&t), "up");
    cr_review__ols(&t, down, 4, 0.90);
    assert_true(t.high < 0);
    assert_string_equal(cr_review__arrow(&t), "down");
}

static void test_stats__missing_points_are_skipped_and_two_give_no_interval(void **state)
{
    /* NAN at x = 1: the points (0, 2), (2, 4) give slope 1 and no interval */
    const double y[] = { 2, NAN, 4 };
    cr_review__trend t;

    (void)state;
    cr_review__ols(&t, y, 3, 0.95);
    assert_int_equal(t.n, 2);
    assert_true(fabs(t.slope - 1) < 1e-12);
    assert_true(isnan(t.low) && isnan(t.high));
    assert_string_equal(cr_review__arrow(&t), "n/a");
    cr_review__ols(&t, y, 1, 0.95);
    assert_true(isnan(t.slope));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats__t_quantiles_match_the_tables),
        cmocka_unit_test(test_stats__ols_on_a_worked_series),
        cmocka_unit_test(test_stats__a_clean_rise_is_up_and_a_fall_down),
        cmocka_unit_test(test_stats__missing_points_are_skipped_and_two_give_no_interval),
    };
    return cmocka_run_group_tests_name("review.stats", tests, NULL, NULL);
}
