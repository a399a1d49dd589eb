/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cli.h - the crest command line: one descriptor per command (tmux's cmd_entry), one table
 * in cmd.c, shared output helpers. Commands return a process exit code. */
#ifndef CR_CLI_H
#define CR_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "crest/crest.h"

#define CLI_F_NEEDS_STORE 0x1 /* open ctx->store before run() */
#define CLI_F_HIDDEN      0x2

#define CLI_EXIT_OK      0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE   2

typedef struct cli_ctx cli_ctx;
typedef struct cli_cmd cli_cmd;

struct cli_ctx {
    const char *db_url; /* --db or CREST_DB or the default */
    int json;           /* --json */
    int quiet;          /* -q */
    int verbose;        /* -v */
    cr_store *store;    /* open when the command has CLI_F_NEEDS_STORE */
    const cli_cmd *cmd; /* the leaf being run */
    char path[256];     /* "crest import", for messages */
};

struct cli_cmd {
    const char *name;
    const char *summary; /* one line for `crest help` */
    const char *usage;   /* "crest import KIND FILE [--partial] ..." */
    const char *help;    /* the rest of --help: options and examples */
    int (*run)(cli_ctx *ctx, int argc, char **argv);
    const cli_cmd *const *subcmds; /* NULL-terminated; NULL for leaves */
    unsigned int flags;
};

extern const cli_cmd *const cli_cmds[];
extern const cli_cmd cmd_attribution, cmd_baseline, cmd_campaign, cmd_creators, cmd_db, cmd_demo,
    cmd_goal, cmd_help, cmd_import, cmd_init, cmd_kpi, cmd_posts, cmd_serve, cmd_user, cmd_version;
extern const cli_cmd cmd_export, cmd_report;
extern const cli_cmd cmd_emv, cmd_ratecard, cmd_tiers;
extern const cli_cmd cmd_forecast, cmd_model, cmd_vet;
extern const cli_cmd cmd_discover;
extern const cli_cmd cmd_audit, cmd_brief, cmd_escalate, cmd_iteration, cmd_override, cmd_pilot,
    cmd_recommend, cmd_timelog, cmd_training, cmd_workflow;
extern const cli_cmd cmd_review;
extern const cli_cmd cmd_outreach;

/* Rate cards and tier schemes (cmd_ratecard.c): a YAML document of at most 1 MiB, a
 * listing's origin ("built in", "imported"), its JSON, and a campaign NAME|ID as an id. */
cr_err cli_read_doc(char **out, size_t *len, const char *path);
const char *cli_doc_origin(const cr_track_doc *d);
struct json_t *cli_doc_json(const cr_track_doc *d, const char *name_key, const char *count_key);
/* `crest ratecard list` and `crest tiers list`: the documents of one kind, table or JSON. */
int cli_doc_list(cli_ctx *ctx,
                 int argc,
                 char **argv,
                 cr_err (*list)(cr_store *st, cr_track_doc_cb cb, void *payload),
                 const char *name_key,
                 const char *count_key,
                 const char *use_cmd);
cr_err cli_campaign_id(int64_t *out, cli_ctx *ctx, const char *ref);

#define CLI_DEFAULT_DB "sqlite:crest.db"

int cli_dispatch(cli_ctx *ctx, int argc, char **argv);
void cli_print_help(const cli_cmd *cmd, const char *path, FILE *out);
void cli_print_command_list(FILE *out);

/* Report a failed library call (cr_error_last()) and return the exit code for it. With
 * --json the error goes to stdout as {"error":{"code","message"}}. */
int cli_fail(cli_ctx *ctx, cr_err rc);
/* A usage error: message, then the usage line; returns 2. */
int cli_usage(cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Check there are exactly `want` positional arguments left; else a usage error. */
int cli_want_args(cli_ctx *ctx, int argc, char **argv, int want, const char *what);

/* Resolve "ID", "platform/handle", "@handle" or "handle" to a creator id. */
cr_err cli_creator_ref(int64_t *out, cli_ctx *ctx, const char *ref);

/* Number parsing for options: counts such as 10K are accepted. */
int cli_parse_count(cli_ctx *ctx, const char *opt, const char *val, int64_t *out);
/* A positive integer id (no sign, no spaces); `what` names it in the usage error. */
int cli_parse_id(cli_ctx *ctx, const char *what, const char *val, int64_t *out);
/* A date or date-time (cr_parse_datetime: 2027-03-01, 2026-11-16T09:00:00Z) for option `opt`. */
int cli_parse_time(cli_ctx *ctx, const char *opt, const char *val, int64_t *out);
/* The acting person: `as` (--as) when given, else $CREST_USER, else NULL. */
const char *cli_acting_user(const char *as);

/* Print a json_t (jansson) to stdout, indented, and release it. */
struct json_t;
int cli_print_json(struct json_t *j);

/* A store URL fit to print: a password (user:PW@ or password=PW) becomes ***. */
const char *cli_url_shown(char *buf, size_t size, const char *url);

/* Peak resident set size of this process in KiB. */
long cli_peak_rss_kib(void);
double cli_now_seconds(void);

/* A progress bar on stderr, shown only on a terminal and for large inputs. */
typedef struct {
    int enabled;
    const char *label;
    double started, last;
} cli_progress;

void cli_progress_start(cli_progress *p, const char *label, uint64_t total, int quiet);
void cli_progress_update(uint64_t done, uint64_t total, void *payload);
void cli_progress_end(cli_progress *p);

#endif
