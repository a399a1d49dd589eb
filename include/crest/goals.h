/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * goals.h - judging a campaign's goal: the SMART check, baselines from stored history, and
 * progress against target with a projection to the end of the campaign. */
#ifndef CR_GOALS_H
#define CR_GOALS_H

#include "crest/campaign.h"

CR_BEGIN_DECL

typedef enum { CR_VERDICT_PASS = 0, CR_VERDICT_WARN = 1, CR_VERDICT_FAIL = 2 } cr_verdict;

typedef struct {
    char letter;      /* 'S', 'M', 'A', 'R', 'T' */
    const char *name; /* "Specific", ... */
    cr_verdict verdict;
    char reason[600]; /* one line a marketer understands */
} cr_smart_item;

typedef struct {
    cr_smart_item items[5];
    int propose_benchmarking; /* M: no baseline, so the first cycle should measure it */
    int rule_violations;
    cr_verdict overall; /* the worst of the five */
} cr_smart_report;

/**
 * Run the SMART check.
 * @param st the store for history (A) and baseline data (M); may be NULL (file-only check)
 * @param as_of "today" for history windows; 0: the real clock
 */
CR_EXTERN(cr_err)
cr_smart_check(cr_smart_report *out, cr_store *st, const cr_campaign_spec *spec, int64_t as_of);
CR_EXTERN(const char *) cr_verdict_name(cr_verdict v);

typedef enum {
    CR_TRACK_NO_DATA = 0,  /* nothing measured yet */
    CR_TRACK_ON,           /* projected to meet the target */
    CR_TRACK_AT_RISK,      /* projected within 10% of it */
    CR_TRACK_OFF,          /* projected to miss it by more */
    CR_TRACK_BENCHMARKING, /* no target: this cycle measures the baseline */
    CR_TRACK_NO_TARGET,    /* contextual, or a target that needs a missing baseline */
    CR_TRACK_NOT_STARTED
} cr_track_status;

typedef struct {
    const cr_kpi_def *def;
    int primary;
    cr_kpi_value actual;
    double baseline;      /* NAN when unknown */
    double target;        /* the target as a KPI value (a lift resolved against the baseline) */
    double pct_of_target; /* actual / target (target / actual for lower-is-better); NAN */
    double projected;     /* value at the end at the current run rate; NAN */
    cr_track_status status;
    char note[300];
} cr_kpi_progress;

typedef struct {
    int64_t as_of, start, end;
    double elapsed; /* fraction of the period gone, 0..1 */
    cr_kpi_inputs inputs;
    size_t nkpis;
    cr_kpi_progress *kpis;
} cr_campaign_progress;

/**
 * Progress of a stored campaign at `as_of` (0: now, capped to the campaign's end).
 * @param out free with cr_campaign_progress_free()
 */
CR_EXTERN(cr_err)
cr_campaign_progress_compute(cr_campaign_progress **out,
                             cr_store *st,
                             const cr_campaign_spec *spec,
                             int64_t as_of);
CR_EXTERN(void) cr_campaign_progress_free(cr_campaign_progress *p);
CR_EXTERN(const char *) cr_track_status_name(cr_track_status s);

/** What cr_baseline_compute() did for one KPI. */
typedef struct {
    const char *code;
    int filled; /* a baseline value was stored */
    double value;
    char source[160]; /* "2027-Q2 (brand history)" or "benchmarking campaign 'X'" */
    char note[300];   /* why not, when not filled */
} cr_baseline_result;

typedef cr_err (*cr_baseline_cb)(const cr_baseline_result *r, void *payload);

/**
 * Fill a stored campaign's KPI baselines from the store: from each KPI's baseline period
 * (the brand's history), or else from the latest ended benchmarking campaign of the brand.
 */
CR_EXTERN(cr_err)
cr_baseline_compute(cr_store *st, int64_t campaign_id, cr_baseline_cb cb, void *payload);

/** KPI inputs of a campaign's own scope over [since, until). */
CR_EXTERN(cr_err)
cr_campaign_inputs(
    cr_kpi_inputs *out, cr_store *st, const cr_campaign_spec *spec, int64_t since, int64_t until);

CR_END_DECL

#endif /* CR_GOALS_H */
