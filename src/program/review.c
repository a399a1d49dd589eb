/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.c - iteration reviews. Opening one prepares it from the workspace: sources whose
 * newest data is older than 30 days, drift of the per-post engagement-rate distribution
 * (two-sample Kolmogorov-Smirnov, posts since the last review against the 90 days before it),
 * saved searches whose last run found nothing, and models whose evaluation (the "cv" block of
 * data/models/NAME.json) differs from the one the last review saw. Closing needs a recorded
 * evaluation and at least one concrete change. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crest/discover.h"
#include "crest/program.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/hash.h"

#define DAY         86400
#define STALE_DAYS  30
#define DRIFT_DAYS  90
#define DRIFT_ALPHA 0.05

typedef struct {
    int64_t now;
    json_t *arr;
} stale_state;

static cr_err stale_row(const cr_source *s, void *payload)
{
    stale_state *st = payload;
    int64_t newest = s->newest_data ? s->newest_data : s->last_import;
    char d[16];

    if (st->now - newest <= STALE_DAYS * DAY)
        return CR_OK;
    if (json_array_append_new(st->arr, json_pack("{s:s,s:s,s:I}", "kind", s->kind, "newest",
                                                 cr_fmt_date(d, sizeof(d), newest), "days_old",
                                                 (json_int_t)((st->now - newest) / DAY))) < 0)
        return cr_error_oom();
    return CR_OK;
}

typedef struct {
    double *v;
    size_t n, cap;
} dvec;

static cr_err rate_row(const cr_post_rollup *r, void *payload)
{
    dvec *d = payload;
    int64_t e = 0;

    if (r->reach == CR_COUNT_NONE || r->reach <= 0)
        return CR_OK;
    e += r->likes > 0 ? r->likes : 0;
    e += r->comments > 0 ? r->comments : 0;
    e += r->shares > 0 ? r->shares : 0;
    e += r->saves > 0 ? r->saves : 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        double *v = cr_realloc(d->v, cap * sizeof(double));
        if (v == NULL)
            return cr_error_oom();
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = (double)e / (double)r->reach;
    return CR_OK;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The KS statistic D of two sorted samples and its asymptotic p-value (Kolmogorov's series
 * with the effective size n m / (n + m)). */
static void
ks_test(double *d_out, double *p_out, const double *a, size_t n, const double *b, size_t m)
{
    size_t i = 0, j = 0, k;
    double d = 0, en, lambda, p = 0;

    while (i < n && j < m) {
        double x = a[i] <= b[j] ? a[i] : b[j];
        while (i < n && a[i] <= x)
            i++;
        while (j < m && b[j] <= x)
            j++;
        if (fabs((double)i / (double)n - (double)j / (double)m) > d)
            d = fabs((double)i / (double)n - (double)j / (double)m);
    }
    en = sqrt((double)n * (double)m / (double)(n + m));
    lambda = (en + 0.12 + 0.11 / en) * d;
    for (k = 1; k <= 100; k++)
        p += 2 * ((k % 2) ? 1 : -1) * exp(-2 * lambda * lambda * (double)(k * k));
    *d_out = d;
    *p_out = p < 0 ? 0 : p > 1 ? 1 : p;
}

static cr_err drift(json_t **out, cr_store *st, int64_t since, int64_t now)
{
    cr_rollup_filter f;
    dvec before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
    double d = NAN, p = NAN;
    char d1[16], d2[16];
    cr_err rc;

    memset(&f, 0, sizeof(f));
    f.since = since - DRIFT_DAYS * DAY;
    f.until = since;
    if ((rc = cr_store_rollup_list(st, &f, rate_row, &before)) < 0)
        goto done;
    f.since = since;
    f.until = now + 1;
    if ((rc = cr_store_rollup_list(st, &f, rate_row, &after)) < 0)
        goto done;
    if (before.n >= 5 && after.n >= 5) {
        cr_qsort(before.v, before.n, sizeof(double), cmp_d);
        cr_qsort(after.v, after.n, sizeof(double), cmp_d);
        ks_test(&d, &p, before.v, before.n, after.v, after.n);
    }
    *out = json_pack(
        "{s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:b}", "metric", "engagement_rate", "test",
        "two-sample Kolmogorov-Smirnov", "before_from",
        cr_fmt_date(d1, sizeof(d1), since - DRIFT_DAYS * DAY), "since",
        cr_fmt_date(d2, sizeof(d2), since), "posts_before", (json_int_t)before.n, "posts_since",
        (json_int_t)after.n, "ks_d", isnan(d) ? json_null() : json_real(d), "p_value",
        isnan(p) ? json_null() : json_real(p), "drifted", !isnan(p) && p < DRIFT_ALPHA);
    if (*out == NULL)
        rc = cr_error_oom();
done:
    cr_free(before.v);
    cr_free(after.v);
    return rc;
}

static cr_err saved_row(const cr_saved_search *s, void *payload)
{
    if (s->run_at == 0 || s->result_count > 0)
        return CR_OK;
    if (json_array_append_new(payload,
                              json_pack("{s:s,s:s,s:s}", "name", s->name, "query", s->query,
                                        "problem", "the last run found no creator")) < 0)
        return cr_error_oom();
    return CR_OK;
}

/* name -> SHA-256 of the canonical "cv" block of each data/models/NAME.json */
static json_t *model_digests(const char *dir)
{
    json_t *out = json_object();
    struct dirent *de;
    DIR *d;

    if (out == NULL || dir == NULL || (d = opendir(dir)) == NULL)
        return out;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        char path[1024], hex[CR_SHA256_HEX], name[256];
        json_t *m, *cv;
        char *text;
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 || len - 5 >= sizeof(name))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        snprintf(name, sizeof(name), "%.*s", (int)(len - 5), de->d_name);
        if ((m = json_load_file(path, 0, NULL)) == NULL)
            continue;
        cv = json_object_get(m, "cv");
        text = cv ? json_dumps(cv, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
        if (text) {
            cr_sha256_buf(hex, text, strlen(text));
            json_object_set_new(out, name, json_string(hex));
            free(text);
        }
        json_decref(m);
    }
    closedir(d);
    return out;
}

