/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail.c - tests of src/outreach/mail_*.c: the RFC 5322 formatter (a golden message, RFC 2047
 * names and subjects, quoted-printable limits, header injection refused) read back through the
 * reader; Maildir delivery; replies, bounces and auto-replies read from a Maildir and an mbox
 * (tests/resources/mail); SMTP against tests/outreach/smtp_sink.py (plain, AUTH, STARTTLS
 * required) and the draft client against tests/outreach/fake_llm.py, both started here on
 * 127.0.0.1 and stopped by the test. Those two skip when Debian's python3 (or aiosmtpd) is
 * missing. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "crest/mail.h"
#include "outreach/mail_int.h"
#include "tmpdir.h"
#include "util/alloc.h"
#include "util/date.h"

#define SCRIPTS   CR_TEST_RESOURCES "/../outreach"
#define FIXTURES  CR_TEST_RESOURCES "/mail"
#define T_2026_12 (cr_days_from_civil(2026, 12, 7) * 86400 + 9 * 3600 + 30 * 60)

/* ---- helpers ---------------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void rm_rf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void mk_tmp(char *dir, size_t size, const char *name)
{
    assert_int_equal(cr_test_tmpdir(dir, size, name), 0);
}

/* A helper script on loopback: started with Debian's python3, its port read from the first
 * line of its stdout. Returns 0, or 77 when it cannot run here (python3 or aiosmtpd missing). */
typedef struct {
    pid_t pid;
    int port;
} helper;

/* the pids of helpers still running when an assertion fails: the teardown stops them */
static pid_t running[4];

static void helper_track(pid_t pid, int on)
{
    size_t i;
    for (i = 0; i < 4; i++) {
        if (on && running[i] == 0) {
            running[i] = pid;
            return;
        }
        if (!on && running[i] == pid)
            running[i] = 0;
    }
}

