/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * date.c - tests for civil-date arithmetic, strict ISO 8601 parsing and UTC formatting in
 * src/util/date.c. Expected epoch values were computed independently (Python's datetime). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/date.h"

#define DAY          86400
#define T_2026_07_01 1782864000LL /* 2026-07-01T00:00:00Z */

static cr_err date_of(int64_t *out, const char *s, const char **why)
{
    *why = NULL;
    *out = -777;
    return cr_parse_date(out, s, strlen(s), why);
}

static cr_err datetime_of(int64_t *out, const char *s, const char **why)
{
    *why = NULL;
    *out = -777;
    return cr_parse_datetime(out, s, strlen(s), why);
}

static void assert_date(const char *s, int64_t expected)
{
    int64_t v;
    const char *why;

    if (date_of(&v, s, &why) != CR_OK)
        fail_msg("cr_parse_date(\"%s\") failed: %s", s, why ? why : "(no reason)");
    assert_int_equal(v, expected);
}

static void assert_date_fails(const char *s, const char *reason)
{
    int64_t v;
    const char *why;

    assert_int_equal(date_of(&v, s, &why), CR_EINVALID);
    assert_non_null(why);
    assert_string_equal(why, reason);
    assert_int_equal(v, -777);
}

static void assert_datetime(const char *s, int64_t expected)
{
    int64_t v;
    const char *why;

    if (datetime_of(&v, s, &why) != CR_OK)
        fail_msg("cr_parse_datetime(\"%s\") failed: %s", s, why ? why : "(no reason)");
    assert_int_equal(v, expected);
}

static void assert_datetime_fails(const char *s, const char *reason)
{
    int64_t v;
    const char *why;

    assert_int_equal(datetime_of(&v, s, &why), CR_EINVALID);
    assert_non_null(why);
    assert_string_equal(why, reason);
}

static const char bad_datetime[] = "not an ISO date-time (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])";

static void test_date__known_days(void **state)
{
    (void)state;
    assert_int_equal(cr_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cr_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cr_days_from_civil(1900, 1, 1), -25567);
    assert_int_equal(cr_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cr_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(cr_days_from_civil(2026, 7, 1), 20635);
    assert_int_equal(cr_days_from_civil(2999, 12, 31), 376199);
}

/* Every day from about 1753 to 2243 converts to a date and back, and consecutive days give
 * consecutive calendar dates. */
static void test_date__civil_round_trip(void **state)
{
    int64_t z;
    int py = 0, pm = 0, pd = 0;

    (void)state;
    for (z = -79000; z <= 100000; z++) {
        int y, m, d;
        cr_civil_from_days(z, &y, &m, &d);
        assert_true(m >= 1 && m <= 12);
        assert_true(d >= 1 && d <= 31);
        if (cr_days_from_civil(y, m, d) != z)
            fail_msg("day %lld -> %04d-%02d-%02d -> %lld", (long long)z, y, m, d,
                     (long long)cr_days_from_civil(y, m, d));
        if (z > -79000) {
            int next_day = y == py && m == pm && d == pd + 1;
            int next_month = y == py && m == pm + 1 && d == 1;
            int next_year = y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31;
            if (!next_day && !next_month && !next_year)
                fail_msg("%04d-%02d-%02d follows %04d-%02d-%02d", y, m, d, py, pm, pd);
        }
        py = y;
        pm = m;
        pd = d;
    }
}

static void test_date__civil_known_dates(void **state)
{
    int y, m, d;

    (void)state;
    cr_civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    cr_civil_from_days(19782, &y, &m, &d);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    cr_civil_from_days(-25567, &y, &m, &d);
    assert_int_equal(y, 1900);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
}

static void test_date__parse_date_valid(void **state)
{
    (void)state;
    assert_date("2024-02-29", 1709164800LL);
    assert_date("2026-07-01", T_2026_07_01);
    assert_date("1970-01-01", 0);
    assert_date("1969-12-31", -DAY);
    assert_date("1900-01-01", -2208988800LL);
    assert_date("2000-02-29", 951782400LL);
    assert_date(" 2026-07-01 ", T_2026_07_01);
}

static void test_date__parse_date_invalid(void **state)
{
    (void)state;
    assert_date_fails("2023-02-29", "no such calendar date");
    assert_date_fails("1900-02-29", "no such calendar date");
    assert_date_fails("2026-13-01", "no such calendar date");
    assert_date_fails("2026-00-10", "no such calendar date");
    assert_date_fails("2026-04-31", "no such calendar date");
    assert_date_fails("2026-07-00", "no such calendar date");
    assert_date_fails("1899-12-31", "no such calendar date");
    assert_date_fails("2026-7-1", "not in YYYY-MM-DD form");
    assert_date_fails("2026/07/01", "not in YYYY-MM-DD form");
    assert_date_fails("26-07-01", "not in YYYY-MM-DD form");
    assert_date_fails("2026-07-01T10:00", "not in YYYY-MM-DD form");
    assert_date_fails("2026-07-01x", "not in YYYY-MM-DD form");
    assert_date_fails("", "not in YYYY-MM-DD form");
    assert_date_fails("July 1", "not in YYYY-MM-DD form");
}

static void test_date__parse_datetime_forms(void **state)
{
    (void)state;
    assert_datetime("2026-07-01", T_2026_07_01);
    assert_datetime("2026-07-01T09:30", T_2026_07_01 + 9 * 3600 + 30 * 60);
    assert_datetime("2026-07-01 09:30", T_2026_07_01 + 9 * 3600 + 30 * 60);
    assert_datetime("2026-07-01T09:30:15", T_2026_07_01 + 34215);
    assert_datetime("2026-07-01 09:30:15Z", T_2026_07_01 + 34215);
    assert_datetime("2026-07-01T09:30:15z", T_2026_07_01 + 34215);
    assert_datetime("2026-07-01T09:30:15.123Z", T_2026_07_01 + 34215);
    assert_datetime("2026-07-01T09:30:15.999999", T_2026_07_01 + 34215);
    assert_datetime("2026-07-01T23:59:59Z", T_2026_07_01 + DAY - 1);
    assert_datetime("  2026-07-01T09:30Z  ", T_2026_07_01 + 34200);
}

static void test_date__parse_datetime_offsets_convert_to_utc(void **state)
{
    (void)state;
    /* 09:30 at +02:00 is 07:30 UTC */
    assert_datetime("2026-07-01T09:30:00+02:00", T_2026_07_01 + 7 * 3600 + 30 * 60);
    /* 09:30 at -05:30 is 15:00 UTC */
    assert_datetime("2026-07-01T09:30:00-0530", T_2026_07_01 + 15 * 3600);
    assert_datetime("2026-07-01T09:30-05:30", T_2026_07_01 + 15 * 3600);
    assert_datetime("2026-07-01T09:30:00+00:00", T_2026_07_01 + 34200);
    /* offsets move the instant across midnight in both directions */
    assert_datetime("2026-07-01T01:00:00+02:00", T_2026_07_01 - 3600);
    assert_datetime("2026-06-30T22:00:00-02:00", T_2026_07_01);
    assert_datetime("2026-07-01T00:00+14:00", T_2026_07_01 - 14 * 3600);
}

static void test_date__parse_datetime_invalid(void **state)
{
    (void)state;
    assert_datetime_fails("2026-07-01T09:30:00+02:00 junk", bad_datetime);
    assert_datetime_fails("2026-07-01T09:30Zjunk", bad_datetime);
    assert_datetime_fails("2026-07-01x", bad_datetime);
    assert_datetime_fails("2026-07-01T", bad_datetime);
    assert_datetime_fails("2026-07-01T9:30", bad_datetime);
    assert_datetime_fails("2026-07-01T09", bad_datetime);
    assert_datetime_fails("2026-07-01T09:3", bad_datetime);
    assert_datetime_fails("2026-07-01T09:30:1", bad_datetime);
    assert_datetime_fails("2026-07-01T09:30+2", bad_datetime);
    assert_datetime_fails("2026-07-01T09:30+15:00", bad_datetime);
    assert_datetime_fails("2026-07-01T09:30+02:60", bad_datetime);
    assert_datetime_fails("2026-07-01T24:00", "no such time of day");
    assert_datetime_fails("2026-07-01T12:60", "no such time of day");
    assert_datetime_fails("2026-07-01T12:00:61", "no such time of day");
    assert_datetime_fails("2026-02-30T12:00", "no such calendar date");
    assert_datetime_fails("2026-7-01T12:00", "not in YYYY-MM-DD form");
    assert_datetime_fails("", "not in YYYY-MM-DD form");
}

static void test_date__fmt(void **state)
{
    char buf[32];

    (void)state;
    assert_string_equal(cr_fmt_date(buf, sizeof(buf), T_2026_07_01 + 34215), "2026-07-01");
    assert_string_equal(cr_fmt_datetime(buf, sizeof(buf), T_2026_07_01 + 34215),
                        "2026-07-01T09:30:15Z");
    assert_string_equal(cr_fmt_date(buf, sizeof(buf), 0), "1970-01-01");
    assert_string_equal(cr_fmt_datetime(buf, sizeof(buf), 0), "1970-01-01T00:00:00Z");
    assert_string_equal(cr_fmt_date(buf, sizeof(buf), -1), "1969-12-31");
    assert_string_equal(cr_fmt_datetime(buf, sizeof(buf), -1), "1969-12-31T23:59:59Z");
    assert_string_equal(cr_fmt_date(buf, sizeof(buf), -DAY), "1969-12-31");
    assert_string_equal(cr_fmt_datetime(buf, sizeof(buf), -DAY - 1), "1969-12-30T23:59:59Z");
    assert_string_equal(cr_fmt_datetime(buf, sizeof(buf), -2208988800LL), "1900-01-01T00:00:00Z");
}

/* Format then parse gives the same instant, over 1900..2999, before and after the epoch,
 * stepping by an odd number of seconds so that every time of day field varies. */
static void test_date__fmt_parse_round_trip(void **state)
{
    char buf[32], dbuf[16];
    int64_t t, v;
    const char *why;

    (void)state;
    for (t = -2208988800LL; t < 32503593600LL; t += 7 * DAY + 3671) {
        cr_fmt_datetime(buf, sizeof(buf), t);
        assert_int_equal(strlen(buf), 20);
        if (cr_parse_datetime(&v, buf, strlen(buf), &why) != CR_OK || v != t)
            fail_msg("%lld -> %s -> %lld", (long long)t, buf, (long long)v);
        cr_fmt_date(dbuf, sizeof(dbuf), t);
        assert_int_equal(strlen(dbuf), 10);
        assert_memory_equal(dbuf, buf, 10);
        assert_int_equal(cr_parse_date(&v, dbuf, strlen(dbuf), &why), CR_OK);
        assert_true(v <= t && t - v < DAY);
        assert_int_equal(v % DAY, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date__known_days),
        cmocka_unit_test(test_date__civil_round_trip),
        cmocka_unit_test(test_date__civil_known_dates),
        cmocka_unit_test(test_date__parse_date_valid),
        cmocka_unit_test(test_date__parse_date_invalid),
        cmocka_unit_test(test_date__parse_datetime_forms),
        cmocka_unit_test(test_date__parse_datetime_offsets_convert_to_utc),
        cmocka_unit_test(test_date__parse_datetime_invalid),
        cmocka_unit_test(test_date__fmt),
        cmocka_unit_test(test_date__fmt_parse_round_trip),
    };

    return cmocka_run_group_tests_name("util.date", tests, NULL, NULL);
}
