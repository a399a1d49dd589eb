/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * build.c - tests for the report model in src/report/build.c, on a small SQLite store filled
 * through the store API: the leaderboard's per-partnership sums (posts' latest metrics plus
 * spend = fee + product cost) and their adding up to the campaign totals, the ranking by the
 * first primary KPI, funnel step rates, the carry-forward of each post's last snapshot in the
 * daily cumulative series, the top posts by engagements, stale sources, and the creator
 * report over all of a creator's posts. The expected numbers are worked out by hand in the
 * comment of seed(). */
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

#include "crest/report.h"
#include "crest/track.h"
#include "util/date.h"

#define DAY  86400
#define SHA  "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
#define HOUR 3600

typedef struct {
    char dir[64];
    cr_store *st;
    int64_t campaign, ana, ben;
} fixture;

static int64_t day(int y, int m, int d)
{
    return cr_days_from_civil(y, m, d) * DAY;
}

static void assert_close(double got, double expected)
{
    double scale = fabs(expected) > 1 ? fabs(expected) : 1;

    if (!(got == expected || fabs(got - expected) <= 1e-12 * scale))
        fail_msg("expected %.17g, got %.17g", expected, got);
}

/* ---- seed ------------------------------------------------------------------------------- */

static int64_t add_creator(cr_store *st, const char *handle, int64_t followers)
{
    cr_creator c;
    int64_t id = 0;

    memset(&c, 0, sizeof(c));
    c.platform = "instagram";
    c.handle = handle;
    c.followers = followers;
    c.following = CR_COUNT_NONE;
    c.media_count = CR_COUNT_NONE;
    c.engagement_rate = NAN;
    assert_int_equal(cr_store_creator_upsert(&id, st, &c), CR_OK);
    return id;
}

static int64_t add_partnership(cr_store *st,
                               int64_t campaign,
                               int64_t creator,
                               int64_t fee,
                               int64_t product,
                               const char *utm,
                               const char *code)
{
    cr_partnership p;
    int64_t id = 0;

    memset(&p, 0, sizeof(p));
    p.campaign_id = campaign;
    p.creator_id = creator;
    p.fee_minor = fee;
    p.product_cost_minor = product;
    p.currency = "USD";
    p.status = "contracted";
    p.utm_content = utm;
    p.promo_code = code;
    assert_int_equal(cr_store_partnership_upsert(&id, st, &p), CR_OK);
    return id;
}

static int64_t add_post(cr_store *st, int64_t creator, int64_t pa, const char *ext, int64_t at)
{
    cr_post p;
    int64_t id = 0;
    char url[128];

    memset(&p, 0, sizeof(p));
    snprintf(url, sizeof(url), "https://instagram.com/p/%s", ext);
    p.creator_id = creator;
    p.partnership_id = pa;
    p.platform = "instagram";
    p.external_id = ext;
    p.url = url;
    p.format = "reel";
    p.posted_at = at;
    assert_int_equal(cr_store_post_upsert(&id, st, &p), CR_OK);
    return id;
}

/* impressions, reach, likes, comments, shares, saves, clicks */
static void add_metric(cr_store *st, int64_t post, int64_t at, const int64_t v[7])
{
    cr_metric m;

    memset(&m, 0, sizeof(m));
    m.post_id = post;
    m.captured_at = at;
    m.impressions = v[0];
    m.reach = v[1];
    m.views = CR_COUNT_NONE;
    m.likes = v[2];
    m.comments = v[3];
    m.shares = v[4];
    m.saves = v[5];
    m.clicks = v[6];
    m.watch_seconds = CR_COUNT_NONE;
    assert_int_equal(cr_store_metric_upsert(st, &m), CR_OK);
}

static void add_sessions(
    cr_store *st, int64_t date, const char *utm, int64_t sessions, int64_t engaged, int64_t secs)
{
    cr_web_session w;

    memset(&w, 0, sizeof(w));
    w.date = date;
    w.utm_source = "instagram";
    w.utm_medium = "social";
    w.utm_content = utm;
    w.sessions = sessions;
    w.engaged_sessions = engaged;
    w.duration_seconds = secs;
    w.conversions = CR_COUNT_NONE;
    assert_int_equal(cr_store_web_session_upsert(st, &w), CR_OK);
}

