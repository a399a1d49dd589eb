/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.h - the `crest review` subcommands (one file each, cmd_review_NAME.c, listed in
 * cmd_review.c's table) and what they share. */
#ifndef CR_CLI_REVIEW_H
#define CR_CLI_REVIEW_H

#include "cli/cli.h"

extern const cli_cmd cmd_review_calibrate;
/* the cycles, forms, growth plans, notes, reports and access of issue #8 */
extern const cli_cmd cmd_review_rubric, cmd_review_start, cmd_review_cycles, cmd_review_show,
    cmd_review_release, cmd_review_submit, cmd_review_self, cmd_review_feedback, cmd_review_plan,
    cmd_review_milestone, cmd_review_note, cmd_review_search, cmd_review_evidence,
    cmd_review_scorecard, cmd_review_schedule, cmd_review_link, cmd_review_account,
    cmd_review_kickoff, cmd_review_packet, cmd_review_rotation;

/* Parse the options of a review subcommand that takes none besides --json/--help: the
 * positional arguments must be exactly `want` (named `what` in the usage error). */
int cli_review_positional(cli_ctx *ctx, int argc, char **argv, int want, const char *what);
/* Print a JSON text of src/review (taking and freeing it); exit code. */
int cli_review_print(char *text);
/* A date option (YYYY-MM-DD) as midnight UTC; a usage error otherwise. */
int cli_review_date(cli_ctx *ctx, const char *opt, const char *val, int64_t *out);

/* Calibrate n ratings and print the result (table, or JSON with --json): the seam for
 * `crest review calibrate CYCLE`, which reads a cycle's ratings from the store and hands
 * them here. `source` names where the ratings come from (a file, "cycle 2026-Q3"); `limit`
 * bounds the ratees listed in the table (0: all; JSON always lists all). With `cycle` (a
 * store cycle; NULL for a file) each flagged rater is recorded as a calibration_flag
 * recommendation and its id shown. */
int cli_review_calibrate_print(cli_ctx *ctx,
                               const cr_rating *ratings,
                               size_t n,
                               const char *source,
                               const char *cycle,
                               const cr_calibrate_options *opts,
                               size_t limit);

#endif
