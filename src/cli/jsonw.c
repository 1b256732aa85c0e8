/* SPDX-License-Identifier: MIT */
/* jsonw.c — a small JSON writer into memory: RFC 8259 strings, nulls, numbers without the locale. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixedfmt.h"
#include "jsonstr.h"
#include "jsonw.h"

void app_json_init(app_json *j) { memset(j, 0, sizeof(*j)); }

void app_json_free(app_json *j)
{
    free(j->buf);
    memset(j, 0, sizeof(*j));
}

static void put(app_json *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 1024;
        while (j->len + n + 1 > cap)
            cap *= 2;
        char *b = realloc(j->buf, cap);
        if (!b) {
            j->failed = true;
            return;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(app_json *j, const char *s) { put(j, s, strlen(s)); }

static void newline(app_json *j)
{
    puts_(j, "\n");
    for (int i = 0; i < j->depth; i++)
        puts_(j, "  ");
}

/* The one escaper every JSON output shares (src/lib/jsonstr.c). */
static void put_escaped(app_json *j, const char *s)
{
    size_t n = mw__json_string_len(s);
    char *tmp = malloc(n);
    if (!tmp) {
        j->failed = true;
        return;
    }
    mw__json_put_string(tmp, s);
    put(j, tmp, n);
    free(tmp);
}

/* What comes before any value: the comma, the line, the key. */
static void value_start(app_json *j, const char *key)
{
    if (j->depth > 0) {
        if (j->more[j->depth])
            puts_(j, ",");
        j->more[j->depth] = true;
        newline(j);
    }
    if (key) {
        put_escaped(j, key);
        puts_(j, ": ");
    }
}

static void open_(app_json *j, const char *key, const char *brace)
{
    value_start(j, key);
    puts_(j, brace);
    if (j->depth + 1 >= APP_JSON_DEPTH) {
        j->failed = true; /* a bug in the caller: never a truncated document */
        return;
    }
    j->depth++;
    j->more[j->depth] = false;
}

static void close_(app_json *j, const char *brace)
{
    if (j->depth <= 0) {
        j->failed = true;
        return;
    }
    bool any = j->more[j->depth];
    j->depth--;
    if (any)
        newline(j);
    puts_(j, brace);
    if (j->depth == 0)
        puts_(j, "\n");
}

void app_json_begin_object(app_json *j, const char *key) { open_(j, key, "{"); }
void app_json_end_object(app_json *j) { close_(j, "}"); }
void app_json_begin_array(app_json *j, const char *key) { open_(j, key, "["); }
void app_json_end_array(app_json *j) { close_(j, "]"); }

void app_json_string(app_json *j, const char *key, const char *s)
{
    value_start(j, key);
    if (s)
        put_escaped(j, s);
    else
        puts_(j, "null");
}

void app_json_uint(app_json *j, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof(b), "%" PRIu64, v);
    value_start(j, key);
    puts_(j, b);
}

void app_json_int(app_json *j, const char *key, int64_t v)
{
    char b[32];
    snprintf(b, sizeof(b), "%" PRId64, v);
    value_start(j, key);
    puts_(j, b);
}

void app_json_fixed(app_json *j, const char *key, double v, int decimals)
{
    if (!isfinite(v)) {
        app_json_null(j, key);
        return;
    }
    char b[MW__FIXED_MAX];
    mw__fixed_format(b, sizeof(b), v, decimals); /* not %f: the locale's comma is not JSON */
    value_start(j, key);
    puts_(j, b);
}

void app_json_bool(app_json *j, const char *key, bool v)
{
    value_start(j, key);
    puts_(j, v ? "true" : "false");
}

void app_json_null(app_json *j, const char *key)
{
    value_start(j, key);
    puts_(j, "null");
}
