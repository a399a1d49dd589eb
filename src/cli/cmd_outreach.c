/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_outreach.c - `crest outreach`: templates and their preview and lint, sequences,
 * enrolment, `run` (idempotent, cron-friendly) over a Maildir or SMTP transport, `sync` of
 * replies from a Maildir or an mbox, the queue, the pipeline board, states, notes, the
 * timeline, opt-outs, and AI drafts with their approval.
 *
 * The front end reads what libcrest may not: the environment (CREST_SMTP_USER,
 * CREST_SMTP_PASSWORD, CREST_LLM_BASE_URL, CREST_LLM_MODEL, CREST_LLM_API_KEY) and files. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "crest/mail.h"
#include "util/alloc.h"
#include "util/date.h"

#define MAX_CREATORS 100000

static int read_file(cli_ctx *ctx, char **out, const char *path)
{
    size_t len = 0;
    cr_err rc = cli_read_doc(out, &len, path);

    if (rc < 0)
        return cli_fail(ctx, rc);
    return CLI_EXIT_OK;
}

static const char *fmt_time(char *buf, size_t size, int64_t t)
{
    if (t <= 0)
        return "-";
    return cr_fmt_datetime(buf, size, t);
}

/* ---- config ---- */

static int outreach_config(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "set", required_argument, NULL, 's' },
                                        { NULL, 0, NULL, 0 } };
    cr_outreach_config cfg;
    char *text = NULL;
    int c, changed = 0, code;
    cr_err rc;

    if ((rc = cr_outreach_config_load(&cfg, ctx->store)) < 0)
        return cli_fail(ctx, rc);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        char key[64], *eq;

        if (c != 's')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        eq = strchr(optarg, '=');
        if (eq == NULL || (size_t)(eq - optarg) >= sizeof(key))
            return cli_usage(ctx, "--set: expected KEY=VALUE, found '%s'", optarg);
        snprintf(key, sizeof(key), "%.*s", (int)(eq - optarg), optarg);
        if ((rc = cr_outreach_config_set(&cfg, key, eq + 1)) < 0)
            return cli_fail(ctx, rc);
        changed = 1;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (changed && (rc = cr_outreach_config_save(ctx->store, &cfg)) < 0)
        return cli_fail(ctx, rc);
    if ((rc = cr_outreach_config_json(&text, &cfg)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json) {
        json_t *j = json_loads(text, 0, NULL);

        cr_outreach_text_free(text);
        return cli_print_json(j);
    }
    printf("from: %s <%s>\nunsubscribe: %s\nquiet hours: %02d:00-%02d:00 (creator's local "
           "time)\ndaily cap: %d (warm-up: %d on day 1, +%d a day)\nminimum gap per address: "
           "%d h\n",
           cfg.from_name, cfg.from_email, cfg.unsubscribe[0] ? cfg.unsubscribe : "(mailto:from)",
           cfg.quiet_start, cfg.quiet_end, cfg.daily_cap, cfg.warmup_start, cfg.warmup_step,
           cfg.min_gap_hours);
    cr_outreach_text_free(text);
    return CLI_EXIT_OK;
}

/* ---- templates ---- */

/* Parse `part` (which starts inside `file_text`) as it stands in the file: padded with the
 * newlines and spaces before it, so that an error's line and column are the file's. */
static cr_err check_one(const char *path, const char *file_text, const char *part, int html)
{
    size_t pad = (size_t)(part - file_text), n = strlen(part), i;
    char *buf = cr_malloc(pad + n + 1);
    cr_err rc;

    if (buf == NULL)
        return cr_error_oom();
    /* the subject's line end was cut at a NUL ("\r\n" at two): one newline each */
    for (i = 0; i < pad; i++)
        buf[i] =
            file_text[i] == '\n' || (file_text[i] == '\0' && file_text[i + 1] != '\0') ? '\n' : ' ';
    memcpy(buf + pad, part, n + 1);
    rc = cr_tpl_render(NULL, NULL, path, buf, pad + n, "{}", html);
    cr_free(buf);
    return rc;
}

static cr_err check_in_file(const char *path, const char *text, const char *subj, const char *body)
{
    cr_err rc = CR_OK;

    if (subj != NULL)
        rc = check_one(path, text, subj, 0);
    if (rc == CR_OK)
        rc = check_one(path, text, body, text == body ? 1 : 0);
    return rc;
}

static int template_add(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "subject", required_argument, NULL, 's' },
                                        { "html", required_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
    cr_outreach_template t;
    const char *subject = NULL, *html_path = NULL;
    char *text = NULL, *html = NULL, *body, *subj = NULL;
    int64_t id = 0;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 's':
            subject = optarg;
            break;
        case 'h':
            html_path = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 2, "NAME and FILE")) !=
        CLI_EXIT_OK)
        return code;
    if ((code = read_file(ctx, &text, argv[optind + 1])) != CLI_EXIT_OK)
        return code;
    if (html_path && (code = read_file(ctx, &html, html_path)) != CLI_EXIT_OK) {
        cr_free(text);
        return code;
    }
    body = text;
    /* "Subject: ..." on the first line, then a blank line, then the body */
    if (strncmp(text, "Subject:", 8) == 0) {
        char *nl = strchr(text, '\n'), *s = text + 8;

        while (*s == ' ')
            s++;
        if (nl != NULL) {
            *nl = '\0';
            if (nl > s && nl[-1] == '\r')
                nl[-1] = '\0';
            body = nl + 1;
            if (*body == '\r')
                body++;
            if (*body == '\n')
                body++;
        } else {
            body = s + strlen(s);
        }
        subj = s;
    }
    memset(&t, 0, sizeof(t));
    t.name = argv[optind];
    t.subject = subject ? subject : subj;
    t.text = body;
    t.html = html;
    if (t.subject == NULL) {
        cr_free(text);
        cr_free(html);
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "%s:1: expected a 'Subject: ...' first line (or "
                                          "--subject)",
                                          argv[optind + 1]));
    }
    /* syntax errors name the file, with the line and column in it */
    rc = check_in_file(argv[optind + 1], text, subject ? NULL : subj, body);
    if (rc == CR_OK && html_path)
        rc = check_in_file(html_path, html, NULL, html);
    if (rc == CR_OK)
        rc = cr_outreach_template_put(&id, ctx->store, &t);
    cr_free(text);
    cr_free(html);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", argv[optind]));
    if (!ctx->quiet)
        printf("template %s saved\n", argv[optind]);
    return CLI_EXIT_OK;
}

