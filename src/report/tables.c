/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * tables.c - the report as plain tables of typed cells, shared by the CSV and XLSX writers.
 * A cell keeps its number and how to show it (count, percentage, money, ...), so CSV prints
 * the raw value and XLSX a number with a format: nothing is turned into text twice. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "util/alloc.h"
#include "util/date.h"

typedef struct {
    cr_report_table *t;
    size_t cap, owned_cap, col;
} tb;

static cr_err tb_new(tb *b, cr_report_table *t, const char *name, const char **cols, size_t ncols)
{
    memset(b, 0, sizeof(*b));
    memset(t, 0, sizeof(*t));
    snprintf(t->name, sizeof(t->name), "%s", name);
    t->ncols = ncols;
    if ((t->cols = cr_calloc(ncols, sizeof(*t->cols))) == NULL)
        return cr_error_oom();
    memcpy(t->cols, cols, ncols * sizeof(*cols));
    b->t = t;
    return CR_OK;
}

static cr_err tb_row(tb *b)
{
    cr_report_table *t = b->t;

    if (t->nrows + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 16;
        cr_cell *n = cr_realloc(t->cells, ncap * t->ncols * sizeof(*n));
        if (n == NULL)
            return cr_error_oom();
        t->cells = n;
        b->cap = ncap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(*t->cells));
    t->nrows++;
    b->col = 0;
    return CR_OK;
}

static cr_cell *tb_next(tb *b)
{
    cr_report_table *t = b->t;

    if (b->col >= t->ncols)
        return NULL; /* a programming error: more cells than columns; dropped */
    return &t->cells[(t->nrows - 1) * t->ncols + b->col++];
}

static void tb_text(tb *b, const char *s)
{
    cr_cell *c = tb_next(b);

    if (c) {
        c->kind = CR_CELL_TEXT;
        c->s = s ? s : "";
    }
}

static void tb_num(tb *b, cr_cell_kind kind, double v)
{
    cr_cell *c = tb_next(b);

    if (c) {
        c->kind = isnan(v) ? CR_CELL_EMPTY : kind;
        c->v = kind == CR_CELL_MONEY ? v / 100 : v; /* money arrives in minor units */
    }
}

static cr_err tb_printf(tb *b, const char *fmt, ...) CR_PRINTF(2, 3);

static cr_err tb_printf(tb *b, const char *fmt, ...)
{
    cr_report_table *t = b->t;
    char buf[512], **n;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (t->nowned + 1 > b->owned_cap) {
        size_t ncap = b->owned_cap ? b->owned_cap * 2 : 16;
        if ((n = cr_realloc(t->owned, ncap * sizeof(*n))) == NULL)
            return cr_error_oom();
        t->owned = n;
        b->owned_cap = ncap;
    }
    if ((t->owned[t->nowned] = cr_strdup(buf)) == NULL)
        return cr_error_oom();
    tb_text(b, t->owned[t->nowned++]);
    return CR_OK;
}

static cr_cell_kind unit_cell(cr_kpi_unit u)
{
    switch (u) {
    case CR_UNIT_COUNT:
        return CR_CELL_COUNT;
    case CR_UNIT_RATIO:
        return CR_CELL_RATIO;
    case CR_UNIT_MONEY:
        return CR_CELL_MONEY;
    case CR_UNIT_SECONDS:
        return CR_CELL_SECONDS;
    case CR_UNIT_MULTIPLE:
        return CR_CELL_MULTIPLE;
    case CR_UNIT_PER_DAY:
        break;
    }
    return CR_CELL_DECIMAL;
}

static void tb_kpi(tb *b, const cr_kpi_def *d, double v, int available)
{
    tb_num(b, unit_cell(d->unit), available ? v : NAN);
}

/* ---- the tables ------------------------------------------------------------------------- */

