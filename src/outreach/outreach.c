/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.c - templates and sequences in the store, the personalisation context a template
 * is filled from, the preview, and the partnership pipeline with its timeline.
 *
 * The context is one JSON object built from the store for a creator in a campaign; a value
 * crest does not know is left out (never invented), so that the lint names it. The hooks:
 * the best recent post (the most engagements among the posts of the last 90 days, its link
 * and topic words from its caption: hashtags first, else its longest words), the niche (the
 * first of the creator's niches), the audience's top country, and a fee offer from the rate
 * card (the mean media value of the creator's recent posts at the campaign's card, rounded
 * to 10 major units). The pipeline state is the partnership's status. */
#include <ctype.h>
#include <jansson.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/outreach.h"
#include "crest/track.h"
#include "outreach/outreach_int.h"
#include "store/outreach.h"
#include "store/portable.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY 86400

static const char *const states[] = { "prospect",   "contacted", "replied",   "negotiating",
                                      "contracted", "live",      "completed", "declined",
                                      "opted-out",  NULL };

const char *const *cr_outreach_states(void)
{
    return states;
}

static int state_index(const char *s)
{
    int i;

    for (i = 0; s && states[i]; i++)
        if (strcmp(states[i], s) == 0)
            return i;
    return -1;
}

/* Forward along the pipeline one or more steps (a reply may come before anything else is
 * recorded, a deal may be signed without a negotiation); declined from any open state;
 * opted-out from anywhere; a declined creator may come back as a prospect. Nothing leaves
 * opted-out, and completed is final. */
int cr_outreach_transition_ok(const char *from, const char *to)
{
    int f = state_index(from ? from : "prospect"), t = state_index(to);

    if (f < 0 || t < 0 || f == t)
        return 0;
    if (f == 8) /* opted-out */
        return 0;
    if (t == 8)
        return 1;
    if (f == 7) /* declined */
        return t == 0;
    if (t == 7)
        return f <= 4;
    if (f == 6) /* completed */
        return 0;
    return t > f;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t jint(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

/* ---- templates and sequences ---- */

cr_err cr_outreach_template_put(int64_t *out_id, cr_store *st, const cr_outreach_template *t)
{
    char where[160];
    cr_value p[5];
    cr_err rc;

    if (t->name == NULL || *t->name == '\0' || strlen(t->name) > 100)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "template: name: expected 1 to 100 characters");
    if (t->text == NULL || *t->text == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "template %s: the text is empty",
                            t->name);
    if (t->subject == NULL || *t->subject == '\0' || strpbrk(t->subject, "\r\n"))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "template %s: subject: expected one non-empty line", t->name);
    snprintf(where, sizeof(where), "%s:subject", t->name);
    if ((rc = cr_tpl_render(NULL, NULL, where, t->subject, strlen(t->subject), "{}", 0)) < 0 ||
        (rc = cr_tpl_render(NULL, NULL, t->name, t->text, strlen(t->text), "{}", 0)) < 0)
        return rc;
    snprintf(where, sizeof(where), "%s:html", t->name);
    if (t->html && (rc = cr_tpl_render(NULL, NULL, where, t->html, strlen(t->html), "{}", 1)) < 0)
        return rc;
    p[0] = v_text(t->name);
    p[1] = v_text(t->subject);
    p[2] = v_text(t->text);
    p[3] = v_text(t->html && *t->html ? t->html : NULL);
    p[4] = v_int(t->updated_at ? t->updated_at : cr_now());
    return cr_store_outreach_exec(out_id, st, CR_OW_TEMPLATE, p, 5);
}

cr_err
cr_outreach_template_list(cr_store *st, const char *name, cr_outreach_template_cb cb, void *payload)
{
    json_t *rows = NULL, *r;
    cr_value p = v_text(name);
    size_t i;
    cr_err rc;

    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_TEMPLATES, &p, 1)) < 0)
        return rc;
    if (name != NULL && json_array_size(rows) == 0) {
        json_decref(rows);
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no template '%s'", name);
    }
    json_array_foreach(rows, i, r)
    {
        cr_outreach_template t;

        t.id = jint(r, "id");
        t.name = jstr(r, "name");
        t.subject = jstr(r, "subject");
        t.text = jstr(r, "text");
        t.html = jstr(r, "html");
        t.created_at = jint(r, "created_at");
        t.updated_at = jint(r, "updated_at");
        if ((rc = cb(&t, payload)) < 0)
            break;
    }
    json_decref(rows);
    return rc;
}

/* The line of a YAML node (1-based; 0 unknown). */
static int yaml_line(struct fy_node *n)
{
    struct fy_token *t;
    const struct fy_mark *m;

    if (n != NULL && fy_node_is_scalar(n) && (t = fy_node_get_scalar_token(n)) != NULL &&
        (m = fy_token_start_mark(t)) != NULL)
        return m->line + 1;
    return 0;
}

