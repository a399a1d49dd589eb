/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * build.c - the report model of a campaign or a creator, from the store's rollups.
 *
 * A report never reads raw metric history: per-post figures come from the post rollups
 * (latest snapshot plus the units attributed to the post), partnership-level units (discount
 * codes) from the attributed list, the time series from the day-grain history, so a report
 * costs the same at 10 million metric rows as at a thousand. Every level (post, partnership,
 * creator, campaign) is a sum of rollups fed to the same KPI formulas (crest/kpi.h), so the
 * leaderboard adds up to the campaign's totals. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crest/report.h"
#include "crest/track.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY 86400

/* ---- small helpers ----------------------------------------------------------------------- */

static cr_err grow(void **arr, size_t *cap, size_t need, size_t size)
{
    size_t ncap;
    void *n;

    if (need <= *cap)
        return CR_OK;
    ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    if ((n = cr_realloc(*arr, ncap * size)) == NULL)
        return cr_error_oom();
    memset((char *)n + *cap * size, 0, (ncap - *cap) * size);
    *arr = n;
    *cap = ncap;
    return CR_OK;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static int64_t count_or_zero(int64_t v)
{
    return v > 0 ? v : 0;
}

void cr_report_add_rollup(cr_kpi_inputs *in, const cr_post_rollup *p)
{
    in->posts++;
    in->impressions += count_or_zero(p->impressions);
    in->reach += count_or_zero(p->reach);
    in->views += count_or_zero(p->views);
    in->likes += count_or_zero(p->likes);
    in->comments += count_or_zero(p->comments);
    in->shares += count_or_zero(p->shares);
    in->saves += count_or_zero(p->saves);
    in->clicks += count_or_zero(p->clicks);
    in->watch_seconds += count_or_zero(p->watch_seconds);
    in->sessions += count_or_zero(p->sessions);
    in->engaged_sessions += count_or_zero(p->engaged_sessions);
    in->session_seconds += count_or_zero(p->session_seconds);
    in->leads += count_or_zero(p->leads);
    in->qualified_leads += count_or_zero(p->qualified_leads);
    in->orders += count_or_zero(p->orders);
    in->revenue_minor += count_or_zero(p->revenue_minor);
}

/* Units attributed to a partnership or to one of its posts, on one day (the report counts
 * sessions, leads and orders by their date, as the goal layer does). */
static void add_attributed(cr_kpi_inputs *in, const cr_attributed *a)
{
    if (strcmp(a->kind, "sessions") == 0) {
        in->sessions += a->units;
        in->engaged_sessions += a->secondary;
        in->session_seconds += a->seconds;
    } else if (strcmp(a->kind, "leads") == 0) {
        in->leads += a->units;
        in->qualified_leads += a->secondary;
    } else if (strcmp(a->kind, "orders") == 0) {
        in->orders += a->units;
        in->revenue_minor += a->value_minor;
    }
}

/* Every catalog KPI of an entity; EMV from the summed post EMVs (the catalog formula has no
 * rate card). Mentions belong to a brand and follower growth to the campaign's snapshots: below
 * the campaign level they are not known, and say so rather than show a zero. */
static cr_err kpis_compute(cr_report_kpis *k, int campaign_level)
{
    size_t n, i;
    const cr_kpi_def *cat = cr_kpi_catalog(&n);

    if (k->kpis == NULL && (k->kpis = cr_calloc(n, sizeof(*k->kpis))) == NULL)
        return cr_error_oom();
    k->nkpis = n;
    for (i = 0; i < n; i++) {
        cr_kpi_compute(&k->kpis[i], &cat[i], &k->inputs);
        if (strcmp(cat[i].code, "emv") == 0 && !isnan(k->emv_minor)) {
            k->kpis[i].available = 1;
            k->kpis[i].missing = NULL;
            k->kpis[i].value = k->emv_minor;
            k->kpis[i].numerator = k->emv_minor;
        }
        if (!campaign_level &&
            (strcmp(cat[i].code, "mentions") == 0 || strcmp(cat[i].code, "mention_velocity") == 0 ||
             strcmp(cat[i].code, "share_of_voice") == 0)) {
            k->kpis[i].available = 0;
            k->kpis[i].missing = "mentions are counted per brand, at campaign level only";
        } else if (!campaign_level && strcmp(cat[i].code, "follower_growth") == 0) {
            k->kpis[i].available = 0;
            k->kpis[i].missing = "follower growth is computed per campaign from snapshots";
        }
    }
    return CR_OK;
}

const cr_kpi_value *cr_report_kpi_of(const cr_report_kpis *k, const char *code)
{
    size_t i;

    for (i = 0; i < k->nkpis; i++)
        if (strcmp(k->kpis[i].def->code, code) == 0)
            return &k->kpis[i];
    return NULL;
}

static void kpis_dispose(cr_report_kpis *k)
{
    cr_free(k->kpis);
    k->kpis = NULL;
}

static cr_err warn(cr_report *r, size_t *cap, const char *fmt, ...) CR_PRINTF(3, 4);

static cr_err warn(cr_report *r, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    cr_err rc;

    if ((rc = grow((void **)&r->warnings, cap, r->nwarnings + 1, sizeof(*r->warnings))) < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->nwarnings++], sizeof(*r->warnings), fmt, ap);
    va_end(ap);
    return CR_OK;
}

