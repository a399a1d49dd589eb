/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.h - finding creators: filtered full-text search ranked by relevance times the
 * expected performance for a campaign's goal, lookalikes by topic and audience vectors, and
 * saved searches that a later import refreshes. Every hit carries the reasons for its rank in
 * plain words. docs/discovery.md describes the filters, the formulas and the reasons.
 *
 * Two layers: the store layer (cr_store_discover_*, src/store/discover.c: the search index,
 * candidate rows, audience data, saved searches; one SQL text for both backends where they
 * agree) and the ranking (cr_discover_*, src/discover/), which never sees SQL. */
#ifndef CR_DISCOVER_H
#define CR_DISCOVER_H

#include "crest/store.h"

CR_BEGIN_DECL

/* ---- the query ----------------------------------------------------------------------------- */

/** Filters and ranking of one discovery query. Build it with cr_discover_query_init() and
 * cr_discover_query_set() (which checks each value and copies it); strings are owned by the
 * query. Numbers left open are NAN (rates, shares) or -1 (counts, money). */
typedef struct {
    unsigned int version;
    char *platform;                       /* canonical platform name */
    char *topic;                          /* words; a creator matches when it holds any of them */
    int64_t min_followers, max_followers; /* -1 = open */
    char *tier;                           /* a tier name of the scheme: bounds the followers */
    char *tier_scheme;                    /* NULL: the workspace's active scheme */
    double min_er, max_er;                /* engagement rate bounds, fractions; NAN = open */
    char *er_by;                          /* "reach" (default) or "followers" */
    char *country;                        /* audience country (ISO alpha-2) ... */
    double country_share;                 /* ... with at least this share */
    char *age;                            /* audience age band ("18-24") ... */
    double age_share;                     /* ... with at least this share */
    char *gender;                         /* audience gender ("female", "male") ... */
    double gender_share;                  /* ... with at least this share */
    char *language;                       /* ISO 639-1; "pt" also matches "pt-BR" */
    double min_quality;                   /* audience quality score 0-100; NAN = open */
    int64_t min_fee_minor, max_fee_minor; /* -1 = open */
    char *not_in;                         /* campaign name or id whose creators are left out */
    int include_opted_out;                /* 1: do not leave out creators who opted out */
    char *campaign;                       /* campaign name or id: rank for its primary goal */
    char *like;                           /* "@handle" or "platform/handle": lookalikes */
    int64_t limit, offset;                /* limit default 20, at most 500 */
    char *raw[24];                        /* each field's value as given, for the saved form */
} cr_discover_query;

#define CR_DISCOVER_QUERY_VERSION 1

CR_EXTERN(void) cr_discover_query_init(cr_discover_query *q);
CR_EXTERN(void) cr_discover_query_dispose(cr_discover_query *q);
/**
 * Set one field by its name (the API's query parameter and the saved form use the same names:
 * platform, topic, min_followers, max_followers, tier, tier_scheme, min_er, max_er, er_by,
 * country ("US" or "US:0.3"), age ("18-24:0.25"), gender ("female:0.6"), language,
 * min_quality, min_fee, max_fee (major units, "1200" or "1,200.50"), not_in,
 * include_opted_out, campaign, like, limit, offset).
 * @return CR_OK; CR_EINVALID naming the field, what was expected and what was found
 */
CR_EXTERN(cr_err) cr_discover_query_set(cr_discover_query *q, const char *field, const char *value);
/** Parse "field=value&field=value" (percent-encoded, '+' for a blank) into q. */
CR_EXTERN(cr_err) cr_discover_query_parse(cr_discover_query *q, const char *text);
/** The query's canonical text (fields in a fixed order, percent-encoded; limit and offset left
 * out), as a saved search stores it. The caller frees *out with cr_free(). */
CR_EXTERN(cr_err) cr_discover_query_text(char **out, const cr_discover_query *q);

/* ---- results ------------------------------------------------------------------------------- */

