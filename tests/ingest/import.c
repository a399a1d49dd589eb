/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * import.c - tests for CSV imports (src/ingest/import.c and kinds.c) into a temporary SQLite
 * store: header aliases and order, value parsing, idempotent re-imports, all-or-nothing
 * failures with exact messages, --partial with its rejects file, and the other kinds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "crest/import.h"
#include "crest/store.h"
#include "util/hash.h"

#define MAX_TABLES 64

typedef struct {
    char dir[64];
    char path[128]; /* the last file written by write_csv() */
    cr_store *st;
} fixture;

typedef struct {
    size_t n;
    char name[MAX_TABLES][32];
    int64_t rows[MAX_TABLES];
} table_counts;

/* ---- fixture --------------------------------------------------------------------------- */

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    char url[160];

    if (fx == NULL)
        return -1;
    if (cr_test_tmpdir(fx->dir, sizeof(fx->dir), "import") < 0) {
        free(fx);
        return -1;
    }
    snprintf(url, sizeof(url), "sqlite:%s/store.db", fx->dir);
    if (cr_store_open(&fx->st, url) != CR_OK) {
        rmdir(fx->dir);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

/* Remove everything in the temporary directory (the store, its WAL files, CSV files and
 * rejects), then the directory. */
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

/* The whole file as a NUL-terminated string (malloc'd), or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n = 0, cap = 4096, got;

    if (f == NULL)
        return NULL;
    buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int file_exists(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0;
}

static cr_err add_count(const char *table, int64_t rows, void *payload)
{
    table_counts *tc = payload;

    assert_true(tc->n < MAX_TABLES);
    snprintf(tc->name[tc->n], sizeof(tc->name[0]), "%s", table);
    tc->rows[tc->n++] = rows;
    return CR_OK;
}

static void get_counts(table_counts *tc, cr_store *st)
{
    memset(tc, 0, sizeof(*tc));
    assert_int_equal(cr_store_table_counts(st, add_count, tc), CR_OK);
    assert_true(tc->n > 0);
}

static int64_t count_of(const table_counts *tc, const char *table)
{
    size_t i;

    for (i = 0; i < tc->n; i++)
        if (strcmp(tc->name[i], table) == 0)
            return tc->rows[i];
    fail_msg("no table %s in the counts", table);
    return -1;
}

static void assert_counts_equal(const table_counts *a, const table_counts *b)
{
    size_t i;

    assert_int_equal(a->n, b->n);
    for (i = 0; i < a->n; i++) {
        assert_string_equal(a->name[i], b->name[i]);
        if (a->rows[i] != b->rows[i])
            fail_msg("table %s: %lld rows, expected %lld", a->name[i], (long long)b->rows[i],
                     (long long)a->rows[i]);
    }
}

/* A copy of one creator, owning its strings. */
typedef struct {
    int found;
    int64_t id;
    char platform[32], handle[128], name[128], email[128], country[8], language[8];
    char niches[128], bio[128];
    int has_name, has_email, has_country, has_language, has_niches, has_bio;
    int64_t followers, following, media_count;
    double engagement_rate;
} creator_copy;

static void copy_text(char *out, size_t size, int *has, const char *s)
{
    *has = s != NULL;
    snprintf(out, size, "%s", s ? s : "");
}

static cr_err copy_creator(const cr_creator *c, void *payload)
{
    creator_copy *cc = payload;
    int dummy;

    cc->found++;
    cc->id = c->id;
    copy_text(cc->platform, sizeof(cc->platform), &dummy, c->platform);
    copy_text(cc->handle, sizeof(cc->handle), &dummy, c->handle);
    copy_text(cc->name, sizeof(cc->name), &cc->has_name, c->name);
    copy_text(cc->email, sizeof(cc->email), &cc->has_email, c->email);
    copy_text(cc->country, sizeof(cc->country), &cc->has_country, c->country);
    copy_text(cc->language, sizeof(cc->language), &cc->has_language, c->language);
    copy_text(cc->niches, sizeof(cc->niches), &cc->has_niches, c->niches);
    copy_text(cc->bio, sizeof(cc->bio), &cc->has_bio, c->bio);
    cc->followers = c->followers;
    cc->following = c->following;
    cc->media_count = c->media_count;
    cc->engagement_rate = c->engagement_rate;
    return CR_OK;
}

static void get_creator(creator_copy *out, cr_store *st, const char *platform, const char *handle)
{
    int64_t id = 0;

    memset(out, 0, sizeof(*out));
    if (cr_store_creator_find(&id, st, platform, handle) != CR_OK)
        fail_msg("creator %s/%s not found", platform, handle);
    assert_int_equal(cr_store_creator_get(st, id, copy_creator, out), CR_OK);
    assert_int_equal(out->found, 1);
    assert_int_equal(out->id, id);
}

/* Handles in list order, joined with ','. */
typedef struct {
    char handles[512];
    int n;
} handle_list;

static cr_err add_handle(const cr_creator *c, void *payload)
{
    handle_list *hl = payload;
    size_t n = strlen(hl->handles);

    snprintf(hl->handles + n, sizeof(hl->handles) - n, "%s%s/%s", hl->n ? "," : "", c->platform,
             c->handle);
    hl->n++;
    return CR_OK;
}

static cr_import_options options(const char *display_name, int partial)
{
    cr_import_options o = CR_IMPORT_OPTIONS_INIT;

    o.display_name = display_name;
    o.partial = partial;
    return o;
}

static const char creators_csv[] =
    "Subscribers,Username,Network,Display Name,Country,ER,Niches,E-Mail\n"
    "12.5K,@Maya.Runs,Instagram,Maya Runs,us,3.4%,Running; Fitness,maya@example.com\n"
    "\"1,234\",tom_cooks,YouTube,Tom Cooks,GB,0.05,food|Travel,\n"
    "3M,Big.Star,tt,,,,,\n";

/* Import creators_csv as c.csv and check the outcome. */
static void import_creators(fixture *fx)
{
    cr_import_options o = options("c.csv", 0);
    cr_import_result res;
    const char *path = write_csv(fx, "c.csv", creators_csv);

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_imported, 3);
    assert_int_equal(res.rows_rejected, 0);
    cr_import_result_dispose(&res);
}

