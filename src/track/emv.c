/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * emv.c - the media value (EMV) of a post: its latest metrics times the unit values of a
 * rate card, with the calculation written out, and the credit share when a campaign splits
 * a post that names several brands between them.
 *
 * A brand counts as named when the caption has it as @brand or #brand (letters and digits
 * compared case-insensitively, so "@acme_co" names "Acme Co.") or as the whole words of its
 * name ("Acme Co" in "new Acme Co shoes", not in "AcmeCorp"). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crest/track.h"

typedef struct {
    const char *name;
    int64_t value;
} metric_value;

/* Appends to the log, always NUL-terminated; a log too long for the buffer ends in "...". */
typedef struct {
    char *buf;
    size_t size, len;
} log_buf;

static void log_put(log_buf *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_put(log_buf *l, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (l->len + 1 >= l->size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(l->buf + l->len, l->size - l->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= l->size - l->len) {
        l->len = l->size - 1;
        if (l->size > 4)
            memcpy(l->buf + l->size - 4, "...", 4);
        return;
    }
    l->len += (size_t)n;
}

/* 12000 -> "12,000" */
static const char *fmt_int(char *buf, size_t size, int64_t v)
{
    char digits[32];
    size_t n, i, o = 0;
    int neg = v < 0;

    snprintf(digits, sizeof(digits), "%lld", (long long)(neg ? -v : v));
    n = strlen(digits);
    if (neg && o + 1 < size)
        buf[o++] = '-';
    for (i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

/* Lower-case letters and digits (and non-ASCII bytes) of s: the form a tag is compared in. */
static void tag_key(char *out, size_t size, const char *s, size_t len)
{
    size_t i, o = 0;

    for (i = 0; i < len && o + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            out[o++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

static int names_brand(const char *caption, const char *brand)
{
    char key[128], tag[128];
    size_t blen = strlen(brand), i, j;
    const char *p;

    tag_key(key, sizeof(key), brand, blen);
    if (key[0] == '\0' || caption == NULL)
        return 0;
    for (p = caption; *p; p++) {
        if (*p != '@' && *p != '#')
            continue;
        for (j = 1; p[j] && (is_word_byte((unsigned char)p[j]) || p[j] == '.'); j++)
            ;
        tag_key(tag, sizeof(tag), p + 1, j - 1);
        if (strcmp(tag, key) == 0)
            return 1;
    }
    /* the name as whole words */
    for (i = 0; caption[i]; i++) {
        if (i > 0 && is_word_byte((unsigned char)caption[i - 1]))
            continue;
        if (strncasecmp(caption + i, brand, blen) == 0 &&
            !is_word_byte((unsigned char)caption[i + blen]))
            return 1;
    }
    return 0;
}

void cr_emv_post(cr_emv *out,
                 const cr_rate_card *rc,
                 const cr_post_rollup *p,
                 const char *const *brands,
                 size_t nbrands,
                 const char *own_brand,
                 int split)
{
    const metric_value metrics[] = {
        { "impressions", p->impressions },
        { "reach", p->reach },
        { "views", p->views },
        { "likes", p->likes },
        { "comments", p->comments },
        { "shares", p->shares },
        { "saves", p->saves },
        { "clicks", p->clicks },
        { "watch_seconds", p->watch_seconds },
    };
    char num[32], norate[200] = "", unreported[200] = "", named[300] = "";
    char own_key[128], key[128], other[128];
    log_buf l = { out->log, sizeof(out->log), 0 };
    size_t i, j, nterms = 0;
    double full = 0;

    memset(out, 0, sizeof(*out));
    out->credit = 1;
    out->nbrands = 1;
    if (p->captured_at == 0) {
        log_put(&l, "no metrics yet: 0.00 %s", rc->currency);
    } else {
        for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
            double rate = cr_rate_card_rate(rc, p->platform, metrics[i].name);
            int64_t v = metrics[i].value;
            if (isnan(rate)) {
                if (v > 0)
                    snprintf(norate + strlen(norate), sizeof(norate) - strlen(norate), "%s%s",
                             norate[0] ? ", " : "", metrics[i].name);
                continue;
            }
            if (v == CR_COUNT_NONE) {
                snprintf(unreported + strlen(unreported), sizeof(unreported) - strlen(unreported),
                         "%s%s", unreported[0] ? ", " : "", metrics[i].name);
                continue;
            }
            log_put(&l, "%s%s %s x %g = %.2f", nterms ? "; " : "", metrics[i].name,
                    fmt_int(num, sizeof(num), v), rate, (double)v * rate);
            full += (double)v * rate;
            nterms++;
        }
        if (nterms == 0)
            log_put(&l, "no metric of this post has a rate for %s",
                    p->platform ? p->platform : "its platform");
        else if (nterms > 1)
            log_put(&l, "; total %.2f %s", full, rc->currency);
        else
            log_put(&l, " %s", rc->currency);
        if (norate[0])
            log_put(&l, "; no rate for %s: %s", p->platform ? p->platform : "its platform", norate);
        if (unreported[0])
            log_put(&l, "; not reported: %s", unreported);
    }
    out->full_minor = full * 100.0;
    if (split) {
        tag_key(own_key, sizeof(own_key), own_brand ? own_brand : "",
                own_brand ? strlen(own_brand) : 0);
        snprintf(named, sizeof(named), "%s", own_brand ? own_brand : "");
        for (i = 0; i < nbrands && brands; i++) {
            if (brands[i] == NULL)
                continue;
            tag_key(key, sizeof(key), brands[i], strlen(brands[i]));
            if (key[0] == '\0' || strcmp(key, own_key) == 0)
                continue;
            for (j = 0; j < i; j++) {
                if (brands[j] == NULL)
                    continue;
                tag_key(other, sizeof(other), brands[j], strlen(brands[j]));
                if (strcmp(other, key) == 0)
                    break;
            }
            if (j < i || !names_brand(p->caption, brands[i]))
                continue;
            out->nbrands++;
            snprintf(named + strlen(named), sizeof(named) - strlen(named), ", %s", brands[i]);
        }
        out->credit = 1.0 / (double)out->nbrands;
        if (out->nbrands > 1)
            log_put(&l, "; split between %zu brands the post names (%s): %.2f / %zu = %.2f",
                    out->nbrands, named, full, out->nbrands, full / (double)out->nbrands);
        else
            log_put(&l, "; split credit: the post names no other brand, full value");
    }
    out->value_minor = out->full_minor * out->credit;
}
