/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * run.c - the scheduler (src/outreach/run.c) on a SQLite store: steps fall due by their
 * days, quiet hours in the creator's zone hold a message, the minimum gap per address, the
 * warm-up cap, idempotent runs, the lint blocking a message with an unfilled variable, and
 * every stop condition (reply, decline, opt-out, bounce), with opt-outs permanent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crest/outreach.h"
#include "tmpdir.h"

#define DAY  86400
#define HOUR 3600
#define T0   1794787200 /* 2026-11-16T00:00:00Z */

typedef struct {
    char dir[256];
    cr_store *st;
    int64_t campaign;
    int64_t creators[4]; /* ana (GB), bo (US), cy (IN, no name), dee (GB) */
} fixture;

typedef struct {
    int n;
    char to[64][64];
    int step[64];
    char msgid[64][128];
    char in_reply_to[64][128];
    int fail;
} sent_log;

static cr_err record(const cr_outreach_mail *m, void *payload)
{
    sent_log *l = payload;

    if (l->fail)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "connection refused");
    assert_true(l->n < 64);
    snprintf(l->to[l->n], sizeof(l->to[0]), "%s", m->to_email);
    snprintf(l->msgid[l->n], sizeof(l->msgid[0]), "%s", m->message_id);
    snprintf(l->in_reply_to[l->n], sizeof(l->in_reply_to[0]), "%s",
             m->in_reply_to ? m->in_reply_to : "");
    l->step[l->n] = m->step;
    l->n++;
    return CR_OK;
}

static int64_t add_creator(cr_store *st, const char *handle, const char *name, const char *country)
{
    cr_creator c;
    char email[64];
    int64_t id = 0;

    memset(&c, 0, sizeof(c));
    snprintf(email, sizeof(email), "%s@example.com", handle);
    c.platform = "instagram";
    c.handle = handle;
    c.name = name;
    c.email = email;
    c.country = country;
    c.followers = c.following = c.media_count = CR_COUNT_NONE;
    c.engagement_rate = 0.0 / 0.0;
    assert_int_equal(cr_store_creator_upsert(&id, st, &c), CR_OK);
    return id;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    char url[300];
    cr_campaign c;
    cr_outreach_template t;
    cr_outreach_sequence s;
    cr_outreach_config cfg;

    assert_non_null(f);
    assert_int_equal(cr_test_tmpdir(f->dir, sizeof(f->dir), "outreach-run"), 0);
    snprintf(url, sizeof(url), "sqlite:%s/t.db", f->dir);
    assert_int_equal(cr_store_open(&f->st, url), CR_OK);
    memset(&c, 0, sizeof(c));
    c.name = "Launch";
    c.brand = "Brand";
    c.status = "active";
    c.primary_goal = "awareness";
    c.start = T0;
    c.end = T0 + 30 * DAY;
    c.currency = "USD";
    assert_int_equal(cr_store_campaign_upsert(&f->campaign, f->st, &c), CR_OK);
    f->creators[0] = add_creator(f->st, "ana", "Ana Lima", "GB");
    f->creators[1] = add_creator(f->st, "bo", "Bo Berg", "US");
    f->creators[2] = add_creator(f->st, "cy", NULL, "IN");
    f->creators[3] = add_creator(f->st, "dee", "Dee Dee", "GB");
    memset(&t, 0, sizeof(t));
    t.name = "intro";
    t.subject = "Hi {{creator.first_name}}";
    t.text = "Hello {{creator.first_name}}, about {{campaign.name}}.";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_OK);
    t.name = "nudge";
    t.subject = "Re: Hi {{creator.first_name}}";
    t.text = "Did you see this?";
    assert_int_equal(cr_outreach_template_put(NULL, f->st, &t), CR_OK);
    memset(&s, 0, sizeof(s));
    snprintf(s.name, sizeof(s.name), "launch");
    s.nsteps = 2;
    s.steps[0].day = 0;
    snprintf(s.steps[0].template_name, sizeof(s.steps[0].template_name), "intro");
    s.steps[1].day = 3;
    snprintf(s.steps[1].template_name, sizeof(s.steps[1].template_name), "nudge");
    assert_int_equal(cr_outreach_sequence_put(NULL, f->st, &s), CR_OK);
    cr_outreach_config_init(&cfg);
    snprintf(cfg.from_email, sizeof(cfg.from_email), "team@brand.example");
    assert_int_equal(cr_outreach_config_save(f->st, &cfg), CR_OK);
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