static void add_order(cr_store *st, const char *id, int64_t at, int64_t total, const char *code)
{
    cr_order o;

    memset(&o, 0, sizeof(o));
    o.external_id = id;
    o.created_at = at;
    o.total_minor = total;
    o.currency = "USD";
    o.discount_code = code;
    assert_int_equal(cr_store_order_upsert(st, &o), CR_OK);
}

static void add_kpi(cr_store *st, int64_t campaign, const char *code, const char *role)
{
    cr_campaign_kpi k;

    memset(&k, 0, sizeof(k));
    k.campaign_id = campaign;
    k.code = code;
    k.role = role;
    k.target = NAN;
    k.baseline = NAN;
    assert_int_equal(cr_store_campaign_kpi_upsert(st, &k), CR_OK);
}

/* Campaign "Spring" (brand Acme, engagement goal), 2027-05-01..2027-05-20; primary KPIs
 * engagement_rate then engagements. Report as of 2027-05-08: 8 days.
 *   ana (fee 1,000.00 + product 200.00 USD): P1 posted 05-02 with snapshots
 *     05-02 {imp 1000, reach 800, likes 80, comments 10, shares 5, saves 5, clicks 20} and
 *     05-05 {imp 3000, reach 2500, likes 200, comments 20, shares 10, saves 10, clicks 60};
 *     P2 posted 05-06, snapshot 05-07 {2000, 1500, 100, 10, 5, 5, 40}.
 *     Latest sums: imp 5000, reach 4000, engagements 240 + 120 = 360, clicks 100: ER 9%.
 *   ben (fee 500.00): P3 posted 05-03, snapshot 05-04 {4000, 3000, 450, 30, 10, 10, 10}:
 *     engagements 500, ER 16.67% - ben ranks first.
 *   totals: imp 9000, reach 7000, engagements 860, clicks 110, spend 1,700.00 USD.
 *   ana_may brings 100 sessions (60 engaged) on 05-05, code ANA10 one order of 50.00 on
 *   05-06 (a partnership-level unit); an order with an unknown code stays unattributed.
 *   cumulative impressions by day (05-01..05-08): 0, 1000, 1000, 5000, 7000, 7000, 9000, 9000
 *   (P1's 05-05 snapshot replaces its 05-02 one: +2000, not +3000). */
static void seed(fixture *fx)
{
    static const int64_t p1a[7] = { 1000, 800, 80, 10, 5, 5, 20 };
    static const int64_t p1b[7] = { 3000, 2500, 200, 20, 10, 10, 60 };
    static const int64_t p2[7] = { 2000, 1500, 100, 10, 5, 5, 40 };
    static const int64_t p3[7] = { 4000, 3000, 450, 30, 10, 10, 10 };
    cr_store *st = fx->st;
    cr_campaign c;
    int64_t pa, pb, post;

    fx->ana = add_creator(st, "ana", 25000);
    fx->ben = add_creator(st, "ben", 4000);
    memset(&c, 0, sizeof(c));
    c.name = "Spring";
    c.brand = "Acme";
    c.start = day(2027, 5, 1);
    c.end = day(2027, 5, 20);
    c.budget_minor = 500000;
    c.currency = "USD";
    c.status = "active";
    c.primary_goal = "engagement";
    assert_int_equal(cr_store_campaign_upsert(&fx->campaign, st, &c), CR_OK);
    add_kpi(st, fx->campaign, "engagement_rate", "primary");
    add_kpi(st, fx->campaign, "engagements", "primary");
    add_kpi(st, fx->campaign, "ctr", "contextual");
    pa = add_partnership(st, fx->campaign, fx->ana, 100000, 20000, "ana_may", "ANA10");
    pb = add_partnership(st, fx->campaign, fx->ben, 50000, 0, "ben_may", NULL);
    post = add_post(st, fx->ana, pa, "p1", day(2027, 5, 2) + 9 * HOUR);
    add_metric(st, post, day(2027, 5, 2) + 20 * HOUR, p1a);
    add_metric(st, post, day(2027, 5, 5) + 20 * HOUR, p1b);
    post = add_post(st, fx->ana, pa, "p2", day(2027, 5, 6) + 9 * HOUR);
    add_metric(st, post, day(2027, 5, 7) + 8 * HOUR, p2);
    post = add_post(st, fx->ben, pb, "p3", day(2027, 5, 3) + 9 * HOUR);
    add_metric(st, post, day(2027, 5, 4) + 8 * HOUR, p3);
    add_sessions(st, day(2027, 5, 5), "ana_may", 100, 60, 6000);
    add_order(st, "o1", day(2027, 5, 6) + 15 * HOUR, 5000, "ana10");
    add_order(st, "o2", day(2027, 5, 7) + 15 * HOUR, 7000, "NOBODY");
    assert_int_equal(cr_store_track_refresh(st, 1), CR_OK);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    char url[160];

    if (fx == NULL)
        return -1;
    if (cr_test_tmpdir(fx->dir, sizeof(fx->dir), "report") < 0) {
        free(fx);
        return -1;
    }
    snprintf(url, sizeof(url), "sqlite:%s/store.db", fx->dir);
    if (cr_store_open(&fx->st, url) != CR_OK) {
        rmdir(fx->dir);
        free(fx);
        return -1;
    }
    *state = fx;
    seed(fx);
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;

    cr_store_free(fx->st);
    cr_test_rmdir(fx->dir);
    free(fx);
    return 0;
}

