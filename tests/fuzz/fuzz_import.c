/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_import.c - libFuzzer harness of the import path: every import profile (the generic
 * kinds, the platform exports, GA4, Shopify, leads, mentions, and auto-detection) reads the
 * input as a CSV file into a SQLite store, whole-file or --partial. The first byte picks the
 * kind and the mode; the rest is the file. One store for the process (opened once, with the
 * account `fuzz` that platform exports name), so an iteration costs one import. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crest/crest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = { "auto",     "creators",  "snapshots", "posts",   "metrics",
                                     "comments", "instagram", "tiktok",    "youtube", "ga4",
                                     "shopify",  "leads",     "mentions" };
static cr_store *store;
static char dir[64], input[96], rejects[96];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char creators[] = "platform,handle,followers\ninstagram,fuzz,1000\n"
                                   "tiktok,fuzz,2000\nyoutube,fuzz,3000\n";
    char url[128], seed[96];
    cr_import_result res;
    FILE *f;

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof(dir), "/tmp/crest-fuzz-import.XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(url, sizeof(url), "sqlite:%s/fuzz.db", dir);
    snprintf(input, sizeof(input), "%s/input.csv", dir);
    snprintf(rejects, sizeof(rejects), "%s/rejects.csv", dir);
    snprintf(seed, sizeof(seed), "%s/creators.csv", dir);
    if (cr_store_open(&store, url) < 0) /* opening creates and migrates */
        abort();
    if ((f = fopen(seed, "w")) == NULL || fwrite(creators, 1, sizeof(creators) - 1, f) == 0 ||
        fclose(f) != 0)
        abort();
    memset(&res, 0, sizeof(res));
    if (cr_import_file(&res, store, "creators", seed, NULL) < 0)
        abort();
    cr_import_result_dispose(&res);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_import_options opts = CR_IMPORT_OPTIONS_INIT;
    cr_import_result res;
    FILE *f;

    if (size < 1)
        return 0;
    if ((f = fopen(input, "wb")) == NULL)
        abort();
    if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
        abort();
    if (fclose(f) != 0)
        abort();
    opts.partial = (data[0] & 0x80) != 0;
    opts.force = 1;
    opts.rejects_path = rejects;
    opts.creator = "fuzz";
    opts.captured_at = 1780000000;
    memset(&res, 0, sizeof(res));
    (void)cr_import_file(&res, store, kinds[(data[0] & 0x7f) % (sizeof(kinds) / sizeof(kinds[0]))],
                         input, &opts);
    cr_import_result_dispose(&res);
    unlink(rejects);
    cr_error_clear();
    return 0;
}
