/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * profiles.c - import kinds for the files real tools export: instagram (Meta Business Suite
 * content export), tiktok (TikTok Studio content export), youtube (YouTube Studio table
 * export), ga4 (traffic acquisition export), shopify (orders export), leads (form
 * completions) and mentions (social listening counts). Each is data (columns with the
 * vendors' header names as aliases, docs/formats.md lists the sources) plus an apply
 * function, like the generic kinds in kinds.c. The vendors' own value forms are parsed here:
 * US and month-name dates, YYYYMMDD, offsets written "-0500", durations such as "1m 05s",
 * watch time in hours, "(not set)" placeholders, order totals in major units. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest/kinds.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define OPT_CELL CR_COL_REQUIRED_CELL_OPTIONAL

/* ---- value forms ----------------------------------------------------------------------- */

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec" };

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Up to `max` digits at s[*pos]; at least one. */
static int take_num(const char *s, size_t len, size_t *pos, int max, int *out)
{
    int n = 0, v = 0;

    while (*pos < len && is_digit(s[*pos]) && n < max) {
        v = v * 10 + (s[*pos] - '0');
        (*pos)++;
        n++;
    }
    *out = v;
    return n > 0 ? 0 : -1;
}

/* "9:15", "09:15:30", "9:15 PM" -> "09:15:30"; 0 or -1. */
static int time_part(char *out, size_t size, const char *s, size_t len)
{
    size_t pos = 0;
    int h, m, sec = 0;

    if (take_num(s, len, &pos, 2, &h) < 0 || pos >= len || s[pos++] != ':' ||
        take_num(s, len, &pos, 2, &m) < 0)
        return -1;
    if (pos < len && s[pos] == ':') {
        pos++;
        if (take_num(s, len, &pos, 2, &sec) < 0)
            return -1;
    }
    while (pos < len && s[pos] == ' ')
        pos++;
    if (pos + 2 == len && lower(s[pos + 1]) == 'm' &&
        (lower(s[pos]) == 'a' || lower(s[pos]) == 'p')) {
        if (h < 1 || h > 12)
            return -1;
        h = (h % 12) + (lower(s[pos]) == 'p' ? 12 : 0);
        pos += 2;
    }
    /* an offset or zone after the time stays for cr_parse_datetime */
    snprintf(out, size, "%02d:%02d:%02d%.*s", h, m, sec, (int)(len - pos), s + pos);
    return 0;
}

cr_err
cr_import__parse_when(int64_t *out, const char *s, size_t len, int date_only, const char **why)
{
    char buf[96], tbuf[64];
    size_t pos = 0, i, n;
    int y = 0, m = 0, d = 0, have_ymd = 0;
    const char *rest = NULL;
    size_t rest_len = 0;

    *why = NULL;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= 64)
        return CR_EINVALID;
    if (len == 8) { /* YYYYMMDD (GA4) */
        for (i = 0; i < 8 && is_digit(s[i]); i++)
            ;
        if (i == 8) {
            y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            m = (s[4] - '0') * 10 + (s[5] - '0');
            d = (s[6] - '0') * 10 + (s[7] - '0');
            have_ymd = 1;
        }
    }
    if (!have_ymd && is_digit(s[0])) { /* MM/DD/YYYY (Meta, en-US) */
        int a, b, c;
        pos = 0;
        if (take_num(s, len, &pos, 2, &a) == 0 && pos < len && s[pos] == '/' && ++pos &&
            take_num(s, len, &pos, 2, &b) == 0 && pos < len && s[pos] == '/' && ++pos) {
            size_t ystart = pos;
            if (take_num(s, len, &pos, 4, &c) < 0 || pos - ystart != 4)
                return CR_EINVALID;
            if (a > 12) {
                *why = "the month comes first: MM/DD/YYYY";
                return CR_EINVALID;
            }
            m = a;
            d = b;
            y = c;
            have_ymd = 1;
        }
    }
    if (!have_ymd && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        /* "Mar 3, 2026" or "March 3, 2026" (YouTube Studio) */
        size_t w = 0, ystart;
        while (w < len && s[w] != ' ')
            w++;
        for (i = 0; i < 12 && m == 0; i++)
            if (w >= 3 && lower(s[0]) == month_names[i][0] && lower(s[1]) == month_names[i][1] &&
                lower(s[2]) == month_names[i][2])
                m = (int)i + 1;
        pos = w;
        while (pos < len && s[pos] == ' ')
            pos++;
        if (m == 0 || take_num(s, len, &pos, 2, &d) < 0)
            return CR_EINVALID;
        if (pos < len && s[pos] == ',')
            pos++;
        while (pos < len && s[pos] == ' ')
            pos++;
        ystart = pos;
        if (take_num(s, len, &pos, 4, &y) < 0 || pos - ystart != 4)
            return CR_EINVALID;
        have_ymd = 1;
    }
    if (have_ymd) {
        while (pos < len && (s[pos] == ' ' || s[pos] == ','))
            pos++;
        rest = s + pos;
        rest_len = len - pos;
        if (len == 8 && rest_len)
            rest_len = 0;
        n = (size_t)snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
        if (rest_len) {
            if (time_part(tbuf, sizeof(tbuf), rest, rest_len) < 0)
                return CR_EINVALID;
            snprintf(buf + n, sizeof(buf) - n, " %s", tbuf);
        }
    } else {
        memcpy(buf, s, len);
        buf[len] = '\0';
    }
    /* "2026-03-01 10:15:00 -0500" (Shopify): the offset follows a blank; " UTC" means Z */
    n = strlen(buf);
    if (n > 4 && strcmp(buf + n - 4, " UTC") == 0)
        memcpy(buf + n - 4, "Z", 2);
    n = strlen(buf);
    if (n > 6 && buf[n - 6] == ' ' && (buf[n - 5] == '+' || buf[n - 5] == '-') &&
        is_digit(buf[n - 4]))
        memmove(buf + n - 6, buf + n - 5, 6);
    n = strlen(buf);
    if (date_only) {
        if (n > 10)
            *why = "a time where a date was expected";
        return n > 10 ? CR_EINVALID : cr_parse_date(out, buf, n, why);
    }
    if (cr_parse_datetime(out, buf, n, why) == CR_OK)
        return CR_OK;
    if (*why && strncmp(*why, "not an ISO", 10) == 0)
        *why = NULL; /* the caller names the accepted forms */
    return CR_EINVALID;
}

