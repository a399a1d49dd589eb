/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * brief.c - two things made from the workspace's own data. The interpretation check of
 * `crest training check`: questions about pairs of creators' Audience Quality Scores and their
 * 95% intervals (src/vet) - do they differ beyond their intervals? - graded from a file of
 * answers. And the one-page stakeholder briefing of `crest brief`: the recommendations crest
 * makes, their measured accuracy (the evaluations of data/models/NAME.json), who may override
 * them, the pilots and what they showed, and the last iteration review's change, ordered for
 * the audience. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crest/program.h"
#include "crest/vet.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

#define CHECK_CREATORS 8

/* ---- the interpretation check ---- */

typedef struct {
    int64_t ids[CHECK_CREATORS];
    size_t n;
} id_list;

static cr_err collect_id(const cr_creator *c, void *payload)
{
    id_list *l = payload;

    if (l->n < CHECK_CREATORS)
        l->ids[l->n++] = c->id;
    return CR_OK;
}

typedef struct {
    char name[160];
    double score, low, high;
} scored;

cr_err cr_program_training_questions(char **out, cr_store *st, size_t max)
{
    cr_creator_filter f;
    cr_vet_options o = CR_VET_OPTIONS_INIT;
    scored s[CHECK_CREATORS];
    id_list l;
    json_t *arr = json_array();
    size_t i, ns = 0, q = 0;
    char *text;
    cr_err rc;

    *out = NULL;
    if (arr == NULL)
        return cr_error_oom();
    memset(&l, 0, sizeof(l));
    memset(&f, 0, sizeof(f));
    if ((rc = cr_store_creator_list(st, &f, collect_id, &l)) < 0)
        goto fail;
    for (i = 0; i < l.n; i++) {
        cr_vet_report *r = NULL;
        if ((rc = cr_vet_creator(&r, st, l.ids[i], &o)) < 0)
            goto fail;
        if (!isnan(r->score) && !isnan(r->score_low) && !isnan(r->score_high)) {
            snprintf(s[ns].name, sizeof(s[ns].name), "%s/%s", r->platform, r->handle);
            /* the values the question shows are the values it is graded on */
            s[ns].score = round(r->score * 10) / 10;
            s[ns].low = round(r->score_low * 10) / 10;
            s[ns].high = round(r->score_high * 10) / 10;
            ns++;
        }
        cr_vet_report_free(r);
    }
    /* pairs in id order: (0,1), (2,3), ..., then (0,2), (1,3), ... until max questions */
    for (i = 0; q < max && ns >= 2 && i < ns * ns; i++) {
        size_t gap = 1 + i / ns, a = i % ns, b = a + gap;
        int differ;
        char text_q[512];
        if (b >= ns || (gap == 1 && a % 2 == 1))
            continue;
        differ = s[a].high < s[b].low || s[b].high < s[a].low;
        snprintf(text_q, sizeof(text_q),
                 "%s scores %.1f (95%% interval %.1f-%.1f) and %s scores %.1f (%.1f-%.1f). Do "
                 "their audience quality scores differ beyond their intervals? (yes/no)",
                 s[a].name, s[a].score, s[a].low, s[a].high, s[b].name, s[b].score, s[b].low,
                 s[b].high);
        if (json_array_append_new(arr, json_pack("{s:i,s:s,s:s}", "question", (int)q + 1, "text",
                                                 text_q, "answer", differ ? "yes" : "no")) < 0) {
            rc = cr_error_oom();
            goto fail;
        }
        q++;
    }
    if (q == 0) {
        json_decref(arr);
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                            "the workspace has fewer than two creators with an audience quality "
                            "score to ask about (import creators and posts first)");
    }
    text = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(arr);
    if (text == NULL)
        return cr_error_oom();
    if ((*out = cr_malloc(strlen(text) + 1)) == NULL) {
        free(text);
        return cr_error_oom();
    }
    memcpy(*out, text, strlen(text) + 1);
    free(text);
    return CR_OK;
fail:
    json_decref(arr);
    return rc;
}

/* ---- the briefing ---- */

static void esc(cr_str *s, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '<')
            cr_str_puts(s, "&lt;");
        else if (*t == '>')
            cr_str_puts(s, "&gt;");
        else if (*t == '&')
            cr_str_puts(s, "&amp;");
        else if (*t == '"')
            cr_str_puts(s, "&quot;");
        else
            cr_str_putc(s, *t);
    }
}