static const char *yaml_scalar(char *buf, size_t size, struct fy_node *map, const char *key)
{
    struct fy_node *n = map ? fy_node_mapping_lookup_by_string(map, key, strlen(key)) : NULL;
    const char *v;
    size_t len = 0;

    if (n == NULL || !fy_node_is_scalar(n) || (v = fy_node_get_scalar(n, &len)) == NULL ||
        len >= size)
        return NULL;
    memcpy(buf, v, len);
    buf[len] = '\0';
    return buf;
}

/* A sequence written in YAML, turned into the JSON form the parser reads (the same fields);
 * an error names the file and the line. */
static cr_err sequence_yaml_to_json(json_t **out, const char *text, size_t len, const char *file)
{
    struct fy_parse_cfg cfg;
    struct fy_diag_cfg dcfg;
    struct fy_diag *diag = NULL;
    struct fy_document *doc = NULL;
    struct fy_node *root, *steps;
    json_t *j = NULL, *arr = NULL;
    char buf[256], *end;
    int i, n;
    cr_err rc = CR_OK;

    *out = NULL;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    if ((diag = fy_diag_create(&dcfg)) == NULL)
        return cr_error_oom();
    fy_diag_set_collect_errors(diag, true);
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG;
    cfg.diag = diag;
    if ((doc = fy_document_build_from_string(&cfg, text, len)) == NULL) {
        void *iter = NULL;
        struct fy_diag_error *e = fy_diag_errors_iterate(diag, &iter);

        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: not valid YAML: %s", file,
                          e ? e->line + 1 : 0, e ? e->column + 1 : 0, e ? e->msg : "parse error");
        goto done;
    }
    root = fy_document_root(doc);
    if (root == NULL || !fy_node_is_mapping(root)) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s:1: expected a mapping with name and steps", file);
        goto done;
    }
    j = json_object();
    arr = json_array();
    if (yaml_scalar(buf, sizeof(buf), root, "name"))
        json_object_set_new(j, "name", json_string(buf));
    steps = fy_node_mapping_lookup_by_string(root, "steps", 5);
    n = steps && fy_node_is_sequence(steps) ? fy_node_sequence_item_count(steps) : 0;
    for (i = 0; i < n; i++) {
        struct fy_node *st = fy_node_sequence_get_by_index(steps, i);
        json_t *o = json_object();
        long day;

        if (yaml_scalar(buf, sizeof(buf), st, "day")) {
            day = strtol(buf, &end, 10);
            if (*buf == '\0' || *end != '\0') {
                json_decref(o);
                rc = cr_error_set(
                    CR_EINVALID, CR_ERRCLASS_PARSE,
                    "%s:%d: steps[%d].day: expected whole days from 0 to 365, found '%s'", file,
                    yaml_line(fy_node_mapping_lookup_by_string(st, "day", 3)), i, buf);
                goto done;
            }
            json_object_set_new(o, "day", json_integer(day));
        }
        if (yaml_scalar(buf, sizeof(buf), st, "template"))
            json_object_set_new(o, "template", json_string(buf));
        json_array_append_new(arr, o);
    }
    if (steps != NULL)
        json_object_set(j, "steps", arr);
    *out = j;
    j = NULL;
done:
    json_decref(arr);
    json_decref(j);
    if (doc)
        fy_document_destroy(doc);
    fy_diag_destroy(diag);
    return rc;
}

cr_err cr_outreach_sequence_parse(cr_outreach_sequence *out,
                                  const char *text,
                                  size_t len,
                                  const char *file)
{
    json_error_t e;
    size_t lead = 0;
    json_t *j = NULL, *steps, *s;
    const char *name;
    size_t i;
    cr_err rc = CR_OK;

    memset(out, 0, sizeof(*out));
    while (lead < len &&
           (text[lead] == ' ' || text[lead] == '\n' || text[lead] == '\r' || text[lead] == '\t'))
        lead++;
    if (lead < len && text[lead] == '{') {
        j = json_loadb(text, len, 0, &e);
    } else {
        if ((rc = sequence_yaml_to_json(&j, text, len, file)) < 0)
            return rc;
        memset(&e, 0, sizeof(e));
        e.line = 1;
    }
    if (!json_is_object(j)) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: %s", file, e.line, e.column,
                          j ? "expected a JSON object" : e.text);
        goto done;
    }
    name = jstr(j, "name");
    if (name == NULL || *name == '\0' || strlen(name) >= sizeof(out->name)) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s: name: expected a string of 1 to %zu characters", file,
                          sizeof(out->name) - 1);
        goto done;
    }
    snprintf(out->name, sizeof(out->name), "%s", name);
    steps = json_object_get(j, "steps");
    if (!json_is_array(steps) || json_array_size(steps) == 0 ||
        json_array_size(steps) > CR_OUTREACH_MAX_STEPS) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s: steps: expected a list of 1 to %d steps", file,
                          CR_OUTREACH_MAX_STEPS);
        goto done;
    }
    json_array_foreach(steps, i, s)
    {
        json_t *day = json_object_get(s, "day");
        const char *tn = jstr(s, "template");

        if (!json_is_integer(day) || json_integer_value(day) < 0 || json_integer_value(day) > 365) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "%s: steps[%zu].day: expected whole days from 0 to 365", file, i);
            goto done;
        }
        if (tn == NULL || *tn == '\0' || strlen(tn) >= sizeof(out->steps[i].template_name)) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "%s: steps[%zu].template: expected a template name", file, i);
            goto done;
        }
        out->steps[i].step = (int)i + 1;
        out->steps[i].day = (int)json_integer_value(day);
        snprintf(out->steps[i].template_name, sizeof(out->steps[i].template_name), "%s", tn);
    }
    out->nsteps = json_array_size(steps);
