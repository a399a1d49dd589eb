/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * auth.h - the pure parts of `crest serve` accounts: roles as bits for the route table, the
 * crest_session cookie in a Cookie header, and the login rate limiter. No libmicrohttpd and
 * no store, so they are unit-tested on their own (tests/server/auth.c). */
#ifndef CR_SERVER_AUTH_H
#define CR_SERVER_AUTH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_ROLE_ADMIN    0x01
#define HTTP_ROLE_MANAGER  0x02
#define HTTP_ROLE_ANALYST  0x04
#define HTTP_ROLE_REVIEWER 0x08
#define HTTP_ROLE_CREATOR  0x10
/* what the read routes allow: every role but creator */
#define HTTP_ROLES_READ \
    (HTTP_ROLE_ADMIN | HTTP_ROLE_MANAGER | HTTP_ROLE_ANALYST | HTTP_ROLE_REVIEWER)

#define HTTP_SESSION_COOKIE  "crest_session"
#define HTTP_SESSION_SECONDS (12 * 3600)

#define HTTP_LOGIN_MAX_FAILS    5         /* failed logins per email ... */
#define HTTP_LOGIN_IP_MAX_FAILS 20        /* ... and per client address ... */
#define HTTP_LOGIN_WINDOW       (15 * 60) /* ... per this many seconds */
#define HTTP_LOGIN_SLOTS        1024      /* emails tracked at once */
#define HTTP_EMAIL_MAX          254

/* The bit of a role name ("analyst"); 0 for an unknown name. */
unsigned int http_role_bit(const char *role);

/* The value of cookie `name` in a Cookie header ("a=1; crest_session=ab12") into out.
 * @return 1 when found and it fits (NUL-terminated), else 0 */
int http_cookie_get(char *out, size_t size, const char *header, const char *name);

/* The SHA-256 of a session token, in hex: what the store keeps instead of the token. */
void http_token_hash(char out[65], const char *token);

typedef struct {
    char email[HTTP_EMAIL_MAX + 1];
    int64_t first; /* the time of the first failure of the window; 0: slot free */
    int fails;
} http_login_slot;

/* Failed logins per key (an email, or a client address) in a fixed window, in memory, shared
 * by the worker threads. When every slot is taken the oldest window is dropped (an attacker
 * cycling through 1024 emails resets a window early, which costs them 1024 guesses per
 * reset; the per-address limiter bounds that cycling from one address). */
typedef struct {
    pthread_mutex_t mu;
    int max_fails; /* failures that block a key until its window ends */
    http_login_slot slots[HTTP_LOGIN_SLOTS];
} http_ratelimit;

/* A limiter blocking a key after HTTP_LOGIN_MAX_FAILS failures. */
void http_ratelimit_init(http_ratelimit *rl);
/* A limiter blocking a key after max_fails failures. */
void http_ratelimit_init_max(http_ratelimit *rl, int max_fails);
void http_ratelimit_dispose(http_ratelimit *rl);
/* 1 when `email` has max_fails failures in the window that holds `now`. */
int http_ratelimit_blocked(http_ratelimit *rl, const char *email, int64_t now);
/* Count one failed login of `email` at `now`. */
void http_ratelimit_fail(http_ratelimit *rl, const char *email, int64_t now);
/* Forget the failures of `email` (after a successful login). */
void http_ratelimit_reset(http_ratelimit *rl, const char *email);

#endif
