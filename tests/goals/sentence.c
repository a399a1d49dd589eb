/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * sentence.c - tests for the goal sentence parser in src/goals/sentence.c: the corpus in
 * tests/resources/goals/sentences.tsv (every field of every row, default year 2027), then
 * the issue's example, numbers in words, currencies and the error cases one by one. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crest/sentence.h"
#include "util/date.h"

#define CORPUS       CR_TEST_RESOURCES "/goals/sentences.tsv"
#define CORPUS_YEAR  2027
#define NCOLUMNS     12
#define MIN_CORPUS   45
#define TARGET_SLACK 5e-7 /* the corpus writes targets with up to 6 decimals */

enum column {
    COL_SENTENCE,
    COL_GOAL,
    COL_KPI,
    COL_DIRECTION,
    COL_TARGET_KIND,
    COL_TARGET,
    COL_PERIOD,
    COL_BASELINE,
    COL_BUDGET,
    COL_CURRENCY,
    COL_PARTNERSHIPS,
    COL_UNPARSED
};

static const char *const column_names[NCOLUMNS] = { "sentence",  "goal",         "kpi",
                                                    "direction", "target_kind",  "target",
                                                    "period",    "baseline",     "budget_minor",
                                                    "currency",  "partnerships", "unparsed" };

/* Midnight UTC of the first and last day a period label names ("2027-Q3", "2027-H1",
 * "2027-07", "2027", "2027-07-01..2027-09-30"), worked out here independently. */