cr_err cr_import__parse_duration(double *out, const char *s, size_t len, const char **why)
{
    char num[32];
    size_t pos = 0, i;
    double total = 0, part;

    *why = NULL;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= sizeof(num))
        return CR_EINVALID;
    if (memchr(s, ':', len)) { /* [H:]MM:SS */
        int parts[3], np = 0, v;
        while (pos < len && np < 3) {
            if (take_num(s, len, &pos, 6, &v) < 0)
                return CR_EINVALID;
            parts[np++] = v;
            if (pos < len && s[pos++] != ':')
                return CR_EINVALID;
        }
        if (pos != len || np < 2 || parts[np - 1] > 59 || (np == 3 && parts[1] > 59))
            return CR_EINVALID;
        for (i = 0; i < (size_t)np; i++)
            total = total * 60 + parts[i];
        *out = total;
        return CR_OK;
    }
    for (i = 0; i < len; i++)
        if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
            break;
    if (i == len) { /* seconds */
        if (cr_parse_decimal(out, s, len, why) < 0)
            return CR_EINVALID;
        if (*out < 0) {
            *why = "a negative duration";
            return CR_EINVALID;
        }
        return CR_OK;
    }
    while (pos < len) { /* "1h 2m 3s", "2m 05s", "1.5h" */
        size_t start = pos;
        double unit;
        while (pos < len && (is_digit(s[pos]) || s[pos] == '.'))
            pos++;
        if (pos == start || pos - start >= sizeof(num))
            return CR_EINVALID;
        memcpy(num, s + start, pos - start);
        num[pos - start] = '\0';
        if (cr_parse_decimal(&part, num, pos - start, why) < 0)
            return CR_EINVALID;
        while (pos < len && s[pos] == ' ')
            pos++;
        if (pos >= len)
            return CR_EINVALID;
        switch (lower(s[pos])) {
        case 'h':
            unit = 3600;
            break;
        case 'm':
            unit = 60;
            break;
        case 's':
            unit = 1;
            break;
        default:
            return CR_EINVALID;
        }
        while (pos < len && ((s[pos] >= 'a' && s[pos] <= 'z') || (s[pos] >= 'A' && s[pos] <= 'Z')))
            pos++;
        while (pos < len && s[pos] == ' ')
            pos++;
        total += part * unit;
    }
    *out = total;
    return CR_OK;
}

cr_err cr_import__parse_bool(int64_t *out, const char *s, size_t len)
{
    static const struct {
        const char *word;
        int value;
    } words[] = {
        { "yes", 1 }, { "no", 0 }, { "true", 1 }, { "false", 0 },     { "1", 1 },
        { "0", 0 },   { "y", 1 },  { "n", 0 },    { "qualified", 1 }, { "unqualified", 0 }
    };
    char w[16];
    size_t i;

    if (len == 0 || len >= sizeof(w))
        return CR_EINVALID;
    for (i = 0; i < len; i++)
        w[i] = lower(s[i]);
    w[len] = '\0';
    for (i = 0; i < NCOLS(words); i++)
        if (strcmp(w, words[i].word) == 0) {
            *out = words[i].value;
            return CR_OK;
        }
    return CR_EINVALID;
}

/* ---- shared helpers -------------------------------------------------------------------- */

static const char *opt_text(const cr_import_value *v)
{
    return v->set ? v->text : NULL;
}

