/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * routes.c - the route table of the JSON API (the one place a route is registered) and its
 * read-only handlers. Handlers validate their query the way the CLI validates its options,
 * call the library, and leave a JSON body in res->body in the shape of the CLI's --json. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"

#define LIST_DEFAULT_LIMIT 50
#define GOAL_TEXT_MAX      4096

/* ---- helpers shared by the handlers ---- */

const char *http_query(const http_req *req, const char *name)
{
    size_t i;

    for (i = 0; i < req->nquery; i++)
        if (strcmp(req->query[i].name, name) == 0)
            return req->query[i].value;
    return NULL;
}

const char *http_path_param(const http_req *req, const char *name)
{
    size_t i;

    for (i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return "";
}

cr_err http_invalid(http_res *res, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    res->field = field;
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s", msg);
}

json_t *http_error_json(const char *code, const char *message, const char *field)
{
    return json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code, "message", message, "field",
                     field);
}

static cr_err ok_json(http_res *res, json_t *j)
{
    if (j == NULL)
        return cr_error_oom();
    res->body = j;
    return CR_OK;
}

static json_t *count_or_null(int64_t v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

static json_t *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static const char *tier(int64_t followers)
{
    if (followers < 0)
        return "-";
    if (followers < 10000)
        return "nano";
    if (followers < 100000)
        return "micro";
    if (followers < 500000)
        return "mid";
    if (followers < 1000000)
        return "macro";
    return "mega";
}

/* A count query parameter (5000, 10K); absent leaves *out alone. */
static cr_err query_count(int64_t *out, const http_req *req, http_res *res, const char *name)
{
    const char *v = http_query(req, name), *why = "";

    if (v == NULL)
        return CR_OK;
    if (cr_parse_count(out, v, strlen(v), &why) < 0)
        return http_invalid(res, name, "%s: expected a count such as 5000 or 10K, found '%s' (%s)",
                            name, v, why);
    return CR_OK;
}

static cr_err query_date(int64_t *out, const http_req *req, http_res *res, const char *name)
{
    const char *v = http_query(req, name), *why = "";

    if (v == NULL)
        return CR_OK;
    if (cr_parse_date(out, v, strlen(v), &why) < 0)
        return http_invalid(res, name, "%s: expected a date as YYYY-MM-DD, found '%s'", name, v);
    return CR_OK;
}

static cr_err query_platform(const char **out, const http_req *req, http_res *res)
{
    const char *v = http_query(req, "platform");

    if (v == NULL)
        return CR_OK;
    if ((*out = cr_platform_canonical(v, strlen(v))) == NULL)
        return http_invalid(res, "platform", "platform: expected one of %s, found '%s'",
                            cr_platform_list(), v);
    return CR_OK;
}

/* The {id} of the path: a positive integer. */
static cr_err path_id(int64_t *out, const http_req *req, http_res *res)
{
    const char *v = http_path_param(req, "id");
    char *end;
    long long id;

    if (*v < '0' || *v > '9')
        return http_invalid(res, "id", "id: expected a positive integer, found '%s'", v);
    id = strtoll(v, &end, 10);
    if (*end != '\0' || id <= 0 || id == LLONG_MAX)
        return http_invalid(res, "id", "id: expected a positive integer, found '%s'", v);
    *out = id;
    return CR_OK;
}

/* ---- GET /healthz ---- */

static cr_err healthz(http_req *req, http_res *res)
{
    return ok_json(res, json_pack("{s:s,s:s,s:i}", "status", "ok", "backend",
                                  cr_store_backend_name(req->store), "schema_version",
                                  cr_store_schema_version(req->store)));
}

/* ---- creators ---- */

static json_t *creator_json(const cr_creator *c)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s}", "id", (json_int_t)c->id,
                          "platform", c->platform, "handle", c->handle, "name", c->name, "email",
                          c->email, "country", c->country, "language", c->language, "niches",
                          c->niches, "tier", tier(c->followers));

    if (j == NULL)
        return NULL;
    if (json_object_set_new(j, "followers", count_or_null(c->followers)) < 0 ||
        json_object_set_new(j, "following", count_or_null(c->following)) < 0 ||
        json_object_set_new(j, "media_count", count_or_null(c->media_count)) < 0 ||
        json_object_set_new(j, "reported_engagement_rate", num_or_null(c->engagement_rate)) < 0 ||
        json_object_set_new(j, "bio", c->bio ? json_string(c->bio) : json_null()) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static cr_err creator_row(const cr_creator *c, void *payload)
{
    json_t *arr = payload, *j = creator_json(c);

    if (j == NULL || json_array_append_new(arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

static cr_err creators_list(http_req *req, http_res *res)
{
    cr_creator_filter f;
    json_t *arr;
    cr_err rc;

    memset(&f, 0, sizeof(f));
    f.limit = LIST_DEFAULT_LIMIT;
    f.search = http_query(req, "search");
    f.order = http_query(req, "sort");
    if (f.search && f.search[0] == '\0')
        f.search = NULL;
    if ((rc = query_platform(&f.platform, req, res)) < 0 ||
        (rc = query_count(&f.min_followers, req, res, "min_followers")) < 0 ||
        (rc = query_count(&f.max_followers, req, res, "max_followers")) < 0 ||
        (rc = query_count(&f.limit, req, res, "limit")) < 0 ||
        (rc = query_count(&f.offset, req, res, "offset")) < 0)
        return rc;
    if (f.order && strcmp(f.order, "followers") && strcmp(f.order, "handle") &&
        strcmp(f.order, "id"))
        return http_invalid(res, "sort", "sort: expected followers, handle or id, found '%s'",
                            f.order);
    if ((arr = json_array()) == NULL)
        return cr_error_oom();
    if ((rc = cr_store_creator_list(req->store, &f, creator_row, arr)) < 0 && rc != CR_ITEROVER) {
        json_decref(arr);
        return rc;
    }
    return ok_json(res, arr);
}

static cr_err creator_one(const cr_creator *c, void *payload)
{
    json_t **out = payload;

    return (*out = creator_json(c)) ? CR_OK : cr_error_oom();
}

static cr_err creators_get(http_req *req, http_res *res)
{
    json_t *j = NULL, *st;
    cr_creator_stats cs;
    int64_t id;
    double er, growth;
    char d1[16], d2[16];
    cr_err rc;

    if ((rc = path_id(&id, req, res)) < 0)
        return rc;
    if ((rc = cr_store_creator_get(req->store, id, creator_one, &j)) < 0 ||
        (rc = cr_store_creator_stats(&cs, req->store, id)) < 0) {
        json_decref(j);
        return rc;
    }
    er = cs.reach > 0 ? (double)cs.engagements / (double)cs.reach : NAN;
    growth = cs.first_followers > 0 && cs.snapshots > 1
                 ? (double)(cs.last_followers - cs.first_followers) / (double)cs.first_followers
                 : NAN;
    st = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "posts", (json_int_t)cs.posts,
                   "posts_with_metrics", (json_int_t)cs.posts_with_metrics, "reach",
                   (json_int_t)cs.reach, "impressions", (json_int_t)cs.impressions, "engagements",
                   (json_int_t)cs.engagements, "snapshots", (json_int_t)cs.snapshots, "comments",
                   (json_int_t)cs.comments, "engagement_rate_by_reach", num_or_null(er),
                   "follower_growth", num_or_null(growth));
    if (st && cs.snapshots &&
        (json_object_set_new(st, "first_snapshot",
                             json_string(cr_fmt_date(d1, sizeof(d1), cs.first_snapshot))) < 0 ||
         json_object_set_new(st, "last_snapshot",
                             json_string(cr_fmt_date(d2, sizeof(d2), cs.last_snapshot))) < 0)) {
        json_decref(st);
        st = NULL;
    }
    if (st == NULL || json_object_set_new(j, "stats", st) < 0) {
        json_decref(j);
        return cr_error_oom();
    }
    return ok_json(res, j);
}

/* ---- posts ---- */

/* creator=ID or creator=platform/handle */
static cr_err query_creator(int64_t *out, const http_req *req, http_res *res)
{
    const char *v = http_query(req, "creator"), *slash, *platform, *why;
    char handle[128], *end;
    cr_err rc;

    if (v == NULL)
        return CR_OK;
    if (*v >= '0' && *v <= '9') {
        long long id = strtoll(v, &end, 10);
        if (*end == '\0' && id > 0 && id != LLONG_MAX) {
            json_t *j = NULL;
            if ((rc = cr_store_creator_get(req->store, id, creator_one, &j)) < 0) {
                res->field = "creator";
                return rc;
            }
            json_decref(j);
            *out = id;
            return CR_OK;
        }
    }
    if ((slash = strchr(v, '/')) == NULL ||
        (platform = cr_platform_canonical(v, (size_t)(slash - v))) == NULL ||
        strlen(slash + 1) >= sizeof(handle) ||
        cr_handle_normalize(handle, slash + 1, strlen(slash + 1), &why) < 0)
        return http_invalid(res, "creator",
                            "creator: expected an id or platform/handle, found '%s'", v);
    if ((rc = cr_store_creator_find(out, req->store, platform, handle)) < 0)
        res->field = "creator";
    return rc;
}

static cr_err post_row(const cr_post_row *r, void *payload)
{
    json_t *arr = payload, *j, *mj;
    const cr_metric *m = &r->metric;
    char when[32], cap[32];

    j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)r->post.id,
                  "platform", r->post.platform, "post_id", r->post.external_id, "handle", r->handle,
                  "posted_at", cr_fmt_datetime(when, sizeof(when), r->post.posted_at), "url",
                  r->post.url, "format", r->post.format, "caption", r->post.caption, "utm_content",
                  r->post.utm_content);
    if (j == NULL)
        return cr_error_oom();
    if (r->post.partnership_id &&
        json_object_set_new(j, "partnership_id", json_integer(r->post.partnership_id)) < 0)
        goto oom;
    if (m->post_id != 0) {
        mj = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "captured_at",
                       cr_fmt_datetime(cap, sizeof(cap), m->captured_at), "impressions",
                       count_or_null(m->impressions), "reach", count_or_null(m->reach), "views",
                       count_or_null(m->views), "likes", count_or_null(m->likes), "comments",
                       count_or_null(m->comments), "shares", count_or_null(m->shares), "saves",
                       count_or_null(m->saves), "clicks", count_or_null(m->clicks), "watch_seconds",
                       count_or_null(m->watch_seconds));
    } else {
        mj = json_null();
    }
    if (mj == NULL || json_object_set_new(j, "latest_metrics", mj) < 0)
        goto oom;
    if (json_array_append_new(arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
oom:
    json_decref(j);
    return cr_error_oom();
}

static cr_err posts_list(http_req *req, http_res *res)
{
    cr_post_filter f;
    json_t *arr;
    cr_err rc;

    memset(&f, 0, sizeof(f));
    f.limit = LIST_DEFAULT_LIMIT;
    if ((rc = query_platform(&f.platform, req, res)) < 0 ||
        (rc = query_date(&f.since, req, res, "since")) < 0 ||
        (rc = query_date(&f.until, req, res, "until")) < 0 ||
        (rc = query_count(&f.limit, req, res, "limit")) < 0 ||
        (rc = query_count(&f.offset, req, res, "offset")) < 0 ||
        (rc = query_creator(&f.creator_id, req, res)) < 0)
        return rc;
    if (f.until)
        f.until += 86400; /* inclusive day */
    if ((arr = json_array()) == NULL)
        return cr_error_oom();
    if ((rc = cr_store_post_list(req->store, &f, post_row, arr)) < 0 && rc != CR_ITEROVER) {
        json_decref(arr);
        return rc;
    }
    return ok_json(res, arr);
}

/* ---- GET /api/v1/kpis ---- */

static cr_err kpis_list(http_req *req, http_res *res)
{
    const char *gv = http_query(req, "goal");
    cr_goal_type goal = CR_GOAL_NONE;
    const cr_kpi_def *cat;
    json_t *arr, *pf, *j;
    size_t n, i;
    int g;

    if (gv && (goal = cr_goal_from_name(gv)) == CR_GOAL_NONE)
        return http_invalid(res, "goal",
                            "goal: expected awareness, engagement, traffic, leads or sales, "
                            "found '%s'",
                            gv);
    cat = cr_kpi_catalog(&n);
    if ((arr = json_array()) == NULL)
        return cr_error_oom();
    for (i = 0; i < n; i++) {
        const cr_kpi_def *k = &cat[i];
        if (goal != CR_GOAL_NONE && !cr_kpi_is_primary_for(k, goal))
            continue;
        if ((pf = json_array()) == NULL)
            goto oom;
        for (g = CR_GOAL_AWARENESS; g <= CR_GOAL_SALES; g++)
            if (cr_kpi_is_primary_for(k, (cr_goal_type)g) &&
                json_array_append_new(pf, json_string(cr_goal_name((cr_goal_type)g))) < 0) {
                json_decref(pf);
                goto oom;
            }
        j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:b}", "code", k->code, "name", k->name,
                      "unit", cr_kpi_unit_name(k->unit), "direction",
                      k->direction > 0 ? "higher" : "lower", "formula", k->formula, "primary_for",
                      pf, "definition", k->definition, "cumulative", k->cumulative, "vanity",
                      k->vanity);
        if (j == NULL || json_array_append_new(arr, j) < 0)
            goto oom;
    }
    return ok_json(res, arr);
oom:
    json_decref(arr);
    return cr_error_oom();
}