typedef struct {
    int64_t opened_at;
    char *prep;
} last_review;

static cr_err last_row(const cr_review *r, void *payload)
{
    last_review *l = payload;
    size_t n = r->prep ? strlen(r->prep) : 0;

    cr_free(l->prep);
    l->opened_at = r->opened_at;
    if ((l->prep = cr_malloc(n + 1)) == NULL)
        return cr_error_oom();
    memcpy(l->prep, r->prep ? r->prep : "", n + 1);
    return CR_OK;
}

cr_err cr_program_review_open(int64_t *out_id,
                              cr_store *st,
                              int64_t due,
                              const char *user,
                              const char *models_dir,
                              int64_t now)
{
    stale_state ss = { now, NULL };
    last_review last = { 0, NULL };
    json_t *prep = NULL, *dr = NULL, *saved = NULL, *models = NULL, *changed = NULL, *old = NULL;
    const char *name;
    json_t *v;
    cr_review r;
    char *text = NULL;
    cr_err rc;

    if ((rc = cr_store_review_list(st, 0, last_row, &last)) < 0)
        goto done;
    if ((ss.arr = json_array()) == NULL || (saved = json_array()) == NULL ||
        (changed = json_array()) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = cr_store_source_list(st, stale_row, &ss)) < 0 ||
        (rc = drift(&dr, st, last.opened_at ? last.opened_at : now - DRIFT_DAYS * DAY, now)) < 0 ||
        (rc = cr_store_saved_search_list(st, saved_row, saved)) < 0)
        goto done;
    models = model_digests(models_dir);
    if (last.prep) {
        json_t *lp = json_loads(last.prep, 0, NULL);
        old = json_incref(json_object_get(lp, "model_digests"));
        json_decref(lp);
    }
    json_object_foreach(models, name, v)
    {
        json_t *was = json_object_get(old, name);
        if (old && (was == NULL || !json_equal(was, v)))
            json_array_append_new(changed, json_pack("{s:s,s:s}", "model", name, "change",
                                                     was ? "evaluation changed" : "new model"));
    }
    prep = json_pack("{s:o,s:o,s:o,s:o,s:o}", "stale_sources", ss.arr, "drift", dr,
                     "saved_searches_bad", saved, "models_changed", changed, "model_digests",
                     models ? models : json_object());
    ss.arr = dr = saved = changed = models = NULL;
    if (prep == NULL || (text = json_dumps(prep, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    memset(&r, 0, sizeof(r));
    r.due = due;
    r.opened_by = user;
    r.opened_at = now;
    r.prep = text;
    rc = cr_store_review_add(out_id, st, &r);
done:
    free(text);
    json_decref(prep);
    json_decref(ss.arr);
    json_decref(dr);
    json_decref(saved);
    json_decref(changed);
    json_decref(models);
    json_decref(old);
    cr_free(last.prep);
    return rc;
}

typedef struct {
    int evaluated, closed;
} close_state;

static cr_err close_row(const cr_review *r, void *payload)
{
    close_state *c = payload;

    c->evaluated =
        (r->time_saved && *r->time_saved) || (r->quality && *r->quality) || (r->kpi && *r->kpi);
    c->closed = strcmp(r->status, "closed") == 0;
    return CR_OK;
}

static cr_err count_change(const cr_review_change *c, void *payload)
{
    (void)c;
    (*(int *)payload)++;
    return CR_OK;
}

cr_err cr_program_review_close(cr_store *st, int64_t id, const char *user, int64_t now)
{
    close_state c = { 0, 0 };
    cr_review r;
    int changes = 0;
    cr_err rc;

    (void)user;
    if ((rc = cr_store_review_list(st, id, close_row, &c)) < 0 ||
        (rc = cr_store_review_change_list(st, id, count_change, &changes)) < 0)
        return rc;
    if (c.closed)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_CLI, "review %lld is already closed",
                            (long long)id);
    if (!c.evaluated)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "review %lld cannot be closed: record what was evaluated first "
                            "(crest iteration record %lld --time-saved/--quality/--kpi TEXT)",
                            (long long)id, (long long)id);
    if (changes == 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "review %lld cannot be closed without at least one concrete change "
                            "(crest iteration record %lld --change filter|data|tool|process:TEXT)",
                            (long long)id, (long long)id);
    memset(&r, 0, sizeof(r));
    r.id = id;
    r.status = "closed";
    r.closed_at = now;
    return cr_store_review_update(st, &r);
}
