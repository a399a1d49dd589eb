/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.c - the discovery layer of the store, written once over the backends' query() like
 * track.c: the search text of each creator (bio, niches, recent captions) and its word counts,
 * per-creator sums of the post rollups, the candidate query with its filters, audience shares
 * and saved searches. Only the text match differs by dialect: SQLite's FTS5 table creator_fts
 * (MATCH, ranked by bm25) and PostgreSQL's tsvector column with a GIN index (@@, ts_rank).
 *
 * The index catches up lazily and in batches: triggers queue the creators whose bio, niches or
 * posts changed (discover_dirty), and cr_store_discover_refresh() rebuilds their text, counts
 * the words that came and went (discover_term, the IDF of the ranking) and, after an import,
 * rebuilds creator_perf set-based. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crest/discover.h"
#include "discover/vec.h"
#include "store/portable.h"
#include "util/alloc.h"
#include "util/map.h"
#include "util/str.h"

#define BATCH        2000
#define MAX_CAPTIONS 12

/* ---- profile ------------------------------------------------------------------------------- */

static const char sql_profile[] =
    "UPDATE creator SET"
    /* an opt-out recorded by outreach is permanent: an import cannot undo it */
    " opted_out = CASE WHEN " PI(
        2) " < 0 OR EXISTS (SELECT 1 FROM outreach_optout o WHERE"
           " o.creator_id = creator.id OR o.email = lower(creator.email)) THEN opted_out ELSE " PI(
               2) " END,"
                  " fee_minor = CASE WHEN " PI(3) " < 0 THEN fee_minor ELSE " PI(
                      3) " END,"
                         " fee_currency = coalesce(" PT(
                             4) ", fee_currency),"
                                " audience_quality = coalesce(" PR(
                                    5) ", audience_quality),"
                                       " audience = CASE WHEN " PT(
                                           6) " IS NULL THEN audience ELSE " PT(6) " END"
                                                                                   " WHERE id "
                                                                                   "= " PI(1);
static const char sql_audience_clear[] =
    "DELETE FROM creator_audience WHERE creator_id = " PI(1) " AND dim = " PT(2);
static const char sql_audience_put[] =
    "INSERT INTO creator_audience (creator_id, dim, key, share) VALUES (" PI(1) ", " PT(2) ", " PT(
        3) ", " PR(4) ") ON CONFLICT (creator_id, dim, key) DO UPDATE SET share = "
                      "excluded.share";
static const char sql_audience_of[] = "SELECT audience FROM creator WHERE id = " PI(1);

static cr_err text_cb(const cr_value *v, size_t n, void *payload)
{
    cr_str *s = payload;

    (void)n;
    if (col_s(&v[0]) != NULL)
        return cr_str_put(s, v[0].s, v[0].len);
    return CR_OK;
}

