/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_review_packet.c - `crest review kickoff CREATOR` (the kickoff pack of a partnership),
 * `crest review packet CYCLE CREATOR` (the partner review packet), both printable HTML to
 * stdout or --out FILE, and `crest review rotation CYCLE` (the next cycle's lead and the
 * assignments that keep the calibration graph connected). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/review.h"

static int write_html(cli_ctx *ctx, char *html, const char *path, const char *what)
{
    FILE *f;
    int code = CLI_EXIT_OK;

    if (path == NULL) {
        fputs(html, stdout);
    } else if ((f = fopen(path, "w")) == NULL || fputs(html, f) < 0 || fclose(f) != 0) {
        code = cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot write", path));
    } else if (ctx->json) {
        code = cli_print_json(
            json_pack("{s:s,s:s,s:I}", "wrote", what, "file", path, (json_int_t)strlen(html)));
    } else {
        printf("wrote the %s to %s\n", what, path);
    }
    cr_review_text_free(html);
    return code;
}

static int html_cmd(cli_ctx *ctx, int argc, char **argv, int packet)
{
    static const struct option longopts[] = { { "out", required_argument, NULL, 'o' },
                                              { "rubric", required_argument, NULL, 'r' },
                                              { NULL, 0, NULL, 0 } };
    const char *out = NULL, *rubric = NULL;
    char *html = NULL;
    int64_t creator;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'r' && !packet)
            rubric = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, packet ? 2 : 1,
                              packet ? "CYCLE and CREATOR" : "CREATOR")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&creator, ctx, argv[optind + packet])) < 0)
        return cli_fail(ctx, rc);
    rc = packet ? cr_review_packet_html(&html, ctx->store, argv[optind], creator)
                : cr_review_kickoff_html(&html, ctx->store, creator, rubric);
    if (rc < 0)
        return cli_fail(ctx, rc);
    return write_html(ctx, html, out, packet ? "review packet" : "kickoff pack");
}

static int review_kickoff(cli_ctx *ctx, int argc, char **argv)
{
    return html_cmd(ctx, argc, argv, 0);
}

static int review_packet(cli_ctx *ctx, int argc, char **argv)
{
    return html_cmd(ctx, argc, argv, 1);
}

const cli_cmd cmd_review_kickoff = {
    .name = "kickoff",
    .summary = "The kickoff pack of a partnership (printable HTML)",
    .usage = "crest review kickoff CREATOR [--rubric NAME] [--out FILE] [--json]",
    .help = "The criteria with every level's anchor, the KPIs with their targets and the\n"
            "partner's recent figures as benchmarks, the review cadence and the\n"
            "self-assessment template: expectations written down before the first review.\n"
            "HTML on stdout, or --out FILE (--json then reports the file).\n",
    .run = review_kickoff,
    .flags = CLI_F_NEEDS_STORE,
};

const cli_cmd cmd_review_packet = {
    .name = "packet",
    .summary = "The partner review packet of a cycle (printable HTML, plain words)",
    .usage = "crest review packet CYCLE CREATOR [--out FILE] [--json]",
    .help = "What went well, where to grow together (with the next level's anchor), the\n"
            "scores against the previous cycle, the figures with their trends, example posts\n"
            "and the growth plan, describing the work rather than the person.\n",
    .run = review_packet,
    .flags = CLI_F_NEEDS_STORE,
};

static int review_rotation(cli_ctx *ctx, int argc, char **argv)
{
    json_error_t err;
    char *text = NULL;
    json_t *j, *a;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 1, "CYCLE")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_review_rotation_json(&text, ctx->store, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = json_loads(text, 0, &err);
    cr_review_text_free(text);
    if (j == NULL)
        return CLI_EXIT_FAILURE;
    printf("Cycle %s: lead %s; next lead %s\n", json_string_value(json_object_get(j, "cycle")),
           json_is_string(json_object_get(j, "lead"))
               ? json_string_value(json_object_get(j, "lead"))
               : "(none)",
           json_is_string(json_object_get(j, "next_lead"))
               ? json_string_value(json_object_get(j, "next_lead"))
               : "(no reviewers)");
    if (json_is_true(json_object_get(j, "connected")))
        printf("the reviewer x partner graph is connected: no extra assignment needed\n");
    else
        printf("the reviewer x partner graph has %lld parts; these assignments connect it:\n",
               (long long)json_integer_value(json_object_get(j, "components")));
    json_array_foreach(json_object_get(j, "assignments"), i, a)
        printf("  %s also reviews %s\n", json_string_value(json_object_get(a, "reviewer")),
               json_string_value(json_object_get(a, "partner")));
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_rotation = {
    .name = "rotation",
    .summary = "The next cycle's review lead and the assignments that connect the design",
    .usage = "crest review rotation CYCLE [--json]",
    .help = "The lead passes to the next of the cycle's reviewers (in order). When the\n"
            "reviewer x partner graph falls apart in groups that share no partner, the\n"
            "calibration engine's rotation lists the extra reviews that connect it, so that\n"
            "severities can be compared (docs/calibration.md).\n",
    .run = review_rotation,
    .flags = CLI_F_NEEDS_STORE,
};
