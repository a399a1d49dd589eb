/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * store.c - URL -> backend table, and the cr_store_* calls that check arguments and forward
 * to the backend. Domain code links against these only; SQL stays in the backends. */
#include <string.h>

#include "crest/kpi.h"
#include "crest/sys/store_backend.h"
#include "store/schema.h"
#include "store/store_int.h"
#ifdef CREST_WITH_POSTGRES
#include "store/pg/pg.h"
#endif
#include "util/alloc.h"
#include "util/str.h"
#include <sodium.h>
#include <stdio.h>

static const struct store_scheme {
    const char *prefix;
    cr_err (*create)(cr_store_backend **out);
    int strip_prefix; /* pass the DSN without the prefix */
} store_schemes[] = {
    { "sqlite:", cr_store_sqlite_new, 1 },
#ifdef CREST_WITH_POSTGRES
    { "postgres://", cr_store_pg_new, 0 },
    { "postgresql://", cr_store_pg_new, 0 },
#endif
};

static cr_err store_create_for(cr_store_backend **out, const char **dsn, const char *url)
{
    size_t i;

    for (i = 0; i < sizeof(store_schemes) / sizeof(store_schemes[0]); i++) {
        size_t n = strlen(store_schemes[i].prefix);
        if (strncmp(url, store_schemes[i].prefix, n) == 0) {
            *dsn = store_schemes[i].strip_prefix ? url + n : url;
            return store_schemes[i].create(out);
        }
    }
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "this build of crest has no PostgreSQL backend (url '%s')", url);
    if (strstr(url, "://") != NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "unknown store url '%s': expected sqlite:PATH or postgres://...", url);
    /* A plain path means an SQLite file. */
    *dsn = url;
    return cr_store_sqlite_new(out);
}

cr_err cr_store_open(cr_store **out, const char *url)
{
    cr_store_backend *be = NULL;
    cr_store *st = NULL;
    const char *dsn = NULL;
    cr_err rc;

    *out = NULL;
    if (url == NULL || *url == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "empty store url");
    if ((rc = store_create_for(&be, &dsn, url)) < 0)
        goto done;
    if (*dsn == '\0') {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "store url '%s' names no file", url);
        goto done;
    }
    if ((rc = be->open(be, dsn)) < 0)
        goto done;
    if ((st = cr_calloc(1, sizeof(*st))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    st->be = be;
    if ((st->url = cr_strdup(url)) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    st->incremental = strcmp(st->be->name, "sqlite") == 0;
    be = NULL;
    if ((rc = cr_store__pending_refresh(st)) < 0)
        goto done;
    *out = st;
    st = NULL;
done:
    cr_store_free(st);
    if (be != NULL)
        be->free(be);
    return rc;
}

void cr_store_free(cr_store *st)
{
    if (st == NULL)
        return;
    if (st->in_tx)
        st->be->tx(st->be, CR_TX_ROLLBACK);
    cr_store__discover_drop(st);
    st->be->free(st->be);
    cr_free(st->url);
    cr_free(st->touched);
    cr_free(st);
}

const char *cr_store_backend_name(const cr_store *st)
{
    return st->be->name;
}

int cr_store_schema_version(const cr_store *st)
{
    return st->be->schema_version;
}

static cr_err store_begin(cr_store *st, cr_tx_op op)
{
    cr_err rc;

    if (st->in_tx)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE, "a transaction is already open");
    if ((rc = st->be->tx(st->be, op)) == CR_OK)
        st->in_tx = 1;
    return rc;
}

cr_err cr_store_begin(cr_store *st)
{
    return store_begin(st, CR_TX_BEGIN);
}

int cr_store_in_transaction(const cr_store *st)
{
    return st->in_tx;
}

cr_err cr_store_begin_bulk(cr_store *st)
{
    return store_begin(st, CR_TX_BEGIN_BULK);
}

cr_err cr_store_commit(cr_store *st)
{
    cr_err rc;

    if (!st->in_tx)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE, "no transaction is open");
    if ((rc = cr_store__flush_derived(st)) < 0) {
        cr_store_rollback(st);
        return rc;
    }
    rc = st->be->tx(st->be, CR_TX_COMMIT);
    if (rc < 0) {
        st->be->tx(st->be, CR_TX_ROLLBACK);
        cr_store__discover_rollback(st);
    }
    st->in_tx = 0;
    return rc;
}

cr_err cr_store_rollback(cr_store *st)
{
    st->ntouched = 0; /* what was written is gone, nothing to re-derive */
    cr_store__drop_derived(st);
    cr_store__discover_rollback(st);
    if (!st->in_tx)
        return CR_OK;
    st->in_tx = 0;
    return st->be->tx(st->be, CR_TX_ROLLBACK);
}

