/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * kinds.c - the generic CSV import kinds: creators, snapshots, posts, metrics, comments.
 * Each kind is data (its columns, their types and accepted header aliases) plus one apply
 * function that turns a parsed row into a store call. The profiles of real exports live in
 * profiles.c and are registered here, after the generic kinds. docs/formats.md documents the same
 * tables; `crest import --list-kinds` prints them from here. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "crest/discover.h"
#include "discover/vec.h"
#include "ingest/kinds.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- creators ------------------------------------------------------------------------ */

enum {
    CR_PLATFORM_,
    CR_HANDLE_,
    CR_FOLLOWERS_,
    CR_NAME_,
    CR_EMAIL_,
    CR_COUNTRY_,
    CR_LANGUAGE_,
    CR_NICHES_,
    CR_FOLLOWING_,
    CR_MEDIA_,
    CR_BIO_,
    CR_ER_,
    CR_AUD_COUNTRIES_,
    CR_AUD_AGE_,
    CR_AUD_GENDER_,
    CR_OPTED_OUT_,
    CR_FEE_,
    CR_FEE_CURRENCY_
};

static const cr_import_column creator_cols[] = {
    { "platform", "platform", 1, "network,channel_type,site", "instagram, tiktok, youtube, ..." },
    { "handle", "handle", 1, "username,user_name,account,channel,@handle",
      "the account name; a leading @ is dropped, case is ignored" },
    { "followers", "count", 1, "follower_count,followers_count,subscribers,fans",
      "1234, 1,234, 12.5K or 1.2M" },
    { "name", "text", 0, "display_name,full_name", "display name" },
    { "email", "email", 0, "e_mail,contact_email", "contact address" },
    { "country", "country", 0, "country_code", "ISO 3166 alpha-2, e.g. US" },
    { "language", "language", 0, "lang,language_code", "ISO 639-1, e.g. en or pt-BR" },
    { "niches", "list", 0, "niche,categories,category,topics", "words separated by , ; or |" },
    { "following", "count", 0, "following_count,followings", "accounts followed" },
    { "media_count", "count", 0, "posts,posts_count,media,videos,video_count",
      "number of posts or videos" },
    { "bio", "text", 0, "biography,description,about", "profile text" },
    { "engagement_rate", "rate", 0, "er,engagement", "as reported by the source: 3.4% or 0.034" },
    { "audience_countries", "shares", 0, "audience_country,top_countries",
      "audience share by country: US:0.42;GB:0.18 (or US:42%)" },
    { "audience_age", "shares", 0, "audience_ages,age_split",
      "audience share by age band: 18-24:0.3;25-34:0.45" },
    { "audience_gender", "shares", 0, "audience_genders,gender_split",
      "audience share by gender: female:0.61;male:0.39" },
    { "opted_out", "bool", 0, "do_not_contact,opt_out",
      "yes: left out of discovery results (crest discover)" },
    { "fee", "decimal", 0, "price,fee_per_post", "the creator's fee per post: 1200 or 1,200.50" },
    { "fee_currency", "key", 0, "currency", "ISO 4217 code of the fee, e.g. USD" },
};
static const cr_col_type creator_types[] = {
    CR_COL_PLATFORM, CR_COL_HANDLE, CR_COL_COUNT, CR_COL_TEXT,  CR_COL_EMAIL,   CR_COL_COUNTRY,
    CR_COL_LANGUAGE, CR_COL_LIST,   CR_COL_COUNT, CR_COL_COUNT, CR_COL_TEXT,    CR_COL_RATE,
    CR_COL_TEXT,     CR_COL_TEXT,   CR_COL_TEXT,  CR_COL_BOOL,  CR_COL_DECIMAL, CR_COL_KEY
};

static const char *opt_text(const cr_import_value *v)
{
    return v->set ? v->text : NULL;
}

static int64_t opt_count(const cr_import_value *v)
{
    return v->set ? v->i : CR_COUNT_NONE;
}

/* Discovery fields of a creator row (crest/discover.h): checked here so that a bad share
 * list is a row error naming its column. */
