/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review_int.h - what the files of src/review share: form documents (YAML or JSON through
 * libfyaml, errors with file, line, column and field), lookups of cycles and partners, the
 * rubric in memory, JSON text out, and the small statistics of trends. */
#ifndef CR_REVIEW_INT_H
#define CR_REVIEW_INT_H

#include <jansson.h>
#include <libfyaml.h>

#include "crest/review.h"
#include "store/portable.h"
#include "store/review.h"
#include "track/doc.h"

#define REVIEW_MAX_CRITERIA 32

typedef struct {
    char code[48];
    char name[96];
    char dimension[48];
    char anchors[CR_REVIEW_LEVELS][320];
} cr_review__criterion;
/* review.c copies code into dimension whole */
_Static_assert(sizeof(((cr_review__criterion *)0)->code) ==
                   sizeof(((cr_review__criterion *)0)->dimension),
               "code and dimension have one size");

typedef struct {
    char name[65];
    int version;
    const char *origin; /* "built in" or "stored" */
    size_t ncriteria;
    cr_review__criterion criteria[REVIEW_MAX_CRITERIA];
} cr_review__rubric;

/* A form document; CR_EINVALID naming file, line and column when it is not a mapping. */
cr_err cr_review__doc(struct fy_document **out, const char *text, size_t len, const char *file);
/* The value of `key` in mapping n; NULL when absent. */
struct fy_node *cr_review__get(struct fy_node *n, const char *key);
/* A required (req) or optional text field into a new string (*out NULL when absent). */
cr_err cr_review__text(
    char **out, const char *file, struct fy_node *map, const char *key, int req, size_t max);
/* An integer field in [lo, hi]; *out untouched when absent and not required. */
cr_err cr_review__int(int64_t *out,
                      const char *file,
                      struct fy_node *map,
                      const char *key,
                      int req,
                      int64_t lo,
                      int64_t hi);
/* A date field (YYYY-MM-DD) as midnight UTC. */
cr_err
cr_review__date(int64_t *out, const char *file, struct fy_node *map, const char *key, int req);

/* A creator named "ID", "platform/handle", "@handle" or "handle"; `file`/`n` for the error. */
cr_err cr_review__creator(int64_t *out,
                          cr_store *st,
                          const char *ref,
                          const char *file,
                          struct fy_node *n,
                          const char *field);
/* A cycle by name or id as its row (*out owned); CR_ENOTFOUND naming it. */
cr_err cr_review__cycle(json_t **out, cr_store *st, const char *ref);

/* The rubric called name at version (0: latest). */
cr_err cr_review__rubric_load(cr_review__rubric *out, cr_store *st, const char *name, int version);
cr_err
cr_review__rubric_parse(cr_review__rubric *out, const char *text, size_t len, const char *file);
const cr_review__criterion *cr_review__criterion_find(const cr_review__rubric *r, const char *code);

/* A transaction of our own unless the caller holds one (the demo writes everything in one);
 * end commits or rolls back only our own and returns rc (or the commit's error). */
cr_err cr_review__begin(cr_store *st, int *own);
cr_err cr_review__end(cr_store *st, int own, cr_err rc);
/* The last error's message again, with another code (a form's reference not found). */
cr_err cr_review__recode(cr_err code);
/* json_dumps of j into *out (consumes j). */
cr_err cr_review__dump(char **out, json_t *j);
/* An integer / a text member of a row object. */
int64_t cr_review__i(const json_t *o, const char *key);
const char *cr_review__s(const json_t *o, const char *key);
/* "platform/handle" of a creator id into buf. */
cr_err cr_review__handle(char *buf, size_t size, cr_store *st, int64_t creator_id);

/* OLS of y on x = 0..n-1: the slope with its two-sided t-interval at `level` (0.95);
 * low/high are NAN when n < 3. */
typedef struct {
    size_t n;
    double slope, low, high, intercept;
} cr_review__trend;
void cr_review__ols(cr_review__trend *out, const double *y, size_t n, double level);
/* "up", "down", "flat" (the interval holds 0) or "n/a" (fewer than 3 points). */
const char *cr_review__arrow(const cr_review__trend *t);
/* The Student t quantile: P(T <= t) = p with df degrees of freedom. */
double cr_review__t_quantile(double p, double df);

#endif
