/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_campaign.c - `crest campaign create|list|show|edit|progress`. A campaign comes from a
 * YAML file or from flags; the goal rules are checked before anything is saved. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "cli/campaign_out.h"
#include "util/date.h"
#include "json/shape.h"

enum {
    OPT_NAME = 1000,
    OPT_BRAND,
    OPT_START,
    OPT_END,
    OPT_PERIOD,
    OPT_EVALUATION,
    OPT_BUDGET,
    OPT_GOAL,
    OPT_SECONDARY,
    OPT_OBJECTIVE,
    OPT_STATUS,
    OPT_BENCH,
    OPT_NO_BENCH,
    OPT_KPI,
    OPT_REMOVE_KPI,
    OPT_AS_OF,
    OPT_SENTENCE,
    OPT_PARTNER,
    OPT_WINDOW,
    OPT_EMV_CREDIT
};

static const struct option spec_opts[] = {
    { "name", required_argument, NULL, OPT_NAME },
    { "brand", required_argument, NULL, OPT_BRAND },
    { "start", required_argument, NULL, OPT_START },
    { "end", required_argument, NULL, OPT_END },
    { "period", required_argument, NULL, OPT_PERIOD },
    { "evaluation", required_argument, NULL, OPT_EVALUATION },
    { "budget", required_argument, NULL, OPT_BUDGET },
    { "goal", required_argument, NULL, OPT_GOAL },
    { "secondary-goal", required_argument, NULL, OPT_SECONDARY },
    { "objective", required_argument, NULL, OPT_OBJECTIVE },
    { "status", required_argument, NULL, OPT_STATUS },
    { "benchmarking", no_argument, NULL, OPT_BENCH },
    { "no-benchmarking", no_argument, NULL, OPT_NO_BENCH },
    { "kpi", required_argument, NULL, OPT_KPI },
    { "remove-kpi", required_argument, NULL, OPT_REMOVE_KPI },
    { "sentence", required_argument, NULL, OPT_SENTENCE },
    { "partner", required_argument, NULL, OPT_PARTNER },
    { "attribution-window", required_argument, NULL, OPT_WINDOW },
    { "emv-credit", required_argument, NULL, OPT_EMV_CREDIT },
    { NULL, 0, NULL, 0 },
};

static int flag_date(cli_ctx *ctx, const char *opt, const char *v, int64_t *out)
{
    const char *why;

    if (cr_parse_date(out, v, strlen(v), &why) < 0)
        return cli_usage(ctx, "%s: expected a date as YYYY-MM-DD, found '%s'", opt, v);
    return CLI_EXIT_OK;
}

/* --kpi CODE[:primary|contextual][:TARGET] */
static int flag_kpi(cli_ctx *ctx, cr_campaign_spec *spec, char *arg)
{
    char *role = strchr(arg, ':'), *target = NULL;
    cr_campaign_kpi_spec *k = NULL;
    const char *why;
    size_t i;

    if (role) {
        *role++ = '\0';
        if ((target = strchr(role, ':')) != NULL)
            *target++ = '\0';
    }
    if (cr_kpi_find(arg) == NULL)
        return cli_usage(ctx, "--kpi: unknown KPI '%s' (crest kpi list shows the codes)", arg);
    for (i = 0; i < spec->nkpis; i++)
        if (strcmp(spec->kpis[i].code, arg) == 0)
            k = &spec->kpis[i];
    if (k == NULL) {
        if (cr_campaign_spec_add_kpi(&k, spec) < 0)
            return cli_fail(ctx, CR_ENOMEM);
        snprintf(k->code, sizeof(k->code), "%s", arg);
        k->primary = 1;
    }
    if (role && *role) {
        if (strcmp(role, "primary") == 0)
            k->primary = 1;
        else if (strcmp(role, "contextual") == 0)
            k->primary = 0;
        else
            return cli_usage(ctx, "--kpi %s: expected primary or contextual, found '%s'", arg,
                             role);
    }
    if (target && *target && cr_kpi_target_parse(k, target, &why) < 0)
        return cli_usage(ctx, "--kpi %s: %s, found '%s'", arg, why, target);
    return CLI_EXIT_OK;
}

