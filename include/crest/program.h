/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * program.h - program governance (issue 9): the workflow map with time logs per stage,
 * pilots of a tool on one stage and their report (time saved per task with a bootstrap 95%
 * interval, quality change, adoption, business case), iteration reviews scheduled from the
 * go-live date, training per person, and who may override an AI recommendation, with an
 * append-only audit log chained by SHA-256. docs/program.md describes the methods.
 *
 * The cr_store_program_* calls are the store's (src/store/program.c, portable SQL on every
 * backend); the cr_program_* calls hold the logic. Strings handed to callbacks are borrowed
 * for the call; text returned through `char **out` is freed with cr_program_text_free(). */
#ifndef CR_PROGRAM_H
#define CR_PROGRAM_H

#include "crest/store.h"
#include "crest/vet.h"

CR_BEGIN_DECL

#define CR_PROGRAM_NSTAGES 8
#define CR_PILOT_MIN_DAYS  30
#define CR_PILOT_MAX_DAYS  60
/** Bootstrap resamples and seed of a pilot report (docs/program.md, "Time saved"). */
#define CR_PILOT_BOOTSTRAP 2000
#define CR_PILOT_SEED      20260901u

/** The workflow stages in order ("discovery" ... "payment"), NULL-terminated; static. */
CR_EXTERN(const char *const *) cr_program_stages(void);
/** 1 when `stage` is one of them. */
CR_EXTERN(int) cr_program_stage_known(const char *stage);
/** 1 for vetting_verdict, shortlist_rank, forecast, calibration_flag. */
CR_EXTERN(int) cr_program_kind_known(const char *kind);
/** 1 for mechanics, interpretation, escalation. */
CR_EXTERN(int) cr_program_area_known(const char *area);

/** One time log: a task of a stage that took `minutes`, with `errors` found afterwards. */
typedef struct {
    int64_t id;
    const char *stage, *task, *user; /* task and user may be NULL */
    double minutes;
    int64_t errors;
    int64_t at;    /* when the task was done */
    int with_tool; /* 1: done with the AI tool under pilot */
} cr_timelog;

typedef struct {
    int64_t id;
    const char *stage;
    int64_t days;
    int64_t start, end;     /* [start, end): the pilot period */
    int64_t baseline_start; /* [baseline_start, start): the baseline period */
    int64_t rate_minor;     /* cost of an hour of work */
    int64_t cost_minor;     /* the tool's cost over the pilot period */
    const char *currency;
    const char *created_by;
    int64_t created_at;
} cr_pilot;

typedef struct {
    int64_t pilot_id;
    const char *name;
    double baseline, pilot;
    int higher_better;
} cr_pilot_measure;

typedef struct {
    int64_t id;
    int64_t due;
    const char *status; /* open, closed */
    const char *opened_by;
    int64_t opened_at, closed_at;
    const char *time_saved, *quality, *kpi; /* what was evaluated; NULL until recorded */
    const char *prep;                       /* JSON prepared by crest when opened */
} cr_review;

typedef struct {
    int64_t id, review_id;
    const char *kind; /* filter, data, tool, process */
    const char *description;
    int64_t created_at;
} cr_review_change;

typedef struct {
    const char *user, *area, *status; /* status: started, done */
    double score;                     /* NAN when none */
    int64_t updated_at;
} cr_training;

typedef struct {
    const char *kind, *role, *area;
} cr_authority;

typedef struct {
    int64_t id;
    const char *kind, *subject, *value, *detail;
    const char *status; /* open, accepted, overridden, escalated */
    const char *escalated_to, *decided_by;
    int64_t created_at, updated_at;
} cr_recommendation;

typedef struct {
    int64_t id, at;
    const char *actor, *action, *kind, *subject, *before, *after, *reason;
    const char *prev_hash, *hash;
} cr_audit_entry;