static cr_err template_json_row(const cr_outreach_template *t, void *payload)
{
    char a[32];

    json_array_append_new(payload, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s}", "id", (json_int_t)t->id,
                                             "name", t->name, "subject", t->subject, "text",
                                             t->text, "html", t->html, "updated_at",
                                             cr_fmt_datetime(a, sizeof(a), t->updated_at)));
    return CR_OK;
}

static int template_list_or_show(cli_ctx *ctx, int argc, char **argv, int show)
{
    json_t *arr = json_array(), *t;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, show ? 1 : 0, "a template NAME")) !=
        CLI_EXIT_OK) {
        json_decref(arr);
        return code;
    }
    if ((rc = cr_outreach_template_list(ctx->store, show ? argv[1] : NULL, template_json_row,
                                        arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json) {
        if (show) {
            t = json_incref(json_array_get(arr, 0));
            json_decref(arr);
            return cli_print_json(t);
        }
        return cli_print_json(arr);
    }
    json_array_foreach(arr, i, t)
    {
        if (show)
            printf("Subject: %s\n\n%s%s%s", json_string_value(json_object_get(t, "subject")),
                   json_string_value(json_object_get(t, "text")),
                   json_object_get(t, "html") ? "\n--- html ---\n" : "",
                   json_object_get(t, "html") ? json_string_value(json_object_get(t, "html")) : "");
        else
            printf("%-20s %s\n", json_string_value(json_object_get(t, "name")),
                   json_string_value(json_object_get(t, "subject")));
    }
    json_decref(arr);
    return CLI_EXIT_OK;
}

static int template_list(cli_ctx *ctx, int argc, char **argv)
{
    return template_list_or_show(ctx, argc, argv, 0);
}

static int template_show(cli_ctx *ctx, int argc, char **argv)
{
    return template_list_or_show(ctx, argc, argv, 1);
}

/* ---- preview and lint ---- */

static json_t *lint_json(const cr_tpl_lint *l)
{
    json_t *arr = json_array();
    size_t i;

    for (i = 0; i < l->count && i < CR_TPL_MAX_ISSUES; i++)
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:i,s:i,s:s}", "variable", l->issues[i].name,
                                        "part", l->issues[i].part[0] ? l->issues[i].part : "text",
                                        "line", l->issues[i].line, "column", l->issues[i].column,
                                        "problem", l->issues[i].empty ? "empty" : "missing"));
    return arr;
}

typedef struct {
    const char *tpl;
    int64_t campaign, now;
    int64_t *ids;
    size_t n;
    int all;
} target_opts;

static int preview_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "creator", required_argument, NULL, 'c' },
                                        { "campaign", required_argument, NULL, 'C' },
                                        { "now", required_argument, NULL, 'n' },
                                        { "html", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
    const char *creator = NULL, *campaign = NULL;
    char *subject = NULL, *text = NULL, *html = NULL;
    int64_t creator_id = 0, campaign_id = 0, now = cr_now();
    cr_tpl_lint lint;
    int c, code, show_html = 0;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'c':
            creator = optarg;
            break;
        case 'C':
            campaign = optarg;
            break;
        case 'n':
            if ((code = cli_parse_time(ctx, "--now", optarg, &now)) != CLI_EXIT_OK)
                return code;
            break;
        case 'h':
            show_html = 1;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a TEMPLATE")) != CLI_EXIT_OK)
        return code;
    if (creator == NULL)
        return cli_usage(ctx, "missing --creator @handle");
    if ((rc = cli_creator_ref(&creator_id, ctx, creator)) < 0 ||
        (campaign && (rc = cli_campaign_id(&campaign_id, ctx, campaign)) < 0))
        return cli_fail(ctx, rc);
    if ((rc = cr_outreach_preview(&subject, &text, &html, &lint, ctx->store, argv[optind],
                                  creator_id, campaign_id, now)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json) {
        code = cli_print_json(json_pack("{s:s,s:s,s:s,s:o}", "subject", subject, "text", text,
                                        "html", html, "lint", lint_json(&lint)));
    } else {
        printf("Subject: %s\n\n%s", subject, show_html ? html : text);
        if (lint.count > 0 && cr_tpl_lint_check(&lint, argv[optind]) < 0)
            fprintf(stderr, "%s: lint: %s\n", ctx->path, cr_error_last()->message);
        code = CLI_EXIT_OK;
    }
    cr_outreach_text_free(subject);
    cr_outreach_text_free(text);
    cr_outreach_text_free(html);
    return code;
}

typedef struct {
    int64_t *ids;
    size_t n, cap;
    int64_t campaign_id;
    int prospects_only; /* --all-in-campaign of enqueue: the creators not yet contacted */
} id_list;

static cr_err partnership_id_row(const cr_partnership *p, void *payload)
{
    id_list *l = payload;

    if (l->prospects_only && p->status && strcmp(p->status, "prospect") != 0)
        return CR_OK;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int64_t *ids = cr_realloc(l->ids, cap * sizeof(*ids));

        if (ids == NULL)
            return cr_error_oom();
        l->ids = ids;
        l->cap = cap;
    }
    l->ids[l->n++] = p->creator_id;
    return CR_OK;
}

static int add_creator(cli_ctx *ctx, id_list *l, const char *ref)
{
    cr_partnership p;
    int64_t id = 0;
    cr_err rc;

    if ((rc = cli_creator_ref(&id, ctx, ref)) < 0)
        return cli_fail(ctx, rc);
    if (l->n >= MAX_CREATORS)
        return cli_usage(ctx, "more than %d creators", MAX_CREATORS);
    memset(&p, 0, sizeof(p));
    p.creator_id = id;
    if (partnership_id_row(&p, l) < 0)
        return cli_fail(ctx, CR_ENOMEM);
    return CLI_EXIT_OK;
}

