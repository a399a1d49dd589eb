/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * report.c - a vetting report as JSON (the one shape of `crest vet --json`, of GET
 * /api/v1/creators/{id}/vet and of the stored "vet:<creator id>" setting), keeping it in the
 * store, and the next-post forecast the creator profile shows. Unknown numbers are null,
 * never 0, so a reader cannot mistake "not measured" for "measured as nothing". */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/discover.h"
#include "crest/model.h"
#include "crest/vet.h"
#include "util/alloc.h"
#include "util/date.h"

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *date_or_null(int64_t t)
{
    char buf[16];

    return t ? json_string(cr_fmt_date(buf, sizeof(buf), t)) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static json_t *count_or_null(int64_t v)
{
    return v == CR_COUNT_NONE ? json_null() : json_integer(v);
}

static json_t *ratio(size_t k, size_t n)
{
    return n ? json_real((double)k / (double)n) : json_null();
}

static json_t *components(const cr_vet_report *r)
{
    json_t *a = json_array();
    int i;

    for (i = 0; a && i < CR_VET_NCOMPONENTS; i++)
        json_array_append_new(a, json_pack("{s:s,s:o,s:f,s:o}", "name", cr_vet_component_name(i),
                                           "score", num(r->component[i]), "weight",
                                           cr_vet_component_weight(i), "note",
                                           str_or_null(r->component_note[i])));
    return a;
}

static json_t *spikes(const cr_vet_report *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < r->nspikes; i++) {
        const cr_vet_spike *s = &r->spikes[i];
        json_array_append_new(
            a, json_pack("{s:o,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "date", date_or_null(s->date),
                         "followers_before", (json_int_t)s->before, "followers_after",
                         (json_int_t)s->after, "change", (json_int_t)s->delta, "robust_z",
                         num(s->z), "times_usual", num(s->times_usual), "median_engagements_before",
                         num(s->eng_before), "median_engagements_after", num(s->eng_after)));
    }
    return a;
}

static json_t *series(const cr_vet_report *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < r->nseries; i++)
        json_array_append_new(a, json_pack("{s:o,s:I}", "date", date_or_null(r->series_date[i]),
                                           "followers", (json_int_t)r->series_followers[i]));
    return a;
}

static json_t *ring(const cr_vet_report *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < r->nring; i++)
        json_array_append_new(
            a, json_pack("{s:s,s:I}", "author", r->ring[i], "posts", (json_int_t)r->ring_posts[i]));
    return a;
}

static json_t *reasons(const cr_vet_report *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < r->nreasons; i++)
        json_array_append_new(a, json_pack("{s:s,s:f}", "text", r->reasons[i].text, "score_points",
                                           r->reasons[i].impact));
    return a;
}

static json_t *flags(const cr_vet_report *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < r->nflags; i++) {
        const cr_vet_flag *f = &r->flags[i];
        json_array_append_new(a, json_pack("{s:I,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s}", "post_id",
                                           (json_int_t)f->post_id, "url", str_or_null(f->url),
                                           "external_id", str_or_null(f->external_id), "posted_at",
                                           date_or_null(f->posted_at), "list", f->list, "category",
                                           f->category, "pattern", f->pattern, "matched",
                                           f->matched, "excerpt", f->excerpt));
    }
    return a;
}

