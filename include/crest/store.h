/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * store.h - the one storage interface. Domain code reads and writes through these calls and
 * never sees SQL; a backend (include/crest/sys/store_backend.h) supplies them for SQLite or
 * PostgreSQL. Records passed in are borrowed; records handed to callbacks are borrowed for
 * the duration of the callback only. Times are unix seconds UTC, money is integer minor
 * units plus an ISO 4217 code, counts are >= 0 or CR_COUNT_NONE when unknown. */
#ifndef CR_STORE_H
#define CR_STORE_H

#include "crest/errors.h"

CR_BEGIN_DECL

typedef struct cr_store cr_store;

typedef struct {
    int64_t id;
    const char *platform; /* canonical: instagram, tiktok, youtube, ... */
    const char *handle;   /* lower-case, no '@' */
    const char *name, *email, *country, *language, *niches, *bio; /* NULL = unknown */
    int64_t followers, following, media_count;                    /* CR_COUNT_NONE = unknown */
    double engagement_rate; /* as reported by the source, fraction; NAN = unknown */
    int64_t updated_at;
} cr_creator;

typedef struct {
    int64_t creator_id;
    int64_t date; /* midnight UTC */
    int64_t followers, following, media_count;
} cr_snapshot;

typedef struct {
    int64_t id;
    int64_t creator_id;
    int64_t partnership_id; /* 0 = not part of a partnership */
    const char *platform, *external_id, *url, *format, *caption, *utm_content;
    int64_t posted_at;
} cr_post;

typedef struct {
    int64_t post_id;
    int64_t captured_at;
    int64_t import_id; /* 0 when not from an import */
    int64_t impressions, reach, views, likes, comments, shares, saves, clicks, watch_seconds;
} cr_metric;

typedef struct {
    int64_t post_id;
    const char *external_id, *author, *text;
    int64_t posted_at;
} cr_comment;

typedef struct {
    int64_t id;
    const char *name, *brand;
    int64_t start, end; /* dates, midnight UTC; end inclusive */
    int64_t evaluation; /* when results are judged; 0 = not set */
    int64_t budget_minor;
    const char *currency;
    const char *status;                        /* draft, active, completed */
    const char *primary_goal, *secondary_goal; /* awareness|engagement|traffic|leads|sales */
    const char *objective;
    int benchmarking;
    int attribution_window_days; /* units count for a post this many days after it; 0 = 30 */
    const char *emv_credit;      /* "full" (default) or "split" between brands a post names */
} cr_campaign;

typedef struct {
    int64_t campaign_id;
    const char *code, *role;     /* role: primary | contextual */
    double target;               /* NAN = none */
    int target_relative;         /* 1: target is a lift over baseline (0.25 = +25%) */
    double baseline;             /* NAN = none */
    const char *baseline_period; /* "2026-Q2" or NULL */
} cr_campaign_kpi;

typedef struct {
    int64_t id;
    int64_t campaign_id, creator_id;
    int64_t fee_minor, product_cost_minor;
    const char *currency, *status, *promo_code, *utm_content;
    const char *platform, *handle; /* the creator's; filled when read, ignored when written */
} cr_partnership;

/** Web analytics rows (e.g. GA4), one per day and UTM combination. */
typedef struct {
    int64_t date;
    const char *utm_source, *utm_medium, *utm_campaign, *utm_content; /* NULL = "" */
    int64_t sessions, engaged_sessions, duration_seconds, conversions;
    int64_t import_id;
} cr_web_session;

typedef struct {
    const char *external_id;
    int64_t created_at;
    int64_t total_minor;
    const char *currency, *discount_code, *landing_utm_content;
    int64_t import_id;
} cr_order;

typedef struct {
    const char *external_id;
    int64_t created_at;
    const char *utm_source, *utm_medium, *utm_campaign, *utm_content;
    int qualified;
    int64_t import_id;
} cr_lead;

typedef struct {
    int64_t date;
    const char *source, *brand;
    int64_t count;
    int64_t import_id;
} cr_mention;