done:
    json_decref(j);
    return rc;
}

cr_err cr_outreach_sequence_put(int64_t *out_id, cr_store *st, const cr_outreach_sequence *s)
{
    json_t *row = NULL;
    int64_t ids[CR_OUTREACH_MAX_STEPS], id = 0;
    cr_value p[4];
    size_t i;
    int own = !st->in_tx; /* inside a caller's transaction (the demo): part of it */
    cr_err rc;

    if (s->name[0] == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "sequence: name is empty");
    if (s->nsteps == 0 || s->nsteps > CR_OUTREACH_MAX_STEPS)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "sequence %s: expected 1 to %d steps",
                            s->name, CR_OUTREACH_MAX_STEPS);
    for (i = 0; i < s->nsteps; i++) {
        p[0] = v_text(s->steps[i].template_name);
        if ((rc = cr_store_outreach_row(&row, st, CR_OQ_TEMPLATES, p, 1)) < 0) {
            if (rc == CR_ENOTFOUND)
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "sequence %s: step %zu: no template '%s'", s->name, i + 1,
                                    s->steps[i].template_name);
            return rc;
        }
        ids[i] = jint(row, "id");
        json_decref(row);
        row = NULL;
        if (s->steps[i].day < 0 || s->steps[i].day > 365)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "sequence %s: step %zu: day: expected 0 to 365", s->name, i + 1);
    }
    if (own && (rc = cr_store_begin(st)) < 0)
        return rc;
    p[0] = v_text(s->name);
    if ((rc = cr_store_outreach_row(&row, st, CR_OQ_SEQUENCES, p, 1)) == CR_OK) {
        int64_t used;
        json_t *n = NULL;

        p[0] = v_int(jint(row, "id"));
        json_decref(row);
        if ((rc = cr_store_outreach_row(&n, st, CR_OQ_SEQ_ENROLLED, p, 1)) < 0)
            goto fail;
        used = jint(n, "n");
        json_decref(n);
        if (used > 0) {
            rc = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE,
                              "sequence %s has %lld enrolment(s) and cannot change; add a new "
                              "sequence",
                              s->name, (long long)used);
            goto fail;
        }
    } else if (rc != CR_ENOTFOUND) {
        goto fail;
    }
    p[0] = v_text(s->name);
    p[1] = v_int(s->created_at ? s->created_at : cr_now());
    if ((rc = cr_store_outreach_exec(&id, st, CR_OW_SEQUENCE, p, 2)) < 0)
        goto fail;
    p[0] = v_int(id);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_STEPS_CLEAR, p, 1)) < 0)
        goto fail;
    for (i = 0; i < s->nsteps; i++) {
        p[0] = v_int(id);
        p[1] = v_int((int64_t)i + 1);
        p[2] = v_int(s->steps[i].day);
        p[3] = v_int(ids[i]);
        if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_STEP, p, 4)) < 0)
            goto fail;
    }
    if (own && (rc = cr_store_commit(st)) < 0)
        return rc;
    if (out_id)
        *out_id = id;
    return CR_OK;
fail:
    if (own)
        cr_store_rollback(st);
    return rc;
}

cr_err
cr_outreach_sequence_list(cr_store *st, const char *name, cr_outreach_sequence_cb cb, void *payload)
{
    json_t *rows = NULL, *steps = NULL, *r, *s;
    cr_value p = v_text(name);
    size_t i, k;
    cr_err rc;

    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_SEQUENCES, &p, 1)) < 0)
        return rc;
    if (name != NULL && json_array_size(rows) == 0) {
        json_decref(rows);
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no sequence '%s'", name);
    }
    json_array_foreach(rows, i, r)
    {
        cr_outreach_sequence q;
        cr_value id = v_int(jint(r, "id"));

        memset(&q, 0, sizeof(q));
        q.id = jint(r, "id");
        snprintf(q.name, sizeof(q.name), "%s", jstr(r, "name"));
        q.created_at = jint(r, "created_at");
        if ((rc = cr_store_outreach_rows(&steps, st, CR_OQ_STEPS, &id, 1)) < 0)
            break;
        json_array_foreach(steps, k, s)
        {
            if (k >= CR_OUTREACH_MAX_STEPS)
                break;
            q.steps[k].step = (int)jint(s, "step");
            q.steps[k].day = (int)jint(s, "day");
            snprintf(q.steps[k].template_name, sizeof(q.steps[k].template_name), "%s",
                     jstr(s, "template"));
            q.nsteps = k + 1;
        }
        json_decref(steps);
        steps = NULL;
        if ((rc = cb(&q, payload)) < 0)
            break;
    }
    json_decref(rows);
    return rc;
}

