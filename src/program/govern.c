/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * govern.c - escalation and overrides. Overriding an AI recommendation needs a reason and
 * the authority for its kind: the user's role has a row in the authority table and the user
 * completed that row's training area. Others may escalate it to someone who has it. Every
 * decision, escalation and refusal goes to the audit log, whose rows are chained: each row's
 * hash is the SHA-256 of its fields and the previous row's hash (docs/program.md), so that an
 * edited or removed row breaks the chain at the first entry it touches. */
#include <stdio.h>
#include <string.h>

#include "crest/program.h"
#include "util/hash.h"
#include "util/str.h"

static const char zero_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Length-prefixed fields ("5:alice;", "~;" for NULL), so that no two rows serialize alike. */
static void canon_field(cr_str *s, const char *v)
{
    if (v == NULL) {
        cr_str_puts(s, "~;");
        return;
    }
    cr_str_printf(s, "%zu:", strlen(v));
    cr_str_puts(s, v);
    cr_str_putc(s, ';');
}

static cr_err audit_hash(char out[CR_SHA256_HEX], const cr_audit_entry *e)
{
    char num[64];
    cr_str s;

    cr_str_init(&s, CR_STR_MAX_DEFAULT);
    snprintf(num, sizeof(num), "%lld", (long long)e->id);
    canon_field(&s, num);
    snprintf(num, sizeof(num), "%lld", (long long)e->at);
    canon_field(&s, num);
    canon_field(&s, e->actor);
    canon_field(&s, e->action);
    canon_field(&s, e->kind);
    canon_field(&s, e->subject);
    canon_field(&s, e->before);
    canon_field(&s, e->after);
    canon_field(&s, e->reason);
    canon_field(&s, e->prev_hash);
    if (s.ptr == NULL)
        return cr_error_oom();
    cr_sha256_buf(out, s.ptr, s.len);
    cr_str_dispose(&s);
    return CR_OK;
}

/* Inside the caller's transaction. */
static cr_err audit_append_in(cr_store *st, const cr_audit_entry *in)
{
    cr_audit_entry e = *in;
    char prev[CR_SHA256_HEX], hash[CR_SHA256_HEX];
    int64_t last;
    cr_err rc;

    if ((rc = cr_store_audit_last(&last, prev, st)) < 0)
        return rc;
    e.id = last + 1;
    e.prev_hash = last ? prev : zero_hash;
    if ((rc = audit_hash(hash, &e)) < 0)
        return rc;
    e.hash = hash;
    return cr_store_audit_insert(NULL, st, &e);
}

cr_err cr_program_audit_append(cr_store *st, const cr_audit_entry *e)
{
    cr_err rc;

    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    if ((rc = audit_append_in(st, e)) < 0) {
        cr_store_rollback(st);
        return rc;
    }
    return cr_store_commit(st);
}

typedef struct {
    int64_t bad, n, last_id;
    char prev[CR_SHA256_HEX];
    cr_err rc;
} verify_state;

static cr_err verify_row(const cr_audit_entry *e, void *payload)
{
    verify_state *v = payload;
    char hash[CR_SHA256_HEX];
    cr_err rc;

    v->n++;
    if (v->bad)
        return CR_OK;
    if ((rc = audit_hash(hash, e)) < 0)
        return rc;
    if (e->id != v->last_id + 1 || e->prev_hash == NULL || strcmp(e->prev_hash, v->prev) != 0 ||
        e->hash == NULL || strcmp(e->hash, hash) != 0) {
        v->bad = e->id;
        return CR_OK;
    }
    v->last_id = e->id;
    snprintf(v->prev, sizeof(v->prev), "%s", e->hash);
    return CR_OK;
}

cr_err cr_program_audit_verify(int64_t *bad_id, int64_t *entries, cr_store *st)
{
    verify_state v;
    cr_err rc;

    memset(&v, 0, sizeof(v));
    snprintf(v.prev, sizeof(v.prev), "%s", zero_hash);
    if ((rc = cr_store_audit_list(st, verify_row, &v)) < 0)
        return rc;
    *bad_id = v.bad;
    *entries = v.n;
    return CR_OK;
}

/* ---- authority ---- */

/* Until a workspace changes it: who may override what (docs/program.md). */
static const cr_authority default_authority[] = {
    { "calibration_flag", "admin", "escalation" },
    { "calibration_flag", "manager", "escalation" },
    { "forecast", "admin", "interpretation" },
    { "forecast", "analyst", "interpretation" },
    { "forecast", "manager", "interpretation" },
    { "shortlist_rank", "admin", "interpretation" },
    { "shortlist_rank", "analyst", "interpretation" },
    { "shortlist_rank", "manager", "interpretation" },
    { "vetting_verdict", "admin", "interpretation" },
    { "vetting_verdict", "manager", "interpretation" },
};
#define NDEFAULT (sizeof(default_authority) / sizeof(default_authority[0]))

