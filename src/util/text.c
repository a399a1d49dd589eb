/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * text.c - text rules for imports. UTF-8 decoding is utf8proc's; the rest is tables. */
#include <string.h>
#include <utf8proc.h>

#include "util/text.h"

static const struct platform_name {
    const char *alias;
    const char *canonical;
} platform_names[] = {
    { "instagram", "instagram" }, { "ig", "instagram" },      { "insta", "instagram" },
    { "tiktok", "tiktok" },       { "tik_tok", "tiktok" },    { "tt", "tiktok" },
    { "youtube", "youtube" },     { "yt", "youtube" },        { "you_tube", "youtube" },
    { "facebook", "facebook" },   { "fb", "facebook" },       { "x", "x" },
    { "twitter", "x" },           { "twitch", "twitch" },     { "pinterest", "pinterest" },
    { "linkedin", "linkedin" },   { "snapchat", "snapchat" }, { "threads", "threads" },
};

const char *cr_platform_list(void)
{
    return "instagram, tiktok, youtube, facebook, x, twitch, pinterest, linkedin, snapchat, "
           "threads";
}

const char *cr_platform_canonical(const char *s, size_t len)
{
    char key[32];
    size_t i;

    if (len == 0 || len >= sizeof(key))
        return NULL;
    for (i = 0; i < 3; i++) /* fast path: already canonical */
        if (strlen(platform_names[i * 3].canonical) == len &&
            memcmp(platform_names[i * 3].canonical, s, len) == 0)
            return platform_names[i * 3].canonical;
    cr_header_key(key, s, len);
    for (i = 0; i < sizeof(platform_names) / sizeof(platform_names[0]); i++)
        if (strcmp(key, platform_names[i].alias) == 0)
            return platform_names[i].canonical;
    return NULL;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

cr_err cr_handle_normalize(char *out, const char *s, size_t len, const char **why)
{
    size_t i, n = 0;

    while (len && is_blank(*s)) {
        s++;
        len--;
    }
    while (len && is_blank(s[len - 1]))
        len--;
    if (len && *s == '@') {
        s++;
        len--;
    }
    if (len == 0) {
        *why = "empty handle";
        return CR_EINVALID;
    }
    if (len > 100) {
        *why = "handle longer than 100 characters";
        return CR_EINVALID;
    }
    for (i = 0; i < len; i++) {
        char c = ascii_lower(s[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-')) {
            *why = "holds a character that is not allowed";
            return CR_EINVALID;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return CR_OK;
}

void cr_header_key(char *out, const char *s, size_t len)
{
    size_t i, n = 0;
    int pending_sep = 0;

    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.' || c == '/') {
            pending_sep = n > 0;
            continue;
        }
        if (pending_sep)
            out[n++] = '_';
        pending_sep = 0;
        out[n++] = ascii_lower(c);
    }
    out[n] = '\0';
}

int cr_utf8_valid(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    size_t i = 0;

    while (i < len) {
        utf8proc_ssize_t n;
        if (p[i] >= 0x20 && p[i] < 0x80) { /* the common case: printable ASCII */
            i++;
            continue;
        }
        if (p[i] < 0x80) {
            if (p[i] == 0)
                return 0;
            i++;
            continue;
        }
        n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

cr_err cr_country_check(char *s, size_t len, const char **why)
{
    if (len != 2 || !is_alpha(s[0]) || !is_alpha(s[1])) {
        *why = "not two letters";
        return CR_EINVALID;
    }
    s[0] = (char)(s[0] & ~0x20);
    s[1] = (char)(s[1] & ~0x20);
    return CR_OK;
}

cr_err cr_language_check(char *s, size_t len, const char **why)
{
    size_t i;

    if (!(len == 2 || (len == 5 && (s[2] == '-' || s[2] == '_'))) || !is_alpha(s[0]) ||
        !is_alpha(s[1]) || (len == 5 && (!is_alpha(s[3]) || !is_alpha(s[4])))) {
        *why = "not a two-letter code with an optional region";
        return CR_EINVALID;
    }
    s[0] = ascii_lower(s[0]);
    s[1] = ascii_lower(s[1]);
    if (len == 5) {
        s[2] = '-';
        for (i = 3; i < 5; i++)
            s[i] = (char)(s[i] & ~0x20);
    }
    return CR_OK;
}

cr_err cr_email_check(const char *s, size_t len, const char **why)
{
    const char *at = memchr(s, '@', len);
    size_t i;

    *why = "an e-mail address such as name@example.com";
    if (at == NULL || at == s || memchr(at + 1, '@', len - (size_t)(at - s) - 1) != NULL)
        return CR_EINVALID;
    if (memchr(at, '.', len - (size_t)(at - s)) == NULL || s[len - 1] == '.')
        return CR_EINVALID;
    for (i = 0; i < len; i++)
        if (s[i] == ' ' || s[i] == '<' || s[i] == '>' || s[i] == ',' || s[i] == '\r' ||
            s[i] == '\n')
            return CR_EINVALID;
    return CR_OK;
}
