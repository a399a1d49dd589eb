/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_attribution.c - `crest attribution CAMPAIGN`: what the tracking links, landing pages and
 * discount codes brought each partnership of a campaign (to a post, or to the partnership
 * alone), by method, and what in the same period could not be attributed to anything, with
 * why. The rules are in src/store/track.c and docs/attribution.md. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/campaign_out.h"
#include "util/alloc.h"
#include "util/date.h"

#define MAX_PARTNERS 512

typedef struct {
    int64_t id;
    char handle[96];
    int64_t units[3][2]; /* sessions, leads, orders x to a post, to the partnership only */
    int64_t revenue_minor;
} partner_sum;

typedef struct {
    partner_sum p[MAX_PARTNERS];
    size_t n;
    int64_t method[3][3]; /* kind x utm, code, landing_utm */
    json_t *unattributed;
    int64_t un_units[3];
    int64_t un_value;
} attribution_state;

static int kind_index(const char *kind)
{
    return strcmp(kind, "sessions") == 0 ? 0 : strcmp(kind, "leads") == 0 ? 1 : 2;
}

static cr_err add_partner(const cr_partnership *p, void *payload)
{
    attribution_state *s = payload;

    if (s->n == MAX_PARTNERS)
        return CR_OK;
    s->p[s->n].id = p->id;
    snprintf(s->p[s->n].handle, sizeof(s->p[0].handle), "%s/%s", p->platform ? p->platform : "",
             p->handle ? p->handle : "");
    s->n++;
    return CR_OK;
}

static cr_err add_attributed(const cr_attributed *a, void *payload)
{
    attribution_state *s = payload;
    int k = kind_index(a->kind);
    int m = strcmp(a->method, "code") == 0 ? 1 : strcmp(a->method, "landing_utm") == 0 ? 2 : 0;
    size_t i;

    s->method[k][m] += a->units;
    for (i = 0; i < s->n; i++)
        if (s->p[i].id == a->partnership_id) {
            s->p[i].units[k][a->post_id ? 0 : 1] += a->units;
            s->p[i].revenue_minor += a->value_minor;
        }
    return CR_OK;
}

static cr_err add_unattributed(const cr_unattributed *u, void *payload)
{
    attribution_state *s = payload;
    int k = kind_index(u->kind);

    s->un_units[k] += u->units;
    s->un_value += u->value_minor;
    if (json_array_append_new(s->unattributed,
                              json_pack("{s:s,s:s,s:I,s:I,s:I}", "kind", u->kind, "reason",
                                        u->reason, "rows", (json_int_t)u->rows, "units",
                                        (json_int_t)u->units, "value_minor",
                                        (json_int_t)u->value_minor)) < 0)
        return cr_error_oom();
    return CR_OK;
}

static json_t *partners_json(const attribution_state *s)
{
    static const char *const kinds[3] = { "sessions", "leads", "orders" };
    json_t *arr = json_array();
    size_t i;
    int k;

    for (i = 0; arr && i < s->n; i++) {
        json_t *o = json_pack("{s:I,s:s,s:I}", "partnership", (json_int_t)s->p[i].id, "creator",
                              s->p[i].handle, "revenue_minor", (json_int_t)s->p[i].revenue_minor);
        for (k = 0; o && k < 3; k++)
            json_object_set_new(o, kinds[k],
                                json_pack("{s:I,s:I}", "to_posts", (json_int_t)s->p[i].units[k][0],
                                          "to_partnership", (json_int_t)s->p[i].units[k][1]));
        json_array_append_new(arr, o);
    }
    return arr;
}

enum { OPT_SINCE = 1000, OPT_UNTIL };

