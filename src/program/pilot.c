/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * pilot.c - pilots of an AI tool on one workflow stage and their report. The baseline is the
 * stage's time logs without the tool in the `days` days before the start; the pilot period
 * holds its logs with the tool. Time saved per task is the difference of the mean minutes,
 * with a percentile bootstrap 95% interval whose resampling is fixed (seeded xoshiro256**,
 * documented in crest/program.h and docs/program.md) so that anyone can recompute it.
 * Quality: errors per task from the same logs plus the pilot's recorded measures. Adoption:
 * active users per week (tool logs and feature use), the features used, and friction (tasks
 * of the stage still done without the tool during the pilot). Business case: hours saved over
 * the pilot period x the hourly rate against the tool's cost. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crest/program.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/str.h"

#define DAY 86400

cr_err cr_program_pilot_start(int64_t *out_id, cr_store *st, const cr_pilot *p)
{
    cr_pilot q = *p;

    if (!cr_program_stage_known(p->stage))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "stage: expected discovery, vetting, outreach, negotiation, "
                            "content_approval, monitoring, reporting or payment, found '%s'",
                            p->stage ? p->stage : "");
    if (p->days < CR_PILOT_MIN_DAYS || p->days > CR_PILOT_MAX_DAYS)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "--days: a pilot runs 30 to 60 days (shorter ones measure noise, "
                            "longer ones delay the decision), found %lld",
                            (long long)p->days);
    if (p->rate_minor < 0 || p->cost_minor < 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "--rate and --cost: expected amounts of 0 or more");
    q.start = p->start - p->start % DAY;
    q.end = q.start + p->days * DAY;
    q.baseline_start = q.start - p->days * DAY;
    return cr_store_pilot_add(out_id, st, &q);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double mean_of(const double *v, size_t n)
{
    double s = 0;
    size_t i;

    for (i = 0; i < n; i++)
        s += v[i];
    return n ? s / (double)n : NAN;
}

cr_err cr_program_bootstrap_diff(double *lo,
                                 double *hi,
                                 const double *a,
                                 size_t na,
                                 const double *b,
                                 size_t nb,
                                 int rounds,
                                 uint64_t seed)
{
    double *d;
    cr_rng rng;
    int k;
    size_t i;

    *lo = *hi = NAN;
    if (na < 2 || nb < 2 || rounds < 40)
        return CR_OK;
    if ((d = cr_calloc((size_t)rounds, sizeof(double))) == NULL)
        return cr_error_oom();
    cr_rng_seed(&rng, seed);
    for (k = 0; k < rounds; k++) {
        double sa = 0, sb = 0;
        for (i = 0; i < na; i++)
            sa += a[cr_rng_next(&rng) % na];
        for (i = 0; i < nb; i++)
            sb += b[cr_rng_next(&rng) % nb];
        d[k] = sa / (double)na - sb / (double)nb;
    }
    cr_qsort(d, (size_t)rounds, sizeof(double), cmp_double);
    *lo = d[(size_t)(0.025 * rounds)];
    *hi = d[(size_t)(0.975 * rounds) - 1];
    cr_free(d);
    return CR_OK;
}

/* ---- gathering the logs ---- */

typedef struct {
    double *v;
    size_t n, cap;
} dvec;

static cr_err dvec_push(dvec *d, double x)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        double *v = cr_realloc(d->v, cap * sizeof(double));
        if (v == NULL)
            return cr_error_oom();
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    return CR_OK;
}

#define MAX_WEEKS 9
#define MAX_USERS 256
#define MAX_TASKS 32

typedef struct {
    char name[96];
    dvec base, pilot;
} task_set;

typedef struct {
    const cr_pilot *p;
    dvec base, pilot;
    int64_t base_errors, pilot_errors, untooled;
    task_set tasks[MAX_TASKS];
    size_t ntasks;
    /* adoption: users seen per week (a user is a short string compared by value) */
    char users[MAX_USERS][96];
    size_t nusers;
    unsigned char active[MAX_WEEKS][MAX_USERS];
    char untooled_users[MAX_USERS][96];
    size_t nuntooled_users;
    json_t *features; /* name -> count */
} gather;

