/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * tmpdir.c - temporary directories for tests (see tmpdir.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"

int cr_test_tmpdir(char *dir, size_t size, const char *name)
{
    if ((size_t)snprintf(dir, size, "/tmp/crest-test-%s-XXXXXX", name) >= size)
        return -1;
    return mkdtemp(dir) == NULL ? -1 : 0;
}

void cr_test_rmdir(const char *dir)
{
    DIR *d;
    struct dirent *e;
    char p[1024];

    if (dir == NULL || dir[0] == '\0')
        return;
    if ((d = opendir(dir)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}
