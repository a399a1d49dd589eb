/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * routes.c - the route table of the JSON API (the one place a route is registered) and its
 * read-only handlers. Handlers validate their query the way the CLI validates its options,
 * call the library, and leave a JSON body in res->body in the shape of the CLI's --json. */
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "report/render.h"
#include "server/discover.h"
#include "server/server.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"
#include "json/shape.h"

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

/* s into out with every byte that starts no UTF-8 character as '?': an error message may quote
 * what a client sent (a path, a query value) or cut it mid-character, and JSON strings must be
 * UTF-8 (jansson refuses the rest, which used to turn a 404 into a 503). */
static const char *utf8_clean(char *out, size_t size, const char *s)
{
    size_t i = 0, n = 0, k, len;

    if (s == NULL)
        return NULL;
    len = strlen(s);
    if (cr_utf8_valid(s, len))
        return s;
    while (i < len && n + 4 < size) {
        for (k = 1; k <= 4 && i + k <= len && !cr_utf8_valid(s + i, k); k++)
            ;
        if (k > 4 || i + k > len) {
            out[n++] = '?';
            i++;
            continue;
        }
        memcpy(out + n, s + i, k);
        n += k;
        i += k;
    }
    out[n] = '\0';
    return out;
}

json_t *http_error_json(const char *code, const char *message, const char *field)
{
    char m[1024], f[256];

    return json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code, "message",
                     utf8_clean(m, sizeof(m), message), "field", utf8_clean(f, sizeof(f), field));
}

static cr_err ok_json(http_res *res, json_t *j)
{
    if (j == NULL)
        return cr_error_oom();
    res->body = j;
    return CR_OK;
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

/* ---- GET /, GET /assets/{name}: the browser app of web/ (server/assets.h) ---- */

const http_asset *http_asset_find(const char *name)
{
    size_t i;

    for (i = 0; http_assets[i].name; i++)
        if (strcmp(http_assets[i].name, name) == 0)
            return &http_assets[i];
    return NULL;
}

static cr_err web_index(http_req *req, http_res *res)
{
    if ((res->asset = http_asset_find("index.html")) == NULL)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_NONE, "this build has no web/index.html");
    return CR_OK;
}

/* Only names of the embedded table: {name} is one path segment, never a file path. */
static cr_err web_asset(http_req *req, http_res *res)
{
    const char *name = http_path_param(req, "name");

    if ((res->asset = http_asset_find(name)) == NULL)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_NONE, "no asset %.100s", name);
    return CR_OK;
}

/* ---- creators ---- */

static cr_err creator_row(const cr_creator *c, void *payload)
{
    json_t *arr = payload, *j = cr_json_creator(c);

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

    return (*out = cr_json_creator(c)) ? CR_OK : cr_error_oom();
}

