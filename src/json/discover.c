/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * discover.c - JSON shapes of discovery results and saved searches (see discover.h). Unknown
 * numbers are null, never 0. */
#include <math.h>

#include "util/date.h"
#include "json/discover.h"

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *count(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *hit(const cr_discover_hit *h, int64_t rank)
{
    json_t *j = json_object(), *reasons = json_array();
    size_t i;

    if (j == NULL || reasons == NULL) {
        json_decref(j);
        json_decref(reasons);
        return NULL;
    }
    for (i = 0; i < h->nreasons; i++)
        json_array_append_new(reasons, json_string(h->reasons[i]));
    if (json_object_set_new(j, "rank", json_integer(rank)) < 0 ||
        json_object_set_new(j, "creator_id", json_integer(h->creator_id)) < 0 ||
        json_object_set_new(j, "platform", str(h->platform)) < 0 ||
        json_object_set_new(j, "handle", str(h->handle)) < 0 ||
        json_object_set_new(j, "name", str(h->name)) < 0 ||
        json_object_set_new(j, "country", str(h->country)) < 0 ||
        json_object_set_new(j, "language", str(h->language)) < 0 ||
        json_object_set_new(j, "followers", count(h->followers)) < 0 ||
        json_object_set_new(j, "tier", str(h->tier)) < 0 ||
        json_object_set_new(j, "score", num(h->score)) < 0 ||
        json_object_set_new(j, "relevance", num(h->relevance)) < 0 ||
        json_object_set_new(j, "performance", num(h->performance)) < 0 ||
        json_object_set_new(j, "performance_metric", str(h->perf_label)) < 0 ||
        json_object_set_new(j, "performance_value", num(h->perf_value)) < 0 ||
        json_object_set_new(j, "engagement_rate", num(h->er)) < 0 ||
        json_object_set_new(j, "engagement_rate_by", str(h->er_source)) < 0 ||
        json_object_set_new(j, "topic_similarity", num(h->topic_similarity)) < 0 ||
        json_object_set_new(j, "audience_similarity", num(h->audience_similarity)) < 0 ||
        json_object_set_new(j, "fee_minor", count(h->fee_minor)) < 0 ||
        json_object_set_new(j, "fee_currency", str(h->fee_currency)) < 0 ||
        json_object_set_new(j, "audience_quality", num(h->quality)) < 0 ||
        json_object_set_new(j, "new", json_boolean(h->is_new)) < 0 ||
        json_object_set_new(j, "reasons", reasons) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *cr_json_discover_result(const cr_discover_result *r, const cr_discover_query *q)
{
    json_t *j = json_object(), *hits = json_array();
    size_t i;

    if (j == NULL || hits == NULL) {
        json_decref(j);
        json_decref(hits);
        return NULL;
    }
    for (i = 0; i < r->nhits; i++) {
        json_t *h = hit(&r->hits[i], (int64_t)i + 1 + (q ? q->offset : 0));
        if (h == NULL || json_array_append_new(hits, h) < 0) {
            json_decref(j);
            json_decref(hits);
            return NULL;
        }
    }
    if (json_object_set_new(j, "total", json_integer(r->total)) < 0 ||
        json_object_set_new(j, "capped", json_boolean(r->capped)) < 0 ||
        json_object_set_new(j, "goal", str(r->goal)) < 0 ||
        json_object_set_new(j, "campaign", str(r->campaign_name)) < 0 ||
        json_object_set_new(j, "seed", str(r->seed)) < 0 ||
        json_object_set_new(j, "saved", str(r->saved_name)) < 0 ||
        json_object_set_new(j, "new", r->saved_name ? json_integer(r->new_count) : json_null()) <
            0 ||
        json_object_set_new(j, "offset", json_integer(q ? q->offset : 0)) < 0 ||
        json_object_set_new(j, "limit", json_integer(q ? q->limit : (int64_t)r->nhits)) < 0 ||
        json_object_set_new(j, "hits", hits) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *cr_json_saved_search(const cr_saved_search *s)
{
    char a[32], b[32];

    return json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:I, s:I}", "id", (json_int_t)s->id, "name", s->name, "query",
        s->query, "created_at", cr_fmt_datetime(a, sizeof(a), s->created_at), "run_at",
        s->run_at ? json_string(cr_fmt_datetime(b, sizeof(b), s->run_at)) : json_null(), "results",
        (json_int_t)s->result_count, "new", (json_int_t)s->new_count);
}
