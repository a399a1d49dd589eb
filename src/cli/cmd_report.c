/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_report.c - `crest report campaign ID|NAME` and `crest report creator @HANDLE`: build
 * the report model (src/report/build.c) and write it as HTML, JSON, CSV or XLSX. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/campaign_out.h"
#include "report/render.h"
#include "util/date.h"

typedef struct {
    const char *format; /* html, json, csv, xlsx */
    const char *output; /* -o; NULL = stdout */
    int64_t as_of;
} report_opts;

static int parse_opts(report_opts *o, cli_ctx *ctx, int *argc, char ***argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "as-of", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    const char *why;
    int c;

    memset(o, 0, sizeof(*o));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(*argc, *argv, "o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            o->format = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'a':
            if (cr_parse_date(&o->as_of, optarg, strlen(optarg), &why) < 0)
                return cli_usage(ctx, "--as-of: expected a date YYYY-MM-DD, found '%s' (%s)",
                                 optarg, why);
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", (*argv)[optind - 1]);
        }
    }
    if (o->format == NULL)
        o->format = ctx->json ? "json" : "html";
    if (strcmp(o->format, "html") && strcmp(o->format, "json") && strcmp(o->format, "csv") &&
        strcmp(o->format, "xlsx"))
        return cli_usage(ctx, "--format: expected html, csv, xlsx or json, found '%s'", o->format);
    if (strcmp(o->format, "xlsx") == 0 && o->output == NULL)
        return cli_usage(ctx, "--format xlsx writes a file: give it with -o FILE");
    *argc -= optind;
    *argv += optind;
    return CLI_EXIT_OK;
}

static void csv_written(const char *path, size_t rows, void *payload)
{
    json_t *files = payload;

    if (files)
        json_array_append_new(files,
                              json_pack("{s:s,s:I}", "path", path, "rows", (json_int_t)rows));
}

/* Write the report where and how the options say; with --json (and a format other than
 * json) print what was written. */
static int write_report(cli_ctx *ctx, const report_opts *o, const cr_report *r)
{
    json_t *files = NULL, *j = NULL;
    FILE *f = stdout;
    cr_err rc = CR_OK;
    struct stat sb;

    if (strcmp(o->format, "csv") == 0 && o->output) {
        if (stat(o->output, &sb) != 0 && mkdir(o->output, 0777) != 0)
            return cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot create: %s",
                                              o->output, strerror(errno)));
        if (ctx->json && (files = json_array()) == NULL)
            return cli_fail(ctx, cr_error_oom());
        if ((rc = cr_report_csv_dir(o->output, r, csv_written, files)) < 0) {
            json_decref(files);
            return cli_fail(ctx, rc);
        }
        if (ctx->json)
            return cli_print_json(
                json_pack("{s:s,s:s,s:o}", "format", "csv", "output", o->output, "files", files));
        if (!ctx->quiet)
            fprintf(stderr, "wrote the report's tables to %s/\n", o->output);
        return CLI_EXIT_OK;
    }
    if (strcmp(o->format, "xlsx") == 0) {
        rc = cr_report_xlsx(o->output, r);
    } else {
        if (o->output && (f = fopen(o->output, "wb")) == NULL)
            return cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot create: %s",
                                              o->output, strerror(errno)));
        if (strcmp(o->format, "html") == 0) {
            rc = cr_report_html(f, r);
        } else if (strcmp(o->format, "json") == 0) {
            if ((j = cr_report_json(r)) == NULL)
                rc = cr_error_oom();
            else if (json_dumpf(j, f,
                                JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) <
                         0 ||
                     fputc('\n', f) == EOF)
                rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "writing the JSON report: %s",
                                  strerror(errno));
            json_decref(j);
        } else {
            cr_report_table *t = NULL;
            size_t n = 0, i;
            if ((rc = cr_report_tables(&t, &n, r)) == CR_OK) {
                /* to stdout: the KPI table (progress for a campaign, totals for a creator) */
                for (i = 0; i < n; i++)
                    if (strcmp(t[i].name, r->kind == CR_REPORT_CAMPAIGN ? "kpis" : "totals") == 0)
                        rc = cr_report_csv_table(f, &t[i]);
                cr_report_tables_free(t, n);
            }
        }
        if (o->output && fclose(f) != 0 && rc == CR_OK)
            rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: %s", o->output, strerror(errno));
    }
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (o->output && ctx->json && strcmp(o->format, "json") != 0) {
        long long size = stat(o->output, &sb) == 0 ? (long long)sb.st_size : -1;
        return cli_print_json(json_pack("{s:s,s:s,s:I}", "format", o->format, "output", o->output,
                                        "bytes", (json_int_t)size));
    }
    if (o->output && !ctx->quiet)
        fprintf(stderr, "wrote %s\n", o->output);
    return CLI_EXIT_OK;
}

