/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * sqlite.c - the embedded store: one SQLite file in WAL mode with foreign keys on.
 *
 * Every statement is a prepared statement from the stmt_sql[] table, prepared on first use
 * and kept for the life of the connection, so a million-row import binds and steps and
 * never parses SQL. Upserts use ON CONFLICT ... DO UPDATE ... WHERE <something differs>,
 * so re-importing the same data writes nothing. */
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crest/kpi.h"
#include "crest/sys/store_backend.h"
#include "store/schema.h"
#include "store/sqlite/migrations.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

#define QUERY_CACHE  256
#define METRIC_BATCH 64
#define TABLES_MAX   64
#define METRIC_COLS  12

enum stmt_id {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_CREATOR_UPSERT,
    S_CREATOR_FIND,
    S_CREATOR_GET,
    S_CREATOR_LIST_FOLLOWERS,
    S_CREATOR_LIST_HANDLE,
    S_CREATOR_LIST_ID,
    S_CREATOR_STATS_POSTS,
    S_CREATOR_STATS_SNAPS,
    S_CREATOR_STATS_COMMENTS,
    S_SNAPSHOT_UPSERT,
    S_POST_UPSERT,
    S_POST_FIND,
    S_POST_LIST,
    S_METRIC_UPSERT,
    S_COMMENT_UPSERT,
    S_CAMPAIGN_UPSERT,
    S_CAMPAIGN_FIND,
    S_KPI_UPSERT,
    S_PARTNERSHIP_UPSERT,
    S_PARTNERSHIP_FIND,
    S_IMPORT_FIND,
    S_IMPORT_BEGIN,
    S_IMPORT_FINISH,
    S_CAMPAIGN_GET,
    S_CAMPAIGN_LIST,
    S_KPI_LIST,
    S_KPI_CLEAR,
    S_PARTNERSHIP_LIST,
    S_PARTNERSHIP_DELETE,
    S_WEB_UPSERT,
    S_ORDER_UPSERT,
    S_LEAD_UPSERT,
    S_MENTION_UPSERT,
    S_USER_UPSERT,
    S_USER_FIND,
    S_USER_LIST,
    S_SESSION_CREATE,
    S_SESSION_FIND,
    S_SESSION_DELETE,
    S_SESSION_PURGE,
    S__COUNT
};

#define CREATOR_COLS                                                                       \
    "id, platform, handle, name, email, country, language, niches, followers, following, " \
    "media_count, engagement_rate, bio, updated_at"
#define CREATOR_LIST_WHERE                                                   \
    " FROM creator WHERE workspace_id = 1 AND (?1 IS NULL OR platform = ?1)" \
    " AND (?2 IS NULL OR instr(lower(handle), lower(?2)) > 0"                \
    "      OR instr(lower(coalesce(name, '')), lower(?2)) > 0)"              \
    " AND (?3 = 0 OR followers >= ?3) AND (?4 = 0 OR followers <= ?4)"

#define CAMPAIGN_COLS                                                                      \
    "id, name, brand, start_date, end_date, budget_minor, currency, status, primary_goal," \
    " secondary_goal, objective, benchmarking, evaluation_date, attribution_window_days,"  \
    " emv_credit"
#define USER_COLS "id, email, role, password_hash, created_at, disabled"

