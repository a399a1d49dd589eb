/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * campaign.c - campaign specs: the YAML loader (libfyaml), money and target parsing, the goal
 * rules, and saving to / loading from the store.
 *
 * The loader is strict: an unknown key, a wrong type or a bad value is an error that names
 * the file, the line and the key, so a typo never silently drops a KPI. The rules are kept
 * apart from loading, so `crest goal check` can report every broken rule of a file that
 * loaded, each with a suggestion. */
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crest/campaign.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"

cr_err cr_campaign_spec_new(cr_campaign_spec **out)
{
    cr_campaign_spec *s = cr_calloc(1, sizeof(*s));

    *out = NULL;
    if (s == NULL)
        return cr_error_oom();
    s->budget_minor = -1;
    *out = s;
    return CR_OK;
}

void cr_campaign_spec_free(cr_campaign_spec *spec)
{
    if (spec == NULL)
        return;
    cr_free(spec->kpis);
    cr_free(spec->partners);
    cr_free(spec);
}

cr_err cr_campaign_spec_add_kpi(cr_campaign_kpi_spec **out, cr_campaign_spec *spec)
{
    cr_campaign_kpi_spec *n = cr_realloc(spec->kpis, (spec->nkpis + 1) * sizeof(*n));

    if (n == NULL)
        return cr_error_oom();
    spec->kpis = n;
    *out = &n[spec->nkpis++];
    memset(*out, 0, sizeof(**out));
    (*out)->baseline = NAN;
    (*out)->target = NAN;
    return CR_OK;
}

cr_err cr_campaign_spec_add_partner(cr_partnership_spec **out, cr_campaign_spec *spec)
{
    cr_partnership_spec *n = cr_realloc(spec->partners, (spec->npartners + 1) * sizeof(*n));

    if (n == NULL)
        return cr_error_oom();
    spec->partners = n;
    *out = &n[spec->npartners++];
    memset(*out, 0, sizeof(**out));
    return CR_OK;
}

/* ---- money ------------------------------------------------------------------------------ */

static const struct currency_sign {
    const char *sign;
    const char *code;
} currency_signs[] = {
    { "$", "USD" },
    { "\xE2\x82\xAC", "EUR" },
    { "\xC2\xA3", "GBP" },
    { "\xC2\xA5", "JPY" },
};

static int is_upper3(const char *s, size_t len)
{
    return len == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' &&
           s[2] <= 'Z';
}

cr_err cr_money_parse(int64_t *out_minor, char currency[4], const char *s, const char **why)
{
    const char *p = s, *end;
    size_t len, i;
    int64_t count;
    char num[64];

    currency[0] = '\0';
    while (*p == ' ')
        p++;
    for (i = 0; i < sizeof(currency_signs) / sizeof(currency_signs[0]); i++) {
        size_t n = strlen(currency_signs[i].sign);
        if (strncmp(p, currency_signs[i].sign, n) == 0) {
            memcpy(currency, currency_signs[i].code, 4);
            p += n;
            break;
        }
    }
    if (is_upper3(p, 3) && p[3] == ' ') { /* "USD 15000" */
        memcpy(currency, p, 3);
        currency[3] = '\0';
        p += 4;
    }
    end = p + strlen(p);
    while (end > p && end[-1] == ' ')
        end--;
    if (end - p > 4 && end[-4] == ' ' && is_upper3(end - 3, 3)) { /* "15000 USD" */
        if (currency[0] && strncmp(currency, end - 3, 3) != 0) {
            *why = "two different currencies";
            return CR_EINVALID;
        }
        memcpy(currency, end - 3, 3);
        currency[3] = '\0';
        end -= 4;
    }
    if (currency[0] == '\0') {
        *why = "no currency: write e.g. 15000 USD, $15,000 or EUR 8,000";
        return CR_EINVALID;
    }
    len = (size_t)(end - p);
    if (len == 0 || len >= sizeof(num)) {
        *why = "no amount";
        return CR_EINVALID;
    }
    memcpy(num, p, len);
    num[len] = '\0';
    /* k/M suffixes go through the count parser; decimals through the decimal one */
    if (num[len - 1] == 'k' || num[len - 1] == 'K' || num[len - 1] == 'm' || num[len - 1] == 'M') {
        if (cr_parse_count(&count, num, len, why) < 0)
            return CR_EINVALID;
        if ((double)count > CR_AMOUNT_MAX) {
            *why = "number too large";
            return CR_EINVALID;
        }
        *out_minor = count * 100;
        return CR_OK;
    }
    return cr_parse_money(out_minor, num, len, why);
}

/* ---- YAML ------------------------------------------------------------------------------- */

typedef struct {
    const char *file;
    struct fy_document *doc;
} yaml_ctx;

static int node_line(struct fy_node *n)
{
    struct fy_token *t;
    const struct fy_mark *m;

    if (n == NULL)
        return 0;
    if (fy_node_is_scalar(n) && (t = fy_node_get_scalar_token(n)) != NULL &&
        (m = fy_token_start_mark(t)) != NULL)
        return m->line + 1;
    if (fy_node_is_mapping(n)) {
        void *it = NULL;
        struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
        if (p)
            return node_line(fy_node_pair_key(p));
    }
    if (fy_node_is_sequence(n)) {
        void *it = NULL;
        struct fy_node *c = fy_node_sequence_iterate(n, &it);
        if (c)
            return node_line(c);
    }
    return 0;
}

