/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * import.h - CSV imports into the store: one call per file, all-or-nothing by default.
 * Column sets per kind are documented in docs/formats.md and listed by cr_import_kinds(). */
#ifndef CR_IMPORT_H
#define CR_IMPORT_H

#include "crest/store.h"

CR_BEGIN_DECL

#define CR_IMPORT_OPTIONS_VERSION 1

typedef struct {
    unsigned int version;
    int partial;              /* commit valid rows; write rejected ones to rejects_path */
    int force;                /* import even if this exact file was imported before */
    const char *rejects_path; /* NULL: "<file>.rejects.csv" */
    const char *display_name; /* name used in messages; NULL: the path */
    size_t max_issues;        /* problems kept in the result (0: 50) */
    void (*progress)(uint64_t bytes_done, uint64_t bytes_total, void *payload);
    void *progress_payload;
    /* platform exports (instagram, tiktok, youtube) */
    const char *creator; /* the account the export is from, when it has no handle column */
    int64_t captured_at; /* when the numbers were read; 0: the import's start */
    /* "col=field" pairs: the file's column col feeds the kind's field (over the aliases) */
    const char *const *maps;
    size_t nmaps;
} cr_import_options;

#define CR_IMPORT_OPTIONS_INIT                                                       \
    {                                                                                \
        CR_IMPORT_OPTIONS_VERSION, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL, 0 \
    }

/** The kind name that asks cr_import_file() to pick the kind from the header. */
#define CR_IMPORT_KIND_AUTO "auto"

/** One problem with one row: where it is and what was wrong. */
typedef struct {
    int64_t line;      /* 1-based physical line; 0 for the file as a whole */
    int column;        /* 1-based column; 0 when not about one cell */
    char field[48];    /* column name, "" when not about one cell */
    char message[600]; /* "file:line:col: field: expected ..., found ..." */
} cr_import_issue;

typedef struct {
    char kind[24];
    int64_t import_id;     /* 0 when nothing was recorded */
    int64_t rows_read;     /* data rows seen */
    int64_t rows_imported; /* rows written (or that matched what is stored) */
    int64_t rows_rejected;
    int already_imported;       /* the same file was imported before: nothing changed */
    int64_t previous_import_id; /* that earlier import */
    char sha256[65];
    char delimiter;
    char rejects_path[4096]; /* "" unless rejects were written */
    cr_import_issue *issues; /* the first max_issues problems */
    size_t nissues;
    int64_t issues_total;
    char **ignored_columns; /* header names that are not part of this kind */
    size_t nignored;
    int detected;         /* the kind was picked from the header */
    int64_t rows_skipped; /* read but standing for nothing of their own: a YouTube total row,
                             a Shopify order's further line items */
} cr_import_result;

/** Describes one import kind's column. */
typedef struct {
    const char *name;
    const char *type; /* "text", "count", "date", ... */
    int required;
    const char *aliases; /* comma-separated other accepted header names, or NULL */
    const char *help;
} cr_import_column;

typedef struct {
    const char *name;
    const char *summary;
    const char *natural_key;
    const cr_import_column *columns;
    size_t ncolumns;
} cr_import_kind;

/** The import kinds, NULL-terminated; borrowed static data. */
CR_EXTERN(const cr_import_kind *const *) cr_import_kinds(void);
/** One kind by name; NULL when unknown. */
CR_EXTERN(const cr_import_kind *) cr_import_kind_find(const char *name);

/**
 * Import a CSV file.
 * @param out filled in whatever the outcome; dispose with cr_import_result_dispose()
 * @param kind a kind's name, or CR_IMPORT_KIND_AUTO (or NULL): the kind whose required
 *        columns the header matches best; no match or a tie is CR_EINVALID naming the candidates
 * @param path the file, or "-" for standard input
 * @return CR_OK; CR_EINVALID when the file or (without `partial`) any row is invalid, in
 *         which case nothing was written; CR_ENOTFOUND for an unknown kind; CR_EIO, CR_ESTORE
 */
CR_EXTERN(cr_err)
cr_import_file(cr_import_result *out,
               cr_store *st,
               const char *kind,
               const char *path,
               const cr_import_options *opts);

CR_EXTERN(void) cr_import_result_dispose(cr_import_result *res);

CR_END_DECL

#endif /* CR_IMPORT_H */
