/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.h - outreach (issue 7): personalised templates (a mustache subset), the lint that
 * refuses a message with an unfilled variable, follow-up sequences and the scheduler that
 * sends their steps under the sending rules (quiet hours in the creator's time zone, a daily
 * cap with warm-up, a minimum gap per address), replies that stop sequences, the partnership
 * pipeline with its per-creator timeline, permanent opt-outs, and AI drafts that a person
 * approves. docs/outreach.md describes all of it.
 *
 * libcrest does not build or send mail itself here: cr_outreach_run() hands each message to a
 * callback (the CLI and the server wire the Maildir and SMTP transports of crest/mail.h to
 * it), and cr_outreach_sync_reply() takes a reply already read from a mailbox. Text returned
 * through `char **out` is freed with cr_outreach_text_free(). */
#ifndef CR_OUTREACH_H
#define CR_OUTREACH_H

#include "crest/store.h"

CR_BEGIN_DECL

/* ---- templates (src/outreach/template.c) ---- */

/** One unfilled variable found while rendering: missing (no value) or empty (""). */
typedef struct {
    char name[128];
    int line, column; /* 1-based; the column counts characters (UTF-8 code points) */
    int empty;        /* 1: the value is an empty string; 0: there is no value */
    char part[8];     /* "" (the body), "subject" or "html": set by cr_outreach_preview() */
} cr_tpl_issue;

#define CR_TPL_MAX_ISSUES 32

typedef struct {
    size_t count; /* issues found (may exceed CR_TPL_MAX_ISSUES; the first ones are kept) */
    cr_tpl_issue issues[CR_TPL_MAX_ISSUES];
} cr_tpl_lint;

/**
 * Render a template against a context given as a JSON object.
 *
 * The subset: {{name}} (HTML-escaped when `html`), {{{name}}} and {{& name}} (never escaped),
 * {{#name}}...{{/name}} (skipped when the value is missing, null, false, "", 0 or an empty
 * list; repeated for each item of a list; entered for an object), {{^name}}...{{/name}}
 * (the opposite), {{! comment}}, dotted names (creator.first_name) and "." for the current
 * item. A section, inverted, closing or comment tag alone on its line removes that line.
 * Partials and delimiter changes are not supported (CR_EINVALID).
 *
 * @param out receives the text (free with cr_outreach_text_free()); may be NULL to lint only
 * @param lint receives the variables left unfilled (rendered as ""); may be NULL
 * @param name the template's name for error messages ("intro:3:7: ...")
 * @return CR_OK (even with unfilled variables: see lint); CR_EINVALID for a malformed
 *         template or context, naming line and column
 */
CR_EXTERN(cr_err)
cr_tpl_render(char **out,
              cr_tpl_lint *lint,
              const char *name,
              const char *tpl,
              size_t len,
              const char *context_json,
              int html);

/**
 * The lint as one line: "intro:2:9: {{post.url}} is missing; 3:1: {{creator.first_name}} is
 * empty". Returns CR_OK when the lint found nothing, else CR_EINVALID with that message set.
 */
CR_EXTERN(cr_err) cr_tpl_lint_check(const cr_tpl_lint *lint, const char *name);

/** HTML-escape text (& < > " '). */
CR_EXTERN(cr_err) cr_outreach_html_escape(char **out, const char *text);
/** A plain-text body as HTML: escaped, blank lines become paragraphs, line breaks <br>. */
CR_EXTERN(cr_err) cr_outreach_text_to_html(char **out, const char *text);
CR_EXTERN(void) cr_outreach_text_free(char *text);

/* ---- time zones and sending rules (src/outreach/rules.c) ---- */

/**
 * A representative UTC offset in minutes for an ISO 3166 country code at UTC time `at`: the
 * offset of the zone most of its people live in, daylight saving included by today's rules
 * (docs/outreach.md).
 * @return 1 when the country is known, 0 otherwise (*out is then 0: UTC)
 */
CR_EXTERN(int) cr_outreach_tz_offset(int *out, const char *country, int64_t at);

#define CR_OUTREACH_CONFIG_VERSION 1

/** The sender and the sending rules (stored as the setting "outreach.config", JSON). */
typedef struct {
    unsigned int version;
    char from_email[256];
    char from_name[128];
    char unsubscribe[512]; /* mailto: or https: for List-Unsubscribe; "" = mailto:from */
    int quiet_start;       /* local hour quiet time starts (default 21) */
    int quiet_end;         /* local hour it ends (default 8); equal hours: no quiet time */
    int daily_cap;         /* at most this many messages per UTC day (default 200) */
    int warmup_start;      /* day 1 of sending allows this many (default 20) */
    int warmup_step;       /* and each later day this many more, up to the cap (default 20) */
    int min_gap_hours;     /* no second message to an address inside this (default 48) */
} cr_outreach_config;

