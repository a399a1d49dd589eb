/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover_time.c - latency of discovery queries inside one process, for bench/discover.
 *
 *     discover_time DB.sqlite [RUNS]
 *
 * Opens the store, brings the search index up to date, builds discovery's in-memory snapshot
 * of the filter columns (timed: the cold cost a one-shot `crest discover` pays; its size and
 * the process's RSS before and after are printed), times the first search (cold: the pages
 * of the index are not in the cache yet either), runs the 20 typical filtered searches and a
 * lookalike query once to warm up, then RUNS times each (default 5), timing every call of
 * cr_discover_run() with a monotonic clock (warm: the snapshot kept, as `crest serve` keeps it). As
 * the reference in the same run, the same words go straight to SQLite's FTS5 through the sqlite3 C
 * API (MATCH, ORDER BY rank, every row fetched up to crest's candidate cap): the text search crest
 * cannot do without. Prints p50 and p95 of each side, their ratios, and one machine-readable line:
 *
 *   discover: creators=N searches_p50_ms=A searches_p95_ms=B lookalike_p50_ms=C
 *             lookalike_p95_ms=D fts_p50_ms=E fts_p95_ms=F ratio_p50=A/E ratio_p95=B/F
 *             snapshot_ms=G snapshot_mib=H rss_mib=I first_search_ms=J
 *
 * It only reports: no thresholds. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crest/crest.h"

static const char *const queries[] = {
    "topic=running",
    "topic=vegan+recipes&platform=instagram",
    "topic=skincare&country=US:0.4",
    "topic=fitness&tier=micro",
    "topic=travel&min_followers=50K&max_followers=500K",
    "topic=gaming&platform=tiktok&gender=male:0.6",
    "topic=coffee&language=en",
    "topic=makeup+beauty&age=18-24:0.2",
    "topic=finance+investing&max_fee=500",
    "topic=tech+review&tier=mid",
    "platform=youtube&tier=macro",
    "topic=football&country=BR:0.5",
    "topic=yoga+meditation&gender=female:0.6",
    "topic=baking+sourdough&min_fee=100&max_fee=2000",
    "topic=photography&platform=instagram&tier=nano",
    "topic=pets+dog&country=US:0.5",
    "topic=books&language=en&tier=micro",
    "tier=mega&min_er=1%",
    "topic=cycling+gravel&min_followers=10K",
    "topic=anime+cosplay&age=13-17:0.05",
};
#define NQ (sizeof(queries) / sizeof(queries[0]))

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* the process's resident set in MiB, from /proc (0 where there is none) */
static double rss_mib(void)
{
    char line[256];
    double kb = 0;
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtod(line + 6, NULL);
    if (f)
        fclose(f);
    return kb / 1024;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    size_t i;

    qsort(v, n, sizeof(*v), cmp_double);
    i = (size_t)ceil(p * (double)n) - 1;
    return v[i < n ? i : n - 1];
}

static int run_one(cr_store *st, const char *text, double *ms, char *seed, size_t seed_size)
{
    cr_discover_query q;
    cr_discover_result r;
    double t0;
    int ok;

    cr_discover_query_init(&q);
    if (cr_discover_query_parse(&q, text) < 0) {
        fprintf(stderr, "discover_time: %s: %s\n", text, cr_error_last()->message);
        return -1;
    }
    t0 = now_ms();
    ok = cr_discover_run(&r, st, &q) == CR_OK;
    *ms = now_ms() - t0;
    if (!ok) {
        fprintf(stderr, "discover_time: %s: %s\n", text, cr_error_last()->message);
        cr_discover_query_dispose(&q);
        return -1;
    }
    if (seed && r.nhits > 0)
        snprintf(seed, seed_size, "like=%s/%s", r.hits[0].platform, r.hits[0].handle);
    cr_discover_result_dispose(&r);
    cr_discover_query_dispose(&q);
    return 0;
}

/* the reference: the query's words straight to FTS5, as crest's candidate query ranks them */
static int run_fts(sqlite3 *db, const char *text, double *ms)
{
    cr_discover_query q;
    char match[512];
    const char *w;
    size_t len = 0;
    sqlite3_stmt *s = NULL;
    double t0;
    int rc;

    cr_discover_query_init(&q);
    if (cr_discover_query_parse(&q, text) < 0 || q.topic == NULL) {
        cr_discover_query_dispose(&q);
        return 1; /* no words: no reference */
    }
    match[0] = '\0';
    for (w = q.topic; *w;) {
        const char *e = strchr(w, ' ');
        size_t n = e ? (size_t)(e - w) : strlen(w);
        len += (size_t)snprintf(match + len, sizeof(match) - len, "%s\"%.*s\"", len ? " OR " : "",
                                (int)n, w);
        w += n + (e != NULL);
    }
    cr_discover_query_dispose(&q);
    t0 = now_ms();
    if (sqlite3_prepare_v2(db,
                           "SELECT rowid, rank FROM creator_fts WHERE creator_fts MATCH ?1"
                           " ORDER BY rank LIMIT 2000",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        (void)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    *ms = now_ms() - t0;
    return rc == SQLITE_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
    char url[4096], seed[256] = "";
    double *search = NULL, *like = NULL, *fts = NULL, ms, snap_ms, rss0, rss1, first_ms, t0;
    size_t ns = 0, nl = 0, nf = 0, i;
    long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 5, k;
    long long creators = 0;
    cr_store *st = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;

    if (argc < 2 || runs < 1) {
        fprintf(stderr, "usage: discover_time DB.sqlite [RUNS]\n");
        return 2;
    }
    snprintf(url, sizeof(url), "sqlite:%s", argv[1]);
    if (cr_store_open(&st, url) < 0 ||
        sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "discover_time: cannot open %s\n", argv[1]);
        return 1;
    }
    search = calloc(NQ * (size_t)runs, sizeof(*search));
    like = calloc((size_t)runs * 4, sizeof(*like));
    fts = calloc(NQ * (size_t)runs, sizeof(*fts));
    if (search == NULL || like == NULL || fts == NULL)
        return 1;
    /* cold: the index catches up, then the snapshot is built, then a first search */
    if (cr_store_discover_refresh(st, 0) < 0) {
        fprintf(stderr, "discover_time: %s\n", cr_error_last()->message);
        return 1;
    }
    rss0 = rss_mib();
    t0 = now_ms();
    if (cr_store_discover_prepare(st) < 0) {
        fprintf(stderr, "discover_time: %s\n", cr_error_last()->message);
        return 1;
    }
    snap_ms = now_ms() - t0;
    rss1 = rss_mib();
    if (run_one(st, queries[0], &first_ms, NULL, 0) < 0)
        return 1;
    /* warm up: pages come into the cache; the seed is query 1's best */
    for (i = 0; i < NQ; i++)
        if (run_one(st, queries[i], &ms, i == 0 ? seed : NULL, sizeof(seed)) < 0)
            return 1;
    if (seed[0] == '\0' || run_one(st, seed, &ms, NULL, 0) < 0) {
        fprintf(stderr, "discover_time: no seed for the lookalike query\n");
        return 1;
    }
    for (k = 0; k < runs; k++) {
        for (i = 0; i < NQ; i++) {
            if (run_one(st, queries[i], &search[ns++], NULL, 0) < 0)
                return 1;
            if (run_fts(db, queries[i], &ms) == 0)
                fts[nf++] = ms;
        }
        for (i = 0; i < 4; i++)
            if (run_one(st, seed, &like[nl++], NULL, 0) < 0)
                return 1;
    }
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM creator", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        creators = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    {
        double sp50 = pct(search, ns, 0.5), sp95 = pct(search, ns, 0.95);
        double lp50 = pct(like, nl, 0.5), lp95 = pct(like, nl, 0.95);
        double fp50 = pct(fts, nf, 0.5), fp95 = pct(fts, nf, 0.95);
        printf("%lld creators; %zu timed searches (20 queries x %ld), %zu lookalike runs (%s)\n",
               creators, ns, runs, nl, seed);
        printf(
            "  cold: snapshot of the filter columns built in %.0f ms (%.1f MiB; RSS %.0f -> %.0f "
            "MiB), then the first search %.2f ms\n",
            snap_ms, (double)cr_store_discover_snapshot_bytes(st) / 1048576.0, rss0, rss1,
            first_ms);
        printf("  crest discover, searches:  p50 %8.2f ms   p95 %8.2f ms\n", sp50, sp95);
        printf("  crest discover, lookalike: p50 %8.2f ms   p95 %8.2f ms\n", lp50, lp95);
        printf("  reference, FTS5 alone:     p50 %8.2f ms   p95 %8.2f ms  (%zu runs)\n", fp50, fp95,
               nf);
        printf("  ratio crest / FTS5:        p50 %8.2fx     p95 %8.2fx\n", sp50 / fp50,
               sp95 / fp95);
        printf("discover: creators=%lld searches_p50_ms=%.2f searches_p95_ms=%.2f "
               "lookalike_p50_ms=%.2f lookalike_p95_ms=%.2f fts_p50_ms=%.2f fts_p95_ms=%.2f "
               "ratio_p50=%.2f ratio_p95=%.2f snapshot_ms=%.0f snapshot_mib=%.1f rss_mib=%.0f "
               "first_search_ms=%.2f\n",
               creators, sp50, sp95, lp50, lp95, fp50, fp95, sp50 / fp50, sp95 / fp95, snap_ms,
               (double)cr_store_discover_snapshot_bytes(st) / 1048576.0, rss_mib(), first_ms);
    }
    free(search);
    free(like);
    free(fts);
    sqlite3_close(db);
    cr_store_free(st);
    return 0;
}
