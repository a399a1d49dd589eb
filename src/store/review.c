/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * review.c - the SQL of partner reviews, written once for every backend through query() (as
 * track.c and vet.c are): one constant statement per cr_store_review_q with its column
 * names, and the two runners that turn rows into JSON objects. Parameters are cast for
 * PostgreSQL; the note search is the one statement whose dialect differs (FTS5 MATCH with
 * bm25 on SQLite, a tsvector with ts_rank on PostgreSQL). */
#include <stdio.h>
#include <string.h>

#include "store/portable.h"
#include "store/review.h"
#include "util/alloc.h"
#include "util/str.h"

typedef struct {
    const char *sql;
    const char *cols; /* the result's column names, comma-separated; NULL: none */
} review_stmt;

#define CYCLE_COLS                                                                      \
    "c.id, c.name, c.kind, c.period_start, c.period_end, c.campaign_id, c.rubric_name," \
    " c.rubric_version, c.lead, c.created_at"
#define CYCLE_NAMES                                                                     \
    "id,name,kind,period_start,period_end,campaign_id,rubric_name,rubric_version,lead," \
    "created_at"
#define ENG "COALESCE(r.likes,0)+COALESCE(r.comments,0)+COALESCE(r.shares,0)+COALESCE(r.saves,0)"

