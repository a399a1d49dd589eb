/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.c - the personalisation context (src/outreach/outreach.c) on a SQLite store: the
 * creator's first name and niche, the best recent post and its topic words, the audience's
 * top country, the fee offer from the rate card (recomputed here from the card's unit
 * values), unknown values left out for the lint; and templates and sequences refused with
 * the reason. */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crest/discover.h"
#include "crest/outreach.h"
#include "crest/track.h"
#include "outreach/outreach_int.h"
#include "tmpdir.h"

#define DAY 86400
#define T0  1794787200 /* 2026-11-16T00:00:00Z */

static char words[256];

static const char *topics(const char *caption)
{
    json_t *a = cr_outreach__topic_words(caption), *w;
    size_t i, n = 0;

    words[0] = '\0';
    json_array_foreach(a, i, w)
    {
        n += (size_t)snprintf(words + n, sizeof(words) - n, "%s%s", i ? "," : "",
                              json_string_value(w));
    }
    json_decref(a);
    return words;
}

static void test_outreach__topic_words(void **state)
{
    (void)state;
    assert_string_equal(topics("Morning run in the park #running #Fitness #running"),
                        "running,fitness");
    assert_string_equal(topics("A quiet weekend exploring hidden coffee shops downtown"),
                        "exploring,downtown,weekend");
    assert_string_equal(topics("this that with from have your"), "");
    assert_string_equal(topics("#caf\xc3\xa9 au lait"), "caf\xc3\xa9");
    assert_string_equal(topics("#a#b #c #d"), "a,b,c");
    assert_string_equal(topics(""), "");
    assert_string_equal(topics(NULL), "");
}

typedef struct {
    char dir[256];
    cr_store *st;
    int64_t campaign, creator, bare;
} fixture;

static int64_t post(cr_store *st,
                    int64_t creator,
                    const char *id,
                    const char *caption,
                    int64_t at,
                    int64_t likes,
                    int64_t comments,
                    int64_t impressions)
{
    cr_post p;
    cr_metric m;
    char url[128];
    int64_t pid = 0;

    memset(&p, 0, sizeof(p));
    snprintf(url, sizeof(url), "https://www.instagram.com/p/%s/", id);
    p.creator_id = creator;
    p.platform = "instagram";
    p.external_id = id;
    p.url = url;
    p.caption = caption;
    p.posted_at = at;
    assert_int_equal(cr_store_post_upsert(&pid, st, &p), CR_OK);
    memset(&m, 0, sizeof(m));
    m.post_id = pid;
    m.captured_at = at + DAY;
    m.impressions = impressions;
    m.likes = likes;
    m.comments = comments;
    m.reach = m.views = m.shares = m.saves = m.clicks = m.watch_seconds = CR_COUNT_NONE;
    assert_int_equal(cr_store_metric_upsert(st, &m), CR_OK);
    return pid;
}

