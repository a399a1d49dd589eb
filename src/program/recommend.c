/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * recommend.c - recording the recommendations crest makes (issue 9): `crest vet`, `crest
 * discover --campaign`, `crest forecast` and `crest review calibrate CYCLE` hand each verdict,
 * rank, forecast or flag to cr_program_recommend_record(), so that a person can accept,
 * override or escalate it. Recording is idempotent: while a recommendation of the same kind
 * and subject with the same value is still undecided (open or escalated), the same call
 * returns its id and writes nothing; a changed value is a new recommendation, and the older
 * one stays in the queue until a person decides it (docs/program.md, "Recorded
 * recommendations"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/program.h"
#include "util/str.h"

typedef struct {
    const cr_recommendation *want;
    int64_t id;
} rec_match;

static cr_err match_row(const cr_recommendation *r, void *payload)
{
    rec_match *m = payload;

    if (m->id == 0 && strcmp(r->kind, m->want->kind) == 0 &&
        strcmp(r->subject, m->want->subject) == 0 && strcmp(r->value, m->want->value) == 0)
        m->id = r->id;
    return CR_OK;
}

cr_err cr_program_recommend_find(int64_t *out_id, cr_store *st, const cr_recommendation *r)
{
    rec_match m = { r, 0 };
    cr_err rc;

    *out_id = 0;
    if ((rc = cr_store_recommendation_list(st, 0, "open", match_row, &m)) < 0 ||
        (m.id == 0 && (rc = cr_store_recommendation_list(st, 0, "escalated", match_row, &m)) < 0))
        return rc;
    *out_id = m.id;
    return CR_OK;
}

cr_err cr_program_recommend_record(
    int64_t *out_id, int *created, cr_store *st, const cr_recommendation *r, const char *by)
{
    cr_recommendation c = *r;
    int64_t id = 0;
    cr_str detail;
    int own;
    cr_err rc;

    *out_id = 0;
    if (created)
        *created = 0;
    if (!cr_program_kind_known(r->kind))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "kind: expected vetting_verdict, shortlist_rank, forecast or "
                            "calibration_flag, found '%s'",
                            r->kind ? r->kind : "");
    if (r->subject == NULL || *r->subject == '\0' || r->value == NULL || *r->value == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "a recommendation needs a subject and a value");
    cr_str_init(&detail, CR_STR_MAX_DEFAULT);
    if ((r->detail && *r->detail && (rc = cr_str_puts(&detail, r->detail)) < 0) ||
        (by && *by && (rc = cr_str_printf(&detail, "%sby %s", detail.len ? "; " : "", by)) < 0))
        goto done;
    c.detail = detail.len ? detail.ptr : NULL;
    /* in the caller's transaction when one is open (the demo), else in its own */
    own = !cr_store_in_transaction(st);
    if (own && (rc = cr_store_begin(st)) < 0)
        goto done;
    if ((rc = cr_program_recommend_find(&id, st, &c)) == CR_OK && id == 0) {
        if ((rc = cr_store_recommendation_add(&id, st, &c)) == CR_OK && created)
            *created = 1;
    }
    if (rc < 0) {
        if (own)
            cr_store_rollback(st);
        goto done;
    }
    if (!own || (rc = cr_store_commit(st)) == CR_OK)
        *out_id = id;
done:
    cr_str_dispose(&detail);
    return rc;
}

void cr_program_recommendation_vetting(cr_recommendation_buf *out,
                                       const cr_vet_report *r,
                                       int64_t now)
{
    memset(out, 0, sizeof(*out));
    if (r->campaign_id)
        snprintf(out->subject, sizeof(out->subject), "%s/%s for campaign %lld", r->platform,
                 r->handle, (long long)r->campaign_id);
    else
        snprintf(out->subject, sizeof(out->subject), "%s/%s", r->platform, r->handle);
    if (r->verdict[0])
        snprintf(out->value, sizeof(out->value), "%s", r->verdict);
    else
        snprintf(out->value, sizeof(out->value), "awareness: %s; other goals: %s",
                 r->verdict_awareness, r->verdict_conversions);
    if (isnan(r->score))
        snprintf(out->detail, sizeof(out->detail),
                 "audience quality not computed; follower risk %s, engagement risk %s",
                 cr_vet_risk_name(r->follower_risk), cr_vet_risk_name(r->engagement_risk));
    else
        snprintf(out->detail, sizeof(out->detail),
                 "audience quality %.0f (95%% interval %.0f-%.0f); follower risk %s, engagement "
                 "risk %s",
                 r->score, r->score_low, r->score_high, cr_vet_risk_name(r->follower_risk),
                 cr_vet_risk_name(r->engagement_risk));
    out->rec.kind = "vetting_verdict";
    out->rec.subject = out->subject;
    out->rec.value = out->value;
    out->rec.detail = out->detail;
    out->rec.created_at = now;
    out->by = "crest vet (Audience Quality Score)";
}

void cr_program_recommendation_forecast(cr_recommendation_buf *out,
                                        const char *platform,
                                        const char *handle,
                                        const cr_vet_forecast *f,
                                        int64_t now)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->subject, sizeof(out->subject), "%s/%s", platform, handle);
    snprintf(out->value, sizeof(out->value), "reach %.0f (80%% %.0f-%.0f)", f->reach_expected,
             f->reach_low, f->reach_high);
    snprintf(out->detail, sizeof(out->detail),
             "next post; engagements %.0f (80%% %.0f-%.0f); %zu posts, own history weight %.0f%%",
             f->eng_expected, f->eng_low, f->eng_high, f->reach_history, f->reach_weight * 100);
    out->rec.kind = "forecast";
    out->rec.subject = out->subject;
    out->rec.value = out->value;
    out->rec.detail = out->detail;
    out->rec.created_at = now;
    out->by = "crest forecast (forecast model)";
}
