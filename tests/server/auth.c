/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * auth.c - tests for the pure parts of accounts (src/server/auth.c): role bits, the session
 * cookie in a Cookie header, the token hash and the login rate limiter's window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/auth.h"

#define T0 1782864000LL

static void test_auth__role_bits(void **state)
{
    (void)state;
    assert_int_equal(http_role_bit("admin"), HTTP_ROLE_ADMIN);
    assert_int_equal(http_role_bit("creator"), HTTP_ROLE_CREATOR);
    assert_int_equal(http_role_bit("Admin"), 0);
    assert_int_equal(http_role_bit("owner"), 0);
    assert_int_equal(http_role_bit(""), 0);
    assert_int_equal(http_role_bit(NULL), 0);
    assert_true(HTTP_ROLES_READ & http_role_bit("reviewer"));
    assert_false(HTTP_ROLES_READ & http_role_bit("creator"));
}

static void test_auth__cookie_found_among_others(void **state)
{
    char v[80];

    (void)state;
    assert_true(http_cookie_get(v, sizeof(v), "crest_session=ab12", "crest_session"));
    assert_string_equal(v, "ab12");
    assert_true(http_cookie_get(v, sizeof(v), "a=1; crest_session=cd34; b=2", "crest_session"));
    assert_string_equal(v, "cd34");
    assert_true(http_cookie_get(v, sizeof(v), "a=1;crest_session=ef56 ", "crest_session"));
    assert_string_equal(v, "ef56");
    assert_true(http_cookie_get(v, sizeof(v), "crest_session=", "crest_session"));
    assert_string_equal(v, "");
}

static void test_auth__cookie_missing_or_too_long(void **state)
{
    char v[8];

    (void)state;
    assert_false(http_cookie_get(v, sizeof(v), NULL, "crest_session"));
    assert_false(http_cookie_get(v, sizeof(v), "", "crest_session"));
    assert_false(http_cookie_get(v, sizeof(v), "xcrest_session=1", "crest_session"));
    assert_false(http_cookie_get(v, sizeof(v), "crest_sessionx=1", "crest_session"));
    assert_false(http_cookie_get(v, sizeof(v), "crest_session", "crest_session"));
    assert_false(http_cookie_get(v, sizeof(v), "crest_session=0123456789", "crest_session"));
    assert_string_equal(v, "");
}

static void test_auth__token_hash_is_sha256_hex(void **state)
{
    char h[65];

    (void)state;
    http_token_hash(h, "abc");
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_auth__five_failures_block_for_the_window(void **state)
{
    static http_ratelimit rl;
    int i;

    (void)state;
    http_ratelimit_init(&rl);
    for (i = 0; i < HTTP_LOGIN_MAX_FAILS; i++) {
        assert_false(http_ratelimit_blocked(&rl, "a@x.io", T0 + i));
        http_ratelimit_fail(&rl, "a@x.io", T0 + i);
    }
    assert_true(http_ratelimit_blocked(&rl, "a@x.io", T0 + 10));
    assert_true(http_ratelimit_blocked(&rl, "a@x.io", T0 + HTTP_LOGIN_WINDOW - 1));
    assert_false(http_ratelimit_blocked(&rl, "b@x.io", T0 + 10));
    /* the window ends 15 minutes after the first failure */
    assert_false(http_ratelimit_blocked(&rl, "a@x.io", T0 + HTTP_LOGIN_WINDOW));
    http_ratelimit_fail(&rl, "a@x.io", T0 + HTTP_LOGIN_WINDOW);
    assert_false(http_ratelimit_blocked(&rl, "a@x.io", T0 + HTTP_LOGIN_WINDOW + 1));
    http_ratelimit_dispose(&rl);
}

static void test_auth__address_limiter_has_its_own_threshold(void **state)
{
    static http_ratelimit rl;
    int i;

    (void)state;
    http_ratelimit_init_max(&rl, HTTP_LOGIN_IP_MAX_FAILS);
    for (i = 0; i < HTTP_LOGIN_IP_MAX_FAILS; i++) {
        assert_false(http_ratelimit_blocked(&rl, "127.0.0.1", T0 + i));
        http_ratelimit_fail(&rl, "127.0.0.1", T0 + i);
    }
    assert_true(http_ratelimit_blocked(&rl, "127.0.0.1", T0 + 60));
    assert_false(http_ratelimit_blocked(&rl, "::1", T0 + 60));
    http_ratelimit_dispose(&rl);
}

static void test_auth__reset_forgets_failures(void **state)
{
    static http_ratelimit rl;
    int i;

    (void)state;
    http_ratelimit_init(&rl);
    for (i = 0; i < HTTP_LOGIN_MAX_FAILS - 1; i++)
        http_ratelimit_fail(&rl, "a@x.io", T0);
    http_ratelimit_reset(&rl, "a@x.io");
    http_ratelimit_fail(&rl, "a@x.io", T0);
    assert_false(http_ratelimit_blocked(&rl, "a@x.io", T0));
    http_ratelimit_dispose(&rl);
}

static void test_auth__full_table_drops_the_oldest_window(void **state)
{
    static http_ratelimit rl;
    char email[32];
    int i;

    (void)state;
    http_ratelimit_init(&rl);
    for (i = 0; i < HTTP_LOGIN_MAX_FAILS; i++)
        http_ratelimit_fail(&rl, "first@x.io", T0);
    for (i = 0; i < HTTP_LOGIN_SLOTS - 1; i++) {
        snprintf(email, sizeof(email), "u%d@x.io", i);
        http_ratelimit_fail(&rl, email, T0 + 1);
    }
    assert_true(http_ratelimit_blocked(&rl, "first@x.io", T0 + 2));
    http_ratelimit_fail(&rl, "one-more@x.io", T0 + 2);
    assert_false(http_ratelimit_blocked(&rl, "first@x.io", T0 + 2));
    http_ratelimit_dispose(&rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth__role_bits),
        cmocka_unit_test(test_auth__cookie_found_among_others),
        cmocka_unit_test(test_auth__cookie_missing_or_too_long),
        cmocka_unit_test(test_auth__token_hash_is_sha256_hex),
        cmocka_unit_test(test_auth__five_failures_block_for_the_window),
        cmocka_unit_test(test_auth__reset_forgets_failures),
        cmocka_unit_test(test_auth__address_limiter_has_its_own_threshold),
        cmocka_unit_test(test_auth__full_table_drops_the_oldest_window),
    };

    return cmocka_run_group_tests_name("server.auth", tests, NULL, NULL);
}