/* The newest time of the data written since the import began (freshness, cr_source). */
static cr_err newest(cr_store *st, int64_t t, cr_err rc)
{
    if (rc >= 0 && t > st->newest)
        st->newest = t;
    return rc;
}

static cr_err need(const void *p, const char *what)
{
    if (p == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "%s is required", what);
    return CR_OK;
}

cr_err cr_store_creator_upsert(int64_t *out_id, cr_store *st, const cr_creator *c)
{
    cr_err rc;

    if ((rc = need(c->platform, "platform")) < 0 || (rc = need(c->handle, "handle")) < 0)
        return rc;
    return st->be->creator_upsert(out_id, st->be, c);
}

cr_err
cr_store_creator_find(int64_t *out_id, cr_store *st, const char *platform, const char *handle)
{
    return st->be->creator_find(out_id, st->be, platform, handle);
}

cr_err cr_store_creator_get(cr_store *st, int64_t id, cr_creator_cb cb, void *payload)
{
    return st->be->creator_get(st->be, id, cb, payload);
}

cr_err
cr_store_creator_list(cr_store *st, const cr_creator_filter *f, cr_creator_cb cb, void *payload)
{
    static const cr_creator_filter none;

    return st->be->creator_list(st->be, f ? f : &none, cb, payload);
}

cr_err cr_store_creator_stats(cr_creator_stats *out, cr_store *st, int64_t id)
{
    memset(out, 0, sizeof(*out));
    return st->be->creator_stats(out, st->be, id);
}

cr_err cr_store_snapshot_upsert(cr_store *st, const cr_snapshot *s)
{
    return newest(st, s->date, st->be->snapshot_upsert(st->be, s));
}

cr_err cr_store_post_upsert(int64_t *out_id, cr_store *st, const cr_post *p)
{
    cr_err rc;

    if ((rc = need(p->platform, "platform")) < 0 || (rc = need(p->external_id, "post_id")) < 0)
        return rc;
    st->attr_dirty++; /* what attribution reads changed */
    return newest(st, p->posted_at, st->be->post_upsert(out_id, st->be, p));
}

cr_err
cr_store_post_find(int64_t *out_id, cr_store *st, const char *platform, const char *external_id)
{
    return st->be->post_find(out_id, st->be, platform, external_id);
}

cr_err cr_store_post_list(cr_store *st, const cr_post_filter *f, cr_post_cb cb, void *payload)
{
    static const cr_post_filter none;

    return st->be->post_list(st->be, f ? f : &none, cb, payload);
}

cr_err cr_store_metric_upsert(cr_store *st, const cr_metric *m)
{
    cr_err rc = newest(st, m->captured_at, st->be->metric_upsert(st->be, m));

    return rc < 0 ? rc : cr_store__metric_written(st, m);
}

cr_err cr_store_comment_upsert(cr_store *st, const cr_comment *c)
{
    cr_err rc;

    if ((rc = need(c->external_id, "comment_id")) < 0)
        return rc;
    return newest(st, c->posted_at, st->be->comment_upsert(st->be, c));
}

cr_err cr_store_campaign_upsert(int64_t *out_id, cr_store *st, const cr_campaign *c)
{
    cr_err rc;

    if ((rc = need(c->name, "campaign name")) < 0)
        return rc;
    st->attr_dirty++; /* what attribution reads changed */
    return st->be->campaign_upsert(out_id, st->be, c);
}

cr_err cr_store_campaign_kpi_upsert(cr_store *st, const cr_campaign_kpi *k)
{
    cr_err rc;

    if ((rc = need(k->code, "kpi code")) < 0)
        return rc;
    return st->be->campaign_kpi_upsert(st->be, k);
}

cr_err cr_store_partnership_upsert(int64_t *out_id, cr_store *st, const cr_partnership *p)
{
    st->attr_dirty++; /* what attribution reads changed */
    return st->be->partnership_upsert(out_id, st->be, p);
}

cr_err cr_store_import_find(
    cr_store *st, const char *kind, const char *sha256, int64_t *out_id, int64_t *out_rows)
{
    return st->be->import_find(st->be, kind, sha256, out_id, out_rows);
}

cr_err cr_store_import_begin(int64_t *out_id, cr_store *st, const cr_import_rec *rec)
{
    st->newest = 0;
    return st->be->import_begin(out_id, st->be, rec);
}

cr_err
cr_store_import_finish(cr_store *st, int64_t id, const char *sha256, int64_t rows, int64_t rejected)
{
    cr_err rc = st->be->import_finish(st->be, id, sha256, rows, rejected);

    return rc < 0 ? rc : cr_store__import_newest(st, id);
}

