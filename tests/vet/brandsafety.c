/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * brandsafety.c - tests of src/vet/brandsafety.c and src/vet/benchmarks.c: term lists parse,
 * compile and match case-insensitively (one match per pattern, with its offset); a bad pattern
 * or document is named with file, line, column and field; benchmark tables parse rates and
 * definitions and reject what does not fit, and the built-in tables load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crest/vet.h"

typedef struct {
    int n;
    char last_category[48], last_matched[96];
    size_t last_offset;
} matches;

static cr_err got(const cr_term_match *m, void *payload)
{
    matches *mm = payload;

    mm->n++;
    snprintf(mm->last_category, sizeof(mm->last_category), "%s", m->category);
    snprintf(mm->last_matched, sizeof(mm->last_matched), "%s", m->matched);
    mm->last_offset = m->offset;
    return CR_OK;
}

static const char list_doc[] = "name: test\n"
                               "source: tests\n"
                               "categories:\n"
                               "  - name: alcohol\n"
                               "    terms: ['\\bbeer\\b', 'wine']\n"
                               "  - name: gambling\n"
                               "    terms: ['\\bcasino\\b']\n";

static void test_brandsafety__scan_matches_case_insensitively(void **state)
{
    cr_term_lists *l = NULL;
    matches m;

    (void)state;
    assert_int_equal(cr_term_lists_add(&l, list_doc, strlen(list_doc), "test.yaml"), CR_OK);
    assert_int_equal(cr_term_lists_count(l), 3);
    assert_string_equal(cr_term_lists_names(l), "test");
    memset(&m, 0, sizeof(m));
    assert_int_equal(cr_term_lists_scan(l, "Cold BEER after the run", got, &m), CR_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.last_category, "alcohol");
    assert_string_equal(m.last_matched, "BEER");
    assert_int_equal(m.last_offset, 5);
    memset(&m, 0, sizeof(m));
    assert_int_equal(cr_term_lists_scan(l, "beers and a casino night", got, &m), CR_OK);
    assert_int_equal(m.n, 1); /* \bbeer\b does not match "beers" */
    assert_string_equal(m.last_category, "gambling");
    cr_term_lists_free(l);
}

static void test_brandsafety__bad_pattern_names_its_place(void **state)
{
    static const char bad[] = "name: bad\nsource: tests\ncategories:\n"
                              "  - name: x\n    terms: ['ok', '(unclosed']\n";
    cr_term_lists *l = NULL;

    (void)state;
    assert_int_equal(cr_term_lists_add(&l, bad, strlen(bad), "bad.yaml"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "bad.yaml:5:"));
    assert_non_null(strstr(cr_error_last()->message, "categories[0].terms[1]"));
    assert_non_null(strstr(cr_error_last()->message, "(unclosed"));
    cr_term_lists_free(l);
}

static void test_brandsafety__builtin_lists_load(void **state)
{
    cr_term_lists *l = NULL;

    (void)state;
    assert_int_equal(cr_term_lists_load(&l, NULL), CR_OK);
    assert_true(cr_term_lists_count(l) > 5);
    assert_non_null(strstr(cr_term_lists_names(l), "default"));
    cr_term_lists_free(l);
}

static void test_brandsafety__benchmark_table_parses(void **state)
{
    static const char doc[] = "name: mine\nsource: tests\ntier_scheme: later-fohr\nbenchmarks:\n"
                              "  - { platform: instagram, tier: micro, low: 2%, high: 0.035, "
                              "definition: per_follower }\n";
    cr_benchmark_table *t = NULL;
    const cr_er_benchmark *b;

    (void)state;
    assert_int_equal(cr_benchmark_table_parse(&t, doc, strlen(doc), "mine.yaml"), CR_OK);
    assert_non_null(b = cr_benchmark_find(t, "instagram", "micro"));
    assert_float_equal(b->low, 0.02, 1e-12);
    assert_float_equal(b->high, 0.035, 1e-12);
    assert_string_equal(b->definition, "per_follower");
    assert_null(cr_benchmark_find(t, "tiktok", "micro"));
    cr_benchmark_table_free(t);
}

static void test_brandsafety__benchmark_errors_name_line_and_field(void **state)
{
    static const char swapped[] =
        "name: mine\nsource: tests\ntier_scheme: later-fohr\nbenchmarks:\n"
        "  - { platform: instagram, tier: micro, low: 5%, high: 2%, definition: per_follower }\n";
    static const char baddef[] =
        "name: mine\nsource: tests\ntier_scheme: later-fohr\nbenchmarks:\n"
        "  - { platform: instagram, tier: micro, low: 1%, high: 2%, definition: per_like }\n";
    cr_benchmark_table *t = NULL;

    (void)state;
    assert_int_equal(cr_benchmark_table_parse(&t, swapped, strlen(swapped), "s.yaml"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "s.yaml:5:"));
    assert_non_null(strstr(cr_error_last()->message, "expected low <= high"));
    assert_int_equal(cr_benchmark_table_parse(&t, baddef, strlen(baddef), "d.yaml"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "benchmarks[0].definition"));
    assert_non_null(strstr(cr_error_last()->message, "per_like"));
}

static void test_brandsafety__builtin_benchmarks_load(void **state)
{
    cr_benchmark_table *t = NULL;
    const cr_er_benchmark *b;

    (void)state;
    assert_int_equal(cr_benchmark_table_load(&t, NULL, NULL), CR_OK);
    assert_string_equal(t->name, cr_benchmark_table_default());
    assert_non_null(b = cr_benchmark_find(t, "tiktok", "nano"));
    assert_string_equal(b->definition, "per_view");
    assert_float_equal(b->low, 0.06, 1e-12);
    cr_benchmark_table_free(t);
    assert_int_equal(cr_benchmark_table_load(&t, NULL, "hypeauditor-2026"), CR_OK);
    assert_string_equal(t->tier_scheme, "hypeauditor-old");
    cr_benchmark_table_free(t);
    assert_int_equal(cr_benchmark_table_load(&t, NULL, "nope"), CR_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brandsafety__scan_matches_case_insensitively),
        cmocka_unit_test(test_brandsafety__bad_pattern_names_its_place),
        cmocka_unit_test(test_brandsafety__builtin_lists_load),
        cmocka_unit_test(test_brandsafety__benchmark_table_parses),
        cmocka_unit_test(test_brandsafety__benchmark_errors_name_line_and_field),
        cmocka_unit_test(test_brandsafety__builtin_benchmarks_load),
    };
    return cmocka_run_group_tests_name("vet.brandsafety", tests, NULL, NULL);
}
