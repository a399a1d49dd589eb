/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * routes_outreach.c - the routes behind the browser's Outreach page (issue 7): templates
 * (list, create or replace, and a live preview that renders unsaved text for a creator with
 * the lint's findings), sequences (list, create), the send queue, the pipeline board of a
 * campaign, a creator's timeline, and the three pipeline writes (state change, note,
 * opt-out). Every write goes through the same cr_outreach_* calls as `crest outreach`, with
 * the session's user as the actor; the server's sessions, roles and CSRF check come first
 * (server.c). The background sender is src/server/outreach_runner.c. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "crest/outreach.h"
#include "server/server.h"
#include "util/alloc.h"
#include "util/date.h"

static cr_err id_param(int64_t *out, http_req *req, http_res *res)
{
    const char *v = http_path_param(req, "id");
    char *end;
    long long id;

    if (*v < '0' || *v > '9' || (id = strtoll(v, &end, 10)) <= 0 || *end != '\0' || id == LLONG_MAX)
        return http_invalid(res, "id", "id: expected a positive integer, found '%s'", v);
    *out = id;
    return CR_OK;
}

/* An optional string field of the body; CR_EINVALID naming it when it is not a string. */
static cr_err body_str(const char **out, http_req *req, http_res *res, const char *name, int need)
{
    json_t *v = json_object_get(req->json, name);

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (need)
            return http_invalid(res, name, "%s: required", name);
        return CR_OK;
    }
    if (!json_is_string(v))
        return http_invalid(res, name, "%s: expected a string", name);
    *out = json_string_value(v);
    return CR_OK;
}

/* An optional positive integer field of the body (a campaign or creator id); 0 when absent. */
static cr_err body_id(int64_t *out, http_req *req, http_res *res, const char *name, int need)
{
    json_t *v = json_object_get(req->json, name);

    *out = 0;
    if (v == NULL || json_is_null(v)) {
        if (need)
            return http_invalid(res, name, "%s: required", name);
        return CR_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return http_invalid(res, name, "%s: expected a positive integer id", name);
    *out = json_integer_value(v);
    return CR_OK;
}

/* ?campaign=ID (0 when absent) */
static cr_err query_id(int64_t *out, http_req *req, http_res *res, const char *name)
{
    const char *v = http_query(req, name);
    char *end;
    long long id;

    *out = 0;
    if (v == NULL || *v == '\0')
        return CR_OK;
    if (*v < '0' || *v > '9' || (id = strtoll(v, &end, 10)) <= 0 || *end != '\0' || id == LLONG_MAX)
        return http_invalid(res, name, "%s: expected a positive integer, found '%s'", name, v);
    *out = id;
    return CR_OK;
}

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t t)
{
    char d[32];
    return t > 0 ? json_string(cr_fmt_datetime(d, sizeof(d), t)) : json_null();
}

static cr_err append(json_t *arr, json_t *item)
{
    return item == NULL || json_array_append_new(arr, item) < 0 ? cr_error_oom() : CR_OK;
}

/* ---- templates ---- */

static cr_err template_json(const cr_outreach_template *t, void *payload)
{
    return append(payload,
                  json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)t->id, "name", t->name,
                            "subject", t->subject, "text", t->text, "html", str_or_null(t->html),
                            "updated_at", time_or_null(t->updated_at)));
}

cr_err http_outreach_templates(http_req *req, http_res *res)
{
    json_t *arr = json_array();
    cr_err rc;

    if (arr == NULL)
        return cr_error_oom();
    if ((rc = cr_outreach_template_list(req->store, NULL, template_json, arr)) < 0) {
        json_decref(arr);
        return rc;
    }
    res->body = json_pack("{s:o}", "templates", arr);
    return res->body ? CR_OK : cr_error_oom();
}

/* A template error names line:column in one of the three texts: say which field. */
static void template_field(http_res *res)
{
    const cr_error *e = cr_error_last();

    res->field = "text";
    if (e != NULL && strstr(e->message, "subject") != NULL)
        res->field = "subject";
    else if (e != NULL && strstr(e->message, "html") != NULL)
        res->field = "html";
    else if (e != NULL && strstr(e->message, "name") != NULL &&
             strstr(e->message, "name") == e->message)
        res->field = "name";
}