static int flag_goal(cli_ctx *ctx, const char *opt, const char *v, cr_goal_type *out)
{
    if ((*out = cr_goal_from_name(v)) == CR_GOAL_NONE)
        return cli_usage(ctx,
                         "%s: expected awareness, engagement, traffic, leads or sales, "
                         "found '%s'",
                         opt, v);
    return CLI_EXIT_OK;
}

/* --sentence "Increase referral traffic by 25% over Q3 ...": the parsed goal fills the primary
 * goal, one primary KPI with its target and baseline period, the period and the budget. A
 * period without a year is the next one to come. */
static int flag_sentence(cli_ctx *ctx, cr_campaign_spec *spec, const char *text)
{
    cr_goal_statement g;
    cr_campaign_kpi_spec *k = NULL;
    char year[16];
    int y, m, d;
    size_t i;
    cr_err rc;

    cr_civil_from_days(cr_now() / 86400, &y, &m, &d);
    if ((rc = cr_goal_parse(&g, text, y)) < 0)
        return cli_fail(ctx, rc);
    snprintf(year, sizeof(year), "%d", y);
    if (g.period[0] && g.period_end < cr_now() && strstr(text, year) == NULL &&
        (rc = cr_goal_parse(&g, text, y + 1)) < 0)
        return cli_fail(ctx, rc);
    for (i = 0; i < g.nunparsed; i++)
        fprintf(stderr, "%s: note: not understood in the sentence: \"%s\"\n", ctx->path,
                g.unparsed[i]);
    spec->primary_goal = g.goal;
    spec->primary_goals = 1;
    if (g.period[0]) {
        spec->start = g.period_start;
        spec->end = g.period_end;
    }
    if (g.budget_minor >= 0) {
        spec->budget_minor = g.budget_minor;
        snprintf(spec->currency, sizeof(spec->currency), "%s", g.currency);
    }
    for (i = 0; i < spec->nkpis; i++)
        if (strcmp(spec->kpis[i].code, g.kpi) == 0)
            k = &spec->kpis[i];
    if (k == NULL) {
        if (cr_campaign_spec_add_kpi(&k, spec) < 0)
            return cli_fail(ctx, CR_ENOMEM);
        snprintf(k->code, sizeof(k->code), "%s", g.kpi);
    }
    k->primary = 1;
    k->target_kind = g.target_kind;
    k->target = g.target;
    snprintf(k->baseline_period, sizeof(k->baseline_period), "%s", g.baseline_period);
    if (spec->objective[0] == '\0')
        snprintf(spec->objective, sizeof(spec->objective), "%s", text);
    return CLI_EXIT_OK;
}

/* --partner CREATOR[,fee=AMOUNT][,product=AMOUNT][,promo=CODE][,utm=CONTENT][,status=S] */
static int flag_partner(cli_ctx *ctx, cr_campaign_spec *spec, char *arg)
{
    cr_partnership_spec *p = NULL;
    char *part, *save = NULL, cur[4];
    const char *why;
    size_t i;

    part = strchr(arg, ',');
    if (part)
        *part++ = '\0';
    if (strchr(arg, '/') == NULL)
        return cli_usage(ctx, "--partner: expected platform/handle first, found '%s'", arg);
    for (i = 0; i < spec->npartners; i++)
        if (strcmp(spec->partners[i].creator, arg) == 0)
            p = &spec->partners[i];
    if (p == NULL) {
        if (cr_campaign_spec_add_partner(&p, spec) < 0)
            return cli_fail(ctx, CR_ENOMEM);
        snprintf(p->creator, sizeof(p->creator), "%s", arg);
    }
    for (; part && *part; part = save) {
        char *eq, *val;
        save = strchr(part, ',');
        if (save)
            *save++ = '\0';
        if ((eq = strchr(part, '=')) == NULL)
            return cli_usage(ctx, "--partner: expected key=value, found '%s'", part);
        *eq = '\0';
        val = eq + 1;
        if (strcmp(part, "fee") == 0 || strcmp(part, "product") == 0) {
            int64_t *dst = part[0] == 'f' ? &p->fee_minor : &p->product_cost_minor;
            if (cr_money_parse(dst, cur, val, &why) < 0)
                return cli_usage(ctx, "--partner %s: expected e.g. '3000 USD', found '%s' (%s)",
                                 part, val, why);
            memcpy(p->currency, cur, sizeof(cur));
        } else if (strcmp(part, "promo") == 0) {
            snprintf(p->promo_code, sizeof(p->promo_code), "%s", val);
        } else if (strcmp(part, "utm") == 0) {
            snprintf(p->utm_content, sizeof(p->utm_content), "%s", val);
        } else if (strcmp(part, "status") == 0) {
            snprintf(p->status, sizeof(p->status), "%s", val);
        } else {
            return cli_usage(ctx,
                             "--partner: unknown key '%s' (fee, product, promo, utm or "
                             "status)",
                             part);
        }
    }
    return CLI_EXIT_OK;
}

