/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_tiers.c - `crest tiers list|show|import|use|of`: follower tier schemes (nano, micro,
 * ... cut-offs), built in (data/tiers: IAB UK, Later x Fohr, HypeAuditor's old tiers,
 * Tagger) or imported. Format and sources: docs/media-value.md. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"

static int tiers_list(cli_ctx *ctx, int argc, char **argv)
{
    return cli_doc_list(ctx, argc, argv, cr_tier_scheme_list, "name", "tiers",
                        "crest tiers use NAME");
}

/* "10,000" or "1,000,000+" for the range of tier i */
static void tier_range(char *buf, size_t size, const cr_tier_scheme *s, size_t i)
{
    if (i + 1 < s->ntiers)
        snprintf(buf, size, "%lld - %lld", (long long)s->tiers[i].min_followers,
                 (long long)s->tiers[i + 1].min_followers - 1);
    else
        snprintf(buf, size, "%lld and more", (long long)s->tiers[i].min_followers);
}

static int tiers_show(cli_ctx *ctx, int argc, char **argv)
{
    cr_tier_scheme *s = NULL;
    json_t *j, *tiers;
    char range[64];
    size_t i;
    cr_err err;

    if (argc > 2)
        return cli_usage(ctx, "unexpected argument '%s'", argv[2]);
    if ((err = cr_tier_scheme_load(&s, ctx->store, argc == 2 ? argv[1] : NULL)) < 0)
        return cli_fail(ctx, err);
    if (ctx->json) {
        j = json_pack("{s:s,s:s,s:[]}", "name", s->name, "source", s->source, "tiers");
        tiers = j ? json_object_get(j, "tiers") : NULL;
        for (i = 0; tiers && i < s->ntiers; i++) {
            json_t *t = json_pack("{s:s,s:I}", "name", s->tiers[i].name, "min_followers",
                                  (json_int_t)s->tiers[i].min_followers);
            if (t && i + 1 < s->ntiers)
                json_object_set_new(t, "max_followers",
                                    json_integer(s->tiers[i + 1].min_followers - 1));
            if (json_array_append_new(tiers, t) < 0)
                break;
        }
        cr_tier_scheme_free(s);
        return cli_print_json(j);
    }
    printf("tier scheme %s\n  source  %s\n\n  %-12s %s\n", s->name, s->source, "TIER", "FOLLOWERS");
    for (i = 0; i < s->ntiers; i++) {
        tier_range(range, sizeof(range), s, i);
        printf("  %-12s %s\n", s->tiers[i].name, range);
    }
    if (s->tiers[0].min_followers > 0)
        printf("  (below %lld followers: no tier)\n", (long long)s->tiers[0].min_followers);
    cr_tier_scheme_free(s);
    return CLI_EXIT_OK;
}

static int tiers_import(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "activate", no_argument, NULL, 'a' },
                                              { NULL, 0, NULL, 0 } };
    cr_tier_scheme *s = NULL, *old = NULL;
    char *text = NULL;
    size_t len;
    int c, code = CLI_EXIT_OK, activate = 0, existed;
    cr_err err;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'a')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        activate = 1;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a FILE")) != CLI_EXIT_OK)
        return code;
    if ((err = cli_read_doc(&text, &len, argv[optind])) < 0)
        return cli_fail(ctx, err);
    if ((err = cr_tier_scheme_parse(&s, text, len, argv[optind])) < 0)
        goto done;
    existed = cr_tier_scheme_load(&old, ctx->store, s->name) == CR_OK;
    cr_error_clear();
    if ((err = cr_tier_scheme_save(ctx->store, s, text, activate)) < 0)
        goto done;
    if (ctx->json) {
        code = cli_print_json(json_pack("{s:s,s:I,s:s,s:b}", "name", s->name, "tiers",
                                        (json_int_t)s->ntiers, "status",
                                        existed ? "unchanged" : "stored", "active", activate));
    } else {
        if (existed)
            printf("tier scheme %s is already known with the same tiers: nothing changed\n",
                   s->name);
        else
            printf("tier scheme %s stored (%zu tiers)\n", s->name, s->ntiers);
        if (activate)
            printf("tier scheme %s is now the active one\n", s->name);
    }
done:
    cr_tier_scheme_free(old);
    cr_tier_scheme_free(s);
    cr_free(text);
    return err < 0 ? cli_fail(ctx, err) : code;
}

static int tiers_use(cli_ctx *ctx, int argc, char **argv)
{
    int code;
    cr_err err;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "a NAME")) != CLI_EXIT_OK)
        return code;
    if ((err = cr_tier_scheme_use(ctx->store, argv[1])) < 0)
        return cli_fail(ctx, err);
    if (ctx->json)
        return cli_print_json(json_pack("{s:s}", "active", argv[1]));
    printf("tier scheme %s is now the active one\n", argv[1]);
    return CLI_EXIT_OK;
}

