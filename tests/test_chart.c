/* SPDX-License-Identifier: MIT */
/* test_chart.c — per-column min..max, the block index, the y-axis, and drawn charts as golden text. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "ui_fixtures.h"

static mw__ring ring;
static mw__canvas cv;
static void setup(void)
{
    cr_assert_eq(mw__ring_init(&ring, 4096), 0);
    memset(&cv, 0, sizeof(cv));
}
static void teardown(void)
{
    mw__ring_destroy(&ring);
    mw__canvas_destroy(&cv);
}
TestSuite(chart, .init = setup, .fini = teardown);

static void push(int64_t t_s10, uint64_t rss_mib, uint8_t flags)
{
    mw__sample s = fx_sample(t_s10 * FX_S / 10, rss_mib * FX_MIB, 2 * rss_mib * FX_MIB);
    s.flags = flags;
    mw__ring_push(&ring, &s);
}

static mw__chart_spec spec_all(bool ascii)
{
    mw__chart_spec sp;
    memset(&sp, 0, sizeof(sp));
    sp.title = "RSS";
    sp.field = MW__FIELD_RSS;
    sp.style = MW__ST_RSS;
    sp.ascii = ascii;
    sp.hidden_peaks = true;
    sp.from = mw__ring_first(&ring);
    sp.to = mw__ring_end(&ring);
    sp.t0_ns = mw__ring_at(&ring, sp.from)->t_ns;
    sp.t_from = sp.t0_ns;
    sp.t_to = mw__ring_last(&ring)->t_ns;
    return sp;
}

static char *draw(int w, int h, const mw__chart_spec *sp, mw__chart_result *res)
{
    cr_assert_eq(mw__canvas_resize(&cv, w, h), 0);
    mw__chart_draw(&cv, 0, 0, w, h, &ring, NULL, sp, res);
    return mw__canvas_to_text(&cv);
}

Test(chart, a_spike_never_vanishes_when_columns_hold_many_samples)
{
    for (int i = 0; i < 1000; i++)
        push(i, i == 517 ? 300 : 100, 0);
    mw__chart_col cols[10];
    mw__chart_spec sp = spec_all(false);
    mw__chart_columns(&ring, NULL, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_RSS, 10, cols);
    cr_expect_eq(cols[5].max, 300 * FX_MIB);
    cr_expect_eq(cols[5].max_seq, 517);
    cr_expect_eq(cols[5].min, 100 * FX_MIB);
    cr_expect_eq(cols[4].max, 100 * FX_MIB);
    uint32_t n = 0;
    for (int i = 0; i < 10; i++)
        n += cols[i].n;
    cr_expect_eq(n, 1000);
}

Test(chart, index_gives_the_same_columns_as_a_scan)
{
    for (int i = 0; i < 10000; i++) /* wraps the 4096 ring twice */
        push(i, 100 + (uint64_t)((i * 7919) % 613), (i % 777 == 0) ? MW_SAMPLE_MARK : 0);
    mw__chart_index ix;
    memset(&ix, 0, sizeof(ix));
    mw__chart_index_update(&ix, &ring);
    mw__chart_spec sp = spec_all(false);
    for (int w = 1; w < 150; w += 37) {
        mw__chart_col a[150], b[150];
        mw__chart_columns(&ring, NULL, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_RSS, w, a);
        mw__chart_columns(&ring, &ix, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_RSS, w, b);
        cr_expect_eq(memcmp(a, b, (size_t)w * sizeof(a[0])), 0, "width %d", w);
    }
    mw__chart_index_destroy(&ix);
}

Test(chart, a_field_not_yet_known_is_no_value_never_zero)
{
    /* PSS is read on its own cadence: the first samples do not know it. */
    for (int i = 0; i < 1000; i++) {
        mw__sample s = fx_sample(i * FX_S / 10, 100 * FX_MIB, 200 * FX_MIB);
        if (i >= 500) {
            s.valid |= MW_HAVE_PSS;
            mw__sample_set_field(&s, MW__FIELD_PSS, 50 * FX_MIB);
        }
        mw__ring_push(&ring, &s);
    }
    mw__chart_index ix;
    memset(&ix, 0, sizeof(ix));
    mw__chart_index_update(&ix, &ring);
    mw__chart_spec sp = spec_all(false);
    mw__chart_col a[10], b[10];
    mw__chart_columns(&ring, NULL, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_PSS, 10, a);
    mw__chart_columns(&ring, &ix, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_PSS, 10, b);
    for (int c = 0; c < 10; c++) {
        const mw__chart_col *x = &a[c], *y = &b[c];
        if (c < 5) {
            cr_expect_eq(x->n, 0, "column %d: before the first reading", c);
            cr_expect_not(x->carried, "column %d", c);
        } else {
            cr_expect_gt(x->n, 0, "column %d", c);
            cr_expect_eq(x->min, 50 * FX_MIB, "column %d: min %llu", c, (unsigned long long)x->min);
        }
        cr_expect_eq(x->n, y->n, "column %d: scan and index agree", c);
        cr_expect_eq(x->min, y->min, "column %d", c);
        cr_expect_eq(x->max, y->max, "column %d", c);
    }
    mw__chart_index_destroy(&ix);
}