static int64_t opt_count(const cr_import_value *v)
{
    return v->set ? v->i : CR_COUNT_NONE;
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = lower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* The utm_content of a link or a landing path ("/p/x?utm_source=ig&utm_content=maya_reel1"),
 * percent-decoded, or NULL. */
static const char *utm_content_of(char *out, size_t size, const char *link)
{
    const char *q = link ? strchr(link, '?') : NULL, *p;
    size_t n = 0;

    for (p = q; p != NULL; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, "utm_content=", 12) != 0)
            continue;
        for (p += 13; *p && *p != '&' && *p != '#' && n + 1 < size; p++) {
            if (*p == '%' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
                out[n++] = (char)(hex_value(p[1]) * 16 + hex_value(p[2]));
                p += 2;
            } else {
                out[n++] = *p == '+' ? ' ' : *p;
            }
        }
        out[n] = '\0';
        return n ? out : NULL;
    }
    return NULL;
}

/* The creator of a platform export's row: its handle cell, else --creator. */
static cr_err row_creator(int64_t *out,
                          cr_import_ctx *ctx,
                          const char *platform,
                          const cr_import_value *handle,
                          int handle_col)
{
    if (handle->set)
        return cr_import__creator_id(out, ctx, platform, handle->text, handle_col);
    if ((*out = cr_import__creator_option(ctx)) != 0)
        return CR_OK;
    return cr_import__row_error(ctx, handle_col,
                                "expected the account's handle, found an empty cell (name the "
                                "account with --creator @handle)");
}

/* Platform exports without a handle column need --creator (checked once, at the header). */
static cr_err need_creator(cr_import_ctx *ctx, int handle_col, const char *what)
{
    if (cr_import__has_column(ctx, handle_col) || cr_import__creator_option(ctx) != 0)
        return CR_OK;
    return cr_import__file_error(ctx,
                                 "the export has no %s column: name the account it is from with "
                                 "--creator @handle",
                                 what);
}

static cr_err write_post(cr_import_ctx *ctx, const cr_post *p, cr_metric *m)
{
    const cr_import_options *o = cr_import__options(ctx);
    int64_t id;
    cr_err rc;

    if ((rc = cr_store_post_upsert(&id, cr_import__store(ctx), p)) < 0)
        return rc;
    cr_import__remember_post(ctx, p->platform, p->external_id, id);
    m->post_id = id;
    m->captured_at = o->captured_at ? o->captured_at : cr_import__started_at(ctx);
    m->import_id = cr_import__import_id(ctx);
    return cr_store_metric_upsert(cr_import__store(ctx), m);
}

static void metric_none(cr_metric *m)
{
    memset(m, 0, sizeof(*m));
    m->impressions = m->reach = m->views = m->likes = m->comments = m->shares = m->saves =
        m->clicks = m->watch_seconds = CR_COUNT_NONE;
}

/* ---- instagram: Meta Business Suite content export ----------------------------------- */

enum {
    IG_POST_ID,
    IG_HANDLE,
    IG_POSTED,
    IG_URL,
    IG_FORMAT,
    IG_CAPTION,
    IG_PERIOD,
    IG_IMPRESSIONS,
    IG_VIEWS,
    IG_REACH,
    IG_LIKES,
    IG_COMMENTS,
    IG_SHARES,
    IG_SAVES,
    IG_CLICKS
};

static const cr_import_column ig_cols[] = {
    { "post_id", "key", 1, "media_id,ig_media_id", "Post ID" },
    { "handle", "handle", 0, "account_username,username",
      "Account username; without it, --creator names the account" },
    { "posted_at", "datetime", 1, "publish_time,published,timestamp",
      "Publish time, e.g. 03/02/2026 09:15 (MM/DD/YYYY, read as UTC)" },
    { "url", "url", 0, "permalink", "Permalink; a utm_content in it is kept" },
    { "format", "key", 0, "post_type,media_type,media_product_type",
      "Post type: IG reel -> reel, IG carousel -> carousel" },
    { "caption", "text", 0, "description,title", "Description" },
    { "period", "text", 0, "date", "Date: Lifetime (daily rows are refused)" },
    { "impressions", "count", 0, "impression_count", "Impressions (older exports)" },
    { "views", "count", 0, "plays,video_views", "Views" },
    { "reach", "count", 0, "accounts_reached", "Reach" },
    { "likes", "count", 0, "like_count", "Likes" },
    { "comments", "count", 0, "comment_count", "Comments" },
    { "shares", "count", 0, "share_count", "Shares" },
    { "saves", "count", 0, "saved,save_count", "Saves" },
    { "clicks", "count", 0, "link_clicks,profile_link_clicks", "Link clicks" },
};
static const cr_col_type ig_types[] = {
    CR_COL_KEY,   CR_COL_HANDLE, CR_COL_WHEN,  CR_COL_URL,   CR_COL_KEY,
    CR_COL_TEXT,  CR_COL_TEXT,   CR_COL_COUNT, CR_COL_COUNT, CR_COL_COUNT,
    CR_COL_COUNT, CR_COL_COUNT,  CR_COL_COUNT, CR_COL_COUNT, CR_COL_COUNT,
};

/* "IG reel" -> "reel": the format names crest uses elsewhere */
static const char *ig_format(char *out, size_t size, const char *s)
{
    size_t n = 0;

    if (s == NULL)
        return NULL;
    if (lower(s[0]) == 'i' && lower(s[1]) == 'g' && s[2] == ' ')
        s += 3;
    for (; *s && n + 1 < size; s++)
        out[n++] = *s == ' ' ? '_' : lower(*s);
    out[n] = '\0';
    return n ? out : NULL;
}