cr_err http_outreach_template_put(http_req *req, http_res *res)
{
    cr_outreach_template t;
    int64_t id = 0;
    cr_err rc;

    memset(&t, 0, sizeof(t));
    if ((rc = body_str(&t.name, req, res, "name", 1)) < 0 ||
        (rc = body_str(&t.subject, req, res, "subject", 1)) < 0 ||
        (rc = body_str(&t.text, req, res, "text", 1)) < 0 ||
        (rc = body_str(&t.html, req, res, "html", 0)) < 0)
        return rc;
    if (t.html != NULL && *t.html == '\0')
        t.html = NULL;
    if ((rc = cr_outreach_template_put(&id, req->store, &t)) < 0) {
        if (rc == CR_EINVALID)
            template_field(res);
        return rc;
    }
    res->status = 201;
    res->body = json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", t.name);
    return res->body ? CR_OK : cr_error_oom();
}

/* One part of the live preview: rendered text and its lint issues, tagged with the part. */
static cr_err render_part(
    json_t **text, json_t *issues, const char *part, const char *tpl, const char *ctx, int html)
{
    cr_tpl_lint lint;
    char *out = NULL;
    size_t i;
    cr_err rc;

    memset(&lint, 0, sizeof(lint));
    if ((rc = cr_tpl_render(&out, &lint, part, tpl, strlen(tpl), ctx, html)) < 0)
        return rc;
    *text = json_string(out);
    cr_outreach_text_free(out);
    if (*text == NULL)
        return cr_error_oom();
    for (i = 0; i < lint.count && i < CR_TPL_MAX_ISSUES; i++)
        if ((rc = append(issues,
                         json_pack("{s:s,s:s,s:i,s:i,s:b,s:s}", "part", part, "name",
                                   lint.issues[i].name, "line", lint.issues[i].line, "column",
                                   lint.issues[i].column, "empty", lint.issues[i].empty, "message",
                                   lint.issues[i].empty ? "is empty" : "is missing"))) < 0)
            return rc;
    return CR_OK;
}

typedef struct {
    char *subject, *text, *html;
} saved_template;

static cr_err saved_row(const cr_outreach_template *t, void *payload)
{
    saved_template *s = payload;

    s->subject = cr_strdup(t->subject);
    s->text = cr_strdup(t->text);
    s->html = t->html != NULL ? cr_strdup(t->html) : NULL;
    if (s->subject == NULL || s->text == NULL || (t->html != NULL && s->html == NULL))
        return cr_error_oom();
    return CR_OK;
}

/*
 * POST /api/v1/outreach/preview {creator, campaign?, template? | subject, text, html?}:
 * renders unsaved text (the editor's) or a saved template for a creator, with every unfilled
 * variable listed. A template syntax error is a 400 naming the part, line and column.
 */
