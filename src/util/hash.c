/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * hash.c - SHA-256 through libsodium's crypto_hash_sha256, read in 64 KiB blocks. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/hash.h"

static void to_hex(char out[CR_SHA256_HEX], const unsigned char *d)
{
    sodium_bin2hex(out, CR_SHA256_HEX, d, crypto_hash_sha256_BYTES);
}

void cr_sha256_buf(char out[CR_SHA256_HEX], const void *data, size_t len)
{
    unsigned char d[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(d, data, len);
    to_hex(out, d);
}

cr_err cr_sha256_file(char out[CR_SHA256_HEX], const char *path)
{
    crypto_hash_sha256_state st;
    unsigned char d[crypto_hash_sha256_BYTES];
    unsigned char buf[65536];
    FILE *f;
    size_t n;
    int failed;

    if ((f = fopen(path, "rb")) == NULL)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot open: %s", path, strerror(errno));
    crypto_hash_sha256_init(&st);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    failed = ferror(f);
    fclose(f);
    if (failed)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: read error", path);
    crypto_hash_sha256_final(&st, d);
    to_hex(out, d);
    return CR_OK;
}
