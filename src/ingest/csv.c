/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * csv.c - libcsv fed one physical line at a time. libcsv reports fields and row ends but not
 * positions; feeding it line by line tells us, for each row, the line it began on (a row
 * begins on the line being fed when the parser was between rows before it). The file is read
 * in 256 KiB blocks and split at '\n' with memchr, so a line costs no extra copy or call
 * into stdio. */
#include <csv.h>
#include <string.h>

#include "ingest/csv.h"
#include "util/alloc.h"
#include "util/str.h"

typedef struct {
    cr_csv_reader *r;
    cr_str buf; /* field bytes, each followed by NUL */
    size_t offs[CR_CSV_MAX_FIELDS];
    size_t lens[CR_CSV_MAX_FIELDS];
    char *ptrs[CR_CSV_MAX_FIELDS];
    size_t nfields;
    int64_t row_line;
    cr_err err; /* first error raised inside a callback */
} csv_ctx;

static void csv_on_field(void *s, size_t len, void *data)
{
    csv_ctx *c = data;

    if (c->err != CR_OK)
        return;
    if (c->nfields >= CR_CSV_MAX_FIELDS) {
        c->err = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%lld: more than %d columns",
                              c->r->name, (long long)c->row_line, CR_CSV_MAX_FIELDS);
        return;
    }
    c->offs[c->nfields] = c->buf.len;
    c->lens[c->nfields] = len;
    /* the field, then one byte more: cr_str's own terminating NUL becomes the field's end */
    if (cr_str_put(&c->buf, s ? (const char *)s : "", len) < 0 || cr_str_put(&c->buf, "", 1) < 0) {
        c->err = cr_error_last() ? cr_error_last()->code : CR_ENOMEM;
        return;
    }
    c->nfields++;
}

static void csv_on_row(int term, void *data)
{
    csv_ctx *c = data;
    cr_csv_row row;
    size_t i;

    (void)term;
    if (c->err == CR_OK) {
        for (i = 0; i < c->nfields; i++)
            c->ptrs[i] = c->buf.ptr + c->offs[i];
        row.line = c->row_line;
        row.nfields = c->nfields;
        row.fields = c->ptrs;
        row.lens = c->lens;
        c->err = c->r->on_row(&row, c->r->payload);
    }
    c->nfields = 0;
    cr_str_clear(&c->buf);
}

/* The delimiter is whichever of , ; TAB occurs most often outside quotes in the header (up to
 * the first line end outside quotes, so a quoted header cell may hold a line break). */
