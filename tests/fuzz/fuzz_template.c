/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_template.c - libFuzzer harness of the outreach template engine (src/outreach/
 * template.c, `crest outreach template add|preview` and the server's preview): the input is
 * a template, then optionally a NUL byte and a JSON context. It is rendered as text and as
 * HTML; a render that succeeds must give a NUL-terminated text, an escaped HTML render must
 * hold no raw '<' that the template itself did not hold, and the lint's issues must be
 * NUL-terminated names with positions inside the template. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crest/crest.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_ctx[] =
    "{\"creator\":{\"first_name\":\"Zo\\u00eb <b>\",\"handle\":\"zo\"},\"post\":{\"url\":"
    "\"https://x/p?a=1&b=2\",\"topics\":[\"a\",\"b\"]},\"list\":[{\"n\":1},{\"n\":\"\"}],"
    "\"empty\":\"\",\"t\":true}";

static int has(const uint8_t *d, size_t n, const char *what)
{
    size_t k = strlen(what), i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(d + i, what, k) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t tlen = nul ? (size_t)(nul - data) : size;
    char *ctx = NULL, *out = NULL;
    cr_tpl_lint lint;
    size_t i;
    int html;

    if (nul != NULL) {
        size_t clen = size - tlen - 1;

        if ((ctx = cr_malloc(clen + 1)) == NULL)
            return 0;
        memcpy(ctx, nul + 1, clen);
        ctx[clen] = '\0';
    }
    for (html = 0; html < 2; html++) {
        if (cr_tpl_render(&out, &lint, "fuzz", (const char *)data, tlen, ctx ? ctx : default_ctx,
                          html) == CR_OK) {
            if (out == NULL)
                abort();
            (void)strlen(out);
            if (html && ctx == NULL && memchr(data, '<', tlen) == NULL &&
                memchr(data, '&', tlen) == NULL && strchr(out, '<') != NULL &&
                !has(data, tlen, "{{{") && !has(data, tlen, "{{&"))
                abort(); /* an escaped value let a '<' through */
            for (i = 0; i < lint.count && i < CR_TPL_MAX_ISSUES; i++) {
                if (strlen(lint.issues[i].name) >= sizeof(lint.issues[i].name) ||
                    lint.issues[i].line < 1 || lint.issues[i].column < 1 ||
                    (size_t)lint.issues[i].line > tlen + 1)
                    abort();
            }
            (void)cr_tpl_lint_check(&lint, "fuzz");
        } else if (out != NULL) {
            abort();
        }
        cr_outreach_text_free(out);
        out = NULL;
    }
    cr_free(ctx);
    cr_error_clear();
    return 0;
}
