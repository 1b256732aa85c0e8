/* SPDX-License-Identifier: MIT */
/* test_units.c — duration and size parsers, byte / interval / clock / span formatters. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>

#include "memwatch.h"
#include "units.h"

static uint64_t dur(const char *s)
{
    uint64_t ms = 12345;
    cr_assert_eq(mw__parse_duration_ms(s, &ms), 0, "rejected %s", s);
    return ms;
}

static uint64_t size(const char *s)
{
    uint64_t b = 12345;
    cr_assert_eq(mw__parse_size(s, &b), 0, "rejected %s", s);
    return b;
}

Test(units, duration_units_and_bare_milliseconds)
{
    cr_expect_eq(dur("250"), 250);
    cr_expect_eq(dur("250ms"), 250);
    cr_expect_eq(dur("1s"), 1000);
    cr_expect_eq(dur("2.5s"), 2500);
    cr_expect_eq(dur("0.1s"), 100);
    cr_expect_eq(dur("1m"), 60000);
    cr_expect_eq(dur("1h"), 3600000);
    cr_expect_eq(dur(".5s"), 500);
    cr_expect_eq(dur("0"), 0);
    cr_expect_eq(dur("1.5ms"), 2);
}

Test(units, duration_rejects_garbage)
{
    uint64_t ms = 7;
    const char *bad[] = {"", "s", "-1s", " 1s", "1s ", "1 s", "1x", "1S", "1.2.3s", "0.2ms",
                         "99999999999999999999", "5124095576030432h", NULL};
    for (int i = 0; bad[i]; i++)
        cr_expect_eq(mw__parse_duration_ms(bad[i], &ms), MW_EINVAL, "accepted '%s'", bad[i]);
    cr_expect_eq(ms, 7, "output written on failure");
    cr_expect_eq(mw__parse_duration_ms(NULL, &ms), MW_EINVAL);
}

Test(units, size_suffixes_are_binary_and_case_insensitive)
{
    cr_expect_eq(size("17"), 17);
    cr_expect_eq(size("17B"), 17);
    cr_expect_eq(size("1k"), 1024);
    cr_expect_eq(size("512M"), 512ull << 20);
    cr_expect_eq(size("2G"), 2ull << 30);
    cr_expect_eq(size("1.5GiB"), 3ull << 29);
    cr_expect_eq(size("1.5 GiB"), 3ull << 29);
    cr_expect_eq(size("3mb"), 3ull << 20);
    cr_expect_eq(size("1T"), 1ull << 40);
}

Test(units, size_rejects_garbage)
{
    uint64_t b;
    const char *bad[] = {"", "M", "-1M", "1X", "1 ", " 1M", "1  M", "1MM", "16777216T", NULL};
    for (int i = 0; bad[i]; i++)
        cr_expect_eq(mw__parse_size(bad[i], &b), MW_EINVAL, "accepted '%s'", bad[i]);
}

Test(units, format_bytes_picks_unit_and_rounds)
{
    char b[32];
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), 17), "17 B");
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), 512 * 1024), "512 KiB");
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), (uint64_t)(812.4 * 1048576)), "812.4 MiB");
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), 3ull << 30), "3.0 GiB");
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), (1ull << 30) - 1), "1.0 GiB");
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), 1024 * 1024 - 100), "1.0 MiB");
    cr_expect_str_eq(mw__format_bytes(b, sizeof(b), UINT64_MAX), "16.0 EiB");
}

Test(units, format_bytes_signed)
{
    char b[32];
    cr_expect_str_eq(mw__format_bytes_signed(b, sizeof(b), (int64_t)(2.1 * 1048576)), "+2.1 MiB");
    cr_expect_str_eq(mw__format_bytes_signed(b, sizeof(b), -512 * 1024), "-512 KiB");
    cr_expect_str_eq(mw__format_bytes_signed(b, sizeof(b), 0), "+0 B");
    cr_expect_str_eq(mw__format_bytes_signed(b, sizeof(b), INT64_MIN), "-8.0 EiB");
}

Test(units, format_bytes_reads_back)
{
    char b[32];
    uint64_t v;
    cr_assert_eq(mw__parse_size(mw__format_bytes(b, sizeof(b), 3ull << 30), &v), 0);
    cr_expect_eq(v, 3ull << 30);
}

Test(units, format_interval_ladder_labels)
{
    char b[16];
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 10), "10ms");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 250), "250ms");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 1000), "1s");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 2500), "2.5s");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 1250), "1.25s");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 1001), "1.001s");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 60000), "1m");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 90000), "90s");
    cr_expect_str_eq(mw__format_interval(b, sizeof(b), 3600000), "1h");
}

Test(units, format_clock_grows_past_99_hours)
{
    char b[32];
    cr_expect_str_eq(mw__format_clock(b, sizeof(b), 192LL * 1000000000), "00:03:12");
    cr_expect_str_eq(mw__format_clock(b, sizeof(b), (27 * 3600 + 45 * 60 + 9) * 1000000000LL), "27:45:09");
    cr_expect_str_eq(mw__format_clock(b, sizeof(b), 100 * 3600 * 1000000000LL), "100:00:00");
    cr_expect_str_eq(mw__format_clock(b, sizeof(b), -5), "00:00:00");
}

Test(units, format_span_two_units_at_most)
{
    char b[32];
    const int64_t s = 1000000000LL;
    cr_expect_str_eq(mw__format_span(b, sizeof(b), 800000000), "800ms");
    cr_expect_str_eq(mw__format_span(b, sizeof(b), 45 * s), "45s");
    cr_expect_str_eq(mw__format_span(b, sizeof(b), 12 * 60 * s), "12m");
    cr_expect_str_eq(mw__format_span(b, sizeof(b), 12 * 60 * s + 5 * s), "12m5s");
    cr_expect_str_eq(mw__format_span(b, sizeof(b), (3 * 3600 + 20 * 60 + 7) * s), "3h20m");
    cr_expect_str_eq(mw__format_span(b, sizeof(b), (2 * 86400 + 4 * 3600 + 99) * s), "2d4h");
    cr_expect_str_eq(mw__format_span(b, sizeof(b), -1), "0ms");
}

/* ---- text from other processes, made safe for a terminal ---------------------------------- */

