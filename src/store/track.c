/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * track.c - the tracking layer of the store, written once for every backend: derived tables
 * (post rollups, day-grain metric history), attribution of sessions, leads and orders to
 * posts and partnerships, the reads reports are made of, KPI input sums, workspace settings
 * and table exports. The SQL is standard (UPDATE ... SET (a, b) = (SELECT ...), correlated
 * subqueries, UNION ALL) and goes through each backend's query(); parameters are cast where
 * PostgreSQL would otherwise guess their type. The two places where the dialects differ
 * (latest row per group, temporary tables, text ordering) pick their variant by backend.
 *
 * Attribution rules (docs/attribution.md):
 * - a session or lead with a utm_content goes to the latest post carrying that utm_content
 *   published before it, when it falls inside the post's window (its campaign's
 *   attribution_window_days, else 30 days) - a partner's utm_content counts only for that
 *   partner's posts -; else to the partnership with that utm_content
 *   whose campaign (extended by the window) covers it; else it is unattributed, with why;
 * - an order with a partner's discount code goes to that partnership (campaign period plus
 *   window) and to its latest post inside the window, if any; else by its landing
 *   utm_content as a session; else unattributed, with why.
 * Every unit points at one post or one partnership, never at several. */
#include <stdio.h>
#include <string.h>

#include "crest/kpi.h"
#include "store/portable.h"
#include "store/schema.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

#define DEFAULT_WINDOW_DAYS 30
#define TOUCH_BATCH         64

/* ---- touched posts ------------------------------------------------------------------------ */

static cr_err touch(cr_store *st, int64_t post_id)
{
    if (st->ntouched > 0 && st->touched[st->ntouched - 1] == post_id)
        return CR_OK;
    if (st->ntouched == st->touched_cap) {
        size_t cap = st->touched_cap ? st->touched_cap * 2 : 256;
        int64_t *n = cr_realloc(st->touched, cap * sizeof(*n));
        if (n == NULL)
            return cr_error_oom();
        st->touched = n;
        st->touched_cap = cap;
    }
    st->touched[st->ntouched++] = post_id;
    return CR_OK;
}

/* Keep the derived rows of each metric as the store keeps the metric: a later capture
 * replaces the day's (and the post's) latest, the same capture merges known values. */
#define SET_METRIC(t, col)                                                                      \
    " " col " = CASE WHEN excluded.captured_at = " t ".captured_at THEN coalesce(excluded." col \
    ", " t "." col ") ELSE excluded." col " END"
#define SET_METRICS(t)                                                                                          \
    SET_METRIC(t, "impressions")                                                                                \
    "," SET_METRIC(t, "reach") "," SET_METRIC(t, "views") "," SET_METRIC(t, "likes") "," SET_METRIC(            \
        t,                                                                                                      \
        "comments") "," SET_METRIC(t,                                                                           \
                                   "shares") "," SET_METRIC(t,                                                  \
                                                            "saves") "," SET_METRIC(t,                          \
                                                                                    "clicks") "," SET_METRIC(t, \
                                                                                                             "watch_seconds")
#define METRIC_VALUES \
    PI(4) ", " PI(5) ", " PI(6) ", " PI(7) ", " PI(8) ", " PI(9) ", " PI(10) ", " PI(11) ", " PI(12)

static const char sql_day_upsert[] =
    "INSERT INTO metric_day (post_id, date, captured_at, impressions, reach, views, likes,"
    " comments, shares, saves, clicks, watch_seconds) VALUES (" PI(1) ", " PI(2) ", " PI(
        3) ", " METRIC_VALUES
           ") ON CONFLICT (post_id, date) DO UPDATE SET" SET_METRICS(
               "metric_day") ", captured_at = excluded.captured_at WHERE excluded.captured_at >= "
                             "metric_day.captured_at";
static const char sql_latest_upsert[] =
    "INSERT INTO post_rollup (post_id, import_id, captured_at, impressions, reach, views, likes,"
    " comments, shares, saves, clicks, watch_seconds) VALUES (" PI(1) ", " PI(2) ", " PI(
        3) ", " METRIC_VALUES
           ") ON CONFLICT (post_id) DO UPDATE SET" SET_METRICS(
               "post_rollup") ", import_id = CASE WHEN excluded.captured_at = "
                              "post_rollup.captured_at THEN"
                              " coalesce(excluded.import_id, post_rollup.import_id) ELSE "
                              "excluded.import_id END,"
                              " captured_at = excluded.captured_at"
                              " WHERE post_rollup.captured_at IS NULL OR excluded.captured_at >= "
                              "post_rollup.captured_at";

static cr_value v_count(int64_t c)
{
    cr_value v = v_int(c);

    if (c == CR_COUNT_NONE)
        v.type = 'N';
    return v;
}

static cr_err emit(cr_store *st, const char *sql, const cr_metric *m, int64_t second)
{
    cr_value p[12] = { v_int(m->post_id),       v_int(second),        v_int(m->captured_at),
                       v_count(m->impressions), v_count(m->reach),    v_count(m->views),
                       v_count(m->likes),       v_count(m->comments), v_count(m->shares),
                       v_count(m->saves),       v_count(m->clicks),   v_count(m->watch_seconds) };

    if (second == 0 && sql == sql_latest_upsert)
        p[1].type = 'N'; /* no import */
    return run(st, sql, p, 12);
}

/* The latest of two snapshots of the same key, merged as the store merges equal keys. */
static void merge(cr_metric *into, const cr_metric *m)
{
    cr_metric old = *into;

    if (m->captured_at < into->captured_at)
        return;
    *into = *m;
    if (m->captured_at != old.captured_at)
        return;
#define KEEP(f)                   \
    if (into->f == CR_COUNT_NONE) \
    into->f = old.f
    KEEP(impressions);
    KEEP(reach);
    KEEP(views);
    KEEP(likes);
    KEEP(comments);
    KEEP(shares);
    KEEP(saves);
    KEEP(clicks);
    KEEP(watch_seconds);
#undef KEEP
    if (into->import_id == 0)
        into->import_id = old.import_id;
}

cr_err cr_store__flush_derived(cr_store *st)
{
    cr_err rc = CR_OK;

    if (st->has_post) {
        st->has_post = 0;
        rc = emit(st, sql_latest_upsert, &st->post_pend, st->post_pend.import_id);
    }
    if (st->has_day && rc == CR_OK) {
        st->has_day = 0;
        rc = emit(st, sql_day_upsert, &st->day_pend, (st->day_pend.captured_at / 86400) * 86400);
    }
    return rc;
}

void cr_store__drop_derived(cr_store *st)
{
    st->has_day = st->has_post = 0;
}

cr_err cr_store__metric_written(cr_store *st, const cr_metric *m)
{
    cr_err rc;

    if (!st->incremental)
        return touch(st, m->post_id);
    if (st->has_day && (st->day_pend.post_id != m->post_id ||
                        st->day_pend.captured_at / 86400 != m->captured_at / 86400)) {
        st->has_day = 0;
        if ((rc = emit(st, sql_day_upsert, &st->day_pend,
                       (st->day_pend.captured_at / 86400) * 86400)) < 0)
            return rc;
    }
    if (st->has_post && st->post_pend.post_id != m->post_id) {
        st->has_post = 0;
        if ((rc = emit(st, sql_latest_upsert, &st->post_pend, st->post_pend.import_id)) < 0)
            return rc;
    }
    if (st->has_day)
        merge(&st->day_pend, m);
    else
        st->day_pend = *m;
    if (st->has_post)
        merge(&st->post_pend, m);
    else
        st->post_pend = *m;
    st->has_day = st->has_post = 1;
    return st->in_tx ? CR_OK : cr_store__flush_derived(st);
}

