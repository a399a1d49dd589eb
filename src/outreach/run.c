/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * run.c - enrolment, the queue, sending and replies.
 *
 * `outreach run` works in two phases. First every active enrolment whose next step fell due
 * gets one queue row, rendered and linted then (a row is unique per enrolment and step, so a
 * second run finds it there and queues nothing). Then the queued rows that are due are sent
 * in order under the rules: a creator who opted out, declined or whose sequence stopped is
 * dropped; quiet hours, the minimum gap per address and the day's cap leave a row queued for
 * a later run. A row is claimed (queued -> sending, in its own transaction) before the
 * transport gets it, and marked sent (or failed) after, so two runs never send one row twice.
 * A crash between the claim and the mark leaves the row "sending": it is not sent again (at
 * most once), and `outreach queue --status sending` shows it. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outreach/outreach_int.h"
#include "store/outreach.h"
#include "store/portable.h"
#include "util/alloc.h"
#include "util/str.h"

#define DAY 86400

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t jint(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static int closed_state(const char *s)
{
    return s && (strcmp(s, "declined") == 0 || strcmp(s, "opted-out") == 0);
}

/* "<crest.<32 hex>@domain>" */
static void new_message_id(char *buf, size_t size, const char *from_email)
{
    unsigned char r[16];
    char hex[33];
    const char *at = strchr(from_email, '@');

    randombytes_buf(r, sizeof(r));
    sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
    snprintf(buf, size, "<crest.%s@%s>", hex, at && at[1] ? at + 1 : "crest.invalid");
}

cr_err cr_outreach_enqueue(int64_t *enrolled,
                           int64_t *skipped,
                           cr_store *st,
                           const char *sequence,
                           int64_t campaign_id,
                           const int64_t *creator_ids,
                           size_t n,
                           int64_t now)
{
    json_t *seq = NULL, *row = NULL;
    cr_value p[4];
    char detail[256];
    int64_t seq_id, id, ok = 0, skip = 0;
    size_t i;
    cr_err rc;

    if (enrolled)
        *enrolled = 0;
    if (skipped)
        *skipped = 0;
    p[0] = v_text(sequence);
    if ((rc = cr_store_outreach_row(&seq, st, CR_OQ_SEQUENCES, p, 1)) < 0)
        return rc == CR_ENOTFOUND
                   ? cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no sequence '%s'", sequence)
                   : rc;
    seq_id = jint(seq, "id");
    json_decref(seq);
    p[0] = v_int(campaign_id);
    if ((rc = cr_store_outreach_row(&row, st, CR_OQ_CAMPAIGN, p, 1)) < 0)
        return rc == CR_ENOTFOUND ? cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE,
                                                 "no campaign %lld", (long long)campaign_id)
                                  : rc;
    json_decref(row);
    row = NULL;
    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        const char *email;
        int bad;

        p[0] = v_int(creator_ids[i]);
        if ((rc = cr_store_outreach_row(&row, st, CR_OQ_CREATOR, p, 1)) < 0) {
            if (rc == CR_ENOTFOUND)
                rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %lld",
                                  (long long)creator_ids[i]);
            goto fail;
        }
        email = jstr(row, "email");
        bad = jint(row, "opted_out") != 0 || email == NULL || *email == '\0';
        if (!bad) {
            json_t *o = NULL;

            p[0] = v_text(email);
            rc = cr_store_outreach_row(&o, st, CR_OQ_OPTOUT_EMAIL, p, 1);
            json_decref(o);
            if (rc < 0 && rc != CR_ENOTFOUND)
                goto fail;
            bad = rc == CR_OK;
        }
        if (!bad) {
            json_t *part = NULL;

            p[0] = v_int(campaign_id);
            p[1] = v_int(creator_ids[i]);
            if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_PARTNERSHIP_NEW, p, 2)) < 0 ||
                (rc = cr_store_outreach_row(&part, st, CR_OQ_PARTNERSHIP, p, 2)) < 0)
                goto fail;
            bad = closed_state(jstr(part, "status"));
            json_decref(part);
        }
        json_decref(row);
        row = NULL;
        if (bad) {
            skip++;
            continue;
        }
        p[0] = v_int(seq_id);
        p[1] = v_int(campaign_id);
        p[2] = v_int(creator_ids[i]);
        p[3] = v_int(now);
        if ((rc = cr_store_outreach_exec(&id, st, CR_OW_ENROLL, p, 4)) < 0)
            goto fail;
        if (id == 0) {
            skip++;
            continue;
        }
        snprintf(detail, sizeof(detail), "enrolled in sequence %s", sequence);
        if ((rc = cr_outreach__event(st, creator_ids[i], campaign_id, "note", detail, NULL, now)) <
            0)
            goto fail;
        ok++;
    }
    if ((rc = cr_store_commit(st)) < 0)
        return rc;
    if (enrolled)
        *enrolled = ok;
    if (skipped)
        *skipped = skip;
    return CR_OK;
