/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.h - partner performance reviews (issue 8): versioned rubrics with anchored 1-5
 * scales, review cycles, the three voices (brand reviews collected independently, the
 * creator's self-assessment, the creator's reciprocal feedback on the brand), release,
 * growth plans with milestones and incentives, debrief notes and playbook entries, the
 * review schedule (with an iCalendar export), the evidence panel, the scorecard, and the
 * creator's access (a signed, expiring link or a creator account linked to a creator).
 *
 * Forms come as YAML or JSON text (the file formats of docs/reviews.md); an error names the
 * file, line, column and field, what was expected and what was found. Reports come back as
 * JSON text (the shape of `crest review ... --json` and of the HTTP API), freed with
 * cr_review_text_free(). The calibration engine itself is crest/calibrate.h. */
#ifndef CR_REVIEW_H
#define CR_REVIEW_H

#include "crest/calibrate.h"
#include "crest/store.h"

CR_BEGIN_DECL

#define CR_REVIEW_LEVELS 5 /* scores are 1..5 */

/** Free a JSON text or token returned by this module; NULL does nothing. */
CR_EXTERN(void) cr_review_text_free(char *s);

/* ---- rubrics ---- */

/**
 * A rubric as JSON: {"name","version","origin","criteria":[{"code","name","dimension",
 * "anchors":[5 texts]}]}. name "default" with version 0 or 1 is the built-in default rubric
 * unless the workspace stored its own version 1; version 0 is the latest.
 * @return CR_OK; CR_ENOTFOUND naming the known rubrics
 */
CR_EXTERN(cr_err)
cr_review_rubric_json(char **out, cr_store *st, const char *name, int version);

/** Every rubric version, built-in and stored: [{"name","version","origin","criteria"}]. */
CR_EXTERN(cr_err) cr_review_rubric_list_json(char **out, cr_store *st);

/**
 * Store a rubric document (YAML or JSON: name, criteria with code, name, dimension and five
 * anchors) as the next version of its name.
 * @param out_version receives the version stored
 * @return CR_OK; CR_EINVALID naming file, line, column and field
 */
CR_EXTERN(cr_err)
cr_review_rubric_add(
    int *out_version, cr_store *st, const char *text, size_t len, const char *file);

/* ---- forms (YAML or JSON text; `file` names the text in errors) ---- */

/** Start a cycle: name, kind (quarterly|monthly|midcycle|debrief), period or start/end,
 * rubric [version], lead, campaign (debriefs), partners. */
CR_EXTERN(cr_err)
cr_review_cycle_start(
    int64_t *out_id, cr_store *st, const char *text, size_t len, const char *file);

/** Submit a brand review: cycle, partner, reviewer, scores (criterion: score, or {score,
 * evidence, posts}), optional summary and potential (1-3). Final once submitted: a second
 * review of the same reviewer, partner and cycle is CR_ECONFLICT. Scores of 2 or below need
 * evidence text. `reviewer` (not NULL) overrides the file's and must match it when both are
 * given (the HTTP API passes the logged-in user). */
CR_EXTERN(cr_err)
cr_review_submit(int64_t *out_id,
                 cr_store *st,
                 const char *text,
                 size_t len,
                 const char *file,
                 const char *reviewer);

/** The creator's self-assessment (cycle, partner, strengths, growth_areas, plan) or
 * reciprocal feedback (cycle, partner, brief_clarity, feedback_timeliness,
 * payment_punctuality, creative_freedom as 1-5, comment). `only_creator` (0: any) restricts
 * the partner to one creator: the signed link's or the account's. Resubmitting before release
 * replaces the earlier answer; after release it is CR_ECONFLICT. */
CR_EXTERN(cr_err)
cr_review_self(cr_store *st, const char *text, size_t len, const char *file, int64_t only_creator);
CR_EXTERN(cr_err)
cr_review_feedback(
    cr_store *st, const char *text, size_t len, const char *file, int64_t only_creator);

/** Release the brand reviews of one partner (creator_id > 0) or of every partner of a cycle
 * (0) to the creators. *out_released counts the partners newly released. */
CR_EXTERN(cr_err)
cr_review_release(
    size_t *out_released, cr_store *st, const char *cycle, int64_t creator_id, const char *by);

/** A growth plan: partner, title, cycle and reviewer (the review that created it), and
 * milestones (metric, target, due, owner creator|brand, incentive {amount, currency} or
 * text). */
CR_EXTERN(cr_err)
cr_review_plan_add(int64_t *out_id, cr_store *st, const char *text, size_t len, const char *file);

/** Set a milestone's status: "met" (with the actual value reached; NAN when not measured),
 * "missed" or "open". */
CR_EXTERN(cr_err)
cr_review_milestone_set(cr_store *st, int64_t id, const char *status, double actual, int64_t when);

/** A debrief note or playbook entry: kind, title, body, partner, campaign, posts. */
CR_EXTERN(cr_err)
cr_review_note_add(int64_t *out_id, cr_store *st, const char *text, size_t len, const char *file);

/** Notes whose title or body hold every word of `query`, best first: [{"id","kind",...}]. */
CR_EXTERN(cr_err) cr_review_note_search_json(char **out, cr_store *st, const char *query);

/* ---- reading ---- */

/** Who reads a cycle. */
typedef enum {
    CR_REVIEW_SEE_ALL = 0, /* managers and the command line: every submitted review */
    CR_REVIEW_SEE_PREVIEW  /* a reviewer: his own reviews; another's of a partner only once
                            * he has submitted his own for that partner (ratings preview) */
} cr_review_see;

