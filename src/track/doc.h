/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * doc.h - what rate cards (ratecard.c) and tier schemes (tiers.c) share: the built-in YAML
 * files of data/ (embedded at build time by cmake/EmbedFiles.cmake into a generated
 * track_data.c), YAML errors with line and column, and versioned documents kept as settings:
 * "<kind>:<name>" holds a document's text, "<kind>.active" the active name. */
#ifndef CR_TRACK_DOC_H
#define CR_TRACK_DOC_H

#include <libfyaml.h>
#include <stddef.h>

#include "crest/track.h"

typedef struct {
    const char *name;         /* "ratecards/aspire-2026.yaml": the path below data/ */
    const char *content_type; /* "application/yaml" */
    const unsigned char *data;
    size_t size;
} cr_track__file;

/* The embedded files, ended by a {NULL} entry (generated). */
extern const cr_track__file cr_track__files[];

typedef struct {
    const char *kind; /* setting key prefix: "ratecard", "tiers" */
    const char *dir;  /* built-in files: "ratecards/", "tiers/" */
    const char *dflt; /* the built-in default */
    const char *what; /* "rate card", for messages */
} cr_track__kind;

/* The built-in document called `name`; NULL when there is none. */
const cr_track__file *cr_track__builtin(const cr_track__kind *k, const char *name);

/* A name fit for a setting key and a file: 1-64 of a-z, 0-9, '.', '_', '-'. */
int cr_track__name_ok(const char *s);

/* Parse YAML text into a document; a syntax error names file, line and column. */
cr_err cr_track__yaml(struct fy_document **out, const char *text, size_t len, const char *file);
/* "file:line:col: field: <detail>" as CR_EINVALID; line and column of node n (0 when NULL). */
cr_err cr_track__error(const char *file, struct fy_node *n, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The text of a scalar node into buf; an error naming `expected` when it is not one. */
cr_err cr_track__scalar(char *buf,
                        size_t size,
                        const char *file,
                        struct fy_node *n,
                        const char *field,
                        const char *expected);

/* The text of a document: the stored one (*out owned, free with cr_free), else the built-in
 * one (copied). CR_ENOTFOUND names the kind and the known names. */
cr_err
cr_track__text(char **out, size_t *len, cr_store *st, const cr_track__kind *k, const char *name);
/* The active name into buf: the "<kind>.active" setting, else the default. */
cr_err cr_track__active(char *buf, size_t size, cr_store *st, const cr_track__kind *k);
/* Whether a document is stored in the workspace (1) or not (0); < 0 on a store error. */
int cr_track__stored(cr_store *st, const cr_track__kind *k, const char *name);
cr_err
cr_track__store_text(cr_store *st, const cr_track__kind *k, const char *name, const char *text);
cr_err cr_track__set(cr_store *st, const char *key, const char *value);
/* Compare a document with the stored one of its name: *out 1 equal, 0 different;
 * CR_ENOTFOUND when none is stored. */
typedef cr_err (*cr_track__same_fn)(int *out, cr_store *st, const void *doc);
/* Store a document's text under `name` unless that name is taken, in which case its values
 * must be the same (`conflict`: the message, %s the name); then make it active under
 * `active_key` when asked. One transaction, so that two imports of one name cannot both find
 * it missing. */
cr_err cr_track__save(cr_store *st,
                      const cr_track__kind *k,
                      const char *name,
                      const char *text,
                      cr_track__same_fn same,
                      const void *doc,
                      const char *conflict,
                      const char *active_key,
                      int activate);
cr_err cr_track__get(char **out, cr_store *st, const char *key);

/* Each known name once, built-in ones first (sorted), then the stored ones. */
typedef cr_err (*cr_track__name_cb)(const char *name, int builtin, int stored, void *payload);
cr_err cr_track__names(cr_store *st, const cr_track__kind *k, cr_track__name_cb cb, void *payload);

#endif