typedef struct {
    int64_t id, start, end;
    char name[200];
} campaign_ref;

/* ---- the state of one build -------------------------------------------------------------- */

typedef struct {
    cr_report *r;
    cr_store *st;
    size_t partners_cap, top_cap, unattr_cap, sources_cap, warnings_cap, brands_cap;
    cr_rate_card *card;
    cr_tier_scheme *tiers;
    char **brands;
    size_t nbrands;
    campaign_ref *campaigns; /* every campaign: for names and periods in creator reports */
    size_t ncampaigns, campaigns_cap;
    const char *own_brand;
    int split;
    /* time series: per-day increments, summed into r->days at the end */
    int64_t (*delta)[8];
    /* carry-forward state (the post being read, its last values), and the metric days kept
     * for sorting when the store's order was not by post and date */
    int64_t last_post, last_date, prev[4];
    int unordered;
    cr_metric_day *mdays;
    size_t nmdays, mdays_cap;
} build;

static void build_dispose(build *b)
{
    size_t i;

    cr_rate_card_free(b->card);
    cr_tier_scheme_free(b->tiers);
    for (i = 0; i < b->nbrands; i++)
        cr_free(b->brands[i]);
    cr_free(b->brands);
    cr_free(b->campaigns);
    cr_free(b->delta);
    cr_free(b->mdays);
}

static int cmp_partner_id(const void *a, const void *b)
{
    const cr_report_partner *x = a, *y = b;

    return x->partnership_id < y->partnership_id ? -1 : x->partnership_id > y->partnership_id;
}

/* A campaign's partners are sorted by id once read (a campaign may have thousands, each
 * looked up once per post); a creator's few are searched in order. */
static cr_report_partner *partner_by_id(cr_report *r, int64_t partnership_id)
{
    cr_report_partner key;
    size_t i;

    if (r->kind == CR_REPORT_CAMPAIGN) {
        if (r->npartners == 0)
            return NULL;
        key.partnership_id = partnership_id;
        return bsearch(&key, r->partners, r->npartners, sizeof(*r->partners), cmp_partner_id);
    }
    for (i = 0; i < r->npartners; i++)
        if (r->partners[i].partnership_id == partnership_id)
            return &r->partners[i];
    return NULL;
}

static cr_err brand_row(const cr_campaign *c, void *payload)
{
    build *b = payload;
    campaign_ref *cr;
    size_t i;
    cr_err rc;

    if ((rc = grow((void **)&b->campaigns, &b->campaigns_cap, b->ncampaigns + 1,
                   sizeof(*b->campaigns))) < 0)
        return rc;
    cr = &b->campaigns[b->ncampaigns++];
    cr->id = c->id;
    cr->start = c->start;
    cr->end = c->end;
    copy_str(cr->name, sizeof(cr->name), c->name);
    if (c->brand == NULL || *c->brand == '\0')
        return CR_OK;
    for (i = 0; i < b->nbrands; i++)
        if (strcasecmp(b->brands[i], c->brand) == 0)
            return CR_OK;
    if ((rc = grow((void **)&b->brands, &b->brands_cap, b->nbrands + 1, sizeof(char *))) < 0)
        return rc;
    if ((b->brands[b->nbrands] = cr_strdup(c->brand)) == NULL)
        return cr_error_oom();
    b->nbrands++;
    return CR_OK;
}

/* Rate card and tier scheme of the workspace; a missing one leaves EMV or tiers out with a
 * warning rather than failing the report. */
static cr_err load_tables(build *b, int64_t campaign_id)
{
    cr_err rc;

    /* a campaign's own card when one is set for it, else the workspace's active card */
    if ((campaign_id > 0 ? cr_rate_card_for_campaign(&b->card, b->st, campaign_id)
                         : cr_rate_card_load(&b->card, b->st, NULL)) < 0) {
        b->card = NULL;
        if ((rc = warn(b->r, &b->warnings_cap, "EMV left out: no media-value rate card (%s)",
                       cr_error_last()->message)) < 0)
            return rc;
    } else {
        copy_str(b->r->emv_card, sizeof(b->r->emv_card), b->card->version);
        copy_str(b->r->emv_currency, sizeof(b->r->emv_currency), b->card->currency);
    }
    if (cr_tier_scheme_load(&b->tiers, b->st, NULL) < 0) {
        b->tiers = NULL;
        cr_error_clear();
    }
    return cr_store_campaign_list(b->st, brand_row, b);
}

