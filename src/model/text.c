/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * text.c - the text classifiers (comment spam, sentiment): multinomial naive Bayes over
 * hashed features of a hand-written tokenizer. Text is case-folded with utf8proc
 * (UTF8PROC_CASEFOLD, one code point at a time, no allocation); words are runs of letters,
 * digits and marks; features are words, word pairs and character n-grams of the folded text,
 * each counted once per text and hashed (FNV-1a, 64 bit) into a fixed number of buckets, so a
 * model is a table of counts, not a vocabulary. The counts are written to the model as one
 * string ("bucket:c0,c1 ..."), which keeps the shipped file small and diffable. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "ingest/csv.h"
#include "model/model_int.h"
#include "util/alloc.h"
#include "util/str.h"

#define FOLDS 10
#define SEED  20151209u /* ICMLA'15 */

typedef struct {
    uint32_t bits;        /* buckets = 1 << bits */
    int char_lo, char_hi; /* character n-gram lengths */
    double alpha;         /* Laplace smoothing */
    int uniform_prior;    /* sentiment: equal class priors (macro recall) */
} text_params;

static text_params params_for(cr_model_kind kind)
{
    text_params p;

    p.bits = 18;
    p.char_lo = kind == CR_MODEL_SPAM ? 2 : 3;
    p.char_hi = kind == CR_MODEL_SPAM ? 4 : 5;
    p.alpha = 0.1;
    p.uniform_prior = kind == CR_MODEL_SENTIMENT;
    return p;
}

/* ---- tokenizer and features ---- */

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

#define FNV0 14695981039346656037ull

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

typedef struct {
    uint32_t *v;
    size_t n, cap;
} feats;

static cr_err feats_add(feats *f, uint64_t h, uint32_t bits)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        uint32_t *v = cr_realloc(f->v, cap * sizeof(*v));

        if (v == NULL)
            return cr_error_oom();
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = (uint32_t)(h & ((1u << bits) - 1));
    return CR_OK;
}

/* Fold `s` into `out`: case-folded UTF-8, word characters kept, every other run of
 * characters a single space; word boundaries at the spaces. Invalid bytes become spaces. */
static cr_err fold_text(cr_str *out, const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    int space = 1;
    cr_err rc;

    cr_str_clear(out);
    while (i < len) {
        utf8proc_int32_t cp, buf[8];
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp), k, m;
        utf8proc_category_t cat;
        int last = 0;

        if (n <= 0) {
            i++;
            cp = ' ';
        } else {
            i += (size_t)n;
        }
        cat = utf8proc_category(cp);
        if (!(cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) && cp != '\'' &&
            cp != '$' && cp != '!' && cp != '?') {
            if (!space && (rc = cr_str_putc(out, ' ')) < 0)
                return rc;
            space = 1;
            continue;
        }
        if (cp == '\'') /* don't -> dont */
            continue;
        m = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &last);
        for (k = 0; k < m && k < 8; k++) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t e = utf8proc_encode_char(buf[k], enc);

            if ((rc = cr_str_put(out, (const char *)enc, (size_t)e)) < 0)
                return rc;
        }
        space = 0;
    }
    return CR_OK;
}

