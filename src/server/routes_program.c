/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * routes_program.c - the program governance routes behind the browser's Program page:
 * GET /api/v1/program (workflow map, pilots, iteration calendar and reviews, training,
 * authority table, escalation queue, audit log with its chain verified),
 * GET /api/v1/program/pilots/{id}/report, POST /api/v1/program/timelogs (the quick time-log
 * form; the session's user logs it) and POST /api/v1/program/recommendations/{id}/override,
 * which applies the same authority rule as `crest override`: without it, 403 and the refusal
 * is audited, and POST /api/v1/program/recommendations/{id}/escalate, which hands it to
 * someone who has that authority, as `crest escalate` does (400 naming "to" when they do not
 * have it either). The writes also count as feature use of the session's user (pilot
 * adoption); the GETs write nothing. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "util/date.h"

#define AUDIT_RECENT 50

static cr_err id_param(int64_t *out, http_req *req, http_res *res)
{
    const char *v = http_path_param(req, "id");
    char *end;
    long long id;

    if (*v < '0' || *v > '9' || (id = strtoll(v, &end, 10)) <= 0 || *end != '\0' || id == LLONG_MAX)
        return http_invalid(res, "id", "id: expected a positive integer, found '%s'", v);
    *out = id;
    return CR_OK;
}

static cr_err pilot_json(const cr_pilot *p, void *payload)
{
    char a[16], b[16];

    return json_array_append_new(payload,
                                 json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", (json_int_t)p->id,
                                           "stage", p->stage, "days", (json_int_t)p->days, "from",
                                           cr_fmt_date(a, sizeof(a), p->start), "until",
                                           cr_fmt_date(b, sizeof(b), p->end))) < 0
               ? cr_error_oom()
               : CR_OK;
}

typedef struct {
    cr_store *st;
    json_t *arr;
} with_store;

static cr_err change_json(const cr_review_change *c, void *payload)
{
    return json_array_append_new(
               payload, json_pack("{s:s,s:s}", "kind", c->kind, "description", c->description)) < 0
               ? cr_error_oom()
               : CR_OK;
}

static cr_err review_json(const cr_review *r, void *payload)
{
    with_store *w = payload;
    json_t *changes = json_array(), *prep = json_loads(r->prep ? r->prep : "{}", 0, NULL), *j;
    char d[16];
    cr_err rc;

    if (changes == NULL || prep == NULL) {
        json_decref(changes);
        json_decref(prep);
        return cr_error_oom();
    }
    if ((rc = cr_store_review_change_list(w->st, r->id, change_json, changes)) < 0) {
        json_decref(changes);
        json_decref(prep);
        return rc;
    }
    json_object_del(prep, "model_digests");
    j = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?,s:o,s:o}", "id", (json_int_t)r->id, "due",
                  cr_fmt_date(d, sizeof(d), r->due), "status", r->status, "time_saved",
                  r->time_saved, "quality", r->quality, "kpi", r->kpi, "changes", changes, "prep",
                  prep);
    if (j == NULL || json_array_append_new(w->arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

static cr_err training_json(const cr_training *t, void *payload)
{
    char d[16];

    return json_array_append_new(payload, json_pack("{s:s,s:s,s:s,s:s}", "user", t->user, "area",
                                                    t->area, "status", t->status, "updated",
                                                    cr_fmt_date(d, sizeof(d), t->updated_at))) < 0
               ? cr_error_oom()
               : CR_OK;
}

static cr_err authority_json(const cr_authority *a, void *payload)
{
    return json_array_append_new(payload, json_pack("{s:s,s:s,s:s}", "kind", a->kind, "role",
                                                    a->role, "training", a->area)) < 0
               ? cr_error_oom()
               : CR_OK;
}

static cr_err rec_json(const cr_recommendation *r, void *payload)
{
    return json_array_append_new(
               payload, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s,s:s?,s:s?}", "id", (json_int_t)r->id,
                                  "kind", r->kind, "subject", r->subject, "value", r->value,
                                  "detail", r->detail, "status", r->status, "escalated_to",
                                  r->escalated_to, "decided_by", r->decided_by)) < 0
               ? cr_error_oom()
               : CR_OK;
}

typedef struct {
    json_t *arr;
    int64_t n;
} audit_state;

static cr_err audit_json(const cr_audit_entry *e, void *payload)
{
    audit_state *s = payload;
    char d[32];

    s->n++;
    if (json_array_insert_new(
            s->arr, 0,
            json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)e->id, "at",
                      cr_fmt_datetime(d, sizeof(d), e->at), "actor", e->actor, "action", e->action,
                      "kind", e->kind, "subject", e->subject, "before", e->before, "after",
                      e->after, "reason", e->reason)) < 0)
        return cr_error_oom();
    if (json_array_size(s->arr) > AUDIT_RECENT)
        json_array_remove(s->arr, AUDIT_RECENT);
    return CR_OK;
}

