/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * num.h - the number formats real exports use: "1,234", "12.5K", "1.2M", "3.4%".
 * Parsers return CR_OK or CR_EINVALID with `*why` set to a short static reason; they do
 * not touch the thread's error record, so the caller can name file, line and field. */
#ifndef CR_UTIL_NUM_H
#define CR_UTIL_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "crest/errors.h"

/* A non-negative count: digits with optional ',' thousands groups, or a decimal with a
 * K/M/B suffix (rounded to the nearest unit). Surrounding blanks are ignored. */
cr_err cr_parse_count(int64_t *out, const char *s, size_t len, const char **why);

/* A rate: "3.4%" is 0.034; a bare number must be a fraction in [0, 1]. */
cr_err cr_parse_rate(double *out, const char *s, size_t len, const char **why);

/* A plain decimal number ("-12.5", "1,234.5"). */
cr_err cr_parse_decimal(double *out, const char *s, size_t len, const char **why);

/* The largest amount in major units crest reads (90 trillion): in minor units (x100), or
 * as hours in seconds (x3600), it stays well inside int64_t. */
#define CR_AMOUNT_MAX 9.0e13

/* A non-negative decimal amount in major units ("1200", "1,200.50") as minor units (cents),
 * rounded; over CR_AMOUNT_MAX is "number too large". */
cr_err cr_parse_money(int64_t *out_minor, const char *s, size_t len, const char **why);

/* Compact display: 950, 12.5K, 1.2M. buf must hold 16 bytes. */
const char *cr_fmt_compact(char *buf, size_t size, int64_t n);

#endif
