/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_vet.c - `crest vet @handle`: the Audience Quality Score of a creator with its interval,
 * components, top reasons, goal-aware verdict and brand-safety flags (src/vet), kept as the
 * creator's last vetting; `crest vet --all` vets every creator; `crest vet followers @handle
 * FILE`: classify a sample of a creator's followers with the shipped fake-follower model and
 * report the fake share corrected for the classifier's sensitivity and specificity
 * (Rogan-Gladen, 95% delta-method interval) and the audience types; `crest vet terms` and
 * `crest vet benchmarks`: the brand-safety term lists and engagement benchmark tables. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"
#include "util/date.h"

static double share(size_t k, size_t n)
{
    return n ? (double)k / (double)n : 0;
}

static int vet_followers(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "model", required_argument, NULL, 'm' },
                                              { NULL, 0, NULL, 0 } };
    const char *model_path = NULL;
    cr_follower_audit a;
    cr_model *m = NULL;
    char *text = NULL;
    int64_t id;
    size_t len;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'm')
            model_path = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 2, "@handle and FILE")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&id, ctx, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if (model_path) {
        if ((rc = cli_read_doc(&text, &len, model_path)) >= 0)
            rc = cr_model_parse(&m, text, len, model_path);
        cr_free(text);
    } else {
        rc = cr_model_builtin(&m, CR_MODEL_FOLLOWERS);
    }
    if (rc >= 0)
        rc = cr_model_followers_classify(&a, m, argv[optind + 1]);
    cr_model_free(m);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack(
            "{s:I,s:s,s:s,s:I,s:I,s:f,s:{s:f,s:f,s:f,s:s},s:{s:f,s:f,s:f},"
            "s:{s:I,s:I,s:I,s:I},s:{s:f,s:f,s:f,s:f}}",
            "creator_id", (json_int_t)id, "handle", argv[optind], "file", argv[optind + 1],
            "sample", (json_int_t)a.n, "flagged", (json_int_t)a.flagged, "observed_share",
            a.observed, "fake_share", "estimate", a.fake_share, "low", a.low, "high", a.high,
            "method", "Rogan-Gladen, 95% delta-method interval with Se/Sp uncertainty",
            "classifier", "threshold", a.threshold, "sensitivity", a.sensitivity, "specificity",
            a.specificity, "audience", "real", (json_int_t)a.real, "mass_followers",
            (json_int_t)a.mass_followers, "influencers", (json_int_t)a.influencers, "suspicious",
            (json_int_t)a.suspicious, "audience_share", "real", share(a.real, a.n),
            "mass_followers", share(a.mass_followers, a.n), "influencers",
            share(a.influencers, a.n), "suspicious", share(a.suspicious, a.n)));
    printf("Followers of %s: a sample of %zu profiles (%s)\n\n", argv[optind], a.n,
           argv[optind + 1]);
    printf("classified fake   %zu of %zu (%.1f%%)\n", a.flagged, a.n, a.observed * 100);
    printf("fake share        %.1f%%  (95%% interval %.1f%% to %.1f%%)\n", a.fake_share * 100,
           a.low * 100, a.high * 100);
    printf("  corrected for the classifier's sensitivity %.1f%% and specificity %.1f%%\n"
           "  (Rogan-Gladen; delta-method interval; score cut-off %.4f)\n\n",
           a.sensitivity * 100, a.specificity * 100, a.threshold);
    printf("audience types\n");
    printf("  real            %5zu  %5.1f%%\n", a.real, share(a.real, a.n) * 100);
    printf("  mass followers  %5zu  %5.1f%%  (following > 1,500)\n", a.mass_followers,
           share(a.mass_followers, a.n) * 100);
    printf("  influencers     %5zu  %5.1f%%  (followers > 5,000, following < 1,500)\n",
           a.influencers, share(a.influencers, a.n) * 100);
    printf("  suspicious      %5zu  %5.1f%%  (classified fake)\n", a.suspicious,
           share(a.suspicious, a.n) * 100);
    return CLI_EXIT_OK;
}

static const cli_cmd vet_followers_cmd = {
    .name = "followers",
    .summary = "Fake-follower share of a creator from a sample of follower profiles",
    .usage = "crest vet followers @handle FILE [--model JSON] [--json]",
    .help = "FILE is a CSV of follower profiles with the columns username, posts, followers,\n"
            "following, has_profile_picture, private (TRUE/FALSE); the SRF data set's column\n"
            "names (Number.of.posts, ...) are accepted too. Each profile is classified by the\n"
            "shipped logistic model (docs/models.md); the fake share is corrected for the\n"
            "classifier's cross-validated sensitivity and specificity (Rogan-Gladen) with a 95%\n"
            "interval. Audience types: suspicious (classified fake), mass followers (following\n"
            "> 1,500), influencers (followers > 5,000), real (the rest).\n\n"
            "Options:\n"
            "  --model JSON   use this followers model instead of the shipped one\n",
    .run = vet_followers,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- crest vet @handle ---------------------------------------------------------------- */

static const char *grouped(char *buf, size_t size, double v)
{
    char digits[32];
    long long n = llround(fabs(v));
    size_t len, i, o = 0;

    snprintf(digits, sizeof(digits), "%lld", n);
    len = strlen(digits);
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    for (i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static void print_score(const char *label, double v)
{
    if (isnan(v))
        printf("%s -", label);
    else
        printf("%s %.0f", label, v);
}

static void print_report(const cr_vet_report *r)
{
    char a[32], b[32], d1[16], d2[16];
    size_t i;
    int c;

    printf("%s/%s (%s followers, tier %s by %s)\n\n", r->platform, r->handle,
           r->followers == CR_COUNT_NONE ? "unknown" : grouped(a, sizeof(a), (double)r->followers),
           r->tier[0] ? r->tier : "unknown", r->tier_scheme);
    if (isnan(r->score))
        printf("Audience Quality Score  not computed: no component could be measured\n");
    else
        printf("Audience Quality Score  %.0f / 100  (95%% interval %.0f to %.0f; %zu bootstrap "
               "resamples)\n  from components carrying %.0f%% of the weight%s\n",
               r->score, r->score_low, r->score_high, r->bootstrap, 100 * r->coverage,
               r->coverage < 0.5 ? ": too little measured to lean on" : "");
    printf("  follower risk %s, engagement risk %s\n", cr_vet_risk_name(r->follower_risk),
           cr_vet_risk_name(r->engagement_risk));
    printf("  %s\n", r->verdict_text);
    if (r->nreasons) {
        printf("\nTop reasons\n");
        for (i = 0; i < r->nreasons && i < 5; i++)
            printf("  %zu. %s\n", i + 1, r->reasons[i].text);
    }
    printf("\nComponents        weight  score\n");
    for (c = 0; c < CR_VET_NCOMPONENTS; c++) {
        printf("  %-16s %4.0f%%  ", cr_vet_component_name(c), 100 * cr_vet_component_weight(c));
        print_score("", r->component[c]);
        if (r->component_note[c][0])
            printf("   (%s)", r->component_note[c]);
        printf("\n");
    }
    printf("\nEngagement rate   ");
    if (r->er.n && !isnan(r->er.estimate))
        printf("%.2f%% %s (95%% interval %.2f%% to %.2f%%), measured %.2f%% over %zu posts\n"
               "                  from %s to %s, own weight %.0f%%; %s %s range %.2f%% to %.2f%%\n"
               "                  (%s: %s)\n",
               100 * r->er.estimate, r->er_definition, 100 * r->er.low, 100 * r->er.high,
               100 * r->er.raw, r->er.n, cr_fmt_date(d1, sizeof(d1), r->window_since),
               cr_fmt_date(d2, sizeof(d2), r->window_until), 100 * r->er.weight, r->tier,
               r->platform, 100 * r->bench_low, 100 * r->bench_high, r->benchmarks,
               r->benchmark_source);
    else
        printf("not measured (%s)\n", r->component_note[CR_VET_ENGAGEMENT]);
    printf("Likes per comment ");
    if (!isnan(r->likes_per_comment))
        printf("%.0f; typical %s across %zu %s creators in this workspace\n", r->likes_per_comment,
               isnan(r->typical_likes_per_comment)
                   ? "unknown"
                   : grouped(a, sizeof(a), r->typical_likes_per_comment),
               r->peers, r->platform);
    else
        printf("unknown (no post with likes and comments)\n");
    printf("Growth            %zu daily snapshots", r->snapshots);
    if (!isnan(r->usual_daily_change))
        printf("; usual daily change %s; %zu spike%s (robust z >= 6 and >= 1%% in a day)\n",
               grouped(a, sizeof(a), r->usual_daily_change), r->nspikes,
               r->nspikes == 1 ? "" : "s");
    else
        printf(" (too few to judge spikes)\n");
    for (i = 0; i < r->nspikes; i++)
        printf("  %s  +%s (%s -> %s), %.0fx the usual, robust z %.0f\n",
               cr_fmt_date(d1, sizeof(d1), r->spikes[i].date),
               grouped(a, sizeof(a), (double)r->spikes[i].delta),
               grouped(b, sizeof(b), (double)r->spikes[i].before),
               grouped(d2, sizeof(d2), (double)r->spikes[i].after), r->spikes[i].times_usual,
               r->spikes[i].z);
    if (r->has_sample)
        printf("Follower sample   %.1f%% fake (95%% interval %.1f%% to %.1f%%) of %zu profiles\n",
               100 * r->fake_share, 100 * r->fake_low, 100 * r->fake_high, r->sample_n);
    printf("Comments          %zu on %zu posts", r->comments, r->commented_posts);
    if (r->comments)
        printf(": %zu spam (soliciting; the classifier agrees on %zu and flags %zu in all),\n"
               "                  %zu generic, %zu copies, %zu from a ring",
               r->comments_spam, r->comments_spam_confirmed, r->comments_spam_model,
               r->comments_generic, r->comments_dup, r->comments_ring);
    if (r->sentiment_available && !isnan(r->sentiment))
        printf("\n                  sentiment %.2f (0 negative .. 1 positive; shown, not "
               "scored)\n",
               r->sentiment);
    else
        printf("\n                  sentiment not scored: no sentiment model is shipped\n");
    for (i = 0; i < r->nring; i++)
        printf("  recurring commenter %s on %zu posts\n", r->ring[i], r->ring_posts[i]);
    printf("\nBrand safety      %zu match%s in %zu captions (lists: %s; %zu patterns)\n",
           r->flags_total, r->flags_total == 1 ? "" : "es", r->captions_scanned, r->term_lists,
           r->patterns);
    for (i = 0; i < r->nflags; i++)
        printf("  %s  post %lld %s  %s: \"%s\"\n      %s\n",
               cr_fmt_date(d1, sizeof(d1), r->flags[i].posted_at), (long long)r->flags[i].post_id,
               r->flags[i].url[0] ? r->flags[i].url : r->flags[i].external_id, r->flags[i].category,
               r->flags[i].matched, r->flags[i].excerpt);
    if (r->flags_total > r->nflags)
        printf("  ... and %zu more (--json lists the first %d)\n", r->flags_total - r->nflags,
               CR_VET_MAX_FLAGS);
    if (r->flags_total)
        printf("  Flags are for a person to read in context, never verdicts.\n");
}

typedef struct {
    cli_ctx *ctx;
    int64_t *ids;
    size_t n, cap;
} id_list;

static cr_err got_id(const cr_creator *c, void *payload)
{
    id_list *l = payload;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        int64_t *ids = cr_realloc(l->ids, cap * sizeof(*ids));
        if (ids == NULL)
            return cr_error_oom();
        l->ids = ids;
        l->cap = cap;
    }
    l->ids[l->n++] = c->id;
    return CR_OK;
}

static json_t *summary_json(const cr_vet_report *r)
{
    json_t *spikes = json_array(), *reasons = json_array();
    char d[16];
    size_t i;

    for (i = 0; i < r->nspikes; i++)
        json_array_append_new(spikes, json_string(cr_fmt_date(d, sizeof(d), r->spikes[i].date)));
    for (i = 0; i < r->nreasons && i < 3; i++)
        json_array_append_new(reasons, json_string(r->reasons[i].text));
    return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:o,s:I,s:o}", "creator_id",
                     (json_int_t)r->creator_id, "platform", r->platform, "handle", r->handle,
                     "score", isnan(r->score) ? json_null() : json_real(r->score), "low",
                     isnan(r->score_low) ? json_null() : json_real(r->score_low), "high",
                     isnan(r->score_high) ? json_null() : json_real(r->score_high), "follower_risk",
                     cr_vet_risk_name(r->follower_risk), "engagement_risk",
                     cr_vet_risk_name(r->engagement_risk), "awareness", r->verdict_awareness,
                     "conversions", r->verdict_conversions, "spikes", spikes,
                     "brand_safety_matches", (json_int_t)r->flags_total, "reasons", reasons);
}

/* The verdict as a recommendation (docs/program.md, "Recorded recommendations"). */
static cr_err vet_record(int64_t *out, cr_store *st, const cr_vet_report *r)
{
    cr_recommendation_buf b;

    cr_program_recommendation_vetting(&b, r, cr_now());
    return cr_program_recommend_record(out, NULL, st, &b.rec, b.by);
}

static int vet_all(cli_ctx *ctx, const cr_vet_options *base, int save)
{
    cr_vet_options o = *base;
    cr_creator_filter f;
    cr_vet_peers *peers = NULL;
    cr_term_lists *terms = NULL;
    id_list l = { ctx, NULL, 0, 0 };
    json_t *arr = ctx->json ? json_array() : NULL;
    size_t i, flagged = 0;
    int64_t rec_id = 0;
    cr_err rc;

    memset(&f, 0, sizeof(f));
    f.order = "id";
    if ((rc = cr_store_creator_list(ctx->store, &f, got_id, &l)) < 0 ||
        (rc = cr_vet_peers_load(&peers, ctx->store)) < 0 ||
        (rc = cr_term_lists_load(&terms, ctx->store)) < 0)
        goto done;
    o.peers = peers;
    o.terms = terms;
    if (!ctx->json)
        printf("%-6s %-34s %5s %11s  %-8s %-8s %s\n", "id", "creator", "AQS", "95% interval",
               "follower", "engage.", "spikes");
    for (i = 0; i < l.n; i++) {
        cr_vet_report *r = NULL;
        char who[200], iv[24], d[16];
        size_t k;

        if ((rc = cr_vet_creator(&r, ctx->store, l.ids[i], &o)) < 0)
            goto done;
        if (save && ((rc = cr_vet_save(ctx->store, r)) < 0 ||
                     (rc = vet_record(&rec_id, ctx->store, r)) < 0)) {
            cr_vet_report_free(r);
            goto done;
        }
        flagged += r->nspikes > 0;
        if (arr) {
            json_t *j = summary_json(r);
            if (j && save)
                json_object_set_new(j, "recommendation_id", json_integer(rec_id));
            json_array_append_new(arr, j);
        } else {
            snprintf(who, sizeof(who), "%s/%s", r->platform, r->handle);
            if (isnan(r->score))
                snprintf(iv, sizeof(iv), "-");
            else
                snprintf(iv, sizeof(iv), "%.0f-%.0f", r->score_low, r->score_high);
            printf("%-6lld %-34s ", (long long)r->creator_id, who);
            print_score("", r->score);
            printf(" %11s  %-8s %-8s", iv, cr_vet_risk_name(r->follower_risk),
                   cr_vet_risk_name(r->engagement_risk));
            for (k = 0; k < r->nspikes; k++)
                printf(" %s", cr_fmt_date(d, sizeof(d), r->spikes[k].date));
            printf("\n");
        }
        cr_vet_report_free(r);
    }
    if (!ctx->json)
        printf("\n%zu creators vetted, %zu with follower-growth spikes%s. Flags are evidence for "
               "a person to judge.\n",
               l.n, flagged, save ? "; each result kept as the creator's last vetting" : "");
    if (!ctx->json && save && l.n)
        printf("Each verdict is a recommendation to accept, override or escalate: crest "
               "recommend list open.\n");
done:
    cr_free(l.ids);
    cr_vet_peers_free(peers);
    cr_term_lists_free(terms);
    if (rc < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

static int vet_creator(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "campaign", required_argument, NULL, 'c' },
                                              { "followers", required_argument, NULL, 'f' },
                                              { "benchmarks", required_argument, NULL, 'b' },
                                              { "all", no_argument, NULL, 'a' },
                                              { "no-save", no_argument, NULL, 'n' },
                                              { NULL, 0, NULL, 0 } };
    cr_vet_options o = CR_VET_OPTIONS_INIT;
    cr_vet_report *r = NULL;
    const char *campaign = NULL;
    char *text = NULL;
    int c, all = 0, save = 1, code;
    int64_t id, rec_id = 0;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            campaign = optarg;
            break;
        case 'f':
            o.followers_file = optarg;
            break;
        case 'b':
            o.benchmarks = optarg;
            break;
        case 'a':
            all = 1;
            break;
        case 'n':
            save = 0;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (campaign && (rc = cli_campaign_id(&o.campaign_id, ctx, campaign)) < 0)
        return cli_fail(ctx, rc);
    if (all) {
        if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
            return code;
        if (o.followers_file)
            return cli_usage(ctx, "--followers is a sample of one creator's followers: not with "
                                  "--all");
        return vet_all(ctx, &o, save);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "@handle")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&id, ctx, argv[optind])) < 0 ||
        (rc = cr_vet_creator(&r, ctx->store, id, &o)) < 0 ||
        (save &&
         ((rc = cr_vet_save(ctx->store, r)) < 0 || (rc = vet_record(&rec_id, ctx->store, r)) < 0)))
        goto done;
    if (ctx->json) {
        json_error_t err;
        json_t *j;
        if ((rc = cr_vet_report_json(&text, r)) < 0)
            goto done;
        j = json_loads(text, 0, &err);
        if (j && save)
            json_object_set_new(j, "recommendation_id", json_integer(rec_id));
        code = cli_print_json(j);
    } else {
        print_report(r);
        if (save && !ctx->quiet)
            printf("\nRecommendation %lld (vetting_verdict): accept it with crest recommend "
                   "accept vetting_verdict %lld,\n  override it with crest override "
                   "vetting_verdict %lld --to VALUE --reason R, or escalate it\n  with crest "
                   "escalate vetting_verdict %lld --to EMAIL.\n",
                   (long long)rec_id, (long long)rec_id, (long long)rec_id, (long long)rec_id);
    }
done:
    cr_vet_text_free(text);
    cr_vet_report_free(r);
    return rc < 0 ? cli_fail(ctx, rc) : code;
}

/* ---- crest vet terms, crest vet benchmarks ------------------------------------------------ */

static int vet_terms(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "import", required_argument, NULL, 'i' },
                                              { NULL, 0, NULL, 0 } };
    cr_term_lists *l = NULL;
    const char *file = NULL;
    char *text = NULL;
    size_t len;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'i')
            file = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (file) {
        if ((rc = cli_read_doc(&text, &len, file)) < 0 ||
            (rc = cr_term_lists_save(ctx->store, text, len, file)) < 0) {
            cr_free(text);
            return cli_fail(ctx, rc);
        }
        cr_free(text);
    }
    if ((rc = cr_term_lists_load(&l, ctx->store)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        code = cli_print_json(json_pack("{s:s,s:I,s:o}", "lists", cr_term_lists_names(l),
                                        "patterns", (json_int_t)cr_term_lists_count(l), "imported",
                                        file ? json_string(file) : json_null()));
    else
        printf("%sbrand-safety term lists: %s (%zu patterns)\n", file ? "imported; " : "",
               cr_term_lists_names(l), cr_term_lists_count(l));
    cr_term_lists_free(l);
    return code;
}

static int vet_benchmarks(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = { { "import", required_argument, NULL, 'i' },
                                              { "use", no_argument, NULL, 'u' },
                                              { "name", required_argument, NULL, 'n' },
                                              { NULL, 0, NULL, 0 } };
    cr_benchmark_table *t = NULL;
    const char *file = NULL, *name = NULL;
    char *text = NULL;
    size_t len, i;
    int c, use = 0, code;
    json_t *rows;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'i')
            file = optarg;
        else if (c == 'u')
            use = 1;
        else if (c == 'n')
            name = optarg;
        else
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (file) {
        if ((rc = cli_read_doc(&text, &len, file)) < 0 ||
            (rc = cr_benchmark_table_parse(&t, text, len, file)) < 0 ||
            (rc = cr_benchmark_table_save(ctx->store, t, text, use)) < 0)
            goto done;
        name = t->name;
    } else if (use && name) {
        if ((rc = cr_benchmark_table_load(&t, ctx->store, name)) < 0 ||
            (rc = cr_store_setting_set(ctx->store, "benchmarks.active", name)) < 0)
            goto done;
    } else if (use) {
        return cli_usage(ctx, "--use needs --import FILE or --name NAME");
    }
    if (t == NULL && (rc = cr_benchmark_table_load(&t, ctx->store, name)) < 0)
        goto done;
    if (ctx->json) {
        rows = json_array();
        for (i = 0; i < t->nrows; i++)
            json_array_append_new(
                rows, json_pack("{s:s,s:s,s:f,s:f,s:s,s:o}", "platform", t->rows[i].platform,
                                "tier", t->rows[i].tier, "low", t->rows[i].low, "high",
                                t->rows[i].high, "definition", t->rows[i].definition, "note",
                                t->rows[i].note ? json_string(t->rows[i].note) : json_null()));
        code = cli_print_json(json_pack("{s:s,s:s,s:s,s:o}", "name", t->name, "source", t->source,
                                        "tier_scheme", t->tier_scheme, "benchmarks", rows));
    } else {
        printf("%s (tiers: %s)\n%s\n\n", t->name, t->tier_scheme, t->source);
        printf("  %-10s %-7s %13s  %s\n", "platform", "tier", "range", "definition");
        for (i = 0; i < t->nrows; i++)
            printf("  %-10s %-7s %5.2f%%-%5.2f%%  %s%s%s\n", t->rows[i].platform, t->rows[i].tier,
                   100 * t->rows[i].low, 100 * t->rows[i].high, t->rows[i].definition,
                   t->rows[i].note ? "  " : "", t->rows[i].note ? t->rows[i].note : "");
    }
    rc = CR_OK;
done:
    cr_free(text);
    cr_benchmark_table_free(t);
    return rc < 0 ? cli_fail(ctx, rc) : code;
}

static const cli_cmd vet_terms_cmd = {
    .name = "terms",
    .summary = "Brand-safety term lists: show them, or import a workspace list",
    .usage = "crest vet terms [--import FILE] [--json]",
    .help = "Captions are matched against every built-in list (data/brandsafety/) and every\n"
            "imported one: YAML with name, source and categories of PCRE2 patterns\n"
            "(case-insensitive); docs/vetting.md. Importing a list of the same name again\n"
            "replaces it.\n\n"
            "Options:\n"
            "  --import FILE  store this list in the workspace\n",
    .run = vet_terms,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd vet_benchmarks_cmd = {
    .name = "benchmarks",
    .summary = "Engagement-rate benchmark tables: show one, import one, choose the active one",
    .usage = "crest vet benchmarks [--name NAME] [--import FILE] [--use] [--json]",
    .help = "A table holds the typical engagement-rate range per platform and tier with its\n"
            "definition (per_follower, per_view, per_reach, per_impression) and source;\n"
            "built in: untapper-2026 (default), hypeauditor-2026. Format: docs/vetting.md.\n\n"
            "Options:\n"
            "  --name NAME    show this table (default: the active one)\n"
            "  --import FILE  store a table (a stored name never changes)\n"
            "  --use          make the imported or named table the active one\n",
    .run = vet_benchmarks,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const vet_subcmds[] = { &vet_followers_cmd, &vet_terms_cmd,
                                              &vet_benchmarks_cmd, NULL };

const cli_cmd cmd_vet = {
    .name = "vet",
    .summary = "Vet creators: Audience Quality Score with its interval, reasons and verdict",
    .usage = "crest vet @handle|--all [--campaign NAME|ID] [--followers FILE] [--benchmarks NAME]\n"
             "       [--no-save] [--json]",
    .help = "Scores a creator's audience quality from 0 to 100 with a 95% bootstrap interval:\n"
            "engagement rate against the tier benchmark (shrunk toward it when posts are few),\n"
            "likes per comment against the workspace's typical, follower-growth spikes (robust\n"
            "z-score of daily changes, with their dates), a follower sample when given, and\n"
            "comment quality (spam classifier, generic and copied comments, commenter rings).\n"
            "Prints the top reasons, the follower and engagement risk and the verdict for the\n"
            "campaign's goal (awareness: high follower or engagement risk disqualifies; other\n"
            "goals: high engagement risk does), and brand-safety matches in captions. Flags are\n"
            "evidence for a person to judge, never final verdicts. The result is kept as the\n"
            "creator's last vetting (setting vet:<id>), and the verdict is recorded as a\n"
            "recommendation to accept, override or escalate (its id is printed; recorded once\n"
            "while undecided: docs/program.md). How each number is computed: docs/vetting.md.\n\n"
            "Options:\n"
            "  --all              vet every creator (a table; --json: one summary each)\n"
            "  --campaign REF     judge for this campaign's primary goal\n"
            "  --followers FILE   a CSV sample of the creator's followers (see vet followers)\n"
            "  --benchmarks NAME  the engagement benchmark table (default: the active one)\n"
            "  --no-save          do not keep the result nor record the recommendation\n",
    .run = vet_creator,
    .subcmds = vet_subcmds,
    .flags = CLI_F_NEEDS_STORE,
};