static const char sql_touch_create_sqlite[] =
    "CREATE TEMP TABLE IF NOT EXISTS crest_touched (post_id INTEGER PRIMARY KEY)";
static const char sql_touch_create_pg[] =
    "CREATE TEMP TABLE IF NOT EXISTS crest_touched (post_id bigint PRIMARY KEY)";
static const char sql_touch_clear[] = "DELETE FROM crest_touched";
static const char sql_touch_all[] = "INSERT INTO crest_touched (post_id) SELECT id FROM post";
static char sql_touch_batch[TOUCH_BATCH * 24 + 128];

static const char *touch_batch_sql(void)
{
    size_t i, o;

    if (sql_touch_batch[0] != '\0')
        return sql_touch_batch;
    o = (size_t)snprintf(sql_touch_batch, sizeof(sql_touch_batch),
                         "INSERT INTO crest_touched (post_id) VALUES ");
    for (i = 1; i <= TOUCH_BATCH; i++)
        o += (size_t)snprintf(sql_touch_batch + o, sizeof(sql_touch_batch) - o,
                              "%s(CAST(?%zu AS BIGINT))", i > 1 ? ", " : "", i);
    snprintf(sql_touch_batch + o, sizeof(sql_touch_batch) - o, " ON CONFLICT DO NOTHING");
    return sql_touch_batch;
}

/* Fill crest_touched with the posts to re-derive. */
static cr_err touch_table(cr_store *st, int full)
{
    cr_value p[TOUCH_BATCH];
    size_t i, j;
    cr_err rc;

    if ((rc = run(st, is_pg(st) ? sql_touch_create_pg : sql_touch_create_sqlite, NULL, 0)) < 0 ||
        (rc = run(st, sql_touch_clear, NULL, 0)) < 0)
        return rc;
    if (full)
        return run(st, sql_touch_all, NULL, 0);
    for (i = 0; i < st->ntouched; i += TOUCH_BATCH) {
        for (j = 0; j < TOUCH_BATCH; j++) /* the last batch repeats its last id */
            p[j] = v_int(st->touched[i + j < st->ntouched ? i + j : st->ntouched - 1]);
        if ((rc = run(st, touch_batch_sql(), p, TOUCH_BATCH)) < 0)
            return rc;
    }
    return CR_OK;
}

/* ---- refresh ------------------------------------------------------------------------------ */

#define METRIC_LIST \
    "impressions, reach, views, likes, comments, shares, saves, clicks, watch_seconds"

static const char sql_rollup_new[] =
    "INSERT INTO post_rollup (post_id) SELECT p.id FROM post p"
    " WHERE NOT EXISTS (SELECT 1 FROM post_rollup r WHERE r.post_id = p.id)";

static const char sql_rollup_latest[] =
    "UPDATE post_rollup SET (captured_at, import_id, " METRIC_LIST ") ="
    " (SELECT m.captured_at, m.import_id, m.impressions, m.reach, m.views, m.likes, m.comments,"
    "   m.shares, m.saves, m.clicks, m.watch_seconds FROM post_metric m"
    "   WHERE m.post_id = post_rollup.post_id ORDER BY m.captured_at DESC LIMIT 1)"
    " WHERE post_id IN (SELECT post_id FROM crest_touched)";

static const char sql_days_clear[] =
    "DELETE FROM metric_day WHERE post_id IN (SELECT post_id FROM crest_touched)";
static const char sql_days_clear_all[] = "DELETE FROM metric_day";

/* The latest snapshot of each post and day. SQLite returns the other columns of the row
 * that holds max(); PostgreSQL says it with DISTINCT ON. */
static const char sql_days_sqlite[] =
    "INSERT INTO metric_day (post_id, date, captured_at, " METRIC_LIST ")"
    " SELECT post_id, (captured_at / 86400) * 86400, max(captured_at), " METRIC_LIST
    " FROM post_metric WHERE post_id IN (SELECT post_id FROM crest_touched)"
    " GROUP BY post_id, captured_at / 86400";
static const char sql_days_sqlite_all[] =
    "INSERT INTO metric_day (post_id, date, captured_at, " METRIC_LIST ")"
    " SELECT post_id, (captured_at / 86400) * 86400, max(captured_at), " METRIC_LIST
    " FROM post_metric GROUP BY post_id, captured_at / 86400";
static const char sql_days_pg[] =
    "INSERT INTO metric_day (post_id, date, captured_at, " METRIC_LIST ")"
    " SELECT DISTINCT ON (post_id, captured_at / 86400) post_id, (captured_at / 86400) * 86400,"
    " captured_at, " METRIC_LIST " FROM post_metric"
    " WHERE post_id IN (SELECT post_id FROM crest_touched)"
    " ORDER BY post_id, captured_at / 86400, captured_at DESC";
static const char sql_days_pg_all[] =
    "INSERT INTO metric_day (post_id, date, captured_at, " METRIC_LIST ")"
    " SELECT DISTINCT ON (post_id, captured_at / 86400) post_id, (captured_at / 86400) * 86400,"
    " captured_at, " METRIC_LIST " FROM post_metric"
    " ORDER BY post_id, captured_at / 86400, captured_at DESC";

/* The partnership that gets a post's attributed units: its own, or else the one (of the
 * same creator) whose utm_content it carries - one whose campaign ran when it was posted
 * first, then the latest campaign, then the partnership that claimed the utm_content first.
 * (A post can still count for several campaigns: see POST_IN_CAMPAIGN.) */
static const char sql_rollup_partnership[] =
    "UPDATE post_rollup SET partnership_id = (SELECT coalesce(p.partnership_id,"
    "   (SELECT pa.id FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id"
    "    WHERE pa.creator_id = p.creator_id AND pa.utm_content = p.utm_content"
    "    AND p.posted_at >= c.start_date AND p.posted_at < c.end_date + 86400"
    "    ORDER BY c.start_date DESC, pa.id LIMIT 1),"
    "   (SELECT pa.id FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id"
    "    WHERE pa.creator_id = p.creator_id AND pa.utm_content = p.utm_content"
    "    ORDER BY c.start_date DESC, pa.id LIMIT 1))"
    " FROM post p WHERE p.id = post_rollup.post_id)";

/* The latest post with this utm_content published before time T whose window holds T:
 * T_START..T_END is the unit's time span (a day for sessions, an instant otherwise). */
#define POST_BY_UTM(utm, t_start, t_end)                                       \
    "(SELECT p.id FROM post p JOIN post_rollup r ON r.post_id = p.id"          \
    " LEFT JOIN partnership pa ON pa.id = r.partnership_id"                    \
    " LEFT JOIN campaign c ON c.id = pa.campaign_id"                           \
    " WHERE p.utm_content = " utm " AND p.posted_at <= " t_end " AND " t_start \
    "   < p.posted_at + 86400 * coalesce(c.attribution_window_days, " PI(      \
        1) ")" /* a partner's link counts for that partner's posts only */     \
           " AND (pa.utm_content = " utm " OR NOT EXISTS"                      \
           "   (SELECT 1 FROM partnership x WHERE x.utm_content = " utm "))"   \
           " ORDER BY p.posted_at DESC, p.id DESC LIMIT 1)"