Test(chart, empty_columns_carry_the_last_value)
{
    push(0, 100, 0);
    push(100, 200, 0);
    mw__chart_col cols[4];
    mw__chart_spec sp = spec_all(false);
    sp.t_from -= 10 * FX_S; /* a window that starts before the first sample */
    mw__chart_columns(&ring, NULL, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_RSS, 4, cols);
    cr_expect_eq(cols[1].n, 0);
    cr_expect_not(cols[1].carried, "nothing before the first sample");
    cr_expect_eq(cols[2].n, 1);
    cr_expect_eq(cols[3].max, 200 * FX_MIB);
    sp = spec_all(false);
    mw__chart_columns(&ring, NULL, sp.from, sp.to, sp.t_from, sp.t_to, MW__FIELD_RSS, 4, cols);
    cr_expect_eq(cols[0].n, 1);
    cr_expect(cols[1].carried);
    cr_expect(cols[2].carried);
    cr_expect_eq(cols[2].max, 100 * FX_MIB);
    cr_expect_eq(cols[3].max, 200 * FX_MIB);
}

Test(chart, axis_fits_the_data_not_zero)
{
    mw__axis ax;
    mw__axis_fit(800 * FX_MIB, 812 * FX_MIB, 8, &ax);
    cr_expect_gt(ax.lo, 700.0 * FX_MIB);
    cr_expect_lt(ax.lo, 800.0 * FX_MIB);
    cr_expect_gt(ax.hi, 812.0 * FX_MIB);
    cr_expect_lt(ax.hi, 830.0 * FX_MIB);
    char lab[32];
    mw__axis_label(&ax, 0, lab, sizeof(lab));
    cr_expect_str_eq(lab, "797.5 MiB");
}

Test(chart, axis_labels_use_binary_units)
{
    mw__axis ax;
    mw__axis_fit(1200 * FX_MIB, 1300 * FX_MIB, 8, &ax);
    char lab[32];
    mw__axis_label(&ax, ax.intervals, lab, sizeof(lab));
    cr_expect_str_eq(lab, "1325 MiB"); /* not "1.294 GiB": no more than two decimals */
    mw__axis_fit(0, 0, 1, &ax); /* flat at zero still makes a range */
    cr_expect_gt(ax.hi, ax.lo);
}

Test(chart, steady_leak_golden_utf8)
{
    for (int i = 0; i < 20; i++)
        push(i, 100 + (uint64_t)i, 0);
    mw__chart_spec sp = spec_all(false);
    mw__chart_result res;
    char *t = draw(64, 6, &sp, &res);
    fx_golden("chart-leak-utf8", t);
    cr_expect(res.have);
    cr_expect_eq(res.peak, 119 * FX_MIB);
    cr_expect_eq(res.peak_col, 64 - 9 - 1, "the newest column"); /* gutter "120 MiB ┤" */
    free(t);
}

Test(chart, sawtooth_spike_mark_and_hidden_peak_ascii)
{
    for (int i = 0; i < 200; i++) {
        uint8_t f = 0;
        if (i == 60)
            f = MW_SAMPLE_MARK;
        push(i, 100 + (uint64_t)(i % 50), f);
    }
    /* the kernel saw 260 MiB between two samples the sampler took */
    mw__sample *s = &ring.buf[140 % ring.cap];
    s->hwm = 260 * FX_MIB;
    s->flags |= MW_SAMPLE_HWM_ROSE;
    mw__chart_spec sp = spec_all(true);
    sp.alert = 140 * FX_MIB;
    mw__chart_result res;
    char *t = draw(80, 12, &sp, &res);
    fx_golden("chart-sawtooth-ascii", t);
    cr_expect_eq(res.hidden_hwm, 260 * FX_MIB);
    cr_expect(res.over_alert);
    cr_expect(strchr(t, '^') && strchr(t, '*') && strchr(t, '+'));
    free(t);
}

