/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * search.c - running a discovery query: the store returns candidates that pass the filters
 * (with words, the CAP of highest relevance; without, the CAP largest), and this file ranks
 * them:
 *
 *   score = relevance x performance            (a search)
 *   score = similarity x performance           (lookalikes)
 *
 * relevance: the topic words' weight in the creator's text (vec.c); performance: the
 * creator's value of the campaign goal's metric divided by the median of the candidates that
 * have one, limited to [0.25, 4] (1 without a campaign or without post data); similarity:
 * 0.6 x topic cosine + 0.4 x audience cosine (topic alone when either audience is unknown).
 * Ties go to more followers, then to the lower id. Every hit gets its reasons in plain words.
 * Saved searches run the same way and compare their ids with those last seen. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crest/discover.h"
#include "crest/track.h"
#include "discover/vec.h"
#include "util/alloc.h"
#include "util/map.h"
#include "util/num.h"
#include "util/str.h"
#include "util/text.h"

#define CAP_SEARCH 2000
#define CAP_LIKE   1000
#define SEED_WORDS 4

typedef struct {
    int64_t id;
    char *platform, *handle, *name, *country, *language, *doc, *audience, *fee_currency;
    int64_t followers, fee_minor;
    double quality, reported_er;
    int64_t posts, reach_posts, reach, eng_reach, eng_posts, engagements;
    int64_t click_posts, clicks, click_impressions, leads, orders, revenue_minor;
    /* computed */
    double relevance, er, perf_value, performance, score, topic_sim, audience_sim;
    const char *er_source;
    cr_bag bag;
    cr_audience aud;
    int dropped;
} cand;

typedef struct {
    cand *c;
    size_t n, cap;
} cand_list;

static char *dupn(const char *s)
{
    return s ? cr_strdup(s) : NULL;
}

static cr_err collect(const cr_discover_row *r, void *payload)
{
    cand_list *l = payload;
    cand *c;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        cand *n = cr_realloc(l->c, cap * sizeof(*n));
        if (n == NULL)
            return cr_error_oom();
        l->c = n;
        l->cap = cap;
    }
    c = &l->c[l->n++];
    memset(c, 0, sizeof(*c));
    c->id = r->id;
    c->platform = dupn(r->platform);
    c->handle = dupn(r->handle);
    c->name = dupn(r->name);
    c->country = dupn(r->country);
    c->language = dupn(r->language);
    c->doc = dupn(r->doc);
    c->audience = dupn(r->audience);
    c->fee_currency = dupn(r->fee_currency);
    c->followers = r->followers;
    c->fee_minor = r->fee_minor;
    c->quality = r->quality;
    c->reported_er = r->reported_er;
    c->posts = r->posts;
    c->reach_posts = r->reach_posts;
    c->reach = r->reach;
    c->eng_reach = r->eng_reach;
    c->eng_posts = r->eng_posts;
    c->engagements = r->engagements;
    c->click_posts = r->click_posts;
    c->clicks = r->clicks;
    c->click_impressions = r->click_impressions;
    c->leads = r->leads;
    c->orders = r->orders;
    c->revenue_minor = r->revenue_minor;
    c->topic_sim = c->audience_sim = NAN;
    cr_bag_init(&c->bag);
    cr_audience_init(&c->aud);
    if (c->doc == NULL || c->platform == NULL || c->handle == NULL)
        return cr_error_oom();
    return CR_OK;
}

static void cand_free(cand *c)
{
    cr_free(c->platform);
    cr_free(c->handle);
    cr_free(c->name);
    cr_free(c->country);
    cr_free(c->language);
    cr_free(c->doc);
    cr_free(c->audience);
    cr_free(c->fee_currency);
    cr_bag_dispose(&c->bag);
    cr_audience_dispose(&c->aud);
}

static void list_free(cand_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        cand_free(&l->c[i]);
    cr_free(l->c);
    memset(l, 0, sizeof(*l));
}

/* ---- engagement rate and goal metric ------------------------------------------------------- */

static void compute_er(cand *c, int by_followers)
{
    c->er = NAN;
    c->er_source = NULL;
    if (!by_followers && c->reach > 0) {
        c->er = (double)c->eng_reach / (double)c->reach;
        c->er_source = "reach";
    } else if (by_followers && c->eng_posts > 0 && c->followers > 0) {
        c->er = (double)c->engagements / (double)c->eng_posts / (double)c->followers;
        c->er_source = "followers";
    } else if (!isnan(c->reported_er)) {
        c->er = c->reported_er;
        c->er_source = "reported";
    }
}

static const char *goal_label(const char *goal)
{
    if (goal == NULL)
        return NULL;
    if (strcmp(goal, "awareness") == 0)
        return "reach per post";
    if (strcmp(goal, "engagement") == 0)
        return "engagement rate";
    if (strcmp(goal, "traffic") == 0)
        return "clicks per post";
    if (strcmp(goal, "leads") == 0)
        return "attributed leads per post";
    return "attributed orders per post";
}

