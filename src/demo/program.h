/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * program.h - the demo's program governance data (src/demo/program.c), shared with demo.c. */
#ifndef CR_DEMO_PROGRAM_H
#define CR_DEMO_PROGRAM_H

#include "crest/store.h"

/* Time logs, a pilot, recommendations and a closed review, inside the caller's transaction;
 * nothing when the workspace already has a pilot. */
cr_err cr_demo__program(cr_store *st, uint64_t seed, int64_t end_date);

#endif
