/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * vec.c - tests for src/discover/vec.c, the arithmetic of discovery, with numbers worked by
 * hand: the word normalizer, bags, IDF, relevance, TF-IDF cosine, audience lists and cosine,
 * the median and the performance factor. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "discover/vec.h"

#define EPS 1e-4

static void words_of(char *out, size_t size, const char *text)
{
    cr_str s;

    cr_str_init(&s, 0);
    assert_int_equal(cr_discover__words(&s, text, strlen(text)), CR_OK);
    snprintf(out, size, "%s", s.len ? cr_str_cstr(&s) : "");
    cr_str_dispose(&s);
}

static void test_vec__words_are_normalized(void **state)
{
    char w[256];

    (void)state;
    /* "I'm" gives one-letter pieces, "in" is a stop word, "2024" a number, "a" one letter */
    words_of(w, sizeof(w), "Hello #VeganBaking! I'm in NYC, 2024 café CAFÉ a");
    assert_string_equal(w, "hello veganbaking nyc café café");
    words_of(w, sizeof(w), "the and of");
    assert_string_equal(w, "");
    words_of(w, sizeof(w), "run5k  ... x2 ");
    assert_string_equal(w, "run5k x2");
}

static void test_vec__bag_counts_sorted_words(void **state)
{
    cr_bag b;

    (void)state;
    cr_bag_init(&b);
    assert_int_equal(cr_bag_fill(&b, "b a b c"), CR_OK);
    assert_int_equal(b.n, 3);
    assert_int_equal(b.total, 4);
    assert_int_equal(cr_bag_count(&b, "a", 1), 1);
    assert_int_equal(cr_bag_count(&b, "b", 1), 2);
    assert_int_equal(cr_bag_count(&b, "c", 1), 1);
    assert_int_equal(cr_bag_count(&b, "d", 1), 0);
    assert_memory_equal(b.terms[0].word, "a", 1);
    assert_memory_equal(b.terms[2].word, "c", 1);
    cr_bag_dispose(&b);
}

static void test_vec__idf_and_relevance(void **state)
{
    cr_bag doc, words;
    double idf[2];

    (void)state;
    assert_float_equal(cr_discover__idf(10, 2), log(6.0), EPS);
    assert_float_equal(cr_discover__idf(10, 0), log(11.0), EPS); /* unseen word: df 1 */
    cr_bag_init(&doc);
    cr_bag_init(&words);
    assert_int_equal(cr_bag_fill(&doc, "vegan vegan cake"), CR_OK);
    assert_int_equal(cr_bag_fill(&words, "vegan baking"), CR_OK); /* sorted: baking, vegan */
    idf[0] = log(11.0);                                           /* baking */
    idf[1] = log(6.0);                                            /* vegan */
    /* ln6 * 2/3.2 / (ln6 + ln11) = 1.11985 / 4.18965 */
    assert_float_equal(cr_discover__relevance(&doc, &words, idf), 0.267290, EPS);
    assert_int_equal(cr_bag_fill(&doc, "cake"), CR_OK);
    assert_float_equal(cr_discover__relevance(&doc, &words, idf), 0, EPS);
    cr_bag_dispose(&doc);
    cr_bag_dispose(&words);
}

static double idf_one(const char *w, size_t len, void *payload)
{
    (void)w;
    (void)len;
    (void)payload;
    return 1;
}

static double idf_table(const char *w, size_t len, void *payload)
{
    (void)payload;
    return len == 1 && w[0] == 'x' ? 1 : 3; /* x is common, the rest rare */
}

static void test_vec__tfidf_cosine(void **state)
{
    cr_bag a, b;

    (void)state;
    cr_bag_init(&a);
    cr_bag_init(&b);
    assert_int_equal(cr_bag_fill(&a, "x y"), CR_OK);
    assert_int_equal(cr_bag_fill(&b, "x z"), CR_OK);
    cr_discover__tfidf(&a, idf_one, NULL);
    cr_discover__tfidf(&b, idf_one, NULL);
    assert_float_equal(cr_discover__cosine(&a, &b), 0.5, EPS);
    assert_float_equal(cr_discover__cosine(&a, &a), 1.0, EPS);
    /* tf 2 weighs 1 + ln 2 = 1.6931: cos = 1.6931 / sqrt(1.6931^2 + 1) */
    assert_int_equal(cr_bag_fill(&a, "x x y"), CR_OK);
    assert_int_equal(cr_bag_fill(&b, "x"), CR_OK);
    cr_discover__tfidf(&a, idf_one, NULL);
    cr_discover__tfidf(&b, idf_one, NULL);
    assert_float_equal(cr_discover__cosine(&a, &b), 0.861037, EPS);
    /* a rare shared word counts more than a common one (x weighs 1, y 3):
     * (x, y) vs (x) = 1 / sqrt(10) = 0.3162; (x, y) vs (y) = 3 / sqrt(10) = 0.9487 */
    assert_int_equal(cr_bag_fill(&a, "x y"), CR_OK);
    assert_int_equal(cr_bag_fill(&b, "x"), CR_OK);
    cr_discover__tfidf(&a, idf_table, NULL);
    cr_discover__tfidf(&b, idf_table, NULL);
    assert_float_equal(cr_discover__cosine(&a, &b), 0.316228, EPS);
    assert_int_equal(cr_bag_fill(&b, "y"), CR_OK);
    cr_discover__tfidf(&b, idf_table, NULL);
    assert_float_equal(cr_discover__cosine(&a, &b), 0.948683, EPS);
    cr_bag_dispose(&a);
    cr_bag_dispose(&b);
}

