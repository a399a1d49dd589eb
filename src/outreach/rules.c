/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * rules.c - the sending rules: the creator's time zone for quiet hours, the daily cap with
 * its warm-up, and the sender's configuration (the setting "outreach.config", JSON).
 *
 * Time zones: creators have a country, not a zone. crest maps a country to one representative
 * zone (the one most of its people live in): its standard UTC offset and, where it keeps
 * daylight saving, today's rule for it, from the table below. A fixed table keeps libcrest
 * free of the process time zone (setenv("TZ") is neither thread-safe nor ours to touch) and of
 * the machine's tz database version, so the answer is the same on every machine. An unknown
 * country is treated as UTC. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/outreach.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY 86400

/* Daylight saving, by today's rules, for the countries of the table that keep it (the zone
 * of the table's offset: New York, Toronto, Sydney, Auckland, Santiago, Jerusalem, Cairo and
 * the European Union's rule for Europe). Morocco's Ramadan change is left out. */
enum dst_rule { DST_NONE, DST_EU, DST_US, DST_AU, DST_NZ, DST_CL, DST_IL, DST_EG };

static const struct {
    char code[3];
    short minutes; /* standard time */
    unsigned char dst;
} tz_table[] = {
    { "AE", 240, 0 },       { "AR", -180, 0 },      { "AT", 60, DST_EU },   { "AU", 600, DST_AU },
    { "BD", 360, 0 },       { "BE", 60, DST_EU },   { "BG", 120, DST_EU },  { "BR", -180, 0 },
    { "CA", -300, DST_US }, { "CH", 60, DST_EU },   { "CL", -240, DST_CL }, { "CN", 480, 0 },
    { "CO", -300, 0 },      { "CZ", 60, DST_EU },   { "DE", 60, DST_EU },   { "DK", 60, DST_EU },
    { "EG", 120, DST_EG },  { "ES", 60, DST_EU },   { "FI", 120, DST_EU },  { "FR", 60, DST_EU },
    { "GB", 0, DST_EU },    { "GH", 0, 0 },         { "GR", 120, DST_EU },  { "HK", 480, 0 },
    { "HR", 60, DST_EU },   { "HU", 60, DST_EU },   { "ID", 420, 0 },       { "IE", 0, DST_EU },
    { "IL", 120, DST_IL },  { "IN", 330, 0 },       { "IR", 210, 0 },       { "IS", 0, 0 },
    { "IT", 60, DST_EU },   { "JP", 540, 0 },       { "KE", 180, 0 },       { "KR", 540, 0 },
    { "LK", 330, 0 },       { "MA", 60, 0 },        { "MX", -360, 0 },      { "MY", 480, 0 },
    { "NG", 60, 0 },        { "NL", 60, DST_EU },   { "NO", 60, DST_EU },   { "NP", 345, 0 },
    { "NZ", 720, DST_NZ },  { "PE", -300, 0 },      { "PH", 480, 0 },       { "PK", 300, 0 },
    { "PL", 60, DST_EU },   { "PT", 0, DST_EU },    { "RO", 120, DST_EU },  { "RS", 60, DST_EU },
    { "RU", 180, 0 },       { "SA", 180, 0 },       { "SE", 60, DST_EU },   { "SG", 480, 0 },
    { "SK", 60, DST_EU },   { "TH", 420, 0 },       { "TR", 180, 0 },       { "TW", 480, 0 },
    { "UA", 120, DST_EU },  { "US", -300, DST_US }, { "VE", -240, 0 },      { "VN", 420, 0 },
    { "ZA", 120, 0 },
};

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* Day number (days since 1970-01-01) of weekday wd (0 Sunday) on or after day z. */
static int64_t weekday_on_or_after(int64_t z, int wd)
{
    int have = (int)(((z + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */

    return z + (wd - have + 7) % 7;
}

/* The n-th (1..) weekday wd of month m of year y; n = 0: the last one. */
static int64_t nth_weekday(int y, int m, int wd, int n)
{
    if (n > 0)
        return weekday_on_or_after(cr_days_from_civil(y, m, 1), wd) + 7 * (n - 1);
    return weekday_on_or_after(cr_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 7,
                               wd);
}

/* Whether daylight saving time is in effect at UTC time t under rule r for a zone whose
 * standard offset is std minutes. Each change is written as the local time it happens at. */
static int dst_at(enum dst_rule r, int std, int64_t t)
{
    int64_t s = (int64_t)std * 60, d = s + 3600, start, end;
    int y, m, dd;

    cr_civil_from_days(day_of(t), &y, &m, &dd);
    switch (r) {
    case DST_EU: /* last Sunday of March to last Sunday of October, 01:00 UTC */
        start = nth_weekday(y, 3, 0, 0) * DAY + 3600;
        end = nth_weekday(y, 10, 0, 0) * DAY + 3600;
        return t >= start && t < end;
    case DST_US: /* second Sunday of March 02:00 to first Sunday of November 02:00 */
        start = nth_weekday(y, 3, 0, 2) * DAY + 7200 - s;
        end = nth_weekday(y, 11, 0, 1) * DAY + 7200 - d;
        return t >= start && t < end;
    case DST_IL: /* the Friday before the last Sunday of March 02:00 to its last Sunday of
                    October 02:00 */
        start = (nth_weekday(y, 3, 0, 0) - 2) * DAY + 7200 - s;
        end = nth_weekday(y, 10, 0, 0) * DAY + 7200 - d;
        return t >= start && t < end;
    case DST_EG: /* last Friday of April 00:00 to the end of the last Thursday of October */
        start = nth_weekday(y, 4, 5, 0) * DAY - s;
        end = (nth_weekday(y, 10, 4, 0) + 1) * DAY - d;
        return t >= start && t < end;
    case DST_AU: /* southern: first Sunday of October 02:00 to first Sunday of April 03:00 */
        start = nth_weekday(y, 10, 0, 1) * DAY + 7200 - s;
        end = nth_weekday(y, 4, 0, 1) * DAY + 10800 - d;
        return t >= start || t < end;
    case DST_NZ: /* last Sunday of September 02:00 to first Sunday of April 03:00 */
        start = nth_weekday(y, 9, 0, 0) * DAY + 7200 - s;
        end = nth_weekday(y, 4, 0, 1) * DAY + 10800 - d;
        return t >= start || t < end;
    case DST_CL: /* first Sunday of September 00:00 to first Sunday of April 00:00 */
        start = nth_weekday(y, 9, 0, 1) * DAY - s;
        end = nth_weekday(y, 4, 0, 1) * DAY - d;
        return t >= start || t < end;
    case DST_NONE:
        break;
    }
    return 0;
}

int cr_outreach_tz_offset(int *out, const char *country, int64_t at)
{
    size_t i;

    *out = 0;
    if (country == NULL || strlen(country) != 2)
        return 0;
    for (i = 0; i < sizeof(tz_table) / sizeof(tz_table[0]); i++) {
        if ((tz_table[i].code[0] == (country[0] & ~0x20)) &&
            (tz_table[i].code[1] == (country[1] & ~0x20))) {
            *out = tz_table[i].minutes +
                   (dst_at((enum dst_rule)tz_table[i].dst, tz_table[i].minutes, at) ? 60 : 0);
            return 1;
        }
    }
    return 0;
}

void cr_outreach_config_init(cr_outreach_config *c)
{
    memset(c, 0, sizeof(*c));
    c->version = CR_OUTREACH_CONFIG_VERSION;
    snprintf(c->from_email, sizeof(c->from_email), "outreach@localhost");
    c->quiet_start = 21;
    c->quiet_end = 8;
    c->daily_cap = 200;
    c->warmup_start = 20;
    c->warmup_step = 20;
    c->min_gap_hours = 48;
}

static const char *const config_keys[] = {
    "from_email", "from_name",    "unsubscribe", "quiet_start",   "quiet_end",
    "daily_cap",  "warmup_start", "warmup_step", "min_gap_hours", NULL,
};

static cr_err config_int(int *out, const char *key, const char *v, int lo, int hi)
{
    char *end;
    long n = strtol(v, &end, 10);

    if (*v == '\0' || *end != '\0' || n < lo || n > hi)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "outreach config: %s: expected a whole number from %d to %d, found "
                            "'%s'",
                            key, lo, hi, v);
    *out = (int)n;
    return CR_OK;
}

cr_err cr_outreach_config_set(cr_outreach_config *c, const char *key, const char *value)
{
    if (strcmp(key, "from_email") == 0) {
        const char *at = strchr(value, '@');

        if (at == NULL || at == value || at[1] == '\0' || strpbrk(value, " <>\r\n") ||
            strlen(value) >= sizeof(c->from_email))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "outreach config: from_email: expected an address such as "
                                "team@brand.example, found '%s'",
                                value);
        snprintf(c->from_email, sizeof(c->from_email), "%s", value);
        return CR_OK;
    }
    if (strcmp(key, "from_name") == 0) {
        if (strlen(value) >= sizeof(c->from_name) || strpbrk(value, "\r\n"))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "outreach config: from_name: expected one line under %zu bytes",
                                sizeof(c->from_name));
        snprintf(c->from_name, sizeof(c->from_name), "%s", value);
        return CR_OK;
    }
    if (strcmp(key, "unsubscribe") == 0) {
        if (*value != '\0' && strncmp(value, "mailto:", 7) != 0 &&
            strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "outreach config: unsubscribe: expected a mailto: or https: URL, "
                                "found '%s'",
                                value);
        if (strlen(value) >= sizeof(c->unsubscribe) || strpbrk(value, " <>\r\n"))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "outreach config: unsubscribe: not a usable URL");
        snprintf(c->unsubscribe, sizeof(c->unsubscribe), "%s", value);
        return CR_OK;
    }
    if (strcmp(key, "quiet_start") == 0)
        return config_int(&c->quiet_start, key, value, 0, 23);
    if (strcmp(key, "quiet_end") == 0)
        return config_int(&c->quiet_end, key, value, 0, 23);
    if (strcmp(key, "daily_cap") == 0)
        return config_int(&c->daily_cap, key, value, 1, 1000000);
    if (strcmp(key, "warmup_start") == 0)
        return config_int(&c->warmup_start, key, value, 1, 1000000);
    if (strcmp(key, "warmup_step") == 0)
        return config_int(&c->warmup_step, key, value, 0, 1000000);
    if (strcmp(key, "min_gap_hours") == 0)
        return config_int(&c->min_gap_hours, key, value, 0, 24 * 365);
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                        "outreach config: unknown field '%s' (from_email, from_name, "
                        "unsubscribe, quiet_start, quiet_end, daily_cap, warmup_start, "
                        "warmup_step, min_gap_hours)",
                        key);
}

