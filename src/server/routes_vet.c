/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * routes_vet.c - the vetting routes: GET /api/v1/creators/{id}/vet (the report of `crest vet
 * --json`, computed on request; a GET never writes, so the CLI keeps the last vetting) and
 * GET /api/v1/creators/{id}/forecast (the next post's reach and engagements with 80%
 * intervals, as `crest forecast` prints them), both for the creator profile page. Each also
 * names the undecided recommendation `crest vet` or `crest forecast` recorded for the same
 * verdict or forecast ("recommendation_id", null when none) so that the page can link to its
 * override or escalation; being GETs they look it up and never record one. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "util/date.h"

static cr_err id_of(int64_t *out, const char *v, http_res *res, const char *field)
{
    char *end;
    long long id;

    if (v == NULL || *v < '0' || *v > '9')
        return http_invalid(res, field, "%s: expected a positive integer, found '%s'", field,
                            v ? v : "");
    id = strtoll(v, &end, 10);
    if (*end != '\0' || id <= 0 || id == LLONG_MAX)
        return http_invalid(res, field, "%s: expected a positive integer, found '%s'", field, v);
    *out = id;
    return CR_OK;
}

cr_err http_creator_vet(http_req *req, http_res *res)
{
    cr_vet_options o = CR_VET_OPTIONS_INIT;
    cr_vet_report *r = NULL;
    const char *campaign = http_query(req, "campaign");
    cr_recommendation_buf b;
    json_error_t jerr;
    char *text = NULL;
    int64_t id, rec_id = 0;
    cr_err rc;

    if ((rc = id_of(&id, http_path_param(req, "id"), res, "id")) < 0 ||
        (campaign && (rc = id_of(&o.campaign_id, campaign, res, "campaign")) < 0))
        return rc;
    if ((rc = cr_vet_creator(&r, req->store, id, &o)) == CR_OK &&
        (rc = cr_vet_report_json(&text, r)) == CR_OK &&
        (res->body = json_loads(text, 0, &jerr)) == NULL)
        rc = cr_error_oom();
    if (rc == CR_OK) {
        cr_program_recommendation_vetting(&b, r, cr_now());
        if ((rc = cr_program_recommend_find(&rec_id, req->store, &b.rec)) == CR_OK)
            json_object_set_new(res->body, "recommendation_id",
                                rec_id ? json_integer(rec_id) : json_null());
    }
    cr_vet_text_free(text);
    cr_vet_report_free(r);
    return rc;
}

typedef struct {
    char platform[32], handle[160];
} who_is;

static cr_err got_creator(const cr_creator *c, void *payload)
{
    who_is *w = payload;

    snprintf(w->platform, sizeof(w->platform), "%s", c->platform);
    snprintf(w->handle, sizeof(w->handle), "%s", c->handle);
    return CR_OK;
}

cr_err http_creator_forecast(http_req *req, http_res *res)
{
    cr_recommendation_buf b;
    cr_vet_forecast f;
    who_is w;
    int64_t id, rec_id = 0;
    cr_err rc;

    memset(&w, 0, sizeof(w));
    if ((rc = id_of(&id, http_path_param(req, "id"), res, "id")) < 0 ||
        (rc = cr_vet_forecast_next(&f, req->store, id)) < 0 ||
        (rc = cr_store_creator_get(req->store, id, got_creator, &w)) < 0)
        return rc;
    if (isfinite(f.reach_expected)) {
        cr_program_recommendation_forecast(&b, w.platform, w.handle, &f, cr_now());
        if ((rc = cr_program_recommend_find(&rec_id, req->store, &b.rec)) < 0)
            return rc;
    }
    res->body = json_pack(
        "{s:I,s:f,s:I,s:{s:f,s:f,s:f,s:I,s:f},s:{s:f,s:f,s:f,s:I,s:f},s:s,s:s,s:o}", "creator_id",
        (json_int_t)id, "followers", f.followers, "posts", (json_int_t)f.posts, "reach", "expected",
        f.reach_expected, "low", f.reach_low, "high", f.reach_high, "history",
        (json_int_t)f.reach_history, "own_weight", f.reach_weight, "engagements", "expected",
        f.eng_expected, "low", f.eng_low, "high", f.eng_high, "history", (json_int_t)f.eng_history,
        "own_weight", f.eng_weight, "interval", "80% prediction interval", "method",
        "log-normal, shrunk toward the tier prior; docs/models.md", "recommendation_id",
        rec_id ? json_integer(rec_id) : json_null());
    return res->body ? CR_OK : cr_error_oom();
}
