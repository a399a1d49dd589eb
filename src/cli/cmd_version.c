/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_version.c - `crest version` / `crest --version`. */
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <utf8proc.h>
#ifdef CREST_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#include "cli/cli.h"

static int version_run(cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char pq[32] = "not built in";

#ifdef CREST_WITH_POSTGRES
    snprintf(pq, sizeof(pq), "%d.%d", PQlibVersion() / 10000, PQlibVersion() % 10000);
#endif
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "crest", CREST_VERSION,
                                        "sqlite", sqlite3_libversion(), "libpq", pq, "jansson",
                                        JANSSON_VERSION, "libsodium", sodium_version_string(),
                                        "utf8proc", utf8proc_version()));
    printf("crest %s (sqlite %s, libpq %s, jansson %s, libsodium %s, utf8proc %s)\n", CREST_VERSION,
           sqlite3_libversion(), pq, JANSSON_VERSION, sodium_version_string(), utf8proc_version());
    return CLI_EXIT_OK;
}

const cli_cmd cmd_version = {
    .name = "version",
    .summary = "Print the version of crest and its libraries",
    .usage = "crest version [--json]",
    .run = version_run,
};
