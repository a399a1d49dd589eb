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
    CR_COL_LIST, /* a list of words separated by , ; or | -> "a,b,c" */
    /* the forms vendors' exports use (profiles.c) */
    CR_COL_DECIMAL,  /* "1,234.5" -> d, not negative */
    CR_COL_DURATION, /* "45.2" seconds, "1m 05s", "1h 2m", "01:02:03" -> d seconds */
    CR_COL_DAY,      /* YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY, "Mar 3, 2026" -> i midnight UTC */
    CR_COL_WHEN,     /* a CR_COL_DAY form with an optional time and offset -> i UTC seconds */
    CR_COL_BOOL      /* yes/no, true/false, 1/0, y/n -> i 1 or 0 */
} cr_col_type;

/* cr_import_column.required: 1 the column and every cell are required; 2 the column is
 * required but a row may leave the cell empty (the kind's apply decides, e.g. Shopify's
 * line-item rows that carry no order total). */
#define CR_COL_REQUIRED_CELL_OPTIONAL 2

/* apply() returns this for a row that is read but stands for nothing of its own (a total
 * row, an order's further line items): counted in rows_skipped, not an error. */
#define CR_IMPORT_SKIP_ROW 1

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
    /* Profiles only (NULL/0 for the generic kinds): the platform a post export is from, and
     * a check run once the header is read (file-level problems via cr_import__file_error). */
    const char *platform;
    cr_err (*begin)(cr_import_ctx *ctx);
} cr_import_kind_def;

extern const cr_import_kind_def *const cr_import__kind_defs[];

/* The profiles of real platform exports (profiles.c), registered in kinds.c's tables. */
extern const cr_import_kind_def cr_import__instagram_def, cr_import__tiktok_def,
    cr_import__youtube_def, cr_import__ga4_def, cr_import__shopify_def, cr_import__leads_def,
    cr_import__mentions_def;
extern const cr_import_kind cr_import__instagram_kind, cr_import__tiktok_kind,
    cr_import__youtube_kind, cr_import__ga4_kind, cr_import__shopify_kind, cr_import__leads_kind,
    cr_import__mentions_kind;

/* Value parsers for the vendors' forms (profiles.c); *why as in util/num.h. */
cr_err
cr_import__parse_when(int64_t *out, const char *s, size_t len, int date_only, const char **why);
cr_err cr_import__parse_duration(double *out, const char *s, size_t len, const char **why);
cr_err cr_import__parse_bool(int64_t *out, const char *s, size_t len);

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
const cr_import_options *cr_import__options(cr_import_ctx *ctx);
/* 1 when the file has a column feeding the kind's column col. */
int cr_import__has_column(cr_import_ctx *ctx, int col);
/* When the import began (the capture time of platform exports without --captured-at). */
int64_t cr_import__started_at(cr_import_ctx *ctx);
/* The creator named by --creator for a platform export (resolved after the header), or 0. */
int64_t cr_import__creator_option(cr_import_ctx *ctx);
/* The preamble's "# Start date:" and "# End date:" (GA4), 0 when absent. */
void cr_import__preamble_range(cr_import_ctx *ctx, int64_t *start, int64_t *end);
/* 1 when this key was passed before in this file (Shopify's order names), else remembers it
 * and returns 0; < 0 on error. */
int cr_import__seen(cr_import_ctx *ctx, const char *key);
/* A problem with the file as a whole (its header, its options): CR_EINVALID. */
cr_err cr_import__file_error(cr_import_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Record a problem with the current row at column index col (-1: the row as a whole). */
cr_err cr_import__row_error(cr_import_ctx *ctx, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
