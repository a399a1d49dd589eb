/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * packet.c - printable HTML: the kickoff pack of a partnership (the criteria with every
 * anchor, the KPIs with their targets and the partner's recent figures as benchmarks, the
 * review cadence and the self-assessment template, so that expectations are written down
 * before the first review) and the partner review packet of a cycle (scores against the
 * previous cycle and the trend, the examples behind them, the growth plan), written in plain,
 * non-accusatory words: what went well, where to grow together, what we ask of ourselves.
 * Self-contained pages (inline CSS, print-friendly), every text escaped. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

static const char css[] =
    "<style>body{font:14px/1.5 system-ui,sans-serif;max-width:800px;margin:2em auto;color:#222}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 6px;"
    "text-align:left;vertical-align:top}th{background:#f4f4f4}.muted{color:#666}"
    "@media print{body{margin:0}h2{break-after:avoid}}</style>";

static cr_err esc(cr_str *s, const char *t)
{
    cr_err rc = CR_OK;

    for (; t && *t && rc == CR_OK; t++) {
        switch (*t) {
        case '<':
            rc = cr_str_puts(s, "&lt;");
            break;
        case '>':
            rc = cr_str_puts(s, "&gt;");
            break;
        case '&':
            rc = cr_str_puts(s, "&amp;");
            break;
        case '"':
            rc = cr_str_puts(s, "&quot;");
            break;
        default:
            rc = cr_str_putc(s, *t);
        }
    }
    return rc;
}

/* A tag with escaped text: <tag>text</tag>. */
static void el(cr_str *s, const char *tag, const char *text)
{
    cr_str_printf(s, "<%s>", tag);
    esc(s, text);
    cr_str_printf(s, "</%s>", tag);
}

static void fmt(char *buf, size_t size, const json_t *v, int pct)
{
    if (!json_is_number(v))
        snprintf(buf, size, "-");
    else if (pct)
        snprintf(buf, size, "%.2f%%", json_number_value(v) * 100);
    else
        snprintf(buf, size, "%.2f", json_number_value(v));
}

static int is_rate(const char *kpi)
{
    return strcmp(kpi, "engagement_rate") == 0 || strcmp(kpi, "ctr") == 0;
}

static cr_err load(json_t **out, char *text, cr_err rc)
{
    json_error_t err;

    *out = NULL;
    if (rc < 0)
        return rc;
    *out = json_loads(text, 0, &err);
    cr_review_text_free(text);
    return *out ? CR_OK : cr_error_oom();
}

static void kpi_table(cr_str *s, const json_t *ev)
{
    json_t *k;
    size_t i;

    cr_str_puts(s, "<table><tr><th>KPI</th><th>recent figure</th><th>target</th>"
                   "<th>trend per period (95% interval)</th></tr>");
    json_array_foreach(json_object_get(ev, "kpis"), i, k)
    {
        const json_t *t = json_object_get(k, "trend"), *vals = json_object_get(k, "values");
        int pct = is_rate(cr_review__s(k, "kpi"));
        const char *arrow = cr_review__s(t, "arrow");
        char a[32], b[32], c[32], d[32], e[32];
        fmt(a, sizeof(a), json_array_get(vals, json_array_size(vals) - 1), pct);
        fmt(b, sizeof(b), json_object_get(k, "target"), pct);
        fmt(c, sizeof(c), json_object_get(t, "slope"), pct);
        fmt(d, sizeof(d), json_object_get(t, "low"), pct);
        fmt(e, sizeof(e), json_object_get(t, "high"), pct);
        cr_str_puts(s, "<tr>");
        el(s, "td", cr_review__s(k, "label"));
        cr_str_printf(s, "<td>%s</td><td>%s</td><td>%s %s (%s to %s)</td></tr>", a, b,
                      strcmp(arrow, "up") == 0     ? "rising"
                      : strcmp(arrow, "down") == 0 ? "falling"
                      : strcmp(arrow, "flat") == 0 ? "steady"
                                                   : "too few periods to tell",
                      c, d, e);
    }
    cr_str_puts(s, "</table>");
}