/* The distinct hashed features of one text, sorted. */
static cr_err text_features(feats *f, cr_str *tmp, const char *s, size_t len, const text_params *tp)
{
    const char *t, *prev = NULL, *w;
    size_t tl, prevlen = 0, i, j;
    int n;
    cr_err rc;

    f->n = 0;
    if ((rc = fold_text(tmp, s, len)) < 0)
        return rc;
    t = cr_str_cstr(tmp);
    tl = strlen(t);
    /* words and word pairs */
    for (i = 0; i < tl;) {
        while (i < tl && t[i] == ' ')
            i++;
        if (i >= tl)
            break;
        w = t + i;
        for (j = i; j < tl && t[j] != ' '; j++)
            ;
        if ((rc = feats_add(f, fnv(fnv(FNV0, "w", 1), w, j - i), tp->bits)) < 0)
            return rc;
        if (prev) {
            uint64_t h = fnv(fnv(fnv(FNV0, "b", 1), prev, prevlen), " ", 1);

            if ((rc = feats_add(f, fnv(h, w, j - i), tp->bits)) < 0)
                return rc;
        }
        prev = w;
        prevlen = j - i;
        i = j;
    }
    /* character n-grams of " folded text " (bytes; a word edge is a space) */
    for (n = tp->char_lo; n <= tp->char_hi; n++) {
        char c = (char)('0' + n);

        for (i = 0; i + (size_t)n <= tl + 2; i++) {
            char g[16];
            size_t k;

            for (k = 0; k < (size_t)n; k++) {
                size_t at = i + k;

                g[k] = at == 0 || at == tl + 1 ? ' ' : t[at - 1];
            }
            if ((rc = feats_add(f, fnv(fnv(FNV0, &c, 1), g, (size_t)n), tp->bits)) < 0)
                return rc;
        }
    }
    qsort(f->v, f->n, sizeof(*f->v), cmp_u32);
    for (i = 0, j = 0; i < f->n; i++)
        if (j == 0 || f->v[i] != f->v[j - 1])
            f->v[j++] = f->v[i];
    f->n = j;
    return CR_OK;
}

/* ---- labelled texts ---- */

typedef struct {
    char **text;
    int *label;
    int *group; /* the file an item came from (spam: the video) */
    size_t n, cap;
} corpus;

static void corpus_dispose(corpus *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        cr_free(c->text[i]);
    cr_free(c->text);
    cr_free(c->label);
    cr_free(c->group);
    memset(c, 0, sizeof(*c));
}

static cr_err corpus_add(corpus *c, const char *text, size_t len, int label, int group)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 512;
        void *a;

        if ((a = cr_realloc(c->text, cap * sizeof(*c->text))) == NULL)
            return cr_error_oom();
        c->text = a;
        if ((a = cr_realloc(c->label, cap * sizeof(*c->label))) == NULL)
            return cr_error_oom();
        c->label = a;
        if ((a = cr_realloc(c->group, cap * sizeof(*c->group))) == NULL)
            return cr_error_oom();
        c->group = a;
        c->cap = cap;
    }
    if ((c->text[c->n] = cr_strndup(text, len)) == NULL)
        return cr_error_oom();
    c->label[c->n] = label;
    c->group[c->n] = group;
    c->n++;
    return CR_OK;
}

typedef struct {
    corpus *c;
    const char *path;
    int group, col_text, col_class, header_done;
} yt_reader;

static cr_err yt_row(const cr_csv_row *row, void *payload)
{
    yt_reader *r = payload;
    size_t i;
    int f;

    if (!r->header_done) {
        r->col_text = r->col_class = -1;
        for (i = 0; i < row->nfields; i++) {
            if (strcmp(row->fields[i], "CONTENT") == 0)
                r->col_text = (int)i;
            else if (strcmp(row->fields[i], "CLASS") == 0)
                r->col_class = (int)i;
        }
        if (r->col_text < 0 || r->col_class < 0)
            return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                                "%s:%lld:1: header: expected columns CONTENT and CLASS (YouTube "
                                "Spam Collection), found %s",
                                r->path, (long long)row->line,
                                r->col_text < 0 ? "no CONTENT" : "no CLASS");
        r->header_done = 1;
        return CR_OK;
    }
    if (row->nfields == 1 && row->lens[0] == 0)
        return CR_OK;
    if ((size_t)r->col_text >= row->nfields || (size_t)r->col_class >= row->nfields)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                            "%s:%lld:%zu: field CLASS: expected 0 or 1, found a short row", r->path,
                            (long long)row->line, row->nfields + 1);
    f = r->col_class;
    if (strcmp(row->fields[f], "0") != 0 && strcmp(row->fields[f], "1") != 0)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                            "%s:%lld:%d: field CLASS: expected 0 (ham) or 1 (spam), found '%.40s'",
                            r->path, (long long)row->line, f + 1, row->fields[f]);
    return corpus_add(r->c, row->fields[r->col_text], row->lens[r->col_text],
                      row->fields[f][0] - '0', r->group);
}