static cr_err yaml_error(yaml_ctx *y, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static cr_err yaml_error(yaml_ctx *y, int line, const char *key, const char *fmt, ...)
{
    char detail[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d: %s: %s", y->file, line, key,
                        detail);
}

/* The scalar text of a node as a NUL-terminated copy in buf; error when not a scalar. */
static cr_err scalar(
    char *buf, size_t size, yaml_ctx *y, struct fy_node *n, const char *key, const char *expected)
{
    const char *v;
    size_t len;

    if (n == NULL || !fy_node_is_scalar(n) || (v = fy_node_get_scalar(n, &len)) == NULL)
        return yaml_error(y, node_line(n), key, "expected %s, found a %s", expected,
                          n && fy_node_is_mapping(n) ? "mapping" : "list");
    if (len >= size)
        return yaml_error(y, node_line(n), key, "expected %s, found text longer than %zu bytes",
                          expected, size - 1);
    memcpy(buf, v, len);
    buf[len] = '\0';
    return CR_OK;
}

static cr_err yaml_date(int64_t *out, yaml_ctx *y, struct fy_node *n, const char *key)
{
    char buf[64];
    const char *why;
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), y, n, key, "a date as YYYY-MM-DD")) < 0)
        return rc;
    if (cr_parse_date(out, buf, strlen(buf), &why) < 0)
        return yaml_error(y, node_line(n), key, "expected a date as YYYY-MM-DD, found '%s' (%s)",
                          buf, why);
    return CR_OK;
}

static cr_err
yaml_money(int64_t *minor, char currency[4], yaml_ctx *y, struct fy_node *n, const char *key)
{
    char buf[64];
    const char *why;
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), y, n, key, "an amount such as 15000 USD")) < 0)
        return rc;
    if (cr_money_parse(minor, currency, buf, &why) < 0)
        return yaml_error(y, node_line(n), key,
                          "expected an amount such as 15000 USD or $15,000, found '%s' (%s)", buf,
                          why);
    return CR_OK;
}

static cr_err yaml_bool(int *out, yaml_ctx *y, struct fy_node *n, const char *key)
{
    char buf[16];
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), y, n, key, "true or false")) < 0)
        return rc;
    if (strcasecmp(buf, "true") == 0 || strcasecmp(buf, "yes") == 0)
        *out = 1;
    else if (strcasecmp(buf, "false") == 0 || strcasecmp(buf, "no") == 0)
        *out = 0;
    else
        return yaml_error(y, node_line(n), key, "expected true or false, found '%s'", buf);
    return CR_OK;
}

cr_err cr_campaign_spec_set_option(
    cr_campaign_spec *s, const char *key, const char *value, char *why, size_t whysize)
{
    if (strcmp(key, "attribution_window") == 0) {
        char *end = NULL;
        long days = strtol(value, &end, 10);
        while (end && *end == ' ')
            end++;
        if (end == value ||
            (end && *end != '\0' && strcmp(end, "days") != 0 && strcmp(end, "d") != 0) ||
            days < 1 || days > 365) {
            snprintf(why, whysize,
                     "expected a number of days from 1 to 365 (sessions, leads and orders count "
                     "for a post this long after it), found '%s'",
                     value);
            return CR_EINVALID;
        }
        s->attribution_window_days = (int)days;
        return CR_OK;
    }
    if (strcmp(key, "emv_credit") == 0) {
        if (strcmp(value, "full") != 0 && strcmp(value, "split") != 0) {
            snprintf(why, whysize,
                     "expected full (each brand a post names gets its whole EMV) or split "
                     "(shared between them), found '%s'",
                     value);
            return CR_EINVALID;
        }
        snprintf(s->emv_credit, sizeof(s->emv_credit), "%s", value);
        return CR_OK;
    }
    snprintf(why, whysize, "unknown option '%s'", key);
    return CR_ENOTFOUND;
}

cr_err cr_kpi_target_parse(cr_campaign_kpi_spec *k, const char *text, const char **why)
{
    const cr_kpi_def *def = cr_kpi_find(k->code);
    char buf[64];
    size_t len;
    double v;
    int sign = 0, pct = 0;
    char *p = buf;

    *why = "expected a lift such as +25%, or a value such as 1.2%, 10000 or 25 USD";
    if (strlen(text) >= sizeof(buf))
        return CR_EINVALID;
    snprintf(buf, sizeof(buf), "%s", text);
    len = strlen(p);
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
        len--;
    }
    if (len && p[len - 1] == '%') {
        pct = 1;
        p[--len] = '\0';
    } else if (len && (p[len - 1] == 'x' || p[len - 1] == 'X')) {
        p[--len] = '\0';
    } else if (len > 4 && p[len - 4] == ' ' && is_upper3(p + len - 3, 3)) {
        len -= 4; /* "25 USD": money KPIs are written in major units */
        p[len] = '\0';
    }
    if (cr_parse_decimal(&v, p, len, why) < 0 || v < 0) {
        *why = "expected a lift such as +25%, or a value such as 1.2%, 10000 or 25 USD";
        return CR_EINVALID;
    }
    if (sign != 0 || (pct && def && def->unit != CR_UNIT_RATIO)) {
        /* a signed figure, or a percentage of a non-rate KPI, is a change over the baseline */
        if (!pct) {
            *why = "a change over the baseline is written in percent, e.g. +25%";
            return CR_EINVALID;
        }
        k->target_kind = CR_TARGET_RELATIVE;
        k->target = (sign < 0 ? -v : v) / 100.0;
    } else {
        k->target_kind = CR_TARGET_ABSOLUTE;
        k->target = pct ? v / 100.0 : v;
        if (def && def->unit == CR_UNIT_MONEY)
            k->target = v * 100.0;
    }
    return CR_OK;
}

