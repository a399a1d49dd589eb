/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * kpi.c - the KPI catalog and its formulas. One table (kpi_catalog[]) holds every KPI's code,
 * unit, formula, direction, goal types and definition; cr_kpi_compute() is a switch over the
 * codes with the arithmetic the table's `formula` text states. Summed per-post reach is an
 * upper bound of unique reach, and the definition says so. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crest/kpi.h"

#define AW CR_GOAL_BIT(CR_GOAL_AWARENESS)
#define EN CR_GOAL_BIT(CR_GOAL_ENGAGEMENT)
#define TR CR_GOAL_BIT(CR_GOAL_TRAFFIC)
#define LE CR_GOAL_BIT(CR_GOAL_LEADS)
#define SA CR_GOAL_BIT(CR_GOAL_SALES)

static const cr_kpi_def kpi_catalog[] = {
    /* awareness */
    { "impressions", "Impressions", CR_UNIT_COUNT, "sum of impressions of the posts", 1, AW,
      "latest capture per post", 1, 1 },
    { "reach", "Reach", CR_UNIT_COUNT, "sum of reach of the posts", 1, AW,
      "summed per-post reach: an upper bound of unique reach", 1, 1 },
    { "mentions", "Brand mentions", CR_UNIT_COUNT, "mentions of the brand", 1, AW,
      "mention counts imported per day and source", 1, 1 },
    { "mention_velocity", "Mention velocity", CR_UNIT_PER_DAY, "mentions / days", 1, AW,
      "brand mentions per day of the window", 0, 0 },
    { "share_of_voice", "Share of voice", CR_UNIT_RATIO,
      "brand mentions / (brand + competitor mentions)", 1, AW,
      "SoV by mentions, competitors as imported", 0, 0 },
    /* engagement */
    { "engagements", "Engagements", CR_UNIT_COUNT, "likes + comments + shares + saves", 1, EN,
      "latest capture per post", 1, 1 },
    { "engagement_rate", "Engagement rate", CR_UNIT_RATIO,
      "(likes + comments + shares + saves) / reach", 1, EN, "ER by reach", 0, 0 },
    { "share_rate", "Share rate", CR_UNIT_RATIO, "shares / reach", 1, EN, "shares by reach", 0, 0 },
    { "comment_quality", "Comment quality", CR_UNIT_RATIO, "genuine comments / comments", 1, EN,
      "share of comments not classed spam or generic", 0, 0 },
    /* traffic */
    { "ctr", "Click-through rate", CR_UNIT_RATIO, "clicks / impressions", 1, TR,
      "CTR by impressions", 0, 0 },
    { "referral_sessions", "Referral sessions", CR_UNIT_COUNT,
      "web sessions whose utm_content is a partnership's", 1, TR,
      "sessions attributed by utm_content", 1, 0 },
    { "session_duration", "Session duration", CR_UNIT_SECONDS, "session seconds / sessions", 1, TR,
      "mean seconds per attributed session", 0, 0 },
    { "bounce_rate", "Bounce rate", CR_UNIT_RATIO, "1 - engaged sessions / sessions", -1, TR,
      "GA4 bounce: sessions that were not engaged", 0, 0 },
    /* leads */
    { "form_completions", "Form completions", CR_UNIT_COUNT, "leads attributed by utm_content", 1,
      LE, "leads attributed by utm_content", 1, 0 },
    { "completion_rate", "Completion rate", CR_UNIT_RATIO, "leads / sessions", 1, LE,
      "completions per attributed session", 0, 0 },
    { "cpl", "Cost per lead", CR_UNIT_MONEY, "spend / leads", -1, LE, "spend = fees + product cost",
      0, 0 },
    { "cost_per_qualified_lead", "Cost per qualified lead", CR_UNIT_MONEY,
      "spend / qualified leads", -1, LE, "spend = fees + product cost", 0, 0 },
    { "lead_quality", "Lead quality", CR_UNIT_RATIO, "qualified leads / leads", 1, LE,
      "share of leads flagged qualified", 0, 0 },
    /* sales */
    { "attributed_revenue", "Attributed revenue", CR_UNIT_MONEY,
      "order totals by discount code, else landing utm_content", 1, SA,
      "orders attributed by code or utm_content", 1, 0 },
    { "conversion_rate", "Conversion rate", CR_UNIT_RATIO, "orders / sessions", 1, SA,
      "orders per attributed session", 0, 0 },
    { "aov", "Average order value", CR_UNIT_MONEY, "revenue / orders", 1, SA, "attributed orders",
      0, 0 },
    { "roas", "Return on spend", CR_UNIT_MULTIPLE, "revenue / spend", 1, SA,
      "spend = fees + product cost", 0, 0 },
    /* contextual for every goal */
    { "cpm", "Cost per mille", CR_UNIT_MONEY, "spend / impressions x 1000", -1, 0,
      "spend = fees + product cost", 0, 0 },
    { "cpe", "Cost per engagement", CR_UNIT_MONEY, "spend / engagements", -1, 0,
      "spend = fees + product cost", 0, 0 },
    { "cost_per_session", "Cost per session", CR_UNIT_MONEY, "spend / sessions", -1, 0,
      "spend = fees + product cost", 0, 0 },
    { "follower_growth", "Follower growth", CR_UNIT_RATIO,
      "(followers at end - at start) / at start", 1, 0,
      "partners' summed followers, first and last snapshot in the window", 0, 1 },
    { "emv", "Earned media value", CR_UNIT_MONEY, "sum of metric x unit value (rate card)", 1, 0,
      "a relative measure, not revenue", 1, 1 },
    { "clicks", "Link clicks", CR_UNIT_COUNT, "sum of clicks of the posts", 1, 0,
      "latest capture per post", 1, 0 },
    { "views", "Video views", CR_UNIT_COUNT, "sum of views of the posts", 1, 0,
      "latest capture per post", 1, 1 },
    { "orders", "Orders", CR_UNIT_COUNT, "attributed orders", 1, 0,
      "orders attributed by code or utm_content", 1, 0 },
};

