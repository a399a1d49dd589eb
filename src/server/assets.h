/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * assets.h - the files of web/ (the browser app), embedded at build time by
 * cmake/EmbedFiles.cmake into a generated web_assets.c. `crest serve` answers GET / and
 * GET /assets/{name} from this table only: it never reads the filesystem for them. */
#ifndef CR_SERVER_ASSETS_H
#define CR_SERVER_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *name;         /* "app.js": the file name in web/ */
    const char *content_type; /* "text/javascript; charset=utf-8" */
    const unsigned char *data;
    size_t size;
} http_asset;

/* The embedded files, ended by a {NULL} entry (generated). */
extern const http_asset http_assets[];

/* The asset called `name`; NULL when there is none. */
const http_asset *http_asset_find(const char *name);

#endif
