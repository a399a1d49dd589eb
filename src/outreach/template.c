/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * template.c - the outreach templates: a mustache subset, written once and used for the
 * subject, the text and the HTML of every message.
 *
 * A template is cut into tokens first (text, variable, raw variable, section, inverted
 * section, close, comment), each with its line and column, and the sections are matched, so
 * that every syntax error is found before anything is rendered, whatever the data. Rendering
 * walks the tokens with a stack of JSON values (the context, then the section values
 * entered); a name is looked up from the innermost value outwards, as in mustache. A variable
 * that resolves to nothing or to "" renders as "" and is recorded for the lint, which refuses
 * to send such a message and says which variable, where. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "crest/outreach.h"
#include "util/alloc.h"
#include "util/str.h"

#define TPL_MAX_DEPTH  32
#define TPL_MAX_OUTPUT ((size_t)4 << 20)
#define TPL_MAX_TOKENS 100000

enum tok_kind { TOK_TEXT, TOK_VAR, TOK_RAW, TOK_SECTION, TOK_INVERTED, TOK_CLOSE, TOK_COMMENT };

typedef struct {
    enum tok_kind kind;
    const char *s; /* text, or the tag's name */
    size_t n;
    int line, col;
    size_t match; /* sections: the index of their close */
} tpl_tok;

typedef struct {
    const char *name; /* for messages */
    tpl_tok *toks;
    size_t ntoks, cap;
    cr_str out;
    cr_tpl_lint *lint;
    int html;
    json_t *stack[TPL_MAX_DEPTH + 1];
    size_t depth;
} tpl;

