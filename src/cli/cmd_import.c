/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_import.c - `crest import KIND FILE`: one CSV file into the store, all or nothing
 * unless --partial; problems are listed with file:line:column, field, expected and found. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/date.h"
#include "json/shape.h"

#define SHOW_ISSUES 20
#define MAX_MAPS    64

static const char *kind_list(void)
{
    static char buf[300];
    const cr_import_kind *const *k = cr_import_kinds();
    size_t i;

    buf[0] = '\0';
    for (i = 0; k[i]; i++)
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? ", " : "", k[i]->name);
    return buf;
}

static int kind_has_field(const cr_import_kind *k, const char *field)
{
    size_t j;

    for (j = 0; j < k->ncolumns; j++)
        if (strcmp(k->columns[j].name, field) == 0)
            return 1;
    return 0;
}

/* --map COL=FIELD: the shape, and a field the kind has (any kind's, when it is detected). */
static int check_map(cli_ctx *ctx, const char *map, const cr_import_kind *kind)
{
    const cr_import_kind *const *k = cr_import_kinds();
    const char *eq = strchr(map, '=');
    char fields[800] = "";
    size_t i, j;

    if (eq == NULL || eq == map || eq[1] == '\0')
        return cli_usage(ctx, "--map %s: expected COLUMN=FIELD, e.g. --map \"Plays=views\"", map);
    if (kind) {
        if (kind_has_field(kind, eq + 1))
            return CLI_EXIT_OK;
        for (j = 0; j < kind->ncolumns; j++)
            snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields), "%s%s",
                     j ? ", " : "", kind->columns[j].name);
        return cli_usage(ctx, "--map %s: %s has no field '%s' (its fields: %s)", map, kind->name,
                         eq + 1, fields);
    }
    for (i = 0; k[i]; i++)
        if (kind_has_field(k[i], eq + 1))
            return CLI_EXIT_OK;
    return cli_usage(ctx,
                     "--map %s: no import kind has a field '%s' (crest import --kinds lists "
                     "the fields of each)",
                     map, eq + 1);
}

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
        { "list-kinds", no_argument, NULL, 'k' },
        { "creator", required_argument, NULL, 'c' },
        { "captured-at", required_argument, NULL, 'a' },
        { "map", required_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    const char *maps[MAX_MAPS];
    const char *kind, *file, *why;
    const cr_import_kind *kdef = NULL;
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
    opts.maps = maps;
    while ((c = getopt_long(argc, argv, "pfr:kc:a:m:", longopts, NULL)) != -1) {
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
        case 'c':
            opts.creator = optarg;
            break;
        case 'a':
            if (cr_parse_datetime(&opts.captured_at, optarg, strlen(optarg), &why) < 0)
                return cli_usage(ctx,
                                 "--captured-at %s: expected a date-time as "
                                 "YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM] (%s)",
                                 optarg, why);
            break;
        case 'm':
            if (opts.nmaps == MAX_MAPS)
                return cli_usage(ctx, "more than %d --map options", MAX_MAPS);
            maps[opts.nmaps++] = optarg;
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
    if (argc == 1 && (cr_import_kind_find(argv[0]) || strcmp(argv[0], "auto") == 0) &&
        access(argv[0], F_OK) != 0)
        return cli_usage(ctx, "expected KIND and FILE, found only the kind '%s'", argv[0]);
    if (argc == 1) { /* crest import FILE: the kind comes from the header */
        kind = CR_IMPORT_KIND_AUTO;
        file = argv[0];
    } else {
        if ((code = cli_want_args(ctx, argc, argv, 2, "KIND and FILE")) != CLI_EXIT_OK)
            return code;
        kind = argv[0];
        file = argv[1];
    }
    if (strcmp(kind, CR_IMPORT_KIND_AUTO) != 0 && (kdef = cr_import_kind_find(kind)) == NULL)
        return cli_usage(ctx,
                         "unknown kind '%s': expected auto or one of %s (crest import --kinds "
                         "lists their columns)",
                         kind, kind_list());
    for (i = 0; i < opts.nmaps; i++)
        if ((code = check_map(ctx, maps[i], kdef)) != CLI_EXIT_OK)
            return code;
    if ((rc = cr_store_open(&ctx->store, ctx->db_url)) < 0)
        return cli_fail(ctx, rc);

    snprintf(label, sizeof(label), "importing %s", kind);
    cli_progress_start(&prog, label, 0, ctx->quiet);
    {
        FILE *probe = strcmp(file, "-") == 0 ? NULL : fopen(file, "rb");
        if (probe) {
            fseek(probe, 0, SEEK_END);
            cli_progress_start(&prog, label, (uint64_t)ftell(probe), ctx->quiet);
            fclose(probe);
        }
    }
    opts.progress = cli_progress_update;
    opts.progress_payload = &prog;
    t0 = cli_now_seconds();
    rc = cr_import_file(&res, ctx->store, kind, file, &opts);
    secs = cli_now_seconds() - t0;
    cli_progress_end(&prog);

    if (ctx->json) {
        cli_print_json(cr_json_import_result(&res, file, secs, rc, cli_peak_rss_kib()));
    } else {
        if (res.detected)
            printf("%s: detected kind %s from the header\n", file, res.kind);
    }
    if (!ctx->json && !ctx->quiet) {
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
            fprintf(stderr, "%s: nothing was imported from %s\n", ctx->path, file);
        else if (!opts.partial)
            fprintf(stderr,
                    "%s: %s: %lld of %lld rows are invalid; nothing was imported "
                    "(fix them, or use --partial to import the valid rows)\n",
                    ctx->path, file, (long long)res.rows_rejected, (long long)res.rows_read);
        code = cr_err_exit_code(rc);
        cr_import_result_dispose(&res);
        return code;
    }
    if (!ctx->json) {
        if (res.already_imported)
            printf("%s: already imported as import #%lld (same %s, sha256 %.12s): nothing "
                   "changed; use --force to import it again\n",
                   file, (long long)res.previous_import_id, res.kind, res.sha256);
        else
            printf("imported %lld %s rows from %s (import #%lld, sha256 %.12s, %.2f s)\n",
                   (long long)res.rows_imported, res.kind, file, (long long)res.import_id,
                   res.sha256, secs);
        if (res.rows_skipped && !res.already_imported)
            printf("skipped %lld rows that repeat or sum other rows (a total row, an order's "
                   "further line items)\n",
                   (long long)res.rows_skipped);
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
    .summary = "Import a CSV file: generic kinds or a platform's export (detected from its header)",
    .usage = "crest import [KIND] FILE [--creator @HANDLE] [--captured-at DATETIME]\n"
             "       [--map COLUMN=FIELD]... [--partial] [--rejects PATH] [--force] [--json]\n"
             "       crest import --kinds",
    .help =
        "Reads FILE (or - for standard input) as CSV: UTF-8, with or without a BOM, comma,\n"
        "semicolon or tab separated, headers in any order and case. Counts may be written\n"
        "1,234 or 12.5K; rates 3.4% or 0.034; dates YYYY-MM-DD.\n"
        "\n"
        "KIND is a generic kind (creators, snapshots, posts, metrics, comments) or the\n"
        "profile of a real export: instagram (Meta Business Suite), tiktok (TikTok Studio),\n"
        "youtube (YouTube Studio), ga4 (traffic acquisition), shopify (orders), leads,\n"
        "mentions. Without KIND (or with auto) the kind whose required columns the header\n"
        "matches is used, and named in the output.\n"
        "\n"
        "The whole file is imported or nothing is. Importing the same file again changes\n"
        "nothing. Every problem names file:line:column, the field, what was expected and\n"
        "what was found. Columns the kind does not know are reported and ignored.\n"
        "\n"
        "Options:\n"
        "  --creator @HANDLE      the account a platform export is from (exports of your own\n"
        "                         account have no handle column); the creator must exist\n"
        "  --captured-at DATETIME when a platform export's numbers were read (default: now)\n"
        "  --map COLUMN=FIELD     the file's COLUMN feeds the kind's FIELD (over the aliases);\n"
        "                         repeatable\n"
        "  --partial              import the valid rows; write the others to FILE.rejects.csv\n"
        "                         with the reason for each (exit code 3 when any was rejected)\n"
        "  --rejects PATH         where --partial writes rejected rows\n"
        "  --force                import even if this exact file was imported before\n"
        "  --kinds, --list-kinds  list the kinds and their columns (see docs/formats.md)\n"
        "\n"
        "Examples:\n"
        "  crest import creators creators.csv\n"
        "  crest import metrics export.csv --partial --json\n"
        "  crest import tiktok studio.csv --creator @maya.runs --captured-at 2026-03-10\n"
        "  crest import orders_export.csv\n"
        "  crest import instagram content.csv --map \"Plays=views\"\n",
    .run = import_run,
};
