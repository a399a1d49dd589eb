/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * pg.c - the PostgreSQL store, on libpq: the same statements and the same behaviour as the
 * SQLite store (src/store/sqlite/sqlite.c), so that crest gives the same answers on both.
 *
 * Every statement is a constant from the stmt_sql[] table (or built from the constant schema
 * list in src/store/schema.c), prepared by name on first use and kept for the life of the
 * connection; parameters go as text (NULL for unknown). Upserts use ON CONFLICT ... DO UPDATE
 * ... WHERE <something IS DISTINCT FROM the stored value>, so re-importing the same data
 * writes nothing, and RETURNING id falls back to a lookup when nothing was written.
 *
 * Four things differ from SQLite and are handled here:
 *  - a failed statement aborts a whole PostgreSQL transaction, while SQLite fails only the
 *    statement. The importer rejects the row the store refused and goes on, so inside a
 *    transaction every write runs under a savepoint, sent with the statement and its release
 *    in one pipelined round trip; on failure only that statement is rolled back.
 *  - a new row's id: SQLite gives one past the largest id, so ids are dense and a rolled-back
 *    insert or an upsert that updates leaves no gap; an identity sequence would burn a value
 *    on each, and `campaign show 2` would name another campaign on each store. Inserts take
 *    max(id) + 1 (an index probe); when a concurrent writer took the same id first, the
 *    primary key refuses it and the statement runs again. The ids are still declared as
 *    identity columns (copy_finish moves their sequences past the copied ids), but crest
 *    does not draw from their sequences.
 *  - text compares and sorts by the database's collation, and lower()/upper() fold non-ASCII
 *    letters; SQLite compares bytes and folds ASCII only. Sorting and case folding use
 *    COLLATE "C", which behaves as SQLite does whatever the database's locale.
 *  - NULLs sort last ascending in PostgreSQL and first in SQLite: orders on nullable columns
 *    say NULLS LAST to match.
 *
 * Bulk transactions (CR_TX_BEGIN_BULK) keep foreign keys checked: PostgreSQL cannot turn them
 * off without superuser rights, deferring them costs the same work at commit plus a queue
 * entry per row, and a check is one index probe of the parent (15% of a metrics import).
 *
 * Metric rows are buffered in a transaction and written 64 at a time by one INSERT ... SELECT
 * FROM unnest(arrays) ... ON CONFLICT, before any other statement and at commit; rollback
 * discards them. In a bulk transaction they wait in larger numbers (COPY_BATCH), merged by
 * key in memory, without a savepoint each (the importer checked them), and go by COPY into a
 * temporary staging table and one INSERT ... SELECT ... ON CONFLICT from it; only statements
 * that read or write post_metric (and deletes, which might cascade to it) wait for them, so
 * the importer's post lookups do not. Rows written by table_write (crest db copy) are batched the
 * same way, per table. Savepoints are subtransactions: a transaction of a million single-row writes
 * opens a million of them, which PostgreSQL handles, at some cost to concurrent readers. */
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/kpi.h"
#include "store/pg/migrations.h"
#include "store/pg/pg.h"
#include "store/schema.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

#define METRIC_BATCH 64
#define METRIC_COLS  12
#define COPY_BATCH   20000 /* metric rows buffered in a bulk transaction per COPY */
#define COPY_MIN     256   /* fewer rows than this go in by metric_write */
#define COPY_SLOTS   65536 /* hash slots over them: a power of two, >= 2 * COPY_BATCH */
#define COPY_CHUNK   65536 /* bytes of COPY data per PQputCopyData */
#define COPY_ROW_MAX 512   /* bytes of the longest COPY line (12 bigints) */
#define TW_BATCH     500   /* rows per table_write statement */
#define READ_BATCH   1000  /* rows per FETCH of table_read */
#define MAX_PARAMS   16
#define ID_RETRIES   100
#define COLS_MAX     32
#define TABLES_MAX   64
/* pg_advisory_xact_lock key serialising migrations ("crest" in ASCII) */
#define MIGRATION_LOCK "427121013620"

