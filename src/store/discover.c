/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.c - the discovery layer of the store, written once over the backends' query() like
 * track.c: the search text of each creator (bio, niches, recent captions) and its word counts,
 * per-creator sums of the post rollups, the candidates with their filters (on an in-memory
 * snapshot of the filter columns, below), audience shares and saved searches. Only the text
 * match differs by dialect: SQLite's FTS5 table creator_fts (MATCH, with the word counts of
 * crest_tf(), src/store/sqlite/sqlite.c) and PostgreSQL's tsvector column with a GIN index (@@,
 * the counts taken from the text); neither ranks: the cap keeps crest's own best relevance.
 *
 * The index catches up lazily and in batches: triggers queue the creators whose bio, niches or
 * posts changed (discover_dirty), and cr_store_discover_refresh() rebuilds their text, counts
 * the words that came and went (discover_term, the IDF of the ranking) and, after an import,
 * rebuilds creator_perf set-based. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crest/discover.h"
#include "discover/vec.h"
#include "store/portable.h"
#include "store/store_int.h"
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
#define PERF_JOIN " LEFT JOIN creator_perf pf ON pf.creator_id = c.id"

/* ---- the filter snapshot ------------------------------------------------------------------- */

/* The filter columns of every creator, compact and in memory, so that a search filters its text
 * matches without reading their rows: a match costs a few array reads instead of b-tree lookups
 * of the creator row, its audience rows and its partnerships. Built on the first search and kept
 * by the store handle (a long-lived `crest serve` keeps it warm) while the setting discover.gen
 * holds the value it was built under; triggers bump that on every write to a creator's filter
 * columns or to partnerships (migration 10), from this process or another. */
typedef struct cr_discover_snap cr_discover_snap;

#define SNAP_WS1       1 /* workspace 1 */
#define SNAP_OPTED_OUT 2
#define SNAP_NAMES_MAX 65535

/* one creator's filter columns, together: a match reads one or two cache lines */
typedef struct {
    int64_t id;
    int64_t followers; /* CR_COUNT_NONE NULL */
    int64_t fee;       /* the creator's fee, else its highest partnership fee; -1 NULL */
    double quality;    /* NAN NULL */
    uint32_t aud_off;  /* its audience shares: aud_key/aud_share[aud_off, aud_off + naud) */
    uint16_t naud;
    uint16_t platform, language; /* name index + 1; 0 NULL */
    uint8_t flags;
} snap_row;

struct cr_discover_snap {
    char gen[96];
    char *url; /* the database; NULL: private to one handle (built inside a transaction) */
    int refs;  /* the handles that hold it, and the shared list */
    struct cr_discover_snap *next; /* in the shared list */
    size_t n;
    snap_row *row;    /* by ascending id */
    int32_t *slot_of; /* id -> slot or -1, when the ids are dense; else NULL (binary search) */
    int64_t max_id;
    int aud_ready;     /* the audience shares are read (snap_audience, on first need) */
    uint16_t *aud_key; /* name index of "dim:key" */
    double *aud_share;
    size_t naud, aud_cap;
    int32_t *by_followers; /* slots by followers (NULL last), then id, both descending; made
                            * by the first search without words (snap_by_followers) */
    cr_map names;          /* platform, language and "dim:key" -> index */
    size_t nnames;
    cr_str name_buf; /* the names, NUL-separated, at name_off[index] */
    size_t *name_off;
};

/* Snapshots that handles of a database share (one per database: the newest built), under
 * snap_mu; a snapshot is never changed once built, so readers need no lock. */
static pthread_mutex_t snap_mu = PTHREAD_MUTEX_INITIALIZER;
static cr_discover_snap *snap_shared;

static void snap_free(cr_discover_snap *s)
{
    cr_free(s->row);
    cr_free(s->slot_of);
    cr_free(s->aud_key);
    cr_free(s->aud_share);
    cr_free(s->by_followers);
    cr_map_dispose(&s->names);
    cr_str_dispose(&s->name_buf);
    cr_free(s->name_off);
    cr_free(s->url);
    cr_free(s);
}

/* drop one reference; the caller holds snap_mu */
static void snap_unref(cr_discover_snap *s)
{
    if (s != NULL && --s->refs == 0)
        snap_free(s);
}

