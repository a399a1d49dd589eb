/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * campaign_json.c - a campaign spec from a JSON body: the fields of a campaign YAML file
 * (docs/campaigns.md) with the same rules and messages as the YAML loader in
 * src/goals/campaign.c, except that a problem names its JSON path ("kpis[1].target") instead
 * of a file line. Scalars are read as YAML reads them: a string, or a number or boolean taken
 * as its text, so "target": "+25%" and "value": 1234 both work. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server/server.h"
#include "util/date.h"
#include "util/num.h"

/* Record a 400 about `path` (copied into res->field_buf): "path: detail". */
static cr_err json_error(http_res *res, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cr_err json_error(http_res *res, const char *path, const char *fmt, ...)
{
    char detail[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    snprintf(res->field_buf, sizeof(res->field_buf), "%s", path);
    res->field = res->field_buf;
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s: %s", path, detail);
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_NULL:
        return "null";
    default:
        return "a value";
    }
}

/* The scalar text of v as a NUL-terminated copy in buf; error when not a scalar. */
static cr_err scalar(
    char *buf, size_t size, http_res *res, const json_t *v, const char *path, const char *expected)
{
    size_t len;

    switch (json_typeof(v)) {
    case JSON_STRING:
        len = json_string_length(v);
        if (strlen(json_string_value(v)) != len)
            return json_error(res, path, "expected %s, found text holding a NUL", expected);
        if (len >= size)
            return json_error(res, path, "expected %s, found text longer than %zu bytes", expected,
                              size - 1);
        memcpy(buf, json_string_value(v), len + 1);
        return CR_OK;
    case JSON_INTEGER:
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return CR_OK;
    case JSON_REAL:
        snprintf(buf, size, "%.15g", json_real_value(v));
        return CR_OK;
    case JSON_TRUE:
    case JSON_FALSE:
        snprintf(buf, size, "%s", json_is_true(v) ? "true" : "false");
        return CR_OK;
    default:
        return json_error(res, path, "expected %s, found %s", expected, json_kind(v));
    }
}

static cr_err get_date(int64_t *out, http_res *res, const json_t *v, const char *path)
{
    char buf[64];
    const char *why;
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), res, v, path, "a date as YYYY-MM-DD")) < 0)
        return rc;
    if (cr_parse_date(out, buf, strlen(buf), &why) < 0)
        return json_error(res, path, "expected a date as YYYY-MM-DD, found '%s' (%s)", buf, why);
    return CR_OK;
}

static cr_err
get_money(int64_t *minor, char currency[4], http_res *res, const json_t *v, const char *path)
{
    char buf[64];
    const char *why;
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), res, v, path, "an amount such as 15000 USD")) < 0)
        return rc;
    if (cr_money_parse(minor, currency, buf, &why) < 0)
        return json_error(res, path,
                          "expected an amount such as 15000 USD or $15,000, found '%s' (%s)", buf,
                          why);
    return CR_OK;
}

static cr_err get_bool(int *out, http_res *res, const json_t *v, const char *path)
{
    char buf[16];
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), res, v, path, "true or false")) < 0)
        return rc;
    if (strcasecmp(buf, "true") == 0 || strcasecmp(buf, "yes") == 0)
        *out = 1;
    else if (strcasecmp(buf, "false") == 0 || strcasecmp(buf, "no") == 0)
        *out = 0;
    else
        return json_error(res, path, "expected true or false, found '%s'", buf);
    return CR_OK;
}