static cr_err read_youtube(corpus *c, const char *path, int group)
{
    cr_csv_reader cr;
    yt_reader r;
    FILE *f;
    cr_err rc;

    memset(&r, 0, sizeof(r));
    r.c = c;
    r.path = path;
    r.group = group;
    if ((f = fopen(path, "rb")) == NULL)
        return cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot open: %s", path, strerror(errno));
    memset(&cr, 0, sizeof(cr));
    cr.name = path;
    cr.on_row = yt_row;
    cr.payload = &r;
    rc = cr_csv_read(&cr, f);
    fclose(f);
    if (rc >= 0 && !r.header_done)
        rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                          "%s:1:1: header: expected COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS, found an "
                          "empty file",
                          path);
    return rc;
}

static cr_err next_line(char **line, size_t *cap, ssize_t *len, FILE *f)
{
    /* getline allocates with malloc: copy into our own buffer instead */
    char buf[8192];
    size_t n = 0;

    *len = -1;
    while (fgets(buf, sizeof(buf), f)) {
        size_t l = strlen(buf);

        if (n + l + 1 > *cap) {
            size_t c = (n + l + 1) * 2;
            char *p = cr_realloc(*line, c);

            if (p == NULL)
                return cr_error_oom();
            *line = p;
            *cap = c;
        }
        memcpy(*line + n, buf, l + 1);
        n += l;
        if (l && buf[l - 1] == '\n')
            break;
    }
    if (n == 0)
        return CR_OK;
    while (n && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
        (*line)[--n] = '\0';
    *len = (ssize_t)n;
    return CR_OK;
}

static cr_err read_tweeteval(corpus *c, const char *text_path, const char *labels_path)
{
    FILE *ft = NULL, *fl = NULL;
    char *t = NULL, *l = NULL;
    size_t tcap = 0, lcap = 0;
    long line = 0;
    cr_err rc = CR_OK;

    if ((ft = fopen(text_path, "rb")) == NULL) {
        rc =
            cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot open: %s", text_path, strerror(errno));
        goto done;
    }
    if ((fl = fopen(labels_path, "rb")) == NULL) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "%s: cannot open: %s", labels_path,
                          strerror(errno));
        goto done;
    }
    for (;;) {
        ssize_t tn, ln;

        if ((rc = next_line(&t, &tcap, &tn, ft)) < 0 || (rc = next_line(&l, &lcap, &ln, fl)) < 0)
            goto done;
        line++;
        if (tn < 0 && ln < 0)
            break;
        if (tn < 0 || ln < 0) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                              "%s:%ld:1: label: expected one line per tweet of %s, found %s",
                              labels_path, line, text_path,
                              tn < 0 ? "more labels than tweets" : "fewer labels than tweets");
            goto done;
        }
        if (ln != 1 || l[0] < '0' || l[0] > '2') {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_IMPORT,
                              "%s:%ld:1: label: expected 0 (negative), 1 (neutral) or 2 "
                              "(positive), found '%.20s'",
                              labels_path, line, l);
            goto done;
        }
        if ((rc = corpus_add(c, t, (size_t)tn, l[0] - '0', 0)) < 0)
            goto done;
    }
done:
    if (ft)
        fclose(ft);
    if (fl)
        fclose(fl);
    cr_free(t);
    cr_free(l);
    return rc;
}