static int lint_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "creator", required_argument, NULL, 'c' },
                                        { "campaign", required_argument, NULL, 'C' },
                                        { "all-in-campaign", no_argument, NULL, 'a' },
                                        { "now", required_argument, NULL, 'n' },
                                        { NULL, 0, NULL, 0 } };
    id_list l = { NULL, 0, 0, 0, 0 };
    const char *campaign = NULL;
    int64_t now = cr_now();
    json_t *out = json_array();
    int c, code = CLI_EXIT_OK, all = 0, bad = 0;
    size_t i;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while (code == CLI_EXIT_OK && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'c':
            code = add_creator(ctx, &l, optarg);
            break;
        case 'C':
            campaign = optarg;
            break;
        case 'a':
            all = 1;
            break;
        case 'n':
            code = cli_parse_time(ctx, "--now", optarg, &now);
            break;
        default:
            code = cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (code == CLI_EXIT_OK)
        code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a TEMPLATE");
    if (code == CLI_EXIT_OK && campaign &&
        (rc = cli_campaign_id(&l.campaign_id, ctx, campaign)) < 0)
        code = cli_fail(ctx, rc);
    if (code == CLI_EXIT_OK && all) {
        if (l.campaign_id == 0)
            code = cli_usage(ctx, "--all-in-campaign needs --campaign");
        else if ((rc = cr_store_partnership_list(ctx->store, l.campaign_id, partnership_id_row,
                                                 &l)) < 0)
            code = cli_fail(ctx, rc);
    }
    if (code == CLI_EXIT_OK && l.n == 0)
        code = cli_usage(ctx, "missing --creator @handle (or --all-in-campaign)");
    for (i = 0; code == CLI_EXIT_OK && i < l.n; i++) {
        char *s = NULL, *t = NULL, *h = NULL;
        cr_tpl_lint lint;

        if ((rc = cr_outreach_preview(&s, &t, &h, &lint, ctx->store, argv[optind], l.ids[i],
                                      l.campaign_id, now)) < 0) {
            code = cli_fail(ctx, rc);
            break;
        }
        cr_outreach_text_free(s);
        cr_outreach_text_free(t);
        cr_outreach_text_free(h);
        if (lint.count == 0)
            continue;
        bad++;
        json_array_append_new(out, json_pack("{s:I,s:o}", "creator_id", (json_int_t)l.ids[i],
                                             "issues", lint_json(&lint)));
        if (!ctx->json && cr_tpl_lint_check(&lint, argv[optind]) < 0)
            fprintf(stderr, "%s: creator %lld: %s\n", ctx->path, (long long)l.ids[i],
                    cr_error_last()->message);
    }
    if (code == CLI_EXIT_OK) {
        if (ctx->json)
            cli_print_json(json_pack("{s:s,s:I,s:i,s:O}", "template", argv[optind], "checked",
                                     (json_int_t)l.n, "failed", bad, "problems", out));
        else if (!ctx->quiet)
            printf("%s: %zu creator(s) checked, %d with unfilled variables\n", argv[optind], l.n,
                   bad);
        code = bad ? cr_err_exit_code(CR_EINVALID) : CLI_EXIT_OK;
    }
    json_decref(out);
    cr_free(l.ids);
    return code;
}

/* ---- sequences ---- */

static int sequence_add(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "step", required_argument, NULL, 's' },
                                        { NULL, 0, NULL, 0 } };
    cr_outreach_sequence s;
    int64_t id = 0;
    int c, code;
    cr_err rc;

    memset(&s, 0, sizeof(s));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        char *colon, *end;
        long day;

        if (c != 's')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if (s.nsteps == CR_OUTREACH_MAX_STEPS)
            return cli_usage(ctx, "more than %d steps", CR_OUTREACH_MAX_STEPS);
        colon = strchr(optarg, ':');
        day = strtol(optarg, &end, 10);
        if (colon == NULL || end != colon || colon == optarg || colon[1] == '\0' ||
            strlen(colon + 1) >= sizeof(s.steps[0].template_name))
            return cli_usage(ctx, "--step: expected DAY:TEMPLATE such as 3:nudge, found '%s'",
                             optarg);
        s.steps[s.nsteps].step = (int)s.nsteps + 1;
        s.steps[s.nsteps].day = (int)day;
        snprintf(s.steps[s.nsteps].template_name, sizeof(s.steps[0].template_name), "%s",
                 colon + 1);
        s.nsteps++;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1,
                              "a sequence NAME (with --step) or a FILE")) != CLI_EXIT_OK)
        return code;
    if (s.nsteps == 0) {
        char *text = NULL;

        if ((code = read_file(ctx, &text, argv[optind])) != CLI_EXIT_OK)
            return code;
        rc = cr_outreach_sequence_parse(&s, text, strlen(text), argv[optind]);
        cr_free(text);
        if (rc < 0)
            return cli_fail(ctx, rc);
    } else {
        if (strlen(argv[optind]) >= sizeof(s.name))
            return cli_usage(ctx, "the name is too long");
        snprintf(s.name, sizeof(s.name), "%s", argv[optind]);
    }
    if ((rc = cr_outreach_sequence_put(&id, ctx->store, &s)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s,s:I}", "id", (json_int_t)id, "name", s.name,
                                        "steps", (json_int_t)s.nsteps));
    if (!ctx->quiet)
        printf("sequence %s saved: %zu step(s)\n", s.name, s.nsteps);
    return CLI_EXIT_OK;
}

static cr_err sequence_json_row(const cr_outreach_sequence *s, void *payload)
{
    json_t *steps = json_array();
    size_t i;

    for (i = 0; i < s->nsteps; i++)
        json_array_append_new(steps,
                              json_pack("{s:i,s:i,s:s}", "step", s->steps[i].step, "day",
                                        s->steps[i].day, "template", s->steps[i].template_name));
    json_array_append_new(payload, json_pack("{s:I,s:s,s:o}", "id", (json_int_t)s->id, "name",
                                             s->name, "steps", steps));
    return CR_OK;
}

