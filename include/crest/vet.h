/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * vet.h - vetting a creator: engagement authenticity (engagement rate against the tier
 * benchmark, likes per comment against the workspace's typical, follower-growth spikes by
 * robust z-score, comment quality), the Audience Quality Score (0-100 with a bootstrap
 * interval, its components and top reasons), a goal-aware verdict, and a brand-safety scan of
 * captions against term lists (PCRE2). Every number carries its inputs; flags are evidence for
 * a person to judge, never final verdicts. How each number is computed: docs/vetting.md. */
#ifndef CR_VET_H
#define CR_VET_H

#include "crest/store.h"

CR_BEGIN_DECL

/* ---- engagement-rate benchmarks (data/benchmarks/, or a workspace's own) ---- */

/** One benchmark: the typical ER range of a tier on a platform, and how ER is defined. */
typedef struct {
    const char *platform;   /* "instagram" */
    const char *tier;       /* a tier name of the table's tier scheme: "micro" */
    const char *definition; /* per_follower, per_view, per_reach, per_impression */
    double low, high;       /* the range as fractions: 0.02, 0.035 */
    const char *note;       /* where this row comes from when it is not the table's source */
} cr_er_benchmark;

typedef struct {
    const char *name;        /* "untapper-2026" */
    const char *source;      /* where the figures come from */
    const char *tier_scheme; /* the scheme whose tier names the rows use: "later-fohr" */
    size_t nrows;
    cr_er_benchmark *rows;
} cr_benchmark_table;

/** Parse a benchmark table (YAML, docs/vetting.md). @return CR_OK or CR_EINVALID naming
 * file:line:col: field, what was expected and what was found */
CR_EXTERN(cr_err)
cr_benchmark_table_parse(cr_benchmark_table **out, const char *text, size_t len, const char *name);
/** A table by name from the workspace (settings "benchmarks:NAME") or the built-in ones; NULL:
 * the workspace's active table ("benchmarks.active"), else the built-in default.
 * @return CR_OK, CR_ENOTFOUND for an unknown name */
CR_EXTERN(cr_err)
cr_benchmark_table_load(cr_benchmark_table **out, cr_store *st, const char *name);
/** Store a parsed table's document under its name (a stored name never changes: CR_ECONFLICT
 * for other figures under a known name); `activate` makes it the active table. */
CR_EXTERN(cr_err)
cr_benchmark_table_save(cr_store *st, const cr_benchmark_table *t, const char *text, int activate);
CR_EXTERN(void) cr_benchmark_table_free(cr_benchmark_table *t);
/** The row of a platform and tier; NULL when the table has none. Borrowed. */
CR_EXTERN(const cr_er_benchmark *)
cr_benchmark_find(const cr_benchmark_table *t, const char *platform, const char *tier);
/** The built-in default table's name. */
CR_EXTERN(const char *) cr_benchmark_table_default(void);

/* ---- statistics (pure; tests/vet/stats.c) ---- */

/** Median of v (n > 0); v is sorted in place. NAN when n == 0. */
CR_EXTERN(double) cr_vet_median(double *v, size_t n);

/** A robust location and scale of a series. */
typedef struct {
    double median;
    double mad;   /* median absolute deviation from the median */
    double scale; /* the z denominator: MAD / 0.6745, or 1.2533 x mean absolute deviation when
                     MAD is 0 (Iglewicz & Hoaglin); 0 when every value is the same */
} cr_vet_robust;

/**
 * Robust z-scores (x - median) / scale of n values (modified z-score).
 * @param z receives n scores; with scale 0, a value off the median gets +-INFINITY, others 0
 * @return CR_OK, CR_EINVALID when n < 3, CR_ENOMEM
 */
CR_EXTERN(cr_err) cr_vet_robust_z(double *z, cr_vet_robust *out, const double *x, size_t n);

/** An engagement rate shrunk toward its tier benchmark. */
typedef struct {
    double estimate;  /* posterior median ER (fraction) */
    double low, high; /* its 95% interval */
    double raw;       /* geometric mean of the posts' rates */
    double weight;    /* the posts' weight (0 = all prior, 1 = all own history) */
    double prior;     /* prior median: geometric midpoint of the benchmark range */
    size_t n;         /* rates used */
} cr_vet_shrunk;