static const struct {
    const char *kind, *what;
} kinds[] = {
    { "vetting_verdict", "whether a creator's audience looks genuine enough to work with "
                         "(Audience Quality Score with a 95% interval, fake-follower share)" },
    { "shortlist_rank", "the order of creators a discovery search suggests" },
    { "forecast", "the next post's reach and engagements with an 80% interval" },
    { "calibration_flag", "a reviewer whose ratings run harsher or kinder than the others'" },
};

static void accuracy_section(cr_str *s, const char *models_dir)
{
    static const char *const models[] = { "followers", "spam", "forecast" };
    size_t i;

    cr_str_puts(s, "<h2>Measured accuracy</h2>\n<table><tr><th>model</th><th>evaluation</th>"
                   "<th>n</th><th>accuracy</th><th>sensitivity</th><th>specificity</th>"
                   "<th>AUC</th></tr>\n");
    for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        char path[1024];
        json_t *m, *cv;
        snprintf(path, sizeof(path), "%s/%s.json", models_dir ? models_dir : "data/models",
                 models[i]);
        m = json_load_file(path, 0, NULL);
        cv = json_object_get(m, "cv");
        if (json_is_array(cv))
            cv = json_array_get(cv, 0);
        cr_str_printf(s, "<tr><td>%s</td>", models[i]);
        if (cv == NULL) {
            cr_str_printf(s, "<td colspan=\"6\">%s</td></tr>\n",
                          m ? "no cross-validation in the model file: see crest model eval"
                            : "model file not found");
        } else {
            cr_str_puts(s, "<td>");
            esc(s, json_string_value(json_object_get(cv, "scheme")));
            cr_str_printf(
                s, "</td><td>%lld</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>\n",
                (long long)json_integer_value(json_object_get(cv, "n")),
                json_number_value(json_object_get(cv, "accuracy")),
                json_number_value(json_object_get(cv, "sensitivity")),
                json_number_value(json_object_get(cv, "specificity")),
                json_number_value(json_object_get(cv, "auc")));
        }
        json_decref(m);
    }
    cr_str_puts(s, "</table>\n<p>From the evaluations shipped with each model "
                   "(data/models/NAME.json, docs/models.md); never typed in.</p>\n");
}

static cr_err authority_row(const cr_authority *a, void *payload)
{
    cr_str *s = payload;

    cr_str_printf(s, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", a->kind, a->role, a->area);
    return CR_OK;
}

typedef struct {
    int64_t id, start, days;
    char stage[32];
} pilot_ref;

typedef struct {
    pilot_ref *v;
    size_t n, cap;
} pilot_refs;

/* The pilots first, then their reports: no store read runs inside another's callback. */
static cr_err pilot_collect(const cr_pilot *p, void *payload)
{
    pilot_refs *l = payload;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        pilot_ref *v = cr_realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return cr_error_oom();
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].id = p->id;
    l->v[l->n].start = p->start;
    l->v[l->n].days = p->days;
    snprintf(l->v[l->n].stage, sizeof(l->v[0].stage), "%s", p->stage);
    l->n++;
    return CR_OK;
}

static cr_err pilot_row(const pilot_ref *p, cr_str *s, cr_store *st)
{
    json_t *r, *ts, *b;
    char *text = NULL;
    char d[16];
    cr_err rc;

    if ((rc = cr_program_pilot_report(&text, st, p->id)) < 0)
        return rc;
    r = json_loads(text, 0, NULL);
    cr_program_text_free(text);
    ts = json_object_get(r, "time_saved");
    b = json_object_get(r, "business_case");
    cr_str_printf(s, "<li>Pilot %lld on %s from %s, %lld days: ", (long long)p->id, p->stage,
                  cr_fmt_date(d, sizeof(d), p->start), (long long)p->days);
    if (json_is_number(json_object_get(ts, "minutes_saved")) &&
        json_is_number(json_array_get(json_object_get(ts, "interval95"), 0)))
        cr_str_printf(s,
                      "%.1f minutes saved per task (95%% interval %.1f to %.1f), %.1f hours "
                      "over the pilot",
                      json_number_value(json_object_get(ts, "minutes_saved")),
                      json_number_value(json_array_get(json_object_get(ts, "interval95"), 0)),
                      json_number_value(json_array_get(json_object_get(ts, "interval95"), 1)),
                      json_number_value(json_object_get(b, "hours_saved")));
    else
        cr_str_puts(s, "not enough time logs yet for a measured saving");
    cr_str_puts(s, ".</li>\n");
    json_decref(r);
    return CR_OK;
}