static const char *tier_of(build *b, int64_t followers)
{
    const char *t = NULL;

    if (b->tiers && followers >= 0)
        t = cr_tier_of(b->tiers, followers);
    return t ? t : "";
}

static double post_emv(build *b, const cr_post_rollup *p, char *log, size_t logsize)
{
    cr_emv e;

    if (b->card != NULL) {
        cr_emv_post(&e, b->card, p, (const char *const *)b->brands, b->nbrands, b->own_brand,
                    b->split);
        if (log)
            copy_str(log, logsize, e.log);
        return e.value_minor;
    }
    if (log)
        copy_str(log, logsize, "no rate card");
    return NAN;
}

/* Keep the top posts by engagements (ties: the older post id first). */
static cr_err top_post(build *b, const cr_post_rollup *p)
{
    cr_report *r = b->r;
    cr_kpi_inputs in;
    int64_t eng;
    size_t pos;
    cr_report_post *t;
    cr_err rc;

    memset(&in, 0, sizeof(in));
    cr_report_add_rollup(&in, p);
    eng = in.likes + in.comments + in.shares + in.saves;
    for (pos = r->ntop; pos > 0; pos--) {
        const cr_kpi_inputs *o = &r->top[pos - 1].k.inputs;
        if (o->likes + o->comments + o->shares + o->saves >= eng)
            break;
    }
    if (pos >= CR_REPORT_TOP_POSTS)
        return CR_OK;
    if (r->ntop == CR_REPORT_TOP_POSTS)
        r->ntop--; /* the last one drops out (its kpis are not computed yet) */
    if ((rc = grow((void **)&r->top, &b->top_cap, r->ntop + 1, sizeof(*r->top))) < 0)
        return rc;
    memmove(&r->top[pos + 1], &r->top[pos], (r->ntop - pos) * sizeof(*r->top));
    r->ntop++;
    t = &r->top[pos];
    memset(t, 0, sizeof(*t));
    t->post_id = p->post_id;
    copy_str(t->platform, sizeof(t->platform), p->platform);
    copy_str(t->handle, sizeof(t->handle), p->handle);
    copy_str(t->url, sizeof(t->url), p->url);
    copy_str(t->external_id, sizeof(t->external_id), p->external_id);
    copy_str(t->format, sizeof(t->format), p->format);
    t->posted_at = p->posted_at;
    t->captured_at = p->captured_at;
    t->k.inputs = in;
    t->k.emv_minor = post_emv(b, p, t->emv_log, sizeof(t->emv_log));
    return CR_OK;
}

/* ---- campaign --------------------------------------------------------------------------- */

static cr_err partner_row(const cr_partnership *pa, void *payload)
{
    build *b = payload;
    cr_report *r = b->r;
    cr_report_partner *p;
    cr_err rc;

    if ((rc = grow((void **)&r->partners, &b->partners_cap, r->npartners + 1,
                   sizeof(*r->partners))) < 0)
        return rc;
    p = &r->partners[r->npartners++];
    memset(p, 0, sizeof(*p));
    p->partnership_id = pa->id;
    p->creator_id = pa->creator_id;
    p->campaign_id = pa->campaign_id;
    copy_str(p->platform, sizeof(p->platform), pa->platform);
    copy_str(p->handle, sizeof(p->handle), pa->handle);
    copy_str(p->promo_code, sizeof(p->promo_code), pa->promo_code);
    p->fee_minor = pa->fee_minor;
    p->product_cost_minor = pa->product_cost_minor;
    p->k.inputs.spend_minor = pa->fee_minor + pa->product_cost_minor;
    p->k.emv_minor = b->card ? 0 : NAN;
    p->followers = CR_COUNT_NONE;
    return CR_OK;
}

static cr_err campaign_rollup(const cr_post_rollup *p, void *payload)
{
    build *b = payload;
    cr_report *r = b->r;
    cr_report_partner *pa = partner_by_id(r, p->partnership_id);
    double emv = post_emv(b, p, NULL, 0);
    cr_post_rollup metrics = *p;

    /* sessions, leads and orders come from the attributed units of the report's days
     * (campaign_attributed), dated as the goal layer counts them; a post's rollup holds all of
     * its units, whenever they came */
    metrics.sessions = metrics.engaged_sessions = metrics.session_seconds = 0;
    metrics.leads = metrics.qualified_leads = metrics.orders = metrics.revenue_minor = 0;
    r->nposts++;
    cr_report_add_rollup(&r->totals.inputs, &metrics);
    if (!isnan(emv))
        r->totals.emv_minor += emv;
    if (pa) {
        cr_report_add_rollup(&pa->k.inputs, &metrics);
        if (!isnan(emv))
            pa->k.emv_minor += emv;
        if (p->followers >= 0)
            pa->followers = p->followers;
    }
    return top_post(b, p);
}

