/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * brandsafety.c - brand-safety term lists and the caption scan. A list is a YAML document of
 * categories of PCRE2 patterns (case-insensitive, UTF-8, Unicode properties); crest ships
 * data/brandsafety/ (YAML) and a workspace adds its own as settings "brandsafety:NAME". A
 * match is a flag shown with its post and the words around it, for a person to judge: term
 * lists cannot read context, so most flags are baseless (REFERENCE: 50-75% judged so). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "crest/vet.h"
#include "track/doc.h"
#include "util/alloc.h"
#include "util/str.h"

typedef struct {
    char *list, *category, *pattern;
    pcre2_code *re;
} term;

struct cr_term_lists {
    term *terms;
    size_t n, cap;
    char names[256];
};

void cr_term_lists_free(cr_term_lists *l)
{
    size_t i;

    if (l == NULL)
        return;
    for (i = 0; i < l->n; i++) {
        cr_free(l->terms[i].list);
        cr_free(l->terms[i].category);
        cr_free(l->terms[i].pattern);
        pcre2_code_free(l->terms[i].re);
    }
    cr_free(l->terms);
    cr_free(l);
}

size_t cr_term_lists_count(const cr_term_lists *l)
{
    return l ? l->n : 0;
}

const char *cr_term_lists_names(const cr_term_lists *l)
{
    return l ? l->names : "";
}

static cr_err add_term(cr_term_lists *l,
                       const char *list,
                       const char *category,
                       const char *pattern,
                       const char *file,
                       struct fy_node *n,
                       const char *field)
{
    PCRE2_UCHAR msg[256];
    PCRE2_SIZE off;
    pcre2_code *re;
    int code;
    term *t;

    re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                       PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
    if (re == NULL) {
        pcre2_get_error_message(code, msg, sizeof(msg));
        return cr_track__error(file, n, field,
                               "expected a PCRE2 pattern, found '%s' (%s at offset %zu)", pattern,
                               (const char *)msg, (size_t)off);
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        if ((t = cr_realloc(l->terms, cap * sizeof(*t))) == NULL) {
            pcre2_code_free(re);
            return cr_error_oom();
        }
        l->terms = t;
        l->cap = cap;
    }
    t = &l->terms[l->n];
    t->re = re;
    t->list = cr_strdup(list);
    t->category = cr_strdup(category);
    t->pattern = cr_strdup(pattern);
    l->n++;
    if (t->list == NULL || t->category == NULL || t->pattern == NULL)
        return cr_error_oom();
    return CR_OK;
}

static cr_err load_category(
    cr_term_lists *l, const char *list, const char *file, struct fy_node *item, size_t index)
{
    struct fy_node_pair *p;
    struct fy_node *terms = NULL, *c;
    void *it = NULL;
    char key[32], field[96], category[64] = "", pattern[512];
    size_t k = 0;
    cr_err rc;

    snprintf(field, sizeof(field), "categories[%zu]", index);
    if (!fy_node_is_mapping(item))
        return cr_track__error(file, item, field,
                               "expected { name: alcohol, terms: ['\\\\bbeer\\\\b'] }");
    while ((p = fy_node_mapping_iterate(item, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((rc = cr_track__scalar(key, sizeof(key), file, kn, field, "a key")) < 0)
            return rc;
        if (strcmp(key, "name") == 0) {
            snprintf(field, sizeof(field), "categories[%zu].name", index);
            if ((rc = cr_track__scalar(category, sizeof(category), file, vn, field,
                                       "a category name")) < 0)
                return rc;
        } else if (strcmp(key, "terms") == 0) {
            terms = vn;
        } else {
            snprintf(field, sizeof(field), "categories[%zu].%s", index, key);
            return cr_track__error(file, kn, field,
                                   "expected the keys name and terms, found an unknown key");
        }
    }
    snprintf(field, sizeof(field), "categories[%zu]", index);
    if (category[0] == '\0' || terms == NULL || !fy_node_is_sequence(terms))
        return cr_track__error(file, item, field, "expected a name and a list of terms, found %s",
                               category[0] == '\0' ? "no name" : "no list of terms");
    it = NULL;
    while ((c = fy_node_sequence_iterate(terms, &it)) != NULL) {
        snprintf(field, sizeof(field), "categories[%zu].terms[%zu]", index, k++);
        if ((rc = cr_track__scalar(pattern, sizeof(pattern), file, c, field, "a pattern")) < 0 ||
            (rc = add_term(l, list, category, pattern, file, c, field)) < 0)
            return rc;
    }
    return CR_OK;
}

static cr_err add_doc(
    cr_term_lists *l, const char *text, size_t len, const char *file, char *name, size_t name_size)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *cats = NULL, *cats_key = NULL, *c;
    struct fy_node_pair *p;
    void *it = NULL;
    char key[32], buf[512];
    size_t index = 0, i;
    int has_source = 0;
    cr_err rc;

    name[0] = '\0';
    if ((rc = cr_track__yaml(&doc, text, len, file)) < 0)
        return rc;
    root = fy_document_root(doc);
    while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        if ((rc = cr_track__scalar(key, sizeof(key), file, kn, "document", "a key")) < 0)
            goto done;
        if (strcmp(key, "categories") == 0) {
            cats = vn;
            cats_key = kn;
        } else if (strcmp(key, "name") == 0) {
            if ((rc = cr_track__scalar(buf, sizeof(buf), file, vn, key, "a name")) < 0)
                goto done;
            if (!cr_track__name_ok(buf)) {
                rc = cr_track__error(file, vn, key,
                                     "expected a name of 1-64 characters a-z, 0-9, '.', '_' or "
                                     "'-', found '%s'",
                                     buf);
                goto done;
            }
            snprintf(name, name_size, "%s", buf);
        } else if (strcmp(key, "source") == 0) {
            if ((rc = cr_track__scalar(buf, sizeof(buf), file, vn, key, "text")) < 0)
                goto done;
            has_source = 1;
        } else {
            rc = cr_track__error(file, kn, key,
                                 "expected one of the keys name, source, categories; found an "
                                 "unknown key");
            goto done;
        }
    }
    if (name[0] == '\0' || !has_source || cats == NULL) {
        rc = cr_track__error(file, root,
                             name[0] == '\0' ? "name"
                             : !has_source   ? "source"
                                             : "categories",
                             "expected this key in the document, found it missing");
        goto done;
    }
    if (!fy_node_is_sequence(cats)) {
        rc = cr_track__error(file, cats_key, "categories", "expected a list of categories");
        goto done;
    }
    it = NULL;
    while ((c = fy_node_sequence_iterate(cats, &it)) != NULL)
        if ((rc = load_category(l, name, file, c, index++)) < 0)
            goto done;
    i = strlen(l->names);
    snprintf(l->names + i, sizeof(l->names) - i, "%s%s", i ? ", " : "", name);
done:
    fy_document_destroy(doc);
    return rc;
}