static const char *const stmt_sql[S__COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_CREATOR_UPSERT] =
        "INSERT INTO creator (workspace_id, platform, handle, name, email, country, language,"
        " niches, followers, following, media_count, engagement_rate, bio, created_at, updated_at)"
        " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"
        " ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET"
        " name = coalesce(excluded.name, name), email = coalesce(excluded.email, email),"
        " country = coalesce(excluded.country, country),"
        " language = coalesce(excluded.language, language),"
        " niches = coalesce(excluded.niches, niches),"
        " followers = coalesce(excluded.followers, followers),"
        " following = coalesce(excluded.following, following),"
        " media_count = coalesce(excluded.media_count, media_count),"
        " engagement_rate = coalesce(excluded.engagement_rate, engagement_rate),"
        " bio = coalesce(excluded.bio, bio), updated_at = excluded.updated_at"
        " WHERE coalesce(excluded.name, name) IS NOT name"
        " OR coalesce(excluded.email, email) IS NOT email"
        " OR coalesce(excluded.country, country) IS NOT country"
        " OR coalesce(excluded.language, language) IS NOT language"
        " OR coalesce(excluded.niches, niches) IS NOT niches"
        " OR coalesce(excluded.followers, followers) IS NOT followers"
        " OR coalesce(excluded.following, following) IS NOT following"
        " OR coalesce(excluded.media_count, media_count) IS NOT media_count"
        " OR coalesce(excluded.engagement_rate, engagement_rate) IS NOT engagement_rate"
        " OR coalesce(excluded.bio, bio) IS NOT bio"
        " RETURNING id",
    [S_CREATOR_FIND] =
        "SELECT id FROM creator WHERE workspace_id = 1 AND platform = ?1 AND handle = ?2",
    [S_CREATOR_GET] = "SELECT " CREATOR_COLS " FROM creator WHERE id = ?1",
    [S_CREATOR_LIST_FOLLOWERS] =
        "SELECT " CREATOR_COLS CREATOR_LIST_WHERE " ORDER BY followers DESC, id LIMIT ?5 OFFSET ?6",
    [S_CREATOR_LIST_HANDLE] =
        "SELECT " CREATOR_COLS CREATOR_LIST_WHERE " ORDER BY handle, platform LIMIT ?5 OFFSET ?6",
    [S_CREATOR_LIST_ID] =
        "SELECT " CREATOR_COLS CREATOR_LIST_WHERE " ORDER BY id LIMIT ?5 OFFSET ?6",
    [S_CREATOR_STATS_POSTS] =
        "SELECT count(*), count(m.post_id), coalesce(sum(m.reach), 0),"
        " coalesce(sum(m.impressions), 0),"
        " coalesce(sum(coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0)"
        "   + coalesce(m.saves, 0)), 0)"
        " FROM post p LEFT JOIN post_metric m ON m.post_id = p.id AND m.captured_at ="
        "   (SELECT max(captured_at) FROM post_metric WHERE post_id = p.id)"
        " WHERE p.creator_id = ?1",
    [S_CREATOR_STATS_SNAPS] =
        "SELECT count(*), min(date), max(date),"
        " (SELECT followers FROM creator_snapshot WHERE creator_id = ?1 ORDER BY date LIMIT 1),"
        " (SELECT followers FROM creator_snapshot WHERE creator_id = ?1 ORDER BY date DESC LIMIT 1)"
        " FROM creator_snapshot WHERE creator_id = ?1",
    [S_CREATOR_STATS_COMMENTS] = "SELECT count(*) FROM comment c JOIN post p ON p.id = c.post_id"
                                 " WHERE p.creator_id = ?1",
    [S_SNAPSHOT_UPSERT] =
        "INSERT INTO creator_snapshot (creator_id, date, followers, following, media_count)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (creator_id, date) DO UPDATE SET followers = excluded.followers,"
        " following = coalesce(excluded.following, following),"
        " media_count = coalesce(excluded.media_count, media_count)"
        " WHERE excluded.followers IS NOT followers"
        " OR coalesce(excluded.following, following) IS NOT following"
        " OR coalesce(excluded.media_count, media_count) IS NOT media_count",
    [S_POST_UPSERT] =
        "INSERT INTO post (workspace_id, creator_id, partnership_id, platform, external_id, url,"
        " posted_at, format, caption, utm_content)"
        " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET"
        " creator_id = excluded.creator_id,"
        " partnership_id = coalesce(excluded.partnership_id, partnership_id),"
        " url = coalesce(excluded.url, url), posted_at = excluded.posted_at,"
        " format = coalesce(excluded.format, format), caption = coalesce(excluded.caption, "
        "caption),"
        " utm_content = coalesce(excluded.utm_content, utm_content)"
        " WHERE excluded.creator_id IS NOT creator_id"
        " OR coalesce(excluded.partnership_id, partnership_id) IS NOT partnership_id"
        " OR coalesce(excluded.url, url) IS NOT url OR excluded.posted_at IS NOT posted_at"
        " OR coalesce(excluded.format, format) IS NOT format"
        " OR coalesce(excluded.caption, caption) IS NOT caption"
        " OR coalesce(excluded.utm_content, utm_content) IS NOT utm_content"
        " RETURNING id",
    [S_POST_FIND] =
        "SELECT id FROM post WHERE workspace_id = 1 AND platform = ?1 AND external_id = ?2",
    [S_POST_LIST] =
        "SELECT p.id, p.creator_id, coalesce(p.partnership_id, 0), p.platform, p.external_id,"
        " p.url, p.format, p.caption, p.utm_content, p.posted_at, c.handle,"
        " coalesce(m.post_id, 0), m.captured_at, m.impressions, m.reach, m.views, m.likes,"
        " m.comments, m.shares, m.saves, m.clicks, m.watch_seconds, coalesce(m.import_id, 0)"
        " FROM post p JOIN creator c ON c.id = p.creator_id"
        " LEFT JOIN post_metric m ON m.post_id = p.id AND m.captured_at ="
        "   (SELECT max(captured_at) FROM post_metric WHERE post_id = p.id)"
        " WHERE p.workspace_id = 1 AND (?1 = 0 OR p.creator_id = ?1)"
        " AND (?2 IS NULL OR p.platform = ?2)"
        " AND (?3 = 0 OR p.posted_at >= ?3) AND (?4 = 0 OR p.posted_at < ?4)"
        " ORDER BY p.posted_at DESC, p.id DESC LIMIT ?5 OFFSET ?6",
    [S_METRIC_UPSERT] =
        "INSERT INTO post_metric (post_id, captured_at, impressions, reach, views, likes,"
        " comments, shares, saves, clicks, watch_seconds, import_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        " ON CONFLICT (post_id, captured_at) DO UPDATE SET"
        " impressions = coalesce(excluded.impressions, impressions),"
        " reach = coalesce(excluded.reach, reach), views = coalesce(excluded.views, views),"
        " likes = coalesce(excluded.likes, likes), comments = coalesce(excluded.comments, "
        "comments),"
        " shares = coalesce(excluded.shares, shares), saves = coalesce(excluded.saves, saves),"
        " clicks = coalesce(excluded.clicks, clicks),"
        " watch_seconds = coalesce(excluded.watch_seconds, watch_seconds),"
        " import_id = coalesce(excluded.import_id, import_id)"
        " WHERE coalesce(excluded.impressions, impressions) IS NOT impressions"
        " OR coalesce(excluded.reach, reach) IS NOT reach"
        " OR coalesce(excluded.views, views) IS NOT views"
        " OR coalesce(excluded.likes, likes) IS NOT likes"
        " OR coalesce(excluded.comments, comments) IS NOT comments"
        " OR coalesce(excluded.shares, shares) IS NOT shares"
        " OR coalesce(excluded.saves, saves) IS NOT saves"
        " OR coalesce(excluded.clicks, clicks) IS NOT clicks"
        " OR coalesce(excluded.watch_seconds, watch_seconds) IS NOT watch_seconds",
    [S_COMMENT_UPSERT] =
        "INSERT INTO comment (post_id, external_id, author, text, posted_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (post_id, external_id) DO UPDATE SET"
        " author = coalesce(excluded.author, author), text = coalesce(excluded.text, text),"
        " posted_at = coalesce(excluded.posted_at, posted_at)"
        " WHERE coalesce(excluded.author, author) IS NOT author"
        " OR coalesce(excluded.text, text) IS NOT text"
        " OR coalesce(excluded.posted_at, posted_at) IS NOT posted_at",
    [S_CAMPAIGN_UPSERT] =
        "INSERT INTO campaign (workspace_id, name, brand, start_date, end_date, budget_minor,"
        " currency, status, primary_goal, secondary_goal, objective, benchmarking, created_at,"
        " updated_at, evaluation_date, attribution_window_days, emv_credit)"
        " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 'draft'), ?8, ?9, ?10, ?11, ?12, ?12,"
        " ?13, ?14, ?15)"
        " ON CONFLICT (workspace_id, name) DO UPDATE SET brand = excluded.brand,"
        " start_date = excluded.start_date, end_date = excluded.end_date,"
        " budget_minor = excluded.budget_minor, currency = excluded.currency,"
        " status = excluded.status, primary_goal = excluded.primary_goal,"
        " secondary_goal = excluded.secondary_goal, objective = excluded.objective,"
        " benchmarking = excluded.benchmarking, updated_at = excluded.updated_at,"
        " evaluation_date = excluded.evaluation_date,"
        " attribution_window_days = excluded.attribution_window_days,"
        " emv_credit = excluded.emv_credit"
        " WHERE excluded.brand IS NOT brand OR excluded.start_date IS NOT start_date"
        " OR excluded.end_date IS NOT end_date OR excluded.budget_minor IS NOT budget_minor"
        " OR excluded.currency IS NOT currency OR excluded.status IS NOT status"
        " OR excluded.primary_goal IS NOT primary_goal"
        " OR excluded.secondary_goal IS NOT secondary_goal"
        " OR excluded.objective IS NOT objective OR excluded.benchmarking IS NOT benchmarking"
        " OR excluded.evaluation_date IS NOT evaluation_date"
        " OR excluded.attribution_window_days IS NOT attribution_window_days"
        " OR excluded.emv_credit IS NOT emv_credit"
        " RETURNING id",
    [S_CAMPAIGN_FIND] = "SELECT id FROM campaign WHERE workspace_id = 1 AND name = ?1",
    [S_KPI_UPSERT] =
        "INSERT INTO campaign_kpi (campaign_id, code, role, target, target_relative, baseline,"
        " baseline_period) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (campaign_id, code) DO UPDATE SET role = excluded.role,"
        " target = excluded.target, target_relative = excluded.target_relative,"
        " baseline = excluded.baseline, baseline_period = excluded.baseline_period"
        " WHERE excluded.role IS NOT role OR excluded.target IS NOT target"
        " OR excluded.target_relative IS NOT target_relative"
        " OR excluded.baseline IS NOT baseline OR excluded.baseline_period IS NOT baseline_period",
    [S_PARTNERSHIP_UPSERT] =
        "INSERT INTO partnership (campaign_id, creator_id, fee_minor, product_cost_minor,"
        " currency, status, promo_code, utm_content)"
        " VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, 'prospect'), ?7, ?8)"
        " ON CONFLICT (campaign_id, creator_id) DO UPDATE SET fee_minor = excluded.fee_minor,"
        " product_cost_minor = excluded.product_cost_minor, currency = excluded.currency,"
        " status = excluded.status, promo_code = excluded.promo_code,"
        " utm_content = excluded.utm_content"
        " WHERE excluded.fee_minor IS NOT fee_minor"
        " OR excluded.product_cost_minor IS NOT product_cost_minor"
        " OR excluded.currency IS NOT currency OR excluded.status IS NOT status"
        " OR excluded.promo_code IS NOT promo_code OR excluded.utm_content IS NOT utm_content"
        " RETURNING id",
    [S_PARTNERSHIP_FIND] = "SELECT id FROM partnership WHERE campaign_id = ?1 AND creator_id = ?2",
    [S_IMPORT_FIND] = "SELECT id, rows FROM import WHERE workspace_id = 1 AND kind = ?1"
                      " AND sha256 = ?2 AND finished_at IS NOT NULL ORDER BY id LIMIT 1",
    [S_IMPORT_BEGIN] = "INSERT INTO import (workspace_id, kind, file, sha256, started_at)"
                       " VALUES (1, ?1, ?2, ?3, ?4) RETURNING id",
    [S_CAMPAIGN_GET] = "SELECT " CAMPAIGN_COLS " FROM campaign WHERE id = ?1",
    [S_CAMPAIGN_LIST] = "SELECT " CAMPAIGN_COLS " FROM campaign WHERE workspace_id = 1"
                        " ORDER BY start_date DESC, id DESC",
    [S_KPI_LIST] = "SELECT campaign_id, code, role, target, target_relative, baseline,"
                   " baseline_period FROM campaign_kpi WHERE campaign_id = ?1"
                   " ORDER BY role DESC, code",
    [S_KPI_CLEAR] = "DELETE FROM campaign_kpi WHERE campaign_id = ?1",
    [S_PARTNERSHIP_LIST] =
        "SELECT pa.id, pa.campaign_id, pa.creator_id, pa.fee_minor, pa.product_cost_minor,"
        " pa.currency, pa.status, pa.promo_code, pa.utm_content, c.platform, c.handle"
        " FROM partnership pa JOIN creator c ON c.id = pa.creator_id"
        " WHERE pa.campaign_id = ?1 ORDER BY pa.id",
    [S_PARTNERSHIP_DELETE] = "DELETE FROM partnership WHERE id = ?1",
    [S_WEB_UPSERT] =
        "INSERT INTO web_session (workspace_id, date, utm_source, utm_medium, utm_campaign,"
        " utm_content, sessions, engaged_sessions, duration_seconds, conversions, import_id)"
        " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT (workspace_id, date, utm_source, utm_medium, utm_campaign, utm_content)"
        " DO UPDATE SET sessions = excluded.sessions,"
        " engaged_sessions = coalesce(excluded.engaged_sessions, engaged_sessions),"
        " duration_seconds = coalesce(excluded.duration_seconds, duration_seconds),"
        " conversions = coalesce(excluded.conversions, conversions),"
        " import_id = coalesce(excluded.import_id, import_id)"
        " WHERE excluded.sessions IS NOT sessions"
        " OR coalesce(excluded.engaged_sessions, engaged_sessions) IS NOT engaged_sessions"
        " OR coalesce(excluded.duration_seconds, duration_seconds) IS NOT duration_seconds"
        " OR coalesce(excluded.conversions, conversions) IS NOT conversions",
    [S_ORDER_UPSERT] =
        "INSERT INTO shop_order (workspace_id, external_id, created_at, total_minor, currency,"
        " discount_code, landing_utm_content, import_id) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (workspace_id, external_id) DO UPDATE SET created_at = excluded.created_at,"
        " total_minor = excluded.total_minor, currency = excluded.currency,"
        " discount_code = excluded.discount_code,"
        " landing_utm_content = excluded.landing_utm_content,"
        " import_id = coalesce(excluded.import_id, import_id)"
        " WHERE excluded.created_at IS NOT created_at OR excluded.total_minor IS NOT total_minor"
        " OR excluded.currency IS NOT currency OR excluded.discount_code IS NOT discount_code"
        " OR excluded.landing_utm_content IS NOT landing_utm_content",
    [S_LEAD_UPSERT] =
        "INSERT INTO lead (workspace_id, external_id, created_at, utm_source, utm_medium,"
        " utm_campaign, utm_content, qualified, import_id)"
        " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (workspace_id, external_id) DO UPDATE SET created_at = excluded.created_at,"
        " utm_source = excluded.utm_source, utm_medium = excluded.utm_medium,"
        " utm_campaign = excluded.utm_campaign, utm_content = excluded.utm_content,"
        " qualified = excluded.qualified, import_id = coalesce(excluded.import_id, import_id)"
        " WHERE excluded.created_at IS NOT created_at OR excluded.utm_source IS NOT utm_source"
        " OR excluded.utm_medium IS NOT utm_medium OR excluded.utm_campaign IS NOT utm_campaign"
        " OR excluded.utm_content IS NOT utm_content OR excluded.qualified IS NOT qualified",
    [S_MENTION_UPSERT] =
        "INSERT INTO mention (workspace_id, date, source, brand, count, import_id)"
        " VALUES (1, ?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (workspace_id, date, source, brand) DO UPDATE SET count = excluded.count,"
        " import_id = coalesce(excluded.import_id, import_id) WHERE excluded.count IS NOT count",
    [S_IMPORT_FINISH] = "UPDATE import SET rows = ?2, rejected = ?3, finished_at = ?4,"
                        " sha256 = coalesce(?5, sha256) WHERE id = ?1",
    [S_USER_UPSERT] =
        "INSERT INTO app_user AS t (workspace_id, email, role, password_hash, created_at)"
        " VALUES (1, ?1, ?2, ?3, ?4)"
        " ON CONFLICT (workspace_id, email) DO UPDATE SET role = excluded.role,"
        " password_hash = excluded.password_hash, disabled = 0 RETURNING id",
    [S_USER_FIND] = "SELECT " USER_COLS " FROM app_user WHERE workspace_id = 1 AND email = ?1",
    [S_USER_LIST] = "SELECT " USER_COLS " FROM app_user WHERE workspace_id = 1 ORDER BY email",
    [S_SESSION_CREATE] = "INSERT INTO app_session (token_hash, user_id, csrf, created_at,"
                         " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_SESSION_FIND] =
        "SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.expires_at, u.email, u.role"
        " FROM app_session s JOIN app_user u ON u.id = s.user_id"
        " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
    [S_SESSION_DELETE] = "DELETE FROM app_session WHERE token_hash = ?1",
    [S_SESSION_PURGE] = "DELETE FROM app_session WHERE expires_at <= ?1",
};

