/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_discover.c - `crest discover [WORDS] [filters]`, lookalikes (--like), saved searches
 * (--save, --saved, `crest discover saved list|delete`). Every flag is a field of the query
 * (crest/discover.h) and goes through cr_discover_query_set(), which checks it the same way
 * for the CLI, the API and saved searches. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/num.h"
#include "util/str.h"
#include "json/discover.h"

/* long option -> query field */
static const struct {
    const char *opt, *field;
} opt_fields[] = {
    { "topic", "topic" },
    { "platform", "platform" },
    { "min-followers", "min_followers" },
    { "max-followers", "max_followers" },
    { "tier", "tier" },
    { "tier-scheme", "tier_scheme" },
    { "min-er", "min_er" },
    { "max-er", "max_er" },
    { "er-by", "er_by" },
    { "audience-country", "country" },
    { "audience-age", "age" },
    { "audience-gender", "gender" },
    { "language", "language" },
    { "min-quality", "min_quality" },
    { "min-fee", "min_fee" },
    { "max-fee", "max_fee" },
    { "not-in", "not_in" },
    { "campaign", "campaign" },
    { "like", "like" },
    { "limit", "limit" },
    { "offset", "offset" },
};
#define NOPT (sizeof(opt_fields) / sizeof(opt_fields[0]))

static void print_hits(const cr_discover_result *r, const cr_discover_query *q)
{
    size_t i, k;

    if (r->seed)
        printf("lookalikes of %s\n", r->seed);
    if (r->goal)
        printf("ranked for the %s goal of '%s'\n", r->goal, r->campaign_name);
    if (r->saved_name)
        printf("saved search '%s': %lld new since it was last seen\n", r->saved_name,
               (long long)r->new_count);
    printf("%-5s %-6s %-10s %-24s %9s %-6s %7s\n", "RANK", "SCORE", "PLATFORM", "HANDLE",
           "FOLLOWERS", "TIER", "ER");
    for (i = 0; i < r->nhits; i++) {
        const cr_discover_hit *h = &r->hits[i];
        char f[16], er[16];
        if (isnan(h->er))
            snprintf(er, sizeof(er), "-");
        else
            snprintf(er, sizeof(er), "%.2f%%", h->er * 100);
        printf("%-5lld %-6.3f %-10s %-24.24s %9s %-6s %7s%s\n",
               (long long)(q->offset + (int64_t)i + 1), h->score, h->platform, h->handle,
               cr_fmt_compact(f, sizeof(f), h->followers), h->tier ? h->tier : "-", er,
               h->is_new ? "  NEW" : "");
        for (k = 0; k < h->nreasons; k++)
            printf("      - %s\n", h->reasons[k]);
    }
}

/* The top ranks of a shortlist ranked for a campaign, as recommendations (docs/program.md,
 * "Recorded recommendations"): value the rank, subject "platform/handle in the shortlist of
 * campaign ID", detail the score and the first reasons. ids[i] receives hit i's id (0 past
 * the top CLI_SHORTLIST_TOP). */
#define CLI_SHORTLIST_TOP 10

static cr_err shortlist_record(int64_t *ids,
                               int64_t *campaign_id,
                               cli_ctx *ctx,
                               const cr_discover_result *r,
                               const cr_discover_query *q)
{
    cr_recommendation rec;
    char subject[240], value[24];
    cr_str detail;
    size_t i, k;
    int64_t rank;
    cr_err rc;

    if ((rc = cli_campaign_id(campaign_id, ctx, q->campaign)) < 0)
        return rc;
    cr_str_init(&detail, 0);
    for (i = 0; i < r->nhits; i++) {
        const cr_discover_hit *h = &r->hits[i];

        ids[i] = 0;
        rank = q->offset + (int64_t)i + 1;
        if (rank > CLI_SHORTLIST_TOP)
            continue;
        snprintf(subject, sizeof(subject), "%s/%s in the shortlist of campaign %lld", h->platform,
                 h->handle, (long long)*campaign_id);
        snprintf(value, sizeof(value), "%lld", (long long)rank);
        cr_str_clear(&detail);
        if ((rc = cr_str_printf(&detail, "score %.3f for the %s goal", h->score, r->goal)) < 0)
            break;
        for (k = 0; k < h->nreasons && k < 3; k++)
            if ((rc = cr_str_printf(&detail, "%s%s", k ? "; " : ": ", h->reasons[k])) < 0)
                break;
        if (rc < 0)
            break;
        memset(&rec, 0, sizeof(rec));
        rec.kind = "shortlist_rank";
        rec.subject = subject;
        rec.value = value;
        rec.detail = cr_str_cstr(&detail);
        rec.created_at = cr_now();
        if ((rc = cr_program_recommend_record(&ids[i], NULL, ctx->store, &rec,
                                              "crest discover (relevance x performance)")) < 0)
            break;
    }
    cr_str_dispose(&detail);
    return rc;
}

static int saved_sub(cli_ctx *ctx, int argc, char **argv);