/* Column of `p` on its line, in characters (UTF-8 continuation bytes do not count). */
static void tpl_where(const char *base, const char *p, int *line, int *col)
{
    const char *q;
    int l = 1, c = 1;

    for (q = base; q < p; q++) {
        if (*q == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static cr_err tpl_push(tpl *t, enum tok_kind kind, const char *s, size_t n, int line, int col)
{
    tpl_tok *tk;

    if (t->ntoks == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        tpl_tok *p;

        if (t->ntoks >= TPL_MAX_TOKENS)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: more than %d tags",
                                t->name, line, col, TPL_MAX_TOKENS);
        if ((p = cr_realloc(t->toks, cap * sizeof(*p))) == NULL)
            return cr_error_oom();
        t->toks = p;
        t->cap = cap;
    }
    tk = &t->toks[t->ntoks++];
    tk->kind = kind;
    tk->s = s;
    tk->n = n;
    tk->line = line;
    tk->col = col;
    tk->match = 0;
    return CR_OK;
}

static int name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A tag that may stand alone on its line (and then takes the line with it). */
static int standalone_kind(enum tok_kind k)
{
    return k == TOK_SECTION || k == TOK_INVERTED || k == TOK_CLOSE || k == TOK_COMMENT;
}

/* Cut the template into tokens and match the sections. */
static cr_err tpl_parse(tpl *t, const char *src, size_t len)
{
    const char *p = src, *end = src + len, *text = src;
    size_t open[TPL_MAX_DEPTH];
    size_t nopen = 0;
    cr_err rc;

    while (p < end) {
        const char *tag, *body, *close, *after, *ls;
        enum tok_kind kind = TOK_VAR;
        int line, col, triple = 0;
        size_t n;

        if (p + 1 >= end || p[0] != '{' || p[1] != '{') {
            p++;
            continue;
        }
        tag = p;
        tpl_where(src, tag, &line, &col);
        body = p + 2;
        if (body < end && *body == '{') {
            triple = 1;
            body++;
        }
        close = NULL;
        for (after = body; after + 1 < end; after++)
            if (after[0] == '}' && after[1] == '}') {
                close = after;
                break;
            }
        if (close == NULL)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: unclosed tag '{{'",
                                t->name, line, col);
        after = close + 2;
        if (triple) {
            if (after >= end || *after != '}')
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "%s:%d:%d: '{{{' closed by '}}' instead of '}}}'", t->name,
                                    line, col);
            after++;
            kind = TOK_RAW;
        }
        while (body < close && is_blank(*body))
            body++;
        if (!triple && body < close) {
            switch (*body) {
            case '#':
                kind = TOK_SECTION;
                break;
            case '^':
                kind = TOK_INVERTED;
                break;
            case '/':
                kind = TOK_CLOSE;
                break;
            case '!':
                kind = TOK_COMMENT;
                break;
            case '&':
                kind = TOK_RAW;
                break;
            case '>':
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "%s:%d:%d: partials ({{>name}}) are not supported", t->name,
                                    line, col);
            case '=':
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "%s:%d:%d: delimiter changes ({{=...=}}) are not supported",
                                    t->name, line, col);
            default:
                break;
            }
            if (kind != TOK_VAR)
                body++;
        }
        n = (size_t)(close - body);
        while (n > 0 && is_blank(body[n - 1]))
            n--;
        while (n > 0 && is_blank(*body)) {
            body++;
            n--;
        }
        if (kind != TOK_COMMENT) {
            size_t i;

            if (n == 0)
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%d:%d: empty tag", t->name,
                                    line, col);
            for (i = 0; i < n; i++)
                if (!name_char((unsigned char)body[i]))
                    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                        "%s:%d:%d: '%.*s' is not a variable name (letters, "
                                        "digits, '_', '-' and '.')",
                                        t->name, line, col, (int)(n > 64 ? 64 : n), body);
        }
        /* alone on its line: the line goes, with its indentation and its end */
        if (standalone_kind(kind)) {
            const char *q = after;

            for (ls = tag; ls > text && is_blank(ls[-1]); ls--)
                ;
            if (ls == src || (ls > src && ls[-1] == '\n')) {
                while (q < end && is_blank(*q))
                    q++;
                if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n')
                    q++;
                if (q >= end || *q == '\n') {
                    if (ls > text &&
                        (rc = tpl_push(t, TOK_TEXT, text, (size_t)(ls - text), 0, 0)) < 0)
                        return rc;
                    text = tag; /* nothing left before the tag */
                    after = q < end ? q + 1 : q;
                }
            }
        }
        if (tag > text && (rc = tpl_push(t, TOK_TEXT, text, (size_t)(tag - text), 0, 0)) < 0)
            return rc;
        if ((rc = tpl_push(t, kind, body, n, line, col)) < 0)
            return rc;
        if (kind == TOK_SECTION || kind == TOK_INVERTED) {
            if (nopen == TPL_MAX_DEPTH)
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "%s:%d:%d: sections nested deeper than %d", t->name, line, col,
                                    TPL_MAX_DEPTH);
            open[nopen++] = t->ntoks - 1;
        } else if (kind == TOK_CLOSE) {
            tpl_tok *o;

            if (nopen == 0)
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "%s:%d:%d: {{/%.*s}} closes no section", t->name, line, col,
                                    (int)(n > 64 ? 64 : n), body);
            o = &t->toks[open[--nopen]];
            if (o->n != n || memcmp(o->s, body, n) != 0)
                return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                                    "%s:%d:%d: {{/%.*s}} closes {{%c%.*s}} opened at %d:%d",
                                    t->name, line, col, (int)(n > 64 ? 64 : n), body,
                                    o->kind == TOK_SECTION ? '#' : '^',
                                    (int)(o->n > 64 ? 64 : o->n), o->s, o->line, o->col);
            o->match = t->ntoks - 1;
        }
        p = text = after;
    }
    if (end > text && (rc = tpl_push(t, TOK_TEXT, text, (size_t)(end - text), 0, 0)) < 0)
        return rc;
    if (nopen > 0) {
        const tpl_tok *o = &t->toks[open[nopen - 1]];

        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s:%d:%d: section {{%c%.*s}} is never closed", t->name, o->line,
                            o->col, o->kind == TOK_SECTION ? '#' : '^',
                            (int)(o->n > 64 ? 64 : o->n), o->s);
    }
    return CR_OK;
}

/* Look a (dotted) name up from the innermost context outwards; NULL when it resolves to
 * nothing. Once the first part is found, the rest must follow from it. */
static json_t *tpl_lookup(const tpl *t, const char *s, size_t n)
{
    char key[256];
    const char *dot;
    json_t *v = NULL;
    size_t i, k;

    if (n == 1 && s[0] == '.')
        return t->stack[t->depth];
    dot = memchr(s, '.', n);
    k = dot ? (size_t)(dot - s) : n;
    if (k == 0 || k >= sizeof(key))
        return NULL;
    memcpy(key, s, k);
    key[k] = '\0';
    for (i = t->depth + 1; i-- > 0;) {
        if (json_is_object(t->stack[i]) && (v = json_object_get(t->stack[i], key)) != NULL)
            break;
    }
    while (v != NULL && dot != NULL) {
        const char *part = dot + 1;

        dot = memchr(part, '.', n - (size_t)(part - s));
        k = dot ? (size_t)(dot - part) : n - (size_t)(part - s);
        if (k == 0 || k >= sizeof(key) || !json_is_object(v))
            return NULL;
        memcpy(key, part, k);
        key[k] = '\0';
        v = json_object_get(v, key);
    }
    return v;
}

