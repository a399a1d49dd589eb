/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * sys/store_backend.h - what a storage backend implements (libgit2's sys/ vtables). Each
 * member mirrors the cr_store_* call of the same name in crest/store.h, which checks its
 * arguments and forwards here. Append members only, and bump the version when you do. */
#ifndef CR_SYS_STORE_BACKEND_H
#define CR_SYS_STORE_BACKEND_H

#include "crest/store.h"

CR_BEGIN_DECL

#define CR_STORE_BACKEND_VERSION 3

/* CR_TX_BEGIN_BULK: a write transaction whose references the caller checks itself (see
 * cr_store_begin_bulk()); the backend may skip its per-row foreign-key checks. */
typedef enum { CR_TX_BEGIN, CR_TX_COMMIT, CR_TX_ROLLBACK, CR_TX_BEGIN_BULK } cr_tx_op;

typedef struct cr_store_backend cr_store_backend;

/** One cell of a table row: type 'N' null, 'I' integer, 'R' real, 'T' text (borrowed). */
typedef struct {
    char type;
    int64_t i;
    double d;
    const char *s;
    size_t len;
} cr_value;

/** A row in the column order of src/store/schema.c; vals borrowed during the callback. */
typedef cr_err (*cr_row_cb)(const cr_value *vals, size_t n, void *payload);

struct cr_store_backend {
    unsigned int version; /* CR_STORE_BACKEND_VERSION */
    const char *name;     /* "sqlite", "postgres" */
    int schema_version;   /* set by open() after migrating */

    cr_err (*open)(cr_store_backend *be, const char *dsn);
    cr_err (*tx)(cr_store_backend *be, cr_tx_op op);

    cr_err (*creator_upsert)(int64_t *out_id, cr_store_backend *be, const cr_creator *c);
    cr_err (*creator_find)(int64_t *out_id,
                           cr_store_backend *be,
                           const char *platform,
                           const char *handle);
    cr_err (*creator_get)(cr_store_backend *be, int64_t id, cr_creator_cb cb, void *payload);
    cr_err (*creator_list)(cr_store_backend *be,
                           const cr_creator_filter *f,
                           cr_creator_cb cb,
                           void *payload);
    cr_err (*creator_stats)(cr_creator_stats *out, cr_store_backend *be, int64_t id);
    cr_err (*snapshot_upsert)(cr_store_backend *be, const cr_snapshot *s);
    cr_err (*post_upsert)(int64_t *out_id, cr_store_backend *be, const cr_post *p);
    cr_err (*post_find)(int64_t *out_id,
                        cr_store_backend *be,
                        const char *platform,
                        const char *external_id);
    cr_err (*post_list)(cr_store_backend *be,
                        const cr_post_filter *f,
                        cr_post_cb cb,
                        void *payload);
    cr_err (*metric_upsert)(cr_store_backend *be, const cr_metric *m);
    cr_err (*comment_upsert)(cr_store_backend *be, const cr_comment *c);
    cr_err (*campaign_upsert)(int64_t *out_id, cr_store_backend *be, const cr_campaign *c);
    cr_err (*campaign_kpi_upsert)(cr_store_backend *be, const cr_campaign_kpi *k);
    cr_err (*partnership_upsert)(int64_t *out_id, cr_store_backend *be, const cr_partnership *p);
    cr_err (*import_find)(cr_store_backend *be,
                          const char *kind,
                          const char *sha256,
                          int64_t *out_id,
                          int64_t *out_rows);
    cr_err (*import_begin)(int64_t *out_id, cr_store_backend *be, const cr_import_rec *rec);
    cr_err (*import_finish)(
        cr_store_backend *be, int64_t id, const char *sha256, int64_t rows, int64_t rejected);
    cr_err (*table_counts)(cr_store_backend *be, cr_table_count_cb cb, void *payload);
    cr_err (*check)(cr_store_backend *be, cr_check_cb cb, void *payload);
    cr_err (*campaign_get)(cr_store_backend *be, int64_t id, cr_campaign_cb cb, void *payload);
    cr_err (*campaign_find)(int64_t *out_id, cr_store_backend *be, const char *name);
    cr_err (*campaign_list)(cr_store_backend *be, cr_campaign_cb cb, void *payload);
    cr_err (*campaign_kpi_list)(cr_store_backend *be,
                                int64_t campaign_id,
                                cr_campaign_kpi_cb cb,
                                void *payload);
    cr_err (*campaign_kpi_clear)(cr_store_backend *be, int64_t campaign_id);
    cr_err (*partnership_list)(cr_store_backend *be,
                               int64_t campaign_id,
                               cr_partnership_cb cb,
                               void *payload);
    cr_err (*partnership_delete)(cr_store_backend *be, int64_t id);
    cr_err (*web_session_upsert)(cr_store_backend *be, const cr_web_session *w);
    cr_err (*order_upsert)(cr_store_backend *be, const cr_order *o);
    cr_err (*lead_upsert)(cr_store_backend *be, const cr_lead *l);
    cr_err (*mention_upsert)(cr_store_backend *be, const cr_mention *m);
    /* Whole tables, for checksums and copies: rows in primary-key order, columns as in the
     * schema list; write inserts a row as it is (or overwrites the one with its key). */
    cr_err (*table_read)(cr_store_backend *be, const char *table, cr_row_cb cb, void *payload);
    cr_err (*table_write)(cr_store_backend *be, const char *table, const cr_value *vals);
    /* After rows were written with their ids: let new rows get ids past them. */
    cr_err (*copy_finish)(cr_store_backend *be);

    void (*free)(cr_store_backend *be);

    /* version 2: accounts and sessions of `crest serve` */
    cr_err (*user_upsert)(int64_t *out_id, cr_store_backend *be, const cr_user *u);
    cr_err (*user_find)(cr_store_backend *be, const char *email, cr_user_cb cb, void *payload);
    cr_err (*user_list)(cr_store_backend *be, cr_user_cb cb, void *payload);
    cr_err (*session_create)(cr_store_backend *be, const cr_session *s);
    cr_err (*session_find)(
        cr_store_backend *be, const char *token_hash, int64_t now, cr_session_cb cb, void *payload);
    cr_err (*session_delete)(cr_store_backend *be, const char *token_hash);
    cr_err (*session_purge)(cr_store_backend *be, int64_t now);

    /* version 3: the portable SQL of src/store/track.c, written once for every backend. One
     * statement of constant text with ?1..?n placeholders (never user input), params bound in
     * order; each result row goes to cb (NULL when none is expected). Buffered writes go in
     * first; inside a transaction a failed statement leaves the transaction as it was. */
    cr_err (*query)(cr_store_backend *be,
                    const char *sql,
                    const cr_value *params,
                    size_t nparams,
                    cr_row_cb cb,
                    void *payload);
};

/** The SQLite backend (always built). */
CR_EXTERN(cr_err) cr_store_sqlite_new(cr_store_backend **out);

CR_END_DECL

#endif /* CR_SYS_STORE_BACKEND_H */
