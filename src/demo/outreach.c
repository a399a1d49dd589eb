/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.c - the outreach part of the demo workspace: the templates of a first email, a
 * nudge and a last call (with the personalisation hooks: best recent post, niche, audience's
 * top country, fee offer), the "launch" sequence (day 0, +3, +5), and a pipeline of twelve
 * creators who are not yet partners of the active campaign, spread over the states with the
 * timeline entries that took them there. Deterministic (fixed times before the demo's last
 * day, the creators in id order); written once. */
#include <stdio.h>
#include <string.h>

#include "crest/outreach.h"
#include "demo/outreach.h"
#include "outreach/outreach_int.h"
#include "store/outreach.h"
#include "store/portable.h"
#include "util/alloc.h"

#define DAY 86400

static const char intro_text[] =
    "Hi {{creator.first_name}},\n"
    "\n"
    "{{#post}}\n"
    "Your recent post on {{post.topic}} ({{{post.url}}}) is exactly what our customers love.\n"
    "{{/post}}\n"
    "{{^post}}\n"
    "We have been following your {{creator.niche}} content for a while.\n"
    "{{/post}}\n"
    "We would like to invite you to {{campaign.name}}"
    "{{#offer}}, with a fee of {{offer.fee}} for one post{{/offer}}.\n"
    "{{#audience}}\n"
    "{{audience.top_country_share}} of your audience is in {{audience.top_country}}, where we "
    "ship.\n"
    "{{/audience}}\n"
    "\n"
    "Would you be open to a short call this week?\n"
    "\n"
    "The {{campaign.brand}} team\n";

static const char nudge_text[] = "Hi {{creator.first_name}},\n"
                                 "\n"
                                 "Just making sure my note about {{campaign.name}} reached you.\n"
                                 "\n"
                                 "The {{campaign.brand}} team\n";

static const char last_text[] = "Hi {{creator.first_name}},\n"
                                "\n"
                                "We are closing the creator list for {{campaign.name}} soon. If "
                                "you are interested, a one-line reply is enough.\n"
                                "\n"
                                "The {{campaign.brand}} team\n";

typedef struct {
    int64_t campaign, start;
} active_find;

static cr_err active_row(const cr_campaign *c, void *payload)
{
    active_find *a = payload;

    if (c->status && strcmp(c->status, "active") == 0 && c->start >= a->start) {
        a->campaign = c->id;
        a->start = c->start;
    }
    return CR_OK;
}

typedef struct {
    int64_t ids[400];
    size_t n;
} id_list;

static cr_err creator_row(const cr_creator *c, void *payload)
{
    id_list *l = payload;

    if (l->n < sizeof(l->ids) / sizeof(l->ids[0]) && c->email && c->name)
        l->ids[l->n++] = c->id;
    return CR_OK;
}

/* The states the twelve creators end in, and the path to each. */
static const char *const paths[12][6] = {
    { "prospect", NULL },
    { "prospect", NULL },
    { "prospect", NULL },
    { "contacted", NULL },
    { "contacted", NULL },
    { "contacted", NULL },
    { "contacted", "replied", NULL },
    { "contacted", "replied", NULL },
    { "contacted", "replied", "negotiating", NULL },
    { "contacted", "replied", "negotiating", NULL },
    { "contacted", "declined", NULL },
    { "contacted", "replied", "negotiating", "contracted", NULL },
};

static const char *const notes[12] = {
    NULL,
    "found through discover: strong saves",
    NULL,
    NULL,
    "asked for the media kit",
    NULL,
    "prefers a reel over a story",
    NULL,
    "wants product samples first",
    NULL,
    "not taking sponsorships this quarter",
    "contract signed, brief sent",
};

