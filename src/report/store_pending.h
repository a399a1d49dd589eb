/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * store_pending.h - TEMPORARY: the tracking reads of crest/store.h as this branch expects
 * them, until their declarations land on main. Removed on merge. */
#ifndef CR_REPORT_STORE_PENDING_H
#define CR_REPORT_STORE_PENDING_H

#include "crest/store.h"

typedef cr_err (*cr_rollup_cb)(const cr_post_rollup *r, void *payload);
typedef cr_err (*cr_metric_day_cb)(const cr_metric_day *d, void *payload);
typedef cr_err (*cr_attributed_cb)(const cr_attributed *a, void *payload);
typedef cr_err (*cr_unattributed_cb)(const cr_unattributed *u, void *payload);
typedef cr_err (*cr_source_cb)(const cr_source *s, void *payload);

cr_err
cr_store_rollup_list(cr_store *st, const cr_rollup_filter *f, cr_rollup_cb cb, void *payload);
cr_err
cr_store_metric_days(cr_store *st, const cr_rollup_filter *f, cr_metric_day_cb cb, void *payload);
cr_err cr_store_attributed_list(cr_store *st,
                                int64_t campaign_id,
                                int64_t since,
                                int64_t until,
                                cr_attributed_cb cb,
                                void *payload);
cr_err cr_store_unattributed_list(
    cr_store *st, int64_t since, int64_t until, cr_unattributed_cb cb, void *payload);
cr_err cr_store_source_list(cr_store *st, cr_source_cb cb, void *payload);
cr_err cr_store_setting_get(char **out, cr_store *st, const char *key);

typedef cr_err (*cr_table_cb)(const char *table,
                              const char *const *columns,
                              size_t ncolumns,
                              void *payload);
cr_err cr_store_tables(cr_store *st, cr_table_cb cb, void *payload);
typedef cr_err (*cr_export_row_cb)(const char *const *values, size_t n, void *payload);
cr_err cr_store_table_export(cr_store *st, const char *table, cr_export_row_cb cb, void *payload);

#endif
