/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * gen_report.c - deterministic generator of a whole workspace for bench/report.
 *
 *     gen_report OUTDIR N
 *
 * N metric rows (200 snapshots per post, every 2 hours: N/200 posts) for 2,000 creators and
 * 20 campaigns of 100 partnerships each (creator k works for campaign k % 20). Writes:
 *   creators.csv, posts.csv (with the partnership's utm_content), metrics.csv (cumulative
 *   counts), ga4.csv (GA4 traffic acquisition: sessions per partnership and day, under the
 *   partnership's utm_content), shopify.csv (Shopify orders with the partner's discount code),
 *   campaign-NN.yaml (sales campaigns with their partnerships, promo codes and utm_content),
 *   and for the pandas and SQL sides the same facts as plain tables: campaigns.csv and
 *   partnerships.csv.
 * Every post, session and order falls inside its campaign's period (2026-04-01 to
 * 2026-06-30), so each unit belongs to exactly one campaign whatever attribution window a
 * reader applies. The seed is fixed: the same arguments give the same bytes. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_SEED        0x5eedbe11c0ffee21ULL
#define GEN_CREATORS    2000
#define GEN_CAMPAIGNS   20
#define GEN_SNAPSHOTS   200
#define GEN_IO_BUFFER   (4u << 20)
#define GEN_START       1775001600LL /* 2026-04-01T00:00:00Z */
#define GEN_DAYS        91           /* to 2026-06-30 inclusive */
#define GEN_POST_SPREAD (70LL * 86400LL)
#define GEN_ORDERS      40 /* per partnership */

static const char *const platforms[] = { "instagram", "tiktok", "youtube" };
static const char *const prefixes[] = { "ig", "tt", "yt" };
static const char *const mediums[] = { "instagram / social", "tiktok / social", "youtube / video" };

typedef struct {
    uint64_t s;
} gen_rng;

