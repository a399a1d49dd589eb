/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * campaign.h - campaigns, goal first: a campaign spec (from a YAML file, CLI flags or the
 * store), the goal/KPI rules it must meet, and saving and loading it. */
#ifndef CR_CAMPAIGN_H
#define CR_CAMPAIGN_H

#include "crest/kpi.h"
#include "crest/store.h"

CR_BEGIN_DECL

typedef struct {
    char code[32];
    int primary; /* 1 primary, 0 contextual */
    cr_target_kind target_kind;
    double target; /* lift (0.25) or absolute value (0.012 for 1.2%) */
    int has_baseline;
    double baseline;
    char baseline_period[32]; /* "2027-Q2" or "" */
    int line;                 /* where it was written (YAML line), 0 if not from a file */
} cr_campaign_kpi_spec;

typedef struct {
    char creator[140];  /* "instagram/maya.runs" */
    int64_t creator_id; /* resolved on save */
    int64_t fee_minor, product_cost_minor;
    char currency[4];
    char promo_code[64], utm_content[128], status[24];
    int line;
} cr_partnership_spec;

typedef struct {
    int64_t id; /* 0 until saved */
    char name[200], brand[120], status[24];
    char objective[1000];
    int64_t start, end;   /* dates; 0 if not given */
    int64_t evaluation;   /* when results are judged; 0: not given */
    int64_t budget_minor; /* -1 if not given */
    char currency[4];
    cr_goal_type primary_goal, secondary_goal;
    int secondary_goals; /* how many secondary goals were named (rule: at most one) */
    int primary_goals;   /* how many primary goals were named (rule: exactly one) */
    int benchmarking;
    int attribution_window_days; /* 0: the default, 30 */
    char emv_credit[8];          /* "full" (default) or "split" */
    cr_campaign_kpi_spec *kpis;
    size_t nkpis;
    cr_partnership_spec *partners;
    size_t npartners;
    char source[256]; /* file it came from, for messages */
    int line_primary_goal, line_kpis, line_period, line_budget;
} cr_campaign_spec;

/**
 * Set one of the campaign's tracking options from text, the same way for YAML, JSON and CLI
 * flags: "attribution_window" ("30", "30 days"; 1..365) or "emv_credit" ("full", "split").
 * @return CR_OK; CR_EINVALID with `why` filled; CR_ENOTFOUND for another key
 */
CR_EXTERN(cr_err)
cr_campaign_spec_set_option(
    cr_campaign_spec *s, const char *key, const char *value, char *why, size_t whysize);

/** One broken rule: a stable code, a message and what to do instead. */
typedef struct {
    const char *rule; /* "one_primary_goal", "primary_kpi_count", "kpi_goal_mismatch", ... */
    char message[400];
    char suggestion[400];
    int line;
} cr_rule_violation;

typedef cr_err (*cr_rule_cb)(const cr_rule_violation *v, void *payload);

/** Allocate an empty spec; free with cr_campaign_spec_free(). */
CR_EXTERN(cr_err) cr_campaign_spec_new(cr_campaign_spec **out);
CR_EXTERN(void) cr_campaign_spec_free(cr_campaign_spec *spec);
/** Append a KPI / partnership (zeroed) and return it through *out. */
CR_EXTERN(cr_err) cr_campaign_spec_add_kpi(cr_campaign_kpi_spec **out, cr_campaign_spec *spec);
CR_EXTERN(cr_err) cr_campaign_spec_add_partner(cr_partnership_spec **out, cr_campaign_spec *spec);

/**
 * Load a campaign from a YAML file (format in docs/campaigns.md).
 * @return CR_OK; CR_EINVALID with "file:line: key: expected ..., found ..."; CR_ENOTFOUND
 *         when the file cannot be opened
 */
CR_EXTERN(cr_err) cr_campaign_load_yaml(cr_campaign_spec **out, const char *path);

/**
 * Parse a money amount such as "15000 USD", "$15,000", "3000.50 EUR", "€8k".
 * @return CR_OK, or CR_EINVALID with *why set
 */
CR_EXTERN(cr_err)
cr_money_parse(int64_t *out_minor, char currency[4], const char *s, const char **why);

/**
 * Parse a KPI target for k->code: "+25%" or "-10%" is a lift over the baseline; "1.2%" is a
 * value for a rate KPI (a lift for a count KPI); "10000", "3.5x" or "25 USD" is a value.
 * @return CR_OK, or CR_EINVALID with *why set
 */
CR_EXTERN(cr_err) cr_kpi_target_parse(cr_campaign_kpi_spec *k, const char *text, const char **why);

/**
 * Check the goal rules: exactly one primary goal, at most one secondary, 2-3 primary KPIs,
 * each in the primary goal's set, known KPI codes, no duplicates. Calls cb per violation.
 * @param count receives the number of violations
 */
CR_EXTERN(cr_err)
cr_campaign_check_rules(const cr_campaign_spec *spec, cr_rule_cb cb, void *payload, int *count);

/** Save (insert or update by name) with its KPIs and partnerships; creators must exist. */
CR_EXTERN(cr_err) cr_campaign_save(int64_t *out_id, cr_store *st, cr_campaign_spec *spec);
/** Load a stored campaign with its KPIs and partnerships. CR_ENOTFOUND when there is none. */
CR_EXTERN(cr_err) cr_campaign_load(cr_campaign_spec **out, cr_store *st, int64_t id);

CR_END_DECL

#endif /* CR_CAMPAIGN_H */
