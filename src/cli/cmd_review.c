/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_review.c - `crest review`: partner performance reviews (issue #8). Only the table of
 * subcommands lives here; each subcommand is its own file, cmd_review_NAME.c, declared in
 * cli/review.h and listed below with one line. */
#include "cli/review.h"

static const cli_cmd *const review_subcmds[] = {
    &cmd_review_calibrate,
    NULL,
};

const cli_cmd cmd_review = {
    .name = "review",
    .summary = "Partner reviews: reviewer calibration",
    .subcmds = review_subcmds,
};
