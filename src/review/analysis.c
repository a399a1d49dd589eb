/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * analysis.c - the evidence panel and the scorecard. The evidence panel puts in front of a
 * reviewer what the partner did over the last periods (the partner's review cycles, or
 * calendar months while it has fewer than two): KPIs from the post rollups of tracking per
 * period, against the targets of its campaigns, each with the OLS slope per period and its
 * 95% t-interval; the top and bottom posts by engagement rate; the previous review and growth
 * plan (against recency bias). The scorecard accumulates a partner's reviews across cycles
 * on four dimensions (storytelling, production discipline, compliance, KPI delivery) with
 * trend arrows from the slope's 90% interval; for the cohort of the latest cycle it shows the
 * rating distribution and a nine-box (performance x potential). Growth plans come with their
 * milestones, overdue alerts and the incentives that became due. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY            86400
#define MAX_PERIODS    24
#define TREND_EVIDENCE 0.95
#define TREND_SCORE    0.90

typedef struct {
    char label[64];
    int64_t start, end; /* end inclusive (a day) */
} period;

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *date_s(int64_t t)
{
    char buf[16];

    return json_string(cr_fmt_date(buf, sizeof(buf), t));
}

static json_t *trend_json(const cr_review__trend *t, double level)
{
    return json_pack("{s:o,s:o,s:o,s:f,s:I,s:s}", "slope", num(t->slope), "low", num(t->low),
                     "high", num(t->high), "level", level, "points", (json_int_t)t->n, "arrow",
                     cr_review__arrow(t));
}

/* The month holding day t, and the ones before it. */
static size_t months(period *p, size_t n, int64_t t)
{
    int y, m, d;
    size_t i;

    cr_civil_from_days(t / DAY, &y, &m, &d);
    for (i = 0; i < n; i++) {
        int mm = m - (int)(n - 1 - i), yy = y;
        while (mm < 1) {
            mm += 12;
            yy--;
        }
        snprintf(p[i].label, sizeof(p[i].label), "%04d-%02d", yy, mm);
        p[i].start = cr_days_from_civil(yy, mm, 1) * DAY;
        p[i].end =
            (mm == 12 ? cr_days_from_civil(yy + 1, 1, 1) : cr_days_from_civil(yy, mm + 1, 1)) *
                DAY -
            DAY;
    }
    return n;
}

/* The partner's periods: its cycles (up to n, the latest, that started by as_of), else n
 * calendar months up to as_of. */
static cr_err periods_of(period *p,
                         size_t *np,
                         const char **basis,
                         cr_store *st,
                         int64_t creator,
                         size_t n,
                         int64_t as_of)
{
    cr_value v = v_int(creator);
    json_t *cycles = NULL, *c;
    size_t i, k = 0, total = 0;
    cr_err rc;

    if ((rc = cr_store_review_rows(&cycles, st, CR_RQ_CREATOR_CYCLES, &v, 1)) < 0)
        return rc;
    json_array_foreach(cycles, i, c) if (cr_review__i(c, "period_start") <= as_of) total++;
    json_array_foreach(cycles, i, c)
    {
        if (cr_review__i(c, "period_start") > as_of)
            continue;
        if (total - k > n) {
            total--;
            continue;
        }
        snprintf(p[k].label, sizeof(p[k].label), "%s", cr_review__s(c, "name"));
        p[k].start = cr_review__i(c, "period_start");
        p[k].end = cr_review__i(c, "period_end");
        k++;
    }
    json_decref(cycles);
    if (k >= 2) {
        *np = k;
        *basis = "review cycles";
        return CR_OK;
    }
    *np = months(p, n, as_of);
    *basis = "calendar months (fewer than two review cycles)";
    /* months before the partner's first post say nothing: drop them (keep two) */
    while (*np > 2) {
        cr_value q[3] = { v_int(creator), v_int(p[0].start), v_int(p[0].end + DAY) };
        json_t *row = NULL;
        int64_t posts;
        if ((rc = cr_store_review_row(&row, st, CR_RQ_POSTS_COUNT, q, 3)) < 0)
            return rc;
        posts = cr_review__i(row, "posts");
        json_decref(row);
        if (posts > 0)
            break;
        memmove(p, p + 1, (*np - 1) * sizeof(*p));
        (*np)--;
    }
    return CR_OK;
}

typedef struct {
    const char *code;
    const char *label;
} kpi_def;