void cr_store__discover_drop(cr_store *st)
{
    if (st->disc == NULL)
        return;
    pthread_mutex_lock(&snap_mu);
    if (st->disc->url != NULL && st->disc->refs == 2) {
        /* the last handle lets go: the shared list does too */
        cr_discover_snap **at;
        for (at = &snap_shared; *at != NULL; at = &(*at)->next)
            if (*at == st->disc) {
                *at = st->disc->next;
                snap_unref(st->disc);
                break;
            }
    }
    snap_unref(st->disc);
    pthread_mutex_unlock(&snap_mu);
    st->disc = NULL;
}

void cr_store__discover_rollback(cr_store *st)
{
    if (st->disc != NULL && st->disc->url == NULL)
        cr_store__discover_drop(st);
}

static cr_err snap_name(uint16_t *out, cr_discover_snap *s, const char *name, size_t len)
{
    int64_t at;
    cr_err rc;

    if (cr_map_get(&at, &s->names, name, len) == CR_OK) {
        *out = (uint16_t)(at + 1);
        return CR_OK;
    }
    if (s->nnames >= SNAP_NAMES_MAX)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                            "discovery: more than %d distinct platforms, languages and audience "
                            "keys",
                            SNAP_NAMES_MAX);
    if ((s->nnames & 63) == 0) {
        size_t *off = cr_realloc(s->name_off, (s->nnames + 64) * sizeof(*off));
        if (off == NULL)
            return cr_error_oom();
        s->name_off = off;
    }
    s->name_off[s->nnames] = s->name_buf.len;
    if ((rc = cr_map_put(&s->names, name, len, (int64_t)s->nnames)) < 0 ||
        (rc = cr_str_put(&s->name_buf, name, len)) < 0 || (rc = cr_str_putc(&s->name_buf, 0)) < 0)
        return rc;
    *out = (uint16_t)(++s->nnames);
    return CR_OK;
}

/* the name's index + 1, or 0 when no creator has it */
static uint16_t snap_find(const cr_discover_snap *s, const char *name, size_t len)
{
    int64_t at;

    return cr_map_get(&at, &s->names, name, len) == CR_OK ? (uint16_t)(at + 1) : 0;
}

