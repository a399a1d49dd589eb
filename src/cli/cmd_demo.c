/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_demo.c - `crest demo`: a realistic workspace to try crest on. */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/date.h"

typedef struct {
    int enabled;
    double last;
} demo_progress;

static void demo_tick(int done, int total, void *payload)
{
    demo_progress *p = payload;
    double now;

    if (!p->enabled)
        return;
    now = cli_now_seconds();
    if (now - p->last < 0.1 && done < total)
        return;
    p->last = now;
    fprintf(stderr, "\rgenerating demo workspace: %d/%d creators ", done, total);
    if (done >= total)
        fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

/* The demo workspace's account for `crest serve`. Its password is printed on purpose: the
 * demo is for trying crest on loopback; real accounts come from `crest user add`. Created
 * once, so a second `crest demo` changes nothing. */
#define DEMO_ADMIN_EMAIL    "admin@demo.example"
#define DEMO_ADMIN_PASSWORD "crest-demo-admin"

static cr_err demo_user_seen(const cr_user *u, void *payload)
{
    (void)u;
    (void)payload;
    return CR_OK;
}

static cr_err demo_admin(cr_store *st)
{
    char hash[crypto_pwhash_STRBYTES];
    cr_user u;
    cr_err rc = cr_store_user_find(st, DEMO_ADMIN_EMAIL, demo_user_seen, NULL);

    if (rc != CR_ENOTFOUND)
        return rc;
    cr_error_clear();
    if (crypto_pwhash_str(hash, DEMO_ADMIN_PASSWORD, strlen(DEMO_ADMIN_PASSWORD),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return cr_error_set(CR_ENOMEM, CR_ERRCLASS_CLI, "hashing the password ran out of memory");
    memset(&u, 0, sizeof(u));
    u.email = DEMO_ADMIN_EMAIL;
    u.role = "admin";
    u.password_hash = hash;
    return cr_store_user_upsert(NULL, st, &u);
}

/* The planted bought-follower spikes, for --json: the ground truth of `crest vet`. */
static void demo_spike(const char *platform,
                       const char *handle,
                       int64_t date,
                       int64_t before,
                       int64_t after,
                       void *payload)
{
    char day[16];

    json_array_append_new(payload,
                          json_pack("{s:s,s:s,s:s,s:I,s:I}", "platform", platform, "handle", handle,
                                    "date", cr_fmt_date(day, sizeof(day), date), "followers_before",
                                    (json_int_t)before, "followers_after", (json_int_t)after));
}

static int demo_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "seed", required_argument, NULL, 's' },
        { "creators", required_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    cr_demo_options opts = CR_DEMO_OPTIONS_INIT;
    cr_demo_summary sum;
    demo_progress prog = { 0, 0 };
    int64_t v;
    int c, code;
    double t0, secs;
    char db[300];
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            if ((code = cli_parse_count(ctx, "--seed", optarg, &v)))
                return code;
            opts.seed = (uint64_t)v;
            break;
        case 'c':
            if ((code = cli_parse_count(ctx, "--creators", optarg, &v)))
                return code;
            if (v < 10 || v > 100000)
                return cli_usage(ctx, "--creators: expected 10 to 100000, found %lld",
                                 (long long)v);
            opts.creators = (int)v;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_store_open(&ctx->store, ctx->db_url)) < 0)
        return cli_fail(ctx, rc);
    prog.enabled = !ctx->quiet && !ctx->json && isatty(2);
    opts.progress = demo_tick;
    opts.progress_payload = &prog;
    if (ctx->json) {
        opts.spike = demo_spike;
        if ((opts.spike_payload = json_array()) == NULL)
            return cli_fail(ctx, cr_error_oom());
    }
    t0 = cli_now_seconds();
    if ((rc = cr_demo_generate(&sum, ctx->store, &opts)) < 0 || (rc = demo_admin(ctx->store)) < 0) {
        json_decref(opts.spike_payload);
        return cli_fail(ctx, rc);
    }
    secs = cli_now_seconds() - t0;
    if (ctx->json)
        return cli_print_json(json_pack(
            "{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I},s:f,"
            "s:I,s:I,s:I,s:I,s:{s:s,s:s},s:o}",
            "db", ctx->db_url, "creators", (json_int_t)sum.creators, "snapshots",
            (json_int_t)sum.snapshots, "posts", (json_int_t)sum.posts, "metrics",
            (json_int_t)sum.metrics, "comments", (json_int_t)sum.comments, "campaigns",
            (json_int_t)sum.campaigns, "kpis", (json_int_t)sum.kpis, "partnerships",
            (json_int_t)sum.partnerships, "spiked_creators", (json_int_t)sum.spiked_creators,
            "by_platform", "instagram", (json_int_t)sum.by_platform[0], "tiktok",
            (json_int_t)sum.by_platform[1], "youtube", (json_int_t)sum.by_platform[2], "by_tier",
            "nano", (json_int_t)sum.by_tier[0], "micro", (json_int_t)sum.by_tier[1], "mid",
            (json_int_t)sum.by_tier[2], "macro", (json_int_t)sum.by_tier[3], "mega",
            (json_int_t)sum.by_tier[4], "seconds", secs, "web_sessions",
            (json_int_t)sum.web_sessions, "leads", (json_int_t)sum.leads, "orders",
            (json_int_t)sum.orders, "mentions", (json_int_t)sum.mentions, "demo_admin", "email",
            DEMO_ADMIN_EMAIL, "password", DEMO_ADMIN_PASSWORD, "spikes", opts.spike_payload));
    printf("demo workspace in %s (%.1f s):\n", ctx->db_url, secs);
    printf("  %lld creators: %lld Instagram, %lld TikTok, %lld YouTube\n", (long long)sum.creators,
           (long long)sum.by_platform[0], (long long)sum.by_platform[1],
           (long long)sum.by_platform[2]);
    printf("    tiers: %lld nano, %lld micro, %lld mid, %lld macro, %lld mega; "
           "%lld with a bought-follower spike\n",
           (long long)sum.by_tier[0], (long long)sum.by_tier[1], (long long)sum.by_tier[2],
           (long long)sum.by_tier[3], (long long)sum.by_tier[4], (long long)sum.spiked_creators);
    printf("  %lld follower snapshots, %lld posts, %lld metric snapshots, %lld comments\n",
           (long long)sum.snapshots, (long long)sum.posts, (long long)sum.metrics,
           (long long)sum.comments);
    printf("  %lld campaigns (one per goal type) with %lld KPIs and %lld partnerships\n",
           (long long)sum.campaigns, (long long)sum.kpis, (long long)sum.partnerships);
    printf("  through their links and codes: %lld daily web-session rows, %lld leads, %lld "
           "orders; %lld daily mention counts\n",
           (long long)sum.web_sessions, (long long)sum.leads, (long long)sum.orders,
           (long long)sum.mentions);
    if (sum.review_cycles)
        printf("  %lld partner review cycles with %lld brand reviews (crest review cycles)\n",
               (long long)sum.review_cycles, (long long)sum.brand_reviews);
    /* the hints name --db only when it is not the default store */
    snprintf(db, sizeof(db), "%s%s", strcmp(ctx->db_url, CLI_DEFAULT_DB) ? " --db " : "",
             strcmp(ctx->db_url, CLI_DEFAULT_DB) ? ctx->db_url : "");
    printf("\nTry next:\n"
           "  crest creators list%s\n"
           "  crest creators list --platform tiktok --min-followers 100K%s\n"
           "  crest posts list --limit 10%s\n"
           "  crest campaign list%s\n"
           "  crest campaign progress 1%s\n"
           "  crest goal check 1%s\n"
           "  crest serve%s      then open http://127.0.0.1:8080 and log in as\n"
           "                     %s / %s (a demo account)\n",
           db, db, db, db, db, db, db, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_demo = {
    .name = "demo",
    .summary = "Create a demo workspace with realistic generated data",
    .usage = "crest demo [--db URL] [--seed N] [--creators N] [--json]",
    .help = "Generates creators on Instagram, TikTok and YouTube from nano to mega tiers (some\n"
            "with bought-follower spikes), 90 days of follower snapshots, posts with metric\n"
            "snapshots, comments, and one campaign per goal type. The same seed gives the same\n"
            "workspace, and running it again changes nothing. With --json, \"spikes\" lists the\n"
            "creators given bought followers, with the day and the counts before and after (what\n"
            "crest vet should find; docs/vetting.md).\n"
            "Options:\n"
            "  --seed N       generator seed (default 20260701)\n"
            "  --creators N   how many creators (default 320)\n",
    .run = demo_run,
};
