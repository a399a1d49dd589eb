/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * json.c - the report as one JSON object (the CLI's --format json, and the shape the HTTP API
 * can serve). Every KPI carries its raw value, the text the HTML report shows for it
 * ("formatted", from cr_kpi_format), its unit and its definition; money is in minor units. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/track.h"
#include "report/render.h"
#include "util/date.h"

/* json_pack with "o" steals references; a NULL (out of memory) makes the pack fail, which
 * the callers turn into NULL. */
static json_t *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *date_or_null(int64_t t)
{
    char d[32];

    return t > 0 ? json_string(cr_fmt_date(d, sizeof(d), t)) : json_null();
}

static json_t *fmt_or_null(const cr_kpi_def *def, double v, const char *currency)
{
    char buf[96];

    if (isnan(v))
        return json_null();
    return json_string(cr_kpi_format(buf, sizeof(buf), def, v, currency));
}

static json_t *kpi_value(const cr_kpi_value *v, const char *currency)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:s, s:s}", "code", v->def->code,
                     "name", v->def->name, "unit", cr_kpi_unit_name(v->def->unit), "value",
                     v->available ? num_or_null(v->value) : json_null(), "formatted",
                     v->available ? fmt_or_null(v->def, v->value, currency) : json_null(),
                     "available", v->available, "numerator", num_or_null(v->numerator),
                     "denominator", num_or_null(v->denominator), "definition", v->def->definition,
                     "missing", v->available ? "" : v->missing);
}

/* A leaderboard or post row's KPI: its value only (the name, unit, definition and why one
 * is missing are the same for every row: "totals" carries them once). */
static json_t *kpi_short(const cr_kpi_value *v, const char *currency)
{
    return json_pack("{s:s, s:o, s:o}", "code", v->def->code, "value",
                     v->available ? num_or_null(v->value) : json_null(), "formatted",
                     v->available ? fmt_or_null(v->def, v->value, currency) : json_null());
}

/* EMV is in the rate card's currency, every other money KPI in the campaign's. */
static json_t *kpi_list(const cr_report_kpis *k, const cr_report *r, int full)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < k->nkpis; i++) {
        const char *cur = strcmp(k->kpis[i].def->code, "emv") == 0 && r->emv_currency[0]
                              ? r->emv_currency
                              : r->currency;
        if (json_array_append_new(a, full ? kpi_value(&k->kpis[i], cur)
                                          : kpi_short(&k->kpis[i], cur)) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *inputs(const cr_kpi_inputs *in)
{
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
        "s:I, s:I, s:I, s:I, s:I}",
        "days", (json_int_t)in->days, "posts", (json_int_t)in->posts, "impressions",
        (json_int_t)in->impressions, "reach", (json_int_t)in->reach, "views", (json_int_t)in->views,
        "likes", (json_int_t)in->likes, "comments", (json_int_t)in->comments, "shares",
        (json_int_t)in->shares, "saves", (json_int_t)in->saves, "clicks", (json_int_t)in->clicks,
        "watch_seconds", (json_int_t)in->watch_seconds, "sessions", (json_int_t)in->sessions,
        "engaged_sessions", (json_int_t)in->engaged_sessions, "session_seconds",
        (json_int_t)in->session_seconds, "leads", (json_int_t)in->leads, "qualified_leads",
        (json_int_t)in->qualified_leads, "orders", (json_int_t)in->orders, "revenue_minor",
        (json_int_t)in->revenue_minor, "spend_minor", (json_int_t)in->spend_minor);
}

static json_t *progress_kpi(const cr_report_kpi *k, const char *currency)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, "
        "s:s, s:s}",
        "code", k->def->code, "name", k->def->name, "role", k->primary ? "primary" : "contextual",
        "unit", cr_kpi_unit_name(k->def->unit), "value",
        k->actual.available ? num_or_null(k->actual.value) : json_null(), "formatted",
        k->actual.available ? fmt_or_null(k->def, k->actual.value, currency) : json_null(),
        "target", num_or_null(k->target), "target_formatted",
        fmt_or_null(k->def, k->target, currency), "baseline", num_or_null(k->baseline),
        "baseline_formatted", fmt_or_null(k->def, k->baseline, currency), "pct_of_target",
        num_or_null(k->pct_of_target), "projected", num_or_null(k->projected), "status",
        cr_track_status_name(k->status), "definition", k->def->definition, "formula",
        k->def->formula, "note", k->note);
}