static cr_err
get_baseline(cr_campaign_kpi_spec *k, http_res *res, const json_t *v, const char *base)
{
    char path[96], buf[64];
    const char *key, *why;
    json_t *bv;
    int64_t a, b;
    cr_err rc;

    snprintf(path, sizeof(path), "%s.baseline", base);
    if (!json_is_object(v) && !json_is_array(v) && !json_is_null(v)) {
        if ((rc = scalar(buf, sizeof(buf), res, v, path, "a value")) < 0)
            return rc;
        if (cr_parse_decimal(&k->baseline, buf, strlen(buf), &why) < 0)
            return json_error(res, path, "expected a value or { period: 2027-Q2 }, found '%s'",
                              buf);
        k->has_baseline = 1;
        return CR_OK;
    }
    if (!json_is_object(v))
        return json_error(res, path, "expected { period: 2027-Q2 } or { value: 1234 }");
    json_object_foreach((json_t *)v, key, bv)
    {
        if (strcmp(key, "period") == 0) {
            snprintf(path, sizeof(path), "%s.baseline.period", base);
            if ((rc = scalar(k->baseline_period, sizeof(k->baseline_period), res, bv, path,
                             "a period such as 2027-Q2")) < 0)
                return rc;
            if (cr_period_bounds(&a, &b, k->baseline_period) < 0)
                return json_error(res, path,
                                  "expected a period such as 2027-Q2, 2027-H1, 2027-06 or 2027, "
                                  "found '%s'",
                                  k->baseline_period);
        } else if (strcmp(key, "value") == 0) {
            snprintf(path, sizeof(path), "%s.baseline.value", base);
            if ((rc = scalar(buf, sizeof(buf), res, bv, path, "a number")) < 0)
                return rc;
            if (cr_parse_decimal(&k->baseline, buf, strlen(buf), &why) < 0)
                return json_error(res, path, "expected a number, found '%s'", buf);
            k->has_baseline = 1;
        } else {
            snprintf(path, sizeof(path), "%s.baseline.%.40s", base, key);
            return json_error(res, path, "unknown key '%s' (expected period or value)", key);
        }
    }
    return CR_OK;
}

static cr_err load_kpi(cr_campaign_spec *spec, http_res *res, const json_t *item, size_t idx)
{
    cr_campaign_kpi_spec *k;
    char base[32], path[96], buf[64];
    const char *key, *why;
    const json_t *target = NULL;
    json_t *vn;
    cr_err rc;

    snprintf(base, sizeof(base), "kpis[%zu]", idx);
    if (!json_is_object(item))
        return json_error(res, base,
                          "expected each KPI as an object such as "
                          "{\"code\": \"ctr\", \"role\": \"primary\", \"target\": \"1.2%%\"}");
    if ((rc = cr_campaign_spec_add_kpi(&k, spec)) < 0)
        return rc;
    k->primary = -1;
    json_object_foreach((json_t *)item, key, vn)
    {
        snprintf(path, sizeof(path), "%s.%.40s", base, key);
        if (strcmp(key, "code") == 0) {
            if ((rc = scalar(k->code, sizeof(k->code), res, vn, path, "a KPI code")) < 0)
                return rc;
            if (cr_kpi_find(k->code) == NULL)
                return json_error(res, path, "expected a KPI code (crest kpi list), found '%s'",
                                  k->code);
        } else if (strcmp(key, "role") == 0) {
            if ((rc = scalar(buf, sizeof(buf), res, vn, path, "primary or contextual")) < 0)
                return rc;
            if (strcmp(buf, "primary") == 0)
                k->primary = 1;
            else if (strcmp(buf, "contextual") == 0)
                k->primary = 0;
            else
                return json_error(res, path, "expected primary or contextual, found '%s'", buf);
        } else if (strcmp(key, "target") == 0) {
            target = vn;
        } else if (strcmp(key, "benchmarking") == 0) {
            int b;
            if ((rc = get_bool(&b, res, vn, path)) < 0)
                return rc;
            if (b)
                k->has_baseline = 0;
        } else if (strcmp(key, "baseline") == 0) {
            if ((rc = get_baseline(k, res, vn, base)) < 0)
                return rc;
        } else {
            return json_error(res, path,
                              "unknown key '%s' (expected code, role, target, baseline or "
                              "benchmarking)",
                              key);
        }
    }
    if (k->code[0] == '\0') {
        snprintf(path, sizeof(path), "%s.code", base);
        return json_error(res, path, "a KPI without a code");
    }
    if (k->primary < 0)
        k->primary = 0;
    if (target) {
        snprintf(path, sizeof(path), "%s.target", base);
        if ((rc = scalar(buf, sizeof(buf), res, target, path,
                         "a target such as +25%, 1.2% or 10000")) < 0)
            return rc;
        if (cr_kpi_target_parse(k, buf, &why) < 0)
            return json_error(res, path, "%s, found '%s'", why, buf);
    }
    return CR_OK;
}

