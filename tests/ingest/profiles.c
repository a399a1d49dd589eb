/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * profiles.c - tests for the import profiles of real exports (src/ingest/profiles.c): the
 * vendors' value forms, then each fixture of tests/fixtures/exports/ imported into a
 * temporary SQLite store and its stored values read back with SQL, detection of the kind from
 * the header, --map, and the GA4 preamble rule. Expected values are worked out by hand from
 * the fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tmpdir.h"

#include "crest/import.h"
#include "crest/store.h"
#include "ingest/kinds.h"
#include "util/date.h"

#define EXPORTS  CR_TEST_RESOURCES "/../fixtures/exports/"
#define CREATORS CR_TEST_RESOURCES "/../cli/fixtures/creators.csv"

typedef struct {
    char dir[64];
    char db[128];
    char path[128];
    cr_store *st;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    char url[160];
    cr_import_result res;

    if (fx == NULL)
        return -1;
    if (cr_test_tmpdir(fx->dir, sizeof(fx->dir), "profiles") < 0) {
        free(fx);
        return -1;
    }
    snprintf(fx->db, sizeof(fx->db), "%s/store.db", fx->dir);
    snprintf(url, sizeof(url), "sqlite:%s", fx->db);
    if (cr_store_open(&fx->st, url) != CR_OK ||
        cr_import_file(&res, fx->st, "creators", CREATORS, NULL) != CR_OK) {
        cr_test_rmdir(fx->dir);
        free(fx);
        return -1;
    }
    cr_import_result_dispose(&res);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;

    cr_store_free(fx->st);
    cr_test_rmdir(fx->dir);
    free(fx);
    return 0;
}

