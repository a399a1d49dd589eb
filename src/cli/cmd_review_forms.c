/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_review_forms.c - the forms of partner reviews from files (YAML or JSON, so that people
 * and scripts fill them alike; formats in docs/reviews.md): `crest review rubric
 * show|list|add`, `crest review start FILE` (a cycle), `crest review submit FILE` (a brand
 * review, final once submitted), `crest review self FILE` and `crest review feedback FILE`
 * (the creator's voice), `crest review release CYCLE [PARTNER]`, `crest review plan FILE`,
 * `crest review milestone ID --status S`, `crest review note FILE` and `crest review search
 * WORDS`. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/review.h"
#include "util/alloc.h"
#include "util/date.h"

int cli_review_positional(cli_ctx *ctx, int argc, char **argv, int want, const char *what)
{
    static const struct option none[] = { { NULL, 0, NULL, 0 } };

    optind = 0;
    opterr = 0;
    if (getopt_long(argc, argv, "", none, NULL) != -1)
        return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    return cli_want_args(ctx, argc - optind, argv + optind, want, what);
}

int cli_review_print(char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);

    cr_review_text_free(text);
    return cli_print_json(j);
}

int cli_review_date(cli_ctx *ctx, const char *opt, const char *val, int64_t *out)
{
    const char *why = NULL;

    if (cr_parse_date(out, val, strlen(val), &why) < 0)
        return cli_usage(ctx, "%s: expected a date (YYYY-MM-DD), found '%s'", opt, val);
    return CLI_EXIT_OK;
}

/* ---- rubrics ------------------------------------------------------------------------------ */

static void print_rubric(const json_t *r)
{
    json_t *c, *a;
    size_t i, k;

    printf("Rubric %s, version %lld (%s)\n", json_string_value(json_object_get(r, "name")),
           (long long)json_integer_value(json_object_get(r, "version")),
           json_string_value(json_object_get(r, "origin")));
    json_array_foreach(json_object_get(r, "criteria"), i, c)
    {
        printf("\n%s (%s; dimension %s)\n", json_string_value(json_object_get(c, "name")),
               json_string_value(json_object_get(c, "code")),
               json_string_value(json_object_get(c, "dimension")));
        json_array_foreach(json_object_get(c, "anchors"), k, a)
            printf("  %zu  %s\n", k + 1, json_string_value(a));
    }
    printf("\nScores of 2 or below need written evidence (a note, ideally with post ids).\n");
}

static int rubric_show(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "version", required_argument, NULL, 'v' },
                                              { NULL, 0, NULL, 0 } };
    int64_t version = 0;
    json_error_t err;
    char *text = NULL;
    json_t *j;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'v')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if ((code = cli_parse_count(ctx, "--version", optarg, &version)) != CLI_EXIT_OK)
            return code;
    }
    if (argc - optind > 1)
        return cli_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
    if ((rc = cr_review_rubric_json(&text, ctx->store, optind < argc ? argv[optind] : "default",
                                    (int)version)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = json_loads(text, 0, &err);
    cr_review_text_free(text);
    if (j == NULL)
        return CLI_EXIT_FAILURE;
    print_rubric(j);
    json_decref(j);
    return CLI_EXIT_OK;
}

static int rubric_list(cli_ctx *ctx, int argc, char **argv)
{
    json_error_t err;
    char *text = NULL;
    json_t *j, *r;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 0, "")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_review_rubric_list_json(&text, ctx->store)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = json_loads(text, 0, &err);
    cr_review_text_free(text);
    printf("%-20s %7s  %-9s %s\n", "NAME", "VERSION", "ORIGIN", "CRITERIA");
    json_array_foreach(j, i, r)
        printf("%-20s %7lld  %-9s %zu\n", json_string_value(json_object_get(r, "name")),
               (long long)json_integer_value(json_object_get(r, "version")),
               json_string_value(json_object_get(r, "origin")),
               json_array_size(json_object_get(r, "criteria")));
    json_decref(j);
    return CLI_EXIT_OK;
}