CR_EXTERN(void) cr_outreach_config_init(cr_outreach_config *c);
/** Read the stored configuration (defaults for what is not set). */
CR_EXTERN(cr_err) cr_outreach_config_load(cr_outreach_config *out, cr_store *st);
/** Check and store it. @return CR_OK; CR_EINVALID naming the field */
CR_EXTERN(cr_err) cr_outreach_config_save(cr_store *st, const cr_outreach_config *c);
/** The configuration as JSON text. */
CR_EXTERN(cr_err) cr_outreach_config_json(char **out, const cr_outreach_config *c);
/** Set one field from text ("from_email", "quiet_start", ...). @return CR_EINVALID naming it */
CR_EXTERN(cr_err) cr_outreach_config_set(cr_outreach_config *c, const char *key, const char *value);

/** 1 when `now` falls in the quiet hours at a UTC offset of `offset_min` minutes. */
CR_EXTERN(int) cr_outreach_quiet(const cr_outreach_config *c, int64_t now, int offset_min);
/**
 * The day's cap under warm-up: day 1 is the UTC day of the first message ever sent (or
 * today when none was); day d allows min(cap, warmup_start + (d - 1) x warmup_step).
 */
CR_EXTERN(int64_t)
cr_outreach_day_cap(const cr_outreach_config *c, int64_t first_sent, int64_t now);

/* ---- sequences (src/outreach/outreach.c, store in src/store/outreach.c) ---- */

#define CR_OUTREACH_MAX_STEPS 16

typedef struct {
    int64_t id;
    const char *name, *subject, *text, *html; /* html may be NULL */
    int64_t created_at, updated_at;
} cr_outreach_template;

typedef struct {
    int step; /* 1, 2, ... */
    int day;  /* days after the previous step was sent (step 1: after enrolment) */
    char template_name[128];
} cr_outreach_step;

typedef struct {
    int64_t id;
    char name[128];
    size_t nsteps;
    cr_outreach_step steps[CR_OUTREACH_MAX_STEPS];
    int64_t created_at;
} cr_outreach_sequence;

/** Why a creator's sequence stopped (stop_reason). */
#define CR_OUTREACH_STOP_REPLY   "reply"
#define CR_OUTREACH_STOP_DECLINE "declined"
#define CR_OUTREACH_STOP_OPTOUT  "opted-out"
#define CR_OUTREACH_STOP_BOUNCE  "bounce"

typedef cr_err (*cr_outreach_template_cb)(const cr_outreach_template *t, void *payload);
typedef cr_err (*cr_outreach_sequence_cb)(const cr_outreach_sequence *s, void *payload);

/**
 * Add or replace a template; its three texts must parse (CR_EINVALID naming line:column).
 */
CR_EXTERN(cr_err)
cr_outreach_template_put(int64_t *out_id, cr_store *st, const cr_outreach_template *t);
/** name NULL: every template by name; else that one (CR_ENOTFOUND). */
CR_EXTERN(cr_err)
cr_outreach_template_list(cr_store *st,
                          const char *name,
                          cr_outreach_template_cb cb,
                          void *payload);
/**
 * Add a sequence (steps 1..n with their days; every template must exist). A sequence with
 * enrolments cannot be replaced (CR_ECONFLICT).
 */
CR_EXTERN(cr_err)
cr_outreach_sequence_put(int64_t *out_id, cr_store *st, const cr_outreach_sequence *s);
/** Parse a sequence document, YAML or JSON (a document starting with '{'): name, and steps
 * as a list of {day, template}; an error names the file, the line when known, and the field. */
CR_EXTERN(cr_err)
cr_outreach_sequence_parse(cr_outreach_sequence *out,
                           const char *text,
                           size_t len,
                           const char *file);
/** name NULL: every sequence by name; else that one (CR_ENOTFOUND). */
CR_EXTERN(cr_err)
cr_outreach_sequence_list(cr_store *st,
                          const char *name,
                          cr_outreach_sequence_cb cb,
                          void *payload);

/* ---- personalisation (src/outreach/context.c) ---- */

/**
 * The template context of a creator in a campaign as JSON: creator (handle, name,
 * first_name, platform, email, country, niche, niches, followers), campaign (name, brand,
 * objective, start, end), partnership (state, fee, promo_code), post (the best recent post:
 * url, topic, topics, posted_at), audience (top_country, top_country_share), offer (fee,
 * amount_minor, currency: from the rate card), sender (name, email), unsubscribe.
 * Unknown values are left out, so the lint names them.
 * @param campaign_id 0: no campaign fields
 * @return CR_OK; CR_ENOTFOUND for an unknown creator or campaign
 */
