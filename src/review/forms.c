/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * forms.c - the writes of partner reviews, each from one YAML or JSON form: a cycle, a brand
 * review (final once submitted; scores of 2 or below need evidence), the creator's
 * self-assessment and reciprocal feedback, release, growth plans with milestones and
 * incentives, and debrief notes / playbook entries. Every form is checked whole before
 * anything is written, and written in one transaction. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

static const char *const kinds[] = { "quarterly", "monthly", "midcycle", "debrief", NULL };

static int in_list(const char *const *list, const char *s)
{
    size_t i;

    for (i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

/* A list of post ids (numbers) as "1,2,3"; NULL when absent. */
static cr_err post_list(char **out, const char *file, struct fy_node *n, const char *field)
{
    struct fy_node *item;
    void *it = NULL;
    char buf[32], *end;
    cr_str s;
    cr_err rc = CR_OK;

    *out = NULL;
    if (n == NULL)
        return CR_OK;
    if (!fy_node_is_sequence(n))
        return cr_track__error(file, n, field, "expected a list of post ids, found %s",
                               fy_node_is_mapping(n) ? "a mapping" : "a single value");
    cr_str_init(&s, 64 * 1024);
    while (rc == CR_OK && (item = fy_node_sequence_iterate(n, &it)) != NULL) {
        if ((rc = cr_track__scalar(buf, sizeof(buf), file, item, field, "a post id")) < 0)
            break;
        if (strtoll(buf, &end, 10) <= 0 || *end != '\0') {
            rc = cr_track__error(file, item, field,
                                 "expected a post id (a positive number), "
                                 "found '%s'",
                                 buf);
            break;
        }
        if (cr_str_cstr(&s)[0])
            rc = cr_str_putc(&s, ',');
        if (rc == CR_OK)
            rc = cr_str_puts(&s, buf);
    }
    if (rc == CR_OK && cr_str_cstr(&s)[0])
        *out = cr_strdup(cr_str_cstr(&s));
    if (rc == CR_OK && cr_str_cstr(&s)[0] && *out == NULL)
        rc = cr_error_oom();
    cr_str_dispose(&s);
    return rc;
}

/* The cycle and partner of a form ("cycle", "partner"): both must exist and the creator must
 * be a partner of the cycle. */
static cr_err form_target(json_t **cycle,
                          int64_t *creator,
                          cr_store *st,
                          const char *file,
                          struct fy_node *root,
                          int64_t only_creator)
{
    char *cref = NULL, *pref = NULL;
    json_t *row = NULL;
    cr_value p[2];
    cr_err rc;

    *cycle = NULL;
    if ((rc = cr_review__text(&cref, file, root, "cycle", 1, 200)) < 0 ||
        (rc = cr_review__text(&pref, file, root, "partner", 1, 300)) < 0)
        goto done;
    if ((rc = cr_review__cycle(cycle, st, cref)) < 0) {
        rc = cr_track__error(file, cr_review__get(root, "cycle"), "cycle",
                             "expected a review cycle (crest review cycles), found '%s'", cref);
        rc = cr_review__recode(CR_ENOTFOUND);
        goto done;
    }
    if ((rc = cr_review__creator(creator, st, pref, file, cr_review__get(root, "partner"),
                                 "partner")) < 0)
        goto done;
    if (only_creator && *creator != only_creator) {
        rc = cr_error_set(CR_EAUTH, CR_ERRCLASS_CLI,
                          "partner: this form may only be filled in for your own partnership");
        goto done;
    }
    p[0] = v_int(cr_review__i(*cycle, "id"));
    p[1] = v_int(*creator);
    if ((rc = cr_store_review_row(&row, st, CR_RQ_PARTNER, p, 2)) == CR_ENOTFOUND) {
        rc = cr_track__error(file, cr_review__get(root, "partner"), "partner",
                             "expected a partner of cycle %s, found '%s' (add it to the "
                             "cycle's partners)",
                             cr_review__s(*cycle, "name"), pref);
        rc = cr_review__recode(CR_ENOTFOUND);
    }
done:
    if (rc < 0) {
        json_decref(*cycle);
        *cycle = NULL;
    }
    json_decref(row);
    cr_free(cref);
    cr_free(pref);
    return rc;
}

/* ---- cycles ------------------------------------------------------------------------------- */

cr_err
cr_review_cycle_start(int64_t *out_id, cr_store *st, const char *text, size_t len, const char *file)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *partners, *item;
    char *name = NULL, *kind = NULL, *period = NULL, *rubric = NULL, *lead = NULL, *campaign = NULL,
         ref[300];
    cr_review__rubric *rb = cr_calloc(1, sizeof(*rb));
    int64_t start = 0, end = 0, version = 0, campaign_id = 0, *ids = NULL, id = 0;
    json_t *camp = NULL, *dup = NULL;
    size_t n = 0, i;
    void *it = NULL;
    cr_value p[9];
    int own = 0;
    cr_err rc;

    *out_id = 0;
    if (rb == NULL)
        return cr_error_oom();
    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        goto done;
    root = fy_document_root(doc);
    if ((rc = cr_review__text(&name, file, root, "name", 1, 64)) < 0 ||
        (rc = cr_review__text(&kind, file, root, "kind", 0, 16)) < 0 ||
        (rc = cr_review__text(&period, file, root, "period", 0, 16)) < 0 ||
        (rc = cr_review__text(&rubric, file, root, "rubric", 0, 64)) < 0 ||
        (rc = cr_review__int(&version, file, root, "rubric_version", 0, 0, 1000000)) < 0 ||
        (rc = cr_review__text(&lead, file, root, "lead", 0, 254)) < 0 ||
        (rc = cr_review__text(&campaign, file, root, "campaign", 0, 200)) < 0)
        goto done;
    if (kind && !in_list(kinds, kind)) {
        rc = cr_track__error(file, cr_review__get(root, "kind"), "kind",
                             "expected quarterly, monthly, midcycle or debrief, found '%s'", kind);
        goto done;
    }
    if (campaign) {
        p[0] = v_text(campaign);
        if ((rc = cr_store_review_row(&camp, st, CR_RQ_CAMPAIGN, p, 1)) == CR_ENOTFOUND) {
            cr_track__error(file, cr_review__get(root, "campaign"), "campaign",
                            "expected a campaign name or id, found '%s'", campaign);
            rc = cr_review__recode(CR_ENOTFOUND);
        }
        if (rc < 0)
            goto done;
        campaign_id = cr_review__i(camp, "id");
    }
    if (period) {
        if (cr_period_bounds(&start, &end, period) < 0) {
            rc = cr_track__error(file, cr_review__get(root, "period"), "period",
                                 "expected a period (2026-Q3, 2026-07, 2026-H1 or 2026), found "
                                 "'%s'",
                                 period);
            goto done;
        }
    } else if (cr_review__get(root, "start") || !campaign) {
        if ((rc = cr_review__date(&start, file, root, "start", 1)) < 0 ||
            (rc = cr_review__date(&end, file, root, "end", 1)) < 0)
            goto done;
    } else {
        /* a debrief of a campaign covers the campaign */
        start = cr_review__i(camp, "start_date");
        end = cr_review__i(camp, "end_date");
    }
    if (end < start) {
        rc = cr_track__error(file, cr_review__get(root, "end"), "end",
                             "expected an end on or after the start, found an earlier one");
        goto done;
    }
    if ((rc = cr_review__rubric_load(rb, st, rubric ? rubric : "default", (int)version)) < 0)
        goto done;
    partners = cr_review__get(root, "partners");
    if (partners && !fy_node_is_sequence(partners)) {
        rc = cr_track__error(file, partners, "partners",
                             "expected a list of creators (platform/handle), found %s",
                             fy_node_is_mapping(partners) ? "a mapping" : "a single value");
        goto done;
    }
    if (partners && (ids = cr_calloc((size_t)fy_node_sequence_item_count(partners) + 1,
                                     sizeof(*ids))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    while (partners && (item = fy_node_sequence_iterate(partners, &it)) != NULL) {
        if ((rc = cr_track__scalar(ref, sizeof(ref), file, item, "partners",
                                   "a creator (platform/handle)")) < 0 ||
            (rc = cr_review__creator(&ids[n], st, ref, file, item, "partners")) < 0)
            goto done;
        n++;
    }
    p[0] = v_text(name);
    if ((rc = cr_store_review_row(&dup, st, CR_RQ_CYCLE, p, 1)) != CR_ENOTFOUND) {
        if (rc == CR_OK)
            rc = cr_track__error(file, cr_review__get(root, "name"), "name",
                                 "expected a new cycle name, found '%s', which exists already",
                                 name);
        if (rc == CR_EINVALID)
            rc = cr_review__recode(CR_ECONFLICT);
        goto done;
    }
    if ((rc = cr_review__begin(st, &own)) < 0)
        goto done;
    p[1] = v_text(kind ? kind : campaign ? "debrief" : "quarterly");
    p[2] = v_int(start);
    p[3] = v_int(end);
    p[4] = campaign_id ? v_int(campaign_id) : v_text(NULL);
    p[5] = v_text(rb->name);
    p[6] = v_int(rb->version);
    p[7] = v_text(lead);
    p[8] = v_int(cr_now());
    rc = cr_store_review_exec(&id, st, CR_RW_CYCLE, p, 9);
    for (i = 0; i < n && rc == CR_OK; i++) {
        p[0] = v_int(id);
        p[1] = v_int(ids[i]);
        rc = cr_store_review_exec(NULL, st, CR_RW_PARTNER, p, 2);
    }
    rc = cr_review__end(st, own, rc);
    if (rc == CR_OK)
        *out_id = id;
done:
    fy_document_destroy(doc);
    json_decref(camp);
    json_decref(dup);
    cr_free(ids);
    cr_free(name);
    cr_free(kind);
    cr_free(period);
    cr_free(rubric);
    cr_free(lead);
    cr_free(campaign);
    cr_free(rb);
    return rc;
}

/* ---- brand reviews ------------------------------------------------------------------------ */

typedef struct {
    const cr_review__criterion *c;
    int64_t score;
    char *evidence, *posts;
} score_in;

static cr_err read_score(
    score_in *s, const char *file, struct fy_node *v, const char *field, const char *anchor_hint)
{
    cr_err rc;

    (void)anchor_hint;
    if (fy_node_is_mapping(v)) {
        if ((rc = cr_review__int(&s->score, file, v, "score", 1, 1, CR_REVIEW_LEVELS)) < 0 ||
            (rc = cr_review__text(&s->evidence, file, v, "evidence", 0, 8000)) < 0 ||
            (rc = post_list(&s->posts, file, cr_review__get(v, "posts"), field)) < 0)
            return rc;
    } else {
        char buf[32], *end;
        if ((rc = cr_track__scalar(buf, sizeof(buf), file, v, field, "a score from 1 to 5")) < 0)
            return rc;
        s->score = strtoll(buf, &end, 10);
        if (end == buf || *end != '\0' || s->score < 1 || s->score > CR_REVIEW_LEVELS)
            return cr_track__error(file, v, field, "expected a score from 1 to 5, found '%s'", buf);
    }
    if (s->score <= 2 && (s->evidence == NULL || s->evidence[0] == '\0'))
        return cr_track__error(file, v, field,
                               "a score of %lld needs evidence: write {score: %lld, evidence: "
                               "\"what happened\", posts: [ids]} (%s)",
                               (long long)s->score, (long long)s->score,
                               s->c->anchors[s->score - 1]);
    return CR_OK;
}

cr_err cr_review_submit(int64_t *out_id,
                        cr_store *st,
                        const char *text,
                        size_t len,
                        const char *file,
                        const char *reviewer)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *scores, *v;
    struct fy_node_pair *pair;
    cr_review__rubric *rb = cr_calloc(1, sizeof(*rb));
    score_in *in = NULL;
    char *who = NULL, *summary = NULL, code[64], field[96];
    int64_t creator = 0, potential = 0, id = 0;
    json_t *cycle = NULL, *row = NULL;
    size_t n = 0, i;
    void *it = NULL;
    cr_value p[6];
    int own = 0;
    cr_err rc;

    *out_id = 0;
    if (rb == NULL)
        return cr_error_oom();
    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        goto done;
    root = fy_document_root(doc);
    if ((rc = form_target(&cycle, &creator, st, file, root, 0)) < 0 ||
        (rc = cr_review__text(&who, file, root, "reviewer", reviewer == NULL, 254)) < 0 ||
        (rc = cr_review__text(&summary, file, root, "summary", 0, 8000)) < 0 ||
        (rc = cr_review__int(&potential, file, root, "potential", 0, 1, 3)) < 0)
        goto done;
    if (reviewer && who && strcmp(who, reviewer) != 0) {
        rc = cr_track__error(file, cr_review__get(root, "reviewer"), "reviewer",
                             "expected your own email '%s', found '%s'", reviewer, who);
        goto done;
    }
    if ((rc = cr_review__rubric_load(rb, st, cr_review__s(cycle, "rubric_name"),
                                     (int)cr_review__i(cycle, "rubric_version"))) < 0)
        goto done;
    scores = cr_review__get(root, "scores");
    if (scores == NULL || !fy_node_is_mapping(scores)) {
        rc = cr_track__error(file, scores ? scores : root, "scores",
                             "expected a mapping of criterion: score (1-5), found %s",
                             scores ? "something else" : "nothing");
        goto done;
    }
    if ((in = cr_calloc(rb->ncriteria, sizeof(*in))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    while ((pair = fy_node_mapping_iterate(scores, &it)) != NULL) {
        const cr_review__criterion *c;
        if ((rc = cr_track__scalar(code, sizeof(code), file, fy_node_pair_key(pair), "scores",
                                   "a criterion code")) < 0)
            goto done;
        snprintf(field, sizeof(field), "scores.%s", code);
        if ((c = cr_review__criterion_find(rb, code)) == NULL) {
            rc = cr_track__error(file, fy_node_pair_key(pair), field,
                                 "expected a criterion of rubric %s v%d (crest review rubric "
                                 "show), found '%s'",
                                 rb->name, rb->version, code);
            goto done;
        }
        for (i = 0; i < n; i++)
            if (in[i].c == c) {
                rc = cr_track__error(file, fy_node_pair_key(pair), field,
                                     "expected each criterion once, found '%s' again", code);
                goto done;
            }
        v = fy_node_pair_value(pair);
        in[n].c = c;
        if ((rc = read_score(&in[n], file, v, field, NULL)) < 0) {
            n++;
            goto done;
        }
        n++;
    }
    if (n < rb->ncriteria) {
        for (i = 0; i < rb->ncriteria; i++) {
            size_t k;
            for (k = 0; k < n && in[k].c != &rb->criteria[i]; k++)
                ;
            if (k == n)
                break;
        }
        rc = cr_track__error(file, scores, "scores",
                             "expected a score for every criterion of rubric %s v%d, found none "
                             "for '%s'",
                             rb->name, rb->version, rb->criteria[i].code);
        goto done;
    }
    if ((rc = cr_review__begin(st, &own)) < 0)
        goto done;
    p[0] = v_int(cr_review__i(cycle, "id"));
    p[1] = v_int(creator);
    p[2] = v_text(reviewer ? reviewer : who);
    if ((rc = cr_store_review_row(&row, st, CR_RQ_REVIEW_ID, p, 3)) == CR_OK) {
        rc = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_PARSE,
                          "%s: reviewer: %s has submitted a review of this partner in cycle %s "
                          "already (reviews are final once submitted)",
                          file, reviewer ? reviewer : who, cr_review__s(cycle, "name"));
    } else if (rc == CR_ENOTFOUND) {
        p[3] = v_text(summary);
        p[4] = potential ? v_int(potential) : v_text(NULL);
        p[5] = v_int(cr_now());
        rc = cr_store_review_exec(&id, st, CR_RW_REVIEW, p, 6);
    }
    for (i = 0; i < n && rc == CR_OK; i++) {
        cr_value s[5] = { v_int(id), v_text(in[i].c->code), v_int(in[i].score),
                          v_text(in[i].evidence), v_text(in[i].posts) };
        rc = cr_store_review_exec(NULL, st, CR_RW_SCORE, s, 5);
    }
    rc = cr_review__end(st, own, rc);
    if (rc == CR_OK)
        *out_id = id;
done:
    for (i = 0; in && i < n; i++) {
        cr_free(in[i].evidence);
        cr_free(in[i].posts);
    }
    cr_free(in);
    fy_document_destroy(doc);
    json_decref(cycle);
    json_decref(row);
    cr_free(who);
    cr_free(summary);
    cr_free(rb);
    return rc;
}

/* ---- the creator's voice ------------------------------------------------------------------ */

/* After release the creator has read the brand's reviews: answers are final from then on. */
static cr_err not_released(cr_store *st, const json_t *cycle, int64_t creator, const char *file)
{
    cr_value p[2] = { v_int(cr_review__i(cycle, "id")), v_int(creator) };
    json_t *row = NULL;
    cr_err rc;

    if ((rc = cr_store_review_row(&row, st, CR_RQ_PARTNER, p, 2)) < 0)
        return rc;
    if (!json_is_null(json_object_get(row, "released_at")))
        rc = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_PARSE,
                          "%s: cycle: the reviews of cycle %s were released; answers cannot "
                          "change any more",
                          file, cr_review__s(cycle, "name"));
    json_decref(row);
    return rc;
}

cr_err
cr_review_self(cr_store *st, const char *text, size_t len, const char *file, int64_t only_creator)
{
    struct fy_document *doc = NULL;
    struct fy_node *root;
    char *strengths = NULL, *growth = NULL, *plan = NULL;
    json_t *cycle = NULL;
    int64_t creator = 0;
    cr_value p[6];
    cr_err rc;

    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        return rc;
    root = fy_document_root(doc);
    if ((rc = form_target(&cycle, &creator, st, file, root, only_creator)) < 0 ||
        (rc = cr_review__text(&strengths, file, root, "strengths", 1, 8000)) < 0 ||
        (rc = cr_review__text(&growth, file, root, "growth_areas", 1, 8000)) < 0 ||
        (rc = cr_review__text(&plan, file, root, "plan", 1, 8000)) < 0 ||
        (rc = not_released(st, cycle, creator, file)) < 0)
        goto done;
    p[0] = v_int(cr_review__i(cycle, "id"));
    p[1] = v_int(creator);
    p[2] = v_text(strengths);
    p[3] = v_text(growth);
    p[4] = v_text(plan);
    p[5] = v_int(cr_now());
    rc = cr_store_review_exec(NULL, st, CR_RW_SELF, p, 6);
done:
    fy_document_destroy(doc);
    json_decref(cycle);
    cr_free(strengths);
    cr_free(growth);
    cr_free(plan);
    return rc;
}

cr_err cr_review_feedback(
    cr_store *st, const char *text, size_t len, const char *file, int64_t only_creator)
{
    static const char *const dims[] = { "brief_clarity", "feedback_timeliness",
                                        "payment_punctuality", "creative_freedom" };
    struct fy_document *doc = NULL;
    struct fy_node *root;
    int64_t creator = 0, v[4] = { 0, 0, 0, 0 };
    char *comment = NULL;
    json_t *cycle = NULL;
    cr_value p[8];
    size_t i;
    cr_err rc;

    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        return rc;
    root = fy_document_root(doc);
    if ((rc = form_target(&cycle, &creator, st, file, root, only_creator)) < 0)
        goto done;
    for (i = 0; i < 4; i++)
        if ((rc = cr_review__int(&v[i], file, root, dims[i], 1, 1, CR_REVIEW_LEVELS)) < 0)
            goto done;
    if ((rc = cr_review__text(&comment, file, root, "comment", 0, 8000)) < 0 ||
        (rc = not_released(st, cycle, creator, file)) < 0)
        goto done;
    p[0] = v_int(cr_review__i(cycle, "id"));
    p[1] = v_int(creator);
    for (i = 0; i < 4; i++)
        p[2 + i] = v_int(v[i]);
    p[6] = v_text(comment);
    p[7] = v_int(cr_now());
    rc = cr_store_review_exec(NULL, st, CR_RW_FEEDBACK, p, 8);
done:
    fy_document_destroy(doc);
    json_decref(cycle);
    cr_free(comment);
    return rc;
}

cr_err cr_review_release(
    size_t *out_released, cr_store *st, const char *cycle_ref, int64_t creator_id, const char *by)
{
    json_t *cycle = NULL, *rows = NULL;
    cr_value p[4];
    cr_err rc;

    *out_released = 0;
    if ((rc = cr_review__cycle(&cycle, st, cycle_ref)) < 0)
        return rc;
    p[0] = v_int(cr_review__i(cycle, "id"));
    p[1] = v_int(creator_id);
    if (creator_id > 0 && (rc = cr_store_review_rows(&rows, st, CR_RQ_PARTNER, p, 2)) == CR_OK &&
        json_array_size(rows) == 0)
        rc =
            cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "creator %lld is not a partner of cycle %s",
                         (long long)creator_id, cr_review__s(cycle, "name"));
    json_decref(rows);
    rows = NULL;
    p[2] = v_int(cr_now());
    p[3] = v_text(by ? by : "crest");
    if (rc == CR_OK && (rc = cr_store_review_rows(&rows, st, CR_RW_RELEASE, p, 4)) == CR_OK)
        *out_released = json_array_size(rows);
    json_decref(rows);
    json_decref(cycle);
    return rc;
}

/* ---- growth plans ------------------------------------------------------------------------- */

cr_err
cr_review_plan_add(int64_t *out_id, cr_store *st, const char *text, size_t len, const char *file)
{
    static const char *const owners[] = { "creator", "brand", NULL };
    struct fy_document *doc = NULL;
    struct fy_node *root, *list, *m, *inc;
    char *pref = NULL, *title = NULL, *cref = NULL, *reviewer = NULL, field[64];
    int64_t creator = 0, plan = 0, review_id = 0;
    json_t *cycle = NULL, *row = NULL;
    void *it = NULL;
    cr_value p[8];
    size_t i;
    int own = 0;
    cr_err rc;

    *out_id = 0;
    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        return rc;
    root = fy_document_root(doc);
    if ((rc = cr_review__text(&pref, file, root, "partner", 1, 300)) < 0 ||
        (rc = cr_review__text(&title, file, root, "title", 1, 300)) < 0 ||
        (rc = cr_review__text(&cref, file, root, "cycle", 0, 200)) < 0 ||
        (rc = cr_review__text(&reviewer, file, root, "reviewer", 0, 254)) < 0 ||
        (rc = cr_review__creator(&creator, st, pref, file, cr_review__get(root, "partner"),
                                 "partner")) < 0)
        goto done;
    if (cref && (rc = cr_review__cycle(&cycle, st, cref)) < 0) {
        cr_track__error(file, cr_review__get(root, "cycle"), "cycle",
                        "expected a review cycle, found '%s'", cref);
        rc = cr_review__recode(CR_ENOTFOUND);
        goto done;
    }
    if (reviewer) {
        if (cycle == NULL) {
            rc = cr_track__error(file, cr_review__get(root, "reviewer"), "reviewer",
                                 "expected a cycle with the reviewer (the review that created "
                                 "the plan), found no cycle");
            goto done;
        }
        p[0] = v_int(cr_review__i(cycle, "id"));
        p[1] = v_int(creator);
        p[2] = v_text(reviewer);
        if ((rc = cr_store_review_row(&row, st, CR_RQ_REVIEW_ID, p, 3)) == CR_ENOTFOUND) {
            cr_track__error(file, cr_review__get(root, "reviewer"), "reviewer",
                            "expected the reviewer of a submitted review of this partner in "
                            "cycle %s, found '%s'",
                            cr_review__s(cycle, "name"), reviewer);
            rc = cr_review__recode(CR_ENOTFOUND);
        }
        if (rc < 0)
            goto done;
        review_id = cr_review__i(row, "id");
    }
    list = cr_review__get(root, "milestones");
    if (list == NULL || !fy_node_is_sequence(list) || fy_node_sequence_item_count(list) == 0) {
        rc = cr_track__error(file, list ? list : root, "milestones",
                             "expected a list of milestones (metric, target, due, owner), found "
                             "%s",
                             list ? "something else" : "nothing");
        goto done;
    }
    if ((rc = cr_review__begin(st, &own)) < 0)
        goto done;
    p[0] = v_int(creator);
    p[1] = cycle ? v_int(cr_review__i(cycle, "id")) : v_text(NULL);
    p[2] = review_id ? v_int(review_id) : v_text(NULL);
    p[3] = v_text(title);
    p[4] = v_int(cr_now());
    rc = cr_store_review_exec(&plan, st, CR_RW_PLAN, p, 5);
    for (i = 0; rc == CR_OK && (m = fy_node_sequence_iterate(list, &it)) != NULL; i++) {
        char *metric = NULL, *owner = NULL, *reward = NULL, *currency = NULL, num[64], *end;
        int64_t due = 0, amount = -1;
        double target = 0;
        snprintf(field, sizeof(field), "milestones[%zu].target", i);
        if ((rc = cr_review__text(&metric, file, m, "metric", 1, 100)) == CR_OK &&
            (rc = cr_track__scalar(num, sizeof(num), file, cr_review__get(m, "target"), field,
                                   "a number")) == CR_OK) {
            target = strtod(num, &end);
            if (end == num || *end != '\0' || !isfinite(target))
                rc = cr_track__error(file, cr_review__get(m, "target"), field,
                                     "expected a number, found '%s'", num);
        }
        if (rc == CR_OK)
            rc = cr_review__date(&due, file, m, "due", 1);
        if (rc == CR_OK && (rc = cr_review__text(&owner, file, m, "owner", 1, 16)) == CR_OK &&
            !in_list(owners, owner))
            rc =
                cr_track__error(file, cr_review__get(m, "owner"),
                                (snprintf(field, sizeof(field), "milestones[%zu].owner", i), field),
                                "expected creator or brand, found '%s'", owner);
        inc = cr_review__get(m, "incentive");
        if (rc == CR_OK && inc && fy_node_is_mapping(inc)) {
            if ((rc = cr_review__int(&amount, file, inc, "amount", 1, 0, INT64_MAX / 2)) == CR_OK &&
                (rc = cr_review__text(&currency, file, inc, "currency", 1, 3)) == CR_OK)
                rc = cr_review__text(&reward, file, inc, "reward", 0, 300);
        } else if (rc == CR_OK && inc) {
            rc = cr_review__text(&reward, file, m, "incentive", 1, 300);
        }
        if (rc == CR_OK) {
            cr_value q[8] = { v_int(plan),
                              v_text(metric),
                              v_real(target),
                              v_int(due),
                              v_text(owner),
                              v_text(reward        ? reward
                                     : amount >= 0 ? "bonus"
                                                   : NULL),
                              amount >= 0 ? v_int(amount) : v_text(NULL),
                              v_text(currency) };
            rc = cr_store_review_exec(NULL, st, CR_RW_MILESTONE, q, 8);
        }
        cr_free(metric);
        cr_free(owner);
        cr_free(reward);
        cr_free(currency);
    }
    rc = cr_review__end(st, own, rc);
    if (rc == CR_OK)
        *out_id = plan;
done:
    fy_document_destroy(doc);
    json_decref(cycle);
    json_decref(row);
    cr_free(pref);
    cr_free(title);
    cr_free(cref);
    cr_free(reviewer);
    return rc;
}

cr_err
cr_review_milestone_set(cr_store *st, int64_t id, const char *status, double actual, int64_t when)
{
    cr_value p[4];
    int64_t got = 0;
    cr_err rc;

    if (strcmp(status, "met") != 0 && strcmp(status, "missed") != 0 && strcmp(status, "open") != 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "status: expected met, missed or open, found '%s'", status);
    p[0] = v_int(id);
    p[1] = v_text(status);
    p[2] = v_real(actual);
    p[3] = strcmp(status, "met") == 0 ? v_int(when) : v_text(NULL);
    if ((rc = cr_store_review_exec(&got, st, CR_RW_MILESTONE_SET, p, 4)) == CR_OK && got == 0)
        rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "no milestone %lld", (long long)id);
    return rc;
}

