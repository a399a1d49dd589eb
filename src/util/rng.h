/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * rng.h - a small seeded generator (xoshiro256**, seeded by splitmix64) so that demo data
 * and benchmark data are the same on every machine for the same seed. */
#ifndef CR_UTIL_RNG_H
#define CR_UTIL_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} cr_rng;

void cr_rng_seed(cr_rng *r, uint64_t seed);
uint64_t cr_rng_next(cr_rng *r);
double cr_rng_uniform(cr_rng *r);                        /* [0, 1) */
int64_t cr_rng_range(cr_rng *r, int64_t lo, int64_t hi); /* [lo, hi] */
double cr_rng_normal(cr_rng *r);                         /* standard normal */
double cr_rng_lognormal(cr_rng *r, double mu, double sigma);
int64_t cr_rng_poisson(cr_rng *r, double lambda);

#endif