static cr_err creator_profile(cr_import_ctx *ctx, const cr_import_value *v, int64_t id)
{
    static const struct {
        int col;
        const char *dim;
    } lists[] = { { CR_AUD_COUNTRIES_, "country" },
                  { CR_AUD_AGE_, "age" },
                  { CR_AUD_GENDER_, "gender" } };
    cr_creator_profile p;
    size_t i;
    int any = 0;

    cr_creator_profile_init(&p);
    for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        const cr_import_value *x = &v[lists[i].col];
        cr_audience a;
        const char *why = NULL;
        cr_err rc;
        if (!x->set)
            continue;
        cr_audience_init(&a);
        rc = cr_audience_add_list(&a, lists[i].dim, x->text, &why);
        cr_audience_dispose(&a);
        if (rc == CR_EINVALID)
            return cr_import__row_error(ctx, lists[i].col, "%s", why);
        if (rc < 0)
            return rc;
        any = 1;
    }
    p.countries = opt_text(&v[CR_AUD_COUNTRIES_]);
    p.ages = opt_text(&v[CR_AUD_AGE_]);
    p.genders = opt_text(&v[CR_AUD_GENDER_]);
    if (v[CR_OPTED_OUT_].set) {
        p.opted_out = (int)v[CR_OPTED_OUT_].i;
        any = 1;
    }
    if (v[CR_FEE_].set) {
        p.fee_minor = (int64_t)llround(v[CR_FEE_].d * 100);
        any = 1;
    }
    if (v[CR_FEE_CURRENCY_].set) {
        const char *cur = v[CR_FEE_CURRENCY_].text;
        if (strlen(cur) != 3 || !isalpha((unsigned char)cur[0]) ||
            !isalpha((unsigned char)cur[1]) || !isalpha((unsigned char)cur[2]))
            return cr_import__row_error(ctx, CR_FEE_CURRENCY_,
                                        "expected an ISO 4217 code (USD), found '%s'", cur);
        p.fee_currency = cur;
        any = 1;
    }
    return any ? cr_store_creator_profile_set(cr_import__store(ctx), id, &p) : CR_OK;
}

static cr_err creators_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_creator c;
    int64_t id;
    cr_err rc;

    memset(&c, 0, sizeof(c));
    c.platform = v[CR_PLATFORM_].text;
    c.handle = v[CR_HANDLE_].text;
    c.followers = v[CR_FOLLOWERS_].i;
    c.name = opt_text(&v[CR_NAME_]);
    c.email = opt_text(&v[CR_EMAIL_]);
    c.country = opt_text(&v[CR_COUNTRY_]);
    c.language = opt_text(&v[CR_LANGUAGE_]);
    c.niches = opt_text(&v[CR_NICHES_]);
    c.following = opt_count(&v[CR_FOLLOWING_]);
    c.media_count = opt_count(&v[CR_MEDIA_]);
    c.bio = opt_text(&v[CR_BIO_]);
    c.engagement_rate = v[CR_ER_].set ? v[CR_ER_].d : NAN;
    if ((rc = cr_store_creator_upsert(&id, cr_import__store(ctx), &c)) < 0 ||
        (rc = creator_profile(ctx, v, id)) < 0)
        return rc;
    cr_import__remember_creator(ctx, c.platform, c.handle, id);
    return CR_OK;
}

static const cr_import_kind creators_kind = {
    "creators",          "creator profiles (one row per account)",
    "platform + handle", creator_cols,
    NCOLS(creator_cols),
};

/* ---- snapshots ----------------------------------------------------------------------- */

enum { SN_PLATFORM, SN_HANDLE, SN_DATE, SN_FOLLOWERS, SN_FOLLOWING, SN_MEDIA };

static const cr_import_column snapshot_cols[] = {
    { "platform", "platform", 1, "network", "as for creators" },
    { "handle", "handle", 1, "username,account,channel", "a creator imported before" },
    { "date", "date", 1, "day,snapshot_date", "YYYY-MM-DD" },
    { "followers", "count", 1, "follower_count,followers_count,subscribers,fans",
      "followers on that day" },
    { "following", "count", 0, "following_count", "accounts followed" },
    { "media_count", "count", 0, "posts,posts_count,media,videos", "posts so far" },
};
static const cr_col_type snapshot_types[] = { CR_COL_PLATFORM, CR_COL_HANDLE, CR_COL_DATE,
                                              CR_COL_COUNT,    CR_COL_COUNT,  CR_COL_COUNT };

static cr_err snapshots_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_snapshot s;
    cr_err rc;

    memset(&s, 0, sizeof(s));
    if ((rc = cr_import__creator_id(&s.creator_id, ctx, v[SN_PLATFORM].text, v[SN_HANDLE].text,
                                    SN_HANDLE)) < 0)
        return rc;
    s.date = v[SN_DATE].i;
    s.followers = v[SN_FOLLOWERS].i;
    s.following = opt_count(&v[SN_FOLLOWING]);
    s.media_count = opt_count(&v[SN_MEDIA]);
    return cr_store_snapshot_upsert(cr_import__store(ctx), &s);
}

static const cr_import_kind snapshots_kind = {
    "snapshots",          "daily follower counts per creator (growth series)",
    "creator + date",     snapshot_cols,
    NCOLS(snapshot_cols),
};

/* ---- posts --------------------------------------------------------------------------- */

enum { PO_PLATFORM, PO_POST_ID, PO_HANDLE, PO_POSTED_AT, PO_URL, PO_FORMAT, PO_CAPTION, PO_UTM };

