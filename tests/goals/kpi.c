/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * kpi.c - tests for the KPI catalog and formulas in src/goals/kpi.c: unique codes found by
 * cr_kpi_find, each goal type's primary set as DESIGN lists it, every formula against the
 * hand-computed golden values in tests/resources/kpi/formulas.tsv (with the zero-denominator
 * case of every ratio and the reasons of the KPIs that are not available yet), and the
 * display formats of cr_kpi_format. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crest/kpi.h"

#define FORMULAS     CR_TEST_RESOURCES "/kpi/formulas.tsv"
#define MAX_CATALOG  64
#define REL_EPSILON  1e-12 /* the golden values are exact; this only absorbs the last bit */
#define NA_PREFIX    "n/a: "
#define MIN_FORMULAS 50

/* The inputs a golden row may name, by field name. */
static const struct input_field {
    const char *name;
    size_t offset;
} input_fields[] = {
    { "days", offsetof(cr_kpi_inputs, days) },
    { "posts", offsetof(cr_kpi_inputs, posts) },
    { "impressions", offsetof(cr_kpi_inputs, impressions) },
    { "reach", offsetof(cr_kpi_inputs, reach) },
    { "views", offsetof(cr_kpi_inputs, views) },
    { "likes", offsetof(cr_kpi_inputs, likes) },
    { "comments", offsetof(cr_kpi_inputs, comments) },
    { "shares", offsetof(cr_kpi_inputs, shares) },
    { "saves", offsetof(cr_kpi_inputs, saves) },
    { "clicks", offsetof(cr_kpi_inputs, clicks) },
    { "watch_seconds", offsetof(cr_kpi_inputs, watch_seconds) },
    { "sessions", offsetof(cr_kpi_inputs, sessions) },
    { "engaged_sessions", offsetof(cr_kpi_inputs, engaged_sessions) },
    { "session_seconds", offsetof(cr_kpi_inputs, session_seconds) },
    { "leads", offsetof(cr_kpi_inputs, leads) },
    { "qualified_leads", offsetof(cr_kpi_inputs, qualified_leads) },
    { "orders", offsetof(cr_kpi_inputs, orders) },
    { "revenue_minor", offsetof(cr_kpi_inputs, revenue_minor) },
    { "spend_minor", offsetof(cr_kpi_inputs, spend_minor) },
    { "mentions_brand", offsetof(cr_kpi_inputs, mentions_brand) },
    { "mentions_competitors", offsetof(cr_kpi_inputs, mentions_competitors) },
    { "followers_start", offsetof(cr_kpi_inputs, followers_start) },
    { "followers_end", offsetof(cr_kpi_inputs, followers_end) },
};

/* What the golden table holds for each catalog KPI. */
typedef struct {
    int available_rows;   /* rows with a value */
    int unavailable_rows; /* rows with "n/a: reason" */
} coverage;

static int same_value(double got, double expected)
{
    double scale = fabs(expected) > 1 ? fabs(expected) : 1;

    return got == expected || fabs(got - expected) <= REL_EPSILON * scale;
}

/* "impressions=15000 clicks=180" -> *in; fails the test on an unknown field. */
static void parse_inputs(cr_kpi_inputs *in, const char *text, const char *where)
{
    char buf[512], *tok, *save = NULL, *eq, *end;
    size_t i;

    memset(in, 0, sizeof(*in));
    snprintf(buf, sizeof(buf), "%s", text);
    for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        long long v;
        if ((eq = strchr(tok, '=')) == NULL)
            fail_msg("%s: input '%s' is not field=value", where, tok);
        *eq = '\0';
        v = strtoll(eq + 1, &end, 10);
        if (*end != '\0')
            fail_msg("%s: input %s has a bad value '%s'", where, tok, eq + 1);
        for (i = 0; i < sizeof(input_fields) / sizeof(input_fields[0]); i++)
            if (strcmp(input_fields[i].name, tok) == 0)
                break;
        if (i == sizeof(input_fields) / sizeof(input_fields[0]))
            fail_msg("%s: unknown input field '%s'", where, tok);
        *(int64_t *)(void *)((char *)in + input_fields[i].offset) = (int64_t)v;
    }
}

