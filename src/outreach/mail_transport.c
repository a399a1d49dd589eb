/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail_transport.c - delivering formatted messages: into a Maildir folder (the embedded
 * default, readable by any mail client) or to an SMTP server through libcurl.
 *
 * Maildir follows the spec at cr.yp.to/proto/maildir.html: the message is written to tmp/
 * under a name unique to this host, process and moment, fsync'd, renamed into new/, and new/
 * is fsync'd; lines are stored with LF ends as Maildir readers expect, after a Return-Path and
 * a Delivered-To line that record the envelope. SMTP keeps one libcurl handle per transport,
 * so consecutive sends reuse the connection. Credentials are copied from the options, handed
 * to libcurl only, and never written into an error message: a URL with a user:password part is
 * refused (the message shows it with that part cut out). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "outreach/mail_int.h"
#include "util/alloc.h"

enum { T_MAILDIR, T_SMTP };

struct cr_mail_transport {
    int kind;
    char *dir;   /* maildir */
    char *url;   /* smtp: as given (no credentials), plus the EHLO name */
    char *shown; /* smtp: the URL for messages */
    char *user, *password, *ca_file;
    CURL *curl;
    unsigned long counter; /* maildir: deliveries by this handle, part of the unique name */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_OK;

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_ALL);
}

cr_err cr_mail__curl_init(void)
{
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK)
        return cr_error_set(CR_ERROR, CR_ERRCLASS_OS, "libcurl: %s",
                            curl_easy_strerror(curl_init_rc));
    return CR_OK;
}

void cr_mail_transport_free(cr_mail_transport *t)
{
    if (t == NULL)
        return;
    if (t->curl != NULL)
        curl_easy_cleanup(t->curl);
    cr_free(t->dir);
    cr_free(t->url);
    cr_free(t->shown);
    cr_free(t->user);
    if (t->password != NULL) {
        sodium_memzero(t->password, strlen(t->password));
        cr_free(t->password);
    }
    cr_free(t->ca_file);
    cr_free(t);
}

const char *cr_mail_transport_kind(const cr_mail_transport *t)
{
    return t != NULL && t->kind == T_SMTP ? "smtp" : "maildir";
}

/* mkdir -p with mode 0700 for the directories it creates. */
static cr_err mkdir_p(const char *path)
{
    char buf[4096];
    size_t i, n = strlen(path);

    if (n == 0 || n >= sizeof(buf))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_OS, "maildir: path empty or too long");
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: %s", buf, strerror(errno));
        buf[i] = i == n ? '\0' : '/';
    }
    return CR_OK;
}

static cr_err open_maildir(cr_mail_transport *t, const char *path)
{
    static const char *const subs[] = { "tmp", "new", "cur" };
    char sub[4096 + 8];
    size_t i;
    cr_err rc;
    struct stat sb;

    if ((rc = mkdir_p(path)) < 0)
        return rc;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: not a directory", path);
    for (i = 0; i < 3; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", path, subs[i]);
        if (mkdir(sub, 0700) != 0 && errno != EEXIST)
            return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: %s", sub, strerror(errno));
    }
    if ((t->dir = cr_strdup(path)) == NULL)
        return cr_error_oom();
    return CR_OK;
}