static int64_t creator(cr_store *st, const char *handle, const char *name, const char *niches)
{
    cr_creator c;
    int64_t id = 0;
    char email[64];

    memset(&c, 0, sizeof(c));
    snprintf(email, sizeof(email), "%s@example.com", handle);
    c.platform = "instagram";
    c.handle = handle;
    c.name = name;
    c.email = email;
    c.country = "FR";
    c.niches = niches;
    c.followers = 12400;
    c.following = c.media_count = CR_COUNT_NONE;
    c.engagement_rate = NAN;
    assert_int_equal(cr_store_creator_upsert(&id, st, &c), CR_OK);
    return id;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    cr_creator_profile prof;
    cr_campaign c;
    char url[300];

    assert_non_null(f);
    assert_int_equal(cr_test_tmpdir(f->dir, sizeof(f->dir), "outreach-ctx"), 0);
    snprintf(url, sizeof(url), "sqlite:%s/t.db", f->dir);
    assert_int_equal(cr_store_open(&f->st, url), CR_OK);
    memset(&c, 0, sizeof(c));
    c.name = "Autumn Menu";
    c.brand = "Pawsome";
    c.status = "active";
    c.primary_goal = "awareness";
    c.start = T0;
    c.end = T0 + 20 * DAY;
    c.currency = "USD";
    assert_int_equal(cr_store_campaign_upsert(&f->campaign, f->st, &c), CR_OK);
    assert_int_equal(cr_store_begin(f->st), CR_OK);
    f->creator = creator(f->st, "zoe.cooks", "Zo\xc3\xab Martin", "food;travel");
    f->bare = creator(f->st, "nobody", NULL, NULL);
    /* the best recent post has the most engagements in the last 90 days (the older, bigger
     * one is not recent, but counts for the fee offer, over 180 days); the oldest counts for
     * nothing */
    post(f->st, f->creator, "A1", "Slow sunday #pasta #homemade", T0 - 10 * DAY, 900, 100, 20000);
    post(f->st, f->creator, "B2", "Quick lunch ideas for busy weekdays", T0 - 5 * DAY, 300, 20,
         9000);
    post(f->st, f->creator, "OLD", "#throwback", T0 - 120 * DAY, 90000, 9000, 900000);
    post(f->st, f->creator, "OLDEST", "#archive", T0 - 200 * DAY, 900000, 90000, 9000000);
    assert_int_equal(cr_store_track_refresh(f->st, 1), CR_OK);
    assert_int_equal(cr_store_commit(f->st), CR_OK);
    cr_creator_profile_init(&prof);
    prof.countries = "GB:0.18;US:0.42;FR:0.3";
    assert_int_equal(cr_store_creator_profile_set(f->st, f->creator, &prof), CR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    cr_store_free(f->st);
    cr_test_rmdir(f->dir);
    free(f);
    return 0;
}

static const char *get(json_t *ctx, const char *obj, const char *key)
{
    return json_string_value(json_object_get(json_object_get(ctx, obj), key));
}

/* The card's value of one post: likes, comments and impressions at their unit values. */
static double emv(const cr_rate_card *rc, int64_t likes, int64_t comments, int64_t impressions)
{
    double sum = 0, r;

    if (!isnan(r = cr_rate_card_rate(rc, "instagram", "likes")))
        sum += (double)likes * r;
    if (!isnan(r = cr_rate_card_rate(rc, "instagram", "comments")))
        sum += (double)comments * r;
    if (!isnan(r = cr_rate_card_rate(rc, "instagram", "impressions")))
        sum += (double)impressions * r;
    return sum;
}

static void test_outreach__context_hooks(void **state)
{
    fixture *f = *state;
    cr_rate_card *rc = NULL;
    char *text = NULL, want[64], digits[32];
    json_t *ctx;
    double mean;
    long long major;

    assert_int_equal(cr_outreach_context(&text, f->st, f->creator, f->campaign, T0), CR_OK);
    ctx = json_loads(text, 0, NULL);
    assert_non_null(ctx);
    assert_string_equal(get(ctx, "creator", "first_name"), "Zo\xc3\xab");
    assert_string_equal(get(ctx, "creator", "niche"), "food");
    assert_string_equal(get(ctx, "creator", "followers"), "12,400");
    assert_string_equal(get(ctx, "campaign", "name"), "Autumn Menu");
    assert_string_equal(get(ctx, "campaign", "end"), "2026-12-06");
    assert_string_equal(get(ctx, "post", "url"), "https://www.instagram.com/p/A1/");
    assert_string_equal(get(ctx, "post", "topic"), "pasta");
    assert_int_equal(json_array_size(json_object_get(json_object_get(ctx, "post"), "topics")), 2);
    assert_string_equal(get(ctx, "audience", "top_country"), "US");
    assert_string_equal(get(ctx, "audience", "top_country_share"), "42%");
    /* the offer: the mean value of the posts of the last 180 days, to 10 major units */
    assert_int_equal(cr_rate_card_for_campaign(&rc, f->st, f->campaign), CR_OK);
    mean = (emv(rc, 900, 100, 20000) + emv(rc, 300, 20, 9000) + emv(rc, 90000, 9000, 900000)) / 3.0;
    major = (long long)floor(mean / 10.0 + 0.5) * 10;
    assert_true(major > 0);
    snprintf(digits, sizeof(digits), "%lld", major);
    if (major >= 1000)
        snprintf(want, sizeof(want), "%s %.*s,%s", rc->currency, (int)strlen(digits) - 3, digits,
                 digits + strlen(digits) - 3);
    else
        snprintf(want, sizeof(want), "%s %s", rc->currency, digits);
    assert_true(major < 1000000);
    assert_string_equal(get(ctx, "offer", "fee"), want);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(ctx, "offer"), "amount_minor")),
        major * 100);
    /* no partnership yet: not invented */
    assert_null(json_object_get(ctx, "partnership"));
    cr_rate_card_free(rc);
    json_decref(ctx);
    cr_outreach_text_free(text);
}