static const review_stmt stmts[CR_RQ__COUNT] = {
    [CR_RQ_RUBRICS] = { "SELECT name, version, body, created_at FROM review_rubric"
                        " WHERE workspace_id = 1 ORDER BY name, version",
                        "name,version,body,created_at" },
    [CR_RQ_RUBRIC] = { "SELECT id, name, version, body FROM review_rubric WHERE workspace_id = 1"
                       " AND name = " PT(1) " AND (version = " PI(2) " OR " PI(
                           2) " = 0)"
                              " ORDER BY version DESC LIMIT 1",
                       "id,name,version,body" },
    [CR_RQ_RUBRIC_MAXV] = { "SELECT COALESCE(MAX(version), 0) FROM review_rubric"
                            " WHERE workspace_id = 1 AND name = " PT(1),
                            "version" },
    [CR_RQ_CYCLE] = { "SELECT " CYCLE_COLS " FROM review_cycle c WHERE c.workspace_id = 1 AND"
                      " (c.name = " PT(1) " OR CAST(c.id AS TEXT) = " PT(
                          1) ")"
                             " ORDER BY c.name = " PT(1) " DESC LIMIT 1",
                      CYCLE_NAMES },
    [CR_RQ_CYCLES] = { "SELECT " CYCLE_COLS ","
                       " (SELECT COUNT(*) FROM review_partner p WHERE p.cycle_id = c.id),"
                       " (SELECT COUNT(*) FROM brand_review r WHERE r.cycle_id = c.id),"
                       " (SELECT COUNT(*) FROM review_partner p WHERE p.cycle_id = c.id"
                       "  AND p.released_at IS NOT NULL)"
                       " FROM review_cycle c WHERE c.workspace_id = 1"
                       " ORDER BY c.period_end, c.id",
                       CYCLE_NAMES ",partners,reviews,released" },
    [CR_RQ_PARTNERS] = { "SELECT p.creator_id, cr.platform, cr.handle, cr.name, p.released_at,"
                         " p.released_by FROM review_partner p JOIN creator cr ON"
                         " cr.id = p.creator_id WHERE p.cycle_id = " PI(
                             1) " ORDER BY cr.platform, cr.handle",
                         "creator_id,platform,handle,name,released_at,released_by" },
    [CR_RQ_PARTNER] = { "SELECT creator_id, released_at FROM review_partner"
                        " WHERE cycle_id = " PI(1) " AND creator_id = " PI(2),
                        "creator_id,released_at" },
    [CR_RQ_REVIEWS] = { "SELECT id, creator_id, reviewer, summary, potential, submitted_at"
                        " FROM brand_review WHERE cycle_id = " PI(
                            1) " ORDER BY creator_id, submitted_at, id",
                        "id,creator_id,reviewer,summary,potential,submitted_at" },
    [CR_RQ_SCORES] = { "SELECT s.review_id, s.criterion, s.score, s.evidence, s.post_ids"
                       " FROM review_score s JOIN brand_review r ON r.id = s.review_id"
                       " WHERE r.cycle_id = " PI(1) " ORDER BY s.review_id, s.criterion",
                       "review_id,criterion,score,evidence,post_ids" },
    [CR_RQ_SELF] = { "SELECT creator_id, strengths, growth_areas, plan, submitted_at"
                     " FROM self_assessment WHERE cycle_id = " PI(1) " ORDER BY creator_id",
                     "creator_id,strengths,growth_areas,plan,submitted_at" },
    [CR_RQ_FEEDBACK] = { "SELECT creator_id, brief_clarity, feedback_timeliness,"
                         " payment_punctuality, creative_freedom, comment, submitted_at"
                         " FROM review_feedback WHERE cycle_id = " PI(1) " ORDER BY creator_id",
                         "creator_id,brief_clarity,feedback_timeliness,payment_punctuality,"
                         "creative_freedom,comment,submitted_at" },
    [CR_RQ_CREATOR_CYCLES] = { "SELECT " CYCLE_COLS ", p.released_at FROM review_cycle c"
                               " JOIN review_partner p ON p.cycle_id = c.id"
                               " WHERE p.creator_id = " PI(1) " ORDER BY c.period_end, c.id",
                               CYCLE_NAMES ",released_at" },
    [CR_RQ_CREATOR_SCORES] = { "SELECT r.cycle_id, r.creator_id, r.id, r.reviewer, s.criterion,"
                               " s.score, r.potential FROM brand_review r JOIN review_score s"
                               " ON s.review_id = r.id WHERE r.creator_id = " PI(
                                   1) " ORDER BY r.cycle_id, r.id, s.criterion",
                               "cycle_id,creator_id,review_id,reviewer,criterion,score,potential" },
    [CR_RQ_ALL_SCORES] = { "SELECT r.cycle_id, r.creator_id, r.id, r.reviewer, s.criterion,"
                           " s.score, r.potential FROM brand_review r JOIN review_score s"
                           " ON s.review_id = r.id ORDER BY r.cycle_id, r.creator_id, r.id,"
                           " s.criterion",
                           "cycle_id,creator_id,review_id,reviewer,criterion,score,potential" },
    [CR_RQ_PLANS] = { "SELECT g.id, g.creator_id, g.cycle_id, g.review_id, g.title, g.created_at,"
                      " c.name FROM growth_plan g LEFT JOIN review_cycle c ON c.id = g.cycle_id"
                      " WHERE g.workspace_id = 1 AND (" PI(1) " = 0 OR g.creator_id = " PI(
                          1) ")"
                             " ORDER BY g.created_at, g.id",
                      "id,creator_id,cycle_id,review_id,title,created_at,cycle" },
    [CR_RQ_MILESTONES] = { "SELECT m.id, m.plan_id, g.creator_id, m.metric, m.target, m.due_date,"
                           " m.owner, m.status, m.actual, m.met_at, m.incentive,"
                           " m.incentive_minor, m.incentive_currency FROM growth_milestone m"
                           " JOIN growth_plan g ON g.id = m.plan_id WHERE g.workspace_id = 1"
                           " AND (" PI(1) " = 0 OR g.creator_id = " PI(
                               1) ")"
                                  " ORDER BY m.due_date, m.id",
                           "id,plan_id,creator_id,metric,target,due_date,owner,status,actual,"
                           "met_at,incentive,incentive_minor,incentive_currency" },
    [CR_RQ_MILESTONE] = { "SELECT id, status FROM growth_milestone WHERE id = " PI(1),
                          "id,status" },
    [CR_RQ_REVIEW_ID] = { "SELECT id FROM brand_review WHERE cycle_id = " PI(
                              1) " AND creator_id = " PI(2) " AND reviewer = " PT(3),
                          "id" },
    [CR_RQ_SETTING] = { "SELECT value FROM setting WHERE workspace_id = 1 AND key = " PT(1),
                        "value" },
    [CR_RQ_USER_BY_EMAIL] = { "SELECT id, role FROM app_user WHERE workspace_id = 1"
                              " AND email = " PT(1),
                              "id,role" },
    [CR_RQ_ACCOUNT] = { "SELECT creator_id FROM review_account WHERE user_id = " PI(1),
                        "creator_id" },
    [CR_RQ_CREATOR] = { "SELECT id, platform, handle, name FROM creator WHERE id = " PI(1),
                        "id,platform,handle,name" },
    [CR_RQ_PERIOD_KPIS] = { "SELECT COUNT(*), SUM(r.reach), SUM(r.impressions),"
                            " SUM(" ENG "), SUM(r.clicks), SUM(r.orders), SUM(r.revenue_minor)"
                            " FROM post p JOIN post_rollup r ON r.post_id = p.id"
                            " WHERE p.creator_id = " PI(1) " AND p.posted_at >= " PI(
                                2) " AND p.posted_at < " PI(3),
                            "posts,reach,impressions,engagements,clicks,orders,revenue_minor" },
    [CR_RQ_PERIOD_POSTS] = { "SELECT p.id, p.platform, p.external_id, p.url, p.posted_at,"
                             " p.caption, r.reach, " ENG " FROM post p JOIN post_rollup r"
                             " ON r.post_id = p.id WHERE p.creator_id = " PI(
                                 1) " AND p.posted_at >= " PI(2) " AND p.posted_at < " PI(3) " ORDE"
                                                                                             "R BY "
                                                                                             "p."
                                                                                             "poste"
                                                                                             "d_at,"
                                                                                             " p."
                                                                                             "id",
                             "id,platform,external_id,url,posted_at,caption,reach,engagements" },
    [CR_RQ_TARGETS] = { "SELECT k.code, k.target, k.target_relative, k.baseline, c.name"
                        " FROM campaign_kpi k JOIN partnership pa ON pa.campaign_id = k.campaign_id"
                        " JOIN campaign c ON c.id = k.campaign_id"
                        " WHERE pa.creator_id = " PI(1) " AND k.target IS NOT NULL"
                                                        " ORDER BY k.code, c.name",
                        "code,target,target_relative,baseline,campaign" },
    [CR_RQ_PARTNERS_ALL] = { "SELECT DISTINCT cr.id, cr.platform, cr.handle FROM partnership pa"
                             " JOIN creator cr ON cr.id = pa.creator_id"
                             " ORDER BY cr.platform, cr.handle",
                             "id,platform,handle" },
    [CR_RQ_POSTS_COUNT] = { "SELECT COUNT(*) FROM post WHERE creator_id = " PI(
                                1) " AND posted_at >= " PI(2) " AND posted_at < " PI(3),
                            "posts" },
    [CR_RQ_CAMPAIGN_ENDS] = { "SELECT c.id, c.name, c.end_date, cr.id, cr.platform, cr.handle"
                              " FROM campaign c JOIN partnership pa ON pa.campaign_id = c.id"
                              " JOIN creator cr ON cr.id = pa.creator_id"
                              " WHERE c.end_date IS NOT NULL ORDER BY c.end_date, c.id,"
                              " cr.platform, cr.handle",
                              "campaign_id,campaign,end_date,creator_id,platform,handle" },
    [CR_RQ_DONE] = { "SELECT DISTINCT c.kind, c.period_start, c.period_end, c.campaign_id,"
                     " r.creator_id FROM review_cycle c JOIN brand_review r"
                     " ON r.cycle_id = c.id ORDER BY c.period_start",
                     "kind,period_start,period_end,campaign_id,creator_id" },
    [CR_RQ_CYCLE_RATINGS] = { "SELECT cr.platform, cr.handle, r.reviewer, s.criterion, s.score"
                              " FROM brand_review r JOIN review_score s ON s.review_id = r.id"
                              " JOIN creator cr ON cr.id = r.creator_id"
                              " WHERE r.cycle_id = " PI(1) " ORDER BY r.id, s.criterion",
                              "platform,handle,reviewer,criterion,score" },
    [CR_RQ_CAMPAIGN] = { "SELECT id, name, start_date, end_date FROM campaign"
                         " WHERE name = " PT(1) " OR CAST(id AS TEXT) = " PT(
                             1) " ORDER BY name = " PT(1) " DESC LIMIT 1",
                         "id,name,start_date,end_date" },

    [CR_RQ_CREATOR_BY_HANDLE] = { "SELECT id, platform, handle FROM creator WHERE workspace_id = 1"
                                  " AND lower(handle) = lower(" PT(1) ") ORDER BY id LIMIT 2",
                                  "id,platform,handle" },
    [CR_RW_RUBRIC] = { "INSERT INTO review_rubric (name, version, body, created_at)"
                       " VALUES (" PT(1) ", " PI(2) ", " PT(3) ", " PI(4) ") RETURNING id",
                       "id" },
    [CR_RW_CYCLE] = { "INSERT INTO review_cycle (name, kind, period_start, period_end,"
                      " campaign_id, rubric_name, rubric_version, lead, created_at) VALUES"
                      " (" PT(1) ", " PT(2) ", " PI(3) ", " PI(4) ", " PI(5) ", " PT(6) ", " PI(
                          7) ", " PT(8) ", " PI(9) ") RETURNING id",
                      "id" },
    [CR_RW_PARTNER] = { "INSERT INTO review_partner (cycle_id, creator_id) VALUES (" PI(1) ", " PI(
                            2) ") ON CONFLICT (cycle_id, creator_id) DO NOTHING",
                        NULL },
    [CR_RW_REVIEW] = { "INSERT INTO brand_review (cycle_id, creator_id, reviewer, summary,"
                       " potential, submitted_at) VALUES (" PI(1) ", " PI(2) ", " PT(3) ", " PT(
                           4) ", " PI(5) ", " PI(6) ") RETURNING id",
                       "id" },
    [CR_RW_SCORE] = { "INSERT INTO review_score (review_id, criterion, score, evidence, post_ids)"
                      " VALUES (" PI(1) ", " PT(2) ", " PI(3) ", " PT(4) ", " PT(5) ")",
                      NULL },
    [CR_RW_SELF] = { "INSERT INTO self_assessment (cycle_id, creator_id, strengths, growth_areas,"
                     " plan, submitted_at) VALUES (" PI(1) ", " PI(2) ", " PT(3) ", " PT(4) ", " PT(
                         5) ", " PI(6) ") ON CONFLICT (cycle_id, creator_id) DO UPDATE SET"
                                       " strengths = excluded.strengths, growth_areas = "
                                       "excluded.growth_areas,"
                                       " plan = excluded.plan, submitted_at = "
                                       "excluded.submitted_at",
                     NULL },
    [CR_RW_FEEDBACK] = { "INSERT INTO review_feedback (cycle_id, creator_id, brief_clarity,"
                         " feedback_timeliness, payment_punctuality, creative_freedom, comment,"
                         " submitted_at) VALUES (" PI(1) ", " PI(2) ", " PI(3) ", " PI(4) ", " PI(
                             5) ", " PI(6) ", " PT(7) ", " PI(8) ")"
                                                                 " ON CONFLICT (cycle_id, "
                                                                 "creator_id) DO UPDATE SET"
                                                                 " brief_clarity = "
                                                                 "excluded.brief_clarity,"
                                                                 " feedback_timeliness = "
                                                                 "excluded.feedback_timeliness,"
                                                                 " payment_punctuality = "
                                                                 "excluded.payment_punctuality,"
                                                                 " creative_freedom = "
                                                                 "excluded.creative_freedom,"
                                                                 " comment = excluded.comment, "
                                                                 "submitted_at = "
                                                                 "excluded.submitted_at",
                         NULL },
    [CR_RW_RELEASE] = { "UPDATE review_partner SET released_at = " PI(3) ", released_by = " PT(4) " WHERE cycle_id = " PI(
                            1) " AND (" PI(2) " = 0 OR creator_id = " PI(2) ") AND released_at IS "
                                                                            "NULL RETURNING "
                                                                            "creator_id",
                        "creator_id" },
    [CR_RW_PLAN] = { "INSERT INTO growth_plan (creator_id, cycle_id, review_id, title, created_at)"
                     " VALUES (" PI(1) ", " PI(2) ", " PI(3) ", " PT(4) ", " PI(5) ") RETURNING id",
                     "id" },
    [CR_RW_MILESTONE] = { "INSERT INTO growth_milestone (plan_id, metric, target, due_date, owner,"
                          " incentive, incentive_minor, incentive_currency) VALUES (" PI(1) ", " PT(
                              2) ", " PR(3) ", " PI(4) ", " PT(5) ", " PT(6) ", " PI(7) ", " PT(8) ") RETURNING id",
                          "id" },
    [CR_RW_MILESTONE_SET] = { "UPDATE growth_milestone SET status = " PT(2) ", actual = " PR(
                                  3) ", met_at = " PI(4) " WHERE id = " PI(1) " RETURNING id",
                              "id" },
    [CR_RW_NOTE] = { "INSERT INTO review_note (kind, creator_id, campaign_id, title, body,"
                     " post_ids, created_at) VALUES (" PT(1) ", " PI(2) ", " PI(3) ", " PT(
                         4) ", " PT(5) ", " PT(6) ", " PI(7) ") RETURNING id",
                     "id" },
    [CR_RW_SETTING] = { "INSERT INTO setting (workspace_id, key, value, updated_at) VALUES"
                        " (1, " PT(1) ", " PT(2) ", " PI(
                            3) ")"
                               " ON CONFLICT (workspace_id, key) DO NOTHING",
                        NULL },
    [CR_RW_ACCOUNT] = { "INSERT INTO review_account (user_id, creator_id) VALUES (" PI(1) ", " PI(
                            2) ") ON CONFLICT (user_id) DO UPDATE SET"
                               " creator_id = excluded.creator_id",
                        NULL },
};