static cr_err parse_target(cr_campaign_kpi_spec *k, yaml_ctx *y, struct fy_node *n)
{
    char buf[64];
    const char *why;
    cr_err rc;

    if ((rc = scalar(buf, sizeof(buf), y, n, "target", "a target such as +25%, 1.2% or 10000")) < 0)
        return rc;
    if (cr_kpi_target_parse(k, buf, &why) < 0)
        return yaml_error(y, node_line(n), "target", "%s, found '%s'", why, buf);
    return CR_OK;
}

static cr_err load_kpi(cr_campaign_spec *spec, yaml_ctx *y, struct fy_node *item)
{
    cr_campaign_kpi_spec *k;
    struct fy_node_pair *p;
    void *it = NULL;
    char key[64], buf[64];
    int line = node_line(item);
    struct fy_node *target = NULL;
    cr_err rc;

    if (!fy_node_is_mapping(item))
        return yaml_error(y, line, "kpis",
                          "expected each KPI as a mapping such as "
                          "{ code: ctr, role: primary, target: 1.2%% }");
    if ((rc = cr_campaign_spec_add_kpi(&k, spec)) < 0)
        return rc;
    k->line = line;
    k->primary = -1;
    while ((p = fy_node_mapping_iterate(item, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((rc = scalar(key, sizeof(key), y, kn, "kpis", "a key")) < 0)
            return rc;
        if (strcmp(key, "code") == 0) {
            if ((rc = scalar(k->code, sizeof(k->code), y, vn, "code", "a KPI code")) < 0)
                return rc;
            if (cr_kpi_find(k->code) == NULL)
                return yaml_error(y, node_line(vn), "code",
                                  "expected a KPI code (crest kpi list), found '%s'", k->code);
        } else if (strcmp(key, "role") == 0) {
            if ((rc = scalar(buf, sizeof(buf), y, vn, "role", "primary or contextual")) < 0)
                return rc;
            if (strcmp(buf, "primary") == 0)
                k->primary = 1;
            else if (strcmp(buf, "contextual") == 0)
                k->primary = 0;
            else
                return yaml_error(y, node_line(vn), "role",
                                  "expected primary or contextual, found '%s'", buf);
        } else if (strcmp(key, "target") == 0) {
            target = vn;
        } else if (strcmp(key, "benchmarking") == 0) {
            int b;
            if ((rc = yaml_bool(&b, y, vn, "benchmarking")) < 0)
                return rc;
            if (b)
                k->has_baseline = 0;
        } else if (strcmp(key, "baseline") == 0) {
            struct fy_node_pair *bp;
            void *bit = NULL;
            if (fy_node_is_scalar(vn)) {
                const char *why;
                if ((rc = scalar(buf, sizeof(buf), y, vn, "baseline", "a value")) < 0)
                    return rc;
                if (cr_parse_decimal(&k->baseline, buf, strlen(buf), &why) < 0)
                    return yaml_error(y, node_line(vn), "baseline",
                                      "expected a value or { period: 2027-Q2 }, found '%s'", buf);
                k->has_baseline = 1;
                continue;
            }
            if (!fy_node_is_mapping(vn))
                return yaml_error(y, node_line(vn), "baseline",
                                  "expected { period: 2027-Q2 } or { value: 1234 }");
            while ((bp = fy_node_mapping_iterate(vn, &bit)) != NULL) {
                struct fy_node *bk = fy_node_pair_key(bp), *bv = fy_node_pair_value(bp);
                int64_t a, b;
                if ((rc = scalar(key, sizeof(key), y, bk, "baseline", "a key")) < 0)
                    return rc;
                if (strcmp(key, "period") == 0) {
                    if ((rc = scalar(k->baseline_period, sizeof(k->baseline_period), y, bv,
                                     "baseline.period", "a period such as 2027-Q2")) < 0)
                        return rc;
                    if (cr_period_bounds(&a, &b, k->baseline_period) < 0)
                        return yaml_error(y, node_line(bv), "baseline.period",
                                          "expected a period such as 2027-Q2, 2027-H1, 2027-06 "
                                          "or 2027, found '%s'",
                                          k->baseline_period);
                } else if (strcmp(key, "value") == 0) {
                    const char *why;
                    if ((rc = scalar(buf, sizeof(buf), y, bv, "baseline.value", "a number")) < 0)
                        return rc;
                    if (cr_parse_decimal(&k->baseline, buf, strlen(buf), &why) < 0)
                        return yaml_error(y, node_line(bv), "baseline.value",
                                          "expected a number, found '%s'", buf);
                    k->has_baseline = 1;
                } else {
                    return yaml_error(y, node_line(bk), "baseline",
                                      "unknown key '%s' (expected period or value)", key);
                }
            }
        } else {
            return yaml_error(y, node_line(kn), "kpis",
                              "unknown key '%s' (expected code, role, target, baseline or "
                              "benchmarking)",
                              key);
        }
    }
    if (k->code[0] == '\0')
        return yaml_error(y, line, "kpis", "a KPI without a code");
    if (k->primary < 0)
        k->primary = 0;
    if (target && (rc = parse_target(k, y, target)) < 0)
        return rc;
    return CR_OK;
}

static cr_err load_partner(cr_campaign_spec *spec, yaml_ctx *y, struct fy_node *item)
{
    cr_partnership_spec *ps;
    struct fy_node_pair *p;
    void *it = NULL;
    char key[64], cur[4];
    int line = node_line(item);
    cr_err rc;

    if (!fy_node_is_mapping(item))
        return yaml_error(y, line, "partnerships",
                          "expected each partnership as a mapping such as "
                          "{ creator: instagram/maya.runs, fee: 3000 USD }");
    if ((rc = cr_campaign_spec_add_partner(&ps, spec)) < 0)
        return rc;
    ps->line = line;
    while ((p = fy_node_mapping_iterate(item, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((rc = scalar(key, sizeof(key), y, kn, "partnerships", "a key")) < 0)
            return rc;
        if (strcmp(key, "creator") == 0) {
            rc = scalar(ps->creator, sizeof(ps->creator), y, vn, "creator",
                        "platform/handle, e.g. instagram/maya.runs");
        } else if (strcmp(key, "fee") == 0 || strcmp(key, "product_cost") == 0) {
            int64_t *dst = key[0] == 'f' ? &ps->fee_minor : &ps->product_cost_minor;
            if ((rc = yaml_money(dst, cur, y, vn, key)) == CR_OK) {
                if (ps->currency[0] && strcmp(ps->currency, cur) != 0)
                    return yaml_error(y, node_line(vn), key,
                                      "expected the same currency as the fee (%s), found %s",
                                      ps->currency, cur);
                memcpy(ps->currency, cur, 4);
            }
        } else if (strcmp(key, "promo_code") == 0) {
            rc = scalar(ps->promo_code, sizeof(ps->promo_code), y, vn, key, "a code");
        } else if (strcmp(key, "utm_content") == 0) {
            rc = scalar(ps->utm_content, sizeof(ps->utm_content), y, vn, key, "a utm_content");
        } else if (strcmp(key, "status") == 0) {
            rc = scalar(ps->status, sizeof(ps->status), y, vn, key, "a status");
        } else {
            return yaml_error(y, node_line(kn), "partnerships",
                              "unknown key '%s' (expected creator, fee, product_cost, "
                              "promo_code, utm_content or status)",
                              key);
        }
        if (rc < 0)
            return rc;
    }
    if (ps->creator[0] == '\0' || strchr(ps->creator, '/') == NULL)
        return yaml_error(y, line, "creator",
                          "expected platform/handle, e.g. instagram/maya.runs, found '%s'",
                          ps->creator);
    return CR_OK;
}

static cr_err
load_goal(cr_goal_type *out, int *count, yaml_ctx *y, struct fy_node *vn, const char *key)
{
    char buf[32];
    struct fy_node *c;
    void *it = NULL;
    cr_err rc;

    if (fy_node_is_sequence(vn)) {
        /* a list is kept so that the rules can say "exactly one" */
        *count = 0;
        while ((c = fy_node_sequence_iterate(vn, &it)) != NULL) {
            if ((rc = load_goal(out, count, y, c, key)) < 0)
                return rc;
        }
        return CR_OK;
    }
    if ((rc = scalar(buf, sizeof(buf), y, vn, key, "a goal type")) < 0)
        return rc;
    if ((*out = cr_goal_from_name(buf)) == CR_GOAL_NONE)
        return yaml_error(y, node_line(vn), key,
                          "expected awareness, engagement, traffic, leads or sales, found '%s'",
                          buf);
    (*count)++;
    return CR_OK;
}

static cr_err load_root(cr_campaign_spec *spec, yaml_ctx *y, struct fy_node *root)
{
    struct fy_node_pair *p;
    void *it = NULL;
    char key[64], buf[64];
    cr_err rc = CR_OK;

    if (root == NULL || !fy_node_is_mapping(root))
        return yaml_error(y, node_line(root), "campaign",
                          "expected a mapping with name, period, primary_goal, kpis, ...");
    while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((rc = scalar(key, sizeof(key), y, kn, "campaign", "a key")) < 0)
            return rc;
        if (strcmp(key, "name") == 0) {
            rc = scalar(spec->name, sizeof(spec->name), y, vn, key, "a name");
        } else if (strcmp(key, "brand") == 0) {
            rc = scalar(spec->brand, sizeof(spec->brand), y, vn, key, "a brand");
        } else if (strcmp(key, "objective") == 0) {
            rc = scalar(spec->objective, sizeof(spec->objective), y, vn, key, "a sentence");
        } else if (strcmp(key, "status") == 0) {
            rc = scalar(spec->status, sizeof(spec->status), y, vn, key, "a status");
            if (rc == CR_OK && strcmp(spec->status, "draft") && strcmp(spec->status, "active") &&
                strcmp(spec->status, "completed"))
                return yaml_error(y, node_line(vn), key,
                                  "expected draft, active or completed, found '%s'", spec->status);
        } else if (strcmp(key, "period") == 0) {
            spec->line_period = node_line(kn);
            if (fy_node_is_scalar(vn)) {
                if ((rc = scalar(buf, sizeof(buf), y, vn, key, "a period")) < 0)
                    return rc;
                if (cr_period_bounds(&spec->start, &spec->end, buf) < 0)
                    return yaml_error(y, node_line(vn), key,
                                      "expected { start: DATE, end: DATE } or a period such as "
                                      "2027-Q3, found '%s'",
                                      buf);
            } else if (fy_node_is_mapping(vn)) {
                struct fy_node *s = fy_node_mapping_lookup_by_string(vn, "start", FY_NT);
                struct fy_node *e = fy_node_mapping_lookup_by_string(vn, "end", FY_NT);
                if (s == NULL || e == NULL)
                    return yaml_error(y, node_line(vn), key, "expected both start and end");
                if ((rc = yaml_date(&spec->start, y, s, "period.start")) < 0 ||
                    (rc = yaml_date(&spec->end, y, e, "period.end")) < 0)
                    return rc;
            } else {
                return yaml_error(y, node_line(kn), key, "expected { start: DATE, end: DATE }");
            }
        } else if (strcmp(key, "evaluation") == 0) {
            rc = yaml_date(&spec->evaluation, y, vn, key);
        } else if (strcmp(key, "budget") == 0) {
            spec->line_budget = node_line(kn);
            rc = yaml_money(&spec->budget_minor, spec->currency, y, vn, key);
        } else if (strcmp(key, "primary_goal") == 0) {
            spec->line_primary_goal = node_line(kn);
            rc = load_goal(&spec->primary_goal, &spec->primary_goals, y, vn, key);
        } else if (strcmp(key, "secondary_goal") == 0) {
            rc = load_goal(&spec->secondary_goal, &spec->secondary_goals, y, vn, key);
        } else if (strcmp(key, "benchmarking") == 0) {
            rc = yaml_bool(&spec->benchmarking, y, vn, key);
        } else if (strcmp(key, "attribution_window") == 0 || strcmp(key, "emv_credit") == 0) {
            char why[200];
            if ((rc = scalar(buf, sizeof(buf), y, vn, key, "a value")) < 0)
                return rc;
            if (cr_campaign_spec_set_option(spec, key, buf, why, sizeof(why)) < 0)
                return yaml_error(y, node_line(vn), key, "%s", why);
        } else if (strcmp(key, "kpis") == 0 || strcmp(key, "partnerships") == 0) {
            struct fy_node *c;
            void *sit = NULL;
            if (key[0] == 'k')
                spec->line_kpis = node_line(kn);
            if (!fy_node_is_sequence(vn))
                return yaml_error(y, node_line(kn), key, "expected a list (lines starting '- ')");
            while ((c = fy_node_sequence_iterate(vn, &sit)) != NULL) {
                rc = key[0] == 'k' ? load_kpi(spec, y, c) : load_partner(spec, y, c);
                if (rc < 0)
                    return rc;
            }
        } else {
            return yaml_error(y, node_line(kn), key,
                              "unknown key (expected name, brand, period, evaluation, budget, "
                              "primary_goal, secondary_goal, objective, status, benchmarking, "
                              "attribution_window, emv_credit, kpis or partnerships)");
        }
        if (rc < 0)
            return rc;
    }
    if (spec->name[0] == '\0')
        return yaml_error(y, 1, "name", "missing: every campaign needs a name");
    return CR_OK;
}

/* The whole of a campaign file into *out (NUL-terminated; the caller frees it), refused unless
 * it is UTF-8 without NUL bytes and at most CAMPAIGN_FILE_MAX bytes. libfyaml is never handed
 * anything else: Debian 12's 0.8 loops forever on a '%' directive followed by a byte that is
 * not UTF-8 ("%\x89", found by tests/fuzz/fuzz_campaign_yaml). */
#define CAMPAIGN_FILE_MAX (1024 * 1024)

static cr_err read_checked(char **out, size_t *out_len, FILE *f, const char *path)
{
    char *buf = NULL, *p;
    size_t len = 0, cap = 0, n, line_len, i, k, col;
    int line = 1;
    cr_err rc;

    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            if ((p = cr_realloc(buf, cap + 1)) == NULL) {
                rc = cr_error_oom();
                goto fail;
            }
            buf = p;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > CAMPAIGN_FILE_MAX) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "%s: expected a campaign file of at most %d bytes, found more", path,
                              CAMPAIGN_FILE_MAX);
            goto fail;
        }
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: read error", path);
        goto fail;
    }
    buf[len] = '\0';
    for (p = buf; p < buf + len; p += line_len + 1, line++) {
        const char *nl = memchr(p, '\n', (size_t)(buf + len - p));
        line_len = nl ? (size_t)(nl - p) : (size_t)(buf + len - p);
        if (cr_utf8_valid(p, line_len))
            continue;
        /* the first byte that starts no UTF-8 character (or is NUL), and its column in
         * characters */
        for (i = 0, col = 1; i < line_len; i += k, col++) {
            for (k = 1; k <= 4 && i + k <= line_len && !cr_utf8_valid(p + i, k); k++)
                ;
            if (k > 4 || i + k > line_len)
                break;
        }
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s:%d:%zu: expected UTF-8 text, found the byte 0x%02x", path, line, col,
                          (unsigned char)p[i]);
        goto fail;
    }
    *out = buf;
    *out_len = len;
    return CR_OK;
