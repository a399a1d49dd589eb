/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_goal.c - `crest goal check FILE|ID` (the SMART check) and `crest goal parse "TEXT"`
 * (a goal sentence into its parts). */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "cli/campaign_out.h"
#include "util/date.h"
#include "json/shape.h"

static int goal_check(cli_ctx *ctx, int argc, char **argv)
{
    cr_campaign_spec *spec = NULL;
    cr_smart_report sr;
    json_t *rules = NULL;
    int code, violations = 0;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "a campaign FILE, ID or name")) !=
        CLI_EXIT_OK)
        return code;
    if (cli_is_file(argv[1]))
        rc = cr_campaign_load_yaml(&spec, argv[1]);
    else
        rc = cli_campaign_ref(&spec, ctx, argv[1]);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        rules = json_array();
    else
        fflush(stdout);
    if ((rc = cli_check_rules(&violations, spec, rules)) < 0 ||
        (rc = cr_smart_check(&sr, ctx->store, spec, 0)) < 0) {
        json_decref(rules);
        cr_campaign_spec_free(spec);
        return cli_fail(ctx, rc);
    }
    if (ctx->json) {
        json_t *j = cr_json_smart(&sr);
        json_object_set_new(j, "campaign", json_string(spec->name));
        json_object_set_new(j, "rules", rules);
        cli_print_json(j);
    } else {
        cli_print_smart(&sr, spec->name);
        if (sr.propose_benchmarking)
            printf("proposal: make this cycle a benchmarking period (benchmarking: true); its "
                   "results become the next cycle's baselines\n");
    }
    cr_campaign_spec_free(spec);
    return sr.overall == CR_VERDICT_FAIL ? cr_err_exit_code(CR_EINVALID) : CLI_EXIT_OK;
}

static int goal_parse(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "year", required_argument, NULL, 'y' },
                                              { NULL, 0, NULL, 0 } };
    cr_goal_statement g;
    char d1[16], d2[16];
    int64_t year = 0;
    int c, code;
    size_t i;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'y')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if ((code = cli_parse_count(ctx, "--year", optarg, &year)) != CLI_EXIT_OK)
            return code;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1,
                              "the goal sentence (quoted)")) != CLI_EXIT_OK)
        return code;
    if (year == 0) {
        int y, m, d;
        cr_civil_from_days(cr_now() / 86400, &y, &m, &d);
        year = y;
    }
    if ((rc = cr_goal_parse(&g, argv[optind], (int)year)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(cr_json_goal_statement(&g));
    printf("goal            %s\n", cr_goal_name(g.goal));
    printf("kpi             %s\n", g.kpi[0] ? g.kpi : "-");
    printf("direction       %s\n", g.direction > 0   ? "increase"
                                   : g.direction < 0 ? "decrease"
                                                     : "-");
    if (g.target_kind == CR_TARGET_RELATIVE)
        printf("target          %+.1f%% over the baseline\n", g.target * 100);
    else if (g.target_kind == CR_TARGET_ABSOLUTE)
        printf("target          %g (a value of the KPI)\n", g.target);
    else
        printf("target          -\n");
    if (g.period[0])
        printf("period          %s (%s to %s)\n", g.period,
               cr_fmt_date(d1, sizeof(d1), g.period_start),
               cr_fmt_date(d2, sizeof(d2), g.period_end));
    else
        printf("period          -\n");
    printf("baseline        %s\n", g.baseline_period[0] ? g.baseline_period : "-");
    if (g.budget_minor >= 0)
        printf("budget          %.2f %s\n", g.budget_minor / 100.0, g.currency);
    else
        printf("budget          -\n");
    if (g.partnerships >= 0)
        printf("partnerships    %d\n", g.partnerships);
    else
        printf("partnerships    -\n");
    for (i = 0; i < g.nunparsed; i++)
        printf("unparsed        \"%s\"\n", g.unparsed[i]);
    return CLI_EXIT_OK;
}

static const cli_cmd goal_check_cmd = {
    .name = "check",
    .summary = "SMART check of a campaign file or a stored campaign",
    .usage = "crest goal check FILE|ID|NAME [--json]",
    .help = "S specific (goal type and KPIs agree), M measurable (targets and baselines, or a\n"
            "benchmarking period), A achievable (the target lift against the store's history,\n"
            "the budget against the historical cost per unit), R relevant (a business objective;\n"
            "no vanity primary KPI for sales), T time-bound (start, end, evaluation date).\n"
            "Each gets pass, warn or fail with the reason. Exit code 3 when one fails.\n",
    .run = goal_check,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd goal_parse_cmd = {
    .name = "parse",
    .summary = "Turn a goal sentence into a structured goal",
    .usage = "crest goal parse \"TEXT\" [--year YYYY] [--json]",
    .help = "Reads the goal type, KPI, direction, target (a lift such as 25% or a value such\n"
            "as 10,000), period (Q3, H1, July, dates), baseline period, budget ($15,000,\n"
            "EUR 8k, fifteen thousand dollars) and number of partnerships. Words it cannot\n"
            "place are listed as unparsed: it never guesses. --year is the year of periods\n"
            "written without one (default: this year).\n"
            "Example:\n"
            "  crest goal parse \"Increase website referral traffic from creator campaigns by\n"
            "    25% over Q3, measured against Q2 baseline, using a budget of $15,000 across\n"
            "    four creator partnerships.\"\n",
    .run = goal_parse,
};

static const cli_cmd *const goal_subcmds[] = { &goal_check_cmd, &goal_parse_cmd, NULL };

const cli_cmd cmd_goal = {
    .name = "goal",
    .summary = "Check campaign goals (SMART) and parse goal sentences",
    .subcmds = goal_subcmds,
};