static int tpl_truthy(const json_t *v)
{
    if (v == NULL || json_is_null(v) || json_is_false(v))
        return 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    if (json_is_real(v))
        return json_real_value(v) != 0.0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    return 1;
}

static cr_err tpl_escape_into(cr_str *out, const char *s, size_t n)
{
    size_t i, from = 0;
    cr_err rc;

    for (i = 0; i < n; i++) {
        const char *e;

        switch (s[i]) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '>':
            e = "&gt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\'':
            e = "&#39;";
            break;
        default:
            continue;
        }
        if ((rc = cr_str_put(out, s + from, i - from)) < 0 || (rc = cr_str_puts(out, e)) < 0)
            return rc;
        from = i + 1;
    }
    return cr_str_put(out, s + from, n - from);
}

static void tpl_issue(tpl *t, const tpl_tok *tk, int empty)
{
    cr_tpl_issue *is;

    if (t->lint == NULL)
        return;
    if (t->lint->count < CR_TPL_MAX_ISSUES) {
        is = &t->lint->issues[t->lint->count];
        snprintf(is->name, sizeof(is->name), "%.*s", (int)(tk->n < 127 ? tk->n : 127), tk->s);
        is->line = tk->line;
        is->column = tk->col;
        is->empty = empty;
    }
    t->lint->count++;
}

static cr_err tpl_var(tpl *t, const tpl_tok *tk)
{
    json_t *v = tpl_lookup(t, tk->s, tk->n);
    char num[64];
    const char *s;
    size_t n;

    if (json_is_string(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (json_is_integer(v)) {
        n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
    } else if (json_is_real(v)) {
        n = (size_t)snprintf(num, sizeof(num), "%.15g", json_real_value(v));
        s = num;
    } else if (json_is_boolean(v)) {
        s = json_is_true(v) ? "true" : "false";
        n = strlen(s);
    } else {
        tpl_issue(t, tk, 0); /* missing, null, or not a scalar */
        return CR_OK;
    }
    if (n == 0) {
        tpl_issue(t, tk, 1);
        return CR_OK;
    }
    if (t->html && tk->kind == TOK_VAR)
        return tpl_escape_into(&t->out, s, n);
    return cr_str_put(&t->out, s, n);
}

static cr_err tpl_render(tpl *t, size_t from, size_t to);

static cr_err tpl_enter(tpl *t, json_t *v, size_t from, size_t to)
{
    cr_err rc;

    if (t->depth >= TPL_MAX_DEPTH)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s: sections nested too deep",
                            t->name);
    t->stack[++t->depth] = v;
    rc = tpl_render(t, from, to);
    t->depth--;
    return rc;
}

/* Render tokens [from, to). */
static cr_err tpl_render(tpl *t, size_t from, size_t to)
{
    size_t i = from;
    cr_err rc;

    while (i < to) {
        const tpl_tok *tk = &t->toks[i];
        json_t *v;

        switch (tk->kind) {
        case TOK_TEXT:
            if ((rc = cr_str_put(&t->out, tk->s, tk->n)) < 0)
                return rc;
            break;
        case TOK_VAR:
        case TOK_RAW:
            if ((rc = tpl_var(t, tk)) < 0)
                return rc;
            break;
        case TOK_SECTION:
            v = tpl_lookup(t, tk->s, tk->n);
            if (tpl_truthy(v)) {
                if (json_is_array(v)) {
                    size_t k;
                    json_t *item;

                    json_array_foreach(v, k, item)
                    {
                        if ((rc = tpl_enter(t, item, i + 1, tk->match)) < 0)
                            return rc;
                    }
                } else if ((rc = tpl_enter(t, v, i + 1, tk->match)) < 0) {
                    return rc;
                }
            }
            i = tk->match;
            break;
        case TOK_INVERTED:
            v = tpl_lookup(t, tk->s, tk->n);
            if (!tpl_truthy(v) && (rc = tpl_render(t, i + 1, tk->match)) < 0)
                return rc;
            i = tk->match;
            break;
        case TOK_CLOSE:
        case TOK_COMMENT:
            break;
        }
        i++;
    }
    return CR_OK;
}

cr_err cr_tpl_render(char **out,
                     cr_tpl_lint *lint,
                     const char *name,
                     const char *src,
                     size_t len,
                     const char *context_json,
                     int html)
{
    json_error_t jerr;
    json_t *ctx = NULL;
    tpl t;
    cr_err rc;

    if (out != NULL)
        *out = NULL;
    if (lint != NULL)
        memset(lint, 0, sizeof(*lint));
    memset(&t, 0, sizeof(t));
    t.name = name ? name : "template";
    t.lint = lint;
    t.html = html;
    cr_str_init(&t.out, TPL_MAX_OUTPUT);
    if (src == NULL)
        src = "";
    if ((rc = tpl_parse(&t, src, len)) < 0)
        goto done;
    ctx = json_loads(context_json ? context_json : "{}", 0, &jerr);
    if (!json_is_object(ctx)) {
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                          "%s: the context is not a JSON object (%d:%d: %s)", t.name, jerr.line,
                          jerr.column, ctx ? "not an object" : jerr.text);
        goto done;
    }
    t.stack[0] = ctx;
    if ((rc = tpl_render(&t, 0, t.ntoks)) < 0)
        goto done;
    if (out != NULL) {
        if ((*out = cr_str_detach(&t.out)) == NULL && (*out = cr_strdup("")) == NULL)
            rc = cr_error_oom();
    }
done:
    json_decref(ctx);
    cr_str_dispose(&t.out);
    cr_free(t.toks);
    return rc;
}

