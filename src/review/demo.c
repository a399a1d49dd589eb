/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * demo.c - the review part of `crest demo`, from the demo's seed: three monthly cycles over
 * eight partners, four reviewers of different severities rotating so that every partner gets
 * two reviewers and the reviewer x partner graph stays connected, scores drawn from a
 * many-facet model (partner level and growth - reviewer severity - criterion difficulty +
 * noise, so that calibration has something to find), evidence for the low scores,
 * self-assessments and feedback, two released cycles, a growth plan with a met, rewarded
 * milestone and an open one, and a playbook entry. Every record goes through the same forms
 * as the command line. Once there (the first cycle exists), a second run changes nothing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/str.h"

#define DEMO_PARTNERS  8
#define DEMO_REVIEWERS 4
#define DEMO_CYCLES    3

static const char *const reviewers[DEMO_REVIEWERS] = { "ana.lopez@demo.example",
                                                       "ben.okafor@demo.example",
                                                       "chen.wu@demo.example",
                                                       "dana.kim@demo.example" };
static const char *const months[DEMO_CYCLES] = { "2026-08", "2026-09", "2026-10" };

static cr_err
form(cr_str *s, cr_err (*fn)(cr_store *, const char *, size_t, const char *, int64_t), cr_store *st)
{
    return fn(st, cr_str_cstr(s), s->len, "demo", 0);
}

static int clampi(double v)
{
    long r = lround(v);

    return r < 1 ? 1 : r > 5 ? 5 : (int)r;
}