static double goal_value(const cand *c, const char *goal)
{
    if (goal == NULL)
        return NAN;
    if (strcmp(goal, "awareness") == 0)
        return c->reach_posts > 0 ? (double)c->reach / (double)c->reach_posts : NAN;
    if (strcmp(goal, "engagement") == 0)
        return c->er_source && strcmp(c->er_source, "reported") != 0 ? c->er : NAN;
    if (strcmp(goal, "traffic") == 0)
        return c->click_posts > 0 ? (double)c->clicks / (double)c->click_posts : NAN;
    if (strcmp(goal, "leads") == 0)
        return c->posts > 0 ? (double)c->leads / (double)c->posts : NAN;
    return c->posts > 0 ? (double)c->orders / (double)c->posts : NAN;
}

/* ---- resolving names ----------------------------------------------------------------------- */

typedef struct {
    int64_t id;
    char *name, *goal;
} campaign_ref;

static cr_err campaign_cb(const cr_campaign *c, void *payload)
{
    campaign_ref *r = payload;

    r->id = c->id;
    r->name = cr_strdup(c->name);
    r->goal = cr_strdup(c->primary_goal ? c->primary_goal : "awareness");
    return r->name && r->goal ? CR_OK : cr_error_oom();
}

static cr_err find_campaign(campaign_ref *out, cr_store *st, const char *field, const char *ref)
{
    char *end;
    long long id = strtoll(ref, &end, 10);
    int64_t found;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    if (*ref != '\0' && *end == '\0' && id > 0)
        found = id;
    else if ((rc = cr_store_campaign_find(&found, st, ref)) < 0) {
        if (rc == CR_ENOTFOUND)
            return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "field '%s': no campaign named '%s'",
                                field, ref);
        return rc;
    }
    rc = cr_store_campaign_get(st, found, campaign_cb, out);
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "field '%s': no campaign with id %lld",
                            field, (long long)found);
    return rc;
}

static const char *const platforms[] = {
    "instagram", "tiktok",    "youtube",  "facebook", "x",
    "twitch",    "pinterest", "linkedin", "snapchat", "threads"
};

/* "@handle" (any platform, must be one) or "platform/handle" */
static cr_err find_seed(int64_t *out, cr_store *st, const char *ref)
{
    const char *slash = strchr(ref, '/');
    char handle[128], plat[32];
    const char *why, *h = slash ? slash + 1 : ref;
    size_t i, found = 0;
    cr_err rc;

    if (*h == '@')
        h++;
    if (strlen(h) == 0 || strlen(h) >= sizeof(handle) ||
        cr_handle_normalize(handle, h, strlen(h), &why) < 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "field 'like': expected @handle or platform/handle, found '%s'", ref);
    if (slash) {
        const char *p = cr_platform_canonical(ref, (size_t)(slash - ref));
        if (p == NULL)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "field 'like': expected a platform (%s) before '/', "
                                "found '%.*s'",
                                cr_platform_list(), (int)(slash - ref), ref);
        rc = cr_store_creator_find(out, st, p, handle);
        if (rc == CR_ENOTFOUND)
            return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "field 'like': no creator %s/%s", p,
                                handle);
        return rc;
    }
    plat[0] = '\0';
    for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
        int64_t id;
        rc = cr_store_creator_find(&id, st, platforms[i], handle);
        if (rc == CR_ENOTFOUND) {
            cr_error_clear();
            continue;
        }
        if (rc < 0)
            return rc;
        if (found++ == 0) {
            *out = id;
            snprintf(plat, sizeof(plat), "%s", platforms[i]);
        }
    }
    if (found == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                            "field 'like': no creator @%s on any platform", handle);
    if (found > 1)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "field 'like': @%s is on %zu platforms: name one, e.g. "
                            "%s/%s",
                            handle, found, plat, handle);
    return CR_OK;
}

/* ---- tier medians -------------------------------------------------------------------------- */

typedef struct {
    const cr_tier_scheme *scheme;
    int by_followers;
    double *v[16];
    size_t n[16], cap[16];
} tier_acc;

static int tier_index(const cr_tier_scheme *s, const char *name)
{
    size_t i;

    for (i = 0; name && i < s->ntiers && i < 16; i++)
        if (strcmp(s->tiers[i].name, name) == 0)
            return (int)i;
    return -1;
}

