/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * out.c - what every command shares: error reporting with exit codes, JSON printing,
 * creator references, option numbers, timing and memory figures. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli/cli.h"
#include "util/date.h"
#include "util/num.h"
#include "util/text.h"

int cli_fail(cli_ctx *ctx, cr_err rc)
{
    const cr_error *e = cr_error_last();
    const char *msg = e ? e->message : "unexpected error";

    if (ctx->json) {
        json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", cr_err_slug(rc), "message", msg);
        cli_print_json(j);
    }
    fprintf(stderr, "%s: %s\n", ctx->path, msg);
    return cr_err_exit_code(rc);
}

int cli_want_args(cli_ctx *ctx, int argc, char **argv, int want, const char *what)
{
    if (argc < want)
        return cli_usage(ctx, "missing %s", what);
    if (argc > want)
        return cli_usage(ctx, "unexpected argument '%s'", argv[want]);
    return CLI_EXIT_OK;
}

int cli_print_json(json_t *j)
{
    if (j == NULL) {
        fprintf(stderr, "crest: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(j);
    return CLI_EXIT_OK;
}

int cli_parse_count(cli_ctx *ctx, const char *opt, const char *val, int64_t *out)
{
    const char *why = "";

    if (cr_parse_count(out, val, strlen(val), &why) < 0)
        return cli_usage(ctx, "%s: expected a count such as 5000 or 10K, found '%s' (%s)", opt, val,
                         why);
    return CLI_EXIT_OK;
}

int cli_parse_id(cli_ctx *ctx, const char *what, const char *val, int64_t *out)
{
    char *end;
    long long id;

    if (*val < '0' || *val > '9')
        return cli_usage(ctx, "%s: expected a positive integer, found '%s'", what, val);
    id = strtoll(val, &end, 10);
    if (*end != '\0' || id <= 0)
        return cli_usage(ctx, "%s: expected a positive integer, found '%s'", what, val);
    *out = id;
    return CLI_EXIT_OK;
}

int cli_parse_time(cli_ctx *ctx, const char *opt, const char *val, int64_t *out)
{
    const char *why = "";

    if (cr_parse_datetime(out, val, strlen(val), &why) < 0)
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "%s: expected a date such as 2027-03-01 or a time such "
                                          "as 2026-11-16T09:00:00Z, found '%s'",
                                          opt, val));
    return CLI_EXIT_OK;
}

const char *cli_acting_user(const char *as)
{
    const char *env = getenv("CREST_USER");

    return as && *as ? as : env && *env ? env : NULL;
}

static cr_err noop_creator(const cr_creator *c, void *payload)
{
    (void)c;
    (void)payload;
    return CR_OK;
}

cr_err cli_creator_ref(int64_t *out, cli_ctx *ctx, const char *ref)
{
    static const char *const platforms[] = { "instagram", "tiktok",  "youtube",   "facebook",
                                             "x",         "twitch",  "pinterest", "linkedin",
                                             "snapchat",  "threads", NULL };
    const char *slash = strchr(ref, '/'), *why, *platform;
    char handle[128], *end;
    int64_t id, found_id = 0;
    int found = 0;
    size_t i;
    cr_err rc;

    if (*ref >= '0' && *ref <= '9') {
        long long v = strtoll(ref, &end, 10);
        if (*end == '\0') {
            if ((rc = cr_store_creator_get(ctx->store, v, noop_creator, NULL)) < 0)
                return rc;
            *out = v;
            return CR_OK;
        }
    }
    if (slash) {
        platform = cr_platform_canonical(ref, (size_t)(slash - ref));
        if (platform == NULL)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                "'%.*s' is not a platform: expected one of %s", (int)(slash - ref),
                                ref, cr_platform_list());
        if (strlen(slash + 1) >= sizeof(handle) ||
            cr_handle_normalize(handle, slash + 1, strlen(slash + 1), &why) < 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "'%s' is not a handle", slash + 1);
        return cr_store_creator_find(out, ctx->store, platform, handle);
    }
    if (strlen(ref) >= sizeof(handle) || cr_handle_normalize(handle, ref, strlen(ref), &why) < 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "'%s' is not a creator: expected an id, platform/handle or @handle",
                            ref);
    for (i = 0; platforms[i]; i++) {
        rc = cr_store_creator_find(&id, ctx->store, platforms[i], handle);
        if (rc == CR_OK) {
            found++;
            found_id = id;
        } else if (rc != CR_ENOTFOUND) {
            return rc;
        }
    }
    if (found == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "no creator with handle @%s", handle);
    if (found > 1)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "@%s is on %d platforms: say which, e.g. instagram/%s", handle, found,
                            handle);
    *out = found_id;
    return CR_OK;
}

long cli_peak_rss_kib(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss;
}

double cli_now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *cli_url_shown(char *buf, size_t size, const char *url)
{
    const char *scheme = strstr(url, "://"), *at, *colon, *pw;

    snprintf(buf, size, "%s", url);
    if (scheme == NULL || (at = strchr(scheme + 3, '@')) == NULL)
        goto query;
    colon = memchr(scheme + 3, ':', (size_t)(at - (scheme + 3)));
    if (colon != NULL)
        snprintf(buf, size, "%.*s:***%s", (int)(colon - url), url, at);
query:
    if ((pw = strstr(buf, "password=")) != NULL) {
        char *p = (char *)pw + 9, *end = strpbrk(p, "& ");
        memmove(p + 3, end ? end : p + strlen(p), strlen(end ? end : p + strlen(p)) + 1);
        memcpy(p, "***", 3);
    }
    return buf;
}
