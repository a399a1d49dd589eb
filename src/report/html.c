/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * html.c - the report as one self-contained HTML file: inline CSS (with a print stylesheet),
 * inline SVG charts drawn here (small multiples of the cumulative time series, bars for the
 * leaderboard and the funnel), no script and no network. Every KPI figure is the text
 * cr_kpi_format() makes of the same value the JSON report carries, and its cell names the
 * KPI (data-kpi, data-scope), so a reader or a test can match the two. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/track.h"
#include "report/render.h"
#include "util/date.h"

#define CHART_W 250
#define CHART_H 110

static void esc(FILE *o, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", o);
            break;
        case '<':
            fputs("&lt;", o);
            break;
        case '>':
            fputs("&gt;", o);
            break;
        case '"':
            fputs("&quot;", o);
            break;
        default:
            fputc(*s, o);
        }
    }
}

/* Only http(s) links are made clickable (a URL from an import is untrusted text). */
static int safe_url(const char *u)
{
    return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
}

static const char *fmt_kpi(char *buf, size_t size, const char *code, double v, const char *cur)
{
    const cr_kpi_def *d = cr_kpi_find(code);

    return d ? cr_kpi_format(buf, size, d, v, cur) : "?";
}

static const char *fmt_count(char *buf, size_t size, double v)
{
    return fmt_kpi(buf, size, "impressions", v, NULL);
}

static const char *fmt_pct(char *buf, size_t size, double v)
{
    return fmt_kpi(buf, size, "engagement_rate", v, NULL);
}

/* A KPI cell: the formatted value (or a dash with the reason as a tooltip). */
static void kpi_cell(FILE *o, const char *scope, const cr_kpi_value *v, const char *cur)
{
    char buf[96];

    fprintf(o, "<td class=\"num\" data-scope=\"%s\" data-kpi=\"%s\"", scope, v->def->code);
    if (!v->available) {
        fputs(" title=\"", o);
        esc(o, v->missing);
        fputs("\">-</td>", o);
        return;
    }
    fputs(">", o);
    esc(o, cr_kpi_format(buf, sizeof(buf), v->def, v->value, cur));
    fputs("</td>", o);
}

static const char *css =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;"
    "margin:0 auto;max-width:1100px;padding:24px}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;"
    "border-bottom:2px solid #e3e7ef;padding-bottom:4px}"
    ".meta{color:#5b6477;margin:0}"
    "table{border-collapse:collapse;width:100%;margin:6px 0 10px}"
    "th,td{padding:4px 6px;border-bottom:1px solid #e3e7ef;text-align:left;vertical-align:top}"
    "th{background:#f5f7fb;font-weight:600;font-size:12px}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}"
    ".small{font-size:11px;color:#5b6477}"
    ".warn{background:#fff6e0;border:1px solid #f0c36d;padding:8px 12px;border-radius:4px}"
    ".warn li{margin:2px 0}"
    ".st-on-track{color:#167a3e;font-weight:600}.st-at-risk{color:#a86400;font-weight:600}"
    ".st-off-track{color:#b3261e;font-weight:600}"
    "td[class^=st-]{white-space:nowrap}table.wide{font-size:12px}table.wide th{font-size:11px}"
    ".bar{display:inline-block;height:8px;background:#3b6fd8;border-radius:2px}"
    ".charts{display:flex;flex-wrap:wrap;gap:12px}"
    ".charts figure{margin:0}.charts figcaption{font-size:12px;font-weight:600}"
    "svg text{font:10px system-ui,sans-serif;fill:#5b6477}"
    ".note{font-size:12px;color:#5b6477}"
    "a{color:#2456b8}"
    "@media print{body{max-width:none;padding:0;font-size:10pt;color:#000}"
    "h2{break-after:avoid}section{break-inside:avoid}table{font-size:9pt}"
    ".warn{border:1px solid #000;background:none}"
    "a{color:#000;text-decoration:none}td.url a::after{content:' (' attr(href) ')';"
    "font-size:8pt;word-break:break-all}}";

