/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * gen_metrics.c - deterministic generator of import data for bench/ingest.
 *
 *     gen_metrics OUTDIR N [POSTS]
 *
 * Writes OUTDIR/creators.csv (2,000 creators across instagram, tiktok and youtube),
 * OUTDIR/posts.csv (POSTS posts, default N/40, each by one of those creators) and
 * OUTDIR/metrics.csv (N metric snapshots grouped by post, captured hourly with increasing
 * timestamps and cumulative, plausible counts where reach <= impressions and
 * views <= impressions). The seed is fixed, so the same arguments give the same bytes.
 *
 * Speed matters more than elegance here: 10M rows is ~700 MB of CSV, so numbers are
 * formatted by hand into a line buffer and written with fputs through a 4 MiB stdio
 * buffer rather than with one fprintf per row. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_SEED                  0x5eedc0ffee123457ULL
#define GEN_CREATORS              2000
#define GEN_IO_BUFFER             (4u << 20)
#define GEN_ROWS_DEFAULT_PER_POST 40
/* 2026-06-01T00:00:00Z: posts are spread over the following 30 days. */
#define GEN_EPOCH_START 1780272000LL
#define GEN_POST_SPREAD (30LL * 86400LL)

static const char *const platforms[] = { "instagram", "tiktok", "youtube" };
static const char *const platform_prefix[] = { "ig", "tt", "yt" };
static const char *const countries[] = { "US", "BR", "GB", "DE", "FR", "ES", "MX", "IN" };
static const char *const languages[] = { "en", "pt", "en", "de", "fr", "es", "es", "en" };
static const char *const formats[3][3] = {
    { "reel", "post", "story" },
    { "video", "video", "live" },
    { "video", "short", "live" },
};

typedef struct {
    uint64_t s;
} gen_rng;

