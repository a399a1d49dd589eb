/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.h - the portable SQL of partner reviews (src/review): every statement the module
 * runs, written once for SQLite and PostgreSQL (src/store/review.c), named by an enum so that
 * the domain code never holds SQL. Reads come back as a JSON array of objects whose keys are
 * the statement's column names; writes may return the new row's id. */
#ifndef CR_STORE_REVIEW_H
#define CR_STORE_REVIEW_H

#include <jansson.h>

#include "crest/sys/store_backend.h"

typedef enum {
    /* reads */
    CR_RQ_RUBRICS,
    CR_RQ_RUBRIC,
    CR_RQ_RUBRIC_MAXV,
    CR_RQ_CYCLE,
    CR_RQ_CYCLES,
    CR_RQ_PARTNERS,
    CR_RQ_PARTNER,
    CR_RQ_REVIEWS,
    CR_RQ_SCORES,
    CR_RQ_SELF,
    CR_RQ_FEEDBACK,
    CR_RQ_CREATOR_CYCLES,
    CR_RQ_CREATOR_SCORES,
    CR_RQ_ALL_SCORES,
    CR_RQ_PLANS,
    CR_RQ_MILESTONES,
    CR_RQ_MILESTONE,
    CR_RQ_REVIEW_ID,
    CR_RQ_SETTING,
    CR_RQ_USER_BY_EMAIL,
    CR_RQ_ACCOUNT,
    CR_RQ_CREATOR,
    CR_RQ_PERIOD_KPIS,
    CR_RQ_PERIOD_POSTS,
    CR_RQ_TARGETS,
    CR_RQ_PARTNERS_ALL,
    CR_RQ_POSTS_COUNT,
    CR_RQ_CAMPAIGN_ENDS,
    CR_RQ_DONE,
    CR_RQ_CYCLE_RATINGS,
    CR_RQ_CAMPAIGN,
    CR_RQ_CREATOR_BY_HANDLE,
    /* writes */
    CR_RW_RUBRIC,
    CR_RW_CYCLE,
    CR_RW_PARTNER,
    CR_RW_REVIEW,
    CR_RW_SCORE,
    CR_RW_SELF,
    CR_RW_FEEDBACK,
    CR_RW_RELEASE,
    CR_RW_PLAN,
    CR_RW_MILESTONE,
    CR_RW_MILESTONE_SET,
    CR_RW_NOTE,
    CR_RW_SETTING,
    CR_RW_ACCOUNT,
    CR_RQ__COUNT
} cr_store_review_q;

/* Run statement q with params p; its rows as a new JSON array of objects (*out owned). */
cr_err
cr_store_review_rows(json_t **out, cr_store *st, cr_store_review_q q, const cr_value *p, size_t n);
/* The first row of q as a new object; CR_ENOTFOUND (no message) when there is none. */
cr_err
cr_store_review_row(json_t **out, cr_store *st, cr_store_review_q q, const cr_value *p, size_t n);
/* Run q for its effect; *out_id (may be NULL) receives the first column of its first row
 * (a RETURNING id), 0 when it returned none. */
cr_err cr_store_review_exec(
    int64_t *out_id, cr_store *st, cr_store_review_q q, const cr_value *p, size_t n);
/* Notes matching every word of `query` (the FTS5 table on SQLite, the tsvector on PG). */
cr_err cr_store_review_note_search(json_t **out, cr_store *st, const char *query);

#endif