static json_t *partner(const cr_report_partner *p, const cr_report *r)
{
    return json_pack(
        "{s:i, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:s, s:o, s:o, s:o}", "rank",
        p->rank, "partnership_id", (json_int_t)p->partnership_id, "creator_id",
        (json_int_t)p->creator_id, "campaign_id", (json_int_t)p->campaign_id, "campaign",
        r->kind == CR_REPORT_CAMPAIGN ? r->campaign->name : p->campaign, "platform", p->platform,
        "handle", p->handle, "tier", p->tier, "followers",
        p->followers >= 0 ? json_integer(p->followers) : json_null(), "posts",
        (json_int_t)p->k.inputs.posts, "fee_minor", (json_int_t)p->fee_minor, "product_cost_minor",
        (json_int_t)p->product_cost_minor, "promo_code", p->promo_code, "emv_minor",
        num_or_null(p->k.emv_minor), "inputs", inputs(&p->k.inputs), "kpis", kpi_list(&p->k, r, 0));
}

static json_t *post(const cr_report_post *p, const cr_report *r)
{
    char d[32];

    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "post_id",
                     (json_int_t)p->post_id, "platform", p->platform, "handle", p->handle, "url",
                     p->url, "external_id", p->external_id, "format", p->format, "posted_at",
                     cr_fmt_datetime(d, sizeof(d), p->posted_at), "emv_minor",
                     num_or_null(p->k.emv_minor), "emv_calculation", p->emv_log, "inputs",
                     inputs(&p->k.inputs), "kpis", kpi_list(&p->k, r, 0));
}

static json_t *day(const cr_report_day *d)
{
    char buf[32];

    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "date",
                     cr_fmt_date(buf, sizeof(buf), d->date), "impressions",
                     (json_int_t)d->impressions, "reach", (json_int_t)d->reach, "engagements",
                     (json_int_t)d->engagements, "clicks", (json_int_t)d->clicks, "sessions",
                     (json_int_t)d->sessions, "leads", (json_int_t)d->leads, "orders",
                     (json_int_t)d->orders, "revenue_minor", (json_int_t)d->revenue_minor);
}

static json_t *source(const cr_report_source *s)
{
    char d[32];

    return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:b}", "kind", s->kind, "file", s->file,
                     "imports", (json_int_t)s->imports, "last_import",
                     s->last_import > 0 ? json_string(cr_fmt_datetime(d, sizeof(d), s->last_import))
                                        : json_null(),
                     "newest_data", date_or_null(s->newest_data), "age_days",
                     num_or_null(s->age_days), "stale", s->stale);
}

/* json_object_set_new() takes the value even when it fails; NULL (out of memory) fails. */
static int put(json_t *o, const char *key, json_t *v)
{
    return v == NULL ? -1 : json_object_set_new(o, key, v);
}

static json_t *steal(json_t **v)
{
    json_t *t = *v;

    *v = NULL;
    return t;
}

/* Append to `arr` what f makes of each of n items; 0 on success. */
#define APPEND_ALL(arr, n, expr)                          \
    do {                                                  \
        size_t i_;                                        \
        for (i_ = 0; (arr) && i_ < (n); i_++) {           \
            size_t i = i_;                                \
            (void)i;                                      \
            if (json_array_append_new((arr), (expr)) < 0) \
                goto oom;                                 \
        }                                                 \
    } while (0)