cr_err cr_store_creator_profile_set(cr_store *st, int64_t creator_id, const cr_creator_profile *p)
{
    static const char *const dims[] = { "country", "age", "gender" };
    const char *lists[3] = { p->countries, p->ages, p->genders };
    cr_audience aud;
    cr_str old, json;
    cr_value pv[6];
    size_t d, i;
    int touched = 0;
    const char *why = NULL;
    cr_err rc = CR_OK;

    cr_audience_init(&aud);
    cr_str_init(&old, 0);
    cr_str_init(&json, 0);
    for (d = 0; d < 3; d++)
        touched |= lists[d] != NULL;
    if (touched) {
        cr_value id = v_int(creator_id);
        if ((rc = st->be->query(st->be, sql_audience_of, &id, 1, text_cb, &old)) < 0)
            goto done;
        if (old.len > 0 && (rc = cr_audience_parse_json(&aud, cr_str_cstr(&old))) < 0)
            goto done;
        for (d = 0; d < 3; d++) {
            cr_audience keep;
            if (lists[d] == NULL)
                continue;
            /* a new list replaces the dimension */
            cr_audience_init(&keep);
            for (i = 0; i < aud.n && rc == CR_OK; i++)
                if (strcmp(aud.s[i].dim, dims[d]) != 0) {
                    if (keep.n == keep.cap) {
                        size_t cap = keep.cap ? keep.cap * 2 : 16;
                        cr_audience_share *s = cr_realloc(keep.s, cap * sizeof(*s));
                        if (s == NULL) {
                            rc = cr_error_oom();
                            break;
                        }
                        keep.s = s;
                        keep.cap = cap;
                    }
                    keep.s[keep.n++] = aud.s[i];
                }
            cr_audience_dispose(&aud);
            aud = keep;
            if (rc < 0)
                goto done;
            if ((rc = cr_audience_add_list(&aud, dims[d], lists[d], &why)) < 0) {
                rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT, "audience_%s: %s",
                                  d == 0   ? "countries"
                                  : d == 1 ? "age"
                                           : "gender",
                                  why);
                goto done;
            }
        }
        if ((rc = cr_audience_json(&json, &aud)) < 0)
            goto done;
    }
    pv[0] = v_int(creator_id);
    pv[1] = v_int(p->opted_out);
    pv[2] = v_int(p->fee_minor);
    pv[3] = v_text(p->fee_currency);
    pv[4] = v_real(p->quality);
    pv[5] = v_text(touched ? cr_str_cstr(&json) : NULL);
    if ((rc = run(st, sql_profile, pv, 6)) < 0)
        goto done;
    for (d = 0; d < 3 && touched; d++) {
        cr_value cv[4];
        if (lists[d] == NULL)
            continue;
        cv[0] = v_int(creator_id);
        cv[1] = v_text(dims[d]);
        if ((rc = run(st, sql_audience_clear, cv, 2)) < 0)
            goto done;
        for (i = 0; i < aud.n; i++) {
            if (strcmp(aud.s[i].dim, dims[d]) != 0)
                continue;
            cv[2] = v_text(aud.s[i].key);
            cv[3] = v_real(aud.s[i].share);
            if ((rc = run(st, sql_audience_put, cv, 4)) < 0)
                goto done;
        }
    }
done:
    cr_audience_dispose(&aud);
    cr_str_dispose(&old);
    cr_str_dispose(&json);
    return rc;
}

/* ---- refresh ------------------------------------------------------------------------------- */

static const char sql_dirty_batch[] =
    "SELECT d.creator_id, c.bio, c.niches, cd.doc, c.id FROM discover_dirty d"
    " LEFT JOIN creator c ON c.id = d.creator_id"
    " LEFT JOIN creator_doc cd ON cd.creator_id = d.creator_id"
    " WHERE d.creator_id > " PI(1) " ORDER BY d.creator_id LIMIT " PI(2);
static const char sql_captions[] =
    "SELECT p.creator_id, p.caption FROM post p"
    " WHERE p.creator_id BETWEEN " PI(1) " AND " PI(
        2) " AND p.caption IS NOT NULL"
           " AND p.creator_id IN (SELECT creator_id FROM discover_dirty)"
           " ORDER BY p.creator_id, p.posted_at DESC, p.id DESC";
static const char sql_doc_put[] =
    "INSERT INTO creator_doc (creator_id, doc, updated_at) VALUES (" PI(1) ", " PT(2) ", " PI(
        3) ") ON CONFLICT (creator_id) DO UPDATE SET doc = excluded.doc, updated_at = "
           "excluded.updated_at";
static const char sql_dirty_done[] =
    "DELETE FROM discover_dirty WHERE creator_id BETWEEN " PI(1) " AND " PI(2);
static const char sql_term_add[] = "INSERT INTO discover_term (term, df) VALUES (" PT(1) ", " PI(
    2) ") ON CONFLICT (term) DO UPDATE SET df = discover_term.df + excluded.df";
static const char sql_perf_clear[] = "DELETE FROM creator_perf";
#define ENG                                                                                       \
    "coalesce(r.likes, 0) + coalesce(r.comments, 0) + coalesce(r.shares, 0) + coalesce(r.saves, " \
    "0)"
static const char sql_perf_build[] =
    "INSERT INTO creator_perf (creator_id, posts, reach_posts, reach, eng_reach, eng_posts,"
    " engagements, click_posts, clicks, click_impressions, sessions, leads, orders,"
    " revenue_minor)"
    " SELECT p.creator_id, count(*),"
    " sum(CASE WHEN r.reach > 0 THEN 1 ELSE 0 END),"
    " sum(CASE WHEN r.reach > 0 THEN r.reach ELSE 0 END),"
    " sum(CASE WHEN r.reach > 0 THEN " ENG " ELSE 0 END),"
    " sum(CASE WHEN coalesce(r.likes, r.comments, r.shares, r.saves) IS NULL THEN 0 ELSE 1 END),"
    " sum(" ENG "),"
    " sum(CASE WHEN r.clicks IS NULL THEN 0 ELSE 1 END), sum(coalesce(r.clicks, 0)),"
    " sum(CASE WHEN r.clicks IS NOT NULL AND r.impressions > 0 THEN r.impressions ELSE 0 END),"
    " sum(r.sessions), sum(r.leads), sum(r.orders), sum(r.revenue_minor)"
    " FROM post p JOIN post_rollup r ON r.post_id = p.id GROUP BY p.creator_id";
