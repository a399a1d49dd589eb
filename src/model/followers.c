/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * followers.c - the fake-follower classifier: gradient-boosted regression trees (logistic
 * loss, Newton leaf values, depth-limited trees grown level by level over presorted
 * features) on profile counts, their log ratios and the username's shape. Nothing is
 * random: every split is the first best one in feature and value order, so the fit is
 * deterministic. The decision threshold is the one whose 10-fold cross-validated specificity
 * reaches the SRF study's 96.3% with the highest sensitivity; a follower sample is then
 * corrected for the classifier's errors (Rogan-Gladen) with a delta-method interval. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/csv.h"
#include "model/model_int.h"
#include "util/alloc.h"
#include "util/num.h"
#include "util/str.h"

#define NF          CR_FOLLOWERS_NFEAT
#define FOLDS       10
#define SEED        20171011u /* SRF's publication date */
#define TARGET_SPEC 0.963
/* The boosting protocol, fixed before any cross-validation was run (common defaults for a
 * data set of this size): 150 rounds, shrinkage 0.1, L2 penalty 1 on the leaf values, at
 * least a hessian of 1 (about 10 items) per leaf. The tree depth, 2 or 3, is chosen by an
 * inner CV wherever a model is fitted (so nested CV chooses it inside each outer fold). */
#define ROUNDS   150
#define DEPTH    3 /* the deepest candidate */
#define ETA      0.1
#define LAMBDA   1.0
#define MIN_HESS 1.0

static const int depths[] = { 2, 3 };
#define NDEPTHS ((int)(sizeof(depths) / sizeof(depths[0])))

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
    "log_following_per_follower",
    "log_following_per_post",
    "log_followers_per_post",
    "username_dots_underscores",
    "username_longest_digit_run",
    "username_vowel_share",
    "username_longest_repeat",
};

static void features(double x[NF], const cr_follower_profile *p)
{
    const char *u = p->username ? p->username : "";
    size_t len = strlen(u), i, digits = 0, alpha = 0, vowels = 0, punct = 0;
    size_t run = 0, maxrun = 0, rep = 0, maxrep = 0;
    double lp = log1p((double)(p->posts > 0 ? p->posts : 0));
    double lfr = log1p((double)(p->followers > 0 ? p->followers : 0));
    double lfg = log1p((double)(p->following > 0 ? p->following : 0));

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)u[i];

        if (isdigit(c)) {
            digits++;
            maxrun = ++run > maxrun ? run : maxrun;
        } else {
            run = 0;
        }
        if (isalpha(c)) {
            alpha++;
            if (strchr("aeiouy", tolower(c)))
                vowels++;
        }
        if (c == '_' || c == '.')
            punct++;
        rep = i > 0 && u[i] == u[i - 1] ? rep + 1 : 1;
        maxrep = rep > maxrep ? rep : maxrep;
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
    x[9] = lfg - lfr;
    x[10] = lfg - lp;
    x[11] = lfr - lp;
    x[12] = (double)punct;
    x[13] = (double)maxrun;
    x[14] = alpha ? (double)vowels / (double)alpha : 0;
    x[15] = (double)maxrep;
}

/* the margin (log-odds) of a tree ensemble */
static double trees_margin(const cr_model__node *nodes,
                           const size_t *roots,
                           size_t ntrees,
                           double base,
                           const double x[NF])
{
    double z = base;
    size_t t, k;

    for (t = 0; t < ntrees; t++) {
        k = roots[t];
        while (nodes[k].feat >= 0)
            k = x[nodes[k].feat] <= nodes[k].thr ? (size_t)nodes[k].left : (size_t)nodes[k].right;
        z += nodes[k].value;
    }
    return z;
}