/* ---- campaigns ---- */

static cr_err campaign_row(const cr_campaign *c, void *payload)
{
    json_t *arr = payload, *j;
    char d1[16], d2[16];

    j = json_pack("{s:I,s:s,s:s?,s:s,s:s?,s:s,s:s,s:s,s:I,s:s?,s:b}", "id", (json_int_t)c->id,
                  "name", c->name, "brand", c->brand, "primary_goal", c->primary_goal,
                  "secondary_goal", c->secondary_goal, "start",
                  cr_fmt_date(d1, sizeof(d1), c->start), "end", cr_fmt_date(d2, sizeof(d2), c->end),
                  "status", c->status, "budget_minor", (json_int_t)c->budget_minor, "currency",
                  c->currency, "benchmarking", c->benchmarking);
    if (j == NULL || json_array_append_new(arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

static cr_err campaigns_list(http_req *req, http_res *res)
{
    json_t *arr = json_array();
    cr_err rc;

    if (arr == NULL)
        return cr_error_oom();
    if ((rc = cr_store_campaign_list(req->store, campaign_row, arr)) < 0) {
        json_decref(arr);
        return rc;
    }
    return ok_json(res, arr);
}

static cr_err campaign_load(cr_campaign_spec **out, http_req *req, http_res *res)
{
    int64_t id;
    cr_err rc;

    *out = NULL;
    if ((rc = path_id(&id, req, res)) < 0)
        return rc;
    return cr_campaign_load(out, req->store, id);
}

static json_t *kpi_spec_json(const cr_campaign_kpi_spec *k)
{
    const cr_kpi_def *d = cr_kpi_find(k->code);
    json_t *j =
        json_pack("{s:s,s:s}", "code", k->code, "role", k->primary ? "primary" : "contextual");

    if (j == NULL)
        return NULL;
    if ((d && json_object_set_new(j, "definition", json_string(d->definition)) < 0) ||
        (k->target_kind != CR_TARGET_NONE &&
         (json_object_set_new(j, "target", json_real(k->target)) < 0 ||
          json_object_set_new(
              j, "target_kind",
              json_string(k->target_kind == CR_TARGET_RELATIVE ? "relative" : "absolute")) < 0)) ||
        json_object_set_new(j, "baseline", k->has_baseline ? json_real(k->baseline) : json_null()) <
            0 ||
        (k->baseline_period[0] &&
         json_object_set_new(j, "baseline_period", json_string(k->baseline_period)) < 0)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *campaign_json(const cr_campaign_spec *s)
{
    char d1[16], d2[16];
    json_t *kpis = json_array(), *parts = json_array(), *j;
    size_t i;

    if (kpis == NULL || parts == NULL)
        goto oom;
    for (i = 0; i < s->nkpis; i++)
        if (json_array_append_new(kpis, kpi_spec_json(&s->kpis[i])) < 0)
            goto oom;
    for (i = 0; i < s->npartners; i++) {
        const cr_partnership_spec *p = &s->partners[i];
        if (json_array_append_new(
                parts, json_pack("{s:s,s:I,s:I,s:s,s:s?,s:s?,s:s?}", "creator", p->creator,
                                 "fee_minor", (json_int_t)p->fee_minor, "product_cost_minor",
                                 (json_int_t)p->product_cost_minor, "currency", p->currency,
                                 "promo_code", p->promo_code[0] ? p->promo_code : NULL,
                                 "utm_content", p->utm_content[0] ? p->utm_content : NULL, "status",
                                 p->status[0] ? p->status : NULL)) < 0)
            goto oom;
    }
    /* "o" steals kpis and parts, even when json_pack fails */
    j = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:s?,s:b,s:o,s:o}", "id",
                  (json_int_t)s->id, "name", s->name, "brand", s->brand[0] ? s->brand : NULL,
                  "status", s->status[0] ? s->status : NULL, "start",
                  s->start ? cr_fmt_date(d1, sizeof(d1), s->start) : NULL, "end",
                  s->end ? cr_fmt_date(d2, sizeof(d2), s->end) : NULL, "primary_goal",
                  cr_goal_name(s->primary_goal), "secondary_goal",
                  s->secondary_goal ? cr_goal_name(s->secondary_goal) : NULL, "objective",
                  s->objective[0] ? s->objective : NULL, "benchmarking", s->benchmarking, "kpis",
                  kpis, "partnerships", parts);
    if (j && s->budget_minor >= 0 &&
        (json_object_set_new(j, "budget_minor", json_integer(s->budget_minor)) < 0 ||
         json_object_set_new(j, "currency", json_string(s->currency)) < 0)) {
        json_decref(j);
        return NULL;
    }
    return j;
oom:
    json_decref(kpis);
    json_decref(parts);
    return NULL;
}

static cr_err campaigns_get(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_err rc;

    if ((rc = campaign_load(&spec, req, res)) == CR_OK)
        rc = ok_json(res, campaign_json(spec));
    cr_campaign_spec_free(spec);
    return rc;
}

static cr_err campaigns_progress(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_campaign_progress *p = NULL;
    json_t *arr = NULL, *j;
    int64_t as_of = 0;
    char d1[16];
    size_t i;
    cr_err rc;

    if ((rc = query_date(&as_of, req, res, "as_of")) < 0 ||
        (rc = campaign_load(&spec, req, res)) < 0 ||
        (rc = cr_campaign_progress_compute(&p, req->store, spec, as_of)) < 0)
        goto done;
    rc = cr_error_oom();
    if ((arr = json_array()) == NULL)
        goto done;
    for (i = 0; i < p->nkpis; i++) {
        const cr_kpi_progress *k = &p->kpis[i];
        j = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s}", "code", k->def->code, "role",
                      k->primary ? "primary" : "contextual", "definition", k->def->definition,
                      "actual", k->actual.available ? num_or_null(k->actual.value) : json_null(),
                      "baseline", num_or_null(k->baseline), "target", num_or_null(k->target),
                      "pct_of_target", num_or_null(k->pct_of_target), "projected",
                      num_or_null(k->projected), "status", cr_track_status_name(k->status), "note",
                      k->note);
        if (j == NULL || json_array_append_new(arr, j) < 0)
            goto done;
    }
    j = json_pack("{s:I,s:s,s:s,s:f,s:I,s:I,s:o}", "campaign", (json_int_t)spec->id, "name",
                  spec->name, "as_of", cr_fmt_date(d1, sizeof(d1), p->as_of), "elapsed", p->elapsed,
                  "posts", (json_int_t)p->inputs.posts, "spend_minor",
                  (json_int_t)p->inputs.spend_minor, "kpis", arr);
    arr = NULL; /* stolen by "o" */
    rc = ok_json(res, j);
done:
    json_decref(arr);
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(spec);
    return rc;
}

static cr_err rule_row(const cr_rule_violation *v, void *payload)
{
    json_t *arr = payload;

    if (json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s,s:i}", "rule", v->rule, "message", v->message,
                                        "suggestion", v->suggestion, "line", v->line)) < 0)
        return cr_error_oom();
    return CR_OK;
}

