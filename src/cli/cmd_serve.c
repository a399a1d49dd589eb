/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_serve.c - `crest serve`: the JSON API over HTTP (src/server), for the accounts
 * of `crest user`. It listens on loopback addresses only, behind a TLS proxy for others. */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "server/server.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8080"

static int serve_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "routes", no_argument, NULL, 'r' },
        { "tls-proxy", no_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    const char *listen = SERVE_DEFAULT_LISTEN;
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
    cr_store_free(st);
    o.db_url = ctx->db_url;
    o.quiet = ctx->quiet;
    o.tls_proxy = tls_proxy;
    return http_serve(&o);
}

const cli_cmd cmd_serve = {
    .name = "serve",
    .summary = "Serve the JSON API over HTTP",
    .usage = "crest serve [--listen HOST:PORT] [--tls-proxy] [--routes]",
    .help =
        "Options:\n"
        "  --listen HOST:PORT  default 127.0.0.1:8080; port 0 picks a free port (printed as\n"
        "                      \"listening on http://HOST:PORT\"). Loopback only (127.0.0.0/8,\n"
        "                      [::1], localhost).\n"
        "  --tls-proxy         a TLS proxy is in front: session cookies get Secure\n"
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