static int sequence_list_or_show(cli_ctx *ctx, int argc, char **argv, int show)
{
    json_t *arr = json_array(), *q, *st;
    size_t i, k;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, show ? 1 : 0, "a sequence NAME")) !=
        CLI_EXIT_OK) {
        json_decref(arr);
        return code;
    }
    if ((rc = cr_outreach_sequence_list(ctx->store, show ? argv[1] : NULL, sequence_json_row,
                                        arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json) {
        if (show) {
            q = json_incref(json_array_get(arr, 0));
            json_decref(arr);
            return cli_print_json(q);
        }
        return cli_print_json(arr);
    }
    json_array_foreach(arr, i, q)
    {
        printf("%s:", json_string_value(json_object_get(q, "name")));
        json_array_foreach(json_object_get(q, "steps"), k, st)
        {
            printf(" %sday +%lld %s", k ? "-> " : "",
                   (long long)json_integer_value(json_object_get(st, "day")),
                   json_string_value(json_object_get(st, "template")));
        }
        printf("\n");
    }
    json_decref(arr);
    return CLI_EXIT_OK;
}

static int sequence_list(cli_ctx *ctx, int argc, char **argv)
{
    return sequence_list_or_show(ctx, argc, argv, 0);
}

static int sequence_show(cli_ctx *ctx, int argc, char **argv)
{
    return sequence_list_or_show(ctx, argc, argv, 1);
}

/* ---- enqueue ---- */

static int enqueue_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "sequence", required_argument, NULL, 's' },
                                        { "campaign", required_argument, NULL, 'C' },
                                        { "creator", required_argument, NULL, 'c' },
                                        { "all-in-campaign", no_argument, NULL, 'a' },
                                        { "draft", required_argument, NULL, 'd' },
                                        { "now", required_argument, NULL, 'n' },
                                        { NULL, 0, NULL, 0 } };
    id_list l = { NULL, 0, 0, 0, 0 };
    const char *sequence = NULL, *campaign = NULL;
    int64_t now = cr_now(), enrolled = 0, skipped = 0, draft = 0, mid = 0;
    int c, code = CLI_EXIT_OK, all = 0;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while (code == CLI_EXIT_OK && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 's':
            sequence = optarg;
            break;
        case 'C':
            campaign = optarg;
            break;
        case 'c':
            code = add_creator(ctx, &l, optarg);
            break;
        case 'a':
            all = 1;
            break;
        case 'd':
            code = cli_parse_id(ctx, "--draft", optarg, &draft);
            break;
        case 'n':
            code = cli_parse_time(ctx, "--now", optarg, &now);
            break;
        default:
            code = cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (code == CLI_EXIT_OK)
        code = cli_want_args(ctx, argc - optind, argv + optind, 0, "");
    if (code == CLI_EXIT_OK && draft > 0) {
        if ((rc = cr_outreach_draft_enqueue(&mid, ctx->store, draft, now)) < 0)
            code = cli_fail(ctx, rc);
        else if (ctx->json)
            code = cli_print_json(
                json_pack("{s:I,s:I}", "draft", (json_int_t)draft, "queued", (json_int_t)mid));
        else if (!ctx->quiet)
            printf("draft %lld queued as message %lld\n", (long long)draft, (long long)mid);
        cr_free(l.ids);
        return code;
    }
    if (code == CLI_EXIT_OK && (sequence == NULL || campaign == NULL))
        code = cli_usage(ctx, "missing --sequence S and --campaign ID (or --draft ID)");
    if (code == CLI_EXIT_OK && (rc = cli_campaign_id(&l.campaign_id, ctx, campaign)) < 0)
        code = cli_fail(ctx, rc);
    l.prospects_only = 1;
    if (code == CLI_EXIT_OK && all &&
        (rc = cr_store_partnership_list(ctx->store, l.campaign_id, partnership_id_row, &l)) < 0)
        code = cli_fail(ctx, rc);
    if (code == CLI_EXIT_OK && l.n == 0)
        code = all ? cli_fail(ctx, cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                                                "no prospect in campaign %s", campaign))
                   : cli_usage(ctx, "missing --creator @handle (or --all-in-campaign)");
    if (code == CLI_EXIT_OK) {
        if ((rc = cr_outreach_enqueue(&enrolled, &skipped, ctx->store, sequence, l.campaign_id,
                                      l.ids, l.n, now)) < 0)
            code = cli_fail(ctx, rc);
        else if (ctx->json)
            code = cli_print_json(json_pack("{s:s,s:I,s:I,s:I}", "sequence", sequence,
                                            "campaign_id", (json_int_t)l.campaign_id, "enrolled",
                                            (json_int_t)enrolled, "skipped", (json_int_t)skipped));
        else if (!ctx->quiet)
            printf("%lld enrolled in %s, %lld skipped (opted out, no email, closed or already "
                   "enrolled)\n",
                   (long long)enrolled, sequence, (long long)skipped);
    }
    cr_free(l.ids);
    return code;
}

/* ---- run ---- */

static int run_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "now", required_argument, NULL, 'n' },
                                        { "transport", required_argument, NULL, 't' },
                                        { "dry-run", no_argument, NULL, 'd' },
                                        { NULL, 0, NULL, 0 } };
    cr_mail_transport_opts topts = CR_MAIL_TRANSPORT_OPTS_INIT;
    cr_outreach_run_stats s;
    cr_mail_transport *tr = NULL;
    const char *transport = "maildir:outbox";
    int64_t now = cr_now();
    int c, code, dry = 0;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((code = cli_parse_time(ctx, "--now", optarg, &now)) != CLI_EXIT_OK)
                return code;
            break;
        case 't':
            transport = optarg;
            break;
        case 'd':
            dry = 1;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (!dry) {
        topts.user = getenv("CREST_SMTP_USER");
        topts.password = getenv("CREST_SMTP_PASSWORD");
        if (topts.user && *topts.user == '\0')
            topts.user = NULL;
        topts.require_tls = getenv("CREST_SMTP_REQUIRE_TLS") != NULL &&
                            strcmp(getenv("CREST_SMTP_REQUIRE_TLS"), "1") == 0;
        if ((rc = cr_mail_transport_open(&tr, transport, &topts)) < 0)
            return cli_fail(ctx, rc);
    }
    rc = cr_outreach_run(&s, ctx->store, now, dry, dry ? NULL : cr_outreach_send_mail, tr);
    cr_mail_transport_free(tr);
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json) {
        code = cli_print_json(
            json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "dry_run", dry, "queued",
                      (json_int_t)s.queued, "sent", (json_int_t)s.sent, "failed",
                      (json_int_t)s.failed, "blocked", (json_int_t)s.blocked, "stopped",
                      (json_int_t)s.stopped, "quiet", (json_int_t)s.quiet, "capped",
                      (json_int_t)s.capped, "gap", (json_int_t)s.gap, "cap", (json_int_t)s.cap));
        /* a failed send fails the command with --json too (cron sees it) */
        return code == CLI_EXIT_OK && s.failed > 0 ? CLI_EXIT_FAILURE : code;
    }
    if (!ctx->quiet)
        printf("%s%lld queued, %lld sent, %lld failed, %lld blocked by the lint, %lld stopped; "
               "held: %lld quiet hours, %lld over today's cap of %lld, %lld inside the gap\n",
               dry ? "dry run: " : "", (long long)s.queued, (long long)s.sent, (long long)s.failed,
               (long long)s.blocked, (long long)s.stopped, (long long)s.quiet, (long long)s.capped,
               (long long)s.cap, (long long)s.gap);
    return s.failed > 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