/* Apply the spec flags in argv to spec; leaves optind after the options. */
static int apply_flags(cli_ctx *ctx, cr_campaign_spec *spec, int argc, char **argv, int *nflags)
{
    int c, code = CLI_EXIT_OK;
    const char *why;
    size_t i;

    *nflags = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", spec_opts, NULL)) != -1) {
        (*nflags)++;
        switch (c) {
        case OPT_NAME:
            snprintf(spec->name, sizeof(spec->name), "%s", optarg);
            break;
        case OPT_BRAND:
            snprintf(spec->brand, sizeof(spec->brand), "%s", optarg);
            break;
        case OPT_START:
            code = flag_date(ctx, "--start", optarg, &spec->start);
            break;
        case OPT_END:
            code = flag_date(ctx, "--end", optarg, &spec->end);
            break;
        case OPT_EVALUATION:
            code = flag_date(ctx, "--evaluation", optarg, &spec->evaluation);
            break;
        case OPT_PERIOD:
            if (cr_period_bounds(&spec->start, &spec->end, optarg) < 0)
                code = cli_usage(ctx,
                                 "--period: expected 2027-Q3, 2027-H1, 2027-07 or 2027, "
                                 "found '%s'",
                                 optarg);
            break;
        case OPT_BUDGET:
            if (cr_money_parse(&spec->budget_minor, spec->currency, optarg, &why) < 0)
                code = cli_usage(ctx, "--budget: expected e.g. '15000 USD', found '%s' (%s)",
                                 optarg, why);
            break;
        case OPT_GOAL:
            code = flag_goal(ctx, "--goal", optarg, &spec->primary_goal);
            spec->primary_goals = 1;
            break;
        case OPT_SECONDARY:
            if (strcmp(optarg, "none") == 0) {
                spec->secondary_goal = CR_GOAL_NONE;
                spec->secondary_goals = 0;
            } else {
                code = flag_goal(ctx, "--secondary-goal", optarg, &spec->secondary_goal);
                spec->secondary_goals = 1;
            }
            break;
        case OPT_OBJECTIVE:
            snprintf(spec->objective, sizeof(spec->objective), "%s", optarg);
            break;
        case OPT_STATUS:
            if (strcmp(optarg, "draft") && strcmp(optarg, "active") && strcmp(optarg, "completed"))
                code = cli_usage(ctx, "--status: expected draft, active or completed, found '%s'",
                                 optarg);
            else
                snprintf(spec->status, sizeof(spec->status), "%s", optarg);
            break;
        case OPT_BENCH:
            spec->benchmarking = 1;
            break;
        case OPT_NO_BENCH:
            spec->benchmarking = 0;
            break;
        case OPT_WINDOW:
        case OPT_EMV_CREDIT: {
            char reason[200];
            const char *key = c == OPT_WINDOW ? "attribution_window" : "emv_credit";
            if (cr_campaign_spec_set_option(spec, key, optarg, reason, sizeof(reason)) < 0)
                code = cli_usage(ctx, "--%s: %s",
                                 c == OPT_WINDOW ? "attribution-window" : "emv-credit", reason);
            break;
        }
        case OPT_KPI:
            code = flag_kpi(ctx, spec, optarg);
            break;
        case OPT_SENTENCE:
            code = flag_sentence(ctx, spec, optarg);
            break;
        case OPT_PARTNER:
            code = flag_partner(ctx, spec, optarg);
            break;
        case OPT_REMOVE_KPI:
            for (i = 0; i < spec->nkpis; i++)
                if (strcmp(spec->kpis[i].code, optarg) == 0)
                    break;
            if (i == spec->nkpis) {
                code = cli_usage(ctx, "--remove-kpi: the campaign has no KPI '%s'", optarg);
            } else {
                memmove(&spec->kpis[i], &spec->kpis[i + 1],
                        (spec->nkpis - i - 1) * sizeof(spec->kpis[0]));
                spec->nkpis--;
            }
            break;
        default:
            code = cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
            break;
        }
        if (code != CLI_EXIT_OK)
            return code;
    }
    return CLI_EXIT_OK;
}

