/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * errors.c - the thread-local error record and the only table that knows how a code maps
 * to an HTTP status and a process exit code. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crest/errors.h"

static _Thread_local cr_error last_error;
static _Thread_local int has_error;

static const struct err_map {
    cr_err code;
    const char *slug;
    int http;
    int exit;
} err_map[] = {
    { CR_OK, "ok", 200, 0 },
    { CR_ERROR, "error", 500, 1 },
    { CR_ENOMEM, "out_of_memory", 503, 1 },
    { CR_EINVALID, "invalid", 400, 3 },
    { CR_ENOTFOUND, "not_found", 404, 4 },
    { CR_EEXISTS, "exists", 409, 1 },
    { CR_ECONFLICT, "conflict", 409, 1 },
    { CR_EAUTH, "unauthorized", 401, 1 },
    { CR_ESTORE, "store_error", 503, 1 },
    { CR_EUSAGE, "usage", 400, 2 },
    { CR_EIO, "io_error", 500, 1 },
};

static const struct err_map *err_lookup(cr_err code)
{
    size_t i;

    for (i = 0; i < sizeof(err_map) / sizeof(err_map[0]); i++)
        if (err_map[i].code == code)
            return &err_map[i];
    return &err_map[1];
}

cr_err cr_error_set(cr_err code, cr_errclass klass, const char *fmt, ...)
{
    va_list ap;

    last_error.code = code;
    last_error.klass = klass;
    va_start(ap, fmt);
    vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
    va_end(ap);
    has_error = 1;
    return code;
}

cr_err cr_error_oom(void)
{
    return cr_error_set(CR_ENOMEM, CR_ERRCLASS_NOMEMORY, "out of memory");
}

const cr_error *cr_error_last(void)
{
    return has_error ? &last_error : NULL;
}

void cr_error_clear(void)
{
    has_error = 0;
    memset(&last_error, 0, sizeof(last_error));
}

const char *cr_err_slug(cr_err code)
{
    return err_lookup(code)->slug;
}

int cr_err_exit_code(cr_err code)
{
    return err_lookup(code)->exit;
}

int cr_err_http_status(cr_err code)
{
    return err_lookup(code)->http;
}