/* ---- sync ---- */

typedef struct {
    cr_store *st;
    int64_t now;
    int64_t read, matched, replies, bounces;
} sync_ctx;

static cr_err sync_one(const cr_mail_incoming *m, void *payload)
{
    sync_ctx *s = payload;
    cr_outreach_reply r;
    int matched = 0;
    cr_err rc;

    memset(&r, 0, sizeof(r));
    r.message_id = m->message_id;
    r.in_reply_to = m->in_reply_to;
    r.references = m->references;
    r.original_message_id = m->original_message_id;
    r.from = m->from_addr && *m->from_addr ? m->from_addr : m->from;
    r.subject = m->subject;
    r.text = m->excerpt;
    r.date = m->date;
    r.bounce = m->kind == CR_MAIL_BOUNCE;
    r.auto_reply = m->kind == CR_MAIL_AUTO_REPLY;
    s->read++;
    if ((rc = cr_outreach_sync_reply(&matched, s->st, &r, s->now)) < 0)
        return rc;
    if (matched) {
        s->matched++;
        if (r.bounce)
            s->bounces++;
        else
            s->replies++;
    }
    return CR_OK;
}

static int sync_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "now", required_argument, NULL, 'n' },
                                        { NULL, 0, NULL, 0 } };
    sync_ctx s;
    int c, code;
    cr_err rc;

    memset(&s, 0, sizeof(s));
    s.st = ctx->store;
    s.now = cr_now();
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        if (c != 'n')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        if ((code = cli_parse_time(ctx, "--now", optarg, &s.now)) != CLI_EXIT_OK)
            return code;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a MAILDIR or MBOX")) !=
        CLI_EXIT_OK)
        return code;
    if ((rc = cr_mail_read(argv[optind], sync_one, &s)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:I,s:I,s:I,s:I}", "mailbox", argv[optind], "read",
                                        (json_int_t)s.read, "matched", (json_int_t)s.matched,
                                        "replies", (json_int_t)s.replies, "bounces",
                                        (json_int_t)s.bounces));
    if (!ctx->quiet)
        printf("%s: %lld message(s) read, %lld answer crest's messages (%lld replies, %lld "
               "bounces)\n",
               argv[optind], (long long)s.read, (long long)s.matched, (long long)s.replies,
               (long long)s.bounces);
    return CLI_EXIT_OK;
}

/* ---- queue, pipeline, timeline ---- */

static cr_err queue_row(const cr_outreach_queued *q, void *payload)
{
    char a[32], b[32];

    json_array_append_new(
        payload, json_pack("{s:I,s:I,s:s,s:s?,s:i,s:s,s:s,s:s,s:s,s:s?,s:s,s:s}", "id",
                           (json_int_t)q->id, "creator_id", (json_int_t)q->creator_id, "handle",
                           q->handle, "sequence", q->sequence, "step", q->step, "to", q->to_email,
                           "subject", q->subject, "status", q->status, "message_id", q->message_id,
                           "error", q->error, "due_at", fmt_time(a, sizeof(a), q->due_at),
                           "sent_at", fmt_time(b, sizeof(b), q->sent_at)));
    return CR_OK;
}

static int queue_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "status", required_argument, NULL, 's' },
                                        { NULL, 0, NULL, 0 } };
    const char *status = NULL;
    json_t *arr = json_array(), *q;
    size_t i;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        if (c != 's') {
            json_decref(arr);
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
        status = optarg;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK ||
        (rc = cr_outreach_queue_list(ctx->store, status, queue_row, arr)) < 0) {
        json_decref(arr);
        return code != CLI_EXIT_OK ? code : cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(arr);
    json_array_foreach(arr, i, q)
    {
        printf("%5lld  %-8s  step %lld  @%-24s %-32s %s%s%s\n",
               (long long)json_integer_value(json_object_get(q, "id")),
               json_string_value(json_object_get(q, "status")),
               (long long)json_integer_value(json_object_get(q, "step")),
               json_string_value(json_object_get(q, "handle")),
               json_string_value(json_object_get(q, "to")),
               json_string_value(json_object_get(q, "sent_at")),
               json_string_value(json_object_get(q, "error")) ? "  " : "",
               json_string_value(json_object_get(q, "error"))
                   ? json_string_value(json_object_get(q, "error"))
                   : "");
    }
    json_decref(arr);
    return CLI_EXIT_OK;
}

static cr_err card_row(const cr_outreach_card *c, void *payload)
{
    char a[32];

    json_array_append_new(payload,
                          json_pack("{s:I,s:s,s:I,s:s,s:s,s:s?,s:s,s:s}", "campaign_id",
                                    (json_int_t)c->campaign_id, "campaign", c->campaign,
                                    "creator_id", (json_int_t)c->creator_id, "platform",
                                    c->platform, "handle", c->handle, "name", c->name, "state",
                                    c->state, "updated_at", fmt_time(a, sizeof(a), c->updated_at)));
    return CR_OK;
}