/* ---- creators -------------------------------------------------------------------------- */

static void test_import__creators_with_aliases_in_another_order(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("c.csv", 0);
    cr_import_result res;
    creator_copy c;
    handle_list hl = { "", 0 };
    char sha[CR_SHA256_HEX];
    const char *path = write_csv(fx, "c.csv", creators_csv);

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_string_equal(res.kind, "creators");
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_imported, 3);
    assert_int_equal(res.rows_rejected, 0);
    assert_int_equal(res.already_imported, 0);
    assert_true(res.import_id > 0);
    assert_int_equal(res.nissues, 0);
    assert_int_equal(res.issues_total, 0);
    assert_int_equal(res.nignored, 0);
    assert_int_equal(res.delimiter, ',');
    assert_string_equal(res.rejects_path, "");
    cr_sha256_buf(sha, creators_csv, strlen(creators_csv));
    assert_string_equal(res.sha256, sha);
    cr_import_result_dispose(&res);

    get_creator(&c, fx->st, "instagram", "maya.runs");
    assert_string_equal(c.name, "Maya Runs");
    assert_int_equal(c.followers, 12500);
    assert_string_equal(c.country, "US");
    assert_float_equal(c.engagement_rate, 0.034, 1e-9);
    assert_string_equal(c.niches, "running,fitness");
    assert_string_equal(c.email, "maya@example.com");
    assert_int_equal(c.following, CR_COUNT_NONE);
    assert_int_equal(c.media_count, CR_COUNT_NONE);
    assert_false(c.has_language);
    assert_false(c.has_bio);

    get_creator(&c, fx->st, "youtube", "tom_cooks");
    assert_string_equal(c.name, "Tom Cooks");
    assert_int_equal(c.followers, 1234);
    assert_string_equal(c.country, "GB");
    assert_float_equal(c.engagement_rate, 0.05, 1e-9);
    assert_string_equal(c.niches, "food,travel");
    assert_false(c.has_email);

    get_creator(&c, fx->st, "tiktok", "big.star");
    assert_int_equal(c.followers, 3000000);
    assert_false(c.has_name);
    assert_false(c.has_country);
    assert_false(c.has_niches);
    assert_true(isnan(c.engagement_rate));

    /* the list sees the same three, biggest first */
    assert_int_equal(cr_store_creator_list(fx->st, NULL, add_handle, &hl), CR_OK);
    assert_int_equal(hl.n, 3);
    assert_string_equal(hl.handles, "tiktok/big.star,instagram/maya.runs,youtube/tom_cooks");
}

