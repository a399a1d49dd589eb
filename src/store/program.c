/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * program.c - the program governance tables (migration 8) on every backend: time logs,
 * pilots and their measures, feature use, iteration reviews and changes, training, the
 * authority table, recommendations and the audit log. Plain SQL through the backends'
 * query(), written once, as track.c and vet.c do. The audit log is append-only: there is an
 * insert and a read, and no update or delete. */
#include <stdio.h>
#include <string.h>

#include "crest/program.h"
#include "store/portable.h"
#include "util/date.h"

#define ROW_CHECK(n, want, what)                                                               \
    do {                                                                                       \
        if ((n) < (want))                                                                      \
            return cr_error_set(CR_ESTORE, CR_ERRCLASS_STORE, what " row has %zu columns", n); \
    } while (0)

/* The id of the row just inserted, read by a RETURNING clause on both backends. */
static cr_err id_row(const cr_value *v, size_t n, void *payload)
{
    ROW_CHECK(n, 1, "returned id");
    *(int64_t *)payload = col_i(&v[0]);
    return CR_OK;
}

static cr_err insert_id(int64_t *out_id, cr_store *st, const char *sql, const cr_value *p, size_t n)
{
    int64_t id = 0;
    cr_err rc = st->be->query(st->be, sql, p, n, id_row, &id);

    if (rc == CR_OK && out_id)
        *out_id = id;
    return rc;
}

/* ---- time logs ---- */

typedef struct {
    void *cb;
    void *payload;
    int found;
} rd;

cr_err cr_store_timelog_add(int64_t *out_id, cr_store *st, const cr_timelog *t)
{
    cr_value p[8] = {
        v_text(t->stage), v_text(t->task), v_real(t->minutes),          v_int(t->errors),
        v_text(t->user),  v_int(t->at),    v_int(t->with_tool ? 1 : 0), v_int(cr_now())
    };

    return insert_id(out_id, st,
                     "INSERT INTO program_timelog (stage, task, minutes, errors, user_email, at,"
                     " with_tool, created_at) VALUES (" PT(1) ", " PT(2) ", " PR(3) ", " PI(
                         4) ", " PT(5) ", " PI(6) ", " PI(7) ", " PI(8) ") RETURNING id",
                     p, 8);
}

static cr_err timelog_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_timelog t;

    ROW_CHECK(n, 8, "time log");
    memset(&t, 0, sizeof(t));
    t.id = col_i(&v[0]);
    t.stage = col_s(&v[1]);
    t.task = col_s(&v[2]);
    t.minutes = col_d(&v[3]);
    t.errors = col_i(&v[4]);
    t.user = col_s(&v[5]);
    t.at = col_i(&v[6]);
    t.with_tool = (int)col_i(&v[7]);
    r->found++;
    return ((cr_timelog_cb)r->cb)(&t, r->payload);
}

cr_err cr_store_timelog_list(
    cr_store *st, const char *stage, int64_t since, int64_t until, cr_timelog_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p[3] = { v_text(stage), v_int(since), v_int(until) };

    return st->be->query(st->be,
                         "SELECT id, stage, task, minutes, errors, user_email, at, with_tool"
                         " FROM program_timelog WHERE (" PT(1) " IS NULL OR stage = " PT(
                             1) ") AND at >= " PI(2) " AND at < " PI(3) " ORDER BY at, id",
                         p, 3, timelog_row, &r);
}

/* ---- pilots ---- */

cr_err cr_store_pilot_add(int64_t *out_id, cr_store *st, const cr_pilot *p)
{
    cr_value v[10] = { v_text(p->stage),         v_int(p->days),
                       v_int(p->start),          v_int(p->end),
                       v_int(p->baseline_start), v_int(p->rate_minor),
                       v_int(p->cost_minor),     v_text(p->currency ? p->currency : "USD"),
                       v_text(p->created_by),    v_int(p->created_at) };

    return insert_id(
        out_id, st,
        "INSERT INTO program_pilot (stage, days, start_date, end_date, baseline_start,"
        " rate_minor, cost_minor, currency, created_by, created_at) VALUES (" PT(1) ", " PI(
            2) ", " PI(3) ", " PI(4) ", " PI(5) ", " PI(6) ", " PI(7) ", " PT(8) ", " PT(9) ", " PI(10) ") RETURNING id",
        v, 10);
}

