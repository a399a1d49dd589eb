/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * progress.c - a campaign's KPIs against target: actual to date from the store, the target
 * resolved against the baseline, a projection to the end at the current run rate, and a
 * status. Also baselines: computed from the brand's history for a baseline period, or taken
 * from the last benchmarking campaign of the brand once it has ended. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crest/goals.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY 86400

cr_err cr_campaign_inputs(
    cr_kpi_inputs *out, cr_store *st, const cr_campaign_spec *spec, int64_t since, int64_t until)
{
    cr_kpi_scope sc;

    memset(&sc, 0, sizeof(sc));
    sc.kind = CR_SCOPE_CAMPAIGN;
    sc.campaign_id = spec->id;
    sc.brand = spec->brand[0] ? spec->brand : NULL;
    sc.since = since;
    sc.until = until;
    return cr_store_kpi_inputs(out, st, &sc);
}

static cr_err
brand_inputs(cr_kpi_inputs *out, cr_store *st, const char *brand, int64_t since, int64_t until)
{
    cr_kpi_scope sc;

    memset(&sc, 0, sizeof(sc));
    sc.kind = CR_SCOPE_BRAND;
    sc.brand = brand;
    sc.since = since;
    sc.until = until;
    return cr_store_kpi_inputs(out, st, &sc);
}

const char *cr_track_status_name(cr_track_status s)
{
    static const char *const names[] = { "no-data",      "on-track",  "at-risk",    "off-track",
                                         "benchmarking", "no-target", "not-started" };

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static void kpi_progress(cr_kpi_progress *kp,
                         const cr_campaign_kpi_spec *ks,
                         const cr_campaign_spec *spec,
                         const cr_kpi_inputs *in,
                         double elapsed,
                         int started)
{
    const cr_kpi_def *d = kp->def;
    double t = NAN;

    cr_kpi_compute(&kp->actual, d, in);
    kp->primary = ks->primary;
    kp->baseline = ks->has_baseline ? ks->baseline : NAN;
    kp->pct_of_target = NAN;
    kp->projected = NAN;
    if (ks->target_kind == CR_TARGET_ABSOLUTE)
        t = ks->target;
    else if (ks->target_kind == CR_TARGET_RELATIVE && ks->has_baseline)
        t = ks->baseline * (1.0 + ks->target);
    kp->target = t;
    if (kp->actual.available)
        kp->projected =
            d->cumulative && elapsed > 0 ? kp->actual.value / elapsed : kp->actual.value;
    if (!started) {
        kp->status = CR_TRACK_NOT_STARTED;
        snprintf(kp->note, sizeof(kp->note), "the campaign has not started");
        return;
    }
    if (isnan(t)) {
        if (spec->benchmarking ||
            (ks->primary && !ks->has_baseline && ks->target_kind != CR_TARGET_ABSOLUTE)) {
            kp->status = ks->primary ? CR_TRACK_BENCHMARKING : CR_TRACK_NO_TARGET;
            snprintf(kp->note, sizeof(kp->note), "%s",
                     ks->target_kind == CR_TARGET_RELATIVE
                         ? "a lift target needs a baseline: run crest baseline compute, or "
                           "this cycle measures it"
                         : "benchmarking: this cycle's result becomes the next baseline");
        } else {
            kp->status = CR_TRACK_NO_TARGET;
            snprintf(kp->note, sizeof(kp->note), "%s",
                     ks->primary ? "no target set" : "contextual KPI");
        }
        return;
    }
    if (!kp->actual.available) {
        kp->status = CR_TRACK_NO_DATA;
        snprintf(kp->note, sizeof(kp->note), "%s", kp->actual.missing);
        return;
    }
    if (d->direction > 0)
        kp->pct_of_target = t != 0 ? kp->actual.value / t : NAN;
    else
        kp->pct_of_target = kp->actual.value != 0 ? t / kp->actual.value : NAN;
    {
        /* compare the projection with the target in the KPI's own direction */
        double ratio = d->direction > 0 ? (t != 0 ? kp->projected / t : INFINITY)
                                        : (kp->projected != 0 ? t / kp->projected : INFINITY);
        kp->status = ratio >= 1.0 ? CR_TRACK_ON : ratio >= 0.9 ? CR_TRACK_AT_RISK : CR_TRACK_OFF;
        snprintf(kp->note, sizeof(kp->note),
                 "%s at %.0f%% of the period: projected %.0f%% of "
                 "target",
                 d->cumulative ? "run rate" : "current value", elapsed * 100, ratio * 100);
    }
}

cr_err cr_campaign_progress_compute(cr_campaign_progress **out,
                                    cr_store *st,
                                    const cr_campaign_spec *spec,
                                    int64_t as_of)
{
    cr_campaign_progress *p = NULL;
    int64_t until;
    size_t i;
    int started;
    cr_err rc;

    *out = NULL;
    if (spec->id == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "campaign '%s' is not in the store: create it first", spec->name);
    if (spec->start == 0 || spec->end < spec->start)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "campaign '%s' has no valid period",
                            spec->name);
    if ((p = cr_calloc(1, sizeof(*p))) == NULL ||
        (spec->nkpis && (p->kpis = cr_calloc(spec->nkpis, sizeof(*p->kpis))) == NULL)) {
        cr_free(p);
        return cr_error_oom();
    }
    if (as_of == 0)
        as_of = cr_now();
    p->start = spec->start;
    p->end = spec->end;
    until = spec->end + DAY; /* the end day is included */
    if (as_of + DAY < until)
        until = as_of - (as_of % DAY) + DAY; /* through the as-of day */
    p->as_of = until - DAY;
    started = until > spec->start;
    p->elapsed =
        started ? (double)(until - spec->start) / (double)(spec->end + DAY - spec->start) : 0;
    if (started && (rc = cr_campaign_inputs(&p->inputs, st, spec, spec->start, until)) < 0) {
        cr_campaign_progress_free(p);
        return rc;
    }
    for (i = 0; i < spec->nkpis; i++) {
        cr_kpi_progress *kp = &p->kpis[p->nkpis];
        if ((kp->def = cr_kpi_find(spec->kpis[i].code)) == NULL)
            continue;
        kpi_progress(kp, &spec->kpis[i], spec, &p->inputs, p->elapsed, started);
        p->nkpis++;
    }
    *out = p;
    return CR_OK;
}

