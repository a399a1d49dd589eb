/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * track.h - the configurable tables of performance tracking: media-value rate cards (EMV)
 * and follower tier schemes. Both are data, not constants: crest ships documented defaults
 * (data/ratecards/, data/tiers/, embedded in the binary) and a workspace may import its own
 * versions, kept as settings in the store (cr_store_setting_*). */
#ifndef CR_TRACK_H
#define CR_TRACK_H

#include "crest/store.h"

CR_BEGIN_DECL

/** One unit value: what one unit of a metric on a platform is worth. */
typedef struct {
    const char *platform; /* "instagram", ...; "*" = any platform without its own rate */
    const char *metric;   /* impressions, reach, views, likes, comments, shares, saves, clicks */
    double unit_value;    /* in major units of the card's currency, e.g. 0.003 (USD) */
} cr_rate;

typedef struct {
    const char *version;  /* "aspire-2026" */
    const char *currency; /* ISO 4217 */
    const char *source;   /* where the numbers come from */
    size_t nrates;
    cr_rate *rates;
} cr_rate_card;

/**
 * Parse a rate card document (YAML, documented in docs/media-value.md).
 * @param name the file name used in error messages ("file:line:col: field: ...")
 * @param out free with cr_rate_card_free()
 * @return CR_OK or CR_EINVALID with a message naming line and field
 */
CR_EXTERN(cr_err)
cr_rate_card_parse(cr_rate_card **out, const char *text, size_t len, const char *name);
/**
 * The rate card of this version from the workspace, or the built-in default.
 * @param version NULL: the workspace's active card (the built-in default when none is set)
 * @return CR_OK; CR_ENOTFOUND for an unknown version
 */
CR_EXTERN(cr_err) cr_rate_card_load(cr_rate_card **out, cr_store *st, const char *version);
/** Store a card (its document text) under its version; `activate` makes it the active one. */
CR_EXTERN(cr_err)
cr_rate_card_save(cr_store *st, const cr_rate_card *rc, const char *text, int activate);
CR_EXTERN(void) cr_rate_card_free(cr_rate_card *rc);

/** The EMV of one post, with the calculation written out. */
typedef struct {
    double value_minor; /* in minor units of the card's currency, after the credit share */
    double full_minor;  /* before it */
    double credit;      /* 1, or 1 / brands named when the campaign splits credit */
    size_t nbrands;     /* brands the post names (at least 1: its campaign's own) */
    char log[1024];     /* "impressions 12,000 x 0.003 = 36.00; likes 800 x 0.15 = 120.00; ..." */
} cr_emv;

/**
 * EMV of a post from its latest metrics. Metrics the card has no rate for, or the post has no
 * value for, add nothing (and the log says so).
 * @param brands every brand known to the workspace (campaign brands), to find which ones the
 *        caption names (@brand, #brand or the name as words); may be NULL when split is 0
 * @param own_brand the brand of the post's campaign (always counted)
 * @param split 1: divide by the number of brands named; 0: full credit to each
 */
CR_EXTERN(void)
cr_emv_post(cr_emv *out,
            const cr_rate_card *rc,
            const cr_post_rollup *p,
            const char *const *brands,
            size_t nbrands,
            const char *own_brand,
            int split);

typedef struct {
    const char *name;      /* "nano" */
    int64_t min_followers; /* the tier starts here (inclusive) */
} cr_tier;

typedef struct {
    const char *name;   /* "later-fohr" */
    const char *source; /* where the cut-offs come from */
    size_t ntiers;
    cr_tier *tiers; /* ascending min_followers */
} cr_tier_scheme;

/** Parse a tier scheme document (YAML, documented in docs/media-value.md). */
CR_EXTERN(cr_err)
cr_tier_scheme_parse(cr_tier_scheme **out, const char *text, size_t len, const char *name);
/**
 * A tier scheme by name from the workspace or the built-in ones.
 * @param name NULL: the workspace's active scheme (built-in default when none is set)
 */
CR_EXTERN(cr_err) cr_tier_scheme_load(cr_tier_scheme **out, cr_store *st, const char *name);
CR_EXTERN(cr_err)
cr_tier_scheme_save(cr_store *st, const cr_tier_scheme *s, const char *text, int activate);
CR_EXTERN(void) cr_tier_scheme_free(cr_tier_scheme *s);
/** The tier a follower count falls in; NULL when below the first tier or unknown (< 0). */
CR_EXTERN(const char *) cr_tier_of(const cr_tier_scheme *s, int64_t followers);

/** A rate card or tier scheme the workspace knows: built in, imported, or both (an import of
 * a built-in name must be the same document). */
typedef struct {
    const char *name;   /* rate card version or tier scheme name */
    const char *source; /* where its numbers come from */
    size_t entries;     /* rates of a card, tiers of a scheme */
    int builtin;        /* shipped with crest (data/ratecards, data/tiers) */
    int stored;         /* imported into this workspace */
    int active;         /* the one used when none is named */
} cr_track_doc;

typedef cr_err (*cr_track_doc_cb)(const cr_track_doc *d, void *payload);

/** The built-in default rate card version ("aspire-2026") and tier scheme ("later-fohr"). */
CR_EXTERN(const char *) cr_rate_card_default(void);
CR_EXTERN(const char *) cr_tier_scheme_default(void);

/** Every rate card (built in, then stored), by version; cb is called once per card. */
CR_EXTERN(cr_err) cr_rate_card_list(cr_store *st, cr_track_doc_cb cb, void *payload);
/**
 * Make a known version the workspace's active rate card; with campaign_id > 0, the card of
 * that campaign only (its EMV uses it whatever the active card is).
 * @return CR_OK; CR_ENOTFOUND for an unknown version
 */
CR_EXTERN(cr_err) cr_rate_card_use(cr_store *st, const char *version, int64_t campaign_id);
/**
 * The rate card a campaign's EMV uses: the one set with cr_rate_card_use() for it, else the
 * workspace's active card.
 */
CR_EXTERN(cr_err) cr_rate_card_for_campaign(cr_rate_card **out, cr_store *st, int64_t campaign_id);
/** 1 when two cards hold the same version, currency, source and rates (in any order). */
CR_EXTERN(int) cr_rate_card_equal(const cr_rate_card *a, const cr_rate_card *b);
/** The unit value of a metric on a platform: the platform's rate, else the "*" one; NAN when
 * there is neither. */
CR_EXTERN(double)
cr_rate_card_rate(const cr_rate_card *rc, const char *platform, const char *metric);
/** The sentence every EMV output carries, naming the card ("EMV is a relative measure ..."). */
CR_EXTERN(void) cr_emv_label(char *buf, size_t size, const char *version);

/** Every tier scheme (built in, then stored), by name. */
CR_EXTERN(cr_err) cr_tier_scheme_list(cr_store *st, cr_track_doc_cb cb, void *payload);
/** Make a known scheme the workspace's active one; CR_ENOTFOUND when unknown. */
CR_EXTERN(cr_err) cr_tier_scheme_use(cr_store *st, const char *name);
/** 1 when two schemes hold the same name, source and tiers. */
CR_EXTERN(int) cr_tier_scheme_equal(const cr_tier_scheme *a, const cr_tier_scheme *b);

CR_END_DECL

#endif /* CR_TRACK_H */
