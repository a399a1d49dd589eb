/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * schedule.c - what reviews are due: every partner (a creator with a partnership) is reviewed
 * quarterly, or monthly when it posted at least `monthly_threshold` posts in the last 30
 * days (a high-activity partner gives too much to judge at once); quarterly partners get a
 * mid-cycle check-in halfway through the quarter; a campaign's debrief is due 7 days after it
 * ends. An item is done once a cycle of its kind covering it holds a review of the partner,
 * overdue when its day passed without one. The calendar export is iCalendar (libical), one
 * all-day event per item, with stable UIDs so that a re-import updates instead of
 * duplicating. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/review_int.h"
#include "util/alloc.h"
#include "util/date.h"

#define DAY 86400

typedef struct {
    cr_store *st;
    const cr_review_schedule_opts *o;
    json_t *done;
    json_t *items;
} sched;

static int is_done(
    const sched *s, const char *kind, int64_t creator, int64_t start, int64_t end, int64_t campaign)
{
    size_t i;
    json_t *d;

    json_array_foreach(s->done, i, d)
    {
        if (cr_review__i(d, "creator_id") != creator || strcmp(cr_review__s(d, "kind"), kind) != 0)
            continue;
        if (campaign
                ? cr_review__i(d, "campaign_id") == campaign
                : cr_review__i(d, "period_end") >= start && cr_review__i(d, "period_end") <= end)
            return 1;
    }
    return 0;
}

static cr_err add_item(sched *s,
                       const char *kind,
                       int64_t creator,
                       const char *partner,
                       const char *period,
                       int64_t due,
                       int done,
                       const char *reason)
{
    char buf[16];
    const char *status = done ? "done" : due < s->o->as_of ? "overdue" : "due";

    if (json_array_append_new(s->items,
                              json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "kind", kind, "creator_id",
                                        (json_int_t)creator, "partner", partner, "period", period,
                                        "due", cr_fmt_date(buf, sizeof(buf), due), "status", status,
                                        "reason", reason)) < 0)
        return cr_error_oom();
    return CR_OK;
}

/* The periods of a partner's cadence around as_of: the one before (it may be overdue) and
 * every one due within the window. */
static cr_err regular(sched *s, int64_t creator, const char *partner, int monthly, const char *why)
{
    int64_t from = s->o->as_of, to = s->o->as_of + (int64_t)s->o->days * DAY;
    int y, m, d, i;

    cr_civil_from_days(from / DAY, &y, &m, &d);
    /* start one period back */
    if (monthly) {
        m -= 1;
    } else {
        m = ((m - 1) / 3) * 3 + 1 - 3;
    }
    while (m < 1) {
        m += 12;
        y--;
    }
    for (i = 0; i < 40; i++) {
        int len = monthly ? 1 : 3, ny = y, nm = m + len;
        int64_t start, end;
        char label[16];
        cr_err rc;
        if (nm > 12) {
            nm -= 12;
            ny++;
        }
        start = cr_days_from_civil(y, m, 1) * DAY;
        end = cr_days_from_civil(ny, nm, 1) * DAY - DAY;
        if (start > to)
            break;
        if (monthly)
            snprintf(label, sizeof(label), "%04d-%02d", y, m);
        else
            snprintf(label, sizeof(label), "%04d-Q%d", y, (m - 1) / 3 + 1);
        if (end <= to) {
            int done = is_done(s, monthly ? "monthly" : "quarterly", creator, start, end, 0);
            /* the period before as_of matters only when it is still open */
            if ((end >= from || !done) &&
                (rc = add_item(s, monthly ? "monthly" : "quarterly", creator, partner, label, end,
                               done, why)) < 0)
                return rc;
        }
        if (!monthly) {
            int64_t mid = start + 45 * DAY;
            if (mid >= from && mid <= to &&
                (rc = add_item(s, "midcycle", creator, partner, label, mid,
                               is_done(s, "midcycle", creator, start, end, 0),
                               "mid-cycle check-in of a quarterly partner")) < 0)
                return rc;
        }
        y = ny;
        m = nm;
    }
    return CR_OK;
}

static int by_due(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(cr_review__s(x, "due"), cr_review__s(y, "due"));

    if (c == 0)
        c = strcmp(cr_review__s(x, "partner"), cr_review__s(y, "partner"));
    if (c == 0)
        c = strcmp(cr_review__s(x, "kind"), cr_review__s(y, "kind"));
    return c;
}

