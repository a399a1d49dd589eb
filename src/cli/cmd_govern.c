/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_govern.c - who may override crest's AI recommendations: `crest training` (records per
 * person and area), `crest recommend` (the recommendations, accepting one, the authority
 * table), `crest override`, `crest escalate` and `crest audit` (the hash-chained log). The
 * acting person is --as EMAIL or CREST_USER, an account of `crest user`. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/date.h"
#include "util/num.h"

/* Options shared by the commands below: --as, --reason, --to, --score, --detail. */
typedef struct {
    const char *as, *reason, *to, *score, *detail;
    int rest; /* optind after parsing */
} gopts;

static int parse_gopts(cli_ctx *ctx, gopts *o, int argc, char **argv)
{
    static const struct option lo[] = {
        { "as", required_argument, NULL, 'a' },     { "reason", required_argument, NULL, 'r' },
        { "to", required_argument, NULL, 't' },     { "score", required_argument, NULL, 's' },
        { "detail", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'a':
            o->as = optarg;
            break;
        case 'r':
            o->reason = optarg;
            break;
        case 't':
            o->to = optarg;
            break;
        case 's':
            o->score = optarg;
            break;
        case 'd':
            o->detail = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    o->rest = optind;
    return CLI_EXIT_OK;
}

/* ---- crest training ---- */

static cr_err user_ok(const cr_user *u, void *payload)
{
    (void)u;
    (void)payload;
    return CR_OK;
}

static int training_record(cli_ctx *ctx, int argc, char **argv)
{
    gopts o;
    cr_training t;
    const char *why = "";
    int code;
    cr_err rc;

    if ((code = parse_gopts(ctx, &o, argc, argv)) != CLI_EXIT_OK ||
        (code = cli_want_args(ctx, argc - o.rest, argv + o.rest, 2, "USER and AREA")) !=
            CLI_EXIT_OK)
        return code;
    memset(&t, 0, sizeof(t));
    t.user = argv[o.rest];
    t.area = argv[o.rest + 1];
    t.status = "done";
    t.score = NAN;
    t.updated_at = cr_now();
    if (!cr_program_area_known(t.area))
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "AREA: expected mechanics, interpretation or "
                                          "escalation, found '%s'",
                                          t.area));
    if (o.score && cr_parse_decimal(&t.score, o.score, strlen(o.score), &why) < 0)
        return cli_usage(ctx, "--score: expected a number, found '%s'", o.score);
    if ((rc = cr_store_user_find(ctx->store, t.user, user_ok, NULL)) < 0 ||
        (rc = cr_store_training_set(ctx->store, &t)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:s,s:s,s:s}", "user", t.user, "area", t.area, "status", "done"));
    if (!ctx->quiet)
        printf("%s: %s training done\n", t.user, t.area);
    return CLI_EXIT_OK;
}

static cr_err training_row(const cr_training *t, void *payload)
{
    char d[16];

    if (payload == NULL) {
        printf("%-32s %-15s %-8s %s\n", t->user, t->area, t->status,
               cr_fmt_date(d, sizeof(d), t->updated_at));
        return CR_OK;
    }
    return json_array_append_new(payload,
                                 json_pack("{s:s,s:s,s:s,s:o,s:s}", "user", t->user, "area",
                                           t->area, "status", t->status, "score",
                                           isnan(t->score) ? json_null() : json_real(t->score),
                                           "updated", cr_fmt_date(d, sizeof(d), t->updated_at))) < 0
               ? cr_error_oom()
               : CR_OK;
}

static int training_list(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = NULL;
    cr_err rc;

    if (argc > 2)
        return cli_usage(ctx, "unexpected argument '%s'", argv[2]);
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_training_list(ctx->store, argc == 2 ? argv[1] : NULL, training_row, arr)) <
        0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

/* One answer per line (yes/no); blank lines and lines starting with '#' are skipped. */
static int training_check(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "answers", required_argument, NULL, 'a' },
        { "count", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    const char *answers = NULL, *user;
    json_t *qs, *q, *graded;
    char *text = NULL, line[64];
    int64_t count = 3;
    size_t i, right = 0, lineno = 0;
    int c, code;
    FILE *f = NULL;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'a':
            answers = optarg;
            break;
        case 'n':
            if ((code = cli_parse_count(ctx, "--count", optarg, &count)) != CLI_EXIT_OK)
                return code;
            if (count < 1 || count > 10)
                return cli_usage(ctx, "--count: expected 1 to 10, found %lld", (long long)count);
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "a USER")) != CLI_EXIT_OK)
        return code;
    user = argv[optind];
    if ((rc = cr_store_user_find(ctx->store, user, user_ok, NULL)) < 0 ||
        (rc = cr_program_training_questions(&text, ctx->store, (size_t)count)) < 0)
        return cli_fail(ctx, rc);
    qs = json_loads(text, 0, NULL);
    cr_program_text_free(text);
    if (qs == NULL)
        return cli_fail(ctx, cr_error_oom());
    if (answers == NULL) {
        /* the questions only; the answers stay out of sight */
        json_array_foreach(qs, i, q) json_object_del(q, "answer");
        if (ctx->json)
            return cli_print_json(qs);
        json_array_foreach(qs, i, q)
            printf("%zu. %s\n", i + 1, json_string_value(json_object_get(q, "text")));
        printf("\nAnswer with --answers FILE (one yes or no per line).\n");
        json_decref(qs);
        return CLI_EXIT_OK;
    }
    if ((f = fopen(answers, "r")) == NULL) {
        json_decref(qs);
        return cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot be read", answers));
    }
    graded = json_array();
    for (i = 0; i < json_array_size(qs);) {
        const char *want = json_string_value(json_object_get(json_array_get(qs, i), "answer"));
        size_t len;
        if (fgets(line, sizeof(line), f) == NULL)
            break;
        lineno++;
        len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (strcmp(line, "yes") != 0 && strcmp(line, "no") != 0) {
            fclose(f);
            json_decref(qs);
            json_decref(graded);
            return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                              "%s:%zu:1: answer %zu: expected yes or no, found "
                                              "'%s'",
                                              answers, lineno, i + 1, line));
        }
        right += strcmp(line, want) == 0;
        json_array_append_new(graded,
                              json_pack("{s:i,s:s,s:s,s:b}", "question", (int)i + 1, "given", line,
                                        "expected", want, "right", strcmp(line, want) == 0));
        i++;
    }
    fclose(f);
    if (i < json_array_size(qs)) {
        json_decref(qs);
        json_decref(graded);
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "%s: expected %zu answers, found %zu", answers,
                                          json_array_size(qs), i));
    }
    {
        cr_training t;
        int passed = right == json_array_size(qs);
        memset(&t, 0, sizeof(t));
        t.user = user;
        t.area = "interpretation";
        t.status = passed ? "done" : "started";
        t.score = (double)right / (double)json_array_size(qs);
        t.updated_at = cr_now();
        if ((rc = cr_store_training_set(ctx->store, &t)) < 0) {
            json_decref(qs);
            json_decref(graded);
            return cli_fail(ctx, rc);
        }
        if (ctx->json)
            code = cli_print_json(json_pack("{s:s,s:s,s:I,s:I,s:b,s:o}", "user", user, "area",
                                            "interpretation", "right", (json_int_t)right,
                                            "questions", (json_int_t)json_array_size(qs), "passed",
                                            passed, "answers", graded));
        else {
            printf("%s: %zu of %zu right; interpretation training %s\n", user, right,
                   json_array_size(qs), passed ? "done" : "not passed (all must be right)");
            json_decref(graded);
            code = CLI_EXIT_OK;
        }
        json_decref(qs);
        return passed ? code : CLI_EXIT_FAILURE;
    }
}