static cr_err ig_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    char fmt[64], utm[256];
    cr_post p;
    cr_metric m;
    cr_err rc;

    if (v[IG_PERIOD].set && strcmp(v[IG_PERIOD].text, "Lifetime") != 0 &&
        strcmp(v[IG_PERIOD].text, "lifetime") != 0)
        return cr_import__row_error(ctx, IG_PERIOD,
                                    "expected \"Lifetime\", found \"%s\" (one day's numbers are "
                                    "not the post's totals: export the lifetime values)",
                                    v[IG_PERIOD].text);
    if (v[IG_IMPRESSIONS].set && v[IG_REACH].set && v[IG_REACH].i > v[IG_IMPRESSIONS].i)
        return cr_import__row_error(ctx, IG_REACH,
                                    "expected reach <= impressions (%lld), found %lld",
                                    (long long)v[IG_IMPRESSIONS].i, (long long)v[IG_REACH].i);
    memset(&p, 0, sizeof(p));
    if ((rc = row_creator(&p.creator_id, ctx, "instagram", &v[IG_HANDLE], IG_HANDLE)) < 0)
        return rc;
    p.platform = "instagram";
    p.external_id = v[IG_POST_ID].text;
    p.posted_at = v[IG_POSTED].i;
    p.url = opt_text(&v[IG_URL]);
    p.format = ig_format(fmt, sizeof(fmt), opt_text(&v[IG_FORMAT]));
    p.caption = opt_text(&v[IG_CAPTION]);
    p.utm_content = utm_content_of(utm, sizeof(utm), p.url);
    metric_none(&m);
    m.impressions = opt_count(&v[IG_IMPRESSIONS]);
    m.views = opt_count(&v[IG_VIEWS]);
    m.reach = opt_count(&v[IG_REACH]);
    m.likes = opt_count(&v[IG_LIKES]);
    m.comments = opt_count(&v[IG_COMMENTS]);
    m.shares = opt_count(&v[IG_SHARES]);
    m.saves = opt_count(&v[IG_SAVES]);
    m.clicks = opt_count(&v[IG_CLICKS]);
    return write_post(ctx, &p, &m);
}

static cr_err ig_begin(cr_import_ctx *ctx)
{
    return need_creator(ctx, IG_HANDLE, "Account username");
}

const cr_import_kind cr_import__instagram_kind = {
    "instagram",    "Meta Business Suite content export (posts + a metric snapshot each)",
    "post_id",      ig_cols,
    NCOLS(ig_cols),
};
const cr_import_kind_def cr_import__instagram_def = { &cr_import__instagram_kind, ig_types,
                                                      ig_apply, "instagram", ig_begin };

/* ---- tiktok: TikTok Studio content export ---------------------------------------------- */

enum {
    TT_VIDEO_ID,
    TT_LINK,
    TT_HANDLE,
    TT_POSTED,
    TT_CAPTION,
    TT_VIEWS,
    TT_LIKES,
    TT_COMMENTS,
    TT_SHARES,
    TT_SAVES,
    TT_REACH,
    TT_WATCH
};

static const cr_import_column tt_cols[] = {
    { "video_id", "key", 0, "item_id", "the video's id; else taken from the link" },
    { "video_link", "url", 1, "link,share_url",
      "Video link: https://www.tiktok.com/@name/video/ID (id and handle come from it)" },
    { "handle", "handle", 0, "username,account",
      "the account; else the link's @name or --creator" },
    { "posted_at", "datetime", 1, "post_time,create_time,posted_on", "Post time" },
    { "caption", "text", 0, "video_title,title", "Video title" },
    { "views", "count", 0, "total_views,video_views", "Total views" },
    { "likes", "count", 0, "total_likes", "Total likes" },
    { "comments", "count", 0, "total_comments", "Total comments" },
    { "shares", "count", 0, "total_shares", "Total shares" },
    { "saves", "count", 0, "total_saves,total_favorites,favorites", "Total saves / favorites" },
    { "reach", "count", 0, "reached_audience,total_reach", "Reached audience" },
    { "watch_seconds", "duration", 0, "total_play_time,total_watch_time,total_time_watched",
      "Total play time: 12h 5m 3s, 01:02:03 or seconds" },
};
static const cr_col_type tt_types[] = {
    CR_COL_KEY,   CR_COL_URL,   CR_COL_HANDLE, CR_COL_WHEN,  CR_COL_TEXT,  CR_COL_COUNT,
    CR_COL_COUNT, CR_COL_COUNT, CR_COL_COUNT,  CR_COL_COUNT, CR_COL_COUNT, CR_COL_DURATION,
};

