/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * contract.c - the store contract: what every backend must do, written against the public
 * cr_store API only (include/crest/store.h), so the same file can run against any backend.
 *
 * With CR_TEST_STORE_URL set, the tests run against that store, which may already hold data:
 * every key a test writes then carries a tag unique to the run, list filters search on that
 * tag, and row counts are compared as differences. Without it, each test gets a new SQLite
 * file in a temporary directory, removed afterwards. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#ifdef CREST_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#include "crest/discover.h"
#include "crest/kpi.h"
#include "crest/program.h"
#include "crest/store.h"

#define MAX_TABLES 64
#define DAY        86400
#define T0         1782864000LL /* 2026-07-01T00:00:00Z */

typedef struct {
    char dir[64]; /* the temporary directory; "" when testing CR_TEST_STORE_URL */
    char url[512];
    char tag[48]; /* prefix of every key this test writes; never a prefix of another tag */
    char buf[16][160];
    int nbuf;
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
    static int serial;
    const char *env = getenv("CR_TEST_STORE_URL");
    fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    serial++;
    if (env != NULL && *env != '\0') {
        snprintf(fx->url, sizeof(fx->url), "%s", env);
        snprintf(fx->tag, sizeof(fx->tag), "c%ldx%lldx%dt", (long)getpid(), (long long)time(NULL),
                 serial);
    } else {
        snprintf(fx->dir, sizeof(fx->dir), "/tmp/crest-test-store-XXXXXX");
        if (mkdtemp(fx->dir) == NULL) {
            free(fx);
            return -1;
        }
        snprintf(fx->url, sizeof(fx->url), "sqlite:%s/store.db", fx->dir);
        snprintf(fx->tag, sizeof(fx->tag), "c%dt", serial);
    }
    if (cr_store_open(&fx->st, fx->url) != CR_OK) {
        fprintf(stderr, "cannot open %s: %s\n", fx->url,
                cr_error_last() ? cr_error_last()->message : "?");
        if (fx->dir[0])
            rmdir(fx->dir);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static void remove_dir(const char *dir)
{
    DIR *d;
    struct dirent *e;
    char p[512];

    if ((d = opendir(dir)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static int teardown(void **state)
{
    fixture *fx = *state;

    cr_store_free(fx->st);
    if (fx->dir[0])
        remove_dir(fx->dir);
    free(fx);
    return 0;
}

static int is_private_store(const fixture *fx)
{
    return fx->dir[0] != '\0';
}

/* "<tag>.<what>", in one of a few rotating buffers of the fixture. */
static const char *key(fixture *fx, const char *what)
{
    char *b = fx->buf[fx->nbuf++ % 16];

    snprintf(b, sizeof(fx->buf[0]), "%s.%s", fx->tag, what);
    return b;
}

/* ---- helpers --------------------------------------------------------------------------- */

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
}

static int64_t rows_in(cr_store *st, const char *table)
{
    table_counts tc;
    size_t i;

    get_counts(&tc, st);
    for (i = 0; i < tc.n; i++)
        if (strcmp(tc.name[i], table) == 0)
            return tc.rows[i];
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

/* A creator with every optional field unknown. */
static cr_creator blank_creator(const char *platform, const char *handle)
{
    cr_creator c;

    memset(&c, 0, sizeof(c));
    c.platform = platform;
    c.handle = handle;
    c.followers = c.following = c.media_count = CR_COUNT_NONE;
    c.engagement_rate = NAN;
    return c;
}

static int64_t add_creator(fixture *fx, const char *platform, const char *what, int64_t followers)
{
    cr_creator c = blank_creator(platform, key(fx, what));
    int64_t id = 0;

    c.followers = followers;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    assert_true(id > 0);
    return id;
}

/* A copy of one creator, owning its strings. */
typedef struct {
    int calls;
    int64_t id;
    char platform[32], handle[160], name[64], email[64], country[8], language[8], niches[64];
    char bio[64];
    int has_name, has_bio;
    int64_t followers, following, media_count, updated_at;
    double engagement_rate;
} creator_copy;

static void copy_text(char *out, size_t size, const char *s)
{
    snprintf(out, size, "%s", s ? s : "");
}

static cr_err copy_creator(const cr_creator *c, void *payload)
{
    creator_copy *cc = payload;

    cc->calls++;
    cc->id = c->id;
    copy_text(cc->platform, sizeof(cc->platform), c->platform);
    copy_text(cc->handle, sizeof(cc->handle), c->handle);
    copy_text(cc->name, sizeof(cc->name), c->name);
    copy_text(cc->email, sizeof(cc->email), c->email);
    copy_text(cc->country, sizeof(cc->country), c->country);
    copy_text(cc->language, sizeof(cc->language), c->language);
    copy_text(cc->niches, sizeof(cc->niches), c->niches);
    copy_text(cc->bio, sizeof(cc->bio), c->bio);
    cc->has_name = c->name != NULL;
    cc->has_bio = c->bio != NULL;
    cc->followers = c->followers;
    cc->following = c->following;
    cc->media_count = c->media_count;
    cc->updated_at = c->updated_at;
    cc->engagement_rate = c->engagement_rate;
    return CR_OK;
}

static void get_creator(creator_copy *out, cr_store *st, int64_t id)
{
    memset(out, 0, sizeof(*out));
    assert_int_equal(cr_store_creator_get(st, id, copy_creator, out), CR_OK);
    assert_int_equal(out->calls, 1);
    assert_int_equal(out->id, id);
}

/* The handles a list returns, in order, without the tag, joined with ','. */
typedef struct {
    const char *tag;
    char text[512];
    int n;
    int stop_at; /* return CR_ECONFLICT on this call; 0 = never */
} handle_list;

static cr_err add_handle(const cr_creator *c, void *payload)
{
    handle_list *hl = payload;
    size_t n = strlen(hl->text), tl = strlen(hl->tag);
    const char *h = c->handle;

    if (strncmp(h, hl->tag, tl) == 0 && h[tl] == '.')
        h += tl + 1;
    snprintf(hl->text + n, sizeof(hl->text) - n, "%s%s", hl->n ? "," : "", h);
    hl->n++;
    if (hl->stop_at == hl->n)
        return cr_error_set(CR_ECONFLICT, CR_ERRCLASS_NONE, "stop");
    return CR_OK;
}

static const char *list(fixture *fx, handle_list *hl, const cr_creator_filter *f)
{
    memset(hl, 0, sizeof(*hl));
    hl->tag = fx->tag;
    assert_int_equal(cr_store_creator_list(fx->st, f, add_handle, hl), CR_OK);
    return hl->text;
}

static cr_creator_filter tag_filter(fixture *fx)
{
    cr_creator_filter f;

    memset(&f, 0, sizeof(f));
    f.search = fx->tag;
    return f;
}

static cr_post new_post(int64_t creator_id, const char *external_id, int64_t posted_at)
{
    cr_post p;

    memset(&p, 0, sizeof(p));
    p.creator_id = creator_id;
    p.platform = "instagram";
    p.external_id = external_id;
    p.posted_at = posted_at;
    return p;
}

static cr_metric new_metric(int64_t post_id, int64_t captured_at)
{
    cr_metric m;

    memset(&m, 0, sizeof(m));
    m.post_id = post_id;
    m.captured_at = captured_at;
    m.impressions = m.reach = m.views = m.likes = m.comments = m.shares = m.saves = m.clicks =
        m.watch_seconds = CR_COUNT_NONE;
    return m;
}

/* A copy of the rows cr_store_post_list() hands out. */
typedef struct {
    int n;
    int64_t id[8], creator_id[8], partnership_id[8], posted_at[8];
    char handle[8][160], url[8][64];
    cr_metric metric[8];
} post_rows;

static cr_err copy_post(const cr_post_row *row, void *payload)
{
    post_rows *pr = payload;
    int i = pr->n++;

    assert_true(i < 8);
    pr->id[i] = row->post.id;
    pr->creator_id[i] = row->post.creator_id;
    pr->partnership_id[i] = row->post.partnership_id;
    pr->posted_at[i] = row->post.posted_at;
    copy_text(pr->handle[i], sizeof(pr->handle[i]), row->handle);
    copy_text(pr->url[i], sizeof(pr->url[i]), row->post.url);
    pr->metric[i] = row->metric;
    return CR_OK;
}

static void list_posts(post_rows *pr, cr_store *st, const cr_post_filter *f)
{
    memset(pr, 0, sizeof(*pr));
    assert_int_equal(cr_store_post_list(st, f, copy_post, pr), CR_OK);
}

/* ---- opening --------------------------------------------------------------------------- */

static void test_contract__open_creates_schema(void **state)
{
    fixture *fx = *state;
    table_counts tc;
    size_t i;
    static const char *const tables[] = { "import",   "creator",      "creator_snapshot",
                                          "post",     "post_metric",  "comment",
                                          "campaign", "campaign_kpi", "partnership",
                                          "app_user", "app_session" };

    assert_true(cr_store_schema_version(fx->st) >= 1);
    assert_non_null(cr_store_backend_name(fx->st));
    assert_true(strlen(cr_store_backend_name(fx->st)) > 0);
    for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        assert_true(rows_in(fx->st, tables[i]) >= 0);
    if (is_private_store(fx)) {
        assert_string_equal(cr_store_backend_name(fx->st), "sqlite");
        get_counts(&tc, fx->st);
        for (i = 0; i < tc.n; i++)
            if (strcmp(tc.name[i], "workspace") != 0 && tc.rows[i] != 0)
                fail_msg("a new store has %lld rows in %s", (long long)tc.rows[i], tc.name[i]);
        assert_int_equal(rows_in(fx->st, "workspace"), 1);
    }
}

static void test_contract__open_rejects_bad_urls(void **state)
{
    cr_store *st = (cr_store *)&st;

    (void)state;
    assert_int_equal(cr_store_open(&st, ""), CR_EINVALID);
    assert_null(st);
    assert_int_equal(cr_store_open(&st, "sqlite:"), CR_EINVALID);
    assert_null(st);
    assert_int_equal(cr_store_open(&st, "mysql://localhost/crest"), CR_EINVALID);
    assert_null(st);
    assert_non_null(strstr(cr_error_last()->message, "mysql://localhost/crest"));
}

static void test_contract__open_fails_on_what_is_not_a_store(void **state)
{
    fixture *fx = *state;
    cr_store *st = NULL;
    char url[160], path[128];
    FILE *f;
    int i;

    if (!is_private_store(fx))
        skip();
    snprintf(url, sizeof(url), "sqlite:%s/no/such/dir/store.db", fx->dir);
    assert_int_equal(cr_store_open(&st, url), CR_ESTORE);
    assert_null(st);
    snprintf(path, sizeof(path), "%s/junk.db", fx->dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    for (i = 0; i < 256; i++)
        fputs("this is not an SQLite database, just text. ", f);
    fclose(f);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    assert_int_equal(cr_store_open(&st, url), CR_ESTORE);
    assert_null(st);
}

static void test_contract__reopen_keeps_data(void **state)
{
    fixture *fx = *state;
    cr_creator c = blank_creator("instagram", key(fx, "keeper"));
    creator_copy cc;
    int64_t id = 0, again = 0;
    int version = cr_store_schema_version(fx->st);

    c.name = "Keeper";
    c.followers = 42;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    cr_store_free(fx->st);
    fx->st = NULL;
    assert_int_equal(cr_store_open(&fx->st, fx->url), CR_OK);
    assert_int_equal(cr_store_schema_version(fx->st), version);
    assert_int_equal(cr_store_creator_find(&again, fx->st, "instagram", c.handle), CR_OK);
    assert_int_equal(again, id);
    get_creator(&cc, fx->st, id);
    assert_string_equal(cc.name, "Keeper");
    assert_int_equal(cc.followers, 42);
}

/* ---- creators -------------------------------------------------------------------------- */

static void test_contract__creator_upsert_keeps_unknown_fields(void **state)
{
    fixture *fx = *state;
    cr_creator c = blank_creator("instagram", key(fx, "maya"));
    creator_copy cc;
    int64_t id1 = 0, id2 = 0, id3 = 0, other = 0, before = rows_in(fx->st, "creator");

    c.name = "Maya Runs";
    c.email = "maya@example.com";
    c.country = "US";
    c.language = "en";
    c.niches = "running,fitness";
    c.bio = "Marathons.";
    c.followers = 1000;
    c.following = 10;
    c.media_count = 50;
    c.engagement_rate = 0.03;
    assert_int_equal(cr_store_creator_upsert(&id1, fx->st, &c), CR_OK);
    assert_true(id1 > 0);

    /* only followers known: the rest stays */
    c = blank_creator("instagram", key(fx, "maya"));
    c.followers = 2000;
    assert_int_equal(cr_store_creator_upsert(&id2, fx->st, &c), CR_OK);
    assert_int_equal(id2, id1);
    get_creator(&cc, fx->st, id1);
    assert_string_equal(cc.platform, "instagram");
    assert_string_equal(cc.handle, key(fx, "maya"));
    assert_string_equal(cc.name, "Maya Runs");
    assert_string_equal(cc.email, "maya@example.com");
    assert_string_equal(cc.country, "US");
    assert_string_equal(cc.language, "en");
    assert_string_equal(cc.niches, "running,fitness");
    assert_string_equal(cc.bio, "Marathons.");
    assert_int_equal(cc.followers, 2000);
    assert_int_equal(cc.following, 10);
    assert_int_equal(cc.media_count, 50);
    assert_float_equal(cc.engagement_rate, 0.03, 1e-12);
    assert_true(cc.updated_at > 0);

    /* nothing new at all: still the same id */
    assert_int_equal(cr_store_creator_upsert(&id3, fx->st, &c), CR_OK);
    assert_int_equal(id3, id1);
    assert_int_equal(rows_in(fx->st, "creator"), before + 1);

    /* the same handle on another platform is another creator */
    c = blank_creator("tiktok", key(fx, "maya"));
    assert_int_equal(cr_store_creator_upsert(&other, fx->st, &c), CR_OK);
    assert_true(other > 0 && other != id1);
    get_creator(&cc, fx->st, other);
    assert_int_equal(cc.followers, CR_COUNT_NONE);
    assert_int_equal(cc.following, CR_COUNT_NONE);
    assert_false(cc.has_name);
    assert_false(cc.has_bio);
    assert_true(isnan(cc.engagement_rate));
    assert_int_equal(rows_in(fx->st, "creator"), before + 2);
}

static void test_contract__creator_upsert_needs_platform_and_handle(void **state)
{
    fixture *fx = *state;
    cr_creator c = blank_creator("instagram", NULL);
    int64_t id = 0;

    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_EINVALID);
    c = blank_creator(NULL, key(fx, "x"));
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_EINVALID);
}

static void test_contract__creator_find(void **state)
{
    fixture *fx = *state;
    int64_t id, found = -5;
    creator_copy cc;

    id = add_creator(fx, "youtube", "tom", 10);
    assert_int_equal(cr_store_creator_find(&found, fx->st, "youtube", key(fx, "tom")), CR_OK);
    assert_int_equal(found, id);

    cr_error_clear();
    assert_int_equal(cr_store_creator_find(&found, fx->st, "instagram", key(fx, "tom")),
                     CR_ENOTFOUND);
    assert_non_null(cr_error_last());
    assert_int_equal(cr_error_last()->code, CR_ENOTFOUND);
    assert_non_null(strstr(cr_error_last()->message, key(fx, "tom")));
    assert_int_equal(cr_store_creator_find(&found, fx->st, "youtube", key(fx, "nobody")),
                     CR_ENOTFOUND);

    memset(&cc, 0, sizeof(cc));
    assert_int_equal(cr_store_creator_get(fx->st, id + 1000000, copy_creator, &cc), CR_ENOTFOUND);
    assert_int_equal(cc.calls, 0);
}

static void add_list_creators(fixture *fx)
{
    cr_creator c;
    char runner1[96], runner2[96];
    int64_t id;

    snprintf(runner1, sizeof(runner1), "Trail Runner %s", fx->tag);
    snprintf(runner2, sizeof(runner2), "Fast Runner %s", fx->tag);
    c = blank_creator("instagram", key(fx, "alpha"));
    c.name = runner1;
    c.followers = 100;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    c = blank_creator("instagram", key(fx, "bravo"));
    c.name = "Chef B";
    c.followers = 5000;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    c = blank_creator("instagram", key(fx, "charlie"));
    c.followers = 20000;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    c = blank_creator("tiktok", key(fx, "delta"));
    c.name = runner2;
    c.followers = 300;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    c = blank_creator("youtube", key(fx, "echo"));
    c.name = "Echo";
    c.followers = 70000;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
}

static void test_contract__creator_list_filters(void **state)
{
    fixture *fx = *state;
    cr_creator_filter f;
    handle_list hl;
    char search[96], *p;

    add_list_creators(fx);

    f = tag_filter(fx);
    assert_string_equal(list(fx, &hl, &f), "echo,charlie,bravo,delta,alpha");

    f.platform = "instagram";
    assert_string_equal(list(fx, &hl, &f), "charlie,bravo,alpha");
    f.platform = "twitch";
    assert_string_equal(list(fx, &hl, &f), "");

    /* search: a substring of the handle or the name, case-insensitive */
    f = tag_filter(fx);
    f.search = key(fx, "ch");
    assert_string_equal(list(fx, &hl, &f), "charlie");
    snprintf(search, sizeof(search), "RUNNER %s", fx->tag);
    for (p = search; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    f.search = search;
    assert_string_equal(list(fx, &hl, &f), "delta,alpha");

    /* follower bounds are inclusive; 0 means no bound */
    f = tag_filter(fx);
    f.min_followers = 1000;
    assert_string_equal(list(fx, &hl, &f), "echo,charlie,bravo");
    f.min_followers = 0;
    f.max_followers = 10000;
    assert_string_equal(list(fx, &hl, &f), "bravo,delta,alpha");
    f.min_followers = 300;
    f.max_followers = 5000;
    assert_string_equal(list(fx, &hl, &f), "bravo,delta");
}

static void test_contract__creator_list_order_limit_offset(void **state)
{
    fixture *fx = *state;
    cr_creator_filter f;
    handle_list hl;

    add_list_creators(fx);

    f = tag_filter(fx);
    f.order = "followers";
    assert_string_equal(list(fx, &hl, &f), "echo,charlie,bravo,delta,alpha");
    f.order = "handle";
    assert_string_equal(list(fx, &hl, &f), "alpha,bravo,charlie,delta,echo");
    f.order = "id";
    assert_string_equal(list(fx, &hl, &f), "alpha,bravo,charlie,delta,echo");

    f.order = "handle";
    f.limit = 2;
    assert_string_equal(list(fx, &hl, &f), "alpha,bravo");
    f.offset = 1;
    assert_string_equal(list(fx, &hl, &f), "bravo,charlie");
    f.offset = 4;
    assert_string_equal(list(fx, &hl, &f), "echo");
    f.offset = 5;
    assert_string_equal(list(fx, &hl, &f), "");
    f.limit = 0;
    f.offset = 3;
    assert_string_equal(list(fx, &hl, &f), "delta,echo");

    f = tag_filter(fx);
    f.order = "random";
    memset(&hl, 0, sizeof(hl));
    hl.tag = fx->tag;
    assert_int_equal(cr_store_creator_list(fx->st, &f, add_handle, &hl), CR_EINVALID);
    assert_int_equal(hl.n, 0);
}

static void test_contract__creator_list_callback_error_stops(void **state)
{
    fixture *fx = *state;
    cr_creator_filter f;
    handle_list hl;

    add_list_creators(fx);
    f = tag_filter(fx);
    memset(&hl, 0, sizeof(hl));
    hl.tag = fx->tag;
    hl.stop_at = 2;
    assert_int_equal(cr_store_creator_list(fx->st, &f, add_handle, &hl), CR_ECONFLICT);
    assert_int_equal(hl.n, 2);
    /* the store is still usable */
    assert_string_equal(list(fx, &hl, &f), "echo,charlie,bravo,delta,alpha");
}

/* ---- snapshots, posts, metrics, comments ----------------------------------------------- */

static void test_contract__snapshot_upsert_is_idempotent(void **state)
{
    fixture *fx = *state;
    int64_t id = add_creator(fx, "instagram", "snap", 100);
    int64_t before = rows_in(fx->st, "creator_snapshot");
    cr_snapshot s;
    cr_creator_stats cs;

    memset(&s, 0, sizeof(s));
    s.creator_id = id;
    s.date = T0;
    s.followers = 100;
    s.following = 7;
    s.media_count = CR_COUNT_NONE;
    assert_int_equal(cr_store_snapshot_upsert(fx->st, &s), CR_OK);
    assert_int_equal(cr_store_snapshot_upsert(fx->st, &s), CR_OK);
    assert_int_equal(rows_in(fx->st, "creator_snapshot"), before + 1);
    s.followers = 150;
    s.following = CR_COUNT_NONE;
    assert_int_equal(cr_store_snapshot_upsert(fx->st, &s), CR_OK);
    assert_int_equal(rows_in(fx->st, "creator_snapshot"), before + 1);
    s.date = T0 + DAY;
    s.followers = 160;
    assert_int_equal(cr_store_snapshot_upsert(fx->st, &s), CR_OK);
    assert_int_equal(rows_in(fx->st, "creator_snapshot"), before + 2);

    assert_int_equal(cr_store_creator_stats(&cs, fx->st, id), CR_OK);
    assert_int_equal(cs.snapshots, 2);
    assert_int_equal(cs.first_snapshot, T0);
    assert_int_equal(cs.last_snapshot, T0 + DAY);
    assert_int_equal(cs.first_followers, 150);
    assert_int_equal(cs.last_followers, 160);
}

static void test_contract__post_upsert_find_and_list_latest_metric(void **state)
{
    fixture *fx = *state;
    int64_t cid = add_creator(fx, "instagram", "poster", 100);
    int64_t p1 = 0, p2 = 0, p3 = 0, again = 0, found = 0;
    int64_t t1 = T0 + 3600, t2 = T0 + 2 * DAY, tz = T0 - DAY;
    cr_post p;
    cr_metric m;
    cr_post_filter f;
    post_rows pr;
    int64_t metrics_before;

    p = new_post(cid, key(fx, "p1"), t1);
    p.url = "https://example.com/p1";
    p.caption = "first";
    assert_int_equal(cr_store_post_upsert(&p1, fx->st, &p), CR_OK);
    assert_true(p1 > 0);
    assert_int_equal(cr_store_post_upsert(&again, fx->st, &p), CR_OK);
    assert_int_equal(again, p1);
    p.url = NULL; /* unknown: kept */
    p.caption = "first, edited";
    assert_int_equal(cr_store_post_upsert(&again, fx->st, &p), CR_OK);
    assert_int_equal(again, p1);
    assert_int_equal(cr_store_post_find(&found, fx->st, "instagram", key(fx, "p1")), CR_OK);
    assert_int_equal(found, p1);
    assert_int_equal(cr_store_post_find(&found, fx->st, "instagram", key(fx, "nope")),
                     CR_ENOTFOUND);
    assert_int_equal(cr_store_post_find(&found, fx->st, "tiktok", key(fx, "p1")), CR_ENOTFOUND);

    p = new_post(cid, key(fx, "p2"), t2);
    assert_int_equal(cr_store_post_upsert(&p2, fx->st, &p), CR_OK);
    p = new_post(cid, key(fx, "p3"), tz);
    assert_int_equal(cr_store_post_upsert(&p3, fx->st, &p), CR_OK);
    assert_true(p2 != p1 && p3 != p1 && p3 != p2);

    metrics_before = rows_in(fx->st, "post_metric");
    /* p1: the earlier capture first, then the later one */
    m = new_metric(p1, t1 + 3600);
    m.impressions = 100;
    m.likes = 5;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    m = new_metric(p1, t1 + 7200);
    m.impressions = 300;
    m.likes = 20;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    /* p2: the later capture first, then the earlier one */
    m = new_metric(p2, t2 + 7200);
    m.impressions = 50;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    m = new_metric(p2, t2 + 3600);
    m.impressions = 40;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    /* the same capture again, with one more number: updated, not added */
    m.likes = 3;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    assert_int_equal(rows_in(fx->st, "post_metric"), metrics_before + 4);

    memset(&f, 0, sizeof(f));
    f.creator_id = cid;
    list_posts(&pr, fx->st, &f);
    assert_int_equal(pr.n, 3);
    /* newest post first */
    assert_int_equal(pr.id[0], p2);
    assert_int_equal(pr.id[1], p1);
    assert_int_equal(pr.id[2], p3);
    assert_string_equal(pr.handle[1], key(fx, "poster"));
    assert_int_equal(pr.creator_id[1], cid);
    assert_int_equal(pr.posted_at[1], t1);
    assert_string_equal(pr.url[1], "https://example.com/p1");
    assert_int_equal(pr.partnership_id[1], 0);
    /* the latest capture by time, whatever the order they were written in */
    assert_int_equal(pr.metric[0].post_id, p2);
    assert_int_equal(pr.metric[0].captured_at, t2 + 7200);
    assert_int_equal(pr.metric[0].impressions, 50);
    assert_int_equal(pr.metric[0].likes, CR_COUNT_NONE);
    assert_int_equal(pr.metric[1].post_id, p1);
    assert_int_equal(pr.metric[1].captured_at, t1 + 7200);
    assert_int_equal(pr.metric[1].impressions, 300);
    assert_int_equal(pr.metric[1].likes, 20);
    assert_int_equal(pr.metric[1].reach, CR_COUNT_NONE);
    /* a post without metrics */
    assert_int_equal(pr.metric[2].post_id, 0);

    /* [since, until) */
    f.since = t1;
    f.until = t2;
    list_posts(&pr, fx->st, &f);
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.id[0], p1);
    f.since = 0;
    f.until = 0;
    f.limit = 1;
    f.offset = 1;
    list_posts(&pr, fx->st, &f);
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.id[0], p1);
    f.limit = 0;
    f.offset = 0;
    f.platform = "tiktok";
    list_posts(&pr, fx->st, &f);
    assert_int_equal(pr.n, 0);
}

static void test_contract__post_upsert_needs_platform_and_id(void **state)
{
    fixture *fx = *state;
    int64_t cid = add_creator(fx, "instagram", "noid", 1), id;
    cr_post p = new_post(cid, NULL, T0);

    assert_int_equal(cr_store_post_upsert(&id, fx->st, &p), CR_EINVALID);
    p = new_post(cid, key(fx, "x"), T0);
    p.platform = NULL;
    assert_int_equal(cr_store_post_upsert(&id, fx->st, &p), CR_EINVALID);
}

static void test_contract__comment_upsert_is_idempotent(void **state)
{
    fixture *fx = *state;
    int64_t cid = add_creator(fx, "instagram", "talker", 1), pid = 0;
    int64_t before;
    cr_post p = new_post(cid, key(fx, "post"), T0);
    cr_comment c;
    cr_creator_stats cs;

    assert_int_equal(cr_store_post_upsert(&pid, fx->st, &p), CR_OK);
    before = rows_in(fx->st, "comment");
    memset(&c, 0, sizeof(c));
    c.post_id = pid;
    c.external_id = "c1";
    c.author = "fan1";
    c.text = "Love it";
    c.posted_at = T0 + 60;
    assert_int_equal(cr_store_comment_upsert(fx->st, &c), CR_OK);
    assert_int_equal(cr_store_comment_upsert(fx->st, &c), CR_OK);
    assert_int_equal(rows_in(fx->st, "comment"), before + 1);
    c.text = "Love it!";
    assert_int_equal(cr_store_comment_upsert(fx->st, &c), CR_OK);
    assert_int_equal(rows_in(fx->st, "comment"), before + 1);
    c.external_id = "c2";
    assert_int_equal(cr_store_comment_upsert(fx->st, &c), CR_OK);
    assert_int_equal(rows_in(fx->st, "comment"), before + 2);
    assert_int_equal(cr_store_creator_stats(&cs, fx->st, cid), CR_OK);
    assert_int_equal(cs.comments, 2);

    c.external_id = NULL;
    assert_int_equal(cr_store_comment_upsert(fx->st, &c), CR_EINVALID);
    assert_int_equal(rows_in(fx->st, "comment"), before + 2);
}

/* ---- campaigns ------------------------------------------------------------------------- */

static void test_contract__campaign_kpi_partnership_upserts_are_idempotent(void **state)
{
    fixture *fx = *state;
    int64_t creator = add_creator(fx, "instagram", "partner", 1000);
    int64_t id1 = 0, id2 = 0, pid1 = 0, pid2 = 0, post_id = 0;
    int64_t campaigns = rows_in(fx->st, "campaign"), kpis = rows_in(fx->st, "campaign_kpi");
    int64_t partnerships = rows_in(fx->st, "partnership");
    cr_campaign c;
    cr_campaign_kpi k;
    cr_partnership p;
    cr_post post;
    cr_post_filter f;
    post_rows pr;

    memset(&c, 0, sizeof(c));
    c.name = key(fx, "Summer Run");
    c.brand = "Acme";
    c.start = T0;
    c.end = T0 + 30 * DAY;
    c.budget_minor = 500000;
    c.currency = "EUR";
    c.primary_goal = "awareness";
    assert_int_equal(cr_store_campaign_upsert(&id1, fx->st, &c), CR_OK);
    assert_true(id1 > 0);
    assert_int_equal(cr_store_campaign_upsert(&id2, fx->st, &c), CR_OK);
    assert_int_equal(id2, id1);
    c.budget_minor = 600000;
    c.status = "active";
    assert_int_equal(cr_store_campaign_upsert(&id2, fx->st, &c), CR_OK);
    assert_int_equal(id2, id1);
    assert_int_equal(rows_in(fx->st, "campaign"), campaigns + 1);

    memset(&k, 0, sizeof(k));
    k.campaign_id = id1;
    k.code = "cpm";
    k.role = "primary";
    k.target = 5.0;
    k.baseline = NAN;
    assert_int_equal(cr_store_campaign_kpi_upsert(fx->st, &k), CR_OK);
    assert_int_equal(cr_store_campaign_kpi_upsert(fx->st, &k), CR_OK);
    k.target = 4.5;
    k.baseline = 6.0;
    k.baseline_period = "2026-Q2";
    assert_int_equal(cr_store_campaign_kpi_upsert(fx->st, &k), CR_OK);
    assert_int_equal(rows_in(fx->st, "campaign_kpi"), kpis + 1);
    k.code = "er";
    k.role = "contextual";
    assert_int_equal(cr_store_campaign_kpi_upsert(fx->st, &k), CR_OK);
    assert_int_equal(rows_in(fx->st, "campaign_kpi"), kpis + 2);

    memset(&p, 0, sizeof(p));
    p.campaign_id = id1;
    p.creator_id = creator;
    p.fee_minor = 100000;
    p.currency = "EUR";
    p.promo_code = "MAYA10";
    assert_int_equal(cr_store_partnership_upsert(&pid1, fx->st, &p), CR_OK);
    assert_true(pid1 > 0);
    assert_int_equal(cr_store_partnership_upsert(&pid2, fx->st, &p), CR_OK);
    assert_int_equal(pid2, pid1);
    p.fee_minor = 120000;
    p.status = "contracted";
    assert_int_equal(cr_store_partnership_upsert(&pid2, fx->st, &p), CR_OK);
    assert_int_equal(pid2, pid1);
    assert_int_equal(rows_in(fx->st, "partnership"), partnerships + 1);

    /* a post of the partnership lists with it */
    post = new_post(creator, key(fx, "sponsored"), T0 + DAY);
    post.partnership_id = pid1;
    assert_int_equal(cr_store_post_upsert(&post_id, fx->st, &post), CR_OK);
    memset(&f, 0, sizeof(f));
    f.creator_id = creator;
    list_posts(&pr, fx->st, &f);
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.partnership_id[0], pid1);
}

static void test_contract__campaign_needs_name_and_kpi_needs_code(void **state)
{
    fixture *fx = *state;
    cr_campaign c;
    cr_campaign_kpi k;
    int64_t id;

    memset(&c, 0, sizeof(c));
    c.primary_goal = "sales";
    assert_int_equal(cr_store_campaign_upsert(&id, fx->st, &c), CR_EINVALID);
    c.name = key(fx, "valid");
    assert_int_equal(cr_store_campaign_upsert(&id, fx->st, &c), CR_OK);
    memset(&k, 0, sizeof(k));
    k.campaign_id = id;
    k.target = k.baseline = NAN;
    assert_int_equal(cr_store_campaign_kpi_upsert(fx->st, &k), CR_EINVALID);
}

/* ---- transactions ---------------------------------------------------------------------- */

/* ---- discovery candidates -------------------------------------------------------------- */

typedef struct {
    int64_t ids[16];
    size_t n;
} id_set;

static cr_err collect_id(const cr_discover_row *r, void *payload)
{
    id_set *s = payload;

    if (s->n < 16)
        s->ids[s->n++] = r->id;
    return CR_OK;
}

static int has_id(const id_set *s, int64_t id)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return 1;
    return 0;
}

/* a creator whose bio says word n times (and "filler" pad times) */
static int64_t
add_writer(fixture *fx, const char *what, const char *word, int n, int pad, int64_t followers)
{
    cr_creator c = blank_creator("instagram", key(fx, what));
    char bio[512] = "";
    size_t len = 0;
    int64_t id = 0;
    int i;

    for (i = 0; i < n; i++)
        len += (size_t)snprintf(bio + len, sizeof(bio) - len, "%s ", word);
    for (i = 0; i < pad; i++)
        len += (size_t)snprintf(bio + len, sizeof(bio) - len, "filler ");
    c.bio = bio;
    c.followers = followers;
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    return id;
}

static id_set candidates(fixture *fx, const char *word, int64_t min_followers, int64_t cap)
{
    cr_discover_filter f;
    id_set s;

    memset(&f, 0, sizeof(f));
    memset(&s, 0, sizeof(s));
    f.fts = word;
    f.min_followers = min_followers;
    f.max_followers = f.min_fee_minor = f.max_fee_minor = -1;
    f.min_quality = NAN;
    f.cap = cap;
    assert_int_equal(cr_store_discover_refresh(fx->st, 0), CR_OK);
    assert_int_equal(cr_store_discover_candidates(fx->st, &f, collect_id, &s), CR_OK);
    return s;
}

/* The cap keeps the best by crest's relevance (tf / (tf + 1.2) for one word: more occurrences
 * first, whatever the length of the text), ties to more followers, then the lower id. */
static void test_contract__discover_cap_keeps_best_relevance(void **state)
{
    fixture *fx = *state;
    char word[64];
    int64_t three, one, two_small, two_big, none;
    id_set s;

    snprintf(word, sizeof(word), "%skiwi", fx->tag);
    three = add_writer(fx, "three", word, 3, 40, 100);
    one = add_writer(fx, "one", word, 1, 0, 900000);
    two_small = add_writer(fx, "twosmall", word, 2, 0, 1000);
    two_big = add_writer(fx, "twobig", word, 2, 30, 5000);
    none = add_writer(fx, "none", "banana", 2, 0, 5000);
    s = candidates(fx, word, -1, 2);
    assert_int_equal(s.n, 2);
    assert_true(has_id(&s, three));
    assert_true(has_id(&s, two_big));
    s = candidates(fx, word, -1, 3);
    assert_int_equal(s.n, 3);
    assert_true(has_id(&s, two_small));
    assert_false(has_id(&s, one));
    s = candidates(fx, word, -1, 10);
    assert_int_equal(s.n, 4);
    assert_true(has_id(&s, one));
    assert_false(has_id(&s, none));
}

/* The filters follow every write, in this handle or another, and a rolled back one is gone. */
/* In a transaction: creator a shrinks below 100,000 followers and a search sees it, then b
 * shrinks and the next search of the same transaction sees that too (PostgreSQL bumps
 * discover.gen once per transaction unless a snapshot was built in it since); then commit
 * or roll back. */
static void shrink_in_tx(fixture *fx, const char *word, int commit)
{
    id_set s;

    assert_int_equal(cr_store_begin(fx->st), CR_OK);
    add_writer(fx, "a", word, 1, 0, 10);
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 1);
    add_writer(fx, "b", word, 1, 0, 20);
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 0);
    assert_int_equal(commit ? cr_store_commit(fx->st) : cr_store_rollback(fx->st), CR_OK);
}

