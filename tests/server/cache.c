/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cache.c - tests for the response and session caches of `crest serve` (src/server/cache.c):
 * hits and the three ways an entry goes stale (another generation, its age past the TTL, a
 * session's expiry), the LRU bounds on entries and bytes, and bodies that outlive their
 * eviction while a response still holds them. The clock is passed in, so nothing sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/cache.h"

#define TTL 1000.0
#define T0  1782864000LL

static http_cache_body *body_of(const char *text)
{
    http_cache_body *b = http_cache_body_new(strlen(text));

    assert_non_null(b);
    memcpy(b->data, text, strlen(text));
    return b;
}

/* put text under key at now_ms, generation gen; the caller's reference is dropped */
static void put(http_cache *c, const char *key, uint64_t gen, double now_ms, const char *text)
{
    http_cache_body *b = body_of(text);

    http_cache_put(c, key, gen, now_ms, b);
    http_cache_body_release(b);
}

/* 1 when key is a hit holding text */
static int holds(http_cache *c, const char *key, uint64_t gen, double now_ms, const char *text)
{
    http_cache_body *b = http_cache_get(c, key, gen, now_ms, TTL, NULL);
    int same = b != NULL && b->len == strlen(text) && memcmp(b->data, text, b->len) == 0;

    http_cache_body_release(b);
    return same;
}

static void test_cache__hit_within_ttl_and_generation(void **state)
{
    http_cache c;
    http_cache_body *b;
    double age = -1;

    (void)state;
    assert_int_equal(http_cache_init(&c, 8, 1024), CR_OK);
    put(&c, "analyst|/api/v1/campaigns", 3, 100, "[1]");
    b = http_cache_get(&c, "analyst|/api/v1/campaigns", 3, 350, TTL, &age);
    assert_non_null(b);
    assert_memory_equal(b->data, "[1]", 3);
    assert_true(age == 250);
    http_cache_body_release(b);
    /* another key (another role) is a miss */
    assert_null(http_cache_get(&c, "admin|/api/v1/campaigns", 3, 350, TTL, NULL));
    assert_int_equal(c.hits, 1);
    assert_int_equal(c.misses, 1);
    http_cache_dispose(&c);
}

static void test_cache__stale_generation_or_age_misses(void **state)
{
    http_cache c;

    (void)state;
    assert_int_equal(http_cache_init(&c, 8, 1024), CR_OK);
    put(&c, "k", 1, 0, "old");
    assert_false(holds(&c, "k", 2, 10, "old")); /* a write came in between */
    assert_int_equal(c.count, 0);               /* and the stale entry is gone */
    put(&c, "k", 2, 0, "new");
    assert_true(holds(&c, "k", 2, TTL - 1, "new"));
    assert_false(holds(&c, "k", 2, TTL, "new")); /* exactly the TTL is too old */
    put(&c, "k", 2, 500, "x");
    assert_false(holds(&c, "k", 2, 499, "x")); /* a clock that went back: not trusted */
    http_cache_dispose(&c);
}

static void test_cache__put_replaces_the_same_key(void **state)
{
    http_cache c;

    (void)state;
    assert_int_equal(http_cache_init(&c, 8, 1024), CR_OK);
    put(&c, "k", 1, 0, "first");
    put(&c, "k", 1, 5, "second");
    assert_int_equal(c.count, 1);
    assert_int_equal(c.bytes, strlen("second"));
    assert_true(holds(&c, "k", 1, 6, "second"));
    http_cache_dispose(&c);
}

static void test_cache__entries_bound_drops_least_recently_used(void **state)
{
    http_cache c;

    (void)state;
    assert_int_equal(http_cache_init(&c, 3, 1024), CR_OK);
    put(&c, "a", 1, 0, "A");
    put(&c, "b", 1, 0, "B");
    put(&c, "c", 1, 0, "C");
    assert_true(holds(&c, "a", 1, 1, "A")); /* a is now the most recently used */
    put(&c, "d", 1, 2, "D");                /* b goes */
    assert_int_equal(c.count, 3);
    assert_false(holds(&c, "b", 1, 3, "B"));
    assert_true(holds(&c, "a", 1, 3, "A"));
    assert_true(holds(&c, "c", 1, 3, "C"));
    assert_true(holds(&c, "d", 1, 3, "D"));
    http_cache_dispose(&c);
}

static void test_cache__bytes_bound(void **state)
{
    http_cache c;

    (void)state;
    assert_int_equal(http_cache_init(&c, 100, 10), CR_OK);
    put(&c, "a", 1, 0, "aaaa");
    put(&c, "b", 1, 0, "bbbb");
    put(&c, "c", 1, 0, "cccc"); /* 12 bytes would pass 10: a goes */
    assert_int_equal(c.bytes, 8);
    assert_false(holds(&c, "a", 1, 1, "aaaa"));
    assert_true(holds(&c, "b", 1, 1, "bbbb"));
    put(&c, "big", 1, 1, "0123456789x"); /* larger than the whole cache: not kept */
    assert_false(holds(&c, "big", 1, 2, "0123456789x"));
    assert_true(holds(&c, "c", 1, 2, "cccc"));
    http_cache_dispose(&c);
}

static void test_cache__body_outlives_eviction(void **state)
{
    http_cache c;
    http_cache_body *held;

    (void)state;
    assert_int_equal(http_cache_init(&c, 1, 1024), CR_OK);
    put(&c, "a", 1, 0, "being sent");
    held = http_cache_get(&c, "a", 1, 1, TTL, NULL); /* as a response holds it */
    assert_non_null(held);
    put(&c, "b", 1, 2, "other"); /* evicts a */
    assert_false(holds(&c, "a", 1, 3, "being sent"));
    assert_memory_equal(held->data, "being sent", 10); /* still readable (ASan checks) */
    http_cache_body_release(held);
    http_cache_dispose(&c);
}

static void test_cache__generation_counts_up(void **state)
{
    http_generation g = { 0 };

    (void)state;
    assert_int_equal(http_generation_get(&g), 0);
    http_generation_bump(&g);
    http_generation_bump(&g);
    assert_int_equal(http_generation_get(&g), 2);
}

static http_session_entry session(const char *hash, const char *role, int64_t expires)
{
    http_session_entry e;

    memset(&e, 0, sizeof(e));
    snprintf(e.token_hash, sizeof(e.token_hash), "%s", hash);
    snprintf(e.role, sizeof(e.role), "%s", role);
    snprintf(e.email, sizeof(e.email), "%s@example.com", role);
    snprintf(e.csrf, sizeof(e.csrf), "csrf-of-%s", role);
    e.user_id = 7;
    e.expires_at = expires;
    e.gen = 4;
    e.made_ms = 100;
    return e;
}

static void test_cache__session_hit_until_expiry(void **state)
{
    http_session_cache *sc = test_malloc(sizeof(*sc));
    http_session_entry e = session("aa11", "analyst", T0 + 60), got;

    (void)state;
    http_session_cache_init(sc);
    http_session_cache_put(sc, &e);
    assert_true(http_session_cache_get(sc, &got, "aa11", 4, 200, TTL, T0 + 59));
    assert_string_equal(got.role, "analyst");
    assert_string_equal(got.csrf, "csrf-of-analyst");
    assert_int_equal(got.user_id, 7);
    /* expiry is exact, whatever the TTL says */
    assert_false(http_session_cache_get(sc, &got, "aa11", 4, 200, TTL, T0 + 60));
    http_session_cache_dispose(sc);
    test_free(sc);
}

static void test_cache__session_stale_misses(void **state)
{
    http_session_cache *sc = test_malloc(sizeof(*sc));
    http_session_entry e = session("bb22", "admin", T0 + 3600), got;

    (void)state;
    http_session_cache_init(sc);
    http_session_cache_put(sc, &e);
    assert_false(http_session_cache_get(sc, &got, "bb22", 5, 200, TTL, T0)); /* a write */
    http_session_cache_put(sc, &e);
    assert_false(http_session_cache_get(sc, &got, "bb22", 4, 100 + TTL, TTL, T0)); /* too old */
    http_session_cache_put(sc, &e);
    assert_false(http_session_cache_get(sc, &got, "cc33", 4, 200, TTL, T0)); /* another token */
    assert_true(http_session_cache_get(sc, &got, "bb22", 4, 200, TTL, T0));
    http_session_cache_dispose(sc);
    test_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache__hit_within_ttl_and_generation),
        cmocka_unit_test(test_cache__stale_generation_or_age_misses),
        cmocka_unit_test(test_cache__put_replaces_the_same_key),
        cmocka_unit_test(test_cache__entries_bound_drops_least_recently_used),
        cmocka_unit_test(test_cache__bytes_bound),
        cmocka_unit_test(test_cache__body_outlives_eviction),
        cmocka_unit_test(test_cache__generation_counts_up),
        cmocka_unit_test(test_cache__session_hit_until_expiry),
        cmocka_unit_test(test_cache__session_stale_misses),
    };

    return cmocka_run_group_tests_name("server.cache", tests, NULL, NULL);
}