static char detect_delimiter(const char *line, size_t len)
{
    size_t i, comma = 0, semi = 0, tab = 0;
    int quoted = 0;

    for (i = 0; i < len; i++) {
        if (!quoted && (line[i] == '\n' || line[i] == '\r'))
            break;
        if (line[i] == '"')
            quoted = !quoted;
        else if (!quoted && line[i] == ',')
            comma++;
        else if (!quoted && line[i] == ';')
            semi++;
        else if (!quoted && line[i] == '\t')
            tab++;
    }
    if (tab > comma && tab > semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

static int csv_is_space(unsigned char c)
{
    (void)c;
    return 0; /* keep blanks: trimming is the field parser's job, and text keeps its spaces */
}

/* Feed one piece of a physical line (up to and including its '\n', or the end of what was
 * read) to libcsv. `line_start` says whether this piece begins a physical line. */
static cr_err
feed(csv_ctx *c, struct csv_parser *p, const char *data, size_t len, int64_t lineno, int line_start)
{
    cr_csv_reader *r = c->r;

    if (line_start && p->pstate == 0) /* ROW_NOT_BEGUN: a new row starts on this line */
        c->row_line = lineno;
    if (csv_parse(p, data, len, csv_on_field, csv_on_row, c) != len) {
        if (c->err != CR_OK)
            return c->err;
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s:%lld:%zu: malformed CSV: a quote inside an unquoted field, or "
                            "text after a closing quote (quote the whole field and double the "
                            "quotes inside it: \"say \"\"hi\"\"\")",
                            r->name, (long long)lineno, c->nfields + 1);
    }
    if (c->err != CR_OK)
        return c->err;
    if (p->entry_pos > CR_CSV_MAX_FIELD || c->buf.len > (size_t)CR_CSV_MAX_FIELD * 2)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s:%lld: a field or row longer than %u bytes (an unterminated "
                            "quote?)",
                            r->name, (long long)c->row_line, CR_CSV_MAX_FIELD);
    return CR_OK;
}

#define CSV_READ_BLOCK (256u << 10)

cr_err cr_csv_read(cr_csv_reader *r, FILE *f)
{
    struct csv_parser p;
    csv_ctx c;
    char *block = NULL;
    size_t n, off;
    int64_t lineno = 1;
    int line_start = 1, first = 1, preamble = r->on_comment != NULL, delim_done = 0;
    int in_comment = 0; /* a preamble line goes on in the next block */
    char eol = '\n';
    uint64_t done = 0, last_report = 0;
    cr_err rc = CR_OK;

    memset(&c, 0, sizeof(c));
    c.r = r;
    cr_str_init(&c.buf, (size_t)CR_CSV_MAX_FIELD * 4);
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return cr_error_oom();
    csv_set_space_func(&p, csv_is_space);
    r->delimiter = ',';
    if ((block = cr_malloc(CSV_READ_BLOCK)) == NULL) {
        rc = cr_error_oom();
        goto done;
    }

    while ((n = fread(block, 1, CSV_READ_BLOCK, f)) > 0) {
        const char *data = block;

        if (r->on_bytes)
            r->on_bytes(block, n, r->payload);
        done += n;
        if (first) {
            const char *nl;
            if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
                data += 3;
                n -= 3;
            }
            /* classic Mac files end lines with CR alone: then CR is the line end */
            nl = memchr(data, '\n', n);
            if (nl == NULL && memchr(data, '\r', n) != NULL)
                eol = '\r';
            first = 0;
        }
        for (off = 0; off < n;) {
            const char *nl = memchr(data + off, eol, n - off);
            size_t len = nl ? (size_t)(nl - (data + off)) + 1 : n - off;
            if (preamble && (line_start || in_comment)) {
                size_t body = len;
                while (body && (data[off + body - 1] == '\n' || data[off + body - 1] == '\r'))
                    body--;
                if (in_comment || body == 0 || data[off] == '#') {
                    if (!in_comment)
                        r->on_comment(data + off, body, lineno, r->payload);
                    in_comment = nl == NULL;
                    off += len;
                    line_start = nl != NULL;
                    if (nl)
                        lineno++;
                    continue;
                }
                preamble = 0;
            }
            if (!delim_done) {
                /* from the header line: the first line that is not preamble */
                r->delimiter = detect_delimiter(data + off, n - off);
                csv_set_delim(&p, (unsigned char)r->delimiter);
                delim_done = 1;
            }
            if ((rc = feed(&c, &p, data + off, len, lineno, line_start)) < 0)
                goto done;
            off += len;
            line_start = nl != NULL;
            if (nl)
                lineno++;
        }
        if (r->on_progress && done - last_report >= 65536) {
            r->on_progress(done, r->payload);
            last_report = done;
        }
    }
    if (ferror(f)) {
        rc =
            cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s:%lld: read error", r->name, (long long)lineno);
        goto done;
    }
    if (line_start && lineno > 1)
        lineno--; /* the file ended with '\n': the last line is the one before */
    if (csv_fini(&p, csv_on_field, csv_on_row, &c) != 0) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s:%lld: malformed CSV: the file ends inside a quoted field that "
                          "starts on line %lld",
                          r->name, (long long)lineno, (long long)c.row_line);
        goto done;
    }
    rc = c.err;
    if (r->on_progress)
        r->on_progress(done, r->payload);
done:
    if (rc == CR_ITEROVER)
        rc = CR_OK;
    cr_free(block);
    csv_free(&p);
    cr_str_dispose(&c.buf);
    return rc;
}
