/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_program.c - program governance on the command line: `crest timelog`, `crest workflow`,
 * `crest pilot`, `crest iteration`, `crest training`, `crest recommend`, `crest override`,
 * `crest escalate` and `crest audit`. The commands that act for a person take --as EMAIL (or
 * CREST_USER); their use is logged as feature use for the pilots' adoption figures. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/num.h"

#define DAY 86400

static void log_use(cli_ctx *ctx, const char *user, const char *feature)
{
    if (user && ctx->store)
        cr_store_usage_add(ctx->store, user, feature, cr_now());
}

static int json_text_print(char *text)
{
    json_t *j = json_loads(text, 0, NULL);

    cr_program_text_free(text);
    return cli_print_json(j);
}

/* ---- crest timelog ---- */

static int timelog_add(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "task", required_argument, NULL, 't' }, { "errors", required_argument, NULL, 'e' },
        { "user", required_argument, NULL, 'u' }, { "at", required_argument, NULL, 'a' },
        { "with-tool", no_argument, NULL, 'w' },  { "without-tool", no_argument, NULL, 'W' },
        { "as", required_argument, NULL, 's' },   { NULL, 0, NULL, 0 },
    };
    cr_timelog t;
    const char *why = "", *as = NULL;
    int64_t id = 0;
    int c, code;
    cr_err rc;

    memset(&t, 0, sizeof(t));
    t.at = cr_now();
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 't':
            t.task = optarg;
            break;
        case 'e':
            if ((code = cli_parse_count(ctx, "--errors", optarg, &t.errors)) != CLI_EXIT_OK)
                return code;
            break;
        case 'u':
            t.user = optarg;
            break;
        case 'a':
            if ((code = cli_parse_time(ctx, "--at", optarg, &t.at)) != CLI_EXIT_OK)
                return code;
            break;
        case 'w':
            t.with_tool = 1;
            break;
        case 'W':
            t.with_tool = 0;
            break;
        case 's':
            as = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 2, "STAGE and MINUTES")) !=
        CLI_EXIT_OK)
        return code;
    t.stage = argv[optind];
    if (cr_parse_decimal(&t.minutes, argv[optind + 1], strlen(argv[optind + 1]), &why) < 0)
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "MINUTES: expected a number of minutes, found '%s'",
                                          argv[optind + 1]));
    if (t.user == NULL)
        t.user = cli_acting_user(as);
    if ((rc = cr_program_timelog_add(&id, ctx->store, &t)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s,s:f,s:I,s:b}", "id", (json_int_t)id, "stage",
                                        t.stage, "minutes", t.minutes, "errors",
                                        (json_int_t)t.errors, "with_tool", t.with_tool));
    if (!ctx->quiet)
        printf("time log %lld: %s, %.1f minutes\n", (long long)id, t.stage, t.minutes);
    return CLI_EXIT_OK;
}

static int timelog_import(cli_ctx *ctx, int argc, char **argv)
{
    int64_t rows = 0;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "a FILE")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_timelog_import(&rows, ctx->store, argv[1])) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:I}", "file", argv[1], "rows", (json_int_t)rows));
    if (!ctx->quiet)
        printf("%s: %lld time logs imported\n", argv[1], (long long)rows);
    return CLI_EXIT_OK;
}

