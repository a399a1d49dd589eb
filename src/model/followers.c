/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * followers.c - the fake-follower classifier: L2-penalised logistic regression on
 * standardised profile features, fitted by IRLS (Newton steps, so the fit is exact and
 * deterministic, no learning rate or seed). The decision threshold is the one whose
 * 10-fold cross-validated specificity reaches the SRF study's 96.3% with the highest
 * sensitivity; a follower sample is then corrected for the classifier's errors
 * (Rogan-Gladen) with a delta-method interval. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ingest/csv.h"
#include "model/model_int.h"
#include "util/alloc.h"
#include "util/num.h"

#define NF          CR_FOLLOWERS_NFEAT
#define L2          1.0
#define FOLDS       10
#define SEED        20171011u /* SRF's publication date */
#define TARGET_SPEC 0.963

static const char *const feature_names[NF] = {
    "log1p_posts",
    "log1p_followers",
    "log1p_following",
    "has_profile_picture",
    "private",
    "username_length",
    "username_digits",
    "username_ends_in_digit",
    "username_alpha_share",
    "log_following_per_follower_sq",
    "log1p_posts_sq",
    "log1p_following_sq",
    "no_posts",
};

static void features(double x[NF], const cr_follower_profile *p)
{
    const char *u = p->username ? p->username : "";
    size_t len = strlen(u), i, digits = 0, alpha = 0;
    double lp = log1p((double)(p->posts > 0 ? p->posts : 0));
    double lfr = log1p((double)(p->followers > 0 ? p->followers : 0));
    double lfg = log1p((double)(p->following > 0 ? p->following : 0));

    for (i = 0; i < len; i++) {
        if (isdigit((unsigned char)u[i]))
            digits++;
        else if (isalpha((unsigned char)u[i]))
            alpha++;
    }
    x[0] = lp;
    x[1] = lfr;
    x[2] = lfg;
    x[3] = p->has_picture ? 1 : 0;
    x[4] = p->is_private ? 1 : 0;
    x[5] = (double)len;
    x[6] = (double)digits;
    x[7] = len && isdigit((unsigned char)u[len - 1]) ? 1 : 0;
    x[8] = len ? (double)alpha / (double)len : 0;
    x[9] = (lfg - lfr) * (lfg - lfr);
    x[10] = lp * lp;
    x[11] = lfg * lfg;
    x[12] = p->posts <= 0 ? 1 : 0;
}

double cr_model_followers_score(const cr_model *m, const cr_follower_profile *p)
{
    double x[NF], z = m->b;
    size_t j;

    features(x, p);
    for (j = 0; j < NF; j++)
        z += m->w[j] * (x[j] - m->mean[j]) / m->scale[j];
    return 1.0 / (1.0 + exp(-z));
}

/* ---- reading follower CSVs ---- */

typedef struct {
    cr_follower_profile *p;
    char **names;
    int *label; /* -1 when the file has no rating column */
    size_t n, cap;
} profiles;

enum { C_USER, C_POSTS, C_FOLLOWERS, C_FOLLOWING, C_PIC, C_PRIVATE, C_RATING, C_N };

typedef struct {
    const char *path;
    profiles *out;
    int col[C_N];
    int header_done, need_label;
} reader;

static void profiles_dispose(profiles *ps)
{
    size_t i;

    for (i = 0; i < ps->n; i++)
        cr_free(ps->names[i]);
    cr_free(ps->names);
    cr_free(ps->p);
    cr_free(ps->label);
    memset(ps, 0, sizeof(*ps));
}

static int header_is(const char *h, const char *a, const char *b)
{
    return strcasecmp(h, a) == 0 || (b && strcasecmp(h, b) == 0);
}

static const char *const col_names[C_N] = {
    "username", "posts", "followers", "following", "has_profile_picture", "private", "rating",
};