static int pipeline_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "campaign", required_argument, NULL, 'C' },
                                        { NULL, 0, NULL, 0 } };
    json_t *arr = json_array(), *x;
    int64_t campaign_id = 0;
    size_t i;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        if (c != 'C') {
            json_decref(arr);
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
        if ((rc = cli_campaign_id(&campaign_id, ctx, optarg)) < 0) {
            json_decref(arr);
            return cli_fail(ctx, rc);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK ||
        (rc = cr_outreach_pipeline(ctx->store, campaign_id, card_row, arr)) < 0) {
        json_decref(arr);
        return code != CLI_EXIT_OK ? code : cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(arr);
    json_array_foreach(arr, i, x)
    {
        printf("%-12s %-24s %s/%s\n", json_string_value(json_object_get(x, "state")),
               json_string_value(json_object_get(x, "campaign")),
               json_string_value(json_object_get(x, "platform")),
               json_string_value(json_object_get(x, "handle")));
    }
    json_decref(arr);
    return CLI_EXIT_OK;
}

/* `state @h STATE`, `note @h TEXT`, `optout @h`, `timeline @h`. */
static int creator_cmd(cli_ctx *ctx, int argc, char **argv, int kind)
{
    static const struct option lo[] = { { "campaign", required_argument, NULL, 'C' },
                                        { "as", required_argument, NULL, 's' },
                                        { "now", required_argument, NULL, 'n' },
                                        { NULL, 0, NULL, 0 } };
    const char *as = NULL;
    int64_t creator_id = 0, campaign_id = 0, now = cr_now();
    int c, code, want = kind == 0 || kind == 1 ? 2 : 1;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'C':
            if ((rc = cli_campaign_id(&campaign_id, ctx, optarg)) < 0)
                return cli_fail(ctx, rc);
            break;
        case 's':
            as = optarg;
            break;
        case 'n':
            if ((code = cli_parse_time(ctx, "--now", optarg, &now)) != CLI_EXIT_OK)
                return code;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, want,
                              want == 2 ? "@handle and a value" : "@handle")) != CLI_EXIT_OK)
        return code;
    if ((rc = cli_creator_ref(&creator_id, ctx, argv[optind])) < 0)
        return cli_fail(ctx, rc);
    switch (kind) {
    case 0: /* state */
        if (campaign_id == 0 && strcmp(argv[optind + 1], "opted-out") != 0)
            return cli_usage(ctx, "missing --campaign ID");
        rc = cr_outreach_state_set(ctx->store, creator_id, campaign_id, argv[optind + 1],
                                   cli_acting_user(as), now);
        break;
    case 1: /* note */
        rc = cr_outreach_note(ctx->store, creator_id, campaign_id, argv[optind + 1],
                              cli_acting_user(as), now);
        break;
    case 2: /* optout */
        rc = cr_outreach_optout(ctx->store, creator_id,
                                cli_acting_user(as) ? cli_acting_user(as) : "manual", now);
        break;
    default:
        break;
    }
    if (rc < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s}", "creator_id", (json_int_t)creator_id, "ok",
                                        kind == 0   ? argv[optind + 1]
                                        : kind == 1 ? "noted"
                                                    : "opted-out"));
    if (!ctx->quiet)
        printf("%s: %s\n", argv[optind],
               kind == 0   ? argv[optind + 1]
               : kind == 1 ? "note added"
                           : "opted out (permanent)");
    return CLI_EXIT_OK;
}

static int state_run(cli_ctx *ctx, int argc, char **argv)
{
    return creator_cmd(ctx, argc, argv, 0);
}

static int note_run(cli_ctx *ctx, int argc, char **argv)
{
    return creator_cmd(ctx, argc, argv, 1);
}

static int optout_run(cli_ctx *ctx, int argc, char **argv)
{
    return creator_cmd(ctx, argc, argv, 2);
}

static cr_err event_row(const cr_outreach_event *e, void *payload)
{
    char a[32];

    json_array_append_new(payload,
                          json_pack("{s:s,s:s,s:s,s:s?,s:I}", "at", fmt_time(a, sizeof(a), e->at),
                                    "kind", e->kind, "detail", e->detail, "actor", e->actor,
                                    "campaign_id", (json_int_t)e->campaign_id));
    return CR_OK;
}

static int timeline_run(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = json_array(), *e;
    int64_t creator_id = 0;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 1, "@handle")) != CLI_EXIT_OK) {
        json_decref(arr);
        return code;
    }
    if ((rc = cli_creator_ref(&creator_id, ctx, argv[1])) < 0 ||
        (rc = cr_outreach_timeline(ctx->store, creator_id, event_row, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(arr);
    json_array_foreach(arr, i, e)
    {
        printf("%s  %-8s %s\n", json_string_value(json_object_get(e, "at")),
               json_string_value(json_object_get(e, "kind")),
               json_string_value(json_object_get(e, "detail")));
    }
    json_decref(arr);
    return CLI_EXIT_OK;
}

/* ---- drafts ---- */

static int draft_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "template", required_argument, NULL, 't' },
                                        { "creator", required_argument, NULL, 'c' },
                                        { "campaign", required_argument, NULL, 'C' },
                                        { "now", required_argument, NULL, 'n' },
                                        { NULL, 0, NULL, 0 } };
    cr_mail_draft_config cfg = CR_MAIL_DRAFT_CONFIG_INIT;
    cr_outreach_draft d;
    const char *tpl = NULL, *creator = NULL;
    char *prompt = NULL, *answer = NULL, *subject = NULL, *body, *s2 = NULL, *t2 = NULL, *h2 = NULL;
    int64_t creator_id = 0, campaign_id = 0, now = cr_now(), id = 0;
    cr_tpl_lint lint;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 't':
            tpl = optarg;
            break;
        case 'c':
            creator = optarg;
            break;
        case 'C':
            if ((rc = cli_campaign_id(&campaign_id, ctx, optarg)) < 0)
                return cli_fail(ctx, rc);
            break;
        case 'n':
            if ((code = cli_parse_time(ctx, "--now", optarg, &now)) != CLI_EXIT_OK)
                return code;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (tpl == NULL || creator == NULL)
        return cli_usage(ctx, "missing --template T and --creator @handle");
    cfg.base_url = getenv("CREST_LLM_BASE_URL");
    cfg.model = getenv("CREST_LLM_MODEL");
    cfg.api_key = getenv("CREST_LLM_API_KEY");
    if (cfg.base_url == NULL || *cfg.base_url == '\0' || cfg.model == NULL || *cfg.model == '\0')
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "AI drafting is off: set CREST_LLM_BASE_URL and "
                                          "CREST_LLM_MODEL (and CREST_LLM_API_KEY if the "
                                          "endpoint needs one)"));
    if ((rc = cli_creator_ref(&creator_id, ctx, creator)) < 0)
        return cli_fail(ctx, rc);
    /* the template's own rendering must pass the lint first: the model gets only real fields */
    if ((rc = cr_outreach_preview(&s2, &t2, &h2, &lint, ctx->store, tpl, creator_id, campaign_id,
                                  now)) < 0 ||
        (rc = cr_tpl_lint_check(&lint, tpl)) < 0 ||
        (rc = cr_outreach_draft_prompt(&prompt, ctx->store, tpl, creator_id, campaign_id, now)) <
            0 ||
        (rc = cr_mail_draft(&answer, &cfg,
                            "You write short, honest outreach emails for a brand's creator "
                            "marketing team.",
                            prompt)) < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    /* "Subject: ..." then the body; without it, the template's subject */
    body = answer;
    while (*body == '\n' || *body == '\r' || *body == ' ')
        body++;
    if (strncmp(body, "Subject:", 8) == 0) {
        char *nl = strchr(body, '\n');

        subject = body + 8;
        while (*subject == ' ')
            subject++;
        if (nl) {
            *nl = '\0';
            if (nl > subject && nl[-1] == '\r')
                nl[-1] = '\0';
            body = nl + 1;
        } else {
            body = subject + strlen(subject);
        }
        while (*body == '\n' || *body == '\r')
            body++;
    } else {
        subject = s2;
    }
    memset(&d, 0, sizeof(d));
    d.creator_id = creator_id;
    d.campaign_id = campaign_id;
    d.template_name = tpl;
    d.subject = subject;
    d.text = body;
    d.model = cfg.model;
    d.created_at = now;
    if ((rc = cr_outreach_draft_add(&id, ctx->store, &d)) < 0) {
        code = cli_fail(ctx, rc);
        goto done;
    }
    if (ctx->json)
        code = cli_print_json(json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id, "status",
                                        "pending", "subject", subject, "text", body, "model",
                                        cfg.model));
    else {
        if (!ctx->quiet)
            printf("draft %lld (pending approval: crest outreach approve %lld --as EMAIL)\n"
                   "Subject: %s\n\n%s\n",
                   (long long)id, (long long)id, subject, body);
        code = CLI_EXIT_OK;
    }
