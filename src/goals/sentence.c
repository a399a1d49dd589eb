/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * sentence.c - goal sentences to structured goals. The text is cut into tokens (words,
 * numbers, ISO dates, currency symbols, '%', dashes, punctuation); then one pass per part
 * claims the tokens it reads, in an order that settles the ambiguous ones: periods first (so
 * "2027" is a year and not a count), then KPI phrases and direction verbs ("reach 10,000" is
 * the verb, "increase reach" the KPI), partnership counts, budgets, targets. Every token no
 * pass claimed, filler words aside, is reported in `unparsed`, merged into phrases, so
 * nothing is dropped silently. All vocabulary lives in the tables below.
 *
 * Decisions the tables encode (the corpus in tests/resources/goals/sentences.tsv shows each):
 * - "shares" is share_rate, the catalog's only share KPI: "by 30%" is a lift of it, while a
 *   count ("to 5,000 shares") is not a rate and is reported unparsed.
 * - "qualified leads" has no count KPI: "leads" reads as form_completions and "qualified"
 *   is reported unparsed; "lead quality" and "qualified lead rate" are lead_quality.
 * - follower_growth is itself a growth ratio, so "grow followers by 20%" is its absolute
 *   value 0.20, and "double followers" is 1.0.
 * - Money targets are minor units, as the catalog's money KPIs are ("CPL to $20" is 2000).
 * - A relative target needs a direction. "By 5,000 sessions" (an increase, not a lift) and
 *   "from 1%" (a baseline value) cannot be stored and are reported unparsed.
 * - A budget needs a cue ("budget", "spend", "with", "using", "for"...): a bare amount next
 *   to a revenue goal could as well be its target. An amount "per creator" or "a month" is a
 *   rate, not a total, and is reported unparsed, as a budget or as a target.
 * - One KPI per goal: a second one is reported with its target ("and revenue by 10%"),
 *   except when joined to the first by "and" ("traffic and sales by 20%" is traffic +20%).
 *   A bare goal word ("for awareness") sets the goal of a contextual KPI such as CPM.
 * - A deadline ("by September 30, 2027") ends a period that has a start ("starting July 1",
 *   "in Q3"); alone it, like "next quarter" or "the next 90 days", needs today's date, which
 *   the parser does not have, and is reported unparsed. "This year" is default_year.
 * - A baseline without a year takes the period's year, or the year before when that would
 *   not precede the period ("Q1 2028 vs Q4" is 2027-Q4). "Last year" and "year over year"
 *   are the same period a year earlier; "last quarter" is the quarter before the period,
 *   "the prior period" the same number of months (or days) just before it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crest/sentence.h"
#include "util/date.h"
#include "util/num.h"

#define MAX_TOKENS   160
#define WORD_MAX     24
#define MAX_MENTIONS 8
#define MAX_KPI_HITS 12

/* ---- vocabulary ------------------------------------------------------------------------ */

static const char *const goal_names[] = { "none",    "awareness", "engagement",
                                          "traffic", "leads",     "sales" };

enum unit { U_COUNT, U_RATIO, U_MONEY, U_SECONDS, U_PER_DAY, U_MULTIPLE };

typedef struct {
    const char *code;
    cr_goal_type goal; /* the primary goal; for contextual KPIs the goal they usually serve */
    int contextual;    /* 1: primary for no goal, so an explicit goal word sets the goal */
    enum unit unit;
    int good;   /* +1 higher is better, -1 lower is better: what "improve" means */
    int growth; /* 1: the KPI is a growth ratio; "grow followers by 20%" is its value */
} kpi_info;

#define AW CR_GOAL_AWARENESS
#define EN CR_GOAL_ENGAGEMENT
#define TR CR_GOAL_TRAFFIC
#define LE CR_GOAL_LEADS
#define SA CR_GOAL_SALES

static const kpi_info kpi_infos[] = {
    { "impressions", AW, 0, U_COUNT, 1, 0 },
    { "reach", AW, 0, U_COUNT, 1, 0 },
    { "mentions", AW, 0, U_COUNT, 1, 0 },
    { "mention_velocity", AW, 0, U_PER_DAY, 1, 0 },
    { "share_of_voice", AW, 0, U_RATIO, 1, 0 },
    { "engagements", EN, 0, U_COUNT, 1, 0 },
    { "engagement_rate", EN, 0, U_RATIO, 1, 0 },
    { "share_rate", EN, 0, U_RATIO, 1, 0 },
    { "comment_quality", EN, 0, U_RATIO, 1, 0 },
    { "ctr", TR, 0, U_RATIO, 1, 0 },
    { "referral_sessions", TR, 0, U_COUNT, 1, 0 },
    { "session_duration", TR, 0, U_SECONDS, 1, 0 },
    { "bounce_rate", TR, 0, U_RATIO, -1, 0 },
    { "form_completions", LE, 0, U_COUNT, 1, 0 },
    { "completion_rate", LE, 0, U_RATIO, 1, 0 },
    { "cpl", LE, 0, U_MONEY, -1, 0 },
    { "cost_per_qualified_lead", LE, 0, U_MONEY, -1, 0 },
    { "lead_quality", LE, 0, U_RATIO, 1, 0 },
    { "attributed_revenue", SA, 0, U_MONEY, 1, 0 },
    { "conversion_rate", SA, 0, U_RATIO, 1, 0 },
    { "aov", SA, 0, U_MONEY, 1, 0 },
    { "roas", SA, 0, U_MULTIPLE, 1, 0 },
    { "cpm", AW, 1, U_MONEY, -1, 0 },
    { "cpe", EN, 1, U_MONEY, -1, 0 },
    { "cost_per_session", TR, 1, U_MONEY, -1, 0 },
    { "follower_growth", AW, 1, U_RATIO, 1, 1 },
    { "emv", AW, 1, U_MONEY, 1, 0 },
    { "clicks", TR, 1, U_COUNT, 1, 0 },
    { "views", AW, 1, U_COUNT, 1, 0 },
    { "orders", SA, 1, U_COUNT, 1, 0 },
};

typedef struct {
    const char *phrase; /* lower case, one space between words; a hyphen counts as a space */
    const char *code;
    int goal_word; /* the bare goal name: also sets the goal of a contextual KPI */
} kpi_phrase;

/* The longest phrase that matches wins, so "engagement rate" beats "engagement". */
static const kpi_phrase kpi_phrases[] = {
    { "awareness", "impressions", 1 },
    { "brand awareness", "impressions", 0 },
    { "impressions", "impressions", 0 },
    { "reach", "reach", 0 },
    { "audience reach", "reach", 0 },
    { "unique reach", "reach", 0 },
    { "mentions", "mentions", 0 },
    { "brand mentions", "mentions", 0 },
    { "social mentions", "mentions", 0 },
    { "mention velocity", "mention_velocity", 0 },
    { "mentions per day", "mention_velocity", 0 },
    { "daily mentions", "mention_velocity", 0 },
    { "share of voice", "share_of_voice", 0 },
    { "sov", "share_of_voice", 0 },
    { "engagement", "engagements", 1 },
    { "engagements", "engagements", 0 },
    { "interactions", "engagements", 0 },
    { "engagement rate", "engagement_rate", 0 },
    { "interaction rate", "engagement_rate", 0 },
    { "share rate", "share_rate", 0 },
    { "shares", "share_rate", 0 },
    { "comment quality", "comment_quality", 0 },
    { "quality of comments", "comment_quality", 0 },
    { "traffic", "referral_sessions", 1 },
    { "referral traffic", "referral_sessions", 0 },
    { "website traffic", "referral_sessions", 0 },
    { "web traffic", "referral_sessions", 0 },
    { "site traffic", "referral_sessions", 0 },
    { "site visits", "referral_sessions", 0 },
    { "website visits", "referral_sessions", 0 },
    { "visits", "referral_sessions", 0 },
    { "sessions", "referral_sessions", 0 },
    { "referral sessions", "referral_sessions", 0 },
    { "website sessions", "referral_sessions", 0 },
    { "visitors", "referral_sessions", 0 },
    { "website visitors", "referral_sessions", 0 },
    { "site visitors", "referral_sessions", 0 },
    { "click through rate", "ctr", 0 },
    { "clickthrough rate", "ctr", 0 },
    { "ctr", "ctr", 0 },
    { "bounce rate", "bounce_rate", 0 },
    { "time on site", "session_duration", 0 },
    { "session duration", "session_duration", 0 },
    { "average session duration", "session_duration", 0 },
    { "session length", "session_duration", 0 },
    { "leads", "form_completions", 1 },
    { "sign ups", "form_completions", 0 },
    { "signups", "form_completions", 0 },
    { "form fills", "form_completions", 0 },
    { "form completions", "form_completions", 0 },
    { "form submissions", "form_completions", 0 },
    { "registrations", "form_completions", 0 },
    { "newsletter subscribers", "form_completions", 0 },
    { "newsletter sign ups", "form_completions", 0 },
    { "newsletter signups", "form_completions", 0 },
    { "email subscribers", "form_completions", 0 },
    { "demo requests", "form_completions", 0 },
    { "completion rate", "completion_rate", 0 },
    { "form completion rate", "completion_rate", 0 },
    { "sign up rate", "completion_rate", 0 },
    { "cost per lead", "cpl", 0 },
    { "cpl", "cpl", 0 },
    { "cost per sign up", "cpl", 0 },
    { "cost per qualified lead", "cost_per_qualified_lead", 0 },
    { "cpql", "cost_per_qualified_lead", 0 },
    { "lead quality", "lead_quality", 0 },
    { "qualified lead rate", "lead_quality", 0 },
    { "share of qualified leads", "lead_quality", 0 },
    { "sales", "attributed_revenue", 1 },
    { "revenue", "attributed_revenue", 0 },
    { "attributed revenue", "attributed_revenue", 0 },
    { "attributed sales", "attributed_revenue", 0 },
    { "online sales", "attributed_revenue", 0 },
    { "sales revenue", "attributed_revenue", 0 },
    { "conversion rate", "conversion_rate", 0 },
    { "cvr", "conversion_rate", 0 },
    { "average order value", "aov", 0 },
    { "aov", "aov", 0 },
    { "basket size", "aov", 0 },
    { "average basket size", "aov", 0 },
    { "roas", "roas", 0 },
    { "return on ad spend", "roas", 0 },
    { "return on advertising spend", "roas", 0 },
    { "orders", "orders", 0 },
    { "purchases", "orders", 0 },
    { "cpm", "cpm", 0 },
    { "cost per mille", "cpm", 0 },
    { "cost per thousand impressions", "cpm", 0 },
    { "cpe", "cpe", 0 },
    { "cost per engagement", "cpe", 0 },
    { "cost per session", "cost_per_session", 0 },
    { "cost per visit", "cost_per_session", 0 },
    { "followers", "follower_growth", 0 },
    { "follower growth", "follower_growth", 0 },
    { "follower count", "follower_growth", 0 },
    { "audience growth", "follower_growth", 0 },
    { "emv", "emv", 0 },
    { "earned media value", "emv", 0 },
    { "media value", "emv", 0 },
    { "clicks", "clicks", 0 },
    { "link clicks", "clicks", 0 },
    { "views", "views", 0 },
    { "video views", "views", 0 },
};

typedef struct {
    const char *word;
    int dir;    /* +1, -1; 0 for "improve", whose direction is the KPI's good one */
    double rel; /* the relative target it implies: "double" 1.0, "halve" -0.5; else 0 */
} dir_word;

