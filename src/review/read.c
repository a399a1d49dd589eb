/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * read.c - reading review cycles with the three voices kept apart: a manager (and the command
 * line) sees every submitted review; a reviewer sees his own, and another reviewer's review
 * of a partner only once he has submitted his own for that partner (the "ratings preview" of
 * Culture Amp: views are collected independently before anyone sees the others); a creator
 * sees his own self-assessment and feedback, and the brand reviews of his own partnership
 * only after they were released, without the reviewers' names. Also the ratings of a cycle
 * for the calibration engine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"

static json_t *date_json(const json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    char buf[16];

    if (!json_is_integer(v))
        return json_null();
    return json_string(cr_fmt_date(buf, sizeof(buf), (int64_t)json_integer_value(v)));
}

/* The cycle row with dates as text. */
static json_t *cycle_out(const json_t *row)
{
    json_t *o = json_deep_copy(row);

    if (o) {
        json_object_set_new(o, "period_start", date_json(row, "period_start"));
        json_object_set_new(o, "period_end", date_json(row, "period_end"));
        json_object_del(o, "created_at");
    }
    return o;
}

cr_err cr_review_cycles_json(char **out, cr_store *st)
{
    json_t *rows = NULL, *list, *row;
    size_t i;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_store_review_rows(&rows, st, CR_RQ_CYCLES, NULL, 0)) < 0)
        return rc;
    if ((list = json_array()) == NULL) {
        json_decref(rows);
        return cr_error_oom();
    }
    json_array_foreach(rows, i, row) json_array_append_new(list, cycle_out(row));
    json_decref(rows);
    return cr_review__dump(out, list);
}

/* The scores of review `id` as {criterion: {score, evidence, posts}}. */
static json_t *scores_of(const json_t *scores, int64_t id)
{
    json_t *o = json_object(), *s;
    size_t i;

    json_array_foreach(scores, i, s)
    {
        if (cr_review__i(s, "review_id") != id)
            continue;
        json_object_set_new(o, cr_review__s(s, "criterion"),
                            json_pack("{s:O,s:O,s:O}", "score", json_object_get(s, "score"),
                                      "evidence", json_object_get(s, "evidence"), "posts",
                                      json_object_get(s, "post_ids")));
    }
    return o;
}

static double mean_of(const json_t *scores, int64_t id)
{
    double sum = 0;
    size_t i, n = 0;
    json_t *s;

    json_array_foreach(scores, i, s) if (cr_review__i(s, "review_id") == id)
    {
        sum += (double)cr_review__i(s, "score");
        n++;
    }
    return n ? sum / (double)n : 0;
}

static const json_t *find_creator(const json_t *rows, int64_t creator)
{
    size_t i;
    json_t *r;

    json_array_foreach(rows, i, r) if (cr_review__i(r, "creator_id") == creator) return r;
    return NULL;
}

