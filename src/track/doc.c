/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * doc.c - versioned documents of performance tracking (rate cards, tier schemes): the
 * built-in files, the YAML helpers and the settings that hold a workspace's own versions.
 *
 * Every call that reaches the store's settings is in this file (cr_track__get/set/names),
 * so the rest of the module sees documents by name only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "track/doc.h"
#include "util/alloc.h"

const cr_track__file *cr_track__builtin(const cr_track__kind *k, const char *name)
{
    size_t dlen = strlen(k->dir), nlen = strlen(name), i;

    for (i = 0; cr_track__files[i].name; i++) {
        const char *f = cr_track__files[i].name;
        if (strncmp(f, k->dir, dlen) == 0 && strncmp(f + dlen, name, nlen) == 0 &&
            strcmp(f + dlen + nlen, ".yaml") == 0)
            return &cr_track__files[i];
    }
    return NULL;
}

int cr_track__name_ok(const char *s)
{
    size_t i, len = strlen(s);

    if (len == 0 || len > 64)
        return 0;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* ---- YAML ------------------------------------------------------------------------------- */

static void node_mark(struct fy_node *n, int *line, int *col)
{
    struct fy_token *t = NULL;
    const struct fy_mark *m;

    *line = 0;
    *col = 0;
    if (n == NULL)
        return;
    if (fy_node_is_scalar(n))
        t = fy_node_get_scalar_token(n);
    if (t == NULL) {
        /* a mapping or a list: the mark of its first key or item */
        void *it = NULL;
        if (fy_node_is_mapping(n)) {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            if (p)
                node_mark(fy_node_pair_key(p), line, col);
        } else if (fy_node_is_sequence(n)) {
            struct fy_node *c = fy_node_sequence_iterate(n, &it);
            if (c)
                node_mark(c, line, col);
        }
        return;
    }
    if ((m = fy_token_start_mark(t)) != NULL) {
        *line = m->line + 1;
        *col = m->column + 1;
    }
}

cr_err cr_track__error(const char *file, struct fy_node *n, const char *field, const char *fmt, ...)
{
    char detail[600];
    va_list ap;
    int line, col;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    node_mark(n, &line, &col);
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: %s: %s", file, line, col, field,
                        detail);
}

cr_err cr_track__scalar(char *buf,
                        size_t size,
                        const char *file,
                        struct fy_node *n,
                        const char *field,
                        const char *expected)
{
    const char *v;
    size_t len;

    if (n == NULL || !fy_node_is_scalar(n) || (v = fy_node_get_scalar(n, &len)) == NULL)
        return cr_track__error(file, n, field, "expected %s, found %s", expected,
                               n == NULL               ? "nothing"
                               : fy_node_is_mapping(n) ? "a mapping"
                                                       : "a list");
    if (len >= size)
        return cr_track__error(file, n, field, "expected %s, found text longer than %zu bytes",
                               expected, size - 1);
    memcpy(buf, v, len);
    buf[len] = '\0';
    return CR_OK;
}

cr_err cr_track__yaml(struct fy_document **out, const char *text, size_t len, const char *file)
{
    struct fy_parse_cfg cfg;
    struct fy_diag_cfg dcfg;
    struct fy_diag *diag;
    struct fy_document *doc;
    cr_err rc = CR_OK;

    *out = NULL;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    if ((diag = fy_diag_create(&dcfg)) == NULL)
        return cr_error_oom();
    fy_diag_set_collect_errors(diag, true);
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG;
    cfg.diag = diag;
    doc = fy_document_build_from_string(&cfg, text, len);
    if (doc == NULL) {
        void *iter = NULL;
        struct fy_diag_error *e = fy_diag_errors_iterate(diag, &iter);
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: not valid YAML: %s", file,
                          e ? e->line + 1 : 0, e ? e->column + 1 : 0, e ? e->msg : "parse error");
    } else if (fy_document_root(doc) == NULL || !fy_node_is_mapping(fy_document_root(doc))) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s:1:1: document: expected a mapping of keys (see "
                          "docs/media-value.md), found %s",
                          file, fy_document_root(doc) ? "something else" : "an empty document");
        fy_document_destroy(doc);
        doc = NULL;
    }
    fy_diag_destroy(diag);
    *out = doc;
    return rc;
}