static const cli_cmd timelog_add_cmd = {
    .name = "add",
    .summary = "Log the minutes a task of a stage took",
    .usage = "crest timelog add STAGE MINUTES [--task T] [--errors N] [--user U] [--at DATE] "
             "[--with-tool|--without-tool] [--as EMAIL] [--json]",
    .help = "STAGE: discovery, vetting, outreach, negotiation, content_approval, monitoring,\n"
            "reporting or payment. --errors counts the mistakes found in the task afterwards;\n"
            "--with-tool marks a task done with the AI tool under pilot (default: without).\n"
            "Example:\n  crest timelog add vetting 42 --task 'vet creator' --errors 1 --at "
            "2027-03-02\n",
    .run = timelog_add,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd timelog_import_cmd = {
    .name = "import",
    .summary = "Import time logs from a CSV file (all or nothing)",
    .usage = "crest timelog import FILE [--json]",
    .help = "Columns (header line): stage, minutes, and optionally task, errors, user, at,\n"
            "with_tool (1/0, yes/no, true/false). An error names file, line, column and field.\n",
    .run = timelog_import,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const timelog_subcmds[] = { &timelog_add_cmd, &timelog_import_cmd, NULL };

const cli_cmd cmd_timelog = {
    .name = "timelog",
    .summary = "Time logs per workflow stage (for the workflow map and pilots)",
    .subcmds = timelog_subcmds,
};

/* ---- crest workflow ---- */

static int workflow_run(cli_ctx *ctx, int argc, char **argv)
{
    cr_workflow_stage w[CR_PROGRAM_NSTAGES];
    json_t *arr = NULL;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_workflow(w, ctx->store, 0, 0)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%-4s %-17s %6s %9s %9s %9s %10s\n", "rank", "stage", "tasks", "minutes", "min/task",
               "err/task", "score");
    for (i = 0; i < CR_PROGRAM_NSTAGES; i++) {
        if (arr) {
            json_array_append_new(
                arr, json_pack("{s:i,s:s,s:I,s:f,s:f,s:I,s:f,s:f}", "rank", w[i].rank, "stage",
                               w[i].stage, "tasks", (json_int_t)w[i].tasks, "minutes", w[i].minutes,
                               "minutes_per_task", w[i].minutes_per_task, "errors",
                               (json_int_t)w[i].errors, "errors_per_task", w[i].errors_per_task,
                               "score", w[i].score));
            continue;
        }
        if (w[i].rank)
            printf("%-4d %-17s %6lld %9.1f %9.2f %9.3f %10.1f\n", w[i].rank, w[i].stage,
                   (long long)w[i].tasks, w[i].minutes, w[i].minutes_per_task, w[i].errors_per_task,
                   w[i].score);
        else
            printf("%-4s %-17s %6s\n", "-", w[i].stage, "no logs");
    }
    if (arr)
        return cli_print_json(arr);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_workflow = {
    .name = "workflow",
    .summary = "Rank the workflow stages by time x error (where AI pays off first)",
    .usage = "crest workflow [--json]",
    .help = "score = total minutes x (1 + errors per task), over every time log.\n",
    .run = workflow_run,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- crest pilot ---- */

static int money_opt(cli_ctx *ctx, int64_t *out, char cur[4], const char *opt, const char *v)
{
    const char *why = "";

    if (cr_money_parse(out, cur, v, &why) < 0)
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "%s: expected an amount such as '60 USD', found '%s' "
                                          "(%s)",
                                          opt, v, why));
    return CLI_EXIT_OK;
}

static int pilot_start(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "days", required_argument, NULL, 'd' }, { "start", required_argument, NULL, 's' },
        { "rate", required_argument, NULL, 'r' }, { "cost", required_argument, NULL, 'c' },
        { "as", required_argument, NULL, 'a' },   { NULL, 0, NULL, 0 },
    };
    cr_pilot p;
    char cur[4] = "USD", cur2[4] = "";
    const char *as = NULL;
    int64_t id = 0, days = 0;
    int c, code, have_days = 0;
    cr_err rc;

    memset(&p, 0, sizeof(p));
    p.start = cr_now();
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'd':
            if ((code = cli_parse_count(ctx, "--days", optarg, &days)) != CLI_EXIT_OK)
                return code;
            have_days = 1;
            break;
        case 's':
            if ((code = cli_parse_time(ctx, "--start", optarg, &p.start)) != CLI_EXIT_OK)
                return code;
            break;
        case 'r':
            if ((code = money_opt(ctx, &p.rate_minor, cur, "--rate", optarg)) != CLI_EXIT_OK)
                return code;
            break;
        case 'c':
            if ((code = money_opt(ctx, &p.cost_minor, cur2, "--cost", optarg)) != CLI_EXIT_OK)
                return code;
            break;
        case 'a':
            as = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a STAGE")) != CLI_EXIT_OK)
        return code;
    if (!have_days)
        return cli_usage(ctx, "--days is required (30 to 60)");
    if (cur2[0] && p.rate_minor && strcmp(cur, cur2) != 0)
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "--cost: expected the currency of --rate (%s), found %s",
                                          cur, cur2));
    p.stage = argv[optind];
    p.days = days;
    p.currency = cur2[0] && !p.rate_minor ? cur2 : cur;
    p.created_by = cli_acting_user(as);
    p.created_at = cr_now();
    if ((rc = cr_program_pilot_start(&id, ctx->store, &p)) < 0)
        return cli_fail(ctx, rc);
    log_use(ctx, p.created_by, "pilot start");
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s,s:I}", "id", (json_int_t)id, "stage", p.stage,
                                        "days", (json_int_t)days));
    if (!ctx->quiet)
        printf("pilot %lld: %s for %lld days\n", (long long)id, p.stage, (long long)days);
    return CLI_EXIT_OK;
}