static void say_warnings(cli_ctx *ctx, const cr_report *r, const report_opts *o)
{
    size_t i;

    /* stale data is worth saying on the terminal too, when the report goes to a file */
    if (ctx->quiet || o->output == NULL)
        return;
    for (i = 0; i < r->nwarnings; i++)
        if (strncmp(r->warnings[i], "stale", 5) == 0)
            fprintf(stderr, "warning: %s\n", r->warnings[i]);
}

static int report_campaign(cli_ctx *ctx, int argc, char **argv)
{
    cr_campaign_spec *spec = NULL;
    cr_report_options ropts = CR_REPORT_OPTIONS_INIT;
    cr_report *r = NULL;
    report_opts o;
    double t0 = cli_now_seconds();
    int code;
    cr_err rc;

    if ((code = parse_opts(&o, ctx, &argc, &argv)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_want_args(ctx, argc, argv, 1, "the campaign (ID or name)")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_campaign_ref(&spec, ctx, argv[0])) < 0)
        return cli_fail(ctx, rc);
    ropts.as_of = o.as_of;
    if (!ctx->quiet && o.output)
        fprintf(stderr, "building the report of campaign %lld (%s) ...\n", (long long)spec->id,
                spec->name);
    rc = cr_report_campaign(&r, ctx->store, spec->id, &ropts);
    cr_campaign_spec_free(spec);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (!ctx->quiet && o.output)
        fprintf(stderr, "%lld posts, %zu partnerships, %zu days in %.0f ms\n", (long long)r->nposts,
                r->npartners, r->ndays, (cli_now_seconds() - t0) * 1000);
    say_warnings(ctx, r, &o);
    code = write_report(ctx, &o, r);
    cr_report_free(r);
    return code;
}

static int report_creator(cli_ctx *ctx, int argc, char **argv)
{
    cr_report_options ropts = CR_REPORT_OPTIONS_INIT;
    cr_report *r = NULL;
    report_opts o;
    int64_t id;
    int code;
    cr_err rc;

    if ((code = parse_opts(&o, ctx, &argc, &argv)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_want_args(ctx, argc, argv, 1,
                              "the creator (ID, platform/handle or @handle)")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&id, ctx, argv[0])) < 0)
        return cli_fail(ctx, rc);
    ropts.as_of = o.as_of;
    if ((rc = cr_report_creator(&r, ctx->store, id, &ropts)) < 0)
        return cli_fail(ctx, rc);
    say_warnings(ctx, r, &o);
    code = write_report(ctx, &o, r);
    cr_report_free(r);
    return code;
}

#define REPORT_OPTIONS_HELP                                                              \
    "Options:\n"                                                                         \
    "  --format F    html (default; --json makes json the default), json, csv or xlsx\n" \
    "  -o, --output PATH  the file to write (a directory for csv: one CSV per table);\n" \
    "                without it the report goes to stdout (csv: the KPI table only)\n"   \
    "  --as-of DATE  count data through this day (default today, capped to the end)\n"

static const cli_cmd report_campaign_cmd = {
    .name = "campaign",
    .summary = "A campaign's report: goal and KPIs, time series, leaderboard, funnel, sources",
    .usage = "crest report campaign ID|NAME [--format html|csv|xlsx|json] [-o PATH]\n"
             "                             [--as-of DATE] [--json]",
    .help = REPORT_OPTIONS_HELP
    "Sections: KPI progress against target and baseline, cumulative daily series, creator\n"
    "leaderboard (by the first primary KPI), funnel, top posts with EMV, attribution and\n"
    "the unattributed remainder, every catalog KPI with its definition, data freshness.\n"
    "HTML is one self-contained file (inline SVG charts, no network), printable.\n"
    "Examples:\n"
    "  crest report campaign 1 -o spring.html\n"
    "  crest report campaign \"Spring Run\" --format xlsx -o spring.xlsx\n"
    "  crest report campaign 1 --format csv -o spring/\n",
    .run = report_campaign,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd report_creator_cmd = {
    .name = "creator",
    .summary = "A creator's report: KPIs over all posts, partnerships, top posts",
    .usage = "crest report creator ID|PLATFORM/HANDLE|@HANDLE [--format html|csv|xlsx|json]\n"
             "                            [-o PATH] [--as-of DATE] [--json]",
    .help = REPORT_OPTIONS_HELP "Examples:\n"
                                "  crest report creator @maya.runs -o maya.html\n"
                                "  crest report creator instagram/maya.runs --format json\n",
    .run = report_creator,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const report_subcmds[] = { &report_campaign_cmd, &report_creator_cmd, NULL };

const cli_cmd cmd_report = {
    .name = "report",
    .summary = "Campaign and creator reports (HTML, JSON, CSV, XLSX)",
    .subcmds = report_subcmds,
};
