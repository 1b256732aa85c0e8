/* SPDX-License-Identifier: MIT */
/* jsonw.h — a small JSON writer into memory: RFC 8259 strings, nulls, numbers without the locale. */
#ifndef APP_JSONW_H
#define APP_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APP_JSON_DEPTH 16

/* One document, built in memory and written whole (so a file gets all of it or nothing). Every
 * value takes a key: pass a key inside an object, NULL inside an array or at the top. Pretty
 * printed, two spaces a level. Out of memory is sticky: `failed` is set, the text is dropped. */
typedef struct app_json {
    char *buf;
    size_t len, cap;
    bool failed;
    int depth;
    bool more[APP_JSON_DEPTH]; /* a value is already in the object/array at this depth */
} app_json;

void app_json_init(app_json *j);
void app_json_free(app_json *j);
void app_json_begin_object(app_json *j, const char *key);
void app_json_end_object(app_json *j);
void app_json_begin_array(app_json *j, const char *key);
void app_json_end_array(app_json *j);
/* A string: '"', '\\' and control characters escaped (\n, \t... or \u00XX); valid UTF-8 copied;
 * each byte of invalid UTF-8 (stray, overlong, surrogate, cut short, > U+10FFFF) becomes
 * \ufffd. NULL is null. */
void app_json_string(app_json *j, const char *key, const char *s);
void app_json_uint(app_json *j, const char *key, uint64_t v);
void app_json_int(app_json *j, const char *key, int64_t v);
/* A fixed-point number with `decimals` (0..6) digits after the point, always a '.' whatever
 * LC_NUMERIC says; NaN and infinities (not JSON) are null. */
void app_json_fixed(app_json *j, const char *key, double v, int decimals);
void app_json_bool(app_json *j, const char *key, bool v);
void app_json_null(app_json *j, const char *key);

#endif