static int day_index(const cr_report *r, int64_t date)
{
    int64_t i = (date - r->since) / DAY;

    if (date < r->since)
        return 0;
    return i < (int64_t)r->ndays ? (int)i : -1;
}

enum { S_IMPRESSIONS, S_REACH, S_ENGAGEMENTS, S_CLICKS, S_SESSIONS, S_LEADS, S_ORDERS, S_REVENUE };

static cr_err campaign_attributed(const cr_attributed *a, void *payload)
{
    build *b = payload;
    cr_report *r = b->r;
    cr_report_attr *at = NULL;
    size_t i;
    int di;

    for (i = 0; i < 3; i++)
        if (strcmp(r->attribution[i].kind, a->kind) == 0)
            at = &r->attribution[i];
    if (at == NULL)
        return CR_OK; /* a kind this report does not know */
    if (a->post_id > 0)
        at->to_posts += a->units;
    else
        at->to_partnerships += a->units;
    if (strcmp(a->method, "code") == 0)
        at->by_code += a->units;
    else if (strcmp(a->method, "landing_utm") == 0)
        at->by_landing_utm += a->units;
    else
        at->by_utm += a->units;
    at->revenue_minor += a->value_minor;
    {
        cr_report_partner *pa = partner_by_id(r, a->partnership_id);
        add_attributed(&r->totals.inputs, a);
        if (pa)
            add_attributed(&pa->k.inputs, a);
    }
    if ((di = day_index(r, a->date)) >= 0) {
        if (strcmp(a->kind, "sessions") == 0)
            b->delta[di][S_SESSIONS] += a->units;
        else if (strcmp(a->kind, "leads") == 0)
            b->delta[di][S_LEADS] += a->units;
        else {
            b->delta[di][S_ORDERS] += a->units;
            b->delta[di][S_REVENUE] += a->value_minor;
        }
    }
    return CR_OK;
}

/* Carry each post's last value forward: a snapshot changes the campaign's total from its day
 * on by its difference to the post's previous snapshot. Days arrive by post, then date. */
static void apply_metric_day(build *b, const cr_metric_day *d)
{
    int64_t cur[4];
    int di = day_index(b->r, d->date), k;

    if (d->post_id != b->last_post)
        memset(b->prev, 0, sizeof(b->prev));
    b->last_post = d->post_id;
    b->last_date = d->date;
    cur[0] = count_or_zero(d->impressions);
    cur[1] = count_or_zero(d->reach);
    cur[2] = count_or_zero(d->likes) + count_or_zero(d->comments) + count_or_zero(d->shares) +
             count_or_zero(d->saves);
    cur[3] = count_or_zero(d->clicks);
    if (di < 0)
        return; /* after the window */
    for (k = 0; k < 4; k++) {
        b->delta[di][S_IMPRESSIONS + k] += cur[k] - b->prev[k];
        b->prev[k] = cur[k];
    }
}

/* Streamed (the store's order is by post, then date: no copy of the history is kept); a row
 * out of that order stops the stream, and the history is read again and sorted. */
static cr_err campaign_metric_day(const cr_metric_day *d, void *payload)
{
    build *b = payload;

    if (b->last_post != 0 &&
        (d->post_id < b->last_post || (d->post_id == b->last_post && d->date <= b->last_date))) {
        b->unordered = 1;
        return CR_ITEROVER;
    }
    apply_metric_day(b, d);
    return CR_OK;
}

static cr_err collect_metric_day(const cr_metric_day *d, void *payload)
{
    build *b = payload;
    cr_err rc;

    if ((rc = grow((void **)&b->mdays, &b->mdays_cap, b->nmdays + 1, sizeof(*b->mdays))) < 0)
        return rc;
    b->mdays[b->nmdays++] = *d;
    return CR_OK;
}

static int cmp_mday(const void *a, const void *b)
{
    const cr_metric_day *x = a, *y = b;

    if (x->post_id != y->post_id)
        return x->post_id < y->post_id ? -1 : 1;
    return x->date < y->date ? -1 : x->date > y->date;
}

static cr_err series_metrics(build *b, const cr_rollup_filter *f)
{
    cr_report *r = b->r;
    size_t i;
    int k;
    cr_err rc = cr_store_metric_days(b->st, f, campaign_metric_day, b);

    if (rc < 0 && !(rc == CR_ITEROVER && b->unordered))
        return rc;
    if (!b->unordered)
        return CR_OK;
    cr_error_clear();
    for (i = 0; i < r->ndays; i++)
        for (k = 0; k < 4; k++)
            b->delta[i][S_IMPRESSIONS + k] = 0;
    if ((rc = cr_store_metric_days(b->st, f, collect_metric_day, b)) < 0)
        return rc;
    cr_qsort(b->mdays, b->nmdays, sizeof(*b->mdays), cmp_mday);
    b->last_post = 0;
    for (i = 0; i < b->nmdays; i++)
        apply_metric_day(b, &b->mdays[i]);
    return CR_OK;
}

