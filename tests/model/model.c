/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * model.c - tests for src/model: the Rogan-Gladen correction and its interval, the AUC with
 * ties, stratified folds, forecasts from a constant history and from the prior alone, the
 * sentiment polarity list's look-ups and the shipped models loading. Expected values are worked out
 * by hand in the comments. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crest/model.h"
#include "model/model_int.h"
#include "util/alloc.h"

static void test_model__rogan_gladen(void **state)
{
    double p, lo, hi;

    (void)state;
    /* q = 0.4, Se 0.8, Sp 0.9: p = 0.3 / 0.7; sd = sqrt(0.024 + 0.000294 + 0.000294) / 0.7 */
    assert_int_equal(cr_model_rogan_gladen(&p, &lo, &hi, 4, 10, 0.8, 0.9, 100, 100), CR_OK);
    assert_true(fabs(p - 0.428571) < 1e-5);
    assert_true(lo == 0);
    assert_true(fabs(hi - 0.867616) < 1e-4);
    /* a useless classifier cannot be corrected */
    assert_int_equal(cr_model_rogan_gladen(&p, &lo, &hi, 4, 10, 0.5, 0.5, 1, 1), CR_EINVALID);
}

static void test_model__auc_counts_ties_half(void **state)
{
    /* positives 0.9, 0.9, 0.1; negatives 0.9, 0.1, 0.1: pairs 9; wins 2*2 = 4, ties
     * (2*1 + 1*2) / 2 = 2 -> 6 / 9 */
    cr_model__scored s[] = {
        { 0.9, 1 }, { 0.9, 1 }, { 0.1, 1 }, { 0.9, 0 }, { 0.1, 0 }, { 0.1, 0 }
    };

    (void)state;
    assert_true(fabs(cr_model__auc(s, 6) - 6.0 / 9.0) < 1e-12);
}

static void test_model__folds_are_stratified(void **state)
{
    int labels[20], *fold = NULL, per[5][2];
    size_t i;

    (void)state;
    for (i = 0; i < 20; i++)
        labels[i] = i < 10;
    assert_int_equal(cr_model__folds(&fold, labels, 20, 5, 42), CR_OK);
    memset(per, 0, sizeof(per));
    for (i = 0; i < 20; i++)
        per[fold[i]][labels[i]]++;
    for (i = 0; i < 5; i++) {
        assert_int_equal(per[i][0], 2);
        assert_int_equal(per[i][1], 2);
    }
    cr_free(fold);
}

static void test_model__forecast(void **state)
{
    double flat[] = { 100, 100, 100 };
    cr_model *m = NULL;
    cr_forecast f;

    (void)state;
    assert_int_equal(cr_model_builtin(&m, CR_MODEL_FORECAST), CR_OK);
    /* a flat history and no followers: the median is the history */
    assert_int_equal(cr_model_forecast(&f, m, flat, 3, 0, 0), CR_OK);
    assert_true(fabs(f.expected - 100) < 1e-9);
    assert_true(f.low < 100 && f.high > 100);
    assert_int_equal((int)f.history, 3);
    /* no history: the prior, 4% of 1,000 followers = 40 (log(1 + 40) back) */
    assert_true(fabs(cr_model_forecast_prior_rate(m, 1000) - 0.04) < 1e-12);
    assert_int_equal(cr_model_forecast(&f, m, flat, 0, 1000, 0.04), CR_OK);
    assert_true(fabs(f.expected - 40) < 1e-9);
    assert_true(f.shrink == 0);
    assert_int_equal(cr_model_forecast(&f, m, flat, 0, 0, 0), CR_EINVALID);
    cr_model_free(m);
}

static void test_model__shipped_models_load(void **state)
{
    cr_model *m = NULL;
    double score;
    int label;

    (void)state;
    assert_int_equal(cr_model_builtin(&m, CR_MODEL_FOLLOWERS), CR_OK);
    {
        /* an empty, picture-less account following thousands scores above a posting one */
        cr_follower_profile bot = { "user83920174", 0, 3, 4100, 0, 0 };
        cr_follower_profile real = { "anna.meier", 120, 800, 400, 1, 0 };
        double sb = cr_model_followers_score(m, &bot), sr = cr_model_followers_score(m, &real);

        assert_true(sb > 0.5 && sr < 0.1);
    }
    cr_model_free(m);
    assert_int_equal(cr_model_builtin(&m, CR_MODEL_SPAM), CR_OK);
    assert_int_equal(cr_model_text_classify(&score, &label, m,
                                            "CHECK OUT MY CHANNEL and subscribe, free money", 45),
                     CR_OK);
    assert_int_equal(label, 1);
    cr_model_free(m);
    assert_int_equal(cr_model_parse(&m, "{\"kind\":\"nope\"}", 15, "x.json"), CR_EINVALID);
    assert_null(m);
}

static void test_model__polarity_list(void **state)
{
    (void)state;
    /* strengths as lexicon.c lists them; the first and the last entries are found, so the
     * table is in bsearch order at both ends */
    assert_int_equal(cr_model__polarity("love", 4), 3);
    assert_int_equal(cr_model__polarity("lovely", 6), 2);
    assert_int_equal(cr_model__polarity("hate", 4), -3);
    assert_int_equal(cr_model__polarity("sad", 3), -2);
    assert_int_equal(cr_model__polarity("okay", 4), 1);
    assert_int_equal(cr_model__polarity("abandoned", 9), -2);
    assert_int_equal(cr_model__polarity("yup", 3), 1);
    assert_int_equal(cr_model__polarity("yummy", 5), 2);
    assert_int_equal(cr_model__polarity("emopos", 6), 3);
    assert_int_equal(cr_model__polarity("emoneg", 6), -3);
    /* emoji, at the end of the table in byte order: U+2639 (the first), U+1F60D, U+1F621,
     * U+1F4A9, U+1F973 (the last); U+1F610 (neutral face) is not listed */
    assert_int_equal(cr_model__polarity("\xe2\x98\xb9", 3), -2);
    assert_int_equal(cr_model__polarity("\xf0\x9f\x98\x8d", 4), 3);
    assert_int_equal(cr_model__polarity("\xf0\x9f\x98\xa1", 4), -3);
    assert_int_equal(cr_model__polarity("\xf0\x9f\x92\xa9", 4), -2);
    assert_int_equal(cr_model__polarity("\xf0\x9f\xa5\xb3", 4), 3);
    assert_int_equal(cr_model__polarity("\xf0\x9f\x98\x90", 4), 0);
    /* a prefix or a longer word is not the word; n bounds the key */
    assert_int_equal(cr_model__polarity("lov", 3), 0);
    assert_int_equal(cr_model__polarity("loves", 4), 3);
    assert_int_equal(cr_model__polarity("table", 5), 0);
    assert_int_equal(cr_model__polarity("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model__rogan_gladen),
        cmocka_unit_test(test_model__auc_counts_ties_half),
        cmocka_unit_test(test_model__folds_are_stratified),
        cmocka_unit_test(test_model__forecast),
        cmocka_unit_test(test_model__shipped_models_load),
        cmocka_unit_test(test_model__polarity_list),
    };
    return cmocka_run_group_tests_name("model.model", tests, NULL, NULL);
}
