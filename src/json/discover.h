/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.h - JSON shapes of discovery results and saved searches, shared by `crest discover
 * --json` and GET /api/v1/discover, so both print the same thing. */
#ifndef CR_JSON_DISCOVER_H
#define CR_JSON_DISCOVER_H

#include <jansson.h>

#include "crest/discover.h"

/* {"total","capped","goal","campaign","seed","saved","new","offset","limit","hits":[...]} */
json_t *cr_json_discover_result(const cr_discover_result *r, const cr_discover_query *q);
/* One saved search: name, query, created_at, run_at (ISO times), results, new. */
json_t *cr_json_saved_search(const cr_saved_search *s);

#endif