typedef struct {
    cr_authority_cb cb;
    void *payload;
    int rows;
} auth_list;

static cr_err auth_row(const cr_authority *a, void *payload)
{
    auth_list *l = payload;

    l->rows++;
    return l->cb(a, l->payload);
}

static cr_err count_row(const cr_authority *a, void *payload)
{
    (void)a;
    (*(int *)payload)++;
    return CR_OK;
}

cr_err cr_program_authority_list(cr_store *st, cr_authority_cb cb, void *payload)
{
    auth_list l = { cb, payload, 0 };
    size_t i;
    cr_err rc;

    if ((rc = cr_store_authority_list(st, auth_row, &l)) < 0 || l.rows > 0)
        return rc;
    for (i = 0; i < NDEFAULT; i++)
        if ((rc = cb(&default_authority[i], payload)) < 0)
            return rc;
    return CR_OK;
}

cr_err cr_program_authority_set(cr_store *st, const cr_authority *a)
{
    int rows = 0;
    size_t i;
    cr_err rc;

    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    rc = cr_store_authority_list(st, count_row, &rows);
    for (i = 0; rc == CR_OK && rows == 0 && i < NDEFAULT; i++)
        rc = cr_store_authority_set(st, &default_authority[i]);
    if (rc == CR_OK)
        rc = cr_store_authority_set(st, a);
    if (rc < 0) {
        cr_store_rollback(st);
        return rc;
    }
    return cr_store_commit(st);
}

typedef struct {
    char role[16];
    int found;
} user_role;

static cr_err role_row(const cr_user *u, void *payload)
{
    user_role *r = payload;

    snprintf(r->role, sizeof(r->role), "%s", u->role);
    r->found = !u->disabled;
    return CR_OK;
}

typedef struct {
    const char *kind, *role;
    char area[32];
} area_of;

static cr_err authority_row(const cr_authority *a, void *payload)
{
    area_of *q = payload;

    if (strcmp(a->kind, q->kind) == 0 && strcmp(a->role, q->role) == 0)
        snprintf(q->area, sizeof(q->area), "%s", a->area);
    return CR_OK;
}

typedef struct {
    const char *area;
    int done;
} trained;

static cr_err training_row(const cr_training *t, void *payload)
{
    trained *q = payload;

    if (strcmp(t->area, q->area) == 0 && strcmp(t->status, "done") == 0)
        q->done = 1;
    return CR_OK;
}

cr_err cr_program_may_override(
    int *allowed, char *why, size_t why_size, cr_store *st, const char *kind, const char *user)
{
    user_role r;
    area_of a;
    trained t;
    cr_err rc;

    *allowed = 0;
    memset(&r, 0, sizeof(r));
    if (user == NULL || *user == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "who acts is not known: give --as EMAIL or set CREST_USER");
    if ((rc = cr_store_user_find(st, user, role_row, &r)) < 0)
        return rc;
    if (!r.found)
        return cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_CLI, "user %s is disabled", user);
    memset(&a, 0, sizeof(a));
    a.kind = kind;
    a.role = r.role;
    if ((rc = cr_program_authority_list(st, authority_row, &a)) < 0)
        return rc;
    if (a.area[0] == '\0') {
        snprintf(why, why_size, "the role %s may not override a %s (see crest recommend authority)",
                 r.role, kind);
        return CR_OK;
    }
    t.area = a.area;
    t.done = 0;
    if ((rc = cr_store_training_list(st, user, training_row, &t)) < 0)
        return rc;
    if (!t.done) {
        snprintf(why, why_size, "%s has not completed the %s training that overriding a %s needs",
                 user, a.area, kind);
        return CR_OK;
    }
    *allowed = 1;
    snprintf(why, why_size, "%s (%s) completed %s training", user, r.role, a.area);
    return CR_OK;
}

/* ---- decisions ---- */

typedef struct {
    char kind[32], status[16], value[512], subject[256];
} rec_copy;

static cr_err rec_row(const cr_recommendation *r, void *payload)
{
    rec_copy *c = payload;

    snprintf(c->kind, sizeof(c->kind), "%s", r->kind);
    snprintf(c->status, sizeof(c->status), "%s", r->status);
    snprintf(c->value, sizeof(c->value), "%s", r->value);
    snprintf(c->subject, sizeof(c->subject), "%s", r->subject);
    return CR_OK;
}