typedef struct {
    int64_t creator_id;
    char *platform, *handle, *name, *country, *language, *tier; /* tier NULL: unknown */
    int64_t followers;                                          /* CR_COUNT_NONE unknown */
    double score;          /* relevance x performance (similarity x performance for lookalikes) */
    double relevance;      /* 0-1: the topic words' weight in the creator's text; 1 without topic */
    double performance;    /* the expected-performance factor, 0.25-4; 1 when unknown */
    double er;             /* NAN unknown */
    const char *er_source; /* "reach", "followers", "reported"; NULL unknown */
    double perf_value;     /* the goal's metric; NAN unknown */
    const char *perf_label;                       /* "reach per post", ...; NULL without a goal */
    double topic_similarity, audience_similarity; /* lookalikes; NAN otherwise or unknown */
    int64_t fee_minor;                            /* -1 unknown */
    char *fee_currency;
    double quality; /* audience quality score; NAN when not scored */
    int is_new;     /* saved search: not in the results last seen */
    char **reasons; /* plain words, most important first */
    size_t nreasons;
} cr_discover_hit;

typedef struct {
    cr_discover_hit *hits;
    size_t nhits;
    int64_t total;       /* creators that passed the filters (before limit and offset) */
    int capped;          /* 1: more candidates matched than are ranked (docs/discovery.md) */
    char *goal;          /* the goal ranked for; NULL without a campaign */
    char *campaign_name; /* NULL without a campaign */
    int64_t seed_id;     /* lookalikes: the seed creator */
    char *seed;          /* lookalikes: "platform/handle" */
    int64_t new_count;   /* saved search: hits not in the results last seen */
    char *saved_name;    /* saved search run: its name */
    int64_t last_run;    /* saved search run: when it ran before (0 never) */
} cr_discover_result;

/**
 * Run a query: filter, rank, page. Brings the search index up to date first.
 * @return CR_OK; CR_EINVALID for a query that cannot run (unknown tier, no such campaign
 *         or seed creator); CR_ENOTFOUND for an unknown campaign or seed
 */
CR_EXTERN(cr_err)
cr_discover_run(cr_discover_result *out, cr_store *st, const cr_discover_query *q);
CR_EXTERN(void) cr_discover_result_dispose(cr_discover_result *r);

/* ---- saved searches ------------------------------------------------------------------------ */

typedef struct {
    int64_t id;
    const char *name, *query;   /* the canonical query text */
    int64_t created_at, run_at; /* run_at 0: never run */
    int64_t result_count;       /* creators in the last run */
    int64_t new_count;          /* of them, not in the results last seen */
    const char *result_ids;     /* the last run's ids, ranked, comma-separated */
    const char *seen_ids;       /* the ids last shown to a person */
} cr_saved_search;

typedef cr_err (*cr_saved_search_cb)(const cr_saved_search *s, void *payload);

/** Save (or replace) a search under a name. @return CR_OK; CR_EINVALID for an empty name */
CR_EXTERN(cr_err) cr_discover_save(cr_store *st, const char *name, const cr_discover_query *q);
/**
 * Run a saved search (limit and offset from page, which may be NULL), mark the hits that are
 * new since it was last seen, and record this run as seen.
 * @return CR_OK; CR_ENOTFOUND when there is no search of that name
 */
CR_EXTERN(cr_err)
cr_discover_run_saved(cr_discover_result *out,
                      cr_store *st,
                      const char *name,
                      const cr_discover_query *page);
/** Re-run every saved search and record its results and how many are new (an import calls
 * this before it commits). */
CR_EXTERN(cr_err) cr_discover_refresh_saved(cr_store *st);
CR_EXTERN(cr_err) cr_discover_saved_list(cr_store *st, cr_saved_search_cb cb, void *payload);
/** @return CR_OK; CR_ENOTFOUND when there is no search of that name */
CR_EXTERN(cr_err) cr_discover_saved_delete(cr_store *st, const char *name);

/* ---- the store layer (src/store/discover.c) ------------------------------------------------ */

/** What a creator profile says for discovery beyond cr_creator: fee, opt-out, audience. */
typedef struct {
    int opted_out;            /* -1 unknown (keep), 0, 1 */
    int64_t fee_minor;        /* -1 unknown (keep) */
    const char *fee_currency; /* ISO 4217; NULL keep */
    double quality;           /* audience quality score; NAN keep */
    /* audience shares; NULL keep; "" clears. "US:0.42;GB:0.18", "18-24:0.3;25-34:0.4",
     * "female:0.61;male:0.39" */
    const char *countries, *ages, *genders;
} cr_creator_profile;

/** Every field "keep". */
CR_EXTERN(void) cr_creator_profile_init(cr_creator_profile *p);

/** Write a creator's discovery profile; audience shares are checked (0-1, sum <= 1.01).
 * @return CR_OK; CR_EINVALID with the field and the bad entry */
