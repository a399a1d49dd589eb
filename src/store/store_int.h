/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * store_int.h - the store handle, shared by store.c (argument checks and forwarding) and
 * track.c (the portable tracking layer written once over the backends' query()). */
#ifndef CR_STORE_INT_H
#define CR_STORE_INT_H

#include "crest/sys/store_backend.h"

struct cr_store {
    cr_store_backend *be;
    int in_tx;
    /* posts whose metrics were written since the last cr_store_track_refresh() */
    int64_t *touched;
    size_t ntouched, touched_cap;
};

/* Remember that a post's metrics changed (consecutive repeats are dropped here, the rest
 * when they meet in the refresh's table). */
cr_err cr_store__touch(cr_store *st, int64_t post_id);
/* Run the full refresh a migration asked for (the setting "track.refresh"), if any. */
cr_err cr_store__pending_refresh(cr_store *st);

#endif
