/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail_read.c - replies and bounces read back from a Maildir or an mbox. A message is split
 * into its header block and body (LF or CRLF); headers are unfolded and looked up by name,
 * the first occurrence wins; Subject and From are RFC 2047 decoded (UTF-8, US-ASCII and
 * ISO-8859-1/Windows-1252 charsets; bytes that are still not UTF-8 become "?").
 *
 * The body is walked through its MIME parts (at most 8 levels, 256 parts) to find the first
 * text/plain part (else text/html, tags stripped) for the excerpt, and, in a bounce, the
 * message/delivery-status part (Final-Recipient) and the returned message's headers
 * (message/rfc822 or text/rfc822-headers) for its Message-ID. Classification, first match wins:
 * bounce (multipart/report; report-type=delivery-status, X-Failed-Recipients, or From
 * MAILER-DAEMON/postmaster), auto-reply (Auto-Submitted other than "no", X-Autoreply,
 * X-Autorespond, Precedence auto_reply/bulk/junk, or an "Auto:"/"Automatic reply"/"Out of
 * office" subject), else a reply. Nothing here trusts lengths in the input: every scan is
 * bounded by the buffer, which is what tests/fuzz/fuzz_mail.c exercises. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outreach/mail_int.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/text.h"

#define READ_MAX_FILE  ((size_t)64 << 20) /* a larger file is read up to this size */
#define READ_MAX_DEPTH 8
#define READ_MAX_PARTS 256
#define READ_EXCERPT   500
#define READ_FIELD_MAX ((size_t)64 << 10)

enum {
    F_MESSAGE_ID,
    F_IN_REPLY_TO,
    F_REFERENCES,
    F_FROM,
    F_FROM_ADDR,
    F_SUBJECT,
    F_DATE,
    F_AUTO_SUBMITTED,
    F_FAILED,
    F_ORIG_ID,
    F_EXCERPT,
    F_SOURCE,
    F_COUNT
};

/* The public struct first, so that cr_mail_incoming_free() can cast back. */
typedef struct {
    cr_mail_incoming pub;
    char *s[F_COUNT];
} incoming;

/* A header block [p, p + n) and what follows it. */
typedef struct {
    const char *hdr;
    size_t hlen;
    const char *body;
    size_t blen;
} split_msg;

/* What walking the MIME parts found. */
typedef struct {
    cr_str text, html, failed, orig_id;
    int is_dsn;
    int parts;
} walk_state;

const char *cr_mail_kind_name(cr_mail_kind kind)
{
    switch (kind) {
    case CR_MAIL_BOUNCE:
        return "bounce";
    case CR_MAIL_AUTO_REPLY:
        return "auto_reply";
    case CR_MAIL_REPLY:
    default:
        return "reply";
    }
}

static const char *memmem_ci(const char *h, size_t hn, const char *needle)
{
    size_t n = strlen(needle), i;

    if (n == 0 || hn < n)
        return NULL;
    for (i = 0; i + n <= hn; i++)
        if (cr_mail__ncaseeq(h + i, needle, n))
            return h + i;
    return NULL;
}

/* The end of the line starting at p (the index of its '\n', or n) */
static size_t line_end(const char *p, size_t n, size_t at)
{
    const char *nl = memchr(p + at, '\n', n - at);
    return nl == NULL ? n : (size_t)(nl - p);
}

static int line_is_blank(const char *p, size_t start, size_t end)
{
    return end == start || (end == start + 1 && p[start] == '\r');
}

static void split_message(split_msg *out, const char *p, size_t n)
{
    size_t at = 0;

    out->hdr = p;
    while (at < n) {
        size_t e = line_end(p, n, at);
        if (line_is_blank(p, at, e)) {
            out->hlen = at;
            out->body = e < n ? p + e + 1 : p + n;
            out->blen = e < n ? n - e - 1 : 0;
            return;
        }
        at = e < n ? e + 1 : n;
    }
    out->hlen = n;
    out->body = p + n;
    out->blen = 0;
}

/* The unfolded value of the first `name` header in the block, trimmed; 0 when absent. */
static int header_get(cr_str *out, const char *h, size_t hn, const char *name)
{
    size_t nl = strlen(name), at = 0;

    cr_str_clear(out);
    while (at < hn) {
        size_t e = line_end(h, hn, at);
        if (e - at > nl && h[at + nl] == ':' && cr_mail__ncaseeq(h + at, name, nl)) {
            size_t v = at + nl + 1;
            for (;;) {
                size_t end = e;
                if (end > v && h[end - 1] == '\r')
                    end--;
                if (end > v && out->len < READ_FIELD_MAX && cr_str_put(out, h + v, end - v) < 0)
                    return -1;
                if (e >= hn || e + 1 >= hn || (h[e + 1] != ' ' && h[e + 1] != '\t'))
                    break;
                v = e + 1;
                e = line_end(h, hn, v);
            }
            /* trim, and turn control characters into spaces */
            if (out->ptr != NULL) {
                size_t i, s = 0, len = out->len;
                for (i = 0; i < len; i++)
                    if ((unsigned char)out->ptr[i] < 32 || out->ptr[i] == 127)
                        out->ptr[i] = ' ';
                while (s < len && out->ptr[s] == ' ')
                    s++;
                while (len > s && out->ptr[len - 1] == ' ')
                    len--;
                memmove(out->ptr, out->ptr + s, len - s);
                out->len = len - s;
                out->ptr[out->len] = '\0';
            }
            return 1;
        }
        at = e < hn ? e + 1 : hn;
    }
    return 0;
}

/* Append s[0..n) in `charset` as UTF-8: Latin-1 and Windows-1252 are widened (as Latin-1),
 * anything else is copied; sanitize() cleans what is still not UTF-8 afterwards. */
static cr_err put_charset(cr_str *out, const char *s, size_t n, const char *charset, size_t cl)
{
    size_t i;
    cr_err rc;

    if ((cl == 10 && cr_mail__ncaseeq(charset, "iso-8859-1", 10)) ||
        (cl == 12 && cr_mail__ncaseeq(charset, "windows-1252", 12)) ||
        (cl == 6 && cr_mail__ncaseeq(charset, "latin1", 6))) {
        for (i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 128)
                rc = cr_str_putc(out, (char)c);
            else if ((rc = cr_str_putc(out, (char)(0xC0 | (c >> 6)))) == CR_OK)
                rc = cr_str_putc(out, (char)(0x80 | (c & 63)));
            if (rc < 0)
                return rc;
        }
        return CR_OK;
    }
    return cr_str_put(out, s, n);
}

