/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * str.h - cr_str, a bounded growable string (curl's dynbuf): always NUL-terminated, a
 * maximum size set at init, and a failed append frees the buffer and resets it. */
#ifndef CR_UTIL_STR_H
#define CR_UTIL_STR_H

#include <stdarg.h>
#include <stddef.h>

#include "crest/errors.h"

typedef struct {
    char *ptr;  /* NULL until the first append; use cr_str_cstr() to read */
    size_t len; /* bytes used, without the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* an append that would pass this fails with CR_EINVALID */
} cr_str;

#define CR_STR_MAX_DEFAULT ((size_t)64 << 20)

void cr_str_init(cr_str *s, size_t max);
void cr_str_dispose(cr_str *s);
void cr_str_clear(cr_str *s);
cr_err cr_str_put(cr_str *s, const char *data, size_t len);
cr_err cr_str_puts(cr_str *s, const char *cstr);
cr_err cr_str_putc(cr_str *s, char c);
cr_err cr_str_printf(cr_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
cr_err cr_str_vprintf(cr_str *s, const char *fmt, va_list ap);
/* Borrowed; "" when empty. */
const char *cr_str_cstr(const cr_str *s);
/* Hands the buffer to the caller (free with cr_free) and resets s. */
char *cr_str_detach(cr_str *s);

#endif
