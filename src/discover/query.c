/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * query.c - a discovery query's fields: one setter checks every value whatever its source
 * (CLI flags, the API's query string, a saved search), and the canonical text form is what a
 * saved search stores and reads back through the same setter. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/discover.h"
#include "discover/vec.h"
#include "util/alloc.h"
#include "util/num.h"
#include "util/str.h"
#include "util/text.h"

/* The fields in canonical order; limit and offset last (not saved). */
static const char *const fields[] = {
    "like",        "topic",         "platform",          "tier",
    "tier_scheme", "min_followers", "max_followers",     "min_er",
    "max_er",      "er_by",         "country",           "age",
    "gender",      "language",      "min_quality",       "min_fee",
    "max_fee",     "not_in",        "include_opted_out", "campaign",
    "limit",       "offset",
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
#define NSAVED  (NFIELDS - 2)

void cr_discover_query_init(cr_discover_query *q)
{
    memset(q, 0, sizeof(*q));
    q->version = CR_DISCOVER_QUERY_VERSION;
    q->min_followers = q->max_followers = -1;
    q->min_er = q->max_er = NAN;
    q->country_share = q->age_share = q->gender_share = 0;
    q->min_quality = NAN;
    q->min_fee_minor = q->max_fee_minor = -1;
    q->limit = 20;
}

void cr_discover_query_dispose(cr_discover_query *q)
{
    size_t i;

    if (q == NULL)
        return;
    cr_free(q->platform);
    cr_free(q->topic);
    cr_free(q->tier);
    cr_free(q->tier_scheme);
    cr_free(q->er_by);
    cr_free(q->country);
    cr_free(q->age);
    cr_free(q->gender);
    cr_free(q->language);
    cr_free(q->not_in);
    cr_free(q->campaign);
    cr_free(q->like);
    for (i = 0; i < sizeof(q->raw) / sizeof(q->raw[0]); i++)
        cr_free(q->raw[i]);
    cr_discover_query_init(q);
}

static cr_err bad(const char *field, const char *expected, const char *value)
{
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "field '%s': expected %s, found '%s'",
                        field, expected, value);
}

static cr_err put(char **slot, const char *value)
{
    char *s = cr_strdup(value);

    if (s == NULL)
        return cr_error_oom();
    cr_free(*slot);
    *slot = s;
    return CR_OK;
}

/* "KEY" or "KEY:SHARE" */
static cr_err
keyed_share(char **key, double *share, const char *field, const char *value, int upper)
{
    const char *colon = strchr(value, ':');
    size_t klen = colon ? (size_t)(colon - value) : strlen(value), i;
    char buf[16];
    const char *why;
    cr_err rc;

    if (klen == 0 || klen >= sizeof(buf))
        return bad(field, "KEY or KEY:SHARE (\"US:0.3\", \"18-24:25%\")", value);
    for (i = 0; i < klen; i++)
        buf[i] =
            upper ? (char)toupper((unsigned char)value[i]) : (char)tolower((unsigned char)value[i]);
    buf[klen] = '\0';
    if (upper && (klen != 2 || !isalpha((unsigned char)buf[0]) || !isalpha((unsigned char)buf[1])))
        return bad(field, "a two-letter country code, optionally with :SHARE", value);
    *share = 0;
    if (colon && cr_parse_rate(share, colon + 1, strlen(colon + 1), &why) < 0) {
        double d;
        /* "0.3" is a fraction; "30%" a percentage: cr_parse_rate takes both */
        if (cr_parse_decimal(&d, colon + 1, strlen(colon + 1), &why) < 0 || d < 0 || d > 1)
            return bad(field, "a share between 0 and 1 (or 0%-100%) after ':'", value);
        *share = d;
    }
    if ((rc = put(key, buf)) < 0)
        return rc;
    return CR_OK;
}

static cr_err money(int64_t *out, const char *field, const char *value)
{
    const char *why;

    if (cr_parse_money(out, value, strlen(value), &why) < 0)
        return bad(field, "an amount in major units (1200 or 1,200.50)", value);
    return CR_OK;
}

static int field_index(const char *field)
{
    size_t i;

    for (i = 0; i < NFIELDS; i++)
        if (strcmp(fields[i], field) == 0)
            return (int)i;
    return -1;
}

cr_err cr_discover_query_set(cr_discover_query *q, const char *field, const char *value)
{
    int at = field_index(field);
    const char *why;
    cr_err rc = CR_OK;

    if (at < 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "unknown field '%s' (expected one of like, topic, platform, "
                            "tier, tier_scheme, min_followers, max_followers, min_er, max_er, "
                            "er_by, country, age, gender, language, min_quality, min_fee, "
                            "max_fee, not_in, include_opted_out, campaign, limit, offset)",
                            field);
    if (value == NULL)
        value = "";
    if (strcmp(field, "platform") == 0) {
        const char *p = cr_platform_canonical(value, strlen(value));
        if (p == NULL)
            return bad(field, cr_platform_list(), value);
        rc = put(&q->platform, p);
    } else if (strcmp(field, "topic") == 0) {
        cr_str w;
        cr_str_init(&w, 0);
        rc = cr_discover__words(&w, value, strlen(value));
        if (rc == CR_OK && w.len == 0)
            rc = bad(field, "words of two or more letters (not only stop words)", value);
        if (rc == CR_OK)
            rc = put(&q->topic, cr_str_cstr(&w));
        cr_str_dispose(&w);
    } else if (strcmp(field, "min_followers") == 0 || strcmp(field, "max_followers") == 0) {
        int64_t n;
        if (cr_parse_count(&n, value, strlen(value), &why) < 0)
            return bad(field, "a follower count (12000, 12,000 or 12K)", value);
        *(field[1] == 'i' ? &q->min_followers : &q->max_followers) = n;
    } else if (strcmp(field, "tier") == 0 || strcmp(field, "tier_scheme") == 0 ||
               strcmp(field, "not_in") == 0 || strcmp(field, "campaign") == 0 ||
               strcmp(field, "like") == 0) {
        char **slot = strcmp(field, "tier") == 0          ? &q->tier
                      : strcmp(field, "tier_scheme") == 0 ? &q->tier_scheme
                      : strcmp(field, "not_in") == 0      ? &q->not_in
                      : strcmp(field, "campaign") == 0    ? &q->campaign
                                                          : &q->like;
        if (*value == '\0')
            return bad(field, "a value", value);
        rc = put(slot, value);
    } else if (strcmp(field, "min_er") == 0 || strcmp(field, "max_er") == 0) {
        double d;
        if (cr_parse_rate(&d, value, strlen(value), &why) < 0)
            return bad(field, "an engagement rate (3.5% or 0.035)", value);
        *(field[1] == 'i' ? &q->min_er : &q->max_er) = d;
    } else if (strcmp(field, "er_by") == 0) {
        if (strcmp(value, "reach") != 0 && strcmp(value, "followers") != 0)
            return bad(field, "reach or followers", value);
        rc = put(&q->er_by, value);
    } else if (strcmp(field, "country") == 0) {
        rc = keyed_share(&q->country, &q->country_share, field, value, 1);
    } else if (strcmp(field, "age") == 0) {
        rc = keyed_share(&q->age, &q->age_share, field, value, 0);
    } else if (strcmp(field, "gender") == 0) {
        rc = keyed_share(&q->gender, &q->gender_share, field, value, 0);
    } else if (strcmp(field, "language") == 0) {
        char buf[16];
        snprintf(buf, sizeof(buf), "%s", value);
        if (strlen(value) >= sizeof(buf) || cr_language_check(buf, strlen(buf), &why) < 0)
            return bad(field, "an ISO 639-1 code (en, pt-BR)", value);
        rc = put(&q->language, buf);
    } else if (strcmp(field, "min_quality") == 0) {
        double d;
        if (cr_parse_decimal(&d, value, strlen(value), &why) < 0 || d < 0 || d > 100)
            return bad(field, "an audience quality score from 0 to 100", value);
        q->min_quality = d;
    } else if (strcmp(field, "min_fee") == 0) {
        rc = money(&q->min_fee_minor, field, value);
    } else if (strcmp(field, "max_fee") == 0) {
        rc = money(&q->max_fee_minor, field, value);
    } else if (strcmp(field, "include_opted_out") == 0) {
        if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 || strcmp(value, "yes") == 0)
            q->include_opted_out = 1;
        else if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0 || strcmp(value, "no") == 0)
            q->include_opted_out = 0;
        else
            return bad(field, "1 or 0 (true or false)", value);
    } else if (strcmp(field, "limit") == 0 || strcmp(field, "offset") == 0) {
        int64_t n;
        int lim = field[0] == 'l';
        if (cr_parse_count(&n, value, strlen(value), &why) < 0 || (lim && (n < 1 || n > 500)))
            return bad(field, lim ? "a number from 1 to 500" : "a number of 0 or more", value);
        *(lim ? &q->limit : &q->offset) = n;
    }
    if (rc == CR_OK)
        rc = put(&q->raw[at], value);
    return rc;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* percent-decoding, '+' as a blank */
