/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_review_calibrate.c - `crest review calibrate --ratings FILE`: each rater's severity
 * with its standard error, fit and flags, each ratee's fair score, each criterion's
 * difficulty and whether the rater x ratee design is connected (with the extra assignments
 * that would connect it), from any CSV with the columns ratee,rater,criterion,score
 * (src/review, docs/calibration.md). cli_review_calibrate_print() is the seam for the
 * store-backed `crest review calibrate CYCLE`. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/review.h"
#include "util/alloc.h"
#include "util/date.h"

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static const char *const flag_names[] = { "severe",  "lenient", "misfit",
                                          "overfit", "few",     "isolated" };

static json_t *flags_json(unsigned int flags)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
        if (flags & (1u << i))
            json_array_append_new(a, json_string(flag_names[i]));
    return a;
}

static json_t *result_json(const cr_calibrate_result *r, const char *source)
{
    json_t *j, *raters, *ratees, *crits, *comps, *rot, *thr;
    size_t i, k;

    raters = json_array();
    ratees = json_array();
    crits = json_array();
    comps = json_array();
    rot = json_array();
    thr = json_array();
    for (i = 0; i < r->nraters; i++) {
        const cr_calibrate_rater *x = &r->raters[i];

        json_array_append_new(
            raters, json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:s}", "name", x->name, "n",
                              (json_int_t)x->n, "raw_mean", num(x->raw_mean), "severity",
                              num(x->severity), "se", num(x->se), "infit", num(x->infit), "outfit",
                              num(x->outfit), "component", (json_int_t)x->component + 1, "flags",
                              flags_json(x->flags), "reason", x->reason));
    }
    for (i = 0; i < r->nratees; i++) {
        const cr_calibrate_ratee *x = &r->ratees[i];

        json_array_append_new(
            ratees, json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:I}", "name", x->name, "n",
                              (json_int_t)x->n, "raw_mean", num(x->raw_mean), "fair", num(x->fair),
                              "fair_se", num(x->fair_se), "measure", num(x->measure), "measure_se",
                              num(x->measure_se), "infit", num(x->infit), "outfit", num(x->outfit),
                              "extreme", x->extreme, "component", (json_int_t)x->component + 1));
    }
    for (i = 0; i < r->ncriteria; i++) {
        const cr_calibrate_criterion *x = &r->criteria[i];

        json_array_append_new(crits, json_pack("{s:s,s:I,s:o,s:o,s:o}", "name", x->name, "n",
                                               (json_int_t)x->n, "raw_mean", num(x->raw_mean),
                                               "difficulty", num(x->difficulty), "se", num(x->se)));
    }
    for (k = 0; k < r->ncomponents; k++) {
        const cr_calibrate_component *c = &r->components[k];
        json_t *a = json_array(), *b = json_array();

        for (i = 0; i < c->nraters; i++)
            json_array_append_new(a, json_string(r->raters[c->raters[i]].name));
        for (i = 0; i < c->nratees; i++)
            json_array_append_new(b, json_string(r->ratees[c->ratees[i]].name));
        json_array_append_new(comps, json_pack("{s:o,s:o}", "raters", a, "ratees", b));
    }
    for (i = 0; i < r->nrotation; i++)
        json_array_append_new(rot,
                              json_pack("{s:s,s:s}", "rater", r->raters[r->rotation[i].rater].name,
                                        "ratee", r->ratees[r->rotation[i].ratee].name));
    for (i = 0; r->thresholds && i + 1 < r->ncategories; i++)
        json_array_append_new(thr, num(r->thresholds[i]));
    j = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:b}", "source", source,
                  "model", cr_calibrate_model_name(r->model), "units",
                  r->model == CR_CALIBRATE_RASCH ? "logits" : "points", "ratings",
                  (json_int_t)r->nratings, "nraters", (json_int_t)r->nraters, "nratees",
                  (json_int_t)r->nratees, "ncriteria", (json_int_t)r->ncriteria, "sigma",
                  num(r->sigma), "df", num(r->df), "rater_reliability", num(r->rater_reliability),
                  "rater_separation", num(r->rater_separation), "ratee_reliability",
                  num(r->ratee_reliability), "ratee_separation", num(r->ratee_separation),
                  "iterations", (json_int_t)r->iterations, "converged", r->converged);
    if (j == NULL)
        return NULL;
    json_object_set_new(j, "flag_thresholds",
                        json_pack("{s:o,s:o,s:o,s:I}", "severity_max", num(r->options.severity_max),
                                  "fit_low", num(r->options.fit_low), "fit_high",
                                  num(r->options.fit_high), "min_ratings",
                                  (json_int_t)r->options.min_ratings));
    json_object_set_new(j, "connected", json_boolean(r->ncomponents == 1));
    json_object_set_new(j, "confounded", json_integer((json_int_t)r->confounded));
    json_object_set_new(j, "components", comps);
    json_object_set_new(j, "rotation", rot);
    if (r->model == CR_CALIBRATE_RASCH)
        json_object_set_new(j, "thresholds", thr);
    else
        json_decref(thr);
    json_object_set_new(j, "raters", raters);
    json_object_set_new(j, "criteria", crits);
    json_object_set_new(j, "ratees", ratees);
    return j;
}

