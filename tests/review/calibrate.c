/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * calibrate.c - tests of src/review/calibrate.c on designs small enough to work out by hand
 * (the arithmetic is in each test's comment): exact recovery without noise, the OLS standard
 * errors, leverage-corrected fit and fair scores of a 2 x 3 design, criterion difficulties,
 * the components of a disconnected design and the rotation that joins them, flags, the Rasch
 * model's pairwise result 2 log(n10 / n01) and its extreme scores, and bad input. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crest/calibrate.h"
#include "util/alloc.h"

static const cr_calibrate_rater *rater(const cr_calibrate_result *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->nraters; i++)
        if (strcmp(r->raters[i].name, name) == 0)
            return &r->raters[i];
    fail_msg("no rater %s", name);
    return NULL;
}

static const cr_calibrate_ratee *ratee(const cr_calibrate_result *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->nratees; i++)
        if (strcmp(r->ratees[i].name, name) == 0)
            return &r->ratees[i];
    fail_msg("no ratee %s", name);
    return NULL;
}

/* theta = 5, 4, 3; A is 0.5 more lenient, B 0.5 harsher: A gives theta + 0.5, B theta - 0.5.
 * The fit is exact: severities -0.5 and +0.5, fair scores 5, 4, 3, sigma 0. */
static void test_calibrate__exact_recovery_without_noise(void **state)
{
    const cr_rating x[] = {
        { "P1", "A", "q", 5.5 }, { "P2", "A", "q", 4.5 }, { "P3", "A", "q", 3.5 },
        { "P1", "B", "q", 4.5 }, { "P2", "B", "q", 3.5 }, { "P3", "B", "q", 2.5 },
    };
    cr_calibrate_result *r;

    (void)state;
    assert_int_equal(cr_calibrate(&r, x, 6, NULL), CR_OK);
    assert_int_equal(r->nraters, 2);
    assert_int_equal(r->nratees, 3);
    assert_int_equal(r->ncomponents, 1);
    assert_int_equal(r->nrotation, 0);
    assert_true(r->converged);
    assert_float_equal(rater(r, "A")->severity, -0.5, 1e-9);
    assert_float_equal(rater(r, "B")->severity, 0.5, 1e-9);
    assert_float_equal(ratee(r, "P1")->fair, 5, 1e-9);
    assert_float_equal(ratee(r, "P3")->fair, 3, 1e-9);
    assert_float_equal(r->sigma, 0, 1e-9);
    assert_float_equal(r->df, 2, 0);
    cr_calibrate_result_free(r);
}

/* A: 5 4 3, B: 3 3 1 (complete 2 x 3). Rater means 4 and 7/3, grand mean 19/6: severities
 * -5/6 and +5/6. Ratee means 4, 3.5, 2 are the fair scores. Residuals A: 1/6 -1/3 1/6 (B the
 * negatives): RSS 1/3, df (2-1)(3-1) = 2, sigma^2 = 1/6. C = [[1.5,-1.5],[-1.5,1.5]], C^+ =
 * [[1,-1],[-1,1]] / 6: Var(severity) = sigma^2 / 6 = 1/36, SE 1/6. A fair score: a = (.5,.5),
 * C^+ a = 0, Var = sigma^2 / 2, SE sqrt(1/12). Leverage h = 1/2 + w'C^+w = 1/2 + 1/6 = 2/3
 * (w = (.5,-.5)), Var(e) = sigma^2 / 3 = 1/18: z^2 = 18 e^2 = 0.5, 2, 0.5, so outfit = infit
 * = 1 for both raters. */
static void test_calibrate__ols_standard_errors_and_fit(void **state)
{
    const cr_rating x[] = {
        { "P1", "A", "q", 5 }, { "P2", "A", "q", 4 }, { "P3", "A", "q", 3 },
        { "P1", "B", "q", 3 }, { "P2", "B", "q", 3 }, { "P3", "B", "q", 1 },
    };
    cr_calibrate_result *r;

    (void)state;
    assert_int_equal(cr_calibrate(&r, x, 6, NULL), CR_OK);
    assert_float_equal(rater(r, "A")->severity, -5.0 / 6, 1e-9);
    assert_float_equal(rater(r, "B")->severity, 5.0 / 6, 1e-9);
    assert_float_equal(rater(r, "A")->raw_mean, 4, 1e-12);
    assert_float_equal(rater(r, "B")->raw_mean, 7.0 / 3, 1e-12);
    assert_float_equal(r->sigma, sqrt(1.0 / 6), 1e-9);
    assert_float_equal(rater(r, "A")->se, 1.0 / 6, 1e-9);
    assert_float_equal(rater(r, "B")->se, 1.0 / 6, 1e-9);
    assert_float_equal(ratee(r, "P1")->fair, 4, 1e-9);
    assert_float_equal(ratee(r, "P2")->fair, 3.5, 1e-9);
    assert_float_equal(ratee(r, "P3")->fair, 2, 1e-9);
    assert_float_equal(ratee(r, "P2")->fair_se, sqrt(1.0 / 12), 1e-9);
    assert_float_equal(rater(r, "A")->outfit, 1, 1e-9);
    assert_float_equal(rater(r, "A")->infit, 1, 1e-9);
    assert_float_equal(rater(r, "B")->outfit, 1, 1e-9);
    cr_calibrate_result_free(r);
}

