/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_emv.c - `crest emv --campaign NAME|ID`: the media value (EMV) of each post of a
 * campaign with its calculation, and the total, priced with the campaign's rate card and
 * credited in full or split between the brands a post names (the campaign's emv_credit).
 * Every output carries the label that EMV is a relative measure, not revenue. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"

typedef struct {
    char name[256], brand[256], credit[16];
} campaign_info;

static cr_err got_campaign(const cr_campaign *c, void *payload)
{
    campaign_info *i = payload;

    snprintf(i->name, sizeof(i->name), "%s", c->name ? c->name : "");
    snprintf(i->brand, sizeof(i->brand), "%s", c->brand ? c->brand : "");
    snprintf(i->credit, sizeof(i->credit), "%s",
             c->emv_credit && c->emv_credit[0] ? c->emv_credit : "full");
    return CR_OK;
}

typedef struct {
    char **names;
    size_t n;
} brand_list;

static cr_err got_brand(const cr_campaign *c, void *payload)
{
    brand_list *b = payload;
    char **nn;

    if (c->brand == NULL || c->brand[0] == '\0')
        return CR_OK;
    if ((nn = cr_realloc(b->names, (b->n + 1) * sizeof(*nn))) == NULL)
        return cr_error_oom();
    b->names = nn;
    if ((nn[b->n] = cr_strdup(c->brand)) == NULL)
        return cr_error_oom();
    b->n++;
    return CR_OK;
}

typedef struct {
    const cr_rate_card *rc;
    const brand_list *brands;
    const char *own;
    int split;
    json_t *posts;
    size_t nposts;
    double total_minor, full_minor;
} emv_run;

static cr_err emv_row(const cr_post_rollup *r, void *payload)
{
    emv_run *x = payload;
    cr_emv e;

    cr_emv_post(&e, x->rc, r, (const char *const *)x->brands->names, x->brands->n, x->own,
                x->split);
    x->nposts++;
    x->total_minor += e.value_minor;
    x->full_minor += e.full_minor;
    if (x->posts) {
        json_t *j = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:f,s:f,s:f,s:I,s:s}", "post_id",
                              (json_int_t)r->post_id, "platform", r->platform, "handle", r->handle,
                              "external_id", r->external_id, "url", r->url, "emv",
                              e.value_minor / 100.0, "emv_full", e.full_minor / 100.0, "credit",
                              e.credit, "brands_named", (json_int_t)e.nbrands, "log", e.log);
        if (j == NULL || json_array_append_new(x->posts, j) < 0)
            return cr_error_oom();
        return CR_OK;
    }
    printf("post %lld  %s/%s %s\n  EMV %.2f %s", (long long)r->post_id, r->platform,
           r->handle ? r->handle : "?", r->external_id ? r->external_id : "", e.value_minor / 100.0,
           x->rc->currency);
    if (e.credit < 1)
        printf(" (%.0f%% of %.2f)", e.credit * 100, e.full_minor / 100.0);
    printf("\n  %s\n", e.log);
    return CR_OK;
}

static int cmd_emv_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "campaign", required_argument, NULL, 'c' },
                                              { "ratecard", required_argument, NULL, 'r' },
                                              { NULL, 0, NULL, 0 } };
    const char *campaign = NULL, *version = NULL;
    campaign_info info;
    brand_list brands = { NULL, 0 };
    cr_rate_card *rc = NULL;
    cr_rollup_filter f;
    emv_run x;
    int64_t id = 0;
    json_t *out = NULL;
    char label[300];
    size_t i;
    int c, code = CLI_EXIT_OK;
    cr_err err;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'c')
            campaign = optarg;
        else if (c == 'r')
            version = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (campaign == NULL)
        return cli_usage(ctx, "--campaign NAME|ID is required");
    memset(&info, 0, sizeof(info));
    memset(&x, 0, sizeof(x));
    if ((err = cli_campaign_id(&id, ctx, campaign)) < 0 ||
        (err = cr_store_campaign_get(ctx->store, id, got_campaign, &info)) < 0 ||
        (err = cr_store_campaign_list(ctx->store, got_brand, &brands)) < 0)
        goto done;
    if (version)
        err = cr_rate_card_load(&rc, ctx->store, version);
    else
        err = cr_rate_card_for_campaign(&rc, ctx->store, id);
    if (err < 0)
        goto done;
    cr_emv_label(label, sizeof(label), rc->version);
    x.rc = rc;
    x.brands = &brands;
    x.own = info.brand;
    x.split = strcmp(info.credit, "split") == 0;
    if (ctx->json && (x.posts = json_array()) == NULL) {
        err = cr_error_oom();
        goto done;
    }
    if (!ctx->json)
        printf("EMV of campaign %lld: %s (rate card %s, %s credit)\n\n", (long long)id, info.name,
               rc->version, x.split ? "split" : "full");
    memset(&f, 0, sizeof(f));
    f.campaign_id = id;
    if ((err = cr_store_rollup_list(ctx->store, &f, emv_row, &x)) < 0)
        goto done;
    if (ctx->json) {
        out = json_pack("{s:{s:I,s:s,s:s},s:s,s:s,s:s,s:I,s:f,s:f,s:o,s:s}", "campaign", "id",
                        (json_int_t)id, "name", info.name, "brand", info.brand, "ratecard",
                        rc->version, "currency", rc->currency, "credit", info.credit, "posts",
                        (json_int_t)x.nposts, "total", x.total_minor / 100.0, "total_full",
                        x.full_minor / 100.0, "items", x.posts, "label", label);
        x.posts = NULL;
        code = cli_print_json(out);
    } else {
        printf("%stotal EMV %.2f %s over %zu posts", x.nposts ? "\n" : "", x.total_minor / 100.0,
               rc->currency, x.nposts);
        if (x.split && x.full_minor != x.total_minor)
            printf(" (%.2f before splitting credit)", x.full_minor / 100.0);
        printf("\n%s.\n", label);
    }
done:
    json_decref(x.posts);
    cr_rate_card_free(rc);
    for (i = 0; i < brands.n; i++)
        cr_free(brands.names[i]);
    cr_free(brands.names);
    return err < 0 ? cli_fail(ctx, err) : code;
}

const cli_cmd cmd_emv = {
    .name = "emv",
    .summary = "Media value (EMV) of a campaign's posts, with the calculation",
    .usage = "crest emv --campaign NAME|ID [--ratecard VERSION] [--json]",
    .help = "Each post's latest metrics times the unit values of the campaign's rate card\n"
            "(crest ratecard use VERSION --campaign ...; else the active card), credited in\n"
            "full or split between the brands the post names (emv_credit in the campaign spec).\n"
            "EMV is a relative measure, not revenue: see docs/media-value.md.\n\n"
            "Options:\n"
            "  --campaign NAME|ID   the campaign (required)\n"
            "  --ratecard VERSION   price with this card instead\n",
    .run = cmd_emv_run,
    .flags = CLI_F_NEEDS_STORE,
};
