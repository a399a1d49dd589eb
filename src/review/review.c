/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.c - what the review module shares: form documents (YAML, or JSON which is YAML too)
 * with errors naming file, line, column and field; creators and cycles by reference; rubrics
 * (the built-in default of data/rubrics/, and the versions a workspace stores); the signed,
 * expiring links of creators (HMAC-SHA-512-256 of libsodium's crypto_auth with a secret made
 * once per workspace) and the accounts linked to creators. */
#include <ctype.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"

void cr_review_text_free(char *s)
{
    cr_free(s);
}

cr_err cr_review__dump(char **out, json_t *j)
{
    char *s;

    *out = NULL;
    if (j == NULL)
        return cr_error_oom();
    s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (s == NULL)
        return cr_error_oom();
    *out = cr_strdup(s);
    free(s); /* jansson's own allocation */
    return *out ? CR_OK : cr_error_oom();
}

int64_t cr_review__i(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_integer(v) ? (int64_t)json_integer_value(v)
           : json_is_real(v)  ? (int64_t)json_real_value(v)
                              : 0;
}

const char *cr_review__s(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

cr_err cr_review__recode(cr_err code)
{
    const cr_error *e = cr_error_last();
    char msg[1024];

    /* the message lives in the buffer cr_error_set() writes: copy it first */
    snprintf(msg, sizeof(msg), "%s", e ? e->message : "");
    return cr_error_set(code, CR_ERRCLASS_PARSE, "%s", msg);
}

cr_err cr_review__begin(cr_store *st, int *own)
{
    cr_err rc;

    *own = 0;
    if (st->in_tx)
        return CR_OK;
    if ((rc = cr_store_begin(st)) == CR_OK)
        *own = 1;
    return rc;
}

cr_err cr_review__end(cr_store *st, int own, cr_err rc)
{
    if (!own)
        return rc;
    if (rc == CR_OK)
        return cr_store_commit(st);
    cr_store_rollback(st);
    return rc;
}

/* ---- form documents ---------------------------------------------------------------------- */

cr_err cr_review__doc(struct fy_document **out, const char *text, size_t len, const char *file)
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
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: not valid YAML or JSON: %s",
                          file, e ? e->line + 1 : 0, e ? e->column + 1 : 0,
                          e ? e->msg : "parse error");
    } else if (fy_document_root(doc) == NULL || !fy_node_is_mapping(fy_document_root(doc))) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s:1:1: document: expected a mapping of keys (see docs/reviews.md), "
                          "found %s",
                          file, fy_document_root(doc) ? "something else" : "an empty document");
        fy_document_destroy(doc);
        doc = NULL;
    }
    fy_diag_destroy(diag);
    *out = doc;
    return rc;
}

struct fy_node *cr_review__get(struct fy_node *n, const char *key)
{
    if (n == NULL || !fy_node_is_mapping(n))
        return NULL;
    return fy_node_mapping_lookup_by_string(n, key, FY_NT);
}

cr_err cr_review__text(
    char **out, const char *file, struct fy_node *map, const char *key, int req, size_t max)
{
    struct fy_node *n = cr_review__get(map, key);
    const char *v;
    size_t len;

    *out = NULL;
    if (n == NULL ||
        (fy_node_is_scalar(n) && fy_node_get_scalar_length(n) == 0 && !fy_node_is_mapping(n))) {
        if (!req)
            return CR_OK;
        return cr_track__error(file, n ? n : map, key, "expected a text, found %s",
                               n ? "an empty value" : "nothing (the field is missing)");
    }
    if (!fy_node_is_scalar(n) || (v = fy_node_get_scalar(n, &len)) == NULL)
        return cr_track__error(file, n, key, "expected a text, found %s",
                               fy_node_is_mapping(n) ? "a mapping" : "a list");
    if (len > max)
        return cr_track__error(file, n, key, "expected at most %zu bytes, found %zu", max, len);
    if ((*out = cr_strndup(v, len)) == NULL)
        return cr_error_oom();
    return CR_OK;
}

