/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_goal_sentence.c - libFuzzer harness of the goal sentence parser (src/goals/sentence.c,
 * `crest goal parse` and POST /api/v1/goal/parse): the input, NUL-terminated, is the sentence;
 * what it fills in must be NUL-terminated strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crest/crest.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_goal_statement g;
    char *text = cr_malloc(size + 1);
    size_t i;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&g, 0, sizeof(g));
    if (cr_goal_parse(&g, text, 2026) == CR_OK) {
        if (strlen(g.kpi) >= sizeof(g.kpi) || strlen(g.period) >= sizeof(g.period))
            abort();
        for (i = 0; i < g.nunparsed && i < CR_SENTENCE_MAX_UNPARSED; i++)
            if (strlen(g.unparsed[i]) >= sizeof(g.unparsed[i]))
                abort();
    }
    cr_free(text);
    cr_error_clear();
    return 0;
}
