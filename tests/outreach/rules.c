/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * rules.c - the sending rules (src/outreach/rules.c): the country to UTC offset table, quiet
 * hours across midnight and in zones with half-hour offsets, the warm-up of the daily cap,
 * and the configuration's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crest/outreach.h"

#define DAY  86400
#define HOUR 3600
/* 2026-11-16T00:00:00Z */
#define T0 1794787200

static void test_rules__tz_offsets(void **state)
{
    int off = 99;

    (void)state;
    assert_int_equal(cr_outreach_tz_offset(&off, "US", T0), 1);
    assert_int_equal(off, -300);
    assert_int_equal(cr_outreach_tz_offset(&off, "in", T0), 1); /* case does not matter */
    assert_int_equal(off, 330);
    assert_int_equal(cr_outreach_tz_offset(&off, "NP", T0), 1);
    assert_int_equal(off, 345);
    assert_int_equal(cr_outreach_tz_offset(&off, "GB", T0), 1);
    assert_int_equal(off, 0);
    assert_int_equal(cr_outreach_tz_offset(&off, "ZZ", T0), 0);
    assert_int_equal(off, 0);
    assert_int_equal(cr_outreach_tz_offset(&off, NULL, T0), 0);
    assert_int_equal(cr_outreach_tz_offset(&off, "USA", T0), 0);
}

/* offset of COUNTRY at UTC time T */
static int offset_at(const char *country, int64_t t)
{
    int off = 99;

    assert_int_equal(cr_outreach_tz_offset(&off, country, t), 1);
    return off;
}

/* Daylight saving by today's rules, each change to the second (the instants were checked
 * against the tz database's America/New_York, Europe/London and Australia/Sydney). */
static void test_rules__tz_daylight_saving(void **state)
{
    (void)state;
    assert_int_equal(offset_at("US", 1768478400), -300); /* 2026-01-15T12:00Z */
    assert_int_equal(offset_at("US", 1782907200), -240); /* 2026-07-01T12:00Z */
    assert_int_equal(offset_at("US", 1772953199), -300); /* 2026-03-08T06:59:59Z */
    assert_int_equal(offset_at("US", 1772953200), -240); /* 02:00 EST: clocks forward */
    assert_int_equal(offset_at("US", 1793512799), -240); /* 2026-11-01T05:59:59Z */
    assert_int_equal(offset_at("US", 1793512800), -300); /* 02:00 EDT: clocks back */
    assert_int_equal(offset_at("GB", 1774745999), 0);    /* 2026-03-29T00:59:59Z */
    assert_int_equal(offset_at("GB", 1774746000), 60);
    assert_int_equal(offset_at("DE", 1774746000), 120); /* the whole EU at 01:00 UTC */
    assert_int_equal(offset_at("GB", 1792889999), 60);  /* 2026-10-25T00:59:59Z */
    assert_int_equal(offset_at("GB", 1792890000), 0);
    assert_int_equal(offset_at("AU", 1782907200), 600); /* southern winter */
    assert_int_equal(offset_at("AU", 1768478400), 660); /* southern summer */
    assert_int_equal(offset_at("AU", 1791043199), 600); /* 2026-10-03T15:59:59Z */
    assert_int_equal(offset_at("AU", 1791043200), 660); /* 02:00 AEST, Sunday 4 October */
    assert_int_equal(offset_at("IN", 1782907200), 330); /* no daylight saving */
    assert_int_equal(offset_at("IN", 1768478400), 330);
}

static void test_rules__quiet_hours_across_midnight(void **state)
{
    cr_outreach_config c;

    (void)state;
    cr_outreach_config_init(&c); /* 21:00 - 08:00 */
    assert_int_equal(cr_outreach_quiet(&c, T0 + 7 * HOUR, 0), 1);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 8 * HOUR, 0), 0);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 20 * HOUR + 59 * 60, 0), 0);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 21 * HOUR, 0), 1);
    assert_int_equal(cr_outreach_quiet(&c, T0, 0), 1);
    /* 12:00 UTC is 07:00 in New York (quiet) and 17:30 in India (not) */
    assert_int_equal(cr_outreach_quiet(&c, T0 + 12 * HOUR, -300), 1);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 12 * HOUR, 330), 0);
    /* 02:00 UTC is 07:30 in India: quiet until 08:00, so 02:30 UTC is the first minute */
    assert_int_equal(cr_outreach_quiet(&c, T0 + 2 * HOUR + 29 * 60, 330), 1);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 2 * HOUR + 30 * 60, 330), 0);
    /* the previous day, local: 23:00 UTC is 08:00 next morning at +9 */
    assert_int_equal(cr_outreach_quiet(&c, T0 - HOUR, 540), 0);
}

