/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * campaign.c - tests for campaign specs in src/goals/campaign.c: money and KPI-target
 * parsing, period names (cr_period_bounds), the YAML loader on small files written to a
 * temporary directory (every field of a valid file; each mistake as an exact
 * "FILE:LINE: key: ..." message), and the goal rules on specs built in memory, each rule
 * with its exact message and suggestion. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "crest/campaign.h"
#include "util/date.h"

#define DAY            86400
#define MAX_VIOLATIONS 16

static int64_t day(int y, int m, int d)
{
    return cr_days_from_civil(y, m, d) * DAY;
}

/* ---- money ------------------------------------------------------------------------------ */

static void assert_money(const char *s, int64_t minor, const char *currency)
{
    int64_t v = -1;
    char cur[4] = "XXX";
    const char *why = NULL;

    if (cr_money_parse(&v, cur, s, &why) != CR_OK)
        fail_msg("cr_money_parse(\"%s\") failed: %s", s, why ? why : "(no reason)");
    assert_int_equal(v, minor);
    assert_string_equal(cur, currency);
}

static void assert_money_fails(const char *s, const char *reason)
{
    int64_t v = -12345;
    char cur[4];
    const char *why = NULL;

    assert_int_equal(cr_money_parse(&v, cur, s, &why), CR_EINVALID);
    assert_non_null(why);
    assert_string_equal(why, reason);
    assert_int_equal(v, -12345); /* untouched on failure */
}

static void test_campaign__money_forms(void **state)
{
    (void)state;
    assert_money("15000 USD", 1500000, "USD");
    assert_money("$15,000", 1500000, "USD");
    assert_money("USD 15,000", 1500000, "USD");
    assert_money("\xE2\x82\xAC"
                 "8k",
                 800000, "EUR");
    assert_money("\xC2\xA3"
                 "2.5K",
                 250000, "GBP");
    assert_money("3000.50 EUR", 300050, "EUR");
    assert_money("12.5k GBP", 1250000, "GBP");
    assert_money("EUR 8,000", 800000, "EUR");
    assert_money("  150 USD  ", 15000, "USD");
    assert_money("$15000 USD", 1500000, "USD"); /* the same currency twice is fine */
    assert_money("0 USD", 0, "USD");
    assert_money("$0.01", 1, "USD");
}

static void test_campaign__money_errors(void **state)
{
    (void)state;
    assert_money_fails("15000", "no currency: write e.g. 15000 USD, $15,000 or EUR 8,000");
    assert_money_fails("lots", "no currency: write e.g. 15000 USD, $15,000 or EUR 8,000");
    assert_money_fails("", "no currency: write e.g. 15000 USD, $15,000 or EUR 8,000");
    assert_money_fails("$15,000 EUR", "two different currencies");
    assert_money_fails("USD 100 EUR", "two different currencies");
    assert_money_fails("-5 USD", "a negative amount");
    assert_money_fails("$-5", "a negative amount");
    assert_money_fails("USD ", "no amount");
    assert_money_fails("$", "no amount");
}

/* ---- targets ---------------------------------------------------------------------------- */

static void assert_target(const char *code, const char *text, cr_target_kind kind, double expected)
{
    cr_campaign_kpi_spec k;
    const char *why = NULL;

    memset(&k, 0, sizeof(k));
    snprintf(k.code, sizeof(k.code), "%s", code);
    k.target = NAN;
    if (cr_kpi_target_parse(&k, text, &why) != CR_OK)
        fail_msg("target '%s' for %s failed: %s", text, code, why ? why : "(no reason)");
    assert_int_equal(k.target_kind, kind);
    if (fabs(k.target - expected) > 1e-12 * (fabs(expected) > 1 ? fabs(expected) : 1))
        fail_msg("target '%s' for %s: expected %.17g, got %.17g", text, code, expected, k.target);
}

static void assert_target_fails(const char *code, const char *text, const char *reason)
{
    cr_campaign_kpi_spec k;
    const char *why = NULL;

    memset(&k, 0, sizeof(k));
    snprintf(k.code, sizeof(k.code), "%s", code);
    assert_int_equal(cr_kpi_target_parse(&k, text, &why), CR_EINVALID);
    assert_non_null(why);
    assert_string_equal(why, reason);
    assert_int_equal(k.target_kind, CR_TARGET_NONE);
}