static cr_err er_cb(int64_t followers, double er_reach, double er_followers, void *payload)
{
    tier_acc *t = payload;
    double er = t->by_followers ? er_followers : er_reach;
    int i = tier_index(t->scheme, cr_tier_of(t->scheme, followers));

    if (i < 0 || isnan(er))
        return CR_OK;
    if (t->n[i] == t->cap[i]) {
        size_t cap = t->cap[i] ? t->cap[i] * 2 : 64;
        double *n = cr_realloc(t->v[i], cap * sizeof(*n));
        if (n == NULL)
            return cr_error_oom();
        t->v[i] = n;
        t->cap[i] = cap;
    }
    t->v[i][t->n[i]++] = er;
    return CR_OK;
}

/* ---- words ----------------------------------------------------------------------------------- */

typedef struct {
    cr_store *st;
    int64_t ndocs;
    /* a cache of inverse document frequencies: word -> index into idf */
    cr_map index;
    double *idf;
    size_t n, cap;
    cr_err rc;
} idf_cache;

static double idf_lookup(const char *word, size_t len, void *payload)
{
    idf_cache *c = payload;
    int64_t df = 0, at;
    char *w;
    cr_err rc;

    if (cr_map_get(&at, &c->index, word, len) == CR_OK)
        return c->idf[at];
    if ((w = cr_strndup(word, len)) == NULL) {
        c->rc = cr_error_oom();
        return 0;
    }
    if (c->rc == CR_OK)
        c->rc = cr_store_discover_df(&df, c->st, w);
    cr_free(w);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        double *ni = cr_realloc(c->idf, cap * sizeof(*ni));
        if (ni == NULL) {
            c->rc = cr_error_oom();
            return 0;
        }
        c->idf = ni;
        c->cap = cap;
    }
    if ((rc = cr_map_put(&c->index, word, len, (int64_t)c->n)) < 0) {
        c->rc = rc;
        return 0;
    }
    c->idf[c->n] = cr_discover__idf(c->ndocs, df);
    return c->idf[c->n++];
}

static void idf_dispose(idf_cache *c)
{
    cr_map_dispose(&c->index);
    cr_free(c->idf);
}

/* ---- ranking ------------------------------------------------------------------------------- */

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;

    if (a->dropped != b->dropped)
        return a->dropped - b->dropped;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->followers != b->followers)
        return a->followers > b->followers ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const char *fmt_pct(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.1f%%", v * 100);
    return buf;
}

static const char *fmt_num(char *buf, size_t size, double v)
{
    if (v >= 100)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.2f", v);
    return buf;
}

static cr_err add_reason(cr_discover_hit *h, const char *fmt, ...) CR_PRINTF(2, 3);

static cr_err add_reason(cr_discover_hit *h, const char *fmt, ...)
{
    cr_str s;
    va_list ap;
    char **n;
    cr_err rc;

    cr_str_init(&s, 0);
    va_start(ap, fmt);
    rc = cr_str_vprintf(&s, fmt, ap);
    va_end(ap);
    if (rc < 0) {
        cr_str_dispose(&s);
        return rc;
    }
    if ((n = cr_realloc(h->reasons, (h->nreasons + 1) * sizeof(*n))) == NULL) {
        cr_str_dispose(&s);
        return cr_error_oom();
    }
    h->reasons = n;
    h->reasons[h->nreasons++] = cr_str_detach(&s);
    cr_str_dispose(&s);
    return CR_OK;
}

typedef struct {
    const cr_discover_query *q;
    const char *goal, *campaign_name, *label;
    double perf_median;
    const cr_tier_scheme *scheme;
    tier_acc *tiers;
    const cand *seed;
    const cr_bag *words; /* topic words */
} reason_ctx;

