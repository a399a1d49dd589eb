/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail.h - the mail layer of outreach (issue 7): RFC 5322 messages, transports (a Maildir
 * folder or SMTP through libcurl), reading replies and bounces back from a Maildir or an mbox,
 * and the client of an OpenAI-compatible endpoint that drafts a message.
 *
 * libcrest never reads the environment: credentials, endpoints and keys come in through the
 * option structs below, filled by the CLI or the server. Nothing here logs a password or a
 * key, and no error message repeats one. docs/mail.md describes the formats and URLs.
 *
 * Text returned through `char **out` is freed with cr_mail_text_free(). */
#ifndef CR_MAIL_H
#define CR_MAIL_H

#include "crest/errors.h"

CR_BEGIN_DECL

/** Room for a Message-ID made by cr_mail_new_message_id(), with its angle brackets and NUL. */
#define CR_MAIL_ID_MAX 256

/**
 * One outgoing message. Every string is UTF-8 and borrowed. None may hold a CR or LF except
 * `text` and `html` (cr_mail_format() refuses the message and names the field).
 */
typedef struct {
    unsigned int version;
    const char *from;             /* "Display Name <addr@host>" or "addr@host"; required */
    const char *to;               /* same forms; required */
    const char *reply_to;         /* may be NULL */
    const char *subject;          /* required, may be "" */
    const char *text;             /* the text/plain part; required */
    const char *html;             /* the text/html part; NULL: a text/plain message only */
    const char *message_id;       /* "<unique@domain>" (see cr_mail_new_message_id()); required */
    const char *in_reply_to;      /* "<id>" of the message answered; may be NULL */
    const char *references;       /* "<id1> <id2>"; may be NULL */
    const char *list_unsubscribe; /* "https://..." or "mailto:..." without <>; may be NULL */
    int list_unsubscribe_post;    /* 1: add List-Unsubscribe-Post: List-Unsubscribe=One-Click
                                     (only when list_unsubscribe is an https URL) */
    int64_t date;                 /* Unix seconds; written as an RFC 5322 date in UTC */
} cr_mail_message;

#define CR_MAIL_MESSAGE_VERSION 1
#define CR_MAIL_MESSAGE_INIT                                                                      \
    {                                                                                             \
        CR_MAIL_MESSAGE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 \
    }

/**
 * Make a new Message-ID: "<" 26 random base32 characters (libsodium) "@" domain ">".
 * @param buf receives the id, NUL-terminated
 * @param size size of buf; CR_MAIL_ID_MAX is always enough
 * @param domain the right-hand side, e.g. the sender's domain ("crest.invalid" when NULL)
 * @return CR_OK, or CR_EINVALID for a domain that is not a plain host name or too long
 */
CR_EXTERN(cr_err) cr_mail_new_message_id(char *buf, size_t size, const char *domain);

/**
 * The bare address of "Display Name <addr@host>" or "addr@host" (for the SMTP envelope).
 * @return CR_OK, or CR_EINVALID when there is no address or it does not fit in size
 */
CR_EXTERN(cr_err) cr_mail_addr_spec(char *buf, size_t size, const char *mailbox);

/**
 * Format a message as RFC 5322 bytes with CRLF line ends: Date, From, To, Reply-To, Subject,
 * Message-ID, In-Reply-To, References, List-Unsubscribe(-Post), MIME-Version and the body
 * (multipart/alternative with text/plain and text/html when html is set, else text/plain),
 * both in UTF-8, quoted-printable. Non-ASCII header text is written as RFC 2047 encoded-words;
 * in From, To and Reply-To only the display name is encoded.
 * @param out receives the bytes, NUL-terminated (free with cr_mail_text_free())
 * @param len receives their length; may be NULL
 * @return CR_OK; CR_EINVALID naming the field when one is missing, holds CR or LF (header
 *         injection), is not UTF-8, or an address is malformed; CR_ENOMEM
 */
CR_EXTERN(cr_err) cr_mail_format(char **out, size_t *len, const cr_mail_message *msg);

