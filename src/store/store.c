/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * store.c - URL -> backend table, and the cr_store_* calls that check arguments and forward
 * to the backend. Domain code links against these only; SQL stays in the backends. */
#include <string.h>

#include "crest/kpi.h"
#include "crest/sys/store_backend.h"
#include "util/alloc.h"

struct cr_store {
    cr_store_backend *be;
    int in_tx;
};

static const struct store_scheme {
    const char *prefix;
    cr_err (*create)(cr_store_backend **out);
    int strip_prefix; /* pass the DSN without the prefix */
} store_schemes[] = {
    { "sqlite:", cr_store_sqlite_new, 1 },
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
    be = NULL;
    *out = st;
done:
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
    st->be->free(st->be);
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

cr_err cr_store_begin_bulk(cr_store *st)
{
    return store_begin(st, CR_TX_BEGIN_BULK);
}

cr_err cr_store_commit(cr_store *st)
{
    cr_err rc;

    if (!st->in_tx)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE, "no transaction is open");
    rc = st->be->tx(st->be, CR_TX_COMMIT);
    if (rc < 0) {
        st->be->tx(st->be, CR_TX_ROLLBACK);
    }
    st->in_tx = 0;
    return rc;
}

cr_err cr_store_rollback(cr_store *st)
{
    if (!st->in_tx)
        return CR_OK;
    st->in_tx = 0;
    return st->be->tx(st->be, CR_TX_ROLLBACK);
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
    return st->be->snapshot_upsert(st->be, s);
}

cr_err cr_store_post_upsert(int64_t *out_id, cr_store *st, const cr_post *p)
{
    cr_err rc;

    if ((rc = need(p->platform, "platform")) < 0 || (rc = need(p->external_id, "post_id")) < 0)
        return rc;
    return st->be->post_upsert(out_id, st->be, p);
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
    return st->be->metric_upsert(st->be, m);
}

cr_err cr_store_comment_upsert(cr_store *st, const cr_comment *c)
{
    cr_err rc;

    if ((rc = need(c->external_id, "comment_id")) < 0)
        return rc;
    return st->be->comment_upsert(st->be, c);
}

cr_err cr_store_campaign_upsert(int64_t *out_id, cr_store *st, const cr_campaign *c)
{
    cr_err rc;

    if ((rc = need(c->name, "campaign name")) < 0)
        return rc;
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
    return st->be->partnership_upsert(out_id, st->be, p);
}

cr_err cr_store_import_find(
    cr_store *st, const char *kind, const char *sha256, int64_t *out_id, int64_t *out_rows)
{
    return st->be->import_find(st->be, kind, sha256, out_id, out_rows);
}

cr_err cr_store_import_begin(int64_t *out_id, cr_store *st, const cr_import_rec *rec)
{
    return st->be->import_begin(out_id, st->be, rec);
}

cr_err
cr_store_import_finish(cr_store *st, int64_t id, const char *sha256, int64_t rows, int64_t rejected)
{
    return st->be->import_finish(st->be, id, sha256, rows, rejected);
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
    return st->be->partnership_delete(st->be, id);
}

cr_err cr_store_web_session_upsert(cr_store *st, const cr_web_session *w)
{
    return st->be->web_session_upsert(st->be, w);
}

cr_err cr_store_order_upsert(cr_store *st, const cr_order *o)
{
    cr_err rc;

    if ((rc = need(o->external_id, "order id")) < 0 || (rc = need(o->currency, "currency")) < 0)
        return rc;
    return st->be->order_upsert(st->be, o);
}

cr_err cr_store_lead_upsert(cr_store *st, const cr_lead *l)
{
    cr_err rc;

    if ((rc = need(l->external_id, "lead id")) < 0)
        return rc;
    return st->be->lead_upsert(st->be, l);
}

cr_err cr_store_mention_upsert(cr_store *st, const cr_mention *m)
{
    cr_err rc;

    if ((rc = need(m->source, "mention source")) < 0 || (rc = need(m->brand, "brand")) < 0)
        return rc;
    return st->be->mention_upsert(st->be, m);
}

cr_err cr_store_kpi_inputs(cr_kpi_inputs *out, cr_store *st, const cr_kpi_scope *scope)
{
    memset(out, 0, sizeof(*out));
    if (scope->until <= scope->since)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "empty window: it ends before it starts");
    if (scope->kind == CR_SCOPE_BRAND && scope->brand == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE, "a brand scope needs a brand");
    out->days = (scope->until - scope->since + 86399) / 86400;
    return st->be->kpi_inputs(out, st->be, scope);
}
