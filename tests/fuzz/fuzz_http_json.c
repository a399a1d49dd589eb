/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_http_json.c - libFuzzer harness of the server's JSON request bodies: the body parsed
 * as crest serve parses it (jansson, duplicates rejected, an object), then read by the
 * handlers' body readers that need no store: a campaign (POST /api/v1/campaigns and
 * /campaigns/check, src/server/campaign_json.c) and the goal sentence of
 * POST /api/v1/goal/parse. A new JSON route's pure body reader belongs here. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cr_err on_violation(const cr_rule_violation *v, void *payload)
{
    (void)v;
    (*(int *)payload)++;
    return CR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_campaign_spec *spec = NULL;
    cr_goal_statement g;
    json_error_t jerr;
    http_res res;
    json_t *body, *s;
    int n = 0, count = 0;

    body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (body == NULL || !json_is_object(body)) {
        json_decref(body);
        return 0;
    }
    memset(&res, 0, sizeof(res));
    if (http_campaign_from_json(&spec, &res, body) == CR_OK && spec != NULL)
        (void)cr_campaign_check_rules(spec, on_violation, &n, &count);
    cr_campaign_spec_free(spec);
    json_decref(res.body);
    s = json_object_get(body, "text");
    if (json_is_string(s) && strlen(json_string_value(s)) == json_string_length(s))
        (void)cr_goal_parse(&g, json_string_value(s), 2026);
    json_decref(body);
    cr_error_clear();
    return 0;
}
