/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * import.c - one CSV file into the store.
 *
 * The file is streamed (csv.c) and each row is parsed against its kind's column types, then
 * applied inside one transaction, so a file is all-or-nothing and a crash or kill leaves the
 * store as it was. With `partial`, valid rows are committed in batches and rejected rows go
 * to FILE.rejects.csv with their line and reason. The file's SHA-256 is computed on the fly;
 * if the same kind was already imported from identical bytes, the transaction is rolled back
 * and the result says so: re-importing changes nothing. Creator and post ids are cached in a
 * bounded map, so the store sees one lookup per distinct key, not one per row. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crest/discover.h"
#include "crest/import.h"
#include "ingest/csv.h"
#include "ingest/kinds.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/hash.h"
#include "util/map.h"
#include "util/num.h"
#include "util/str.h"
#include "util/text.h"

#define PARTIAL_BATCH_ROWS 50000
#define CACHE_MAX_KEYS     200000
#define TEXT_MAX_BYTES     65536
#define KEY_MAX_BYTES      200
#define LIST_MAX_BYTES     1000

/* How a header fits one kind: which file column feeds which kind column. */
typedef struct {
    int field_of_col[32];
    int col_of_field[CR_CSV_MAX_FIELDS];
    size_t nreq, nreq_matched, nmatched;
    int dup_file_col, dup_kind_col; /* the first column that repeats another; -1 none */
    const char *bad_map;            /* a --map entry naming no field of this kind */
} header_match;

struct cr_import_ctx {
    const cr_import_kind_def *def;
    cr_store *st;
    cr_import_result *res;
    const cr_import_options *opts;
    const char *name; /* display name */
    int64_t import_id;
    int header_done;
    size_t ncols_file;                   /* fields in the header */
    int col_of_field[CR_CSV_MAX_FIELDS]; /* file column -> kind column, -1 ignored */
    int field_of_col[32];                /* kind column -> file column, -1 absent */
    cr_import_value values[32];
    const cr_csv_row *row; /* the row being applied */
    int row_failed;
    int64_t batch_rows;
    cr_map creators, posts;
    char keybuf[512];
    char last_post[512]; /* the key of the last post looked up, and its id */
    size_t last_post_len;
    int64_t last_post_id;
    crypto_hash_sha256_state sha;
    uint64_t bytes_total;
    FILE *rejects;
    char rejects_tmp[4200];
    cr_str header_csv; /* the header as read, quoted, for the rejects file */
    cr_str orig;       /* --partial: the row as read, before cells are edited in place */
    size_t orig_off[CR_CSV_MAX_FIELDS];
    header_match match;
    int64_t header_line;
    int64_t started_at;
    int64_t creator_opt_id;               /* --creator, resolved */
    int64_t preamble_start, preamble_end; /* "# Start date:" / "# End date:" */
    cr_map seen;                          /* cr_import__seen() */
};

static const char *type_expectation(cr_col_type t)
{
    switch (t) {
    case CR_COL_TEXT:
        return "UTF-8 text";
    case CR_COL_KEY:
        return "an identifier on one line, at most 200 bytes";
    case CR_COL_PLATFORM:
        return "a platform name";
    case CR_COL_HANDLE:
        return "a handle of letters, digits, '.', '_' or '-'";
    case CR_COL_COUNT:
        return "a count such as 1234, 1,234 or 12.5K";
    case CR_COL_RATE:
        return "a rate such as 3.4% or 0.034";
    case CR_COL_DATE:
        return "a date as YYYY-MM-DD";
    case CR_COL_DATETIME:
        return "a date-time as YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]";
    case CR_COL_EMAIL:
        return "an e-mail address such as name@example.com";
    case CR_COL_COUNTRY:
        return "a two-letter ISO 3166 country code such as US";
    case CR_COL_LANGUAGE:
        return "a two-letter ISO 639-1 language code such as en";
    case CR_COL_URL:
        return "an http:// or https:// address";
    case CR_COL_LIST:
        return "words separated by , ; or |";
    case CR_COL_DECIMAL:
        return "a number such as 1234.5 or 1,234.50";
    case CR_COL_DURATION:
        return "a duration such as 45.2 (seconds), 1m 05s or 00:01:05";
    case CR_COL_DAY:
        return "a date as YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or Mar 3, 2026";
    case CR_COL_WHEN:
        return "a date-time as YYYY-MM-DD HH:MM[:SS] [+HHMM], MM/DD/YYYY HH:MM or Mar 3, 2026";
    case CR_COL_BOOL:
        return "yes/no, true/false or 1/0";
    }
    return "a value";
}

