/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * router.c - matching a request path against route patterns. A pattern is a path whose
 * segments are literal or {name}; {name} matches exactly one non-empty segment. The table
 * is searched in order; a path known under other methods gives 405 with the Allow list. */
#include <stdio.h>
#include <string.h>

#include "server/router.h"

int http_route_match(const char *pattern, const char *path, http_param *params, size_t *nparams)
{
    const char *p = pattern, *s = path;
    size_t n = 0;

    if (nparams)
        *nparams = 0;
    if (*p != '/' || *s != '/')
        return 0;
    while (*p && *s) {
        if (*p == '/' || *s == '/') {
            if (*p != *s)
                return 0;
            p++;
            s++;
            continue;
        }
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t seg = strcspn(s, "/"), name = close ? (size_t)(close - p - 1) : 0;
            if (close == NULL || seg == 0 || seg >= HTTP_MAX_PARAM_LEN)
                return 0;
            if (params) {
                if (n >= HTTP_MAX_PARAMS || name >= sizeof(params[n].name))
                    return 0;
                memcpy(params[n].name, p + 1, name);
                params[n].name[name] = '\0';
                memcpy(params[n].value, s, seg);
                params[n].value[seg] = '\0';
            }
            n++;
            p = close + 1;
            s += seg;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    if (*p != '\0' || *s != '\0')
        return 0;
    if (nparams)
        *nparams = n;
    return 1;
}

static int method_is(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

http_match http_router_find(const http_route **out,
                            http_param *params,
                            size_t *nparams,
                            char *allow,
                            size_t allow_size,
                            const http_route *table,
                            const char *method,
                            const char *path)
{
    size_t i, len = 0;
    int path_known = 0;

    *out = NULL;
    if (allow_size)
        allow[0] = '\0';
    for (i = 0; table[i].method; i++) {
        if (!http_route_match(table[i].pattern, path, NULL, NULL))
            continue;
        if (method_is(table[i].method, method)) {
            http_route_match(table[i].pattern, path, params, nparams);
            *out = &table[i];
            return HTTP_MATCH_OK;
        }
        path_known = 1;
        if (allow_size && len < allow_size && !strstr(allow, table[i].method)) {
            int w =
                snprintf(allow + len, allow_size - len, "%s%s", len ? ", " : "", table[i].method);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    return path_known ? HTTP_MATCH_NO_METHOD : HTTP_MATCH_NO_PATH;
}

int http_route_takes(const http_route *r, const char *name)
{
    const char *q = r->query;
    size_t n = strlen(name);

    while (q && *q) {
        size_t seg = strcspn(q, ",");
        if (seg == n && strncmp(q, name, n) == 0)
            return 1;
        q += seg;
        if (*q == ',')
            q++;
    }
    return 0;
}