static cr_report *campaign_report(fixture *fx, int64_t now)
{
    cr_report_options o = CR_REPORT_OPTIONS_INIT;
    cr_report *r = NULL;

    o.as_of = day(2027, 5, 8);
    o.now = now ? now : day(2027, 5, 8) + 12 * HOUR;
    if (cr_report_campaign(&r, fx->st, fx->campaign, &o) != CR_OK)
        fail_msg("report failed: %s", cr_error_last() ? cr_error_last()->message : "?");
    return r;
}

static double kpi(const cr_report_kpis *k, const char *code)
{
    const cr_kpi_value *v = cr_report_kpi_of(k, code);

    assert_non_null(v);
    assert_true(v->available);
    return v->value;
}

typedef struct {
    const cr_rate_card *card;
    double total, p3;
} emv_sum;

static cr_err emv_row(const cr_post_rollup *p, void *payload)
{
    emv_sum *es = payload;
    const char *brands[1] = { "Acme" };
    cr_emv e;

    cr_emv_post(&e, es->card, p, brands, 1, "Acme", 0);
    es->total += e.value_minor;
    if (strcmp(p->external_id, "p3") == 0)
        es->p3 = e.value_minor;
    return CR_OK;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_build__leaderboard_sums_and_rank(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);
    const cr_report_partner *first, *second;

    assert_string_equal(r->sort_kpi, "engagement_rate");
    assert_int_equal(r->npartners, 2);
    first = &r->partners[0];
    second = &r->partners[1];
    assert_string_equal(first->handle, "ben");
    assert_int_equal(first->rank, 1);
    assert_string_equal(second->handle, "ana");
    assert_int_equal(second->rank, 2);
    /* ana: her two posts' latest snapshots (P1's 05-05 one, not both) */
    assert_int_equal(second->k.inputs.posts, 2);
    assert_int_equal(second->k.inputs.impressions, 5000);
    assert_int_equal(second->k.inputs.reach, 4000);
    assert_int_equal(second->k.inputs.clicks, 100);
    assert_int_equal(second->k.inputs.spend_minor, 120000);
    assert_close(kpi(&second->k, "engagements"), 360);
    assert_close(kpi(&second->k, "engagement_rate"), 360.0 / 4000.0);
    assert_close(kpi(&second->k, "cpe"), 120000.0 / 360.0);
    assert_close(kpi(&second->k, "cpm"), 120000.0 / 5000.0 * 1000);
    assert_close(kpi(&first->k, "engagement_rate"), 500.0 / 3000.0);
    assert_int_equal(first->k.inputs.spend_minor, 50000);
    /* the leaderboard adds up to the campaign */
    assert_int_equal(r->nposts, 3);
    assert_int_equal(r->totals.inputs.impressions,
                     first->k.inputs.impressions + second->k.inputs.impressions);
    assert_int_equal(r->totals.inputs.impressions, 9000);
    assert_int_equal(r->totals.inputs.reach, 7000);
    assert_int_equal(r->totals.inputs.spend_minor, 170000);
    assert_int_equal(r->totals.inputs.sessions,
                     first->k.inputs.sessions + second->k.inputs.sessions);
    assert_close(kpi(&r->totals, "engagements"), 860);
    assert_close(kpi(&r->totals, "engagement_rate"), 860.0 / 7000.0);
    /* the campaign's KPIs as the goal layer judges them, primary first as stored */
    assert_int_equal(r->nkpis, 3);
    cr_report_free(r);
}