enum stmt_id {
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
#define CREATOR_LIST_WHERE                                                                    \
    " FROM creator WHERE workspace_id = 1 AND ($1::text IS NULL OR platform = $1::text)"      \
    " AND ($2::text IS NULL"                                                                  \
    "      OR strpos(lower(handle COLLATE \"C\"), lower($2::text COLLATE \"C\")) > 0"         \
    "      OR strpos(lower(coalesce(name, '') COLLATE \"C\"), lower($2::text COLLATE \"C\"))" \
    "         > 0)"                                                                           \
    " AND ($3::bigint = 0 OR followers >= $3::bigint)"                                        \
    " AND ($4::bigint = 0 OR followers <= $4::bigint)"

#define USER_COLS "id, email, role, password_hash, created_at, disabled"
#define CAMPAIGN_COLS                                                                      \
    "id, name, brand, start_date, end_date, budget_minor, currency, status, primary_goal," \
    " secondary_goal, objective, benchmarking, evaluation_date, attribution_window_days,"  \
    " emv_credit"
/* The latest capture of post p (captured_at is unique per post: the key). */
#define LATEST_METRIC                                                          \
    " LEFT JOIN LATERAL (SELECT * FROM post_metric lm WHERE lm.post_id = p.id" \
    " ORDER BY lm.captured_at DESC LIMIT 1) m ON true"
#define METRIC_CONFLICT                                                                   \
    " ON CONFLICT (post_id, captured_at) DO UPDATE SET"                                   \
    " impressions = coalesce(EXCLUDED.impressions, t.impressions),"                       \
    " reach = coalesce(EXCLUDED.reach, t.reach),"                                         \
    " views = coalesce(EXCLUDED.views, t.views),"                                         \
    " likes = coalesce(EXCLUDED.likes, t.likes),"                                         \
    " comments = coalesce(EXCLUDED.comments, t.comments),"                                \
    " shares = coalesce(EXCLUDED.shares, t.shares),"                                      \
    " saves = coalesce(EXCLUDED.saves, t.saves),"                                         \
    " clicks = coalesce(EXCLUDED.clicks, t.clicks),"                                      \
    " watch_seconds = coalesce(EXCLUDED.watch_seconds, t.watch_seconds),"                 \
    " import_id = coalesce(EXCLUDED.import_id, t.import_id)"                              \
    " WHERE coalesce(EXCLUDED.impressions, t.impressions) IS DISTINCT FROM t.impressions" \
    " OR coalesce(EXCLUDED.reach, t.reach) IS DISTINCT FROM t.reach"                      \
    " OR coalesce(EXCLUDED.views, t.views) IS DISTINCT FROM t.views"                      \
    " OR coalesce(EXCLUDED.likes, t.likes) IS DISTINCT FROM t.likes"                      \
    " OR coalesce(EXCLUDED.comments, t.comments) IS DISTINCT FROM t.comments"             \
    " OR coalesce(EXCLUDED.shares, t.shares) IS DISTINCT FROM t.shares"                   \
    " OR coalesce(EXCLUDED.saves, t.saves) IS DISTINCT FROM t.saves"                      \
    " OR coalesce(EXCLUDED.clicks, t.clicks) IS DISTINCT FROM t.clicks"                   \
    " OR coalesce(EXCLUDED.watch_seconds, t.watch_seconds) IS DISTINCT FROM t.watch_seconds"

/* A new row's id is one past the largest, as SQLite gives a rowid (see the top of the file).
 * Two writers may pick the same one; the second then fails on the primary key and runs again
 * (up to ID_RETRIES times) once the first has committed. Parameters are $1..$n, the same n
 * as the statement is given (libpq refuses more or fewer), all of them text. */
static const char *const stmt_sql[S__COUNT] = {
    [S_CREATOR_UPSERT] =
        "INSERT INTO creator AS t (id, workspace_id, platform, handle, name, email, country,"
        " language, niches, followers, following, media_count, engagement_rate, bio,"
        " created_at, updated_at)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM creator), 1,"
        " $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"
        " ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET"
        " name = coalesce(EXCLUDED.name, t.name), email = coalesce(EXCLUDED.email, t.email),"
        " country = coalesce(EXCLUDED.country, t.country),"
        " language = coalesce(EXCLUDED.language, t.language),"
        " niches = coalesce(EXCLUDED.niches, t.niches),"
        " followers = coalesce(EXCLUDED.followers, t.followers),"
        " following = coalesce(EXCLUDED.following, t.following),"
        " media_count = coalesce(EXCLUDED.media_count, t.media_count),"
        " engagement_rate = coalesce(EXCLUDED.engagement_rate, t.engagement_rate),"
        " bio = coalesce(EXCLUDED.bio, t.bio), updated_at = EXCLUDED.updated_at"
        " WHERE coalesce(EXCLUDED.name, t.name) IS DISTINCT FROM t.name"
        " OR coalesce(EXCLUDED.email, t.email) IS DISTINCT FROM t.email"
        " OR coalesce(EXCLUDED.country, t.country) IS DISTINCT FROM t.country"
        " OR coalesce(EXCLUDED.language, t.language) IS DISTINCT FROM t.language"
        " OR coalesce(EXCLUDED.niches, t.niches) IS DISTINCT FROM t.niches"
        " OR coalesce(EXCLUDED.followers, t.followers) IS DISTINCT FROM t.followers"
        " OR coalesce(EXCLUDED.following, t.following) IS DISTINCT FROM t.following"
        " OR coalesce(EXCLUDED.media_count, t.media_count) IS DISTINCT FROM t.media_count"
        " OR coalesce(EXCLUDED.engagement_rate, t.engagement_rate)"
        "    IS DISTINCT FROM t.engagement_rate"
        " OR coalesce(EXCLUDED.bio, t.bio) IS DISTINCT FROM t.bio"
        " RETURNING id",
    [S_CREATOR_FIND] =
        "SELECT id FROM creator WHERE workspace_id = 1 AND platform = $1 AND handle = $2",
    [S_CREATOR_GET] = "SELECT " CREATOR_COLS " FROM creator WHERE id = $1",
    [S_CREATOR_LIST_FOLLOWERS] =
        "SELECT " CREATOR_COLS CREATOR_LIST_WHERE
        " ORDER BY followers DESC NULLS LAST, id LIMIT $5::bigint OFFSET $6::bigint",
    [S_CREATOR_LIST_HANDLE] = "SELECT " CREATOR_COLS CREATOR_LIST_WHERE
                              " ORDER BY handle COLLATE \"C\", platform COLLATE \"C\""
                              " LIMIT $5::bigint OFFSET $6::bigint",
    [S_CREATOR_LIST_ID] =
        "SELECT " CREATOR_COLS CREATOR_LIST_WHERE " ORDER BY id LIMIT $5::bigint OFFSET $6::bigint",
    [S_CREATOR_STATS_POSTS] =
        "SELECT count(*), count(m.post_id), coalesce(sum(m.reach), 0)::bigint,"
        " coalesce(sum(m.impressions), 0)::bigint,"
        " coalesce(sum(coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0)"
        "   + coalesce(m.saves, 0)), 0)::bigint"
        " FROM post p" LATEST_METRIC " WHERE p.creator_id = $1::bigint",
    [S_CREATOR_STATS_SNAPS] =
        "SELECT count(*), min(date), max(date),"
        " (SELECT followers FROM creator_snapshot WHERE creator_id = $1::bigint"
        "   ORDER BY date LIMIT 1),"
        " (SELECT followers FROM creator_snapshot WHERE creator_id = $1::bigint"
        "   ORDER BY date DESC LIMIT 1)"
        " FROM creator_snapshot WHERE creator_id = $1::bigint",
    [S_CREATOR_STATS_COMMENTS] = "SELECT count(*) FROM comment c JOIN post p ON p.id = c.post_id"
                                 " WHERE p.creator_id = $1::bigint",
    [S_SNAPSHOT_UPSERT] =
        "INSERT INTO creator_snapshot AS t (creator_id, date, followers, following, media_count)"
        " VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (creator_id, date) DO UPDATE SET followers = EXCLUDED.followers,"
        " following = coalesce(EXCLUDED.following, t.following),"
        " media_count = coalesce(EXCLUDED.media_count, t.media_count)"
        " WHERE EXCLUDED.followers IS DISTINCT FROM t.followers"
        " OR coalesce(EXCLUDED.following, t.following) IS DISTINCT FROM t.following"
        " OR coalesce(EXCLUDED.media_count, t.media_count) IS DISTINCT FROM t.media_count",
    [S_POST_UPSERT] =
        "INSERT INTO post AS t (id, workspace_id, creator_id, partnership_id, platform,"
        " external_id, url, posted_at, format, caption, utm_content)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM post), 1,"
        " $1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET"
        " creator_id = EXCLUDED.creator_id,"
        " partnership_id = coalesce(EXCLUDED.partnership_id, t.partnership_id),"
        " url = coalesce(EXCLUDED.url, t.url), posted_at = EXCLUDED.posted_at,"
        " format = coalesce(EXCLUDED.format, t.format),"
        " caption = coalesce(EXCLUDED.caption, t.caption),"
        " utm_content = coalesce(EXCLUDED.utm_content, t.utm_content)"
        " WHERE EXCLUDED.creator_id IS DISTINCT FROM t.creator_id"
        " OR coalesce(EXCLUDED.partnership_id, t.partnership_id) IS DISTINCT FROM t.partnership_id"
        " OR coalesce(EXCLUDED.url, t.url) IS DISTINCT FROM t.url"
        " OR EXCLUDED.posted_at IS DISTINCT FROM t.posted_at"
        " OR coalesce(EXCLUDED.format, t.format) IS DISTINCT FROM t.format"
        " OR coalesce(EXCLUDED.caption, t.caption) IS DISTINCT FROM t.caption"
        " OR coalesce(EXCLUDED.utm_content, t.utm_content) IS DISTINCT FROM t.utm_content"
        " RETURNING id",
    [S_POST_FIND] =
        "SELECT id FROM post WHERE workspace_id = 1 AND platform = $1 AND external_id = $2",
    [S_POST_LIST] =
        "SELECT p.id, p.creator_id, coalesce(p.partnership_id, 0), p.platform, p.external_id,"
        " p.url, p.format, p.caption, p.utm_content, p.posted_at, c.handle,"
        " coalesce(m.post_id, 0), m.captured_at, m.impressions, m.reach, m.views, m.likes,"
        " m.comments, m.shares, m.saves, m.clicks, m.watch_seconds, coalesce(m.import_id, 0)"
        " FROM post p JOIN creator c ON c.id = p.creator_id" LATEST_METRIC
        " WHERE p.workspace_id = 1 AND ($1::bigint = 0 OR p.creator_id = $1::bigint)"
        " AND ($2::text IS NULL OR p.platform = $2::text)"
        " AND ($3::bigint = 0 OR p.posted_at >= $3::bigint)"
        " AND ($4::bigint = 0 OR p.posted_at < $4::bigint)"
        " ORDER BY p.posted_at DESC, p.id DESC LIMIT $5::bigint OFFSET $6::bigint",
    /* one statement for one row and for a buffered batch: 12 arrays, one per column */
    [S_METRIC_UPSERT] =
        "INSERT INTO post_metric AS t (post_id, captured_at, impressions, reach, views, likes,"
        " comments, shares, saves, clicks, watch_seconds, import_id)"
        " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[],"
        " $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],"
        " $11::bigint[], $12::bigint[])" METRIC_CONFLICT,
    [S_COMMENT_UPSERT] =
        "INSERT INTO comment AS t (id, post_id, external_id, author, text, posted_at)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM comment), $1, $2, $3, $4, $5)"
        " ON CONFLICT (post_id, external_id) DO UPDATE SET"
        " author = coalesce(EXCLUDED.author, t.author), text = coalesce(EXCLUDED.text, t.text),"
        " posted_at = coalesce(EXCLUDED.posted_at, t.posted_at)"
        " WHERE coalesce(EXCLUDED.author, t.author) IS DISTINCT FROM t.author"
        " OR coalesce(EXCLUDED.text, t.text) IS DISTINCT FROM t.text"
        " OR coalesce(EXCLUDED.posted_at, t.posted_at) IS DISTINCT FROM t.posted_at",
    [S_CAMPAIGN_UPSERT] =
        "INSERT INTO campaign AS t (id, workspace_id, name, brand, start_date, end_date,"
        " budget_minor, currency, status, primary_goal, secondary_goal, objective, benchmarking,"
        " created_at, updated_at, evaluation_date, attribution_window_days, emv_credit)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM campaign), 1,"
        " $1, $2, $3, $4, $5, $6, coalesce($7::text, 'draft'), $8, $9, $10, $11, $12, $12, $13,"
        " $14, $15)"
        " ON CONFLICT (workspace_id, name) DO UPDATE SET brand = EXCLUDED.brand,"
        " start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,"
        " budget_minor = EXCLUDED.budget_minor, currency = EXCLUDED.currency,"
        " status = EXCLUDED.status, primary_goal = EXCLUDED.primary_goal,"
        " secondary_goal = EXCLUDED.secondary_goal, objective = EXCLUDED.objective,"
        " benchmarking = EXCLUDED.benchmarking, updated_at = EXCLUDED.updated_at,"
        " evaluation_date = EXCLUDED.evaluation_date,"
        " attribution_window_days = EXCLUDED.attribution_window_days,"
        " emv_credit = EXCLUDED.emv_credit"
        " WHERE EXCLUDED.brand IS DISTINCT FROM t.brand"
        " OR EXCLUDED.start_date IS DISTINCT FROM t.start_date"
        " OR EXCLUDED.end_date IS DISTINCT FROM t.end_date"
        " OR EXCLUDED.budget_minor IS DISTINCT FROM t.budget_minor"
        " OR EXCLUDED.currency IS DISTINCT FROM t.currency"
        " OR EXCLUDED.status IS DISTINCT FROM t.status"
        " OR EXCLUDED.primary_goal IS DISTINCT FROM t.primary_goal"
        " OR EXCLUDED.secondary_goal IS DISTINCT FROM t.secondary_goal"
        " OR EXCLUDED.objective IS DISTINCT FROM t.objective"
        " OR EXCLUDED.benchmarking IS DISTINCT FROM t.benchmarking"
        " OR EXCLUDED.evaluation_date IS DISTINCT FROM t.evaluation_date"
        " OR EXCLUDED.attribution_window_days IS DISTINCT FROM t.attribution_window_days"
        " OR EXCLUDED.emv_credit IS DISTINCT FROM t.emv_credit"
        " RETURNING id",
    [S_CAMPAIGN_FIND] = "SELECT id FROM campaign WHERE workspace_id = 1 AND name = $1",
    [S_KPI_UPSERT] =
        "INSERT INTO campaign_kpi AS t (campaign_id, code, role, target, target_relative,"
        " baseline, baseline_period) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (campaign_id, code) DO UPDATE SET role = EXCLUDED.role,"
        " target = EXCLUDED.target, target_relative = EXCLUDED.target_relative,"
        " baseline = EXCLUDED.baseline, baseline_period = EXCLUDED.baseline_period"
        " WHERE EXCLUDED.role IS DISTINCT FROM t.role"
        " OR EXCLUDED.target IS DISTINCT FROM t.target"
        " OR EXCLUDED.target_relative IS DISTINCT FROM t.target_relative"
        " OR EXCLUDED.baseline IS DISTINCT FROM t.baseline"
        " OR EXCLUDED.baseline_period IS DISTINCT FROM t.baseline_period",
    [S_PARTNERSHIP_UPSERT] =
        "INSERT INTO partnership AS t (id, campaign_id, creator_id, fee_minor, product_cost_minor,"
        " currency, status, promo_code, utm_content)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM partnership),"
        " $1, $2, $3, $4, $5, coalesce($6::text, 'prospect'), $7, $8)"
        " ON CONFLICT (campaign_id, creator_id) DO UPDATE SET fee_minor = EXCLUDED.fee_minor,"
        " product_cost_minor = EXCLUDED.product_cost_minor, currency = EXCLUDED.currency,"
        " status = EXCLUDED.status, promo_code = EXCLUDED.promo_code,"
        " utm_content = EXCLUDED.utm_content"
        " WHERE EXCLUDED.fee_minor IS DISTINCT FROM t.fee_minor"
        " OR EXCLUDED.product_cost_minor IS DISTINCT FROM t.product_cost_minor"
        " OR EXCLUDED.currency IS DISTINCT FROM t.currency"
        " OR EXCLUDED.status IS DISTINCT FROM t.status"
        " OR EXCLUDED.promo_code IS DISTINCT FROM t.promo_code"
        " OR EXCLUDED.utm_content IS DISTINCT FROM t.utm_content"
        " RETURNING id",
    [S_PARTNERSHIP_FIND] = "SELECT id FROM partnership WHERE campaign_id = $1 AND creator_id = $2",
    [S_IMPORT_FIND] = "SELECT id, rows FROM import WHERE workspace_id = 1 AND kind = $1"
                      " AND sha256 = $2 AND finished_at IS NOT NULL ORDER BY id LIMIT 1",
    [S_IMPORT_BEGIN] =
        "INSERT INTO import (id, workspace_id, kind, file, sha256, started_at)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM import), 1, $1, $2, $3, $4) RETURNING id",
    [S_IMPORT_FINISH] = "UPDATE import SET rows = $2, rejected = $3, finished_at = $4,"
                        " sha256 = coalesce($5::text, sha256) WHERE id = $1",
    [S_CAMPAIGN_GET] = "SELECT " CAMPAIGN_COLS " FROM campaign WHERE id = $1",
    [S_CAMPAIGN_LIST] = "SELECT " CAMPAIGN_COLS " FROM campaign WHERE workspace_id = 1"
                        " ORDER BY start_date DESC NULLS LAST, id DESC",
    [S_KPI_LIST] = "SELECT campaign_id, code, role, target, target_relative, baseline,"
                   " baseline_period FROM campaign_kpi WHERE campaign_id = $1"
                   " ORDER BY role COLLATE \"C\" DESC, code COLLATE \"C\"",
    [S_KPI_CLEAR] = "DELETE FROM campaign_kpi WHERE campaign_id = $1",
    [S_PARTNERSHIP_LIST] =
        "SELECT pa.id, pa.campaign_id, pa.creator_id, pa.fee_minor, pa.product_cost_minor,"
        " pa.currency, pa.status, pa.promo_code, pa.utm_content, c.platform, c.handle"
        " FROM partnership pa JOIN creator c ON c.id = pa.creator_id"
        " WHERE pa.campaign_id = $1 ORDER BY pa.id",
    [S_PARTNERSHIP_DELETE] = "DELETE FROM partnership WHERE id = $1",
    [S_WEB_UPSERT] =
        "INSERT INTO web_session AS t (id, workspace_id, date, utm_source, utm_medium,"
        " utm_campaign, utm_content, sessions, engaged_sessions, duration_seconds, conversions,"
        " import_id) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM web_session), 1,"
        " $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (workspace_id, date, utm_source, utm_medium, utm_campaign, utm_content)"
        " DO UPDATE SET sessions = EXCLUDED.sessions,"
        " engaged_sessions = coalesce(EXCLUDED.engaged_sessions, t.engaged_sessions),"
        " duration_seconds = coalesce(EXCLUDED.duration_seconds, t.duration_seconds),"
        " conversions = coalesce(EXCLUDED.conversions, t.conversions),"
        " import_id = coalesce(EXCLUDED.import_id, t.import_id)"
        " WHERE EXCLUDED.sessions IS DISTINCT FROM t.sessions"
        " OR coalesce(EXCLUDED.engaged_sessions, t.engaged_sessions)"
        "    IS DISTINCT FROM t.engaged_sessions"
        " OR coalesce(EXCLUDED.duration_seconds, t.duration_seconds)"
        "    IS DISTINCT FROM t.duration_seconds"
        " OR coalesce(EXCLUDED.conversions, t.conversions) IS DISTINCT FROM t.conversions",
    [S_ORDER_UPSERT] =
        "INSERT INTO shop_order AS t (id, workspace_id, external_id, created_at, total_minor,"
        " currency, discount_code, landing_utm_content, import_id)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM shop_order), 1, $1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (workspace_id, external_id) DO UPDATE SET created_at = EXCLUDED.created_at,"
        " total_minor = EXCLUDED.total_minor, currency = EXCLUDED.currency,"
        " discount_code = EXCLUDED.discount_code,"
        " landing_utm_content = EXCLUDED.landing_utm_content,"
        " import_id = coalesce(EXCLUDED.import_id, t.import_id)"
        " WHERE EXCLUDED.created_at IS DISTINCT FROM t.created_at"
        " OR EXCLUDED.total_minor IS DISTINCT FROM t.total_minor"
        " OR EXCLUDED.currency IS DISTINCT FROM t.currency"
        " OR EXCLUDED.discount_code IS DISTINCT FROM t.discount_code"
        " OR EXCLUDED.landing_utm_content IS DISTINCT FROM t.landing_utm_content",
    [S_LEAD_UPSERT] =
        "INSERT INTO lead AS t (id, workspace_id, external_id, created_at, utm_source, utm_medium,"
        " utm_campaign, utm_content, qualified, import_id)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM lead), 1, $1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (workspace_id, external_id) DO UPDATE SET created_at = EXCLUDED.created_at,"
        " utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,"
        " utm_campaign = EXCLUDED.utm_campaign, utm_content = EXCLUDED.utm_content,"
        " qualified = EXCLUDED.qualified, import_id = coalesce(EXCLUDED.import_id, t.import_id)"
        " WHERE EXCLUDED.created_at IS DISTINCT FROM t.created_at"
        " OR EXCLUDED.utm_source IS DISTINCT FROM t.utm_source"
        " OR EXCLUDED.utm_medium IS DISTINCT FROM t.utm_medium"
        " OR EXCLUDED.utm_campaign IS DISTINCT FROM t.utm_campaign"
        " OR EXCLUDED.utm_content IS DISTINCT FROM t.utm_content"
        " OR EXCLUDED.qualified IS DISTINCT FROM t.qualified",
    [S_MENTION_UPSERT] =
        "INSERT INTO mention AS t (workspace_id, date, source, brand, count, import_id)"
        " VALUES (1, $1, $2, $3, $4, $5)"
        " ON CONFLICT (workspace_id, date, source, brand) DO UPDATE SET count = EXCLUDED.count,"
        " import_id = coalesce(EXCLUDED.import_id, t.import_id)"
        " WHERE EXCLUDED.count IS DISTINCT FROM t.count",
    /* The KPI sums take the scope as $1..$5 (kind, campaign, brand, since, until), all five
     * referenced by each. sum() of bigint is numeric in PostgreSQL: cast back. */
    [S_USER_UPSERT] =
        "INSERT INTO app_user AS t (id, workspace_id, email, role, password_hash, created_at)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM app_user), 1, $1, $2, $3, $4)"
        " ON CONFLICT (workspace_id, email) DO UPDATE SET role = EXCLUDED.role,"
        " password_hash = EXCLUDED.password_hash, disabled = 0 RETURNING id",
    [S_USER_FIND] = "SELECT " USER_COLS " FROM app_user WHERE workspace_id = 1 AND email = $1",
    [S_USER_LIST] =
        "SELECT " USER_COLS " FROM app_user WHERE workspace_id = 1 ORDER BY email COLLATE \"C\"",
    [S_SESSION_CREATE] = "INSERT INTO app_session (token_hash, user_id, csrf, created_at,"
                         " expires_at) VALUES ($1, $2, $3, $4, $5)",
    [S_SESSION_FIND] =
        "SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.expires_at, u.email, u.role"
        " FROM app_session s JOIN app_user u ON u.id = s.user_id"
        " WHERE s.token_hash = $1 AND s.expires_at > $2::bigint AND u.disabled = 0",
    [S_SESSION_DELETE] = "DELETE FROM app_session WHERE token_hash = $1",
    [S_SESSION_PURGE] = "DELETE FROM app_session WHERE expires_at <= $1::bigint",
};

/* The foreign keys of the schema, for check(): an anti-join per key finds what it misses. */
static const struct pg_fk {
    const char *table, *column, *parent;
    int has_id; /* the referencing table has an id to name the row by (else 0, as SQLite) */
} pg_fks[] = {
    { "app_user", "workspace_id", "workspace", 1 },
    { "app_session", "user_id", "app_user", 0 },
    { "import", "workspace_id", "workspace", 1 },
    { "creator", "workspace_id", "workspace", 1 },
    { "creator_snapshot", "creator_id", "creator", 0 },
    { "campaign", "workspace_id", "workspace", 1 },
    { "campaign_kpi", "campaign_id", "campaign", 0 },
    { "partnership", "campaign_id", "campaign", 1 },
    { "partnership", "creator_id", "creator", 1 },
    { "post", "workspace_id", "workspace", 1 },
    { "post", "creator_id", "creator", 1 },
    { "post", "partnership_id", "partnership", 1 },
    { "post_metric", "post_id", "post", 0 },
    { "comment", "post_id", "post", 1 },
    { "web_session", "workspace_id", "workspace", 1 },
    { "shop_order", "workspace_id", "workspace", 1 },
    { "lead", "workspace_id", "workspace", 1 },
    { "mention", "workspace_id", "workspace", 0 },
};

#define QUERY_CACHE  256
#define QUERY_PARAMS 72

typedef struct {
    cr_store_backend parent;
    PGconn *conn;
    char *url; /* the URL without its password, for messages */
    unsigned char prepared[S__COUNT];
    int in_tx;   /* a transaction begun through tx() is open */
    int cursors; /* table_read cursors open (each gets its own name) */
    int counts_prepared;
    /* Metric rows wait here inside a transaction and go in METRIC_BATCH at a time; a row
     * with the key of one already waiting is merged into it (one statement may not update a
     * row twice), which ends as the two upserts one after the other would. */
    cr_metric mbuf[METRIC_BATCH];
    int nmbuf;
    /* In a bulk transaction they wait here instead, up to COPY_BATCH of them, merged by key
     * through cslot (index + 1 of the row, 0 free), and go in by COPY into a temporary
     * staging table and one INSERT ... SELECT from it (copy_flush). Only statements that
     * read or write post_metric wait for them (stmt_metrics). */
    int bulk;        /* the transaction was begun with CR_TX_BEGIN_BULK */
    int stage_ready; /* the staging table exists in this transaction */
    cr_metric *cbuf;
    int32_t *cslot;
    int ncbuf;
    unsigned char stmt_metrics[S__COUNT]; /* the statement reads or writes post_metric */
    /* table_write rows waiting, as one array literal per column of tw_table */
    const cr_schema_table *tw_table;
    cr_str twcols[COLS_MAX];
    int ntw;
    unsigned char tw_prepared[TABLES_MAX];
    /* query(): statements of the portable layer, prepared once as "q<n>", by their text */
    const char *qsql[QUERY_CACHE];
    int nq;
} pg_backend;

/* ---- parameters and values ------------------------------------------------------------- */

typedef struct {
    int n;
    const char *v[MAX_PARAMS];
    char num[MAX_PARAMS][32];
} pg_params;

static void p_text(pg_params *p, const char *s)
{
    p->v[p->n++] = s;
}

static void p_i64(pg_params *p, int64_t x)
{
    snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)x);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