static int label_range(const char *label, int64_t *lo, int64_t *hi)
{
    int y, n, m1, d1, y2, m2, d2, first = 0, last = 0;
    char c;

    if (sscanf(label, "%4d-%2d-%2d..%4d-%2d-%2d", &y, &m1, &d1, &y2, &m2, &d2) == 6) {
        *lo = cr_days_from_civil(y, m1, d1) * 86400;
        *hi = cr_days_from_civil(y2, m2, d2) * 86400;
        return 1;
    }
    if (sscanf(label, "%4d-%c%d", &y, &c, &n) == 3 && (c == 'Q' || c == 'H')) {
        first = c == 'Q' ? 3 * n - 2 : 6 * n - 5;
        last = c == 'Q' ? 3 * n : 6 * n;
    } else if (sscanf(label, "%4d-%2d", &y, &n) == 2) {
        first = last = n;
    } else if (sscanf(label, "%4d", &y) == 1 && strlen(label) == 4) {
        first = 1;
        last = 12;
    } else {
        return 0;
    }
    *lo = cr_days_from_civil(y, first, 1) * 86400;
    *hi = (last == 12 ? cr_days_from_civil(y + 1, 1, 1) : cr_days_from_civil(y, last + 1, 1)) *
              86400 -
          86400;
    return 1;
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

/* Compare one parsed statement with one corpus row; prints each field that differs. */
static int check_row(char **col, int line)
{
    cr_goal_statement g;
    cr_err rc = cr_goal_parse(&g, col[COL_SENTENCE], CORPUS_YEAR);
    char got[NCOLUMNS][512];
    int64_t lo, hi;
    size_t i;
    int bad = 0, k;

    memset(got, 0, sizeof(got));
    snprintf(got[COL_GOAL], sizeof(got[0]), "%s", rc == CR_OK ? cr_goal_name(g.goal) : "ERROR");
    snprintf(got[COL_KPI], sizeof(got[0]), "%s", or_dash(g.kpi));
    snprintf(got[COL_DIRECTION], sizeof(got[0]), "%s",
             g.direction > 0   ? "+1"
             : g.direction < 0 ? "-1"
                               : "0");
    snprintf(got[COL_TARGET_KIND], sizeof(got[0]), "%s",
             g.target_kind == CR_TARGET_RELATIVE   ? "relative"
             : g.target_kind == CR_TARGET_ABSOLUTE ? "absolute"
                                                   : "-");
    if (g.target_kind == CR_TARGET_NONE)
        snprintf(got[COL_TARGET], sizeof(got[0]), "-");
    else
        snprintf(got[COL_TARGET], sizeof(got[0]), "%.6f", g.target);
    snprintf(got[COL_PERIOD], sizeof(got[0]), "%s", or_dash(g.period));
    snprintf(got[COL_BASELINE], sizeof(got[0]), "%s", or_dash(g.baseline_period));
    if (g.budget_minor < 0)
        snprintf(got[COL_BUDGET], sizeof(got[0]), "-");
    else
        snprintf(got[COL_BUDGET], sizeof(got[0]), "%lld", (long long)g.budget_minor);
    snprintf(got[COL_CURRENCY], sizeof(got[0]), "%s", or_dash(g.currency));
    if (g.partnerships < 0)
        snprintf(got[COL_PARTNERSHIPS], sizeof(got[0]), "-");
    else
        snprintf(got[COL_PARTNERSHIPS], sizeof(got[0]), "%d", g.partnerships);
    for (i = 0; i < g.nunparsed; i++) {
        size_t len = strlen(got[COL_UNPARSED]);
        snprintf(got[COL_UNPARSED] + len, sizeof(got[0]) - len, "%s%s", i ? "|" : "",
                 g.unparsed[i]);
    }
    if (g.nunparsed == 0)
        snprintf(got[COL_UNPARSED], sizeof(got[0]), "-");

    for (k = COL_GOAL; k < NCOLUMNS; k++) {
        int same;
        if (k == COL_TARGET && strcmp(col[k], "-") != 0 && strcmp(got[k], "-") != 0)
            same = fabs(strtod(col[k], NULL) - g.target) < TARGET_SLACK;
        else
            same = strcmp(col[k], got[k]) == 0;
        if (!same) {
            print_error("%s:%d: \"%s\"\n    %s: expected '%s', got '%s'\n", CORPUS, line,
                        col[COL_SENTENCE], column_names[k], col[k], got[k]);
            bad = 1;
        }
    }
    /* period_start/period_end are set exactly when a period is, and match its label */
    if (g.period[0] == '\0' && (g.period_start != 0 || g.period_end != 0)) {
        print_error("%s:%d: \"%s\"\n    period_start/end set without a period\n", CORPUS, line,
                    col[COL_SENTENCE]);
        bad = 1;
    } else if (g.period[0] != '\0' &&
               (!label_range(g.period, &lo, &hi) || lo != g.period_start || hi != g.period_end)) {
        print_error("%s:%d: \"%s\"\n    period_start/end do not match '%s'\n", CORPUS, line,
                    col[COL_SENTENCE], g.period);
        bad = 1;
    }
    return bad;
}

static void test_sentence__corpus(void **state)
{
    FILE *f = fopen(CORPUS, "r");
    char buf[2048], *col[NCOLUMNS], *p;
    int line = 0, rows = 0, failed = 0, per_goal[6] = { 0 }, errors = 0, k;

    (void)state;
    if (f == NULL)
        fail_msg("cannot open %s", CORPUS);
    while (fgets(buf, sizeof(buf), f) != NULL) {
        line++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (line == 1 || buf[0] == '\0')
            continue; /* the header */
        for (k = 0, p = buf; k < NCOLUMNS; k++) {
            col[k] = p;
            p = strchr(p, '\t');
            if (p == NULL)
                break;
            *p++ = '\0';
        }
        if (k != NCOLUMNS - 1 || p != NULL) {
            fclose(f);
            fail_msg("%s:%d: expected %d tab-separated columns", CORPUS, line, NCOLUMNS);
        }
        rows++;
        failed += check_row(col, line);
        if (strcmp(col[COL_GOAL], "ERROR") == 0)
            errors++;
        else
            per_goal[cr_goal_from_name(col[COL_GOAL])]++;
    }
    fclose(f);
    if (failed)
        fail_msg("%d of %d corpus sentences differ from their expected reading", failed, rows);
    assert_true(rows >= MIN_CORPUS);
    for (k = CR_GOAL_AWARENESS; k <= CR_GOAL_SALES; k++)
        if (per_goal[k] == 0)
            fail_msg("the corpus has no %s sentence", cr_goal_name((cr_goal_type)k));
    assert_true(per_goal[CR_GOAL_NONE] == 0); /* every goal column names a goal or ERROR */
    assert_true(errors > 0);
}

static void parse_ok(cr_goal_statement *g, const char *text)
{
    cr_err rc = cr_goal_parse(g, text, CORPUS_YEAR);

    if (rc != CR_OK)
        fail_msg("\"%s\" failed: %s", text, cr_error_last() ? cr_error_last()->message : "?");
}

static void test_sentence__issue_example(void **state)
{
    cr_goal_statement g;

    (void)state;
    parse_ok(&g, "Increase website referral traffic from creator campaigns by 25% over Q3, "
                 "measured against Q2 baseline, using a budget of $15,000 across four creator "
                 "partnerships.");
    assert_int_equal(g.goal, CR_GOAL_TRAFFIC);
    assert_string_equal(g.kpi, "referral_sessions");
    assert_int_equal(g.direction, 1);
    assert_int_equal(g.target_kind, CR_TARGET_RELATIVE);
    assert_true(fabs(g.target - 0.25) < 1e-9);
    assert_string_equal(g.period, "2027-Q3");
    assert_int_equal(g.period_start, cr_days_from_civil(2027, 7, 1) * 86400);
    assert_int_equal(g.period_end, cr_days_from_civil(2027, 9, 30) * 86400);
    assert_string_equal(g.baseline_period, "2027-Q2");
    assert_int_equal(g.budget_minor, 1500000);
    assert_string_equal(g.currency, "USD");
    assert_int_equal(g.partnerships, 4);
    assert_int_equal(g.nunparsed, 0);
}

static void test_sentence__numbers_in_words(void **state)
{
    static const struct {
        const char *text;
        double target;
        int partnerships;
    } cases[] = {
        { "Increase sessions by twenty-five percent with four creators", 0.25, 4 },
        { "Increase sessions by twenty five percent with twelve influencers", 0.25, 12 },
        { "Reach two hundred and fifty thousand impressions with nineteen creators", 250000, 19 },
        { "Reach fifteen thousand sessions with a dozen creators", 15000, 12 },
        { "Reach 1.5 million impressions with one creator", 1500000, 1 },
        { "Reach a million impressions with 3 partnerships", 1000000, 3 },
        { "Reach 15k sessions with ninety-nine creators", 15000, 99 },
    };
    cr_goal_statement g;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        parse_ok(&g, cases[i].text);
        if (fabs(g.target - cases[i].target) > 1e-9 || g.partnerships != cases[i].partnerships ||
            g.nunparsed != 0)
            fail_msg("\"%s\": target %g, %d partnerships, %zu unparsed", cases[i].text, g.target,
                     g.partnerships, g.nunparsed);
    }
}

