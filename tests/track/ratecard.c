/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * ratecard.c - tests for src/track/ratecard.c: the built-in default card (Aspire's unit
 * values), the YAML loader's errors (each an exact "FILE:LINE:COL: field: ..." message),
 * the "*" fallback rate, and versions in a SQLite store: a stored version never changes,
 * the active card, a campaign's own card and the list. */
#include <math.h>
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

static cr_rate_card *parse_ok(const char *text)
{
    cr_rate_card *rc = NULL;

    if (cr_rate_card_parse(&rc, text, strlen(text), "t.yaml") != CR_OK)
        fail_msg("parse failed: %s", last_message());
    return rc;
}

static void assert_parse_error(const char *text, const char *message)
{
    cr_rate_card *rc = (cr_rate_card *)1;

    assert_int_equal(cr_rate_card_parse(&rc, text, strlen(text), "t.yaml"), CR_EINVALID);
    assert_null(rc);
    assert_string_equal(last_message(), message);
}

static void assert_rate(const cr_rate_card *rc, const char *platform, const char *metric, double v)
{
    double got = cr_rate_card_rate(rc, platform, metric);

    if (!(fabs(got - v) < 1e-12))
        fail_msg("%s %s: expected %g, got %g", platform, metric, v, got);
}

#define HEAD "version: acme-1\ncurrency: USD\nsource: our own media buys, 2026\n"

static void test_ratecard__builtin_default_is_aspire(void **state)
{
    cr_rate_card *rc = NULL;

    (void)state;
    assert_string_equal(cr_rate_card_default(), "aspire-2026");
    assert_int_equal(cr_rate_card_load(&rc, NULL, NULL), CR_OK);
    assert_string_equal(rc->version, "aspire-2026");
    assert_string_equal(rc->currency, "USD");
    assert_non_null(strstr(rc->source, "6676982"));
    assert_int_equal(rc->nrates, 10);
    /* REFERENCE.md: Instagram impression $0.003, view $0.05, like $0.15, click $3; TikTok
     * view $0.03, like $0.05, share $0.05; Pinterest click $3, save $3, impression $0.05 */
    assert_rate(rc, "instagram", "impressions", 0.003);
    assert_rate(rc, "instagram", "views", 0.05);
    assert_rate(rc, "instagram", "likes", 0.15);
    assert_rate(rc, "instagram", "clicks", 3);
    assert_rate(rc, "tiktok", "views", 0.03);
    assert_rate(rc, "tiktok", "likes", 0.05);
    assert_rate(rc, "tiktok", "shares", 0.05);
    assert_rate(rc, "pinterest", "clicks", 3);
    assert_rate(rc, "pinterest", "saves", 3);
    assert_rate(rc, "pinterest", "impressions", 0.05);
    assert_true(isnan(cr_rate_card_rate(rc, "instagram", "comments")));
    assert_true(isnan(cr_rate_card_rate(rc, "youtube", "views")));
    cr_rate_card_free(rc);
}

static void test_ratecard__unknown_version(void **state)
{
    cr_rate_card *rc = NULL;

    (void)state;
    assert_int_equal(cr_rate_card_load(&rc, NULL, "acme-9"), CR_ENOTFOUND);
    assert_null(rc);
    assert_non_null(strstr(last_message(), "rate card 'acme-9' not found"));
}

static void test_ratecard__star_rate_and_aliases(void **state)
{
    cr_rate_card *rc;

    (void)state;
    rc = parse_ok(HEAD "rates:\n  IG:\n    likes: 0.2\n  \"*\":\n    likes: 0.01\n"
                       "    comments: 0.5\n");
    assert_int_equal(rc->nrates, 3);
    assert_string_equal(rc->rates[0].platform, "instagram");
    assert_rate(rc, "instagram", "likes", 0.2);
    assert_rate(rc, "tiktok", "likes", 0.01);
    assert_rate(rc, "instagram", "comments", 0.5);
    assert_true(isnan(cr_rate_card_rate(rc, "tiktok", "views")));
    cr_rate_card_free(rc);
}

