/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_db.c - `crest db stats` (row counts per table), `crest db check` (integrity and
 * references), `crest db checksum` (a digest per table) and `crest db copy` (one store into
 * another, verified by those digests). */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

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
    char shown[512];
    json_t *tables = NULL;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (tables = json_object()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json)
        printf("%s (%s, schema version %d)\n", cli_url_shown(shown, sizeof(shown), ctx->db_url),
               cr_store_backend_name(ctx->store), cr_store_schema_version(ctx->store));
    if ((rc = cr_store_table_counts(ctx->store, count_row, tables)) < 0) {
        json_decref(tables);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:s,s:i,s:o}", "db",
                                        cli_url_shown(shown, sizeof(shown), ctx->db_url), "backend",
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
    char shown[512];
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
        printf("%s: ok (integrity and references)\n",
               cli_url_shown(shown, sizeof(shown), ctx->db_url));
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

#define DIGEST_TABLES 64

typedef struct {
    char table[32];
    int64_t rows;
    char sha[65];
} table_digest;

typedef struct {
    table_digest t[DIGEST_TABLES];
    size_t n;
} digest_list;

static cr_err keep_digest(const char *table, int64_t rows, const char *sha256, void *payload)
{
    digest_list *d = payload;

    if (d->n >= DIGEST_TABLES)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_CLI, "more tables than expected");
    snprintf(d->t[d->n].table, sizeof(d->t[0].table), "%s", table);
    d->t[d->n].rows = rows;
    snprintf(d->t[d->n].sha, sizeof(d->t[0].sha), "%s", sha256);
    d->n++;
    return CR_OK;
}

static json_t *digest_json(const digest_list *d)
{
    json_t *o = json_object();
    size_t i;

    for (i = 0; i < d->n; i++)
        json_object_set_new(
            o, d->t[i].table,
            json_pack("{s:I,s:s}", "rows", (json_int_t)d->t[i].rows, "sha256", d->t[i].sha));
    return o;
}

static int db_checksum(cli_ctx *ctx, int argc, char **argv)
{
    char shown[512];
    digest_list d;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    memset(&d, 0, sizeof(d));
    if ((rc = cr_store_digest(ctx->store, keep_digest, &d)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:s,s:s,s:o}", "db", cli_url_shown(shown, sizeof(shown), ctx->db_url),
                      "backend", cr_store_backend_name(ctx->store), "tables", digest_json(&d)));
    for (i = 0; i < d.n; i++)
        printf("%-18s %12lld  %s\n", d.t[i].table, (long long)d.t[i].rows, d.t[i].sha);
    return CLI_EXIT_OK;
}

static cr_err copy_progress(const char *table, int64_t rows, void *payload)
{
    cli_ctx *ctx = payload;

    if (!ctx->quiet && !ctx->json)
        fprintf(stderr, "copied %-18s %12lld rows\n", table, (long long)rows);
    return CR_OK;
}

static int db_copy(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "from", required_argument, NULL, 'f' },
                                              { "to", required_argument, NULL, 't' },
                                              { NULL, 0, NULL, 0 } };
    const char *from_url = NULL, *to_url = NULL;
    cr_store *from = NULL, *to = NULL;
    digest_list a, b;
    size_t i, bad = 0;
    int c, code = CLI_EXIT_OK;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'f')
            from_url = optarg;
        else if (c == 't')
            to_url = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (from_url == NULL || to_url == NULL)
        return cli_usage(ctx, "give both --from URL and --to URL");
    if (strcmp(from_url, to_url) == 0)
        return cli_usage(ctx, "--from and --to are the same store");
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    if ((rc = cr_store_open(&from, from_url)) < 0 || (rc = cr_store_open(&to, to_url)) < 0 ||
        (rc = cr_store_copy(to, from, copy_progress, ctx)) < 0 ||
        (rc = cr_store_digest(from, keep_digest, &a)) < 0 ||
        (rc = cr_store_digest(to, keep_digest, &b)) < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    for (i = 0; i < a.n && i < b.n; i++)
        bad += a.t[i].rows != b.t[i].rows || strcmp(a.t[i].sha, b.t[i].sha) != 0;
    if (ctx->json) {
        char f[512], t[512];
        cli_print_json(json_pack("{s:s,s:s,s:b,s:o,s:o}", "from",
                                 cli_url_shown(f, sizeof(f), from_url), "to",
                                 cli_url_shown(t, sizeof(t), to_url), "verified", bad == 0,
                                 "from_tables", digest_json(&a), "to_tables", digest_json(&b)));
    } else {
        printf("%-18s %12s  %-16s %s\n", "TABLE", "ROWS", "SHA-256", "");
        for (i = 0; i < a.n && i < b.n; i++)
            printf("%-18s %12lld  %.16s %s\n", a.t[i].table, (long long)a.t[i].rows, a.t[i].sha,
                   a.t[i].rows == b.t[i].rows && strcmp(a.t[i].sha, b.t[i].sha) == 0
                       ? "same in both"
                       : "DIFFERS");
        printf("%s\n", bad ? "copy NOT verified: tables differ"
                           : "copy verified: every table "
                             "has the same rows and digest");
    }
    if (bad)
        code = CLI_EXIT_FAILURE;
done:
    cr_store_free(from);
    cr_store_free(to);
    return code;
}

static const cli_cmd db_checksum_cmd = {
    .name = "checksum",
    .summary = "Row count and SHA-256 of every table",
    .usage = "crest db checksum [--db URL] [--json]",
    .help = "The digest covers every row in key order, with typed values, so the same data\n"
            "gives the same digest on SQLite and PostgreSQL.\n",
    .run = db_checksum,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd db_copy_cmd = {
    .name = "copy",
    .summary = "Copy one store into another, verified by checksums",
    .usage = "crest db copy --from URL --to URL [--json]",
    .help = "Copies every table with its ids into a new, empty store (created and migrated as\n"
            "needed) in one transaction, then compares the row count and digest of every table\n"
            "and prints them. Exit code 1 when any table differs.\n"
            "Example: crest db copy --from sqlite:crest.db --to sqlite:backup.db\n",
    .run = db_copy,
};

static int db_refresh(cli_ctx *ctx, int argc, char **argv)
{
    char shown[512];
    double t0 = cli_now_seconds();
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_store_track_refresh(ctx->store, 1)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        cli_print_json(json_pack("{s:b,s:f}", "ok", 1, "seconds", cli_now_seconds() - t0));
    else if (!ctx->quiet)
        printf("%s: post rollups, day-grain history and attribution re-derived (%.2f s)\n",
               cli_url_shown(shown, sizeof(shown), ctx->db_url), cli_now_seconds() - t0);
    return CLI_EXIT_OK;
}

static const cli_cmd db_refresh_cmd = {
    .name = "refresh",
    .summary = "Re-derive post rollups, daily history and attribution from the raw rows",
    .usage = "crest db refresh [--db URL] [--json]",
    .help =
        "Imports and campaign changes keep them up to date; this rebuilds them all from\n"
        "post_metric, sessions, leads and orders (after editing the database by hand, or\n"
        "to check that the kept-up rows equal a rebuild: crest db checksum before and after).\n",
    .run = db_refresh,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const db_subcmds[] = { &db_check_cmd,   &db_checksum_cmd, &db_copy_cmd,
                                             &db_refresh_cmd, &db_stats_cmd,    NULL };

const cli_cmd cmd_db = {
    .name = "db",
    .summary = "Inspect the store",
    .subcmds = db_subcmds,
};
