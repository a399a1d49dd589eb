/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * forecast.c - next-post forecasts: log(value) of a creator's posts is normal around the
 * creator's own level, and creators' levels are normal around the tier prior
 * log(prior rate x followers) with spread tau (a two-level normal model, empirical Bayes).
 * The forecast is the posterior predictive of the next post: its median and 10%/90%
 * quantiles. The post-to-post spread sigma pools the history's sample variance with
 * prior_n pseudo-posts at prior_sigma, so one or two posts do not give a zero-width interval.
 * Nothing here is fitted: window, prior_n, prior_sigma, tau and the tier rates are documented
 * assumptions (data/models/forecast.json, docs/models.md). The backtest reads InstaFake
 * engagement JSON (CC BY-NC 4.0: used for evaluation only). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"
#include "util/alloc.h"

cr_err cr_model__forecast_load(cr_model *m, const char *name)
{
    json_t *tiers = json_object_get(m->doc, "tiers"), *t;
    size_t i;

    m->window = (size_t)cr_model__num(m->doc, "window", 0);
    m->prior_n = cr_model__num(m->doc, "prior_n", -1);
    m->prior_sigma = cr_model__num(m->doc, "prior_sigma", 0);
    m->prior_tau = cr_model__num(m->doc, "prior_tau", 0);
    m->z80 = cr_model__num(m->doc, "z80", 1.2815516);
    m->reach_rate = cr_model__num(m->doc, "reach_rate", 0);
    if (m->window < 1 || m->prior_n < 0 || !(m->prior_sigma > 0) || !(m->prior_tau > 0) ||
        !(m->reach_rate > 0))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: fields window (>= 1), prior_n (>= 0), prior_sigma, prior_tau and "
                            "reach_rate (> 0) expected",
                            name);
    if (!json_is_array(tiers) || json_array_size(tiers) == 0 || json_array_size(tiers) > 16)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: field tiers: expected 1 to 16 {min_followers, rate}", name);
    json_array_foreach(tiers, i, t)
    {
        m->tier_min[i] = cr_model__num(t, "min_followers", -1);
        m->tier_rate[i] = cr_model__num(t, "rate", 0);
        if (m->tier_min[i] < 0 || !(m->tier_rate[i] > 0) ||
            (i > 0 && m->tier_min[i] <= m->tier_min[i - 1]))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "%s: field tiers[%zu]: expected min_followers ascending and rate "
                                "> 0",
                                name, i);
    }
    m->ntiers = json_array_size(tiers);
    return CR_OK;
}

double cr_model_forecast_prior_rate(const cr_model *m, double followers)
{
    size_t i, at = 0;

    for (i = 0; i < m->ntiers; i++)
        if (followers >= m->tier_min[i])
            at = i;
    return m->tier_rate[at];
}

double cr_model_forecast_reach_rate(const cr_model *m)
{
    return m->reach_rate;
}

cr_err cr_model_forecast(cr_forecast *out,
                         const cr_model *m,
                         const double *series,
                         size_t n,
                         double followers,
                         double prior_rate)
{
    double logs[256], mean = 0, ss = 0, s2, prec, mu, var, tau2, mu0 = 0;
    size_t i, k = 0, used;
    int have_prior = followers > 0 && prior_rate > 0;

    memset(out, 0, sizeof(*out));
    if (m->kind != CR_MODEL_FORECAST)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "a %s model does not forecast",
                            cr_model_kind_name(m->kind));
    /* the most recent `window` usable values; log(1 + v) so a zero is usable */
    for (i = n; i-- > 0 && k < m->window && k < 256;)
        if (series[i] >= 0)
            logs[k++] = log1p(series[i]);
    used = k;
    if (used == 0 && !have_prior)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "no history and no follower count: nothing to forecast from");
    for (i = 0; i < used; i++)
        mean += logs[i];
    if (used)
        mean /= (double)used;
    for (i = 0; i < used; i++)
        ss += (logs[i] - mean) * (logs[i] - mean);
    /* sigma^2: the history's variance pooled with prior_n pseudo-posts at prior_sigma */
    s2 = (m->prior_n * m->prior_sigma * m->prior_sigma + ss) /
         (m->prior_n + (used ? (double)used - 1 : 0));
    if (!(s2 > 0))
        s2 = m->prior_sigma * m->prior_sigma;
    tau2 = m->prior_tau * m->prior_tau;
    if (have_prior) {
        mu0 = log1p(prior_rate * followers);
        prec = 1 / tau2 + (double)used / s2;
        mu = (mu0 / tau2 + (double)used * mean / s2) / prec;
        out->shrink = ((double)used / s2) / prec;
    } else {
        prec = (double)used / s2;
        mu = mean;
        out->shrink = 1;
    }
    var = s2 + 1 / prec;
    out->expected = expm1(mu);
    out->low = fmax(0, expm1(mu - m->z80 * sqrt(var)));
    out->high = expm1(mu + m->z80 * sqrt(var));
    out->history = used;
    return CR_OK;
}

