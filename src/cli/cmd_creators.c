/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_creators.c - `crest creators list|show`. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"
#include "json/shape.h"

#define LIST_DEFAULT_LIMIT 50

typedef struct {
    cli_ctx *ctx;
    json_t *arr;
    int64_t n, limit;
} list_state;

static cr_err list_row(const cr_creator *c, void *payload)
{
    list_state *ls = payload;
    char f[16];

    ls->n++;
    if (ls->limit > 0 && ls->n > ls->limit)
        return CR_ITEROVER; /* the one extra row only says there are more */
    if (ls->arr) {
        json_t *j = cr_json_creator(c);
        if (j == NULL || json_array_append_new(ls->arr, j) < 0)
            return cr_error_oom();
        return CR_OK;
    }
    printf("%-6lld %-10s %-24.24s %-22.22s %9s %-6s %-3s %s\n", (long long)c->id, c->platform,
           c->handle, c->name ? c->name : "", cr_fmt_compact(f, sizeof(f), c->followers),
           cr_json_tier_name(c->followers), c->country ? c->country : "",
           c->niches ? c->niches : "");
    return CR_OK;
}

static int creators_list(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "search", required_argument, NULL, 's' },
        { "min-followers", required_argument, NULL, 'm' },
        { "max-followers", required_argument, NULL, 'M' },
        { "sort", required_argument, NULL, 'o' },
        { "limit", required_argument, NULL, 'l' },
        { "offset", required_argument, NULL, 'O' },
        { NULL, 0, NULL, 0 },
    };
    cr_creator_filter f;
    list_state ls;
    int c, code, limit_set = 0;
    cr_err rc;

    memset(&f, 0, sizeof(f));
    memset(&ls, 0, sizeof(ls));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if ((f.platform = cr_platform_canonical(optarg, strlen(optarg))) == NULL)
                return cli_usage(ctx, "--platform: expected one of %s, found '%s'",
                                 cr_platform_list(), optarg);
            break;
        case 's':
            f.search = optarg;
            break;
        case 'm':
            if ((code = cli_parse_count(ctx, "--min-followers", optarg, &f.min_followers)))
                return code;
            break;
        case 'M':
            if ((code = cli_parse_count(ctx, "--max-followers", optarg, &f.max_followers)))
                return code;
            break;
        case 'o':
            f.order = optarg;
            break;
        case 'l':
            if ((code = cli_parse_count(ctx, "--limit", optarg, &f.limit)))
                return code;
            limit_set = 1;
            break;
        case 'O':
            if ((code = cli_parse_count(ctx, "--offset", optarg, &f.offset)))
                return code;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (f.order && strcmp(f.order, "followers") && strcmp(f.order, "handle") &&
        strcmp(f.order, "id"))
        return cli_usage(ctx, "--sort: expected followers, handle or id, found '%s'", f.order);
    if (!limit_set && !ctx->json)
        f.limit = LIST_DEFAULT_LIMIT;
    ls.ctx = ctx;
    ls.limit = f.limit;
    if (f.limit > 0)
        f.limit++; /* one more, to know whether to say there are more */
    if (ctx->json && (ls.arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%-6s %-10s %-24s %-22s %9s %-6s %-3s %s\n", "ID", "PLATFORM", "HANDLE", "NAME",
               "FOLLOWERS", "TIER", "CC", "NICHES");
    rc = cr_store_creator_list(ctx->store, &f, list_row, &ls);
    if (rc < 0 && rc != CR_ITEROVER) {
        json_decref(ls.arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(ls.arr);
    if (ls.limit > 0 && ls.n > ls.limit && !ctx->quiet)
        fprintf(stderr, "(showing the first %lld; --limit 0 lists all, --offset pages)\n",
                (long long)ls.limit);
    else if (ls.n == 0 && !ctx->quiet)
        fprintf(stderr, "no creators match; import some with `crest import creators FILE` or "
                        "try `crest demo`\n");
    return CLI_EXIT_OK;
}

typedef struct {
    cli_ctx *ctx;
    json_t *obj;
} show_state;

static cr_err show_row(const cr_creator *c, void *payload)
{
    show_state *ss = payload;
    char f[16], g[16], d[16];

    if (ss->ctx->json) {
        ss->obj = cr_json_creator(c);
        return ss->obj ? CR_OK : cr_error_oom();
    }
    printf("%s/%s", c->platform, c->handle);
    if (c->name)
        printf("  (%s)", c->name);
    printf("\n  id            %lld\n", (long long)c->id);
    printf("  followers     %s (%s tier)\n", cr_fmt_compact(f, sizeof(f), c->followers),
           cr_json_tier_name(c->followers));
    printf("  following     %s\n  posts         %s\n", cr_fmt_compact(g, sizeof(g), c->following),
           cr_fmt_compact(d, sizeof(d), c->media_count));
    if (c->country || c->language)
        printf("  country       %s   language %s\n", c->country ? c->country : "-",
               c->language ? c->language : "-");
    if (c->niches)
        printf("  niches        %s\n", c->niches);
    if (c->email)
        printf("  email         %s\n", c->email);
    if (!isnan(c->engagement_rate))
        printf("  reported ER   %.2f%% (as given by the source)\n", c->engagement_rate * 100);
    if (c->bio)
        printf("  bio           %s\n", c->bio);
    return CR_OK;
}

static int creators_show(cli_ctx *ctx, int argc, char **argv)
{
    show_state ss;
    cr_creator_stats cs;
    int64_t id;
    int code;
    double er, growth;
    char d1[16], d2[16];
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1,
                              "the creator (ID, platform/handle or "
                              "@handle)")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&id, ctx, argv[1])) < 0)
        return cli_fail(ctx, rc);
    memset(&ss, 0, sizeof(ss));
    ss.ctx = ctx;
    if ((rc = cr_store_creator_get(ctx->store, id, show_row, &ss)) < 0 ||
        (rc = cr_store_creator_stats(&cs, ctx->store, id)) < 0) {
        json_decref(ss.obj);
        return cli_fail(ctx, rc);
    }
    if (ctx->json) {
        if (json_object_set_new(ss.obj, "stats", cr_json_creator_stats(&cs)) < 0) {
            json_decref(ss.obj);
            return cli_fail(ctx, cr_error_oom());
        }
        return cli_print_json(ss.obj);
    }
    er = cs.reach > 0 ? (double)cs.engagements / (double)cs.reach : NAN;
    growth = cs.first_followers > 0 && cs.snapshots > 1
                 ? (double)(cs.last_followers - cs.first_followers) / (double)cs.first_followers
                 : NAN;
    printf("  tracked posts %lld (%lld with metrics), %lld comments\n", (long long)cs.posts,
           (long long)cs.posts_with_metrics, (long long)cs.comments);
    if (!isnan(er))
        printf("  ER by reach   %.2f%% = engagements %lld / summed reach %lld (latest metrics)\n",
               er * 100, (long long)cs.engagements, (long long)cs.reach);
    if (!isnan(growth))
        printf("  growth        %+.1f%% from %lld to %lld followers, %s to %s (%lld snapshots)\n",
               growth * 100, (long long)cs.first_followers, (long long)cs.last_followers,
               cr_fmt_date(d1, sizeof(d1), cs.first_snapshot),
               cr_fmt_date(d2, sizeof(d2), cs.last_snapshot), (long long)cs.snapshots);
    return CLI_EXIT_OK;
}

