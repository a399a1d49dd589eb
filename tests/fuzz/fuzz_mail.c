/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_mail.c - libFuzzer harness of the mail reader (src/outreach/mail_read.c), which parses
 * whatever arrives in the reply mailbox: the input is parsed as one message and as an mbox.
 * Every string of a parsed message must be NUL-terminated UTF-8, the excerpt at most 500
 * bytes, and cr_mail_refers_to() must hold for the message's own In-Reply-To. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crest/mail.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s)
{
    if (s == NULL || !cr_utf8_valid(s, strlen(s)))
        abort();
}

static cr_err check(const cr_mail_incoming *m, void *payload)
{
    (void)payload;
    check_utf8(m->message_id);
    check_utf8(m->in_reply_to);
    check_utf8(m->references);
    check_utf8(m->from);
    check_utf8(m->from_addr);
    check_utf8(m->subject);
    check_utf8(m->date_raw);
    check_utf8(m->auto_submitted);
    check_utf8(m->failed_recipients);
    check_utf8(m->original_message_id);
    check_utf8(m->excerpt);
    if (strlen(m->excerpt) > 500)
        abort();
    if (m->kind != CR_MAIL_REPLY && m->kind != CR_MAIL_BOUNCE && m->kind != CR_MAIL_AUTO_REPLY)
        abort();
    if (m->in_reply_to[0] != '\0' && !cr_mail_refers_to(m, m->in_reply_to))
        abort();
    return CR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cr_mail_incoming *m = NULL;

    if (cr_mail_parse(&m, (const char *)data, size, "fuzz") == CR_OK) {
        check(m, NULL);
        cr_mail_incoming_free(m);
    }
    (void)cr_mail_parse_mbox((const char *)data, size, "fuzz", check, NULL);
    return 0;
}