/* ---- notes -------------------------------------------------------------------------------- */

cr_err
cr_review_note_add(int64_t *out_id, cr_store *st, const char *text, size_t len, const char *file)
{
    static const char *const nkinds[] = { "debrief", "playbook", NULL };
    struct fy_document *doc = NULL;
    struct fy_node *root;
    char *kind = NULL, *title = NULL, *body = NULL, *pref = NULL, *campaign = NULL, *posts = NULL;
    int64_t creator = 0, id = 0;
    json_t *camp = NULL;
    cr_value p[7];
    cr_err rc;

    *out_id = 0;
    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        return rc;
    root = fy_document_root(doc);
    if ((rc = cr_review__text(&kind, file, root, "kind", 1, 16)) < 0)
        goto done;
    if (!in_list(nkinds, kind)) {
        rc = cr_track__error(file, cr_review__get(root, "kind"), "kind",
                             "expected debrief or playbook, found '%s'", kind);
        goto done;
    }
    if ((rc = cr_review__text(&title, file, root, "title", 1, 300)) < 0 ||
        (rc = cr_review__text(&body, file, root, "body", 1, 64000)) < 0 ||
        (rc = cr_review__text(&pref, file, root, "partner", 0, 300)) < 0 ||
        (rc = cr_review__text(&campaign, file, root, "campaign", 0, 200)) < 0 ||
        (rc = post_list(&posts, file, cr_review__get(root, "posts"), "posts")) < 0)
        goto done;
    if (pref && (rc = cr_review__creator(&creator, st, pref, file, cr_review__get(root, "partner"),
                                         "partner")) < 0)
        goto done;
    if (campaign) {
        p[0] = v_text(campaign);
        if ((rc = cr_store_review_row(&camp, st, CR_RQ_CAMPAIGN, p, 1)) == CR_ENOTFOUND) {
            cr_track__error(file, cr_review__get(root, "campaign"), "campaign",
                            "expected a campaign name or id, found '%s'", campaign);
            rc = cr_review__recode(CR_ENOTFOUND);
        }
        if (rc < 0)
            goto done;
    }
    p[0] = v_text(kind);
    p[1] = creator ? v_int(creator) : v_text(NULL);
    p[2] = camp ? v_int(cr_review__i(camp, "id")) : v_text(NULL);
    p[3] = v_text(title);
    p[4] = v_text(body);
    p[5] = v_text(posts);
    p[6] = v_int(cr_now());
    if ((rc = cr_store_review_exec(&id, st, CR_RW_NOTE, p, 7)) == CR_OK)
        *out_id = id;
done:
    fy_document_destroy(doc);
    json_decref(camp);
    cr_free(kind);
    cr_free(title);
    cr_free(body);
    cr_free(pref);
    cr_free(campaign);
    cr_free(posts);
    return rc;
}

cr_err cr_review_note_search_json(char **out, cr_store *st, const char *query)
{
    json_t *rows = NULL;
    cr_err rc;

    *out = NULL;
    if ((rc = cr_store_review_note_search(&rows, st, query)) < 0)
        return rc;
    return cr_review__dump(out, rows);
}
