/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach.c - the SQL of outreach (migration 9), written once for every backend through
 * query(), as review.c does: one constant statement per cr_store_outreach_q with its column
 * names, and the runners that turn rows into JSON objects. Optional references (an
 * enrolment, a draft, a campaign) are passed as 0 and stored as NULL (NULLIF). */
#include <stdio.h>
#include <string.h>

#include "store/outreach.h"
#include "store/portable.h"
#include "util/alloc.h"

typedef struct {
    const char *sql;
    const char *cols; /* the result's column names, comma-separated; NULL: none */
} outreach_stmt;

#define OPT(n) "NULLIF(" PI(n) ", 0)"
/* opted out: the creator, or its address (another profile of the same person opted out) */
#define OPTED(addr)                                                                \
    "CASE WHEN cr.opted_out <> 0 OR EXISTS (SELECT 1 FROM outreach_optout o WHERE" \
    " o.workspace_id = 1 AND o.email = lower(" addr ")) THEN 1 ELSE 0 END"
#define NSTEPS "(SELECT COUNT(*) FROM outreach_step x WHERE x.sequence_id = e.sequence_id)"

static const outreach_stmt stmts[CR_OQ__COUNT] = {
    [CR_OQ_TEMPLATES] = { "SELECT id, name, subject, body_text, body_html, created_at, updated_at"
                          " FROM outreach_template WHERE workspace_id = 1 AND (" PT(
                              1) " IS NULL OR name = " PT(1) ") ORDER BY name",
                          "id,name,subject,text,html,created_at,updated_at" },
    [CR_OQ_SEQUENCES] = { "SELECT id, name, created_at FROM outreach_sequence WHERE"
                          " workspace_id = 1 AND (" PT(1) " IS NULL OR name = " PT(
                              1) ") ORDER BY name",
                          "id,name,created_at" },
    [CR_OQ_STEPS] = { "SELECT s.step, s.day, t.name, t.id FROM outreach_step s JOIN"
                      " outreach_template t ON t.id = s.template_id WHERE s.sequence_id = " PI(
                          1) " ORDER BY s.step",
                      "step,day,template,template_id" },
    [CR_OQ_SEQ_ENROLLED] = { "SELECT COUNT(*) FROM outreach_enrollment WHERE sequence_id = " PI(1),
                             "n" },
    [CR_OQ_CREATOR] = { "SELECT id, platform, handle, name, email, country, niches, followers,"
                        " opted_out, fee_minor, fee_currency FROM creator WHERE id = " PI(1),
                        "id,platform,handle,name,email,country,niches,followers,opted_out,"
                        "fee_minor,fee_currency" },
    [CR_OQ_CAMPAIGN] = { "SELECT id, name, brand, objective, start_date, end_date, currency"
                         " FROM campaign WHERE id = " PI(1),
                         "id,name,brand,objective,start_date,end_date,currency" },
    [CR_OQ_PARTNERSHIP] = { "SELECT id, status, fee_minor, currency, promo_code, utm_content"
                            " FROM partnership WHERE campaign_id = " PI(1) " AND creator_id = " PI(
                                2),
                            "id,status,fee_minor,currency,promo_code,utm_content" },
    [CR_OQ_AUDIENCE_TOP] = { "SELECT key, share FROM creator_audience WHERE creator_id = " PI(
                                 1) " AND dim = 'country' ORDER BY share DESC, key LIMIT 1",
                             "key,share" },
    [CR_OQ_OPTOUT_EMAIL] = { "SELECT email FROM outreach_optout WHERE workspace_id = 1 AND"
                             " email = lower(" PT(1) ")",
                             "email" },
    [CR_OQ_DUE_STEPS] = { "SELECT e.id, e.sequence_id, e.campaign_id, e.creator_id, e.next_step,"
                          " COALESCE(e.last_sent_at, e.enrolled_at) + s.day * 86400, t.name,"
                          " q.name, cr.email, " OPTED(
                              "cr.email") ", COALESCE(p.status, 'prospect'), " NSTEPS
                                          " FROM outreach_enrollment e"
                                          " JOIN outreach_step s ON s.sequence_id = e.sequence_id "
                                          "AND"
                                          " s.step = e.next_step"
                                          " JOIN outreach_template t ON t.id = s.template_id"
                                          " JOIN outreach_sequence q ON q.id = e.sequence_id"
                                          " JOIN creator cr ON cr.id = e.creator_id"
                                          " LEFT JOIN partnership p ON p.campaign_id = "
                                          "e.campaign_id AND"
                                          " p.creator_id = e.creator_id"
                                          " WHERE e.workspace_id = 1 AND e.status = 'active' AND"
                                          " COALESCE(e.last_sent_at, e.enrolled_at) + s.day * "
                                          "86400 <= " PI(
                                              1) " AND NOT EXISTS (SELECT 1 FROM outreach_message "
                                                 "m WHERE"
                                                 " m.enrollment_id = e.id AND m.step = e.next_step)"
                                                 " ORDER BY e.id",
                          "id,sequence_id,campaign_id,creator_id,step,due,template,sequence,"
                          "email,opted_out,state,nsteps" },
    [CR_OQ_QUEUED_DUE] = { "SELECT m.id, m.enrollment_id, m.campaign_id, m.creator_id, m.step,"
                           " m.to_addr, m.subject, m.body_text, m.body_html, m.message_id,"
                           " m.due_at, cr.handle, cr.name, cr.country, " OPTED(
                               "m.to_addr") ","
                                            " COALESCE(p.status, 'prospect'), COALESCE(e.status, "
                                            "'active'),"
                                            " q.name, m.draft_id, " NSTEPS
                                            " FROM outreach_message m"
                                            " JOIN creator cr ON cr.id = m.creator_id"
                                            " LEFT JOIN partnership p ON p.campaign_id = "
                                            "m.campaign_id AND"
                                            " p.creator_id = m.creator_id"
                                            " LEFT JOIN outreach_enrollment e ON e.id = "
                                            "m.enrollment_id"
                                            " LEFT JOIN outreach_sequence q ON q.id = e.sequence_id"
                                            " WHERE m.workspace_id = 1 AND m.status = 'queued' AND "
                                            "m.due_at <= " PI(1) " ORDER BY m.due_at, m.id",
                           "id,enrollment_id,campaign_id,creator_id,step,to,subject,text,html,"
                           "message_id,due_at,handle,name,country,opted_out,state,"
                           "enrollment_status,sequence,draft_id,nsteps" },
    [CR_OQ_PREV_IDS] = { "SELECT message_id FROM outreach_message WHERE enrollment_id = " PI(
                             1) " AND step < " PI(2) " AND status = 'sent' ORDER BY step",
                         "message_id" },
    [CR_OQ_SENT_BETWEEN] = { "SELECT COUNT(*) FROM outreach_message WHERE workspace_id = 1 AND"
                             " status IN ('sent', 'sending') AND sent_at >= " PI(
                                 1) " AND sent_at < " PI(2),
                             "n" },
    [CR_OQ_FIRST_SENT] = { "SELECT COALESCE(MIN(sent_at), 0) FROM outreach_message WHERE"
                           " workspace_id = 1 AND status IN ('sent', 'sending')",
                           "first" },
    [CR_OQ_LAST_TO_ADDR] = { "SELECT COALESCE(MAX(sent_at), 0) FROM outreach_message WHERE"
                             " to_addr = " PT(1) " AND status IN ('sent', 'sending')",
                             "last" },
    [CR_OQ_MSG_BY_MSGID] = { "SELECT id, enrollment_id, creator_id, campaign_id, step FROM"
                             " outreach_message WHERE message_id = " PT(
                                 1) " AND status IN ('sent', 'sending')",
                             "id,enrollment_id,creator_id,campaign_id,step" },
    [CR_OQ_EVENTS] = { "SELECT ev.id, ev.creator_id, ev.campaign_id, ev.kind, ev.detail,"
                       " ev.actor, ev.at FROM outreach_event ev WHERE ev.creator_id = " PI(
                           1) " ORDER BY ev.at, ev.id",
                       "id,creator_id,campaign_id,kind,detail,actor,at" },
    [CR_OQ_PIPELINE] = { "SELECT p.campaign_id, p.creator_id, p.id, c.name, cr.platform,"
                         " cr.handle, cr.name, p.status, (SELECT COALESCE(MAX(ev.at), 0) FROM"
                         " outreach_event ev WHERE ev.creator_id = p.creator_id AND"
                         " (ev.campaign_id IS NULL OR ev.campaign_id = p.campaign_id))"
                         " FROM partnership p JOIN campaign c ON c.id = p.campaign_id"
                         " JOIN creator cr ON cr.id = p.creator_id WHERE " PI(
                             1) " = 0 OR p.campaign_id = " PI(1) " ORDER BY CASE p.status"
                                                                 " WHEN 'prospect' THEN 1"
                                                                 " WHEN 'contacted' THEN 2"
                                                                 " WHEN 'replied' THEN 3"
                                                                 " WHEN 'negotiating' THEN 4"
                                                                 " WHEN 'contracted' THEN 5"
                                                                 " WHEN 'live' THEN 6"
                                                                 " WHEN 'completed' THEN 7"
                                                                 " WHEN 'declined' THEN 8"
                                                                 " ELSE 9 END, c.name,"
                                                                 " cr.platform, cr.handle",
                         "campaign_id,creator_id,partnership_id,campaign,platform,handle,name,"
                         "state,updated_at" },
    [CR_OQ_QUEUE] = { "SELECT m.id, m.enrollment_id, m.creator_id, m.campaign_id, m.step,"
                      " cr.handle, q.name, m.to_addr, m.subject, m.status, m.message_id,"
                      " m.error, m.due_at, m.sent_at FROM outreach_message m"
                      " JOIN creator cr ON cr.id = m.creator_id"
                      " LEFT JOIN outreach_enrollment e ON e.id = m.enrollment_id"
                      " LEFT JOIN outreach_sequence q ON q.id = e.sequence_id"
                      " WHERE m.workspace_id = 1 AND (" PT(1) " IS NULL OR m.status = " PT(
                          1) ") ORDER BY m.due_at, m.id",
                      "id,enrollment_id,creator_id,campaign_id,step,handle,sequence,to,subject,"
                      "status,message_id,error,due_at,sent_at" },
    [CR_OQ_DRAFTS] = { "SELECT id, creator_id, campaign_id, template_name, subject, body_text,"
                       " status, model, approved_by, created_at, approved_at FROM outreach_draft"
                       " WHERE workspace_id = 1 AND (" PI(1) " = 0 OR id = " PI(
                           1) ") ORDER BY id DESC",
                       "id,creator_id,campaign_id,template,subject,text,status,model,"
                       "approved_by,created_at,approved_at" },
    [CR_OQ_ENROLLMENT] = { "SELECT id, status, creator_id, campaign_id FROM outreach_enrollment"
                           " WHERE id = " PI(1),
                           "id,status,creator_id,campaign_id" },

    [CR_OW_TEMPLATE] = { "INSERT INTO outreach_template (name, subject, body_text, body_html,"
                         " created_at, updated_at) VALUES (" PT(1) ", " PT(2) ", " PT(3) ", " PT(
                             4) ", " PI(5) ", " PI(5) ") ON CONFLICT (workspace_id, name) DO"
                                                      " UPDATE SET subject = excluded.subject,"
                                                      " body_text = excluded.body_text,"
                                                      " body_html = excluded.body_html,"
                                                      " updated_at = excluded.updated_at"
                                                      " RETURNING id",
                         "id" },
    [CR_OW_SEQUENCE] = { "INSERT INTO outreach_sequence (name, created_at) VALUES (" PT(1) ", " PI(
                             2) ") ON CONFLICT (workspace_id, name) DO UPDATE SET name ="
                                " excluded.name RETURNING id",
                         "id" },
    [CR_OW_STEPS_CLEAR] = { "DELETE FROM outreach_step WHERE sequence_id = " PI(1), NULL },
    [CR_OW_STEP] = { "INSERT INTO outreach_step (sequence_id, step, day, template_id) VALUES"
                     " (" PI(1) ", " PI(2) ", " PI(3) ", " PI(4) ")",
                     NULL },
    [CR_OW_PARTNERSHIP_NEW] = { "INSERT INTO partnership (campaign_id, creator_id, status)"
                                " VALUES (" PI(1) ", " PI(2) ", 'prospect') ON CONFLICT"
                                                             " (campaign_id, creator_id) DO"
                                                             " NOTHING",
                                NULL },
    [CR_OW_PARTNERSHIP_STATE] = { "UPDATE partnership SET status = " PT(
                                      3) " WHERE campaign_id = " PI(1) " AND creator_id = " PI(2),
                                  NULL },
    [CR_OW_PARTNERSHIPS_OPTOUT] = { "UPDATE partnership SET status = 'opted-out' WHERE"
                                    " creator_id = " PI(1) " AND status IN ('prospect',"
                                                           " 'contacted', 'replied',"
                                                           " 'negotiating', 'declined')",
                                    NULL },
    [CR_OW_ENROLL] = { "INSERT INTO outreach_enrollment (sequence_id, campaign_id, creator_id,"
                       " enrolled_at, updated_at) VALUES (" PI(1) ", " PI(2) ", " PI(3) ", " PI(
                           4) ", " PI(4) ") ON CONFLICT (sequence_id, campaign_id, creator_id)"
                                         " DO NOTHING RETURNING id",
                       "id" },
    [CR_OW_ENROLL_STOP] = { "UPDATE outreach_enrollment SET status = 'stopped', stop_reason = " PT(
                                2) ", updated_at = " PI(3) " WHERE id = " PI(1) " AND status ="
                                                                                " 'active'",
                            NULL },
    [CR_OW_ENROLL_STOP_CREATOR] = { "UPDATE outreach_enrollment SET status = 'stopped',"
                                    " stop_reason = " PT(2) ", updated_at = " PI(
                                        3) " WHERE creator_id = " PI(1) " AND status = 'active'"
                                                                        " AND (" PI(
                                                                            4) " = 0 OR"
                                                                               " campaign_id = " PI(
                                                                                   4) ")",
                                    NULL },
    [CR_OW_ENROLL_ADVANCE] = { "UPDATE outreach_enrollment SET next_step = " PI(
                                   2) " + 1, last_sent_at = " PI(3) ", updated_at = " PI(3) ", "
                                                                                            "status"
                                                                                            " = "
                                                                                            "CASE "
                                                                                            "WHEN"
                                                                                            " " PI(2) " >= " PI(4) " THEN 'finished' ELSE status END WHERE id = " PI(
                                                                                                1) " AND status = 'active'",
                               NULL },
    [CR_OW_MESSAGE] = { "INSERT INTO outreach_message (enrollment_id, draft_id, campaign_id,"
                        " creator_id, step, to_addr, subject, body_text, body_html, message_id,"
                        " status, error, due_at, created_at) VALUES (" OPT(1) ", " OPT(2) ", " OPT(3) ", " PI(4) ", " PI(5) ", " PT(
                            6) ", " PT(7) ", " PT(8) ", " PT(9) ", " PT(10) ", " PT(11) ", " PT(12) ", " PI(13) ", " PI(14) ") ON"
                                                                                                                            " CONFLICT DO"
                                                                                                                            " NOTHING RETURNING id",
                        "id" },
    [CR_OW_MESSAGE_CLAIM] = { "UPDATE outreach_message SET status = 'sending', sent_at = " PI(
                                  2) " WHERE id = " PI(1) " AND status = 'queued' RETURNING id",
                              "id" },
    [CR_OW_MESSAGE_DONE] = { "UPDATE outreach_message SET status = " PT(2) ", error = " PT(
                                 3) ", sent_at = CASE WHEN " PT(2) " = 'sent' THEN " PI(4) " ELSE "
                                                                                           "NULL "
                                                                                           "END "
                                                                                           "WHERE "
                                                                                           "id "
                                                                                           "= " PI(
                                                                                               1),
                             NULL },
    [CR_OW_MESSAGE_DROP_CREATOR] = { "UPDATE outreach_message SET status = 'dropped', error = " PT(
                                         2) " WHERE creator_id = " PI(1) " AND status IN"
                                                                         " ('queued', 'blocked')",
                                     NULL },
    [CR_OW_MESSAGE_DROP_ENROLLMENT] = { "UPDATE outreach_message SET status = 'dropped', error"
                                        " = " PT(2) " WHERE enrollment_id = " PI(
                                            1) " AND status IN ('queued', 'blocked')",
                                        NULL },
    [CR_OW_EVENT] = { "INSERT INTO outreach_event (creator_id, campaign_id, kind, detail, actor,"
                      " at) VALUES (" PI(1) ", " OPT(2) ", " PT(3) ", " PT(4) ", " PT(5) ", " PI(
                          6) ")",
                      NULL },
    [CR_OW_REPLY] = { "INSERT INTO outreach_reply (message_id, outreach_message_id, from_addr,"
                      " subject, kind, received_at) VALUES (" PT(1) ", " PI(2) ", " PT(3) ", " PT(
                          4) ", " PT(5) ", " PI(6) ") ON CONFLICT DO NOTHING RETURNING id",
                      "id" },
    [CR_OW_OPTOUT] = { "INSERT INTO outreach_optout (email, creator_id, source, at) VALUES"
                       " (lower(" PT(1) "), " OPT(2) ", " PT(3) ", " PI(4) ") ON CONFLICT DO"
                                                                           " NOTHING",
                       NULL },
    [CR_OW_CREATOR_OPTOUT] = { "UPDATE creator SET opted_out = 1 WHERE id = " PI(1), NULL },
    [CR_OW_DRAFT] = { "INSERT INTO outreach_draft (template_name, campaign_id, creator_id,"
                      " subject, body_text, status, model, created_at) VALUES (" PT(1) ", " OPT(
                          2) ", " PI(3) ", " PT(4) ", " PT(5) ", 'pending', " PT(6) ", " PI(7) ")"
                                                                                               " RE"
                                                                                               "TUR"
                                                                                               "NIN"
                                                                                               "G "
                                                                                               "id",
                      "id" },
    [CR_OW_DRAFT_STATUS] = { "UPDATE outreach_draft SET status = " PT(
                                 2) ", approved_by = COALESCE(" PT(3) ", approved_by),"
                                                                      " approved_at = CASE "
                                                                      "WHEN " PT(3) " IS NULL THEN "
                                                                                    "approved_at "
                                                                                    "ELSE " PI(
                                                                                        4) " END "
                                                                                           "WHERE "
                                                                                           "id"
                                                                                           " = " PI(
                                                                                               1),
                             NULL },
};

