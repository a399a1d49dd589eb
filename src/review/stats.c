/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * stats.c - trends for the evidence panel and the scorecard: the OLS slope of a series
 * against its period index with the slope's t-interval (Student t quantile from the
 * regularized incomplete beta function, Lentz's continued fraction), and the arrow it earns.
 * An arrow points up or down only when the whole interval does: one good cycle after a bad
 * one is not a trend. */
#include <math.h>

#include "review/review_int.h"

/* The continued fraction of the incomplete beta function (Numerical Recipes' betacf, with
 * Lentz's method). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1), h, del, aa;
    int m, m2;

    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    h = d;
    for (m = 1; m <= 300; m++) {
        m2 = 2 * m;
        aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-14)
            break;
    }
    return h;
}

static double beta_inc(double a, double b, double x)
{
    double bt;

    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x));
    if (x < (a + 1) / (a + b + 2))
        return bt * beta_cf(a, b, x) / a;
    return 1 - bt * beta_cf(b, a, 1 - x) / b;
}

static double t_cdf(double t, double df)
{
    double tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));

    return t >= 0 ? 1 - tail : tail;
}

double cr_review__t_quantile(double p, double df)
{
    double lo = 0, hi = 1e6, mid;
    int i;

    if (p == 0.5)
        return 0;
    if (p < 0.5)
        return -cr_review__t_quantile(1 - p, df);
    for (i = 0; i < 200; i++) {
        mid = (lo + hi) / 2;
        if (t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

void cr_review__ols(cr_review__trend *out, const double *y, size_t n, double level)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, mx, my, b, a, sse = 0, se, t, x, e;
    size_t i, k = 0;

    out->n = 0;
    out->slope = out->low = out->high = out->intercept = NAN;
    for (i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            continue;
        x = (double)i;
        sx += x;
        sy += y[i];
        k++;
    }
    out->n = k;
    if (k < 2)
        return;
    mx = sx / (double)k;
    my = sy / (double)k;
    for (i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            continue;
        x = (double)i;
        sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y[i] - my);
    }
    if (sxx <= 0)
        return;
    b = sxy / sxx;
    a = my - b * mx;
    out->slope = b;
    out->intercept = a;
    if (k < 3)
        return;
    for (i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            continue;
        e = y[i] - (a + b * (double)i);
        sse += e * e;
    }
    se = sqrt(sse / (double)(k - 2) / sxx);
    t = cr_review__t_quantile(1 - (1 - level) / 2, (double)(k - 2));
    out->low = b - t * se;
    out->high = b + t * se;
}

const char *cr_review__arrow(const cr_review__trend *t)
{
    if (!isfinite(t->low) || !isfinite(t->high))
        return "n/a";
    if (t->low > 0)
        return "up";
    if (t->high < 0)
        return "down";
    return "flat";
}
