/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * fuzz_http_request.c - libFuzzer harness of whole HTTP requests against the real server:
 * `crest serve`'s http_serve() runs in this process on a loopback port over a demo workspace
 * in a temporary directory, and each input is written to a new connection as the raw bytes
 * of one request (request line, query string, headers with their cookies, a JSON, CSV or
 * multipart/form-data body: everything libmicrohttpd and crest's handlers read). The answer
 * is read to its end. Crashes, sanitizer reports and leaks in the server's threads are
 * findings like in any harness.
 *
 * Inputs reach the authenticated routes too: the harness logs an admin in once, and the
 * placeholders @SESSION@ and @CSRF@ in an input are replaced by that session's cookie value
 * and CSRF token before it is sent (the seeds in corpus/http_request/ use them).
 * CR_FUZZ_HTTP_SHOW=1 prints each answer's status line.
 * An answer is awaited for 5 s at most (0.2 s when the input has no end of its header
 * section: the server keeps such a connection until its idle timeout). */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crest/crest.h"
#include "server/listen.h"
#include "server/server.h"
#include "util/alloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PASSWORD "fuzz-admin-password"

static http_serve_opts opts;
static char db_url[512], db_path[512];
static uint16_t port;
static char session[128], csrf[128];

static void *serve_thread(void *arg)
{
    (void)arg;
    http_serve(&opts);
    return NULL;
}

static int connect_server(int complete)
{
    struct sockaddr_in sa;
    /* an incomplete request gets no answer before the server's idle timeout (30 s): do not
     * wait for one beyond a moment */
    struct timeval tv = { complete ? 5 : 0, complete ? 0 : 200 * 1000 };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send the request, close our side, read the answer into ans (NUL-terminated, cut at
 * ans_size - 1 bytes; the rest is read and dropped). */
/* the Content-Length of a header section (NUL-terminated), -1 without one */
static long content_length(const char *head)
{
    const char *p = head;

    while ((p = strchr(p, '\n')) != NULL) {
        p++;
        if (strncasecmp(p, "Content-Length:", 15) == 0)
            return strtol(p + 15, NULL, 10);
    }
    return -1;
}

/* Send the request, close our side, read the answer into ans (NUL-terminated, cut at
 * ans_size - 1 bytes). Reading stops at the end of the answer's body as its Content-Length
 * gives it: the server keeps an HTTP/1.1 connection open for the next request. */
static void exchange(const char *req, size_t len, char *ans, size_t ans_size)
{
    size_t off = 0, got = 0, hgot = 0, total = 0, hend = 0;
    long clen = -1;
    ssize_t n;
    char buf[4096], head[16384];
    int fd = connect_server(memmem(req, len, "\r\n\r\n", 4) != NULL ||
                            memmem(req, len, "\n\n", 2) != NULL);

    if (ans_size > 0)
        ans[0] = '\0';
    if (fd < 0)
        return;
    while (off < len) {
        n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        size_t take = got + 1 < ans_size ? ans_size - 1 - got : 0;
        if (take > (size_t)n)
            take = (size_t)n;
        memcpy(ans + got, buf, take);
        got += take;
        if (ans_size > 0)
            ans[got] = '\0';
        take = hgot + 1 < sizeof(head) ? sizeof(head) - 1 - hgot : 0;
        if (take > (size_t)n)
            take = (size_t)n;
        memcpy(head + hgot, buf, take);
        hgot += take;
        head[hgot] = '\0';
        total += (size_t)n;
        if (hend == 0) {
            const char *e = strstr(head, "\r\n\r\n");
            if (e != NULL) {
                hend = (size_t)(e - head) + 4;
                clen = content_length(head);
            }
        }
        if (hend > 0 && clen >= 0 && total >= hend + (size_t)clen)
            break;
    }
    close(fd);
}

static uint16_t free_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    uint16_t p = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        p = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return p;
}

/* the value after `key` in text up to one of the stop characters */
static void pick(char *out, size_t size, const char *text, const char *key, const char *stops)
{
    const char *p = strstr(text, key);
    size_t n;

    out[0] = '\0';
    if (p == NULL)
        return;
    p += strlen(key);
    n = strcspn(p, stops);
    if (n >= size)
        n = size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

static void die(const char *what)
{
    fprintf(stderr, "fuzz_http_request: %s\n", what);
    exit(1);
}

static void make_store(void)
{
    char dir[] = "/tmp/crest-fuzz-http.XXXXXX", hash[crypto_pwhash_STRBYTES];
    cr_store *st = NULL;
    cr_demo_summary sum;
    cr_demo_options dopts = CR_DEMO_OPTIONS_INIT;
    cr_user u;
    int64_t id;

    if (mkdtemp(dir) == NULL)
        die("cannot make a temporary directory");
    snprintf(db_path, sizeof(db_path), "%s/fuzz.db", dir);
    snprintf(db_url, sizeof(db_url), "sqlite:%s", db_path);
    if (sodium_init() < 0 || cr_store_open(&st, db_url) < 0)
        die("cannot open the store");
    if (cr_demo_generate(&sum, st, &dopts) < 0)
        die("cannot generate the demo workspace");
    if (crypto_pwhash_str(hash, PASSWORD, strlen(PASSWORD), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        die("cannot hash the password");
    memset(&u, 0, sizeof(u));
    u.email = "fuzz@example.com";
    u.role = "admin";
    u.password_hash = hash;
    if (cr_store_user_upsert(&id, st, &u) < 0)
        die("cannot add the admin");
    cr_store_free(st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char body[] = "{\"email\":\"fuzz@example.com\",\"password\":\"" PASSWORD "\"}";
    struct timespec pause = { 0, 20 * 1000 * 1000 };
    pthread_t t;
    sigset_t sigs;
    char req[512], ans[8192], addr[64];
    int i, fd = -1;

    (void)argc;
    (void)argv;
    make_store();
    if ((port = free_port()) == 0)
        die("no free loopback port");
    snprintf(addr, sizeof(addr), "127.0.0.1:%u", (unsigned int)port);
    if (http_listen_parse(&opts.listen, addr) < 0)
        die("bad listen address");
    opts.db_url = db_url;
    opts.quiet = 1;
    opts.cache_ttl = 5;
    opts.sqlite_path = db_path;
    /* SIGINT/SIGTERM stay with libFuzzer's thread: the server's sigwait() never sees them */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    if (pthread_create(&t, NULL, serve_thread, NULL) != 0)
        die("cannot start the server thread");
    pthread_detach(t);
    pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
    for (i = 0; i < 500 && (fd = connect_server(1)) < 0; i++)
        nanosleep(&pause, NULL);
    if (fd < 0)
        die("the server did not start listening");
    close(fd);
    snprintf(req, sizeof(req),
             "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
             "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
             strlen(body), body);
    exchange(req, strlen(req), ans, sizeof(ans));
    pick(session, sizeof(session), ans, "crest_session=", ";\r\n");
    pick(csrf, sizeof(csrf), ans, "\"csrf\": \"", "\"");
    if (session[0] == '\0' || csrf[0] == '\0')
        die("the login gave no session");
    return 0;
}

/* the input with @SESSION@ and @CSRF@ replaced */
static char *expand(const uint8_t *data, size_t size, size_t *len)
{
    size_t i, o = 0, cap = size * 4 + 1;
    char *out = cr_malloc(cap);

    if (out == NULL)
        return NULL;
    for (i = 0; i < size;) {
        const char *with = NULL;
        size_t skip = 0;
        if (size - i >= 9 && memcmp(data + i, "@SESSION@", 9) == 0)
            with = session, skip = 9;
        else if (size - i >= 6 && memcmp(data + i, "@CSRF@", 6) == 0)
            with = csrf, skip = 6;
        if (with != NULL && o + strlen(with) < cap) {
            memcpy(out + o, with, strlen(with));
            o += strlen(with);
            i += skip;
        } else if (o + 1 < cap) {
            out[o++] = (char)data[i++];
        } else {
            break;
        }
    }
    out[o] = '\0';
    *len = o;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char ans[1024];
    size_t len;
    char *req;

    if (size > 256 * 1024)
        return 0;
    if ((req = expand(data, size, &len)) == NULL)
        return 0;
    exchange(req, len, ans, sizeof(ans));
    if (getenv("CR_FUZZ_HTTP_SHOW") != NULL) /* e.g. to see what the seeds get */
        fprintf(stderr, "answer: %s\n", ans);
    /* 500 is crest's answer to a failure of its own (a store error, out of memory): no
     * input may cause one. libmicrohttpd's 505 (HTTP version) and crest's 503 (busy) are
     * proper answers to some inputs. */
    if (strncmp(ans, "HTTP/1.", 7) == 0 && strncmp(ans + 8, " 500", 4) == 0) {
        fprintf(stderr, "fuzz_http_request: a 500 answer: %.200s\n", ans);
        abort();
    }
    cr_free(req);
    return 0;
}
