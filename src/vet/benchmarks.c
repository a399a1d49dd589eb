/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * benchmarks.c - engagement-rate benchmark tables: typical ER ranges per platform and tier,
 * each with its definition (per follower, per view, per reach, per impression) and source.
 * Vendors' figures differ in definition and tiers, so a table is data: crest ships
 * data/benchmarks/ (YAML) (embedded with the rate cards and tier schemes by src/track's
 * document machinery) and a workspace may import its own under a new name. */
#include <stdio.h>
#include <string.h>

#include "crest/vet.h"
#include "track/doc.h"
#include "util/alloc.h"
#include "util/num.h"

static const cr_track__kind bench_kind = { "benchmarks", "benchmarks/", "untapper-2026",
                                           "benchmark table" };

static const char *const definitions[] = { "per_follower", "per_view", "per_reach",
                                           "per_impression" };

const char *cr_benchmark_table_default(void)
{
    return bench_kind.dflt;
}

void cr_benchmark_table_free(cr_benchmark_table *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < t->nrows; i++) {
        cr_free((char *)t->rows[i].platform);
        cr_free((char *)t->rows[i].tier);
        cr_free((char *)t->rows[i].definition);
        cr_free((char *)t->rows[i].note);
    }
    cr_free(t->rows);
    cr_free((char *)t->name);
    cr_free((char *)t->source);
    cr_free((char *)t->tier_scheme);
    cr_free(t);
}

/* "3%" or "0.03" as a fraction in (0, 1). */
static cr_err parse_share(double *out, const char *file, struct fy_node *n, const char *field)
{
    char buf[32];
    const char *why;
    cr_err rc;

    if ((rc = cr_track__scalar(buf, sizeof(buf), file, n, field, "a rate such as 2.5%")) < 0)
        return rc;
    if (cr_parse_rate(out, buf, strlen(buf), &why) < 0 || !(*out > 0) || *out >= 1)
        return cr_track__error(file, n, field,
                               "expected a rate above 0 and below 100%% such as 2.5%% or 0.025, "
                               "found '%s'",
                               buf);
    return CR_OK;
}

