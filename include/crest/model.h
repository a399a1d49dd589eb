/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * model.h - the models of discovery and vetting, reproducible and evaluated: the fake-follower
 * classifier (gradient-boosted trees), the comment spam and sentiment classifiers (logistic
 * regression over hashed token and character n-grams) and next-post forecasts (log-normal, shrunk
 * toward a tier prior). Each trained model is a JSON document: the shipped ones are embedded
 * in libcrest (built from data/models/), `crest model train` writes new ones, and every figure
 * in the docs comes from cr_model_eval() / cr_model_cv() on the data sets' own files. */
#ifndef CR_MODEL_H
#define CR_MODEL_H

#include "crest/common.h"
#include "crest/errors.h"

CR_BEGIN_DECL

typedef enum {
    CR_MODEL_FOLLOWERS = 0, /* fake followers: SRF CSV, rating TRUE = fake */
    CR_MODEL_SPAM,          /* comment spam: YouTube Spam Collection CSV, CLASS 1 = spam */
    CR_MODEL_SENTIMENT,     /* tweets: TweetEval TEXT + LABELS (0 neg, 1 neu, 2 pos) */
    CR_MODEL_FORECAST       /* next-post engagements: InstaFake engagement JSON */
} cr_model_kind;

/** A trained (or, for forecasts, parameterised) model; opaque. */
typedef struct cr_model cr_model;

/** "followers", "spam", "sentiment", "forecast" to a kind. @return CR_OK or CR_EINVALID */
CR_EXTERN(cr_err) cr_model_kind_parse(cr_model_kind *out, const char *name);
CR_EXTERN(const char *) cr_model_kind_name(cr_model_kind kind);

/**
 * The model shipped with crest (data/models/KIND.json, embedded in the library).
 * @return CR_OK, CR_ENOTFOUND when none is shipped, CR_ENOMEM
 */
CR_EXTERN(cr_err) cr_model_builtin(cr_model **out, cr_model_kind kind);
/** A model from its JSON text (`name` for messages). @return CR_OK, CR_EINVALID, CR_ENOMEM */
CR_EXTERN(cr_err)
cr_model_parse(cr_model **out, const char *json, size_t len, const char *name);
/** The most a model file may hold: text models are tables of weights, larger than the 1 MiB
 * the CLI allows other documents. */
#define CR_MODEL_FILE_MAX (64u << 20)
/**
 * A model from a JSON file of at most CR_MODEL_FILE_MAX bytes.
 * @return CR_OK, CR_ENOTFOUND (no such file), CR_EIO, CR_EINVALID (too large, or not a
 *   model: the message names the file and field), CR_ENOMEM
 */
CR_EXTERN(cr_err) cr_model_read(cr_model **out, const char *path);
CR_EXTERN(cr_model_kind) cr_model_get_kind(const cr_model *m);
CR_EXTERN(void) cr_model_free(cr_model *m);

/** The model as JSON text, NUL-terminated; the caller frees it with cr_model_text_free(). */
CR_EXTERN(cr_err) cr_model_to_json(char **out, const cr_model *m);
CR_EXTERN(void) cr_model_text_free(char *s);

/** Training options; zero-initialise through CR_MODEL_TRAIN_OPTIONS_INIT. */
typedef struct {
    unsigned int version;
    const char *date; /* recorded as the training date (YYYY-MM-DD); NULL = today (UTC) */
} cr_model_train_options;
#define CR_MODEL_TRAIN_OPTIONS_VERSION 1
#define CR_MODEL_TRAIN_OPTIONS_INIT          \
    {                                        \
        CR_MODEL_TRAIN_OPTIONS_VERSION, NULL \
    }

/**
 * Fit a model on labelled files in the data set's own format (followers: one SRF CSV; spam:
 * one or more YouTube Spam Collection CSVs; sentiment: TEXT then LABELS). Deterministic: the
 * same files give the same JSON. Followers training cross-validates to choose the decision
 * threshold and records the CV metrics in the model.
 * @return CR_OK, CR_EINVALID (a file names file:line:column: field), CR_EIO, CR_ENOMEM;
 *   CR_EUSAGE for a kind that is not trained (forecast)
 */
CR_EXTERN(cr_err)
cr_model_train(cr_model **out,
               cr_model_kind kind,
               const char *const *files,
               size_t nfiles,
               const cr_model_train_options *opts);

/** One evaluation: a data set, a fold scheme or a held-out part. */
typedef struct {
    char name[96]; /* "10-fold CV", "held out: Youtube04-Eminem.csv", "file" */
    size_t n;      /* items scored */
    /* binary kinds (followers, spam): positive = fake / spam */
    size_t tp, tn, fp, fn;
    double accuracy, sensitivity, specificity, auc;
    /* sentiment: recall per class (negative, neutral, positive) and their mean */
    double recall[3], macro_recall;
    /* forecast: mean absolute percentage error over posts with engagements > 0, the share of
     * posts inside the 80% interval, and the accounts used */
    double mape, coverage;
    size_t accounts;
} cr_model_metrics;