fail:
    json_decref(row);
    cr_store_rollback(st);
    return rc;
}

typedef struct {
    char *subject, *text, *html;
} tpl_texts;

static cr_err tpl_texts_row(const cr_outreach_template *t, void *payload)
{
    tpl_texts *c = payload;

    c->subject = cr_strdup(t->subject);
    c->text = cr_strdup(t->text);
    c->html = t->html ? cr_strdup(t->html) : NULL;
    if (!c->subject || !c->text || (t->html && !c->html))
        return cr_error_oom();
    return CR_OK;
}

static void tpl_texts_dispose(tpl_texts *t)
{
    cr_free(t->subject);
    cr_free(t->text);
    cr_free(t->html);
    memset(t, 0, sizeof(*t));
}

/* Phase 1: one queue row per due step. */
static cr_err queue_due(
    cr_outreach_run_stats *s, cr_store *st, const cr_outreach_config *cfg, int64_t now, int dry_run)
{
    json_t *rows = NULL, *r;
    cr_value p[14];
    size_t i;
    int in_tx = 0;
    cr_err rc;

    p[0] = v_int(now);
    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_DUE_STEPS, p, 1)) < 0)
        return rc;
    if (!dry_run) {
        if ((rc = cr_store_begin(st)) < 0)
            goto done;
        in_tx = 1;
    }
    json_array_foreach(rows, i, r)
    {
        tpl_texts t = { NULL, NULL, NULL };
        char *ctx = NULL, *subject = NULL, *text = NULL, *html = NULL, msgid[320];
        const char *state = jstr(r, "state"), *err = NULL;
        cr_tpl_lint lint;
        int64_t creator = jint(r, "creator_id"), campaign = jint(r, "campaign_id");

        if (jint(r, "opted_out") || closed_state(state)) {
            s->stopped++;
            if (dry_run)
                continue;
            p[0] = v_int(jint(r, "id"));
            p[1] =
                v_text(jint(r, "opted_out") ? CR_OUTREACH_STOP_OPTOUT : CR_OUTREACH_STOP_DECLINE);
            p[2] = v_int(now);
            if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_ENROLL_STOP, p, 3)) < 0)
                goto done;
            continue;
        }
        if ((rc = cr_outreach_template_list(st, jstr(r, "template"), tpl_texts_row, &t)) < 0 ||
            (rc = cr_outreach_context(&ctx, st, creator, campaign, now)) < 0 ||
            (rc = cr_outreach__render(&subject, &text, &html, &lint, jstr(r, "template"), t.subject,
                                      t.text, t.html, ctx)) < 0) {
            tpl_texts_dispose(&t);
            cr_free(ctx);
            goto done;
        }
        tpl_texts_dispose(&t);
        cr_free(ctx);
        if (cr_tpl_lint_check(&lint, jstr(r, "template")) < 0)
            err = cr_error_last()->message;
        if (dry_run) {
            if (err)
                s->blocked++;
            else
                s->queued++;
        } else {
            int64_t mid = 0;

            new_message_id(msgid, sizeof(msgid), cfg->from_email);
            p[0] = v_int(jint(r, "id"));
            p[1] = v_int(0);
            p[2] = v_int(campaign);
            p[3] = v_int(creator);
            p[4] = v_int(jint(r, "step"));
            p[5] = v_text(jstr(r, "email"));
            p[6] = v_text(subject);
            p[7] = v_text(text);
            p[8] = v_text(html);
            p[9] = v_text(msgid);
            p[10] = v_text(err ? "blocked" : "queued");
            p[11] = v_text(err);
            p[12] = v_int(jint(r, "due"));
            p[13] = v_int(now);
            /* a run at the same time may have queued it first: then nothing is counted */
            rc = cr_store_outreach_exec(&mid, st, CR_OW_MESSAGE, p, 14);
            if (rc == CR_OK && mid > 0 && !err)
                s->queued++;
            if (rc == CR_OK && mid > 0 && err) {
                char detail[1024];

                s->blocked++;
                snprintf(detail, sizeof(detail), "step %lld of %s blocked: %s",
                         (long long)jint(r, "step"), jstr(r, "sequence"), err);
                rc = cr_outreach__event(st, creator, campaign, "message", detail, NULL, now);
            }
        }
        cr_free(subject);
        cr_free(text);
        cr_free(html);
        if (rc < 0)
            goto done;
    }
    if (in_tx) {
        in_tx = 0;
        rc = cr_store_commit(st);
    }