static cr_err reasons_for(cr_discover_hit *h, const cand *c, const reason_ctx *r)
{
    char a[32], b[32];
    size_t i;
    cr_err rc = CR_OK;

    if (r->seed != NULL) {
        /* the five shared words that weigh most in the cosine */
        size_t top[5], ntop = 0, k = 0, j = 0, t, nshared;
        double topw[5];
        cr_str shared;
        cr_str_init(&shared, 0);
        while (k < r->seed->bag.n && j < c->bag.n) {
            const cr_bag_term *x = &r->seed->bag.terms[k], *y = &c->bag.terms[j];
            int cmp = memcmp(x->word, y->word, x->len < y->len ? x->len : y->len);
            if (cmp == 0)
                cmp = x->len < y->len ? -1 : x->len > y->len;
            if (cmp == 0) {
                double w = x->weight * y->weight;
                size_t at = ntop < 5 ? ntop++ : 5;
                if (at == 5 && w > topw[4])
                    at = 4;
                if (at < 5) {
                    top[at] = j;
                    topw[at] = w;
                    for (t = at; t > 0 && topw[t] > topw[t - 1]; t--) {
                        size_t ti = top[t];
                        double tw = topw[t];
                        top[t] = top[t - 1];
                        topw[t] = topw[t - 1];
                        top[t - 1] = ti;
                        topw[t - 1] = tw;
                    }
                }
                k++;
                j++;
            } else if (cmp < 0)
                k++;
            else
                j++;
        }
        for (t = 0; t < ntop; t++)
            cr_str_printf(&shared, "%s%.*s", t ? ", " : "", (int)c->bag.terms[top[t]].len,
                          c->bag.terms[top[t]].word);
        nshared = ntop;
        rc = add_reason(h, "topic similarity %.2f with %s/%s%s%s", c->topic_sim, r->seed->platform,
                        r->seed->handle, nshared ? ": both write about " : ": no words in common",
                        nshared ? cr_str_cstr(&shared) : "");
        cr_str_dispose(&shared);
        if (rc == CR_OK) {
            if (isnan(c->audience_sim))
                rc = add_reason(h,
                                "audience similarity unknown (%s has no audience data), so "
                                "topic alone counts",
                                c->aud.n == 0 ? "this creator" : "the seed");
            else
                rc = add_reason(h,
                                "audience similarity %.2f with %s/%s (countries, ages and genders "
                                "averaged)",
                                c->audience_sim, r->seed->platform, r->seed->handle);
        }
    } else if (r->words != NULL) {
        cr_str m;
        cr_str_init(&m, 0);
        for (i = 0; i < r->words->n; i++) {
            int64_t tf = cr_bag_count(&c->bag, r->words->terms[i].word, r->words->terms[i].len);
            if (tf > 0)
                cr_str_printf(&m, "%s'%.*s' (%lldx)", m.len ? ", " : "",
                              (int)r->words->terms[i].len, r->words->terms[i].word, (long long)tf);
        }
        rc = add_reason(h, "relevance %.2f: bio and recent captions mention %s", c->relevance,
                        m.len ? cr_str_cstr(&m) : "none of the words");
        cr_str_dispose(&m);
    }
    if (rc == CR_OK && r->goal != NULL) {
        if (isnan(c->perf_value))
            rc = add_reason(h,
                            "%s goal of '%s': no %s yet, so expected performance counts as "
                            "average (1x)",
                            r->goal, r->campaign_name, r->label);
        else if (isnan(r->perf_median))
            rc = add_reason(h, "%s goal of '%s': %s %s", r->goal, r->campaign_name, r->label,
                            strcmp(r->goal, "engagement") == 0
                                ? fmt_pct(a, sizeof(a), c->perf_value)
                                : fmt_num(a, sizeof(a), c->perf_value));
        else
            rc = add_reason(
                h,
                "%s goal of '%s': %s %s is %.2fx the candidates' median %s: performance factor "
                "%.2f%s",
                r->goal, r->campaign_name, r->label,
                strcmp(r->goal, "engagement") == 0 ? fmt_pct(a, sizeof(a), c->perf_value)
                                                   : fmt_num(a, sizeof(a), c->perf_value),
                r->perf_median > 0 ? c->perf_value / r->perf_median : 0,
                strcmp(r->goal, "engagement") == 0 ? fmt_pct(b, sizeof(b), r->perf_median)
                                                   : fmt_num(b, sizeof(b), r->perf_median),
                c->performance, c->performance == 4 || c->performance == 0.25 ? " (capped)" : "");
    }
    if (rc == CR_OK && c->er_source != NULL) {
        const char *tier = r->scheme ? cr_tier_of(r->scheme, c->followers) : NULL;
        int ti = r->scheme ? tier_index(r->scheme, tier) : -1;
        double med = ti >= 0 && r->tiers->n[ti] > 0
                         ? cr_discover__median(r->tiers->v[ti], r->tiers->n[ti])
                         : NAN;
        if (strcmp(c->er_source, "reported") == 0)
            rc = add_reason(h, "ER %s as reported by the source (no post data)",
                            fmt_pct(a, sizeof(a), c->er));
        else if (!isnan(med) && med > 0)
            rc = add_reason(
                h,
                "ER %s by %s over %lld posts is %.2fx the %s tier median %s (%zu "
                "creators)",
                fmt_pct(a, sizeof(a), c->er), c->er_source,
                (long long)(strcmp(c->er_source, "reach") == 0 ? c->reach_posts : c->eng_posts),
                c->er / med, tier, fmt_pct(b, sizeof(b), med), r->tiers->n[ti]);
        else
            rc = add_reason(
                h, "ER %s by %s over %lld posts", fmt_pct(a, sizeof(a), c->er), c->er_source,
                (long long)(strcmp(c->er_source, "reach") == 0 ? c->reach_posts : c->eng_posts));
    }
    if (rc == CR_OK && r->q->country)
        rc = add_reason(h, "audience %.0f%% in %s (asked at least %.0f%%)",
                        100 * cr_audience_share_of(&c->aud, "country", r->q->country),
                        r->q->country, 100 * r->q->country_share);
    if (rc == CR_OK && r->q->age)
        rc = add_reason(h, "audience %.0f%% aged %s (asked at least %.0f%%)",
                        100 * cr_audience_share_of(&c->aud, "age", r->q->age), r->q->age,
                        100 * r->q->age_share);
    if (rc == CR_OK && r->q->gender)
        rc = add_reason(h, "audience %.0f%% %s (asked at least %.0f%%)",
                        100 * cr_audience_share_of(&c->aud, "gender", r->q->gender), r->q->gender,
                        100 * r->q->gender_share);
    if (rc == CR_OK && (r->q->min_fee_minor >= 0 || r->q->max_fee_minor >= 0))
        rc = add_reason(h, "fee %lld.%02lld %s within the range asked",
                        (long long)(c->fee_minor / 100), (long long)(c->fee_minor % 100),
                        c->fee_currency ? c->fee_currency : "");
    if (rc == CR_OK && !isnan(r->q->min_quality))
        rc = isnan(c->quality) ? add_reason(h, "no audience quality score yet (not filtered out)")
                               : add_reason(h, "audience quality %.0f (asked at least %.0f)",
                                            c->quality, r->q->min_quality);
    return rc;
}