static void test_import__reimport_of_the_same_file_changes_nothing(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("c.csv", 0);
    cr_import_result res;
    table_counts before, after;
    int64_t first_id, found_id = 0, found_rows = 0;
    char sha[65];
    const char *path = write_csv(fx, "c.csv", creators_csv);

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    first_id = res.import_id;
    snprintf(sha, sizeof(sha), "%s", res.sha256);
    cr_import_result_dispose(&res);
    assert_int_equal(cr_store_import_find(fx->st, "creators", sha, &found_id, &found_rows), CR_OK);
    assert_int_equal(found_id, first_id);
    assert_int_equal(found_rows, 3);
    assert_int_equal(cr_store_import_find(fx->st, "posts", sha, &found_id, &found_rows),
                     CR_ENOTFOUND);
    get_counts(&before, fx->st);

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.already_imported, 1);
    assert_int_equal(res.previous_import_id, first_id);
    assert_int_equal(res.import_id, 0);
    assert_int_equal(res.rows_imported, 0);
    assert_int_equal(res.rows_read, 3);
    assert_string_equal(res.sha256, sha);
    cr_import_result_dispose(&res);
    get_counts(&after, fx->st);
    assert_counts_equal(&before, &after);
    assert_int_equal(count_of(&after, "creator"), 3);
    assert_int_equal(count_of(&after, "import"), 1);

    /* with force the same file is imported again: a new import, the same creators */
    o.force = 1;
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.already_imported, 0);
    assert_int_equal(res.rows_imported, 3);
    assert_true(res.import_id > first_id);
    cr_import_result_dispose(&res);
    get_counts(&after, fx->st);
    assert_int_equal(count_of(&after, "creator"), 3);
    assert_int_equal(count_of(&after, "import"), 2);
}

static void test_import__one_bad_row_imports_nothing(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("bad.csv", 0);
    cr_import_result res;
    table_counts before, after;
    int64_t id;
    static const char expected[] = "bad.csv:3:3: followers: expected a count such as 1234, "
                                   "1,234 or 12.5K, found \"12x\" (not a number)";
    const char *path = write_csv(fx, "bad.csv",
                                 "platform,handle,followers\n"
                                 "instagram,good.one,100\n"
                                 "instagram,bad.one,12x\n"
                                 "instagram,good.two,200\n");

    get_counts(&before, fx->st);
    cr_error_clear();
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_imported, 0);
    assert_int_equal(res.rows_rejected, 1);
    assert_int_equal(res.import_id, 0);
    assert_int_equal(res.nissues, 1);
    assert_int_equal(res.issues_total, 1);
    assert_int_equal(res.issues[0].line, 3);
    assert_int_equal(res.issues[0].column, 3);
    assert_string_equal(res.issues[0].field, "followers");
    assert_string_equal(res.issues[0].message, expected);
    assert_non_null(cr_error_last());
    assert_int_equal(cr_error_last()->code, CR_EINVALID);
    assert_int_equal(cr_error_last()->klass, CR_ERRCLASS_IMPORT);
    assert_string_equal(cr_error_last()->message,
                        "bad.csv:3:3: followers: expected a count such as 1234, 1,234 or 12.5K, "
                        "found \"12x\" (not a number) (nothing was imported)");
    cr_import_result_dispose(&res);

    get_counts(&after, fx->st);
    assert_counts_equal(&before, &after);
    assert_int_equal(cr_store_creator_find(&id, fx->st, "instagram", "good.one"), CR_ENOTFOUND);
}

static void test_import__every_bad_row_is_reported(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("bad.csv", 0);
    cr_import_result res;
    const char *path = write_csv(fx, "bad.csv",
                                 "platform,handle,followers,email\n"
                                 "myspace,a,1,\n"
                                 "instagram,b c,2,\n"
                                 "instagram,c,-3,\n"
                                 "instagram,d,4,not-an-address\n"
                                 "instagram,e,5\n");

    cr_error_clear();
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_int_equal(res.rows_rejected, 5);
    assert_int_equal(res.nissues, 5);
    assert_string_equal(res.issues[0].message,
                        "bad.csv:2:1: platform: expected one of instagram, tiktok, youtube, "
                        "facebook, x, twitch, pinterest, linkedin, snapchat, threads, found "
                        "\"myspace\"");
    assert_string_equal(res.issues[1].message,
                        "bad.csv:3:2: handle: expected a handle of letters, digits, '.', '_' or "
                        "'-', found \"b c\" (the character ' ' is not allowed)");
    assert_string_equal(res.issues[2].message,
                        "bad.csv:4:3: followers: expected a count such as 1234, 1,234 or 12.5K, "
                        "found \"-3\" (a count cannot be negative)");
    assert_string_equal(res.issues[3].message,
                        "bad.csv:5:4: email: expected an e-mail address such as "
                        "name@example.com, found \"not-an-address\"");
    assert_string_equal(res.issues[4].message,
                        "bad.csv:6: expected 4 fields as in the header, found 3");
    assert_int_equal(res.issues[4].column, 0);
    assert_string_equal(cr_error_last()->message,
                        "bad.csv:2:1: platform: expected one of instagram, tiktok, youtube, "
                        "facebook, x, twitch, pinterest, linkedin, snapchat, threads, found "
                        "\"myspace\" (and more problems: nothing was imported)");
    cr_import_result_dispose(&res);
}

