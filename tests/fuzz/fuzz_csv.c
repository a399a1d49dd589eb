/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_csv.c - libFuzzer harness of the CSV reader under every import (src/ingest/csv.c):
 * delimiter detection, quoting, BOMs, the '#' preamble of GA4 exports, field and row limits.
 * The input is the file, read from memory; each row's fields are touched so that a length
 * that lies shows up under ASan. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ingest/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cr_err on_row(const cr_csv_row *row, void *payload)
{
    size_t *sum = payload, i;

    for (i = 0; i < row->nfields; i++)
        *sum += strlen(row->fields[i]) + row->lens[i];
    return CR_OK;
}

static void on_comment(const char *line, size_t len, int64_t lineno, void *payload)
{
    size_t *sum = payload;

    (void)lineno;
    if (len > 0)
        *sum += (unsigned char)line[len - 1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_csv_reader r;
    size_t sum = 0;
    FILE *f;

    if (size == 0)
        return 0;
    if ((f = fmemopen((void *)data, size, "rb")) == NULL)
        return 0;
    memset(&r, 0, sizeof(r));
    r.name = "fuzz.csv";
    r.on_row = on_row;
    r.payload = &sum;
    if (data[0] & 1)
        r.on_comment = on_comment;
    (void)cr_csv_read(&r, f);
    fclose(f);
    cr_error_clear();
    return 0;
}