static const dir_word dir_words[] = {
    { "increase", 1, 0 },  { "increasing", 1, 0 },  { "grow", 1, 0 },     { "growing", 1, 0 },
    { "boost", 1, 0 },     { "raise", 1, 0 },       { "lift", 1, 0 },     { "drive", 1, 0 },
    { "driving", 1, 0 },   { "expand", 1, 0 },      { "maximize", 1, 0 }, { "maximise", 1, 0 },
    { "build", 1, 0 },     { "accelerate", 1, 0 },  { "generate", 1, 0 }, { "double", 1, 1.0 },
    { "triple", 1, 2.0 },  { "quadruple", 1, 3.0 }, { "reduce", -1, 0 },  { "reducing", -1, 0 },
    { "decrease", -1, 0 }, { "lower", -1, 0 },      { "cut", -1, 0 },     { "drop", -1, 0 },
    { "minimize", -1, 0 }, { "minimise", -1, 0 },   { "shrink", -1, 0 },  { "trim", -1, 0 },
    { "slash", -1, 0 },    { "halve", -1, -0.5 },   { "improve", 0, 0 },  { "improving", 0, 0 },
    { "optimize", 0, 0 },  { "optimise", 0, 0 },    { "achieve", 0, 0 },  { "attain", 0, 0 },
    { "hit", 0, 0 },       { "deliver", 0, 0 },
};

/* Before an amount: "reach 10,000 sessions" is an absolute target and says "increase". */
static const char *const target_verbs[] = { "reach",   "hit",     "achieve", "attain",  "generate",
                                            "drive",   "deliver", "secure",  "earn",    "land",
                                            "collect", "capture", "exceed",  "surpass", "beat",
                                            "top",     "get",     NULL };

typedef struct {
    const char *phrase;
    int dir;
} signed_phrase;

/* Between a cue and its amount: "to at least 10,000", "keep CPL below $20". */
static const signed_phrase qualifiers[] = {
    { "no less than", 1 }, { "at least", 1 },     { "more than", 1 },     { "over", 1 },
    { "above", 1 },        { "a minimum of", 1 }, { "no more than", -1 }, { "at most", -1 },
    { "less than", -1 },   { "below", -1 },       { "under", -1 },        { "a maximum of", -1 },
    { "up to", 0 },        { "around", 0 },       { "about", 0 },         { "approximately", 0 },
    { "roughly", 0 },      { "nearly", 0 },       { "almost", 0 },
};

/* "a 25% increase", "25% fewer", "a drop of 10%". */
static const signed_phrase lift_words[] = {
    { "increase", 1 }, { "lift", 1 },     { "growth", 1 },     { "uplift", 1 },
    { "rise", 1 },     { "boost", 1 },    { "gain", 1 },       { "jump", 1 },
    { "more", 1 },     { "higher", 1 },   { "reduction", -1 }, { "decrease", -1 },
    { "drop", -1 },    { "decline", -1 }, { "cut", -1 },       { "fall", -1 },
    { "less", -1 },    { "fewer", -1 },   { "lower", -1 },     { "improvement", 0 },
};

typedef struct {
    const char *phrase;
    double mag;
} frac_phrase;

static const frac_phrase frac_phrases[] = {
    { "by half", 0.5 },         { "in half", 0.5 },          { "by a half", 0.5 },
    { "by a third", 1.0 / 3 },  { "by one third", 1.0 / 3 }, { "by a quarter", 0.25 },
    { "by one quarter", 0.25 },
};

typedef struct {
    const char *phrase;
    const char *code;
} currency_name;

/* Written after an amount ("10,000 EUR", "fifteen thousand dollars"); codes also before. */
static const currency_name currency_names[] = {
    { "usd", "USD" },
    { "us dollars", "USD" },
    { "dollars", "USD" },
    { "dollar", "USD" },
    { "eur", "EUR" },
    { "euros", "EUR" },
    { "euro", "EUR" },
    { "gbp", "GBP" },
    { "pounds sterling", "GBP" },
    { "pounds", "GBP" },
    { "pound", "GBP" },
    { "cad", "CAD" },
    { "canadian dollars", "CAD" },
    { "aud", "AUD" },
    { "australian dollars", "AUD" },
    { "chf", "CHF" },
    { "swiss francs", "CHF" },
    { "jpy", "JPY" },
    { "yen", "JPY" },
    { "sek", "SEK" },
    { "nok", "NOK" },
    { "dkk", "DKK" },
};

static const char *const partner_nouns[] = { "partnerships",  "partnership", "partners",
                                             "partner",       "creators",    "creator",
                                             "influencers",   "influencer",  "collaborations",
                                             "collaboration", "collabs",     "ambassadors",
                                             "ambassador",    NULL };

/* Words allowed between a count and its noun: "four creator partnerships". */
static const char *const partner_modifiers[] = { "creator",   "influencer", "content", "micro",
                                                 "nano",      "macro",      "mid",     "tier",
                                                 "brand",     "paid",       "new",     "individual",
                                                 "different", "separate",   NULL };

/* A budget needs one of these near its amount; the content words among them are claimed. */
static const char *const budget_cues[] = { "budget",     "spend",     "spending",   "spent",
                                           "invest",     "investing", "investment", "allocate",
                                           "allocating", "fees",      "fee",        "cost",
                                           "paying",     "with",      "using",      "for",
                                           NULL };
static const char *const budget_skip[] = {
    "a",          "an",       "the",       "total", "overall", "of",      "our", "and", "creator",
    "influencer", "campaign", "marketing", "media", "paid",    "maximum", "max", "in",  NULL
};

/* Words that carry no part of a goal; they are dropped from the edges of unparsed phrases. */
static const char *const filler_words[] = { "a",           "an",           "the",
                                            "our",         "my",           "your",
                                            "their",       "its",          "of",
                                            "from",        "and",          "to",
                                            "by",          "over",         "in",
                                            "for",         "with",         "across",
                                            "against",     "using",        "use",
                                            "via",         "through",      "throughout",
                                            "during",      "within",       "at",
                                            "as",          "measured",     "we",
                                            "i",           "us",           "want",
                                            "wants",       "need",         "would",
                                            "like",        "aim",          "aims",
                                            "aiming",      "goal",         "goals",
                                            "target",      "targets",      "objective",
                                            "let's",       "lets",         "plan",
                                            "creator",     "creators",     "influencer",
                                            "influencers", "campaign",     "campaigns",
                                            "partnership", "partnerships", "partner",
                                            "partners",    "program",      "programme",
                                            "website",     "site",         "web",
                                            "total",       "overall",      "new",
                                            "is",          "are",          "be",
                                            "will",        "should",       "can",
                                            "so",          "that",         "this",
                                            "all",         "each",         "also",
                                            "please",      "keep",         "maintain",
                                            "hold",        "stay",         "working",
                                            "work",        "partnering",   "collaborating",
                                            "content",     "marketing",    "social",
                                            "media",       "brand",        "level",
                                            "levels",      "baseline",     "period",
                                            "get",         "make",         "help",
                                            "ensure",      "posts",        "order",
                                            NULL };

static const struct {
    const char *word;
    int month;
} month_words[] = {
    { "january", 1 },   { "jan", 1 },   { "february", 2 },  { "feb", 2 },      { "march", 3 },
    { "mar", 3 },       { "april", 4 }, { "apr", 4 },       { "may", 5 },      { "june", 6 },
    { "jun", 6 },       { "july", 7 },  { "jul", 7 },       { "august", 8 },   { "aug", 8 },
    { "september", 9 }, { "sep", 9 },   { "sept", 9 },      { "october", 10 }, { "oct", 10 },
    { "november", 11 }, { "nov", 11 },  { "december", 12 }, { "dec", 12 },
};

/* "may" and "march" are months only next to a date word or after one of these. */
static const char *const month_cues[] = { "in",    "during",  "for",        "from",    "until",
                                          "till",  "through", "by",         "to",      "between",
                                          "and",   "vs",      "versus",     "against", "since",
                                          "of",    "over",    "throughout", "than",    "before",
                                          "after", NULL };

/* A bare year ("2027") is a period only after one of these. */
static const char *const year_cues[] = { "in",      "during", "for",    "throughout", "across",
                                         "over",    "of",     "from",   "until",      "through",
                                         "between", "vs",     "versus", "against",    "than",
                                         "since",   "year",   NULL };

static const char *const small_numbers[] = {
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", NULL
};
static const char *const tens_words[] = { "twenty",  "thirty", "forty",  "fifty", "sixty",
                                          "seventy", "eighty", "ninety", NULL };

/* Cues that make a period the baseline: "measured against Q2", "vs. last year". */
static const char *const baseline_cues[] = { "benchmarked against",
                                             "measured against",
                                             "compared with",
                                             "compared to",
                                             "relative to",
                                             "baseline of",
                                             "against",
                                             "vs",
                                             "versus",
                                             "than in",
                                             "than during",
                                             "than",
                                             "baseline",
                                             NULL };
static const char *const baseline_after[] = { "baseline", "baselines", "levels", "level", NULL };
static const char *const deadline_end_cues[] = { "by the end of", "by end of", "until the end of",
                                                 "before the end of", NULL };
static const char *const deadline_cues[] = { "no later than", "ending on", "ending", "by", "until",
                                             "till",          "through",   "before", NULL };
static const char *const start_cues[] = { "starting on", "starting in",  "starting from",
                                          "starting",    "beginning on", "beginning in",
                                          "beginning",   "commencing",   "as of",
                                          "effective",   "from",         NULL };
static const char *const year_end_phrases[] = { "by the end of this year",
                                                "by the end of the year",
                                                "by end of the year",
                                                "by end of year",
                                                "by year end",
                                                NULL };
static const char *const period_cues[] = { "over", "in",         "within", "during",
                                           "for",  "throughout", NULL };

/* ---- tokens ---------------------------------------------------------------------------- */

enum tok_kind { TK_WORD, TK_NUM, TK_DATE, TK_PCT, TK_CUR, TK_DASH, TK_PUNCT };

/* Which pass claimed a token. */
enum owner { O_FREE = 0, O_PERIOD, O_CUE, O_KPI, O_DIR, O_PARTNER, O_BUDGET, O_TARGET };

typedef struct {
    enum tok_kind kind;
    char w[WORD_MAX];  /* TK_WORD: lower case, truncated; TK_PUNCT: the character */
    double num;        /* TK_NUM: the magnitude, a k/m/b suffix applied */
    char sfx;          /* TK_NUM: 'k', 'm', 'b', 'x' (times), 'o' (ordinal) or 0 */
    int sign;          /* TK_NUM: +1/-1 when written with a sign, else 0 */
    int plain;         /* TK_NUM: digits only */
    int ndigits;       /* TK_NUM: length of a plain number */
    int bad;           /* TK_NUM: not a number we read ("1,2345", "10am") */
    int y, m, d;       /* TK_DATE */
    const char *cur;   /* TK_CUR: ISO 4217 code */
    size_t start, end; /* bytes of the text */
    int joined;        /* a hyphen joins it to the previous token ("twenty-five") */
    enum owner used;
    int keep;  /* > 0: reported unparsed as a whole (filler too); one value per report */
    int alone; /* with keep: a period, never merged with a neighbouring report */
    int other; /* a second KPI's words: an amount right after them is its target */
} tok;

