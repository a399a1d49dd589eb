/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * alloc.h - every heap allocation goes through these, so tests can make them fail. */
#ifndef CR_UTIL_ALLOC_H
#define CR_UTIL_ALLOC_H

#include <stddef.h>

void *cr_malloc(size_t size);
void *cr_calloc(size_t n, size_t size);
void *cr_realloc(void *p, size_t size);
void cr_free(void *p);
char *cr_strdup(const char *s);
char *cr_strndup(const char *s, size_t n);

/* qsort that accepts an empty array given as NULL (qsort's pointer must not be NULL even
 * for 0 elements: UBSan stops on it), as the growable arrays here start out. */
void cr_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Make the n-th allocation from now (1 = the next) and all after it fail; 0 turns it off. */
void cr_alloc_fail_after(long n);

#endif