/* theta = 4, 2; severities -0.5, +0.5; difficulties +0.25 (hard), -0.25 (easy):
 * y = theta - severity - difficulty, recovered exactly. */
static void test_calibrate__criterion_difficulties(void **state)
{
    cr_rating x[8];
    const char *p[] = { "P1", "P2" }, *rr[] = { "A", "B" }, *c[] = { "hard", "easy" };
    const double th[] = { 4, 2 }, sev[] = { -0.5, 0.5 }, dif[] = { 0.25, -0.25 };
    cr_calibrate_result *r;
    size_t i, j, k, n = 0;

    (void)state;
    for (i = 0; i < 2; i++)
        for (j = 0; j < 2; j++)
            for (k = 0; k < 2; k++) {
                x[n].ratee = p[i];
                x[n].rater = rr[j];
                x[n].criterion = c[k];
                x[n].score = th[i] - sev[j] - dif[k];
                n++;
            }
    assert_int_equal(cr_calibrate(&r, x, n, NULL), CR_OK);
    assert_int_equal(r->ncriteria, 2);
    assert_string_equal(r->criteria[0].name, "hard");
    assert_float_equal(r->criteria[0].difficulty, 0.25, 1e-9);
    assert_float_equal(r->criteria[1].difficulty, -0.25, 1e-9);
    assert_float_equal(rater(r, "B")->severity, 0.5, 1e-9);
    assert_float_equal(ratee(r, "P1")->fair, 4, 1e-9);
    cr_calibrate_result_free(r);
}

/* A and B review P1 and P2, C and D review P3 and P4: two components of 4 nodes; the first
 * (it holds P1) comes first. The rotation: the least-loaded rater of the first (A, 2 ratings,
 * first on a tie) also reviews the least-rated ratee of the second (P3). C and D are flagged
 * isolated. With that rating added the design is connected. */
static void test_calibrate__disconnected_design_and_rotation(void **state)
{
    cr_rating x[9] = {
        { "P1", "A", "q", 4 }, { "P2", "A", "q", 3 }, { "P1", "B", "q", 3 }, { "P2", "B", "q", 3 },
        { "P3", "C", "q", 2 }, { "P4", "C", "q", 4 }, { "P3", "D", "q", 3 }, { "P4", "D", "q", 5 },
    };
    cr_calibrate_result *r;

    (void)state;
    assert_int_equal(cr_calibrate(&r, x, 8, NULL), CR_OK);
    assert_int_equal(r->ncomponents, 2);
    assert_int_equal(r->components[0].nraters, 2);
    assert_int_equal(r->components[0].nratees, 2);
    assert_int_equal(ratee(r, "P1")->component, 0);
    assert_int_equal(ratee(r, "P4")->component, 1);
    assert_int_equal(r->nrotation, 1);
    assert_string_equal(r->raters[r->rotation[0].rater].name, "A");
    assert_string_equal(r->ratees[r->rotation[0].ratee].name, "P3");
    assert_true(rater(r, "C")->flags & CR_CALIBRATE_FLAG_ISOLATED);
    assert_false(rater(r, "A")->flags & CR_CALIBRATE_FLAG_ISOLATED);
    /* severities are centred within each component */
    assert_float_equal(rater(r, "C")->severity + rater(r, "D")->severity, 0, 1e-9);
    assert_float_equal(rater(r, "A")->severity + rater(r, "B")->severity, 0, 1e-9);
    x[8].ratee = "P3";
    x[8].rater = "A";
    x[8].criterion = "q";
    x[8].score = 3;
    cr_calibrate_result_free(r);
    assert_int_equal(cr_calibrate(&r, x, 9, NULL), CR_OK);
    assert_int_equal(r->ncomponents, 1);
    assert_int_equal(r->nrotation, 0);
    cr_calibrate_result_free(r);
}

