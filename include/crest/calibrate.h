/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * calibrate.h - reviewer calibration (issue #8, point 5): a many-facet model of ratings
 *
 *     rating = ratee measure - rater severity - criterion difficulty + noise
 *
 * fitted either as an additive model in raw score points (alternating least squares with
 * sum-to-zero severities and difficulties, exact OLS standard errors) or as a Rasch
 * rating-scale many-facet model in logits (JMLE). It gives each rater's severity with a
 * standard error, fit statistics and flags, each ratee's "fair" score (the expected rating
 * from a rater of average severity on a criterion of average difficulty) with a standard
 * error, each criterion's difficulty, the connectivity of the rater x ratee graph with a
 * rotation that would connect it, and the global figures (sigma, reliability, separation).
 *
 * The engine is pure: it takes an array of ratings (from a CSV, or a review cycle of the
 * store) and returns a result; it never reads files or the store. Formulas and how to read
 * the figures: docs/calibration.md. */
#ifndef CR_CALIBRATE_H
#define CR_CALIBRATE_H

#include <math.h>

#include "crest/errors.h"

CR_BEGIN_DECL

/** One rating: `rater` gave `ratee` the score `score` on `criterion`. Strings are borrowed
 * for the call (the result copies what it keeps). */
typedef struct {
    const char *ratee;
    const char *rater;
    const char *criterion;
    double score;
} cr_rating;

typedef enum {
    CR_CALIBRATE_ADDITIVE = 0, /* raw score points, least squares */
    CR_CALIBRATE_RASCH = 1     /* logits, rating-scale many-facet Rasch model (JMLE) */
} cr_calibrate_model;

/** Options; start from CR_CALIBRATE_OPTIONS_INIT. A threshold of NAN takes the model's
 * default (documented in docs/calibration.md with its reason). */
typedef struct {
    unsigned int version;
    cr_calibrate_model model;
    /* flag a rater whose |severity| is above this AND significantly away from 0 (|z| >= 2);
     * default: 2 logits for Rasch (published rater spreads are -2..+2 logits, Lumley, RMT
     * 12:4), a quarter of the observed score range for the additive model */
    double severity_max;
    /* flag a rater whose infit or outfit mean-square is outside [fit_low, fit_high]; default
     * 0.5 .. 1.5 (Linacre's range "productive for measurement", RMT 16:2) */
    double fit_low, fit_high;
    /* flag a rater with fewer ratings than this (too few to judge); default 5 */
    size_t min_ratings;
    /* iteration limits of the fits; 0 takes the defaults (10000 sweeps, 1e-10) */
    unsigned int max_iter;
    double tolerance;
} cr_calibrate_options;

#define CR_CALIBRATE_OPTIONS_VERSION 1
#define CR_CALIBRATE_OPTIONS_INIT                                                   \
    {                                                                               \
        CR_CALIBRATE_OPTIONS_VERSION, CR_CALIBRATE_ADDITIVE, NAN, NAN, NAN, 5, 0, 0 \
    }

/** Why a rater is flagged (bits). */
#define CR_CALIBRATE_FLAG_SEVERE  0x1  /* severity above severity_max (harsher than most) */
#define CR_CALIBRATE_FLAG_LENIENT 0x2  /* severity below -severity_max (more lenient) */
#define CR_CALIBRATE_FLAG_MISFIT  0x4  /* fit mean-square above fit_high: erratic */
#define CR_CALIBRATE_FLAG_OVERFIT 0x8  /* fit mean-square below fit_low: too predictable, halo */
#define CR_CALIBRATE_FLAG_FEW     0x10 /* fewer ratings than min_ratings */
#define CR_CALIBRATE_FLAG_ISOLATED \
    0x20 /* not in the largest connected component: not comparable with the others */

typedef struct {
    char *name;
    size_t n;           /* ratings given */
    double raw_mean;    /* mean of the scores given */
    double severity;    /* + harsher than the average rater (points or logits) */
    double se;          /* standard error of severity */
    double infit;       /* information-weighted mean-square (expected 1) */
    double outfit;      /* unweighted mean-square of standardized residuals (expected 1) */
    size_t component;   /* index into the result's components */
    unsigned int flags; /* CR_CALIBRATE_FLAG_* */
    char reason[192];   /* the flags in words; "" when not flagged */
} cr_calibrate_rater;