typedef struct {
    const char *text;
    tok t[MAX_TOKENS];
    size_t n;
    int default_year;
    const kpi_info *kpi; /* the goal's KPI, NULL until found */
    int dir;             /* direction; 0 while unknown */
    double implied_rel;  /* "double" = 1.0; used when no other target is said */
    int groups;          /* unread() calls so far: each reported span is its own phrase */
    cr_goal_statement *out;
} parser;

/* ---- small helpers --------------------------------------------------------------------- */

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

/* Token i is the word w (claimed or not). */
static int wd(const parser *ps, size_t i, const char *w)
{
    return i < ps->n && ps->t[i].kind == TK_WORD && strcmp(ps->t[i].w, w) == 0;
}

static int free_word(const parser *ps, size_t i)
{
    return i < ps->n && ps->t[i].kind == TK_WORD && ps->t[i].used == O_FREE;
}

static int free_wd(const parser *ps, size_t i, const char *w)
{
    return free_word(ps, i) && strcmp(ps->t[i].w, w) == 0;
}

static int free_in(const parser *ps, size_t i, const char *const *list)
{
    return free_word(ps, i) && in_list(ps->t[i].w, list);
}

static int is_punct(const parser *ps, size_t i, char c)
{
    return i < ps->n && ps->t[i].kind == TK_PUNCT && ps->t[i].w[0] == c;
}

/* Tokens the words of `phrase` cover from token i, or 0; `any` also matches claimed ones. */
static size_t match_at(const parser *ps, size_t i, const char *phrase, int any)
{
    size_t k = i;
    const char *p = phrase;

    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const tok *t = k < ps->n ? &ps->t[k] : NULL;

        if (t == NULL || t->kind != TK_WORD || (!any && t->used != O_FREE) || strlen(t->w) != len ||
            memcmp(t->w, p, len) != 0)
            return 0;
        k++;
        p += len;
        if (*p == ' ')
            p++;
    }
    return k - i;
}

/* Tokens the words of `phrase` cover when it ends just before token i, or 0. */
static size_t match_before(const parser *ps, size_t i, const char *phrase, int any)
{
    size_t words = 1;
    const char *p;

    for (p = phrase; *p; p++)
        words += *p == ' ';
    if (i < words)
        return 0;
    return match_at(ps, i - words, phrase, any) == words ? words : 0;
}

/* The first phrase of a NULL-terminated list that ends just before token i. */
static size_t match_before_list(const parser *ps, size_t i, const char *const *list, int any)
{
    size_t n;

    for (; *list; list++)
        if ((n = match_before(ps, i, *list, any)) > 0)
            return n;
    return 0;
}

static void claim(parser *ps, size_t from, size_t to, enum owner o)
{
    for (; from < to && from < ps->n; from++)
        ps->t[from].used = o;
}

/* Give tokens back and report them, as a whole, as unparsed. */
static void unread(parser *ps, size_t from, size_t to)
{
    ps->groups++;
    for (; from < to && from < ps->n; from++) {
        ps->t[from].used = O_FREE;
        ps->t[from].keep = ps->groups;
    }
}

/* ---- tokenizer ------------------------------------------------------------------------- */

/* A UTF-8 sequence with a meaning at s[p]: currency (*cur), dash (*kind TK_DASH), curly
 * apostrophe ('\''), other quote or a no-break space (' '). Returns its length, or 0. */
static size_t utf8_symbol(const char *s, size_t len, size_t p, const char **cur, char *what)
{
    const unsigned char *u = (const unsigned char *)s + p;
    size_t left = len - p;

    *cur = NULL;
    *what = 0;
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x82 && u[2] == 0xAC)
        *cur = "EUR";
    else if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA3)
        *cur = "GBP";
    else if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA5)
        *cur = "JPY";
    else if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        *what = ' ';
    else if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x93 || u[2] == 0x94))
        *what = '-';
    else if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0x99)
        *what = '\'';
    else if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9D)
        *what = '"';
    else
        return 0;
    return *cur ? (u[0] == 0xE2 ? 3 : 2) : (*what == ' ' ? 2 : 3);
}

static tok *new_token(parser *ps, enum tok_kind kind, size_t start, size_t end, int *joined)
{
    tok *t;

    if (ps->n >= MAX_TOKENS)
        return NULL;
    t = &ps->t[ps->n++];
    memset(t, 0, sizeof(*t));
    t->kind = kind;
    t->start = start;
    t->end = end;
    t->joined = *joined;
    *joined = 0;
    return t;
}

/* A number at s[p] (after an optional sign): "15,000", "2.5K", "3x", "30th", "2027-07-01". */
static size_t read_number(parser *ps, const char *s, size_t len, size_t p, int *joined)
{
    size_t q = p, d0, d1, r;
    int sign = 0, y, m, d;
    char sfx[4] = "";
    const char *why;
    tok *t;
    int64_t secs;
    double v = 0;

    if (s[q] == '+' || s[q] == '-')
        sign = s[q++] == '-' ? -1 : 1;
    if (!sign && q + 10 <= len && is_digit(s[q]) && is_digit(s[q + 3]) && s[q + 4] == '-' &&
        s[q + 7] == '-' && is_digit(s[q + 9]) && (q + 10 == len || !is_digit(s[q + 10]))) {
        if ((t = new_token(ps, TK_DATE, p, q + 10, joined)) == NULL)
            return 0;
        if (cr_parse_date(&secs, s + q, 10, &why) < 0) {
            t->kind = TK_NUM;
            t->bad = 1;
        } else {
            cr_civil_from_days(secs / 86400, &y, &m, &d);
            t->y = y;
            t->m = m;
            t->d = d;
        }
        return q + 10 - p;
    }
    d0 = q;
    while (q < len && (is_digit(s[q]) || ((s[q] == ',' || s[q] == '.') && q + 1 < len &&
                                          is_digit(s[q + 1]) && q > d0)))
        q++;
    d1 = q;
    for (r = q; r < len && is_alpha(s[r]); r++)
        if (r - q < 3)
            sfx[r - q] = (char)(s[r] | 0x20);
    if ((t = new_token(ps, TK_NUM, p, r, joined)) == NULL)
        return 0;
    t->sign = sign;
    t->plain = !sign && r == q && strspn(s + d0, "0123456789") == d1 - d0;
    t->ndigits = (int)(d1 - d0);
    if (cr_parse_decimal(&v, s + d0, d1 - d0, &why) < 0)
        t->bad = 1;
    t->num = v;
    if (r - q > 3)
        t->bad = 1;
    else if (strcmp(sfx, "k") == 0)
        t->sfx = 'k';
    else if (strcmp(sfx, "m") == 0 || strcmp(sfx, "mn") == 0)
        t->sfx = 'm';
    else if (strcmp(sfx, "b") == 0 || strcmp(sfx, "bn") == 0)
        t->sfx = 'b';
    else if (strcmp(sfx, "x") == 0)
        t->sfx = 'x';
    else if ((strcmp(sfx, "st") == 0 || strcmp(sfx, "nd") == 0 || strcmp(sfx, "rd") == 0 ||
              strcmp(sfx, "th") == 0) &&
             strspn(s + d0, "0123456789") == d1 - d0 && !sign)
        t->sfx = 'o';
    else if (sfx[0])
        t->bad = 1;
    t->num *= t->sfx == 'k' ? 1e3 : t->sfx == 'm' ? 1e6 : t->sfx == 'b' ? 1e9 : 1;
    return r - p;
}

/* A word at s[p]: letters, digits, inner apostrophes and non-ASCII letters. */
static size_t read_word(parser *ps, const char *s, size_t len, size_t p, int *joined)
{
    static const char *const abbrevs[] = { "vs",   "approx", "jan", "feb", "mar",
                                           "apr",  "jun",    "jul", "aug", "sep",
                                           "sept", "oct",    "nov", "dec", NULL };
    size_t q = p, nw = 0, sl;
    const char *cur;
    char what;
    tok *t;
    char w[WORD_MAX];

    while (q < len) {
        unsigned char c = (unsigned char)s[q];
        if (is_alpha(c) || is_digit(c) || c == '_' || ((c == '#' || c == '@') && q == p)) {
            if (nw + 1 < WORD_MAX)
                w[nw++] = (char)(is_alpha(c) ? c | 0x20 : c);
            q++;
        } else if (c == '\'' && q > p && q + 1 < len && is_alpha(s[q + 1])) {
            if (nw + 1 < WORD_MAX)
                w[nw++] = '\'';
            q++;
        } else if (c >= 0x80) {
            sl = utf8_symbol(s, len, q, &cur, &what);
            if (sl && what == '\'' && q > p && q + sl < len && is_alpha(s[q + sl])) {
                if (nw + 1 < WORD_MAX)
                    w[nw++] = '\'';
                q += sl;
            } else if (sl) {
                break;
            } else {
                if (nw + 1 < WORD_MAX)
                    w[nw++] = (char)c;
                q++;
            }
        } else {
            break;
        }
    }
    w[nw] = '\0';
    if ((t = new_token(ps, TK_WORD, p, q, joined)) == NULL)
        return 0;
    memcpy(t->w, w, nw + 1);
    if (q < len && s[q] == '.' && in_list(w, abbrevs))
        t->end = ++q;
    return q - p;
}

static cr_err tokenize(parser *ps)
{
    const char *s = ps->text, *cur = NULL;
    size_t len = strlen(s), p = 0, n, sl;
    int joined = 0;
    char what = 0;
    tok *t;

    while (p < len) {
        unsigned char c = (unsigned char)s[p];
        int prev_alnum = p > 0 && (is_alpha(s[p - 1]) || is_digit(s[p - 1]));

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p++;
            continue;
        }
        sl = c >= 0x80 ? utf8_symbol(s, len, p, &cur, &what) : 0;
        if (sl && what == ' ') {
            p += sl;
            continue;
        }
        n = 0;
        if (c == '-' && prev_alnum && p + 1 < len && (is_alpha(s[p + 1]) || is_digit(s[p + 1]))) {
            joined = 1;
            p++;
            continue;
        }
        if (is_digit(c) ||
            ((c == '+' || c == '-') && p + 1 < len && is_digit(s[p + 1]) && !prev_alnum)) {
            n = read_number(ps, s, len, p, &joined);
        } else if (is_alpha(c) || c == '#' || c == '@' || (c >= 0x80 && sl == 0)) {
            n = read_word(ps, s, len, p, &joined);
        } else if (sl && cur) {
            if ((t = new_token(ps, TK_CUR, p, p + sl, &joined)) != NULL) {
                t->cur = cur;
                n = sl;
            }
        } else if (sl && what == '-') {
            n = new_token(ps, TK_DASH, p, p + sl, &joined) ? sl : 0;
        } else if (c == '$' || c == '%' || c == '-' || c == '&') {
            if ((t = new_token(ps,
                               c == '$'   ? TK_CUR
                               : c == '%' ? TK_PCT
                               : c == '-' ? TK_DASH
                                          : TK_WORD,
                               p, p + 1, &joined)) != NULL) {
                t->cur = c == '$' ? "USD" : NULL;
                if (c == '&')
                    memcpy(t->w, "and", 4);
                n = 1;
            }
        } else {
            if ((t = new_token(ps, TK_PUNCT, p, p + (sl ? sl : 1), &joined)) != NULL) {
                t->w[0] = sl ? what : (char)c;
                n = sl ? sl : 1;
            }
        }
        if (n == 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "goal sentence too long: keep it under %d words", MAX_TOKENS);
        p += n;
    }
    return CR_OK;
}