fail:
    cr_free(buf);
    return rc;
}

cr_err cr_campaign_load_yaml(cr_campaign_spec **out, const char *path)
{
    struct fy_parse_cfg cfg;
    struct fy_diag_cfg dcfg;
    struct fy_diag *diag = NULL;
    cr_campaign_spec *spec = NULL;
    char *text = NULL;
    size_t len = 0;
    yaml_ctx y;
    FILE *probe;
    cr_err rc;

    *out = NULL;
    if ((probe = fopen(path, "rb")) == NULL)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_OS, "%s: cannot open", path);
    rc = read_checked(&text, &len, probe, path);
    fclose(probe);
    if (rc < 0)
        return rc;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    if ((diag = fy_diag_create(&dcfg)) == NULL)
        return cr_error_oom();
    fy_diag_set_collect_errors(diag, true);
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG;
    cfg.diag = diag;
    y.file = path;
    y.doc = fy_document_build_from_string(&cfg, text, len);
    if (y.doc == NULL) {
        void *iter = NULL;
        struct fy_diag_error *e = fy_diag_errors_iterate(diag, &iter);
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: not valid YAML: %s", path,
                          e ? e->line + 1 : 0, e ? e->column + 1 : 0, e ? e->msg : "parse error");
        goto done;
    }
    if ((rc = cr_campaign_spec_new(&spec)) < 0)
        goto done;
    snprintf(spec->source, sizeof(spec->source), "%s", path);
    if ((rc = load_root(spec, &y, fy_document_root(y.doc))) < 0)
        goto done;
    *out = spec;
    spec = NULL;