typedef struct {
    char *text;
} cfg_read;

static cr_err cfg_row(const char *key, const char *value, int64_t at, void *payload)
{
    cfg_read *r = payload;

    (void)key;
    (void)at;
    r->text = cr_strdup(value ? value : "{}");
    return r->text ? CR_OK : cr_error_oom();
}

cr_err cr_outreach_config_load(cr_outreach_config *out, cr_store *st)
{
    cfg_read r = { NULL };
    json_t *j = NULL, *v;
    const char *const *k;
    cr_err rc;

    cr_outreach_config_init(out);
    rc = cr_store_setting_get(st, "outreach.config", cfg_row, &r);
    if (rc == CR_ENOTFOUND) {
        cr_error_clear();
        return CR_OK;
    }
    if (rc < 0)
        return rc;
    j = json_loads(r.text, 0, NULL);
    cr_free(r.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_STORE,
                            "setting outreach.config: not a JSON object");
    }
    for (k = config_keys; *k != NULL && rc == CR_OK; k++) {
        char num[32];

        if ((v = json_object_get(j, *k)) == NULL)
            continue;
        if (json_is_string(v)) {
            rc = cr_outreach_config_set(out, *k, json_string_value(v));
        } else if (json_is_integer(v)) {
            snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            rc = cr_outreach_config_set(out, *k, num);
        }
    }
    json_decref(j);
    return rc;
}

