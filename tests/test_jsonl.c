/* SPDX-License-Identifier: MIT */
/* test_jsonl.c — JSON Lines rows: the CSV's columns as keys in its order, nulls for unknowns, escaped marker labels, the -o stream. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "export.h"
#include "file_fixtures.h"

#define T0_NS 5000000777LL
#define WALL0_NS 1795632001123456000LL /* 2026-11-25T18:40:01.123456Z */

static char err[1024];

static mw__sample sample_at(uint64_t i, unsigned valid)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = T0_NS + (int64_t)i * 250000000;
    s.rss = 10000000 + i;
    s.vsz = 900000000 + i;
    s.shared_kib = 100;
    s.anon_kib = 200;
    s.file_kib = 300;
    s.shmem_kib = 4;
    s.swap_kib = 0; /* known and 0: a figure, written as 0 */
    s.hwm = 20000000;
    s.valid = valid & 0xffffff;
    s.nprocs = 3;
    s.unreadable = 1;
    return s;
}

static void capture_of(mw__capture *c)
{
    cr_assert_eq(mw__capture_init(c, 64), 0);
    c->pid = 4242;
    c->wall_offset_ns = WALL0_NS - T0_NS;
}

/* The row for sample s of a fresh capture (its first sample: elapsed 0). */
static char *row_of(const mw__sample *s, const char *marker)
{
    static char buf[16384];
    mw__capture c;
    capture_of(&c);
    mw__capture_add(&c, s);
    size_t n = mw__export_jsonl.row(buf, sizeof(buf), &c, mw__ring_last(&c.ring), marker);
    mw__capture_destroy(&c);
    cr_assert_gt(n, 0);
    cr_assert_eq(buf[n - 1], '\n');
    cr_assert_null(memchr(buf, '\n', n - 1), "one line per row");
    return buf;
}

/* The keys of a flat object, comma-joined, in their order (values: numbers, null, strings). */
static void keys_of(const char *row, char *out, size_t n)
{
    const char *p = row;
    size_t k = 0;
    cr_assert_eq(*p++, '{');
    while (*p != '}') {
        cr_assert_eq(*p++, '"');
        const char *end = strchr(p, '"');
        k += (size_t)snprintf(out + k, n - k, "%s%.*s", k ? "," : "", (int)(end - p), p);
        p = end + 1;
        cr_assert_eq(*p++, ':');
        if (*p == '"') { /* a string value: skip it, escapes included */
            for (p++; *p != '"'; p++)
                if (*p == '\\')
                    p++;
            p++;
        } else {
            p += strcspn(p, ",}");
        }
        if (*p == ',')
            p++;
    }
}

/* The text of key's value in row ("null", "123", "\"...\""). */
static char *value_of(const char *row, const char *key)
{
    static char v[4096];
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    const char *p = strstr(row, pat);
    cr_assert_not_null(p, "no key %s in %s", key, row);
    p += strlen(pat);
    size_t len;
    if (*p == '"') {
        const char *q = p + 1;
        for (; *q != '"'; q++)
            if (*q == '\\')
                q++;
        len = (size_t)(q + 1 - p);
    } else {
        len = strcspn(p, ",}");
    }
    snprintf(v, sizeof(v), "%.*s", (int)len, p);
    return v;
}

Test(jsonl, keys_are_the_csv_header_in_its_order)
{
    mw__sample s = sample_at(0, MW_HAVE_ANON | MW_HAVE_FILE);
    char keys[2048];
    keys_of(row_of(&s, NULL), keys, sizeof(keys));
    cr_assert_str_eq(keys, mw__csv_header);
}

Test(jsonl, values_are_numbers_and_the_timestamp_a_string)
{
    mw__sample s = sample_at(0, MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_SHMEM | MW_HAVE_SWAP |
                                    MW_HAVE_HWM);
    s.flags = MW_SAMPLE_HWM_ROSE;
    const char *row = row_of(&s, NULL);
    cr_assert_str_eq(value_of(row, "timestamp"), "\"2026-11-25T18:40:01.123Z\"");
    cr_assert_str_eq(value_of(row, "elapsed_s"), "0.000");
    cr_assert_str_eq(value_of(row, "pid"), "4242");
    cr_assert_str_eq(value_of(row, "rss_bytes"), "10000000");
    cr_assert_str_eq(value_of(row, "anon_bytes"), "204800");
    cr_assert_str_eq(value_of(row, "swap_bytes"), "0");
    cr_assert_str_eq(value_of(row, "hwm_bytes"), "20000000");
    cr_assert_str_eq(value_of(row, "nprocs"), "3");
    cr_assert_str_eq(value_of(row, "hwm_rose"), "1");
    cr_assert_str_eq(value_of(row, "nprocs_unreadable"), "1");
    cr_assert_str_eq(value_of(row, "marker"), "null");
}