/* ".../@maya.runs/video/7312345678901234567?..." -> handle and id, into out buffers. */
static void tiktok_link(char *handle, size_t hsize, char *id, size_t isize, const char *link)
{
    const char *at = strstr(link, "/@"), *vid = strstr(link, "/video/");
    size_t n = 0;

    handle[0] = id[0] = '\0';
    if (at)
        for (at += 2; *at && *at != '/' && *at != '?' && n + 1 < hsize; at++)
            handle[n++] = *at;
    handle[n] = '\0';
    n = 0;
    if (vid)
        for (vid += 7; is_digit(*vid) && n + 1 < isize; vid++)
            id[n++] = *vid;
    id[n] = '\0';
}

static cr_err tt_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    char lhandle[128], lid[64], handle[128], utm[256];
    const char *why;
    cr_post p;
    cr_metric m;
    cr_err rc;

    memset(&p, 0, sizeof(p));
    tiktok_link(lhandle, sizeof(lhandle), lid, sizeof(lid), v[TT_LINK].text);
    p.external_id = v[TT_VIDEO_ID].set ? v[TT_VIDEO_ID].text : lid;
    if (p.external_id[0] == '\0')
        return cr_import__row_error(ctx, TT_LINK,
                                    "expected a video link such as https://www.tiktok.com/@name/"
                                    "video/7312345678901234567, found \"%s\" (no video id in it)",
                                    v[TT_LINK].text);
    if (v[TT_HANDLE].set || cr_import__creator_option(ctx)) {
        rc = row_creator(&p.creator_id, ctx, "tiktok", &v[TT_HANDLE], TT_HANDLE);
    } else if (lhandle[0] && cr_handle_normalize(handle, lhandle, strlen(lhandle), &why) == CR_OK) {
        rc = cr_import__creator_id(&p.creator_id, ctx, "tiktok", handle, TT_LINK);
    } else {
        rc = cr_import__row_error(ctx, TT_LINK,
                                  "expected a link with the account's @name, found \"%s\" (or "
                                  "name the account with --creator @handle)",
                                  v[TT_LINK].text);
    }
    if (rc < 0)
        return rc;
    p.platform = "tiktok";
    p.posted_at = v[TT_POSTED].i;
    p.url = v[TT_LINK].text;
    p.format = "video";
    p.caption = opt_text(&v[TT_CAPTION]);
    p.utm_content = utm_content_of(utm, sizeof(utm), p.url);
    metric_none(&m);
    m.views = opt_count(&v[TT_VIEWS]);
    m.likes = opt_count(&v[TT_LIKES]);
    m.comments = opt_count(&v[TT_COMMENTS]);
    m.shares = opt_count(&v[TT_SHARES]);
    m.saves = opt_count(&v[TT_SAVES]);
    m.reach = opt_count(&v[TT_REACH]);
    m.watch_seconds = v[TT_WATCH].set ? llround(v[TT_WATCH].d) : CR_COUNT_NONE;
    return write_post(ctx, &p, &m);
}

const cr_import_kind cr_import__tiktok_kind = {
    "tiktok",       "TikTok Studio content export (posts + a metric snapshot each)",
    "video_link",   tt_cols,
    NCOLS(tt_cols),
};
const cr_import_kind_def cr_import__tiktok_def = { &cr_import__tiktok_kind, tt_types, tt_apply,
                                                   "tiktok", NULL };

/* ---- youtube: YouTube Studio (Analytics, advanced mode) table export ------------------ */

enum {
    YT_VIDEO_ID,
    YT_CAPTION,
    YT_POSTED,
    YT_VIEWS,
    YT_WATCH_HOURS,
    YT_IMPRESSIONS,
    YT_LIKES,
    YT_COMMENTS,
    YT_SHARES,
    YT_HANDLE
};

static const cr_import_column yt_cols[] = {
    { "video_id", "key", 1, "content,video", "Content: the video id (the Total row is skipped)" },
    { "caption", "text", 0, "video_title,title", "Video title" },
    { "posted_at", "datetime", OPT_CELL, "video_publish_time,publish_time,published",
      "Video publish time, e.g. Mar 3, 2026" },
    { "views", "count", 0, "video_views", "Views" },
    { "watch_hours", "decimal", 0, "watch_time_(hours),watch_time_hours",
      "Watch time (hours) -> watch seconds" },
    { "impressions", "count", 0, "thumbnail_impressions", "Impressions (of the thumbnail)" },
    { "likes", "count", 0, "like_count", "Likes" },
    { "comments", "count", 0, "comments_added", "Comments added" },
    { "shares", "count", 0, "share_count", "Shares" },
    { "handle", "handle", 0, "channel,channel_handle", "the channel; else --creator" },
};
static const cr_col_type yt_types[] = {
    CR_COL_KEY,   CR_COL_TEXT,  CR_COL_WHEN,  CR_COL_COUNT, CR_COL_DECIMAL,
    CR_COL_COUNT, CR_COL_COUNT, CR_COL_COUNT, CR_COL_COUNT, CR_COL_HANDLE,
};