cr_err cr_review_cycle_json(
    char **out, cr_store *st, const char *ref, cr_review_see see, const char *viewer)
{
    json_t *cycle = NULL, *partners = NULL, *reviews = NULL, *scores = NULL, *selfs = NULL,
           *feedback = NULL, *o = NULL, *plist, *p, *r;
    cr_value id;
    size_t i, k;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_review__cycle(&cycle, st, ref)) < 0)
        return rc;
    id = v_int(cr_review__i(cycle, "id"));
    if ((rc = cr_store_review_rows(&partners, st, CR_RQ_PARTNERS, &id, 1)) < 0 ||
        (rc = cr_store_review_rows(&reviews, st, CR_RQ_REVIEWS, &id, 1)) < 0 ||
        (rc = cr_store_review_rows(&scores, st, CR_RQ_SCORES, &id, 1)) < 0 ||
        (rc = cr_store_review_rows(&selfs, st, CR_RQ_SELF, &id, 1)) < 0 ||
        (rc = cr_store_review_rows(&feedback, st, CR_RQ_FEEDBACK, &id, 1)) < 0)
        goto done;
    if ((o = cycle_out(cycle)) == NULL || json_object_set_new(o, "partners", json_array()) < 0) {
        rc = cr_error_oom();
        goto done;
    }
    json_object_set_new(o, "visibility", json_string(see == CR_REVIEW_SEE_ALL ? "all" : "preview"));
    {
        /* the rubric's criteria, for the review form */
        char *rtext = NULL;
        json_error_t jerr;
        json_t *rj;
        if ((rc = cr_review_rubric_json(&rtext, st, cr_review__s(cycle, "rubric_name"),
                                        (int)cr_review__i(cycle, "rubric_version"))) < 0)
            goto done;
        rj = json_loads(rtext, 0, &jerr);
        cr_review_text_free(rtext);
        if (rj)
            json_object_set(o, "criteria", json_object_get(rj, "criteria"));
        else
            json_object_set_new(o, "criteria", json_array());
        json_decref(rj);
    }
    if (viewer)
        json_object_set_new(o, "viewer", json_string(viewer));
    plist = json_object_get(o, "partners");
    json_array_foreach(partners, i, p)
    {
        int64_t creator = cr_review__i(p, "creator_id");
        int own = 0, hidden = 0;
        json_t *po = json_pack("{s:I,s:s,s:s,s:O,s:o,s:O,s:[]}", "creator_id", (json_int_t)creator,
                               "platform", cr_review__s(p, "platform"), "handle",
                               cr_review__s(p, "handle"), "name", json_object_get(p, "name"),
                               "released_at", date_json(p, "released_at"), "released_by",
                               json_object_get(p, "released_by"), "reviews");
        json_t *rl = json_object_get(po, "reviews");
        const json_t *sa, *fb;

        if (see == CR_REVIEW_SEE_PREVIEW)
            json_array_foreach(reviews, k,
                               r) if (cr_review__i(r, "creator_id") == creator && viewer &&
                                      strcmp(cr_review__s(r, "reviewer"), viewer) == 0) own = 1;
        json_array_foreach(reviews, k, r)
        {
            int64_t rid = cr_review__i(r, "id");
            int mine = viewer && strcmp(cr_review__s(r, "reviewer"), viewer) == 0;
            if (cr_review__i(r, "creator_id") != creator)
                continue;
            if (see == CR_REVIEW_SEE_PREVIEW && !mine && !own) {
                hidden++;
                continue;
            }
            json_array_append_new(
                rl,
                json_pack("{s:I,s:O,s:O,s:O,s:o,s:f,s:o}", "id", (json_int_t)rid, "reviewer",
                          json_object_get(r, "reviewer"), "summary", json_object_get(r, "summary"),
                          "potential", json_object_get(r, "potential"), "submitted_at",
                          date_json(r, "submitted_at"), "mean", mean_of(scores, rid), "scores",
                          scores_of(scores, rid)));
        }
        json_object_set_new(po, "hidden_reviews", json_integer((json_int_t)hidden));
        if (hidden)
            json_object_set_new(po, "note",
                                json_string("submit your own review of this partner to see the "
                                            "others (ratings preview)"));
        sa = find_creator(selfs, creator);
        fb = find_creator(feedback, creator);
        json_object_set_new(po, "self_assessment", sa ? json_deep_copy(sa) : json_null());
        json_object_set_new(po, "feedback", fb ? json_deep_copy(fb) : json_null());
        json_array_append_new(plist, po);
    }
done:
    json_decref(cycle);
    json_decref(partners);
    json_decref(reviews);
    json_decref(scores);
    json_decref(selfs);
    json_decref(feedback);
    if (rc < 0) {
        json_decref(o);
        return rc;
    }
    return cr_review__dump(out, o);
}