static cr_err load_partner(cr_campaign_spec *spec, http_res *res, const json_t *item, size_t idx)
{
    cr_partnership_spec *ps;
    char base[40], path[104], cur[4];
    const char *key;
    json_t *vn;
    cr_err rc;

    snprintf(base, sizeof(base), "partnerships[%zu]", idx);
    if (!json_is_object(item))
        return json_error(res, base,
                          "expected each partnership as an object such as "
                          "{\"creator\": \"instagram/maya.runs\", \"fee\": \"3000 USD\"}");
    if ((rc = cr_campaign_spec_add_partner(&ps, spec)) < 0)
        return rc;
    json_object_foreach((json_t *)item, key, vn)
    {
        snprintf(path, sizeof(path), "%s.%.40s", base, key);
        if (strcmp(key, "creator") == 0) {
            rc = scalar(ps->creator, sizeof(ps->creator), res, vn, path,
                        "platform/handle, e.g. instagram/maya.runs");
        } else if (strcmp(key, "fee") == 0 || strcmp(key, "product_cost") == 0) {
            int64_t *dst = key[0] == 'f' ? &ps->fee_minor : &ps->product_cost_minor;
            if ((rc = get_money(dst, cur, res, vn, path)) == CR_OK) {
                if (ps->currency[0] && strcmp(ps->currency, cur) != 0)
                    return json_error(res, path,
                                      "expected the same currency as the fee (%s), found %s",
                                      ps->currency, cur);
                memcpy(ps->currency, cur, 4);
            }
        } else if (strcmp(key, "promo_code") == 0) {
            rc = scalar(ps->promo_code, sizeof(ps->promo_code), res, vn, path, "a code");
        } else if (strcmp(key, "utm_content") == 0) {
            rc = scalar(ps->utm_content, sizeof(ps->utm_content), res, vn, path, "a utm_content");
        } else if (strcmp(key, "status") == 0) {
            rc = scalar(ps->status, sizeof(ps->status), res, vn, path, "a status");
        } else {
            return json_error(res, path,
                              "unknown key '%s' (expected creator, fee, product_cost, "
                              "promo_code, utm_content or status)",
                              key);
        }
        if (rc < 0)
            return rc;
    }
    if (ps->creator[0] == '\0' || strchr(ps->creator, '/') == NULL) {
        snprintf(path, sizeof(path), "%s.creator", base);
        return json_error(res, path,
                          "expected platform/handle, e.g. instagram/maya.runs, found '%s'",
                          ps->creator);
    }
    return CR_OK;
}

static cr_err
load_goal(cr_goal_type *out, int *count, http_res *res, const json_t *v, const char *path)
{
    char buf[32], item[64];
    size_t i;
    json_t *c;
    cr_err rc;

    if (json_is_array(v)) {
        /* a list is kept so that the rules can say "exactly one" */
        *count = 0;
        json_array_foreach((json_t *)v, i, c)
        {
            snprintf(item, sizeof(item), "%s[%zu]", path, i);
            if (json_is_array(c))
                return json_error(res, item, "expected a goal type, found a list");
            if ((rc = load_goal(out, count, res, c, item)) < 0)
                return rc;
        }
        return CR_OK;
    }
    if ((rc = scalar(buf, sizeof(buf), res, v, path, "a goal type")) < 0)
        return rc;
    if ((*out = cr_goal_from_name(buf)) == CR_GOAL_NONE)
        return json_error(
            res, path, "expected awareness, engagement, traffic, leads or sales, found '%s'", buf);
    (*count)++;
    return CR_OK;
}

static cr_err load_period(cr_campaign_spec *spec, http_res *res, const json_t *v)
{
    char buf[64];
    const json_t *s, *e;
    cr_err rc;

    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach((json_t *)v, key, x)
        {
            if (strcmp(key, "start") && strcmp(key, "end")) {
                char path[64];
                snprintf(path, sizeof(path), "period.%.40s", key);
                return json_error(res, path, "unknown key '%s' (expected start and end)", key);
            }
        }
        s = json_object_get(v, "start");
        e = json_object_get(v, "end");
        if (s == NULL || e == NULL)
            return json_error(res, "period", "expected both start and end");
        if ((rc = get_date(&spec->start, res, s, "period.start")) < 0 ||
            (rc = get_date(&spec->end, res, e, "period.end")) < 0)
            return rc;
        return CR_OK;
    }
    if (json_is_array(v) || json_is_null(v))
        return json_error(res, "period", "expected { start: DATE, end: DATE }");
    if ((rc = scalar(buf, sizeof(buf), res, v, "period", "a period")) < 0)
        return rc;
    if (cr_period_bounds(&spec->start, &spec->end, buf) < 0)
        return json_error(res, "period",
                          "expected { start: DATE, end: DATE } or a period such as 2027-Q3, "
                          "found '%s'",
                          buf);
    return CR_OK;
}

