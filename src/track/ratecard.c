/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * ratecard.c - media-value rate cards: the YAML loader, built-in and workspace versions,
 * the active card and a campaign's own card.
 *
 * A card is versioned and a stored version never changes: an import of a different document
 * under a known version is refused, so the EMV of an old report can be computed again with
 * the very numbers it used. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "track/doc.h"
#include "util/alloc.h"
#include "util/num.h"
#include "util/text.h"

static const cr_track__kind card_kind = { "ratecard", "ratecards/", "aspire-2026", "rate card" };

/* The metrics a card may price: the counters of a post's metric snapshot. */
static const char *const card_metrics[] = { "impressions", "reach",    "views",
                                            "likes",       "comments", "shares",
                                            "saves",       "clicks",   "watch_seconds" };
#define NMETRICS (sizeof(card_metrics) / sizeof(card_metrics[0]))

const char *cr_rate_card_default(void)
{
    return card_kind.dflt;
}

void cr_rate_card_free(cr_rate_card *rc)
{
    if (rc == NULL)
        return;
    cr_free((char *)rc->version);
    cr_free((char *)rc->currency);
    cr_free((char *)rc->source);
    cr_free(rc->rates);
    cr_free(rc);
}

static const char *metric_find(const char *s)
{
    size_t i;

    for (i = 0; i < NMETRICS; i++)
        if (strcmp(card_metrics[i], s) == 0)
            return card_metrics[i];
    return NULL;
}

static cr_err add_rate(cr_rate_card *rc, const char *platform, const char *metric, double v)
{
    cr_rate *n = cr_realloc(rc->rates, (rc->nrates + 1) * sizeof(*n));

    if (n == NULL)
        return cr_error_oom();
    rc->rates = n;
    n[rc->nrates].platform = platform;
    n[rc->nrates].metric = metric;
    n[rc->nrates].unit_value = v;
    rc->nrates++;
    return CR_OK;
}

static cr_err
load_platform(cr_rate_card *rc, const char *file, const char *platform, struct fy_node *map)
{
    struct fy_node_pair *p;
    void *it = NULL;
    char key[64], buf[64], field[160];
    const char *metric, *why;
    double v;
    size_t i;
    cr_err rc2;

    snprintf(field, sizeof(field), "rates.%s", platform);
    if (!fy_node_is_mapping(map))
        return cr_track__error(file, map, field,
                               "expected a mapping of metric: unit value such as "
                               "{ likes: 0.15, clicks: 3 }");
    while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((rc2 = cr_track__scalar(key, sizeof(key), file, kn, field, "a metric name")) < 0)
            return rc2;
        snprintf(field, sizeof(field), "rates.%s.%s", platform, key);
        if ((metric = metric_find(key)) == NULL)
            return cr_track__error(file, kn, field,
                                   "expected a metric (impressions, reach, views, likes, comments, "
                                   "shares, saves, clicks or watch_seconds), found '%s'",
                                   key);
        if ((rc2 = cr_track__scalar(buf, sizeof(buf), file, vn, field,
                                    "a unit value such as 0.15")) < 0)
            return rc2;
        if (cr_parse_decimal(&v, buf, strlen(buf), &why) < 0 || !isfinite(v) || v < 0)
            return cr_track__error(file, vn, field,
                                   "expected a unit value >= 0 in the card's currency such as "
                                   "0.15, found '%s'",
                                   buf);
        for (i = 0; i < rc->nrates; i++)
            if (strcmp(rc->rates[i].platform, platform) == 0 && rc->rates[i].metric == metric)
                return cr_track__error(file, kn, field,
                                       "expected one rate per platform and metric, found a "
                                       "second one");
        if ((rc2 = add_rate(rc, platform, metric, v)) < 0)
            return rc2;
        snprintf(field, sizeof(field), "rates.%s", platform);
    }
    return CR_OK;
}

static cr_err
load_rates(cr_rate_card *rc, const char *file, struct fy_node *key_node, struct fy_node *map)
{
    struct fy_node_pair *p;
    void *it = NULL;
    char key[64];
    const char *platform;
    cr_err rc2;

    if (!fy_node_is_mapping(map))
        return cr_track__error(file, key_node, "rates",
                               "expected a mapping of platform: { metric: unit value }");
    while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p);
        if ((rc2 = cr_track__scalar(key, sizeof(key), file, kn, "rates", "a platform")) < 0)
            return rc2;
        if (strcmp(key, "*") == 0)
            platform = "*";
        else if ((platform = cr_platform_canonical(key, strlen(key))) == NULL)
            return cr_track__error(file, kn, "rates",
                                   "expected a platform (%s) or \"*\" for any other, found '%s'",
                                   cr_platform_list(), key);
        if ((rc2 = load_platform(rc, file, platform, fy_node_pair_value(p))) < 0)
            return rc2;
    }
    if (rc->nrates == 0)
        return cr_track__error(file, key_node, "rates", "expected at least one rate, found none");
    return CR_OK;
}