static void test_contract__discover_filters_follow_writes(void **state)
{
    fixture *fx = *state;
    char word[64];
    cr_store *other = NULL;
    int64_t a, b;
    id_set s;

    snprintf(word, sizeof(word), "%slime", fx->tag);
    a = add_writer(fx, "a", word, 1, 0, 1000);
    b = add_writer(fx, "b", word, 1, 0, 2000);
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 0);
    add_writer(fx, "a", word, 1, 0, 200000); /* the same creator, grown */
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 1);
    assert_true(has_id(&s, a));
    /* another connection's commit */
    assert_int_equal(cr_store_open(&other, fx->url), CR_OK);
    {
        cr_creator c = blank_creator("instagram", key(fx, "b"));
        int64_t id = 0;
        c.followers = 300000;
        assert_int_equal(cr_store_creator_upsert(&id, other, &c), CR_OK);
        assert_int_equal(id, b);
    }
    cr_store_free(other);
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 2);
    /* writes seen inside a transaction, then rolled back */
    shrink_in_tx(fx, word, 0);
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 2);
    assert_true(has_id(&s, a) && has_id(&s, b));
    /* the same in a transaction that commits: after it, the last write counts */
    shrink_in_tx(fx, word, 1);
    s = candidates(fx, word, 100000, 10);
    assert_int_equal(s.n, 0);
}