typedef struct {
    json_t *rows;
    const char *cols;
    int first_only;
} rows_ctx;

static json_t *cell_json(const cr_value *v)
{
    switch (v->type) {
    case 'I':
        return json_integer((json_int_t)v->i);
    case 'R':
        return json_real(v->d);
    case 'T':
        return json_stringn(v->s ? v->s : "", v->len);
    default:
        return json_null();
    }
}

static cr_err row_json(const cr_value *vals, size_t n, void *payload)
{
    rows_ctx *c = payload;
    const char *p = c->cols, *comma;
    json_t *o;
    char name[48];
    size_t i, len;

    if (c->first_only && json_array_size(c->rows) > 0)
        return CR_OK;
    if ((o = json_object()) == NULL)
        return cr_error_oom();
    for (i = 0; i < n && p && *p; i++) {
        comma = strchr(p, ',');
        len = comma ? (size_t)(comma - p) : strlen(p);
        if (len >= sizeof(name))
            len = sizeof(name) - 1;
        memcpy(name, p, len);
        name[len] = '\0';
        if (json_object_set_new(o, name, cell_json(&vals[i])) < 0) {
            json_decref(o);
            return cr_error_oom();
        }
        p = comma ? comma + 1 : NULL;
    }
    if (json_array_append_new(c->rows, o) < 0)
        return cr_error_oom();
    return CR_OK;
}

