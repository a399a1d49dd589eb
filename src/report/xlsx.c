/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * xlsx.c - the report as a workbook (libxlsxwriter): one sheet per table, a bold header row,
 * numbers written as numbers with a number format (percentages, money with two decimals,
 * dates as dates) so that they sum and sort in a spreadsheet. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "report/render.h"

/* Excel's serial date: days since 1899-12-30. */
static double excel_date(double unix_seconds)
{
    return unix_seconds / 86400.0 + 25569.0;
}

cr_err cr_report_xlsx(const char *path, const cr_report *r)
{
    cr_report_table *t = NULL;
    size_t n = 0, i, j, k;
    lxw_workbook *wb = NULL;
    lxw_format *bold, *fmt[CR_CELL_EMPTY + 1];
    lxw_error le;
    cr_err rc;

    if ((rc = cr_report_tables(&t, &n, r)) < 0)
        return rc;
    if ((wb = workbook_new(path)) == NULL) {
        cr_report_tables_free(t, n);
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot create the workbook", path);
    }
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (k = 0; k <= CR_CELL_EMPTY; k++)
        fmt[k] = workbook_add_format(wb);
    format_set_num_format(fmt[CR_CELL_COUNT], "#,##0");
    format_set_num_format(fmt[CR_CELL_RATIO], "0.00%");
    format_set_num_format(fmt[CR_CELL_MONEY], "#,##0.00");
    format_set_num_format(fmt[CR_CELL_MULTIPLE], "0.00\"x\"");
    format_set_num_format(fmt[CR_CELL_SECONDS], "0");
    format_set_num_format(fmt[CR_CELL_DECIMAL], "0.####");
    format_set_num_format(fmt[CR_CELL_DATE], "yyyy-mm-dd");
    for (i = 0; i < n; i++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, t[i].name);
        if (ws == NULL) {
            rc = cr_error_set(CR_ERROR, CR_ERRCLASS_OS, "%s: cannot add sheet %s", path, t[i].name);
            break;
        }
        for (j = 0; j < t[i].ncols; j++)
            worksheet_write_string(ws, 0, (lxw_col_t)j, t[i].cols[j], bold);
        for (k = 0; k < t[i].nrows; k++) {
            for (j = 0; j < t[i].ncols; j++) {
                const cr_cell *c = &t[i].cells[k * t[i].ncols + j];
                lxw_row_t row = (lxw_row_t)(k + 1);
                lxw_col_t col = (lxw_col_t)j;
                if (c->kind == CR_CELL_EMPTY)
                    continue;
                if (c->kind == CR_CELL_TEXT)
                    worksheet_write_string(ws, row, col, c->s, NULL);
                else if (c->kind == CR_CELL_DATE)
                    worksheet_write_number(ws, row, col, excel_date(c->v), fmt[c->kind]);
                else
                    worksheet_write_number(ws, row, col, c->v, fmt[c->kind]);
            }
        }
    }
    le = workbook_close(wb);
    cr_report_tables_free(t, n);
    if (rc == CR_OK && le != LXW_NO_ERROR)
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: writing the workbook: %s", path,
                          lxw_strerror(le));
    return rc;
}