static cr_err pilot_row(const cr_pilot *p, void *payload)
{
    json_t *arr = payload;
    char a[16], b[16];

    if (arr == NULL) {
        printf("%-4lld %-17s %3lld days  %s to %s\n", (long long)p->id, p->stage,
               (long long)p->days, cr_fmt_date(a, sizeof(a), p->start),
               cr_fmt_date(b, sizeof(b), p->end));
        return CR_OK;
    }
    if (json_array_append_new(arr, json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", (json_int_t)p->id,
                                             "stage", p->stage, "days", (json_int_t)p->days, "from",
                                             cr_fmt_date(a, sizeof(a), p->start), "until",
                                             cr_fmt_date(b, sizeof(b), p->end))) < 0)
        return cr_error_oom();
    return CR_OK;
}

static int pilot_list(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = NULL;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_pilot_list(ctx->store, 0, pilot_row, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

static cr_err quiet_pilot(const cr_pilot *p, void *payload)
{
    (void)p;
    (void)payload;
    return CR_OK;
}

static int pilot_measure(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "baseline", required_argument, NULL, 'b' },
        { "pilot", required_argument, NULL, 'p' },
        { "lower-is-better", no_argument, NULL, 'l' },
        { NULL, 0, NULL, 0 },
    };
    cr_pilot_measure m;
    const char *why = "";
    int c, code, got = 0;
    cr_err rc;

    memset(&m, 0, sizeof(m));
    m.higher_better = 1;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'b':
        case 'p':
            if (cr_parse_decimal(c == 'b' ? &m.baseline : &m.pilot, optarg, strlen(optarg), &why) <
                0)
                return cli_usage(ctx, "--%s: expected a number, found '%s'",
                                 c == 'b' ? "baseline" : "pilot", optarg);
            got |= c == 'b' ? 1 : 2;
            break;
        case 'l':
            m.higher_better = 0;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 2, "ID and NAME")) !=
            CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[optind], &m.pilot_id)) != CLI_EXIT_OK)
        return code;
    if (got != 3)
        return cli_usage(ctx, "--baseline and --pilot are required");
    m.name = argv[optind + 1];
    if ((rc = cr_store_pilot_list(ctx->store, m.pilot_id, quiet_pilot, NULL)) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_store_pilot_measure_set(ctx->store, &m)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s,s:f,s:f}", "pilot", (json_int_t)m.pilot_id,
                                        "name", m.name, "baseline", m.baseline, "pilot", m.pilot));
    return CLI_EXIT_OK;
}