cr_err cr_review__int(int64_t *out,
                      const char *file,
                      struct fy_node *map,
                      const char *key,
                      int req,
                      int64_t lo,
                      int64_t hi)
{
    struct fy_node *n = cr_review__get(map, key);
    char buf[32], *end;
    long long v;
    cr_err rc;

    if (n == NULL) {
        if (!req)
            return CR_OK;
        return cr_track__error(file, map, key,
                               "expected a whole number from %lld to %lld, found nothing (the "
                               "field is missing)",
                               (long long)lo, (long long)hi);
    }
    if ((rc = cr_track__scalar(buf, sizeof(buf), file, n, key, "a whole number")) < 0)
        return rc;
    v = strtoll(buf, &end, 10);
    if (end == buf || *end != '\0' || v < lo || v > hi)
        return cr_track__error(file, n, key,
                               "expected a whole number from %lld to %lld, found '%s'",
                               (long long)lo, (long long)hi, buf);
    *out = v;
    return CR_OK;
}

cr_err
cr_review__date(int64_t *out, const char *file, struct fy_node *map, const char *key, int req)
{
    struct fy_node *n = cr_review__get(map, key);
    char buf[40];
    const char *why = NULL;
    cr_err rc;

    if (n == NULL) {
        if (!req)
            return CR_OK;
        return cr_track__error(
            file, map, key, "expected a date (YYYY-MM-DD), found nothing (the field is missing)");
    }
    if ((rc = cr_track__scalar(buf, sizeof(buf), file, n, key, "a date (YYYY-MM-DD)")) < 0)
        return rc;
    if (cr_parse_date(out, buf, strlen(buf), &why) < 0)
        return cr_track__error(file, n, key, "expected a date (YYYY-MM-DD), found '%s'", buf);
    return CR_OK;
}

/* ---- references --------------------------------------------------------------------------- */

cr_err cr_review__creator(int64_t *out,
                          cr_store *st,
                          const char *ref,
                          const char *file,
                          struct fy_node *n,
                          const char *field)
{
    const char *slash = strchr(ref, '/'), *h = ref[0] == '@' ? ref + 1 : ref;
    json_t *rows = NULL, *row = NULL;
    char platform[64];
    cr_value p;
    size_t i;
    cr_err rc;

    *out = 0;
    for (i = 0; ref[i] >= '0' && ref[i] <= '9'; i++)
        ;
    if (i > 0 && ref[i] == '\0') {
        p = v_int(strtoll(ref, NULL, 10));
        if ((rc = cr_store_review_row(&row, st, CR_RQ_CREATOR, &p, 1)) == CR_OK) {
            *out = cr_review__i(row, "id");
            json_decref(row);
            return CR_OK;
        }
        goto missing;
    }
    if (slash) {
        if ((size_t)(slash - ref) >= sizeof(platform))
            goto missing;
        memcpy(platform, ref, (size_t)(slash - ref));
        platform[slash - ref] = '\0';
        rc = cr_store_creator_find(out, st, platform, slash[1] == '@' ? slash + 2 : slash + 1);
        if (rc == CR_ENOTFOUND)
            goto missing;
        return rc;
    }
    p = v_text(h);
    if ((rc = cr_store_review_rows(&rows, st, CR_RQ_CREATOR_BY_HANDLE, &p, 1)) < 0)
        return rc;
    if (json_array_size(rows) == 1) {
        *out = cr_review__i(json_array_get(rows, 0), "id");
        json_decref(rows);
        return CR_OK;
    }
    i = json_array_size(rows);
    json_decref(rows);
    if (i > 1) {
        if (file)
            return cr_track__error(file, n, field,
                                   "'%s' is the handle of creators on several platforms; write "
                                   "platform/handle",
                                   ref);
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "'%s' is the handle of creators on several platforms; write "
                            "platform/handle",
                            ref);
    }
missing:
    if (file) {
        cr_track__error(file, n, field,
                        "expected a known creator (ID, platform/handle or "
                        "@handle), found '%s'",
                        ref);
        return cr_review__recode(CR_ENOTFOUND);
    }
    return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "no creator '%s'", ref);
}

cr_err cr_review__cycle(json_t **out, cr_store *st, const char *ref)
{
    cr_value p = v_text(ref);
    cr_err rc = cr_store_review_row(out, st, CR_RQ_CYCLE, &p, 1);

    if (rc == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                            "no review cycle '%s' (crest review cycles lists them)", ref);
    return rc;
}