cr_err http_outreach_preview(http_req *req, http_res *res)
{
    const char *name = NULL, *subject = NULL, *text = NULL, *html = NULL;
    saved_template saved = { NULL, NULL, NULL };
    int64_t creator = 0, campaign = 0;
    json_t *issues = NULL, *js = NULL, *jt = NULL, *jh = NULL;
    char *ctx = NULL, *html_from_text = NULL;
    cr_err rc;

    if ((rc = body_id(&creator, req, res, "creator", 1)) < 0 ||
        (rc = body_id(&campaign, req, res, "campaign", 0)) < 0 ||
        (rc = body_str(&name, req, res, "template", 0)) < 0 ||
        (rc = body_str(&subject, req, res, "subject", 0)) < 0 ||
        (rc = body_str(&text, req, res, "text", 0)) < 0 ||
        (rc = body_str(&html, req, res, "html", 0)) < 0)
        return rc;
    if (name != NULL && (subject != NULL || text != NULL))
        return http_invalid(res, "template", "give either template or subject and text");
    if (name != NULL) {
        if ((rc = cr_outreach_template_list(req->store, name, saved_row, &saved)) < 0) {
            if (rc == CR_ENOTFOUND)
                res->field = "template";
            goto done;
        }
        subject = saved.subject;
        text = saved.text;
        html = saved.html;
    } else if (subject == NULL || text == NULL) {
        return http_invalid(res, subject == NULL ? "subject" : "text",
                            "%s: required (or give the name of a saved template)",
                            subject == NULL ? "subject" : "text");
    }
    if (html != NULL && *html == '\0')
        html = NULL;
    if ((rc = cr_outreach_context(&ctx, req->store, creator, campaign, cr_now())) < 0) {
        if (rc == CR_ENOTFOUND)
            res->field = campaign > 0 && strstr(cr_error_last()->message, "campaign") ? "campaign"
                                                                                      : "creator";
        goto done;
    }
    if ((issues = json_array()) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = render_part(&js, issues, "subject", subject, ctx, 0)) < 0 ||
        (rc = render_part(&jt, issues, "text", text, ctx, 0)) < 0)
        goto syntax;
    if (html != NULL) {
        if ((rc = render_part(&jh, issues, "html", html, ctx, 1)) < 0)
            goto syntax;
    } else {
        /* no HTML template: the text as HTML, as the sender does */
        if ((rc = cr_outreach_text_to_html(&html_from_text, json_string_value(jt))) < 0)
            goto done;
        if ((jh = json_string(html_from_text)) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
    }
    res->body = json_pack("{s:I,s:o*,s:O,s:O,s:O,s:b,s:O,s:o*}", "creator", (json_int_t)creator,
                          "campaign", campaign > 0 ? json_integer(campaign) : json_null(),
                          "subject", js, "text", jt, "html", jh, "ok", json_array_size(issues) == 0,
                          "lint", issues, "context", json_loads(ctx, 0, NULL));
    rc = res->body ? CR_OK : cr_error_oom();
    goto done;
syntax:
    if (rc == CR_EINVALID) {
        const cr_error *e = cr_error_last();
        res->field = e && strncmp(e->message, "subject", 7) == 0 ? "subject"
                     : e && strncmp(e->message, "html", 4) == 0  ? "html"
                                                                 : "text";
    }
done:
    json_decref(issues);
    json_decref(js);
    json_decref(jt);
    json_decref(jh);
    cr_outreach_text_free(ctx);
    cr_outreach_text_free(html_from_text);
    cr_free(saved.subject);
    cr_free(saved.text);
    cr_free(saved.html);
    return rc;
}

/* ---- sequences ---- */

static cr_err sequence_json(const cr_outreach_sequence *s, void *payload)
{
    json_t *steps = json_array();
    size_t i;

    if (steps == NULL)
        return cr_error_oom();
    for (i = 0; i < s->nsteps; i++)
        if (json_array_append_new(steps, json_pack("{s:i,s:i,s:s}", "step", s->steps[i].step, "day",
                                                   s->steps[i].day, "template",
                                                   s->steps[i].template_name)) < 0) {
            json_decref(steps);
            return cr_error_oom();
        }
    return append(payload, json_pack("{s:I,s:s,s:o,s:o}", "id", (json_int_t)s->id, "name", s->name,
                                     "steps", steps, "created_at", time_or_null(s->created_at)));
}

cr_err http_outreach_sequences(http_req *req, http_res *res)
{
    json_t *arr = json_array();
    cr_err rc;

    if (arr == NULL)
        return cr_error_oom();
    if ((rc = cr_outreach_sequence_list(req->store, NULL, sequence_json, arr)) < 0) {
        json_decref(arr);
        return rc;
    }
    res->body = json_pack("{s:o}", "sequences", arr);
    return res->body ? CR_OK : cr_error_oom();
}