cr_err cr_term_lists_add(cr_term_lists **lists, const char *text, size_t len, const char *file)
{
    char name[72];

    if (*lists == NULL && (*lists = cr_calloc(1, sizeof(**lists))) == NULL)
        return cr_error_oom();
    return add_doc(*lists, text, len, file, name, sizeof(name));
}

static cr_err stored_list(const char *key, const char *value, int64_t updated_at, void *payload)
{
    (void)updated_at;
    return cr_term_lists_add(payload, value, strlen(value), key);
}

cr_err cr_term_lists_load(cr_term_lists **out, cr_store *st)
{
    cr_term_lists *l = NULL;
    size_t i;
    cr_err rc = CR_OK;

    *out = NULL;
    if ((l = cr_calloc(1, sizeof(*l))) == NULL)
        return cr_error_oom();
    for (i = 0; cr_track__files[i].name; i++)
        if (strncmp(cr_track__files[i].name, "brandsafety/", 12) == 0 &&
            (rc = cr_term_lists_add(&l, (const char *)cr_track__files[i].data,
                                    cr_track__files[i].size, cr_track__files[i].name)) < 0)
            goto done;
    if (st != NULL && (rc = cr_store_setting_list(st, "brandsafety:", stored_list, &l)) < 0)
        goto done;
    *out = l;
    l = NULL;
done:
    cr_term_lists_free(l);
    return rc;
}

cr_err cr_term_lists_save(cr_store *st, const char *text, size_t len, const char *file)
{
    cr_term_lists *l = NULL;
    char name[72], key[96], *copy = NULL;
    size_t i;
    cr_err rc;

    if ((l = cr_calloc(1, sizeof(*l))) == NULL)
        return cr_error_oom();
    if ((rc = add_doc(l, text, len, file, name, sizeof(name))) < 0)
        goto done;
    for (i = 0; cr_track__files[i].name; i++) {
        const char *f = cr_track__files[i].name;
        if (strncmp(f, "brandsafety/", 12) == 0 && strncmp(f + 12, name, strlen(name)) == 0 &&
            strcmp(f + 12 + strlen(name), ".yaml") == 0) {
            rc =
                cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE,
                             "%s: term list '%s' is built in; give yours another name", file, name);
            goto done;
        }
    }
    if ((copy = cr_malloc(len + 1)) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    snprintf(key, sizeof(key), "brandsafety:%s", name);
    rc = cr_store_setting_set(st, key, copy);
done:
    cr_free(copy);
    cr_term_lists_free(l);
    return rc;
}

cr_err
cr_term_lists_scan(const cr_term_lists *l, const char *text, cr_term_match_cb cb, void *payload)
{
    pcre2_match_data *md = NULL;
    size_t i, len;
    cr_err rc = CR_OK;

    if (l == NULL || text == NULL || l->n == 0)
        return CR_OK;
    len = strlen(text);
    for (i = 0; i < l->n && rc >= 0; i++) {
        cr_term_match m;
        PCRE2_SIZE *ov;
        size_t mlen;
        int r;

        if (md == NULL && (md = pcre2_match_data_create_from_pattern(l->terms[i].re, NULL)) == NULL)
            return cr_error_oom();
        r = pcre2_match(l->terms[i].re, (PCRE2_SPTR)text, len, 0, 0, md, NULL);
        if (r == PCRE2_ERROR_NOMATCH)
            continue;
        if (r < 0) {
            /* invalid UTF-8 in a caption or a resource limit: that caption is not scanned by
             * this pattern (the scan goes on) */
            if (r == PCRE2_ERROR_NOMEMORY) {
                rc = cr_error_oom();
                break;
            }
            continue;
        }
        ov = pcre2_get_ovector_pointer(md);
        memset(&m, 0, sizeof(m));
        m.list = l->terms[i].list;
        m.category = l->terms[i].category;
        m.pattern = l->terms[i].pattern;
        m.offset = (size_t)ov[0];
        mlen = (size_t)(ov[1] - ov[0]);
        if (mlen >= sizeof(m.matched))
            mlen = sizeof(m.matched) - 1;
        memcpy(m.matched, text + ov[0], mlen);
        m.matched[mlen] = '\0';
        rc = cb(&m, payload);
        /* match data sized for one pattern may be too small for the next: make it anew */
        pcre2_match_data_free(md);
        md = NULL;
    }
    pcre2_match_data_free(md);
    return rc;
}