static void test_contract__rollback_leaves_counts_unchanged(void **state)
{
    fixture *fx = *state;
    table_counts before, after;
    cr_creator c = blank_creator("instagram", key(fx, "ghost"));
    int64_t id = 0, found = 0;

    get_counts(&before, fx->st);
    assert_int_equal(cr_store_begin(fx->st), CR_OK);
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    assert_int_equal(cr_store_creator_find(&found, fx->st, "instagram", c.handle), CR_OK);
    assert_int_equal(found, id);
    assert_int_equal(cr_store_rollback(fx->st), CR_OK);
    get_counts(&after, fx->st);
    assert_counts_equal(&before, &after);
    assert_int_equal(cr_store_creator_find(&found, fx->st, "instagram", c.handle), CR_ENOTFOUND);
}

static void test_contract__commit_persists(void **state)
{
    fixture *fx = *state;
    cr_creator c = blank_creator("instagram", key(fx, "kept"));
    int64_t id = 0, found = 0, before = rows_in(fx->st, "creator");

    assert_int_equal(cr_store_begin(fx->st), CR_OK);
    assert_int_equal(cr_store_creator_upsert(&id, fx->st, &c), CR_OK);
    assert_int_equal(cr_store_commit(fx->st), CR_OK);
    assert_int_equal(rows_in(fx->st, "creator"), before + 1);
    assert_int_equal(cr_store_creator_find(&found, fx->st, "instagram", c.handle), CR_OK);
    assert_int_equal(found, id);
    /* committed means committed: a later rollback does not undo it */
    assert_int_equal(cr_store_rollback(fx->st), CR_OK);
    assert_int_equal(cr_store_creator_find(&found, fx->st, "instagram", c.handle), CR_OK);
}

