/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * stats.c - the statistics of vetting, pure and allocation-light so tests/vet/stats.c checks
 * them against values worked out by hand: medians and robust z-scores (the modified z-score
 * of Iglewicz & Hoaglin), the shrinkage of a creator's engagement rate toward its tier
 * benchmark, the component scores and their weighted composition, and the comment classes
 * (generic, folded for duplicates). docs/vetting.md states every formula. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crest/vet.h"
#include "util/alloc.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double cr_vet_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    cr_qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

cr_err cr_vet_robust_z(double *z, cr_vet_robust *out, const double *x, size_t n)
{
    double *tmp, med, mad, mean_ad = 0, scale;
    size_t i;

    if (n < 3)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE,
                            "robust z: expected at least 3 values, found %zu", n);
    if ((tmp = cr_malloc(n * sizeof(*tmp))) == NULL)
        return cr_error_oom();
    memcpy(tmp, x, n * sizeof(*tmp));
    med = cr_vet_median(tmp, n);
    for (i = 0; i < n; i++) {
        tmp[i] = fabs(x[i] - med);
        mean_ad += tmp[i];
    }
    mean_ad /= (double)n;
    mad = cr_vet_median(tmp, n);
    cr_free(tmp);
    /* MAD / 0.6745 estimates the standard deviation of a normal series; when more than half
     * the changes are equal MAD is 0 and the mean absolute deviation stands in */
    scale = mad > 0 ? mad / 0.6745 : 1.2533 * mean_ad;
    for (i = 0; i < n; i++) {
        double d = x[i] - med;
        z[i] = scale > 0 ? d / scale : d > 0 ? INFINITY : d < 0 ? -INFINITY : 0;
    }
    if (out) {
        out->median = med;
        out->mad = mad;
        out->scale = scale;
    }
    return CR_OK;
}

/* z of the standard normal's 90% quantile: the benchmark range is the prior's 80% interval */
#define Z80 1.2815515655446004
#define Z95 1.959963984540054

cr_err cr_vet_shrink(cr_vet_shrunk *out, const double *rates, size_t n, double low, double high)
{
    double mu0, tau2, mean = 0, var = 0, se2, w, post, post_sd;
    size_t i, used = 0;

    memset(out, 0, sizeof(*out));
    if (!(low > 0) || !(high >= low))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE,
                            "benchmark range: expected 0 < low <= high, found %g to %g", low, high);
    mu0 = (log(low) + log(high)) / 2;
    /* a range of one value still leaves room: at least +-10% */
    tau2 = pow(fmax((log(high) - log(low)) / (2 * Z80), 0.1 / Z80), 2);
    for (i = 0; i < n; i++)
        if (rates[i] > 0 && isfinite(rates[i])) {
            mean += log(rates[i]);
            used++;
        }
    out->prior = exp(mu0);
    out->n = used;
    if (used == 0) {
        out->estimate = out->prior;
        out->low = exp(mu0 - Z95 * sqrt(tau2));
        out->high = exp(mu0 + Z95 * sqrt(tau2));
        out->raw = NAN;
        return CR_OK;
    }
    mean /= (double)used;
    for (i = 0; i < n; i++)
        if (rates[i] > 0 && isfinite(rates[i]))
            var += pow(log(rates[i]) - mean, 2);
    /* posts of one creator vary about 0.5 on the log scale; fewer than 3 cannot say */
    var = used >= 3 ? fmax(var / (double)(used - 1), 0.25 * 0.25) : 0.25;
    se2 = var / (double)used;
    w = tau2 / (tau2 + se2);
    post = w * mean + (1 - w) * mu0;
    post_sd = sqrt(w * se2);
    out->estimate = exp(post);
    out->low = exp(post - Z95 * post_sd);
    out->high = exp(post + Z95 * post_sd);
    out->raw = exp(mean);
    out->weight = w;
    return CR_OK;
}

static const double weights[CR_VET_NCOMPONENTS] = { 0.25, 0.10, 0.25, 0.20, 0.20 };
static const char *const names[CR_VET_NCOMPONENTS] = { "engagement", "likes_comments", "growth",
                                                       "audience", "comments" };

double cr_vet_component_weight(cr_vet_component c)
{
    return c < CR_VET_NCOMPONENTS ? weights[c] : 0;
}

const char *cr_vet_component_name(cr_vet_component c)
{
    return c < CR_VET_NCOMPONENTS ? names[c] : "unknown";
}

double cr_vet_compose(const double scores[CR_VET_NCOMPONENTS])
{
    double sum = 0, wsum = 0;
    int i;

    for (i = 0; i < CR_VET_NCOMPONENTS; i++)
        if (!isnan(scores[i])) {
            sum += weights[i] * scores[i];
            wsum += weights[i];
        }
    return wsum > 0 ? sum / wsum : NAN;
}