typedef struct {
    cr_store_backend parent;
    sqlite3 *db;
    sqlite3_stmt *stmts[S__COUNT];
    char *path;
    int bulk; /* inside a CR_TX_BEGIN_BULK transaction: foreign keys are off */
    /* Metric rows wait here inside a transaction and go in METRIC_BATCH at a time through one
     * multi-row statement: the write cursor stays on the last page and the per-statement
     * cost is paid once per batch (10M rows: 28% less time in SQLite). */
    cr_metric mbuf[METRIC_BATCH];
    int nmbuf;
    sqlite3_stmt *mbatch;
    sqlite3_stmt *twrite[TABLES_MAX]; /* table_write, per table of the schema list */
    /* query(): statements of the portable layer, prepared once, by their (constant) text */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } qcache[QUERY_CACHE];
    int trace; /* CREST_TRACE_SQL is set */
} sqlite_backend;

static cr_err sqlite_fail(sqlite_backend *sb, const char *what)
{
    int ec = sqlite3_extended_errcode(sb->db);

    if ((ec & 0xff) == SQLITE_BUSY || (ec & 0xff) == SQLITE_LOCKED)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE,
                            "%s: the database is busy (another writer holds the lock)", what);
    if ((ec & 0xff) == SQLITE_CONSTRAINT)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "%s: %s", what, sqlite3_errmsg(sb->db));
    return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s: %s", what, sqlite3_errmsg(sb->db));
}

static cr_err metric_flush(sqlite_backend *sb);

static cr_err stmt_get(sqlite3_stmt **out, sqlite_backend *sb, enum stmt_id id)
{
    cr_err rc;

    /* every statement but the metric upsert itself sees the buffered metrics first */
    if (sb->nmbuf > 0 && id != S_METRIC_UPSERT && (rc = metric_flush(sb)) < 0)
        return rc;
    if (sb->stmts[id] == NULL &&
        sqlite3_prepare_v3(sb->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &sb->stmts[id],
                           NULL) != SQLITE_OK)
        return sqlite_fail(sb, "preparing a statement");
    *out = sb->stmts[id];
    sqlite3_reset(*out); /* no clear_bindings: every caller binds every parameter */
    return CR_OK;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void bind_count(sqlite3_stmt *s, int i, int64_t v)
{
    if (v >= 0)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_id(sqlite3_stmt *s, int i, int64_t v)
{
    if (v > 0)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, v);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static int64_t col_count(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? CR_COUNT_NONE : sqlite3_column_int64(s, i);
}

/* Step a statement that returns no rows. */
static cr_err step_done(sqlite_backend *sb, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);

    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sqlite_fail(sb, what);
    sqlite3_reset(s);
    return CR_OK;
}

/* Step an upsert ... RETURNING id; when the row was already identical nothing is returned
 * and the id comes from the find statement instead. */
static cr_err step_returning_id(
    int64_t *out_id, sqlite_backend *sb, sqlite3_stmt *s, const char *what, int *returned)
{
    int rc = sqlite3_step(s);

    *returned = 0;
    if (rc == SQLITE_ROW) {
        if (out_id)
            *out_id = sqlite3_column_int64(s, 0);
        *returned = 1;
        rc = sqlite3_step(s);
    }
    if (rc != SQLITE_DONE)
        return sqlite_fail(sb, what);
    sqlite3_reset(s);
    return CR_OK;
}

static cr_err find_id(int64_t *out_id,
                      sqlite_backend *sb,
                      enum stmt_id id,
                      const char *a,
                      const char *b,
                      const char *what)
{
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int r;

    if ((rc = stmt_get(&s, sb, id)) < 0)
        return rc;
    bind_text(s, 1, a);
    bind_text(s, 2, b);
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (out_id)
            *out_id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return CR_OK;
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE)
        return sqlite_fail(sb, what);
    return CR_ENOTFOUND;
}

static cr_err sqlite_exec(sqlite_backend *sb, const char *sql, const char *what)
{
    char *msg = NULL;

    if (sqlite3_exec(sb->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cr_err rc = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s: %s", what,
                                 msg ? msg : sqlite3_errmsg(sb->db));
        sqlite3_free(msg);
        return rc;
    }
    return CR_OK;
}

