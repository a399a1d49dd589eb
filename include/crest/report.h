/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * report.h - the report model: everything a campaign (or creator) report shows, built from
 * the store's rollups (never from raw metric history), so that every output format (JSON,
 * HTML, CSV, XLSX) prints the same numbers. KPIs are computed at every level: post,
 * partnership, creator and campaign, each with the definition it used. */
#ifndef CR_REPORT_H
#define CR_REPORT_H

#include "crest/goals.h"

CR_BEGIN_DECL

/** Default age in days after which a data source is called stale (setting
 * "freshness.stale_days"). */
#define CR_REPORT_STALE_DAYS 7
/** How many posts the "top posts" section lists (by engagements). */
#define CR_REPORT_TOP_POSTS 10

/** One KPI of the campaign with its target (campaign level). */
typedef struct {
    const cr_kpi_def *def;
    int primary; /* 1 primary, 0 contextual */
    cr_kpi_value actual;
    double baseline, target, pct_of_target, projected; /* NAN when unknown */
    cr_track_status status;
    char note[300];
} cr_report_kpi;

/** Cumulative campaign totals at the end of one day (each post's last value carried
 * forward; attributed units summed through the day). */
typedef struct {
    int64_t date; /* midnight UTC */
    int64_t impressions, reach, engagements, clicks;
    int64_t sessions, leads, orders, revenue_minor;
} cr_report_day;

/** KPIs of one entity (partnership, creator or post): sums and every catalog KPI. */
typedef struct {
    cr_kpi_inputs inputs;
    size_t nkpis;
    cr_kpi_value *kpis; /* one per catalog entry, catalog order */
    double emv_minor;   /* NAN: no rate card */
} cr_report_kpis;

/** One partnership (creator in the campaign): the leaderboard row. */
typedef struct {
    int64_t partnership_id, creator_id;
    int64_t campaign_id;
    char campaign[200]; /* the campaign's name (creator reports list one row per campaign) */
    char platform[24], handle[128], tier[24];
    int64_t followers; /* CR_COUNT_NONE unknown */
    int64_t fee_minor, product_cost_minor;
    char promo_code[64];
    int rank; /* 1 = best by the sort KPI */
    cr_report_kpis k;
} cr_report_partner;

/** One post (top posts). */
typedef struct {
    int64_t post_id;
    char platform[24], handle[128], url[512], external_id[128], format[32];
    int64_t posted_at, captured_at;
    cr_report_kpis k;
    char emv_log[1024];
} cr_report_post;

/** One funnel step: its total and the rate from the previous step. */
typedef struct {
    const char *step; /* "impressions", "clicks", "sessions", "leads", "orders" */
    int64_t value;
    double rate; /* value / previous step's value; NAN for the first or a zero previous */
} cr_report_step;

/** Attributed units of one kind, split by level and method. */
typedef struct {
    const char *kind;          /* "sessions", "leads", "orders" */
    int64_t to_posts;          /* attributed to one of the campaign's posts */
    int64_t to_partnerships;   /* to a partnership only (no post in the window) */
    int64_t by_utm;            /* by the session's or lead's utm_content */
    int64_t by_code;           /* by discount code */
    int64_t by_landing_utm;    /* by an order's landing utm_content */
    int64_t revenue_minor;     /* orders only: all attributed revenue */
    int64_t unattributed;      /* units not attributed to any partnership in the window */
    int64_t unattributed_rows; /* rows behind them */
} cr_report_attr;

typedef struct {
    char kind[32], reason[96];
    int64_t rows, units, value_minor;
} cr_report_unattr;

/** One data source (import kind) with its age at the report's generation time. */
typedef struct {
    char kind[32], file[256];
    int64_t imports, last_import, newest_data;
    double age_days; /* now - newest data (or last import when unknown), in days */
    int stale;       /* age_days > the stale threshold */
} cr_report_source;

typedef enum { CR_REPORT_CAMPAIGN = 0, CR_REPORT_CREATOR = 1 } cr_report_kind;

typedef struct {
    cr_report_kind kind;
    int64_t generated_at; /* wall clock (or the options' `now`) */
    int64_t as_of;        /* the last day counted, midnight UTC */
    int64_t since, until; /* the window: [since, until) */
    char currency[4];
    int stale_days;

    /* campaign reports */
    cr_campaign_spec *campaign; /* NULL for creator reports */
    char sort_kpi[32];          /* the leaderboard's sort KPI (the first primary) */
    size_t nkpis;
    cr_report_kpi *kpis; /* the campaign's KPIs, as progress computes them */
    cr_report_kpis totals;
    double elapsed;
    size_t ndays;
    cr_report_day *days;
    size_t npartners;
    cr_report_partner *partners; /* sorted by sort_kpi, best first */
    cr_report_step funnel[5];
    cr_report_attr attribution[3]; /* sessions, leads, orders */
    size_t nunattr;
    cr_report_unattr *unattr;

    /* creator reports */
    int64_t creator_id;
    char platform[24], handle[128], tier[24];
    int64_t followers;

    /* both */
    int64_t nposts; /* every post in scope */
    size_t ntop;
    cr_report_post *top; /* up to CR_REPORT_TOP_POSTS, by engagements */
    size_t nsources;
    cr_report_source *sources;
    char emv_card[64];    /* the rate card's version; "" when EMV is unavailable */
    char emv_currency[4]; /* the card's currency */
    size_t nwarnings;
    char (*warnings)[300]; /* stale sources, summed reach, missing data */
} cr_report;

typedef struct {
    unsigned int version;
    int64_t as_of; /* 0: now (capped to the campaign's end) */
    int64_t now;   /* 0: the real clock; for source ages and generated_at */
} cr_report_options;

#define CR_REPORT_OPTIONS_VERSION 1
#define CR_REPORT_OPTIONS_INIT          \
    {                                   \
        CR_REPORT_OPTIONS_VERSION, 0, 0 \
    }

/**
 * Build a campaign's report from the store's rollups.
 * @param out free with cr_report_free()
 * @return CR_OK; CR_ENOTFOUND for an unknown campaign; CR_EINVALID for one without a period
 */
CR_EXTERN(cr_err)
cr_report_campaign(cr_report **out,
                   cr_store *st,
                   int64_t campaign_id,
                   const cr_report_options *opts);

/**
 * Build a creator's report: KPIs over all of the creator's posts, the creator's
 * partnerships (one row per campaign) and top posts.
 * @return CR_OK; CR_ENOTFOUND for an unknown creator
 */
CR_EXTERN(cr_err)
cr_report_creator(cr_report **out, cr_store *st, int64_t creator_id, const cr_report_options *opts);

CR_EXTERN(void) cr_report_free(cr_report *r);

/** The catalog KPI `code` of an entity; NULL when unknown. Borrowed. */
CR_EXTERN(const cr_kpi_value *) cr_report_kpi_of(const cr_report_kpis *k, const char *code);

/** Add an entity's rollup row to a KPI input sum (latest metrics and attributed units). */
CR_EXTERN(void) cr_report_add_rollup(cr_kpi_inputs *in, const cr_post_rollup *p);

CR_END_DECL

#endif /* CR_REPORT_H */