static cr_err hit_from(cr_discover_hit *h, const cand *c, const reason_ctx *r)
{
    memset(h, 0, sizeof(*h));
    h->creator_id = c->id;
    h->platform = dupn(c->platform);
    h->handle = dupn(c->handle);
    h->name = dupn(c->name);
    h->country = dupn(c->country);
    h->language = dupn(c->language);
    h->tier = r->scheme ? dupn(cr_tier_of(r->scheme, c->followers)) : NULL;
    h->followers = c->followers;
    h->score = c->score;
    h->relevance = c->relevance;
    h->performance = c->performance;
    h->er = c->er;
    h->er_source = c->er_source;
    h->perf_value = c->perf_value;
    h->perf_label = r->label;
    h->topic_similarity = c->topic_sim;
    h->audience_similarity = c->audience_sim;
    h->fee_minor = c->fee_minor;
    h->fee_currency = dupn(c->fee_currency);
    h->quality = c->quality;
    if (h->platform == NULL || h->handle == NULL)
        return cr_error_oom();
    return reasons_for(h, c, r);
}

static void hit_dispose(cr_discover_hit *h)
{
    size_t i;

    cr_free(h->platform);
    cr_free(h->handle);
    cr_free(h->name);
    cr_free(h->country);
    cr_free(h->language);
    cr_free(h->tier);
    cr_free(h->fee_currency);
    for (i = 0; i < h->nreasons; i++)
        cr_free(h->reasons[i]);
    cr_free(h->reasons);
}

void cr_discover_result_dispose(cr_discover_result *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->nhits; i++)
        hit_dispose(&r->hits[i]);
    cr_free(r->hits);
    cr_free(r->goal);
    cr_free(r->campaign_name);
    cr_free(r->seed);
    cr_free(r->saved_name);
    memset(r, 0, sizeof(*r));
}

static cr_err seed_cb(const cr_discover_row *r, void *payload)
{
    return collect(r, payload);
}

/* the seed's SEED_WORDS heaviest words, for the candidate prefilter */
static cr_err seed_words(cr_str *out, const cand *seed)
{
    size_t used[SEED_WORDS], k, i, nused = 0;
    cr_err rc = CR_OK;

    for (k = 0; k < SEED_WORDS && k < seed->bag.n; k++) {
        size_t best = (size_t)-1;
        for (i = 0; i < seed->bag.n; i++) {
            size_t j;
            int taken = 0;
            for (j = 0; j < nused; j++)
                taken |= used[j] == i;
            if (!taken &&
                (best == (size_t)-1 || seed->bag.terms[i].weight > seed->bag.terms[best].weight))
                best = i;
        }
        used[nused++] = best;
        rc = cr_str_printf(out, "%s%.*s", out->len ? " " : "", (int)seed->bag.terms[best].len,
                           seed->bag.terms[best].word);
    }
    return rc;
}

