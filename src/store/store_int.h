/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * store_int.h - the store handle, shared by store.c (argument checks and forwarding) and
 * track.c (the portable tracking layer written once over the backends' query()). */
#ifndef CR_STORE_INT_H
#define CR_STORE_INT_H

#include "crest/sys/store_backend.h"

struct cr_store {
    cr_store_backend *be;
    char *url; /* as opened: handles of one database share discovery's snapshot */
    int in_tx;
    /* PostgreSQL: posts whose metrics were written since the last refresh, which re-derives
     * them set-based (one round trip per statement, not per row) */
    int64_t *touched;
    size_t ntouched, touched_cap;
    /* SQLite: the derived rows follow each metric row as it is written; the latest snapshot
     * of the current post and of its current day wait here, so that a file of hourly captures
     * writes one row per post-day instead of one per capture */
    int incremental;
    cr_metric day_pend, post_pend;
    int has_day, has_post;
    int64_t newest; /* the newest data time written since cr_store_import_begin() */
    /* posts, partnerships, campaigns, sessions, leads or orders written since the last
     * refresh (a count): attribution must run again (a metrics-only import leaves it as it
     * was); on PostgreSQL many of them also mean fresh planner statistics first */
    int64_t attr_dirty;
    /* discovery's in-memory snapshot of the filter columns (discover.c), NULL until a search
     * needs it; valid while the setting discover.gen keeps the value it was built under, and
     * shared by the process's handles of the same database (crest serve's workers) */
    struct cr_discover_snap *disc;
};

/* A metric row was written: keep the derived rows in step (see above). */
cr_err cr_store__metric_written(cr_store *st, const cr_metric *m);
/* Write what waits (before a commit or a read of derived rows); drop it (on rollback). */
cr_err cr_store__flush_derived(cr_store *st);
void cr_store__drop_derived(cr_store *st);
/* Record the newest data time of an import that finished (what cr_store_source_list reads). */
cr_err cr_store__import_newest(cr_store *st, int64_t import_id);
/* Run the full refresh a migration asked for (the setting "track.refresh"), if any. */
cr_err cr_store__pending_refresh(cr_store *st);

/* Forget discovery's filter snapshot (close): the next search rebuilds it or takes the one
 * another handle shares. */
void cr_store__discover_drop(cr_store *st);
/* After a rollback: forget the snapshot if it was built inside the transaction (it may hold
 * what is gone now, under a generation number a later write can reach again); a shared one,
 * built outside any transaction, still holds committed data only. */
void cr_store__discover_rollback(cr_store *st);

#endif