static void head(FILE *o, const cr_report *r)
{
    char d1[32], d2[32], d3[32];

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          o);
    if (r->kind == CR_REPORT_CAMPAIGN) {
        fputs("Campaign report: ", o);
        esc(o, r->campaign->name);
    } else {
        fputs("Creator report: @", o);
        esc(o, r->handle);
    }
    fprintf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    if (r->kind == CR_REPORT_CAMPAIGN) {
        esc(o, r->campaign->name);
        fputs("</h1>\n<p class=\"meta\">", o);
        esc(o, r->campaign->brand);
        fprintf(o,
                " &middot; primary goal: %s &middot; %s to %s &middot; %.0f%% of the period "
                "elapsed</p>\n",
                cr_goal_name(r->campaign->primary_goal),
                cr_fmt_date(d1, sizeof(d1), r->campaign->start),
                cr_fmt_date(d2, sizeof(d2), r->campaign->end), r->elapsed * 100);
    } else {
        fputs("@", o);
        esc(o, r->handle);
        fputs("</h1>\n<p class=\"meta\">", o);
        esc(o, r->platform);
        fprintf(o, " &middot; %s followers%s%s &middot; %lld posts</p>\n",
                r->followers >= 0 ? fmt_count(d1, sizeof(d1), (double)r->followers) : "?",
                r->tier[0] ? " &middot; tier " : "", r->tier, (long long)r->nposts);
    }
    fprintf(o,
            "<p class=\"meta\">Data as of <b id=\"as-of\">%s</b>; generated %s by crest "
            "%s.</p>\n</header>\n",
            cr_fmt_date(d1, sizeof(d1), r->as_of), cr_fmt_datetime(d3, sizeof(d3), r->generated_at),
            CREST_VERSION);
}

static void warnings(FILE *o, const cr_report *r)
{
    size_t i;

    if (r->nwarnings == 0)
        return;
    fputs("<section id=\"warnings\">\n<ul class=\"warn\">\n", o);
    for (i = 0; i < r->nwarnings; i++) {
        fputs("<li>", o);
        esc(o, r->warnings[i]);
        fputs("</li>\n", o);
    }
    fputs("</ul>\n</section>\n", o);
}

