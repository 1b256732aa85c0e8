/* SPDX-License-Identifier: MIT */
/* test_csvrun.c — a run longer than its ring: exported with merged rows first, replayed into the same tiers. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "chart.h"
#include "csv.h"
#include "file_fixtures.h"

static char err[1024];

#define T0_NS 7000000000LL
#define WALL0_NS 1795632001123000000LL

/* Sample i: times on whole ms (what a CSV keeps), a sawtooth RSS so buckets have a real range,
 * fields the OS leaves out now and then, spikes and marks. */
static mw__sample sample_i(uint64_t i)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = T0_NS + (int64_t)i * 250000000;
    s.rss = 50000000 + (i % 97) * 40960 + i * 16;
    s.vsz = 900000000 + (i % 13) * 65536;
    s.hwm = 60000000 + i * 8;
    s.shared_kib = (uint32_t)(100 + i % 50);
    s.anon_kib = (uint32_t)(200 + i % 31);
    s.file_kib = (uint32_t)(300 + i % 7);
    s.cg_kernel_kib = (uint32_t)(4000 + i % 11); /* cgroup figures: MW_HAVE_* past 16 bits */
    s.cg_swap_kib = (uint32_t)(i % 3);
    s.valid = MW_HAVE_ANON | MW_HAVE_HWM | (i % 5 == 0 ? 0 : MW_HAVE_FILE) | MW_HAVE_CG_KERNEL |
              (i % 7 == 0 ? 0 : MW_HAVE_CG_SWAP);
    s.flags = i % 311 == 0 ? MW_SAMPLE_HWM_ROSE : 0;
    s.nprocs = 1;
    return s;
}

static void long_run(mw__capture *c, size_t cap, uint64_t n)
{
    cr_assert_eq(mw__capture_init(c, cap), 0);
    c->pid = 777;
    c->wall_offset_ns = WALL0_NS - T0_NS;
    for (uint64_t i = 0; i < n; i++) {
        mw__sample s = sample_i(i);
        mw__capture_add(c, &s);
        if (i % 1000 == 3)
            mw__capture_mark(c, i % 2000 == 3 ? "deploy" : NULL);
    }
}

/* A bucket field's standard deviation squared back (sd^2 = spread / known), compared as sd. */
static double spread(const mw__bucket_field *x)
{
    double k = (double)x->known, dev = x->sum - k * (double)x->first;
    double v = (x->sq - dev * dev / k) / k, r = v > 1 ? v : 1;
    for (int i = 0; i < 100; i++)
        r = (r + v / r) / 2;
    return v > 0 ? r : 0;
}

static void expect_same_columns(const mw__capture *a, const mw__capture *b, mw__field f, int ncols)
{
    mw__chart_col ca[400], cb[400];
    int64_t ta = mw__capture_first_t_ns(a), tb = mw__capture_first_t_ns(b);
    const mw__sample *la = mw__ring_last(&a->ring), *lb = mw__ring_last(&b->ring);
    mw__chart_columns_run(&a->ring, &a->tiers, NULL, mw__ring_first(&a->ring), mw__ring_end(&a->ring),
                          ta, la->t_ns, f, ncols, ca);
    mw__chart_columns_run(&b->ring, &b->tiers, NULL, mw__ring_first(&b->ring), mw__ring_end(&b->ring),
                          tb, lb->t_ns, f, ncols, cb);
    for (int i = 0; i < ncols; i++) {
        cr_assert_eq(ca[i].min, cb[i].min, "field %d, %d columns: column %d min", f, ncols, i);
        cr_assert_eq(ca[i].max, cb[i].max, "field %d, %d columns: column %d max", f, ncols, i);
        cr_assert_eq(ca[i].hwm, cb[i].hwm, "field %d, %d columns: column %d hwm", f, ncols, i);
        cr_assert_eq(ca[i].flags, cb[i].flags, "field %d, %d columns: column %d flags", f, ncols, i);
        cr_assert_eq(ca[i].carried, cb[i].carried, "field %d, %d columns: column %d", f, ncols, i);
        cr_assert_eq(ca[i].max_t ? ca[i].max_t - a->t0_ns : 0, cb[i].max_t ? cb[i].max_t - b->t0_ns : 0,
                     "field %d, %d columns: column %d max_t", f, ncols, i);
        cr_assert_eq(ca[i].n, cb[i].n, "field %d, %d columns: column %d n", f, ncols, i);
    }
}

