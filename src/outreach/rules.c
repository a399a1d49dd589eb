/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * rules.c - the sending rules: the creator's time zone for quiet hours, the daily cap with
 * its warm-up, and the sender's configuration (the setting "outreach.config", JSON).
 *
 * Time zones: creators have a country, not a zone. crest maps a country to one representative
 * UTC offset (the zone most of its people live in, standard time) from the table below and
 * ignores daylight saving. The quiet hours are a courtesy window, not an appointment, so an
 * hour's error twice a year is acceptable, and a fixed table keeps libcrest free of the
 * process time zone (setenv("TZ") is neither thread-safe nor ours to touch) and gives the
 * same answer on every machine. An unknown country is treated as UTC. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crest/outreach.h"
#include "util/alloc.h"

#define DAY 86400

static const struct {
    char code[3];
    short minutes;
} tz_table[] = {
    { "AE", 240 },  { "AR", -180 }, { "AT", 60 },   { "AU", 600 },  { "BD", 360 },  { "BE", 60 },
    { "BG", 120 },  { "BR", -180 }, { "CA", -300 }, { "CH", 60 },   { "CL", -240 }, { "CN", 480 },
    { "CO", -300 }, { "CZ", 60 },   { "DE", 60 },   { "DK", 60 },   { "EG", 120 },  { "ES", 60 },
    { "FI", 120 },  { "FR", 60 },   { "GB", 0 },    { "GH", 0 },    { "GR", 120 },  { "HK", 480 },
    { "HR", 60 },   { "HU", 60 },   { "ID", 420 },  { "IE", 0 },    { "IL", 120 },  { "IN", 330 },
    { "IR", 210 },  { "IS", 0 },    { "IT", 60 },   { "JP", 540 },  { "KE", 180 },  { "KR", 540 },
    { "LK", 330 },  { "MA", 60 },   { "MX", -360 }, { "MY", 480 },  { "NG", 60 },   { "NL", 60 },
    { "NO", 60 },   { "NP", 345 },  { "NZ", 720 },  { "PE", -300 }, { "PH", 480 },  { "PK", 300 },
    { "PL", 60 },   { "PT", 0 },    { "RO", 120 },  { "RS", 60 },   { "RU", 180 },  { "SA", 180 },
    { "SE", 60 },   { "SG", 480 },  { "SK", 60 },   { "TH", 420 },  { "TR", 180 },  { "TW", 480 },
    { "UA", 120 },  { "US", -300 }, { "VE", -240 }, { "VN", 420 },  { "ZA", 120 },
};

int cr_outreach_tz_offset(int *out, const char *country)
{
    size_t i;

    *out = 0;
    if (country == NULL || strlen(country) != 2)
        return 0;
    for (i = 0; i < sizeof(tz_table) / sizeof(tz_table[0]); i++) {
        if ((tz_table[i].code[0] == (country[0] & ~0x20)) &&
            (tz_table[i].code[1] == (country[1] & ~0x20))) {
            *out = tz_table[i].minutes;
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

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
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
