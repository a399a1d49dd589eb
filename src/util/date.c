/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * date.c - civil-date arithmetic (Howard Hinnant's days_from_civil) and strict ISO 8601
 * parsing. timegm() is not in POSIX, and strptime() accepts too much, hence by hand. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/date.h"

int64_t cr_days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cr_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dim[m - 1];
}

static int take_digits(const char *s, size_t len, size_t *pos, int n, int *out)
{
    int v = 0, i;

    if (*pos + (size_t)n > len)
        return -1;
    for (i = 0; i < n; i++) {
        char c = s[*pos + (size_t)i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *pos += (size_t)n;
    *out = v;
    return 0;
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

static cr_err parse_ymd(int64_t *days, const char *s, size_t len, size_t *pos, const char **why)
{
    int y, m, d;

    if (take_digits(s, len, pos, 4, &y) < 0 || *pos >= len || s[*pos] != '-') {
        *why = "not in YYYY-MM-DD form";
        return CR_EINVALID;
    }
    (*pos)++;
    if (take_digits(s, len, pos, 2, &m) < 0 || *pos >= len || s[*pos] != '-') {
        *why = "not in YYYY-MM-DD form";
        return CR_EINVALID;
    }
    (*pos)++;
    if (take_digits(s, len, pos, 2, &d) < 0) {
        *why = "not in YYYY-MM-DD form";
        return CR_EINVALID;
    }
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        *why = "no such calendar date";
        return CR_EINVALID;
    }
    *days = cr_days_from_civil(y, m, d);
    return CR_OK;
}

cr_err cr_parse_date(int64_t *out, const char *s, size_t len, const char **why)
{
    int64_t days;
    size_t pos = 0;

    trim(&s, &len);
    if (parse_ymd(&days, s, len, &pos, why) < 0)
        return CR_EINVALID;
    if (pos != len) {
        *why = "not in YYYY-MM-DD form";
        return CR_EINVALID;
    }
    *out = days * 86400;
    return CR_OK;
}

cr_err cr_parse_datetime(int64_t *out, const char *s, size_t len, const char **why)
{
    int64_t days, secs = 0;
    size_t pos = 0;
    int hh, mm, ss = 0, oh, om, sign;
    static const char *bad = "not an ISO date-time (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])";

    trim(&s, &len);
    if (parse_ymd(&days, s, len, &pos, why) < 0)
        return CR_EINVALID;
    if (pos == len)
        goto done;
    if (s[pos] != 'T' && s[pos] != ' ')
        goto fail;
    pos++;
    if (take_digits(s, len, &pos, 2, &hh) < 0 || pos >= len || s[pos] != ':')
        goto fail;
    pos++;
    if (take_digits(s, len, &pos, 2, &mm) < 0)
        goto fail;
    if (pos < len && s[pos] == ':') {
        pos++;
        if (take_digits(s, len, &pos, 2, &ss) < 0)
            goto fail;
        if (pos < len && s[pos] == '.') {
            size_t digits = ++pos;
            while (pos < len && s[pos] >= '0' && s[pos] <= '9')
                pos++;
            if (pos == digits) /* a '.' needs at least one digit after it */
                goto fail;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60) {
        *why = "no such time of day";
        return CR_EINVALID;
    }
    secs = hh * 3600 + mm * 60 + ss;
    if (pos < len && (s[pos] == 'Z' || s[pos] == 'z')) {
        pos++;
    } else if (pos < len && (s[pos] == '+' || s[pos] == '-')) {
        sign = s[pos] == '-' ? -1 : 1;
        pos++;
        if (take_digits(s, len, &pos, 2, &oh) < 0)
            goto fail;
        if (pos < len && s[pos] == ':')
            pos++;
        if (take_digits(s, len, &pos, 2, &om) < 0 || oh > 14 || om > 59)
            goto fail;
        secs -= sign * (oh * 3600 + om * 60);
    }
    if (pos != len)
        goto fail;
done:
    *out = days * 86400 + secs;
    return CR_OK;
fail:
    *why = bad;
    return CR_EINVALID;
}

const char *cr_fmt_date(char *buf, size_t size, int64_t t)
{
    int y, m, d;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;

    cr_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return buf;
}

const char *cr_fmt_datetime(char *buf, size_t size, int64_t t)
{
    int y, m, d;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;

    cr_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    return buf;
}

/* Quarters, halves, months and years: "2027-Q3" -> [2027-07-01, 2027-09-30]. */
cr_err cr_period_bounds(int64_t *start, int64_t *end, const char *p)
{
    int y, n;
    char c;
    int64_t d0, d1;

    if (sscanf(p, "%4d-Q%1d%c", &y, &n, &c) == 2 && n >= 1 && n <= 4) {
        d0 = cr_days_from_civil(y, 3 * n - 2, 1);
        d1 = n == 4 ? cr_days_from_civil(y + 1, 1, 1) : cr_days_from_civil(y, 3 * n + 1, 1);
    } else if (sscanf(p, "%4d-H%1d%c", &y, &n, &c) == 2 && n >= 1 && n <= 2) {
        d0 = cr_days_from_civil(y, n == 1 ? 1 : 7, 1);
        d1 = n == 1 ? cr_days_from_civil(y, 7, 1) : cr_days_from_civil(y + 1, 1, 1);
    } else if (strlen(p) == 7 && sscanf(p, "%4d-%2d%c", &y, &n, &c) == 2 && n >= 1 && n <= 12) {
        d0 = cr_days_from_civil(y, n, 1);
        d1 = n == 12 ? cr_days_from_civil(y + 1, 1, 1) : cr_days_from_civil(y, n + 1, 1);
    } else if (strlen(p) == 4 && sscanf(p, "%4d%c", &y, &c) == 1) {
        d0 = cr_days_from_civil(y, 1, 1);
        d1 = cr_days_from_civil(y + 1, 1, 1);
    } else {
        return CR_EINVALID;
    }
    if (y < 1900 || y > 2999)
        return CR_EINVALID;
    *start = d0 * 86400;
    *end = (d1 - 1) * 86400;
    return CR_OK;
}

int64_t cr_now(void)
{
    return (int64_t)time(NULL);
}