cr_err cr_review__handle(char *buf, size_t size, cr_store *st, int64_t creator_id)
{
    cr_value p = v_int(creator_id);
    json_t *row = NULL;
    cr_err rc;

    if ((rc = cr_store_review_row(&row, st, CR_RQ_CREATOR, &p, 1)) == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "no creator %lld",
                            (long long)creator_id);
    if (rc < 0)
        return rc;
    snprintf(buf, size, "%s/%s", cr_review__s(row, "platform"), cr_review__s(row, "handle"));
    json_decref(row);
    return CR_OK;
}

/* ---- rubrics ------------------------------------------------------------------------------ */

static int code_ok(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n >= 48)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static cr_err copy_field(char *dst,
                         size_t size,
                         const char *file,
                         struct fy_node *map,
                         const char *key,
                         const char *field)
{
    char *v = NULL;
    cr_err rc;

    if ((rc = cr_review__text(&v, file, map, key, 1, size - 1)) < 0) {
        (void)field;
        return rc;
    }
    snprintf(dst, size, "%s", v);
    cr_free(v);
    return CR_OK;
}

cr_err
cr_review__rubric_parse(cr_review__rubric *out, const char *text, size_t len, const char *file)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *list, *c, *anchors, *a;
    void *it = NULL, *ait;
    char field[96];
    int64_t version = 0;
    size_t i, k;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    out->origin = "stored";
    if ((rc = cr_review__doc(&doc, text, len, file)) < 0)
        return rc;
    root = fy_document_root(doc);
    if ((rc = copy_field(out->name, sizeof(out->name), file, root, "name", "name")) < 0)
        goto done;
    if (!cr_track__name_ok(out->name)) {
        rc = cr_track__error(file, cr_review__get(root, "name"), "name",
                             "expected 1-64 of a-z, 0-9, '.', '_', '-', found '%s'", out->name);
        goto done;
    }
    if ((rc = cr_review__int(&version, file, root, "version", 0, 1, 1000000)) < 0)
        goto done;
    out->version = (int)version;
    list = cr_review__get(root, "criteria");
    if (list == NULL || !fy_node_is_sequence(list) || fy_node_sequence_item_count(list) == 0) {
        rc = cr_track__error(file, list ? list : root, "criteria",
                             "expected a list of criteria (code, name, dimension, anchors), "
                             "found %s",
                             list == NULL ? "nothing" : "something else");
        goto done;
    }
    for (i = 0; (c = fy_node_sequence_iterate(list, &it)) != NULL; i++) {
        cr_review__criterion *cr = &out->criteria[i];
        if (i >= REVIEW_MAX_CRITERIA) {
            rc = cr_track__error(file, c, "criteria", "expected at most %d criteria, found more",
                                 REVIEW_MAX_CRITERIA);
            goto done;
        }
        snprintf(field, sizeof(field), "criteria[%zu].code", i);
        if (!fy_node_is_mapping(c)) {
            rc = cr_track__error(file, c, field,
                                 "expected a mapping (code, name, dimension, "
                                 "anchors), found something else");
            goto done;
        }
        if ((rc = copy_field(cr->code, sizeof(cr->code), file, c, "code", field)) < 0)
            goto done;
        if (!code_ok(cr->code)) {
            rc = cr_track__error(file, cr_review__get(c, "code"), field,
                                 "expected a code of a-z, 0-9 and '_', found '%s'", cr->code);
            goto done;
        }
        for (k = 0; k < i; k++)
            if (strcmp(out->criteria[k].code, cr->code) == 0) {
                rc = cr_track__error(file, cr_review__get(c, "code"), field,
                                     "expected a new code, found '%s' a second time", cr->code);
                goto done;
            }
        if ((rc = copy_field(cr->name, sizeof(cr->name), file, c, "name", field)) < 0)
            goto done;
        if (cr_review__get(c, "dimension"))
            rc = copy_field(cr->dimension, sizeof(cr->dimension), file, c, "dimension", field);
        else /* the whole buffer (same size, NUL-terminated): gcc's -Wrestrict took an snprintf
                of the sibling field for an overlap */
            memcpy(cr->dimension, cr->code, sizeof(cr->dimension));
        if (rc < 0)
            goto done;
        anchors = cr_review__get(c, "anchors");
        snprintf(field, sizeof(field), "criteria[%zu].anchors", i);
        if (anchors == NULL || !fy_node_is_sequence(anchors) ||
            fy_node_sequence_item_count(anchors) != CR_REVIEW_LEVELS) {
            rc = cr_track__error(
                file, anchors ? anchors : c, field,
                "expected a list of %d anchors (levels 1 to 5), found %d", CR_REVIEW_LEVELS,
                anchors && fy_node_is_sequence(anchors) ? fy_node_sequence_item_count(anchors) : 0);
            goto done;
        }
        ait = NULL;
        for (k = 0; (a = fy_node_sequence_iterate(anchors, &ait)) != NULL; k++) {
            snprintf(field, sizeof(field), "criteria[%zu].anchors[%zu]", i, k);
            if ((rc = cr_track__scalar(cr->anchors[k], sizeof(cr->anchors[k]), file, a, field,
                                       "an anchor text")) < 0)
                goto done;
            if (cr->anchors[k][0] == '\0') {
                rc = cr_track__error(file, a, field, "expected an anchor text, found nothing");
                goto done;
            }
        }
    }
    out->ncriteria = i;