static const cli_cmd creators_list_cmd = {
    .name = "list",
    .summary = "List creators, largest first",
    .usage = "crest creators list [--platform P] [--search TEXT] [--min-followers N]\n"
             "                    [--max-followers N] [--sort followers|handle|id] [--limit N]\n"
             "                    [--offset N] [--json]",
    .help = "Options:\n"
            "  --platform P        instagram, tiktok, youtube, ...\n"
            "  --search TEXT       part of the handle or name\n"
            "  --min-followers N   e.g. 10K; --max-followers likewise\n"
            "  --sort KEY          followers (default, largest first), handle or id\n"
            "  --limit N           rows to show (default 50 in a table, all with --json; 0 = all)\n"
            "  --offset N          rows to skip\n"
            "Tiers: nano < 10K, micro < 100K, mid < 500K, macro < 1M, mega (Later x Fohr).\n",
    .run = creators_list,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd creators_show_cmd = {
    .name = "show",
    .summary = "Show one creator with post and growth figures",
    .usage = "crest creators show ID|PLATFORM/HANDLE|@HANDLE [--json]",
    .help = "Examples:\n  crest creators show 12\n  crest creators show instagram/maya.runs\n",
    .run = creators_show,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const creators_subcmds[] = { &creators_list_cmd, &creators_show_cmd, NULL };

const cli_cmd cmd_creators = {
    .name = "creators",
    .summary = "List and inspect creators",
    .subcmds = creators_subcmds,
};