static cr_err load_row(cr_benchmark_table *t, const char *file, struct fy_node *item, size_t index)
{
    struct fy_node_pair *p;
    void *it = NULL;
    char key[32], field[64], text[256];
    cr_er_benchmark row, *rows;
    struct fy_node *low_node = NULL;
    size_t i;
    cr_err rc = CR_OK;

    memset(&row, 0, sizeof(row));
    row.low = row.high = -1;
    snprintf(field, sizeof(field), "benchmarks[%zu]", index);
    if (!fy_node_is_mapping(item))
        return cr_track__error(file, item, field,
                               "expected a row such as { platform: instagram, tier: micro, low: "
                               "2%%, high: 3.5%%, definition: per_follower }");
    while ((p = fy_node_mapping_iterate(item, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        const char **slot = NULL;
        if ((rc = cr_track__scalar(key, sizeof(key), file, kn, field, "a key")) < 0)
            goto fail;
        snprintf(field, sizeof(field), "benchmarks[%zu].%s", index, key);
        if (strcmp(key, "low") == 0) {
            if ((rc = parse_share(&row.low, file, vn, field)) < 0)
                goto fail;
            low_node = vn;
        } else if (strcmp(key, "high") == 0) {
            if ((rc = parse_share(&row.high, file, vn, field)) < 0)
                goto fail;
        } else if (strcmp(key, "platform") == 0) {
            slot = &row.platform;
        } else if (strcmp(key, "tier") == 0) {
            slot = &row.tier;
        } else if (strcmp(key, "definition") == 0) {
            slot = &row.definition;
        } else if (strcmp(key, "note") == 0) {
            slot = &row.note;
        } else {
            rc = cr_track__error(file, kn, field,
                                 "expected one of platform, tier, low, high, definition, note; "
                                 "found an unknown key");
            goto fail;
        }
        if (slot) {
            if ((rc = cr_track__scalar(text, sizeof(text), file, vn, field, "text")) < 0)
                goto fail;
            if (slot == &row.definition) {
                for (i = 0; i < sizeof(definitions) / sizeof(*definitions); i++)
                    if (strcmp(text, definitions[i]) == 0)
                        break;
                if (i == sizeof(definitions) / sizeof(*definitions)) {
                    rc = cr_track__error(file, vn, field,
                                         "expected per_follower, per_view, per_reach or "
                                         "per_impression, found '%s'",
                                         text);
                    goto fail;
                }
            }
            if ((*slot = cr_strdup(text)) == NULL) {
                rc = cr_error_oom();
                goto fail;
            }
        }
        snprintf(field, sizeof(field), "benchmarks[%zu]", index);
    }
    if (row.platform == NULL || row.tier == NULL || row.definition == NULL || row.low < 0 ||
        row.high < 0) {
        rc = cr_track__error(file, item, field,
                             "expected platform, tier, low, high and "
                             "definition, found %s missing",
                             row.platform == NULL     ? "platform"
                             : row.tier == NULL       ? "tier"
                             : row.definition == NULL ? "definition"
                             : row.low < 0            ? "low"
                                                      : "high");
        goto fail;
    }
    if (row.high < row.low) {
        rc = cr_track__error(file, low_node, field, "expected low <= high, found %g%% > %g%%",
                             row.low * 100, row.high * 100);
        goto fail;
    }
    if (cr_benchmark_find(t, row.platform, row.tier) != NULL) {
        rc = cr_track__error(file, item, field,
                             "expected one row per platform and tier, found %s "
                             "%s twice",
                             row.platform, row.tier);
        goto fail;
    }
    if ((rows = cr_realloc(t->rows, (t->nrows + 1) * sizeof(*rows))) == NULL) {
        rc = cr_error_oom();
        goto fail;
    }
    t->rows = rows;
    rows[t->nrows++] = row;
    return CR_OK;
fail:
    cr_free((char *)row.platform);
    cr_free((char *)row.tier);
    cr_free((char *)row.definition);
    cr_free((char *)row.note);
    return rc;
}

cr_err
cr_benchmark_table_parse(cr_benchmark_table **out, const char *text, size_t len, const char *name)
{
    struct fy_document *doc = NULL;
    struct fy_node *root, *rows = NULL, *rows_key = NULL, *c;
    struct fy_node_pair *p;
    void *it = NULL;
    cr_benchmark_table *t = NULL;
    char key[64], buf[1024];
    size_t index = 0;
    cr_err err;

    *out = NULL;
    if ((err = cr_track__yaml(&doc, text, len, name)) < 0)
        return err;
    root = fy_document_root(doc);
    if ((t = cr_calloc(1, sizeof(*t))) == NULL) {
        err = cr_error_oom();
        goto done;
    }
    while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p), *vn = fy_node_pair_value(p);
        const char **slot;
        if ((err = cr_track__scalar(key, sizeof(key), name, kn, "document", "a key")) < 0)
            goto done;
        if (strcmp(key, "benchmarks") == 0) {
            rows = vn;
            rows_key = kn;
            continue;
        }
        if (strcmp(key, "name") == 0)
            slot = &t->name;
        else if (strcmp(key, "source") == 0)
            slot = &t->source;
        else if (strcmp(key, "tier_scheme") == 0)
            slot = &t->tier_scheme;
        else {
            err = cr_track__error(name, kn, key,
                                  "expected one of the keys name, source, tier_scheme, "
                                  "benchmarks; found an unknown key");
            goto done;
        }
        if ((err = cr_track__scalar(buf, sizeof(buf), name, vn, key, "text")) < 0)
            goto done;
        if (slot != &t->source && !cr_track__name_ok(buf)) {
            err = cr_track__error(name, vn, key,
                                  "expected a name of 1-64 characters a-z, 0-9, '.', '_' or '-', "
                                  "found '%s'",
                                  buf);
            goto done;
        }
        cr_free((char *)*slot);
        if ((*slot = cr_strdup(buf)) == NULL) {
            err = cr_error_oom();
            goto done;
        }
    }
    if (t->name == NULL || t->source == NULL || t->tier_scheme == NULL || rows == NULL) {
        err = cr_track__error(name, root,
                              t->name == NULL          ? "name"
                              : t->source == NULL      ? "source"
                              : t->tier_scheme == NULL ? "tier_scheme"
                                                       : "benchmarks",
                              "expected this key in the document, found it missing");
        goto done;
    }
    if (!fy_node_is_sequence(rows)) {
        err = cr_track__error(name, rows_key, "benchmarks", "expected a list of rows");
        goto done;
    }
    it = NULL;
    while ((c = fy_node_sequence_iterate(rows, &it)) != NULL)
        if ((err = load_row(t, name, c, index++)) < 0)
            goto done;
    if (t->nrows == 0) {
        err =
            cr_track__error(name, rows_key, "benchmarks", "expected at least one row, found none");
        goto done;
    }
    *out = t;
    t = NULL;
done:
    cr_benchmark_table_free(t);
    fy_document_destroy(doc);
    return err;
}