/* What the rollups' sums depend on: imports (metrics, sessions, orders, leads) and the
 * campaigns and partnerships that attribution follows. */
static const char sql_import_mark[] =
    "SELECT (SELECT coalesce(max(id), 0) FROM import) || ':' ||"
    " (SELECT count(*) FROM partnership) || ':' || (SELECT coalesce(max(id), 0) FROM partnership)"
    " || ':' || (SELECT coalesce(max(updated_at), 0) FROM campaign)";
static const char sql_perf_mark_get[] =
    "SELECT value FROM setting WHERE workspace_id = 1 AND key = 'discover.perf'";
static const char sql_perf_mark_set[] =
    "INSERT INTO setting (workspace_id, key, value, updated_at) VALUES (1, 'discover.perf', " PT(
        1) ", " PI(2) ") ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value,"
                      " updated_at = excluded.updated_at";

typedef struct {
    int64_t id;
    int gone; /* the creator was deleted */
    char *bio, *niches, *old;
    int has_old;
    cr_str captions; /* normalized words of the newest captions */
    int ncaptions;
} dirty_row;

typedef struct {
    dirty_row *rows;
    size_t n;
} dirty_batch;

static char *dup_col(const cr_value *v)
{
    return v->type == 'T' ? cr_strndup(v->s, v->len) : NULL;
}

static cr_err dirty_cb(const cr_value *v, size_t n, void *payload)
{
    dirty_batch *b = payload;
    dirty_row *r = &b->rows[b->n];

    (void)n;
    memset(r, 0, sizeof(*r));
    r->id = col_i(&v[0]);
    r->gone = v[4].type == 'N';
    r->bio = dup_col(&v[1]);
    r->niches = dup_col(&v[2]);
    r->old = dup_col(&v[3]);
    r->has_old = v[3].type != 'N';
    cr_str_init(&r->captions, 0);
    b->n++;
    if ((v[1].type == 'T' && r->bio == NULL) || (v[2].type == 'T' && r->niches == NULL) ||
        (v[3].type == 'T' && r->old == NULL))
        return cr_error_oom();
    return CR_OK;
}