/* The partnership with this utm_content whose campaign, extended by its window, holds T. */
#define PARTNERSHIP_BY_UTM(utm, t)                                               \
    "(SELECT pa.id FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id" \
    " WHERE pa.utm_content = " utm " AND " t " >= c.start_date"                  \
    "   AND " t " < c.end_date + 86400 * (1 + c.attribution_window_days)"        \
    " ORDER BY c.start_date DESC, pa.id DESC LIMIT 1)"
#define KNOWN_UTM(utm)                                             \
    "(EXISTS (SELECT 1 FROM post p WHERE p.utm_content = " utm ")" \
    " OR EXISTS (SELECT 1 FROM partnership pa WHERE pa.utm_content = " utm "))"

static const char sql_sessions_post[] = "UPDATE web_session SET post_id = " POST_BY_UTM(
    "web_session.utm_content", "web_session.date", "web_session.date + 86399") " WHERE "
                                                                               "utm_content"
                                                                               " != ''";
static const char sql_sessions_partnership[] =
    "UPDATE web_session SET partnership_id = CASE WHEN post_id IS NOT NULL THEN"
    " (SELECT r.partnership_id FROM post_rollup r WHERE r.post_id = web_session.post_id)"
    " ELSE " PARTNERSHIP_BY_UTM("web_session.utm_content", "web_session.date") " END";
static const char sql_sessions_reason[] =
    "UPDATE web_session SET"
    " attribution = CASE WHEN post_id IS NOT NULL OR partnership_id IS NOT NULL THEN 'utm' END,"
    " unattributed = CASE WHEN post_id IS NOT NULL OR partnership_id IS NOT NULL THEN NULL"
    "   WHEN utm_content = '' THEN 'no utm_content'"
    "   WHEN " KNOWN_UTM("web_session.utm_content") " THEN 'outside the attribution window'"
                                                    "   ELSE 'unknown utm_content' END";

static const char sql_leads_post[] =
    "UPDATE lead SET post_id = CASE WHEN coalesce(utm_content, '') = '' THEN NULL "
    "ELSE " POST_BY_UTM("lead.utm_content", "lead.created_at", "lead.created_at") " END";
static const char sql_leads_partnership[] =
    "UPDATE lead SET partnership_id = CASE WHEN post_id IS NOT NULL THEN"
    " (SELECT r.partnership_id FROM post_rollup r WHERE r.post_id = lead.post_id)"
    " WHEN coalesce(utm_content, '') = '' THEN NULL"
    " ELSE " PARTNERSHIP_BY_UTM("lead.utm_content", "lead.created_at") " END";
static const char sql_leads_reason[] =
    "UPDATE lead SET"
    " attribution = CASE WHEN post_id IS NOT NULL OR partnership_id IS NOT NULL THEN 'utm' END,"
    " unattributed = CASE WHEN post_id IS NOT NULL OR partnership_id IS NOT NULL THEN NULL"
    "   WHEN coalesce(utm_content, '') = '' THEN 'no utm_content'"
    "   WHEN " KNOWN_UTM("lead.utm_content") " THEN 'outside the attribution window'"
                                             "   ELSE 'unknown utm_content' END";

static const char sql_orders_code[] =
    "UPDATE shop_order SET post_id = NULL, attribution = NULL, unattributed = NULL,"
    " partnership_id = CASE WHEN coalesce(discount_code, '') = '' THEN NULL ELSE"
    " (SELECT pa.id FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id"
    "  WHERE upper(pa.promo_code) = upper(shop_order.discount_code)"
    "  AND shop_order.created_at >= c.start_date"
    "  AND shop_order.created_at < c.end_date + 86400 * (1 + c.attribution_window_days)"
    "  ORDER BY c.start_date DESC, pa.id DESC LIMIT 1) END";
static const char sql_orders_code_post[] =
    "UPDATE shop_order SET attribution = 'code', post_id ="
    " (SELECT p.id FROM post_rollup r JOIN post p ON p.id = r.post_id"
    "  JOIN partnership pa ON pa.id = r.partnership_id JOIN campaign c ON c.id = pa.campaign_id"
    "  WHERE r.partnership_id = shop_order.partnership_id"
    "  AND p.posted_at <= shop_order.created_at"
    "  AND shop_order.created_at < p.posted_at + 86400 * c.attribution_window_days"
    "  ORDER BY p.posted_at DESC, p.id DESC LIMIT 1)"
    " WHERE partnership_id IS NOT NULL";
static const char sql_orders_landing_post[] = "UPDATE shop_order SET post_id = " POST_BY_UTM(
    "shop_order.landing_utm_content",
    "shop_order.created_at",
    "shop_order.created_at") " WHERE partnership_id IS NULL"
                             " AND coalesce(landing_utm_content, '') != ''";
static const char sql_orders_landing_partnership[] =
    "UPDATE shop_order SET partnership_id = CASE WHEN post_id IS NOT NULL THEN"
    " (SELECT r.partnership_id FROM post_rollup r WHERE r.post_id = shop_order.post_id)"
    " ELSE " PARTNERSHIP_BY_UTM("shop_order.landing_utm_content",
                                "shop_order.created_at") " END"
                                                         " WHERE attribution IS NULL AND "
                                                         "coalesce(landing_utm_content, '') "
                                                         "!= ''";
static const char sql_orders_reason[] =
    "UPDATE shop_order SET"
    " attribution = CASE WHEN attribution IS NOT NULL THEN attribution"
    "   WHEN post_id IS NOT NULL OR partnership_id IS NOT NULL THEN 'landing_utm' END,"
    " unattributed = CASE WHEN post_id IS NOT NULL OR partnership_id IS NOT NULL THEN NULL"
    "   WHEN coalesce(discount_code, '') != '' AND EXISTS (SELECT 1 FROM partnership pa"
    "     WHERE upper(pa.promo_code) = upper(shop_order.discount_code))"
    "     THEN 'outside the attribution window'"
    "   WHEN coalesce(landing_utm_content, '') != '' AND " KNOWN_UTM(
        "shop_order.landing_utm_content") " THEN 'outside the attribution window'"
                                          "   WHEN coalesce(discount_code, '') != '' THEN "
                                          "'unknown discount code'"
                                          "   WHEN coalesce(landing_utm_content, '') != '' "
                                          "THEN 'unknown utm_content'"
                                          "   ELSE 'no discount code or utm_content' END";

static const char sql_rollup_sessions[] =
    "UPDATE post_rollup SET (sessions, engaged_sessions, session_seconds) ="
    " (SELECT coalesce(sum(w.sessions), 0), coalesce(sum(w.engaged_sessions), 0),"
    "  coalesce(sum(w.duration_seconds), 0) FROM web_session w"
    "  WHERE w.post_id = post_rollup.post_id)";
static const char sql_rollup_leads[] =
    "UPDATE post_rollup SET (leads, qualified_leads) ="
    " (SELECT count(*), coalesce(sum(l.qualified), 0) FROM lead l"
    "  WHERE l.post_id = post_rollup.post_id)";