/* ---- settings --------------------------------------------------------------------------- */

static cr_err got_setting(const char *key, const char *value, int64_t updated_at, void *payload)
{
    char **out = payload;

    (void)key;
    (void)updated_at;
    cr_free(*out);
    if ((*out = cr_strdup(value ? value : "")) == NULL)
        return cr_error_oom();
    return CR_OK;
}

cr_err cr_track__get(char **out, cr_store *st, const char *key)
{
    cr_err rc;

    *out = NULL;
    if ((rc = cr_store_setting_get(st, key, got_setting, out)) < 0) {
        cr_free(*out);
        *out = NULL;
    }
    return rc;
}

cr_err cr_track__set(cr_store *st, const char *key, const char *value)
{
    return cr_store_setting_set(st, key, value);
}

int cr_track__stored(cr_store *st, const cr_track__kind *k, const char *name)
{
    char key[96], *text = NULL;
    cr_err rc;

    snprintf(key, sizeof(key), "%s:%s", k->kind, name);
    rc = cr_track__get(&text, st, key);
    cr_free(text);
    if (rc == CR_ENOTFOUND) {
        cr_error_clear();
        return 0;
    }
    return rc < 0 ? rc : 1;
}

cr_err
cr_track__store_text(cr_store *st, const cr_track__kind *k, const char *name, const char *text)
{
    char key[96];

    snprintf(key, sizeof(key), "%s:%s", k->kind, name);
    return cr_track__set(st, key, text);
}

cr_err
cr_track__text(char **out, size_t *len, cr_store *st, const cr_track__kind *k, const char *name)
{
    char key[96], *text = NULL;
    const cr_track__file *f;
    cr_err rc;

    *out = NULL;
    *len = 0;
    if (!cr_track__name_ok(name))
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_PARSE,
                            "%s '%s': expected a name of a-z, 0-9, '.', '_' and '-'", k->what,
                            name);
    if (st != NULL) {
        snprintf(key, sizeof(key), "%s:%s", k->kind, name);
        rc = cr_track__get(&text, st, key);
        if (rc == CR_OK) {
            *out = text;
            *len = strlen(text);
            return CR_OK;
        }
        if (rc != CR_ENOTFOUND)
            return rc;
        cr_error_clear();
    }
    if ((f = cr_track__builtin(k, name)) != NULL) {
        if ((text = cr_malloc(f->size + 1)) == NULL)
            return cr_error_oom();
        memcpy(text, f->data, f->size);
        text[f->size] = '\0';
        *out = text;
        *len = f->size;
        return CR_OK;
    }
    return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE,
                        "%s '%s' not found: it is neither built in nor imported (crest %s list)",
                        k->what, name, strcmp(k->kind, "tiers") == 0 ? "tiers" : "ratecard");
}

cr_err cr_track__active(char *buf, size_t size, cr_store *st, const cr_track__kind *k)
{
    char key[96], *v = NULL;
    cr_err rc;

    snprintf(buf, size, "%s", k->dflt);
    if (st == NULL)
        return CR_OK;
    snprintf(key, sizeof(key), "%s.active", k->kind);
    rc = cr_track__get(&v, st, key);
    if (rc == CR_ENOTFOUND) {
        cr_error_clear();
        return CR_OK;
    }
    if (rc < 0)
        return rc;
    snprintf(buf, size, "%s", v);
    cr_free(v);
    return CR_OK;
}

typedef struct {
    const cr_track__kind *k;
    char (*names)[72];
    size_t n, cap;
} names_ctx;