static cr_err decode(cr_str *out, const char *s, size_t len)
{
    size_t i;
    cr_err rc = CR_OK;

    cr_str_clear(out);
    rc = cr_str_puts(out, "");
    for (i = 0; i < len && rc == CR_OK; i++) {
        if (s[i] == '+')
            rc = cr_str_putc(out, ' ');
        else if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            rc = cr_str_putc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else
            rc = cr_str_putc(out, s[i]);
    }
    return rc;
}

cr_err cr_discover_query_parse(cr_discover_query *q, const char *text)
{
    const char *p = text;
    cr_str key, val;
    cr_err rc = CR_OK;

    cr_str_init(&key, 4096);
    cr_str_init(&val, 4096);
    while (p && *p && rc == CR_OK) {
        const char *e = strchr(p, '&'), *eq;
        size_t len = e ? (size_t)(e - p) : strlen(p);
        eq = memchr(p, '=', len);
        if (len > 0) {
            if ((rc = decode(&key, p, eq ? (size_t)(eq - p) : len)) == CR_OK &&
                (rc = decode(&val, eq ? eq + 1 : p + len, eq ? len - (size_t)(eq - p) - 1 : 0)) ==
                    CR_OK)
                rc = cr_discover_query_set(q, cr_str_cstr(&key), cr_str_cstr(&val));
        }
        p = e ? e + 1 : NULL;
    }
    cr_str_dispose(&key);
    cr_str_dispose(&val);
    return rc;
}

cr_err cr_discover_query_text(char **out, const cr_discover_query *q)
{
    cr_str s;
    size_t i;
    cr_err rc = CR_OK;

    *out = NULL;
    cr_str_init(&s, 0);
    rc = cr_str_puts(&s, "");
    for (i = 0; i < NSAVED && rc == CR_OK; i++) {
        const unsigned char *v = (const unsigned char *)q->raw[i];
        if (v == NULL)
            continue;
        rc = cr_str_printf(&s, "%s%s=", s.len ? "&" : "", fields[i]);
        for (; *v && rc == CR_OK; v++) {
            if (isalnum(*v) || strchr("-_.~:@/,%", *v) != NULL)
                rc = *v == '%' ? cr_str_puts(&s, "%25") : cr_str_putc(&s, (char)*v);
            else if (*v == ' ')
                rc = cr_str_putc(&s, '+');
            else
                rc = cr_str_printf(&s, "%%%02X", *v);
        }
    }
    if (rc == CR_OK)
        *out = cr_str_detach(&s);
    cr_str_dispose(&s);
    return rc;
}