static const char sql_search_sqlite[] =
    "SELECT n.id, n.kind, n.creator_id, n.campaign_id, n.title, n.body, n.post_ids, n.created_at"
    " FROM review_note_fts f JOIN review_note n ON n.id = f.rowid"
    " WHERE review_note_fts MATCH ?1 ORDER BY bm25(review_note_fts), n.id";
static const char sql_search_pg[] =
    "SELECT n.id, n.kind, n.creator_id, n.campaign_id, n.title, n.body, n.post_ids, n.created_at"
    " FROM review_note n WHERE n.tsv @@ plainto_tsquery('simple', CAST(?1 AS TEXT))"
    " ORDER BY ts_rank(n.tsv, plainto_tsquery('simple', CAST(?1 AS TEXT))) DESC, n.id";
static const char search_cols[] = "id,kind,creator_id,campaign_id,title,body,post_ids,created_at";

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

static cr_err run_rows(json_t **out,
                       cr_store *st,
                       const char *sql,
                       const char *cols,
                       const cr_value *p,
                       size_t n,
                       int first_only)
{
    rows_ctx c;
    cr_err rc;

    *out = NULL;
    c.cols = cols;
    c.first_only = first_only;
    if ((c.rows = json_array()) == NULL)
        return cr_error_oom();
    if ((rc = st->be->query(st->be, sql, p, n, row_json, &c)) < 0) {
        json_decref(c.rows);
        return rc;
    }
    *out = c.rows;
    return CR_OK;
}

