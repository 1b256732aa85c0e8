/* SPDX-License-Identifier: MIT */
/* test_svgplot.c — --plot's picture: well-formed XML, the peak's label, escaped marks, bounded size, gaps. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svgplot.h"
#include "svgtext.h"

#define MIB (1024ull * 1024)
#define SEC 1000000000ll

static void add(mw__capture *c, int64_t t_ns, uint64_t rss, uint64_t vsz)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = t_ns;
    s.rss = rss;
    s.vsz = vsz;
    s.nprocs = 1;
    mw__capture_add(c, &s);
}

static mw__sample *newest(mw__capture *c) { return (mw__sample *)mw__ring_last(&c->ring); }

/* A tiny XML checker: tags balance, attribute values are quoted, and text holds no raw '<' and
 * no '&' that does not start one of the five entities or a character reference. */
static bool entity_ok(const char *p)
{
    static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"};
    for (size_t i = 0; i < sizeof(ent) / sizeof(ent[0]); i++)
        if (strncmp(p, ent[i], strlen(ent[i])) == 0)
            return true;
    return false;
}

static bool xml_ok(const char *doc)
{
    char stack[64][32];
    int depth = 0, roots = 0;
    const char *p = doc;
    if (strncmp(p, "<?xml", 5) == 0 && !(p = strstr(p, "?>")))
        return false;
    for (; *p; p++) {
        if (*p == '&' && !entity_ok(p))
            return false;
        if (*p != '<')
            continue;
        bool close = p[1] == '/';
        const char *name = p + 1 + close;
        size_t n = strcspn(name, " \t\n/>");
        if (n == 0 || n >= 32)
            return false;
        const char *q = name + n;
        char quote = 0;
        for (; *q && (quote || *q != '>'); q++) {
            if (quote && *q == '<')
                return false;
            if (quote && *q == '&' && !entity_ok(q))
                return false;
            if (*q == '"' || *q == '\'')
                quote = quote == *q ? 0 : quote ? quote : *q;
        }
        if (!*q)
            return false;
        bool empty = q[-1] == '/';
        if (close) {
            if (depth == 0 || strncmp(stack[depth - 1], name, n) || stack[depth - 1][n])
                return false;
            depth--;
        } else if (!empty) {
            if (depth == 0)
                roots++;
            if (depth == 64)
                return false;
            memcpy(stack[depth], name, n);
            stack[depth++][n] = '\0';
        } else if (depth == 0) {
            return false;
        }
        p = q;
    }
    return depth == 0 && roots == 1;
}

static char *plot(const mw__capture *c, size_t *len)
{
    char *svg = NULL;
    size_t n = 0;
    cr_assert_eq(mw__svg_plot(c, NULL, NULL, &svg, &n), 0);
    cr_assert_eq(strlen(svg), n);
    cr_expect(xml_ok(svg), "not well-formed:\n%s", svg);
    if (len)
        *len = n;
    return svg;
}

static size_t count(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        k++;
    return k;
}

Test(svgplot, checker_catches_broken_documents)
{
    cr_expect(xml_ok("<svg><g></g></svg>"));
    cr_expect(!xml_ok("<svg><g></svg>"));
    cr_expect(!xml_ok("<svg>a < b</svg>"));
    cr_expect(!xml_ok("<svg>a & b</svg>"));
    cr_expect(!xml_ok("<svg><text a=\"<\"/></svg>"));
}

Test(svgplot, a_run_is_well_formed_with_title_axes_and_legend)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 1000), 0);
    snprintf(c.command, sizeof(c.command), "./server --port 80");
    c.pid = 4242;
    for (int i = 0; i < 200; i++)
        add(&c, i * SEC / 4, (50 + (uint64_t)i / 4) * MIB, 900 * MIB);
    char *svg = plot(&c, NULL);
    cr_expect(strstr(svg, "viewBox=\"0 0 900 600\""));
    cr_expect(strstr(svg, "font-family=\"sans-serif\""));
    cr_expect(strstr(svg, "memwatch: ./server --port 80"));
    cr_expect(strstr(svg, "200 samples, every ~250ms"), "%s", svg);
    cr_expect(strstr(svg, "RSS counts: process"));
    cr_expect(strstr(svg, " MiB</text>"), "a size axis in MiB");
    cr_expect(strstr(svg, ">10s</text>"), "a time axis with nice ticks");
    cr_expect(strstr(svg, "spike between samples"), "the legend");
    cr_expect(!strstr(svg, "class=\"PSS\""), "no PSS panel without PSS");
    free(svg);
    mw__capture_destroy(&c);
}