static cr_err
open_smtp(cr_mail_transport *t, const char *url, const char *rest, const cr_mail_transport_opts *o)
{
    size_t i, n = strlen(url);
    const char *host = rest + 2;
    int tls = cr_mail__after_scheme(url, "smtps") != NULL;
    char *u = NULL;
    CURLcode cc = CURLE_OK;

    if (strncmp(rest, "//", 2) != 0 || *host == '\0' || *host == '/' || *host == ':')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "smtp URL: expected smtp://host[:port] or smtps://host[:port]");
    for (i = 0; i < n; i++)
        if ((unsigned char)url[i] <= 32 || (unsigned char)url[i] >= 127 || url[i] == '?' ||
            url[i] == '#')
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "smtp URL: spaces, '?', '#' and non-ASCII are not allowed");
    if (strchr(host, '@') != NULL) {
        const char *at = strrchr(host, '@');
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "smtp URL %.*s//...@%s: give the user and password as options, not "
                            "in the URL",
                            (int)(rest - url), url, at + 1);
    }
    if (o->helo != NULL) {
        for (i = 0; o->helo[i] != '\0'; i++)
            if (!((o->helo[i] >= 'a' && o->helo[i] <= 'z') ||
                  (o->helo[i] >= 'A' && o->helo[i] <= 'Z') ||
                  (o->helo[i] >= '0' && o->helo[i] <= '9') || o->helo[i] == '.' ||
                  o->helo[i] == '-'))
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "smtp helo: a host name such as mail.example.com");
    }
    if ((t->shown = cr_strdup(url)) == NULL)
        return cr_error_oom();
    /* libcurl takes the EHLO name from the URL's path */
    {
        size_t need = n + (o->helo != NULL ? strlen(o->helo) : 0) + 2;
        const char *slash = strchr(host, '/');
        if ((u = cr_malloc(need)) == NULL)
            return cr_error_oom();
        if (o->helo != NULL)
            snprintf(u, need, "%.*s/%s", (int)(slash != NULL ? (size_t)(slash - url) : n), url,
                     o->helo);
        else
            snprintf(u, need, "%s", url);
        t->url = u;
    }
    if ((o->user != NULL && (t->user = cr_strdup(o->user)) == NULL) ||
        (o->password != NULL && (t->password = cr_strdup(o->password)) == NULL) ||
        (o->ca_file != NULL && (t->ca_file = cr_strdup(o->ca_file)) == NULL))
        return cr_error_oom();
    if (cr_mail__curl_init() < 0)
        return CR_ERROR;
    if ((t->curl = curl_easy_init()) == NULL)
        return cr_error_oom();
    {
        long timeout = o->timeout_ms > 0 ? o->timeout_ms : 30000;
        if ((cc = curl_easy_setopt(t->curl, CURLOPT_URL, t->url)) != CURLE_OK ||
            (cc = curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps")) != CURLE_OK ||
            (cc = curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
            (cc = curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout)) != CURLE_OK ||
            (cc = curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS, timeout)) != CURLE_OK ||
            (cc = curl_easy_setopt(t->curl, CURLOPT_UPLOAD, 1L)) != CURLE_OK ||
            (cc = curl_easy_setopt(t->curl, CURLOPT_USE_SSL,
                                   tls || o->require_tls ? (long)CURLUSESSL_ALL
                                                         : (long)CURLUSESSL_TRY)) != CURLE_OK)
            goto curl_failed;
        if (t->user != NULL &&
            ((cc = curl_easy_setopt(t->curl, CURLOPT_USERNAME, t->user)) != CURLE_OK ||
             (cc = curl_easy_setopt(t->curl, CURLOPT_PASSWORD,
                                    t->password != NULL ? t->password : "")) != CURLE_OK))
            goto curl_failed;
        if (o->insecure &&
            ((cc = curl_easy_setopt(t->curl, CURLOPT_SSL_VERIFYPEER, 0L)) != CURLE_OK ||
             (cc = curl_easy_setopt(t->curl, CURLOPT_SSL_VERIFYHOST, 0L)) != CURLE_OK))
            goto curl_failed;
        if (t->ca_file != NULL &&
            (cc = curl_easy_setopt(t->curl, CURLOPT_CAINFO, t->ca_file)) != CURLE_OK)
            goto curl_failed;
    }
    return CR_OK;
curl_failed:
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_OS, "smtp %s: %s", t->shown,
                        curl_easy_strerror(cc));
}

cr_err
cr_mail_transport_open(cr_mail_transport **out, const char *url, const cr_mail_transport_opts *opts)
{
    cr_mail_transport_opts none = CR_MAIL_TRANSPORT_OPTS_INIT;
    cr_mail_transport *t = NULL;
    const char *rest;
    cr_err rc;

    *out = NULL;
    if (opts == NULL)
        opts = &none;
    if (url == NULL || opts->version != CR_MAIL_TRANSPORT_OPTS_VERSION)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "mail transport: missing URL");
    if ((t = cr_calloc(1, sizeof(*t))) == NULL)
        return cr_error_oom();
    if ((rest = cr_mail__after_scheme(url, "maildir")) != NULL) {
        t->kind = T_MAILDIR;
        rc = open_maildir(t, rest);
    } else if ((rest = cr_mail__after_scheme(url, "smtp")) != NULL ||
               (rest = cr_mail__after_scheme(url, "smtps")) != NULL) {
        t->kind = T_SMTP;
        rc = open_smtp(t, url, rest, opts);
    } else {
        const char *colon = strchr(url, ':');
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "mail transport %.*s: expected maildir:/path, smtp://host[:port] or "
                          "smtps://host[:port]",
                          colon != NULL ? (int)(colon - url) : 0, url);
    }
    if (rc < 0) {
        cr_mail_transport_free(t);
        return rc;
    }
    *out = t;
    return CR_OK;
}

static int envelope_ok(const char *a, int allow_empty)
{
    size_t i, n = strlen(a);

    if (n == 0)
        return allow_empty;
    if (n > 254 || strchr(a, '@') == NULL)
        return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)a[i] <= 32 || (unsigned char)a[i] >= 127 || a[i] == '<' || a[i] == '>')
            return 0;
    return 1;
}

static cr_err write_all(int fd, const char *p, size_t n, const char *path)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: %s", path, strerror(errno));
        p += w;
        n -= (size_t)w;
    }
    return CR_OK;
}

/* "1733550000.M123456P4242Q3R0123abcd.host": time, microseconds, pid, a per-handle counter
 * and 32 random bits, so two deliveries in one microsecond still differ (Maildir spec). */
