/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * num.c - tests for the spreadsheet number parsers (counts, rates, decimals) and the compact
 * formatter in src/util/num.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/num.h"

/* Parse a NUL-terminated count; the result or the reason goes to the out-params. */
static cr_err count_of(int64_t *out, const char *s, const char **why)
{
    *why = NULL;
    *out = -12345;
    return cr_parse_count(out, s, strlen(s), why);
}

static void assert_count(const char *s, int64_t expected)
{
    int64_t v;
    const char *why;

    if (count_of(&v, s, &why) != CR_OK)
        fail_msg("cr_parse_count(\"%s\") failed: %s", s, why ? why : "(no reason)");
    assert_int_equal(v, expected);
}

static void assert_count_fails(const char *s, const char *reason)
{
    int64_t v;
    const char *why;

    assert_int_equal(count_of(&v, s, &why), CR_EINVALID);
    assert_non_null(why);
    assert_string_equal(why, reason);
    assert_int_equal(v, -12345); /* untouched on failure */
}

static void test_num__count_plain_digits(void **state)
{
    (void)state;
    assert_count("0", 0);
    assert_count("7", 7);
    assert_count("1234", 1234);
    assert_count("+5", 5);
    assert_count("1.0", 1);
    assert_count("999999999", 999999999);
}

static void test_num__count_thousands_separators(void **state)
{
    (void)state;
    assert_count("1,234", 1234);
    assert_count("12,345,678", 12345678);
    assert_count("999,999", 999999);
    assert_count("1,234.0", 1234);
}

static void test_num__count_suffixes(void **state)
{
    (void)state;
    assert_count("12.5K", 12500);
    assert_count("12.5k", 12500);
    assert_count("1.2M", 1200000);
    assert_count("1.2m", 1200000);
    assert_count("3B", 3000000000LL);
    assert_count("12.345M", 12345000);
    assert_count("1,500K", 1500000);
    assert_count(".5K", 500);
    assert_count("12.5 K", 12500);
    /* rounded to the nearest unit */
    assert_count("1.2346K", 1235);
    assert_count("1.2344K", 1234);
}

static void test_num__count_surrounding_blanks_ignored(void **state)
{
    (void)state;
    assert_count(" 42 ", 42);
    assert_count("\t42\t", 42);
    assert_count("  1,234  ", 1234);
    assert_count(" 12.5K ", 12500);
}

static void test_num__count_explicit_length(void **state)
{
    int64_t v = 0;
    const char *why = NULL;

    (void)state;
    /* only the first len bytes count: "123" of "12345" */
    assert_int_equal(cr_parse_count(&v, "12345", 3, &why), CR_OK);
    assert_int_equal(v, 123);
}

static void test_num__count_fraction_is_not_a_whole_number(void **state)
{
    (void)state;
    assert_count_fails("1.5", "a count must be a whole number");
    assert_count_fails("1,234.5", "a count must be a whole number");
}

static void test_num__count_negative_fails(void **state)
{
    (void)state;
    assert_count_fails("-5", "a count cannot be negative");
    assert_count_fails("-1.5K", "a count cannot be negative");
}

static void test_num__count_misplaced_separator_fails(void **state)
{
    (void)state;
    assert_count_fails("1,23", "misplaced thousands separator");
    assert_count_fails("12,34,567", "misplaced thousands separator");
    assert_count_fails("1234,567", "misplaced thousands separator");
    assert_count_fails(",123", "misplaced thousands separator");
    assert_count_fails("1,2345", "misplaced thousands separator");
    assert_count_fails("1,,234", "misplaced thousands separator");
}

static void test_num__count_garbage_fails(void **state)
{
    (void)state;
    assert_count_fails("", "empty");
    assert_count_fails("   ", "empty");
    assert_count_fails("abc", "not a number");
    assert_count_fails("1e5", "not a number");
    assert_count_fails("12x", "not a number");
    assert_count_fails("K", "not a number");
    assert_count_fails("1.2.3", "not a number");
    assert_count_fails("0x10", "not a number");
    assert_count_fails("inf", "not a number");
    assert_count_fails(".", "not a number");
    assert_count_fails("1 234", "not a number");
}