static const cli_cmd training_check_cmd = {
    .name = "check",
    .summary = "The interpretation check, from the workspace's own creators",
    .usage = "crest training check USER [--answers FILE] [--count N] [--json]",
    .help = "Without --answers: prints the questions (pairs of creators' Audience Quality\n"
            "Scores with their 95% intervals: do they differ beyond their intervals?). With\n"
            "--answers FILE (one yes or no per line): grades them; all right marks the\n"
            "person's interpretation training done (exit 1 otherwise).\n",
    .run = training_check,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd training_record_cmd = {
    .name = "record",
    .summary = "Record that a person completed a training area",
    .usage = "crest training record USER mechanics|interpretation|escalation [--score X] [--json]",
    .run = training_record,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd training_list_cmd = {
    .name = "list",
    .summary = "Training records, of everyone or one person",
    .usage = "crest training list [USER] [--json]",
    .run = training_list,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd *const training_subcmds[] = { &training_check_cmd, &training_list_cmd,
                                                   &training_record_cmd, NULL };
const cli_cmd cmd_training = {
    .name = "training",
    .summary = "Training per person: tool mechanics, interpretation, escalation",
    .subcmds = training_subcmds,
};

/* ---- crest recommend ---- */

static int recommend_add(cli_ctx *ctx, int argc, char **argv)
{
    gopts o;
    cr_recommendation r;
    int64_t id = 0;
    int code;
    cr_err rc;

    if ((code = parse_gopts(ctx, &o, argc, argv)) != CLI_EXIT_OK ||
        (code = cli_want_args(ctx, argc - o.rest, argv + o.rest, 3, "KIND, SUBJECT and VALUE")) !=
            CLI_EXIT_OK)
        return code;
    memset(&r, 0, sizeof(r));
    r.kind = argv[o.rest];
    r.subject = argv[o.rest + 1];
    r.value = argv[o.rest + 2];
    r.detail = o.detail;
    r.created_at = cr_now();
    if (!cr_program_kind_known(r.kind))
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "KIND: expected vetting_verdict, shortlist_rank, "
                                          "forecast or calibration_flag, found '%s'",
                                          r.kind));
    if ((rc = cr_store_recommendation_add(&id, ctx->store, &r)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "kind", r.kind));
    if (!ctx->quiet)
        printf("recommendation %lld (%s) recorded\n", (long long)id, r.kind);
    return CLI_EXIT_OK;
}

static cr_err rec_row(const cr_recommendation *r, void *payload)
{
    if (payload == NULL) {
        printf("%-5lld %-17s %-28s %-20s %-10s%s%s\n", (long long)r->id, r->kind, r->subject,
               r->value, r->status, r->escalated_to ? " to " : "",
               r->escalated_to ? r->escalated_to : "");
        return CR_OK;
    }
    return json_array_append_new(
               payload, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s,s:s?,s:s?}", "id", (json_int_t)r->id,
                                  "kind", r->kind, "subject", r->subject, "value", r->value,
                                  "detail", r->detail, "status", r->status, "escalated_to",
                                  r->escalated_to, "decided_by", r->decided_by)) < 0
               ? cr_error_oom()
               : CR_OK;
}