static void test_import__max_issues_caps_the_list_not_the_total(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("bad.csv", 0);
    cr_import_result res;
    const char *path = write_csv(fx, "bad.csv",
                                 "platform,handle,followers\n"
                                 "instagram,a,x\ninstagram,b,x\ninstagram,c,x\ninstagram,d,x\n");

    o.max_issues = 2;
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_int_equal(res.nissues, 2);
    assert_int_equal(res.issues_total, 4);
    assert_int_equal(res.issues[1].line, 3);
    cr_import_result_dispose(&res);
}

static void test_import__partial_commits_valid_rows_and_writes_rejects(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("bad.csv", 1);
    cr_import_result res;
    char path[160], rejects[200];
    char *text;
    int64_t id;
    creator_copy c;

    snprintf(path, sizeof(path), "%s",
             write_csv(fx, "bad.csv",
                       "platform,handle,followers,name\n"
                       "instagram,good.one,100,Good\n"
                       "instagram,bad.one,12x,\"Says \"\"hi\"\"\"\n"
                       "instagram,good.two,200,\n"));
    snprintf(rejects, sizeof(rejects), "%s.rejects.csv", path);

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_imported, 2);
    assert_int_equal(res.rows_rejected, 1);
    assert_true(res.import_id > 0);
    assert_string_equal(res.rejects_path, rejects);
    assert_int_equal(res.nissues, 1);
    cr_import_result_dispose(&res);

    get_creator(&c, fx->st, "instagram", "good.one");
    assert_int_equal(c.followers, 100);
    get_creator(&c, fx->st, "instagram", "good.two");
    assert_int_equal(c.followers, 200);
    assert_int_equal(cr_store_creator_find(&id, fx->st, "instagram", "bad.one"), CR_ENOTFOUND);

    text = slurp(rejects, NULL);
    assert_non_null(text);
    assert_string_equal(text, "line,reason,\"platform\",\"handle\",\"followers\",\"name\"\n"
                              "3,\"bad.csv:3:3: followers: expected a count such as 1234, 1,234 or "
                              "12.5K, found \"\"12x\"\" (not a number)\",\"instagram\",\"bad.one\","
                              "\"12x\",\"Says \"\"hi\"\"\"\n");
    free(text);

    /* fixed and imported again, partially: the stale rejects file goes away */
    write_csv(fx, "bad.csv",
              "platform,handle,followers,name\n"
              "instagram,good.one,100,Good\n"
              "instagram,bad.one,12000,Fixed\n"
              "instagram,good.two,200,\n");
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 3);
    assert_int_equal(res.rows_rejected, 0);
    assert_string_equal(res.rejects_path, "");
    cr_import_result_dispose(&res);
    assert_false(file_exists(rejects));
    assert_true(file_exists(path));
    get_creator(&c, fx->st, "instagram", "bad.one");
    assert_int_equal(c.followers, 12000);
    assert_string_equal(c.name, "Fixed");
}

static void test_import__partial_rejects_to_a_chosen_path(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("bad.csv", 1);
    cr_import_result res;
    char rejects[200], tmp[220];
    char *text;
    const char *path = write_csv(fx, "bad.csv", "platform,handle,followers\nig,x,-1\nig,y,2\n");

    snprintf(rejects, sizeof(rejects), "%s/chosen.csv", fx->dir);
    snprintf(tmp, sizeof(tmp), "%s.tmp", rejects);
    o.rejects_path = rejects;
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 1);
    assert_string_equal(res.rejects_path, rejects);
    cr_import_result_dispose(&res);
    text = slurp(rejects, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "line,reason,\"platform\",\"handle\",\"followers\"\n2,"));
    assert_non_null(strstr(text, "(a count cannot be negative)"));
    free(text);
    assert_false(file_exists(tmp));
}

static void test_import__missing_required_column(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("m.csv", 0);
    cr_import_result res;
    table_counts before, after;
    const char *path = write_csv(fx, "m.csv", "Platform,Handle,Name\ninstagram,new.one,New One\n");

    get_counts(&before, fx->st);
    cr_error_clear();
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_non_null(cr_error_last());
    assert_string_equal(cr_error_last()->message,
                        "m.csv:1: missing required column followers for creators (the header "
                        "has: platform, handle, name)");
    assert_int_equal(res.nissues, 1);
    assert_int_equal(res.issues[0].line, 1);
    assert_int_equal(res.issues[0].column, 0);
    assert_string_equal(res.issues[0].message, cr_error_last()->message);
    assert_int_equal(res.rows_imported, 0);
    cr_import_result_dispose(&res);
    get_counts(&after, fx->st);
    assert_counts_equal(&before, &after);
}