static void test_contract__transaction_misuse_is_a_conflict(void **state)
{
    fixture *fx = *state;

    assert_int_equal(cr_store_commit(fx->st), CR_ECONFLICT);
    assert_int_equal(cr_store_begin(fx->st), CR_OK);
    assert_int_equal(cr_store_begin(fx->st), CR_ECONFLICT);
    assert_int_equal(cr_store_rollback(fx->st), CR_OK);
    assert_int_equal(cr_store_begin(fx->st), CR_OK);
    assert_int_equal(cr_store_commit(fx->st), CR_OK);
}

static void test_contract__references_are_enforced(void **state)
{
    fixture *fx = *state;
    int64_t cid = add_creator(fx, "instagram", "referee", 1), id = 0;
    int64_t posts = rows_in(fx->st, "post"), snaps = rows_in(fx->st, "creator_snapshot");
    cr_post p = new_post(cid + 1000000, key(fx, "orphan"), T0);
    cr_snapshot s;

    assert_int_equal(cr_store_post_upsert(&id, fx->st, &p), CR_EINVALID);
    assert_int_equal(rows_in(fx->st, "post"), posts);
    memset(&s, 0, sizeof(s));
    s.creator_id = cid + 1000000;
    s.date = T0;
    s.followers = 1;
    s.following = s.media_count = CR_COUNT_NONE;
    assert_int_equal(cr_store_snapshot_upsert(fx->st, &s), CR_EINVALID);
    assert_int_equal(rows_in(fx->st, "creator_snapshot"), snaps);
}