static void test_sentence__currencies(void **state)
{
    static const struct {
        const char *text;
        int64_t minor;
        const char *currency;
    } cases[] = {
        { "Grow sales by 10% with a budget of $15,000", 1500000, "USD" },
        { "Grow sales by 10% with a budget of \xE2\x82\xAC"
          "8k",
          800000, "EUR" },
        { "Grow sales by 10% with a budget of \xC2\xA3"
          "2.5K",
          250000, "GBP" },
        { "Grow sales by 10% with a budget of 15000 USD", 1500000, "USD" },
        { "Grow sales by 10% with a budget of USD 15,000", 1500000, "USD" },
        { "Grow sales by 10% with a budget of fifteen thousand dollars", 1500000, "USD" },
        { "Grow sales by 10% with a budget of 10,000 EUR", 1000000, "EUR" },
        { "Grow sales by 10% with a budget of 2,000 euros", 200000, "EUR" },
        { "Grow sales by 10% with a budget of 900 pounds", 90000, "GBP" },
        { "Grow sales by 10% with a budget of $1.2M", 120000000, "USD" },
        { "Grow sales by 10% with a budget of 500,000 JPY", 500000, "JPY" },
        { "Grow sales by 10%, $12k budget", 1200000, "USD" },
    };
    cr_goal_statement g;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        parse_ok(&g, cases[i].text);
        if (g.budget_minor != cases[i].minor || strcmp(g.currency, cases[i].currency) != 0 ||
            g.nunparsed != 0)
            fail_msg("\"%s\": budget %lld %s, %zu unparsed", cases[i].text,
                     (long long)g.budget_minor, g.currency, g.nunparsed);
    }
    /* a money target of a money KPI is not a budget; it is in minor units */
    parse_ok(&g, "Lower cost per lead to \xE2\x82\xAC"
                 "20");
    assert_int_equal(g.target_kind, CR_TARGET_ABSOLUTE);
    assert_true(fabs(g.target - 2000) < 1e-9);
    assert_int_equal(g.budget_minor, -1);
    assert_string_equal(g.currency, "");
}

static void test_sentence__unparsed_never_guessed(void **state)
{
    cr_goal_statement g;

    (void)state;
    /* an unattributed number shows, and so does a second KPI */
    parse_ok(&g, "Increase referral sessions by 25% in Q3, and revenue by 10%, 7 times a week");
    assert_string_equal(g.kpi, "referral_sessions");
    assert_int_equal(g.nunparsed, 2);
    assert_string_equal(g.unparsed[0], "revenue by 10%");
    assert_string_equal(g.unparsed[1], "7 times a week");
    /* relative-to-today periods need a date the parser does not have */
    parse_ok(&g, "Increase sessions by 25% next quarter");
    assert_string_equal(g.period, "");
    assert_int_equal(g.period_start, 0);
    assert_int_equal(g.nunparsed, 1);
    assert_string_equal(g.unparsed[0], "next quarter");
    /* never more phrases than the statement holds */
    parse_ok(&g, "Increase sessions by 25%: alpha, beta, gamma, delta, epsilon, zeta, eta, theta, "
                 "iota, kappa");
    assert_int_equal(g.nunparsed, CR_SENTENCE_MAX_UNPARSED);
    assert_string_equal(g.unparsed[0], "alpha");
}

