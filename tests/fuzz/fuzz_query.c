/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_query.c - libFuzzer harness of query strings: the discover filter parser
 * (cr_discover_query_parse, percent-decoding and every field's setter: what
 * GET /api/v1/discover's parameters and saved searches go through). A query that parses is
 * turned back into its canonical text, which must parse again to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crest/crest.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_discover_query q, again;
    char *text = cr_malloc(size + 1), *canon = NULL, *canon2 = NULL;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cr_discover_query_init(&q);
    cr_discover_query_init(&again);
    if (cr_discover_query_parse(&q, text) == CR_OK && cr_discover_query_text(&canon, &q) == CR_OK) {
        if (cr_discover_query_parse(&again, canon) != CR_OK ||
            cr_discover_query_text(&canon2, &again) != CR_OK || strcmp(canon, canon2) != 0)
            abort();
    }
    cr_free(canon);
    cr_free(canon2);
    cr_discover_query_dispose(&q);
    cr_discover_query_dispose(&again);
    cr_free(text);
    cr_error_clear();
    return 0;
}