CR_EXTERN(cr_err)
cr_outreach_context(char **out, cr_store *st, int64_t creator_id, int64_t campaign_id, int64_t now);

/**
 * Render a template for a creator: subject, text and HTML (from the html template, else the
 * text as HTML). The lint covers all three.
 */
CR_EXTERN(cr_err)
cr_outreach_preview(char **subject,
                    char **text,
                    char **html,
                    cr_tpl_lint *lint,
                    cr_store *st,
                    const char *template_name,
                    int64_t creator_id,
                    int64_t campaign_id,
                    int64_t now);

/* ---- the pipeline (src/outreach/pipeline.c) ---- */

/** The states in order; NULL-terminated; static. */
CR_EXTERN(const char *const *) cr_outreach_states(void);
/** 1 when a partnership may move from `from` to `to` (docs/outreach.md has the graph). */
CR_EXTERN(int) cr_outreach_transition_ok(const char *from, const char *to);

/**
 * Move a creator's partnership in a campaign to `state` (created as a prospect first when
 * there is none), recording it on the timeline. declined and opted-out stop the creator's
 * sequences; opted-out is the same as cr_outreach_optout().
 * @return CR_OK; CR_EINVALID for a transition not allowed (naming both states)
 */
CR_EXTERN(cr_err)
cr_outreach_state_set(cr_store *st,
                      int64_t creator_id,
                      int64_t campaign_id,
                      const char *state,
                      const char *actor,
                      int64_t now);
/**
 * Opt a creator out, for good: the creator and its address are marked, every sequence stops,
 * every queued message is dropped, every partnership goes to opted-out.
 */
CR_EXTERN(cr_err)
cr_outreach_optout(cr_store *st, int64_t creator_id, const char *source, int64_t now);
/** Add a note to a creator's timeline. */
CR_EXTERN(cr_err)
cr_outreach_note(cr_store *st,
                 int64_t creator_id,
                 int64_t campaign_id,
                 const char *text,
                 const char *actor,
                 int64_t now);

/** A timeline entry: message, reply, bounce, state, note, optout, draft. */
typedef struct {
    int64_t id, creator_id, campaign_id, at;
    const char *kind, *detail, *actor;
} cr_outreach_event;
typedef cr_err (*cr_outreach_event_cb)(const cr_outreach_event *e, void *payload);
/** A creator's timeline, oldest first. */
CR_EXTERN(cr_err)
cr_outreach_timeline(cr_store *st, int64_t creator_id, cr_outreach_event_cb cb, void *payload);

typedef struct {
    int64_t campaign_id, creator_id, partnership_id;
    const char *campaign, *platform, *handle, *name, *state;
    int64_t updated_at; /* the last timeline entry; 0 none */
} cr_outreach_card;
typedef cr_err (*cr_outreach_card_cb)(const cr_outreach_card *c, void *payload);
/** The pipeline board: partnerships of a campaign (0: every campaign) by state order. */
CR_EXTERN(cr_err)
cr_outreach_pipeline(cr_store *st, int64_t campaign_id, cr_outreach_card_cb cb, void *payload);

/* ---- enrolment, the queue and sending (src/outreach/run.c) ---- */

/**
 * Enrol creators into a sequence for a campaign (a prospect partnership is created for those
 * without one). Creators who opted out, have no email, or are already enrolled are skipped
 * and counted. Step 1 is due `day` days after `now`.
 */
CR_EXTERN(cr_err)
cr_outreach_enqueue(int64_t *enrolled,
                    int64_t *skipped,
                    cr_store *st,
                    const char *sequence,
                    int64_t campaign_id,
                    const int64_t *creator_ids,
                    size_t n,
                    int64_t now);

/** A message handed to the transport (borrowed for the call). */
typedef struct {
    int64_t id; /* the queue row */
    const char *from_email, *from_name, *to_email, *to_name;
    const char *subject, *text, *html;
    const char *message_id;       /* "<...@domain>" */
    const char *in_reply_to;      /* the previous step's Message-ID; NULL for step 1 */
    const char *references;       /* the earlier steps' Message-IDs, space-separated; NULL */
    const char *list_unsubscribe; /* "<mailto:...>" or "<https://...>" */
    int64_t date;
    int step;
    const char *handle, *sequence;
} cr_outreach_mail;

/**
 * Send one message; return CR_OK when the transport took it. A failure marks the message
 * failed with the error's message (cr_error_last()) and the run goes on.
 */
typedef cr_err (*cr_outreach_send_fn)(const cr_outreach_mail *m, void *payload);

/**
 * The usual cr_outreach_send_fn: format the message as RFC 5322 (crest/mail.h: display names
 * kept to safe characters, List-Unsubscribe-Post for an https target) and hand it to the
 * transport given as payload.
 * @param transport a cr_mail_transport * (crest/mail.h), borrowed
 */