static cr_err count_problem(const char *what, const char *detail, void *payload)
{
    int *n = payload;

    assert_non_null(what);
    assert_non_null(detail);
    (*n)++;
    return CR_OK;
}

static void test_contract__bulk_transaction_commits_and_rolls_back(void **state)
{
    fixture *fx = *state;
    cr_creator c = blank_creator("instagram", key(fx, "bulk"));
    int64_t cid = 0, pid = 0, found = 0, before = rows_in(fx->st, "post");
    cr_post p;

    assert_int_equal(cr_store_begin_bulk(fx->st), CR_OK);
    assert_int_equal(cr_store_begin(fx->st), CR_ECONFLICT);
    assert_int_equal(cr_store_creator_upsert(&cid, fx->st, &c), CR_OK);
    p = new_post(cid, key(fx, "bulk-post"), T0);
    assert_int_equal(cr_store_post_upsert(&pid, fx->st, &p), CR_OK);
    assert_int_equal(cr_store_commit(fx->st), CR_OK);
    assert_int_equal(cr_store_post_find(&found, fx->st, "instagram", key(fx, "bulk-post")), CR_OK);
    assert_int_equal(found, pid);
    assert_int_equal(rows_in(fx->st, "post"), before + 1);

    assert_int_equal(cr_store_begin_bulk(fx->st), CR_OK);
    p = new_post(cid, key(fx, "bulk-gone"), T0);
    assert_int_equal(cr_store_post_upsert(&pid, fx->st, &p), CR_OK);
    assert_int_equal(cr_store_rollback(fx->st), CR_OK);
    assert_int_equal(cr_store_post_find(&found, fx->st, "instagram", key(fx, "bulk-gone")),
                     CR_ENOTFOUND);
    assert_int_equal(rows_in(fx->st, "post"), before + 1);

    /* after a bulk transaction, commit or rollback, references are checked again */
    p = new_post(cid + 1000000, key(fx, "orphan"), T0);
    assert_int_equal(cr_store_post_upsert(&pid, fx->st, &p), CR_EINVALID);
    assert_int_equal(cr_store_begin_bulk(fx->st), CR_OK);
    assert_int_equal(cr_store_commit(fx->st), CR_OK);
    assert_int_equal(cr_store_post_upsert(&pid, fx->st, &p), CR_EINVALID);
    assert_int_equal(rows_in(fx->st, "post"), before + 1);
}

/* A bulk transaction may skip reference checks; whatever it let through, check finds. */
static void test_contract__check_finds_what_a_bulk_transaction_let_through(void **state)
{
    fixture *fx = *state;
    int64_t cid = add_creator(fx, "instagram", "checked", 1), pid = 0;
    cr_post p = new_post(cid + 1000000, key(fx, "dangling"), T0);
    int problems = 0;
    cr_err rc;

    if (!is_private_store(fx))
        skip(); /* it leaves a dangling row behind */
    assert_int_equal(cr_store_check(fx->st, count_problem, &problems), CR_OK);
    assert_int_equal(problems, 0);
    assert_int_equal(cr_store_begin_bulk(fx->st), CR_OK);
    rc = cr_store_post_upsert(&pid, fx->st, &p);
    assert_true(rc == CR_OK || rc == CR_EINVALID);
    assert_int_equal(cr_store_commit(fx->st), CR_OK);
    assert_int_equal(cr_store_check(fx->st, count_problem, &problems), CR_OK);
    assert_int_equal(problems, rc == CR_OK ? 1 : 0);
}

/* ---- imports --------------------------------------------------------------------------- */

static void test_contract__import_begin_finish_find(void **state)
{
    fixture *fx = *state;
    cr_import_rec rec;
    int64_t id = 0, id2 = 0, id3 = 0, found = 0, rows = 0;
    char sha[80], sha2[80];

    snprintf(sha, sizeof(sha), "%s-0123456789abcdef", fx->tag);
    snprintf(sha2, sizeof(sha2), "%s-fedcba9876543210", fx->tag);
    memset(&rec, 0, sizeof(rec));
    rec.kind = "creators";
    rec.file = "creators.csv";
    rec.sha256 = "";
    assert_int_equal(cr_store_import_begin(&id, fx->st, &rec), CR_OK);
    assert_true(id > 0);
    /* not finished: not found */
    assert_int_equal(cr_store_import_find(fx->st, "creators", sha, &found, &rows), CR_ENOTFOUND);
    assert_int_equal(cr_store_import_finish(fx->st, id, sha, 10, 2), CR_OK);
    assert_int_equal(cr_store_import_find(fx->st, "creators", sha, &found, &rows), CR_OK);
    assert_int_equal(found, id);
    assert_int_equal(rows, 10);
    assert_int_equal(cr_store_import_find(fx->st, "posts", sha, &found, &rows), CR_ENOTFOUND);
    assert_int_equal(cr_store_import_find(fx->st, "creators", sha2, &found, &rows), CR_ENOTFOUND);

    /* begun with its checksum but never finished: not found */
    rec.sha256 = sha2;
    assert_int_equal(cr_store_import_begin(&id2, fx->st, &rec), CR_OK);
    assert_true(id2 > id);
    assert_int_equal(cr_store_import_find(fx->st, "creators", sha2, &found, &rows), CR_ENOTFOUND);

    /* the same file imported twice: the earlier import is the one found */
    rec.sha256 = "";
    assert_int_equal(cr_store_import_begin(&id3, fx->st, &rec), CR_OK);
    assert_int_equal(cr_store_import_finish(fx->st, id3, sha, 10, 0), CR_OK);
    assert_int_equal(cr_store_import_find(fx->st, "creators", sha, &found, &rows), CR_OK);
    assert_int_equal(found, id);
}

/* ---- stats ----------------------------------------------------------------------------- */

static void test_contract__creator_stats_sums_latest_metrics(void **state)
{
    fixture *fx = *state;
    int64_t cid = add_creator(fx, "instagram", "stats", 1000), other;
    int64_t p1 = 0, p2 = 0, p3 = 0, po = 0;
    cr_post p;
    cr_metric m;
    cr_creator_stats cs;

    p = new_post(cid, key(fx, "s1"), T0);
    assert_int_equal(cr_store_post_upsert(&p1, fx->st, &p), CR_OK);
    p = new_post(cid, key(fx, "s2"), T0 + DAY);
    assert_int_equal(cr_store_post_upsert(&p2, fx->st, &p), CR_OK);
    p = new_post(cid, key(fx, "s3"), T0 + 2 * DAY);
    assert_int_equal(cr_store_post_upsert(&p3, fx->st, &p), CR_OK);

    /* p1: an old capture that must not count, and the latest */
    m = new_metric(p1, T0 + 3600);
    m.reach = 999;
    m.impressions = 999;
    m.likes = 999;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    m = new_metric(p1, T0 + 7200);
    m.reach = 200;
    m.impressions = 300;
    m.likes = 20;
    m.comments = 3;
    m.shares = 2;
    m.saves = 1;
    m.clicks = 50; /* clicks are not engagements */
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    /* p2: some numbers unknown */
    m = new_metric(p2, T0 + DAY + 60);
    m.reach = 50;
    m.impressions = 60;
    m.likes = 1;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);

    /* another creator's post does not count */
    other = add_creator(fx, "instagram", "other", 5);
    p = new_post(other, key(fx, "o1"), T0);
    assert_int_equal(cr_store_post_upsert(&po, fx->st, &p), CR_OK);
    m = new_metric(po, T0 + 60);
    m.reach = 7;
    m.likes = 7;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);

    assert_int_equal(cr_store_creator_stats(&cs, fx->st, cid), CR_OK);
    assert_int_equal(cs.posts, 3);
    assert_int_equal(cs.posts_with_metrics, 2);
    assert_int_equal(cs.reach, 250);
    assert_int_equal(cs.impressions, 360);
    assert_int_equal(cs.engagements, 20 + 3 + 2 + 1 + 1);
    assert_int_equal(cs.snapshots, 0);
    assert_int_equal(cs.first_snapshot, 0);
    assert_int_equal(cs.last_snapshot, 0);
    assert_int_equal(cs.comments, 0);

    assert_int_equal(cr_store_creator_stats(&cs, fx->st, other), CR_OK);
    assert_int_equal(cs.posts, 1);
    assert_int_equal(cs.reach, 7);
    assert_int_equal(cs.impressions, 0);
    assert_int_equal(cs.engagements, 7);
}