cr_err cr_demo__outreach(cr_store *st, int64_t end_date)
{
    cr_outreach_template t;
    cr_outreach_sequence s;
    active_find a = { 0, 0 };
    cr_creator_filter f;
    id_list *l = NULL;
    json_t *row = NULL;
    cr_value p[2];
    size_t i, k, used = 0;
    int64_t at;
    cr_err rc;

    p[0] = v_text("intro");
    rc = cr_store_outreach_row(&row, st, CR_OQ_TEMPLATES, p, 1);
    json_decref(row);
    row = NULL;
    if (rc == CR_OK)
        return CR_OK; /* written before */
    if (rc != CR_ENOTFOUND)
        return rc;
    memset(&t, 0, sizeof(t));
    t.updated_at = end_date - 30 * DAY;
    t.name = "intro";
    t.subject = "{{campaign.brand}} x {{creator.first_name}}: a paid partnership?";
    t.text = intro_text;
    if ((rc = cr_outreach_template_put(NULL, st, &t)) < 0)
        return rc;
    t.name = "nudge";
    t.subject = "Re: {{campaign.brand}} x {{creator.first_name}}";
    t.text = nudge_text;
    if ((rc = cr_outreach_template_put(NULL, st, &t)) < 0)
        return rc;
    t.name = "last-call";
    t.subject = "Last call: {{campaign.name}}";
    t.text = last_text;
    if ((rc = cr_outreach_template_put(NULL, st, &t)) < 0)
        return rc;
    memset(&s, 0, sizeof(s));
    snprintf(s.name, sizeof(s.name), "launch");
    s.nsteps = 3;
    s.created_at = end_date - 30 * DAY;
    s.steps[0].day = 0;
    s.steps[1].day = 3;
    s.steps[2].day = 5;
    snprintf(s.steps[0].template_name, sizeof(s.steps[0].template_name), "intro");
    snprintf(s.steps[1].template_name, sizeof(s.steps[1].template_name), "nudge");
    snprintf(s.steps[2].template_name, sizeof(s.steps[2].template_name), "last-call");
    if ((rc = cr_outreach_sequence_put(NULL, st, &s)) < 0)
        return rc;

    /* the pipeline: creators with an email and a name, not opted out, not yet partners */
    if ((rc = cr_store_campaign_list(st, active_row, &a)) < 0 || a.campaign == 0)
        return rc;
    if ((l = cr_calloc(1, sizeof(*l))) == NULL)
        return cr_error_oom();
    memset(&f, 0, sizeof(f));
    f.order = "id";
    if ((rc = cr_store_creator_list(st, &f, creator_row, l)) < 0)
        goto done;
    for (i = 0; i < l->n && used < 12; i++) {
        int64_t c = l->ids[i];

        p[0] = v_int(c);
        if ((rc = cr_store_outreach_row(&row, st, CR_OQ_CREATOR, p, 1)) < 0)
            goto done;
        k = (size_t)json_integer_value(json_object_get(row, "opted_out"));
        json_decref(row);
        row = NULL;
        if (k != 0)
            continue;
        p[0] = v_int(a.campaign);
        p[1] = v_int(c);
        rc = cr_store_outreach_row(&row, st, CR_OQ_PARTNERSHIP, p, 2);
        json_decref(row);
        row = NULL;
        if (rc == CR_OK)
            continue;
        if (rc != CR_ENOTFOUND)
            goto done;
        at = end_date - (int64_t)(14 - used) * DAY + 10 * 3600;
        if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_PARTNERSHIP_NEW, p, 2)) < 0 ||
            (rc = cr_outreach__event(st, c, a.campaign, "note",
                                     "added to the pipeline from a saved search", "demo", at)) < 0)
            goto done;
        for (k = 0; paths[used][k] != NULL; k++) {
            if (strcmp(paths[used][k], "prospect") == 0)
                continue;
            at += (int64_t)(k + 1) * DAY / 2;
            if ((rc = cr_outreach__move(NULL, st, c, a.campaign, paths[used][k], "demo", at, 0)) <
                0)
                goto done;
        }
        if (notes[used] != NULL && (rc = cr_outreach__event(st, c, a.campaign, "note", notes[used],
                                                            "demo", at + 3600)) < 0)
            goto done;
        used++;
    }
    rc = CR_OK;
done:
    cr_free(l);
    return rc;
}