done:
    cr_outreach_text_free(s2);
    cr_outreach_text_free(t2);
    cr_outreach_text_free(h2);
    cr_outreach_text_free(prompt);
    cr_mail_text_free(answer);
    return code;
}

static int approve_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = { { "as", required_argument, NULL, 's' },
                                        { NULL, 0, NULL, 0 } };
    const char *as = NULL;
    int64_t id = 0;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        if (c != 's')
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        as = optarg;
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a draft ID")) != CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[optind], &id)) != CLI_EXIT_OK)
        return code;
    if (cli_acting_user(as) == NULL)
        return cli_usage(ctx, "missing --as EMAIL (who approves)");
    if ((rc = cr_outreach_draft_approve(ctx->store, id, cli_acting_user(as), cr_now())) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "approved",
                                        "approved_by", cli_acting_user(as)));
    if (!ctx->quiet)
        printf("draft %lld approved by %s\n", (long long)id, cli_acting_user(as));
    return CLI_EXIT_OK;
}

static cr_err draft_row(const cr_outreach_draft *d, void *payload)
{
    char a[32];

    json_array_append_new(
        payload,
        json_pack("{s:I,s:I,s:I,s:s?,s:s,s:s,s:s,s:s?,s:s?,s:s}", "id", (json_int_t)d->id,
                  "creator_id", (json_int_t)d->creator_id, "campaign_id",
                  (json_int_t)d->campaign_id, "template", d->template_name, "subject", d->subject,
                  "text", d->text, "status", d->status, "model", d->model, "approved_by",
                  d->approved_by, "created_at", fmt_time(a, sizeof(a), d->created_at)));
    return CR_OK;
}

static int drafts_run(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = json_array(), *d;
    size_t i;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK ||
        (rc = cr_outreach_draft_list(ctx->store, 0, draft_row, arr)) < 0) {
        json_decref(arr);
        return code != CLI_EXIT_OK ? code : cli_fail(ctx, rc);
    }
    if (ctx->json)
        return cli_print_json(arr);
    json_array_foreach(arr, i, d)
    {
        printf("%5lld  %-8s  creator %lld  %s\n",
               (long long)json_integer_value(json_object_get(d, "id")),
               json_string_value(json_object_get(d, "status")),
               (long long)json_integer_value(json_object_get(d, "creator_id")),
               json_string_value(json_object_get(d, "subject")));
    }
    json_decref(arr);
    return CLI_EXIT_OK;
}

/* ---- the table ---- */

#define NEEDS CLI_F_NEEDS_STORE

