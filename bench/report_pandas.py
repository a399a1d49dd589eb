#!/usr/bin/python3
# SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
#
# report_pandas.py - the KPIs of one campaign of bench/report computed with pandas straight
# from the CSV files gen_report writes: the comparison side of `crest report campaign`.
#
#   report_pandas.py DIR CAMPAIGN
#
# CAMPAIGN is the campaign's number in campaigns.csv. A campaign's posts are those carrying
# one of its partnerships' utm_content, posted inside its period; each post counts with its
# latest metric snapshot. Sessions are the GA4 rows under a partner's utm_content, orders
# the Shopify orders with a partner's discount code, both inside the period; spend is fees
# plus product cost. Prints one JSON object (money in minor units) on stdout.
import json
import sys

import pandas as pd


def main():
    if len(sys.argv) != 3:
        print("usage: report_pandas.py DIR CAMPAIGN", file=sys.stderr)
        return 2
    d, c = sys.argv[1], int(sys.argv[2])
    camp = pd.read_csv(f"{d}/campaigns.csv", dtype={"start": str, "end": str})
    row = camp[camp["campaign"] == c].iloc[0]
    start = row["start"] + "T00:00:00Z"
    end = (pd.Timestamp(row["end"]) + pd.Timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    day0, day1 = int(row["start"].replace("-", "")), int(row["end"].replace("-", ""))

    pa = pd.read_csv(f"{d}/partnerships.csv")
    pa = pa[pa["campaign"] == c]
    utms = set(pa["utm_content"])
    codes = set(pa["promo_code"].str.upper())

    posts = pd.read_csv(f"{d}/posts.csv", dtype=str)
    posts = posts[posts["utm_content"].isin(utms) & (posts["posted_at"] >= start)
                  & (posts["posted_at"] < end)]
    metrics = pd.read_csv(f"{d}/metrics.csv", dtype={"platform": str, "post_id": str,
                                                      "captured_at": str})
    mine = metrics.merge(posts[["platform", "post_id"]], on=["platform", "post_id"])
    latest = mine.sort_values("captured_at").groupby(["platform", "post_id"]).tail(1)

    ga4 = pd.read_csv(f"{d}/ga4.csv")
    ga4 = ga4[ga4["Session manual ad content"].isin(utms) & (ga4["Date"] >= day0)
              & (ga4["Date"] <= day1)]
    shop = pd.read_csv(f"{d}/shopify.csv", dtype={"Created at": str, "Discount Code": str})
    created = pd.to_datetime(shop["Created at"], utc=True)
    shop = shop[shop["Discount Code"].str.upper().isin(codes)
                & (created >= pd.Timestamp(start)) & (created < pd.Timestamp(end))]

    impressions = int(latest["impressions"].sum())
    reach = int(latest["reach"].sum())
    engagements = int((latest["likes"] + latest["comments"] + latest["shares"]
                       + latest["saves"]).sum())
    clicks = int(latest["clicks"].sum())
    revenue = int((shop["Total"] * 100).round().sum())
    spend = int((pa["fee_minor"] + pa["product_cost_minor"]).sum())
    out = {
        "posts": int(len(latest)),
        "impressions": impressions,
        "reach": reach,
        "engagements": engagements,
        "engagement_rate": engagements / reach if reach else None,
        "clicks": clicks,
        "ctr": clicks / impressions if impressions else None,
        "sessions": int(ga4["Sessions"].sum()),
        "orders": int(len(shop)),
        "revenue_minor": revenue,
        "spend_minor": spend,
        "roas": revenue / spend if spend else None,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