static void test_import__missing_required_columns_are_all_named(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("m.csv", 0);
    cr_import_result res;
    const char *path = write_csv(fx, "m.csv", "Name,,Bio\nx,y,z\n");

    cr_error_clear();
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_string_equal(cr_error_last()->message,
                        "m.csv:1: missing required columns platform, handle, followers for "
                        "creators (the header has: name, (empty), bio)");
    cr_import_result_dispose(&res);
}

static void test_import__duplicate_column(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("d.csv", 0);
    cr_import_result res;
    const char *path =
        write_csv(fx, "d.csv", "platform,handle,followers,Subscribers\ninstagram,a,1,2\n");

    cr_error_clear();
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_string_equal(cr_error_last()->message,
                        "d.csv:1: column 4 (\"Subscribers\") repeats column 3: both mean "
                        "followers");
    cr_import_result_dispose(&res);
}

static void test_import__unknown_columns_are_ignored_and_reported(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("u.csv", 0);
    cr_import_result res;
    creator_copy c;
    const char *path = write_csv(fx, "u.csv",
                                 "platform,Favourite Color,handle,followers,Notes\n"
                                 "instagram,blue,maya,10,likes running\n");

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 1);
    assert_int_equal(res.nignored, 2);
    assert_string_equal(res.ignored_columns[0], "Favourite Color");
    assert_string_equal(res.ignored_columns[1], "Notes");
    cr_import_result_dispose(&res);
    assert_null(res.ignored_columns);
    get_creator(&c, fx->st, "instagram", "maya");
    assert_int_equal(c.followers, 10);
}

static void test_import__file_problems(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options(NULL, 0);
    cr_import_result res;
    char missing[160];
    const char *path;

    /* an unknown kind */
    path = write_csv(fx, "k.csv", "platform,handle,followers\n");
    cr_error_clear();
    assert_int_equal(cr_import_file(&res, fx->st, "influencers", path, &o), CR_ENOTFOUND);
    assert_string_equal(cr_error_last()->message,
                        "unknown import kind 'influencers': expected one of creators, "
                        "snapshots, posts, metrics, comments, instagram, tiktok, youtube, ga4, "
                        "shopify, leads, mentions");
    cr_import_result_dispose(&res);

    /* no such file */
    snprintf(missing, sizeof(missing), "%s/none.csv", fx->dir);
    assert_int_equal(cr_import_file(&res, fx->st, "creators", missing, &o), CR_ENOTFOUND);
    cr_import_result_dispose(&res);

    /* an empty file */
    path = write_csv(fx, "e.csv", "");
    o.display_name = "e.csv";
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_string_equal(cr_error_last()->message,
                        "e.csv: empty file: expected a header line naming the columns, e.g. "
                        "platform");
    cr_import_result_dispose(&res);

    /* malformed CSV is an issue too, with its line */
    path = write_csv(fx, "q.csv", "platform,handle,followers\ninstagram,\"maya,1\n");
    o.display_name = "q.csv";
    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_EINVALID);
    assert_int_equal(res.nissues, 1);
    assert_string_equal(res.issues[0].message,
                        "q.csv:2: malformed CSV: the file ends inside a quoted field that starts "
                        "on line 2");
    cr_import_result_dispose(&res);
}

static void test_import__header_only_imports_zero_rows(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("h.csv", 0);
    cr_import_result res;
    const char *path = write_csv(fx, "h.csv", "\xEF\xBB\xBFplatform;handle;followers\r\n");

    assert_int_equal(cr_import_file(&res, fx->st, "creators", path, &o), CR_OK);
    assert_int_equal(res.rows_read, 0);
    assert_int_equal(res.rows_imported, 0);
    assert_int_equal(res.delimiter, ';');
    assert_true(res.import_id > 0);
    cr_import_result_dispose(&res);
}

/* ---- the other kinds ------------------------------------------------------------------- */

static const char posts_csv[] = "platform,post_id,handle,posted_at,url,type,caption,utm\n"
                                "instagram,ig_1,Maya.Runs,2026-07-01T09:30:00+02:00,"
                                "https://instagram.com/p/1,Reel,\"First run, 10k\",maya-1\n"
                                "ig,ig_2,@maya.runs,2026-07-03,,,,\n";