done:
    if (y.doc)
        fy_document_destroy(y.doc);
    fy_diag_destroy(diag);
    cr_campaign_spec_free(spec);
    cr_free(text);
    return rc;
}

/* ---- rules ------------------------------------------------------------------------------ */

static cr_err violation(cr_rule_cb cb,
                        void *payload,
                        int *count,
                        const char *rule,
                        int line,
                        const char *suggestion,
                        const char *fmt,
                        ...) __attribute__((format(printf, 7, 8)));

static cr_err violation(cr_rule_cb cb,
                        void *payload,
                        int *count,
                        const char *rule,
                        int line,
                        const char *suggestion,
                        const char *fmt,
                        ...)
{
    cr_rule_violation v;
    va_list ap;

    memset(&v, 0, sizeof(v));
    v.rule = rule;
    v.line = line;
    va_start(ap, fmt);
    vsnprintf(v.message, sizeof(v.message), fmt, ap);
    va_end(ap);
    snprintf(v.suggestion, sizeof(v.suggestion), "%s", suggestion ? suggestion : "");
    (*count)++;
    return cb ? cb(&v, payload) : CR_OK;
}

static const char *goal_article(cr_goal_type g)
{
    return g == CR_GOAL_AWARENESS || g == CR_GOAL_ENGAGEMENT ? "an" : "a";
}