static int rubric_add(cli_ctx *ctx, int argc, char **argv)
{
    char *text = NULL;
    size_t len;
    int version = 0, code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 1, "FILE")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_read_doc(&text, &len, argv[optind])) == CR_OK)
        rc = cr_review_rubric_add(&version, ctx->store, text, len, argv[optind]);
    cr_free(text);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:i}", "file", argv[optind], "version", version));
    printf("stored %s as version %d\n", argv[optind], version);
    return CLI_EXIT_OK;
}

static const cli_cmd rubric_show_cmd = {
    .name = "show",
    .summary = "A rubric's criteria with the anchor of every level",
    .usage = "crest review rubric show [NAME] [--version N] [--json]",
    .help =
        "NAME defaults to the built-in rubric 'default'; --version 0 (default) is the latest.\n",
    .run = rubric_show,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd rubric_list_cmd = {
    .name = "list",
    .summary = "Every rubric version, built in and stored",
    .usage = "crest review rubric list [--json]",
    .run = rubric_list,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd rubric_add_cmd = {
    .name = "add",
    .summary = "Store a rubric (YAML or JSON) as the next version of its name",
    .usage = "crest review rubric add FILE [--json]",
    .help = "FILE: name, criteria (code, name, dimension, anchors: five texts for levels 1-5).\n"
            "Cycles keep the version they started with. Format: docs/reviews.md.\n",
    .run = rubric_add,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd *const rubric_subcmds[] = { &rubric_show_cmd, &rubric_list_cmd,
                                                 &rubric_add_cmd, NULL };
const cli_cmd cmd_review_rubric = {
    .name = "rubric",
    .summary = "Review rubrics: criteria with anchored 1-5 scales, versioned",
    .subcmds = rubric_subcmds,
};

/* ---- forms -------------------------------------------------------------------------------- */

typedef enum { FORM_START, FORM_SUBMIT, FORM_SELF, FORM_FEEDBACK, FORM_PLAN, FORM_NOTE } form_kind;

static int run_form(cli_ctx *ctx, int argc, char **argv, form_kind kind)
{
    static const char *const what[] = { "cycle",    "review", "self_assessment",
                                        "feedback", "plan",   "note" };
    char *text = NULL;
    int64_t id = 0;
    size_t len;
    int code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 1, "FILE")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_read_doc(&text, &len, argv[optind])) == CR_OK) {
        switch (kind) {
        case FORM_START:
            rc = cr_review_cycle_start(&id, ctx->store, text, len, argv[optind]);
            break;
        case FORM_SUBMIT:
            rc = cr_review_submit(&id, ctx->store, text, len, argv[optind], NULL);
            break;
        case FORM_SELF:
            rc = cr_review_self(ctx->store, text, len, argv[optind], 0);
            break;
        case FORM_FEEDBACK:
            rc = cr_review_feedback(ctx->store, text, len, argv[optind], 0);
            break;
        case FORM_PLAN:
            rc = cr_review_plan_add(&id, ctx->store, text, len, argv[optind]);
            break;
        default:
            rc = cr_review_note_add(&id, ctx->store, text, len, argv[optind]);
            break;
        }
    }
    cr_free(text);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            id ? json_pack("{s:s,s:s,s:I}", "stored", what[kind], "file", argv[optind], "id",
                           (json_int_t)id)
               : json_pack("{s:s,s:s}", "stored", what[kind], "file", argv[optind]));
    if (id)
        printf("stored %s %lld from %s\n", what[kind], (long long)id, argv[optind]);
    else
        printf("stored %s from %s\n", what[kind], argv[optind]);
    return CLI_EXIT_OK;
}

static int review_start(cli_ctx *ctx, int argc, char **argv)
{
    return run_form(ctx, argc, argv, FORM_START);
}

