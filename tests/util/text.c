/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * text.c - tests for the import text rules in src/util/text.c: platform names, handles,
 * header keys, UTF-8 validity, country and language codes, e-mail shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

static const char *platform_of(const char *s)
{
    return cr_platform_canonical(s, strlen(s));
}

static void assert_platform(const char *s, const char *expected)
{
    const char *p = platform_of(s);

    if (p == NULL)
        fail_msg("cr_platform_canonical(\"%s\") is NULL, expected \"%s\"", s, expected);
    assert_string_equal(p, expected);
}

static void test_text__platform_canonical_spellings(void **state)
{
    (void)state;
    assert_platform("IG", "instagram");
    assert_platform("ig", "instagram");
    assert_platform("Instagram", "instagram");
    assert_platform("INSTA", "instagram");
    assert_platform("YouTube", "youtube");
    assert_platform("You Tube", "youtube");
    assert_platform("you-tube", "youtube");
    assert_platform("yt", "youtube");
    assert_platform("tt", "tiktok");
    assert_platform("TikTok", "tiktok");
    assert_platform("Tik Tok", "tiktok");
    assert_platform("twitter", "x");
    assert_platform("X", "x");
    assert_platform("fb", "facebook");
    assert_platform(" LinkedIn ", "linkedin");
    assert_platform("threads", "threads");
}

static void test_text__platform_unknown_is_null(void **state)
{
    (void)state;
    assert_null(platform_of("myspace"));
    assert_null(platform_of("insta gram"));
    assert_null(platform_of(""));
    assert_null(platform_of("   "));
    assert_null(platform_of("instagram instagram instagram instagram"));
    /* the length is honoured: "igx" cut to "ig" */
    assert_string_equal(cr_platform_canonical("igx", 2), "instagram");
}

static void test_text__platform_list_names_every_canonical(void **state)
{
    const char *list = cr_platform_list();

    (void)state;
    assert_non_null(strstr(list, "instagram"));
    assert_non_null(strstr(list, "tiktok"));
    assert_non_null(strstr(list, "youtube"));
    assert_non_null(strstr(list, "threads"));
}

static cr_err handle_of(char *out, const char *s, const char **why)
{
    *why = NULL;
    return cr_handle_normalize(out, s, strlen(s), why);
}

static void test_text__handle_normalize(void **state)
{
    char out[128];
    const char *why;

    (void)state;
    assert_int_equal(handle_of(out, "@Maya.Runs", &why), CR_OK);
    assert_string_equal(out, "maya.runs");
    assert_int_equal(handle_of(out, "  @Maya_Runs-2  ", &why), CR_OK);
    assert_string_equal(out, "maya_runs-2");
    assert_int_equal(handle_of(out, "\ttom\t", &why), CR_OK);
    assert_string_equal(out, "tom");
    assert_int_equal(handle_of(out, "ABC123", &why), CR_OK);
    assert_string_equal(out, "abc123");
}

static void test_text__handle_normalize_in_place(void **state)
{
    char buf[] = "@Maya.Runs";
    const char *why = NULL;

    (void)state;
    assert_int_equal(cr_handle_normalize(buf, buf, strlen(buf), &why), CR_OK);
    assert_string_equal(buf, "maya.runs");
}

static void test_text__handle_invalid_characters_fail(void **state)
{
    char out[128];
    const char *why;

    (void)state;
    assert_int_equal(handle_of(out, "maya runs", &why), CR_EINVALID);
    assert_string_equal(why, "holds a character that is not allowed");
    assert_int_equal(handle_of(out, "maya!", &why), CR_EINVALID);
    assert_string_equal(why, "holds a character that is not allowed");
    assert_int_equal(handle_of(out, "@@maya", &why), CR_EINVALID);
    assert_string_equal(why, "holds a character that is not allowed");
    assert_int_equal(handle_of(out,
                               "ma\xc3\xaf"
                               "a",
                               &why),
                     CR_EINVALID);
    assert_string_equal(why, "holds a character that is not allowed");
}