static const char *python(void)
{
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

static int helper_start(helper *h, const char *script, const char **args)
{
    int fds[2], status;
    char line[32];
    size_t n = 0;
    const char *argv[16];
    int argc = 0;

    argv[argc++] = python();
    argv[argc++] = script;
    while (args != NULL && *args != NULL && argc < 15)
        argv[argc++] = *args++;
    argv[argc] = NULL;
    assert_int_equal(pipe(fds), 0);
    h->pid = fork();
    assert_true(h->pid >= 0);
    if (h->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(77);
    }
    close(fds[1]);
    while (n < sizeof(line) - 1) {
        ssize_t r = read(fds[0], line + n, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    close(fds[0]);
    h->port = atoi(line);
    if (h->port <= 0) {
        waitpid(h->pid, &status, 0);
        h->pid = 0;
        return WIFEXITED(status) && WEXITSTATUS(status) == 77 ? 77 : -1;
    }
    helper_track(h->pid, 1);
    return 0;
}

static void helper_stop(helper *h)
{
    int status;

    if (h->pid > 0) {
        helper_track(h->pid, 0);
        kill(h->pid, SIGTERM);
        waitpid(h->pid, &status, 0);
        h->pid = 0;
    }
}

static int stop_helpers(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < 4; i++) {
        if (running[i] > 0) {
            kill(running[i], SIGTERM);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
    }
    return 0;
}

static int have_aiosmtpd(void)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "%s -c 'import aiosmtpd' >/dev/null 2>&1", python());
    return system(cmd) == 0;
}

/* A formatted message's header block (up to the blank line). */
static char *header_block(const char *msg)
{
    const char *end = strstr(msg, "\r\n\r\n");
    assert_non_null(end);
    return strndup(msg, (size_t)(end - msg) + 2);
}

static void assert_lines_at_most(const char *msg, size_t max)
{
    const char *p = msg;

    while (*p != '\0') {
        const char *e = strstr(p, "\r\n");
        assert_non_null(e); /* every line ends with CRLF */
        if ((size_t)(e - p) > max)
            fail_msg("line longer than %zu: %.*s", max, (int)(e - p), p);
        p = e + 2;
    }
}

static void base_message(cr_mail_message *m)
{
    cr_mail_message init = CR_MAIL_MESSAGE_INIT;
    *m = init;
    m->from = "Brand Team <team@brand.test>";
    m->to = "maya@example.com";
    m->subject = "A partnership for the spring launch";
    m->text = "Hi Maya,\nwe loved your post.\n";
    m->message_id = "<abc123@brand.test>";
    m->date = T_2026_12;
}

/* ---- formatting ------------------------------------------------------------------------- */

static void test_mail__format_golden_plain(void **state)
{
    cr_mail_message m;
    char *out = NULL;
    size_t len = 0;
    static const char golden[] = "Date: Mon, 07 Dec 2026 09:30:00 +0000\r\n"
                                 "From: \"Brand Team\" <team@brand.test>\r\n"
                                 "To: maya@example.com\r\n"
                                 "Reply-To: \"Ana \\\"AJ\\\" Jones\" <ana@brand.test>\r\n"
                                 "Subject: A partnership for the spring launch\r\n"
                                 "Message-ID: <abc123@brand.test>\r\n"
                                 "In-Reply-To: <prev@brand.test>\r\n"
                                 "References: <first@brand.test>\r\n"
                                 " <prev@brand.test>\r\n"
                                 "List-Unsubscribe: <https://crest.test/u/tok>\r\n"
                                 "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                                 "MIME-Version: 1.0\r\n"
                                 "Content-Type: text/plain; charset=UTF-8\r\n"
                                 "Content-Transfer-Encoding: quoted-printable\r\n"
                                 "\r\n"
                                 "Hi Maya,\r\n"
                                 "we loved your post.\r\n";
    (void)state;
    base_message(&m);
    m.reply_to = "Ana \"AJ\" Jones <ana@brand.test>";
    m.in_reply_to = "<prev@brand.test>";
    m.references = "<first@brand.test> <prev@brand.test>";
    m.list_unsubscribe = "https://crest.test/u/tok";
    m.list_unsubscribe_post = 1;
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_string_equal(out, golden);
    assert_int_equal(len, strlen(golden));
    cr_mail_text_free(out);
}

static void test_mail__format_multipart_round_trips(void **state)
{
    cr_mail_message m;
    cr_mail_incoming *in = NULL;
    char *out = NULL, *again = NULL;
    size_t len;
    (void)state;
    base_message(&m);
    m.html = "<p>Hi Maya,</p><p>we loved your post &amp; your reel.</p>";
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_non_null(strstr(out, "Content-Type: multipart/alternative;\r\n boundary=\"=_crest_"));
    assert_non_null(strstr(out, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(out, "Content-Type: text/html; charset=UTF-8\r\n"));
    assert_non_null(
        strstr(out, "\r\n<p>Hi Maya,</p><p>we loved your post &amp; your reel.</p>\r\n"));
    assert_lines_at_most(out, 78);
    /* the same message formats to the same bytes (the boundary comes from the Message-ID) */
    assert_int_equal(cr_mail_format(&again, NULL, &m), CR_OK);
    assert_string_equal(out, again);
    /* read back: the text part is the excerpt */
    assert_int_equal(cr_mail_parse(&in, out, len, "mem"), CR_OK);
    assert_int_equal(in->kind, CR_MAIL_REPLY);
    assert_string_equal(in->message_id, "<abc123@brand.test>");
    assert_string_equal(in->subject, "A partnership for the spring launch");
    assert_string_equal(in->from, "\"Brand Team\" <team@brand.test>");
    assert_string_equal(in->from_addr, "team@brand.test");
    assert_string_equal(in->excerpt, "Hi Maya, we loved your post.");
    assert_int_equal(in->date, T_2026_12);
    assert_string_equal(in->source, "mem");
    cr_mail_incoming_free(in);
    cr_mail_text_free(out);
    cr_mail_text_free(again);
}

static void test_mail__format_encodes_unicode_names_and_subjects(void **state)
{
    cr_mail_message m;
    cr_mail_incoming *in = NULL;
    char *out = NULL, *hdr;
    size_t len, i;
    static const char subject[] =
        "Café ☕ partnership — Zoë, ünïcödé tëxt that is long enough to need several "
        "encoded-words 日本語のテキスト";
    (void)state;
    base_message(&m);
    m.from = "Zoë Ångström <zoe@brand.test>";
    m.to = "\"Łukasz Żółć\" <lukasz@example.pl>";
    m.subject = subject;
    m.text = "Cześć Łukasz — ça va? 😀\n";
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    hdr = header_block(out);
    /* headers are 7-bit: every non-ASCII character is inside an encoded-word */
    for (i = 0; hdr[i] != '\0'; i++)
        assert_true((unsigned char)hdr[i] < 128);
    assert_non_null(strstr(hdr, "From: =?UTF-8?B?"));
    assert_non_null(strstr(hdr, "?= <zoe@brand.test>\r\n")); /* the address stays plain */
    assert_non_null(strstr(hdr, "?= <lukasz@example.pl>\r\n"));
    assert_non_null(strstr(hdr, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(hdr, "?=\r\n =?UTF-8?B?")); /* folded into several words */
    assert_lines_at_most(out, 78);
    free(hdr);
    assert_int_equal(cr_mail_parse(&in, out, len, NULL), CR_OK);
    assert_string_equal(in->subject, subject);
    assert_string_equal(in->from, "Zoë Ångström <zoe@brand.test>");
    assert_string_equal(in->excerpt, "Cześć Łukasz — ça va? 😀");
    cr_mail_incoming_free(in);
    cr_mail_text_free(out);

    /* ASCII that looks like an encoded-word is encoded, so it reads back as written */
    m.subject = "about =?UTF-8?B?SGk=?= literally";
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_int_equal(cr_mail_parse(&in, out, len, NULL), CR_OK);
    assert_string_equal(in->subject, "about =?UTF-8?B?SGk=?= literally");
    cr_mail_incoming_free(in);
    cr_mail_text_free(out);
}

static void test_mail__format_long_ascii_subject_is_folded(void **state)
{
    cr_mail_message m;
    cr_mail_incoming *in = NULL;
    char *out = NULL;
    size_t len;
    static const char subject[] =
        "A rather long subject line about our spring launch, the budget, the deliverables, "
        "the timeline and the reporting we would like to agree with you";
    (void)state;
    base_message(&m);
    m.subject = subject;
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_lines_at_most(out, 78);
    assert_int_equal(cr_mail_parse(&in, out, len, NULL), CR_OK);
    assert_string_equal(in->subject, subject);
    cr_mail_incoming_free(in);
    cr_mail_text_free(out);

    /* one word of 2000 characters cannot be folded: encoded-words keep every line short */
    {
        char word[2001];
        memset(word, 'w', 2000);
        word[2000] = '\0';
        m.subject = word;
        assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
        assert_lines_at_most(out, 78);
        assert_int_equal(cr_mail_parse(&in, out, len, NULL), CR_OK);
        assert_string_equal(in->subject, word);
        cr_mail_incoming_free(in);
        cr_mail_text_free(out);
    }
}

static void test_mail__format_quoted_printable_limits(void **state)
{
    cr_mail_message m;
    char *out = NULL, *body;
    cr_str dec;
    char text[1200];
    size_t len, i;
    (void)state;
    /* a 600-character line, "=" signs, a dot and "From " at line starts, trailing spaces */
    for (i = 0; i < 600; i++)
        text[i] = (char)('a' + i % 26);
    text[600] = '\0';
    snprintf(text + 600, sizeof(text) - 600,
             "\n.a dot line\nFrom the start\nx = y + 1 \ntab\t\nnaïve — ok\n");
    base_message(&m);
    m.text = text;
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_lines_at_most(out, 76);
    body = strstr(out, "\r\n\r\n") + 4;
    assert_null(strstr(body, "\r\n."));
    assert_null(strstr(body, "\r\nFrom "));
    assert_non_null(strstr(body, "\r\n=2Ea dot line\r\n"));
    assert_non_null(strstr(body, "\r\n=46rom the start\r\n"));
    assert_non_null(strstr(body, "x =3D y + 1=20\r\n"));
    assert_non_null(strstr(body, "tab=09\r\n"));
    /* decoding gives the text back, with CRLF line ends */
    cr_str_init(&dec, 1 << 20);
    assert_int_equal(cr_mail__unqp(&dec, body, strlen(body), 0), CR_OK);
    {
        cr_str want;
        cr_str_init(&want, 1 << 20);
        for (i = 0; text[i] != '\0'; i++) {
            if (text[i] == '\n')
                assert_int_equal(cr_str_putc(&want, '\r'), CR_OK);
            assert_int_equal(cr_str_putc(&want, text[i]), CR_OK);
        }
        assert_string_equal(cr_str_cstr(&dec), cr_str_cstr(&want));
        cr_str_dispose(&want);
    }
    cr_str_dispose(&dec);
    cr_mail_text_free(out);
}

static void expect_refused(const cr_mail_message *m, const char *field_words)
{
    char *out = (char *)1;

    assert_int_equal(cr_mail_format(&out, NULL, m), CR_EINVALID);
    assert_null(out);
    if (strstr(cr_error_last()->message, field_words) == NULL)
        fail_msg("error '%s' does not say '%s'", cr_error_last()->message, field_words);
}

static void test_mail__format_refuses_header_injection(void **state)
{
    cr_mail_message m;
    (void)state;
    base_message(&m);
    m.subject = "Hello\r\nBcc: everyone@example.com";
    expect_refused(&m, "subject holds a line break (header injection refused)");
    base_message(&m);
    m.subject = "Hello\nBcc: everyone@example.com";
    expect_refused(&m, "subject holds a line break");
    base_message(&m);
    m.from = "Evil\r\nBcc: x@example.com <team@brand.test>";
    expect_refused(&m, "from holds a line break");
    base_message(&m);
    m.to = "maya@example.com\nBcc: x@example.com";
    expect_refused(&m, "to holds a line break");
    base_message(&m);
    m.reply_to = "a@b.test\r";
    expect_refused(&m, "reply_to holds a line break");
    base_message(&m);
    m.in_reply_to = "<a@b>\r\nX-Evil: 1";
    expect_refused(&m, "in_reply_to holds a line break");
    base_message(&m);
    m.references = "<a@b>\n <c@d>";
    expect_refused(&m, "references holds a line break");
    base_message(&m);
    m.list_unsubscribe = "https://x.test/u\r\nBcc: y@z";
    expect_refused(&m, "list_unsubscribe holds a line break");
    base_message(&m);
    m.message_id = "<id@x>\nBcc: a@b";
    expect_refused(&m, "message_id holds a line break");
}

static void test_mail__format_refuses_missing_or_malformed_fields(void **state)
{
    cr_mail_message m;
    (void)state;
    base_message(&m);
    m.message_id = NULL;
    expect_refused(&m, "message_id is missing");
    base_message(&m);
    m.message_id = "no-brackets@x";
    expect_refused(&m, "message_id must be one <id>");
    base_message(&m);
    m.to = NULL;
    expect_refused(&m, "to is missing");
    base_message(&m);
    m.to = "Maya <not an address>";
    expect_refused(&m, "to is not an e-mail address");
    base_message(&m);
    m.from = "team.brand.test";
    expect_refused(&m, "from is not an e-mail address");
    base_message(&m);
    m.subject = NULL;
    expect_refused(&m, "subject is missing");
    base_message(&m);
    m.text = NULL;
    expect_refused(&m, "text is missing");
    base_message(&m);
    m.subject = "bad \xC3\x28 utf-8";
    expect_refused(&m, "subject is not valid UTF-8");
    base_message(&m);
    m.list_unsubscribe = "javascript:alert(1)";
    expect_refused(&m, "list_unsubscribe must be");
    base_message(&m);
    m.list_unsubscribe = "mailto:u@brand.test";
    m.list_unsubscribe_post = 1;
    expect_refused(&m, "list_unsubscribe_post needs an https");
}

static void test_mail__message_id_and_addr_spec(void **state)
{
    char a[CR_MAIL_ID_MAX], b[CR_MAIL_ID_MAX], small[10], addr[64];
    (void)state;
    assert_int_equal(cr_mail_new_message_id(a, sizeof(a), "brand.test"), CR_OK);
    assert_int_equal(cr_mail_new_message_id(b, sizeof(b), "brand.test"), CR_OK);
    assert_int_equal(strlen(a), 1 + 26 + 1 + strlen("brand.test") + 1);
    assert_int_equal(a[0], '<');
    assert_non_null(strstr(a, "@brand.test>"));
    assert_string_not_equal(a, b);
    assert_int_equal(cr_mail_new_message_id(a, sizeof(a), NULL), CR_OK);
    assert_non_null(strstr(a, "@crest.invalid>"));
    assert_int_equal(cr_mail_new_message_id(a, sizeof(a), "bad domain>"), CR_EINVALID);
    assert_int_equal(cr_mail_new_message_id(small, sizeof(small), "brand.test"), CR_EINVALID);

    assert_int_equal(cr_mail_addr_spec(addr, sizeof(addr), "Zoë <zoe@example.com>"), CR_OK);
    assert_string_equal(addr, "zoe@example.com");
    assert_int_equal(cr_mail_addr_spec(addr, sizeof(addr), "  maya@example.com "), CR_OK);
    assert_string_equal(addr, "maya@example.com");
    assert_int_equal(cr_mail_addr_spec(addr, sizeof(addr), "Maya"), CR_EINVALID);
    assert_int_equal(cr_mail_addr_spec(addr, sizeof(addr), "a@b\r\nRCPT TO:<c@d>"), CR_EINVALID);
}

/* ---- Maildir ---------------------------------------------------------------------------- */

typedef struct {
    int n;
    char subjects[8][128];
    char kinds[8][16];
    char sources[8][512];
} collected;

static cr_err collect(const cr_mail_incoming *msg, void *payload)
{
    collected *c = payload;

    if (c->n < 8) {
        snprintf(c->subjects[c->n], sizeof(c->subjects[0]), "%s", msg->subject);
        snprintf(c->kinds[c->n], sizeof(c->kinds[0]), "%s", cr_mail_kind_name(msg->kind));
        snprintf(c->sources[c->n], sizeof(c->sources[0]), "%s", msg->source);
    }
    c->n++;
    return CR_OK;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void test_mail__maildir_delivery_and_read_back(void **state)
{
    char dir[512], url[600], sub[700];
    cr_mail_transport *t = NULL;
    cr_mail_message m;
    collected c;
    char *out;
    size_t len;
    (void)state;
    mk_tmp(dir, sizeof(dir), "maildir");
    snprintf(url, sizeof(url), "maildir:%s/Sent/deep", dir);
    assert_int_equal(cr_mail_transport_open(&t, url, NULL), CR_OK);
    assert_string_equal(cr_mail_transport_kind(t), "maildir");
    base_message(&m);
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", out, len),
                     CR_OK);
    cr_mail_text_free(out);
    m.message_id = "<second@brand.test>";
    m.subject = "Second";
    assert_int_equal(cr_mail_format(&out, &len, &m), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", out, len),
                     CR_OK);
    /* an envelope address with a line break is refused before anything is written */
    assert_int_equal(cr_mail_transport_send(t, "a@b\r\nx", "maya@example.com", out, len),
                     CR_EINVALID);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "<x@y>", out, len), CR_EINVALID);
    cr_mail_text_free(out);
    cr_mail_transport_free(t);
    snprintf(sub, sizeof(sub), "%s/Sent/deep/new", dir);
    assert_int_equal(count_files(sub), 2);
    snprintf(sub, sizeof(sub), "%s/Sent/deep/tmp", dir);
    assert_int_equal(count_files(sub), 0);
    snprintf(sub, sizeof(sub), "%s/Sent/deep/cur", dir);
    assert_int_equal(count_files(sub), 0);

    memset(&c, 0, sizeof(c));
    snprintf(url, sizeof(url), "%s/Sent/deep", dir); /* a bare path: a directory is a Maildir */
    assert_int_equal(cr_mail_read(url, collect, &c), CR_OK);
    assert_int_equal(c.n, 2);
    /* names start with the time in seconds then microseconds: both orders are possible only
     * within one microsecond, so check the set */
    assert_true((strcmp(c.subjects[0], "Second") == 0) != (strcmp(c.subjects[1], "Second") == 0));
    {
        /* stored with LF line ends, after Return-Path and Delivered-To */
        char *data;
        DIR *d;
        struct dirent *de;
        char path[1400];
        snprintf(sub, sizeof(sub), "%s/Sent/deep/new", dir);
        d = opendir(sub);
        assert_non_null(d);
        while ((de = readdir(d)) != NULL && de->d_name[0] == '.')
            ;
        assert_non_null(de);
        snprintf(path, sizeof(path), "%s/%s", sub, de->d_name);
        closedir(d);
        data = slurp(path, NULL);
        assert_non_null(data);
        static const char head[] =
            "Return-Path: <team@brand.test>\nDelivered-To: maya@example.com\nDate: ";
        assert_int_equal(strncmp(data, head, strlen(head)), 0);
        assert_null(strchr(data, '\r'));
        free(data);
    }
    assert_int_equal(cr_mail_transport_open(&t, "ftp://x", NULL), CR_EINVALID);
    assert_null(t);
    rm_rf(dir);
}

/* ---- reading replies -------------------------------------------------------------------- */

typedef struct {
    int n;
    cr_mail_kind kind[8];
    int reply_ok, bounce_ok, auto_ok, plain_bounce_ok;
    char sources[8][512];
} classified;

static cr_err check_fixture(const cr_mail_incoming *msg, void *payload)
{
    classified *c = payload;

    if (c->n < 8) {
        c->kind[c->n] = msg->kind;
        snprintf(c->sources[c->n], sizeof(c->sources[0]), "%s", msg->source);
    }
    c->n++;
    if (strcmp(msg->message_id, "<reply-1@mail.example.com>") == 0) {
        assert_int_equal(msg->kind, CR_MAIL_REPLY);
        assert_string_equal(msg->in_reply_to, "<abc123@crest.test>");
        assert_string_equal(msg->subject, "Re: Café partnership");
        assert_string_equal(msg->from, "Zoë Martin <Zoe@Example.com>");
        assert_string_equal(msg->from_addr, "zoe@example.com");
        assert_int_equal(msg->date, cr_days_from_civil(2026, 12, 8) * 86400 + 9 * 3600 + 900);
        assert_string_equal(msg->excerpt, "Hi! Yes, I'd love to work together — send details.");
        assert_true(cr_mail_refers_to(msg, "<abc123@crest.test>"));
        assert_true(cr_mail_refers_to(msg, "intro0@crest.test")); /* References, no brackets */
        assert_false(cr_mail_refers_to(msg, "<abc12@crest.test>"));
        assert_false(cr_mail_refers_to(msg, "<reply-1@mail.example.com>"));
        c->reply_ok = 1;
    } else if (strcmp(msg->message_id, "<bounce-1@mx.brand.test>") == 0) {
        assert_int_equal(msg->kind, CR_MAIL_BOUNCE);
        assert_string_equal(msg->failed_recipients, "nobody@nowhere.test");
        assert_string_equal(msg->original_message_id, "<sent-7@crest.test>");
        assert_string_equal(msg->auto_submitted, "auto-replied");
        assert_true(cr_mail_refers_to(msg, "<sent-7@crest.test>"));
        assert_string_equal(msg->excerpt, "The mail system could not deliver your message to "
                                          "nobody@nowhere.test.");
        c->bounce_ok = 1;
    } else if (strcmp(msg->message_id, "<auto-1@example.org>") == 0) {
        assert_int_equal(msg->kind, CR_MAIL_AUTO_REPLY);
        assert_true(cr_mail_refers_to(msg, "<sent-8@crest.test>"));
        assert_string_equal(msg->excerpt, "I am away until Monday & will answer then.");
        assert_int_equal(msg->date, cr_days_from_civil(2026, 12, 8) * 86400 + 17 * 3600);
        assert_string_equal(msg->failed_recipients, "");
        c->auto_ok = 1;
    } else if (strcmp(msg->message_id, "<b2@old.test>") == 0) {
        assert_int_equal(msg->kind, CR_MAIL_BOUNCE);
        assert_string_equal(msg->failed_recipients, "gone@old.test");
        assert_string_equal(msg->original_message_id, "<sent-9@crest.test>");
        c->plain_bounce_ok = 1;
    } else {
        fail_msg("unexpected message %s", msg->message_id);
    }
    return CR_OK;
}

static void copy_fixture(const char *name, const char *to)
{
    char path[512], *data;
    size_t len;

    snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
    data = slurp(path, &len);
    assert_non_null(data);
    spit(to, data, len);
    free(data);
}

static void test_mail__read_maildir_reply_bounce_auto_reply(void **state)
{
    char dir[512], path[700], url[600];
    classified c;
    (void)state;
    mk_tmp(dir, sizeof(dir), "inbox");
    snprintf(path, sizeof(path), "%s/new", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/cur", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/new/1.reply", dir);
    copy_fixture("reply.eml", path);
    snprintf(path, sizeof(path), "%s/new/2.bounce", dir);
    copy_fixture("bounce.eml", path);
    snprintf(path, sizeof(path), "%s/cur/3.auto:2,S", dir);
    copy_fixture("auto.eml", path);
    snprintf(path, sizeof(path), "%s/cur/4.plain:2,", dir);
    copy_fixture("plain_bounce.eml", path);
    snprintf(path, sizeof(path), "%s/new/.hidden", dir);
    spit(path, "Subject: x\n\n", 12);
    memset(&c, 0, sizeof(c));
    snprintf(url, sizeof(url), "maildir:%s", dir);
    assert_int_equal(cr_mail_read(url, check_fixture, &c), CR_OK);
    assert_int_equal(c.n, 4);
    assert_true(c.reply_ok && c.bounce_ok && c.auto_ok && c.plain_bounce_ok);
    /* new/ before cur/, names in order */
    assert_int_equal(c.kind[0], CR_MAIL_REPLY);
    assert_int_equal(c.kind[1], CR_MAIL_BOUNCE);
    assert_int_equal(c.kind[2], CR_MAIL_AUTO_REPLY);
    assert_int_equal(c.kind[3], CR_MAIL_BOUNCE);
    snprintf(path, sizeof(path), "%s/new/1.reply", dir);
    assert_string_equal(c.sources[0], path);
    snprintf(url, sizeof(url), "maildir:%s/missing", dir);
    assert_int_equal(cr_mail_read(url, check_fixture, &c), CR_ENOTFOUND);
    rm_rf(dir);
}

static cr_err stop_at_second(const cr_mail_incoming *msg, void *payload)
{
    int *n = payload;
    (void)msg;
    return ++*n == 2 ? CR_ECONFLICT : CR_OK;
}

static void test_mail__read_mbox(void **state)
{
    char dir[512], path[700], url[800], fx[512], want[800];
    static const char *const names[] = { "reply.eml", "bounce.eml", "auto.eml",
                                         "plain_bounce.eml" };
    FILE *f;
    classified c;
    size_t i;
    int n = 0;
    (void)state;
    mk_tmp(dir, sizeof(dir), "mbox");
    snprintf(path, sizeof(path), "%s/inbox.mbox", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    for (i = 0; i < 4; i++) {
        char *data;
        snprintf(fx, sizeof(fx), "%s/%s", FIXTURES, names[i]);
        data = slurp(fx, NULL);
        assert_non_null(data);
        fprintf(f, "From sender@example.com Tue Dec  8 10:15:00 2026\n%s\n", data);
        free(data);
    }
    fclose(f);
    memset(&c, 0, sizeof(c));
    snprintf(url, sizeof(url), "mbox:%s", path);
    assert_int_equal(cr_mail_read(url, check_fixture, &c), CR_OK);
    assert_int_equal(c.n, 4);
    assert_true(c.reply_ok && c.bounce_ok && c.auto_ok && c.plain_bounce_ok);
    snprintf(want, sizeof(want), "%s:3", path);
    assert_string_equal(c.sources[2], want);
    /* a callback's error stops the reading and comes back */
    assert_int_equal(cr_mail_read(path, stop_at_second, &n), CR_ECONFLICT);
    assert_int_equal(n, 2);
    rm_rf(dir);
}

static cr_err first_excerpt(const cr_mail_incoming *msg, void *payload)
{
    collected *c = payload;
    if (c->n < 8)
        snprintf(c->subjects[c->n], sizeof(c->subjects[0]), "%s", msg->excerpt);
    c->n++;
    return CR_OK;
}

static void test_mail__read_mbox_unquotes_from_lines(void **state)
{
    static const char mbox[] = "From a@b Mon Dec  7 09:00:00 2026\n"
                               "From: a@b.test\n"
                               "Subject: one\n"
                               "\n"
                               "Hello\n"
                               ">From the start\n"
                               ">>From here, quoted\n"
                               "\n"
                               "From c@d Mon Dec  7 09:00:00 2026\n"
                               "From: c@d.test\n"
                               "Subject: two\n"
                               "\n"
                               "second body\n";
    collected c;
    (void)state;
    memset(&c, 0, sizeof(c));
    assert_int_equal(cr_mail_parse_mbox(mbox, strlen(mbox), "m", first_excerpt, &c), CR_OK);
    assert_int_equal(c.n, 2);
    /* ">From" lost its '>'; ">>From" kept one, so it reads as a quote (left out) */
    assert_string_equal(c.subjects[0], "Hello From the start");
    assert_string_equal(c.subjects[1], "second body");
}

/* ---- SMTP ------------------------------------------------------------------------------- */

static void send_formatted(cr_mail_transport *t, const char *id, const char *to, char **out)
{
    cr_mail_message m;
    size_t len;
    char rcpt[128];

    base_message(&m);
    m.message_id = id;
    m.to = to;
    m.html = "<p>Hi Maya</p>\n<p>.leading dot and =equals</p>";
    assert_int_equal(cr_mail_format(out, &len, &m), CR_OK);
    assert_int_equal(cr_mail_addr_spec(rcpt, sizeof(rcpt), to), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "bounces@brand.test", rcpt, *out, len), CR_OK);
}

static void test_mail__smtp_sink_receives_exact_bytes(void **state)
{
    char dir[512], url[64], path[700], *a = NULL, *b = NULL, *got;
    const char *args[] = { NULL, NULL };
    cr_mail_transport *t = NULL;
    helper h;
    size_t len;
    int rc;
    (void)state;
    mk_tmp(dir, sizeof(dir), "smtp");
    args[0] = dir;
    rc = helper_start(&h, SCRIPTS "/smtp_sink.py", args);
    if (rc == 77) {
        rm_rf(dir);
        skip();
    }
    assert_int_equal(rc, 0);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", h.port);
    assert_int_equal(cr_mail_transport_open(&t, url, NULL), CR_OK);
    assert_string_equal(cr_mail_transport_kind(t), "smtp");
    send_formatted(t, "<one@brand.test>", "Maya <maya@example.com>", &a);
    send_formatted(t, "<two@brand.test>", "Zoë Ångström <zoe@example.com>", &b);
    cr_mail_transport_free(t);
    helper_stop(&h);

    snprintf(path, sizeof(path), "%s/0001.eml", dir);
    got = slurp(path, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(a));
    assert_memory_equal(got, a, len);
    free(got);
    snprintf(path, sizeof(path), "%s/0001.env", dir);
    got = slurp(path, NULL);
    assert_string_equal(got, "MAIL FROM:<bounces@brand.test>\nRCPT TO:<maya@example.com>\n");
    free(got);
    snprintf(path, sizeof(path), "%s/0002.eml", dir);
    got = slurp(path, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(b));
    assert_memory_equal(got, b, len);
    free(got);
    snprintf(path, sizeof(path), "%s/0002.env", dir);
    got = slurp(path, NULL);
    assert_string_equal(got, "MAIL FROM:<bounces@brand.test>\nRCPT TO:<zoe@example.com>\n");
    free(got);
    snprintf(path, sizeof(path), "%s/0003.eml", dir);
    assert_int_equal(access(path, F_OK), -1); /* exactly two */
    cr_mail_text_free(a);
    cr_mail_text_free(b);
    rm_rf(dir);
}

static void test_mail__smtp_auth(void **state)
{
    char dir[512], url[64], *msg = NULL;
    const char *args[] = { NULL, "--auth", "crest:s3cret-pass", NULL };
    cr_mail_transport_opts o = CR_MAIL_TRANSPORT_OPTS_INIT;
    cr_mail_transport *t = NULL;
    cr_mail_message m;
    helper h;
    size_t len;
    int rc;
    (void)state;
    mk_tmp(dir, sizeof(dir), "smtpauth");
    args[0] = dir;
    rc = helper_start(&h, SCRIPTS "/smtp_sink.py", args);
    if (rc == 77) {
        rm_rf(dir);
        skip();
    }
    assert_int_equal(rc, 0);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", h.port);
    base_message(&m);
    assert_int_equal(cr_mail_format(&msg, &len, &m), CR_OK);

    o.user = "crest";
    o.password = "wrong-password-123";
    assert_int_equal(cr_mail_transport_open(&t, url, &o), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", msg, len),
                     CR_EAUTH);
    assert_null(strstr(cr_error_last()->message, "wrong-password-123"));
    assert_non_null(strstr(cr_error_last()->message, url));
    cr_mail_transport_free(t);

    /* no credentials at all: the server requires AUTH, so MAIL is refused */
    assert_int_equal(cr_mail_transport_open(&t, url, NULL), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", msg, len),
                     CR_EIO);
    cr_mail_transport_free(t);

    o.password = "s3cret-pass";
    assert_int_equal(cr_mail_transport_open(&t, url, &o), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", msg, len),
                     CR_OK);
    cr_mail_transport_free(t);
    helper_stop(&h);
    {
        char path[700];
        snprintf(path, sizeof(path), "%s/0001.eml", dir);
        assert_int_equal(access(path, F_OK), 0);
        snprintf(path, sizeof(path), "%s/0002.eml", dir);
        assert_int_equal(access(path, F_OK), -1);
    }
    /* credentials in the URL are refused, and the message does not repeat them */
    assert_int_equal(cr_mail_transport_open(&t, "smtp://crest:s3cret-pass@127.0.0.1:25", NULL),
                     CR_EINVALID);
    assert_null(strstr(cr_error_last()->message, "s3cret-pass"));
    cr_mail_text_free(msg);
    rm_rf(dir);
}

static void test_mail__smtp_tls(void **state)
{
    char dir[512], url[64], cert[700], key[700], cmd[2000], *msg = NULL;
    const char *args[] = { NULL, NULL, NULL, NULL, NULL };
    cr_mail_transport_opts o = CR_MAIL_TRANSPORT_OPTS_INIT;
    cr_mail_transport *t = NULL;
    cr_mail_message m;
    helper h;
    size_t len;
    int rc;
    (void)state;
    if (!have_aiosmtpd())
        skip();
    mk_tmp(dir, sizeof(dir), "smtptls");
    base_message(&m);
    assert_int_equal(cr_mail_format(&msg, &len, &m), CR_OK);

    /* TLS required, but the sink offers no STARTTLS: refused before any mail is sent */
    args[0] = dir;
    assert_int_equal(helper_start(&h, SCRIPTS "/smtp_sink.py", args), 0);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", h.port);
    o.require_tls = 1;
    assert_int_equal(cr_mail_transport_open(&t, url, &o), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", msg, len),
                     CR_EIO);
    assert_non_null(strstr(cr_error_last()->message, "TLS"));
    cr_mail_transport_free(t);
    helper_stop(&h);

    /* with a self-signed certificate: STARTTLS, then the message */
    snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 "
             "-keyout '%s' -out '%s' >/dev/null 2>&1",
             key, cert);
    if (system(cmd) != 0) {
        cr_mail_text_free(msg);
        rm_rf(dir);
        skip(); /* no openssl command */
    }
    args[1] = "--starttls";
    args[2] = cert;
    args[3] = key;
    rc = helper_start(&h, SCRIPTS "/smtp_sink.py", args);
    assert_int_equal(rc, 0);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", h.port);
    /* verification on (the default): a self-signed certificate is refused */
    assert_int_equal(cr_mail_transport_open(&t, url, &o), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "team@brand.test", "maya@example.com", msg, len),
                     CR_EIO);
    cr_mail_transport_free(t);
    /* trusting that certificate as the CA: accepted */
    o.ca_file = cert;
    assert_int_equal(cr_mail_transport_open(&t, url, &o), CR_OK);
    rc = cr_mail_transport_send(t, "team@brand.test", "maya@example.com", msg, len);
    if (rc != CR_OK)
        fail_msg("%s", cr_error_last()->message);
    cr_mail_transport_free(t);
    helper_stop(&h);
    {
        char path[700], *got;
        size_t gl;
        snprintf(path, sizeof(path), "%s/0001.eml", dir);
        got = slurp(path, &gl);
        assert_non_null(got);
        assert_int_equal(gl, len);
        assert_memory_equal(got, msg, len);
        free(got);
    }
    cr_mail_text_free(msg);
    rm_rf(dir);
}