static cr_err read_corpus(corpus *c, cr_model_kind kind, const char *const *files, size_t nfiles)
{
    size_t i;
    cr_err rc = CR_OK;

    memset(c, 0, sizeof(*c));
    if (kind == CR_MODEL_SENTIMENT) {
        if (nfiles != 2)
            return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI,
                                "sentiment needs a TEXT file and a LABELS file, %zu files given",
                                nfiles);
        rc = read_tweeteval(c, files[0], files[1]);
    } else {
        if (nfiles == 0 || nfiles > CR_MODEL_MAX_SETS - 2)
            return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI,
                                "spam needs 1 to %d YouTube Spam Collection CSVs, %zu given",
                                CR_MODEL_MAX_SETS - 2, nfiles);
        for (i = 0; rc >= 0 && i < nfiles; i++)
            rc = read_youtube(c, files[i], (int)i);
    }
    if (rc < 0)
        corpus_dispose(c);
    return rc;
}

/* ---- naive Bayes ---- */

typedef struct {
    size_t nclass;
    text_params tp;
    uint32_t *count; /* buckets * nclass */
    size_t docs[CR_TEXT_MAX_CLASS];
} nb_counts;

static cr_err nb_count(nb_counts *nb, feats **fs, const corpus *c, const int *use)
{
    size_t i, j, b = (size_t)1 << nb->tp.bits;

    if ((nb->count = cr_calloc(b * nb->nclass, sizeof(*nb->count))) == NULL)
        return cr_error_oom();
    for (i = 0; i < c->n; i++) {
        if (use && !use[i])
            continue;
        nb->docs[c->label[i]]++;
        for (j = 0; j < fs[i]->n; j++)
            nb->count[(size_t)fs[i]->v[j] * nb->nclass + (size_t)c->label[i]]++;
    }
    return CR_OK;
}

/* log P(f | c) per bucket and the priors, into m */
static cr_err nb_finish(cr_model *m, const nb_counts *nb)
{
    size_t b = (size_t)1 << nb->tp.bits, i, k, ndocs = 0;
    double total[CR_TEXT_MAX_CLASS] = { 0 };

    m->nclass = nb->nclass;
    m->nbuckets = (uint32_t)b;
    cr_free(m->logp);
    if ((m->logp = cr_calloc(b * nb->nclass, sizeof(*m->logp))) == NULL)
        return cr_error_oom();
    for (i = 0; i < b; i++)
        for (k = 0; k < nb->nclass; k++)
            total[k] += nb->count[i * nb->nclass + k];
    for (k = 0; k < nb->nclass; k++)
        ndocs += nb->docs[k];
    for (k = 0; k < nb->nclass; k++) {
        double den = log(total[k] + nb->tp.alpha * (double)b);

        m->prior[k] = nb->tp.uniform_prior || ndocs == 0
                          ? log(1.0 / (double)nb->nclass)
                          : log(((double)nb->docs[k] + 1) / ((double)ndocs + (double)nb->nclass));
        for (i = 0; i < b; i++)
            m->logp[i * nb->nclass + k] = log(nb->count[i * nb->nclass + k] + nb->tp.alpha) - den;
    }
    return CR_OK;
}

/* posterior class probabilities of one feature set */
static void nb_posterior(double *post, const cr_model *m, const feats *f)
{
    double lp[CR_TEXT_MAX_CLASS], mx = -INFINITY, sum = 0;
    size_t i, k;

    for (k = 0; k < m->nclass; k++) {
        lp[k] = m->prior[k];
        for (i = 0; i < f->n; i++)
            lp[k] += m->logp[(size_t)f->v[i] * m->nclass + k];
        mx = fmax(mx, lp[k]);
    }
    for (k = 0; k < m->nclass; k++)
        sum += (post[k] = exp(lp[k] - mx));
    for (k = 0; k < m->nclass; k++)
        post[k] /= sum;
}

static int argmax(const double *p, size_t n)
{
    size_t k, best = 0;

    for (k = 1; k < n; k++)
        if (p[k] > p[best])
            best = k;
    return (int)best;
}

static void free_feats(feats **fs, size_t n)
{
    size_t i;

    if (fs == NULL)
        return;
    for (i = 0; i < n; i++)
        if (fs[i]) {
            cr_free(fs[i]->v);
            cr_free(fs[i]);
        }
    cr_free(fs);
}

