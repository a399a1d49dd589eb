/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_help.c - `crest help [COMMAND...]`. */
#include <string.h>

#include "cli/cli.h"

static int help_run(cli_ctx *ctx, int argc, char **argv)
{
    const cli_cmd *const *table = cli_cmds;
    const cli_cmd *cmd = NULL;
    char path[256] = "crest";
    int i;
    size_t j;

    if (argc < 2) {
        cli_print_command_list(stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++) {
        cmd = NULL;
        for (j = 0; table && table[j]; j++)
            if (strcmp(table[j]->name, argv[i]) == 0)
                cmd = table[j];
        if (cmd == NULL)
            return cli_usage(ctx, "no command '%s'", argv[i]);
        snprintf(path + strlen(path), sizeof(path) - strlen(path), " %s", cmd->name);
        table = cmd->subcmds;
    }
    cli_print_help(cmd, path, stdout);
    return CLI_EXIT_OK;
}

const cli_cmd cmd_help = {
    .name = "help",
    .summary = "Show help for crest or a command",
    .usage = "crest help [COMMAND [SUBCOMMAND]]",
    .run = help_run,
};