static void test_outreach__unknown_values_are_left_out(void **state)
{
    fixture *f = *state;
    cr_tpl_lint lint;
    cr_outreach_template t;
    char *s = NULL, *x = NULL, *h = NULL, *text = NULL;
    json_t *ctx;

    assert_int_equal(cr_outreach_context(&text, f->st, f->bare, 0, T0), CR_OK);
    ctx = json_loads(text, 0, NULL);
    assert_null(get(ctx, "creator", "first_name"));
    assert_null(json_object_get(ctx, "post"));
    assert_null(json_object_get(ctx, "offer"));
    assert_null(json_object_get(ctx, "audience"));
    assert_null(json_object_get(ctx, "campaign"));
    json_decref(ctx);
    cr_outreach_text_free(text);
    /* so the lint names them */
    memset(&t, 0, sizeof(t));
    t.name = "intro";
    t.subject = "Hi {{creator.first_name}}";
    t.text = "Loved {{post.url}}.\n{{#offer}}{{offer.fee}}{{/offer}}";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_OK);
    assert_int_equal(cr_outreach_preview(&s, &x, &h, &lint, f->st, "intro", f->bare, 0, T0), CR_OK);
    assert_int_equal(lint.count, 2);
    assert_int_equal(cr_tpl_lint_check(&lint, "intro"), CR_EINVALID);
    assert_string_equal(cr_error_last()->message, "intro:subject:1:4: {{creator.first_name}} is "
                                                  "missing; 1:7: {{post.url}} is missing");
    cr_outreach_text_free(s);
    cr_outreach_text_free(x);
    cr_outreach_text_free(h);
    /* unknown creator, unknown campaign */
    assert_int_equal(cr_outreach_context(&text, f->st, 999, 0, T0), CR_ENOTFOUND);
    assert_int_equal(cr_outreach_context(&text, f->st, f->creator, 999, T0), CR_ENOTFOUND);
}

static cr_err parse(cr_outreach_sequence *s, const char *json, const char *file)
{
    return cr_outreach_sequence_parse(s, json, strlen(json), file);
}

static void test_outreach__templates_and_sequences_refused(void **state)
{
    fixture *f = *state;
    cr_outreach_template t;
    cr_outreach_sequence s;
    int64_t one = f->creator;

    memset(&t, 0, sizeof(t));
    t.name = "broken";
    t.subject = "Hi";
    t.text = "line\n{{#post}}never closed";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_EINVALID);
    assert_string_equal(cr_error_last()->message, "broken:2:1: section {{#post}} is never closed");
    t.text = "ok";
    t.subject = "two\nlines";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_EINVALID);
    t.subject = "{{/x}}";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_EINVALID);
    assert_string_equal(cr_error_last()->message, "broken:subject:1:1: {{/x}} closes no section");
    t.subject = "fine";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_OK);
    assert_int_equal(
        parse(&s, "{\"name\":\"s\",\"steps\":[{\"day\":-1,\"template\":\"x\"}]}", "seq.json"),
        CR_EINVALID);
    assert_string_equal(cr_error_last()->message,
                        "seq.json: steps[0].day: expected whole days from 0 to 365");
    assert_int_equal(parse(&s, "{\"name\":\"s\",\"steps\":[]}", "f"), CR_EINVALID);
    /* the same in YAML */
    assert_int_equal(parse(&s,
                           "name: y\nsteps:\n  - day: 0\n    template: a\n  - day: 3\n"
                           "    template: b\n",
                           "s.yaml"),
                     CR_OK);
    assert_int_equal(s.nsteps, 2);
    assert_int_equal(s.steps[1].day, 3);
    assert_string_equal(s.steps[1].template_name, "b");
    assert_int_equal(parse(&s, "name: y\nsteps:\n  - day: soon\n    template: a\n", "s.yaml"),
                     CR_EINVALID);
    assert_string_equal(cr_error_last()->message,
                        "s.yaml:3: steps[0].day: expected whole days from 0 to 365, found 'soon'");
    assert_int_equal(
        parse(&s, "{\"name\":\"s\",\"steps\":[{\"day\":2,\"template\":\"nope\"}]}", "f"), CR_OK);
    assert_int_equal(cr_outreach_sequence_put(NULL, f->st, &s), CR_EINVALID);
    assert_string_equal(cr_error_last()->message, "sequence s: step 1: no template 'nope'");
    snprintf(s.steps[0].template_name, sizeof(s.steps[0].template_name), "broken");
    assert_int_equal(cr_outreach_sequence_put(NULL, f->st, &s), CR_OK);
    /* a sequence in use cannot change */
    assert_int_equal(cr_outreach_enqueue(NULL, NULL, f->st, "s", f->campaign, &one, 1, T0), CR_OK);
    assert_int_equal(cr_outreach_sequence_put(NULL, f->st, &s), CR_ECONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outreach__topic_words),
        cmocka_unit_test_setup_teardown(test_outreach__context_hooks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outreach__unknown_values_are_left_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_outreach__templates_and_sequences_refused, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("outreach.outreach", tests, NULL, NULL);
}
