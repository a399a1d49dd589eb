/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * schema.c - the table and column list (see schema.h). Keep it in step with the migrations of
 * every backend: tests/store/contract.c checks each table reads back with these columns. */
#include <string.h>

#include "store/schema.h"

#define COLS(a) a, sizeof(a) / sizeof(a[0])

static const cr_schema_column workspace_cols[] = {
    { "id", 'I' },
    { "name", 'T' },
    { "created_at", 'I' },
};
static const cr_schema_column user_cols[] = {
    { "id", 'I' },       { "workspace_id", 'I' },  { "email", 'T' },
    { "role", 'T' },     { "password_hash", 'T' }, { "created_at", 'I' },
    { "disabled", 'I' },
};
static const cr_schema_column session_cols[] = {
    { "token_hash", 'T' }, { "user_id", 'I' },    { "csrf", 'T' },
    { "created_at", 'I' }, { "expires_at", 'I' },
};
static const cr_schema_column import_cols[] = {
    { "id", 'I' },          { "workspace_id", 'I' }, { "kind", 'T' },     { "file", 'T' },
    { "sha256", 'T' },      { "rows", 'I' },         { "rejected", 'I' }, { "started_at", 'I' },
    { "finished_at", 'I' }, { "newest_data", 'I' },
};
static const cr_schema_column creator_cols[] = {
    { "id", 'I' },
    { "workspace_id", 'I' },
    { "platform", 'T' },
    { "handle", 'T' },
    { "name", 'T' },
    { "email", 'T' },
    { "country", 'T' },
    { "language", 'T' },
    { "niches", 'T' },
    { "followers", 'I' },
    { "following", 'I' },
    { "media_count", 'I' },
    { "engagement_rate", 'R' },
    { "bio", 'T' },
    { "audience", 'T' },
    { "rate_card", 'T' },
    { "created_at", 'I' },
    { "updated_at", 'I' },
    { "opted_out", 'I' },
    { "fee_minor", 'I' },
    { "fee_currency", 'T' },
    { "audience_quality", 'R' },
};
static const cr_schema_column audience_cols[] = {
    { "creator_id", 'I' },
    { "dim", 'T' },
    { "key", 'T' },
    { "share", 'R' },
};
static const cr_schema_column saved_search_cols[] = {
    { "id", 'I' },         { "workspace_id", 'I' }, { "name", 'T' },         { "query", 'T' },
    { "created_at", 'I' }, { "run_at", 'I' },       { "result_count", 'I' }, { "new_count", 'I' },
    { "result_ids", 'T' }, { "seen_ids", 'T' },
};
static const cr_schema_column snapshot_cols[] = {
    { "creator_id", 'I' }, { "date", 'I' },        { "followers", 'I' },
    { "following", 'I' },  { "media_count", 'I' },
};
static const cr_schema_column campaign_cols[] = {
    { "id", 'I' },
    { "workspace_id", 'I' },
    { "name", 'T' },
    { "brand", 'T' },
    { "start_date", 'I' },
    { "end_date", 'I' },
    { "budget_minor", 'I' },
    { "currency", 'T' },
    { "status", 'T' },
    { "primary_goal", 'T' },
    { "secondary_goal", 'T' },
    { "objective", 'T' },
    { "benchmarking", 'I' },
    { "created_at", 'I' },
    { "updated_at", 'I' },
    { "evaluation_date", 'I' },
    { "attribution_window_days", 'I' },
    { "emv_credit", 'T' },
};
static const cr_schema_column kpi_cols[] = {
    { "campaign_id", 'I' },
    { "code", 'T' },
    { "role", 'T' },
    { "target", 'R' },
    { "target_relative", 'I' },
    { "baseline", 'R' },
    { "baseline_period", 'T' },
};
static const cr_schema_column partnership_cols[] = {
    { "id", 'I' },        { "campaign_id", 'I' },        { "creator_id", 'I' },
    { "fee_minor", 'I' }, { "product_cost_minor", 'I' }, { "currency", 'T' },
    { "status", 'T' },    { "promo_code", 'T' },         { "utm_content", 'T' },
};
static const cr_schema_column post_cols[] = {
    { "id", 'I' },       { "workspace_id", 'I' }, { "creator_id", 'I' },  { "partnership_id", 'I' },
    { "platform", 'T' }, { "external_id", 'T' },  { "url", 'T' },         { "posted_at", 'I' },
    { "format", 'T' },   { "caption", 'T' },      { "utm_content", 'T' }, { "import_id", 'I' },
};
static const cr_schema_column metric_cols[] = {
    { "post_id", 'I' }, { "captured_at", 'I' }, { "impressions", 'I' },   { "reach", 'I' },
    { "views", 'I' },   { "likes", 'I' },       { "comments", 'I' },      { "shares", 'I' },
    { "saves", 'I' },   { "clicks", 'I' },      { "watch_seconds", 'I' }, { "import_id", 'I' },
};
static const cr_schema_column comment_cols[] = {
    { "id", 'I' },   { "post_id", 'I' },   { "external_id", 'T' }, { "author", 'T' },
    { "text", 'T' }, { "posted_at", 'I' }, { "import_id", 'I' },
};
static const cr_schema_column web_cols[] = {
    { "id", 'I' },
    { "workspace_id", 'I' },
    { "date", 'I' },
    { "utm_source", 'T' },
    { "utm_medium", 'T' },
    { "utm_campaign", 'T' },
    { "utm_content", 'T' },
    { "sessions", 'I' },
    { "engaged_sessions", 'I' },
    { "duration_seconds", 'I' },
    { "conversions", 'I' },
    { "import_id", 'I' },
    { "post_id", 'I' },
    { "partnership_id", 'I' },
    { "attribution", 'T' },
    { "unattributed", 'T' },
};
static const cr_schema_column order_cols[] = {
    { "id", 'I' },
    { "workspace_id", 'I' },
    { "external_id", 'T' },
    { "created_at", 'I' },
    { "total_minor", 'I' },
    { "currency", 'T' },
    { "discount_code", 'T' },
    { "landing_utm_content", 'T' },
    { "import_id", 'I' },
    { "post_id", 'I' },
    { "partnership_id", 'I' },
    { "attribution", 'T' },
    { "unattributed", 'T' },
};
static const cr_schema_column lead_cols[] = {
    { "id", 'I' },           { "workspace_id", 'I' }, { "external_id", 'T' },
    { "created_at", 'I' },   { "utm_source", 'T' },   { "utm_medium", 'T' },
    { "utm_campaign", 'T' }, { "utm_content", 'T' },  { "qualified", 'I' },
    { "import_id", 'I' },    { "post_id", 'I' },      { "partnership_id", 'I' },
    { "attribution", 'T' },  { "unattributed", 'T' },
};
static const cr_schema_column setting_cols[] = {
    { "workspace_id", 'I' },
    { "key", 'T' },
    { "value", 'T' },
    { "updated_at", 'I' },
};
static const cr_schema_column mention_cols[] = {
    { "workspace_id", 'I' }, { "date", 'I' },  { "source", 'T' },
    { "brand", 'T' },        { "count", 'I' }, { "import_id", 'I' },
};