static cr_err load_list(cr_campaign_spec *spec, http_res *res, const json_t *v, const char *key)
{
    size_t i;
    json_t *c;
    cr_err rc;

    if (!json_is_array(v))
        return json_error(res, key, "expected a list, found %s", json_kind(v));
    json_array_foreach((json_t *)v, i, c)
    {
        rc = key[0] == 'k' ? load_kpi(spec, res, c, i) : load_partner(spec, res, c, i);
        if (rc < 0)
            return rc;
    }
    return CR_OK;
}

static cr_err load_root(cr_campaign_spec *spec, http_res *res, const json_t *root)
{
    const char *key;
    json_t *vn;
    cr_err rc;

    json_object_foreach((json_t *)root, key, vn)
    {
        if (strcmp(key, "name") == 0) {
            rc = scalar(spec->name, sizeof(spec->name), res, vn, key, "a name");
        } else if (strcmp(key, "brand") == 0) {
            rc = scalar(spec->brand, sizeof(spec->brand), res, vn, key, "a brand");
        } else if (strcmp(key, "objective") == 0) {
            rc = scalar(spec->objective, sizeof(spec->objective), res, vn, key, "a sentence");
        } else if (strcmp(key, "status") == 0) {
            rc = scalar(spec->status, sizeof(spec->status), res, vn, key, "a status");
            if (rc == CR_OK && strcmp(spec->status, "draft") && strcmp(spec->status, "active") &&
                strcmp(spec->status, "completed"))
                return json_error(res, key, "expected draft, active or completed, found '%s'",
                                  spec->status);
        } else if (strcmp(key, "period") == 0) {
            rc = load_period(spec, res, vn);
        } else if (strcmp(key, "evaluation") == 0) {
            rc = get_date(&spec->evaluation, res, vn, key);
        } else if (strcmp(key, "budget") == 0) {
            rc = get_money(&spec->budget_minor, spec->currency, res, vn, key);
        } else if (strcmp(key, "primary_goal") == 0) {
            rc = load_goal(&spec->primary_goal, &spec->primary_goals, res, vn, key);
        } else if (strcmp(key, "secondary_goal") == 0) {
            rc = load_goal(&spec->secondary_goal, &spec->secondary_goals, res, vn, key);
        } else if (strcmp(key, "benchmarking") == 0) {
            rc = get_bool(&spec->benchmarking, res, vn, key);
        } else if (strcmp(key, "attribution_window") == 0 || strcmp(key, "emv_credit") == 0) {
            char buf[64], why[200];
            if ((rc = scalar(buf, sizeof(buf), res, vn, key, "a value")) < 0)
                return rc;
            if (cr_campaign_spec_set_option(spec, key, buf, why, sizeof(why)) < 0)
                return json_error(res, key, "%s", why);
        } else if (strcmp(key, "kpis") == 0 || strcmp(key, "partnerships") == 0) {
            rc = load_list(spec, res, vn, key);
        } else {
            char path[64];
            snprintf(path, sizeof(path), "%.60s", key);
            return json_error(res, path,
                              "unknown key (expected name, brand, period, evaluation, budget, "
                              "primary_goal, secondary_goal, objective, status, benchmarking, "
                              "attribution_window, emv_credit, "
                              "kpis or partnerships)");
        }
        if (rc < 0)
            return rc;
    }
    if (spec->name[0] == '\0')
        return json_error(res, "name", "missing: every campaign needs a name");
    return CR_OK;
}

cr_err http_campaign_from_json(cr_campaign_spec **out, http_res *res, const json_t *body)
{
    cr_campaign_spec *spec = NULL;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_campaign_spec_new(&spec)) < 0)
        return rc;
    snprintf(spec->source, sizeof(spec->source), "request");
    if ((rc = load_root(spec, res, body)) < 0) {
        cr_campaign_spec_free(spec);
        return rc;
    }
    *out = spec;
    return CR_OK;
}