static int recommend_list(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = NULL;
    const char *status = NULL;
    cr_err rc;

    if (argc > 2)
        return cli_usage(ctx, "unexpected argument '%s'", argv[2]);
    if (argc == 2)
        status = argv[1];
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_recommendation_list(ctx->store, 0, status, rec_row, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

static int recommend_accept(cli_ctx *ctx, int argc, char **argv)
{
    gopts o;
    int64_t id;
    int code;
    cr_err rc;

    if ((code = parse_gopts(ctx, &o, argc, argv)) != CLI_EXIT_OK ||
        (code = cli_want_args(ctx, argc - o.rest, argv + o.rest, 2, "KIND and ID")) !=
            CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[o.rest + 1], &id)) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_decide(ctx->store, argv[o.rest], id, cli_acting_user(o.as), NULL, o.reason,
                                1, cr_now())) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", "accepted"));
    return CLI_EXIT_OK;
}

static cr_err authority_row(const cr_authority *a, void *payload)
{
    if (payload == NULL) {
        printf("%-17s %-9s %s\n", a->kind, a->role, a->area);
        return CR_OK;
    }
    return json_array_append_new(payload, json_pack("{s:s,s:s,s:s}", "kind", a->kind, "role",
                                                    a->role, "training", a->area)) < 0
               ? cr_error_oom()
               : CR_OK;
}