static int review_submit(cli_ctx *ctx, int argc, char **argv)
{
    return run_form(ctx, argc, argv, FORM_SUBMIT);
}

static int review_self(cli_ctx *ctx, int argc, char **argv)
{
    return run_form(ctx, argc, argv, FORM_SELF);
}

static int review_feedback(cli_ctx *ctx, int argc, char **argv)
{
    return run_form(ctx, argc, argv, FORM_FEEDBACK);
}

static int review_plan(cli_ctx *ctx, int argc, char **argv)
{
    return run_form(ctx, argc, argv, FORM_PLAN);
}

static int review_note(cli_ctx *ctx, int argc, char **argv)
{
    return run_form(ctx, argc, argv, FORM_NOTE);
}

const cli_cmd cmd_review_start = {
    .name = "start",
    .summary = "Start a review cycle from a file (name, kind, period, rubric, partners)",
    .usage = "crest review start FILE [--json]",
    .help = "FILE (YAML or JSON): name, kind (quarterly|monthly|midcycle|debrief), period\n"
            "(2026-Q3, 2026-07) or start/end dates, rubric and rubric_version (default: the\n"
            "latest 'default'), lead (the review lead's email), campaign (debriefs), partners\n"
            "(a list of platform/handle). Format: docs/reviews.md.\n",
    .run = review_start,
    .flags = CLI_F_NEEDS_STORE,
};
const cli_cmd cmd_review_submit = {
    .name = "submit",
    .summary = "Submit a brand review (final once submitted)",
    .usage = "crest review submit FILE [--json]",
    .help = "FILE: cycle, partner, reviewer, scores (criterion: 1-5, or {score, evidence,\n"
            "posts: [post ids]}), summary, potential (1-3, for the nine-box). Every criterion of\n"
            "the cycle's rubric needs a score; a score of 2 or below needs evidence text.\n",
    .run = review_submit,
    .flags = CLI_F_NEEDS_STORE,
};
const cli_cmd cmd_review_self = {
    .name = "self",
    .summary = "Store a creator's self-assessment (strengths, growth areas, plan)",
    .usage = "crest review self FILE [--json]",
    .help = "FILE: cycle, partner, strengths, growth_areas, plan (the proposed development\n"
            "plan). It may change until the cycle's reviews of the partner are released.\n",
    .run = review_self,
    .flags = CLI_F_NEEDS_STORE,
};
const cli_cmd cmd_review_feedback = {
    .name = "feedback",
    .summary = "Store a creator's reciprocal feedback on the brand",
    .usage = "crest review feedback FILE [--json]",
    .help = "FILE: cycle, partner, brief_clarity, feedback_timeliness, payment_punctuality,\n"
            "creative_freedom (each 1-5), comment.\n",
    .run = review_feedback,
    .flags = CLI_F_NEEDS_STORE,
};
const cli_cmd cmd_review_plan = {
    .name = "plan",
    .summary = "Store a growth plan with milestones (and incentives)",
    .usage = "crest review plan FILE [--json]",
    .help = "FILE: partner, title, cycle and reviewer (the review that created the plan),\n"
            "milestones: metric, target, due (date), owner (creator|brand), incentive\n"
            "({amount: minor units, currency, reward} or a text), due when the milestone is met.\n",
    .run = review_plan,
    .flags = CLI_F_NEEDS_STORE,
};
const cli_cmd cmd_review_note = {
    .name = "note",
    .summary = "Store a debrief note or playbook entry (searchable)",
    .usage = "crest review note FILE [--json]",
    .help = "FILE: kind (debrief|playbook), title, body, partner, campaign, posts (post ids:\n"
            "what worked). crest review search finds them.\n",
    .run = review_note,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- release, milestones, search ---------------------------------------------------------- */

static int review_release(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "by", required_argument, NULL, 'b' },
                                              { NULL, 0, NULL, 0 } };
    const char *by = "crest review release";
    int64_t creator = 0;
    size_t n = 0;
    int c;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'b')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        by = optarg;
    }
    if (argc - optind < 1)
        return cli_usage(ctx, "missing CYCLE");
    if (argc - optind > 2)
        return cli_usage(ctx, "unexpected argument '%s'", argv[optind + 2]);
    if (argc - optind == 2 && (rc = cli_creator_ref(&creator, ctx, argv[optind + 1])) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_review_release(&n, ctx->store, argv[optind], creator, by)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:s,s:I}", "cycle", argv[optind], "released", (json_int_t)n));
    printf("released the reviews of %zu partner%s of cycle %s to the creators\n", n,
           n == 1 ? "" : "s", argv[optind]);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_release = {
    .name = "release",
    .summary = "Release a cycle's brand reviews to the creators (all partners or one)",
    .usage = "crest review release CYCLE [PARTNER] [--by NAME] [--json]",
    .help = "Before release a creator sees none of the brand's reviews; after it, the reviews\n"
            "of his own partnership, without the reviewers' names. Self-assessments and\n"
            "feedback are final from then on.\n",
    .run = review_release,
    .flags = CLI_F_NEEDS_STORE,
};

