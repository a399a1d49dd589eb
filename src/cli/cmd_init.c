/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_init.c - `crest init`: create the store (or bring its schema up to date). */
#include <jansson.h>

#include "cli/cli.h"

static int init_run(cli_ctx *ctx, int argc, char **argv)
{
    char shown[512];
    int code;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:s,s:i}", "db",
                                        cli_url_shown(shown, sizeof(shown), ctx->db_url), "backend",
                                        cr_store_backend_name(ctx->store), "schema_version",
                                        cr_store_schema_version(ctx->store)));
    printf("store %s ready (%s, schema version %d)\n",
           cli_url_shown(shown, sizeof(shown), ctx->db_url), cr_store_backend_name(ctx->store),
           cr_store_schema_version(ctx->store));
    if (!ctx->quiet)
        fprintf(stderr, "next: crest import creators FILE, or crest demo for sample data\n");
    return CLI_EXIT_OK;
}

const cli_cmd cmd_init = {
    .name = "init",
    .summary = "Create a store, or migrate it to this version's schema",
    .usage = "crest init [--db URL] [--json]",
    .help = "Creates ./crest.db (or the --db / CREST_DB store) and applies any pending\n"
            "numbered migrations. Safe to run again.\n",
    .run = init_run,
    .flags = CLI_F_NEEDS_STORE,
};