static const char *write_csv(fixture *fx, const char *name, const char *content)
{
    FILE *f;

    snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
    f = fopen(fx->path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
    return fx->path;
}

/* The first column of the first row of a query on the store's file, as an integer. */
static int64_t q_int(fixture *fx, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t v;

    assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void q_text(fixture *fx, char *out, size_t size, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    const unsigned char *t;

    assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    t = sqlite3_column_text(s, 0);
    snprintf(out, size, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void import_ok(fixture *fx,
                      cr_import_result *res,
                      const char *kind,
                      const char *path,
                      const cr_import_options *o)
{
    cr_err rc = cr_import_file(res, fx->st, kind, path, o);

    if (rc != CR_OK)
        fail_msg("%s: %s", path, res->nissues ? res->issues[0].message : cr_error_last()->message);
}

static int64_t at(int y, int m, int d, int hh, int mm, int ss)
{
    return cr_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* ---- value forms ------------------------------------------------------------------------ */

static void test_profiles__date_time_forms(void **state)
{
    static const struct {
        const char *text;
        int date_only;
        int64_t want;
    } ok[] = {
        { "20260301", 1, 0 },
        { "2026-03-01 10:15:00 -0500", 0, 1 },
        { "03/02/2026 09:15", 0, 2 },
        { "3/2/2026 9:15 PM", 0, 3 },
        { "Mar 3, 2026", 0, 4 },
        { "March 3, 2026", 1, 5 },
        { "2026-03-05 16:45:30 +0100", 0, 6 },
        { "2026-03-15T18:30:00Z", 0, 7 },
    };
    int64_t want[8];
    int64_t got;
    const char *why;
    size_t i;

    (void)state;
    want[0] = at(2026, 3, 1, 0, 0, 0);
    want[1] = at(2026, 3, 1, 15, 15, 0); /* -0500 -> UTC */
    want[2] = at(2026, 3, 2, 9, 15, 0);
    want[3] = at(2026, 3, 2, 21, 15, 0);
    want[4] = at(2026, 3, 3, 0, 0, 0);
    want[5] = at(2026, 3, 3, 0, 0, 0);
    want[6] = at(2026, 3, 5, 15, 45, 30);
    want[7] = at(2026, 3, 15, 18, 30, 0);
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(
            cr_import__parse_when(&got, ok[i].text, strlen(ok[i].text), ok[i].date_only, &why),
            CR_OK);
        assert_int_equal(got, want[ok[i].want]);
    }
    assert_int_equal(cr_import__parse_when(&got, "13/02/2026", 10, 1, &why), CR_EINVALID);
    assert_string_equal(why, "the month comes first: MM/DD/YYYY");
    assert_int_equal(cr_import__parse_when(&got, "20260231", 8, 1, &why), CR_EINVALID);
    assert_string_equal(why, "no such calendar date");
    assert_int_equal(cr_import__parse_when(&got, "Lifetime", 8, 0, &why), CR_EINVALID);
    assert_int_equal(cr_import__parse_when(&got, "2026-03-01 10:15", 16, 1, &why), CR_EINVALID);
}

static void test_profiles__durations_and_flags(void **state)
{
    double d;
    int64_t b;
    const char *why;

    (void)state;
    assert_int_equal(cr_import__parse_duration(&d, "52.5", 4, &why), CR_OK);
    assert_true(d == 52.5);
    assert_int_equal(cr_import__parse_duration(&d, "1m 05s", 6, &why), CR_OK);
    assert_true(d == 65);
    assert_int_equal(cr_import__parse_duration(&d, "2h 15m 30s", 10, &why), CR_OK);
    assert_true(d == 8130);
    assert_int_equal(cr_import__parse_duration(&d, "45:10", 5, &why), CR_OK);
    assert_true(d == 2710);
    assert_int_equal(cr_import__parse_duration(&d, "01:02:03", 8, &why), CR_OK);
    assert_true(d == 3723);
    assert_int_equal(cr_import__parse_duration(&d, "1:75", 4, &why), CR_EINVALID);
    assert_int_equal(cr_import__parse_duration(&d, "5 parsecs", 9, &why), CR_EINVALID);
    assert_int_equal(cr_import__parse_duration(&d, "-3", 2, &why), CR_EINVALID);
    assert_int_equal(cr_import__parse_bool(&b, "TRUE", 4), CR_OK);
    assert_int_equal(b, 1);
    assert_int_equal(cr_import__parse_bool(&b, "No", 2), CR_OK);
    assert_int_equal(b, 0);
    assert_int_equal(cr_import__parse_bool(&b, "maybe", 5), CR_EINVALID);
}

/* ---- each profile ------------------------------------------------------------------------ */

static void test_profiles__instagram(void **state)
{
    fixture *fx = *state;
    cr_import_result res;
    char t[200];

    import_ok(fx, &res, "instagram", EXPORTS "instagram.csv", NULL);
    assert_int_equal(res.rows_imported, 3);
    /* Account ID, Account name, Duration (sec), Data comment, Follows */
    assert_int_equal(res.nignored, 5);
    cr_import_result_dispose(&res);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post WHERE platform = 'instagram'"), 3);
    /* 03/02/2026 09:15 */
    assert_int_equal(
        q_int(fx, "SELECT posted_at FROM post WHERE external_id = '18031234567890001'"),
        at(2026, 3, 2, 9, 15, 0));
    q_text(fx, t, sizeof(t), "SELECT format FROM post WHERE external_id = '18031234567890002'");
    assert_string_equal(t, "carousel");
    /* views 12,480 + 7,305 + 21,004; reach 9,120 + 5,010 + 15,880 */
    assert_int_equal(q_int(fx, "SELECT sum(views) FROM post_metric"), 40789);
    assert_int_equal(q_int(fx, "SELECT sum(reach) FROM post_metric"), 30010);
    /* the empty Comments cell is unknown, not 0 */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_metric WHERE comments IS NULL"), 1);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM post_metric WHERE import_id IS NULL"), 0);
}

static void test_profiles__tiktok_with_captured_at(void **state)
{
    fixture *fx = *state;
    cr_import_options o = CR_IMPORT_OPTIONS_INIT;
    cr_import_result res;
    char t[200];

    o.captured_at = at(2026, 3, 20, 8, 0, 0);
    import_ok(fx, &res, "tiktok", EXPORTS "tiktok.csv", &o);
    assert_int_equal(res.rows_imported, 3);
    cr_import_result_dispose(&res);
    q_text(fx, t, sizeof(t),
           "SELECT utm_content FROM post WHERE external_id = '7340000000000000002'");
    assert_string_equal(t, "leo_spring");
    /* 482,900 + 61,870 + 12.5K */
    assert_int_equal(q_int(fx, "SELECT sum(views) FROM post_metric"), 557270);
    /* 2h 15m 30s + 45:10 */
    assert_int_equal(q_int(fx, "SELECT sum(watch_seconds) FROM post_metric"), 10840);
    assert_int_equal(q_int(fx, "SELECT min(captured_at) FROM post_metric"), o.captured_at);
    assert_int_equal(q_int(fx, "SELECT count(DISTINCT creator_id) FROM post"), 1);
}

static void test_profiles__youtube_needs_a_creator_and_skips_the_total(void **state)
{
    fixture *fx = *state;
    cr_import_options o = CR_IMPORT_OPTIONS_INIT;
    cr_import_result res;

    assert_int_equal(cr_import_file(&res, fx->st, "youtube", EXPORTS "youtube.csv", NULL),
                     CR_EINVALID);
    assert_non_null(strstr(res.issues[0].message, "has no channel column: name the account"));
    cr_import_result_dispose(&res);
    o.creator = "@TechWithTara";
    import_ok(fx, &res, "youtube", EXPORTS "youtube.csv", &o);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_imported, 2);
    assert_int_equal(res.rows_skipped, 1);
    cr_import_result_dispose(&res);
    /* (3,810.25 + 1,400.15) hours x 3600 */
    assert_int_equal(q_int(fx, "SELECT sum(watch_seconds) FROM post_metric"), 18757440);
    assert_int_equal(q_int(fx, "SELECT sum(impressions) FROM post_metric"), 1250000);
    assert_int_equal(q_int(fx, "SELECT posted_at FROM post WHERE external_id = 'Zx9Yw8Vu7T2'"),
                     at(2026, 3, 18, 0, 0, 0));
}

static void test_profiles__ga4(void **state)
{
    fixture *fx = *state;
    cr_import_result res;
    const char *p;

    import_ok(fx, &res, "ga4", EXPORTS "ga4.csv", NULL);
    assert_int_equal(res.rows_imported, 6);
    cr_import_result_dispose(&res);
    /* 1,204 + 950 + 400 + 3,100 + 1,500 + 300 */
    assert_int_equal(q_int(fx, "SELECT sum(sessions) FROM web_session"), 7454);
    /* 52.5 x 1,204 = 63,210 and 1m 05s x 950 = 61,750 */
    assert_int_equal(
        q_int(fx, "SELECT duration_seconds FROM web_session WHERE utm_source = 'instagram' "
                  "AND sessions = 1204"),
        63210);
    assert_int_equal(q_int(fx, "SELECT duration_seconds FROM web_session WHERE utm_source = "
                               "'tiktok'"),
                     61750);
    /* (direct) / (none) and (not set) are empty */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM web_session WHERE utm_source = '' AND "
                               "utm_medium = '' AND utm_campaign = ''"),
                     1);
    assert_int_equal(q_int(fx, "SELECT sum(conversions) FROM web_session"), 60);
    assert_int_equal(q_int(fx, "SELECT min(date) FROM web_session"), at(2026, 3, 2, 0, 0, 0));

    /* without a Date column the preamble must name one day */
    p = write_csv(fx, "range.csv",
                  "# Start date: 20260301\n# End date: 20260331\n"
                  "Session source / medium,Sessions\ninstagram / social,5\n");
    assert_int_equal(cr_import_file(&res, fx->st, "ga4", p, NULL), CR_EINVALID);
    assert_non_null(strstr(res.issues[0].message,
                           "range.csv:3: no Date column and the export covers 2026-03-01 to "
                           "2026-03-31"));
    cr_import_result_dispose(&res);
    p = write_csv(fx, "day.csv",
                  "# Start date: 20260312\n# End date: 20260312\n"
                  "Session source / medium,Sessions\ninstagram / social,5\n");
    import_ok(fx, &res, "ga4", p, NULL);
    cr_import_result_dispose(&res);
    assert_int_equal(q_int(fx, "SELECT date FROM web_session WHERE sessions = 5"),
                     at(2026, 3, 12, 0, 0, 0));
}