static const char *safe(const char *in)
{
    static char b[256];
    return mw__safe_text(b, sizeof(b), in);
}

Test(units, safe_text_escapes_c0_esc_and_del)
{
    cr_expect_str_eq(safe("\x1b]0;pwned\x07x"), "\\e]0;pwned\\x07x");
    cr_expect_str_eq(safe("a\tb\nc\rd"), "a\\x09b\\x0ac\\x0dd");
    cr_expect_str_eq(safe("del\x7f"), "del\\x7f");
    cr_expect_str_eq(safe("\x01\x1f"), "\\x01\\x1f");
}

Test(units, safe_text_escapes_c1_and_invalid_utf8)
{
    /* U+009B (CSI as UTF-8) is a control in UTF-8 terminals; a raw 0x9b byte in 8-bit ones. */
    cr_expect_str_eq(safe("\xc2\x9b" "31m"), "\\u009b31m");
    cr_expect_str_eq(safe("\xc2\x80\xc2\x9f"), "\\u0080\\u009f");
    cr_expect_str_eq(safe("\x9b" "31m"), "\\x9b31m");
    cr_expect_str_eq(safe("\xff\xfe"), "\\xff\\xfe");
    cr_expect_str_eq(safe("\xc0\x9b"), "\\xc0\\x9b");         /* overlong */
    cr_expect_str_eq(safe("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* a surrogate */
    cr_expect_str_eq(safe("end\xe2\x82"), "end\\xe2\\x82");   /* cut short */
}

Test(units, safe_text_escapes_bidi_overrides)
{
    cr_expect_str_eq(safe("a\xe2\x80\xae" "b"), "a\\u202eb");     /* RIGHT-TO-LEFT OVERRIDE */
    cr_expect_str_eq(safe("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
}

Test(units, safe_text_keeps_printable_text_as_it_is)
{
    cr_expect_str_eq(safe("python3 -c 'print(1)' --x=\"y\" \\ \xc3\xa9t\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x8d"),
                     "python3 -c 'print(1)' --x=\"y\" \\ \xc3\xa9t\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x8d");
    cr_expect_str_eq(safe(""), "");
    cr_expect_str_eq(safe("\xc2\xa0nbsp"), "\xc2\xa0nbsp");
}

Test(units, safe_text_cuts_whole_escapes_and_characters)
{
    char b[8];
    cr_expect_str_eq(mw__safe_text(b, sizeof(b), "abcd\x1b"), "abcd\\e");
    cr_expect_str_eq(mw__safe_text(b, sizeof(b), "abcdef\x1b"), "abcdef");  /* no lone '\' */
    cr_expect_str_eq(mw__safe_text(b, sizeof(b), "abcd\x07"), "abcd");      /* \x07 needs 4 */
    cr_expect_str_eq(mw__safe_text(b, sizeof(b), "abcde\xc3\xa9"), "abcde\xc3\xa9");
    cr_expect_str_eq(mw__safe_text(b, sizeof(b), "abcdef\xc3\xa9"), "abcdef"); /* no half é */
    cr_expect_str_eq(mw__safe_text(b, 1, "abc"), "");
    cr_expect_eq(mw__safe_text(b, 0, "abc"), b);
    cr_expect_str_eq(mw__safe_text(b, sizeof(b), NULL), "");
}