static cr_err yt_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    char url[300];
    cr_post p;
    cr_metric m;
    cr_err rc;

    /* the export's first data row sums the table: Content "Total", no title, no date */
    if (strcmp(v[YT_VIDEO_ID].text, "Total") == 0 && !v[YT_POSTED].set)
        return CR_IMPORT_SKIP_ROW;
    if (!v[YT_POSTED].set)
        return cr_import__row_error(ctx, YT_POSTED,
                                    "expected the video's publish time, found an empty cell");
    memset(&p, 0, sizeof(p));
    if ((rc = row_creator(&p.creator_id, ctx, "youtube", &v[YT_HANDLE], YT_HANDLE)) < 0)
        return rc;
    snprintf(url, sizeof(url), "https://www.youtube.com/watch?v=%s", v[YT_VIDEO_ID].text);
    p.platform = "youtube";
    p.external_id = v[YT_VIDEO_ID].text;
    p.posted_at = v[YT_POSTED].i;
    p.url = url;
    p.format = "video";
    p.caption = opt_text(&v[YT_CAPTION]);
    metric_none(&m);
    m.views = opt_count(&v[YT_VIEWS]);
    m.impressions = opt_count(&v[YT_IMPRESSIONS]);
    m.likes = opt_count(&v[YT_LIKES]);
    m.comments = opt_count(&v[YT_COMMENTS]);
    m.shares = opt_count(&v[YT_SHARES]);
    m.watch_seconds = v[YT_WATCH_HOURS].set ? llround(v[YT_WATCH_HOURS].d * 3600.0) : CR_COUNT_NONE;
    return write_post(ctx, &p, &m);
}

static cr_err yt_begin(cr_import_ctx *ctx)
{
    return need_creator(ctx, YT_HANDLE, "channel");
}

const cr_import_kind cr_import__youtube_kind = {
    "youtube",      "YouTube Studio table export (videos + a metric snapshot each)",
    "video_id",     yt_cols,
    NCOLS(yt_cols),
};
const cr_import_kind_def cr_import__youtube_def = { &cr_import__youtube_kind, yt_types, yt_apply,
                                                    "youtube", yt_begin };

/* ---- ga4: Google Analytics 4 traffic acquisition export ------------------------------- */

enum {
    GA_SOURCE_MEDIUM,
    GA_CAMPAIGN,
    GA_CONTENT,
    GA_DATE,
    GA_SESSIONS,
    GA_ENGAGED,
    GA_AVG,
    GA_KEY
};

static const cr_import_column ga_cols[] = {
    { "session_source_medium", "key", 1, "source_medium",
      "Session source / medium: google / organic; (direct) / (none) is empty" },
    { "session_campaign", "key", 0, "session_campaign_name,campaign,utm_campaign",
      "Session campaign -> utm_campaign; (not set) is empty" },
    { "session_manual_ad_content", "key", 0, "manual_ad_content,ad_content,utm_content",
      "Session manual ad content -> utm_content" },
    { "date", "date", 0, "day", "Date as 20260301; without it the preamble's single day" },
    { "sessions", "count", 1, "session_count", "Sessions" },
    { "engaged_sessions", "count", 0, "engaged_session_count", "Engaged sessions" },
    { "average_engagement_time", "duration", 0,
      "average_engagement_time_per_session,avg_engagement_time",
      "Average engagement time per session (seconds or 1m 05s) x sessions -> duration" },
    { "key_events", "decimal", 0, "conversions,session_key_events",
      "Key events (12.00) -> conversions" },
};
static const cr_col_type ga_types[] = {
    CR_COL_KEY,   CR_COL_KEY,   CR_COL_KEY,      CR_COL_DAY,
    CR_COL_COUNT, CR_COL_COUNT, CR_COL_DURATION, CR_COL_DECIMAL
};

/* "(not set)", "(none)", "(direct)", "(other)" stand for no value */
static const char *ga_value(const char *s)
{
    if (s == NULL || s[0] == '\0' || (s[0] == '(' && s[strlen(s) - 1] == ')'))
        return NULL;
    return s;
}

static cr_err ga_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    char source[256], medium[256];
    const char *sm = v[GA_SOURCE_MEDIUM].text, *slash = strstr(sm, " / ");
    cr_web_session w;
    int64_t start, end;

    memset(&w, 0, sizeof(w));
    if (slash) {
        snprintf(source, sizeof(source), "%.*s", (int)(slash - sm), sm);
        snprintf(medium, sizeof(medium), "%s", slash + 3);
    } else {
        snprintf(source, sizeof(source), "%s", sm);
        medium[0] = '\0';
    }
    w.utm_source = ga_value(source);
    w.utm_medium = ga_value(medium);
    w.utm_campaign = ga_value(opt_text(&v[GA_CAMPAIGN]));
    w.utm_content = ga_value(opt_text(&v[GA_CONTENT]));
    if (v[GA_DATE].set) {
        w.date = v[GA_DATE].i;
    } else {
        cr_import__preamble_range(ctx, &start, &end);
        w.date = start; /* ga_begin checked start == end */
    }
    w.sessions = v[GA_SESSIONS].i;
    w.engaged_sessions = opt_count(&v[GA_ENGAGED]);
    if (w.engaged_sessions != CR_COUNT_NONE && w.engaged_sessions > w.sessions)
        return cr_import__row_error(ctx, GA_ENGAGED,
                                    "expected at most the row's sessions (%lld), found %lld",
                                    (long long)w.sessions, (long long)w.engaged_sessions);
    w.duration_seconds = v[GA_AVG].set ? llround(v[GA_AVG].d * (double)w.sessions) : CR_COUNT_NONE;
    w.conversions = v[GA_KEY].set ? llround(v[GA_KEY].d) : CR_COUNT_NONE;
    w.import_id = cr_import__import_id(ctx);
    return cr_store_web_session_upsert(cr_import__store(ctx), &w);
}