static int current_version(sqlite_backend *sb)
{
    sqlite3_stmt *s = NULL;
    int v = 0;

    if (sqlite3_prepare_v2(sb->db, "SELECT max(version) FROM schema_migrations", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int schema_table_exists(sqlite_backend *sb)
{
    sqlite3_stmt *s = NULL;
    int found = 0;

    if (sqlite3_prepare_v2(sb->db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                           "'schema_migrations'",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        found = 1;
    sqlite3_finalize(s);
    return found;
}

/* Apply pending migrations, each in its own IMMEDIATE transaction so that two processes
 * opening a new file at once do not both apply the same one. */
static cr_err sqlite_migrate(sqlite_backend *sb)
{
    int i, v;
    cr_err rc;
    char rec[256];
    const int last = cr_sqlite_migrations[cr_sqlite_migration_count - 1].version;

    /* The common case, a store that is up to date, is settled by a read: taking the write
     * lock on every open made a command fail with "database is locked" when it opened the
     * store while other writers kept it busy for longer than the busy timeout (bench/soak). */
    if (schema_table_exists(sb) && (v = current_version(sb)) >= last) {
        if (v > last)
            return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                                "%s has schema version %d, newer than this crest knows (%d): "
                                "upgrade crest",
                                sb->path, v, last);
        sb->parent.schema_version = v;
        return CR_OK;
    }
    if ((rc = sqlite_exec(sb,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                          "KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                          "creating the migrations table")) < 0)
        return rc;
    for (i = 0; i < cr_sqlite_migration_count; i++) {
        const cr_sqlite_migration *m = &cr_sqlite_migrations[i];
        if ((rc = sqlite_exec(sb, "BEGIN IMMEDIATE", "starting a migration")) < 0)
            return rc;
        v = current_version(sb);
        if (v >= m->version) {
            sqlite_exec(sb, "COMMIT", "migration");
            continue;
        }
        snprintf(rec, sizeof(rec),
                 "INSERT INTO schema_migrations VALUES (%d, 'migration %d', %lld)", m->version,
                 m->version, (long long)cr_now());
        if ((rc = sqlite_exec(sb, m->sql, m->name)) < 0 ||
            (rc = sqlite_exec(sb, rec, "recording a migration")) < 0 ||
            (rc = sqlite_exec(sb, "COMMIT", "committing a migration")) < 0) {
            sqlite_exec(sb, "ROLLBACK", "rolling back a migration");
            return rc;
        }
    }
    v = current_version(sb);
    if (v > cr_sqlite_migrations[cr_sqlite_migration_count - 1].version)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                            "%s has schema version %d, newer than this crest knows (%d): "
                            "upgrade crest",
                            sb->path, v,
                            cr_sqlite_migrations[cr_sqlite_migration_count - 1].version);
    sb->parent.schema_version = v;
    return CR_OK;
}

/* crest_tf(creator_fts): how often each phrase of the MATCH expression occurs in the row, as a
 * blob of native ints in phrase order (one process writes and reads it: src/store/discover.c,
 * which ranks the matches itself). It reads only the position lists FTS5 holds for the row,
 * not its document size or text, which is what makes it cheaper than bm25(). */
static void sqlite_fts_tf(const Fts5ExtensionApi *api,
                          Fts5Context *fts,
                          sqlite3_context *ctx,
                          int nval,
                          sqlite3_value **val)
{
    int stack[32], *counts = stack, nphrase = api->xPhraseCount(fts), ninst = 0, i;

    (void)nval;
    (void)val;
    if (nphrase > 32 &&
        (counts = sqlite3_malloc64((sqlite3_uint64)nphrase * sizeof(int))) == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    memset(counts, 0, (size_t)nphrase * sizeof(int));
    if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
        sqlite3_result_error(ctx, "crest_tf: cannot read the matches", -1);
    } else {
        for (i = 0; i < ninst; i++) {
            int phrase, col, off;
            if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase >= 0 &&
                phrase < nphrase)
                counts[phrase]++;
        }
        sqlite3_result_blob(ctx, counts, nphrase * (int)sizeof(int), SQLITE_TRANSIENT);
    }
    if (counts != stack)
        sqlite3_free(counts);
}

/* Register crest_tf() with the connection's FTS5. */
static cr_err sqlite_fts_functions(sqlite_backend *sb)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;

    if (sqlite3_prepare_v2(sb->db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "FTS5 is not available: %s",
                            sqlite3_errmsg(sb->db));
    sqlite3_bind_pointer(s, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    if (api == NULL || api->iVersion < 2 ||
        api->xCreateFunction(api, "crest_tf", NULL, sqlite_fts_tf, NULL) != SQLITE_OK)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "cannot register crest_tf with FTS5");
    return CR_OK;
}

static cr_err sqlite_open(cr_store_backend *be, const char *dsn)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    int rc;
    cr_err err;

    if ((sb->path = cr_strdup(dsn)) == NULL)
        return cr_error_oom();
    /* One connection is used by one thread at a time, so SQLite's per-call mutexes are pure
     * cost (7% of an import): open it NOMUTEX. */
    rc = sqlite3_open_v2(dsn, &sb->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s: cannot open database: %s", dsn,
                            sb->db ? sqlite3_errmsg(sb->db) : sqlite3_errstr(rc));
    sqlite3_busy_timeout(sb->db, 10000);
    sqlite3_extended_result_codes(sb->db, 1);
    /* 8 KiB pages: bulk appends to the metric table run ~7% faster than with 4 KiB, and only
     * a new, empty file takes it (an existing one keeps its page size). */
    if ((err = sqlite_exec(sb, "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL", dsn)) < 0) {
        if (strstr(cr_error_last()->message, "not a database") != NULL)
            return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s: not a crest database", dsn);
        return err;
    }
    if ((err = sqlite_exec(sb,
                           "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                           " PRAGMA cache_size = -16384; PRAGMA temp_store = FILE;"
                           " PRAGMA mmap_size = 2147418112;",
                           dsn)) < 0 ||
        (err = sqlite_fts_functions(sb)) < 0)
        return err;
    return sqlite_migrate(sb);
}

static cr_err sqlite_tx(cr_store_backend *be, cr_tx_op op)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    enum stmt_id id = op == CR_TX_COMMIT ? S_COMMIT : op == CR_TX_ROLLBACK ? S_ROLLBACK : S_BEGIN;

    /* foreign_keys can only change outside a transaction: off before a bulk BEGIN, on again
     * once no transaction is open (after COMMIT, ROLLBACK, or SQLite's own rollback). Per-row
     * FK checks are 20% of a metrics import, and the importer has looked every reference up
     * under the same write lock. */
    if (op == CR_TX_ROLLBACK)
        sb->nmbuf = 0; /* buffered metrics go with the transaction */
    if (op == CR_TX_ROLLBACK && sqlite3_get_autocommit(sb->db)) {
        rc = CR_OK;
    } else {
        if (op == CR_TX_BEGIN_BULK &&
            (rc = sqlite_exec(sb, "PRAGMA foreign_keys = OFF", "bulk")) < 0)
            return rc;
        if ((rc = stmt_get(&s, sb, id)) == CR_OK)
            rc = step_done(sb, s,
                           op == CR_TX_COMMIT     ? "committing"
                           : op == CR_TX_ROLLBACK ? "rolling back"
                                                  : "starting a transaction");
        if (op == CR_TX_BEGIN_BULK && rc == CR_OK)
            sb->bulk = 1;
    }
    if ((sb->bulk || op == CR_TX_BEGIN_BULK) && sqlite3_get_autocommit(sb->db)) {
        sb->bulk = 0;
        sqlite_exec(sb, "PRAGMA foreign_keys = ON", "bulk");
        /* the pages a bulk import wrote stay in this connection's cache (up to its 16 MiB)
         * though reads go through the memory map: give them back, so that a long-running
         * server's memory does not grow with every import it takes (bench/soak) */
        sqlite3_db_release_memory(sb->db);
    }
    return rc;
}

static cr_err
sqlite_creator_find(int64_t *out_id, cr_store_backend *be, const char *platform, const char *handle)
{
    cr_err rc = find_id(out_id, (sqlite_backend *)be, S_CREATOR_FIND, platform, handle,
                        "looking up a creator");

    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %s/%s", platform, handle);
    return rc;
}

static cr_err sqlite_creator_upsert(int64_t *out_id, cr_store_backend *be, const cr_creator *c)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int returned;

    if ((rc = stmt_get(&s, sb, S_CREATOR_UPSERT)) < 0)
        return rc;
    bind_text(s, 1, c->platform);
    bind_text(s, 2, c->handle);
    bind_text(s, 3, c->name);
    bind_text(s, 4, c->email);
    bind_text(s, 5, c->country);
    bind_text(s, 6, c->language);
    bind_text(s, 7, c->niches);
    bind_count(s, 8, c->followers);
    bind_count(s, 9, c->following);
    bind_count(s, 10, c->media_count);
    bind_real(s, 11, c->engagement_rate);
    bind_text(s, 12, c->bio);
    sqlite3_bind_int64(s, 13, c->updated_at ? c->updated_at : cr_now());
    if ((rc = step_returning_id(out_id, sb, s, "saving a creator", &returned)) < 0 || returned)
        return rc;
    return sqlite_creator_find(out_id, be, c->platform, c->handle);
}

static void row_to_creator(cr_creator *c, sqlite3_stmt *s)
{
    c->id = sqlite3_column_int64(s, 0);
    c->platform = col_text(s, 1);
    c->handle = col_text(s, 2);
    c->name = col_text(s, 3);
    c->email = col_text(s, 4);
    c->country = col_text(s, 5);
    c->language = col_text(s, 6);
    c->niches = col_text(s, 7);
    c->followers = col_count(s, 8);
    c->following = col_count(s, 9);
    c->media_count = col_count(s, 10);
    c->engagement_rate =
        sqlite3_column_type(s, 11) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 11);
    c->bio = col_text(s, 12);
    c->updated_at = sqlite3_column_int64(s, 13);
}

/* Run a SELECT of creator rows, calling cb for each; a callback error stops and returns. */
static cr_err
each_creator(sqlite_backend *sb, sqlite3_stmt *s, cr_creator_cb cb, void *payload, int *n)
{
    cr_creator c;
    cr_err rc = CR_OK;
    int r;

    *n = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        row_to_creator(&c, s);
        (*n)++;
        if ((rc = cb(&c, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading creators");
    sqlite3_reset(s);
    return rc;
}

static cr_err sqlite_creator_get(cr_store_backend *be, int64_t id, cr_creator_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int n;

    if ((rc = stmt_get(&s, sb, S_CREATOR_GET)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = each_creator(sb, s, cb, payload, &n)) < 0)
        return rc;
    if (n == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator with id %lld",
                            (long long)id);
    return CR_OK;
}

static cr_err sqlite_creator_list(cr_store_backend *be,
                                  const cr_creator_filter *f,
                                  cr_creator_cb cb,
                                  void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    enum stmt_id id = S_CREATOR_LIST_FOLLOWERS;
    cr_err rc;
    int n;

    if (f->order && strcmp(f->order, "handle") == 0)
        id = S_CREATOR_LIST_HANDLE;
    else if (f->order && strcmp(f->order, "id") == 0)
        id = S_CREATOR_LIST_ID;
    else if (f->order && strcmp(f->order, "followers") != 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "unknown order '%s': expected followers, handle or id", f->order);
    if ((rc = stmt_get(&s, sb, id)) < 0)
        return rc;
    bind_text(s, 1, f->platform);
    bind_text(s, 2, f->search);
    sqlite3_bind_int64(s, 3, f->min_followers);
    sqlite3_bind_int64(s, 4, f->max_followers);
    sqlite3_bind_int64(s, 5, f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int64(s, 6, f->offset);
    return each_creator(sb, s, cb, payload, &n);
}

static cr_err sqlite_creator_stats(cr_creator_stats *out, cr_store_backend *be, int64_t id)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_CREATOR_STATS_POSTS)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW)
        return sqlite_fail(sb, "reading post totals");
    out->posts = sqlite3_column_int64(s, 0);
    out->posts_with_metrics = sqlite3_column_int64(s, 1);
    out->reach = sqlite3_column_int64(s, 2);
    out->impressions = sqlite3_column_int64(s, 3);
    out->engagements = sqlite3_column_int64(s, 4);
    sqlite3_reset(s);

    if ((rc = stmt_get(&s, sb, S_CREATOR_STATS_SNAPS)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW)
        return sqlite_fail(sb, "reading snapshots");
    out->snapshots = sqlite3_column_int64(s, 0);
    out->first_snapshot = sqlite3_column_int64(s, 1);
    out->last_snapshot = sqlite3_column_int64(s, 2);
    out->first_followers = col_count(s, 3);
    out->last_followers = col_count(s, 4);
    sqlite3_reset(s);

    if ((rc = stmt_get(&s, sb, S_CREATOR_STATS_COMMENTS)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW)
        return sqlite_fail(sb, "reading comments");
    out->comments = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return CR_OK;
}

static cr_err sqlite_snapshot_upsert(cr_store_backend *be, const cr_snapshot *sn)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_SNAPSHOT_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, sn->creator_id);
    sqlite3_bind_int64(s, 2, sn->date);
    bind_count(s, 3, sn->followers);
    bind_count(s, 4, sn->following);
    bind_count(s, 5, sn->media_count);
    return step_done(sb, s, "saving a snapshot");
}

static cr_err sqlite_post_find(int64_t *out_id,
                               cr_store_backend *be,
                               const char *platform,
                               const char *external_id)
{
    cr_err rc = find_id(out_id, (sqlite_backend *)be, S_POST_FIND, platform, external_id,
                        "looking up a post");

    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no post %s/%s", platform,
                            external_id);
    return rc;
}

static cr_err sqlite_post_upsert(int64_t *out_id, cr_store_backend *be, const cr_post *p)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int returned;

    if ((rc = stmt_get(&s, sb, S_POST_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, p->creator_id);
    bind_id(s, 2, p->partnership_id);
    bind_text(s, 3, p->platform);
    bind_text(s, 4, p->external_id);
    bind_text(s, 5, p->url);
    sqlite3_bind_int64(s, 6, p->posted_at);
    bind_text(s, 7, p->format);
    bind_text(s, 8, p->caption);
    bind_text(s, 9, p->utm_content);
    if ((rc = step_returning_id(out_id, sb, s, "saving a post", &returned)) < 0 || returned)
        return rc;
    return sqlite_post_find(out_id, be, p->platform, p->external_id);
}

static cr_err
sqlite_post_list(cr_store_backend *be, const cr_post_filter *f, cr_post_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_post_row row;
    cr_err rc = CR_OK;
    int r;

    if ((rc = stmt_get(&s, sb, S_POST_LIST)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, f->creator_id);
    bind_text(s, 2, f->platform);
    sqlite3_bind_int64(s, 3, f->since);
    sqlite3_bind_int64(s, 4, f->until);
    sqlite3_bind_int64(s, 5, f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int64(s, 6, f->offset);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&row, 0, sizeof(row));
        row.post.id = sqlite3_column_int64(s, 0);
        row.post.creator_id = sqlite3_column_int64(s, 1);
        row.post.partnership_id = sqlite3_column_int64(s, 2);
        row.post.platform = col_text(s, 3);
        row.post.external_id = col_text(s, 4);
        row.post.url = col_text(s, 5);
        row.post.format = col_text(s, 6);
        row.post.caption = col_text(s, 7);
        row.post.utm_content = col_text(s, 8);
        row.post.posted_at = sqlite3_column_int64(s, 9);
        row.handle = col_text(s, 10);
        row.metric.post_id = sqlite3_column_int64(s, 11);
        row.metric.captured_at = sqlite3_column_int64(s, 12);
        row.metric.impressions = col_count(s, 13);
        row.metric.reach = col_count(s, 14);
        row.metric.views = col_count(s, 15);
        row.metric.likes = col_count(s, 16);
        row.metric.comments = col_count(s, 17);
        row.metric.shares = col_count(s, 18);
        row.metric.saves = col_count(s, 19);
        row.metric.clicks = col_count(s, 20);
        row.metric.watch_seconds = col_count(s, 21);
        row.metric.import_id = sqlite3_column_int64(s, 22);
        if ((rc = cb(&row, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading posts");
    sqlite3_reset(s);
    return rc;
}

static void bind_metric(sqlite3_stmt *s, int base, const cr_metric *m)
{
    sqlite3_bind_int64(s, base + 1, m->post_id);
    sqlite3_bind_int64(s, base + 2, m->captured_at);
    bind_count(s, base + 3, m->impressions);
    bind_count(s, base + 4, m->reach);
    bind_count(s, base + 5, m->views);
    bind_count(s, base + 6, m->likes);
    bind_count(s, base + 7, m->comments);
    bind_count(s, base + 8, m->shares);
    bind_count(s, base + 9, m->saves);
    bind_count(s, base + 10, m->clicks);
    bind_count(s, base + 11, m->watch_seconds);
    bind_id(s, base + 12, m->import_id);
}

static cr_err metric_one(sqlite_backend *sb, const cr_metric *m)
{
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_METRIC_UPSERT)) < 0)
        return rc;
    bind_metric(s, 0, m);
    return step_done(sb, s, "saving a metric");
}

/* The batch statement: S_METRIC_UPSERT's SQL with METRIC_BATCH rows of placeholders. */
static cr_err metric_batch_stmt(sqlite_backend *sb)
{
    const char *one = stmt_sql[S_METRIC_UPSERT];
    const char *values = strstr(one, " VALUES "), *conflict = strstr(one, " ON CONFLICT");
    cr_str sql;
    int r, c;
    cr_err rc;

    if (sb->mbatch != NULL)
        return CR_OK;
    cr_str_init(&sql, 0);
    rc = cr_str_put(&sql, one, (size_t)(values - one));
    if (rc == CR_OK)
        rc = cr_str_puts(&sql, " VALUES ");
    for (r = 0; r < METRIC_BATCH && rc == CR_OK; r++) {
        rc = cr_str_puts(&sql, r ? ",(" : "(");
        for (c = 0; c < METRIC_COLS && rc == CR_OK; c++)
            rc = cr_str_printf(&sql, "%s?%d", c ? "," : "", r * METRIC_COLS + c + 1);
        if (rc == CR_OK)
            rc = cr_str_putc(&sql, ')');
    }
    if (rc == CR_OK)
        rc = cr_str_puts(&sql, conflict);
    if (rc == CR_OK && sqlite3_prepare_v3(sb->db, cr_str_cstr(&sql), -1, SQLITE_PREPARE_PERSISTENT,
                                          &sb->mbatch, NULL) != SQLITE_OK)
        rc = sqlite_fail(sb, "preparing the metric batch");
    cr_str_dispose(&sql);
    return rc;
}

static cr_err metric_flush(sqlite_backend *sb)
{
    int i, n = sb->nmbuf;
    cr_err rc;

    sb->nmbuf = 0;
    if (n == METRIC_BATCH) {
        if ((rc = metric_batch_stmt(sb)) < 0)
            return rc;
        sqlite3_reset(sb->mbatch);
        for (i = 0; i < n; i++)
            bind_metric(sb->mbatch, i * METRIC_COLS, &sb->mbuf[i]);
        return step_done(sb, sb->mbatch, "saving metrics");
    }
    for (i = 0; i < n; i++)
        if ((rc = metric_one(sb, &sb->mbuf[i])) < 0)
            return rc;
    return CR_OK;
}

static cr_err sqlite_metric_upsert(cr_store_backend *be, const cr_metric *m)
{
    sqlite_backend *sb = (sqlite_backend *)be;

    if (sqlite3_get_autocommit(sb->db))
        return metric_one(sb, m); /* outside a transaction: at once */
    sb->mbuf[sb->nmbuf++] = *m;
    return sb->nmbuf == METRIC_BATCH ? metric_flush(sb) : CR_OK;
}

static cr_err sqlite_comment_upsert(cr_store_backend *be, const cr_comment *c)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_COMMENT_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, c->post_id);
    bind_text(s, 2, c->external_id);
    bind_text(s, 3, c->author);
    bind_text(s, 4, c->text);
    bind_id(s, 5, c->posted_at);
    return step_done(sb, s, "saving a comment");
}

static cr_err sqlite_campaign_upsert(int64_t *out_id, cr_store_backend *be, const cr_campaign *c)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int returned;

    if ((rc = stmt_get(&s, sb, S_CAMPAIGN_UPSERT)) < 0)
        return rc;
    bind_text(s, 1, c->name);
    bind_text(s, 2, c->brand);
    sqlite3_bind_int64(s, 3, c->start);
    sqlite3_bind_int64(s, 4, c->end);
    sqlite3_bind_int64(s, 5, c->budget_minor);
    bind_text(s, 6, c->currency);
    bind_text(s, 7, c->status);
    bind_text(s, 8, c->primary_goal);
    bind_text(s, 9, c->secondary_goal);
    bind_text(s, 10, c->objective);
    sqlite3_bind_int(s, 11, c->benchmarking != 0);
    sqlite3_bind_int64(s, 12, cr_now());
    bind_id(s, 13, c->evaluation);
    sqlite3_bind_int(s, 14, c->attribution_window_days > 0 ? c->attribution_window_days : 30);
    bind_text(s, 15, c->emv_credit ? c->emv_credit : "full");
    if ((rc = step_returning_id(out_id, sb, s, "saving a campaign", &returned)) < 0 || returned)
        return rc;
    rc = find_id(out_id, sb, S_CAMPAIGN_FIND, c->name, NULL, "looking up a campaign");
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_STORE, "campaign '%s' vanished", c->name);
    return rc;
}