static void test_ratecard__errors_name_line_column_field(void **state)
{
    (void)state;
    assert_parse_error(HEAD "rates:\n  instagram:\n    likes: 0.15\n    hearts: 2\n",
                       "t.yaml:7:5: rates.instagram.hearts: expected a metric (impressions, "
                       "reach, views, likes, comments, shares, saves, clicks or watch_seconds), "
                       "found 'hearts'");
    assert_parse_error(HEAD "rates:\n  instagram:\n    likes: cheap\n",
                       "t.yaml:6:12: rates.instagram.likes: expected a unit value >= 0 in the "
                       "card's currency such as 0.15, found 'cheap'");
    assert_parse_error(HEAD "rates:\n  instagram:\n    likes: -1\n",
                       "t.yaml:6:12: rates.instagram.likes: expected a unit value >= 0 in the "
                       "card's currency such as 0.15, found '-1'");
    assert_parse_error(HEAD "rates:\n  myspace:\n    likes: 1\n",
                       "t.yaml:5:3: rates: expected a platform (instagram, tiktok, youtube, "
                       "facebook, x, twitch, pinterest, linkedin, snapchat, threads) or \"*\" for "
                       "any other, found 'myspace'");
    assert_parse_error(HEAD "rates:\n  instagram: 3\n",
                       "t.yaml:5:14: rates.instagram: expected a mapping of metric: unit value "
                       "such as { likes: 0.15, clicks: 3 }");
    assert_parse_error(HEAD "rates:\n  instagram:\n    likes: 1\n  ig:\n    likes: 2\n",
                       "t.yaml:8:5: rates.instagram.likes: expected one rate per platform and "
                       "metric, found a second one");
    assert_parse_error("version: acme-1\nsource: x\nrates:\n  tiktok:\n    views: 1\n",
                       "t.yaml:1:1: currency: expected this key in the document, found it "
                       "missing");
    assert_parse_error("version: acme-1\ncurrency: usd\n",
                       "t.yaml:2:11: currency: expected an ISO 4217 code such as USD, found "
                       "'usd'");
    assert_parse_error("version: Acme 2026\n",
                       "t.yaml:1:10: version: expected a version of 1-64 characters a-z, 0-9, "
                       "'.', '_' or '-' such as acme-2026, found 'Acme 2026'");
    assert_parse_error(HEAD "rate:\n  tiktok: {views: 1}\n",
                       "t.yaml:4:1: rate: expected one of the keys version, currency, source, "
                       "rates; found an unknown key");
    assert_parse_error(HEAD "rates: {}\n",
                       "t.yaml:4:1: rates: expected at least one rate, found none");
    assert_parse_error("- a\n- b\n", "t.yaml:1:1: document: expected a mapping of keys (see "
                                     "docs/media-value.md), found something else");
}

static void test_ratecard__yaml_syntax_error(void **state)
{
    cr_rate_card *rc = NULL;
    const char *text = HEAD "rates:\n  tiktok: {views: 1\n";

    (void)state;
    assert_int_equal(cr_rate_card_parse(&rc, text, strlen(text), "t.yaml"), CR_EINVALID);
    assert_non_null(strstr(last_message(), "t.yaml:"));
    assert_non_null(strstr(last_message(), "not valid YAML"));
}

static void test_ratecard__equal_ignores_order(void **state)
{
    cr_rate_card *a, *b, *c;

    (void)state;
    a = parse_ok(HEAD "rates:\n  tiktok: {views: 0.03, likes: 0.05}\n");
    b = parse_ok(HEAD "rates:\n  tiktok: {likes: 0.05, views: 0.03}\n");
    c = parse_ok(HEAD "rates:\n  tiktok: {likes: 0.06, views: 0.03}\n");
    assert_true(cr_rate_card_equal(a, b));
    assert_false(cr_rate_card_equal(a, c));
    cr_rate_card_free(a);
    cr_rate_card_free(b);
    cr_rate_card_free(c);
}

/* ---- versions in a store ---------------------------------------------------------------- */

typedef struct {
    char dir[256];
    cr_store *st;
} fixture;

static int setup(void **state)
{
    static fixture fx;
    char url[300];

    if (cr_test_tmpdir(fx.dir, sizeof(fx.dir), "ratecard") < 0)
        return -1;
    snprintf(url, sizeof(url), "sqlite:%s/t.db", fx.dir);
    if (cr_store_open(&fx.st, url) != CR_OK)
        return -1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;

    cr_store_free(fx->st);
    cr_test_rmdir(fx->dir);
    return 0;
}

typedef struct {
    char names[8][72];
    int builtin[8], stored[8], active[8];
    size_t n;
} listed;

static cr_err list_cb(const cr_track_doc *d, void *payload)
{
    listed *l = payload;

    if (l->n < 8) {
        snprintf(l->names[l->n], sizeof(l->names[0]), "%s", d->name);
        l->builtin[l->n] = d->builtin;
        l->stored[l->n] = d->stored;
        l->active[l->n] = d->active;
        l->n++;
    }
    return CR_OK;
}