/* Replace every byte that does not start a valid UTF-8 sequence with '?', in place. */
static void sanitize(cr_str *s)
{
    size_t i = 0;

    while (i < s->len) {
        unsigned char c = (unsigned char)s->ptr[i];
        size_t k = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (c == 0) {
            s->ptr[i++] = '?';
            continue;
        }
        if (k == 0 || i + k > s->len || !cr_utf8_valid(s->ptr + i, k)) {
            s->ptr[i++] = '?';
            continue;
        }
        i += k;
    }
}

static int is_b64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

cr_err cr_mail__unbase64(cr_str *out, const char *s, size_t n)
{
    unsigned acc = 0;
    int bits = 0;
    size_t i;
    cr_err rc;

    for (i = 0; i < n; i++) {
        char c = s[i];
        unsigned v;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (!is_b64(c))
            break;
        v = c >= 'A' && c <= 'Z'   ? (unsigned)(c - 'A')
            : c >= 'a' && c <= 'z' ? (unsigned)(c - 'a' + 26)
            : c >= '0' && c <= '9' ? (unsigned)(c - '0' + 52)
            : c == '+'             ? 62u
                                   : 63u;
        acc = (acc << 6 | v) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if ((rc = cr_str_putc(out, (char)((acc >> bits) & 0xFF))) < 0)
                return rc;
        }
    }
    return CR_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

cr_err cr_mail__unqp(cr_str *out, const char *s, size_t n, int underscore_space)
{
    size_t i = 0;
    cr_err rc;

    while (i < n) {
        char c = s[i];
        if (c == '=' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            i += 2; /* soft line break */
            if (s[i - 1] == '\r' && i < n && s[i] == '\n')
                i++;
            continue;
        }
        if (c == '=' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            rc = cr_str_putc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 3;
        } else if (c == '_' && underscore_space) {
            rc = cr_str_putc(out, ' ');
            i++;
        } else {
            rc = cr_str_putc(out, c);
            i++;
        }
        if (rc < 0)
            return rc;
    }
    return CR_OK;
}

/* One encoded-word at s ("=?cs?X?text?="): decoded onto out; its length, or 0 if s does not
 * start a well-formed one. */
static size_t decode_word(cr_str *out, const char *s, size_t n, cr_err *rc)
{
    const char *cs, *q1, *q2, *end;
    cr_str raw;

    *rc = CR_OK;
    if (n < 8 || s[0] != '=' || s[1] != '?')
        return 0;
    cs = s + 2;
    q1 = memchr(cs, '?', n - 2);
    if (q1 == NULL || q1 == cs || (size_t)(q1 - s) + 3 >= n || q1[2] != '?')
        return 0;
    q2 = q1 + 2;
    end = q2 + 1;
    while ((size_t)(end - s) + 1 < n && !(end[0] == '?' && end[1] == '='))
        end++;
    if ((size_t)(end - s) + 1 >= n)
        return 0;
    cr_str_init(&raw, READ_FIELD_MAX);
    if (q1[1] == 'B' || q1[1] == 'b')
        *rc = cr_mail__unbase64(&raw, q2 + 1, (size_t)(end - q2 - 1));
    else if (q1[1] == 'Q' || q1[1] == 'q')
        *rc = cr_mail__unqp(&raw, q2 + 1, (size_t)(end - q2 - 1), 1);
    else {
        cr_str_dispose(&raw);
        return 0;
    }
    if (*rc == CR_OK && raw.len > 0) {
        /* "utf-8*lang": drop an RFC 2231 language suffix */
        const char *star = memchr(cs, '*', (size_t)(q1 - cs));
        size_t cl = (size_t)((star != NULL ? star : q1) - cs);
        *rc = put_charset(out, raw.ptr, raw.len, cs, cl);
    }
    cr_str_dispose(&raw);
    return *rc < 0 ? 0 : (size_t)(end - s) + 2;
}