static cr_err rec_load(rec_copy *c, cr_store *st, const char *kind, int64_t id)
{
    cr_err rc;

    if (!cr_program_kind_known(kind))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "KIND: expected vetting_verdict, shortlist_rank, forecast or "
                            "calibration_flag, found '%s'",
                            kind);
    memset(c, 0, sizeof(*c));
    if ((rc = cr_store_recommendation_list(st, id, NULL, rec_row, c)) < 0)
        return rc;
    if (strcmp(c->kind, kind) != 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "recommendation %lld is a %s, not a %s",
                            (long long)id, c->kind, kind);
    if (strcmp(c->status, "open") != 0 && strcmp(c->status, "escalated") != 0)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_CLI, "recommendation %lld was already %s",
                            (long long)id, c->status);
    return CR_OK;
}

static cr_err audit_now(cr_store *st,
                        int64_t now,
                        const char *user,
                        const char *action,
                        const char *kind,
                        int64_t id,
                        const char *before,
                        const char *after,
                        const char *reason)
{
    cr_audit_entry e;
    char subject[32];

    memset(&e, 0, sizeof(e));
    snprintf(subject, sizeof(subject), "recommendation %lld", (long long)id);
    e.at = now;
    e.actor = user;
    e.action = action;
    e.kind = kind;
    e.subject = subject;
    e.before = before;
    e.after = after;
    e.reason = reason;
    return audit_append_in(st, &e);
}

static cr_err finish_tx(cr_store *st, cr_err rc)
{
    if (rc < 0) {
        cr_store_rollback(st);
        return rc;
    }
    return cr_store_commit(st);
}

cr_err cr_program_decide(cr_store *st,
                         const char *kind,
                         int64_t id,
                         const char *user,
                         const char *value,
                         const char *reason,
                         int accept,
                         int64_t now)
{
    cr_recommendation u;
    rec_copy c;
    char why[256];
    int allowed = 0;
    cr_err rc;

    if ((rc = rec_load(&c, st, kind, id)) < 0)
        return rc;
    if (!accept && (reason == NULL || *reason == '\0'))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--reason: an override needs a reason");
    if (!accept && (value == NULL || *value == '\0'))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "--to: an override needs the value that replaces '%s'", c.value);
    why[0] = '\0';
    if ((rc = cr_program_may_override(&allowed, why, sizeof(why), st, kind, user)) < 0)
        return rc;
    if (!accept && !allowed) {
        if ((rc = cr_store_begin(st)) < 0 ||
            (rc = finish_tx(st, audit_now(st, now, user, "override_refused", kind, id, c.value,
                                          value, why))) < 0)
            return rc;
        return cr_error_set(CR_EAUTH, CR_ERRCLASS_CLI,
                            "override refused: %s; escalate it to someone who may (crest "
                            "escalate %s %lld --to EMAIL)",
                            why, kind, (long long)id);
    }
    memset(&u, 0, sizeof(u));
    u.id = id;
    u.status = accept ? "accepted" : "overridden";
    u.decided_by = user;
    u.value = accept ? NULL : value;
    u.updated_at = now;
    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    rc = cr_store_recommendation_update(st, &u);
    if (rc == CR_OK)
        rc = audit_now(st, now, user, accept ? "accept" : "override", kind, id, c.value,
                       accept ? c.value : value, reason);
    return finish_tx(st, rc);
}

cr_err cr_program_escalate(cr_store *st,
                           const char *kind,
                           int64_t id,
                           const char *user,
                           const char *to,
                           const char *reason,
                           int64_t now)
{
    cr_recommendation u;
    rec_copy c;
    char why[256];
    int allowed = 0;
    cr_err rc;

    if ((rc = rec_load(&c, st, kind, id)) < 0)
        return rc;
    if ((rc = cr_program_may_override(&allowed, why, sizeof(why), st, kind, user)) < 0)
        return rc;
    if (to == NULL || *to == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--to: escalate to whom (an EMAIL)?");
    if ((rc = cr_program_may_override(&allowed, why, sizeof(why), st, kind, to)) < 0)
        return rc;
    if (!allowed)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "--to: %s may not decide a %s either: %s",
                            to, kind, why);
    memset(&u, 0, sizeof(u));
    u.id = id;
    u.status = "escalated";
    u.escalated_to = to;
    u.updated_at = now;
    if ((rc = cr_store_begin(st)) < 0)
        return rc;
    rc = cr_store_recommendation_update(st, &u);
    if (rc == CR_OK)
        rc = audit_now(st, now, user, "escalate", kind, id, c.value, to, reason);
    return finish_tx(st, rc);
}
