/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * progress.c - tests for campaign progress and baselines in src/goals/progress.c, against a
 * temporary SQLite store filled through the store API: the campaign's actual KPI values at an
 * as-of date, the run-rate projection (actual / elapsed, elapsed counting whole days through
 * the as-of day), the on-track / at-risk / off-track thresholds (1.0 and 0.9) for a
 * higher-is-better and a lower-is-better KPI, not-started, and cr_baseline_compute from a
 * baseline period (scaled to the campaign's length for sums) and from the brand's last
 * ended benchmarking campaign. */
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

#include "crest/goals.h"
#include "util/date.h"

#define DAY         86400
#define HOUR        3600
#define MAX_RESULTS 16

typedef struct {
    char dir[64];
    cr_store *st;
} fixture;

static int64_t day(int y, int m, int d)
{
    return cr_days_from_civil(y, m, d) * DAY;
}

/* Equal up to the last bit or two of a double: the values here are exact by construction. */
static void assert_close(double got, double expected)
{
    double scale = fabs(expected) > 1 ? fabs(expected) : 1;

    if (!(got == expected || fabs(got - expected) <= 1e-12 * scale))
        fail_msg("expected %.17g, got %.17g", expected, got);
}

/* ---- fixture --------------------------------------------------------------------------- */

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    char url[160];

    if (fx == NULL)
        return -1;
    if (cr_test_tmpdir(fx->dir, sizeof(fx->dir), "progress") < 0) {
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

/* ---- store helpers ---------------------------------------------------------------------- */

static int64_t add_creator(cr_store *st, const char *platform, const char *handle)
{
    cr_creator c;
    int64_t id = 0;

    memset(&c, 0, sizeof(c));
    c.platform = platform;
    c.handle = handle;
    c.followers = 20000;
    c.following = CR_COUNT_NONE;
    c.media_count = CR_COUNT_NONE;
    c.engagement_rate = NAN;
    assert_int_equal(cr_store_creator_upsert(&id, st, &c), CR_OK);
    assert_true(id > 0);
    return id;
}

static int64_t add_campaign(
    cr_store *st, const char *name, const char *brand, int64_t start, int64_t end, int bench)
{
    cr_campaign c;
    int64_t id = 0;

    memset(&c, 0, sizeof(c));
    c.name = name;
    c.brand = brand;
    c.start = start;
    c.end = end;
    c.budget_minor = 1000000;
    c.currency = "USD";
    c.status = bench ? "completed" : "active";
    c.primary_goal = "traffic";
    c.benchmarking = bench;
    assert_int_equal(cr_store_campaign_upsert(&id, st, &c), CR_OK);
    assert_true(id > 0);
    return id;
}

static int64_t add_partnership(cr_store *st,
                               int64_t campaign,
                               int64_t creator,
                               int64_t fee,
                               int64_t product_cost,
                               const char *promo_code,
                               const char *utm_content)
{
    cr_partnership p;
    int64_t id = 0;

    memset(&p, 0, sizeof(p));
    p.campaign_id = campaign;
    p.creator_id = creator;
    p.fee_minor = fee;
    p.product_cost_minor = product_cost;
    p.currency = "USD";
    p.status = "contracted";
    p.promo_code = promo_code;
    p.utm_content = utm_content;
    assert_int_equal(cr_store_partnership_upsert(&id, st, &p), CR_OK);
    assert_true(id > 0);
    return id;
}

static void add_sessions(cr_store *st,
                         int64_t date,
                         const char *utm_content,
                         int64_t sessions,
                         int64_t engaged,
                         int64_t seconds)
{
    cr_web_session w;

    memset(&w, 0, sizeof(w));
    w.date = date;
    w.utm_source = "instagram";
    w.utm_medium = "social";
    w.utm_content = utm_content;
    w.sessions = sessions;
    w.engaged_sessions = engaged;
    w.duration_seconds = seconds;
    w.conversions = CR_COUNT_NONE;
    assert_int_equal(cr_store_web_session_upsert(st, &w), CR_OK);
}

static int64_t add_post(cr_store *st,
                        int64_t creator,
                        int64_t partnership,
                        const char *external_id,
                        const char *utm_content,
                        int64_t posted_at)
{
    cr_post p;
    int64_t id = 0;

    memset(&p, 0, sizeof(p));
    p.creator_id = creator;
    p.partnership_id = partnership;
    p.platform = "instagram";
    p.external_id = external_id;
    p.utm_content = utm_content;
    p.posted_at = posted_at;
    assert_int_equal(cr_store_post_upsert(&id, st, &p), CR_OK);
    assert_true(id > 0);
    return id;
}

/* impressions, reach, views, likes, comments, shares, saves, clicks, watch_seconds */
static void add_metric(cr_store *st, int64_t post, int64_t captured_at, const int64_t v[9])
{
    cr_metric m;

    memset(&m, 0, sizeof(m));
    m.post_id = post;
    m.captured_at = captured_at;
    m.impressions = v[0];
    m.reach = v[1];
    m.views = v[2];
    m.likes = v[3];
    m.comments = v[4];
    m.shares = v[5];
    m.saves = v[6];
    m.clicks = v[7];
    m.watch_seconds = v[8];
    assert_int_equal(cr_store_metric_upsert(st, &m), CR_OK);
}

static void add_lead(cr_store *st, const char *id, int64_t at, const char *utm, int qualified)
{
    cr_lead l;

    memset(&l, 0, sizeof(l));
    l.external_id = id;
    l.created_at = at;
    l.utm_source = "instagram";
    l.utm_content = utm;
    l.qualified = qualified;
    assert_int_equal(cr_store_lead_upsert(st, &l), CR_OK);
}

static void add_order(cr_store *st,
                      const char *id,
                      int64_t at,
                      int64_t total,
                      const char *discount_code,
                      const char *landing_utm_content)
{
    cr_order o;

    memset(&o, 0, sizeof(o));
    o.external_id = id;
    o.created_at = at;
    o.total_minor = total;
    o.currency = "USD";
    o.discount_code = discount_code;
    o.landing_utm_content = landing_utm_content;
    assert_int_equal(cr_store_order_upsert(st, &o), CR_OK);
}

static void add_snapshot(cr_store *st, int64_t creator, int64_t date, int64_t followers)
{
    cr_snapshot s;

    memset(&s, 0, sizeof(s));
    s.creator_id = creator;
    s.date = date;
    s.followers = followers;
    s.following = CR_COUNT_NONE;
    s.media_count = CR_COUNT_NONE;
    assert_int_equal(cr_store_snapshot_upsert(st, &s), CR_OK);
}

static void add_mention(cr_store *st, int64_t date, const char *brand, int64_t count)
{
    cr_mention m;

    memset(&m, 0, sizeof(m));
    m.date = date;
    m.source = "twitter";
    m.brand = brand;
    m.count = count;
    assert_int_equal(cr_store_mention_upsert(st, &m), CR_OK);
}

/* Campaign "Acme July", 2027-07-01..2027-08-09 (40 days), one partnership (maya, fee 4000
 * USD + 500 USD product, code MAYA10, utm_content maya_jul). Through 2027-07-20 (as-of
 * day included: 20 days, half the campaign) it has:
 *   posts 2 (P1 linked; P2 unlinked but carrying maya_jul), latest captures summing to
 *   impressions 15000, reach 12000, views 4000, likes 500, comments 60, shares 40, saves 25,
 *   clicks 150, watch 11000;
 *   sessions 450, engaged 320, 27000 s; leads 50 (20 qualified); orders 3 for 30000;
 *   spend 450000; mentions 30 of Acme, 70 of others; followers 20000 -> 20600.
 * After 07-20, up to the end: P3 (posted 07-25), 100 more sessions (60 engaged, 5000 s), 10
 * more leads (2 qualified), one more order (20000), a 21000 snapshot, 10 more mentions.
 * Rows that are not the campaign's: another creator's post carrying maya_jul, maya's post
 * without a link or utm_content, another utm_content's sessions and leads, another code's
 * order, a session and snapshot before the start. */
static int64_t seed_july(cr_store *st)
{
    static const int64_t p1_early[9] = { 5000, 4000, 1000, 200, 20, 10, 5, 50, 3000 };
    static const int64_t p1_late[9] = { 10000, 8000, 3000, 400, 50, 30, 20, 120, 9000 };
    static const int64_t p2[9] = { 5000, 4000, 1000, 100, 10, 10, 5, 30, 2000 };
    static const int64_t p3[9] = { 20000, 15000, 6000, 800, 90, 60, 40, 300, 12000 };
    static const int64_t big[9] = { 900000, 900000, 900000, 9000, 900, 900, 900, 9000, 9000 };
    int64_t maya = add_creator(st, "instagram", "maya.runs");
    int64_t other = add_creator(st, "instagram", "other.one");
    int64_t c = add_campaign(st, "Acme July", "Acme", day(2027, 7, 1), day(2027, 8, 9), 0);
    int64_t pa = add_partnership(st, c, maya, 400000, 50000, "MAYA10", "maya_jul");
    int64_t post;
    char id[32];
    int i;

    post = add_post(st, maya, pa, "p1", NULL, day(2027, 7, 3) + 10 * HOUR);
    add_metric(st, post, day(2027, 7, 4), p1_early);
    add_metric(st, post, day(2027, 7, 10), p1_late);
    post = add_post(st, maya, 0, "p2", "maya_jul", day(2027, 7, 12) + 18 * HOUR);
    add_metric(st, post, day(2027, 7, 13), p2);
    post = add_post(st, maya, pa, "p3", NULL, day(2027, 7, 25) + 9 * HOUR);
    add_metric(st, post, day(2027, 7, 26), p3);
    post = add_post(st, other, 0, "p4", "maya_jul", day(2027, 7, 5));
    add_metric(st, post, day(2027, 7, 6), big);
    post = add_post(st, maya, 0, "p5", NULL, day(2027, 7, 6));
    add_metric(st, post, day(2027, 7, 7), big);

    add_sessions(st, day(2027, 7, 2), "maya_jul", 200, 150, 12000);
    add_sessions(st, day(2027, 7, 15), "maya_jul", 250, 170, 15000);
    add_sessions(st, day(2027, 7, 22), "maya_jul", 100, 60, 5000);
    add_sessions(st, day(2027, 3, 15), "maya_jul", 999, 999, 999);
    add_sessions(st, day(2027, 7, 5), "someone_else", 5000, 4000, 300000);

    for (i = 0; i < 50; i++) {
        snprintf(id, sizeof(id), "lead-%d", i);
        add_lead(st, id, day(2027, 7, 1) + (int64_t)i * 9 * HOUR, "maya_jul", i < 20);
    }
    for (i = 0; i < 10; i++) {
        snprintf(id, sizeof(id), "late-lead-%d", i);
        add_lead(st, id, day(2027, 7, 25) + (int64_t)i * HOUR, "maya_jul", i < 2);
    }
    for (i = 0; i < 5; i++) {
        snprintf(id, sizeof(id), "other-lead-%d", i);
        add_lead(st, id, day(2027, 7, 5), "someone_else", 1);
    }

    add_order(st, "o1", day(2027, 7, 8), 12000, "maya10", NULL);
    add_order(st, "o2", day(2027, 7, 14), 8000, "MAYA10", NULL);
    add_order(st, "o3", day(2027, 7, 18), 10000, NULL, "maya_jul");
    add_order(st, "o4", day(2027, 7, 9), 50000, "OTHER", "someone_else");
    add_order(st, "o5", day(2027, 7, 30), 20000, "MAYA10", NULL);

    add_snapshot(st, maya, day(2027, 6, 30), 19000);
    add_snapshot(st, maya, day(2027, 7, 1), 20000);
    add_snapshot(st, maya, day(2027, 7, 18), 20600);
    add_snapshot(st, maya, day(2027, 7, 28), 21000);

    add_mention(st, day(2027, 7, 5), "Acme", 30);
    add_mention(st, day(2027, 7, 5), "Rival", 70);
    add_mention(st, day(2027, 7, 25), "Acme", 10);
    assert_int_equal(cr_store_track_refresh(st, 0), CR_OK);
    return c;
}

/* ---- specs ------------------------------------------------------------------------------ */

static cr_campaign_kpi_spec *
add_kpi(cr_campaign_spec *s, const char *code, int primary, cr_target_kind kind, double target)
{
    cr_campaign_kpi_spec *k;

    assert_int_equal(cr_campaign_spec_add_kpi(&k, s), CR_OK);
    snprintf(k->code, sizeof(k->code), "%s", code);
    k->primary = primary;
    k->target_kind = kind;
    k->target = kind == CR_TARGET_NONE ? NAN : target;
    return k;
}

/* The stored campaign as a spec in memory (the id is what progress reads from the store). */
static cr_campaign_spec *july_spec(int64_t id)
{
    cr_campaign_spec *s = NULL;

    assert_int_equal(cr_campaign_spec_new(&s), CR_OK);
    s->id = id;
    snprintf(s->name, sizeof(s->name), "Acme July");
    snprintf(s->brand, sizeof(s->brand), "Acme");
    s->start = day(2027, 7, 1);
    s->end = day(2027, 8, 9);
    s->primary_goal = CR_GOAL_TRAFFIC;
    s->primary_goals = 1;
    return s;
}

static cr_campaign_progress *progress_at(cr_store *st, const cr_campaign_spec *s, int64_t as_of)
{
    cr_campaign_progress *p = NULL;

    if (cr_campaign_progress_compute(&p, st, s, as_of) != CR_OK)
        fail_msg("progress failed: %s", cr_error_last() ? cr_error_last()->message : "?");
    assert_non_null(p);
    return p;
}

static const cr_kpi_progress *find_progress(const cr_campaign_progress *p, const char *code)
{
    size_t i;

    for (i = 0; i < p->nkpis; i++)
        if (strcmp(p->kpis[i].def->code, code) == 0)
            return &p->kpis[i];
    fail_msg("no progress for %s", code);
    return NULL;
}

/* ---- progress --------------------------------------------------------------------------- */

static void test_progress__inputs_and_actuals(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = july_spec(seed_july(fx->st));
    cr_campaign_progress *p;
    const cr_kpi_inputs *in;
    static const char *const codes[] = { "referral_sessions",
                                         "ctr",
                                         "engagement_rate",
                                         "cpl",
                                         "bounce_rate",
                                         "session_duration",
                                         "conversion_rate",
                                         "aov",
                                         "roas",
                                         "follower_growth",
                                         "share_of_voice",
                                         "mention_velocity",
                                         "form_completions",
                                         "lead_quality",
                                         "attributed_revenue",
                                         "impressions",
                                         "cpm" };
    size_t i;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        add_kpi(s, codes[i], 0, CR_TARGET_NONE, 0);
    add_kpi(s, "no_such_kpi", 0, CR_TARGET_NONE, 0);
    p = progress_at(fx->st, s, day(2027, 7, 20) + 12 * HOUR);

    assert_int_equal(p->start, day(2027, 7, 1));
    assert_int_equal(p->end, day(2027, 8, 9));
    assert_int_equal(p->as_of, day(2027, 7, 20));
    assert_true(p->elapsed == 0.5);
    in = &p->inputs;
    assert_int_equal(in->days, 20);
    assert_int_equal(in->posts, 2);
    assert_int_equal(in->impressions, 15000);
    assert_int_equal(in->reach, 12000);
    assert_int_equal(in->views, 4000);
    assert_int_equal(in->likes, 500);
    assert_int_equal(in->comments, 60);
    assert_int_equal(in->shares, 40);
    assert_int_equal(in->saves, 25);
    assert_int_equal(in->clicks, 150);
    assert_int_equal(in->watch_seconds, 11000);
    assert_int_equal(in->sessions, 450);
    assert_int_equal(in->engaged_sessions, 320);
    assert_int_equal(in->session_seconds, 27000);
    assert_int_equal(in->leads, 50);
    assert_int_equal(in->qualified_leads, 20);
    assert_int_equal(in->orders, 3);
    assert_int_equal(in->revenue_minor, 30000);
    assert_int_equal(in->spend_minor, 450000);
    assert_int_equal(in->mentions_brand, 30);
    assert_int_equal(in->mentions_competitors, 70);
    assert_int_equal(in->followers_start, 20000);
    assert_int_equal(in->followers_end, 20600);

    /* the unknown code is skipped */
    assert_int_equal(p->nkpis, sizeof(codes) / sizeof(codes[0]));
    for (i = 0; i < p->nkpis; i++) {
        assert_string_equal(p->kpis[i].def->code, codes[i]);
        assert_true(p->kpis[i].actual.available);
        assert_int_equal(p->kpis[i].primary, 0);
        assert_true(isnan(p->kpis[i].target));
        assert_true(isnan(p->kpis[i].baseline));
        assert_true(isnan(p->kpis[i].pct_of_target));
        assert_int_equal(p->kpis[i].status, CR_TRACK_NO_TARGET);
        assert_string_equal(p->kpis[i].note, "contextual KPI");
    }
    assert_close(find_progress(p, "referral_sessions")->actual.value, 450);
    assert_close(find_progress(p, "ctr")->actual.value, 0.01);
    assert_close(find_progress(p, "engagement_rate")->actual.value, 625.0 / 12000.0);
    assert_close(find_progress(p, "cpl")->actual.value, 9000);
    assert_close(find_progress(p, "bounce_rate")->actual.value, 130.0 / 450.0);
    assert_close(find_progress(p, "session_duration")->actual.value, 60);
    assert_close(find_progress(p, "conversion_rate")->actual.value, 3.0 / 450.0);
    assert_close(find_progress(p, "aov")->actual.value, 10000);
    assert_close(find_progress(p, "roas")->actual.value, 30000.0 / 450000.0);
    assert_close(find_progress(p, "follower_growth")->actual.value, 0.03);
    assert_close(find_progress(p, "share_of_voice")->actual.value, 0.3);
    assert_close(find_progress(p, "mention_velocity")->actual.value, 1.5);
    assert_close(find_progress(p, "form_completions")->actual.value, 50);
    assert_close(find_progress(p, "lead_quality")->actual.value, 0.4);
    assert_close(find_progress(p, "attributed_revenue")->actual.value, 30000);
    assert_close(find_progress(p, "impressions")->actual.value, 15000);
    assert_close(find_progress(p, "cpm")->actual.value, 30000);
    /* projections: sums at the run rate (actual / 0.5), ratios stay */
    assert_close(find_progress(p, "referral_sessions")->projected, 900);
    assert_close(find_progress(p, "form_completions")->projected, 100);
    assert_close(find_progress(p, "attributed_revenue")->projected, 60000);
    assert_close(find_progress(p, "impressions")->projected, 30000);
    assert_close(find_progress(p, "ctr")->projected, 0.01);
    assert_close(find_progress(p, "cpl")->projected, 9000);
    assert_close(find_progress(p, "bounce_rate")->projected, 130.0 / 450.0);
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(s);
}

/* Elapsed counts whole days through the as-of day, whatever the time of day. */
static void test_progress__elapsed_and_projection(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = july_spec(seed_july(fx->st));
    cr_campaign_progress *p;

    add_kpi(s, "referral_sessions", 1, CR_TARGET_ABSOLUTE, 900);
    p = progress_at(fx->st, s, day(2027, 7, 20));
    assert_true(p->elapsed == 0.5);
    assert_close(p->kpis[0].projected, 900);
    cr_campaign_progress_free(p);
    p = progress_at(fx->st, s, day(2027, 7, 20) + DAY - 1);
    assert_true(p->elapsed == 0.5);
    assert_int_equal(p->as_of, day(2027, 7, 20));
    cr_campaign_progress_free(p);

    /* 2027-07-10: 10 of 40 days; the 07-15 sessions are not in yet: 200 -> 800 */
    p = progress_at(fx->st, s, day(2027, 7, 10) + 8 * HOUR);
    assert_true(p->elapsed == 0.25);
    assert_int_equal(p->inputs.sessions, 200);
    assert_int_equal(p->inputs.days, 10);
    assert_close(p->kpis[0].actual.value, 200);
    assert_close(p->kpis[0].projected, 200 / 0.25);
    assert_close(p->kpis[0].projected, 800);
    cr_campaign_progress_free(p);

    /* the first day counts as a whole day */
    p = progress_at(fx->st, s, day(2027, 7, 1));
    assert_true(p->elapsed == 1.0 / 40.0);
    assert_int_equal(p->inputs.days, 1);
    cr_campaign_progress_free(p);

    /* on the last day, and after the end: capped to the end, all of it */
    p = progress_at(fx->st, s, day(2027, 8, 9) + 15 * HOUR);
    assert_true(p->elapsed == 1.0);
    assert_int_equal(p->as_of, day(2027, 8, 9));
    cr_campaign_progress_free(p);
    p = progress_at(fx->st, s, day(2027, 9, 1));
    assert_true(p->elapsed == 1.0);
    assert_int_equal(p->as_of, day(2027, 8, 9));
    assert_int_equal(p->inputs.days, 40);
    assert_int_equal(p->inputs.posts, 3);
    assert_int_equal(p->inputs.impressions, 35000);
    assert_int_equal(p->inputs.sessions, 550);
    assert_int_equal(p->inputs.leads, 60);
    assert_int_equal(p->inputs.qualified_leads, 22);
    assert_int_equal(p->inputs.orders, 4);
    assert_int_equal(p->inputs.revenue_minor, 50000);
    assert_int_equal(p->inputs.mentions_brand, 40);
    assert_int_equal(p->inputs.followers_end, 21000);
    assert_close(p->kpis[0].actual.value, 550);
    assert_close(p->kpis[0].projected, 550);
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(s);
}

static void assert_status(
    const cr_kpi_progress *kp, cr_track_status status, double target, double pct, const char *note)
{
    if (kp->status != status)
        fail_msg("%s: expected %s, got %s (%s)", kp->def->code, cr_track_status_name(status),
                 cr_track_status_name(kp->status), kp->note);
    assert_close(kp->target, target);
    assert_close(kp->pct_of_target, pct);
    assert_string_equal(kp->note, note);
}

/* Referral sessions: 450 by 07-20, projected 900. CPL (lower is better): 9000 now, and a
 * ratio projects as it stands. The ratios 900/900, 900/1000, 9000/9000 and 8100/9000 are
 * exactly 1.0 and 0.9 in doubles, so the thresholds are hit exactly. */
static void test_progress__status_thresholds(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = july_spec(seed_july(fx->st));
    cr_campaign_progress *p;
    static const struct {
        double sessions_target, cpl_target;
        cr_track_status sessions_status, cpl_status;
        const char *sessions_note, *cpl_note;
    } cases[] = {
        { 900, 9000, CR_TRACK_ON, CR_TRACK_ON,
          "run rate at 50% of the period: projected 100% of target",
          "current value at 50% of the period: projected 100% of target" },
        { 800, 10000, CR_TRACK_ON, CR_TRACK_ON,
          "run rate at 50% of the period: projected 112% of target",
          "current value at 50% of the period: projected 111% of target" },
        { 1000, 8100, CR_TRACK_AT_RISK, CR_TRACK_AT_RISK,
          "run rate at 50% of the period: projected 90% of target",
          "current value at 50% of the period: projected 90% of target" },
        { 1001, 8099, CR_TRACK_OFF, CR_TRACK_OFF,
          "run rate at 50% of the period: projected 90% of target",
          "current value at 50% of the period: projected 90% of target" },
        { 2000, 4500, CR_TRACK_OFF, CR_TRACK_OFF,
          "run rate at 50% of the period: projected 45% of target",
          "current value at 50% of the period: projected 50% of target" },
    };
    size_t i;

    add_kpi(s, "referral_sessions", 1, CR_TARGET_ABSOLUTE, 0);
    add_kpi(s, "cpl", 1, CR_TARGET_ABSOLUTE, 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s->kpis[0].target = cases[i].sessions_target;
        s->kpis[1].target = cases[i].cpl_target;
        p = progress_at(fx->st, s, day(2027, 7, 20) + 12 * HOUR);
        assert_int_equal(p->nkpis, 2);
        assert_int_equal(p->kpis[0].primary, 1);
        /* % of target is the actual to date: actual / target, target / actual for CPL */
        assert_status(&p->kpis[0], cases[i].sessions_status, cases[i].sessions_target,
                      450 / cases[i].sessions_target, cases[i].sessions_note);
        assert_status(&p->kpis[1], cases[i].cpl_status, cases[i].cpl_target,
                      cases[i].cpl_target / 9000, cases[i].cpl_note);
        cr_campaign_progress_free(p);
    }
    cr_campaign_spec_free(s);
}

static void test_progress__targets_without_a_number(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = july_spec(seed_july(fx->st));
    cr_campaign_progress *p;
    cr_campaign_kpi_spec *k;
    const cr_kpi_progress *kp;

    /* a lift resolved against the baseline: 800 x 1.125 = 900 */
    k = add_kpi(s, "referral_sessions", 1, CR_TARGET_RELATIVE, 0.125);
    k->has_baseline = 1;
    k->baseline = 800;
    /* a lift without a baseline: this cycle measures it */
    add_kpi(s, "session_duration", 1, CR_TARGET_RELATIVE, 0.10);
    /* a primary KPI with a baseline but no target */
    k = add_kpi(s, "bounce_rate", 1, CR_TARGET_NONE, 0);
    k->has_baseline = 1;
    k->baseline = 0.3;
    /* a target on a KPI that cannot be measured yet */
    add_kpi(s, "comment_quality", 0, CR_TARGET_ABSOLUTE, 0.8);
    /* a contextual KPI with a target is tracked too: 300 USD per qualified lead */
    add_kpi(s, "cost_per_qualified_lead", 0, CR_TARGET_ABSOLUTE, 30000);
    p = progress_at(fx->st, s, day(2027, 7, 20));
    kp = find_progress(p, "referral_sessions");
    assert_int_equal(kp->status, CR_TRACK_ON);
    assert_close(kp->baseline, 800);
    assert_close(kp->target, 900);
    assert_close(kp->pct_of_target, 0.5);
    kp = find_progress(p, "session_duration");
    assert_int_equal(kp->status, CR_TRACK_BENCHMARKING);
    assert_true(isnan(kp->target));
    assert_true(isnan(kp->baseline));
    assert_string_equal(kp->note, "a lift target needs a baseline: run crest baseline compute, "
                                  "or this cycle measures it");
    assert_close(kp->actual.value, 60);
    kp = find_progress(p, "bounce_rate");
    assert_int_equal(kp->status, CR_TRACK_NO_TARGET);
    assert_close(kp->baseline, 0.3);
    assert_string_equal(kp->note, "no target set");
    kp = find_progress(p, "comment_quality");
    assert_int_equal(kp->status, CR_TRACK_NO_DATA);
    assert_false(kp->actual.available);
    assert_true(isnan(kp->projected));
    assert_string_equal(kp->note, "needs comment classification, which comes with vetting");
    kp = find_progress(p, "cost_per_qualified_lead");
    /* 20 qualified leads: 450000 / 20 = 22500, below (better than) 30000 */
    assert_int_equal(kp->status, CR_TRACK_ON);
    assert_close(kp->actual.value, 22500);
    assert_close(kp->pct_of_target, 30000.0 / 22500.0);
    cr_campaign_progress_free(p);

    /* a benchmarking campaign: primary KPIs without a target measure the baseline */
    s->benchmarking = 1;
    s->kpis[2].has_baseline = 0;
    p = progress_at(fx->st, s, day(2027, 7, 20));
    kp = find_progress(p, "bounce_rate");
    assert_int_equal(kp->status, CR_TRACK_BENCHMARKING);
    assert_string_equal(kp->note, "benchmarking: this cycle's result becomes the next baseline");
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(s);
}

static void test_progress__not_started(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = july_spec(seed_july(fx->st));
    cr_campaign_progress *p;

    add_kpi(s, "referral_sessions", 1, CR_TARGET_ABSOLUTE, 900);
    add_kpi(s, "cpl", 1, CR_TARGET_ABSOLUTE, 9000);
    p = progress_at(fx->st, s, day(2027, 6, 15) + 12 * HOUR);
    assert_true(p->elapsed == 0);
    assert_int_equal(p->as_of, day(2027, 6, 15));
    assert_int_equal(p->inputs.sessions, 0); /* nothing is read before the start */
    assert_int_equal(p->nkpis, 2);
    assert_int_equal(p->kpis[0].status, CR_TRACK_NOT_STARTED);
    assert_string_equal(p->kpis[0].note, "the campaign has not started");
    assert_close(p->kpis[0].target, 900);
    assert_true(isnan(p->kpis[0].pct_of_target));
    assert_int_equal(p->kpis[1].status, CR_TRACK_NOT_STARTED);
    cr_campaign_progress_free(p);
    /* the day before the start, late in the evening: still not started */
    p = progress_at(fx->st, s, day(2027, 6, 30) + 23 * HOUR);
    assert_int_equal(p->kpis[0].status, CR_TRACK_NOT_STARTED);
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(s);
}

static void test_progress__errors_and_names(void **state)
{
    fixture *fx = *state;
    cr_campaign_spec *s = july_spec(0);
    cr_campaign_progress *p = (cr_campaign_progress *)(uintptr_t)1;

    assert_int_equal(cr_campaign_progress_compute(&p, fx->st, s, day(2027, 7, 20)), CR_EINVALID);
    assert_null(p);
    assert_string_equal(cr_error_last()->message,
                        "campaign 'Acme July' is not in the store: create it first");
    s->id = 1;
    s->start = 0;
    assert_int_equal(cr_campaign_progress_compute(&p, fx->st, s, day(2027, 7, 20)), CR_EINVALID);
    assert_string_equal(cr_error_last()->message, "campaign 'Acme July' has no valid period");
    s->start = day(2027, 9, 1);
    assert_int_equal(cr_campaign_progress_compute(&p, fx->st, s, day(2027, 7, 20)), CR_EINVALID);
    cr_campaign_spec_free(s);
    cr_campaign_progress_free(NULL);

    assert_string_equal(cr_track_status_name(CR_TRACK_NO_DATA), "no-data");
    assert_string_equal(cr_track_status_name(CR_TRACK_ON), "on-track");
    assert_string_equal(cr_track_status_name(CR_TRACK_AT_RISK), "at-risk");
    assert_string_equal(cr_track_status_name(CR_TRACK_OFF), "off-track");
    assert_string_equal(cr_track_status_name(CR_TRACK_BENCHMARKING), "benchmarking");
    assert_string_equal(cr_track_status_name(CR_TRACK_NO_TARGET), "no-target");
    assert_string_equal(cr_track_status_name(CR_TRACK_NOT_STARTED), "not-started");
    assert_string_equal(cr_track_status_name((cr_track_status)42), "?");
}

/* ---- baselines -------------------------------------------------------------------------- */

typedef struct {
    int n;
    struct {
        char code[32];
        int filled;
        double value;
        char source[160], note[300];
    } r[MAX_RESULTS];
} results;

static cr_err collect(const cr_baseline_result *r, void *payload)
{
    results *rs = payload;

    if (rs->n < MAX_RESULTS) {
        snprintf(rs->r[rs->n].code, sizeof(rs->r[rs->n].code), "%s", r->code);
        rs->r[rs->n].filled = r->filled;
        rs->r[rs->n].value = r->value;
        snprintf(rs->r[rs->n].source, sizeof(rs->r[rs->n].source), "%s", r->source);
        snprintf(rs->r[rs->n].note, sizeof(rs->r[rs->n].note), "%s", r->note);
    }
    rs->n++;
    return CR_OK;
}

static int result_index(const results *rs, const char *code)
{
    int i;

    for (i = 0; i < rs->n && i < MAX_RESULTS; i++)
        if (strcmp(rs->r[i].code, code) == 0)
            return i;
    fail_msg("no baseline result for %s", code);
    return -1;
}

static void assert_filled(const results *rs, const char *code, double value, const char *source)
{
    int i = result_index(rs, code);

    if (!rs->r[i].filled)
        fail_msg("%s: not filled: %s", code, rs->r[i].note);
    assert_close(rs->r[i].value, value);
    assert_string_equal(rs->r[i].source, source);
    assert_string_equal(rs->r[i].note, "");
}

static void assert_not_filled(const results *rs, const char *code, const char *note)
{
    int i = result_index(rs, code);

    if (rs->r[i].filled)
        fail_msg("%s: filled with %g from %s", code, rs->r[i].value, rs->r[i].source);
    assert_string_equal(rs->r[i].note, note);
}

static void store_kpi(cr_store *st,
                      int64_t campaign,
                      const char *code,
                      const char *role,
                      double target,
                      int relative,
                      double baseline,
                      const char *period)
{
    cr_campaign_kpi k;

    memset(&k, 0, sizeof(k));
    k.campaign_id = campaign;
    k.code = code;
    k.role = role;
    k.target = target;
    k.target_relative = relative;
    k.baseline = baseline;
    k.baseline_period = period;
    assert_int_equal(cr_store_campaign_kpi_upsert(st, &k), CR_OK);
}

static const cr_campaign_kpi_spec *spec_kpi(const cr_campaign_spec *s, const char *code)
{
    size_t i;

    for (i = 0; i < s->nkpis; i++)
        if (strcmp(s->kpis[i].code, code) == 0)
            return &s->kpis[i];
    fail_msg("no KPI %s", code);
    return NULL;
}

/* June 2027 (30 days) of brand Acme: a spring campaign's link maya_spring had 600 sessions,
 * 420 engaged, 36000 s (one May day of 999 is outside June). For the 40-day July campaign
 * the sum is scaled: 600 x 40 / 30 = 800; the ratios are not: 60 s, bounce 0.3. */
static void test_progress__baseline_from_period(void **state)
{
    fixture *fx = *state;
    int64_t c = seed_july(fx->st), maya, spring;
    cr_campaign_spec *s = NULL;
    cr_campaign_progress *p;
    results rs;

    assert_int_equal(cr_store_creator_find(&maya, fx->st, "instagram", "maya.runs"), CR_OK);
    spring = add_campaign(fx->st, "Acme spring", "Acme", day(2027, 4, 1), day(2027, 6, 30), 0);
    add_partnership(fx->st, spring, maya, 100000, 0, "MAYASPRING", "maya_spring");
    add_sessions(fx->st, day(2027, 6, 10), "maya_spring", 300, 200, 18000);
    add_sessions(fx->st, day(2027, 6, 20), "maya_spring", 300, 220, 18000);
    add_sessions(fx->st, day(2027, 5, 20), "maya_spring", 999, 0, 999);
    assert_int_equal(cr_store_track_refresh(fx->st, 0), CR_OK);

    store_kpi(fx->st, c, "referral_sessions", "primary", 0.25, 1, NAN, "2027-06");
    store_kpi(fx->st, c, "session_duration", "primary", 60, 0, NAN, "2027-06");
    store_kpi(fx->st, c, "bounce_rate", "contextual", NAN, 0, NAN, "2027-06");
    store_kpi(fx->st, c, "form_completions", "contextual", NAN, 0, NAN, "2026-12");
    store_kpi(fx->st, c, "engagement_rate", "contextual", NAN, 0, NAN, "June");
    store_kpi(fx->st, c, "ctr", "contextual", NAN, 0, NAN, NULL);
    store_kpi(fx->st, c, "cpl", "contextual", NAN, 0, 7000, NULL);

    memset(&rs, 0, sizeof(rs));
    if (cr_baseline_compute(fx->st, c, collect, &rs) != CR_OK)
        fail_msg("baseline compute: %s", cr_error_last() ? cr_error_last()->message : "?");
    assert_int_equal(rs.n, 6); /* cpl's hand-given baseline stays, unreported */
    assert_filled(&rs, "referral_sessions", 800,
                  "2027-06 (history of Acme), scaled from 30 to 40 days");
    assert_filled(&rs, "session_duration", 60, "2027-06 (history of Acme)");
    assert_filled(&rs, "bounce_rate", 0.3, "2027-06 (history of Acme)");
    assert_not_filled(&rs, "form_completions",
                      "the store has no Form completions data for 2026-12: import it, or keep "
                      "this cycle as benchmarking");
    assert_not_filled(&rs, "engagement_rate", "unreadable baseline period");
    assert_not_filled(&rs, "ctr",
                      "no baseline period and no ended benchmarking campaign of the brand: this "
                      "cycle is the benchmarking period");

    /* stored: the filled ones with their targets and periods kept */
    assert_int_equal(cr_campaign_load(&s, fx->st, c), CR_OK);
    assert_int_equal(spec_kpi(s, "referral_sessions")->has_baseline, 1);
    assert_close(spec_kpi(s, "referral_sessions")->baseline, 800);
    assert_int_equal(spec_kpi(s, "referral_sessions")->target_kind, CR_TARGET_RELATIVE);
    assert_close(spec_kpi(s, "referral_sessions")->target, 0.25);
    assert_string_equal(spec_kpi(s, "referral_sessions")->baseline_period, "2027-06");
    assert_int_equal(spec_kpi(s, "referral_sessions")->primary, 1);
    assert_close(spec_kpi(s, "session_duration")->baseline, 60);
    assert_int_equal(spec_kpi(s, "session_duration")->target_kind, CR_TARGET_ABSOLUTE);
    assert_close(spec_kpi(s, "bounce_rate")->baseline, 0.3);
    assert_int_equal(spec_kpi(s, "form_completions")->has_baseline, 0);
    assert_int_equal(spec_kpi(s, "ctr")->has_baseline, 0);
    assert_close(spec_kpi(s, "cpl")->baseline, 7000);

    /* and progress now resolves the lift: 800 x 1.25 = 1000; 900 projected is 90% of it */
    p = progress_at(fx->st, s, day(2027, 7, 20));
    assert_int_equal(find_progress(p, "referral_sessions")->status, CR_TRACK_AT_RISK);
    assert_close(find_progress(p, "referral_sessions")->target, 1000);
    assert_int_equal(find_progress(p, "session_duration")->status, CR_TRACK_ON);
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(s);
}

/* Brand Bolt has two ended benchmarking campaigns (January and March 2025), a later regular
 * one, and one still to come; brand Zed has its own. The last ended benchmarking campaign of
 * the same brand, March, gives the baselines: 620 sessions, 434 engaged (bounce 0.3). */
static void test_progress__baseline_from_benchmarking_campaign(void **state)
{
    fixture *fx = *state;
    int64_t leo = add_creator(fx->st, "tiktok", "leo.cooks");
    int64_t jan =
        add_campaign(fx->st, "Bolt bench Jan", "Bolt", day(2025, 1, 1), day(2025, 1, 31), 1);
    int64_t mar =
        add_campaign(fx->st, "Bolt bench Mar", "Bolt", day(2025, 3, 1), day(2025, 3, 31), 1);
    int64_t may =
        add_campaign(fx->st, "Bolt regular May", "Bolt", day(2025, 5, 1), day(2025, 5, 31), 0);
    int64_t zed =
        add_campaign(fx->st, "Zed bench Apr", "Zed", day(2025, 4, 1), day(2025, 4, 30), 1);
    int64_t late =
        add_campaign(fx->st, "Bolt late bench", "Bolt", day(2027, 8, 1), day(2027, 8, 31), 1);
    int64_t main_id =
        add_campaign(fx->st, "Bolt main", "bolt", day(2027, 7, 1), day(2027, 7, 31), 0);
    cr_campaign_spec *s = NULL;
    results rs;

    add_partnership(fx->st, jan, leo, 50000, 0, NULL, "leo_jan");
    add_partnership(fx->st, mar, leo, 50000, 0, NULL, "leo_mar");
    add_partnership(fx->st, may, leo, 50000, 0, NULL, "leo_may");
    add_partnership(fx->st, zed, leo, 50000, 0, NULL, "leo_zed");
    add_partnership(fx->st, late, leo, 50000, 0, NULL, "leo_late");
    add_partnership(fx->st, main_id, leo, 50000, 0, NULL, "leo_main");
    add_sessions(fx->st, day(2025, 1, 10), "leo_jan", 310, 100, 3100);
    add_sessions(fx->st, day(2025, 3, 10), "leo_mar", 620, 434, 37200);
    add_sessions(fx->st, day(2025, 5, 10), "leo_may", 9999, 9999, 9999);
    add_sessions(fx->st, day(2025, 4, 10), "leo_zed", 5, 5, 5);
    assert_int_equal(cr_store_track_refresh(fx->st, 0), CR_OK);

    store_kpi(fx->st, main_id, "referral_sessions", "primary", 0.2, 1, NAN, NULL);
    store_kpi(fx->st, main_id, "bounce_rate", "primary", 0.25, 0, NAN, NULL);
    store_kpi(fx->st, main_id, "ctr", "contextual", NAN, 0, NAN, NULL);

    memset(&rs, 0, sizeof(rs));
    if (cr_baseline_compute(fx->st, main_id, collect, &rs) != CR_OK)
        fail_msg("baseline compute: %s", cr_error_last() ? cr_error_last()->message : "?");
    assert_int_equal(rs.n, 3);
    assert_filled(&rs, "referral_sessions", 620, "benchmarking campaign 'Bolt bench Mar'");
    assert_filled(&rs, "bounce_rate", 0.3, "benchmarking campaign 'Bolt bench Mar'");
    assert_not_filled(&rs, "ctr",
                      "'Bolt bench Mar' measured no Click-through rate (no impressions recorded)");
    assert_string_equal(rs.r[result_index(&rs, "ctr")].source,
                        "benchmarking campaign 'Bolt bench Mar'");

    assert_int_equal(cr_campaign_load(&s, fx->st, main_id), CR_OK);
    assert_close(spec_kpi(s, "referral_sessions")->baseline, 620);
    assert_int_equal(spec_kpi(s, "referral_sessions")->target_kind, CR_TARGET_RELATIVE);
    assert_close(spec_kpi(s, "referral_sessions")->target, 0.2);
    assert_close(spec_kpi(s, "bounce_rate")->baseline, 0.3);
    assert_int_equal(spec_kpi(s, "ctr")->has_baseline, 0);
    cr_campaign_spec_free(s);

    /* the benchmarking campaign itself has no earlier one of its own */
    memset(&rs, 0, sizeof(rs));
    store_kpi(fx->st, jan, "referral_sessions", "primary", NAN, 0, NAN, NULL);
    assert_int_equal(cr_baseline_compute(fx->st, jan, collect, &rs), CR_OK);
    assert_int_equal(rs.n, 1);
    assert_not_filled(&rs, "referral_sessions",
                      "no baseline period and no ended benchmarking campaign of the brand: this "
                      "cycle is the benchmarking period");

    assert_int_equal(cr_baseline_compute(fx->st, 9999, collect, &rs), CR_ENOTFOUND);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_progress__inputs_and_actuals),
        T(test_progress__elapsed_and_projection),
        T(test_progress__status_thresholds),
        T(test_progress__targets_without_a_number),
        T(test_progress__not_started),
        T(test_progress__errors_and_names),
        T(test_progress__baseline_from_period),
        T(test_progress__baseline_from_benchmarking_campaign),
    };
#undef T

    return cmocka_run_group_tests_name("goals.progress", tests, NULL, NULL);
}