static int64_t snap_slot(const cr_discover_snap *s, int64_t id)
{
    size_t lo = 0, hi = s->n;

    if (s->slot_of != NULL)
        return id >= 0 && id <= s->max_id ? s->slot_of[id] : -1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->row[mid].id == id)
            return (int64_t)mid;
        if (s->row[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const char sql_gen[] =
    "SELECT value FROM setting WHERE workspace_id = 1 AND key = 'discover.gen'";
static const char sql_gen_rearm[] = "SELECT set_config('crest.discover_gen_tx', '', true)";
static const char sql_snap_count[] = "SELECT count(*), coalesce(max(id), 0) FROM creator";
static const char sql_snap_creators[] =
    "SELECT id, workspace_id, platform, language, followers, audience_quality, opted_out,"
    " fee_minor FROM creator ORDER BY id";
static const char sql_snap_fees[] =
    "SELECT creator_id, max(fee_minor) FROM partnership WHERE fee_minor > 0 GROUP BY creator_id";
static const char sql_snap_audience[] =
    "SELECT creator_id, dim, key, share FROM creator_audience ORDER BY creator_id, dim, key";

typedef struct {
    cr_discover_snap *s;
    size_t cap; /* rows the arrays hold */
} snap_build;

static cr_err snap_count_cb(const cr_value *v, size_t n, void *payload)
{
    snap_build *b = payload;

    (void)n;
    b->cap = (size_t)col_i(&v[0]);
    b->s->max_id = col_i(&v[1]);
    return CR_OK;
}

static cr_err snap_creator_cb(const cr_value *v, size_t n, void *payload)
{
    snap_build *b = payload;
    cr_discover_snap *s = b->s;
    size_t i = s->n;
    cr_err rc;

    (void)n;
    if (i >= b->cap) /* a creator added since the count (another connection) */
        return CR_OK;
    s->row[i].id = col_i(&v[0]);
    s->row[i].flags =
        (uint8_t)((col_i(&v[1]) == 1 ? SNAP_WS1 : 0) | (col_i(&v[6]) != 0 ? SNAP_OPTED_OUT : 0));
    s->row[i].platform = s->row[i].language = 0;
    if (col_s(&v[2]) && (rc = snap_name(&s->row[i].platform, s, v[2].s, v[2].len)) < 0)
        return rc;
    if (col_s(&v[3]) && (rc = snap_name(&s->row[i].language, s, v[3].s, v[3].len)) < 0)
        return rc;
    s->row[i].followers = col_count(&v[4]);
    s->row[i].quality = col_d(&v[5]);
    s->row[i].fee = v[7].type == 'N' ? -1 : col_i(&v[7]);
    s->n++;
    return CR_OK;
}

static cr_err snap_fee_cb(const cr_value *v, size_t n, void *payload)
{
    cr_discover_snap *s = payload;
    int64_t at = snap_slot(s, col_i(&v[0]));

    (void)n;
    if (at >= 0 && s->row[at].fee < 0 && v[1].type != 'N')
        s->row[at].fee = col_i(&v[1]);
    return CR_OK;
}

typedef struct {
    cr_discover_snap *s;
    int64_t last; /* slot of the previous row */
    cr_str key;
    /* the dimension-key pairs seen, most of them: every creator repeats a few of them, and
     * a look here is cheaper than formatting "dim:key" and hashing it 10 times a creator */
    struct {
        char dim[16], key[48];
        size_t dlen, klen;
        uint16_t name;
    } seen[64];
    size_t nseen;
} snap_aud;

static cr_err snap_audience_cb(const cr_value *v, size_t n, void *payload)
{
    snap_aud *a = payload;
    cr_discover_snap *s = a->s;
    int64_t at = snap_slot(s, col_i(&v[0]));
    size_t k;
    cr_err rc;

    (void)n;
    if (at < 0 || at < a->last || col_s(&v[1]) == NULL || col_s(&v[2]) == NULL)
        return CR_OK;
    if (s->naud == s->aud_cap) {
        size_t cap = s->aud_cap ? s->aud_cap * 2 : 1024;
        uint16_t *nk = cr_realloc(s->aud_key, cap * sizeof(*nk));
        double *sh;

        if (nk == NULL)
            return cr_error_oom();
        s->aud_key = nk;
        if ((sh = cr_realloc(s->aud_share, cap * sizeof(*sh))) == NULL)
            return cr_error_oom();
        s->aud_share = sh;
        s->aud_cap = cap;
    }
    for (k = 0; k < a->nseen; k++)
        if (a->seen[k].dlen == v[1].len && a->seen[k].klen == v[2].len &&
            memcmp(a->seen[k].dim, v[1].s, v[1].len) == 0 &&
            memcmp(a->seen[k].key, v[2].s, v[2].len) == 0)
            break;
    if (k < a->nseen) {
        s->aud_key[s->naud] = a->seen[k].name;
    } else {
        cr_str_clear(&a->key);
        if ((rc = cr_str_printf(&a->key, "%.*s:%.*s", (int)v[1].len, v[1].s, (int)v[2].len,
                                v[2].s)) < 0 ||
            (rc = snap_name(&s->aud_key[s->naud], s, cr_str_cstr(&a->key), a->key.len)) < 0)
            return rc;
        if (a->nseen < 64 && v[1].len < sizeof(a->seen[0].dim) &&
            v[2].len < sizeof(a->seen[0].key)) {
            k = a->nseen++;
            memcpy(a->seen[k].dim, v[1].s, v[1].len);
            memcpy(a->seen[k].key, v[2].s, v[2].len);
            a->seen[k].dlen = v[1].len;
            a->seen[k].klen = v[2].len;
            a->seen[k].name = s->aud_key[s->naud];
        }
    }
    s->aud_share[s->naud] = col_d(&v[3]);
    s->naud++;
    if (s->row[at].naud == UINT16_MAX)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                            "discovery: creator %lld has more than %d audience shares",
                            (long long)s->row[at].id, UINT16_MAX);
    s->row[at].naud++;
    a->last = at;
    return CR_OK;
}

typedef struct {
    int64_t followers, id;
    int32_t slot;
} by_followers_key;

static int cmp_by_followers(const void *x, const void *y)
{
    const by_followers_key *a = x, *b = y;

    if (a->followers != b->followers)
        return a->followers > b->followers ? -1 : 1; /* CR_COUNT_NONE (-1) sorts last */
    return a->id > b->id ? -1 : a->id < b->id;
}

/* The order of a search without words, made on the first such search (a search with words
 * does not need it); under snap_mu, as the snapshot may be shared already. */
static cr_err snap_by_followers(cr_discover_snap *s)
{
    by_followers_key *k;
    int32_t *order;
    size_t i;
    cr_err rc = CR_OK;

    pthread_mutex_lock(&snap_mu);
    if (s->by_followers != NULL)
        goto done;
    order = cr_calloc(s->n + 1, sizeof(*order));
    k = cr_calloc(s->n + 1, sizeof(*k));
    if (order == NULL || k == NULL) {
        cr_free(order);
        cr_free(k);
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < s->n; i++) {
        k[i].followers = s->row[i].followers;
        k[i].id = s->row[i].id;
        k[i].slot = (int32_t)i;
    }
    if (s->n > 1)
        cr_qsort(k, s->n, sizeof(*k), cmp_by_followers);
    for (i = 0; i < s->n; i++)
        order[i] = k[i].slot;
    cr_free(k);
    s->by_followers = order;
done:
    pthread_mutex_unlock(&snap_mu);
    return rc;
}

/* The audience shares (10 rows a creator where audiences are known: most of a build's time),
 * read by the first search that filters on them, or by cr_store_discover_prepare(); under
 * snap_mu, as the snapshot may be shared already. Readers of the names take snap_mu too. */
static cr_err snap_audience(cr_discover_snap *s, cr_store *st)
{
    snap_aud a;
    size_t i, off;
    cr_err rc = CR_OK;

    pthread_mutex_lock(&snap_mu);
    if (s->aud_ready)
        goto done;
    memset(&a, 0, sizeof(a));
    a.s = s;
    a.last = -1;
    cr_str_init(&a.key, 0);
    rc = st->be->query(st->be, sql_snap_audience, NULL, 0, snap_audience_cb, &a);
    cr_str_dispose(&a.key);
    if (rc < 0) {
        for (i = 0; i < s->n; i++)
            s->row[i].naud = 0;
        s->naud = 0;
        goto done;
    }
    if (s->naud > 0 && s->naud < s->aud_cap) { /* give back what the doubling left over */
        uint16_t *k = cr_realloc(s->aud_key, s->naud * sizeof(*k));
        double *sh;
        if (k != NULL)
            s->aud_key = k;
        if ((sh = cr_realloc(s->aud_share, s->naud * sizeof(*sh))) != NULL)
            s->aud_share = sh;
        if (k != NULL && sh != NULL)
            s->aud_cap = s->naud;
    }
    for (i = 0, off = 0; i < s->n; i++) {
        s->row[i].aud_off = (uint32_t)off;
        off += s->row[i].naud;
    }
    s->aud_ready = 1;
done:
    pthread_mutex_unlock(&snap_mu);
    return rc;
}

static cr_err snap_build_all(cr_discover_snap *s, cr_store *st)
{
    snap_build b = { s, 0 };
    size_t i, cap;
    cr_err rc;

    if ((rc = st->be->query(st->be, sql_snap_count, NULL, 0, snap_count_cb, &b)) < 0)
        return rc;
    cap = b.cap ? b.cap : 1;
    if ((s->row = cr_calloc(cap, sizeof(*s->row))) == NULL)
        return cr_error_oom();
    if ((rc = st->be->query(st->be, sql_snap_creators, NULL, 0, snap_creator_cb, &b)) < 0)
        return rc;
    /* ids are dense when creators are seldom deleted: index them directly */
    if (s->max_id >= 0 && (uint64_t)s->max_id < 4 * (uint64_t)s->n + 65536) {
        if ((s->slot_of = cr_calloc((size_t)s->max_id + 1, sizeof(*s->slot_of))) == NULL)
            return cr_error_oom();
        memset(s->slot_of, 0xff, ((size_t)s->max_id + 1) * sizeof(*s->slot_of));
        for (i = 0; i < s->n; i++)
            if (s->row[i].id >= 0 && s->row[i].id <= s->max_id)
                s->slot_of[s->row[i].id] = (int32_t)i;
    }
    if ((rc = st->be->query(st->be, sql_snap_fees, NULL, 0, snap_fee_cb, s)) < 0)
        return rc;
    return CR_OK;
}

/* The snapshot as of now: the one this handle holds, else the one another handle of the
 * database built under the same discover.gen, else a new one, shared unless it is built inside
 * a transaction (which may see writes that a rollback takes back). Without the setting (a store
 * that never had a creator) nothing tells when to rebuild: the snapshot serves one search. */
static cr_err snap_get(cr_discover_snap **out, cr_store *st)
{
    char gen[96] = "", gen_rearm[96];
    cr_discover_snap *s, **at;
    int share;
    cr_err rc;

    if ((rc = st->be->query(st->be, sql_gen, NULL, 0, mark_cb, gen)) < 0)
        return rc;
    if (st->disc != NULL && gen[0] != '\0' && strcmp(st->disc->gen, gen) == 0) {
        *out = st->disc;
        return CR_OK;
    }
    cr_store__discover_drop(st);
    share = !st->in_tx && gen[0] != '\0' && st->url != NULL;
    pthread_mutex_lock(&snap_mu); /* one build at a time: the others wait for it, then share */
    for (s = snap_shared; share && s != NULL; s = s->next)
        if (strcmp(s->url, st->url) == 0 && strcmp(s->gen, gen) == 0) {
            s->refs++;
            st->disc = *out = s;
            pthread_mutex_unlock(&snap_mu);
            return CR_OK;
        }
    if ((s = cr_calloc(1, sizeof(*s))) == NULL) {
        pthread_mutex_unlock(&snap_mu);
        return cr_error_oom();
    }
    cr_map_init(&s->names);
    cr_str_init(&s->name_buf, 0);
    memcpy(s->gen, gen, sizeof(s->gen));
    s->refs = 1;
    if ((rc = snap_build_all(s, st)) < 0 || (share && (s->url = cr_strdup(st->url)) == NULL)) {
        rc = rc < 0 ? rc : cr_error_oom();
        snap_free(s);
        pthread_mutex_unlock(&snap_mu);
        return rc;
    }
    /* PostgreSQL bumps discover.gen once per transaction (migration 10): a snapshot built
     * inside one clears that mark, so that a later write of the transaction bumps it again */
    if (!share && st->in_tx && is_pg(st) &&
        (rc = st->be->query(st->be, sql_gen_rearm, NULL, 0, mark_cb, gen_rearm)) < 0) {
        snap_free(s);
        pthread_mutex_unlock(&snap_mu);
        return rc;
    }
    if (share) {
        /* it replaces the database's older one, which lives on while a handle holds it */
        for (at = &snap_shared; *at != NULL; at = &(*at)->next)
            if (strcmp((*at)->url, st->url) == 0) {
                cr_discover_snap *old = *at;
                *at = old->next;
                snap_unref(old);
                break;
            }
        s->next = snap_shared;
        snap_shared = s;
        s->refs++;
    }
    pthread_mutex_unlock(&snap_mu);
    st->disc = *out = s;
    return CR_OK;
}

cr_err cr_store_discover_prepare(cr_store *st)
{
    cr_discover_snap *s;
    cr_err rc;

    if ((rc = snap_get(&s, st)) < 0 || (rc = snap_audience(s, st)) < 0)
        return rc;
    return snap_by_followers(s);
}

size_t cr_store_discover_snapshot_bytes(const cr_store *st)
{
    const cr_discover_snap *s = st->disc;
    size_t per;

    if (s == NULL)
        return 0;
    pthread_mutex_lock(&snap_mu);
    per = sizeof(*s->row) + (s->by_followers ? sizeof(*s->by_followers) : 0);
    per = sizeof(*s) + s->n * per + (s->slot_of ? ((size_t)s->max_id + 1) * 4 : 0) +
          s->aud_cap * (sizeof(*s->aud_key) + sizeof(*s->aud_share)) + s->name_buf.len;
    pthread_mutex_unlock(&snap_mu);
    return per;
}

/* ---- candidates ---------------------------------------------------------------------------- */

/* One query's filters, resolved against the snapshot's names. */
typedef struct {
    const cr_discover_snap *s;
    const cr_discover_filter *f;
    int none;        /* a name no creator has: nothing passes */
    uint16_t plat;   /* 0 any */
    uint8_t *lang;   /* per name index + 1: passes the language filter; NULL any */
    uint16_t aud[3]; /* 0 none */
    double share[3];
    size_t naud;
    int64_t min_f, max_f;
    int64_t *notin; /* sorted creator ids of the not_in campaign */
    size_t nnotin;
} snap_filter;

static cr_err notin_cb(const cr_value *v, size_t n, void *payload)
{
    snap_filter *sf = payload;
    int64_t *p;

    (void)n;
    if ((p = cr_realloc(sf->notin, (sf->nnotin + 1) * sizeof(*p))) == NULL)
        return cr_error_oom();
    sf->notin = p;
    sf->notin[sf->nnotin++] = col_i(&v[0]);
    return CR_OK;
}

static const char sql_notin[] =
    "SELECT DISTINCT creator_id FROM partnership WHERE campaign_id = " PI(1) " ORDER BY 1";

/* SQL's LIKE 'l-%' as SQLite runs it: ASCII letters in any case */
static int lang_prefix(const char *have, size_t hlen, const char *want)
{
    size_t i, wlen = strlen(want);

    if (hlen <= wlen || have[wlen] != '-')
        return 0;
    for (i = 0; i < wlen; i++) {
        char a = have[i], b = want[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

static cr_err
filter_init(snap_filter *sf, cr_store *st, cr_discover_snap *s, const cr_discover_filter *f)
{
    const char *dims[3] = { "country", "age", "gender" };
    const char *keys[3] = { f->country, f->age, f->gender };
    double shares[3] = { f->country_share, f->age_share, f->gender_share };
    size_t i;
    cr_err rc;

    memset(sf, 0, sizeof(*sf));
    sf->s = s;
    sf->f = f;
    sf->min_f = f->min_followers < 0 ? 0 : f->min_followers;
    sf->max_f = f->max_followers < 0 ? INT64_MAX : f->max_followers;
    if ((f->country || f->age || f->gender) && (rc = snap_audience(s, st)) < 0)
        return rc;
    pthread_mutex_lock(&snap_mu); /* the names grow when the audience shares are read */
    if (f->platform && (sf->plat = snap_find(s, f->platform, strlen(f->platform))) == 0)
        sf->none = 1;
    for (i = 0; i < 3; i++) {
        char key[64];
        if (keys[i] == NULL)
            continue;
        snprintf(key, sizeof(key), "%s:%s", dims[i], keys[i]);
        if ((sf->aud[sf->naud] = snap_find(s, key, strlen(key))) == 0)
            sf->none = 1;
        sf->share[sf->naud++] = shares[i];
    }
    if (f->language) {
        /* the names are few: mark those that pass (= l, or LIKE l || '-%') */
        if ((sf->lang = cr_calloc(s->nnames + 1, 1)) == NULL) {
            pthread_mutex_unlock(&snap_mu);
            return cr_error_oom();
        }
        for (i = 0; i < s->nnames; i++) {
            const char *name = cr_str_cstr(&s->name_buf) + s->name_off[i];
            sf->lang[i + 1] = (uint8_t)(strcmp(name, f->language) == 0 ||
                                        lang_prefix(name, strlen(name), f->language));
        }
    }
    pthread_mutex_unlock(&snap_mu);
    if (f->not_in_campaign != 0) {
        cr_value p = v_int(f->not_in_campaign);
        if ((rc = st->be->query(st->be, sql_notin, &p, 1, notin_cb, sf)) < 0)
            return rc;
    }
    return CR_OK;
}

static void filter_dispose(snap_filter *sf)
{
    cr_free(sf->lang);
    cr_free(sf->notin);
}

/* the SQL filters of the candidate query, on slot i */
static int filter_pass(const snap_filter *sf, size_t i)
{
    const cr_discover_snap *s = sf->s;
    const snap_row *r = &s->row[i];
    const cr_discover_filter *f = sf->f;
    int64_t fol = r->followers, fee = r->fee;
    size_t k;

    if (!(r->flags & SNAP_WS1) || r->id == f->exclude_id)
        return 0;
    if (!f->include_opted_out && (r->flags & SNAP_OPTED_OUT))
        return 0;
    if (sf->plat != 0 && r->platform != sf->plat)
        return 0;
    if (fol == CR_COUNT_NONE ? sf->min_f != 0 : (fol < sf->min_f || fol > sf->max_f))
        return 0;
    if (sf->lang != NULL && !sf->lang[r->language])
        return 0;
    if (!isnan(f->min_quality) && !isnan(r->quality) && !(r->quality >= f->min_quality))
        return 0;
    if (f->min_fee_minor >= 0 && (fee < 0 || fee < f->min_fee_minor))
        return 0;
    if (f->max_fee_minor >= 0 && (fee < 0 || fee > f->max_fee_minor))
        return 0;
    for (k = 0; k < sf->naud; k++) {
        uint32_t j = r->aud_off, end = r->aud_off + r->naud;
        while (j < end && s->aud_key[j] != sf->aud[k])
            j++;
        if (j == end || !(s->aud_share[j] >= sf->share[k]))
            return 0;
    }
    if (sf->nnotin > 0) {
        size_t lo = 0, hi = sf->nnotin;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sf->notin[mid] == r->id)
                return 0;
            if (sf->notin[mid] < r->id)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return 1;
}

/* A match that passed the filters, with the key of the cap. */
typedef struct {
    double relevance;
    int64_t followers, id;
} cand_key;

typedef struct {
    cr_store *st;
    const snap_filter *sf;
    const cr_bag *words;
    const double *idf;
    cand_key *k;
    size_t n, cap;
    int64_t *tf;
} match_ctx;

/* relevance as search.c computes it (cr_discover__relevance), from the match's counts */
static double match_relevance(const match_ctx *m)
{
    double sum = 0, norm = 0;
    size_t i;

    for (i = 0; i < m->words->n; i++) {
        double tf = (double)m->tf[i];
        sum += m->idf[i] * tf / (tf + 1.2);
        norm += m->idf[i];
    }
    return norm > 0 ? sum / norm : 0;
}

static int cmp_cand_key(const void *x, const void *y)
{
    const cand_key *a = x, *b = y;

    if (a->relevance != b->relevance)
        return a->relevance > b->relevance ? -1 : 1;
    if (a->followers != b->followers)
        return a->followers > b->followers ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* m->k is a heap of the best m->cap matches so far, the worst of them at the root: a match
 * costs one comparison once the heap is full, instead of a sort of all the matches */
static void heap_down(cand_key *k, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, worst = i;
        cand_key t;
        if (l < n && cmp_cand_key(&k[l], &k[worst]) > 0)
            worst = l;
        if (r < n && cmp_cand_key(&k[r], &k[worst]) > 0)
            worst = r;
        if (worst == i)
            return;
        t = k[i];
        k[i] = k[worst];
        k[worst] = t;
        i = worst;
    }
}

static cr_err match_push(match_ctx *m, int64_t id)
{
    int64_t at = snap_slot(m->sf->s, id);
    cand_key key;
    size_t i;

    if (at < 0 || !filter_pass(m->sf, (size_t)at))
        return CR_OK;
    key.relevance = match_relevance(m);
    key.followers = m->sf->s->row[at].followers;
    key.id = id;
    if (m->n == m->cap) {
        if (cmp_cand_key(&key, &m->k[0]) >= 0)
            return CR_OK;
        m->k[0] = key;
        heap_down(m->k, m->n, 0);
        return CR_OK;
    }
    for (i = m->n++; i > 0 && cmp_cand_key(&key, &m->k[(i - 1) / 2]) > 0; i = (i - 1) / 2)
        m->k[i] = m->k[(i - 1) / 2];
    m->k[i] = key;
    return CR_OK;
}

/* SQLite: rowid and crest_tf()'s counts, native ints in the order of the words (a blob,
 * which the backend hands over as bytes) */
static cr_err match_fts_cb(const cr_value *v, size_t n, void *payload)
{
    match_ctx *m = payload;
    size_t i;

    (void)n;
    if (v[1].type != 'T' || v[1].len != m->words->n * sizeof(int))
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "crest_tf gave %zu bytes for %zu words",
                            v[1].len, m->words->n);
    for (i = 0; i < m->words->n; i++) {
        int c;
        memcpy(&c, v[1].s + i * sizeof(int), sizeof(int));
        m->tf[i] = c;
    }
    return match_push(m, col_i(&v[0]));
}

/* PostgreSQL: the counts from the indexed text itself */
static cr_err match_doc_cb(const cr_value *v, size_t n, void *payload)
{
    match_ctx *m = payload;
    const char *p = col_s(&v[1]) ? v[1].s : "";
    size_t i;

    (void)n;
    for (i = 0; i < m->words->n; i++)
        m->tf[i] = 0;
    while (*p) {
        const char *e;
        while (*p == ' ')
            p++;
        for (e = p; *e && *e != ' '; e++)
            ;
        for (i = 0; i < m->words->n; i++)
            if (m->words->terms[i].len == (size_t)(e - p) &&
                memcmp(m->words->terms[i].word, p, (size_t)(e - p)) == 0)
                m->tf[i]++;
        p = e;
    }
    return match_push(m, col_i(&v[0]));
}

static const char sql_match_sqlite[] =
    "SELECT rowid, crest_tf(creator_fts) FROM creator_fts WHERE creator_fts MATCH " PT(1);
static const char sql_match_pg[] =
    "SELECT creator_id, doc FROM creator_doc WHERE tsv @@ to_tsquery('simple', " PT(1) ")";
static const char sql_rows_sqlite[] =
    CAND_COLS " FROM creator c LEFT JOIN creator_doc cd ON cd.creator_id = c.id" PERF_JOIN
              " WHERE c.id IN (SELECT value FROM json_each(" PT(1) "))";
static const char sql_rows_pg[] =
    CAND_COLS " FROM creator c LEFT JOIN creator_doc cd ON cd.creator_id = c.id" PERF_JOIN
              " WHERE c.id = ANY(string_to_array(" PT(1) ", ',')::bigint[])";
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

/* The candidates: the creators that pass the filters (on the snapshot) and, with words, hold
 * one of them (the text index); of those the cap best by relevance (ties: more followers, then
 * the lower id), else the cap largest; then their rows. */
cr_err cr_store_discover_candidates(cr_store *st,
                                    const cr_discover_filter *f,
                                    cr_discover_row_cb cb,
                                    void *payload)
{
    cand_ctx c = { cb, payload };
    cr_discover_snap *s;
    snap_filter sf;
    match_ctx m;
    cr_bag words;
    cr_str match, ids;
    cr_value p;
    double *idf = NULL;
    int64_t *tf = NULL, ndocs = 0, df, *pick = NULL;
    size_t i, cap = f->cap > 0 ? (size_t)f->cap : 100000, npick = 0;
    int pg = is_pg(st);
    cr_err rc;

    memset(&sf, 0, sizeof(sf));
    memset(&m, 0, sizeof(m));
    cr_bag_init(&words);
    cr_str_init(&match, 0);
    cr_str_init(&ids, 0);
    if ((rc = snap_get(&s, st)) < 0 || (rc = filter_init(&sf, st, s, f)) < 0)
        goto done;
    if ((pick = cr_calloc(cap + 1, sizeof(*pick))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if (f->fts != NULL) {
        /* "a b" -> "a" OR "b" (FTS5) or a | b (tsquery), in the order of the sorted words, which
         * is the order of crest_tf()'s counts; the words are normalized already */
        if ((rc = cr_bag_fill(&words, f->fts)) < 0)
            goto done;
        if (words.n == 0 || sf.none)
            goto done; /* words that normalize to nothing match nothing */
        if ((idf = cr_calloc(words.n, sizeof(*idf))) == NULL ||
            (tf = cr_calloc(words.n, sizeof(*tf))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        if ((rc = cr_store_discover_df(&ndocs, st, "")) < 0)
            goto done;
        for (i = 0; i < words.n; i++) {
            char w[256];
            snprintf(w, sizeof(w), "%.*s", (int)words.terms[i].len, words.terms[i].word);
            if ((rc = cr_store_discover_df(&df, st, w)) < 0)
                goto done;
            idf[i] = cr_discover__idf(ndocs, df);
            if ((i > 0 && (rc = cr_str_puts(&match, pg ? " | " : " OR ")) < 0) ||
                (rc = cr_str_printf(&match, pg ? "%s" : "\"%s\"", w)) < 0)
                goto done;
        }
        if ((m.k = cr_calloc(cap, sizeof(*m.k))) == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        m.cap = cap;
        m.st = st;
        m.sf = &sf;
        m.words = &words;
        m.idf = idf;
        m.tf = tf;
        p = v_text(cr_str_cstr(&match));
        if ((rc = st->be->query(st->be, pg ? sql_match_pg : sql_match_sqlite, &p, 1,
                                pg ? match_doc_cb : match_fts_cb, &m)) < 0)
            goto done;
        for (i = 0; i < m.n && npick < cap; i++)
            pick[npick++] = m.k[i].id;
    } else if (!sf.none) {
        if ((rc = snap_by_followers(s)) < 0)
            goto done;
        for (i = 0; i < s->n && npick < cap; i++)
            if (filter_pass(&sf, (size_t)s->by_followers[i]))
                pick[npick++] = s->row[s->by_followers[i]].id;
    }
    if (npick == 0)
        goto done;
    rc = cr_str_puts(&ids, pg ? "" : "[");
    for (i = 0; i < npick && rc == CR_OK; i++)
        rc = cr_str_printf(&ids, "%s%lld", i ? "," : "", (long long)pick[i]);
    if (rc == CR_OK && !pg)
        rc = cr_str_puts(&ids, "]");
    if (rc < 0)
        goto done;
    p = v_text(cr_str_cstr(&ids));
    rc = st->be->query(st->be, pg ? sql_rows_pg : sql_rows_sqlite, &p, 1, cand_row, &c);
done:
    filter_dispose(&sf);
    cr_free(m.k);
    cr_free(idf);
    cr_free(tf);
    cr_free(pick);
    cr_bag_dispose(&words);
    cr_str_dispose(&match);
    cr_str_dispose(&ids);
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

/* CROSS JOIN: creator_perf (the creators with posts) drives; SQLite's planner would otherwise
 * scan every creator and probe creator_perf for each (4 ms a search at 100K creators) */
static const char sql_er_list[] =
    "SELECT c.followers, pf.reach, pf.eng_reach, pf.engagements, pf.eng_posts"
    " FROM creator_perf pf CROSS JOIN creator c WHERE c.id = pf.creator_id";

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
