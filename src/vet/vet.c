/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * vet.c - vetting one creator from the store: gathers its posts' rollups, follower snapshots
 * and comments, measures engagement against the tier benchmark, likes per comment against the
 * workspace's typical, growth spikes and comment quality, composes the Audience Quality Score
 * with a bootstrap interval, writes the reasons in plain words and the goal-aware verdict, and
 * scans captions for brand-safety terms. The statistics themselves are in stats.c; every
 * formula and threshold is in docs/vetting.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/goals.h"
#include "crest/model.h"
#include "crest/track.h"
#include "crest/vet.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/map.h"
#include "util/rng.h"

#define DAY               86400
#define WINDOW_DAYS       60   /* Modash measures ER over about two months */
#define WINDOW_MIN_POSTS  10   /* ... but never over fewer posts than this when there are more */
#define SPIKE_Z           6.0  /* robust z a daily change must reach to be a spike */
#define SPIKE_MIN_SHARE   0.01 /* ... and at least 1% of the followers the day before */
#define MIN_DELTAS        7    /* a week of daily changes before spikes are judged */
#define MIN_COMMENTS      10   /* comments before their quality is scored */
#define MIN_LC_POSTS      3    /* posts with likes and comments before the ratio is scored */
#define MIN_PEERS         5    /* creators behind a typical likes-per-comment */
#define RING_MIN_POSTS    3    /* a recurring commenter comments on at least 3 posts */
#define RING_MIN_SHARE    0.25 /* ... and on at least a quarter of the commented posts */
#define RING_MIN_MEMBERS  3    /* a ring is at least 3 such accounts */
#define DEFAULT_BOOTSTRAP 400

/* ---- posts ---------------------------------------------------------------------------- */

typedef struct {
    int64_t post_id, posted_at;
    double eng;   /* likes + comments + shares + saves (known ones); < 0 unknown */
    double denom; /* followers, views, reach or impressions by the ER definition; <= 0 none */
    double likes, comments; /* < 0 unknown */
    int story;
} post_obs;

typedef struct {
    cr_vet_report *r;
    const cr_term_lists *terms;
    const char *definition;
    post_obs *posts;
    size_t n, cap;
    int64_t creator_followers;
} post_ctx;

static double known_sum(const cr_post_rollup *p, int *known)
{
    int64_t parts[4] = { p->likes, p->comments, p->shares, p->saves };
    double e = 0;
    int i;

    *known = 0;
    for (i = 0; i < 4; i++)
        if (parts[i] != CR_COUNT_NONE) {
            e += (double)parts[i];
            *known = 1;
        }
    return e;
}

/* An excerpt of about 140 bytes around a match, cut on UTF-8 character boundaries. */
static void excerpt(char *out, size_t size, const char *text, size_t offset)
{
    size_t len = strlen(text), start = offset > 60 ? offset - 60 : 0, end;

    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    end = start + size - 8 < len ? start + size - 8 : len;
    while (end < len && end > start && ((unsigned char)text[end] & 0xC0) == 0x80)
        end--;
    snprintf(out, size, "%s%.*s%s", start > 0 ? "..." : "", (int)(end - start), text + start,
             end < len ? "..." : "");
}

typedef struct {
    cr_vet_report *r;
    const cr_post_rollup *p;
} scan_ctx;

static cr_err got_match(const cr_term_match *m, void *payload)
{
    scan_ctx *s = payload;
    cr_vet_report *r = s->r;
    cr_vet_flag *f;

    r->flags_total++;
    if (r->nflags == CR_VET_MAX_FLAGS)
        return CR_OK;
    f = &r->flags[r->nflags++];
    memset(f, 0, sizeof(*f));
    f->post_id = s->p->post_id;
    f->posted_at = s->p->posted_at;
    snprintf(f->url, sizeof(f->url), "%s", s->p->url ? s->p->url : "");
    snprintf(f->external_id, sizeof(f->external_id), "%s",
             s->p->external_id ? s->p->external_id : "");
    snprintf(f->list, sizeof(f->list), "%s", m->list);
    snprintf(f->category, sizeof(f->category), "%s", m->category);
    snprintf(f->pattern, sizeof(f->pattern), "%s", m->pattern);
    snprintf(f->matched, sizeof(f->matched), "%s", m->matched);
    excerpt(f->excerpt, sizeof(f->excerpt), s->p->caption, m->offset);
    return CR_OK;
}

static cr_err got_post(const cr_post_rollup *p, void *payload)
{
    post_ctx *c = payload;
    post_obs *o;
    int known;
    double followers;
    cr_err rc;

    if (p->caption != NULL && p->caption[0] != '\0') {
        scan_ctx s = { c->r, p };
        c->r->captions_scanned++;
        if ((rc = cr_term_lists_scan(c->terms, p->caption, got_match, &s)) < 0)
            return rc;
    }
    c->r->posts++;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        if ((o = cr_realloc(c->posts, cap * sizeof(*o))) == NULL)
            return cr_error_oom();
        c->posts = o;
        c->cap = cap;
    }
    o = &c->posts[c->n++];
    memset(o, 0, sizeof(*o));
    o->post_id = p->post_id;
    o->posted_at = p->posted_at;
    o->story = p->format != NULL && strcmp(p->format, "story") == 0;
    o->eng = p->captured_at ? known_sum(p, &known) : -1;
    if (p->captured_at && !known)
        o->eng = -1;
    o->likes = p->captured_at && p->likes != CR_COUNT_NONE ? (double)p->likes : -1;
    o->comments = p->captured_at && p->comments != CR_COUNT_NONE ? (double)p->comments : -1;
    followers = p->followers != CR_COUNT_NONE && p->followers > 0 ? (double)p->followers
                                                                  : (double)c->creator_followers;
    o->denom = -1;
    if (c->definition == NULL)
        return CR_OK;
    if (strcmp(c->definition, "per_follower") == 0)
        o->denom = followers;
    else if (strcmp(c->definition, "per_view") == 0 && p->views != CR_COUNT_NONE)
        o->denom = (double)p->views;
    else if (strcmp(c->definition, "per_reach") == 0 && p->reach != CR_COUNT_NONE)
        o->denom = (double)p->reach;
    else if (strcmp(c->definition, "per_impression") == 0 && p->impressions != CR_COUNT_NONE)
        o->denom = (double)p->impressions;
    return CR_OK;
}