done:
    fy_document_destroy(doc);
    return rc;
}

static const cr_track__kind rubric_kind = { "rubric", "rubrics/", "default", "rubric" };

cr_err cr_review__rubric_load(cr_review__rubric *out, cr_store *st, const char *name, int version)
{
    cr_value p[2] = { v_text(name), v_int(version) };
    const cr_track__file *f;
    json_t *row = NULL;
    const char *body;
    cr_err rc;

    rc = cr_store_review_row(&row, st, CR_RQ_RUBRIC, p, 2);
    if (rc == CR_OK) {
        body = cr_review__s(row, "body");
        rc = cr_review__rubric_parse(out, body, strlen(body), name);
        if (rc == CR_OK)
            out->version = (int)cr_review__i(row, "version");
        json_decref(row);
        return rc;
    }
    if (rc != CR_ENOTFOUND)
        return rc;
    if ((version == 0 || version == 1) && (f = cr_track__builtin(&rubric_kind, name)) != NULL) {
        rc = cr_review__rubric_parse(out, (const char *)f->data, f->size, f->name);
        out->origin = "built in";
        out->version = 1;
        return rc;
    }
    return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                        "no rubric '%s' version %d (crest review rubric list shows them)", name,
                        version);
}

const cr_review__criterion *cr_review__criterion_find(const cr_review__rubric *r, const char *code)
{
    size_t i;

    for (i = 0; i < r->ncriteria; i++)
        if (strcmp(r->criteria[i].code, code) == 0)
            return &r->criteria[i];
    return NULL;
}

static json_t *rubric_json(const cr_review__rubric *r)
{
    json_t *o = json_pack("{s:s,s:i,s:s,s:[]}", "name", r->name, "version", r->version, "origin",
                          r->origin, "criteria");
    json_t *list = json_object_get(o, "criteria");
    size_t i, k;

    for (i = 0; o && i < r->ncriteria; i++) {
        const cr_review__criterion *c = &r->criteria[i];
        json_t *a = json_array();
        for (k = 0; a && k < CR_REVIEW_LEVELS; k++)
            json_array_append_new(a, json_string(c->anchors[k]));
        if (a == NULL || json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:o}", "code", c->code,
                                                               "name", c->name, "dimension",
                                                               c->dimension, "anchors", a)) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

cr_err cr_review_rubric_json(char **out, cr_store *st, const char *name, int version)
{
    cr_review__rubric *r = cr_calloc(1, sizeof(*r));
    cr_err rc;

    *out = NULL;
    if (r == NULL)
        return cr_error_oom();
    if ((rc = cr_review__rubric_load(r, st, name, version)) == CR_OK)
        rc = cr_review__dump(out, rubric_json(r));
    cr_free(r);
    return rc;
}