static char *titled(const char *command)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 10), 0);
    snprintf(c.command, sizeof(c.command), "%s", command);
    for (int i = 0; i < 3; i++)
        add(&c, i * SEC, 10 * MIB, 20 * MIB);
    char *svg = plot(&c, NULL);
    mw__capture_destroy(&c);
    return svg;
}

Test(svgplot, a_long_title_drops_the_programs_directory_then_is_cut_with_an_ellipsis)
{
    /* 69 characters: two over the width, so the directory goes and the rest fits uncut */
    char *svg = titled("/check/work/main/build-asan/tests/helpers/mw-alloc --ready-file ready");
    cr_expect(strstr(svg, ">memwatch: mw-alloc --ready-file ready</text>"), "%s", svg);
    free(svg);
    svg = titled("/usr/bin/python3 -c 'import time; time.sleep(1000)' --with a very long tail of args");
    cr_expect(strstr(svg, ">memwatch: python3 -c &apos;import time; time.sleep(1000)&apos; --with a very long tail…</text>"),
              "%s", svg);
    free(svg);
    /* exactly the width: shown whole, no ellipsis */
    svg = titled("./p 345678901234567890123456789012345678901234567890123456789012345");
    cr_expect(strstr(svg, ">memwatch: ./p 345678901234567890123456789012345678901234567890123456789012345</text>"),
              "%s", svg);
    free(svg);
    /* short, but escaping pushes it past the width: cut, and said so */
    char esc[64];
    memset(esc, '\x01', 40);
    esc[40] = '\0';
    svg = titled(esc);
    cr_expect(strstr(svg, "…</text>"), "%s", svg);
    free(svg);
}

Test(svgplot, the_peak_is_labelled_with_its_value_and_time)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 100), 0);
    for (int i = 0; i < 20; i++)
        add(&c, i * SEC / 2, (i == 7 ? 100 : 40) * MIB, 500 * MIB);
    char *svg = plot(&c, NULL);
    cr_expect(strstr(svg, "peak 100.0 MiB at 3.500 s"), "%s", svg);
    cr_expect(strstr(svg, "peak 500.0 MiB at 0.000 s"), "VSZ's peak: its first sample");
    free(svg);
    mw__capture_destroy(&c);
}

Test(svgplot, marks_are_drawn_and_their_labels_escaped)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 100), 0);
    for (int i = 0; i < 10; i++) {
        add(&c, i * SEC, 10 * MIB, 20 * MIB);
        if (i == 3)
            cr_assert_eq(mw__capture_mark(&c, "a<b & \"c\" 'd' </text>"), 0);
        if (i == 6)
            cr_assert_eq(mw__capture_mark(&c, "bad \xff byte\x01"), 0);
        if (i == 8) /* a non-character: valid UTF-8, refused by XML */
            cr_assert_eq(mw__capture_mark(&c, "odd \xef\xbf\xbf"), 0);
    }
    char *svg = plot(&c, NULL);
    cr_expect(strstr(svg, "a&lt;b &amp; &quot;c&quot; &apos;d&apos; &lt;/text&gt;"), "%s", svg);
    cr_expect(strstr(svg, "bad \\xff byte"), "invalid UTF-8 shown as \\xff: %s", svg);
    cr_expect(strstr(svg, "odd \\uFFFF<"), "U+FFFF escaped: %s", svg);
    cr_expect_eq(count(svg, "<line class=\"mark\""), 3);
    for (const unsigned char *p = (const unsigned char *)svg; *p; p++)
        cr_expect(*p >= 0x20 || *p == '\n', "a control byte 0x%02x in the document", *p);
    free(svg);
    mw__capture_destroy(&c);
}