static cr_err
run_rows(json_t **out, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n, int first)
{
    rows_ctx c;
    cr_err rc;

    *out = NULL;
    c.cols = stmts[q].cols ? stmts[q].cols : "";
    c.first_only = first;
    if ((c.rows = json_array()) == NULL)
        return cr_error_oom();
    if ((rc = st->be->query(st->be, stmts[q].sql, p, n, row_json, &c)) < 0) {
        json_decref(c.rows);
        return rc;
    }
    *out = c.rows;
    return CR_OK;
}

cr_err cr_store_outreach_rows(
    json_t **out, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n)
{
    return run_rows(out, st, q, p, n, 0);
}

cr_err cr_store_outreach_row(
    json_t **out, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n)
{
    json_t *rows = NULL, *row;
    cr_err rc;

    *out = NULL;
    if ((rc = run_rows(&rows, st, q, p, n, 1)) < 0)
        return rc;
    row = json_array_get(rows, 0);
    if (row == NULL) {
        json_decref(rows);
        return CR_ENOTFOUND;
    }
    *out = json_incref(row);
    json_decref(rows);
    return CR_OK;
}

static cr_err first_id(const cr_value *vals, size_t n, void *payload)
{
    int64_t *id = payload;

    if (n > 0 && *id == 0)
        *id = col_i(&vals[0]);
    return CR_OK;
}

cr_err cr_store_outreach_exec(
    int64_t *out_id, cr_store *st, cr_store_outreach_q q, const cr_value *p, size_t n)
{
    int64_t id = 0;
    cr_err rc;

    rc = st->be->query(st->be, stmts[q].sql, p, n, stmts[q].cols ? first_id : NULL,
                       stmts[q].cols ? &id : NULL);
    if (out_id)
        *out_id = id;
    return rc;
}
