/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * send.c - the glue between `outreach run` and the mail layer: a queued message becomes an
 * RFC 5322 message (crest/mail.h) handed to a transport. Shared by the CLI and the server's
 * background run, so both send the same bytes. */
#include <stdio.h>
#include <string.h>

#include "crest/mail.h"
#include "crest/outreach.h"

/* "Name" <addr> with the characters that would need quoting rules taken out of the name
 * (the mail layer encodes the rest). */
static void mailbox(char *buf, size_t size, const char *name, const char *addr)
{
    char clean[160];
    size_t i, o = 0;

    for (i = 0; name && name[i] && o + 1 < sizeof(clean); i++)
        if (!strchr("<>\"\\,;:@()[]\r\n", name[i]))
            clean[o++] = name[i];
    clean[o] = '\0';
    if (o > 0)
        snprintf(buf, size, "\"%s\" <%s>", clean, addr);
    else
        snprintf(buf, size, "%s", addr);
}

cr_err cr_outreach_send_mail(const cr_outreach_mail *m, void *transport)
{
    cr_mail_message msg = CR_MAIL_MESSAGE_INIT;
    char from[512], to[512], *data = NULL;
    size_t len = 0;
    cr_err rc;

    if (transport == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "send: no transport");
    mailbox(from, sizeof(from), m->from_name, m->from_email);
    mailbox(to, sizeof(to), m->to_name, m->to_email);
    msg.from = from;
    msg.to = to;
    msg.subject = m->subject;
    msg.text = m->text;
    msg.html = m->html;
    msg.message_id = m->message_id;
    msg.in_reply_to = m->in_reply_to;
    msg.references = m->references;
    msg.list_unsubscribe = m->list_unsubscribe;
    msg.list_unsubscribe_post =
        m->list_unsubscribe != NULL && strncmp(m->list_unsubscribe, "https://", 8) == 0;
    msg.date = m->date;
    if ((rc = cr_mail_format(&data, &len, &msg)) < 0)
        return rc;
    rc = cr_mail_transport_send(transport, m->from_email, m->to_email, data, len);
    cr_mail_text_free(data);
    return rc;
}
