/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * server.h - the HTTP server of `crest serve`: the request and response that handlers see
 * (they never touch libmicrohttpd), the route table, and the entry point. */
#ifndef CR_SERVER_SERVER_H
#define CR_SERVER_SERVER_H

#include <jansson.h>
#include <stdio.h>

#include "crest/crest.h"
#include "server/assets.h"
#include "server/auth.h"
#include "server/listen.h"
#include "server/router.h"

#define HTTP_MAX_BODY      (1024 * 1024)      /* 413 beyond */
#define HTTP_MAX_UPLOAD    (64 * 1024 * 1024) /* 413 beyond, on ROUTE_F_UPLOAD routes */
#define HTTP_MAX_PATH      1024               /* 414 beyond */
#define HTTP_MAX_QUERY     16                 /* query parameters per request */
#define HTTP_MAX_QUERY_LEN 512                /* bytes per query value */
#define HTTP_MAX_THREADS   16                 /* workers: one per core, at most this */
#define HTTP_CONN_TIMEOUT  30                 /* default seconds a connection may stay silent */
#define HTTP_FORM_MAPS     64                 /* map fields of a multipart import */
#define HTTP_FORM_VALUE    256                /* bytes per multipart form field */

typedef struct {
    char *name, *value; /* value "" when given without one */
} http_query_arg;

/* The fields of a multipart/form-data upload (ROUTE_F_UPLOAD): the part named "file" went to
 * req->upload_path; the others are kept here. A problem with a field (an unknown name, a value
 * too long, one given twice) is kept in error/error_field for the handler to report, so that
 * the session and CSRF checks still come first. */
typedef struct {
    int has_file; /* a part named "file" was sent */
    char creator[HTTP_FORM_VALUE];
    char captured_at[HTTP_FORM_VALUE];
    char partial[HTTP_FORM_VALUE];
    int has_creator, has_captured_at, has_partial;
    char maps[HTTP_FORM_MAPS][HTTP_FORM_VALUE];
    size_t nmaps;
    char error[200];      /* "" when the fields are fine */
    char error_field[72]; /* the field the error is about */
} http_form;

struct http_req {
    const char *method, *path;
    http_param params[HTTP_MAX_PARAMS];
    size_t nparams;
    http_query_arg query[HTTP_MAX_QUERY];
    size_t nquery;
    const char *body; /* NUL-terminated */
    size_t body_len;
    json_t *json; /* the body, with ROUTE_F_JSON_BODY: always an object */
    /* with ROUTE_F_UPLOAD: the temp file holding the body (removed after the response), the
     * Content-Disposition file name ("" when not given) and the Content-Type ("" if none) */
    const char *upload_path;
    const char *upload_name;
    const char *content_type;
    http_form *form; /* a multipart/form-data upload's fields; NULL for other bodies */
    cr_store *store; /* this worker thread's store, with ROUTE_F_STORE or a session */
    /* the session of a route that is not ROUTE_F_PUBLIC (token_hash "" on public routes) */
    char token_hash[65];
    char user_email[HTTP_EMAIL_MAX + 1];
    char user_role[16];
    int64_t user_id;
    /* for the login route: failures per email, and per client address (ip_limits) */
    http_ratelimit *limits;
    http_ratelimit *ip_limits;
    char client_ip[64]; /* the peer's address ("127.0.0.1", "::1"); "" when unknown */
    int secure_cookie;  /* add "; Secure" to Set-Cookie (--tls-proxy) */
};

struct http_res {
    int status;              /* 0: 200 on success, else the status of the error code */
    json_t *body;            /* owned; set by the handler on success */
    const char *code;        /* error slug instead of cr_err_slug() (e.g. "unprocessable") */
    const char *field;       /* the parameter or body field an error is about; NULL: none */
    char set_cookie[192];    /* a Set-Cookie header to send; "" for none */
    char field_buf[96];      /* room for a field named by a built path ("kpis[1].target") */
    const http_asset *asset; /* instead of body: an embedded file of web/, sent as it is */
};

/* The route table (routes.c), ended by a {NULL} entry. */
extern const http_route http_routes[];