static int attribution_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "since", required_argument, NULL, OPT_SINCE },
                                              { "until", required_argument, NULL, OPT_UNTIL },
                                              { NULL, 0, NULL, 0 } };
    static const char *const kinds[3] = { "sessions", "leads", "orders" };
    attribution_state *s = NULL;
    cr_campaign_spec *spec = NULL;
    int64_t since = 0, until = 0;
    char d1[16], d2[16];
    const char *why;
    int c, code = CLI_EXIT_OK, k, window;
    size_t i;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int64_t *out = c == OPT_SINCE ? &since : &until;
        if (c != OPT_SINCE && c != OPT_UNTIL)
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if (cr_parse_date(out, optarg, strlen(optarg), &why) < 0)
            return cli_usage(ctx, "%s: %s", c == OPT_SINCE ? "--since" : "--until", why);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "the campaign (ID or name)")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cli_campaign_ref(&spec, ctx, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    window = spec->attribution_window_days > 0 ? spec->attribution_window_days : 30;
    if (since == 0)
        since = spec->start;
    if (until == 0)
        until = spec->end + (int64_t)(1 + window) * 86400;
    else
        until += 86400; /* --until names the last day */
    if ((s = cr_calloc(1, sizeof(*s))) == NULL || (s->unattributed = json_array()) == NULL) {
        code = cli_fail(ctx, cr_error_oom());
        goto done;
    }
    if ((rc = cr_store_partnership_list(ctx->store, spec->id, add_partner, s)) < 0 ||
        (rc = cr_store_attributed_list(ctx->store, spec->id, since, until, add_attributed, s)) <
            0 ||
        (rc = cr_store_unattributed_list(ctx->store, since, until, add_unattributed, s)) < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    if (ctx->json) {
        json_t *methods = json_object();
        for (k = 0; k < 3; k++)
            json_object_set_new(methods, kinds[k],
                                json_pack("{s:I,s:I,s:I}", "utm", (json_int_t)s->method[k][0],
                                          "code", (json_int_t)s->method[k][1], "landing_utm",
                                          (json_int_t)s->method[k][2]));
        code = cli_print_json(json_pack(
            "{s:I,s:s,s:s,s:s,s:i,s:o,s:o,s:o}", "campaign", (json_int_t)spec->id, "name",
            spec->name, "since", cr_fmt_date(d1, sizeof(d1), since), "until",
            cr_fmt_date(d2, sizeof(d2), until - 86400), "window_days", window, "by_method", methods,
            "partnerships", partners_json(s), "unattributed", s->unattributed));
        s->unattributed = NULL;
        goto done;
    }
    printf("attribution of %s, %s .. %s (window: %d days after a post)\n", spec->name,
           cr_fmt_date(d1, sizeof(d1), since), cr_fmt_date(d2, sizeof(d2), until - 86400), window);
    printf("  %-34s %20s %20s %20s %14s\n", "PARTNERSHIP", "SESSIONS post/only", "LEADS post/only",
           "ORDERS post/only", "REVENUE");
    for (i = 0; i < s->n; i++) {
        char cols[3][32];
        for (k = 0; k < 3; k++)
            snprintf(cols[k], sizeof(cols[k]), "%lld / %lld", (long long)s->p[i].units[k][0],
                     (long long)s->p[i].units[k][1]);
        printf("  %-34s %20s %20s %20s %11.2f %s\n", s->p[i].handle, cols[0], cols[1], cols[2],
               (double)s->p[i].revenue_minor / 100.0, spec->currency);
    }
    for (k = 0; k < 3; k++)
        printf("  %-8s by tracking link %lld, by discount code %lld, by landing page %lld\n",
               kinds[k], (long long)s->method[k][0], (long long)s->method[k][1],
               (long long)s->method[k][2]);
    printf("not attributed to any post or partnership in the same days (whole workspace):\n");
    if (json_array_size(s->unattributed) == 0)
        printf("  nothing\n");
    for (i = 0; i < json_array_size(s->unattributed); i++) {
        json_t *u = json_array_get(s->unattributed, i);
        printf("  %-8s %10lld  %s\n", json_string_value(json_object_get(u, "kind")),
               (long long)json_integer_value(json_object_get(u, "units")),
               json_string_value(json_object_get(u, "reason")));
    }
done:
    if (s)
        json_decref(s->unattributed);
    cr_free(s);
    cr_campaign_spec_free(spec);
    return code;
}

const cli_cmd cmd_attribution = {
    .name = "attribution",
    .summary = "What a campaign's links and codes brought, and what is unattributed",
    .usage = "crest attribution CAMPAIGN [--since DATE] [--until DATE] [--json]",
    .help = "Sessions and leads go to the latest post carrying their utm_content that was\n"
            "published before them, inside the campaign's attribution window (default 30\n"
            "days after the post); else to the partnership with that utm_content. Orders go to\n"
            "the partnership of their discount code (and its latest post in the window), else\n"
            "by the utm_content of their landing page. Every unit counts once, for one post or\n"
            "partnership; what matches nothing is listed as unattributed with the reason.\n"
            "The days default to the campaign's period plus its window.\n"
            "See docs/attribution.md.\n",
    .run = attribution_run,
    .flags = CLI_F_NEEDS_STORE,
};
