/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_vet.c - `crest vet followers @handle FILE`: classify a sample of a creator's followers
 * with the shipped fake-follower model and report the fake share corrected for the
 * classifier's sensitivity and specificity (Rogan-Gladen, 95% delta-method interval) and the
 * audience types. The creator must be in the store; the sample is read, never stored. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"

static double share(size_t k, size_t n)
{
    return n ? (double)k / (double)n : 0;
}

static int vet_followers(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "model", required_argument, NULL, 'm' },
                                              { NULL, 0, NULL, 0 } };
    const char *model_path = NULL;
    cr_follower_audit a;
    cr_model *m = NULL;
    char *text = NULL;
    int64_t id;
    size_t len;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'm')
            model_path = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 2, "@handle and FILE")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&id, ctx, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if (model_path) {
        if ((rc = cli_read_doc(&text, &len, model_path)) >= 0)
            rc = cr_model_parse(&m, text, len, model_path);
        cr_free(text);
    } else {
        rc = cr_model_builtin(&m, CR_MODEL_FOLLOWERS);
    }
    if (rc >= 0)
        rc = cr_model_followers_classify(&a, m, argv[optind + 1]);
    cr_model_free(m);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack(
            "{s:I,s:s,s:s,s:I,s:I,s:f,s:{s:f,s:f,s:f,s:s},s:{s:f,s:f,s:f},"
            "s:{s:I,s:I,s:I,s:I},s:{s:f,s:f,s:f,s:f}}",
            "creator_id", (json_int_t)id, "handle", argv[optind], "file", argv[optind + 1],
            "sample", (json_int_t)a.n, "flagged", (json_int_t)a.flagged, "observed_share",
            a.observed, "fake_share", "estimate", a.fake_share, "low", a.low, "high", a.high,
            "method", "Rogan-Gladen, 95% delta-method interval with Se/Sp uncertainty",
            "classifier", "threshold", a.threshold, "sensitivity", a.sensitivity, "specificity",
            a.specificity, "audience", "real", (json_int_t)a.real, "mass_followers",
            (json_int_t)a.mass_followers, "influencers", (json_int_t)a.influencers, "suspicious",
            (json_int_t)a.suspicious, "audience_share", "real", share(a.real, a.n),
            "mass_followers", share(a.mass_followers, a.n), "influencers",
            share(a.influencers, a.n), "suspicious", share(a.suspicious, a.n)));
    printf("Followers of %s: a sample of %zu profiles (%s)\n\n", argv[optind], a.n,
           argv[optind + 1]);
    printf("classified fake   %zu of %zu (%.1f%%)\n", a.flagged, a.n, a.observed * 100);
    printf("fake share        %.1f%%  (95%% interval %.1f%% to %.1f%%)\n", a.fake_share * 100,
           a.low * 100, a.high * 100);
    printf("  corrected for the classifier's sensitivity %.1f%% and specificity %.1f%%\n"
           "  (Rogan-Gladen; delta-method interval; score cut-off %.4f)\n\n",
           a.sensitivity * 100, a.specificity * 100, a.threshold);
    printf("audience types\n");
    printf("  real            %5zu  %5.1f%%\n", a.real, share(a.real, a.n) * 100);
    printf("  mass followers  %5zu  %5.1f%%  (following > 1,500)\n", a.mass_followers,
           share(a.mass_followers, a.n) * 100);
    printf("  influencers     %5zu  %5.1f%%  (followers > 5,000, following < 1,500)\n",
           a.influencers, share(a.influencers, a.n) * 100);
    printf("  suspicious      %5zu  %5.1f%%  (classified fake)\n", a.suspicious,
           share(a.suspicious, a.n) * 100);
    return CLI_EXIT_OK;
}

static const cli_cmd vet_followers_cmd = {
    .name = "followers",
    .summary = "Fake-follower share of a creator from a sample of follower profiles",
    .usage = "crest vet followers @handle FILE [--model JSON] [--json]",
    .help = "FILE is a CSV of follower profiles with the columns username, posts, followers,\n"
            "following, has_profile_picture, private (TRUE/FALSE); the SRF data set's column\n"
            "names (Number.of.posts, ...) are accepted too. Each profile is classified by the\n"
            "shipped logistic model (docs/models.md); the fake share is corrected for the\n"
            "classifier's cross-validated sensitivity and specificity (Rogan-Gladen) with a 95%\n"
            "interval. Audience types: suspicious (classified fake), mass followers (following\n"
            "> 1,500), influencers (followers > 5,000), real (the rest).\n\n"
            "Options:\n"
            "  --model JSON   use this followers model instead of the shipped one\n",
    .run = vet_followers,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const vet_subcmds[] = { &vet_followers_cmd, NULL };

const cli_cmd cmd_vet = {
    .name = "vet",
    .summary = "Vet creators: fake-follower share with its interval and reasons",
    .subcmds = vet_subcmds,
};
