/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * vec.h - the arithmetic of discovery, free of the store: the word normalizer that both the
 * search index and the queries go through, bags of words, relevance of a text to topic words,
 * TF-IDF and audience vectors with their cosines, audience share lists, and the expected-
 * performance factor. tests/discover/vec.c works its numbers by hand. */
#ifndef CR_DISCOVER_VEC_H
#define CR_DISCOVER_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "crest/errors.h"
#include "util/str.h"

/* Append the words of text to out, normalized: lower-cased, split at anything that is not a
 * letter or digit (so "#VeganBaking!" is "veganbaking"), without one-letter words, numbers
 * and English stop words; one blank between words. */
cr_err cr_discover__words(cr_str *out, const char *text, size_t len);

typedef struct {
    const char *word; /* points into the text the bag was made from (not NUL-terminated) */
    size_t len;
    int64_t count;
    double weight; /* filled by cr_discover__tfidf() */
} cr_bag_term;

/* The distinct words of a normalized text, sorted, with their counts. */
typedef struct {
    cr_bag_term *terms;
    size_t n, cap;
    int64_t total; /* words in the text */
} cr_bag;

void cr_bag_init(cr_bag *b);
void cr_bag_dispose(cr_bag *b);
/* Fill b from a normalized text (cr_discover__words' output); text must outlive b. */
cr_err cr_bag_fill(cr_bag *b, const char *text);
/* The count of a word (0 when absent). */
int64_t cr_bag_count(const cr_bag *b, const char *word, size_t len);

/* idf = ln(1 + N / df); a word no text holds (df 0) counts as df 1. */
double cr_discover__idf(int64_t n_docs, int64_t df);

/* Relevance of a text to topic words: sum over the words of idf * tf / (tf + 1.2), divided by
 * the sum of the words' idf, so 0 (no word) .. almost 1 (every word, many times). */
double cr_discover__relevance(const cr_bag *doc, const cr_bag *words, const double *idf);

/* Set each term's weight to (1 + ln count) * idf (idf_of(word) supplied by the caller) and
 * scale the vector to length 1. */
typedef double (*cr_idf_fn)(const char *word, size_t len, void *payload);
void cr_discover__tfidf(cr_bag *b, cr_idf_fn idf_of, void *payload);
/* Cosine of two weighted bags (both of length 1, so the dot product). */
double cr_discover__cosine(const cr_bag *a, const cr_bag *b);

/* An audience: shares by dimension ("country", "age", "gender") and key. */
typedef struct {
    char dim[8];
    char key[16];
    double share;
} cr_audience_share;

typedef struct {
    cr_audience_share *s;
    size_t n, cap;
} cr_audience;

void cr_audience_init(cr_audience *a);
void cr_audience_dispose(cr_audience *a);
/* Parse one dimension's list "US:0.42;GB:0.18" (shares as fractions or percentages "42%");
 * countries are upper-cased and must be two letters, genders lower-cased. On error *why says
 * what was expected and found (a static or thread-local message). */
cr_err cr_audience_add_list(cr_audience *a, const char *dim, const char *list, const char **why);
/* Parse the JSON form {"country":{"US":0.42},"age":{...},"gender":{...}}; anything else is
 * ignored. */
cr_err cr_audience_parse_json(cr_audience *a, const char *json);
/* Write the JSON form (dimensions and keys in the order given). */
cr_err cr_audience_json(cr_str *out, const cr_audience *a);
/* The share of a dimension's key; -1 when the audience does not report the dimension at all,
 * 0 when the key is absent from a reported dimension. */
double cr_audience_share_of(const cr_audience *a, const char *dim, const char *key);
/* Cosine of the two audiences' share vectors over the dimensions both report, each dimension
 * weighted equally (the cosines of the shared dimensions, averaged); NAN when they share none. */
double cr_audience_cosine(const cr_audience *a, const cr_audience *b);

/* The median of n values (sorted in place). NAN when n == 0. */
double cr_discover__median(double *v, size_t n);
/* sqrt(value / median), limited to [0.25, 4] (a creator with 4x the median's value counts 2x);
 * 1 when value is unknown (NAN) or the median is; 4 when the median is 0 and value > 0. */
double cr_discover__perf_factor(double value, double median);

#endif