static const cr_import_column post_cols[] = {
    { "platform", "platform", 1, "network", "as for creators" },
    { "post_id", "key", 1, "id,media_id,video_id,content_id", "the platform's id of the post" },
    { "handle", "handle", 1, "username,account,channel,creator", "a creator imported before" },
    { "posted_at", "datetime", 1, "published_at,publish_time,date,created_at,timestamp",
      "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]" },
    { "url", "url", 0, "permalink,link,post_url", "http(s) address" },
    { "format", "key", 0, "type,post_type,media_type,content_type", "reel, story, video, ..." },
    { "caption", "text", 0, "description,text,title", "post text" },
    { "utm_content", "key", 0, "utm,tracking_id", "the utm_content of the post's tracking link" },
};
static const cr_col_type post_types[] = { CR_COL_PLATFORM, CR_COL_KEY, CR_COL_HANDLE,
                                          CR_COL_DATETIME, CR_COL_URL, CR_COL_KEY,
                                          CR_COL_TEXT,     CR_COL_KEY };

static cr_err posts_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_post p;
    int64_t id;
    cr_err rc;

    memset(&p, 0, sizeof(p));
    if ((rc = cr_import__creator_id(&p.creator_id, ctx, v[PO_PLATFORM].text, v[PO_HANDLE].text,
                                    PO_HANDLE)) < 0)
        return rc;
    p.platform = v[PO_PLATFORM].text;
    p.external_id = v[PO_POST_ID].text;
    p.posted_at = v[PO_POSTED_AT].i;
    p.url = opt_text(&v[PO_URL]);
    p.format = opt_text(&v[PO_FORMAT]);
    p.caption = opt_text(&v[PO_CAPTION]);
    p.utm_content = opt_text(&v[PO_UTM]);
    if ((rc = cr_store_post_upsert(&id, cr_import__store(ctx), &p)) < 0)
        return rc;
    cr_import__remember_post(ctx, p.platform, p.external_id, id);
    return CR_OK;
}

static const cr_import_kind posts_kind = {
    "posts", "posts by known creators", "platform + post_id", post_cols, NCOLS(post_cols),
};

/* ---- metrics ------------------------------------------------------------------------- */

enum {
    ME_PLATFORM,
    ME_POST_ID,
    ME_CAPTURED,
    ME_IMPRESSIONS,
    ME_REACH,
    ME_VIEWS,
    ME_LIKES,
    ME_COMMENTS,
    ME_SHARES,
    ME_SAVES,
    ME_CLICKS,
    ME_WATCH
};

static const cr_import_column metric_cols[] = {
    { "platform", "platform", 1, "network", "as for creators" },
    { "post_id", "key", 1, "id,media_id,video_id,content_id", "a post imported before" },
    { "captured_at", "datetime", 1, "date,captured,as_of,snapshot_at",
      "when the numbers were read" },
    { "impressions", "count", 0, "impression_count", "times the post was shown" },
    { "reach", "count", 0, "accounts_reached,unique_viewers",
      "accounts that saw it; <= impressions" },
    { "views", "count", 0, "video_views,plays,view_count", "video plays" },
    { "likes", "count", 0, "like_count,reactions", "likes or reactions" },
    { "comments", "count", 0, "comment_count,replies", "comments" },
    { "shares", "count", 0, "share_count,reposts,retweets", "shares or reposts" },
    { "saves", "count", 0, "save_count,saved,bookmarks", "saves or bookmarks" },
    { "clicks", "count", 0, "link_clicks,link_taps,click_count", "link clicks or taps" },
    { "watch_seconds", "count", 0, "watch_time_seconds,watch_time", "total seconds watched" },
};
static const cr_col_type metric_types[] = { CR_COL_PLATFORM, CR_COL_KEY,   CR_COL_DATETIME,
                                            CR_COL_COUNT,    CR_COL_COUNT, CR_COL_COUNT,
                                            CR_COL_COUNT,    CR_COL_COUNT, CR_COL_COUNT,
                                            CR_COL_COUNT,    CR_COL_COUNT, CR_COL_COUNT };