static cr_err sqlite_campaign_kpi_upsert(cr_store_backend *be, const cr_campaign_kpi *k)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_KPI_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, k->campaign_id);
    bind_text(s, 2, k->code);
    bind_text(s, 3, k->role ? k->role : "primary");
    bind_real(s, 4, k->target);
    sqlite3_bind_int(s, 5, k->target_relative != 0);
    bind_real(s, 6, k->baseline);
    bind_text(s, 7, k->baseline_period);
    return step_done(sb, s, "saving a campaign KPI");
}

static cr_err
sqlite_partnership_upsert(int64_t *out_id, cr_store_backend *be, const cr_partnership *p)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int returned;

    if ((rc = stmt_get(&s, sb, S_PARTNERSHIP_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, p->campaign_id);
    sqlite3_bind_int64(s, 2, p->creator_id);
    sqlite3_bind_int64(s, 3, p->fee_minor);
    sqlite3_bind_int64(s, 4, p->product_cost_minor);
    bind_text(s, 5, p->currency);
    bind_text(s, 6, p->status);
    bind_text(s, 7, p->promo_code);
    bind_text(s, 8, p->utm_content);
    if ((rc = step_returning_id(out_id, sb, s, "saving a partnership", &returned)) < 0 || returned)
        return rc;
    if ((rc = stmt_get(&s, sb, S_PARTNERSHIP_FIND)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, p->campaign_id);
    sqlite3_bind_int64(s, 2, p->creator_id);
    if (sqlite3_step(s) != SQLITE_ROW)
        return sqlite_fail(sb, "looking up a partnership");
    if (out_id)
        *out_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return CR_OK;
}

static cr_err sqlite_import_find(
    cr_store_backend *be, const char *kind, const char *sha256, int64_t *out_id, int64_t *out_rows)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int r;

    if ((rc = stmt_get(&s, sb, S_IMPORT_FIND)) < 0)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, sha256);
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(s, 0);
        *out_rows = sqlite3_column_int64(s, 1);
        sqlite3_reset(s);
        return CR_OK;
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? CR_ENOTFOUND : sqlite_fail(sb, "looking up an import");
}