static const char sql_rollup_orders[] =
    "UPDATE post_rollup SET (orders, revenue_minor) ="
    " (SELECT count(*), coalesce(sum(o.total_minor), 0) FROM shop_order o"
    "  WHERE o.post_id = post_rollup.post_id)";

/* Rows written since the last refresh past which PostgreSQL's statistics are refreshed too
 * (a sample of at most 30,000 rows a table: tens of milliseconds on the demo). SKIP_LOCKED
 * (PostgreSQL 12): ANALYZE's lock, held to the commit, conflicts with another ANALYZE, and a
 * second import waiting on it while the first waits on the second's rows would deadlock; a
 * table another transaction is analyzing keeps its statistics instead. */
#define PG_ANALYZE_ROWS 2000
static const char sql_analyze_pg[] =
    "ANALYZE (SKIP_LOCKED) post, post_rollup, post_metric, partnership, campaign, web_session,"
    " lead, shop_order";

cr_err cr_store_track_refresh(cr_store *st, int full)
{
    static const char *const attribution[] = {
        sql_rollup_partnership,
        sql_sessions_post,
        sql_sessions_partnership,
        sql_sessions_reason,
        sql_leads_post,
        sql_leads_partnership,
        sql_leads_reason,
        sql_orders_code,
        sql_orders_code_post,
        sql_orders_landing_post,
        sql_orders_landing_partnership,
        sql_orders_reason,
        sql_rollup_sessions,
        sql_rollup_leads,
        sql_rollup_orders,
    };
    cr_value window = v_int(DEFAULT_WINDOW_DAYS);
    int own = !st->in_tx, pg = is_pg(st);
    size_t i;
    cr_err rc;

    if (own && (rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = cr_store__flush_derived(st)) < 0 || (rc = run(st, sql_rollup_new, NULL, 0)) < 0)
        goto done;
    /* PostgreSQL plans the set-based statements below from its statistics, which autovacuum
     * updates only after the commit (and not at all within a minute of a new database): after
     * a large write the planner would take post for a few thousand rows and scan it once per
     * order (1.5 s instead of 14 ms for the demo's orders). ANALYZE inside the transaction sees
     * its own rows and reads a bounded sample of each table. */
    if (pg && (full || (int64_t)st->ntouched + st->attr_dirty >= PG_ANALYZE_ROWS) &&
        (rc = run(st, sql_analyze_pg, NULL, 0)) < 0)
        goto done;
    if (full || st->ntouched > 0) {
        if ((rc = touch_table(st, full)) < 0 || (rc = run(st, sql_rollup_latest, NULL, 0)) < 0)
            goto done;
        if (full)
            rc = run(st, sql_days_clear_all, NULL, 0);
        else
            rc = run(st, sql_days_clear, NULL, 0);
        if (rc == CR_OK)
            rc = run(st,
                     full ? (pg ? sql_days_pg_all : sql_days_sqlite_all)
                          : (pg ? sql_days_pg : sql_days_sqlite),
                     NULL, 0);
        if (rc == CR_OK)
            rc = run(st, sql_touch_clear, NULL, 0);
        if (rc < 0)
            goto done;
    }
    for (i = 0; (full || st->attr_dirty) && i < sizeof(attribution) / sizeof(attribution[0]); i++) {
        int uses_window = strstr(attribution[i], "?1") != NULL;
        if ((rc = run(st, attribution[i], uses_window ? &window : NULL, uses_window)) < 0)
            goto done;
    }
    st->ntouched = 0;
    st->attr_dirty = 0;
done:
    if (own)
        rc = rc < 0 ? (cr_store_rollback(st), rc) : cr_store_commit(st);
    return rc;
}

static cr_err pending_cb(const char *key, const char *value, int64_t updated_at, void *payload)
{
    (void)key;
    (void)value;
    (void)updated_at;
    *(int *)payload = 1;
    return CR_OK;
}

cr_err cr_store__pending_refresh(cr_store *st)
{
    int pending = 0;
    cr_err rc = cr_store_setting_get(st, "track.refresh", pending_cb, &pending);

    if (rc == CR_ENOTFOUND) {
        cr_error_clear();
        return CR_OK;
    }
    if (rc < 0 || !pending)
        return rc;
    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = cr_store_track_refresh(st, 1)) < 0 ||
        (rc = cr_store_setting_set(st, "track.refresh", NULL)) < 0) {
        cr_store_rollback(st);
        return rc;
    }
    return cr_store_commit(st);
}

/* ---- reads -------------------------------------------------------------------------------- */

#define ROLLUP_COLS                                                                        \
    "r.post_id, p.creator_id, coalesce(r.partnership_id, 0), coalesce(pa.campaign_id, 0)," \
    " p.platform, cr.handle, p.external_id, p.url, p.format, p.caption, p.utm_content,"    \
    " p.posted_at, cr.followers, coalesce(r.captured_at, 0), coalesce(r.import_id, 0),"    \
    " r.impressions, r.reach, r.views, r.likes, r.comments, r.shares, r.saves, r.clicks,"  \
    " r.watch_seconds, r.sessions, r.engaged_sessions, r.session_seconds, r.leads,"        \
    " r.qualified_leads, r.orders, r.revenue_minor"
#define ROLLUP_FROM                                                                               \
    " FROM post_rollup r JOIN post p ON p.id = r.post_id JOIN creator cr ON cr.id = p.creator_id" \
    " LEFT JOIN partnership pa ON pa.id = r.partnership_id"
#define ROLLUP_FILTER                                                 \
    " AND (" PI(2) " = 0 OR r.partnership_id = " PI(                  \
        2) ")"                                                        \
           " AND (" PI(3) " = 0 OR p.creator_id = " PI(               \
               3) ")"                                                 \
                  " AND (" PI(4) " = 0 OR r.post_id = " PI(           \
                      4) ")"                                          \
                         " AND (" PI(5) " = 0 OR p.posted_at >= " PI( \
                             5) ")"                                   \
                                " AND (" PI(6) " = 0 OR p.posted_at < " PI(6) ")"
/* A campaign's posts: those linked to one of its partnerships, and those without a link
 * that carry the utm_content of its partnership with their creator. A post can so count for
 * several campaigns (a multi-brand post); its attributed units go to one partnership. */
/* (+ keeps SQLite from starting at the index of unlinked posts) */
#define CAMPAIGN_POSTS(campaign)                                                              \
    "(SELECT p2.id FROM post p2 WHERE p2.partnership_id IN"                                   \
    "   (SELECT id FROM partnership WHERE campaign_id = " campaign ")"                        \
    " UNION SELECT p2.id FROM post p2 JOIN partnership pa2 ON pa2.creator_id = p2.creator_id" \
    "   AND pa2.utm_content = p2.utm_content"                                                 \
    " WHERE pa2.campaign_id = " campaign " AND +p2.partnership_id IS NULL)"
#define ROLLUP_WHERE_CAMPAIGN " WHERE r.post_id IN " CAMPAIGN_POSTS(PI(1)) ROLLUP_FILTER
#define ROLLUP_WHERE_ANY      " WHERE " PI(1) " = 0" ROLLUP_FILTER

