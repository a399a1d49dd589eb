/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * query.c - tests for src/discover/query.c: every field checked with a message naming it, the
 * query-string parser, and the canonical text a saved search stores, read back the same. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crest/discover.h"
#include "util/alloc.h"

static const char *last_message(void)
{
    return cr_error_last() ? cr_error_last()->message : "(no error)";
}

static void test_query__fields(void **state)
{
    cr_discover_query q;

    (void)state;
    cr_discover_query_init(&q);
    assert_int_equal(q.limit, 20);
    assert_int_equal(cr_discover_query_set(&q, "platform", "IG"), CR_OK);
    assert_string_equal(q.platform, "instagram");
    assert_int_equal(cr_discover_query_set(&q, "topic", "The #Vegan Baking"), CR_OK);
    assert_string_equal(q.topic, "vegan baking");
    assert_int_equal(cr_discover_query_set(&q, "min_followers", "10K"), CR_OK);
    assert_int_equal(q.min_followers, 10000);
    assert_int_equal(cr_discover_query_set(&q, "min_er", "2.5%"), CR_OK);
    assert_float_equal(q.min_er, 0.025, 1e-9);
    assert_int_equal(cr_discover_query_set(&q, "country", "us:30%"), CR_OK);
    assert_string_equal(q.country, "US");
    assert_float_equal(q.country_share, 0.3, 1e-9);
    assert_int_equal(cr_discover_query_set(&q, "age", "18-24:0.25"), CR_OK);
    assert_float_equal(q.age_share, 0.25, 1e-9);
    assert_int_equal(cr_discover_query_set(&q, "gender", "Female"), CR_OK);
    assert_string_equal(q.gender, "female");
    assert_float_equal(q.gender_share, 0, 1e-9);
    assert_int_equal(cr_discover_query_set(&q, "max_fee", "1,200.50"), CR_OK);
    assert_int_equal(q.max_fee_minor, 120050);
    assert_int_equal(cr_discover_query_set(&q, "include_opted_out", "yes"), CR_OK);
    assert_int_equal(q.include_opted_out, 1);
    assert_true(isnan(q.max_er));
    assert_int_equal(q.min_fee_minor, -1);
    cr_discover_query_dispose(&q);
}

static void test_query__errors_name_the_field(void **state)
{
    cr_discover_query q;

    (void)state;
    cr_discover_query_init(&q);
    assert_int_equal(cr_discover_query_set(&q, "min_er", "abc"), CR_EINVALID);
    assert_string_equal(last_message(),
                        "field 'min_er': expected an engagement rate (3.5% or 0.035), found 'abc'");
    assert_int_equal(cr_discover_query_set(&q, "platform", "myspace"), CR_EINVALID);
    assert_non_null(strstr(last_message(), "field 'platform': expected instagram, tiktok"));
    assert_int_equal(cr_discover_query_set(&q, "country", "USA:0.3"), CR_EINVALID);
    assert_string_equal(last_message(), "field 'country': expected a two-letter country code, "
                                        "optionally with :SHARE, found 'USA:0.3'");
    assert_int_equal(cr_discover_query_set(&q, "limit", "501"), CR_EINVALID);
    assert_string_equal(last_message(),
                        "field 'limit': expected a number from 1 to 500, found '501'");
    assert_int_equal(cr_discover_query_set(&q, "topic", "the of"), CR_EINVALID);
    assert_int_equal(cr_discover_query_set(&q, "colour", "red"), CR_EINVALID);
    assert_non_null(strstr(last_message(), "unknown field 'colour'"));
    cr_discover_query_dispose(&q);
}

static void test_query__text_round_trip(void **state)
{
    cr_discover_query q, back;
    char *text = NULL, *again = NULL;

    (void)state;
    cr_discover_query_init(&q);
    cr_discover_query_init(&back);
    assert_int_equal(cr_discover_query_parse(&q, "topic=vegan+baking&country=US%3A0.3&limit=5&"
                                                 "campaign=Spring+Launch%20%26+more"),
                     CR_OK);
    assert_string_equal(q.campaign, "Spring Launch & more");
    assert_int_equal(q.limit, 5);
    assert_int_equal(cr_discover_query_text(&text, &q), CR_OK);
    /* fixed order, limit left out */
    assert_string_equal(text, "topic=vegan+baking&country=US:0.3&campaign=Spring+Launch+%26+more");
    assert_int_equal(cr_discover_query_parse(&back, text), CR_OK);
    assert_int_equal(cr_discover_query_text(&again, &back), CR_OK);
    assert_string_equal(again, text);
    assert_string_equal(back.campaign, "Spring Launch & more");
    cr_free(text);
    cr_free(again);
    cr_discover_query_dispose(&q);
    cr_discover_query_dispose(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query__fields),
        cmocka_unit_test(test_query__errors_name_the_field),
        cmocka_unit_test(test_query__text_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