static cr_err sqlite_import_begin(int64_t *out_id, cr_store_backend *be, const cr_import_rec *rec)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int returned;

    if ((rc = stmt_get(&s, sb, S_IMPORT_BEGIN)) < 0)
        return rc;
    bind_text(s, 1, rec->kind);
    bind_text(s, 2, rec->file);
    bind_text(s, 3, rec->sha256);
    sqlite3_bind_int64(s, 4, rec->started_at ? rec->started_at : cr_now());
    return step_returning_id(out_id, sb, s, "recording an import", &returned);
}

static cr_err sqlite_import_finish(
    cr_store_backend *be, int64_t id, const char *sha256, int64_t rows, int64_t rejected)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_IMPORT_FINISH)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, rows);
    sqlite3_bind_int64(s, 3, rejected);
    sqlite3_bind_int64(s, 4, cr_now());
    bind_text(s, 5, sha256);
    return step_done(sb, s, "recording an import");
}

static cr_err sqlite_table_counts(cr_store_backend *be, cr_table_count_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    char sql[128];
    size_t i;
    cr_err rc = CR_OK;

    if (sb->nmbuf > 0 && (rc = metric_flush(sb)) < 0)
        return rc;
    for (i = 0; i < cr_schema_ntables && rc == CR_OK; i++) {
        sqlite3_stmt *s = NULL;
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", cr_schema_tables[i].name);
        if (sqlite3_prepare_v2(sb->db, sql, -1, &s, NULL) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_ROW) {
            sqlite3_finalize(s);
            return sqlite_fail(sb, "counting rows");
        }
        rc = cb(cr_schema_tables[i].name, sqlite3_column_int64(s, 0), payload);
        sqlite3_finalize(s);
    }
    return rc;
}

static void row_to_campaign(cr_campaign *c, sqlite3_stmt *s)
{
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(s, 0);
    c->name = col_text(s, 1);
    c->brand = col_text(s, 2);
    c->start = sqlite3_column_int64(s, 3);
    c->end = sqlite3_column_int64(s, 4);
    c->budget_minor = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 5);
    c->currency = col_text(s, 6);
    c->status = col_text(s, 7);
    c->primary_goal = col_text(s, 8);
    c->secondary_goal = col_text(s, 9);
    c->objective = col_text(s, 10);
    c->benchmarking = sqlite3_column_int(s, 11);
    c->evaluation = sqlite3_column_int64(s, 12);
    c->attribution_window_days = sqlite3_column_int(s, 13);
    c->emv_credit = col_text(s, 14);
}

static cr_err
each_campaign(sqlite_backend *sb, sqlite3_stmt *s, cr_campaign_cb cb, void *payload, int *n)
{
    cr_campaign c;
    cr_err rc = CR_OK;
    int r;

    *n = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        row_to_campaign(&c, s);
        (*n)++;
        if ((rc = cb(&c, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading campaigns");
    sqlite3_reset(s);
    return rc;
}

static cr_err
sqlite_campaign_get(cr_store_backend *be, int64_t id, cr_campaign_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int n;

    if ((rc = stmt_get(&s, sb, S_CAMPAIGN_GET)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = each_campaign(sb, s, cb, payload, &n)) < 0)
        return rc;
    if (n == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no campaign with id %lld",
                            (long long)id);
    return CR_OK;
}

static cr_err sqlite_campaign_find(int64_t *out_id, cr_store_backend *be, const char *name)
{
    cr_err rc =
        find_id(out_id, (sqlite_backend *)be, S_CAMPAIGN_FIND, name, NULL, "looking up a campaign");

    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no campaign named '%s'", name);
    return rc;
}

static cr_err sqlite_campaign_list(cr_store_backend *be, cr_campaign_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int n;

    if ((rc = stmt_get(&s, sb, S_CAMPAIGN_LIST)) < 0)
        return rc;
    return each_campaign(sb, s, cb, payload, &n);
}

static cr_err sqlite_campaign_kpi_list(cr_store_backend *be,
                                       int64_t campaign_id,
                                       cr_campaign_kpi_cb cb,
                                       void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_campaign_kpi k;
    cr_err rc;
    int r;

    if ((rc = stmt_get(&s, sb, S_KPI_LIST)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign_id);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        k.campaign_id = sqlite3_column_int64(s, 0);
        k.code = col_text(s, 1);
        k.role = col_text(s, 2);
        k.target = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3);
        k.target_relative = sqlite3_column_int(s, 4);
        k.baseline = sqlite3_column_type(s, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 5);
        k.baseline_period = col_text(s, 6);
        if ((rc = cb(&k, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading campaign KPIs");
    sqlite3_reset(s);
    return rc;
}

static cr_err exec_id(sqlite_backend *sb, enum stmt_id id, int64_t v, const char *what)
{
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, id)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, v);
    return step_done(sb, s, what);
}

static cr_err sqlite_campaign_kpi_clear(cr_store_backend *be, int64_t campaign_id)
{
    return exec_id((sqlite_backend *)be, S_KPI_CLEAR, campaign_id, "removing campaign KPIs");
}

static cr_err sqlite_partnership_delete(cr_store_backend *be, int64_t id)
{
    return exec_id((sqlite_backend *)be, S_PARTNERSHIP_DELETE, id, "removing a partnership");
}

static cr_err sqlite_partnership_list(cr_store_backend *be,
                                      int64_t campaign_id,
                                      cr_partnership_cb cb,
                                      void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_partnership p;
    cr_err rc;
    int r;

    if ((rc = stmt_get(&s, sb, S_PARTNERSHIP_LIST)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign_id);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        p.id = sqlite3_column_int64(s, 0);
        p.campaign_id = sqlite3_column_int64(s, 1);
        p.creator_id = sqlite3_column_int64(s, 2);
        p.fee_minor = sqlite3_column_int64(s, 3);
        p.product_cost_minor = sqlite3_column_int64(s, 4);
        p.currency = col_text(s, 5);
        p.status = col_text(s, 6);
        p.promo_code = col_text(s, 7);
        p.utm_content = col_text(s, 8);
        p.platform = col_text(s, 9);
        p.handle = col_text(s, 10);
        if ((rc = cb(&p, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading partnerships");
    sqlite3_reset(s);
    return rc;
}

static void bind_text_or_empty(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

static cr_err sqlite_web_session_upsert(cr_store_backend *be, const cr_web_session *w)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_WEB_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, w->date);
    bind_text_or_empty(s, 2, w->utm_source);
    bind_text_or_empty(s, 3, w->utm_medium);
    bind_text_or_empty(s, 4, w->utm_campaign);
    bind_text_or_empty(s, 5, w->utm_content);
    sqlite3_bind_int64(s, 6, w->sessions > 0 ? w->sessions : 0);
    bind_count(s, 7, w->engaged_sessions);
    bind_count(s, 8, w->duration_seconds);
    bind_count(s, 9, w->conversions);
    bind_id(s, 10, w->import_id);
    return step_done(sb, s, "saving web sessions");
}

static cr_err sqlite_order_upsert(cr_store_backend *be, const cr_order *o)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_ORDER_UPSERT)) < 0)
        return rc;
    bind_text(s, 1, o->external_id);
    sqlite3_bind_int64(s, 2, o->created_at);
    sqlite3_bind_int64(s, 3, o->total_minor);
    bind_text(s, 4, o->currency);
    bind_text(s, 5, o->discount_code);
    bind_text(s, 6, o->landing_utm_content);
    bind_id(s, 7, o->import_id);
    return step_done(sb, s, "saving an order");
}

static cr_err sqlite_lead_upsert(cr_store_backend *be, const cr_lead *l)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_LEAD_UPSERT)) < 0)
        return rc;
    bind_text(s, 1, l->external_id);
    sqlite3_bind_int64(s, 2, l->created_at);
    bind_text(s, 3, l->utm_source);
    bind_text(s, 4, l->utm_medium);
    bind_text(s, 5, l->utm_campaign);
    bind_text(s, 6, l->utm_content);
    sqlite3_bind_int(s, 7, l->qualified != 0);
    bind_id(s, 8, l->import_id);
    return step_done(sb, s, "saving a lead");
}