/** Free text returned by the cr_mail_* calls; NULL does nothing. */
CR_EXTERN(void) cr_mail_text_free(char *text);

/* ---- transports ------------------------------------------------------------------------ */

typedef struct cr_mail_transport cr_mail_transport;

/** How to reach an SMTP server; ignored by Maildir. Strings are borrowed for the open call
 * (the transport keeps copies, and never prints the password). */
typedef struct {
    unsigned int version;
    const char *user;     /* AUTH user; NULL: no AUTH */
    const char *password; /* AUTH password */
    int require_tls;      /* 1: fail unless STARTTLS succeeds (smtps:// is always TLS);
                             0: STARTTLS when the server offers it */
    int insecure;         /* 1: do not verify the server's certificate (tests only) */
    const char *ca_file;  /* CA bundle to verify against; NULL: the system's */
    const char *helo;     /* name given in EHLO; NULL: libcurl's default */
    long timeout_ms;      /* connect and transfer timeout; 0: 30 s */
} cr_mail_transport_opts;

#define CR_MAIL_TRANSPORT_OPTS_VERSION 1
#define CR_MAIL_TRANSPORT_OPTS_INIT                                     \
    {                                                                   \
        CR_MAIL_TRANSPORT_OPTS_VERSION, NULL, NULL, 0, 0, NULL, NULL, 0 \
    }

/**
 * Open a transport from a URL:
 *   maildir:/path       messages are written to /path/new (tmp/, new/, cur/ are created)
 *   smtp://host[:port]  SMTP, STARTTLS when offered (or required by opts->require_tls)
 *   smtps://host[:port] SMTP over TLS
 * @param opts may be NULL (no AUTH, opportunistic STARTTLS)
 * @return CR_OK; CR_EINVALID for an unknown scheme or a malformed URL (the message shows the
 *         URL without any user:password part); CR_EIO when the Maildir cannot be created
 */
CR_EXTERN(cr_err)
cr_mail_transport_open(cr_mail_transport **out,
                       const char *url,
                       const cr_mail_transport_opts *opts);

/** "maildir" or "smtp"; static. */
CR_EXTERN(const char *) cr_mail_transport_kind(const cr_mail_transport *t);

/**
 * Deliver one formatted message (from cr_mail_format()).
 * Maildir: written to tmp/ under a unique name, fsync'd, renamed into new/.
 * SMTP: MAIL FROM env_from, RCPT TO rcpt, DATA (libcurl does the dot-stuffing).
 * @param env_from envelope sender, a bare address ("" allowed: the null sender)
 * @param rcpt envelope recipient, a bare address
 * @return CR_OK; CR_EINVALID for an address with CR, LF, <, > or spaces; CR_EAUTH when the
 *         server refuses the credentials; CR_EIO for any other failure (connection refused,
 *         TLS required but not offered, a rejected recipient, a write error)
 */
CR_EXTERN(cr_err)
cr_mail_transport_send(
    cr_mail_transport *t, const char *env_from, const char *rcpt, const char *data, size_t len);

CR_EXTERN(void) cr_mail_transport_free(cr_mail_transport *t);

/* ---- reading replies --------------------------------------------------------------------- */

typedef enum {
    CR_MAIL_REPLY = 0, /* a person's answer */
    CR_MAIL_BOUNCE,    /* a delivery status notification or a mailer-daemon failure */
    CR_MAIL_AUTO_REPLY /* Auto-Submitted other than "no", out-of-office, Precedence: bulk/auto */
} cr_mail_kind;

/** "reply", "bounce", "auto_reply"; static. */
CR_EXTERN(const char *) cr_mail_kind_name(cr_mail_kind kind);

/** One message read back. Every string is borrowed for the callback (or until
 * cr_mail_incoming_free()), decoded to UTF-8, never NULL ("" when absent). */