cr_err cr_review_kickoff_html(char **out, cr_store *st, int64_t creator, const char *rubric)
{
    cr_review__rubric *rb = cr_calloc(1, sizeof(*rb));
    json_t *ev = NULL;
    char *text = NULL, handle[160];
    size_t i, k;
    cr_str s;
    cr_err rc;

    *out = NULL;
    cr_str_init(&s, 4 * 1024 * 1024);
    if (rb == NULL)
        return cr_error_oom();
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator)) < 0 ||
        (rc = cr_review__rubric_load(rb, st, rubric ? rubric : "default", 0)) < 0 ||
        (rc = load(&ev, text, cr_review_evidence_json(&text, st, creator, 4, 0, NULL))) < 0)
        goto done;
    cr_str_puts(&s, "<!doctype html><html><head><meta charset=\"utf-8\"><title>Kickoff pack: ");
    esc(&s, handle);
    cr_str_printf(&s, "</title>%s</head><body>", css);
    cr_str_puts(&s, "<h1>Kickoff pack: ");
    esc(&s, handle);
    cr_str_puts(&s, "</h1><p>This pack sets out, before the first review, what we will look at "
                    "together, how each level is described, the figures we start from and when "
                    "we will talk. Reviews are there to help the partnership grow; nothing in "
                    "them should come as a surprise.</p>");
    cr_str_printf(&s, "<h2>What we review (rubric %s, version %d)</h2>", rb->name, rb->version);
    cr_str_puts(&s, "<p>Every criterion is scored from 1 to 5. A score of 2 or below always "
                    "comes with a written example, so that it can be discussed.</p>");
    for (i = 0; i < rb->ncriteria; i++) {
        el(&s, "h3", rb->criteria[i].name);
        cr_str_puts(&s, "<table>");
        for (k = 0; k < CR_REVIEW_LEVELS; k++) {
            cr_str_printf(&s, "<tr><th>%zu</th>", k + 1);
            el(&s, "td", rb->criteria[i].anchors[k]);
            cr_str_puts(&s, "</tr>");
        }
        cr_str_puts(&s, "</table>");
    }
    cr_str_puts(&s, "<h2>KPIs, targets and where we start</h2><p class=\"muted\">Recent "
                    "figures per period as benchmarks (");
    esc(&s, cr_review__s(ev, "periods_basis"));
    cr_str_puts(&s, "); targets from the campaigns of this partnership.</p>");
    kpi_table(&s, ev);
    cr_str_puts(&s, "<h2>Review cadence</h2><p>Reviews are quarterly, or monthly while the "
                    "partnership is very active (8 or more posts in 30 days), with a short "
                    "check-in halfway through a quarter and a debrief 7 days after each "
                    "campaign ends. You give your own view in a self-assessment and tell us "
                    "how we did as a brand; you see our reviews once they are released.</p>");
    cr_str_puts(&s, "<h2>Self-assessment template</h2><table>"
                    "<tr><th>Strengths</th><td>What worked best this period, with examples."
                    "</td></tr><tr><th>Growth areas</th><td>What you want to improve.</td></tr>"
                    "<tr><th>Development plan</th><td>What you propose to do next, and what "
                    "you need from us.</td></tr></table>"
                    "<h2>How we did (your feedback on us)</h2><table><tr><th>Brief clarity</th>"
                    "<td>1-5</td></tr><tr><th>Feedback timeliness</th><td>1-5</td></tr>"
                    "<tr><th>Payment punctuality</th><td>1-5</td></tr><tr><th>Creative "
                    "freedom</th><td>1-5</td></tr></table></body></html>\n");
    if ((*out = cr_str_detach(&s)) == NULL)
        rc = cr_error_oom();
done:
    json_decref(ev);
    cr_str_dispose(&s);
    cr_free(rb);
    return rc;
}