/* ---- accounts and sessions ------------------------------------------------------------- */

typedef struct {
    int n;
    int64_t id, user_id, expires_at;
    int disabled;
    char email[160], role[16], hash[160], csrf[80];
} account_copy;

static cr_err copy_user(const cr_user *u, void *payload)
{
    account_copy *a = payload;

    a->n++;
    a->id = u->id;
    a->disabled = u->disabled;
    snprintf(a->email, sizeof(a->email), "%s", u->email);
    snprintf(a->role, sizeof(a->role), "%s", u->role);
    snprintf(a->hash, sizeof(a->hash), "%s", u->password_hash);
    return CR_OK;
}

static cr_err copy_session(const cr_session *s, void *payload)
{
    account_copy *a = payload;

    a->n++;
    a->user_id = s->user_id;
    a->expires_at = s->expires_at;
    snprintf(a->email, sizeof(a->email), "%s", s->email);
    snprintf(a->role, sizeof(a->role), "%s", s->role);
    snprintf(a->csrf, sizeof(a->csrf), "%s", s->csrf);
    return CR_OK;
}

static cr_err count_tagged_user(const cr_user *u, void *payload)
{
    account_copy *a = payload;

    if (strncmp(u->email, a->email, strlen(a->email)) == 0)
        a->n++;
    return CR_OK;
}

static void test_contract__user_upsert_find_and_update(void **state)
{
    fixture *fx = *state;
    cr_user u = { 0 };
    account_copy a;
    int64_t id = 0, again = 0;

    u.email = key(fx, "ana@example.com");
    u.role = "analyst";
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$first";
    assert_int_equal(cr_store_user_upsert(&id, fx->st, &u), CR_OK);
    assert_true(id > 0);
    memset(&a, 0, sizeof(a));
    assert_int_equal(cr_store_user_find(fx->st, u.email, copy_user, &a), CR_OK);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.id, id);
    assert_string_equal(a.role, "analyst");
    assert_string_equal(a.hash, u.password_hash);
    assert_int_equal(a.disabled, 0);
    /* the same email again: same row, new role and hash */
    u.role = "manager";
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$second";
    assert_int_equal(cr_store_user_upsert(&again, fx->st, &u), CR_OK);
    assert_int_equal(again, id);
    memset(&a, 0, sizeof(a));
    assert_int_equal(cr_store_user_find(fx->st, u.email, copy_user, &a), CR_OK);
    assert_string_equal(a.role, "manager");
    assert_string_equal(a.hash, u.password_hash);
    /* a second user, and the list holds both */
    u.email = key(fx, "bo@example.com");
    assert_int_equal(cr_store_user_upsert(&again, fx->st, &u), CR_OK);
    assert_true(again != id);
    memset(&a, 0, sizeof(a));
    snprintf(a.email, sizeof(a.email), "%s.", fx->tag);
    assert_int_equal(cr_store_user_list(fx->st, count_tagged_user, &a), CR_OK);
    assert_int_equal(a.n, 2);
    memset(&a, 0, sizeof(a));
    assert_int_equal(cr_store_user_find(fx->st, key(fx, "nobody@example.com"), copy_user, &a),
                     CR_ENOTFOUND);
    assert_int_equal(a.n, 0);
}

static void test_contract__user_upsert_checks_its_fields(void **state)
{
    fixture *fx = *state;
    cr_user u = { 0 };
    int64_t id = 0;

    u.email = key(fx, "x@example.com");
    u.role = "owner";
    u.password_hash = "h";
    assert_int_equal(cr_store_user_upsert(&id, fx->st, &u), CR_EINVALID);
    u.role = "admin";
    u.password_hash = NULL;
    assert_int_equal(cr_store_user_upsert(&id, fx->st, &u), CR_EINVALID);
    u.password_hash = "h";
    u.email = NULL;
    assert_int_equal(cr_store_user_upsert(&id, fx->st, &u), CR_EINVALID);
}

static void test_contract__session_create_find_delete_purge(void **state)
{
    fixture *fx = *state;
    cr_user u = { 0 };
    cr_session s = { 0 };
    account_copy a;
    int64_t uid = 0;
    const char *live = key(fx, "token-live"), *old = key(fx, "token-old");

    u.email = key(fx, "cara@example.com");
    u.role = "reviewer";
    u.password_hash = "hash";
    assert_int_equal(cr_store_user_upsert(&uid, fx->st, &u), CR_OK);
    s.token_hash = live;
    s.user_id = uid;
    s.csrf = "csrf-1";
    s.created_at = T0;
    s.expires_at = T0 + 43200;
    assert_int_equal(cr_store_session_create(fx->st, &s), CR_OK);
    s.token_hash = old;
    s.csrf = "csrf-2";
    s.expires_at = T0 + 10;
    assert_int_equal(cr_store_session_create(fx->st, &s), CR_OK);
    /* a token hash is a key: the same one twice is refused */
    assert_int_not_equal(cr_store_session_create(fx->st, &s), CR_OK);

    memset(&a, 0, sizeof(a));
    assert_int_equal(cr_store_session_find(fx->st, live, T0 + 100, copy_session, &a), CR_OK);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.user_id, uid);
    assert_int_equal(a.expires_at, T0 + 43200);
    assert_string_equal(a.email, u.email);
    assert_string_equal(a.role, "reviewer");
    assert_string_equal(a.csrf, "csrf-1");
    /* expired at `now`: not found */
    memset(&a, 0, sizeof(a));
    assert_int_equal(cr_store_session_find(fx->st, old, T0 + 10, copy_session, &a), CR_ENOTFOUND);
    assert_int_equal(a.n, 0);
    assert_int_equal(cr_store_session_find(fx->st, old, T0 + 9, copy_session, &a), CR_OK);
    /* purge removes what expired, and only that */
    assert_int_equal(cr_store_session_purge(fx->st, T0 + 10), CR_OK);
    memset(&a, 0, sizeof(a));
    assert_int_equal(cr_store_session_find(fx->st, old, T0, copy_session, &a), CR_ENOTFOUND);
    assert_int_equal(cr_store_session_find(fx->st, live, T0, copy_session, &a), CR_OK);
    /* delete ends a session; deleting it again is no error */
    assert_int_equal(cr_store_session_delete(fx->st, live), CR_OK);
    assert_int_equal(cr_store_session_find(fx->st, live, T0, copy_session, &a), CR_ENOTFOUND);
    assert_int_equal(cr_store_session_delete(fx->st, live), CR_OK);
    assert_int_equal(cr_store_session_find(fx->st, key(fx, "never"), T0, copy_session, &a),
                     CR_ENOTFOUND);
}

static void test_contract__session_needs_an_existing_user(void **state)
{
    fixture *fx = *state;
    cr_session s = { 0 };

    s.token_hash = key(fx, "orphan");
    s.user_id = 987654321;
    s.csrf = "c";
    s.created_at = T0;
    s.expires_at = T0 + 60;
    assert_int_not_equal(cr_store_session_create(fx->st, &s), CR_OK);
    s.csrf = NULL;
    assert_int_equal(cr_store_session_create(fx->st, &s), CR_EINVALID);
}

/* The tests share the PostgreSQL database, each with its own tag, but some count rows over a
 * date window (T1 below): what an earlier run left there would be counted again, so the
 * test database (only ever this test's) is emptied first. */
static int empty_pg_database(const char *url)
{
#ifdef CREST_WITH_POSTGRES
    PGconn *c = PQconnectdb(url);
    PGresult *r = NULL;
    int ok = PQstatus(c) == CONNECTION_OK;

    if (ok) {
        r = PQexec(c, "SET client_min_messages = warning; DROP SCHEMA public CASCADE;"
                      " CREATE SCHEMA public");
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    }
    if (!ok)
        fprintf(stderr, "store.contract.pg: cannot empty the test database: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
#else
    (void)url;
    return 0;
#endif
}

/* Registered twice by CTest: `store.contract.sqlite` (no argument: temporary SQLite files, or
 * CR_TEST_STORE_URL) and `store.contract.pg` (argument "pg": the PostgreSQL test database that
 * scripts/test starts, CR_TEST_PG_URL; skipped with 77 without one). */
/* ---- tracking: rollups, attribution, settings ------------------------------------------- */

#define T1 1925078400LL /* 2031-01-01T00:00:00Z: a window no other test writes in */

typedef struct {
    int n;
    cr_post_rollup r[8];
    char ext[8][64];
} rollups;

static cr_err copy_rollup(const cr_post_rollup *r, void *payload)
{
    rollups *rs = payload;

    assert_true(rs->n < 8);
    rs->r[rs->n] = *r;
    copy_text(rs->ext[rs->n], sizeof(rs->ext[0]), r->external_id);
    rs->n++;
    return CR_OK;
}

static const cr_post_rollup *rollup_of(rollups *rs, fixture *fx, const char *what)
{
    const char *ext = key(fx, what);
    int i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->ext[i], ext) == 0)
            return &rs->r[i];
    fail_msg("no rollup for %s", ext);
    return NULL;
}

typedef struct {
    int n;
    cr_attributed a[16];
    char kind[16][16], method[16][16];
} attributed;

static cr_err copy_attributed(const cr_attributed *a, void *payload)
{
    attributed *at = payload;

    assert_true(at->n < 16);
    at->a[at->n] = *a;
    copy_text(at->kind[at->n], sizeof(at->kind[0]), a->kind);
    copy_text(at->method[at->n], sizeof(at->method[0]), a->method);
    at->n++;
    return CR_OK;
}

typedef struct {
    int n;
    char line[16][96];
} lines;

static cr_err copy_unattributed(const cr_unattributed *u, void *payload)
{
    lines *l = payload;

    assert_true(l->n < 16);
    snprintf(l->line[l->n++], sizeof(l->line[0]), "%s|%s|%lld|%lld|%lld", u->kind, u->reason,
             (long long)u->rows, (long long)u->units, (long long)u->value_minor);
    return CR_OK;
}