static cr_err build(json_t **out, cr_store *st, const cr_review_schedule_opts *o)
{
    sched s;
    json_t *partners = NULL, *ends = NULL, *p, *sorted = NULL, **v = NULL;
    size_t i, n;
    cr_err rc;

    *out = NULL;
    memset(&s, 0, sizeof(s));
    s.st = st;
    s.o = o;
    if ((s.items = json_array()) == NULL)
        return cr_error_oom();
    if ((rc = cr_store_review_rows(&s.done, st, CR_RQ_DONE, NULL, 0)) < 0 ||
        (rc = cr_store_review_rows(&partners, st, CR_RQ_PARTNERS_ALL, NULL, 0)) < 0 ||
        (rc = cr_store_review_rows(&ends, st, CR_RQ_CAMPAIGN_ENDS, NULL, 0)) < 0)
        goto done;
    json_array_foreach(partners, i, p)
    {
        cr_value q[3] = { v_int(cr_review__i(p, "id")), v_int(o->as_of - 30 * DAY),
                          v_int(o->as_of) };
        json_t *row = NULL;
        char partner[160], why[200];
        int64_t posts;
        int monthly;
        if ((rc = cr_store_review_row(&row, st, CR_RQ_POSTS_COUNT, q, 3)) < 0)
            goto done;
        posts = cr_review__i(row, "posts");
        json_decref(row);
        monthly = (double)posts >= o->monthly_threshold;
        snprintf(partner, sizeof(partner), "%s/%s", cr_review__s(p, "platform"),
                 cr_review__s(p, "handle"));
        snprintf(why, sizeof(why), "%lld posts in the last 30 days (monthly from %g): %s",
                 (long long)posts, o->monthly_threshold, monthly ? "monthly" : "quarterly");
        if ((rc = regular(&s, cr_review__i(p, "id"), partner, monthly, why)) < 0)
            goto done;
    }
    json_array_foreach(ends, i, p)
    {
        int64_t due = cr_review__i(p, "end_date") / DAY * DAY + 7 * DAY;
        char partner[160], why[300];
        if (due < o->as_of - 30 * DAY || due > o->as_of + (int64_t)o->days * DAY)
            continue;
        snprintf(partner, sizeof(partner), "%s/%s", cr_review__s(p, "platform"),
                 cr_review__s(p, "handle"));
        snprintf(why, sizeof(why), "campaign %s ended; debrief due 7 days after",
                 cr_review__s(p, "campaign"));
        if ((rc = add_item(&s, "debrief", cr_review__i(p, "creator_id"), partner,
                           cr_review__s(p, "campaign"), due,
                           is_done(&s, "debrief", cr_review__i(p, "creator_id"), 0, 0,
                                   cr_review__i(p, "campaign_id")),
                           why)) < 0)
            goto done;
    }
    n = json_array_size(s.items);
    if ((v = cr_calloc(n + 1, sizeof(*v))) == NULL || (sorted = json_array()) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++)
        v[i] = json_array_get(s.items, i);
    cr_qsort(v, n, sizeof(*v), by_due);
    for (i = 0; i < n; i++)
        json_array_append(sorted, v[i]);
    *out = sorted;
    sorted = NULL;
done:
    cr_free(v);
    json_decref(sorted);
    json_decref(s.items);
    json_decref(s.done);
    json_decref(partners);
    json_decref(ends);
    return rc;
}

static cr_err check_opts(const cr_review_schedule_opts *o)
{
    if (o->days < 1 || o->days > 3660)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI, "days: expected 1 to 3660, found %d",
                            o->days);
    if (!(o->monthly_threshold > 0))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_CLI,
                            "monthly threshold: expected a positive number of posts, found %g",
                            o->monthly_threshold);
    return CR_OK;
}

cr_err cr_review_schedule_json(char **out, cr_store *st, const cr_review_schedule_opts *o)
{
    json_t *items = NULL;
    char buf[16];
    cr_err rc;

    *out = NULL;
    if ((rc = check_opts(o)) < 0 || (rc = build(&items, st, o)) < 0)
        return rc;
    return cr_review__dump(
        out, json_pack("{s:s,s:i,s:f,s:o}", "as_of", cr_fmt_date(buf, sizeof(buf), o->as_of),
                       "days", o->days, "monthly_threshold", o->monthly_threshold, "items", items));
}

static struct icaltimetype day_of(const char *iso)
{
    struct icaltimetype t = icaltime_from_string(iso);

    t.is_date = 1;
    return t;
}

cr_err cr_review_schedule_ics(char **out, cr_store *st, const cr_review_schedule_opts *o)
{
    icalcomponent *cal = NULL;
    json_t *items = NULL, *it;
    char *text = NULL;
    size_t i;
    cr_err rc;

    *out = NULL;
    if ((rc = check_opts(o)) < 0 || (rc = build(&items, st, o)) < 0)
        return rc;
    cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                              icalproperty_new_prodid("-//crest//partner reviews//EN"),
                              icalproperty_new_calscale("GREGORIAN"), (void *)0);
    if (cal == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    json_array_foreach(items, i, it)
    {
        char uid[200], summary[400], desc[600];
        const char *kind = cr_review__s(it, "kind");
        struct icaltimetype start = day_of(cr_review__s(it, "due")), end = start, stamp;
        icalcomponent *ev;
        icaltime_adjust(&end, 1, 0, 0, 0);
        stamp = icaltime_from_timet_with_zone((time_t)o->as_of, 0, icaltimezone_get_utc_timezone());
        snprintf(uid, sizeof(uid), "review-%s-%lld-%s@crest", kind,
                 (long long)cr_review__i(it, "creator_id"), cr_review__s(it, "due"));
        snprintf(summary, sizeof(summary), "%s%s of %s (%s)",
                 strcmp(kind, "midcycle") == 0  ? "Mid-cycle check-in"
                 : strcmp(kind, "debrief") == 0 ? "Debrief"
                 : strcmp(kind, "monthly") == 0 ? "Monthly review"
                                                : "Quarterly review",
                 "", cr_review__s(it, "partner"), cr_review__s(it, "period"));
        snprintf(desc, sizeof(desc), "%s. Status: %s.", cr_review__s(it, "reason"),
                 cr_review__s(it, "status"));
        ev = icalcomponent_vanew(ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid),
                                 icalproperty_new_dtstamp(stamp), icalproperty_new_dtstart(start),
                                 icalproperty_new_dtend(end), icalproperty_new_summary(summary),
                                 icalproperty_new_description(desc),
                                 icalproperty_new_categories(kind), (void *)0);
        if (ev == NULL) {
            rc = cr_error_oom();
            goto done;
        }
        icalcomponent_add_component(cal, ev);
    }
    if ((text = icalcomponent_as_ical_string_r(cal)) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((*out = cr_strdup(text)) == NULL)
        rc = cr_error_oom();
    free(text); /* libical's allocation */
done:
    if (cal)
        icalcomponent_free(cal);
    json_decref(items);
    return rc;
}