/* counts: negative (CR_COUNT_NONE) is unknown, NULL */
static void p_count(pg_params *p, int64_t x)
{
    if (x >= 0)
        p_i64(p, x);
    else
        p_text(p, NULL);
}

/* ids and optional times: 0 is none, NULL */
static void p_id(pg_params *p, int64_t x)
{
    if (x > 0)
        p_i64(p, x);
    else
        p_text(p, NULL);
}

static void p_real(pg_params *p, double d)
{
    if (isnan(d)) {
        p_text(p, NULL);
        return;
    }
    snprintf(p->num[p->n], sizeof(p->num[0]), "%.17g", d);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

static void p_text_or_empty(pg_params *p, const char *s)
{
    p_text(p, s ? s : "");
}

static const char *get_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* An integer column; NULL reads as 0, as sqlite3_column_int64() does. */
static int64_t get_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : (int64_t)strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static int64_t get_count(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? CR_COUNT_NONE : get_i64(r, row, col);
}

static double get_real(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NAN : strtod(PQgetvalue(r, row, col), NULL);
}

/* ---- errors ---------------------------------------------------------------------------- */

/* libpq messages end in a newline and may span lines; ours are one line. */
static const char *one_line(char *buf, size_t size, const char *msg)
{
    size_t i, n = 0;
    int space = 1; /* drops leading blanks */

    if (msg == NULL)
        msg = "unknown error";
    for (i = 0; msg[i] && n + 1 < size; i++) {
        int blank = msg[i] == ' ' || msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t';
        if (blank && space)
            continue;
        buf[n++] = blank ? ' ' : msg[i];
        space = blank;
    }
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
    return buf;
}

/* Map a failed result (or the connection's error when res is NULL) to a crest error:
 * integrity violations (SQLSTATE class 23) are the caller's data, CR_EINVALID; serialization
 * failures, deadlocks and lock timeouts are CR_ECONFLICT; the rest CR_ESTORE. */
static cr_err pg_fail(pg_backend *pb, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[768];
    cr_err code = CR_ESTORE;

    one_line(msg, sizeof(msg), primary ? primary : PQerrorMessage(pb->conn));
    if (PQstatus(pb->conn) == CONNECTION_BAD)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s: lost the connection to %s: %s", what,
                            pb->url ? pb->url : "the server", msg);
    if (state != NULL) {
        if (strncmp(state, "23", 2) == 0)
            code = CR_EINVALID;
        else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                 strcmp(state, "55P03") == 0)
            code = CR_ECONFLICT;
    }
    return cr_error_set(code, CR_ERRCLASS_STORE, "%s: %s", what, msg);
}

static int result_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);

    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Run constant SQL (one or more statements, no parameters) and drop its result. */
static cr_err pg_exec(pg_backend *pb, const char *sql, const char *what)
{
    PGresult *res = PQexec(pb->conn, sql);
    cr_err rc = result_ok(res) ? CR_OK : pg_fail(pb, res, what);

    PQclear(res);
    return rc;
}

/* ---- running statements ---------------------------------------------------------------- */

/* Run a prepared statement under a savepoint, in one round trip: SAVEPOINT, the statement
 * and RELEASE go down one pipeline. When the statement fails, PostgreSQL skips the RELEASE,
 * and rolling back to the savepoint leaves the transaction as it was before the statement,
 * as SQLite leaves it after a failed statement. Returns the statement's result or the first
 * error (NULL when the connection failed). */
static PGresult *
exec_guarded(pg_backend *pb, const char *name, int n, const char *const *vals, int *failed)
{
    PGconn *c = pb->conn;
    PGresult *r, *res = NULL, *err = NULL;
    int i;

    *failed = 1;
    if (!PQenterPipelineMode(c))
        return NULL;
    if (!PQsendQueryParams(c, "SAVEPOINT crest_stmt", 0, NULL, NULL, NULL, NULL, 0) ||
        !PQsendQueryPrepared(c, name, n, vals, NULL, NULL, 0) ||
        !PQsendQueryParams(c, "RELEASE SAVEPOINT crest_stmt", 0, NULL, NULL, NULL, NULL, 0) ||
        !PQpipelineSync(c)) {
        PQexitPipelineMode(c);
        return NULL;
    }
    for (i = 0; i < 3; i++) {
        while ((r = PQgetResult(c)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_FATAL_ERROR && err == NULL)
                err = r;
            else if (i == 1 && res == NULL && result_ok(r))
                res = r;
            else
                PQclear(r);
        }
    }
    while ((r = PQgetResult(c)) != NULL) { /* the sync, and nothing after it */
        int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync)
            break;
    }
    PQexitPipelineMode(c);
    if (err == NULL && res != NULL) {
        *failed = 0;
        return res;
    }
    PQclear(res);
    if (PQstatus(c) == CONNECTION_OK)
        PQclear(PQexec(c, "ROLLBACK TO SAVEPOINT crest_stmt; RELEASE SAVEPOINT crest_stmt"));
    return err;
}

/* Another writer took the id this insert picked (max(id) + 1): worth running it again. */
static int id_taken(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    size_t n = constraint ? strlen(constraint) : 0;

    return state && strcmp(state, "23505") == 0 && n > 5 &&
           strcmp(constraint + n - 5, "_pkey") == 0;
}

/* Run a prepared statement; on success *out holds its result (PQclear it). A write inside a
 * transaction runs under a savepoint (exec_guarded), and a write whose new id was taken by
 * another writer meanwhile runs again. */
static cr_err exec_prepared(PGresult **out,
                            pg_backend *pb,
                            const char *name,
                            int n,
                            const char *const *vals,
                            int write,
                            const char *what)
{
    PGresult *res;
    cr_err rc;
    int failed, tries = 0;

    *out = NULL;
    for (;;) {
        if (write && pb->in_tx) {
            res = exec_guarded(pb, name, n, vals, &failed);
        } else {
            res = PQexecPrepared(pb->conn, name, n, vals, NULL, NULL, 0);
            failed = !result_ok(res);
        }
        if (!failed) {
            *out = res;
            return CR_OK;
        }
        if (!write || !id_taken(res) || ++tries >= ID_RETRIES)
            break;
        PQclear(res);
    }
    rc = pg_fail(pb, res, what);
    PQclear(res);
    return rc;
}

static cr_err prepare(pg_backend *pb, const char *name, const char *sql, const char *what)
{
    PGresult *res = PQprepare(pb->conn, name, sql, 0, NULL);
    cr_err rc = PQresultStatus(res) == PGRES_COMMAND_OK ? CR_OK : pg_fail(pb, res, what);

    PQclear(res);
    return rc;
}

static cr_err metric_flush(pg_backend *pb);
static cr_err copy_flush(pg_backend *pb);
static cr_err tw_flush(pg_backend *pb);

/* Whatever waits in the buffers goes in before any other statement runs; metric rows of a
 * bulk transaction only before a statement that touches post_metric (with_copy). */
static cr_err flush_some(pg_backend *pb, int with_copy)
{
    cr_err rc = CR_OK;

    if (pb->nmbuf > 0)
        rc = metric_flush(pb);
    if (rc == CR_OK && with_copy && pb->ncbuf > 0)
        rc = copy_flush(pb);
    if (rc == CR_OK && pb->ntw > 0)
        rc = tw_flush(pb);
    return rc;
}

static cr_err flush_pending(pg_backend *pb)
{
    return flush_some(pb, 1);
}

/* The number of parameters of a statement: its highest $n. */
static int sql_params(const char *sql)
{
    int n = 0;
    long v;
    char *end;

    for (; (sql = strchr(sql, '$')) != NULL; sql = end) {
        v = strtol(sql + 1, &end, 10);
        if (end == sql + 1)
            end++;
        else if (v > n)
            n = (int)v;
    }
    return n;
}

/* Reads are SELECTs and WITH ... SELECTs; the rest write (and inside a transaction run under
 * a savepoint). */
static int sql_writes(const char *sql)
{
    return strncmp(sql, "SELECT", 6) != 0 && strncmp(sql, "WITH", 4) != 0;
}

static cr_err
run_noflush(PGresult **out, pg_backend *pb, enum stmt_id id, const pg_params *p, const char *what)
{
    char name[32];
    cr_err rc;

    *out = NULL;
    snprintf(name, sizeof(name), "crest_%d", (int)id);
    if (!pb->prepared[id]) {
        if ((rc = prepare(pb, name, stmt_sql[id], "preparing a statement")) < 0)
            return rc;
        pb->prepared[id] = 1;
    }
    if (p->n != sql_params(stmt_sql[id]))
        return cr_error_set(CR_ERROR, CR_ERRCLASS_STORE, "%s: statement %d takes %d parameters",
                            what, (int)id, sql_params(stmt_sql[id]));
    return exec_prepared(out, pb, name, p->n, p->v, sql_writes(stmt_sql[id]), what);
}

static cr_err
run(PGresult **out, pg_backend *pb, enum stmt_id id, const pg_params *p, const char *what)
{
    cr_err rc;

    *out = NULL;
    if ((rc = flush_some(pb, pb->stmt_metrics[id])) < 0)
        return rc;
    return run_noflush(out, pb, id, p, what);
}

static cr_err run_done(pg_backend *pb, enum stmt_id id, const pg_params *p, const char *what)
{
    PGresult *res;
    cr_err rc = run(&res, pb, id, p, what);

    PQclear(res);
    return rc;
}

/* An upsert ... RETURNING id: when the row was already identical nothing is returned
 * (*returned = 0) and the id comes from a lookup instead. */
static cr_err run_returning_id(int64_t *out_id,
                               int *returned,
                               pg_backend *pb,
                               enum stmt_id id,
                               const pg_params *p,
                               const char *what)
{
    PGresult *res;
    cr_err rc;

    *returned = 0;
    if ((rc = run(&res, pb, id, p, what)) < 0)
        return rc;
    if (PQntuples(res) > 0) {
        *returned = 1;
        if (out_id)
            *out_id = get_i64(res, 0, 0);
    }
    PQclear(res);
    return CR_OK;
}

