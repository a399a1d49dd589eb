/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * num.c - number parsing for imports. Written by hand because strtod() accepts far more than
 * a spreadsheet cell should ("inf", hex, exponents) and none of "1,234" or "12.5K". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/num.h"

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Digits with optional ',' groups of exactly three and an optional '.' fraction. */
static cr_err
scan_decimal(double *out, int *had_fraction, const char *s, size_t len, const char **why)
{
    size_t i = 0, ndigits = 0, group = 0;
    int seen_comma = 0, neg = 0;
    double v = 0, scale = 0.1;

    *had_fraction = 0;
    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i++;
    }
    for (; i < len && s[i] != '.'; i++) {
        if (s[i] == ',') {
            if (ndigits == 0 || (seen_comma && group != 3) || (!seen_comma && group > 3)) {
                *why = "misplaced thousands separator";
                return CR_EINVALID;
            }
            seen_comma = 1;
            group = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') {
            *why = "not a number";
            return CR_EINVALID;
        }
        v = v * 10 + (s[i] - '0');
        ndigits++;
        group++;
    }
    if (seen_comma && group != 3) {
        *why = "misplaced thousands separator";
        return CR_EINVALID;
    }
    if (i < len && s[i] == '.') {
        i++;
        if (i == len && ndigits == 0) {
            *why = "not a number";
            return CR_EINVALID;
        }
        for (; i < len; i++) {
            if (s[i] < '0' || s[i] > '9') {
                *why = "not a number";
                return CR_EINVALID;
            }
            v += (s[i] - '0') * scale;
            scale /= 10;
            *had_fraction = 1;
            ndigits++;
        }
    }
    if (ndigits == 0) {
        *why = "not a number";
        return CR_EINVALID;
    }
    if (ndigits > 18) {
        *why = "number too large";
        return CR_EINVALID;
    }
    *out = neg ? -v : v;
    return CR_OK;
}

cr_err cr_parse_count(int64_t *out, const char *s, size_t len, const char **why)
{
    double v, mult = 1;
    int frac;
    char last;

    trim(&s, &len);
    if (len == 0) {
        *why = "empty";
        return CR_EINVALID;
    }
    if (len <= 15) { /* fast path: plain digits, the bulk of any export */
        int64_t iv = 0;
        size_t i;
        for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            iv = iv * 10 + (s[i] - '0');
        if (i == len) {
            *out = iv;
            return CR_OK;
        }
    }
    last = s[len - 1];
    if (last == 'k' || last == 'K')
        mult = 1e3;
    else if (last == 'm' || last == 'M')
        mult = 1e6;
    else if (last == 'b' || last == 'B')
        mult = 1e9;
    if (mult > 1) {
        len--;
        trim(&s, &len);
    }
    if (scan_decimal(&v, &frac, s, len, why) < 0)
        return CR_EINVALID;
    if (v < 0) {
        *why = "a count cannot be negative";
        return CR_EINVALID;
    }
    if (frac && mult == 1 && v != floor(v)) {
        *why = "a count must be a whole number";
        return CR_EINVALID;
    }
    v = floor(v * mult + 0.5);
    if (v > 9.0e15) {
        *why = "number too large";
        return CR_EINVALID;
    }
    *out = (int64_t)v;
    return CR_OK;
}

cr_err cr_parse_money(int64_t *out_minor, const char *s, size_t len, const char **why)
{
    double v;

    if (cr_parse_decimal(&v, s, len, why) < 0)
        return CR_EINVALID;
    if (v < 0) {
        *why = "a negative amount";
        return CR_EINVALID;
    }
    if (v > CR_AMOUNT_MAX) {
        *why = "number too large";
        return CR_EINVALID;
    }
    *out_minor = (int64_t)llround(v * 100);
    return CR_OK;
}

cr_err cr_parse_rate(double *out, const char *s, size_t len, const char **why)
{
    double v;
    int frac, pct = 0;

    trim(&s, &len);
    if (len == 0) {
        *why = "empty";
        return CR_EINVALID;
    }
    if (s[len - 1] == '%') {
        pct = 1;
        len--;
        trim(&s, &len);
    }
    if (scan_decimal(&v, &frac, s, len, why) < 0)
        return CR_EINVALID;
    if (pct)
        v /= 100;
    if (v < 0 || v > 1) {
        *why = pct ? "a percentage must be between 0% and 100%"
                   : "a rate must be a fraction from 0 to 1 or a percentage such as 3.4%";
        return CR_EINVALID;
    }
    *out = v;
    return CR_OK;
}

cr_err cr_parse_decimal(double *out, const char *s, size_t len, const char **why)
{
    int frac;

    trim(&s, &len);
    if (len == 0) {
        *why = "empty";
        return CR_EINVALID;
    }
    return scan_decimal(out, &frac, s, len, why);
}

const char *cr_fmt_compact(char *buf, size_t size, int64_t n)
{
    if (n < 0)
        snprintf(buf, size, "-");
    else if (n < 10000)
        snprintf(buf, size, "%lld", (long long)n);
    else if (n < 999950) /* from here %.1f of K would print 1000.0K */
        snprintf(buf, size, "%.1fK", n / 1e3);
    else if (n < 999950000)
        snprintf(buf, size, "%.1fM", n / 1e6);
    else
        snprintf(buf, size, "%.1fB", n / 1e9);
    return buf;
}
