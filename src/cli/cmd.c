/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd.c - the command table (the only place a command is registered, sorted as `crest
 * help` prints it) and the dispatcher that walks into subcommands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const cli_cmd *const cli_cmds[] = {
    &cmd_attribution, &cmd_audit,    &cmd_baseline,  &cmd_brief,    &cmd_campaign,
    &cmd_creators,    &cmd_db,       &cmd_demo,      &cmd_discover, &cmd_emv,
    &cmd_escalate,    &cmd_export,   &cmd_forecast,  &cmd_goal,     &cmd_help,
    &cmd_import,      &cmd_init,     &cmd_iteration, &cmd_kpi,      &cmd_model,
    &cmd_outreach,    &cmd_override, &cmd_pilot,     &cmd_posts,    &cmd_ratecard,
    &cmd_recommend,   &cmd_report,   &cmd_review,    &cmd_serve,    &cmd_tiers,
    &cmd_timelog,     &cmd_training, &cmd_user,      &cmd_version,  &cmd_vet,
    &cmd_workflow,    NULL,
};

void cli_print_command_list(FILE *out)
{
    size_t i;

    fprintf(out, "usage: crest [--db URL] [--json] [-q] COMMAND [ARGS]\n\n"
                 "crest is a self-hosted command center for creator marketing.\n\n"
                 "Commands:\n");
    for (i = 0; cli_cmds[i]; i++)
        if (!(cli_cmds[i]->flags & CLI_F_HIDDEN))
            fprintf(out, "  %-10s %s\n", cli_cmds[i]->name, cli_cmds[i]->summary);
    fprintf(out, "\nGlobal options (anywhere on the line):\n"
                 "  --db URL     the store: sqlite:PATH (default sqlite:crest.db) or a path;\n"
                 "               the CREST_DB environment variable sets the default\n"
                 "  --json       machine-readable output on stdout\n"
                 "  -q, --quiet  no progress or hints on stderr\n"
                 "  -h, --help   help for any command, e.g. crest import --help\n"
                 "\nExit codes: 0 ok, 1 failure, 2 usage, 3 invalid input, 4 not found.\n");
}

void cli_print_help(const cli_cmd *cmd, const char *path, FILE *out)
{
    size_t i;

    if (cmd->usage)
        fprintf(out, "usage: %s\n", cmd->usage);
    else
        fprintf(out, "usage: %s COMMAND [ARGS]\n", path);
    fprintf(out, "\n%s\n", cmd->summary);
    if (cmd->subcmds) {
        fprintf(out, "\nCommands:\n");
        for (i = 0; cmd->subcmds[i]; i++)
            fprintf(out, "  %-10s %s\n", cmd->subcmds[i]->name, cmd->subcmds[i]->summary);
    }
    if (cmd->help)
        fprintf(out, "\n%s", cmd->help);
    fprintf(out, "\nGlobal options: --db URL, --json, -q, --help (see crest --help).\n");
}

static int has_help(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0)
            return 1;
    }
    return 0;
}

static const cli_cmd *find_cmd(const cli_cmd *const *table, const char *name)
{
    size_t i;

    for (i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

static int dispatch_in(cli_ctx *ctx, const cli_cmd *const *table, int argc, char **argv)
{
    const cli_cmd *cmd = find_cmd(table, argv[0]);
    size_t len = strlen(ctx->path);
    cr_err rc;

    if (cmd == NULL) {
        fprintf(stderr, "%s: unknown command '%s'; see '%s --help'\n", ctx->path, argv[0],
                ctx->path);
        return CLI_EXIT_USAGE;
    }
    snprintf(ctx->path + len, sizeof(ctx->path) - len, " %s", cmd->name);
    /* a command with subcommands and its own run (crest vet @handle next to crest vet
     * followers): arguments that name no subcommand go to run */
    if (cmd->subcmds && cmd->run && argc >= 2 && strcmp(argv[1], "--help") != 0 &&
        find_cmd(cmd->subcmds, argv[1]) == NULL) {
        ctx->cmd = cmd;
        if (has_help(argc, argv)) {
            cli_print_help(cmd, ctx->path, stdout);
            return CLI_EXIT_OK;
        }
        if ((cmd->flags & CLI_F_NEEDS_STORE) && (rc = cr_store_open(&ctx->store, ctx->db_url)) < 0)
            return cli_fail(ctx, rc);
        return cmd->run(ctx, argc, argv);
    }
    if (cmd->subcmds) {
        if (argc < 2 || strcmp(argv[1], "--help") == 0) {
            cli_print_help(cmd, ctx->path, argc < 2 ? stderr : stdout);
            return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
        }
        return dispatch_in(ctx, cmd->subcmds, argc - 1, argv + 1);
    }
    ctx->cmd = cmd;
    if (has_help(argc, argv)) {
        cli_print_help(cmd, ctx->path, stdout);
        return CLI_EXIT_OK;
    }
    if (cmd->flags & CLI_F_NEEDS_STORE) {
        if ((rc = cr_store_open(&ctx->store, ctx->db_url)) < 0)
            return cli_fail(ctx, rc);
    }
    return cmd->run(ctx, argc, argv);
}

int cli_dispatch(cli_ctx *ctx, int argc, char **argv)
{
    snprintf(ctx->path, sizeof(ctx->path), "crest");
    return dispatch_in(ctx, cli_cmds, argc, argv);
}

int cli_usage(cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", ctx->path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (ctx->cmd && ctx->cmd->usage)
        fprintf(stderr, "usage: %s\n", ctx->cmd->usage);
    return CLI_EXIT_USAGE;
}
