/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail_format.c - outgoing messages as RFC 5322 bytes. Every header field is checked before
 * anything is written: a CR or LF in a field is refused (header injection), so is text that is
 * not UTF-8. Non-ASCII header text becomes RFC 2047 "B" encoded-words of at most 64 characters
 * (in From/To/Reply-To only the display name); ASCII text is folded at spaces to stay within
 * 78 columns. Bodies are quoted-printable with lines of at most 76 characters; a "." or "From "
 * at the start of a line is encoded too, so neither SMTP dot-stuffing nor an mbox can change
 * the text. The multipart boundary is derived from the Message-ID (same input, same bytes) and
 * starts with "=_", which quoted-printable never writes. */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "outreach/mail_int.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/text.h"

#define MAIL_LINE_MAX    78
#define MAIL_FIELD_MAX   900  /* a display name, an address, a URL */
#define MAIL_REFS_MAX    8000 /* References: many ids, folded one per line */
#define MAIL_EWORD_BYTES 39   /* UTF-8 bytes per encoded-word: 52 base64 chars, 64 in all */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

cr_err cr_mail__base64(cr_str *out, const unsigned char *data, size_t len)
{
    size_t i;
    char quad[4];
    cr_err rc;

    for (i = 0; i + 2 < len; i += 3) {
        quad[0] = b64_alphabet[data[i] >> 2];
        quad[1] = b64_alphabet[((data[i] & 3) << 4) | (data[i + 1] >> 4)];
        quad[2] = b64_alphabet[((data[i + 1] & 15) << 2) | (data[i + 2] >> 6)];
        quad[3] = b64_alphabet[data[i + 2] & 63];
        if ((rc = cr_str_put(out, quad, 4)) < 0)
            return rc;
    }
    if (i < len) {
        quad[0] = b64_alphabet[data[i] >> 2];
        if (i + 1 < len) {
            quad[1] = b64_alphabet[((data[i] & 3) << 4) | (data[i + 1] >> 4)];
            quad[2] = b64_alphabet[(data[i + 1] & 15) << 2];
        } else {
            quad[1] = b64_alphabet[(data[i] & 3) << 4];
            quad[2] = '=';
        }
        quad[3] = '=';
        if ((rc = cr_str_put(out, quad, 4)) < 0)
            return rc;
    }
    return CR_OK;
}

int cr_mail__ncaseeq(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

const char *cr_mail__after_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);

    if (strlen(url) <= n || !cr_mail__ncaseeq(url, scheme, n) || url[n] != ':')
        return NULL;
    return url + n + 1;
}

void cr_mail_text_free(char *text)
{
    cr_free(text);
}