Test(chart, one_row_is_a_sparkline)
{
    for (int i = 0; i < 50; i++)
        push(i, 100 + (uint64_t)(i % 10), 0);
    mw__chart_spec sp = spec_all(false);
    char *t = draw(30, 1, &sp, NULL);
    fx_golden("chart-sparkline", t);
    free(t);
    t = draw(30, 2, &sp, NULL);
    cr_expect(strstr(t, "RSS 109.0 MiB"), "%s", t);
    free(t);
}

Test(chart, degenerate_sizes_and_windows_are_safe)
{
    mw__chart_spec sp;
    push(0, 100, 0); /* one sample: a zero-length window */
    sp = spec_all(false);
    for (int w = 0; w < 12; w++)
        for (int h = 0; h < 6; h++)
            free(draw(w, h, &sp, NULL));
    sp.from = sp.to; /* nothing in range */
    mw__chart_result res;
    free(draw(40, 6, &sp, &res));
    cr_expect_not(res.have);
}

/* --compare: another ring drawn as dots over this one. */
static mw__ring other;

static void other_push(int64_t t_s10, uint64_t rss_mib)
{
    mw__sample s = fx_sample(t_s10 * FX_S / 10, rss_mib * FX_MIB, 2 * rss_mib * FX_MIB);
    mw__ring_push(&other, &s);
}

/* Rows of text holding `cp` in column x, counted from the top (-1: none). */
static int row_of(const char *text, const char *glyph, int x)
{
    int row = 0;
    for (const char *l = text; *l; row++) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        int col = 0;
        for (const char *p = l; p < l + n; col++) {
            if (col == x && strncmp(p, glyph, strlen(glyph)) == 0)
                return row;
            mw__utf8_next(&p);
        }
        l = e ? e + 1 : l + n;
    }
    return -1;
}

static size_t count_of(const char *text, const char *glyph)
{
    size_t k = 0;
    for (const char *p = text; (p = strstr(p, glyph)); p += strlen(glyph))
        k++;
    return k;
}

Test(chart, the_other_capture_is_dots_on_one_axis_ending_where_it_ended)
{
    cr_assert_eq(mw__ring_init(&other, 64), 0);
    for (int i = 0; i <= 40; i++)
        push(i, 100, 0); /* this run: flat at 100 MiB for 4 s */
    for (int i = 0; i <= 20; i++)
        other_push(1000 + i, 300); /* the other: 300 MiB for 2 s, on a clock 100 s later */
    mw__chart_spec sp = spec_all(false);
    sp.hidden_peaks = false;
    sp.other = &other;
    sp.other_shift_ns = -100 * FX_S;
    sp.other_name = "before.csv";
    mw__chart_result res;
    char *t = draw(100, 12, &sp, &res);
    cr_expect(strstr(t, "\u2022 before.csv \u25b2 300.0 MiB"), "its legend and peak:\n%s", t);
    cr_expect(res.other_have);
    cr_expect_eq(res.other_peak, 300 * FX_MIB);
    cr_expect_eq(res.peak, 100 * FX_MIB, "this run's peak is its own");
    /* one axis for both: the dots at the top, this run's bars low */
    int first = res.plot_x, half = res.plot_x + res.plot_w / 2;
    int dot_row = row_of(t, "\u2022", first), bar_row = row_of(t, "\u2588", first);
    cr_expect(dot_row >= 1 && dot_row + 6 <= bar_row, "300 MiB far above 100 MiB's bars:\n%s", t);
    cr_expect_eq(row_of(t, "\u2022", half - 2), dot_row, "... across its first half:\n%s", t);
    cr_expect_eq(row_of(t, "\u2022", half + 3), -1, "none after its last sample:\n%s", t);
    size_t dots = count_of(t, "\u2022") - 1; /* less the legend's */
    cr_expect(dots >= (size_t)res.plot_w / 2 - 1 && dots <= (size_t)res.plot_w / 2 + 1,
              "one dot a column for half the plot (%zu of %d)", dots, res.plot_w);
    free(t);

    sp.ascii = true;
    t = draw(100, 12, &sp, &res);
    cr_expect(strstr(t, "o before.csv ^ 300.0 MiB"), "ASCII legend:\n%s", t);
    cr_expect_eq(row_of(t, "o", first), dot_row, "ASCII dots:\n%s", t);
    free(t);

    sp.other_shift_ns = 0; /* now wholly outside the window */
    sp.ascii = false;
    t = draw(100, 12, &sp, &res);
    cr_expect(!res.other_have);
    cr_expect(strstr(t, "\u2022 before.csv: none here"), "%s", t);
    cr_expect_eq(count_of(t, "\u2022"), 1, "no dots, the legend only:\n%s", t);
    free(t);
    mw__ring_destroy(&other);
}

