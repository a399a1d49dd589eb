/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_ratecard.c - `crest ratecard list|show|import|use`: the media-value (EMV) rate cards
 * of the workspace, built in (data/ratecards) or imported (kept as settings, one version
 * never changing). Format and sources: docs/media-value.md. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"

#define DOC_MAX (1 << 20) /* a rate card or tier scheme is a few hundred bytes */

cr_err cli_read_doc(char **out, size_t *len, const char *path)
{
    FILE *f;
    char *buf = NULL;
    size_t n = 0;
    cr_err rc = CR_OK;

    *out = NULL;
    *len = 0;
    if ((f = fopen(path, "rb")) == NULL)
        return cr_error_set(errno == ENOENT ? CR_ENOTFOUND : CR_EIO, CR_ERRCLASS_OS,
                            "%s: cannot open: %s", path, strerror(errno));
    if ((buf = cr_malloc(DOC_MAX + 1)) == NULL) {
        fclose(f);
        return cr_error_oom();
    }
    n = fread(buf, 1, DOC_MAX + 1, f);
    if (ferror(f))
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot read", path);
    else if (n > DOC_MAX)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s: expected a document of at most 1 MiB, found a larger file", path);
    fclose(f);
    if (rc < 0) {
        cr_free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return CR_OK;
}

const char *cli_doc_origin(const cr_track_doc *d)
{
    return d->builtin && d->stored ? "built in, imported" : d->builtin ? "built in" : "imported";
}

json_t *cli_doc_json(const cr_track_doc *d, const char *name_key, const char *count_key)
{
    return json_pack("{s:s,s:s,s:I,s:b,s:b,s:b}", name_key, d->name, "source", d->source, count_key,
                     (json_int_t)d->entries, "builtin", d->builtin != 0, "stored", d->stored != 0,
                     "active", d->active != 0);
}

typedef struct {
    json_t *arr; /* NULL: a table on stdout */
    const char *name_key, *count_key;
} doc_list;

static cr_err list_row(const cr_track_doc *d, void *payload)
{
    doc_list *l = payload;
    json_t *j;

    if (l->arr == NULL) {
        printf("%s %-20s %5zu  %-18s %s\n", d->active ? "*" : " ", d->name, d->entries,
               cli_doc_origin(d), d->source);
        return CR_OK;
    }
    if ((j = cli_doc_json(d, l->name_key, l->count_key)) == NULL ||
        json_array_append_new(l->arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

int cli_doc_list(cli_ctx *ctx,
                 int argc,
                 char **argv,
                 cr_err (*list)(cr_store *st, cr_track_doc_cb cb, void *payload),
                 const char *name_key,
                 const char *count_key,
                 const char *use_cmd)
{
    doc_list l = { NULL, name_key, count_key };
    char head[2][16];
    int code, i;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (l.arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (!ctx->json) {
        for (i = 0; i < 2; i++) {
            const char *k = i ? count_key : name_key;
            size_t n;
            for (n = 0; k[n] && n + 1 < sizeof(head[i]); n++)
                head[i][n] = (char)(k[n] >= 'a' && k[n] <= 'z' ? k[n] - 32 : k[n]);
            head[i][n] = '\0';
        }
        printf("  %-20s %5s  %-18s %s\n", head[0], head[1], "ORIGIN", "SOURCE");
    }
    if ((rc = list(ctx->store, list_row, &l)) < 0) {
        json_decref(l.arr);
        return cli_fail(ctx, rc);
    }
    if (l.arr)
        return cli_print_json(l.arr);
    if (!ctx->quiet)
        fprintf(stderr, "* = active (%s)\n", use_cmd);
    return CLI_EXIT_OK;
}

static int ratecard_list(cli_ctx *ctx, int argc, char **argv)
{
    return cli_doc_list(ctx, argc, argv, cr_rate_card_list, "version", "rates",
                        "crest ratecard use VERSION");
}

typedef struct {
    const char *want;
    cr_track_doc doc;
    int found;
    char source[1024], name[72];
} find_doc;

static cr_err find_row(const cr_track_doc *d, void *payload)
{
    find_doc *f = payload;

    if (strcmp(d->name, f->want) != 0)
        return CR_OK;
    f->doc = *d;
    snprintf(f->name, sizeof(f->name), "%s", d->name);
    snprintf(f->source, sizeof(f->source), "%s", d->source);
    f->doc.name = f->name;
    f->doc.source = f->source;
    f->found = 1;
    return CR_OK;
}

static int ratecard_show(cli_ctx *ctx, int argc, char **argv)
{
    cr_rate_card *rc = NULL;
    find_doc f;
    json_t *j = NULL, *rates;
    char label[300];
    size_t i;
    cr_err err;

    if (argc > 2)
        return cli_usage(ctx, "unexpected argument '%s'", argv[2]);
    if ((err = cr_rate_card_load(&rc, ctx->store, argc == 2 ? argv[1] : NULL)) < 0)
        return cli_fail(ctx, err);
    memset(&f, 0, sizeof(f));
    f.want = rc->version;
    if ((err = cr_rate_card_list(ctx->store, find_row, &f)) < 0) {
        cr_rate_card_free(rc);
        return cli_fail(ctx, err);
    }
    cr_emv_label(label, sizeof(label), rc->version);
    if (ctx->json) {
        j = json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:[],s:s}", "version", rc->version, "currency",
                      rc->currency, "source", rc->source, "builtin", f.doc.builtin != 0, "stored",
                      f.doc.stored != 0, "active", f.doc.active != 0, "rates", "label", label);
        rates = j ? json_object_get(j, "rates") : NULL;
        for (i = 0; rates && i < rc->nrates; i++)
            if (json_array_append_new(rates,
                                      json_pack("{s:s,s:s,s:f}", "platform", rc->rates[i].platform,
                                                "metric", rc->rates[i].metric, "unit_value",
                                                rc->rates[i].unit_value)) < 0)
                break;
        cr_rate_card_free(rc);
        return cli_print_json(j);
    }
    printf("rate card %s%s (%s)\n", rc->version, f.doc.active ? ", active" : "",
           cli_doc_origin(&f.doc));
    printf("  currency  %s\n  source    %s\n\n", rc->currency, rc->source);
    printf("  %-12s %-14s %s\n", "PLATFORM", "METRIC", "UNIT VALUE");
    for (i = 0; i < rc->nrates; i++)
        printf("  %-12s %-14s %g %s\n", rc->rates[i].platform, rc->rates[i].metric,
               rc->rates[i].unit_value, rc->currency);
    printf("\n%s.\n", label);
    cr_rate_card_free(rc);
    return CLI_EXIT_OK;
}

static int ratecard_import(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "activate", no_argument, NULL, 'a' },
                                              { NULL, 0, NULL, 0 } };
    cr_rate_card *rc = NULL, *old = NULL;
    char *text = NULL;
    size_t len;
    int c, code, activate = 0, existed;
    cr_err err;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'a')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        activate = 1;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a FILE")) != CLI_EXIT_OK)
        return code;
    if ((err = cli_read_doc(&text, &len, argv[optind])) < 0)
        return cli_fail(ctx, err);
    if ((err = cr_rate_card_parse(&rc, text, len, argv[optind])) < 0)
        goto done;
    existed = cr_rate_card_load(&old, ctx->store, rc->version) == CR_OK;
    cr_error_clear();
    if ((err = cr_rate_card_save(ctx->store, rc, text, activate)) < 0)
        goto done;
    if (ctx->json) {
        code = cli_print_json(json_pack("{s:s,s:I,s:s,s:b}", "version", rc->version, "rates",
                                        (json_int_t)rc->nrates, "status",
                                        existed ? "unchanged" : "stored", "active", activate));
    } else {
        if (existed)
            printf("rate card %s is already known with the same values: nothing changed\n",
                   rc->version);
        else
            printf("rate card %s stored (%zu rates, %s)\n", rc->version, rc->nrates, rc->currency);
        if (activate)
            printf("rate card %s is now the active one\n", rc->version);
        code = CLI_EXIT_OK;
    }
done:
    cr_rate_card_free(old);
    cr_rate_card_free(rc);
    cr_free(text);
    return err < 0 ? cli_fail(ctx, err) : code;
}