cr_err cr_review_packet_html(char **out, cr_store *st, const char *cycle_ref, int64_t creator)
{
    cr_review__rubric *rb = cr_calloc(1, sizeof(*rb));
    json_t *cycle = NULL, *ev = NULL, *card = NULL, *scores = NULL, *c, *p;
    char *text = NULL, handle[160];
    cr_value v = v_int(creator);
    double cur[REVIEW_MAX_CRITERIA], prev[REVIEW_MAX_CRITERIA];
    size_t ncur[REVIEW_MAX_CRITERIA], nprev[REVIEW_MAX_CRITERIA], i, k;
    int64_t cid, prev_id = 0;
    cr_str s;
    cr_err rc;

    *out = NULL;
    memset(cur, 0, sizeof(cur));
    memset(prev, 0, sizeof(prev));
    memset(ncur, 0, sizeof(ncur));
    memset(nprev, 0, sizeof(nprev));
    cr_str_init(&s, 4 * 1024 * 1024);
    if (rb == NULL)
        return cr_error_oom();
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator)) < 0 ||
        (rc = cr_review__cycle(&cycle, st, cycle_ref)) < 0 ||
        (rc = cr_review__rubric_load(rb, st, cr_review__s(cycle, "rubric_name"),
                                     (int)cr_review__i(cycle, "rubric_version"))) < 0 ||
        (rc = load(&ev, text, cr_review_evidence_json(&text, st, creator, 4, 0, NULL))) < 0 ||
        (rc = load(&card, text, cr_review_scorecard_json(&text, st, creator, 0, NULL))) < 0 ||
        (rc = cr_store_review_rows(&scores, st, CR_RQ_CREATOR_SCORES, &v, 1)) < 0)
        goto done;
    cid = cr_review__i(cycle, "id");
    /* the previous cycle with reviews of this partner */
    json_array_foreach(scores, i, c) if (cr_review__i(c, "cycle_id") < cid &&
                                         cr_review__i(c, "cycle_id") > prev_id) prev_id =
        cr_review__i(c, "cycle_id");
    json_array_foreach(scores, i, c)
    {
        for (k = 0; k < rb->ncriteria; k++)
            if (strcmp(rb->criteria[k].code, cr_review__s(c, "criterion")) == 0)
                break;
        if (k == rb->ncriteria)
            continue;
        if (cr_review__i(c, "cycle_id") == cid) {
            cur[k] += (double)cr_review__i(c, "score");
            ncur[k]++;
        } else if (cr_review__i(c, "cycle_id") == prev_id) {
            prev[k] += (double)cr_review__i(c, "score");
            nprev[k]++;
        }
    }
    for (k = 0; k < rb->ncriteria && ncur[k] == 0; k++)
        ;
    if (k == rb->ncriteria) {
        rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                          "%s has no submitted review in cycle %s: nothing to put in a packet",
                          handle, cr_review__s(cycle, "name"));
        goto done;
    }
    cr_str_puts(&s, "<!doctype html><html><head><meta charset=\"utf-8\"><title>Review packet: ");
    esc(&s, handle);
    cr_str_printf(&s, "</title>%s</head><body><h1>Review packet: ", css);
    esc(&s, handle);
    cr_str_puts(&s, ", cycle ");
    esc(&s, cr_review__s(cycle, "name"));
    cr_str_puts(&s, "</h1><p>This packet sums up what we saw together this cycle, with the "
                    "figures and examples behind it. It describes the work, not the person, "
                    "and is the starting point of a conversation.</p>");
    cr_str_puts(&s, "<h2>What went well</h2><ul>");
    for (k = 0, i = 0; k < rb->ncriteria; k++)
        if (ncur[k] && cur[k] / (double)ncur[k] >= 4) {
            cr_str_puts(&s, "<li>");
            esc(&s, rb->criteria[k].name);
            cr_str_puts(&s, ": ");
            esc(&s, rb->criteria[k].anchors[(int)lround(cur[k] / (double)ncur[k]) - 1]);
            cr_str_puts(&s, "</li>");
            i++;
        }
    if (i == 0)
        cr_str_puts(&s, "<li>No criterion reached 4 on average this cycle; the examples below "
                        "show where the next step is.</li>");
    cr_str_puts(&s, "</ul><h2>Where we can grow together</h2><ul>");
    for (k = 0, i = 0; k < rb->ncriteria; k++)
        if (ncur[k] && cur[k] / (double)ncur[k] < 3) {
            cr_str_puts(&s, "<li>");
            esc(&s, rb->criteria[k].name);
            cr_str_puts(&s, ": meeting the brief looks like this: ");
            esc(&s, rb->criteria[k].anchors[2]);
            cr_str_puts(&s, "</li>");
            i++;
        }
    if (i == 0)
        cr_str_puts(&s, "<li>Every criterion met the brief on average.</li>");
    cr_str_puts(&s, "</ul><h2>Scores this cycle and last</h2><table><tr><th>criterion</th>"
                    "<th>this cycle</th><th>previous cycle</th></tr>");
    for (k = 0; k < rb->ncriteria; k++) {
        cr_str_puts(&s, "<tr>");
        el(&s, "td", rb->criteria[k].name);
        if (ncur[k])
            cr_str_printf(&s, "<td>%.1f</td>", cur[k] / (double)ncur[k]);
        else
            cr_str_puts(&s, "<td>-</td>");
        if (nprev[k])
            cr_str_printf(&s, "<td>%.1f</td></tr>", prev[k] / (double)nprev[k]);
        else
            cr_str_puts(&s, "<td>-</td></tr>");
    }
    cr_str_puts(&s, "</table><p class=\"muted\">Means over the reviewers of each cycle (scores "
                    "1-5). Scores of 2 or below come with the reviewer's written example.</p>");
    cr_str_puts(&s, "<h2>The figures, with their trend</h2>");
    kpi_table(&s, ev);
    cr_str_puts(&s, "<h2>Examples</h2><p>Posts with the highest engagement rate:</p><ul>");
    json_array_foreach(json_object_get(ev, "top_posts"), i, p)
    {
        char er[32];
        fmt(er, sizeof(er), json_object_get(p, "engagement_rate"), 1);
        cr_str_puts(&s, "<li>");
        esc(&s, cr_review__s(p, "posted_at"));
        cr_str_printf(&s, ", %s: ", er);
        esc(&s, cr_review__s(p, "url") ? cr_review__s(p, "url") : "");
        cr_str_puts(&s, "</li>");
    }
    cr_str_puts(&s, "</ul><h2>Growth plan</h2>");
    if (json_array_size(json_object_get(card, "growth_plans")) == 0)
        cr_str_puts(&s, "<p>No growth plan yet: the next step is to agree on one.</p>");
    json_array_foreach(json_object_get(card, "growth_plans"), i, p)
    {
        json_t *m;
        el(&s, "h3", cr_review__s(p, "title"));
        cr_str_puts(&s, "<table><tr><th>milestone</th><th>target</th><th>due</th>"
                        "<th>who</th><th>status</th></tr>");
        json_array_foreach(json_object_get(p, "milestones"), k, m)
        {
            cr_str_puts(&s, "<tr>");
            el(&s, "td", cr_review__s(m, "metric"));
            cr_str_printf(&s, "<td>%g</td>", json_number_value(json_object_get(m, "target")));
            el(&s, "td", cr_review__s(m, "due"));
            el(&s, "td", strcmp(cr_review__s(m, "owner"), "brand") == 0 ? "us (the brand)" : "you");
            el(&s, "td",
               json_is_true(json_object_get(m, "overdue")) ? "open, past its date"
                                                           : cr_review__s(m, "status"));
            cr_str_puts(&s, "</tr>");
        }
        cr_str_puts(&s, "</table>");
    }
    cr_str_puts(&s, "</body></html>\n");
    if ((*out = cr_str_detach(&s)) == NULL)
        rc = cr_error_oom();
done:
    json_decref(cycle);
    json_decref(ev);
    json_decref(card);
    json_decref(scores);
    cr_str_dispose(&s);
    cr_free(rb);
    return rc;
}