static json_t *smart_json(const cr_smart_report *r)
{
    json_t *items = json_array();
    int i;

    if (items == NULL)
        return NULL;
    for (i = 0; i < 5; i++) {
        char letter[2] = { r->items[i].letter, '\0' };
        if (json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s}", "letter", letter, "name",
                                                   r->items[i].name, "verdict",
                                                   cr_verdict_name(r->items[i].verdict), "reason",
                                                   r->items[i].reason)) < 0) {
            json_decref(items);
            return NULL;
        }
    }
    return json_pack("{s:s,s:b,s:i,s:o}", "overall", cr_verdict_name(r->overall),
                     "propose_benchmarking", r->propose_benchmarking, "rule_violations",
                     r->rule_violations, "checks", items);
}

static cr_err campaigns_check(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_smart_report sr;
    json_t *rules = NULL, *j = NULL;
    int violations = 0;
    cr_err rc;

    if ((rc = campaign_load(&spec, req, res)) < 0)
        goto done;
    if ((rules = json_array()) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = cr_campaign_check_rules(spec, rule_row, rules, &violations)) < 0 ||
        (rc = cr_smart_check(&sr, req->store, spec, 0)) < 0)
        goto done;
    if ((j = smart_json(&sr)) == NULL ||
        json_object_set_new(j, "campaign", json_string(spec->name)) < 0 ||
        json_object_set(j, "rules", rules) < 0) {
        json_decref(j);
        rc = cr_error_oom();
        goto done;
    }
    rc = ok_json(res, j);