/* ---- the context ---- */

static int stopword(const char *w, size_t n)
{
    static const char *const stop[] = {
        "about", "after",  "again", "their", "there", "these", "those",  "which", "while", "would",
        "could", "should", "where", "being", "every", "other", "really", "today", "this",  "that",
        "with",  "from",   "have",  "your",  "just",  "what",  "when",   "will",  "into",  "more",
        "some",  "than",   "them",  "they",  "were",  "been",  "also",   "here",  NULL
    };
    size_t i;

    for (i = 0; stop[i]; i++)
        if (strlen(stop[i]) == n && strncmp(stop[i], w, n) == 0)
            return 1;
    return 0;
}

/* Up to 3 topic words of a caption: its hashtags in order, else its longest words (of 4 or
 * more letters, not stop words), lower-case, without repeats. */
json_t *cr_outreach__topic_words(const char *caption)
{
    json_t *out = json_array();
    char words[24][48];
    size_t nw = 0, i, pass;
    const char *p;

    if (out == NULL || caption == NULL)
        return out;
    for (pass = 0; pass < 2 && nw == 0; pass++) {
        for (p = caption; *p && nw < 24;) {
            const char *w;
            size_t n = 0;
            int tag = *p == '#';

            if (pass == 0 && !tag) {
                p++;
                continue;
            }
            w = tag ? p + 1 : p;
            while (w[n] &&
                   (isalnum((unsigned char)w[n]) || w[n] == '_' || ((unsigned char)w[n] & 0x80)))
                n++;
            if (n == 0) {
                p++;
                continue;
            }
            if (n < sizeof(words[0]) && (pass == 0 || (n >= 4 && !tag))) {
                char lw[48];
                size_t k;
                int dup = 0;

                for (k = 0; k < n; k++)
                    lw[k] = (char)tolower((unsigned char)w[k]);
                lw[n] = '\0';
                for (k = 0; k < nw; k++)
                    dup |= strcmp(words[k], lw) == 0;
                if (!dup && !(pass == 1 && stopword(lw, n)))
                    memcpy(words[nw++], lw, n + 1);
            }
            p = w + n;
        }
        if (pass == 1 && nw > 1) { /* longest first, stable */
            size_t a, b;

            for (a = 1; a < nw; a++)
                for (b = a; b > 0 && strlen(words[b]) > strlen(words[b - 1]); b--) {
                    char tmp[48];

                    memcpy(tmp, words[b], sizeof(tmp));
                    memcpy(words[b], words[b - 1], sizeof(tmp));
                    memcpy(words[b - 1], tmp, sizeof(tmp));
                }
        }
    }
    for (i = 0; i < nw && i < 3; i++)
        json_array_append_new(out, json_string(words[i]));
    return out;
}

static int64_t pos(int64_t v)
{
    return v > 0 ? v : 0;
}

typedef struct {
    cr_post_rollup best;
    char url[512], caption[2048];
    int64_t best_eng;
    int have;
    const cr_rate_card *card;
    const char *brand;
    double emv_sum;
    int emv_n;
    int64_t emv_since;
    int64_t best_since; /* the best post is one of the last 90 days */
} post_scan;

static cr_err post_row(const cr_post_rollup *r, void *payload)
{
    post_scan *s = payload;
    int64_t eng = pos(r->likes) + pos(r->comments) + pos(r->shares) + pos(r->saves);

    if (r->url && r->posted_at >= s->best_since &&
        (!s->have || eng > s->best_eng ||
         (eng == s->best_eng && r->posted_at > s->best.posted_at))) {
        s->best = *r;
        s->best_eng = eng;
        s->have = 1;
        snprintf(s->url, sizeof(s->url), "%s", r->url);
        snprintf(s->caption, sizeof(s->caption), "%s", r->caption ? r->caption : "");
    }
    if (s->card && r->captured_at > 0 && r->posted_at >= s->emv_since) {
        cr_emv e;

        cr_emv_post(&e, s->card, r, NULL, 0, s->brand ? s->brand : "", 0);
        s->emv_sum += e.value_minor;
        s->emv_n++;
    }
    return CR_OK;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v != NULL && *v != '\0')
        json_object_set_new(o, k, json_string(v));
}