static void test_campaign__target_forms(void **state)
{
    (void)state;
    assert_target("referral_sessions", "+25%", CR_TARGET_RELATIVE, 0.25);
    assert_target("cpl", "-10%", CR_TARGET_RELATIVE, -0.10);
    assert_target("ctr", "+10%", CR_TARGET_RELATIVE, 0.10); /* signed: a lift, even on a rate */
    assert_target("ctr", "1.2%", CR_TARGET_ABSOLUTE, 0.012);
    assert_target("bounce_rate", "40%", CR_TARGET_ABSOLUTE, 0.40);
    assert_target("referral_sessions", "25%", CR_TARGET_RELATIVE, 0.25);
    assert_target("referral_sessions", "20000", CR_TARGET_ABSOLUTE, 20000);
    assert_target("referral_sessions", "20,000", CR_TARGET_ABSOLUTE, 20000);
    assert_target("roas", "3.5x", CR_TARGET_ABSOLUTE, 3.5);
    assert_target("roas", "3.5X", CR_TARGET_ABSOLUTE, 3.5);
    assert_target("cpl", "8 USD", CR_TARGET_ABSOLUTE, 800);
    assert_target("cpl", "8.25 EUR", CR_TARGET_ABSOLUTE, 825);
    assert_target("cpl", "8", CR_TARGET_ABSOLUTE, 800); /* money KPIs are written in major units */
    assert_target("session_duration", "90", CR_TARGET_ABSOLUTE, 90);
}

static void test_campaign__target_errors(void **state)
{
    static const char *const general =
        "expected a lift such as +25%, or a value such as 1.2%, 10000 or 25 USD";

    (void)state;
    assert_target_fails("ctr", "+1.2",
                        "a change over the baseline is written in percent, e.g. +25%");
    assert_target_fails("referral_sessions", "-500",
                        "a change over the baseline is written in percent, e.g. +25%");
    assert_target_fails("ctr", "lots", general);
    assert_target_fails("ctr", "", general);
    assert_target_fails("ctr", "%", general);
    assert_target_fails("referral_sessions",
                        "1234567890123456789012345678901234567890123456789012345678901234567890",
                        general);
}

/* ---- periods ---------------------------------------------------------------------------- */

static void assert_period(const char *p, int64_t start, int64_t end)
{
    int64_t a = -1, b = -1;

    if (cr_period_bounds(&a, &b, p) != CR_OK)
        fail_msg("cr_period_bounds(\"%s\") failed", p);
    assert_int_equal(a, start);
    assert_int_equal(b, end);
}

static void test_campaign__period_bounds(void **state)
{
    int64_t a = 7, b = 7;

    (void)state;
    assert_period("2027-Q3", day(2027, 7, 1), day(2027, 9, 30));
    assert_period("2027-Q1", day(2027, 1, 1), day(2027, 3, 31));
    assert_period("2027-Q4", day(2027, 10, 1), day(2027, 12, 31)); /* across the year end */
    assert_period("2027-H1", day(2027, 1, 1), day(2027, 6, 30));
    assert_period("2027-H2", day(2027, 7, 1), day(2027, 12, 31));
    assert_period("2027-02", day(2027, 2, 1), day(2027, 2, 28));
    assert_period("2028-02", day(2028, 2, 1), day(2028, 2, 29));
    assert_period("2027-12", day(2027, 12, 1), day(2027, 12, 31));
    assert_period("2027", day(2027, 1, 1), day(2027, 12, 31));
    /* day arithmetic, independently: Q3 has 92 days, a leap February 29 */
    assert_int_equal((day(2027, 9, 30) - day(2027, 7, 1)) / DAY + 1, 92);

    assert_int_equal(cr_period_bounds(&a, &b, "2027-Q5"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "2027-Q0"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "2027-H3"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "2027-13"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "2027-00"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "2027-Q3x"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "Q3"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "27"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "1800"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "2027-07-01"), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, ""), CR_EINVALID);
    assert_int_equal(cr_period_bounds(&a, &b, "next quarter"), CR_EINVALID);
    assert_int_equal(a, 7); /* untouched on failure */
    assert_int_equal(b, 7);
}

/* ---- YAML ------------------------------------------------------------------------------- */