cr_err cr_review_rubric_list_json(char **out, cr_store *st)
{
    cr_review__rubric *r = cr_calloc(1, sizeof(*r));
    json_t *rows = NULL, *list = json_array(), *row;
    size_t i, k;
    cr_err rc = CR_OK;

    *out = NULL;
    if (r == NULL || list == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (k = 0; cr_track__files[k].name && rc == CR_OK; k++) {
        const cr_track__file *f = &cr_track__files[k];
        if (strncmp(f->name, "rubrics/", 8) != 0)
            continue;
        if ((rc = cr_review__rubric_parse(r, (const char *)f->data, f->size, f->name)) == CR_OK) {
            r->origin = "built in";
            r->version = 1;
            json_array_append_new(list, rubric_json(r));
        }
    }
    if (rc == CR_OK)
        rc = cr_store_review_rows(&rows, st, CR_RQ_RUBRICS, NULL, 0);
    json_array_foreach(rows, i, row)
    {
        const char *body = cr_review__s(row, "body");
        if (rc < 0 ||
            (rc = cr_review__rubric_parse(r, body, strlen(body), cr_review__s(row, "name"))) < 0)
            break;
        r->version = (int)cr_review__i(row, "version");
        json_array_append_new(list, rubric_json(r));
    }
    if (rc == CR_OK) {
        rc = cr_review__dump(out, list);
        list = NULL;
    }
done:
    json_decref(rows);
    json_decref(list);
    cr_free(r);
    return rc;
}

cr_err
cr_review_rubric_add(int *out_version, cr_store *st, const char *text, size_t len, const char *file)
{
    cr_review__rubric *r = cr_calloc(1, sizeof(*r));
    json_t *row = NULL;
    cr_value p[4];
    int64_t next;
    int own = 0;
    cr_err rc;

    *out_version = 0;
    if (r == NULL)
        return cr_error_oom();
    if ((rc = cr_review__rubric_parse(r, text, len, file)) < 0 ||
        (rc = cr_review__begin(st, &own)) < 0)
        goto done;
    p[0] = v_text(r->name);
    if ((rc = cr_store_review_row(&row, st, CR_RQ_RUBRIC_MAXV, p, 1)) == CR_OK) {
        next = cr_review__i(row, "version") + 1;
        /* the built-in default is version 1 of its name */
        if (next == 1 && cr_track__builtin(&rubric_kind, r->name) != NULL)
            next = 2;
        p[1] = v_int(next);
        p[2] = v_text(text);
        p[3] = v_int(cr_now());
        rc = cr_store_review_exec(NULL, st, CR_RW_RUBRIC, p, 4);
        *out_version = (int)next;
    }
    json_decref(row);
    rc = cr_review__end(st, own, rc);
done:
    cr_free(r);
    return rc;
}

/* ---- the creator's access ----------------------------------------------------------------- */

static cr_err link_key(unsigned char key[crypto_auth_KEYBYTES], cr_store *st)
{
    cr_value p[3];
    json_t *row = NULL;
    char hex[crypto_auth_KEYBYTES * 2 + 1];
    size_t bin_len = 0;
    cr_err rc;

    if (sodium_init() < 0)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_OS, "libsodium could not be initialized");
    p[0] = v_text("review.link_secret");
    rc = cr_store_review_row(&row, st, CR_RQ_SETTING, p, 1);
    if (rc == CR_ENOTFOUND) {
        /* made once; a concurrent first use keeps whichever was written first */
        randombytes_buf(key, crypto_auth_KEYBYTES);
        sodium_bin2hex(hex, sizeof(hex), key, crypto_auth_KEYBYTES);
        p[1] = v_text(hex);
        p[2] = v_int(cr_now());
        if ((rc = cr_store_review_exec(NULL, st, CR_RW_SETTING, p, 3)) < 0)
            return rc;
        rc = cr_store_review_row(&row, st, CR_RQ_SETTING, p, 1);
    }
    if (rc < 0)
        return rc;
    if (sodium_hex2bin(key, crypto_auth_KEYBYTES, cr_review__s(row, "value"),
                       strlen(cr_review__s(row, "value")), NULL, &bin_len, NULL) != 0 ||
        bin_len != crypto_auth_KEYBYTES)
        rc = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                          "the setting review.link_secret is not %d hex bytes",
                          crypto_auth_KEYBYTES);
    json_decref(row);
    return rc;
}