static cr_err pilot_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_pilot p;

    ROW_CHECK(n, 11, "pilot");
    memset(&p, 0, sizeof(p));
    p.id = col_i(&v[0]);
    p.stage = col_s(&v[1]);
    p.days = col_i(&v[2]);
    p.start = col_i(&v[3]);
    p.end = col_i(&v[4]);
    p.baseline_start = col_i(&v[5]);
    p.rate_minor = col_i(&v[6]);
    p.cost_minor = col_i(&v[7]);
    p.currency = col_s(&v[8]);
    p.created_by = col_s(&v[9]);
    p.created_at = col_i(&v[10]);
    r->found++;
    return ((cr_pilot_cb)r->cb)(&p, r->payload);
}

cr_err cr_store_pilot_list(cr_store *st, int64_t id, cr_pilot_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p = v_int(id);
    cr_err rc;

    rc = st->be->query(st->be,
                       "SELECT id, stage, days, start_date, end_date, baseline_start, rate_minor,"
                       " cost_minor, currency, created_by, created_at FROM program_pilot WHERE " PI(
                           1) " = 0 OR id = " PI(1) " ORDER BY start_date DESC, id DESC",
                       &p, 1, pilot_row, &r);
    if (rc == CR_OK && id != 0 && r.found == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no pilot %lld", (long long)id);
    return rc;
}

cr_err cr_store_pilot_measure_set(cr_store *st, const cr_pilot_measure *m)
{
    cr_value p[5] = { v_int(m->pilot_id), v_text(m->name), v_real(m->baseline), v_real(m->pilot),
                      v_int(m->higher_better ? 1 : 0) };

    return run(st,
               "INSERT INTO program_measure (pilot_id, name, baseline, pilot, higher_better)"
               " VALUES (" PI(1) ", " PT(2) ", " PR(3) ", " PR(4) ", " PI(
                   5) ") ON CONFLICT (pilot_id, name) DO UPDATE SET baseline = excluded.baseline,"
                      " pilot = excluded.pilot, higher_better = excluded.higher_better",
               p, 5);
}

static cr_err measure_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_pilot_measure m;

    ROW_CHECK(n, 5, "measure");
    m.pilot_id = col_i(&v[0]);
    m.name = col_s(&v[1]);
    m.baseline = col_d(&v[2]);
    m.pilot = col_d(&v[3]);
    m.higher_better = (int)col_i(&v[4]);
    return ((cr_pilot_measure_cb)r->cb)(&m, r->payload);
}

cr_err
cr_store_pilot_measure_list(cr_store *st, int64_t pilot_id, cr_pilot_measure_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p = v_int(pilot_id);

    return st->be->query(st->be,
                         "SELECT pilot_id, name, baseline, pilot, higher_better FROM"
                         " program_measure WHERE pilot_id = " PI(1) " ORDER BY name",
                         &p, 1, measure_row, &r);
}

/* ---- feature use ---- */

cr_err cr_store_usage_add(cr_store *st, const char *user, const char *feature, int64_t at)
{
    cr_value p[3] = { v_text(user), v_text(feature), v_int(at) };

    return run(st,
               "INSERT INTO program_usage (user_email, feature, at) VALUES (" PT(1) ", " PT(
                   2) ", " PI(3) ")",
               p, 3);
}

static cr_err usage_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;

    ROW_CHECK(n, 3, "usage");
    return ((cr_usage_cb)r->cb)(col_s(&v[0]), col_s(&v[1]), col_i(&v[2]), r->payload);
}

cr_err
cr_store_usage_list(cr_store *st, int64_t since, int64_t until, cr_usage_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p[2] = { v_int(since), v_int(until) };

    return st->be->query(st->be,
                         "SELECT user_email, feature, at FROM program_usage WHERE at >= " PI(
                             1) " AND at < " PI(2) " ORDER BY at, id",
                         p, 2, usage_row, &r);
}