/** A post with what is derived from it (kept up to date by cr_store_track_refresh()): its
 * latest metric snapshot and the sessions, leads and orders attributed to it. */
typedef struct {
    int64_t post_id, creator_id;
    int64_t partnership_id; /* the post's, or the partnership its utm_content names; 0 none */
    int64_t campaign_id;    /* that partnership's campaign; 0 none */
    const char *platform, *handle, *external_id, *url, *format, *caption, *utm_content;
    int64_t posted_at;
    int64_t followers;   /* the creator's; CR_COUNT_NONE unknown */
    int64_t captured_at; /* of the latest snapshot; 0 = no metrics yet */
    int64_t import_id;   /* the import that brought it; 0 none */
    /* latest snapshot; CR_COUNT_NONE when the source did not report the metric */
    int64_t impressions, reach, views, likes, comments, shares, saves, clicks, watch_seconds;
    /* attributed to this post */
    int64_t sessions, engaged_sessions, session_seconds;
    int64_t leads, qualified_leads;
    int64_t orders, revenue_minor;
} cr_post_rollup;

/** Which rollups to read; zero-initialise. */
typedef struct {
    int64_t campaign_id;    /* posts whose (derived) partnership belongs to it; 0 = any */
    int64_t partnership_id; /* 0 = any */
    int64_t creator_id;     /* 0 = any */
    int64_t post_id;        /* 0 = any */
    int64_t since, until;   /* posted_at in [since, until); 0 = open */
} cr_rollup_filter;

/** The latest snapshot of one post on one day (metric history at day grain). */
typedef struct {
    int64_t post_id;
    int64_t date;        /* midnight UTC */
    int64_t captured_at; /* the snapshot's own time */
    int64_t impressions, reach, views, likes, comments, shares, saves, clicks, watch_seconds;
} cr_metric_day;

/** Attributed units of one kind, one day, one post or partnership, one method (summed). */
typedef struct {
    const char *kind;   /* "sessions", "leads", "orders" */
    const char *method; /* "utm" (tracking link), "code" (discount code), "landing_utm" */
    int64_t date;       /* midnight UTC */
    int64_t post_id;    /* 0: attributed to the partnership only */
    int64_t partnership_id;
    int64_t units;       /* sessions, leads or orders */
    int64_t secondary;   /* engaged sessions, qualified leads; 0 for orders */
    int64_t seconds;     /* session duration; 0 otherwise */
    int64_t value_minor; /* order revenue; 0 otherwise */
} cr_attributed;

/** What could not be attributed in a window, by kind and reason (summed). */
typedef struct {
    const char *kind;   /* "sessions", "leads", "orders" */
    const char *reason; /* "no utm_content", "unknown utm_content", "outside the window", ... */
    int64_t rows, units, value_minor;
} cr_unattributed;

/** One data source: the newest import of a kind. */
typedef struct {
    const char *kind;
    int64_t imports;     /* how many imports of this kind */
    int64_t last_import; /* finished_at of the newest */
    const char *file;    /* its file name */
    int64_t newest_data; /* the newest capture/date/created time it holds; 0 unknown */
} cr_source;

/** Which rows a KPI is computed over. */
typedef enum {
    CR_SCOPE_CAMPAIGN = 0, /* the campaign's partnership posts, UTMs and promo codes */
    CR_SCOPE_BRAND = 1     /* everything of every campaign of a brand (history, baselines) */
} cr_scope_kind;

typedef struct {
    cr_scope_kind kind;
    int64_t campaign_id;  /* CR_SCOPE_CAMPAIGN */
    const char *brand;    /* CR_SCOPE_BRAND; for mentions in both */
    int64_t since, until; /* [since, until), unix seconds */
} cr_kpi_scope;

typedef struct {
    int64_t id;
    const char *kind, *file, *sha256;
    int64_t rows, rejected;
    int64_t started_at, finished_at;
} cr_import_rec;