static void log_use(http_req *req, const char *feature)
{
    if (req->user_email[0])
        cr_store_usage_add(req->store, req->user_email, feature, cr_now());
}

cr_err http_program(http_req *req, http_res *res)
{
    cr_workflow_stage w[CR_PROGRAM_NSTAGES];
    json_t *j = NULL, *wf, *pilots, *reviews, *training, *authority, *recs, *sched;
    audit_state au = { NULL, 0 };
    with_store ws;
    int64_t bad = 0, n = 0, dates[8], golive = 0;
    char d[16];
    size_t i;
    cr_err rc;

    wf = json_array();
    pilots = json_array();
    reviews = json_array();
    training = json_array();
    authority = json_array();
    recs = json_array();
    sched = json_array();
    au.arr = json_array();
    ws.st = req->store;
    ws.arr = reviews;
    if (!wf || !pilots || !reviews || !training || !authority || !recs || !sched || !au.arr) {
        rc = cr_error_oom();
        goto fail;
    }
    if ((rc = cr_program_workflow(w, req->store, 0, 0)) < 0 ||
        (rc = cr_store_pilot_list(req->store, 0, pilot_json, pilots)) < 0 ||
        (rc = cr_store_review_list(req->store, 0, review_json, &ws)) < 0 ||
        (rc = cr_store_training_list(req->store, NULL, training_json, training)) < 0 ||
        (rc = cr_program_authority_list(req->store, authority_json, authority)) < 0 ||
        (rc = cr_store_recommendation_list(req->store, 0, NULL, rec_json, recs)) < 0 ||
        (rc = cr_store_audit_list(req->store, audit_json, &au)) < 0 ||
        (rc = cr_program_audit_verify(&bad, &n, req->store)) < 0)
        goto fail;
    for (i = 0; i < CR_PROGRAM_NSTAGES; i++)
        if (json_array_append_new(
                wf, json_pack("{s:i,s:s,s:I,s:f,s:I,s:f}", "rank", w[i].rank, "stage", w[i].stage,
                              "tasks", (json_int_t)w[i].tasks, "minutes", w[i].minutes, "errors",
                              (json_int_t)w[i].errors, "score", w[i].score)) < 0) {
            rc = cr_error_oom();
            goto fail;
        }
    /* the calendar counts from the first pilot's start (the go-live of the first tool) */
    if (json_array_size(pilots) > 0) {
        const char *from = json_string_value(
            json_object_get(json_array_get(pilots, json_array_size(pilots) - 1), "from"));
        const char *why = "";
        if (from && cr_parse_date(&golive, from, strlen(from), &why) == CR_OK) {
            cr_program_schedule(dates, 8, golive);
            for (i = 0; i < 8; i++)
                json_array_append_new(sched, json_pack("{s:i,s:s,s:s}", "review", (int)i + 1, "due",
                                                       cr_fmt_date(d, sizeof(d), dates[i]),
                                                       "cadence", i < 3 ? "monthly" : "quarterly"));
        }
    }
    j = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:I,s:b,s:o,s:o}}", "workflow", wf, "pilots",
                  pilots, "calendar", sched, "reviews", reviews, "training", training, "authority",
                  authority, "recommendations", recs, "audit", "entries", (json_int_t)n, "ok",
                  bad == 0, "first_bad", bad ? json_integer(bad) : json_null(), "recent", au.arr);
    if (j == NULL)
        return cr_error_oom();
    res->body = j;
    return CR_OK;
fail:
    json_decref(wf);
    json_decref(pilots);
    json_decref(reviews);
    json_decref(training);
    json_decref(authority);
    json_decref(recs);
    json_decref(sched);
    json_decref(au.arr);
    return rc;
}

cr_err http_program_pilot_report(http_req *req, http_res *res)
{
    json_error_t jerr;
    char *text = NULL;
    int64_t id;
    cr_err rc;

    if ((rc = id_param(&id, req, res)) < 0 ||
        (rc = cr_program_pilot_report(&text, req->store, id)) < 0)
        return rc;
    res->body = json_loads(text, 0, &jerr);
    cr_program_text_free(text);
    return res->body ? CR_OK : cr_error_oom();
}

/* An optional string field of the body; CR_EINVALID naming it when it is not a string. */
static cr_err body_str(const char **out, http_req *req, http_res *res, const char *name, int need)
{
    json_t *v = json_object_get(req->json, name);

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (need)
            return http_invalid(res, name, "%s: required", name);
        return CR_OK;
    }
    if (!json_is_string(v))
        return http_invalid(res, name, "%s: expected a string", name);
    *out = json_string_value(v);
    return CR_OK;
}