static cr_err creators_get(http_req *req, http_res *res)
{
    json_t *j = NULL, *st;
    cr_creator_stats cs;
    int64_t id;
    cr_err rc;

    if ((rc = path_id(&id, req, res)) < 0)
        return rc;
    if ((rc = cr_store_creator_get(req->store, id, creator_one, &j)) < 0 ||
        (rc = cr_store_creator_stats(&cs, req->store, id)) < 0) {
        json_decref(j);
        return rc;
    }
    st = cr_json_creator_stats(&cs);
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
    json_t *arr = payload, *j = cr_json_post_row(r);

    if (j == NULL || json_array_append_new(arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
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
    json_t *arr, *j;
    size_t n, i;

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
        j = cr_json_kpi_def(k);
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
    json_t *arr = payload, *j = cr_json_campaign_row(c);

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

static cr_err campaigns_get(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_err rc;

    if ((rc = campaign_load(&spec, req, res)) == CR_OK)
        rc = ok_json(res, cr_json_campaign(spec));
    cr_campaign_spec_free(spec);
    return rc;
}

static cr_err campaigns_progress(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_campaign_progress *p = NULL;
    int64_t as_of = 0;
    cr_err rc;

    if ((rc = query_date(&as_of, req, res, "as_of")) == CR_OK &&
        (rc = campaign_load(&spec, req, res)) == CR_OK &&
        (rc = cr_campaign_progress_compute(&p, req->store, spec, as_of)) == CR_OK)
        rc = ok_json(res, cr_json_progress(spec, p));
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(spec);
    return rc;
}

/* The campaign report of `crest report campaign ID --format json`: the dashboard's
 * leaderboard, funnel, attribution and series panels in one round trip. */
static cr_err campaigns_report(http_req *req, http_res *res)
{
    cr_report_options o = CR_REPORT_OPTIONS_INIT;
    cr_report *r = NULL;
    int64_t id;
    cr_err rc;

    if ((rc = query_date(&o.as_of, req, res, "as_of")) == CR_OK &&
        (rc = path_id(&id, req, res)) == CR_OK &&
        (rc = cr_report_campaign(&r, req->store, id, &o)) == CR_OK)
        rc = ok_json(res, cr_report_json(r));
    cr_report_free(r);
    return rc;
}

static cr_err rule_row(const cr_rule_violation *v, void *payload)
{
    json_t *arr = payload;

    if (json_array_append_new(arr, cr_json_rule_violation(v)) < 0)
        return cr_error_oom();
    return CR_OK;
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
    if ((j = cr_json_smart(&sr)) == NULL ||
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

/* ---- POST /api/v1/campaigns, POST /api/v1/campaigns/check ---- */

/* The spec of a JSON body and its broken goal rules (an array, owned by the caller). */
static cr_err
body_spec(cr_campaign_spec **spec, json_t **rules, int *violations, http_req *req, http_res *res)
{
    cr_err rc;

    *rules = NULL;
    *violations = 0;
    if ((rc = http_campaign_from_json(spec, res, req->json)) < 0)
        return rc;
    if ((*rules = json_array()) == NULL)
        return cr_error_oom();
    return cr_campaign_check_rules(*spec, rule_row, *rules, violations);
}

static cr_err campaigns_create(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_smart_report sr;
    json_t *rules = NULL, *j = NULL;
    char msg[160];
    int violations;
    int64_t id;
    cr_err rc;

    if ((rc = body_spec(&spec, &rules, &violations, req, res)) < 0)
        goto done;
    if (violations > 0) {
        snprintf(msg, sizeof(msg), "%d goal rule%s broken; nothing was saved", violations,
                 violations > 1 ? "s are" : " is");
        res->status = 422;
        rc = ok_json(res, json_pack("{s:{s:s,s:s,s:n,s:O}}", "error", "code", "rule_violation",
                                    "message", msg, "field", "rules", rules));
        goto done;
    }
    if ((rc = cr_campaign_save(&id, req->store, spec)) < 0) {
        if (rc == CR_EINVALID)
            res->field = "partnerships";
        goto done;
    }
    spec->id = id;
    if ((rc = cr_smart_check(&sr, req->store, spec, 0)) < 0)
        goto done;
    if ((j = cr_json_campaign(spec)) == NULL ||
        json_object_set_new(j, "smart", cr_json_smart(&sr)) < 0) {
        json_decref(j);
        rc = cr_error_oom();
        goto done;
    }
    res->status = 201;
    rc = ok_json(res, j);
done:
    json_decref(rules);
    cr_campaign_spec_free(spec);
    return rc;
}

static cr_err campaigns_check_body(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    cr_smart_report sr;
    json_t *rules = NULL, *j = NULL;
    int violations;
    cr_err rc;

    if ((rc = body_spec(&spec, &rules, &violations, req, res)) < 0 ||
        (rc = cr_smart_check(&sr, req->store, spec, 0)) < 0)
        goto done;
    if ((j = cr_json_smart(&sr)) == NULL ||
        json_object_set_new(j, "campaign", json_string(spec->name)) < 0 ||
        json_object_set_new(j, "ok", json_boolean(violations == 0)) < 0 ||
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

/* ---- POST /api/v1/campaigns/{id}/baseline ---- */

typedef struct {
    json_t *arr;
    int filled, missing;
} baseline_state;

static cr_err baseline_row(const cr_baseline_result *r, void *payload)
{
    baseline_state *bs = payload;

    if (r->filled)
        bs->filled++;
    else
        bs->missing++;
    return json_array_append_new(bs->arr, json_pack("{s:s,s:b,s:o,s:s,s:s}", "code", r->code,
                                                    "filled", r->filled, "value",
                                                    r->filled ? json_real(r->value) : json_null(),
                                                    "source", r->source, "note", r->note)) < 0
               ? cr_error_oom()
               : CR_OK;
}

static cr_err campaigns_baseline(http_req *req, http_res *res)
{
    cr_campaign_spec *spec = NULL;
    baseline_state bs = { NULL, 0, 0 };
    cr_err rc;

    if ((rc = campaign_load(&spec, req, res)) < 0)
        goto done;
    if ((bs.arr = json_array()) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = cr_baseline_compute(req->store, spec->id, baseline_row, &bs)) < 0)
        goto done;
    rc = ok_json(res,
                 json_pack("{s:I,s:s,s:i,s:i,s:O}", "campaign", (json_int_t)spec->id, "name",
                           spec->name, "filled", bs.filled, "missing", bs.missing, "kpis", bs.arr));
done:
    json_decref(bs.arr);
    cr_campaign_spec_free(spec);
    return rc;
}

/* ---- POST /api/v1/imports/{kind} ---- */

static double mono_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "creators, snapshots, ..., mentions": the import kinds, for messages (made once, as the
 * workers may ask at the same time). */
static char kind_names[300];
static pthread_once_t kind_names_once = PTHREAD_ONCE_INIT;

static void kind_names_make(void)
{
    const cr_import_kind *const *k = cr_import_kinds();
    size_t i;

    for (i = 0; k[i]; i++)
        snprintf(kind_names + strlen(kind_names), sizeof(kind_names) - strlen(kind_names), "%s%s",
                 i ? ", " : "", k[i]->name);
}

static const char *import_kind_names(void)
{
    pthread_once(&kind_names_once, kind_names_make);
    return kind_names;
}

static int import_kind_has_field(const cr_import_kind *k, const char *field)
{
    size_t j;

    for (j = 0; j < k->ncolumns; j++)
        if (strcmp(k->columns[j].name, field) == 0)
            return 1;
    return 0;
}

/* map=COLUMN=FIELD, checked as `crest import --map` checks it: the shape, and a field of the
 * kind (of any kind when the kind is detected). */
static cr_err import_map_check(http_res *res, const char *map, const cr_import_kind *kind)
{
    const cr_import_kind *const *k = cr_import_kinds();
    const char *eq = strchr(map, '=');
    char fields[800] = "";
    size_t i, j;

    if (eq == NULL || eq == map || eq[1] == '\0')
        return http_invalid(res, "map", "map: expected COLUMN=FIELD, e.g. Plays=views, found '%s'",
                            map);
    if (kind) {
        if (import_kind_has_field(kind, eq + 1))
            return CR_OK;
        for (j = 0; j < kind->ncolumns; j++)
            snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields), "%s%s",
                     j ? ", " : "", kind->columns[j].name);
        return http_invalid(res, "map", "map: %s: %s has no field '%s' (its fields: %s)", map,
                            kind->name, eq + 1, fields);
    }
    for (i = 0; k[i]; i++)
        if (import_kind_has_field(k[i], eq + 1))
            return CR_OK;
    return http_invalid(res, "map", "map: %s: no import kind has a field '%s'", map, eq + 1);
}

/* The import options of a request: query parameters with a text/csv body, form fields with a
 * multipart one. maps receives up to HTTP_FORM_MAPS pointers borrowed from req. */
static cr_err import_options_of(cr_import_options *opts,
                                const char **maps,
                                http_req *req,
                                http_res *res,
                                const cr_import_kind *kind)
{
    static const char *const form_only[] = { "creator", "captured_at", "map" };
    const char *partial = http_query(req, "partial"), *creator = http_query(req, "creator");
    const char *captured = http_query(req, "captured_at"), *why = "";
    http_form *f = req->form;
    size_t i;
    cr_err rc;

    opts->maps = maps;
    opts->nmaps = 0;
    if (f) {
        if (f->error[0]) {
            snprintf(res->field_buf, sizeof(res->field_buf), "%s", f->error_field);
            return http_invalid(res, res->field_buf, "%s", f->error);
        }
        for (i = 0; i < sizeof(form_only) / sizeof(form_only[0]); i++)
            if (http_query(req, form_only[i]))
                return http_invalid(res, form_only[i],
                                    "%s: with a multipart/form-data body, send it as a form "
                                    "field, not in the query",
                                    form_only[i]);
        if (f->has_partial && partial)
            return http_invalid(res, "partial", "partial: given in the query and in the form");
        if (f->has_partial)
            partial = f->partial;
        creator = f->has_creator ? f->creator : NULL;
        captured = f->has_captured_at ? f->captured_at : NULL;
        for (i = 0; i < f->nmaps; i++)
            maps[opts->nmaps++] = f->maps[i];
    } else {
        for (i = 0; i < req->nquery && opts->nmaps < HTTP_FORM_MAPS; i++)
            if (strcmp(req->query[i].name, "map") == 0)
                maps[opts->nmaps++] = req->query[i].value;
    }
    if (partial && strcmp(partial, "1") && strcmp(partial, "0") && strcmp(partial, "true") &&
        strcmp(partial, "false"))
        return http_invalid(res, "partial", "partial: expected 1 or 0, found '%s'", partial);
    opts->partial = partial && (strcmp(partial, "1") == 0 || strcmp(partial, "true") == 0);
    if (creator && creator[0] == '\0')
        return http_invalid(res, "creator", "creator: expected a handle such as @maya.runs");
    opts->creator = creator;
    if (captured && cr_parse_datetime(&opts->captured_at, captured, strlen(captured), &why) < 0)
        return http_invalid(res, "captured_at",
                            "captured_at: expected a date-time as "
                            "YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], found '%s' (%s)",
                            captured, why);
    for (i = 0; i < opts->nmaps; i++)
        if ((rc = import_map_check(res, maps[i], kind)) < 0)
            return rc;
    return CR_OK;
}

static cr_err imports_create(http_req *req, http_res *res)
{
    cr_import_options opts = CR_IMPORT_OPTIONS_INIT;
    const char *kind = http_path_param(req, "kind");
    const char *name = req->upload_name && req->upload_name[0] ? req->upload_name : "upload.csv";
    const char *ct = req->content_type ? req->content_type : "";
    const char *maps[HTTP_FORM_MAPS];
    const cr_import_kind *kdef = NULL;
    cr_import_result r;
    char rejects[4200], msg[700], summary[700];
    json_t *j, *err;
    double t0;
    cr_err rc;

    if (strcmp(kind, CR_IMPORT_KIND_AUTO) != 0 && (kdef = cr_import_kind_find(kind)) == NULL)
        return http_invalid(res, "kind", "kind: expected auto or one of %s, found '%s'",
                            import_kind_names(), kind);
    if (req->form == NULL && !http_media_type_is(ct, "text/csv")) {
        res->status = 415;
        res->code = "unsupported_media_type";
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE,
                            "send the CSV file as multipart/form-data (a part named file) or as "
                            "the body with Content-Type: text/csv (found '%s')",
                            ct[0] ? ct : "no Content-Type");
    }
    if ((rc = import_options_of(&opts, maps, req, res, kdef)) < 0)
        return rc;
    if (req->form && !req->form->has_file)
        return http_invalid(res, "file",
                            "file: expected the CSV file as a form part named file "
                            "(curl -F file=@export.csv)");
    if (req->upload_path == NULL)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_NONE, "the upload was not kept");
    opts.display_name = name;
    if (opts.partial) {
        snprintf(rejects, sizeof(rejects), "%s.rejects.csv", req->upload_path);
        opts.rejects_path = rejects;
    }
    t0 = mono_seconds();
    rc = cr_import_file(&r, req->store, kind, req->upload_path, &opts);
#ifdef __GLIBC__
    /* an import's working memory grows with the store (its lookups of what is there); glibc
     * keeps freed heap for reuse, so a long-running server's memory would ratchet up with
     * every import it takes (bench/soak): hand the free part back to the system */
    malloc_trim(0);
#endif
    if (opts.partial)
        unlink(rejects);
    if (rc < 0 && rc != CR_EINVALID) {
        cr_import_result_dispose(&r);
        return rc;
    }
    j = cr_json_import_result(&r, name, mono_seconds() - t0, rc, 0);
    if (j)
        json_object_del(j, "rejects_file"); /* a temp file, removed by now */
    if (rc == CR_OK) {
        cr_import_result_dispose(&r);
        return ok_json(res, j);
    }
    /* message: the first problem as `crest import` prints it; summary: its last line */
    if (r.issues_total == 0)
        snprintf(summary, sizeof(summary), "%s",
                 cr_error_last() ? cr_error_last()->message : "the file was refused");
    else if (r.rows_rejected == 0)
        snprintf(summary, sizeof(summary), "nothing was imported from %s", name);
    else
        snprintf(summary, sizeof(summary),
                 "%s: %lld of %lld rows are invalid; nothing was imported (fix them, or use "
                 "partial=1 to import the valid rows)",
                 name, (long long)r.rows_rejected, (long long)r.rows_read);
    snprintf(msg, sizeof(msg), "%s", r.nissues ? r.issues[0].message : summary);
    cr_import_result_dispose(&r);
    if (j == NULL)
        return cr_error_oom();
    err = json_pack("{s:{s:s,s:s,s:n,s:O,s:O,s:s,s:O}}", "error", "code", "invalid_file", "message",
                    msg, "field", "problems", json_object_get(j, "problems"), "problems_total",
                    json_object_get(j, "problems_total"), "summary", summary, "result", j);
    json_decref(j);
    res->status = 422;
    return ok_json(res, err);
}

/* ---- POST /api/v1/goal/parse ---- */

static cr_err goal_parse(http_req *req, http_res *res)
{
    json_t *text = json_object_get(req->json, "text"), *year = json_object_get(req->json, "year");
    cr_goal_statement g;
    json_int_t y;
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
    return ok_json(res, cr_json_goal_statement(&g));
}

/* ---- POST /api/v1/login, POST /api/v1/logout ---- */

typedef struct {
    int found, disabled;
    int64_t id;
    char role[16];
    char hash[crypto_pwhash_STRBYTES];
} login_user;

static cr_err login_user_found(const cr_user *u, void *payload)
{
    login_user *lu = payload;

    lu->found = 1;
    lu->disabled = u->disabled;
    lu->id = u->id;
    snprintf(lu->role, sizeof(lu->role), "%s", u->role ? u->role : "");
    snprintf(lu->hash, sizeof(lu->hash), "%s", u->password_hash ? u->password_hash : "");
    return CR_OK;
}

/* A hash to verify against when the email is unknown, so that an unknown email takes as long
 * to refuse as a wrong password (no account enumeration by timing). */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_hash_make(void)
{
    if (crypto_pwhash_str(dummy_hash, "crest-no-such-user", 18, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

static cr_err login(http_req *req, http_res *res)
{
    json_t *je = json_object_get(req->json, "email"), *jp = json_object_get(req->json, "password");
    char email[HTTP_EMAIL_MAX + 1], token[65], csrf[65];
    unsigned char raw[32];
    login_user lu;
    cr_session se;
    const char *pw;
    size_t i, len;
    int64_t now = cr_now();
    cr_err rc;
    int ok;

    if (!json_is_string(je) || json_string_length(je) == 0)
        return http_invalid(res, "email", "email: expected a string");
    if (!json_is_string(jp))
        return http_invalid(res, "password", "password: expected a string");
    if ((len = json_string_length(je)) > HTTP_EMAIL_MAX || strlen(json_string_value(je)) != len)
        return http_invalid(res, "email", "email: longer than %d bytes or holds a NUL",
                            HTTP_EMAIL_MAX);
    for (i = 0; i <= len; i++) {
        char c = json_string_value(je)[i];
        email[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    if (http_ratelimit_blocked(req->limits, email, now)) {
        res->status = 429;
        res->code = "rate_limited";
        return cr_error_set(CR_EAUTH, CR_ERRCLASS_NONE,
                            "too many failed logins for this email: try again in %d minutes",
                            HTTP_LOGIN_WINDOW / 60);
    }
    if (req->ip_limits && http_ratelimit_blocked(req->ip_limits, req->client_ip, now)) {
        res->status = 429;
        res->code = "rate_limited";
        return cr_error_set(CR_EAUTH, CR_ERRCLASS_NONE,
                            "too many failed logins from this address: try again in %d minutes",
                            HTTP_LOGIN_WINDOW / 60);
    }
    memset(&lu, 0, sizeof(lu));
    rc = cr_store_user_find(req->store, email, login_user_found, &lu);
    if (rc < 0 && rc != CR_ENOTFOUND)
        return rc;
    pw = json_string_value(jp);
    if (!lu.found) {
        pthread_once(&dummy_once, dummy_hash_make);
        ok = dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, pw, json_string_length(jp)) == 0;
        ok = 0; /* the verification only spends the time a known email would */
    } else {
        ok = crypto_pwhash_str_verify(lu.hash, pw, json_string_length(jp)) == 0 && !lu.disabled;
    }
    if (!ok) {
        /* the address's count is not reset by a success: an attacker's own account must not
         * clear the failures of their guesses at others' */
        http_ratelimit_fail(req->limits, email, now);
        if (req->ip_limits)
            http_ratelimit_fail(req->ip_limits, req->client_ip, now);
        return cr_error_set(CR_EAUTH, CR_ERRCLASS_NONE, "wrong email or password");
    }
    http_ratelimit_reset(req->limits, email);
    if ((rc = cr_store_session_purge(req->store, now)) < 0)
        return rc;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(csrf, sizeof(csrf), raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    memset(&se, 0, sizeof(se));
    http_token_hash(req->token_hash, token);
    se.token_hash = req->token_hash;
    se.user_id = lu.id;
    se.csrf = csrf;
    se.created_at = now;
    se.expires_at = now + HTTP_SESSION_SECONDS;
    if ((rc = cr_store_session_create(req->store, &se)) < 0)
        return rc;
    snprintf(res->set_cookie, sizeof(res->set_cookie),
             "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s", HTTP_SESSION_COOKIE, token,
             HTTP_SESSION_SECONDS, req->secure_cookie ? "; Secure" : "");
    sodium_memzero(token, sizeof(token));
    return ok_json(res, json_pack("{s:s,s:s,s:s}", "email", email, "role", lu.role, "csrf", csrf));
}

static cr_err logout(http_req *req, http_res *res)
{
    cr_err rc;

    if ((rc = cr_store_session_delete(req->store, req->token_hash)) < 0)
        return rc;
    snprintf(res->set_cookie, sizeof(res->set_cookie),
             "%s=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s", HTTP_SESSION_COOKIE,
             req->secure_cookie ? "; Secure" : "");
    return ok_json(res, json_pack("{s:s}", "status", "logged_out"));
}

/* ---- the table: method, pattern, handler, flags, query parameters, roles ---- */

#define ALL_ROLES (HTTP_ROLES_READ | HTTP_ROLE_CREATOR)

const http_route http_routes[] = {
    { "GET", "/healthz", healthz, ROUTE_F_STORE | ROUTE_F_PUBLIC, NULL, 0 },
    { "GET", "/", web_index, ROUTE_F_PUBLIC, NULL, 0 },
    { "GET", "/assets/{name}", web_asset, ROUTE_F_PUBLIC, NULL, 0 },
    { "POST", "/api/v1/login", login, ROUTE_F_JSON_BODY | ROUTE_F_STORE | ROUTE_F_PUBLIC, NULL, 0 },
    { "POST", "/api/v1/logout", logout, ROUTE_F_STORE, NULL, ALL_ROLES },
    { "GET", "/api/v1/creators", creators_list, ROUTE_F_STORE | ROUTE_F_CACHE,
      "platform,search,min_followers,max_followers,sort,limit,offset", HTTP_ROLES_READ },
    { "GET", "/api/v1/creators/{id}", creators_get, ROUTE_F_STORE | ROUTE_F_CACHE, NULL,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/creators/{id}/vet", http_creator_vet, ROUTE_F_STORE, "campaign",
      HTTP_ROLES_READ },
    { "GET", "/api/v1/creators/{id}/forecast", http_creator_forecast, ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/posts", posts_list, ROUTE_F_STORE | ROUTE_F_CACHE,
      "creator,platform,since,until,limit,offset", HTTP_ROLES_READ },
    { "GET", "/api/v1/discover", http_discover, ROUTE_F_STORE, HTTP_DISCOVER_PARAMS,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/discover/saved", http_discover_saved, ROUTE_F_STORE, NULL, HTTP_ROLES_READ },
    { "GET", "/api/v1/kpis", kpis_list, 0, "goal", HTTP_ROLES_READ },
    { "GET", "/api/v1/campaigns", campaigns_list, ROUTE_F_STORE | ROUTE_F_CACHE, NULL,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/campaigns/{id}", campaigns_get, ROUTE_F_STORE | ROUTE_F_CACHE, NULL,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/campaigns/{id}/progress", campaigns_progress, ROUTE_F_STORE | ROUTE_F_CACHE,
      "as_of", HTTP_ROLES_READ },
    { "GET", "/api/v1/campaigns/{id}/report", campaigns_report, ROUTE_F_STORE | ROUTE_F_CACHE,
      "as_of", HTTP_ROLES_READ },
    { "GET", "/api/v1/campaigns/{id}/check", campaigns_check, ROUTE_F_STORE | ROUTE_F_CACHE, NULL,
      HTTP_ROLES_READ },
    { "POST", "/api/v1/campaigns", campaigns_create, ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL,
      HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { "POST", "/api/v1/campaigns/check", campaigns_check_body, ROUTE_F_JSON_BODY | ROUTE_F_STORE,
      NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER | HTTP_ROLE_ANALYST },
    { "POST", "/api/v1/campaigns/{id}/baseline", campaigns_baseline, ROUTE_F_STORE, NULL,
      HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { "POST", "/api/v1/goal/parse", goal_parse, ROUTE_F_JSON_BODY, NULL, HTTP_ROLES_READ },
    { "POST", "/api/v1/imports/{kind}", imports_create, ROUTE_F_STORE | ROUTE_F_UPLOAD,
      "partial,creator,captured_at,map", HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER | HTTP_ROLE_ANALYST },
    /* partner reviews (routes_review.c) */
    { "GET", "/api/v1/reviews/cycles", http_review_cycles, ROUTE_F_STORE, NULL, HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/cycles/{id}", http_review_cycle, ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/cycles/{id}/calibration", http_review_calibration, ROUTE_F_STORE,
      NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { "POST", "/api/v1/reviews", http_review_submit, ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/creators/{id}/evidence", http_review_evidence, ROUTE_F_STORE,
      "cycles,as_of", HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/creators/{id}/scorecard", http_review_scorecard, ROUTE_F_STORE,
      "as_of", HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/scorecard", http_review_scorecard, ROUTE_F_STORE, "as_of",
      HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/schedule", http_review_schedule, ROUTE_F_STORE,
      "as_of,days,monthly_threshold", HTTP_ROLES_READ },
    { "GET", "/api/v1/reviews/mine", http_review_mine, ROUTE_F_STORE, NULL, HTTP_ROLE_CREATOR },
    { "POST", "/api/v1/reviews/mine/self", http_review_mine_self, ROUTE_F_JSON_BODY | ROUTE_F_STORE,
      NULL, HTTP_ROLE_CREATOR },
    { "POST", "/api/v1/reviews/mine/feedback", http_review_mine_feedback,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLE_CREATOR },
    { "GET", "/api/v1/reviews/link", http_review_link, ROUTE_F_STORE | ROUTE_F_PUBLIC, "token", 0 },
    { "POST", "/api/v1/reviews/link/self", http_review_link_self,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE | ROUTE_F_PUBLIC, "token", 0 },
    { "POST", "/api/v1/reviews/link/feedback", http_review_link_feedback,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE | ROUTE_F_PUBLIC, "token", 0 },
    { "GET", "/api/v1/program", http_program, ROUTE_F_STORE, NULL, HTTP_ROLES_READ },
    { "GET", "/api/v1/program/pilots/{id}/report", http_program_pilot_report, ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "POST", "/api/v1/program/timelogs", http_program_timelog, ROUTE_F_JSON_BODY | ROUTE_F_STORE,
      NULL, HTTP_ROLES_READ },
    { "POST", "/api/v1/program/recommendations/{id}/override", http_program_override,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLES_READ },
    { "POST", "/api/v1/program/recommendations/{id}/escalate", http_program_escalate,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLES_READ },
    /* outreach (#7): routes_outreach.c */
    { "GET", "/api/v1/outreach/templates", http_outreach_templates, ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "POST", "/api/v1/outreach/templates", http_outreach_template_put,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { "POST", "/api/v1/outreach/preview", http_outreach_preview, ROUTE_F_JSON_BODY | ROUTE_F_STORE,
      NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER | HTTP_ROLE_ANALYST },
    { "GET", "/api/v1/outreach/sequences", http_outreach_sequences, ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "POST", "/api/v1/outreach/sequences", http_outreach_sequence_put,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { "GET", "/api/v1/outreach/queue", http_outreach_queue, ROUTE_F_STORE, "status",
      HTTP_ROLES_READ },
    { "GET", "/api/v1/outreach/pipeline", http_outreach_pipeline, ROUTE_F_STORE, "campaign",
      HTTP_ROLES_READ },
    { "GET", "/api/v1/outreach/creators/{id}/timeline", http_outreach_timeline, ROUTE_F_STORE, NULL,
      HTTP_ROLES_READ },
    { "POST", "/api/v1/outreach/creators/{id}/state", http_outreach_state,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { "POST", "/api/v1/outreach/creators/{id}/notes", http_outreach_note,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL,
      HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER | HTTP_ROLE_ANALYST },
    { "POST", "/api/v1/outreach/creators/{id}/optout", http_outreach_optout,
      ROUTE_F_JSON_BODY | ROUTE_F_STORE, NULL, HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER },
    { NULL, NULL, NULL, 0, NULL, 0 },
};

void http_print_routes(FILE *out)
{
    size_t i;

    for (i = 0; http_routes[i].method; i++)
        fprintf(out, "%s %s\n", http_routes[i].method, http_routes[i].pattern);
}

json_t *http_routes_json(void)
{
    static const char *const roles[] = { "admin", "manager", "analyst", "reviewer", "creator" };
    json_t *arr = json_array(), *r, *q, *rl;
    const http_route *rt;
    const char *p, *comma;
    size_t i;

    if (arr == NULL)
        return NULL;
    for (rt = http_routes; rt->method; rt++) {
        q = json_array();
        rl = json_array();
        r = json_pack("{s:s,s:s,s:o*,s:o*,s:b,s:s}", "method", rt->method, "pattern", rt->pattern,
                      "query", q, "roles", rl, "public", !!(rt->flags & ROUTE_F_PUBLIC), "body",
                      rt->flags & ROUTE_F_JSON_BODY ? "json"
                      : rt->flags & ROUTE_F_UPLOAD  ? "upload"
                                                    : "none");
        if (r == NULL || json_array_append_new(arr, r) < 0)
            goto oom;
        for (p = rt->query; p && *p; p = comma ? comma + 1 : p + strlen(p)) {
            comma = strchr(p, ',');
            if (json_array_append_new(q, json_stringn(p, comma ? (size_t)(comma - p) : strlen(p))) <
                0)
                goto oom;
        }
        for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
            if (!(rt->flags & ROUTE_F_PUBLIC) && (rt->roles & http_role_bit(roles[i])) &&
                json_array_append_new(rl, json_string(roles[i])) < 0)
                goto oom;
    }
    return arr;
oom:
    json_decref(arr);
    return NULL;
}
