/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * migrations.h - the PostgreSQL schema as numbered migrations, the same numbers and tables
 * as the SQLite ones (src/store/sqlite/migrations.c), applied in order on open. */
#ifndef CR_STORE_PG_MIGRATIONS_H
#define CR_STORE_PG_MIGRATIONS_H

typedef struct {
    int version;
    const char *name;
    const char *sql; /* one or more statements, run in the migration's transaction */
} cr_pg_migration;

extern const cr_pg_migration cr_pg_migrations[];
extern const int cr_pg_migration_count;

#endif
