/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * listen.h - the --listen address of `crest serve`: HOST:PORT with an IPv4 or IPv6 address
 * ([::1]:8080) or localhost. Pure, so it is unit-tested on its own. */
#ifndef CR_SERVER_LISTEN_H
#define CR_SERVER_LISTEN_H

#include <stdint.h>

#include "crest/errors.h"

typedef struct {
    int ipv6;               /* 0: IPv4 */
    unsigned char addr[16]; /* network order; 4 bytes used for IPv4 */
    uint16_t port;          /* 0: any free port */
    char host[64];          /* as written, without brackets, for messages */
} http_listen;

/* @return CR_OK or CR_EINVALID with a message saying what form is expected */
cr_err http_listen_parse(http_listen *out, const char *s);

/* 1 for 127.0.0.0/8 and ::1. */
int http_listen_is_loopback(const http_listen *l);

#endif
