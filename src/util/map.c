/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * map.c - cr_map. Keys live in one growing arena so a lookup-heavy import does one
 * allocation per doubling, not one per key. */
#include <string.h>

#include "util/alloc.h"
#include "util/map.h"

struct cr_map_slot {
    uint64_t hash;
    size_t key_off; /* offset into arena; valid when key_len != SIZE_MAX */
    size_t key_len;
    int64_t value;
};

#define SLOT_EMPTY ((size_t)-1)

uint64_t cr_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

void cr_map_init(cr_map *m)
{
    memset(m, 0, sizeof(*m));
}

void cr_map_dispose(cr_map *m)
{
    cr_free(m->slots);
    cr_free(m->arena);
    memset(m, 0, sizeof(*m));
}

void cr_map_clear(cr_map *m)
{
    size_t i;

    for (i = 0; i < m->cap; i++)
        m->slots[i].key_len = SLOT_EMPTY;
    m->count = 0;
    m->arena_len = 0;
}

static struct cr_map_slot *map_find(const cr_map *m, uint64_t h, const char *key, size_t len)
{
    size_t i = (size_t)h & (m->cap - 1);

    for (;;) {
        struct cr_map_slot *s = &m->slots[i];
        if (s->key_len == SLOT_EMPTY)
            return s;
        if (s->hash == h && s->key_len == len &&
            (len == 0 || memcmp(m->arena + s->key_off, key, len) == 0))
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

cr_err cr_map_get(int64_t *out, const cr_map *m, const char *key, size_t len)
{
    struct cr_map_slot *s;

    if (m->cap == 0)
        return CR_ENOTFOUND;
    s = map_find(m, cr_hash_bytes(key, len), key, len);
    if (s->key_len == SLOT_EMPTY)
        return CR_ENOTFOUND;
    *out = s->value;
    return CR_OK;
}

static cr_err map_grow(cr_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024, i;
    struct cr_map_slot *old = m->slots, *ns;
    size_t ocap = m->cap;

    if ((ns = cr_malloc(ncap * sizeof(*ns))) == NULL)
        return cr_error_oom();
    for (i = 0; i < ncap; i++)
        ns[i].key_len = SLOT_EMPTY;
    m->slots = ns;
    m->cap = ncap;
    for (i = 0; i < ocap; i++) {
        struct cr_map_slot *s;
        if (old[i].key_len == SLOT_EMPTY)
            continue;
        s = map_find(m, old[i].hash, m->arena + old[i].key_off, old[i].key_len);
        *s = old[i];
    }
    cr_free(old);
    return CR_OK;
}

cr_err cr_map_put(cr_map *m, const char *key, size_t len, int64_t value)
{
    struct cr_map_slot *s;
    uint64_t h = cr_hash_bytes(key, len);

    if ((m->count + 1) * 4 > m->cap * 3 && map_grow(m) < 0)
        return CR_ENOMEM;
    s = map_find(m, h, key, len);
    if (s->key_len != SLOT_EMPTY) {
        s->value = value;
        return CR_OK;
    }
    if (m->arena_len + len > m->arena_cap) {
        size_t ncap = m->arena_cap ? m->arena_cap * 2 : 16384;
        char *na;
        while (ncap < m->arena_len + len)
            ncap *= 2;
        if ((na = cr_realloc(m->arena, ncap)) == NULL)
            return cr_error_oom();
        m->arena = na;
        m->arena_cap = ncap;
    }
    if (len > 0) /* an empty key may come with no arena yet: memcpy(NULL, .., 0) is UB */
        memcpy(m->arena + m->arena_len, key, len);
    s->hash = h;
    s->key_off = m->arena_len;
    s->key_len = len;
    s->value = value;
    m->arena_len += len;
    m->count++;
    return CR_OK;
}