/* Flags with explicit thresholds: the 2 x 3 design above has severities +-5/6 with SE 1/6
 * (z = 5): above a bound of 0.5 B is severe and A lenient; below 3 ratings, both are few. */
static void test_calibrate__flags(void **state)
{
    const cr_rating x[] = {
        { "P1", "A", "q", 5 }, { "P2", "A", "q", 4 }, { "P3", "A", "q", 3 },
        { "P1", "B", "q", 3 }, { "P2", "B", "q", 3 }, { "P3", "B", "q", 1 },
    };
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    cr_calibrate_result *r;

    (void)state;
    o.severity_max = 0.5;
    o.min_ratings = 4;
    assert_int_equal(cr_calibrate(&r, x, 6, &o), CR_OK);
    assert_int_equal(rater(r, "B")->flags, CR_CALIBRATE_FLAG_SEVERE | CR_CALIBRATE_FLAG_FEW);
    assert_int_equal(rater(r, "A")->flags, CR_CALIBRATE_FLAG_LENIENT | CR_CALIBRATE_FLAG_FEW);
    assert_non_null(strstr(rater(r, "B")->reason, "harsher than the average rater by 0.83"));
    cr_calibrate_result_free(r);
    /* the default bound is a quarter of the score range (1..5: 1 point): no severity flag,
     * and 3 ratings are fewer than the default 5 */
    assert_int_equal(cr_calibrate(&r, x, 6, NULL), CR_OK);
    assert_float_equal(r->options.severity_max, 1, 1e-12);
    assert_int_equal(rater(r, "B")->flags, CR_CALIBRATE_FLAG_FEW);
    cr_calibrate_result_free(r);
}

/* Two raters, scores 0/1, each ratee rated by both (the Rasch model's pairwise case): the
 * ratees with one 1 (P1, P2: A=1 B=0; P3: A=0 B=1) all have measure (dA + dB) / 2 = 0, so
 * A's expected score 3 sigma(-dA) must equal its 2: dA = -log 2, dB = +log 2 (the known
 * JMLE result 2 log(n10 / n01) for the difference). P4 (1, 1) and P5 (0, 0) are extreme:
 * left out of the raters' estimation and measured 0.3 points in from their extreme. */
static void test_calibrate__rasch_pairwise_and_extremes(void **state)
{
    const cr_rating x[] = {
        { "P1", "A", "q", 1 }, { "P1", "B", "q", 0 }, { "P2", "A", "q", 1 }, { "P2", "B", "q", 0 },
        { "P3", "A", "q", 0 }, { "P3", "B", "q", 1 }, { "P4", "A", "q", 1 }, { "P4", "B", "q", 1 },
        { "P5", "A", "q", 0 }, { "P5", "B", "q", 0 },
    };
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    cr_calibrate_result *r;

    (void)state;
    o.model = CR_CALIBRATE_RASCH;
    assert_int_equal(cr_calibrate(&r, x, 10, &o), CR_OK);
    assert_true(r->converged);
    assert_int_equal(r->ncategories, 2);
    assert_float_equal(rater(r, "A")->severity, -log(2), 1e-6);
    assert_float_equal(rater(r, "B")->severity, log(2), 1e-6);
    assert_float_equal(ratee(r, "P1")->measure, 0, 1e-6);
    assert_int_equal(ratee(r, "P4")->extreme, 1);
    assert_int_equal(ratee(r, "P5")->extreme, -1);
    assert_int_equal(ratee(r, "P1")->extreme, 0);
    /* P4's measure: expected score 2 - 0.3 = sigma(B + log 2) + sigma(B - log 2) */
    {
        double b = ratee(r, "P4")->measure;
        double e = 1 / (1 + exp(-(b + log(2)))) + 1 / (1 + exp(-(b - log(2))));

        assert_float_equal(e, 1.7, 1e-6);
        assert_true(ratee(r, "P5")->measure < 0 && isfinite(ratee(r, "P5")->measure));
        /* its fair score: the expected score against an average rater (0), sigma(b) */
        assert_float_equal(ratee(r, "P4")->fair, 1 / (1 + exp(-b)), 1e-9);
    }
    cr_calibrate_result_free(r);
}

/* A rates only c1 and B only c2: "A is harsher" and "c1 is harder" explain the same ratings.
 * C has one null direction more than the expected two (raters, criteria): confounded = 1.
 * The 2 x 3 design of the SE test has none. */