static cr_err corpus_features(feats ***out, const corpus *c, const text_params *tp)
{
    feats **fs;
    cr_str tmp;
    size_t i;
    cr_err rc = CR_OK;

    cr_str_init(&tmp, 1u << 22);
    if ((fs = cr_calloc(c->n + 1, sizeof(*fs))) == NULL)
        return cr_error_oom();
    for (i = 0; rc >= 0 && i < c->n; i++) {
        if ((fs[i] = cr_calloc(1, sizeof(**fs))) == NULL)
            rc = cr_error_oom();
        else
            rc = text_features(fs[i], &tmp, c->text[i], strlen(c->text[i]), tp);
    }
    cr_str_dispose(&tmp);
    if (rc < 0) {
        free_feats(fs, c->n);
        return rc;
    }
    *out = fs;
    return CR_OK;
}

/* Score the items with test[i] by a model counted on the items with train[i]. */
static cr_err nb_fold(double (*post)[CR_TEXT_MAX_CLASS],
                      feats **fs,
                      const corpus *c,
                      const int *train,
                      const text_params *tp,
                      size_t nclass)
{
    nb_counts nb;
    cr_model m;
    size_t i;
    cr_err rc;

    memset(&nb, 0, sizeof(nb));
    memset(&m, 0, sizeof(m));
    nb.nclass = nclass;
    nb.tp = *tp;
    if ((rc = nb_count(&nb, fs, c, train)) >= 0 && (rc = nb_finish(&m, &nb)) >= 0)
        for (i = 0; i < c->n; i++)
            if (!train[i])
                nb_posterior(post[i], &m, fs[i]);
    cr_free(nb.count);
    cr_free(m.logp);
    return rc;
}

static void fill_metrics(cr_model_metrics *out,
                         double (*post)[CR_TEXT_MAX_CLASS],
                         const corpus *c,
                         const int *sel,
                         size_t nclass,
                         const char *name)
{
    size_t i, k, hit[CR_TEXT_MAX_CLASS] = { 0 }, tot[CR_TEXT_MAX_CLASS] = { 0 };

    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", name);
    if (nclass == 2) {
        cr_model__scored *s = cr_calloc(c->n + 1, sizeof(*s));
        size_t n = 0;

        if (s == NULL)
            return;
        for (i = 0; i < c->n; i++)
            if (!sel || sel[i]) {
                s[n].score = post[i][1];
                s[n++].label = c->label[i];
            }
        cr_model__binary_metrics(out, s, n, 0.5);
        cr_free(s);
        return;
    }
    for (i = 0; i < c->n; i++)
        if (!sel || sel[i]) {
            out->n++;
            tot[c->label[i]]++;
            hit[c->label[i]] += argmax(post[i], nclass) == c->label[i];
        }
    for (k = 0; k < nclass; k++) {
        out->recall[k] = tot[k] ? (double)hit[k] / (double)tot[k] : 0;
        out->macro_recall += out->recall[k] / (double)nclass;
        out->accuracy += (double)hit[k];
    }
    out->accuracy = out->n ? out->accuracy / (double)out->n : 0;
}