static int recommend_authority(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = NULL;
    cr_authority a;
    cr_err rc;

    if (argc != 1 && argc != 3 && argc != 4)
        return cli_usage(ctx, "expected no argument (list), KIND ROLE (remove) or KIND ROLE AREA");
    if (argc > 1) {
        a.kind = argv[1];
        a.role = argv[2];
        a.area = argc == 4 ? argv[3] : NULL;
        if (!cr_program_kind_known(a.kind))
            return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                              "KIND: expected vetting_verdict, shortlist_rank, "
                                              "forecast or calibration_flag, found '%s'",
                                              a.kind));
        if (strcmp(a.role, "admin") && strcmp(a.role, "manager") && strcmp(a.role, "analyst") &&
            strcmp(a.role, "reviewer") && strcmp(a.role, "creator"))
            return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                              "ROLE: expected admin, manager, analyst, reviewer "
                                              "or creator, found '%s'",
                                              a.role));
        if (a.area && !cr_program_area_known(a.area))
            return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                              "AREA: expected mechanics, interpretation or "
                                              "escalation, found '%s'",
                                              a.area));
        if ((rc = cr_program_authority_set(ctx->store, &a)) < 0)
            return cli_fail(ctx, rc);
    }
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_program_authority_list(ctx->store, authority_row, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

static const cli_cmd rec_add_cmd = {
    .name = "add",
    .summary = "Record an AI recommendation crest made",
    .usage = "crest recommend add vetting_verdict|shortlist_rank|forecast|calibration_flag "
             "SUBJECT VALUE [--detail TEXT] [--json]",
    .run = recommend_add,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd rec_list_cmd = {
    .name = "list",
    .summary = "The recommendations (optionally of one status: open, escalated, ...)",
    .usage = "crest recommend list [STATUS] [--json]",
    .run = recommend_list,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd rec_accept_cmd = {
    .name = "accept",
    .summary = "Accept a recommendation (audited)",
    .usage = "crest recommend accept KIND ID [--reason R] [--as EMAIL] [--json]",
    .run = recommend_accept,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd rec_authority_cmd = {
    .name = "authority",
    .summary = "Who may override each kind: role + completed training area",
    .usage = "crest recommend authority [KIND ROLE [AREA]] [--json]",
    .help = "With KIND ROLE AREA: that role may override KIND once it completed AREA training.\n"
            "With KIND ROLE: that role may no longer override KIND. Alone: the table.\n",
    .run = recommend_authority,
    .flags = CLI_F_NEEDS_STORE,
};
static const cli_cmd *const rec_subcmds[] = { &rec_accept_cmd, &rec_add_cmd, &rec_authority_cmd,
                                              &rec_list_cmd, NULL };
const cli_cmd cmd_recommend = {
    .name = "recommend",
    .summary = "AI recommendations: list, accept, and who may override them",
    .subcmds = rec_subcmds,
};

/* ---- crest override / escalate ---- */

static int override_run(cli_ctx *ctx, int argc, char **argv)
{
    gopts o;
    int64_t id;
    int code;
    cr_err rc;

    if ((code = parse_gopts(ctx, &o, argc, argv)) != CLI_EXIT_OK ||
        (code = cli_want_args(ctx, argc - o.rest, argv + o.rest, 2, "KIND and ID")) !=
            CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[o.rest + 1], &id)) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_decide(ctx->store, argv[o.rest], id, cli_acting_user(o.as), o.to, o.reason,
                                0, cr_now())) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status",
                                        "overridden", "value", o.to));
    if (!ctx->quiet)
        printf("recommendation %lld overridden: %s\n", (long long)id, o.to);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_override = {
    .name = "override",
    .summary = "Override an AI recommendation (needs the authority and a reason)",
    .usage = "crest override KIND ID --to VALUE --reason R [--as EMAIL] [--json]",
    .help = "Refused (exit 1) unless the acting user's role may override KIND and they\n"
            "completed its training area (crest recommend authority); the refusal is audited.\n"
            "Others escalate: crest escalate KIND ID --to EMAIL.\n",
    .run = override_run,
    .flags = CLI_F_NEEDS_STORE,
};

static int escalate_run(cli_ctx *ctx, int argc, char **argv)
{
    gopts o;
    int64_t id;
    int code;
    cr_err rc;

    if ((code = parse_gopts(ctx, &o, argc, argv)) != CLI_EXIT_OK ||
        (code = cli_want_args(ctx, argc - o.rest, argv + o.rest, 2, "KIND and ID")) !=
            CLI_EXIT_OK ||
        (code = cli_parse_id(ctx, "ID", argv[o.rest + 1], &id)) != CLI_EXIT_OK)
        return code;
    if ((rc = cr_program_escalate(ctx->store, argv[o.rest], id, cli_acting_user(o.as), o.to,
                                  o.reason, cr_now())) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "escalated", "to", o.to));
    if (!ctx->quiet)
        printf("recommendation %lld escalated to %s\n", (long long)id, o.to);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_escalate = {
    .name = "escalate",
    .summary = "Escalate an AI recommendation to someone who may override it",
    .usage = "crest escalate KIND ID --to EMAIL [--reason R] [--as EMAIL] [--json]",
    .run = escalate_run,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- crest audit ---- */

static cr_err audit_row(const cr_audit_entry *e, void *payload)
{
    char d[32];

    cr_fmt_datetime(d, sizeof(d), e->at);
    if (payload == NULL) {
        printf("%-5lld %s %-24s %-17s %-17s %s -> %s%s%s\n", (long long)e->id, d, e->actor,
               e->action, e->kind ? e->kind : "", e->before ? e->before : "-",
               e->after ? e->after : "-", e->reason ? ": " : "", e->reason ? e->reason : "");
        return CR_OK;
    }
    return json_array_append_new(payload,
                                 json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s}", "id",
                                           (json_int_t)e->id, "at", d, "actor", e->actor, "action",
                                           e->action, "kind", e->kind, "subject", e->subject,
                                           "before", e->before, "after", e->after, "reason",
                                           e->reason, "hash", e->hash)) < 0
               ? cr_error_oom()
               : CR_OK;
}

