/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * errors.h - one error enum, one thread-local detail record (libgit2's scheme).
 * Codes are negative and never renumbered; the message says what went wrong in one line. */
#ifndef CR_ERRORS_H
#define CR_ERRORS_H

#include "crest/common.h"

CR_BEGIN_DECL

typedef enum {
    CR_OK = 0,
    CR_ERROR = -1, /* unexpected; see cr_error_last() */
    CR_ENOMEM = -2,
    CR_EINVALID = -3,
    CR_ENOTFOUND = -4,
    CR_EEXISTS = -5,
    CR_ECONFLICT = -6,
    CR_EAUTH = -7,
    CR_ESTORE = -8,
    CR_EUSAGE = -9,
    CR_EIO = -10,
    CR_ITEROVER = -30 /* not an error: iteration finished */
} cr_err;

typedef enum {
    CR_ERRCLASS_NONE = 0,
    CR_ERRCLASS_NOMEMORY,
    CR_ERRCLASS_OS,
    CR_ERRCLASS_STORE,
    CR_ERRCLASS_IMPORT,
    CR_ERRCLASS_PARSE,
    CR_ERRCLASS_CLI
} cr_errclass;

typedef struct {
    cr_err code;
    cr_errclass klass;
    char message[1024];
} cr_error;

/**
 * Record an error for this thread and return `code`.
 * @return code, so that `return cr_error_set(...)` reads naturally
 */
CR_EXTERN(cr_err)
cr_error_set(cr_err code, cr_errclass klass, const char *fmt, ...) CR_PRINTF(3, 4);

/** Record CR_ENOMEM ("out of memory") and return it. */
CR_EXTERN(cr_err) cr_error_oom(void);

/** The last error recorded on this thread; borrowed; NULL when none. */
CR_EXTERN(const cr_error *) cr_error_last(void);

/** Forget the last error of this thread. */
CR_EXTERN(void) cr_error_clear(void);

/** Short stable name of a code ("invalid", "not_found", ...). */
CR_EXTERN(const char *) cr_err_slug(cr_err code);

/** Process exit code for a code: 0 ok, 1 failure, 2 usage, 3 invalid input, 4 not found. */
CR_EXTERN(int) cr_err_exit_code(cr_err code);

/** HTTP status for a code (400, 404, 409, 503, ...). */
CR_EXTERN(int) cr_err_http_status(cr_err code);

CR_END_DECL

#endif /* CR_ERRORS_H */