/* ---- iteration reviews ---- */

cr_err cr_store_review_add(int64_t *out_id, cr_store *st, const cr_review *r)
{
    cr_value p[4] = { v_int(r->due), v_text(r->opened_by), v_int(r->opened_at),
                      v_text(r->prep ? r->prep : "{}") };

    return insert_id(out_id, st,
                     "INSERT INTO program_review (due_date, status, opened_by, opened_at, prep)"
                     " VALUES (" PI(1) ", 'open', " PT(2) ", " PI(3) ", " PT(4) ") RETURNING id",
                     p, 4);
}

cr_err cr_store_review_update(cr_store *st, const cr_review *r)
{
    cr_value p[6] = { v_int(r->id),          v_text(r->status),  v_int(r->closed_at),
                      v_text(r->time_saved), v_text(r->quality), v_text(r->kpi) };

    return run(
        st,
        "UPDATE program_review SET status = coalesce(" PT(
            2) ", status),"
               " closed_at = CASE WHEN " PI(3) " = 0 THEN closed_at ELSE " PI(
                   3) " END,"
                      " time_saved = coalesce(" PT(4) ", time_saved), quality = coalesce(" PT(
                          5) ", quality), kpi = coalesce(" PT(6) ", kpi) WHERE id = " PI(1),
        p, 6);
}

static cr_err review_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_review w;

    ROW_CHECK(n, 10, "review");
    memset(&w, 0, sizeof(w));
    w.id = col_i(&v[0]);
    w.due = col_i(&v[1]);
    w.status = col_s(&v[2]);
    w.opened_by = col_s(&v[3]);
    w.opened_at = col_i(&v[4]);
    w.closed_at = col_i(&v[5]);
    w.time_saved = col_s(&v[6]);
    w.quality = col_s(&v[7]);
    w.kpi = col_s(&v[8]);
    w.prep = col_s(&v[9]);
    r->found++;
    return ((cr_review_cb)r->cb)(&w, r->payload);
}

cr_err cr_store_review_list(cr_store *st, int64_t id, cr_review_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p = v_int(id);
    cr_err rc;

    rc = st->be->query(st->be,
                       "SELECT id, due_date, status, opened_by, opened_at, closed_at, time_saved,"
                       " quality, kpi, prep FROM program_review WHERE " PI(1) " = 0 OR id = " PI(
                           1) " ORDER BY due_date, id",
                       &p, 1, review_row, &r);
    if (rc == CR_OK && id != 0 && r.found == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no iteration review %lld",
                            (long long)id);
    return rc;
}

cr_err cr_store_review_change_add(cr_store *st, const cr_review_change *c)
{
    cr_value p[4] = { v_int(c->review_id), v_text(c->kind), v_text(c->description),
                      v_int(c->created_at) };

    return run(st,
               "INSERT INTO program_change (review_id, kind, description, created_at) VALUES (" PI(
                   1) ", " PT(2) ", " PT(3) ", " PI(4) ")",
               p, 4);
}

static cr_err change_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_review_change c;

    ROW_CHECK(n, 5, "change");
    c.id = col_i(&v[0]);
    c.review_id = col_i(&v[1]);
    c.kind = col_s(&v[2]);
    c.description = col_s(&v[3]);
    c.created_at = col_i(&v[4]);
    return ((cr_review_change_cb)r->cb)(&c, r->payload);
}

cr_err
cr_store_review_change_list(cr_store *st, int64_t review_id, cr_review_change_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p = v_int(review_id);

    return st->be->query(st->be,
                         "SELECT id, review_id, kind, description, created_at FROM program_change"
                         " WHERE " PI(1) " = 0 OR review_id = " PI(1) " ORDER BY id DESC",
                         &p, 1, change_row, &r);
}

/* ---- training and authority ---- */

