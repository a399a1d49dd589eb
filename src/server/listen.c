/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * listen.c - parsing and judging the --listen address. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "server/listen.h"

#define LISTEN_FORM "expected HOST:PORT such as 127.0.0.1:8080 or [::1]:8080"

cr_err http_listen_parse(http_listen *out, const char *s)
{
    const char *colon, *port;
    size_t hlen;
    long p = 0;

    memset(out, 0, sizeof(*out));
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || close[1] != ':')
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--listen '%s': %s", s, LISTEN_FORM);
        hlen = (size_t)(close - s - 1);
        if (hlen >= sizeof(out->host))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--listen: address too long");
        memcpy(out->host, s + 1, hlen);
        port = close + 2;
        out->ipv6 = 1;
    } else {
        if ((colon = strrchr(s, ':')) == NULL || memchr(s, ':', (size_t)(colon - s)) != NULL)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--listen '%s': %s", s, LISTEN_FORM);
        hlen = (size_t)(colon - s);
        if (hlen >= sizeof(out->host))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--listen: address too long");
        memcpy(out->host, s, hlen);
        port = colon + 1;
    }
    if (*port == '\0' || strlen(port) > 5 || strspn(port, "0123456789") != strlen(port))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--listen '%s': port: expected 0-65535",
                            s);
    while (*port)
        p = p * 10 + (*port++ - '0');
    if (p > 65535)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--listen '%s': port: expected 0-65535",
                            s);
    out->port = (uint16_t)p;
    if (!out->ipv6 && strcmp(out->host, "localhost") == 0) {
        out->addr[0] = 127;
        out->addr[3] = 1;
        return CR_OK;
    }
    if (inet_pton(out->ipv6 ? AF_INET6 : AF_INET, out->host, out->addr) != 1)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "--listen '%s': '%s' is not an IP%s address (%s)", s, out->host,
                            out->ipv6 ? "v6" : "v4", LISTEN_FORM);
    return CR_OK;
}

int http_listen_is_loopback(const http_listen *l)
{
    static const unsigned char v6_loopback[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

    if (l->ipv6)
        return memcmp(l->addr, v6_loopback, 16) == 0;
    return l->addr[0] == 127;
}