/* RFC 2047: encoded-words decoded, the whitespace between two of them dropped. */
static cr_err decode_2047(cr_str *out, const char *s, size_t n)
{
    size_t i = 0, ws = 0, ws_at = 0;
    int last_was_word = 0;
    cr_str word;
    cr_err rc = CR_OK;

    cr_str_clear(out);
    cr_str_init(&word, READ_FIELD_MAX);
    while (i < n && rc == CR_OK) {
        size_t used = 0;
        if (s[i] == ' ' || s[i] == '\t') {
            if (ws == 0)
                ws_at = i;
            ws++;
            i++;
            continue;
        }
        cr_str_clear(&word);
        if (s[i] == '=' && (used = decode_word(&word, s + i, n - i, &rc)) == 0 && rc < 0)
            break;
        /* whitespace is kept unless it separates two encoded-words */
        if (ws > 0 && !(used > 0 && last_was_word) && (rc = cr_str_put(out, s + ws_at, ws)) < 0)
            break;
        ws = 0;
        if (used > 0) {
            if (word.len > 0)
                rc = cr_str_put(out, word.ptr, word.len);
            last_was_word = 1;
            i += used;
        } else {
            rc = cr_str_putc(out, s[i]);
            last_was_word = 0;
            i++;
        }
    }
    if (rc == CR_OK && ws > 0)
        rc = cr_str_put(out, s + ws_at, ws);
    cr_str_dispose(&word);
    return rc;
}

static char *steal(cr_str *s)
{
    char *p;

    if (s->ptr == NULL)
        return cr_strdup("");
    p = cr_str_detach(s);
    return p;
}

/* The first "<...>" token of v, or "" */
static char *first_msgid(const char *v, size_t n)
{
    const char *lt = memchr(v, '<', n), *gt;

    if (lt == NULL)
        return cr_strdup("");
    gt = memchr(lt, '>', n - (size_t)(lt - v));
    if (gt == NULL || gt - lt > 998)
        return cr_strdup("");
    return cr_strndup(lt, (size_t)(gt - lt + 1));
}

/* The parameter `param` of a Content-Type value (quoted or not). */
static int ct_param(cr_str *out, const char *ct, const char *param)
{
    size_t pl = strlen(param);
    const char *p = ct;

    cr_str_clear(out);
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (cr_mail__ncaseeq(p, param, pl) && strlen(p) > pl && p[pl] == '=') {
            const char *v = p + pl + 1, *e;
            if (*v == '"') {
                v++;
                e = strchr(v, '"');
                if (e == NULL)
                    e = v + strlen(v);
            } else {
                e = v;
                while (*e != '\0' && *e != ';' && *e != ' ' && *e != '\t')
                    e++;
            }
            return cr_str_put(out, v, (size_t)(e - v)) < 0 ? -1 : 1;
        }
    }
    return 0;
}

static int ct_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    return cr_mail__ncaseeq(ct, type, n) &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

/* A part's body decoded per its Content-Transfer-Encoding and charset, onto out. */
static cr_err decode_body(cr_str *out, const split_msg *m, const char *ct)
{
    cr_str cte, cs, raw;
    cr_err rc = CR_OK;

    cr_str_init(&cte, 256);
    cr_str_init(&cs, 256);
    cr_str_init(&raw, READ_MAX_FILE);
    if (header_get(&cte, m->hdr, m->hlen, "Content-Transfer-Encoding") < 0 ||
        ct_param(&cs, ct, "charset") < 0) {
        rc = CR_ENOMEM;
        goto done;
    }
    if (cte.len == 6 && cr_mail__ncaseeq(cte.ptr, "base64", 6))
        rc = cr_mail__unbase64(&raw, m->body, m->blen);
    else if (cte.len == 16 && cr_mail__ncaseeq(cte.ptr, "quoted-printable", 16))
        rc = cr_mail__unqp(&raw, m->body, m->blen, 0);
    else
        rc = cr_str_put(&raw, m->body, m->blen);
    if (rc == CR_OK && raw.len > 0)
        rc = put_charset(out, raw.ptr, raw.len, cr_str_cstr(&cs), cs.len);
done:
    cr_str_dispose(&cte);
    cr_str_dispose(&cs);
    cr_str_dispose(&raw);
    return rc;
}

/* "Final-Recipient: rfc822; someone@example.com" lines of a delivery-status body. */
static cr_err dsn_recipients(walk_state *st, const char *b, size_t n)
{
    size_t at = 0;
    cr_err rc;

    while (at < n) {
        size_t e = line_end(b, n, at);
        if (e - at > 16 && cr_mail__ncaseeq(b + at, "Final-Recipient:", 16)) {
            const char *v = b + at + 16, *semi = memchr(v, ';', e - at - 16);
            size_t vl;
            if (semi != NULL)
                v = semi + 1;
            vl = (size_t)(b + e - v);
            while (vl > 0 && (*v == ' ' || *v == '\t')) {
                v++;
                vl--;
            }
            while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            if (vl > 0 && st->failed.len < 4096) {
                if ((st->failed.len > 0 && (rc = cr_str_puts(&st->failed, ", ")) < 0) ||
                    (rc = cr_str_put(&st->failed, v, vl)) < 0)
                    return rc;
            }
        }
        at = e < n ? e + 1 : n;
    }
    return CR_OK;
}