static void import_posts(fixture *fx)
{
    cr_import_options o = options("p.csv", 0);
    cr_import_result res;
    const char *path = write_csv(fx, "p.csv", posts_csv);

    assert_int_equal(cr_import_file(&res, fx->st, "posts", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 2);
    cr_import_result_dispose(&res);
}

/* A copy of the rows cr_store_post_list() hands out. */
typedef struct {
    int n;
    char external_id[4][32], handle[4][32], url[4][64], format[4][16], caption[4][64];
    char utm[4][16];
    int64_t posted_at[4], creator_id[4];
    cr_metric metric[4];
} post_rows;

static cr_err copy_post(const cr_post_row *row, void *payload)
{
    post_rows *pr = payload;
    int i = pr->n++, dummy;

    assert_true(i < 4);
    copy_text(pr->external_id[i], sizeof(pr->external_id[i]), &dummy, row->post.external_id);
    copy_text(pr->handle[i], sizeof(pr->handle[i]), &dummy, row->handle);
    copy_text(pr->url[i], sizeof(pr->url[i]), &dummy, row->post.url);
    copy_text(pr->format[i], sizeof(pr->format[i]), &dummy, row->post.format);
    copy_text(pr->caption[i], sizeof(pr->caption[i]), &dummy, row->post.caption);
    copy_text(pr->utm[i], sizeof(pr->utm[i]), &dummy, row->post.utm_content);
    pr->posted_at[i] = row->post.posted_at;
    pr->creator_id[i] = row->post.creator_id;
    pr->metric[i] = row->metric;
    return CR_OK;
}

static void test_import__posts_and_metrics(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("m.csv", 0);
    cr_import_result res;
    post_rows pr;
    creator_copy c;
    cr_creator_stats cs;
    const char *path;

    import_creators(fx);
    import_posts(fx);
    path = write_csv(fx, "m.csv",
                     "Platform,Post ID,Captured At,Impressions,Reach,Likes,Comments,Shares,Saves\n"
                     "instagram,ig_1,2026-07-02T10:00:00Z,\"1,000\",800,50,5,2,1\n"
                     "instagram,ig_1,2026-07-05T10:00:00Z,1.5K,1200,90,9,3,\n"
                     "instagram,ig_2,2026-07-04,300,,7,,,\n");
    assert_int_equal(cr_import_file(&res, fx->st, "metrics", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 3);
    cr_import_result_dispose(&res);

    get_creator(&c, fx->st, "instagram", "maya.runs");
    memset(&pr, 0, sizeof(pr));
    assert_int_equal(cr_store_post_list(fx->st, NULL, copy_post, &pr), CR_OK);
    assert_int_equal(pr.n, 2);
    /* newest post first */
    assert_string_equal(pr.external_id[0], "ig_2");
    assert_int_equal(pr.posted_at[0], 1783036800LL); /* 2026-07-03 */
    assert_string_equal(pr.external_id[1], "ig_1");
    assert_int_equal(pr.posted_at[1], 1782864000LL + 7 * 3600 + 30 * 60);
    assert_string_equal(pr.handle[1], "maya.runs");
    assert_int_equal(pr.creator_id[1], c.id);
    assert_string_equal(pr.url[1], "https://instagram.com/p/1");
    assert_string_equal(pr.format[1], "Reel");
    assert_string_equal(pr.caption[1], "First run, 10k");
    assert_string_equal(pr.utm[1], "maya-1");
    /* the latest capture is the post's value */
    assert_int_equal(pr.metric[1].captured_at, 1782864000LL + 4 * 86400 + 10 * 3600);
    assert_int_equal(pr.metric[1].impressions, 1500);
    assert_int_equal(pr.metric[1].reach, 1200);
    assert_int_equal(pr.metric[1].likes, 90);
    assert_int_equal(pr.metric[1].saves, CR_COUNT_NONE);
    assert_int_equal(pr.metric[1].views, CR_COUNT_NONE);
    assert_true(pr.metric[1].import_id > 0);
    assert_int_equal(pr.metric[0].impressions, 300);
    assert_int_equal(pr.metric[0].reach, CR_COUNT_NONE);

    assert_int_equal(cr_store_creator_stats(&cs, fx->st, c.id), CR_OK);
    assert_int_equal(cs.posts, 2);
    assert_int_equal(cs.posts_with_metrics, 2);
    assert_int_equal(cs.impressions, 1800);
    assert_int_equal(cs.reach, 1200);
    assert_int_equal(cs.engagements, 90 + 9 + 3 + 7);
}

static void test_import__metrics_reach_over_impressions_rejected(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("m.csv", 0);
    cr_import_result res;
    table_counts before, after;
    const char *path;

    import_creators(fx);
    import_posts(fx);
    path = write_csv(fx, "m.csv",
                     "platform,post_id,captured_at,impressions,reach\n"
                     "instagram,ig_1,2026-07-02T10:00:00Z,100,150\n");
    get_counts(&before, fx->st);
    assert_int_equal(cr_import_file(&res, fx->st, "metrics", path, &o), CR_EINVALID);
    assert_int_equal(res.nissues, 1);
    assert_int_equal(res.issues[0].line, 2);
    assert_int_equal(res.issues[0].column, 5);
    assert_string_equal(res.issues[0].field, "reach");
    assert_string_equal(res.issues[0].message,
                        "m.csv:2:5: reach: expected reach <= impressions (100), found 150: reach "
                        "counts accounts, impressions count views of them");
    cr_import_result_dispose(&res);
    get_counts(&after, fx->st);
    assert_counts_equal(&before, &after);
}

static void test_import__metrics_for_an_unknown_post_rejected(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("m.csv", 0);
    cr_import_result res;
    const char *path;

    import_creators(fx);
    import_posts(fx);
    path = write_csv(fx, "m.csv",
                     "platform,post_id,captured_at,likes\n"
                     "tiktok,ig_1,2026-07-02T10:00:00Z,1\n");
    assert_int_equal(cr_import_file(&res, fx->st, "metrics", path, &o), CR_EINVALID);
    assert_int_equal(res.nissues, 1);
    assert_string_equal(res.issues[0].message,
                        "m.csv:2:2: post_id: expected a known post, found \"ig_1\" (no tiktok "
                        "post with that id: import it with `crest import posts` first)");
    cr_import_result_dispose(&res);
}

static void test_import__posts_of_an_unknown_creator_rejected(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("p.csv", 0);
    cr_import_result res;
    table_counts before, after;
    const char *path;

    import_creators(fx);
    path = write_csv(fx, "p.csv",
                     "platform,post_id,handle,posted_at\n"
                     "instagram,ig_9,ghost.account,2026-07-05\n"
                     "instagram,ig_10,maya.runs,2026-07-05\n");
    get_counts(&before, fx->st);
    assert_int_equal(cr_import_file(&res, fx->st, "posts", path, &o), CR_EINVALID);
    assert_int_equal(res.rows_rejected, 1);
    assert_int_equal(res.nissues, 1);
    assert_int_equal(res.issues[0].line, 2);
    assert_int_equal(res.issues[0].column, 3);
    assert_string_equal(res.issues[0].field, "handle");
    assert_string_equal(res.issues[0].message,
                        "p.csv:2:3: handle: expected a known creator, found \"ghost.account\" (no "
                        "instagram creator by that handle: import it with `crest import "
                        "creators` first)");
    cr_import_result_dispose(&res);
    get_counts(&after, fx->st);
    assert_counts_equal(&before, &after);
}

static void test_import__snapshots(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("s.csv", 0);
    cr_import_result res;
    creator_copy c;
    cr_creator_stats cs;
    table_counts tc;
    const char *path;

    import_creators(fx);
    path = write_csv(fx, "s.csv",
                     "Network,Username,Day,Followers Count,Following\n"
                     "instagram,maya.runs,2026-07-02,12.1K,300\n"
                     "instagram,@Maya.Runs,2026-07-01,\"12,000\",\n"
                     "youtube,tom_cooks,2026-07-01,1234,\n");
    assert_int_equal(cr_import_file(&res, fx->st, "snapshots", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 3);
    cr_import_result_dispose(&res);

    get_creator(&c, fx->st, "instagram", "maya.runs");
    assert_int_equal(cr_store_creator_stats(&cs, fx->st, c.id), CR_OK);
    assert_int_equal(cs.snapshots, 2);
    assert_int_equal(cs.first_snapshot, 1782864000LL);
    assert_int_equal(cs.last_snapshot, 1782864000LL + 86400);
    assert_int_equal(cs.first_followers, 12000);
    assert_int_equal(cs.last_followers, 12100);
    get_counts(&tc, fx->st);
    assert_int_equal(count_of(&tc, "creator_snapshot"), 3);

    /* the same day again updates, it does not add */
    path = write_csv(fx, "s2.csv",
                     "platform,handle,date,followers\ninstagram,maya.runs,2026-07-02,12200\n");
    assert_int_equal(cr_import_file(&res, fx->st, "snapshots", path, &o), CR_OK);
    cr_import_result_dispose(&res);
    assert_int_equal(cr_store_creator_stats(&cs, fx->st, c.id), CR_OK);
    assert_int_equal(cs.snapshots, 2);
    assert_int_equal(cs.last_followers, 12200);
    get_counts(&tc, fx->st);
    assert_int_equal(count_of(&tc, "creator_snapshot"), 3);
}

static void test_import__snapshot_date_must_exist(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("s.csv", 0);
    cr_import_result res;
    const char *path;

    import_creators(fx);
    path = write_csv(fx, "s.csv",
                     "platform,handle,date,followers\ninstagram,maya.runs,2026-02-30,1\n");
    assert_int_equal(cr_import_file(&res, fx->st, "snapshots", path, &o), CR_EINVALID);
    assert_string_equal(res.issues[0].message,
                        "s.csv:2:3: date: expected a date as YYYY-MM-DD, found \"2026-02-30\" "
                        "(no such calendar date)");
    cr_import_result_dispose(&res);
}

static void test_import__comments(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("k.csv", 0);
    cr_import_result res;
    creator_copy c;
    cr_creator_stats cs;
    table_counts tc;
    const char *path;

    import_creators(fx);
    import_posts(fx);
    path = write_csv(fx, "k.csv",
                     "platform,post_id,comment_id,author,text,posted_at\n"
                     "instagram,ig_1,c1,fan1,\"Love it, great run!\",2026-07-03T08:00:00Z\n"
                     "instagram,ig_1,c2,fan2,\"so \"\"cool\"\"\nsecond line\","
                     "2026-07-03T09:00:00+01:00\n"
                     "instagram,ig_2,c1,fan1,\xf0\x9f\x94\xa5,2026-07-04\n");
    assert_int_equal(cr_import_file(&res, fx->st, "comments", path, &o), CR_OK);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_imported, 3);
    cr_import_result_dispose(&res);

    get_creator(&c, fx->st, "instagram", "maya.runs");
    assert_int_equal(cr_store_creator_stats(&cs, fx->st, c.id), CR_OK);
    assert_int_equal(cs.comments, 3);
    get_counts(&tc, fx->st);
    assert_int_equal(count_of(&tc, "comment"), 3);

    /* imported again with force: still three comments */
    o.force = 1;
    assert_int_equal(cr_import_file(&res, fx->st, "comments", path, &o), CR_OK);
    assert_int_equal(res.rows_imported, 3);
    cr_import_result_dispose(&res);
    get_counts(&tc, fx->st);
    assert_int_equal(count_of(&tc, "comment"), 3);
}

static void test_import__comment_rows_keep_their_start_line(void **state)
{
    fixture *fx = *state;
    cr_import_options o = options("k.csv", 0);
    cr_import_result res;
    const char *path;

    import_creators(fx);
    import_posts(fx);
    path = write_csv(fx, "k.csv",
                     "platform,post_id,comment_id,author,text,posted_at\n"
                     "instagram,ig_1,c1,fan1,\"one\ntwo\nthree\",2026-07-03\n"
                     "instagram,ig_1,c2,fan2,ok,yesterday\n");
    assert_int_equal(cr_import_file(&res, fx->st, "comments", path, &o), CR_EINVALID);
    assert_int_equal(res.nissues, 1);
    assert_int_equal(res.issues[0].line, 5);
    assert_string_equal(res.issues[0].message,
                        "k.csv:5:6: posted_at: expected a date-time as "
                        "YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM], found \"yesterday\" (not in "
                        "YYYY-MM-DD form)");
    cr_import_result_dispose(&res);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_import__creators_with_aliases_in_another_order),
        T(test_import__reimport_of_the_same_file_changes_nothing),
        T(test_import__one_bad_row_imports_nothing),
        T(test_import__every_bad_row_is_reported),
        T(test_import__max_issues_caps_the_list_not_the_total),
        T(test_import__partial_commits_valid_rows_and_writes_rejects),
        T(test_import__partial_rejects_to_a_chosen_path),
        T(test_import__missing_required_column),
        T(test_import__missing_required_columns_are_all_named),
        T(test_import__duplicate_column),
        T(test_import__unknown_columns_are_ignored_and_reported),
        T(test_import__file_problems),
        T(test_import__header_only_imports_zero_rows),
        T(test_import__posts_and_metrics),
        T(test_import__metrics_reach_over_impressions_rejected),
        T(test_import__metrics_for_an_unknown_post_rejected),
        T(test_import__posts_of_an_unknown_creator_rejected),
        T(test_import__snapshots),
        T(test_import__snapshot_date_must_exist),
        T(test_import__comments),
        T(test_import__comment_rows_keep_their_start_line),
    };
#undef T

    return cmocka_run_group_tests_name("ingest.import", tests, NULL, NULL);
}