static int pilot_report(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "html", required_argument, NULL, 'h' },
        { "as", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    const char *html = NULL, *as = NULL;
    char *text = NULL;
    int64_t id;
    int c, code;
    cr_err rc;
    FILE *f;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
            html = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a pilot ID")) != CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[optind], &id)) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_store_pilot_list(ctx->store, id, quiet_pilot, NULL)) < 0)
        return cli_fail(ctx, rc);
    log_use(ctx, cli_acting_user(as), "pilot report");
    if (html) {
        if ((rc = cr_program_pilot_report_html(&text, ctx->store, id)) < 0)
            return cli_fail(ctx, rc);
        if ((f = fopen(html, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
            cr_program_text_free(text);
            return cli_fail(ctx,
                            cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot be written", html));
        }
        cr_program_text_free(text);
        text = NULL;
        if (!ctx->json && !ctx->quiet)
            fprintf(stderr, "wrote %s\n", html);
    }
    if ((rc = cr_program_pilot_report(&text, ctx->store, id)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json || html == NULL) {
        if (ctx->json)
            return json_text_print(text);
        {
            json_t *j = json_loads(text, 0, NULL), *ts = json_object_get(j, "time_saved"),
                   *iv = json_object_get(ts, "interval95"),
                   *b = json_object_get(j, "business_case");
            printf("pilot %lld: %s, %lld days\n", (long long)id,
                   json_string_value(json_object_get(j, "stage")),
                   (long long)json_integer_value(json_object_get(j, "days")));
            printf("time saved per task: %.2f minutes (95%% interval %.2f to %.2f; %lld "
                   "baseline, %lld pilot tasks)\n",
                   json_number_value(json_object_get(ts, "minutes_saved")),
                   json_number_value(json_array_get(iv, 0)),
                   json_number_value(json_array_get(iv, 1)),
                   (long long)json_integer_value(json_object_get(ts, "baseline_tasks")),
                   (long long)json_integer_value(json_object_get(ts, "pilot_tasks")));
            printf("business case: %.2f hours saved, value %.0f vs cost %lld (%s minor units)\n",
                   json_number_value(json_object_get(b, "hours_saved")),
                   json_number_value(json_object_get(b, "value_minor")),
                   (long long)json_integer_value(json_object_get(b, "cost_minor")),
                   json_string_value(json_object_get(b, "currency")));
            json_decref(j);
        }
    }
    cr_program_text_free(text);
    return CLI_EXIT_OK;
}

static const cli_cmd pilot_start_cmd = {
    .name = "start",
    .summary = "Start a pilot of a tool on one stage (30 to 60 days)",
    .usage = "crest pilot start STAGE --days N [--start DATE] [--rate '60 USD'] [--cost '900 USD'] "
             "[--as EMAIL] [--json]",
    .help = "The baseline is the stage's time logs without the tool in the N days before the\n"
            "start; the pilot period its logs with the tool in the N days from the start.\n"
            "--rate is the cost of an hour of work, --cost the tool's cost over the pilot.\n",
    .run = pilot_start,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd pilot_list_cmd = {
    .name = "list",
    .summary = "List the pilots",
    .usage = "crest pilot list [--json]",
    .run = pilot_list,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd pilot_measure_cmd = {
    .name = "measure",
    .summary = "Record a quality measure of a pilot (baseline and pilot values)",
    .usage = "crest pilot measure ID NAME --baseline X --pilot Y [--lower-is-better] [--json]",
    .help = "For measures the workspace does not hold (shortlist acceptance rate, outreach\n"
            "reply rate, vetting rejections later confirmed). Errors per task come from the\n"
            "time logs themselves.\n",
    .run = pilot_measure,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd pilot_report_cmd = {
    .name = "report",
    .summary = "A pilot's report: time saved with a 95% interval, quality, adoption, business case",
    .usage = "crest pilot report ID [--html FILE] [--as EMAIL] [--json]",
    .help =
        "The interval is a percentile bootstrap (2000 rounds, seed 20260901; docs/program.md).\n",
    .run = pilot_report,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd *const pilot_subcmds[] = { &pilot_list_cmd, &pilot_measure_cmd,
                                                &pilot_report_cmd, &pilot_start_cmd, NULL };
const cli_cmd cmd_pilot = {
    .name = "pilot",
    .summary = "Pilots of an AI tool on one workflow stage",
    .subcmds = pilot_subcmds,
};

/* ---- crest iteration ---- */

static int iteration_schedule(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "go-live", required_argument, NULL, 'g' },
        { "count", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    int64_t go = 0, n = 8, dates[64];
    json_t *arr = NULL;
    char d[16];
    int c, code, have = 0;
    size_t i;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'g':
            if ((code = cli_parse_time(ctx, "--go-live", optarg, &go)) != CLI_EXIT_OK)
                return code;
            have = 1;
            break;
        case 'n':
            if ((code = cli_parse_count(ctx, "--count", optarg, &n)) != CLI_EXIT_OK)
                return code;
            if (n < 1 || n > 64)
                return cli_usage(ctx, "--count: expected 1 to 64, found %lld", (long long)n);
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (!have)
        return cli_usage(ctx, "--go-live DATE is required");
    go -= go % DAY;
    cr_program_schedule(dates, (size_t)n, go);
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    for (i = 0; i < (size_t)n; i++) {
        const char *cad = i < 3 ? "monthly" : "quarterly";
        cr_fmt_date(d, sizeof(d), dates[i]);
        if (arr)
            json_array_append_new(
                arr, json_pack("{s:i,s:s,s:s}", "review", (int)i + 1, "due", d, "cadence", cad));
        else
            printf("%2zu  %s  %s\n", i + 1, d, cad);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

static int iteration_open(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "due", required_argument, NULL, 'd' },
        { "models", required_argument, NULL, 'm' },
        { "as", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    int64_t due = cr_now(), id = 0;
    const char *models = "data/models", *as = NULL;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'd':
            if ((code = cli_parse_time(ctx, "--due", optarg, &due)) != CLI_EXIT_OK)
                return code;
            break;
        case 'm':
            models = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_review_open(&id, ctx->store, due - due % DAY, cli_acting_user(as), models,
                                     cr_now())) < 0)
        return cli_fail(ctx, rc);
    log_use(ctx, cli_acting_user(as), "iteration open");
    if (ctx->json)
        return cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
    if (!ctx->quiet)
        printf("iteration review %lld opened; see crest iteration list\n", (long long)id);
    return CLI_EXIT_OK;
}

/* A closed review is the record of what was decided: it takes no more entries. */
static cr_err review_open(const cr_review *r, void *payload)
{
    (void)payload;
    if (strcmp(r->status, "closed") == 0)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_CLI,
                            "review %lld is closed; record on the next one", (long long)r->id);
    return CR_OK;
}

static int iteration_record(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "time-saved", required_argument, NULL, 't' },
        { "quality", required_argument, NULL, 'q' },
        { "kpi", required_argument, NULL, 'k' },
        { "change", required_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    static const char *const change_kinds[] = { "filter", "data", "tool", "process" };
    const char *changes[16];
    size_t nchanges = 0, i, k;
    cr_review r;
    int c, code;
    cr_err rc;

    memset(&r, 0, sizeof(r));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 't':
            r.time_saved = optarg;
            break;
        case 'q':
            r.quality = optarg;
            break;
        case 'k':
            r.kpi = optarg;
            break;
        case 'c':
            if (nchanges == 16)
                return cli_usage(ctx, "--change: at most 16 at once");
            changes[nchanges++] = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a review ID")) !=
            CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[optind], &r.id)) != CLI_EXIT_OK)
        return code;
    for (i = 0; i < nchanges; i++) {
        const char *colon = strchr(changes[i], ':');
        for (k = 0; colon && k < 4; k++)
            if (strlen(change_kinds[k]) == (size_t)(colon - changes[i]) &&
                strncmp(changes[i], change_kinds[k], (size_t)(colon - changes[i])) == 0)
                break;
        if (colon == NULL || k == 4 || colon[1] == '\0')
            return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                              "--change: expected KIND:TEXT with KIND filter, "
                                              "data, tool or process, found '%s'",
                                              changes[i]));
    }
    if ((rc = cr_store_review_list(ctx->store, r.id, review_open, NULL)) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_store_begin(ctx->store)) < 0)
        return cli_fail(ctx, rc);
    rc = cr_store_review_update(ctx->store, &r);
    for (i = 0; rc == CR_OK && i < nchanges; i++) {
        cr_review_change ch;
        char kind[16];
        const char *colon = strchr(changes[i], ':');
        snprintf(kind, sizeof(kind), "%.*s", (int)(colon - changes[i]), changes[i]);
        ch.id = 0;
        ch.review_id = r.id;
        ch.kind = kind;
        ch.description = colon + 1;
        ch.created_at = cr_now();
        rc = cr_store_review_change_add(ctx->store, &ch);
    }
    if (rc < 0) {
        cr_store_rollback(ctx->store);
        return cli_fail(ctx, rc);
    }
    if ((rc = cr_store_commit(ctx->store)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:I,s:I}", "id", (json_int_t)r.id, "changes", (json_int_t)nchanges));
    return CLI_EXIT_OK;
}

static int iteration_close(cli_ctx *ctx, int argc, char **argv)
{
    int64_t id;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "a review ID")) != CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[1], &id)) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_review_close(ctx->store, id, NULL, cr_now())) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", "closed"));
    if (!ctx->quiet)
        printf("iteration review %lld closed\n", (long long)id);
    return CLI_EXIT_OK;
}

