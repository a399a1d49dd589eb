/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * calibrate.c - the reviewer-calibration engine (include/crest/calibrate.h).
 *
 * Additive model: y = theta_ratee - severity_rater - difficulty_criterion + e, fitted by
 * alternating least squares (each facet in turn set to the mean of what the others leave,
 * severities centred within each connected component and difficulties overall), finished by
 * one exact step on the reduced normal equations so that a slowly mixing design still ends
 * at the least-squares solution. The standard errors are the exact OLS ones: the ratees are
 * absorbed (they are many, raters and criteria few), which leaves the (R + K) x (R + K)
 * matrix C = X2'X2 - sum_p v_p v_p' / n_p; Cov(severity, difficulty) = sigma^2 C^+, with C^+
 * from (C + UU')^-1 - UU' where U spans the known null space (one vector per component and
 * one for the criteria), or from an eigen-decomposition when C has other null directions.
 *
 * Rasch model: the rating-scale many-facet model log(P_k / P_k-1) = B_ratee - C_rater -
 * D_criterion - F_k, by joint maximum likelihood (one Newton step per element per sweep),
 * ratees with extreme scores left out of the other facets' estimation and measured at their
 * score 0.3 points in from the extreme (as Winsteps and Facets do).
 *
 * docs/calibration.md states every formula. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/calibrate.h"
#include "util/alloc.h"
#include "util/map.h"

#define EXTREME_ADJ   0.3 /* score points an extreme score is pulled in by (Rasch) */
#define RASCH_TOL     1e-7
#define RASCH_MAXITER 2000

typedef struct {
    size_t n, P, R, K, D; /* ratings, ratees, raters, criteria, R + K */
    uint32_t *p, *r, *c;
    double *y;
    size_t *pstart; /* ratings of ratee p: pidx[pstart[p] .. pstart[p + 1]) */
    uint32_t *pidx;
} design;

static void design_dispose(design *d)
{
    cr_free(d->p);
    cr_free(d->r);
    cr_free(d->c);
    cr_free(d->y);
    cr_free(d->pstart);
    cr_free(d->pidx);
}

const char *cr_calibrate_model_name(cr_calibrate_model m)
{
    return m == CR_CALIBRATE_RASCH ? "rasch" : "additive";
}

cr_err cr_calibrate_model_parse(cr_calibrate_model *out, const char *name)
{
    if (strcmp(name, "additive") == 0)
        *out = CR_CALIBRATE_ADDITIVE;
    else if (strcmp(name, "rasch") == 0)
        *out = CR_CALIBRATE_RASCH;
    else
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "model: expected additive or rasch, found '%s'", name);
    return CR_OK;
}

void cr_calibrate_result_free(cr_calibrate_result *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->nraters; i++)
        cr_free(r->raters[i].name);
    for (i = 0; i < r->nratees; i++)
        cr_free(r->ratees[i].name);
    for (i = 0; i < r->ncriteria; i++)
        cr_free(r->criteria[i].name);
    for (i = 0; i < r->ncomponents; i++) {
        cr_free(r->components[i].raters);
        cr_free(r->components[i].ratees);
    }
    cr_free(r->raters);
    cr_free(r->ratees);
    cr_free(r->criteria);
    cr_free(r->components);
    cr_free(r->rotation);
    cr_free(r->thresholds);
    cr_free(r);
}

/* ---- indexing ------------------------------------------------------------------------- */

/* The index of name in one facet, adding it (and its copy in the result) when new. */
static cr_err
facet_index(uint32_t *out, cr_map *m, char ***names, size_t *count, size_t *cap, const char *name)
{
    size_t len = strlen(name);
    int64_t v;
    cr_err rc;

    if (cr_map_get(&v, m, name, len) == CR_OK) {
        *out = (uint32_t)v;
        return CR_OK;
    }
    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        char **a = cr_realloc(*names, ncap * sizeof(*a));

        if (a == NULL)
            return cr_error_oom();
        *names = a;
        *cap = ncap;
    }
    if (((*names)[*count] = cr_strdup(name)) == NULL)
        return cr_error_oom();
    if ((rc = cr_map_put(m, name, len, (int64_t)*count)) < 0) {
        cr_free((*names)[*count]);
        return rc;
    }
    *out = (uint32_t)(*count)++;
    return CR_OK;
}

static cr_err
build_design(design *d, char ***pn, char ***rn, char ***cn, const cr_rating *ratings, size_t n)
{
    cr_map mp, mr, mc;
    size_t capp = 0, capr = 0, capc = 0, i, *fill = NULL;
    cr_err rc = CR_OK;

    cr_map_init(&mp);
    cr_map_init(&mr);
    cr_map_init(&mc);
    d->n = n;
    if ((d->p = cr_malloc(n * sizeof(*d->p))) == NULL ||
        (d->r = cr_malloc(n * sizeof(*d->r))) == NULL ||
        (d->c = cr_malloc(n * sizeof(*d->c))) == NULL ||
        (d->y = cr_malloc(n * sizeof(*d->y))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++) {
        const cr_rating *t = &ratings[i];

        if (t->ratee == NULL || t->rater == NULL || t->criterion == NULL) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "rating %zu: expected a ratee, a rater and a criterion, found a "
                              "missing name",
                              i + 1);
            goto done;
        }
        if (!isfinite(t->score)) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "rating %zu (%s by %s on %s): score: expected a finite number, "
                              "found %g",
                              i + 1, t->ratee, t->rater, t->criterion, t->score);
            goto done;
        }
        if ((rc = facet_index(&d->p[i], &mp, pn, &d->P, &capp, t->ratee)) < 0 ||
            (rc = facet_index(&d->r[i], &mr, rn, &d->R, &capr, t->rater)) < 0 ||
            (rc = facet_index(&d->c[i], &mc, cn, &d->K, &capc, t->criterion)) < 0)
            goto done;
        d->y[i] = t->score;
    }
    d->D = d->R + d->K;
    if ((d->pstart = cr_calloc(d->P + 1, sizeof(*d->pstart))) == NULL ||
        (d->pidx = cr_malloc(n * sizeof(*d->pidx))) == NULL ||
        (fill = cr_calloc(d->P, sizeof(*fill))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++)
        d->pstart[d->p[i] + 1]++;
    for (i = 0; i < d->P; i++)
        d->pstart[i + 1] += d->pstart[i];
    for (i = 0; i < n; i++)
        d->pidx[d->pstart[d->p[i]] + fill[d->p[i]]++] = (uint32_t)i;
done:
    cr_free(fill);
    cr_map_dispose(&mp);
    cr_map_dispose(&mr);
    cr_map_dispose(&mc);
    return rc;
}