static void enqueue(fixture *f, size_t n, int64_t now)
{
    int64_t enrolled = 0, skipped = 0;

    assert_int_equal(
        cr_outreach_enqueue(&enrolled, &skipped, f->st, "launch", f->campaign, f->creators, n, now),
        CR_OK);
}

static void run(fixture *f, cr_outreach_run_stats *s, sent_log *l, int64_t now)
{
    assert_int_equal(cr_outreach_run(s, f->st, now, 0, record, l), CR_OK);
}

typedef struct {
    int64_t creator;
    char state[32];
} state_find;

static cr_err find_state(const cr_outreach_card *c, void *payload)
{
    state_find *s = payload;

    if (c->creator_id == s->creator)
        snprintf(s->state, sizeof(s->state), "%s", c->state);
    return CR_OK;
}

static const char *pipeline_state(fixture *f, int64_t creator)
{
    static state_find s;

    memset(&s, 0, sizeof(s));
    s.creator = creator;
    assert_int_equal(cr_outreach_pipeline(f->st, f->campaign, find_state, &s), CR_OK);
    return s.state;
}

static void test_run__steps_quiet_hours_and_idempotency(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    sent_log l;

    memset(&l, 0, sizeof(l));
    enqueue(f, 2, T0 + 10 * HOUR); /* ana (GB), bo (US) */
    /* 10:00 UTC: 10:00 in London, 05:00 in New York (quiet) */
    run(f, &s, &l, T0 + 10 * HOUR);
    assert_int_equal(s.queued, 2);
    assert_int_equal(s.sent, 1);
    assert_int_equal(s.quiet, 1);
    assert_string_equal(l.to[0], "ana@example.com");
    assert_string_equal(pipeline_state(f, f->creators[0]), "contacted");
    assert_string_equal(pipeline_state(f, f->creators[1]), "prospect");
    /* the same time again: nothing new, nothing twice */
    run(f, &s, &l, T0 + 10 * HOUR);
    assert_int_equal(s.queued, 0);
    assert_int_equal(s.sent, 0);
    assert_int_equal(l.n, 1);
    /* 14:00 UTC is 09:00 in New York */
    run(f, &s, &l, T0 + 14 * HOUR);
    assert_int_equal(s.sent, 1);
    assert_string_equal(l.to[1], "bo@example.com");
    /* step 2 is due 3 days after each step 1 was sent */
    run(f, &s, &l, T0 + 3 * DAY + 13 * HOUR);
    assert_int_equal(s.queued, 1);
    assert_int_equal(s.sent, 1);
    assert_string_equal(l.to[2], "ana@example.com");
    assert_int_equal(l.step[2], 2);
    assert_string_equal(l.in_reply_to[2], l.msgid[0]); /* threaded under step 1 */
    run(f, &s, &l, T0 + 3 * DAY + 14 * HOUR);
    assert_int_equal(s.sent, 1);
    assert_string_equal(l.to[3], "bo@example.com");
    /* the sequence is finished: nothing more, ever */
    run(f, &s, &l, T0 + 30 * DAY + 14 * HOUR);
    assert_int_equal(s.queued + s.sent, 0);
    assert_int_equal(l.n, 4);
}