/* ---- numbers and amounts --------------------------------------------------------------- */

static int list_index(const char *w, const char *const *list)
{
    int i;

    for (i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0)
            return i;
    return -1;
}

static double scale_of(const char *w)
{
    if (strcmp(w, "thousand") == 0)
        return 1e3;
    if (strcmp(w, "million") == 0)
        return 1e6;
    if (strcmp(w, "billion") == 0)
        return 1e9;
    return 0;
}

/* Numbers in words: "four", "twenty-five", "two hundred and fifty", "fifteen thousand",
 * "a million", "a dozen". Returns the tokens read, 0 if none. */
static size_t number_words(const parser *ps, size_t i, double *out)
{
    enum { N_NONE, N_UNIT, N_TEEN, N_TENS, N_HUNDRED, N_SCALE } last = N_NONE;
    size_t k = i, end = i;
    double total = 0, cur = 0, sc;
    int v, a_prefix = 0;

    if ((free_wd(ps, k, "a") || free_wd(ps, k, "an")) && free_word(ps, k + 1) &&
        (scale_of(ps->t[k + 1].w) > 0 || strcmp(ps->t[k + 1].w, "hundred") == 0 ||
         strcmp(ps->t[k + 1].w, "dozen") == 0)) {
        a_prefix = 1;
        cur = 1;
        k++;
    }
    while (free_word(ps, k)) {
        const char *w = ps->t[k].w;
        if ((v = list_index(w, small_numbers)) >= 0) {
            if (!(last == N_NONE || last == N_HUNDRED || last == N_SCALE ||
                  (last == N_TENS && v >= 1 && v <= 9)))
                break;
            cur += v;
            last = v < 10 ? N_UNIT : N_TEEN;
        } else if ((v = list_index(w, tens_words)) >= 0) {
            if (!(last == N_NONE || last == N_HUNDRED || last == N_SCALE))
                break;
            cur += (v + 2) * 10;
            last = N_TENS;
        } else if (strcmp(w, "hundred") == 0 && (last != N_NONE || a_prefix) && last != N_HUNDRED) {
            cur = (cur > 0 ? cur : 1) * 100;
            last = N_HUNDRED;
        } else if (strcmp(w, "dozen") == 0 && (last != N_NONE || a_prefix)) {
            cur = (cur > 0 ? cur : 1) * 12;
            last = N_SCALE;
        } else if ((sc = scale_of(w)) > 0 && (last != N_NONE || a_prefix)) {
            total += (cur > 0 ? cur : 1) * sc;
            cur = 0;
            last = N_SCALE;
        } else if (strcmp(w, "and") == 0 && (last == N_HUNDRED || last == N_SCALE) &&
                   free_word(ps, k + 1) &&
                   (list_index(ps->t[k + 1].w, small_numbers) >= 0 ||
                    list_index(ps->t[k + 1].w, tens_words) >= 0)) {
            k++;
            continue;
        } else {
            break;
        }
        a_prefix = 0;
        k++;
        end = k;
    }
    if (end == i)
        return 0;
    *out = total + cur;
    return end - i;
}

/* The largest count read, as cr_parse_count's; money stops at CR_AMOUNT_MAX as in campaign
 * files. Both stay well inside int64_t (money in minor units, x100). */
#define AMOUNT_MAX 9.0e15

typedef struct {
    size_t t0, t1; /* tokens [t0, t1) */
    double v;      /* magnitude as written, scale words applied */
    int sign;      /* +1/-1 when written with a sign */
    int pct;       /* "%", "percent" */
    int points;    /* "percentage points" */
    int times;     /* "3x", "3 times" */
    const char *cur;
} amount;

static const char *currency_at(const parser *ps, size_t i, size_t *n)
{
    size_t k;

    for (k = 0; k < sizeof(currency_names) / sizeof(currency_names[0]); k++)
        if ((*n = match_at(ps, i, currency_names[k].phrase, 0)) > 0)
            return currency_names[k].code;
    return NULL;
}

/* An amount from token i: "$15,000", "€8k", "15000 USD", "USD 15,000", "fifteen thousand
 * dollars", "25%", "twenty-five percent", "1.5 million", "3x". Only free tokens. */
static size_t read_amount(const parser *ps, size_t i, amount *a)
{
    size_t k = i, n;
    const char *cur = NULL, *c2;
    const tok *t;

    memset(a, 0, sizeof(*a));
    if (k < ps->n && ps->t[k].kind == TK_CUR && ps->t[k].used == O_FREE) {
        cur = ps->t[k++].cur;
    } else if ((c2 = currency_at(ps, k, &n)) != NULL && n == 1 && k + 1 < ps->n &&
               ps->t[k + 1].kind == TK_NUM && strlen(ps->t[k].w) == 3) {
        cur = c2;
        k++;
    }
    if (k >= ps->n || ps->t[k].used != O_FREE)
        return 0;
    t = &ps->t[k];
    if (t->kind == TK_NUM && !t->bad && t->sfx != 'o') {
        a->v = t->num;
        a->sign = t->sign;
        a->times = t->sfx == 'x';
        k++;
        if (!t->sfx && free_word(ps, k) && scale_of(ps->t[k].w) > 0)
            a->v *= scale_of(ps->t[k++].w);
    } else if (t->kind == TK_WORD && (n = number_words(ps, k, &a->v)) > 0) {
        k += n;
    } else {
        return 0;
    }
    if (k < ps->n && ps->t[k].kind == TK_PCT && ps->t[k].used == O_FREE) {
        a->pct = 1;
        k++;
    } else if (free_wd(ps, k, "percent") || free_wd(ps, k, "pct")) {
        a->pct = 1;
        k++;
    } else if ((n = match_at(ps, k, "per cent", 0)) > 0) {
        a->pct = 1;
        k += n;
    } else if ((n = match_at(ps, k, "percentage points", 0)) > 0) {
        a->pct = 1;
        a->points = 1;
        k += n;
    }
    if (a->pct && (free_wd(ps, k, "points") || free_wd(ps, k, "point"))) {
        a->points = 1;
        k++;
    }
    if (!a->pct && !a->times && !cur && free_wd(ps, k, "times")) {
        a->times = 1;
        k++;
    }
    if (!a->pct) {
        if (k < ps->n && ps->t[k].kind == TK_CUR && ps->t[k].used == O_FREE &&
            (!cur || strcmp(cur, ps->t[k].cur) == 0)) {
            cur = ps->t[k++].cur;
        } else if ((c2 = currency_at(ps, k, &n)) != NULL && (!cur || strcmp(cur, c2) == 0)) {
            cur = c2;
            k += n;
        }
    }
    /* "$288888888888888850" stays unparsed, not a wrapped budget */
    if (!(a->v <= (cur ? CR_AMOUNT_MAX : AMOUNT_MAX)))
        return 0;
    a->cur = cur;
    a->t0 = i;
    a->t1 = k;
    return k - i;
}

/* Where an amount that starts at token i (maybe after a qualifier or "a") ends, 0 if none:
 * "reach 10,000" is a verb. */
static size_t amount_end(const parser *ps, size_t i)
{
    amount a;
    size_t k, n;

    for (k = 0; k < sizeof(qualifiers) / sizeof(qualifiers[0]); k++)
        if ((n = match_at(ps, i, qualifiers[k].phrase, 0)) > 0) {
            i += n;
            break;
        }
    if (read_amount(ps, i, &a) > 0) /* "a million" */
        return a.t1;
    if (free_wd(ps, i, "a") || free_wd(ps, i, "an")) /* "a 2% CTR" */
        i++;
    return read_amount(ps, i, &a) > 0 ? a.t1 : 0;
}

/* "per creator", "a month", "monthly": the amount before is a rate, not a total. */
static size_t rate_suffix(const parser *ps, size_t k)
{
    static const char *const every[] = { "day", "week", "month", "quarter", "year", NULL };
    static const char *const words[] = { "monthly", "weekly", "daily", "each", "apiece", NULL };

    if (free_wd(ps, k, "per") && free_word(ps, k + 1))
        return 2;
    if ((free_wd(ps, k, "a") || free_wd(ps, k, "an")) && free_in(ps, k + 1, every))
        return 2;
    return free_in(ps, k, words) ? 1 : 0;
}

static int minor_exponent(const char *code)
{
    return strcmp(code, "JPY") == 0 ? 0 : 2;
}

static int64_t to_minor(double v, const char *code)
{
    return (int64_t)floor(v * (minor_exponent(code) ? 100.0 : 1.0) + 0.5);
}

/* ---- periods --------------------------------------------------------------------------- */

enum pkind { PK_NONE, PK_DAY, PK_MONTH, PK_QUARTER, PK_HALF, PK_YEAR };

#define YEAR_BEFORE (-1) /* "Q3 last year": the year before the period's */

typedef struct {
    enum pkind kind;
    int year; /* 0 when not said, or YEAR_BEFORE */
    int n;    /* month 1-12, quarter 1-4, half 1-2 */
    int day;
} pt;

enum rel {
    REL_NONE,
    REL_PREV_QUARTER,
    REL_PREV_MONTH,
    REL_PREV_HALF,
    REL_PREV_YEAR, /* the same period a year earlier */
    REL_PREV_PERIOD,
    REL_YOY,    /* "year over year": a baseline on its own */
    REL_UNKNOWN /* "next quarter", "the next 90 days": needs today's date */
};

enum role { R_PERIOD, R_BASELINE, R_START, R_DEADLINE, R_UNREAD };

typedef struct {
    pt a, b; /* b.kind is PK_NONE unless a range */
    enum rel rel;
    size_t t0, t1; /* the mention */
    size_t c0, c1; /* with its cues ("measured against", "baseline") */
    enum role role;
    int end_of; /* "by the end of Q3": the deadline is the period's last day */
} mention;

typedef struct {
    char label[32];
    int64_t lo, hi; /* days since the epoch, inclusive */
} span;

static int year_tok(const parser *ps, size_t i, int *year)
{
    const tok *t = i < ps->n ? &ps->t[i] : NULL;

    if (t == NULL || t->kind != TK_NUM || t->used || !t->plain || t->ndigits != 4 ||
        t->num < 1990 || t->num > 2100)
        return 0;
    *year = (int)t->num;
    return 1;
}

static int month_of(const char *w)
{
    size_t k;

    for (k = 0; k < sizeof(month_words) / sizeof(month_words[0]); k++)
        if (strcmp(w, month_words[k].word) == 0)
            return month_words[k].month;
    return 0;
}

static int day_tok(const parser *ps, size_t i, int *day)
{
    const tok *t = i < ps->n ? &ps->t[i] : NULL;

    if (t == NULL || t->kind != TK_NUM || t->used || t->bad || t->ndigits > 2 ||
        !(t->plain || t->sfx == 'o') || t->num < 1 || t->num > 31)
        return 0;
    if (i + 1 < ps->n && ps->t[i + 1].kind == TK_PCT)
        return 0;
    *day = (int)t->num;
    return 1;
}

