/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * kinds.h - what import.c needs from an import kind: its columns with their value types,
 * and the function that writes one parsed row to the store. */
#ifndef CR_INGEST_KINDS_H
#define CR_INGEST_KINDS_H

#include "crest/import.h"

typedef enum {
    CR_COL_TEXT,
    CR_COL_KEY, /* an identifier: non-empty, one line, <= 200 bytes */
    CR_COL_PLATFORM,
    CR_COL_HANDLE,
    CR_COL_COUNT,
    CR_COL_RATE,
    CR_COL_DATE,
    CR_COL_DATETIME,
    CR_COL_EMAIL,
    CR_COL_COUNTRY,
    CR_COL_LANGUAGE,
    CR_COL_URL,
    CR_COL_LIST /* a list of words separated by , ; or | -> "a,b,c" */
} cr_col_type;

/* One cell after parsing. `text` points into the row (edited in place, NUL-terminated). */
typedef struct {
    int set; /* the column exists and the cell is not empty */
    const char *text;
    int64_t i;
    double d;
} cr_import_value;

typedef struct cr_import_ctx cr_import_ctx;

typedef struct {
    const cr_import_kind *pub;
    const cr_col_type *types; /* parallel to pub->columns */
    /* Write one row. Row-level problems are reported with cr_import__row_error() and
     * returned as CR_EINVALID; anything else aborts the import. */
    cr_err (*apply)(cr_import_ctx *ctx, const cr_import_value *v);
} cr_import_kind_def;

extern const cr_import_kind_def *const cr_import__kind_defs[];

/* Services import.c offers the kinds. */
cr_store *cr_import__store(cr_import_ctx *ctx);
int64_t cr_import__import_id(cr_import_ctx *ctx);
cr_err cr_import__creator_id(
    int64_t *out, cr_import_ctx *ctx, const char *platform, const char *handle, int handle_col);
cr_err cr_import__post_id(
    int64_t *out, cr_import_ctx *ctx, const char *platform, const char *external_id, int post_col);
void cr_import__remember_creator(cr_import_ctx *ctx,
                                 const char *platform,
                                 const char *handle,
                                 int64_t id);
void cr_import__remember_post(cr_import_ctx *ctx,
                              const char *platform,
                              const char *external_id,
                              int64_t id);
/* Record a problem with the current row at column index col (-1: the row as a whole). */
cr_err cr_import__row_error(cr_import_ctx *ctx, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