static void series_sum(build *b)
{
    cr_report *r = b->r;
    int64_t run[8] = { 0 };
    size_t i;
    int k;

    for (i = 0; i < r->ndays; i++) {
        cr_report_day *d = &r->days[i];
        for (k = 0; k < 8; k++)
            run[k] += b->delta[i][k];
        d->date = r->since + (int64_t)i * DAY;
        d->impressions = run[S_IMPRESSIONS];
        d->reach = run[S_REACH];
        d->engagements = run[S_ENGAGEMENTS];
        d->clicks = run[S_CLICKS];
        d->sessions = run[S_SESSIONS];
        d->leads = run[S_LEADS];
        d->orders = run[S_ORDERS];
        d->revenue_minor = run[S_REVENUE];
    }
}

static cr_err campaign_unattributed(const cr_unattributed *u, void *payload)
{
    build *b = payload;
    cr_report *r = b->r;
    cr_report_unattr *x;
    size_t i;
    cr_err rc;

    if ((rc = grow((void **)&r->unattr, &b->unattr_cap, r->nunattr + 1, sizeof(*r->unattr))) < 0)
        return rc;
    x = &r->unattr[r->nunattr++];
    copy_str(x->kind, sizeof(x->kind), u->kind);
    copy_str(x->reason, sizeof(x->reason), u->reason);
    x->rows = u->rows;
    x->units = u->units;
    x->value_minor = u->value_minor;
    for (i = 0; i < 3; i++)
        if (strcmp(r->attribution[i].kind, u->kind) == 0) {
            r->attribution[i].unattributed += u->units;
            r->attribution[i].unattributed_rows += u->rows;
        }
    return CR_OK;
}

static cr_err source_row(const cr_source *s, void *payload)
{
    build *b = payload;
    cr_report *r = b->r;
    cr_report_source *x;
    int64_t t;
    cr_err rc;

    if ((rc = grow((void **)&r->sources, &b->sources_cap, r->nsources + 1, sizeof(*r->sources))) <
        0)
        return rc;
    x = &r->sources[r->nsources++];
    copy_str(x->kind, sizeof(x->kind), s->kind);
    copy_str(x->file, sizeof(x->file), s->file);
    x->imports = s->imports;
    x->last_import = s->last_import;
    x->newest_data = s->newest_data;
    t = s->newest_data > 0 ? s->newest_data : s->last_import;
    x->age_days = t > 0 ? (double)(r->generated_at - t) / DAY : NAN;
    x->stale = !isnan(x->age_days) && x->age_days > r->stale_days;
    if (x->stale)
        return warn(r, &b->warnings_cap,
                    "stale source: %s data is %.0f days old (newest %s, from %s); the threshold "
                    "is %d days (setting freshness.stale_days)",
                    x->kind, x->age_days, s->newest_data > 0 ? "data" : "import",
                    x->file[0] ? x->file : "?", r->stale_days);
    return CR_OK;
}

typedef struct {
    int days;
    char found[64];
} stale_setting;

static cr_err stale_setting_row(const char *key, const char *value, int64_t at, void *payload)
{
    stale_setting *ss = payload;
    char *end = NULL;
    long n = strtol(value, &end, 10);

    (void)key;
    (void)at;
    if (end == value || *end != '\0' || n < 1 || n > 3650) {
        snprintf(ss->found, sizeof(ss->found), "%s", value);
        return CR_OK;
    }
    ss->days = (int)n;
    return CR_OK;
}

/* The freshness threshold: setting "freshness.stale_days", else the default. */
static cr_err stale_days(int *out, cr_store *st)
{
    stale_setting ss;
    cr_err rc;

    memset(&ss, 0, sizeof(ss));
    *out = CR_REPORT_STALE_DAYS;
    rc = cr_store_setting_get(st, "freshness.stale_days", stale_setting_row, &ss);
    if (rc == CR_ENOTFOUND) {
        cr_error_clear();
        return CR_OK;
    }
    if (rc < 0)
        return rc;
    if (ss.days == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "setting freshness.stale_days: expected a number of days from 1 to "
                            "3650, found '%s'",
                            ss.found);
    *out = ss.days;
    return CR_OK;
}

static double sort_value(const cr_report_partner *p, const char *code, int *ok)
{
    const cr_kpi_value *v = cr_report_kpi_of(&p->k, code);

    *ok = v && v->available;
    return *ok ? v->value * v->def->direction : 0;
}

static const char *sort_code;

