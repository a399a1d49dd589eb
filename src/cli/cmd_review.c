/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_review.c - `crest review`: partner performance reviews (issue #8). Only the table of
 * subcommands lives here; each subcommand is its own file, cmd_review_NAME.c, declared in
 * cli/review.h and listed below with one line. */
#include "cli/review.h"

static const cli_cmd *const review_subcmds[] = {
    &cmd_review_calibrate, &cmd_review_rubric,
    &cmd_review_start,     &cmd_review_cycles,
    &cmd_review_show,      &cmd_review_submit,
    &cmd_review_self,      &cmd_review_feedback,
    &cmd_review_release,   &cmd_review_evidence,
    &cmd_review_scorecard, &cmd_review_schedule,
    &cmd_review_plan,      &cmd_review_milestone,
    &cmd_review_note,      &cmd_review_search,
    &cmd_review_link,      &cmd_review_account,
    &cmd_review_kickoff,   &cmd_review_packet,
    &cmd_review_rotation,  NULL,
};

const cli_cmd cmd_review = {
    .name = "review",
    .summary = "Partner reviews: rubrics, cycles, three voices, calibration, scorecards",
    .subcmds = review_subcmds,
};
