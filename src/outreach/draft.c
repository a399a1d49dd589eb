/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * draft.c - AI drafts: the prompt crest gives an OpenAI-compatible model (the creator's
 * fields, the campaign's and the template as a guide), the draft it returns stored as
 * pending, a person's approval, and the queueing of an approved draft as a one-off message.
 * A draft must pass the same lint as a template: no {{tag}} left and no empty text. Talking
 * to the model is the mail layer's (crest/mail.h); libcrest never reads the key itself. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outreach/outreach_int.h"
#include "store/outreach.h"
#include "store/portable.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t jint(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

typedef struct {
    char *subject, *text;
} tpl_pair;

static cr_err pair_row(const cr_outreach_template *t, void *payload)
{
    tpl_pair *c = payload;

    c->subject = cr_strdup(t->subject);
    c->text = cr_strdup(t->text);
    return c->subject && c->text ? CR_OK : cr_error_oom();
}

cr_err cr_outreach_draft_prompt(char **out,
                                cr_store *st,
                                const char *template_name,
                                int64_t creator_id,
                                int64_t campaign_id,
                                int64_t now)
{
    tpl_pair t = { NULL, NULL };
    char *ctx = NULL;
    cr_str s;
    cr_err rc;

    *out = NULL;
    cr_str_init(&s, 256 * 1024);
    if ((rc = cr_outreach_template_list(st, template_name, pair_row, &t)) < 0 ||
        (rc = cr_outreach_context(&ctx, st, creator_id, campaign_id, now)) < 0)
        goto done;
    if ((rc = cr_str_printf(&s,
                            "Write a short, personal first email to a creator, inviting them to "
                            "a paid partnership.\nUse only the facts in FIELDS; do not invent "
                            "numbers, links or names. Follow the tone and structure of GUIDE "
                            "(a mustache template: {{name}} marks where a field goes).\n"
                            "Answer with the subject on the first line as 'Subject: ...', a "
                            "blank line, then the plain-text body. No {{tags}} in the answer.\n"
                            "\nFIELDS (JSON):\n%s\n\nGUIDE subject: %s\nGUIDE body:\n%s\n",
                            ctx, t.subject, t.text)) < 0)
        goto done;
    *out = cr_str_detach(&s);
    if (*out == NULL)
        rc = cr_error_oom();
done:
    cr_str_dispose(&s);
    cr_free(ctx);
    cr_free(t.subject);
    cr_free(t.text);
    return rc;
}

/* A leftover tag: "{{name}}" as the model left it. */
static cr_err leftover_tag(const char *what, const char *s)
{
    const char *o = s ? strstr(s, "{{") : NULL, *c;

    if (o == NULL)
        return CR_OK;
    c = strstr(o, "}}");
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "draft %s: unfilled variable %.*s", what,
                        (int)(c                ? (size_t)(c - o) + 2
                              : strlen(o) > 40 ? 40
                                               : strlen(o)),
                        o);
}

cr_err cr_outreach_draft_add(int64_t *out_id, cr_store *st, const cr_outreach_draft *d)
{
    cr_value p[7];
    cr_err rc;

    if (d->subject == NULL || *d->subject == '\0' || strpbrk(d->subject, "\r\n"))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "draft subject: expected one non-empty line");
    if (d->text == NULL || strspn(d->text, " \t\r\n") == strlen(d->text))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "draft text: empty");
    if ((rc = leftover_tag("subject", d->subject)) < 0 || (rc = leftover_tag("text", d->text)) < 0)
        return rc;
    {
        json_t *cr = NULL;
        cr_value c = v_int(d->creator_id);

        if ((rc = cr_store_outreach_row(&cr, st, CR_OQ_CREATOR, &c, 1)) < 0)
            return rc == CR_ENOTFOUND ? cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE,
                                                     "no creator %lld", (long long)d->creator_id)
                                      : rc;
        rc = jint(cr, "opted_out")
                 ? cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "draft: @%s opted out; an opt-out is permanent", jstr(cr, "handle"))
                 : CR_OK;
        json_decref(cr);
        if (rc < 0)
            return rc;
    }
    p[0] = v_text(d->template_name);
    p[1] = v_int(d->campaign_id);
    p[2] = v_int(d->creator_id);
    p[3] = v_text(d->subject);
    p[4] = v_text(d->text);
    p[5] = v_text(d->model);
    p[6] = v_int(d->created_at ? d->created_at : cr_now());
    if ((rc = cr_store_outreach_exec(out_id, st, CR_OW_DRAFT, p, 7)) < 0)
        return rc;
    return cr_outreach__event(st, d->creator_id, d->campaign_id, "draft",
                              d->model ? "AI draft written, waiting for approval"
                                       : "draft written, waiting for approval",
                              d->model, p[6].i);
}

static cr_err draft_get(json_t **out, cr_store *st, int64_t id)
{
    cr_value p = v_int(id);
    cr_err rc = cr_store_outreach_row(out, st, CR_OQ_DRAFTS, &p, 1);

    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no draft %lld", (long long)id);
    return rc;
}