static cr_err change_json(const cr_review_change *c, void *payload)
{
    return json_array_append_new(
               payload, json_pack("{s:s,s:s}", "kind", c->kind, "description", c->description)) < 0
               ? cr_error_oom()
               : CR_OK;
}

typedef struct {
    cr_store *st;
    json_t *arr;
} review_list_state;

static cr_err review_json(const cr_review *r, void *payload)
{
    review_list_state *s = payload;
    json_t *changes = json_array(), *prep = json_loads(r->prep ? r->prep : "{}", 0, NULL), *j;
    char d[16], o[16];
    cr_err rc;

    if (changes == NULL)
        return cr_error_oom();
    if ((rc = cr_store_review_change_list(s->st, r->id, change_json, changes)) < 0) {
        json_decref(changes);
        json_decref(prep);
        return rc;
    }
    if (prep)
        json_object_del(prep, "model_digests");
    j = json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s?,s:s?,s:s?,s:o,s:o}", "id", (json_int_t)r->id, "due",
                  cr_fmt_date(d, sizeof(d), r->due), "status", r->status, "opened_by", r->opened_by,
                  "opened_at", cr_fmt_date(o, sizeof(o), r->opened_at), "time_saved", r->time_saved,
                  "quality", r->quality, "kpi", r->kpi, "changes", changes, "prep",
                  prep ? prep : json_object());
    if (j == NULL || json_array_append_new(s->arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

static int iteration_list(cli_ctx *ctx, int argc, char **argv)
{
    review_list_state s;
    json_t *r;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    s.st = ctx->store;
    if ((s.arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_review_list(ctx->store, 0, review_json, &s)) < 0) {
        json_decref(s.arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(s.arr);
    json_array_foreach(s.arr, i, r)
    {
        json_t *p = json_object_get(r, "prep");
        printf("%lld  due %s  %s  %zu change(s); stale sources %zu, saved searches bad %zu, "
               "models changed %zu, drift %s\n",
               (long long)json_integer_value(json_object_get(r, "id")),
               json_string_value(json_object_get(r, "due")),
               json_string_value(json_object_get(r, "status")),
               json_array_size(json_object_get(r, "changes")),
               json_array_size(json_object_get(p, "stale_sources")),
               json_array_size(json_object_get(p, "saved_searches_bad")),
               json_array_size(json_object_get(p, "models_changed")),
               json_is_true(json_object_get(json_object_get(p, "drift"), "drifted")) ? "yes"
                                                                                     : "no");
    }
    json_decref(s.arr);
    return CLI_EXIT_OK;
}

static const cli_cmd it_schedule_cmd = {
    .name = "schedule",
    .summary = "The review dates from a go-live date",
    .usage = "crest iteration schedule --go-live DATE [--count N] [--json]",
    .help = "Monthly for the first quarter (months 1, 2, 3), quarterly after (6, 9, 12, ...),\n"
            "always counted from the go-live date; a day past a month's end is clamped to its\n"
            "last day (2028-01-31 + 1 month = 2028-02-29). --count defaults to 8.\n",
    .run = iteration_schedule,
};
static const cli_cmd it_open_cmd = {
    .name = "open",
    .summary = "Open an iteration review, prepared from the workspace",
    .usage = "crest iteration open [--due DATE] [--models DIR] [--as EMAIL] [--json]",
    .help = "crest prepares: stale sources (newest data > 30 days old), drift of the per-post\n"
            "engagement-rate distribution since the last review (two-sample KS), saved searches\n"
            "whose last run found nothing, models whose evaluation changed (--models, default\n"
            "data/models).\n",
    .run = iteration_open,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd it_record_cmd = {
    .name = "record",
    .summary = "Record what a review evaluated and the concrete changes it decided",
    .usage = "crest iteration record ID [--time-saved T] [--quality T] [--kpi T] "
             "[--change filter|data|tool|process:TEXT]... [--json]",
    .run = iteration_record,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd it_close_cmd = {
    .name = "close",
    .summary = "Close a review (needs an evaluation and at least one concrete change)",
    .usage = "crest iteration close ID [--json]",
    .run = iteration_close,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd it_list_cmd = {
    .name = "list",
    .summary = "List the reviews with their preparation and changes",
    .usage = "crest iteration list [--json]",
    .run = iteration_list,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd *const it_subcmds[] = { &it_close_cmd,  &it_list_cmd,     &it_open_cmd,
                                             &it_record_cmd, &it_schedule_cmd, NULL };
const cli_cmd cmd_iteration = {
    .name = "iteration",
    .summary = "Iteration reviews: the calendar, preparation, evaluation and changes",
    .subcmds = it_subcmds,
};
