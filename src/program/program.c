/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * program.c - the workflow map and time logs: the eight stages, checked time logs (one at a
 * time or a CSV, all or nothing), the ranking of stages by time x error, and the iteration
 * review calendar. Pilots are in pilot.c, reviews in review.c, overrides and the audit log in
 * govern.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/program.h"
#include "ingest/csv.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/num.h"

static const char *const stages[] = { "discovery",   "vetting",          "outreach",
                                      "negotiation", "content_approval", "monitoring",
                                      "reporting",   "payment",          NULL };
static const char *const kinds[] = { "vetting_verdict", "shortlist_rank", "forecast",
                                     "calibration_flag", NULL };
static const char *const areas[] = { "mechanics", "interpretation", "escalation", NULL };

static int in_list(const char *const *list, const char *s)
{
    size_t i;

    for (i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

const char *const *cr_program_stages(void)
{
    return stages;
}

int cr_program_stage_known(const char *stage)
{
    return in_list(stages, stage);
}

int cr_program_kind_known(const char *kind)
{
    return in_list(kinds, kind);
}

int cr_program_area_known(const char *area)
{
    return in_list(areas, area);
}

void cr_program_text_free(char *text)
{
    cr_free(text);
}

static cr_err timelog_check(const cr_timelog *t)
{
    if (!cr_program_stage_known(t->stage))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "stage: expected discovery, vetting, outreach, negotiation, "
                            "content_approval, monitoring, reporting or payment, found '%s'",
                            t->stage ? t->stage : "");
    if (!(t->minutes > 0) || !isfinite(t->minutes) || t->minutes > 24 * 60)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "minutes: expected a number of minutes above 0 and at most 1440, "
                            "found %g",
                            t->minutes);
    if (t->errors < 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "errors: expected a count of 0 or more, found %lld",
                            (long long)t->errors);
    return CR_OK;
}

cr_err cr_program_timelog_add(int64_t *out_id, cr_store *st, const cr_timelog *t)
{
    cr_err rc;

    if ((rc = timelog_check(t)) < 0)
        return rc;
    return cr_store_timelog_add(out_id, st, t);
}

/* ---- CSV import ---- */

enum { COL_STAGE, COL_MINUTES, COL_TASK, COL_ERRORS, COL_USER, COL_AT, COL_TOOL, NCOLS };
static const char *const col_names[NCOLS] = { "stage", "minutes", "task",     "errors",
                                              "user",  "at",      "with_tool" };

typedef struct {
    cr_store *st;
    const char *path;
    int header_done;
    int col[NCOLS]; /* field index of each column; -1 when absent */
    int64_t rows;
} import_state;

static cr_err
field_error(const import_state *s, int64_t line, int c, const char *fmt, const char *found)
{
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT, "%s:%lld:%d: %s: expected %s, found '%s'",
                        s->path, (long long)line, s->col[c] + 1, col_names[c], fmt, found);
}

static cr_err import_row(const cr_csv_row *row, void *payload)
{
    import_state *s = payload;
    const char *why = "", *f[NCOLS];
    cr_timelog t;
    size_t i;
    int c;
    double minutes;
    int64_t count;
    cr_err rc;

    if (!s->header_done) {
        for (c = 0; c < NCOLS; c++)
            s->col[c] = -1;
        for (i = 0; i < row->nfields; i++) {
            for (c = 0; c < NCOLS; c++)
                if (strcmp(row->fields[i], col_names[c]) == 0)
                    break;
            if (c == NCOLS)
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                                    "%s:%lld:%zu: header: expected one of stage, minutes, task, "
                                    "errors, user, at, with_tool, found '%s'",
                                    s->path, (long long)row->line, i + 1, row->fields[i]);
            s->col[c] = (int)i;
        }
        if (s->col[COL_STAGE] < 0 || s->col[COL_MINUTES] < 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                                "%s:%lld:1: header: expected the columns stage and minutes",
                                s->path, (long long)row->line);
        s->header_done = 1;
        return CR_OK;
    }
    for (c = 0; c < NCOLS; c++)
        f[c] = s->col[c] >= 0 && (size_t)s->col[c] < row->nfields ? row->fields[s->col[c]] : "";
    memset(&t, 0, sizeof(t));
    t.stage = f[COL_STAGE];
    if (!cr_program_stage_known(t.stage))
        return field_error(s, row->line, COL_STAGE, "a workflow stage (discovery ... payment)",
                           f[COL_STAGE]);
    if (cr_parse_decimal(&minutes, f[COL_MINUTES], strlen(f[COL_MINUTES]), &why) < 0 ||
        !(minutes > 0) || minutes > 1440)
        return field_error(s, row->line, COL_MINUTES, "minutes above 0 and at most 1440",
                           f[COL_MINUTES]);
    t.minutes = minutes;
    t.task = *f[COL_TASK] ? f[COL_TASK] : NULL;
    t.user = *f[COL_USER] ? f[COL_USER] : NULL;
    if (*f[COL_ERRORS]) {
        if (cr_parse_count(&count, f[COL_ERRORS], strlen(f[COL_ERRORS]), &why) < 0)
            return field_error(s, row->line, COL_ERRORS, "a count of 0 or more", f[COL_ERRORS]);
        t.errors = count;
    }
    if (*f[COL_AT]) {
        if (cr_parse_datetime(&t.at, f[COL_AT], strlen(f[COL_AT]), &why) < 0)
            return field_error(s, row->line, COL_AT, "a date such as 2027-03-01", f[COL_AT]);
    } else {
        t.at = cr_now();
    }
    if (*f[COL_TOOL]) {
        if (strcmp(f[COL_TOOL], "1") == 0 || strcmp(f[COL_TOOL], "yes") == 0 ||
            strcmp(f[COL_TOOL], "true") == 0)
            t.with_tool = 1;
        else if (strcmp(f[COL_TOOL], "0") != 0 && strcmp(f[COL_TOOL], "no") != 0 &&
                 strcmp(f[COL_TOOL], "false") != 0)
            return field_error(s, row->line, COL_TOOL, "1, 0, yes, no, true or false", f[COL_TOOL]);
    }
    if ((rc = cr_store_timelog_add(NULL, s->st, &t)) < 0)
        return rc;
    s->rows++;
    return CR_OK;
}

