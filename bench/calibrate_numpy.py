#!/usr/bin/python3
# SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
#
# calibrate_numpy.py - the comparison side of bench/calibrate: the same additive least-squares
# fit (rating = ratee - severity - difficulty + e, severities and difficulties summing to zero)
# done the way an analyst would with pandas and numpy, straight from the CSV.
#
#   calibrate_numpy.py RATINGS.csv
#
# The ratee effects are absorbed (pandas groupby: the rating and the rater and criterion
# dummies minus their ratee means, the "within" estimator); numpy's lstsq solves the rest;
# SEs are sigma^2 times the pseudo-inverse of the within cross-product. Prints one JSON
# object: seconds (reading included), sigma, df, and each rater's severity and SE.
import json
import sys
import time

import numpy as np
import pandas as pd


def main():
    if len(sys.argv) != 2:
        print("usage: calibrate_numpy.py RATINGS.csv", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    d = pd.read_csv(sys.argv[1], dtype={"ratee": str, "rater": str, "criterion": str})
    raters = pd.Categorical(d["rater"])
    crits = pd.Categorical(d["criterion"])
    R, K = len(raters.categories), len(crits.categories)
    # columns: -severity (rater dummies), -difficulty (criterion dummies)
    X = np.zeros((len(d), R + K))
    X[np.arange(len(d)), raters.codes] = 1
    X[np.arange(len(d)), R + crits.codes] = 1
    g = d["ratee"].values
    Xw = X - pd.DataFrame(X).groupby(g).transform("mean").values
    yw = d["score"].values - d.groupby("ratee")["score"].transform("mean").values
    beta, _, rank, _ = np.linalg.lstsq(Xw, yw, rcond=None)
    # lstsq's minimum-norm solution; centre each block (sum-to-zero)
    sev = -(beta[:R] - beta[:R].mean())
    resid = yw - Xw @ beta
    P = d["ratee"].nunique()
    df = len(d) - P - rank
    sigma2 = float(resid @ resid) / df
    cov = sigma2 * np.linalg.pinv(Xw.T @ Xw, rcond=1e-10, hermitian=True)
    se = np.sqrt(np.diag(cov)[:R])
    secs = time.perf_counter() - t0
    out = {
        "seconds": secs,
        "sigma": sigma2**0.5,
        "df": int(df),
        "raters": {str(n): {"severity": float(s), "se": float(e)}
                   for n, s, e in zip(raters.categories, sev, se)},
    }
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
