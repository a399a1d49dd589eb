/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * alloc.c - the allocator wrappers. Library code never aborts on a failed allocation: it
 * returns CR_ENOMEM, and cr_alloc_fail_after() lets tests prove that it does. */
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static long fail_countdown;

static int alloc_should_fail(void)
{
    if (fail_countdown <= 0)
        return 0;
    if (fail_countdown == 1)
        return 1;
    fail_countdown--;
    return 0;
}

void cr_alloc_fail_after(long n)
{
    fail_countdown = n;
}

void *cr_malloc(size_t size)
{
    return alloc_should_fail() ? NULL : malloc(size ? size : 1);
}

void *cr_calloc(size_t n, size_t size)
{
    return alloc_should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *cr_realloc(void *p, size_t size)
{
    return alloc_should_fail() ? NULL : realloc(p, size ? size : 1);
}

void cr_free(void *p)
{
    free(p);
}

char *cr_strndup(const char *s, size_t n)
{
    char *d = cr_malloc(n + 1);

    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cr_strdup(const char *s)
{
    return s ? cr_strndup(s, strlen(s)) : NULL;
}

void cr_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}