static void test_build__funnel_rates(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);

    assert_string_equal(r->funnel[0].step, "impressions");
    assert_int_equal(r->funnel[0].value, 9000);
    assert_true(isnan(r->funnel[0].rate));
    assert_string_equal(r->funnel[1].step, "clicks");
    assert_int_equal(r->funnel[1].value, 110);
    assert_close(r->funnel[1].rate, 110.0 / 9000.0);
    assert_string_equal(r->funnel[2].step, "sessions");
    assert_int_equal(r->funnel[2].value, 100);
    assert_close(r->funnel[2].rate, 100.0 / 110.0);
    assert_string_equal(r->funnel[3].step, "leads");
    assert_int_equal(r->funnel[3].value, 0);
    assert_close(r->funnel[3].rate, 0);
    assert_string_equal(r->funnel[4].step, "orders");
    assert_int_equal(r->funnel[4].value, 1);
    assert_true(isnan(r->funnel[4].rate)); /* after a zero step */
    cr_report_free(r);
}

static void test_build__series_carries_forward(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);
    static const int64_t imp[8] = { 0, 1000, 1000, 5000, 7000, 7000, 9000, 9000 };
    static const int64_t eng[8] = { 0, 100, 100, 600, 740, 740, 860, 860 };
    size_t i;

    assert_int_equal(r->ndays, 8);
    for (i = 0; i < 8; i++) {
        assert_int_equal(r->days[i].date, day(2027, 5, 1) + (int64_t)i * DAY);
        if (r->days[i].impressions != imp[i] || r->days[i].engagements != eng[i])
            fail_msg("day %zu: impressions %lld (expected %lld), engagements %lld (expected "
                     "%lld)",
                     i, (long long)r->days[i].impressions, (long long)imp[i],
                     (long long)r->days[i].engagements, (long long)eng[i]);
    }
    /* the last day is the campaign's totals */
    assert_int_equal(r->days[7].reach, r->totals.inputs.reach);
    assert_int_equal(r->days[7].clicks, r->totals.inputs.clicks);
    cr_report_free(r);
}

static void test_build__top_posts_by_engagements(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);

    assert_int_equal(r->ntop, 3);
    assert_string_equal(r->top[0].external_id, "p3"); /* 500 */
    assert_string_equal(r->top[1].external_id, "p1"); /* 240 */
    assert_string_equal(r->top[2].external_id, "p2"); /* 120 */
    assert_string_equal(r->top[1].url, "https://instagram.com/p/p1");
    assert_close(kpi(&r->top[1].k, "engagement_rate"), 240.0 / 2500.0);
    cr_report_free(r);
}

static void test_build__reach_warning_and_freshness(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);
    size_t i;
    int reach = 0;

    assert_int_equal(r->stale_days, CR_REPORT_STALE_DAYS);
    for (i = 0; i < r->nwarnings; i++)
        if (strstr(r->warnings[i], "upper bound of unique reach"))
            reach = 1;
    assert_true(reach);
    /* nothing was imported (the seed writes through the store API): no sources, none stale */
    for (i = 0; i < r->nsources; i++)
        assert_false(r->sources[i].stale);
    cr_report_free(r);
}

