/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * outreach_runner.c - `crest outreach run` inside `crest serve`: one background thread with its
 * own store connection runs the scheduler at start and then every `interval` seconds, sending
 * through the configured transport (maildir:outbox unless told otherwise). The transport is
 * opened only when a message is actually due, so an idle server creates no folder and opens no
 * SMTP connection. cr_outreach_run() is idempotent (a queue row is claimed in a transaction
 * before it is sent), so the thread and a cron job running `crest outreach run` may overlap.
 * The thread waits on a condition variable, so http_outreach_runner_stop() (on SIGTERM or
 * SIGINT) wakes it at once; a run under way is finished first. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crest/mail.h"
#include "crest/outreach.h"
#include "server/server.h"
#include "util/date.h"

static struct {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, stop, log;
    const char *db_url;
    http_outreach_opts o;
} runner = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

typedef struct {
    cr_mail_transport *t;
} runner_send;

/* cr_outreach_send_mail() with the transport opened on the first message. */
static cr_err runner_send_mail(const cr_outreach_mail *m, void *payload)
{
    runner_send *s = payload;
    cr_err rc;

    if (s->t == NULL &&
        (rc = cr_mail_transport_open(&s->t, runner.o.transport, &runner.o.topts)) < 0)
        return rc;
    return cr_outreach_send_mail(m, s->t);
}

static void run_once(cr_store *st)
{
    cr_outreach_run_stats s;
    runner_send send = { NULL };
    cr_err rc;

    memset(&s, 0, sizeof(s));
    rc = cr_outreach_run(&s, st, cr_now(), 0, runner_send_mail, &send);
    cr_mail_transport_free(send.t);
    if (rc < 0)
        fprintf(stderr, "crest serve: outreach run: %s\n",
                cr_error_last() ? cr_error_last()->message : cr_err_slug(rc));
    else if (runner.log && (s.queued > 0 || s.sent > 0 || s.failed > 0 || s.blocked > 0))
        fprintf(stderr,
                "crest serve: outreach run: %lld queued, %lld sent, %lld failed, %lld blocked "
                "by the lint\n",
                (long long)s.queued, (long long)s.sent, (long long)s.failed, (long long)s.blocked);
}

static void *runner_main(void *arg)
{
    cr_store *st = NULL;
    struct timespec until;
    cr_err rc;

    (void)arg;
    pthread_mutex_lock(&runner.mu);
    while (!runner.stop) {
        pthread_mutex_unlock(&runner.mu);
        if (st == NULL && (rc = cr_store_open(&st, runner.db_url)) < 0)
            fprintf(stderr, "crest serve: outreach run: %s\n",
                    cr_error_last() ? cr_error_last()->message : cr_err_slug(rc));
        if (st != NULL)
            run_once(st);
        pthread_mutex_lock(&runner.mu);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)runner.o.interval;
        while (!runner.stop && pthread_cond_timedwait(&runner.cv, &runner.mu, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&runner.mu);
    cr_store_free(st);
    return NULL;
}

int http_outreach_runner_start(const char *db_url, const http_outreach_opts *o, int log)
{
    if (o->interval == 0)
        return 0;
    runner.db_url = db_url;
    runner.o = *o;
    if (runner.o.transport == NULL)
        runner.o.transport = HTTP_OUTREACH_TRANSPORT;
    runner.log = log;
    runner.stop = 0;
    if (pthread_create(&runner.thread, NULL, runner_main, NULL) != 0)
        return -1;
    runner.started = 1;
    if (log)
        fprintf(stderr, "crest serve: outreach runs every %u s through %s\n", o->interval,
                strncmp(runner.o.transport, "maildir:", 8) == 0 ? runner.o.transport : "SMTP");
    return 0;
}

void http_outreach_runner_stop(void)
{
    if (!runner.started)
        return;
    pthread_mutex_lock(&runner.mu);
    runner.stop = 1;
    pthread_cond_signal(&runner.cv);
    pthread_mutex_unlock(&runner.mu);
    pthread_join(runner.thread, NULL);
    runner.started = 0;
}