/* The id of the first row of a lookup; CR_ENOTFOUND (no message) when there is none. */
static cr_err
find_id(int64_t *out_id, pg_backend *pb, enum stmt_id id, const pg_params *p, const char *what)
{
    PGresult *res;
    cr_err rc;

    if ((rc = run(&res, pb, id, p, what)) < 0)
        return rc;
    rc = PQntuples(res) > 0 ? CR_OK : CR_ENOTFOUND;
    if (rc == CR_OK && out_id)
        *out_id = get_i64(res, 0, 0);
    PQclear(res);
    return rc;
}

/* ---- opening and migrating ------------------------------------------------------------- */

static void pg_notice_ignore(void *arg, const char *message)
{
    (void)arg; /* "relation already exists, skipping" and the like: not for the user */
    (void)message;
}

/* The URL for messages: without the password of user:password@, nor password=... */
static cr_err redact_url(char **out, const char *url)
{
    const char *scheme = strstr(url, "://"), *auth, *at = NULL, *colon = NULL, *q, *p;
    size_t alen;
    cr_str s;
    cr_err rc = CR_OK;

    *out = NULL;
    cr_str_init(&s, 0);
    q = strchr(url, '?');
    if (scheme != NULL && (q == NULL || scheme < q)) {
        auth = scheme + 3;
        alen = strcspn(auth, "/?");
        for (p = auth; p < auth + alen; p++)
            if (*p == '@')
                at = p;
        if (at != NULL)
            colon = memchr(auth, ':', (size_t)(at - auth));
    }
    if (colon != NULL) {
        rc = cr_str_put(&s, url, (size_t)(colon - url));
        url = at;
    }
    if (q == NULL) {
        if (rc == CR_OK)
            rc = cr_str_puts(&s, url);
    } else {
        /* the query, without password= */
        int first = 1;
        if (rc == CR_OK)
            rc = cr_str_put(&s, url, (size_t)(q - url));
        for (p = q + 1; rc == CR_OK && *p;) {
            size_t n = strcspn(p, "&");
            if (strncmp(p, "password=", 9) != 0) {
                rc = cr_str_putc(&s, first ? '?' : '&');
                if (rc == CR_OK)
                    rc = cr_str_put(&s, p, n);
                first = 0;
            }
            p += n;
            if (*p == '&')
                p++;
        }
    }
    if (rc == CR_OK && (*out = cr_str_detach(&s)) == NULL)
        *out = cr_strdup("");
    cr_str_dispose(&s);
    if (rc == CR_OK && *out == NULL)
        rc = cr_error_oom();
    return rc;
}

static cr_err current_version(int *out, pg_backend *pb)
{
    PGresult *res = PQexec(pb->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    cr_err rc = CR_OK;

    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        *out = (int)get_i64(res, 0, 0);
    else
        rc = pg_fail(pb, res, "reading the schema version");
    PQclear(res);
    return rc;
}

static cr_err record_migration(pg_backend *pb, const cr_pg_migration *m)
{
    pg_params p = { 0 };
    PGresult *res;
    cr_err rc;

    p_i64(&p, m->version);
    p_text(&p, m->name);
    p_i64(&p, cr_now());
    res = PQexecParams(pb->conn,
                       "INSERT INTO schema_migrations (version, name, applied_at)"
                       " VALUES ($1, $2, $3)",
                       p.n, NULL, p.v, NULL, NULL, 0);
    rc = result_ok(res) ? CR_OK : pg_fail(pb, res, "recording a migration");
    PQclear(res);
    return rc;
}

/* Apply pending migrations, each in its own transaction holding a transaction-level advisory
 * lock, so that processes opening a new database at once apply each migration once: the
 * second waits for the first, then finds the version already there. An up-to-date database
 * is recognised without taking the lock. */
static cr_err pg_migrate(pg_backend *pb)
{
    const int latest = cr_pg_migrations[cr_pg_migration_count - 1].version;
    PGresult *res;
    int i, v = 0, exists;
    cr_err rc;

    res = PQexec(pb->conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        rc = pg_fail(pb, res, "reading the schema version");
        PQclear(res);
        return rc;
    }
    exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (exists && (rc = current_version(&v, pb)) < 0)
        return rc;
    for (i = 0; i < cr_pg_migration_count && v < latest; i++) {
        const cr_pg_migration *m = &cr_pg_migrations[i];
        if ((rc = pg_exec(pb, "BEGIN", "starting a migration")) < 0)
            return rc;
        if ((rc = pg_exec(pb, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")",
                          "waiting for another crest migrating this database")) < 0 ||
            (rc = pg_exec(pb,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY"
                          " KEY, name text NOT NULL, applied_at bigint NOT NULL)",
                          "creating the migrations table")) < 0 ||
            (rc = current_version(&v, pb)) < 0)
            goto fail;
        if (v < m->version) {
            if ((rc = pg_exec(pb, m->sql, m->name)) < 0 || (rc = record_migration(pb, m)) < 0)
                goto fail;
            v = m->version;
        }
        if ((rc = pg_exec(pb, "COMMIT", "committing a migration")) < 0)
            goto fail;
    }
    if (v > latest)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                            "%s has schema version %d, newer than this crest knows (%d): "
                            "upgrade crest",
                            pb->url, v, latest);
    pb->parent.schema_version = v;
    return CR_OK;
fail:
    PQclear(PQexec(pb->conn, "ROLLBACK"));
    return rc;
}

static cr_err pg_open(cr_store_backend *be, const char *dsn)
{
    /* options before dbname: a URL's own options=... replace crest's. JIT off, as JIT
     * compiling (100-300 ms a statement) cost more than it saved on every statement measured:
     * crest's statements are many and short (`crest demo` 10.9 s with it, 9.4 s without). */
    static const char *const keys[] = { "options", "dbname", "fallback_application_name",
                                        "client_encoding", NULL };
    pg_backend *pb = (pg_backend *)be;
    const char *vals[] = { "-c jit=off", dsn, "crest", "UTF8", NULL };
    char msg[768];
    cr_err rc;

    if ((rc = redact_url(&pb->url, dsn)) < 0)
        return rc;
    /* the URL is libpq's own (dbname is expanded); a client encoding of UTF-8 comes after it,
     * as crest's strings are UTF-8 whatever the server's default */
    pb->conn = PQconnectdbParams(keys, vals, 1);
    if (pb->conn == NULL)
        return cr_error_oom();
    if (PQstatus(pb->conn) != CONNECTION_OK)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "cannot connect to %s: %s", pb->url,
                            one_line(msg, sizeof(msg), PQerrorMessage(pb->conn)));
    PQsetNoticeProcessor(pb->conn, pg_notice_ignore, NULL);
    /* reals in their shortest exact form, so they read back bit for bit (checksums) */
    if ((rc = pg_exec(pb, "SET extra_float_digits = 3", pb->url)) < 0)
        return rc;
    return pg_migrate(pb);
}

/* ---- transactions ---------------------------------------------------------------------- */

static void discard_pending(pg_backend *pb)
{
    int i;

    pb->nmbuf = 0;
    pb->ncbuf = 0;
    if (pb->cslot)
        memset(pb->cslot, 0, COPY_SLOTS * sizeof(pb->cslot[0]));
    for (i = 0; i < COLS_MAX; i++)
        cr_str_clear(&pb->twcols[i]);
    pb->ntw = 0;
    pb->tw_table = NULL;
}

/* CR_TX_BEGIN_BULK begins an ordinary transaction: foreign keys stay checked (see the top of
 * the file). READ COMMITTED, as PostgreSQL's default: the upserts resolve concurrent writers
 * of the same key through ON CONFLICT. */
static cr_err pg_tx(cr_store_backend *be, cr_tx_op op)
{
    pg_backend *pb = (pg_backend *)be;
    PGTransactionStatusType ts;
    PGresult *res;
    cr_err rc;

    if (op == CR_TX_ROLLBACK) {
        discard_pending(pb); /* buffered rows go with the transaction */
        pb->in_tx = 0;
        pb->bulk = 0;
        pb->stage_ready = 0;
        if (PQtransactionStatus(pb->conn) == PQTRANS_IDLE)
            return CR_OK;
        return pg_exec(pb, "ROLLBACK", "rolling back");
    }
    if (op == CR_TX_COMMIT) {
        if ((rc = flush_pending(pb)) < 0)
            return rc;
        ts = PQtransactionStatus(pb->conn);
        if (ts == PQTRANS_INERROR)
            return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                                "committing: an earlier statement failed and aborted the "
                                "transaction");
        res = PQexec(pb->conn, "COMMIT");
        if (!result_ok(res))
            rc = pg_fail(pb, res, "committing");
        else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
            rc = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                              "committing: the server rolled the transaction back");
        else
            rc = CR_OK;
        PQclear(res);
        if (PQtransactionStatus(pb->conn) == PQTRANS_IDLE) {
            pb->in_tx = 0;
            pb->bulk = 0;
            pb->stage_ready = 0; /* ON COMMIT DROP */
        }
        return rc;
    }
    if ((rc = flush_pending(pb)) < 0 || (rc = pg_exec(pb, "BEGIN", "starting a transaction")) < 0)
        return rc;
    pb->in_tx = 1;
    pb->bulk = op == CR_TX_BEGIN_BULK;
    pb->stage_ready = 0;
    return CR_OK;
}

/* ---- creators -------------------------------------------------------------------------- */

static cr_err
pg_creator_find(int64_t *out_id, cr_store_backend *be, const char *platform, const char *handle)
{
    pg_params p = { 0 };
    cr_err rc;

    p_text(&p, platform);
    p_text(&p, handle);
    rc = find_id(out_id, (pg_backend *)be, S_CREATOR_FIND, &p, "looking up a creator");
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator %s/%s", platform, handle);
    return rc;
}

static cr_err pg_creator_upsert(int64_t *out_id, cr_store_backend *be, const cr_creator *c)
{
    pg_backend *pb = (pg_backend *)be;
    pg_params p = { 0 };
    cr_err rc;
    int returned;

    p_text(&p, c->platform);
    p_text(&p, c->handle);
    p_text(&p, c->name);
    p_text(&p, c->email);
    p_text(&p, c->country);
    p_text(&p, c->language);
    p_text(&p, c->niches);
    p_count(&p, c->followers);
    p_count(&p, c->following);
    p_count(&p, c->media_count);
    p_real(&p, c->engagement_rate);
    p_text(&p, c->bio);
    p_i64(&p, c->updated_at ? c->updated_at : cr_now());
    if ((rc = run_returning_id(out_id, &returned, pb, S_CREATOR_UPSERT, &p, "saving a creator")) <
            0 ||
        returned)
        return rc;
    return pg_creator_find(out_id, be, c->platform, c->handle);
}

static void row_to_creator(cr_creator *c, const PGresult *r, int i)
{
    c->id = get_i64(r, i, 0);
    c->platform = get_text(r, i, 1);
    c->handle = get_text(r, i, 2);
    c->name = get_text(r, i, 3);
    c->email = get_text(r, i, 4);
    c->country = get_text(r, i, 5);
    c->language = get_text(r, i, 6);
    c->niches = get_text(r, i, 7);
    c->followers = get_count(r, i, 8);
    c->following = get_count(r, i, 9);
    c->media_count = get_count(r, i, 10);
    c->engagement_rate = get_real(r, i, 11);
    c->bio = get_text(r, i, 12);
    c->updated_at = get_i64(r, i, 13);
}

/* Call cb for each creator row of res; a callback error stops and returns. */
static cr_err each_creator(const PGresult *res, cr_creator_cb cb, void *payload)
{
    cr_creator c;
    cr_err rc;
    int i;

    for (i = 0; i < PQntuples(res); i++) {
        row_to_creator(&c, res, i);
        if ((rc = cb(&c, payload)) < 0)
            return rc;
    }
    return CR_OK;
}

static cr_err pg_creator_get(cr_store_backend *be, int64_t id, cr_creator_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *res;
    cr_err rc;
    int n;

    p_i64(&p, id);
    if ((rc = run(&res, (pg_backend *)be, S_CREATOR_GET, &p, "reading a creator")) < 0)
        return rc;
    n = PQntuples(res);
    rc = each_creator(res, cb, payload);
    PQclear(res);
    if (rc == CR_OK && n == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no creator with id %lld",
                            (long long)id);
    return rc;
}

static cr_err
pg_creator_list(cr_store_backend *be, const cr_creator_filter *f, cr_creator_cb cb, void *payload)
{
    enum stmt_id id = S_CREATOR_LIST_FOLLOWERS;
    pg_params p = { 0 };
    PGresult *res;
    cr_err rc;

    if (f->order && strcmp(f->order, "handle") == 0)
        id = S_CREATOR_LIST_HANDLE;
    else if (f->order && strcmp(f->order, "id") == 0)
        id = S_CREATOR_LIST_ID;
    else if (f->order && strcmp(f->order, "followers") != 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "unknown order '%s': expected followers, handle or id", f->order);
    p_text(&p, f->platform);
    p_text(&p, f->search);
    p_i64(&p, f->min_followers);
    p_i64(&p, f->max_followers);
    if (f->limit > 0)
        p_i64(&p, f->limit);
    else
        p_text(&p, NULL); /* LIMIT NULL: no limit */
    p_i64(&p, f->offset);
    if ((rc = run(&res, (pg_backend *)be, id, &p, "reading creators")) < 0)
        return rc;
    rc = each_creator(res, cb, payload);
    PQclear(res);
    return rc;
}

/* Run a one-row statement taking one id. */
static cr_err one_row(PGresult **out, pg_backend *pb, enum stmt_id id, int64_t v, const char *what)
{
    pg_params p = { 0 };
    cr_err rc;

    p_i64(&p, v);
    if ((rc = run(out, pb, id, &p, what)) < 0)
        return rc;
    if (PQntuples(*out) != 1) {
        PQclear(*out);
        *out = NULL;
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s: no result row", what);
    }
    return CR_OK;
}

