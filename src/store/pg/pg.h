/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * pg.h - the PostgreSQL backend (libpq), built when CREST_WITH_POSTGRES is on. Its open()
 * takes the whole URL, "postgres://user@host/db?..." or "postgresql://...", as libpq does. */
#ifndef CR_STORE_PG_H
#define CR_STORE_PG_H

#include "crest/sys/store_backend.h"

/* A new, unopened PostgreSQL backend; free with its free member. */
cr_err cr_store_pg_new(cr_store_backend **out);

#endif
