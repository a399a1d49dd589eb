/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_export.c - `crest export all --format csv|json DIR`: every table of the store, one file
 * per table, and a manifest.json with each file's row count and SHA-256. Users own their
 * data: the export is complete and in plain formats. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "report/render.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/hash.h"

#define EXPORT_MAX_TABLES 64

typedef struct {
    char name[64];
    char path[4096];
    int64_t rows;
    char sha[CR_SHA256_HEX];
} export_file;

typedef struct {
    cli_ctx *ctx;
    const char *dir, *format;
    int json;
    FILE *f;
    int64_t rows;
    export_file files[EXPORT_MAX_TABLES];
    size_t nfiles;
} export_state;

static cr_err write_err(const char *path)
{
    return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: %s", path, strerror(errno));
}

/* One row: CSV fields (an empty field for NULL) under a header row written with the first
 * row, or a JSON object per line in an array. An empty table gives an empty CSV file (the
 * store names columns with rows) or an empty JSON array. */
/* Secrets stay in the store: an export is a file users copy around. */
static int secret_column(const char *name)
{
    return strcmp(name, "password_hash") == 0 || strcmp(name, "token_hash") == 0 ||
           strcmp(name, "csrf") == 0;
}

static cr_err export_row(const char *const *columns, const char *const *in, size_t n, void *payload)
{
    export_state *es = payload;
    const char *vals[64];
    size_t i;

    for (i = 0; i < n && i < 64; i++)
        vals[i] = in[i] && secret_column(columns[i]) ? "(not exported)" : in[i];
    if (n > 64)
        n = 64;

    if (!es->json && es->rows == 0) {
        for (i = 0; i < n; i++) {
            if (i)
                fputc(',', es->f);
            cr_report_csv_field(es->f, columns[i]);
        }
        fputs("\r\n", es->f);
    }
    if (es->json) {
        json_t *o = json_object();
        if (o == NULL)
            return cr_error_oom();
        for (i = 0; i < n; i++)
            if (json_object_set_new(o, columns[i], vals[i] ? json_string(vals[i]) : json_null()) <
                0) {
                json_decref(o);
                return cr_error_oom();
            }
        fputs(es->rows ? ",\n  " : "\n  ", es->f);
        if (json_dumpf(o, es->f, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0) {
            json_decref(o);
            return write_err(es->files[es->nfiles].path);
        }
        json_decref(o);
    } else {
        for (i = 0; i < n; i++) {
            if (i)
                fputc(',', es->f);
            if (vals[i])
                cr_report_csv_field(es->f, vals[i]);
        }
        fputs("\r\n", es->f);
    }
    es->rows++;
    return ferror(es->f) ? write_err(es->files[es->nfiles].path) : CR_OK;
}

static cr_err export_table(export_state *es, const char *table)
{
    export_file *ef;
    cr_err rc;

    if (es->nfiles >= EXPORT_MAX_TABLES)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_CLI, "more than %d tables", EXPORT_MAX_TABLES);
    ef = &es->files[es->nfiles];
    memset(ef, 0, sizeof(*ef));
    snprintf(ef->name, sizeof(ef->name), "%s", table);
    snprintf(ef->path, sizeof(ef->path), "%s/%s.%s", es->dir, table, es->format);
    if ((es->f = fopen(ef->path, "wb")) == NULL)
        return write_err(ef->path);
    es->rows = 0;
    if (es->json)
        fputc('[', es->f);
    rc = cr_store_table_export(es->ctx->store, table, export_row, es);
    if (rc == CR_OK && es->json)
        fputs(es->rows ? "\n]\n" : "]\n", es->f);
    if (fclose(es->f) != 0 && rc == CR_OK)
        rc = write_err(ef->path);
    es->f = NULL;
    if (rc < 0)
        return rc;
    ef->rows = es->rows;
    if ((rc = cr_sha256_file(ef->sha, ef->path)) < 0)
        return rc;
    es->nfiles++;
    if (!es->ctx->quiet && !es->ctx->json)
        fprintf(stderr, "  %-20s %10lld rows\n", table, (long long)ef->rows);
    return CR_OK;
}

/* 1 when dir exists and holds anything but . and .. */
static int dir_nonempty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n > 0;
}