typedef struct {
    cli_ctx *ctx;
    int64_t followers;
    json_t *arr;
} of_ctx;

static cr_err of_row(const cr_track_doc *d, void *payload)
{
    of_ctx *o = payload;
    cr_tier_scheme *s = NULL;
    const char *tier;
    cr_err err;

    if ((err = cr_tier_scheme_load(&s, o->ctx->store, d->name)) < 0)
        return err;
    tier = cr_tier_of(s, o->followers);
    if (o->arr) {
        json_t *j = json_pack("{s:s,s:o,s:b}", "scheme", d->name, "tier",
                              tier ? json_string(tier) : json_null(), "active", d->active != 0);
        if (j == NULL || json_array_append_new(o->arr, j) < 0)
            err = cr_error_oom();
    } else {
        printf("%s %-20s %s\n", d->active ? "*" : " ", d->name, tier ? tier : "(no tier)");
    }
    cr_tier_scheme_free(s);
    return err;
}

static int tiers_of(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "scheme", required_argument, NULL, 's' },
                                              { "all", no_argument, NULL, 'a' },
                                              { NULL, 0, NULL, 0 } };
    const char *scheme = NULL, *tier;
    cr_tier_scheme *s = NULL;
    of_ctx o;
    int c, code, all = 0;
    cr_err err;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 's')
            scheme = optarg;
        else if (c == 'a')
            all = 1;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "FOLLOWERS")) != CLI_EXIT_OK)
        return code;
    memset(&o, 0, sizeof(o));
    o.ctx = ctx;
    if ((code = cli_parse_count(ctx, "FOLLOWERS", argv[optind], &o.followers)) != CLI_EXIT_OK)
        return code;
    if (all) {
        if (ctx->json && (o.arr = json_array()) == NULL)
            return cli_fail(ctx, cr_error_oom());
        if ((err = cr_tier_scheme_list(ctx->store, of_row, &o)) < 0) {
            json_decref(o.arr);
            return cli_fail(ctx, err);
        }
        return o.arr ? cli_print_json(o.arr) : CLI_EXIT_OK;
    }
    if ((err = cr_tier_scheme_load(&s, ctx->store, scheme)) < 0)
        return cli_fail(ctx, err);
    tier = cr_tier_of(s, o.followers);
    if (ctx->json)
        code = cli_print_json(json_pack("{s:I,s:s,s:o}", "followers", (json_int_t)o.followers,
                                        "scheme", s->name, "tier",
                                        tier ? json_string(tier) : json_null()));
    else if (tier)
        printf("%s (%s)\n", tier, s->name);
    else
        printf("no tier: below %lld followers (%s)\n", (long long)s->tiers[0].min_followers,
               s->name);
    cr_tier_scheme_free(s);
    return code;
}

static const cli_cmd tiers_list_cmd = {
    .name = "list",
    .summary = "List the tier schemes: built in and imported",
    .usage = "crest tiers list [--json]",
    .help = "The active scheme (marked *) is used when none is named.\n",
    .run = tiers_list,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd tiers_show_cmd = {
    .name = "show",
    .summary = "Show a scheme's tiers, cut-offs and source",
    .usage = "crest tiers show [NAME] [--json]",
    .help = "Without NAME: the active scheme. A tier starts at its cut-off (inclusive).\n",
    .run = tiers_show,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd tiers_import_cmd = {
    .name = "import",
    .summary = "Store a tier scheme (YAML) under its name",
    .usage = "crest tiers import FILE [--activate] [--json]",
    .help = "Options:\n"
            "  --activate   make it the active scheme\n\n"
            "A stored scheme never changes: different tiers under a known name are refused\n"
            "(exit 1), the same ones again change nothing. Format: docs/media-value.md.\n",
    .run = tiers_import,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd tiers_use_cmd = {
    .name = "use",
    .summary = "Make a tier scheme the active one",
    .usage = "crest tiers use NAME [--json]",
    .run = tiers_use,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd tiers_of_cmd = {
    .name = "of",
    .summary = "The tier of a follower count",
    .usage = "crest tiers of FOLLOWERS [--scheme NAME | --all] [--json]",
    .help = "FOLLOWERS may be written 25000, 25,000 or 25K.\n\n"
            "Options:\n"
            "  --scheme NAME   in this scheme (default: the active one)\n"
            "  --all           in every scheme, side by side\n",
    .run = tiers_of,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const tiers_subcmds[] = { &tiers_list_cmd, &tiers_show_cmd, &tiers_import_cmd,
                                                &tiers_use_cmd,  &tiers_of_cmd,   NULL };

const cli_cmd cmd_tiers = {
    .name = "tiers",
    .summary = "Follower tier schemes (nano, micro, ... cut-offs)",
    .subcmds = tiers_subcmds,
};
