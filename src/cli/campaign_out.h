/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * campaign_out.h - shared printing of campaigns and goal checks for the CLI. */
#ifndef CR_CLI_CAMPAIGN_OUT_H
#define CR_CLI_CAMPAIGN_OUT_H

#include <jansson.h>

#include "cli/cli.h"
#include "crest/goals.h"

typedef struct {
    json_t *arr;
    const char *source;
} cli_rules_state;

/* A campaign by id or name. */
cr_err cli_campaign_ref(cr_campaign_spec **out, cli_ctx *ctx, const char *ref);
int cli_is_file(const char *path);
void cli_print_campaign(const cr_campaign_spec *s);
const char *
cli_target_text(char *buf, size_t size, const cr_campaign_kpi_spec *k, const char *currency);
/* Print each broken rule to stderr (or append to arr); *count receives how many. */
cr_err cli_check_rules(int *count, const cr_campaign_spec *spec, json_t *arr);
void cli_print_smart(const cr_smart_report *r, const char *what);

#endif