/**
 * Shrink per-post engagement rates toward a benchmark range [low, high] on the log scale:
 * the prior is normal with median sqrt(low x high) and the range as its 80% interval; the
 * posts' mean log rate has variance s^2 / n (s^2 their sample variance, at least 0.25 and
 * taken as 0.5^2 under 3 posts); the posterior mean weights them by precision.
 * @return CR_OK, CR_EINVALID when low/high are not 0 < low <= high
 */
CR_EXTERN(cr_err)
cr_vet_shrink(cr_vet_shrunk *out, const double *rates, size_t n, double low, double high);

/** The components of the Audience Quality Score. */
typedef enum {
    CR_VET_ENGAGEMENT = 0, /* ER against the tier benchmark */
    CR_VET_LIKES_COMMENTS, /* likes per comment against the workspace's typical */
    CR_VET_GROWTH,         /* follower-growth spikes */
    CR_VET_AUDIENCE,       /* fake-follower share of a follower sample (--followers) */
    CR_VET_COMMENTS,       /* comment quality */
    CR_VET_NCOMPONENTS
} cr_vet_component;

/** Weight of a component in the score (docs/vetting.md) and its name ("engagement"). */
CR_EXTERN(double) cr_vet_component_weight(cr_vet_component c);
CR_EXTERN(const char *) cr_vet_component_name(cr_vet_component c);

/** The weighted mean of the component scores that are known (not NAN), weights renormalised
 * over them; NAN when none is known. */
CR_EXTERN(double) cr_vet_compose(const double scores[CR_VET_NCOMPONENTS]);

/** Component scores (0-100) from their measures; pure. */
CR_EXTERN(double) cr_vet_score_engagement(double er, double bench_low);
CR_EXTERN(double) cr_vet_score_likes_comments(double ratio, double typical);
CR_EXTERN(double) cr_vet_score_real_share(double fake_share);
CR_EXTERN(double)
cr_vet_score_comments(size_t spam, size_t dup, size_t ring, size_t generic, size_t n);

/** "low", "medium", "high". */
typedef enum { CR_VET_RISK_LOW = 0, CR_VET_RISK_MEDIUM, CR_VET_RISK_HIGH } cr_vet_risk;
CR_EXTERN(const char *) cr_vet_risk_name(cr_vet_risk r);

/** Comment text classes: 1 when a comment is generic ("nice pic", emoji or punctuation only:
 * at most 4 words, all from a list of stock words). */
CR_EXTERN(int) cr_vet_comment_generic(const char *text);
/** 1 when a comment carries a promotion cue: a link, an @handle, a money amount, or a word
 * such as follow, subscribe, DM, page, profile, promote, collab, earn (docs/vetting.md).
 * Such a comment counts as spam; the spam classifier's agreement is reported beside it. */
CR_EXTERN(int) cr_vet_comment_promotes(const char *text);
/** A comment's text folded for duplicate detection (lower case, letters and digits, single
 * spaces) into buf. */
CR_EXTERN(void) cr_vet_comment_fold(char *buf, size_t size, const char *text);

/* ---- brand safety ---- */

/** A term list: categories of PCRE2 patterns (case-insensitive, UTF-8). */
typedef struct cr_term_lists cr_term_lists;

/** Parse one term-list document (YAML, docs/vetting.md) and add it to *lists (created when
 * NULL); each pattern is compiled, a bad one named with file, line, column and its PCRE2
 * message. @return CR_OK, CR_EINVALID, CR_ENOMEM */
CR_EXTERN(cr_err)
cr_term_lists_add(cr_term_lists **lists, const char *text, size_t len, const char *name);
/** Every built-in list (data/brandsafety/) and every workspace list (settings
 * "brandsafety:NAME"). */
