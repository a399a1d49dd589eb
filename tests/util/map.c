/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * map.c - tests for cr_map (src/util/map.c), the importer's string -> int64 lookup cache:
 * lookups, overwrites, growth, clearing, binary keys and allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/map.h"

static int teardown_alloc(void **state)
{
    (void)state;
    cr_alloc_fail_after(0);
    return 0;
}

static cr_err get_s(int64_t *out, const cr_map *m, const char *key)
{
    return cr_map_get(out, m, key, strlen(key));
}

static cr_err put_s(cr_map *m, const char *key, int64_t v)
{
    return cr_map_put(m, key, strlen(key), v);
}

static void test_map__empty_map_finds_nothing(void **state)
{
    cr_map m;
    int64_t v = 99;

    (void)state;
    cr_map_init(&m);
    assert_int_equal(get_s(&v, &m, "a"), CR_ENOTFOUND);
    assert_int_equal(v, 99);
    assert_int_equal(m.count, 0);
    cr_map_dispose(&m);
}

static void test_map__put_get(void **state)
{
    cr_map m;
    int64_t v = 0;

    (void)state;
    cr_map_init(&m);
    assert_int_equal(put_s(&m, "instagram", 1), CR_OK);
    assert_int_equal(put_s(&m, "tiktok", -2), CR_OK);
    assert_int_equal(put_s(&m, "youtube", INT64_MAX), CR_OK);
    assert_int_equal(m.count, 3);
    assert_int_equal(get_s(&v, &m, "instagram"), CR_OK);
    assert_int_equal(v, 1);
    assert_int_equal(get_s(&v, &m, "tiktok"), CR_OK);
    assert_int_equal(v, -2);
    assert_int_equal(get_s(&v, &m, "youtube"), CR_OK);
    assert_int_equal(v, INT64_MAX);
    v = 7;
    assert_int_equal(get_s(&v, &m, "insta"), CR_ENOTFOUND);
    assert_int_equal(get_s(&v, &m, "instagramx"), CR_ENOTFOUND);
    assert_int_equal(get_s(&v, &m, "Instagram"), CR_ENOTFOUND);
    assert_int_equal(v, 7);
    cr_map_dispose(&m);
    assert_null(m.slots);
    assert_int_equal(m.count, 0);
}

static void test_map__overwrite_keeps_one_entry(void **state)
{
    cr_map m;
    int64_t v = 0;

    (void)state;
    cr_map_init(&m);
    assert_int_equal(put_s(&m, "key", 1), CR_OK);
    assert_int_equal(put_s(&m, "key", 5), CR_OK);
    assert_int_equal(put_s(&m, "key", 6), CR_OK);
    assert_int_equal(m.count, 1);
    assert_int_equal(get_s(&v, &m, "key"), CR_OK);
    assert_int_equal(v, 6);
    cr_map_dispose(&m);
}

static void test_map__grows_past_ten_thousand_keys(void **state)
{
    cr_map m;
    char key[32];
    int64_t v;
    int i;

    (void)state;
    cr_map_init(&m);
    for (i = 0; i < 25000; i++) {
        snprintf(key, sizeof(key), "creator/%d", i);
        assert_int_equal(put_s(&m, key, (int64_t)i * 3), CR_OK);
    }
    assert_int_equal(m.count, 25000);
    assert_true(m.cap >= 25000);
    assert_int_equal(m.cap & (m.cap - 1), 0);     /* a power of two */
    assert_true(m.count * 4 <= m.cap * 3);        /* load factor kept */
    assert_true(m.arena_len > (size_t)16384 * 4); /* the key arena grew several times */
    for (i = 0; i < 25000; i++) {
        snprintf(key, sizeof(key), "creator/%d", i);
        v = -1;
        assert_int_equal(get_s(&v, &m, key), CR_OK);
        assert_int_equal(v, (int64_t)i * 3);
    }
    for (i = 25000; i < 25100; i++) {
        snprintf(key, sizeof(key), "creator/%d", i);
        assert_int_equal(get_s(&v, &m, key), CR_ENOTFOUND);
    }
    /* overwrites after growth still find the one entry */
    assert_int_equal(put_s(&m, "creator/12345", -1), CR_OK);
    assert_int_equal(m.count, 25000);
    assert_int_equal(get_s(&v, &m, "creator/12345"), CR_OK);
    assert_int_equal(v, -1);
    cr_map_dispose(&m);
}

