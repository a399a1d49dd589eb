/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * csv.h - a streaming CSV reader over libcsv that knows where it is: every row comes with
 * the physical line it started on. Memory stays constant: one row is held at a time, and a
 * field or a row longer than the limits is an error, not a reason to grow without end.
 * Handles a UTF-8 BOM, CRLF, quoted fields with newlines and ',' ';' or tab delimiters
 * (chosen from the header line). */
#ifndef CR_INGEST_CSV_H
#define CR_INGEST_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "crest/errors.h"

#define CR_CSV_MAX_FIELD  (1u << 20) /* 1 MiB */
#define CR_CSV_MAX_FIELDS 512

typedef struct {
    int64_t line; /* physical line the row starts on, 1-based */
    size_t nfields;
    char **fields; /* NUL-terminated; the callback may edit them in place (never longer) */
    const size_t *lens;
} cr_csv_row;

/* Return CR_OK to go on, CR_ITEROVER to stop quietly, or an error to stop with it. */
typedef cr_err (*cr_csv_row_cb)(const cr_csv_row *row, void *payload);
typedef void (*cr_csv_progress_cb)(uint64_t bytes_done, void *payload);
typedef void (*cr_csv_bytes_cb)(const void *data, size_t len, void *payload);

typedef struct {
    const char *name; /* file name for messages */
    cr_csv_row_cb on_row;
    cr_csv_progress_cb on_progress; /* optional, about every 64 KiB */
    cr_csv_bytes_cb on_bytes;       /* optional: sees every byte read (for checksums) */
    void *payload;
    char delimiter; /* out: the delimiter that was used */
    /* optional: lines before the header that start with '#' (GA4's preamble) and blank lines
     * there are handed to it instead of being parsed; the delimiter comes from the header */
    void (*on_comment)(const char *line, size_t len, int64_t lineno, void *payload);
} cr_csv_reader;

/* Read f to the end. Errors name the file and line (CR_EINVALID for malformed CSV, CR_EIO
 * for read errors); callback errors are returned as they are. */
cr_err cr_csv_read(cr_csv_reader *r, FILE *f);

#endif
