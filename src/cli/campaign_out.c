/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * campaign_out.c - printing campaigns, rule violations and SMART reports, shared by
 * `crest campaign` and `crest goal`. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/campaign_out.h"
#include "util/date.h"
#include "json/shape.h"

cr_err cli_campaign_ref(cr_campaign_spec **out, cli_ctx *ctx, const char *ref)
{
    char *end;
    long long id = strtoll(ref, &end, 10);
    int64_t found;
    cr_err rc;

    if (*ref != '\0' && *end == '\0' && id > 0)
        return cr_campaign_load(out, ctx->store, id);
    if ((rc = cr_store_campaign_find(&found, ctx->store, ref)) < 0)
        return rc;
    return cr_campaign_load(out, ctx->store, found);
}

int cli_is_file(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

const char *
cli_target_text(char *buf, size_t size, const cr_campaign_kpi_spec *k, const char *currency)
{
    const cr_kpi_def *d = cr_kpi_find(k->code);

    if (k->target_kind == CR_TARGET_NONE || d == NULL)
        snprintf(buf, size, "-");
    else if (k->target_kind == CR_TARGET_RELATIVE)
        snprintf(buf, size, "%+.1f%% vs baseline", k->target * 100);
    else
        cr_kpi_format(buf, size, d, k->target, currency);
    return buf;
}

void cli_print_campaign(const cr_campaign_spec *s)
{
    char d1[16], d2[16], t[64], b[64];
    size_t i;

    printf("campaign %lld: %s\n", (long long)s->id, s->name);
    if (s->brand[0])
        printf("  brand         %s\n", s->brand);
    printf("  period        %s to %s%s\n", s->start ? cr_fmt_date(d1, sizeof(d1), s->start) : "?",
           s->end ? cr_fmt_date(d2, sizeof(d2), s->end) : "?", s->status[0] ? "" : "");
    if (s->status[0])
        printf("  status        %s\n", s->status);
    if (s->budget_minor >= 0)
        printf("  budget        %.2f %s\n", s->budget_minor / 100.0, s->currency);
    printf("  goal          %s%s%s%s\n", cr_goal_name(s->primary_goal),
           s->secondary_goal ? " (secondary: " : "",
           s->secondary_goal ? cr_goal_name(s->secondary_goal) : "", s->secondary_goal ? ")" : "");
    if (s->benchmarking)
        printf("  benchmarking  yes: this cycle measures the baselines\n");
    if (s->objective[0])
        printf("  objective     %s\n", s->objective);
    printf("  KPIs:\n");
    for (i = 0; i < s->nkpis; i++) {
        const cr_campaign_kpi_spec *k = &s->kpis[i];
        const cr_kpi_def *d = cr_kpi_find(k->code);
        printf(
            "    %-10s %-24s target %-22s baseline %s%s%s\n", k->primary ? "primary" : "contextual",
            k->code, cli_target_text(t, sizeof(t), k, s->currency),
            k->has_baseline && d ? cr_kpi_format(b, sizeof(b), d, k->baseline, s->currency) : "-",
            k->baseline_period[0] ? " for " : "", k->baseline_period);
    }
    if (s->npartners) {
        printf("  partnerships:\n");
        for (i = 0; i < s->npartners; i++) {
            const cr_partnership_spec *p = &s->partners[i];
            printf("    %-32s fee %10.2f %s  product %8.2f  code %-10s utm %s\n", p->creator,
                   p->fee_minor / 100.0, p->currency, p->product_cost_minor / 100.0,
                   p->promo_code[0] ? p->promo_code : "-",
                   p->utm_content[0] ? p->utm_content : "-");
        }
    }
}

static cr_err rule_print(const cr_rule_violation *v, void *payload)
{
    cli_rules_state *rs = payload;

    if (rs->arr) {
        if (json_array_append_new(rs->arr, cr_json_rule_violation(v)) < 0)
            return cr_error_oom();
        return CR_OK;
    }
    if (v->line > 0)
        fprintf(stderr, "%s:%d: %s [%s]\n  suggestion: %s\n", rs->source, v->line, v->message,
                v->rule, v->suggestion);
    else
        fprintf(stderr, "%s: %s [%s]\n  suggestion: %s\n", rs->source, v->message, v->rule,
                v->suggestion);
    return CR_OK;
}

cr_err cli_check_rules(int *count, const cr_campaign_spec *spec, json_t *arr)
{
    cli_rules_state rs;

    rs.arr = arr;
    rs.source = spec->source;
    return cr_campaign_check_rules(spec, rule_print, &rs, count);
}

void cli_print_smart(const cr_smart_report *r, const char *what)
{
    int i;

    printf("SMART check of %s: %s\n", what, cr_verdict_name(r->overall));
    for (i = 0; i < 5; i++)
        printf("  %c %-11s %-4s  %s\n", r->items[i].letter, r->items[i].name,
               cr_verdict_name(r->items[i].verdict), r->items[i].reason);
}