static cr_err walk(walk_state *st, const char *p, size_t n, int depth)
{
    split_msg m;
    cr_str ct, boundary;
    cr_err rc = CR_OK;

    if (depth > READ_MAX_DEPTH || ++st->parts > READ_MAX_PARTS)
        return CR_OK;
    split_message(&m, p, n);
    cr_str_init(&ct, READ_FIELD_MAX);
    cr_str_init(&boundary, 1024);
    if (header_get(&ct, m.hdr, m.hlen, "Content-Type") < 0) {
        rc = CR_ENOMEM;
        goto done;
    }
    if (ct.len == 0 && cr_str_puts(&ct, "text/plain") < 0) {
        rc = CR_ENOMEM;
        goto done;
    }
    if (cr_mail__ncaseeq(ct.ptr, "multipart/", 10)) {
        size_t at = 0, start = 0, bl;
        int in_part = 0;
        if (ct_is(ct.ptr, "multipart/report")) {
            cr_str rt;
            cr_str_init(&rt, 256);
            if (ct_param(&rt, ct.ptr, "report-type") > 0 && rt.len == 15 &&
                cr_mail__ncaseeq(rt.ptr, "delivery-status", 15))
                st->is_dsn = 1;
            cr_str_dispose(&rt);
        }
        if (ct_param(&boundary, ct.ptr, "boundary") <= 0 || boundary.len == 0)
            goto done;
        bl = boundary.len;
        while (at < m.blen) {
            size_t e = line_end(m.body, m.blen, at);
            if (e - at >= bl + 2 && m.body[at] == '-' && m.body[at + 1] == '-' &&
                memcmp(m.body + at + 2, boundary.ptr, bl) == 0) {
                int closing =
                    e - at >= bl + 4 && m.body[at + 2 + bl] == '-' && m.body[at + 3 + bl] == '-';
                if (in_part) {
                    size_t end = at;
                    /* the CRLF before the delimiter belongs to it */
                    if (end > start && m.body[end - 1] == '\n')
                        end--;
                    if (end > start && m.body[end - 1] == '\r')
                        end--;
                    if ((rc = walk(st, m.body + start, end - start, depth + 1)) < 0)
                        goto done;
                }
                if (closing)
                    break;
                in_part = 1;
                start = e < m.blen ? e + 1 : m.blen;
            }
            at = e < m.blen ? e + 1 : m.blen;
        }
    } else if (ct_is(ct.ptr, "message/delivery-status")) {
        st->is_dsn = 1;
        rc = dsn_recipients(st, m.body, m.blen);
    } else if (ct_is(ct.ptr, "message/rfc822") || ct_is(ct.ptr, "text/rfc822-headers")) {
        if (st->orig_id.len == 0) {
            split_msg inner;
            cr_str id;
            split_message(&inner, m.body, m.blen);
            cr_str_init(&id, READ_FIELD_MAX);
            if (header_get(&id, inner.hdr, inner.hlen, "Message-ID") > 0 && id.len > 0) {
                char *first = first_msgid(id.ptr, id.len);
                if (first == NULL || cr_str_puts(&st->orig_id, first) < 0)
                    rc = CR_ENOMEM;
                cr_free(first);
            }
            cr_str_dispose(&id);
        }
    } else if (ct_is(ct.ptr, "text/plain")) {
        if (st->text.len == 0)
            rc = decode_body(&st->text, &m, ct.ptr);
    } else if (ct_is(ct.ptr, "text/html")) {
        if (st->html.len == 0)
            rc = decode_body(&st->html, &m, ct.ptr);
    }
done:
    cr_str_dispose(&ct);
    cr_str_dispose(&boundary);
    return rc;
}