/** The cycles: [{"id","name","kind","period_start","period_end","partners","reviews",
 * "released"}]. */
CR_EXTERN(cr_err) cr_review_cycles_json(char **out, cr_store *st);

/** One cycle (name or id) with its partners, reviews as `see` allows for `viewer`,
 * self-assessments and feedback. */
CR_EXTERN(cr_err)
cr_review_cycle_json(
    char **out, cr_store *st, const char *cycle, cr_review_see see, const char *viewer);

/** What a creator may read: his own self-assessments and feedback, and the brand reviews of
 * his partnership in cycles where they were released (reviewers not named). */
CR_EXTERN(cr_err) cr_review_creator_json(char **out, cr_store *st, int64_t creator_id);

/** The evidence panel of a partner: KPI trends over the last `cycles` periods (the
 * partner's review cycles, or calendar months when it has fewer than two) against targets,
 * as an OLS slope per period with its 95% t-interval; top and bottom posts; the previous
 * review and growth plan. */
CR_EXTERN(cr_err)
cr_review_evidence_json(
    char **out, cr_store *st, int64_t creator_id, int cycles, int64_t as_of, const char *viewer);

/** The scorecard of one partner (creator_id > 0) or of the cohort (0): per cycle and
 * dimension (storytelling, production discipline, compliance, KPI delivery) with trend
 * arrows from the slope's 90% interval; the cohort's rating distribution and nine-box; growth
 * plans with milestones, overdue alerts and incentives due. `viewer` as for the evidence. */
CR_EXTERN(cr_err)
cr_review_scorecard_json(
    char **out, cr_store *st, int64_t creator_id, int64_t as_of, const char *viewer);

typedef struct {
    unsigned int version;
    int64_t as_of;            /* the day the schedule is for (midnight UTC) */
    int days;                 /* how far ahead to list */
    double monthly_threshold; /* posts per 30 days from which a partner is reviewed monthly */
} cr_review_schedule_opts;

#define CR_REVIEW_SCHEDULE_OPTS_VERSION 1
#define CR_REVIEW_SCHEDULE_OPTS_INIT              \
    {                                             \
        CR_REVIEW_SCHEDULE_OPTS_VERSION, 0, 90, 8 \
    }

/** What is due: [{"kind","creator_id","handle","period","due","status","reason"}]. */
CR_EXTERN(cr_err)
cr_review_schedule_json(char **out, cr_store *st, const cr_review_schedule_opts *o);
/** The same as an iCalendar (RFC 5545) text, one all-day event per item. */
CR_EXTERN(cr_err)
cr_review_schedule_ics(char **out, cr_store *st, const cr_review_schedule_opts *o);

/** The ratings of a cycle for the calibration engine: out->names owns the strings (ratee
 * "platform/handle", rater email, criterion code). */
CR_EXTERN(cr_err) cr_review_cycle_ratings(cr_rating_set *out, cr_store *st, const char *cycle);

/* ---- the creator's access ---- */

/** A signed link token for a creator's forms, valid until `expires_at` (HMAC-SHA-512-256
 * with the workspace's secret, made on first use). */
CR_EXTERN(cr_err)
cr_review_link_create(char **out, cr_store *st, int64_t creator_id, int64_t expires_at);
/** The creator of a valid token; CR_EAUTH when the token is forged, altered or expired. */
CR_EXTERN(cr_err)
cr_review_link_verify(int64_t *out_creator, cr_store *st, const char *token, int64_t now);

/** Link the account `email` (role creator) to a creator. */
CR_EXTERN(cr_err) cr_review_account_link(cr_store *st, const char *email, int64_t creator_id);
/** The creator linked to an account; CR_ENOTFOUND when none is. */
CR_EXTERN(cr_err) cr_review_account_creator(int64_t *out, cr_store *st, int64_t user_id);

/** The rotation for the next cycle: the lead passes to the next reviewer in order, and the
 * calibration engine's extra assignments connect the reviewer x partner graph:
 * {"cycle","lead","next_lead","components","connected","reviewers","assignments"}. */
CR_EXTERN(cr_err) cr_review_rotation_json(char **out, cr_store *st, const char *cycle);

/** The calibration of a cycle's ratings (additive model) for the calibration view:
 * {"cycle","model","ratings","connected","sigma","raters":[{"name","n","raw_mean","severity",
 * "se","infit","outfit","flags"}],"ratees":[{"name","n","raw_mean","fair","fair_se"}],
 * "rotation"}; CR_EINVALID when it has fewer than two reviewers or partners. */
CR_EXTERN(cr_err) cr_review_calibration_json(char **out, cr_store *st, const char *cycle);

/** Printable HTML: the kickoff pack of a partnership (criteria and anchors of the rubric,
 * default "default", KPIs with targets and recent figures, cadence, self-assessment
 * template) and the partner review packet of a cycle (plain, non-accusatory words). */
CR_EXTERN(cr_err)
cr_review_kickoff_html(char **out, cr_store *st, int64_t creator_id, const char *rubric);
CR_EXTERN(cr_err)
cr_review_packet_html(char **out, cr_store *st, const char *cycle, int64_t creator_id);

/** The review part of the demo workspace, from the demo's seed (src/review/demo.c): cycles,
 * reviews of reviewers with different severities, self-assessments, feedback, a growth plan.
 * Nothing when its first cycle exists already. */
CR_EXTERN(cr_err)
cr_review_demo(int64_t *out_cycles, int64_t *out_reviews, cr_store *st, uint64_t seed);

CR_END_DECL

#endif /* CR_REVIEW_H */
