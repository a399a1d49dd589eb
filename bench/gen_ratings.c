/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * gen_ratings.c - deterministic generator of a simulated review cycle with known reviewer
 * severities, for bench/calibrate and tests/cli/calibrate.sh.
 *
 *     gen_ratings PREFIX [--ratings N] [--partners P] [--reviewers R] [--criteria K]
 *                 [--groups G] [--seed S]
 *
 * Writes PREFIX.csv (ratee,rater,criterion,score: N ratings, default 100,000, of P = 2,000
 * partners by R = 50 reviewers on K = 9 criteria) and PREFIX.truth.csv (kind,name,value: each
 * reviewer's true severity and each partner's true quality, on the latent scale). Each partner
 * is reviewed by a few reviewers drawn at random (sparse overlap: about N / (P K) each), every
 * reviewer rating all K criteria (the last pair only as many as N leaves). A rating is
 *
 *     score = round(3 + quality - severity - difficulty + noise), clamped to 1..5,
 *
 * with quality ~ N(0, 0.8), severity ~ N(0, 0.5), difficulty ~ N(0, 0.25), noise ~ N(0,
 * 0.6). With --groups G the reviewers form G teams and each partner is reviewed by one team
 * only, so the design falls apart into G components. The same arguments give the same bytes.
 * It links nothing from crest. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(void)
{
    return (double)(next() >> 11) * (1.0 / 9007199254740992.0);
}

static double normal(void)
{
    double u = uniform(), v = uniform();

    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static long arg_long(const char *opt, const char *v, long lo)
{
    char *end;
    long x;

    errno = 0;
    x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo) {
        fprintf(stderr, "gen_ratings: %s: expected a whole number >= %ld, found '%s'\n", opt, lo,
                v);
        exit(2);
    }
    return x;
}

int main(int argc, char **argv)
{
    long n = 100000, P = 2000, R = 50, K = 9, G = 1, seed = 8, p, k, i, written = 0;
    double *sev, *qual, *diff;
    long *pick;
    char path[4096];
    FILE *f, *t;

    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: gen_ratings PREFIX [--ratings N] [--partners P] [--reviewers R] "
                        "[--criteria K] [--groups G] [--seed S]\n");
        return 2;
    }
    for (i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--ratings") == 0)
            n = arg_long(argv[i], argv[i + 1], 1);
        else if (strcmp(argv[i], "--partners") == 0)
            P = arg_long(argv[i], argv[i + 1], 2);
        else if (strcmp(argv[i], "--reviewers") == 0)
            R = arg_long(argv[i], argv[i + 1], 2);
        else if (strcmp(argv[i], "--criteria") == 0)
            K = arg_long(argv[i], argv[i + 1], 1);
        else if (strcmp(argv[i], "--groups") == 0)
            G = arg_long(argv[i], argv[i + 1], 1);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = arg_long(argv[i], argv[i + 1], 0);
        else {
            fprintf(stderr, "gen_ratings: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (i < argc || G > R || (n + K - 1) / K > P * (R / G)) {
        fprintf(stderr, "gen_ratings: bad arguments (odd count, or more ratings than the "
                        "partners x reviewers x criteria of a group hold)\n");
        return 2;
    }
    rng_state = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 1;
    sev = calloc((size_t)R, sizeof(*sev));
    qual = calloc((size_t)P, sizeof(*qual));
    diff = calloc((size_t)K, sizeof(*diff));
    pick = calloc((size_t)R, sizeof(*pick));
    if (!sev || !qual || !diff || !pick) {
        fprintf(stderr, "gen_ratings: out of memory\n");
        return 1;
    }
    for (i = 0; i < R; i++)
        sev[i] = 0.5 * normal();
    for (i = 0; i < P; i++)
        qual[i] = 0.8 * normal();
    for (i = 0; i < K; i++)
        diff[i] = 0.25 * normal();
    snprintf(path, sizeof(path), "%s.csv", argv[1]);
    if ((f = fopen(path, "w")) == NULL) {
        fprintf(stderr, "gen_ratings: %s: %s\n", path, strerror(errno));
        return 1;
    }
    snprintf(path, sizeof(path), "%s.truth.csv", argv[1]);
    if ((t = fopen(path, "w")) == NULL) {
        fprintf(stderr, "gen_ratings: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f, "ratee,rater,criterion,score\n");
    fprintf(t, "kind,name,value\n");
    for (i = 0; i < R; i++)
        fprintf(t, "rater,V%03ld,%.6f\n", i + 1, sev[i]);
    for (i = 0; i < P; i++)
        fprintf(t, "ratee,P%05ld,%.6f\n", i + 1, qual[i]);
    {
        long pairs = (n + K - 1) / K, team = R / G;

        for (p = 0; p < P && written < n; p++) {
            long m = pairs / P + (p < pairs % P ? 1 : 0), g = p % G, j;

            /* m distinct reviewers of the partner's team (partial Fisher-Yates) */
            for (j = 0; j < team; j++)
                pick[j] = g * team + j;
            for (j = 0; j < m && j < team; j++) {
                long s = j + (long)(uniform() * (double)(team - j)), tmp = pick[j];

                pick[j] = pick[s];
                pick[s] = tmp;
                for (k = 0; k < K && written < n; k++) {
                    double x = 3 + qual[p] - sev[pick[j]] - diff[k] + 0.6 * normal();
                    long score = lround(x);

                    score = score < 1 ? 1 : score > 5 ? 5 : score;
                    fprintf(f, "P%05ld,V%03ld,C%ld,%ld\n", p + 1, pick[j] + 1, k + 1, score);
                    written++;
                }
            }
        }
    }
    if (fclose(f) != 0 || fclose(t) != 0) {
        fprintf(stderr, "gen_ratings: write error\n");
        return 1;
    }
    free(sev);
    free(qual);
    free(diff);
    free(pick);
    return 0;
}