static cr_err copy_day(const cr_metric_day *d, void *payload)
{
    lines *l = payload;

    assert_true(l->n < 16);
    snprintf(l->line[l->n++], sizeof(l->line[0]), "%lld|%lld|%lld", (long long)d->post_id,
             (long long)(d->date - T1) / DAY, (long long)d->impressions);
    return CR_OK;
}

static int has_line(const lines *l, const char *line)
{
    int i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->line[i], line) == 0)
            return 1;
    return 0;
}

static void add_session(fixture *fx, int64_t date, const char *utm, int64_t sessions)
{
    cr_web_session w;

    memset(&w, 0, sizeof(w));
    w.date = date;
    w.utm_source = key(fx, "src");
    w.utm_content = utm;
    w.sessions = sessions;
    w.engaged_sessions = sessions / 2;
    w.duration_seconds = sessions * 10;
    w.conversions = CR_COUNT_NONE;
    assert_int_equal(cr_store_web_session_upsert(fx->st, &w), CR_OK);
}

static void add_order(
    fixture *fx, const char *id, int64_t at, int64_t total, const char *code, const char *landing)
{
    cr_order o;

    memset(&o, 0, sizeof(o));
    o.external_id = key(fx, id);
    o.created_at = at;
    o.total_minor = total;
    o.currency = "USD";
    o.discount_code = code;
    o.landing_utm_content = landing;
    assert_int_equal(cr_store_order_upsert(fx->st, &o), CR_OK);
}

/* One campaign (T1 .. T1+29d, window 30 days), partnership PA: maya, code <tag>-MAYA,
 * utm_content <tag>_maya. P1 linked (day 2), P2 unlinked with the utm (day 5), P3 another
 * creator's with the same utm (day 3). Expected, by the rules in src/store/track.c:
 *   sessions day 1 (10): no post yet -> PA (partnership level)
 *   sessions day 3 (7): P3 is not the partner's -> PA
 *   sessions day 6 (20): P2 -> post P2, PA
 *   sessions day 200 (5): outside every window; "<tag>_nobody" (3): unknown; "" (4): none
 *   order o1 day 4, code in lower case, 5000: PA by code, post P1 (the latest before it)
 *   order o2 day 10, landing utm, 3000: P2 by landing_utm
 *   order o3: unknown code; o4 day 100 with the code: outside the window
 *   lead day 6: P2 */
static void test_contract__track_attribution_and_rollups(void **state)
{
    fixture *fx = *state;
    int64_t maya = add_creator(fx, "instagram", "maya", 20000);
    int64_t other = add_creator(fx, "instagram", "other", 5000);
    int64_t cid = 0, pa = 0, p1 = 0, p2 = 0, p3 = 0;
    char utm[64], code[64], nobody[64], want[64];
    cr_campaign c;
    cr_partnership part;
    cr_post post;
    cr_metric m;
    cr_lead l;
    cr_kpi_inputs in;
    cr_kpi_scope sc;
    rollups rs;
    attributed at;
    lines un, days;
    const cr_post_rollup *r;
    int pass, i;

    snprintf(utm, sizeof(utm), "%s_maya", fx->tag);
    snprintf(code, sizeof(code), "%s-MAYA", fx->tag);
    snprintf(nobody, sizeof(nobody), "%s_nobody", fx->tag);
    memset(&c, 0, sizeof(c));
    c.name = key(fx, "Tracked");
    c.brand = key(fx, "Brand");
    c.start = T1;
    c.end = T1 + 29 * DAY;
    c.currency = "USD";
    c.primary_goal = "sales";
    assert_int_equal(cr_store_campaign_upsert(&cid, fx->st, &c), CR_OK);
    memset(&part, 0, sizeof(part));
    part.campaign_id = cid;
    part.creator_id = maya;
    part.fee_minor = 100000;
    part.currency = "USD";
    part.promo_code = code;
    part.utm_content = utm;
    assert_int_equal(cr_store_partnership_upsert(&pa, fx->st, &part), CR_OK);

    post = new_post(maya, key(fx, "p1"), T1 + 2 * DAY + 10 * 3600);
    post.partnership_id = pa;
    assert_int_equal(cr_store_post_upsert(&p1, fx->st, &post), CR_OK);
    post = new_post(maya, key(fx, "p2"), T1 + 5 * DAY);
    post.utm_content = utm;
    assert_int_equal(cr_store_post_upsert(&p2, fx->st, &post), CR_OK);
    post = new_post(other, key(fx, "p3"), T1 + 3 * DAY);
    post.utm_content = utm;
    assert_int_equal(cr_store_post_upsert(&p3, fx->st, &post), CR_OK);

    m = new_metric(p1, T1 + 3 * DAY + 8 * 3600);
    m.impressions = 100;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    m = new_metric(p1, T1 + 3 * DAY + 20 * 3600);
    m.impressions = 150;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    m = new_metric(p1, T1 + 4 * DAY);
    m.impressions = 300;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);
    m = new_metric(p2, T1 + 6 * DAY);
    m.impressions = 1000;
    assert_int_equal(cr_store_metric_upsert(fx->st, &m), CR_OK);

    add_session(fx, T1 + 1 * DAY, utm, 10);
    add_session(fx, T1 + 3 * DAY, utm, 7);
    add_session(fx, T1 + 6 * DAY, utm, 20);
    add_session(fx, T1 + 200 * DAY, utm, 5);
    add_session(fx, T1 + 6 * DAY, nobody, 3);
    add_session(fx, T1 + 6 * DAY, "", 4);
    for (i = 0; code[i]; i++) /* codes match whatever their case */
        code[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
    add_order(fx, "o1", T1 + 4 * DAY, 5000, code, NULL);
    add_order(fx, "o2", T1 + 10 * DAY, 3000, NULL, utm);
    add_order(fx, "o3", T1 + 10 * DAY, 700, key(fx, "NOPE"), NULL);
    add_order(fx, "o4", T1 + 100 * DAY, 900, code, NULL);
    memset(&l, 0, sizeof(l));
    l.external_id = key(fx, "l1");
    l.created_at = T1 + 6 * DAY + 3600;
    l.utm_content = utm;
    l.qualified = 1;
    assert_int_equal(cr_store_lead_upsert(fx->st, &l), CR_OK);

    for (pass = 0; pass < 2; pass++) { /* a second refresh changes nothing */
        cr_rollup_filter f;
        assert_int_equal(cr_store_track_refresh(fx->st, pass), CR_OK);

        memset(&f, 0, sizeof(f));
        f.campaign_id = cid;
        memset(&rs, 0, sizeof(rs));
        assert_int_equal(cr_store_rollup_list(fx->st, &f, copy_rollup, &rs), CR_OK);
        assert_int_equal(rs.n, 2); /* P3 is another creator's */
        r = rollup_of(&rs, fx, "p1");
        assert_int_equal(r->post_id, p1);
        assert_int_equal(r->partnership_id, pa);
        assert_int_equal(r->campaign_id, cid);
        assert_int_equal(r->impressions, 300);
        assert_int_equal(r->captured_at, T1 + 4 * DAY);
        assert_int_equal(r->reach, CR_COUNT_NONE);
        assert_int_equal(r->followers, 20000);
        assert_int_equal(r->orders, 1);
        assert_int_equal(r->revenue_minor, 5000);
        assert_int_equal(r->sessions, 0);
        r = rollup_of(&rs, fx, "p2");
        assert_int_equal(r->partnership_id, pa);
        assert_int_equal(r->impressions, 1000);
        assert_int_equal(r->sessions, 20);
        assert_int_equal(r->engaged_sessions, 10);
        assert_int_equal(r->session_seconds, 200);
        assert_int_equal(r->leads, 1);
        assert_int_equal(r->qualified_leads, 1);
        assert_int_equal(r->orders, 1);
        assert_int_equal(r->revenue_minor, 3000);

        memset(&days, 0, sizeof(days));
        assert_int_equal(cr_store_metric_days(fx->st, &f, copy_day, &days), CR_OK);
        assert_int_equal(days.n, 3);
        snprintf(want, sizeof(want), "%lld|3|150", (long long)p1);
        assert_true(has_line(&days, want));
        snprintf(want, sizeof(want), "%lld|4|300", (long long)p1);
        assert_true(has_line(&days, want));

        memset(&at, 0, sizeof(at));
        assert_int_equal(
            cr_store_attributed_list(fx->st, cid, T1, T1 + 60 * DAY, copy_attributed, &at), CR_OK);
        assert_int_equal(at.n, 6);
        /* by kind, date, partnership, post */
        assert_string_equal(at.kind[0], "leads");
        assert_int_equal(at.a[0].post_id, p2);
        assert_int_equal(at.a[0].secondary, 1);
        assert_string_equal(at.kind[1], "orders");
        assert_string_equal(at.method[1], "code");
        assert_int_equal(at.a[1].post_id, p1);
        assert_int_equal(at.a[1].value_minor, 5000);
        assert_string_equal(at.method[2], "landing_utm");
        assert_int_equal(at.a[2].post_id, p2);
        assert_int_equal(at.a[2].value_minor, 3000);
        assert_string_equal(at.kind[3], "sessions");
        assert_int_equal(at.a[3].post_id, 0);
        assert_int_equal(at.a[3].partnership_id, pa);
        assert_int_equal(at.a[3].units, 10);
        assert_string_equal(at.method[3], "utm");
        assert_int_equal(at.a[4].units, 7);
        assert_int_equal(at.a[4].post_id, 0);
        assert_int_equal(at.a[5].units, 20);
        assert_int_equal(at.a[5].post_id, p2);
        assert_int_equal(at.a[5].seconds, 200);

        memset(&un, 0, sizeof(un));
        assert_int_equal(
            cr_store_unattributed_list(fx->st, T1, T1 + 400 * DAY, copy_unattributed, &un), CR_OK);
        assert_int_equal(un.n, 5);
        assert_true(has_line(&un, "sessions|outside the attribution window|1|5|0"));
        assert_true(has_line(&un, "sessions|unknown utm_content|1|3|0"));
        assert_true(has_line(&un, "sessions|no utm_content|1|4|0"));
        assert_true(has_line(&un, "orders|unknown discount code|1|1|700"));
        assert_true(has_line(&un, "orders|outside the attribution window|1|1|900"));

        memset(&sc, 0, sizeof(sc));
        sc.kind = CR_SCOPE_CAMPAIGN;
        sc.campaign_id = cid;
        sc.since = T1;
        sc.until = T1 + 30 * DAY;
        assert_int_equal(cr_store_kpi_inputs(&in, fx->st, &sc), CR_OK);
        assert_int_equal(in.posts, 2);
        assert_int_equal(in.impressions, 1300);
        assert_int_equal(in.sessions, 37);
        assert_int_equal(in.leads, 1);
        assert_int_equal(in.orders, 2);
        assert_int_equal(in.revenue_minor, 8000);
        assert_int_equal(in.spend_minor, 100000);
    }
}