static int ratecard_use(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "campaign", required_argument, NULL, 'c' },
                                              { NULL, 0, NULL, 0 } };
    const char *campaign = NULL;
    int64_t campaign_id = 0;
    int c, code;
    cr_err err;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'c')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        campaign = optarg;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a VERSION")) != CLI_EXIT_OK)
        return code;
    if (campaign && (err = cli_campaign_id(&campaign_id, ctx, campaign)) < 0)
        return cli_fail(ctx, err);
    if ((err = cr_rate_card_use(ctx->store, argv[optind], campaign_id)) < 0)
        return cli_fail(ctx, err);
    if (ctx->json)
        return cli_print_json(campaign_id ? json_pack("{s:s,s:I}", "ratecard", argv[optind],
                                                      "campaign_id", (json_int_t)campaign_id)
                                          : json_pack("{s:s}", "active", argv[optind]));
    if (campaign_id)
        printf("campaign %lld now uses rate card %s for its EMV\n", (long long)campaign_id,
               argv[optind]);
    else
        printf("rate card %s is now the active one\n", argv[optind]);
    return CLI_EXIT_OK;
}

static const cli_cmd ratecard_list_cmd = {
    .name = "list",
    .summary = "List the rate cards: built in and imported",
    .usage = "crest ratecard list [--json]",
    .help = "The active card (marked *) prices EMV unless a campaign has its own.\n",
    .run = ratecard_list,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd ratecard_show_cmd = {
    .name = "show",
    .summary = "Show a rate card's unit values and source",
    .usage = "crest ratecard show [VERSION] [--json]",
    .help = "Without VERSION: the active card.\n",
    .run = ratecard_show,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd ratecard_import_cmd = {
    .name = "import",
    .summary = "Store a rate card (YAML) under its version",
    .usage = "crest ratecard import FILE [--activate] [--json]",
    .help = "Options:\n"
            "  --activate   make it the active card\n\n"
            "A version never changes once stored: a different document under a known version is\n"
            "refused (exit 1), the same one again changes nothing. Format: docs/media-value.md.\n",
    .run = ratecard_import,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd ratecard_use_cmd = {
    .name = "use",
    .summary = "Make a rate card the active one, or a campaign's own",
    .usage = "crest ratecard use VERSION [--campaign NAME|ID] [--json]",
    .help = "Options:\n"
            "  --campaign NAME|ID   the card of this campaign's EMV only\n",
    .run = ratecard_use,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const ratecard_subcmds[] = { &ratecard_list_cmd, &ratecard_show_cmd,
                                                   &ratecard_import_cmd, &ratecard_use_cmd, NULL };

const cli_cmd cmd_ratecard = {
    .name = "ratecard",
    .summary = "Media-value (EMV) rate cards",
    .subcmds = ratecard_subcmds,
};

static cr_err campaign_exists(const cr_campaign *c, void *payload)
{
    (void)c;
    (void)payload;
    return CR_OK;
}

cr_err cli_campaign_id(int64_t *out, cli_ctx *ctx, const char *ref)
{
    char *end;
    long long id = strtoll(ref, &end, 10);
    cr_err rc;

    if (*ref != '\0' && *end == '\0' && id > 0) {
        if ((rc = cr_store_campaign_get(ctx->store, id, campaign_exists, NULL)) < 0)
            return rc;
        *out = id;
        return CR_OK;
    }
    return cr_store_campaign_find(out, ctx->store, ref);
}
