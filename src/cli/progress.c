/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * progress.c - a one-line progress bar on stderr: only on a terminal, only for inputs big
 * enough to wait for, redrawn at most ten times a second. */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"

#define PROGRESS_MIN_BYTES (8u << 20)

void cli_progress_start(cli_progress *p, const char *label, uint64_t total, int quiet)
{
    p->enabled = !quiet && isatty(STDERR_FILENO) && total >= PROGRESS_MIN_BYTES;
    p->label = label;
    p->started = p->last = cli_now_seconds();
}

void cli_progress_update(uint64_t done, uint64_t total, void *payload)
{
    cli_progress *p = payload;
    double now, frac, rate;
    char bar[31];
    int i, fill;

    if (!p->enabled || total == 0)
        return;
    now = cli_now_seconds();
    if (now - p->last < 0.1 && done < total)
        return;
    p->last = now;
    frac = (double)done / (double)total;
    if (frac > 1)
        frac = 1;
    fill = (int)(frac * 30);
    for (i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    rate = now > p->started ? done / (now - p->started) / 1048576.0 : 0;
    fprintf(stderr, "\r%s [%s] %3d%%  %.1f MiB/s ", p->label, bar, (int)(frac * 100), rate);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->enabled)
        fprintf(stderr, "\r\033[K");
}