done:
    if (in_tx)
        cr_store_rollback(st);
    json_decref(rows);
    return rc;
}

static cr_err count_row(json_t **out,
                        cr_store *st,
                        cr_store_outreach_q q,
                        const cr_value *p,
                        size_t n,
                        const char *col,
                        int64_t *v)
{
    cr_err rc = cr_store_outreach_row(out, st, q, p, n);

    *v = 0;
    if (rc == CR_ENOTFOUND)
        return CR_OK;
    if (rc < 0)
        return rc;
    *v = jint(*out, col);
    json_decref(*out);
    *out = NULL;
    return CR_OK;
}

/* Mark a claimed row sent and advance its sequence, in one transaction. */
static cr_err mark_sent(cr_store *st, const json_t *r, int64_t now)
{
    cr_value p[4];
    char detail[768];
    int64_t creator = jint(r, "creator_id"), campaign = jint(r, "campaign_id");
    cr_err rc;

    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    p[0] = v_int(jint(r, "id"));
    p[1] = v_text("sent");
    p[2] = v_text(NULL);
    p[3] = v_int(now);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_MESSAGE_DONE, p, 4)) < 0)
        goto fail;
    if (jint(r, "enrollment_id") > 0) {
        p[0] = v_int(jint(r, "enrollment_id"));
        p[1] = v_int(jint(r, "step"));
        p[2] = v_int(now);
        p[3] = v_int(jint(r, "nsteps"));
        if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_ENROLL_ADVANCE, p, 4)) < 0)
            goto fail;
    }
    if (campaign > 0 && strcmp(jstr(r, "state"), "prospect") == 0 &&
        (rc = cr_outreach__move(NULL, st, creator, campaign, "contacted", NULL, now, 1)) < 0)
        goto fail;
    if (jstr(r, "sequence"))
        snprintf(detail, sizeof(detail), "step %lld of %s sent to %s: %s %s",
                 (long long)jint(r, "step"), jstr(r, "sequence"), jstr(r, "to"), jstr(r, "subject"),
                 jstr(r, "message_id"));
    else
        snprintf(detail, sizeof(detail), "sent to %s: %s %s", jstr(r, "to"), jstr(r, "subject"),
                 jstr(r, "message_id"));
    if ((rc = cr_outreach__event(st, creator, campaign, "message", detail, NULL, now)) < 0)
        goto fail;
    return cr_store_commit(st);
fail:
    cr_store_rollback(st);
    return rc;
}

/* The Message-IDs of the steps sent before this one, for In-Reply-To and References. */
static cr_err thread_ids(cr_str *refs, char *last, size_t size, cr_store *st, const json_t *r)
{
    json_t *rows = NULL, *x;
    cr_value p[2];
    size_t i;
    cr_err rc;

    last[0] = '\0';
    if (jint(r, "enrollment_id") <= 0)
        return CR_OK;
    p[0] = v_int(jint(r, "enrollment_id"));
    p[1] = v_int(jint(r, "step"));
    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_PREV_IDS, p, 2)) < 0)
        return rc;
    json_array_foreach(rows, i, x)
    {
        const char *id = jstr(x, "message_id");

        if ((rc = cr_str_printf(refs, "%s%s", i ? " " : "", id)) < 0)
            break;
        snprintf(last, size, "%s", id);
    }
    json_decref(rows);
    return rc;
}