/* "ctr, referral_sessions, session_duration or bounce_rate" */
static void primary_set(char *buf, size_t size, cr_goal_type g)
{
    size_t n, i, len = 0, found = 0, total = 0;
    const cr_kpi_def *cat = cr_kpi_catalog(&n);

    buf[0] = '\0';
    for (i = 0; i < n; i++)
        total += cr_kpi_is_primary_for(&cat[i], g);
    for (i = 0; i < n; i++) {
        if (!cr_kpi_is_primary_for(&cat[i], g))
            continue;
        found++;
        len += (size_t)snprintf(buf + len, size > len ? size - len : 0, "%s%s",
                                found == 1       ? ""
                                : found == total ? " or "
                                                 : ", ",
                                cat[i].code);
        if (len >= size)
            break;
    }
}

cr_err
cr_campaign_check_rules(const cr_campaign_spec *spec, cr_rule_cb cb, void *payload, int *count)
{
    char set[200], sug[400];
    size_t i, j, nprimary = 0;
    cr_err rc;

    *count = 0;
    if (spec->primary_goals != 1 || spec->primary_goal == CR_GOAL_NONE) {
        if ((rc = violation(cb, payload, count, "one_primary_goal", spec->line_primary_goal,
                            "name one primary goal: awareness, engagement, traffic, leads or "
                            "sales; put a second one under secondary_goal",
                            "a campaign has exactly one primary goal; this one has %d",
                            spec->primary_goals)) < 0)
            return rc;
    }
    if (spec->secondary_goals > 1) {
        if ((rc = violation(cb, payload, count, "one_secondary_goal", 0,
                            "keep the secondary goal that matters most",
                            "a campaign has at most one secondary goal; this one has %d",
                            spec->secondary_goals)) < 0)
            return rc;
    }
    if (spec->secondary_goals == 1 && spec->secondary_goal == spec->primary_goal) {
        if ((rc = violation(cb, payload, count, "secondary_differs", 0,
                            "drop secondary_goal or choose another goal type",
                            "the secondary goal repeats the primary goal (%s)",
                            cr_goal_name(spec->primary_goal))) < 0)
            return rc;
    }
    for (i = 0; i < spec->nkpis; i++) {
        const cr_campaign_kpi_spec *k = &spec->kpis[i];
        const cr_kpi_def *def = cr_kpi_find(k->code);
        for (j = 0; j < i; j++)
            if (strcmp(spec->kpis[j].code, k->code) == 0 &&
                (rc = violation(cb, payload, count, "duplicate_kpi", k->line, "list each KPI once",
                                "%s is listed twice", k->code)) < 0)
                return rc;
        if (def == NULL) {
            if ((rc = violation(cb, payload, count, "unknown_kpi", k->line,
                                "see crest kpi list for the codes", "unknown KPI code '%s'",
                                k->code)) < 0)
                return rc;
            continue;
        }
        if (!k->primary)
            continue;
        nprimary++;
        if (spec->primary_goal != CR_GOAL_NONE && !cr_kpi_is_primary_for(def, spec->primary_goal)) {
            primary_set(set, sizeof(set), spec->primary_goal);
            snprintf(sug, sizeof(sug),
                     "for %s %s goal choose primary KPIs from %s; keep %s as a "
                     "contextual KPI",
                     goal_article(spec->primary_goal), cr_goal_name(spec->primary_goal), set,
                     k->code);
            if ((rc = violation(cb, payload, count, "kpi_goal_mismatch", k->line, sug,
                                "%s (%s) is not a primary KPI for %s %s goal", k->code, def->name,
                                goal_article(spec->primary_goal),
                                cr_goal_name(spec->primary_goal))) < 0)
                return rc;
        }
    }
    if (nprimary < 2 || nprimary > 3) {
        primary_set(set, sizeof(set), spec->primary_goal);
        snprintf(sug, sizeof(sug), "%s 2 or 3 primary KPIs%s%s",
                 nprimary < 2 ? "add up to" : "keep", spec->primary_goal ? " from " : "",
                 spec->primary_goal ? set : "");
        if ((rc = violation(cb, payload, count, "primary_kpi_count", spec->line_kpis, sug,
                            "a campaign has 2 or 3 primary KPIs; this one has %zu", nprimary)) < 0)
            return rc;
    }
    return CR_OK;
}

