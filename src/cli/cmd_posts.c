/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_posts.c - `crest posts list`: posts newest first, with their latest metrics. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"
#include "json/shape.h"

typedef struct {
    json_t *arr;
    int64_t n, limit;
} posts_state;

static int64_t engagements(const cr_metric *m)
{
    int64_t e = 0;

    e += m->likes > 0 ? m->likes : 0;
    e += m->comments > 0 ? m->comments : 0;
    e += m->shares > 0 ? m->shares : 0;
    e += m->saves > 0 ? m->saves : 0;
    return e;
}

static cr_err post_row(const cr_post_row *r, void *payload)
{
    posts_state *ps = payload;
    char when[32], cap[32], f1[16], f2[16], f3[16], f4[16];
    const cr_metric *m = &r->metric;
    int has = m->post_id != 0;

    ps->n++;
    if (ps->limit > 0 && ps->n > ps->limit)
        return CR_ITEROVER;
    if (ps->arr) {
        json_t *j = cr_json_post_row(r);
        if (j == NULL || json_array_append_new(ps->arr, j) < 0)
            return cr_error_oom();
        return CR_OK;
    }
    cr_fmt_date(when, sizeof(when), r->post.posted_at);
    if (has && m->reach > 0)
        snprintf(cap, sizeof(cap), "%.2f%%", 100.0 * (double)engagements(m) / (double)m->reach);
    else
        snprintf(cap, sizeof(cap), "-");
    printf("%-10s %-9s %-22.22s %-16.16s %-9.9s %8s %8s %8s %8s %7s\n", when, r->post.platform,
           r->handle, r->post.external_id, r->post.format ? r->post.format : "",
           has ? cr_fmt_compact(f1, sizeof(f1), m->impressions) : "-",
           has ? cr_fmt_compact(f2, sizeof(f2), m->reach) : "-",
           has ? cr_fmt_compact(f3, sizeof(f3), m->likes) : "-",
           has ? cr_fmt_compact(f4, sizeof(f4), m->comments) : "-", cap);
    return CR_OK;
}

static int parse_day(cli_ctx *ctx, const char *opt, const char *val, int64_t *out)
{
    const char *why;

    if (cr_parse_date(out, val, strlen(val), &why) < 0)
        return cli_usage(ctx, "%s: expected a date as YYYY-MM-DD, found '%s'", opt, val);
    return CLI_EXIT_OK;
}

static int posts_list(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "creator", required_argument, NULL, 'c' },
        { "platform", required_argument, NULL, 'p' },
        { "since", required_argument, NULL, 's' },
        { "until", required_argument, NULL, 'u' },
        { "limit", required_argument, NULL, 'l' },
        { "offset", required_argument, NULL, 'O' },
        { NULL, 0, NULL, 0 },
    };
    cr_post_filter f;
    posts_state ps;
    const char *creator = NULL;
    int c, code, limit_set = 0;
    cr_err rc;

    memset(&f, 0, sizeof(f));
    memset(&ps, 0, sizeof(ps));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            creator = optarg;
            break;
        case 'p':
            if ((f.platform = cr_platform_canonical(optarg, strlen(optarg))) == NULL)
                return cli_usage(ctx, "--platform: expected one of %s, found '%s'",
                                 cr_platform_list(), optarg);
            break;
        case 's':
            if ((code = parse_day(ctx, "--since", optarg, &f.since)))
                return code;
            break;
        case 'u':
            if ((code = parse_day(ctx, "--until", optarg, &f.until)))
                return code;
            f.until += 86400; /* inclusive day */
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
    if (creator && (rc = cli_creator_ref(&f.creator_id, ctx, creator)) < 0)
        return cli_fail(ctx, rc);
    if (!limit_set)
        f.limit = 50;
    ps.limit = f.limit;
    if (f.limit > 0)
        f.limit++;
    if (ctx->json && (ps.arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%-10s %-9s %-22s %-16s %-9s %8s %8s %8s %8s %7s\n", "POSTED", "PLATFORM", "HANDLE",
               "POST_ID", "FORMAT", "IMPR", "REACH", "LIKES", "COMMENTS", "ER");
    rc = cr_store_post_list(ctx->store, &f, post_row, &ps);
    if (rc < 0 && rc != CR_ITEROVER) {
        json_decref(ps.arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(ps.arr);
    if (ps.limit > 0 && ps.n > ps.limit && !ctx->quiet)
        fprintf(stderr, "(showing the newest %lld; --limit 0 lists all)\n", (long long)ps.limit);
    return CLI_EXIT_OK;
}

static const cli_cmd posts_list_cmd = {
    .name = "list",
    .summary = "List posts, newest first, with their latest metrics",
    .usage = "crest posts list [--creator REF] [--platform P] [--since DATE] [--until DATE]\n"
             "                 [--limit N] [--offset N] [--json]",
    .help = "Options:\n"
            "  --creator REF   id, platform/handle or @handle\n"
            "  --since DATE    posted on or after (YYYY-MM-DD); --until DATE: on or before\n"
            "  --limit N       rows (default 50; 0 = all)\n"
            "ER is (likes + comments + shares + saves) / reach of the latest metrics.\n",
    .run = posts_list,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const posts_subcmds[] = { &posts_list_cmd, NULL };

const cli_cmd cmd_posts = {
    .name = "posts",
    .summary = "List posts and their metrics",
    .subcmds = posts_subcmds,
};