static int ordinal_at(const parser *ps, size_t i)
{
    static const char *const words[] = { "first", "second", "third", "fourth", NULL };
    int v;

    if (free_word(ps, i) && (v = list_index(ps->t[i].w, words)) >= 0)
        return v + 1;
    if (i < ps->n && ps->t[i].kind == TK_NUM && !ps->t[i].used && ps->t[i].sfx == 'o' &&
        ps->t[i].num >= 1 && ps->t[i].num <= 4)
        return (int)ps->t[i].num;
    return 0;
}

/* "q3" -> PK_QUARTER 3, "h1" -> PK_HALF 1. */
static enum pkind qh_word(const parser *ps, size_t i, int *n)
{
    const char *w;

    if (!free_word(ps, i))
        return PK_NONE;
    w = ps->t[i].w;
    if (w[0] == 'q' && w[1] >= '1' && w[1] <= '4' && w[2] == '\0') {
        *n = w[1] - '0';
        return PK_QUARTER;
    }
    if (w[0] == 'h' && (w[1] == '1' || w[1] == '2') && w[2] == '\0') {
        *n = w[1] - '0';
        return PK_HALF;
    }
    return PK_NONE;
}

/* After a period: "2027", ", 2027", "of 2027", "this year", "of the year". */
static size_t year_suffix(const parser *ps, size_t k, int *year)
{
    static const char *const this_year[] = { "of this year", "of the year", "this year",
                                             "of the current year", NULL };
    static const char *const last_year[] = { "of last year", "last year", "of the previous year",
                                             "the previous year", NULL };
    size_t i, n;

    if (year_tok(ps, k, year))
        return 1;
    if ((is_punct(ps, k, ',') || free_wd(ps, k, "of") || free_wd(ps, k, "in")) &&
        year_tok(ps, k + 1, year))
        return 2;
    for (i = 0; this_year[i]; i++)
        if ((n = match_at(ps, k, this_year[i], 0)) > 0) {
            *year = ps->default_year;
            return n;
        }
    for (i = 0; last_year[i]; i++)
        if ((n = match_at(ps, k, last_year[i], 0)) > 0) {
            *year = YEAR_BEFORE;
            return n;
        }
    return 0;
}

/* One calendar point at token i: a date, month, quarter, half or year. */
static size_t parse_pt(const parser *ps, size_t i, pt *p, int bare_year)
{
    size_t k = i;
    int v, d, n;
    enum pkind kind;

    memset(p, 0, sizeof(*p));
    if (i >= ps->n || ps->t[i].used)
        return 0;
    if (ps->t[i].kind == TK_DATE) {
        p->kind = PK_DAY;
        p->year = ps->t[i].y;
        p->n = ps->t[i].m;
        p->day = ps->t[i].d;
        return 1;
    }
    if (year_tok(ps, i, &v) && (kind = qh_word(ps, i + 1, &n)) != PK_NONE) { /* 2027-Q3 */
        p->kind = kind;
        p->year = v;
        p->n = n;
        return 2;
    }
    if ((kind = qh_word(ps, i, &n)) != PK_NONE) {
        p->kind = kind;
        p->n = n;
        return 1 + year_suffix(ps, i + 1, &p->year);
    }
    if ((v = ordinal_at(ps, i)) > 0 &&
        (free_wd(ps, i + 1, "quarter") || (free_wd(ps, i + 1, "half") && v <= 2))) {
        p->kind = ps->t[i + 1].w[0] == 'q' ? PK_QUARTER : PK_HALF;
        p->n = v;
        return 2 + year_suffix(ps, i + 2, &p->year);
    }
    if (free_word(ps, i) && (v = month_of(ps->t[i].w)) > 0) {
        k = i + 1;
        p->kind = PK_MONTH;
        p->n = v;
        if (day_tok(ps, k, &d)) {
            p->kind = PK_DAY;
            p->day = d;
            k++;
        }
        k += year_suffix(ps, k, &p->year);
        if ((v == 3 || v == 5) && k == i + 1 && !(i > 0 && in_list(ps->t[i - 1].w, month_cues)))
            return 0; /* "may", "march": verbs unless a date word or a cue says otherwise */
        return k - i;
    }
    if (day_tok(ps, i, &d)) {
        k = i + 1 + free_wd(ps, i + 1, "of");
        if (free_word(ps, k) && (v = month_of(ps->t[k].w)) > 0) {
            p->kind = PK_DAY;
            p->n = v;
            p->day = d;
            k++;
            return k + year_suffix(ps, k, &p->year) - i;
        }
        return 0;
    }
    if ((n = (int)match_at(ps, i, "this year", 0)) > 0 ||
        (n = (int)match_at(ps, i, "the current year", 0)) > 0) {
        p->kind = PK_YEAR;
        p->year = ps->default_year;
        return (size_t)n;
    }
    if (bare_year && year_tok(ps, i, &v)) {
        p->kind = PK_YEAR;
        p->year = v;
        return 1;
    }
    return 0;
}

/* "last quarter", "the same period last year", "year over year", "the next 90 days". */
static size_t parse_rel(const parser *ps, size_t i, enum rel *rel)
{
    static const char *const prev[] = { "last", "previous", "prior", "past", "preceding", NULL };
    static const char *const next[] = { "next", "coming",  "following", "upcoming",
                                        "this", "current", NULL };
    static const char *const same[] = { "period", "quarter", "month", "half", "time", NULL };
    static const char *const ago[] = { "last year",      "a year ago",      "the previous year",
                                       "the prior year", "the year before", NULL };
    static const char *const units[] = { "day",    "days",     "week",  "weeks", "month",
                                         "months", "quarters", "years", NULL };
    static const char *const yoy[] = { "year over year", "year on year", "yoy", NULL };
    size_t k = i + free_wd(ps, i, "the"), n, j;
    enum rel r;
    amount a;

    for (j = 0; yoy[j]; j++)
        if ((n = match_at(ps, i, yoy[j], 0)) > 0) {
            *rel = REL_YOY;
            return n;
        }
    if (free_wd(ps, k, "same") && free_in(ps, k + 1, same)) {
        size_t m = k + 2 + (free_wd(ps, k + 2, "of") || free_wd(ps, k + 2, "in"));
        for (j = 0; ago[j]; j++)
            if ((n = match_at(ps, m, ago[j], 0)) > 0) {
                *rel = REL_PREV_YEAR;
                return m + n - i;
            }
    }
    if ((free_in(ps, k, prev) || free_in(ps, k, next)) && free_word(ps, k + 1)) {
        const char *w = ps->t[k + 1].w;
        int is_prev = in_list(ps->t[k].w, prev);
        if (strcmp(w, "year") == 0 && (wd(ps, k, "this") || wd(ps, k, "current")))
            return 0; /* a period: parse_pt reads it */
        r = !is_prev                    ? REL_UNKNOWN
            : strcmp(w, "quarter") == 0 ? REL_PREV_QUARTER
            : strcmp(w, "month") == 0   ? REL_PREV_MONTH
            : strcmp(w, "half") == 0    ? REL_PREV_HALF
            : strcmp(w, "year") == 0    ? REL_PREV_YEAR
            : strcmp(w, "period") == 0  ? REL_PREV_PERIOD
                                        : REL_UNKNOWN;
        if (in_list(w, same) || strcmp(w, "year") == 0 || strcmp(w, "week") == 0 ||
            strcmp(w, "season") == 0) {
            *rel = r;
            return k + 2 - i;
        }
    }
    j = k + (free_in(ps, k, prev) || free_in(ps, k, next) || free_wd(ps, k, "first"));
    if ((n = read_amount(ps, j, &a)) > 0 && !a.pct && !a.cur && !a.times &&
        free_in(ps, j + n, units)) {
        *rel = REL_UNKNOWN;
        return j + n + 1 - i;
    }
    return 0;
}

static int is_range_connector(const parser *ps, size_t k, int between)
{
    static const char *const words[] = { "to", "through", "thru", "until", "till", NULL };

    if (k >= ps->n || ps->t[k].used)
        return 0;
    if (ps->t[k].kind == TK_DASH || free_in(ps, k, words))
        return 1;
    return between && free_wd(ps, k, "and");
}

/* A period mention at token i: a point, a range of two ("from July to September", "Q3-Q4",
 * "between July 1 and August 15") or a relative phrase ("last quarter"). */
static size_t parse_mention(const parser *ps, size_t i, mention *m)
{
    size_t s, n, k, n2;
    enum rel rel = REL_NONE;
    int bare;

    memset(m, 0, sizeof(*m));
    if ((n = parse_rel(ps, i, &rel)) > 0) {
        m->rel = rel;
        return n;
    }
    s = i + free_wd(ps, i, "the");
    bare = i > 0 && ps->t[i - 1].kind == TK_WORD && in_list(ps->t[i - 1].w, year_cues);
    if ((n = parse_pt(ps, s, &m->a, bare)) == 0)
        return 0;
    k = s + n;
    if (is_range_connector(ps, k, i > 0 && wd(ps, i - 1, "between")))
        k++;
    else if (!(k < ps->n && ps->t[k].joined)) /* "July-September": the hyphen connects */
        return s + n - i;
    k += free_wd(ps, k, "the");
    if ((n2 = parse_pt(ps, k, &m->b, 1)) > 0)
        return k + n2 - i;
    memset(&m->b, 0, sizeof(m->b));
    return s + n - i;
}

/* The days from the first of month m1 to the last of month m2 of year y. */
static void month_span(int y, int m1, int m2, int64_t *lo, int64_t *hi)
{
    *lo = cr_days_from_civil(y, m1, 1);
    *hi = (m2 == 12 ? cr_days_from_civil(y + 1, 1, 1) : cr_days_from_civil(y, m2 + 1, 1)) - 1;
}

/* The days a point covers; 0 for a date that does not exist ("February 30"). */
static int pt_days(const pt *p, int64_t *lo, int64_t *hi)
{
    int y, m, d;

    switch (p->kind) {
    case PK_DAY:
        *lo = *hi = cr_days_from_civil(p->year, p->n, p->day);
        cr_civil_from_days(*lo, &y, &m, &d);
        return y == p->year && m == p->n && d == p->day;
    case PK_MONTH:
        month_span(p->year, p->n, p->n, lo, hi);
        return 1;
    case PK_QUARTER:
        month_span(p->year, 3 * p->n - 2, 3 * p->n, lo, hi);
        return 1;
    case PK_HALF:
        month_span(p->year, 6 * p->n - 5, 6 * p->n, lo, hi);
        return 1;
    case PK_YEAR:
        month_span(p->year, 1, 12, lo, hi);
        return 1;
    default:
        return 0;
    }
}

static void range_label(span *s)
{
    char a[12], b[12];

    cr_fmt_date(a, sizeof(a), s->lo * 86400);
    cr_fmt_date(b, sizeof(b), s->hi * 86400);
    snprintf(s->label, sizeof(s->label), "%s..%s", a, b);
}

static int pt_span(const pt *p, span *s)
{
    if (!pt_days(p, &s->lo, &s->hi))
        return 0;
    switch (p->kind) {
    case PK_MONTH:
        snprintf(s->label, sizeof(s->label), "%04d-%02d", p->year, p->n);
        break;
    case PK_QUARTER:
        snprintf(s->label, sizeof(s->label), "%04d-Q%d", p->year, p->n);
        break;
    case PK_HALF:
        snprintf(s->label, sizeof(s->label), "%04d-H%d", p->year, p->n);
        break;
    case PK_YEAR:
        snprintf(s->label, sizeof(s->label), "%04d", p->year);
        break;
    default:
        range_label(s);
    }
    return 1;
}