cr_err cr_outreach_run(cr_outreach_run_stats *out,
                       cr_store *st,
                       int64_t now,
                       int dry_run,
                       cr_outreach_send_fn send,
                       void *payload)
{
    cr_outreach_run_stats s;
    cr_outreach_config cfg;
    json_t *rows = NULL, *r, *tmp = NULL;
    cr_value p[4];
    char unsub[600], from_name[160];
    int64_t first, sent_today, day0 = now - ((now % DAY) + DAY) % DAY;
    size_t i;
    cr_err rc;

    memset(&s, 0, sizeof(s));
    if (out)
        memset(out, 0, sizeof(*out));
    if (!dry_run && send == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "run: no transport");
    if ((rc = cr_outreach_config_load(&cfg, st)) < 0 ||
        (rc = queue_due(&s, st, &cfg, now, dry_run)) < 0)
        return rc;
    if ((rc = count_row(&tmp, st, CR_OQ_FIRST_SENT, NULL, 0, "first", &first)) < 0)
        return rc;
    p[0] = v_int(day0);
    p[1] = v_int(day0 + DAY);
    if ((rc = count_row(&tmp, st, CR_OQ_SENT_BETWEEN, p, 2, "n", &sent_today)) < 0)
        return rc;
    s.cap = cr_outreach_day_cap(&cfg, first, now);
    if (cfg.unsubscribe[0])
        snprintf(unsub, sizeof(unsub), "%s", cfg.unsubscribe);
    else
        snprintf(unsub, sizeof(unsub), "mailto:%s?subject=unsubscribe", cfg.from_email);
    snprintf(from_name, sizeof(from_name), "%s", cfg.from_name);
    p[0] = v_int(now);
    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_QUEUED_DUE, p, 1)) < 0)
        return rc;
    json_array_foreach(rows, i, r)
    {
        const char *estat = jstr(r, "enrollment_status");
        int64_t last, claimed = 0;
        int offset = 0;

        if (jint(r, "opted_out") || closed_state(jstr(r, "state")) ||
            (jint(r, "enrollment_id") > 0 && estat && strcmp(estat, "active") != 0)) {
            s.stopped++;
            if (dry_run)
                continue;
            p[0] = v_int(jint(r, "id"));
            p[1] = v_text("dropped");
            p[2] = v_text(jint(r, "opted_out")             ? "the creator opted out"
                          : closed_state(jstr(r, "state")) ? "the partnership is closed"
                                                           : "the sequence stopped");
            p[3] = v_int(now);
            if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_MESSAGE_DONE, p, 4)) < 0)
                goto done;
            continue;
        }
        cr_outreach_tz_offset(&offset, jstr(r, "country"), now);
        if (cr_outreach_quiet(&cfg, now, offset)) {
            s.quiet++;
            continue;
        }
        p[0] = v_text(jstr(r, "to"));
        if ((rc = count_row(&tmp, st, CR_OQ_LAST_TO_ADDR, p, 1, "last", &last)) < 0)
            goto done;
        if (last > 0 && now - last < (int64_t)cfg.min_gap_hours * 3600) {
            s.gap++;
            continue;
        }
        if (sent_today >= s.cap) {
            s.capped++;
            continue;
        }
        if (dry_run) {
            s.sent++;
            sent_today++;
            continue;
        }
        /* claim the row: only one run gets it */
        if ((rc = cr_store_begin(st)) < 0)
            goto done;
        p[0] = v_int(jint(r, "id"));
        p[1] = v_int(now);
        if ((rc = cr_store_outreach_exec(&claimed, st, CR_OW_MESSAGE_CLAIM, p, 2)) < 0) {
            cr_store_rollback(st);
            goto done;
        }
        if ((rc = cr_store_commit(st)) < 0)
            goto done;
        if (claimed == 0)
            continue;
        {
            cr_outreach_mail m;
            cr_str refs;
            char last_id[320];
            cr_err sr;

            cr_str_init(&refs, 64 * 1024);
            if ((rc = thread_ids(&refs, last_id, sizeof(last_id), st, r)) < 0) {
                cr_str_dispose(&refs);
                goto done;
            }
            memset(&m, 0, sizeof(m));
            m.id = jint(r, "id");
            m.from_email = cfg.from_email;
            m.from_name = from_name[0] ? from_name : NULL;
            m.to_email = jstr(r, "to");
            m.to_name = jstr(r, "name");
            m.subject = jstr(r, "subject");
            m.text = jstr(r, "text");
            m.html = jstr(r, "html");
            m.message_id = jstr(r, "message_id");
            m.in_reply_to = last_id[0] ? last_id : NULL;
            m.references = refs.len ? cr_str_cstr(&refs) : NULL;
            m.list_unsubscribe = unsub;
            m.date = now;
            m.step = (int)jint(r, "step");
            m.handle = jstr(r, "handle");
            m.sequence = jstr(r, "sequence");
            cr_error_clear();
            sr = send(&m, payload);
            cr_str_dispose(&refs);
            if (sr == CR_OK) {
                if ((rc = mark_sent(st, r, now)) < 0)
                    goto done;
                s.sent++;
                sent_today++;
            } else {
                const cr_error *e = cr_error_last();
                char msg[1024];

                snprintf(msg, sizeof(msg), "%s", e ? e->message : "the transport failed");
                p[0] = v_int(jint(r, "id"));
                p[1] = v_text("failed");
                p[2] = v_text(msg);
                p[3] = v_int(now);
                if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_MESSAGE_DONE, p, 4)) < 0)
                    goto done;
                s.failed++;
            }
        }
    }
    rc = CR_OK;
