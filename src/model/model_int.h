/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * model_int.h - what the files of src/model share: the model struct (its JSON document is
 * the source of truth, the numeric fields are derived from it on load), the embedded
 * data/models/ table and the metric helpers. */
#ifndef CR_MODEL_INT_H
#define CR_MODEL_INT_H

#include <jansson.h>
#include <stdint.h>

#include "crest/model.h"

#define CR_FOLLOWERS_NFEAT 16
#define CR_TEXT_MAX_CLASS  3

/* a node of a followers tree: a split (feat >= 0: left when x[feat] <= thr) or a leaf */
typedef struct {
    int feat;
    double thr;
    int left, right;
    double value;
} cr_model__node;

struct cr_model {
    cr_model_kind kind;
    json_t *doc; /* the whole model document, written out as is */
    /* followers: gradient-boosted trees; tree t starts at nodes[roots[t]] */
    double base;
    cr_model__node *nodes;
    size_t nnodes, ntrees, *roots;
    double threshold, se, sp;
    size_t n_pos, n_neg;
    /* spam, sentiment: logistic regression over hashed features */
    size_t nclass;
    uint32_t nbuckets;
    uint32_t hash_bits;
    int char_lo, char_hi;
    int balanced, lexicon;
    int words, twitter;          /* sentiment: word n-grams (0-2), tweet normalisation */
    int classes, shifters, cues; /* sentiment; spam */
    int counts;                  /* sentiment: polar word counts, negations, ! and ? */
    double lex_weight, cue_weight;
    double bias[CR_TEXT_MAX_CLASS];
    double *weight; /* nbuckets * nclass */
    /* forecast: documented assumptions, not fitted */
    size_t window;
    double prior_n, prior_sigma, prior_tau, z80, reach_rate;
    size_t ntiers;
    double tier_min[16], tier_rate[16];
};

typedef struct {
    const char *name;
    const char *type;
    const unsigned char *bytes;
    size_t size;
} cr_model__file;

extern const cr_model__file cr_model__files[];

/* one labelled score (binary kinds) */
typedef struct {
    double score;
    int label;
} cr_model__scored;

/* Fill tp..auc of m from scored items at threshold t (score >= t is positive). */
cr_err cr_model__binary_metrics(cr_model_metrics *m, cr_model__scored *s, size_t n, double t);
double cr_model__auc(cr_model__scored *s, size_t n);
/* A stratified fold (0..k-1) per item, from a fixed seed: labels[i] in 0..nclass-1. */
cr_err cr_model__folds(int **out, const int *labels, size_t n, int k, uint64_t seed);
/* The file's base name, for provenance and messages. */
const char *cr_model__base(const char *path);
/* {"file", "sha256", "rows"} of one training file */
json_t *cr_model__file_info(const char *path, size_t rows);
/* today's date (UTC), YYYY-MM-DD */
void cr_model__today(char out[11]);
double cr_model__num(const json_t *o, const char *key, double dflt);

/* a trained model: its document (taken) loaded like any other */
cr_err cr_model__from_doc(cr_model **out, json_t *doc);

/* per kind */
cr_err cr_model__followers_load(cr_model *m, const char *name);
cr_err cr_model__followers_train(cr_model **out, const char *path, const char *date);
cr_err cr_model__followers_eval(cr_model_report *out, const cr_model *m, const char *path);
cr_err cr_model__followers_cv(cr_model_report *out, const char *path);

cr_err cr_model__text_load(cr_model *m, const char *name);
cr_err cr_model__text_train(
    cr_model **out, cr_model_kind kind, const char *const *files, size_t nfiles, const char *date);
cr_err
cr_model__text_eval(cr_model_report *out, const cr_model *m, const char *data, const char *labels);
cr_err cr_model__text_cv(cr_model_report *out,
                         cr_model_kind kind,
                         const char *const *files,
                         size_t nfiles);

/* the strength (-3..3) of the folded word w[0..n) in crest's polarity list, 0 if absent */
int cr_model__polarity(const char *w, size_t n);

cr_err cr_model__forecast_load(cr_model *m, const char *name);
cr_err cr_model__forecast_eval(cr_model_report *out, const cr_model *m, const char *path);

#endif