static cr_err ga_begin(cr_import_ctx *ctx)
{
    int64_t start, end;
    char a[16], b[16];

    if (cr_import__has_column(ctx, GA_DATE))
        return CR_OK;
    cr_import__preamble_range(ctx, &start, &end);
    if (start == 0 || end == 0)
        return cr_import__file_error(ctx, "no Date column and no \"# Start date:\" / \"# End "
                                          "date:\" lines: add the Date dimension to the report "
                                          "before exporting it");
    if (start != end)
        return cr_import__file_error(ctx,
                                     "no Date column and the export covers %s to %s: add the "
                                     "Date dimension to the report (crest needs sessions per "
                                     "day), or export a single day",
                                     cr_fmt_date(a, sizeof(a), start),
                                     cr_fmt_date(b, sizeof(b), end));
    return CR_OK;
}

const cr_import_kind cr_import__ga4_kind = {
    "ga4",
    "Google Analytics 4 traffic acquisition export (web sessions per day and UTM)",
    "date + source + medium + campaign + content",
    ga_cols,
    NCOLS(ga_cols),
};
const cr_import_kind_def cr_import__ga4_def = { &cr_import__ga4_kind, ga_types, ga_apply, NULL,
                                                ga_begin };

/* ---- shopify: Shopify orders export ----------------------------------------------------- */

enum { SH_NAME, SH_CREATED, SH_TOTAL, SH_CURRENCY, SH_CODE, SH_LANDING, SH_UTM };

static const cr_import_column sh_cols[] = {
    { "name", "key", 1, "order_name,order", "Name: the order, e.g. #1001 (one row per line item)" },
    { "created_at", "datetime", OPT_CELL, "created,order_date",
      "Created at: 2026-03-01 10:15:00 -0500, converted to UTC" },
    { "total", "decimal", OPT_CELL, "total_price,order_total",
      "Total in major units (54.00); on the order's first row" },
    { "currency", "key", OPT_CELL, "currency_code", "Currency: ISO 4217, e.g. USD" },
    { "discount_code", "text", 0, "discount_codes,promo_code,coupon_code",
      "Discount Code: the first of several" },
    { "landing_site", "text", 0, "landing_page,landing_site_ref",
      "Landing Site: its ?utm_content= is the order's landing utm_content" },
    { "utm_content", "key", 0, "landing_utm_content", "overrides the Landing Site's" },
};
static const cr_col_type sh_types[] = { CR_COL_KEY,  CR_COL_WHEN, CR_COL_DECIMAL, CR_COL_KEY,
                                        CR_COL_TEXT, CR_COL_TEXT, CR_COL_KEY };

/* Digits after the decimal point of an ISO 4217 currency (2 unless listed). */
static int minor_digits(const char *code)
{
    static const char *const zero[] = { "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                        "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF" };
    static const char *const three[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };
    size_t i;

    for (i = 0; i < NCOLS(zero); i++)
        if (strcmp(code, zero[i]) == 0)
            return 0;
    for (i = 0; i < NCOLS(three); i++)
        if (strcmp(code, three[i]) == 0)
            return 3;
    return 2;
}

static cr_err sh_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    char currency[4], code[128], utm[256];
    const char *c, *comma;
    size_t i, n;
    int seen;
    cr_order o;

    /* an order spans one row per line item; only its first row carries the totals */
    if ((seen = cr_import__seen(ctx, v[SH_NAME].text)) < 0)
        return CR_ENOMEM;
    if (seen)
        return CR_IMPORT_SKIP_ROW;
    if (!v[SH_CREATED].set)
        return cr_import__row_error(ctx, SH_CREATED,
                                    "expected the order's date on its first row, found an empty "
                                    "cell");
    if (!v[SH_TOTAL].set)
        return cr_import__row_error(ctx, SH_TOTAL,
                                    "expected the order's total on its first row, found an "
                                    "empty cell");
    c = v[SH_CURRENCY].set ? v[SH_CURRENCY].text : "";
    for (n = 0; c[n] && n < 4; n++)
        ;
    if (n != 3)
        return cr_import__row_error(ctx, SH_CURRENCY,
                                    "expected a three-letter ISO 4217 currency code such as USD, "
                                    "found \"%s\"",
                                    c);
    for (i = 0; i < 3; i++) {
        currency[i] = (c[i] >= 'a' && c[i] <= 'z') ? (char)(c[i] - 'a' + 'A') : c[i];
        if (currency[i] < 'A' || currency[i] > 'Z')
            return cr_import__row_error(ctx, SH_CURRENCY,
                                        "expected a three-letter ISO 4217 currency code such as "
                                        "USD, found \"%s\"",
                                        c);
    }
    currency[3] = '\0';
    memset(&o, 0, sizeof(o));
    o.external_id = v[SH_NAME].text;
    o.created_at = v[SH_CREATED].i;
    o.total_minor = llround(v[SH_TOTAL].d * pow(10, minor_digits(currency)));
    o.currency = currency;
    if (v[SH_CODE].set) {
        const char *s = v[SH_CODE].text;
        comma = strchr(s, ',');
        n = comma ? (size_t)(comma - s) : strlen(s);
        while (n && s[n - 1] == ' ')
            n--;
        snprintf(code, sizeof(code), "%.*s", (int)n, s);
        o.discount_code = code[0] ? code : NULL;
    }
    o.landing_utm_content =
        v[SH_UTM].set ? v[SH_UTM].text : utm_content_of(utm, sizeof(utm), opt_text(&v[SH_LANDING]));
    o.import_id = cr_import__import_id(ctx);
    return cr_store_order_upsert(cr_import__store(ctx), &o);
}

