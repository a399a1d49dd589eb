/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_db.c - `crest db stats` (row counts per table) and `crest db check` (integrity and
 * references). */
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

typedef struct {
    json_t *arr;
    int64_t n;
} check_state;

static cr_err check_row(const char *what, const char *detail, void *payload)
{
    check_state *cs = payload;

    cs->n++;
    if (cs->arr)
        return json_array_append_new(cs->arr,
                                     json_pack("{s:s,s:s}", "check", what, "detail", detail)) < 0
                   ? cr_error_oom()
                   : CR_OK;
    printf("%s: %s\n", what, detail);
    return CR_OK;
}

static int db_check(cli_ctx *ctx, int argc, char **argv)
{
    check_state cs = { NULL, 0 };
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (cs.arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_check(ctx->store, check_row, &cs)) < 0) {
        json_decref(cs.arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        cli_print_json(json_pack("{s:b,s:o}", "ok", cs.n == 0, "problems", cs.arr));
    else if (cs.n == 0)
        printf("%s: ok (integrity and references)\n", ctx->db_url);
    return cs.n == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

static const cli_cmd db_check_cmd = {
    .name = "check",
    .summary = "Check the store's integrity and references",
    .usage = "crest db check [--db URL] [--json]",
    .help = "Runs the backend's integrity check and verifies every reference between rows\n"
            "(posts to creators, metrics to posts, ...). Exit code 1 when a problem is found.\n",
    .run = db_check,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const db_subcmds[] = { &db_check_cmd, &db_stats_cmd, NULL };

const cli_cmd cmd_db = {
    .name = "db",
    .summary = "Inspect the store",
    .subcmds = db_subcmds,
};
