/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * server.c - libmicrohttpd glue, following ulfius's per-request lifecycle. The first call of
 * the access handler allocates the request state into *req_cls; later calls append the
 * upload up to HTTP_MAX_BODY (413 past that); the final call matches the route, parses the
 * JSON body when the route wants one, runs the handler and maps its cr_err through the error
 * table. MHD_OPTION_NOTIFY_COMPLETED writes the access log line and frees everything.
 *
 * Uploads (ROUTE_F_UPLOAD) never sit in memory: a text/csv body goes to a temp file as it
 * comes; a multipart/form-data body goes through MHD's post processor, which hands over the
 * part named "file" in chunks (written to the temp file) and the small fields (kept in an
 * http_form). Both count the raw body against HTTP_MAX_UPLOAD.
 *
 * Threads: MHD runs one worker per core (epoll each, keep-alive). cr_store is not
 * thread-safe, so each worker opens its own store on first use (a pthread key); the key's
 * destructor closes it when the worker exits at shutdown. The main thread only waits for
 * SIGTERM/SIGINT.
 *
 * Caches (server/cache.h, --cache-ttl): the GET routes flagged ROUTE_F_CACHE keep their 200
 * answers, keyed by path, query and the caller's role (and user, on routes a creator may
 * use), and validated sessions are kept by token hash. Both are dropped at once by a
 * generation counter that every state-changing request bumps after its handler ran, and
 * that a commit by another process bumps too: on SQLite the server keeps one read-only
 * connection and reads PRAGMA data_version on it before a cache is used (the value changes
 * when any other connection, this server's stores included, committed). The TTL bounds what
 * that cannot see (another process writing to PostgreSQL). */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "server/cache.h"
#include "server/server.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"

#define SHUTDOWN_GRACE_MS 5000
#define WATCH_INTERVAL_MS 1.0 /* PRAGMA data_version at most this often (see watch_changes) */

typedef struct {
    http_req req;
    http_res res;
    char method[16];
    char path[HTTP_MAX_PATH + 1];
    char *body;
    size_t body_cap;
    /* a ROUTE_F_UPLOAD route: the body goes to a temp file instead (fd -1: none) */
    int upload_fd;
    struct MHD_PostProcessor *pp; /* a multipart/form-data upload; NULL otherwise */
    http_form *form;
    size_t max_body;
    size_t raw_len; /* bytes of a multipart body (req.body_len counts its file part) */
    char upload_path[4096];
    char upload_name[200];
    char content_type[128];
    double started;
    /* an error found before routing (413, 414, a bad query); status 0: none */
    int early_status;
    const char *early_field;
    char early_msg[256];
    char early_field_buf[72];
    /* what was sent, for the access log */
    unsigned int status;
    size_t bytes;
    /* a ROUTE_F_CACHE answer: its key (NULL: not cached) and the generation it was made under */
    char *cache_key;
    uint64_t gen;
} conn_state;

/* The server's read-only SQLite connection, only for PRAGMA data_version (see the top). */
typedef struct {
    sqlite3 *db;
    sqlite3_stmt *dv;
    int64_t last;
    int broken; /* it failed: the TTL alone bounds staleness */
} watch_state;

static pthread_key_t store_key;
static http_ratelimit login_limits;
static http_ratelimit login_ip_limits;
static int secure_cookie;
static const char *store_url;
static int access_log = 1;
static pthread_mutex_t stores_mu = PTHREAD_MUTEX_INITIALIZER;
static int stores_open, stores_closed;
static double cache_ttl_ms; /* 0: no caches */
static http_cache resp_cache;
static http_session_cache sess_cache;
static http_generation generation;
static const char *watch_path;       /* the SQLite file; NULL on other backends */
static watch_state *watcher;         /* under watch_mu; NULL: none */
static _Atomic double watch_last_ms; /* when the watcher last looked */
static pthread_mutex_t watch_mu = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void store_release(void *p)
{
    cr_store_free(p);
    pthread_mutex_lock(&stores_mu);
    stores_open--;
    stores_closed++;
    pthread_mutex_unlock(&stores_mu);
}

/* This worker thread's store, opened on first use. */
static cr_err thread_store(cr_store **out)
{
    cr_store *st = pthread_getspecific(store_key);
    cr_err rc;

    if (st == NULL) {
        if ((rc = cr_store_open(&st, store_url)) < 0)
            return rc;
        if (pthread_setspecific(store_key, st) != 0) {
            cr_store_free(st);
            return cr_error_oom();
        }
        pthread_mutex_lock(&stores_mu);
        stores_open++;
        pthread_mutex_unlock(&stores_mu);
    }
    *out = st;
    return CR_OK;
}

static void watch_release(watch_state *w)
{
    if (w == NULL)
        return;
    sqlite3_finalize(w->dv);
    sqlite3_close(w->db);
    cr_free(w);
}

/* Read the watcher's data_version into *out; 0 on success. */
static int watch_read(watch_state *w, int64_t *out)
{
    int ok = sqlite3_step(w->dv) == SQLITE_ROW;

    if (ok)
        *out = sqlite3_column_int64(w->dv, 0);
    sqlite3_reset(w->dv);
    return ok ? 0 : -1;
}

/* A watcher of the SQLite file with its data_version as of now; NULL when out of memory. */
static watch_state *watch_open(void)
{
    watch_state *w = cr_calloc(1, sizeof(*w));

    if (w == NULL)
        return NULL;
    if (sqlite3_open_v2(watch_path, &w->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(w->db, "PRAGMA data_version", -1, &w->dv, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(w->db, 1000) != SQLITE_OK || watch_read(w, &w->last) < 0)
        w->broken = 1;
    return w;
}

/* Bump the generation when another connection committed to the SQLite file since the last
 * look. One watcher for the server, opened (and its first value read) before anything was
 * answered, so every commit since is seen, and seen once: a watcher per worker would see each
 * commit once per worker and drop the caches that many times. A look is a read transaction
 * (file locks: a few microseconds, a fifth of a cached answer's time when every request
 * looked), so it is taken at most once per WATCH_INTERVAL_MS: a commit of another process
 * shows within that, which no client of a dashboard can tell from at once. A watcher that
 * fails bumps once, and from then on the caches live by the TTL alone. */
static void watch_changes(void)
{
    double now = now_ms();
    int64_t v;

    if (watcher == NULL ||
        now - atomic_load_explicit(&watch_last_ms, memory_order_relaxed) < WATCH_INTERVAL_MS)
        return;
    pthread_mutex_lock(&watch_mu);
    if (!watcher->broken && now - atomic_load(&watch_last_ms) >= WATCH_INTERVAL_MS) {
        atomic_store(&watch_last_ms, now);
        if (watch_read(watcher, &v) < 0) {
            watcher->broken = 1;
            http_generation_bump(&generation);
        } else if (v != watcher->last) {
            watcher->last = v;
            http_generation_bump(&generation);
        }
    }
    pthread_mutex_unlock(&watch_mu);
}

static void early_error(conn_state *cs, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void early_error(conn_state *cs, int status, const char *field, const char *fmt, ...)
{
    va_list ap;

    if (cs->early_status)
        return; /* the first problem is the one reported */
    cs->early_status = status;
    if (field) {
        snprintf(cs->early_field_buf, sizeof(cs->early_field_buf), "%s", field);
        cs->early_field = cs->early_field_buf;
    }
    va_start(ap, fmt);
    vsnprintf(cs->early_msg, sizeof(cs->early_msg), fmt, ap);
    va_end(ap);
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    conn_state *cs = cls;
    http_query_arg *q;

    (void)kind;
    if (key == NULL)
        return MHD_YES;
    if (value == NULL)
        value = "";
    if (cs->req.nquery >= HTTP_MAX_QUERY) {
        early_error(cs, 400, NULL, "too many query parameters (at most %d)", HTTP_MAX_QUERY);
        return MHD_NO;
    }
    if (strlen(key) > 64) {
        early_error(cs, 400, NULL, "query parameter name longer than 64 bytes");
        return MHD_NO;
    }
    if (strlen(value) > HTTP_MAX_QUERY_LEN) {
        early_error(cs, 400, key, "%s: longer than %d bytes", key, HTTP_MAX_QUERY_LEN);
        return MHD_NO;
    }
    q = &cs->req.query[cs->req.nquery];
    if ((q->name = cr_strdup(key)) == NULL || (q->value = cr_strdup(value)) == NULL) {
        cr_free(q->name);
        q->name = NULL;
        early_error(cs, 503, NULL, "out of memory");
        return MHD_NO;
    }
    cs->req.nquery++;
    return MHD_YES;
}

/* The last path component of [p, stop), without control characters. */
static void keep_basename(char *out, size_t size, const char *p, const char *stop)
{
    const char *base = p;
    size_t n = 0;

    for (; p < stop; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    for (; base < stop && n + 1 < size; base++)
        if ((unsigned char)*base >= 0x20 && *base != 0x7f)
            out[n++] = *base;
    out[n] = '\0';
}

/* The file name of a Content-Disposition header (filename="x.csv"), without directories or
 * control characters; "" when there is none. */
static void disposition_filename(char *out, size_t size, const char *h)
{
    const char *p = h ? strstr(h, "filename=") : NULL, *base;
    char end = ';';

    out[0] = '\0';
    if (p == NULL)
        return;
    p += strlen("filename=");
    if (*p == '"') {
        end = '"';
        p++;
    }
    for (base = p; *p && *p != end && !(end == ';' && *p == ' '); p++)
        ;
    keep_basename(out, size, base, p);
}

/* Write to the upload's temp file; 0 on success, else an early 503. */
static int upload_write(conn_state *cs, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(cs->upload_fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            early_error(cs, 503, NULL, "cannot write the upload to a temp file: %s",
                        strerror(errno));
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

static void form_error(http_form *f, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first problem with the form's fields, for the handler to report. */
static void form_error(http_form *f, const char *field, const char *fmt, ...)
{
    va_list ap;

    if (f->error[0])
        return;
    snprintf(f->error_field, sizeof(f->error_field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(f->error, sizeof(f->error), fmt, ap);
    va_end(ap);
}

/* Append a chunk of a field's value (off: where it goes); *seen counts the field's parts. */
static void form_value(http_form *f,
                       char *dst,
                       int *seen,
                       const char *key,
                       const char *data,
                       uint64_t off,
                       size_t size)
{
    size_t have = strlen(dst);

    if (off == 0 && (*seen)++) {
        form_error(f, key, "%s: given twice", key);
        return;
    }
    if (off != have || have + size >= HTTP_FORM_VALUE) {
        form_error(f, key, "%s: longer than %d bytes", key, HTTP_FORM_VALUE - 1);
        return;
    }
    memcpy(dst + have, data, size);
    dst[have + size] = '\0';
}

/* MHD's post processor hands over each part of a multipart body in chunks: "file" goes to the
 * temp file, the fields into cs->form; anything else is a form error. Only a failure to write
 * stops the processor (MHD_NO); a form error lets the body be read to its end. */
static enum MHD_Result form_part(void *cls,
                                 enum MHD_ValueKind kind,
                                 const char *key,
                                 const char *filename,
                                 const char *content_type,
                                 const char *transfer_encoding,
                                 const char *data,
                                 uint64_t off,
                                 size_t size)
{
    conn_state *cs = cls;
    http_form *f = cs->form;
    int map_new = 0;

    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    if (key == NULL || f->error[0])
        return MHD_YES;
    if (strcmp(key, "file") == 0) {
        if (off == 0 && f->has_file++) {
            form_error(f, "file", "file: send one file per request");
            return MHD_YES;
        }
        if (off == 0 && filename)
            keep_basename(cs->upload_name, sizeof(cs->upload_name), filename,
                          filename + strlen(filename));
        cs->req.body_len += size;
        return size == 0 || upload_write(cs, data, size) == 0 ? MHD_YES : MHD_NO;
    }
    if (strcmp(key, "creator") == 0)
        form_value(f, f->creator, &f->has_creator, key, data, off, size);
    else if (strcmp(key, "captured_at") == 0)
        form_value(f, f->captured_at, &f->has_captured_at, key, data, off, size);
    else if (strcmp(key, "partial") == 0)
        form_value(f, f->partial, &f->has_partial, key, data, off, size);
    else if (strcmp(key, "map") == 0) {
        if (off == 0 && f->nmaps == HTTP_FORM_MAPS) {
            form_error(f, "map", "map: more than %d map fields", HTTP_FORM_MAPS);
            return MHD_YES;
        }
        if (off == 0)
            f->nmaps++;
        if (f->nmaps > 0)
            form_value(f, f->maps[f->nmaps - 1], &map_new, key, data, off, size);
    } else
        form_error(f, key,
                   "unknown form field '%.40s': expected file, creator, captured_at, "
                   "map or partial",
                   key);
    return MHD_YES;
}

int http_media_type_is(const char *ct, const char *type)
{
    size_t n = strlen(type);

    return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* A request for a ROUTE_F_UPLOAD route gets a temp file for its body and the larger limit;
 * a Content-Length over that limit is refused before any byte is read. */
static void upload_prepare(struct MHD_Connection *conn, conn_state *cs)
{
    const http_route *route;
    http_param params[HTTP_MAX_PARAMS];
    size_t nparams;
    char allow[64];
    const char *tmp = getenv("TMPDIR"), *len, *ct;

    cs->upload_fd = -1;
    cs->max_body = HTTP_MAX_BODY;
    if (http_router_find(&route, params, &nparams, allow, sizeof(allow), http_routes, cs->method,
                         cs->path) != HTTP_MATCH_OK ||
        !(route->flags & ROUTE_F_UPLOAD))
        return;
    cs->max_body = HTTP_MAX_UPLOAD;
    ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    snprintf(cs->content_type, sizeof(cs->content_type), "%s", ct ? ct : "");
    disposition_filename(
        cs->upload_name, sizeof(cs->upload_name),
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_DISPOSITION));
    cs->req.content_type = cs->content_type;
    cs->req.upload_name = cs->upload_name;
    len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (len && strtoull(len, NULL, 10) > HTTP_MAX_UPLOAD) {
        early_error(cs, 413, NULL, "request body larger than %d bytes", HTTP_MAX_UPLOAD);
        return;
    }
    snprintf(cs->upload_path, sizeof(cs->upload_path), "%s/crest-upload-XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    if ((cs->upload_fd = mkstemp(cs->upload_path)) < 0) {
        early_error(cs, 503, NULL, "cannot create a temp file for the upload: %s", strerror(errno));
        cs->upload_path[0] = '\0';
        return;
    }
    cs->req.upload_path = cs->upload_path;
    if (!http_media_type_is(cs->content_type, "multipart/form-data"))
        return;
    /* the Content-Disposition of a multipart body is the file part's */
    cs->upload_name[0] = '\0';
    if ((cs->form = cr_calloc(1, sizeof(*cs->form))) == NULL) {
        early_error(cs, 503, NULL, "out of memory");
        return;
    }
    cs->req.form = cs->form;
    if ((cs->pp = MHD_create_post_processor(conn, 64 * 1024, form_part, cs)) == NULL)
        early_error(cs, 400, NULL,
                    "Content-Type multipart/form-data needs a boundary parameter (found '%s')",
                    cs->content_type);
}

/* The peer's address as text ("" when unknown): the key of the per-address login limiter.
 * Behind --tls-proxy every peer is the proxy, so there the last address of X-Forwarded-For
 * counts: the one the proxy itself appended (nginx's $proxy_add_x_forwarded_for), which a
 * client cannot forge; what a client sent in the header comes before it. */
static void client_address(char *out, size_t size, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    const char *xff = secure_cookie
                          ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For")
                          : NULL;

    out[0] = '\0';
    if (xff && *xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ' || *last == '\t')
            last++;
        keep_basename(out, size, last, last + strcspn(last, " \t"));
        if (out[0])
            return;
    }
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
}

static conn_state *conn_state_new(struct MHD_Connection *conn, const char *url, const char *method)
{
    conn_state *cs = cr_calloc(1, sizeof(*cs));

    if (cs == NULL)
        return NULL;
    cs->upload_fd = -1;
    cs->max_body = HTTP_MAX_BODY;
    cs->started = now_ms();
    cs->req.method = cs->method;
    cs->req.path = cs->path;
    cs->req.body = "";
    snprintf(cs->method, sizeof(cs->method), "%s", method);
    if (strlen(url) > HTTP_MAX_PATH) {
        snprintf(cs->path, sizeof(cs->path), "%.*s...", 64, url);
        early_error(cs, 414, NULL, "path longer than %d bytes", HTTP_MAX_PATH);
        return cs;
    }
    snprintf(cs->path, sizeof(cs->path), "%s", url);
    client_address(cs->req.client_ip, sizeof(cs->req.client_ip), conn);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, cs);
    upload_prepare(conn, cs);
    return cs;
}

static void conn_state_free(conn_state *cs)
{
    size_t i;

    for (i = 0; i < cs->req.nquery; i++) {
        cr_free(cs->req.query[i].name);
        cr_free(cs->req.query[i].value);
    }
    json_decref(cs->req.json);
    json_decref(cs->res.body);
    if (cs->pp)
        MHD_destroy_post_processor(cs->pp);
    cr_free(cs->form);
    if (cs->upload_fd >= 0)
        close(cs->upload_fd);
    if (cs->upload_path[0])
        unlink(cs->upload_path);
    cr_free(cs->body);
    cr_free(cs->cache_key);
    cr_free(cs);
}

static void append_body(conn_state *cs, const char *data, size_t len)
{
    size_t need = cs->req.body_len + len + 1;

    if (cs->early_status)
        return;
    if ((cs->pp ? cs->raw_len : cs->req.body_len) + len > cs->max_body) {
        early_error(cs, 413, NULL, "request body larger than %zu bytes", cs->max_body);
        return;
    }
    if (cs->pp) {
        /* body_len counts the raw body here; the file part's bytes are what is imported */
        cs->raw_len += len;
        if (MHD_post_process(cs->pp, data, len) != MHD_YES)
            early_error(cs, 400, NULL, "malformed multipart/form-data body");
        return;
    }
    if (cs->upload_fd >= 0) {
        if (upload_write(cs, data, len) == 0)
            cs->req.body_len += len;
        return;
    }
    if (need > cs->body_cap) {
        size_t cap = cs->body_cap ? cs->body_cap * 2 : 4096;
        char *p;
        while (cap < need)
            cap *= 2;
        if ((p = cr_realloc(cs->body, cap)) == NULL) {
            early_error(cs, 503, NULL, "out of memory");
            return;
        }
        cs->body = p;
        cs->body_cap = cap;
    }
    memcpy(cs->body + cs->req.body_len, data, len);
    cs->req.body_len += len;
    cs->body[cs->req.body_len] = '\0';
    cs->req.body = cs->body;
}

/* libmicrohttpd is done with a response body: drop its reference. */
static void body_done(void *cls)
{
    http_cache_body_release(cls);
}

static enum MHD_Result send_json(
    struct MHD_Connection *conn, conn_state *cs, unsigned int status, json_t *j, const char *allow)
{
    static const char oom[] = "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of "
                              "memory\",\"field\":null}}\n";
    const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10);
    struct MHD_Response *r = NULL;
    size_t size = j ? json_dumpb(j, NULL, 0, flags) : 0;
    http_cache_body *b = size ? http_cache_body_new(size + 1) : NULL;
    enum MHD_Result ret;

    if (b && json_dumpb(j, b->data, size, flags) == size) {
        b->data[size] = '\n';
        r = MHD_create_response_from_buffer_with_free_callback_cls(size + 1, b->data, body_done, b);
        if (r != NULL && status == MHD_HTTP_OK && cs->cache_key) {
            http_cache_put(&resp_cache, cs->cache_key, cs->gen, now_ms(), b);
        }
        if (r == NULL)
            http_cache_body_release(b);
    } else {
        http_cache_body_release(b);
    }
    if (r == NULL) {
        status = MHD_HTTP_SERVICE_UNAVAILABLE;
        size = sizeof(oom) - 2;
        r = MHD_create_response_from_buffer(sizeof(oom) - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
        if (r == NULL)
            return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (cs->cache_key)
        MHD_add_response_header(r, "X-Cache", "miss");
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    if (cs->res.set_cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cs->res.set_cookie);
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    cs->status = status;
    cs->bytes = size + 1;
    return ret;
}

/* A cached answer: the same bytes, shared (a reference is held until the send ends). */
static enum MHD_Result
send_cached(struct MHD_Connection *conn, conn_state *cs, http_cache_body *b, double age_ms)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    char age[24];

    r = MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data, body_done, b);
    if (r == NULL) {
        http_cache_body_release(b);
        return MHD_NO;
    }
    snprintf(age, sizeof(age), "%.0f", floor(age_ms / 1000));
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, MHD_HTTP_HEADER_AGE, age);
    MHD_add_response_header(r, "X-Cache", "hit");
    ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    cs->status = MHD_HTTP_OK;
    cs->bytes = b->len;
    return ret;
}

/* An embedded file of web/: its bytes as they are (persistent memory, never copied). The
 * policy allows this origin's scripts and styles only, so the app works with no network. */
static enum MHD_Result send_asset(struct MHD_Connection *conn, conn_state *cs, const http_asset *a)
{
    struct MHD_Response *r;
    enum MHD_Result ret;

    r = MHD_create_response_from_buffer(a->size, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                            "base-uri 'none'; frame-ancestors 'none'");
    ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    cs->status = MHD_HTTP_OK;
    cs->bytes = a->size;
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn,
                                  conn_state *cs,
                                  unsigned int status,
                                  const char *code,
                                  const char *message,
                                  const char *field,
                                  const char *allow)
{
    json_t *j = http_error_json(code, message, field);
    enum MHD_Result ret = send_json(conn, cs, status, j, allow);

    json_decref(j);
    return ret;
}

static const char *early_code(int status)
{
    switch (status) {
    case 413:
        return "payload_too_large";
    case 414:
        return "uri_too_long";
    case 503:
        return "out_of_memory";
    default:
        return "invalid";
    }
}

/* The session's user goes into the request, its CSRF token and expiry into the entry that
 * the session cache keeps (borrowed rows). */
static cr_err session_found(const cr_session *s, void *payload)
{
    http_session_entry *e = payload;

    snprintf(e->email, sizeof(e->email), "%s", s->email ? s->email : "");
    snprintf(e->role, sizeof(e->role), "%s", s->role ? s->role : "");
    e->user_id = s->user_id;
    snprintf(e->csrf, sizeof(e->csrf), "%s", s->csrf ? s->csrf : "");
    e->expires_at = s->expires_at;
    return CR_OK;
}

/* The session of token_hash into e: from the session cache when it holds it under the current
 * generation, else from the store (and then kept). */
static cr_err session_lookup(http_session_entry *e, conn_state *cs, int64_t now)
{
    cr_err rc;

    if (cache_ttl_ms > 0 && http_session_cache_get(&sess_cache, e, cs->req.token_hash, cs->gen,
                                                   now_ms(), cache_ttl_ms, now))
        return CR_OK;
    memset(e, 0, sizeof(*e));
    if ((rc = thread_store(&cs->req.store)) < 0)
        return rc;
    if ((rc = cr_store_session_find(cs->req.store, cs->req.token_hash, now, session_found, e)) < 0)
        return rc;
    if (cache_ttl_ms > 0) {
        snprintf(e->token_hash, sizeof(e->token_hash), "%s", cs->req.token_hash);
        e->made_ms = now_ms();
        e->gen = cs->gen;
        http_session_cache_put(&sess_cache, e);
    }
    return CR_OK;
}

/* The session of a request that is not on a public route: its cookie's token, hashed, names
 * a live session (else 401); a state-changing request carries that session's CSRF token in
 * X-CSRF-Token (else 403); the route serves the session's role (else 403). Returns 0 when the
 * request may go on, else the status, with code and message set. */
static unsigned int authorize(struct MHD_Connection *conn,
                              conn_state *cs,
                              const http_route *route,
                              const char **code,
                              char *msg,
                              size_t msg_size)
{
    const char *cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
    const char *sent = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
    const char *csrf;
    char token[80];
    http_session_entry e;
    cr_err rc;

    if (!http_cookie_get(token, sizeof(token), cookie, HTTP_SESSION_COOKIE) || token[0] == '\0') {
        *code = "unauthorized";
        snprintf(msg, msg_size, "log in first: POST /api/v1/login");
        return MHD_HTTP_UNAUTHORIZED;
    }
    http_token_hash(cs->req.token_hash, token);
    rc = session_lookup(&e, cs, cr_now());
    if (rc == CR_ENOTFOUND) {
        cs->req.token_hash[0] = '\0';
        *code = "unauthorized";
        snprintf(msg, msg_size, "the session expired or was ended: log in again");
        return MHD_HTTP_UNAUTHORIZED;
    }
    if (rc < 0)
        goto store_error;
    snprintf(cs->req.user_email, sizeof(cs->req.user_email), "%s", e.email);
    snprintf(cs->req.user_role, sizeof(cs->req.user_role), "%s", e.role);
    cs->req.user_id = e.user_id;
    csrf = e.csrf;
    if (strcmp(cs->method, "GET") != 0 && strcmp(cs->method, "HEAD") != 0 &&
        (sent == NULL || strlen(sent) != strlen(csrf) ||
         sodium_memcmp(sent, csrf, strlen(csrf)) != 0)) {
        *code = "forbidden";
        snprintf(msg, msg_size, "%s needs the X-CSRF-Token header the login answered with",
                 cs->method);
        return MHD_HTTP_FORBIDDEN;
    }
    if (!(route->roles & http_role_bit(cs->req.user_role))) {
        *code = "forbidden";
        snprintf(msg, msg_size, "the %s role may not use %s %s", cs->req.user_role, route->method,
                 route->pattern);
        return MHD_HTTP_FORBIDDEN;
    }
    return 0;
store_error:
    *code = cr_err_slug(rc);
    snprintf(msg, msg_size, "%s",
             cr_error_last() && cr_error_last()->code == rc ? cr_error_last()->message
                                                            : "the store failed");
    return (unsigned int)cr_err_http_status(rc);
}

static int method_reads(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* The key of a ROUTE_F_CACHE answer into cs->cache_key: the caller's role, the user on routes
 * a creator may use (their answers may be about that account), the path and the query as
 * sent, each part length-prefixed so that no value can pass for another part. */
static void cache_key_make(conn_state *cs, const http_route *route)
{
    cr_str k;
    size_t i;
    cr_err rc;

    cr_str_init(&k, 0);
    rc = cr_str_printf(&k, "%zu:%s|%lld|%zu:%s", strlen(cs->req.user_role), cs->req.user_role,
                       (route->roles & HTTP_ROLE_CREATOR) ? (long long)cs->req.user_id : 0LL,
                       strlen(cs->path), cs->path);
    for (i = 0; rc >= 0 && i < cs->req.nquery; i++)
        rc = cr_str_printf(&k, "|%zu:%s=%zu:%s", strlen(cs->req.query[i].name),
                           cs->req.query[i].name, strlen(cs->req.query[i].value),
                           cs->req.query[i].value);
    if (rc >= 0)
        cs->cache_key = cr_str_detach(&k);
    cr_str_dispose(&k);
}

/* A browser's request made by another site's page (Fetch Metadata). The session cookie is
 * SameSite=Strict and every other write needs X-CSRF-Token; this also keeps another site from
 * posting a login form (login CSRF: the victim logged in as the attacker). Clients that are not
 * browsers do not send the header. */
static int cross_site(struct MHD_Connection *conn)
{
    const char *s = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");

    return s != NULL && strcasecmp(s, "cross-site") == 0;
}

/* MHD's unescaping of the path and of query values, except that a %00 stays as it is: decoded,
 * it would cut the C string there ("/assets/app.js%00.txt" served /assets/app.js). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    const char *p;

    (void)cls;
    (void)conn;
    for (p = s; (p = strchr(p, '%')) != NULL; p++)
        if (p[1] == '0' && p[2] == '0')
            return strlen(s);
    return MHD_http_unescape(s);
}

/* The final call: route, parse, handle, answer. */
static enum MHD_Result respond(struct MHD_Connection *conn, conn_state *cs)
{
    const http_route *route;
    char allow[64], msg[300];
    http_match m;
    json_error_t jerr;
    const cr_error *e;
    size_t i;
    cr_err rc;

    if (cs->pp) {
        /* MHD_NO: the body ended inside a part (no closing boundary) */
        if (MHD_destroy_post_processor(cs->pp) != MHD_YES)
            early_error(cs, 400, NULL,
                        "malformed multipart/form-data body: it ends before its closing boundary");
        cs->pp = NULL;
    }
    if (cs->upload_fd >= 0) {
        if (close(cs->upload_fd) != 0)
            early_error(cs, 503, NULL, "cannot write the upload to a temp file: %s",
                        strerror(errno));
        cs->upload_fd = -1;
    }
    if (cs->early_status)
        return send_error(conn, cs, (unsigned int)cs->early_status, early_code(cs->early_status),
                          cs->early_msg, cs->early_field, NULL);
    m = http_router_find(&route, cs->req.params, &cs->req.nparams, allow, sizeof(allow),
                         http_routes, cs->method, cs->path);
    if (m == HTTP_MATCH_NO_PATH) {
        snprintf(msg, sizeof(msg), "no route %.200s", cs->path);
        return send_error(conn, cs, MHD_HTTP_NOT_FOUND, "not_found", msg, NULL, NULL);
    }
    if (m == HTTP_MATCH_NO_METHOD) {
        snprintf(msg, sizeof(msg), "%s is not allowed on %.200s; allowed: %s", cs->method, cs->path,
                 allow);
        return send_error(conn, cs, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", msg, NULL,
                          allow);
    }
    if (!method_reads(cs->method) && cross_site(conn))
        return send_error(conn, cs, MHD_HTTP_FORBIDDEN, "forbidden",
                          "a cross-site request may not change anything (Sec-Fetch-Site: "
                          "cross-site)",
                          NULL, NULL);
    if (cache_ttl_ms > 0 && !(route->flags & ROUTE_F_PUBLIC)) {
        /* what the caches hold is checked against this generation */
        watch_changes();
        cs->gen = http_generation_get(&generation);
    }
    if (!(route->flags & ROUTE_F_PUBLIC)) {
        const char *code = NULL;
        unsigned int status = authorize(conn, cs, route, &code, msg, sizeof(msg));
        if (status)
            return send_error(conn, cs, status, code, msg, NULL, NULL);
    }
    cs->req.limits = &login_limits;
    cs->req.ip_limits = &login_ip_limits;
    cs->req.secure_cookie = secure_cookie;
    for (i = 0; i < cs->req.nquery; i++)
        if (!http_route_takes(route, cs->req.query[i].name)) {
            snprintf(msg, sizeof(msg), "unknown query parameter '%s'%s%s", cs->req.query[i].name,
                     route->query ? "; expected one of " : " (this route takes none)",
                     route->query ? route->query : "");
            return send_error(conn, cs, MHD_HTTP_BAD_REQUEST, "invalid", msg, cs->req.query[i].name,
                              NULL);
        }
    if (cache_ttl_ms > 0 && (route->flags & ROUTE_F_CACHE) && !(route->flags & ROUTE_F_PUBLIC) &&
        method_reads(cs->method)) {
        http_cache_body *b;
        double age = 0;
        cache_key_make(cs, route);
        if (cs->cache_key && (b = http_cache_get(&resp_cache, cs->cache_key, cs->gen, now_ms(),
                                                 cache_ttl_ms, &age)) != NULL)
            return send_cached(conn, cs, b, age);
    }
    if (route->flags & ROUTE_F_JSON_BODY) {
        cs->req.json = json_loadb(cs->req.body, cs->req.body_len, JSON_REJECT_DUPLICATES, &jerr);
        if (cs->req.json == NULL) {
            snprintf(msg, sizeof(msg), "malformed JSON body: %s (line %d, column %d)", jerr.text,
                     jerr.line, jerr.column);
            return send_error(conn, cs, MHD_HTTP_BAD_REQUEST, "invalid", msg, NULL, NULL);
        }
        if (!json_is_object(cs->req.json))
            return send_error(conn, cs, MHD_HTTP_BAD_REQUEST, "invalid",
                              "the body must be a JSON object", NULL, NULL);
    }
    cr_error_clear();
    rc = CR_OK;
    if ((route->flags & ROUTE_F_STORE) && cs->req.store == NULL)
        rc = thread_store(&cs->req.store);
    if (rc == CR_OK)
        rc = route->handle(&cs->req, &cs->res);
    /* whatever it changed is seen by the next request (the answer goes out after this) */
    if (!method_reads(cs->method))
        http_generation_bump(&generation);
    if (rc >= 0 && cs->res.asset)
        return send_asset(conn, cs, cs->res.asset);
    if (rc >= 0 && cs->res.body)
        return send_json(conn, cs, cs->res.status ? (unsigned int)cs->res.status : MHD_HTTP_OK,
                         cs->res.body, NULL);
    if (rc >= 0)
        rc = cr_error_set(CR_ERROR, CR_ERRCLASS_NONE, "the handler gave no response");
    e = cr_error_last();
    return send_error(conn, cs,
                      cs->res.status ? (unsigned int)cs->res.status
                                     : (unsigned int)cr_err_http_status(rc),
                      cs->res.code ? cs->res.code : cr_err_slug(rc),
                      e && e->code == rc ? e->message : "unexpected error", cs->res.field, NULL);
}

static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *conn,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size,
                                  void **req_cls)
{
    conn_state *cs = *req_cls;

    (void)cls;
    (void)version;
    if (cs == NULL) {
        if ((cs = conn_state_new(conn, url, method)) == NULL)
            return MHD_NO;
        *req_cls = cs;
        return MHD_YES;
    }
    if (*upload_data_size) {
        append_body(cs, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return respond(conn, cs);
}

/* One access log line, written with one write(2): no stdio lock shared by the workers, and
 * lines of two workers never interleave (a pipe or file append of this size is atomic). */
static void log_line(const conn_state *cs)
{
    char line[HTTP_MAX_PATH + 128];
    int n;

    if (cs->status)
        n = snprintf(line, sizeof(line), "%s %s %u %zu %.1fms\n", cs->method, cs->path, cs->status,
                     cs->bytes, now_ms() - cs->started);
    else
        n = snprintf(line, sizeof(line), "%s %s - 0 %.1fms (connection closed)\n", cs->method,
                     cs->path, now_ms() - cs->started);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(line)) {
        n = (int)sizeof(line) - 1;
        line[n - 1] = '\n';
    }
    while (write(STDERR_FILENO, line, (size_t)n) < 0 && errno == EINTR)
        ;
}

static void on_completed(void *cls,
                         struct MHD_Connection *conn,
                         void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn_state *cs = *req_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (cs == NULL)
        return;
    if (access_log)
        log_line(cs);
    conn_state_free(cs);
    *req_cls = NULL;
}

static unsigned int open_connections(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

    return info ? info->num_connections : 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* One worker per online core: a request is CPU work from end to end (the store is local or
 * a round trip away), so more workers would only take turns. */
static unsigned int worker_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > HTTP_MAX_THREADS ? HTTP_MAX_THREADS : (unsigned int)n;
}

int http_serve(const http_serve_opts *o)
{
    struct sockaddr_in sa4;
    struct sockaddr_in6 sa6;
    struct sockaddr *sa;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    unsigned int flags =
        MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_TURBO;
    unsigned int threads = worker_count();
    unsigned int idle = o->idle_timeout ? o->idle_timeout : (unsigned int)HTTP_CONN_TIMEOUT;
    sigset_t sigs;
    MHD_socket lfd;
    int sig = 0, waited, rc = 1, key_made = 0;
    char host[80];

    store_url = o->db_url;
    access_log = !o->quiet;
    secure_cookie = o->tls_proxy;
    cache_ttl_ms = o->cache_ttl > 0 ? o->cache_ttl * 1000 : 0;
    watch_path = o->sqlite_path;
    if (sodium_init() < 0) {
        fprintf(stderr, "crest serve: libsodium failed to initialise\n");
        return 1;
    }
    if (http_cache_init(&resp_cache, HTTP_CACHE_ENTRIES, HTTP_CACHE_BYTES) < 0) {
        fprintf(stderr, "crest serve: out of memory\n");
        return 1;
    }
    http_session_cache_init(&sess_cache);
    http_ratelimit_init(&login_limits);
    http_ratelimit_init_max(&login_ip_limits, HTTP_LOGIN_IP_MAX_FAILS);
    if (pthread_key_create(&store_key, store_release) != 0) {
        fprintf(stderr, "crest serve: cannot create the per-thread store key\n");
        goto done;
    }
    key_made = 1;
    if (watch_path && cache_ttl_ms > 0 && (watcher = watch_open()) == NULL) {
        fprintf(stderr, "crest serve: out of memory\n");
        goto done;
    }
    memset(&sa4, 0, sizeof(sa4));
    memset(&sa6, 0, sizeof(sa6));
    if (o->listen.ipv6) {
        sa6.sin6_family = AF_INET6;
        sa6.sin6_port = htons(o->listen.port);
        memcpy(&sa6.sin6_addr, o->listen.addr, 16);
        sa = (struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
        snprintf(host, sizeof(host), "[%s]", o->listen.host);
    } else {
        sa4.sin_family = AF_INET;
        sa4.sin_port = htons(o->listen.port);
        memcpy(&sa4.sin_addr, o->listen.addr, 4);
        sa = (struct sockaddr *)&sa4;
        snprintf(host, sizeof(host), "%s", o->listen.host);
    }
    /* the workers inherit this mask, so only sigwait() below sees the signals */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = MHD_start_daemon(flags, o->listen.port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
                         sa, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, idle,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
                         MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr,
                "crest serve: cannot listen on %s:%u (in use, or not an address of this "
                "machine)\n",
                host, (unsigned int)o->listen.port);
        goto done;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, "listening on http://%s:%u\n", host,
            info ? (unsigned int)info->port : (unsigned int)o->listen.port);
    fflush(stderr);
    /* after the mask: the sender thread inherits it and leaves the signals to sigwait() */
    if (http_outreach_runner_start(o->db_url, &o->outreach, access_log) < 0)
        fprintf(stderr, "crest serve: cannot start the outreach sender thread\n");
    while (sigwait(&sigs, &sig) != 0)
        ;
    fprintf(stderr, "crest serve: %s, finishing open requests\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    http_outreach_runner_stop(); /* a run under way finishes first */
    lfd = MHD_quiesce_daemon(d); /* stop accepting; requests under way go on */
    for (waited = 0; open_connections(d) > 0 && waited < SHUTDOWN_GRACE_MS; waited += 20)
        sleep_ms(20);
    MHD_stop_daemon(d); /* joins the workers, whose stores the key destructor closes */
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    if (cache_ttl_ms > 0)
        fprintf(stderr, "crest serve: response cache: %llu hits, %llu misses\n",
                (unsigned long long)resp_cache.hits, (unsigned long long)resp_cache.misses);
    fprintf(stderr, "crest serve: stopped (%d store connection%s closed)\n", stores_closed,
            stores_closed == 1 ? "" : "s");
    rc = 0;
done:
    if (key_made)
        pthread_key_delete(store_key);
    watch_release(watcher);
    watcher = NULL;
    http_ratelimit_dispose(&login_limits);
    http_ratelimit_dispose(&login_ip_limits);
    http_session_cache_dispose(&sess_cache);
    http_cache_dispose(&resp_cache);
    return rc;
}