static int cmp_partner(const void *a, const void *b)
{
    const cr_report_partner *x = a, *y = b;
    int okx, oky;
    double vx = sort_value(x, sort_code, &okx), vy = sort_value(y, sort_code, &oky);

    if (okx != oky)
        return okx ? -1 : 1;
    if (vx != vy)
        return vx > vy ? -1 : 1;
    return x->partnership_id < y->partnership_id ? -1 : x->partnership_id > y->partnership_id;
}

/* The leaderboard's order: the campaign's first primary KPI that some partnership has a value
 * for (comment quality, say, may not be measurable yet), else engagements. */
static cr_err pick_sort_kpi(cr_report *r)
{
    size_t i, j;

    if (r->sort_kpi[0])
        return CR_OK;
    for (i = 0; i < r->nkpis && r->sort_kpi[0] == '\0'; i++) {
        if (!r->kpis[i].primary)
            continue;
        for (j = 0; j < r->npartners; j++) {
            const cr_kpi_value *v = cr_report_kpi_of(&r->partners[j].k, r->kpis[i].def->code);
            if (v && v->available) {
                copy_str(r->sort_kpi, sizeof(r->sort_kpi), r->kpis[i].def->code);
                break;
            }
        }
    }
    if (r->sort_kpi[0] == '\0')
        copy_str(r->sort_kpi, sizeof(r->sort_kpi), "engagements");
    return CR_OK;
}

static void funnel(cr_report *r)
{
    static const char *const steps[] = { "impressions", "clicks", "sessions", "leads", "orders" };
    const cr_kpi_inputs *in = &r->totals.inputs;
    int64_t v[5];
    size_t i;

    v[0] = in->impressions;
    v[1] = in->clicks;
    v[2] = in->sessions;
    v[3] = in->leads;
    v[4] = in->orders;
    for (i = 0; i < 5; i++) {
        r->funnel[i].step = steps[i];
        r->funnel[i].value = v[i];
        r->funnel[i].rate = i > 0 && v[i - 1] > 0 ? (double)v[i] / (double)v[i - 1] : NAN;
    }
}

static cr_err partner_followers(const cr_creator *c, void *payload)
{
    cr_report_partner *p = payload;

    p->followers = c->followers;
    return CR_OK;
}

/* What every report ends with: KPIs of each level, ranking, funnel, sources, warnings. */
static cr_err finish(build *b)
{
    cr_report *r = b->r;
    size_t i;
    cr_err rc;

    for (i = 0; i < r->npartners; i++) {
        cr_report_partner *p = &r->partners[i];
        /* a partner without posts yet: followers (for the tier) from the creator's profile */
        if (p->followers < 0 && p->creator_id > 0 &&
            (rc = cr_store_creator_get(b->st, p->creator_id, partner_followers, p)) < 0)
            return rc;
        copy_str(p->tier, sizeof(p->tier), tier_of(b, p->followers));
        p->k.inputs.days = r->totals.inputs.days;
        if ((rc = kpis_compute(&p->k, 0)) < 0)
            return rc;
    }
    for (i = 0; i < r->ntop; i++) {
        r->top[i].k.inputs.days = r->totals.inputs.days;
        if ((rc = kpis_compute(&r->top[i].k, 0)) < 0)
            return rc;
    }
    if ((rc = kpis_compute(&r->totals, r->kind == CR_REPORT_CAMPAIGN)) < 0)
        return rc;
    if ((rc = pick_sort_kpi(r)) < 0)
        return rc;
    sort_code = r->sort_kpi;
    cr_qsort(r->partners, r->npartners, sizeof(*r->partners), cmp_partner);
    for (i = 0; i < r->npartners; i++)
        r->partners[i].rank = (int)i + 1;
    funnel(r);
    if ((rc = cr_store_source_list(b->st, source_row, b)) < 0)
        return rc;
    if (r->nposts > 1 &&
        (rc = warn(r, &b->warnings_cap,
                   "reach is summed over %lld posts: an upper bound of unique reach (people who "
                   "saw two posts count twice)",
                   (long long)r->nposts)) < 0)
        return rc;
    return CR_OK;
}

static cr_report *report_new(const cr_report_options *opts, cr_report_kind kind)
{
    cr_report *r = cr_calloc(1, sizeof(*r));
    static const char *const kinds[] = { "sessions", "leads", "orders" };
    size_t i;

    if (r == NULL)
        return NULL;
    r->kind = kind;
    r->generated_at = opts && opts->now ? opts->now : cr_now();
    r->totals.emv_minor = NAN;
    for (i = 0; i < 3; i++)
        r->attribution[i].kind = kinds[i];
    return r;
}

