/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * render.h - the report's output formats: JSON (the shape the HTTP API can serve too), one
 * self-contained HTML file with inline SVG charts, CSV (one file per table) and XLSX (one
 * sheet per table). CSV and XLSX print the same tables (cr_report_tables()), so a number is
 * computed once and only its presentation differs. */
#ifndef CR_REPORT_RENDER_H
#define CR_REPORT_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "crest/report.h"

/* How a numeric cell is shown: a count, a fraction shown as a percentage, money in major
 * units, a multiple, seconds, days (a decimal) or a date (unix seconds). */
typedef enum {
    CR_CELL_TEXT,
    CR_CELL_COUNT,
    CR_CELL_RATIO,
    CR_CELL_MONEY,
    CR_CELL_MULTIPLE,
    CR_CELL_SECONDS,
    CR_CELL_DECIMAL,
    CR_CELL_DATE,
    CR_CELL_EMPTY /* no value (a KPI that cannot be computed) */
} cr_cell_kind;

typedef struct {
    cr_cell_kind kind;
    double v;      /* numbers: money already in major units, dates in unix seconds */
    const char *s; /* text; borrowed from the report or a table's own storage */
} cr_cell;

typedef struct {
    char name[32]; /* file / sheet name: "kpis", "leaderboard", ... */
    size_t ncols, nrows;
    const char **cols; /* header names */
    cr_cell *cells;    /* nrows x ncols */
    char **owned;      /* strings made for this table */
    size_t nowned;
} cr_report_table;

/* Every table of the report (campaign: kpis, totals, series, leaderboard, top_posts, funnel,
 * attribution, unattributed, sources, warnings; creator: totals, partnerships, top_posts,
 * funnel, sources, warnings). Free with cr_report_tables_free(). */
cr_err cr_report_tables(cr_report_table **out, size_t *n, const cr_report *r);
void cr_report_tables_free(cr_report_table *t, size_t n);

/* The report as JSON; NULL when out of memory. */
json_t *cr_report_json(const cr_report *r);
/* One self-contained HTML document. */
cr_err cr_report_html(FILE *out, const cr_report *r);
/* One table as CSV (RFC 4180; numbers raw: fractions, major units, ISO dates). */
cr_err cr_report_csv_table(FILE *out, const cr_report_table *t);
/* Every table as DIR/<name>.csv; calls `done` after each file with its path. */
cr_err cr_report_csv_dir(const char *dir,
                         const cr_report *r,
                         void (*done)(const char *path, size_t rows, void *payload),
                         void *payload);
/* The workbook: one sheet per table, numbers as numbers with formats. */
cr_err cr_report_xlsx(const char *path, const cr_report *r);

/* CSV quoting of one field (to a FILE). */
void cr_report_csv_field(FILE *out, const char *s);

#endif