static const cr_schema_column review_rubric_cols[] = {
    { "id", 'I' },      { "workspace_id", 'I' }, { "name", 'T' },
    { "version", 'I' }, { "body", 'T' },         { "created_at", 'I' },
};
static const cr_schema_column review_cycle_cols[] = {
    { "id", 'I' },          { "workspace_id", 'I' }, { "name", 'T' },
    { "kind", 'T' },        { "period_start", 'I' }, { "period_end", 'I' },
    { "campaign_id", 'I' }, { "rubric_name", 'T' },  { "rubric_version", 'I' },
    { "lead", 'T' },        { "created_at", 'I' },
};
static const cr_schema_column review_partner_cols[] = {
    { "cycle_id", 'I' },
    { "creator_id", 'I' },
    { "released_at", 'I' },
    { "released_by", 'T' },
};
static const cr_schema_column brand_review_cols[] = {
    { "id", 'I' },      { "cycle_id", 'I' },  { "creator_id", 'I' },   { "reviewer", 'T' },
    { "summary", 'T' }, { "potential", 'I' }, { "submitted_at", 'I' },
};
static const cr_schema_column review_score_cols[] = {
    { "review_id", 'I' }, { "criterion", 'T' }, { "score", 'I' },
    { "evidence", 'T' },  { "post_ids", 'T' },
};
static const cr_schema_column self_assessment_cols[] = {
    { "cycle_id", 'I' },     { "creator_id", 'I' }, { "strengths", 'T' },
    { "growth_areas", 'T' }, { "plan", 'T' },       { "submitted_at", 'I' },
};
static const cr_schema_column review_feedback_cols[] = {
    { "cycle_id", 'I' },
    { "creator_id", 'I' },
    { "brief_clarity", 'I' },
    { "feedback_timeliness", 'I' },
    { "payment_punctuality", 'I' },
    { "creative_freedom", 'I' },
    { "comment", 'T' },
    { "submitted_at", 'I' },
};
static const cr_schema_column growth_plan_cols[] = {
    { "id", 'I' },        { "workspace_id", 'I' }, { "creator_id", 'I' }, { "cycle_id", 'I' },
    { "review_id", 'I' }, { "title", 'T' },        { "created_at", 'I' },
};
static const cr_schema_column growth_milestone_cols[] = {
    { "id", 'I' },        { "plan_id", 'I' },         { "metric", 'T' },
    { "target", 'R' },    { "due_date", 'I' },        { "owner", 'T' },
    { "status", 'T' },    { "actual", 'R' },          { "met_at", 'I' },
    { "incentive", 'T' }, { "incentive_minor", 'I' }, { "incentive_currency", 'T' },
};
static const cr_schema_column review_note_cols[] = {
    { "id", 'I' },         { "workspace_id", 'I' }, { "kind", 'T' },
    { "creator_id", 'I' }, { "campaign_id", 'I' },  { "title", 'T' },
    { "body", 'T' },       { "post_ids", 'T' },     { "created_at", 'I' },
};
static const cr_schema_column review_account_cols[] = {
    { "user_id", 'I' },
    { "creator_id", 'I' },
};
static const cr_schema_column program_timelog_cols[] = {
    { "id", 'I' },        { "workspace_id", 'I' }, { "stage", 'T' },      { "task", 'T' },
    { "minutes", 'R' },   { "errors", 'I' },       { "user_email", 'T' }, { "at", 'I' },
    { "with_tool", 'I' }, { "created_at", 'I' },
};
static const cr_schema_column program_pilot_cols[] = {
    { "id", 'I' },
    { "workspace_id", 'I' },
    { "stage", 'T' },
    { "days", 'I' },
    { "start_date", 'I' },
    { "end_date", 'I' },
    { "baseline_start", 'I' },
    { "rate_minor", 'I' },
    { "cost_minor", 'I' },
    { "currency", 'T' },
    { "created_by", 'T' },
    { "created_at", 'I' },
};
static const cr_schema_column program_measure_cols[] = {
    { "pilot_id", 'I' }, { "name", 'T' },          { "baseline", 'R' },
    { "pilot", 'R' },    { "higher_better", 'I' },
};
static const cr_schema_column program_usage_cols[] = {
    { "id", 'I' },      { "workspace_id", 'I' }, { "user_email", 'T' },
    { "feature", 'T' }, { "at", 'I' },
};
static const cr_schema_column program_review_cols[] = {
    { "id", 'I' },        { "workspace_id", 'I' }, { "due_date", 'I' },  { "status", 'T' },
    { "opened_by", 'T' }, { "opened_at", 'I' },    { "closed_at", 'I' }, { "time_saved", 'T' },
    { "quality", 'T' },   { "kpi", 'T' },          { "prep", 'T' },
};
static const cr_schema_column program_change_cols[] = {
    { "id", 'I' },          { "review_id", 'I' },  { "kind", 'T' },
    { "description", 'T' }, { "created_at", 'I' },
};
static const cr_schema_column program_training_cols[] = {
    { "workspace_id", 'I' }, { "user_email", 'T' }, { "area", 'T' },
    { "status", 'T' },       { "score", 'R' },      { "updated_at", 'I' },
};
static const cr_schema_column program_authority_cols[] = {
    { "workspace_id", 'I' },
    { "kind", 'T' },
    { "role", 'T' },
    { "area", 'T' },
};
static const cr_schema_column program_recommendation_cols[] = {
    { "id", 'I' },         { "workspace_id", 'I' }, { "kind", 'T' },       { "subject", 'T' },
    { "value", 'T' },      { "detail", 'T' },       { "status", 'T' },     { "escalated_to", 'T' },
    { "decided_by", 'T' }, { "created_at", 'I' },   { "updated_at", 'I' },
};
static const cr_schema_column program_audit_cols[] = {
    { "id", 'I' },          { "workspace_id", 'I' }, { "at", 'I' },        { "actor", 'T' },
    { "action", 'T' },      { "kind", 'T' },         { "subject", 'T' },   { "before_value", 'T' },
    { "after_value", 'T' }, { "reason", 'T' },       { "prev_hash", 'T' }, { "hash", 'T' },
};

