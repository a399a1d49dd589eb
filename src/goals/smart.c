/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * smart.c - the SMART check: Specific, Measurable, Achievable, Relevant, Time-bound, each
 * with a verdict and a one-line reason.
 *
 * Achievable is judged against the store's history rather than opinion: the target lift is
 * placed among the brand's past period-over-period changes of the same KPI (windows as long
 * as the campaign, stepping back from the baseline period), and the budget is set against the
 * historical cost per unit of the KPI. With too little history the verdict says so. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/goals.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY         86400
#define HISTORY_MAX 8
#define HISTORY_MIN 3

const char *cr_verdict_name(cr_verdict v)
{
    return v == CR_VERDICT_PASS ? "pass" : v == CR_VERDICT_WARN ? "warn" : "fail";
}

static void set_item(cr_smart_item *it, cr_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_item(cr_smart_item *it, cr_verdict v, const char *fmt, ...)
{
    va_list ap;

    it->verdict = v;
    va_start(ap, fmt);
    vsnprintf(it->reason, sizeof(it->reason), fmt, ap);
    va_end(ap);
}

/* Append "; more" to a reason, keeping the worse verdict. */
static void add_item(cr_smart_item *it, cr_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_item(cr_smart_item *it, cr_verdict v, const char *fmt, ...)
{
    char more[400];
    size_t len = strlen(it->reason);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(more, sizeof(more), fmt, ap);
    va_end(ap);
    if (v > it->verdict || len == 0) {
        /* the worse finding leads */
        char old[600];
        snprintf(old, sizeof(old), "%s", it->reason);
        snprintf(it->reason, sizeof(it->reason), "%s%s%s", more, len ? "; " : "", old);
        if (v > it->verdict)
            it->verdict = v;
    } else {
        snprintf(it->reason + len, sizeof(it->reason) - len, "; %s", more);
    }
}

typedef struct {
    cr_smart_item *s;
    int first;
} rule_state;

static cr_err on_rule(const cr_rule_violation *v, void *payload)
{
    rule_state *rs = payload;

    if (rs->first) {
        set_item(rs->s, CR_VERDICT_FAIL, "%s: %s", v->message, v->suggestion);
        rs->first = 0;
    }
    return CR_OK;
}

/* "st", "nd", "rd" or "th" for a whole number (11th, 12th, 13th; 21st, 22nd, 23rd). */
static const char *ordinal(double v)
{
    long n = lround(v) % 100;

    if (n >= 11 && n <= 13)
        return "th";
    switch (n % 10) {
    case 1:
        return "st";
    case 2:
        return "nd";
    case 3:
        return "rd";
    default:
        return "th";
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Past period-over-period changes of a KPI for the brand, windows of `len` seconds ending at
 * `end` and stepping back. Returns how many changes were found. */
static cr_err history_changes(double *changes,
                              int *n,
                              double *last_value,
                              double *cost_per_unit,
                              cr_store *st,
                              const char *brand,
                              const cr_kpi_def *d,
                              int64_t end,
                              int64_t len)
{
    double vals[HISTORY_MAX + 1];
    int64_t spend = 0;
    double units = 0;
    int i, nv = 0;
    cr_kpi_scope sc;
    cr_kpi_inputs in;
    cr_kpi_value v;
    cr_err rc;

    *n = 0;
    *last_value = NAN;
    *cost_per_unit = NAN;
    memset(&sc, 0, sizeof(sc));
    sc.kind = CR_SCOPE_BRAND;
    sc.brand = brand;
    for (i = 0; i <= HISTORY_MAX; i++) {
        sc.until = end - (int64_t)i * len;
        sc.since = sc.until - len;
        if ((rc = cr_store_kpi_inputs(&in, st, &sc)) < 0)
            return rc;
        cr_kpi_compute(&v, d, &in);
        if (!v.available || (d->cumulative && v.value <= 0))
            break;
        vals[nv++] = v.value;
        spend += in.spend_minor;
        units += v.value;
    }
    if (nv > 0)
        *last_value = vals[0];
    if (d->cumulative && units > 0 && spend > 0)
        *cost_per_unit = (double)spend / units;
    for (i = 0; i + 1 < nv; i++)
        if (vals[i + 1] != 0)
            changes[(*n)++] = vals[i] / vals[i + 1] - 1.0;
    return CR_OK;
}

static void money(char *buf, size_t size, double minor, const char *cur)
{
    snprintf(buf, size, "%.0f %s", minor / 100.0, cur && *cur ? cur : "");
}

cr_err
cr_smart_check(cr_smart_report *out, cr_store *st, const cr_campaign_spec *spec, int64_t as_of)
{
    cr_smart_item *S = &out->items[0], *M = &out->items[1], *A = &out->items[2],
                  *R = &out->items[3], *T = &out->items[4];
    rule_state rs;
    size_t i, nprimary = 0, nmissing_target = 0, nmissing_base = 0;
    char miss_t[200] = "", miss_b[200] = "";
    int64_t len = spec->end >= spec->start && spec->start ? spec->end + DAY - spec->start : 0;
    int64_t a, b;
    cr_err rc;
    int k;

    memset(out, 0, sizeof(*out));
    const char *letters = "SMART";
    const char *names[] = { "Specific", "Measurable", "Achievable", "Relevant", "Time-bound" };
    for (k = 0; k < 5; k++) {
        out->items[k].letter = letters[k];
        out->items[k].name = names[k];
    }
    if (as_of == 0)
        as_of = cr_now();

    /* S: the goal type and the KPI set agree */
    rs.s = S;
    rs.first = 1;
    if ((rc = cr_campaign_check_rules(spec, on_rule, &rs, &out->rule_violations)) < 0)
        return rc;
    if (out->rule_violations == 0) {
        for (i = 0; i < spec->nkpis; i++)
            nprimary += spec->kpis[i].primary;
        set_item(S, CR_VERDICT_PASS, "one %s goal measured by %zu matching primary KPIs",
                 cr_goal_name(spec->primary_goal), nprimary);
        if (spec->npartners == 0)
            add_item(S, CR_VERDICT_WARN, "no partnerships listed: say who will deliver it");
    } else if (out->rule_violations > 1) {
        size_t l = strlen(S->reason);
        snprintf(S->reason + l, sizeof(S->reason) - l, " (%d rule problems in all)",
                 out->rule_violations);
    }

    /* M: targets and baselines, or an honest benchmarking period */
    for (i = 0; i < spec->nkpis; i++) {
        const cr_campaign_kpi_spec *ks = &spec->kpis[i];
        if (!ks->primary)
            continue;
        if (ks->target_kind == CR_TARGET_NONE) {
            nmissing_target++;
            snprintf(miss_t + strlen(miss_t), sizeof(miss_t) - strlen(miss_t), "%s%s",
                     nmissing_target > 1 ? ", " : "", ks->code);
        }
        if (!ks->has_baseline && ks->baseline_period[0] == '\0' &&
            ks->target_kind != CR_TARGET_ABSOLUTE) {
            nmissing_base++;
            snprintf(miss_b + strlen(miss_b), sizeof(miss_b) - strlen(miss_b), "%s%s",
                     nmissing_base > 1 ? ", " : "", ks->code);
        }
    }
    if (spec->benchmarking) {
        set_item(M, CR_VERDICT_PASS,
                 "benchmarking period: this cycle measures the baseline of every primary KPI, "
                 "so no lift is promised yet");
    } else if (nmissing_base > 0) {
        out->propose_benchmarking = 1;
        set_item(M, CR_VERDICT_FAIL,
                 "no baseline for %s: without one a lift cannot be measured; make this cycle a "
                 "benchmarking period (benchmarking: true) rather than guess a number",
                 miss_b);
    } else if (nmissing_target > 0) {
        set_item(M, CR_VERDICT_FAIL, "no target for %s: say what number means success", miss_t);
    } else {
        set_item(M, CR_VERDICT_PASS,
                 "every primary KPI has a target, and a baseline value or baseline period");
    }
    /* baselines named by period must exist in the store */
    if (!spec->benchmarking && st != NULL && spec->brand[0]) {
        for (i = 0; i < spec->nkpis; i++) {
            const cr_campaign_kpi_spec *ks = &spec->kpis[i];
            const cr_kpi_def *d = cr_kpi_find(ks->code);
            cr_kpi_scope sc;
            cr_kpi_inputs in;
            cr_kpi_value v;
            if (!ks->primary || ks->has_baseline || !ks->baseline_period[0] || d == NULL)
                continue;
            if (cr_period_bounds(&a, &b, ks->baseline_period) < 0)
                continue;
            memset(&sc, 0, sizeof(sc));
            sc.kind = CR_SCOPE_BRAND;
            sc.brand = spec->brand;
            sc.since = a;
            sc.until = b + DAY;
            if ((rc = cr_store_kpi_inputs(&in, st, &sc)) < 0)
                return rc;
            cr_kpi_compute(&v, d, &in);
            if (!v.available || (d->cumulative && v.value <= 0))
                add_item(M, CR_VERDICT_WARN,
                         "the store has no %s baseline for %s (%s): import that period's data, "
                         "then run crest baseline compute",
                         ks->baseline_period, ks->code, v.available ? "zero" : v.missing);
            else if (M->verdict == CR_VERDICT_PASS)
                add_item(M, CR_VERDICT_PASS, "%s baseline for %s is in the store",
                         ks->baseline_period, ks->code);
        }
    }

    /* A: target lift against history, budget against historical cost per unit */
    set_item(A, CR_VERDICT_PASS, "nothing to judge");
    {
        int judged = 0;
        A->reason[0] = '\0';
        for (i = 0; i < spec->nkpis; i++) {
            const cr_campaign_kpi_spec *ks = &spec->kpis[i];
            const cr_kpi_def *d = cr_kpi_find(ks->code);
            double changes[HISTORY_MAX], last, cpu, pct;
            int n, below = 0, j;
            int64_t hist_end;
            char t1[64], t2[64];
            if (!ks->primary || d == NULL || ks->target_kind == CR_TARGET_NONE)
                continue;
            if (st == NULL || !spec->brand[0] || len <= 0) {
                add_item(A, CR_VERDICT_WARN, "%s: no store history to judge the target against",
                         ks->code);
                judged++;
                continue;
            }
            hist_end = ks->baseline_period[0] && cr_period_bounds(&a, &b, ks->baseline_period) == 0
                           ? b + DAY
                           : (spec->start < as_of ? spec->start : as_of);
            if ((rc = history_changes(changes, &n, &last, &cpu, st, spec->brand, d, hist_end,
                                      len)) < 0)
                return rc;
            judged++;
            {
                /* an absolute target is judged as the lift it implies over the last period */
                double rel = ks->target_kind == CR_TARGET_RELATIVE ? ks->target
                             : !isnan(last) && last != 0           ? ks->target / last - 1.0
                                                                   : NAN;
                double lift = rel * d->direction;
                char what[96];
                if (ks->target_kind == CR_TARGET_RELATIVE)
                    snprintf(what, sizeof(what), "%+.0f%%", rel * 100);
                else
                    snprintf(what, sizeof(what), "%s (%+.0f%% on the last period)",
                             cr_kpi_format(t1, sizeof(t1), d, ks->target, spec->currency),
                             rel * 100);
                if (isnan(rel)) {
                    add_item(A, CR_VERDICT_WARN,
                             "%s: no history of it for %s in the store to judge a target of %s",
                             ks->code, spec->brand,
                             cr_kpi_format(t1, sizeof(t1), d, ks->target, spec->currency));
                } else if (n < HISTORY_MIN) {
                    add_item(A, CR_VERDICT_WARN,
                             "%s: only %d past period-over-period change%s in the store "
                             "(need %d) to judge %s",
                             ks->code, n, n == 1 ? "" : "s", HISTORY_MIN, what);
                } else {
                    cr_qsort(changes, (size_t)n, sizeof(double), cmp_double);
                    for (j = 0; j < n; j++)
                        below += changes[j] * d->direction < lift;
                    pct = 100.0 * below / n;
                    if (pct >= 100)
                        add_item(A, CR_VERDICT_WARN,
                                 "%s: %s is above every one of %d past changes (best %+.0f%%)",
                                 ks->code, what, n, changes[d->direction > 0 ? n - 1 : 0] * 100);
                    else
                        add_item(A, pct > 75 ? CR_VERDICT_WARN : CR_VERDICT_PASS,
                                 "%s: %s is at the %.0f%s percentile of %d past changes", ks->code,
                                 what, pct, ordinal(pct), n);
                }
            }
            if (d->cumulative && !isnan(cpu) && spec->budget_minor > 0) {
                double goal = ks->target_kind == CR_TARGET_ABSOLUTE ? ks->target
                              : !isnan(last)                        ? last * (1 + ks->target)
                                                                    : NAN;
                if (!isnan(goal)) {
                    double need = goal * cpu;
                    money(t1, sizeof(t1), need, spec->currency);
                    money(t2, sizeof(t2), (double)spec->budget_minor, spec->currency);
                    add_item(A, need > spec->budget_minor * 1.1 ? CR_VERDICT_WARN : CR_VERDICT_PASS,
                             "%s: reaching %.0f at the historical cost of %.4g per unit needs "
                             "about %s; the budget is %s",
                             ks->code, goal, cpu / 100.0, t1, t2);
                }
            }
        }
        if (!judged)
            set_item(A, spec->benchmarking ? CR_VERDICT_PASS : CR_VERDICT_WARN, "%s",
                     spec->benchmarking ? "benchmarking: no target to judge yet"
                                        : "no targets to judge");
    }

    /* R: tied to a business objective; no vanity primary KPI for a sales goal */
    if (spec->objective[0] == '\0')
        set_item(R, CR_VERDICT_FAIL,
                 "no business objective: say what the business gains (objective: ...)");
    else if (strlen(spec->objective) < 20)
        set_item(R, CR_VERDICT_WARN,
                 "the objective '%s' is too short to say what the business "
                 "gains",
                 spec->objective);
    else
        set_item(R, CR_VERDICT_PASS, "linked to the objective: %.120s", spec->objective);
    for (i = 0; i < spec->nkpis; i++) {
        const cr_kpi_def *d = cr_kpi_find(spec->kpis[i].code);
        if (d && d->vanity && spec->kpis[i].primary && spec->primary_goal == CR_GOAL_SALES)
            add_item(R, CR_VERDICT_FAIL,
                     "%s is a vanity metric as a primary KPI of a sales goal: use revenue, "
                     "conversion rate, AOV or ROAS",
                     d->code);
    }

    /* T: start, end, evaluation date */
    if (spec->start == 0 || spec->end == 0) {
        set_item(T, CR_VERDICT_FAIL, "no period: give a start and an end date");
    } else if (spec->end < spec->start) {
        set_item(T, CR_VERDICT_FAIL, "the period ends before it starts");
    } else {
        char d1[16], d2[16], d3[16];
        cr_fmt_date(d1, sizeof(d1), spec->start);
        cr_fmt_date(d2, sizeof(d2), spec->end);
        if (spec->evaluation == 0)
            set_item(T, CR_VERDICT_WARN,
                     "%s to %s, but no evaluation date: set evaluation: to when results are "
                     "judged (late conversions arrive after the end)",
                     d1, d2);
        else if (spec->evaluation < spec->end)
            set_item(T, CR_VERDICT_FAIL, "evaluation on %s comes before the end (%s)",
                     cr_fmt_date(d3, sizeof(d3), spec->evaluation), d2);
        else
            set_item(T, CR_VERDICT_PASS, "%s to %s (%lld days), evaluated on %s", d1, d2,
                     (long long)(len / DAY), cr_fmt_date(d3, sizeof(d3), spec->evaluation));
        if (len > 366LL * DAY)
            add_item(T, CR_VERDICT_WARN, "longer than a year: split it into cycles");
    }
    out->overall = CR_VERDICT_PASS;
    for (k = 0; k < 5; k++)
        if (out->items[k].verdict > out->overall)
            out->overall = out->items[k].verdict;
    return CR_OK;
}