static void test_run__lint_blocks_an_unfilled_variable(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    sent_log l;
    int found = 0;

    memset(&l, 0, sizeof(l));
    enqueue(f, 3, T0 + 10 * HOUR); /* cy has no name: {{creator.first_name}} is missing */
    run(f, &s, &l, T0 + 12 * HOUR);
    assert_int_equal(s.blocked, 1);
    assert_int_equal(s.queued, 2);
    for (int i = 0; i < l.n; i++)
        found |= strcmp(l.to[i], "cy@example.com") == 0;
    assert_int_equal(found, 0);
}

static cr_err blocked_row(const cr_outreach_queued *q, void *payload)
{
    if (strcmp(q->status, "blocked") == 0) {
        assert_string_equal(q->to_email, "cy@example.com");
        assert_non_null(strstr(q->error, "intro:subject:1:4: {{creator.first_name}} is missing"));
        (*(int *)payload)++;
    }
    return CR_OK;
}

static void test_run__lint_message_names_the_variable(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    sent_log l;
    int blocked = 0;

    memset(&l, 0, sizeof(l));
    enqueue(f, 3, T0 + 10 * HOUR);
    run(f, &s, &l, T0 + 12 * HOUR);
    assert_int_equal(cr_outreach_queue_list(f->st, NULL, blocked_row, &blocked), CR_OK);
    assert_int_equal(blocked, 1);
}

static void test_run__gap_and_warmup_cap(void **state)
{
    fixture *f = *state;
    cr_outreach_config cfg;
    cr_outreach_run_stats s;
    sent_log l;
    cr_outreach_template t;
    cr_outreach_sequence q;
    int64_t two[2];

    memset(&l, 0, sizeof(l));
    assert_int_equal(cr_outreach_config_load(&cfg, f->st), CR_OK);
    cfg.warmup_start = 1;
    cfg.warmup_step = 1;
    cfg.daily_cap = 10;
    cfg.min_gap_hours = 48;
    assert_int_equal(cr_outreach_config_save(f->st, &cfg), CR_OK);
    /* ana and dee (both GB): day 1 allows one message */
    two[0] = f->creators[0];
    two[1] = f->creators[3];
    assert_int_equal(
        cr_outreach_enqueue(NULL, NULL, f->st, "launch", f->campaign, two, 2, T0 + 9 * HOUR),
        CR_OK);
    run(f, &s, &l, T0 + 10 * HOUR);
    assert_int_equal(s.cap, 1);
    assert_int_equal(s.sent, 1);
    assert_int_equal(s.capped, 1);
    /* day 2 allows two */
    run(f, &s, &l, T0 + DAY + 10 * HOUR);
    assert_int_equal(s.cap, 2);
    assert_int_equal(s.sent, 1);
    assert_int_equal(l.n, 2);
    /* a second sequence to ana inside 48 h of her last message waits for the gap */
    memset(&t, 0, sizeof(t));
    memset(&q, 0, sizeof(q));
    snprintf(q.name, sizeof(q.name), "other");
    q.nsteps = 1;
    snprintf(q.steps[0].template_name, sizeof(q.steps[0].template_name), "nudge");
    assert_int_equal(cr_outreach_sequence_put(NULL, f->st, &q), CR_OK);
    assert_int_equal(
        cr_outreach_enqueue(NULL, NULL, f->st, "other", f->campaign, two, 1, T0 + DAY + 11 * HOUR),
        CR_OK);
    run(f, &s, &l, T0 + DAY + 11 * HOUR);
    assert_int_equal(s.gap, 1);
    assert_int_equal(s.sent, 0);
    run(f, &s, &l, T0 + 2 * DAY + 10 * HOUR); /* 48 h after ana's first message */
    assert_int_equal(s.sent, 1);
    assert_string_equal(l.to[2], "ana@example.com");
}