static const cr_schema_column outreach_template_cols[] = {
    { "id", 'I' },        { "workspace_id", 'I' }, { "name", 'T' },       { "subject", 'T' },
    { "body_text", 'T' }, { "body_html", 'T' },    { "created_at", 'I' }, { "updated_at", 'I' },
};
static const cr_schema_column outreach_sequence_cols[] = {
    { "id", 'I' },
    { "workspace_id", 'I' },
    { "name", 'T' },
    { "created_at", 'I' },
};
static const cr_schema_column outreach_step_cols[] = {
    { "sequence_id", 'I' },
    { "step", 'I' },
    { "day", 'I' },
    { "template_id", 'I' },
};
static const cr_schema_column outreach_enrollment_cols[] = {
    { "id", 'I' },          { "workspace_id", 'I' }, { "sequence_id", 'I' }, { "campaign_id", 'I' },
    { "creator_id", 'I' },  { "status", 'T' },       { "stop_reason", 'T' }, { "next_step", 'I' },
    { "enrolled_at", 'I' }, { "last_sent_at", 'I' }, { "updated_at", 'I' },
};
static const cr_schema_column outreach_draft_cols[] = {
    { "id", 'I' },          { "workspace_id", 'I' }, { "template_name", 'T' },
    { "campaign_id", 'I' }, { "creator_id", 'I' },   { "subject", 'T' },
    { "body_text", 'T' },   { "status", 'T' },       { "model", 'T' },
    { "created_at", 'I' },  { "approved_by", 'T' },  { "approved_at", 'I' },
};
static const cr_schema_column outreach_message_cols[] = {
    { "id", 'I' },        { "workspace_id", 'I' }, { "enrollment_id", 'I' },
    { "draft_id", 'I' },  { "campaign_id", 'I' },  { "creator_id", 'I' },
    { "step", 'I' },      { "to_addr", 'T' },      { "subject", 'T' },
    { "body_text", 'T' }, { "body_html", 'T' },    { "message_id", 'T' },
    { "status", 'T' },    { "error", 'T' },        { "due_at", 'I' },
    { "sent_at", 'I' },   { "created_at", 'I' },
};
static const cr_schema_column outreach_reply_cols[] = {
    { "id", 'I' },         { "workspace_id", 'I' },
    { "message_id", 'T' }, { "outreach_message_id", 'I' },
    { "from_addr", 'T' },  { "subject", 'T' },
    { "kind", 'T' },       { "received_at", 'I' },
};
static const cr_schema_column outreach_event_cols[] = {
    { "id", 'I' },   { "workspace_id", 'I' }, { "creator_id", 'I' }, { "campaign_id", 'I' },
    { "kind", 'T' }, { "detail", 'T' },       { "actor", 'T' },      { "at", 'I' },
};
static const cr_schema_column outreach_optout_cols[] = {
    { "workspace_id", 'I' }, { "email", 'T' }, { "creator_id", 'I' },
    { "source", 'T' },       { "at", 'I' },
};