static json_t *config_to_json(const cr_outreach_config *c)
{
    return json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i}", "from_email", c->from_email,
                     "from_name", c->from_name, "unsubscribe", c->unsubscribe, "quiet_start",
                     c->quiet_start, "quiet_end", c->quiet_end, "daily_cap", c->daily_cap,
                     "warmup_start", c->warmup_start, "warmup_step", c->warmup_step,
                     "min_gap_hours", c->min_gap_hours);
}

cr_err cr_outreach_config_json(char **out, const cr_outreach_config *c)
{
    json_t *j = config_to_json(c);
    char *s;

    *out = NULL;
    if (j == NULL)
        return cr_error_oom();
    s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(j);
    if (s == NULL)
        return cr_error_oom();
    *out = cr_strdup(s);
    free(s);
    return *out ? CR_OK : cr_error_oom();
}

cr_err cr_outreach_config_save(cr_store *st, const cr_outreach_config *c)
{
    char *text = NULL;
    cr_err rc;

    if ((rc = cr_outreach_config_json(&text, c)) < 0)
        return rc;
    rc = cr_store_setting_set(st, "outreach.config", text);
    cr_free(text);
    return rc;
}

int cr_outreach_quiet(const cr_outreach_config *c, int64_t now, int offset_min)
{
    int64_t local = now + (int64_t)offset_min * 60;
    int hour = (int)(((local % DAY) + DAY) % DAY / 3600);

    if (c->quiet_start == c->quiet_end)
        return 0;
    if (c->quiet_start < c->quiet_end)
        return hour >= c->quiet_start && hour < c->quiet_end;
    return hour >= c->quiet_start || hour < c->quiet_end; /* across midnight */
}

int64_t cr_outreach_day_cap(const cr_outreach_config *c, int64_t first_sent, int64_t now)
{
    int64_t d = first_sent > 0 ? day_of(now) - day_of(first_sent) + 1 : 1;
    int64_t cap;

    if (d < 1)
        d = 1;
    cap = (int64_t)c->warmup_start + (d - 1) * (int64_t)c->warmup_step;
    return cap < c->daily_cap ? cap : c->daily_cap;
}