static cr_err pg_creator_stats(cr_creator_stats *out, cr_store_backend *be, int64_t id)
{
    pg_backend *pb = (pg_backend *)be;
    PGresult *r;
    cr_err rc;

    if ((rc = one_row(&r, pb, S_CREATOR_STATS_POSTS, id, "reading post totals")) < 0)
        return rc;
    out->posts = get_i64(r, 0, 0);
    out->posts_with_metrics = get_i64(r, 0, 1);
    out->reach = get_i64(r, 0, 2);
    out->impressions = get_i64(r, 0, 3);
    out->engagements = get_i64(r, 0, 4);
    PQclear(r);

    if ((rc = one_row(&r, pb, S_CREATOR_STATS_SNAPS, id, "reading snapshots")) < 0)
        return rc;
    out->snapshots = get_i64(r, 0, 0);
    out->first_snapshot = get_i64(r, 0, 1);
    out->last_snapshot = get_i64(r, 0, 2);
    out->first_followers = get_count(r, 0, 3);
    out->last_followers = get_count(r, 0, 4);
    PQclear(r);

    if ((rc = one_row(&r, pb, S_CREATOR_STATS_COMMENTS, id, "reading comments")) < 0)
        return rc;
    out->comments = get_i64(r, 0, 0);
    PQclear(r);
    return CR_OK;
}

/* ---- snapshots, posts, metrics, comments ----------------------------------------------- */

static cr_err pg_snapshot_upsert(cr_store_backend *be, const cr_snapshot *sn)
{
    pg_params p = { 0 };

    p_i64(&p, sn->creator_id);
    p_i64(&p, sn->date);
    p_count(&p, sn->followers);
    p_count(&p, sn->following);
    p_count(&p, sn->media_count);
    return run_done((pg_backend *)be, S_SNAPSHOT_UPSERT, &p, "saving a snapshot");
}

static cr_err
pg_post_find(int64_t *out_id, cr_store_backend *be, const char *platform, const char *external_id)
{
    pg_params p = { 0 };
    cr_err rc;

    p_text(&p, platform);
    p_text(&p, external_id);
    rc = find_id(out_id, (pg_backend *)be, S_POST_FIND, &p, "looking up a post");
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no post %s/%s", platform,
                            external_id);
    return rc;
}

static cr_err pg_post_upsert(int64_t *out_id, cr_store_backend *be, const cr_post *po)
{
    pg_params p = { 0 };
    cr_err rc;
    int returned;

    p_i64(&p, po->creator_id);
    p_id(&p, po->partnership_id);
    p_text(&p, po->platform);
    p_text(&p, po->external_id);
    p_text(&p, po->url);
    p_i64(&p, po->posted_at);
    p_text(&p, po->format);
    p_text(&p, po->caption);
    p_text(&p, po->utm_content);
    if ((rc = run_returning_id(out_id, &returned, (pg_backend *)be, S_POST_UPSERT, &p,
                               "saving a post")) < 0 ||
        returned)
        return rc;
    return pg_post_find(out_id, be, po->platform, po->external_id);
}

static cr_err
pg_post_list(cr_store_backend *be, const cr_post_filter *f, cr_post_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *r;
    cr_post_row row;
    cr_err rc;
    int i;

    p_i64(&p, f->creator_id);
    p_text(&p, f->platform);
    p_i64(&p, f->since);
    p_i64(&p, f->until);
    if (f->limit > 0)
        p_i64(&p, f->limit);
    else
        p_text(&p, NULL);
    p_i64(&p, f->offset);
    if ((rc = run(&r, (pg_backend *)be, S_POST_LIST, &p, "reading posts")) < 0)
        return rc;
    for (i = 0; i < PQntuples(r) && rc == CR_OK; i++) {
        memset(&row, 0, sizeof(row));
        row.post.id = get_i64(r, i, 0);
        row.post.creator_id = get_i64(r, i, 1);
        row.post.partnership_id = get_i64(r, i, 2);
        row.post.platform = get_text(r, i, 3);
        row.post.external_id = get_text(r, i, 4);
        row.post.url = get_text(r, i, 5);
        row.post.format = get_text(r, i, 6);
        row.post.caption = get_text(r, i, 7);
        row.post.utm_content = get_text(r, i, 8);
        row.post.posted_at = get_i64(r, i, 9);
        row.handle = get_text(r, i, 10);
        row.metric.post_id = get_i64(r, i, 11);
        row.metric.captured_at = get_i64(r, i, 12);
        row.metric.impressions = get_count(r, i, 13);
        row.metric.reach = get_count(r, i, 14);
        row.metric.views = get_count(r, i, 15);
        row.metric.likes = get_count(r, i, 16);
        row.metric.comments = get_count(r, i, 17);
        row.metric.shares = get_count(r, i, 18);
        row.metric.saves = get_count(r, i, 19);
        row.metric.clicks = get_count(r, i, 20);
        row.metric.watch_seconds = get_count(r, i, 21);
        row.metric.import_id = get_i64(r, i, 22);
        rc = cb(&row, payload);
    }
    PQclear(r);
    return rc;
}

/* Write rows[0..n) with one statement: each column as a bigint array literal. */
static cr_err metric_write(pg_backend *pb, const cr_metric *rows, int n)
{
    cr_str cols[METRIC_COLS];
    pg_params p = { 0 };
    PGresult *res;
    int i, c;
    cr_err rc = CR_OK;

    for (c = 0; c < METRIC_COLS; c++)
        cr_str_init(&cols[c], 0);
    for (i = 0; i < n && rc == CR_OK; i++) {
        const cr_metric *m = &rows[i];
        const int64_t v[METRIC_COLS] = {
            m->post_id,  m->captured_at, m->impressions, m->reach,  m->views,         m->likes,
            m->comments, m->shares,      m->saves,       m->clicks, m->watch_seconds, m->import_id
        };
        for (c = 0; c < METRIC_COLS && rc == CR_OK; c++) {
            /* the key as it is, counts < 0 unknown, import_id 0 none */
            int null = c < 2 ? 0 : c == METRIC_COLS - 1 ? v[c] <= 0 : v[c] < 0;
            rc = cr_str_putc(&cols[c], i ? ',' : '{');
            if (rc == CR_OK)
                rc = null ? cr_str_puts(&cols[c], "NULL")
                          : cr_str_printf(&cols[c], "%lld", (long long)v[c]);
        }
    }
    for (c = 0; c < METRIC_COLS && rc == CR_OK; c++) {
        rc = cr_str_putc(&cols[c], '}');
        p_text(&p, cr_str_cstr(&cols[c]));
    }
    if (rc == CR_OK && (rc = run_noflush(&res, pb, S_METRIC_UPSERT, &p,
                                         n > 1 ? "saving metrics" : "saving a metric")) == CR_OK)
        PQclear(res);
    for (c = 0; c < METRIC_COLS; c++)
        cr_str_dispose(&cols[c]);
    return rc;
}

static cr_err metric_flush(pg_backend *pb)
{
    int n = pb->nmbuf;

    pb->nmbuf = 0;
    return n > 0 ? metric_write(pb, pb->mbuf, n) : CR_OK;
}

/* b's known numbers over a's: the row that the upserts a then b would leave. */
static void metric_merge(cr_metric *a, const cr_metric *b)
{
    int64_t *const dst[] = { &a->impressions, &a->reach, &a->views,  &a->likes,        &a->comments,
                             &a->shares,      &a->saves, &a->clicks, &a->watch_seconds };
    const int64_t src[] = { b->impressions, b->reach, b->views,  b->likes,        b->comments,
                            b->shares,      b->saves, b->clicks, b->watch_seconds };
    size_t i;

    for (i = 0; i < sizeof(src) / sizeof(src[0]); i++)
        if (src[i] >= 0)
            *dst[i] = src[i];
    if (b->import_id > 0)
        a->import_id = b->import_id;
}

/* ---- metrics by COPY, in bulk transactions ---------------------------------------------- */

#define STAGE_COLS                                                                     \
    "post_id, captured_at, impressions, reach, views, likes, comments, shares, saves," \
    " clicks, watch_seconds, import_id"

/* The staging table lives until the end of the transaction; its rows until the merge. */
static const char stage_create_sql[] =
    "CREATE TEMPORARY TABLE crest_metric_stage (post_id bigint, captured_at bigint,"
    " impressions bigint, reach bigint, views bigint, likes bigint, comments bigint,"
    " shares bigint, saves bigint, clicks bigint, watch_seconds bigint, import_id bigint)"
    " ON COMMIT DROP";

/* The staged rows hold each key once (merged in memory), so one statement may write them
 * all; the upsert is S_METRIC_UPSERT's, row for row. Then the stage is emptied. */
static const char stage_merge_sql[] =
    "INSERT INTO post_metric AS t (" STAGE_COLS ") SELECT " STAGE_COLS
    " FROM crest_metric_stage ORDER BY post_id, captured_at" METRIC_CONFLICT
    "; TRUNCATE crest_metric_stage";

static uint32_t copy_hash(int64_t post_id, int64_t captured_at)
{
    uint64_t h = (uint64_t)post_id * 0x9E3779B97F4A7C15ULL;

    h ^= (uint64_t)captured_at + 0x7F4A7C159E3779B9ULL + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ULL;
    return (uint32_t)(h >> 32);
}

/* Decimal digits of v at p; returns the end. */
static char *put_i64(char *p, int64_t v)
{
    char tmp[24];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = 0;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        *p++ = '-';
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* One row as a line of COPY text: tab-separated, \N for NULL (as metric_write: the key as it
 * is, counts < 0 unknown, import_id 0 none). Returns the end. */
static char *put_copy_row(char *p, const cr_metric *m)
{
    const int64_t v[METRIC_COLS] = { m->post_id, m->captured_at, m->impressions,   m->reach,
                                     m->views,   m->likes,       m->comments,      m->shares,
                                     m->saves,   m->clicks,      m->watch_seconds, m->import_id };
    int c;

    for (c = 0; c < METRIC_COLS; c++) {
        int null = c < 2 ? 0 : c == METRIC_COLS - 1 ? v[c] <= 0 : v[c] < 0;
        if (c > 0)
            *p++ = '\t';
        if (null) {
            *p++ = '\\';
            *p++ = 'N';
        } else {
            p = put_i64(p, v[c]);
        }
    }
    *p++ = '\n';
    return p;
}

/* A failed merge is not the current row's fault: the last error, made a store error (which
 * ends the import). */
static cr_err store_error(void)
{
    char msg[1024];

    snprintf(msg, sizeof(msg), "%s", cr_error_last()->message);
    return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "%s", msg);
}

static cr_err copy_fail(pg_backend *pb, const PGresult *res, const char *what)
{
    pg_fail(pb, res, what);
    return store_error();
}

/* Send the buffered rows down one COPY into the staging table. No other statement may run
 * on the connection until the COPY has ended, which it has when this returns. */
static cr_err copy_send(pg_backend *pb, const cr_metric *rows, int n)
{
    PGconn *c = pb->conn;
    PGresult *r;
    char *buf, *p;
    cr_err rc = CR_OK;
    int i, sent = 1;

    if ((buf = cr_malloc(COPY_CHUNK)) == NULL)
        return cr_error_oom();
    r = PQexec(c, "COPY crest_metric_stage (" STAGE_COLS ") FROM STDIN");
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = copy_fail(pb, r, "saving metrics");
        PQclear(r);
        cr_free(buf);
        return rc;
    }
    PQclear(r);
    p = buf;
    for (i = 0; i < n && sent; i++) {
        p = put_copy_row(p, &rows[i]);
        if (COPY_CHUNK - (size_t)(p - buf) < COPY_ROW_MAX || i == n - 1) {
            sent = PQputCopyData(c, buf, (int)(p - buf)) == 1;
            p = buf;
        }
    }
    if (PQputCopyEnd(c, sent ? NULL : "crest: sending COPY data failed") != 1)
        sent = 0;
    while ((r = PQgetResult(c)) != NULL) { /* the COPY's result, then nothing */
        if (rc == CR_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = copy_fail(pb, r, "saving metrics");
        PQclear(r);
    }
    if (rc == CR_OK && !sent)
        rc = copy_fail(pb, NULL, "saving metrics");
    cr_free(buf);
    return rc;
}

/* Everything buffered goes in: COPY into the stage, then one upsert from it. The buffer is
 * empty afterwards, whatever happened. */
static cr_err copy_flush(pg_backend *pb)
{
    int n = pb->ncbuf;
    PGresult *r;
    cr_err rc;

    if (n == 0)
        return CR_OK;
    pb->ncbuf = 0;
    memset(pb->cslot, 0, COPY_SLOTS * sizeof(pb->cslot[0]));
    if (n < COPY_MIN) { /* a few rows: not worth a staging table, one unnest upsert */
        rc = metric_write(pb, pb->cbuf, n);
        return rc == CR_EINVALID ? store_error() : rc;
    }
    if (!pb->stage_ready) {
        r = PQexec(pb->conn, stage_create_sql);
        rc = result_ok(r) ? CR_OK : copy_fail(pb, r, "saving metrics");
        PQclear(r);
        if (rc < 0)
            return rc;
        pb->stage_ready = 1;
    }
    if ((rc = copy_send(pb, pb->cbuf, n)) < 0)
        return rc;
    r = PQexec(pb->conn, stage_merge_sql);
    rc = result_ok(r) ? CR_OK : copy_fail(pb, r, "saving metrics");
    PQclear(r);
    return rc;
}