/* ---- peers: typical likes per comment by platform -------------------------------------- */

typedef struct {
    char platform[32];
    double median;
    size_t creators;
} peer_row;

struct cr_vet_peers {
    peer_row rows[16];
    size_t n;
};

typedef struct {
    int64_t creator_id;
    char platform[32];
    double likes, comments;
    size_t posts;
} peer_acc;

typedef struct {
    cr_map ids;
    peer_acc *acc;
    size_t n, cap;
} peer_ctx;

static cr_err peer_post(const cr_post_rollup *p, void *payload)
{
    peer_ctx *c = payload;
    char key[24];
    int64_t idx;
    cr_err rc;

    if (!p->captured_at || p->likes == CR_COUNT_NONE || p->comments == CR_COUNT_NONE ||
        p->platform == NULL || (p->format != NULL && strcmp(p->format, "story") == 0))
        return CR_OK;
    snprintf(key, sizeof(key), "%lld", (long long)p->creator_id);
    if ((rc = cr_map_get(&idx, &c->ids, key, strlen(key))) == CR_ENOTFOUND) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 256;
            peer_acc *a = cr_realloc(c->acc, cap * sizeof(*a));
            if (a == NULL)
                return cr_error_oom();
            c->acc = a;
            c->cap = cap;
        }
        idx = (int64_t)c->n++;
        memset(&c->acc[idx], 0, sizeof(c->acc[idx]));
        c->acc[idx].creator_id = p->creator_id;
        snprintf(c->acc[idx].platform, sizeof(c->acc[idx].platform), "%s", p->platform);
        if ((rc = cr_map_put(&c->ids, key, strlen(key), idx)) < 0)
            return rc;
    } else if (rc < 0) {
        return rc;
    }
    c->acc[idx].likes += (double)p->likes;
    c->acc[idx].comments += (double)p->comments;
    c->acc[idx].posts++;
    return CR_OK;
}

cr_err cr_vet_peers_load(cr_vet_peers **out, cr_store *st)
{
    cr_rollup_filter f;
    cr_vet_peers *pe = NULL;
    peer_ctx c;
    double *ratios = NULL;
    size_t i, j, k;
    cr_err rc;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    memset(&f, 0, sizeof(f));
    cr_map_init(&c.ids);
    if ((rc = cr_store_rollup_list(st, &f, peer_post, &c)) < 0)
        goto done;
    if ((pe = cr_calloc(1, sizeof(*pe))) == NULL ||
        (c.n && (ratios = cr_malloc(c.n * sizeof(*ratios))) == NULL)) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < c.n; i++) {
        const char *plat = c.acc[i].platform;
        for (j = 0; j < pe->n; j++)
            if (strcmp(pe->rows[j].platform, plat) == 0)
                break;
        if (j < pe->n || pe->n == sizeof(pe->rows) / sizeof(*pe->rows))
            continue;
        /* a platform not seen yet: the median over its creators */
        k = 0;
        for (j = i; j < c.n; j++)
            if (strcmp(c.acc[j].platform, plat) == 0 && c.acc[j].posts >= MIN_LC_POSTS &&
                c.acc[j].comments > 0)
                ratios[k++] = c.acc[j].likes / c.acc[j].comments;
        snprintf(pe->rows[pe->n].platform, sizeof(pe->rows[pe->n].platform), "%s", plat);
        pe->rows[pe->n].median = cr_vet_median(ratios, k);
        pe->rows[pe->n].creators = k;
        pe->n++;
    }
    *out = pe;
    pe = NULL;
done:
    cr_free(ratios);
    cr_free(c.acc);
    cr_map_dispose(&c.ids);
    cr_vet_peers_free(pe);
    return rc;
}

void cr_vet_peers_free(cr_vet_peers *p)
{
    cr_free(p);
}

static const peer_row *peers_of(const cr_vet_peers *p, const char *platform)
{
    size_t i;

    for (i = 0; p && i < p->n; i++)
        if (strcmp(p->rows[i].platform, platform) == 0)
            return &p->rows[i];
    return NULL;
}

/* ---- snapshots -------------------------------------------------------------------------- */

typedef struct {
    cr_vet_report *r;
    size_t cap;
} snap_ctx;

static cr_err got_snapshot(const cr_snapshot *s, void *payload)
{
    snap_ctx *c = payload;
    cr_vet_report *r = c->r;

    if (s->followers == CR_COUNT_NONE)
        return CR_OK;
    if (r->nseries == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 128;
        int64_t *d = cr_realloc(r->series_date, cap * sizeof(*d)), *f;
        if (d == NULL)
            return cr_error_oom();
        r->series_date = d;
        if ((f = cr_realloc(r->series_followers, cap * sizeof(*f))) == NULL)
            return cr_error_oom();
        r->series_followers = f;
        c->cap = cap;
    }
    r->series_date[r->nseries] = s->date;
    r->series_followers[r->nseries] = s->followers;
    r->nseries++;
    return CR_OK;
}

/* Median engagements per post in [from, to); NAN under 2 posts. */
static double median_eng(const post_ctx *pc, int64_t from, int64_t to)
{
    double v[256];
    size_t i, k = 0;

    for (i = 0; i < pc->n && k < 256; i++)
        if (!pc->posts[i].story && pc->posts[i].eng >= 0 && pc->posts[i].posted_at >= from &&
            pc->posts[i].posted_at < to)
            v[k++] = pc->posts[i].eng;
    return k >= 2 ? cr_vet_median(v, k) : NAN;
}