/* with a campaign, a post's partnership and campaign are the ones in that campaign */
/* the units attributed to a post count for this campaign when they went to one of its
 * partnerships (a post of two campaigns gives its sessions to one: see sql_rollup_partnership) */
#define MINE(col) "CASE WHEN pa.campaign_id = " PI(1) " THEN r." col " ELSE 0 END"
#define ROLLUP_COLS_CAMPAIGN                                                                                                  \
    "r.post_id, p.creator_id, coalesce(p.partnership_id, (SELECT pa3.id FROM partnership pa3"                                 \
    " WHERE pa3.campaign_id = " PI(                                                                                           \
        1) " AND pa3.creator_id = p.creator_id"                                                                               \
           " AND pa3.utm_content = p.utm_content ORDER BY pa3.id LIMIT 1)), " PI(                                             \
               1) ","                                                                                                         \
                  " p.platform, cr.handle, p.external_id, p.url, p.format, p.caption, "                                       \
                  "p.utm_content,"                                                                                            \
                  " p.posted_at, cr.followers, coalesce(r.captured_at, 0), coalesce(r.import_id, "                            \
                  "0),"                                                                                                       \
                  " r.impressions, r.reach, r.views, r.likes, r.comments, r.shares, r.saves, "                                \
                  "r.clicks,"                                                                                                 \
                  " r.watch_seconds, " MINE("sessions") ", " MINE("engaged_sessions") ", " MINE("session_seconds") ", " MINE( \
                      "leads") ", " MINE("qualified_leads") ", " MINE("orders") ", " MINE("revenu"                            \
                                                                                          "e_"                                \
                                                                                          "minor")
static const char sql_rollups_campaign[] =
    "SELECT " ROLLUP_COLS_CAMPAIGN ROLLUP_FROM ROLLUP_WHERE_CAMPAIGN
    " ORDER BY p.posted_at, r.post_id";
static const char sql_rollups_any[] =
    "SELECT " ROLLUP_COLS ROLLUP_FROM ROLLUP_WHERE_ANY " ORDER BY p.posted_at, r.post_id";
static const char sql_days_campaign[] =
    "SELECT d.post_id, d.date, d.captured_at, d.impressions, d.reach, d.views, d.likes,"
    " d.comments, d.shares, d.saves, d.clicks, d.watch_seconds FROM metric_day d"
    " WHERE d.post_id IN (SELECT r.post_id" ROLLUP_FROM ROLLUP_WHERE_CAMPAIGN ")"
    " ORDER BY d.post_id, d.date";
static const char sql_days_any[] =
    "SELECT d.post_id, d.date, d.captured_at, d.impressions, d.reach, d.views, d.likes,"
    " d.comments, d.shares, d.saves, d.clicks, d.watch_seconds FROM metric_day d"
    " WHERE d.post_id IN (SELECT r.post_id" ROLLUP_FROM ROLLUP_WHERE_ANY ")"
    " ORDER BY d.post_id, d.date";

static void filter_params(cr_value *p, const cr_rollup_filter *f)
{
    p[0] = v_int(f ? f->campaign_id : 0);
    p[1] = v_int(f ? f->partnership_id : 0);
    p[2] = v_int(f ? f->creator_id : 0);
    p[3] = v_int(f ? f->post_id : 0);
    p[4] = v_int(f ? f->since : 0);
    p[5] = v_int(f ? f->until : 0);
}

typedef struct {
    cr_post_rollup_cb cb;
    cr_metric_day_cb dcb;
    void *payload;
} read_ctx;

static cr_err rollup_row(const cr_value *v, size_t n, void *payload)
{
    read_ctx *c = payload;
    cr_post_rollup r;

    if (n < 31)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "rollup row has %zu columns", n);
    memset(&r, 0, sizeof(r));
    r.post_id = col_i(&v[0]);
    r.creator_id = col_i(&v[1]);
    r.partnership_id = col_i(&v[2]);
    r.campaign_id = col_i(&v[3]);
    r.platform = col_s(&v[4]);
    r.handle = col_s(&v[5]);
    r.external_id = col_s(&v[6]);
    r.url = col_s(&v[7]);
    r.format = col_s(&v[8]);
    r.caption = col_s(&v[9]);
    r.utm_content = col_s(&v[10]);
    r.posted_at = col_i(&v[11]);
    r.followers = col_count(&v[12]);
    r.captured_at = col_i(&v[13]);
    r.import_id = col_i(&v[14]);
    r.impressions = col_count(&v[15]);
    r.reach = col_count(&v[16]);
    r.views = col_count(&v[17]);
    r.likes = col_count(&v[18]);
    r.comments = col_count(&v[19]);
    r.shares = col_count(&v[20]);
    r.saves = col_count(&v[21]);
    r.clicks = col_count(&v[22]);
    r.watch_seconds = col_count(&v[23]);
    r.sessions = col_i(&v[24]);
    r.engaged_sessions = col_i(&v[25]);
    r.session_seconds = col_i(&v[26]);
    r.leads = col_i(&v[27]);
    r.qualified_leads = col_i(&v[28]);
    r.orders = col_i(&v[29]);
    r.revenue_minor = col_i(&v[30]);
    return c->cb(&r, c->payload);
}

cr_err
cr_store_rollup_list(cr_store *st, const cr_rollup_filter *f, cr_post_rollup_cb cb, void *payload)
{
    read_ctx c = { cb, NULL, payload };
    cr_value p[6];
    cr_err rc;

    filter_params(p, f);
    if ((rc = cr_store__flush_derived(st)) < 0)
        return rc;
    return st->be->query(st->be, f && f->campaign_id ? sql_rollups_campaign : sql_rollups_any, p, 6,
                         rollup_row, &c);
}

static cr_err day_row(const cr_value *v, size_t n, void *payload)
{
    read_ctx *c = payload;
    cr_metric_day d;

    if (n < 12)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "metric day row has %zu columns", n);
    memset(&d, 0, sizeof(d));
    d.post_id = col_i(&v[0]);
    d.date = col_i(&v[1]);
    d.captured_at = col_i(&v[2]);
    d.impressions = col_count(&v[3]);
    d.reach = col_count(&v[4]);
    d.views = col_count(&v[5]);
    d.likes = col_count(&v[6]);
    d.comments = col_count(&v[7]);
    d.shares = col_count(&v[8]);
    d.saves = col_count(&v[9]);
    d.clicks = col_count(&v[10]);
    d.watch_seconds = col_count(&v[11]);
    return c->dcb(&d, c->payload);
}

cr_err
cr_store_metric_days(cr_store *st, const cr_rollup_filter *f, cr_metric_day_cb cb, void *payload)
{
    read_ctx c = { NULL, cb, payload };
    cr_value p[6];
    cr_err rc;

    filter_params(p, f);
    if ((rc = cr_store__flush_derived(st)) < 0)
        return rc;
    return st->be->query(st->be, f && f->campaign_id ? sql_days_campaign : sql_days_any, p, 6,
                         day_row, &c);
}