cr_err
cr_store_review_rows(json_t **out, cr_store *st, cr_store_review_q q, const cr_value *p, size_t n)
{
    return run_rows(out, st, stmts[q].sql, stmts[q].cols ? stmts[q].cols : "", p, n, 0);
}

cr_err
cr_store_review_row(json_t **out, cr_store *st, cr_store_review_q q, const cr_value *p, size_t n)
{
    json_t *rows = NULL, *row;
    cr_err rc;

    *out = NULL;
    if ((rc = run_rows(&rows, st, stmts[q].sql, stmts[q].cols ? stmts[q].cols : "", p, n, 1)) < 0)
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

cr_err cr_store_review_exec(
    int64_t *out_id, cr_store *st, cr_store_review_q q, const cr_value *p, size_t n)
{
    int64_t id = 0;
    cr_err rc;

    rc = st->be->query(st->be, stmts[q].sql, p, n, stmts[q].cols ? first_id : NULL,
                       stmts[q].cols ? &id : NULL);
    if (out_id)
        *out_id = id;
    return rc;
}

/* FTS5 would read AND, OR, NOT, quotes and column filters as syntax: each word of the query
 * becomes a quoted string (implicit AND), like PostgreSQL's plainto_tsquery. */
static cr_err fts_query(cr_str *q, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    int inword = 0;
    cr_err rc = CR_OK;

    for (; *s && rc == CR_OK; s++) {
        int w = *s >= 0x80 || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
                (*s >= 'A' && *s <= 'Z') || *s == '_';
        if (w && !inword)
            rc = cr_str_puts(q, cr_str_cstr(q)[0] ? " \"" : "\"");
        else if (!w && inword)
            rc = cr_str_putc(q, '"');
        if (w && rc == CR_OK)
            rc = cr_str_putc(q, (char)*s);
        inword = w;
    }
    if (inword && rc == CR_OK)
        rc = cr_str_putc(q, '"');
    return rc;
}

cr_err cr_store_review_note_search(json_t **out, cr_store *st, const char *query)
{
    cr_value p;
    cr_str q;
    cr_err rc;

    *out = NULL;
    if (is_pg(st)) {
        p = v_text(query);
        return run_rows(out, st, sql_search_pg, search_cols, &p, 1, 0);
    }
    cr_str_init(&q, 4096);
    if ((rc = fts_query(&q, query)) == CR_OK) {
        if (cr_str_cstr(&q)[0] == '\0') {
            rc = (*out = json_array()) ? CR_OK : cr_error_oom();
        } else {
            p = v_text(cr_str_cstr(&q));
            rc = run_rows(out, st, sql_search_sqlite, search_cols, &p, 1, 0);
        }
    }
    cr_str_dispose(&q);
    return rc;
}