static cr_err pilots_section(cr_str *s, cr_store *st)
{
    pilot_refs l = { NULL, 0, 0 };
    size_t i;
    cr_err rc;

    cr_str_puts(s, "<h2>Pilots and what they showed</h2>\n<ul>\n");
    rc = cr_store_pilot_list(st, 0, pilot_collect, &l);
    for (i = 0; rc == CR_OK && i < l.n; i++)
        rc = pilot_row(&l.v[i], s, st);
    if (rc == CR_OK && l.n == 0)
        cr_str_puts(s, "<li>No pilot yet.</li>\n");
    cr_str_puts(s, "</ul>\n");
    cr_free(l.v);
    return rc;
}

static cr_err change_row(const cr_review_change *c, void *payload)
{
    cr_str *s = ((void **)payload)[0];
    int *n = ((void **)payload)[1];
    char d[16];

    if ((*n)++ > 0)
        return CR_OK;
    cr_str_printf(s, "<p>Review %lld, %s: %s - ", (long long)c->review_id,
                  cr_fmt_date(d, sizeof(d), c->created_at), c->kind);
    esc(s, c->description);
    cr_str_puts(s, "</p>\n");
    return CR_OK;
}

cr_err cr_program_brief_html(char **out, cr_store *st, const char *audience, const char *models_dir)
{
    static const char *const audiences[] = { "sales", "legal", "pr", "leadership" };
    static const char *const leads[] = {
        "What crest's recommendations are worth in hours and money, and how sure we are.",
        "Who may override an AI recommendation, how every decision is logged, and how the log "
        "is protected against edits.",
        "How creators are vetted before we work with them, and who decides when the model and "
        "the facts disagree.",
        "Where the pilots stand, what they showed, and what changed at the last review.",
    };
    void *pp[2];
    int nchanges = 0, a;
    cr_str s;
    size_t i;
    cr_err rc;

    *out = NULL;
    for (a = 0; a < 4; a++)
        if (audience && strcmp(audience, audiences[a]) == 0)
            break;
    if (a == 4)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "--audience: expected sales, legal, pr or leadership, found '%s'",
                            audience ? audience : "");
    cr_str_init(&s, CR_STR_MAX_DEFAULT);
    cr_str_printf(
        &s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>crest "
        "briefing for %s</title><style>body{font:14px system-ui,sans-serif;max-width:"
        "50em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid "
        "#ccc;padding:2px 6px}</style></head><body>\n<h1>crest briefing: %s</h1>\n<p>%s</p>\n",
        audiences[a], audiences[a], leads[a]);
    cr_str_puts(&s, "<h2>Recommendations crest makes</h2>\n<ul>\n");
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        cr_str_printf(&s, "<li><strong>%s</strong>: %s</li>\n", kinds[i].kind, kinds[i].what);
    cr_str_puts(&s, "</ul>\n<p>Each is a recommendation, shown with its inputs and interval; a "
                    "person accepts or overrides it.</p>\n");
    pp[0] = &s;
    /* leadership and sales read results first; legal and pr the rules first */
    if (a == 0 || a == 3) {
        if ((rc = pilots_section(&s, st)) < 0)
            goto fail;
        accuracy_section(&s, models_dir);
    }
    cr_str_puts(&s, "<h2>Who may override</h2>\n<table><tr><th>recommendation</th><th>role</th>"
                    "<th>after training</th></tr>\n");
    if ((rc = cr_program_authority_list(st, authority_row, &s)) < 0)
        goto fail;
    cr_str_puts(&s, "</table>\n<p>Anyone else escalates to someone who may. Every acceptance, "
                    "override, refusal and escalation is kept in an append-only audit log whose "
                    "entries are chained by SHA-256 (crest audit --verify).</p>\n");
    if (a == 1 || a == 2) {
        accuracy_section(&s, models_dir);
        if ((rc = pilots_section(&s, st)) < 0)
            goto fail;
    }
    cr_str_puts(&s, "<h2>Last iteration change</h2>\n");
    pp[1] = &nchanges;
    if ((rc = cr_store_review_change_list(st, 0, change_row, pp)) < 0)
        goto fail;
    if (nchanges == 0)
        cr_str_puts(&s, "<p>No iteration review has recorded a change yet.</p>\n");
    cr_str_puts(&s, "</body></html>\n");
    if (s.ptr == NULL)
        return cr_error_oom();
    *out = cr_str_detach(&s);
    return CR_OK;
fail:
    cr_str_dispose(&s);
    return rc;
}