static cr_err t_kpis(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "code",   "name",       "role",          "value",
                                  "target", "baseline",   "pct_of_target", "projected",
                                  "status", "definition", "formula",       "note" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "kpis", cols, sizeof(cols) / sizeof(*cols));

    for (i = 0; i < r->nkpis && rc == CR_OK; i++) {
        const cr_report_kpi *k = &r->kpis[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, k->def->code);
        tb_text(&b, k->def->name);
        tb_text(&b, k->primary ? "primary" : "contextual");
        tb_kpi(&b, k->def, k->actual.value, k->actual.available);
        tb_kpi(&b, k->def, k->target, !isnan(k->target));
        tb_kpi(&b, k->def, k->baseline, !isnan(k->baseline));
        tb_num(&b, CR_CELL_RATIO, k->pct_of_target);
        tb_kpi(&b, k->def, k->projected, !isnan(k->projected));
        tb_text(&b, cr_track_status_name(k->status));
        tb_text(&b, k->def->definition);
        tb_text(&b, k->def->formula);
        tb_text(&b, k->note);
    }
    return rc;
}

static cr_err t_totals(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "code",        "name",       "value",   "numerator",
                                  "denominator", "definition", "formula", "missing" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "totals", cols, sizeof(cols) / sizeof(*cols));

    for (i = 0; i < r->totals.nkpis && rc == CR_OK; i++) {
        const cr_kpi_value *v = &r->totals.kpis[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, v->def->code);
        tb_text(&b, v->def->name);
        tb_kpi(&b, v->def, v->value, v->available);
        tb_num(&b, CR_CELL_DECIMAL, v->numerator);
        tb_num(&b, CR_CELL_DECIMAL, v->denominator);
        tb_text(&b, v->def->definition);
        tb_text(&b, v->def->formula);
        tb_text(&b, v->available ? "" : v->missing);
    }
    return rc;
}

static cr_err t_series(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "date",     "impressions", "reach",  "engagements", "clicks",
                                  "sessions", "leads",       "orders", "revenue" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "series", cols, sizeof(cols) / sizeof(*cols));

    for (i = 0; i < r->ndays && rc == CR_OK; i++) {
        const cr_report_day *d = &r->days[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_num(&b, CR_CELL_DATE, (double)d->date);
        tb_num(&b, CR_CELL_COUNT, (double)d->impressions);
        tb_num(&b, CR_CELL_COUNT, (double)d->reach);
        tb_num(&b, CR_CELL_COUNT, (double)d->engagements);
        tb_num(&b, CR_CELL_COUNT, (double)d->clicks);
        tb_num(&b, CR_CELL_COUNT, (double)d->sessions);
        tb_num(&b, CR_CELL_COUNT, (double)d->leads);
        tb_num(&b, CR_CELL_COUNT, (double)d->orders);
        tb_num(&b, CR_CELL_MONEY, (double)d->revenue_minor);
    }
    return rc;
}