static int review_milestone(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "status", required_argument, NULL, 's' },
                                              { "actual", required_argument, NULL, 'a' },
                                              { "date", required_argument, NULL, 'd' },
                                              { NULL, 0, NULL, 0 } };
    const char *status = NULL;
    double actual = NAN;
    int64_t id, when = cr_now();
    char *end;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 's') {
            status = optarg;
        } else if (c == 'a') {
            actual = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !isfinite(actual))
                return cli_usage(ctx, "--actual: expected a number, found '%s'", optarg);
        } else if (c == 'd') {
            if ((code = cli_review_date(ctx, "--date", optarg, &when)) != CLI_EXIT_OK)
                return code;
        } else {
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "milestone ID")) != CLI_EXIT_OK)
        return code;
    id = strtoll(argv[optind], &end, 10);
    if (*end != '\0' || id <= 0)
        return cli_usage(ctx, "expected a milestone id, found '%s'", argv[optind]);
    if (status == NULL)
        return cli_usage(ctx, "missing --status met|missed|open");
    if ((rc = cr_review_milestone_set(ctx->store, id, status, actual, when)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:I,s:s}", "milestone", (json_int_t)id, "status", status));
    printf("milestone %lld is %s\n", (long long)id, status);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_milestone = {
    .name = "milestone",
    .summary = "Mark a growth-plan milestone met, missed or open",
    .usage = "crest review milestone ID --status met|missed|open [--actual X] [--date D] [--json]",
    .help = "A met milestone with an incentive makes the incentive due (crest review scorecard\n"
            "lists incentives due).\n",
    .run = review_milestone,
    .flags = CLI_F_NEEDS_STORE,
};

static int review_search(cli_ctx *ctx, int argc, char **argv)
{
    json_error_t err;
    char *text = NULL;
    json_t *j, *r;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_review_positional(ctx, argc, argv, 1, "WORDS")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_review_note_search_json(&text, ctx->store, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_review_print(text);
    j = json_loads(text, 0, &err);
    cr_review_text_free(text);
    json_array_foreach(j, i, r)
        printf("%lld  %-8s  %s\n", (long long)json_integer_value(json_object_get(r, "id")),
               json_string_value(json_object_get(r, "kind")),
               json_string_value(json_object_get(r, "title")));
    if (json_array_size(j) == 0)
        printf("no debrief note or playbook entry holds '%s'\n", argv[optind]);
    json_decref(j);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_review_search = {
    .name = "search",
    .summary = "Search debrief notes and playbook entries",
    .usage = "crest review search WORDS [--json]",
    .help = "Notes whose title or body hold every word, best match first (FTS5 on SQLite, a\n"
            "tsvector on PostgreSQL).\n",
    .run = review_search,
    .flags = CLI_F_NEEDS_STORE,
};