static void progress(FILE *o, const cr_report *r)
{
    char b1[96], b2[96], b3[96], b4[96];
    size_t i;

    fputs("<section id=\"kpis\">\n<h2>Goal and KPIs</h2>\n<table>\n<thead><tr><th>KPI</th>"
          "<th>Role</th><th class=\"num\">Value</th><th class=\"num\">Target</th>"
          "<th class=\"num\">Baseline</th><th>Of target</th><th class=\"num\">Projected</th>"
          "<th>Status</th><th>Definition</th></tr></thead>\n<tbody>\n",
          o);
    for (i = 0; i < r->nkpis; i++) {
        const cr_report_kpi *k = &r->kpis[i];
        double pct = k->pct_of_target;
        fputs("<tr><td>", o);
        esc(o, k->def->name);
        fprintf(o, "</td><td>%s</td>", k->primary ? "primary" : "contextual");
        kpi_cell(o, "progress", &k->actual, r->currency);
        fprintf(o,
                "<td class=\"num\" data-scope=\"target\" data-kpi=\"%s\">%s</td>"
                "<td class=\"num\" data-scope=\"baseline\" data-kpi=\"%s\">%s</td>"
                "<td class=\"num\"><span class=\"bar\" style=\"width:%.0fpx\"></span> %s</td>"
                "<td class=\"num\">%s</td>",
                k->def->code, cr_kpi_format(b1, sizeof(b1), k->def, k->target, r->currency),
                k->def->code, cr_kpi_format(b2, sizeof(b2), k->def, k->baseline, r->currency),
                isnan(pct) ? 0.0 : fmin(pct, 1.5) * 60,
                isnan(pct) ? "-" : fmt_pct(b3, sizeof(b3), pct),
                cr_kpi_format(b4, sizeof(b4), k->def, k->projected, r->currency));
        fprintf(o, "<td class=\"st-%s\">%s</td><td>", cr_track_status_name(k->status),
                cr_track_status_name(k->status));
        esc(o, k->def->definition);
        fputs("<div class=\"small\">", o);
        esc(o, k->note);
        fputs("</div></td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static int64_t day_val(const cr_report_day *d, size_t field)
{
    switch (field) {
    case 0:
        return d->impressions;
    case 1:
        return d->reach;
    case 2:
        return d->engagements;
    case 3:
        return d->clicks;
    case 4:
        return d->sessions;
    case 5:
        return d->leads;
    case 6:
        return d->orders;
    default:
        return d->revenue_minor;
    }
}

/* One small line chart of a cumulative series; y from 0 to the series' maximum. */
static void line_chart(FILE *o, const cr_report *r, const char *title, size_t field, int money)
{
    double max = 0, v;
    size_t i;
    char b1[64], b2[32], b3[32];

    for (i = 0; i < r->ndays; i++)
        if ((v = (double)day_val(&r->days[i], field)) > max)
            max = v;
    fprintf(o,
            "<figure><figcaption>%s</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
            title, CHART_W, CHART_H, CHART_W, CHART_H, title);
    fprintf(o, "<line x1=\"56\" y1=\"90\" x2=\"%d\" y2=\"90\" stroke=\"#c7cedb\"/>", CHART_W - 5);
    fprintf(o, "<line x1=\"56\" y1=\"10\" x2=\"56\" y2=\"90\" stroke=\"#c7cedb\"/>");
    fprintf(o, "<polyline fill=\"none\" stroke=\"#3b6fd8\" stroke-width=\"1.5\" points=\"");
    for (i = 0; i < r->ndays; i++) {
        double x = 56 + (r->ndays > 1 ? (double)i / (double)(r->ndays - 1) : 0.5) * (CHART_W - 61);
        double y = 90 - (max > 0 ? (double)day_val(&r->days[i], field) / max : 0) * 80;
        fprintf(o, "%s%.1f,%.1f", i ? " " : "", x, y);
    }
    fprintf(o,
            "\"/><text x=\"52\" y=\"14\" text-anchor=\"end\">%s</text>"
            "<text x=\"52\" y=\"92\" text-anchor=\"end\">0</text>"
            "<text x=\"56\" y=\"104\">%s</text><text x=\"%d\" y=\"104\" "
            "text-anchor=\"end\">%s</text></svg></figure>\n",
            money ? fmt_kpi(b1, sizeof(b1), "attributed_revenue", max, NULL)
                  : fmt_count(b1, sizeof(b1), max),
            cr_fmt_date(b2, sizeof(b2), r->days[0].date), CHART_W - 5,
            cr_fmt_date(b3, sizeof(b3), r->days[r->ndays - 1].date));
}

static void series(FILE *o, const cr_report *r)
{
    static const char *const titles[] = { "Impressions", "Reach (summed)", "Engagements",
                                          "Link clicks", "Sessions",       "Leads",
                                          "Orders",      "Revenue" };
    size_t i;

    fputs("<section id=\"series\">\n<h2>KPI time series</h2>\n", o);
    if (r->ndays == 0) {
        fputs("<p>The campaign has not started.</p>\n</section>\n", o);
        return;
    }
    fputs("<p class=\"note\">Cumulative campaign totals per day: each post's latest snapshot "
          "of the day, carried forward until its next one; attributed units summed through "
          "the day.</p>\n<div class=\"charts\">\n",
          o);
    for (i = 0; i < 8; i++)
        line_chart(o, r, titles[i], i, i == 7);
    fputs("</div>\n</section>\n", o);
}

/* Horizontal bars: label, bar proportional to value / max (or to log10 for the funnel). */
static void bars(FILE *o,
                 const char *label,
                 size_t n,
                 const char *const *names,
                 const double *vals,
                 const char *const *texts,
                 int log_scale)
{
    double max = 0, w;
    size_t i;
    int h = (int)n * 22 + 6;

    for (i = 0; i < n; i++)
        if (!isnan(vals[i]) && vals[i] > max)
            max = vals[i];
    fprintf(o,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" "
            "viewBox=\"0 0 640 %d\" role=\"img\" aria-label=\"%s\">",
            h, h, label);
    for (i = 0; i < n; i++) {
        double v = isnan(vals[i]) || vals[i] < 0 ? 0 : vals[i];
        if (log_scale)
            w = max > 0 ? log10(v + 1) / log10(max + 1) : 0;
        else
            w = max > 0 ? v / max : 0;
        fprintf(o, "<text x=\"150\" y=\"%zu\" text-anchor=\"end\">", i * 22 + 17);
        esc(o, names[i]);
        fprintf(o,
                "</text><rect x=\"156\" y=\"%zu\" width=\"%.1f\" height=\"16\" "
                "fill=\"#3b6fd8\"/><text x=\"%.1f\" y=\"%zu\">",
                i * 22 + 5, w * 380, 160 + w * 380, i * 22 + 17);
        esc(o, texts[i]);
        fputs("</text>", o);
    }
    fputs("</svg>\n", o);
}

static const char *const lb_kpis[] = { "impressions",
                                       "engagements",
                                       "engagement_rate",
                                       "ctr",
                                       "referral_sessions",
                                       "orders",
                                       "attributed_revenue",
                                       "roas",
                                       "cpl",
                                       "emv" };

static void leaderboard(FILE *o, const cr_report *r)
{
    const char *names[64], *texts[64];
    char tbuf[64][96], lbl[64][160], sc[48], note[300];
    double vals[64];
    size_t i, j, n = r->npartners < 64 ? r->npartners : 64;
    const cr_kpi_def *sd = cr_kpi_find(r->sort_kpi);

    fprintf(o, "<section id=\"leaderboard\">\n<h2>%s</h2>\n",
            r->kind == CR_REPORT_CAMPAIGN ? "Creator leaderboard" : "Partnerships");
    if (r->npartners == 0) {
        fputs("<p>No partnerships.</p>\n</section>\n", o);
        return;
    }
    for (i = 0; i < n; i++) {
        const cr_report_partner *p = &r->partners[i];
        const cr_kpi_value *v = cr_report_kpi_of(&p->k, r->sort_kpi);
        if (r->kind == CR_REPORT_CAMPAIGN)
            snprintf(lbl[i], sizeof(lbl[i]), "@%s", p->handle);
        else
            snprintf(lbl[i], sizeof(lbl[i]), "%s", p->campaign);
        names[i] = lbl[i];
        vals[i] = v && v->available ? v->value : NAN;
        texts[i] = v && v->available
                       ? cr_kpi_format(tbuf[i], sizeof(tbuf[i]), v->def, v->value, r->currency)
                       : "-";
    }
    fprintf(o, "<p class=\"note\">Ranked by %s (%s).</p>\n", sd ? sd->name : r->sort_kpi,
            sd && sd->direction < 0 ? "lower is better" : "higher is better");
    snprintf(sc, sizeof(sc), "%s by partnership", r->sort_kpi);
    bars(o, sc, n, names, vals, texts, 0);
    fputs("<table class=\"wide\">\n<thead><tr><th class=\"num\">#</th>", o);
    fputs(r->kind == CR_REPORT_CAMPAIGN ? "<th>Creator</th>" : "<th>Campaign</th>", o);
    fputs("<th>Tier</th><th class=\"num\">Posts</th><th class=\"num\">Spend</th>", o);
    for (j = 0; j < sizeof(lb_kpis) / sizeof(*lb_kpis); j++) {
        const cr_kpi_def *d = cr_kpi_find(lb_kpis[j]);
        fprintf(o, "<th class=\"num\">%s%s</th>", d->name,
                strcmp(d->code, "emv") == 0 ? " (relative)" : "");
    }
    fputs("</tr></thead>\n<tbody>\n", o);
    for (i = 0; i < r->npartners; i++) {
        const cr_report_partner *p = &r->partners[i];
        char scope[48], b1[64];
        snprintf(scope, sizeof(scope), "partnership-%lld", (long long)p->partnership_id);
        fprintf(o, "<tr><td class=\"num\">%d</td><td>", p->rank);
        if (r->kind == CR_REPORT_CAMPAIGN) {
            fputs("@", o);
            esc(o, p->handle);
            fputs(" <span class=\"small\">", o);
            esc(o, p->platform);
            fputs("</span>", o);
        } else {
            esc(o, p->campaign);
        }
        fputs("</td><td>", o);
        esc(o, p->tier[0] ? p->tier : "-");
        fprintf(o, "</td><td class=\"num\">%lld</td><td class=\"num\">%s</td>",
                (long long)p->k.inputs.posts,
                fmt_kpi(b1, sizeof(b1), "cpl", (double)p->k.inputs.spend_minor, r->currency));
        for (j = 0; j < sizeof(lb_kpis) / sizeof(*lb_kpis); j++) {
            const cr_kpi_value *v = cr_report_kpi_of(&p->k, lb_kpis[j]);
            if (v)
                kpi_cell(o, scope, v,
                         strcmp(lb_kpis[j], "emv") == 0 && r->emv_currency[0] ? r->emv_currency
                                                                              : r->currency);
        }
        fputs("</tr>\n", o);
    }
    cr_emv_label(note, sizeof(note), r->emv_card[0] ? r->emv_card : "(none)");
    fputs("</tbody>\n</table>\n<p class=\"note\">Spend = fee + product cost. ", o);
    esc(o, note);
    fputs(".</p>\n</section>\n", o);
}

static void funnel(FILE *o, const cr_report *r)
{
    const char *names[5], *texts[5];
    char tb[5][96], rate[32];
    double vals[5];
    size_t i;

    fputs("<section id=\"funnel\">\n<h2>Funnel</h2>\n", o);
    for (i = 0; i < 5; i++) {
        names[i] = r->funnel[i].step;
        vals[i] = (double)r->funnel[i].value;
        texts[i] = fmt_count(tb[i], sizeof(tb[i]), vals[i]);
    }
    bars(o, "funnel (log scale)", 5, names, vals, texts, 1);
    fputs("<p class=\"note\">Bars on a log scale. Impressions and clicks from the posts' latest "
          "metrics; sessions, leads and orders attributed to the campaign's posts and "
          "partnerships.</p>\n<table>\n<thead><tr><th>Step</th><th class=\"num\">Total</th>"
          "<th class=\"num\">From the previous step</th></tr></thead>\n<tbody>\n",
          o);
    for (i = 0; i < 5; i++)
        fprintf(o,
                "<tr><td>%s</td><td class=\"num\" data-step=\"%s\">%s</td>"
                "<td class=\"num\">%s</td></tr>\n",
                r->funnel[i].step, r->funnel[i].step, texts[i],
                isnan(r->funnel[i].rate) ? "-" : fmt_pct(rate, sizeof(rate), r->funnel[i].rate));
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static void top_posts(FILE *o, const cr_report *r)
{
    size_t i;
    char b1[64], b2[64], b3[64], b4[96], b5[96], d[32];

    fprintf(o,
            "<section id=\"top-posts\">\n<h2>Top posts</h2>\n<p class=\"note\">The %d posts "
            "with the most engagements (latest metrics).</p>\n",
            CR_REPORT_TOP_POSTS);
    fputs("<table>\n<thead><tr><th class=\"num\">#</th><th>Post</th><th>Posted</th>"
          "<th class=\"num\">Impressions</th><th class=\"num\">Reach</th>"
          "<th class=\"num\">Engagements</th><th class=\"num\">ER by reach</th>"
          "<th class=\"num\">EMV (relative)</th></tr></thead>\n<tbody>\n",
          o);
    for (i = 0; i < r->ntop; i++) {
        const cr_report_post *p = &r->top[i];
        const cr_kpi_inputs *in = &p->k.inputs;
        const cr_kpi_value *er = cr_report_kpi_of(&p->k, "engagement_rate");
        fprintf(o, "<tr><td class=\"num\">%zu</td><td class=\"url\">@", i + 1);
        esc(o, p->handle);
        fputs(" ", o);
        if (safe_url(p->url)) {
            fputs("<a href=\"", o);
            esc(o, p->url);
            fputs("\">", o);
            esc(o, p->format[0] ? p->format : "post");
            fputs("</a>", o);
        } else {
            esc(o, p->format[0] ? p->format : p->external_id);
        }
        fprintf(
            o,
            "</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
            "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
            "</tr>\n",
            cr_fmt_date(d, sizeof(d), p->posted_at),
            fmt_count(b1, sizeof(b1), (double)in->impressions),
            fmt_count(b2, sizeof(b2), (double)in->reach),
            fmt_count(b3, sizeof(b3), (double)(in->likes + in->comments + in->shares + in->saves)),
            er && er->available ? fmt_pct(b4, sizeof(b4), er->value) : "-",
            isnan(p->k.emv_minor)
                ? "-"
                : fmt_kpi(b5, sizeof(b5), "emv", p->k.emv_minor, r->emv_currency));
        if (!isnan(p->k.emv_minor) && p->emv_log[0]) {
            fputs("<tr><td></td><td colspan=\"7\" class=\"small\">EMV: ", o);
            esc(o, p->emv_log);
            fputs("</td></tr>\n", o);
        }
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static void attribution(FILE *o, const cr_report *r)
{
    char b[8][64];
    size_t i;

    fputs("<section id=\"attribution\">\n<h2>Attribution</h2>\n<p class=\"note\">Sessions and "
          "leads by their utm_content, orders by discount code or landing utm_content; a unit "
          "goes to the partnership's post it followed within the attribution window, else to "
          "the partnership alone.</p>\n<table>\n<thead><tr><th>Kind</th>"
          "<th class=\"num\">To posts</th><th class=\"num\">To partnerships only</th>"
          "<th class=\"num\">By utm</th><th class=\"num\">By code</th>"
          "<th class=\"num\">By landing utm</th><th class=\"num\">Unattributed</th>"
          "<th class=\"num\">Revenue</th></tr></thead>\n<tbody>\n",
          o);
    for (i = 0; i < 3; i++) {
        const cr_report_attr *a = &r->attribution[i];
        fprintf(o,
                "<tr><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                a->kind, fmt_count(b[0], 64, (double)a->to_posts),
                fmt_count(b[1], 64, (double)a->to_partnerships),
                fmt_count(b[2], 64, (double)a->by_utm), fmt_count(b[3], 64, (double)a->by_code),
                fmt_count(b[4], 64, (double)a->by_landing_utm),
                fmt_count(b[5], 64, (double)a->unattributed),
                strcmp(a->kind, "orders") == 0
                    ? fmt_kpi(b[6], 64, "attributed_revenue", (double)a->revenue_minor, r->currency)
                    : "");
    }
    fputs("</tbody>\n</table>\n", o);
    if (r->nunattr) {
        fputs("<p class=\"note\">Not attributed to any partnership in the campaign window, by "
              "reason:</p>\n<table>\n<thead><tr><th>Kind</th><th>Reason</th>"
              "<th class=\"num\">Rows</th><th class=\"num\">Units</th>"
              "<th class=\"num\">Value</th></tr></thead>\n<tbody>\n",
              o);
        for (i = 0; i < r->nunattr; i++) {
            const cr_report_unattr *u = &r->unattr[i];
            fputs("<tr><td>", o);
            esc(o, u->kind);
            fputs("</td><td>", o);
            esc(o, u->reason);
            fprintf(o,
                    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                    "<td class=\"num\">%s</td></tr>\n",
                    fmt_count(b[0], 64, (double)u->rows), fmt_count(b[1], 64, (double)u->units),
                    u->value_minor ? fmt_kpi(b[2], 64, "attributed_revenue", (double)u->value_minor,
                                             r->currency)
                                   : "");
        }
        fputs("</tbody>\n</table>\n", o);
    }
    fputs("</section>\n", o);
}

static void totals(FILE *o, const cr_report *r)
{
    size_t i;

    fprintf(o,
            "<section id=\"totals\">\n<h2>Every KPI (%s level)</h2>\n<table>\n<thead><tr>"
            "<th>KPI</th><th class=\"num\">Value</th><th>Formula</th><th>Definition</th>"
            "</tr></thead>\n<tbody>\n",
            r->kind == CR_REPORT_CAMPAIGN ? "campaign" : "creator");
    for (i = 0; i < r->totals.nkpis; i++) {
        const cr_kpi_value *v = &r->totals.kpis[i];
        int emv = strcmp(v->def->code, "emv") == 0;
        fputs("<tr><td>", o);
        esc(o, v->def->name);
        fputs("</td>", o);
        kpi_cell(o, "totals", v, emv && r->emv_currency[0] ? r->emv_currency : r->currency);
        fputs("<td class=\"small\">", o);
        esc(o, v->def->formula);
        fputs("</td><td class=\"small\">", o);
        esc(o, v->def->definition);
        if (!v->available) {
            fputs(" &mdash; not available: ", o);
            esc(o, v->missing);
        }
        if (emv && r->emv_card[0]) {
            fputs(" (rate card ", o);
            esc(o, r->emv_card);
            fputs(")", o);
        }
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static void sources(FILE *o, const cr_report *r)
{
    size_t i;
    char d1[32], d2[32];

    fprintf(o,
            "<section id=\"sources\">\n<h2>Data sources and freshness</h2>\n<p "
            "class=\"note\">A source is stale when its newest data is more than %d days "
            "old (setting freshness.stale_days).</p>\n<table>\n<thead><tr><th>Source</th>"
            "<th>Last file</th><th class=\"num\">Imports</th><th>Last import</th>"
            "<th>Newest data</th><th class=\"num\">Age (days)</th><th>Fresh</th></tr>"
            "</thead>\n<tbody>\n",
            r->stale_days);
    for (i = 0; i < r->nsources; i++) {
        const cr_report_source *s = &r->sources[i];
        fputs("<tr><td>", o);
        esc(o, s->kind);
        fputs("</td><td>", o);
        esc(o, s->file);
        fprintf(o,
                "</td><td class=\"num\">%lld</td><td>%s</td><td>%s</td>"
                "<td class=\"num\">%.1f</td><td class=\"%s\">%s</td></tr>\n",
                (long long)s->imports,
                s->last_import > 0 ? cr_fmt_datetime(d1, sizeof(d1), s->last_import) : "-",
                s->newest_data > 0 ? cr_fmt_date(d2, sizeof(d2), s->newest_data) : "-", s->age_days,
                s->stale ? "st-off-track" : "st-on-track", s->stale ? "stale" : "fresh");
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

cr_err cr_report_html(FILE *o, const cr_report *r)
{
    head(o, r);
    warnings(o, r);
    if (r->kind == CR_REPORT_CAMPAIGN) {
        progress(o, r);
        series(o, r);
    }
    leaderboard(o, r);
    funnel(o, r);
    top_posts(o, r);
    if (r->kind == CR_REPORT_CAMPAIGN)
        attribution(o, r);
    totals(o, r);
    sources(o, r);
    fputs("<footer class=\"note\"><p>Reach is summed per post: an upper bound of unique reach. "
          "EMV is a relative measure. Money in ",
          o);
    esc(o, r->currency);
    fputs(" unless marked.</p></footer>\n</body>\n</html>\n", o);
    if (ferror(o))
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "writing the HTML report: %s", strerror(errno));
    return CR_OK;
}