static dirty_row *batch_find(dirty_batch *b, int64_t id)
{
    size_t lo = 0, hi = b->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->rows[mid].id == id)
            return &b->rows[mid];
        if (b->rows[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static cr_err caption_cb(const cr_value *v, size_t n, void *payload)
{
    dirty_row *r = batch_find(payload, col_i(&v[0]));

    (void)n;
    if (r == NULL || r->ncaptions >= MAX_CAPTIONS || v[1].type != 'T')
        return CR_OK;
    r->ncaptions++;
    return cr_discover__words(&r->captions, v[1].s, v[1].len);
}

/* word -> df delta over a whole refresh */
typedef struct {
    cr_map index;
    cr_str words; /* NUL-separated */
    size_t *off;
    int64_t *delta;
    size_t n, cap;
} df_delta;

static cr_err df_add(df_delta *d, const char *w, size_t len, int64_t by)
{
    int64_t at;
    cr_err rc;

    if (cr_map_get(&at, &d->index, w, len) == CR_OK) {
        d->delta[at] += by;
        return CR_OK;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        size_t *off = cr_realloc(d->off, cap * sizeof(*off));
        int64_t *delta;
        if (off == NULL)
            return cr_error_oom();
        d->off = off;
        if ((delta = cr_realloc(d->delta, cap * sizeof(*delta))) == NULL)
            return cr_error_oom();
        d->delta = delta;
        d->cap = cap;
    }
    d->off[d->n] = d->words.len;
    d->delta[d->n] = by;
    if ((rc = cr_str_put(&d->words, w, len)) < 0 || (rc = cr_str_putc(&d->words, '\0')) < 0 ||
        (rc = cr_map_put(&d->index, w, len, (int64_t)d->n)) < 0)
        return rc;
    d->n++;
    return CR_OK;
}

static cr_err df_bag(df_delta *d, const char *text, int64_t by)
{
    cr_bag b;
    size_t i;
    cr_err rc;

    cr_bag_init(&b);
    rc = cr_bag_fill(&b, text);
    for (i = 0; i < b.n && rc == CR_OK; i++)
        rc = df_add(d, b.terms[i].word, b.terms[i].len, by);
    cr_bag_dispose(&b);
    return rc;
}

static void batch_clear(dirty_batch *b)
{
    size_t i;

    for (i = 0; i < b->n; i++) {
        cr_free(b->rows[i].bio);
        cr_free(b->rows[i].niches);
        cr_free(b->rows[i].old);
        cr_str_dispose(&b->rows[i].captions);
    }
    b->n = 0;
}

static cr_err build_docs(cr_store *st, df_delta *dd, int64_t now)
{
    dirty_batch b = { NULL, 0 };
    int64_t after = 0;
    cr_str doc;
    cr_err rc = CR_OK;

    cr_str_init(&doc, 0);
    if ((b.rows = cr_calloc(BATCH, sizeof(*b.rows))) == NULL)
        return cr_error_oom();
    for (;;) {
        cr_value p[3] = { v_int(after), v_int(BATCH), v_int(0) };
        size_t i;
        batch_clear(&b);
        if ((rc = st->be->query(st->be, sql_dirty_batch, p, 2, dirty_cb, &b)) < 0)
            break;
        if (b.n == 0)
            break;
        p[0] = v_int(b.rows[0].id);
        p[1] = v_int(b.rows[b.n - 1].id);
        if ((rc = st->be->query(st->be, sql_captions, p, 2, caption_cb, &b)) < 0)
            break;
        for (i = 0; i < b.n && rc == CR_OK; i++) {
            dirty_row *r = &b.rows[i];
            if (r->gone)
                continue;
            cr_str_clear(&doc);
            if ((rc = cr_str_puts(&doc, "")) < 0)
                break;
            if (r->bio)
                rc = cr_discover__words(&doc, r->bio, strlen(r->bio));
            if (r->niches && rc == CR_OK)
                rc = cr_discover__words(&doc, r->niches, strlen(r->niches));
            if (r->captions.len > 0 && rc == CR_OK) {
                if (doc.len > 0)
                    cr_str_putc(&doc, ' ');
                rc = cr_str_put(&doc, cr_str_cstr(&r->captions), r->captions.len);
            }
            if (rc < 0)
                break;
            if (r->has_old && strcmp(r->old, cr_str_cstr(&doc)) == 0)
                continue;
            if (r->has_old)
                rc = df_bag(dd, r->old, -1);
            else
                rc = df_add(dd, "", 0, 1); /* one more indexed creator */
            if (rc == CR_OK)
                rc = df_bag(dd, cr_str_cstr(&doc), 1);
            if (rc == CR_OK) {
                cr_value w[3] = { v_int(r->id), v_text(cr_str_cstr(&doc)), v_int(now) };
                rc = run(st, sql_doc_put, w, 3);
            }
        }
        if (rc < 0)
            break;
        after = b.rows[b.n - 1].id;
        if ((rc = run(st, sql_dirty_done, p, 2)) < 0)
            break;
    }
    batch_clear(&b);
    cr_free(b.rows);
    cr_str_dispose(&doc);
    return rc;
}

static cr_err mark_cb(const cr_value *v, size_t n, void *payload)
{
    (void)n;
    if (v[0].type == 'T')
        snprintf(payload, 96, "%.*s", (int)(v[0].len < 95 ? v[0].len : 95), v[0].s);
    else
        snprintf(payload, 96, "%lld", (long long)col_i(&v[0]));
    return CR_OK;
}

cr_err cr_store_discover_refresh(cr_store *st, int perf)
{
    char mark[96] = "", stored[96] = "";
    df_delta dd;
    int own = !st->in_tx;
    int64_t now = (int64_t)time(NULL);
    size_t i;
    cr_err rc;

    memset(&dd, 0, sizeof(dd));
    cr_map_init(&dd.index);
    cr_str_init(&dd.words, 0);
    if (own && (rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = cr_store__flush_derived(st)) < 0 || (rc = build_docs(st, &dd, now)) < 0)
        goto done;
    for (i = 0; i < dd.n; i++) {
        cr_value w[2];
        if (dd.delta[i] == 0)
            continue;
        w[0] = v_text(cr_str_cstr(&dd.words) + dd.off[i]);
        w[1] = v_int(dd.delta[i]);
        if ((rc = run(st, sql_term_add, w, 2)) < 0)
            goto done;
    }
    if ((rc = st->be->query(st->be, sql_import_mark, NULL, 0, mark_cb, mark)) < 0 ||
        (rc = st->be->query(st->be, sql_perf_mark_get, NULL, 0, mark_cb, stored)) < 0)
        goto done;
    if (perf || strcmp(mark, stored) != 0) {
        cr_value w[2] = { v_text(mark), v_int(now) };
        if ((rc = run(st, sql_perf_clear, NULL, 0)) < 0 ||
            (rc = run(st, sql_perf_build, NULL, 0)) < 0)
            goto done;
        /* written only when it changes, so that a refresh of unchanged data changes nothing */
        if (strcmp(mark, stored) != 0 && (rc = run(st, sql_perf_mark_set, w, 2)) < 0)
            goto done;
    }
done:
    cr_map_dispose(&dd.index);
    cr_str_dispose(&dd.words);
    cr_free(dd.off);
    cr_free(dd.delta);
    if (own)
        rc = rc < 0 ? (cr_store_rollback(st), rc) : cr_store_commit(st);
    return rc;
}

/* ---- candidates ---------------------------------------------------------------------------- */

#define CAND_COLS                                                                                 \
    "SELECT c.id, c.platform, c.handle, c.name, c.country, c.language, cd.doc, c.audience,"       \
    " c.followers, c.engagement_rate, " FEE ", coalesce(c.fee_currency, (SELECT max(pa.currency)" \
    " FROM partnership pa WHERE pa.creator_id = c.id AND pa.fee_minor > 0)), c.audience_quality," \
    " coalesce(pf.posts, 0), coalesce(pf.reach_posts, 0), coalesce(pf.reach, 0),"                 \
    " coalesce(pf.eng_reach, 0), coalesce(pf.eng_posts, 0), coalesce(pf.engagements, 0),"         \
    " coalesce(pf.click_posts, 0), coalesce(pf.clicks, 0), coalesce(pf.click_impressions, 0),"    \
    " coalesce(pf.sessions, 0), coalesce(pf.leads, 0), coalesce(pf.orders, 0),"                   \
    " coalesce(pf.revenue_minor, 0)"
#define FEE                                                                                     \
    "coalesce(c.fee_minor, (SELECT max(pa.fee_minor) FROM partnership pa WHERE pa.creator_id =" \
    " c.id AND pa.fee_minor > 0))"
#define AUD(dim, k, s)                                                                         \
    " AND (" PT(k) " IS NULL OR EXISTS (SELECT 1 FROM creator_audience a WHERE a.creator_id =" \
                   " c.id AND a.dim = '" dim "' AND a.key = " PT(k) " AND a.share >= " PR(s) "))"
#define CAND_FILTERS                                                                               \
    " c.workspace_id = 1"                                                                          \
    " AND (" PT(2) " IS NULL OR c.platform = " PT(                                                 \
        2) ")"                                                                                     \
           " AND (c.followers BETWEEN " PI(3) " AND " PI(4) " OR (c.followers IS NULL AND " PI(    \
               3) " = 0))"                                                                         \
                  " AND (" PT(5) " IS NULL OR c.language = " PT(5) " OR c.language LIKE " PT(      \
                      5) " || '-%')" AUD("country", 6, 7) AUD("age", 8, 9)                         \
                      AUD("gender", 10, 11) " AND (" PR(                                           \
                          12) " IS NULL OR c.audience_quality IS NULL OR c.audience_quality "      \
                              ">= " PR(12) ")"                                                     \
                                           " AND (" PI(13) " < 0 OR " FEE " >= " PI(               \
                                               13) ")"                                             \
                                                   " AND (" PI(14) " < 0 OR " FEE " <= " PI(       \
                                                       14) ")"                                     \
                                                           " AND (" PI(15) " = 0 OR NOT EXISTS "   \
                                                                           "(SELECT 1 FROM "       \
                                                                           "partnership pn WHERE " \
                                                                           "pn.campaign_id = " PI( \
                                                                               15) " AND "         \
                                                                                   "pn.creator_"   \
                                                                                   "id = c.id))"   \
                                                                                   " AND (" PI(    \
                                                                                       16) " = 1 " \
                                                                                           "OR "   \
                                                                                           "c."    \
                                                                                           "opted" \
                                                                                           "_out " \
                                                                                           "= 0)"  \
                                                                                           " AND " \
                                                                                           "c.id " \
                                                                                           "<>"    \
                                                                                           " " PI( \
                                                                                               17)
#define PERF_JOIN " LEFT JOIN creator_perf pf ON pf.creator_id = c.id"

/* SQLite: the best matches by rank first, with only their id and rank in the sorter (not the
 * text columns), then their rows; CROSS JOIN keeps FTS5 driving (SQLite's planner would
 * otherwise scan creator and probe the index per row when a filter looks selective). */
static const char sql_cand_fts_sqlite[] = CAND_COLS
    " FROM (SELECT c.id AS id, creator_fts.rank AS r FROM creator_fts"
    " CROSS JOIN creator c ON c.id = creator_fts.rowid"
    " WHERE creator_fts MATCH " PT(
        1) " AND" CAND_FILTERS
           " ORDER BY creator_fts.rank, c.id LIMIT " PI(
               18) ") m"
                   " CROSS JOIN creator c ON c.id = m.id"
                   " JOIN creator_doc cd ON cd.creator_id = c.id" PERF_JOIN " ORDER BY m.r, m.id";
static const char sql_cand_fts_pg[] = CAND_COLS
    " FROM creator_doc cd JOIN creator c ON c.id = cd.creator_id" PERF_JOIN
    " WHERE cd.tsv @@ to_tsquery('simple', " PT(
        1) ") AND" CAND_FILTERS
           " ORDER BY ts_rank(cd.tsv, to_tsquery('simple', " PT(1) ")) DESC, c.id LIMIT " PI(18);
static const char sql_cand_all_sqlite[] =
    CAND_COLS " FROM creator c LEFT JOIN creator_doc cd ON cd.creator_id = c.id" PERF_JOIN
              " WHERE " PT(1) " IS NULL AND" CAND_FILTERS
                              " ORDER BY c.followers DESC, c.id DESC LIMIT " PI(18);
static const char sql_cand_all_pg[] =
    CAND_COLS " FROM creator c LEFT JOIN creator_doc cd ON cd.creator_id = c.id" PERF_JOIN
              " WHERE " PT(1) " IS NULL AND" CAND_FILTERS
                              " ORDER BY c.followers DESC NULLS LAST, c.id DESC LIMIT " PI(18);
static const char sql_cand_one[] =
    CAND_COLS " FROM creator c LEFT JOIN creator_doc cd ON cd.creator_id = c.id" PERF_JOIN
              " WHERE c.id = " PI(1);

typedef struct {
    cr_discover_row_cb cb;
    void *payload;
} cand_ctx;

static cr_err cand_row(const cr_value *v, size_t n, void *payload)
{
    cand_ctx *c = payload;
    cr_discover_row r;

    if (n < 26)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "candidate row has %zu columns", n);
    memset(&r, 0, sizeof(r));
    r.id = col_i(&v[0]);
    r.platform = col_s(&v[1]);
    r.handle = col_s(&v[2]);
    r.name = col_s(&v[3]);
    r.country = col_s(&v[4]);
    r.language = col_s(&v[5]);
    r.doc = col_s(&v[6]) ? v[6].s : "";
    r.audience = col_s(&v[7]);
    r.followers = v[8].type == 'N' ? CR_COUNT_NONE : col_i(&v[8]);
    r.reported_er = col_d(&v[9]);
    r.fee_minor = v[10].type == 'N' ? -1 : col_i(&v[10]);
    r.fee_currency = col_s(&v[11]);
    r.quality = col_d(&v[12]);
    r.posts = col_i(&v[13]);
    r.reach_posts = col_i(&v[14]);
    r.reach = col_i(&v[15]);
    r.eng_reach = col_i(&v[16]);
    r.eng_posts = col_i(&v[17]);
    r.engagements = col_i(&v[18]);
    r.click_posts = col_i(&v[19]);
    r.clicks = col_i(&v[20]);
    r.click_impressions = col_i(&v[21]);
    r.sessions = col_i(&v[22]);
    r.leads = col_i(&v[23]);
    r.orders = col_i(&v[24]);
    r.revenue_minor = col_i(&v[25]);
    return c->cb(&r, c->payload);
}

cr_err cr_store_discover_candidates(cr_store *st,
                                    const cr_discover_filter *f,
                                    cr_discover_row_cb cb,
                                    void *payload)
{
    cand_ctx c = { cb, payload };
    cr_str match;
    cr_value p[18];
    const char *sql;
    int pg = is_pg(st);
    cr_err rc;

    cr_str_init(&match, 0);
    if (f->fts != NULL) {
        /* "a b" -> "a" OR "b" (FTS5) or a | b (tsquery); the words are normalized already */
        const char *w = f->fts;
        while (*w) {
            const char *e = strchr(w, ' ');
            size_t len = e ? (size_t)(e - w) : strlen(w);
            if (len > 0) {
                if (match.len > 0 && (rc = cr_str_puts(&match, pg ? " | " : " OR ")) < 0)
                    goto done;
                if ((rc = cr_str_printf(&match, pg ? "%.*s" : "\"%.*s\"", (int)len, w)) < 0)
                    goto done;
            }
            w += len + (e != NULL);
        }
    }
    sql = match.len > 0 ? (pg ? sql_cand_fts_pg : sql_cand_fts_sqlite)
                        : (pg ? sql_cand_all_pg : sql_cand_all_sqlite);
    p[0] = v_text(match.len > 0 ? cr_str_cstr(&match) : NULL);
    p[1] = v_text(f->platform);
    p[2] = v_int(f->min_followers < 0 ? 0 : f->min_followers);
    p[3] = v_int(f->max_followers < 0 ? INT64_MAX : f->max_followers);
    p[4] = v_text(f->language);
    p[5] = v_text(f->country);
    p[6] = v_real(f->country ? f->country_share : 0);
    p[7] = v_text(f->age);
    p[8] = v_real(f->age ? f->age_share : 0);
    p[9] = v_text(f->gender);
    p[10] = v_real(f->gender ? f->gender_share : 0);
    p[11] = v_real(f->min_quality);
    p[12] = v_int(f->min_fee_minor);
    p[13] = v_int(f->max_fee_minor);
    p[14] = v_int(f->not_in_campaign);
    p[15] = v_int(f->include_opted_out ? 1 : 0);
    p[16] = v_int(f->exclude_id);
    p[17] = v_int(f->cap > 0 ? f->cap : 100000);
    if (f->fts != NULL && match.len == 0) {
        rc = CR_OK; /* words that normalize to nothing match nothing */
        goto done;
    }
    rc = st->be->query(st->be, sql, p, 18, cand_row, &c);
done:
    cr_str_dispose(&match);
    return rc;
}

cr_err
cr_store_discover_creator(cr_store *st, int64_t creator_id, cr_discover_row_cb cb, void *payload)
{
    cand_ctx c = { cb, payload };
    cr_value id = v_int(creator_id);
    int64_t seen = 0;
    cr_err rc;

    (void)seen;
    rc = st->be->query(st->be, sql_cand_one, &id, 1, cand_row, &c);
    return rc;
}

static const char sql_df[] = "SELECT df FROM discover_term WHERE term = " PT(1);

static cr_err df_cb(const cr_value *v, size_t n, void *payload)
{
    (void)n;
    *(int64_t *)payload = col_i(&v[0]);
    return CR_OK;
}

cr_err cr_store_discover_df(int64_t *out, cr_store *st, const char *word)
{
    cr_value w = v_text(word);

    *out = 0;
    return st->be->query(st->be, sql_df, &w, 1, df_cb, out);
}

static const char sql_er_list[] =
    "SELECT c.followers, pf.reach, pf.eng_reach, pf.engagements, pf.eng_posts"
    " FROM creator_perf pf JOIN creator c ON c.id = pf.creator_id";

typedef struct {
    cr_discover_er_cb cb;
    void *payload;
} er_ctx;

static cr_err er_row(const cr_value *v, size_t n, void *payload)
{
    er_ctx *c = payload;
    int64_t followers = v[0].type == 'N' ? CR_COUNT_NONE : col_i(&v[0]);
    int64_t reach = col_i(&v[1]), eng_reach = col_i(&v[2]), eng = col_i(&v[3]);
    int64_t eng_posts = col_i(&v[4]);
    double by_reach = reach > 0 ? (double)eng_reach / (double)reach : NAN;
    double by_followers =
        eng_posts > 0 && followers > 0 ? (double)eng / (double)eng_posts / (double)followers : NAN;

    (void)n;
    return c->cb(followers, by_reach, by_followers, c->payload);
}

cr_err cr_store_discover_er_list(cr_store *st, cr_discover_er_cb cb, void *payload)
{
    er_ctx c = { cb, payload };

    return st->be->query(st->be, sql_er_list, NULL, 0, er_row, &c);
}

/* ---- saved searches ------------------------------------------------------------------------ */

static const char sql_saved_put[] =
    "INSERT INTO saved_search (workspace_id, name, query, created_at) VALUES (1, " PT(1) ", " PT(
        2) ", " PI(3) ") ON CONFLICT (workspace_id, name) DO UPDATE SET query = excluded.query,"
                      " created_at = excluded.created_at, run_at = 0, result_count = 0, new_count "
                      "= 0,"
                      " result_ids = '', seen_ids = ''";
#define SAVED_COLS                                                                              \
    "SELECT id, name, query, created_at, run_at, result_count, new_count, result_ids, seen_ids" \
    " FROM saved_search WHERE workspace_id = 1"
static const char sql_saved_get[] = SAVED_COLS " AND name = " PT(1);
static const char sql_saved_list[] = SAVED_COLS " ORDER BY name";
static const char sql_saved_ran[] =
    "UPDATE saved_search SET run_at = " PI(2) ", result_ids = " PT(3) ", result_count = " PI(
        4) ", new_count = " PI(5) ", seen_ids = coalesce(" PT(6) ", seen_ids) WHERE id = " PI(1);
static const char sql_saved_del[] =
    "DELETE FROM saved_search WHERE workspace_id = 1 AND name = " PT(1);

cr_err cr_store_saved_search_put(cr_store *st, const char *name, const char *query)
{
    cr_value p[3] = { v_text(name), v_text(query), v_int((int64_t)time(NULL)) };

    return run(st, sql_saved_put, p, 3);
}

typedef struct {
    cr_saved_search_cb cb;
    void *payload;
    int found;
} saved_ctx;

static cr_err saved_row(const cr_value *v, size_t n, void *payload)
{
    saved_ctx *c = payload;
    cr_saved_search s;

    (void)n;
    memset(&s, 0, sizeof(s));
    s.id = col_i(&v[0]);
    s.name = col_s(&v[1]);
    s.query = col_s(&v[2]) ? v[2].s : "";
    s.created_at = col_i(&v[3]);
    s.run_at = col_i(&v[4]);
    s.result_count = col_i(&v[5]);
    s.new_count = col_i(&v[6]);
    s.result_ids = col_s(&v[7]) ? v[7].s : "";
    s.seen_ids = col_s(&v[8]) ? v[8].s : "";
    c->found = 1;
    return c->cb(&s, c->payload);
}

cr_err
cr_store_saved_search_get(cr_store *st, const char *name, cr_saved_search_cb cb, void *payload)
{
    saved_ctx c = { cb, payload, 0 };
    cr_value p = v_text(name);
    cr_err rc = st->be->query(st->be, sql_saved_get, &p, 1, saved_row, &c);

    if (rc == CR_OK && !c.found)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no saved search named '%s'", name);
    return rc;
}

cr_err cr_store_saved_search_list(cr_store *st, cr_saved_search_cb cb, void *payload)
{
    saved_ctx c = { cb, payload, 0 };

    return st->be->query(st->be, sql_saved_list, NULL, 0, saved_row, &c);
}

cr_err cr_store_saved_search_ran(cr_store *st,
                                 int64_t id,
                                 int64_t run_at,
                                 const char *result_ids,
                                 int64_t result_count,
                                 int64_t new_count,
                                 const char *seen_ids)
{
    cr_value p[6] = { v_int(id),           v_int(run_at),    v_text(result_ids),
                      v_int(result_count), v_int(new_count), v_text(seen_ids) };

    return run(st, sql_saved_ran, p, 6);
}

static cr_err count_cb(const cr_value *v, size_t n, void *payload)
{
    (void)v;
    (void)n;
    (*(int *)payload)++;
    return CR_OK;
}

static const char sql_saved_exists[] =
    "SELECT 1 FROM saved_search WHERE workspace_id = 1 AND name = " PT(1);

cr_err cr_store_saved_search_delete(cr_store *st, const char *name)
{
    cr_value p = v_text(name);
    int found = 0;
    cr_err rc = st->be->query(st->be, sql_saved_exists, &p, 1, count_cb, &found);

    if (rc < 0)
        return rc;
    if (!found)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no saved search named '%s'", name);
    return run(st, sql_saved_del, &p, 1);
}