static cr_err bad_cell(const reader *r, const cr_csv_row *row, int c, const char *expected)
{
    int f = r->col[c];

    return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                        "%s:%lld:%d: field %s: expected %s, found '%.40s'", r->path,
                        (long long)row->line, f + 1, col_names[c], expected,
                        (size_t)f < row->nfields ? row->fields[f] : "");
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = { "true", "yes", "1", "t", "y" };
    static const char *const no[] = { "false", "no", "0", "f", "n" };
    size_t i;

    for (i = 0; i < 5; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

static cr_err on_header(reader *r, const cr_csv_row *row)
{
    size_t i;
    int c;

    for (c = 0; c < C_N; c++)
        r->col[c] = -1;
    for (i = 0; i < row->nfields; i++) {
        const char *h = row->fields[i];

        if (header_is(h, "username", NULL))
            r->col[C_USER] = (int)i;
        else if (header_is(h, "posts", "Number.of.posts"))
            r->col[C_POSTS] = (int)i;
        else if (header_is(h, "followers", "Number.of.followers"))
            r->col[C_FOLLOWERS] = (int)i;
        else if (header_is(h, "following", "Number.of.people.they.follow"))
            r->col[C_FOLLOWING] = (int)i;
        else if (header_is(h, "has_profile_picture", "profile_picture"))
            r->col[C_PIC] = (int)i;
        else if (header_is(h, "private", "Private.account"))
            r->col[C_PRIVATE] = (int)i;
        else if (header_is(h, "rating", NULL))
            r->col[C_RATING] = (int)i;
    }
    for (c = 0; c < C_N; c++) {
        if (r->col[c] >= 0 || (c == C_RATING && !r->need_label))
            continue;
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                            "%s:%lld:1: header: expected a column %s%s, found none", r->path,
                            (long long)row->line, col_names[c],
                            c == C_RATING ? " (TRUE = fake) to evaluate against" : "");
    }
    r->header_done = 1;
    return CR_OK;
}

static cr_err on_row(const cr_csv_row *row, void *payload)
{
    reader *r = payload;
    profiles *ps = r->out;
    cr_follower_profile p;
    int64_t *counts[3];
    const char *why;
    int c, lab = -1;

    if (!r->header_done)
        return on_header(r, row);
    if (row->nfields == 1 && row->lens[0] == 0)
        return CR_OK; /* a blank line */
    for (c = 0; c < C_N; c++)
        if (r->col[c] >= 0 && (size_t)r->col[c] >= row->nfields)
            return bad_cell(r, row, c, "a value (the row is short)");
    memset(&p, 0, sizeof(p));
    counts[0] = &p.posts;
    counts[1] = &p.followers;
    counts[2] = &p.following;
    for (c = C_POSTS; c <= C_FOLLOWING; c++) {
        int f = r->col[c];

        if (cr_parse_count(counts[c - C_POSTS], row->fields[f], row->lens[f], &why) < 0)
            return bad_cell(r, row, c, "a count");
    }
    if (parse_bool(row->fields[r->col[C_PIC]], &p.has_picture) < 0)
        return bad_cell(r, row, C_PIC, "TRUE or FALSE");
    if (parse_bool(row->fields[r->col[C_PRIVATE]], &p.is_private) < 0)
        return bad_cell(r, row, C_PRIVATE, "TRUE or FALSE");
    if (r->col[C_RATING] >= 0 && parse_bool(row->fields[r->col[C_RATING]], &lab) < 0)
        return bad_cell(r, row, C_RATING, "TRUE (fake) or FALSE (real)");
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 256;
        void *a = cr_realloc(ps->p, cap * sizeof(*ps->p));

        if (a == NULL)
            return cr_error_oom();
        ps->p = a;
        if ((a = cr_realloc(ps->names, cap * sizeof(*ps->names))) == NULL)
            return cr_error_oom();
        ps->names = a;
        if ((a = cr_realloc(ps->label, cap * sizeof(*ps->label))) == NULL)
            return cr_error_oom();
        ps->label = a;
        ps->cap = cap;
    }
    if ((ps->names[ps->n] = cr_strdup(row->fields[r->col[C_USER]])) == NULL)
        return cr_error_oom();
    p.username = ps->names[ps->n];
    ps->p[ps->n] = p;
    ps->label[ps->n] = lab;
    ps->n++;
    return CR_OK;
}