done:
    json_decref(rules);
    cr_campaign_spec_free(spec);
    return rc;
}

/* ---- POST /api/v1/goal/parse ---- */

static cr_err goal_parse(http_req *req, http_res *res)
{
    json_t *text = json_object_get(req->json, "text"), *year = json_object_get(req->json, "year");
    json_t *j, *un;
    cr_goal_statement g;
    json_int_t y;
    char d1[16], d2[16];
    size_t i;
    cr_err rc;

    if (!json_is_string(text))
        return http_invalid(res, "text", "text: expected the goal sentence as a string");
    if (json_string_length(text) > GOAL_TEXT_MAX)
        return http_invalid(res, "text", "text: longer than %d bytes", GOAL_TEXT_MAX);
    if (year == NULL || json_is_null(year)) {
        int cy, cm, cd;
        cr_civil_from_days(cr_now() / 86400, &cy, &cm, &cd);
        y = cy;
    } else if (!json_is_integer(year) || (y = json_integer_value(year)) < 1970 || y > 9999) {
        return http_invalid(res, "year", "year: expected an integer year such as 2027");
    }
    if (strlen(json_string_value(text)) != json_string_length(text))
        return http_invalid(res, "text", "text: contains a NUL character");
    if ((rc = cr_goal_parse(&g, json_string_value(text), (int)y)) < 0) {
        if (rc == CR_EINVALID) {
            res->status = 422;
            res->code = "unprocessable";
            res->field = "text";
        }
        return rc;
    }
    if ((un = json_array()) == NULL)
        return cr_error_oom();
    for (i = 0; i < g.nunparsed; i++)
        if (json_array_append_new(un, json_string(g.unparsed[i])) < 0) {
            json_decref(un);
            return cr_error_oom();
        }
    j = json_pack("{s:s,s:s?,s:i,s:s,s:o,s:s?}", "goal", cr_goal_name(g.goal), "kpi",
                  g.kpi[0] ? g.kpi : NULL, "direction", g.direction, "target_kind",
                  g.target_kind == CR_TARGET_RELATIVE   ? "relative"
                  : g.target_kind == CR_TARGET_ABSOLUTE ? "absolute"
                                                        : "none",
                  "target", g.target_kind == CR_TARGET_NONE ? json_null() : json_real(g.target),
                  "period", g.period[0] ? g.period : NULL);
    if (j == NULL) {
        json_decref(un);
        return cr_error_oom();
    }
    if ((g.period[0] &&
         (json_object_set_new(j, "start",
                              json_string(cr_fmt_date(d1, sizeof(d1), g.period_start))) < 0 ||
          json_object_set_new(j, "end", json_string(cr_fmt_date(d2, sizeof(d2), g.period_end))) <
              0)) ||
        json_object_set_new(j, "baseline_period",
                            g.baseline_period[0] ? json_string(g.baseline_period) : json_null()) <
            0 ||
        json_object_set_new(j, "budget_minor",
                            g.budget_minor >= 0 ? json_integer(g.budget_minor) : json_null()) < 0 ||
        json_object_set_new(j, "currency", g.currency[0] ? json_string(g.currency) : json_null()) <
            0 ||
        json_object_set_new(j, "partnerships",
                            g.partnerships >= 0 ? json_integer(g.partnerships) : json_null()) < 0 ||
        json_object_set_new(j, "unparsed", un) < 0) {
        json_decref(j);
        return cr_error_oom();
    }
    return ok_json(res, j);
}