/* Quote a found value for a message: at most 40 bytes, control bytes shown as '?'. */
static void quote_found(char *out, size_t size, const char *s, size_t len)
{
    size_t i, n = 0, lim = len > 40 ? 40 : len;

    if (size < 8) {
        out[0] = '\0';
        return;
    }
    out[n++] = '"';
    for (i = 0; i < lim && n + 5 < size; i++)
        out[n++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    if (len > lim && n + 5 < size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n++] = '"';
    out[n] = '\0';
}

static void add_issue(cr_import_ctx *ctx, int64_t line, int col, const char *field, const char *msg)
{
    cr_import_result *res = ctx->res;
    size_t max = ctx->opts->max_issues ? ctx->opts->max_issues : 50;
    cr_import_issue *is;

    res->issues_total++;
    if (res->nissues >= max)
        return;
    if (res->issues == NULL && (res->issues = cr_calloc(max, sizeof(*res->issues))) == NULL)
        return;
    is = &res->issues[res->nissues++];
    is->line = line;
    is->column = col;
    snprintf(is->field, sizeof(is->field), "%s", field ? field : "");
    snprintf(is->message, sizeof(is->message), "%s", msg);
}

cr_err cr_import__row_error(cr_import_ctx *ctx, int col, const char *fmt, ...)
{
    char detail[400], msg[600];
    va_list ap;
    int fcol = col >= 0 ? ctx->field_of_col[col] : -1;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (fcol >= 0)
        snprintf(msg, sizeof(msg), "%s:%lld:%d: %s: %s", ctx->name, (long long)ctx->row->line,
                 fcol + 1, ctx->def->pub->columns[col].name, detail);
    else
        snprintf(msg, sizeof(msg), "%s:%lld: %s", ctx->name, (long long)ctx->row->line, detail);
    add_issue(ctx, ctx->row->line, fcol + 1, col >= 0 ? ctx->def->pub->columns[col].name : "", msg);
    ctx->row_failed = 1;
    return CR_EINVALID;
}

static cr_err file_error(cr_import_ctx *ctx, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cr_err file_error(cr_import_ctx *ctx, int64_t line, const char *fmt, ...)
{
    char detail[1000];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (line > 0)
        cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT, "%s:%lld: %s", ctx->name, (long long)line,
                     detail);
    else
        cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT, "%s: %s", ctx->name, detail);
    add_issue(ctx, line, 0, "", cr_error_last()->message);
    return CR_EINVALID;
}

cr_store *cr_import__store(cr_import_ctx *ctx)
{
    return ctx->st;
}

int64_t cr_import__import_id(cr_import_ctx *ctx)
{
    return ctx->import_id;
}

const cr_import_options *cr_import__options(cr_import_ctx *ctx)
{
    return ctx->opts;
}

int cr_import__has_column(cr_import_ctx *ctx, int col)
{
    return ctx->field_of_col[col] >= 0;
}

int64_t cr_import__started_at(cr_import_ctx *ctx)
{
    return ctx->started_at;
}

int64_t cr_import__creator_option(cr_import_ctx *ctx)
{
    return ctx->creator_opt_id;
}

void cr_import__preamble_range(cr_import_ctx *ctx, int64_t *start, int64_t *end)
{
    *start = ctx->preamble_start;
    *end = ctx->preamble_end;
}

int cr_import__seen(cr_import_ctx *ctx, const char *key)
{
    int64_t one;
    size_t len = strlen(key);

    if (cr_map_get(&one, &ctx->seen, key, len) == CR_OK)
        return 1;
    return cr_map_put(&ctx->seen, key, len, 1) < 0 ? -1 : 0;
}

cr_err cr_import__file_error(cr_import_ctx *ctx, const char *fmt, ...)
{
    char detail[1000];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return file_error(ctx, ctx->header_line, "%s", detail);
}

static size_t cache_key(cr_import_ctx *ctx, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la + lb + 1 > sizeof(ctx->keybuf))
        return 0;
    memcpy(ctx->keybuf, a, la);
    ctx->keybuf[la] = '\0';
    memcpy(ctx->keybuf + la + 1, b, lb);
    return la + lb + 1;
}

static void cache_put(cr_map *m, const char *key, size_t len, int64_t id)
{
    if (len == 0)
        return;
    if (m->count >= CACHE_MAX_KEYS)
        cr_map_clear(m);
    cr_map_put(m, key, len, id); /* a cache: a failed put only costs a lookup later */
}

void cr_import__remember_creator(cr_import_ctx *ctx,
                                 const char *platform,
                                 const char *handle,
                                 int64_t id)
{
    cache_put(&ctx->creators, ctx->keybuf, cache_key(ctx, platform, handle), id);
}

void cr_import__remember_post(cr_import_ctx *ctx,
                              const char *platform,
                              const char *external_id,
                              int64_t id)
{
    cache_put(&ctx->posts, ctx->keybuf, cache_key(ctx, platform, external_id), id);
}

cr_err cr_import__creator_id(
    int64_t *out, cr_import_ctx *ctx, const char *platform, const char *handle, int handle_col)
{
    size_t klen = cache_key(ctx, platform, handle);
    cr_err rc;

    if (klen && cr_map_get(out, &ctx->creators, ctx->keybuf, klen) == CR_OK)
        return CR_OK;
    rc = cr_store_creator_find(out, ctx->st, platform, handle);
    if (rc == CR_ENOTFOUND)
        return cr_import__row_error(ctx, handle_col,
                                    "expected a known creator, found \"%s\" (no %s creator by "
                                    "that handle: import it with `crest import creators` first)",
                                    handle, platform);
    if (rc == CR_OK)
        cache_put(&ctx->creators, ctx->keybuf, cache_key(ctx, platform, handle), *out);
    return rc;
}