cr_err http_outreach_sequence_put(http_req *req, http_res *res)
{
    cr_outreach_sequence s;
    char *text = json_dumps(req->json, JSON_COMPACT);
    int64_t id = 0;
    cr_err rc;

    if (text == NULL)
        return cr_error_oom();
    rc = cr_outreach_sequence_parse(&s, text, strlen(text), "body");
    free(text); /* jansson's allocation: json_dumps() */
    if (rc < 0) {
        const cr_error *e = cr_error_last();
        res->field = e && strstr(e->message, "name") ? "name" : "steps";
        return rc;
    }
    if ((rc = cr_outreach_sequence_put(&id, req->store, &s)) < 0) {
        if (rc == CR_EINVALID || rc == CR_ENOTFOUND)
            res->field = "steps";
        return rc;
    }
    res->status = 201;
    res->body =
        json_pack("{s:I,s:s,s:i}", "id", (json_int_t)id, "name", s.name, "steps", (int)s.nsteps);
    return res->body ? CR_OK : cr_error_oom();
}

/* ---- the queue ---- */

static cr_err queued_json(const cr_outreach_queued *q, void *payload)
{
    return append(payload, json_pack("{s:I,s:I,s:I,s:s,s:s,s:i,s:s,s:s?,s:s,s:o,s:o,s:s?}", "id",
                                     (json_int_t)q->id, "creator_id", (json_int_t)q->creator_id,
                                     "campaign_id", (json_int_t)q->campaign_id, "handle", q->handle,
                                     "sequence", q->sequence ? q->sequence : "", "step", q->step,
                                     "to", q->to_email ? q->to_email : "", "subject", q->subject,
                                     "status", q->status, "due_at", time_or_null(q->due_at),
                                     "sent_at", time_or_null(q->sent_at), "error", q->error));
}

cr_err http_outreach_queue(http_req *req, http_res *res)
{
    const char *status = http_query(req, "status");
    json_t *arr = json_array();
    cr_err rc;

    if (arr == NULL)
        return cr_error_oom();
    if (status != NULL && *status == '\0')
        status = NULL;
    if ((rc = cr_outreach_queue_list(req->store, status, queued_json, arr)) < 0) {
        json_decref(arr);
        if (rc == CR_EINVALID)
            res->field = "status";
        return rc;
    }
    res->body = json_pack("{s:o}", "queue", arr);
    return res->body ? CR_OK : cr_error_oom();
}

/* ---- the pipeline ---- */

static cr_err card_json(const cr_outreach_card *c, void *payload)
{
    return append(payload,
                  json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s?,s:s,s:o}", "partnership_id",
                            (json_int_t)c->partnership_id, "creator_id", (json_int_t)c->creator_id,
                            "campaign_id", (json_int_t)c->campaign_id, "campaign",
                            c->campaign ? c->campaign : "", "platform", c->platform, "handle",
                            c->handle, "name", c->name, "state", c->state, "updated_at",
                            time_or_null(c->updated_at)));
}

cr_err http_outreach_pipeline(http_req *req, http_res *res)
{
    const char *const *s;
    json_t *cards = NULL, *states = NULL;
    int64_t campaign;
    cr_err rc;

    if ((rc = query_id(&campaign, req, res, "campaign")) < 0)
        return rc;
    cards = json_array();
    states = json_array();
    if (cards == NULL || states == NULL) {
        rc = cr_error_oom();
        goto fail;
    }
    for (s = cr_outreach_states(); *s != NULL; s++)
        if ((rc = append(states, json_string(*s))) < 0)
            goto fail;
    if ((rc = cr_outreach_pipeline(req->store, campaign, card_json, cards)) < 0)
        goto fail;
    res->body =
        json_pack("{s:o,s:o,s:o}", "campaign", campaign > 0 ? json_integer(campaign) : json_null(),
                  "states", states, "cards", cards);
    return res->body ? CR_OK : cr_error_oom();
fail:
    json_decref(cards);
    json_decref(states);
    return rc;
}

/* ---- a creator's timeline and the pipeline writes ---- */

typedef struct {
    json_t *obj;
} creator_row;

static cr_err creator_json(const cr_creator *c, void *payload)
{
    creator_row *r = payload;

    r->obj =
        json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?}", "id", (json_int_t)c->id, "platform", c->platform,
                  "handle", c->handle, "name", c->name, "email", c->email, "country", c->country);
    return r->obj ? CR_OK : cr_error_oom();
}

