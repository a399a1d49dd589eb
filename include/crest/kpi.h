/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * kpi.h - the KPI catalog (DESIGN §4) as one table, and the formulas that turn summed inputs
 * into KPI values. Pure: no store, no allocation. Every value carries the definition it used
 * ("ER by reach"), and a KPI that cannot be computed says why instead of showing a number. */
#ifndef CR_KPI_H
#define CR_KPI_H

#include "crest/sentence.h"

CR_BEGIN_DECL

typedef enum {
    CR_UNIT_COUNT,   /* a whole number */
    CR_UNIT_RATIO,   /* a fraction, shown as a percentage */
    CR_UNIT_MONEY,   /* minor units of the campaign's currency */
    CR_UNIT_SECONDS, /* a duration */
    CR_UNIT_PER_DAY, /* a rate per day */
    CR_UNIT_MULTIPLE /* a multiple, e.g. ROAS 3.2x */
} cr_kpi_unit;

/** Goal-type bit for cr_kpi_def.primary_for. */
#define CR_GOAL_BIT(g) (1u << (unsigned)(g))

typedef struct {
    const char *code; /* "engagement_rate" */
    const char *name; /* "Engagement rate" */
    cr_kpi_unit unit;
    const char *formula;    /* "(likes + comments + shares + saves) / reach" */
    int direction;          /* +1 higher is better, -1 lower is better */
    unsigned primary_for;   /* CR_GOAL_BIT()s of the goal types it may be primary for */
    const char *definition; /* "ER by reach"; stored with every computed value */
    int cumulative;         /* 1: grows with time (sums); 0: a ratio or average */
    int vanity;             /* 1: says little about business outcomes on its own */
} cr_kpi_def;

/** Sums over a scope and a window, from which every KPI is computed. */
typedef struct cr_kpi_inputs_s {
    int64_t days; /* length of the window */
    int64_t posts;
    int64_t impressions, reach, views, likes, comments, shares, saves, clicks, watch_seconds;
    int64_t sessions, engaged_sessions, session_seconds;
    int64_t leads, qualified_leads;
    int64_t orders, revenue_minor;
    int64_t spend_minor; /* fees + product cost */
    int64_t mentions_brand, mentions_competitors;
    int64_t followers_start, followers_end;
} cr_kpi_inputs;

typedef struct {
    const cr_kpi_def *def;
    int available; /* 0: value is meaningless; see `missing` */
    double value;
    double numerator, denominator; /* for ratios; denominator 0 for sums */
    const char *missing;           /* why it is not available */
} cr_kpi_value;

/** The catalog; *n receives its length. Borrowed static data. */
CR_EXTERN(const cr_kpi_def *) cr_kpi_catalog(size_t *n);
/** A KPI by code; NULL when unknown. */
CR_EXTERN(const cr_kpi_def *) cr_kpi_find(const char *code);
/** 1 when the KPI may be a primary KPI of the goal type. */
CR_EXTERN(int) cr_kpi_is_primary_for(const cr_kpi_def *k, cr_goal_type g);
/** Compute one KPI from inputs. Never fails: unavailable values say why. */
CR_EXTERN(void) cr_kpi_compute(cr_kpi_value *out, const cr_kpi_def *k, const cr_kpi_inputs *in);
/** "1.20%", "15,000", "1,234.50 USD" (money in minor units), "3.20x", "2m 05s", "-" for NAN. */
CR_EXTERN(const char *)
cr_kpi_format(char *buf, size_t size, const cr_kpi_def *k, double v, const char *currency);
/** "count", "ratio", ... */
CR_EXTERN(const char *) cr_kpi_unit_name(cr_kpi_unit u);

CR_END_DECL

#endif /* CR_KPI_H */