const cr_schema_table cr_schema_tables[] = {
    { "workspace", COLS(workspace_cols), "id", 1 },
    { "app_user", COLS(user_cols), "id", 1 },
    { "app_session", COLS(session_cols), "token_hash", 0 },
    { "import", COLS(import_cols), "id", 1 },
    { "creator", COLS(creator_cols), "id", 1 },
    { "creator_snapshot", COLS(snapshot_cols), "creator_id, date", 0 },
    { "campaign", COLS(campaign_cols), "id", 1 },
    { "campaign_kpi", COLS(kpi_cols), "campaign_id, code", 0 },
    { "partnership", COLS(partnership_cols), "id", 1 },
    { "post", COLS(post_cols), "id", 1 },
    { "post_metric", COLS(metric_cols), "post_id, captured_at", 0 },
    { "comment", COLS(comment_cols), "id", 1 },
    { "web_session", COLS(web_cols), "id", 1 },
    { "shop_order", COLS(order_cols), "id", 1 },
    { "lead", COLS(lead_cols), "id", 1 },
    { "mention", COLS(mention_cols), "workspace_id, date, source, brand", 0 },
    { "setting", COLS(setting_cols), "workspace_id, key", 0 },
    { "creator_audience", COLS(audience_cols), "creator_id, dim, key", 0 },
    { "saved_search", COLS(saved_search_cols), "id", 1 },
    { "review_rubric", COLS(review_rubric_cols), "id", 1 },
    { "review_cycle", COLS(review_cycle_cols), "id", 1 },
    { "review_partner", COLS(review_partner_cols), "cycle_id, creator_id", 0 },
    { "brand_review", COLS(brand_review_cols), "id", 1 },
    { "review_score", COLS(review_score_cols), "review_id, criterion", 0 },
    { "self_assessment", COLS(self_assessment_cols), "cycle_id, creator_id", 0 },
    { "review_feedback", COLS(review_feedback_cols), "cycle_id, creator_id", 0 },
    { "growth_plan", COLS(growth_plan_cols), "id", 1 },
    { "growth_milestone", COLS(growth_milestone_cols), "id", 1 },
    { "review_note", COLS(review_note_cols), "id", 1 },
    { "review_account", COLS(review_account_cols), "user_id", 0 },
    { "program_timelog", COLS(program_timelog_cols), "id", 1 },
    { "program_pilot", COLS(program_pilot_cols), "id", 1 },
    { "program_measure", COLS(program_measure_cols), "pilot_id, name", 0 },
    { "program_usage", COLS(program_usage_cols), "id", 1 },
    { "program_review", COLS(program_review_cols), "id", 1 },
    { "program_change", COLS(program_change_cols), "id", 1 },
    { "program_training", COLS(program_training_cols), "workspace_id, user_email, area", 0 },
    { "program_authority", COLS(program_authority_cols), "workspace_id, kind, role", 0 },
    { "program_recommendation", COLS(program_recommendation_cols), "id", 1 },
    { "program_audit", COLS(program_audit_cols), "id", 1 },
    { "outreach_template", COLS(outreach_template_cols), "id", 1 },
    { "outreach_sequence", COLS(outreach_sequence_cols), "id", 1 },
    { "outreach_step", COLS(outreach_step_cols), "sequence_id, step", 0 },
    { "outreach_enrollment", COLS(outreach_enrollment_cols), "id", 1 },
    { "outreach_draft", COLS(outreach_draft_cols), "id", 1 },
    { "outreach_message", COLS(outreach_message_cols), "id", 1 },
    { "outreach_reply", COLS(outreach_reply_cols), "id", 1 },
    { "outreach_event", COLS(outreach_event_cols), "id", 1 },
    { "outreach_optout", COLS(outreach_optout_cols), "workspace_id, email", 0 },
};

const size_t cr_schema_ntables = sizeof(cr_schema_tables) / sizeof(cr_schema_tables[0]);

const cr_schema_table *cr_schema_table_find(const char *name)
{
    size_t i;

    for (i = 0; i < cr_schema_ntables; i++)
        if (strcmp(cr_schema_tables[i].name, name) == 0)
            return &cr_schema_tables[i];
    return NULL;
}