/* ---- connectivity --------------------------------------------------------------------- */

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

typedef struct {
    size_t root, size, first;
} comp_key;

static int cmp_comp(const void *a, const void *b)
{
    const comp_key *x = a, *y = b;

    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

/* Components of the rater x ratee graph (nodes: ratees 0..P-1, raters P..P+R-1), largest
 * first, and the rotation that joins every other component to the largest. */
static cr_err connect(cr_calibrate_result *res, design *d)
{
    size_t N = d->P + d->R, i, k, nc = 0, *parent = NULL, *label = NULL, *cursor = NULL;
    size_t *order = NULL, nord = 0, rr = 0;
    comp_key *keys = NULL;
    cr_err rc = CR_OK;

    if ((parent = cr_malloc(N * sizeof(*parent))) == NULL ||
        (label = cr_malloc(N * sizeof(*label))) == NULL ||
        (keys = cr_calloc(N, sizeof(*keys))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < N; i++)
        parent[i] = i;
    for (i = 0; i < d->n; i++) {
        size_t a = uf_find(parent, d->p[i]), b = uf_find(parent, d->P + d->r[i]);

        if (a != b)
            parent[a < b ? b : a] = a < b ? a : b;
    }
    for (i = 0; i < N; i++)
        label[i] = SIZE_MAX;
    for (i = 0; i < N; i++) {
        size_t root = uf_find(parent, i);

        if (label[root] == SIZE_MAX) {
            label[root] = nc;
            keys[nc].root = root;
            keys[nc].first = i;
            nc++;
        }
        keys[label[root]].size++;
    }
    cr_qsort(keys, nc, sizeof(*keys), cmp_comp);
    for (k = 0; k < nc; k++)
        label[keys[k].root] = k;
    if ((res->components = cr_calloc(nc, sizeof(*res->components))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    res->ncomponents = nc;
    if ((cursor = cr_calloc(nc * 2, sizeof(*cursor))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < d->P; i++) {
        res->ratees[i].component = label[uf_find(parent, i)];
        res->components[res->ratees[i].component].nratees++;
    }
    for (i = 0; i < d->R; i++) {
        res->raters[i].component = label[uf_find(parent, d->P + i)];
        res->components[res->raters[i].component].nraters++;
    }
    for (k = 0; k < nc; k++) {
        cr_calibrate_component *cp = &res->components[k];

        if ((cp->raters = cr_malloc((cp->nraters ? cp->nraters : 1) * sizeof(size_t))) == NULL ||
            (cp->ratees = cr_malloc((cp->nratees ? cp->nratees : 1) * sizeof(size_t))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
    }
    for (i = 0; i < d->P; i++) {
        k = res->ratees[i].component;
        res->components[k].ratees[cursor[2 * k]++] = i;
    }
    for (i = 0; i < d->R; i++) {
        k = res->raters[i].component;
        res->components[k].raters[cursor[2 * k + 1]++] = i;
    }
    if (nc < 2)
        goto done;
    /* The rotation: the least-loaded raters of the largest component, in turn, each also
     * review the least-rated ratee of one other component. */
    if ((res->rotation = cr_calloc(nc - 1, sizeof(*res->rotation))) == NULL ||
        (order = cr_malloc(res->components[0].nraters * sizeof(*order))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < res->components[0].nraters; i++) {
        size_t j = nord, x = res->components[0].raters[i];

        while (j > 0 && res->raters[order[j - 1]].n > res->raters[x].n) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
        nord++;
    }
    for (k = 1; k < nc; k++) {
        const cr_calibrate_component *cp = &res->components[k];
        size_t best = cp->ratees[0];

        for (i = 1; i < cp->nratees; i++)
            if (res->ratees[cp->ratees[i]].n < res->ratees[best].n)
                best = cp->ratees[i];
        res->rotation[res->nrotation].rater = order[rr++ % nord];
        res->rotation[res->nrotation].ratee = best;
        res->nrotation++;
    }
done:
    cr_free(parent);
    cr_free(label);
    cr_free(keys);
    cr_free(cursor);
    cr_free(order);
    return rc;
}

/* ---- linear algebra (small dense symmetric matrices) ---------------------------------- */

/* Inverse of a symmetric positive definite matrix (n x n, row-major) by Cholesky; returns
 * -1 when a pivot is not clearly positive (the matrix is singular). */
static int spd_inverse(double *inv, const double *a, size_t n, double *work)
{
    double *L = work, scale = 0;
    size_t i, j, k;

    for (i = 0; i < n; i++)
        if (a[i * n + i] > scale)
            scale = a[i * n + i];
    for (i = 0; i < n; i++) {
        for (j = 0; j <= i; j++) {
            double s = a[i * n + j];

            for (k = 0; k < j; k++)
                s -= L[i * n + k] * L[j * n + k];
            if (i == j) {
                if (s <= 1e-10 * (scale > 0 ? scale : 1))
                    return -1;
                L[i * n + i] = sqrt(s);
            } else {
                L[i * n + j] = s / L[j * n + j];
            }
        }
        for (j = i + 1; j < n; j++)
            L[i * n + j] = 0;
    }
    /* solve L L' X = I column by column */
    for (j = 0; j < n; j++) {
        double *x = inv + j * n; /* column j, stored as row j (the inverse is symmetric) */

        for (i = 0; i < n; i++) {
            double s = i == j ? 1 : 0;

            for (k = 0; k < i; k++)
                s -= L[i * n + k] * x[k];
            x[i] = s / L[i * n + i];
        }
        for (i = n; i-- > 0;) {
            double s = x[i];

            for (k = i + 1; k < n; k++)
                s -= L[k * n + i] * x[k];
            x[i] = s / L[i * n + i];
        }
    }
    return 0;
}

/* Moore-Penrose inverse of a symmetric matrix by cyclic Jacobi rotations; *rank receives the
 * number of eigenvalues above 1e-9 times the largest. */
static cr_err sym_pinv(double *pinv, size_t *rank, const double *a, size_t n)
{
    double *A = NULL, *V = NULL, big = 0;
    size_t i, j, k, p, q, sweep;
    cr_err rc = CR_OK;

    if ((A = cr_malloc(n * n * sizeof(*A))) == NULL || (V = cr_calloc(n * n, sizeof(*V))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    memcpy(A, a, n * n * sizeof(*A));
    for (i = 0; i < n; i++)
        V[i * n + i] = 1;
    for (sweep = 0; sweep < 100; sweep++) {
        double off = 0, diag = 0;

        for (p = 0; p < n; p++)
            for (q = 0; q < n; q++)
                if (p == q)
                    diag += A[p * n + q] * A[p * n + q];
                else
                    off += A[p * n + q] * A[p * n + q];
        if (off <= 1e-30 * (diag > 0 ? diag : 1))
            break;
        for (p = 0; p < n; p++)
            for (q = p + 1; q < n; q++) {
                double apq = A[p * n + q], theta, t, cs, sn;

                if (fabs(apq) < 1e-300)
                    continue;
                theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
                t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                cs = 1 / sqrt(t * t + 1);
                sn = t * cs;
                for (k = 0; k < n; k++) {
                    double akp = A[k * n + p], akq = A[k * n + q];

                    A[k * n + p] = cs * akp - sn * akq;
                    A[k * n + q] = sn * akp + cs * akq;
                }
                for (k = 0; k < n; k++) {
                    double apk = A[p * n + k], aqk = A[q * n + k];

                    A[p * n + k] = cs * apk - sn * aqk;
                    A[q * n + k] = sn * apk + cs * aqk;
                }
                for (k = 0; k < n; k++) {
                    double vkp = V[k * n + p], vkq = V[k * n + q];

                    V[k * n + p] = cs * vkp - sn * vkq;
                    V[k * n + q] = sn * vkp + cs * vkq;
                }
            }
    }
    for (i = 0; i < n; i++)
        if (fabs(A[i * n + i]) > big)
            big = fabs(A[i * n + i]);
    memset(pinv, 0, n * n * sizeof(*pinv));
    *rank = 0;
    for (k = 0; k < n; k++) {
        double lam = A[k * n + k];

        if (lam <= 1e-9 * big)
            continue;
        (*rank)++;
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                pinv[i * n + j] += V[i * n + k] * V[j * n + k] / lam;
    }
done:
    cr_free(A);
    cr_free(V);
    return rc;
}

/* ---- the additive model --------------------------------------------------------------- */

/* Centre severities within each component and difficulties overall, moving the ratee
 * measures so that every fitted value stays the same. */
static void
center_additive(const cr_calibrate_result *res, const design *d, double *th, double *s, double *f)
{
    size_t i, k;
    double mf = 0;

    for (k = 0; k < res->ncomponents; k++) {
        const cr_calibrate_component *cp = &res->components[k];
        double m = 0;

        for (i = 0; i < cp->nraters; i++)
            m += s[cp->raters[i]];
        m /= (double)cp->nraters;
        for (i = 0; i < cp->nraters; i++)
            s[cp->raters[i]] -= m;
        for (i = 0; i < cp->nratees; i++)
            th[cp->ratees[i]] -= m;
    }
    for (i = 0; i < d->K; i++)
        mf += f[i];
    mf /= (double)d->K;
    for (i = 0; i < d->K; i++)
        f[i] -= mf;
    for (i = 0; i < d->P; i++)
        th[i] -= mf;
}

/* C = X2'X2 - sum_p v_p v_p' / n_p over the rater and criterion columns (D x D). */
static void reduced_matrix(double *C, const design *d, double *v, size_t *touched)
{
    size_t D = d->D, i, j, p, nt;

    memset(C, 0, D * D * sizeof(*C));
    for (i = 0; i < d->n; i++) {
        size_t r = d->r[i], c = d->R + d->c[i];

        C[r * D + r] += 1;
        C[c * D + c] += 1;
        C[r * D + c] += 1;
        C[c * D + r] += 1;
    }
    for (p = 0; p < d->P; p++) {
        double np = (double)(d->pstart[p + 1] - d->pstart[p]);

        nt = 0;
        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++) {
            size_t idx[2] = { d->r[d->pidx[i]], d->R + d->c[d->pidx[i]] }, t;

            for (t = 0; t < 2; t++) {
                if (v[idx[t]] == 0)
                    touched[nt++] = idx[t];
                v[idx[t]] += 1;
            }
        }
        for (i = 0; i < nt; i++)
            for (j = 0; j < nt; j++)
                C[touched[i] * D + touched[j]] -= v[touched[i]] * v[touched[j]] / np;
        for (i = 0; i < nt; i++)
            v[touched[i]] = 0;
    }
}

/* C^+ (D x D) and the rank of C. */
static cr_err reduced_pinv(
    double *Cp, size_t *rank, const double *C, const cr_calibrate_result *res, const design *d)
{
    size_t D = d->D, i, j, k;
    double *M = NULL, *U = NULL, *work = NULL;
    size_t nu = res->ncomponents + 1;
    cr_err rc = CR_OK;

    if ((M = cr_malloc(D * D * sizeof(*M))) == NULL ||
        (U = cr_calloc(nu * D, sizeof(*U))) == NULL ||
        (work = cr_malloc(D * D * sizeof(*work))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (k = 0; k < res->ncomponents; k++) {
        const cr_calibrate_component *cp = &res->components[k];

        for (i = 0; i < cp->nraters; i++)
            U[k * D + cp->raters[i]] = 1 / sqrt((double)cp->nraters);
    }
    for (i = 0; i < d->K; i++)
        U[res->ncomponents * D + d->R + i] = 1 / sqrt((double)d->K);
    memcpy(M, C, D * D * sizeof(*M));
    for (k = 0; k < nu; k++)
        for (i = 0; i < D; i++)
            if (U[k * D + i] != 0)
                for (j = 0; j < D; j++)
                    M[i * D + j] += U[k * D + i] * U[k * D + j];
    if (spd_inverse(Cp, M, D, work) == 0) {
        for (k = 0; k < nu; k++)
            for (i = 0; i < D; i++)
                if (U[k * D + i] != 0)
                    for (j = 0; j < D; j++)
                        Cp[i * D + j] -= U[k * D + i] * U[k * D + j];
        *rank = D - nu;
    } else {
        /* other null directions (a criterion used by one rater only, ...): the general way */
        rc = sym_pinv(Cp, rank, C, D);
    }
done:
    cr_free(M);
    cr_free(U);
    cr_free(work);
    return rc;
}

/* res->confounded for a model that does not build C itself (Rasch): the rank of C. */
static cr_err check_identified(cr_calibrate_result *res, const design *d)
{
    size_t D = d->D, rank = 0;
    double *C = NULL, *Cp = NULL, *v = NULL;
    size_t *touched = NULL;
    cr_err rc = CR_OK;

    if ((C = cr_malloc(D * D * sizeof(*C))) == NULL ||
        (Cp = cr_malloc(D * D * sizeof(*Cp))) == NULL || (v = cr_calloc(D, sizeof(*v))) == NULL ||
        (touched = cr_malloc(2 * D * sizeof(*touched))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    reduced_matrix(C, d, v, touched);
    if ((rc = reduced_pinv(Cp, &rank, C, res, d)) >= 0)
        res->confounded = D - (res->ncomponents + 1) - rank;
done:
    cr_free(C);
    cr_free(Cp);
    cr_free(v);
    cr_free(touched);
    return rc;
}

/* Infit (sum e^2 / sum Var e) and outfit (mean z^2) of raters and ratees. */
static cr_err additive_fit(
    cr_calibrate_result *res, const design *d, const double *e, const double *h, double sigma2)
{
    double *fr = NULL, *fp = NULL; /* per element: sum z^2, sum e^2, sum Var e, count */
    size_t i;

    if ((fr = cr_calloc(4 * d->R, sizeof(*fr))) == NULL ||
        (fp = cr_calloc(4 * d->P, sizeof(*fp))) == NULL) {
        cr_free(fr);
        return cr_error_oom();
    }
    for (i = 0; i < d->n; i++) {
        double var = sigma2 * (1 - h[i]), z2, *a = fr + 4 * d->r[i], *b = fp + 4 * d->p[i];

        if (!(var > 1e-9 * sigma2))
            continue;
        z2 = e[i] * e[i] / var;
        a[0] += z2, a[1] += e[i] * e[i], a[2] += var, a[3] += 1;
        b[0] += z2, b[1] += e[i] * e[i], b[2] += var, b[3] += 1;
    }
    for (i = 0; i < d->R; i++) {
        const double *a = fr + 4 * i;

        res->raters[i].outfit = a[3] > 0 ? a[0] / a[3] : NAN;
        res->raters[i].infit = a[3] > 0 ? a[1] / a[2] : NAN;
    }
    for (i = 0; i < d->P; i++) {
        const double *b = fp + 4 * i;

        res->ratees[i].outfit = b[3] > 0 ? b[0] / b[3] : NAN;
        res->ratees[i].infit = b[3] > 0 ? b[1] / b[2] : NAN;
    }
    cr_free(fr);
    cr_free(fp);
    return CR_OK;
}

static cr_err fit_additive(cr_calibrate_result *res, const design *d, const cr_calibrate_options *o)
{
    size_t n = d->n, P = d->P, R = d->R, K = d->K, D = d->D, i, j, p, it, rank = 0;
    double *th = NULL, *s = NULL, *f = NULL, *acc = NULL, *e = NULL, *C = NULL, *Cp = NULL;
    double *v = NULL, *g = NULL, *q = NULL, *h = NULL, rss = 0, sigma2;
    size_t *cnt = NULL, *touched = NULL;
    cr_err rc = CR_OK;

    if ((th = cr_calloc(P, sizeof(*th))) == NULL || (s = cr_calloc(R, sizeof(*s))) == NULL ||
        (f = cr_calloc(K, sizeof(*f))) == NULL ||
        (acc = cr_calloc(P > D ? P : D, sizeof(*acc))) == NULL ||
        (e = cr_malloc(n * sizeof(*e))) == NULL || (C = cr_malloc(D * D * sizeof(*C))) == NULL ||
        (Cp = cr_malloc(D * D * sizeof(*Cp))) == NULL || (v = cr_calloc(D, sizeof(*v))) == NULL ||
        (g = cr_calloc(D, sizeof(*g))) == NULL || (q = cr_calloc(D, sizeof(*q))) == NULL ||
        (h = cr_malloc(n * sizeof(*h))) == NULL ||
        (cnt = cr_calloc(P > D ? P : D, sizeof(*cnt))) == NULL ||
        (touched = cr_malloc(2 * D * sizeof(*touched))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    /* alternating least squares */
    res->converged = 0;
    for (it = 0; it < o->max_iter; it++) {
        double change = 0, old;

        for (p = 0; p < P; p++) {
            double sum = 0;

            for (i = d->pstart[p]; i < d->pstart[p + 1]; i++) {
                j = d->pidx[i];
                sum += d->y[j] + s[d->r[j]] + f[d->c[j]];
            }
            old = th[p];
            th[p] = sum / (double)(d->pstart[p + 1] - d->pstart[p]);
            if (fabs(th[p] - old) > change)
                change = fabs(th[p] - old);
        }
        memset(acc, 0, D * sizeof(*acc));
        memset(cnt, 0, D * sizeof(*cnt));
        for (i = 0; i < n; i++) {
            acc[d->r[i]] += th[d->p[i]] - f[d->c[i]] - d->y[i];
            cnt[d->r[i]]++;
        }
        for (i = 0; i < R; i++) {
            old = s[i];
            s[i] = acc[i] / (double)cnt[i];
            if (fabs(s[i] - old) > change)
                change = fabs(s[i] - old);
        }
        if (K > 1) {
            memset(acc, 0, D * sizeof(*acc));
            memset(cnt, 0, D * sizeof(*cnt));
            for (i = 0; i < n; i++) {
                acc[d->c[i]] += th[d->p[i]] - s[d->r[i]] - d->y[i];
                cnt[d->c[i]]++;
            }
            for (i = 0; i < K; i++) {
                old = f[i];
                f[i] = acc[i] / (double)cnt[i];
                if (fabs(f[i] - old) > change)
                    change = fabs(f[i] - old);
            }
        }
        center_additive(res, d, th, s, f);
        if (change < o->tolerance) {
            res->converged = 1;
            it++;
            break;
        }
    }
    res->iterations = (unsigned int)it;

    /* the reduced normal equations: their pseudo-inverse gives the SEs and the final step */
    reduced_matrix(C, d, v, touched);
    if ((rc = reduced_pinv(Cp, &rank, C, res, d)) < 0)
        goto done;
    res->confounded = D - (res->ncomponents + 1) - rank;
    for (i = 0; i < n; i++)
        e[i] = d->y[i] - (th[d->p[i]] - s[d->r[i]] - f[d->c[i]]);
    memset(v, 0, D * sizeof(*v));
    for (p = 0; p < P; p++) {
        double m = 0;

        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++)
            m += e[d->pidx[i]];
        m /= (double)(d->pstart[p + 1] - d->pstart[p]);
        acc[p] = m;
        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++) {
            j = d->pidx[i];
            v[d->r[j]] += e[j] - m;
            v[R + d->c[j]] += e[j] - m;
        }
    }
    for (i = 0; i < D; i++) {
        double sum = 0;

        for (j = 0; j < D; j++)
            sum += Cp[i * D + j] * v[j];
        g[i] = sum; /* the step of (-severity, -difficulty) */
    }
    for (p = 0; p < P; p++) {
        double corr = 0;

        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++) {
            j = d->pidx[i];
            corr += g[d->r[j]] + g[R + d->c[j]];
        }
        th[p] += acc[p] - corr / (double)(d->pstart[p + 1] - d->pstart[p]);
    }
    for (i = 0; i < R; i++)
        s[i] -= g[i];
    for (i = 0; i < K; i++)
        f[i] -= g[R + i];
    center_additive(res, d, th, s, f);
    for (i = 0; i < n; i++) {
        e[i] = d->y[i] - (th[d->p[i]] - s[d->r[i]] - f[d->c[i]]);
        rss += e[i] * e[i];
    }
    res->df = (double)n - (double)P - (double)rank;
    sigma2 = res->df > 0 ? rss / res->df : NAN;
    res->sigma = sqrt(sigma2);

    for (i = 0; i < R; i++) {
        res->raters[i].severity = s[i];
        res->raters[i].se = sqrt(sigma2 * fmax(Cp[i * D + i], 0));
    }
    for (i = 0; i < K; i++) {
        res->criteria[i].difficulty = f[i];
        res->criteria[i].se = sqrt(sigma2 * fmax(Cp[(R + i) * D + R + i], 0));
    }
    /* ratees: Var(theta_p) = sigma^2 (1/n_p + a_p' C^+ a_p), a_p = v_p / n_p; the leverage
     * of each rating h = 1/n_p + w' C^+ w with w = x2 - a_p */
    memset(v, 0, D * sizeof(*v));
    for (p = 0; p < P; p++) {
        double np = (double)(d->pstart[p + 1] - d->pstart[p]), quad = 0;
        size_t nt = 0, t;

        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++) {
            size_t idx[2] = { d->r[d->pidx[i]], R + d->c[d->pidx[i]] };

            for (t = 0; t < 2; t++) {
                if (v[idx[t]] == 0)
                    touched[nt++] = idx[t];
                v[idx[t]] += 1 / np;
            }
        }
        for (j = 0; j < D; j++) {
            double sum = 0;

            for (t = 0; t < nt; t++)
                sum += Cp[j * D + touched[t]] * v[touched[t]];
            q[j] = sum;
        }
        for (t = 0; t < nt; t++)
            quad += v[touched[t]] * q[touched[t]];
        res->ratees[p].measure = th[p];
        res->ratees[p].measure_se = sqrt(sigma2 * (1 / np + fmax(quad, 0)));
        res->ratees[p].fair = th[p];
        res->ratees[p].fair_se = res->ratees[p].measure_se;
        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++) {
            size_t k = d->pidx[i], r = d->r[k], c = R + d->c[k];

            h[k] = 1 / np + Cp[r * D + r] + Cp[c * D + c] + 2 * Cp[r * D + c] - 2 * (q[r] + q[c]) +
                   quad;
        }
        for (t = 0; t < nt; t++)
            v[touched[t]] = 0;
    }
    /* fit: standardized residuals e / (sigma sqrt(1 - h)); ratings with h ~ 1 (a ratee's
     * only rating) carry no information about fit and are left out */
    if ((rc = additive_fit(res, d, e, h, sigma2)) < 0)
        goto done;
done:
    cr_free(th);
    cr_free(s);
    cr_free(f);
    cr_free(acc);
    cr_free(e);
    cr_free(C);
    cr_free(Cp);
    cr_free(v);
    cr_free(g);
    cr_free(q);
    cr_free(h);
    cr_free(cnt);
    cr_free(touched);
    return rc;
}

/* ---- the Rasch rating-scale model ----------------------------------------------------- */

typedef struct {
    size_t m;          /* categories 0..m */
    const double *cum; /* cum[k] = F_1 + ... + F_k, cum[0] = 0 */
    double *pk;        /* m + 1 probabilities */
} rsm;

/* Category probabilities at eta = B - C - D; returns the expectation, *var its variance. */
static double rsm_prob(const rsm *s, double eta, double *var)
{
    double mx = -INFINITY, sum = 0, ex = 0, ex2 = 0;
    size_t k;

    for (k = 0; k <= s->m; k++) {
        s->pk[k] = (double)k * eta - s->cum[k];
        if (s->pk[k] > mx)
            mx = s->pk[k];
    }
    for (k = 0; k <= s->m; k++)
        sum += (s->pk[k] = exp(s->pk[k] - mx));
    for (k = 0; k <= s->m; k++) {
        s->pk[k] /= sum;
        ex += (double)k * s->pk[k];
        ex2 += (double)k * (double)k * s->pk[k];
    }
    *var = ex2 - ex * ex;
    return ex;
}

static double clamp1(double x)
{
    return x > 1 ? 1 : x < -1 ? -1 : x;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Standard errors (model SEs from the information), fit mean-squares and fair scores at the
 * final estimates. */
static cr_err rasch_report(cr_calibrate_result *res,
                           const design *d,
                           const rsm *s,
                           const uint32_t *x,
                           const double *vals,
                           const double *B,
                           const double *Cr,
                           const double *Dc,
                           const int *ext)
{
    size_t R = d->R, K = d->K, P = d->P, i, k, nz = 0;
    double *fr = NULL, *fc = NULL, *fp = NULL, z2sum = 0; /* sum V, sum (x-E)^2, sum z^2, n */

    if ((fr = cr_calloc(4 * R, sizeof(*fr))) == NULL ||
        (fc = cr_calloc(4 * K, sizeof(*fc))) == NULL ||
        (fp = cr_calloc(4 * P, sizeof(*fp))) == NULL) {
        cr_free(fr);
        cr_free(fc);
        return cr_error_oom();
    }
    for (i = 0; i < d->n; i++) {
        double v, e = rsm_prob(s, B[d->p[i]] - Cr[d->r[i]] - Dc[d->c[i]], &v);
        double r2 = ((double)x[i] - e) * ((double)x[i] - e), z2 = v > 0 ? r2 / v : 0;
        double *a = fp + 4 * d->p[i];

        a[0] += v, a[1] += r2, a[2] += z2, a[3] += 1;
        if (ext[d->p[i]])
            continue;
        a = fr + 4 * d->r[i];
        a[0] += v, a[1] += r2, a[2] += z2, a[3] += 1;
        a = fc + 4 * d->c[i];
        a[0] += v, a[1] += r2, a[2] += z2, a[3] += 1;
        z2sum += z2;
        nz++;
    }
    for (i = 0; i < R; i++) {
        const double *a = fr + 4 * i;

        res->raters[i].severity = Cr[i];
        res->raters[i].se = a[0] > 0 ? 1 / sqrt(a[0]) : NAN;
        res->raters[i].infit = a[0] > 0 ? a[1] / a[0] : NAN;
        res->raters[i].outfit = a[3] > 0 ? a[2] / a[3] : NAN;
    }
    for (i = 0; i < K; i++) {
        res->criteria[i].difficulty = Dc[i];
        res->criteria[i].se = K > 1 && fc[4 * i] > 0 ? 1 / sqrt(fc[4 * i]) : K > 1 ? NAN : 0;
    }
    for (i = 0; i < P; i++) {
        const double *a = fp + 4 * i;
        double v, e, slope = 0, fair = 0;

        res->ratees[i].measure = B[i];
        res->ratees[i].measure_se = a[0] > 0 ? 1 / sqrt(a[0]) : NAN;
        res->ratees[i].infit = ext[i] || a[0] <= 0 ? NAN : a[1] / a[0];
        res->ratees[i].outfit = ext[i] ? NAN : a[2] / a[3];
        /* fair score: the expected score against a rater and a criterion at the centre (0) */
        e = rsm_prob(s, B[i], &v);
        for (k = 0; k <= s->m; k++) {
            fair += vals[k] * s->pk[k];
            slope += vals[k] * s->pk[k] * ((double)k - e);
        }
        res->ratees[i].fair = fair;
        res->ratees[i].fair_se = fabs(slope) * res->ratees[i].measure_se;
    }
    res->sigma = nz ? sqrt(z2sum / (double)nz) : NAN;
    res->df = NAN;
    cr_free(fr);
    cr_free(fc);
    cr_free(fp);
    return CR_OK;
}

static cr_err fit_rasch(cr_calibrate_result *res, const design *d, const cr_calibrate_options *o)
{
    size_t n = d->n, P = d->P, R = d->R, K = d->K, i, j, k, p, it, m, nv = 0;
    double *vals = NULL, *B = NULL, *Cr = NULL, *Dc = NULL, *F = NULL, *cum = NULL, *pk = NULL;
    double *acc = NULL, *inf = NULL, *obs = NULL, *ex = NULL, *tinf = NULL, tol;
    uint32_t *x = NULL;
    int *ext = NULL; /* per ratee: -1, 0, +1 */
    rsm s;
    cr_err rc = CR_OK;

    if ((vals = cr_malloc(n * sizeof(*vals))) == NULL || (x = cr_malloc(n * sizeof(*x))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (d->y[i] != floor(d->y[i])) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "rating %zu: score: expected a whole number for the Rasch model, "
                              "found %g",
                              i + 1, d->y[i]);
            goto done;
        }
        vals[i] = d->y[i];
    }
    /* categories: the distinct observed scores in order (an unobserved score between two
     * observed ones is skipped, as Facets' "Ordinal" does) */
    cr_qsort(vals, n, sizeof(*vals), cmp_dbl);
    for (i = 0; i < n; i++)
        if (nv == 0 || vals[i] != vals[nv - 1])
            vals[nv++] = vals[i];
    if (nv < 2) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "score: expected at least two different scores for the Rasch model, "
                          "found only %g",
                          vals[0]);
        goto done;
    }
    m = nv - 1;
    for (i = 0; i < n; i++) {
        size_t lo = 0, hi = nv - 1;

        while (lo < hi) {
            size_t mid = (lo + hi) / 2;

            if (vals[mid] < d->y[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        x[i] = (uint32_t)lo;
    }
    if ((B = cr_calloc(P, sizeof(*B))) == NULL || (Cr = cr_calloc(R, sizeof(*Cr))) == NULL ||
        (Dc = cr_calloc(K, sizeof(*Dc))) == NULL || (F = cr_calloc(m + 1, sizeof(*F))) == NULL ||
        (cum = cr_calloc(m + 1, sizeof(*cum))) == NULL ||
        (pk = cr_calloc(m + 1, sizeof(*pk))) == NULL ||
        (acc = cr_calloc(P > R + K ? P : R + K, sizeof(*acc))) == NULL ||
        (inf = cr_calloc(P > R + K ? P : R + K, sizeof(*inf))) == NULL ||
        (obs = cr_calloc(m + 1, sizeof(*obs))) == NULL ||
        (ex = cr_calloc(m + 1, sizeof(*ex))) == NULL ||
        (tinf = cr_calloc(m + 1, sizeof(*tinf))) == NULL ||
        (ext = cr_calloc(P, sizeof(*ext))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    s.m = m;
    s.cum = cum;
    s.pk = pk;
    /* extreme ratees, and a start from each ratee's mean category */
    for (p = 0; p < P; p++) {
        double sum = 0, np = (double)(d->pstart[p + 1] - d->pstart[p]), mean;

        for (i = d->pstart[p]; i < d->pstart[p + 1]; i++)
            sum += x[d->pidx[i]];
        ext[p] = sum == 0 ? -1 : sum == (double)m * np ? 1 : 0;
        res->ratees[p].extreme = ext[p];
        mean = (sum + 0.5) / ((double)m * np + 1);
        B[p] = log(mean / (1 - mean));
    }
    for (i = 0; i < n; i++)
        if (!ext[d->p[i]])
            obs[x[i]] += 1;
    for (k = m; k-- > 0;)
        obs[k] += obs[k + 1]; /* obs[k] = ratings in category k or above */
    tol = o->tolerance > RASCH_TOL ? o->tolerance : RASCH_TOL;
    res->converged = 0;
    for (it = 0; it < RASCH_MAXITER && it < o->max_iter; it++) {
        double change = 0, step, v;

        /* ratees (all of them; extreme ones aim at their score 0.3 points in) */
        memset(acc, 0, P * sizeof(*acc));
        memset(inf, 0, P * sizeof(*inf));
        for (i = 0; i < n; i++) {
            double e = rsm_prob(&s, B[d->p[i]] - Cr[d->r[i]] - Dc[d->c[i]], &v);

            acc[d->p[i]] += (double)x[i] - e;
            inf[d->p[i]] += v;
        }
        for (p = 0; p < P; p++) {
            double adj = ext[p] < 0 ? EXTREME_ADJ : ext[p] > 0 ? -EXTREME_ADJ : 0;

            step = clamp1((acc[p] + adj) / fmax(inf[p], 1e-9));
            B[p] += step;
            if (fabs(step) > change)
                change = fabs(step);
        }
        /* raters, then criteria and thresholds (Gauss-Seidel: each pass sees the previous
         * one's update, which keeps two facets that explain the same ratings from both
         * taking the same step), from the ratings of non-extreme ratees only */
        memset(acc, 0, (R + K) * sizeof(*acc));
        memset(inf, 0, (R + K) * sizeof(*inf));
        for (i = 0; i < n; i++) {
            if (ext[d->p[i]])
                continue;
            acc[d->r[i]] += (double)x[i] - rsm_prob(&s, B[d->p[i]] - Cr[d->r[i]] - Dc[d->c[i]], &v);
            inf[d->r[i]] += v;
        }
        for (j = 0; j < R; j++) {
            step = clamp1(acc[j] / fmax(inf[j], 1e-9));
            Cr[j] -= step;
            if (fabs(step) > change)
                change = fabs(step);
        }
        memset(ex, 0, (m + 1) * sizeof(*ex));
        memset(tinf, 0, (m + 1) * sizeof(*tinf));
        for (i = 0; i < n; i++) {
            double e, ge = 0;

            if (ext[d->p[i]])
                continue;
            e = rsm_prob(&s, B[d->p[i]] - Cr[d->r[i]] - Dc[d->c[i]], &v);
            acc[R + d->c[i]] += (double)x[i] - e;
            inf[R + d->c[i]] += v;
            for (k = m; k >= 1; k--) {
                ge += pk[k];
                ex[k] += ge;
                tinf[k] += ge * (1 - ge);
            }
        }
        for (j = 0; j < K && K > 1; j++) {
            step = clamp1(acc[R + j] / fmax(inf[R + j], 1e-9));
            Dc[j] -= step;
            if (fabs(step) > change)
                change = fabs(step);
        }
        for (k = 1; k <= m; k++) {
            step = clamp1((obs[k] - ex[k]) / fmax(tinf[k], 1e-9));
            F[k] -= step;
            if (fabs(step) > change)
                change = fabs(step);
        }
        /* centre: thresholds, raters per component, criteria (ratees absorb the shifts) */
        {
            double mf = 0;

            for (k = 1; k <= m; k++)
                mf += F[k];
            for (k = 1; k <= m; k++)
                F[k] -= mf / (double)m;
            for (k = 1; k <= m; k++)
                cum[k] = cum[k - 1] + F[k];
        }
        center_additive(res, d, B, Cr, Dc);
        if (change < tol) {
            res->converged = 1;
            it++;
            break;
        }
    }
    res->iterations = (unsigned int)it;
    res->ncategories = nv;
    if ((res->thresholds = cr_malloc(m * sizeof(*res->thresholds))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (k = 1; k <= m; k++)
        res->thresholds[k - 1] = F[k];
    rc = rasch_report(res, d, &s, x, vals, B, Cr, Dc, ext);
done:
    cr_free(vals);
    cr_free(x);
    cr_free(B);
    cr_free(Cr);
    cr_free(Dc);
    cr_free(F);
    cr_free(cum);
    cr_free(pk);
    cr_free(acc);
    cr_free(inf);
    cr_free(obs);
    cr_free(ex);
    cr_free(tinf);
    cr_free(ext);
    return rc;
}

/* ---- flags and summaries -------------------------------------------------------------- */

static void add_reason(char *buf, size_t size, const char *fmt, double a, double b)
{
    size_t len = strlen(buf);

    if (len && len + 2 < size) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    if (len < size)
        snprintf(buf + len, size - len, fmt, a, b);
}

/* A mean-square beyond its bound (dir +1: above, -1: below) that is also unlikely by chance:
 * its Wilson-Hilferty standardized form (ZSTD, with model variance 2/n) beyond 2 the same
 * way. A handful of ratings give mean-squares far from 1 by chance alone. */
static int out_of_range(double ms, size_t n, double bound, int dir)
{
    double q, z;

    if (!(ms > 0) || n < 2)
        return 0;
    q = sqrt(2.0 / (double)n);
    z = (cbrt(ms) - 1) * (3 / q) + q / 3;
    return dir > 0 ? ms > bound && z >= 2 : ms < bound && z <= -2;
}

static void flag_raters(cr_calibrate_result *res, const cr_calibrate_options *o)
{
    const char *unit = res->model == CR_CALIBRATE_RASCH ? "logits" : "points";
    char fmt[96];
    size_t i;

    for (i = 0; i < res->nraters; i++) {
        cr_calibrate_rater *r = &res->raters[i];
        double z = r->se > 0 ? r->severity / r->se : NAN;
        int significant = isnan(z) || fabs(z) >= 2;

        r->flags = 0;
        r->reason[0] = '\0';
        if (r->component != 0) {
            r->flags |= CR_CALIBRATE_FLAG_ISOLATED;
            add_reason(r->reason, sizeof(r->reason),
                       "not connected to the main group of raters (component %.0f of %.0f): "
                       "severity not comparable",
                       (double)r->component + 1, (double)res->ncomponents);
        }
        if (r->severity > o->severity_max && significant) {
            r->flags |= CR_CALIBRATE_FLAG_SEVERE;
            snprintf(fmt, sizeof(fmt), "harsher than the average rater by %%.2f %s (z = %%.1f)",
                     unit);
            add_reason(r->reason, sizeof(r->reason), fmt, r->severity, z);
        } else if (r->severity < -o->severity_max && significant) {
            r->flags |= CR_CALIBRATE_FLAG_LENIENT;
            snprintf(fmt, sizeof(fmt),
                     "more lenient than the average rater by %%.2f %s (z = %%.1f)", unit);
            add_reason(r->reason, sizeof(r->reason), fmt, -r->severity, z);
        }
        if (out_of_range(r->infit, r->n, o->fit_high, 1) ||
            out_of_range(r->outfit, r->n, o->fit_high, 1)) {
            r->flags |= CR_CALIBRATE_FLAG_MISFIT;
            add_reason(r->reason, sizeof(r->reason),
                       "erratic: infit %.2f, outfit %.2f (expected near 1)", r->infit, r->outfit);
        } else if (out_of_range(r->infit, r->n, o->fit_low, -1) ||
                   out_of_range(r->outfit, r->n, o->fit_low, -1)) {
            r->flags |= CR_CALIBRATE_FLAG_OVERFIT;
            add_reason(r->reason, sizeof(r->reason),
                       "too predictable (halo or central tendency?): infit %.2f, outfit %.2f",
                       r->infit, r->outfit);
        }
        if (r->n < o->min_ratings) {
            r->flags |= CR_CALIBRATE_FLAG_FEW;
            add_reason(r->reason, sizeof(r->reason), "only %.0f ratings (fewer than %.0f)",
                       (double)r->n, (double)o->min_ratings);
        }
    }
}

/* Separation G = true SD / RMSE and reliability G^2 / (1 + G^2) of a set of measures,
 * with true variance = observed variance (sample form, n - 1) - mean error variance. */
typedef struct {
    double sum, sum2, mse;
    size_t k;
} spread;

static void spread_add(spread *s, double x, double se)
{
    if (!isfinite(x) || !isfinite(se))
        return;
    s->sum += x;
    s->sum2 += x * x;
    s->mse += se * se;
    s->k++;
}

static void spread_end(const spread *s, double *rel, double *sep)
{
    double var, mse, truev;

    if (s->k < 2 || s->mse <= 0) {
        *rel = *sep = NAN;
        return;
    }
    var = (s->sum2 - s->sum * s->sum / (double)s->k) / (double)(s->k - 1);
    mse = s->mse / (double)s->k;
    truev = var > mse ? var - mse : 0;
    *sep = sqrt(truev / mse);
    *rel = var > 0 ? truev / var : 0;
}

/* Reliability and separation of the raters and of the ratees of the largest component
 * (extreme ratees left out: their measures are set, not estimated). */
static void separations(cr_calibrate_result *res)
{
    spread a, b;
    size_t i;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    for (i = 0; i < res->nraters; i++)
        if (res->raters[i].component == 0)
            spread_add(&a, res->raters[i].severity, res->raters[i].se);
    for (i = 0; i < res->nratees; i++)
        if (res->ratees[i].component == 0 && !res->ratees[i].extreme)
            spread_add(&b, res->ratees[i].measure, res->ratees[i].measure_se);
    spread_end(&a, &res->rater_reliability, &res->rater_separation);
    spread_end(&b, &res->ratee_reliability, &res->ratee_separation);
}

cr_err cr_calibrate(cr_calibrate_result **out,
                    const cr_rating *ratings,
                    size_t n,
                    const cr_calibrate_options *opts)
{
    cr_calibrate_options o = CR_CALIBRATE_OPTIONS_INIT;
    cr_calibrate_result *res = NULL;
    char **pn = NULL, **rn = NULL, **cn = NULL;
    design d;
    size_t i;
    cr_err rc = CR_OK;

    *out = NULL;
    memset(&d, 0, sizeof(d));
    if (opts)
        o = *opts;
    if (o.max_iter == 0)
        o.max_iter = 10000;
    if (!(o.tolerance > 0))
        o.tolerance = 1e-10;
    if (isnan(o.fit_low))
        o.fit_low = 0.5;
    if (isnan(o.fit_high))
        o.fit_high = 1.5;
    if ((res = cr_calloc(1, sizeof(*res))) == NULL)
        return cr_error_oom();
    res->model = o.model;
    if ((rc = build_design(&d, &pn, &rn, &cn, ratings, n)) < 0)
        goto done;
    if (d.P < 2 || d.R < 2) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "ratings: expected at least 2 ratees and 2 raters, found %zu ratee%s "
                          "and %zu rater%s",
                          d.P, d.P == 1 ? "" : "s", d.R, d.R == 1 ? "" : "s");
        goto done;
    }
    res->nratings = n;
    if ((res->raters = cr_calloc(d.R, sizeof(*res->raters))) == NULL ||
        (res->ratees = cr_calloc(d.P, sizeof(*res->ratees))) == NULL ||
        (res->criteria = cr_calloc(d.K, sizeof(*res->criteria))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    /* the result owns the names from here */
    for (i = 0; i < d.R; i++)
        res->raters[i].name = rn[i];
    res->nraters = d.R;
    for (i = 0; i < d.P; i++)
        res->ratees[i].name = pn[i];
    res->nratees = d.P;
    for (i = 0; i < d.K; i++)
        res->criteria[i].name = cn[i];
    res->ncriteria = d.K;
    cr_free(rn);
    cr_free(pn);
    cr_free(cn);
    rn = pn = cn = NULL;
    res->score_min = res->score_max = d.y[0];
    for (i = 0; i < n; i++) {
        res->raters[d.r[i]].n++;
        res->raters[d.r[i]].raw_mean += d.y[i];
        res->ratees[d.p[i]].n++;
        res->ratees[d.p[i]].raw_mean += d.y[i];
        res->criteria[d.c[i]].n++;
        res->criteria[d.c[i]].raw_mean += d.y[i];
        res->score_min = fmin(res->score_min, d.y[i]);
        res->score_max = fmax(res->score_max, d.y[i]);
    }
    for (i = 0; i < d.R; i++)
        res->raters[i].raw_mean /= (double)res->raters[i].n;
    for (i = 0; i < d.P; i++)
        res->ratees[i].raw_mean /= (double)res->ratees[i].n;
    for (i = 0; i < d.K; i++)
        res->criteria[i].raw_mean /= (double)res->criteria[i].n;
    if (isnan(o.severity_max))
        o.severity_max =
            o.model == CR_CALIBRATE_RASCH ? 2.0 : 0.25 * (res->score_max - res->score_min);
    if ((rc = connect(res, &d)) < 0)
        goto done;
    if (o.model == CR_CALIBRATE_RASCH)
        rc = (rc = check_identified(res, &d)) < 0 ? rc : fit_rasch(res, &d, &o);
    else
        rc = fit_additive(res, &d, &o);
    if (rc < 0)
        goto done;
    res->options = o;
    flag_raters(res, &o);
    separations(res);
    *out = res;
    res = NULL;
done:
    if (rn)
        for (i = 0; i < d.R; i++)
            cr_free(rn[i]);
    if (pn)
        for (i = 0; i < d.P; i++)
            cr_free(pn[i]);
    if (cn)
        for (i = 0; i < d.K; i++)
            cr_free(cn[i]);
    cr_free(rn);
    cr_free(pn);
    cr_free(cn);
    design_dispose(&d);
    cr_calibrate_result_free(res);
    return rc;
}
