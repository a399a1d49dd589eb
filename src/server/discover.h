/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.h - the discovery handlers of the JSON API (GET /api/v1/discover and
 * /api/v1/discover/saved), registered in the route table of routes.c. */
#ifndef CR_SERVER_DISCOVER_H
#define CR_SERVER_DISCOVER_H

#include "server/server.h"

/* The query parameters GET /api/v1/discover takes: the fields of crest/discover.h plus saved. */
#define HTTP_DISCOVER_PARAMS                                                                     \
    "like,topic,platform,tier,tier_scheme,min_followers,max_followers,min_er,max_er,er_by,"      \
    "country,age,gender,language,min_quality,min_fee,max_fee,not_in,include_opted_out,campaign," \
    "limit,offset,saved"

cr_err http_discover(http_req *req, http_res *res);
cr_err http_discover_saved(http_req *req, http_res *res);

#endif