/* "1,230" */
static void group_digits(char *buf, size_t size, int64_t v)
{
    char raw[32];
    size_t n, i, o = 0;

    n = (size_t)snprintf(raw, sizeof(raw), "%lld", (long long)(v < 0 ? -v : v));
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    for (i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
}

cr_err
cr_outreach_context(char **out, cr_store *st, int64_t creator_id, int64_t campaign_id, int64_t now)
{
    json_t *ctx = json_object(), *cr = NULL, *camp = NULL, *part = NULL, *aud = NULL, *o;
    cr_outreach_config cfg;
    cr_rate_card *card = NULL;
    cr_rollup_filter f;
    post_scan scan;
    cr_value p[2];
    char buf[256], *dump;
    const char *s;
    cr_err rc;

    *out = NULL;
    if (ctx == NULL)
        return cr_error_oom();
    memset(&scan, 0, sizeof(scan));
    p[0] = v_int(creator_id);
    if ((rc = cr_store_outreach_row(&cr, st, CR_OQ_CREATOR, p, 1)) < 0) {
        if (rc == CR_ENOTFOUND)
            rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %lld",
                              (long long)creator_id);
        goto done;
    }
    o = json_object();
    set_str(o, "handle", jstr(cr, "handle"));
    set_str(o, "platform", jstr(cr, "platform"));
    set_str(o, "name", jstr(cr, "name"));
    if ((s = jstr(cr, "name")) != NULL) {
        size_t n = strcspn(s, " \t");

        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 200 ? n : 200), s);
        set_str(o, "first_name", buf);
    }
    set_str(o, "email", jstr(cr, "email"));
    set_str(o, "country", jstr(cr, "country"));
    if ((s = jstr(cr, "niches")) != NULL) {
        size_t n = strcspn(s, ",;|");

        set_str(o, "niches", s);
        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 200 ? n : 200), s);
        set_str(o, "niche", buf);
    }
    if (json_integer_value(json_object_get(cr, "followers")) > 0) {
        group_digits(buf, sizeof(buf), jint(cr, "followers"));
        set_str(o, "followers", buf);
    }
    json_object_set_new(ctx, "creator", o);

    if (campaign_id > 0) {
        p[0] = v_int(campaign_id);
        if ((rc = cr_store_outreach_row(&camp, st, CR_OQ_CAMPAIGN, p, 1)) < 0) {
            if (rc == CR_ENOTFOUND)
                rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no campaign %lld",
                                  (long long)campaign_id);
            goto done;
        }
        o = json_object();
        set_str(o, "name", jstr(camp, "name"));
        set_str(o, "brand", jstr(camp, "brand"));
        set_str(o, "objective", jstr(camp, "objective"));
        if (jint(camp, "start_date") > 0)
            set_str(o, "start", cr_fmt_date(buf, sizeof(buf), jint(camp, "start_date")));
        if (jint(camp, "end_date") > 0)
            set_str(o, "end", cr_fmt_date(buf, sizeof(buf), jint(camp, "end_date")));
        json_object_set_new(ctx, "campaign", o);
        p[0] = v_int(campaign_id);
        p[1] = v_int(creator_id);
        rc = cr_store_outreach_row(&part, st, CR_OQ_PARTNERSHIP, p, 2);
        if (rc < 0 && rc != CR_ENOTFOUND)
            goto done;
        if (part != NULL) {
            o = json_object();
            set_str(o, "state", jstr(part, "status"));
            set_str(o, "promo_code", jstr(part, "promo_code"));
            if (jint(part, "fee_minor") > 0) {
                group_digits(buf, sizeof(buf), jint(part, "fee_minor") / 100);
                json_object_set_new(
                    o, "fee",
                    json_sprintf("%s %s", jstr(part, "currency") ? jstr(part, "currency") : "USD",
                                 buf));
            }
            json_object_set_new(ctx, "partnership", o);
        }
    }

    /* the best recent post and the fee offer */
    rc = campaign_id > 0 ? cr_rate_card_for_campaign(&card, st, campaign_id)
                         : cr_rate_card_load(&card, st, NULL);
    if (rc < 0)
        goto done;
    scan.card = card;
    scan.brand = camp ? jstr(camp, "brand") : NULL;
    scan.emv_since = now - 180 * (int64_t)DAY;
    scan.best_since = now - 90 * (int64_t)DAY;
    memset(&f, 0, sizeof(f));
    f.creator_id = creator_id;
    f.since = now - 180 * (int64_t)DAY;
    f.until = now + 1;
    if ((rc = cr_store_rollup_list(st, &f, post_row, &scan)) < 0)
        goto done;
    if (scan.have) {
        json_t *topics = cr_outreach__topic_words(scan.caption);

        o = json_object();
        set_str(o, "url", scan.url);
        set_str(o, "posted_at", cr_fmt_date(buf, sizeof(buf), scan.best.posted_at));
        if (json_array_size(topics) > 0)
            json_object_set(o, "topic", json_array_get(topics, 0));
        json_object_set_new(o, "topics", topics);
        json_object_set_new(ctx, "post", o);
    }
    if (scan.emv_n > 0 && card != NULL) {
        double mean = scan.emv_sum / scan.emv_n;
        int64_t major = (int64_t)floor(mean / 100.0 / 10.0 + 0.5) * 10;

        if (major > 0) {
            o = json_object();
            group_digits(buf, sizeof(buf), major);
            json_object_set_new(o, "fee", json_sprintf("%s %s", card->currency, buf));
            json_object_set_new(o, "amount_minor", json_integer((json_int_t)major * 100));
            set_str(o, "currency", card->currency);
            set_str(o, "rate_card", card->version);
            json_object_set_new(ctx, "offer", o);
        }
    }

    p[0] = v_int(creator_id);
    rc = cr_store_outreach_row(&aud, st, CR_OQ_AUDIENCE_TOP, p, 1);
    if (rc < 0 && rc != CR_ENOTFOUND)
        goto done;
    if (aud != NULL) {
        o = json_object();
        set_str(o, "top_country", jstr(aud, "key"));
        snprintf(buf, sizeof(buf), "%.0f%%",
                 json_number_value(json_object_get(aud, "share")) * 100.0);
        set_str(o, "top_country_share", buf);
        json_object_set_new(ctx, "audience", o);
    }

    if ((rc = cr_outreach_config_load(&cfg, st)) < 0)
        goto done;
    o = json_object();
    set_str(o, "name", cfg.from_name);
    set_str(o, "email", cfg.from_email);
    json_object_set_new(ctx, "sender", o);
    if (cfg.unsubscribe[0])
        set_str(ctx, "unsubscribe", cfg.unsubscribe);
    else {
        snprintf(buf, sizeof(buf), "mailto:%s?subject=unsubscribe", cfg.from_email);
        set_str(ctx, "unsubscribe", buf);
    }
    rc = CR_OK;
    if ((dump = json_dumps(ctx, JSON_SORT_KEYS | JSON_COMPACT)) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    *out = cr_strdup(dump);
    free(dump);
    if (*out == NULL)
        rc = cr_error_oom();
done:
    cr_rate_card_free(card);
    json_decref(cr);
    json_decref(camp);
    json_decref(part);
    json_decref(aud);
    json_decref(ctx);
    return rc;
}