cr_err cr_import__post_id(
    int64_t *out, cr_import_ctx *ctx, const char *platform, const char *external_id, int post_col)
{
    size_t klen = cache_key(ctx, platform, external_id);
    cr_err rc;

    /* exports list a post's captures together: the last post looked up is the likely one */
    if (klen && klen == ctx->last_post_len && memcmp(ctx->keybuf, ctx->last_post, klen) == 0) {
        *out = ctx->last_post_id;
        return CR_OK;
    }
    if (klen && cr_map_get(out, &ctx->posts, ctx->keybuf, klen) == CR_OK) {
        memcpy(ctx->last_post, ctx->keybuf, klen);
        ctx->last_post_len = klen;
        ctx->last_post_id = *out;
        return CR_OK;
    }
    rc = cr_store_post_find(out, ctx->st, platform, external_id);
    if (rc == CR_ENOTFOUND)
        return cr_import__row_error(ctx, post_col,
                                    "expected a known post, found \"%s\" (no %s post with that "
                                    "id: import it with `crest import posts` first)",
                                    external_id, platform);
    if (rc == CR_OK)
        cache_put(&ctx->posts, ctx->keybuf, cache_key(ctx, platform, external_id), *out);
    return rc;
}

/* A CSV cell, always quoted, so rejects round-trip whatever the source delimiter was. */
static cr_err csv_cell(cr_str *out, const char *s, size_t len)
{
    size_t i;
    cr_err rc = cr_str_putc(out, '"');

    for (i = 0; i < len && rc == CR_OK; i++)
        rc = s[i] == '"' ? cr_str_put(out, "\"\"", 2) : cr_str_putc(out, s[i]);
    return rc < 0 ? rc : cr_str_putc(out, '"');
}

/* ---- header ---------------------------------------------------------------------------- */

static int column_matches(const cr_import_column *col, const char *key)
{
    char alias[64];
    const char *a, *comma;

    if (strcmp(col->name, key) == 0)
        return 1;
    for (a = col->aliases; a && *a; a = comma ? comma + 1 : NULL) {
        size_t n;
        comma = strchr(a, ',');
        n = comma ? (size_t)(comma - a) : strlen(a);
        if (n >= sizeof(alias))
            continue;
        cr_header_key(alias, a, n);
        if (strcmp(alias, key) == 0)
            return 1;
    }
    return 0;
}

static int column_by_name(const cr_import_kind *k, const char *name)
{
    size_t j;

    for (j = 0; j < k->ncolumns; j++)
        if (strcmp(k->columns[j].name, name) == 0)
            return (int)j;
    return -1;
}

static void header_cell_key(char *key, size_t size, const cr_csv_row *row, size_t i)
{
    size_t len = row->lens[i];

    if (len >= size)
        len = size - 1;
    cr_header_key(key, row->fields[i], len);
}

/* --map entries first (they override names and aliases), then names and aliases. */
static void match_header(header_match *m,
                         const cr_import_kind_def *def,
                         const cr_import_options *opts,
                         const cr_csv_row *row)
{
    const cr_import_kind *k = def->pub;
    char key[256], mkey[256];
    int mapped[32] = { 0 };
    size_t i, j, x;

    m->nreq = m->nreq_matched = m->nmatched = 0;
    m->dup_file_col = m->dup_kind_col = -1;
    m->bad_map = NULL;
    for (j = 0; j < k->ncolumns; j++)
        m->field_of_col[j] = -1;
    for (i = 0; i < row->nfields; i++)
        m->col_of_field[i] = -1;
    for (i = 0; i < row->nfields; i++) {
        header_cell_key(key, sizeof(key), row, i);
        for (x = 0; x < opts->nmaps; x++) {
            const char *eq = strchr(opts->maps[x], '=');
            int c;
            if (eq == NULL || (size_t)(eq - opts->maps[x]) >= sizeof(mkey))
                continue;
            cr_header_key(mkey, opts->maps[x], (size_t)(eq - opts->maps[x]));
            if (strcmp(mkey, key) != 0)
                continue;
            if ((c = column_by_name(k, eq + 1)) < 0) {
                if (m->bad_map == NULL)
                    m->bad_map = opts->maps[x];
                break;
            }
            if (m->field_of_col[c] >= 0) {
                if (m->dup_file_col < 0) {
                    m->dup_file_col = (int)i;
                    m->dup_kind_col = c;
                }
                break;
            }
            m->field_of_col[c] = (int)i;
            m->col_of_field[i] = c;
            mapped[c] = 1;
            break;
        }
    }
    for (i = 0; i < row->nfields; i++) {
        if (m->col_of_field[i] >= 0)
            continue;
        header_cell_key(key, sizeof(key), row, i);
        for (j = 0; j < k->ncolumns; j++) {
            if (!column_matches(&k->columns[j], key))
                continue;
            if (mapped[j]) /* --map chose another column for this field: this one is ignored */
                break;
            if (m->field_of_col[j] >= 0) {
                if (m->dup_file_col < 0) {
                    m->dup_file_col = (int)i;
                    m->dup_kind_col = (int)j;
                }
                break;
            }
            m->field_of_col[j] = (int)i;
            m->col_of_field[i] = (int)j;
            break;
        }
    }
    for (j = 0; j < k->ncolumns; j++) {
        if (m->field_of_col[j] >= 0)
            m->nmatched++;
        if (k->columns[j].required) {
            m->nreq++;
            m->nreq_matched += m->field_of_col[j] >= 0;
        }
    }
}

/* The required columns of a kind the header lacks, "a, b". */
static size_t
missing_columns(char *out, size_t size, const cr_import_kind *k, const header_match *m)
{
    size_t j, n = 0;

    out[0] = '\0';
    for (j = 0; j < k->ncolumns; j++) {
        if (!k->columns[j].required || m->field_of_col[j] >= 0)
            continue;
        snprintf(out + strlen(out), size - strlen(out), "%s%s", n++ ? ", " : "",
                 k->columns[j].name);
    }
    return n;
}