/* Check the rules, then save; prints what happened. */
static int save_spec(cli_ctx *ctx, cr_campaign_spec *spec, const char *verb)
{
    int violations = 0;
    json_t *arr = ctx->json ? json_array() : NULL;
    cr_smart_report sr;
    int64_t id;
    cr_err rc;

    if ((rc = cli_check_rules(&violations, spec, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    if (violations > 0) {
        if (ctx->json)
            cli_print_json(json_pack("{s:b,s:o}", "ok", 0, "rule_violations", arr));
        fprintf(stderr, "%s: %d goal rule%s broken; nothing was saved\n", ctx->path, violations,
                violations > 1 ? "s" : "");
        return cr_err_exit_code(CR_EINVALID);
    }
    json_decref(arr);
    if ((rc = cr_campaign_save(&id, ctx->store, spec)) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_smart_check(&sr, ctx->store, spec, 0)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json) {
        json_t *j = cr_json_campaign(spec);
        json_object_set_new(j, "smart", cr_json_smart(&sr));
        return cli_print_json(j);
    }
    printf("%s campaign %lld: %s\n", verb, (long long)id, spec->name);
    cli_print_smart(&sr, spec->name);
    return CLI_EXIT_OK;
}

static int campaign_create(cli_ctx *ctx, int argc, char **argv)
{
    cr_campaign_spec *spec = NULL;
    int nflags, code;
    cr_err rc;

    if ((rc = cr_campaign_spec_new(&spec)) < 0)
        return cli_fail(ctx, rc);
    if ((code = apply_flags(ctx, spec, argc, argv, &nflags)) != CLI_EXIT_OK)
        goto done;
    argc -= optind;
    argv += optind;
    if (argc == 1) {
        cr_campaign_spec *file = NULL;
        if (nflags > 0) {
            code = cli_usage(ctx, "give a FILE or flags, not both (edit the file instead)");
            goto done;
        }
        if ((rc = cr_campaign_load_yaml(&file, argv[0])) < 0) {
            code = cli_fail(ctx, rc);
            goto done;
        }
        cr_campaign_spec_free(spec);
        spec = file;
    } else if (argc > 1) {
        code = cli_usage(ctx, "unexpected argument '%s'", argv[1]);
        goto done;
    } else if (nflags == 0) {
        code = cli_usage(ctx, "give a campaign FILE (YAML) or --name, --goal, --kpi ... flags");
        goto done;
    } else {
        spec->primary_goals = spec->primary_goal != CR_GOAL_NONE;
        snprintf(spec->source, sizeof(spec->source), "flags");
        if (spec->name[0] == '\0') {
            code = cli_usage(ctx, "--name is required");
            goto done;
        }
    }
    code = save_spec(ctx, spec, "saved");
done:
    cr_campaign_spec_free(spec);
    return code;
}

static int campaign_edit(cli_ctx *ctx, int argc, char **argv)
{
    cr_campaign_spec *spec = NULL;
    const char *ref;
    int nflags, code;
    cr_err rc;

    if (argc < 2 || argv[1][0] == '-')
        return cli_usage(ctx, "missing the campaign (ID or name)");
    ref = argv[1];
    if ((rc = cli_campaign_ref(&spec, ctx, ref)) < 0)
        return cli_fail(ctx, rc);
    if ((code = apply_flags(ctx, spec, argc - 1, argv + 1, &nflags)) != CLI_EXIT_OK)
        goto done;
    if (optind < argc - 1) {
        code = cli_usage(ctx, "unexpected argument '%s'", argv[optind + 1]);
        goto done;
    }
    if (nflags == 0) {
        code = cli_usage(ctx, "nothing to change: give flags such as --budget or --kpi");
        goto done;
    }
    code = save_spec(ctx, spec, "updated");
done:
    cr_campaign_spec_free(spec);
    return code;
}

typedef struct {
    json_t *arr;
} list_state;

static cr_err list_row(const cr_campaign *c, void *payload)
{
    list_state *ls = payload;
    char d1[16], d2[16];

    if (ls->arr) {
        json_t *j = cr_json_campaign_row(c);
        if (j == NULL || json_array_append_new(ls->arr, j) < 0)
            return cr_error_oom();
        return CR_OK;
    }
    printf("%-4lld %-34.34s %-18.18s %-11s %s..%s %-9s %12.2f %s\n", (long long)c->id, c->name,
           c->brand ? c->brand : "", c->primary_goal, cr_fmt_date(d1, sizeof(d1), c->start),
           cr_fmt_date(d2, sizeof(d2), c->end), c->status, c->budget_minor / 100.0,
           c->currency ? c->currency : "");
    return CR_OK;
}

static int campaign_list(cli_ctx *ctx, int argc, char **argv)
{
    list_state ls = { NULL };
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (ls.arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%-4s %-34s %-18s %-11s %-22s %-9s %12s\n", "ID", "NAME", "BRAND", "GOAL", "PERIOD",
               "STATUS", "BUDGET");
    if ((rc = cr_store_campaign_list(ctx->store, list_row, &ls)) < 0) {
        json_decref(ls.arr);
        return cli_fail(ctx, rc);
    }
    return ls.arr ? cli_print_json(ls.arr) : CLI_EXIT_OK;
}

static int campaign_show(cli_ctx *ctx, int argc, char **argv)
{
    cr_campaign_spec *spec = NULL;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "the campaign (ID or name)")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cli_campaign_ref(&spec, ctx, argv[1])) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        code = cli_print_json(cr_json_campaign(spec));
    else
        cli_print_campaign(spec);
    cr_campaign_spec_free(spec);
    return code;
}

static int campaign_progress(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "as-of", required_argument, NULL, OPT_AS_OF },
                                              { NULL, 0, NULL, 0 } };
    cr_campaign_spec *spec = NULL;
    cr_campaign_progress *p = NULL;
    int64_t as_of = 0;
    char a[48], b[48], t[48], pj[48], d1[16];
    size_t i;
    int c, code = CLI_EXIT_OK;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != OPT_AS_OF)
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if ((code = flag_date(ctx, "--as-of", optarg, &as_of)) != CLI_EXIT_OK)
            return code;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "the campaign (ID or name)")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cli_campaign_ref(&spec, ctx, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_campaign_progress_compute(&p, ctx->store, spec, as_of)) < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    if (ctx->json) {
        code = cli_print_json(cr_json_progress(spec, p));
        goto done;
    }
    printf("%s (%s goal) as of %s, %.0f%% of the period gone; %lld posts, spend %.2f %s\n",
           spec->name, cr_goal_name(spec->primary_goal), cr_fmt_date(d1, sizeof(d1), p->as_of),
           p->elapsed * 100, (long long)p->inputs.posts, p->inputs.spend_minor / 100.0,
           spec->currency);
    printf("  %-10s %-22s %14s %14s %14s %8s %14s  %-12s %s\n", "ROLE", "KPI", "ACTUAL", "BASELINE",
           "TARGET", "%TARGET", "PROJECTED", "STATUS", "NOTE");
    for (i = 0; i < p->nkpis; i++) {
        const cr_kpi_progress *k = &p->kpis[i];
        char pct[16];
        if (isnan(k->pct_of_target))
            snprintf(pct, sizeof(pct), "-");
        else
            snprintf(pct, sizeof(pct), "%.0f%%", k->pct_of_target * 100);
        printf("  %-10s %-22s %14s %14s %14s %8s %14s  %-12s %s\n",
               k->primary ? "primary" : "contextual", k->def->code,
               cr_kpi_format(a, sizeof(a), k->def, k->actual.available ? k->actual.value : NAN,
                             spec->currency),
               cr_kpi_format(b, sizeof(b), k->def, k->baseline, spec->currency),
               cr_kpi_format(t, sizeof(t), k->def, k->target, spec->currency), pct,
               cr_kpi_format(pj, sizeof(pj), k->def, k->projected, spec->currency),
               cr_track_status_name(k->status), k->note);
    }