#define CAMPAIGN_PARTNERS "(SELECT id FROM partnership WHERE campaign_id = " PI(1) ")"
static const char sql_attributed[] =
    "SELECT 'sessions', w.attribution, w.date, coalesce(w.post_id, 0), w.partnership_id,"
    " sum(w.sessions), sum(coalesce(w.engaged_sessions, 0)), sum(coalesce(w.duration_seconds, 0)),"
    " 0 FROM web_session w WHERE w.partnership_id IN " CAMPAIGN_PARTNERS
    " AND w.date >= " PI(2) " AND w.date < " PI(
        3) " GROUP BY w.partnership_id, w.date, w.attribution, w.post_id"
           " UNION ALL"
           " SELECT 'leads', l.attribution, (l.created_at / 86400) * 86400, coalesce(l.post_id, 0),"
           " l.partnership_id, count(*), sum(l.qualified), 0, 0 FROM lead l"
           " WHERE l.partnership_id IN " CAMPAIGN_PARTNERS
           " AND l.created_at >= " PI(2) " AND l.created_at < " PI(
               3) " GROUP BY l.attribution, (l.created_at / 86400) * 86400, l.post_id, "
                  "l.partnership_id"
                  " UNION ALL"
                  " SELECT 'orders', o.attribution, (o.created_at / 86400) * 86400, "
                  "coalesce(o.post_id, 0),"
                  " o.partnership_id, count(*), 0, 0, sum(o.total_minor) FROM shop_order o"
                  " WHERE o.partnership_id IN " CAMPAIGN_PARTNERS " AND o.created_at >= " PI(
                      2) " AND o.created_at < " PI(3) " GROUP BY o.attribution, (o.created_at / "
                                                      "86400) * 86400, o.post_id, o.partnership_id"
                                                      " ORDER BY 1, 3, 5, 4, 2";

typedef struct {
    cr_attributed_cb acb;
    cr_unattributed_cb ucb;
    cr_source_cb scb;
    void *payload;
} list_ctx;

static const char *kind_name(const cr_value *v)
{
    const char *s = col_s(v);

    if (s == NULL)
        return "";
    if (strncmp(s, "sessions", 8) == 0)
        return "sessions";
    if (strncmp(s, "leads", 5) == 0)
        return "leads";
    return "orders";
}

static cr_err attributed_row(const cr_value *v, size_t n, void *payload)
{
    list_ctx *c = payload;
    cr_attributed a;

    if (n < 9)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "attribution row has %zu columns", n);
    memset(&a, 0, sizeof(a));
    a.kind = kind_name(&v[0]);
    a.method = col_s(&v[1]) ? col_s(&v[1]) : "";
    a.date = col_i(&v[2]);
    a.post_id = col_i(&v[3]);
    a.partnership_id = col_i(&v[4]);
    a.units = col_i(&v[5]);
    a.secondary = col_i(&v[6]);
    a.seconds = col_i(&v[7]);
    a.value_minor = col_i(&v[8]);
    return c->acb(&a, c->payload);
}

cr_err cr_store_attributed_list(cr_store *st,
                                int64_t campaign_id,
                                int64_t since,
                                int64_t until,
                                cr_attributed_cb cb,
                                void *payload)
{
    list_ctx c = { cb, NULL, NULL, payload };
    cr_value p[3] = { v_int(campaign_id), v_int(since), v_int(until) };

    return st->be->query(st->be, sql_attributed, p, 3, attributed_row, &c);
}

static const char sql_unattributed[] =
    "SELECT 'sessions', coalesce(unattributed, 'not attributed yet'), count(*),"
    " coalesce(sum(sessions), 0), 0 FROM web_session WHERE attribution IS NULL"
    " AND date >= " PI(1) " AND date < " PI(
        2) " GROUP BY unattributed"
           " UNION ALL"
           " SELECT 'leads', coalesce(unattributed, 'not attributed yet'), count(*), count(*), 0"
           " FROM lead WHERE attribution IS NULL AND created_at >= " PI(1) " AND created_at < " PI(
               2) " GROUP BY unattributed"
                  " UNION ALL"
                  " SELECT 'orders', coalesce(unattributed, 'not attributed yet'), count(*), "
                  "count(*),"
                  " coalesce(sum(total_minor), 0) FROM shop_order WHERE attribution IS NULL"
                  " AND created_at >= " PI(1) " AND created_at < " PI(2) " GROUP BY unattributed"
                                                                         " ORDER BY 1, 3 DESC, 2";

static cr_err unattributed_row(const cr_value *v, size_t n, void *payload)
{
    list_ctx *c = payload;
    cr_unattributed u;

    if (n < 5)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "row has %zu columns", n);
    memset(&u, 0, sizeof(u));
    u.kind = kind_name(&v[0]);
    u.reason = col_s(&v[1]) ? col_s(&v[1]) : "";
    u.rows = col_i(&v[2]);
    u.units = col_i(&v[3]);
    u.value_minor = col_i(&v[4]);
    return c->ucb(&u, c->payload);
}

cr_err cr_store_unattributed_list(
    cr_store *st, int64_t since, int64_t until, cr_unattributed_cb cb, void *payload)
{
    list_ctx c = { NULL, cb, NULL, payload };
    cr_value p[2] = { v_int(since), v_int(until) };

    return st->be->query(st->be, sql_unattributed, p, 2, unattributed_row, &c);
}

static const char sql_import_newest[] =
    "UPDATE import SET newest_data = " PI(2) " WHERE id = " PI(1);

cr_err cr_store__import_newest(cr_store *st, int64_t import_id)
{
    cr_value p[2] = { v_int(import_id), v_int(st->newest) };

    if (st->newest == 0)
        p[1].type = 'N';
    return run(st, sql_import_newest, p, 2);
}

/* each import records the newest data time it brought (cr_store__import_newest) */
static const char sql_sources[] =
    "SELECT i.kind, count(*), max(i.finished_at),"
    " (SELECT j.file FROM import j WHERE j.kind = i.kind AND j.finished_at IS NOT NULL"
    "  ORDER BY j.finished_at DESC, j.id DESC LIMIT 1), max(i.newest_data)"
    " FROM import i WHERE i.workspace_id = 1 AND i.finished_at IS NOT NULL"
    " GROUP BY i.kind ORDER BY 1";

static cr_err source_row(const cr_value *v, size_t n, void *payload)
{
    list_ctx *c = payload;
    cr_source s;

    if (n < 5)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "source row has %zu columns", n);
    memset(&s, 0, sizeof(s));
    s.kind = col_s(&v[0]);
    s.imports = col_i(&v[1]);
    s.last_import = col_i(&v[2]);
    s.file = col_s(&v[3]);
    s.newest_data = col_i(&v[4]);
    return c->scb(&s, c->payload);
}

cr_err cr_store_source_list(cr_store *st, cr_source_cb cb, void *payload)
{
    list_ctx c = { NULL, NULL, cb, payload };

    return st->be->query(st->be, sql_sources, NULL, 0, source_row, &c);
}

/* ---- settings ----------------------------------------------------------------------------- */

static const char sql_setting_get[] = "SELECT key, value, updated_at FROM setting"
                                      " WHERE workspace_id = 1 AND key = " PT(1);
static const char sql_setting_set[] =
    "INSERT INTO setting (workspace_id, key, value, updated_at)"
    " VALUES (1, " PT(1) ", " PT(2) ", " PI(
        3) ")"
           " ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value,"
           " updated_at = excluded.updated_at";
static const char sql_setting_del[] = "DELETE FROM setting WHERE workspace_id = 1 AND key = " PT(1);
static const char sql_setting_list_sqlite[] =
    "SELECT key, value, updated_at FROM setting WHERE workspace_id = 1"
    " AND substr(key, 1, length(" PT(1) ")) = " PT(1) " ORDER BY key";