/* Pick the kind whose required columns are all in the header; among several, the one the
 * header fills most; a tie, or no kind at all, is an error naming the candidates. */
static cr_err detect_kind(cr_import_ctx *ctx, const cr_csv_row *row, header_match *m)
{
    const cr_import_kind_def *best = NULL;
    char names[600] = "", near[900] = "", miss[300];
    size_t i, best_n = 0, ties = 0, ncand = 0;

    for (i = 0; cr_import__kind_defs[i]; i++) {
        match_header(m, cr_import__kind_defs[i], ctx->opts, row);
        if (m->nreq_matched < m->nreq)
            continue;
        ncand++;
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                 ncand > 1 ? ", " : "", cr_import__kind_defs[i]->pub->name);
        if (best == NULL || m->nmatched > best_n) {
            best = cr_import__kind_defs[i];
            best_n = m->nmatched;
            ties = 0;
        } else if (m->nmatched == best_n) {
            ties++;
        }
    }
    if (best != NULL && ties == 0) {
        ctx->def = best;
        match_header(m, best, ctx->opts, row);
        ctx->res->detected = 1;
        return CR_OK;
    }
    if (best != NULL)
        return file_error(ctx, row->line,
                          "the header fits more than one import kind (%s): name the kind, e.g. "
                          "crest import %s FILE",
                          names, best->pub->name);
    /* the kinds that have some of their required columns, best first (at most 3) */
    for (i = 0; cr_import__kind_defs[i]; i++) {
        const cr_import_kind_def *d = cr_import__kind_defs[i];
        match_header(m, d, ctx->opts, row);
        if (m->nreq_matched == 0 || m->nreq_matched * 2 < m->nreq)
            continue;
        missing_columns(miss, sizeof(miss), d->pub, m);
        if (strlen(near) + strlen(miss) + 40 < sizeof(near))
            snprintf(near + strlen(near), sizeof(near) - strlen(near), "%s%s (missing %s)",
                     near[0] ? "; " : "", d->pub->name, miss);
    }
    if (near[0])
        return file_error(ctx, row->line,
                          "the header matches no import kind; closest: %s (crest import --kinds "
                          "lists the columns; --map COLUMN=FIELD names a column)",
                          near);
    return file_error(ctx, row->line,
                      "the header matches no import kind: name the kind, e.g. crest import "
                      "creators FILE (crest import --kinds lists them)");
}

static cr_err read_header(cr_import_ctx *ctx, const cr_csv_row *row)
{
    const cr_import_kind *k;
    header_match *m = &ctx->match;
    cr_import_rec rec;
    char key[256], missing[512], found[1024] = "";
    size_t i, nmissing;
    cr_err rc;

    if (!cr_utf8_valid(row->fields[0], strlen(row->fields[0])))
        return file_error(ctx, row->line, "the header is not UTF-8 text: save the file as UTF-8");
    ctx->ncols_file = row->nfields;
    for (i = 0; i < row->nfields; i++) {
        if ((i && (rc = cr_str_putc(&ctx->header_csv, ',')) < 0) ||
            (rc = csv_cell(&ctx->header_csv, row->fields[i], row->lens[i])) < 0)
            return rc;
        header_cell_key(key, sizeof(key), row, i);
        if (strlen(found) + strlen(key) + 10 < sizeof(found))
            snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s%s", i ? ", " : "",
                     key[0] ? key : "(empty)");
    }
    if (ctx->def == NULL) {
        if ((rc = detect_kind(ctx, row, m)) < 0)
            return rc;
        snprintf(ctx->res->kind, sizeof(ctx->res->kind), "%s", ctx->def->pub->name);
    } else {
        match_header(m, ctx->def, ctx->opts, row);
    }
    k = ctx->def->pub;
    if (m->bad_map) {
        char fields[600] = "";
        for (i = 0; i < k->ncolumns; i++)
            snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields), "%s%s",
                     i ? ", " : "", k->columns[i].name);
        return file_error(ctx, row->line, "--map %s: %s has no such field (its fields: %s)",
                          m->bad_map, k->name, fields);
    }
    if (m->dup_file_col >= 0)
        return file_error(ctx, row->line, "column %d (\"%s\") repeats column %d: both mean %s",
                          m->dup_file_col + 1, row->fields[m->dup_file_col],
                          m->field_of_col[m->dup_kind_col] + 1, k->columns[m->dup_kind_col].name);
    memcpy(ctx->field_of_col, m->field_of_col, sizeof(ctx->field_of_col));
    memcpy(ctx->col_of_field, m->col_of_field, row->nfields * sizeof(int));
    for (i = 0; i < row->nfields; i++) {
        char **ni;
        if (ctx->col_of_field[i] >= 0)
            continue;
        ni = cr_realloc(ctx->res->ignored_columns, (ctx->res->nignored + 1) * sizeof(char *));
        if (ni == NULL)
            return cr_error_oom();
        ctx->res->ignored_columns = ni;
        if ((ni[ctx->res->nignored] = cr_strdup(row->fields[i])) == NULL)
            return cr_error_oom();
        ctx->res->nignored++;
    }
    if ((nmissing = missing_columns(missing, sizeof(missing), k, m)) > 0)
        return file_error(ctx, row->line,
                          "missing required column%s %s for %s (the header has: %s)",
                          nmissing > 1 ? "s" : "", missing, k->name, found);

    /* the kind is known now: record the import under its name */
    memset(&rec, 0, sizeof(rec));
    rec.kind = k->name;
    rec.file = ctx->name;
    rec.sha256 = "";
    if ((rc = cr_store_import_begin(&ctx->import_id, ctx->st, &rec)) < 0)
        return rc;
    if (ctx->def->platform && ctx->opts->creator) {
        char handle[128];
        const char *why = NULL;
        size_t hl = strlen(ctx->opts->creator);
        if (hl >= sizeof(handle) || cr_handle_normalize(handle, ctx->opts->creator, hl, &why) < 0)
            return file_error(ctx, 0,
                              "--creator: expected a handle such as @maya.runs, found \"%s\"",
                              ctx->opts->creator);
        rc = cr_store_creator_find(&ctx->creator_opt_id, ctx->st, ctx->def->platform, handle);
        if (rc == CR_ENOTFOUND)
            return file_error(ctx, 0,
                              "--creator: no %s creator \"%s\" (import it with `crest import "
                              "creators` first)",
                              ctx->def->platform, handle);
        if (rc < 0)
            return rc;
    }
    if (ctx->def->begin && (rc = ctx->def->begin(ctx)) < 0)
        return rc;
    ctx->header_done = 1;
    return CR_OK;
}