static int domain_ok(const char *d)
{
    size_t i, n = strlen(d);

    if (n == 0 || n > 200 || d[0] == '.' || d[0] == '-' || d[n - 1] == '.')
        return 0;
    for (i = 0; i < n; i++) {
        char c = d[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

cr_err cr_mail_new_message_id(char *buf, size_t size, const char *domain)
{
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char rnd[17];
    char id[27];
    size_t i;
    int n;

    if (domain == NULL)
        domain = "crest.invalid";
    if (!domain_ok(domain))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message-id domain: a host name such as example.com");
    randombytes_buf(rnd, 16);
    rnd[16] = 0;
    /* 26 characters of 5 bits: 130 bits read from the 128 random ones and a zero byte */
    for (i = 0; i < 26; i++) {
        size_t bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = ((unsigned)rnd[byte] << 8 | rnd[byte + 1]) >> (11 - shift);
        id[i] = b32[v & 31];
    }
    id[26] = '\0';
    n = snprintf(buf, size, "<%s@%s>", id, domain);
    if (n < 0 || (size_t)n >= size)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message-id buffer too small");
    return CR_OK;
}

/* A bare address: printable ASCII without specials, one "@" with text on both sides. */
static int addr_ok(const char *a, size_t n)
{
    const char *at = NULL;
    size_t i;

    if (n < 3 || n > 254)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c <= 32 || c >= 127 || strchr("<>()[],;:\\\"", c) != NULL)
            return 0;
        if (c == '@') {
            if (at != NULL)
                return 0;
            at = a + i;
        }
    }
    return at != NULL && at != a && at != a + n - 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* "Name <addr>", "\"Name\" <addr>" or "addr" -> name (unquoted) and addr; 0 when malformed. */
static int split_mailbox(
    const char *v, const char **name, size_t *name_len, const char **addr, size_t *addr_len)
{
    const char *lt = strrchr(v, '<'), *gt;
    size_t n;

    if (lt == NULL) {
        *name = v;
        *name_len = 0;
        *addr = v;
        *addr_len = strlen(v);
        trim(addr, addr_len);
        return addr_ok(*addr, *addr_len);
    }
    gt = strchr(lt, '>');
    if (gt == NULL)
        return 0;
    n = strlen(gt + 1);
    {
        const char *rest = gt + 1;
        trim(&rest, &n);
        if (n != 0)
            return 0;
    }
    *addr = lt + 1;
    *addr_len = (size_t)(gt - lt - 1);
    *name = v;
    *name_len = (size_t)(lt - v);
    trim(name, name_len);
    if (*name_len >= 2 && (*name)[0] == '"' && (*name)[*name_len - 1] == '"') {
        (*name)++;
        *name_len -= 2;
    }
    return addr_ok(*addr, *addr_len);
}

cr_err cr_mail_addr_spec(char *buf, size_t size, const char *mailbox)
{
    const char *name, *addr;
    size_t nl, al;

    if (mailbox == NULL || strpbrk(mailbox, "\r\n") != NULL ||
        !split_mailbox(mailbox, &name, &nl, &addr, &al))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "not an e-mail address: expected name@example.com or "
                            "Name <name@example.com>");
    if (al >= size)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "e-mail address too long");
    memcpy(buf, addr, al);
    buf[al] = '\0';
    return CR_OK;
}

static cr_err check_field(const char *field, const char *v, int required, size_t max)
{
    size_t n;

    if (v == NULL) {
        if (required)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: %s is missing", field);
        return CR_OK;
    }
    n = strlen(v);
    if (strpbrk(v, "\r\n") != NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: %s holds a line break (header injection refused)", field);
    if (!cr_utf8_valid(v, n))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: %s is not valid UTF-8",
                            field);
    if (max > 0 && n > max)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: %s is longer than %zu bytes",
                            field, max);
    return CR_OK;
}

/* Non-ASCII, a control character, something a reader would take for an encoded-word, or a
 * word too long to fold under 998 characters: written as encoded-words instead. */
static int needs_encoding(const char *s, size_t n)
{
    size_t i, word = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 127 || (c < 32 && c != '\t'))
            return 1;
        if (c == '=' && i + 1 < n && s[i + 1] == '?')
            return 1;
        word = c == ' ' || c == '\t' ? 0 : word + 1;
        if (word > MAIL_FIELD_MAX)
            return 1;
    }
    return 0;
}

/* Length of the longest UTF-8 prefix of s[0..n) that is at most max bytes and ends on a
 * character boundary (at least one character, so that progress is made). */
static size_t utf8_chunk(const char *s, size_t n, size_t max)
{
    size_t k;

    if (n <= max)
        return n;
    k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    if (k == 0) {
        k = 1;
        while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
    }
    return k;
}

/* RFC 2047 encoded-words for s, separated by folding (CRLF SP). */
static cr_err put_encoded_words(cr_str *out, const char *s, size_t n)
{
    cr_err rc = CR_OK;
    size_t off = 0;

    if (n == 0)
        return CR_OK;
    while (off < n && rc == CR_OK) {
        size_t k = utf8_chunk(s + off, n - off, MAIL_EWORD_BYTES);
        if (off > 0 && (rc = cr_str_puts(out, "\r\n ")) < 0)
            break;
        if ((rc = cr_str_puts(out, "=?UTF-8?B?")) < 0 ||
            (rc = cr_mail__base64(out, (const unsigned char *)s + off, k)) < 0 ||
            (rc = cr_str_puts(out, "?=")) < 0)
            break;
        off += k;
    }
    return rc;
}