static int user_index(char list[][96], size_t *n, const char *u)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp(list[i], u) == 0)
            return (int)i;
    if (*n == MAX_USERS)
        return -1;
    snprintf(list[*n], 96, "%s", u);
    return (int)(*n)++;
}

static void mark_active(gather *g, const char *user, int64_t at)
{
    int64_t week = (at - g->p->start) / (7 * DAY);
    int u;

    if (user == NULL || at < g->p->start || at >= g->p->end || week >= MAX_WEEKS)
        return;
    if ((u = user_index(g->users, &g->nusers, user)) >= 0)
        g->active[week][u] = 1;
}

static task_set *task_of(gather *g, const char *task)
{
    size_t i;

    if (task == NULL)
        return NULL;
    for (i = 0; i < g->ntasks; i++)
        if (strcmp(g->tasks[i].name, task) == 0)
            return &g->tasks[i];
    if (g->ntasks == MAX_TASKS)
        return NULL;
    snprintf(g->tasks[g->ntasks].name, sizeof(g->tasks[0].name), "%s", task);
    return &g->tasks[g->ntasks++];
}

static cr_err gather_log(const cr_timelog *t, void *payload)
{
    gather *g = payload;
    task_set *ts = task_of(g, t->task);
    cr_err rc;

    if (t->at < g->p->start) {
        if (t->with_tool)
            return CR_OK; /* a tool log before the pilot is not a baseline */
        g->base_errors += t->errors;
        if ((rc = dvec_push(&g->base, t->minutes)) < 0 ||
            (ts && (rc = dvec_push(&ts->base, t->minutes)) < 0))
            return rc;
        return CR_OK;
    }
    if (!t->with_tool) {
        g->untooled++;
        if (t->user)
            user_index(g->untooled_users, &g->nuntooled_users, t->user);
        return CR_OK;
    }
    g->pilot_errors += t->errors;
    mark_active(g, t->user, t->at);
    if ((rc = dvec_push(&g->pilot, t->minutes)) < 0 ||
        (ts && (rc = dvec_push(&ts->pilot, t->minutes)) < 0))
        return rc;
    return CR_OK;
}

static cr_err gather_usage(const char *user, const char *feature, int64_t at, void *payload)
{
    gather *g = payload;
    json_t *c = json_object_get(g->features, feature);

    mark_active(g, user, at);
    if (json_object_set_new(g->features, feature, json_integer(c ? json_integer_value(c) + 1 : 1)) <
        0)
        return cr_error_oom();
    return CR_OK;
}

static cr_err pilot_copy(const cr_pilot *p, void *payload)
{
    cr_pilot *out = payload;
    char *stage = cr_malloc(strlen(p->stage) + 1), *cur;

    if (stage == NULL)
        return cr_error_oom();
    memcpy(stage, p->stage, strlen(p->stage) + 1);
    cur = cr_malloc(4);
    if (cur == NULL) {
        cr_free(stage);
        return cr_error_oom();
    }
    snprintf(cur, 4, "%s", p->currency ? p->currency : "USD");
    *out = *p;
    out->stage = stage;
    out->currency = cur;
    out->created_by = NULL;
    return CR_OK;
}