const cr_er_benchmark *
cr_benchmark_find(const cr_benchmark_table *t, const char *platform, const char *tier)
{
    size_t i;

    if (t == NULL || platform == NULL || tier == NULL)
        return NULL;
    for (i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].platform, platform) == 0 && strcmp(t->rows[i].tier, tier) == 0)
            return &t->rows[i];
    return NULL;
}

cr_err cr_benchmark_table_load(cr_benchmark_table **out, cr_store *st, const char *name)
{
    char active[72], file[128], *text = NULL;
    cr_benchmark_table *t = NULL;
    size_t len;
    cr_err err;

    *out = NULL;
    if (name == NULL) {
        if ((err = cr_track__active(active, sizeof(active), st, &bench_kind)) < 0)
            return err;
        name = active;
    }
    if ((err = cr_track__text(&text, &len, st, &bench_kind, name)) < 0) {
        if (err == CR_ENOTFOUND)
            err = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE,
                               "benchmark table '%s' not found: it is neither built in "
                               "(data/benchmarks/) nor imported (crest vet benchmarks import)",
                               name);
        return err;
    }
    snprintf(file, sizeof(file), "benchmark table %s", name);
    if ((err = cr_benchmark_table_parse(&t, text, len, file)) < 0)
        goto done;
    if (strcmp(t->name, name) != 0) {
        err = cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE,
                           "benchmark table %s: the stored document says name '%s'", name, t->name);
        goto done;
    }
    *out = t;
    t = NULL;
done:
    cr_benchmark_table_free(t);
    cr_free(text);
    return err;
}

static int same_table(const cr_benchmark_table *a, const cr_benchmark_table *b)
{
    size_t i;

    if (strcmp(a->source, b->source) || strcmp(a->tier_scheme, b->tier_scheme) ||
        a->nrows != b->nrows)
        return 0;
    for (i = 0; i < a->nrows; i++) {
        const cr_er_benchmark *x = &a->rows[i], *y = cr_benchmark_find(b, x->platform, x->tier);
        if (y == NULL || x->low != y->low || x->high != y->high ||
            strcmp(x->definition, y->definition) != 0)
            return 0;
    }
    return 1;
}

cr_err
cr_benchmark_table_save(cr_store *st, const cr_benchmark_table *t, const char *text, int activate)
{
    cr_benchmark_table *old = NULL;
    cr_err err;

    if ((err = cr_store_begin(st)) < 0)
        return err;
    err = cr_benchmark_table_load(&old, st, t->name);
    if (err == CR_OK) {
        if (!same_table(old, t))
            err = cr_error_set(CR_ECONFLICT, CR_ERRCLASS_STORE,
                               "benchmark table %s: this name already exists with other figures, "
                               "and a stored table never changes (old vettings must stay "
                               "reproducible); import the new figures under a new name",
                               t->name);
    } else if (err == CR_ENOTFOUND) {
        cr_error_clear();
        err = cr_track__store_text(st, &bench_kind, t->name, text);
    }
    cr_benchmark_table_free(old);
    if (err >= 0 && activate)
        err = cr_track__set(st, "benchmarks.active", t->name);
    if (err < 0) {
        cr_store_rollback(st);
        return err;
    }
    return cr_store_commit(st);
}
