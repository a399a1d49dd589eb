/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * main.c - global options, then the command table. Global options (--db, --json, -q, -v,
 * --help) are accepted anywhere before "--", as `crest creators list --json` is the way
 * people type it; everything else belongs to the command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"

static int
take_value(const char *arg, const char *name, int *i, int argc, char **argv, const char **out)
{
    size_t n = strlen(name);

    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *out = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "crest: %s needs a value\n", name);
        exit(CLI_EXIT_USAGE);
    }
    *out = argv[++*i];
    return 1;
}

int main(int argc, char **argv)
{
    cli_ctx ctx;
    char **rest;
    int i, n = 0, help = 0, rc, dashdash = 0;
    const char *env = getenv("CREST_DB");

    memset(&ctx, 0, sizeof(ctx));
    ctx.db_url = env && *env ? env : CLI_DEFAULT_DB;
    if ((rest = cr_calloc((size_t)argc + 2, sizeof(char *))) == NULL) {
        fprintf(stderr, "crest: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        if (dashdash || a[0] != '-') {
            rest[n++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
            rest[n++] = argv[i];
        } else if (take_value(a, "--db", &i, argc, argv, &val)) {
            ctx.db_url = val;
        } else if (strcmp(a, "--json") == 0) {
            ctx.json = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            ctx.quiet = 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ctx.verbose = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help = 1;
        } else if (strcmp(a, "--version") == 0 && n == 0) {
            rest[n++] = "version";
        } else {
            rest[n++] = argv[i];
        }
    }
    if (n == 0) {
        if (help) {
            cli_print_command_list(stdout);
            cr_free(rest);
            return CLI_EXIT_OK;
        }
        cli_print_command_list(stderr);
        cr_free(rest);
        return CLI_EXIT_USAGE;
    }
    if (help)
        rest[n++] = "--help";
    rc = cli_dispatch(&ctx, n, rest);
    if (ctx.store)
        cr_store_free(ctx.store);
    cr_free(rest);
    return rc;
}
