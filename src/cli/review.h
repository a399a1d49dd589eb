/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.h - the `crest review` subcommands (one file each, cmd_review_NAME.c, listed in
 * cmd_review.c's table) and what they share. */
#ifndef CR_CLI_REVIEW_H
#define CR_CLI_REVIEW_H

#include "cli/cli.h"

extern const cli_cmd cmd_review_calibrate;

/* Calibrate n ratings and print the result (table, or JSON with --json): the seam for
 * `crest review calibrate CYCLE`, which reads a cycle's ratings from the store and hands
 * them here. `source` names where the ratings come from (a file, "cycle 2026-Q3"); `limit`
 * bounds the ratees listed in the table (0: all; JSON always lists all). */
int cli_review_calibrate_print(cli_ctx *ctx,
                               const cr_rating *ratings,
                               size_t n,
                               const char *source,
                               const cr_calibrate_options *opts,
                               size_t limit);

#endif