/** Filters for cr_store_creator_list(); zero-initialise, then set what you need. */
typedef struct {
    const char *platform;  /* NULL = all */
    const char *search;    /* substring of handle or name, case-insensitive; NULL = all */
    int64_t min_followers; /* 0 = no bound */
    int64_t max_followers; /* 0 = no bound */
    const char *order;     /* "followers" (default, descending), "handle", "id" */
    int64_t limit, offset; /* limit 0 = no limit */
} cr_creator_filter;

typedef struct {
    int64_t creator_id;   /* 0 = all */
    const char *platform; /* NULL = all */
    int64_t since, until; /* posted_at range [since, until); 0 = open */
    int64_t limit, offset;
} cr_post_filter;

/** A post with its creator and its latest metric snapshot (metric.post_id == 0: none). */
typedef struct {
    cr_post post;
    const char *handle;
    cr_metric metric;
} cr_post_row;

/** Aggregates for one creator (a profile view). */
typedef struct {
    int64_t posts, posts_with_metrics;
    int64_t reach, impressions, engagements; /* sums over latest metrics */
    int64_t snapshots;
    int64_t first_snapshot, last_snapshot; /* dates; 0 when none */
    int64_t first_followers, last_followers;
    int64_t comments;
} cr_creator_stats;

/** An account of `crest serve`. */
typedef struct {
    int64_t id;
    const char *email;         /* lower-case; unique in the workspace */
    const char *role;          /* admin, manager, analyst, reviewer, creator */
    const char *password_hash; /* crypto_pwhash_str() output (argon2id) */
    int64_t created_at;
    int disabled; /* 1: may not log in; its sessions are not found */
} cr_user;

/** A login session. Only the SHA-256 of the cookie's token is stored (hex). */
typedef struct {
    const char *token_hash;
    int64_t user_id;
    const char *csrf; /* the value X-CSRF-Token must carry */
    int64_t created_at, expires_at;
    const char *email, *role; /* the user's; filled when read, ignored when written */
} cr_session;

/** KPI inputs, defined in crest/kpi.h. */
typedef struct cr_kpi_inputs_s cr_kpi_inputs;

typedef cr_err (*cr_creator_cb)(const cr_creator *c, void *payload);
typedef cr_err (*cr_campaign_cb)(const cr_campaign *c, void *payload);
typedef cr_err (*cr_campaign_kpi_cb)(const cr_campaign_kpi *k, void *payload);
typedef cr_err (*cr_partnership_cb)(const cr_partnership *p, void *payload);
typedef cr_err (*cr_post_cb)(const cr_post_row *row, void *payload);
typedef cr_err (*cr_user_cb)(const cr_user *u, void *payload);
typedef cr_err (*cr_session_cb)(const cr_session *s, void *payload);
typedef cr_err (*cr_table_count_cb)(const char *table, int64_t rows, void *payload);
/** One problem found by cr_store_check(): what kind ("integrity", "foreign_key") and detail. */
typedef cr_err (*cr_check_cb)(const char *what, const char *detail, void *payload);

/**
 * Open (and create or migrate) a store.
 * @param out receives the store; free with cr_store_free()
 * @param url "sqlite:PATH", a plain path, or "postgres://..." where built in
 * @return CR_OK, CR_EINVALID for an unknown scheme, CR_ESTORE when it cannot be opened
 */
CR_EXTERN(cr_err) cr_store_open(cr_store **out, const char *url);
CR_EXTERN(void) cr_store_free(cr_store *st);
/** Backend name ("sqlite"); borrowed. */
CR_EXTERN(const char *) cr_store_backend_name(const cr_store *st);
/** The schema version (the number of the last migration applied). */
CR_EXTERN(int) cr_store_schema_version(const cr_store *st);

CR_EXTERN(cr_err) cr_store_begin(cr_store *st);
/** 1 while a transaction of cr_store_begin() or cr_store_begin_bulk() is open, else 0. */
CR_EXTERN(int) cr_store_in_transaction(const cr_store *st);
/**
 * Begin a write transaction for a bulk import that looks up every row's references itself
 * inside this transaction (which holds the write lock, so they cannot vanish). The backend may
 * then skip its own per-row foreign-key checks; they are back on after commit or rollback,
 * and cr_store_check() verifies them.
 */
