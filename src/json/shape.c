/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * shape.c - JSON shapes of crest's objects, shared by the CLI's --json and the HTTP API, so
 * both print the same thing. One function per object; the key order here is the order both
 * front ends print (tests/cli/serve.sh compares them byte for byte). Counts the source did not
 * give (negative) and numbers that are not finite become null. */
#include <math.h>

#include "util/date.h"
#include "json/shape.h"

static json_t *count_or_null(int64_t v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

static json_t *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

const char *cr_json_tier_name(int64_t followers)
{
    if (followers < 0)
        return "-";
    if (followers < 10000)
        return "nano";
    if (followers < 100000)
        return "micro";
    if (followers < 500000)
        return "mid";
    if (followers < 1000000)
        return "macro";
    return "mega";
}

/* ---- creators and posts ---- */

json_t *cr_json_creator(const cr_creator *c)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s}", "id", (json_int_t)c->id,
                          "platform", c->platform, "handle", c->handle, "name", c->name, "email",
                          c->email, "country", c->country, "language", c->language, "niches",
                          c->niches, "tier", cr_json_tier_name(c->followers));

    if (j == NULL)
        return NULL;
    if (json_object_set_new(j, "followers", count_or_null(c->followers)) < 0 ||
        json_object_set_new(j, "following", count_or_null(c->following)) < 0 ||
        json_object_set_new(j, "media_count", count_or_null(c->media_count)) < 0 ||
        json_object_set_new(j, "reported_engagement_rate", num_or_null(c->engagement_rate)) < 0 ||
        json_object_set_new(j, "bio", c->bio ? json_string(c->bio) : json_null()) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *cr_json_creator_stats(const cr_creator_stats *cs)
{
    double er, growth;
    char d1[16], d2[16];
    json_t *st;

    er = cs->reach > 0 ? (double)cs->engagements / (double)cs->reach : NAN;
    growth = cs->first_followers > 0 && cs->snapshots > 1
                 ? (double)(cs->last_followers - cs->first_followers) / (double)cs->first_followers
                 : NAN;
    st = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "posts", (json_int_t)cs->posts,
                   "posts_with_metrics", (json_int_t)cs->posts_with_metrics, "reach",
                   (json_int_t)cs->reach, "impressions", (json_int_t)cs->impressions, "engagements",
                   (json_int_t)cs->engagements, "snapshots", (json_int_t)cs->snapshots, "comments",
                   (json_int_t)cs->comments, "engagement_rate_by_reach", num_or_null(er),
                   "follower_growth", num_or_null(growth));
    if (st && cs->snapshots &&
        (json_object_set_new(st, "first_snapshot",
                             json_string(cr_fmt_date(d1, sizeof(d1), cs->first_snapshot))) < 0 ||
         json_object_set_new(st, "last_snapshot",
                             json_string(cr_fmt_date(d2, sizeof(d2), cs->last_snapshot))) < 0)) {
        json_decref(st);
        return NULL;
    }
    return st;
}

json_t *cr_json_post_row(const cr_post_row *r)
{
    const cr_metric *m = &r->metric;
    char when[32], cap[32];
    json_t *j, *mj;

    j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)r->post.id,
                  "platform", r->post.platform, "post_id", r->post.external_id, "handle", r->handle,
                  "posted_at", cr_fmt_datetime(when, sizeof(when), r->post.posted_at), "url",
                  r->post.url, "format", r->post.format, "caption", r->post.caption, "utm_content",
                  r->post.utm_content);
    if (j == NULL)
        return NULL;
    if (r->post.partnership_id &&
        json_object_set_new(j, "partnership_id", json_integer(r->post.partnership_id)) < 0)
        goto oom;
    if (m->post_id != 0)
        mj = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "captured_at",
                       cr_fmt_datetime(cap, sizeof(cap), m->captured_at), "impressions",
                       count_or_null(m->impressions), "reach", count_or_null(m->reach), "views",
                       count_or_null(m->views), "likes", count_or_null(m->likes), "comments",
                       count_or_null(m->comments), "shares", count_or_null(m->shares), "saves",
                       count_or_null(m->saves), "clicks", count_or_null(m->clicks), "watch_seconds",
                       count_or_null(m->watch_seconds));
    else
        mj = json_null();
    if (mj == NULL || json_object_set_new(j, "latest_metrics", mj) < 0)
        goto oom;
    return j;