static const cr_calibrate_result *sort_res;

static int by_fair_desc(const void *a, const void *b)
{
    double x = sort_res->ratees[*(const size_t *)a].fair;
    double y = sort_res->ratees[*(const size_t *)b].fair;

    return (x < y) - (x > y);
}

static int by_severity_desc(const void *a, const void *b)
{
    double x = sort_res->raters[*(const size_t *)a].severity;
    double y = sort_res->raters[*(const size_t *)b].severity;

    return (x < y) - (x > y);
}

static void print_table(const cr_calibrate_result *r, const char *source, size_t limit)
{
    const char *unit = r->model == CR_CALIBRATE_RASCH ? "logits" : "points";
    size_t i, *order, shown;

    printf("Calibration of %s: %zu ratings, %zu ratees, %zu raters, %zu criteri%s\n", source,
           r->nratings, r->nratees, r->nraters, r->ncriteria, r->ncriteria == 1 ? "on" : "a");
    if (r->model == CR_CALIBRATE_RASCH)
        printf("model: many-facet Rasch rating scale (JMLE, %u iterations%s), in logits; RMS "
               "standardized residual %.3f\n",
               r->iterations, r->converged ? "" : ", NOT converged", r->sigma);
    else
        printf("model: additive, rating = ratee - severity - difficulty + e (ALS, %u sweeps%s), "
               "in score points; sigma %.4f, df %.0f\n",
               r->iterations, r->converged ? "" : ", then an exact step", r->sigma, r->df);
    printf("rater separation %.2f, reliability %.3f; ratee separation %.2f, reliability %.3f\n",
           r->rater_separation, r->rater_reliability, r->ratee_separation, r->ratee_reliability);
    if (r->ncomponents == 1) {
        printf("design: connected (every rater is linked to every other through shared "
               "ratees)\n");
    } else {
        printf("design: NOT connected: %zu separate groups; severities compare only within a "
               "group\n",
               r->ncomponents);
        for (i = 0; i < r->ncomponents; i++)
            printf("  group %zu: %zu raters, %zu ratees\n", i + 1, r->components[i].nraters,
                   r->components[i].nratees);
        printf("  to connect them, also assign:\n");
        for (i = 0; i < r->nrotation; i++)
            printf("    %s -> %s\n", r->raters[r->rotation[i].rater].name,
                   r->ratees[r->rotation[i].ratee].name);
    }
    if (r->confounded)
        printf("WARNING: the design cannot tell some rater effects from criterion effects (%zu "
               "direction%s: e.g. a criterion rated by one rater only); those severities and "
               "difficulties are arbitrary splits\n",
               r->confounded, r->confounded == 1 ? "" : "s");
    printf("\nRaters, harshest first (severity in %s: + harsher, - more lenient than the average "
           "rater)\n",
           unit);
    printf("  %-14s %5s %8s %9s %7s %6s %6s  %s\n", "rater", "n", "raw mean", "severity", "SE",
           "infit", "outfit", "flags");
    if ((order = cr_calloc(r->nraters > r->nratees ? r->nraters : r->nratees, sizeof(*order))) ==
        NULL)
        return;
    for (i = 0; i < r->nraters; i++)
        order[i] = i;
    sort_res = r;
    cr_qsort(order, r->nraters, sizeof(*order), by_severity_desc);
    for (i = 0; i < r->nraters; i++) {
        const cr_calibrate_rater *x = &r->raters[order[i]];

        printf("  %-14s %5zu %8.3f %+9.3f %7.3f %6.2f %6.2f  %s\n", x->name, x->n, x->raw_mean,
               x->severity, x->se, x->infit, x->outfit, x->reason[0] ? x->reason : "-");
    }
    if (r->ncriteria > 1) {
        printf("\nCriteria (difficulty in %s: + harder than the average criterion)\n", unit);
        for (i = 0; i < r->ncriteria; i++)
            printf("  %-14s %5zu %8.3f %+9.3f %7.3f\n", r->criteria[i].name, r->criteria[i].n,
                   r->criteria[i].raw_mean, r->criteria[i].difficulty, r->criteria[i].se);
    }
    if (r->thresholds) {
        printf("\nRating-scale thresholds (logits):");
        for (i = 0; i + 1 < r->ncategories; i++)
            printf(" %+.3f", r->thresholds[i]);
        printf("\n");
    }
    for (i = 0; i < r->nratees; i++)
        order[i] = i;
    cr_qsort(order, r->nratees, sizeof(*order), by_fair_desc);
    shown = limit && limit < r->nratees ? limit : r->nratees;
    printf("\nRatees by fair score (expected score from an average rater on an average "
           "criterion)\n");
    printf("  %-14s %5s %8s %8s %7s\n", "ratee", "n", "raw mean", "fair", "SE");
    for (i = 0; i < shown; i++) {
        const cr_calibrate_ratee *x = &r->ratees[order[i]];

        printf("  %-14s %5zu %8.3f %8.3f %7.3f%s\n", x->name, x->n, x->raw_mean, x->fair,
               x->fair_se,
               x->extreme > 0   ? "  (all top scores)"
               : x->extreme < 0 ? "  (all bottom scores)"
                                : "");
    }
    if (shown < r->nratees)
        printf("  ... %zu more (--limit 0 lists all)\n", r->nratees - shown);
    cr_free(order);
}

