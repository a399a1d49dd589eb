/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * sentence.h - goal sentences: "Increase website referral traffic from creator campaigns by
 * 25% over Q3, measured against Q2 baseline, using a budget of $15,000 across four creator
 * partnerships." -> goal type, KPI, direction, target, period, baseline period, budget and
 * partnership count. What it cannot read is listed, never guessed. */
#ifndef CR_SENTENCE_H
#define CR_SENTENCE_H

#include "crest/errors.h"

CR_BEGIN_DECL

/** The five goal types; 0 means not known. */
typedef enum {
    CR_GOAL_NONE = 0,
    CR_GOAL_AWARENESS = 1,
    CR_GOAL_ENGAGEMENT = 2,
    CR_GOAL_TRAFFIC = 3,
    CR_GOAL_LEADS = 4,
    CR_GOAL_SALES = 5
} cr_goal_type;

typedef enum {
    CR_TARGET_NONE = 0,
    CR_TARGET_RELATIVE = 1, /* a lift over the baseline: 0.25 = +25%, -0.10 = -10% */
    CR_TARGET_ABSOLUTE = 2  /* a value of the KPI: 10000 sessions, 0.012 for a 1.2% CTR */
} cr_target_kind;

#define CR_SENTENCE_MAX_UNPARSED 8

typedef struct {
    cr_goal_type goal;
    char kpi[32];  /* KPI code from the catalog ("referral_sessions"), "" if unknown */
    int direction; /* +1 increase/grow/raise, -1 reduce/lower/cut, 0 unknown */
    cr_target_kind target_kind;
    double target;   /* see cr_target_kind; signed by direction for relative targets */
    char period[32]; /* "2026-Q3", "2026-H2", "2026-07", "2026", or "2026-07-01..2026-08-15" */
    int64_t period_start, period_end; /* midnight UTC, end inclusive; 0 if no period */
    char baseline_period[32];         /* same forms; "" if none */
    int64_t budget_minor;             /* -1 if no budget */
    char currency[4];                 /* ISO 4217, "" if no budget */
    int partnerships;                 /* -1 if not said */
    size_t nunparsed;
    char unparsed[CR_SENTENCE_MAX_UNPARSED][96]; /* words/phrases it could not read */
} cr_goal_statement;

/**
 * Read a goal sentence.
 * @param out filled in; fields not found keep their "unknown" value
 * @param text the sentence (UTF-8)
 * @param default_year year for periods without one ("over Q3")
 * @return CR_OK when a goal type and a KPI were found (other parts may be missing or
 *         unparsed); CR_EINVALID when not even that, with a message saying what was missing
 */
CR_EXTERN(cr_err) cr_goal_parse(cr_goal_statement *out, const char *text, int default_year);

/** "awareness", ...; "none" for CR_GOAL_NONE. Borrowed static string. */
CR_EXTERN(const char *) cr_goal_name(cr_goal_type g);
/** Goal type from its name (any case); CR_GOAL_NONE when unknown. */
CR_EXTERN(cr_goal_type) cr_goal_from_name(const char *name);

CR_END_DECL

#endif /* CR_SENTENCE_H */
