/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * cmd_user.c - `crest user add EMAIL --role ROLE` and `crest user list`: the accounts that
 * log in to `crest serve`. The password comes from standard input (one line) when it is not
 * a terminal, so scripts can pipe it; on a terminal it is asked twice without echo. Only its
 * argon2id hash (libsodium's crypto_pwhash_str) is stored. */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/date.h"

#define USER_PASSWORD_MIN 10
#define USER_PASSWORD_MAX 1024
#define USER_EMAIL_MAX    254

static const char *const user_roles[] = { "admin", "manager", "analyst", "reviewer", "creator" };

static int user_role_known(const char *role)
{
    size_t i;

    for (i = 0; i < sizeof(user_roles) / sizeof(user_roles[0]); i++)
        if (strcmp(role, user_roles[i]) == 0)
            return 1;
    return 0;
}

/* One line of stdin into buf without its newline; 0 at end of input or when it is too long. */
static int read_line(char *buf, size_t size)
{
    size_t len;

    if (fgets(buf, (int)size, stdin) == NULL)
        return 0;
    len = strlen(buf);
    if (len > 0 && buf[len - 1] == '\n')
        buf[--len] = '\0';
    else if (!feof(stdin))
        return 0; /* longer than the buffer */
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    return 1;
}

/* A prompt on stderr and one line from the terminal with echo off. */
static int read_hidden(char *buf, size_t size, const char *prompt)
{
    struct termios old, quiet;
    int got, restore;

    fputs(prompt, stderr);
    fflush(stderr);
    restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    got = read_line(buf, size);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return got;
}

static cr_err read_password(char *pw, size_t size)
{
    char again[USER_PASSWORD_MAX + 2];
    int same;

    if (!isatty(STDIN_FILENO)) {
        if (!read_line(pw, size))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                "no password on standard input (one line, at most %d bytes)",
                                USER_PASSWORD_MAX);
        return CR_OK;
    }
    if (!read_hidden(pw, size, "Password: ") || !read_hidden(again, sizeof(again), "Again: "))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "no password given");
    same = strcmp(pw, again) == 0;
    sodium_memzero(again, sizeof(again));
    if (!same)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "the two passwords differ");
    return CR_OK;
}

/* A plausible email, lower-cased into out: one '@' with text on both sides, no spaces. */
static cr_err normalize_email(char *out, size_t size, const char *in)
{
    const char *at = strchr(in, '@');
    size_t i, len = strlen(in);

    if (len == 0 || len > USER_EMAIL_MAX || len >= size || at == NULL || at == in ||
        at[1] == '\0' || strchr(at + 1, '@') != NULL || strpbrk(in, " \t\r\n") != NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "email: expected an address such as ana@example.com, found '%s'", in);
    for (i = 0; i <= len; i++)
        out[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
    return CR_OK;
}

static int user_add(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "role", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    char email[USER_EMAIL_MAX + 1], pw[USER_PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES];
    const char *role = NULL;
    cr_user u;
    int64_t id = 0;
    int c, code;
    cr_err rc;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            role = optarg;
            break;
        default:
            return cli_usage(ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if ((code = cli_want_args(ctx, argc - optind, argv + optind, 1, "an EMAIL")) != CLI_EXIT_OK)
        return code;
    if (role == NULL)
        return cli_usage(ctx, "--role is required (admin, manager, analyst, reviewer or creator)");
    if (!user_role_known(role))
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "--role: expected admin, manager, analyst, reviewer or "
                                          "creator, found '%s'",
                                          role));
    if ((rc = normalize_email(email, sizeof(email), argv[optind])) < 0)
        return cli_fail(ctx, rc);
    if (sodium_init() < 0)
        return cli_fail(ctx, cr_error_set(CR_ERROR, CR_ERRCLASS_CLI, "libsodium failed to start"));
    if ((rc = read_password(pw, sizeof(pw))) < 0) {
        sodium_memzero(pw, sizeof(pw));
        return cli_fail(ctx, rc);
    }
    if (strlen(pw) < USER_PASSWORD_MIN) {
        sodium_memzero(pw, sizeof(pw));
        return cli_fail(ctx, cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                                          "the password is shorter than %d characters",
                                          USER_PASSWORD_MIN));
    }
    rc = crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
             ? CR_OK
             : cr_error_set(CR_ENOMEM, CR_ERRCLASS_CLI, "hashing the password ran out of memory");
    sodium_memzero(pw, sizeof(pw));
    if (rc < 0)
        return cli_fail(ctx, rc);
    memset(&u, 0, sizeof(u));
    u.email = email;
    u.role = role;
    u.password_hash = hash;
    if ((rc = cr_store_user_upsert(&id, ctx->store, &u)) < 0)
        return cli_fail(ctx, rc);
    if (ctx->json)
        return cli_print_json(
            json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "email", email, "role", role));
    if (!ctx->quiet)
        printf("user %s (%s) saved, id %lld\n", email, role, (long long)id);
    return CLI_EXIT_OK;
}

static cr_err list_row(const cr_user *u, void *payload)
{
    json_t *arr = payload, *j;
    char when[32];

    cr_fmt_datetime(when, sizeof(when), u->created_at);
    if (arr == NULL) {
        printf("%-6lld %-32s %-9s %s%s\n", (long long)u->id, u->email, u->role, when,
               u->disabled ? "  disabled" : "");
        return CR_OK;
    }
    j = json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)u->id, "email", u->email, "role",
                  u->role, "created_at", when, "disabled", u->disabled != 0);
    if (j == NULL || json_array_append_new(arr, j) < 0)
        return cr_error_oom();
    return CR_OK;
}

static int user_list(cli_ctx *ctx, int argc, char **argv)
{
    json_t *arr = NULL;
    int code;
    cr_err rc;

    if ((code = cli_want_args(ctx, argc - 1, argv + 1, 0, "")) != CLI_EXIT_OK)
        return code;
    if (ctx->json && (arr = json_array()) == NULL)
        return cli_fail(ctx, cr_error_oom());
    if ((rc = cr_store_user_list(ctx->store, list_row, arr)) < 0) {
        json_decref(arr);
        return cli_fail(ctx, rc);
    }
    if (arr)
        return cli_print_json(arr);
    return CLI_EXIT_OK;
}

static const cli_cmd user_add_cmd = {
    .name = "add",
    .summary = "Add an account, or change the role and password of one",
    .usage = "crest user add EMAIL --role admin|manager|analyst|reviewer|creator",
    .help = "The password (at least 10 characters) is read from standard input when it is not\n"
            "a terminal (one line), else asked twice without echo. Only its argon2id hash is\n"
            "stored. Adding an email that exists sets its role and password.\n"
            "Examples:\n"
            "  crest user add ana@example.com --role admin\n"
            "  printf '%s\\n' \"$PW\" | crest user add bo@example.com --role analyst\n",
    .run = user_add,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd user_list_cmd = {
    .name = "list",
    .summary = "List the accounts",
    .usage = "crest user list [--json]",
    .run = user_list,
    .flags = CLI_F_NEEDS_STORE,
};

static const cli_cmd *const user_subcmds[] = { &user_add_cmd, &user_list_cmd, NULL };

const cli_cmd cmd_user = {
    .name = "user",
    .summary = "Manage the accounts of crest serve",
    .subcmds = user_subcmds,
};