static void test_calibrate__confounded_rater_and_criterion(void **state)
{
    const cr_rating x[] = {
        { "P1", "A", "c1", 3 }, { "P1", "B", "c2", 4 }, { "P2", "A", "c1", 2 },
        { "P2", "B", "c2", 4 }, { "P3", "A", "c1", 5 }, { "P3", "B", "c2", 4 },
    };
    const cr_rating y[] = {
        { "P1", "A", "q", 5 }, { "P2", "A", "q", 4 }, { "P3", "A", "q", 3 },
        { "P1", "B", "q", 3 }, { "P2", "B", "q", 3 }, { "P3", "B", "q", 1 },
    };
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    cr_calibrate_result *r;

    (void)state;
    assert_int_equal(cr_calibrate(&r, x, 6, NULL), CR_OK);
    assert_int_equal(r->confounded, 1);
    cr_calibrate_result_free(r);
    o.model = CR_CALIBRATE_RASCH;
    assert_int_equal(cr_calibrate(&r, x, 6, &o), CR_OK);
    assert_int_equal(r->confounded, 1);
    cr_calibrate_result_free(r);
    assert_int_equal(cr_calibrate(&r, y, 6, NULL), CR_OK);
    assert_int_equal(r->confounded, 0);
    cr_calibrate_result_free(r);
}

/* Every allocation of a fit failing in turn: CR_ENOMEM, no result, no crash; then success. */
static void test_calibrate__out_of_memory(void **state)
{
    const cr_rating x[] = {
        { "P1", "A", "c1", 3 }, { "P1", "B", "c2", 4 }, { "P2", "A", "c2", 2 },
        { "P2", "C", "c1", 4 }, { "P3", "B", "c1", 5 }, { "P3", "C", "c2", 4 },
        { "P4", "D", "c1", 1 }, { "P4", "E", "c1", 2 },
    };
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    cr_calibrate_result *r;
    int model;
    long k;
    cr_err rc;

    (void)state;
    for (model = 0; model < 2; model++) {
        o.model = model ? CR_CALIBRATE_RASCH : CR_CALIBRATE_ADDITIVE;
        for (k = 1; k < 10000; k++) {
            cr_alloc_fail_after(k);
            rc = cr_calibrate(&r, x, 8, &o);
            cr_alloc_fail_after(0);
            if (rc == CR_OK)
                break;
            assert_int_equal(rc, CR_ENOMEM);
            assert_null(r);
        }
        assert_int_equal(rc, CR_OK);
        assert_true(k > 10);
        assert_int_equal(r->ncomponents, 2);
        cr_calibrate_result_free(r);
    }
}

static void test_calibrate__bad_input(void **state)
{
    const cr_rating one_rater[] = { { "P1", "A", "q", 1 }, { "P2", "A", "q", 2 } };
    const cr_rating half[] = { { "P1", "A", "q", 1.5 }, { "P2", "B", "q", 2 } };
    cr_rating nan_score[] = { { "P1", "A", "q", 1 }, { "P2", "B", "q", 0 } };
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    cr_calibrate_result *r;
    cr_calibrate_model m;

    (void)state;
    assert_int_equal(cr_calibrate(&r, one_rater, 2, NULL), CR_EINVALID);
    assert_null(r);
    assert_non_null(strstr(cr_error_last()->message, "found 2 ratees and 1 rater"));
    o.model = CR_CALIBRATE_RASCH;
    assert_int_equal(cr_calibrate(&r, half, 2, &o), CR_EINVALID);
    nan_score[1].score = NAN;
    assert_int_equal(cr_calibrate(&r, nan_score, 2, NULL), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "expected a finite number"));
    assert_int_equal(cr_calibrate_model_parse(&m, "rasch"), CR_OK);
    assert_int_equal(m, CR_CALIBRATE_RASCH);
    assert_int_equal(cr_calibrate_model_parse(&m, "probit"), CR_EINVALID);
    assert_string_equal(cr_calibrate_model_name(CR_CALIBRATE_ADDITIVE), "additive");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibrate__exact_recovery_without_noise),
        cmocka_unit_test(test_calibrate__ols_standard_errors_and_fit),
        cmocka_unit_test(test_calibrate__criterion_difficulties),
        cmocka_unit_test(test_calibrate__disconnected_design_and_rotation),
        cmocka_unit_test(test_calibrate__flags),
        cmocka_unit_test(test_calibrate__rasch_pairwise_and_extremes),
        cmocka_unit_test(test_calibrate__confounded_rater_and_criterion),
        cmocka_unit_test(test_calibrate__out_of_memory),
        cmocka_unit_test(test_calibrate__bad_input),
    };
    return cmocka_run_group_tests_name("review.calibrate", tests, NULL, NULL);
}