typedef struct {
    char *name;
    size_t n;        /* ratings received */
    double raw_mean; /* mean of the scores received */
    double measure;  /* the model's measure (points for additive, logits for Rasch) */
    double measure_se;
    double fair;    /* expected score from an average rater on an average criterion */
    double fair_se; /* its standard error (delta method for Rasch) */
    double infit, outfit;
    int extreme; /* Rasch: -1 all ratings at the bottom, +1 all at the top, else 0 */
    size_t component;
} cr_calibrate_ratee;

typedef struct {
    char *name;
    size_t n;
    double raw_mean;
    double difficulty; /* + harder (lower scores) than the average criterion */
    double se;
} cr_calibrate_criterion;

/** A connected component of the rater x ratee graph (raters and ratees linked by ratings). */
typedef struct {
    size_t nraters, nratees;
    size_t *raters; /* indexes into result->raters */
    size_t *ratees; /* indexes into result->ratees */
} cr_calibrate_component;

/** A proposed extra assignment: `rater` also reviews `ratee`. Following all of them makes
 * the graph connected (components - 1 assignments). */
typedef struct {
    size_t rater, ratee; /* indexes into result->raters, result->ratees */
} cr_calibrate_assignment;

typedef struct {
    cr_calibrate_model model;
    size_t nratings;
    size_t nraters, nratees, ncriteria;
    cr_calibrate_rater *raters;         /* in order of first appearance */
    cr_calibrate_ratee *ratees;         /* in order of first appearance */
    cr_calibrate_criterion *criteria;   /* in order of first appearance */
    size_t ncomponents;                 /* 1: connected */
    cr_calibrate_component *components; /* largest first */
    size_t nrotation;
    cr_calibrate_assignment *rotation;
    double score_min, score_max; /* observed score range */
    double sigma; /* additive: residual standard deviation; Rasch: RMS standardized residual */
    double df;    /* additive: residual degrees of freedom */
    double rater_reliability, rater_separation; /* of the raters' severities */
    double ratee_reliability, ratee_separation; /* of the ratees' measures */
    size_t ncategories; /* Rasch: score categories (score_max - score_min + 1) */
    double *thresholds; /* Rasch: Rasch-Andrich thresholds F_1..F_m (ncategories - 1) */
    /* directions the design cannot separate beyond the expected ones (0: every severity and
     * difficulty is identified); > 0 when some rater and criterion effects are mixed, e.g. a
     * criterion rated by one rater only: those estimates are arbitrary splits */
    size_t confounded;
    unsigned int iterations; /* ALS sweeps or JMLE iterations */
    int converged;
    cr_calibrate_options options; /* as used: defaults filled in */
} cr_calibrate_result;

/**
 * Fit the model to n ratings.
 * @param opts NULL for the defaults
 * @return CR_OK; CR_EINVALID when there are fewer than 2 raters or ratees, a score is not a
 *         finite number, or (Rasch) a score is not a whole number; CR_ENOMEM
 */
CR_EXTERN(cr_err)
cr_calibrate(cr_calibrate_result **out,
             const cr_rating *ratings,
             size_t n,
             const cr_calibrate_options *opts);

CR_EXTERN(void) cr_calibrate_result_free(cr_calibrate_result *r);

/** "additive" / "rasch"; cr_calibrate_model_parse() returns CR_EINVALID for another name. */
CR_EXTERN(const char *) cr_calibrate_model_name(cr_calibrate_model m);
CR_EXTERN(cr_err) cr_calibrate_model_parse(cr_calibrate_model *out, const char *name);

/** Ratings read from a file: the strings live in `names` (each distinct string once). */
typedef struct {
    size_t n;
    cr_rating *ratings;
    size_t nnames;
    char **names;
} cr_rating_set;

/**
 * Read ratings from a CSV with the columns ratee,rater,criterion,score (any order, other
 * columns ignored; ',' ';' or tab). Dispose of `*out` with cr_rating_set_dispose().
 * @return CR_OK; CR_EINVALID naming file, line, column and field, what was expected and what
 *         was found; CR_EIO
 */
CR_EXTERN(cr_err) cr_rating_set_read_csv(cr_rating_set *out, const char *path);
CR_EXTERN(void) cr_rating_set_dispose(cr_rating_set *s);

CR_END_DECL

#endif /* CR_CALIBRATE_H */