static void test_build__attributed_units(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);
    const cr_report_partner *ana = &r->partners[1];
    size_t i;
    int64_t unattributed_orders = 0;

    assert_string_equal(ana->handle, "ana");
    /* the sessions of ana's utm_content and the order of her code are hers */
    assert_int_equal(ana->k.inputs.sessions, 100);
    assert_int_equal(ana->k.inputs.engaged_sessions, 60);
    assert_int_equal(ana->k.inputs.orders, 1);
    assert_int_equal(ana->k.inputs.revenue_minor, 5000);
    assert_close(kpi(&ana->k, "roas"), 5000.0 / 120000.0);
    assert_close(kpi(&ana->k, "bounce_rate"), 40.0 / 100.0);
    assert_int_equal(r->partners[0].k.inputs.sessions, 0);
    assert_int_equal(r->totals.inputs.sessions, 100);
    assert_int_equal(r->totals.inputs.revenue_minor, 5000);
    /* by level and method: the utm sessions and the code order, each once */
    assert_string_equal(r->attribution[0].kind, "sessions");
    assert_int_equal(r->attribution[0].to_posts + r->attribution[0].to_partnerships, 100);
    assert_int_equal(r->attribution[0].by_utm, 100);
    assert_string_equal(r->attribution[2].kind, "orders");
    assert_int_equal(r->attribution[2].to_posts + r->attribution[2].to_partnerships, 1);
    assert_int_equal(r->attribution[2].by_code, 1);
    assert_int_equal(r->attribution[2].by_landing_utm, 0);
    assert_int_equal(r->attribution[2].revenue_minor, 5000);
    for (i = 0; i < r->nunattr; i++)
        if (strcmp(r->unattr[i].kind, "orders") == 0)
            unattributed_orders += r->unattr[i].units;
    assert_int_equal(unattributed_orders, 1);
    assert_int_equal(r->attribution[2].unattributed, 1);
    /* the series: sessions from 05-05, the order from 05-06, revenue with it */
    assert_int_equal(r->days[3].sessions, 0);
    assert_int_equal(r->days[4].sessions, 100);
    assert_int_equal(r->days[7].sessions, 100);
    assert_int_equal(r->days[4].orders, 0);
    assert_int_equal(r->days[5].orders, 1);
    assert_int_equal(r->days[7].revenue_minor, 5000);
    cr_report_free(r);
}

static int has_warning(const cr_report *r, const char *text)
{
    size_t i;

    for (i = 0; i < r->nwarnings; i++)
        if (strstr(r->warnings[i], text))
            return 1;
    return 0;
}

/* A source is stale when its newest data (or its last import) is older than the setting
 * freshness.stale_days (default 7). The import finishes at the real clock, so the report's
 * "now" is set 30 days after it. */
static void test_build__stale_source(void **state)
{
    fixture *fx = *state;
    cr_import_rec rec;
    cr_report *r;
    int64_t id = 0;

    memset(&rec, 0, sizeof(rec));
    rec.kind = "metrics";
    rec.file = "metrics-may.csv";
    rec.sha256 = SHA;
    rec.started_at = cr_now();
    assert_int_equal(cr_store_import_begin(&id, fx->st, &rec), CR_OK);
    assert_int_equal(cr_store_import_finish(fx->st, id, SHA, 0, 0), CR_OK);
    r = campaign_report(fx, cr_now() + 30 * DAY);
    assert_int_equal(r->nsources, 1);
    assert_string_equal(r->sources[0].kind, "metrics");
    assert_string_equal(r->sources[0].file, "metrics-may.csv");
    assert_true(r->sources[0].age_days > 29.9 && r->sources[0].age_days < 30.1);
    assert_true(r->sources[0].stale);
    assert_true(has_warning(r, "stale source: metrics"));
    cr_report_free(r);
    assert_int_equal(cr_store_setting_set(fx->st, "freshness.stale_days", "45"), CR_OK);
    r = campaign_report(fx, cr_now() + 30 * DAY);
    assert_int_equal(r->stale_days, 45);
    assert_false(r->sources[0].stale);
    assert_false(has_warning(r, "stale source"));
    cr_report_free(r);
    assert_int_equal(cr_store_setting_set(fx->st, "freshness.stale_days", "soon"), CR_OK);
    r = NULL;
    assert_int_equal(cr_report_campaign(&r, fx->st, fx->campaign, NULL), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "freshness.stale_days"));
    assert_null(r);
}