static void test_num__count_overflow_fails(void **state)
{
    (void)state;
    assert_count_fails("9999999999999999999", "number too large");
    assert_count_fails("99999999999999999999999999", "number too large");
    assert_count_fails("999999999999999999", "number too large");
    assert_count_fails("10000000B", "number too large");
    assert_count("9000000000000000", 9000000000000000LL);
}

static void test_num__count_does_not_touch_the_error_record(void **state)
{
    int64_t v;
    const char *why;

    (void)state;
    cr_error_clear();
    assert_int_equal(count_of(&v, "nope", &why), CR_EINVALID);
    assert_null(cr_error_last());
}

static cr_err rate_of(double *out, const char *s, const char **why)
{
    *why = NULL;
    *out = -1;
    return cr_parse_rate(out, s, strlen(s), why);
}

static void test_num__rate_percent_and_fraction(void **state)
{
    double v;
    const char *why;

    (void)state;
    assert_int_equal(rate_of(&v, "3.4%", &why), CR_OK);
    assert_float_equal(v, 0.034, 1e-12);
    assert_int_equal(rate_of(&v, "0.034", &why), CR_OK);
    assert_float_equal(v, 0.034, 1e-12);
    assert_int_equal(rate_of(&v, "100%", &why), CR_OK);
    assert_float_equal(v, 1.0, 1e-12);
    assert_int_equal(rate_of(&v, "0%", &why), CR_OK);
    assert_float_equal(v, 0.0, 1e-12);
    assert_int_equal(rate_of(&v, "1", &why), CR_OK);
    assert_float_equal(v, 1.0, 1e-12);
    assert_int_equal(rate_of(&v, " 12.5 % ", &why), CR_OK);
    assert_float_equal(v, 0.125, 1e-12);
}

static void test_num__rate_out_of_range_fails(void **state)
{
    double v;
    const char *why;

    (void)state;
    assert_int_equal(rate_of(&v, "3.4", &why), CR_EINVALID);
    assert_string_equal(why, "a rate must be a fraction from 0 to 1 or a percentage such as 3.4%");
    assert_int_equal(rate_of(&v, "101%", &why), CR_EINVALID);
    assert_string_equal(why, "a percentage must be between 0% and 100%");
    assert_int_equal(rate_of(&v, "-1%", &why), CR_EINVALID);
    assert_string_equal(why, "a percentage must be between 0% and 100%");
    assert_int_equal(rate_of(&v, "-0.1", &why), CR_EINVALID);
    assert_string_equal(why, "a rate must be a fraction from 0 to 1 or a percentage such as 3.4%");
}

static void test_num__rate_garbage_fails(void **state)
{
    double v;
    const char *why;

    (void)state;
    assert_int_equal(rate_of(&v, "", &why), CR_EINVALID);
    assert_string_equal(why, "empty");
    assert_int_equal(rate_of(&v, "%", &why), CR_EINVALID);
    assert_string_equal(why, "not a number");
    assert_int_equal(rate_of(&v, "high", &why), CR_EINVALID);
    assert_string_equal(why, "not a number");
    assert_int_equal(rate_of(&v, "3.4%%", &why), CR_EINVALID);
    assert_string_equal(why, "not a number");
}

static cr_err decimal_of(double *out, const char *s, const char **why)
{
    *why = NULL;
    return cr_parse_decimal(out, s, strlen(s), why);
}

static void test_num__decimal_values(void **state)
{
    double v;
    const char *why;

    (void)state;
    assert_int_equal(decimal_of(&v, "-12.5", &why), CR_OK);
    assert_float_equal(v, -12.5, 1e-12);
    assert_int_equal(decimal_of(&v, "1,234.5", &why), CR_OK);
    assert_float_equal(v, 1234.5, 1e-9);
    assert_int_equal(decimal_of(&v, "+3", &why), CR_OK);
    assert_float_equal(v, 3.0, 1e-12);
    assert_int_equal(decimal_of(&v, " 0.25 ", &why), CR_OK);
    assert_float_equal(v, 0.25, 1e-12);
    assert_int_equal(decimal_of(&v, ".5", &why), CR_OK);
    assert_float_equal(v, 0.5, 1e-12);
    assert_int_equal(decimal_of(&v, "42", &why), CR_OK);
    assert_float_equal(v, 42.0, 1e-12);
}

