/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * stats.c - tests of src/vet/stats.c against values worked out by hand (the arithmetic is in
 * each test's comment): medians, robust z-scores and their MAD-is-zero fallback, the
 * shrinkage of engagement rates toward a benchmark, the component scores, their weighted
 * composition, and the comment classes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crest/vet.h"

static void test_stats__median_odd_and_even(void **state)
{
    double odd[] = { 9, 1, 5 }, even[] = { 4, 1, 3, 2 };

    (void)state;
    assert_float_equal(cr_vet_median(odd, 3), 5, 1e-12);
    assert_float_equal(cr_vet_median(even, 4), 2.5, 1e-12);
    assert_true(isnan(cr_vet_median(NULL, 0)));
}

/* median 3; absolute deviations 2,1,0,1,97 -> MAD 1; scale 1 / 0.6745; z(100) = 97 x 0.6745 */
static void test_stats__robust_z_of_a_spike(void **state)
{
    const double x[] = { 1, 2, 3, 4, 100 };
    double z[5];
    cr_vet_robust rob;

    (void)state;
    assert_int_equal(cr_vet_robust_z(z, &rob, x, 5), CR_OK);
    assert_float_equal(rob.median, 3, 1e-12);
    assert_float_equal(rob.mad, 1, 1e-12);
    assert_float_equal(z[4], 97 * 0.6745, 1e-9);
    assert_float_equal(z[0], -2 * 0.6745, 1e-9);
    assert_float_equal(z[2], 0, 1e-12);
}

/* more than half equal: MAD 0, so 1.2533 x mean absolute deviation (0.8) is the scale */
static void test_stats__robust_z_when_mad_is_zero(void **state)
{
    const double x[] = { 5, 5, 5, 5, 9 }, same[] = { 7, 7, 7 };
    double z[5];
    cr_vet_robust rob;

    (void)state;
    assert_int_equal(cr_vet_robust_z(z, &rob, x, 5), CR_OK);
    assert_float_equal(rob.mad, 0, 1e-12);
    assert_float_equal(rob.scale, 1.2533 * 0.8, 1e-12);
    assert_float_equal(z[4], 4 / (1.2533 * 0.8), 1e-9);
    assert_int_equal(cr_vet_robust_z(z, &rob, same, 3), CR_OK);
    assert_float_equal(rob.scale, 0, 1e-12);
    assert_float_equal(z[0], 0, 1e-12);
}

static void test_stats__robust_z_needs_three_values(void **state)
{
    const double x[] = { 1, 2 };
    double z[2];

    (void)state;
    assert_int_equal(cr_vet_robust_z(z, NULL, x, 2), CR_EINVALID);
}

/* prior: median sqrt(0.02 x 0.08) = 0.04, tau = ln 4 / (2 x 1.28155) = 0.540867 (tau^2
 * 0.292537). Four posts at 1%: variance floored at 0.0625, se^2 0.015625, weight
 * 0.292537 / 0.308162 = 0.949296; posterior exp(ln 0.01 + 0.050704 ln 4) = 0.0107282. */
static void test_stats__shrink_many_posts_keep_their_rate(void **state)
{
    const double r[] = { 0.01, 0.01, 0.01, 0.01 };
    cr_vet_shrunk s;

    (void)state;
    assert_int_equal(cr_vet_shrink(&s, r, 4, 0.02, 0.08), CR_OK);
    assert_float_equal(s.prior, 0.04, 1e-12);
    assert_float_equal(s.weight, 0.9492959, 1e-6);
    assert_float_equal(s.estimate, 0.0107282, 1e-6);
    assert_float_equal(s.low, 0.0084500, 1e-6);
    assert_float_equal(s.high, 0.0136205, 1e-6);
    assert_float_equal(s.raw, 0.01, 1e-12);
    assert_int_equal(s.n, 4);
}

/* one post at 5%: variance taken as 0.25, weight 0.292537 / 0.542537 = 0.539201; posterior
 * exp(0.539201 ln 0.05 + 0.460799 ln 0.04) = 0.0451143 */
static void test_stats__shrink_one_post_moves_toward_the_prior(void **state)
{
    const double r[] = { 0.05 };
    cr_vet_shrunk s;

    (void)state;
    assert_int_equal(cr_vet_shrink(&s, r, 1, 0.02, 0.08), CR_OK);
    assert_float_equal(s.weight, 0.5392008, 1e-6);
    assert_float_equal(s.estimate, 0.0451143, 1e-6);
}

/* 1%, 2%, 4%: log variance (ln 2)^2 = 0.480453, se^2 0.160151, weight 0.646221;
 * posterior 0.0255581 */
static void test_stats__shrink_uses_the_posts_spread(void **state)
{
    const double r[] = { 0.01, 0.02, 0.04 };
    cr_vet_shrunk s;

    (void)state;
    assert_int_equal(cr_vet_shrink(&s, r, 3, 0.02, 0.08), CR_OK);
    assert_float_equal(s.weight, 0.6462210, 1e-6);
    assert_float_equal(s.estimate, 0.0255581, 1e-6);
}

static void test_stats__shrink_without_posts_is_the_prior(void **state)
{
    cr_vet_shrunk s;

    (void)state;
    assert_int_equal(cr_vet_shrink(&s, NULL, 0, 0.02, 0.035), CR_OK);
    assert_float_equal(s.estimate, sqrt(0.02 * 0.035), 1e-12);
    assert_float_equal(s.weight, 0, 1e-12);
    assert_int_equal(cr_vet_shrink(&s, NULL, 0, 0.05, 0.02), CR_EINVALID);
}

static void test_stats__component_scores(void **state)
{
    (void)state;
    assert_float_equal(cr_vet_score_engagement(0.01, 0.02), 50, 1e-9);
    assert_float_equal(cr_vet_score_engagement(0.03, 0.02), 100, 1e-9);
    assert_true(isnan(cr_vet_score_engagement(NAN, 0.02)));
    /* within 2x: 100; 4x: 50; 1/8: 25 */
    assert_float_equal(cr_vet_score_likes_comments(40, 20), 100, 1e-9);
    assert_float_equal(cr_vet_score_likes_comments(80, 20), 50, 1e-9);
    assert_float_equal(cr_vet_score_likes_comments(10, 80), 25, 1e-9);
    /* 25% fake: 50; 60% fake: 0; none: 100 */
    assert_float_equal(cr_vet_score_real_share(0.25), 50, 1e-9);
    assert_float_equal(cr_vet_score_real_share(0.6), 0, 1e-9);
    assert_float_equal(cr_vet_score_real_share(0), 100, 1e-9);
    /* 2 spam + 1 copy + 1 ring + 4 generic x 0.5 = 6 of 20 -> 70 */
    assert_float_equal(cr_vet_score_comments(2, 1, 1, 4, 20), 70, 1e-9);
    assert_true(isnan(cr_vet_score_comments(0, 0, 0, 0, 0)));
}

/* engagement 80 x 0.25 + growth 40 x 0.25 + comments 100 x 0.20 = 50 over weights 0.70 */
static void test_stats__compose_renormalises_over_known_components(void **state)
{
    double s[CR_VET_NCOMPONENTS] = { 80, NAN, 40, NAN, 100 };
    double none[CR_VET_NCOMPONENTS] = { NAN, NAN, NAN, NAN, NAN };
    double w = 0;
    int i;

    (void)state;
    for (i = 0; i < CR_VET_NCOMPONENTS; i++)
        w += cr_vet_component_weight(i);
    assert_float_equal(w, 1, 1e-12);
    assert_float_equal(cr_vet_compose(s), 50 / 0.70, 1e-9);
    assert_true(isnan(cr_vet_compose(none)));
    assert_string_equal(cr_vet_component_name(CR_VET_GROWTH), "growth");
}

static void test_stats__generic_comments(void **state)
{
    (void)state;
    assert_true(cr_vet_comment_generic("nice pic"));
    assert_true(cr_vet_comment_generic("Niiice!!"));
    assert_true(cr_vet_comment_generic("\xF0\x9F\x94\xA5\xF0\x9F\x94\xA5\xF0\x9F\x94\xA5"));
    assert_true(cr_vet_comment_generic("beautiful \xE2\x9D\xA4\xEF\xB8\x8F"));
    assert_true(cr_vet_comment_generic("love this \xF0\x9F\x94\xA5"));
    assert_false(cr_vet_comment_generic("Sent this to my sister"));
    assert_false(cr_vet_comment_generic("nice, what camera is that?"));
    assert_false(cr_vet_comment_generic("wow wow wow wow wow"));
}

static void test_stats__promotion_cues(void **state)
{
    (void)state;
    assert_true(cr_vet_comment_promotes("check my profile for free followers"));
    assert_true(cr_vet_comment_promotes("DM us to collab"));
    assert_true(cr_vet_comment_promotes("promote it on @growth.boost.hub"));
    assert_true(cr_vet_comment_promotes("Earn $500 a day"));
    assert_false(cr_vet_comment_promotes("Can I swap the feta for something dairy-free?"));
    assert_false(cr_vet_comment_promotes("What settings do you use for this?"));
    assert_false(cr_vet_comment_promotes("Been following for a year"));
    assert_true(cr_vet_comment_promotes("Want more followers? Visit our page"));
    assert_true(cr_vet_comment_promotes("Subscribed! sub back pls"));
}

static void test_stats__fold(void **state)
{
    char buf[32];

    (void)state;
    cr_vet_comment_fold(buf, sizeof(buf), "  Hello,  World!! ");
    assert_string_equal(buf, "hello world");
    cr_vet_comment_fold(buf, 4, "abcdef");
    assert_string_equal(buf, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats__median_odd_and_even),
        cmocka_unit_test(test_stats__robust_z_of_a_spike),
        cmocka_unit_test(test_stats__robust_z_when_mad_is_zero),
        cmocka_unit_test(test_stats__robust_z_needs_three_values),
        cmocka_unit_test(test_stats__shrink_many_posts_keep_their_rate),
        cmocka_unit_test(test_stats__shrink_one_post_moves_toward_the_prior),
        cmocka_unit_test(test_stats__shrink_uses_the_posts_spread),
        cmocka_unit_test(test_stats__shrink_without_posts_is_the_prior),
        cmocka_unit_test(test_stats__component_scores),
        cmocka_unit_test(test_stats__compose_renormalises_over_known_components),
        cmocka_unit_test(test_stats__generic_comments),
        cmocka_unit_test(test_stats__promotion_cues),
        cmocka_unit_test(test_stats__fold),
    };
    return cmocka_run_group_tests_name("vet.stats", tests, NULL, NULL);
}