static void test_rules__quiet_hours_same_day_and_off(void **state)
{
    cr_outreach_config c;

    (void)state;
    cr_outreach_config_init(&c);
    c.quiet_start = 12;
    c.quiet_end = 14;
    assert_int_equal(cr_outreach_quiet(&c, T0 + 11 * HOUR, 0), 0);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 12 * HOUR, 0), 1);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 14 * HOUR, 0), 0);
    c.quiet_end = 12;
    assert_int_equal(cr_outreach_quiet(&c, T0 + 12 * HOUR, 0), 0);
    assert_int_equal(cr_outreach_quiet(&c, T0 + 3 * HOUR, 0), 0);
}

static void test_rules__warmup_cap(void **state)
{
    cr_outreach_config c;

    (void)state;
    cr_outreach_config_init(&c);
    c.daily_cap = 50;
    c.warmup_start = 10;
    c.warmup_step = 15;
    assert_int_equal(cr_outreach_day_cap(&c, 0, T0), 10); /* nothing sent yet: day 1 */
    assert_int_equal(cr_outreach_day_cap(&c, T0 + 5 * HOUR, T0 + 23 * HOUR), 10);
    assert_int_equal(cr_outreach_day_cap(&c, T0 + 5 * HOUR, T0 + DAY), 25);
    assert_int_equal(cr_outreach_day_cap(&c, T0 + 5 * HOUR, T0 + 2 * DAY + 1), 40);
    assert_int_equal(cr_outreach_day_cap(&c, T0 + 5 * HOUR, T0 + 3 * DAY), 50);
    assert_int_equal(cr_outreach_day_cap(&c, T0 + 5 * HOUR, T0 + 30 * DAY), 50);
    c.warmup_step = 0;
    assert_int_equal(cr_outreach_day_cap(&c, T0, T0 + 30 * DAY), 10);
    c.warmup_start = 500;
    assert_int_equal(cr_outreach_day_cap(&c, T0, T0), 50);
}

static void test_rules__config_checks(void **state)
{
    cr_outreach_config c;
    char *json = NULL;

    (void)state;
    cr_outreach_config_init(&c);
    assert_int_equal(cr_outreach_config_set(&c, "from_email", "team@brand.example"), CR_OK);
    assert_int_equal(cr_outreach_config_set(&c, "from_name", "Brand \xe2\x9c\xa8 Team"), CR_OK);
    assert_int_equal(cr_outreach_config_set(&c, "quiet_start", "22"), CR_OK);
    assert_int_equal(cr_outreach_config_set(&c, "unsubscribe", "https://brand.example/u"), CR_OK);
    assert_int_equal(cr_outreach_config_set(&c, "from_email", "no-at-sign"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "from_email: expected an address"));
    assert_int_equal(cr_outreach_config_set(&c, "from_email", "a@b\r\nBcc: x@y"), CR_EINVALID);
    assert_int_equal(cr_outreach_config_set(&c, "quiet_end", "24"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "quiet_end: expected a whole number"));
    assert_int_equal(cr_outreach_config_set(&c, "daily_cap", "0"), CR_EINVALID);
    assert_int_equal(cr_outreach_config_set(&c, "unsubscribe", "ftp://x"), CR_EINVALID);
    assert_int_equal(cr_outreach_config_set(&c, "colour", "red"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "unknown field 'colour'"));
    assert_string_equal(c.from_email, "team@brand.example"); /* refused values change nothing */
    assert_int_equal(c.quiet_end, 8);
    assert_int_equal(cr_outreach_config_json(&json, &c), CR_OK);
    assert_non_null(strstr(json, "\"quiet_start\":22"));
    cr_outreach_text_free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules__tz_offsets),
        cmocka_unit_test(test_rules__tz_daylight_saving),
        cmocka_unit_test(test_rules__quiet_hours_across_midnight),
        cmocka_unit_test(test_rules__quiet_hours_same_day_and_off),
        cmocka_unit_test(test_rules__warmup_cap),
        cmocka_unit_test(test_rules__config_checks),
    };
    return cmocka_run_group_tests_name("outreach.rules", tests, NULL, NULL);
}
