/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach_int.h - what the files of src/outreach share: rendering a template's three parts,
 * the timeline, pipeline moves and the opt-out inside a caller's transaction. */
#ifndef CR_OUTREACH_INT_H
#define CR_OUTREACH_INT_H

#include <jansson.h>

#include "crest/outreach.h"

cr_err cr_outreach__render(char **subject,
                           char **text,
                           char **html,
                           cr_tpl_lint *lint,
                           const char *name,
                           const char *tsubject,
                           const char *ttext,
                           const char *thtml,
                           const char *ctx);
cr_err cr_outreach__event(cr_store *st,
                          int64_t creator_id,
                          int64_t campaign_id,
                          const char *kind,
                          const char *detail,
                          const char *actor,
                          int64_t at);
cr_err cr_outreach__move(int *changed,
                         cr_store *st,
                         int64_t creator_id,
                         int64_t campaign_id,
                         const char *state,
                         const char *actor,
                         int64_t now,
                         int quiet);
cr_err cr_outreach__optout_tx(cr_store *st, int64_t creator_id, const char *source, int64_t now);
/* Up to 3 topic words of a caption (a new JSON array of strings). */
json_t *cr_outreach__topic_words(const char *caption);

#endif