double cr_model_followers_score(const cr_model *m, const cr_follower_profile *p)
{
    double x[NF];

    features(x, p);
    return 1.0 / (1.0 + exp(-trees_margin(m->nodes, m->roots, m->ntrees, m->base, x)));
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

/* ---- fitting: gradient-boosted trees ---- */

typedef struct {
    double base;
    cr_model__node *nodes;
    size_t nnodes, cap;
    size_t *roots;
    size_t ntrees;
} fit;

static void fit_dispose(fit *f)
{
    cr_free(f->nodes);
    cr_free(f->roots);
    memset(f, 0, sizeof(*f));
}

static int new_leaf(fit *f)
{
    if (f->nnodes == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        cr_model__node *a = cr_realloc(f->nodes, cap * sizeof(*a));

        if (a == NULL)
            return -1;
        f->nodes = a;
        f->cap = cap;
    }
    memset(&f->nodes[f->nnodes], 0, sizeof(f->nodes[0]));
    f->nodes[f->nnodes].feat = -1;
    return (int)f->nnodes++;
}

typedef struct {
    double v;
    size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;

    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* per frontier node while a level is grown */
typedef struct {
    double g, h;         /* totals of the node */
    double gl, hl, last; /* running left sums over the feature being scanned */
    int seen;
    double gain, thr;
    int feat;
} split_acc;

#define MAX_FRONT (1 << DEPTH)

/* Grow one tree on gradients g and hessians h of the m used items (local indices); the
 * leaf each item lands in is left in at[]. */
static cr_err grow_tree(fit *f,
                        int *at,
                        double (*x)[NF],
                        const size_t *idx,
                        const size_t *order,
                        const double *g,
                        const double *h,
                        size_t m,
                        int depth)
{
    split_acc acc[MAX_FRONT];
    int front[MAX_FRONT], slot_of[2 * MAX_FRONT + 2];
    size_t nfront = 1, r, s, j;
    int root, d;

    if ((root = new_leaf(f)) < 0)
        return cr_error_oom();
    for (r = 0; r < m; r++)
        at[r] = root;
    front[0] = root;
    for (d = 0; d < depth && nfront > 0; d++) {
        size_t nnext = 0;
        int next[MAX_FRONT];

        for (s = 0; s < 2 * MAX_FRONT + 2; s++)
            slot_of[s] = -1;
        memset(acc, 0, sizeof(acc));
        for (s = 0; s < nfront; s++) {
            slot_of[front[s] - root] = (int)s;
            acc[s].feat = -1;
        }
        for (r = 0; r < m; r++) {
            int sl = slot_of[at[r] - root];

            if (sl >= 0) {
                acc[sl].g += g[r];
                acc[sl].h += h[r];
            }
        }
        for (j = 0; j < NF; j++) {
            const size_t *o = order + j * m;

            for (s = 0; s < nfront; s++) {
                acc[s].gl = acc[s].hl = 0;
                acc[s].seen = 0;
            }
            for (r = 0; r < m; r++) {
                size_t it = o[r];
                int sl = slot_of[at[it] - root];
                double v = x[idx[it]][j];
                split_acc *a;

                if (sl < 0)
                    continue;
                a = &acc[sl];
                if (a->seen && v > a->last && a->hl >= MIN_HESS && a->h - a->hl >= MIN_HESS) {
                    double gr = a->g - a->gl, hr = a->h - a->hl;
                    double gain = a->gl * a->gl / (a->hl + LAMBDA) + gr * gr / (hr + LAMBDA) -
                                  a->g * a->g / (a->h + LAMBDA);

                    if (gain > a->gain + 1e-12) {
                        a->gain = gain;
                        a->feat = (int)j;
                        a->thr = (a->last + v) / 2;
                    }
                }
                a->gl += g[it];
                a->hl += h[it];
                a->last = v;
                a->seen = 1;
            }
        }
        for (s = 0; s < nfront; s++) {
            int k = front[s], l, rr;

            if (acc[s].feat < 0)
                continue;
            if ((l = new_leaf(f)) < 0 || (rr = new_leaf(f)) < 0)
                return cr_error_oom();
            f->nodes[k].feat = acc[s].feat;
            f->nodes[k].thr = acc[s].thr;
            f->nodes[k].left = l;
            f->nodes[k].right = rr;
            next[nnext++] = l;
            next[nnext++] = rr;
        }
        for (r = 0; r < m; r++) {
            const cr_model__node *nd = &f->nodes[at[r]];

            if (nd->feat >= 0)
                at[r] = x[idx[r]][nd->feat] <= nd->thr ? nd->left : nd->right;
        }
        memcpy(front, next, nnext * sizeof(*next));
        nfront = nnext;
    }
    /* Newton leaf values, shrunk */
    {
        double lg[2 * MAX_FRONT + 2] = { 0 }, lh[2 * MAX_FRONT + 2] = { 0 };
        size_t k;

        for (r = 0; r < m; r++) {
            lg[at[r] - root] += g[r];
            lh[at[r] - root] += h[r];
        }
        for (k = (size_t)root; k < f->nnodes; k++)
            if (f->nodes[k].feat < 0)
                f->nodes[k].value = -ETA * lg[k - (size_t)root] / (lh[k - (size_t)root] + LAMBDA);
    }
    return CR_OK;
}

/* Fit on the items with use[i] != 0 (use NULL: all). */
static cr_err
fit_trees(fit *out, double (*x)[NF], const int *y, const int *use, size_t n, int depth)
{
    size_t *idx = NULL, *order = NULL, i, j, m = 0, t, pos = 0;
    double *F = NULL, *g = NULL, *h = NULL;
    keyed *kv = NULL;
    int *at = NULL;
    cr_err rc = CR_OK;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++)
        if (!use || use[i])
            m++;
    if (m == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "no profiles to fit");
    if ((idx = cr_calloc(m, sizeof(*idx))) == NULL ||
        (order = cr_calloc(m * NF, sizeof(*order))) == NULL ||
        (F = cr_calloc(m, sizeof(*F))) == NULL || (g = cr_calloc(m, sizeof(*g))) == NULL ||
        (h = cr_calloc(m, sizeof(*h))) == NULL || (kv = cr_calloc(m, sizeof(*kv))) == NULL ||
        (at = cr_calloc(m, sizeof(*at))) == NULL ||
        (out->roots = cr_calloc(ROUNDS, sizeof(*out->roots))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (m = 0, i = 0; i < n; i++)
        if (!use || use[i]) {
            idx[m++] = i;
            pos += y[i] == 1;
        }
    for (j = 0; j < NF; j++) {
        for (i = 0; i < m; i++) {
            kv[i].v = x[idx[i]][j];
            kv[i].i = i;
        }
        cr_qsort(kv, m, sizeof(*kv), cmp_keyed);
        for (i = 0; i < m; i++)
            order[j * m + i] = kv[i].i;
    }
    out->base = log(((double)pos + 0.5) / ((double)(m - pos) + 0.5));
    for (i = 0; i < m; i++)
        F[i] = out->base;
    for (t = 0; t < ROUNDS; t++) {
        for (i = 0; i < m; i++) {
            double p = 1.0 / (1.0 + exp(-F[i]));

            g[i] = p - (y[idx[i]] == 1);
            h[i] = p * (1 - p);
        }
        out->roots[t] = out->nnodes;
        if ((rc = grow_tree(out, at, x, idx, order, g, h, m, depth)) < 0)
            goto done;
        out->ntrees++;
        for (i = 0; i < m; i++)
            F[i] += out->nodes[at[i]].value;
    }
done:
    cr_free(idx);
    cr_free(order);
    cr_free(F);
    cr_free(g);
    cr_free(h);
    cr_free(kv);
    cr_free(at);
    if (rc < 0)
        fit_dispose(out);
    return rc;
}

static double fit_score(const fit *f, const double x[NF])
{
    return 1.0 / (1.0 + exp(-trees_margin(f->nodes, f->roots, f->ntrees, f->base, x)));
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
static cr_err
oof_scores(cr_model__scored *s, const dataset *d, const int *use, uint64_t seed, int depth)
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
        if ((rc = fit_trees(&f, d->x, d->y, tr, n, depth)) < 0)
            goto done;
        for (i = 0; i < m; i++)
            if (fold[i] == k) {
                s[map[i]].score = fit_score(&f, d->x[map[i]]);
                s[map[i]].label = d->y[map[i]];
            }
        fit_dispose(&f);
    }
done:
    cr_free(fold);
    cr_free(tr);
    cr_free(lab);
    cr_free(map);
    return rc;
}

/* The depth whose k-fold out-of-fold scores (over the items with use[i], NULL = all) reach
 * the highest sensitivity at specificity >= target (ties: the higher AUC, then the shallower
 * tree); its scores of those items (compacted into best[0..*nbest)) and threshold. */
static cr_err select_depth(int *depth,
                           double *threshold,
                           cr_model__scored *best,
                           size_t *nbest,
                           const dataset *d,
                           const int *use,
                           uint64_t seed)
{
    cr_model__scored *s = NULL, *sub = NULL;
    double best_se = -1, best_auc = -1;
    size_t i, n = d->ps.n, ns = 0;
    int c;
    cr_err rc = CR_OK;

    if ((s = cr_calloc(n + 1, sizeof(*s))) == NULL ||
        (sub = cr_calloc(n + 1, sizeof(*sub))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (c = 0; c < NDEPTHS; c++) {
        cr_model_metrics m;
        double t;

        if ((rc = oof_scores(s, d, use, seed, depths[c])) < 0)
            goto done;
        for (ns = 0, i = 0; i < n; i++)
            if (!use || use[i])
                sub[ns++] = s[i];
        t = choose_threshold(sub, ns);
        cr_model__binary_metrics(&m, sub, ns, t);
        if (m.sensitivity > best_se || (m.sensitivity == best_se && m.auc > best_auc)) {
            best_se = m.sensitivity;
            best_auc = m.auc;
            *depth = depths[c];
            *threshold = t;
            memcpy(best, sub, ns * sizeof(*sub));
            *nbest = ns;
        }
    }
done:
    cr_free(s);
    cr_free(sub);
    return rc;
}

/* CV as the model records it: out-of-fold scores of the whole file for each candidate depth,
 * the depth and the threshold chosen on them, the metrics at that threshold. */
static cr_err cv_plain(cr_model_metrics *m, double *threshold, int *depth, const dataset *d)
{
    cr_model__scored *s = NULL;
    size_t ns = 0;
    cr_err rc;

    if ((s = cr_calloc(d->ps.n + 1, sizeof(*s))) == NULL)
        return cr_error_oom();
    if ((rc = select_depth(depth, threshold, s, &ns, d, NULL, SEED)) >= 0) {
        cr_model__binary_metrics(m, s, ns, *threshold);
        snprintf(m->name, sizeof(m->name),
                 "%d-fold CV, depth %d and threshold chosen on these scores", FOLDS, *depth);
    }
    cr_free(s);
    return rc;
}

/* Nested CV: each outer test fold is scored by a model whose depth and threshold were chosen
 * by an inner CV on the other folds only: the honest figure. */
static cr_err cv_nested(cr_model_metrics *m, const dataset *d, uint64_t seed)
{
    cr_model__scored *outer = NULL, *sub = NULL;
    int *fold = NULL, *use = NULL;
    size_t i, n = d->ps.n, ns;
    int k;
    cr_err rc;

    if ((outer = cr_calloc(n + 1, sizeof(*outer))) == NULL ||
        (sub = cr_calloc(n + 1, sizeof(*sub))) == NULL ||
        (use = cr_calloc(n + 1, sizeof(*use))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = cr_model__folds(&fold, d->y, n, FOLDS, seed)) < 0)
        goto done;
    for (k = 0; k < FOLDS; k++) {
        double t = 0.5;
        int depth = DEPTH;
        fit f;

        for (i = 0; i < n; i++)
            use[i] = fold[i] != k;
        if ((rc = select_depth(&depth, &t, sub, &ns, d, use, seed + 1 + (uint64_t)k)) < 0 ||
            (rc = fit_trees(&f, d->x, d->y, use, n, depth)) < 0)
            goto done;
        for (i = 0; i < n; i++)
            if (!use[i]) {
                /* the outer score is shifted so that one common cut-off (0.5) applies */
                double p = fit_score(&f, d->x[i]);

                outer[i].score = p >= t ? 0.5 + (p - t) / 2 : 0.5 * p / (t > 0 ? t : 1);
                outer[i].label = d->y[i];
            }
        fit_dispose(&f);
    }
    cr_model__binary_metrics(m, outer, n, 0.5);
    /* the AUC of the raw outer scores is not comparable across folds; use the rescaled ones */
    snprintf(m->name, sizeof(m->name),
             "nested %d-fold CV, depth and threshold chosen inside each fold", FOLDS);
done:
    cr_free(outer);
    cr_free(sub);
    cr_free(use);
    cr_free(fold);
    return rc;
}

#define REPEATS 5

/* The nested CV repeated REPEATS times with other outer folds (seeds SEED + 1000 r for r =
 * r0 .. r0 + REPEATS - 1), its confusion counts summed: the mean sensitivity and specificity
 * over the repeats, with less of the noise of one split of 98 fakes into ten folds (the AUC
 * is the mean of the repeats'). With r0 = 0 the first repeat is the nested CV above (first);
 * r0 = REPEATS gives the check seeds, never used while the model was designed (first NULL). */
static cr_err
cv_nested_repeated(cr_model_metrics *m, const cr_model_metrics *first, const dataset *d, int r0)
{
    cr_model_metrics r;
    int k;
    cr_err rc;

    if (first)
        *m = *first;
    else if ((rc = cv_nested(m, d, SEED + 1000u * (uint64_t)r0)) < 0)
        return rc;
    for (k = 1; k < REPEATS; k++) {
        if ((rc = cv_nested(&r, d, SEED + 1000u * (uint64_t)(r0 + k))) < 0)
            return rc;
        m->n += r.n;
        m->tp += r.tp;
        m->tn += r.tn;
        m->fp += r.fp;
        m->fn += r.fn;
        m->auc += r.auc;
    }
    m->accuracy = (double)(m->tp + m->tn) / (double)m->n;
    m->sensitivity = (double)m->tp / (double)(m->tp + m->fn);
    m->specificity = (double)m->tn / (double)(m->tn + m->fp);
    m->auc /= REPEATS;
    if (r0 == 0)
        snprintf(m->name, sizeof(m->name),
                 "nested %d-fold CV repeated %d times (other folds each time), pooled", FOLDS,
                 REPEATS);
    else
        snprintf(m->name, sizeof(m->name),
                 "nested %d-fold CV repeated %d times on check seeds (not used in choices), pooled",
                 FOLDS, REPEATS);
    return CR_OK;
}

cr_err cr_model__followers_cv(cr_model_report *out, const char *path)
{
    int depth = DEPTH;
    dataset d;
    cr_err rc;

    if ((rc = dataset_read(&d, path)) < 0)
        return rc;

    if ((rc = cv_plain(&out->sets[0], &out->threshold, &depth, &d)) >= 0 &&
        (rc = cv_nested(&out->sets[1], &d, SEED)) >= 0 &&
        (rc = cv_nested_repeated(&out->sets[2], &out->sets[1], &d, 0)) >= 0 &&
        (rc = cv_nested_repeated(&out->sets[3], NULL, &d, REPEATS)) >= 0)
        out->nsets = 4;
    dataset_dispose(&d);
    return rc;
}

/* A tree as one string: its nodes in order, "F THR L R" for a split (go left when feature F
 * <= THR; L and R index the tree's nodes) and "=V" for a leaf, separated by "; ". Reals
 * with 10 significant digits, like the rest of the JSON: the file is the same on every
 * machine that trains it, and the model is exactly what the loader reads back. */
static cr_err tree_string(cr_str *out, const fit *f, size_t t)
{
    size_t k, lo = f->roots[t], hi = t + 1 < f->ntrees ? f->roots[t + 1] : f->nnodes;
    cr_err rc = CR_OK;

    cr_str_clear(out);
    for (k = lo; rc >= 0 && k < hi; k++) {
        const cr_model__node *nd = &f->nodes[k];

        if (k > lo)
            rc = cr_str_put(out, "; ", 2);
        if (rc >= 0 && nd->feat >= 0)
            rc = cr_str_printf(out, "%d %.10g %d %d", nd->feat, nd->thr, nd->left - (int)lo,
                               nd->right - (int)lo);
        else if (rc >= 0)
            rc = cr_str_printf(out, "=%.10g", nd->value);
    }
    return rc;
}

/* The stored figures are rounded as the file stores them, so a trained model and the same
 * model read back from its file score alike. */
static double round10(double v)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%.10g", v);
    return strtod(buf, NULL);
}

cr_err cr_model__followers_train(cr_model **out, const char *path, const char *date)
{
    cr_model_metrics cv, nested;
    json_t *names = NULL, *trees = NULL, *doc = NULL;
    double threshold = 0.5;
    size_t i, pos = 0;
    int depth = DEPTH;
    cr_str ts;
    dataset d;
    fit f;
    cr_err rc;

    *out = NULL;
    memset(&f, 0, sizeof(f));
    cr_str_init(&ts, 1u << 20);
    if ((rc = dataset_read(&d, path)) < 0)
        return rc;
    if ((rc = cv_plain(&cv, &threshold, &depth, &d)) < 0 ||
        (rc = cv_nested(&nested, &d, SEED)) < 0 ||
        (rc = fit_trees(&f, d.x, d.y, NULL, d.ps.n, depth)) < 0)
        goto done;
    for (i = 0; i < d.ps.n; i++)
        pos += d.y[i] == 1;
    names = json_array();
    trees = json_array();
    for (i = 0; names && i < NF; i++)
        json_array_append_new(names, json_string(feature_names[i]));
    for (i = 0; trees && i < f.ntrees; i++) {
        if ((rc = tree_string(&ts, &f, i)) < 0)
            goto done;
        json_array_append_new(trees, json_string(cr_str_cstr(&ts)));
    }
    doc = json_pack(
        "{s:s,s:i,s:s,s:o,s:{s:i,s:i,s:f,s:f,s:f},s:f,s:o,s:f,s:{s:s,s:f,s:s},s:o,"
        "s:{s:i,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f,"
        "s:{s:s,s:I,s:I,s:I,s:I,s:f,s:f,s:f}},s:s,s:s}",
        "kind", "followers", "version", 2, "model",
        "gradient-boosted regression trees, logistic loss, Newton leaf values; the score is "
        "1 / (1 + exp(-(base + the leaf value of every tree)))",
        "features", names, "boosting", "rounds", ROUNDS, "depth", depth, "shrinkage", ETA, "lambda",
        LAMBDA, "min_child_hessian", MIN_HESS, "base", round10(f.base), "trees", trees, "threshold",
        round10(threshold), "threshold_rule", "rule",
        "highest cross-validated sensitivity with specificity >= target", "target_specificity",
        TARGET_SPEC, "target_sensitivity", ">= 0.774 (SRF 2017, random forest, validation split)",
        "training", cr_model__file_info(path, d.ps.n), "cv", "folds", FOLDS, "seed",
        (json_int_t)SEED, "scheme", "stratified k-fold; out-of-fold scores", "n", (json_int_t)cv.n,
        "positives", (json_int_t)pos, "negatives", (json_int_t)(d.ps.n - pos), "tp",
        (json_int_t)cv.tp, "tn", (json_int_t)cv.tn, "fp", (json_int_t)cv.fp, "fn",
        (json_int_t)cv.fn, "accuracy", cv.accuracy, "sensitivity", cv.sensitivity, "specificity",
        cv.specificity, "auc", cv.auc, "nested", "scheme", nested.name, "tp", (json_int_t)nested.tp,
        "tn", (json_int_t)nested.tn, "fp", (json_int_t)nested.fp, "fn", (json_int_t)nested.fn,
        "accuracy", nested.accuracy, "sensitivity", nested.sensitivity, "specificity",
        nested.specificity, "date", date, "licence",
        "Trees derived from SRF Data's labelled_1000_inclprivate.csv (CC BY-SA 4.0, "
        "github.com/srfdata/2017-10-instagram-influencers); this file is CC BY-SA 4.0 too.");
    names = trees = NULL;
    if (doc == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    rc = cr_model__from_doc(out, doc);
done:
    json_decref(names);
    json_decref(trees);
    fit_dispose(&f);
    cr_str_dispose(&ts);
    dataset_dispose(&d);
    return rc;
}

static cr_err bad_tree(const char *name, size_t t, const char *at, const char *expected)
{
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                        "%s: field trees[%zu]: expected %s, found '%.20s'", name, t, expected, at);
}

/* One tree string (see tree_string) appended to m's nodes, its indices checked. */
static cr_err load_tree(cr_model *m, const char *s, const char *name, size_t t, size_t *cap)
{
    size_t lo = m->nnodes, k;
    const char *p = s;
    char *end;

    while (*p) {
        cr_model__node nd;

        memset(&nd, 0, sizeof(nd));
        nd.feat = -1;
        if (*p == '=') {
            nd.value = strtod(p + 1, &end);
            if (end == p + 1)
                return bad_tree(name, t, p, "a leaf '=VALUE'");
        } else {
            long v[3];
            int j;

            v[0] = strtol(p, &end, 10);
            if (end == p || v[0] < 0 || v[0] >= NF)
                return bad_tree(name, t, p, "a feature index 0-15 or '=VALUE'");
            p = end;
            nd.thr = strtod(p, &end);
            if (end == p)
                return bad_tree(name, t, p, "a split threshold");
            for (j = 1; j < 3; j++) {
                p = end;
                v[j] = strtol(p, &end, 10);
                if (end == p || v[j] <= 0 || v[j] > 4096)
                    return bad_tree(name, t, p, "a child node index");
            }
            nd.feat = (int)v[0];
            nd.left = (int)(lo + (size_t)v[1]);
            nd.right = (int)(lo + (size_t)v[2]);
        }
        if (m->nnodes == *cap) {
            size_t c = *cap ? *cap * 2 : 1024;
            cr_model__node *a = cr_realloc(m->nodes, c * sizeof(*a));

            if (a == NULL)
                return cr_error_oom();
            m->nodes = a;
            *cap = c;
        }
        m->nodes[m->nnodes++] = nd;
        p = end;
        if (*p == ';')
            p++;
        while (*p == ' ')
            p++;
        if (*end != '\0' && *end != ';')
            return bad_tree(name, t, end, "'; ' between nodes");
    }
    if (m->nnodes == lo)
        return bad_tree(name, t, s, "at least one node");
    /* children come after their parent, inside the tree: no cycles, no dangling index */
    for (k = lo; k < m->nnodes; k++)
        if (m->nodes[k].feat >= 0 &&
            ((size_t)m->nodes[k].left <= k || (size_t)m->nodes[k].left >= m->nnodes ||
             (size_t)m->nodes[k].right <= k || (size_t)m->nodes[k].right >= m->nnodes))
            return bad_tree(name, t, s, "child indices after their node and inside the tree");
    return CR_OK;
}

cr_err cr_model__followers_load(cr_model *m, const char *name)
{
    json_t *cv = json_object_get(m->doc, "cv");
    json_t *trees = json_object_get(m->doc, "trees");
    json_t *names = json_object_get(m->doc, "features");
    size_t t, cap = 0;
    cr_err rc;

    if (!json_is_array(names) || json_array_size(names) != NF)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: field features: expected the %d feature names of this version "
                            "of crest, found %s",
                            name, NF, json_is_array(names) ? "another count" : "none");
    for (t = 0; t < NF; t++) {
        const char *f = json_string_value(json_array_get(names, t));

        if (f == NULL || strcmp(f, feature_names[t]) != 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "%s: field features[%zu]: expected %s, found %s", name, t,
                                feature_names[t], f ? f : "no string");
    }
    if (!json_is_array(trees) || json_array_size(trees) == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: field trees: expected an array of tree strings, found none", name);
    if ((m->roots = cr_calloc(json_array_size(trees), sizeof(*m->roots))) == NULL)
        return cr_error_oom();
    for (t = 0; t < json_array_size(trees); t++) {
        const char *s = json_string_value(json_array_get(trees, t));

        if (s == NULL)
            return bad_tree(name, t, "", "a string");
        m->roots[t] = m->nnodes;
        if ((rc = load_tree(m, s, name, t, &cap)) < 0)
            return rc;
        m->ntrees++;
    }
    m->base = cr_model__num(m->doc, "base", 0);
    m->threshold = cr_model__num(m->doc, "threshold", 0.5);
    /* Rogan-Gladen corrects with the nested CV's figures when the model has them: the plain
     * CV chose the threshold on the same scores, so its Se and Sp lean optimistic */
    m->se = cr_model__num(json_object_get(cv, "nested"), "sensitivity",
                          cr_model__num(cv, "sensitivity", 0));
    m->sp = cr_model__num(json_object_get(cv, "nested"), "specificity",
                          cr_model__num(cv, "specificity", 0));
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