/* Each flagged rater of a store cycle as a calibration_flag recommendation (docs/program.md,
 * "Recorded recommendations"): value the flags, subject "reviewer NAME in cycle CYCLE", detail
 * the reason with the severity and its standard error. ids[i] receives rater i's id (0 when
 * not flagged). */
static cr_err
flags_record(int64_t *ids, cr_store *st, const cr_calibrate_result *r, const char *cycle)
{
    cr_recommendation rec;
    char subject[240], value[96], detail[320];
    size_t i, k, o;

    for (i = 0; i < r->nraters; i++) {
        const cr_calibrate_rater *x = &r->raters[i];
        cr_err rc;

        ids[i] = 0;
        if (x->flags == 0)
            continue;
        value[0] = '\0';
        for (k = 0, o = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
            if (x->flags & (1u << k))
                o += (size_t)snprintf(value + o, o < sizeof(value) ? sizeof(value) - o : 0, "%s%s",
                                      o ? ", " : "", flag_names[k]);
        snprintf(subject, sizeof(subject), "reviewer %s in cycle %s", x->name, cycle);
        snprintf(detail, sizeof(detail), "%s; severity %+.3f %s (SE %.3f), infit %.2f, outfit %.2f",
                 x->reason, x->severity, r->model == CR_CALIBRATE_RASCH ? "logits" : "points",
                 x->se, x->infit, x->outfit);
        memset(&rec, 0, sizeof(rec));
        rec.kind = "calibration_flag";
        rec.subject = subject;
        rec.value = value;
        rec.detail = detail;
        rec.created_at = cr_now();
        if ((rc = cr_program_recommend_record(&ids[i], NULL, st, &rec,
                                              r->model == CR_CALIBRATE_RASCH
                                                  ? "crest review calibrate (many-facet Rasch)"
                                                  : "crest review calibrate (additive model)")) < 0)
            return rc;
    }
    return CR_OK;
}

int cli_review_calibrate_print(cli_ctx *ctx,
                               const cr_rating *ratings,
                               size_t n,
                               const char *source,
                               const char *cycle,
                               const cr_calibrate_options *opts,
                               size_t limit)
{
    cr_calibrate_result *r = NULL;
    int64_t *ids = NULL;
    size_t i, shown = 0;
    int code = CLI_EXIT_OK;
    cr_err rc;

    if ((rc = cr_calibrate(&r, ratings, n, opts)) < 0)
        return cli_fail(ctx, rc);
    if (cycle && ctx->store && r->nraters) {
        if ((ids = cr_calloc(r->nraters, sizeof(*ids))) == NULL)
            rc = cr_error_oom();
        else
            rc = flags_record(ids, ctx->store, r, cycle);
        if (rc < 0) {
            code = cli_fail(ctx, rc);
            goto done;
        }
    }
    if (ctx->json) {
        json_t *j = result_json(r, source), *raters = json_object_get(j, "raters");
        for (i = 0; ids && i < r->nraters; i++)
            if (ids[i])
                json_object_set_new(json_array_get(raters, i), "recommendation_id",
                                    json_integer(ids[i]));
        code = cli_print_json(j);
        goto done;
    }
    print_table(r, source, limit);
    for (i = 0; ids && i < r->nraters; i++) {
        if (ids[i] == 0)
            continue;
        if (shown++ == 0)
            printf("\nFlagged reviewers, recorded as calibration_flag recommendations (accept, "
                   "override or\nescalate them: crest recommend accept|crest override|crest "
                   "escalate calibration_flag ID):\n");
        printf("  %-14s recommendation %lld\n", r->raters[i].name, (long long)ids[i]);
    }
done:
    cr_free(ids);
    cr_calibrate_result_free(r);
    return code;
}

static int parse_double(cli_ctx *ctx, const char *opt, const char *val, double *out)
{
    char *end;

    *out = strtod(val, &end);
    if (end == val || *end != '\0' || !isfinite(*out) || *out < 0)
        return cli_usage(ctx, "%s: expected a number >= 0, found '%s'", opt, val);
    return CLI_EXIT_OK;
}

static int review_calibrate(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "ratings", required_argument, NULL, 'r' },
                                              { "model", required_argument, NULL, 'm' },
                                              { "limit", required_argument, NULL, 'l' },
                                              { "severity-max", required_argument, NULL, 's' },
                                              { "fit-low", required_argument, NULL, 'a' },
                                              { "fit-high", required_argument, NULL, 'b' },
                                              { "min-ratings", required_argument, NULL, 'n' },
                                              { NULL, 0, NULL, 0 } };
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    const char *path = NULL;
    cr_rating_set set;
    int64_t limit = 20, cnt;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        code = CLI_EXIT_OK;
        switch (c) {
        case 'r':
            path = optarg;
            break;
        case 'm':
            if (cr_calibrate_model_parse(&o.model, optarg) < 0)
                return cli_usage(ctx, "--model: expected additive or rasch, found '%s'", optarg);
            break;
        case 'l':
            code = cli_parse_count(ctx, "--limit", optarg, &limit);
            break;
        case 's':
            code = parse_double(ctx, "--severity-max", optarg, &o.severity_max);
            break;
        case 'a':
            code = parse_double(ctx, "--fit-low", optarg, &o.fit_low);
            break;
        case 'b':
            code = parse_double(ctx, "--fit-high", optarg, &o.fit_high);
            break;
        case 'n':
            if ((code = cli_parse_count(ctx, "--min-ratings", optarg, &cnt)) == CLI_EXIT_OK)
                o.min_ratings = (size_t)cnt;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
        if (code != CLI_EXIT_OK)
            return code;
    }
    if (argc - optind > 1)
        return cli_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
    if (optind < argc && path)
        return cli_usage(ctx, "give a CYCLE or --ratings FILE, not both");
    if (optind < argc) {
        /* a review cycle of the store: its submitted brand reviews */
        char source[160];
        if ((rc = cr_store_open(&ctx->store, ctx->db_url)) < 0 ||
            (rc = cr_review_cycle_ratings(&set, ctx->store, argv[optind])) < 0)
            return cli_fail(ctx, rc);
        snprintf(source, sizeof(source), "cycle %s", argv[optind]);
        code = cli_review_calibrate_print(ctx, set.ratings, set.n, source, argv[optind], &o,
                                          (size_t)limit);
        cr_rating_set_dispose(&set);
        return code;
    }
    if (path == NULL)
        return cli_usage(ctx, "missing CYCLE or --ratings FILE");
    if ((rc = cr_rating_set_read_csv(&set, path)) < 0)
        return cli_fail(ctx, rc);
    code = cli_review_calibrate_print(ctx, set.ratings, set.n, path, NULL, &o, (size_t)limit);
    cr_rating_set_dispose(&set);
    return code;
}

