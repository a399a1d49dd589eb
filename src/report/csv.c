/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * csv.c - report tables as CSV (RFC 4180): a header row, numbers unformatted (fractions for
 * percentages, major units for money, ISO dates) so a spreadsheet or pandas reads them as
 * numbers. `-o DIR` writes one file per table. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "util/date.h"

void cr_report_csv_field(FILE *out, const char *s)
{
    const char *p;

    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static void cell(FILE *out, const cr_cell *c)
{
    char buf[64];

    switch (c->kind) {
    case CR_CELL_TEXT:
        cr_report_csv_field(out, c->s);
        break;
    case CR_CELL_EMPTY:
        break;
    case CR_CELL_DATE:
        fputs(cr_fmt_date(buf, sizeof(buf), (int64_t)c->v), out);
        break;
    case CR_CELL_COUNT:
        fprintf(out, "%.0f", c->v);
        break;
    case CR_CELL_MONEY:
        fprintf(out, "%.2f", c->v);
        break;
    default:
        fprintf(out, "%.10g", c->v);
        break;
    }
}

cr_err cr_report_csv_table(FILE *out, const cr_report_table *t)
{
    size_t i, j;

    for (j = 0; j < t->ncols; j++) {
        if (j)
            fputc(',', out);
        cr_report_csv_field(out, t->cols[j]);
    }
    fputs("\r\n", out);
    for (i = 0; i < t->nrows; i++) {
        for (j = 0; j < t->ncols; j++) {
            if (j)
                fputc(',', out);
            cell(out, &t->cells[i * t->ncols + j]);
        }
        fputs("\r\n", out);
    }
    if (ferror(out))
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "writing table %s: %s", t->name,
                            strerror(errno));
    return CR_OK;
}

cr_err cr_report_csv_dir(const char *dir,
                         const cr_report *r,
                         void (*done)(const char *path, size_t rows, void *payload),
                         void *payload)
{
    cr_report_table *t = NULL;
    size_t n = 0, i;
    char path[4096];
    FILE *f;
    cr_err rc;

    if ((rc = cr_report_tables(&t, &n, r)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s.csv", dir, t[i].name);
        if ((f = fopen(path, "wb")) == NULL) {
            rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot create: %s", path,
                              strerror(errno));
            break;
        }
        rc = cr_report_csv_table(f, &t[i]);
        if (fclose(f) != 0 && rc == CR_OK)
            rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: %s", path, strerror(errno));
        if (rc < 0)
            break;
        if (done)
            done(path, t[i].nrows, payload);
    }
    cr_report_tables_free(t, n);
    return rc;
}