cr_err http_program_timelog(http_req *req, http_res *res)
{
    json_t *m = json_object_get(req->json, "minutes"), *e = json_object_get(req->json, "errors"),
           *tool = json_object_get(req->json, "with_tool");
    const char *at = NULL, *why = "";
    cr_timelog t;
    int64_t id = 0;
    cr_err rc;

    memset(&t, 0, sizeof(t));
    t.at = cr_now();
    t.user = req->user_email;
    if ((rc = body_str(&t.stage, req, res, "stage", 1)) < 0 ||
        (rc = body_str(&t.task, req, res, "task", 0)) < 0 ||
        (rc = body_str(&at, req, res, "at", 0)) < 0)
        return rc;
    if (!json_is_number(m))
        return http_invalid(res, "minutes", "minutes: expected a number of minutes");
    t.minutes = json_number_value(m);
    if (e && !json_is_integer(e))
        return http_invalid(res, "errors", "errors: expected an integer");
    t.errors = e ? json_integer_value(e) : 0;
    if (tool && !json_is_boolean(tool))
        return http_invalid(res, "with_tool", "with_tool: expected true or false");
    t.with_tool = json_is_true(tool);
    if (at && cr_parse_datetime(&t.at, at, strlen(at), &why) < 0)
        return http_invalid(res, "at", "at: expected a date such as 2027-03-01, found '%s'", at);
    if ((rc = cr_program_timelog_add(&id, req->store, &t)) < 0) {
        if (rc == CR_EINVALID) {
            const cr_error *le = cr_error_last();
            res->field = le && strncmp(le->message, "stage", 5) == 0     ? "stage"
                         : le && strncmp(le->message, "minutes", 7) == 0 ? "minutes"
                                                                         : "errors";
        }
        return rc;
    }
    res->status = 201;
    res->body = json_pack("{s:I,s:s,s:f,s:I,s:b,s:s}", "id", (json_int_t)id, "stage", t.stage,
                          "minutes", t.minutes, "errors", (json_int_t)t.errors, "with_tool",
                          t.with_tool, "user", t.user);
    log_use(req, "time log form");
    return res->body ? CR_OK : cr_error_oom();
}

typedef struct {
    char kind[32];
} rec_kind;

static cr_err kind_row(const cr_recommendation *r, void *payload)
{
    snprintf(((rec_kind *)payload)->kind, sizeof(((rec_kind *)payload)->kind), "%s", r->kind);
    return CR_OK;
}

cr_err http_program_override(http_req *req, http_res *res)
{
    const char *value, *reason;
    rec_kind k;
    int64_t id;
    cr_err rc;

    memset(&k, 0, sizeof(k));
    if ((rc = id_param(&id, req, res)) < 0 || (rc = body_str(&value, req, res, "value", 1)) < 0 ||
        (rc = body_str(&reason, req, res, "reason", 1)) < 0)
        return rc;
    if ((rc = cr_store_recommendation_list(req->store, id, NULL, kind_row, &k)) < 0)
        return rc;
    rc = cr_program_decide(req->store, k.kind, id, req->user_email, value, reason, 0, cr_now());
    if (rc == CR_EAUTH) {
        res->status = 403;
        res->code = "forbidden";
        return rc;
    }
    if (rc == CR_EINVALID)
        res->field = *reason ? "value" : "reason";
    if (rc < 0)
        return rc;
    log_use(req, "override");
    res->body = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id, "kind", k.kind, "status",
                          "overridden", "value", value, "decided_by", req->user_email);
    return res->body ? CR_OK : cr_error_oom();
}

cr_err http_program_escalate(http_req *req, http_res *res)
{
    const char *to, *reason;
    rec_kind k;
    int64_t id;
    cr_err rc;

    memset(&k, 0, sizeof(k));
    if ((rc = id_param(&id, req, res)) < 0 || (rc = body_str(&to, req, res, "to", 1)) < 0 ||
        (rc = body_str(&reason, req, res, "reason", 0)) < 0)
        return rc;
    if ((rc = cr_store_recommendation_list(req->store, id, NULL, kind_row, &k)) < 0)
        return rc;
    rc = cr_program_escalate(req->store, k.kind, id, req->user_email, to, reason, cr_now());
    if (rc == CR_EINVALID)
        res->field = "to";
    if (rc < 0)
        return rc;
    log_use(req, "escalate");
    res->body = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id, "kind", k.kind, "status",
                          "escalated", "escalated_to", to, "by", req->user_email);
    return res->body ? CR_OK : cr_error_oom();
}