cr_err cr_tpl_lint_check(const cr_tpl_lint *lint, const char *name)
{
    char msg[900];
    size_t i, n, used = 0;

    if (lint == NULL || lint->count == 0)
        return CR_OK;
    n = lint->count < CR_TPL_MAX_ISSUES ? lint->count : CR_TPL_MAX_ISSUES;
    msg[0] = '\0';
    for (i = 0; i < n && used < sizeof(msg) - 1; i++) {
        const cr_tpl_issue *is = &lint->issues[i];
        int k = snprintf(msg + used, sizeof(msg) - used, "%s%s%s%d:%d: {{%s}} is %s", i ? "; " : "",
                         is->part, is->part[0] ? ":" : "", is->line, is->column, is->name,
                         is->empty ? "empty" : "missing");

        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (used >= sizeof(msg))
        used = sizeof(msg) - 1;
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "%s:%s%s", name ? name : "template", msg,
                        lint->count > n ? "; ..." : "");
}

cr_err cr_outreach_html_escape(char **out, const char *text)
{
    cr_str s;
    cr_err rc;

    *out = NULL;
    cr_str_init(&s, TPL_MAX_OUTPUT);
    if ((rc = tpl_escape_into(&s, text ? text : "", text ? strlen(text) : 0)) < 0 ||
        (rc = cr_str_puts(&s, "")) < 0) {
        cr_str_dispose(&s);
        return rc;
    }
    *out = cr_str_detach(&s);
    return *out ? CR_OK : cr_error_oom();
}

cr_err cr_outreach_text_to_html(char **out, const char *text)
{
    const char *p = text ? text : "", *line;
    cr_str s;
    int in_p = 0;
    cr_err rc = CR_OK;

    *out = NULL;
    cr_str_init(&s, TPL_MAX_OUTPUT);
    while (rc == CR_OK && *p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);

        line = p;
        p = nl ? nl + 1 : p + n;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n == 0) {
            if (in_p)
                rc = cr_str_puts(&s, "</p>\n");
            in_p = 0;
            continue;
        }
        rc = cr_str_puts(&s, in_p ? "<br>\n" : "<p>");
        in_p = 1;
        if (rc == CR_OK)
            rc = tpl_escape_into(&s, line, n);
    }
    if (rc == CR_OK && in_p)
        rc = cr_str_puts(&s, "</p>\n");
    if (rc == CR_OK)
        rc = cr_str_puts(&s, "");
    if (rc < 0) {
        cr_str_dispose(&s);
        return rc;
    }
    *out = cr_str_detach(&s);
    return *out ? CR_OK : cr_error_oom();
}

void cr_outreach_text_free(char *text)
{
    cr_free(text);
}
