/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_baseline.c - `crest baseline compute ID`: fill a campaign's KPI baselines from the
 * store. */
#include <jansson.h>

#include "cli/campaign_out.h"

typedef struct {
    json_t *arr;
    const char *currency;
    int filled, missing;
} baseline_state;

static cr_err baseline_row(const cr_baseline_result *r, void *payload)
{
    baseline_state *bs = payload;
    const cr_kpi_def *d = cr_kpi_find(r->code);
    char v[64];

    if (r->filled)
        bs->filled++;
    else
        bs->missing++;
    if (bs->arr)
        return json_array_append_new(
                   bs->arr, json_pack("{s:s,s:b,s:o,s:s,s:s}", "code", r->code, "filled", r->filled,
                                      "value", r->filled ? json_real(r->value) : json_null(),
                                      "source", r->source, "note", r->note)) < 0
                   ? cr_error_oom()
                   : CR_OK;
    if (r->filled)
        printf("  %-24s %14s  from %s\n", r->code,
               cr_kpi_format(v, sizeof(v), d, r->value, bs->currency), r->source);
    else
        printf("  %-24s %14s  %s\n", r->code, "-", r->note);
    return CR_OK;
}

static int baseline_compute(cli_ctx *ctx, int argc, char **argv)
{
    cr_campaign_spec *spec = NULL;
    baseline_state bs = { NULL, NULL, 0, 0 };
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "the campaign (ID or name)")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cli_campaign_ref(&spec, ctx, argv[1])) < 0)
        return cli_fail(ctx, rc);
    bs.currency = spec->currency;
    if (ctx->json)
        bs.arr = json_array();
    else
        printf("baselines of %s:\n", spec->name);
    rc = cr_baseline_compute(ctx->store, spec->id, baseline_row, &bs);
    if (rc < 0) {
        json_decref(bs.arr);
        cr_campaign_spec_free(spec);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        cli_print_json(json_pack("{s:I,s:s,s:i,s:i,s:o}", "campaign", (json_int_t)spec->id, "name",
                                 spec->name, "filled", bs.filled, "missing", bs.missing, "kpis",
                                 bs.arr));
    else if (bs.filled == 0 && bs.missing == 0)
        printf("  nothing to compute: every KPI has a baseline given by hand\n");
    cr_campaign_spec_free(spec);
    return CLI_EXIT_OK;
}

static const cli_cmd baseline_compute_cmd = {
    .name = "compute",
    .summary = "Fill a campaign's KPI baselines from stored data",
    .usage = "crest baseline compute ID|NAME [--json]",
    .help = "For a KPI with a baseline period (e.g. 2027-Q2) the baseline is that KPI over the\n"
            "brand's creator program in that period (all partner creators' posts, the brand's\n"
            "tracking links and codes). A KPI without one takes the result of the brand's last\n"
            "benchmarking campaign that has ended. What cannot be filled is said, with why.\n",
    .run = baseline_compute,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const baseline_subcmds[] = { &baseline_compute_cmd, NULL };

const cli_cmd cmd_baseline = {
    .name = "baseline",
    .summary = "Compute KPI baselines from history",
    .subcmds = baseline_subcmds,
};