cr_err cr_discover_run(cr_discover_result *out, cr_store *st, const cr_discover_query *q)
{
    cr_discover_filter f;
    campaign_ref camp, notin;
    cand_list list = { NULL, 0, 0 }, seedl = { NULL, 0, 0 };
    cr_tier_scheme *scheme = NULL;
    tier_acc tiers;
    idf_cache idf;
    cr_bag words;
    cr_str seedw;
    double *vals = NULL, *widf = NULL;
    reason_ctx rctx;
    size_t i, nv = 0, from, to;
    int by_followers = q->er_by && strcmp(q->er_by, "followers") == 0;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    memset(&camp, 0, sizeof(camp));
    memset(&notin, 0, sizeof(notin));
    memset(&tiers, 0, sizeof(tiers));
    memset(&idf, 0, sizeof(idf));
    cr_map_init(&idf.index);
    memset(&rctx, 0, sizeof(rctx));
    cr_bag_init(&words);
    cr_str_init(&seedw, 0);
    idf.st = st;

    if (q->like && q->topic) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "field 'like': lookalikes rank by the seed's own words; give either "
                          "like or topic words, found both ('%s' and '%s')",
                          q->like, q->topic);
        goto done;
    }
    if ((rc = cr_store_discover_refresh(st, 0)) < 0)
        goto done;
    memset(&f, 0, sizeof(f));
    f.platform = q->platform;
    f.min_followers = q->min_followers;
    f.max_followers = q->max_followers;
    f.language = q->language;
    f.country = q->country;
    f.country_share = q->country_share;
    f.age = q->age;
    f.age_share = q->age_share;
    f.gender = q->gender;
    f.gender_share = q->gender_share;
    f.min_quality = q->min_quality;
    f.min_fee_minor = q->min_fee_minor;
    f.max_fee_minor = q->max_fee_minor;
    f.include_opted_out = q->include_opted_out;
    f.cap = CAP_SEARCH;

    if (q->campaign) {
        if ((rc = find_campaign(&camp, st, "campaign", q->campaign)) < 0)
            goto done;
        out->goal = cr_strdup(camp.goal);
        out->campaign_name = cr_strdup(camp.name);
    }
    if (q->not_in) {
        if ((rc = find_campaign(&notin, st, "not_in", q->not_in)) < 0)
            goto done;
        f.not_in_campaign = notin.id;
    }
    if ((rc = cr_tier_scheme_load(&scheme, st, q->tier_scheme)) < 0) {
        rc = cr_error_set(rc, CR_ERRCLASS_PARSE, "field 'tier_scheme': %s",
                          cr_error_last() ? cr_error_last()->message : "unknown scheme");
        goto done;
    }
    if (q->tier) {
        int ti = tier_index(scheme, q->tier);
        int64_t lo, hi;
        if (ti < 0) {
            cr_str names;
            cr_str_init(&names, 0);
            for (i = 0; i < scheme->ntiers; i++)
                cr_str_printf(&names, "%s%s", i ? ", " : "", scheme->tiers[i].name);
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "field 'tier': expected a tier of %s (%s), found '%s'", scheme->name,
                              cr_str_cstr(&names), q->tier);
            cr_str_dispose(&names);
            goto done;
        }
        lo = scheme->tiers[ti].min_followers;
        hi = (size_t)ti + 1 < scheme->ntiers ? scheme->tiers[ti + 1].min_followers - 1 : -1;
        if (f.min_followers < lo)
            f.min_followers = lo;
        if (hi >= 0 && (f.max_followers < 0 || f.max_followers > hi))
            f.max_followers = hi;
    }
    if ((rc = cr_store_discover_df(&idf.ndocs, st, "")) < 0)
        goto done;

    if (q->like) {
        int64_t seed_id = 0;
        cand *seed;
        if ((rc = find_seed(&seed_id, st, q->like)) < 0)
            goto done;
        if ((rc = cr_store_discover_creator(st, seed_id, seed_cb, &seedl)) < 0)
            goto done;
        if (seedl.n != 1) {
            rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "no creator with id %lld",
                              (long long)seed_id);
            goto done;
        }
        seed = &seedl.c[0];
        out->seed_id = seed_id;
        {
            cr_str s;
            cr_str_init(&s, 0);
            cr_str_printf(&s, "%s/%s", seed->platform, seed->handle);
            out->seed = cr_str_detach(&s);
            cr_str_dispose(&s);
        }
        if ((rc = cr_bag_fill(&seed->bag, seed->doc)) < 0)
            goto done;
        cr_discover__tfidf(&seed->bag, idf_lookup, &idf);
        if (seed->audience && (rc = cr_audience_parse_json(&seed->aud, seed->audience)) < 0)
            goto done;
        if ((rc = seed_words(&seedw, seed)) < 0)
            goto done;
        f.fts = seedw.len > 0 ? cr_str_cstr(&seedw) : NULL;
        f.exclude_id = seed_id;
        f.cap = CAP_LIKE;
        rctx.seed = seed;
    } else if (q->topic) {
        f.fts = q->topic;
        if ((rc = cr_bag_fill(&words, q->topic)) < 0)
            goto done;
        if ((widf = cr_calloc(words.n + 1, sizeof(*widf))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        for (i = 0; i < words.n; i++)
            widf[i] = idf_lookup(words.terms[i].word, words.terms[i].len, &idf);
        rctx.words = &words;
    }
    if ((rc = cr_store_discover_candidates(st, &f, collect, &list)) < 0 || (rc = idf.rc) < 0)
        goto done;
    out->capped = (int64_t)list.n >= f.cap;

    for (i = 0; i < list.n; i++) {
        cand *c = &list.c[i];
        if ((rc = cr_bag_fill(&c->bag, c->doc)) < 0)
            goto done;
        /* audiences are compared for lookalikes; otherwise only the shown hits need theirs */
        if (rctx.seed && c->audience && (rc = cr_audience_parse_json(&c->aud, c->audience)) < 0)
            goto done;
        compute_er(c, by_followers);
        if ((!isnan(q->min_er) && (isnan(c->er) || c->er < q->min_er)) ||
            (!isnan(q->max_er) && (isnan(c->er) || c->er > q->max_er))) {
            c->dropped = 1;
            continue;
        }
        c->relevance = 1;
        if (rctx.seed) {
            cr_discover__tfidf(&c->bag, idf_lookup, &idf);
            c->topic_sim = cr_discover__cosine(&rctx.seed->bag, &c->bag);
            c->audience_sim = cr_audience_cosine(&rctx.seed->aud, &c->aud);
            c->relevance =
                isnan(c->audience_sim) ? c->topic_sim : 0.6 * c->topic_sim + 0.4 * c->audience_sim;
        } else if (rctx.words) {
            c->relevance = cr_discover__relevance(&c->bag, &words, widf);
        }
        c->perf_value = goal_value(c, out->goal);
        out->total++;
    }
    if ((rc = idf.rc) < 0)
        goto done;
    if ((vals = cr_calloc(list.n + 1, sizeof(*vals))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < list.n; i++)
        if (!list.c[i].dropped && !isnan(list.c[i].perf_value))
            vals[nv++] = list.c[i].perf_value;
    rctx.perf_median = cr_discover__median(vals, nv);
    for (i = 0; i < list.n; i++) {
        cand *c = &list.c[i];
        c->performance = out->goal ? cr_discover__perf_factor(c->perf_value, rctx.perf_median) : 1;
        c->score = c->relevance * c->performance;
    }
    if (list.n > 1)
        cr_qsort(list.c, list.n, sizeof(*list.c), cmp_cand);

    tiers.scheme = scheme;
    tiers.by_followers = by_followers;
    if ((rc = cr_store_discover_er_list(st, er_cb, &tiers)) < 0)
        goto done;
    rctx.q = q;
    rctx.goal = out->goal;
    rctx.campaign_name = out->campaign_name;
    rctx.label = goal_label(out->goal);
    rctx.scheme = scheme;
    rctx.tiers = &tiers;
    from = (size_t)q->offset;
    to = from + (size_t)q->limit;
    if (to > (size_t)out->total)
        to = (size_t)out->total;
    if (from < to) {
        if ((out->hits = cr_calloc(to - from, sizeof(*out->hits))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        for (i = from; i < to; i++) {
            cand *c = &list.c[i];
            if (!rctx.seed && c->audience &&
                (rc = cr_audience_parse_json(&c->aud, c->audience)) < 0)
                goto done;
            rc = hit_from(&out->hits[out->nhits], c, &rctx);
            out->nhits++;
            if (rc < 0)
                goto done;
        }
    }
    rc = CR_OK;
done:
    if (rc < 0)
        cr_discover_result_dispose(out);
    list_free(&list);
    list_free(&seedl);
    for (i = 0; i < 16; i++)
        cr_free(tiers.v[i]);
    cr_tier_scheme_free(scheme);
    idf_dispose(&idf);
    cr_bag_dispose(&words);
    cr_str_dispose(&seedw);
    cr_free(vals);
    cr_free(widf);
    cr_free(camp.name);
    cr_free(camp.goal);
    cr_free(notin.name);
    cr_free(notin.goal);
    return rc;
}

/* ---- saved searches ------------------------------------------------------------------------ */

cr_err cr_discover_save(cr_store *st, const char *name, const cr_discover_query *q)
{
    char *text = NULL;
    cr_err rc;

    if (name == NULL || *name == '\0' || strlen(name) > 100)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "saved search name: expected 1 to 100 characters, found '%s'",
                            name ? name : "");
    if ((rc = cr_discover_query_text(&text, q)) < 0)
        return rc;
    rc = cr_store_saved_search_put(st, name, text);
    cr_free(text);
    return rc;
}

typedef struct {
    int64_t id, run_at;
    char *query, *seen;
} saved_copy;

static cr_err saved_copy_cb(const cr_saved_search *s, void *payload)
{
    saved_copy *c = payload;

    c->id = s->id;
    c->run_at = s->run_at;
    c->query = cr_strdup(s->query);
    c->seen = cr_strdup(s->seen_ids);
    return c->query && c->seen ? CR_OK : cr_error_oom();
}

/* 1 when id is in the comma-separated list */
static int in_list(const char *list, int64_t id)
{
    const char *p = list;

    while (p && *p) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        if (v == id)
            return 1;
        p = *end == ',' ? end + 1 : end;
    }
    return 0;
}

/* Run a saved query fully (up to 500 hits) and record it. */
static cr_err run_recorded(cr_discover_result *out,
                           cr_store *st,
                           const saved_copy *s,
                           const cr_discover_query *page,
                           int seen)
{
    cr_discover_query q;
    cr_discover_result all;
    cr_str ids;
    size_t i;
    int64_t fresh = 0, now = (int64_t)time(NULL);
    cr_err rc;

    cr_discover_query_init(&q);
    memset(&all, 0, sizeof(all));
    cr_str_init(&ids, 0);
    if ((rc = cr_discover_query_parse(&q, s->query)) < 0)
        goto done;
    q.limit = 500;
    q.offset = 0;
    if ((rc = cr_discover_run(&all, st, &q)) < 0)
        goto done;
    rc = cr_str_puts(&ids, "");
    for (i = 0; i < all.nhits && rc == CR_OK; i++) {
        all.hits[i].is_new = !in_list(s->seen, all.hits[i].creator_id);
        fresh += all.hits[i].is_new;
        rc = cr_str_printf(&ids, "%s%lld", i ? "," : "", (long long)all.hits[i].creator_id);
    }
    if (rc < 0)
        goto done;
    if ((rc = cr_store_saved_search_ran(st, s->id, now, cr_str_cstr(&ids), all.total, fresh,
                                        seen ? cr_str_cstr(&ids) : NULL)) < 0)
        goto done;
    all.new_count = fresh;
    all.last_run = s->run_at;
    if (out != NULL) {
        /* page the full list */
        size_t from = page ? (size_t)page->offset : 0;
        size_t lim = page ? (size_t)page->limit : 20, k;
        *out = all;
        memset(&all, 0, sizeof(all));
        for (k = 0; k < out->nhits; k++)
            if (k < from || k >= from + lim)
                hit_dispose(&out->hits[k]);
        if (from < out->nhits) {
            size_t n = out->nhits - from < lim ? out->nhits - from : lim;
            memmove(out->hits, out->hits + from, n * sizeof(*out->hits));
            out->nhits = n;
        } else {
            out->nhits = 0;
        }
    }
done:
    cr_discover_query_dispose(&q);
    cr_discover_result_dispose(&all);
    cr_str_dispose(&ids);
    return rc;
}

cr_err cr_discover_run_saved(cr_discover_result *out,
                             cr_store *st,
                             const char *name,
                             const cr_discover_query *page)
{
    saved_copy s;
    cr_err rc;

    memset(&s, 0, sizeof(s));
    memset(out, 0, sizeof(*out));
    if ((rc = cr_store_saved_search_get(st, name, saved_copy_cb, &s)) == CR_OK)
        rc = run_recorded(out, st, &s, page, 1);
    if (rc == CR_OK && (out->saved_name = cr_strdup(name)) == NULL)
        rc = cr_error_oom();
    cr_free(s.query);
    cr_free(s.seen);
    return rc;
}

typedef struct {
    saved_copy *s;
    size_t n, cap;
} saved_all;

static cr_err saved_all_cb(const cr_saved_search *s, void *payload)
{
    saved_all *a = payload;

    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        saved_copy *n = cr_realloc(a->s, cap * sizeof(*n));
        if (n == NULL)
            return cr_error_oom();
        a->s = n;
        a->cap = cap;
    }
    memset(&a->s[a->n], 0, sizeof(a->s[a->n]));
    return saved_copy_cb(s, &a->s[a->n++]);
}

cr_err cr_discover_refresh_saved(cr_store *st)
{
    saved_all a = { NULL, 0, 0 };
    size_t i;
    cr_err rc = cr_store_saved_search_list(st, saved_all_cb, &a);

    for (i = 0; i < a.n && rc == CR_OK; i++)
        rc = run_recorded(NULL, st, &a.s[i], NULL, 0);
    for (i = 0; i < a.n; i++) {
        cr_free(a.s[i].query);
        cr_free(a.s[i].seen);
    }
    cr_free(a.s);
    return rc;
}

cr_err cr_discover_saved_list(cr_store *st, cr_saved_search_cb cb, void *payload)
{
    return cr_store_saved_search_list(st, cb, payload);
}

cr_err cr_discover_saved_delete(cr_store *st, const char *name)
{
    return cr_store_saved_search_delete(st, name);
}

void cr_creator_profile_init(cr_creator_profile *p)
{
    memset(p, 0, sizeof(*p));
    p->opted_out = -1;
    p->fee_minor = -1;
    p->quality = NAN;
}