static cr_err text_cv(cr_model_report *out,
                      cr_model_kind kind,
                      const corpus *c,
                      const char *const *files,
                      size_t nfiles)
{
    text_params tp = params_for(kind);
    size_t nclass = kind == CR_MODEL_SPAM ? 2 : 3, i, g;
    double(*post)[CR_TEXT_MAX_CLASS] = NULL;
    feats **fs = NULL;
    int *fold = NULL, *train = NULL, k;
    char name[96];
    cr_err rc;

    if ((rc = corpus_features(&fs, c, &tp)) < 0)
        return rc;
    if ((post = cr_calloc(c->n + 1, sizeof(*post))) == NULL ||
        (train = cr_calloc(c->n + 1, sizeof(*train))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    if ((rc = cr_model__folds(&fold, c->label, c->n, FOLDS, SEED)) < 0)
        goto done;
    for (k = 0; k < FOLDS; k++) {
        for (i = 0; i < c->n; i++)
            train[i] = fold[i] != k;
        if ((rc = nb_fold(post, fs, c, train, &tp, nclass)) < 0)
            goto done;
    }
    snprintf(name, sizeof(name), "stratified %d-fold CV%s", FOLDS,
             kind == CR_MODEL_SPAM && nfiles > 1 ? " over the files pooled" : "");
    fill_metrics(&out->sets[0], post, c, NULL, nclass, name);
    out->nsets = 1;
    out->threshold = 0.5;
    if (kind == CR_MODEL_SPAM && nfiles > 1) {
        /* each file (video) held out in turn, then all held-out predictions together */
        for (g = 0; g < nfiles; g++) {
            for (i = 0; i < c->n; i++)
                train[i] = c->group[i] != (int)g;
            if ((rc = nb_fold(post, fs, c, train, &tp, nclass)) < 0)
                goto done;
            for (i = 0; i < c->n; i++)
                train[i] = !train[i]; /* now: selected = held out */
            snprintf(name, sizeof(name), "held out: %s", cr_model__base(files[g]));
            fill_metrics(&out->sets[out->nsets++], post, c, train, nclass, name);
        }
        fill_metrics(&out->sets[out->nsets++], post, c, NULL, nclass,
                     "held out: every file in turn, together");
    }
done:
    free_feats(fs, c->n);
    cr_free(post);
    cr_free(train);
    cr_free(fold);
    return rc;
}

cr_err
cr_model__text_cv(cr_model_report *out, cr_model_kind kind, const char *const *files, size_t nfiles)
{
    corpus c;
    cr_err rc;

    if ((rc = read_corpus(&c, kind, files, nfiles)) < 0)
        return rc;
    rc = text_cv(out, kind, &c, files, nfiles);
    corpus_dispose(&c);
    return rc;
}

static json_t *metrics_json(const cr_model_metrics *m, cr_model_kind kind)
{
    if (kind == CR_MODEL_SPAM)
        return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f}", "scheme", m->name, "n",
                         (json_int_t)m->n, "tp", (json_int_t)m->tp, "tn", (json_int_t)m->tn, "fp",
                         (json_int_t)m->fp, "fn", (json_int_t)m->fn, "accuracy", m->accuracy,
                         "sensitivity", m->sensitivity, "specificity", m->specificity, "auc",
                         m->auc);
    return json_pack("{s:s,s:I,s:f,s:[f,f,f],s:f}", "scheme", m->name, "n", (json_int_t)m->n,
                     "macro_recall", m->macro_recall, "recall", m->recall[0], m->recall[1],
                     m->recall[2], "accuracy", m->accuracy);
}

