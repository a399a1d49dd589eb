/* SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
 *
 * mail_draft.c - the client of an OpenAI-compatible chat endpoint (llama.cpp's server,
 * Ollama's /v1, or a hosted one) that drafts an outreach message. One POST to
 * {base_url}/chat/completions with a system and a user message, "stream": false; the answer's
 * choices[0].message.content is the draft. The key goes in an Authorization header only, and
 * no error message repeats it. The reply is read up to 4 MiB. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "outreach/mail_int.h"
#include "util/alloc.h"

#define DRAFT_MAX_REPLY ((size_t)4 << 20)

static size_t draft_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    cr_str *s = userdata;
    size_t n = size * nmemb;

    if (cr_str_put(s, ptr, n) < 0)
        return 0; /* too large or out of memory: libcurl stops with CURLE_WRITE_ERROR */
    return n;
}

/* The first `max` bytes of s with control characters as spaces, for an error message. */
static void excerpt(char *buf, size_t size, const char *s, size_t n)
{
    size_t i, k = n < size - 1 ? n : size - 1;

    for (i = 0; i < k; i++)
        buf[i] = (unsigned char)s[i] < 32 ? ' ' : s[i];
    buf[k] = '\0';
}

cr_err cr_mail_draft(char **out,
                     const cr_mail_draft_config *cfg,
                     const char *system_prompt,
                     const char *user_prompt)
{
    CURL *curl = NULL;
    struct curl_slist *headers = NULL;
    json_t *req = NULL, *reply = NULL, *content;
    char *body = NULL, *url = NULL, *auth = NULL;
    char errbuf[CURL_ERROR_SIZE], shown[200];
    cr_str resp;
    CURLcode cc;
    long status = 0;
    size_t n;
    cr_err rc;
    json_error_t jerr;

    *out = NULL;
    cr_str_init(&resp, DRAFT_MAX_REPLY);
    if (cfg == NULL || cfg->version != CR_MAIL_DRAFT_CONFIG_VERSION || cfg->base_url == NULL ||
        cfg->base_url[0] == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "draft: no endpoint base URL");
    if (cfg->model == NULL || cfg->model[0] == '\0')
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "draft: no model");
    if (cr_mail__after_scheme(cfg->base_url, "http") == NULL &&
        cr_mail__after_scheme(cfg->base_url, "https") == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                            "draft: the base URL must start with http:// or https://");
    if (user_prompt == NULL)
        return cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE, "draft: no prompt");
    if ((rc = cr_mail__curl_init()) < 0)
        return rc;
    rc = CR_ENOMEM;
    req = json_pack("{s:s, s:[], s:b}", "model", cfg->model, "messages", "stream", 0);
    if (req == NULL)
        goto done;
    if (system_prompt != NULL && json_array_append_new(json_object_get(req, "messages"),
                                                       json_pack("{s:s, s:s}", "role", "system",
                                                                 "content", system_prompt)) != 0)
        goto done;
    if (json_array_append_new(json_object_get(req, "messages"),
                              json_pack("{s:s, s:s}", "role", "user", "content", user_prompt)) != 0)
        goto done;
    if (cfg->temperature >= 0 &&
        json_object_set_new(req, "temperature", json_real(cfg->temperature)) != 0)
        goto done;
    if ((body = json_dumps(req, JSON_COMPACT)) == NULL)
        goto done;
    n = strlen(cfg->base_url);
    while (n > 0 && cfg->base_url[n - 1] == '/')
        n--;
    excerpt(shown, sizeof(shown), cfg->base_url, n);
    if ((url = cr_malloc(n + sizeof("/chat/completions"))) == NULL)
        goto done;
    memcpy(url, cfg->base_url, n);
    memcpy(url + n, "/chat/completions", sizeof("/chat/completions"));
    if ((headers = curl_slist_append(NULL, "Content-Type: application/json")) == NULL)
        goto done;
    if (cfg->api_key != NULL && cfg->api_key[0] != '\0') {
        size_t kl = strlen(cfg->api_key) + sizeof("Authorization: Bearer ");
        struct curl_slist *h;
        if (strpbrk(cfg->api_key, "\r\n") != NULL) {
            rc = cr_error_set(CR_EINVALID, CR_ERRCLASS_PARSE,
                              "draft: the API key holds a line break");
            goto done;
        }
        if ((auth = cr_malloc(kl)) == NULL)
            goto done;
        snprintf(auth, kl, "Authorization: Bearer %s", cfg->api_key);
        if ((h = curl_slist_append(headers, auth)) == NULL)
            goto done;
        headers = h;
    }
    if ((curl = curl_easy_init()) == NULL)
        goto done;
    errbuf[0] = '\0';
    {
        long timeout = cfg->timeout_ms > 0 ? cfg->timeout_ms : 120000;
        if ((cc = curl_easy_setopt(curl, CURLOPT_URL, url)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https")) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, draft_write)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp)) != CURLE_OK ||
            (cc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf)) != CURLE_OK)
            goto curl_failed;
    }
    cc = curl_easy_perform(curl);
curl_failed:
    if (cc != CURLE_OK) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_OS, "draft endpoint %s: %s%s%s", shown,
                          curl_easy_strerror(cc), errbuf[0] != '\0' ? ": " : "", errbuf);
        goto done;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        char what[201];
        excerpt(what, sizeof(what), cr_str_cstr(&resp), resp.len);
        rc = cr_error_set(status == 401 || status == 403 ? CR_EAUTH : CR_EIO, CR_ERRCLASS_OS,
                          "draft endpoint %s answered HTTP %ld%s%s", shown, status,
                          what[0] != '\0' ? ": " : "", what);
        goto done;
    }
    reply = json_loadb(cr_str_cstr(&resp), resp.len, 0, &jerr);
    if (reply == NULL) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_PARSE,
                          "draft endpoint %s: the reply is not JSON (line %d: %s)", shown,
                          jerr.line, jerr.text);
        goto done;
    }
    content = json_object_get(
        json_object_get(json_array_get(json_object_get(reply, "choices"), 0), "message"),
        "content");
    if (!json_is_string(content)) {
        rc = cr_error_set(CR_EIO, CR_ERRCLASS_PARSE,
                          "draft endpoint %s: the reply has no choices[0].message.content", shown);
        goto done;
    }
    if ((*out = cr_strdup(json_string_value(content))) == NULL)
        goto done;
    rc = CR_OK;
done:
    if (rc == CR_ENOMEM)
        cr_error_oom();
    if (curl != NULL)
        curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    if (auth != NULL) {
        memset(auth, 0, strlen(auth));
        cr_free(auth);
    }
    cr_free(url);
    free(body); /* checksrc: allow (jansson's allocation) */
    json_decref(req);
    json_decref(reply);
    cr_str_dispose(&resp);
    return rc;
}