static void test_text__handle_empty_fails(void **state)
{
    char out[128];
    const char *why;

    (void)state;
    assert_int_equal(handle_of(out, "", &why), CR_EINVALID);
    assert_string_equal(why, "empty handle");
    assert_int_equal(handle_of(out, "   ", &why), CR_EINVALID);
    assert_string_equal(why, "empty handle");
    assert_int_equal(handle_of(out, " @ ", &why), CR_EINVALID);
    assert_string_equal(why, "empty handle");
}

static void test_text__handle_length_limit(void **state)
{
    char in[128], out[128];
    const char *why;

    (void)state;
    memset(in, 'a', 100);
    in[100] = '\0';
    assert_int_equal(handle_of(out, in, &why), CR_OK);
    assert_int_equal(strlen(out), 100);
    /* the '@' does not count */
    memmove(in + 1, in, 101);
    in[0] = '@';
    assert_int_equal(handle_of(out, in, &why), CR_OK);
    assert_int_equal(strlen(out), 100);
    memset(in, 'a', 101);
    in[101] = '\0';
    assert_int_equal(handle_of(out, in, &why), CR_EINVALID);
    assert_string_equal(why, "handle longer than 100 characters");
}

static void assert_header_key(const char *s, const char *expected)
{
    char out[128];

    memset(out, 'x', sizeof(out));
    cr_header_key(out, s, strlen(s));
    assert_string_equal(out, expected);
}

static void test_text__header_key(void **state)
{
    (void)state;
    assert_header_key("Post ID", "post_id");
    assert_header_key(" Followers  Count ", "followers_count");
    assert_header_key("utm-content", "utm_content");
    assert_header_key("E.Mail", "e_mail");
    assert_header_key("Link / URL", "link_url");
    assert_header_key("__handle__", "handle");
    assert_header_key("\tFollowers\t", "followers");
    assert_header_key("followers", "followers");
    assert_header_key("", "");
    assert_header_key(" - ", "");
}

static void test_text__utf8_valid(void **state)
{
    static const char multibyte[] = "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89";

    (void)state;
    assert_int_equal(cr_utf8_valid("", 0), 1);
    assert_int_equal(cr_utf8_valid("plain ascii", 11), 1);
    assert_int_equal(cr_utf8_valid(multibyte, sizeof(multibyte) - 1), 1);
}

static void test_text__utf8_invalid(void **state)
{
    (void)state;
    assert_int_equal(cr_utf8_valid("\xff", 1), 0);
    assert_int_equal(cr_utf8_valid("abc\xff", 4), 0);
    /* Latin-1 "é" alone */
    assert_int_equal(cr_utf8_valid("caf\xe9", 4), 0);
    /* a three-byte sequence cut after two bytes, at the end and in the middle */
    assert_int_equal(cr_utf8_valid("\xe6\x97", 2), 0);
    assert_int_equal(cr_utf8_valid("\xe6\x97z", 3), 0);
    /* a lone continuation byte */
    assert_int_equal(cr_utf8_valid("\x80", 1), 0);
    /* an overlong encoding of '/' */
    assert_int_equal(cr_utf8_valid("\xc0\xaf", 2), 0);
    /* a UTF-16 surrogate, and a code point above U+10FFFF */
    assert_int_equal(cr_utf8_valid("\xed\xa0\x80", 3), 0);
    assert_int_equal(cr_utf8_valid("\xf4\x90\x80\x80", 4), 0);
    /* the length is honoured: the valid first byte of "é" is cut off from its second */
    assert_int_equal(cr_utf8_valid("\xc3\xa9", 1), 0);
}

static void test_text__utf8_embedded_nul_is_invalid(void **state)
{
    (void)state;
    assert_int_equal(cr_utf8_valid("a\0b", 3), 0);
    assert_int_equal(cr_utf8_valid("\0", 1), 0);
}