CR_EXTERN(cr_err) cr_term_lists_load(cr_term_lists **out, cr_store *st);
/** Store a list's document under its name (validated first). */
CR_EXTERN(cr_err) cr_term_lists_save(cr_store *st, const char *text, size_t len, const char *file);
CR_EXTERN(void) cr_term_lists_free(cr_term_lists *l);
/** Patterns loaded, and the lists' names joined by ", " (borrowed). */
CR_EXTERN(size_t) cr_term_lists_count(const cr_term_lists *l);
CR_EXTERN(const char *) cr_term_lists_names(const cr_term_lists *l);

/** One match of a pattern in a text. */
typedef struct {
    const char *list, *category, *pattern; /* borrowed from the lists */
    char matched[96];                      /* the matched text */
    size_t offset;                         /* byte offset of the match */
} cr_term_match;

typedef cr_err (*cr_term_match_cb)(const cr_term_match *m, void *payload);
/** Every pattern that matches in text (first match of each); cb once per matching pattern. */
CR_EXTERN(cr_err)
cr_term_lists_scan(const cr_term_lists *l, const char *text, cr_term_match_cb cb, void *payload);

/* ---- the vetting report ---- */

#define CR_VET_MAX_SPIKES  10
#define CR_VET_MAX_REASONS 8
#define CR_VET_MAX_RING    12
#define CR_VET_MAX_FLAGS   40

typedef struct {
    int64_t date;          /* the day the change was seen (midnight UTC) */
    int64_t before, after; /* followers the snapshot before and on that day */
    int64_t delta;         /* after - before, per day when snapshots are days apart */
    double z;              /* robust z of the delta */
    double times_usual;    /* delta / the median absolute daily change */
    double eng_before;     /* median engagements per post in the 30 days before; NAN none */
    double eng_after;      /* idem, 30 days from the spike on */
} cr_vet_spike;

typedef struct {
    int64_t post_id;
    char url[200], external_id[64];
    int64_t posted_at;
    char list[48], category[48], pattern[96], matched[96];
    char excerpt[160]; /* the caption around the match */
} cr_vet_flag;

typedef struct {
    char text[240];
    double impact; /* score points this reason costs (for ordering) */
} cr_vet_reason;

/** What crest knows about a creator's audience quality. */
typedef struct {
    int64_t creator_id;
    char platform[32], handle[128];
    int64_t followers; /* CR_COUNT_NONE unknown */
    char tier[40];     /* "" when unknown */
    char tier_scheme[72];

    /* engagement rate */
    char benchmarks[72]; /* the table used */
    char benchmark_source[256];
    char er_definition[24];       /* per_follower, ...; "" when no benchmark row */
    double bench_low, bench_high; /* NAN when no row */
    cr_vet_shrunk er;             /* er.n == 0: no posts with the metrics */
    size_t posts, posts_used;     /* posts in the store, posts in the ER window */
    int64_t window_since, window_until;

    /* likes per comment */
    double likes_per_comment;         /* NAN when unknown */
    double typical_likes_per_comment; /* median of the platform's creators in the workspace */
    size_t peers;                     /* creators that median is over */

    /* growth */
    size_t snapshots;
    size_t nspikes;
    cr_vet_spike spikes[CR_VET_MAX_SPIKES];
    double usual_daily_change; /* median absolute daily change */
    double bought_share;       /* excess of the spikes over the usual change / followers */
    size_t nseries;            /* the daily series for charts */
    int64_t *series_date, *series_followers;

    /* follower sample (optional) */
    int has_sample;
    size_t sample_n, sample_flagged;
    double fake_share, fake_low, fake_high;

    /* comments */
    size_t comments, comments_spam, comments_generic, comments_dup, comments_ring;
    /* comments_spam: comments that solicit (a promotion cue); of them, confirmed: also
     * flagged by the spam classifier; model: every classifier flag, cue or not */
    size_t comments_spam_confirmed, comments_spam_model;
    size_t commented_posts;
    size_t nring;
    char ring[CR_VET_MAX_RING][64]; /* recurring commenters */
    size_t ring_posts[CR_VET_MAX_RING];
    int sentiment_available; /* 0: no sentiment model is shipped (docs/vetting.md) */
    double sentiment;        /* mean of P(positive) - P(negative) mapped to [0, 1]; NAN none */

    /* score */
    double component[CR_VET_NCOMPONENTS]; /* 0-100; NAN = not computed (see missing) */
    char component_note[CR_VET_NCOMPONENTS][200];
    double score, score_low, score_high; /* NAN when no component is known */
    size_t bootstrap;                    /* resamples behind the interval */
    double coverage;                     /* the weights of the components measured (1 = all five) */
    cr_vet_risk follower_risk, engagement_risk;
    size_t nreasons;
    cr_vet_reason reasons[CR_VET_MAX_REASONS];

    /* verdict */
    int64_t campaign_id;    /* 0 none */
    char campaign_goal[24]; /* "awareness", ... */
    char verdict[24];       /* "ok", "review", "not recommended" (for the campaign's goal) */
    char verdict_text[320];
    char verdict_awareness[24], verdict_conversions[24]; /* both, for no campaign */

    /* brand safety */
    size_t captions_scanned;
    size_t patterns;
    char term_lists[256];
    size_t nflags, flags_total;
    cr_vet_flag flags[CR_VET_MAX_FLAGS];

    int64_t computed_at;
} cr_vet_report;

