/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_cookie.c - libFuzzer harness of the server's Cookie header reader (http_cookie_get,
 * src/server/auth.c), which every authenticated request goes through: the input is the
 * header; the session cookie is looked up into buffers of several sizes, and what comes out
 * must fit and be NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/auth.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = { 1, 2, 17, 80 };
    char *header = cr_malloc(size + 1), out[80];
    size_t i;

    if (header == NULL)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        memset(out, 'x', sizeof(out));
        if (http_cookie_get(out, sizes[i], header, HTTP_SESSION_COOKIE) &&
            strnlen(out, sizes[i]) >= sizes[i])
            abort();
        (void)http_cookie_get(out, sizes[i], header, "a");
    }
    cr_free(header);
    return 0;
}
