/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * tiers.c - tests for src/track/tiers.c: the four built-in schemes of REFERENCE.md at each
 * cut-off and one follower below it, the YAML loader's errors (exact "FILE:LINE:COL: field"
 * messages), and schemes in a SQLite store (a stored name never changes; the active scheme). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "crest/track.h"

static const char *last_message(void)
{
    return cr_error_last() ? cr_error_last()->message : "(no error)";
}

typedef struct {
    int64_t followers;
    const char *tier; /* NULL: no tier */
} tier_case;

static void check_scheme(const char *name, const tier_case *cases, size_t n)
{
    cr_tier_scheme *s = NULL;
    size_t i;

    if (cr_tier_scheme_load(&s, NULL, name) != CR_OK)
        fail_msg("load %s: %s", name, last_message());
    assert_string_equal(s->name, name);
    assert_true(strlen(s->source) > 10);
    for (i = 0; i < n; i++) {
        const char *got = cr_tier_of(s, cases[i].followers);
        if (cases[i].tier == NULL ? got != NULL : got == NULL || strcmp(got, cases[i].tier) != 0)
            fail_msg("%s: %lld followers: expected %s, got %s", name, (long long)cases[i].followers,
                     cases[i].tier ? cases[i].tier : "(none)", got ? got : "(none)");
    }
    assert_null(cr_tier_of(s, -1)); /* unknown follower count */
    cr_tier_scheme_free(s);
}

#define CHECK(name, cases) check_scheme(name, cases, sizeof(cases) / sizeof(cases[0]))

/* nano 0-10k, micro 10-100k, mid 100-500k, macro 500k-1M, mega 1M+ */
static void test_tiers__later_fohr_is_the_default(void **state)
{
    static const tier_case cases[] = {
        { 0, "nano" },       { 9999, "nano" },      { 10000, "micro" },  { 99999, "micro" },
        { 100000, "mid" },   { 499999, "mid" },     { 500000, "macro" }, { 999999, "macro" },
        { 1000000, "mega" }, { 250000000, "mega" },
    };
    cr_tier_scheme *s = NULL;

    (void)state;
    CHECK("later-fohr", cases);
    assert_string_equal(cr_tier_scheme_default(), "later-fohr");
    assert_int_equal(cr_tier_scheme_load(&s, NULL, NULL), CR_OK);
    assert_string_equal(s->name, "later-fohr");
    cr_tier_scheme_free(s);
}

/* nano 1k+, micro 10k+, mid 50k+, macro 500k+, top 1M+, VIP 5M+ */
static void test_tiers__iab_uk(void **state)
{
    static const tier_case cases[] = {
        { 0, NULL },         { 999, NULL },       { 1000, "nano" },   { 9999, "nano" },
        { 10000, "micro" },  { 49999, "micro" },  { 50000, "mid" },   { 499999, "mid" },
        { 500000, "macro" }, { 999999, "macro" }, { 1000000, "top" }, { 4999999, "top" },
        { 5000000, "vip" },
    };

    (void)state;
    CHECK("iab-uk", cases);
}

/* nano 1-5k, micro 5-20k, mid 20-100k, macro 100k-1M, mega > 1M */
static void test_tiers__hypeauditor_old(void **state)
{
    static const tier_case cases[] = {
        { 999, NULL },       { 1000, "nano" },    { 4999, "nano" }, { 5000, "micro" },
        { 19999, "micro" },  { 20000, "mid" },    { 99999, "mid" }, { 100000, "macro" },
        { 999999, "macro" }, { 1000000, "mega" },
    };

    (void)state;
    CHECK("hypeauditor-old", cases);
}

/* 0-5k, 5-10k, 10-25k, 25-150k, 150-500k, 500k-1M, 1-5M, 5-10M, > 10M */
static void test_tiers__tagger(void **state)
{
    static const tier_case cases[] = {
        { 0, "micro-3" },       { 4999, "micro-3" },     { 5000, "micro-2" },
        { 9999, "micro-2" },    { 10000, "micro-1" },    { 24999, "micro-1" },
        { 25000, "mid-3" },     { 149999, "mid-3" },     { 150000, "mid-2" },
        { 499999, "mid-2" },    { 500000, "mid-1" },     { 999999, "mid-1" },
        { 1000000, "macro-3" }, { 4999999, "macro-3" },  { 5000000, "macro-2" },
        { 9999999, "macro-2" }, { 10000000, "macro-1" },
    };

    (void)state;
    CHECK("tagger", cases);
}

static void assert_parse_error(const char *text, const char *message)
{
    cr_tier_scheme *s = (cr_tier_scheme *)1;

    assert_int_equal(cr_tier_scheme_parse(&s, text, strlen(text), "t.yaml"), CR_EINVALID);
    assert_null(s);
    assert_string_equal(last_message(), message);
}

#define HEAD "name: acme\nsource: our agency's tiers\ntiers:\n"

