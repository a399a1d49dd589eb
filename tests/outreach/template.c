/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * template.c - the outreach template engine (src/outreach/template.c): variables, escaping,
 * raw output, sections over values, lists and objects, inverted sections, comments, dotted
 * names, standalone lines, Unicode passing through untouched (combining characters, emoji),
 * syntax errors with their line and column, and the lint naming every unfilled variable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crest/outreach.h"

/* Render and return the text (static buffer), asserting success. */
static const char *render(const char *tpl, const char *ctx, int html, cr_tpl_lint *lint)
{
    static char buf[4096];
    char *out = NULL;
    cr_err rc = cr_tpl_render(&out, lint, "t", tpl, strlen(tpl), ctx, html);

    if (rc != CR_OK)
        fail_msg("render failed: %s", cr_error_last()->message);
    assert_non_null(out);
    assert_true(strlen(out) < sizeof(buf));
    memcpy(buf, out, strlen(out) + 1);
    cr_outreach_text_free(out);
    return buf;
}

static const char *parse_error(const char *tpl)
{
    char *out = NULL;

    assert_int_equal(cr_tpl_render(&out, NULL, "t", tpl, strlen(tpl), "{}", 0), CR_EINVALID);
    assert_null(out);
    return cr_error_last()->message;
}

static void test_template__variables_and_dotted_names(void **state)
{
    (void)state;
    assert_string_equal(render("Hi {{creator.first_name}}, {{n}} {{x}}!",
                               "{\"creator\":{\"first_name\":\"Ana\"},\"n\":3,\"x\":1.5}", 0, NULL),
                        "Hi Ana, 3 1.5!");
    assert_string_equal(render("{{ spaced.name }}", "{\"spaced\":{\"name\":\"ok\"}}", 0, NULL),
                        "ok");
    assert_string_equal(render("{{t}}/{{f}}", "{\"t\":true,\"f\":false}", 0, NULL), "true/false");
}

static void test_template__html_escaping(void **state)
{
    const char *ctx = "{\"v\":\"<b>Tom & \\\"Jerry's\\\"</b>\"}";

    (void)state;
    assert_string_equal(render("{{v}}", ctx, 1, NULL),
                        "&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;");
    /* raw forms are never escaped */
    assert_string_equal(render("{{{v}}}|{{& v}}", ctx, 1, NULL),
                        "<b>Tom & \"Jerry's\"</b>|<b>Tom & \"Jerry's\"</b>");
    /* plain text is not escaped either */
    assert_string_equal(render("{{v}}", ctx, 0, NULL), "<b>Tom & \"Jerry's\"</b>");
    /* the template's own text is left as written */
    assert_string_equal(render("<p>{{v}}</p>", "{\"v\":\"a<b\"}", 1, NULL), "<p>a&lt;b</p>");
}

static void test_template__unicode_names(void **state)
{
    cr_tpl_lint lint;
    /* "Zoë" with a combining diaeresis (e + U+0308), an emoji with a skin tone and a ZWJ
     * sequence, a right-to-left name, CJK */
    const char *ctx = "{\"n\":\"Zoe\\u0308 \\ud83d\\udc4b\\ud83c\\udffd \\ud83d\\udc69\\u200d"
                      "\\ud83d\\udcbb \\u05e9\\u05dc\\u05d5\\u05dd \\u7530\\u4e2d\"}";

    (void)state;
    assert_string_equal(
        render("Hi {{n}}!", ctx, 0, &lint),
        "Hi Zoe\xcc\x88 \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd "
        "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d "
        "\xe7\x94\xb0\xe4\xb8\xad!");
    assert_int_equal(lint.count, 0);
    assert_string_equal(render("<i>{{n}}</i>", "{\"n\":\"\\u00c9lodie & co\"}", 1, NULL),
                        "<i>\xc3\x89lodie &amp; co</i>");
    /* columns count characters, not bytes: the tag after "héllo 👋 " is at column 9 */
    render("h\xc3\xa9llo \xf0\x9f\x91\x8b {{missing}}", "{}", 0, &lint);
    assert_int_equal(lint.count, 1);
    assert_int_equal(lint.issues[0].line, 1);
    assert_int_equal(lint.issues[0].column, 9);
}

