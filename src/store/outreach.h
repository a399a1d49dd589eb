/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.h - the portable SQL of outreach (src/outreach), as store/review.h does it for
 * reviews: every statement the module runs, written once for SQLite and PostgreSQL
 * (src/store/outreach.c) and named by an enum, so that the domain code holds no SQL. Reads
 * come back as a JSON array of objects keyed by column name; writes may return an id. */
#ifndef CR_STORE_OUTREACH_H
#define CR_STORE_OUTREACH_H

#include <jansson.h>

#include "crest/sys/store_backend.h"

typedef enum {
    /* reads */
    CR_OQ_TEMPLATES,
    CR_OQ_SEQUENCES,
    CR_OQ_STEPS,
    CR_OQ_SEQ_ENROLLED,
    CR_OQ_CREATOR,
    CR_OQ_CAMPAIGN,
    CR_OQ_PARTNERSHIP,
    CR_OQ_AUDIENCE_TOP,
    CR_OQ_OPTOUT_EMAIL,
    CR_OQ_DUE_STEPS,
    CR_OQ_QUEUED_DUE,
    CR_OQ_PREV_IDS,
    CR_OQ_SENT_BETWEEN,
    CR_OQ_FIRST_SENT,
    CR_OQ_LAST_TO_ADDR,
    CR_OQ_MSG_BY_MSGID,
    CR_OQ_EVENTS,
    CR_OQ_PIPELINE,
    CR_OQ_QUEUE,
    CR_OQ_DRAFTS,
    CR_OQ_ENROLLMENT,
    /* writes */
    CR_OW_TEMPLATE,
    CR_OW_SEQUENCE,
    CR_OW_STEPS_CLEAR,
    CR_OW_STEP,
    CR_OW_PARTNERSHIP_NEW,
    CR_OW_PARTNERSHIP_STATE,
    CR_OW_PARTNERSHIPS_OPTOUT,
    CR_OW_ENROLL,
    CR_OW_ENROLL_STOP,
    CR_OW_ENROLL_STOP_CREATOR,
    CR_OW_ENROLL_ADVANCE,
    CR_OW_MESSAGE,
    CR_OW_MESSAGE_CLAIM,
    CR_OW_MESSAGE_DONE,
    CR_OW_MESSAGE_DROP_CREATOR,
    CR_OW_MESSAGE_DROP_ENROLLMENT,
    CR_OW_EVENT,
    CR_OW_REPLY,
    CR_OW_OPTOUT,
    CR_OW_CREATOR_OPTOUT,
    CR_OW_DRAFT,
    CR_OW_DRAFT_STATUS,
    CR_OQ__COUNT
} cr_store_outreach_q;

/* Run statement q with params p; its rows as a new JSON array of objects (*out owned). */
cr_err cr_store_outreach_rows(
    json_t **out, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n);
/* The first row of q as a new object; CR_ENOTFOUND (no message) when there is none. */
cr_err cr_store_outreach_row(
    json_t **out, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n);
/* Run q for its effect; *out_id (may be NULL) receives the first column of its first row
 * (a RETURNING id), 0 when it returned none. */
cr_err cr_store_outreach_exec(
    int64_t *out_id, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n);

#endif
