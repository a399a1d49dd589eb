/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * date.h - UTC dates and times as unix seconds, parsed from ISO 8601 text. No time zone
 * database and no locale: "2026-07-01", "2026-07-01T09:30", "2026-07-01 09:30:15Z",
 * "2026-07-01T09:30:00+02:00". */
#ifndef CR_UTIL_DATE_H
#define CR_UTIL_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "crest/errors.h"

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t cr_days_from_civil(int y, int m, int d);
void cr_civil_from_days(int64_t z, int *y, int *m, int *d);

/* A calendar date only; *out is midnight UTC. */
cr_err cr_parse_date(int64_t *out, const char *s, size_t len, const char **why);
/* A date or a date and time, with an optional Z or +HH:MM offset; converted to UTC. */
cr_err cr_parse_datetime(int64_t *out, const char *s, size_t len, const char **why);

/* "2026-07-01" (buf >= 11) and "2026-07-01T09:30:00Z" (buf >= 21). */
const char *cr_fmt_date(char *buf, size_t size, int64_t t);
const char *cr_fmt_datetime(char *buf, size_t size, int64_t t);

/* A period name -> first and last day (midnight UTC, end inclusive): "2027-Q3",
 * "2027-H1", "2027-07", "2027". CR_EINVALID (no message) for anything else. */
cr_err cr_period_bounds(int64_t *start, int64_t *end, const char *period);

/* Seconds since the epoch, from the real clock. */
int64_t cr_now(void);

#endif
