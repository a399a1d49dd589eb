/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cache.c - the response and session caches of `crest serve` (see cache.h). The response
 * cache is a chained hash table threaded on a doubly linked LRU list, all under one mutex:
 * a lookup is a hash, a few compares and a reference count, so two or four worker threads
 * rarely wait on it. Bodies are reference-counted so that a hit hands the same bytes to
 * libmicrohttpd without copying them, and an entry evicted while it is being sent stays
 * alive until the send ends. */
#include <stdio.h>
#include <string.h>

#include "server/cache.h"
#include "util/alloc.h"
#include "util/map.h"

struct http_cache_entry {
    http_cache_entry *next;          /* in its bucket */
    http_cache_entry *newer, *older; /* in the LRU list */
    char *key;
    uint64_t hash, gen;
    double made_ms;
    http_cache_body *body;
};

http_cache_body *http_cache_body_new(size_t len)
{
    http_cache_body *b = cr_malloc(sizeof(*b) + len + 1);

    if (b == NULL)
        return NULL;
    atomic_init(&b->refs, 1);
    b->len = len;
    b->data[len] = '\0';
    return b;
}

void http_cache_body_ref(http_cache_body *b)
{
    atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
}

void http_cache_body_release(http_cache_body *b)
{
    if (b != NULL && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
        cr_free(b);
}

uint64_t http_generation_get(http_generation *g)
{
    return atomic_load_explicit(&g->value, memory_order_acquire);
}

void http_generation_bump(http_generation *g)
{
    atomic_fetch_add_explicit(&g->value, 1, memory_order_acq_rel);
}

cr_err http_cache_init(http_cache *c, size_t max_entries, size_t max_bytes)
{
    size_t n = 16;

    memset(c, 0, sizeof(*c));
    while (n < max_entries * 2)
        n *= 2;
    if ((c->buckets = cr_calloc(n, sizeof(*c->buckets))) == NULL)
        return cr_error_oom();
    c->nbuckets = n;
    c->max_entries = max_entries;
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->mu, NULL);
    return CR_OK;
}

static void entry_free(http_cache_entry *e)
{
    http_cache_body_release(e->body);
    cr_free(e->key);
    cr_free(e);
}

/* Take e out of its bucket and of the LRU list (under mu). */
static void entry_unlink(http_cache *c, http_cache_entry *e)
{
    http_cache_entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];

    while (*pp != e)
        pp = &(*pp)->next;
    *pp = e->next;
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    c->count--;
    c->bytes -= e->body->len;
}

/* Put e at the newest end of the LRU list (under mu). */
static void entry_touch(http_cache *c, http_cache_entry *e)
{
    if (c->newest == e)
        return;
    if (e->newer)
        e->newer->older = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else if (c->oldest == e)
        c->oldest = e->newer;
    e->newer = NULL;
    e->older = c->newest;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (c->oldest == NULL)
        c->oldest = e;
}

void http_cache_dispose(http_cache *c)
{
    http_cache_entry *e, *older;

    if (c->buckets == NULL)
        return;
    for (e = c->newest; e; e = older) {
        older = e->older;
        entry_free(e);
    }
    cr_free(c->buckets);
    c->buckets = NULL;
    pthread_mutex_destroy(&c->mu);
}

static http_cache_entry *entry_find(http_cache *c, const char *key, uint64_t h)
{
    http_cache_entry *e;

    for (e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

http_cache_body *http_cache_get(
    http_cache *c, const char *key, uint64_t gen, double now_ms, double ttl_ms, double *age_ms)
{
    uint64_t h = cr_hash_bytes(key, strlen(key));
    http_cache_body *b = NULL;
    http_cache_entry *e;

    pthread_mutex_lock(&c->mu);
    if ((e = entry_find(c, key, h)) != NULL) {
        if (e->gen != gen || now_ms - e->made_ms >= ttl_ms || now_ms < e->made_ms) {
            entry_unlink(c, e);
            entry_free(e);
        } else {
            entry_touch(c, e);
            b = e->body;
            http_cache_body_ref(b);
            if (age_ms)
                *age_ms = now_ms - e->made_ms;
        }
    }
    if (b)
        c->hits++;
    else
        c->misses++;
    pthread_mutex_unlock(&c->mu);
    return b;
}

void http_cache_put(
    http_cache *c, const char *key, uint64_t gen, double now_ms, http_cache_body *body)
{
    uint64_t h = cr_hash_bytes(key, strlen(key));
    http_cache_entry *e, *old;

    if (body->len > HTTP_CACHE_MAX_BODY || body->len > c->max_bytes || c->max_entries == 0)
        return;
    if ((e = cr_calloc(1, sizeof(*e))) == NULL || (e->key = cr_strdup(key)) == NULL) {
        cr_free(e);
        return;
    }
    e->hash = h;
    e->gen = gen;
    e->made_ms = now_ms;
    e->body = body;
    http_cache_body_ref(body);
    pthread_mutex_lock(&c->mu);
    if ((old = entry_find(c, key, h)) != NULL) {
        entry_unlink(c, old);
        entry_free(old);
    }
    while (c->oldest && (c->count + 1 > c->max_entries || c->bytes + body->len > c->max_bytes)) {
        old = c->oldest;
        entry_unlink(c, old);
        entry_free(old);
    }
    e->next = c->buckets[h & (c->nbuckets - 1)];
    c->buckets[h & (c->nbuckets - 1)] = e;
    e->older = c->newest;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (c->oldest == NULL)
        c->oldest = e;
    c->count++;
    c->bytes += body->len;
    pthread_mutex_unlock(&c->mu);
}

/* ---- sessions ---- */

void http_session_cache_init(http_session_cache *sc)
{
    memset(sc->slots, 0, sizeof(sc->slots));
    pthread_mutex_init(&sc->mu, NULL);
}

void http_session_cache_dispose(http_session_cache *sc)
{
    pthread_mutex_destroy(&sc->mu);
}

/* A token hash is the hex SHA-256 of 32 random bytes: its own first digits spread evenly. */
static http_session_entry *session_slot(http_session_cache *sc, const char *token_hash)
{
    return &sc->slots[cr_hash_bytes(token_hash, strlen(token_hash)) % HTTP_SESSION_SLOTS];
}

int http_session_cache_get(http_session_cache *sc,
                           http_session_entry *out,
                           const char *token_hash,
                           uint64_t gen,
                           double now_ms,
                           double ttl_ms,
                           int64_t now)
{
    http_session_entry *e = session_slot(sc, token_hash);
    int found = 0;

    pthread_mutex_lock(&sc->mu);
    if (e->token_hash[0] && strcmp(e->token_hash, token_hash) == 0) {
        if (e->gen != gen || now_ms - e->made_ms >= ttl_ms || now_ms < e->made_ms ||
            e->expires_at <= now) {
            e->token_hash[0] = '\0';
        } else {
            *out = *e;
            found = 1;
        }
    }
    pthread_mutex_unlock(&sc->mu);
    return found;
}

void http_session_cache_put(http_session_cache *sc, const http_session_entry *e)
{
    http_session_entry *slot = session_slot(sc, e->token_hash);

    pthread_mutex_lock(&sc->mu);
    *slot = *e;
    pthread_mutex_unlock(&sc->mu);
}