const cr_kpi_def *cr_kpi_catalog(size_t *n)
{
    *n = sizeof(kpi_catalog) / sizeof(kpi_catalog[0]);
    return kpi_catalog;
}

const cr_kpi_def *cr_kpi_find(const char *code)
{
    size_t i;

    for (i = 0; i < sizeof(kpi_catalog) / sizeof(kpi_catalog[0]); i++)
        if (strcmp(kpi_catalog[i].code, code) == 0)
            return &kpi_catalog[i];
    return NULL;
}

int cr_kpi_is_primary_for(const cr_kpi_def *k, cr_goal_type g)
{
    return g != CR_GOAL_NONE && (k->primary_for & CR_GOAL_BIT(g)) != 0;
}

static void kpi_sum(cr_kpi_value *out, int64_t v)
{
    out->available = 1;
    out->value = (double)v;
    out->numerator = (double)v;
}

static void kpi_ratio(cr_kpi_value *out, double num, double den, double scale, const char *why)
{
    out->numerator = num;
    out->denominator = den;
    if (den <= 0) {
        out->missing = why;
        return;
    }
    out->available = 1;
    out->value = num / den * scale;
}

void cr_kpi_compute(cr_kpi_value *out, const cr_kpi_def *k, const cr_kpi_inputs *in)
{
    const char *c = k->code;
    int64_t eng = in->likes + in->comments + in->shares + in->saves;

    memset(out, 0, sizeof(*out));
    out->def = k;
    if (strcmp(c, "impressions") == 0)
        kpi_sum(out, in->impressions);
    else if (strcmp(c, "reach") == 0)
        kpi_sum(out, in->reach);
    else if (strcmp(c, "mentions") == 0)
        kpi_sum(out, in->mentions_brand);
    else if (strcmp(c, "mention_velocity") == 0)
        kpi_ratio(out, (double)in->mentions_brand, (double)in->days, 1, "no days in the window");
    else if (strcmp(c, "share_of_voice") == 0)
        kpi_ratio(out, (double)in->mentions_brand,
                  (double)(in->mentions_brand + in->mentions_competitors), 1,
                  "no mentions imported for the window");
    else if (strcmp(c, "engagements") == 0)
        kpi_sum(out, eng);
    else if (strcmp(c, "engagement_rate") == 0)
        kpi_ratio(out, (double)eng, (double)in->reach, 1, "no reach recorded");
    else if (strcmp(c, "share_rate") == 0)
        kpi_ratio(out, (double)in->shares, (double)in->reach, 1, "no reach recorded");
    else if (strcmp(c, "comment_quality") == 0)
        out->missing = "needs comment classification, which comes with vetting";
    else if (strcmp(c, "ctr") == 0)
        kpi_ratio(out, (double)in->clicks, (double)in->impressions, 1, "no impressions recorded");
    else if (strcmp(c, "referral_sessions") == 0)
        kpi_sum(out, in->sessions);
    else if (strcmp(c, "session_duration") == 0)
        kpi_ratio(out, (double)in->session_seconds, (double)in->sessions, 1,
                  "no attributed sessions");
    else if (strcmp(c, "bounce_rate") == 0) {
        kpi_ratio(out, (double)(in->sessions - in->engaged_sessions), (double)in->sessions, 1,
                  "no attributed sessions");
    } else if (strcmp(c, "form_completions") == 0)
        kpi_sum(out, in->leads);
    else if (strcmp(c, "completion_rate") == 0)
        kpi_ratio(out, (double)in->leads, (double)in->sessions, 1, "no attributed sessions");
    else if (strcmp(c, "cpl") == 0)
        kpi_ratio(out, (double)in->spend_minor, (double)in->leads, 1, "no leads");
    else if (strcmp(c, "cost_per_qualified_lead") == 0)
        kpi_ratio(out, (double)in->spend_minor, (double)in->qualified_leads, 1,
                  "no qualified leads");
    else if (strcmp(c, "lead_quality") == 0)
        kpi_ratio(out, (double)in->qualified_leads, (double)in->leads, 1, "no leads");
    else if (strcmp(c, "attributed_revenue") == 0)
        kpi_sum(out, in->revenue_minor);
    else if (strcmp(c, "conversion_rate") == 0)
        kpi_ratio(out, (double)in->orders, (double)in->sessions, 1, "no attributed sessions");
    else if (strcmp(c, "aov") == 0)
        kpi_ratio(out, (double)in->revenue_minor, (double)in->orders, 1, "no orders");
    else if (strcmp(c, "roas") == 0)
        kpi_ratio(out, (double)in->revenue_minor, (double)in->spend_minor, 1, "no spend");
    else if (strcmp(c, "cpm") == 0)
        kpi_ratio(out, (double)in->spend_minor, (double)in->impressions, 1000,
                  "no impressions recorded");
    else if (strcmp(c, "cpe") == 0)
        kpi_ratio(out, (double)in->spend_minor, (double)eng, 1, "no engagements recorded");
    else if (strcmp(c, "cost_per_session") == 0)
        kpi_ratio(out, (double)in->spend_minor, (double)in->sessions, 1, "no attributed sessions");
    else if (strcmp(c, "follower_growth") == 0)
        kpi_ratio(out, (double)(in->followers_end - in->followers_start),
                  (double)in->followers_start, 1, "no follower snapshots in the window");
    else if (strcmp(c, "emv") == 0)
        out->missing = "needs a media-value rate card, which comes with tracking";
    else if (strcmp(c, "clicks") == 0)
        kpi_sum(out, in->clicks);
    else if (strcmp(c, "views") == 0)
        kpi_sum(out, in->views);
    else if (strcmp(c, "orders") == 0)
        kpi_sum(out, in->orders);
    else
        out->missing = "unknown KPI";
}