static int is_currency(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

cr_err cr_rate_card_parse(cr_rate_card **out, const char *text, size_t len, const char *name)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *rates = NULL, *rates_key = NULL;
    struct fy_node_pair *p;
    void *it = NULL;
    cr_rate_card *rc = NULL;
    char key[64], buf[1024];
    cr_err err;

    *out = NULL;
    if ((err = cr_track__yaml(&doc, text, len, name)) < 0)
        return err;
    root = fy_document_root(doc);
    if ((rc = cr_calloc(1, sizeof(*rc))) == NULL) {
        err = cr_error_oom();
        goto done;
    }
    while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        const char **slot = NULL;
        if ((err = cr_track__scalar(key, sizeof(key), name, kn, "document", "a key")) < 0)
            goto done;
        if (strcmp(key, "rates") == 0) {
            rates = vn;
            rates_key = kn;
            continue;
        }
        if (strcmp(key, "version") == 0)
            slot = &rc->version;
        else if (strcmp(key, "currency") == 0)
            slot = &rc->currency;
        else if (strcmp(key, "source") == 0)
            slot = &rc->source;
        else {
            err = cr_track__error(name, kn, key,
                                  "expected one of the keys version, currency, source, rates; "
                                  "found an unknown key");
            goto done;
        }
        if ((err = cr_track__scalar(buf, sizeof(buf), name, vn, key, "text")) < 0)
            goto done;
        if (slot == &rc->version && !cr_track__name_ok(buf)) {
            err = cr_track__error(name, vn, key,
                                  "expected a version of 1-64 characters a-z, 0-9, '.', '_' or "
                                  "'-' such as acme-2026, found '%s'",
                                  buf);
            goto done;
        }
        if (slot == &rc->currency && !is_currency(buf)) {
            err = cr_track__error(name, vn, key,
                                  "expected an ISO 4217 code such as USD, found '%s'", buf);
            goto done;
        }
        if (slot == &rc->source && buf[0] == '\0') {
            err = cr_track__error(name, vn, key,
                                  "expected where the numbers come from, found nothing");
            goto done;
        }
        cr_free((char *)*slot);
        if ((*slot = cr_strdup(buf)) == NULL) {
            err = cr_error_oom();
            goto done;
        }
    }
    if (rc->version == NULL || rc->currency == NULL || rc->source == NULL || rates == NULL) {
        err = cr_track__error(name, root,
                              rc->version == NULL    ? "version"
                              : rc->currency == NULL ? "currency"
                              : rc->source == NULL   ? "source"
                                                     : "rates",
                              "expected this key in the document, found it missing");
        goto done;
    }
    if ((err = load_rates(rc, name, rates_key, rates)) < 0)
        goto done;
    *out = rc;
    rc = NULL;
done:
    cr_rate_card_free(rc);
    fy_document_destroy(doc);
    return err;
}

double cr_rate_card_rate(const cr_rate_card *rc, const char *platform, const char *metric)
{
    double any = NAN;
    size_t i;

    for (i = 0; i < rc->nrates; i++) {
        if (strcmp(rc->rates[i].metric, metric) != 0)
            continue;
        if (platform && strcmp(rc->rates[i].platform, platform) == 0)
            return rc->rates[i].unit_value;
        if (strcmp(rc->rates[i].platform, "*") == 0)
            any = rc->rates[i].unit_value;
    }
    return any;
}

int cr_rate_card_equal(const cr_rate_card *a, const cr_rate_card *b)
{
    size_t i, j;

    if (strcmp(a->version, b->version) != 0 || strcmp(a->currency, b->currency) != 0 ||
        strcmp(a->source, b->source) != 0 || a->nrates != b->nrates)
        return 0;
    for (i = 0; i < a->nrates; i++) {
        for (j = 0; j < b->nrates; j++)
            if (strcmp(a->rates[i].platform, b->rates[j].platform) == 0 &&
                strcmp(a->rates[i].metric, b->rates[j].metric) == 0)
                break;
        if (j == b->nrates || a->rates[i].unit_value != b->rates[j].unit_value)
            return 0;
    }
    return 1;
}

