/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * migrations.h - the SQLite schema as numbered migrations, applied in order on open. */
#ifndef CR_STORE_SQLITE_MIGRATIONS_H
#define CR_STORE_SQLITE_MIGRATIONS_H

typedef struct {
    int version;
    const char *name;
    const char *sql;
} cr_sqlite_migration;

extern const cr_sqlite_migration cr_sqlite_migrations[];
extern const int cr_sqlite_migration_count;

#endif