/* Tags and entities of the common kind out; block ends become line breaks. */
static cr_err html_to_text(cr_str *out, const char *h, size_t n)
{
    size_t i = 0;
    cr_err rc = CR_OK;

    while (i < n && rc == CR_OK) {
        if (h[i] == '<') {
            const char *gt = memchr(h + i, '>', n - i);
            size_t tl = gt == NULL ? n - i : (size_t)(gt - h - i) + 1;
            if ((tl >= 3 &&
                 (cr_mail__ncaseeq(h + i, "<br", 3) || cr_mail__ncaseeq(h + i, "<p", 2) ||
                  cr_mail__ncaseeq(h + i, "</p", 3) || cr_mail__ncaseeq(h + i, "<div", 4))))
                rc = cr_str_putc(out, '\n');
            i += tl;
        } else if (h[i] == '&') {
            static const struct {
                const char *ent;
                char c;
            } ents[] = { { "&amp;", '&' },  { "&lt;", '<' },   { "&gt;", '>' },
                         { "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' } };
            size_t k, done = 0;
            for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
                size_t el = strlen(ents[k].ent);
                if (n - i >= el && cr_mail__ncaseeq(h + i, ents[k].ent, el)) {
                    rc = cr_str_putc(out, ents[k].c);
                    i += el;
                    done = 1;
                    break;
                }
            }
            if (!done) {
                rc = cr_str_putc(out, '&');
                i++;
            }
        } else {
            rc = cr_str_putc(out, h[i]);
            i++;
        }
    }
    return rc;
}

/* The first lines a person wrote: quoted lines ("> ...") skipped, stops at the attribution of
 * a quote ("On ... wrote:", "-----Original Message-----"), whitespace folded, 500 bytes. */
static cr_err make_excerpt(cr_str *out, const char *t, size_t n)
{
    size_t at = 0;
    int space = 0;
    cr_err rc;

    while (at < n && out->len < READ_EXCERPT) {
        size_t e = line_end(t, n, at), le = e, i;
        const char *l = t + at;
        while (le > at && (t[le - 1] == '\r' || t[le - 1] == ' '))
            le--;
        if (le - at > 0 && l[0] == '>') {
            at = e < n ? e + 1 : n;
            continue;
        }
        if ((le - at >= 3 && cr_mail__ncaseeq(l, "On ", 3) && le - at >= 6 &&
             cr_mail__ncaseeq(t + le - 6, "wrote:", 6)) ||
            memmem_ci(l, le - at, "-----Original Message-----") != NULL)
            break;
        for (i = at; i < le && out->len < READ_EXCERPT; i++) {
            unsigned char c = (unsigned char)t[i];
            if (c <= 32 || c == 127) {
                space = out->len > 0;
                continue;
            }
            if (space && (rc = cr_str_putc(out, ' ')) < 0)
                return rc;
            space = 0;
            if ((rc = cr_str_putc(out, (char)c)) < 0)
                return rc;
        }
        space = out->len > 0;
        at = e < n ? e + 1 : n;
    }
    /* at most READ_EXCERPT bytes, cut back to a character boundary */
    if (out->len > READ_EXCERPT) {
        out->len = READ_EXCERPT;
        out->ptr[out->len] = '\0';
    }
    if (out->len > 0) {
        size_t k = out->len - 1;
        while (k > 0 && ((unsigned char)out->ptr[k] & 0xC0) == 0x80)
            k--;
        if (!cr_utf8_valid(out->ptr + k, out->len - k)) {
            out->len = k;
            out->ptr[k] = '\0';
        }
    }
    return CR_OK;
}

static int month_of(const char *s)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int i;

    for (i = 0; i < 12; i++)
        if (cr_mail__ncaseeq(s, months + 3 * i, 3))
            return i + 1;
    return 0;
}

/* "[Wkd, ]D Mon YYYY HH:MM[:SS] (+|-)HHMM" (or GMT/UT/Z): Unix seconds, 0 when unreadable. */
static int64_t parse_date(const char *s)
{
    int d = 0, y = 0, hh = 0, mi = 0, ss = 0, mo, off = 0;
    char mon[4] = { 0 };
    const char *p = s, *comma = strchr(s, ',');

    if (comma != NULL)
        p = comma + 1;
    while (*p == ' ')
        p++;
    if (sscanf(p, "%2d %3s %4d %2d:%2d:%2d", &d, mon, &y, &hh, &mi, &ss) < 5)
        return 0;
    if ((mo = month_of(mon)) == 0 || d < 1 || d > 31 || y < 1900 || y > 9999 || hh > 23 ||
        mi > 59 || ss > 60)
        return 0;
    {
        const char *z = strpbrk(p, "+-");
        /* the zone follows the time: the last + or - of the string */
        const char *last = NULL;
        while (z != NULL) {
            last = z;
            z = strpbrk(z + 1, "+-");
        }
        if (last != NULL && strlen(last) >= 5 && last[1] >= '0' && last[1] <= '9') {
            int v = (last[1] - '0') * 1000 + (last[2] - '0') * 100 + (last[3] - '0') * 10 +
                    (last[4] - '0');
            if (last[2] >= '0' && last[2] <= '9' && last[3] >= '0' && last[3] <= '9' &&
                last[4] >= '0' && last[4] <= '9')
                off = (v / 100 * 60 + v % 100) * 60 * (last[0] == '-' ? -1 : 1);
        }
    }
    return cr_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - off;
}

static int header_has(const split_msg *m, const char *name, cr_str *tmp)
{
    return header_get(tmp, m->hdr, m->hlen, name) > 0;
}

static int subject_is_auto(const char *s)
{
    static const char *const prefixes[] = {
        "auto:",         "automatic reply",   "autoreply",
        "out of office", "out of the office", "abwesenheitsnotiz",
        "absence"
    };
    size_t i;

    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (cr_mail__ncaseeq(s, prefixes[i], strlen(prefixes[i])) &&
            strlen(s) >= strlen(prefixes[i]))
            return 1;
    return 0;
}

static cr_mail_kind classify(const split_msg *m, walk_state *st, incoming *in, cr_str *tmp)
{
    const char *local = in->s[F_FROM_ADDR];
    size_t ll = strcspn(local, "@");

    if (st->is_dsn || header_has(m, "X-Failed-Recipients", tmp) ||
        (ll == 13 && cr_mail__ncaseeq(local, "mailer-daemon", 13)) ||
        (ll == 10 && cr_mail__ncaseeq(local, "postmaster", 10)))
        return CR_MAIL_BOUNCE;
    if (in->s[F_AUTO_SUBMITTED][0] != '\0' && !cr_mail__ncaseeq(in->s[F_AUTO_SUBMITTED], "no", 3))
        return CR_MAIL_AUTO_REPLY;
    if (header_has(m, "X-Autoreply", tmp) || header_has(m, "X-Autorespond", tmp))
        return CR_MAIL_AUTO_REPLY;
    if (header_get(tmp, m->hdr, m->hlen, "Precedence") > 0 &&
        (strcmp(tmp->ptr, "auto_reply") == 0 || strcmp(tmp->ptr, "bulk") == 0 ||
         strcmp(tmp->ptr, "junk") == 0))
        return CR_MAIL_AUTO_REPLY;
    if (subject_is_auto(in->s[F_SUBJECT]))
        return CR_MAIL_AUTO_REPLY;
    return CR_MAIL_REPLY;
}

