/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail_int.h - helpers shared by the mail_*.c files of src/outreach. */
#ifndef CR_OUTREACH_MAIL_INT_H
#define CR_OUTREACH_MAIL_INT_H

#include <stddef.h>

#include "crest/mail.h"
#include "util/str.h"

/* Base64 of data (RFC 4648, with padding, no line breaks) appended to out. */
cr_err cr_mail__base64(cr_str *out, const unsigned char *data, size_t len);

/* Decode base64, skipping whitespace and stopping at the first other non-alphabet byte;
 * appends to out. */
cr_err cr_mail__unbase64(cr_str *out, const char *s, size_t len);

/* Decode quoted-printable (soft line breaks, =XX; malformed escapes kept as they are).
 * `underscore_space` turns "_" into a space (RFC 2047's Q encoding). */
cr_err cr_mail__unqp(cr_str *out, const char *s, size_t len, int underscore_space);

/* Case-insensitive ASCII compare of n bytes. */
int cr_mail__ncaseeq(const char *a, const char *b, size_t n);

/* The scheme-less remainder of `url` after "scheme:", or NULL when url does not start with
 * "scheme:" (case-insensitive). */
const char *cr_mail__after_scheme(const char *url, const char *scheme);

/* libcurl's global initialisation, once per process (thread-safe). */
cr_err cr_mail__curl_init(void);

#endif /* CR_OUTREACH_MAIL_INT_H */
