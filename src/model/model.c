/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * model.c - the model kinds, loading (built in or from JSON text), writing, and the metric
 * helpers every kind uses: stratified folds from a fixed seed, confusion counts and the AUC
 * (Mann-Whitney, ties counted half). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model_int.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/rng.h"

static const char *const kind_names[] = { "followers", "spam", "sentiment", "forecast" };

cr_err cr_model_kind_parse(cr_model_kind *out, const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (cr_model_kind)i;
            return CR_OK;
        }
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                        "unknown model kind '%s'; expected followers, spam, sentiment or forecast",
                        name);
}

const char *cr_model_kind_name(cr_model_kind kind)
{
    return (unsigned)kind < 4 ? kind_names[kind] : "?";
}

cr_model_kind cr_model_get_kind(const cr_model *m)
{
    return m->kind;
}

void cr_model_free(cr_model *m)
{
    if (m == NULL)
        return;
    json_decref(m->doc);
    cr_free(m->weight);
    cr_free(m->nodes);
    cr_free(m->roots);
    cr_free(m);
}

void cr_model_text_free(char *s)
{
    free(s); /* jansson's allocation: json_dumps() */
}

double cr_model__num(const json_t *o, const char *key, double dflt)
{
    json_t *v = json_object_get(o, key);

    return json_is_number(v) ? json_number_value(v) : dflt;
}

static cr_err model_from_doc(cr_model **out, json_t *doc, const char *name)
{
    cr_model *m = NULL;
    cr_model_kind kind = CR_MODEL_FOLLOWERS;
    const char *k;
    cr_err rc;

    *out = NULL;
    k = json_string_value(json_object_get(doc, "kind"));
    if (k == NULL) {
        json_decref(doc);
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: field kind: expected a model kind string, found none", name);
    }
    if ((rc = cr_model_kind_parse(&kind, k)) < 0) {
        json_decref(doc);
        return cr_error_set(rc, CR_ERRCLASS_PARSE, "%s: field kind: %s", name,
                            cr_error_last()->message);
    }
    if ((m = cr_calloc(1, sizeof(*m))) == NULL) {
        json_decref(doc);
        return cr_error_oom();
    }
    m->kind = kind;
    m->doc = doc;
    switch (kind) {
    case CR_MODEL_FOLLOWERS:
        rc = cr_model__followers_load(m, name);
        break;
    case CR_MODEL_SPAM:
    case CR_MODEL_SENTIMENT:
        rc = cr_model__text_load(m, name);
        break;
    default:
        rc = cr_model__forecast_load(m, name);
        break;
    }
    if (rc < 0) {
        cr_model_free(m);
        return rc;
    }
    *out = m;
    return CR_OK;
}

cr_err cr_model_parse(cr_model **out, const char *json, size_t len, const char *name)
{
    json_error_t e;
    json_t *doc;

    *out = NULL;
    if ((doc = json_loadb(json, len, 0, &e)) == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: %s", name, e.line, e.column,
                            e.text);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s:1:1: expected a model object, found another JSON value", name);
    }
    return model_from_doc(out, doc, name);
}

cr_err cr_model_read(cr_model **out, const char *path)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    FILE *f;
    cr_err rc = CR_OK;

    *out = NULL;
    if ((f = fopen(path, "rb")) == NULL)
        return cr_error_set(errno == ENOENT ? CR_ENOTFOUND : CR_EIO, CR_ERRCLASS_OS,
                            "%s: cannot open: %s", path, strerror(errno));
    for (;;) {
        size_t got;

        if (n == cap) {
            char *p;

            cap = cap ? cap * 2 : 1u << 16;
            if (cap > (size_t)CR_MODEL_FILE_MAX + 1)
                cap = (size_t)CR_MODEL_FILE_MAX + 1;
            if (n == cap) {
                rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                  "%s: expected a model file of at most %u MiB, found a larger "
                                  "file",
                                  path, CR_MODEL_FILE_MAX >> 20);
                break;
            }
            if ((p = cr_realloc(buf, cap)) == NULL) {
                rc = cr_error_oom();
                break;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot read", path);
            break;
        }
    }
    fclose(f);
    if (rc >= 0)
        rc = cr_model_parse(out, buf ? buf : "", n, path);
    cr_free(buf);
    return rc;
}

/* a model made by training: the document is built, then loaded like any other */
cr_err cr_model__from_doc(cr_model **out, json_t *doc)
{
    return model_from_doc(out, doc, "trained model");
}

cr_err cr_model_builtin(cr_model **out, cr_model_kind kind)
{
    char want[64];
    size_t i;

    *out = NULL;
    snprintf(want, sizeof(want), "%s.json", cr_model_kind_name(kind));
    for (i = 0; cr_model__files[i].name; i++)
        if (strcmp(cr_model__files[i].name, want) == 0)
            return cr_model_parse(out, (const char *)cr_model__files[i].bytes,
                                  cr_model__files[i].size, want);
    return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_PARSE, "no shipped %s model (data/models/%s)",
                        cr_model_kind_name(kind), want);
}

cr_err cr_model_to_json(char **out, const cr_model *m)
{
    /* 10 significant digits: the file is the same on every machine that trains it */
    if ((*out = json_dumps(m->doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10))) == NULL)
        return cr_error_oom();
    return CR_OK;
}