/* A query parameter's value; NULL when absent. */
const char *http_query(const http_req *req, const char *name);
/* A {name} capture of the route's pattern; "" when absent. */
const char *http_path_param(const http_req *req, const char *name);
/* Record a 400 about `field` (a borrowed string that outlives the response). */
cr_err http_invalid(http_res *res, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* campaign_json.c: a campaign spec from a JSON body with the fields of a campaign YAML file;
 * CR_EINVALID with res->field naming the JSON path ("kpis[1].target") of the problem. */
cr_err http_campaign_from_json(cr_campaign_spec **out, http_res *res, const json_t *body);

/* routes_vet.c: GET /api/v1/creators/{id}/vet and /forecast. */
cr_err http_creator_vet(http_req *req, http_res *res);
cr_err http_creator_forecast(http_req *req, http_res *res);

/* routes_review.c: the partner-review routes (cycles, reviews, evidence, scorecards, the
 * schedule, and the creator's own forms by account or signed link). */
cr_err http_review_cycles(http_req *req, http_res *res);
cr_err http_review_cycle(http_req *req, http_res *res);
cr_err http_review_calibration(http_req *req, http_res *res);
cr_err http_review_submit(http_req *req, http_res *res);
cr_err http_review_evidence(http_req *req, http_res *res);
cr_err http_review_scorecard(http_req *req, http_res *res);
cr_err http_review_schedule(http_req *req, http_res *res);
cr_err http_review_mine(http_req *req, http_res *res);
cr_err http_review_mine_self(http_req *req, http_res *res);
cr_err http_review_mine_feedback(http_req *req, http_res *res);
cr_err http_review_link(http_req *req, http_res *res);
cr_err http_review_link_self(http_req *req, http_res *res);
cr_err http_review_link_feedback(http_req *req, http_res *res);
/* routes_program.c: the Program page's routes (program governance, issue 9). */
cr_err http_program(http_req *req, http_res *res);
cr_err http_program_pilot_report(http_req *req, http_res *res);
cr_err http_program_timelog(http_req *req, http_res *res);
cr_err http_program_override(http_req *req, http_res *res);
cr_err http_program_escalate(http_req *req, http_res *res);
/* routes_outreach.c: the Outreach page's routes (issue 7). */
cr_err http_outreach_templates(http_req *req, http_res *res);
cr_err http_outreach_template_put(http_req *req, http_res *res);
cr_err http_outreach_preview(http_req *req, http_res *res);
cr_err http_outreach_sequences(http_req *req, http_res *res);
cr_err http_outreach_sequence_put(http_req *req, http_res *res);
cr_err http_outreach_queue(http_req *req, http_res *res);
cr_err http_outreach_pipeline(http_req *req, http_res *res);
cr_err http_outreach_timeline(http_req *req, http_res *res);
cr_err http_outreach_state(http_req *req, http_res *res);
cr_err http_outreach_note(http_req *req, http_res *res);
cr_err http_outreach_optout(http_req *req, http_res *res);

/* 1 when the media type of Content-Type value ct is `type` (parameters and case aside). */
int http_media_type_is(const char *ct, const char *type);

/* {"error":{"code":..,"message":..,"field":..}}; NULL when out of memory. */
json_t *http_error_json(const char *code, const char *message, const char *field);

/* The background outreach sender (outreach_runner.c). */
#define HTTP_OUTREACH_TRANSPORT "maildir:outbox" /* as `crest outreach run` */
#define HTTP_OUTREACH_INTERVAL  300              /* seconds between runs by default */

typedef struct {
    unsigned int interval;        /* seconds between runs; 0: no background runs */
    const char *transport;        /* maildir:/path, smtp://..., smtps://...; NULL: the default */
    cr_mail_transport_opts topts; /* SMTP credentials and TLS (the CLI reads the environment) */
} http_outreach_opts;

/* Start the thread (nothing when interval is 0): a run now, then one every interval. Returns
 * 0, or -1 when the thread cannot be created. `log`: a stderr line per run that did work. */
int http_outreach_runner_start(const char *db_url, const http_outreach_opts *o, int log);
/* Wake the thread, let a run under way finish, and join it; nothing if it was not started. */
void http_outreach_runner_stop(void);

typedef struct {
    http_listen listen;
    const char *db_url;
    int quiet;        /* no access log */
    int tls_proxy;    /* a TLS proxy is in front: session cookies get the Secure attribute */
    double cache_ttl; /* seconds a cached answer or session may be served; 0: no caches */
    unsigned int idle_timeout; /* seconds a connection may stay silent (slowloris); 0: default */
    /* the SQLite file of db_url, whose PRAGMA data_version tells the caches of commits by
     * other processes; NULL on other backends (the TTL alone bounds them) */
    const char *sqlite_path;
    http_outreach_opts outreach; /* the background outreach sender */
} http_serve_opts;

/* Serve until SIGTERM or SIGINT; returns the process exit code. */
int http_serve(const http_serve_opts *opts);

/* Print the route table ("GET /api/v1/creators") one per line. */
void http_print_routes(FILE *out);
/* The route table as JSON: [{"method", "pattern", "query": [names], "roles": [names], "public",
 * "body": "json"|"upload"|"none"}]; NULL when out of memory. */
json_t *http_routes_json(void);

#endif