/* Buffer a row of a bulk transaction, merged into the waiting row of its key if any. */
static cr_err copy_add(pg_backend *pb, const cr_metric *m)
{
    uint32_t h;
    int32_t k;

    if (pb->cbuf == NULL) {
        pb->cbuf = cr_malloc(COPY_BATCH * sizeof(pb->cbuf[0]));
        pb->cslot = cr_calloc(COPY_SLOTS, sizeof(pb->cslot[0]));
        if (pb->cbuf == NULL || pb->cslot == NULL) {
            cr_free(pb->cbuf);
            cr_free(pb->cslot);
            pb->cbuf = NULL;
            pb->cslot = NULL;
            return cr_error_oom();
        }
    }
    for (h = copy_hash(m->post_id, m->captured_at) & (COPY_SLOTS - 1); (k = pb->cslot[h]) != 0;
         h = (h + 1) & (COPY_SLOTS - 1)) {
        cr_metric *a = &pb->cbuf[k - 1];
        if (a->post_id == m->post_id && a->captured_at == m->captured_at) {
            metric_merge(a, m);
            return CR_OK;
        }
    }
    pb->cbuf[pb->ncbuf++] = *m;
    pb->cslot[h] = pb->ncbuf;
    return pb->ncbuf == COPY_BATCH ? copy_flush(pb) : CR_OK;
}

static cr_err pg_metric_upsert(cr_store_backend *be, const cr_metric *m)
{
    pg_backend *pb = (pg_backend *)be;
    cr_err rc;
    int i;

    if (pb->ntw > 0 && (rc = tw_flush(pb)) < 0)
        return rc;
    if (pb->in_tx && pb->bulk)
        return copy_add(pb, m); /* no savepoint: the importer checked the row */
    if (pb->ncbuf > 0 && (rc = copy_flush(pb)) < 0)
        return rc;
    if (!pb->in_tx)
        return metric_write(pb, m, 1); /* outside a transaction: at once */
    for (i = 0; i < pb->nmbuf; i++) {
        if (pb->mbuf[i].post_id == m->post_id && pb->mbuf[i].captured_at == m->captured_at) {
            metric_merge(&pb->mbuf[i], m);
            return CR_OK;
        }
    }
    pb->mbuf[pb->nmbuf++] = *m;
    return pb->nmbuf == METRIC_BATCH ? metric_flush(pb) : CR_OK;
}

static cr_err pg_comment_upsert(cr_store_backend *be, const cr_comment *c)
{
    pg_params p = { 0 };

    p_i64(&p, c->post_id);
    p_text(&p, c->external_id);
    p_text(&p, c->author);
    p_text(&p, c->text);
    p_id(&p, c->posted_at);
    return run_done((pg_backend *)be, S_COMMENT_UPSERT, &p, "saving a comment");
}

/* ---- campaigns ------------------------------------------------------------------------- */

static cr_err pg_campaign_upsert(int64_t *out_id, cr_store_backend *be, const cr_campaign *c)
{
    pg_backend *pb = (pg_backend *)be;
    pg_params p = { 0 }, f = { 0 };
    cr_err rc;
    int returned;

    p_text(&p, c->name);
    p_text(&p, c->brand);
    p_i64(&p, c->start);
    p_i64(&p, c->end);
    p_i64(&p, c->budget_minor);
    p_text(&p, c->currency);
    p_text(&p, c->status);
    p_text(&p, c->primary_goal);
    p_text(&p, c->secondary_goal);
    p_text(&p, c->objective);
    p_i64(&p, c->benchmarking != 0);
    p_i64(&p, cr_now());
    p_id(&p, c->evaluation);
    p_i64(&p, c->attribution_window_days > 0 ? c->attribution_window_days : 30);
    p_text(&p, c->emv_credit ? c->emv_credit : "full");
    if ((rc = run_returning_id(out_id, &returned, pb, S_CAMPAIGN_UPSERT, &p, "saving a campaign")) <
            0 ||
        returned)
        return rc;
    p_text(&f, c->name);
    rc = find_id(out_id, pb, S_CAMPAIGN_FIND, &f, "looking up a campaign");
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_STORE, "campaign '%s' vanished", c->name);
    return rc;
}

static cr_err pg_campaign_kpi_upsert(cr_store_backend *be, const cr_campaign_kpi *k)
{
    pg_params p = { 0 };

    p_i64(&p, k->campaign_id);
    p_text(&p, k->code);
    p_text(&p, k->role ? k->role : "primary");
    p_real(&p, k->target);
    p_i64(&p, k->target_relative != 0);
    p_real(&p, k->baseline);
    p_text(&p, k->baseline_period);
    return run_done((pg_backend *)be, S_KPI_UPSERT, &p, "saving a campaign KPI");
}

static cr_err pg_partnership_upsert(int64_t *out_id, cr_store_backend *be, const cr_partnership *pa)
{
    pg_backend *pb = (pg_backend *)be;
    pg_params p = { 0 }, f = { 0 };
    cr_err rc;
    int returned;

    p_i64(&p, pa->campaign_id);
    p_i64(&p, pa->creator_id);
    p_i64(&p, pa->fee_minor);
    p_i64(&p, pa->product_cost_minor);
    p_text(&p, pa->currency);
    p_text(&p, pa->status);
    p_text(&p, pa->promo_code);
    p_text(&p, pa->utm_content);
    if ((rc = run_returning_id(out_id, &returned, pb, S_PARTNERSHIP_UPSERT, &p,
                               "saving a partnership")) < 0 ||
        returned)
        return rc;
    p_i64(&f, pa->campaign_id);
    p_i64(&f, pa->creator_id);
    rc = find_id(out_id, pb, S_PARTNERSHIP_FIND, &f, "looking up a partnership");
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                            "looking up a partnership: it was not saved");
    return rc;
}

static void row_to_campaign(cr_campaign *c, const PGresult *r, int i)
{
    memset(c, 0, sizeof(*c));
    c->id = get_i64(r, i, 0);
    c->name = get_text(r, i, 1);
    c->brand = get_text(r, i, 2);
    c->start = get_i64(r, i, 3);
    c->end = get_i64(r, i, 4);
    c->budget_minor = PQgetisnull(r, i, 5) ? -1 : get_i64(r, i, 5);
    c->currency = get_text(r, i, 6);
    c->status = get_text(r, i, 7);
    c->primary_goal = get_text(r, i, 8);
    c->secondary_goal = get_text(r, i, 9);
    c->objective = get_text(r, i, 10);
    c->benchmarking = (int)get_i64(r, i, 11);
    c->evaluation = get_i64(r, i, 12);
    c->attribution_window_days = (int)get_i64(r, i, 13);
    c->emv_credit = get_text(r, i, 14);
}

static cr_err each_campaign(const PGresult *r, cr_campaign_cb cb, void *payload)
{
    cr_campaign c;
    cr_err rc;
    int i;

    for (i = 0; i < PQntuples(r); i++) {
        row_to_campaign(&c, r, i);
        if ((rc = cb(&c, payload)) < 0)
            return rc;
    }
    return CR_OK;
}

static cr_err pg_campaign_get(cr_store_backend *be, int64_t id, cr_campaign_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *r;
    cr_err rc;
    int n;

    p_i64(&p, id);
    if ((rc = run(&r, (pg_backend *)be, S_CAMPAIGN_GET, &p, "reading a campaign")) < 0)
        return rc;
    n = PQntuples(r);
    rc = each_campaign(r, cb, payload);
    PQclear(r);
    if (rc == CR_OK && n == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no campaign with id %lld",
                            (long long)id);
    return rc;
}

static cr_err pg_campaign_find(int64_t *out_id, cr_store_backend *be, const char *name)
{
    pg_params p = { 0 };
    cr_err rc;

    p_text(&p, name);
    rc = find_id(out_id, (pg_backend *)be, S_CAMPAIGN_FIND, &p, "looking up a campaign");
    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no campaign named '%s'", name);
    return rc;
}

static cr_err pg_campaign_list(cr_store_backend *be, cr_campaign_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *r;
    cr_err rc;

    if ((rc = run(&r, (pg_backend *)be, S_CAMPAIGN_LIST, &p, "reading campaigns")) < 0)
        return rc;
    rc = each_campaign(r, cb, payload);
    PQclear(r);
    return rc;
}

static cr_err pg_campaign_kpi_list(cr_store_backend *be,
                                   int64_t campaign_id,
                                   cr_campaign_kpi_cb cb,
                                   void *payload)
{
    pg_params p = { 0 };
    cr_campaign_kpi k;
    PGresult *r;
    cr_err rc;
    int i;

    p_i64(&p, campaign_id);
    if ((rc = run(&r, (pg_backend *)be, S_KPI_LIST, &p, "reading campaign KPIs")) < 0)
        return rc;
    for (i = 0; i < PQntuples(r) && rc == CR_OK; i++) {
        k.campaign_id = get_i64(r, i, 0);
        k.code = get_text(r, i, 1);
        k.role = get_text(r, i, 2);
        k.target = get_real(r, i, 3);
        k.target_relative = (int)get_i64(r, i, 4);
        k.baseline = get_real(r, i, 5);
        k.baseline_period = get_text(r, i, 6);
        rc = cb(&k, payload);
    }
    PQclear(r);
    return rc;
}

static cr_err exec_id(pg_backend *pb, enum stmt_id id, int64_t v, const char *what)
{
    pg_params p = { 0 };

    p_i64(&p, v);
    return run_done(pb, id, &p, what);
}

static cr_err pg_campaign_kpi_clear(cr_store_backend *be, int64_t campaign_id)
{
    return exec_id((pg_backend *)be, S_KPI_CLEAR, campaign_id, "removing campaign KPIs");
}

static cr_err pg_partnership_delete(cr_store_backend *be, int64_t id)
{
    return exec_id((pg_backend *)be, S_PARTNERSHIP_DELETE, id, "removing a partnership");
}

static cr_err
pg_partnership_list(cr_store_backend *be, int64_t campaign_id, cr_partnership_cb cb, void *payload)
{
    pg_params p = { 0 };
    cr_partnership pa;
    PGresult *r;
    cr_err rc;
    int i;

    p_i64(&p, campaign_id);
    if ((rc = run(&r, (pg_backend *)be, S_PARTNERSHIP_LIST, &p, "reading partnerships")) < 0)
        return rc;
    for (i = 0; i < PQntuples(r) && rc == CR_OK; i++) {
        pa.id = get_i64(r, i, 0);
        pa.campaign_id = get_i64(r, i, 1);
        pa.creator_id = get_i64(r, i, 2);
        pa.fee_minor = get_i64(r, i, 3);
        pa.product_cost_minor = get_i64(r, i, 4);
        pa.currency = get_text(r, i, 5);
        pa.status = get_text(r, i, 6);
        pa.promo_code = get_text(r, i, 7);
        pa.utm_content = get_text(r, i, 8);
        pa.platform = get_text(r, i, 9);
        pa.handle = get_text(r, i, 10);
        rc = cb(&pa, payload);
    }
    PQclear(r);
    return rc;
}

/* ---- imports --------------------------------------------------------------------------- */

static cr_err pg_import_find(
    cr_store_backend *be, const char *kind, const char *sha256, int64_t *out_id, int64_t *out_rows)
{
    pg_params p = { 0 };
    PGresult *r;
    cr_err rc;

    p_text(&p, kind);
    p_text(&p, sha256);
    if ((rc = run(&r, (pg_backend *)be, S_IMPORT_FIND, &p, "looking up an import")) < 0)
        return rc;
    if (PQntuples(r) > 0) {
        *out_id = get_i64(r, 0, 0);
        *out_rows = get_i64(r, 0, 1);
    } else {
        rc = CR_ENOTFOUND;
    }
    PQclear(r);
    return rc;
}

static cr_err pg_import_begin(int64_t *out_id, cr_store_backend *be, const cr_import_rec *rec)
{
    pg_params p = { 0 };
    int returned;

    p_text(&p, rec->kind);
    p_text(&p, rec->file);
    p_text(&p, rec->sha256);
    p_i64(&p, rec->started_at ? rec->started_at : cr_now());
    return run_returning_id(out_id, &returned, (pg_backend *)be, S_IMPORT_BEGIN, &p,
                            "recording an import");
}

static cr_err pg_import_finish(
    cr_store_backend *be, int64_t id, const char *sha256, int64_t rows, int64_t rejected)
{
    pg_params p = { 0 };

    p_i64(&p, id);
    p_i64(&p, rows);
    p_i64(&p, rejected);
    p_i64(&p, cr_now());
    p_text(&p, sha256);
    return run_done((pg_backend *)be, S_IMPORT_FINISH, &p, "recording an import");
}

/* ---- web analytics, orders, leads, mentions -------------------------------------------- */

static cr_err pg_web_session_upsert(cr_store_backend *be, const cr_web_session *w)
{
    pg_params p = { 0 };

    p_i64(&p, w->date);
    p_text_or_empty(&p, w->utm_source);
    p_text_or_empty(&p, w->utm_medium);
    p_text_or_empty(&p, w->utm_campaign);
    p_text_or_empty(&p, w->utm_content);
    p_i64(&p, w->sessions > 0 ? w->sessions : 0);
    p_count(&p, w->engaged_sessions);
    p_count(&p, w->duration_seconds);
    p_count(&p, w->conversions);
    p_id(&p, w->import_id);
    return run_done((pg_backend *)be, S_WEB_UPSERT, &p, "saving web sessions");
}

static cr_err pg_order_upsert(cr_store_backend *be, const cr_order *o)
{
    pg_params p = { 0 };

    p_text(&p, o->external_id);
    p_i64(&p, o->created_at);
    p_i64(&p, o->total_minor);
    p_text(&p, o->currency);
    p_text(&p, o->discount_code);
    p_text(&p, o->landing_utm_content);
    p_id(&p, o->import_id);
    return run_done((pg_backend *)be, S_ORDER_UPSERT, &p, "saving an order");
}