done:
    json_decref(rows);
    if (out)
        *out = s;
    return rc;
}

cr_err
cr_outreach_queue_list(cr_store *st, const char *status, cr_outreach_queued_cb cb, void *payload)
{
    json_t *rows = NULL, *r;
    cr_value p = v_text(status);
    size_t i;
    cr_err rc;

    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_QUEUE, &p, 1)) < 0)
        return rc;
    json_array_foreach(rows, i, r)
    {
        cr_outreach_queued q;

        q.id = jint(r, "id");
        q.enrollment_id = jint(r, "enrollment_id");
        q.creator_id = jint(r, "creator_id");
        q.campaign_id = jint(r, "campaign_id");
        q.step = (int)jint(r, "step");
        q.handle = jstr(r, "handle");
        q.sequence = jstr(r, "sequence");
        q.to_email = jstr(r, "to");
        q.subject = jstr(r, "subject");
        q.status = jstr(r, "status");
        q.message_id = jstr(r, "message_id");
        q.error = jstr(r, "error");
        q.due_at = jint(r, "due_at");
        q.sent_at = jint(r, "sent_at");
        if ((rc = cb(&q, payload)) < 0)
            break;
    }
    json_decref(rows);
    return rc;
}

/* Find the sent message an id names ("<id>" or "id"). */
static cr_err find_sent(json_t **out, cr_store *st, const char *id, size_t n)
{
    char buf[512];
    cr_value p;

    *out = NULL;
    while (n > 0 && (*id == ' ' || *id == '\t')) {
        id++;
        n--;
    }
    if (n == 0 || n + 3 > sizeof(buf))
        return CR_ENOTFOUND;
    if (*id == '<')
        snprintf(buf, sizeof(buf), "%.*s", (int)n, id);
    else
        snprintf(buf, sizeof(buf), "<%.*s>", (int)n, id);
    p = v_text(buf);
    return cr_store_outreach_row(out, st, CR_OQ_MSG_BY_MSGID, &p, 1);
}

static int asks_unsubscribe(const char *subject, const char *text)
{
    const char *s = subject ? subject : "";
    size_t n;

    while (strncasecmp(s, "re:", 3) == 0 || *s == ' ')
        s += *s == ' ' ? 1 : 3;
    if (strncasecmp(s, "unsubscribe", 11) == 0)
        return 1;
    s = text ? text : "";
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    n = strcspn(s, "\r\n");
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '!'))
        n--;
    return (n == 11 && strncasecmp(s, "unsubscribe", 11) == 0) ||
           (n == 4 && strncasecmp(s, "stop", 4) == 0);
}