static json_t *report_json(const cr_vet_report *r)
{
    char when[32];
    json_t *er, *lc, *growth, *audience, *comments, *score, *verdict, *safety;

    er = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:o,s:o,s:s,s:s}", "estimate",
                   num(r->er.estimate), "low", num(r->er.n ? r->er.low : NAN), "high",
                   num(r->er.n ? r->er.high : NAN), "measured", num(r->er.raw), "own_weight",
                   num(r->er.n ? r->er.weight : NAN), "definition", str_or_null(r->er_definition),
                   "benchmark_low", num(r->bench_low), "benchmark_high", num(r->bench_high),
                   "benchmark_prior", num(isnan(r->bench_low) ? NAN : r->er.prior), "posts_used",
                   (json_int_t)r->posts_used, "posts", (json_int_t)r->posts, "since",
                   date_or_null(r->window_since), "until", date_or_null(r->window_until),
                   "benchmarks", r->benchmarks, "source", r->benchmark_source);
    lc = json_pack("{s:o,s:o,s:I}", "likes_per_comment", num(r->likes_per_comment), "typical",
                   num(r->typical_likes_per_comment), "peers", (json_int_t)r->peers);
    growth = json_pack("{s:I,s:o,s:o,s:o,s:o,s:f}", "snapshots", (json_int_t)r->snapshots,
                       "usual_daily_change", num(r->usual_daily_change), "spike_share",
                       num(r->bought_share), "spikes", spikes(r), "series", series(r),
                       "threshold_z", 6.0);
    audience = r->has_sample ? json_pack("{s:I,s:I,s:f,s:f,s:f}", "sample", (json_int_t)r->sample_n,
                                         "flagged", (json_int_t)r->sample_flagged, "fake_share",
                                         r->fake_share, "low", r->fake_low, "high", r->fake_high)
                             : json_null();
    comments = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:b,s:s}", "total",
        (json_int_t)r->comments, "spam", (json_int_t)r->comments_spam, "spam_confirmed",
        (json_int_t)r->comments_spam_confirmed, "spam_classifier_flags",
        (json_int_t)r->comments_spam_model, "generic", (json_int_t)r->comments_generic, "duplicate",
        (json_int_t)r->comments_dup, "ring", (json_int_t)r->comments_ring, "commented_posts",
        (json_int_t)r->commented_posts, "spam_share", ratio(r->comments_spam, r->comments),
        "generic_share", ratio(r->comments_generic, r->comments), "recurring_commenters", ring(r),
        "sentiment", num(r->sentiment), "sentiment_available", r->sentiment_available,
        "sentiment_note",
        r->sentiment_available ? "mean of P(positive) - P(negative) mapped to 0-1 by the shipped "
                                 "sentiment model; shown, not scored"
                               : "no sentiment model is shipped (data/models/ has none), so "
                                 "comment sentiment is not scored");
    score = json_pack(
        "{s:o,s:o,s:o,s:I,s:f,s:o,s:s,s:s,s:o}", "value", num(r->score), "low", num(r->score_low),
        "high", num(r->score_high), "bootstrap", (json_int_t)r->bootstrap, "coverage", r->coverage,
        "components", components(r), "follower_risk", cr_vet_risk_name(r->follower_risk),
        "engagement_risk", cr_vet_risk_name(r->engagement_risk), "reasons", reasons(r));
    verdict = json_pack("{s:o,s:o,s:o,s:s,s:s,s:s}", "campaign_id",
                        r->campaign_id ? json_integer(r->campaign_id) : json_null(), "goal",
                        str_or_null(r->campaign_goal), "verdict", str_or_null(r->verdict),
                        "awareness", r->verdict_awareness, "conversions", r->verdict_conversions,
                        "text", r->verdict_text);
    safety =
        json_pack("{s:I,s:I,s:s,s:I,s:o,s:s}", "captions_scanned", (json_int_t)r->captions_scanned,
                  "patterns", (json_int_t)r->patterns, "lists", r->term_lists, "matches",
                  (json_int_t)r->flags_total, "flags", flags(r), "note",
                  "a match is a flag for a person to read in context, never a verdict");
    return json_pack(
        "{s:I,s:s,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "creator_id",
        (json_int_t)r->creator_id, "platform", r->platform, "handle", r->handle, "followers",
        count_or_null(r->followers), "tier", str_or_null(r->tier), "tier_scheme", r->tier_scheme,
        "computed_at", cr_fmt_datetime(when, sizeof(when), r->computed_at), "audience_quality",
        score, "engagement_rate", er, "likes_comments", lc, "growth", growth, "follower_sample",
        audience, "comments", comments, "verdict", verdict, "brand_safety", safety);
}

cr_err cr_vet_report_json(char **out, const cr_vet_report *r)
{
    json_t *j = report_json(r);

    *out = NULL;
    if (j == NULL)
        return cr_error_oom();
    *out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return *out ? CR_OK : cr_error_oom();
}