static void test_sentence__huge_amounts_unparsed(void **state)
{
    cr_goal_statement g;
    cr_err rc;

    (void)state;
    /* money past 9e13 (as in campaign files) and counts past 9e15 are not read: shown as
     * unparsed, never wrapped into int64_t */
    parse_ok(&g, "Raise EMV to $2,000,000 in 2027 with a $90,000,000,000,000,000 budget");
    assert_true(g.budget_minor < 0);
    assert_true(g.target == 200000000.0);
    assert_true(g.nunparsed >= 1);
    parse_ok(&g, "Raise EMV to $2,000,000 in 2027 with a $100,000,000,000,000 budget");
    assert_true(g.budget_minor < 0);
    parse_ok(&g, "Raise EMV to $9,000,000,000,000,001 in 2027 with a $50,000 budget");
    assert_int_equal(g.budget_minor, 5000000);
    assert_true(g.target_kind != CR_TARGET_ABSOLUTE);
    /* found by fuzz_goal_sentence: an 18-digit target in cents overflowed (UBSan) */
    rc = cr_goal_parse(&g,
                       "Raise EMV to $288888888888888850 2027 with ase EM000 budget across 1000 in "
                       "2027 witfifteen,ators.",
                       CORPUS_YEAR);
    if (rc == CR_OK)
        assert_true(g.target_kind != CR_TARGET_ABSOLUTE || g.target < 1e18);
}

static void test_sentence__no_kpi_fails(void **state)
{
    cr_goal_statement g;
    const cr_error *e;

    (void)state;
    assert_int_equal(cr_goal_parse(&g, "Make our brand famous in Q3", CORPUS_YEAR), CR_EINVALID);
    e = cr_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, CR_EINVALID);
    assert_int_equal(e->klass, CR_ERRCLASS_PARSE);
    assert_non_null(strstr(e->message, "no KPI found"));
    assert_int_equal(g.goal, CR_GOAL_NONE);
    assert_string_equal(g.kpi, "");
    assert_string_equal(g.period, "2027-Q3"); /* what was read is still filled in */

    assert_int_equal(cr_goal_parse(&g, "   ", CORPUS_YEAR), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "empty"));
    assert_int_equal(cr_goal_parse(&g, NULL, CORPUS_YEAR), CR_EINVALID);
    assert_int_equal(g.budget_minor, -1);
    assert_int_equal(g.partnerships, -1);
}

static void test_sentence__too_long_fails(void **state)
{
    char text[4096] = "Increase sessions by 25%";
    size_t len = strlen(text);
    cr_goal_statement g;
    int i;

    (void)state;
    for (i = 0; i < 300; i++, len += 2)
        memcpy(text + len, " x", 3); /* 160 tokens at most */
    assert_int_equal(cr_goal_parse(&g, text, CORPUS_YEAR), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "too long"));
}

static void test_sentence__goal_names(void **state)
{
    int g;

    (void)state;
    for (g = CR_GOAL_NONE; g <= CR_GOAL_SALES; g++)
        assert_int_equal(cr_goal_from_name(cr_goal_name((cr_goal_type)g)), g);
    assert_string_equal(cr_goal_name(CR_GOAL_TRAFFIC), "traffic");
    assert_string_equal(cr_goal_name(CR_GOAL_NONE), "none");
    assert_int_equal(cr_goal_from_name("SALES"), CR_GOAL_SALES);
    assert_int_equal(cr_goal_from_name("Awareness"), CR_GOAL_AWARENESS);
    assert_int_equal(cr_goal_from_name("conversions"), CR_GOAL_NONE);
    assert_int_equal(cr_goal_from_name(NULL), CR_GOAL_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentence__corpus),
        cmocka_unit_test(test_sentence__issue_example),
        cmocka_unit_test(test_sentence__numbers_in_words),
        cmocka_unit_test(test_sentence__currencies),
        cmocka_unit_test(test_sentence__unparsed_never_guessed),
        cmocka_unit_test(test_sentence__huge_amounts_unparsed),
        cmocka_unit_test(test_sentence__no_kpi_fails),
        cmocka_unit_test(test_sentence__too_long_fails),
        cmocka_unit_test(test_sentence__goal_names),
    };

    return cmocka_run_group_tests_name("goals.sentence", tests, NULL, NULL);
}