static cr_err event_json(const cr_outreach_event *e, void *payload)
{
    return append(payload,
                  json_pack("{s:I,s:o,s:o,s:s,s:s?,s:s?}", "id", (json_int_t)e->id, "campaign_id",
                            e->campaign_id > 0 ? json_integer(e->campaign_id) : json_null(), "at",
                            time_or_null(e->at), "kind", e->kind, "detail", e->detail, "actor",
                            e->actor));
}

cr_err http_outreach_timeline(http_req *req, http_res *res)
{
    creator_row c = { NULL };
    json_t *events = NULL;
    int64_t id;
    cr_err rc;

    if ((rc = id_param(&id, req, res)) < 0)
        return rc;
    if ((rc = cr_store_creator_get(req->store, id, creator_json, &c)) < 0)
        return rc;
    if ((events = json_array()) == NULL) {
        json_decref(c.obj);
        return cr_error_oom();
    }
    if ((rc = cr_outreach_timeline(req->store, id, event_json, events)) < 0) {
        json_decref(c.obj);
        json_decref(events);
        return rc;
    }
    res->body = json_pack("{s:o,s:o}", "creator", c.obj, "events", events);
    return res->body ? CR_OK : cr_error_oom();
}

static cr_err creator_exists(const cr_creator *c, void *payload)
{
    (void)c;
    (void)payload;
    return CR_OK;
}

cr_err http_outreach_state(http_req *req, http_res *res)
{
    const char *state;
    int64_t id, campaign;
    cr_err rc;

    if ((rc = id_param(&id, req, res)) < 0 ||
        (rc = body_id(&campaign, req, res, "campaign", 1)) < 0 ||
        (rc = body_str(&state, req, res, "state", 1)) < 0)
        return rc;
    if ((rc = cr_store_creator_get(req->store, id, creator_exists, NULL)) < 0)
        return rc;
    if ((rc = cr_outreach_state_set(req->store, id, campaign, state, req->user_email, cr_now())) <
        0) {
        if (rc == CR_EINVALID)
            res->field = "state";
        else if (rc == CR_ENOTFOUND)
            res->field = "campaign";
        return rc;
    }
    res->body = json_pack("{s:I,s:I,s:s}", "creator_id", (json_int_t)id, "campaign_id",
                          (json_int_t)campaign, "state", state);
    return res->body ? CR_OK : cr_error_oom();
}

cr_err http_outreach_note(http_req *req, http_res *res)
{
    const char *text;
    int64_t id, campaign;
    cr_err rc;

    if ((rc = id_param(&id, req, res)) < 0 ||
        (rc = body_id(&campaign, req, res, "campaign", 0)) < 0 ||
        (rc = body_str(&text, req, res, "text", 1)) < 0)
        return rc;
    if (*text == '\0')
        return http_invalid(res, "text", "text: empty note");
    if ((rc = cr_store_creator_get(req->store, id, creator_exists, NULL)) < 0)
        return rc;
    if ((rc = cr_outreach_note(req->store, id, campaign, text, req->user_email, cr_now())) < 0) {
        if (rc == CR_EINVALID)
            res->field = "text";
        else if (rc == CR_ENOTFOUND)
            res->field = "campaign";
        return rc;
    }
    res->status = 201;
    res->body = json_pack("{s:I,s:o,s:s}", "creator_id", (json_int_t)id, "campaign_id",
                          campaign > 0 ? json_integer(campaign) : json_null(), "text", text);
    return res->body ? CR_OK : cr_error_oom();
}

cr_err http_outreach_optout(http_req *req, http_res *res)
{
    const char *source;
    char why[HTTP_EMAIL_MAX + 16];
    int64_t id;
    cr_err rc;

    if ((rc = id_param(&id, req, res)) < 0 || (rc = body_str(&source, req, res, "source", 0)) < 0)
        return rc;
    if ((rc = cr_store_creator_get(req->store, id, creator_exists, NULL)) < 0)
        return rc;
    snprintf(why, sizeof(why), "web: %s", req->user_email);
    if ((rc = cr_outreach_optout(req->store, id, source && *source ? source : why, cr_now())) < 0)
        return rc;
    res->body = json_pack("{s:I,s:b}", "creator_id", (json_int_t)id, "opted_out", 1);
    return res->body ? CR_OK : cr_error_oom();
}