static void test_mail__smtp_connection_refused(void **state)
{
    cr_mail_transport *t = NULL;
    cr_mail_transport_opts o = CR_MAIL_TRANSPORT_OPTS_INIT;
    char url[64];
    helper h;
    const char *args[] = { NULL };
    int port, rc;
    (void)state;
    /* a port that was just free: start the fake endpoint, note its port, stop it */
    rc = helper_start(&h, SCRIPTS "/fake_llm.py", args);
    if (rc == 77)
        skip(); /* no python3 */
    assert_int_equal(rc, 0);
    port = h.port;
    helper_stop(&h);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
    o.timeout_ms = 5000;
    assert_int_equal(cr_mail_transport_open(&t, url, &o), CR_OK);
    assert_int_equal(cr_mail_transport_send(t, "a@b.test", "c@d.test", "x\r\n", 3), CR_EIO);
    assert_non_null(strstr(cr_error_last()->message, url));
    cr_mail_transport_free(t);
}

/* ---- drafting --------------------------------------------------------------------------- */

static void test_mail__draft_against_fake_endpoint(void **state)
{
    char dir[512], base[64], path[700], *out = NULL, *logged;
    const char *args[] = { "--key", "sk-test-123", "--log", NULL, NULL };
    cr_mail_draft_config cfg = CR_MAIL_DRAFT_CONFIG_INIT;
    helper h;
    int rc;
    (void)state;
    mk_tmp(dir, sizeof(dir), "llm");
    args[3] = dir;
    rc = helper_start(&h, SCRIPTS "/fake_llm.py", args);
    if (rc == 77) {
        rm_rf(dir);
        skip(); /* no python3 */
    }
    assert_int_equal(rc, 0);
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1/", h.port);
    cfg.base_url = base;
    cfg.model = "qwen2.5:0.5b";
    cfg.api_key = "sk-test-123";
    cfg.temperature = 0.25;
    assert_int_equal(cr_mail_draft(&out, &cfg, "You write short outreach e-mails.",
                                   "Creator: Zoë\nFAKE_REPLY:\nHi Zoë,\nlet's talk.\n"),
                     CR_OK);
    assert_string_equal(out, "Hi Zoë,\nlet's talk.\n");
    cr_mail_text_free(out);
    /* what was sent: the model, both messages, the key as a bearer token */
    snprintf(path, sizeof(path), "%s/0001.json", dir);
    logged = slurp(path, NULL);
    assert_non_null(logged);
    assert_non_null(strstr(logged, "\"model\":\"qwen2.5:0.5b\""));
    assert_non_null(strstr(logged, "\"role\":\"system\""));
    assert_non_null(strstr(logged, "\"temperature\":0.25"));
    assert_non_null(strstr(logged, "\"stream\":false"));
    free(logged);
    snprintf(path, sizeof(path), "%s/0001.auth", dir);
    logged = slurp(path, NULL);
    assert_string_equal(logged, "Bearer sk-test-123");
    free(logged);

    /* an echo without FAKE_REPLY; no system prompt */
    assert_int_equal(cr_mail_draft(&out, &cfg, NULL, "plain echo"), CR_OK);
    assert_string_equal(out, "plain echo");
    cr_mail_text_free(out);

    /* an error status on demand */
    assert_int_equal(cr_mail_draft(&out, &cfg, NULL, "FAKE_STATUS=503"), CR_EIO);
    assert_null(out);
    assert_non_null(strstr(cr_error_last()->message, "HTTP 503"));
    assert_non_null(strstr(cr_error_last()->message, "fake error 503"));

    /* a wrong key: 401, CR_EAUTH, and the key is not in the message */
    cfg.api_key = "sk-wrong-456";
    assert_int_equal(cr_mail_draft(&out, &cfg, NULL, "hello"), CR_EAUTH);
    assert_null(strstr(cr_error_last()->message, "sk-wrong-456"));
    assert_non_null(strstr(cr_error_last()->message, "HTTP 401"));
    helper_stop(&h);

    /* nothing listens any more: a connection error naming the endpoint */
    cfg.api_key = NULL;
    assert_int_equal(cr_mail_draft(&out, &cfg, NULL, "hello"), CR_EIO);
    assert_non_null(strstr(cr_error_last()->message, "draft endpoint http://127.0.0.1:"));

    /* configuration errors */
    cfg.model = NULL;
    assert_int_equal(cr_mail_draft(&out, &cfg, NULL, "hello"), CR_EINVALID);
    cfg.model = "m";
    cfg.base_url = "file:///etc/passwd";
    assert_int_equal(cr_mail_draft(&out, &cfg, NULL, "hello"), CR_EINVALID);
    rm_rf(dir);
}