typedef struct {
    double t, v;
} post;

static int cmp_post(const void *a, const void *b)
{
    const post *x = a, *y = b;

    return x->t < y->t ? -1 : x->t > y->t;
}

cr_err cr_model__forecast_eval(cr_model_report *out, const cr_model *m, const char *path)
{
    json_error_t e;
    json_t *doc, *acc;
    post *ps = NULL;
    double *series = NULL, ape = 0;
    size_t i, j, nape = 0, inside = 0, scored = 0, accounts = 0;
    cr_err rc = CR_OK;

    if ((doc = json_load_file(path, 0, &e)) == NULL)
        return cr_error_set(errno == ENOENT ? CR_EIO : CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s:%d:%d: %s", path, e.line, e.column, e.text);
    if (!json_is_array(doc)) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s:1:1: expected an array of InstaFake accounts, found another value",
                          path);
        goto done;
    }
    json_array_foreach(doc, i, acc)
    {
        json_t *likes = json_object_get(acc, "mediaLikeNumbers");
        json_t *comments = json_object_get(acc, "mediaCommentNumbers");
        json_t *times = json_object_get(acc, "mediaUploadTimes");
        json_t *fol = json_object_get(acc, "userFollowerCount");
        size_t np = json_array_size(likes);
        double followers, rate;
        void *a;

        if (!json_is_array(likes) || !json_is_array(times) || !json_is_integer(fol) ||
            json_array_size(times) != np || (comments && json_array_size(comments) != np)) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "%s: account %zu: fields mediaLikeNumbers, mediaUploadTimes (same "
                              "length) and userFollowerCount expected",
                              path, i);
            goto done;
        }
        if (np == 0)
            continue;
        if ((a = cr_realloc(ps, np * sizeof(*ps))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        ps = a;
        if ((a = cr_realloc(series, np * sizeof(*series))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        series = a;
        for (j = 0; j < np; j++) {
            ps[j].t = json_number_value(json_array_get(times, j));
            ps[j].v = json_number_value(json_array_get(likes, j)) +
                      (comments ? json_number_value(json_array_get(comments, j)) : 0);
        }
        cr_qsort(ps, np, sizeof(*ps), cmp_post); /* oldest first */
        for (j = 0; j < np; j++)
            series[j] = ps[j].v;
        followers = (double)json_integer_value(fol);
        rate = cr_model_forecast_prior_rate(m, followers);
        accounts++;
        for (j = 0; j < np; j++) {
            cr_forecast f;

            if ((rc = cr_model_forecast(&f, m, series, j, followers, rate)) < 0) {
                if (rc == CR_EINVALID)
                    continue; /* no followers and no history yet */
                goto done;
            }
            scored++;
            inside += series[j] >= f.low && series[j] <= f.high;
            if (series[j] > 0) {
                ape += fabs(f.expected - series[j]) / series[j];
                nape++;
            }
        }
    }
    snprintf(out->sets[0].name, sizeof(out->sets[0].name), "%s: each post from the posts before it",
             cr_model__base(path));
    out->sets[0].n = scored;
    out->sets[0].accounts = accounts;
    out->sets[0].mape = nape ? ape / (double)nape : 0;
    out->sets[0].coverage = scored ? (double)inside / (double)scored : 0;
    out->nsets = 1;
    rc = CR_OK;
done:
    cr_free(ps);
    cr_free(series);
    json_decref(doc);
    return rc;
}