static cr_err metrics_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_metric m;
    cr_err rc;

    if (v[ME_IMPRESSIONS].set && v[ME_REACH].set && v[ME_REACH].i > v[ME_IMPRESSIONS].i)
        return cr_import__row_error(ctx, ME_REACH,
                                    "expected reach <= impressions (%lld), found %lld: reach "
                                    "counts accounts, impressions count views of them",
                                    (long long)v[ME_IMPRESSIONS].i, (long long)v[ME_REACH].i);
    memset(&m, 0, sizeof(m));
    if ((rc = cr_import__post_id(&m.post_id, ctx, v[ME_PLATFORM].text, v[ME_POST_ID].text,
                                 ME_POST_ID)) < 0)
        return rc;
    m.captured_at = v[ME_CAPTURED].i;
    m.import_id = cr_import__import_id(ctx);
    m.impressions = opt_count(&v[ME_IMPRESSIONS]);
    m.reach = opt_count(&v[ME_REACH]);
    m.views = opt_count(&v[ME_VIEWS]);
    m.likes = opt_count(&v[ME_LIKES]);
    m.comments = opt_count(&v[ME_COMMENTS]);
    m.shares = opt_count(&v[ME_SHARES]);
    m.saves = opt_count(&v[ME_SAVES]);
    m.clicks = opt_count(&v[ME_CLICKS]);
    m.watch_seconds = opt_count(&v[ME_WATCH]);
    return cr_store_metric_upsert(cr_import__store(ctx), &m);
}

static const cr_import_kind metrics_kind = {
    "metrics",
    "post metric snapshots (the latest per post is its value)",
    "platform + post_id + captured_at",
    metric_cols,
    NCOLS(metric_cols),
};

/* ---- comments ------------------------------------------------------------------------ */

enum { CO_PLATFORM, CO_POST_ID, CO_COMMENT_ID, CO_AUTHOR, CO_TEXT, CO_POSTED_AT };

static const cr_import_column comment_cols[] = {
    { "platform", "platform", 1, "network", "as for creators" },
    { "post_id", "key", 1, "media_id,video_id,content_id", "a post imported before" },
    { "comment_id", "key", 1, "id", "the platform's id of the comment" },
    { "author", "key", 1, "username,user,commenter", "who wrote it" },
    { "text", "text", 1, "comment,content,message,body", "the comment" },
    { "posted_at", "datetime", 1, "date,created_at,timestamp", "when it was written" },
};
static const cr_col_type comment_types[] = { CR_COL_PLATFORM, CR_COL_KEY,  CR_COL_KEY,
                                             CR_COL_KEY,      CR_COL_TEXT, CR_COL_DATETIME };

static cr_err comments_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_comment c;
    cr_err rc;

    memset(&c, 0, sizeof(c));
    if ((rc = cr_import__post_id(&c.post_id, ctx, v[CO_PLATFORM].text, v[CO_POST_ID].text,
                                 CO_POST_ID)) < 0)
        return rc;
    c.external_id = v[CO_COMMENT_ID].text;
    c.author = v[CO_AUTHOR].text;
    c.text = v[CO_TEXT].text;
    c.posted_at = v[CO_POSTED_AT].i;
    return cr_store_comment_upsert(cr_import__store(ctx), &c);
}

static const cr_import_kind comments_kind = {
    "comments",   "comments on known posts", "platform + post_id + comment_id",
    comment_cols, NCOLS(comment_cols),
};

/* ---- registry ------------------------------------------------------------------------ */

static const cr_import_kind_def creators_def = { &creators_kind, creator_types, creators_apply,
                                                 NULL, NULL };
static const cr_import_kind_def snapshots_def = { &snapshots_kind, snapshot_types, snapshots_apply,
                                                  NULL, NULL };
static const cr_import_kind_def posts_def = { &posts_kind, post_types, posts_apply, NULL, NULL };
static const cr_import_kind_def metrics_def = { &metrics_kind, metric_types, metrics_apply, NULL,
                                                NULL };
static const cr_import_kind_def comments_def = { &comments_kind, comment_types, comments_apply,
                                                 NULL, NULL };

/* the generic kinds, then the profiles of real exports (profiles.c) */
const cr_import_kind_def *const cr_import__kind_defs[] = {
    &creators_def,
    &snapshots_def,
    &posts_def,
    &metrics_def,
    &comments_def,
    &cr_import__instagram_def,
    &cr_import__tiktok_def,
    &cr_import__youtube_def,
    &cr_import__ga4_def,
    &cr_import__shopify_def,
    &cr_import__leads_def,
    &cr_import__mentions_def,
    NULL,
};

static const cr_import_kind *const kinds_pub[] = {
    &creators_kind,
    &snapshots_kind,
    &posts_kind,
    &metrics_kind,
    &comments_kind,
    &cr_import__instagram_kind,
    &cr_import__tiktok_kind,
    &cr_import__youtube_kind,
    &cr_import__ga4_kind,
    &cr_import__shopify_kind,
    &cr_import__leads_kind,
    &cr_import__mentions_kind,
    NULL,
};

const cr_import_kind *const *cr_import_kinds(void)
{
    return kinds_pub;
}

const cr_import_kind *cr_import_kind_find(const char *name)
{
    size_t i;

    for (i = 0; kinds_pub[i]; i++)
        if (strcmp(kinds_pub[i]->name, name) == 0)
            return kinds_pub[i];
    return NULL;
}
