/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * vet.c - the reads vetting needs from every backend: a creator's follower snapshots (the
 * growth series) and the comments on its posts. Plain SQL through the backends' query(), as
 * track.c does; parameters are cast for PostgreSQL. */
#include <string.h>

#include "store/portable.h"

static const char sql_snapshots[] =
    "SELECT creator_id, date, followers, following, media_count FROM creator_snapshot"
    " WHERE creator_id = CAST(?1 AS BIGINT) ORDER BY date";

static const char sql_comments[] =
    "SELECT c.post_id, c.external_id, c.author, c.text, c.posted_at FROM comment c"
    " JOIN post p ON p.id = c.post_id WHERE p.creator_id = CAST(?1 AS BIGINT)"
    " ORDER BY c.post_id, c.posted_at, c.id";

typedef struct {
    cr_snapshot_cb scb;
    cr_comment_cb ccb;
    void *payload;
} vet_read;

static cr_err snapshot_row(const cr_value *v, size_t n, void *payload)
{
    vet_read *c = payload;
    cr_snapshot s;

    if (n < 5)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "snapshot row has %zu columns", n);
    memset(&s, 0, sizeof(s));
    s.creator_id = col_i(&v[0]);
    s.date = col_i(&v[1]);
    s.followers = col_count(&v[2]);
    s.following = col_count(&v[3]);
    s.media_count = col_count(&v[4]);
    return c->scb(&s, c->payload);
}

static cr_err comment_row(const cr_value *v, size_t n, void *payload)
{
    vet_read *c = payload;
    cr_comment m;

    if (n < 5)
        return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, "comment row has %zu columns", n);
    memset(&m, 0, sizeof(m));
    m.post_id = col_i(&v[0]);
    m.external_id = col_s(&v[1]);
    m.author = col_s(&v[2]);
    m.text = col_s(&v[3]);
    m.posted_at = col_i(&v[4]);
    return c->ccb(&m, c->payload);
}

static cr_value id_param(int64_t id)
{
    cr_value p;

    memset(&p, 0, sizeof(p));
    p.type = 'I';
    p.i = id;
    return p;
}

cr_err cr_store_snapshot_list(cr_store *st, int64_t creator_id, cr_snapshot_cb cb, void *payload)
{
    vet_read c = { cb, NULL, payload };
    cr_value p = id_param(creator_id);

    return st->be->query(st->be, sql_snapshots, &p, 1, snapshot_row, &c);
}

cr_err cr_store_comment_list(cr_store *st, int64_t creator_id, cr_comment_cb cb, void *payload)
{
    vet_read c = { NULL, cb, payload };
    cr_value p = id_param(creator_id);

    return st->be->query(st->be, sql_comments, &p, 1, comment_row, &c);
}