static void lint_merge(cr_tpl_lint *into, const cr_tpl_lint *from, const char *part)
{
    size_t i;

    for (i = 0; i < from->count && i < CR_TPL_MAX_ISSUES; i++) {
        if (into->count < CR_TPL_MAX_ISSUES) {
            into->issues[into->count] = from->issues[i];
            snprintf(into->issues[into->count].part, sizeof(into->issues[0].part), "%s", part);
        }
        into->count++;
    }
    if (from->count > CR_TPL_MAX_ISSUES)
        into->count += from->count - CR_TPL_MAX_ISSUES;
}

typedef struct {
    char *subject, *text, *html;
} tpl_copy;

static cr_err tpl_copy_row(const cr_outreach_template *t, void *payload)
{
    tpl_copy *c = payload;

    c->subject = cr_strdup(t->subject);
    c->text = cr_strdup(t->text);
    c->html = t->html ? cr_strdup(t->html) : NULL;
    if (!c->subject || !c->text || (t->html && !c->html))
        return cr_error_oom();
    return CR_OK;
}

/* Render subject, text and HTML of a template against a context. */
cr_err cr_outreach__render(char **subject,
                           char **text,
                           char **html,
                           cr_tpl_lint *lint,
                           const char *name,
                           const char *tsubject,
                           const char *ttext,
                           const char *thtml,
                           const char *ctx)
{
    cr_tpl_lint l;
    char where[160];
    cr_err rc;

    *subject = *text = *html = NULL;
    memset(lint, 0, sizeof(*lint));
    if ((rc = cr_tpl_render(subject, &l, name, tsubject, strlen(tsubject), ctx, 0)) < 0)
        goto fail;
    lint_merge(lint, &l, "subject");
    if ((rc = cr_tpl_render(text, &l, name, ttext, strlen(ttext), ctx, 0)) < 0)
        goto fail;
    lint_merge(lint, &l, "");
    snprintf(where, sizeof(where), "%s:html", name);
    if (thtml != NULL) {
        if ((rc = cr_tpl_render(html, &l, where, thtml, strlen(thtml), ctx, 1)) < 0)
            goto fail;
        lint_merge(lint, &l, "html");
    } else if ((rc = cr_outreach_text_to_html(html, *text)) < 0) {
        goto fail;
    }
    return CR_OK;
fail:
    cr_free(*subject);
    cr_free(*text);
    cr_free(*html);
    *subject = *text = *html = NULL;
    return rc;
}