static cr_err pg_lead_upsert(cr_store_backend *be, const cr_lead *l)
{
    pg_params p = { 0 };

    p_text(&p, l->external_id);
    p_i64(&p, l->created_at);
    p_text(&p, l->utm_source);
    p_text(&p, l->utm_medium);
    p_text(&p, l->utm_campaign);
    p_text(&p, l->utm_content);
    p_i64(&p, l->qualified != 0);
    p_id(&p, l->import_id);
    return run_done((pg_backend *)be, S_LEAD_UPSERT, &p, "saving a lead");
}

static cr_err pg_mention_upsert(cr_store_backend *be, const cr_mention *m)
{
    pg_params p = { 0 };

    p_i64(&p, m->date);
    p_text(&p, m->source);
    p_text(&p, m->brand);
    p_i64(&p, m->count);
    p_id(&p, m->import_id);
    return run_done((pg_backend *)be, S_MENTION_UPSERT, &p, "saving mentions");
}

/* ---- KPI inputs ------------------------------------------------------------------------ */

/* ---- table counts and checks ----------------------------------------------------------- */

/* One statement counts every table: SELECT (SELECT count(*) FROM workspace), ... */
static cr_err pg_table_counts(cr_store_backend *be, cr_table_count_cb cb, void *payload)
{
    pg_backend *pb = (pg_backend *)be;
    PGresult *r = NULL;
    cr_str sql;
    size_t i;
    cr_err rc;

    if ((rc = flush_pending(pb)) < 0)
        return rc;
    cr_str_init(&sql, 0);
    if (!pb->counts_prepared) {
        rc = cr_str_puts(&sql, "SELECT ");
        for (i = 0; i < cr_schema_ntables && rc == CR_OK; i++)
            rc = cr_str_printf(&sql, "%s(SELECT count(*) FROM %s)", i ? ", " : "",
                               cr_schema_tables[i].name);
        if (rc == CR_OK && (rc = prepare(pb, "crest_counts", cr_str_cstr(&sql),
                                         "preparing the row counts")) == CR_OK)
            pb->counts_prepared = 1;
    }
    if (rc == CR_OK)
        rc = exec_prepared(&r, pb, "crest_counts", 0, NULL, 0, "counting rows");
    if (rc == CR_OK && (PQntuples(r) != 1 || (size_t)PQnfields(r) != cr_schema_ntables))
        rc = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "counting rows: unexpected result");
    for (i = 0; i < cr_schema_ntables && rc == CR_OK; i++)
        rc = cb(cr_schema_tables[i].name, get_i64(r, 0, (int)i), payload);
    PQclear(r);
    cr_str_dispose(&sql);
    return rc;
}

/* ---- accounts and sessions ------------------------------------------------------------- */

static cr_err pg_user_upsert(int64_t *out_id, cr_store_backend *be, const cr_user *u)
{
    pg_params p = { 0 };
    cr_err rc;
    int returned;

    p_text(&p, u->email);
    p_text(&p, u->role);
    p_text(&p, u->password_hash);
    p_i64(&p, u->created_at ? u->created_at : cr_now());
    if ((rc = run_returning_id(out_id, &returned, (pg_backend *)be, S_USER_UPSERT, &p,
                               "saving a user")) < 0)
        return rc;
    if (!returned)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "saving a user: no id returned");
    return CR_OK;
}

/* Call cb for each user row (USER_COLS) of res. */
static cr_err each_user(const PGresult *res, cr_user_cb cb, void *payload)
{
    cr_user u;
    cr_err rc;
    int i;

    for (i = 0; i < PQntuples(res); i++) {
        u.id = get_i64(res, i, 0);
        u.email = get_text(res, i, 1);
        u.role = get_text(res, i, 2);
        u.password_hash = get_text(res, i, 3);
        u.created_at = get_i64(res, i, 4);
        u.disabled = (int)get_i64(res, i, 5);
        if ((rc = cb(&u, payload)) < 0)
            return rc;
    }
    return CR_OK;
}

static cr_err pg_user_find(cr_store_backend *be, const char *email, cr_user_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *res;
    cr_err rc;
    int n;

    p_text(&p, email);
    if ((rc = run(&res, (pg_backend *)be, S_USER_FIND, &p, "reading a user")) < 0)
        return rc;
    n = PQntuples(res);
    rc = each_user(res, cb, payload);
    PQclear(res);
    if (rc == CR_OK && n == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no user %s", email);
    return rc;
}

static cr_err pg_user_list(cr_store_backend *be, cr_user_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *res;
    cr_err rc;

    if ((rc = run(&res, (pg_backend *)be, S_USER_LIST, &p, "reading users")) < 0)
        return rc;
    rc = each_user(res, cb, payload);
    PQclear(res);
    return rc;
}

static cr_err pg_session_create(cr_store_backend *be, const cr_session *se)
{
    pg_params p = { 0 };

    p_text(&p, se->token_hash);
    p_i64(&p, se->user_id);
    p_text(&p, se->csrf);
    p_i64(&p, se->created_at);
    p_i64(&p, se->expires_at);
    return run_done((pg_backend *)be, S_SESSION_CREATE, &p, "saving a session");
}

static cr_err pg_session_find(
    cr_store_backend *be, const char *token_hash, int64_t now, cr_session_cb cb, void *payload)
{
    pg_params p = { 0 };
    PGresult *res;
    cr_session se;
    cr_err rc;

    p_text(&p, token_hash);
    p_i64(&p, now);
    if ((rc = run(&res, (pg_backend *)be, S_SESSION_FIND, &p, "reading a session")) < 0)
        return rc;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no such session, or it expired");
    }
    se.token_hash = get_text(res, 0, 0);
    se.user_id = get_i64(res, 0, 1);
    se.csrf = get_text(res, 0, 2);
    se.created_at = get_i64(res, 0, 3);
    se.expires_at = get_i64(res, 0, 4);
    se.email = get_text(res, 0, 5);
    se.role = get_text(res, 0, 6);
    rc = cb(&se, payload);
    PQclear(res);
    return rc;
}

static cr_err pg_session_delete(cr_store_backend *be, const char *token_hash)
{
    pg_params p = { 0 };

    p_text(&p, token_hash);
    return run_done((pg_backend *)be, S_SESSION_DELETE, &p, "removing a session");
}

static cr_err pg_session_purge(cr_store_backend *be, int64_t now)
{
    return exec_id((pg_backend *)be, S_SESSION_PURGE, now, "removing expired sessions");
}

/* PostgreSQL checks its pages itself, so there is no "integrity" to report; the references
 * are checked by an anti-join per foreign key, each missing parent reported as SQLite's
 * foreign_key_check reports it. */
static cr_err pg_check(cr_store_backend *be, cr_check_cb cb, void *payload)
{
    pg_backend *pb = (pg_backend *)be;
    char sql[512], detail[512];
    PGresult *r;
    size_t k;
    int i;
    cr_err rc;

    if ((rc = flush_pending(pb)) < 0)
        return rc;
    for (k = 0; k < sizeof(pg_fks) / sizeof(pg_fks[0]) && rc == CR_OK; k++) {
        const struct pg_fk *fk = &pg_fks[k];
        snprintf(sql, sizeof(sql),
                 "SELECT %s FROM %s c WHERE c.%s IS NOT NULL"
                 " AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.id = c.%s) ORDER BY 1",
                 fk->has_id ? "c.id" : "0", fk->table, fk->column, fk->parent, fk->column);
        r = PQexec(pb->conn, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = pg_fail(pb, r, "checking references");
            PQclear(r);
            return rc;
        }
        for (i = 0; i < PQntuples(r) && rc == CR_OK; i++) {
            snprintf(detail, sizeof(detail), "%s row %lld refers to a missing %s row", fk->table,
                     (long long)get_i64(r, i, 0), fk->parent);
            rc = cb("foreign_key", detail, payload);
        }
        PQclear(r);
    }
    return rc;
}

/* ---- whole tables ---------------------------------------------------------------------- */

static int col_type(const cr_schema_table *t, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++)
        if (strlen(t->columns[i].name) == len && strncmp(t->columns[i].name, name, len) == 0)
            return t->columns[i].type;
    return 0;
}

/* 1 when name is one of the key columns of t (its order_by list). */
static int in_key(const cr_schema_table *t, const char *name)
{
    const char *p = t->order_by;
    size_t len = strlen(name);

    while (*p) {
        size_t n;
        p += strspn(p, ", ");
        n = strcspn(p, ", ");
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

/* The key columns of t ("post_id, captured_at") for ORDER BY, text in byte order as SQLite
 * sorts it: the same rows in the same order give the same digest on both. */
static cr_err put_order_by(cr_str *sql, const cr_schema_table *t)
{
    const char *p = t->order_by;
    cr_err rc = CR_OK;
    int first = 1;

    while (*p && rc == CR_OK) {
        size_t n;
        p += strspn(p, ", ");
        n = strcspn(p, ", ");
        if (n == 0)
            break;
        rc = cr_str_printf(sql, "%s%.*s%s", first ? "" : ", ", (int)n, p,
                           col_type(t, p, n) == 'T' ? " COLLATE \"C\"" : "");
        first = 0;
        p += n;
    }
    return rc;
}

static cr_err put_columns(cr_str *sql, const cr_schema_table *t)
{
    size_t i;
    cr_err rc = CR_OK;

    for (i = 0; i < t->ncolumns && rc == CR_OK; i++)
        rc = cr_str_printf(sql, "%s%s", i ? ", " : "", t->columns[i].name);
    return rc;
}

static cr_err rows_to_cb(const PGresult *r, const cr_schema_table *t, cr_row_cb cb, void *payload)
{
    cr_value vals[COLS_MAX];
    size_t c;
    int i;
    cr_err rc = CR_OK;

    for (i = 0; i < PQntuples(r) && rc == CR_OK; i++) {
        for (c = 0; c < t->ncolumns; c++) {
            cr_value *v = &vals[c];
            memset(v, 0, sizeof(*v));
            if (PQgetisnull(r, i, (int)c)) {
                v->type = 'N';
            } else if (t->columns[c].type == 'I') {
                v->type = 'I';
                v->i = get_i64(r, i, (int)c);
            } else if (t->columns[c].type == 'R') {
                v->type = 'R';
                v->d = get_real(r, i, (int)c);
            } else {
                v->type = 'T';
                v->s = PQgetvalue(r, i, (int)c);
                v->len = (size_t)PQgetlength(r, i, (int)c);
            }
        }
        rc = cb(vals, t->ncolumns, payload);
    }
    return rc;
}

/* A table of any size, read through a cursor READ_BATCH rows at a time, so memory stays flat
 * and the callback may take its time (write the rows into another store). Outside a
 * transaction the cursor gets one of its own, which also gives the read one snapshot. */
static cr_err pg_table_read(cr_store_backend *be, const char *table, cr_row_cb cb, void *payload)
{
    pg_backend *pb = (pg_backend *)be;
    const cr_schema_table *t = cr_schema_table_find(table);
    char cursor[32], fetch[64], close_sql[64];
    PGresult *r;
    cr_str sql;
    int own = 0, open = 0, n;
    cr_err rc;

    if (t == NULL || t->ncolumns > COLS_MAX)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "no table '%s'", table);
    if ((rc = flush_pending(pb)) < 0)
        return rc;
    snprintf(cursor, sizeof(cursor), "crest_read_%d", pb->cursors);
    snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", READ_BATCH, cursor);
    snprintf(close_sql, sizeof(close_sql), "CLOSE %s", cursor);
    cr_str_init(&sql, 0);
    rc = cr_str_printf(&sql, "DECLARE %s NO SCROLL CURSOR FOR SELECT ", cursor);
    if (rc == CR_OK)
        rc = put_columns(&sql, t);
    if (rc == CR_OK)
        rc = cr_str_printf(&sql, " FROM %s ORDER BY ", t->name);
    if (rc == CR_OK)
        rc = put_order_by(&sql, t);
    if (rc < 0)
        goto done;
    if (PQtransactionStatus(pb->conn) == PQTRANS_IDLE) {
        if ((rc = pg_exec(pb, "BEGIN", "reading a table")) < 0)
            goto done;
        own = 1;
    }
    if ((rc = pg_exec(pb, cr_str_cstr(&sql), "reading a table")) < 0)
        goto done;
    open = 1;
    pb->cursors++;
    do {
        r = PQexec(pb->conn, fetch);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = pg_fail(pb, r, "reading a table");
            PQclear(r);
            goto done;
        }
        n = PQntuples(r);
        rc = rows_to_cb(r, t, cb, payload);
        PQclear(r);
    } while (rc == CR_OK && n == READ_BATCH);
done:
    if (open) {
        pb->cursors--;
        if (!own && PQtransactionStatus(pb->conn) == PQTRANS_INTRANS)
            PQclear(PQexec(pb->conn, close_sql));
    }
    if (own) {
        cr_err crc = pg_exec(pb, rc == CR_OK ? "COMMIT" : "ROLLBACK", "reading a table");
        if (rc == CR_OK)
            rc = crc;
    }
    cr_str_dispose(&sql);
    return rc;
}

/* One value as an element of an array literal: NULL, a number, or quoted text. */
static cr_err put_array_value(cr_str *s, const cr_value *v)
{
    const char *p, *end;
    cr_err rc;

    switch (v->type) {
    case 'I':
        return cr_str_printf(s, "%lld", (long long)v->i);
    case 'R':
        if (isnan(v->d))
            return cr_str_puts(s, "NaN");
        if (isinf(v->d))
            return cr_str_puts(s, v->d > 0 ? "Infinity" : "-Infinity");
        return cr_str_printf(s, "%.17g", v->d);
    case 'T':
        rc = cr_str_putc(s, '"');
        for (p = v->s, end = v->s + v->len; p < end && rc == CR_OK; p++) {
            if (*p == '"' || *p == '\\')
                rc = cr_str_putc(s, '\\');
            if (rc == CR_OK)
                rc = cr_str_putc(s, *p);
        }
        return rc == CR_OK ? cr_str_putc(s, '"') : rc;
    default:
        return cr_str_puts(s, "NULL");
    }
}