static void link_mac(char hex[crypto_auth_BYTES * 2 + 1],
                     const unsigned char key[crypto_auth_KEYBYTES],
                     int64_t creator,
                     int64_t expires)
{
    unsigned char mac[crypto_auth_BYTES];
    char msg[96];

    snprintf(msg, sizeof(msg), "crest-review-link:%lld:%lld", (long long)creator,
             (long long)expires);
    crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
    sodium_bin2hex(hex, crypto_auth_BYTES * 2 + 1, mac, sizeof(mac));
}

cr_err cr_review_link_create(char **out, cr_store *st, int64_t creator_id, int64_t expires_at)
{
    unsigned char key[crypto_auth_KEYBYTES];
    char mac[crypto_auth_BYTES * 2 + 1], buf[160], handle[160];
    cr_err rc;

    *out = NULL;
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator_id)) < 0 ||
        (rc = link_key(key, st)) < 0)
        return rc;
    link_mac(mac, key, creator_id, expires_at);
    sodium_memzero(key, sizeof(key));
    snprintf(buf, sizeof(buf), "%lld.%lld.%s", (long long)creator_id, (long long)expires_at, mac);
    return (*out = cr_strdup(buf)) ? CR_OK : cr_error_oom();
}

cr_err cr_review_link_verify(int64_t *out_creator, cr_store *st, const char *token, int64_t now)
{
    unsigned char key[crypto_auth_KEYBYTES];
    char want[crypto_auth_BYTES * 2 + 1];
    long long creator, expires;
    const char *mac;
    char *end;
    cr_err rc;

    *out_creator = 0;
    creator = strtoll(token, &end, 10);
    if (end == token || *end != '.' || creator <= 0)
        goto bad;
    expires = strtoll(end + 1, &end, 10);
    if (*end != '.')
        goto bad;
    mac = end + 1;
    if (strlen(mac) != crypto_auth_BYTES * 2)
        goto bad;
    if ((rc = link_key(key, st)) < 0)
        return rc;
    link_mac(want, key, creator, expires);
    sodium_memzero(key, sizeof(key));
    if (sodium_memcmp(want, mac, sizeof(want) - 1) != 0)
        goto bad;
    if (expires < now)
        return cr_error_set(CR_EAUTH, CR_ERRCLASS_CLI,
                            "the review link expired; ask the brand for a new one");
    *out_creator = creator;
    return CR_OK;
bad:
    return cr_error_set(CR_EAUTH, CR_ERRCLASS_CLI, "not a valid review link");
}

cr_err cr_review_account_link(cr_store *st, const char *email, int64_t creator_id)
{
    char lower[256], handle[160];
    json_t *row = NULL;
    cr_value p[2];
    size_t i;
    cr_err rc;

    for (i = 0; email[i] && i + 1 < sizeof(lower); i++)
        lower[i] = (char)tolower((unsigned char)email[i]);
    lower[i] = '\0';
    if ((rc = cr_review__handle(handle, sizeof(handle), st, creator_id)) < 0)
        return rc;
    p[0] = v_text(lower);
    if ((rc = cr_store_review_row(&row, st, CR_RQ_USER_BY_EMAIL, p, 1)) == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                            "no account '%s' (crest user add %s --role creator)", email, email);
    if (rc < 0)
        return rc;
    if (strcmp(cr_review__s(row, "role"), "creator") != 0) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                          "account '%s' has the role %s; only creator accounts are linked to a "
                          "creator",
                          email, cr_review__s(row, "role"));
    } else {
        p[0] = v_int(cr_review__i(row, "id"));
        p[1] = v_int(creator_id);
        rc = cr_store_review_exec(NULL, st, CR_RW_ACCOUNT, p, 2);
    }
    json_decref(row);
    return rc;
}

cr_err cr_review_account_creator(int64_t *out, cr_store *st, int64_t user_id)
{
    cr_value p = v_int(user_id);
    json_t *row = NULL;
    cr_err rc;

    *out = 0;
    if ((rc = cr_store_review_row(&row, st, CR_RQ_ACCOUNT, &p, 1)) == CR_ENOTFOUND)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI,
                            "this account is not linked to a creator (crest review account)");
    if (rc == CR_OK)
        *out = cr_review__i(row, "creator_id");
    json_decref(row);
    return rc;
}
