/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * portable.h - helpers of the SQL written once for every backend (track.c, discover.c,
 * vet.c): typed parameters for PostgreSQL, parameter values, result cells, and the dialect
 * test for the few statements that differ. */
#ifndef CR_STORE_PORTABLE_H
#define CR_STORE_PORTABLE_H

#include <math.h>
#include <string.h>

#include "store/store_int.h"

/* Parameters typed for PostgreSQL (SQLite ignores the casts). */
#define PI(n) "CAST(?" #n " AS BIGINT)"
#define PT(n) "CAST(?" #n " AS TEXT)"
#define PR(n) "CAST(?" #n " AS DOUBLE PRECISION)"

static inline int is_pg(const cr_store *st)
{
    return strcmp(st->be->name, "postgres") == 0;
}

static inline cr_value v_int(int64_t i)
{
    cr_value v;

    memset(&v, 0, sizeof(v));
    v.type = 'I';
    v.i = i;
    return v;
}

/* NAN is NULL */
static inline cr_value v_real(double d)
{
    cr_value v;

    memset(&v, 0, sizeof(v));
    v.type = isnan(d) ? 'N' : 'R';
    v.d = d;
    return v;
}

/* NULL is NULL */
static inline cr_value v_text(const char *s)
{
    cr_value v;

    memset(&v, 0, sizeof(v));
    v.type = s ? 'T' : 'N';
    v.s = s;
    v.len = s ? strlen(s) : 0;
    return v;
}

/* A statement that returns no rows. */
static inline cr_err run(cr_store *st, const char *sql, const cr_value *p, size_t n)
{
    return st->be->query(st->be, sql, p, n, NULL, NULL);
}

static inline int64_t col_i(const cr_value *v)
{
    return v->type == 'I' ? v->i : v->type == 'R' ? (int64_t)v->d : 0;
}

/* NULL is an unknown count */
static inline int64_t col_count(const cr_value *v)
{
    return v->type == 'N' ? CR_COUNT_NONE : col_i(v);
}

static inline double col_d(const cr_value *v)
{
    return v->type == 'R' ? v->d : v->type == 'I' ? (double)v->i : NAN;
}

static inline const char *col_s(const cr_value *v)
{
    return v->type == 'T' ? v->s : NULL;
}

#endif
