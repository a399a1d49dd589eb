/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * demo.h - a realistic demo workspace from a seeded generator: creators on Instagram, TikTok
 * and YouTube across tiers, 90 days of follower snapshots and post metrics, comments, one
 * campaign per goal type with KPIs and partnerships, and the web sessions, leads, orders and
 * mentions their links and codes brought (with months of history before them, for
 * baselines). Same seed, same workspace. */
#ifndef CR_DEMO_H
#define CR_DEMO_H

#include "crest/store.h"

CR_BEGIN_DECL

#define CR_DEMO_OPTIONS_VERSION 2

typedef struct {
    unsigned int version;
    uint64_t seed;    /* 0: the default seed (20260701) */
    int creators;     /* 0: 320 */
    int days;         /* 0: 90 */
    int64_t end_date; /* last day of the series, midnight UTC; 0: 2026-11-15 */
    void (*progress)(int done, int total, void *payload);
    void *progress_payload;
    /* version 2: called once per creator given a bought-follower spike, with the day the
     * bought followers arrived and the follower counts of the day before and of that day (the
     * ground truth vetting is checked against); may be NULL */
    void (*spike)(const char *platform,
                  const char *handle,
                  int64_t date,
                  int64_t followers_before,
                  int64_t followers_after,
                  void *payload);
    void *spike_payload;
} cr_demo_options;

#define CR_DEMO_OPTIONS_INIT                                        \
    {                                                               \
        CR_DEMO_OPTIONS_VERSION, 0, 0, 0, 0, NULL, NULL, NULL, NULL \
    }

typedef struct {
    int64_t creators, snapshots, posts, metrics, comments, campaigns, partnerships, kpis;
    int64_t web_sessions, leads, orders, mentions; /* what the links and codes brought */
    int64_t spiked_creators;                       /* creators given a bought-follower spike */
    int64_t by_platform[3];                        /* instagram, tiktok, youtube */
    int64_t by_tier[5]; /* nano, micro, mid, macro, mega (Later x Fohr cut-offs) */
    int64_t review_cycles, brand_reviews; /* partner reviews (src/review/demo.c) */
} cr_demo_summary;

/**
 * Generate the demo workspace into st, in one transaction (all or nothing). Running it
 * again with the same options changes nothing.
 * @return CR_OK, or the store's error
 */
CR_EXTERN(cr_err) cr_demo_generate(cr_demo_summary *out, cr_store *st, const cr_demo_options *opts);

CR_END_DECL

#endif /* CR_DEMO_H */