static void test_ratecard__stored_versions_never_change(void **state)
{
    fixture *fx = *state;
    const char *v1 = HEAD "rates:\n  tiktok: {views: 0.03}\n";
    const char *v1_again = "# same numbers, other comments\n" HEAD "rates:\n  tiktok:\n"
                           "    views: 0.030\n";
    const char *v1_changed = HEAD "rates:\n  tiktok: {views: 0.04}\n";
    cr_rate_card *a = parse_ok(v1), *b = parse_ok(v1_again), *c = parse_ok(v1_changed), *got;

    assert_int_equal(cr_rate_card_save(fx->st, a, v1, 0), CR_OK);
    /* the same numbers again: accepted, nothing changes */
    assert_int_equal(cr_rate_card_save(fx->st, b, v1_again, 0), CR_OK);
    /* other numbers under the same version: refused */
    assert_int_equal(cr_rate_card_save(fx->st, c, v1_changed, 1), CR_ECONFLICT);
    assert_non_null(strstr(last_message(), "rate card acme-1: this version already exists"));
    assert_int_equal(cr_rate_card_load(&got, fx->st, "acme-1"), CR_OK);
    assert_true(cr_rate_card_rate(got, "tiktok", "views") == 0.03);
    cr_rate_card_free(got);
    /* the refused import did not activate it either */
    assert_int_equal(cr_rate_card_load(&got, fx->st, NULL), CR_OK);
    assert_string_equal(got->version, "aspire-2026");
    cr_rate_card_free(got);
    cr_rate_card_free(a);
    cr_rate_card_free(b);
    cr_rate_card_free(c);
}

static void test_ratecard__builtin_versions_never_change(void **state)
{
    fixture *fx = *state;
    const char *fake = "version: aspire-2026\ncurrency: USD\nsource: Aspire\nrates:\n"
                       "  instagram: {likes: 1}\n";
    cr_rate_card *rc = parse_ok(fake), *builtin = NULL;

    assert_int_equal(cr_rate_card_save(fx->st, rc, fake, 0), CR_ECONFLICT);
    cr_rate_card_free(rc);
    /* the built-in document itself is accepted (nothing to store) */
    assert_int_equal(cr_rate_card_load(&builtin, NULL, "aspire-2026"), CR_OK);
    assert_int_equal(cr_rate_card_save(fx->st, builtin, "(built in)", 0), CR_OK);
    cr_rate_card_free(builtin);
}

static void test_ratecard__active_campaign_and_list(void **state)
{
    fixture *fx = *state;
    const char *v2 = "version: acme-2\ncurrency: EUR\nsource: s\nrates:\n  '*': {likes: 0.1}\n";
    cr_rate_card *rc = parse_ok(v2), *got = NULL;
    listed l;

    assert_int_equal(cr_rate_card_save(fx->st, rc, v2, 1), CR_OK);
    cr_rate_card_free(rc);
    assert_int_equal(cr_rate_card_load(&got, fx->st, NULL), CR_OK);
    assert_string_equal(got->version, "acme-2");
    assert_string_equal(got->currency, "EUR");
    cr_rate_card_free(got);

    /* a campaign's own card wins over the active one; others get the active one */
    assert_int_equal(cr_rate_card_use(fx->st, "aspire-2026", 7), CR_OK);
    assert_int_equal(cr_rate_card_for_campaign(&got, fx->st, 7), CR_OK);
    assert_string_equal(got->version, "aspire-2026");
    cr_rate_card_free(got);
    assert_int_equal(cr_rate_card_for_campaign(&got, fx->st, 8), CR_OK);
    assert_string_equal(got->version, "acme-2");
    cr_rate_card_free(got);
    assert_int_equal(cr_rate_card_use(fx->st, "acme-9", 0), CR_ENOTFOUND);

    memset(&l, 0, sizeof(l));
    assert_int_equal(cr_rate_card_list(fx->st, list_cb, &l), CR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "aspire-2026");
    assert_int_equal(l.builtin[0], 1);
    assert_int_equal(l.stored[0], 0);
    assert_int_equal(l.active[0], 0);
    assert_string_equal(l.names[1], "acme-2");
    assert_int_equal(l.builtin[1], 0);
    assert_int_equal(l.stored[1], 1);
    assert_int_equal(l.active[1], 1);

    assert_int_equal(cr_rate_card_use(fx->st, "aspire-2026", 0), CR_OK);
    assert_int_equal(cr_rate_card_load(&got, fx->st, NULL), CR_OK);
    assert_string_equal(got->version, "aspire-2026");
    cr_rate_card_free(got);
}

static void test_ratecard__label(void **state)
{
    char buf[256];

    (void)state;
    cr_emv_label(buf, sizeof(buf), "aspire-2026");
    assert_string_equal(buf, "EMV is a relative measure (media-equivalent value from rate card "
                             "aspire-2026), not revenue: compare it with ROAS and CPL, not "
                             "instead of them");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratecard__builtin_default_is_aspire),
        cmocka_unit_test(test_ratecard__unknown_version),
        cmocka_unit_test(test_ratecard__star_rate_and_aliases),
        cmocka_unit_test(test_ratecard__errors_name_line_column_field),
        cmocka_unit_test(test_ratecard__yaml_syntax_error),
        cmocka_unit_test(test_ratecard__equal_ignores_order),
        cmocka_unit_test_setup_teardown(test_ratecard__stored_versions_never_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ratecard__builtin_versions_never_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ratecard__active_campaign_and_list, setup, teardown),
        cmocka_unit_test(test_ratecard__label),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
