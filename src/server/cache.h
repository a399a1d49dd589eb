/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cache.h - the response and session caches of `crest serve`. Pure (no libmicrohttpd, no
 * store), so they are unit-tested on their own (tests/server/cache.c).
 *
 * Both are validated by one generation counter: a state-changing request this server
 * handles, or a commit another process made (seen through SQLite's PRAGMA data_version),
 * bumps it, and an entry made under an older generation is never served again. Entries also
 * expire after a time to live, which bounds what the generation cannot see (a commit made by
 * another process on PostgreSQL). The caller passes the clock (milliseconds of a monotonic
 * clock), so tests need no sleep. */
#ifndef CR_SERVER_CACHE_H
#define CR_SERVER_CACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "crest/errors.h"

#define HTTP_CACHE_ENTRIES  2048               /* responses kept at most ... */
#define HTTP_CACHE_BYTES    (32 * 1024 * 1024) /* ... and their bytes at most */
#define HTTP_CACHE_MAX_BODY (4 * 1024 * 1024)  /* a larger response is not kept */
#define HTTP_SESSION_SLOTS  1024               /* sessions kept at once */

/* A response body shared by the cache and the responses being sent: reference-counted,
 * freed when the last holder releases it. */
typedef struct http_cache_body {
    atomic_int refs;
    size_t len;
    char data[]; /* len bytes */
} http_cache_body;

/* A body of len bytes (data to be filled by the caller) with one reference; NULL when out of
 * memory. */
http_cache_body *http_cache_body_new(size_t len);
void http_cache_body_ref(http_cache_body *b);
/* Drop one reference; the last one frees it. NULL is a no-op. */
void http_cache_body_release(http_cache_body *b);

typedef struct http_cache_entry http_cache_entry;

/* An LRU map of key -> body, bounded by entries and bytes, under one mutex. */
typedef struct {
    pthread_mutex_t mu;
    http_cache_entry **buckets;
    size_t nbuckets; /* a power of two */
    http_cache_entry *newest, *oldest;
    size_t count, bytes;
    size_t max_entries, max_bytes;
    uint64_t hits, misses; /* under mu */
} http_cache;

/* The generation counter that validates both caches. */
typedef struct {
    _Atomic uint64_t value;
} http_generation;

uint64_t http_generation_get(http_generation *g);
/* Invalidate every entry made so far. */
void http_generation_bump(http_generation *g);

cr_err http_cache_init(http_cache *c, size_t max_entries, size_t max_bytes);
void http_cache_dispose(http_cache *c);

/**
 * The body kept under key when it was made under generation gen and is younger than ttl_ms
 * at now_ms; a new reference the caller releases. NULL on a miss (a stale entry is dropped).
 * @param age_ms receives the entry's age on a hit (may be NULL)
 */
http_cache_body *http_cache_get(
    http_cache *c, const char *key, uint64_t gen, double now_ms, double ttl_ms, double *age_ms);

/* Keep body under key (a new reference is taken), made at now_ms under generation gen; the
 * least recently used entries go to stay within the bounds. A body larger than
 * HTTP_CACHE_MAX_BODY, or an allocation failure, just leaves it out. */
void http_cache_put(
    http_cache *c, const char *key, uint64_t gen, double now_ms, http_cache_body *body);

/* A validated session, as the authorization needs it. */
typedef struct {
    char token_hash[65]; /* "" : a free slot */
    int64_t user_id;
    char email[255];
    char role[16];
    char csrf[80];
    int64_t expires_at; /* seconds since the epoch: enforced on every lookup */
    double made_ms;
    uint64_t gen;
} http_session_entry;

/* Validated sessions by token hash: a direct-mapped table (a collision replaces the older
 * session, which is then read from the store again). */
typedef struct {
    pthread_mutex_t mu;
    http_session_entry slots[HTTP_SESSION_SLOTS];
} http_session_cache;

void http_session_cache_init(http_session_cache *sc);
void http_session_cache_dispose(http_session_cache *sc);
/* 1 and *out when the session of token_hash is kept, made under gen, younger than ttl_ms and
 * not expired at now (seconds); else 0 (a stale entry is dropped). */
int http_session_cache_get(http_session_cache *sc,
                           http_session_entry *out,
                           const char *token_hash,
                           uint64_t gen,
                           double now_ms,
                           double ttl_ms,
                           int64_t now);
/* Keep e (copied; its made_ms and gen are the caller's). A logout needs no call of its own:
 * as any POST, it bumps the generation. */
void http_session_cache_put(http_session_cache *sc, const http_session_entry *e);

#endif