static const cli_cmd o_config = {
    .name = "config",
    .summary = "Show or set the sender and the sending rules",
    .usage = "crest outreach config [--set KEY=VALUE]... [--json]",
    .help = "Keys: from_email, from_name, unsubscribe (mailto: or https: URL for\n"
            "List-Unsubscribe), quiet_start and quiet_end (local hours, default 21 and 8),\n"
            "daily_cap (200), warmup_start (20), warmup_step (20), min_gap_hours (48).\n"
            "Example:\n  crest outreach config --set from_email=team@brand.example "
            "--set 'from_name=Brand Team'\n",
    .run = outreach_config,
    .flags = NEEDS,
};
static const cli_cmd o_tpl_add = {
    .name = "add",
    .summary = "Add or replace a template from a file",
    .usage = "crest outreach template add NAME FILE [--subject S] [--html FILE] [--json]",
    .help = "FILE: 'Subject: ...' on the first line (or --subject), a blank line, then the\n"
            "plain-text body. --html gives an HTML body; without it the text is sent as HTML\n"
            "too. Variables: {{creator.first_name}}, {{post.url}}, {{offer.fee}}, ... (see\n"
            "docs/outreach.md); sections {{#post}}...{{/post}}, {{^post}}...{{/post}}.\n",
    .run = template_add,
    .flags = NEEDS,
};
static const cli_cmd o_tpl_list = {
    .name = "list",
    .summary = "List the templates",
    .usage = "crest outreach template list [--json]",
    .run = template_list,
    .flags = NEEDS,
};
static const cli_cmd o_tpl_show = {
    .name = "show",
    .summary = "Show a template",
    .usage = "crest outreach template show NAME [--json]",
    .run = template_show,
    .flags = NEEDS,
};
static const cli_cmd *const o_tpl_subcmds[] = { &o_tpl_add, &o_tpl_list, &o_tpl_show, NULL };
static const cli_cmd o_template = {
    .name = "template",
    .summary = "Message templates",
    .subcmds = o_tpl_subcmds,
};
static const cli_cmd o_preview = {
    .name = "preview",
    .summary = "Render a template for a creator (and report unfilled variables)",
    .usage = "crest outreach preview TEMPLATE --creator @h [--campaign ID] [--now T] [--html] "
             "[--json]",
    .run = preview_run,
    .flags = NEEDS,
};
static const cli_cmd o_lint = {
    .name = "lint",
    .summary = "Check a template fills for creators; exit 3 naming each unfilled variable",
    .usage = "crest outreach lint TEMPLATE (--creator @h... | --campaign ID --all-in-campaign) "
             "[--campaign ID] [--now T] [--json]",
    .run = lint_run,
    .flags = NEEDS,
};
static const cli_cmd o_seq_add = {
    .name = "add",
    .summary = "Add a sequence from flags or a YAML/JSON file",
    .usage = "crest outreach sequence add NAME --step DAY:TEMPLATE... | FILE [--json]",
    .help = "DAY: days after the previous step was sent (the first step: after enrolment).\n"
            "FILE (YAML or JSON): name: launch, steps: a list of {day, template}, e.g.\n"
            "  {\"name\": \"launch\", \"steps\": [{\"day\": 0, \"template\": \"intro\"}, ...]}\n"
            "Example:\n  crest outreach sequence add launch --step 0:intro --step 3:nudge "
            "--step 5:last-call\n",
    .run = sequence_add,
    .flags = NEEDS,
};
static const cli_cmd o_seq_list = {
    .name = "list",
    .summary = "List the sequences",
    .usage = "crest outreach sequence list [--json]",
    .run = sequence_list,
    .flags = NEEDS,
};
static const cli_cmd o_seq_show = {
    .name = "show",
    .summary = "Show a sequence",
    .usage = "crest outreach sequence show NAME [--json]",
    .run = sequence_show,
    .flags = NEEDS,
};
static const cli_cmd *const o_seq_subcmds[] = { &o_seq_add, &o_seq_list, &o_seq_show, NULL };
static const cli_cmd o_sequence = {
    .name = "sequence",
    .summary = "Follow-up sequences",
    .subcmds = o_seq_subcmds,
};
static const cli_cmd o_enqueue = {
    .name = "enqueue",
    .summary = "Enrol creators into a sequence for a campaign (or queue an approved draft)",
    .usage = "crest outreach enqueue --sequence S --campaign ID (--creator @h... | "
             "--all-in-campaign) [--now T] [--json]\n       crest outreach enqueue --draft ID "
             "[--now T] [--json]",
    .help = "--all-in-campaign takes the campaign's prospects (partnerships not yet contacted).\n"
            "Creators who opted out, have no email, declined, or are already enrolled are\n"
            "skipped. A draft must be approved first (crest outreach approve).\n",
    .run = enqueue_run,
    .flags = NEEDS,
};
static const cli_cmd o_run = {
    .name = "run",
    .summary = "Queue due steps and send what the rules allow (idempotent, for cron)",
    .usage = "crest outreach run [--now TIME] [--transport maildir:DIR|smtp://HOST:PORT|"
             "smtps://...] [--dry-run] [--json]",
    .help = "Default transport: maildir:outbox. SMTP credentials come from CREST_SMTP_USER and\n"
            "CREST_SMTP_PASSWORD; CREST_SMTP_REQUIRE_TLS=1 refuses a server without STARTTLS.\n"
            "Running it twice at the same --now sends nothing twice. Exit 1 when a send failed.\n",
    .run = run_run,
    .flags = NEEDS,
};
static const cli_cmd o_sync = {
    .name = "sync",
    .summary = "Read replies and bounces from a Maildir or an mbox; stop their sequences",
    .usage = "crest outreach sync MAILDIR|MBOX [--now T] [--json]",
    .help = "Messages are matched to sent ones by In-Reply-To and References (a bounce by the\n"
            "returned Message-ID). Nothing in the mailbox is changed; reading it again records\n"
            "nothing twice.\n",
    .run = sync_run,
    .flags = NEEDS,
};
static const cli_cmd o_queue = {
    .name = "queue",
    .summary = "The queue: every message with its status",
    .usage = "crest outreach queue [--status queued|sending|sent|failed|blocked|dropped] "
             "[--json]",
    .run = queue_run,
    .flags = NEEDS,
};
static const cli_cmd o_pipeline = {
    .name = "pipeline",
    .summary = "The pipeline board: partnerships by state",
    .usage = "crest outreach pipeline [--campaign ID] [--json]",
    .run = pipeline_run,
    .flags = NEEDS,
};
static const cli_cmd o_state = {
    .name = "state",
    .summary = "Move a creator's partnership to a state",
    .usage = "crest outreach state @h STATE --campaign ID [--as EMAIL] [--json]",
    .help = "States: prospect, contacted, replied, negotiating, contracted, live, completed,\n"
            "declined, opted-out. declined stops the creator's sequences in the campaign;\n"
            "opted-out is permanent.\n",
    .run = state_run,
    .flags = NEEDS,
};
static const cli_cmd o_note = {
    .name = "note",
    .summary = "Add a note to a creator's timeline",
    .usage = "crest outreach note @h TEXT [--campaign ID] [--as EMAIL] [--json]",
    .run = note_run,
    .flags = NEEDS,
};
static const cli_cmd o_timeline = {
    .name = "timeline",
    .summary = "A creator's timeline: messages, replies, states, notes",
    .usage = "crest outreach timeline @h [--json]",
    .run = timeline_run,
    .flags = NEEDS,
};
static const cli_cmd o_optout = {
    .name = "optout",
    .summary = "Opt a creator out, permanently",
    .usage = "crest outreach optout @h [--as EMAIL] [--json]",
    .run = optout_run,
    .flags = NEEDS,
};
static const cli_cmd o_draft = {
    .name = "draft",
    .summary = "Ask the configured AI endpoint for a draft (pending approval)",
    .usage = "crest outreach draft --template T --creator @h [--campaign ID] [--json]",
    .help = "Off unless CREST_LLM_BASE_URL and CREST_LLM_MODEL are set (an OpenAI-compatible\n"
            "endpoint such as llama.cpp or Ollama; CREST_LLM_API_KEY when it needs a key).\n"
            "The draft must pass the lint and be approved before it can be queued.\n",
    .run = draft_run,
    .flags = NEEDS,
};
static const cli_cmd o_drafts = {
    .name = "drafts",
    .summary = "List the drafts",
    .usage = "crest outreach drafts [--json]",
    .run = drafts_run,
    .flags = NEEDS,
};
static const cli_cmd o_approve = {
    .name = "approve",
    .summary = "Approve a draft",
    .usage = "crest outreach approve ID --as EMAIL [--json]",
    .run = approve_run,
    .flags = NEEDS,
};
static const cli_cmd *const outreach_subcmds[] = {
    &o_approve,  &o_config, &o_draft,    &o_drafts,   &o_enqueue,  &o_lint,
    &o_note,     &o_optout, &o_pipeline, &o_preview,  &o_queue,    &o_run,
    &o_sequence, &o_state,  &o_sync,     &o_template, &o_timeline, NULL,
};
const cli_cmd cmd_outreach = {
    .name = "outreach",
    .summary = "Outreach: templates, sequences, sending, replies, pipeline",
    .subcmds = outreach_subcmds,
};