static cr_err find_spikes(cr_vet_report *r, const post_ctx *pc)
{
    double *delta = NULL, *z = NULL, *absd = NULL, excess = 0, current;
    cr_vet_robust rob;
    size_t i, n;
    cr_err rc = CR_OK;

    r->usual_daily_change = NAN;
    r->bought_share = NAN;
    if (r->nseries < MIN_DELTAS + 1)
        return CR_OK;
    n = r->nseries - 1;
    delta = cr_malloc(n * sizeof(*delta));
    z = cr_malloc(n * sizeof(*z));
    absd = cr_malloc(n * sizeof(*absd));
    if (delta == NULL || z == NULL || absd == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++) {
        /* snapshots days apart: the change per day, seen on the later day */
        double days = (double)(r->series_date[i + 1] - r->series_date[i]) / DAY;
        delta[i] =
            (double)(r->series_followers[i + 1] - r->series_followers[i]) / (days > 0 ? days : 1);
        absd[i] = fabs(delta[i]);
    }
    if ((rc = cr_vet_robust_z(z, &rob, delta, n)) < 0)
        goto done;
    r->usual_daily_change = cr_vet_median(absd, n);
    for (i = 0; i < n; i++) {
        double before = (double)r->series_followers[i];
        cr_vet_spike *s;
        if (!(z[i] >= SPIKE_Z) || delta[i] < SPIKE_MIN_SHARE * before || delta[i] <= 0)
            continue;
        excess += delta[i] - (rob.median > 0 ? rob.median : 0);
        if (r->nspikes == CR_VET_MAX_SPIKES)
            continue;
        s = &r->spikes[r->nspikes++];
        s->date = r->series_date[i + 1];
        s->before = r->series_followers[i];
        s->after = r->series_followers[i + 1];
        s->delta = (int64_t)llround(delta[i]);
        s->z = z[i];
        s->times_usual = r->usual_daily_change > 0 ? delta[i] / r->usual_daily_change : INFINITY;
        s->eng_before = median_eng(pc, s->date - 30 * DAY, s->date);
        s->eng_after = median_eng(pc, s->date, s->date + 30 * DAY);
    }
    current = (double)r->series_followers[r->nseries - 1];
    r->bought_share = current > 0 ? fmin(excess / current, 1) : 0;
done:
    cr_free(delta);
    cr_free(z);
    cr_free(absd);
    return rc;
}

/* ---- comments ----------------------------------------------------------------------------- */

enum { C_OK = 0, C_GENERIC, C_RING, C_DUP, C_SPAM };

typedef struct {
    char *author;
    int64_t post_id;
    char *fold;
    int cls;
} comment_obs;

typedef struct {
    comment_obs *c;
    size_t n, cap;
    const cr_model *spam;
    const cr_model *sentiment; /* NULL when none is shipped */
    size_t model_spam;         /* flagged by the classifier, cue or not */
    size_t confirmed;          /* soliciting and flagged by the classifier */
    double sentiment_sum;      /* P(positive) - P(negative) mapped to [0, 1], summed */
} comment_ctx;

static cr_err got_comment(const cr_comment *m, void *payload)
{
    comment_ctx *c = payload;
    comment_obs *o;
    char fold[256];
    double score;
    int label = 0;
    cr_err rc;

    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 128;
        if ((o = cr_realloc(c->c, cap * sizeof(*o))) == NULL)
            return cr_error_oom();
        c->c = o;
        c->cap = cap;
    }
    o = &c->c[c->n];
    memset(o, 0, sizeof(*o));
    o->post_id = m->post_id;
    cr_vet_comment_fold(fold, sizeof(fold), m->text ? m->text : "");
    if ((o->author = cr_strdup(m->author ? m->author : "")) == NULL ||
        (o->fold = cr_strdup(fold)) == NULL) {
        cr_free(o->author);
        return cr_error_oom();
    }
    c->n++;
    if (m->text != NULL && c->spam != NULL &&
        (rc = cr_model_text_classify(&score, &label, c->spam, m->text, strlen(m->text))) < 0)
        return rc;
    c->model_spam += label == 1;
    if (m->text != NULL && c->sentiment != NULL) {
        double sc;
        int lab;
        if ((rc = cr_model_text_classify(&sc, &lab, c->sentiment, m->text, strlen(m->text))) < 0)
            return rc;
        c->sentiment_sum += sc;
    }
    /* a comment that solicits is spam whatever the classifier says; the classifier alone
     * over-flags ordinary comments outside YouTube, so its flags without a cue are counted
     * apart and not scored (docs/vetting.md) */
    if (cr_vet_comment_promotes(m->text)) {
        o->cls = C_SPAM;
        c->confirmed += label == 1;
    } else {
        o->cls = cr_vet_comment_generic(m->text) ? C_GENERIC : C_OK;
    }
    return CR_OK;
}

typedef struct {
    char name[64];
    size_t posts;
    int64_t last_post;
} author_acc;

static int cmp_author(const void *a, const void *b)
{
    const author_acc *x = a, *y = b;

    return (y->posts > x->posts) - (y->posts < x->posts);
}

/* Duplicates (the same text twice on a post, or one author's same text on 3 posts) and rings
 * (accounts that comment on many of the posts), then the counts by class. */