/* ---- store ------------------------------------------------------------------------------ */

cr_err cr_campaign_save(int64_t *out_id, cr_store *st, cr_campaign_spec *spec)
{
    cr_campaign c;
    cr_campaign_kpi k;
    cr_partnership p;
    size_t i;
    int64_t id;
    const char *slash, *why, *platform;
    char handle[128];
    cr_err rc;

    memset(&c, 0, sizeof(c));
    c.name = spec->name;
    c.brand = spec->brand[0] ? spec->brand : NULL;
    c.start = spec->start;
    c.end = spec->end;
    c.evaluation = spec->evaluation;
    c.attribution_window_days = spec->attribution_window_days;
    c.emv_credit = spec->emv_credit[0] ? spec->emv_credit : NULL;
    c.budget_minor = spec->budget_minor >= 0 ? spec->budget_minor : 0;
    c.currency = spec->currency[0] ? spec->currency : NULL;
    c.status = spec->status[0] ? spec->status : "draft";
    c.primary_goal = cr_goal_name(spec->primary_goal);
    c.secondary_goal = spec->secondary_goal ? cr_goal_name(spec->secondary_goal) : NULL;
    c.objective = spec->objective[0] ? spec->objective : NULL;
    c.benchmarking = spec->benchmarking;
    if (spec->primary_goal == CR_GOAL_NONE)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s: no primary goal", spec->name);
    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = cr_store_campaign_upsert(&id, st, &c)) < 0 ||
        (rc = cr_store_campaign_kpi_clear(st, id)) < 0)
        goto fail;
    for (i = 0; i < spec->nkpis; i++) {
        const cr_campaign_kpi_spec *ks = &spec->kpis[i];
        memset(&k, 0, sizeof(k));
        k.campaign_id = id;
        k.code = ks->code;
        k.role = ks->primary ? "primary" : "contextual";
        k.target = ks->target_kind == CR_TARGET_NONE ? NAN : ks->target;
        k.target_relative = ks->target_kind == CR_TARGET_RELATIVE;
        k.baseline = ks->has_baseline ? ks->baseline : NAN;
        k.baseline_period = ks->baseline_period[0] ? ks->baseline_period : NULL;
        if ((rc = cr_store_campaign_kpi_upsert(st, &k)) < 0)
            goto fail;
    }
    for (i = 0; i < spec->npartners; i++) {
        cr_partnership_spec *ps = &spec->partners[i];
        slash = strchr(ps->creator, '/');
        platform = slash ? cr_platform_canonical(ps->creator, (size_t)(slash - ps->creator)) : NULL;
        if (platform == NULL || strlen(slash + 1) >= sizeof(handle) ||
            cr_handle_normalize(handle, slash + 1, strlen(slash + 1), &why) < 0) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "%s:%d: creator: expected platform/handle, found '%s'",
                              spec->source[0] ? spec->source : spec->name, ps->line, ps->creator);
            goto fail;
        }
        if ((rc = cr_store_creator_find(&ps->creator_id, st, platform, handle)) < 0) {
            if (rc == CR_ENOTFOUND)
                rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                  "%s:%d: creator: no creator %s/%s in the store (import it "
                                  "with `crest import creators` first)",
                                  spec->source[0] ? spec->source : spec->name, ps->line, platform,
                                  handle);
            goto fail;
        }
        memset(&p, 0, sizeof(p));
        p.campaign_id = id;
        p.creator_id = ps->creator_id;
        p.fee_minor = ps->fee_minor;
        p.product_cost_minor = ps->product_cost_minor;
        p.currency = ps->currency[0] ? ps->currency : c.currency;
        p.status = ps->status[0] ? ps->status : "contracted";
        p.promo_code = ps->promo_code[0] ? ps->promo_code : NULL;
        p.utm_content = ps->utm_content[0] ? ps->utm_content : NULL;
        if ((rc = cr_store_partnership_upsert(NULL, st, &p)) < 0)
            goto fail;
    }
    /* partnerships decide which posts, sessions and orders the campaign gets */
    if ((rc = cr_store_track_refresh(st, 0)) < 0)
        goto fail;
    if ((rc = cr_store_commit(st)) < 0)
        return rc;
    spec->id = id;
    if (out_id)
        *out_id = id;
    return CR_OK;
