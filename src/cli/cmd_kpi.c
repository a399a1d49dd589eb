/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_kpi.c - `crest kpi list [--goal G]`: the KPI catalog. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "json/shape.h"

static void goals_of(char *buf, size_t size, const cr_kpi_def *k)
{
    int g;
    size_t len = 0;

    buf[0] = '\0';
    for (g = CR_GOAL_AWARENESS; g <= CR_GOAL_SALES; g++)
        if (cr_kpi_is_primary_for(k, (cr_goal_type)g))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "",
                                    cr_goal_name((cr_goal_type)g));
    if (len == 0)
        snprintf(buf, size, "(contextual)");
}

static int kpi_list(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "goal", required_argument, NULL, 'g' },
                                              { NULL, 0, NULL, 0 } };
    cr_goal_type goal = CR_GOAL_NONE;
    const cr_kpi_def *cat;
    json_t *arr = NULL;
    char goals[80];
    size_t n, i;
    int c, code;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'g')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if ((goal = cr_goal_from_name(optarg)) == CR_GOAL_NONE)
            return cli_usage(ctx,
                             "--goal: expected awareness, engagement, traffic, leads or "
                             "sales, found '%s'",
                             optarg);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    cat = cr_kpi_catalog(&n);
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%-24s %-26s %-8s %-6s %-32s %s\n", "CODE", "NAME", "UNIT", "BETTER", "PRIMARY FOR",
               "FORMULA (definition)");
    for (i = 0; i < n; i++) {
        const cr_kpi_def *k = &cat[i];
        if (goal != CR_GOAL_NONE && !cr_kpi_is_primary_for(k, goal))
            continue;
        goals_of(goals, sizeof(goals), k);
        if (arr) {
            json_t *j = cr_json_kpi_def(k);
            if (j == NULL || json_array_append_new(arr, j) < 0) {
                json_decref(arr);
                return cli_fail(ctx, cr_error_oom());
            }
        } else {
            printf("%-24s %-26s %-8s %-6s %-32s %s (%s)\n", k->code, k->name,
                   cr_kpi_unit_name(k->unit), k->direction > 0 ? "higher" : "lower", goals,
                   k->formula, k->definition);
        }
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

static const cli_cmd kpi_list_cmd = {
    .name = "list",
    .summary = "List the KPI catalog, or the primary KPIs of one goal type",
    .usage = "crest kpi list [--goal awareness|engagement|traffic|leads|sales] [--json]",
    .help = "Each KPI shows its unit, whether higher or lower is better, the goal types it may\n"
            "be a primary KPI for, its formula and the definition stored with every value.\n",
    .run = kpi_list,
};

static const cli_cmd *const kpi_subcmds[] = { &kpi_list_cmd, NULL };

const cli_cmd cmd_kpi = {
    .name = "kpi",
    .summary = "The KPI catalog",
    .subcmds = kpi_subcmds,
};