typedef struct {
    cr_mail_kind kind;
    const char *message_id;          /* "<id>" or "" */
    const char *in_reply_to;         /* "<id>" or "" */
    const char *references;          /* "<id1> <id2>" or "" */
    const char *from;                /* the From header, RFC 2047 decoded */
    const char *from_addr;           /* the bare address of From, lower-case */
    const char *subject;             /* RFC 2047 decoded */
    const char *date_raw;            /* the Date header as written */
    int64_t date;                    /* Unix seconds; 0 when missing or unreadable */
    const char *auto_submitted;      /* the Auto-Submitted header or "" */
    const char *failed_recipients;   /* bounce: X-Failed-Recipients or the DSN's
                                        Final-Recipient address, or "" */
    const char *original_message_id; /* bounce: the Message-ID of the returned message, or "" */
    const char *excerpt;             /* up to 500 bytes of the plain text, whitespace folded */
    const char *source;              /* maildir: the file path; mbox: "path:N" (N from 1) */
} cr_mail_incoming;

/** Called once per message read; a negative return stops the reading and is returned. */
typedef cr_err (*cr_mail_read_cb)(const cr_mail_incoming *msg, void *payload);

/**
 * Read every message of a mailbox: `maildir:/path` (new/ then cur/, in name order) or
 * `mbox:/path`; a bare path is a Maildir when it is a directory, else an mbox. Read-only:
 * nothing is moved or flagged, so callers deduplicate by Message-ID.
 * @return CR_OK; CR_ENOTFOUND when the mailbox does not exist; CR_EIO; or the callback's code
 */
CR_EXTERN(cr_err) cr_mail_read(const char *mailbox, cr_mail_read_cb cb, void *payload);

/**
 * Parse one message (headers and body, LF or CRLF).
 * @param source what to put in out->source; may be NULL
 * @return CR_OK, CR_EINVALID when there is no header at all, CR_ENOMEM
 */
CR_EXTERN(cr_err)
cr_mail_parse(cr_mail_incoming **out, const char *data, size_t len, const char *source);

/** Split an mbox held in memory into messages ("From " lines, >From unquoted) and parse
 * each; `name` is used for the sources ("name:N"). */
CR_EXTERN(cr_err)
cr_mail_parse_mbox(
    const char *data, size_t len, const char *name, cr_mail_read_cb cb, void *payload);

CR_EXTERN(void) cr_mail_incoming_free(cr_mail_incoming *msg);

/**
 * 1 when the message answers or returns `message_id` ("<id>", brackets optional): it is its
 * In-Reply-To, one of its References, or the original Message-ID inside a bounce.
 */
CR_EXTERN(int) cr_mail_refers_to(const cr_mail_incoming *msg, const char *message_id);

/* ---- AI drafting ------------------------------------------------------------------------- */

typedef struct {
    unsigned int version;
    const char *base_url; /* e.g. "http://127.0.0.1:8080/v1" (llama.cpp) or
                             "http://127.0.0.1:11434/v1" (Ollama); required */
    const char *model;    /* required */
    const char *api_key;  /* sent as "Authorization: Bearer KEY"; NULL: none */
    long timeout_ms;      /* whole request; 0: 120 s */
    double temperature;   /* sent as given; negative: not sent */
} cr_mail_draft_config;

#define CR_MAIL_DRAFT_CONFIG_VERSION 1
#define CR_MAIL_DRAFT_CONFIG_INIT                               \
    {                                                           \
        CR_MAIL_DRAFT_CONFIG_VERSION, NULL, NULL, NULL, 0, -1.0 \
    }

/**
 * Ask an OpenAI-compatible endpoint for a draft: POST {base_url}/chat/completions with the
 * system and user messages; returns the first choice's message content.
 * @param out receives the content (free with cr_mail_text_free())
 * @return CR_OK; CR_EINVALID for a missing base_url/model; CR_EAUTH for HTTP 401/403;
 *         CR_EIO for a connection failure, another HTTP error status (the message gives it and
 *         the start of the error body), or a reply that is not the expected JSON
 */
CR_EXTERN(cr_err)
cr_mail_draft(char **out,
              const cr_mail_draft_config *cfg,
              const char *system_prompt,
              const char *user_prompt);

CR_END_DECL

#endif /* CR_MAIL_H */