cr_err cr_review_demo(int64_t *out_cycles, int64_t *out_reviews, cr_store *st, uint64_t seed)
{
    cr_review__rubric *rb = cr_calloc(1, sizeof(*rb));
    json_t *partners = NULL, *row = NULL, *posts = NULL;
    double q[DEMO_PARTNERS], g[DEMO_PARTNERS], sev[DEMO_REVIEWERS], diff[REVIEW_MAX_CRITERIA];
    char handle[DEMO_PARTNERS][160];
    size_t np, i, c, k;
    int64_t id, nrev = 0;
    cr_value p;
    cr_rng rng;
    cr_str s;
    cr_err rc;

    *out_cycles = *out_reviews = 0;
    cr_str_init(&s, 1024 * 1024);
    if (rb == NULL)
        return cr_error_oom();
    p = v_text("demo-2026-08");
    if ((rc = cr_store_review_row(&row, st, CR_RQ_CYCLE, &p, 1)) != CR_ENOTFOUND) {
        json_decref(row);
        cr_free(rb);
        return rc < 0 ? rc : CR_OK;
    }
    if ((rc = cr_review__rubric_load(rb, st, "default", 1)) < 0 ||
        (rc = cr_store_review_rows(&partners, st, CR_RQ_PARTNERS_ALL, NULL, 0)) < 0)
        goto done;
    np = json_array_size(partners) < DEMO_PARTNERS ? json_array_size(partners) : DEMO_PARTNERS;
    if (np < 2)
        goto done;
    cr_rng_seed(&rng, seed ^ 0x5245564945575321ULL);
    for (i = 0; i < np; i++) {
        row = json_array_get(partners, i);
        snprintf(handle[i], sizeof(handle[i]), "%s/%s", cr_review__s(row, "platform"),
                 cr_review__s(row, "handle"));
        q[i] = 3.3 + 0.6 * cr_rng_normal(&rng);
        g[i] = 0.3 * cr_rng_normal(&rng);
    }
    row = NULL;
    for (k = 0; k < DEMO_REVIEWERS; k++)
        sev[k] = 0.6 * cr_rng_normal(&rng);
    for (c = 0; c < rb->ncriteria; c++)
        diff[c] = 0.3 * cr_rng_normal(&rng);

    for (k = 0; k < DEMO_CYCLES && rc == CR_OK; k++) {
        int64_t start = 0, end = 0;
        cr_str_clear(&s);
        cr_str_printf(&s, "name: demo-%s\nkind: monthly\nperiod: %s\nlead: %s\npartners:\n",
                      months[k], months[k], reviewers[k % DEMO_REVIEWERS]);
        for (i = 0; i < np; i++)
            cr_str_printf(&s, "  - %s\n", handle[i]);
        if ((rc = cr_review_cycle_start(&id, st, cr_str_cstr(&s), s.len, "demo")) < 0)
            break;
        (*out_cycles)++;
        cr_period_bounds(&start, &end, months[k]);
        for (i = 0; i < np && rc == CR_OK; i++) {
            /* two reviewers per partner, rotating each cycle: pairs (r, r+1) link them all */
            size_t pair[2] = { (i + k) % DEMO_REVIEWERS, (i + k + 1) % DEMO_REVIEWERS }, j;
            int64_t cid = 0;
            cr_value qp[3];
            if ((rc = cr_review__creator(&cid, st, handle[i], NULL, NULL, NULL)) < 0)
                break;
            qp[0] = v_int(cid);
            qp[1] = v_int(start);
            qp[2] = v_int(end + 86400);
            json_decref(posts);
            posts = NULL;
            if ((rc = cr_store_review_rows(&posts, st, CR_RQ_PERIOD_POSTS, qp, 3)) < 0)
                break;
            for (j = 0; j < 2 && rc == CR_OK; j++) {
                size_t r = pair[j];
                double level = q[i] + g[i] * (double)k - sev[r];
                int potential = 1 + (g[i] > -0.1) + (g[i] > 0.25);
                cr_str_clear(&s);
                cr_str_printf(&s,
                              "cycle: demo-%s\npartner: %s\nreviewer: %s\npotential: %d\n"
                              "summary: \"Seeded demo review of %s for %s.\"\nscores:\n",
                              months[k], handle[i], reviewers[r], potential, handle[i], months[k]);
                for (c = 0; c < rb->ncriteria; c++) {
                    int score = clampi(level - diff[c] + 0.5 * cr_rng_normal(&rng));
                    if (score > 2) {
                        cr_str_printf(&s, "  %s: %d\n", rb->criteria[c].code, score);
                        continue;
                    }
                    cr_str_printf(&s,
                                  "  %s: {score: %d, evidence: \"Seeded demo evidence: %s was "
                                  "below the brief this month (%s).\"",
                                  rb->criteria[c].code, score, rb->criteria[c].name,
                                  rb->criteria[c].anchors[score - 1]);
                    if (json_array_size(posts) > 0)
                        cr_str_printf(
                            &s, ", posts: [%lld]",
                            (long long)cr_review__i(
                                json_array_get(posts,
                                               (size_t)cr_rng_range(
                                                   &rng, 0, (int64_t)json_array_size(posts) - 1)),
                                "id"));
                    cr_str_puts(&s, "}\n");
                }
                if ((rc = cr_review_submit(&id, st, cr_str_cstr(&s), s.len, "demo", NULL)) == CR_OK)
                    nrev++;
            }
            if (rc == CR_OK && (i % 2 == 0 || k == DEMO_CYCLES - 1)) {
                cr_str_clear(&s);
                cr_str_printf(&s,
                              "cycle: demo-%s\npartner: %s\nstrengths: \"Seeded demo "
                              "self-assessment: a consistent posting rhythm.\"\ngrowth_areas: "
                              "\"Tighter hooks in the first seconds.\"\nplan: \"Test two hook "
                              "styles per week and keep the better one.\"\n",
                              months[k], handle[i]);
                rc = form(&s, cr_review_self, st);
            }
            if (rc == CR_OK && k == DEMO_CYCLES - 1) {
                cr_str_clear(&s);
                cr_str_printf(&s,
                              "{\"cycle\": \"demo-%s\", \"partner\": \"%s\", \"brief_clarity\": "
                              "%d, \"feedback_timeliness\": %d, \"payment_punctuality\": %d, "
                              "\"creative_freedom\": %d, \"comment\": \"Seeded demo feedback.\"}",
                              months[k], handle[i], (int)cr_rng_range(&rng, 2, 5),
                              (int)cr_rng_range(&rng, 2, 5), (int)cr_rng_range(&rng, 3, 5),
                              (int)cr_rng_range(&rng, 2, 5));
                rc = form(&s, cr_review_feedback, st);
            }
        }
        if (rc == CR_OK && k + 1 < DEMO_CYCLES) {
            size_t n = 0;
            char name[32];
            snprintf(name, sizeof(name), "demo-%s", months[k]);
            rc = cr_review_release(&n, st, name, 0, reviewers[0]);
        }
    }
    if (rc == CR_OK) {
        /* a growth plan for the partner with the lowest level, from its first review */
        size_t lo = 0;
        for (i = 1; i < np; i++)
            if (q[i] < q[lo])
                lo = i;
        cr_str_clear(&s);
        cr_str_printf(&s,
                      "partner: %s\ntitle: \"Seeded demo plan: steadier delivery\"\ncycle: "
                      "demo-2026-08\nreviewer: %s\nmilestones:\n"
                      "  - {metric: on_time_deliverables, target: 0.9, due: 2026-09-30, owner: "
                      "creator, incentive: {amount: 15000, currency: USD, reward: bonus}}\n"
                      "  - {metric: engagement_rate, target: 0.06, due: 2026-12-31, owner: "
                      "creator}\n"
                      "  - {metric: brief_turnaround_days, target: 3, due: 2026-10-15, owner: "
                      "brand}\n",
                      handle[lo], reviewers[lo % DEMO_REVIEWERS]);
        rc = cr_review_plan_add(&id, st, cr_str_cstr(&s), s.len, "demo");
        if (rc == CR_OK) {
            json_decref(row);
            row = NULL;
            p = v_int(0);
            rc = cr_store_review_rows(&row, st, CR_RQ_MILESTONES, &p, 1);
        }
        if (rc == CR_OK) {
            json_t *m;
            json_array_foreach(
                row, i, m) if (strcmp(cr_review__s(m, "metric"), "on_time_deliverables") == 0)
            {
                rc = cr_review_milestone_set(st, cr_review__i(m, "id"), "met", 0.93,
                                             1790000000 /* 2026-09-21 */);
                break;
            }
        }
    }
    if (rc == CR_OK) {
        cr_str_clear(&s);
        cr_str_printf(&s,
                      "kind: playbook\ntitle: \"Seeded demo playbook: routines that convert\"\n"
                      "body: \"Morning-routine formats with the product in use from the first "
                      "seconds held viewers longest; reviewers asked for more of them.\"\n"
                      "partner: %s\n",
                      handle[0]);
        rc = cr_review_note_add(&id, st, cr_str_cstr(&s), s.len, "demo");
    }
    if (rc == CR_OK)
        *out_reviews = nrev;
done:
    json_decref(partners);
    json_decref(posts);
    json_decref(row);
    cr_str_dispose(&s);
    cr_free(rb);
    return rc;
}