static cr_err sqlite_mention_upsert(cr_store_backend *be, const cr_mention *m)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_MENTION_UPSERT)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, m->date);
    bind_text(s, 2, m->source);
    bind_text(s, 3, m->brand);
    sqlite3_bind_int64(s, 4, m->count);
    bind_id(s, 5, m->import_id);
    return step_done(sb, s, "saving mentions");
}

/* 1 when a column is part of the table's key (its order_by list). */
static int in_key(const cr_schema_table *t, const char *col)
{
    size_t n = strlen(col);
    const char *p = t->order_by;

    while ((p = strstr(p, col)) != NULL) {
        if ((p == t->order_by || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
            return 1;
        p += n;
    }
    return 0;
}

/* SQL for a whole table, from the schema list (constant names, never user input). */
static cr_err table_sql(cr_str *sql, const cr_schema_table *t, int write)
{
    size_t i, n;
    cr_err rc = cr_str_puts(sql, write ? "INSERT INTO " : "SELECT ");

    if (write && rc == CR_OK)
        rc = cr_str_printf(sql, "%s (", t->name);
    for (i = 0; i < t->ncolumns && rc == CR_OK; i++)
        rc = cr_str_printf(sql, "%s%s", i ? ", " : "", t->columns[i].name);
    if (rc < 0)
        return rc;
    if (!write)
        return cr_str_printf(sql, " FROM %s ORDER BY %s", t->name, t->order_by);
    rc = cr_str_puts(sql, ") VALUES (");
    for (i = 0; i < t->ncolumns && rc == CR_OK; i++)
        rc = cr_str_printf(sql, "%s?%zu", i ? ", " : "", i + 1);
    /* the row with the same key is overwritten (the workspace a new store starts with) */
    if (rc == CR_OK)
        rc = cr_str_printf(sql, ") ON CONFLICT (%s) DO UPDATE SET ", t->order_by);
    for (i = 0, n = 0; i < t->ncolumns && rc == CR_OK; i++) {
        if (in_key(t, t->columns[i].name))
            continue;
        rc = cr_str_printf(sql, "%s%s = excluded.%s", n++ ? ", " : "", t->columns[i].name,
                           t->columns[i].name);
    }
    return rc;
}

static cr_err
sqlite_table_read(cr_store_backend *be, const char *table, cr_row_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    const cr_schema_table *t = cr_schema_table_find(table);
    cr_value vals[32];
    sqlite3_stmt *s = NULL;
    cr_str sql;
    size_t i;
    cr_err rc;
    int r;

    if (t == NULL || t->ncolumns > 32)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "no table '%s'", table);
    if (sb->nmbuf > 0 && (rc = metric_flush(sb)) < 0)
        return rc;
    cr_str_init(&sql, 0);
    if ((rc = table_sql(&sql, t, 0)) < 0)
        goto done;
    if (sqlite3_prepare_v2(sb->db, cr_str_cstr(&sql), -1, &s, NULL) != SQLITE_OK) {
        rc = sqlite_fail(sb, "reading a table");
        goto done;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        for (i = 0; i < t->ncolumns; i++) {
            cr_value *v = &vals[i];
            memset(v, 0, sizeof(*v));
            if (sqlite3_column_type(s, (int)i) == SQLITE_NULL) {
                v->type = 'N';
            } else if (t->columns[i].type == 'I') {
                v->type = 'I';
                v->i = sqlite3_column_int64(s, (int)i);
            } else if (t->columns[i].type == 'R') {
                v->type = 'R';
                v->d = sqlite3_column_double(s, (int)i);
            } else {
                v->type = 'T';
                v->s = col_text(s, (int)i);
                v->len = (size_t)sqlite3_column_bytes(s, (int)i);
            }
        }
        if ((rc = cb(vals, t->ncolumns, payload)) < 0)
            goto done;
    }
    if (r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading a table");
done:
    sqlite3_finalize(s);
    cr_str_dispose(&sql);
    return rc;
}

static cr_err sqlite_table_write(cr_store_backend *be, const char *table, const cr_value *vals)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    const cr_schema_table *t = cr_schema_table_find(table);
    sqlite3_stmt *s;
    cr_str sql;
    size_t i, ti;
    cr_err rc = CR_OK;

    if (t == NULL || (ti = (size_t)(t - cr_schema_tables)) >= TABLES_MAX)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "no table '%s'", table);
    cr_str_init(&sql, 0);
    if (sb->twrite[ti] == NULL) { /* prepared once per table, kept for the copy */
        if ((rc = table_sql(&sql, t, 1)) < 0)
            goto done;
        if (sqlite3_prepare_v3(sb->db, cr_str_cstr(&sql), -1, SQLITE_PREPARE_PERSISTENT,
                               &sb->twrite[ti], NULL) != SQLITE_OK) {
            rc = sqlite_fail(sb, "writing a table");
            goto done;
        }
    }
    s = sb->twrite[ti];
    sqlite3_reset(s);
    for (i = 0; i < t->ncolumns; i++) {
        const cr_value *v = &vals[i];
        if (v->type == 'I')
            sqlite3_bind_int64(s, (int)i + 1, v->i);
        else if (v->type == 'R')
            sqlite3_bind_double(s, (int)i + 1, v->d);
        else if (v->type == 'T')
            sqlite3_bind_text(s, (int)i + 1, v->s, (int)v->len, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, (int)i + 1);
    }
    rc = step_done(sb, s, "writing a table");
done:
    cr_str_dispose(&sql);
    return rc;
}

static cr_err sqlite_copy_finish(cr_store_backend *be)
{
    (void)be; /* INTEGER PRIMARY KEY ids continue after the largest id by themselves */
    return CR_OK;
}

/* ---- accounts and sessions ---- */

static cr_err sqlite_user_upsert(int64_t *out_id, cr_store_backend *be, const cr_user *u)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int returned;

    if ((rc = stmt_get(&s, sb, S_USER_UPSERT)) < 0)
        return rc;
    bind_text(s, 1, u->email);
    bind_text(s, 2, u->role);
    bind_text(s, 3, u->password_hash);
    sqlite3_bind_int64(s, 4, u->created_at ? u->created_at : cr_now());
    if ((rc = step_returning_id(out_id, sb, s, "saving a user", &returned)) < 0)
        return rc;
    if (!returned)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "saving a user: no id returned");
    return CR_OK;
}

/* Run a SELECT of user rows (USER_COLS), calling cb for each. */
static cr_err each_user(sqlite_backend *sb, sqlite3_stmt *s, cr_user_cb cb, void *payload, int *n)
{
    cr_user u;
    cr_err rc = CR_OK;
    int r;

    *n = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        u.id = sqlite3_column_int64(s, 0);
        u.email = col_text(s, 1);
        u.role = col_text(s, 2);
        u.password_hash = col_text(s, 3);
        u.created_at = sqlite3_column_int64(s, 4);
        u.disabled = sqlite3_column_int(s, 5);
        (*n)++;
        if ((rc = cb(&u, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "reading users");
    sqlite3_reset(s);
    return rc;
}

static cr_err
sqlite_user_find(cr_store_backend *be, const char *email, cr_user_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int n;

    if ((rc = stmt_get(&s, sb, S_USER_FIND)) < 0)
        return rc;
    bind_text(s, 1, email);
    if ((rc = each_user(sb, s, cb, payload, &n)) < 0)
        return rc;
    if (n == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no user %s", email);
    return CR_OK;
}

static cr_err sqlite_user_list(cr_store_backend *be, cr_user_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;
    int n;

    if ((rc = stmt_get(&s, sb, S_USER_LIST)) < 0)
        return rc;
    return each_user(sb, s, cb, payload, &n);
}

static cr_err sqlite_session_create(cr_store_backend *be, const cr_session *se)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_SESSION_CREATE)) < 0)
        return rc;
    bind_text(s, 1, se->token_hash);
    sqlite3_bind_int64(s, 2, se->user_id);
    bind_text(s, 3, se->csrf);
    sqlite3_bind_int64(s, 4, se->created_at);
    sqlite3_bind_int64(s, 5, se->expires_at);
    return step_done(sb, s, "saving a session");
}

static cr_err sqlite_session_find(
    cr_store_backend *be, const char *token_hash, int64_t now, cr_session_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_session se;
    cr_err rc;
    int r;

    if ((rc = stmt_get(&s, sb, S_SESSION_FIND)) < 0)
        return rc;
    bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        se.token_hash = col_text(s, 0);
        se.user_id = sqlite3_column_int64(s, 1);
        se.csrf = col_text(s, 2);
        se.created_at = sqlite3_column_int64(s, 3);
        se.expires_at = sqlite3_column_int64(s, 4);
        se.email = col_text(s, 5);
        se.role = col_text(s, 6);
        rc = cb(&se, payload);
        sqlite3_reset(s);
        return rc;
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE)
        return sqlite_fail(sb, "reading a session");
    return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no such session, or it expired");
}