cr_err cr_report_campaign(cr_report **out,
                          cr_store *st,
                          int64_t campaign_id,
                          const cr_report_options *opts)
{
    cr_campaign_progress *prog = NULL;
    cr_rollup_filter f;
    cr_report *r = NULL;
    build b;
    size_t i;
    cr_err rc;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    if ((r = report_new(opts, CR_REPORT_CAMPAIGN)) == NULL)
        return cr_error_oom();
    b.r = r;
    b.st = st;
    if ((rc = cr_campaign_load(&r->campaign, st, campaign_id)) < 0 ||
        (rc = cr_campaign_progress_compute(&prog, st, r->campaign, opts ? opts->as_of : 0)) < 0 ||
        (rc = stale_days(&r->stale_days, st)) < 0)
        goto done;
    copy_str(r->currency, sizeof(r->currency), r->campaign->currency);
    r->as_of = prog->as_of;
    r->since = r->campaign->start;
    r->until = prog->as_of + DAY;
    r->elapsed = prog->elapsed;
    r->ndays = r->until > r->since ? (size_t)((r->until - r->since) / DAY) : 0;
    r->totals.inputs.days = (int64_t)r->ndays;
    /* what is not per post (brand mentions, partners' follower snapshots) as the goal layer
     * sums it for the window */
    r->totals.inputs.mentions_brand = prog->inputs.mentions_brand;
    r->totals.inputs.mentions_competitors = prog->inputs.mentions_competitors;
    r->totals.inputs.followers_start = prog->inputs.followers_start;
    r->totals.inputs.followers_end = prog->inputs.followers_end;
    /* the campaign's KPIs, exactly as the goal layer judges them */
    if (prog->nkpis && (r->kpis = cr_calloc(prog->nkpis, sizeof(*r->kpis))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < prog->nkpis; i++) {
        cr_report_kpi *k = &r->kpis[r->nkpis++];
        const cr_kpi_progress *kp = &prog->kpis[i];
        k->def = kp->def;
        k->primary = kp->primary;
        k->actual = kp->actual;
        k->baseline = kp->baseline;
        k->target = kp->target;
        k->pct_of_target = kp->pct_of_target;
        k->projected = kp->projected;
        k->status = kp->status;
        copy_str(k->note, sizeof(k->note), kp->note);
    }
    b.own_brand = r->campaign->brand;
    b.split = strcmp(r->campaign->emv_credit, "split") == 0;
    if ((rc = load_tables(&b, campaign_id)) < 0)
        goto done;
    r->totals.emv_minor = b.card ? 0 : NAN;
    if ((rc = cr_store_partnership_list(st, campaign_id, partner_row, &b)) < 0)
        goto done;
    cr_qsort(r->partners, r->npartners, sizeof(*r->partners), cmp_partner_id);
    if (r->ndays && (b.delta = cr_calloc(r->ndays, sizeof(*b.delta))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if (r->ndays && (r->days = cr_calloc(r->ndays, sizeof(*r->days))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < r->npartners; i++)
        r->totals.inputs.spend_minor += r->partners[i].k.inputs.spend_minor;
    memset(&f, 0, sizeof(f));
    f.campaign_id = campaign_id;
    f.since = r->since; /* the posts the goal layer counts: published in the window */
    f.until = r->until;
    if ((rc = cr_store_rollup_list(st, &f, campaign_rollup, &b)) < 0)
        goto done;
    if (r->ndays) {
        if ((rc = cr_store_attributed_list(st, campaign_id, r->since, r->until, campaign_attributed,
                                           &b)) < 0 ||
            (rc = series_metrics(&b, &f)) < 0 ||
            (rc = cr_store_unattributed_list(st, r->since, r->until, campaign_unattributed, &b)) <
                0)
            goto done;
        series_sum(&b);
    }
    rc = finish(&b);
done:
    cr_campaign_progress_free(prog);
    build_dispose(&b);
    if (rc < 0) {
        cr_report_free(r);
        return rc;
    }
    *out = r;
    return CR_OK;
}

/* ---- creator ---------------------------------------------------------------------------- */

static cr_err creator_info(const cr_creator *c, void *payload)
{
    cr_report *r = payload;

    copy_str(r->platform, sizeof(r->platform), c->platform);
    copy_str(r->handle, sizeof(r->handle), c->handle);
    r->followers = c->followers;
    return CR_OK;
}

static cr_err creator_partner_row(const cr_partnership *pa, void *payload)
{
    build *b = payload;

    if (pa->creator_id != b->r->creator_id)
        return CR_OK;
    /* a creator's money figures are in the currency of their (first) partnership */
    if (b->r->currency[0] == '\0')
        copy_str(b->r->currency, sizeof(b->r->currency), pa->currency);
    return partner_row(pa, b);
}

static cr_err creator_rollup(const cr_post_rollup *p, void *payload)
{
    build *b = payload;
    cr_report *r = b->r;
    cr_report_partner *pa = partner_by_id(r, p->partnership_id);
    double emv = post_emv(b, p, NULL, 0);
    cr_err rc;

    if (pa == NULL) {
        /* posts outside any partnership of the creator: one row of their own */
        cr_partnership none;
        memset(&none, 0, sizeof(none));
        none.id = p->partnership_id;
        none.creator_id = r->creator_id;
        none.campaign_id = p->campaign_id;
        none.platform = r->platform;
        none.handle = r->handle;
        if ((rc = partner_row(&none, b)) < 0)
            return rc;
        pa = &r->partners[r->npartners - 1];
        copy_str(pa->campaign, sizeof(pa->campaign), "(no partnership)");
    }
    r->nposts++;
    cr_report_add_rollup(&r->totals.inputs, p);
    cr_report_add_rollup(&pa->k.inputs, p);
    if (!isnan(emv)) {
        r->totals.emv_minor += emv;
        pa->k.emv_minor += emv;
    }
    if (r->since == 0 || p->posted_at < r->since)
        r->since = p->posted_at - p->posted_at % DAY;
    return top_post(b, p);
}

typedef struct {
    build *b;
    cr_report_partner *p;
} creator_attr;

static cr_err creator_attributed(const cr_attributed *a, void *payload)
{
    creator_attr *ca = payload;

    if (a->post_id != 0 || a->partnership_id != ca->p->partnership_id)
        return CR_OK;
    add_attributed(&ca->b->r->totals.inputs, a);
    add_attributed(&ca->p->k.inputs, a);
    return CR_OK;
}

cr_err
cr_report_creator(cr_report **out, cr_store *st, int64_t creator_id, const cr_report_options *opts)
{
    cr_rollup_filter f;
    cr_report *r = NULL;
    build b;
    size_t i, j;
    cr_err rc;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    if ((r = report_new(opts, CR_REPORT_CREATOR)) == NULL)
        return cr_error_oom();
    b.r = r;
    b.st = st;
    r->creator_id = creator_id;
    if ((rc = cr_store_creator_get(st, creator_id, creator_info, r)) < 0 ||
        (rc = stale_days(&r->stale_days, st)) < 0 || (rc = load_tables(&b, 0)) < 0)
        goto done;
    copy_str(r->tier, sizeof(r->tier), tier_of(&b, r->followers));
    r->totals.emv_minor = b.card ? 0 : NAN;
    copy_str(r->sort_kpi, sizeof(r->sort_kpi), "engagements");
    r->as_of = opts && opts->as_of ? opts->as_of : r->generated_at;
    r->as_of -= r->as_of % DAY;
    r->until = r->as_of + DAY;
    /* the creator's partnerships first (no store call runs inside another's callback) */
    for (i = 0; i < b.ncampaigns; i++) {
        size_t before = r->npartners;
        if ((rc = cr_store_partnership_list(st, b.campaigns[i].id, creator_partner_row, &b)) < 0)
            goto done;
        for (j = before; j < r->npartners; j++)
            copy_str(r->partners[j].campaign, sizeof(r->partners[j].campaign), b.campaigns[i].name);
    }
    for (i = 0; i < r->npartners; i++)
        r->totals.inputs.spend_minor += r->partners[i].k.inputs.spend_minor;
    memset(&f, 0, sizeof(f));
    f.creator_id = creator_id;
    f.until = r->until;
    if ((rc = cr_store_rollup_list(st, &f, creator_rollup, &b)) < 0)
        goto done;
    for (i = 0; i < r->npartners; i++) {
        cr_report_partner *p = &r->partners[i];
        creator_attr ca;
        for (j = 0; j < b.ncampaigns && b.campaigns[j].id != p->campaign_id; j++)
            ;
        if (p->partnership_id == 0 || j == b.ncampaigns)
            continue;
        ca.b = &b;
        ca.p = p;
        if ((rc = cr_store_attributed_list(st, p->campaign_id, b.campaigns[j].start,
                                           b.campaigns[j].end + DAY, creator_attributed, &ca)) < 0)
            goto done;
    }
    if (r->since == 0)
        r->since = r->as_of;
    r->totals.inputs.days = (r->until - r->since) / DAY;
    rc = finish(&b);
done:
    build_dispose(&b);
    if (rc < 0) {
        cr_report_free(r);
        return rc;
    }
    *out = r;
    return CR_OK;
}

void cr_report_free(cr_report *r)
{
    size_t i;

    if (r == NULL)
        return;
    cr_campaign_spec_free(r->campaign);
    cr_free(r->kpis);
    kpis_dispose(&r->totals);
    cr_free(r->days);
    for (i = 0; i < r->npartners; i++)
        kpis_dispose(&r->partners[i].k);
    cr_free(r->partners);
    for (i = 0; i < r->ntop; i++)
        kpis_dispose(&r->top[i].k);
    cr_free(r->top);
    cr_free(r->unattr);
    cr_free(r->sources);
    cr_free(r->warnings);
    cr_free(r);
}