/* EMV: each post's from the workspace's rate card (cr_emv_post), summed per partnership and
 * campaign; tiers from the tier scheme. */
static void test_build__emv_and_tiers(void **state)
{
    fixture *fx = *state;
    cr_report *r = campaign_report(fx, 0);
    cr_rate_card *card = NULL;
    cr_tier_scheme *tiers = NULL;
    cr_rollup_filter f;
    emv_sum es;
    size_t i;
    double sum = 0;

    assert_int_equal(cr_rate_card_for_campaign(&card, fx->st, fx->campaign), CR_OK);
    assert_int_equal(cr_tier_scheme_load(&tiers, fx->st, NULL), CR_OK);
    assert_string_equal(r->emv_card, card->version);
    assert_string_equal(r->emv_currency, card->currency);
    memset(&es, 0, sizeof(es));
    es.card = card;
    memset(&f, 0, sizeof(f));
    f.campaign_id = fx->campaign;
    assert_int_equal(cr_store_rollup_list(fx->st, &f, emv_row, &es), CR_OK);
    assert_true(es.total > 0);
    assert_close(r->totals.emv_minor, es.total);
    assert_close(kpi(&r->totals, "emv"), es.total);
    for (i = 0; i < r->npartners; i++) {
        sum += r->partners[i].k.emv_minor;
        assert_string_equal(r->partners[i].tier, cr_tier_of(tiers, r->partners[i].followers));
    }
    assert_close(sum, es.total);
    assert_close(r->top[0].k.emv_minor, es.p3);
    assert_non_null(strstr(r->top[0].emv_log, "impressions"));
    assert_string_equal(r->partners[0].tier, "nano"); /* ben, 4,000 followers */
    cr_rate_card_free(card);
    cr_tier_scheme_free(tiers);
    cr_report_free(r);
}

static void test_build__creator_report(void **state)
{
    fixture *fx = *state;
    cr_report_options o = CR_REPORT_OPTIONS_INIT;
    cr_report *r = NULL;

    o.as_of = day(2027, 5, 8);
    o.now = day(2027, 5, 8) + HOUR;
    assert_int_equal(cr_report_creator(&r, fx->st, fx->ana, &o), CR_OK);
    assert_int_equal(r->kind, CR_REPORT_CREATOR);
    assert_string_equal(r->handle, "ana");
    assert_int_equal(r->nposts, 2);
    assert_int_equal(r->npartners, 1);
    assert_string_equal(r->partners[0].campaign, "Spring");
    assert_int_equal(r->totals.inputs.impressions, 5000);
    assert_int_equal(r->totals.inputs.spend_minor, 120000);
    assert_close(kpi(&r->totals, "engagement_rate"), 360.0 / 4000.0);
    assert_close(kpi(&r->partners[0].k, "ctr"), 100.0 / 5000.0);
    cr_report_free(r);
    assert_int_equal(cr_report_creator(&r, fx->st, 9999, &o), CR_ENOTFOUND);
    assert_null(r);
}

static void test_build__unknown_campaign(void **state)
{
    fixture *fx = *state;
    cr_report *r = NULL;

    assert_int_equal(cr_report_campaign(&r, fx->st, 9999, NULL), CR_ENOTFOUND);
    assert_null(r);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_build__leaderboard_sums_and_rank),
        T(test_build__funnel_rates),
        T(test_build__series_carries_forward),
        T(test_build__top_posts_by_engagements),
        T(test_build__reach_warning_and_freshness),
        T(test_build__creator_report),
        T(test_build__unknown_campaign),
        T(test_build__attributed_units),
        T(test_build__stale_source),
        T(test_build__emv_and_tiers),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
