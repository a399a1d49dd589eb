/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * vec.c - the arithmetic of discovery (see vec.h). Words are cut with utf8proc's character
 * categories, so "Café" and "CAFÉ" are one word in any script; the search index is fed the
 * normalized text, which is why SQLite's FTS5 and PostgreSQL's 'simple' configuration see the
 * same words as the ranking does. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "discover/vec.h"
#include "util/alloc.h"

/* Small English stop list: words that say nothing about a creator's topics. */
static const char *const stop_words[] = {
    "about", "after", "all",   "also", "an",   "and",   "any",  "are",  "as",   "at",
    "be",    "been",  "but",   "by",   "can",  "do",    "for",  "from", "get",  "had",
    "has",   "have",  "he",    "her",  "his",  "how",   "if",   "in",   "into", "is",
    "it",    "its",   "just",  "me",   "more", "my",    "new",  "no",   "not",  "now",
    "of",    "on",    "one",   "or",   "our",  "out",   "she",  "so",   "some", "than",
    "that",  "the",   "their", "them", "then", "there", "they", "this", "to",   "up",
    "us",    "was",   "we",    "what", "when", "who",   "will", "with", "you",  "your",
};

static int is_stop(const char *w, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
        if (strlen(stop_words[i]) == len && memcmp(stop_words[i], w, len) == 0)
            return 1;
    return 0;
}

static int is_word_char(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return 1;
    default:
        return 0;
    }
}

static cr_err end_word(cr_str *out, size_t start, size_t chars, int all_digits)
{
    const char *w = cr_str_cstr(out) + start;
    size_t len = out->len - start;

    if (chars < 2 || all_digits || is_stop(w, len)) {
        out->len = start > 0 ? start - 1 : 0; /* drop the word and its blank */
        out->ptr[out->len] = '\0';
    }
    return CR_OK;
}

cr_err cr_discover__words(cr_str *out, const char *text, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    size_t at = 0, start = 0, chars = 0;
    int in_word = 0, all_digits = 1;
    cr_err rc;

    while (at < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + at, (utf8proc_ssize_t)(len - at), &cp);
        if (n <= 0) { /* invalid byte: a separator */
            n = 1;
            cp = ' ';
        }
        at += (size_t)n;
        if (is_word_char(cp)) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t m;
            if (!in_word) {
                if (out->len > 0 && (rc = cr_str_putc(out, ' ')) < 0)
                    return rc;
                start = out->len;
                chars = 0;
                all_digits = 1;
                in_word = 1;
            }
            if (utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
                all_digits = 0;
            m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            if ((rc = cr_str_put(out, (const char *)enc, (size_t)m)) < 0)
                return rc;
            chars++;
        } else if (in_word) {
            in_word = 0;
            end_word(out, start, chars, all_digits);
        }
    }
    if (in_word)
        end_word(out, start, chars, all_digits);
    return CR_OK;
}

/* ---- bags ---------------------------------------------------------------------------------- */

void cr_bag_init(cr_bag *b)
{
    memset(b, 0, sizeof(*b));
}

void cr_bag_dispose(cr_bag *b)
{
    cr_free(b->terms);
    memset(b, 0, sizeof(*b));
}

static int cmp_word(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    return c != 0 ? c : (alen < blen ? -1 : alen > blen);
}

static int cmp_term(const void *x, const void *y)
{
    const cr_bag_term *a = x, *b = y;

    return cmp_word(a->word, a->len, b->word, b->len);
}

cr_err cr_bag_fill(cr_bag *b, const char *text)
{
    const char *p = text;
    size_t i, j;

    b->n = 0;
    b->total = 0;
    while (*p) {
        const char *e;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        for (e = p; *e && *e != ' '; e++)
            ;
        if (b->n == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 32;
            cr_bag_term *t = cr_realloc(b->terms, cap * sizeof(*t));
            if (t == NULL)
                return cr_error_oom();
            b->terms = t;
            b->cap = cap;
        }
        b->terms[b->n].word = p;
        b->terms[b->n].len = (size_t)(e - p);
        b->terms[b->n].count = 1;
        b->terms[b->n].weight = 0;
        b->n++;
        b->total++;
        p = e;
    }
    if (b->n > 1)
        cr_qsort(b->terms, b->n, sizeof(*b->terms), cmp_term);
    for (i = 0, j = 0; i < b->n; i++) {
        if (j > 0 && cmp_term(&b->terms[j - 1], &b->terms[i]) == 0)
            b->terms[j - 1].count++;
        else
            b->terms[j++] = b->terms[i];
    }
    b->n = j;
    return CR_OK;
}