/* splitmix64 */
static uint64_t rng_next(gen_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_below(gen_rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    size_t n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_2(char *p, unsigned v)
{
    *p++ = (char)('0' + v / 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);

    memcpy(p, s, n);
    return p + n;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    int64_t era, yy;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    yy = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

/* 2026-07-01T10:00:00Z (sep 'T', zone "Z") or 2026-07-01 10:00:00 +0000 (sep ' ', zone
 * " +0000", Shopify's form) */
static char *put_time(char *p, int64_t t, char sep, const char *zone)
{
    int64_t days = t / 86400, secs = t % 86400;
    unsigned m, d;
    int y;

    civil_from_days(days, &y, &m, &d);
    p = put_u64(p, (uint64_t)y);
    *p++ = '-';
    p = put_2(p, m);
    *p++ = '-';
    p = put_2(p, d);
    *p++ = sep;
    p = put_2(p, (unsigned)(secs / 3600));
    *p++ = ':';
    p = put_2(p, (unsigned)(secs / 60 % 60));
    *p++ = ':';
    p = put_2(p, (unsigned)(secs % 60));
    return put_str(p, zone);
}

/* 20260401 */
static char *put_ymd(char *p, int64_t t)
{
    unsigned m, d;
    int y;

    civil_from_days(t / 86400, &y, &m, &d);
    p = put_u64(p, (uint64_t)y);
    p = put_2(p, m);
    return put_2(p, d);
}

static FILE *open_out(const char *dir, const char *name, char **buf)
{
    char path[4096];
    FILE *f;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        fprintf(stderr, "gen_report: output path too long\n");
        return NULL;
    }
    if ((f = fopen(path, "wb")) == NULL) {
        fprintf(stderr, "gen_report: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if ((*buf = malloc(GEN_IO_BUFFER)) != NULL)
        setvbuf(f, *buf, _IOFBF, GEN_IO_BUFFER);
    return f;
}

static int close_out(FILE *f, char *buf, const char *name)
{
    int bad = ferror(f);

    if (fclose(f) != 0)
        bad = 1;
    free(buf);
    if (bad)
        fprintf(stderr, "gen_report: writing %s failed: %s\n", name, strerror(errno));
    return bad ? -1 : 0;
}

/* Creator k: platform k % 3, handle <prefix>_creator_<k>, campaign k % 20. */
typedef struct {
    uint64_t fee, product; /* minor units */
} partner;

static partner partners[GEN_CREATORS];

static int write_creators(const char *dir, gen_rng *r)
{
    char *buf = NULL;
    FILE *f = open_out(dir, "creators.csv", &buf);
    unsigned k;

    if (f == NULL)
        return -1;
    fputs("platform,handle,followers,name\n", f);
    for (k = 0; k < GEN_CREATORS; k++) {
        uint64_t followers = 1000 + rng_below(r, 9000) * (1ULL << rng_below(r, 11));
        fprintf(f, "%s,%s_creator_%u,%" PRIu64 ",Creator %u\n", platforms[k % 3], prefixes[k % 3],
                k, followers, k);
    }
    return close_out(f, buf, "creators.csv");
}

static int write_campaigns(const char *dir, gen_rng *r)
{
    char *buf = NULL, name[64];
    FILE *f = open_out(dir, "campaigns.csv", &buf), *p, *y;
    char *pbuf = NULL;
    unsigned c, k;

    if (f == NULL || (p = open_out(dir, "partnerships.csv", &pbuf)) == NULL)
        return -1;
    fputs("campaign,name,brand,start,end\n", f);
    fputs("campaign,platform,handle,utm_content,promo_code,fee_minor,product_cost_minor\n", p);
    for (k = 0; k < GEN_CREATORS; k++) {
        partners[k].fee = (500 + rng_below(r, 4500)) * 100;
        partners[k].product = rng_below(r, 300) * 100;
    }
    for (c = 0; c < GEN_CAMPAIGNS; c++) {
        fprintf(f, "%u,Bench campaign %02u,Bench Brand %02u,2026-04-01,2026-06-30\n", c + 1, c + 1,
                c % 5 + 1);
        snprintf(name, sizeof(name), "%s/campaign-%02u.yaml", dir, c + 1);
        if ((y = fopen(name, "w")) == NULL) {
            fprintf(stderr, "gen_report: %s: %s\n", name, strerror(errno));
            return -1;
        }
        fprintf(y,
                "name: Bench campaign %02u\nbrand: Bench Brand %02u\n"
                "period: { start: 2026-04-01, end: 2026-06-30 }\nevaluation: 2026-07-31\n"
                "budget: 300000 USD\nprimary_goal: sales\nsecondary_goal: awareness\n"
                "objective: Sell the spring line through creators' codes and links\n"
                "status: active\nkpis:\n"
                "  - { code: roas, role: primary, target: 3x }\n"
                "  - { code: attributed_revenue, role: primary, target: 500000 USD }\n"
                "  - { code: impressions, role: contextual }\n"
                "  - { code: engagement_rate, role: contextual }\n"
                "  - { code: ctr, role: contextual }\n"
                "  - { code: reach, role: contextual }\n"
                "  - { code: engagements, role: contextual }\n"
                "  - { code: clicks, role: contextual }\n"
                "  - { code: referral_sessions, role: contextual }\n"
                "  - { code: orders, role: contextual }\n"
                "partnerships:\n",
                c + 1, c % 5 + 1);
        for (k = c; k < GEN_CREATORS; k += GEN_CAMPAIGNS) {
            fprintf(y,
                    "  - { creator: %s/%s_creator_%u, fee: %" PRIu64 " USD, product_cost: %" PRIu64
                    " USD, promo_code: C%02uK%u, utm_content: b%02u_k%u, status: contracted }\n",
                    platforms[k % 3], prefixes[k % 3], k, partners[k].fee / 100,
                    partners[k].product / 100, c + 1, k, c + 1, k);
            fprintf(p, "%u,%s,%s_creator_%u,b%02u_k%u,C%02uK%u,%" PRIu64 ",%" PRIu64 "\n", c + 1,
                    platforms[k % 3], prefixes[k % 3], k, c + 1, k, c + 1, k, partners[k].fee,
                    partners[k].product);
        }
        if (fclose(y) != 0)
            return -1;
    }
    if (close_out(p, pbuf, "partnerships.csv") < 0)
        return -1;
    return close_out(f, buf, "campaigns.csv");
}

/* Post j: creator j % 2000, id <prefix>p<j>, posted in the first 70 days of the period. */
static int64_t post_time(uint64_t j)
{
    return GEN_START + (int64_t)((j * 2654435761ULL) % (uint64_t)GEN_POST_SPREAD);
}

static int write_posts(const char *dir, uint64_t nposts)
{
    char *buf = NULL, line[256];
    FILE *f = open_out(dir, "posts.csv", &buf);
    uint64_t j;

    if (f == NULL)
        return -1;
    fputs("platform,post_id,handle,posted_at,utm_content\n", f);
    for (j = 0; j < nposts; j++) {
        unsigned k = (unsigned)(j % GEN_CREATORS), pl = k % 3;
        char *q = line;

        q = put_str(q, platforms[pl]);
        *q++ = ',';
        q = put_str(q, prefixes[pl]);
        *q++ = 'p';
        q = put_u64(q, j);
        *q++ = ',';
        q = put_str(q, prefixes[pl]);
        q = put_str(q, "_creator_");
        q = put_u64(q, k);
        *q++ = ',';
        q = put_time(q, post_time(j), 'T', "Z");
        q = put_str(q, ",b");
        q = put_2(q, k % GEN_CAMPAIGNS + 1);
        q = put_str(q, "_k");
        q = put_u64(q, k);
        *q++ = '\n';
        fwrite(line, 1, (size_t)(q - line), f);
    }
    return close_out(f, buf, "posts.csv");
}

/* GEN_SNAPSHOTS snapshots per post, every 2 hours from one hour after it was posted;
 * cumulative counts, so the latest snapshot holds the largest numbers. */
static int write_metrics(const char *dir, uint64_t nposts, gen_rng *r)
{
    char *buf = NULL, line[512], prefix[64];
    FILE *f = open_out(dir, "metrics.csv", &buf);
    uint64_t j, s;

    if (f == NULL)
        return -1;
    fputs("platform,post_id,captured_at,impressions,reach,views,likes,comments,shares,saves,"
          "clicks\n",
          f);
    for (j = 0; j < nposts; j++) {
        unsigned pl = (unsigned)(j % GEN_CREATORS) % 3;
        uint64_t scale = 5 + rng_below(r, 50) * (1ULL << rng_below(r, 7));
        uint64_t imp = 0, reach = 0, views = 0, likes = 0, comments = 0, shares = 0, saves = 0;
        uint64_t clicks = 0;
        int64_t t = post_time(j) - 3600;
        char *pe = prefix;

        pe = put_str(pe, platforms[pl]);
        *pe++ = ',';
        pe = put_str(pe, prefixes[pl]);
        *pe++ = 'p';
        pe = put_u64(pe, j);
        *pe++ = ',';
        for (s = 0; s < GEN_SNAPSHOTS; s++) {
            uint64_t d = scale + rng_below(r, scale);
            char *q = line;

            t += 7200;
            imp += d;
            reach += d * (550 + rng_below(r, 400)) / 1000;
            views += d * (300 + rng_below(r, 600)) / 1000;
            likes += d * (20 + rng_below(r, 70)) / 1000;
            comments += d * (1 + rng_below(r, 6)) / 1000;
            shares += d * (1 + rng_below(r, 10)) / 1000;
            saves += d * (2 + rng_below(r, 20)) / 1000;
            clicks += d * (1 + rng_below(r, 15)) / 1000;
            memcpy(q, prefix, (size_t)(pe - prefix));
            q += pe - prefix;
            q = put_time(q, t, 'T', "Z");
            *q++ = ',';
            q = put_u64(q, imp);
            *q++ = ',';
            q = put_u64(q, reach);
            *q++ = ',';
            q = put_u64(q, views);
            *q++ = ',';
            q = put_u64(q, likes);
            *q++ = ',';
            q = put_u64(q, comments);
            *q++ = ',';
            q = put_u64(q, shares);
            *q++ = ',';
            q = put_u64(q, saves);
            *q++ = ',';
            q = put_u64(q, clicks);
            *q++ = '\n';
            fwrite(line, 1, (size_t)(q - line), f);
        }
    }
    return close_out(f, buf, "metrics.csv");
}

/* One GA4 row per partnership and day of the period (no preamble: the Date column is there). */
static int write_ga4(const char *dir, gen_rng *r)
{
    char *buf = NULL, line[256];
    FILE *f = open_out(dir, "ga4.csv", &buf);
    unsigned k, day;

    if (f == NULL)
        return -1;
    fputs("Date,Session source / medium,Session campaign,Session manual ad content,Sessions,"
          "Engaged sessions,Average engagement time per session,Key events\n",
          f);
    for (k = 0; k < GEN_CREATORS; k++) {
        for (day = 0; day < GEN_DAYS; day++) {
            uint64_t sessions = 1 + rng_below(r, 60), engaged = sessions * 6 / 10;
            char *q = line;

            q = put_ymd(q, GEN_START + (int64_t)day * 86400);
            *q++ = ',';
            q = put_str(q, mediums[k % 3]);
            q = put_str(q, ",bench,b");
            q = put_2(q, k % GEN_CAMPAIGNS + 1);
            q = put_str(q, "_k");
            q = put_u64(q, k);
            *q++ = ',';
            q = put_u64(q, sessions);
            *q++ = ',';
            q = put_u64(q, engaged);
            *q++ = ',';
            q = put_u64(q, 20 + rng_below(r, 100));
            q = put_str(q, ",0\n");
            fwrite(line, 1, (size_t)(q - line), f);
        }
    }
    return close_out(f, buf, "ga4.csv");
}

/* GEN_ORDERS orders per partnership with its discount code, one row each. */
static int write_shopify(const char *dir, gen_rng *r)
{
    char *buf = NULL, line[256];
    FILE *f = open_out(dir, "shopify.csv", &buf);
    unsigned k, o;
    uint64_t n = 100000;

    if (f == NULL)
        return -1;
    fputs("Name,Created at,Currency,Total,Discount Code,Landing Site\n", f);
    for (k = 0; k < GEN_CREATORS; k++) {
        for (o = 0; o < GEN_ORDERS; o++) {
            uint64_t cents = 1500 + rng_below(r, 25000);
            int64_t t = GEN_START + (int64_t)rng_below(r, (uint64_t)GEN_DAYS * 86400);
            char *q = line;

            *q++ = '#';
            q = put_u64(q, n++);
            *q++ = ',';
            q = put_time(q, t, ' ', " +0000");
            q = put_str(q, ",USD,");
            q = put_u64(q, cents / 100);
            *q++ = '.';
            q = put_2(q, (unsigned)(cents % 100));
            q = put_str(q, ",C");
            q = put_2(q, k % GEN_CAMPAIGNS + 1);
            *q++ = 'K';
            q = put_u64(q, k);
            q = put_str(q, ",/products/spring\n");
            fwrite(line, 1, (size_t)(q - line), f);
        }
    }
    return close_out(f, buf, "shopify.csv");
}

static int parse_count(uint64_t *out, const char *s)
{
    char *end;
    unsigned long long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t nrows, nposts;
    gen_rng r = { GEN_SEED };

    if (argc != 3 || parse_count(&nrows, argv[2]) < 0 || nrows < GEN_SNAPSHOTS) {
        fprintf(stderr,
                "usage: gen_report OUTDIR N\n"
                "  N metric rows (at least %d; %d snapshots per post, N/%d posts)\n",
                GEN_SNAPSHOTS, GEN_SNAPSHOTS, GEN_SNAPSHOTS);
        return 2;
    }
    nposts = nrows / GEN_SNAPSHOTS;
    if (write_creators(argv[1], &r) < 0 || write_campaigns(argv[1], &r) < 0 ||
        write_posts(argv[1], nposts) < 0 || write_metrics(argv[1], nposts, &r) < 0 ||
        write_ga4(argv[1], &r) < 0 || write_shopify(argv[1], &r) < 0)
        return 1;
    return 0;
}