/* An unstructured field (Subject): ASCII folded at spaces, anything else encoded. */
static cr_err put_unstructured(cr_str *out, const char *name, const char *v)
{
    size_t n = strlen(v), col, i;
    cr_err rc;

    if ((rc = cr_str_printf(out, "%s: ", name)) < 0)
        return rc;
    if (needs_encoding(v, n)) {
        if ((rc = put_encoded_words(out, v, n)) < 0)
            return rc;
        return cr_str_puts(out, "\r\n");
    }
    col = strlen(name) + 2;
    i = 0;
    while (i < n) {
        size_t start = i, tok;
        while (i < n && (v[i] == ' ' || v[i] == '\t'))
            i++;
        while (i < n && v[i] != ' ' && v[i] != '\t')
            i++;
        tok = i - start;
        /* fold before the token's whitespace when the line would pass 78 columns */
        if (start > 0 && col + tok > MAIL_LINE_MAX && (v[start] == ' ' || v[start] == '\t')) {
            if ((rc = cr_str_puts(out, "\r\n")) < 0)
                return rc;
            col = 0;
        }
        if ((rc = cr_str_put(out, v + start, tok)) < 0)
            return rc;
        col += tok;
    }
    return cr_str_puts(out, "\r\n");
}

/* From, To, Reply-To: the display name quoted or encoded, the address as it is. */
static cr_err put_mailbox(cr_str *out, const char *header, const char *field, const char *v)
{
    const char *name, *addr;
    size_t nl, al, i;
    cr_err rc;

    if (!split_mailbox(v, &name, &nl, &addr, &al))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: %s is not an e-mail address (name@example.com or "
                            "Name <name@example.com>)",
                            field);
    if ((rc = cr_str_printf(out, "%s: ", header)) < 0)
        return rc;
    if (nl > 0) {
        if (needs_encoding(name, nl)) {
            rc = put_encoded_words(out, name, nl);
        } else {
            rc = cr_str_putc(out, '"');
            for (i = 0; i < nl && rc == CR_OK; i++) {
                if (name[i] == '"' || name[i] == '\\')
                    rc = cr_str_putc(out, '\\');
                if (rc == CR_OK)
                    rc = cr_str_putc(out, name[i]);
            }
            if (rc == CR_OK)
                rc = cr_str_putc(out, '"');
        }
        if (rc < 0 || (rc = cr_str_puts(out, " <")) < 0 || (rc = cr_str_put(out, addr, al)) < 0 ||
            (rc = cr_str_puts(out, ">\r\n")) < 0)
            return rc;
        return CR_OK;
    }
    if ((rc = cr_str_put(out, addr, al)) < 0)
        return rc;
    return cr_str_puts(out, "\r\n");
}

/* "<id>" tokens separated by whitespace; `many` allows more than one. Returns the count, or
 * -1 when malformed. */
static int msgids_ok(const char *v, int many)
{
    int count = 0;
    const char *p = v;

    for (;;) {
        const char *end;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (*p != '<' || (count > 0 && !many))
            return -1;
        end = p + 1;
        while (*end != '\0' && *end != '>' && *end != '<' && *end > 32 && *end < 127)
            end++;
        if (*end != '>' || end == p + 1)
            return -1;
        p = end + 1;
        if (*p != '\0' && *p != ' ' && *p != '\t')
            return -1;
        count++;
    }
    return count;
}

static cr_err put_msgids(cr_str *out, const char *header, const char *v)
{
    const char *p = v;
    cr_err rc;
    int first = 1;

    if ((rc = cr_str_printf(out, "%s:", header)) < 0)
        return rc;
    for (;;) {
        const char *end;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        end = strchr(p, '>') + 1;
        /* one id per line after the first: an id is at most 998 - 1 bytes long anyway */
        if ((rc = cr_str_puts(out, first ? " " : "\r\n ")) < 0 ||
            (rc = cr_str_put(out, p, (size_t)(end - p))) < 0)
            return rc;
        first = 0;
        p = end;
    }
    return cr_str_puts(out, "\r\n");
}

static cr_err check_msgids(const char *field, const char *v, int required, int many)
{
    cr_err rc;
    int n;

    if ((rc = check_field(field, v, required, many ? MAIL_REFS_MAX : MAIL_FIELD_MAX)) < 0)
        return rc;
    if (v == NULL)
        return CR_OK;
    n = msgids_ok(v, many);
    if (n < 0 || (n == 0 && required))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: %s must be %s of printable ASCII without spaces", field,
                            many ? "<id> values separated by spaces" : "one <id>");
    return CR_OK;
}

