/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_forecast.c - `crest forecast @handle`: expected reach and engagements of a creator's
 * next post with 80% prediction intervals, from the store's post rollups (oldest first) and
 * the shipped forecast model; a short history shrinks toward the tier prior. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"
#include "util/date.h"

typedef struct {
    double *reach, *eng;
    size_t n, cap;
    double followers;
    char platform[32], handle[160];
} series;

static cr_err got_post(const cr_post_rollup *r, void *payload)
{
    series *s = payload;
    int64_t parts[4] = { r->likes, r->comments, r->shares, r->saves };
    double e = 0;
    int known = 0;
    size_t i;

    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        double *a;

        if ((a = cr_realloc(s->reach, cap * sizeof(*a))) == NULL)
            return cr_error_oom();
        s->reach = a;
        if ((a = cr_realloc(s->eng, cap * sizeof(*a))) == NULL)
            return cr_error_oom();
        s->eng = a;
        s->cap = cap;
    }
    for (i = 0; i < 4; i++)
        if (parts[i] != CR_COUNT_NONE) {
            e += (double)parts[i];
            known = 1;
        }
    /* a post without metrics yet is no evidence */
    s->reach[s->n] = r->captured_at && r->reach != CR_COUNT_NONE ? (double)r->reach : -1;
    s->eng[s->n] = r->captured_at && known ? e : -1;
    if (r->followers != CR_COUNT_NONE && r->followers > 0)
        s->followers = (double)r->followers;
    s->n++;
    return CR_OK;
}

static cr_err got_creator(const cr_creator *c, void *payload)
{
    series *s = payload;

    if (c->followers != CR_COUNT_NONE && c->followers > 0)
        s->followers = (double)c->followers;
    snprintf(s->platform, sizeof(s->platform), "%s", c->platform);
    snprintf(s->handle, sizeof(s->handle), "%s", c->handle);
    return CR_OK;
}

/* The reach forecast as a recommendation (docs/program.md, "Recorded recommendations"), in the
 * form the demo and the API use. */
static cr_err fc_record(
    int64_t *out, cr_store *st, const series *s, const cr_forecast *reach, const cr_forecast *eng)
{
    cr_recommendation_buf b;
    cr_vet_forecast f;

    memset(&f, 0, sizeof(f));
    f.reach_expected = reach->expected;
    f.reach_low = reach->low;
    f.reach_high = reach->high;
    f.reach_weight = reach->shrink;
    f.reach_history = reach->history;
    f.eng_expected = eng->expected;
    f.eng_low = eng->low;
    f.eng_high = eng->high;
    cr_program_recommendation_forecast(&b, s->platform, s->handle, &f, cr_now());
    return cr_program_recommend_record(out, NULL, st, &b.rec, b.by);
}

static json_t *fc_json(const cr_forecast *f)
{
    return json_pack("{s:f,s:f,s:f,s:I,s:f}", "expected", f->expected, "low", f->low, "high",
                     f->high, "history", (json_int_t)f->history, "own_weight", f->shrink);
}

static void fc_text(const char *what, const cr_forecast *f)
{
    printf("%-12s %10.0f   80%% interval %.0f to %.0f   (%zu posts, own history weight %.0f%%)\n",
           what, f->expected, f->low, f->high, f->history, f->shrink * 100);
}

static int forecast_run(cli_ctx *ctx, int argc, char **argv)
{
    cr_forecast reach, eng;
    cr_rollup_filter flt;
    cr_model *m = NULL;
    series s;
    int64_t id, rec_id = 0;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "@handle")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&id, ctx, argv[1])) < 0)
        return cli_fail(ctx, rc);
    memset(&s, 0, sizeof(s));
    memset(&flt, 0, sizeof(flt));
    flt.creator_id = id;
    /* the creator's follower count, unless a post's rollup carries a later one */
    if ((rc = cr_store_creator_get(ctx->store, id, got_creator, &s)) < 0 ||
        (rc = cr_store_rollup_list(ctx->store, &flt, got_post, &s)) < 0 ||
        (rc = cr_model_builtin(&m, CR_MODEL_FORECAST)) < 0)
        goto done;
    if ((rc = cr_model_forecast(&reach, m, s.reach, s.n, s.followers,
                                cr_model_forecast_reach_rate(m))) < 0 ||
        (rc = cr_model_forecast(&eng, m, s.eng, s.n, s.followers,
                                cr_model_forecast_prior_rate(m, s.followers))) < 0)
        goto done;
    if (isfinite(reach.expected) && (rc = fc_record(&rec_id, ctx->store, &s, &reach, &eng)) < 0)
        goto done;
    if (ctx->json) {
        code = cli_print_json(
            json_pack("{s:I,s:s,s:f,s:I,s:o,s:o,s:s,s:o}", "creator_id", (json_int_t)id, "handle",
                      argv[1], "followers", s.followers, "posts", (json_int_t)s.n, "reach",
                      fc_json(&reach), "engagements", fc_json(&eng), "method",
                      "log-normal, shrunk toward the tier prior; docs/models.md",
                      "recommendation_id", rec_id ? json_integer(rec_id) : json_null()));
    } else {
        printf("Next post of %s (%zu posts in the store, %.0f followers)\n\n", argv[1], s.n,
               s.followers);
        fc_text("reach", &reach);
        fc_text("engagements", &eng);
        printf("\nEngagements = likes + comments + shares + saves. Medians of a log-normal;\n"
               "few posts shrink toward the tier prior (docs/models.md).\n");
        if (rec_id && !ctx->quiet)
            printf("\nRecommendation %lld (forecast): crest recommend accept forecast %lld, crest "
                   "override\n  forecast %lld --to VALUE --reason R, or crest escalate forecast "
                   "%lld --to EMAIL.\n",
                   (long long)rec_id, (long long)rec_id, (long long)rec_id, (long long)rec_id);
    }
done:
    cr_free(s.reach);
    cr_free(s.eng);
    cr_model_free(m);
    return rc < 0 ? cli_fail(ctx, rc) : code;
}

const cli_cmd cmd_forecast = {
    .name = "forecast",
    .summary = "Expected reach and engagements of a creator's next post, with 80% intervals",
    .usage = "crest forecast @handle [--json]",
    .help = "From the creator's posts in the store (the latest metrics of the last 12 posts),\n"
            "shrunk toward the tier prior when the history is short: docs/models.md. The\n"
            "reach forecast is recorded as a recommendation to accept, override or escalate\n"
            "(its id is printed; recorded once while undecided: docs/program.md).\n",
    .run = forecast_run,
    .flags = CLI_F_NEEDS_STORE,
};