json_t *cr_report_json(const cr_report *r)
{
    json_t *o = NULL, *kpis = json_array(), *series = json_array(), *lb = json_array(),
           *top = json_array(), *funnel = json_array(), *attr = json_array(),
           *unattr = json_array(), *sources = json_array(), *warnings = json_array(), *head;
    char d1[32], d2[32], d3[32], emv_note[300];

    cr_emv_label(emv_note, sizeof(emv_note), r->emv_card[0] ? r->emv_card : "(none)");
    if (!kpis || !series || !lb || !top || !funnel || !attr || !unattr || !sources || !warnings)
        goto oom;
    APPEND_ALL(kpis, r->nkpis, progress_kpi(&r->kpis[i], r->currency));
    APPEND_ALL(series, r->ndays, day(&r->days[i]));
    APPEND_ALL(lb, r->npartners, partner(&r->partners[i], r));
    APPEND_ALL(top, r->ntop, post(&r->top[i], r));
    APPEND_ALL(funnel, 5,
               json_pack("{s:s, s:I, s:o}", "step", r->funnel[i].step, "value",
                         (json_int_t)r->funnel[i].value, "rate", num_or_null(r->funnel[i].rate)));
    APPEND_ALL(attr, 3,
               json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "kind",
                         r->attribution[i].kind, "to_posts", (json_int_t)r->attribution[i].to_posts,
                         "to_partnerships", (json_int_t)r->attribution[i].to_partnerships, "by_utm",
                         (json_int_t)r->attribution[i].by_utm, "by_code",
                         (json_int_t)r->attribution[i].by_code, "by_landing_utm",
                         (json_int_t)r->attribution[i].by_landing_utm, "revenue_minor",
                         (json_int_t)r->attribution[i].revenue_minor, "unattributed",
                         (json_int_t)r->attribution[i].unattributed, "unattributed_rows",
                         (json_int_t)r->attribution[i].unattributed_rows));
    APPEND_ALL(unattr, r->nunattr,
               json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", r->unattr[i].kind, "reason",
                         r->unattr[i].reason, "rows", (json_int_t)r->unattr[i].rows, "units",
                         (json_int_t)r->unattr[i].units, "value_minor",
                         (json_int_t)r->unattr[i].value_minor));
    APPEND_ALL(sources, r->nsources, source(&r->sources[i]));
    APPEND_ALL(warnings, r->nwarnings, json_string(r->warnings[i]));
    if (r->kind == CR_REPORT_CAMPAIGN)
        head = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:f}", "id",
                         (json_int_t)r->campaign->id, "name", r->campaign->name, "brand",
                         r->campaign->brand, "status", r->campaign->status, "primary_goal",
                         cr_goal_name(r->campaign->primary_goal), "start",
                         cr_fmt_date(d1, sizeof(d1), r->campaign->start), "end",
                         cr_fmt_date(d2, sizeof(d2), r->campaign->end), "budget_minor",
                         (json_int_t)r->campaign->budget_minor, "benchmarking",
                         r->campaign->benchmarking, "elapsed", r->elapsed);
    else
        head = json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)r->creator_id, "platform",
                         r->platform, "handle", r->handle, "followers",
                         r->followers >= 0 ? json_integer(r->followers) : json_null(), "tier",
                         r->tier);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:I, s:s}", "report",
                  r->kind == CR_REPORT_CAMPAIGN ? "campaign" : "creator", "generated_at",
                  cr_fmt_datetime(d1, sizeof(d1), r->generated_at), "as_of",
                  cr_fmt_date(d2, sizeof(d2), r->as_of), "since",
                  r->since > 0 ? cr_fmt_date(d3, sizeof(d3), r->since) : "", "currency",
                  r->currency, "stale_days", r->stale_days,
                  r->kind == CR_REPORT_CAMPAIGN ? "campaign" : "creator", head, "posts",
                  (json_int_t)r->nposts, "sort_kpi", r->sort_kpi);
    if (o == NULL)
        goto oom;
    if (put(o, "totals", kpi_list(&r->totals, r, 1)) < 0 ||
        put(o, "inputs", inputs(&r->totals.inputs)) < 0 ||
        put(o, "emv",
            json_pack("{s:o, s:s, s:o, s:s}", "rate_card",
                      r->emv_card[0] ? json_string(r->emv_card) : json_null(), "currency",
                      r->emv_currency, "total_minor", num_or_null(r->totals.emv_minor), "note",
                      emv_note)) < 0 ||
        put(o, r->kind == CR_REPORT_CAMPAIGN ? "leaderboard" : "partnerships", steal(&lb)) < 0 ||
        put(o, "top_posts", steal(&top)) < 0 || put(o, "funnel", steal(&funnel)) < 0 ||
        put(o, "sources", steal(&sources)) < 0 || put(o, "warnings", steal(&warnings)) < 0)
        goto oom;
    if (r->kind == CR_REPORT_CAMPAIGN &&
        (put(o, "kpis", steal(&kpis)) < 0 || put(o, "series", steal(&series)) < 0 ||
         put(o, "attribution", steal(&attr)) < 0 || put(o, "unattributed", steal(&unattr)) < 0))
        goto oom;
    json_decref(kpis);
    json_decref(series);
    json_decref(attr);
    json_decref(unattr);
    return o;
oom:
    json_decref(o);
    json_decref(kpis);
    json_decref(series);
    json_decref(lb);
    json_decref(top);
    json_decref(funnel);
    json_decref(attr);
    json_decref(unattr);
    json_decref(sources);
    json_decref(warnings);
    return NULL;
}