/** Typical likes per comment by platform across a workspace's creators (computed once for
 * many vettings). Opaque; NULL in cr_vet_options: computed per call. */
typedef struct cr_vet_peers cr_vet_peers;
CR_EXTERN(cr_err) cr_vet_peers_load(cr_vet_peers **out, cr_store *st);
CR_EXTERN(void) cr_vet_peers_free(cr_vet_peers *p);

typedef struct {
    unsigned int version;
    int64_t campaign_id;        /* 0: no campaign; else its primary goal picks the verdict */
    const char *followers_file; /* a follower-sample CSV (cr_model_followers_classify) or NULL */
    const char *benchmarks;     /* a benchmark table name; NULL = the active one */
    size_t bootstrap;           /* resamples for the interval; 0 = 400 */
    const cr_vet_peers *peers;  /* NULL = computed */
    const cr_term_lists *terms; /* NULL = cr_term_lists_load() */
    int64_t now;                /* computed_at; 0 = the clock */
} cr_vet_options;
#define CR_VET_OPTIONS_VERSION 1
#define CR_VET_OPTIONS_INIT                                     \
    {                                                           \
        CR_VET_OPTIONS_VERSION, 0, NULL, NULL, 0, NULL, NULL, 0 \
    }

/**
 * Vet one creator from the store (its posts' rollups, snapshots and comments, the shipped
 * spam model, the benchmark table, the term lists).
 * @param out free with cr_vet_report_free()
 * @return CR_OK, CR_ENOTFOUND (creator or campaign), CR_EINVALID (a follower file), CR_ENOMEM
 */
CR_EXTERN(cr_err)
cr_vet_creator(cr_vet_report **out, cr_store *st, int64_t creator_id, const cr_vet_options *opts);
CR_EXTERN(void) cr_vet_report_free(cr_vet_report *r);

/** The report as JSON text (the shape of `crest vet --json` and GET /api/v1/creators/{id}/vet).
 * @param out NUL-terminated; free with cr_vet_text_free() */
CR_EXTERN(cr_err) cr_vet_report_json(char **out, const cr_vet_report *r);
CR_EXTERN(void) cr_vet_text_free(char *s);

/** Keep the report as the creator's last vetting: setting "vet:<creator id>" = its JSON, so
 * searches can filter on a minimum audience quality. */
CR_EXTERN(cr_err) cr_vet_save(cr_store *st, const cr_vet_report *r);

/** A next-post forecast of reach and engagements with 80% intervals from the creator's post
 * rollups and the shipped forecast model (what `crest forecast` prints). */
typedef struct {
    double followers;
    size_t posts;
    double reach_expected, reach_low, reach_high, reach_weight;
    double eng_expected, eng_low, eng_high, eng_weight;
    size_t reach_history, eng_history;
} cr_vet_forecast;
CR_EXTERN(cr_err) cr_vet_forecast_next(cr_vet_forecast *out, cr_store *st, int64_t creator_id);

CR_END_DECL

#endif /* CR_VET_H */
