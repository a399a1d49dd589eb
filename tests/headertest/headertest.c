/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * headertest.c - crest.h must compile on its own with -std=c11 -pedantic -Werror. */
#include "crest/crest.h"

int cr_headertest_dummy(void);

int cr_headertest_dummy(void)
{
    return CR_OK;
}
