/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_model.c - `crest model train|eval|cv KIND`: fit a model on labelled files, print a
 * model's metrics on any labelled file in the data set's own format, cross-validate. The
 * figures in docs/models.md are what these commands print. Without --data, cv reads the data
 * sets from ../shared/data (or $CREST_SHARED_DATA). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"

#define MAX_DATA 8

typedef struct {
    cr_model_kind kind;
    const char *data[MAX_DATA];
    size_t ndata;
    const char *labels, *out, *model, *date;
    char paths[MAX_DATA][1024];
} model_args;

static int parse_args(cli_ctx *ctx, model_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "data", required_argument, NULL, 'd' }, { "labels", required_argument, NULL, 'l' },
        { "out", required_argument, NULL, 'o' },  { "model", required_argument, NULL, 'm' },
        { "date", required_argument, NULL, 't' }, { NULL, 0, NULL, 0 }
    };
    int c, code;

    memset(a, 0, sizeof(*a));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'd') {
            if (a->ndata == MAX_DATA)
                return cli_usage(ctx, "at most %d --data files", MAX_DATA);
            a->data[a->ndata++] = optarg;
        } else if (c == 'l') {
            a->labels = optarg;
        } else if (c == 'o') {
            a->out = optarg;
        } else if (c == 'm') {
            a->model = optarg;
        } else if (c == 't') {
            a->date = optarg;
        } else {
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "KIND")) != CLI_EXIT_OK)
        return code;
    if (cr_model_kind_parse(&a->kind, argv[optind]) < 0)
        return cli_usage(ctx, "%s", cr_error_last()->message);
    return CLI_EXIT_OK;
}

/* The shared data sets' training files, when no --data is given. */
static void default_data(model_args *a)
{
    static const char *const spam[] = { "Youtube01-Psy.csv", "Youtube02-KatyPerry.csv",
                                        "Youtube03-LMFAO.csv", "Youtube04-Eminem.csv" };
    const char *root = getenv("CREST_SHARED_DATA");
    size_t i;

    if (root == NULL || root[0] == '\0')
        root = "../shared/data";
    switch (a->kind) {
    case CR_MODEL_FOLLOWERS:
        snprintf(a->paths[0], sizeof(a->paths[0]),
                 "%s/srf-instagram-fake-followers/labelled_1000_inclprivate.csv", root);
        a->ndata = 1;
        break;
    case CR_MODEL_SPAM:
        for (i = 0; i < 4; i++)
            snprintf(a->paths[i], sizeof(a->paths[i]), "%s/youtube-spam-collection/%s", root,
                     spam[i]);
        a->ndata = 4;
        break;
    case CR_MODEL_SENTIMENT:
        snprintf(a->paths[0], sizeof(a->paths[0]), "%s/tweeteval-sentiment/val_text.txt", root);
        snprintf(a->paths[1], sizeof(a->paths[1]), "%s/tweeteval-sentiment/val_labels.txt", root);
        a->ndata = 1;
        a->labels = a->paths[1];
        break;
    default:
        snprintf(a->paths[0], sizeof(a->paths[0]), "%s/instafake-engagement/accounts.json", root);
        a->ndata = 1;
        break;
    }
    for (i = 0; i < a->ndata; i++)
        a->data[i] = a->paths[i];
}

/* the file list the library takes: sentiment is TEXT then LABELS */
static size_t file_list(const char **files, const model_args *a)
{
    size_t i, n = 0;

    for (i = 0; i < a->ndata; i++)
        files[n++] = a->data[i];
    if (a->kind == CR_MODEL_SENTIMENT && a->labels)
        files[n++] = a->labels;
    return n;
}

static cr_err load_model(cr_model **out, const model_args *a)
{
    cr_err rc;

    if (a->model == NULL)
        return cr_model_builtin(out, a->kind);
    rc = cr_model_read(out, a->model);
    if (rc >= 0 && cr_model_get_kind(*out) != a->kind) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s: field kind: expected %s, found %s",
                          a->model, cr_model_kind_name(a->kind),
                          cr_model_kind_name(cr_model_get_kind(*out)));
        cr_model_free(*out);
        *out = NULL;
    }
    return rc;
}