static void fmt_rfc5322_date(char *buf, size_t size, int64_t t)
{
    static const char *const days[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int64_t day = t / 86400, sec = t % 86400;
    int y, m, d;

    if (sec < 0) {
        sec += 86400;
        day--;
    }
    cr_civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[((day % 7) + 7) % 7], d,
             months[m - 1], y, (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

/* Quoted-printable body with CRLF line ends; LF or CRLF in the input end a line. */
static cr_err put_qp(cr_str *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s), i = 0, col = 0;
    cr_err rc;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        char rep[4];
        size_t rl;
        int at_eol;

        if (c == '\n' || (c == '\r' && i + 1 < n && s[i + 1] == '\n')) {
            if ((rc = cr_str_puts(out, "\r\n")) < 0)
                return rc;
            i += c == '\r' ? 2 : 1;
            col = 0;
            continue;
        }
        at_eol =
            i + 1 == n || s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n');
        if ((c >= 33 && c <= 126 && c != '=' && !(col == 0 && c == '.') &&
             !(col == 0 && c == 'F' && strncmp(s + i, "From ", 5) == 0)) ||
            ((c == ' ' || c == '\t') && !at_eol)) {
            rep[0] = (char)c;
            rl = 1;
        } else {
            rep[0] = '=';
            rep[1] = hex[c >> 4];
            rep[2] = hex[c & 15];
            rl = 3;
        }
        /* a soft break keeps lines at 76 characters with the "=" */
        if (col + rl > 75) {
            if ((rc = cr_str_puts(out, "=\r\n")) < 0)
                return rc;
            col = 0;
            continue; /* re-decide: a "." or "From " now starts a line */
        }
        if ((rc = cr_str_put(out, rep, rl)) < 0)
            return rc;
        col += rl;
        i++;
    }
    if (n == 0 || s[n - 1] != '\n')
        return cr_str_puts(out, "\r\n");
    return CR_OK;
}

static cr_err put_part_headers(cr_str *out, const char *subtype)
{
    return cr_str_printf(out,
                         "Content-Type: text/%s; charset=UTF-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n",
                         subtype);
}

static cr_err check_message(const cr_mail_message *m)
{
    cr_err rc;
    const char *name, *addr;
    size_t nl, al;
    const char *lu = m->list_unsubscribe;

    if ((rc = check_field("from", m->from, 1, MAIL_FIELD_MAX)) < 0 ||
        (rc = check_field("to", m->to, 1, MAIL_FIELD_MAX)) < 0 ||
        (rc = check_field("reply_to", m->reply_to, 0, MAIL_FIELD_MAX)) < 0 ||
        (rc = check_field("subject", m->subject, 1, 0)) < 0 ||
        (rc = check_msgids("message_id", m->message_id, 1, 0)) < 0 ||
        (rc = check_msgids("in_reply_to", m->in_reply_to, 0, 0)) < 0 ||
        (rc = check_msgids("references", m->references, 0, 1)) < 0 ||
        (rc = check_field("list_unsubscribe", lu, 0, MAIL_FIELD_MAX)) < 0)
        return rc;
    if (m->text == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: text is missing");
    if (!cr_utf8_valid(m->text, strlen(m->text)))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: text is not valid UTF-8");
    if (m->html != NULL && !cr_utf8_valid(m->html, strlen(m->html)))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: html is not valid UTF-8");
    if (strlen(m->subject) > 4000)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: subject is longer than 4000 bytes");
    if (!split_mailbox(m->from, &name, &nl, &addr, &al))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: from is not an e-mail address");
    if (!split_mailbox(m->to, &name, &nl, &addr, &al))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: to is not an e-mail address");
    if (m->reply_to != NULL && !split_mailbox(m->reply_to, &name, &nl, &addr, &al))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: reply_to is not an e-mail address");
    if (lu != NULL) {
        size_t i, n = strlen(lu);
        int scheme_ok = cr_mail__after_scheme(lu, "https") != NULL ||
                        cr_mail__after_scheme(lu, "http") != NULL ||
                        cr_mail__after_scheme(lu, "mailto") != NULL;
        for (i = 0; i < n && scheme_ok; i++)
            if ((unsigned char)lu[i] <= 32 || (unsigned char)lu[i] >= 127 || lu[i] == '<' ||
                lu[i] == '>')
                scheme_ok = 0;
        if (!scheme_ok)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                "message: list_unsubscribe must be an https:, http: or mailto: "
                                "URL of printable ASCII without spaces");
    }
    if (m->list_unsubscribe_post && (lu == NULL || cr_mail__after_scheme(lu, "https") == NULL))
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "message: list_unsubscribe_post needs an https list_unsubscribe URL");
    return CR_OK;
}