CR_EXTERN(cr_err) cr_store_begin_bulk(cr_store *st);
CR_EXTERN(cr_err) cr_store_commit(cr_store *st);
CR_EXTERN(cr_err) cr_store_rollback(cr_store *st);

/** Insert or update by (platform, handle); unknown fields keep their stored value. */
CR_EXTERN(cr_err) cr_store_creator_upsert(int64_t *out_id, cr_store *st, const cr_creator *c);
/** @return CR_OK or CR_ENOTFOUND (with a message naming platform/handle) */
CR_EXTERN(cr_err)
cr_store_creator_find(int64_t *out_id, cr_store *st, const char *platform, const char *handle);
/** Calls cb once with the creator; CR_ENOTFOUND when there is none. */
CR_EXTERN(cr_err) cr_store_creator_get(cr_store *st, int64_t id, cr_creator_cb cb, void *payload);
CR_EXTERN(cr_err)
cr_store_creator_list(cr_store *st, const cr_creator_filter *f, cr_creator_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_creator_stats(cr_creator_stats *out, cr_store *st, int64_t id);

CR_EXTERN(cr_err) cr_store_snapshot_upsert(cr_store *st, const cr_snapshot *s);
typedef cr_err (*cr_snapshot_cb)(const cr_snapshot *s, void *payload);
/** A creator's follower snapshots by date (none: cb is not called). */
CR_EXTERN(cr_err)
cr_store_snapshot_list(cr_store *st, int64_t creator_id, cr_snapshot_cb cb, void *payload);

/** Insert or update by (platform, external_id). */
CR_EXTERN(cr_err) cr_store_post_upsert(int64_t *out_id, cr_store *st, const cr_post *p);
CR_EXTERN(cr_err)
cr_store_post_find(int64_t *out_id, cr_store *st, const char *platform, const char *external_id);
CR_EXTERN(cr_err)
cr_store_post_list(cr_store *st, const cr_post_filter *f, cr_post_cb cb, void *payload);

/** Insert or update by (post, captured_at). */
CR_EXTERN(cr_err) cr_store_metric_upsert(cr_store *st, const cr_metric *m);
/** Insert or update by (post, external_id). */
CR_EXTERN(cr_err) cr_store_comment_upsert(cr_store *st, const cr_comment *c);
typedef cr_err (*cr_comment_cb)(const cr_comment *c, void *payload);
/** The comments on a creator's posts, by post then time. */
CR_EXTERN(cr_err)
cr_store_comment_list(cr_store *st, int64_t creator_id, cr_comment_cb cb, void *payload);

/** Insert or update by name. */
CR_EXTERN(cr_err) cr_store_campaign_upsert(int64_t *out_id, cr_store *st, const cr_campaign *c);
CR_EXTERN(cr_err) cr_store_campaign_kpi_upsert(cr_store *st, const cr_campaign_kpi *k);
/** Insert or update by (campaign, creator). */
CR_EXTERN(cr_err)
cr_store_partnership_upsert(int64_t *out_id, cr_store *st, const cr_partnership *p);

/** Calls cb once; CR_ENOTFOUND when there is no such campaign. */
CR_EXTERN(cr_err) cr_store_campaign_get(cr_store *st, int64_t id, cr_campaign_cb cb, void *payload);
/** Campaign id by name; CR_ENOTFOUND when there is none. */
CR_EXTERN(cr_err) cr_store_campaign_find(int64_t *out_id, cr_store *st, const char *name);
/** Every campaign, newest start first. */
CR_EXTERN(cr_err) cr_store_campaign_list(cr_store *st, cr_campaign_cb cb, void *payload);
CR_EXTERN(cr_err)
cr_store_campaign_kpi_list(cr_store *st, int64_t campaign_id, cr_campaign_kpi_cb cb, void *payload);
/** Remove every KPI of a campaign (before writing a new set). */
CR_EXTERN(cr_err) cr_store_campaign_kpi_clear(cr_store *st, int64_t campaign_id);
CR_EXTERN(cr_err)
cr_store_partnership_list(cr_store *st, int64_t campaign_id, cr_partnership_cb cb, void *payload);
/** Remove a partnership; its posts stay, no longer linked to it. */
CR_EXTERN(cr_err) cr_store_partnership_delete(cr_store *st, int64_t id);

CR_EXTERN(cr_err) cr_store_web_session_upsert(cr_store *st, const cr_web_session *w);
CR_EXTERN(cr_err) cr_store_order_upsert(cr_store *st, const cr_order *o);
CR_EXTERN(cr_err) cr_store_lead_upsert(cr_store *st, const cr_lead *l);
CR_EXTERN(cr_err) cr_store_mention_upsert(cr_store *st, const cr_mention *m);

/**
 * Sum what the KPIs of a scope and window need (crest/kpi.h computes the KPIs from it).
 * @param out a cr_kpi_inputs (declared in crest/kpi.h)
 */
CR_EXTERN(cr_err) cr_store_kpi_inputs(cr_kpi_inputs *out, cr_store *st, const cr_kpi_scope *scope);

/** The import of the same kind with this checksum, if any (cb once), else CR_ENOTFOUND. */
CR_EXTERN(cr_err)
cr_store_import_find(
    cr_store *st, const char *kind, const char *sha256, int64_t *out_id, int64_t *out_rows);
CR_EXTERN(cr_err) cr_store_import_begin(int64_t *out_id, cr_store *st, const cr_import_rec *rec);
CR_EXTERN(cr_err)
cr_store_import_finish(
    cr_store *st, int64_t id, const char *sha256, int64_t rows, int64_t rejected);

/**
 * Re-derive what the imports feed: the per-post rollups of posts whose metrics changed in
 * this connection since the last refresh (every post when `full`), each post's partnership
 * (its own, or the one whose utm_content it carries), and the attribution of every session,
 * lead and order to one post or partnership (or the reason it has none). Inside an open
 * transaction it becomes part of it (the importer calls it before committing); otherwise it
 * runs in its own.
 */
CR_EXTERN(cr_err) cr_store_track_refresh(cr_store *st, int full);
typedef cr_err (*cr_post_rollup_cb)(const cr_post_rollup *r, void *payload);
/** Rollups by posted_at, then post id. */
CR_EXTERN(cr_err)
cr_store_rollup_list(cr_store *st, const cr_rollup_filter *f, cr_post_rollup_cb cb, void *payload);
typedef cr_err (*cr_metric_day_cb)(const cr_metric_day *d, void *payload);
/** Day-grain metric history of the filtered posts, by post then date. */
CR_EXTERN(cr_err)
cr_store_metric_days(cr_store *st, const cr_rollup_filter *f, cr_metric_day_cb cb, void *payload);
typedef cr_err (*cr_attributed_cb)(const cr_attributed *a, void *payload);
/** Units attributed to a campaign's partnerships (or their posts) dated in [since, until),
 * summed by kind, date, partnership, post and method. */
CR_EXTERN(cr_err)
cr_store_attributed_list(cr_store *st,
                         int64_t campaign_id,
                         int64_t since,
                         int64_t until,
                         cr_attributed_cb cb,
                         void *payload);
typedef cr_err (*cr_unattributed_cb)(const cr_unattributed *u, void *payload);
/** Units dated in [since, until) that point at no post or partnership, by kind and reason. */
CR_EXTERN(cr_err)
cr_store_unattributed_list(
    cr_store *st, int64_t since, int64_t until, cr_unattributed_cb cb, void *payload);
typedef cr_err (*cr_source_cb)(const cr_source *s, void *payload);
/** One row per import kind that was ever imported, by kind. */
CR_EXTERN(cr_err) cr_store_source_list(cr_store *st, cr_source_cb cb, void *payload);

/** A workspace setting (rate cards, tier schemes, thresholds): text under a key. Strings are
 * borrowed for the callback. */
typedef cr_err (*cr_setting_cb)(const char *key,
                                const char *value,
                                int64_t updated_at,
                                void *payload);
/** Calls cb once with the value; CR_ENOTFOUND when the key is not set. */
CR_EXTERN(cr_err)
cr_store_setting_get(cr_store *st, const char *key, cr_setting_cb cb, void *payload);
/** Set (value != NULL) or remove (NULL) a setting. */
CR_EXTERN(cr_err) cr_store_setting_set(cr_store *st, const char *key, const char *value);
/** Every setting whose key starts with prefix ("" = all), by key. */
CR_EXTERN(cr_err)
cr_store_setting_list(cr_store *st, const char *prefix, cr_setting_cb cb, void *payload);

/** A row of a table for exports: column names and values as text (NULL = SQL NULL). */
typedef cr_err (*cr_table_row_cb)(const char *const *columns,
                                  const char *const *values,
                                  size_t n,
                                  void *payload);
/** Names of the tables of the schema list (parents first), NULL-terminated; static data. */
CR_EXTERN(const char *const *) cr_store_tables(void);
/** Every row of a table in key order. @return CR_OK; CR_ENOTFOUND for an unknown table */
CR_EXTERN(cr_err)
cr_store_table_export(cr_store *st, const char *table, cr_table_row_cb cb, void *payload);

/**
 * Check the store's integrity and its references; cb is called once per problem found.
 * @return CR_OK (whether or not problems were found), or the store's error
 */
CR_EXTERN(cr_err) cr_store_check(cr_store *st, cr_check_cb cb, void *payload);

/** Per table: row count and a SHA-256 of its rows in key order (the same data gives the same
 * digest on every backend). */
typedef cr_err (*cr_digest_cb)(const char *table, int64_t rows, const char *sha256, void *payload);
CR_EXTERN(cr_err) cr_store_digest(cr_store *st, cr_digest_cb cb, void *payload);

/**
 * Copy every table from one store to another, keeping ids, in one transaction on `to`.
 * @param progress called after each table with its row count; may be NULL
 * @return CR_OK; CR_ECONFLICT when `to` already holds data
 */
CR_EXTERN(cr_err)
cr_store_copy(cr_store *to, cr_store *from, cr_table_count_cb progress, void *payload);

/**
 * Insert a user, or update the role and password of the one with this email (and enable it).
 * @return CR_OK; CR_EINVALID for a missing field or a role outside the five
 */
CR_EXTERN(cr_err) cr_store_user_upsert(int64_t *out_id, cr_store *st, const cr_user *u);
/** Calls cb once with the user of this email (hash and role included); else CR_ENOTFOUND. */
CR_EXTERN(cr_err) cr_store_user_find(cr_store *st, const char *email, cr_user_cb cb, void *payload);
/** Every user of the workspace, by email. */
CR_EXTERN(cr_err) cr_store_user_list(cr_store *st, cr_user_cb cb, void *payload);

/** Record a session (token_hash, user_id, csrf, created_at, expires_at). */
CR_EXTERN(cr_err) cr_store_session_create(cr_store *st, const cr_session *s);
/**
 * Calls cb once with the session of this token hash, joined with its user (email, role), when
 * it expires after `now` and its user is not disabled.
 * @return CR_OK or CR_ENOTFOUND
 */
CR_EXTERN(cr_err)
cr_store_session_find(
    cr_store *st, const char *token_hash, int64_t now, cr_session_cb cb, void *payload);
/** Remove a session; removing one that does not exist is not an error. */
CR_EXTERN(cr_err) cr_store_session_delete(cr_store *st, const char *token_hash);
/** Remove every session that expired at or before `now`. */
CR_EXTERN(cr_err) cr_store_session_purge(cr_store *st, int64_t now);

/** Row counts of every table, in schema order. */
CR_EXTERN(cr_err) cr_store_table_counts(cr_store *st, cr_table_count_cb cb, void *payload);

CR_END_DECL

#endif /* CR_STORE_H */