static int audit_run(cli_ctx *ctx, int argc, char **argv)
{
    int verify = 0, i;
    int64_t bad = 0, n = 0;
    json_t *arr = NULL;
    cr_err rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--verify") == 0)
            verify = 1;
        else
            return cli_usage(ctx, "unexpected argument '%s'", argv[i]);
    }
    if (verify) {
        if ((rc = cr_program_audit_verify(&bad, &n, ctx->store)) < 0)
            return cli_fail(ctx, rc);
        if (ctx->json)
            cli_print_json(json_pack("{s:b,s:I,s:o}", "ok", bad == 0, "entries", (json_int_t)n,
                                     "first_bad", bad ? json_integer(bad) : json_null()));
        if (bad) {
            fprintf(stderr,
                    "%s: the audit log was altered: entry %lld does not match its hash chain\n",
                    ctx->path, (long long)bad);
            return CLI_EXIT_FAILURE;
        }
        if (!ctx->json && !ctx->quiet)
            printf("audit log intact: %lld entries, hash chain verified\n", (long long)n);
        return CLI_EXIT_OK;
    }
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_audit_list(ctx->store, audit_row, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    return arr ? cli_print_json(arr) : CLI_EXIT_OK;
}

const cli_cmd cmd_audit = {
    .name = "audit",
    .summary = "The audit log of decisions on AI recommendations; --verify checks its hash chain",
    .usage = "crest audit [--verify] [--json]",
    .help = "--verify recomputes every entry's SHA-256 and its link to the previous one and\n"
            "names the first entry that does not match (exit 1).\n",
    .run = audit_run,
    .flags = CLI_F_NEEDS_STORE,
};

/* ---- crest brief ---- */

static int brief_run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option lo[] = {
        { "audience", required_argument, NULL, 'a' },
        { "out", required_argument, NULL, 'o' },
        { "models", required_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    const char *audience = NULL, *outp = NULL, *models = "data/models";
    char *html = NULL;
    int c, code;
    FILE *f;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'a':
            audience = optarg;
            break;
        case 'o':
            outp = optarg;
            break;
        case 'm':
            models = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 0, "")) != CLI_EXIT_OK)
        return code;
    if (audience == NULL)
        return cli_usage(ctx, "--audience sales|legal|pr|leadership is required");
    if ((rc = cr_program_brief_html(&html, ctx->store, audience, models)) < 0)
        return cli_fail(ctx, rc);
    if (outp == NULL) {
        if (ctx->json)
            code = cli_print_json(json_pack("{s:s,s:s}", "audience", audience, "html", html));
        else
            fputs(html, stdout);
        cr_program_text_free(html);
        return ctx->json ? code : CLI_EXIT_OK;
    }
    if ((f = fopen(outp, "w")) == NULL || fputs(html, f) < 0 || fclose(f) != 0) {
        cr_program_text_free(html);
        return cli_fail(ctx, cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot be written", outp));
    }
    cr_program_text_free(html);
    if (ctx->json)
        return cli_print_json(json_pack("{s:s,s:s}", "audience", audience, "file", outp));
    if (!ctx->quiet)
        printf("wrote %s\n", outp);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_brief = {
    .name = "brief",
    .summary = "A one-page HTML briefing for sales, legal, pr or leadership",
    .usage =
        "crest brief --audience sales|legal|pr|leadership [--out FILE] [--models DIR] [--json]",
    .help = "From the workspace itself: the recommendations crest makes, their measured\n"
            "accuracy (the evaluations in --models, default data/models), who may override\n"
            "them, the pilots and what they showed, the last iteration review's change.\n",
    .run = brief_run,
    .flags = CLI_F_NEEDS_STORE,
};
