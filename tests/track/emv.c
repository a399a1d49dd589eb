/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * emv.c - tests for src/track/emv.c: a post's EMV worked out by hand from the default card
 * (Aspire's unit values), the calculation log word for word, metrics without a rate or
 * without a value, the "*" rate, and split credit between the brands a caption names. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crest/track.h"

static cr_rate_card *aspire(void)
{
    cr_rate_card *rc = NULL;

    assert_int_equal(cr_rate_card_load(&rc, NULL, "aspire-2026"), CR_OK);
    return rc;
}

static cr_post_rollup post(const char *platform, const char *caption)
{
    cr_post_rollup p;

    memset(&p, 0, sizeof(p));
    p.platform = platform;
    p.caption = caption;
    p.captured_at = 1780000000;
    p.impressions = p.reach = p.views = p.likes = p.comments = p.shares = p.saves = p.clicks =
        p.watch_seconds = CR_COUNT_NONE;
    return p;
}

static void test_emv__instagram_by_hand(void **state)
{
    cr_rate_card *rc = aspire();
    cr_post_rollup p = post("instagram", "Tempo Tuesday");
    cr_emv e;

    (void)state;
    p.impressions = 12000; /* x 0.003 = 36.00 */
    p.reach = 9000;        /* no Instagram rate */
    p.likes = 800;         /* x 0.15 = 120.00 */
    p.comments = 40;       /* no rate */
    p.saves = 30;          /* no rate */
    p.clicks = 25;         /* x 3 = 75.00 */
    /* views: the card has a rate, the source did not report it */
    cr_emv_post(&e, rc, &p, NULL, 0, "Acme", 0);
    assert_true(fabs(e.full_minor - 23100.0) < 1e-6); /* 36 + 120 + 75 = 231.00 USD */
    assert_true(fabs(e.value_minor - 23100.0) < 1e-6);
    assert_true(e.credit == 1.0);
    assert_int_equal(e.nbrands, 1);
    assert_string_equal(e.log, "impressions 12,000 x 0.003 = 36.00; likes 800 x 0.15 = 120.00; "
                               "clicks 25 x 3 = 75.00; total 231.00 USD; no rate for instagram: "
                               "reach, comments, saves; not reported: views");
    cr_rate_card_free(rc);
}

static void test_emv__tiktok_by_hand(void **state)
{
    cr_rate_card *rc = aspire();
    cr_post_rollup p = post("tiktok", NULL);
    cr_emv e;

    (void)state;
    p.views = 1250000; /* x 0.03 = 37,500.00 */
    p.likes = 98000;   /* x 0.05 = 4,900.00 */
    p.shares = 2100;   /* x 0.05 = 105.00 */
    p.comments = 0;    /* no rate, and zero: not listed */
    cr_emv_post(&e, rc, &p, NULL, 0, "Acme", 0);
    assert_true(fabs(e.full_minor - 4250500.0) < 1e-4);
    assert_string_equal(e.log, "views 1,250,000 x 0.03 = 37500.00; likes 98,000 x 0.05 = "
                               "4900.00; shares 2,100 x 0.05 = 105.00; total 42505.00 USD");
    cr_rate_card_free(rc);
}

static void test_emv__no_rate_and_no_metrics(void **state)
{
    cr_rate_card *rc = aspire();
    cr_post_rollup p = post("youtube", NULL);
    cr_emv e;

    (void)state;
    p.views = 5000;
    cr_emv_post(&e, rc, &p, NULL, 0, "Acme", 0);
    assert_true(e.full_minor == 0);
    assert_string_equal(e.log, "no metric of this post has a rate for youtube; no rate for "
                               "youtube: views");
    p.captured_at = 0;
    cr_emv_post(&e, rc, &p, NULL, 0, "Acme", 0);
    assert_true(e.value_minor == 0);
    assert_string_equal(e.log, "no metrics yet: 0.00 USD");
    cr_rate_card_free(rc);
}

static void test_emv__star_rate(void **state)
{
    const char *text = "version: t\ncurrency: EUR\nsource: s\nrates:\n  '*': {likes: 0.1}\n"
                       "  youtube: {likes: 0.2}\n";
    cr_rate_card *rc = NULL;
    cr_post_rollup p = post("youtube", NULL), q = post("twitch", NULL);
    cr_emv e;

    (void)state;
    assert_int_equal(cr_rate_card_parse(&rc, text, strlen(text), "t"), CR_OK);
    p.likes = q.likes = 1000;
    cr_emv_post(&e, rc, &p, NULL, 0, NULL, 0);
    assert_true(fabs(e.full_minor - 20000.0) < 1e-6);
    assert_string_equal(e.log, "likes 1,000 x 0.2 = 200.00 EUR");
    cr_emv_post(&e, rc, &q, NULL, 0, NULL, 0);
    assert_true(fabs(e.full_minor - 10000.0) < 1e-6);
    cr_rate_card_free(rc);
}

static const char *const brands[] = { "Acme Co", "Bolt Drinks", "Zeta", "acme co.", "Bolt Drinks" };

static void test_emv__split_between_two_brands(void **state)
{
    cr_rate_card *rc = aspire();
    cr_post_rollup p = post("instagram", "Long run with @AcmeCo shoes, then #bolt_drinks. #ad");
    cr_emv e;

    (void)state;
    p.likes = 1000; /* 150.00 */
    cr_emv_post(&e, rc, &p, brands, 5, "Acme Co", 1);
    assert_int_equal(e.nbrands, 2); /* Acme Co (own) and Bolt Drinks; duplicates once */
    assert_true(e.credit == 0.5);
    assert_true(fabs(e.full_minor - 15000.0) < 1e-6);
    assert_true(fabs(e.value_minor - 7500.0) < 1e-6);
    assert_string_equal(e.log, "likes 1,000 x 0.15 = 150.00 USD; not reported: impressions, views, "
                               "clicks; split between 2 brands the post "
                               "names (Acme Co, Bolt Drinks): 150.00 / 2 = 75.00");
    /* the same post under full credit: each brand gets all of it */
    cr_emv_post(&e, rc, &p, brands, 5, "Acme Co", 0);
    assert_int_equal(e.nbrands, 1);
    assert_true(fabs(e.value_minor - 15000.0) < 1e-6);
    cr_rate_card_free(rc);
}

static void test_emv__brand_names_as_words(void **state)
{
    cr_rate_card *rc = aspire();
    cr_post_rollup p = post("instagram", "new BOLT DRINKS flavour, and zeta-approved");
    cr_emv e;

    (void)state;
    p.likes = 100;
    cr_emv_post(&e, rc, &p, brands, 5, "Acme Co", 1);
    assert_int_equal(e.nbrands, 3); /* own, "BOLT DRINKS", "zeta" before '-' */
    assert_true(fabs(e.value_minor - 1500.0 / 3.0) < 1e-6);
    /* not whole words, not the tag: no other brand */
    p.caption = "BoltDrinksX and Zetas, @boltdrinksx, #zeta2";
    cr_emv_post(&e, rc, &p, brands, 5, "Acme Co", 1);
    assert_int_equal(e.nbrands, 1);
    assert_true(e.credit == 1.0);
    assert_string_equal(e.log, "likes 100 x 0.15 = 15.00 USD; not reported: impressions, views, "
                               "clicks; split credit: the post names no "
                               "other brand, full value");
    /* the own brand named in the caption is not counted twice; no caption at all */
    p.caption = "#acmeco @acme.co Acme Co";
    cr_emv_post(&e, rc, &p, brands, 5, "Acme Co", 1);
    assert_int_equal(e.nbrands, 1);
    p.caption = NULL;
    cr_emv_post(&e, rc, &p, brands, 5, "Acme Co", 1);
    assert_int_equal(e.nbrands, 1);
    cr_rate_card_free(rc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emv__instagram_by_hand),
        cmocka_unit_test(test_emv__tiktok_by_hand),
        cmocka_unit_test(test_emv__no_rate_and_no_metrics),
        cmocka_unit_test(test_emv__star_rate),
        cmocka_unit_test(test_emv__split_between_two_brands),
        cmocka_unit_test(test_emv__brand_names_as_words),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
