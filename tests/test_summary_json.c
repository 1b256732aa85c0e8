/* SPDX-License-Identifier: MIT */
/* test_summary_json.c — the JSON writer behind --summary-json: escaping, nulls, numbers, nesting. */
#include "config.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "jsonw.h"
#include "locale_fixtures.h"

/* One string value at the top level, as the writer prints it (without the final newline). */
static const char *one_string(app_json *j, const char *s)
{
    app_json_init(j);
    app_json_begin_array(j, NULL);
    app_json_string(j, NULL, s);
    app_json_end_array(j);
    cr_assert(!j->failed);
    /* "[\n  VALUE\n]\n" */
    cr_assert(strncmp(j->buf, "[\n  ", 4) == 0);
    j->buf[j->len - 3] = '\0';
    return j->buf + 4;
}

Test(summary_json, quotes_backslashes_and_controls_are_escaped)
{
    app_json j;
    cr_expect_str_eq(one_string(&j, "a\"b\\c"), "\"a\\\"b\\\\c\"");
    app_json_free(&j);
    cr_expect_str_eq(one_string(&j, "l1\nl2\tx\r\b\f"), "\"l1\\nl2\\tx\\r\\b\\f\"");
    app_json_free(&j);
    cr_expect_str_eq(one_string(&j, "\x01\x1b\x1f"), "\"\\u0001\\u001b\\u001f\"");
    app_json_free(&j);
}

Test(summary_json, valid_utf8_is_kept_invalid_bytes_become_replacement_characters)
{
    app_json j;
    cr_expect_str_eq(one_string(&j, "R\xc2\xb2 \xe2\x82\xac \xf0\x9f\x98\x80"),
                     "\"R\xc2\xb2 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    app_json_free(&j);
    /* a stray continuation, a Latin-1 byte, an overlong '/', a surrogate, a cut sequence */
    cr_expect_str_eq(one_string(&j, "\x80" "a\xe9" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82"),
                     "\"\\ufffda\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd\\ufffd\"");
    app_json_free(&j);
    cr_expect_str_eq(one_string(&j, "\xf4\x90\x80\x80"), /* > U+10FFFF */
                     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    app_json_free(&j);
}

Test(summary_json, null_string_and_null_values_are_null_never_zero)
{
    app_json j;
    app_json_init(&j);
    app_json_begin_object(&j, NULL);
    app_json_string(&j, "command", NULL);
    app_json_null(&j, "trend");
    app_json_fixed(&j, "r2", 0.0 / 0.0, 3);
    app_json_uint(&j, "zero", 0);
    app_json_end_object(&j);
    cr_assert(!j.failed);
    cr_expect_str_eq(j.buf, "{\n  \"command\": null,\n  \"trend\": null,\n  \"r2\": null,\n"
                            "  \"zero\": 0\n}\n");
    app_json_free(&j);
}

Test(summary_json, numbers_nesting_and_empty_containers)
{
    app_json j;
    app_json_init(&j);
    app_json_begin_object(&j, NULL);
    app_json_int(&j, "growth", -1048576);
    app_json_uint(&j, "big", 18446744073709551615ull);
    app_json_fixed(&j, "slope", -1234.5678, 3);
    app_json_fixed(&j, "small", -0.0001, 3);
    app_json_fixed(&j, "r2", 0.99995, 4);
    app_json_begin_array(&j, "gates");
    app_json_end_array(&j);
    app_json_begin_object(&j, "o");
    app_json_bool(&j, "t", true);
    app_json_end_object(&j);
    app_json_end_object(&j);
    cr_assert(!j.failed);
    cr_expect_str_eq(j.buf, "{\n  \"growth\": -1048576,\n  \"big\": 18446744073709551615,\n"
                            "  \"slope\": -1234.568,\n  \"small\": 0.000,\n  \"r2\": 1.0000,\n"
                            "  \"gates\": [],\n  \"o\": {\n    \"t\": true\n  }\n}\n");
    app_json_free(&j);
}

Test(summary_json, a_decimal_comma_locale_still_writes_a_point)
{
    use_comma_locale();
    app_json j;
    app_json_init(&j);
    app_json_begin_array(&j, NULL);
    app_json_fixed(&j, NULL, 2.5, 1);
    app_json_end_array(&j);
    setlocale(LC_NUMERIC, "C");
    cr_expect_str_eq(j.buf, "[\n  2.5\n]\n");
    app_json_free(&j);
}

Test(summary_json, unbalanced_nesting_fails_instead_of_writing_half_a_document)
{
    app_json j;
    app_json_init(&j);
    app_json_end_object(&j);
    cr_expect(j.failed);
    app_json_free(&j);
    app_json_init(&j);
    for (int i = 0; i < APP_JSON_DEPTH + 1; i++)
        app_json_begin_array(&j, NULL);
    cr_expect(j.failed);
    app_json_free(&j);
}
