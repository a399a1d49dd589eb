/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * program.c - tests of src/program/program.c and pilot.c: month arithmetic with month-end
 * clamping and leap years, the review calendar across year ends, the stage list, and the
 * bootstrap's properties (the exact interval is recomputed independently by
 * tests/cli/program/pilot_check.py). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crest/program.h"
#include "util/date.h"

static int64_t d(int y, int m, int day)
{
    return cr_days_from_civil(y, m, day) * 86400;
}

static void test_program__add_months_clamps_to_the_month_end(void **state)
{
    (void)state;
    assert_int_equal(cr_program_add_months(d(2027, 1, 31), 1), d(2027, 2, 28));
    assert_int_equal(cr_program_add_months(d(2028, 1, 31), 1), d(2028, 2, 29));
    assert_int_equal(cr_program_add_months(d(2100, 1, 31), 1), d(2100, 2, 28)); /* not leap */
    assert_int_equal(cr_program_add_months(d(2000, 1, 31), 1), d(2000, 2, 29)); /* leap */
    assert_int_equal(cr_program_add_months(d(2027, 10, 31), 3), d(2028, 1, 31));
    assert_int_equal(cr_program_add_months(d(2027, 8, 31), 1), d(2027, 9, 30));
}

static void test_program__schedule_monthly_then_quarterly_over_year_ends(void **state)
{
    /* months 1, 2, 3, 6, 9, 12, 15 after the go-live, each clamped to the month's end */
    const int64_t from_nov30[7] = { d(2027, 12, 30), d(2028, 1, 30), d(2028, 2, 29),
                                    d(2028, 5, 30),  d(2028, 8, 30), d(2028, 11, 30),
                                    d(2029, 2, 28) };
    const int64_t from_dec31[7] = { d(2028, 1, 31), d(2028, 2, 29),  d(2028, 3, 31), d(2028, 6, 30),
                                    d(2028, 9, 30), d(2028, 12, 31), d(2029, 3, 31) };
    int64_t got[7];
    size_t i;

    (void)state;
    cr_program_schedule(got, 7, d(2027, 11, 30));
    for (i = 0; i < 7; i++)
        assert_int_equal(got[i], from_nov30[i]);
    /* a clamped February does not pull the later reviews to the 29th */
    cr_program_schedule(got, 7, d(2027, 12, 31));
    for (i = 0; i < 7; i++)
        assert_int_equal(got[i], from_dec31[i]);
}

static void test_program__stages_and_kinds(void **state)
{
    const char *const *s = cr_program_stages();
    size_t n = 0;

    (void)state;
    while (s[n])
        n++;
    assert_int_equal(n, CR_PROGRAM_NSTAGES);
    assert_string_equal(s[0], "discovery");
    assert_string_equal(s[7], "payment");
    assert_true(cr_program_stage_known("content_approval"));
    assert_false(cr_program_stage_known("shipping"));
    assert_true(cr_program_kind_known("calibration_flag"));
    assert_false(cr_program_kind_known("vibes"));
    assert_true(cr_program_area_known("escalation"));
}

/* A constant difference: every resample gives it, so the interval is that point. Samples of
 * one value: no interval. Same seed, same interval; the interval holds the difference. */
static void test_program__bootstrap_properties(void **state)
{
    double a[] = { 30, 30, 30, 30 }, b[] = { 20, 20, 20 }, lo, hi, lo2, hi2;
    double c[] = { 31, 35, 28, 40, 33, 29, 36 }, e[] = { 22, 25, 19, 27, 21 };

    (void)state;
    assert_int_equal(cr_program_bootstrap_diff(&lo, &hi, a, 4, b, 3, 2000, 1), CR_OK);
    assert_float_equal(lo, 10, 1e-12);
    assert_float_equal(hi, 10, 1e-12);
    assert_int_equal(cr_program_bootstrap_diff(&lo, &hi, a, 1, b, 3, 2000, 1), CR_OK);
    assert_true(isnan(lo) && isnan(hi));
    assert_int_equal(cr_program_bootstrap_diff(&lo, &hi, c, 7, e, 5, 2000, 20260901u), CR_OK);
    assert_int_equal(cr_program_bootstrap_diff(&lo2, &hi2, c, 7, e, 5, 2000, 20260901u), CR_OK);
    assert_float_equal(lo, lo2, 0);
    assert_float_equal(hi, hi2, 0);
    /* mean(c) - mean(e) = 33.142857 - 22.8 = 10.342857 */
    assert_true(lo < 10.342857 && 10.342857 < hi);
    /* within the extremes a resample can reach: min(c) - max(e) and max(c) - min(e) */
    assert_true(lo > 28 - 27 && hi < 40 - 19);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_program__add_months_clamps_to_the_month_end),
        cmocka_unit_test(test_program__schedule_monthly_then_quarterly_over_year_ends),
        cmocka_unit_test(test_program__stages_and_kinds),
        cmocka_unit_test(test_program__bootstrap_properties),
    };
    return cmocka_run_group_tests_name("program.program", tests, NULL, NULL);
}
