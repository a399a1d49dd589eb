/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.c - GET /api/v1/discover: every query parameter is a field of the discovery query
 * and goes through cr_discover_query_set(), the setter of the CLI's flags, so a bad value is
 * a 400 naming the parameter with the CLI's message; the body is `crest discover --json`'s.
 * saved=NAME runs a saved search (and records it as seen, as the CLI does). */
#include <stdio.h>
#include <string.h>

#include "server/discover.h"
#include "json/discover.h"

cr_err http_discover(http_req *req, http_res *res)
{
    cr_discover_query q;
    cr_discover_result r;
    const char *saved = NULL;
    json_t *j;
    size_t i;
    cr_err rc = CR_OK;

    cr_discover_query_init(&q);
    memset(&r, 0, sizeof(r));
    for (i = 0; i < req->nquery && rc == CR_OK; i++) {
        const http_query_arg *a = &req->query[i];
        if (strcmp(a->name, "saved") == 0) {
            saved = a->value;
            continue;
        }
        if (a->value[0] == '\0')
            continue; /* an empty form field is no filter */
        if ((rc = cr_discover_query_set(&q, a->name, a->value)) < 0) {
            snprintf(res->field_buf, sizeof(res->field_buf), "%s", a->name);
            res->field = res->field_buf;
        }
    }
    if (rc == CR_OK)
        rc = saved ? cr_discover_run_saved(&r, req->store, saved, &q)
                   : cr_discover_run(&r, req->store, &q);
    if (rc == CR_OK) {
        if ((j = cr_json_discover_result(&r, &q)) == NULL)
            rc = cr_error_oom();
        else
            res->body = j;
    }
    cr_discover_result_dispose(&r);
    cr_discover_query_dispose(&q);
    return rc;
}

static cr_err saved_row(const cr_saved_search *s, void *payload)
{
    json_t *j = cr_json_saved_search(s);

    if (j == NULL || json_array_append_new(payload, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

cr_err http_discover_saved(http_req *req, http_res *res)
{
    json_t *arr = json_array();
    cr_err rc;

    if (arr == NULL)
        return cr_error_oom();
    if ((rc = cr_discover_saved_list(req->store, saved_row, arr)) < 0) {
        json_decref(arr);
        return rc;
    }
    res->body = arr;
    return CR_OK;
}