void cr_vet_text_free(char *s)
{
    json_free_t f;
    json_malloc_t m;

    /* jansson's allocator made it (json_dumps) */
    json_get_alloc_funcs(&m, &f);
    if (s)
        f(s);
}

cr_err cr_vet_save(cr_store *st, const cr_vet_report *r)
{
    char key[48], *text = NULL;
    cr_err rc;

    if ((rc = cr_vet_report_json(&text, r)) < 0)
        return rc;
    snprintf(key, sizeof(key), "vet:%lld", (long long)r->creator_id);
    rc = cr_store_setting_set(st, key, text);
    cr_vet_text_free(text);
    if (rc == CR_OK && !isnan(r->score)) {
        /* discovery's --min-quality filter reads the score from the creator's profile */
        cr_creator_profile p;
        cr_creator_profile_init(&p);
        p.quality = r->score;
        rc = cr_store_creator_profile_set(st, r->creator_id, &p);
    }
    return rc;
}

/* ---- the next post ---------------------------------------------------------------------- */

typedef struct {
    double *reach, *eng;
    size_t n, cap;
    double followers;
} fc_series;

static cr_err fc_post(const cr_post_rollup *r, void *payload)
{
    fc_series *s = payload;
    int64_t parts[4] = { r->likes, r->comments, r->shares, r->saves };
    double e = 0;
    int known = 0;
    size_t i;

    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        double *a;
        if ((a = cr_realloc(s->reach, cap * sizeof(*a))) == NULL)
            return cr_error_oom();
        s->reach = a;
        if ((a = cr_realloc(s->eng, cap * sizeof(*a))) == NULL)
            return cr_error_oom();
        s->eng = a;
        s->cap = cap;
    }
    for (i = 0; i < 4; i++)
        if (parts[i] != CR_COUNT_NONE) {
            e += (double)parts[i];
            known = 1;
        }
    s->reach[s->n] = r->captured_at && r->reach != CR_COUNT_NONE ? (double)r->reach : -1;
    s->eng[s->n] = r->captured_at && known ? e : -1;
    if (r->followers != CR_COUNT_NONE && r->followers > 0)
        s->followers = (double)r->followers;
    s->n++;
    return CR_OK;
}

static cr_err fc_creator(const cr_creator *c, void *payload)
{
    fc_series *s = payload;

    if (c->followers != CR_COUNT_NONE && c->followers > 0)
        s->followers = (double)c->followers;
    return CR_OK;
}

/* As `crest forecast` (src/cli/cmd_forecast.c) computes it, for the API and the profile. */
cr_err cr_vet_forecast_next(cr_vet_forecast *out, cr_store *st, int64_t creator_id)
{
    cr_forecast reach, eng;
    cr_rollup_filter flt;
    cr_model *m = NULL;
    fc_series s;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    memset(&s, 0, sizeof(s));
    memset(&flt, 0, sizeof(flt));
    flt.creator_id = creator_id;
    if ((rc = cr_store_creator_get(st, creator_id, fc_creator, &s)) < 0 ||
        (rc = cr_store_rollup_list(st, &flt, fc_post, &s)) < 0 ||
        (rc = cr_model_builtin(&m, CR_MODEL_FORECAST)) < 0)
        goto done;
    if ((rc = cr_model_forecast(&reach, m, s.reach, s.n, s.followers,
                                cr_model_forecast_reach_rate(m))) < 0 ||
        (rc = cr_model_forecast(&eng, m, s.eng, s.n, s.followers,
                                cr_model_forecast_prior_rate(m, s.followers))) < 0)
        goto done;
    out->followers = s.followers;
    out->posts = s.n;
    out->reach_expected = reach.expected;
    out->reach_low = reach.low;
    out->reach_high = reach.high;
    out->reach_weight = reach.shrink;
    out->reach_history = reach.history;
    out->eng_expected = eng.expected;
    out->eng_low = eng.low;
    out->eng_high = eng.high;
    out->eng_weight = eng.shrink;
    out->eng_history = eng.history;
done:
    cr_free(s.reach);
    cr_free(s.eng);
    cr_model_free(m);
    return rc;
}