cr_err cr_model__text_train(
    cr_model **out, cr_model_kind kind, const char *const *files, size_t nfiles, const char *date)
{
    text_params tp = params_for(kind);
    size_t nclass = kind == CR_MODEL_SPAM ? 2 : 3, i, k, b = (size_t)1 << tp.bits;
    cr_model_report rep;
    feats **fs = NULL;
    nb_counts nb;
    corpus c;
    cr_str counts;
    json_t *doc = NULL, *training = NULL, *cv = NULL;
    cr_err rc;

    *out = NULL;
    memset(&nb, 0, sizeof(nb));
    cr_str_init(&counts, 1u << 26);
    if ((rc = read_corpus(&c, kind, files, nfiles)) < 0)
        return rc;
    memset(&rep, 0, sizeof(rep));
    if ((rc = text_cv(&rep, kind, &c, files, nfiles)) < 0 ||
        (rc = corpus_features(&fs, &c, &tp)) < 0)
        goto done;
    nb.nclass = nclass;
    nb.tp = tp;
    if ((rc = nb_count(&nb, fs, &c, NULL)) < 0)
        goto done;
    for (i = 0; i < b; i++) {
        int any = 0;

        for (k = 0; k < nclass; k++)
            any |= nb.count[i * nclass + k] != 0;
        if (!any)
            continue;
        if (cr_str_cstr(&counts)[0] && (rc = cr_str_putc(&counts, ' ')) < 0)
            goto done;
        if ((rc = cr_str_printf(&counts, "%zu:", i)) < 0)
            goto done;
        for (k = 0; k < nclass; k++)
            if ((rc = cr_str_printf(&counts, k ? ",%u" : "%u", nb.count[i * nclass + k])) < 0)
                goto done;
    }
    training = json_array();
    cv = json_array();
    for (i = 0; training && i < nfiles; i++)
        json_array_append_new(training, cr_model__file_info(files[i], 0));
    for (i = 0; cv && i < rep.nsets; i++)
        json_array_append_new(cv, metrics_json(&rep.sets[i], kind));
    doc = json_pack(
        "{s:s,s:i,s:s,s:s,s:i,s:i,s:i,s:f,s:b,s:o,s:[I,I,I],s:o,s:o,s:s,s:s,s:s}", "kind",
        cr_model_kind_name(kind), "version", 1, "model",
        "multinomial naive Bayes over hashed features, each counted once per text", "features",
        "utf8proc case-folded words, word pairs and character n-grams, FNV-1a 64 hashed",
        "hash_bits", (int)tp.bits, "char_ngram_min", tp.char_lo, "char_ngram_max", tp.char_hi,
        "alpha", tp.alpha, "uniform_prior", tp.uniform_prior, "classes",
        kind == CR_MODEL_SPAM ? json_pack("[s,s]", "ham", "spam")
                              : json_pack("[s,s,s]", "negative", "neutral", "positive"),
        "docs", (json_int_t)nb.docs[0], (json_int_t)nb.docs[1],
        (json_int_t)(nclass > 2 ? nb.docs[2] : 0), "training", training, "cv", cv, "date", date,
        "licence",
        kind == CR_MODEL_SPAM
            ? "Counts derived from the YouTube Spam Collection v.1 (Alberto, Lochter & Almeida, "
              "ICMLA'15); no licence file upstream, UCI lists its data sets under CC BY 4.0 but "
              "this was not confirmed for this one: see data/models/README.md."
            : "Counts derived from TweetEval sentiment val_text.txt/val_labels.txt (Barbieri et "
              "al. 2020; SemEval-2017 Task 4, Rosenthal et al.), released without restrictions "
              "subject to the source data's terms: see data/models/README.md.",
        "counts", cr_str_cstr(&counts));
    training = cv = NULL;
    if (doc == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    rc = cr_model__from_doc(out, doc);
done:
    json_decref(training);
    json_decref(cv);
    free_feats(fs, c.n);
    cr_free(nb.count);
    cr_str_dispose(&counts);
    corpus_dispose(&c);
    return rc;
}

cr_err cr_model__text_load(cr_model *m, const char *name)
{
    nb_counts nb;
    const char *s = json_string_value(json_object_get(m->doc, "counts"));
    json_t *docs = json_object_get(m->doc, "docs");
    size_t k, b;
    cr_err rc;

    memset(&nb, 0, sizeof(nb));
    nb.nclass = m->kind == CR_MODEL_SPAM ? 2 : 3;
    nb.tp.bits = (uint32_t)cr_model__num(m->doc, "hash_bits", 0);
    nb.tp.char_lo = (int)cr_model__num(m->doc, "char_ngram_min", 3);
    nb.tp.char_hi = (int)cr_model__num(m->doc, "char_ngram_max", 5);
    nb.tp.alpha = cr_model__num(m->doc, "alpha", 1);
    nb.tp.uniform_prior = json_is_true(json_object_get(m->doc, "uniform_prior"));
    if (nb.tp.bits < 8 || nb.tp.bits > 24 || nb.tp.char_lo < 1 || nb.tp.char_hi > 8 ||
        !(nb.tp.alpha > 0) || s == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "%s: fields hash_bits (8-24), char_ngram_min/max (1-8), alpha (> 0) "
                            "and counts (a string) expected",
                            name);
    b = (size_t)1 << nb.tp.bits;
    for (k = 0; k < nb.nclass; k++)
        nb.docs[k] = (size_t)json_integer_value(json_array_get(docs, k));
    if ((nb.count = cr_calloc(b * nb.nclass, sizeof(*nb.count))) == NULL)
        return cr_error_oom();
    while (*s) {
        char *end;
        unsigned long bucket = strtoul(s, &end, 10);

        if (end == s || *end != ':' || bucket >= b)
            goto bad;
        s = end + 1;
        for (k = 0; k < nb.nclass; k++) {
            unsigned long v = strtoul(s, &end, 10);

            if (end == s || (k + 1 < nb.nclass && *end != ',') ||
                (k + 1 == nb.nclass && *end != ' ' && *end != '\0'))
                goto bad;
            nb.count[bucket * nb.nclass + k] = (uint32_t)v;
            s = *end ? end + 1 : end;
        }
    }
    m->nclass = nb.nclass;
    rc = nb_finish(m, &nb);
    /* keep the parameters the features need */
    m->hash_bits = nb.tp.bits;
    m->char_lo = nb.tp.char_lo;
    m->char_hi = nb.tp.char_hi;
    cr_free(nb.count);
    return rc;
bad:
    cr_free(nb.count);
    return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                        "%s: field counts: expected 'bucket:count,count ...' at '%.20s'", name, s);
}