cr_err cr_outreach_draft_approve(cr_store *st, int64_t id, const char *who, int64_t now)
{
    json_t *d = NULL;
    cr_value p[4];
    cr_err rc;

    if (who == NULL || strchr(who, '@') == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "approve: --as: expected the approver's email");
    if ((rc = draft_get(&d, st, id)) < 0)
        return rc;
    if (strcmp(jstr(d, "status"), "pending") != 0) {
        rc = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE, "draft %lld is already %s",
                          (long long)id, jstr(d, "status"));
        json_decref(d);
        return rc;
    }
    p[0] = v_int(id);
    p[1] = v_text("approved");
    p[2] = v_text(who);
    p[3] = v_int(now);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_DRAFT_STATUS, p, 4)) == CR_OK)
        rc = cr_outreach__event(st, jint(d, "creator_id"), jint(d, "campaign_id"), "draft",
                                "draft approved", who, now);
    json_decref(d);
    return rc;
}

cr_err cr_outreach_draft_list(cr_store *st, int64_t id, cr_outreach_draft_cb cb, void *payload)
{
    json_t *rows = NULL, *r;
    cr_value p = v_int(id);
    size_t i;
    cr_err rc;

    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_DRAFTS, &p, 1)) < 0)
        return rc;
    if (id != 0 && json_array_size(rows) == 0) {
        json_decref(rows);
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no draft %lld", (long long)id);
    }
    json_array_foreach(rows, i, r)
    {
        cr_outreach_draft d;

        d.id = jint(r, "id");
        d.creator_id = jint(r, "creator_id");
        d.campaign_id = jint(r, "campaign_id");
        d.template_name = jstr(r, "template");
        d.subject = jstr(r, "subject");
        d.text = jstr(r, "text");
        d.status = jstr(r, "status");
        d.model = jstr(r, "model");
        d.approved_by = jstr(r, "approved_by");
        d.created_at = jint(r, "created_at");
        d.approved_at = jint(r, "approved_at");
        if ((rc = cb(&d, payload)) < 0)
            break;
    }
    json_decref(rows);
    return rc;
}

cr_err cr_outreach_draft_enqueue(int64_t *out_id, cr_store *st, int64_t id, int64_t now)
{
    json_t *d = NULL, *cr = NULL;
    cr_outreach_config cfg;
    unsigned char rnd[16];
    char hex[33], msgid[320], *html = NULL;
    const char *at, *email;
    cr_value p[14];
    int64_t mid = 0;
    cr_err rc;

    if (out_id)
        *out_id = 0;
    if ((rc = draft_get(&d, st, id)) < 0)
        return rc;
    if (strcmp(jstr(d, "status"), "queued") == 0) {
        rc = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE, "draft %lld is already queued",
                          (long long)id);
        goto done;
    }
    if (strcmp(jstr(d, "status"), "approved") != 0) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "draft %lld is %s: a person must approve it first (outreach approve)",
                          (long long)id, jstr(d, "status"));
        goto done;
    }
    p[0] = v_int(jint(d, "creator_id"));
    if ((rc = cr_store_outreach_row(&cr, st, CR_OQ_CREATOR, p, 1)) < 0)
        goto done;
    email = jstr(cr, "email");
    if (jint(cr, "opted_out") || email == NULL || *email == '\0') {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "draft %lld: @%s %s", (long long)id,
                          jstr(cr, "handle"),
                          jint(cr, "opted_out") ? "opted out" : "has no email address");
        goto done;
    }
    if ((rc = cr_outreach_config_load(&cfg, st)) < 0 ||
        (rc = cr_outreach_text_to_html(&html, jstr(d, "text"))) < 0)
        goto done;
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
    at = strchr(cfg.from_email, '@');
    snprintf(msgid, sizeof(msgid), "<crest.%s@%s>", hex, at && at[1] ? at + 1 : "crest.invalid");
    if ((rc = cr_store_begin(st)) < 0)
        goto done;
    p[0] = v_int(0);
    p[1] = v_int(id);
    p[2] = v_int(jint(d, "campaign_id"));
    p[3] = v_int(jint(d, "creator_id"));
    p[4] = v_int(1);
    p[5] = v_text(email);
    p[6] = v_text(jstr(d, "subject"));
    p[7] = v_text(jstr(d, "text"));
    p[8] = v_text(html);
    p[9] = v_text(msgid);
    p[10] = v_text("queued");
    p[11] = v_text(NULL);
    p[12] = v_int(now);
    p[13] = v_int(now);
    if ((rc = cr_store_outreach_exec(&mid, st, CR_OW_MESSAGE, p, 14)) < 0)
        goto fail;
    p[0] = v_int(id);
    p[1] = v_text("queued");
    p[2] = v_text(NULL);
    p[3] = v_int(now);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_DRAFT_STATUS, p, 4)) < 0 ||
        (rc = cr_store_commit(st)) < 0)
        goto fail;
    if (out_id)
        *out_id = mid;
    goto done;
fail:
    cr_store_rollback(st);
done:
    cr_free(html);
    json_decref(cr);
    json_decref(d);
    return rc;
}