cr_err cr_store_check(cr_store *st, cr_check_cb cb, void *payload)
{
    return st->be->check(st->be, cb, payload);
}

cr_err cr_store_table_counts(cr_store *st, cr_table_count_cb cb, void *payload)
{
    return st->be->table_counts(st->be, cb, payload);
}

cr_err cr_store_campaign_get(cr_store *st, int64_t id, cr_campaign_cb cb, void *payload)
{
    return st->be->campaign_get(st->be, id, cb, payload);
}

cr_err cr_store_campaign_find(int64_t *out_id, cr_store *st, const char *name)
{
    return st->be->campaign_find(out_id, st->be, name);
}

cr_err cr_store_campaign_list(cr_store *st, cr_campaign_cb cb, void *payload)
{
    return st->be->campaign_list(st->be, cb, payload);
}

cr_err
cr_store_campaign_kpi_list(cr_store *st, int64_t campaign_id, cr_campaign_kpi_cb cb, void *payload)
{
    return st->be->campaign_kpi_list(st->be, campaign_id, cb, payload);
}

cr_err cr_store_campaign_kpi_clear(cr_store *st, int64_t campaign_id)
{
    return st->be->campaign_kpi_clear(st->be, campaign_id);
}

cr_err
cr_store_partnership_list(cr_store *st, int64_t campaign_id, cr_partnership_cb cb, void *payload)
{
    return st->be->partnership_list(st->be, campaign_id, cb, payload);
}

cr_err cr_store_partnership_delete(cr_store *st, int64_t id)
{
    st->attr_dirty++; /* what attribution reads changed */
    return st->be->partnership_delete(st->be, id);
}

cr_err cr_store_web_session_upsert(cr_store *st, const cr_web_session *w)
{
    st->attr_dirty++; /* what attribution reads changed */
    return newest(st, w->date, st->be->web_session_upsert(st->be, w));
}

cr_err cr_store_order_upsert(cr_store *st, const cr_order *o)
{
    cr_err rc;

    if ((rc = need(o->external_id, "order id")) < 0 || (rc = need(o->currency, "currency")) < 0)
        return rc;
    st->attr_dirty++; /* what attribution reads changed */
    return newest(st, o->created_at, st->be->order_upsert(st->be, o));
}

cr_err cr_store_lead_upsert(cr_store *st, const cr_lead *l)
{
    cr_err rc;

    if ((rc = need(l->external_id, "lead id")) < 0)
        return rc;
    st->attr_dirty++; /* what attribution reads changed */
    return newest(st, l->created_at, st->be->lead_upsert(st->be, l));
}

cr_err cr_store_mention_upsert(cr_store *st, const cr_mention *m)
{
    cr_err rc;

    if ((rc = need(m->source, "mention source")) < 0 || (rc = need(m->brand, "brand")) < 0)
        return rc;
    return newest(st, m->date, st->be->mention_upsert(st->be, m));
}

static int user_role_known(const char *role)
{
    static const char *const roles[] = { "admin", "manager", "analyst", "reviewer", "creator" };
    size_t i;

    for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

cr_err cr_store_user_upsert(int64_t *out_id, cr_store *st, const cr_user *u)
{
    cr_err rc;

    if ((rc = need(u->email, "email")) < 0 || (rc = need(u->role, "role")) < 0 ||
        (rc = need(u->password_hash, "password hash")) < 0)
        return rc;
    if (*u->email == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "email is required");
    if (!user_role_known(u->role))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "role: expected admin, manager, analyst, reviewer or creator, found "
                            "'%s'",
                            u->role);
    return st->be->user_upsert(out_id, st->be, u);
}

cr_err cr_store_user_find(cr_store *st, const char *email, cr_user_cb cb, void *payload)
{
    return st->be->user_find(st->be, email, cb, payload);
}

cr_err cr_store_user_list(cr_store *st, cr_user_cb cb, void *payload)
{
    return st->be->user_list(st->be, cb, payload);
}

cr_err cr_store_session_create(cr_store *st, const cr_session *s)
{
    cr_err rc;

    if ((rc = need(s->token_hash, "token hash")) < 0 || (rc = need(s->csrf, "csrf token")) < 0)
        return rc;
    return st->be->session_create(st->be, s);
}

cr_err cr_store_session_find(
    cr_store *st, const char *token_hash, int64_t now, cr_session_cb cb, void *payload)
{
    return st->be->session_find(st->be, token_hash, now, cb, payload);
}

cr_err cr_store_session_delete(cr_store *st, const char *token_hash)
{
    return st->be->session_delete(st->be, token_hash);
}