static void test_run__stop_on_reply_decline_optout_bounce(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    cr_outreach_reply r;
    sent_log l;
    int matched = 0, i;
    char ref[300];

    memset(&l, 0, sizeof(l));
    enqueue(f, 4, T0 + 10 * HOUR);
    run(f, &s, &l, T0 + 15 * HOUR); /* GB, US, and IN (20:30 local) all awake */
    assert_int_equal(s.sent, 3);    /* cy is blocked by the lint */
    /* ana replies (References only), bo declines, dee bounces */
    memset(&r, 0, sizeof(r));
    for (i = 0; i < l.n; i++) {
        if (strcmp(l.to[i], "ana@example.com") == 0) {
            snprintf(ref, sizeof(ref), "<other@x> %s", l.msgid[i]);
            r.references = ref;
        }
    }
    r.message_id = "<reply-1@example.com>";
    r.from = "ana@example.com";
    r.subject = "Re: Hi Ana";
    r.text = "Yes please!";
    assert_int_equal(cr_outreach_sync_reply(&matched, f->st, &r, T0 + DAY), CR_OK);
    assert_int_equal(matched, 1);
    assert_int_equal(cr_outreach_sync_reply(&matched, f->st, &r, T0 + DAY), CR_OK); /* again */
    assert_int_equal(matched, 1);
    assert_string_equal(pipeline_state(f, f->creators[0]), "replied");
    assert_int_equal(cr_outreach_state_set(f->st, f->creators[1], f->campaign, "declined",
                                           "me@brand.example", T0 + DAY),
                     CR_OK);
    memset(&r, 0, sizeof(r));
    for (i = 0; i < l.n; i++)
        if (strcmp(l.to[i], "dee@example.com") == 0)
            r.original_message_id = l.msgid[i];
    r.message_id = "<dsn-1@mx.example.com>";
    r.from = "mailer-daemon@mx.example.com";
    r.subject = "Undelivered Mail Returned to Sender";
    r.bounce = 1;
    assert_int_equal(cr_outreach_sync_reply(&matched, f->st, &r, T0 + DAY), CR_OK);
    assert_int_equal(matched, 1);
    /* an unrelated message matches nothing */
    memset(&r, 0, sizeof(r));
    r.message_id = "<spam@x>";
    r.in_reply_to = "<unknown@x>";
    assert_int_equal(cr_outreach_sync_reply(&matched, f->st, &r, T0 + DAY), CR_OK);
    assert_int_equal(matched, 0);
    /* no step 2 for anyone */
    run(f, &s, &l, T0 + 4 * DAY + 15 * HOUR);
    assert_int_equal(s.queued, 0);
    assert_int_equal(s.sent, 0);
    assert_int_equal(l.n, 3);
}