static void test_text__country_check(void **state)
{
    char a[] = "us", b[] = "Gb", c[] = "USA", d[] = "u1", e[] = "";
    const char *why = NULL;

    (void)state;
    assert_int_equal(cr_country_check(a, 2, &why), CR_OK);
    assert_string_equal(a, "US");
    assert_int_equal(cr_country_check(b, 2, &why), CR_OK);
    assert_string_equal(b, "GB");
    assert_int_equal(cr_country_check(c, 3, &why), CR_EINVALID);
    assert_string_equal(why, "not two letters");
    why = NULL;
    assert_int_equal(cr_country_check(d, 2, &why), CR_EINVALID);
    assert_string_equal(why, "not two letters");
    why = NULL;
    assert_int_equal(cr_country_check(e, 0, &why), CR_EINVALID);
    assert_string_equal(why, "not two letters");
}

static void assert_language(const char *in, const char *expected)
{
    char buf[16];
    const char *why = NULL;

    snprintf(buf, sizeof(buf), "%s", in);
    if (cr_language_check(buf, strlen(buf), &why) != CR_OK)
        fail_msg("cr_language_check(\"%s\") failed: %s", in, why ? why : "(no reason)");
    assert_string_equal(buf, expected);
}

static void assert_language_fails(const char *in)
{
    char buf[16];
    const char *why = NULL;

    snprintf(buf, sizeof(buf), "%s", in);
    assert_int_equal(cr_language_check(buf, strlen(buf), &why), CR_EINVALID);
    assert_string_equal(why, "not a two-letter code with an optional region");
}

static void test_text__language_check(void **state)
{
    (void)state;
    assert_language("en", "en");
    assert_language("EN", "en");
    assert_language("pt_br", "pt-BR");
    assert_language("pt-br", "pt-BR");
    assert_language("PT-BR", "pt-BR");
    assert_language_fails("eng");
    assert_language_fails("e");
    assert_language_fails("");
    assert_language_fails("pt-b1");
    assert_language_fails("pt:br");
    assert_language_fails("pt-bra");
    assert_language_fails("1n");
}

static cr_err email_of(const char *s)
{
    const char *why = NULL;
    cr_err rc = cr_email_check(s, strlen(s), &why);

    if (rc != CR_OK)
        assert_string_equal(why, "an e-mail address such as name@example.com");
    return rc;
}

static void test_text__email_check(void **state)
{
    (void)state;
    assert_int_equal(email_of("name@example.com"), CR_OK);
    assert_int_equal(email_of("first.last+tag@mail.example.co.uk"), CR_OK);
    assert_int_equal(email_of("a@b.c"), CR_OK);
    assert_int_equal(email_of("name"), CR_EINVALID);
    assert_int_equal(email_of("@example.com"), CR_EINVALID);
    assert_int_equal(email_of("a@@example.com"), CR_EINVALID);
    assert_int_equal(email_of("a@b@example.com"), CR_EINVALID);
    assert_int_equal(email_of("a.b@example"), CR_EINVALID);
    assert_int_equal(email_of("a@example."), CR_EINVALID);
    assert_int_equal(email_of("a b@example.com"), CR_EINVALID);
    assert_int_equal(email_of("<a@example.com>"), CR_EINVALID);
    assert_int_equal(email_of("a@example.com,b@example.com"), CR_EINVALID);
    assert_int_equal(email_of("a@example.com\n"), CR_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text__platform_canonical_spellings),
        cmocka_unit_test(test_text__platform_unknown_is_null),
        cmocka_unit_test(test_text__platform_list_names_every_canonical),
        cmocka_unit_test(test_text__handle_normalize),
        cmocka_unit_test(test_text__handle_normalize_in_place),
        cmocka_unit_test(test_text__handle_invalid_characters_fail),
        cmocka_unit_test(test_text__handle_empty_fails),
        cmocka_unit_test(test_text__handle_length_limit),
        cmocka_unit_test(test_text__header_key),
        cmocka_unit_test(test_text__utf8_valid),
        cmocka_unit_test(test_text__utf8_invalid),
        cmocka_unit_test(test_text__utf8_embedded_nul_is_invalid),
        cmocka_unit_test(test_text__country_check),
        cmocka_unit_test(test_text__language_check),
        cmocka_unit_test(test_text__email_check),
    };

    return cmocka_run_group_tests_name("util.text", tests, NULL, NULL);
}