static const char sql_setting_list_pg[] =
    "SELECT key, value, updated_at FROM setting WHERE workspace_id = 1"
    " AND substr(key, 1, length(" PT(1) ")) = " PT(1) " ORDER BY key COLLATE \"C\"";

typedef struct {
    cr_setting_cb cb;
    void *payload;
    int found;
} setting_ctx;

static cr_err setting_row(const cr_value *v, size_t n, void *payload)
{
    setting_ctx *c = payload;
    cr_str key, value;
    cr_err rc;

    if (n < 3)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "setting row has %zu columns", n);
    c->found = 1;
    /* values are borrowed from the backend's row: give the callback NUL-terminated copies */
    cr_str_init(&key, 0);
    cr_str_init(&value, 0);
    rc = cr_str_put(&key, v[0].s ? v[0].s : "", v[0].len);
    if (rc == CR_OK)
        rc = cr_str_put(&value, v[1].s ? v[1].s : "", v[1].len);
    if (rc == CR_OK)
        rc = c->cb(cr_str_cstr(&key), cr_str_cstr(&value), col_i(&v[2]), c->payload);
    cr_str_dispose(&key);
    cr_str_dispose(&value);
    return rc;
}

cr_err cr_store_setting_get(cr_store *st, const char *key, cr_setting_cb cb, void *payload)
{
    setting_ctx c = { cb, payload, 0 };
    cr_value p[1] = { v_text(key) };
    cr_err rc;

    if (key == NULL || *key == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "a setting needs a key");
    if ((rc = st->be->query(st->be, sql_setting_get, p, 1, setting_row, &c)) < 0)
        return rc;
    if (!c.found)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no setting '%s'", key);
    return CR_OK;
}

cr_err cr_store_setting_set(cr_store *st, const char *key, const char *value)
{
    cr_value p[3] = { v_text(key), v_text(value), v_int(cr_now()) };

    if (key == NULL || *key == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "a setting needs a key");
    if (value == NULL)
        return run(st, sql_setting_del, p, 1);
    return run(st, sql_setting_set, p, 3);
}

cr_err cr_store_setting_list(cr_store *st, const char *prefix, cr_setting_cb cb, void *payload)
{
    setting_ctx c = { cb, payload, 0 };
    cr_value p[1] = { v_text(prefix ? prefix : "") };

    return st->be->query(st->be, is_pg(st) ? sql_setting_list_pg : sql_setting_list_sqlite, p, 1,
                         setting_row, &c);
}

/* ---- exports ------------------------------------------------------------------------------ */

const char *const *cr_store_tables(void)
{
    static const char *names[64];
    size_t i;

    if (names[0] == NULL)
        for (i = 0; i < cr_schema_ntables && i + 1 < sizeof(names) / sizeof(names[0]); i++)
            names[i] = cr_schema_tables[i].name;
    return names;
}

typedef struct {
    const cr_schema_table *t;
    cr_table_row_cb cb;
    void *payload;
    const char *cols[48];
    cr_str cells[48];
} export_ctx;

static cr_err export_row(const cr_value *vals, size_t n, void *payload)
{
    export_ctx *e = payload;
    const char *out[48];
    size_t i;
    cr_err rc = CR_OK;

    for (i = 0; i < n && i < 48 && rc == CR_OK; i++) {
        cr_str *c = &e->cells[i];
        cr_str_clear(c);
        out[i] = NULL;
        switch (vals[i].type) {
        case 'I':
            rc = cr_str_printf(c, "%lld", (long long)vals[i].i);
            break;
        case 'R':
            rc = cr_str_printf(c, "%.17g", vals[i].d);
            break;
        case 'T':
            rc = cr_str_put(c, vals[i].s ? vals[i].s : "", vals[i].len);
            break;
        default:
            continue;
        }
        out[i] = cr_str_cstr(c);
    }
    return rc < 0 ? rc : e->cb(e->cols, out, n < 48 ? n : 48, e->payload);
}

cr_err cr_store_table_export(cr_store *st, const char *table, cr_table_row_cb cb, void *payload)
{
    export_ctx *e;
    size_t i;
    cr_err rc;

    if ((e = cr_calloc(1, sizeof(*e))) == NULL)
        return cr_error_oom();
    if ((e->t = cr_schema_table_find(table)) == NULL) {
        cr_free(e);
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no table '%s'", table);
    }
    e->cb = cb;
    e->payload = payload;
    for (i = 0; i < e->t->ncolumns && i < 48; i++) {
        e->cols[i] = e->t->columns[i].name;
        cr_str_init(&e->cells[i], 0);
    }
    rc = st->be->table_read(st->be, table, export_row, e);
    for (i = 0; i < e->t->ncolumns && i < 48; i++)
        cr_str_dispose(&e->cells[i]);
    cr_free(e);
    return rc;
}

/* ---- KPI inputs --------------------------------------------------------------------------- */

/* Each sum comes in two shapes, so that each can start from its index: a campaign's (?1 the
 * campaign) from its partnerships, a brand's history (?1 the brand) from its partners'
 * creators, links and codes. ?2 .. ?3 is the window [since, until). */
#define BRAND_PARTNERS(col)                                                           \
    "(SELECT pa." col " FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id" \
    " WHERE lower(c.brand) = lower(" PT(1) ") AND pa." col " IS NOT NULL)"
#define OF_CAMPAIGN "(SELECT id FROM partnership WHERE campaign_id = " PI(1) ")"
#define POST_SUMS                                                                          \
    "SELECT count(*), coalesce(sum(r.impressions), 0), coalesce(sum(r.reach), 0),"         \
    " coalesce(sum(r.views), 0), coalesce(sum(r.likes), 0), coalesce(sum(r.comments), 0)," \
    " coalesce(sum(r.shares), 0), coalesce(sum(r.saves), 0), coalesce(sum(r.clicks), 0),"  \
    " coalesce(sum(r.watch_seconds), 0) FROM post_rollup r JOIN post p ON p.id = r.post_id"
#define WEB_SUMS                                                             \
    "SELECT coalesce(sum(sessions), 0), coalesce(sum(engaged_sessions), 0)," \
    " coalesce(sum(duration_seconds), 0) FROM web_session"

/* a campaign's posts (see CAMPAIGN_POSTS); a brand's: every post of its partners' creators */
static const char sql_in_posts_c[] = POST_SUMS " WHERE r.post_id IN " CAMPAIGN_POSTS(
    PI(1)) " AND p.posted_at >= " PI(2) " AND p.posted_at < " PI(3);
static const char sql_in_posts_b[] = POST_SUMS " WHERE p.creator_id IN " BRAND_PARTNERS(
    "creator_id") " AND p.posted_at >= " PI(2) " AND p.posted_at < " PI(3);
static const char sql_in_spend_c[] =
    "SELECT coalesce(sum(fee_minor + product_cost_minor), 0) FROM partnership"
    " WHERE campaign_id = " PI(1);
static const char sql_in_spend_b[] =
    "SELECT coalesce(sum(pa.fee_minor + pa.product_cost_minor), 0)"
    " FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id"
    " WHERE lower(c.brand) = lower(" PT(1) ") AND c.start_date < " PI(3) " AND c.end_date >= " PI(
        2);