CR_EXTERN(cr_err) cr_outreach_send_mail(const cr_outreach_mail *m, void *transport);

typedef struct {
    int64_t queued;  /* steps that fell due and were queued now */
    int64_t sent;    /* messages the transport took */
    int64_t failed;  /* the transport refused */
    int64_t blocked; /* the lint refused (an unfilled variable) */
    int64_t stopped; /* sequences stopped before a send (opt-out, decline, reply) */
    int64_t quiet;   /* due but in the creator's quiet hours */
    int64_t capped;  /* due but the day's cap was reached */
    int64_t gap;     /* due but the address had a message inside the minimum gap */
    int64_t cap;     /* the day's cap */
} cr_outreach_run_stats;

/**
 * Queue the steps that fell due at `now` and send what the rules allow. Idempotent: a step
 * gets one queue row (unique per enrolment and step), and a row is claimed in a transaction
 * before it is handed to `send`, so running again at the same `now` sends nothing twice.
 * @param send NULL with dry_run
 * @param dry_run 1: decide and count, change nothing
 */
CR_EXTERN(cr_err)
cr_outreach_run(cr_outreach_run_stats *out,
                cr_store *st,
                int64_t now,
                int dry_run,
                cr_outreach_send_fn send,
                void *payload);

typedef struct {
    int64_t id, enrollment_id, creator_id, campaign_id;
    int step;
    const char *handle, *sequence, *to_email, *subject, *status, *message_id, *error;
    int64_t due_at, sent_at;
} cr_outreach_queued;
typedef cr_err (*cr_outreach_queued_cb)(const cr_outreach_queued *q, void *payload);
/** The queue rows (status NULL: any), oldest first. */
CR_EXTERN(cr_err)
cr_outreach_queue_list(cr_store *st, const char *status, cr_outreach_queued_cb cb, void *payload);

/** A reply read from a mailbox (borrowed). */
typedef struct {
    const char *message_id, *in_reply_to, *references; /* references space-separated */
    const char *original_message_id; /* a bounce: the Message-ID of the returned message */
    const char *from, *subject, *text;
    int64_t date;
    int bounce;     /* 1: a delivery status notification */
    int auto_reply; /* 1: an out-of-office or other automatic answer (logged, stops nothing) */
} cr_outreach_reply;

/**
 * Record a reply: matched to a sent message by In-Reply-To or any References id; stops that
 * creator's sequence (reply, or bounce for a delivery failure, or opted-out when the subject
 * or first line asks to unsubscribe), moves the partnership to replied, logs it. The same
 * reply twice is recorded once.
 * @param matched 1 when it answered one of crest's messages (0: ignored)
 */
CR_EXTERN(cr_err)
cr_outreach_sync_reply(int *matched, cr_store *st, const cr_outreach_reply *r, int64_t now);

/* ---- AI drafts (src/outreach/draft.c) ---- */

/** A draft of a message waiting for a person's approval. */
typedef struct {
    int64_t id, creator_id, campaign_id;
    const char *template_name, *subject, *text, *status, *model, *approved_by;
    int64_t created_at, approved_at;
} cr_outreach_draft;
typedef cr_err (*cr_outreach_draft_cb)(const cr_outreach_draft *d, void *payload);

/**
 * The prompt crest sends to the model: the creator's fields and the template as a guide.
 */
CR_EXTERN(cr_err)
cr_outreach_draft_prompt(char **out,
                         cr_store *st,
                         const char *template_name,
                         int64_t creator_id,
                         int64_t campaign_id,
                         int64_t now);
/**
 * Store a draft the model wrote (subject and text). It must pass the lint: leftover {{tags}}
 * and empty text are refused (CR_EINVALID naming the variable).
 */
CR_EXTERN(cr_err)
cr_outreach_draft_add(int64_t *out_id, cr_store *st, const cr_outreach_draft *d);
/** Approve a pending draft as `who`. */
CR_EXTERN(cr_err)
cr_outreach_draft_approve(cr_store *st, int64_t id, const char *who, int64_t now);
/** id 0: every draft, newest first; else that one (CR_ENOTFOUND). */
CR_EXTERN(cr_err)
cr_outreach_draft_list(cr_store *st, int64_t id, cr_outreach_draft_cb cb, void *payload);
/**
 * Queue an approved draft as a one-off message to its creator (due at `now`). An unapproved
 * draft is refused (CR_EINVALID).
 */
CR_EXTERN(cr_err) cr_outreach_draft_enqueue(int64_t *out_id, cr_store *st, int64_t id, int64_t now);

CR_END_DECL

#endif /* CR_OUTREACH_H */