static void unique_name(char *buf, size_t size, cr_mail_transport *t)
{
    struct timespec ts;
    char host[256], clean[256 * 4];
    size_t i, o = 0;

    clock_gettime(CLOCK_REALTIME, &ts);
    if (gethostname(host, sizeof(host)) != 0)
        snprintf(host, sizeof(host), "localhost");
    host[sizeof(host) - 1] = '\0';
    for (i = 0; host[i] != '\0' && o + 5 < sizeof(clean); i++) {
        if (host[i] == '/')
            o += (size_t)snprintf(clean + o, sizeof(clean) - o, "\\057");
        else if (host[i] == ':')
            o += (size_t)snprintf(clean + o, sizeof(clean) - o, "\\072");
        else
            clean[o++] = host[i];
    }
    clean[o] = '\0';
    snprintf(buf, size, "%lld.M%06ldP%ldQ%luR%08x.%s", (long long)ts.tv_sec, ts.tv_nsec / 1000,
             (long)getpid(), ++t->counter, (unsigned)randombytes_random(), clean);
}

static cr_err maildir_send(
    cr_mail_transport *t, const char *env_from, const char *rcpt, const char *data, size_t len)
{
    char name[1200], tmp[4096 + 1300], dst[4096 + 1300], newdir[4096 + 8];
    char head[700];
    int fd = -1, hn;
    size_t i, start;
    cr_err rc = CR_OK;

    unique_name(name, sizeof(name), t);
    snprintf(tmp, sizeof(tmp), "%s/tmp/%s", t->dir, name);
    snprintf(dst, sizeof(dst), "%s/new/%s", t->dir, name);
    snprintf(newdir, sizeof(newdir), "%s/new", t->dir);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: %s", tmp, strerror(errno));
    hn = snprintf(head, sizeof(head), "Return-Path: <%s>\nDelivered-To: %s\n", env_from, rcpt);
    if ((rc = write_all(fd, head, (size_t)hn, tmp)) < 0)
        goto fail;
    /* CRLF -> LF, in runs */
    for (i = 0, start = 0; i < len; i++) {
        if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') {
            if ((rc = write_all(fd, data + start, i - start, tmp)) < 0)
                goto fail;
            start = i + 1;
        }
    }
    if ((rc = write_all(fd, data + start, len - start, tmp)) < 0)
        goto fail;
    if (fsync(fd) != 0) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: fsync: %s", tmp, strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: %s", tmp, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, dst) != 0) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "maildir %s: %s", dst, strerror(errno));
        goto fail;
    }
    if ((fd = open(newdir, O_RDONLY)) >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    return CR_OK;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return rc;
}

typedef struct {
    const char *p;
    size_t left;
} upload;

static size_t upload_read(char *buf, size_t size, size_t nitems, void *userdata)
{
    upload *u = userdata;
    size_t n = size * nitems;

    if (n > u->left)
        n = u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

static cr_err smtp_send(
    cr_mail_transport *t, const char *env_from, const char *rcpt, const char *data, size_t len)
{
    char from[300], to[300], errbuf[CURL_ERROR_SIZE];
    struct curl_slist *rcpts = NULL;
    upload u = { data, len };
    CURLcode cc;
    cr_err rc = CR_OK;

    snprintf(from, sizeof(from), "<%s>", env_from);
    snprintf(to, sizeof(to), "<%s>", rcpt);
    if ((rcpts = curl_slist_append(NULL, to)) == NULL)
        return cr_error_oom();
    errbuf[0] = '\0';
    if ((cc = curl_easy_setopt(t->curl, CURLOPT_MAIL_FROM, from)) != CURLE_OK ||
        (cc = curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, rcpts)) != CURLE_OK ||
        (cc = curl_easy_setopt(t->curl, CURLOPT_READFUNCTION, upload_read)) != CURLE_OK ||
        (cc = curl_easy_setopt(t->curl, CURLOPT_READDATA, &u)) != CURLE_OK ||
        (cc = curl_easy_setopt(t->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len)) != CURLE_OK ||
        (cc = curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, errbuf)) != CURLE_OK)
        goto done;
    cc = curl_easy_perform(t->curl);
done:
    if (cc == CURLE_LOGIN_DENIED)
        rc = cr_error_set(CR_EAUTH, CR_ERRCLASS_OS, "smtp %s: the server refused the login",
                          t->shown);
    else if (cc == CURLE_USE_SSL_FAILED)
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS,
                          "smtp %s: TLS is required but the server does not offer STARTTLS",
                          t->shown);
    else if (cc != CURLE_OK)
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "smtp %s: %s%s%s", t->shown,
                          curl_easy_strerror(cc), errbuf[0] != '\0' ? ": " : "", errbuf);
    curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, NULL);
    curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, NULL);
    curl_slist_free_all(rcpts);
    return rc;
}

cr_err cr_mail_transport_send(
    cr_mail_transport *t, const char *env_from, const char *rcpt, const char *data, size_t len)
{
    if (t == NULL || data == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "mail transport: nothing to send");
    if (env_from == NULL || !envelope_ok(env_from, 1))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "envelope sender: a bare address such as name@example.com");
    if (rcpt == NULL || !envelope_ok(rcpt, 0))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "envelope recipient: a bare address such as name@example.com");
    return t->kind == T_SMTP ? smtp_send(t, env_from, rcpt, data, len)
                             : maildir_send(t, env_from, rcpt, data, len);
}