/* Fill the years a mention left out (from `ref`, keeping a range in order) and get its days. */
static int mention_span(mention *m, int ref, span *s)
{
    int64_t alo, ahi, blo, bhi;

    if (m->a.year == YEAR_BEFORE)
        m->a.year = ref - 1;
    if (m->b.year == YEAR_BEFORE)
        m->b.year = ref - 1;
    if (m->b.kind == PK_NONE) {
        if (m->a.year == 0)
            m->a.year = ref;
        return pt_span(&m->a, s);
    }
    if (m->a.year == 0 && m->b.year == 0)
        m->a.year = ref;
    if (m->a.year == 0) {
        m->a.year = m->b.year;
        if (pt_days(&m->a, &alo, &ahi) && pt_days(&m->b, &blo, &bhi) && alo > blo)
            m->a.year--;
    }
    if (m->b.year == 0) {
        m->b.year = m->a.year;
        if (pt_days(&m->a, &alo, &ahi) && pt_days(&m->b, &blo, &bhi) && bhi < alo)
            m->b.year++;
    }
    if (!pt_days(&m->a, &alo, &ahi) || !pt_days(&m->b, &blo, &bhi) || bhi < alo)
        return 0;
    s->lo = alo;
    s->hi = bhi;
    range_label(s);
    return 1;
}

/* The point before p of the same kind ("the previous period"). */
static void pt_prev(pt *p)
{
    int64_t lo, hi;
    int y, m, d;
    int per_year = p->kind == PK_MONTH ? 12 : p->kind == PK_QUARTER ? 4 : 2;

    if (p->kind == PK_YEAR) {
        p->year--;
    } else if (p->kind == PK_DAY) {
        pt_days(p, &lo, &hi);
        cr_civil_from_days(lo - 1, &y, &m, &d);
        p->year = y;
        p->n = m;
        p->day = d;
    } else if (--p->n == 0) {
        p->n = per_year;
        p->year--;
    }
}

/* The same day a year earlier; February 29 becomes February 28. */
static int64_t year_earlier(int64_t day)
{
    int y, m, d;

    cr_civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return cr_days_from_civil(y - 1, m, d);
}

/* The number of calendar months a range covers exactly ("2027-04-01..2027-06-30": 3). */
static int whole_months(const span *s, int *months)
{
    int y1, m1, d1, y2, m2, d2;

    cr_civil_from_days(s->lo, &y1, &m1, &d1);
    cr_civil_from_days(s->hi + 1, &y2, &m2, &d2);
    *months = (y2 - y1) * 12 + m2 - m1;
    return d1 == 1 && d2 == 1 && *months > 0;
}

/* A relative baseline ("last quarter", "year over year") from the period: `single` is the
 * period's one point, NULL when the period is a range of dates. */
static int rel_span(enum rel rel, const pt *single, const span *period, span *s)
{
    pt p;
    int64_t len;
    int months, y, m, d;

    if (single == NULL) {
        if (rel == REL_PREV_YEAR || rel == REL_YOY) {
            s->lo = year_earlier(period->lo);
            s->hi = year_earlier(period->hi);
        } else if (rel == REL_PREV_PERIOD && whole_months(period, &months)) {
            cr_civil_from_days(period->lo, &y, &m, &d);
            m -= months;
            for (; m < 1; m += 12)
                y--;
            s->lo = cr_days_from_civil(y, m, 1);
            s->hi = period->lo - 1;
        } else if (rel == REL_PREV_PERIOD) {
            len = period->hi - period->lo + 1;
            s->lo = period->lo - len;
            s->hi = period->lo - 1;
        } else {
            return 0;
        }
        range_label(s);
        return 1;
    }
    p = *single;
    if (rel == REL_PREV_YEAR || rel == REL_YOY)
        p.year--;
    else if (rel == REL_PREV_PERIOD || (rel == REL_PREV_QUARTER && p.kind == PK_QUARTER) ||
             (rel == REL_PREV_MONTH && p.kind == PK_MONTH) ||
             (rel == REL_PREV_HALF && p.kind == PK_HALF))
        pt_prev(&p);
    else
        return 0;
    return pt_span(&p, s);
}

/* What a period mention is for, from the words around it; claims those words. */
static void mention_role(parser *ps, mention *m)
{
    size_t n, j;

    m->c0 = m->t0;
    m->c1 = m->t1;
    m->role = R_PERIOD;
    if (m->b.kind != PK_NONE && m->t0 > 0 &&
        (free_wd(ps, m->t0 - 1, "between") || free_wd(ps, m->t0 - 1, "from")))
        m->c0 = m->t0 - 1; /* the range's own cue */
    if (m->rel == REL_UNKNOWN) {
        m->role = R_UNREAD;
        if (m->t0 > 0 && free_in(ps, m->t0 - 1, period_cues))
            m->c0 = m->t0 - 1;
        return;
    }
    for (j = 0; baseline_after[j]; j++)
        if ((n = match_at(ps, m->t1, baseline_after[j], 0)) > 0) {
            m->c1 = m->t1 + n;
            m->role = R_BASELINE;
            break;
        }
    if ((n = match_before_list(ps, m->t0, baseline_cues, 0)) > 0 ||
        (m->rel != REL_NONE && ((n = match_before(ps, m->t0, "over", 0)) > 0 ||
                                (n = match_before(ps, m->t0, "from", 0)) > 0))) {
        m->c0 = m->t0 - n;
        m->role = R_BASELINE;
    } else if (m->rel == REL_YOY || m->role == R_BASELINE) {
        m->role = R_BASELINE;
    } else if (m->rel != REL_NONE) {
        m->role = R_UNREAD; /* "last quarter" as the period itself */
    } else if ((n = match_before_list(ps, m->t0, deadline_end_cues, 0)) > 0) {
        m->c0 = m->t0 - n;
        m->role = R_DEADLINE;
        m->end_of = 1;
    } else if ((n = match_before_list(ps, m->t0, deadline_cues, 0)) > 0) {
        m->c0 = m->t0 - n;
        m->role = m->a.kind == PK_DAY && m->b.kind == PK_NONE ? R_DEADLINE : R_UNREAD;
    } else if (m->b.kind == PK_NONE && (n = match_before_list(ps, m->t0, start_cues, 0)) > 0) {
        m->c0 = m->t0 - n;
        m->role = R_START;
    }
    claim(ps, m->c0, m->c1, O_CUE);
    claim(ps, m->t0, m->t1, O_PERIOD);
}

/* A period that cannot be used is reported as a phrase of its own. */
static void unread_mention(parser *ps, const mention *m)
{
    size_t k;

    unread(ps, m->c0, m->c1);
    for (k = m->c0; k < m->c1; k++)
        ps->t[k].alone = 1;
}

static void set_span(char *label, int64_t *lo, int64_t *hi, const span *s)
{
    snprintf(label, 32, "%s", s->label);
    if (lo != NULL) {
        *lo = s->lo * 86400;
        *hi = s->hi * 86400;
    }
}

static int last_year(const mention *m)
{
    return m != NULL && (m->a.year == YEAR_BEFORE || m->b.year == YEAR_BEFORE);
}

/* Period, baseline, start and deadline mentions (at most one each) to the statement. A start
 * or a deadline narrows the period, or with each other makes one; alone they are reported. */
static void resolve_periods(parser *ps, mention *per, mention *base, mention *start, mention *dead)
{
    span sp, bs, x;
    int have = 0, ref, y, mo, d, changed;
    int64_t start_day = 0, dead_day = 0;
    const pt *single = NULL;
    cr_goal_statement *out = ps->out;

    if (last_year(per) || last_year(start) || last_year(dead)) {
        unread_mention(ps, last_year(per) ? per : last_year(start) ? start : dead);
        resolve_periods(ps, last_year(per) ? NULL : per, base, last_year(start) ? NULL : start,
                        last_year(dead) ? NULL : dead);
        return; /* "in Q3 last year" as the period: last year from today */
    }
    if (per != NULL && !(have = mention_span(per, ps->default_year, &sp)))
        unread_mention(ps, per);
    if (have && per->b.kind == PK_NONE)
        single = &per->a;
    ref = have ? per->a.year : ps->default_year;
    if (start != NULL) {
        if (mention_span(start, ref, &x) && (!have || (x.lo >= sp.lo && x.lo <= sp.hi))) {
            start_day = x.lo;
        } else {
            unread_mention(ps, start);
            start = NULL;
        }
    }
    if (dead != NULL) {
        int ok = mention_span(dead, ref, &x);
        if (ok)
            dead_day = dead->end_of ? x.hi : x.lo;
        if (!ok || (have && (dead_day < sp.lo || dead_day > sp.hi)) ||
            (!have && (start == NULL || dead_day < start_day))) {
            unread_mention(ps, dead);
            dead = NULL;
        }
    }
    if (!have && start != NULL && dead == NULL) {
        unread_mention(ps, start);
        start = NULL;
    }
    if (start != NULL || dead != NULL) {
        changed =
            !have || (start != NULL && start_day != sp.lo) || (dead != NULL && dead_day != sp.hi);
        if (start != NULL)
            sp.lo = start_day;
        if (dead != NULL)
            sp.hi = dead_day;
        if (changed) {
            range_label(&sp);
            single = NULL;
        }
        have = 1;
    }
    if (have)
        set_span(out->period, &out->period_start, &out->period_end, &sp);
    if (base == NULL)
        return;
    if (base->rel != REL_NONE) {
        if (have && rel_span(base->rel, single, &sp, &bs))
            set_span(out->baseline_period, NULL, NULL, &bs);
        else
            unread_mention(ps, base);
        return;
    }
    ref = ps->default_year;
    if (have)
        cr_civil_from_days(sp.lo, &y, &mo, &d);
    if (last_year(base) && have) {
        ref = y; /* "compared with Q3 last year" */
    } else if (last_year(base)) {
        unread_mention(ps, base);
        return;
    } else if (base->a.year == 0 && base->b.year == 0 && have) {
        mention m = *base;
        ref = y;
        if (mention_span(&m, ref, &bs) && bs.lo >= sp.lo)
            ref--;
    }
    if (mention_span(base, ref, &bs))
        set_span(out->baseline_period, NULL, NULL, &bs);
    else
        unread_mention(ps, base);
}

static void read_periods(parser *ps)
{
    mention ms[MAX_MENTIONS], *per = NULL, *base = NULL, *start = NULL, *dead = NULL;
    size_t nm = 0, i, k, n;

    for (i = 0; i < ps->n;) {
        mention m;
        n = 0;
        for (k = 0; year_end_phrases[k] && n == 0; k++)
            n = match_at(ps, i, year_end_phrases[k], 0);
        if (n > 0) {
            memset(&m, 0, sizeof(m));
            m.a.kind = PK_YEAR;
            m.a.year = ps->default_year;
            m.t0 = m.c0 = i;
            m.t1 = m.c1 = i + n;
            m.role = R_DEADLINE;
            m.end_of = 1;
            claim(ps, i, i + n, O_PERIOD);
        } else if ((n = parse_mention(ps, i, &m)) > 0) {
            m.t0 = i;
            m.t1 = i + n;
            mention_role(ps, &m);
        } else {
            i++;
            continue;
        }
        if (nm < MAX_MENTIONS)
            ms[nm++] = m;
        else
            unread_mention(ps, &m);
        i += n;
    }
    for (k = 0; k < nm; k++) {
        mention *m = &ms[k], **slot = m->role == R_PERIOD     ? &per
                                      : m->role == R_BASELINE ? &base
                                      : m->role == R_START    ? &start
                                      : m->role == R_DEADLINE ? &dead
                                                              : NULL;
        if (slot == NULL || *slot != NULL)
            unread_mention(ps, m);
        else
            *slot = m;
    }
    resolve_periods(ps, per, base, start, dead);
}