CR_EXTERN(cr_err)
cr_store_creator_profile_set(cr_store *st, int64_t creator_id, const cr_creator_profile *p);

/**
 * Bring the search index up to date: the text (bio, niches and the 12 most recent captions)
 * of every creator whose bio or posts changed, its term counts, and the per-creator
 * performance sums from the post rollups (when `perf` or when an import ran since). Inside an
 * open transaction it becomes part of it; otherwise it runs in its own.
 */
CR_EXTERN(cr_err) cr_store_discover_refresh(cr_store *st, int perf);

/** A candidate row for ranking (borrowed for the callback). */
typedef struct {
    int64_t id;
    const char *platform, *handle, *name, *country, *language, *doc, *audience;
    int64_t followers;  /* CR_COUNT_NONE unknown */
    double reported_er; /* NAN unknown */
    int64_t fee_minor;  /* -1 unknown: the creator's, else its highest partnership fee */
    const char *fee_currency;
    double quality; /* NAN unknown */
    /* sums over the creator's posts (post rollups); posts 0 when none */
    int64_t posts, reach_posts, reach, eng_reach, eng_posts, engagements;
    int64_t click_posts, clicks, click_impressions, sessions, leads, orders, revenue_minor;
} cr_discover_row;

/** Store-side filters of a candidate query (the ranking applies the rest: the ER range). */
typedef struct {
    const char *fts;      /* space-separated normalized words, any of them; NULL = no text */
    const char *platform; /* NULL = any */
    int64_t min_followers, max_followers; /* -1 open */
    const char *language;
    const char *country, *age, *gender; /* audience keys; NULL = none */
    double country_share, age_share, gender_share;
    double min_quality;                   /* NAN open; creators not scored pass */
    int64_t min_fee_minor, max_fee_minor; /* -1 open */
    int64_t not_in_campaign;              /* 0 none */
    int include_opted_out;
    int64_t exclude_id; /* 0 none */
    int64_t cap;        /* at most this many rows: with fts, those of highest relevance (ties: more
                         * followers, then the lower id); without, the most followers (then the
                         * higher id) */
} cr_discover_filter;

typedef cr_err (*cr_discover_row_cb)(const cr_discover_row *r, void *payload);
CR_EXTERN(cr_err)
cr_store_discover_candidates(cr_store *st,
                             const cr_discover_filter *f,
                             cr_discover_row_cb cb,
                             void *payload);
/** Build (or check) the in-memory snapshot of the filter columns that candidate queries use;
 * a search does it on its own, this lets a caller pay for it up front (bench, server start). */
CR_EXTERN(cr_err) cr_store_discover_prepare(cr_store *st);
/** Bytes the snapshot of the filter columns holds (0 when none is built). */
CR_EXTERN(size_t) cr_store_discover_snapshot_bytes(const cr_store *st);
/** Creators whose index entry holds a word (document frequency), and the number of indexed
 * creators (word "" ). Unknown words give 0. */
CR_EXTERN(cr_err) cr_store_discover_df(int64_t *out, cr_store *st, const char *word);
/** The candidate row of one creator (lookalike seeds); CR_ENOTFOUND when there is none. */
CR_EXTERN(cr_err)
cr_store_discover_creator(cr_store *st, int64_t creator_id, cr_discover_row_cb cb, void *payload);

/** ER by reach of creators with post data, with their followers, for tier medians. */
typedef cr_err (*cr_discover_er_cb)(int64_t followers,
                                    double er_reach,
                                    double er_followers,
                                    void *payload);
CR_EXTERN(cr_err) cr_store_discover_er_list(cr_store *st, cr_discover_er_cb cb, void *payload);

/* saved search rows */
CR_EXTERN(cr_err) cr_store_saved_search_put(cr_store *st, const char *name, const char *query);
CR_EXTERN(cr_err)
cr_store_saved_search_get(cr_store *st, const char *name, cr_saved_search_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_saved_search_list(cr_store *st, cr_saved_search_cb cb, void *payload);
/** Record a run: its ids, count and new count; seen_ids replaced when seen_ids != NULL. */
CR_EXTERN(cr_err)
cr_store_saved_search_ran(cr_store *st,
                          int64_t id,
                          int64_t run_at,
                          const char *result_ids,
                          int64_t result_count,
                          int64_t new_count,
                          const char *seen_ids);
CR_EXTERN(cr_err) cr_store_saved_search_delete(cr_store *st, const char *name);

CR_END_DECL

#endif /* CR_DISCOVER_H */