static json_t *set_json(const cr_model_metrics *m, cr_model_kind kind)
{
    switch (kind) {
    case CR_MODEL_FOLLOWERS:
    case CR_MODEL_SPAM:
        return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f}", "name", m->name, "n",
                         (json_int_t)m->n, "tp", (json_int_t)m->tp, "tn", (json_int_t)m->tn, "fp",
                         (json_int_t)m->fp, "fn", (json_int_t)m->fn, "accuracy", m->accuracy,
                         "sensitivity", m->sensitivity, "specificity", m->specificity, "auc",
                         m->auc);
    case CR_MODEL_SENTIMENT:
        return json_pack("{s:s,s:I,s:f,s:{s:f,s:f,s:f},s:f}", "name", m->name, "n",
                         (json_int_t)m->n, "macro_recall", m->macro_recall, "recall", "negative",
                         m->recall[0], "neutral", m->recall[1], "positive", m->recall[2],
                         "accuracy", m->accuracy);
    default:
        return json_pack("{s:s,s:I,s:I,s:f,s:f}", "name", m->name, "posts", (json_int_t)m->n,
                         "accounts", (json_int_t)m->accounts, "mape", m->mape, "coverage_80",
                         m->coverage);
    }
}

static void set_text(const cr_model_metrics *m, cr_model_kind kind)
{
    printf("%s\n", m->name);
    switch (kind) {
    case CR_MODEL_FOLLOWERS:
    case CR_MODEL_SPAM:
        printf("  n %zu  (TP %zu  TN %zu  FP %zu  FN %zu)\n", m->n, m->tp, m->tn, m->fp, m->fn);
        printf("  accuracy %.1f%%  sensitivity %.1f%%  specificity %.1f%%  AUC %.3f\n",
               m->accuracy * 100, m->sensitivity * 100, m->specificity * 100, m->auc);
        break;
    case CR_MODEL_SENTIMENT:
        printf("  n %zu  macro recall %.1f  (negative %.1f, neutral %.1f, positive %.1f)  "
               "accuracy %.1f%%\n",
               m->n, m->macro_recall * 100, m->recall[0] * 100, m->recall[1] * 100,
               m->recall[2] * 100, m->accuracy * 100);
        break;
    default:
        printf("  posts %zu of %zu accounts  MAPE %.1f%%  80%% interval coverage %.1f%%\n", m->n,
               m->accounts, m->mape * 100, m->coverage * 100);
        break;
    }
}

static int print_report(cli_ctx *ctx, const cr_model_report *r, const char *what)
{
    json_t *sets;
    size_t i;
    int binary = r->kind == CR_MODEL_FOLLOWERS || r->kind == CR_MODEL_SPAM;

    if (ctx->json) {
        if ((sets = json_array()) == NULL)
            return cli_fail(ctx, cr_error_oom());
        for (i = 0; i < r->nsets; i++)
            json_array_append_new(sets, set_json(&r->sets[i], r->kind));
        if (binary)
            return cli_print_json(json_pack("{s:s,s:s,s:f,s:o}", "kind",
                                            cr_model_kind_name(r->kind), "what", what, "threshold",
                                            r->threshold, "sets", sets));
        return cli_print_json(json_pack("{s:s,s:s,s:o}", "kind", cr_model_kind_name(r->kind),
                                        "what", what, "sets", sets));
    }
    printf("%s model, %s", cr_model_kind_name(r->kind), what);
    if (binary)
        printf(" (positive = %s, score cut-off %.4f)", r->kind == CR_MODEL_SPAM ? "spam" : "fake",
               r->threshold);
    printf("\n\n");
    for (i = 0; i < r->nsets; i++)
        set_text(&r->sets[i], r->kind);
    return CLI_EXIT_OK;
}

static int model_eval(cli_ctx *ctx, int argc, char **argv)
{
    cr_model_report rep;
    cr_model *m = NULL;
    model_args a;
    char what[1200];
    int code;
    cr_err rc;

    if ((code = parse_args(ctx, &a, argc, argv)) != CLI_EXIT_OK)
        return code;
    if (a.ndata != 1)
        return cli_usage(ctx, "one --data FILE is required");
    if (a.kind == CR_MODEL_SENTIMENT && a.labels == NULL)
        return cli_usage(ctx, "sentiment needs --data TEXT --labels LABELS");
    if ((rc = load_model(&m, &a)) < 0 || (rc = cr_model_eval(&rep, m, a.data[0], a.labels)) < 0) {
        cr_model_free(m);
        return cli_fail(ctx, rc);
    }
    snprintf(what, sizeof(what), "%s model evaluated on %s", a.model ? a.model : "shipped",
             a.data[0]);
    cr_model_free(m);
    return print_report(ctx, &rep, what);
}

static int model_cv(cli_ctx *ctx, int argc, char **argv)
{
    const char *files[MAX_DATA + 1];
    cr_model_report rep;
    model_args a;
    char what[64];
    int code;
    cr_err rc;

    if ((code = parse_args(ctx, &a, argc, argv)) != CLI_EXIT_OK)
        return code;
    if (a.ndata == 0)
        default_data(&a);
    if ((rc = cr_model_cv(&rep, a.kind, files, file_list(files, &a))) < 0)
        return cli_fail(ctx, rc);
    snprintf(what, sizeof(what), "cross-validated on %zu file%s", a.ndata, a.ndata == 1 ? "" : "s");
    return print_report(ctx, &rep, what);
}