static double clamp100(double v)
{
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

/* Full marks from the bottom of the tier's range up; proportionally less below it. */
double cr_vet_score_engagement(double er, double bench_low)
{
    if (isnan(er) || !(bench_low > 0))
        return NAN;
    return clamp100(100 * er / bench_low);
}

/* Within a factor 2 of the typical: full marks; then halving per further doubling. */
double cr_vet_score_likes_comments(double ratio, double typical)
{
    double off;

    if (!(ratio > 0) || !(typical > 0))
        return NAN;
    off = fabs(log2(ratio / typical));
    return off <= 1 ? 100 : clamp100(100 * pow(2, -(off - 1)));
}

/* 100% real audience scores 100, 75% (the level Modash calls a sign of fraud) 50, 50% 0. */
double cr_vet_score_real_share(double fake_share)
{
    if (isnan(fake_share))
        return NAN;
    return clamp100(100 * (0.5 - fake_share) / 0.5);
}

/* Spam, copied and ring comments count fully, generic ones half (people do write "nice!"). */
double cr_vet_score_comments(size_t spam, size_t dup, size_t ring, size_t generic, size_t n)
{
    double bad;

    if (n == 0)
        return NAN;
    bad = (double)(spam + dup + ring) + 0.5 * (double)generic;
    return clamp100(100 * (1 - bad / (double)n));
}

const char *cr_vet_risk_name(cr_vet_risk r)
{
    return r == CR_VET_RISK_HIGH ? "high" : r == CR_VET_RISK_MEDIUM ? "medium" : "low";
}

void cr_vet_comment_fold(char *buf, size_t size, const char *text)
{
    size_t o = 0;
    int space = 0;

    if (size == 0)
        return;
    for (; text && *text && o + 1 < size; text++) {
        unsigned char c = (unsigned char)*text;
        if (isalnum(c) || c >= 0x80) {
            /* bytes of multi-byte characters are kept except emoji and symbols (below) */
            if (space && o > 0 && o + 1 < size)
                buf[o++] = ' ';
            space = 0;
            buf[o++] = (char)tolower(c);
        } else {
            space = 1;
        }
    }
    buf[o] = '\0';
}

/* Stock words of generic praise; a comment made only of these (at most 4) says nothing about
 * the post. English only: docs/vetting.md. */
static const char *const stock_words[] = {
    "a",       "amazing",   "and",   "awesome",  "beautiful", "best",       "content", "cool",
    "cute",    "fire",      "first", "good",     "gorgeous",  "great",      "it",      "lit",
    "love",    "lovely",    "nice",  "omg",      "perfect",   "photo",      "pic",     "pics",
    "picture", "post",      "so",    "stunning", "such",      "the",        "this",    "very",
    "wow",     "wonderful", "yes",   "goals",    "insane",    "incredible", "super",   "really",
    "xd",      "lol",       "haha",  "wowww",    "wooow",
};

static int stock(const char *w, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(stock_words) / sizeof(*stock_words); i++)
        if (strlen(stock_words[i]) == len && memcmp(stock_words[i], w, len) == 0)
            return 1;
    return 0;
}

/* Emoji and pictographs (U+2190-U+2BFF arrows and symbols, U+1F000 and up) and variation
 * selectors are not words: a comment of only these is generic. */
static size_t skip_symbol(const unsigned char *s)
{
    if (s[0] == 0xE2 && s[1] >= 0x86 && s[1] <= 0xAF && s[2])
        return 3;
    if (s[0] == 0xEF && s[1] == 0xB8 && (s[2] == 0x8F || s[2] == 0x8E))
        return 3;
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8D) /* zero-width joiner */
        return 3;
    if (s[0] == 0xF0 && s[1] == 0x9F && s[2] && s[3])
        return 4;
    return 0;
}

int cr_vet_comment_generic(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    char word[32];
    size_t len = 0, words = 0;
    int other = 0;

    if (text == NULL)
        return 0;
    for (;;) {
        size_t k = *s ? skip_symbol(s) : 0;
        if (*s && (isalnum(*s) || (*s >= 0x80 && k == 0))) {
            if (len + 1 < sizeof(word))
                word[len] = (char)tolower(*s);
            len++;
            s++;
            continue;
        }
        if (len > 0) {
            /* a stretched word ("niiice", "wowww") is still the word */
            if (len >= sizeof(word) || !stock(word, len)) {
                size_t i, j = 0;
                for (i = 0; i < len && i < sizeof(word); i++)
                    if (j == 0 || word[j - 1] != word[i])
                        word[j++] = word[i];
                if (!stock(word, j))
                    other = 1;
            }
            words++;
            len = 0;
        }
        if (*s == '\0')
            break;
        s += k ? k : 1;
    }
    return !other && words <= 4;
}

/* Words and phrases of self-promotion and solicitation, folded to lower case; each matches
 * as whole words, or as a word's start when it ends in '*' ("subscri*" matches "subscribe"). */
static const char *const promo_words[] = {
    "followers",  "follow me",    "follow back", "follow for",  "f4f",     "sub4sub",
    "subscri*",   "dm",           "dms",         "inbox",       "my page", "our page",
    "my profile", "our profile",  "my channel",  "our channel", "promot*", "collab*",
    "for free",   "earn",         "earning*",    "money",       "cash",    "giveaway",
    "visit",      "check out my", "check my",    "link in bio", "click",   "http*",
    "www",        "featured",     "shoutout",    "bitcoin",     "crypto",
};

int cr_vet_comment_promotes(const char *text)
{
    char fold[512];
    const char *p;
    size_t i;

    if (text == NULL)
        return 0;
    for (p = text; *p; p++)
        if (*p == '@' || *p == '$' || strncmp(p, ".com", 4) == 0)
            return 1;
    cr_vet_comment_fold(fold, sizeof(fold), text);
    for (i = 0; i < sizeof(promo_words) / sizeof(*promo_words); i++) {
        const char *w = promo_words[i];
        size_t len = strlen(w);
        int prefix = w[len - 1] == '*';
        char stem[32];

        memcpy(stem, w, len - (size_t)prefix);
        stem[len - (size_t)prefix] = '\0';
        len = strlen(stem);
        for (p = strstr(fold, stem); p; p = strstr(p + 1, stem))
            if ((p == fold || p[-1] == ' ') && (prefix || p[len] == '\0' || p[len] == ' '))
                return 1;
    }
    return 0;
}
