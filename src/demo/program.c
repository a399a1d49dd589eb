/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * program.c - the program governance part of the demo workspace: 60 days of time logs over
 * the workflow stages (vetting 30 days without, then 30 days mostly with the AI tool), a
 * 30-day vetting pilot ending on the demo's last day, crest's own recommendations about the
 * first creator (vetting verdict, forecast) waiting for a decision, and one closed iteration review
 * with its change. Seeded like the rest of the demo; written once (a workspace that has a pilot is
 * left as it is). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/program.h"
#include "crest/vet.h"
#include "demo/program.h"
#include "util/rng.h"

#define DAY 86400

static cr_err first_creator(const cr_creator *c, void *payload)
{
    int64_t *id = payload;

    if (*id == 0)
        *id = c->id;
    return CR_OK;
}

/* What crest itself recommends about the workspace's first creator: its vetting verdict and
 * its next post's reach, waiting for a person to accept or override them. */
static cr_err recommend_first(cr_store *st, int64_t now)
{
    cr_vet_options o = CR_VET_OPTIONS_INIT;
    cr_creator_filter f;
    cr_vet_report *v = NULL;
    cr_vet_forecast fc;
    cr_recommendation_buf b;
    int64_t id = 0, rid;
    cr_err rc;

    memset(&f, 0, sizeof(f));
    if ((rc = cr_store_creator_list(st, &f, first_creator, &id)) < 0 || id == 0)
        return rc;
    o.now = now;
    if ((rc = cr_vet_creator(&v, st, id, &o)) < 0)
        return rc;
    /* the forms `crest vet` and `crest forecast` record, so that they find these */
    cr_program_recommendation_vetting(&b, v, now);
    rc = cr_program_recommend_record(&rid, NULL, st, &b.rec, b.by);
    if (rc < 0 || (rc = cr_vet_forecast_next(&fc, st, id)) < 0 || isnan(fc.reach_expected)) {
        cr_vet_report_free(v);
        return rc;
    }
    cr_program_recommendation_forecast(&b, v->platform, v->handle, &fc, now);
    cr_vet_report_free(v);
    return cr_program_recommend_record(&rid, NULL, st, &b.rec, b.by);
}

static cr_err count_pilot(const cr_pilot *p, void *payload)
{
    (void)p;
    (*(int *)payload)++;
    return CR_OK;
}

cr_err cr_demo__program(cr_store *st, uint64_t seed, int64_t end_date)
{
    static const struct {
        const char *stage, *task;
        double minutes, sd, errors; /* per task: mean minutes, their sd, mean errors */
    } stages[] = {
        { "discovery", "search creators", 42, 10, 0.3 },
        { "outreach", "first email", 14, 4, 0.1 },
        { "negotiation", "rate call", 26, 8, 0.2 },
        { "content_approval", "review draft", 21, 6, 0.4 },
        { "monitoring", "check posts", 11, 3, 0.1 },
        { "reporting", "weekly report", 38, 9, 0.5 },
        { "payment", "invoice", 8, 2, 0.05 },
    };
    static const char *const users[] = { "ana@demo.example", "bo@demo.example", "cy@demo.example" };
    const int64_t start = end_date - 29 * DAY;
    cr_pilot p;
    cr_review rv;
    cr_review_change ch;
    cr_timelog t;
    cr_rng r;
    int64_t id = 0, day;
    int pilots = 0, k;
    size_t i;
    cr_err rc;

    if ((rc = cr_store_pilot_list(st, 0, count_pilot, &pilots)) < 0 || pilots > 0)
        return rc;
    cr_rng_seed(&r, seed ^ 0x70726f6772616dULL);
    for (day = start - 30 * DAY; day < start + 30 * DAY; day += DAY) {
        int n = 1 + (int)cr_rng_range(&r, 0, 2);
        for (k = 0; k < n; k++) {
            memset(&t, 0, sizeof(t));
            t.stage = "vetting";
            t.task = cr_rng_uniform(&r) < 0.6 ? "vet creator" : "check audience";
            t.user = users[cr_rng_range(&r, 0, 2)];
            t.at = day + 9 * 3600 + cr_rng_range(&r, 0, 8 * 3600);
            t.with_tool = day >= start && cr_rng_uniform(&r) < 0.85;
            t.minutes = round(fmax(3, (t.with_tool ? 24 : 34) + 6 * cr_rng_normal(&r)) * 10) / 10;
            t.errors = cr_rng_poisson(&r, t.with_tool ? 0.25 : 0.7);
            if ((rc = cr_store_timelog_add(NULL, st, &t)) < 0)
                return rc;
        }
        for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
            if (cr_rng_uniform(&r) < 0.4)
                continue;
            memset(&t, 0, sizeof(t));
            t.stage = stages[i].stage;
            t.task = stages[i].task;
            t.user = users[cr_rng_range(&r, 0, 2)];
            t.at = day + 9 * 3600 + cr_rng_range(&r, 0, 8 * 3600);
            t.minutes =
                round(fmax(2, stages[i].minutes + stages[i].sd * cr_rng_normal(&r)) * 10) / 10;
            t.errors = cr_rng_poisson(&r, stages[i].errors);
            if ((rc = cr_store_timelog_add(NULL, st, &t)) < 0)
                return rc;
        }
    }
    memset(&p, 0, sizeof(p));
    p.stage = "vetting";
    p.days = 30;
    p.start = start;
    p.rate_minor = 4500;
    p.cost_minor = 60000;
    p.currency = "USD";
    p.created_by = "admin@demo.example";
    p.created_at = start;
    if ((rc = cr_program_pilot_start(&id, st, &p)) < 0)
        return rc;
    for (day = start; day <= end_date; day += 7 * DAY)
        for (i = 0; i < 3; i++)
            if (cr_rng_uniform(&r) < 0.8 &&
                (rc = cr_store_usage_add(st, users[i], i == 2 ? "pilot report" : "vet",
                                         day + DAY)) < 0)
                return rc;
    if ((rc = recommend_first(st, end_date)) < 0)
        return rc;
    /* the first monthly review, a month after the pilot's start */
    if ((rc = cr_program_review_open(&id, st, cr_program_add_months(start, 1), "admin@demo.example",
                                     NULL, end_date)) < 0)
        return rc;
    memset(&rv, 0, sizeof(rv));
    rv.id = id;
    rv.time_saved = "about 10 minutes per vetting task (see the pilot report)";
    rv.quality = "fewer errors per vetted creator";
    rv.kpi = "shortlists ready two days earlier for the traffic campaign";
    memset(&ch, 0, sizeof(ch));
    ch.review_id = id;
    ch.kind = "filter";
    ch.description = "raise the minimum audience quality of shortlists to 70";
    ch.created_at = end_date;
    if ((rc = cr_store_review_update(st, &rv)) < 0 ||
        (rc = cr_store_review_change_add(st, &ch)) < 0)
        return rc;
    return cr_program_review_close(st, id, "admin@demo.example", end_date);
}