void cr_mail_incoming_free(cr_mail_incoming *msg)
{
    incoming *in = (incoming *)msg;
    int i;

    if (in == NULL)
        return;
    for (i = 0; i < F_COUNT; i++)
        cr_free(in->s[i]);
    cr_free(in);
}

/* The bare, lower-cased address of a From value ("" when there is none). */
static char *from_address(const char *from)
{
    const char *lt = strrchr(from, '<'), *a = from, *e;
    char *out;
    size_t i, n;

    if (lt != NULL) {
        a = lt + 1;
        e = strchr(a, '>');
        if (e == NULL)
            e = a + strlen(a);
    } else {
        while (*a == ' ')
            a++;
        e = a;
        while (*e != '\0' && *e != ' ' && *e != '(')
            e++;
    }
    n = (size_t)(e - a);
    if (memchr(a, '@', n) == NULL)
        n = 0;
    if ((out = cr_strndup(a, n)) == NULL)
        return NULL;
    for (i = 0; i < n; i++)
        if (out[i] >= 'A' && out[i] <= 'Z')
            out[i] = (char)(out[i] + 32);
    return out;
}

cr_err cr_mail_parse(cr_mail_incoming **out, const char *data, size_t len, const char *source)
{
    incoming *in = NULL;
    split_msg m;
    walk_state st;
    cr_str v, dec;
    cr_err rc = CR_ENOMEM;
    int i;

    *out = NULL;
    /* an mbox envelope line ("From sender date") is not a header */
    if (len >= 5 && memcmp(data, "From ", 5) == 0) {
        size_t e = line_end(data, len, 0);
        data += e < len ? e + 1 : len;
        len -= e < len ? e + 1 : len;
    }
    split_message(&m, data, len);
    if (m.hlen == 0 || memchr(m.hdr, ':', m.hlen) == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s: not a mail message (no header)",
                            source != NULL ? source : "message");
    memset(&st, 0, sizeof(st));
    cr_str_init(&st.text, READ_MAX_FILE);
    cr_str_init(&st.html, READ_MAX_FILE);
    cr_str_init(&st.failed, 8192);
    cr_str_init(&st.orig_id, 2048);
    cr_str_init(&v, READ_FIELD_MAX);
    cr_str_init(&dec, READ_FIELD_MAX * 2);
    if ((in = cr_calloc(1, sizeof(*in))) == NULL)
        goto done;

    if (header_get(&v, m.hdr, m.hlen, "Message-ID") < 0)
        goto done;
    sanitize(&v);
    if ((in->s[F_MESSAGE_ID] = first_msgid(cr_str_cstr(&v), v.len)) == NULL ||
        header_get(&v, m.hdr, m.hlen, "In-Reply-To") < 0)
        goto done;
    sanitize(&v);
    if ((in->s[F_IN_REPLY_TO] = first_msgid(cr_str_cstr(&v), v.len)) == NULL ||
        header_get(&v, m.hdr, m.hlen, "References") < 0)
        goto done;
    sanitize(&v);
    if ((in->s[F_REFERENCES] = steal(&v)) == NULL)
        goto done;
    if (header_get(&v, m.hdr, m.hlen, "From") < 0 || decode_2047(&dec, v.ptr, v.len) < 0)
        goto done;
    sanitize(&dec);
    if ((in->s[F_FROM] = steal(&dec)) == NULL ||
        (in->s[F_FROM_ADDR] = from_address(in->s[F_FROM])) == NULL)
        goto done;
    if (header_get(&v, m.hdr, m.hlen, "Subject") < 0 || decode_2047(&dec, v.ptr, v.len) < 0)
        goto done;
    sanitize(&dec);
    if ((in->s[F_SUBJECT] = steal(&dec)) == NULL)
        goto done;
    if (header_get(&v, m.hdr, m.hlen, "Date") < 0)
        goto done;
    sanitize(&v);
    in->pub.date = parse_date(cr_str_cstr(&v));
    if ((in->s[F_DATE] = steal(&v)) == NULL || header_get(&v, m.hdr, m.hlen, "Auto-Submitted") < 0)
        goto done;
    sanitize(&v);
    if ((in->s[F_AUTO_SUBMITTED] = steal(&v)) == NULL)
        goto done;

    if ((rc = walk(&st, data, len, 0)) < 0)
        goto done;
    rc = CR_ENOMEM;
    if (header_get(&v, m.hdr, m.hlen, "X-Failed-Recipients") < 0)
        goto done;
    if (v.len > 0) {
        cr_str_clear(&st.failed);
        if (cr_str_put(&st.failed, v.ptr, v.len) < 0)
            goto done;
    }
    in->pub.kind = classify(&m, &st, in, &v);
    if (in->pub.kind == CR_MAIL_BOUNCE && st.orig_id.len == 0) {
        /* a bounce without a MIME part for the returned message: its first Message-ID line */
        const char *b = m.body;
        size_t bn = m.blen, at = 0;
        while (at < bn) {
            size_t e = line_end(b, bn, at);
            if (e - at > 11 && cr_mail__ncaseeq(b + at, "Message-ID:", 11)) {
                char *id = first_msgid(b + at + 11, e - at - 11);
                if (id == NULL || cr_str_puts(&st.orig_id, id) < 0) {
                    cr_free(id);
                    goto done;
                }
                cr_free(id);
                break;
            }
            at = e < bn ? e + 1 : bn;
        }
    }
    if (in->pub.kind != CR_MAIL_BOUNCE)
        cr_str_clear(&st.failed);
    sanitize(&st.failed);
    sanitize(&st.orig_id);
    if ((in->s[F_FAILED] = steal(&st.failed)) == NULL ||
        (in->s[F_ORIG_ID] = steal(&st.orig_id)) == NULL)
        goto done;
    cr_str_clear(&v);
    if (st.text.len > 0) {
        sanitize(&st.text);
        rc = make_excerpt(&v, st.text.ptr, st.text.len);
    } else if (st.html.len > 0) {
        cr_str_clear(&dec);
        sanitize(&st.html);
        if ((rc = html_to_text(&dec, st.html.ptr, st.html.len)) == CR_OK)
            rc = make_excerpt(&v, cr_str_cstr(&dec), dec.len);
    } else {
        rc = CR_OK;
    }
    if (rc < 0)
        goto done;
    rc = CR_ENOMEM;
    if ((in->s[F_EXCERPT] = steal(&v)) == NULL ||
        (in->s[F_SOURCE] = cr_strdup(source != NULL ? source : "")) == NULL)
        goto done;

    in->pub.message_id = in->s[F_MESSAGE_ID];
    in->pub.in_reply_to = in->s[F_IN_REPLY_TO];
    in->pub.references = in->s[F_REFERENCES];
    in->pub.from = in->s[F_FROM];
    in->pub.from_addr = in->s[F_FROM_ADDR];
    in->pub.subject = in->s[F_SUBJECT];
    in->pub.date_raw = in->s[F_DATE];
    in->pub.auto_submitted = in->s[F_AUTO_SUBMITTED];
    in->pub.failed_recipients = in->s[F_FAILED];
    in->pub.original_message_id = in->s[F_ORIG_ID];
    in->pub.excerpt = in->s[F_EXCERPT];
    in->pub.source = in->s[F_SOURCE];
    for (i = 0; i < F_COUNT; i++)
        if (in->s[i] == NULL)
            goto done;
    *out = &in->pub;
    in = NULL;
    rc = CR_OK;
done:
    cr_mail_incoming_free(in ? &in->pub : NULL);
    cr_str_dispose(&st.text);
    cr_str_dispose(&st.html);
    cr_str_dispose(&st.failed);
    cr_str_dispose(&st.orig_id);
    cr_str_dispose(&v);
    cr_str_dispose(&dec);
    if (rc == CR_ENOMEM)
        return cr_error_oom();
    return rc;
}

