/* SPDX-License-Identifier: MIT */
/* test_promtext.c — the Prometheus textfile's text: metric names, HELP and TYPE, escaped labels, unknown figures left out. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "locale_fixtures.h"
#include "promtext.h"

static char text[MW__PROM_TEXT_MAX];

static mw__sample sample_with(unsigned valid)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.rss = 123 * 1048576ull;
    s.vsz = 456 * 1048576ull;
    s.anon_kib = 1000;
    s.file_kib = 2000;
    s.shmem_kib = 0;
    s.swap_kib = 3;
    s.pss_kib = 5;
    s.uss_kib = 4;
    s.valid = valid & 0xffffff;
    return s;
}

static const char *format(const mw__prom_figures *f)
{
    size_t n = mw__prom_format(text, sizeof(text), f);
    cr_assert_gt(n, 0);
    cr_assert_eq(strlen(text), n);
    cr_assert_eq(text[n - 1], '\n');
    return text;
}

static mw__prom_figures figures(const mw__sample *s, const char *comm)
{
    mw__prom_figures f = {.pid = 77, .comm = comm, .last = s, .peak_rss = 200 * 1048576ull,
                          .have_trend = true, .growth_bps = -1536.25, .samples = 42,
                          .last_sample_s = 1796153574.18, .running = true};
    return f;
}

/* Every series line's metric name has a HELP and a TYPE line before it, right above. */
static void assert_help_and_type_for_each_series(const char *t)
{
    const char *help = NULL, *type = NULL;
    for (const char *line = t; *line; line = strchr(line, '\n') + 1) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, "# HELP ", 7) == 0) {
            help = line + 7;
        } else if (strncmp(line, "# TYPE ", 7) == 0) {
            type = line + 7;
        } else {
            size_t name = strcspn(line, "{ ");
            cr_assert_not_null(help, "%.*s", (int)len, line);
            cr_assert_not_null(type, "%.*s", (int)len, line);
            cr_assert(strncmp(help, line, name) == 0 && help[name] == ' ', "%.*s", (int)len, line);
            cr_assert(strncmp(type, line, name) == 0 && type[name] == ' ', "%.*s", (int)len, line);
            help = type = NULL;
        }
    }
}

Test(promtext, names_values_and_labels_of_a_running_target)
{
    mw__sample s = sample_with(MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_SHMEM | MW_HAVE_SWAP);
    mw__prom_figures f = figures(&s, "mw-alloc");
    const char *t = format(&f);
    const char *want[] = {
        "# TYPE memwatch_resident_memory_bytes gauge\n"
        "memwatch_resident_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 128974848\n",
        "memwatch_virtual_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 478150656\n",
        "memwatch_peak_resident_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 209715200\n",
        "memwatch_resident_anonymous_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 1024000\n",
        "memwatch_resident_file_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 2048000\n",
        "memwatch_resident_shmem_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 0\n",
        "memwatch_swap_memory_bytes{pid=\"77\",comm=\"mw-alloc\"} 3072\n",
        "memwatch_growth_bytes_per_second{pid=\"77\",comm=\"mw-alloc\"} -1536.250\n",
        "# TYPE memwatch_samples_total counter\n"
        "memwatch_samples_total{pid=\"77\",comm=\"mw-alloc\"} 42\n",
        "memwatch_last_sample_timestamp_seconds{pid=\"77\",comm=\"mw-alloc\"} 1796153574.180\n",
        "memwatch_target_running{pid=\"77\",comm=\"mw-alloc\"} 1\n",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert_not_null(strstr(t, want[i]), "missing %s in\n%s", want[i], t);
    assert_help_and_type_for_each_series(t);
    cr_assert_null(strstr(t, "proportional"), "PSS is not known: not written");
}

Test(promtext, unknown_figures_and_a_missing_trend_are_left_out)
{
    mw__sample s = sample_with(MW_HAVE_ANON);
    mw__prom_figures f = figures(&s, "x");
    f.have_trend = false;
    f.running = false;
    const char *t = format(&f);
    cr_assert_not_null(strstr(t, "memwatch_resident_anonymous_memory_bytes{"));
    const char *absent[] = {"memwatch_resident_file_memory_bytes", "memwatch_swap_memory_bytes",
                            "memwatch_resident_shmem_memory_bytes", "memwatch_growth_bytes",
                            "memwatch_proportional_memory_bytes", "memwatch_unique_memory_bytes"};
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
        cr_assert_null(strstr(t, absent[i]), "%s in\n%s", absent[i], t);
    cr_assert_not_null(strstr(t, "memwatch_target_running{pid=\"77\",comm=\"x\"} 0\n"));
    assert_help_and_type_for_each_series(t);
}

Test(promtext, pss_and_uss_when_known)
{
    mw__sample s = sample_with(MW_HAVE_PSS | MW_HAVE_USS);
    mw__prom_figures f = figures(&s, "x");
    const char *t = format(&f);
    cr_assert_not_null(strstr(t, "memwatch_proportional_memory_bytes{pid=\"77\",comm=\"x\"} 5120\n"));
    cr_assert_not_null(strstr(t, "memwatch_unique_memory_bytes{pid=\"77\",comm=\"x\"} 4096\n"));
}

Test(promtext, before_the_first_sample_only_counts_and_state)
{
    mw__prom_figures f = {.pid = 9, .comm = "a", .running = true};
    const char *t = format(&f);
    cr_assert_not_null(strstr(t, "memwatch_samples_total{pid=\"9\",comm=\"a\"} 0\n"));
    cr_assert_not_null(strstr(t, "memwatch_target_running{pid=\"9\",comm=\"a\"} 1\n"));
    cr_assert_null(strstr(t, "memwatch_resident_memory_bytes"));
    cr_assert_null(strstr(t, "memwatch_last_sample_timestamp_seconds"));
    assert_help_and_type_for_each_series(t);
}

Test(promtext, comm_is_escaped_per_the_exposition_format)
{
    char v[128];
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "caf\xc3\xa9"), "caf\xc3\xa9");
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "bad\xff\xc3(x"), "bad?" "?(x");
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "tab\tok"), "tab\tok");
    mw__sample s = sample_with(0);
    mw__prom_figures f = figures(&s, "q\"u\\o");
    cr_assert_not_null(strstr(format(&f), "{pid=\"77\",comm=\"q\\\"u\\\\o\"} "));
}

