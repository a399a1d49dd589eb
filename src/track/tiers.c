/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * tiers.c - follower tier schemes (nano, micro, ... cut-offs): the YAML loader, built-in
 * and workspace schemes, the active scheme, and the tier of a follower count.
 *
 * Vendors disagree on the cut-offs (docs/media-value.md lists four schemes), so a scheme is
 * data: a list of tiers, each starting at its cut-off (inclusive) and ending where the next
 * one starts. Like rate cards, a stored scheme never changes under its name. */
#include <stdio.h>
#include <string.h>

#include "track/doc.h"
#include "util/alloc.h"
#include "util/num.h"

static const cr_track__kind tier_kind = { "tiers", "tiers/", "later-fohr", "tier scheme" };

const char *cr_tier_scheme_default(void)
{
    return tier_kind.dflt;
}

void cr_tier_scheme_free(cr_tier_scheme *s)
{
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; i < s->ntiers; i++)
        cr_free((char *)s->tiers[i].name);
    cr_free(s->tiers);
    cr_free((char *)s->name);
    cr_free((char *)s->source);
    cr_free(s);
}

static cr_err load_tier(cr_tier_scheme *s, const char *file, struct fy_node *item, size_t index)
{
    struct fy_node_pair *p;
    void *it = NULL;
    char key[64], buf[64], field[64], name[40] = "";
    struct fy_node *min_node = NULL, *name_node = NULL;
    int64_t min = -1;
    const char *why;
    cr_tier *n;
    size_t i;
    cr_err err;

    snprintf(field, sizeof(field), "tiers[%zu]", index);
    if (!fy_node_is_mapping(item))
        return cr_track__error(file, item, field,
                               "expected a tier such as { name: micro, min_followers: 10000 }");
    while ((p = fy_node_mapping_iterate(item, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((err = cr_track__scalar(key, sizeof(key), file, kn, field, "a key")) < 0)
            return err;
        snprintf(field, sizeof(field), "tiers[%zu].%s", index, key);
        if (strcmp(key, "name") == 0) {
            if ((err = cr_track__scalar(name, sizeof(name), file, vn, field,
                                        "a tier name such as micro")) < 0)
                return err;
            if (!cr_track__name_ok(name) || strlen(name) > 32)
                return cr_track__error(file, vn, field,
                                       "expected a tier name of 1-32 characters a-z, 0-9, '.', "
                                       "'_' or '-', found '%s'",
                                       name);
            name_node = vn;
        } else if (strcmp(key, "min_followers") == 0) {
            if ((err = cr_track__scalar(buf, sizeof(buf), file, vn, field,
                                        "a follower count such as 10000 or 10K")) < 0)
                return err;
            if (cr_parse_count(&min, buf, strlen(buf), &why) < 0 || min < 0)
                return cr_track__error(file, vn, field,
                                       "expected a follower count >= 0 such as 10000 or 10K, "
                                       "found '%s'",
                                       buf);
            min_node = vn;
        } else {
            return cr_track__error(file, kn, field,
                                   "expected the keys name and min_followers, found an unknown "
                                   "key");
        }
        snprintf(field, sizeof(field), "tiers[%zu]", index);
    }
    if (name_node == NULL || min_node == NULL)
        return cr_track__error(file, item, field, "expected both name and min_followers, found %s",
                               name_node ? "no min_followers" : "no name");
    for (i = 0; i < s->ntiers; i++)
        if (strcmp(s->tiers[i].name, name) == 0)
            return cr_track__error(file, name_node, field,
                                   "expected each tier name once, found '%s' twice", name);
    if (s->ntiers > 0 && min <= s->tiers[s->ntiers - 1].min_followers)
        return cr_track__error(file, min_node, field,
                               "expected cut-offs in ascending order: %lld is not above %lld "
                               "(tier %s)",
                               (long long)min, (long long)s->tiers[s->ntiers - 1].min_followers,
                               s->tiers[s->ntiers - 1].name);
    if ((n = cr_realloc(s->tiers, (s->ntiers + 1) * sizeof(*n))) == NULL)
        return cr_error_oom();
    s->tiers = n;
    n[s->ntiers].min_followers = min;
    if ((n[s->ntiers].name = cr_strdup(name)) == NULL)
        return cr_error_oom();
    s->ntiers++;
    return CR_OK;
}

cr_err cr_tier_scheme_parse(cr_tier_scheme **out, const char *text, size_t len, const char *name)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *tiers = NULL, *tiers_key = NULL, *c;
    struct fy_node_pair *p;
    void *it = NULL;
    cr_tier_scheme *s = NULL;
    char key[64], buf[1024];
    size_t index = 0;
    cr_err err;

    *out = NULL;
    if ((err = cr_track__yaml(&doc, text, len, name)) < 0)
        return err;
    root = fy_document_root(doc);
    if ((s = cr_calloc(1, sizeof(*s))) == NULL) {
        err = cr_error_oom();
        goto done;
    }
    while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        const char **slot;
        if ((err = cr_track__scalar(key, sizeof(key), name, kn, "document", "a key")) < 0)
            goto done;
        if (strcmp(key, "tiers") == 0) {
            tiers = vn;
            tiers_key = kn;
            continue;
        }
        if (strcmp(key, "name") == 0)
            slot = &s->name;
        else if (strcmp(key, "source") == 0)
            slot = &s->source;
        else {
            err = cr_track__error(name, kn, key,
                                  "expected one of the keys name, source, tiers; found an "
                                  "unknown key");
            goto done;
        }
        if ((err = cr_track__scalar(buf, sizeof(buf), name, vn, key, "text")) < 0)
            goto done;
        if (slot == &s->name && !cr_track__name_ok(buf)) {
            err = cr_track__error(name, vn, key,
                                  "expected a name of 1-64 characters a-z, 0-9, '.', '_' or '-' "
                                  "such as acme-tiers, found '%s'",
                                  buf);
            goto done;
        }
        if (slot == &s->source && buf[0] == '\0') {
            err = cr_track__error(name, vn, key,
                                  "expected where the cut-offs come from, found nothing");
            goto done;
        }
        cr_free((char *)*slot);
        if ((*slot = cr_strdup(buf)) == NULL) {
            err = cr_error_oom();
            goto done;
        }
    }
    if (s->name == NULL || s->source == NULL || tiers == NULL) {
        err = cr_track__error(name, root,
                              s->name == NULL     ? "name"
                              : s->source == NULL ? "source"
                                                  : "tiers",
                              "expected this key in the document, found it missing");
        goto done;
    }
    if (!fy_node_is_sequence(tiers)) {
        err = cr_track__error(name, tiers_key, "tiers",
                              "expected a list of { name: ..., min_followers: ... }");
        goto done;
    }
    it = NULL;
    while ((c = fy_node_sequence_iterate(tiers, &it)) != NULL)
        if ((err = load_tier(s, name, c, index++)) < 0)
            goto done;
    if (s->ntiers == 0) {
        err = cr_track__error(name, tiers_key, "tiers", "expected at least one tier, found none");
        goto done;
    }
    *out = s;
    s = NULL;
done:
    cr_tier_scheme_free(s);
    fy_document_destroy(doc);
    return err;
}