cr_err cr_outreach_preview(char **subject,
                           char **text,
                           char **html,
                           cr_tpl_lint *lint,
                           cr_store *st,
                           const char *template_name,
                           int64_t creator_id,
                           int64_t campaign_id,
                           int64_t now)
{
    tpl_copy t = { NULL, NULL, NULL };
    char *ctx = NULL;
    cr_err rc;

    *subject = *text = *html = NULL;
    memset(lint, 0, sizeof(*lint));
    if ((rc = cr_outreach_template_list(st, template_name, tpl_copy_row, &t)) < 0 ||
        (rc = cr_outreach_context(&ctx, st, creator_id, campaign_id, now)) < 0)
        goto done;
    rc = cr_outreach__render(subject, text, html, lint, template_name, t.subject, t.text, t.html,
                             ctx);
done:
    cr_free(ctx);
    cr_free(t.subject);
    cr_free(t.text);
    cr_free(t.html);
    return rc;
}

/* ---- the pipeline and the timeline ---- */

cr_err cr_outreach__event(cr_store *st,
                          int64_t creator_id,
                          int64_t campaign_id,
                          const char *kind,
                          const char *detail,
                          const char *actor,
                          int64_t at)
{
    cr_value p[6] = { v_int(creator_id), v_int(campaign_id), v_text(kind),
                      v_text(detail),    v_text(actor),      v_int(at) };

    return cr_store_outreach_exec(NULL, st, CR_OW_EVENT, p, 6);
}

/* Move a partnership to `state` inside the caller's transaction; *changed says whether it
 * moved (a move that is not allowed is CR_EINVALID unless `quiet`, then nothing happens). */
cr_err cr_outreach__move(int *changed,
                         cr_store *st,
                         int64_t creator_id,
                         int64_t campaign_id,
                         const char *state,
                         const char *actor,
                         int64_t now,
                         int quiet)
{
    json_t *part = NULL;
    cr_value p[3];
    char detail[96];
    const char *from;
    cr_err rc;

    if (changed)
        *changed = 0;
    p[0] = v_int(campaign_id);
    p[1] = v_int(creator_id);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_PARTNERSHIP_NEW, p, 2)) < 0 ||
        (rc = cr_store_outreach_row(&part, st, CR_OQ_PARTNERSHIP, p, 2)) < 0)
        return rc;
    from = jstr(part, "status");
    if (from == NULL || !cr_outreach_transition_ok(from, state)) {
        if (quiet || (from && strcmp(from, state) == 0)) {
            json_decref(part);
            return CR_OK;
        }
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "state: a partnership cannot move from %s to %s", from ? from : "(none)",
                          state);
        json_decref(part);
        return rc;
    }
    snprintf(detail, sizeof(detail), "%s -> %s", from, state);
    json_decref(part);
    p[2] = v_text(state);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_PARTNERSHIP_STATE, p, 3)) < 0 ||
        (rc = cr_outreach__event(st, creator_id, campaign_id, "state", detail, actor, now)) < 0)
        return rc;
    if (changed)
        *changed = 1;
    return CR_OK;
}

static cr_err optout_in_tx(cr_store *st, int64_t creator_id, const char *source, int64_t now)
{
    json_t *cr = NULL;
    cr_value p[4];
    const char *email;
    cr_err rc;

    p[0] = v_int(creator_id);
    if ((rc = cr_store_outreach_row(&cr, st, CR_OQ_CREATOR, p, 1)) < 0) {
        if (rc == CR_ENOTFOUND)
            rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %lld",
                              (long long)creator_id);
        return rc;
    }
    email = jstr(cr, "email");
    p[0] = v_text(email ? email : "");
    p[1] = v_int(creator_id);
    p[2] = v_text(source ? source : "manual");
    p[3] = v_int(now);
    if ((email && (rc = cr_store_outreach_exec(NULL, st, CR_OW_OPTOUT, p, 4)) < 0))
        goto done;
    p[0] = v_int(creator_id);
    p[1] = v_text(CR_OUTREACH_STOP_OPTOUT);
    p[2] = v_int(now);
    p[3] = v_int(0);
    if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_CREATOR_OPTOUT, p, 1)) < 0 ||
        (rc = cr_store_outreach_exec(NULL, st, CR_OW_ENROLL_STOP_CREATOR, p, 4)) < 0 ||
        (rc = cr_store_outreach_exec(NULL, st, CR_OW_MESSAGE_DROP_CREATOR, p, 2)) < 0 ||
        (rc = cr_store_outreach_exec(NULL, st, CR_OW_PARTNERSHIPS_OPTOUT, p, 1)) < 0)
        goto done;
    rc = cr_outreach__event(st, creator_id, 0, "optout", source ? source : "opted out", NULL, now);
done:
    json_decref(cr);
    return rc;
}

cr_err cr_outreach__optout_tx(cr_store *st, int64_t creator_id, const char *source, int64_t now)
{
    return optout_in_tx(st, creator_id, source, now);
}