#define CR_MODEL_MAX_SETS 8

typedef struct {
    cr_model_kind kind;
    double threshold; /* binary kinds: the score cut-off used */
    size_t nsets;
    cr_model_metrics sets[CR_MODEL_MAX_SETS];
} cr_model_report;

/**
 * Score a labelled file with a model (followers: SRF CSV; spam: YouTube CSV; sentiment:
 * `data` TEXT and `labels` LABELS; forecast: InstaFake JSON). One set in the report.
 * @return CR_OK, CR_EINVALID, CR_EIO, CR_ENOMEM
 */
CR_EXTERN(cr_err)
cr_model_eval(cr_model_report *out, const cr_model *m, const char *data, const char *labels);

/**
 * Cross-validate on training files as cr_model_train() takes them: followers and sentiment
 * stratified 10-fold; spam 10-fold over the files pooled and each file held out in turn.
 * @return as cr_model_train()
 */
CR_EXTERN(cr_err)
cr_model_cv(cr_model_report *out, cr_model_kind kind, const char *const *files, size_t nfiles);

/** Score of one text in [0, 1]: P(spam) for spam; for sentiment P(positive) - P(negative)
 * mapped to [0, 1]. `label` receives the predicted class (spam: 0/1; sentiment: 0/1/2). */
CR_EXTERN(cr_err)
cr_model_text_classify(double *score, int *label, const cr_model *m, const char *text, size_t len);

/* ---- fake followers ---- */

/** One follower profile (a row of a follower sample). */
typedef struct {
    const char *username;
    int64_t posts, followers, following;
    int has_picture, is_private;
} cr_follower_profile;

/** P(fake) of one profile under a followers model. */
CR_EXTERN(double) cr_model_followers_score(const cr_model *m, const cr_follower_profile *p);

/** A follower sample classified and summarised. */
typedef struct {
    size_t n;           /* profiles read */
    size_t flagged;     /* classified fake */
    double observed;    /* flagged / n */
    double sensitivity; /* the classifier's, from its cross-validation */
    double specificity; /* idem */
    double fake_share;  /* Rogan-Gladen corrected, clamped to [0, 1] */
    double low, high;   /* 95% interval (delta method, Se/Sp uncertainty included) */
    double threshold;   /* score cut-off */
    size_t real, mass_followers, influencers, suspicious; /* audience types */
} cr_follower_audit;

/**
 * Classify a CSV of follower profiles: columns username (or Username), posts
 * (Number.of.posts), followers (Number.of.followers), following
 * (Number.of.people.they.follow), has_profile_picture, private (Private.account); TRUE/FALSE,
 * true/false, yes/no or 1/0. A `rating` column, if present, is ignored.
 * Audience types: suspicious = classified fake; else mass follower = following > 1,500; else
 * influencer = followers > 5,000; else real.
 * @return CR_OK, CR_EINVALID (file:line:column: field, expected, found), CR_EIO, CR_ENOMEM
 */
CR_EXTERN(cr_err)
cr_model_followers_classify(cr_follower_audit *out, const cr_model *m, const char *path);

/**
 * Rogan-Gladen prevalence from `flagged` of `n` with a classifier of sensitivity `se` and
 * specificity `sp` known from `n_pos` positives and `n_neg` negatives; 95% interval by the
 * delta method over the three binomial proportions. Estimate and bounds clamped to [0, 1].
 * @return CR_OK, or CR_EINVALID when se + sp <= 1 or n == 0
 */
CR_EXTERN(cr_err)
cr_model_rogan_gladen(double *est,
                      double *low,
                      double *high,
                      size_t flagged,
                      size_t n,
                      double se,
                      double sp,
                      size_t n_pos,
                      size_t n_neg);

/* ---- forecasts ---- */

/** A next-post forecast with its 80% prediction interval. */
typedef struct {
    double expected, low, high; /* median of the predictive log-normal and its 10%/90% */
    size_t history;             /* posts used */
    double shrink;              /* weight of the creator's own history (0 = all prior) */
} cr_forecast;

/**
 * Forecast the next value of a series (oldest first; values < 0 are skipped) from at most the
 * model's window of recent values, shrunk toward the prior `prior_rate * followers` (log
 * scale) by empirical-Bayes weights. followers <= 0 uses the history alone (no history: an
 * error).
 * @return CR_OK, or CR_EINVALID when there is neither history nor followers
 */
CR_EXTERN(cr_err)
cr_model_forecast(cr_forecast *out,
                  const cr_model *m,
                  const double *series,
                  size_t n,
                  double followers,
                  double prior_rate);

/** The prior engagement rate per follower (engagements / followers) of a follower count: the
 * midpoints of the Untapper 2026 Instagram benchmarks (docs/models.md). */
CR_EXTERN(double) cr_model_forecast_prior_rate(const cr_model *m, double followers);
/** The prior reach per follower of a post (an assumption, docs/models.md). */
CR_EXTERN(double) cr_model_forecast_reach_rate(const cr_model *m);

CR_END_DECL

#endif /* CR_MODEL_H */
