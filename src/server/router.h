/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * router.h - HTTP routes: a table of {method, pattern, handler} and the matcher that finds
 * the route of a request. Pure (no libmicrohttpd), so it is unit-tested on its own. */
#ifndef CR_SERVER_ROUTER_H
#define CR_SERVER_ROUTER_H

#include <stddef.h>

#include "crest/errors.h"

#define HTTP_MAX_PARAMS    4
#define HTTP_MAX_PARAM_LEN 128

#define ROUTE_F_JSON_BODY 0x1 /* the body is parsed as a JSON object into req->json */
#define ROUTE_F_STORE     0x2 /* the handler reads the store (req->store is open) */
#define ROUTE_F_PUBLIC    0x4 /* no session needed (/healthz, login); roles are ignored */
#define ROUTE_F_UPLOAD    0x8 /* the body is a file: streamed to a temp file (req->upload_path) */
/* a read-only GET whose 200 answer depends on the store, path, query and role (and user, on a
 * route creators may use) only: crest serve may answer it from its cache (server.c). Never on
 * an answer about the caller (a profile, a creator's own forms). */
#define ROUTE_F_CACHE 0x10

typedef struct http_req http_req;
typedef struct http_res http_res;

typedef struct {
    const char *method;  /* "GET", "POST" */
    const char *pattern; /* "/api/v1/campaigns/{id}" */
    cr_err (*handle)(http_req *req, http_res *res);
    unsigned int flags; /* ROUTE_F_* */
    const char *query;  /* allowed query parameters, comma-separated; NULL: none */
    unsigned int roles; /* HTTP_ROLE_* bits (server/auth.h) of the accounts it serves */
} http_route;

/* A {name} segment of the pattern and the path segment it matched (NUL-terminated). */
typedef struct {
    char name[32];
    char value[HTTP_MAX_PARAM_LEN];
} http_param;

typedef enum {
    HTTP_MATCH_OK = 0,
    HTTP_MATCH_NO_PATH,  /* 404: no route has this path */
    HTTP_MATCH_NO_METHOD /* 405: a route has this path, with another method */
} http_match;

/* 1 when path matches pattern ({name} matches one non-empty segment), else 0. params may be
 * NULL; else it receives up to HTTP_MAX_PARAMS captures. */
int http_route_match(const char *pattern, const char *path, http_param *params, size_t *nparams);

/**
 * Find the route of a request in a table ended by a {NULL} entry. HEAD matches GET routes.
 * @param allow receives the methods the path has ("GET, POST") when HTTP_MATCH_NO_METHOD
 */
http_match http_router_find(const http_route **out,
                            http_param *params,
                            size_t *nparams,
                            char *allow,
                            size_t allow_size,
                            const http_route *table,
                            const char *method,
                            const char *path);

/* 1 when the route accepts query parameter `name`. */
int http_route_takes(const http_route *r, const char *name);

#endif