cr_err cr_outreach_optout(cr_store *st, int64_t creator_id, const char *source, int64_t now)
{
    cr_err rc;

    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = optout_in_tx(st, creator_id, source, now)) < 0) {
        cr_store_rollback(st);
        return rc;
    }
    return cr_store_commit(st);
}

cr_err cr_outreach_state_set(cr_store *st,
                             int64_t creator_id,
                             int64_t campaign_id,
                             const char *state,
                             const char *actor,
                             int64_t now)
{
    json_t *row = NULL;
    cr_value p[4];
    cr_err rc;

    if (state_index(state) < 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "state: expected prospect, contacted, replied, negotiating, "
                            "contracted, live, completed, declined or opted-out, found '%s'",
                            state ? state : "");
    if (strcmp(state, "opted-out") == 0)
        return cr_outreach_optout(st, creator_id, actor ? actor : "manual", now);
    p[0] = v_int(campaign_id);
    if ((rc = cr_store_outreach_row(&row, st, CR_OQ_CAMPAIGN, p, 1)) < 0)
        return rc == CR_ENOTFOUND ? cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE,
                                                 "no campaign %lld", (long long)campaign_id)
                                  : rc;
    json_decref(row);
    p[0] = v_int(creator_id);
    if ((rc = cr_store_outreach_row(&row, st, CR_OQ_CREATOR, p, 1)) < 0)
        return rc == CR_ENOTFOUND ? cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %lld",
                                                 (long long)creator_id)
                                  : rc;
    if (jint(row, "opted_out")) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "state: @%s opted out; an opt-out is permanent", jstr(row, "handle"));
        json_decref(row);
        return rc;
    }
    json_decref(row);
    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = cr_outreach__move(NULL, st, creator_id, campaign_id, state, actor, now, 0)) < 0)
        goto fail;
    if (strcmp(state, "declined") == 0) {
        p[0] = v_int(creator_id);
        p[1] = v_text(CR_OUTREACH_STOP_DECLINE);
        p[2] = v_int(now);
        p[3] = v_int(campaign_id);
        if ((rc = cr_store_outreach_exec(NULL, st, CR_OW_ENROLL_STOP_CREATOR, p, 4)) < 0)
            goto fail;
    }
    return cr_store_commit(st);
fail:
    cr_store_rollback(st);
    return rc;
}

cr_err cr_outreach_note(cr_store *st,
                        int64_t creator_id,
                        int64_t campaign_id,
                        const char *text,
                        const char *actor,
                        int64_t now)
{
    json_t *cr = NULL;
    cr_value p = v_int(creator_id);
    cr_err rc;

    if (text == NULL || *text == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "note: the text is empty");
    if ((rc = cr_store_outreach_row(&cr, st, CR_OQ_CREATOR, &p, 1)) < 0)
        return rc == CR_ENOTFOUND ? cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %lld",
                                                 (long long)creator_id)
                                  : rc;
    json_decref(cr);
    return cr_outreach__event(st, creator_id, campaign_id, "note", text, actor, now);
}

cr_err
cr_outreach_timeline(cr_store *st, int64_t creator_id, cr_outreach_event_cb cb, void *payload)
{
    json_t *rows = NULL, *r;
    cr_value p = v_int(creator_id);
    size_t i;
    cr_err rc;

    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_EVENTS, &p, 1)) < 0)
        return rc;
    json_array_foreach(rows, i, r)
    {
        cr_outreach_event e;

        e.id = jint(r, "id");
        e.creator_id = jint(r, "creator_id");
        e.campaign_id = jint(r, "campaign_id");
        e.kind = jstr(r, "kind");
        e.detail = jstr(r, "detail");
        e.actor = jstr(r, "actor");
        e.at = jint(r, "at");
        if ((rc = cb(&e, payload)) < 0)
            break;
    }
    json_decref(rows);
    return rc;
}

cr_err
cr_outreach_pipeline(cr_store *st, int64_t campaign_id, cr_outreach_card_cb cb, void *payload)
{
    json_t *rows = NULL, *r;
    cr_value p = v_int(campaign_id);
    size_t i;
    cr_err rc;

    if ((rc = cr_store_outreach_rows(&rows, st, CR_OQ_PIPELINE, &p, 1)) < 0)
        return rc;
    json_array_foreach(rows, i, r)
    {
        cr_outreach_card c;

        c.campaign_id = jint(r, "campaign_id");
        c.creator_id = jint(r, "creator_id");
        c.partnership_id = jint(r, "partnership_id");
        c.campaign = jstr(r, "campaign");
        c.platform = jstr(r, "platform");
        c.handle = jstr(r, "handle");
        c.name = jstr(r, "name");
        c.state = jstr(r, "state");
        c.updated_at = jint(r, "updated_at");
        if ((rc = cb(&c, payload)) < 0)
            break;
    }
    json_decref(rows);
    return rc;
}
