/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * common.h - macros every public header uses: C++ guards, export and printf attributes. */
#ifndef CR_COMMON_H
#define CR_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define CR_BEGIN_DECL extern "C" {
#define CR_END_DECL   }
#else
#define CR_BEGIN_DECL
#define CR_END_DECL
#endif

#if defined(__GNUC__)
#define CR_EXTERN(type)     extern __attribute__((visibility("default"))) type
#define CR_PRINTF(fmt, arg) __attribute__((format(printf, fmt, arg)))
#else
#define CR_EXTERN(type) extern type
#define CR_PRINTF(fmt, arg)
#endif

/* `static` except in the unit-test build, so tests can reach file-local helpers (curl's UNITTEST).
 */
#ifdef CR_UNIT_TESTS
#define CR_STATIC
#else
#define CR_STATIC static
#endif

/** A count that was not given (an empty cell); counts are otherwise >= 0. */
#define CR_COUNT_NONE (-1)

#endif /* CR_COMMON_H */