static const kpi_def kpis[] = {
    { "posts", "posts" },
    { "reach_per_post", "reach per post" },
    { "engagement_rate", "engagement rate (engagements / reach)" },
    { "ctr", "click-through rate (clicks / impressions)" },
    { "orders", "attributed orders" },
};
#define NKPI (sizeof(kpis) / sizeof(kpis[0]))

static double ratio(const json_t *row, const char *a, const char *b)
{
    json_t *x = json_object_get(row, a), *y = json_object_get(row, b);
    double dy = json_is_number(y) ? json_number_value(y) : 0;

    if (!json_is_number(x) || dy <= 0)
        return NAN;
    return json_number_value(x) / dy;
}

static double kpi_value(const json_t *row, size_t k)
{
    json_t *v;

    switch (k) {
    case 0:
        return (double)cr_review__i(row, "posts");
    case 1:
        return ratio(row, "reach", "posts");
    case 2:
        return ratio(row, "engagements", "reach");
    case 3:
        return ratio(row, "clicks", "impressions");
    default:
        v = json_object_get(row, "orders");
        return json_is_number(v) ? json_number_value(v) : 0;
    }
}

/* The mean absolute target of each KPI over the partner's campaigns (NAN: none). */
static cr_err targets_of(double t[NKPI], cr_store *st, int64_t creator)
{
    cr_value v = v_int(creator);
    json_t *rows = NULL, *r;
    double sum[NKPI];
    size_t cnt[NKPI], i, k;
    cr_err rc;

    memset(sum, 0, sizeof(sum));
    memset(cnt, 0, sizeof(cnt));
    if ((rc = cr_store_review_rows(&rows, st, CR_RQ_TARGETS, &v, 1)) < 0)
        return rc;
    json_array_foreach(rows, i, r)
    {
        /* a relative target (+20%) is absolute against its campaign's baseline */
        double t1 = json_number_value(json_object_get(r, "target")),
               base = json_number_value(json_object_get(r, "baseline"));
        if (cr_review__i(r, "target_relative")) {
            if (!json_is_number(json_object_get(r, "baseline")))
                continue;
            t1 = base * (1 + t1);
        }
        for (k = 0; k < NKPI; k++)
            if (strcmp(kpis[k].code, cr_review__s(r, "code")) == 0 && isfinite(t1)) {
                sum[k] += t1;
                cnt[k]++;
            }
    }
    for (k = 0; k < NKPI; k++)
        t[k] = cnt[k] ? sum[k] / (double)cnt[k] : NAN;
    json_decref(rows);
    return CR_OK;
}

/* KPI values per period: vals[k * np + i]. */
static cr_err kpi_series(
    double *vals, json_t **rows_out, cr_store *st, int64_t creator, const period *p, size_t np)
{
    json_t *rows = json_array(), *row;
    size_t i, k;
    cr_err rc = CR_OK;

    for (i = 0; i < np && rc == CR_OK; i++) {
        cr_value q[3] = { v_int(creator), v_int(p[i].start), v_int(p[i].end + DAY) };
        if ((rc = cr_store_review_row(&row, st, CR_RQ_PERIOD_KPIS, q, 3)) < 0)
            break;
        for (k = 0; k < NKPI; k++)
            vals[k * np + i] = kpi_value(row, k);
        json_object_set_new(row, "period", json_string(p[i].label));
        json_object_set_new(row, "start", date_s(p[i].start));
        json_object_set_new(row, "end", date_s(p[i].end));
        json_array_append_new(rows, row);
    }
    if (rc < 0)
        json_decref(rows);
    else
        *rows_out = rows;
    return rc;
}

/* Top and bottom posts of the window by engagement rate (posts with reach only). */
static cr_err posts_ranked(
    json_t **top, json_t **bottom, cr_store *st, int64_t creator, int64_t start, int64_t end)
{
    cr_value q[3] = { v_int(creator), v_int(start), v_int(end + DAY) };
    json_t *rows = NULL, *r, *ranked = json_array();
    size_t i, n, k;
    cr_err rc;

    *top = json_array();
    *bottom = json_array();
    if ((rc = cr_store_review_rows(&rows, st, CR_RQ_PERIOD_POSTS, q, 3)) < 0)
        goto done;
    json_array_foreach(rows, i, r)
    {
        double er = ratio(r, "engagements", "reach");
        if (!isfinite(er))
            continue;
        json_object_set_new(r, "engagement_rate", json_real(er));
        json_object_set_new(r, "posted_at", date_s(cr_review__i(r, "posted_at")));
        /* insertion into the ranking, best first; ties by the older post */
        n = json_array_size(ranked);
        for (k = 0; k < n; k++)
            if (er > json_real_value(json_object_get(json_array_get(ranked, k), "engagement_rate")))
                break;
        json_array_insert(ranked, k, r);
    }
    n = json_array_size(ranked);
    for (k = 0; k < n && k < 3; k++)
        json_array_append(*top, json_array_get(ranked, k));
    for (k = n; k > 3 && k > n - 3; k--)
        json_array_append(*bottom, json_array_get(ranked, k - 1));
done:
    json_decref(rows);
    json_decref(ranked);
    return rc;
}