/* ---- KPI and direction ----------------------------------------------------------------- */

static const kpi_info *kpi_by_code(const char *code)
{
    size_t k;

    for (k = 0; k < sizeof(kpi_infos) / sizeof(kpi_infos[0]); k++)
        if (strcmp(kpi_infos[k].code, code) == 0)
            return &kpi_infos[k];
    return NULL;
}

typedef struct {
    size_t t0, t1;
    const kpi_phrase *ph;
} kpi_hit;

/* "traffic and sales by 20%": the second KPI shares the first one's target. */
static int coordinated(const parser *ps, size_t end, size_t next)
{
    size_t k;

    if (next <= end)
        return 0;
    for (k = end; k < next; k++)
        if (!wd(ps, k, "and") && !wd(ps, k, "or") && !is_punct(ps, k, ','))
            return 0;
    return 1;
}

/* The KPI is the first phrase that is not a bare goal word; other KPIs are reported. A goal
 * word sets the goal of a contextual KPI ("cut CPM to $6 for awareness"). */
static void read_kpis(parser *ps)
{
    static const char *const people[] = { "people",   "users",    "consumers",
                                          "shoppers", "accounts", NULL };
    kpi_hit hits[MAX_KPI_HITS];
    size_t nh = 0, i, k, n, best, primary = 0, end;
    const kpi_phrase *bp;
    cr_goal_type goal;
    int goal_by_word = 0;

    for (i = 0; i < ps->n; i++) {
        best = 0;
        bp = NULL;
        for (k = 0; k < sizeof(kpi_phrases) / sizeof(kpi_phrases[0]); k++)
            if ((n = match_at(ps, i, kpi_phrases[k].phrase, 0)) > best) {
                best = n;
                bp = &kpi_phrases[k];
            }
        if (bp == NULL)
            continue;
        if (strcmp(bp->phrase, "reach") == 0 && (end = amount_end(ps, i + 1)) > 0) {
            /* the verb; "reach 2 million people" still names the KPI */
            if (free_in(ps, end, people) && nh < MAX_KPI_HITS) {
                hits[nh].t0 = end;
                hits[nh].t1 = end + 1;
                hits[nh++].ph = bp;
                claim(ps, end, end + 1, O_KPI);
            }
            continue;
        }
        if (nh < MAX_KPI_HITS) {
            hits[nh].t0 = i;
            hits[nh].t1 = i + best;
            hits[nh++].ph = bp;
            claim(ps, i, i + best, O_KPI);
        }
        i += best - 1;
    }
    if (nh == 0)
        return;
    for (k = nh; k-- > 0;)
        if (!hits[k].ph->goal_word)
            primary = k;
    ps->kpi = kpi_by_code(hits[primary].ph->code);
    goal = ps->kpi->goal;
    for (k = 0; k < nh; k++) {
        const kpi_info *o = kpi_by_code(hits[k].ph->code);
        if (k == primary || o == ps->kpi)
            continue;
        if (hits[k].ph->goal_word && o->goal == goal)
            continue;
        if (hits[k].ph->goal_word && ps->kpi->contextual && !goal_by_word) {
            goal = o->goal;
            goal_by_word = 1;
            continue;
        }
        unread(ps, hits[k].t0, hits[k].t1);
        if (!coordinated(ps, hits[primary].t1, hits[k].t0))
            for (n = hits[k].t0; n < hits[k].t1; n++)
                ps->t[n].other = 1;
    }
    ps->out->goal = goal;
    snprintf(ps->out->kpi, sizeof(ps->out->kpi), "%s", ps->kpi->code);
}

/* The first direction word sets the direction ("improve" the KPI's good one); a later one
 * that agrees is read too, one that disagrees is reported. */
static void read_directions(parser *ps)
{
    size_t i, k;

    for (i = 0; i < ps->n; i++) {
        for (k = 0; free_word(ps, i) && k < sizeof(dir_words) / sizeof(dir_words[0]); k++) {
            const dir_word *d = &dir_words[k];
            int dir = d->dir != 0 ? d->dir : ps->kpi != NULL ? ps->kpi->good : 0;
            if (strcmp(ps->t[i].w, d->word) != 0)
                continue;
            if (ps->dir == 0) {
                ps->dir = dir;
                ps->implied_rel = d->rel;
                claim(ps, i, i + 1, O_DIR);
            } else if (dir == ps->dir && d->rel == 0) {
                claim(ps, i, i + 1, O_DIR);
            }
            break;
        }
        /* "more sales", "fewer bounces": a comparative right before the KPI */
        if (free_word(ps, i) && i + 1 < ps->n && ps->t[i + 1].used == O_KPI && ps->dir == 0 &&
            (wd(ps, i, "more") || wd(ps, i, "higher") || wd(ps, i, "fewer") || wd(ps, i, "less"))) {
            ps->dir = wd(ps, i, "more") || wd(ps, i, "higher") ? 1 : -1;
            claim(ps, i, i + 1, O_DIR);
        }
    }
}

/* ---- partnerships and budget ----------------------------------------------------------- */

/* "across four creator partnerships", "with 6 creators", "working with twelve influencers". */
static void read_partnerships(parser *ps)
{
    static const char *const work[] = { "working",       "work",        "partnering", "partner",
                                        "collaborating", "collaborate", NULL };
    size_t i, k, g, unknown;
    amount a;

    for (i = 0; i < ps->n; i++) {
        if (!read_amount(ps, i, &a))
            continue;
        if (a.cur || a.pct || a.times || a.sign || a.v < 1 || a.v != floor(a.v) || a.v > 100000) {
            i = a.t1 - 1;
            continue;
        }
        k = a.t1;
        unknown = 0;
        for (g = 0; g < 4 && free_word(ps, k) && !in_list(ps->t[k].w, partner_nouns); g++, k++) {
            if (in_list(ps->t[k].w, partner_modifiers))
                continue;
            if (in_list(ps->t[k].w, filler_words) || ++unknown > 2)
                break;
        }
        if (!free_in(ps, k, partner_nouns)) {
            i = a.t1 - 1;
            continue;
        }
        while (free_in(ps, k + 1, partner_nouns)) /* "creator partnerships" */
            k++;
        if (ps->out->partnerships >= 0) {
            unread(ps, a.t0, k + 1);
        } else {
            ps->out->partnerships = (int)a.v;
            claim(ps, a.t0, a.t1, O_PARTNER);
            for (g = a.t1; g <= k; g++)
                if (in_list(ps->t[g].w, partner_modifiers) || in_list(ps->t[g].w, partner_nouns))
                    claim(ps, g, g + 1, O_PARTNER);
            if (a.t0 >= 2 && wd(ps, a.t0 - 1, "with") && free_in(ps, a.t0 - 2, work))
                claim(ps, a.t0 - 2, a.t0, O_CUE);
        }
        i = k;
    }
}

enum cue { CUE_NONE, CUE_REL, CUE_ABS, CUE_FROM, CUE_DELTA };

typedef struct {
    enum cue cue;
    size_t c0, c1; /* the cue words and the amount */
    int dir;       /* the direction the cue implies, 0 if none */
} cue_info;

static int
signed_word(const parser *ps, size_t i, const signed_phrase *list, size_t count, int *dir)
{
    size_t k;

    for (k = 0; k < count; k++)
        if (wd(ps, i, list[k].phrase)) {
            *dir = list[k].dir;
            return 1;
        }
    return 0;
}

/* How the words around an amount make it a target: "by 25%" relative, "to 1.2%" absolute,
 * "reach 10,000" absolute and up, "a 10% drop" relative and down, "from 1%" a baseline. */
static void target_cue(const parser *ps, const amount *a, cue_info *ci)
{
    size_t j = a->t0, n, k;
    int d, qual = 0;
    const int nlift = sizeof(lift_words) / sizeof(lift_words[0]);

    ci->cue = CUE_NONE;
    ci->c0 = a->t0;
    ci->c1 = a->t1;
    ci->dir = 0;
    if (a->t1 < ps->n && signed_word(ps, a->t1, lift_words, (size_t)nlift, &d) &&
        ps->t[a->t1].used != O_KPI) {
        ci->cue = a->pct ? CUE_REL : CUE_DELTA;
        ci->dir = d ? d : ps->kpi ? ps->kpi->good : 0;
        ci->c1 = a->t1 + 1;
        if (j > 0 && (wd(ps, j - 1, "a") || wd(ps, j - 1, "an")))
            ci->c0 = j - 1;
        return;
    }
    if (a->t1 < ps->n && (free_wd(ps, a->t1, "additional") || free_wd(ps, a->t1, "extra"))) {
        ci->cue = CUE_DELTA;
        ci->c1 = a->t1 + 1;
    }
    for (k = 0; k < sizeof(qualifiers) / sizeof(qualifiers[0]); k++)
        if ((n = match_before(ps, j, qualifiers[k].phrase, 0)) > 0) {
            j -= n;
            ci->dir = qualifiers[k].dir;
            qual = 1;
            break;
        }
    if (j > 0 && (wd(ps, j - 1, "a") || wd(ps, j - 1, "an")) && !ps->t[j - 1].used)
        j--;
    if (j == 0) {
        ci->cue = qual ? CUE_ABS : ci->cue;
        ci->c0 = j;
        return;
    }
    ci->c0 = j - 1;
    if (ci->cue == CUE_DELTA) {
        ci->c0 = j;
        if (wd(ps, j - 1, "by") || wd(ps, j - 1, "an"))
            ci->c0 = j - 1;
    } else if (wd(ps, j - 1, "by")) {
        ci->cue = CUE_REL;
        if (j >= 2 && (wd(ps, j - 2, "up") || wd(ps, j - 2, "down"))) {
            ci->dir = wd(ps, j - 2, "up") ? 1 : -1;
            ci->c0 = j - 2;
        }
    } else if (wd(ps, j - 1, "to")) {
        ci->cue = CUE_ABS;
        if (j >= 2 && wd(ps, j - 2, "get")) {
            ci->dir = 1;
            ci->c0 = j - 2;
        }
    } else if (ps->t[j - 1].kind == TK_WORD && in_list(ps->t[j - 1].w, target_verbs)) {
        ci->cue = CUE_ABS;
        ci->dir = ps->kpi != NULL ? ps->kpi->good : 1;
    } else if (wd(ps, j - 1, "of") && j >= 2) {
        if (ps->t[j - 2].used == O_KPI || wd(ps, j - 2, "target") || wd(ps, j - 2, "goal")) {
            ci->cue = CUE_ABS;
        } else if (signed_word(ps, j - 2, lift_words, (size_t)nlift, &d)) {
            ci->cue = CUE_REL;
            ci->dir = d ? d : ps->kpi ? ps->kpi->good : 0;
            ci->c0 = j - 2;
        }
    } else if (wd(ps, j - 1, "from")) {
        ci->cue = CUE_FROM;
    } else if (wd(ps, j - 1, "target") || wd(ps, j - 1, "targeting") ||
               (is_punct(ps, j - 1, ':') && j >= 2 && wd(ps, j - 2, "target"))) {
        ci->cue = CUE_ABS;
    } else if (wd(ps, j - 1, "up") || wd(ps, j - 1, "down")) {
        ci->cue = CUE_REL;
        ci->dir = wd(ps, j - 1, "up") ? 1 : -1;
    } else if (ps->t[j - 1].used == O_KPI || ps->t[j - 1].used == O_DIR) {
        ci->cue = qual ? CUE_ABS : (a->pct || a->times) ? CUE_REL : CUE_NONE;
        ci->c0 = j;
    } else if (qual) {
        ci->cue = CUE_ABS;
        ci->c0 = j;
    } else if (a->sign && a->pct) {
        ci->cue = CUE_REL;
        ci->c0 = j;
    }
}