oom:
    json_decref(j);
    return NULL;
}

/* ---- the KPI catalog ---- */

json_t *cr_json_kpi_def(const cr_kpi_def *k)
{
    json_t *pf = json_array();
    int g;

    if (pf == NULL)
        return NULL;
    for (g = CR_GOAL_AWARENESS; g <= CR_GOAL_SALES; g++)
        if (cr_kpi_is_primary_for(k, (cr_goal_type)g) &&
            json_array_append_new(pf, json_string(cr_goal_name((cr_goal_type)g))) < 0) {
            json_decref(pf);
            return NULL;
        }
    /* "o" steals pf, even when json_pack fails */
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:b}", "code", k->code, "name", k->name,
                     "unit", cr_kpi_unit_name(k->unit), "direction",
                     k->direction > 0 ? "higher" : "lower", "formula", k->formula, "primary_for",
                     pf, "definition", k->definition, "cumulative", k->cumulative, "vanity",
                     k->vanity);
}

/* ---- campaigns ---- */

json_t *cr_json_campaign_row(const cr_campaign *c)
{
    char d1[16], d2[16];

    return json_pack(
        "{s:I,s:s,s:s?,s:s,s:s?,s:s,s:s,s:s,s:I,s:s?,s:b}", "id", (json_int_t)c->id, "name",
        c->name, "brand", c->brand, "primary_goal", c->primary_goal, "secondary_goal",
        c->secondary_goal, "start", cr_fmt_date(d1, sizeof(d1), c->start), "end",
        cr_fmt_date(d2, sizeof(d2), c->end), "status", c->status, "budget_minor",
        (json_int_t)c->budget_minor, "currency", c->currency, "benchmarking", c->benchmarking);
}

json_t *cr_json_campaign_kpi(const cr_campaign_kpi_spec *k)
{
    const cr_kpi_def *d = cr_kpi_find(k->code);
    json_t *j =
        json_pack("{s:s,s:s}", "code", k->code, "role", k->primary ? "primary" : "contextual");

    if (j == NULL)
        return NULL;
    if ((d && json_object_set_new(j, "definition", json_string(d->definition)) < 0) ||
        (k->target_kind != CR_TARGET_NONE &&
         (json_object_set_new(j, "target", json_real(k->target)) < 0 ||
          json_object_set_new(
              j, "target_kind",
              json_string(k->target_kind == CR_TARGET_RELATIVE ? "relative" : "absolute")) < 0)) ||
        json_object_set_new(j, "baseline", k->has_baseline ? json_real(k->baseline) : json_null()) <
            0 ||
        (k->baseline_period[0] &&
         json_object_set_new(j, "baseline_period", json_string(k->baseline_period)) < 0)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *partnership_json(const cr_partnership_spec *p)
{
    return json_pack("{s:s,s:I,s:I,s:s,s:s?,s:s?,s:s?}", "creator", p->creator, "fee_minor",
                     (json_int_t)p->fee_minor, "product_cost_minor",
                     (json_int_t)p->product_cost_minor, "currency", p->currency, "promo_code",
                     p->promo_code[0] ? p->promo_code : NULL, "utm_content",
                     p->utm_content[0] ? p->utm_content : NULL, "status",
                     p->status[0] ? p->status : NULL);
}

json_t *cr_json_campaign(const cr_campaign_spec *s)
{
    char d1[16], d2[16];
    json_t *kpis = json_array(), *parts = json_array(), *j;
    size_t i;

    if (kpis == NULL || parts == NULL)
        goto oom;
    for (i = 0; i < s->nkpis; i++)
        if (json_array_append_new(kpis, cr_json_campaign_kpi(&s->kpis[i])) < 0)
            goto oom;
    for (i = 0; i < s->npartners; i++)
        if (json_array_append_new(parts, partnership_json(&s->partners[i])) < 0)
            goto oom;
    /* "o" steals kpis and parts, even when json_pack fails */
    j = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:s?,s:b,s:o,s:o}", "id",
                  (json_int_t)s->id, "name", s->name, "brand", s->brand[0] ? s->brand : NULL,
                  "status", s->status[0] ? s->status : NULL, "start",
                  s->start ? cr_fmt_date(d1, sizeof(d1), s->start) : NULL, "end",
                  s->end ? cr_fmt_date(d2, sizeof(d2), s->end) : NULL, "primary_goal",
                  cr_goal_name(s->primary_goal), "secondary_goal",
                  s->secondary_goal ? cr_goal_name(s->secondary_goal) : NULL, "objective",
                  s->objective[0] ? s->objective : NULL, "benchmarking", s->benchmarking, "kpis",
                  kpis, "partnerships", parts);
    if (j &&
        (json_object_set_new(
             j, "attribution_window_days",
             json_integer(s->attribution_window_days > 0 ? s->attribution_window_days : 30)) < 0 ||
         json_object_set_new(j, "emv_credit",
                             json_string(s->emv_credit[0] ? s->emv_credit : "full")) < 0)) {
        json_decref(j);
        return NULL;
    }
    if (j && s->budget_minor >= 0 &&
        (json_object_set_new(j, "budget_minor", json_integer(s->budget_minor)) < 0 ||
         json_object_set_new(j, "currency", json_string(s->currency)) < 0)) {
        json_decref(j);
        return NULL;
    }
    return j;
oom:
    json_decref(kpis);
    json_decref(parts);
    return NULL;
}