cr_err cr_store_training_set(cr_store *st, const cr_training *t)
{
    cr_value p[5] = { v_text(t->user), v_text(t->area), v_text(t->status), v_real(t->score),
                      v_int(t->updated_at) };

    return run(st,
               "INSERT INTO program_training (user_email, area, status, score, updated_at) VALUES"
               " (" PT(1) ", " PT(2) ", " PT(3) ", " PR(4) ", " PI(
                   5) ") ON CONFLICT (workspace_id, user_email, area) DO UPDATE SET status ="
                      " excluded.status, score = excluded.score, updated_at = excluded.updated_at",
               p, 5);
}

static cr_err training_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_training t;

    ROW_CHECK(n, 5, "training");
    t.user = col_s(&v[0]);
    t.area = col_s(&v[1]);
    t.status = col_s(&v[2]);
    t.score = col_d(&v[3]);
    t.updated_at = col_i(&v[4]);
    return ((cr_training_cb)r->cb)(&t, r->payload);
}

cr_err cr_store_training_list(cr_store *st, const char *user, cr_training_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p = v_text(user);

    return st->be->query(
        st->be,
        "SELECT user_email, area, status, score, updated_at FROM program_training"
        " WHERE " PT(1) " IS NULL OR user_email = " PT(1) " ORDER BY user_email, area",
        &p, 1, training_row, &r);
}

cr_err cr_store_authority_set(cr_store *st, const cr_authority *a)
{
    cr_value p[3] = { v_text(a->kind), v_text(a->role), v_text(a->area) };

    if (a->area == NULL)
        return run(st,
                   "DELETE FROM program_authority WHERE workspace_id = 1 AND kind = " PT(
                       1) " AND role = " PT(2),
                   p, 2);
    return run(st,
               "INSERT INTO program_authority (kind, role, area) VALUES (" PT(1) ", " PT(2) ", " PT(
                   3) ") ON CONFLICT (workspace_id, kind, role) DO UPDATE SET area = excluded.area",
               p, 3);
}

static cr_err authority_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_authority a;

    ROW_CHECK(n, 3, "authority");
    a.kind = col_s(&v[0]);
    a.role = col_s(&v[1]);
    a.area = col_s(&v[2]);
    return ((cr_authority_cb)r->cb)(&a, r->payload);
}

cr_err cr_store_authority_list(cr_store *st, cr_authority_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };

    return st->be->query(st->be,
                         "SELECT kind, role, area FROM program_authority ORDER BY kind, role", NULL,
                         0, authority_row, &r);
}

/* ---- recommendations ---- */

cr_err cr_store_recommendation_add(int64_t *out_id, cr_store *st, const cr_recommendation *r)
{
    cr_value p[5] = { v_text(r->kind), v_text(r->subject), v_text(r->value), v_text(r->detail),
                      v_int(r->created_at) };

    return insert_id(out_id, st,
                     "INSERT INTO program_recommendation (kind, subject, value, detail, status,"
                     " created_at, updated_at) VALUES (" PT(1) ", " PT(2) ", " PT(3) ", " PT(
                         4) ", 'open', " PI(5) ", " PI(5) ") RETURNING id",
                     p, 5);
}

cr_err cr_store_recommendation_update(cr_store *st, const cr_recommendation *r)
{
    cr_value p[6] = { v_int(r->id),          v_text(r->status), v_text(r->escalated_to),
                      v_text(r->decided_by), v_text(r->value),  v_int(r->updated_at) };

    return run(st,
               "UPDATE program_recommendation SET status = " PT(2) ", escalated_to = " PT(
                   3) ", decided_by = " PT(4) ", value = coalesce(" PT(5) ", value), updated_at "
                                                                          "= " PI(6) " WHERE id "
                                                                                     "= " PI(1),
               p, 6);
}

static cr_err rec_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_recommendation c;

    ROW_CHECK(n, 10, "recommendation");
    c.id = col_i(&v[0]);
    c.kind = col_s(&v[1]);
    c.subject = col_s(&v[2]);
    c.value = col_s(&v[3]);
    c.detail = col_s(&v[4]);
    c.status = col_s(&v[5]);
    c.escalated_to = col_s(&v[6]);
    c.decided_by = col_s(&v[7]);
    c.created_at = col_i(&v[8]);
    c.updated_at = col_i(&v[9]);
    r->found++;
    return ((cr_recommendation_cb)r->cb)(&c, r->payload);
}