static json_t *manifest(const export_state *es, int64_t at)
{
    json_t *files = json_array(), *o;
    char d[32];
    size_t i;

    for (i = 0; files && i < es->nfiles; i++) {
        const export_file *ef = &es->files[i];
        const char *base = strrchr(ef->path, '/');
        if (json_array_append_new(files, json_pack("{s:s,s:s,s:I,s:s}", "table", ef->name, "file",
                                                   base ? base + 1 : ef->path, "rows",
                                                   (json_int_t)ef->rows, "sha256", ef->sha)) < 0) {
            json_decref(files);
            return NULL;
        }
    }
    o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:o}", "crest", CREST_VERSION, "exported_at",
                  cr_fmt_datetime(d, sizeof(d), at), "backend",
                  cr_store_backend_name(es->ctx->store), "schema_version",
                  cr_store_schema_version(es->ctx->store), "format", es->format, "tables", files);
    return o;
}

static int export_all(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "force", no_argument, NULL, 'F' },
        { NULL, 0, NULL, 0 },
    };
    export_state *es = NULL;
    const char *const *tables;
    const char *format = NULL;
    char path[4096];
    json_t *m = NULL;
    int c, force = 0, code = CLI_EXIT_OK;
    struct stat sb;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'F':
            force = 1;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "the directory to write")) !=
        CLI_EXIT_OK)
        return code;
    if (format == NULL)
        return cli_usage(ctx, "--format: expected csv or json, found nothing");
    if (strcmp(format, "csv") && strcmp(format, "json"))
        return cli_usage(ctx, "--format: expected csv or json, found '%s'", format);
    if ((es = cr_calloc(1, sizeof(*es))) == NULL)
        return cli_fail(ctx, cr_error_oom());
    es->ctx = ctx;
    es->dir = argv[optind];
    es->format = format;
    es->json = strcmp(format, "json") == 0;
    if (stat(es->dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "%s: not a directory", es->dir);
            goto fail;
        }
        if (dir_nonempty(es->dir) && !force) {
            rc = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_CLI,
                              "%s: the directory is not empty; use --force to write into it "
                              "(files of the same name are replaced)",
                              es->dir);
            goto fail;
        }
    } else if (mkdir(es->dir, 0777) != 0) {
        rc = write_err(es->dir);
        goto fail;
    }
    if (!ctx->quiet && !ctx->json)
        fprintf(stderr, "exporting every table to %s/ as %s:\n", es->dir, format);
    for (tables = cr_store_tables(); *tables; tables++)
        if ((rc = export_table(es, *tables)) < 0)
            goto fail;
    snprintf(path, sizeof(path), "%s/manifest.json", es->dir);
    if ((m = manifest(es, cr_now())) == NULL) {
        rc = cr_error_oom();
        goto fail;
    }
    if (json_dump_file(m, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
        rc = write_err(path);
        goto fail;
    }
    if (ctx->json) {
        json_object_set_new(m, "dir", json_string(es->dir));
        code = cli_print_json(m);
        m = NULL;
    } else if (!ctx->quiet) {
        fprintf(stderr, "wrote %zu tables and %s\n", es->nfiles, path);
    }
    json_decref(m);
    cr_free(es);
    return code;
fail:
    json_decref(m);
    cr_free(es);
    return cli_fail(ctx, rc);
}

static const cli_cmd export_all_cmd = {
    .name = "all",
    .summary = "Write every table of the store, one file per table, with a manifest",
    .usage = "crest export all --format csv|json DIR [--force] [--json]",
    .help = "Writes DIR/<table>.csv (a header row, RFC 4180) or DIR/<table>.json (an array of\n"
            "objects), and DIR/manifest.json with each file's row count and SHA-256.\n"
            "Options:\n"
            "  --format F   csv or json (required)\n"
            "  --force      write into a directory that is not empty\n"
            "Example:\n  crest export all --format csv backup-2026-11/\n",
    .run = export_all,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const export_subcmds[] = { &export_all_cmd, NULL };

const cli_cmd cmd_export = {
    .name = "export",
    .summary = "Export the store's data (every table, CSV or JSON)",
    .subcmds = export_subcmds,
};