cr_err cr_store_session_purge(cr_store *st, int64_t now)
{
    return st->be->session_purge(st->be, now);
}

/* ---- whole tables: digests and copies ----------------------------------------------------- */

typedef struct {
    crypto_hash_sha256_state sha;
    int64_t rows;
    int setting; /* the table is `setting` */
} digest_state;

/* discover.gen counts the writes that can change discovery's in-memory snapshot (migration
 * 10): a cache's change counter, not content, so the digest leaves it out (a `crest demo`
 * run again, or a copy, bumps it without changing any data). */
static int digest_skips(const digest_state *d, const cr_value *vals, size_t n)
{
    return d->setting && n > 1 && vals[1].type == 'T' && vals[1].len == 12 &&
           memcmp(vals[1].s, "discover.gen", 12) == 0;
}

/* A row's canonical bytes: per cell a type tag, then the value (integers in decimal, reals
 * with 17 significant digits, text with its length), so equal data hashes equal anywhere. */
static cr_err digest_row(const cr_value *vals, size_t n, void *payload)
{
    digest_state *d = payload;
    char num[64];
    size_t i;
    int len;

    if (digest_skips(d, vals, n))
        return CR_OK;
    for (i = 0; i < n; i++) {
        const cr_value *v = &vals[i];
        switch (v->type) {
        case 'I':
            len = snprintf(num, sizeof(num), "I%lld;", (long long)v->i);
            break;
        case 'R':
            len = snprintf(num, sizeof(num), "R%.17g;", v->d);
            break;
        case 'T':
            len = snprintf(num, sizeof(num), "T%zu:", v->len);
            break;
        default:
            len = snprintf(num, sizeof(num), "N;");
            break;
        }
        crypto_hash_sha256_update(&d->sha, (const unsigned char *)num, (unsigned long long)len);
        if (v->type == 'T')
            crypto_hash_sha256_update(&d->sha, (const unsigned char *)v->s, v->len);
    }
    crypto_hash_sha256_update(&d->sha, (const unsigned char *)"\n", 1);
    d->rows++;
    return CR_OK;
}

cr_err cr_store_digest(cr_store *st, cr_digest_cb cb, void *payload)
{
    unsigned char out[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    digest_state d;
    size_t i;
    cr_err rc;

    for (i = 0; i < cr_schema_ntables; i++) {
        crypto_hash_sha256_init(&d.sha);
        d.rows = 0;
        d.setting = strcmp(cr_schema_tables[i].name, "setting") == 0;
        if ((rc = st->be->table_read(st->be, cr_schema_tables[i].name, digest_row, &d)) < 0)
            return rc;
        crypto_hash_sha256_final(&d.sha, out);
        sodium_bin2hex(hex, sizeof(hex), out, sizeof(out));
        if ((rc = cb(cr_schema_tables[i].name, d.rows, hex, payload)) < 0)
            return rc;
    }
    return CR_OK;
}

typedef struct {
    cr_store *to;
    const char *table;
    int64_t rows;
} copy_state;

static cr_err copy_row(const cr_value *vals, size_t n, void *payload)
{
    copy_state *c = payload;

    (void)n;
    c->rows++;
    return c->to->be->table_write(c->to->be, c->table, vals);
}

static cr_err count_nonempty(const char *table, int64_t rows, void *payload)
{
    const char **busy = payload;

    /* a new store holds its default workspace and nothing else */
    if (rows > (strcmp(table, "workspace") == 0 ? 1 : 0) && *busy == NULL)
        *busy = table;
    return CR_OK;
}

cr_err cr_store_copy(cr_store *to, cr_store *from, cr_table_count_cb progress, void *payload)
{
    const char *busy = NULL;
    copy_state c;
    size_t i;
    cr_err rc;

    if ((rc = cr_store_table_counts(to, count_nonempty, &busy)) < 0)
        return rc;
    if (busy != NULL)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE,
                            "the destination already holds data (table %s): copy into a new, "
                            "empty store",
                            busy);
    if ((rc = cr_store_begin_bulk(to)) < 0)
        return rc;
    for (i = 0; i < cr_schema_ntables; i++) {
        c.to = to;
        c.table = cr_schema_tables[i].name;
        c.rows = 0;
        if ((rc = from->be->table_read(from->be, c.table, copy_row, &c)) < 0)
            goto fail;
        if (progress && (rc = progress(c.table, c.rows, payload)) < 0)
            goto fail;
    }
    if ((rc = to->be->copy_finish(to->be)) < 0 || (rc = cr_store_track_refresh(to, 1)) < 0)
        goto fail;
    return cr_store_commit(to);
fail:
    cr_store_rollback(to);
    return rc;
}