/* A budget needs a cue: "a budget of $15,000", "$15k budget", "with $10,000", "spend €8k". */
static int budget_cue(parser *ps, const amount *a)
{
    static const char *const after_skip[] = { "total",    "overall",   "creator", "influencer",
                                              "campaign", "marketing", "media",   "paid",
                                              "in",       NULL };
    static const char *const after[] = { "budget", "spend", "fees", "fee", NULL };
    size_t k = a->t0, steps, n, q;
    int found = 0;

    for (steps = 0; k > 0 && steps < 6; steps++) {
        for (q = 0, n = 0; q < sizeof(qualifiers) / sizeof(qualifiers[0]) && n == 0; q++)
            n = match_before(ps, k, qualifiers[q].phrase, 0);
        if (n > 0) {
            k -= n;
        } else if (free_in(ps, k - 1, budget_cues)) {
            for (q = k - 1; q < a->t0; q++) /* the cue and what stands between */
                if (ps->t[q].used == O_FREE)
                    ps->t[q].used = O_CUE;
            found = 1;
            break;
        } else if (free_in(ps, k - 1, budget_skip) || is_punct(ps, k - 1, ':') ||
                   ps->t[k - 1].used == O_PARTNER) {
            k--;
        } else {
            break;
        }
    }
    for (k = a->t1, steps = 0; steps < 3 && free_in(ps, k, after_skip); steps++)
        k++;
    if (free_in(ps, k, after)) {
        claim(ps, a->t1, k + 1, O_CUE);
        found = 1;
    }
    return found;
}

static void read_budget(parser *ps)
{
    size_t i, n;
    amount a;
    cue_info ci;

    for (i = 0; i < ps->n; i++) {
        if (!read_amount(ps, i, &a))
            continue;
        i = a.t1 - 1;
        if (!a.cur || a.pct || a.sign)
            continue;
        target_cue(ps, &a, &ci);
        if (ci.cue != CUE_NONE)
            continue;
        if ((n = rate_suffix(ps, a.t1)) > 0) { /* "$10,000 per creator" is not the budget */
            unread(ps, a.t0, a.t1 + n);
            continue;
        }
        if (!budget_cue(ps, &a))
            continue;
        if (ps->out->budget_minor >= 0) {
            unread(ps, a.t0, a.t1);
            continue;
        }
        ps->out->budget_minor = to_minor(a.v, a.cur);
        snprintf(ps->out->currency, sizeof(ps->out->currency), "%s", a.cur);
        claim(ps, a.t0, a.t1, O_BUDGET);
    }
}

/* ---- targets --------------------------------------------------------------------------- */

/* An absolute target in the KPI's unit; extends *end over unit words ("90 seconds"). */
static int absolute_value(const parser *ps, const amount *a, size_t *end, double *out)
{
    static const char *const secs[] = { "seconds", "second", "secs", "sec", "s", NULL };
    static const char *const mins[] = { "minutes", "minute", "mins", "min", NULL };
    static const char *const per_day[] = { "per day", "a day", "each day", "daily", NULL };
    size_t n, k;
    enum unit u = ps->kpi->unit;

    if (a->points || a->sign < 0)
        return 0;
    if (u == U_RATIO) {
        *out = a->v / 100;
        return a->pct;
    }
    if (a->pct || (a->cur != NULL) != (u == U_MONEY))
        return 0;
    switch (u) {
    case U_MONEY:
        *out = (double)to_minor(a->v, a->cur);
        return !a->times;
    case U_SECONDS:
        if (free_in(ps, *end, secs) || free_in(ps, *end, mins)) {
            *out = a->v * (in_list(ps->t[*end].w, mins) ? 60 : 1);
            ++*end;
            return !a->times;
        }
        return 0;
    case U_PER_DAY:
        for (k = 0; per_day[k]; k++)
            if ((n = match_at(ps, *end, per_day[k], 0)) > 0) {
                *end += n;
                break;
            }
        *out = a->v;
        return !a->times;
    case U_MULTIPLE:
        *out = a->v;
        return 1;
    default:
        *out = a->v;
        return !a->times;
    }
}

static void set_target(parser *ps, cr_target_kind kind, double v)
{
    ps->out->target_kind = kind;
    ps->out->target = v;
}

/* A relative lift of magnitude mag (> 0) in direction dir; 0 when it cannot be stored. */
static int set_relative(parser *ps, double mag, int dir)
{
    if (dir == 0)
        dir = ps->dir;
    if (dir == 0 || (ps->dir != 0 && dir != ps->dir))
        return 0;
    ps->dir = dir;
    if (ps->kpi->growth)
        set_target(ps, CR_TARGET_ABSOLUTE, dir * mag);
    else
        set_target(ps, CR_TARGET_RELATIVE, dir * mag);
    return 1;
}

static void read_targets(parser *ps)
{
    size_t i, k, n, end;
    amount a;
    cue_info ci;
    double v;
    int ok;

    for (i = 0; i < ps->n; i++) {
        for (k = 0, n = 0; k < sizeof(frac_phrases) / sizeof(frac_phrases[0]) && !n; k++)
            if ((n = match_at(ps, i, frac_phrases[k].phrase, 0)) > 0) {
                if (ps->out->target_kind == CR_TARGET_NONE &&
                    set_relative(ps, frac_phrases[k].mag, 0))
                    claim(ps, i, i + n, O_TARGET);
                else
                    unread(ps, i, i + n);
                i += n - 1;
            }
        if (n > 0 || !read_amount(ps, i, &a))
            continue;
        target_cue(ps, &a, &ci);
        i = a.t1 - 1;
        if (ci.cue == CUE_NONE)
            continue;
        end = ci.c1;
        ok = 0;
        for (k = end; k < ps->n && ps->t[k].used == O_KPI; k++)
            ;
        if ((n = rate_suffix(ps, k)) > 0) { /* "50,000 impressions per creator" */
            unread(ps, k, k + n);
        } else if (ps->out->target_kind != CR_TARGET_NONE || ci.cue == CUE_FROM ||
                   ci.cue == CUE_DELTA || (ci.c0 > 0 && ps->t[ci.c0 - 1].other)) {
            ok = 0;
        } else if (ci.cue == CUE_REL) {
            int dir = ci.dir ? ci.dir : a.sign;
            if (a.pct && !a.points)
                ok = set_relative(ps, a.v / 100, dir);
            else if (a.times && ps->kpi->unit != U_MULTIPLE && a.v > 1)
                ok = set_relative(ps, a.v - 1, dir ? dir : 1);
        } else if (absolute_value(ps, &a, &end, &v)) {
            set_target(ps, CR_TARGET_ABSOLUTE, v);
            if (ps->dir == 0)
                ps->dir = ci.dir;
            ok = 1;
        }
        if (ok)
            claim(ps, ci.c0, end, O_TARGET);
        else
            unread(ps, ci.c0, end);
        i = end - 1;
    }
    if (ps->out->target_kind == CR_TARGET_NONE && ps->implied_rel != 0)
        set_relative(ps, fabs(ps->implied_rel), ps->implied_rel > 0 ? 1 : -1);
}

/* ---- unparsed -------------------------------------------------------------------------- */

static int is_filler(const tok *t)
{
    return !t->keep && (t->kind == TK_DASH || t->kind == TK_PUNCT ||
                        (t->kind == TK_WORD && in_list(t->w, filler_words)));
}

/* Punctuation ends an unparsed phrase, unless it is inside a span reported as a whole. */
static int ends_phrase(const tok *t)
{
    return t->used || (t->kind == TK_PUNCT && !t->keep);
}

static void add_unparsed(parser *ps, size_t from, size_t to)
{
    cr_goal_statement *out = ps->out;
    const char *s = ps->text + ps->t[from].start;
    size_t len = ps->t[to - 1].end - ps->t[from].start, max = sizeof(out->unparsed[0]) - 1;

    if (out->nunparsed >= CR_SENTENCE_MAX_UNPARSED)
        return;
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* do not cut a UTF-8 sequence */
    }
    memcpy(out->unparsed[out->nunparsed], s, len);
    out->unparsed[out->nunparsed][len] = '\0';
    out->nunparsed++;
}

/* Runs of unclaimed tokens, split at punctuation, with filler trimmed from both ends. */
static void collect_unparsed(parser *ps)
{
    size_t i = 0, j, a, b;

    while (i < ps->n) {
        if (ends_phrase(&ps->t[i])) {
            i++;
            continue;
        }
        for (j = i + 1; j < ps->n && !ends_phrase(&ps->t[j]); j++)
            if (ps->t[j].keep && ps->t[j - 1].keep && ps->t[j].keep != ps->t[j - 1].keep &&
                (ps->t[j].alone || ps->t[j - 1].alone))
                break; /* "by 2,000" | "by the end of Q2": a period stands alone */
        for (a = i; a < j && is_filler(&ps->t[a]); a++)
            ;
        for (b = j; b > a && is_filler(&ps->t[b - 1]); b--)
            ;
        if (a < b)
            add_unparsed(ps, a, b);
        i = j;
    }
}

/* ---- public API ------------------------------------------------------------------------ */

const char *cr_goal_name(cr_goal_type g)
{
    return g >= CR_GOAL_NONE && g <= CR_GOAL_SALES ? goal_names[g] : goal_names[0];
}

cr_goal_type cr_goal_from_name(const char *name)
{
    int g;

    if (name == NULL)
        return CR_GOAL_NONE;
    for (g = CR_GOAL_AWARENESS; g <= CR_GOAL_SALES; g++)
        if (strcasecmp(name, goal_names[g]) == 0)
            return (cr_goal_type)g;
    return CR_GOAL_NONE;
}

cr_err cr_goal_parse(cr_goal_statement *out, const char *text, int default_year)
{
    parser ps;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    out->budget_minor = -1;
    out->partnerships = -1;
    if (text == NULL || text[strspn(text, " \t\r\n")] == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "empty goal sentence: say what should change, e.g. 'increase "
                            "referral sessions by 25%% over Q3'");
    memset(&ps, 0, sizeof(ps));
    ps.text = text;
    ps.default_year = default_year;
    ps.out = out;
    if ((rc = tokenize(&ps)) < 0)
        return rc;
    read_periods(&ps);
    read_kpis(&ps);
    read_directions(&ps);
    read_partnerships(&ps);
    read_budget(&ps);
    if (ps.kpi != NULL)
        read_targets(&ps);
    collect_unparsed(&ps);
    out->direction = ps.dir;
    if (ps.kpi == NULL)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "no KPI found: say what should change, e.g. 'referral sessions', "
                          "'engagement rate' or 'revenue'");
    return rc;
}