static cr_err names_add(names_ctx *c, const char *name)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char(*nn)[72] = cr_realloc(c->names, cap * sizeof(*nn));
        if (nn == NULL)
            return cr_error_oom();
        c->names = nn;
        c->cap = cap;
    }
    snprintf(c->names[c->n++], sizeof(c->names[0]), "%s", name);
    return CR_OK;
}

static cr_err names_setting(const char *key, const char *value, int64_t updated_at, void *payload)
{
    names_ctx *c = payload;
    size_t plen = strlen(c->k->kind);

    (void)value;
    (void)updated_at;
    if (strncmp(key, c->k->kind, plen) != 0 || key[plen] != ':' ||
        !cr_track__name_ok(key + plen + 1))
        return CR_OK;
    return names_add(c, key + plen + 1);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

cr_err cr_track__names(cr_store *st, const cr_track__kind *k, cr_track__name_cb cb, void *payload)
{
    names_ctx c;
    size_t i, j, nbuiltin, dlen = strlen(k->dir);
    char prefix[96];
    cr_err rc = CR_OK;

    memset(&c, 0, sizeof(c));
    c.k = k;
    for (i = 0; cr_track__files[i].name; i++) {
        const char *f = cr_track__files[i].name;
        size_t flen = strlen(f);
        char name[72];
        if (strncmp(f, k->dir, dlen) != 0 || flen < dlen + 6 || flen - dlen - 5 >= sizeof(name) ||
            strcmp(f + flen - 5, ".yaml") != 0)
            continue;
        memcpy(name, f + dlen, flen - dlen - 5);
        name[flen - dlen - 5] = '\0';
        if ((rc = names_add(&c, name)) < 0)
            goto done;
    }
    nbuiltin = c.n;
    cr_qsort(c.names, nbuiltin, sizeof(c.names[0]), name_cmp);
    if (st != NULL) {
        snprintf(prefix, sizeof(prefix), "%s:", k->kind);
        if ((rc = cr_store_setting_list(st, prefix, names_setting, &c)) < 0)
            goto done;
    }
    cr_qsort(c.names + nbuiltin, c.n - nbuiltin, sizeof(c.names[0]), name_cmp);
    for (i = 0; i < c.n; i++) {
        int builtin = i < nbuiltin, stored = !builtin;
        if (!builtin) {
            for (j = 0; j < nbuiltin; j++)
                if (strcmp(c.names[j], c.names[i]) == 0)
                    break;
            if (j < nbuiltin)
                continue; /* a built-in name imported as well: listed once, with the built-ins */
        } else if (st != NULL) {
            int s = cr_track__stored(st, k, c.names[i]);
            if (s < 0) {
                rc = (cr_err)s;
                goto done;
            }
            stored = s;
        }
        if ((rc = cb(c.names[i], builtin, stored, payload)) < 0)
            goto done;
    }
done:
    cr_free(c.names);
    return rc;
}

static cr_err save_locked(cr_store *st,
                          const cr_track__kind *k,
                          const char *name,
                          const char *text,
                          cr_track__same_fn same,
                          const void *doc,
                          const char *conflict,
                          const char *active_key,
                          int activate)
{
    int equal = 0;
    cr_err err = same(&equal, st, doc);

    if (err == CR_OK && !equal)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE, conflict, name);
    if (err == CR_ENOTFOUND) {
        cr_error_clear();
        err = cr_track__store_text(st, k, name, text);
    }
    if (err < 0)
        return err;
    return activate ? cr_track__set(st, active_key, name) : CR_OK;
}

cr_err cr_track__save(cr_store *st,
                      const cr_track__kind *k,
                      const char *name,
                      const char *text,
                      cr_track__same_fn same,
                      const void *doc,
                      const char *conflict,
                      const char *active_key,
                      int activate)
{
    cr_err err;

    if ((err = cr_store_begin(st)) < 0)
        return err;
    if ((err = save_locked(st, k, name, text, same, doc, conflict, active_key, activate)) < 0) {
        cr_store_rollback(st);
        return err;
    }
    return cr_store_commit(st);
}
