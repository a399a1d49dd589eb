/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_campaign_yaml.c - libFuzzer harness of the campaign YAML loader (src/goals/campaign.c,
 * over libfyaml): the input is the file; a spec that loads is then checked against the goal
 * rules, as `crest campaign check` does.
 *
 * Inputs with ten single quotes in a row are left out: libfyaml 0.8 (Debian 12) leaks the
 * unescape buffer of a single-quoted scalar holding five or more escaped quotes in a row
 * ('''''''''''' leaks 512 bytes at fy_node_get_scalar(), in libfyaml's own realloc; crest
 * destroys the document and the diagnostics). It is libfyaml's bug, a bounded leak in the
 * one-shot CLI processes that read YAML (the server reads none), and it would mask findings
 * of crest's own in every later run (docs/security.md). */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crest/crest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[96];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[64];

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof(dir), "/tmp/crest-fuzz-yaml.XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(path, sizeof(path), "%s/campaign.yaml", dir);
    return 0;
}

static cr_err on_violation(const cr_rule_violation *v, void *payload)
{
    (void)v;
    (*(int *)payload)++;
    return CR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_campaign_spec *spec = NULL;
    int n = 0, count = 0;
    FILE *f;

    if (size >= 10 && memmem(data, size, "''''''''''", 10) != NULL)
        return 0;
    if ((f = fopen(path, "wb")) == NULL)
        abort();
    if (size > 0 && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    if (cr_campaign_load_yaml(&spec, path) == CR_OK && spec != NULL)
        (void)cr_campaign_check_rules(spec, on_violation, &n, &count);
    cr_campaign_spec_free(spec);
    cr_error_clear();
    return 0;
}