typedef struct {
    int n;
    char key[4][64], value[4][64];
} settings;

static cr_err copy_setting(const char *k, const char *v, int64_t updated_at, void *payload)
{
    settings *s = payload;

    assert_true(updated_at > 0);
    assert_true(s->n < 4);
    copy_text(s->key[s->n], sizeof(s->key[0]), k);
    copy_text(s->value[s->n], sizeof(s->value[0]), v);
    s->n++;
    return CR_OK;
}

static cr_err
count_export(const char *const *cols, const char *const *vals, size_t n, void *payload)
{
    assert_true(n == 4);
    assert_string_equal(cols[1], "key");
    assert_non_null(vals[1]);
    (*(int *)payload)++;
    return CR_OK;
}

static void test_contract__settings_and_table_export(void **state)
{
    fixture *fx = *state;
    settings s;
    const char *const *tables = cr_store_tables();
    int rows = 0, found = 0, i;

    memset(&s, 0, sizeof(s));
    assert_int_equal(cr_store_setting_get(fx->st, key(fx, "a"), copy_setting, &s), CR_ENOTFOUND);
    assert_int_equal(cr_store_setting_set(fx->st, key(fx, "b"), "two"), CR_OK);
    assert_int_equal(cr_store_setting_set(fx->st, key(fx, "a"), "one"), CR_OK);
    assert_int_equal(cr_store_setting_set(fx->st, key(fx, "a"), "uno"), CR_OK);
    assert_int_equal(cr_store_setting_get(fx->st, key(fx, "a"), copy_setting, &s), CR_OK);
    assert_string_equal(s.value[0], "uno");
    memset(&s, 0, sizeof(s));
    assert_int_equal(cr_store_setting_list(fx->st, fx->tag, copy_setting, &s), CR_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.key[0], key(fx, "a"));
    assert_string_equal(s.key[1], key(fx, "b"));
    assert_int_equal(cr_store_setting_set(fx->st, key(fx, "a"), NULL), CR_OK);
    memset(&s, 0, sizeof(s));
    assert_int_equal(cr_store_setting_list(fx->st, fx->tag, copy_setting, &s), CR_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(cr_store_setting_set(fx->st, "", "x"), CR_EINVALID);

    for (i = 0; tables[i]; i++)
        found += strcmp(tables[i], "setting") == 0;
    assert_int_equal(found, 1);
    assert_int_equal(cr_store_table_export(fx->st, "setting", count_export, &rows), CR_OK);
    assert_true(rows >= 1);
    assert_int_equal(cr_store_table_export(fx->st, "nope", count_export, &rows), CR_ENOTFOUND);
}

static cr_err rec_detail(const cr_recommendation *r, void *payload)
{
    snprintf(payload, 160, "%s", r->detail ? r->detail : "");
    return CR_OK;
}

/* cr_program_recommend_record(): once while undecided (open or escalated), a changed value is a
 * new one, a decided one is not reopened, and inside the caller's transaction it rolls back
 * with it; on every backend (docs/program.md, "Recorded recommendations"). */
static void test_contract__recommend_record_once_while_undecided(void **state)
{
    fixture *fx = *state;
    cr_recommendation r, u;
    char subject[96], detail[160];
    int64_t id1 = 0, id2 = 0, id3 = 0, again = 0, found = -1;
    int created = -1;

    snprintf(subject, sizeof(subject), "instagram/%s.maya", fx->tag);
    memset(&r, 0, sizeof(r));
    r.kind = "forecast";
    r.subject = subject;
    r.value = "reach 100 (80% 50-200)";
    r.detail = "next post";
    r.created_at = 1800000000;
    assert_int_equal(cr_program_recommend_record(&id1, &created, fx->st, &r, "crest test"), CR_OK);
    assert_true(id1 > 0);
    assert_int_equal(created, 1);
    assert_int_equal(cr_store_recommendation_list(fx->st, id1, NULL, rec_detail, detail), CR_OK);
    assert_string_equal(detail, "next post; by crest test");
    assert_int_equal(cr_program_recommend_record(&again, &created, fx->st, &r, "crest test"),
                     CR_OK);
    assert_int_equal(again, id1);
    assert_int_equal(created, 0);
    /* a changed value is a new recommendation; the first stays */
    r.value = "reach 120 (80% 60-240)";
    assert_int_equal(cr_program_recommend_record(&id2, &created, fx->st, &r, NULL), CR_OK);
    assert_true(id2 > id1);
    assert_int_equal(created, 1);
    /* escalated is still undecided: found */
    r.value = "reach 100 (80% 50-200)";
    memset(&u, 0, sizeof(u));
    u.id = id1;
    u.status = "escalated";
    u.escalated_to = "lead@example.com";
    u.updated_at = 1800000100;
    assert_int_equal(cr_store_recommendation_update(fx->st, &u), CR_OK);
    assert_int_equal(cr_program_recommend_record(&again, NULL, fx->st, &r, NULL), CR_OK);
    assert_int_equal(again, id1);
    /* decided: the same recommendation again is a new one */
    u.status = "overridden";
    u.escalated_to = NULL;
    u.decided_by = "lead@example.com";
    u.value = "reach 90";
    assert_int_equal(cr_store_recommendation_update(fx->st, &u), CR_OK);
    assert_int_equal(cr_program_recommend_record(&id3, &created, fx->st, &r, NULL), CR_OK);
    assert_true(id3 > id2);
    assert_int_equal(created, 1);
    /* in the caller's transaction: rolled back with it */
    r.value = "reach 1 (80% 1-2)";
    assert_int_equal(cr_store_begin(fx->st), CR_OK);
    assert_int_equal(cr_store_in_transaction(fx->st), 1);
    assert_int_equal(cr_program_recommend_record(&again, NULL, fx->st, &r, NULL), CR_OK);
    assert_true(again > id3);
    assert_int_equal(cr_store_rollback(fx->st), CR_OK);
    assert_int_equal(cr_store_in_transaction(fx->st), 0);
    assert_int_equal(cr_program_recommend_find(&found, fx->st, &r), CR_OK);
    assert_int_equal(found, 0);
    /* refused: an unknown kind, an empty value */
    r.kind = "horoscope";
    assert_int_equal(cr_program_recommend_record(&again, NULL, fx->st, &r, NULL), CR_EINVALID);
    r.kind = "forecast";
    r.value = "";
    assert_int_equal(cr_program_recommend_record(&again, NULL, fx->st, &r, NULL), CR_EINVALID);
}

int main(int argc, char **argv)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_contract__open_creates_schema),
        cmocka_unit_test(test_contract__open_rejects_bad_urls),
        T(test_contract__open_fails_on_what_is_not_a_store),
        T(test_contract__reopen_keeps_data),
        T(test_contract__creator_upsert_keeps_unknown_fields),
        T(test_contract__creator_upsert_needs_platform_and_handle),
        T(test_contract__creator_find),
        T(test_contract__creator_list_filters),
        T(test_contract__creator_list_order_limit_offset),
        T(test_contract__creator_list_callback_error_stops),
        T(test_contract__snapshot_upsert_is_idempotent),
        T(test_contract__post_upsert_find_and_list_latest_metric),
        T(test_contract__post_upsert_needs_platform_and_id),
        T(test_contract__comment_upsert_is_idempotent),
        T(test_contract__campaign_kpi_partnership_upserts_are_idempotent),
        T(test_contract__campaign_needs_name_and_kpi_needs_code),
        T(test_contract__rollback_leaves_counts_unchanged),
        T(test_contract__discover_cap_keeps_best_relevance),
        T(test_contract__discover_filters_follow_writes),
        T(test_contract__commit_persists),
        T(test_contract__transaction_misuse_is_a_conflict),
        T(test_contract__references_are_enforced),
        T(test_contract__bulk_transaction_commits_and_rolls_back),
        T(test_contract__check_finds_what_a_bulk_transaction_let_through),
        T(test_contract__import_begin_finish_find),
        T(test_contract__creator_stats_sums_latest_metrics),
        T(test_contract__user_upsert_find_and_update),
        T(test_contract__user_upsert_checks_its_fields),
        T(test_contract__session_create_find_delete_purge),
        T(test_contract__session_needs_an_existing_user),
        T(test_contract__track_attribution_and_rollups),
        T(test_contract__settings_and_table_export),
        T(test_contract__recommend_record_once_while_undecided),
    };
#undef T

    if (argc > 1 && strcmp(argv[1], "pg") == 0) {
        const char *pg = getenv("CR_TEST_PG_URL");
        if (pg == NULL || *pg == '\0') {
            fprintf(stderr, "store.contract.pg: no PostgreSQL test database (CR_TEST_PG_URL)\n");
            return 77;
        }
        if (empty_pg_database(pg) < 0)
            return 1;
        setenv("CR_TEST_STORE_URL", pg, 1);
        return cmocka_run_group_tests_name("store.contract.pg", tests, NULL, NULL);
    }
    return cmocka_run_group_tests_name("store.contract", tests, NULL, NULL);
}
