/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * routes_review.c - the partner-review routes. Brand roles read cycles (a manager or admin
 * every submitted review; an analyst or reviewer the ratings preview: his own, and another's
 * of a partner once he submitted his own), submit their own review, and read the evidence
 * panel, the scorecards and the schedule. A creator reaches only his own forms and released
 * reviews: through his account linked to his creator (GET /api/v1/reviews/mine) or through a
 * signed, expiring link (the public /api/v1/reviews/link routes, whose token is the only
 * credential and names the creator). No route takes a creator id from a creator. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "util/date.h"

#define DAY 86400

static cr_err text_body(http_res *res, char *text, cr_err rc)
{
    json_error_t jerr;

    if (rc < 0)
        return rc;
    res->body = json_loads(text, 0, &jerr);
    cr_review_text_free(text);
    return res->body ? CR_OK : cr_error_oom();
}

static cr_err id_param(int64_t *out, const char *v, http_res *res, const char *field)
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

static cr_err date_param(int64_t *out, const http_req *req, http_res *res, const char *name)
{
    const char *v = http_query(req, name), *why = NULL;

    if (v == NULL)
        return CR_OK;
    if (cr_parse_date(out, v, strlen(v), &why) < 0)
        return http_invalid(res, name, "%s: expected a date (YYYY-MM-DD), found '%s'", name, v);
    return CR_OK;
}

/* Analysts and reviewers get the ratings preview; admins and managers see every review. */
static const char *preview_of(const http_req *req)
{
    if (strcmp(req->user_role, "admin") == 0 || strcmp(req->user_role, "manager") == 0)
        return NULL;
    return req->user_email;
}

cr_err http_review_cycles(http_req *req, http_res *res)
{
    char *text = NULL;

    return text_body(res, text, cr_review_cycles_json(&text, req->store));
}

cr_err http_review_cycle(http_req *req, http_res *res)
{
    const char *viewer = preview_of(req);
    char *text = NULL;
    cr_err rc;

    rc = cr_review_cycle_json(&text, req->store, http_path_param(req, "id"),
                              viewer ? CR_REVIEW_SEE_PREVIEW : CR_REVIEW_SEE_ALL, req->user_email);
    return text_body(res, text, rc);
}

cr_err http_review_calibration(http_req *req, http_res *res)
{
    char *text = NULL;
    cr_err rc = cr_review_calibration_json(&text, req->store, http_path_param(req, "id"));

    if (rc == CR_EINVALID) {
        res->status = 422;
        res->code = "unprocessable";
    }
    return text_body(res, text, rc);
}

cr_err http_review_submit(http_req *req, http_res *res)
{
    int64_t id = 0;
    cr_err rc;

    rc = cr_review_submit(&id, req->store, req->body, req->body_len, "body", req->user_email);
    if (rc < 0)
        return rc;
    res->status = 201;
    res->body = json_pack("{s:I,s:s}", "id", (json_int_t)id, "reviewer", req->user_email);
    return res->body ? CR_OK : cr_error_oom();
}

cr_err http_review_evidence(http_req *req, http_res *res)
{
    int64_t id, as_of = 0, cycles = 4;
    const char *c = http_query(req, "cycles");
    char *text = NULL;
    cr_err rc;

    if ((rc = id_param(&id, http_path_param(req, "id"), res, "id")) < 0 ||
        (c && (rc = id_param(&cycles, c, res, "cycles")) < 0) ||
        (rc = date_param(&as_of, req, res, "as_of")) < 0)
        return rc;
    if (cycles < 2 || cycles > 24)
        return http_invalid(res, "cycles", "cycles: expected 2 to 24, found %lld",
                            (long long)cycles);
    return text_body(
        res, text,
        cr_review_evidence_json(&text, req->store, id, (int)cycles, as_of, preview_of(req)));
}

cr_err http_review_scorecard(http_req *req, http_res *res)
{
    int64_t id = 0, as_of = 0;
    const char *p = http_path_param(req, "id");
    char *text = NULL;
    cr_err rc;

    if ((*p && (rc = id_param(&id, p, res, "id")) < 0) ||
        (rc = date_param(&as_of, req, res, "as_of")) < 0)
        return rc;
    return text_body(res, text,
                     cr_review_scorecard_json(&text, req->store, id, as_of, preview_of(req)));
}