static void test_tiers__parse(void **state)
{
    const char *text = HEAD "  - { name: small, min_followers: 0 }\n"
                            "  - { name: big, min_followers: 12.5K }\n";
    cr_tier_scheme *s = NULL;

    (void)state;
    assert_int_equal(cr_tier_scheme_parse(&s, text, strlen(text), "t.yaml"), CR_OK);
    assert_int_equal(s->ntiers, 2);
    assert_int_equal(s->tiers[1].min_followers, 12500);
    assert_string_equal(cr_tier_of(s, 12499), "small");
    assert_string_equal(cr_tier_of(s, 12500), "big");
    cr_tier_scheme_free(s);
}

static void test_tiers__errors_name_line_column_field(void **state)
{
    (void)state;
    assert_parse_error(HEAD "  - { name: a, min_followers: 100 }\n"
                            "  - { name: b, min_followers: 100 }\n",
                       "t.yaml:5:31: tiers[1]: expected cut-offs in ascending order: 100 is not "
                       "above 100 (tier a)");
    assert_parse_error(HEAD "  - { name: a, min_followers: 0 }\n"
                            "  - { name: a, min_followers: 10 }\n",
                       "t.yaml:5:13: tiers[1]: expected each tier name once, found 'a' twice");
    assert_parse_error(HEAD "  - { name: a }\n",
                       "t.yaml:4:7: tiers[0]: expected both name and min_followers, found no "
                       "min_followers");
    assert_parse_error(HEAD "  - { name: a, min_followers: lots }\n",
                       "t.yaml:4:31: tiers[0].min_followers: expected a follower count >= 0 "
                       "such as 10000 or 10K, found 'lots'");
    assert_parse_error(HEAD "  - { name: a, min: 1 }\n",
                       "t.yaml:4:16: tiers[0].min: expected the keys name and min_followers, "
                       "found an unknown key");
    assert_parse_error(HEAD "  - nano\n", "t.yaml:4:5: tiers[0]: expected a tier such as { name: "
                                          "micro, min_followers: 10000 }");
    assert_parse_error("name: acme\ntiers: []\n",
                       "t.yaml:1:1: source: expected this key in the document, found it missing");
    assert_parse_error("name: acme\nsource: s\ntiers: []\n",
                       "t.yaml:3:1: tiers: expected at least one tier, found none");
}

/* ---- schemes in a store ----------------------------------------------------------------- */

static void test_tiers__stored_schemes_never_change(void **state)
{
    char dir[256], url[300];
    cr_store *st = NULL;
    const char *v1 = HEAD "  - { name: small, min_followers: 0 }\n";
    const char *v2 = HEAD "  - { name: small, min_followers: 100 }\n";
    const char *iab = "name: iab-uk\nsource: s\ntiers:\n  - { name: x, min_followers: 0 }\n";
    cr_tier_scheme *a = NULL, *b = NULL, *c = NULL, *got = NULL;

    (void)state;
    assert_int_equal(cr_test_tmpdir(dir, sizeof(dir), "tiers"), 0);
    snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
    assert_int_equal(cr_store_open(&st, url), CR_OK);
    assert_int_equal(cr_tier_scheme_parse(&a, v1, strlen(v1), "v1"), CR_OK);
    assert_int_equal(cr_tier_scheme_parse(&b, v2, strlen(v2), "v2"), CR_OK);
    assert_int_equal(cr_tier_scheme_parse(&c, iab, strlen(iab), "iab"), CR_OK);
    assert_int_equal(cr_tier_scheme_save(st, a, v1, 1), CR_OK);
    assert_int_equal(cr_tier_scheme_save(st, a, v1, 1), CR_OK);
    assert_int_equal(cr_tier_scheme_save(st, b, v2, 0), CR_ECONFLICT);
    assert_non_null(strstr(last_message(), "tier scheme acme: this name already exists"));
    assert_int_equal(cr_tier_scheme_save(st, c, iab, 0), CR_ECONFLICT);
    assert_int_equal(cr_tier_scheme_load(&got, st, NULL), CR_OK);
    assert_string_equal(got->name, "acme");
    assert_int_equal(got->tiers[0].min_followers, 0);
    cr_tier_scheme_free(got);
    assert_int_equal(cr_tier_scheme_use(st, "tagger"), CR_OK);
    assert_int_equal(cr_tier_scheme_load(&got, st, NULL), CR_OK);
    assert_string_equal(got->name, "tagger");
    cr_tier_scheme_free(got);
    assert_int_equal(cr_tier_scheme_use(st, "nope"), CR_ENOTFOUND);
    cr_tier_scheme_free(a);
    cr_tier_scheme_free(b);
    cr_tier_scheme_free(c);
    cr_store_free(st);
    cr_test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiers__later_fohr_is_the_default),
        cmocka_unit_test(test_tiers__iab_uk),
        cmocka_unit_test(test_tiers__hypeauditor_old),
        cmocka_unit_test(test_tiers__tagger),
        cmocka_unit_test(test_tiers__parse),
        cmocka_unit_test(test_tiers__errors_name_line_column_field),
        cmocka_unit_test(test_tiers__stored_schemes_never_change),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
