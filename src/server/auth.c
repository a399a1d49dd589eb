/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * auth.c - role bits, the session cookie and the login rate limiter (see auth.h). The limiter
 * is a small table scanned linearly under one mutex: logins are rare and each one costs an
 * argon2id verification (tens of milliseconds), next to which 1024 string compares are free. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "server/auth.h"

unsigned int http_role_bit(const char *role)
{
    static const struct {
        const char *name;
        unsigned int bit;
    } roles[] = {
        { "admin", HTTP_ROLE_ADMIN },     { "manager", HTTP_ROLE_MANAGER },
        { "analyst", HTTP_ROLE_ANALYST }, { "reviewer", HTTP_ROLE_REVIEWER },
        { "creator", HTTP_ROLE_CREATOR },
    };
    size_t i;

    for (i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(role, roles[i].name) == 0)
            return roles[i].bit;
    return 0;
}

void http_token_hash(char out[65], const char *token)
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

int http_cookie_get(char *out, size_t size, const char *header, const char *name)
{
    size_t n = strlen(name);
    const char *p = header;

    if (size == 0)
        return 0;
    out[0] = '\0';
    while (p && *p) {
        size_t len;
        p += strspn(p, " \t;");
        len = strcspn(p, ";");
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t vlen = len - n - 1;
            while (vlen > 0 && (p[n + 1 + vlen - 1] == ' ' || p[n + 1 + vlen - 1] == '\t'))
                vlen--;
            if (vlen + 1 > size)
                return 0;
            memcpy(out, p + n + 1, vlen);
            out[vlen] = '\0';
            return 1;
        }
        p += len;
    }
    return 0;
}

void http_ratelimit_init_max(http_ratelimit *rl, int max_fails)
{
    memset(rl->slots, 0, sizeof(rl->slots));
    rl->max_fails = max_fails;
    pthread_mutex_init(&rl->mu, NULL);
}

void http_ratelimit_init(http_ratelimit *rl)
{
    http_ratelimit_init_max(rl, HTTP_LOGIN_MAX_FAILS);
}

void http_ratelimit_dispose(http_ratelimit *rl)
{
    pthread_mutex_destroy(&rl->mu);
}

/* The slot of `email` with a window still open at `now`, or NULL; a closed window is freed. */
static http_login_slot *slot_of(http_ratelimit *rl, const char *email, int64_t now)
{
    size_t i;

    for (i = 0; i < HTTP_LOGIN_SLOTS; i++) {
        http_login_slot *s = &rl->slots[i];
        if (s->first == 0 || strcmp(s->email, email) != 0)
            continue;
        if (now - s->first >= HTTP_LOGIN_WINDOW) {
            s->first = 0;
            s->fails = 0;
            return NULL;
        }
        return s;
    }
    return NULL;
}

int http_ratelimit_blocked(http_ratelimit *rl, const char *email, int64_t now)
{
    http_login_slot *s;
    int blocked;

    pthread_mutex_lock(&rl->mu);
    s = slot_of(rl, email, now);
    blocked = s != NULL && s->fails >= rl->max_fails;
    pthread_mutex_unlock(&rl->mu);
    return blocked;
}

void http_ratelimit_fail(http_ratelimit *rl, const char *email, int64_t now)
{
    http_login_slot *s;
    size_t i;

    pthread_mutex_lock(&rl->mu);
    if ((s = slot_of(rl, email, now)) == NULL) {
        /* a free slot, a closed window, or else the oldest window */
        for (i = 0; i < HTTP_LOGIN_SLOTS; i++) {
            http_login_slot *c = &rl->slots[i];
            if (c->first == 0 || now - c->first >= HTTP_LOGIN_WINDOW) {
                s = c;
                break;
            }
            if (s == NULL || c->first < s->first)
                s = c;
        }
        memset(s, 0, sizeof(*s));
        snprintf(s->email, sizeof(s->email), "%s", email);
        s->first = now > 0 ? now : 1;
    }
    s->fails++;
    pthread_mutex_unlock(&rl->mu);
}

void http_ratelimit_reset(http_ratelimit *rl, const char *email)
{
    size_t i;

    pthread_mutex_lock(&rl->mu);
    for (i = 0; i < HTTP_LOGIN_SLOTS; i++)
        if (rl->slots[i].first != 0 && strcmp(rl->slots[i].email, email) == 0) {
            rl->slots[i].first = 0;
            rl->slots[i].fails = 0;
        }
    pthread_mutex_unlock(&rl->mu);
}
