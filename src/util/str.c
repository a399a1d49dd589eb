/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * str.c - cr_str. Growth doubles; the max bound keeps a hostile input from eating memory. */
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/str.h"

void cr_str_init(cr_str *s, size_t max)
{
    s->ptr = NULL;
    s->len = 0;
    s->cap = 0;
    s->max = max ? max : CR_STR_MAX_DEFAULT;
}

void cr_str_dispose(cr_str *s)
{
    cr_free(s->ptr);
    s->ptr = NULL;
    s->len = s->cap = 0;
}

void cr_str_clear(cr_str *s)
{
    s->len = 0;
    if (s->ptr)
        s->ptr[0] = '\0';
}

static cr_err str_reserve(cr_str *s, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > s->max || s->len + extra > s->max) {
        cr_str_dispose(s);
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_NONE, "text longer than %zu bytes", s->max);
    }
    need = s->len + extra + 1;
    if (need <= s->cap)
        return CR_OK;
    cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap *= 2;
    if ((p = cr_realloc(s->ptr, cap)) == NULL) {
        cr_str_dispose(s);
        return cr_error_oom();
    }
    s->ptr = p;
    s->cap = cap;
    return CR_OK;
}

cr_err cr_str_put(cr_str *s, const char *data, size_t len)
{
    cr_err rc;

    if ((rc = str_reserve(s, len)) < 0)
        return rc;
    if (len)
        memcpy(s->ptr + s->len, data, len);
    s->len += len;
    s->ptr[s->len] = '\0';
    return CR_OK;
}

cr_err cr_str_puts(cr_str *s, const char *cstr)
{
    return cr_str_put(s, cstr, strlen(cstr));
}

cr_err cr_str_putc(cr_str *s, char c)
{
    return cr_str_put(s, &c, 1);
}

cr_err cr_str_vprintf(cr_str *s, const char *fmt, va_list ap)
{
    va_list cp;
    int n;
    cr_err rc;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_NONE, "bad format string");
    if ((rc = str_reserve(s, (size_t)n)) < 0)
        return rc;
    vsnprintf(s->ptr + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
    return CR_OK;
}

cr_err cr_str_printf(cr_str *s, const char *fmt, ...)
{
    va_list ap;
    cr_err rc;

    va_start(ap, fmt);
    rc = cr_str_vprintf(s, fmt, ap);
    va_end(ap);
    return rc;
}

const char *cr_str_cstr(const cr_str *s)
{
    return s->ptr ? s->ptr : "";
}

char *cr_str_detach(cr_str *s)
{
    char *p = s->ptr;

    if (p == NULL)
        p = cr_strdup("");
    s->ptr = NULL;
    s->len = s->cap = 0;
    return p;
}
