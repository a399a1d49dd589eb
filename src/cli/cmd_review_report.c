/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_review_report.c - reading partner reviews: `crest review cycles`, `crest review show
 * CYCLE [--as EMAIL]` (the ratings preview of one reviewer), `crest review evidence
 * CREATOR`, `crest review scorecard [CREATOR]`, `crest review schedule [--ics FILE]`, and the
 * creator's access: `crest review link CREATOR` (a signed, expiring link) and `crest review
 * account EMAIL CREATOR` (a creator account linked to its creator). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/review.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY 86400

static const char *s_of(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "-";
}

static double d_of(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);

    return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *loads(char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);

    cr_review_text_free(text);
    return j;
}

static const char *arrow(const json_t *trend)
{
    const char *a = s_of(trend, "arrow");

    return strcmp(a, "up") == 0     ? "↑"
           : strcmp(a, "down") == 0 ? "↓"
           : strcmp(a, "flat") == 0 ? "→"
                                    : "·";
}

static void fmt_num(char *buf, size_t size, double v, int pct)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (pct)
        snprintf(buf, size, "%.2f%%", v * 100);
    else
        snprintf(buf, size, "%.2f", v);
}

/* ---- cycles ------------------------------------------------------------------------------- */

static int review_cycles(cli_ctx *ctx, int argc, char **argv)
{
    char *text = NULL;
    json_t *j, *c;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 0, "")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_review_cycles_json(&text, ctx->store)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = loads(text);
    printf("%-16s %-10s %-10s %-10s %8s %7s %8s\n", "CYCLE", "KIND", "START", "END", "PARTNERS",
           "REVIEWS", "RELEASED");
    json_array_foreach(j, i, c)
        printf("%-16s %-10s %-10s %-10s %8lld %7lld %8lld\n", s_of(c, "name"), s_of(c, "kind"),
               s_of(c, "period_start"), s_of(c, "period_end"), (long long)d_of(c, "partners"),
               (long long)d_of(c, "reviews"), (long long)d_of(c, "released"));
    if (json_array_size(j) == 0)
        printf("no review cycles yet (crest review start FILE)\n");
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_cycles = {
    .name = "cycles",
    .summary = "The review cycles with their partners, reviews and releases",
    .usage = "crest review cycles [--json]",
    .run = review_cycles,
    .flags = CLI_F_NEEDS_STORE,
};

static int review_show(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "as", required_argument, NULL, 'a' },
                                              { NULL, 0, NULL, 0 } };
    const char *as = NULL;
    char *text = NULL;
    json_t *j, *p, *r;
    size_t i, k;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'a')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        as = optarg;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "CYCLE")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_review_cycle_json(&text, ctx->store, argv[optind],
                                   as ? CR_REVIEW_SEE_PREVIEW : CR_REVIEW_SEE_ALL, as)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = loads(text);
    printf("Cycle %s (%s, %s to %s), rubric %s v%lld, lead %s\n", s_of(j, "name"), s_of(j, "kind"),
           s_of(j, "period_start"), s_of(j, "period_end"), s_of(j, "rubric_name"),
           (long long)d_of(j, "rubric_version"), s_of(j, "lead"));
    if (as)
        printf("Ratings preview as %s: another reviewer's scores of a partner show once you "
               "have submitted yours.\n",
               as);
    json_array_foreach(json_object_get(j, "partners"), i, p)
    {
        printf("\n%s/%s  %s\n", s_of(p, "platform"), s_of(p, "handle"),
               json_is_string(json_object_get(p, "released_at")) ? "released" : "not released");
        json_array_foreach(json_object_get(p, "reviews"), k, r)
            printf("  %-28s mean %.2f  potential %s\n", s_of(r, "reviewer"), d_of(r, "mean"),
                   json_is_integer(json_object_get(r, "potential"))
                       ? (d_of(r, "potential") >= 3   ? "high"
                          : d_of(r, "potential") >= 2 ? "medium"
                                                      : "low")
                       : "-");
        if (d_of(p, "hidden_reviews") > 0)
            printf("  (%lld other review%s hidden until you submit yours)\n",
                   (long long)d_of(p, "hidden_reviews"), d_of(p, "hidden_reviews") > 1 ? "s" : "");
        printf("  self-assessment %s, feedback %s\n",
               json_is_object(json_object_get(p, "self_assessment")) ? "received" : "missing",
               json_is_object(json_object_get(p, "feedback")) ? "received" : "missing");
    }
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_show = {
    .name = "show",
    .summary = "A cycle's partners, reviews, self-assessments and feedback",
    .usage = "crest review show CYCLE [--as EMAIL] [--json]",
    .help = "Without --as: every submitted review (a manager's view). With --as EMAIL: what\n"
            "that reviewer may see (ratings preview): his own reviews, and the others' of a\n"
            "partner only once he has submitted his own.\n",
    .run = review_show,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- evidence and scorecard --------------------------------------------------------------- */

static int review_evidence(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "cycles", required_argument, NULL, 'c' },
                                              { "as-of", required_argument, NULL, 'a' },
                                              { NULL, 0, NULL, 0 } };
    int64_t creator, cycles = 4, as_of = 0;
    char *text = NULL, a[32], b[32], cbuf[32], dbuf[32];
    json_t *j, *k, *v, *p, *prev;
    size_t i, q;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        code = c == 'c'   ? cli_parse_count(ctx, "--cycles", optarg, &cycles)
               : c == 'a' ? cli_review_date(ctx, "--as-of", optarg, &as_of)
                          : cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if (code != CLI_EXIT_OK)
            return code;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "CREATOR")) != CLI_EXIT_OK)
        return code;
    if (cycles < 2 || cycles > 24)
        return cli_usage(ctx, "--cycles: expected 2 to 24, found %lld", (long long)cycles);
    if ((rc = cli_creator_ref(&creator, ctx, argv[optind])) < 0 ||
        (rc = cr_review_evidence_json(&text, ctx->store, creator, (int)cycles, as_of, NULL)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = loads(text);
    printf("Evidence for %s as of %s, over %s\n\n", s_of(j, "partner"), s_of(j, "as_of"),
           s_of(j, "periods_basis"));
    printf("%-42s", "KPI");
    json_array_foreach(json_object_get(j, "periods"), i, p) printf(" %12s", s_of(p, "period"));
    printf(" %10s  %s\n", "TARGET", "SLOPE PER PERIOD (95% INTERVAL)");
    json_array_foreach(json_object_get(j, "kpis"), i, k)
    {
        const json_t *t = json_object_get(k, "trend");
        int pct =
            strcmp(s_of(k, "kpi"), "engagement_rate") == 0 || strcmp(s_of(k, "kpi"), "ctr") == 0;
        printf("%-42s", s_of(k, "label"));
        json_array_foreach(json_object_get(k, "values"), q, v)
        {
            fmt_num(cbuf, sizeof(cbuf), json_is_number(v) ? json_number_value(v) : NAN, pct);
            printf(" %12s", cbuf);
        }
        fmt_num(dbuf, sizeof(dbuf), d_of(k, "target"), pct);
        fmt_num(cbuf, sizeof(cbuf), d_of(t, "slope"), pct);
        fmt_num(a, sizeof(a), d_of(t, "low"), pct);
        fmt_num(b, sizeof(b), d_of(t, "high"), pct);
        printf(" %10s  %s %s (%s to %s)\n", dbuf, arrow(t), cbuf, a, b);
    }
    printf("\nTop posts (engagement / reach)\n");
    json_array_foreach(json_object_get(j, "top_posts"), i, p)
        printf("  %s  %.2f%%  %s\n", s_of(p, "posted_at"), d_of(p, "engagement_rate") * 100,
               s_of(p, "url"));
    printf("Bottom posts\n");
    json_array_foreach(json_object_get(j, "bottom_posts"), i, p)
        printf("  %s  %.2f%%  %s\n", s_of(p, "posted_at"), d_of(p, "engagement_rate") * 100,
               s_of(p, "url"));
    prev = json_object_get(j, "previous_review");
    if (json_is_object(prev))
        printf("\nPrevious review: cycle %s, mean %.2f\n", s_of(prev, "cycle"),
               d_of(json_object_get(prev, "scores"), "mean"));
    else
        printf("\nNo previous review.\n");
    json_array_foreach(json_object_get(j, "growth_plans"), i, p)
    {
        printf("Growth plan: %s\n", s_of(p, "title"));
        json_array_foreach(json_object_get(p, "milestones"), q, v)
            printf("  %-24s target %-10g due %s  %s%s\n", s_of(v, "metric"), d_of(v, "target"),
                   s_of(v, "due"), s_of(v, "status"),
                   json_is_true(json_object_get(v, "overdue")) ? " (overdue)" : "");
    }
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_evidence = {
    .name = "evidence",
    .summary = "The evidence panel of a partner: KPI trends, top and bottom posts, last review",
    .usage = "crest review evidence CREATOR [--cycles N] [--as-of DATE] [--json]",
    .help = "KPIs per period over the partner's last N review cycles (default 4; calendar\n"
            "months while it has fewer than two), against its campaigns' targets, each with\n"
            "the OLS slope per period and its 95% t-interval (an arrow only when the whole\n"
            "interval is above or below 0); the top and bottom posts by engagement rate; the\n"
            "previous review and growth plan, against recency bias.\n",
    .run = review_evidence,
    .flags = CLI_F_NEEDS_STORE,
};

static void print_partner_card(const json_t *j)
{
    static const char *const dims[] = { "storytelling", "production_discipline", "compliance",
                                        "kpi_delivery", "overall" };
    const json_t *tr = json_object_get(j, "trends");
    json_t *c, *p, *m;
    char buf[32];
    size_t i, k, q;

    printf("Scorecard of %s as of %s\n\n%-14s", s_of(j, "partner"), s_of(j, "as_of"), "CYCLE");
    for (k = 0; k < 5; k++)
        printf(" %22s", dims[k]);
    printf("\n");
    json_array_foreach(json_object_get(j, "cycles"), i, c)
    {
        printf("%-14s", s_of(c, "cycle"));
        for (k = 0; k < 5; k++) {
            fmt_num(buf, sizeof(buf), d_of(c, dims[k]), k == 3);
            printf(" %22s", buf);
        }
        printf("\n");
    }
    printf("%-14s", "trend (90%)");
    for (k = 0; k < 5; k++)
        printf(" %22s", arrow(json_object_get(tr, dims[k])));
    printf("\n");
    json_array_foreach(json_object_get(j, "growth_plans"), i, p)
    {
        if (json_is_string(json_object_get(p, "cycle")))
            printf("\nGrowth plan: %s (from cycle %s)\n", s_of(p, "title"), s_of(p, "cycle"));
        else
            printf("\nGrowth plan: %s\n", s_of(p, "title"));
        json_array_foreach(json_object_get(p, "milestones"), q, m) printf(
            "  #%lld %-22s target %-10g due %s  owner %-7s %s%s%s\n", (long long)d_of(m, "id"),
            s_of(m, "metric"), d_of(m, "target"), s_of(m, "due"), s_of(m, "owner"),
            s_of(m, "status"), json_is_true(json_object_get(m, "overdue")) ? "  OVERDUE" : "",
            json_is_true(json_object_get(m, "incentive_due")) ? "  incentive due" : "");
    }
}

static void print_cohort(const json_t *j)
{
    const char *key;
    json_t *v, *p;
    size_t i;

    printf("Cohort of cycle %s as of %s\n\nRating distribution:", s_of(j, "cycle"),
           s_of(j, "as_of"));
    json_object_foreach(json_object_get(j, "distribution"), key, v)
        printf("  %s: %lld", key, (long long)json_integer_value(v));
    printf("\n\n%-30s %11s %9s  %s\n", "PARTNER", "PERFORMANCE", "POTENTIAL", "NINE-BOX");
    json_array_foreach(json_object_get(j, "partners"), i, p)
    {
        char a[32], b[32];
        fmt_num(a, sizeof(a), d_of(p, "performance"), 0);
        fmt_num(b, sizeof(b), d_of(p, "potential"), 0);
        printf("%-30s %11s %9s  %s\n", s_of(p, "partner"), a, b,
               d_of(p, "performance") > 0 ? s_of(p, "box") : "not reviewed");
    }
    printf("\nOverdue milestones: %zu\n", json_array_size(json_object_get(j, "overdue")));
    json_array_foreach(json_object_get(j, "overdue"), i, p)
        printf("  #%lld %s %s due %s\n", (long long)d_of(p, "milestone"), s_of(p, "partner"),
               s_of(p, "metric"), s_of(p, "due"));
    printf("Incentives due: %zu\n", json_array_size(json_object_get(j, "incentives_due")));
    json_array_foreach(json_object_get(j, "incentives_due"), i, p)
    {
        if (json_is_integer(json_object_get(p, "incentive_minor")))
            printf("  #%lld %s %s: %s %.2f %s\n", (long long)d_of(p, "milestone"),
                   s_of(p, "partner"), s_of(p, "metric"), s_of(p, "incentive"),
                   d_of(p, "incentive_minor") / 100, s_of(p, "incentive_currency"));
        else
            printf("  #%lld %s %s: %s\n", (long long)d_of(p, "milestone"), s_of(p, "partner"),
                   s_of(p, "metric"), s_of(p, "incentive"));
    }
}

static int review_scorecard(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "as-of", required_argument, NULL, 'a' },
                                              { NULL, 0, NULL, 0 } };
    int64_t creator = 0, as_of = 0;
    char *text = NULL;
    json_t *j;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'a')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if ((code = cli_review_date(ctx, "--as-of", optarg, &as_of)) != CLI_EXIT_OK)
            return code;
    }
    if (argc - optind > 1)
        return cli_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
    if (optind < argc && (rc = cli_creator_ref(&creator, ctx, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_review_scorecard_json(&text, ctx->store, creator, as_of, NULL)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = loads(text);
    if (creator)
        print_partner_card(j);
    else
        print_cohort(j);
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_scorecard = {
    .name = "scorecard",
    .summary = "A partner's cumulative scorecard, or the cohort's distribution and nine-box",
    .usage = "crest review scorecard [CREATOR] [--as-of DATE] [--json]",
    .help = "With CREATOR: per cycle the mean score on storytelling, production discipline and\n"
            "compliance (the rubric's dimensions), KPI delivery (actual / target of the\n"
            "partner's campaign KPIs in the cycle's period) and overall, with trend arrows\n"
            "from the OLS slope's 90% interval (needs 3 cycles); growth plans with milestones,\n"
            "overdue alerts and incentives due. Without: the latest reviewed cycle's rating\n"
            "distribution and nine-box (performance: mean score, low < 3 <= medium < 4 <= high;\n"
            "potential: the reviewers' 1-3), overdue milestones and incentives due.\n",
    .run = review_scorecard,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- schedule ----------------------------------------------------------------------------- */

static int review_schedule(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "ics", required_argument, NULL, 'i' },
                                              { "as-of", required_argument, NULL, 'a' },
                                              { "days", required_argument, NULL, 'd' },
                                              { "monthly-threshold", required_argument, NULL, 'm' },
                                              { NULL, 0, NULL, 0 } };
    cr_review_schedule_opts o = CR_REVIEW_SCHEDULE_OPTS_INIT;
    const char *ics = NULL;
    char *text = NULL, *end;
    int64_t days = 90;
    json_t *j, *it;
    FILE *f;
    size_t i;
    int c, code;
    cr_err rc;

    o.as_of = cr_now() / DAY * DAY;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        code = CLI_EXIT_OK;
        if (c == 'i') {
            ics = optarg;
        } else if (c == 'a') {
            code = cli_review_date(ctx, "--as-of", optarg, &o.as_of);
        } else if (c == 'd') {
            code = cli_parse_count(ctx, "--days", optarg, &days);
            o.days = (int)(days > 100000 ? 100000 : days);
        } else if (c == 'm') {
            o.monthly_threshold = strtod(optarg, &end);
            if (end == optarg || *end != '\0')
                code = cli_usage(ctx, "--monthly-threshold: expected a number of posts, found '%s'",
                                 optarg);
        } else {
            code = cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
        if (code != CLI_EXIT_OK)
            return code;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ics) {
        if ((rc = cr_review_schedule_ics(&text, ctx->store, &o)) < 0)
            return cli_fail(ctx, rc);
        if ((f = fopen(ics, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
            cr_review_text_free(text);
            return cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot write", ics));
        }
        cr_review_text_free(text);
    }
    if ((rc = cr_review_schedule_json(&text, ctx->store, &o)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = loads(text);
    printf("Reviews due from %s for %d days (monthly from %g posts per 30 days)\n\n",
           s_of(j, "as_of"), o.days, o.monthly_threshold);
    printf("%-10s %-9s %-10s %-28s %-14s %s\n", "DUE", "STATUS", "KIND", "PARTNER", "PERIOD",
           "WHY");
    json_array_foreach(json_object_get(j, "items"), i, it)
        printf("%-10s %-9s %-10s %-28s %-14s %s\n", s_of(it, "due"), s_of(it, "status"),
               s_of(it, "kind"), s_of(it, "partner"), s_of(it, "period"), s_of(it, "reason"));
    if (ics)
        printf("\nwrote %zu events to %s\n", json_array_size(json_object_get(j, "items")), ics);
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_schedule = {
    .name = "schedule",
    .summary = "Reviews due: quarterly, monthly for active partners, check-ins, debriefs",
    .usage = "crest review schedule [--as-of DATE] [--days N] [--monthly-threshold POSTS]\n"
             "                             [--ics FILE] [--json]",
    .help = "Every partner (a creator with a partnership) is reviewed quarterly, or monthly\n"
            "when it posted at least --monthly-threshold posts (default 8) in the 30 days\n"
            "before --as-of (default today); quarterly partners get a mid-cycle check-in on\n"
            "day 46 of the quarter; a campaign's debrief is due 7 days after it ends. Items\n"
            "due within --days (default 90) are listed, and earlier ones still open as\n"
            "overdue; done once a cycle of the kind holds a review of the partner.\n"
            "--ics FILE also writes them as an iCalendar file (one all-day event each).\n",
    .run = review_schedule,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- access ------------------------------------------------------------------------------- */

static int review_link(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "days", required_argument, NULL, 'd' },
                                              { "expires", required_argument, NULL, 'e' },
                                              { NULL, 0, NULL, 0 } };
    int64_t creator, days = 14, expires = 0;
    char *token = NULL, date[16];
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'd')
            code = cli_parse_count(ctx, "--days", optarg, &days);
        else if (c == 'e')
            code = cli_review_date(ctx, "--expires", optarg, &expires);
        else
            code = cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if (code != CLI_EXIT_OK)
            return code;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "CREATOR")) != CLI_EXIT_OK)
        return code;
    if (days < 1 || days > 365)
        return cli_usage(ctx, "--days: expected 1 to 365, found %lld", (long long)days);
    if (expires == 0)
        expires = cr_now() + days * DAY;
    if ((rc = cli_creator_ref(&creator, ctx, argv[optind])) < 0 ||
        (rc = cr_review_link_create(&token, ctx->store, creator, expires)) < 0)
        return cli_fail(ctx, rc);
    cr_fmt_date(date, sizeof(date), expires);
    if (ctx->json)
        code =
            cli_print_json(json_pack("{s:I,s:s,s:s,s:s}", "creator_id", (json_int_t)creator,
                                     "token", token, "expires", date, "path", "/#/review-link/"));
    else
        printf("%s\nvalid until %s: the creator opens /#/review-link/%s on crest serve, or the "
               "API GET /api/v1/reviews/link?token=...\n",
               token, date, token);
    cr_review_text_free(token);
    return code;
}

const cli_cmd cmd_review_link = {
    .name = "link",
    .summary = "A signed, expiring link to a creator's own review forms",
    .usage = "crest review link CREATOR [--days N | --expires DATE] [--json]",
    .help = "The token names the creator and its expiry (default 14 days), signed with the\n"
            "workspace's secret (HMAC-SHA-512-256, libsodium crypto_auth); altering either\n"
            "breaks the signature. It opens the creator's self-assessment and feedback forms\n"
            "and his released reviews, nothing else. --expires DATE ends it at midnight UTC of\n"
            "DATE instead.\n",
    .run = review_link,
    .flags = CLI_F_NEEDS_STORE,
};

static int review_account(cli_ctx *ctx, int argc, char **argv)
{
    int64_t creator;
    int code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 2, "EMAIL and CREATOR")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&creator, ctx, argv[optind + 1])) < 0 ||
        (rc = cr_review_account_link(ctx->store, argv[optind], creator)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:s,s:I}", "email", argv[optind], "creator_id", (json_int_t)creator));
    printf("account %s is linked to creator %s\n", argv[optind], argv[optind + 1]);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_account = {
    .name = "account",
    .summary = "Link a creator account (crest user add --role creator) to its creator",
    .usage = "crest review account EMAIL CREATOR [--json]",
    .help = "A linked creator account reads, through crest serve, its own self-assessments,\n"
            "feedback and released reviews only (GET /api/v1/reviews/mine).\n",
    .run = review_account,
    .flags = CLI_F_NEEDS_STORE,
};