json_t *cr_json_rule_violation(const cr_rule_violation *v)
{
    return json_pack("{s:s,s:s,s:s,s:i}", "rule", v->rule, "message", v->message, "suggestion",
                     v->suggestion, "line", v->line);
}

json_t *cr_json_smart(const cr_smart_report *r)
{
    json_t *items = json_array();
    int i;

    if (items == NULL)
        return NULL;
    for (i = 0; i < 5; i++) {
        char letter[2] = { r->items[i].letter, '\0' };
        if (json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s}", "letter", letter, "name",
                                                   r->items[i].name, "verdict",
                                                   cr_verdict_name(r->items[i].verdict), "reason",
                                                   r->items[i].reason)) < 0) {
            json_decref(items);
            return NULL;
        }
    }
    return json_pack("{s:s,s:b,s:i,s:o}", "overall", cr_verdict_name(r->overall),
                     "propose_benchmarking", r->propose_benchmarking, "rule_violations",
                     r->rule_violations, "checks", items);
}

json_t *cr_json_progress(const cr_campaign_spec *s, const cr_campaign_progress *p)
{
    json_t *arr = json_array(), *j;
    char d1[16];
    size_t i;

    if (arr == NULL)
        return NULL;
    for (i = 0; i < p->nkpis; i++) {
        const cr_kpi_progress *k = &p->kpis[i];
        j = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s}", "code", k->def->code, "role",
                      k->primary ? "primary" : "contextual", "unit", cr_kpi_unit_name(k->def->unit),
                      "definition", k->def->definition, "actual",
                      k->actual.available ? num_or_null(k->actual.value) : json_null(), "baseline",
                      num_or_null(k->baseline), "target", num_or_null(k->target), "pct_of_target",
                      num_or_null(k->pct_of_target), "projected", num_or_null(k->projected),
                      "status", cr_track_status_name(k->status), "note", k->note);
        if (j == NULL || json_array_append_new(arr, j) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    /* "o" steals arr, even when json_pack fails */
    return json_pack("{s:I,s:s,s:s,s:f,s:I,s:I,s:s,s:o}", "campaign", (json_int_t)s->id, "name",
                     s->name, "as_of", cr_fmt_date(d1, sizeof(d1), p->as_of), "elapsed", p->elapsed,
                     "posts", (json_int_t)p->inputs.posts, "spend_minor",
                     (json_int_t)p->inputs.spend_minor, "currency", s->currency, "kpis", arr);
}

/* ---- goal sentences ---- */