const cli_cmd cmd_review_calibrate = {
    .name = "calibrate",
    .summary = "Reviewer severities, fair scores and design connectivity from ratings",
    .usage = "crest review calibrate CYCLE|--ratings FILE [--model additive|rasch] [--limit N]\n"
             "                              [--severity-max X] [--fit-low X] [--fit-high X]\n"
             "                              [--min-ratings N] [--json]",
    .help =
        "CYCLE is a review cycle of the store (its submitted brand reviews: ratee the partner,\n"
        "rater the reviewer, one rating per criterion).\n"
        "FILE is a CSV with the columns ratee,rater,criterion,score (any order; other columns\n"
        "are ignored). The model separates each rater's severity from the ratees' quality:\n"
        "  additive (default)  rating = ratee - severity - difficulty + e, in score points,\n"
        "                      least squares with exact standard errors\n"
        "  rasch               many-facet Rasch rating-scale model, in logits (whole scores)\n"
        "It prints each rater's severity (+ harsher than the average rater) with its standard\n"
        "error, infit and outfit mean-squares (expected near 1) and flags; each criterion's\n"
        "difficulty; the ratees by fair score (the expected score from an average rater on an\n"
        "average criterion, with its standard error); and whether the rater x ratee design is\n"
        "connected, with the extra assignments that would connect it. docs/calibration.md.\n"
        "For a store CYCLE each flagged rater is recorded as a calibration_flag\n"
        "recommendation to accept, override or escalate (ids printed; each recorded once\n"
        "while undecided: docs/program.md); --ratings FILE records nothing.\n\n"
        "Options:\n"
        "  --ratings FILE     the ratings CSV\n"
        "  --model M          additive (default) or rasch\n"
        "  --limit N          ratees listed in the table (default 20, 0 = all; JSON lists all)\n"
        "  --severity-max X   flag |severity| above X when significant (default: a quarter of\n"
        "                     the score range for additive, 2 logits for rasch)\n"
        "  --fit-low X, --fit-high X   flag infit or outfit outside [X, X] (default 0.5, 1.5)\n"
        "  --min-ratings N    flag raters with fewer ratings (default 5)\n"
        "Example:\n"
        "  crest review calibrate --ratings reviews.csv --model rasch\n",
    .run = review_calibrate,
};