done:
    cr_campaign_progress_free(p);
    cr_campaign_spec_free(spec);
    return code;
}

#define SPEC_FLAGS_HELP                                                                         \
    "  --name TEXT --brand TEXT --objective TEXT\n"                                             \
    "  --period 2027-Q3 | --start DATE --end DATE   --evaluation DATE\n"                        \
    "  --budget '15000 USD'   --goal GOAL   --secondary-goal GOAL|none\n"                       \
    "  --kpi CODE[:primary|contextual][:TARGET]  (repeat; TARGET +25% is a lift, 1.2% or\n"     \
    "        10000 a value)   --remove-kpi CODE   --benchmarking | --no-benchmarking\n"         \
    "  --status draft|active|completed   --attribution-window DAYS (default 30)\n"              \
    "  --emv-credit full|split  (a post naming several brands: each gets it all, or a share)\n" \
    "  --sentence TEXT  a goal sentence (see crest goal parse) for the goal, one primary\n"     \
    "        KPI with its target and baseline period, the period and the budget\n"

static const cli_cmd campaign_create_cmd = {
    .name = "create",
    .summary = "Create (or update, by name) a campaign from a YAML file or flags",
    .usage = "crest campaign create FILE | --name TEXT --goal GOAL --kpi ... [--json]",
    .help = "The goal rules are checked first (one primary goal, at most one secondary, 2-3\n"
            "primary KPIs from the primary goal's set); a broken rule saves nothing. Then the\n"
            "SMART check is printed. Creating a campaign with an existing name updates it.\n"
            "See docs/campaigns.md and examples/.\nFlags:\n" SPEC_FLAGS_HELP,
    .run = campaign_create,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd campaign_edit_cmd = {
    .name = "edit",
    .summary = "Change a stored campaign with flags",
    .usage = "crest campaign edit ID|NAME [flags] [--json]",
    .help = "Flags:\n" SPEC_FLAGS_HELP,
    .run = campaign_edit,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd campaign_list_cmd = {
    .name = "list",
    .summary = "List campaigns",
    .usage = "crest campaign list [--json]",
    .run = campaign_list,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd campaign_show_cmd = {
    .name = "show",
    .summary = "Show a campaign with its goal, KPIs and partnerships",
    .usage = "crest campaign show ID|NAME [--json]",
    .run = campaign_show,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd campaign_progress_cmd = {
    .name = "progress",
    .summary = "KPI progress: actual, baseline, target, projection and status",
    .usage = "crest campaign progress ID|NAME [--as-of DATE] [--json]",
    .help = "For each KPI: the value to date from the store, the baseline, the target (a lift\n"
            "resolved against the baseline), % of target, the value projected to the end at\n"
            "the current run rate, and on-track (projected to meet it), at-risk (within 10%)\n"
            "or off-track. --as-of defaults to today, capped at the campaign's end.\n",
    .run = campaign_progress,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const campaign_subcmds[] = { &campaign_create_cmd, &campaign_edit_cmd,
                                                   &campaign_list_cmd,   &campaign_progress_cmd,
                                                   &campaign_show_cmd,   NULL };

const cli_cmd cmd_campaign = {
    .name = "campaign",
    .summary = "Create, inspect and track campaigns",
    .subcmds = campaign_subcmds,
};