static cr_err read_profiles(profiles *out, const char *path, int need_label)
{
    cr_csv_reader cr;
    reader r;
    FILE *f;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.out = out;
    r.need_label = need_label;
    if ((f = fopen(path, "rb")) == NULL)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot open: %s", path, strerror(errno));
    memset(&cr, 0, sizeof(cr));
    cr.name = path;
    cr.on_row = on_row;
    cr.payload = &r;
    rc = cr_csv_read(&cr, f);
    fclose(f);
    if (rc >= 0 && !r.header_done)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                          "%s:1:1: header: expected username, posts, followers, following, "
                          "has_profile_picture, private; found an empty file",
                          path);
    if (rc < 0)
        profiles_dispose(out);
    return rc;
}

/* ---- fitting ---- */

/* Solve A x = b (n x n, symmetric positive definite) by Gaussian elimination with partial
 * pivoting; A and b are overwritten. */
static int solve(double *a, double *b, size_t n)
{
    size_t i, j, k;

    for (k = 0; k < n; k++) {
        size_t piv = k;

        for (i = k + 1; i < n; i++)
            if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
                piv = i;
        if (fabs(a[piv * n + k]) < 1e-12)
            return -1;
        if (piv != k) {
            for (j = 0; j < n; j++) {
                double t = a[k * n + j];

                a[k * n + j] = a[piv * n + j];
                a[piv * n + j] = t;
            }
            double t = b[k];
            b[k] = b[piv];
            b[piv] = t;
        }
        for (i = k + 1; i < n; i++) {
            double f = a[i * n + k] / a[k * n + k];

            for (j = k; j < n; j++)
                a[i * n + j] -= f * a[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (k = n; k-- > 0;) {
        double s = b[k];

        for (j = k + 1; j < n; j++)
            s -= a[k * n + j] * b[j];
        b[k] = s / a[k * n + k];
    }
    return 0;
}

typedef struct {
    double mean[NF], scale[NF], w[NF], b;
} fit;

/* Fit on the items with use[i] != 0 (use NULL: all). Standardisation is computed on those
 * items only, so a held-out fold never leaks into its model. */
static cr_err fit_logistic(fit *out, double (*x)[NF], const int *y, const int *use, size_t n)
{
    enum { P = NF + 1 };
    double a[P * P], g[P], beta[P];
    size_t i, j, k, m = 0;
    int it;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++)
        if (!use || use[i]) {
            m++;
            for (j = 0; j < NF; j++)
                out->mean[j] += x[i][j];
        }
    if (m == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "no profiles to fit");
    for (j = 0; j < NF; j++)
        out->mean[j] /= (double)m;
    for (i = 0; i < n; i++)
        if (!use || use[i])
            for (j = 0; j < NF; j++)
                out->scale[j] += (x[i][j] - out->mean[j]) * (x[i][j] - out->mean[j]);
    for (j = 0; j < NF; j++) {
        out->scale[j] = sqrt(out->scale[j] / (double)m);
        if (out->scale[j] < 1e-9)
            out->scale[j] = 1;
    }
    memset(beta, 0, sizeof(beta));
    for (it = 0; it < 50; it++) {
        double step = 0;

        memset(a, 0, sizeof(a));
        memset(g, 0, sizeof(g));
        for (i = 0; i < n; i++) {
            double z[P], eta = 0, p, wgt;

            if (use && !use[i])
                continue;
            z[0] = 1;
            for (j = 0; j < NF; j++)
                z[j + 1] = (x[i][j] - out->mean[j]) / out->scale[j];
            for (j = 0; j < P; j++)
                eta += beta[j] * z[j];
            p = 1.0 / (1.0 + exp(-eta));
            wgt = p * (1 - p);
            for (j = 0; j < P; j++) {
                g[j] += (y[i] - p) * z[j];
                for (k = 0; k < P; k++)
                    a[j * P + k] += wgt * z[j] * z[k];
            }
        }
        for (j = 1; j < P; j++) { /* the intercept is not penalised */
            g[j] -= L2 * beta[j];
            a[j * P + j] += L2;
        }
        if (solve(a, g, P) < 0)
            return cr_error_set(CR_ERROR, CR_ERRCLASS_PARSE, "logistic fit is singular");
        for (j = 0; j < P; j++) {
            beta[j] += g[j];
            step = fmax(step, fabs(g[j]));
        }
        if (step < 1e-10)
            break;
    }
    out->b = beta[0];
    for (j = 0; j < NF; j++)
        out->w[j] = beta[j + 1];
    return CR_OK;
}

static double fit_score(const fit *f, const double x[NF])
{
    double z = f->b;
    size_t j;

    for (j = 0; j < NF; j++)
        z += f->w[j] * (x[j] - f->mean[j]) / f->scale[j];
    return 1.0 / (1.0 + exp(-z));
}

/* The cut-off with specificity >= TARGET_SPEC and the most sensitivity (ties: the higher
 * specificity, then the higher cut-off): candidates are the midpoints between sorted scores. */
static double choose_threshold(cr_model__scored *s, size_t n)
{
    cr_model_metrics m;
    double best = 1.0, best_se = -1, best_sp = -1;
    size_t i;

    cr_model__auc(s, n); /* sorts by score */
    for (i = 0; i + 1 < n; i++) {
        double t;

        if (s[i].score == s[i + 1].score)
            continue;
        t = (s[i].score + s[i + 1].score) / 2;
        cr_model__binary_metrics(&m, s, n, t); /* keeps the order: already sorted */
        if (m.specificity + 1e-12 < TARGET_SPEC)
            continue;
        if (m.sensitivity > best_se || (m.sensitivity == best_se && m.specificity > best_sp)) {
            best = t;
            best_se = m.sensitivity;
            best_sp = m.specificity;
        }
    }
    return best;
}

typedef struct {
    profiles ps;
    double (*x)[NF];
    int *y;
} dataset;

static void dataset_dispose(dataset *d)
{
    profiles_dispose(&d->ps);
    cr_free(d->x);
    cr_free(d->y);
}

static cr_err dataset_read(dataset *d, const char *path)
{
    size_t i;
    cr_err rc;

    memset(d, 0, sizeof(*d));
    if ((rc = read_profiles(&d->ps, path, 1)) < 0)
        return rc;
    if ((d->x = cr_calloc(d->ps.n + 1, sizeof(*d->x))) == NULL ||
        (d->y = cr_calloc(d->ps.n + 1, sizeof(*d->y))) == NULL) {
        dataset_dispose(d);
        return cr_error_oom();
    }
    for (i = 0; i < d->ps.n; i++) {
        features(d->x[i], &d->ps.p[i]);
        d->y[i] = d->ps.label[i];
    }
    return CR_OK;
}

/* Out-of-fold scores of a k-fold CV over the items with use[i] (NULL = all); the items not
 * used get no score. */
static cr_err oof_scores(cr_model__scored *s, const dataset *d, const int *use, uint64_t seed)
{
    int *fold = NULL, *tr = NULL, *lab = NULL;
    size_t i, n = d->ps.n, m = 0;
    size_t *map = NULL;
    int k;
    cr_err rc = CR_OK;

    if ((tr = cr_calloc(n + 1, sizeof(*tr))) == NULL ||
        (lab = cr_calloc(n + 1, sizeof(*lab))) == NULL ||
        (map = cr_calloc(n + 1, sizeof(*map))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++)
        if (!use || use[i]) {
            map[m] = i;
            lab[m++] = d->y[i];
        }
    if ((rc = cr_model__folds(&fold, lab, m, FOLDS, seed)) < 0)
        goto done;
    for (k = 0; k < FOLDS; k++) {
        fit f;

        memset(tr, 0, (n + 1) * sizeof(*tr));
        for (i = 0; i < m; i++)
            tr[map[i]] = fold[i] != k;
        if ((rc = fit_logistic(&f, d->x, d->y, tr, n)) < 0)
            goto done;
        for (i = 0; i < m; i++)
            if (fold[i] == k) {
                s[map[i]].score = fit_score(&f, d->x[map[i]]);
                s[map[i]].label = d->y[map[i]];
            }
    }
done:
    cr_free(fold);
    cr_free(tr);
    cr_free(lab);
    cr_free(map);
    return rc;
}

/* CV as the model records it: out-of-fold scores of the whole file, the threshold chosen on
 * them, the metrics at that threshold. */
static cr_err cv_plain(cr_model_metrics *m, double *threshold, const dataset *d)
{
    cr_model__scored *s = NULL;
    cr_err rc;

    if ((s = cr_calloc(d->ps.n + 1, sizeof(*s))) == NULL)
        return cr_error_oom();
    if ((rc = oof_scores(s, d, NULL, SEED)) >= 0) {
        *threshold = choose_threshold(s, d->ps.n);
        cr_model__binary_metrics(m, s, d->ps.n, *threshold);
        snprintf(m->name, sizeof(m->name), "%d-fold CV, threshold chosen on these scores", FOLDS);
    }
    cr_free(s);
    return rc;
}

/* Nested CV: each outer test fold is scored by a model and a threshold that saw only the
 * other folds (the threshold from an inner CV on them): the honest figure. */
static cr_err cv_nested(cr_model_metrics *m, const dataset *d)
{
    cr_model__scored *inner = NULL, *outer = NULL, *sub = NULL;
    int *fold = NULL, *use = NULL;
    size_t i, n = d->ps.n, ns;
    int k;
    cr_err rc;

    if ((inner = cr_calloc(n + 1, sizeof(*inner))) == NULL ||
        (outer = cr_calloc(n + 1, sizeof(*outer))) == NULL ||
        (sub = cr_calloc(n + 1, sizeof(*sub))) == NULL ||
        (use = cr_calloc(n + 1, sizeof(*use))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = cr_model__folds(&fold, d->y, n, FOLDS, SEED)) < 0)
        goto done;
    for (k = 0; k < FOLDS; k++) {
        double t;
        fit f;

        for (i = 0; i < n; i++)
            use[i] = fold[i] != k;
        if ((rc = oof_scores(inner, d, use, SEED + 1 + (uint64_t)k)) < 0 ||
            (rc = fit_logistic(&f, d->x, d->y, use, n)) < 0)
            goto done;
        for (ns = 0, i = 0; i < n; i++)
            if (use[i])
                sub[ns++] = inner[i];
        t = choose_threshold(sub, ns);
        for (i = 0; i < n; i++)
            if (!use[i]) {
                /* the outer score is shifted so that one common cut-off (0.5) applies */
                double p = fit_score(&f, d->x[i]);

                outer[i].score = p >= t ? 0.5 + (p - t) / 2 : 0.5 * p / (t > 0 ? t : 1);
                outer[i].label = d->y[i];
            }
    }
    cr_model__binary_metrics(m, outer, n, 0.5);
    /* the AUC of the raw outer scores is not comparable across folds; use the rescaled ones */
    snprintf(m->name, sizeof(m->name), "nested %d-fold CV, threshold chosen inside each fold",
             FOLDS);
done:
    cr_free(inner);
    cr_free(outer);
    cr_free(sub);
    cr_free(use);
    cr_free(fold);
    return rc;
}

cr_err cr_model__followers_cv(cr_model_report *out, const char *path)
{
    dataset d;
    cr_err rc;

    if ((rc = dataset_read(&d, path)) < 0)
        return rc;
    if ((rc = cv_plain(&out->sets[0], &out->threshold, &d)) >= 0 &&
        (rc = cv_nested(&out->sets[1], &d)) >= 0)
        out->nsets = 2;
    dataset_dispose(&d);
    return rc;
}

static json_t *num_array(const double *v, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < n; i++)
        json_array_append_new(a, json_real(v[i]));
    return a;
}

cr_err cr_model__followers_train(cr_model **out, const char *path, const char *date)
{
    cr_model_metrics cv;
    json_t *names = NULL, *doc = NULL;
    double threshold = 0.5;
    size_t i, pos = 0;
    dataset d;
    fit f;
    cr_err rc;

    *out = NULL;
    if ((rc = dataset_read(&d, path)) < 0)
        return rc;
    if ((rc = cv_plain(&cv, &threshold, &d)) < 0 ||
        (rc = fit_logistic(&f, d.x, d.y, NULL, d.ps.n)) < 0)
        goto done;
    for (i = 0; i < d.ps.n; i++)
        pos += d.y[i] == 1;
    names = json_array();
    for (i = 0; names && i < NF; i++)
        json_array_append_new(names, json_string(feature_names[i]));
    doc = json_pack(
        "{s:s,s:i,s:s,s:o,s:o,s:o,s:f,s:o,s:f,s:f,s:{s:s,s:f,s:s},s:o,s:{s:i,s:I,s:s,s:I,s:I,"
        "s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f},s:s,s:s}",
        "kind", "followers", "version", 1, "model",
        "logistic regression, IRLS, L2 penalty on standardised features (intercept free)",
        "features", names, "means", num_array(f.mean, NF), "scales", num_array(f.scale, NF),
        "intercept", f.b, "weights", num_array(f.w, NF), "l2", L2, "threshold", threshold,
        "threshold_rule", "rule", "highest cross-validated sensitivity with specificity >= target",
        "target_specificity", TARGET_SPEC, "target_sensitivity",
        ">= 0.774 (SRF 2017, random forest, validation split)", "training",
        cr_model__file_info(path, d.ps.n), "cv", "folds", FOLDS, "seed", (json_int_t)SEED, "scheme",
        "stratified k-fold; out-of-fold scores", "n", (json_int_t)cv.n, "positives",
        (json_int_t)pos, "negatives", (json_int_t)(d.ps.n - pos), "tp", (json_int_t)cv.tp, "tn",
        (json_int_t)cv.tn, "fp", (json_int_t)cv.fp, "fn", (json_int_t)cv.fn, "accuracy",
        cv.accuracy, "sensitivity", cv.sensitivity, "specificity", cv.specificity, "auc", cv.auc,
        "date", date, "licence",
        "Weights derived from SRF Data's labelled_1000_inclprivate.csv (CC BY-SA 4.0, "
        "github.com/srfdata/2017-10-instagram-influencers); this file is CC BY-SA 4.0 too.");
    names = NULL;
    if (doc == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    rc = cr_model__from_doc(out, doc);
done:
    json_decref(names);
    dataset_dispose(&d);
    return rc;
}

static cr_err load_vec(double *v, const json_t *doc, const char *key, const char *name)
{
    json_t *a = json_object_get(doc, key);
    size_t i;

    if (!json_is_array(a) || json_array_size(a) != NF)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: field %s: expected an array of %d numbers", name, key, NF);
    for (i = 0; i < NF; i++) {
        json_t *e = json_array_get(a, i);

        if (!json_is_number(e))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "%s: field %s[%zu]: expected a number", name, key, i);
        v[i] = json_number_value(e);
    }
    return CR_OK;
}

cr_err cr_model__followers_load(cr_model *m, const char *name)
{
    json_t *cv = json_object_get(m->doc, "cv");
    size_t j;
    cr_err rc;

    if ((rc = load_vec(m->mean, m->doc, "means", name)) < 0 ||
        (rc = load_vec(m->scale, m->doc, "scales", name)) < 0 ||
        (rc = load_vec(m->w, m->doc, "weights", name)) < 0)
        return rc;
    for (j = 0; j < NF; j++)
        if (!(m->scale[j] > 0))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "%s: field scales[%zu]: expected a positive number", name, j);
    m->b = cr_model__num(m->doc, "intercept", 0);
    m->threshold = cr_model__num(m->doc, "threshold", 0.5);
    m->se = cr_model__num(cv, "sensitivity", 0);
    m->sp = cr_model__num(cv, "specificity", 0);
    m->n_pos = (size_t)cr_model__num(cv, "positives", 0);
    m->n_neg = (size_t)cr_model__num(cv, "negatives", 0);
    return CR_OK;
}

cr_err cr_model__followers_eval(cr_model_report *out, const cr_model *m, const char *path)
{
    cr_model__scored *s = NULL;
    profiles ps;
    size_t i;
    cr_err rc;

    if ((rc = read_profiles(&ps, path, 1)) < 0)
        return rc;
    if ((s = cr_calloc(ps.n + 1, sizeof(*s))) == NULL) {
        profiles_dispose(&ps);
        return cr_error_oom();
    }
    for (i = 0; i < ps.n; i++) {
        s[i].score = cr_model_followers_score(m, &ps.p[i]);
        s[i].label = ps.label[i];
    }
    out->threshold = m->threshold;
    cr_model__binary_metrics(&out->sets[0], s, ps.n, m->threshold);
    snprintf(out->sets[0].name, sizeof(out->sets[0].name), "%s", cr_model__base(path));
    out->nsets = 1;
    cr_free(s);
    profiles_dispose(&ps);
    return CR_OK;
}

cr_err cr_model_rogan_gladen(double *est,
                             double *low,
                             double *high,
                             size_t flagged,
                             size_t n,
                             double se,
                             double sp,
                             size_t n_pos,
                             size_t n_neg)
{
    double j = se + sp - 1, q, p, var, sd;

    if (n == 0 || !(j > 0))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "Rogan-Gladen needs a sample (n = %zu) and sensitivity + specificity "
                            "> 1 (found %.3f)",
                            n, se + sp);
    q = (double)flagged / (double)n;
    p = (q + sp - 1) / j;
    var = q * (1 - q) / (double)n;
    if (n_pos)
        var += p * p * se * (1 - se) / (double)n_pos;
    if (n_neg)
        var += (1 - p) * (1 - p) * sp * (1 - sp) / (double)n_neg;
    sd = sqrt(var) / j;
    *est = fmin(1, fmax(0, p));
    *low = fmin(1, fmax(0, p - 1.959964 * sd));
    *high = fmin(1, fmax(0, p + 1.959964 * sd));
    return CR_OK;
}

cr_err cr_model_followers_classify(cr_follower_audit *out, const cr_model *m, const char *path)
{
    profiles ps;
    size_t i;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    if (m->kind != CR_MODEL_FOLLOWERS)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "a %s model cannot classify followers",
                            cr_model_kind_name(m->kind));
    if ((rc = read_profiles(&ps, path, 0)) < 0)
        return rc;
    for (i = 0; i < ps.n; i++) {
        const cr_follower_profile *p = &ps.p[i];

        if (cr_model_followers_score(m, p) >= m->threshold) {
            out->flagged++;
            out->suspicious++;
        } else if (p->following > 1500) {
            out->mass_followers++;
        } else if (p->followers > 5000) {
            out->influencers++;
        } else {
            out->real++;
        }
    }
    out->n = ps.n;
    out->threshold = m->threshold;
    out->sensitivity = m->se;
    out->specificity = m->sp;
    profiles_dispose(&ps);
    if (out->n == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                            "%s:2:1: expected at least one follower profile, found none", path);
    out->observed = (double)out->flagged / (double)out->n;
    return cr_model_rogan_gladen(&out->fake_share, &out->low, &out->high, out->flagged, out->n,
                                 m->se, m->sp, m->n_pos, m->n_neg);
}