static void test_map__clear_forgets_everything_and_stays_usable(void **state)
{
    cr_map m;
    char key[32];
    int64_t v;
    size_t cap;
    int i;

    (void)state;
    cr_map_init(&m);
    for (i = 0; i < 2000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal(put_s(&m, key, i), CR_OK);
    }
    cap = m.cap;
    cr_map_clear(&m);
    assert_int_equal(m.count, 0);
    assert_int_equal(m.arena_len, 0);
    assert_int_equal(m.cap, cap);
    for (i = 0; i < 2000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal(get_s(&v, &m, key), CR_ENOTFOUND);
    }
    assert_int_equal(put_s(&m, "k5", 500), CR_OK);
    assert_int_equal(put_s(&m, "new", 1), CR_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(get_s(&v, &m, "k5"), CR_OK);
    assert_int_equal(v, 500);
    assert_int_equal(get_s(&v, &m, "k6"), CR_ENOTFOUND);
    cr_map_dispose(&m);
}

static void test_map__clear_on_a_new_map(void **state)
{
    cr_map m;
    int64_t v;

    (void)state;
    cr_map_init(&m);
    cr_map_clear(&m);
    assert_int_equal(m.count, 0);
    assert_int_equal(put_s(&m, "a", 1), CR_OK);
    assert_int_equal(get_s(&v, &m, "a"), CR_OK);
    assert_int_equal(v, 1);
    cr_map_dispose(&m);
}

/* The importer's keys are "platform\0handle": bytes after a NUL must count. */
static void test_map__binary_keys_with_embedded_nul(void **state)
{
    cr_map m;
    int64_t v;

    (void)state;
    cr_map_init(&m);
    assert_int_equal(cr_map_put(&m, "x\0maya", 6, 1), CR_OK);
    assert_int_equal(cr_map_put(&m, "x\0mayb", 6, 2), CR_OK);
    assert_int_equal(cr_map_put(&m, "x", 1, 3), CR_OK);
    assert_int_equal(cr_map_put(&m, "x\0", 2, 4), CR_OK);
    assert_int_equal(cr_map_put(&m, "\0\0\0", 3, 5), CR_OK);
    assert_int_equal(m.count, 5);
    assert_int_equal(cr_map_get(&v, &m, "x\0maya", 6), CR_OK);
    assert_int_equal(v, 1);
    assert_int_equal(cr_map_get(&v, &m, "x\0mayb", 6), CR_OK);
    assert_int_equal(v, 2);
    assert_int_equal(cr_map_get(&v, &m, "x", 1), CR_OK);
    assert_int_equal(v, 3);
    assert_int_equal(cr_map_get(&v, &m, "x\0", 2), CR_OK);
    assert_int_equal(v, 4);
    assert_int_equal(cr_map_get(&v, &m, "\0\0\0", 3), CR_OK);
    assert_int_equal(v, 5);
    assert_int_equal(cr_map_get(&v, &m, "\0\0", 2), CR_ENOTFOUND);
    assert_int_equal(cr_map_get(&v, &m, "x\0may", 5), CR_ENOTFOUND);
    assert_int_equal(cr_map_get(&v, &m, "x\0mayc", 6), CR_ENOTFOUND);
    cr_map_dispose(&m);
}

static void test_map__hash_depends_on_every_byte(void **state)
{
    (void)state;
    assert_int_equal(cr_hash_bytes("x\0maya", 6), cr_hash_bytes("x\0maya", 6));
    assert_int_not_equal(cr_hash_bytes("x\0maya", 6), cr_hash_bytes("x\0mayb", 6));
    assert_int_not_equal(cr_hash_bytes("x", 1), cr_hash_bytes("x\0", 2));
    assert_int_not_equal(cr_hash_bytes("ab", 2), cr_hash_bytes("ba", 2));
}

static void test_map__out_of_memory_leaves_the_map_usable(void **state)
{
    cr_map m;
    int64_t v;

    (void)state;
    cr_map_init(&m);
    /* the slot table cannot be allocated */
    cr_alloc_fail_after(1);
    assert_int_equal(put_s(&m, "a", 1), CR_ENOMEM);
    cr_alloc_fail_after(0);
    assert_int_equal(m.count, 0);
    assert_int_equal(get_s(&v, &m, "a"), CR_ENOTFOUND);
    /* the slot table can, the key arena cannot */
    cr_map_dispose(&m);
    cr_map_init(&m);
    cr_alloc_fail_after(2);
    assert_int_equal(put_s(&m, "a", 1), CR_ENOMEM);
    cr_alloc_fail_after(0);
    assert_int_equal(m.count, 0);
    assert_int_equal(get_s(&v, &m, "a"), CR_ENOTFOUND);
    assert_int_equal(put_s(&m, "a", 1), CR_OK);
    assert_int_equal(get_s(&v, &m, "a"), CR_OK);
    assert_int_equal(v, 1);
    cr_map_dispose(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map__empty_map_finds_nothing),
        cmocka_unit_test(test_map__put_get),
        cmocka_unit_test(test_map__overwrite_keeps_one_entry),
        cmocka_unit_test(test_map__grows_past_ten_thousand_keys),
        cmocka_unit_test(test_map__clear_forgets_everything_and_stays_usable),
        cmocka_unit_test(test_map__clear_on_a_new_map),
        cmocka_unit_test(test_map__binary_keys_with_embedded_nul),
        cmocka_unit_test(test_map__hash_depends_on_every_byte),
        cmocka_unit_test_teardown(test_map__out_of_memory_leaves_the_map_usable, teardown_alloc),
    };

    return cmocka_run_group_tests_name("util.map", tests, NULL, NULL);
}