fail:
    cr_store_rollback(st);
    return rc;
}

static cr_err load_campaign_row(const cr_campaign *c, void *payload)
{
    cr_campaign_spec *s = payload;

    s->id = c->id;
    snprintf(s->name, sizeof(s->name), "%s", c->name);
    snprintf(s->brand, sizeof(s->brand), "%s", c->brand ? c->brand : "");
    snprintf(s->status, sizeof(s->status), "%s", c->status ? c->status : "");
    snprintf(s->objective, sizeof(s->objective), "%s", c->objective ? c->objective : "");
    s->start = c->start;
    s->end = c->end;
    s->evaluation = c->evaluation;
    s->budget_minor = c->budget_minor;
    snprintf(s->currency, sizeof(s->currency), "%s", c->currency ? c->currency : "");
    s->primary_goal = cr_goal_from_name(c->primary_goal ? c->primary_goal : "");
    s->primary_goals = s->primary_goal != CR_GOAL_NONE;
    s->secondary_goal = c->secondary_goal ? cr_goal_from_name(c->secondary_goal) : CR_GOAL_NONE;
    s->secondary_goals = s->secondary_goal != CR_GOAL_NONE;
    s->benchmarking = c->benchmarking;
    s->attribution_window_days = c->attribution_window_days;
    snprintf(s->emv_credit, sizeof(s->emv_credit), "%s", c->emv_credit ? c->emv_credit : "full");
    return CR_OK;
}

static cr_err load_kpi_row(const cr_campaign_kpi *k, void *payload)
{
    cr_campaign_spec *s = payload;
    cr_campaign_kpi_spec *ks;
    cr_err rc;

    if ((rc = cr_campaign_spec_add_kpi(&ks, s)) < 0)
        return rc;
    snprintf(ks->code, sizeof(ks->code), "%s", k->code);
    ks->primary = k->role && strcmp(k->role, "primary") == 0;
    ks->target_kind = isnan(k->target)     ? CR_TARGET_NONE
                      : k->target_relative ? CR_TARGET_RELATIVE
                                           : CR_TARGET_ABSOLUTE;
    ks->target = k->target;
    ks->has_baseline = !isnan(k->baseline);
    ks->baseline = k->baseline;
    snprintf(ks->baseline_period, sizeof(ks->baseline_period), "%s",
             k->baseline_period ? k->baseline_period : "");
    return CR_OK;
}

static cr_err load_partner_row(const cr_partnership *p, void *payload)
{
    cr_campaign_spec *s = payload;
    cr_partnership_spec *ps;
    cr_err rc;

    if ((rc = cr_campaign_spec_add_partner(&ps, s)) < 0)
        return rc;
    snprintf(ps->creator, sizeof(ps->creator), "%s/%s", p->platform, p->handle);
    ps->creator_id = p->creator_id;
    ps->fee_minor = p->fee_minor;
    ps->product_cost_minor = p->product_cost_minor;
    snprintf(ps->currency, sizeof(ps->currency), "%s", p->currency ? p->currency : "");
    snprintf(ps->promo_code, sizeof(ps->promo_code), "%s", p->promo_code ? p->promo_code : "");
    snprintf(ps->utm_content, sizeof(ps->utm_content), "%s", p->utm_content ? p->utm_content : "");
    snprintf(ps->status, sizeof(ps->status), "%s", p->status ? p->status : "");
    return CR_OK;
}

cr_err cr_campaign_load(cr_campaign_spec **out, cr_store *st, int64_t id)
{
    cr_campaign_spec *s = NULL;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_campaign_spec_new(&s)) < 0)
        return rc;
    if ((rc = cr_store_campaign_get(st, id, load_campaign_row, s)) < 0 ||
        (rc = cr_store_campaign_kpi_list(st, id, load_kpi_row, s)) < 0 ||
        (rc = cr_store_partnership_list(st, id, load_partner_row, s)) < 0) {
        cr_campaign_spec_free(s);
        return rc;
    }
    snprintf(s->source, sizeof(s->source), "campaign %lld", (long long)id);
    *out = s;
    return CR_OK;
}