static void test_template__sections(void **state)
{
    const char *ctx = "{\"post\":{\"url\":\"https://x/p/1\"},\"none\":null,\"empty\":\"\","
                      "\"zero\":0,\"list\":[{\"n\":\"a\"},{\"n\":\"b\"}],\"words\":[\"x\",\"y\"],"
                      "\"no\":[],\"yes\":true,\"outer\":\"O\"}";

    (void)state;
    assert_string_equal(render("{{#post}}see {{url}}{{/post}}", ctx, 0, NULL), "see https://x/p/1");
    assert_string_equal(render("{{#missing}}x{{/missing}}{{#none}}x{{/none}}{{#empty}}x{{/empty}}"
                               "{{#zero}}x{{/zero}}{{#no}}x{{/no}}.",
                               ctx, 0, NULL),
                        ".");
    assert_string_equal(render("{{#list}}[{{n}}]{{/list}}", ctx, 0, NULL), "[a][b]");
    assert_string_equal(render("{{#words}}{{.}},{{/words}}", ctx, 0, NULL), "x,y,");
    /* an outer name stays visible inside a section */
    assert_string_equal(render("{{#list}}{{outer}}{{n}}{{/list}}", ctx, 0, NULL), "OaOb");
    assert_string_equal(render("{{#yes}}on{{/yes}}", ctx, 0, NULL), "on");
    /* inverted */
    assert_string_equal(
        render("{{^missing}}no post{{/missing}}{{^post}}hidden{{/post}}", ctx, 0, NULL), "no post");
    assert_string_equal(render("{{^no}}empty list{{/no}}", ctx, 0, NULL), "empty list");
    /* nested */
    assert_string_equal(
        render("{{#list}}{{#yes}}<{{n}}>{{/yes}}{{^yes}}!{{/yes}}{{/list}}", ctx, 0, NULL),
        "<a><b>");
}

static void test_template__comments_and_standalone_lines(void **state)
{
    const char *tpl = "Hi,\n"
                      "{{! a note for the team }}\n"
                      "  {{#post}}\n"
                      "I liked {{post.url}}.\n"
                      "  {{/post}}\n"
                      "{{^post}}\n"
                      "No post.\n"
                      "{{/post}}\n"
                      "Bye";

    (void)state;
    assert_string_equal(render(tpl, "{\"post\":{\"url\":\"u\"}}", 0, NULL), "Hi,\nI liked u.\nBye");
    assert_string_equal(render(tpl, "{}", 0, NULL), "Hi,\nNo post.\nBye");
    /* a section tag that shares its line with text keeps the line */
    assert_string_equal(render("a {{#x}}b{{/x}} c\n", "{\"x\":1}", 0, NULL), "a b c\n");
    /* CRLF line ends */
    assert_string_equal(render("A\r\n{{#x}}\r\nB\r\n{{/x}}\r\nC", "{\"x\":1}", 0, NULL),
                        "A\r\nB\r\nC");
}

static void test_template__missing_and_empty_fields_lint(void **state)
{
    cr_tpl_lint lint;
    const char *ctx = "{\"creator\":{\"first_name\":\"\",\"handle\":\"ana\"},\"post\":null,"
                      "\"obj\":{\"a\":1}}";

    (void)state;
    assert_string_equal(render("Hi {{creator.first_name}}\nsee {{post.url}} @{{creator.handle}}"
                               " {{obj}} {{creator.handle.deeper}}",
                               ctx, 0, &lint),
                        "Hi \nsee  @ana  ");
    assert_int_equal(lint.count, 4);
    assert_string_equal(lint.issues[0].name, "creator.first_name");
    assert_int_equal(lint.issues[0].empty, 1);
    assert_int_equal(lint.issues[0].line, 1);
    assert_int_equal(lint.issues[0].column, 4);
    assert_string_equal(lint.issues[1].name, "post.url");
    assert_int_equal(lint.issues[1].empty, 0);
    assert_int_equal(lint.issues[1].line, 2);
    assert_int_equal(lint.issues[1].column, 5);
    assert_string_equal(lint.issues[2].name, "obj"); /* not a value */
    assert_string_equal(lint.issues[3].name, "creator.handle.deeper");
    assert_int_equal(cr_tpl_lint_check(&lint, "intro"), CR_EINVALID);
    assert_string_equal(cr_error_last()->message,
                        "intro:1:4: {{creator.first_name}} is empty; 2:5: {{post.url}} is "
                        "missing; 2:38: {{obj}} is missing; 2:46: {{creator.handle.deeper}} is "
                        "missing");
    /* variables in a skipped section are not checked */
    render("{{#post}}{{post.url}}{{/post}}ok", ctx, 0, &lint);
    assert_int_equal(lint.count, 0);
    assert_int_equal(cr_tpl_lint_check(&lint, "intro"), CR_OK);
    /* raw forms are linted too */
    render("{{{a}}}{{& b}}", "{\"a\":\"\"}", 1, &lint);
    assert_int_equal(lint.count, 2);
    assert_int_equal(lint.issues[0].empty, 1);
    assert_string_equal(lint.issues[1].name, "b");
}