cr_err cr_review_creator_json(char **out, cr_store *st, int64_t creator_id)
{
    json_t *cycles = NULL, *o = NULL, *list, *c, *reviews = NULL, *scores = NULL, *selfs = NULL,
           *feedback = NULL, *r;
    char handle[160];
    cr_value p;
    size_t i, k;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator_id)) < 0)
        return rc;
    p = v_int(creator_id);
    if ((rc = cr_store_review_rows(&cycles, st, CR_RQ_CREATOR_CYCLES, &p, 1)) < 0)
        return rc;
    o = json_pack("{s:I,s:s,s:[]}", "creator_id", (json_int_t)creator_id, "partner", handle,
                  "cycles");
    list = json_object_get(o, "cycles");
    json_array_foreach(cycles, i, c)
    {
        cr_value id = v_int(cr_review__i(c, "id"));
        int released = !json_is_null(json_object_get(c, "released_at"));
        json_t *co = cycle_out(c), *rl = json_array();
        const json_t *sa, *fb;
        size_t n = 0;

        if ((rc = cr_store_review_rows(&reviews, st, CR_RQ_REVIEWS, &id, 1)) < 0 ||
            (rc = cr_store_review_rows(&scores, st, CR_RQ_SCORES, &id, 1)) < 0 ||
            (rc = cr_store_review_rows(&selfs, st, CR_RQ_SELF, &id, 1)) < 0 ||
            (rc = cr_store_review_rows(&feedback, st, CR_RQ_FEEDBACK, &id, 1)) < 0) {
            json_decref(co);
            json_decref(rl);
            break;
        }
        json_object_del(co, "lead");
        json_object_set_new(co, "released_at", date_json(c, "released_at"));
        json_object_set_new(co, "released", json_boolean(released));
        /* before release nothing of the brand's reviews leaves the store, not even a count */
        json_array_foreach(reviews, k,
                           r) if (released && cr_review__i(r, "creator_id") == creator_id)
        {
            char label[32];
            snprintf(label, sizeof(label), "Reviewer %zu", ++n);
            json_array_append_new(rl,
                                  json_pack("{s:s,s:O,s:o,s:f,s:o}", "reviewer", label, "summary",
                                            json_object_get(r, "summary"), "submitted_at",
                                            date_json(r, "submitted_at"), "mean",
                                            mean_of(scores, cr_review__i(r, "id")), "scores",
                                            scores_of(scores, cr_review__i(r, "id"))));
        }
        json_object_set_new(co, "reviews", rl);
        sa = find_creator(selfs, creator_id);
        fb = find_creator(feedback, creator_id);
        json_object_set_new(co, "self_assessment", sa ? json_deep_copy(sa) : json_null());
        json_object_set_new(co, "feedback", fb ? json_deep_copy(fb) : json_null());
        json_array_append_new(list, co);
        json_decref(reviews);
        json_decref(scores);
        json_decref(selfs);
        json_decref(feedback);
        reviews = scores = selfs = feedback = NULL;
    }
    json_decref(cycles);
    if (rc < 0) {
        json_decref(o);
        return rc;
    }
    return cr_review__dump(out, o);
}