cr_err cr_mail_format(char **out, size_t *len, const cr_mail_message *m)
{
    cr_str s;
    char date[48], hash[CR_SHA256_HEX], boundary[40];
    cr_err rc;

    *out = NULL;
    if (len != NULL)
        *len = 0;
    if (m == NULL || m->version != CR_MAIL_MESSAGE_VERSION)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "message: unknown struct version");
    if ((rc = check_message(m)) < 0)
        return rc;
    cr_str_init(&s, CR_STR_MAX_DEFAULT);
    fmt_rfc5322_date(date, sizeof(date), m->date);
    if ((rc = cr_str_printf(&s, "Date: %s\r\n", date)) < 0 ||
        (rc = put_mailbox(&s, "From", "from", m->from)) < 0 ||
        (rc = put_mailbox(&s, "To", "to", m->to)) < 0 ||
        (m->reply_to != NULL && (rc = put_mailbox(&s, "Reply-To", "reply_to", m->reply_to)) < 0) ||
        (rc = put_unstructured(&s, "Subject", m->subject)) < 0 ||
        (rc = cr_str_printf(&s, "Message-ID: %s\r\n", m->message_id)) < 0)
        goto done;
    if (m->in_reply_to != NULL && msgids_ok(m->in_reply_to, 0) > 0 &&
        (rc = put_msgids(&s, "In-Reply-To", m->in_reply_to)) < 0)
        goto done;
    if (m->references != NULL && msgids_ok(m->references, 1) > 0 &&
        (rc = put_msgids(&s, "References", m->references)) < 0)
        goto done;
    if (m->list_unsubscribe != NULL &&
        (rc = cr_str_printf(&s, "List-Unsubscribe: <%s>\r\n", m->list_unsubscribe)) < 0)
        goto done;
    if (m->list_unsubscribe_post &&
        (rc = cr_str_puts(&s, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")) < 0)
        goto done;
    if ((rc = cr_str_puts(&s, "MIME-Version: 1.0\r\n")) < 0)
        goto done;
    if (m->html == NULL) {
        if ((rc = put_part_headers(&s, "plain")) < 0 || (rc = cr_str_puts(&s, "\r\n")) < 0 ||
            (rc = put_qp(&s, m->text)) < 0)
            goto done;
    } else {
        cr_sha256_buf(hash, m->message_id, strlen(m->message_id));
        snprintf(boundary, sizeof(boundary), "=_crest_%.24s", hash);
        if ((rc = cr_str_printf(&s,
                                "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n"
                                "This is a multi-part message in MIME format.\r\n\r\n--%s\r\n",
                                boundary, boundary)) < 0 ||
            (rc = put_part_headers(&s, "plain")) < 0 || (rc = cr_str_puts(&s, "\r\n")) < 0 ||
            (rc = put_qp(&s, m->text)) < 0 || (rc = cr_str_printf(&s, "--%s\r\n", boundary)) < 0 ||
            (rc = put_part_headers(&s, "html")) < 0 || (rc = cr_str_puts(&s, "\r\n")) < 0 ||
            (rc = put_qp(&s, m->html)) < 0 || (rc = cr_str_printf(&s, "--%s--\r\n", boundary)) < 0)
            goto done;
    }
    if (len != NULL)
        *len = s.len;
    *out = cr_str_detach(&s);
    rc = CR_OK;
done:
    cr_str_dispose(&s);
    if (rc == CR_ENOMEM)
        cr_error_oom();
    return rc;
}