/* a campaign gets what attribution gave its partnerships; a brand's history is every unit
 * carrying a utm_content or discount code one of its partners used, whenever it came (a
 * baseline is about the past, before any campaign window existed) */
static const char sql_in_web_c[] =
    WEB_SUMS " WHERE partnership_id IN " OF_CAMPAIGN " AND date >= " PI(2) " AND date < " PI(3);
static const char sql_in_web_b[] = WEB_SUMS " WHERE utm_content IN " BRAND_PARTNERS(
    "utm_content") " AND date >= " PI(2) " AND date < " PI(3);
static const char sql_in_leads_c[] =
    "SELECT count(*), coalesce(sum(qualified), 0) FROM lead WHERE partnership_id IN " OF_CAMPAIGN
    " AND created_at >= " PI(2) " AND created_at < " PI(3);
static const char sql_in_leads_b[] =
    "SELECT count(*), coalesce(sum(qualified), 0) FROM lead WHERE utm_content IN " BRAND_PARTNERS(
        "utm_content") " AND created_at >= " PI(2) " AND created_at < " PI(3);
static const char sql_in_orders_c[] =
    "SELECT count(*), coalesce(sum(total_minor), 0) FROM shop_order"
    " WHERE partnership_id IN " OF_CAMPAIGN " AND created_at >= " PI(2) " AND created_at < " PI(3);
static const char sql_in_orders_b[] =
    "SELECT count(*), coalesce(sum(total_minor), 0) FROM shop_order"
    " WHERE created_at >= " PI(2) " AND created_at < " PI(
        3) " AND (upper(discount_code) IN (SELECT upper(pa.promo_code)"
           "   FROM partnership pa JOIN campaign c ON c.id = pa.campaign_id"
           "   WHERE lower(c.brand) = lower(" PT(1) ") AND pa.promo_code IS NOT NULL)"
                                                    "   OR landing_utm_content IN " BRAND_PARTNERS(
                                                        "utm_content") ")";
/* (brand, everyone) counts: competitors are the difference. SQLite compares without case
 * through COLLATE NOCASE (no function call per row); PostgreSQL lower-cases. */
static const char sql_in_mentions_sqlite[] = "SELECT coalesce(sum(CASE WHEN brand = " PT(
    1) " COLLATE NOCASE THEN count END), 0),"
       " coalesce(sum(count), 0) FROM mention WHERE workspace_id = 1 AND date >= " PI(
           2) " AND date < " PI(3);
static const char sql_in_mentions_pg[] = "SELECT coalesce(sum(CASE WHEN lower(brand) = lower(" PT(
    1) ") THEN count END), 0),"
       " coalesce(sum(count), 0) FROM mention WHERE workspace_id = 1 AND date >= " PI(
           2) " AND date < " PI(3);
#define FOLLOWERS(creators)                                                               \
    "SELECT coalesce(sum(f), 0), coalesce(sum(l), 0) FROM (SELECT"                        \
    " (SELECT followers FROM creator_snapshot s WHERE s.creator_id = x.creator_id"        \
    "   AND s.date >= " PI(2) " AND s.date < " PI(                                        \
        3) " ORDER BY s.date LIMIT 1) AS f,"                                              \
           " (SELECT followers FROM creator_snapshot s WHERE s.creator_id = x.creator_id" \
           "   AND s.date >= " PI(2) " AND s.date < " PI(                                 \
               3) " ORDER BY s.date DESC LIMIT 1) AS l"                                   \
                  " FROM (SELECT DISTINCT creator_id FROM " creators ") x) y WHERE f IS NOT NULL"
static const char sql_in_followers_c[] = FOLLOWERS("partnership pa WHERE pa.campaign_id = " PI(1));
static const char sql_in_followers_b[] = FOLLOWERS(
    "partnership pa JOIN campaign c ON c.id = pa.campaign_id WHERE lower(c.brand) = lower(" PT(
        1) ")");

typedef struct {
    int64_t *cols[10];
    size_t n;
} sum_ctx;

static cr_err sum_cb(const cr_value *v, size_t n, void *payload)
{
    sum_ctx *c = payload;
    size_t i;

    for (i = 0; i < c->n && i < n; i++)
        *c->cols[i] = col_i(&v[i]);
    return CR_OK;
}

/* every statement but the campaign's spend binds all three parameters */
static cr_err sum_into(cr_store *st, const char *sql, const cr_value *p, sum_ctx *c)
{
    return st->be->query(st->be, sql, p, sql == sql_in_spend_c ? 1 : 3, sum_cb, c);
}

cr_err cr_store_kpi_inputs(cr_kpi_inputs *o, cr_store *st, const cr_kpi_scope *sc)
{
    sum_ctx posts = { { &o->posts, &o->impressions, &o->reach, &o->views, &o->likes, &o->comments,
                        &o->shares, &o->saves, &o->clicks, &o->watch_seconds },
                      10 };
    sum_ctx spend = { { &o->spend_minor }, 1 };
    sum_ctx web = { { &o->sessions, &o->engaged_sessions, &o->session_seconds }, 3 };
    sum_ctx leads = { { &o->leads, &o->qualified_leads }, 2 };
    sum_ctx orders = { { &o->orders, &o->revenue_minor }, 2 };
    sum_ctx mentions = { { &o->mentions_brand, &o->mentions_competitors }, 2 };
    sum_ctx followers = { { &o->followers_start, &o->followers_end }, 2 };
    int brand = sc->kind == CR_SCOPE_BRAND;
    cr_value p[3], m[3];
    cr_err rc;

    memset(o, 0, sizeof(*o));
    if (sc->until <= sc->since)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "empty window: it ends before it starts");
    if (brand && sc->brand == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "a brand scope needs a brand");
    o->days = (sc->until - sc->since + 86399) / 86400;
    if ((rc = cr_store__flush_derived(st)) < 0)
        return rc;
    p[0] = brand ? v_text(sc->brand) : v_int(sc->campaign_id);
    p[1] = v_int(sc->since);
    p[2] = v_int(sc->until);
    if ((rc = sum_into(st, brand ? sql_in_posts_b : sql_in_posts_c, p, &posts)) < 0 ||
        (rc = sum_into(st, brand ? sql_in_spend_b : sql_in_spend_c, p, &spend)) < 0 ||
        (rc = sum_into(st, brand ? sql_in_web_b : sql_in_web_c, p, &web)) < 0 ||
        (rc = sum_into(st, brand ? sql_in_leads_b : sql_in_leads_c, p, &leads)) < 0 ||
        (rc = sum_into(st, brand ? sql_in_orders_b : sql_in_orders_c, p, &orders)) < 0 ||
        (rc = sum_into(st, brand ? sql_in_followers_b : sql_in_followers_c, p, &followers)) < 0)
        return rc;
    if (sc->brand != NULL) { /* mentions are the brand's, in both scopes */
        m[0] = v_text(sc->brand);
        m[1] = p[1];
        m[2] = p[2];
        if ((rc = sum_into(st, is_pg(st) ? sql_in_mentions_pg : sql_in_mentions_sqlite, m,
                           &mentions)) < 0)
            return rc;
        o->mentions_competitors -= o->mentions_brand; /* the query summed everyone */
    }
    return CR_OK;
}
