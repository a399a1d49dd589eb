/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.h - the demo's outreach data (src/demo/outreach.c), shared with demo.c. */
#ifndef CR_DEMO_OUTREACH_H
#define CR_DEMO_OUTREACH_H

#include "crest/store.h"

/* Three templates, a 3-step sequence and a pipeline of prospects in the active campaign, with
 * their timelines, inside the caller's transaction; nothing when the workspace already has
 * an "intro" template. */
cr_err cr_demo__outreach(cr_store *st, int64_t end_date);

#endif