/* splitmix64: tiny, fast and good enough for synthetic data; no libc rand() state. */
static uint64_t rng_next(gen_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias is irrelevant for benchmark data. */
static uint64_t rng_below(gen_rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

/* Uniform in [lo, hi] as a fraction in thousandths, e.g. 600..950 for 0.60..0.95. */
static uint64_t scale_permille(uint64_t v, gen_rng *r, uint64_t lo, uint64_t hi)
{
    return v * (lo + rng_below(r, hi - lo + 1)) / 1000;
}

/* Writes v in decimal at p and returns the byte after it. */
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

/* Howard Hinnant's days_from_civil inverse: UTC calendar date without gmtime(), so the
 * output never depends on TZ or the C library. */
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

/* Writes t (Unix seconds, UTC) as 2026-07-01T10:00:00Z. */
static char *put_iso(char *p, int64_t t)
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
    *p++ = 'T';
    p = put_2(p, (unsigned)(secs / 3600));
    *p++ = ':';
    p = put_2(p, (unsigned)(secs / 60 % 60));
    *p++ = ':';
    p = put_2(p, (unsigned)(secs % 60));
    *p++ = 'Z';
    return p;
}

static FILE *open_out(const char *dir, const char *name, char **buf)
{
    char path[4096];
    FILE *f;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
        fprintf(stderr, "gen_metrics: output path too long\n");
        return NULL;
    }
    if ((f = fopen(path, "wb")) == NULL) {
        fprintf(stderr, "gen_metrics: %s: %s\n", path, strerror(errno));
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
        fprintf(stderr, "gen_metrics: writing %s failed: %s\n", name, strerror(errno));
    return bad ? -1 : 0;
}

/* Creator c lives on platform c % 3 with handle <prefix>_creator_<c>. */
static int write_creators(const char *dir, gen_rng *r)
{
    char *buf = NULL;
    FILE *f = open_out(dir, "creators.csv", &buf);
    unsigned c;

    if (f == NULL)
        return -1;
    fputs("platform,handle,followers,name,country,language\n", f);
    for (c = 0; c < GEN_CREATORS; c++) {
        unsigned k = (unsigned)rng_below(r, 8);
        /* Log-ish spread of audiences: 1K .. ~10M. */
        uint64_t followers = 1000 + rng_below(r, 9000) * (1ULL << rng_below(r, 11));

        fprintf(f, "%s,%s_creator_%u,%" PRIu64 ",Creator %u,%s,%s\n", platforms[c % 3],
                platform_prefix[c % 3], c, followers, c, countries[k], languages[k]);
    }
    return close_out(f, buf, "creators.csv");
}

/* Post p belongs to creator p % GEN_CREATORS and so to that creator's platform; its id is
 * <prefix>p<p>. The same rule lets write_metrics rebuild platform and id without a table. */
static int64_t post_time(uint64_t p)
{
    return GEN_EPOCH_START + (int64_t)((p * 2654435761ULL) % (uint64_t)GEN_POST_SPREAD);
}

static int write_posts(const char *dir, uint64_t nposts, gen_rng *r)
{
    char *buf = NULL;
    FILE *f = open_out(dir, "posts.csv", &buf);
    char line[256];
    uint64_t p;

    if (f == NULL)
        return -1;
    fputs("platform,post_id,handle,posted_at,format\n", f);
    for (p = 0; p < nposts; p++) {
        unsigned c = (unsigned)(p % GEN_CREATORS), pl = c % 3;
        char *q = line;

        q = put_str(q, platforms[pl]);
        *q++ = ',';
        q = put_str(q, platform_prefix[pl]);
        *q++ = 'p';
        q = put_u64(q, p);
        *q++ = ',';
        q = put_str(q, platform_prefix[pl]);
        q = put_str(q, "_creator_");
        q = put_u64(q, c);
        *q++ = ',';
        q = put_iso(q, post_time(p));
        *q++ = ',';
        q = put_str(q, formats[pl][rng_below(r, 3)]);
        *q++ = '\n';
        *q = '\0';
        fputs(line, f);
    }
    return close_out(f, buf, "posts.csv");
}

/* Rows are spread evenly over posts (the first N % POSTS posts get one more) and each post's
 * snapshots are taken hourly from one hour after it was posted. Counts are cumulative, so
 * every column grows monotonically within a post, as real insights exports do. */
static int write_metrics(const char *dir, uint64_t nrows, uint64_t nposts, gen_rng *r)
{
    char *buf = NULL;
    FILE *f = open_out(dir, "metrics.csv", &buf);
    uint64_t base = nrows / nposts, extra = nrows % nposts, p, k;
    char line[512];

    if (f == NULL)
        return -1;
    fputs("platform,post_id,captured_at,impressions,reach,views,likes,comments,shares,saves,"
          "clicks\n",
          f);
    for (p = 0; p < nposts; p++) {
        unsigned pl = (unsigned)(p % GEN_CREATORS) % 3;
        uint64_t rows = base + (p < extra), imp = 0, reach = 0, views = 0, likes = 0;
        uint64_t comments = 0, shares = 0, saves = 0, clicks = 0;
        /* Per-post scale so some posts go viral and most do not. */
        uint64_t scale = 50 + rng_below(r, 500) * (1ULL << rng_below(r, 8));
        int64_t t = post_time(p);
        char prefix[64], *pe = prefix;

        pe = put_str(pe, platforms[pl]);
        *pe++ = ',';
        pe = put_str(pe, platform_prefix[pl]);
        *pe++ = 'p';
        pe = put_u64(pe, p);
        *pe++ = ',';
        for (k = 0; k < rows; k++) {
            uint64_t dimp = scale + rng_below(r, scale);
            char *q = line;

            t += 3600;
            imp += dimp;
            reach += scale_permille(dimp, r, 550, 950);
            views += scale_permille(dimp, r, 300, 900);
            likes += scale_permille(dimp, r, 20, 90);
            comments += scale_permille(dimp, r, 1, 6);
            shares += scale_permille(dimp, r, 1, 10);
            saves += scale_permille(dimp, r, 2, 20);
            clicks += scale_permille(dimp, r, 1, 15);

            memcpy(q, prefix, (size_t)(pe - prefix));
            q += pe - prefix;
            q = put_iso(q, t);
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
            *q = '\0';
            fputs(line, f);
        }
    }
    return close_out(f, buf, "metrics.csv");
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

    if (argc < 3 || argc > 4 || parse_count(&nrows, argv[2]) < 0 ||
        (argc == 4 && parse_count(&nposts, argv[3]) < 0)) {
        fprintf(stderr, "usage: gen_metrics OUTDIR N [POSTS]\n"
                        "  writes OUTDIR/creators.csv, posts.csv and metrics.csv (N rows;\n"
                        "  POSTS defaults to N/40)\n");
        return 2;
    }
    if (argc == 3)
        nposts = nrows / GEN_ROWS_DEFAULT_PER_POST;
    if (nposts == 0)
        nposts = 1;
    if (nposts > nrows && nrows > 0)
        nposts = nrows;
    if (write_creators(argv[1], &r) < 0 || write_posts(argv[1], nposts, &r) < 0 ||
        write_metrics(argv[1], nrows, nposts, &r) < 0)
        return 1;
    return 0;
}