cr_err cr_program_timelog_import(int64_t *out_rows, cr_store *st, const char *path)
{
    import_state s;
    cr_csv_reader r;
    FILE *f;
    cr_err rc;

    memset(&s, 0, sizeof(s));
    s.st = st;
    s.path = path;
    if ((f = fopen(path, "rb")) == NULL)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot be read", path);
    memset(&r, 0, sizeof(r));
    r.name = path;
    r.on_row = import_row;
    r.payload = &s;
    if ((rc = cr_store_begin(st)) < 0) {
        fclose(f);
        return rc;
    }
    rc = cr_csv_read(&r, f);
    fclose(f);
    if (rc == CR_OK && !s.header_done)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT, "%s:1:1: header: the file is empty",
                          path);
    if (rc < 0) {
        cr_store_rollback(st);
        return rc;
    }
    if ((rc = cr_store_commit(st)) < 0)
        return rc;
    if (out_rows)
        *out_rows = s.rows;
    return CR_OK;
}

/* ---- the workflow map ---- */

static cr_err workflow_row(const cr_timelog *t, void *payload)
{
    cr_workflow_stage *w = payload;
    size_t i;

    for (i = 0; i < CR_PROGRAM_NSTAGES; i++)
        if (strcmp(w[i].stage, t->stage) == 0) {
            w[i].tasks++;
            w[i].minutes += t->minutes;
            w[i].errors += t->errors;
        }
    return CR_OK;
}

cr_err cr_program_workflow(cr_workflow_stage out[CR_PROGRAM_NSTAGES],
                           cr_store *st,
                           int64_t since,
                           int64_t until)
{
    size_t i, j;
    cr_err rc;

    memset(out, 0, sizeof(cr_workflow_stage) * CR_PROGRAM_NSTAGES);
    for (i = 0; i < CR_PROGRAM_NSTAGES; i++)
        out[i].stage = stages[i];
    if ((rc = cr_store_timelog_list(st, NULL, since, until ? until : INT64_MAX, workflow_row,
                                    out)) < 0)
        return rc;
    for (i = 0; i < CR_PROGRAM_NSTAGES; i++) {
        cr_workflow_stage *w = &out[i];
        if (w->tasks == 0)
            continue;
        w->minutes_per_task = w->minutes / (double)w->tasks;
        w->errors_per_task = (double)w->errors / (double)w->tasks;
        w->score = w->minutes * (1.0 + w->errors_per_task);
    }
    /* rank: higher score first; ties by stage order (a stable insertion sort) */
    for (i = 1; i < CR_PROGRAM_NSTAGES; i++) {
        cr_workflow_stage k = out[i];
        for (j = i; j > 0 && out[j - 1].score < k.score; j--)
            out[j] = out[j - 1];
        out[j] = k;
    }
    for (i = 0; i < CR_PROGRAM_NSTAGES; i++)
        out[i].rank = out[i].tasks > 0 ? (int)i + 1 : 0;
    return CR_OK;
}

/* ---- the iteration calendar ---- */

int64_t cr_program_add_months(int64_t date, int months)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, m, d, last;
    int64_t total;

    cr_civil_from_days(date / 86400, &y, &m, &d);
    total = (int64_t)y * 12 + (m - 1) + months;
    y = (int)(total / 12);
    m = (int)(total % 12) + 1;
    last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > last)
        d = last;
    return cr_days_from_civil(y, m, d) * 86400;
}

void cr_program_schedule(int64_t *out, size_t n, int64_t go_live)
{
    size_t k;

    /* always from the go-live date, never from the previous review, so that a clamped
     * February does not pull every later review to the 28th */
    for (k = 0; k < n; k++)
        out[k] = cr_program_add_months(go_live, k < 3 ? (int)k + 1 : 3 * ((int)k - 1));
}