cr_err cr_store_recommendation_list(
    cr_store *st, int64_t id, const char *status, cr_recommendation_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };
    cr_value p[2] = { v_int(id), v_text(status) };
    cr_err rc;

    rc = st->be->query(
        st->be,
        "SELECT id, kind, subject, value, detail, status, escalated_to, decided_by,"
        " created_at, updated_at FROM program_recommendation WHERE (" PI(1) " = 0 OR id = " PI(
            1) ") AND (" PT(2) " IS NULL OR status = " PT(2) ") ORDER BY id DESC",
        p, 2, rec_row, &r);
    if (rc == CR_OK && id != 0 && r.found == 0)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_STORE, "no recommendation %lld",
                            (long long)id);
    return rc;
}

/* ---- audit log ---- */

cr_err cr_store_audit_insert(int64_t *out_id, cr_store *st, const cr_audit_entry *e)
{
    cr_value p[11] = { v_int(e->id),         v_int(e->at),     v_text(e->actor),
                       v_text(e->action),    v_text(e->kind),  v_text(e->subject),
                       v_text(e->before),    v_text(e->after), v_text(e->reason),
                       v_text(e->prev_hash), v_text(e->hash) };
    cr_err rc = run(
        st,
        "INSERT INTO program_audit (id, at, actor, action, kind, subject, before_value,"
        " after_value, reason, prev_hash, hash) VALUES (" PI(1) ", " PI(2) ", " PT(3) ", " PT(
            4) ", " PT(5) ", " PT(6) ", " PT(7) ", " PT(8) ", " PT(9) ", " PT(10) ", " PT(11) ")",
        p, 11);

    if (rc == CR_OK && out_id)
        *out_id = e->id;
    return rc;
}

static cr_err audit_row(const cr_value *v, size_t n, void *payload)
{
    rd *r = payload;
    cr_audit_entry e;

    ROW_CHECK(n, 11, "audit");
    e.id = col_i(&v[0]);
    e.at = col_i(&v[1]);
    e.actor = col_s(&v[2]);
    e.action = col_s(&v[3]);
    e.kind = col_s(&v[4]);
    e.subject = col_s(&v[5]);
    e.before = col_s(&v[6]);
    e.after = col_s(&v[7]);
    e.reason = col_s(&v[8]);
    e.prev_hash = col_s(&v[9]);
    e.hash = col_s(&v[10]);
    return ((cr_audit_cb)r->cb)(&e, r->payload);
}

cr_err cr_store_audit_list(cr_store *st, cr_audit_cb cb, void *payload)
{
    rd r = { (void *)cb, payload, 0 };

    return st->be->query(st->be,
                         "SELECT id, at, actor, action, kind, subject, before_value, after_value,"
                         " reason, prev_hash, hash FROM program_audit ORDER BY id",
                         NULL, 0, audit_row, &r);
}

static cr_err last_row(const cr_value *v, size_t n, void *payload)
{
    cr_audit_entry *e = payload;
    const char *h;

    ROW_CHECK(n, 2, "audit head");
    e->id = col_i(&v[0]);
    h = col_s(&v[1]);
    snprintf((char *)e->hash, 65, "%s", h ? h : "");
    return CR_OK;
}

cr_err cr_store_audit_last(int64_t *out_id, char hash[65], cr_store *st)
{
    cr_audit_entry e;
    cr_err rc;

    memset(&e, 0, sizeof(e));
    hash[0] = '\0';
    e.hash = hash;
    *out_id = 0;
    if ((rc = st->be->query(st->be, "SELECT id, hash FROM program_audit ORDER BY id DESC LIMIT 1",
                            NULL, 0, last_row, &e)) < 0)
        return rc;
    *out_id = e.id;
    return CR_OK;
}