/* Leaderboard (campaign) or partnerships (creator): one column per catalog KPI. */
static cr_err t_partners(cr_report_table *t, const cr_report *r)
{
    static const char *head[] = { "rank", "campaign",  "platform", "handle",
                                  "tier", "followers", "posts",    "spend" };
    const size_t nhead = sizeof(head) / sizeof(*head);
    const char *cols[64];
    size_t ncat, i, j;
    const cr_kpi_def *cat = cr_kpi_catalog(&ncat);
    tb b;
    cr_err rc;

    if (nhead + ncat > sizeof(cols) / sizeof(*cols))
        ncat = sizeof(cols) / sizeof(*cols) - nhead;
    memcpy(cols, head, sizeof(head));
    for (j = 0; j < ncat; j++)
        cols[nhead + j] = cat[j].code;
    rc = tb_new(&b, t, r->kind == CR_REPORT_CAMPAIGN ? "leaderboard" : "partnerships", cols,
                nhead + ncat);
    for (i = 0; i < r->npartners && rc == CR_OK; i++) {
        const cr_report_partner *p = &r->partners[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_num(&b, CR_CELL_COUNT, p->rank);
        tb_text(&b, r->kind == CR_REPORT_CAMPAIGN ? r->campaign->name : p->campaign);
        tb_text(&b, p->platform);
        tb_text(&b, p->handle);
        tb_text(&b, p->tier);
        tb_num(&b, CR_CELL_COUNT, p->followers >= 0 ? (double)p->followers : NAN);
        tb_num(&b, CR_CELL_COUNT, (double)p->k.inputs.posts);
        tb_num(&b, CR_CELL_MONEY, (double)p->k.inputs.spend_minor);
        for (j = 0; j < ncat && j < p->k.nkpis; j++)
            tb_kpi(&b, p->k.kpis[j].def, p->k.kpis[j].value, p->k.kpis[j].available);
    }
    return rc;
}

static cr_err t_top(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = {
        "rank",   "platform",    "handle", "url",         "posted_at",
        "format", "impressions", "reach",  "engagements", "engagement_rate",
        "clicks", "sessions",    "orders", "emv",         "emv_calculation"
    };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "top_posts", cols, sizeof(cols) / sizeof(*cols));

    for (i = 0; i < r->ntop && rc == CR_OK; i++) {
        const cr_report_post *p = &r->top[i];
        const cr_kpi_value *er = cr_report_kpi_of(&p->k, "engagement_rate");
        const cr_kpi_inputs *in = &p->k.inputs;
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_num(&b, CR_CELL_COUNT, (double)(i + 1));
        tb_text(&b, p->platform);
        tb_text(&b, p->handle);
        tb_text(&b, p->url);
        tb_num(&b, CR_CELL_DATE, (double)p->posted_at);
        tb_text(&b, p->format);
        tb_num(&b, CR_CELL_COUNT, (double)in->impressions);
        tb_num(&b, CR_CELL_COUNT, (double)in->reach);
        tb_num(&b, CR_CELL_COUNT, (double)(in->likes + in->comments + in->shares + in->saves));
        tb_num(&b, CR_CELL_RATIO, er && er->available ? er->value : NAN);
        tb_num(&b, CR_CELL_COUNT, (double)in->clicks);
        tb_num(&b, CR_CELL_COUNT, (double)in->sessions);
        tb_num(&b, CR_CELL_COUNT, (double)in->orders);
        tb_num(&b, CR_CELL_MONEY, p->k.emv_minor);
        tb_text(&b, p->emv_log);
    }
    return rc;
}

static cr_err t_funnel(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "step", "value", "rate_from_previous" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "funnel", cols, 3);

    for (i = 0; i < 5 && rc == CR_OK; i++) {
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, r->funnel[i].step);
        tb_num(&b, CR_CELL_COUNT, (double)r->funnel[i].value);
        tb_num(&b, CR_CELL_RATIO, r->funnel[i].rate);
    }
    return rc;
}

static cr_err t_attribution(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "kind",    "to_posts",     "to_partnerships",
                                  "by_utm",  "by_code",      "by_landing_utm",
                                  "revenue", "unattributed", "unattributed_rows" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "attribution", cols, sizeof(cols) / sizeof(*cols));

    for (i = 0; i < 3 && rc == CR_OK; i++) {
        const cr_report_attr *a = &r->attribution[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, a->kind);
        tb_num(&b, CR_CELL_COUNT, (double)a->to_posts);
        tb_num(&b, CR_CELL_COUNT, (double)a->to_partnerships);
        tb_num(&b, CR_CELL_COUNT, (double)a->by_utm);
        tb_num(&b, CR_CELL_COUNT, (double)a->by_code);
        tb_num(&b, CR_CELL_COUNT, (double)a->by_landing_utm);
        tb_num(&b, CR_CELL_MONEY, (double)a->revenue_minor);
        tb_num(&b, CR_CELL_COUNT, (double)a->unattributed);
        tb_num(&b, CR_CELL_COUNT, (double)a->unattributed_rows);
    }
    return rc;
}

static cr_err t_unattr(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "kind", "reason", "rows", "units", "value" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "unattributed", cols, 5);

    for (i = 0; i < r->nunattr && rc == CR_OK; i++) {
        const cr_report_unattr *u = &r->unattr[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, u->kind);
        tb_text(&b, u->reason);
        tb_num(&b, CR_CELL_COUNT, (double)u->rows);
        tb_num(&b, CR_CELL_COUNT, (double)u->units);
        tb_num(&b, CR_CELL_MONEY, (double)u->value_minor);
    }
    return rc;
}

