/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * tmpdir.h - temporary directories for tests that need files or a store on disk. */
#ifndef CR_TEST_TMPDIR_H
#define CR_TEST_TMPDIR_H

#include <stddef.h>

/* Make /tmp/crest-test-NAME-XXXXXX into dir; 0, or -1 when it cannot. */
int cr_test_tmpdir(char *dir, size_t size, const char *name);
/* Remove the files in dir (one level, as the tests make them) and dir itself. */
void cr_test_rmdir(const char *dir);

#endif