cr_err cr_rate_card_load(cr_rate_card **out, cr_store *st, const char *version)
{
    char active[72], name[128], *text = NULL;
    size_t len;
    cr_rate_card *rc = NULL;
    cr_err err;

    *out = NULL;
    if (version == NULL) {
        if ((err = cr_track__active(active, sizeof(active), st, &card_kind)) < 0)
            return err;
        version = active;
    }
    if ((err = cr_track__text(&text, &len, st, &card_kind, version)) < 0)
        return err;
    snprintf(name, sizeof(name), "rate card %s", version);
    if ((err = cr_rate_card_parse(&rc, text, len, name)) < 0)
        goto done;
    if (strcmp(rc->version, version) != 0) {
        err = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                           "rate card %s: the stored document says version '%s'", version,
                           rc->version);
        goto done;
    }
    *out = rc;
    rc = NULL;
done:
    cr_rate_card_free(rc);
    cr_free(text);
    return err;
}

static cr_err same_as_stored(int *out, cr_store *st, const void *doc)
{
    const cr_rate_card *rc = doc;
    cr_rate_card *old = NULL;
    cr_err err = cr_rate_card_load(&old, st, rc->version);

    if (err == CR_OK)
        *out = cr_rate_card_equal(old, rc);
    cr_rate_card_free(old);
    return err;
}

cr_err cr_rate_card_save(cr_store *st, const cr_rate_card *rc, const char *text, int activate)
{
    if (text == NULL || rc == NULL || rc->version == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "rate card: expected a parsed card and its document text");
    return cr_track__save(
        st, &card_kind, rc->version, text, same_as_stored, rc,
        "rate card %s: this version already exists with other values, and a version never "
        "changes (old EMV figures must stay reproducible); import the new "
        "values under a new version",
        "ratecard.active", activate);
}

cr_err cr_rate_card_use(cr_store *st, const char *version, int64_t campaign_id)
{
    cr_rate_card *rc = NULL;
    char key[64];
    cr_err err;

    if ((err = cr_rate_card_load(&rc, st, version)) < 0)
        return err;
    cr_rate_card_free(rc);
    if (campaign_id > 0)
        snprintf(key, sizeof(key), "ratecard.campaign:%lld", (long long)campaign_id);
    else
        snprintf(key, sizeof(key), "ratecard.active");
    return cr_track__set(st, key, version);
}

cr_err cr_rate_card_for_campaign(cr_rate_card **out, cr_store *st, int64_t campaign_id)
{
    char key[64], *version = NULL;
    cr_err err;

    snprintf(key, sizeof(key), "ratecard.campaign:%lld", (long long)campaign_id);
    err = cr_track__get(&version, st, key);
    if (err == CR_ENOTFOUND) {
        cr_error_clear();
        return cr_rate_card_load(out, st, NULL);
    }
    if (err < 0)
        return err;
    err = cr_rate_card_load(out, st, version);
    cr_free(version);
    return err;
}

typedef struct {
    cr_store *st;
    char active[72];
    cr_track_doc_cb cb;
    void *payload;
} list_ctx;

static cr_err list_one(const char *name, int builtin, int stored, void *payload)
{
    list_ctx *c = payload;
    cr_rate_card *rc = NULL;
    cr_track_doc d;
    cr_err err;

    if ((err = cr_rate_card_load(&rc, c->st, name)) < 0)
        return err;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.source = rc->source;
    d.entries = rc->nrates;
    d.builtin = builtin;
    d.stored = stored;
    d.active = strcmp(name, c->active) == 0;
    err = c->cb(&d, c->payload);
    cr_rate_card_free(rc);
    return err;
}

cr_err cr_rate_card_list(cr_store *st, cr_track_doc_cb cb, void *payload)
{
    list_ctx c;
    cr_err err;

    c.st = st;
    c.cb = cb;
    c.payload = payload;
    if ((err = cr_track__active(c.active, sizeof(c.active), st, &card_kind)) < 0)
        return err;
    return cr_track__names(st, &card_kind, list_one, &c);
}

void cr_emv_label(char *buf, size_t size, const char *version)
{
    snprintf(buf, size,
             "EMV is a relative measure (media-equivalent value from rate card %s), not revenue: "
             "compare it with ROAS and CPL, not instead of them",
             version);
}