static const cr_bag_term *bag_find(const cr_bag *b, const char *word, size_t len)
{
    size_t lo = 0, hi = b->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_word(b->terms[mid].word, b->terms[mid].len, word, len);
        if (c == 0)
            return &b->terms[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int64_t cr_bag_count(const cr_bag *b, const char *word, size_t len)
{
    const cr_bag_term *t = bag_find(b, word, len);

    return t ? t->count : 0;
}

double cr_discover__idf(int64_t n_docs, int64_t df)
{
    if (df < 1)
        df = 1;
    if (n_docs < df)
        n_docs = df;
    return log(1.0 + (double)n_docs / (double)df);
}

double cr_discover__relevance(const cr_bag *doc, const cr_bag *words, const double *idf)
{
    double sum = 0, norm = 0;
    size_t i;

    for (i = 0; i < words->n; i++) {
        double tf = (double)cr_bag_count(doc, words->terms[i].word, words->terms[i].len);
        sum += idf[i] * tf / (tf + 1.2);
        norm += idf[i];
    }
    return norm > 0 ? sum / norm : 0;
}

void cr_discover__tfidf(cr_bag *b, cr_idf_fn idf_of, void *payload)
{
    double len2 = 0;
    size_t i;

    for (i = 0; i < b->n; i++) {
        cr_bag_term *t = &b->terms[i];
        t->weight = (1.0 + log((double)t->count)) * idf_of(t->word, t->len, payload);
        len2 += t->weight * t->weight;
    }
    if (len2 > 0)
        for (i = 0; i < b->n; i++)
            b->terms[i].weight /= sqrt(len2);
}

double cr_discover__cosine(const cr_bag *a, const cr_bag *b)
{
    size_t i = 0, j = 0;
    double dot = 0;

    while (i < a->n && j < b->n) {
        int c = cmp_term(&a->terms[i], &b->terms[j]);
        if (c == 0)
            dot += a->terms[i++].weight * b->terms[j++].weight;
        else if (c < 0)
            i++;
        else
            j++;
    }
    return dot;
}

/* ---- audiences ----------------------------------------------------------------------------- */

void cr_audience_init(cr_audience *a)
{
    memset(a, 0, sizeof(*a));
}

void cr_audience_dispose(cr_audience *a)
{
    cr_free(a->s);
    memset(a, 0, sizeof(*a));
}

static cr_err audience_put(cr_audience *a, const char *dim, const char *key, size_t klen, double v)
{
    size_t i;

    for (i = 0; i < a->n; i++)
        if (strcmp(a->s[i].dim, dim) == 0 && strlen(a->s[i].key) == klen &&
            memcmp(a->s[i].key, key, klen) == 0) {
            a->s[i].share = v;
            return CR_OK;
        }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        cr_audience_share *s = cr_realloc(a->s, cap * sizeof(*s));
        if (s == NULL)
            return cr_error_oom();
        a->s = s;
        a->cap = cap;
    }
    memset(&a->s[a->n], 0, sizeof(a->s[a->n]));
    snprintf(a->s[a->n].dim, sizeof(a->s[a->n].dim), "%s", dim);
    memcpy(a->s[a->n].key, key, klen);
    a->s[a->n].key[klen] = '\0';
    a->s[a->n].share = v;
    a->n++;
    return CR_OK;
}

static _Thread_local char why_buf[160];

cr_err cr_audience_add_list(cr_audience *a, const char *dim, const char *list, const char **why)
{
    const char *p = list;
    double sum = 0;

    while (*p) {
        const char *e = p, *colon = NULL;
        char key[16], num[32], *end;
        size_t klen, nlen, k;
        double v;
        while (*e && *e != ';')
            e++;
        for (colon = p; colon < e && *colon != ':'; colon++)
            ;
        while (p < colon && *p == ' ')
            p++;
        klen = (size_t)(colon - p);
        while (klen > 0 && p[klen - 1] == ' ')
            klen--;
        if (colon == e || klen == 0 || klen >= sizeof(key)) {
            snprintf(why_buf, sizeof(why_buf),
                     "expected KEY:SHARE entries separated by ';', found '%.*s'", (int)(e - p), p);
            *why = why_buf;
            return CR_EINVALID;
        }
        for (k = 0; k < klen; k++)
            key[k] = strcmp(dim, "country") == 0 ? (char)toupper((unsigned char)p[k])
                                                 : (char)tolower((unsigned char)p[k]);
        key[klen] = '\0';
        if (strcmp(dim, "country") == 0 &&
            (klen != 2 || !isalpha((unsigned char)key[0]) || !isalpha((unsigned char)key[1]))) {
            snprintf(why_buf, sizeof(why_buf), "expected a two-letter country code, found '%s'",
                     key);
            *why = why_buf;
            return CR_EINVALID;
        }
        nlen = (size_t)(e - colon - 1);
        if (nlen == 0 || nlen >= sizeof(num)) {
            snprintf(why_buf, sizeof(why_buf), "expected a share after '%s:', found '%.*s'", key,
                     (int)nlen, colon + 1);
            *why = why_buf;
            return CR_EINVALID;
        }
        memcpy(num, colon + 1, nlen);
        num[nlen] = '\0';
        v = strtod(num, &end);
        while (*end == ' ')
            end++;
        if (*end == '%') {
            v /= 100;
            end++;
        }
        while (*end == ' ')
            end++;
        if (end == num || *end != '\0' || !(v >= 0 && v <= 1)) {
            snprintf(why_buf, sizeof(why_buf),
                     "expected a share of '%s' between 0 and 1 (or 0%%-100%%), found '%s'", key,
                     num);
            *why = why_buf;
            return CR_EINVALID;
        }
        sum += v;
        if (audience_put(a, dim, key, klen, v) < 0)
            return cr_error_oom();
        p = *e ? e + 1 : e;
    }
    if (sum > 1.01) {
        snprintf(why_buf, sizeof(why_buf), "expected %s shares that sum to at most 1, found %.2f",
                 dim, sum);
        *why = why_buf;
        return CR_EINVALID;
    }
    return CR_OK;
}

/* The JSON this module writes, read back: {"dim":{"key":number,...},...}. */
cr_err cr_audience_parse_json(cr_audience *a, const char *json)
{
    const char *p = json;
    char dim[8] = "";
    int depth = 0;
    cr_err rc;

    while (p && *p) {
        if (*p == '{') {
            depth++;
            p++;
        } else if (*p == '}') {
            depth--;
            p++;
        } else if (*p == '"') {
            const char *s = ++p, *e = strchr(s, '"');
            size_t len;
            if (e == NULL)
                break;
            len = (size_t)(e - s);
            p = e + 1;
            while (*p == ' ' || *p == ':')
                p++;
            if (depth == 1) {
                snprintf(dim, sizeof(dim), "%.*s", (int)len, s);
            } else if (depth == 2 && len < sizeof(a->s[0].key)) {
                char *end;
                double v = strtod(p, &end);
                if (end != p) {
                    if ((rc = audience_put(a, dim, s, len, v)) < 0)
                        return rc;
                    p = end;
                }
            }
        } else {
            p++;
        }
    }
    return CR_OK;
}

cr_err cr_audience_json(cr_str *out, const cr_audience *a)
{
    static const char *const dims[] = { "country", "age", "gender" };
    size_t d, i;
    int first_dim = 1;
    cr_err rc = cr_str_putc(out, '{');

    for (d = 0; d < 3 && rc == CR_OK; d++) {
        int first = 1;
        for (i = 0; i < a->n && rc == CR_OK; i++) {
            if (strcmp(a->s[i].dim, dims[d]) != 0)
                continue;
            if (first)
                rc = cr_str_printf(out, "%s\"%s\":{", first_dim ? "" : ",", dims[d]);
            if (rc == CR_OK)
                rc = cr_str_printf(out, "%s\"%s\":%.4g", first ? "" : ",", a->s[i].key,
                                   a->s[i].share);
            first = 0;
            first_dim = 0;
        }
        if (!first && rc == CR_OK)
            rc = cr_str_putc(out, '}');
    }
    return rc == CR_OK ? cr_str_putc(out, '}') : rc;
}

double cr_audience_share_of(const cr_audience *a, const char *dim, const char *key)
{
    size_t i;
    int seen = 0;

    for (i = 0; i < a->n; i++) {
        if (strcmp(a->s[i].dim, dim) != 0)
            continue;
        seen = 1;
        if (strcmp(a->s[i].key, key) == 0)
            return a->s[i].share;
    }
    return seen ? 0 : -1;
}

double cr_audience_cosine(const cr_audience *a, const cr_audience *b)
{
    static const char *const dims[] = { "country", "age", "gender" };
    double total = 0;
    size_t d, i;
    int shared = 0;

    for (d = 0; d < 3; d++) {
        double dot = 0, na = 0, nb = 0;
        for (i = 0; i < a->n; i++)
            if (strcmp(a->s[i].dim, dims[d]) == 0) {
                double sb = cr_audience_share_of(b, dims[d], a->s[i].key);
                na += a->s[i].share * a->s[i].share;
                if (sb > 0)
                    dot += a->s[i].share * sb;
            }
        for (i = 0; i < b->n; i++)
            if (strcmp(b->s[i].dim, dims[d]) == 0)
                nb += b->s[i].share * b->s[i].share;
        if (na > 0 && nb > 0) {
            total += dot / (sqrt(na) * sqrt(nb));
            shared++;
        }
    }
    return shared ? total / shared : NAN;
}

/* ---- performance --------------------------------------------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return a < b ? -1 : a > b;
}

double cr_discover__median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    cr_qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double cr_discover__perf_factor(double value, double median)
{
    double f;

    if (isnan(value) || isnan(median))
        return 1;
    if (median <= 0)
        return value > 0 ? 4 : 1;
    f = sqrt(value / median);
    return f < 0.25 ? 0.25 : f > 4 ? 4 : f;
}