static int model_train(cli_ctx *ctx, int argc, char **argv)
{
    cr_model_train_options opts = CR_MODEL_TRAIN_OPTIONS_INIT;
    const char *files[MAX_DATA + 1];
    cr_model *m = NULL;
    char *text = NULL;
    model_args a;
    FILE *f;
    int code;
    cr_err rc;

    if ((code = parse_args(ctx, &a, argc, argv)) != CLI_EXIT_OK)
        return code;
    if (a.ndata == 0)
        default_data(&a);
    opts.date = a.date;
    if ((rc = cr_model_train(&m, a.kind, files, file_list(files, &a), &opts)) < 0 ||
        (rc = cr_model_to_json(&text, m)) < 0) {
        cr_model_free(m);
        return cli_fail(ctx, rc);
    }
    cr_model_free(m);
    if (a.out == NULL) {
        printf("%s\n", text);
    } else {
        if ((f = fopen(a.out, "wb")) == NULL || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
            cr_model_text_free(text);
            return cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot write", a.out));
        }
        if (ctx->json)
            code = cli_print_json(
                json_pack("{s:s,s:s}", "kind", cr_model_kind_name(a.kind), "written", a.out));
        else
            printf("%s model written to %s\n", cr_model_kind_name(a.kind), a.out);
    }
    cr_model_text_free(text);
    return code;
}

static const cli_cmd model_train_cmd = {
    .name = "train",
    .summary = "Fit a model on labelled files (deterministic)",
    .usage = "crest model train followers|spam|sentiment [--data FILE]... [--labels LABELS] "
             "[--out FILE] [--date YYYY-MM-DD]",
    .help = "Writes the model as JSON (stdout, or --out FILE) with its provenance: training\n"
            "files and their sha256, the date (--date, else today) and cross-validated metrics.\n"
            "The same files give the same JSON: data/models/*.json are made this way.\n\n"
            "Options:\n"
            "  --data FILE      followers: an SRF CSV; spam: YouTube Spam Collection CSVs\n"
            "                   (repeat); sentiment: a TweetEval TEXT file; without --data,\n"
            "                   the data sets in ../shared/data ($CREST_SHARED_DATA)\n"
            "  --labels LABELS  sentiment: the TweetEval labels file\n"
            "  --out FILE       write the model there\n"
            "  --date DATE      the training date to record\n",
    .run = model_train,
};

static const cli_cmd model_eval_cmd = {
    .name = "eval",
    .summary = "A model's metrics on a labelled file in the data set's own format",
    .usage = "crest model eval KIND --data FILE [--labels LABELS] [--model JSON] [--json]",
    .help = "KIND and FILE: followers an SRF CSV (rating TRUE = fake); spam a YouTube Spam\n"
            "Collection CSV (CLASS 1 = spam); sentiment a TweetEval TEXT file with --labels;\n"
            "forecast an InstaFake engagement JSON (each post predicted from the posts before\n"
            "it: MAPE and the 80% interval's coverage).\n\n"
            "Options:\n"
            "  --model JSON   evaluate this model instead of the shipped one\n",
    .run = model_eval,
};

static const cli_cmd model_cv_cmd = {
    .name = "cv",
    .summary = "Cross-validate a model kind on its training data",
    .usage = "crest model cv followers|spam|sentiment [--data FILE]... [--labels LABELS] [--json]",
    .help = "followers: stratified 10-fold, tree depth and threshold chosen on the out-of-fold\n"
            "scores; nested 10-fold (depth and threshold chosen inside each training fold),\n"
            "then repeated 5 times with other folds and 5 more times on check seeds, each\n"
            "pooled (a minute or two); spam: stratified 10-fold over the files pooled, and\n"
            "each file (video) held out in turn; sentiment: stratified 10-fold, its figure on\n"
            "the tweets of odd lines (held back while the model was designed), and the 10-fold\n"
            "CV repeated 5 times with other folds. Without --data, the data sets in\n"
            "../shared/data.\n",
    .run = model_cv,
};

static const cli_cmd *const model_subcmds[] = { &model_cv_cmd, &model_eval_cmd, &model_train_cmd,
                                                NULL };

const cli_cmd cmd_model = {
    .name = "model",
    .summary = "Train, evaluate and cross-validate the vetting and forecast models",
    .subcmds = model_subcmds,
};
