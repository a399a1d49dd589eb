/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * rng.c - xoshiro256** (Blackman & Vigna) with Box-Muller normals. Not for secrets: tokens
 * come from libsodium. */
#include <math.h>

#include "util/rng.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void cr_rng_seed(cr_rng *r, uint64_t seed)
{
    int i;

    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint64_t cr_rng_next(cr_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double cr_rng_uniform(cr_rng *r)
{
    return (double)(cr_rng_next(r) >> 11) * 0x1.0p-53;
}

int64_t cr_rng_range(cr_rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;

    return lo + (int64_t)(cr_rng_next(r) % span);
}

double cr_rng_normal(cr_rng *r)
{
    double u1 = cr_rng_uniform(r), u2 = cr_rng_uniform(r);

    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

double cr_rng_lognormal(cr_rng *r, double mu, double sigma)
{
    return exp(mu + sigma * cr_rng_normal(r));
}

int64_t cr_rng_poisson(cr_rng *r, double lambda)
{
    double l, p;
    int64_t k = 0;

    if (lambda > 30) {
        double v = lambda + sqrt(lambda) * cr_rng_normal(r);
        return v < 0 ? 0 : (int64_t)(v + 0.5);
    }
    l = exp(-lambda);
    p = cr_rng_uniform(r);
    while (p > l) {
        k++;
        p *= cr_rng_uniform(r);
    }
    return k;
}
