/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * map.h - a string -> int64 hash map (open addressing, linear probing) used as a bounded
 * lookup cache by the importer. Keys are copied into the map's own arena. */
#ifndef CR_UTIL_MAP_H
#define CR_UTIL_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "crest/errors.h"

typedef struct {
    struct cr_map_slot *slots;
    size_t cap; /* power of two */
    size_t count;
    char *arena; /* key bytes */
    size_t arena_len, arena_cap;
} cr_map;

void cr_map_init(cr_map *m);
void cr_map_dispose(cr_map *m);
void cr_map_clear(cr_map *m);
/* CR_OK and *out, or CR_ENOTFOUND (no error recorded). */
cr_err cr_map_get(int64_t *out, const cr_map *m, const char *key, size_t len);
cr_err cr_map_put(cr_map *m, const char *key, size_t len, int64_t value);

uint64_t cr_hash_bytes(const void *data, size_t len);

#endif