/* Mean score per criterion and overall of one cycle's reviews of the partner. */
static json_t *cycle_means(const json_t *scores, int64_t cycle_id)
{
    json_t *by = json_object(), *s, *cur;
    double sum = 0;
    size_t i, n = 0;
    const char *key;

    json_array_foreach(scores, i, s)
    {
        double v;
        if (cr_review__i(s, "cycle_id") != cycle_id)
            continue;
        v = (double)cr_review__i(s, "score");
        cur = json_object_get(by, cr_review__s(s, "criterion"));
        if (cur == NULL) {
            cur = json_pack("{s:f,s:i}", "sum", 0.0, "n", 0);
            json_object_set_new(by, cr_review__s(s, "criterion"), cur);
        }
        json_object_set_new(cur, "sum",
                            json_real(json_real_value(json_object_get(cur, "sum")) + v));
        json_object_set_new(cur, "n",
                            json_integer(json_integer_value(json_object_get(cur, "n")) + 1));
        sum += v;
        n++;
    }
    json_object_foreach(by, key, cur)
    {
        (void)key;
        json_object_set_new(cur, "mean",
                            json_real(json_real_value(json_object_get(cur, "sum")) /
                                      (double)json_integer_value(json_object_get(cur, "n"))));
        json_object_del(cur, "sum");
    }
    return json_pack("{s:o,s:o}", "criteria", by, "mean",
                     n ? json_real(sum / (double)n) : json_null());
}

/* ---- the ratings preview ------------------------------------------------------------------ */

/* What a reviewer (viewer not NULL) may see of a partner's reviews: a cycle's once it was
 * released, or once he reviewed the partner in that cycle himself; the other rows of scores
 * (cycle_id, reviewer, ... of CR_RQ_CREATOR_SCORES) are removed. */
static void preview_scores(json_t *scores, const json_t *cycles, const char *viewer)
{
    size_t i, k;
    json_t *s, *c;

    if (viewer == NULL)
        return;
    for (i = json_array_size(scores); i > 0; i--) {
        int64_t cid = cr_review__i(json_array_get(scores, i - 1), "cycle_id");
        int ok = 0;
        json_array_foreach(cycles, k, c) if (cr_review__i(c, "id") == cid &&
                                             !json_is_null(json_object_get(c, "released_at"))) ok =
            1;
        json_array_foreach(scores, k, s) if (cr_review__i(s, "cycle_id") == cid &&
                                             strcmp(cr_review__s(s, "reviewer"), viewer) == 0) ok =
            1;
        if (!ok)
            json_array_remove(scores, i - 1);
    }
}

/* The same for one cycle's reviews (CR_RQ_REVIEWS) and scores (CR_RQ_SCORES), with the
 * partners' release (CR_RQ_PARTNERS). */
static void
preview_cycle(json_t *reviews, json_t *scores, const json_t *partners, const char *viewer)
{
    size_t i, k;
    json_t *r, *p;

    if (viewer == NULL)
        return;
    for (i = json_array_size(reviews); i > 0; i--) {
        int64_t creator = cr_review__i(json_array_get(reviews, i - 1), "creator_id");
        int ok = 0;
        json_array_foreach(partners, k, p) if (cr_review__i(p, "creator_id") == creator &&
                                               !json_is_null(json_object_get(p, "released_at")))
            ok = 1;
        json_array_foreach(reviews, k, r) if (cr_review__i(r, "creator_id") == creator &&
                                              strcmp(cr_review__s(r, "reviewer"), viewer) == 0) ok =
            1;
        if (!ok)
            json_array_remove(reviews, i - 1);
    }
    for (i = json_array_size(scores); i > 0; i--) {
        int64_t rid = cr_review__i(json_array_get(scores, i - 1), "review_id");
        int ok = 0;
        json_array_foreach(reviews, k, r) if (cr_review__i(r, "id") == rid) ok = 1;
        if (!ok)
            json_array_remove(scores, i - 1);
    }
}