Test(jsonl, unknown_fields_are_null_never_zero)
{
    mw__sample s = sample_at(0, MW_HAVE_ANON); /* no file, shmem, swap, hwm, PSS... */
    const char *row = row_of(&s, NULL);
    cr_assert_str_eq(value_of(row, "anon_bytes"), "204800");
    const char *unknown[] = {"file_bytes", "shmem_bytes", "swap_bytes", "hwm_bytes", "pss_bytes",
                             "pss_anon_bytes", "uss_bytes", "swap_pss_bytes"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        cr_assert_str_eq(value_of(row, unknown[i]), "null", "%s", unknown[i]);
    s.valid |= MW_HAVE_PSS;
    s.pss_kib = 7;
    cr_assert_str_eq(value_of(row_of(&s, NULL), "pss_bytes"), "7168");
}

Test(jsonl, marker_is_the_label_text_escaped_as_json)
{
    mw__sample s = sample_at(0, 0);
    cr_assert_str_eq(value_of(row_of(&s, "step \"3\" C:\\tmp | =x"), "marker"),
                     "\"step \\\"3\\\" C:\\\\tmp | =x\""); /* no CSV quoting, no formula guard */
    cr_assert_str_eq(value_of(row_of(&s, "caf\xc3\xa9"), "marker"), "\"caf\xc3\xa9\"");
    /* Labels made by marking lose their controls; a loaded file's cell is the file's. */
    cr_assert_str_eq(value_of(row_of(&s, "a\nb\x01"), "marker"), "\"a\\nb\\u0001\"");
    /* A file's bytes that are not UTF-8 (a stray byte, a cut sequence) never make invalid JSON. */
    cr_assert_str_eq(value_of(row_of(&s, "x\xff\xc3"), "marker"), "\"x\\ufffd\\ufffd\"");
    s.flags = MW_SAMPLE_MARK; /* a mark without a label (an old file's "") */
    cr_assert_str_eq(value_of(row_of(&s, NULL), "marker"), "\"\"");
}

Test(jsonl, marks_made_on_a_capture_join_as_in_csv)
{
    mw__capture c;
    capture_of(&c);
    mw__sample s = sample_at(0, 0);
    mw__capture_add(&c, &s);
    cr_assert_eq(mw__capture_mark(&c, "a | b"), 0);
    cr_assert_eq(mw__capture_mark(&c, NULL), 0);
    char cell[MW__MARKER_CELL], buf[16384];
    const char *m = mw__capture_marker(&c, 0, cell, sizeof(cell));
    cr_assert_gt(mw__export_jsonl.row(buf, sizeof(buf), &c, mw__ring_last(&c.ring), m), 0);
    cr_assert_str_eq(value_of(buf, "marker"), "\"a || b | M2\"");
    mw__capture_destroy(&c);
}

Test(jsonl, row_refuses_a_small_buffer)
{
    mw__capture c;
    capture_of(&c);
    mw__sample s = sample_at(0, 0);
    mw__capture_add(&c, &s);
    char buf[64];
    cr_assert_eq(mw__export_jsonl.row(buf, sizeof(buf), &c, mw__ring_last(&c.ring), NULL), 0);
    cr_assert_leq(1536 + 6 * MW__MARKER_CELL, mw__export_jsonl.record_max);
    mw__capture_destroy(&c);
}

Test(jsonl, format_is_found_by_name)
{
    cr_assert_eq(mw__export_find("jsonl"), &mw__export_jsonl);
    cr_assert_eq(mw__export_find("csv"), &mw__export_csv);
    cr_assert_null(mw__export_find("xml"));
}

Test(jsonl, stream_writes_rows_only_and_keeps_the_no_overwrite_rule, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture c;
    capture_of(&c);
    mw__csv_stream *st;
    cr_assert_eq(mw__stream_open(in_dir("rec.jsonl"), &mw__export_jsonl, &st, err, sizeof(err)),
                 0, "%s", err);
    for (uint64_t i = 0; i < 4; i++) {
        mw__sample s = sample_at(i, MW_HAVE_ANON);
        mw__capture_add(&c, &s);
        cr_assert_eq(mw__csv_stream_write(st, &c, mw__ring_last(&c.ring), NULL, err, sizeof(err)),
                     0, "%s", err);
    }
    cr_assert_eq(mw__csv_stream_flush(st, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__csv_stream_rows_out(st), 4, "no header line: every line is a row");
    cr_assert_eq(mw__csv_stream_close(st, err, sizeof(err)), 0, "%s", err);
    size_t len;
    char *text = read_file(in_dir("rec.jsonl"), &len);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    cr_assert_eq(lines, 4);
    cr_assert_eq(text[0], '{');
    cr_assert_str_eq(value_of(strrchr(text, '{'), "elapsed_s"), "0.750");
    free(text);

    st = (mw__csv_stream *)1;
    cr_assert_eq(mw__stream_open(in_dir("rec.jsonl"), &mw__export_jsonl, &st, err, sizeof(err)),
                 MW_EALREADY);
    cr_assert_null(st);
    cr_assert_eq(symlink("nowhere", in_dir("link.jsonl")), 0);
    cr_assert_eq(mw__stream_open(in_dir("link.jsonl"), &mw__export_jsonl, &st, err, sizeof(err)),
                 MW_EINVAL);
    cr_assert(access(in_dir("nowhere"), F_OK) != 0, "nothing created through the link");
    mw__capture_destroy(&c);
}