typedef struct {
    char dir[64];
    char path[128]; /* the last file written by write_yaml() */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    if (cr_test_tmpdir(fx->dir, sizeof(fx->dir), "campaign") < 0) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;

    cr_test_rmdir(fx->dir);
    free(fx);
    return 0;
}

static const char *write_yaml(fixture *fx, const char *name, const char *content)
{
    FILE *f;

    snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
    f = fopen(fx->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
    return fx->path;
}

/* Load content that must fail; the message must be exactly "PATH:" + rest. */
static void assert_yaml_error(fixture *fx, const char *content, const char *rest)
{
    cr_campaign_spec *spec = (cr_campaign_spec *)(uintptr_t)1;
    const char *path = write_yaml(fx, "bad.yaml", content);
    char expected[1024];

    cr_error_clear();
    assert_int_equal(cr_campaign_load_yaml(&spec, path), CR_EINVALID);
    assert_null(spec);
    assert_non_null(cr_error_last());
    snprintf(expected, sizeof(expected), "%s:%s", path, rest);
    assert_string_equal(cr_error_last()->message, expected);
    assert_int_equal(cr_error_last()->klass, CR_ERRCLASS_PARSE);
}

static const char full_yaml[] =
    "# a complete campaign\n"
    "name: Q3 referral push\n"
    "brand: Acme Running\n"
    "period: { start: 2027-07-01, end: 2027-09-30 }\n"
    "evaluation: 2027-10-30\n"
    "budget: 15000 USD\n"
    "primary_goal: traffic\n"
    "secondary_goal: engagement\n"
    "objective: Grow qualified visits to the running-shoe pages\n"
    "status: active\n"
    "benchmarking: false\n"
    "kpis:\n"
    "  - { code: referral_sessions, role: primary, target: +25%, baseline: { period: 2027-Q2 } "
    "}\n"
    "  - { code: ctr, role: primary, target: 1.2%, baseline: { period: 2027-Q2, value: 0.009 } "
    "}\n"
    "  - code: engagement_rate\n"
    "    role: contextual\n"
    "  - { code: cpl, target: 8 USD, baseline: 950 }\n"
    "partnerships:\n"
    "  - { creator: instagram/maya.runs, fee: 3000 USD, product_cost: 150 USD,\n"
    "      promo_code: MAYA15, utm_content: maya_q3, status: contracted }\n"
    "  - creator: tiktok/leo.cooks\n"
    "    fee: \xE2\x82\xAC"
    "4,500\n"
    "    utm_content: leo_q3\n";

static void test_campaign__yaml_full_file(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = NULL;
    const char *path = write_yaml(fx, "full.yaml", full_yaml);
    const cr_campaign_kpi_spec *k;
    const cr_partnership_spec *p;

    if (cr_campaign_load_yaml(&s, path) != CR_OK)
        fail_msg("load failed: %s", cr_error_last() ? cr_error_last()->message : "?");
    assert_non_null(s);
    assert_int_equal(s->id, 0);
    assert_string_equal(s->name, "Q3 referral push");
    assert_string_equal(s->brand, "Acme Running");
    assert_string_equal(s->status, "active");
    assert_string_equal(s->objective, "Grow qualified visits to the running-shoe pages");
    assert_int_equal(s->start, day(2027, 7, 1));
    assert_int_equal(s->end, day(2027, 9, 30));
    assert_int_equal(s->evaluation, day(2027, 10, 30));
    assert_int_equal(s->budget_minor, 1500000);
    assert_string_equal(s->currency, "USD");
    assert_int_equal(s->primary_goal, CR_GOAL_TRAFFIC);
    assert_int_equal(s->primary_goals, 1);
    assert_int_equal(s->secondary_goal, CR_GOAL_ENGAGEMENT);
    assert_int_equal(s->secondary_goals, 1);
    assert_int_equal(s->benchmarking, 0);
    assert_string_equal(s->source, path);
    assert_int_equal(s->line_period, 4);
    assert_int_equal(s->line_budget, 6);
    assert_int_equal(s->line_primary_goal, 7);
    assert_int_equal(s->line_kpis, 12);

    assert_int_equal(s->nkpis, 4);
    k = &s->kpis[0];
    assert_string_equal(k->code, "referral_sessions");
    assert_int_equal(k->primary, 1);
    assert_int_equal(k->target_kind, CR_TARGET_RELATIVE);
    assert_true(k->target == 0.25);
    assert_int_equal(k->has_baseline, 0);
    assert_true(isnan(k->baseline));
    assert_string_equal(k->baseline_period, "2027-Q2");
    assert_int_equal(k->line, 13);
    k = &s->kpis[1];
    assert_string_equal(k->code, "ctr");
    assert_int_equal(k->primary, 1);
    assert_int_equal(k->target_kind, CR_TARGET_ABSOLUTE);
    assert_true(fabs(k->target - 0.012) < 1e-15);
    assert_int_equal(k->has_baseline, 1);
    assert_true(fabs(k->baseline - 0.009) < 1e-15);
    assert_string_equal(k->baseline_period, "2027-Q2");
    assert_int_equal(k->line, 14);
    k = &s->kpis[2];
    assert_string_equal(k->code, "engagement_rate");
    assert_int_equal(k->primary, 0);
    assert_int_equal(k->target_kind, CR_TARGET_NONE);
    assert_int_equal(k->has_baseline, 0);
    assert_string_equal(k->baseline_period, "");
    assert_int_equal(k->line, 15);
    k = &s->kpis[3];
    assert_string_equal(k->code, "cpl");
    assert_int_equal(k->primary, 0); /* no role: contextual */
    assert_int_equal(k->target_kind, CR_TARGET_ABSOLUTE);
    assert_true(k->target == 800);
    assert_int_equal(k->has_baseline, 1);
    assert_true(k->baseline == 950);
    assert_int_equal(k->line, 17);

    assert_int_equal(s->npartners, 2);
    p = &s->partners[0];
    assert_string_equal(p->creator, "instagram/maya.runs");
    assert_int_equal(p->creator_id, 0);
    assert_int_equal(p->fee_minor, 300000);
    assert_int_equal(p->product_cost_minor, 15000);
    assert_string_equal(p->currency, "USD");
    assert_string_equal(p->promo_code, "MAYA15");
    assert_string_equal(p->utm_content, "maya_q3");
    assert_string_equal(p->status, "contracted");
    assert_int_equal(p->line, 19);
    p = &s->partners[1];
    assert_string_equal(p->creator, "tiktok/leo.cooks");
    assert_int_equal(p->fee_minor, 450000);
    assert_int_equal(p->product_cost_minor, 0);
    assert_string_equal(p->currency, "EUR");
    assert_string_equal(p->promo_code, "");
    assert_string_equal(p->utm_content, "leo_q3");
    assert_string_equal(p->status, "");
    assert_int_equal(p->line, 21);
    cr_campaign_spec_free(s);
}

static void test_campaign__yaml_short_forms(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = NULL;
    const char *path = write_yaml(fx, "short.yaml",
                                  "name: Bench\n"
                                  "period: 2027-Q4\n"
                                  "primary_goal: [sales]\n"
                                  "benchmarking: yes\n"
                                  "kpis:\n"
                                  "  - { code: roas, role: primary, target: 3.5x }\n"
                                  "  - { code: aov, role: primary, benchmarking: true }\n");

    if (cr_campaign_load_yaml(&s, path) != CR_OK)
        fail_msg("load failed: %s", cr_error_last() ? cr_error_last()->message : "?");
    assert_string_equal(s->name, "Bench");
    assert_string_equal(s->brand, "");
    assert_int_equal(s->start, day(2027, 10, 1));
    assert_int_equal(s->end, day(2027, 12, 31));
    assert_int_equal(s->evaluation, 0);
    assert_int_equal(s->budget_minor, -1);
    assert_string_equal(s->currency, "");
    assert_int_equal(s->primary_goal, CR_GOAL_SALES);
    assert_int_equal(s->primary_goals, 1);
    assert_int_equal(s->secondary_goals, 0);
    assert_int_equal(s->benchmarking, 1);
    assert_int_equal(s->nkpis, 2);
    assert_int_equal(s->kpis[0].target_kind, CR_TARGET_ABSOLUTE);
    assert_true(s->kpis[0].target == 3.5);
    assert_int_equal(s->kpis[1].target_kind, CR_TARGET_NONE);
    assert_int_equal(s->kpis[1].has_baseline, 0);
    assert_int_equal(s->npartners, 0);
    cr_campaign_spec_free(s);

    /* two primary goals in a list load, and are counted for the rules */
    path = write_yaml(fx, "two.yaml", "name: Two\nprimary_goal: [traffic, sales]\n");
    assert_int_equal(cr_campaign_load_yaml(&s, path), CR_OK);
    assert_int_equal(s->primary_goals, 2);
    assert_int_equal(s->primary_goal, CR_GOAL_SALES);
    cr_campaign_spec_free(s);
}

static void test_campaign__yaml_errors(void **state)
{
    fixture *fx = *state;

    assert_yaml_error(fx, "name: Bad\nprimary_goal: traffic\nbudgett: 100 USD\n",
                      "3: budgett: unknown key (expected name, brand, period, evaluation, "
                      "budget, primary_goal, secondary_goal, objective, status, benchmarking, "
                      "attribution_window, emv_credit, kpis or partnerships)");
    assert_yaml_error(fx,
                      "name: Bad\nprimary_goal: traffic\nkpis:\n"
                      "  - { code: clicks_through, role: primary }\n",
                      "4: code: expected a KPI code (crest kpi list), found 'clicks_through'");
    assert_yaml_error(fx,
                      "name: Bad\nprimary_goal: traffic\n"
                      "period: { start: 2027-02-30, end: 2027-03-31 }\n",
                      "3: period.start: expected a date as YYYY-MM-DD, found '2027-02-30' (no "
                      "such calendar date)");
    assert_yaml_error(fx, "name: Bad\nprimary_goal: traffic\nbudget: lots\n",
                      "3: budget: expected an amount such as 15000 USD or $15,000, found 'lots' "
                      "(no currency: write e.g. 15000 USD, $15,000 or EUR 8,000)");
    assert_yaml_error(fx, "name: Bad\nprimary_goal: retention\n",
                      "2: primary_goal: expected awareness, engagement, traffic, leads or sales, "
                      "found 'retention'");
    assert_yaml_error(fx, "name: Bad\nprimary_goal: traffic\nkpis: ctr\n",
                      "3: kpis: expected a list (lines starting '- ')");
    assert_yaml_error(fx, "name: Bad\nprimary_goal: traffic\npartnerships: maya\n",
                      "3: partnerships: expected a list (lines starting '- ')");
    assert_yaml_error(fx,
                      "name: Bad\nprimary_goal: traffic\nkpis:\n"
                      "  - { code: referral_sessions, role: primary, target: 25 }\n"
                      "  - { code: ctr, role: primary, target: +1.2 }\n",
                      "5: target: a change over the baseline is written in percent, e.g. +25%, "
                      "found '+1.2'");
    assert_yaml_error(fx, "name: Bad\nprimary_goal: traffic\nstatus: running\n",
                      "3: status: expected draft, active or completed, found 'running'");
    assert_yaml_error(fx, "name: Bad\nprimary_goal: traffic\nbenchmarking: maybe\n",
                      "3: benchmarking: expected true or false, found 'maybe'");
    assert_yaml_error(fx, "primary_goal: traffic\n",
                      "1: name: missing: every campaign needs a name");
    assert_yaml_error(fx,
                      "name: Bad\nprimary_goal: traffic\nkpis:\n"
                      "  - { code: ctr, role: main }\n",
                      "4: role: expected primary or contextual, found 'main'");
    assert_yaml_error(fx,
                      "name: Bad\nprimary_goal: traffic\npartnerships:\n"
                      "  - { creator: maya.runs, fee: 100 USD }\n",
                      "4: creator: expected platform/handle, e.g. instagram/maya.runs, found "
                      "'maya.runs'");
    assert_yaml_error(fx,
                      "name: Bad\nprimary_goal: traffic\npartnerships:\n"
                      "  - { creator: instagram/maya.runs, fee: 100 USD, product_cost: 5 EUR }\n",
                      "4: product_cost: expected the same currency as the fee (USD), found EUR");
}

static void test_campaign__yaml_syntax_error(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *spec = NULL;
    const char *path = write_yaml(fx, "syntax.yaml", "name: Bad\nprimary_goal: [traffic\n");
    char prefix[160];
    const char *msg;

    assert_int_equal(cr_campaign_load_yaml(&spec, path), CR_EINVALID);
    assert_null(spec);
    msg = cr_error_last()->message;
    snprintf(prefix, sizeof(prefix), "%s:", path);
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("message does not start with the file: %s", msg);
    if (strstr(msg, "not valid YAML") == NULL)
        fail_msg("message does not say 'not valid YAML': %s", msg);
}

static void test_campaign__yaml_missing_file(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *spec = NULL;
    char path[160], expected[200];

    snprintf(path, sizeof(path), "%s/none.yaml", fx->dir);
    assert_true(cr_campaign_load_yaml(&spec, path) < 0);
    assert_null(spec);
    snprintf(expected, sizeof(expected), "%s: cannot open", path);
    assert_string_equal(cr_error_last()->message, expected);
}

/* ---- rules ------------------------------------------------------------------------------ */

typedef struct {
    int n;
    struct {
        char rule[32];
        char message[400];
        char suggestion[400];
        int line;
    } v[MAX_VIOLATIONS];
} violations;

static cr_err collect(const cr_rule_violation *v, void *payload)
{
    violations *vs = payload;

    if (vs->n < MAX_VIOLATIONS) {
        snprintf(vs->v[vs->n].rule, sizeof(vs->v[vs->n].rule), "%s", v->rule);
        snprintf(vs->v[vs->n].message, sizeof(vs->v[vs->n].message), "%s", v->message);
        snprintf(vs->v[vs->n].suggestion, sizeof(vs->v[vs->n].suggestion), "%s", v->suggestion);
        vs->v[vs->n].line = v->line;
    }
    vs->n++;
    return CR_OK;
}

static void add_kpi(cr_campaign_spec *s, const char *code, int primary, int line)
{
    cr_campaign_kpi_spec *k;

    assert_int_equal(cr_campaign_spec_add_kpi(&k, s), CR_OK);
    assert_true(isnan(k->target));
    assert_true(isnan(k->baseline));
    snprintf(k->code, sizeof(k->code), "%s", code);
    k->primary = primary;
    k->line = line;
}

/* A traffic campaign with two matching primary KPIs: no rule broken. */
static cr_campaign_spec *valid_spec(void)
{
    cr_campaign_spec *s = NULL;

    assert_int_equal(cr_campaign_spec_new(&s), CR_OK);
    assert_int_equal(s->budget_minor, -1);
    snprintf(s->name, sizeof(s->name), "Rules");
    s->primary_goal = CR_GOAL_TRAFFIC;
    s->primary_goals = 1;
    s->line_primary_goal = 3;
    s->line_kpis = 8;
    add_kpi(s, "referral_sessions", 1, 9);
    add_kpi(s, "ctr", 1, 10);
    add_kpi(s, "engagement_rate", 0, 11);
    return s;
}

/* Check the rules; exactly one violation, with these fields. */
static void assert_one_violation(const cr_campaign_spec *s,
                                 const char *rule,
                                 const char *message,
                                 const char *suggestion,
                                 int line)
{
    violations vs;
    int count = -1;

    memset(&vs, 0, sizeof(vs));
    assert_int_equal(cr_campaign_check_rules(s, collect, &vs, &count), CR_OK);
    if (count != 1)
        fail_msg("expected 1 violation (%s), got %d: first %s: %s", rule, count,
                 vs.n ? vs.v[0].rule : "-", vs.n ? vs.v[0].message : "-");
    assert_int_equal(vs.n, 1);
    assert_string_equal(vs.v[0].rule, rule);
    assert_string_equal(vs.v[0].message, message);
    assert_string_equal(vs.v[0].suggestion, suggestion);
    assert_int_equal(vs.v[0].line, line);
}

static void test_campaign__rules_valid(void **state)
{
    cr_campaign_spec *s = valid_spec();
    violations vs;
    int count = -1;

    (void)state;
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(cr_campaign_check_rules(s, collect, &vs, &count), CR_OK);
    assert_int_equal(count, 0);
    assert_int_equal(vs.n, 0);
    /* three primary KPIs and a different secondary goal are fine too */
    add_kpi(s, "bounce_rate", 1, 12);
    s->secondary_goal = CR_GOAL_ENGAGEMENT;
    s->secondary_goals = 1;
    assert_int_equal(cr_campaign_check_rules(s, NULL, NULL, &count), CR_OK);
    assert_int_equal(count, 0);
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_one_primary_goal(void **state)
{
    cr_campaign_spec *s = valid_spec();
    static const char sug[] = "name one primary goal: awareness, engagement, traffic, leads or "
                              "sales; put a second one under secondary_goal";

    (void)state;
    s->primary_goals = 2;
    assert_one_violation(s, "one_primary_goal",
                         "a campaign has exactly one primary goal; this one has 2", sug, 3);
    s->primary_goals = 0;
    assert_one_violation(s, "one_primary_goal",
                         "a campaign has exactly one primary goal; this one has 0", sug, 3);
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_one_primary_goal_none(void **state)
{
    cr_campaign_spec *s = valid_spec();
    violations vs;
    int count = -1;

    (void)state;
    /* no goal at all: the goal rule and the KPI count (no primary set to suggest from) */
    s->primary_goal = CR_GOAL_NONE;
    s->primary_goals = 0;
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(cr_campaign_check_rules(s, collect, &vs, &count), CR_OK);
    assert_int_equal(count, 1);
    assert_string_equal(vs.v[0].rule, "one_primary_goal");
    assert_string_equal(vs.v[0].message, "a campaign has exactly one primary goal; this one has 0");
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_one_secondary_goal(void **state)
{
    cr_campaign_spec *s = valid_spec();

    (void)state;
    s->secondary_goal = CR_GOAL_SALES;
    s->secondary_goals = 2;
    assert_one_violation(s, "one_secondary_goal",
                         "a campaign has at most one secondary goal; this one has 2",
                         "keep the secondary goal that matters most", 0);
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_secondary_differs(void **state)
{
    cr_campaign_spec *s = valid_spec();

    (void)state;
    s->secondary_goal = CR_GOAL_TRAFFIC;
    s->secondary_goals = 1;
    assert_one_violation(s, "secondary_differs",
                         "the secondary goal repeats the primary goal (traffic)",
                         "drop secondary_goal or choose another goal type", 0);
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_primary_kpi_count(void **state)
{
    cr_campaign_spec *s = valid_spec();

    (void)state;
    s->kpis[1].primary = 0; /* one primary KPI left */
    assert_one_violation(
        s, "primary_kpi_count", "a campaign has 2 or 3 primary KPIs; this one has 1",
        "add up to 2 or 3 primary KPIs from ctr, referral_sessions, session_duration or "
        "bounce_rate",
        8);
    s->kpis[1].primary = 1;
    add_kpi(s, "session_duration", 1, 12);
    add_kpi(s, "bounce_rate", 1, 13);
    assert_one_violation(s, "primary_kpi_count",
                         "a campaign has 2 or 3 primary KPIs; this one has 4",
                         "keep 2 or 3 primary KPIs from ctr, referral_sessions, session_duration "
                         "or bounce_rate",
                         8);
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_kpi_goal_mismatch(void **state)
{
    cr_campaign_spec *s = NULL;

    (void)state;
    assert_int_equal(cr_campaign_spec_new(&s), CR_OK);
    s->primary_goal = CR_GOAL_AWARENESS;
    s->primary_goals = 1;
    add_kpi(s, "impressions", 1, 9);
    add_kpi(s, "conversion_rate", 1, 10);
    assert_one_violation(s, "kpi_goal_mismatch",
                         "conversion_rate (Conversion rate) is not a primary KPI for an "
                         "awareness goal",
                         "for an awareness goal choose primary KPIs from impressions, reach, "
                         "mentions, mention_velocity or share_of_voice; keep conversion_rate as "
                         "a contextual KPI",
                         10);
    /* "a" before a consonant, the leads set */
    s->primary_goal = CR_GOAL_LEADS;
    s->kpis[0].primary = 0;
    snprintf(s->kpis[1].code, sizeof(s->kpis[1].code), "ctr");
    add_kpi(s, "cpl", 1, 11);
    assert_one_violation(s, "kpi_goal_mismatch",
                         "ctr (Click-through rate) is not a primary KPI for a leads goal",
                         "for a leads goal choose primary KPIs from form_completions, "
                         "completion_rate, cpl, cost_per_qualified_lead or lead_quality; keep ctr "
                         "as a contextual KPI",
                         10);
    cr_campaign_spec_free(s);
}

static void test_campaign__rules_duplicate_and_unknown_kpi(void **state)
{
    cr_campaign_spec *s = valid_spec();
    violations vs;
    int count = -1;

    (void)state;
    add_kpi(s, "cpm", 0, 12);
    add_kpi(s, "cpm", 0, 13);
    assert_one_violation(s, "duplicate_kpi", "cpm is listed twice", "list each KPI once", 13);
    cr_campaign_spec_free(s);

    s = valid_spec();
    add_kpi(s, "clicks_through", 0, 12);
    assert_one_violation(s, "unknown_kpi", "unknown KPI code 'clicks_through'",
                         "see crest kpi list for the codes", 12);
    cr_campaign_spec_free(s);

    /* several at once: each is reported, in order, and counted */
    s = valid_spec();
    s->primary_goals = 2;
    s->secondary_goal = CR_GOAL_TRAFFIC;
    s->secondary_goals = 1;
    add_kpi(s, "ctr", 1, 12);
    add_kpi(s, "roas", 1, 13);
    memset(&vs, 0, sizeof(vs));
    assert_int_equal(cr_campaign_check_rules(s, collect, &vs, &count), CR_OK);
    assert_int_equal(count, 5);
    assert_int_equal(vs.n, 5);
    assert_string_equal(vs.v[0].rule, "one_primary_goal");
    assert_string_equal(vs.v[1].rule, "secondary_differs");
    assert_string_equal(vs.v[2].rule, "duplicate_kpi");
    assert_string_equal(vs.v[2].message, "ctr is listed twice");
    assert_string_equal(vs.v[3].rule, "kpi_goal_mismatch");
    assert_string_equal(vs.v[4].rule, "primary_kpi_count");
    assert_string_equal(vs.v[4].message, "a campaign has 2 or 3 primary KPIs; this one has 4");
    cr_campaign_spec_free(s);
}

/* A callback error stops the check and is returned. */
static cr_err stop_at_first(const cr_rule_violation *v, void *payload)
{
    (void)v;
    (*(int *)payload)++;
    return CR_ECONFLICT;
}

static void test_campaign__rules_callback_error_stops(void **state)
{
    cr_campaign_spec *s = valid_spec();
    int calls = 0, count = -1;

    (void)state;
    s->primary_goals = 2;
    s->secondary_goals = 3;
    assert_int_equal(cr_campaign_check_rules(s, stop_at_first, &calls, &count), CR_ECONFLICT);
    assert_int_equal(calls, 1);
    cr_campaign_spec_free(s);
}

/* A byte that is not UTF-8 is refused with its line and column before libfyaml sees it: after
 * a '%' directive it made Debian 12's libfyaml 0.8 loop forever (tests/fuzz finding). */
static void test_campaign__yaml_not_utf8(void **state)
{
    fixture *fx = *state;

    assert_yaml_error(fx, "\n%-\x89", "2:3: expected UTF-8 text, found the byte 0x89");
    assert_yaml_error(fx, "%\x89", "1:2: expected UTF-8 text, found the byte 0x89");
    assert_yaml_error(fx, "name: caf\xc3\xa9\n  x: \xc3\xa9\xff",
                      "2:7: expected UTF-8 text, found the byte 0xff");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_campaign__money_forms),
        cmocka_unit_test(test_campaign__money_errors),
        cmocka_unit_test(test_campaign__target_forms),
        cmocka_unit_test(test_campaign__target_errors),
        cmocka_unit_test(test_campaign__period_bounds),
        T(test_campaign__yaml_full_file),
        T(test_campaign__yaml_short_forms),
        T(test_campaign__yaml_errors),
        T(test_campaign__yaml_syntax_error),
        T(test_campaign__yaml_missing_file),
        T(test_campaign__yaml_not_utf8),
        cmocka_unit_test(test_campaign__rules_valid),
        cmocka_unit_test(test_campaign__rules_one_primary_goal),
        cmocka_unit_test(test_campaign__rules_one_primary_goal_none),
        cmocka_unit_test(test_campaign__rules_one_secondary_goal),
        cmocka_unit_test(test_campaign__rules_secondary_differs),
        cmocka_unit_test(test_campaign__rules_primary_kpi_count),
        cmocka_unit_test(test_campaign__rules_kpi_goal_mismatch),
        cmocka_unit_test(test_campaign__rules_duplicate_and_unknown_kpi),
        cmocka_unit_test(test_campaign__rules_callback_error_stops),
    };
#undef T

    return cmocka_run_group_tests_name("goals.campaign", tests, NULL, NULL);
}