/* Issue 19: a run 300 times the ring. Every column over the whole run holds the min..max of
 * its own samples (never narrower), and no value from further away than one bucket; the run's
 * peak is found with its value and time although it left the ring long ago. */
Test(chart, columns_over_a_run_past_the_ring_hold_their_samples_range)
{
    enum { N = 300000 };
    mw__capture c;
    fx_capture(&c, 1000);
    static uint64_t v[N];
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = 100 * FX_MIB + (uint64_t)i * 1024 + (x >> 44) * 16;
        if (i == 4321)
            v[i] = 900 * FX_MIB;
        mw__sample s = fx_sample((int64_t)i * FX_S / 10, v[i], 2 * v[i]);
        mw__capture_add(&c, &s);
    }
    uint64_t widest = 0;
    for (size_t i = 0; i < mw__tiers_count(&c.tiers); i++) {
        const mw__bucket *b = mw__tiers_at(&c.tiers, i);
        widest = b->seq_end - b->seq_first > widest ? b->seq_end - b->seq_first : widest;
    }
    const mw__ring *r = &c.ring;
    int64_t t_from = 0, t_to = (int64_t)(N - 1) * FX_S / 10;
    static const int widths[] = {1, 10, 199, 2000};
    for (size_t k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
        int n = widths[k];
        mw__chart_col *cols = calloc((size_t)n, sizeof(*cols));
        mw__chart_columns_run(r, &c.tiers, NULL, mw__ring_first(r), mw__ring_end(r), t_from, t_to,
                              MW__FIELD_RSS, n, cols);
        double span = (double)(t_to - t_from);
        uint64_t peak = 0;
        for (int i = 0; i < n; i++) {
            int64_t a = t_from + (int64_t)(span * i / n);
            int64_t b = i + 1 < n ? t_from + (int64_t)(span * (i + 1) / n) : t_to + 1;
            const int64_t dt = FX_S / 10; /* samples [s0, s1) have times in [a, b) */
            uint64_t s0 = (uint64_t)((a + dt - 1) / dt), s1 = (uint64_t)((b + dt - 1) / dt);
            uint64_t lo = UINT64_MAX, hi = 0, near = 0;
            for (uint64_t s = s0; s < s1; s++) {
                lo = v[s] < lo ? v[s] : lo;
                hi = v[s] > hi ? v[s] : hi;
            }
            uint64_t e0 = s0 > widest ? s0 - widest : 0, e1 = s1 + widest < N ? s1 + widest : N;
            for (uint64_t s = e0; s < e1; s++)
                near = v[s] > near ? v[s] : near;
            if (s0 < s1) {
                cr_assert(cols[i].n, "width %d column %d has samples", n, i);
                cr_assert_leq(cols[i].min, lo, "width %d column %d", n, i);
                cr_assert_geq(cols[i].max, hi, "width %d column %d", n, i);
                cr_assert_leq(cols[i].max, near, "width %d column %d: nothing from afar", n, i);
            }
            peak = cols[i].max > peak ? cols[i].max : peak;
        }
        cr_assert_eq(peak, 900 * FX_MIB, "width %d", n);
        free(cols);
    }
    cr_assert_gt(mw__ring_first(r), 4321, "the peak is in the tiers");
    mw__capture_destroy(&c);
}

/* Issue 19, --compare: the other capture's run reaches back through its tiers too; its peak,
 * long out of its 100-sample ring, is still its highest dot. */
Test(chart, the_other_capture_is_drawn_from_its_first_sample)
{
    for (int i = 0; i < 1000; i++)
        push(i, 100, 0);
    mw__capture o;
    fx_capture(&o, 100);
    for (int i = 0; i < 1000; i++) {
        mw__sample s = fx_sample(i * FX_S / 10, (i == 50 ? 400 : 90) * FX_MIB, 200 * FX_MIB);
        mw__capture_add(&o, &s);
    }
    mw__chart_spec sp = spec_all(false);
    sp.other = &o.ring;
    sp.other_tiers = &o.tiers;
    sp.other_name = "before.csv";
    mw__chart_result res;
    free(draw(80, 12, &sp, &res));
    cr_expect(res.other_have);
    cr_expect_eq(res.other_peak, 400 * FX_MIB);
    sp.other_tiers = NULL; /* the ring alone has lost it */
    free(draw(80, 12, &sp, &res));
    cr_expect_eq(res.other_peak, 90 * FX_MIB);
    mw__capture_destroy(&o);
}
