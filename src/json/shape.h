/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * shape.h - JSON shapes of crest's objects, shared by the CLI's --json and the HTTP API, so
 * both print the same thing. Each function builds a new jansson value (the caller owns the
 * reference) and returns NULL when out of memory; none of them touches the store. */
#ifndef CR_JSON_SHAPE_H
#define CR_JSON_SHAPE_H

#include <jansson.h>

#include "crest/crest.h"

/* Tier of a follower count (Later x Fohr cut-offs): nano, micro, mid, macro, mega; "-" when
 * the count is unknown (negative). */
const char *cr_json_tier_name(int64_t followers);

/* A creator profile, as listed and shown. */
json_t *cr_json_creator(const cr_creator *c);
/* The "stats" object of a shown creator: post totals, ER by reach and follower growth. */
json_t *cr_json_creator_stats(const cr_creator_stats *cs);
/* A post with its latest metrics (null when it has none). */
json_t *cr_json_post_row(const cr_post_row *r);
/* A KPI of the catalog, with the goal types it may be primary for. */
json_t *cr_json_kpi_def(const cr_kpi_def *k);

/* A campaign as a list row (the store's summary). */
json_t *cr_json_campaign_row(const cr_campaign *c);
/* A full campaign: KPIs with targets and baselines, partnerships, budget. */
json_t *cr_json_campaign(const cr_campaign_spec *s);
/* One KPI of a campaign: role, target, baseline. */
json_t *cr_json_campaign_kpi(const cr_campaign_kpi_spec *k);
/* One broken goal rule. */
json_t *cr_json_rule_violation(const cr_rule_violation *v);
/* A SMART report: the overall verdict and the five checks. */
json_t *cr_json_smart(const cr_smart_report *r);
/* Progress of a campaign's KPIs against their targets. */
json_t *cr_json_progress(const cr_campaign_spec *s, const cr_campaign_progress *p);

/* A parsed goal sentence. */
json_t *cr_json_goal_statement(const cr_goal_statement *g);

/* The summary of one CSV import (`crest import --json`, POST /api/v1/imports/{kind}): counts,
 * sha256, ignored columns, problems; "error" when rc < 0. `file` is the name shown. */
json_t *cr_json_import_result(
    const cr_import_result *r, const char *file, double secs, cr_err rc, long peak_rss_kib);

#endif /* CR_JSON_SHAPE_H */
