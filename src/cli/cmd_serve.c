/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_serve.c - `crest serve`: the JSON API over HTTP (src/server), for the accounts
 * of `crest user`. It listens on loopback addresses only, behind a TLS proxy for others. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "server/server.h"

#define SERVE_DEFAULT_LISTEN        "127.0.0.1:8080"
#define SERVE_DEFAULT_CACHE_TTL     1.0
#define SERVE_MAX_CACHE_TTL         3600.0
#define SERVE_MAX_OUTREACH_INTERVAL 86400
#define SERVE_MAX_IDLE_TIMEOUT      3600

/* --cache-ttl SECONDS: 0 .. 3600, decimals allowed (0.5). */
static cr_err parse_ttl(double *out, const char *v)
{
    char *end = NULL;
    double d = strtod(v, &end);

    if (*v == '\0' || end == NULL || *end != '\0' || !isfinite(d) || d < 0 ||
        d > SERVE_MAX_CACHE_TTL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "--cache-ttl: expected seconds from 0 to %.0f such as 1 or 0.5, found "
                            "'%s'",
                            SERVE_MAX_CACHE_TTL, v);
    *out = d;
    return CR_OK;
}

/* OPTION SECONDS: whole seconds from 1 to max. */
static cr_err parse_seconds(long *out, const char *option, const char *v, long max)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);

    if (*v < '0' || *v > '9' || *end != '\0' || n < 1 || n > max)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "%s: expected seconds from 1 to %ld, found '%s'", option, max, v);
    *out = n;
    return CR_OK;
}

static int serve_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "routes", no_argument, NULL, 'r' },
        { "tls-proxy", no_argument, NULL, 't' },
        { "cache-ttl", required_argument, NULL, 'c' },
        { "outreach-interval", required_argument, NULL, 'i' },
        { "outreach-transport", required_argument, NULL, 'T' },
        { "no-outreach", no_argument, NULL, 'N' },
        { "idle-timeout", required_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *listen = SERVE_DEFAULT_LISTEN, *transport = NULL;
    long interval = HTTP_OUTREACH_INTERVAL, idle = HTTP_CONN_TIMEOUT;
    int no_outreach = 0;
    double ttl = SERVE_DEFAULT_CACHE_TTL;
    http_serve_opts o;
    cr_store *st = NULL;
    int c, code, routes = 0, tls_proxy = 0;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen = optarg;
            break;
        case 'r':
            routes = 1;
            break;
        case 't':
            tls_proxy = 1;
            break;
        case 'c':
            if ((rc = parse_ttl(&ttl, optarg)) < 0)
                return cli_fail(ctx, rc);
            break;
        case 'i':
            if ((rc = parse_seconds(&interval, "--outreach-interval", optarg,
                                    SERVE_MAX_OUTREACH_INTERVAL)) < 0)
                return cli_fail(ctx, rc);
            break;
        case 'I':
            if ((rc = parse_seconds(&idle, "--idle-timeout", optarg, SERVE_MAX_IDLE_TIMEOUT)) < 0)
                return cli_fail(ctx, rc);
            break;
        case 'T':
            transport = optarg;
            break;
        case 'N':
            no_outreach = 1;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (routes) {
        if (ctx->json)
            return cli_print_json(http_routes_json());
        http_print_routes(stdout);
        return CLI_EXIT_OK;
    }
    memset(&o, 0, sizeof(o));
    if ((rc = http_listen_parse(&o.listen, listen)) < 0)
        return cli_fail(ctx, rc);
    if (!http_listen_is_loopback(&o.listen))
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "refusing to listen on %s: crest serve listens on "
                                          "loopback only (127.0.0.0/8 or ::1); put a TLS proxy in "
                                          "front of it to serve others",
                                          listen));
    /* open once here: a bad URL fails now, and migrations run before the workers start */
    if ((rc = cr_store_open(&st, ctx->db_url)) < 0)
        return cli_fail(ctx, rc);
    /* an SQLite URL is sqlite:PATH or a plain PATH (src/store/store.c) */
    if (strcmp(cr_store_backend_name(st), "sqlite") == 0)
        o.sqlite_path = strncmp(ctx->db_url, "sqlite:", 7) == 0 ? ctx->db_url + 7 : ctx->db_url;
    cr_store_free(st);
    o.db_url = ctx->db_url;
    o.quiet = ctx->quiet;
    o.tls_proxy = tls_proxy;
    o.cache_ttl = ttl;
    o.idle_timeout = (unsigned int)idle;
    o.outreach.interval = no_outreach ? 0 : (unsigned int)interval;
    o.outreach.transport = transport;
    /* the same SMTP settings as `crest outreach run` (docs/outreach.md) */
    {
        cr_mail_transport_opts init = CR_MAIL_TRANSPORT_OPTS_INIT;
        const char *tls = getenv("CREST_SMTP_REQUIRE_TLS");
        o.outreach.topts = init;
        o.outreach.topts.user = getenv("CREST_SMTP_USER");
        o.outreach.topts.password = getenv("CREST_SMTP_PASSWORD");
        if (o.outreach.topts.user != NULL && *o.outreach.topts.user == '\0')
            o.outreach.topts.user = NULL;
        o.outreach.topts.require_tls = tls != NULL && strcmp(tls, "1") == 0;
    }
    if (transport != NULL && !no_outreach) {
        /* a bad URL fails now rather than in the thread */
        cr_mail_transport *t = NULL;
        if (strncmp(transport, "maildir:", 8) != 0 &&
            (rc = cr_mail_transport_open(&t, transport, &o.outreach.topts)) < 0)
            return cli_fail(ctx, rc);
        cr_mail_transport_free(t);
    }
    return http_serve(&o);
}