/* The write of table t: its rows come as one array per column, unnested; the row with the
 * same key is overwritten (the workspace a new store starts with). */
static cr_err table_write_sql(cr_str *sql, const cr_schema_table *t)
{
    size_t i, n;
    cr_err rc = cr_str_printf(sql, "INSERT INTO %s AS t (", t->name);

    if (rc == CR_OK)
        rc = put_columns(sql, t);
    if (rc == CR_OK)
        rc = cr_str_puts(sql, ") SELECT * FROM unnest(");
    for (i = 0; i < t->ncolumns && rc == CR_OK; i++)
        rc = cr_str_printf(sql, "%s$%zu::%s[]", i ? ", " : "", i + 1,
                           t->columns[i].type == 'I'   ? "bigint"
                           : t->columns[i].type == 'R' ? "double precision"
                                                       : "text");
    if (rc == CR_OK)
        rc = cr_str_printf(sql, ") ON CONFLICT (%s) DO ", t->order_by);
    for (i = 0, n = 0; i < t->ncolumns && rc == CR_OK; i++) {
        const char *name = t->columns[i].name;
        if (in_key(t, name))
            continue;
        rc = cr_str_printf(sql, "%s%s = EXCLUDED.%s", n++ ? ", " : "UPDATE SET ", name, name);
    }
    if (rc == CR_OK && n == 0)
        rc = cr_str_puts(sql, "NOTHING");
    return rc;
}

static cr_err tw_flush(pg_backend *pb)
{
    const cr_schema_table *t = pb->tw_table;
    size_t ti = (size_t)(t - cr_schema_tables), c;
    PGresult *res = NULL;
    char name[32];
    cr_str sql;
    cr_err rc = CR_OK;

    if (pb->ntw == 0 || t == NULL)
        return CR_OK;
    snprintf(name, sizeof(name), "crest_tw_%zu", ti);
    cr_str_init(&sql, 0);
    if (!pb->tw_prepared[ti]) {
        if ((rc = table_write_sql(&sql, t)) == CR_OK &&
            (rc = prepare(pb, name, cr_str_cstr(&sql), "preparing a table write")) == CR_OK)
            pb->tw_prepared[ti] = 1;
    }
    for (c = 0; c < t->ncolumns && rc == CR_OK; c++)
        rc = cr_str_putc(&pb->twcols[c], '}');
    if (rc == CR_OK) {
        const char *vals[COLS_MAX];
        for (c = 0; c < t->ncolumns; c++)
            vals[c] = cr_str_cstr(&pb->twcols[c]);
        rc = exec_prepared(&res, pb, name, (int)t->ncolumns, vals, 0, "writing a table");
        PQclear(res);
    }
    for (c = 0; c < COLS_MAX; c++)
        cr_str_clear(&pb->twcols[c]);
    pb->ntw = 0;
    pb->tw_table = NULL;
    cr_str_dispose(&sql);
    return rc;
}

/* Rows wait per table and go TW_BATCH at a time (one at a time outside a transaction). A
 * copy reads each key once, so a batch never holds a key twice. */
static cr_err pg_table_write(cr_store_backend *be, const char *table, const cr_value *vals)
{
    pg_backend *pb = (pg_backend *)be;
    const cr_schema_table *t = cr_schema_table_find(table);
    size_t c;
    cr_err rc = CR_OK;

    if (t == NULL || t->ncolumns > COLS_MAX || (size_t)(t - cr_schema_tables) >= TABLES_MAX)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "no table '%s'", table);
    if (pb->nmbuf > 0 && (rc = metric_flush(pb)) < 0)
        return rc;
    if (pb->ncbuf > 0 && (rc = copy_flush(pb)) < 0)
        return rc;
    if (pb->ntw > 0 && pb->tw_table != t && (rc = tw_flush(pb)) < 0)
        return rc;
    pb->tw_table = t;
    for (c = 0; c < t->ncolumns && rc == CR_OK; c++) {
        rc = cr_str_putc(&pb->twcols[c], pb->ntw ? ',' : '{');
        if (rc == CR_OK)
            rc = put_array_value(&pb->twcols[c], &vals[c]);
    }
    if (rc < 0) {
        discard_pending(pb);
        return rc;
    }
    pb->ntw++;
    if (!pb->in_tx || pb->ntw >= TW_BATCH)
        return tw_flush(pb);
    return CR_OK;
}

/* Identity sequences continue after the largest id written (or at 1 in an empty table),
 * as SQLite's INTEGER PRIMARY KEY does by itself. */
static cr_err pg_copy_finish(cr_store_backend *be)
{
    pg_backend *pb = (pg_backend *)be;
    char sql[256];
    size_t i;
    cr_err rc;

    if ((rc = flush_pending(pb)) < 0)
        return rc;
    for (i = 0; i < cr_schema_ntables && rc == CR_OK; i++) {
        const char *t = cr_schema_tables[i].name;
        if (!cr_schema_tables[i].serial_id)
            continue;
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
                 " coalesce((SELECT max(id) FROM %s), 0) + 1, false)",
                 t, t);
        rc = pg_exec(pb, sql, "moving an id sequence");
    }
    return rc;
}

/* ---- the backend ----------------------------------------------------------------------- */

/* ---- the portable layer's statements -------------------------------------------------- */

/* ?N placeholders become $N (the portable SQL never has '?' inside its string literals). */
static cr_err dollar_params(cr_str *out, const char *sql)
{
    cr_err rc = CR_OK;
    const char *p;

    for (p = sql; *p && rc == CR_OK; p++)
        rc = cr_str_putc(out, *p == '?' ? '$' : *p);
    return rc;
}

/* One result cell as a value: integers, reals (numeric sums too) and text. */
static void pg_cell(cr_value *v, const PGresult *r, int row, int col)
{
    const char *s = PQgetvalue(r, row, col);

    memset(v, 0, sizeof(*v));
    if (PQgetisnull(r, row, col)) {
        v->type = 'N';
        return;
    }
    switch (PQftype(r, col)) {
    case 20: /* int8 */
    case 21: /* int2 */
    case 23: /* int4 */
        v->type = 'I';
        v->i = strtoll(s, NULL, 10);
        return;
    case 16: /* bool */
        v->type = 'I';
        v->i = s[0] == 't';
        return;
    case 700: /* float4 */
    case 701: /* float8 */
        v->type = 'R';
        v->d = strtod(s, NULL);
        return;
    case 1700: /* numeric: sum() of bigint */
        if (strpbrk(s, ".eEN") == NULL) {
            v->type = 'I';
            v->i = strtoll(s, NULL, 10);
        } else {
            v->type = 'R';
            v->d = strtod(s, NULL);
        }
        return;
    default:
        v->type = 'T';
        v->s = s;
        v->len = (size_t)PQgetlength(r, row, col);
    }
}

static cr_err pg_query(cr_store_backend *be,
                       const char *sql,
                       const cr_value *params,
                       size_t nparams,
                       cr_row_cb cb,
                       void *payload)
{
    pg_backend *pb = (pg_backend *)be;
    const char *vals[QUERY_PARAMS];
    char nums[QUERY_PARAMS][40];
    char name[16], *texts[QUERY_PARAMS];
    cr_value cells[48];
    PGresult *res = NULL;
    cr_str text;
    int i, q, rows, cols, row;
    cr_err rc;

    if (nparams > QUERY_PARAMS)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "too many parameters");
    if ((rc = flush_pending(pb)) < 0)
        return rc;
    for (q = 0; q < pb->nq && pb->qsql[q] != sql; q++)
        ;
    snprintf(name, sizeof(name), "q%d", q);
    if (q == pb->nq) {
        if (q == QUERY_CACHE)
            return cr_error_set(CR_ERROR, CR_ERRCLASS_STORE, "too many portable statements");
        cr_str_init(&text, 0);
        rc = dollar_params(&text, sql);
        if (rc == CR_OK)
            rc = prepare(pb, name, cr_str_cstr(&text), "preparing a statement");
        cr_str_dispose(&text);
        if (rc < 0)
            return rc;
        pb->qsql[pb->nq++] = sql;
    }
    memset(texts, 0, sizeof(texts));
    for (i = 0; i < (int)nparams; i++) {
        const cr_value *v = &params[i];
        vals[i] = NULL;
        if (v->type == 'I') {
            snprintf(nums[i], sizeof(nums[i]), "%lld", (long long)v->i);
            vals[i] = nums[i];
        } else if (v->type == 'R') {
            snprintf(nums[i], sizeof(nums[i]), "%.17g", v->d);
            vals[i] = nums[i];
        } else if (v->type == 'T' && v->s != NULL) {
            if ((texts[i] = cr_malloc(v->len + 1)) == NULL) {
                rc = cr_error_oom();
                goto done;
            }
            memcpy(texts[i], v->s, v->len);
            texts[i][v->len] = '\0';
            vals[i] = texts[i];
        }
    }
    if ((rc = exec_prepared(&res, pb, name, (int)nparams, vals, cb == NULL,
                            "running a statement")) < 0)
        goto done;
    rows = PQntuples(res);
    cols = PQnfields(res);
    if (cols > (int)(sizeof(cells) / sizeof(cells[0])))
        cols = (int)(sizeof(cells) / sizeof(cells[0]));
    for (row = 0; cb != NULL && row < rows; row++) {
        for (i = 0; i < cols; i++)
            pg_cell(&cells[i], res, row, i);
        if ((rc = cb(cells, (size_t)cols, payload)) < 0)
            break;
    }
done:
    PQclear(res);
    for (i = 0; i < (int)nparams; i++)
        cr_free(texts[i]);
    return rc;
}

static void pg_free_backend(cr_store_backend *be)
{
    pg_backend *pb = (pg_backend *)be;
    int i;

    if (pb == NULL)
        return;
    if (pb->conn) {
        if (PQstatus(pb->conn) == CONNECTION_OK && PQtransactionStatus(pb->conn) != PQTRANS_IDLE)
            PQclear(PQexec(pb->conn, "ROLLBACK"));
        PQfinish(pb->conn);
    }
    for (i = 0; i < COLS_MAX; i++)
        cr_str_dispose(&pb->twcols[i]);
    cr_free(pb->cbuf);
    cr_free(pb->cslot);
    cr_free(pb->url);
    cr_free(pb);
}

cr_err cr_store_pg_new(cr_store_backend **out)
{
    pg_backend *pb = cr_calloc(1, sizeof(*pb));
    int i;

    *out = NULL;
    if (pb == NULL)
        return cr_error_oom();
    for (i = 0; i < COLS_MAX; i++)
        cr_str_init(&pb->twcols[i], 0);
    /* buffered bulk metrics wait for a statement that reads or writes post_metric, or that
     * deletes (a cascade might reach it) */
    for (i = 0; i < S__COUNT; i++)
        pb->stmt_metrics[i] =
            strstr(stmt_sql[i], "post_metric") != NULL || strncmp(stmt_sql[i], "DELETE", 6) == 0;
    pb->parent.version = CR_STORE_BACKEND_VERSION;
    pb->parent.name = "postgres";
    pb->parent.open = pg_open;
    pb->parent.tx = pg_tx;
    pb->parent.creator_upsert = pg_creator_upsert;
    pb->parent.creator_find = pg_creator_find;
    pb->parent.creator_get = pg_creator_get;
    pb->parent.creator_list = pg_creator_list;
    pb->parent.creator_stats = pg_creator_stats;
    pb->parent.snapshot_upsert = pg_snapshot_upsert;
    pb->parent.post_upsert = pg_post_upsert;
    pb->parent.post_find = pg_post_find;
    pb->parent.post_list = pg_post_list;
    pb->parent.metric_upsert = pg_metric_upsert;
    pb->parent.comment_upsert = pg_comment_upsert;
    pb->parent.campaign_upsert = pg_campaign_upsert;
    pb->parent.campaign_kpi_upsert = pg_campaign_kpi_upsert;
    pb->parent.partnership_upsert = pg_partnership_upsert;
    pb->parent.import_find = pg_import_find;
    pb->parent.import_begin = pg_import_begin;
    pb->parent.import_finish = pg_import_finish;
    pb->parent.table_counts = pg_table_counts;
    pb->parent.check = pg_check;
    pb->parent.campaign_get = pg_campaign_get;
    pb->parent.campaign_find = pg_campaign_find;
    pb->parent.campaign_list = pg_campaign_list;
    pb->parent.campaign_kpi_list = pg_campaign_kpi_list;
    pb->parent.campaign_kpi_clear = pg_campaign_kpi_clear;
    pb->parent.partnership_list = pg_partnership_list;
    pb->parent.partnership_delete = pg_partnership_delete;
    pb->parent.web_session_upsert = pg_web_session_upsert;
    pb->parent.order_upsert = pg_order_upsert;
    pb->parent.lead_upsert = pg_lead_upsert;
    pb->parent.mention_upsert = pg_mention_upsert;
    pb->parent.table_read = pg_table_read;
    pb->parent.table_write = pg_table_write;
    pb->parent.copy_finish = pg_copy_finish;
    pb->parent.free = pg_free_backend;
    pb->parent.query = pg_query;
    pb->parent.user_upsert = pg_user_upsert;
    pb->parent.user_find = pg_user_find;
    pb->parent.user_list = pg_user_list;
    pb->parent.session_create = pg_session_create;
    pb->parent.session_find = pg_session_find;
    pb->parent.session_delete = pg_session_delete;
    pb->parent.session_purge = pg_session_purge;
    *out = &pb->parent;
    return CR_OK;
}