const cr_import_kind cr_import__shopify_kind = {
    "shopify",
    "Shopify orders export (one order per Name; line-item rows are not counted again)",
    "name",
    sh_cols,
    NCOLS(sh_cols),
};
const cr_import_kind_def cr_import__shopify_def = { &cr_import__shopify_kind, sh_types, sh_apply,
                                                    NULL, NULL };

/* ---- leads: form completions ------------------------------------------------------------ */

enum { LE_ID, LE_CREATED, LE_SOURCE, LE_MEDIUM, LE_CAMPAIGN, LE_CONTENT, LE_QUALIFIED };

static const cr_import_column le_cols[] = {
    { "lead_id", "key", 1, "external_id,submission_id,response_id,entry_id",
      "the form tool's id of the completion" },
    { "created_at", "datetime", 1, "submitted_at,submission_date,timestamp,created",
      "when the form was completed" },
    { "utm_source", "key", 0, "source", "" },
    { "utm_medium", "key", 0, "medium", "" },
    { "utm_campaign", "key", 0, "campaign", "" },
    { "utm_content", "key", 0, "content", "the partnership's or post's utm_content" },
    { "qualified", "bool", OPT_CELL, "is_qualified,qualified_lead,lead_qualified,mql",
      "yes/no, true/false, 1/0; empty is no" },
};
static const cr_col_type le_types[] = { CR_COL_KEY, CR_COL_WHEN, CR_COL_KEY, CR_COL_KEY,
                                        CR_COL_KEY, CR_COL_KEY,  CR_COL_BOOL };

static cr_err le_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_lead l;

    memset(&l, 0, sizeof(l));
    l.external_id = v[LE_ID].text;
    l.created_at = v[LE_CREATED].i;
    l.utm_source = opt_text(&v[LE_SOURCE]);
    l.utm_medium = opt_text(&v[LE_MEDIUM]);
    l.utm_campaign = opt_text(&v[LE_CAMPAIGN]);
    l.utm_content = opt_text(&v[LE_CONTENT]);
    l.qualified = v[LE_QUALIFIED].set ? (int)v[LE_QUALIFIED].i : 0;
    l.import_id = cr_import__import_id(ctx);
    return cr_store_lead_upsert(cr_import__store(ctx), &l);
}

const cr_import_kind cr_import__leads_kind = {
    "leads",        "form completions with their UTM fields and a qualified flag",
    "lead_id",      le_cols,
    NCOLS(le_cols),
};
const cr_import_kind_def cr_import__leads_def = { &cr_import__leads_kind, le_types, le_apply, NULL,
                                                  NULL };

/* ---- mentions: social listening counts --------------------------------------------------- */

enum { MN_DATE, MN_SOURCE, MN_BRAND, MN_COUNT };

static const cr_import_column mn_cols[] = {
    { "date", "date", 1, "day", "the day counted" },
    { "source", "key", 1, "channel,network,site,media_type", "where: instagram, news, reddit..." },
    { "brand", "key", 1, "keyword,query,topic,competitor",
      "the brand or a competitor (share of voice compares them)" },
    { "count", "count", 1, "mentions,mention_count,volume,results", "mentions that day" },
};
static const cr_col_type mn_types[] = { CR_COL_DAY, CR_COL_KEY, CR_COL_KEY, CR_COL_COUNT };

static cr_err mn_apply(cr_import_ctx *ctx, const cr_import_value *v)
{
    cr_mention m;

    memset(&m, 0, sizeof(m));
    m.date = v[MN_DATE].i;
    m.source = v[MN_SOURCE].text;
    m.brand = v[MN_BRAND].text;
    m.count = v[MN_COUNT].i;
    m.import_id = cr_import__import_id(ctx);
    return cr_store_mention_upsert(cr_import__store(ctx), &m);
}

const cr_import_kind cr_import__mentions_kind = {
    "mentions",
    "daily mention counts per source and brand (competitors are other brands)",
    "date + source + brand",
    mn_cols,
    NCOLS(mn_cols),
};
const cr_import_kind_def cr_import__mentions_def = { &cr_import__mentions_kind, mn_types, mn_apply,
                                                     NULL, NULL };