cr_err http_review_schedule(http_req *req, http_res *res)
{
    cr_review_schedule_opts o = CR_REVIEW_SCHEDULE_OPTS_INIT;
    const char *d = http_query(req, "days"), *m = http_query(req, "monthly_threshold");
    int64_t days = 90, thr = 8;
    char *text = NULL;
    cr_err rc;

    o.as_of = cr_now() / DAY * DAY;
    if ((rc = date_param(&o.as_of, req, res, "as_of")) < 0 ||
        (d && (rc = id_param(&days, d, res, "days")) < 0) ||
        (m && (rc = id_param(&thr, m, res, "monthly_threshold")) < 0))
        return rc;
    if (days > 3660)
        return http_invalid(res, "days", "days: expected 1 to 3660, found %lld", (long long)days);
    o.days = (int)days;
    o.monthly_threshold = (double)thr;
    return text_body(res, text, cr_review_schedule_json(&text, req->store, &o));
}

/* ---- the creator's side ---- */

static cr_err mine_creator(int64_t *out, http_req *req)
{
    return cr_review_account_creator(out, req->store, req->user_id);
}

cr_err http_review_mine(http_req *req, http_res *res)
{
    int64_t creator;
    char *text = NULL;
    cr_err rc;

    if ((rc = mine_creator(&creator, req)) < 0)
        return rc;
    return text_body(res, text, cr_review_creator_json(&text, req->store, creator));
}

/* A creator's form: another creator's partner is forbidden, not merely unauthorized. */
static cr_err creator_form(http_req *req, http_res *res, int64_t creator, int self)
{
    cr_err rc = self ? cr_review_self(req->store, req->body, req->body_len, "body", creator)
                     : cr_review_feedback(req->store, req->body, req->body_len, "body", creator);

    if (rc == CR_EAUTH) {
        res->status = 403;
        res->code = "forbidden";
        res->field = "partner";
        return rc;
    }
    if (rc < 0)
        return rc;
    res->status = 201;
    res->body = json_pack("{s:s,s:I}", "stored", self ? "self_assessment" : "feedback",
                          "creator_id", (json_int_t)creator);
    return res->body ? CR_OK : cr_error_oom();
}

cr_err http_review_mine_self(http_req *req, http_res *res)
{
    int64_t creator;
    cr_err rc;

    if ((rc = mine_creator(&creator, req)) < 0)
        return rc;
    return creator_form(req, res, creator, 1);
}

cr_err http_review_mine_feedback(http_req *req, http_res *res)
{
    int64_t creator;
    cr_err rc;

    if ((rc = mine_creator(&creator, req)) < 0)
        return rc;
    return creator_form(req, res, creator, 0);
}

static cr_err link_creator(int64_t *out, http_req *req, http_res *res)
{
    const char *token = http_query(req, "token");

    if (token == NULL || *token == '\0')
        return http_invalid(res, "token",
                            "token: expected the token of a review link, found "
                            "nothing");
    res->field = "token";
    return cr_review_link_verify(out, req->store, token, cr_now());
}

cr_err http_review_link(http_req *req, http_res *res)
{
    int64_t creator;
    char *text = NULL;
    cr_err rc;

    if ((rc = link_creator(&creator, req, res)) < 0)
        return rc;
    res->field = NULL;
    return text_body(res, text, cr_review_creator_json(&text, req->store, creator));
}

cr_err http_review_link_self(http_req *req, http_res *res)
{
    int64_t creator;
    cr_err rc;

    if ((rc = link_creator(&creator, req, res)) < 0)
        return rc;
    res->field = NULL;
    return creator_form(req, res, creator, 1);
}

cr_err http_review_link_feedback(http_req *req, http_res *res)
{
    int64_t creator;
    cr_err rc;

    if ((rc = link_creator(&creator, req, res)) < 0)
        return rc;
    res->field = NULL;
    return creator_form(req, res, creator, 0);
}