static void test_template__many_issues_are_counted(void **state)
{
    char tpl[4096];
    size_t i, n = 0;
    cr_tpl_lint lint;

    (void)state;
    for (i = 0; i < 40; i++)
        n += (size_t)snprintf(tpl + n, sizeof(tpl) - n, "{{v%zu}}", i);
    render(tpl, "{}", 0, &lint);
    assert_int_equal(lint.count, 40);
    assert_string_equal(lint.issues[CR_TPL_MAX_ISSUES - 1].name, "v31");
    assert_int_equal(cr_tpl_lint_check(&lint, "t"), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "; ..."));
}

static void test_template__syntax_errors_name_line_and_column(void **state)
{
    (void)state;
    assert_string_equal(parse_error("ok\n  {{#a}}x"), "t:2:3: section {{#a}} is never closed");
    assert_string_equal(parse_error("{{/a}}"), "t:1:1: {{/a}} closes no section");
    assert_string_equal(parse_error("{{#a}}{{^b}}{{/a}}{{/b}}"),
                        "t:1:13: {{/a}} closes {{^b}} opened at 1:7");
    assert_string_equal(parse_error("x {{name"), "t:1:3: unclosed tag '{{'");
    assert_string_equal(parse_error("{{{raw}}"), "t:1:1: '{{{' closed by '}}' instead of '}}}'");
    assert_string_equal(parse_error("{{> partial}}"),
                        "t:1:1: partials ({{>name}}) are not supported");
    assert_string_equal(parse_error("{{=<% %>=}}"),
                        "t:1:1: delimiter changes ({{=...=}}) are not supported");
    assert_string_equal(parse_error("{{}}"), "t:1:1: empty tag");
    assert_non_null(strstr(parse_error("{{a b}}"), "t:1:1: 'a b' is not a variable name"));
}

static void test_template__bad_context_and_depth(void **state)
{
    char tpl[1024];
    char *out = NULL;
    size_t i, n = 0;

    (void)state;
    assert_int_equal(cr_tpl_render(&out, NULL, "t", "x", 1, "[1]", 0), CR_EINVALID);
    assert_int_equal(cr_tpl_render(&out, NULL, "t", "x", 1, "{oops", 0), CR_EINVALID);
    for (i = 0; i < 40; i++)
        n += (size_t)snprintf(tpl + n, sizeof(tpl) - n, "{{#a}}");
    assert_int_equal(cr_tpl_render(&out, NULL, "t", tpl, n, "{}", 0), CR_EINVALID);
    assert_non_null(strstr(cr_error_last()->message, "nested deeper than"));
    /* the output is bounded: a list nested in itself three times fails cleanly */
    {
        char ctx[20000];
        size_t k = 0;

        k += (size_t)snprintf(ctx + k, sizeof(ctx) - k, "{\"l\":[");
        for (i = 0; i < 2000; i++)
            k += (size_t)snprintf(ctx + k, sizeof(ctx) - k, "%s%zu", i ? "," : "", i);
        snprintf(ctx + k, sizeof(ctx) - k, "]}");
        const char *big = "{{#l}}{{#l}}{{#l}}xxxxxxxxxx{{/l}}{{/l}}{{/l}}";

        assert_int_equal(cr_tpl_render(&out, NULL, "t", big, strlen(big), ctx, 0), CR_EINVALID);
        assert_null(out);
    }
}

static void test_template__text_to_html(void **state)
{
    char *h = NULL;

    (void)state;
    assert_int_equal(cr_outreach_text_to_html(&h, "Hi <Ana>,\n\nline 1\r\nline 2 & more\n"), CR_OK);
    assert_string_equal(h, "<p>Hi &lt;Ana&gt;,</p>\n<p>line 1<br>\nline 2 &amp; more</p>\n");
    cr_outreach_text_free(h);
    assert_int_equal(cr_outreach_html_escape(&h, "a'b\"c"), CR_OK);
    assert_string_equal(h, "a&#39;b&quot;c");
    cr_outreach_text_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template__variables_and_dotted_names),
        cmocka_unit_test(test_template__html_escaping),
        cmocka_unit_test(test_template__unicode_names),
        cmocka_unit_test(test_template__sections),
        cmocka_unit_test(test_template__comments_and_standalone_lines),
        cmocka_unit_test(test_template__missing_and_empty_fields_lint),
        cmocka_unit_test(test_template__many_issues_are_counted),
        cmocka_unit_test(test_template__syntax_errors_name_line_and_column),
        cmocka_unit_test(test_template__bad_context_and_depth),
        cmocka_unit_test(test_template__text_to_html),
    };
    return cmocka_run_group_tests_name("outreach.template", tests, NULL, NULL);
}