static void test_num__decimal_garbage_fails(void **state)
{
    double v;
    const char *why;

    (void)state;
    assert_int_equal(decimal_of(&v, "", &why), CR_EINVALID);
    assert_string_equal(why, "empty");
    assert_int_equal(decimal_of(&v, "-", &why), CR_EINVALID);
    assert_string_equal(why, "not a number");
    assert_int_equal(decimal_of(&v, "12.5K", &why), CR_EINVALID);
    assert_string_equal(why, "not a number");
    assert_int_equal(decimal_of(&v, "1e3", &why), CR_EINVALID);
    assert_string_equal(why, "not a number");
    assert_int_equal(decimal_of(&v, "1,23.5", &why), CR_EINVALID);
    assert_string_equal(why, "misplaced thousands separator");
}

static void test_num__money_minor_units(void **state)
{
    int64_t v = -1;
    const char *why = NULL;

    (void)state;
    assert_int_equal(cr_parse_money(&v, "1,200.50", 8, &why), CR_OK);
    assert_int_equal(v, 120050);
    assert_int_equal(cr_parse_money(&v, "0.005", 5, &why), CR_OK);
    assert_int_equal(v, 1); /* rounded to the nearest cent */
    assert_int_equal(cr_parse_money(&v, "90000000000000", 14, &why), CR_OK);
    assert_int_equal(v, 9000000000000000);
    /* past CR_AMOUNT_MAX: refused, not wrapped (x100 would leave int64_t at 1e17 major) */
    assert_int_equal(cr_parse_money(&v, "90000000000001", 14, &why), CR_EINVALID);
    assert_string_equal(why, "number too large");
    assert_int_equal(cr_parse_money(&v, "288888888888888850", 18, &why), CR_EINVALID);
    assert_int_equal(cr_parse_money(&v, "-5", 2, &why), CR_EINVALID);
    assert_string_equal(why, "a negative amount");
}

static void assert_compact(int64_t n, const char *expected)
{
    char buf[16];

    memset(buf, 'x', sizeof(buf));
    assert_ptr_equal(cr_fmt_compact(buf, sizeof(buf), n), buf);
    assert_string_equal(buf, expected);
}

static void test_num__fmt_compact(void **state)
{
    (void)state;
    assert_compact(0, "0");
    assert_compact(950, "950");
    assert_compact(9999, "9999");
    assert_compact(10000, "10.0K");
    assert_compact(12500, "12.5K");
    assert_compact(12345, "12.3K");
    assert_compact(1200000, "1.2M");
    assert_compact(3000000000LL, "3.0B");
    assert_compact(-1, "-");
}

static void test_num__fmt_compact_truncates_to_buffer(void **state)
{
    char buf[4];

    (void)state;
    cr_fmt_compact(buf, sizeof(buf), 123456);
    assert_string_equal(buf, "123");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_num__count_plain_digits),
        cmocka_unit_test(test_num__money_minor_units),
        cmocka_unit_test(test_num__count_thousands_separators),
        cmocka_unit_test(test_num__count_suffixes),
        cmocka_unit_test(test_num__count_surrounding_blanks_ignored),
        cmocka_unit_test(test_num__count_explicit_length),
        cmocka_unit_test(test_num__count_fraction_is_not_a_whole_number),
        cmocka_unit_test(test_num__count_negative_fails),
        cmocka_unit_test(test_num__count_misplaced_separator_fails),
        cmocka_unit_test(test_num__count_garbage_fails),
        cmocka_unit_test(test_num__count_overflow_fails),
        cmocka_unit_test(test_num__count_does_not_touch_the_error_record),
        cmocka_unit_test(test_num__rate_percent_and_fraction),
        cmocka_unit_test(test_num__rate_out_of_range_fails),
        cmocka_unit_test(test_num__rate_garbage_fails),
        cmocka_unit_test(test_num__decimal_values),
        cmocka_unit_test(test_num__decimal_garbage_fails),
        cmocka_unit_test(test_num__fmt_compact),
        cmocka_unit_test(test_num__fmt_compact_truncates_to_buffer),
    };

    return cmocka_run_group_tests_name("util.num", tests, NULL, NULL);
}