/* ---- the table: method, pattern, handler, flags, query parameters ---- */

const http_route http_routes[] = {
    { "GET", "/healthz", healthz, ROUTE_F_STORE, NULL },
    { "GET", "/api/v1/creators", creators_list, ROUTE_F_STORE,
      "platform,search,min_followers,max_followers,sort,limit,offset" },
    { "GET", "/api/v1/creators/{id}", creators_get, ROUTE_F_STORE, NULL },
    { "GET", "/api/v1/posts", posts_list, ROUTE_F_STORE,
      "creator,platform,since,until,limit,offset" },
    { "GET", "/api/v1/kpis", kpis_list, 0, "goal" },
    { "GET", "/api/v1/campaigns", campaigns_list, ROUTE_F_STORE, NULL },
    { "GET", "/api/v1/campaigns/{id}", campaigns_get, ROUTE_F_STORE, NULL },
    { "GET", "/api/v1/campaigns/{id}/progress", campaigns_progress, ROUTE_F_STORE, "as_of" },
    { "GET", "/api/v1/campaigns/{id}/check", campaigns_check, ROUTE_F_STORE, NULL },
    { "POST", "/api/v1/goal/parse", goal_parse, ROUTE_F_JSON_BODY, NULL },
    { NULL, NULL, NULL, 0, NULL },
};

void http_print_routes(FILE *out)
{
    size_t i;

    for (i = 0; http_routes[i].method; i++)
        fprintf(out, "%s %s\n", http_routes[i].method, http_routes[i].pattern);
}