/* The milestones with what is overdue and which incentives are due. */
static json_t *plans_json(const json_t *plans, const json_t *miles, int64_t as_of)
{
    json_t *out = json_array(), *p, *m;
    size_t i, k;

    json_array_foreach(plans, i, p)
    {
        json_t *po = json_deep_copy(p), *ml = json_array();
        json_object_set_new(po, "created_at", date_s(cr_review__i(p, "created_at")));
        json_array_foreach(miles, k, m)
        {
            json_t *mo;
            const char *status = cr_review__s(m, "status");
            int overdue = strcmp(status, "open") == 0 && cr_review__i(m, "due_date") < as_of;
            int has_incentive = !json_is_null(json_object_get(m, "incentive"));
            if (cr_review__i(m, "plan_id") != cr_review__i(p, "id"))
                continue;
            mo = json_deep_copy(m);
            json_object_set_new(mo, "due", date_s(cr_review__i(m, "due_date")));
            json_object_del(mo, "due_date");
            if (json_is_integer(json_object_get(m, "met_at")))
                json_object_set_new(mo, "met_at", date_s(cr_review__i(m, "met_at")));
            json_object_set_new(mo, "overdue", json_boolean(overdue));
            json_object_set_new(mo, "incentive_due",
                                json_boolean(has_incentive && strcmp(status, "met") == 0));
            json_array_append_new(ml, mo);
        }
        json_object_set_new(po, "milestones", ml);
        json_array_append_new(out, po);
    }
    return out;
}

static cr_err plans_of(json_t **out, cr_store *st, int64_t creator, int64_t as_of)
{
    cr_value v = v_int(creator);
    json_t *plans = NULL, *miles = NULL;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_store_review_rows(&plans, st, CR_RQ_PLANS, &v, 1)) == CR_OK &&
        (rc = cr_store_review_rows(&miles, st, CR_RQ_MILESTONES, &v, 1)) == CR_OK)
        *out = plans_json(plans, miles, as_of);
    json_decref(plans);
    json_decref(miles);
    return rc;
}

cr_err cr_review_evidence_json(
    char **out, cr_store *st, int64_t creator, int cycles, int64_t as_of, const char *viewer)
{
    period p[MAX_PERIODS];
    size_t np = 0, i, k;
    const char *basis = "";
    double vals[NKPI * MAX_PERIODS], targets[NKPI];
    json_t *rows = NULL, *o = NULL, *trends, *top = NULL, *bottom = NULL, *scores = NULL,
           *cyc = NULL, *prev = json_null(), *plans = NULL, *c;
    char handle[160];
    cr_value v = v_int(creator);
    cr_err rc;

    *out = NULL;
    if (cycles < 2)
        cycles = 2;
    if (cycles > MAX_PERIODS)
        cycles = MAX_PERIODS;
    if (as_of <= 0)
        as_of = cr_now() / DAY * DAY;
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator)) < 0 ||
        (rc = periods_of(p, &np, &basis, st, creator, (size_t)cycles, as_of)) < 0 ||
        (rc = targets_of(targets, st, creator)) < 0 ||
        (rc = kpi_series(vals, &rows, st, creator, p, np)) < 0 ||
        (rc = posts_ranked(&top, &bottom, st, creator, p[0].start, p[np - 1].end)) < 0 ||
        (rc = cr_store_review_rows(&scores, st, CR_RQ_CREATOR_SCORES, &v, 1)) < 0 ||
        (rc = cr_store_review_rows(&cyc, st, CR_RQ_CREATOR_CYCLES, &v, 1)) < 0 ||
        (rc = plans_of(&plans, st, creator, as_of)) < 0)
        goto done;
    preview_scores(scores, cyc, viewer);
    trends = json_array();
    for (k = 0; k < NKPI; k++) {
        cr_review__trend t;
        json_t *series = json_array();
        double last = vals[k * np + np - 1];
        cr_review__ols(&t, &vals[k * np], np, TREND_EVIDENCE);
        for (i = 0; i < np; i++)
            json_array_append_new(series, num(vals[k * np + i]));
        json_array_append_new(
            trends,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "kpi", kpis[k].code, "label", kpis[k].label,
                      "values", series, "target", num(targets[k]), "latest_vs_target",
                      num(isfinite(targets[k]) && targets[k] > 0 ? last / targets[k] : NAN),
                      "trend", trend_json(&t, TREND_EVIDENCE)));
    }
    /* the previous review: the latest cycle with reviews of this partner */
    for (i = json_array_size(cyc); i > 0; i--) {
        json_t *m;
        c = json_array_get(cyc, i - 1);
        m = cycle_means(scores, cr_review__i(c, "id"));
        if (!json_is_null(json_object_get(m, "mean"))) {
            json_decref(prev);
            prev = json_pack("{s:s,s:s,s:o}", "cycle", cr_review__s(c, "name"), "kind",
                             cr_review__s(c, "kind"), "scores", m);
            break;
        }
        json_decref(m);
    }
    o = json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "creator_id", (json_int_t)creator,
                  "partner", handle, "as_of", date_s(as_of), "periods_basis", basis, "periods",
                  rows, "kpis", trends, "top_posts", top, "bottom_posts", bottom, "previous_review",
                  prev, "growth_plans", plans);
    rows = top = bottom = plans = NULL;
    prev = NULL;
