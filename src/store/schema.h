/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * schema.h - the tables every backend holds, their columns in order with a value type, and the
 * key that orders their rows. One list, so that row counts, checksums and `crest db copy` read
 * and write the same columns on SQLite and PostgreSQL; each backend's migrations create them. */
#ifndef CR_STORE_SCHEMA_H
#define CR_STORE_SCHEMA_H

#include <stddef.h>

typedef struct {
    const char *name;
    char type; /* 'I' integer (int64), 'R' real (double), 'T' text */
} cr_schema_column;

typedef struct {
    const char *name;
    const cr_schema_column *columns;
    size_t ncolumns;
    const char *order_by; /* "id" or "post_id, captured_at": the primary key */
    int serial_id;        /* has an integer "id" that a copy must keep (and PostgreSQL's
                           * identity sequence must be moved past) */
} cr_schema_table;

/* The tables in dependency order (parents first), so that a copy can insert in this order. */
extern const cr_schema_table cr_schema_tables[];
extern const size_t cr_schema_ntables;

const cr_schema_table *cr_schema_table_find(const char *name);

#endif