static cr_err measure_json(const cr_pilot_measure *m, void *payload)
{
    double change = m->pilot - m->baseline;
    json_t *j = json_pack("{s:s,s:s,s:f,s:f,s:f,s:b}", "name", m->name, "source", "recorded",
                          "baseline", m->baseline, "pilot", m->pilot, "change", change, "improved",
                          m->higher_better ? change > 0 : change < 0);

    if (j == NULL || json_array_append_new(payload, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

static json_t *num_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *saved_json(const double *a, size_t na, const double *b, size_t nb, cr_err *rc)
{
    double lo, hi, mb = mean_of(a, na), mp = mean_of(b, nb);

    if ((*rc = cr_program_bootstrap_diff(&lo, &hi, a, na, b, nb, CR_PILOT_BOOTSTRAP,
                                         CR_PILOT_SEED)) < 0)
        return NULL;
    return json_pack("{s:I,s:I,s:o,s:o,s:o,s:[o,o]}", "baseline_tasks", (json_int_t)na,
                     "pilot_tasks", (json_int_t)nb, "baseline_minutes", num_or_null(mb),
                     "pilot_minutes", num_or_null(mp), "minutes_saved", num_or_null(mb - mp),
                     "interval95", num_or_null(lo), num_or_null(hi));
}

static json_t *report_build(cr_store *st, const cr_pilot *p, gather *g, cr_err *rc)
{
    json_t *r = NULL, *tasks = NULL, *weeks = NULL, *measures = NULL, *overall, *t;
    char d1[16], d2[16], d3[16], d4[16];
    double per_task, lo, hi, hours, value, base_ept, pilot_ept, share;
    size_t i, u, nweeks = (size_t)((p->days + 6) / 7);
    int first_active = 0, last_active = 0;

    if ((overall = saved_json(g->base.v, g->base.n, g->pilot.v, g->pilot.n, rc)) == NULL)
        return NULL;
    per_task = json_real_value(json_object_get(overall, "minutes_saved"));
    if (g->base.n == 0 || g->pilot.n == 0)
        per_task = NAN;
    lo = json_real_value(json_array_get(json_object_get(overall, "interval95"), 0));
    hi = json_real_value(json_array_get(json_object_get(overall, "interval95"), 1));
    if (json_is_null(json_array_get(json_object_get(overall, "interval95"), 0)))
        lo = hi = NAN;
    tasks = json_array();
    for (i = 0; tasks && i < g->ntasks; i++) {
        if (g->tasks[i].base.n == 0 || g->tasks[i].pilot.n == 0)
            continue;
        t = saved_json(g->tasks[i].base.v, g->tasks[i].base.n, g->tasks[i].pilot.v,
                       g->tasks[i].pilot.n, rc);
        if (t == NULL || json_object_set_new(t, "task", json_string(g->tasks[i].name)) < 0 ||
            json_array_append_new(tasks, t) < 0)
            goto fail;
    }
    weeks = json_array();
    for (i = 0; weeks && i < nweeks && i < MAX_WEEKS; i++) {
        int active = 0;
        for (u = 0; u < g->nusers; u++)
            active += g->active[i][u];
        if (i == 0)
            first_active = active;
        last_active = active;
        if (json_array_append_new(
                weeks, json_pack("{s:I,s:s,s:i}", "week", (json_int_t)i + 1, "starts",
                                 cr_fmt_date(d1, sizeof(d1), p->start + (int64_t)i * 7 * DAY),
                                 "active_users", active)) < 0)
            goto fail;
    }
    if ((measures = json_array()) == NULL)
        goto fail;
    base_ept = g->base.n ? (double)g->base_errors / (double)g->base.n : NAN;
    pilot_ept = g->pilot.n ? (double)g->pilot_errors / (double)g->pilot.n : NAN;
    if (json_array_append_new(
            measures,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:b}", "name", "errors_per_task", "source", "time logs",
                      "baseline", num_or_null(base_ept), "pilot", num_or_null(pilot_ept), "change",
                      num_or_null(pilot_ept - base_ept), "improved", pilot_ept < base_ept)) < 0 ||
        (*rc = cr_store_pilot_measure_list(st, p->id, measure_json, measures)) < 0)
        goto fail;
    share = g->pilot.n + (size_t)g->untooled
                ? (double)g->untooled / (double)(g->pilot.n + (size_t)g->untooled)
                : NAN;
    hours = isnan(per_task) ? NAN : per_task * (double)g->pilot.n / 60.0;
    value = isnan(hours) ? NAN : round(hours * (double)p->rate_minor);
    r = json_pack(
        "{s:I,s:s,s:I,s:{s:s,s:s},s:{s:s,s:s},s:o,s:o,s:{s:o,s:o,s:I,s:I},"
        "s:{s:o,s:o,s:I,s:i,s:i,s:I,s:o},s:{s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:s,s:s},s:{s:s,s:i,s:I}}",
        "id", (json_int_t)p->id, "stage", p->stage, "days", (json_int_t)p->days, "baseline", "from",
        cr_fmt_date(d1, sizeof(d1), p->baseline_start), "until",
        cr_fmt_date(d2, sizeof(d2), p->start), "pilot", "from",
        cr_fmt_date(d3, sizeof(d3), p->start), "until", cr_fmt_date(d4, sizeof(d4), p->end),
        "time_saved", overall, "tasks", tasks, "quality", "measures", measures,
        "errors_per_task_change", num_or_null(pilot_ept - base_ept), "baseline_errors",
        (json_int_t)g->base_errors, "pilot_errors", (json_int_t)g->pilot_errors, "adoption",
        "weeks", weeks, "features", g->features, "users", (json_int_t)g->nusers,
        "first_week_active", first_active, "last_week_active", last_active, "tasks_without_tool",
        (json_int_t)g->untooled, "share_without_tool", num_or_null(share), "business_case",
        "hours_saved", num_or_null(hours), "value_minor", num_or_null(value), "value_low_minor",
        num_or_null(isnan(lo) ? NAN
                              : round(lo * (double)g->pilot.n / 60.0 * (double)p->rate_minor)),
        "value_high_minor",
        num_or_null(isnan(hi) ? NAN
                              : round(hi * (double)g->pilot.n / 60.0 * (double)p->rate_minor)),
        "cost_minor", (json_int_t)p->cost_minor, "net_minor",
        num_or_null(isnan(value) ? NAN : value - (double)p->cost_minor), "roi",
        num_or_null(isnan(value) || p->cost_minor == 0 ? NAN : value / (double)p->cost_minor),
        "currency", p->currency, "formula",
        "hours_saved = minutes_saved x pilot_tasks / 60; value = hours_saved x rate", "method",
        "bootstrap", "percentile, resampling baseline then pilot with replacement", "rounds",
        CR_PILOT_BOOTSTRAP, "seed", (json_int_t)CR_PILOT_SEED);
    g->features = NULL; /* stolen by the pack (s:o) */
    if (r == NULL) {
        *rc = cr_error_oom();
        return NULL;
    }
    /* the quality block's helper fields: how many measures improved */
    {
        json_t *q = json_object_get(r, "quality"), *m;
        size_t k, improved = 0;
        json_array_foreach(json_object_get(q, "measures"), k, m) improved +=
            json_is_true(json_object_get(m, "improved"));
        json_object_set_new(q, "improved_measures", json_integer((json_int_t)improved));
        json_object_set_new(
            q, "recorded_measures",
            json_integer((json_int_t)json_array_size(json_object_get(q, "measures")) - 1));
    }
    return r;
fail:
    if (*rc == CR_OK)
        *rc = cr_error_oom();
    json_decref(overall);
    json_decref(tasks);
    json_decref(weeks);
    json_decref(measures);
    return NULL;
}

static cr_err report_json(json_t **out, cr_store *st, int64_t pilot_id)
{
    cr_pilot p;
    gather *g = NULL;
    json_t *r = NULL;
    size_t i;
    cr_err rc;

    *out = NULL;
    memset(&p, 0, sizeof(p));
    if ((rc = cr_store_pilot_list(st, pilot_id, pilot_copy, &p)) < 0)
        return rc;
    if ((g = cr_calloc(1, sizeof(*g))) == NULL || (g->features = json_object()) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    g->p = &p;
    if ((rc = cr_store_timelog_list(st, p.stage, p.baseline_start, p.end, gather_log, g)) < 0 ||
        (rc = cr_store_usage_list(st, p.start, p.end, gather_usage, g)) < 0)
        goto done;
    r = report_build(st, &p, g, &rc);
    *out = r;
done:
    if (g) {
        json_decref(g->features);
        cr_free(g->base.v);
        cr_free(g->pilot.v);
        for (i = 0; i < g->ntasks; i++) {
            cr_free(g->tasks[i].base.v);
            cr_free(g->tasks[i].pilot.v);
        }
        cr_free(g);
    }
    cr_free((char *)p.stage);
    cr_free((char *)p.currency);
    return rc;
}

static cr_err dump_text(char **out, json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    size_t n;

    json_decref(j);
    if (s == NULL)
        return cr_error_oom();
    n = strlen(s);
    if ((*out = cr_malloc(n + 1)) == NULL) {
        free(s);
        return cr_error_oom();
    }
    memcpy(*out, s, n + 1);
    free(s);
    return CR_OK;
}

cr_err cr_program_pilot_report(char **out, cr_store *st, int64_t pilot_id)
{
    json_t *j;
    cr_err rc;

    *out = NULL;
    if ((rc = report_json(&j, st, pilot_id)) < 0)
        return rc;
    return dump_text(out, j);
}

static void html_num(cr_str *s, const json_t *v, const char *fmt)
{
    if (json_is_number(v))
        cr_str_printf(s, fmt, json_number_value(v));
    else
        cr_str_puts(s, "&ndash;");
}

static void html_esc(cr_str *s, const char *t)
{
    for (; t && *t; t++) {
        switch (*t) {
        case '<':
            cr_str_puts(s, "&lt;");
            break;
        case '>':
            cr_str_puts(s, "&gt;");
            break;
        case '&':
            cr_str_puts(s, "&amp;");
            break;
        case '"':
            cr_str_puts(s, "&quot;");
            break;
        default:
            cr_str_putc(s, *t);
        }
    }
}

cr_err cr_program_pilot_report_html(char **out, cr_store *st, int64_t pilot_id)
{
    json_t *j, *ts, *q, *a, *b, *m, *iv;
    const char *key;
    cr_str s;
    size_t i;
    cr_err rc;

    *out = NULL;
    if ((rc = report_json(&j, st, pilot_id)) < 0)
        return rc;
    ts = json_object_get(j, "time_saved");
    iv = json_object_get(ts, "interval95");
    q = json_object_get(j, "quality");
    a = json_object_get(j, "adoption");
    b = json_object_get(j, "business_case");
    cr_str_init(&s, CR_STR_MAX_DEFAULT);
    cr_str_printf(&s,
                  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pilot "
                  "%lld: ",
                  (long long)json_integer_value(json_object_get(j, "id")));
    html_esc(&s, json_string_value(json_object_get(j, "stage")));
    cr_str_puts(&s, "</title><style>body{font:14px system-ui,sans-serif;max-width:60em;margin:2em "
                    "auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:"
                    "3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
                    "</style></head><body>\n<h1>Pilot ");
    cr_str_printf(&s, "%lld: ", (long long)json_integer_value(json_object_get(j, "id")));
    html_esc(&s, json_string_value(json_object_get(j, "stage")));
    cr_str_printf(&s, "</h1>\n<p>Baseline %s to %s without the tool; pilot %s to %s with it.</p>\n",
                  json_string_value(json_object_get(json_object_get(j, "baseline"), "from")),
                  json_string_value(json_object_get(json_object_get(j, "baseline"), "until")),
                  json_string_value(json_object_get(json_object_get(j, "pilot"), "from")),
                  json_string_value(json_object_get(json_object_get(j, "pilot"), "until")));
    cr_str_puts(&s, "<h2>Time saved per task</h2>\n<p><strong>");
    html_num(&s, json_object_get(ts, "minutes_saved"), "%.2f");
    cr_str_puts(&s, " minutes</strong> (95% bootstrap interval ");
    html_num(&s, json_array_get(iv, 0), "%.2f");
    cr_str_puts(&s, " to ");
    html_num(&s, json_array_get(iv, 1), "%.2f");
    cr_str_printf(&s, "; baseline %lld tasks, pilot %lld tasks).</p>\n",
                  (long long)json_integer_value(json_object_get(ts, "baseline_tasks")),
                  (long long)json_integer_value(json_object_get(ts, "pilot_tasks")));
    cr_str_puts(&s, "<table><tr><th>task</th><th>baseline min</th><th>pilot min</th><th>saved</th>"
                    "<th>95% interval</th></tr>\n");
    json_array_foreach(json_object_get(j, "tasks"), i, m)
    {
        cr_str_puts(&s, "<tr><td>");
        html_esc(&s, json_string_value(json_object_get(m, "task")));
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_object_get(m, "baseline_minutes"), "%.2f");
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_object_get(m, "pilot_minutes"), "%.2f");
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_object_get(m, "minutes_saved"), "%.2f");
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_array_get(json_object_get(m, "interval95"), 0), "%.2f");
        cr_str_puts(&s, " to ");
        html_num(&s, json_array_get(json_object_get(m, "interval95"), 1), "%.2f");
        cr_str_puts(&s, "</td></tr>\n");
    }
    cr_str_puts(&s, "</table>\n<h2>Quality</h2>\n<table><tr><th>measure</th><th>source</th>"
                    "<th>baseline</th><th>pilot</th><th>change</th></tr>\n");
    json_array_foreach(json_object_get(q, "measures"), i, m)
    {
        cr_str_puts(&s, "<tr><td>");
        html_esc(&s, json_string_value(json_object_get(m, "name")));
        cr_str_puts(&s, "</td><td>");
        html_esc(&s, json_string_value(json_object_get(m, "source")));
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_object_get(m, "baseline"), "%.4g");
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_object_get(m, "pilot"), "%.4g");
        cr_str_puts(&s, "</td><td>");
        html_num(&s, json_object_get(m, "change"), "%+.4g");
        cr_str_puts(&s, "</td></tr>\n");
    }
    cr_str_puts(&s, "</table>\n<h2>Adoption</h2>\n<table><tr><th>week</th><th>starts</th>"
                    "<th>active users</th></tr>\n");
    json_array_foreach(json_object_get(a, "weeks"), i, m)
        cr_str_printf(&s, "<tr><td>%lld</td><td>%s</td><td>%lld</td></tr>\n",
                      (long long)json_integer_value(json_object_get(m, "week")),
                      json_string_value(json_object_get(m, "starts")),
                      (long long)json_integer_value(json_object_get(m, "active_users")));
    cr_str_puts(&s, "</table>\n<p>Features used: ");
    json_object_foreach(json_object_get(a, "features"), key, m)
    {
        html_esc(&s, key);
        cr_str_printf(&s, " (%lld) ", (long long)json_integer_value(m));
    }
    cr_str_printf(&s,
                  "</p>\n<p>Friction: %lld tasks of the stage were done without the tool "
                  "during the pilot (share ",
                  (long long)json_integer_value(json_object_get(a, "tasks_without_tool")));
    html_num(&s, json_object_get(a, "share_without_tool"), "%.3f");
    cr_str_puts(&s, ").</p>\n<h2>Business case</h2>\n<p>Hours saved over the pilot: ");
    html_num(&s, json_object_get(b, "hours_saved"), "%.2f");
    cr_str_puts(&s, "; value ");
    html_num(&s, json_object_get(b, "value_minor"), "%.0f");
    cr_str_printf(&s, " (minor units of %s) against a cost of %lld; net ",
                  json_string_value(json_object_get(b, "currency")),
                  (long long)json_integer_value(json_object_get(b, "cost_minor")));
    html_num(&s, json_object_get(b, "net_minor"), "%.0f");
    cr_str_puts(&s, ".</p>\n</body></html>\n");
    json_decref(j);
    if (s.ptr == NULL)
        return cr_error_oom();
    *out = cr_str_detach(&s);
    return CR_OK;
}