static void test_mail__draft_bad_json(void **state)
{
    char base[64], *out = NULL;
    const char *args[] = { "--bad-json", NULL };
    cr_mail_draft_config cfg = CR_MAIL_DRAFT_CONFIG_INIT;
    helper h;
    int rc;
    (void)state;
    rc = helper_start(&h, SCRIPTS "/fake_llm.py", args);
    if (rc == 77)
        skip(); /* no python3 */
    assert_int_equal(rc, 0);
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", h.port);
    cfg.base_url = base;
    cfg.model = "m";
    assert_int_equal(cr_mail_draft(&out, &cfg, "s", "u"), CR_EIO);
    assert_non_null(strstr(cr_error_last()->message, "not JSON"));
    helper_stop(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail__format_golden_plain),
        cmocka_unit_test(test_mail__format_multipart_round_trips),
        cmocka_unit_test(test_mail__format_encodes_unicode_names_and_subjects),
        cmocka_unit_test(test_mail__format_long_ascii_subject_is_folded),
        cmocka_unit_test(test_mail__format_quoted_printable_limits),
        cmocka_unit_test(test_mail__format_refuses_header_injection),
        cmocka_unit_test(test_mail__format_refuses_missing_or_malformed_fields),
        cmocka_unit_test(test_mail__message_id_and_addr_spec),
        cmocka_unit_test(test_mail__maildir_delivery_and_read_back),
        cmocka_unit_test(test_mail__read_maildir_reply_bounce_auto_reply),
        cmocka_unit_test(test_mail__read_mbox),
        cmocka_unit_test(test_mail__read_mbox_unquotes_from_lines),
        cmocka_unit_test_teardown(test_mail__smtp_sink_receives_exact_bytes, stop_helpers),
        cmocka_unit_test_teardown(test_mail__smtp_auth, stop_helpers),
        cmocka_unit_test_teardown(test_mail__smtp_tls, stop_helpers),
        cmocka_unit_test_teardown(test_mail__smtp_connection_refused, stop_helpers),
        cmocka_unit_test_teardown(test_mail__draft_against_fake_endpoint, stop_helpers),
        cmocka_unit_test_teardown(test_mail__draft_bad_json, stop_helpers),
    };
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("outreach.mail", tests, NULL, NULL);
}