static void test_profiles__shopify_line_items_count_once(void **state)
{
    fixture *fx = *state;
    cr_import_result res;
    char t[200];
    const char *p;

    import_ok(fx, &res, "shopify", EXPORTS "shopify.csv", NULL);
    assert_int_equal(res.rows_read, 6);
    assert_int_equal(res.rows_imported, 4);
    assert_int_equal(res.rows_skipped, 2);
    cr_import_result_dispose(&res);
    /* 134.60 + 1,249.99 + 80.00 + 45.50 */
    assert_int_equal(q_int(fx, "SELECT sum(total_minor) FROM shop_order"), 151009);
    q_text(fx, t, sizeof(t), "SELECT discount_code FROM shop_order WHERE external_id = '#1002'");
    assert_string_equal(t, "LEO10");
    q_text(fx, t, sizeof(t),
           "SELECT landing_utm_content FROM shop_order WHERE external_id = '#1003'");
    assert_string_equal(t, "tara_spring");
    /* 16:45:30 +0100 */
    assert_int_equal(q_int(fx, "SELECT created_at FROM shop_order WHERE external_id = '#1002'"),
                     at(2026, 3, 5, 15, 45, 30));
    p = write_csv(fx, "jpy.csv", "Name,Created at,Total,Currency\n#9,2026-03-01,\"1,500\",jpy\n");
    import_ok(fx, &res, "shopify", p, NULL);
    cr_import_result_dispose(&res);
    assert_int_equal(q_int(fx, "SELECT total_minor FROM shop_order WHERE currency = 'JPY'"), 1500);
}

