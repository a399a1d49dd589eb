/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * text.h - the small text rules imports share: platform names, handles, header names,
 * UTF-8 validity, ISO country and language codes, e-mail shape. */
#ifndef CR_UTIL_TEXT_H
#define CR_UTIL_TEXT_H

#include <stddef.h>

#include "crest/errors.h"

/* Canonical platform name ("instagram") for a spelling such as "IG", "Instagram" or
 * "YouTube"; NULL when unknown. Borrowed static string. */
const char *cr_platform_canonical(const char *s, size_t len);
/* The list of known platforms, comma-separated, for messages. */
const char *cr_platform_list(void);

/* A handle as stored: no leading '@', lower-case ASCII; letters, digits, '.', '_' and '-'.
 * out must hold len + 1 bytes. */
cr_err cr_handle_normalize(char *out, const char *s, size_t len, const char **why);

/* Header cell -> key: lower-case, blanks/'-'/'.' to '_', runs folded, ends trimmed.
 * "Post ID" -> "post_id". out must hold len + 1 bytes. */
void cr_header_key(char *out, const char *s, size_t len);

/* 1 when s is valid UTF-8 (and holds no NUL byte). */
int cr_utf8_valid(const char *s, size_t len);

/* Upper-cases an ISO 3166-1 alpha-2 code in place after checking its shape. */
cr_err cr_country_check(char *s, size_t len, const char **why);
/* Lower-cases an ISO 639-1 code (two letters, optional region "pt-BR") in place. */
cr_err cr_language_check(char *s, size_t len, const char **why);
cr_err cr_email_check(const char *s, size_t len, const char **why);

#endif