static void test_vec__audience_lists(void **state)
{
    cr_audience a, back;
    cr_str json;
    const char *why = NULL;

    (void)state;
    cr_audience_init(&a);
    cr_audience_init(&back);
    cr_str_init(&json, 0);
    assert_int_equal(cr_audience_add_list(&a, "country", "us:0.5; GB:20%", &why), CR_OK);
    assert_int_equal(cr_audience_add_list(&a, "gender", "Female:0.61;male:0.39", &why), CR_OK);
    assert_float_equal(cr_audience_share_of(&a, "country", "US"), 0.5, EPS);
    assert_float_equal(cr_audience_share_of(&a, "country", "GB"), 0.2, EPS);
    assert_float_equal(cr_audience_share_of(&a, "country", "FR"), 0, EPS);
    assert_float_equal(cr_audience_share_of(&a, "age", "18-24"), -1, EPS);
    assert_float_equal(cr_audience_share_of(&a, "gender", "female"), 0.61, EPS);
    assert_int_equal(cr_audience_json(&json, &a), CR_OK);
    assert_string_equal(cr_str_cstr(&json),
                        "{\"country\":{\"US\":0.5,\"GB\":0.2},\"gender\":{\"female\":0.61,"
                        "\"male\":0.39}}");
    assert_int_equal(cr_audience_parse_json(&back, cr_str_cstr(&json)), CR_OK);
    assert_int_equal(back.n, 4);
    assert_float_equal(cr_audience_share_of(&back, "gender", "male"), 0.39, EPS);

    assert_int_equal(cr_audience_add_list(&a, "country", "US:1.5", &why), CR_EINVALID);
    assert_string_equal(why, "expected a share of 'US' between 0 and 1 (or 0%-100%), found '1.5'");
    assert_int_equal(cr_audience_add_list(&a, "country", "USA:0.2", &why), CR_EINVALID);
    assert_string_equal(why, "expected a two-letter country code, found 'USA'");
    assert_int_equal(cr_audience_add_list(&a, "age", "18-24", &why), CR_EINVALID);
    assert_string_equal(why, "expected KEY:SHARE entries separated by ';', found '18-24'");
    assert_int_equal(cr_audience_add_list(&a, "age", "18-24:0.7;25-34:0.5", &why), CR_EINVALID);
    assert_string_equal(why, "expected age shares that sum to at most 1, found 1.20");
    cr_audience_dispose(&a);
    cr_audience_dispose(&back);
    cr_str_dispose(&json);
}

static void test_vec__audience_cosine(void **state)
{
    cr_audience a, b, c, d;
    const char *why;

    (void)state;
    cr_audience_init(&a);
    cr_audience_init(&b);
    cr_audience_init(&c);
    cr_audience_init(&d);
    assert_int_equal(cr_audience_add_list(&a, "country", "US:0.6;GB:0.4", &why), CR_OK);
    assert_int_equal(cr_audience_add_list(&b, "country", "US:0.6;GB:0.4", &why), CR_OK);
    assert_int_equal(cr_audience_add_list(&c, "country", "US:1", &why), CR_OK);
    assert_float_equal(cr_audience_cosine(&a, &b), 1.0, EPS);
    /* 0.6 / sqrt(0.36 + 0.16) */
    assert_float_equal(cr_audience_cosine(&a, &c), 0.832050, EPS);
    /* ages in disjoint bands: (1 + 0) / 2 over the two shared dimensions */
    assert_int_equal(cr_audience_add_list(&a, "age", "18-24:1", &why), CR_OK);
    assert_int_equal(cr_audience_add_list(&b, "age", "25-34:1", &why), CR_OK);
    assert_float_equal(cr_audience_cosine(&a, &b), 0.5, EPS);
    /* no dimension in common */
    assert_int_equal(cr_audience_add_list(&d, "gender", "female:1", &why), CR_OK);
    assert_true(isnan(cr_audience_cosine(&a, &d)));
    cr_audience_dispose(&a);
    cr_audience_dispose(&b);
    cr_audience_dispose(&c);
    cr_audience_dispose(&d);
}

static void test_vec__median_and_performance_factor(void **state)
{
    double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 3, 2 };

    (void)state;
    assert_float_equal(cr_discover__median(odd, 3), 2, EPS);
    assert_float_equal(cr_discover__median(even, 4), 2.5, EPS);
    assert_true(isnan(cr_discover__median(odd, 0)));
    assert_float_equal(cr_discover__perf_factor(4, 1), 2, EPS); /* sqrt(4) */
    assert_float_equal(cr_discover__perf_factor(1, 4), 0.5, EPS);
    assert_float_equal(cr_discover__perf_factor(100, 1), 4, EPS); /* capped */
    assert_float_equal(cr_discover__perf_factor(0.01, 1), 0.25, EPS);
    assert_float_equal(cr_discover__perf_factor(NAN, 1), 1, EPS);
    assert_float_equal(cr_discover__perf_factor(1, NAN), 1, EPS);
    assert_float_equal(cr_discover__perf_factor(1, 0), 4, EPS);
    assert_float_equal(cr_discover__perf_factor(0, 0), 1, EPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vec__words_are_normalized),
        cmocka_unit_test(test_vec__bag_counts_sorted_words),
        cmocka_unit_test(test_vec__idf_and_relevance),
        cmocka_unit_test(test_vec__tfidf_cosine),
        cmocka_unit_test(test_vec__audience_lists),
        cmocka_unit_test(test_vec__audience_cosine),
        cmocka_unit_test(test_vec__median_and_performance_factor),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