Test(svgplot, a_million_samples_make_a_bounded_file)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 1000000), 0);
    for (int i = 0; i < 1000000; i++) /* a sawtooth: bands, not a million points */
        add(&c, (int64_t)i * 10000000, (100 + (uint64_t)(i % 1000)) * MIB, 2048 * MIB);
    size_t len;
    char *svg = plot(&c, &len);
    cr_expect_lt(len, 1000000, "%zu bytes", len);
    cr_expect_gt(count(svg, "class=\"band\""), 0);
    cr_expect_eq(count(svg, "class=\"series\""), 0);
    cr_expect(strstr(svg, "1000000 samples, every ~10ms"), "subtitle");
    free(svg);
    mw__capture_destroy(&c);
}

Test(svgplot, an_unknown_value_is_a_gap_not_zero)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 100), 0);
    for (int i = 0; i < 30; i++) {
        add(&c, i * SEC, 30 * MIB, 60 * MIB);
        if (i < 10 || i >= 20) { /* PSS read for the first ten and the last ten only */
            newest(&c)->valid |= MW_HAVE_PSS;
            newest(&c)->pss_kib = 20 * 1024;
        }
    }
    char *svg = plot(&c, NULL);
    const char *pss = strstr(svg, "<g class=\"PSS\">");
    cr_assert(pss, "a PSS panel when PSS is known");
    char *end = strstr(pss, "</g>");
    *end = '\0';
    cr_expect_eq(count(pss, "<polyline"), 2, "two pieces around the gap: %s", pss);
    cr_expect_eq(count(svg, "<polyline"), 4, "RSS and VSZ in one piece each");
    cr_expect(!strstr(svg, "0 B</text>"), "no axis down to 0 for the unknowns");
    free(svg);
    mw__capture_destroy(&c);
}

Test(svgplot, a_spike_between_samples_is_marked)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 100), 0);
    for (int i = 0; i < 10; i++) {
        add(&c, i * SEC, 30 * MIB, 60 * MIB);
        newest(&c)->valid |= MW_HAVE_HWM;
        newest(&c)->hwm = i == 4 ? 90 * MIB : 30 * MIB;
        if (i == 4)
            newest(&c)->flags |= MW_SAMPLE_HWM_ROSE;
    }
    char *svg = plot(&c, NULL);
    cr_expect_eq(count(svg, "class=\"spike\""), 1);
    cr_expect(strstr(svg, "peak 30.0 MiB"), "the sampled peak stays the samples'");
    free(svg);
    mw__capture_destroy(&c);
}

Test(svgplot, no_samples_says_so_and_an_empty_overlay_is_refused)
{
    mw__capture c, d;
    cr_assert_eq(mw__capture_init(&c, 10), 0);
    cr_assert_eq(mw__capture_init(&d, 10), 0);
    char *svg = plot(&c, NULL);
    cr_expect(strstr(svg, "no samples were taken"));
    free(svg);
    size_t n;
    cr_expect_eq(mw__svg_plot(&c, &d, NULL, &svg, &n), MW_EINVAL);
    mw__capture_destroy(&c);
    mw__capture_destroy(&d);
}

Test(svgplot, axis_steps_and_time_labels)
{
    cr_expect_eq(mw__svg_bytes_step(100 * MIB, 4), 50 * MIB);
    cr_expect_eq(mw__svg_bytes_step(3000, 4), 1024);
    cr_expect_eq(mw__svg_bytes_step(0, 4), 1);
    cr_expect_float_eq(mw__svg_time_step(50), 10, 1e-9);
    cr_expect_float_eq(mw__svg_time_step(1.2), 0.2, 1e-9);
    cr_expect_float_eq(mw__svg_time_step(3600), 600, 1e-9);
    char b[32];
    cr_expect_str_eq(mw__svg_time_label(b, sizeof(b), 0.4, 0.2), "0.4s");
    cr_expect_str_eq(mw__svg_time_label(b, sizeof(b), 750, 150), "12m30s");
    cr_expect_str_eq(mw__svg_elapsed(b, sizeof(b), 3.5), "3.500 s");
    cr_expect_str_eq(mw__svg_elapsed(b, sizeof(b), 192.44), "00:03:12.4");
}