/* 1 when the whitespace-separated list holds the token id. */
static int id_in(const char *list, const char *id, size_t il)
{
    const char *p = list;

    while ((p = strstr(p, id)) != NULL) {
        int starts = p == list || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ',';
        int ends = p[il] == '\0' || p[il] == ' ' || p[il] == '\t' || p[il] == ',';
        if (starts && ends)
            return 1;
        p += il;
    }
    return 0;
}

int cr_mail_refers_to(const cr_mail_incoming *msg, const char *message_id)
{
    char buf[1024];
    size_t n;

    if (msg == NULL || message_id == NULL)
        return 0;
    n = strlen(message_id);
    if (n == 0 || n > sizeof(buf) - 3)
        return 0;
    if (message_id[0] == '<')
        snprintf(buf, sizeof(buf), "%s", message_id);
    else
        snprintf(buf, sizeof(buf), "<%s>", message_id);
    n = strlen(buf);
    if (buf[n - 1] != '>')
        return 0;
    return strcmp(msg->in_reply_to, buf) == 0 || id_in(msg->references, buf, n) ||
           strcmp(msg->original_message_id, buf) == 0;
}

static cr_err
deliver(const char *data, size_t len, const char *source, cr_mail_read_cb cb, void *payload)
{
    cr_mail_incoming *msg = NULL;
    cr_err rc = cr_mail_parse(&msg, data, len, source);

    if (rc == CR_EINVALID)
        return CR_OK; /* not a message: skipped */
    if (rc < 0)
        return rc;
    rc = cb(msg, payload);
    cr_mail_incoming_free(msg);
    return rc < 0 ? rc : CR_OK;
}