/* ---- cells ----------------------------------------------------------------------------- */

static void trim_in_place(char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
        (*len)--;
    (*s)[*len] = '\0';
}

/* Lists: split on , ; | and rejoin trimmed, lower-cased, as "a,b,c". Output is never longer
 * than the input, so it is written in place. */
static size_t normalize_list(char *s, size_t len)
{
    size_t i, n = 0;
    int pending = 0;

    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c == ',' || c == ';' || c == '|') {
            pending = n > 0;
            continue;
        }
        if ((c == ' ' || c == '\t') && (n == 0 || pending || s[n - 1] == ' '))
            continue;
        if (pending) {
            while (n && s[n - 1] == ' ')
                n--;
            s[n++] = ',';
            pending = 0;
        }
        s[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    while (n && s[n - 1] == ' ')
        n--;
    s[n] = '\0';
    return n;
}

/* "the character ' ' is not allowed", for the first character a handle may not hold. */
static const char *bad_handle_char(const char *s, size_t len)
{
    static _Thread_local char buf[64];
    size_t i = (len && s[0] == '@') ? 1 : 0;

    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            break;
    }
    if (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
        snprintf(buf, sizeof(buf), "the character '%c' is not allowed", s[i]);
    else
        snprintf(buf, sizeof(buf), "it holds a character that is not allowed");
    return buf;
}

static int has_control(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20)
            return 1;
    return 0;
}