static void test_run__optout_is_permanent(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    sent_log l;
    int64_t enrolled = 0, skipped = 0;
    cr_outreach_reply r;
    int matched = 0;

    memset(&l, 0, sizeof(l));
    enqueue(f, 2, T0 + 10 * HOUR);
    /* bo's step 1 is queued but held by quiet hours when he opts out */
    run(f, &s, &l, T0 + 10 * HOUR);
    assert_int_equal(s.quiet, 1);
    assert_int_equal(cr_outreach_optout(f->st, f->creators[1], "phone call", T0 + 11 * HOUR),
                     CR_OK);
    run(f, &s, &l, T0 + 14 * HOUR);
    assert_int_equal(s.sent, 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(pipeline_state(f, f->creators[1]), "opted-out");
    /* no path back: not enrolled again, no state change */
    assert_int_equal(cr_outreach_enqueue(&enrolled, &skipped, f->st, "launch", f->campaign,
                                         &f->creators[1], 1, T0 + 2 * DAY),
                     CR_OK);
    assert_int_equal(enrolled, 0);
    assert_int_equal(skipped, 1);
    assert_int_equal(cr_outreach_state_set(f->st, f->creators[1], f->campaign, "negotiating", NULL,
                                           T0 + 2 * DAY),
                     CR_EINVALID);
    /* an "unsubscribe" reply opts ana out too */
    memset(&r, 0, sizeof(r));
    r.in_reply_to = l.msgid[0];
    r.message_id = "<u@example.com>";
    r.subject = "unsubscribe";
    assert_int_equal(cr_outreach_sync_reply(&matched, f->st, &r, T0 + DAY), CR_OK);
    assert_string_equal(pipeline_state(f, f->creators[0]), "opted-out");
    run(f, &s, &l, T0 + 5 * DAY + 14 * HOUR);
    assert_int_equal(s.queued + s.sent, 0);
}

static void test_run__optout_by_address_covers_every_profile(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    cr_creator c;
    sent_log l;
    int64_t tiktok = 0;

    memset(&l, 0, sizeof(l));
    /* ana also has a TikTok profile with the same address */
    memset(&c, 0, sizeof(c));
    c.platform = "tiktok";
    c.handle = "ana";
    c.name = "Ana Lima";
    c.email = "ANA@example.com";
    c.country = "GB";
    c.followers = c.following = c.media_count = CR_COUNT_NONE;
    c.engagement_rate = 0.0 / 0.0;
    assert_int_equal(cr_store_creator_upsert(&tiktok, f->st, &c), CR_OK);
    assert_int_equal(
        cr_outreach_enqueue(NULL, NULL, f->st, "launch", f->campaign, &tiktok, 1, T0 + 6 * HOUR),
        CR_OK);
    run(f, &s, &l, T0 + 6 * HOUR); /* 06:00 in London: queued, held by quiet hours */
    assert_int_equal(s.queued, 1);
    assert_int_equal(s.quiet, 1);
    assert_int_equal(cr_outreach_optout(f->st, f->creators[0], "email", T0 + 7 * HOUR), CR_OK);
    run(f, &s, &l, T0 + 10 * HOUR);
    assert_int_equal(s.sent, 0);
    assert_int_equal(s.stopped, 1);
    assert_int_equal(l.n, 0);
}

static void test_run__transport_failure_is_recorded(void **state)
{
    fixture *f = *state;
    cr_outreach_run_stats s;
    sent_log l;

    memset(&l, 0, sizeof(l));
    l.fail = 1;
    enqueue(f, 1, T0 + 10 * HOUR);
    run(f, &s, &l, T0 + 10 * HOUR);
    assert_int_equal(s.failed, 1);
    assert_int_equal(s.sent, 0);
    /* a failed row is not retried behind the user's back */
    l.fail = 0;
    run(f, &s, &l, T0 + 11 * HOUR);
    assert_int_equal(s.sent, 0);
    assert_string_equal(pipeline_state(f, f->creators[0]), "prospect");
}

static void test_run__transitions(void **state)
{
    (void)state;
    assert_true(cr_outreach_transition_ok("prospect", "contacted"));
    assert_true(cr_outreach_transition_ok("contacted", "negotiating"));
    assert_true(cr_outreach_transition_ok("negotiating", "declined"));
    assert_true(cr_outreach_transition_ok("declined", "prospect"));
    assert_true(cr_outreach_transition_ok("live", "opted-out"));
    assert_false(cr_outreach_transition_ok("contacted", "prospect"));
    assert_false(cr_outreach_transition_ok("live", "declined"));
    assert_false(cr_outreach_transition_ok("completed", "live"));
    assert_false(cr_outreach_transition_ok("opted-out", "prospect"));
    assert_false(cr_outreach_transition_ok("declined", "contacted"));
    assert_false(cr_outreach_transition_ok("prospect", "bogus"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run__steps_quiet_hours_and_idempotency, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run__lint_blocks_an_unfilled_variable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run__lint_message_names_the_variable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run__gap_and_warmup_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run__stop_on_reply_decline_optout_bounce, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run__optout_is_permanent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run__optout_by_address_covers_every_profile, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run__transport_failure_is_recorded, setup, teardown),
        cmocka_unit_test(test_run__transitions),
    };
    return cmocka_run_group_tests_name("outreach.run", tests, NULL, NULL);
}
