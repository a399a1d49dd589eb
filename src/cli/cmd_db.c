/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_db.c - `crest db stats`: row counts per table. */
#include <jansson.h>

#include "cli/cli.h"

static cr_err count_row(const char *table, int64_t rows, void *payload)
{
    json_t *obj = payload;

    if (obj)
        return json_object_set_new(obj, table, json_integer(rows)) < 0 ? cr_error_oom() : CR_OK;
    printf("%-18s %12lld\n", table, (long long)rows);
    return CR_OK;
}

static int db_stats(cli_ctx *ctx, int argc, char **argv)
{
    json_t *tables = NULL;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (tables = json_object()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%s (%s, schema version %d)\n", ctx->db_url, cr_store_backend_name(ctx->store),
               cr_store_schema_version(ctx->store));
    if ((rc = cr_store_table_counts(ctx->store, count_row, tables)) < 0) {
        json_decref(tables);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:s,s:i,s:o}", "db", ctx->db_url, "backend",
                                        cr_store_backend_name(ctx->store), "schema_version",
                                        cr_store_schema_version(ctx->store), "tables", tables));
    return CLI_EXIT_OK;
}

static const cli_cmd db_stats_cmd = {
    .name = "stats",
    .summary = "Row counts of every table",
    .usage = "crest db stats [--db URL] [--json]",
    .run = db_stats,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const db_subcmds[] = { &db_stats_cmd, NULL };

const cli_cmd cmd_db = {
    .name = "db",
    .summary = "Inspect the store",
    .subcmds = db_subcmds,
};