static cr_err parse_cell(cr_import_ctx *ctx, int col, char *s, size_t len, cr_import_value *v)
{
    cr_col_type t = ctx->def->types[col];
    const char *why = NULL;
    char found[64];
    const char *canon;

    trim_in_place(&s, &len);
    v->text = s;
    v->set = len > 0;
    if (!v->set) {
        if (ctx->def->pub->columns[col].required == 1)
            return cr_import__row_error(ctx, col, "expected %s, found an empty cell",
                                        type_expectation(t));
        return CR_OK;
    }
    if ((t == CR_COL_TEXT || t == CR_COL_KEY || t == CR_COL_LIST || t == CR_COL_URL ||
         t == CR_COL_EMAIL) &&
        !cr_utf8_valid(s, len))
        return cr_import__row_error(ctx, col,
                                    "expected UTF-8 text, found bytes that are not UTF-8 (is "
                                    "the file in Windows-1252 or Latin-1? save it as UTF-8)");
    switch (t) {
    case CR_COL_TEXT:
        if (len > TEXT_MAX_BYTES)
            why = "longer than 64 KiB";
        break;
    case CR_COL_KEY:
        if (len > KEY_MAX_BYTES)
            why = "longer than 200 bytes";
        else if (has_control(s, len))
            why = "holds a line break or control character";
        break;
    case CR_COL_PLATFORM:
        if ((canon = cr_platform_canonical(s, len)) == NULL) {
            quote_found(found, sizeof(found), s, len);
            return cr_import__row_error(ctx, col, "expected one of %s, found %s",
                                        cr_platform_list(), found);
        }
        v->text = canon;
        break;
    case CR_COL_HANDLE:
        quote_found(found, sizeof(found), s, len);
        if (cr_handle_normalize(s, s, len, &why) == CR_OK)
            why = NULL;
        else if (strcmp(why, "holds a character that is not allowed") == 0)
            return cr_import__row_error(ctx, col, "expected %s, found %s (%s)", type_expectation(t),
                                        found, bad_handle_char(s, len));
        break;
    case CR_COL_COUNT:
        if (cr_parse_count(&v->i, s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_RATE:
        if (cr_parse_rate(&v->d, s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_DATE:
        if (cr_parse_date(&v->i, s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_DATETIME:
        if (cr_parse_datetime(&v->i, s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_EMAIL:
        if (cr_email_check(s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_COUNTRY:
        if (cr_country_check(s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_LANGUAGE:
        if (cr_language_check(s, len, &why) == CR_OK)
            why = NULL;
        break;
    case CR_COL_URL:
        if (len > 2048)
            why = "longer than 2048 bytes";
        else if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
            why = "no http:// or https:// scheme";
        else if (memchr(s, ' ', len) != NULL || has_control(s, len))
            why = "holds blanks";
        break;
    case CR_COL_LIST:
        if (len > LIST_MAX_BYTES)
            why = "longer than 1000 bytes";
        else
            v->set = normalize_list(s, len) > 0;
        break;
    case CR_COL_DECIMAL:
        if (cr_parse_decimal(&v->d, s, len, &why) == CR_OK)
            why = v->d < 0 ? "a negative number" : v->d > CR_AMOUNT_MAX ? "number too large" : NULL;
        break;
    case CR_COL_DURATION:
        if (cr_import__parse_duration(&v->d, s, len, &why) == CR_OK)
            why = NULL;
        else if (why == NULL)
            why = type_expectation(t);
        break;
    case CR_COL_DAY:
    case CR_COL_WHEN:
        if (cr_import__parse_when(&v->i, s, len, t == CR_COL_DAY, &why) == CR_OK)
            why = NULL;
        else if (why == NULL)
            why = type_expectation(t);
        break;
    case CR_COL_BOOL:
        if (cr_import__parse_bool(&v->i, s, len) == CR_OK)
            why = NULL;
        else
            why = type_expectation(t);
        break;
    }
    if (why != NULL) {
        quote_found(found, sizeof(found), s, len);
        if (strcmp(why, type_expectation(t)) == 0)
            return cr_import__row_error(ctx, col, "expected %s, found %s", type_expectation(t),
                                        found);
        return cr_import__row_error(ctx, col, "expected %s, found %s (%s)", type_expectation(t),
                                    found, why);
    }
    return CR_OK;
}

/* ---- rows ------------------------------------------------------------------------------ */

/* Keep the row as read: parsing edits cells in place (trims, normalises), and a rejected
 * row must go to the rejects file exactly as it was. Only --partial pays for the copy. */
static cr_err keep_original(cr_import_ctx *ctx, const cr_csv_row *row)
{
    size_t i;
    cr_err rc;

    cr_str_clear(&ctx->orig);
    for (i = 0; i < row->nfields; i++) {
        ctx->orig_off[i] = ctx->orig.len;
        if ((rc = cr_str_put(&ctx->orig, row->fields[i], row->lens[i])) < 0)
            return rc;
    }
    return CR_OK;
}

static cr_err write_reject(cr_import_ctx *ctx, const cr_csv_row *row, const char *reason)
{
    cr_str line;
    size_t i;
    cr_err rc;

    if (ctx->rejects == NULL) {
        if ((ctx->rejects = fopen(ctx->rejects_tmp, "w")) == NULL)
            return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot write: %s", ctx->rejects_tmp,
                                strerror(errno));
        fprintf(ctx->rejects, "line,reason,%s\n", cr_str_cstr(&ctx->header_csv));
    }
    cr_str_init(&line, 0);
    rc = cr_str_printf(&line, "%lld,", (long long)row->line);
    if (rc == CR_OK)
        rc = csv_cell(&line, reason, strlen(reason));
    for (i = 0; i < row->nfields && rc == CR_OK; i++)
        if ((rc = cr_str_putc(&line, ',')) == CR_OK)
            rc = csv_cell(&line, cr_str_cstr(&ctx->orig) + ctx->orig_off[i], row->lens[i]);
    if (rc == CR_OK && (fwrite(line.ptr, 1, line.len, ctx->rejects) != line.len ||
                        fputc('\n', ctx->rejects) == EOF))
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: write error", ctx->rejects_tmp);
    cr_str_dispose(&line);
    return rc;
}

static cr_err on_row(const cr_csv_row *row, void *payload)
{
    cr_import_ctx *ctx = payload;
    const cr_import_kind *k;
    int64_t before = ctx->res->issues_total;
    size_t i, j;
    cr_err rc;

    if (!ctx->header_done) {
        ctx->header_line = row->line;
        return read_header(ctx, row);
    }
    k = ctx->def->pub;
    ctx->res->rows_read++;
    ctx->row = row;
    ctx->row_failed = 0;
    if (ctx->opts->partial && (rc = keep_original(ctx, row)) < 0)
        return rc;
    if (row->nfields != ctx->ncols_file) {
        cr_import__row_error(ctx, -1, "expected %zu fields as in the header, found %zu",
                             ctx->ncols_file, row->nfields);
    } else {
        for (j = 0; j < k->ncolumns; j++) {
            int f = ctx->field_of_col[j];
            ctx->values[j].set = 0;
            ctx->values[j].text = NULL;
            if (f >= 0)
                parse_cell(ctx, (int)j, row->fields[f], row->lens[f], &ctx->values[j]);
        }
        if (!ctx->row_failed) {
            rc = ctx->def->apply(ctx, ctx->values);
            if (rc == CR_IMPORT_SKIP_ROW) {
                ctx->res->rows_skipped++;
                return CR_OK;
            }
            if (rc < 0 && !ctx->row_failed) {
                /* a store-level refusal of this row (e.g. a constraint) is the row's fault;
                 * anything else stops the import */
                if (rc != CR_EINVALID)
                    return rc;
                cr_import__row_error(ctx, -1, "%s", cr_error_last()->message);
            }
        }
    }
    if (ctx->row_failed) {
        ctx->res->rows_rejected++;
        if (ctx->opts->partial) {
            const char *reason = "";
            for (i = 0; i < ctx->res->nissues; i++)
                if (ctx->res->issues[i].line == row->line)
                    reason = ctx->res->issues[i].message;
            if (reason[0] == '\0' && ctx->res->issues_total > before)
                reason = "rejected (see the first problems listed)";
            return write_reject(ctx, row, reason);
        }
        return CR_OK;
    }
    ctx->res->rows_imported++;
    if (ctx->opts->partial && ++ctx->batch_rows >= PARTIAL_BATCH_ROWS) {
        ctx->batch_rows = 0;
        if ((rc = cr_store_commit(ctx->st)) < 0 || (rc = cr_store_begin_bulk(ctx->st)) < 0)
            return rc;
    }
    return CR_OK;
}

/* The checksum of a regular file is computed by a second thread reading the file on its own,
 * so hashing costs no time on the parsing path (2 cores are the norm). */
typedef struct {
    const char *path;
    char hex[CR_SHA256_HEX];
    cr_err rc;
    char message[1024];
} hash_job;

static void *hash_thread(void *arg)
{
    hash_job *job = arg;

    if ((job->rc = cr_sha256_file(job->hex, job->path)) < 0)
        snprintf(job->message, sizeof(job->message), "%s", cr_error_last()->message);
    return NULL;
}

static void on_bytes(const void *data, size_t len, void *payload)
{
    cr_import_ctx *ctx = payload;

    crypto_hash_sha256_update(&ctx->sha, data, len);
}

static void on_progress(uint64_t done, void *payload)
{
    cr_import_ctx *ctx = payload;

    if (ctx->opts->progress)
        ctx->opts->progress(done, ctx->bytes_total, ctx->opts->progress_payload);
}

/* ---- the file -------------------------------------------------------------------------- */

static const char *kind_names(void)
{
    static _Thread_local char buf[300];
    size_t i;

    buf[0] = '\0';
    for (i = 0; cr_import__kind_defs[i]; i++)
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? ", " : "",
                 cr_import__kind_defs[i]->pub->name);
    return buf;
}

/* GA4 files open with "# Start date: 20260301" and "# End date: 20260331". */
static void on_comment(const char *line, size_t len, int64_t lineno, void *payload)
{
    cr_import_ctx *ctx = payload;
    static const char *const keys[] = { "# Start date:", "# End date:" };
    char buf[64];
    size_t i, k;

    (void)lineno;
    for (k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        int64_t t;
        const char *why;
        if (len <= kl || len - kl >= sizeof(buf) || strncmp(line, keys[k], kl) != 0)
            continue;
        for (i = kl; i < len && line[i] == ' '; i++)
            ;
        memcpy(buf, line + i, len - i);
        buf[len - i] = '\0';
        if (cr_import__parse_when(&t, buf, strlen(buf), 1, &why) == CR_OK)
            *(k == 0 ? &ctx->preamble_start : &ctx->preamble_end) = t;
    }
}

cr_err cr_import_file(cr_import_result *out,
                      cr_store *st,
                      const char *kind,
                      const char *path,
                      const cr_import_options *opts)
{
    static const cr_import_options defaults = CR_IMPORT_OPTIONS_INIT;
    cr_import_ctx *ctx = NULL;
    cr_csv_reader reader;
    unsigned char digest[crypto_hash_sha256_BYTES];
    FILE *f = NULL;
    struct stat sb;
    int in_tx = 0, hashing = 0;
    hash_job job;
    pthread_t hasher;
    size_t i;
    cr_err rc;

    memset(out, 0, sizeof(*out));
    if (opts == NULL)
        opts = &defaults;
    if ((ctx = cr_calloc(1, sizeof(*ctx))) == NULL)
        return cr_error_oom();
    cr_map_init(&ctx->creators);
    cr_map_init(&ctx->posts);
    cr_str_init(&ctx->header_csv, 0);
    cr_str_init(&ctx->orig, 0);
    ctx->st = st;
    ctx->res = out;
    ctx->opts = opts;
    ctx->name = opts->display_name ? opts->display_name : strcmp(path, "-") == 0 ? "<stdin>" : path;
    ctx->started_at = cr_now();
    cr_map_init(&ctx->seen);
    if (kind == NULL)
        kind = CR_IMPORT_KIND_AUTO;
    snprintf(out->kind, sizeof(out->kind), "%s", kind);
    for (i = 0; cr_import__kind_defs[i]; i++)
        if (strcmp(cr_import__kind_defs[i]->pub->name, kind) == 0)
            ctx->def = cr_import__kind_defs[i];
    if (ctx->def == NULL && strcmp(kind, CR_IMPORT_KIND_AUTO) != 0) {
        rc = cr_error_set(CR_ENOTFOUND, CR_ERRCLASS_IMPORT,
                          "unknown import kind '%s': expected one of %s", kind, kind_names());
        goto done;
    }
    if (strcmp(path, "-") == 0) {
        f = stdin;
    } else if ((f = fopen(path, "rb")) == NULL) {
        rc = cr_error_set(errno == ENOENT ? CR_ENOTFOUND : CR_EIO, CR_ERRCLASS_OS,
                          "%s: cannot open: %s", path, strerror(errno));
        goto done;
    } else if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_OS, "%s: is a directory, not a CSV file", path);
        goto done;
    } else if (fstat(fileno(f), &sb) == 0) {
        ctx->bytes_total = (uint64_t)sb.st_size;
    }
    if (opts->partial) {
        const char *base = opts->rejects_path;
        char def[4096];
        if (base == NULL) {
            snprintf(def, sizeof(def), "%s.rejects.csv", strcmp(path, "-") == 0 ? "stdin" : path);
            base = def;
        }
        snprintf(out->rejects_path, sizeof(out->rejects_path), "%s", base);
        snprintf(ctx->rejects_tmp, sizeof(ctx->rejects_tmp), "%s.tmp", base);
    }
    crypto_hash_sha256_init(&ctx->sha);
    memset(&job, 0, sizeof(job));
    job.path = path;
    if (f != stdin && pthread_create(&hasher, NULL, hash_thread, &job) == 0)
        hashing = 1;

    if ((rc = cr_store_begin_bulk(st)) < 0)
        goto done;
    in_tx = 1; /* the import is recorded once the header names the kind (read_header) */

    memset(&reader, 0, sizeof(reader));
    reader.name = ctx->name;
    reader.on_row = on_row;
    reader.on_bytes = hashing ? NULL : on_bytes;
    reader.on_progress = opts->progress ? on_progress : NULL;
    reader.payload = ctx;
    reader.on_comment = on_comment;
    rc = cr_csv_read(&reader, f);
    out->delimiter = reader.delimiter;
    if (rc == CR_EINVALID && out->issues_total == 0)
        add_issue(ctx, 0, 0, "", cr_error_last()->message);
    if (rc < 0)
        goto done;
    if (!ctx->header_done) {
        if (ctx->def)
            rc =
                file_error(ctx, 0, "empty file: expected a header line naming the columns, e.g. %s",
                           ctx->def->pub->columns[0].name);
        else
            rc = file_error(ctx, 0, "empty file: expected a header line naming the columns");
        goto done;
    }
    if (hashing) {
        pthread_join(hasher, NULL);
        hashing = 0;
        if (job.rc < 0) {
            rc = cr_error_set(job.rc, CR_ERRCLASS_OS, "%s", job.message);
            goto done;
        }
        memcpy(out->sha256, job.hex, sizeof(out->sha256));
    } else {
        crypto_hash_sha256_final(&ctx->sha, digest);
        sodium_bin2hex(out->sha256, sizeof(out->sha256), digest, sizeof(digest));
    }

    if (out->rows_rejected > 0 && !opts->partial) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT, "%s%s",
                          out->issues ? out->issues[0].message : "invalid rows",
                          out->issues_total > 1 ? " (and more problems: nothing was imported)"
                                                : " (nothing was imported)");
        goto done;
    }
    if (!opts->force) {
        int64_t prev_id, prev_rows;
        rc = cr_store_import_find(st, out->kind, out->sha256, &prev_id, &prev_rows);
        if (rc == CR_OK && !opts->partial) {
            out->already_imported = 1;
            out->previous_import_id = prev_id;
            out->rows_imported = 0;
            cr_store_rollback(st);
            in_tx = 0;
            rc = CR_OK;
            goto done;
        }
        if (rc < 0 && rc != CR_ENOTFOUND)
            goto done;
    }
    /* rollups and attribution land with the rows they come from */
    if ((rc = cr_store_track_refresh(st, 0)) < 0 || (rc = cr_store_discover_refresh(st, 0)) < 0 ||
        (rc = cr_discover_refresh_saved(st)) < 0 ||
        (rc = cr_store_import_finish(st, ctx->import_id, out->sha256, out->rows_imported,
                                     out->rows_rejected)) < 0 ||
        (rc = cr_store_commit(st)) < 0)
        goto done;
    in_tx = 0;
    out->import_id = ctx->import_id;
    rc = CR_OK;
done:
    if (hashing)
        pthread_join(hasher, NULL);
    if (in_tx)
        cr_store_rollback(st);
    if (ctx && ctx->rejects) {
        int bad = fclose(ctx->rejects) != 0;
        if (rc == CR_OK && !bad && rename(ctx->rejects_tmp, out->rejects_path) == 0) {
            /* rejects written */
        } else {
            remove(ctx->rejects_tmp);
            out->rejects_path[0] = '\0';
        }
    } else if (ctx) {
        if (opts->partial && rc == CR_OK)
            remove(out->rejects_path); /* a stale rejects file from an earlier run */
        out->rejects_path[0] = '\0';
    }
    if (rc < 0 && rc != CR_EINVALID)
        out->rows_imported = 0;
    if (rc == CR_EINVALID && !opts->partial)
        out->rows_imported = 0;
    if (f && f != stdin)
        fclose(f);
    if (ctx) {
        cr_map_dispose(&ctx->creators);
        cr_map_dispose(&ctx->posts);
        cr_map_dispose(&ctx->seen);
        cr_str_dispose(&ctx->header_csv);
        cr_str_dispose(&ctx->orig);
        cr_free(ctx);
    }
    return rc;
}

void cr_import_result_dispose(cr_import_result *res)
{
    size_t i;

    if (res == NULL)
        return;
    cr_free(res->issues);
    for (i = 0; i < res->nignored; i++)
        cr_free(res->ignored_columns[i]);
    cr_free(res->ignored_columns);
    memset(res, 0, sizeof(*res));
}