json_t *cr_json_goal_statement(const cr_goal_statement *g)
{
    json_t *j, *un = json_array();
    char d1[16], d2[16];
    size_t i;

    if (un == NULL)
        return NULL;
    for (i = 0; i < g->nunparsed; i++)
        if (json_array_append_new(un, json_string(g->unparsed[i])) < 0) {
            json_decref(un);
            return NULL;
        }
    j = json_pack("{s:s,s:s?,s:i,s:s,s:o,s:s?}", "goal", cr_goal_name(g->goal), "kpi",
                  g->kpi[0] ? g->kpi : NULL, "direction", g->direction, "target_kind",
                  g->target_kind == CR_TARGET_RELATIVE   ? "relative"
                  : g->target_kind == CR_TARGET_ABSOLUTE ? "absolute"
                                                         : "none",
                  "target", g->target_kind == CR_TARGET_NONE ? json_null() : json_real(g->target),
                  "period", g->period[0] ? g->period : NULL);
    if (j == NULL) {
        json_decref(un);
        return NULL;
    }
    if ((g->period[0] &&
         (json_object_set_new(j, "start",
                              json_string(cr_fmt_date(d1, sizeof(d1), g->period_start))) < 0 ||
          json_object_set_new(j, "end", json_string(cr_fmt_date(d2, sizeof(d2), g->period_end))) <
              0)) ||
        json_object_set_new(j, "baseline_period",
                            g->baseline_period[0] ? json_string(g->baseline_period) : json_null()) <
            0 ||
        json_object_set_new(j, "budget_minor",
                            g->budget_minor >= 0 ? json_integer(g->budget_minor) : json_null()) <
            0 ||
        json_object_set_new(j, "currency",
                            g->currency[0] ? json_string(g->currency) : json_null()) < 0 ||
        json_object_set_new(j, "partnerships",
                            g->partnerships >= 0 ? json_integer(g->partnerships) : json_null()) <
            0) {
        json_decref(j);
        json_decref(un);
        return NULL;
    }
    if (json_object_set_new(j, "unparsed", un) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *cr_json_import_result(
    const cr_import_result *r, const char *file, double secs, cr_err rc, long peak_rss_kib)
{
    json_t *j, *ignored = json_array(), *problems = json_array();
    size_t i;

    if (ignored == NULL || problems == NULL)
        goto oom;
    for (i = 0; i < r->nignored; i++)
        if (json_array_append_new(ignored, json_string(r->ignored_columns[i])) < 0)
            goto oom;
    for (i = 0; i < r->nissues; i++)
        if (json_array_append_new(
                problems, json_pack("{s:I,s:i,s:s,s:s}", "line", (json_int_t)r->issues[i].line,
                                    "column", r->issues[i].column, "field", r->issues[i].field,
                                    "message", r->issues[i].message)) < 0)
            goto oom;
    j = json_pack("{s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:b,s:s,s:o,s:o,s:I,s:f,s:f,s:i}", "kind", r->kind,
                  "file", file, "ok", rc == CR_OK, "import_id", (json_int_t)r->import_id,
                  "rows_read", (json_int_t)r->rows_read, "rows_imported",
                  (json_int_t)r->rows_imported, "rows_rejected", (json_int_t)r->rows_rejected,
                  "already_imported", r->already_imported, "sha256", r->sha256, "ignored_columns",
                  ignored, "problems", problems, "problems_total", (json_int_t)r->issues_total,
                  "seconds", secs, "rows_per_second", secs > 0 ? r->rows_read / secs : 0.0,
                  "peak_rss_kib", (int)peak_rss_kib);
    if (j == NULL)
        return NULL; /* json_pack's "o" took the arrays even on failure */
    if (r->already_imported)
        json_object_set_new(j, "previous_import_id", json_integer(r->previous_import_id));
    json_object_set_new(j, "detected", json_boolean(r->detected));
    json_object_set_new(j, "rows_skipped", json_integer(r->rows_skipped));
    if (r->rejects_path[0])
        json_object_set_new(j, "rejects_file", json_string(r->rejects_path));
    if (rc < 0 && cr_error_last())
        json_object_set_new(
            j, "error",
            json_pack("{s:s,s:s}", "code", cr_err_slug(rc), "message", cr_error_last()->message));
    return j;
oom:
    json_decref(ignored);
    json_decref(problems);
    return NULL;
}