cr_err cr_review_cycle_ratings(cr_rating_set *out, cr_store *st, const char *ref)
{
    json_t *cycle = NULL, *rows = NULL, *r;
    cr_value id;
    size_t i, n;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    if ((rc = cr_review__cycle(&cycle, st, ref)) < 0)
        return rc;
    id = v_int(cr_review__i(cycle, "id"));
    json_decref(cycle);
    if ((rc = cr_store_review_rows(&rows, st, CR_RQ_CYCLE_RATINGS, &id, 1)) < 0)
        return rc;
    n = json_array_size(rows);
    out->ratings = cr_calloc(n ? n : 1, sizeof(*out->ratings));
    out->names = cr_calloc(n * 3 + 1, sizeof(*out->names));
    if (out->ratings == NULL || out->names == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    /* each rating owns its three strings: simple, and a cycle holds few ratings */
    json_array_foreach(rows, i, r)
    {
        char ratee[160];
        snprintf(ratee, sizeof(ratee), "%s/%s", cr_review__s(r, "platform"),
                 cr_review__s(r, "handle"));
        if ((out->names[out->nnames] = cr_strdup(ratee)) == NULL ||
            (out->names[out->nnames + 1] = cr_strdup(cr_review__s(r, "reviewer"))) == NULL ||
            (out->names[out->nnames + 2] = cr_strdup(cr_review__s(r, "criterion"))) == NULL) {
            out->nnames += 3;
            rc = cr_error_oom();
            goto done;
        }
        out->ratings[i].ratee = out->names[out->nnames];
        out->ratings[i].rater = out->names[out->nnames + 1];
        out->ratings[i].criterion = out->names[out->nnames + 2];
        out->ratings[i].score = (double)cr_review__i(r, "score");
        out->nnames += 3;
        out->n++;
    }
done:
    json_decref(rows);
    if (rc < 0) {
        for (i = 0; i < out->nnames; i++)
            cr_free(out->names[i]);
        cr_free(out->names);
        cr_free(out->ratings);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

cr_err cr_review_rotation_json(char **out, cr_store *st, const char *ref)
{
    cr_calibrate_result *cal = NULL;
    cr_rating_set set;
    json_t *cycle = NULL, *o = NULL, *assign, *raters;
    const char **names = NULL, *lead, *next = NULL;
    size_t n = 0, i, k;
    cr_err rc;

    *out = NULL;
    memset(&set, 0, sizeof(set));
    if ((rc = cr_review__cycle(&cycle, st, ref)) < 0 ||
        (rc = cr_review_cycle_ratings(&set, st, ref)) < 0)
        goto done;
    if ((names = cr_calloc(set.n + 1, sizeof(*names))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    /* the cycle's reviewers, sorted: the lead passes to the next one */
    for (i = 0; i < set.n; i++) {
        for (k = 0; k < n && strcmp(names[k], set.ratings[i].rater) != 0; k++)
            ;
        if (k == n)
            names[n++] = set.ratings[i].rater;
    }
    cr_qsort(names, n, sizeof(*names), by_str);
    lead = cr_review__s(cycle, "lead");
    for (i = 0; lead && i < n; i++)
        if (strcmp(names[i], lead) == 0)
            next = names[(i + 1) % n];
    if (next == NULL && n > 0)
        next = names[0];
    raters = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(raters, json_string(names[i]));
    assign = json_array();
    /* the engine's rotation: extra assignments that connect the reviewer x partner graph */
    if (n >= 2 && (rc = cr_calibrate(&cal, set.ratings, set.n, NULL)) == CR_OK) {
        for (i = 0; i < cal->nrotation; i++)
            json_array_append_new(
                assign, json_pack("{s:s,s:s}", "reviewer", cal->raters[cal->rotation[i].rater].name,
                                  "partner", cal->ratees[cal->rotation[i].ratee].name));
    } else if (n >= 2) {
        cr_error_clear();
        rc = CR_OK;
    }
    o = json_pack("{s:s,s:o,s:o,s:I,s:b,s:o,s:s}", "cycle", cr_review__s(cycle, "name"), "lead",
                  lead ? json_string(lead) : json_null(), "next_lead",
                  next ? json_string(next) : json_null(), "components",
                  (json_int_t)(cal ? cal->ncomponents : 0), "connected",
                  cal ? cal->ncomponents <= 1 : 0, "reviewers", raters, "method",
                  "the lead passes to the next reviewer in order; the assignments are the "
                  "calibration engine's rotation, which connects the reviewer x partner graph");
    if (o)
        json_object_set_new(o, "assignments", assign);
    else
        json_decref(assign);
done:
    cr_calibrate_result_free(cal);
    cr_rating_set_dispose(&set);
    cr_free(names);
    json_decref(cycle);
    if (rc < 0) {
        json_decref(o);
        return rc;
    }
    return cr_review__dump(out, o);
}

static json_t *finite(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

cr_err cr_review_calibration_json(char **out, cr_store *st, const char *ref)
{
    cr_calibrate_result *cal = NULL;
    cr_rating_set set;
    json_t *cycle = NULL, *o = NULL, *raters, *ratees, *rot;
    size_t i;
    cr_err rc;

    *out = NULL;
    memset(&set, 0, sizeof(set));
    if ((rc = cr_review__cycle(&cycle, st, ref)) < 0 ||
        (rc = cr_review_cycle_ratings(&set, st, ref)) < 0 ||
        (rc = cr_calibrate(&cal, set.ratings, set.n, NULL)) < 0)
        goto done;
    raters = json_array();
    for (i = 0; i < cal->nraters; i++) {
        const cr_calibrate_rater *r = &cal->raters[i];
        json_array_append_new(
            raters, json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:s}", "name", r->name, "n",
                              (json_int_t)r->n, "raw_mean", finite(r->raw_mean), "severity",
                              finite(r->severity), "se", finite(r->se), "infit", finite(r->infit),
                              "outfit", finite(r->outfit), "flags", r->reason));
    }
    ratees = json_array();
    for (i = 0; i < cal->nratees; i++) {
        const cr_calibrate_ratee *r = &cal->ratees[i];
        json_array_append_new(ratees,
                              json_pack("{s:s,s:I,s:o,s:o,s:o}", "name", r->name, "n",
                                        (json_int_t)r->n, "raw_mean", finite(r->raw_mean), "fair",
                                        finite(r->fair), "fair_se", finite(r->fair_se)));
    }
    rot = json_array();
    for (i = 0; i < cal->nrotation; i++)
        json_array_append_new(rot, json_pack("{s:s,s:s}", "reviewer",
                                             cal->raters[cal->rotation[i].rater].name, "partner",
                                             cal->ratees[cal->rotation[i].ratee].name));
    o = json_pack("{s:s,s:s,s:I,s:b,s:o,s:o,s:o,s:o}", "cycle", cr_review__s(cycle, "name"),
                  "model", cr_calibrate_model_name(cal->model), "ratings", (json_int_t)set.n,
                  "connected", cal->ncomponents <= 1, "sigma", finite(cal->sigma), "raters", raters,
                  "ratees", ratees, "rotation", rot);
done:
    cr_calibrate_result_free(cal);
    cr_rating_set_dispose(&set);
    json_decref(cycle);
    if (rc < 0)
        return rc;
    return cr_review__dump(out, o);
}