cr_err cr_model_train(cr_model **out,
                      cr_model_kind kind,
                      const char *const *files,
                      size_t nfiles,
                      const cr_model_train_options *opts)
{
    char today[11];
    const char *date = opts && opts->date ? opts->date : NULL;

    *out = NULL;
    if (date == NULL) {
        cr_model__today(today);
        date = today;
    }
    switch (kind) {
    case CR_MODEL_FOLLOWERS:
        if (nfiles != 1)
            return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI,
                                "followers trains on one SRF CSV, %zu files given", nfiles);
        return cr_model__followers_train(out, files[0], date);
    case CR_MODEL_SPAM:
    case CR_MODEL_SENTIMENT:
        return cr_model__text_train(out, kind, files, nfiles, date);
    default:
        return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI,
                            "forecast is not trained: its parameters are documented assumptions "
                            "(data/models/forecast.json)");
    }
}

cr_err cr_model_eval(cr_model_report *out, const cr_model *m, const char *data, const char *labels)
{
    memset(out, 0, sizeof(*out));
    out->kind = m->kind;
    switch (m->kind) {
    case CR_MODEL_FOLLOWERS:
        return cr_model__followers_eval(out, m, data);
    case CR_MODEL_SPAM:
    case CR_MODEL_SENTIMENT:
        return cr_model__text_eval(out, m, data, labels);
    default:
        return cr_model__forecast_eval(out, m, data);
    }
}

cr_err
cr_model_cv(cr_model_report *out, cr_model_kind kind, const char *const *files, size_t nfiles)
{
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    switch (kind) {
    case CR_MODEL_FOLLOWERS:
        if (nfiles != 1)
            return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI,
                                "followers cross-validates on one SRF CSV, %zu files given",
                                nfiles);
        return cr_model__followers_cv(out, files[0]);
    case CR_MODEL_SPAM:
    case CR_MODEL_SENTIMENT:
        return cr_model__text_cv(out, kind, files, nfiles);
    default:
        return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI,
                            "forecast has nothing to cross-validate; it is backtested by "
                            "crest model eval forecast --data FILE");
    }
}

static int cmp_scored(const void *a, const void *b)
{
    const cr_model__scored *x = a, *y = b;

    return x->score < y->score ? -1 : x->score > y->score;
}

/* Mann-Whitney U over the ranks, ties given their mean rank. Sorts s. */
double cr_model__auc(cr_model__scored *s, size_t n)
{
    double rank_sum = 0;
    size_t i = 0, j, npos = 0, nneg;

    cr_qsort(s, n, sizeof(*s), cmp_scored);
    while (i < n) {
        double mid;
        size_t k;

        for (j = i; j + 1 < n && s[j + 1].score == s[i].score; j++)
            ;
        mid = (double)(i + j + 2) / 2.0; /* 1-based ranks i+1..j+1 */
        for (k = i; k <= j; k++)
            if (s[k].label) {
                rank_sum += mid;
                npos++;
            }
        i = j + 1;
    }
    nneg = n - npos;
    if (npos == 0 || nneg == 0)
        return 0.5;
    return (rank_sum - (double)npos * (double)(npos + 1) / 2.0) / ((double)npos * (double)nneg);
}

cr_err cr_model__binary_metrics(cr_model_metrics *m, cr_model__scored *s, size_t n, double t)
{
    size_t i;

    m->n = n;
    m->tp = m->tn = m->fp = m->fn = 0;
    for (i = 0; i < n; i++) {
        int pred = s[i].score >= t;

        if (pred && s[i].label)
            m->tp++;
        else if (pred)
            m->fp++;
        else if (s[i].label)
            m->fn++;
        else
            m->tn++;
    }
    m->accuracy = n ? (double)(m->tp + m->tn) / (double)n : 0;
    m->sensitivity = m->tp + m->fn ? (double)m->tp / (double)(m->tp + m->fn) : 0;
    m->specificity = m->tn + m->fp ? (double)m->tn / (double)(m->tn + m->fp) : 0;
    m->auc = cr_model__auc(s, n);
    return CR_OK;
}

/* Items shuffled per class with a fixed seed, then dealt round-robin to the folds, so each
 * fold holds each class in proportion and the result does not depend on the file order
 * beyond the seed. */
cr_err cr_model__folds(int **out, const int *labels, size_t n, int k, uint64_t seed)
{
    int *fold = NULL, c, maxc = 0;
    size_t *idx = NULL, i, m, next = 0;
    cr_rng rng;

    *out = NULL;
    if ((fold = cr_calloc(n ? n : 1, sizeof(*fold))) == NULL ||
        (idx = cr_calloc(n ? n : 1, sizeof(*idx))) == NULL) {
        cr_free(fold);
        return cr_error_oom();
    }
    for (i = 0; i < n; i++)
        if (labels[i] > maxc)
            maxc = labels[i];
    cr_rng_seed(&rng, seed);
    for (c = 0; c <= maxc; c++) {
        for (m = 0, i = 0; i < n; i++)
            if (labels[i] == c)
                idx[m++] = i;
        for (i = m; i > 1; i--) {
            size_t j = (size_t)cr_rng_range(&rng, 0, (int64_t)i - 1);
            size_t t = idx[i - 1];

            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        for (i = 0; i < m; i++)
            fold[idx[i]] = (int)(next++ % (size_t)k);
    }
    cr_free(idx);
    *out = fold;
    return CR_OK;
}

const char *cr_model__base(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

json_t *cr_model__file_info(const char *path, size_t rows)
{
    char sha[CR_SHA256_HEX];

    if (cr_sha256_file(sha, path) < 0)
        sha[0] = '\0';
    return json_pack("{s:s,s:s,s:I}", "file", cr_model__base(path), "sha256", sha, "rows",
                     (json_int_t)rows);
}

void cr_model__today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