static cr_err sqlite_session_delete(cr_store_backend *be, const char *token_hash)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    cr_err rc;

    if ((rc = stmt_get(&s, sb, S_SESSION_DELETE)) < 0)
        return rc;
    bind_text(s, 1, token_hash);
    return step_done(sb, s, "removing a session");
}

static cr_err sqlite_session_purge(cr_store_backend *be, int64_t now)
{
    return exec_id((sqlite_backend *)be, S_SESSION_PURGE, now, "removing expired sessions");
}

/* PRAGMA quick_check then foreign_key_check; each problem row goes to cb. */
static cr_err sqlite_check(cr_store_backend *be, cr_check_cb cb, void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    sqlite3_stmt *s = NULL;
    char detail[512];
    cr_err rc = CR_OK;

    if (sb->nmbuf > 0 && (rc = metric_flush(sb)) < 0)
        return rc;
    if (sqlite3_prepare_v2(sb->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
        return sqlite_fail(sb, "checking integrity");
    while (rc == CR_OK && sqlite3_step(s) == SQLITE_ROW)
        if (strcmp(col_text(s, 0), "ok") != 0)
            rc = cb("integrity", col_text(s, 0), payload);
    sqlite3_finalize(s);
    if (rc < 0)
        return rc;
    if (sqlite3_prepare_v2(sb->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
        return sqlite_fail(sb, "checking references");
    while (rc == CR_OK && sqlite3_step(s) == SQLITE_ROW) {
        snprintf(detail, sizeof(detail), "%s row %lld refers to a missing %s row", col_text(s, 0),
                 (long long)sqlite3_column_int64(s, 1), col_text(s, 2));
        rc = cb("foreign_key", detail, payload);
    }
    sqlite3_finalize(s);
    return rc;
}

static double mono_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the portable layer's statements -------------------------------------------------- */

static cr_err query_stmt(sqlite3_stmt **out, int *cached, sqlite_backend *sb, const char *sql)
{
    size_t i;

    *cached = 1;
    for (i = 0; i < QUERY_CACHE && sb->qcache[i].sql != NULL; i++)
        if (sb->qcache[i].sql == sql) {
            *out = sb->qcache[i].stmt;
            return CR_OK;
        }
    if (sqlite3_prepare_v3(sb->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "preparing a statement: %s",
                            sqlite3_errmsg(sb->db));
    if (i < QUERY_CACHE) {
        sb->qcache[i].sql = sql;
        sb->qcache[i].stmt = *out;
    } else {
        *cached = 0; /* the cache is full: this one is finalized after use */
    }
    return CR_OK;
}

static cr_err sqlite_query(cr_store_backend *be,
                           const char *sql,
                           const cr_value *params,
                           size_t nparams,
                           cr_row_cb cb,
                           void *payload)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    cr_value vals[48];
    sqlite3_stmt *s = NULL;
    size_t i, n;
    int r, cached;
    double t0 = 0;
    cr_err rc = CR_OK;

    if (sb->nmbuf > 0 && (rc = metric_flush(sb)) < 0)
        return rc;
    if (sb->trace)
        t0 = mono_seconds();
    if ((rc = query_stmt(&s, &cached, sb, sql)) < 0)
        return rc;
    for (i = 0; i < nparams; i++) {
        const cr_value *v = &params[i];
        int at = (int)i + 1;
        if (v->type == 'I')
            sqlite3_bind_int64(s, at, v->i);
        else if (v->type == 'R')
            sqlite3_bind_double(s, at, v->d);
        else if (v->type == 'T' && v->s != NULL)
            sqlite3_bind_text(s, at, v->s, (int)v->len, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, at);
    }
    n = (size_t)sqlite3_column_count(s);
    if (n > sizeof(vals) / sizeof(vals[0]))
        n = sizeof(vals) / sizeof(vals[0]);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (cb == NULL)
            continue;
        for (i = 0; i < n; i++) {
            cr_value *v = &vals[i];
            memset(v, 0, sizeof(*v));
            switch (sqlite3_column_type(s, (int)i)) {
            case SQLITE_NULL:
                v->type = 'N';
                break;
            case SQLITE_INTEGER:
                v->type = 'I';
                v->i = sqlite3_column_int64(s, (int)i);
                break;
            case SQLITE_FLOAT:
                v->type = 'R';
                v->d = sqlite3_column_double(s, (int)i);
                break;
            default:
                v->type = 'T';
                v->s = col_text(s, (int)i);
                v->len = (size_t)sqlite3_column_bytes(s, (int)i);
            }
        }
        if ((rc = cb(vals, n, payload)) < 0)
            break;
    }
    if (rc == CR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(sb, "running a statement");
    if (sb->trace) /* CREST_TRACE_SQL=1: the time of each statement of the portable layer */
        fprintf(stderr, "crest: sql %8.3f ms  %.100s\n", (mono_seconds() - t0) * 1000, sql);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (!cached)
        sqlite3_finalize(s);
    return rc;
}

static void sqlite_free_backend(cr_store_backend *be)
{
    sqlite_backend *sb = (sqlite_backend *)be;
    int i;

    if (sb == NULL)
        return;
    for (i = 0; i < S__COUNT; i++)
        sqlite3_finalize(sb->stmts[i]);
    sqlite3_finalize(sb->mbatch);
    for (i = 0; i < QUERY_CACHE; i++)
        sqlite3_finalize(sb->qcache[i].stmt);
    for (i = 0; i < TABLES_MAX; i++)
        sqlite3_finalize(sb->twrite[i]);
    if (sb->db) {
        if (!sqlite3_get_autocommit(sb->db))
            sqlite3_exec(sb->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(sb->db);
    }
    cr_free(sb->path);
    cr_free(sb);
}

/* SQLite's memory statistics take a global mutex on every allocation: ~3% of an import for
 * figures crest never reads. Off, once, before SQLite initialises. */
static void sqlite_global_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

cr_err cr_store_sqlite_new(cr_store_backend **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    sqlite_backend *sb;

    pthread_once(&once, sqlite_global_config);
    sb = cr_calloc(1, sizeof(*sb));

    *out = NULL;
    if (sb == NULL)
        return cr_error_oom();
    sb->parent.version = CR_STORE_BACKEND_VERSION;
    sb->parent.name = "sqlite";
    sb->parent.open = sqlite_open;
    sb->parent.tx = sqlite_tx;
    sb->parent.creator_upsert = sqlite_creator_upsert;
    sb->parent.creator_find = sqlite_creator_find;
    sb->parent.creator_get = sqlite_creator_get;
    sb->parent.creator_list = sqlite_creator_list;
    sb->parent.creator_stats = sqlite_creator_stats;
    sb->parent.snapshot_upsert = sqlite_snapshot_upsert;
    sb->parent.post_upsert = sqlite_post_upsert;
    sb->parent.post_find = sqlite_post_find;
    sb->parent.post_list = sqlite_post_list;
    sb->parent.metric_upsert = sqlite_metric_upsert;
    sb->parent.comment_upsert = sqlite_comment_upsert;
    sb->parent.campaign_upsert = sqlite_campaign_upsert;
    sb->parent.campaign_kpi_upsert = sqlite_campaign_kpi_upsert;
    sb->parent.partnership_upsert = sqlite_partnership_upsert;
    sb->parent.import_find = sqlite_import_find;
    sb->parent.import_begin = sqlite_import_begin;
    sb->parent.import_finish = sqlite_import_finish;
    sb->parent.table_counts = sqlite_table_counts;
    sb->parent.check = sqlite_check;
    sb->parent.campaign_get = sqlite_campaign_get;
    sb->parent.campaign_find = sqlite_campaign_find;
    sb->parent.campaign_list = sqlite_campaign_list;
    sb->parent.campaign_kpi_list = sqlite_campaign_kpi_list;
    sb->parent.campaign_kpi_clear = sqlite_campaign_kpi_clear;
    sb->parent.partnership_list = sqlite_partnership_list;
    sb->parent.partnership_delete = sqlite_partnership_delete;
    sb->parent.web_session_upsert = sqlite_web_session_upsert;
    sb->parent.order_upsert = sqlite_order_upsert;
    sb->parent.lead_upsert = sqlite_lead_upsert;
    sb->parent.mention_upsert = sqlite_mention_upsert;
    sb->parent.table_read = sqlite_table_read;
    sb->parent.query = sqlite_query;
    sb->trace = getenv("CREST_TRACE_SQL") != NULL && *getenv("CREST_TRACE_SQL") != '\0';
    sb->parent.table_write = sqlite_table_write;
    sb->parent.copy_finish = sqlite_copy_finish;
    sb->parent.free = sqlite_free_backend;
    sb->parent.user_upsert = sqlite_user_upsert;
    sb->parent.user_find = sqlite_user_find;
    sb->parent.user_list = sqlite_user_list;
    sb->parent.session_create = sqlite_session_create;
    sb->parent.session_find = sqlite_session_find;
    sb->parent.session_delete = sqlite_session_delete;
    sb->parent.session_purge = sqlite_session_purge;
    *out = &sb->parent;
    return CR_OK;
}