const cli_cmd cmd_serve = {
    .name = "serve",
    .summary = "Serve the JSON API over HTTP",
    .usage = "crest serve [--listen HOST:PORT] [--tls-proxy] [--cache-ttl SECONDS]\n"
             "            [--idle-timeout SECONDS] [--outreach-interval SECONDS]\n"
             "            [--outreach-transport URL] [--no-outreach] [--routes]",
    .help =
        "Options:\n"
        "  --listen HOST:PORT  default 127.0.0.1:8080; port 0 picks a free port (printed as\n"
        "                      \"listening on http://HOST:PORT\"). Loopback only (127.0.0.0/8,\n"
        "                      [::1], localhost).\n"
        "  --tls-proxy         a TLS proxy is in front: session cookies get Secure\n"
        "  --cache-ttl SECONDS how long a cached answer or session may be served (default 1,\n"
        "                      at most 3600; 0 turns the caches off). The dashboard's GET\n"
        "                      routes (creators, posts, campaigns, a campaign, its progress,\n"
        "                      report and check) keep their 200 answers per path, query and\n"
        "                      role; validated sessions are kept too. Any POST through this\n"
        "                      server drops both at once; so does a commit by another\n"
        "                      process on SQLite (PRAGMA data_version, read at most once a\n"
        "                      millisecond). On PostgreSQL another process's writes show\n"
        "                      within the TTL. Answers carry X-Cache: hit|miss, hits an Age\n"
        "                      header (docs/api/http.md, Caching).\n"
        "  --idle-timeout SECONDS  close a connection silent for this long, mid-request or\n"
        "                      between requests (default 30, 1 to 3600): slow clients\n"
        "                      (slowloris) cannot hold the 256 connections\n"
        "  --outreach-interval SECONDS  run the outreach scheduler (`crest outreach run`) in\n"
        "                      a background thread at start and then every SECONDS (default\n"
        "                      300, 1 to 86400); it sends what fell due under the sending\n"
        "                      rules and stops cleanly on SIGTERM\n"
        "  --outreach-transport URL  where it sends: maildir:PATH (default maildir:outbox,\n"
        "                      created on the first message), smtp://HOST:PORT or\n"
        "                      smtps://HOST:PORT with CREST_SMTP_USER, CREST_SMTP_PASSWORD and\n"
        "                      CREST_SMTP_REQUIRE_TLS=1 from the environment\n"
        "  --no-outreach       no background outreach runs (use cron and `crest outreach run`)\n"
        "  --routes            print the route table and exit; with --json: method, pattern,\n"
        "                      query parameters, roles, public, body (json, upload, none)\n"
        "                      for each route (tests/cli/openapi.sh checks docs/openapi.yaml\n"
        "                      against it)\n"
        "Every /api/v1 route but POST /api/v1/login needs a session: log in with an account\n"
        "of `crest user add`; POST requests also send the X-CSRF-Token the login returned.\n"
        "Routes and their JSON are in docs/api/http.md and docs/openapi.yaml. One access\n"
        "log line per request on stderr (method, path, status, bytes, ms; -q turns it off).\n"
        "SIGTERM or SIGINT stops accepting, finishes the requests under way and exits 0.\n",
    .run = serve_run,
};