done:
    json_decref(rows);
    json_decref(top);
    json_decref(bottom);
    json_decref(scores);
    json_decref(cyc);
    json_decref(prev);
    json_decref(plans);
    if (rc < 0)
        return rc;
    return cr_review__dump(out, o);
}

/* ---- the scorecard ------------------------------------------------------------------------ */

static const char *const dims[] = { "storytelling", "production_discipline", "compliance" };
#define NDIM 3

/* Mean score of a cycle's reviews of a partner on the criteria of one dimension. */
static double dim_mean(const json_t *scores,
                       int64_t cycle_id,
                       int64_t creator,
                       const cr_review__rubric *rb,
                       const char *dim)
{
    double sum = 0;
    size_t i, n = 0;
    json_t *s;

    json_array_foreach(scores, i, s)
    {
        const cr_review__criterion *c;
        if (cr_review__i(s, "cycle_id") != cycle_id || cr_review__i(s, "creator_id") != creator)
            continue;
        c = cr_review__criterion_find(rb, cr_review__s(s, "criterion"));
        if (dim == NULL || (c && strcmp(c->dimension, dim) == 0)) {
            sum += (double)cr_review__i(s, "score");
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

/* KPI delivery of a period: the mean of actual / target over the KPIs with a target. */
static double delivery(cr_store *st,
                       int64_t creator,
                       const double targets[NKPI],
                       int64_t start,
                       int64_t end,
                       cr_err *rc)
{
    cr_value q[3] = { v_int(creator), v_int(start), v_int(end + DAY) };
    json_t *row = NULL;
    double sum = 0;
    size_t k, n = 0;

    if ((*rc = cr_store_review_row(&row, st, CR_RQ_PERIOD_KPIS, q, 3)) < 0)
        return NAN;
    for (k = 0; k < NKPI; k++) {
        double v = kpi_value(row, k);
        if (isfinite(targets[k]) && targets[k] > 0 && isfinite(v)) {
            sum += v / targets[k];
            n++;
        }
    }
    json_decref(row);
    return n ? sum / (double)n : NAN;
}

static cr_err
partner_card(json_t **out, cr_store *st, int64_t creator, int64_t as_of, const char *viewer)
{
    cr_review__rubric *rb = cr_calloc(1, sizeof(*rb));
    json_t *cycles = NULL, *scores = NULL, *plans = NULL, *rows = json_array(), *c, *o = NULL,
           *tr = json_object();
    double series[NDIM + 2][MAX_PERIODS], targets[NKPI];
    cr_value v = v_int(creator);
    char handle[160];
    size_t i, k, n = 0, nc;
    cr_err rc;

    *out = NULL;
    if (rb == NULL)
        return cr_error_oom();
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator)) < 0 ||
        (rc = cr_store_review_rows(&cycles, st, CR_RQ_CREATOR_CYCLES, &v, 1)) < 0 ||
        (rc = cr_store_review_rows(&scores, st, CR_RQ_CREATOR_SCORES, &v, 1)) < 0 ||
        (rc = targets_of(targets, st, creator)) < 0 ||
        (rc = plans_of(&plans, st, creator, as_of)) < 0)
        goto done;
    preview_scores(scores, cycles, viewer);
    nc = json_array_size(cycles);
    json_array_foreach(cycles, i, c)
    {
        int64_t cid = cr_review__i(c, "id");
        json_t *row;
        if (nc - i > MAX_PERIODS)
            continue;
        if ((rc = cr_review__rubric_load(rb, st, cr_review__s(c, "rubric_name"),
                                         (int)cr_review__i(c, "rubric_version"))) < 0)
            goto done;
        for (k = 0; k < NDIM; k++)
            series[k][n] = dim_mean(scores, cid, creator, rb, dims[k]);
        series[NDIM][n] = delivery(st, creator, targets, cr_review__i(c, "period_start"),
                                   cr_review__i(c, "period_end"), &rc);
        if (rc < 0)
            goto done;
        series[NDIM + 1][n] = dim_mean(scores, cid, creator, rb, NULL);
        row = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "cycle", cr_review__s(c, "name"),
                        "kind", cr_review__s(c, "kind"), "period_end",
                        date_s(cr_review__i(c, "period_end")), "storytelling", num(series[0][n]),
                        "production_discipline", num(series[1][n]), "compliance", num(series[2][n]),
                        "kpi_delivery", num(series[3][n]), "overall", num(series[4][n]), "released",
                        json_boolean(!json_is_null(json_object_get(c, "released_at"))));
        json_array_append_new(rows, row);
        n++;
    }
    for (k = 0; k < NDIM + 2; k++) {
        cr_review__trend t;
        static const char *const names[] = { "storytelling", "production_discipline", "compliance",
                                             "kpi_delivery", "overall" };
        cr_review__ols(&t, series[k], n, TREND_SCORE);
        json_object_set_new(tr, names[k], trend_json(&t, TREND_SCORE));
    }
    o = json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "creator_id", (json_int_t)creator, "partner", handle,
                  "as_of", date_s(as_of), "cycles", rows, "trends", tr, "growth_plans", plans);
    rows = tr = plans = NULL;
    *out = o;