Test(csvrun, an_export_past_the_ring_replays_to_the_same_chart_and_writes_back_the_same,
     .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a, b;
    long_run(&a, 200, 60000); /* a ring of 200, tiers of 3-sample buckets merged far up */
    size_t nb = mw__tiers_count(&a.tiers), rows = 0;
    cr_assert_gt(nb, 100);
    cr_assert_eq(mw__csv_export(&a, in_dir("a.csv"), false, &rows, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(rows, nb + 200);

    cr_assert_eq(mw__capture_init(&b, 200), 0);
    mw__csv_loaded got;
    cr_assert_eq(mw__csv_load(in_dir("a.csv"), &b, &got, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(got.rows, rows);
    cr_assert_eq(mw__tiers_count(&b.tiers), nb, "every bucket comes back unmerged");
    cr_assert_eq(mw__tiers_end(&b.tiers), mw__tiers_end(&a.tiers));
    cr_assert_eq(mw__ring_first(&b.ring), mw__ring_first(&a.ring), "the run keeps its length");
    cr_assert_eq(mw__ring_count(&b.ring), 200);
    for (size_t i = 0; i < nb; i++) {
        const mw__bucket *x = mw__tiers_at(&a.tiers, i), *y = mw__tiers_at(&b.tiers, i);
        cr_assert_eq(x->seq_first, y->seq_first, "bucket %zu", i);
        cr_assert_eq(x->seq_end, y->seq_end, "bucket %zu", i);
        cr_assert_eq(x->t_first - a.t0_ns, y->t_first - b.t0_ns, "bucket %zu", i);
        cr_assert_eq(x->t_last - a.t0_ns, y->t_last - b.t0_ns, "bucket %zu", i);
        cr_assert_eq(x->hwm, y->hwm, "bucket %zu", i);
        cr_assert_eq(x->flags, y->flags, "bucket %zu", i);
        for (int f = 0; f < MW__FIELD_COUNT; f++) {
            const mw__bucket_field *p = &x->field[f], *q = &y->field[f];
            if (!mw__fields[f].csv)
                continue;
            cr_assert_eq(!p->known, !q->known, "bucket %zu field %d", i, f);
            if (!p->known)
                continue;
            cr_assert(p->known == q->known && p->min == q->min && p->max == q->max && p->first == q->first &&
                          p->last == q->last && p->max_t - a.t0_ns == q->max_t - b.t0_ns &&
                          p->min_t - a.t0_ns == q->min_t - b.t0_ns,
                      "bucket %zu field %d", i, f);
            double ma = p->sum / (double)p->known, mb = q->sum / (double)q->known;
            cr_assert(ma - mb < 0.5 && mb - ma < 0.5, "bucket %zu field %d mean", i, f);
            double sa = spread(p), sb = spread(q); /* rounded to a byte in the file */
            cr_assert(sa - sb < 1.0 && sb - sa < 1.0, "bucket %zu field %d: sd %.3f, replayed %.3f",
                      i, f, sa, sb);
        }
    }
    /* The same chart at every zoom, over every field with a column. */
    static const int widths[] = {1, 7, 80, 333};
    for (int f = 0; f < MW__FIELD_COUNT; f++)
        for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
            if (mw__fields[f].csv)
                expect_same_columns(&a, &b, (mw__field)f, widths[w]);
    /* The run's start and peak, as the summary of the whole run tells them. */
    cr_assert_eq(b.all.n, a.all.n);
    cr_assert_eq(b.all.first.rss, a.all.first.rss);
    cr_assert_eq(b.all.peak_rss.rss, a.all.peak_rss.rss);
    cr_assert_eq(b.all.peak_rss.t_ns - b.t0_ns, a.all.peak_rss.t_ns - a.t0_ns);
    cr_assert_eq(b.all.field[MW__FIELD_ANON].min, a.all.field[MW__FIELD_ANON].min);
    cr_assert_eq(b.all.field[MW__FIELD_RSS].min_t_ns - b.t0_ns, a.all.field[MW__FIELD_RSS].min_t_ns - a.t0_ns);
    cr_assert_eq(b.all.max_hwm, a.all.max_hwm);

    /* Exporting the replay writes the same file again. */
    cr_assert_eq(mw__csv_export(&b, in_dir("b.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    char *fa = read_file(in_dir("a.csv"), NULL), *fb = read_file(in_dir("b.csv"), NULL);
    cr_assert_str_eq(fa, fb);
    free(fa);
    free(fb);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(csvrun, marks_older_than_the_ring_keep_their_labels_on_their_bucket, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture a, b;
    long_run(&a, 200, 6000); /* marks at 3, 1003, ... 5003: all but the last in merged history */
    cr_assert_eq(mw__csv_export(&a, in_dir("a.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    char *text = read_file(in_dir("a.csv"), NULL);
    cr_assert(strstr(text, ",\"deploy\",") != NULL, "a merged row carries its mark's label");
    cr_assert(strstr(text, ",\"M2\",") != NULL, "and an unlabelled one its number");
    free(text);
    cr_assert_eq(mw__capture_init(&b, 200), 0);
    cr_assert_eq(mw__csv_load(in_dir("a.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(b.nmarks, a.nmarks);
    for (size_t i = 0; i < a.nmarks; i++) {
        cr_assert_str_eq(b.marks[i].label, a.marks[i].label);
        /* on the first sample of the bucket that holds it (the ring's: that very sample) */
        uint64_t s = a.marks[i].seq;
        if (s >= mw__ring_first(&a.ring)) {
            cr_assert_eq(b.marks[i].seq, s);
            continue;
        }
        size_t k = 0;
        while (mw__tiers_at(&a.tiers, k)->seq_end <= s)
            k++;
        cr_assert_eq(b.marks[i].seq, mw__tiers_at(&a.tiers, k)->seq_first, "mark %zu", i);
    }
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

Test(csvrun, every_row_says_how_many_samples_it_stands_for_in_its_last_column, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    mw__capture a;
    long_run(&a, 64, 1000); /* buckets of 1 sample and more behind a ring of 64 */
    cr_assert_eq(mw__csv_export(&a, in_dir("a.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    char *text = read_file(in_dir("a.csv"), NULL);
    const char *nl = strchr(text, '\n');
    cr_assert(strncmp(text, mw__csv_header, strlen(mw__csv_header)) == 0,
              "the stream's columns lead, in their order");
    cr_assert(nl - text > 8 && strncmp(nl - 8, ",samples", 8) == 0, "samples is the last column");
    cr_assert(strstr(text, ",rss_bytes_first,rss_bytes_min,rss_bytes_max,rss_bytes_mean,"
                           "rss_bytes_sd,rss_bytes_min_elapsed_s,rss_bytes_max_elapsed_s,"
                           "rss_bytes_known,") != NULL);
    size_t merged = 0, full = 0;
    uint64_t total = 0;
    for (const char *p = nl + 1; *p; p = strchr(p, '\n') + 1) {
        const char *cell[3], *q = strchr(p, '\n'); /* samples, spike_hwm_bytes, first_elapsed_s */
        for (int k = 0; k < 3; k++) {
            while (q[-1] != ',')
                q--;
            cell[k] = q--;
        }
        uint64_t n = strtoull(cell[0], NULL, 10);
        cr_assert_geq(n, 1);
        total += n;
        if (*cell[2] == ',') { /* no first_elapsed_s: one sample at full resolution */
            cr_assert_eq(n, 1);
            full++;
        } else {
            merged++;
        }
    }
    cr_assert_eq(full, 64);
    cr_assert_eq(merged, mw__tiers_count(&a.tiers));
    cr_assert_eq(total, 1000, "the rows stand for every sample of the run");
    free(text);
    mw__capture_destroy(&a);
}

Test(csvrun, a_smaller_replay_merges_the_buckets_in_its_own_budget, .init = mkdir_tmp, .fini = rm_tmp)
{
    mw__capture a, b;
    long_run(&a, 20000, 100000);
    cr_assert_eq(mw__csv_export(&a, in_dir("a.csv"), false, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(mw__capture_init(&b, 100), 0);
    cr_assert_eq(mw__csv_load(in_dir("a.csv"), &b, NULL, err, sizeof(err)), 0, "%s", err);
    cr_assert_leq(mw__tiers_count(&b.tiers), b.tiers.nbuckets + 1);
    cr_assert_eq(mw__tiers_end(&b.tiers), mw__ring_first(&b.ring));
    cr_assert_eq(mw__ring_end(&b.ring), 100000, "the run keeps its length");
    mw__bucket wa, wb;
    cr_assert(mw__tiers_all(&a.tiers, &wa) && mw__tiers_all(&b.tiers, &wb));
    /* what b's tiers hold is a's tiers and the part of a's ring b could not keep */
    cr_assert_eq(wb.t_first - b.t0_ns, wa.t_first - a.t0_ns);
    cr_assert_eq(wb.field[MW__FIELD_RSS].first, wa.field[MW__FIELD_RSS].first);
    cr_assert_geq(wb.field[MW__FIELD_RSS].max, wa.field[MW__FIELD_RSS].max);
    cr_assert_leq(wb.field[MW__FIELD_RSS].min, wa.field[MW__FIELD_RSS].min);
    mw__capture_destroy(&a);
    mw__capture_destroy(&b);
}

/* ---- refusals: one line, the line and the column named ------------------------------------ */

/* The export of a small long run, with row `row` (1 = the first after the header) edited:
 * cell `cell` counted from the end (0 = samples) replaced by text. */
static char *edited_export(int row, int cell, const char *text)
{
    mw__capture a;
    long_run(&a, 8, 20);
    cr_assert_eq(mw__csv_export(&a, in_dir("e.csv"), true, NULL, err, sizeof(err)), 0, "%s", err);
    mw__capture_destroy(&a);
    char *src = read_file(in_dir("e.csv"), NULL), *out = malloc(strlen(src) + strlen(text) + 1);
    char *p = src;
    for (int i = 0; i < row; i++)
        p = strchr(p, '\n') + 1;
    char *a0 = strchr(p, '\n');
    for (int commas = 0;; commas++) {
        while (*--a0 != ',')
            ;
        if (commas == cell)
            break;
    }
    a0++; /* the cell's first byte */
    char *cell_end = a0;
    while (*cell_end != ',' && *cell_end != '\n')
        cell_end++;
    size_t n = (size_t)(a0 - src);
    memcpy(out, src, n);
    strcpy(out + n, text);
    strcat(out, cell_end);
    free(src);
    return out;
}

static void expect_refusal(char *text, const char *msg)
{
    mw__capture c;
    cr_assert_eq(mw__capture_init(&c, 8), 0);
    err[0] = '\0';
    cr_expect_eq(mw__csv_load_mem(text, strlen(text), "t.csv", &c, err, sizeof(err)), MW_EINVAL,
                 "%s", err);
    cr_expect_str_eq(err, msg);
    mw__capture_destroy(&c);
    free(text);
}

Test(csvrun, garbage_in_the_new_columns_is_refused_with_line_and_column, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    expect_refusal(edited_export(2, 0, "x"), "t.csv:3: bad samples 'x'");
    expect_refusal(edited_export(2, 0, "0"), "t.csv:3: bad samples '0'");
    expect_refusal(edited_export(15, 0, "3"),
                   "t.csv:16: samples 3 on a row without first_elapsed_s (a merged row has both)");
    expect_refusal(edited_export(1, 2, "9999.000"), "t.csv:2: bad first_elapsed_s '9999.000'");
    expect_refusal(edited_export(1, 1, "-1"), "t.csv:2: bad spike_hwm_bytes '-1'");
    int after = 0; /* exported fields after anon_bytes: its known cell is 3 + 8 * after from the end */
    for (int f = MW__FIELD_ANON + 1; f < MW__FIELD_COUNT; f++)
        after += mw__fields[f].csv != NULL;
    expect_refusal(edited_export(1, 3 + 8 * after, "2"), "t.csv:2: bad anon_bytes_known '2'");
    /* a merged row among the samples */
    char *t = edited_export(14, 2, "3.000");
    expect_refusal(t, "t.csv:15: a merged row after full-resolution rows (merged rows come first)");
}

Test(csvrun, a_merged_row_whose_figures_disagree_is_refused, .init = mkdir_tmp, .fini = rm_tmp)
{
    /* file_bytes_first of row 2 (cells from the end: samples, spike_hwm_bytes, first_elapsed_s,
     * then 8 per exported field, the last field's first) made below its min */
    char want[200];
    int after = 0; /* exported fields after file_bytes in the table */
    for (int f = MW__FIELD_FILE + 1; f < MW__FIELD_COUNT; f++)
        after += mw__fields[f].csv != NULL;
    snprintf(want, sizeof(want), "t.csv:3: file_bytes: its first, last and mean must lie within "
                                 "its min .. max, its sd within their span, the times of min and "
                                 "max within the row's");
    expect_refusal(edited_export(2, 3 + 8 * after + 7, "1"), want);
}