void cr_campaign_progress_free(cr_campaign_progress *p)
{
    if (p == NULL)
        return;
    cr_free(p->kpis);
    cr_free(p);
}

/* ---- baselines -------------------------------------------------------------------------- */

typedef struct {
    const cr_campaign_spec *self;
    int64_t best_id, best_end;
} bench_search;

static cr_err find_benchmark(const cr_campaign *c, void *payload)
{
    bench_search *b = payload;

    if (c->id == b->self->id || !c->benchmarking || c->brand == NULL ||
        strcasecmp(c->brand, b->self->brand) != 0 || c->end >= b->self->start ||
        c->end + DAY > cr_now())
        return CR_OK;
    if (c->end > b->best_end) {
        b->best_end = c->end;
        b->best_id = c->id;
    }
    return CR_OK;
}

cr_err cr_baseline_compute(cr_store *st, int64_t campaign_id, cr_baseline_cb cb, void *payload)
{
    cr_campaign_spec *spec = NULL, *bench = NULL;
    cr_kpi_inputs in;
    cr_kpi_value v;
    cr_baseline_result r;
    cr_campaign_kpi k;
    bench_search bs;
    int64_t a, b;
    size_t i;
    cr_err rc;

    if ((rc = cr_campaign_load(&spec, st, campaign_id)) < 0)
        return rc;
    memset(&bs, 0, sizeof(bs));
    bs.self = spec;
    if (spec->brand[0] && (rc = cr_store_campaign_list(st, find_benchmark, &bs)) < 0)
        goto done;
    if (bs.best_id && (rc = cr_campaign_load(&bench, st, bs.best_id)) < 0)
        goto done;
    if ((rc = cr_store_begin(st)) < 0)
        goto done;
    for (i = 0; i < spec->nkpis; i++) {
        cr_campaign_kpi_spec *ks = &spec->kpis[i];
        const cr_kpi_def *d = cr_kpi_find(ks->code);
        memset(&r, 0, sizeof(r));
        r.code = ks->code;
        if (d == NULL)
            continue;
        if (ks->baseline_period[0]) {
            if (cr_period_bounds(&a, &b, ks->baseline_period) < 0 || !spec->brand[0]) {
                snprintf(r.note, sizeof(r.note), "%s",
                         spec->brand[0] ? "unreadable baseline period"
                                        : "a baseline from history needs the campaign's brand");
            } else if ((rc = brand_inputs(&in, st, spec->brand, a, b + DAY)) < 0) {
                goto rollback;
            } else {
                cr_kpi_compute(&v, d, &in);
                snprintf(r.source, sizeof(r.source), "%s (history of %s)", ks->baseline_period,
                         spec->brand);
                if (v.available && (in.posts > 0 || in.sessions > 0 || in.leads > 0 ||
                                    in.orders > 0 || in.mentions_brand > 0)) {
                    r.filled = 1;
                    r.value = v.value;
                    /* a sum over a period of another length is scaled to the campaign's */
                    if (d->cumulative && spec->end >= spec->start && b >= a) {
                        double days = (double)(spec->end - spec->start) / DAY + 1;
                        double bdays = (double)(b - a) / DAY + 1;
                        r.value = v.value * days / bdays;
                        snprintf(r.source, sizeof(r.source),
                                 "%s (history of %s), scaled from %.0f to %.0f days",
                                 ks->baseline_period, spec->brand, bdays, days);
                    }
                } else {
                    snprintf(r.note, sizeof(r.note),
                             "the store has no %s data for %s: import it, or keep this cycle "
                             "as benchmarking",
                             d->name, ks->baseline_period);
                }
            }
        } else if (bench != NULL) {
            if ((rc = cr_campaign_inputs(&in, st, bench, bench->start, bench->end + DAY)) < 0)
                goto rollback;
            cr_kpi_compute(&v, d, &in);
            snprintf(r.source, sizeof(r.source), "benchmarking campaign '%s'", bench->name);
            if (v.available) {
                double days = (double)(spec->end - spec->start) / DAY + 1;
                double bdays = (double)(bench->end - bench->start) / DAY + 1;
                r.filled = 1;
                r.value = v.value;
                /* a sum over a cycle of another length is scaled to this campaign's */
                if (d->cumulative && days != bdays && spec->end >= spec->start) {
                    r.value = v.value * days / bdays;
                    snprintf(r.source, sizeof(r.source),
                             "benchmarking campaign '%s', scaled from %.0f to %.0f days",
                             bench->name, bdays, days);
                }
            } else {
                snprintf(r.note, sizeof(r.note), "'%s' measured no %s (%s)", bench->name, d->name,
                         v.missing);
            }
        } else if (!ks->has_baseline) {
            snprintf(r.note, sizeof(r.note),
                     "no baseline period and no ended benchmarking campaign of the brand: this "
                     "cycle is the benchmarking period");
        } else {
            continue; /* a baseline value given by hand stays */
        }
        if (r.filled) {
            memset(&k, 0, sizeof(k));
            k.campaign_id = spec->id;
            k.code = ks->code;
            k.role = ks->primary ? "primary" : "contextual";
            k.target = ks->target_kind == CR_TARGET_NONE ? NAN : ks->target;
            k.target_relative = ks->target_kind == CR_TARGET_RELATIVE;
            k.baseline = r.value;
            k.baseline_period = ks->baseline_period[0] ? ks->baseline_period : NULL;
            if ((rc = cr_store_campaign_kpi_upsert(st, &k)) < 0)
                goto rollback;
        }
        if (cb && (rc = cb(&r, payload)) < 0)
            goto rollback;
    }
    rc = cr_store_commit(st);
    goto done;
rollback:
    cr_store_rollback(st);
done:
    cr_campaign_spec_free(spec);
    cr_campaign_spec_free(bench);
    return rc;
}