done:
    json_decref(cycles);
    json_decref(scores);
    json_decref(plans);
    json_decref(rows);
    json_decref(tr);
    cr_free(rb);
    return rc;
}

static const char *band(double v, double lo, double hi)
{
    return !isfinite(v) ? "unknown" : v < lo ? "low" : v < hi ? "medium" : "high";
}

static cr_err cohort_card(json_t **out, cr_store *st, int64_t as_of, const char *viewer)
{
    json_t *cycles = NULL, *partners = NULL, *reviews = NULL, *scores = NULL, *miles = NULL,
           *plans = NULL, *rows = json_array(), *dist = json_object(), *box = json_object(),
           *alerts = json_array(), *due = json_array(), *latest = NULL, *p, *r, *m;
    cr_value v;
    size_t i, k, count[CR_REVIEW_LEVELS + 1];
    cr_err rc;

    *out = NULL;
    memset(count, 0, sizeof(count));
    if ((rc = cr_store_review_rows(&cycles, st, CR_RQ_CYCLES, NULL, 0)) < 0)
        goto done;
    /* the cohort: the partners of the latest cycle that has reviews */
    for (i = json_array_size(cycles); i > 0 && latest == NULL; i--)
        if (cr_review__i(json_array_get(cycles, i - 1), "reviews") > 0)
            latest = json_array_get(cycles, i - 1);
    v = v_int(0);
    if ((rc = cr_store_review_rows(&miles, st, CR_RQ_MILESTONES, &v, 1)) < 0 ||
        (rc = cr_store_review_rows(&plans, st, CR_RQ_PLANS, &v, 1)) < 0)
        goto done;
    if (latest) {
        v = v_int(cr_review__i(latest, "id"));
        if ((rc = cr_store_review_rows(&partners, st, CR_RQ_PARTNERS, &v, 1)) < 0 ||
            (rc = cr_store_review_rows(&reviews, st, CR_RQ_REVIEWS, &v, 1)) < 0 ||
            (rc = cr_store_review_rows(&scores, st, CR_RQ_SCORES, &v, 1)) < 0)
            goto done;
        preview_cycle(reviews, scores, partners, viewer);
    }
    json_array_foreach(scores, i, r)
    {
        int64_t s = cr_review__i(r, "score");
        if (s >= 1 && s <= CR_REVIEW_LEVELS)
            count[s]++;
    }
    for (k = 1; k <= CR_REVIEW_LEVELS; k++) {
        char key[4];
        snprintf(key, sizeof(key), "%zu", k);
        json_object_set_new(dist, key, json_integer((json_int_t)count[k]));
    }
    json_array_foreach(partners, i, p)
    {
        int64_t creator = cr_review__i(p, "creator_id");
        double sum = 0, pot = 0;
        size_t n = 0, np = 0, j;
        char cell[40], handle[160];
        const char *perf, *potb;
        json_array_foreach(reviews, j, r)
        {
            size_t q;
            json_t *s;
            if (cr_review__i(r, "creator_id") != creator)
                continue;
            if (json_is_integer(json_object_get(r, "potential"))) {
                pot += (double)cr_review__i(r, "potential");
                np++;
            }
            json_array_foreach(scores, q,
                               s) if (cr_review__i(s, "review_id") == cr_review__i(r, "id"))
            {
                sum += (double)cr_review__i(s, "score");
                n++;
            }
        }
        perf = band(n ? sum / (double)n : NAN, 3.0, 4.0);
        potb = band(np ? pot / (double)np : NAN, 1.5, 2.5);
        snprintf(cell, sizeof(cell), "%s/%s", perf, potb);
        snprintf(handle, sizeof(handle), "%s/%s", cr_review__s(p, "platform"),
                 cr_review__s(p, "handle"));
        json_array_append_new(rows, json_pack("{s:I,s:s,s:o,s:o,s:s,s:s,s:s}", "creator_id",
                                              (json_int_t)creator, "partner", handle, "performance",
                                              num(n ? sum / (double)n : NAN), "potential",
                                              num(np ? pot / (double)np : NAN), "performance_band",
                                              perf, "potential_band", potb, "box", cell));
        if (n) {
            json_t *cur = json_object_get(box, cell);
            if (cur == NULL)
                json_object_set_new(box, cell, cur = json_array());
            json_array_append_new(cur, json_string(handle));
        }
    }
    json_array_foreach(miles, i, m)
    {
        const char *status = cr_review__s(m, "status");
        char handle[160];
        json_t *item;
        if ((rc = cr_review__handle(handle, sizeof(handle), st, cr_review__i(m, "creator_id"))) < 0)
            goto done;
        item = json_pack("{s:I,s:s,s:s,s:O,s:o,s:s,s:O,s:O,s:O}", "milestone",
                         (json_int_t)cr_review__i(m, "id"), "partner", handle, "metric",
                         cr_review__s(m, "metric"), "target", json_object_get(m, "target"), "due",
                         date_s(cr_review__i(m, "due_date")), "owner", cr_review__s(m, "owner"),
                         "incentive", json_object_get(m, "incentive"), "incentive_minor",
                         json_object_get(m, "incentive_minor"), "incentive_currency",
                         json_object_get(m, "incentive_currency"));
        if (strcmp(status, "open") == 0 && cr_review__i(m, "due_date") < as_of)
            json_array_append(alerts, item);
        if (strcmp(status, "met") == 0 && !json_is_null(json_object_get(m, "incentive")))
            json_array_append(due, item);
        json_decref(item);
    }
    *out = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "scope", "cohort", "as_of", date_s(as_of),
                     "cycle", latest ? json_string(cr_review__s(latest, "name")) : json_null(),
                     "distribution", dist, "partners", rows, "nine_box", box, "overdue", alerts,
                     "plans", (json_int_t)json_array_size(plans));
    if (*out) {
        json_object_set_new(*out, "incentives_due", due);
        due = NULL;
    }
    rows = dist = box = alerts = NULL;
done:
    json_decref(cycles);
    json_decref(partners);
    json_decref(reviews);
    json_decref(scores);
    json_decref(miles);
    json_decref(plans);
    json_decref(rows);
    json_decref(dist);
    json_decref(box);
    json_decref(alerts);
    json_decref(due);
    if (rc == CR_OK && *out == NULL)
        rc = cr_error_oom();
    return rc;
}

cr_err cr_review_scorecard_json(
    char **out, cr_store *st, int64_t creator, int64_t as_of, const char *viewer)
{
    json_t *o = NULL;
    cr_err rc;

    *out = NULL;
    if (as_of <= 0)
        as_of = cr_now() / DAY * DAY;
    rc = creator > 0 ? partner_card(&o, st, creator, as_of, viewer)
                     : cohort_card(&o, st, as_of, viewer);
    if (rc < 0)
        return rc;
    return cr_review__dump(out, o);
}