cr_err cr_mail_parse_mbox(
    const char *data, size_t len, const char *name, cr_mail_read_cb cb, void *payload)
{
    size_t at = 0, start = 0, count = 0;
    int have = 0;
    cr_str msg;
    cr_err rc = CR_OK;
    char source[1100];

    cr_str_init(&msg, READ_MAX_FILE);
    if (name == NULL)
        name = "mbox";
    /* text before the first "From " line is a message of its own (a lone .eml, say) */
    have = !(len >= 5 && memcmp(data, "From ", 5) == 0);
    while (at <= len) {
        size_t e = at < len ? line_end(data, len, at) : len;
        int from_line = at < len && len - at >= 5 && memcmp(data + at, "From ", 5) == 0 &&
                        (at == 0 || (at >= 2 && data[at - 2] == '\n') ||
                         (at >= 3 && data[at - 2] == '\r' && data[at - 3] == '\n'));
        if (from_line || at == len) {
            if (have) {
                /* the message is [start, at) without the blank line that separates it */
                size_t end = at, i;
                if (end > start && data[end - 1] == '\n')
                    end--;
                if (end > start && data[end - 1] == '\r')
                    end--;
                cr_str_clear(&msg);
                /* mboxrd: ">From " and ">>From " lose one '>' */
                for (i = start; i < end && rc == CR_OK;) {
                    size_t le = line_end(data, end, i), k = i;
                    while (k < le && data[k] == '>')
                        k++;
                    if (k > i && le - k >= 5 && memcmp(data + k, "From ", 5) == 0)
                        i++;
                    rc = cr_str_put(&msg, data + i, (le < end ? le + 1 : end) - i);
                    i = le < end ? le + 1 : end;
                }
                if (rc < 0)
                    break;
                count++;
                snprintf(source, sizeof(source), "%.1024s:%zu", name, count);
                if (msg.len > 0 &&
                    (rc = deliver(cr_str_cstr(&msg), msg.len, source, cb, payload)) < 0)
                    break;
            }
            if (at == len)
                break;
            have = 1;
            start = e < len ? e + 1 : len;
        }
        if (e >= len)
            at = len; /* the last line: the loop runs once more with at == len to flush */
        else
            at = e + 1;
    }
    cr_str_dispose(&msg);
    return rc;
}

static cr_err read_file(char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_str s;
    char buf[65536];
    size_t n;
    cr_err rc = CR_OK;

    *out = NULL;
    *len = 0;
    if (f == NULL)
        return cr_error_set(errno == ENOENT ? CR_ENOTFOUND : CR_EIO, CR_ERRCLASS_OS, "%s: %s", path,
                            strerror(errno));
    cr_str_init(&s, READ_MAX_FILE + sizeof(buf));
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && s.len < READ_MAX_FILE)
        if ((rc = cr_str_put(&s, buf, n)) < 0)
            break;
    if (rc == CR_OK && ferror(f))
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: read error", path);
    fclose(f);
    if (rc == CR_OK) {
        *len = s.len;
        *out = s.ptr != NULL ? cr_str_detach(&s) : cr_strdup("");
        if (*out == NULL)
            rc = cr_error_oom();
    }
    cr_str_dispose(&s);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cr_err read_maildir_sub(const char *dir, const char *sub, cr_mail_read_cb cb, void *payload)
{
    char path[4096];
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    cr_err rc = CR_OK;

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if ((d = opendir(path)) == NULL)
        return errno == ENOENT
                   ? CR_OK
                   : cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: %s", path, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = cr_realloc(names, nc * sizeof(*names));
            if (nn == NULL) {
                rc = cr_error_oom();
                break;
            }
            names = nn;
            cap = nc;
        }
        if ((names[n] = cr_strdup(de->d_name)) == NULL) {
            rc = cr_error_oom();
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == CR_OK && n > 0)
        cr_qsort(names, n, sizeof(*names), name_cmp);
    for (i = 0; i < n && rc == CR_OK; i++) {
        char file[4096 + 256];
        char *data = NULL;
        size_t len;
        struct stat sb;
        snprintf(file, sizeof(file), "%s/%s", path, names[i]);
        if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if ((rc = read_file(&data, &len, file)) == CR_ENOTFOUND) {
            rc = CR_OK; /* moved away by a mail client meanwhile */
            continue;
        }
        if (rc == CR_OK)
            rc = deliver(data, len, file, cb, payload);
        cr_free(data);
    }
    for (i = 0; i < n; i++)
        cr_free(names[i]);
    cr_free(names);
    return rc;
}

cr_err cr_mail_read(const char *mailbox, cr_mail_read_cb cb, void *payload)
{
    const char *path;
    struct stat sb;
    int is_dir;

    if (mailbox == NULL || cb == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "mailbox: missing");
    if ((path = cr_mail__after_scheme(mailbox, "maildir")) != NULL)
        is_dir = 1;
    else if ((path = cr_mail__after_scheme(mailbox, "mbox")) != NULL)
        is_dir = 0;
    else {
        path = mailbox;
        is_dir = -1;
    }
    if (stat(path, &sb) != 0)
        return cr_error_set(errno == ENOENT ? CR_ENOTFOUND : CR_EIO, CR_ERRCLASS_OS,
                            "mailbox %s: %s", path, strerror(errno));
    if (is_dir < 0)
        is_dir = S_ISDIR(sb.st_mode) ? 1 : 0;
    if (is_dir) {
        cr_err rc;
        if (!S_ISDIR(sb.st_mode))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_OS, "mailbox %s: not a directory", path);
        if ((rc = read_maildir_sub(path, "new", cb, payload)) < 0)
            return rc;
        return read_maildir_sub(path, "cur", cb, payload);
    } else {
        char *data = NULL;
        size_t len;
        cr_err rc;
        if (S_ISDIR(sb.st_mode))
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_OS, "mailbox %s: a directory, not an mbox",
                                path);
        if ((rc = read_file(&data, &len, path)) < 0)
            return rc;
        rc = cr_mail_parse_mbox(data, len, path, cb, payload);
        cr_free(data);
        return rc;
    }
}
