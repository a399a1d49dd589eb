/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * hash.h - SHA-256 of files and buffers (libsodium), as lower-case hex. */
#ifndef CR_UTIL_HASH_H
#define CR_UTIL_HASH_H

#include <stddef.h>

#include "crest/errors.h"

#define CR_SHA256_HEX 65

/* Hash a whole file; CR_EIO with a message naming the file when it cannot be read. */
cr_err cr_sha256_file(char out[CR_SHA256_HEX], const char *path);
void cr_sha256_buf(char out[CR_SHA256_HEX], const void *data, size_t len);

#endif