static text_params model_params(const cr_model *m)
{
    text_params tp = params_for(m->kind);

    tp.bits = m->hash_bits;
    tp.char_lo = m->char_lo;
    tp.char_hi = m->char_hi;
    return tp;
}

cr_err
cr_model_text_classify(double *score, int *label, const cr_model *m, const char *text, size_t len)
{
    text_params tp;
    double post[CR_TEXT_MAX_CLASS];
    feats f = { NULL, 0, 0 };
    cr_str tmp;
    cr_err rc;

    if (m->kind != CR_MODEL_SPAM && m->kind != CR_MODEL_SENTIMENT)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "a %s model does not classify text",
                            cr_model_kind_name(m->kind));
    tp = model_params(m);
    cr_str_init(&tmp, 1u << 22);
    if ((rc = text_features(&f, &tmp, text, len, &tp)) >= 0) {
        nb_posterior(post, m, &f);
        *label = argmax(post, m->nclass);
        *score = m->nclass == 2 ? post[1] : (post[2] - post[0] + 1) / 2;
    }
    cr_free(f.v);
    cr_str_dispose(&tmp);
    return rc;
}

cr_err
cr_model__text_eval(cr_model_report *out, const cr_model *m, const char *data, const char *labels)
{
    const char *files[2] = { data, labels };
    text_params tp = model_params(m);
    double(*post)[CR_TEXT_MAX_CLASS] = NULL;
    feats **fs = NULL;
    corpus c;
    size_t i;
    cr_err rc;

    if (m->kind == CR_MODEL_SENTIMENT && labels == NULL)
        return cr_error_set(CR_EUSAGE, CR_ERRCLASS_CLI, "sentiment needs --labels LABELS");
    if ((rc = read_corpus(&c, m->kind, files, m->kind == CR_MODEL_SPAM ? 1 : 2)) < 0)
        return rc;
    if ((rc = corpus_features(&fs, &c, &tp)) < 0)
        goto done;
    if ((post = cr_calloc(c.n + 1, sizeof(*post))) == NULL) {
        rc = cr_error_oom();
        goto done;
    }
    for (i = 0; i < c.n; i++)
        nb_posterior(post[i], m, fs[i]);
    fill_metrics(&out->sets[0], post, &c, NULL, m->nclass, cr_model__base(data));
    out->nsets = 1;
    out->threshold = 0.5;
done:
    free_feats(fs, c.n);
    cr_free(post);
    corpus_dispose(&c);
    return rc;
}