const char *cr_tier_of(const cr_tier_scheme *s, int64_t followers)
{
    const char *tier = NULL;
    size_t i;

    if (s == NULL || followers < 0)
        return NULL;
    for (i = 0; i < s->ntiers && s->tiers[i].min_followers <= followers; i++)
        tier = s->tiers[i].name;
    return tier;
}

int cr_tier_scheme_equal(const cr_tier_scheme *a, const cr_tier_scheme *b)
{
    size_t i;

    if (strcmp(a->name, b->name) != 0 || strcmp(a->source, b->source) != 0 ||
        a->ntiers != b->ntiers)
        return 0;
    for (i = 0; i < a->ntiers; i++)
        if (strcmp(a->tiers[i].name, b->tiers[i].name) != 0 ||
            a->tiers[i].min_followers != b->tiers[i].min_followers)
            return 0;
    return 1;
}

cr_err cr_tier_scheme_load(cr_tier_scheme **out, cr_store *st, const char *name)
{
    char active[72], file[128], *text = NULL;
    size_t len;
    cr_tier_scheme *s = NULL;
    cr_err err;

    *out = NULL;
    if (name == NULL) {
        if ((err = cr_track__active(active, sizeof(active), st, &tier_kind)) < 0)
            return err;
        name = active;
    }
    if ((err = cr_track__text(&text, &len, st, &tier_kind, name)) < 0)
        return err;
    snprintf(file, sizeof(file), "tier scheme %s", name);
    if ((err = cr_tier_scheme_parse(&s, text, len, file)) < 0)
        goto done;
    if (strcmp(s->name, name) != 0) {
        err = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                           "tier scheme %s: the stored document says name '%s'", name, s->name);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    cr_tier_scheme_free(s);
    cr_free(text);
    return err;
}

static cr_err same_as_stored(int *out, cr_store *st, const void *doc)
{
    const cr_tier_scheme *s = doc;
    cr_tier_scheme *old = NULL;
    cr_err err = cr_tier_scheme_load(&old, st, s->name);

    if (err == CR_OK)
        *out = cr_tier_scheme_equal(old, s);
    cr_tier_scheme_free(old);
    return err;
}

cr_err cr_tier_scheme_save(cr_store *st, const cr_tier_scheme *s, const char *text, int activate)
{
    if (text == NULL || s == NULL || s->name == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "tier scheme: expected a parsed scheme and its document text");
    return cr_track__save(
        st, &tier_kind, s->name, text, same_as_stored, s,
        "tier scheme %s: this name already exists with other tiers, and a stored scheme never "
        "changes (old reports must stay reproducible); import the new tiers "
        "under a new name",
        "tiers.active", activate);
}

cr_err cr_tier_scheme_use(cr_store *st, const char *name)
{
    cr_tier_scheme *s = NULL;
    cr_err err;

    if ((err = cr_tier_scheme_load(&s, st, name)) < 0)
        return err;
    cr_tier_scheme_free(s);
    return cr_track__set(st, "tiers.active", name);
}

typedef struct {
    cr_store *st;
    char active[72];
    cr_track_doc_cb cb;
    void *payload;
} list_ctx;

static cr_err list_one(const char *name, int builtin, int stored, void *payload)
{
    list_ctx *c = payload;
    cr_tier_scheme *s = NULL;
    cr_track_doc d;
    cr_err err;

    if ((err = cr_tier_scheme_load(&s, c->st, name)) < 0)
        return err;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.source = s->source;
    d.entries = s->ntiers;
    d.builtin = builtin;
    d.stored = stored;
    d.active = strcmp(name, c->active) == 0;
    err = c->cb(&d, c->payload);
    cr_tier_scheme_free(s);
    return err;
}

cr_err cr_tier_scheme_list(cr_store *st, cr_track_doc_cb cb, void *payload)
{
    list_ctx c;
    cr_err err;

    c.st = st;
    c.cb = cb;
    c.payload = payload;
    if ((err = cr_track__active(c.active, sizeof(c.active), st, &tier_kind)) < 0)
        return err;
    return cr_track__names(st, &tier_kind, list_one, &c);
}