/* Split a line in place at tabs; returns the number of columns. */
static int split_tabs(char *line, char **col, int max)
{
    int n = 0;
    char *p = line, *tab;

    while (n < max) {
        col[n++] = p;
        if ((tab = strchr(p, '\t')) == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

/* ---- catalog ---------------------------------------------------------------------------- */

static void test_kpi__codes_unique_and_found(void **state)
{
    size_t n, i, j;
    const cr_kpi_def *cat = cr_kpi_catalog(&n);

    (void)state;
    assert_int_equal(n, 30);
    for (i = 0; i < n; i++) {
        assert_non_null(cat[i].code);
        assert_true(strlen(cat[i].code) > 0);
        assert_non_null(cat[i].name);
        assert_non_null(cat[i].formula);
        assert_non_null(cat[i].definition);
        assert_true(cat[i].direction == 1 || cat[i].direction == -1);
        for (j = i + 1; j < n; j++)
            if (strcmp(cat[i].code, cat[j].code) == 0)
                fail_msg("KPI code '%s' appears twice (entries %zu and %zu)", cat[i].code, i, j);
        assert_ptr_equal(cr_kpi_find(cat[i].code), &cat[i]);
    }
    assert_null(cr_kpi_find("clicks_through"));
    assert_null(cr_kpi_find(""));
    assert_null(cr_kpi_find("CTR")); /* codes are exact */
}

static void assert_primary_set(cr_goal_type g, const char *const *expected, size_t nexpected)
{
    size_t n, i, found = 0;
    const cr_kpi_def *cat = cr_kpi_catalog(&n);

    for (i = 0; i < n; i++) {
        if (!cr_kpi_is_primary_for(&cat[i], g))
            continue;
        if (found >= nexpected)
            fail_msg("%s: unexpected primary KPI %s", cr_goal_name(g), cat[i].code);
        /* in DESIGN's order */
        assert_string_equal(cat[i].code, expected[found]);
        assert_true((cat[i].primary_for & CR_GOAL_BIT(g)) != 0);
        found++;
    }
    assert_int_equal(found, nexpected);
}

static void test_kpi__primary_sets_per_goal(void **state)
{
    static const char *const awareness[] = { "impressions", "reach", "mentions", "mention_velocity",
                                             "share_of_voice" };
    static const char *const engagement[] = { "engagements", "engagement_rate", "share_rate",
                                              "comment_quality" };
    static const char *const traffic[] = { "ctr", "referral_sessions", "session_duration",
                                           "bounce_rate" };
    static const char *const leads[] = { "form_completions", "completion_rate", "cpl",
                                         "cost_per_qualified_lead", "lead_quality" };
    static const char *const sales[] = { "attributed_revenue", "conversion_rate", "aov", "roas" };

    (void)state;
    assert_primary_set(CR_GOAL_AWARENESS, awareness, 5);
    assert_primary_set(CR_GOAL_ENGAGEMENT, engagement, 4);
    assert_primary_set(CR_GOAL_TRAFFIC, traffic, 4);
    assert_primary_set(CR_GOAL_LEADS, leads, 5);
    assert_primary_set(CR_GOAL_SALES, sales, 4);
    assert_primary_set(CR_GOAL_NONE, NULL, 0);
}

static void test_kpi__contextual_kpis_primary_for_none(void **state)
{
    static const char *const contextual[] = {
        "cpm", "cpe", "cost_per_session", "follower_growth", "emv", "clicks", "views", "orders"
    };
    size_t i;
    int g;

    (void)state;
    for (i = 0; i < sizeof(contextual) / sizeof(contextual[0]); i++) {
        const cr_kpi_def *k = cr_kpi_find(contextual[i]);
        assert_non_null(k);
        assert_int_equal(k->primary_for, 0);
        for (g = CR_GOAL_NONE; g <= CR_GOAL_SALES; g++)
            assert_int_equal(cr_kpi_is_primary_for(k, (cr_goal_type)g), 0);
    }
}

static void test_kpi__units_directions_and_definitions(void **state)
{
    (void)state;
    assert_int_equal(cr_kpi_find("engagement_rate")->unit, CR_UNIT_RATIO);
    assert_string_equal(cr_kpi_find("engagement_rate")->definition, "ER by reach");
    assert_string_equal(cr_kpi_find("reach")->definition,
                        "summed per-post reach: an upper bound of unique reach");
    assert_int_equal(cr_kpi_find("cpl")->unit, CR_UNIT_MONEY);
    assert_int_equal(cr_kpi_find("cpl")->direction, -1);
    assert_int_equal(cr_kpi_find("bounce_rate")->direction, -1);
    assert_int_equal(cr_kpi_find("cpm")->direction, -1);
    assert_int_equal(cr_kpi_find("roas")->unit, CR_UNIT_MULTIPLE);
    assert_int_equal(cr_kpi_find("roas")->direction, 1);
    assert_int_equal(cr_kpi_find("session_duration")->unit, CR_UNIT_SECONDS);
    assert_int_equal(cr_kpi_find("mention_velocity")->unit, CR_UNIT_PER_DAY);
    assert_int_equal(cr_kpi_find("referral_sessions")->unit, CR_UNIT_COUNT);
    assert_int_equal(cr_kpi_find("referral_sessions")->cumulative, 1);
    assert_int_equal(cr_kpi_find("ctr")->cumulative, 0);
    assert_int_equal(cr_kpi_find("impressions")->vanity, 1);
    assert_int_equal(cr_kpi_find("attributed_revenue")->vanity, 0);
    assert_string_equal(cr_kpi_unit_name(CR_UNIT_COUNT), "count");
    assert_string_equal(cr_kpi_unit_name(CR_UNIT_RATIO), "ratio");
    assert_string_equal(cr_kpi_unit_name(CR_UNIT_MONEY), "money");
    assert_string_equal(cr_kpi_unit_name(CR_UNIT_SECONDS), "seconds");
    assert_string_equal(cr_kpi_unit_name(CR_UNIT_PER_DAY), "per_day");
    assert_string_equal(cr_kpi_unit_name(CR_UNIT_MULTIPLE), "multiple");
    assert_string_equal(cr_kpi_unit_name((cr_kpi_unit)99), "?");
}

/* ---- formulas --------------------------------------------------------------------------- */

/* Every row of the golden table, then coverage: every catalog KPI has a computed row, except
 * the two that are not available yet; every ratio (a non-cumulative KPI) has a
 * zero-denominator row. */
static void test_kpi__golden_formulas(void **state)
{
    FILE *f = fopen(FORMULAS, "r");
    char line[1024], where[64], *col[4];
    size_t n, i;
    const cr_kpi_def *cat = cr_kpi_catalog(&n);
    coverage cov[MAX_CATALOG];
    int lineno = 0, rows = 0, header = 0, bad = 0;

    (void)state;
    if (f == NULL)
        fail_msg("cannot open %s", FORMULAS);
    assert_true(n <= MAX_CATALOG);
    memset(cov, 0, sizeof(cov));
    while (fgets(line, sizeof(line), f) != NULL) {
        const cr_kpi_def *k;
        cr_kpi_inputs in;
        cr_kpi_value v;
        size_t len = strlen(line);
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (split_tabs(line, col, 4) != 3)
            fail_msg("%s:%d: expected 3 tab-separated columns", FORMULAS, lineno);
        if (!header) {
            assert_string_equal(col[0], "code");
            assert_string_equal(col[1], "inputs");
            assert_string_equal(col[2], "expected");
            header = 1;
            continue;
        }
        snprintf(where, sizeof(where), "formulas.tsv:%d", lineno);
        if ((k = cr_kpi_find(col[0])) == NULL)
            fail_msg("%s: unknown KPI code '%s'", where, col[0]);
        parse_inputs(&in, col[1], where);
        memset(&v, 0xA5, sizeof(v)); /* compute must set every field */
        cr_kpi_compute(&v, k, &in);
        assert_ptr_equal(v.def, k);
        rows++;
        if (strncmp(col[2], NA_PREFIX, strlen(NA_PREFIX)) == 0) {
            const char *reason = col[2] + strlen(NA_PREFIX);
            cov[k - cat].unavailable_rows++;
            if (v.available) {
                print_error("%s: %s: expected unavailable (%s), got %.17g\n", where, k->code,
                            reason, v.value);
                bad++;
            } else if (v.missing == NULL || strcmp(v.missing, reason) != 0) {
                print_error("%s: %s: expected reason '%s', got '%s'\n", where, k->code, reason,
                            v.missing ? v.missing : "(null)");
                bad++;
            }
        } else {
            char *end;
            double expected = strtod(col[2], &end);
            if (*end != '\0')
                fail_msg("%s: bad expected value '%s'", where, col[2]);
            cov[k - cat].available_rows++;
            if (!v.available) {
                print_error("%s: %s: expected %.17g, got unavailable (%s)\n", where, k->code,
                            expected, v.missing ? v.missing : "(null)");
                bad++;
            } else if (!same_value(v.value, expected)) {
                print_error("%s: %s: expected %.17g, got %.17g\n", where, k->code, expected,
                            v.value);
                bad++;
            } else if (v.missing != NULL) {
                print_error("%s: %s: available but says missing '%s'\n", where, k->code, v.missing);
                bad++;
            }
        }
    }
    fclose(f);
    assert_true(header);
    assert_true(rows >= MIN_FORMULAS);
    for (i = 0; i < n; i++) {
        int not_yet =
            strcmp(cat[i].code, "comment_quality") == 0 || strcmp(cat[i].code, "emv") == 0;
        if (not_yet && (cov[i].available_rows != 0 || cov[i].unavailable_rows == 0)) {
            print_error("formulas.tsv: %s needs only an n/a row\n", cat[i].code);
            bad++;
        }
        if (!not_yet && cov[i].available_rows == 0) {
            print_error("formulas.tsv: no computed row for %s\n", cat[i].code);
            bad++;
        }
        if (!not_yet && !cat[i].cumulative && cov[i].unavailable_rows == 0) {
            print_error("formulas.tsv: no zero-denominator row for ratio %s\n", cat[i].code);
            bad++;
        }
    }
    if (bad)
        fail_msg("%d golden formula problem(s); see above", bad);
}

static void test_kpi__ratio_keeps_numerator_and_denominator(void **state)
{
    cr_kpi_inputs in;
    cr_kpi_value v;

    (void)state;
    memset(&in, 0, sizeof(in));
    in.likes = 900;
    in.comments = 60;
    in.shares = 30;
    in.saves = 10;
    in.reach = 8000;
    in.clicks = 180;
    in.impressions = 15000;
    in.sessions = 640;
    in.engaged_sessions = 400;
    in.spend_minor = 360000;

    cr_kpi_compute(&v, cr_kpi_find("engagement_rate"), &in);
    assert_true(v.available);
    assert_true(v.numerator == 1000.0);
    assert_true(v.denominator == 8000.0);
    assert_true(v.value == 0.125);
    assert_null(v.missing);

    cr_kpi_compute(&v, cr_kpi_find("bounce_rate"), &in);
    assert_true(v.numerator == 240.0);
    assert_true(v.denominator == 640.0);
    assert_true(v.value == 0.375);

    cr_kpi_compute(&v, cr_kpi_find("cpm"), &in);
    assert_true(v.numerator == 360000.0);
    assert_true(v.denominator == 15000.0);
    assert_true(same_value(v.value, 24000.0));

    /* a sum: numerator is the value, no denominator */
    cr_kpi_compute(&v, cr_kpi_find("engagements"), &in);
    assert_true(v.available);
    assert_true(v.value == 1000.0);
    assert_true(v.numerator == 1000.0);
    assert_true(v.denominator == 0.0);

    /* unavailable ratio: the value is not claimed, the reason says why */
    in.impressions = 0;
    cr_kpi_compute(&v, cr_kpi_find("ctr"), &in);
    assert_false(v.available);
    assert_true(v.numerator == 180.0);
    assert_true(v.denominator == 0.0);
    assert_string_equal(v.missing, "no impressions recorded");
}

static void test_kpi__not_available_yet(void **state)
{
    cr_kpi_inputs in;
    cr_kpi_value v;

    (void)state;
    memset(&in, 0, sizeof(in));
    in.comments = 500;
    in.reach = 10000;
    in.impressions = 20000;
    cr_kpi_compute(&v, cr_kpi_find("comment_quality"), &in);
    assert_false(v.available);
    assert_non_null(v.missing);
    assert_string_equal(v.missing, "needs comment classification, which comes with vetting");
    cr_kpi_compute(&v, cr_kpi_find("emv"), &in);
    assert_false(v.available);
    assert_string_equal(v.missing, "needs a media-value rate card, which comes with tracking");
}

/* Every zero-denominator reason is non-empty, for every ratio in the catalog, with all inputs
 * zero (which empties every denominator at once). */
static void test_kpi__all_zero_inputs(void **state)
{
    size_t n, i;
    const cr_kpi_def *cat = cr_kpi_catalog(&n);
    cr_kpi_inputs in;
    cr_kpi_value v;

    (void)state;
    memset(&in, 0, sizeof(in));
    for (i = 0; i < n; i++) {
        cr_kpi_compute(&v, &cat[i], &in);
        if (cat[i].cumulative && strcmp(cat[i].code, "emv") != 0) {
            if (!v.available || v.value != 0)
                fail_msg("%s: a sum of nothing should be 0", cat[i].code);
        } else {
            if (v.available)
                fail_msg("%s: available with every input zero (%g)", cat[i].code, v.value);
            if (v.missing == NULL || v.missing[0] == '\0')
                fail_msg("%s: unavailable without a reason", cat[i].code);
        }
    }
}

/* ---- formatting ------------------------------------------------------------------------- */

static const char *fmt(const char *code, double v, const char *currency)
{
    static char buf[64];

    return cr_kpi_format(buf, sizeof(buf), cr_kpi_find(code), v, currency);
}

static void test_kpi__format(void **state)
{
    char small[8];

    (void)state;
    assert_string_equal(fmt("ctr", 0.012, "USD"), "1.20%");
    assert_string_equal(fmt("engagement_rate", 0.125, NULL), "12.50%");
    assert_string_equal(fmt("follower_growth", -0.05, NULL), "-5.00%");
    assert_string_equal(fmt("impressions", 15000, NULL), "15,000");
    assert_string_equal(fmt("impressions", 999, NULL), "999");
    assert_string_equal(fmt("impressions", 1000, NULL), "1,000");
    assert_string_equal(fmt("impressions", 1234567, NULL), "1,234,567");
    assert_string_equal(fmt("impressions", 0, NULL), "0");
    assert_string_equal(fmt("cpl", 123450, "USD"), "1,234.50 USD");
    assert_string_equal(fmt("attributed_revenue", 150000000, "EUR"), "1,500,000.00 EUR");
    assert_string_equal(fmt("cpl", 7500, "GBP"), "75.00 GBP");
    assert_string_equal(fmt("aov", 5, "USD"), "0.05 USD");
    assert_string_equal(fmt("roas", 3.5, NULL), "3.50x");
    assert_string_equal(fmt("session_duration", 65, NULL), "1m 05s");
    assert_string_equal(fmt("session_duration", 90, NULL), "1m 30s");
    assert_string_equal(fmt("session_duration", 3725, NULL), "62m 05s");
    assert_string_equal(fmt("session_duration", 59, NULL), "0m 59s");
    assert_string_equal(fmt("mention_velocity", 1.4, NULL), "1.4/day");
    assert_string_equal(fmt("ctr", NAN, "USD"), "-");
    assert_string_equal(fmt("cpl", NAN, "USD"), "-");
    assert_string_equal(fmt("impressions", NAN, NULL), "-");
    /* truncated to the buffer, always terminated */
    assert_ptr_equal(cr_kpi_format(small, sizeof(small), cr_kpi_find("impressions"), 1234567, NULL),
                     small);
    assert_string_equal(small, "1,234,5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kpi__codes_unique_and_found),
        cmocka_unit_test(test_kpi__primary_sets_per_goal),
        cmocka_unit_test(test_kpi__contextual_kpis_primary_for_none),
        cmocka_unit_test(test_kpi__units_directions_and_definitions),
        cmocka_unit_test(test_kpi__golden_formulas),
        cmocka_unit_test(test_kpi__ratio_keeps_numerator_and_denominator),
        cmocka_unit_test(test_kpi__not_available_yet),
        cmocka_unit_test(test_kpi__all_zero_inputs),
        cmocka_unit_test(test_kpi__format),
    };

    return cmocka_run_group_tests_name("goals.kpi", tests, NULL, NULL);
}