static const char *group_thousands(char *buf, size_t size, double v, int decimals)
{
    char raw[64], *dot;
    size_t n, i, len, intlen, o = 0;
    int neg = v < 0;

    snprintf(raw, sizeof(raw), "%.*f", decimals, neg ? -v : v);
    dot = strchr(raw, '.');
    len = strlen(raw);
    intlen = dot ? (size_t)(dot - raw) : len;
    if (neg && o + 1 < size)
        buf[o++] = '-';
    for (i = 0; i < intlen && o + 2 < size; i++) {
        buf[o++] = raw[i];
        n = intlen - i - 1;
        if (n > 0 && n % 3 == 0)
            buf[o++] = ',';
    }
    for (; i < len && o + 1 < size; i++)
        buf[o++] = raw[i];
    buf[o] = '\0';
    return buf;
}

const char *
cr_kpi_format(char *buf, size_t size, const cr_kpi_def *k, double v, const char *currency)
{
    char num[64];

    if (isnan(v)) {
        snprintf(buf, size, "-");
        return buf;
    }
    switch (k->unit) {
    case CR_UNIT_COUNT:
        snprintf(buf, size, "%s", group_thousands(num, sizeof(num), v, 0));
        break;
    case CR_UNIT_RATIO:
        snprintf(buf, size, "%.2f%%", v * 100);
        break;
    case CR_UNIT_MONEY:
        snprintf(buf, size, "%s%s%s", group_thousands(num, sizeof(num), v / 100, 2),
                 currency && *currency ? " " : "", currency && *currency ? currency : "");
        break;
    case CR_UNIT_SECONDS:
        snprintf(buf, size, "%dm %02ds", (int)(v / 60), (int)fmod(v, 60));
        break;
    case CR_UNIT_PER_DAY:
        snprintf(buf, size, "%.1f/day", v);
        break;
    case CR_UNIT_MULTIPLE:
        snprintf(buf, size, "%.2fx", v);
        break;
    }
    return buf;
}

const char *cr_kpi_unit_name(cr_kpi_unit u)
{
    static const char *const names[] = {
        "count", "ratio", "money", "seconds", "per_day", "multiple"
    };

    return (unsigned)u < sizeof(names) / sizeof(names[0]) ? names[u] : "?";
}
