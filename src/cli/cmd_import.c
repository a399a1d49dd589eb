/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_import.c - `crest import KIND FILE`: one CSV file into the store, all or nothing
 * unless --partial; problems are listed with file:line:column, field, expected and found. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "json/shape.h"

#define SHOW_ISSUES 20

static json_t *kinds_json(void)
{
    const cr_import_kind *const *k = cr_import_kinds();
    json_t *arr = json_array();
    size_t i, j;

    for (i = 0; k[i]; i++) {
        json_t *cols = json_array();
        for (j = 0; j < k[i]->ncolumns; j++) {
            const cr_import_column *c = &k[i]->columns[j];
            json_array_append_new(cols, json_pack("{s:s,s:s,s:b,s:s?,s:s?}", "name", c->name,
                                                  "type", c->type, "required", c->required,
                                                  "aliases", c->aliases, "help", c->help));
        }
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s,s:o}", "kind", k[i]->name, "summary",
                                        k[i]->summary, "key", k[i]->natural_key, "columns", cols));
    }
    return arr;
}

static void print_kinds(FILE *out)
{
    const cr_import_kind *const *k = cr_import_kinds();
    size_t i, j;

    for (i = 0; k[i]; i++) {
        fprintf(out, "%s: %s (key: %s)\n", k[i]->name, k[i]->summary, k[i]->natural_key);
        for (j = 0; j < k[i]->ncolumns; j++) {
            const cr_import_column *c = &k[i]->columns[j];
            fprintf(out, "  %-16s %-9s %-9s %s\n", c->name, c->type, c->required ? "required" : "",
                    c->help ? c->help : "");
        }
    }
}

static int import_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "partial", no_argument, NULL, 'p' },
        { "force", no_argument, NULL, 'f' },
        { "rejects", required_argument, NULL, 'r' },
        { "kinds", no_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 },
    };
    cr_import_options opts = CR_IMPORT_OPTIONS_INIT;
    cr_import_result res;
    cli_progress prog;
    char label[300];
    double t0, secs;
    int c, list_kinds = 0, code;
    size_t i;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "pfr:k", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            opts.partial = 1;
            break;
        case 'f':
            opts.force = 1;
            break;
        case 'r':
            opts.rejects_path = optarg;
            break;
        case 'k':
            list_kinds = 1;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    argc -= optind;
    argv += optind;
    if (list_kinds) {
        if (ctx->json)
            return cli_print_json(kinds_json());
        print_kinds(stdout);
        return CLI_EXIT_OK;
    }
    if ((code = cli_want_args(ctx, argc, argv, 2, "KIND and FILE")) != CLI_EXIT_OK)
        return code;
    if (cr_import_kind_find(argv[0]) == NULL)
        return cli_usage(ctx,
                         "unknown kind '%s': expected creators, snapshots, posts, metrics "
                         "or comments (crest import --kinds lists their columns)",
                         argv[0]);
    if ((rc = cr_store_open(&ctx->store, ctx->db_url)) < 0)
        return cli_fail(ctx, rc);

    snprintf(label, sizeof(label), "importing %s", argv[0]);
    cli_progress_start(&prog, label, 0, ctx->quiet);
    {
        FILE *probe = strcmp(argv[1], "-") == 0 ? NULL : fopen(argv[1], "rb");
        if (probe) {
            fseek(probe, 0, SEEK_END);
            cli_progress_start(&prog, label, (uint64_t)ftell(probe), ctx->quiet);
            fclose(probe);
        }
    }
    opts.progress = cli_progress_update;
    opts.progress_payload = &prog;
    t0 = cli_now_seconds();
    rc = cr_import_file(&res, ctx->store, argv[0], argv[1], &opts);
    secs = cli_now_seconds() - t0;
    cli_progress_end(&prog);

    if (ctx->json) {
        cli_print_json(cr_json_import_result(&res, argv[1], secs, rc, cli_peak_rss_kib()));
    } else if (!ctx->quiet) {
        for (i = 0; i < res.nignored; i++)
            fprintf(stderr, "%s: note: column '%s' is not part of %s and was ignored\n", ctx->path,
                    res.ignored_columns[i], res.kind);
    }
    if (!ctx->json || rc < 0) {
        for (i = 0; i < res.nissues && i < SHOW_ISSUES; i++)
            fprintf(stderr, "%s\n", res.issues[i].message);
        if (res.issues_total > (int64_t)i)
            fprintf(stderr, "... and %lld more problems\n",
                    (long long)(res.issues_total - (int64_t)i));
    }
    if (rc < 0) {
        if (res.issues_total == 0 || rc != CR_EINVALID)
            fprintf(stderr, "%s: %s\n", ctx->path,
                    cr_error_last() ? cr_error_last()->message : "failed");
        else if (res.rows_rejected == 0)
            fprintf(stderr, "%s: nothing was imported from %s\n", ctx->path, argv[1]);
        else if (!opts.partial)
            fprintf(stderr,
                    "%s: %s: %lld of %lld rows are invalid; nothing was imported "
                    "(fix them, or use --partial to import the valid rows)\n",
                    ctx->path, argv[1], (long long)res.rows_rejected, (long long)res.rows_read);
        code = cr_err_exit_code(rc);
        cr_import_result_dispose(&res);
        return code;
    }
    if (!ctx->json) {
        if (res.already_imported)
            printf("%s: already imported as import #%lld (same %s, sha256 %.12s): nothing "
                   "changed; use --force to import it again\n",
                   argv[1], (long long)res.previous_import_id, res.kind, res.sha256);
        else
            printf("imported %lld %s rows from %s (import #%lld, sha256 %.12s, %.2f s)\n",
                   (long long)res.rows_imported, res.kind, argv[1], (long long)res.import_id,
                   res.sha256, secs);
        if (res.rows_rejected)
            printf("rejected %lld rows; they are in %s with the reason for each\n",
                   (long long)res.rows_rejected,
                   res.rejects_path[0] ? res.rejects_path : "(no rejects file)");
    }
    code = res.rows_rejected ? cr_err_exit_code(CR_EINVALID) : CLI_EXIT_OK;
    cr_import_result_dispose(&res);
    return code;
}

const cli_cmd cmd_import = {
    .name = "import",
    .summary = "Import a CSV file (creators, snapshots, posts, metrics, comments)",
    .usage = "crest import KIND FILE [--partial] [--rejects PATH] [--force] [--json]\n"
             "       crest import --kinds",
    .help = "Reads FILE (or - for standard input) as CSV: UTF-8, with or without a BOM, comma,\n"
            "semicolon or tab separated, headers in any order and case. Counts may be written\n"
            "1,234 or 12.5K; rates 3.4% or 0.034; dates YYYY-MM-DD.\n"
            "\n"
            "The whole file is imported or nothing is. Importing the same file again changes\n"
            "nothing. Every problem names file:line:column, the field, what was expected and\n"
            "what was found.\n"
            "\n"
            "Options:\n"
            "  --partial       import the valid rows; write the others to FILE.rejects.csv with\n"
            "                  the reason for each (exit code 3 when any row was rejected)\n"
            "  --rejects PATH  where --partial writes rejected rows\n"
            "  --force         import even if this exact file was imported before\n"
            "  --kinds         list the kinds and their columns (see docs/formats.md)\n"
            "\n"
            "Examples:\n"
            "  crest import creators creators.csv\n"
            "  crest import metrics export.csv --partial --json\n",
    .run = import_run,
};
