/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * router.c - tests for the route matcher (src/server/router.c): literal and {id} segments,
 * 404 against 405 with its Allow list, HEAD on GET routes, allowed query parameters; and
 * the --listen parser (src/server/listen.c) with its loopback rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/listen.h"
#include "server/router.h"

static cr_err h_list(http_req *req, http_res *res)
{
    (void)req;
    (void)res;
    return CR_OK;
}

static cr_err h_get(http_req *req, http_res *res)
{
    (void)req;
    (void)res;
    return CR_OK;
}

static const http_route table[] = {
    { "GET", "/api/v1/campaigns", h_list, 0, "limit,offset", 0 },
    { "POST", "/api/v1/campaigns", h_list, 0, NULL, 0 },
    { "GET", "/api/v1/campaigns/{id}", h_get, 0, NULL, 0 },
    { "GET", "/api/v1/campaigns/{id}/progress", h_get, 0, "as_of", 0 },
    { "DELETE", "/api/v1/campaigns/{id}", h_get, 0, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 },
};

static void test_router__literal_paths_match_exactly(void **state)
{
    (void)state;
    assert_true(http_route_match("/healthz", "/healthz", NULL, NULL));
    assert_false(http_route_match("/healthz", "/healthz/", NULL, NULL));
    assert_false(http_route_match("/healthz", "/health", NULL, NULL));
    assert_false(http_route_match("/healthz", "/healthzz", NULL, NULL));
    assert_false(http_route_match("/healthz", "", NULL, NULL));
    assert_false(http_route_match("/a/b", "/a", NULL, NULL));
}

static void test_router__id_segment_captures_one_segment(void **state)
{
    http_param p[HTTP_MAX_PARAMS];
    size_t n = 9;

    (void)state;
    assert_true(http_route_match("/c/{id}/progress", "/c/42/progress", p, &n));
    assert_int_equal(n, 1);
    assert_string_equal(p[0].name, "id");
    assert_string_equal(p[0].value, "42");
    assert_false(http_route_match("/c/{id}", "/c/", p, &n));
    assert_int_equal(n, 0);
    assert_false(http_route_match("/c/{id}", "/c/1/2", p, &n));
    assert_false(http_route_match("/c/{id}/progress", "/c/1/check", p, &n));
    assert_true(http_route_match("/a/{x}/b/{y}", "/a/1/b/two", p, &n));
    assert_int_equal(n, 2);
    assert_string_equal(p[1].name, "y");
    assert_string_equal(p[1].value, "two");
}

static void test_router__overlong_segment_does_not_match(void **state)
{
    char path[HTTP_MAX_PARAM_LEN + 8];

    (void)state;
    memset(path, 'x', sizeof(path));
    path[0] = '/';
    path[sizeof(path) - 1] = '\0';
    assert_false(http_route_match("/{id}", path, NULL, NULL));
}

static void test_router__find_picks_the_method(void **state)
{
    const http_route *r;
    http_param p[HTTP_MAX_PARAMS];
    size_t n;
    char allow[64];

    (void)state;
    assert_int_equal(
        http_router_find(&r, p, &n, allow, sizeof(allow), table, "POST", "/api/v1/campaigns"),
        HTTP_MATCH_OK);
    assert_ptr_equal(r, &table[1]);
    assert_int_equal(http_router_find(&r, p, &n, allow, sizeof(allow), table, "GET",
                                      "/api/v1/campaigns/7/progress"),
                     HTTP_MATCH_OK);
    assert_ptr_equal(r, &table[3]);
    assert_string_equal(p[0].value, "7");
    assert_int_equal(
        http_router_find(&r, p, &n, allow, sizeof(allow), table, "HEAD", "/api/v1/campaigns/7"),
        HTTP_MATCH_OK);
    assert_ptr_equal(r, &table[2]);
}

static void test_router__unknown_path_is_404_and_wrong_method_405(void **state)
{
    const http_route *r;
    http_param p[HTTP_MAX_PARAMS];
    size_t n;
    char allow[64];

    (void)state;
    assert_int_equal(
        http_router_find(&r, p, &n, allow, sizeof(allow), table, "GET", "/api/v1/nope"),
        HTTP_MATCH_NO_PATH);
    assert_null(r);
    assert_int_equal(
        http_router_find(&r, p, &n, allow, sizeof(allow), table, "PUT", "/api/v1/campaigns"),
        HTTP_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET, POST");
    assert_int_equal(
        http_router_find(&r, p, &n, allow, sizeof(allow), table, "POST", "/api/v1/campaigns/3"),
        HTTP_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET, DELETE");
}

static void test_router__query_parameters_of_a_route(void **state)
{
    (void)state;
    assert_true(http_route_takes(&table[0], "limit"));
    assert_true(http_route_takes(&table[0], "offset"));
    assert_false(http_route_takes(&table[0], "lim"));
    assert_false(http_route_takes(&table[0], "limit,offset"));
    assert_false(http_route_takes(&table[1], "limit"));
}

static void test_listen__forms(void **state)
{
    http_listen l;

    (void)state;
    assert_int_equal(http_listen_parse(&l, "127.0.0.1:8080"), CR_OK);
    assert_int_equal(l.port, 8080);
    assert_false(l.ipv6);
    assert_true(http_listen_is_loopback(&l));
    assert_int_equal(http_listen_parse(&l, "[::1]:0"), CR_OK);
    assert_true(l.ipv6);
    assert_int_equal(l.port, 0);
    assert_true(http_listen_is_loopback(&l));
    assert_int_equal(http_listen_parse(&l, "localhost:9000"), CR_OK);
    assert_true(http_listen_is_loopback(&l));
    assert_int_equal(http_listen_parse(&l, "127.8.9.10:1"), CR_OK);
    assert_true(http_listen_is_loopback(&l));
}

static void test_listen__non_loopback_is_parsed_but_not_loopback(void **state)
{
    http_listen l;

    (void)state;
    assert_int_equal(http_listen_parse(&l, "0.0.0.0:8080"), CR_OK);
    assert_false(http_listen_is_loopback(&l));
    assert_int_equal(http_listen_parse(&l, "192.168.1.2:80"), CR_OK);
    assert_false(http_listen_is_loopback(&l));
    assert_int_equal(http_listen_parse(&l, "[::]:80"), CR_OK);
    assert_false(http_listen_is_loopback(&l));
    assert_int_equal(http_listen_parse(&l, "[::ffff:10.0.0.1]:80"), CR_OK);
    assert_false(http_listen_is_loopback(&l));
}

static void test_listen__bad_forms(void **state)
{
    http_listen l;

    (void)state;
    assert_int_equal(http_listen_parse(&l, "8080"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "127.0.0.1:"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "127.0.0.1:65536"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "127.0.0.1:8o"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "example.com:80"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "::1:80"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "[::1:80"), CR_EINVALID);
    assert_int_equal(http_listen_parse(&l, "[nope]:80"), CR_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_router__literal_paths_match_exactly),
        cmocka_unit_test(test_router__id_segment_captures_one_segment),
        cmocka_unit_test(test_router__overlong_segment_does_not_match),
        cmocka_unit_test(test_router__find_picks_the_method),
        cmocka_unit_test(test_router__unknown_path_is_404_and_wrong_method_405),
        cmocka_unit_test(test_router__query_parameters_of_a_route),
        cmocka_unit_test(test_listen__forms),
        cmocka_unit_test(test_listen__non_loopback_is_parsed_but_not_loopback),
        cmocka_unit_test(test_listen__bad_forms),
    };

    return cmocka_run_group_tests_name("server.router", tests, NULL, NULL);
}