cr_err cr_outreach_sync_reply(int *matched, cr_store *st, const cr_outreach_reply *r, int64_t now)
{
    json_t *msg = NULL;
    const char *kind;
    char key[512], detail[1024];
    cr_value p[6];
    int64_t reply_id = 0, creator, campaign, at = r->date > 0 ? r->date : now;
    cr_err rc = CR_ENOTFOUND;

    *matched = 0;
    if (r->in_reply_to && *r->in_reply_to)
        rc = find_sent(&msg, st, r->in_reply_to, strlen(r->in_reply_to));
    if (rc == CR_ENOTFOUND && r->original_message_id && *r->original_message_id)
        rc = find_sent(&msg, st, r->original_message_id, strlen(r->original_message_id));
    if (rc == CR_ENOTFOUND && r->references) {
        const char *q = r->references;

        while (rc == CR_ENOTFOUND && *q) {
            size_t n;

            q += strspn(q, " \t\r\n,");
            n = strcspn(q, " \t\r\n,");
            if (n == 0)
                break;
            rc = find_sent(&msg, st, q, n);
            q += n;
        }
    }
    if (rc == CR_ENOTFOUND) {
        cr_error_clear();
        return CR_OK;
    }
    if (rc < 0)
        return rc;
    *matched = 1;
    creator = jint(msg, "creator_id");
    campaign = jint(msg, "campaign_id");
    kind = r->bounce ? "bounce" : asks_unsubscribe(r->subject, r->text) ? "optout" : "reply";
    if (r->message_id && *r->message_id)
        snprintf(key, sizeof(key), "%s", r->message_id);
    else
        snprintf(key, sizeof(key), "no-id:%s|%lld|%s", r->from ? r->from : "", (long long)r->date,
                 r->subject ? r->subject : "");
    if ((rc = cr_store_begin(st)) < 0)
        goto done;
    p[0] = v_text(key);
    p[1] = v_int(jint(msg, "id"));
    p[2] = v_text(r->from);
    p[3] = v_text(r->subject);
    p[4] = v_text(kind);
    p[5] = v_int(at);
    if ((rc = cr_store_outreach_exec(&reply_id, st, CR_OW_REPLY, p, 6)) < 0)
        goto fail;
    if (reply_id == 0) /* seen before */
        goto commit;
    if (r->auto_reply && !r->bounce) {
        snprintf(detail, sizeof(detail), "automatic reply from %s: %s", r->from ? r->from : "?",
                 r->subject ? r->subject : "");
        if ((rc = cr_outreach__event(st, creator, campaign, "reply", detail, NULL, at)) < 0)
            goto fail;
        goto commit;
    }
    if (strcmp(kind, "optout") == 0) {
        if ((rc = cr_outreach__optout_tx(st, creator, "reply: unsubscribe", at)) < 0)
            goto fail;
        goto commit;
    }
    if (strcmp(kind, "bounce") == 0) {
        p[0] = v_int(creator);
        p[1] = v_text(CR_OUTREACH_STOP_BOUNCE);
        p[2] = v_int(at);
        p[3] = v_int(0);
        snprintf(detail, sizeof(detail), "bounce of step %lld: %s", (long long)jint(msg, "step"),
                 r->subject ? r->subject : "");
        if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_ENROLL_STOP_CREATOR, p, 4)) < 0 ||
            (rc = cr_store_outreach_exec(NULL, st, CR_OW_MESSAGE_DROP_CREATOR, p, 2)) < 0 ||
            (rc = cr_outreach__event(st, creator, campaign, "bounce", detail, NULL, at)) < 0)
            goto fail;
        goto commit;
    }
    if (jint(msg, "enrollment_id") > 0) {
        p[0] = v_int(jint(msg, "enrollment_id"));
        p[1] = v_text(CR_OUTREACH_STOP_REPLY);
        p[2] = v_int(at);
        if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_ENROLL_STOP, p, 3)) < 0 ||
            (rc = cr_store_outreach_exec(NULL, st, CR_OW_MESSAGE_DROP_ENROLLMENT, p, 2)) < 0)
            goto fail;
    }
    if (campaign > 0 &&
        (rc = cr_outreach__move(NULL, st, creator, campaign, "replied", NULL, at, 1)) < 0)
        goto fail;
    snprintf(detail, sizeof(detail), "reply from %s to step %lld: %s", r->from ? r->from : "?",
             (long long)jint(msg, "step"), r->subject ? r->subject : "");
    if ((rc = cr_outreach__event(st, creator, campaign, "reply", detail, NULL, at)) < 0)
        goto fail;
commit:
    rc = cr_store_commit(st);
    goto done;
fail:
    cr_store_rollback(st);
done:
    json_decref(msg);
    return rc;
}
