/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * ratings.c - reading ratings (ratee,rater,criterion,score) from any CSV for the calibration
 * engine: columns found by name in the header (any order, other columns ignored), each
 * distinct name stored once, and every bad cell reported as file:line:column: field, what was
 * expected and what was found. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crest/calibrate.h"
#include "ingest/csv.h"
#include "util/alloc.h"
#include "util/map.h"
#include "util/num.h"

enum { COL_RATEE, COL_RATER, COL_CRITERION, COL_SCORE, NCOLS };

static const char *const col_names[NCOLS] = { "ratee", "rater", "criterion", "score" };

typedef struct {
    const char *path;
    cr_rating_set *out;
    size_t cap, names_cap;
    int header_done;
    int col[NCOLS]; /* field index of each column */
    cr_map names;   /* name -> index into out->names */
} reader;

static cr_err intern(const char **out, reader *r, const char *s, size_t len)
{
    int64_t idx;
    cr_rating_set *set = r->out;
    cr_err rc;

    if (cr_map_get(&idx, &r->names, s, len) == CR_OK) {
        *out = set->names[idx];
        return CR_OK;
    }
    if (set->nnames == r->names_cap) {
        size_t cap = r->names_cap ? r->names_cap * 2 : 256;
        char **a = cr_realloc(set->names, cap * sizeof(*a));

        if (a == NULL)
            return cr_error_oom();
        set->names = a;
        r->names_cap = cap;
    }
    if ((set->names[set->nnames] = cr_strndup(s, len)) == NULL)
        return cr_error_oom();
    if ((rc = cr_map_put(&r->names, s, len, (int64_t)set->nnames)) < 0) {
        cr_free(set->names[set->nnames]);
        return rc;
    }
    *out = set->names[set->nnames++];
    return CR_OK;
}

/* The cell without surrounding blanks. */
static const char *trimmed(const char *s, size_t *len)
{
    size_t n = strlen(s);

    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

static cr_err read_header(reader *r, const cr_csv_row *row)
{
    size_t i, len;
    int c;

    for (c = 0; c < NCOLS; c++)
        r->col[c] = -1;
    for (i = 0; i < row->nfields; i++) {
        const char *s = trimmed(row->fields[i], &len);

        for (c = 0; c < NCOLS; c++)
            if (r->col[c] < 0 && len == strlen(col_names[c]) &&
                strncasecmp(s, col_names[c], len) == 0)
                r->col[c] = (int)i;
    }
    for (c = 0; c < NCOLS; c++)
        if (r->col[c] < 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                                "%s:%lld:1: header: expected the columns ratee, rater, criterion, "
                                "score; found no '%s' column in '%s%s'",
                                r->path, (long long)row->line, col_names[c],
                                row->nfields ? row->fields[0] : "", row->nfields > 1 ? ",..." : "");
    r->header_done = 1;
    return CR_OK;
}

static cr_err on_row(const cr_csv_row *row, void *payload)
{
    reader *r = payload;
    cr_rating_set *set = r->out;
    cr_rating rt;
    const char *why, *s;
    size_t len;
    int c;
    cr_err rc;

    if (!r->header_done)
        return read_header(r, row);
    if (row->nfields == 1 && row->lens[0] == 0)
        return CR_OK; /* a blank line */
    for (c = 0; c < NCOLS; c++)
        if ((size_t)r->col[c] >= row->nfields)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                                "%s:%lld:%d: %s: expected a value, found a row of %zu field%s",
                                r->path, (long long)row->line, r->col[c] + 1, col_names[c],
                                row->nfields, row->nfields == 1 ? "" : "s");
    memset(&rt, 0, sizeof(rt));
    for (c = 0; c < COL_SCORE; c++) {
        const char **dst = c == COL_RATEE ? &rt.ratee : c == COL_RATER ? &rt.rater : &rt.criterion;

        s = trimmed(row->fields[r->col[c]], &len);
        if (len == 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                                "%s:%lld:%d: %s: expected a name, found an empty cell", r->path,
                                (long long)row->line, r->col[c] + 1, col_names[c]);
        if ((rc = intern(dst, r, s, len)) < 0)
            return rc;
    }
    s = trimmed(row->fields[r->col[COL_SCORE]], &len);
    if (cr_parse_decimal(&rt.score, s, len, &why) < 0 || !isfinite(rt.score))
        return cr_error_set(
            CR_EINVALID, CR_ERRCLASS_IMPORT, "%s:%lld:%d: score: expected a number, found '%.*s'",
            r->path, (long long)row->line, r->col[COL_SCORE] + 1, (int)(len > 60 ? 60 : len), s);
    if (set->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        cr_rating *a = cr_realloc(set->ratings, cap * sizeof(*a));

        if (a == NULL)
            return cr_error_oom();
        set->ratings = a;
        r->cap = cap;
    }
    set->ratings[set->n++] = rt;
    return CR_OK;
}

cr_err cr_rating_set_read_csv(cr_rating_set *out, const char *path)
{
    cr_csv_reader cr;
    reader r;
    FILE *f;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.out = out;
    cr_map_init(&r.names);
    if ((f = fopen(path, "rb")) == NULL) {
        cr_map_dispose(&r.names);
        return cr_error_set(errno == ENOENT ? CR_ENOTFOUND : CR_EIO, CR_ERRCLASS_OS,
                            "%s: cannot open: %s", path, strerror(errno));
    }
    memset(&cr, 0, sizeof(cr));
    cr.name = path;
    cr.on_row = on_row;
    cr.payload = &r;
    rc = cr_csv_read(&cr, f);
    fclose(f);
    cr_map_dispose(&r.names);
    if (rc >= 0 && !r.header_done)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                          "%s:1:1: header: expected the columns ratee, rater, criterion, score; "
                          "found an empty file",
                          path);
    if (rc >= 0 && out->n == 0)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                          "%s:2:1: ratee: expected at least one rating, found none", path);
    if (rc < 0)
        cr_rating_set_dispose(out);
    return rc;
}

void cr_rating_set_dispose(cr_rating_set *s)
{
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; i < s->nnames; i++)
        cr_free(s->names[i]);
    cr_free(s->names);
    cr_free(s->ratings);
    memset(s, 0, sizeof(*s));
}