static cr_err t_sources(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "kind",        "file",     "imports", "last_import",
                                  "newest_data", "age_days", "stale" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "sources", cols, sizeof(cols) / sizeof(*cols));

    for (i = 0; i < r->nsources && rc == CR_OK; i++) {
        const cr_report_source *s = &r->sources[i];
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, s->kind);
        tb_text(&b, s->file);
        tb_num(&b, CR_CELL_COUNT, (double)s->imports);
        tb_num(&b, CR_CELL_DATE, s->last_import > 0 ? (double)s->last_import : NAN);
        tb_num(&b, CR_CELL_DATE, s->newest_data > 0 ? (double)s->newest_data : NAN);
        tb_num(&b, CR_CELL_DECIMAL, s->age_days);
        tb_text(&b, s->stale ? "yes" : "no");
    }
    return rc;
}

static cr_err t_warnings(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "warning" };
    tb b;
    size_t i;
    cr_err rc = tb_new(&b, t, "warnings", cols, 1);

    for (i = 0; i < r->nwarnings && rc == CR_OK; i++) {
        if ((rc = tb_row(&b)) < 0)
            break;
        tb_text(&b, r->warnings[i]);
    }
    return rc;
}

/* Report facts (what, when, which window, which rate card) as key/value rows. */
static cr_err t_about(cr_report_table *t, const cr_report *r)
{
    static const char *cols[] = { "key", "value" };
    char d[32];
    tb b;
    cr_err rc = tb_new(&b, t, "about", cols, 2);

#define ROW(k, ...)                                      \
    do {                                                 \
        if (rc == CR_OK && (rc = tb_row(&b)) == CR_OK) { \
            tb_text(&b, k);                              \
            rc = tb_printf(&b, __VA_ARGS__);             \
        }                                                \
    } while (0)
    ROW("report", "%s", r->kind == CR_REPORT_CAMPAIGN ? "campaign" : "creator");
    if (r->kind == CR_REPORT_CAMPAIGN) {
        ROW("campaign", "%s", r->campaign->name);
        ROW("brand", "%s", r->campaign->brand);
    } else {
        ROW("creator", "%s/%s", r->platform, r->handle);
    }
    ROW("generated_at", "%s", cr_fmt_datetime(d, sizeof(d), r->generated_at));
    ROW("as_of", "%s", cr_fmt_date(d, sizeof(d), r->as_of));
    ROW("since", "%s", cr_fmt_date(d, sizeof(d), r->since));
    ROW("currency", "%s", r->currency);
    ROW("posts", "%lld", (long long)r->nposts);
    ROW("emv_rate_card", "%s", r->emv_card[0] ? r->emv_card : "(none)");
    ROW("emv_note", "%s", "EMV is a relative measure of media value, not revenue");
    ROW("stale_after_days", "%d", r->stale_days);
#undef ROW
    return rc;
}

typedef cr_err (*table_fn)(cr_report_table *t, const cr_report *r);

cr_err cr_report_tables(cr_report_table **out, size_t *n, const cr_report *r)
{
    static const table_fn campaign[] = { t_about,    t_kpis,    t_totals,  t_series,
                                         t_partners, t_top,     t_funnel,  t_attribution,
                                         t_unattr,   t_sources, t_warnings };
    static const table_fn creator[] = { t_about,  t_totals,  t_partners, t_top,
                                        t_funnel, t_sources, t_warnings };
    const table_fn *fns = r->kind == CR_REPORT_CAMPAIGN ? campaign : creator;
    size_t nfns = r->kind == CR_REPORT_CAMPAIGN ? sizeof(campaign) / sizeof(*campaign)
                                                : sizeof(creator) / sizeof(*creator);
    cr_report_table *t;
    size_t i;
    cr_err rc;

    *out = NULL;
    *n = 0;
    if ((t = cr_calloc(nfns, sizeof(*t))) == NULL)
        return cr_error_oom();
    for (i = 0; i < nfns; i++) {
        if ((rc = fns[i](&t[i], r)) < 0) {
            cr_report_tables_free(t, i + 1);
            return rc;
        }
    }
    *out = t;
    *n = nfns;
    return CR_OK;
}

void cr_report_tables_free(cr_report_table *t, size_t n)
{
    size_t i, j;

    if (t == NULL)
        return;
    for (i = 0; i < n; i++) {
        for (j = 0; j < t[i].nowned; j++)
            cr_free(t[i].owned[j]);
        cr_free(t[i].owned);
        cr_free(t[i].cols);
        cr_free(t[i].cells);
    }
    cr_free(t);
}