typedef cr_err (*cr_timelog_cb)(const cr_timelog *t, void *payload);
typedef cr_err (*cr_pilot_cb)(const cr_pilot *p, void *payload);
typedef cr_err (*cr_pilot_measure_cb)(const cr_pilot_measure *m, void *payload);
typedef cr_err (*cr_review_cb)(const cr_review *r, void *payload);
typedef cr_err (*cr_review_change_cb)(const cr_review_change *c, void *payload);
typedef cr_err (*cr_training_cb)(const cr_training *t, void *payload);
typedef cr_err (*cr_authority_cb)(const cr_authority *a, void *payload);
typedef cr_err (*cr_recommendation_cb)(const cr_recommendation *r, void *payload);
typedef cr_err (*cr_audit_cb)(const cr_audit_entry *e, void *payload);
/** Feature use: who used which feature in a week (`week` = its Monday, midnight UTC). */
typedef cr_err (*cr_usage_cb)(const char *user, const char *feature, int64_t at, void *payload);

/* ---- store (src/store/program.c) ---- */
CR_EXTERN(cr_err) cr_store_timelog_add(int64_t *out_id, cr_store *st, const cr_timelog *t);
/** Logs of a stage (NULL: every stage) dated in [since, until), by time then id. */
CR_EXTERN(cr_err)
cr_store_timelog_list(
    cr_store *st, const char *stage, int64_t since, int64_t until, cr_timelog_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_pilot_add(int64_t *out_id, cr_store *st, const cr_pilot *p);
/** id 0: every pilot, newest first; else that one (CR_ENOTFOUND when there is none). */
CR_EXTERN(cr_err) cr_store_pilot_list(cr_store *st, int64_t id, cr_pilot_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_pilot_measure_set(cr_store *st, const cr_pilot_measure *m);
CR_EXTERN(cr_err)
cr_store_pilot_measure_list(cr_store *st, int64_t pilot_id, cr_pilot_measure_cb cb, void *payload);
CR_EXTERN(cr_err)
cr_store_usage_add(cr_store *st, const char *user, const char *feature, int64_t at);
/** Feature use in [since, until), by time. */
CR_EXTERN(cr_err)
cr_store_usage_list(cr_store *st, int64_t since, int64_t until, cr_usage_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_review_add(int64_t *out_id, cr_store *st, const cr_review *r);
/** Record what was evaluated (NULL fields keep their value) and the status. */
CR_EXTERN(cr_err) cr_store_review_update(cr_store *st, const cr_review *r);
/** id 0: every review by due date; else that one (CR_ENOTFOUND). */
CR_EXTERN(cr_err) cr_store_review_list(cr_store *st, int64_t id, cr_review_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_review_change_add(cr_store *st, const cr_review_change *c);
/** review_id 0: every change, newest first. */
CR_EXTERN(cr_err)
cr_store_review_change_list(cr_store *st, int64_t review_id, cr_review_change_cb cb, void *payload);
CR_EXTERN(cr_err) cr_store_training_set(cr_store *st, const cr_training *t);
/** user NULL: everyone's, by user and area. */
CR_EXTERN(cr_err)
cr_store_training_list(cr_store *st, const char *user, cr_training_cb cb, void *payload);
/** Set (area != NULL) or remove (area NULL) who may override a kind. */
CR_EXTERN(cr_err) cr_store_authority_set(cr_store *st, const cr_authority *a);
CR_EXTERN(cr_err) cr_store_authority_list(cr_store *st, cr_authority_cb cb, void *payload);
CR_EXTERN(cr_err)
cr_store_recommendation_add(int64_t *out_id, cr_store *st, const cr_recommendation *r);
/** Set status, escalated_to, decided_by and (when not NULL) value of recommendation r->id. */
CR_EXTERN(cr_err) cr_store_recommendation_update(cr_store *st, const cr_recommendation *r);
/** id 0: every recommendation, newest first (status NULL: any); else that one (CR_ENOTFOUND). */
CR_EXTERN(cr_err)
cr_store_recommendation_list(
    cr_store *st, int64_t id, const char *status, cr_recommendation_cb cb, void *payload);
/** Append one audit row as given (id, hashes and all); cr_program_audit_append() builds it. */
CR_EXTERN(cr_err) cr_store_audit_insert(int64_t *out_id, cr_store *st, const cr_audit_entry *e);
/** The id and hash of the last audit row (0 and "" when the log is empty). */
CR_EXTERN(cr_err) cr_store_audit_last(int64_t *out_id, char hash[65], cr_store *st);
/** Every audit row by id. */
CR_EXTERN(cr_err) cr_store_audit_list(cr_store *st, cr_audit_cb cb, void *payload);

/* ---- logic (src/program/) ---- */
CR_EXTERN(void) cr_program_text_free(char *text);

/**
 * Check and add a time log (stage known, minutes > 0, errors >= 0).
 * @return CR_OK; CR_EINVALID naming the field
 */
CR_EXTERN(cr_err) cr_program_timelog_add(int64_t *out_id, cr_store *st, const cr_timelog *t);
/**
 * Import a CSV of time logs (header: stage,minutes,task,errors,user,at,with_tool; the last
 * five optional), all or nothing; an error names the file, line, column and field.
 */
CR_EXTERN(cr_err) cr_program_timelog_import(int64_t *out_rows, cr_store *st, const char *path);

/** A stage of the workflow map. score = total minutes x (1 + errors per task). */
typedef struct {
    const char *stage;
    int64_t tasks, errors;
    double minutes, minutes_per_task, errors_per_task, score;
    int rank; /* 1 = where AI pays off first; 0 when no logs */
} cr_workflow_stage;

/** The stages ranked by score over logs in [since, until) (0, 0: all). */
CR_EXTERN(cr_err)
cr_program_workflow(cr_workflow_stage out[CR_PROGRAM_NSTAGES],
                    cr_store *st,
                    int64_t since,
                    int64_t until);

/**
 * Start a pilot: stage known, days in [30, 60] (refused with the reason otherwise); the
 * baseline period is the `days` days before the start.
 */
CR_EXTERN(cr_err) cr_program_pilot_start(int64_t *out_id, cr_store *st, const cr_pilot *p);
/** The pilot report as JSON (docs/program.md has its fields). */
CR_EXTERN(cr_err) cr_program_pilot_report(char **out, cr_store *st, int64_t pilot_id);
/** The same report as one HTML page. */
CR_EXTERN(cr_err) cr_program_pilot_report_html(char **out, cr_store *st, int64_t pilot_id);

/**
 * Percentile bootstrap of mean(a) - mean(b): B rounds, each drawing na indices of a then nb of
 * b with replacement (index = xoshiro256** output mod n, cr_rng seeded with `seed`); lo and
 * hi are the sorted differences at positions floor(0.025 B) and floor(0.975 B) - 1.
 */
CR_EXTERN(cr_err)
cr_program_bootstrap_diff(double *lo,
                          double *hi,
                          const double *a,
                          size_t na,
                          const double *b,
                          size_t nb,
                          int rounds,
                          uint64_t seed);

/** Review dates from a go-live date: months 1, 2, 3, then every 3 months (6, 9, ...), each
 * the go-live's day of month clamped to the month's last day. out receives n dates. */
CR_EXTERN(void) cr_program_schedule(int64_t *out, size_t n, int64_t go_live);
/** Add months to a date (midnight UTC), clamping the day to the month's end. */
CR_EXTERN(int64_t) cr_program_add_months(int64_t date, int months);

/**
 * Open an iteration review due on `due`: crest prepares it (stale sources, drift of the
 * engagement-rate distribution since the last review, saved searches that went bad, models
 * whose evaluation changed) and stores that as the review's prep JSON.
 * @param models_dir where data/models/NAME.json are (NULL: skip that part)
 */
CR_EXTERN(cr_err)
cr_program_review_open(int64_t *out_id,
                       cr_store *st,
                       int64_t due,
                       const char *user,
                       const char *models_dir,
                       int64_t now);
/** Close a review: refused (CR_EINVALID) without a recorded evaluation or a concrete change. */
CR_EXTERN(cr_err) cr_program_review_close(cr_store *st, int64_t id, const char *user, int64_t now);

/**
 * Whether `user` may override a recommendation of `kind`: their role has a row in the
 * authority table and they completed its training area. On refusal *why says what is missing.
 * @return CR_OK (allowed or not: see *allowed); CR_ENOTFOUND for an unknown user
 */
CR_EXTERN(cr_err)
cr_program_may_override(
    int *allowed, char *why, size_t why_size, cr_store *st, const char *kind, const char *user);
/**
 * Override recommendation `id` of `kind` with `value`, for `reason`, as `user`. Without the
 * authority: CR_EAUTH (and the refusal is audited). Accept: value NULL and reason optional.
 */
CR_EXTERN(cr_err)
cr_program_decide(cr_store *st,
                  const char *kind,
                  int64_t id,
                  const char *user,
                  const char *value,
                  const char *reason,
                  int accept,
                  int64_t now);
/** Escalate recommendation `id` to `to`, who must have the authority (else CR_EINVALID). */
CR_EXTERN(cr_err)
cr_program_escalate(cr_store *st,
                    const char *kind,
                    int64_t id,
                    const char *user,
                    const char *to,
                    const char *reason,
                    int64_t now);
/**
 * Record a recommendation crest made (kind, subject, value, detail), idempotently: while one of
 * the same kind, subject and value is undecided (open or escalated), *out_id receives its id
 * and nothing is written; otherwise a new open one is added (a changed value is a new one).
 * @param created receives 1 when a row was added, else 0 (may be NULL)
 * @param by who or what made it (e.g. "crest vet, Audience Quality Score"); appended to the
 *           detail as "; by BY" (may be NULL)
 * @return CR_OK; CR_EINVALID for an unknown kind or an empty subject or value
 */
CR_EXTERN(cr_err)
cr_program_recommend_record(
    int64_t *out_id, int *created, cr_store *st, const cr_recommendation *r, const char *by);
/** A recommendation with room for its text: rec's strings point into the buffers. */
typedef struct {
    cr_recommendation rec;
    char subject[256], value[128], detail[512];
    const char *by; /* who or what made it, for cr_program_recommend_record() */
} cr_recommendation_buf;
/**
 * The vetting verdict of a report as `crest vet` records it (docs/program.md, "Recorded
 * recommendations"): subject "platform/handle" (+ " for campaign ID"), value the campaign
 * goal's verdict or, without a campaign, "awareness: V; other goals: V".
 */
CR_EXTERN(void)
cr_program_recommendation_vetting(cr_recommendation_buf *out, const cr_vet_report *r, int64_t now);
/**
 * A next-post forecast as `crest forecast` records it: subject "platform/handle", value
 * "reach N (80% LO-HI)", the engagements in the detail.
 */
CR_EXTERN(void)
cr_program_recommendation_forecast(cr_recommendation_buf *out,
                                   const char *platform,
                                   const char *handle,
                                   const cr_vet_forecast *f,
                                   int64_t now);
/** The id of the undecided recommendation of r's kind, subject and value (0 when none). */
CR_EXTERN(cr_err)
cr_program_recommend_find(int64_t *out_id, cr_store *st, const cr_recommendation *r);
/**
 * The effective authority table: the workspace's rows, or the built-in defaults
 * (docs/program.md) while it has none.
 */
CR_EXTERN(cr_err) cr_program_authority_list(cr_store *st, cr_authority_cb cb, void *payload);
/** Set (area != NULL) or remove (area NULL) a row; the first change starts from the defaults. */
CR_EXTERN(cr_err) cr_program_authority_set(cr_store *st, const cr_authority *a);
/** Append an audit row chained to the last (in its own transaction unless one is open). */
CR_EXTERN(cr_err) cr_program_audit_append(cr_store *st, const cr_audit_entry *e);
/**
 * Verify the hash chain: *bad_id receives the id of the first entry whose hash or link does
 * not match (0 when every one does), *entries the count.
 */
CR_EXTERN(cr_err) cr_program_audit_verify(int64_t *bad_id, int64_t *entries, cr_store *st);

/**
 * The interpretation check: up to `max` questions about pairs of creators' Audience Quality
 * Scores and 95% intervals, as JSON [{"question", "text", "answer": "yes"|"no"}].
 * @return CR_OK; CR_ENOTFOUND when fewer than two creators have a score
 */
CR_EXTERN(cr_err) cr_program_training_questions(char **out, cr_store *st, size_t max);
/**
 * The one-page briefing for sales, legal, pr or leadership as HTML (docs/program.md).
 * @param models_dir where data/models/NAME.json are (NULL: data/models)
 */
CR_EXTERN(cr_err)
cr_program_brief_html(char **out, cr_store *st, const char *audience, const char *models_dir);

CR_END_DECL

#endif /* CR_PROGRAM_H */