static int discover_run(cli_ctx *ctx, int argc, char **argv)
{
    struct option longopts[NOPT + 4];
    cr_discover_query q;
    cr_discover_result r;
    const char *save = NULL, *saved = NULL;
    cr_str words;
    int64_t *rec_ids = NULL, campaign_id = 0;
    size_t i;
    int c, idx, code = CLI_EXIT_OK;
    cr_err rc = CR_OK;

    if (argc >= 2 && strcmp(argv[1], "saved") == 0)
        return saved_sub(ctx, argc - 1, argv + 1);
    memset(longopts, 0, sizeof(longopts));
    for (i = 0; i < NOPT; i++) {
        longopts[i].name = opt_fields[i].opt;
        longopts[i].has_arg = required_argument;
        longopts[i].val = 1000 + (int)i;
    }
    longopts[NOPT] = (struct option){ "include-opted-out", no_argument, NULL, 'o' };
    longopts[NOPT + 1] = (struct option){ "save", required_argument, NULL, 's' };
    longopts[NOPT + 2] = (struct option){ "saved", required_argument, NULL, 'S' };
    cr_discover_query_init(&q);
    memset(&r, 0, sizeof(r));
    cr_str_init(&words, 0);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        if (c >= 1000 && c < 1000 + (int)NOPT)
            rc = cr_discover_query_set(&q, opt_fields[c - 1000].field, optarg);
        else if (c == 'o')
            rc = cr_discover_query_set(&q, "include_opted_out", "1");
        else if (c == 's')
            save = optarg;
        else if (c == 'S')
            saved = optarg;
        else {
            code = cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
            goto done;
        }
        if (rc < 0) {
            code = cli_fail(ctx, rc);
            goto done;
        }
    }
    for (i = (size_t)optind; i < (size_t)argc; i++)
        if ((rc = cr_str_printf(&words, "%s%s", words.len ? " " : "", argv[i])) < 0) {
            code = cli_fail(ctx, rc);
            goto done;
        }
    if (words.len > 0) {
        if (q.topic) {
            code = cli_usage(ctx, "give the topic words either as arguments or with --topic");
            goto done;
        }
        if ((rc = cr_discover_query_set(&q, "topic", cr_str_cstr(&words))) < 0) {
            code = cli_fail(ctx, rc);
            goto done;
        }
    }
    if (saved && save) {
        code = cli_usage(ctx, "--save and --saved do not go together");
        goto done;
    }
    if (save && (rc = cr_discover_save(ctx->store, save, &q)) < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    if (saved)
        rc = cr_discover_run_saved(&r, ctx->store, saved, &q);
    else if (save)
        rc = cr_discover_run_saved(&r, ctx->store, save, &q);
    else
        rc = cr_discover_run(&r, ctx->store, &q);
    if (rc < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    if (r.goal && q.campaign && r.nhits) {
        if ((rec_ids = cr_calloc(r.nhits, sizeof(*rec_ids))) == NULL)
            rc = cr_error_oom();
        else
            rc = shortlist_record(rec_ids, &campaign_id, ctx, &r, &q);
        if (rc < 0) {
            code = cli_fail(ctx, rc);
            goto done;
        }
    }
    if (ctx->json) {
        json_t *j = cr_json_discover_result(&r, &q), *hits = json_object_get(j, "hits");
        for (i = 0; rec_ids && i < r.nhits; i++)
            if (rec_ids[i])
                json_object_set_new(json_array_get(hits, i), "recommendation_id",
                                    json_integer(rec_ids[i]));
        code = j ? cli_print_json(j) : cli_fail(ctx, cr_error_oom());
        goto done;
    }
    print_hits(&r, &q);
    if (rec_ids && rec_ids[0] && !ctx->quiet) {
        printf("\nRecorded as shortlist_rank recommendations of campaign %lld (rank: id):",
               (long long)campaign_id);
        for (i = 0; i < r.nhits && rec_ids[i]; i++)
            printf(" %lld: %lld", (long long)(q.offset + (int64_t)i + 1), (long long)rec_ids[i]);
        printf("\n  crest recommend accept shortlist_rank ID, crest override shortlist_rank ID "
               "--to RANK --reason R,\n  or crest escalate shortlist_rank ID --to EMAIL.\n");
    }
    if (!ctx->quiet) {
        if (r.nhits == 0)
            fprintf(stderr, "no creators match these filters\n");
        else if ((int64_t)r.nhits + q.offset < r.total)
            fprintf(stderr, "(%lld of %lld; --offset pages)\n", (long long)r.nhits,
                    (long long)r.total);
        if (r.capped)
            fprintf(stderr,
                    "(ranked the best %s text matches only: add filters or words to "
                    "narrow the search)\n",
                    q.like ? "1,000" : "2,000");
        if (save)
            fprintf(stderr, "saved as '%s'; `crest discover --saved %s` shows what is new later\n",
                    save, save);
    }
done:
    cr_free(rec_ids);
    cr_discover_result_dispose(&r);
    cr_discover_query_dispose(&q);
    cr_str_dispose(&words);
    return code;
}

typedef struct {
    cli_ctx *ctx;
    json_t *arr;
    int n;
} saved_state;

static cr_err saved_row(const cr_saved_search *s, void *payload)
{
    saved_state *ss = payload;
    char d[32];

    ss->n++;
    if (ss->arr) {
        json_t *j = cr_json_saved_search(s);
        return j && json_array_append_new(ss->arr, j) == 0 ? CR_OK : cr_error_oom();
    }
    printf("%-20.20s %-16s %7lld %5lld  %s\n", s->name,
           s->run_at ? cr_fmt_datetime(d, sizeof(d), s->run_at) : "never",
           (long long)s->result_count, (long long)s->new_count, s->query);
    return CR_OK;
}

static int saved_sub(cli_ctx *ctx, int argc, char **argv)
{
    saved_state ss;
    cr_err rc;

    memset(&ss, 0, sizeof(ss));
    ss.ctx = ctx;
    if (argc >= 2 && strcmp(argv[1], "list") == 0 && argc == 2) {
        if (ctx->json && (ss.arr = json_array()) == NULL)
            return cli_fail(ctx, cr_error_oom());
        if (!ctx->json)
            printf("%-20s %-16s %7s %5s  %s\n", "NAME", "LAST RUN", "RESULTS", "NEW", "QUERY");
        if ((rc = cr_discover_saved_list(ctx->store, saved_row, &ss)) < 0) {
            json_decref(ss.arr);
            return cli_fail(ctx, rc);
        }
        if (ctx->json)
            return cli_print_json(ss.arr);
        if (ss.n == 0 && !ctx->quiet)
            fprintf(stderr,
                    "no saved searches; save one with `crest discover WORDS --save NAME`\n");
        return CLI_EXIT_OK;
    }
    if (argc == 3 && strcmp(argv[1], "delete") == 0) {
        if ((rc = cr_discover_saved_delete(ctx->store, argv[2])) < 0)
            return cli_fail(ctx, rc);
        if (ctx->json)
            return cli_print_json(json_pack("{s:s}", "deleted", argv[2]));
        printf("deleted saved search '%s'\n", argv[2]);
        return CLI_EXIT_OK;
    }
    return cli_usage(ctx, "expected `saved list` or `saved delete NAME`");
}

const cli_cmd cmd_discover = {
    .name = "discover",
    .summary = "Find creators: filters, ranking with reasons, lookalikes, saved searches",
    .usage = "crest discover [WORDS...] [--platform P] [--min-followers N] [--max-followers N]\n"
             "                [--tier T [--tier-scheme S]] [--min-er R] [--max-er R]\n"
             "                [--er-by reach|followers] [--audience-country CC[:SHARE]]\n"
             "                [--audience-age BAND[:SHARE]] [--audience-gender G[:SHARE]]\n"
             "                [--language L] [--min-quality Q] [--min-fee X] [--max-fee X]\n"
             "                [--not-in CAMPAIGN] [--include-opted-out] [--campaign CAMPAIGN]\n"
             "                [--like @HANDLE|PLATFORM/HANDLE] [--limit N] [--offset N]\n"
             "                [--save NAME | --saved NAME] [--json]\n"
             "       crest discover saved list|delete NAME [--json]",
    .help = "Words (or --topic) match the creator's bio, niches and 12 most recent captions;\n"
            "a creator matches when it holds any of them. Results are ranked by\n"
            "relevance x expected performance for the goal of --campaign (awareness: reach\n"
            "per post; engagement: ER; traffic: clicks per post; leads/sales: attributed\n"
            "leads/orders per post), each with its reasons. Creators who opted out are left\n"
            "out unless --include-opted-out. docs/discovery.md has the formulas.\n"
            "Ranked for a campaign, the top 10 ranks are recorded as shortlist_rank\n"
            "recommendations to accept, override or escalate (their ids are printed; each\n"
            "recorded once while undecided: docs/program.md).\n"
            "Options:\n"
            "  --tier T              a tier of the active scheme (crest tiers), e.g. micro\n"
            "  --min-er/--max-er R   engagement rate bounds: 2% or 0.02; --er-by picks reach\n"
            "                        (engagements / reach, default) or followers\n"
            "  --audience-country    US:0.3 = at least 30% of the audience in the US\n"
            "  --audience-age        18-24:25%; --audience-gender female:0.6\n"
            "  --min-fee/--max-fee   the creator's fee (or its highest partnership fee)\n"
            "  --min-quality Q       audience quality 0-100 (creators not yet scored pass)\n"
            "  --like REF            lookalikes: topic (TF-IDF) and audience cosine\n"
            "  --save NAME           save the search (and run it); --saved NAME runs it again\n"
            "                        and marks creators that are new since it was last seen\n"
            "Examples:\n"
            "  crest discover vegan baking --platform instagram --tier micro\n"
            "  crest discover --campaign 'Spring Launch' --not-in 'Spring Launch' running\n"
            "  crest discover --like @maya.runs --audience-country US:0.3\n"
            "  crest discover skincare --save skincare-us --audience-country US:0.4\n",
    .run = discover_run,
    .flags = CLI_F_NEEDS_STORE,
};