/* Every sequence the one validator (mw__utf8_len) refuses, each byte shown as '?': Prometheus
 * rejects a textfile whose label is not valid UTF-8. */
Test(promtext, comm_with_surrogates_overlongs_or_beyond_u10ffff_is_valid_utf8)
{
    char v[128];
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "a\xed\xa0\x80" "b"), "a???b"); /* U+D800 */
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "\xe0\x80\x80" "c"), "???c"); /* overlong */
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "\xc0\xaf" "d"), "??d");       /* overlong / */
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "\xf0\x80\x80\x80"), "????");  /* overlong */
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "\xf4\x90\x80\x80"), "????");  /* > U+10FFFF */
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "\xf5\x80" "e"), "??e");
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "cut\xe2\x82"), "cut??");
    cr_assert_str_eq(mw__prom_label_value(v, sizeof(v), "\xf4\x8f\xbf\xbf\xed\x9f\xbf"),
                     "\xf4\x8f\xbf\xbf\xed\x9f\xbf"); /* U+10FFFF and U+D7FF are fine */
}

/* The program calls setlocale(LC_ALL, ""): in de_DE printf's %.3f writes "1,5", which
 * Prometheus's parser rejects. */
Test(promtext, a_decimal_comma_locale_still_writes_a_point)
{
    use_comma_locale();
    mw__sample s = sample_with(0);
    mw__prom_figures f = figures(&s, "x");
    const char *t = format(&f);
    setlocale(LC_NUMERIC, "C");
    cr_assert_not_null(strstr(t, "memwatch_growth_bytes_per_second{pid=\"77\",comm=\"x\"} -1536.250\n"), "%s", t);
    cr_assert_not_null(strstr(t, "} 1796153574.180\n"), "%s", t);
    for (const char *c = strchr(t, ','); c; c = strchr(c + 1, ','))
        cr_assert(!(c[-1] >= '0' && c[-1] <= '9'), "a decimal comma:\n%s", t); /* only ",comm" */
}

Test(promtext, a_small_buffer_is_refused)
{
    mw__sample s = sample_with(0);
    mw__prom_figures f = figures(&s, "x");
    char small[100];
    cr_assert_eq(mw__prom_format(small, sizeof(small), &f), 0);
    cr_assert_eq(mw__prom_format(small, 0, &f), 0);
}