static cr_err classify_comments(cr_vet_report *r, comment_ctx *cc)
{
    cr_map seen, authors;
    author_acc *acc = NULL;
    size_t i, nacc = 0;
    int64_t last_post = 0, v;
    char key[400];
    cr_err rc = CR_OK;

    cr_map_init(&seen);
    cr_map_init(&authors);
    if (cc->n && (acc = cr_calloc(cc->n, sizeof(*acc))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < cc->n; i++) {
        comment_obs *o = &cc->c[i];
        if (o->post_id != last_post) {
            r->commented_posts++;
            last_post = o->post_id;
        }
        if (o->cls != C_SPAM && o->cls != C_GENERIC && strlen(o->fold) >= 8) {
            /* the same text on the same post */
            snprintf(key, sizeof(key), "p%lld|%s", (long long)o->post_id, o->fold);
            if (cr_map_get(&v, &seen, key, strlen(key)) == CR_OK)
                o->cls = C_DUP;
            else if ((rc = cr_map_put(&seen, key, strlen(key), 1)) < 0)
                goto done;
            cr_error_clear();
            /* one author's same text on 3 or more posts */
            snprintf(key, sizeof(key), "a%s|%s", o->author, o->fold);
            if (cr_map_get(&v, &seen, key, strlen(key)) == CR_OK) {
                if (v + 1 >= 3)
                    o->cls = C_DUP;
                if ((rc = cr_map_put(&seen, key, strlen(key), v + 1)) < 0)
                    goto done;
            } else if ((rc = cr_map_put(&seen, key, strlen(key), 1)) < 0) {
                goto done;
            }
            cr_error_clear();
        }
        if (o->author[0] == '\0')
            continue;
        if (cr_map_get(&v, &authors, o->author, strlen(o->author)) != CR_OK) {
            cr_error_clear();
            v = (int64_t)nacc++;
            snprintf(acc[v].name, sizeof(acc[v].name), "%s", o->author);
            if ((rc = cr_map_put(&authors, o->author, strlen(o->author), v)) < 0)
                goto done;
        }
        if (acc[v].last_post != o->post_id) {
            acc[v].posts++;
            acc[v].last_post = o->post_id;
        }
    }
    if (nacc > 1)
        cr_qsort(acc, nacc, sizeof(*acc), cmp_author);
    for (i = 0; i < nacc && r->nring < CR_VET_MAX_RING; i++) {
        if (acc[i].posts < RING_MIN_POSTS ||
            (double)acc[i].posts < RING_MIN_SHARE * (double)r->commented_posts)
            break;
        snprintf(r->ring[r->nring], sizeof(r->ring[0]), "%s", acc[i].name);
        r->ring_posts[r->nring++] = acc[i].posts;
    }
    for (i = 0; i < cc->n; i++) {
        comment_obs *o = &cc->c[i];
        size_t k;
        if (r->nring >= RING_MIN_MEMBERS && (o->cls == C_OK || o->cls == C_GENERIC))
            for (k = 0; k < r->nring; k++)
                if (strcmp(r->ring[k], o->author) == 0)
                    o->cls = C_RING;
        r->comments++;
        r->comments_spam += o->cls == C_SPAM;
        r->comments_dup += o->cls == C_DUP;
        r->comments_ring += o->cls == C_RING;
        r->comments_generic += o->cls == C_GENERIC;
    }
done:
    cr_free(acc);
    cr_map_dispose(&seen);
    cr_map_dispose(&authors);
    return rc;
}

/* ---- numbers in words ----------------------------------------------------------------- */

static const char *grouped(char *buf, size_t size, double v)
{
    char digits[32];
    long long n = llround(fabs(v));
    size_t len, i, o = 0;

    snprintf(digits, sizeof(digits), "%lld", n);
    len = strlen(digits);
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    for (i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static const char *day(char *buf, size_t size, int64_t t)
{
    return cr_fmt_date(buf, size, t);
}

static const char *def_words(const char *definition)
{
    return strcmp(definition, "per_follower") == 0     ? "per follower"
           : strcmp(definition, "per_view") == 0       ? "per view"
           : strcmp(definition, "per_reach") == 0      ? "per reach"
           : strcmp(definition, "per_impression") == 0 ? "per impression"
                                                       : definition;
}

static void add_reason(cr_vet_report *r, double impact, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_reason(cr_vet_report *r, double impact, const char *fmt, ...)
{
    va_list ap;
    size_t i;

    if (r->nreasons == CR_VET_MAX_REASONS) {
        /* keep the weightiest */
        size_t low = 0;
        for (i = 1; i < r->nreasons; i++)
            if (r->reasons[i].impact < r->reasons[low].impact)
                low = i;
        if (r->reasons[low].impact >= impact)
            return;
        r->reasons[low] = r->reasons[--r->nreasons];
    }
    va_start(ap, fmt);
    vsnprintf(r->reasons[r->nreasons].text, sizeof(r->reasons[0].text), fmt, ap);
    va_end(ap);
    r->reasons[r->nreasons++].impact = impact;
}

static int cmp_reason(const void *a, const void *b)
{
    const cr_vet_reason *x = a, *y = b;

    return (y->impact > x->impact) - (y->impact < x->impact);
}

static double pct(double v)
{
    return 100 * v;
}

/* ---- the score and its interval --------------------------------------------------------- */

typedef struct {
    const post_ctx *pc;
    const size_t *window; /* indexes of the window's posts with an ER */
    size_t nwindow;
    const size_t *lc; /* indexes of posts with likes and comments */
    size_t nlc;
    const comment_ctx *cc;
} sample_in;

/* One bootstrap draw of the engagement score: the resampled posts shrunk again, then a draw
 * from that posterior (normal on the log scale), so a short history that the prior props up
 * still shows its uncertainty. */
static double er_score(const cr_vet_report *r,
                       const post_ctx *pc,
                       const size_t *idx,
                       size_t n,
                       double *rates,
                       cr_rng *rng)
{
    cr_vet_shrunk s;
    double sd;
    size_t i;

    for (i = 0; i < n; i++)
        rates[i] = (pc->posts[idx[i]].eng + 0.5) / (pc->posts[idx[i]].denom + 1);
    if (cr_vet_shrink(&s, rates, n, r->bench_low, r->bench_high) < 0)
        return NAN;
    sd = (log(s.high) - log(s.low)) / (2 * 1.959963984540054);
    return cr_vet_score_engagement(exp(log(s.estimate) + sd * cr_rng_normal(rng)), r->bench_low);
}

static double lc_ratio(const post_ctx *pc, const size_t *idx, size_t n)
{
    double likes = 0, comments = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        likes += pc->posts[idx[i]].likes;
        comments += pc->posts[idx[i]].comments;
    }
    return comments > 0 ? likes / comments : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Resample the posts (ER, likes per comment) and the comments with replacement, draw the
 * fake-follower share from its interval, keep the growth component, and recompose. */
static cr_err bootstrap(cr_vet_report *r, const sample_in *in, size_t B)
{
    size_t *idx = NULL, b, i, k = 0, cap;
    double *rates = NULL, *scores = NULL;
    cr_rng rng;
    cr_err rc = CR_OK;

    cap = in->nwindow > in->nlc ? in->nwindow : in->nlc;
    if ((idx = cr_malloc((cap + 1) * sizeof(*idx))) == NULL ||
        (rates = cr_malloc((cap + 1) * sizeof(*rates))) == NULL ||
        (scores = cr_malloc(B * sizeof(*scores))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    cr_rng_seed(&rng, 0x5eed0000ULL + (uint64_t)r->creator_id);
    for (b = 0; b < B; b++) {
        double comp[CR_VET_NCOMPONENTS], s;
        memcpy(comp, r->component, sizeof(comp));
        if (!isnan(comp[CR_VET_ENGAGEMENT]) && in->nwindow > 0) {
            for (i = 0; i < in->nwindow; i++)
                idx[i] = in->window[cr_rng_range(&rng, 0, (int64_t)in->nwindow - 1)];
            comp[CR_VET_ENGAGEMENT] = er_score(r, in->pc, idx, in->nwindow, rates, &rng);
        }
        if (!isnan(comp[CR_VET_LIKES_COMMENTS])) {
            for (i = 0; i < in->nlc; i++)
                idx[i] = in->lc[cr_rng_range(&rng, 0, (int64_t)in->nlc - 1)];
            comp[CR_VET_LIKES_COMMENTS] = cr_vet_score_likes_comments(
                lc_ratio(in->pc, idx, in->nlc), r->typical_likes_per_comment);
        }
        if (!isnan(comp[CR_VET_AUDIENCE])) {
            double sd = (r->fake_high - r->fake_low) / 3.92;
            comp[CR_VET_AUDIENCE] =
                cr_vet_score_real_share(fmax(0, r->fake_share + sd * cr_rng_normal(&rng)));
        }
        if (!isnan(comp[CR_VET_COMMENTS])) {
            size_t cnt[5] = { 0, 0, 0, 0, 0 }, n = in->cc->n;
            for (i = 0; i < n; i++)
                cnt[in->cc->c[cr_rng_range(&rng, 0, (int64_t)n - 1)].cls]++;
            comp[CR_VET_COMMENTS] =
                cr_vet_score_comments(cnt[C_SPAM], cnt[C_DUP], cnt[C_RING], cnt[C_GENERIC], n);
        }
        if (!isnan(s = cr_vet_compose(comp)))
            scores[k++] = s;
    }
    if (k > 0) {
        cr_qsort(scores, k, sizeof(*scores), cmp_double);
        r->score_low = scores[(size_t)floor(0.025 * (double)(k - 1))];
        r->score_high = scores[(size_t)ceil(0.975 * (double)(k - 1))];
        /* the point estimate always lies inside its interval */
        r->score_low = fmin(r->score_low, r->score);
        r->score_high = fmax(r->score_high, r->score);
    }
    r->bootstrap = B;
done:
    cr_free(idx);
    cr_free(rates);
    cr_free(scores);
    return rc;
}

/* ---- verdict ------------------------------------------------------------------------------ */

static const char *verdict_for(int awareness, cr_vet_risk fr, cr_vet_risk er)
{
    if (awareness)
        return fr == CR_VET_RISK_HIGH || er == CR_VET_RISK_HIGH       ? "not recommended"
               : fr == CR_VET_RISK_MEDIUM || er == CR_VET_RISK_MEDIUM ? "review"
                                                                      : "ok";
    return er == CR_VET_RISK_HIGH                               ? "not recommended"
           : er == CR_VET_RISK_MEDIUM || fr == CR_VET_RISK_HIGH ? "review"
                                                                : "ok";
}

static cr_err got_campaign(const cr_campaign *c, void *payload)
{
    cr_vet_report *r = payload;

    snprintf(r->campaign_goal, sizeof(r->campaign_goal), "%s",
             c->primary_goal ? c->primary_goal : "");
    return CR_OK;
}

static void decide(cr_vet_report *r)
{
    double fshare = isnan(r->bought_share) ? 0 : r->bought_share, susp = NAN;
    double lc = r->component[CR_VET_LIKES_COMMENTS], er = r->component[CR_VET_ENGAGEMENT];
    const char *why;
    int awareness;

    if (r->has_sample && r->fake_share > fshare)
        fshare = r->fake_share;
    r->follower_risk = fshare >= 0.25                     ? CR_VET_RISK_HIGH
                       : fshare >= 0.10 || r->nspikes > 0 ? CR_VET_RISK_MEDIUM
                                                          : CR_VET_RISK_LOW;
    if (r->comments >= MIN_COMMENTS)
        susp =
            (double)(r->comments_spam + r->comments_dup + r->comments_ring) / (double)r->comments;
    r->engagement_risk =
        (!isnan(susp) && susp >= 0.25) || (!isnan(lc) && lc < 40) ? CR_VET_RISK_HIGH
        : (!isnan(susp) && susp >= 0.15) || (!isnan(lc) && lc < 70) || (!isnan(er) && er < 50)
            ? CR_VET_RISK_MEDIUM
            : CR_VET_RISK_LOW;
    snprintf(r->verdict_awareness, sizeof(r->verdict_awareness), "%s",
             verdict_for(1, r->follower_risk, r->engagement_risk));
    snprintf(r->verdict_conversions, sizeof(r->verdict_conversions), "%s",
             verdict_for(0, r->follower_risk, r->engagement_risk));
    if (r->campaign_goal[0] == '\0') {
        snprintf(r->verdict, sizeof(r->verdict), "%s", "");
        snprintf(r->verdict_text, sizeof(r->verdict_text),
                 "For an awareness campaign: %s; for engagement, traffic, leads or sales: %s "
                 "(follower risk %s, engagement risk %s). Flags are evidence for a person to "
                 "judge, not a final verdict.",
                 r->verdict_awareness, r->verdict_conversions, cr_vet_risk_name(r->follower_risk),
                 cr_vet_risk_name(r->engagement_risk));
        return;
    }
    awareness = strcmp(r->campaign_goal, "awareness") == 0;
    snprintf(r->verdict, sizeof(r->verdict), "%s",
             awareness ? r->verdict_awareness : r->verdict_conversions);
    why = awareness ? "an awareness campaign pays for real reach, so high follower or engagement "
                      "risk disqualifies"
                    : "a campaign judged on actions needs real engagement, so high engagement "
                      "risk disqualifies";
    snprintf(r->verdict_text, sizeof(r->verdict_text),
             "For this %s campaign: %s (follower risk %s, engagement risk %s): %s. Flags are "
             "evidence for a person to judge, not a final verdict.",
             r->campaign_goal, r->verdict, cr_vet_risk_name(r->follower_risk),
             cr_vet_risk_name(r->engagement_risk), why);
}

/* ---- the whole report --------------------------------------------------------------------- */

static cr_err got_creator(const cr_creator *c, void *payload)
{
    cr_vet_report *r = payload;

    snprintf(r->platform, sizeof(r->platform), "%s", c->platform ? c->platform : "");
    snprintf(r->handle, sizeof(r->handle), "%s", c->handle ? c->handle : "");
    r->followers = c->followers;
    return CR_OK;
}

void cr_vet_report_free(cr_vet_report *r)
{
    if (r == NULL)
        return;
    cr_free(r->series_date);
    cr_free(r->series_followers);
    cr_free(r);
}

static void engagement_part(cr_vet_report *r, const post_ctx *pc, size_t *window, size_t *nwindow)
{
    int64_t newest = 0;
    size_t i, n = 0, with = 0;
    double *rates;

    *nwindow = 0;
    for (i = 0; i < pc->n; i++)
        if (!pc->posts[i].story && pc->posts[i].eng >= 0 && pc->posts[i].denom > 0) {
            with++;
            newest = pc->posts[i].posted_at;
        }
    /* the posts of the last WINDOW_DAYS, or the last WINDOW_MIN_POSTS when that is more */
    for (i = pc->n; i-- > 0;) {
        const post_obs *o = &pc->posts[i];
        if (o->story || o->eng < 0 || !(o->denom > 0))
            continue;
        if (o->posted_at < newest - (int64_t)WINDOW_DAYS * DAY && n >= WINDOW_MIN_POSTS)
            break;
        window[n++] = i;
    }
    *nwindow = n;
    r->posts_used = n;
    if (n > 0) {
        r->window_until = pc->posts[window[0]].posted_at;
        r->window_since = pc->posts[window[n - 1]].posted_at;
    }
    if (isnan(r->bench_low) || (rates = cr_malloc((n + 1) * sizeof(*rates))) == NULL) {
        r->er.estimate = NAN;
        r->er.raw = NAN;
        return;
    }
    for (i = 0; i < n; i++)
        rates[i] = (pc->posts[window[i]].eng + 0.5) / (pc->posts[window[i]].denom + 1);
    cr_vet_shrink(&r->er, rates, n, r->bench_low, r->bench_high);
    cr_free(rates);
    (void)with;
    if (n == 0)
        return;
    r->component[CR_VET_ENGAGEMENT] = cr_vet_score_engagement(r->er.estimate, r->bench_low);
}

static void write_reasons(cr_vet_report *r)
{
    char a[32], b[32], d[16];
    double imp;
    size_t i;

    if (!isnan(r->component[CR_VET_ENGAGEMENT])) {
        imp = (100 - r->component[CR_VET_ENGAGEMENT]) * cr_vet_component_weight(CR_VET_ENGAGEMENT);
        add_reason(r, imp,
                   "Engagement rate %.2f%% %s (%.2f%% measured over %zu posts, shrunk toward the "
                   "tier; own weight %.0f%%) is %s the %s %s range %.2f%%-%.2f%% (%s).",
                   pct(r->er.estimate), def_words(r->er_definition), pct(r->er.raw), r->er.n,
                   100 * r->er.weight,
                   r->er.estimate < r->bench_low    ? "below"
                   : r->er.estimate > r->bench_high ? "above"
                                                    : "within",
                   r->tier, r->platform, pct(r->bench_low), pct(r->bench_high), r->benchmarks);
    }
    if (!isnan(r->component[CR_VET_LIKES_COMMENTS])) {
        double x = r->likes_per_comment / r->typical_likes_per_comment;
        imp = (100 - r->component[CR_VET_LIKES_COMMENTS]) *
              cr_vet_component_weight(CR_VET_LIKES_COMMENTS);
        add_reason(r, imp,
                   "%.0f likes per comment against a typical %.0f across %zu %s creators in this "
                   "workspace (%.1fx)%s.",
                   r->likes_per_comment, r->typical_likes_per_comment, r->peers, r->platform, x,
                   x > 4      ? ": many likes for few comments, a sign of bought likes"
                   : x < 0.25 ? ": many comments for few likes, a sign of comment pods"
                              : "");
    }
    for (i = 0; i < r->nspikes; i++) {
        const cr_vet_spike *s = &r->spikes[i];
        char eb[32], ea[32], follow[160] = "";
        double rise = (double)s->delta / (double)(s->before > 0 ? s->before : 1);
        if (!isnan(s->eng_before) && !isnan(s->eng_after))
            snprintf(follow, sizeof(follow),
                     "; engagements per post went from a median of %s before to %s after "
                     "(%+.0f%%, against %+.0f%% followers)",
                     grouped(eb, sizeof(eb), s->eng_before), grouped(ea, sizeof(ea), s->eng_after),
                     100 * (s->eng_after / fmax(s->eng_before, 1) - 1), 100 * rise);
        imp = (100 - r->component[CR_VET_GROWTH]) * cr_vet_component_weight(CR_VET_GROWTH) /
              (double)r->nspikes;
        add_reason(r, imp,
                   "+%s followers on %s, %.0fx the usual daily change of %s (robust z %.0f)%s; "
                   "bought followers, a giveaway or press can each do this.",
                   grouped(a, sizeof(a), (double)s->delta), day(d, sizeof(d), s->date),
                   s->times_usual, grouped(b, sizeof(b), r->usual_daily_change), s->z, follow);
    }
    if (!isnan(r->component[CR_VET_AUDIENCE])) {
        imp = (100 - r->component[CR_VET_AUDIENCE]) * cr_vet_component_weight(CR_VET_AUDIENCE);
        add_reason(r, imp,
                   "Fake-follower share %.0f%% (95%% interval %.0f%%-%.0f%%) from a sample of %zu "
                   "followers (%zu classified fake; Rogan-Gladen corrected).",
                   pct(r->fake_share), pct(r->fake_low), pct(r->fake_high), r->sample_n,
                   r->sample_flagged);
    }
    if (!isnan(r->component[CR_VET_COMMENTS])) {
        imp = (100 - r->component[CR_VET_COMMENTS]) * cr_vet_component_weight(CR_VET_COMMENTS);
        add_reason(r, imp,
                   "Of %zu comments, %.0f%% solicit (follow, DM, links, money; the spam "
                   "classifier agrees on %zu of %zu), %.0f%% are generic (\"nice pic\", emoji "
                   "only), %.0f%% copies%s.",
                   r->comments, 100.0 * (double)r->comments_spam / (double)r->comments,
                   r->comments_spam_confirmed, r->comments_spam,
                   100.0 * (double)r->comments_generic / (double)r->comments,
                   100.0 * (double)r->comments_dup / (double)r->comments,
                   r->comments_ring ? " and some come from a ring of recurring commenters" : "");
    }
    if (r->nring >= RING_MIN_MEMBERS)
        add_reason(r, (double)r->comments_ring / (double)(r->comments ? r->comments : 1) * 20,
                   "%zu accounts commented on at least %.0f%% of the %zu commented posts each (%s, "
                   "%s, %s%s): a possible engagement pod.",
                   r->nring, 100 * RING_MIN_SHARE, r->commented_posts, r->ring[0], r->ring[1],
                   r->ring[2], r->nring > 3 ? ", ..." : "");
    cr_qsort(r->reasons, r->nreasons, sizeof(*r->reasons), cmp_reason);
}

cr_err
cr_vet_creator(cr_vet_report **out, cr_store *st, int64_t creator_id, const cr_vet_options *opts)
{
    cr_vet_options dflt = CR_VET_OPTIONS_INIT;
    cr_vet_report *r = NULL;
    cr_benchmark_table *bt = NULL;
    cr_tier_scheme *ts = NULL;
    cr_term_lists *own_terms = NULL;
    cr_vet_peers *own_peers = NULL;
    cr_model *spam = NULL, *fm = NULL, *senti = NULL;
    const cr_er_benchmark *row = NULL;
    const peer_row *peer;
    cr_rollup_filter f;
    post_ctx pc;
    comment_ctx cc;
    snap_ctx sc;
    sample_in in;
    size_t *window = NULL, *lc = NULL, nwindow = 0, nlc = 0, i;
    const char *tier;
    cr_err rc;

    *out = NULL;
    memset(&pc, 0, sizeof(pc));
    memset(&cc, 0, sizeof(cc));
    if (opts == NULL)
        opts = &dflt;
    if (opts->version != CR_VET_OPTIONS_VERSION)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE, "vet options version %u not supported",
                            opts->version);
    if ((r = cr_calloc(1, sizeof(*r))) == NULL)
        return cr_error_oom();
    r->creator_id = creator_id;
    r->computed_at = opts->now ? opts->now : cr_now();
    for (i = 0; i < CR_VET_NCOMPONENTS; i++)
        r->component[i] = NAN;
    r->score = r->score_low = r->score_high = NAN;
    r->bench_low = r->bench_high = NAN;
    r->likes_per_comment = r->typical_likes_per_comment = NAN;
    r->fake_share = r->fake_low = r->fake_high = NAN;
    r->usual_daily_change = r->bought_share = NAN;
    r->sentiment = NAN;
    r->er.estimate = r->er.raw = NAN;
    if ((rc = cr_store_creator_get(st, creator_id, got_creator, r)) < 0)
        goto done;
    if (opts->campaign_id > 0) {
        r->campaign_id = opts->campaign_id;
        if ((rc = cr_store_campaign_get(st, opts->campaign_id, got_campaign, r)) < 0)
            goto done;
    }

    /* the benchmark row of the creator's platform and tier */
    if ((rc = cr_benchmark_table_load(&bt, st, opts->benchmarks)) < 0 ||
        (rc = cr_tier_scheme_load(&ts, st, bt->tier_scheme)) < 0)
        goto done;
    snprintf(r->benchmarks, sizeof(r->benchmarks), "%s", bt->name);
    snprintf(r->benchmark_source, sizeof(r->benchmark_source), "%s", bt->source);
    snprintf(r->tier_scheme, sizeof(r->tier_scheme), "%s", ts->name);
    tier = cr_tier_of(ts, r->followers);
    snprintf(r->tier, sizeof(r->tier), "%s", tier ? tier : "");
    if ((row = cr_benchmark_find(bt, r->platform, r->tier)) != NULL) {
        r->bench_low = row->low;
        r->bench_high = row->high;
        snprintf(r->er_definition, sizeof(r->er_definition), "%s", row->definition);
        if (row->note)
            snprintf(r->benchmark_source, sizeof(r->benchmark_source), "%s; %s", bt->source,
                     row->note);
    }

    /* posts (and the brand-safety scan of their captions) */
    if (opts->terms == NULL && (rc = cr_term_lists_load(&own_terms, st)) < 0)
        goto done;
    pc.r = r;
    pc.terms = opts->terms ? opts->terms : own_terms;
    pc.definition = row ? row->definition : NULL;
    pc.creator_followers = r->followers;
    r->patterns = cr_term_lists_count(pc.terms);
    snprintf(r->term_lists, sizeof(r->term_lists), "%s", cr_term_lists_names(pc.terms));
    memset(&f, 0, sizeof(f));
    f.creator_id = creator_id;
    if ((rc = cr_store_rollup_list(st, &f, got_post, &pc)) < 0)
        goto done;
    if ((window = cr_malloc((pc.n + 1) * sizeof(*window))) == NULL ||
        (lc = cr_malloc((pc.n + 1) * sizeof(*lc))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    engagement_part(r, &pc, window, &nwindow);
    if (row == NULL)
        snprintf(r->component_note[CR_VET_ENGAGEMENT], sizeof(r->component_note[0]),
                 "no %s benchmark for %s %s in %s", r->platform,
                 r->tier[0] ? r->tier : "an unknown tier", r->platform, bt->name);
    else if (nwindow == 0)
        snprintf(r->component_note[CR_VET_ENGAGEMENT], sizeof(r->component_note[0]),
                 "no posts with metrics");

    /* likes per comment over the same window, against the platform's creators */
    for (i = 0; i < nwindow; i++)
        if (pc.posts[window[i]].likes >= 0 && pc.posts[window[i]].comments >= 0)
            lc[nlc++] = window[i];
    if (nlc == 0)
        for (i = 0; i < pc.n; i++)
            if (!pc.posts[i].story && pc.posts[i].likes >= 0 && pc.posts[i].comments >= 0)
                lc[nlc++] = i;
    r->likes_per_comment = lc_ratio(&pc, lc, nlc);
    if (opts->peers == NULL && (rc = cr_vet_peers_load(&own_peers, st)) < 0)
        goto done;
    if ((peer = peers_of(opts->peers ? opts->peers : own_peers, r->platform)) != NULL) {
        r->typical_likes_per_comment = peer->median;
        r->peers = peer->creators;
    }
    if (nlc >= MIN_LC_POSTS && r->peers >= MIN_PEERS && !isnan(r->likes_per_comment))
        r->component[CR_VET_LIKES_COMMENTS] =
            cr_vet_score_likes_comments(r->likes_per_comment, r->typical_likes_per_comment);
    else
        snprintf(r->component_note[CR_VET_LIKES_COMMENTS], sizeof(r->component_note[0]),
                 "needs %d posts with likes and comments (has %zu) and %d %s creators to compare "
                 "with (has %zu)",
                 MIN_LC_POSTS, nlc, MIN_PEERS, r->platform, r->peers);

    /* growth */
    sc.r = r;
    sc.cap = 0;
    if ((rc = cr_store_snapshot_list(st, creator_id, got_snapshot, &sc)) < 0)
        goto done;
    r->snapshots = r->nseries;
    if ((rc = find_spikes(r, &pc)) < 0)
        goto done;
    if (!isnan(r->bought_share))
        r->component[CR_VET_GROWTH] = cr_vet_score_real_share(r->bought_share);
    else
        snprintf(r->component_note[CR_VET_GROWTH], sizeof(r->component_note[0]),
                 "needs %d daily follower snapshots (has %zu)", MIN_DELTAS + 1, r->nseries);

    /* a follower sample */
    if (opts->followers_file != NULL) {
        cr_follower_audit a;
        if ((rc = cr_model_builtin(&fm, CR_MODEL_FOLLOWERS)) < 0 ||
            (rc = cr_model_followers_classify(&a, fm, opts->followers_file)) < 0)
            goto done;
        r->has_sample = 1;
        r->sample_n = a.n;
        r->sample_flagged = a.flagged;
        r->fake_share = a.fake_share;
        r->fake_low = a.low;
        r->fake_high = a.high;
        r->component[CR_VET_AUDIENCE] = cr_vet_score_real_share(a.fake_share);
    } else {
        snprintf(r->component_note[CR_VET_AUDIENCE], sizeof(r->component_note[0]),
                 "no follower sample (crest vet @handle --followers FILE)");
    }

    /* comments */
    if ((rc = cr_model_builtin(&spam, CR_MODEL_SPAM)) < 0)
        goto done;
    cc.spam = spam;
    /* sentiment only with a shipped model (docs/vetting.md); informative, not in the score */
    if ((rc = cr_model_builtin(&senti, CR_MODEL_SENTIMENT)) == CR_ENOTFOUND) {
        cr_error_clear();
        rc = CR_OK;
    } else if (rc < 0) {
        goto done;
    }
    cc.sentiment = senti;
    if ((rc = cr_store_comment_list(st, creator_id, got_comment, &cc)) < 0 ||
        (rc = classify_comments(r, &cc)) < 0)
        goto done;
    r->comments_spam_model = cc.model_spam;
    r->comments_spam_confirmed = cc.confirmed;
    if (r->comments >= MIN_COMMENTS)
        r->component[CR_VET_COMMENTS] = cr_vet_score_comments(
            r->comments_spam, r->comments_dup, r->comments_ring, r->comments_generic, r->comments);
    else
        snprintf(r->component_note[CR_VET_COMMENTS], sizeof(r->component_note[0]),
                 "needs %d comments (has %zu)", MIN_COMMENTS, r->comments);
    r->sentiment_available = senti != NULL;
    r->sentiment = senti != NULL && cc.n ? cc.sentiment_sum / (double)cc.n : NAN;

    /* the score, its interval, the reasons, the verdict */
    r->score = cr_vet_compose(r->component);
    for (i = 0; i < CR_VET_NCOMPONENTS; i++)
        if (!isnan(r->component[i]))
            r->coverage += cr_vet_component_weight(i);
    if (!isnan(r->score)) {
        in.pc = &pc;
        in.window = window;
        in.nwindow = nwindow;
        in.lc = lc;
        in.nlc = nlc;
        in.cc = &cc;
        if ((rc = bootstrap(r, &in, opts->bootstrap ? opts->bootstrap : DEFAULT_BOOTSTRAP)) < 0)
            goto done;
    }
    write_reasons(r);
    decide(r);
    *out = r;
    r = NULL;
    rc = CR_OK;
done:
    for (i = 0; i < cc.n; i++) {
        cr_free(cc.c[i].author);
        cr_free(cc.c[i].fold);
    }
    cr_free(cc.c);
    cr_free(pc.posts);
    cr_free(window);
    cr_free(lc);
    cr_model_free(spam);
    cr_model_free(senti);
    cr_model_free(fm);
    cr_vet_peers_free(own_peers);
    cr_term_lists_free(own_terms);
    cr_benchmark_table_free(bt);
    cr_tier_scheme_free(ts);
    cr_vet_report_free(r);
    return rc;
}