static void test_profiles__leads_and_mentions(void **state)
{
    fixture *fx = *state;
    cr_import_result res;

    import_ok(fx, &res, "leads", EXPORTS "leads.csv", NULL);
    assert_int_equal(res.rows_imported, 5);
    cr_import_result_dispose(&res);
    /* yes, TRUE, 1 */
    assert_int_equal(q_int(fx, "SELECT sum(qualified) FROM lead"), 3);
    assert_int_equal(q_int(fx, "SELECT created_at FROM lead WHERE external_id = 'sub_02'"),
                     at(2026, 3, 3, 14, 30, 0));
    import_ok(fx, &res, "mentions", EXPORTS "mentions.csv", NULL);
    assert_int_equal(res.rows_imported, 6);
    cr_import_result_dispose(&res);
    assert_int_equal(q_int(fx, "SELECT sum(count) FROM mention WHERE brand = 'Acme Running'"),
                     1444);
    assert_int_equal(q_int(fx, "SELECT count FROM mention WHERE brand = 'Peak, Inc.'"), 95);
}

/* ---- detection and --map ----------------------------------------------------------------- */

static void test_profiles__detection_from_the_header(void **state)
{
    fixture *fx = *state;
    static const char *const kinds[] = { "instagram", "tiktok", "ga4",
                                         "shopify",   "leads",  "mentions" };
    char path[200];
    cr_import_result res;
    const char *p;
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        snprintf(path, sizeof(path), EXPORTS "%s.csv", kinds[i]);
        import_ok(fx, &res, NULL, path, NULL);
        assert_true(res.detected);
        assert_string_equal(res.kind, kinds[i]);
        cr_import_result_dispose(&res);
    }
    /* recorded under the detected kind, so a second run finds it */
    import_ok(fx, &res, CR_IMPORT_KIND_AUTO, EXPORTS "shopify.csv", NULL);
    assert_true(res.already_imported);
    cr_import_result_dispose(&res);
    p = write_csv(fx, "none.csv", "Sessions,Views,Brand\n1,2,3\n");
    assert_int_equal(cr_import_file(&res, fx->st, NULL, p, NULL), CR_EINVALID);
    assert_non_null(strstr(res.issues[0].message, "matches no import kind; closest: "));
    cr_import_result_dispose(&res);
}

static void test_profiles__map_overrides_aliases(void **state)
{
    fixture *fx = *state;
    static const char *const maps[] = { "Brand name=brand", "Hits=count" };
    cr_import_options o = CR_IMPORT_OPTIONS_INIT;
    cr_import_result res;
    const char *p;

    p = write_csv(fx, "m.csv", "Day,Source,Brand name,Hits,Mentions\n2026-03-04,x,Acme,7,99\n");
    o.maps = maps;
    o.nmaps = 2;
    import_ok(fx, &res, NULL, p, &o);
    assert_string_equal(res.kind, "mentions");
    /* Mentions would have been count; the map chose Hits */
    assert_int_equal(res.nignored, 1);
    assert_string_equal(res.ignored_columns[0], "Mentions");
    cr_import_result_dispose(&res);
    assert_int_equal(q_int(fx, "SELECT count FROM mention WHERE brand = 'Acme'"), 7);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profiles__date_time_forms),
        cmocka_unit_test(test_profiles__durations_and_flags),
        T(test_profiles__instagram),
        T(test_profiles__tiktok_with_captured_at),
        T(test_profiles__youtube_needs_a_creator_and_skips_the_total),
        T(test_profiles__ga4),
        T(test_profiles__shopify_line_items_count_once),
        T(test_profiles__leads_and_mentions),
        T(test_profiles__detection_from_the_header),
        T(test_profiles__map_overrides_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
