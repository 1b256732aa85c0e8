/* SPDX-License-Identifier: MIT */
/* test_tiers.c — tiered history: long runs against brute force, bounded memory, marks and spikes kept. */
#include "config.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tiers.h"

#define MS 1000000LL
#define MIB (1024ull * 1024)

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Sample seq of a fake run at 100 ms: a slow leak with noise, rare sampled spikes, kernel
 * high-water marks that rose between samples, marks, and PSS known only in stretches (it is read
 * on its own cadence). Computed from seq alone, so brute force needs no copy of the run. */
static void fake(mw__sample *s, uint64_t seq)
{
    uint64_t h = mix(seq);
    memset(s, 0, sizeof(*s));
    s->t_ns = (int64_t)seq * 100 * MS;
    s->rss = 100 * MIB + seq / 10 * 64 + h % MIB;
    if (h % 200003 == 7)
        s->rss += 700 * MIB;
    s->vsz = 2 * s->rss;
    s->hwm = s->rss;
    s->valid = MW_HAVE_HWM;
    if ((seq / 1000) % 3 != 0) {
        s->valid |= MW_HAVE_PSS;
        s->pss_kib = (uint32_t)(s->rss / 2048 + (h >> 20) % 4096);
    }
    s->nprocs = 1;
    if ((h >> 8) % 50021 == 3) {
        s->flags |= MW_SAMPLE_HWM_ROSE;
        s->hwm = s->rss + 1024 * MIB + (h >> 40);
    }
    if (seq % 777781 == 11)
        s->flags |= MW_SAMPLE_MARK;
}

static void push_run(mw__tiers *t, uint64_t from, uint64_t to)
{
    mw__sample s;
    for (uint64_t i = from; i < to; i++) {
        fake(&s, i);
        cr_assert_eq(mw__tiers_push(t, &s), 0);
    }
}

/* Every raw sample is in exactly one bucket, in time order, and the budget holds. */
static void expect_whole(const mw__tiers *t)
{
    size_t n = mw__tiers_count(t);
    cr_assert_leq(n, t->nbuckets + 1, "%zu buckets, budget %zu", n, t->nbuckets);
    uint64_t seq = 0;
    for (size_t i = 0; i < n; i++) {
        const mw__bucket *b = mw__tiers_at(t, i);
        cr_assert_eq(b->seq_first, seq, "bucket %zu starts at %llu", i, (unsigned long long)b->seq_first);
        cr_assert_gt(b->seq_end, b->seq_first);
        cr_assert_eq(b->t_first, (int64_t)b->seq_first * 100 * MS);
        cr_assert_eq(b->t_last, (int64_t)(b->seq_end - 1) * 100 * MS);
        seq = b->seq_end;
    }
    cr_assert_eq(seq, mw__tiers_end(t));
    cr_assert_null(mw__tiers_at(t, n));
}

/* min, max, first, last, known and sum of a field over raw samples [a, b), the slow way. */
static void brute(uint64_t a, uint64_t b, mw__field f, mw__bucket *o)
{
    memset(o, 0, sizeof(*o));
    mw__sample s;
    for (uint64_t i = a; i < b; i++) {
        fake(&s, i);
        if ((s.flags & MW_SAMPLE_HWM_ROSE) && s.hwm > o->hwm)
            o->hwm = s.hwm;
        o->flags |= s.flags;
        if (!mw__field_known(f, s.valid))
            continue;
        uint64_t v = mw__sample_field(&s, f);
        if (!o->field[f].known || v < o->field[f].min) {
            o->field[f].min = v;
            o->field[f].min_t = s.t_ns;
        }
        if (!o->field[f].known || v > o->field[f].max) {
            o->field[f].max = v;
            o->field[f].max_t = s.t_ns;
        }
        if (!o->field[f].known)
            o->field[f].first = v;
        o->field[f].last = v;
        o->field[f].sum += (double)v;
        double d = (double)v - (double)o->field[f].first;
        o->field[f].sq += d * d;
        o->field[f].known++;
    }
}

/* Slice the run into ncols equal times, as a chart does, and check each slice's buckets. */
static void check_zoom(const mw__tiers *t, int ncols)
{
    int64_t t0 = mw__tiers_at(t, 0)->t_first, t1 = mw__tiers_at(t, mw__tiers_count(t) - 1)->t_last;
    static const mw__field fields[] = {MW__FIELD_RSS, MW__FIELD_PSS, MW__FIELD_HWM};
    for (int c = 0; c < ncols; c++) {
        int64_t ca = t0 + (t1 + 1 - t0) * c / ncols, cb = t0 + (t1 + 1 - t0) * (c + 1) / ncols;
        size_t i = mw__tiers_seek_time(t, ca), n = mw__tiers_count(t);
        if (i == n || mw__tiers_at(t, i)->t_first >= cb)
            continue; /* inside one bucket that started in an earlier column */
        mw__bucket m = *mw__tiers_at(t, i);
        while (++i < n && mw__tiers_at(t, i)->t_first < cb)
            mw__bucket_merge(&m, mw__tiers_at(t, i));
        for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
            mw__field f = fields[k];
            mw__bucket want;
            brute(m.seq_first, m.seq_end, f, &want);
            cr_assert_eq(m.field[f].known, want.field[f].known, "zoom %d col %d field %d", ncols, c, f);
            if (!want.field[f].known)
                continue;
            cr_assert_eq(m.field[f].min, want.field[f].min, "zoom %d col %d field %d min", ncols, c, f);
            cr_assert_eq(m.field[f].max, want.field[f].max, "zoom %d col %d field %d max", ncols, c, f);
            cr_assert_eq(m.field[f].max_t, want.field[f].max_t, "zoom %d col %d field %d max time", ncols, c, f);
            cr_assert_eq(m.field[f].min_t, want.field[f].min_t, "zoom %d col %d field %d min time", ncols, c, f);
            cr_assert_eq(m.field[f].first, want.field[f].first, "zoom %d col %d field %d first", ncols, c, f);
            cr_assert_eq(m.field[f].last, want.field[f].last, "zoom %d col %d field %d last", ncols, c, f);
            cr_assert_eq(m.field[f].sum, want.field[f].sum, "zoom %d col %d field %d sum", ncols, c, f);
            cr_assert(fabs(m.field[f].sq - want.field[f].sq) <= 1e-9 * want.field[f].sq + 1.0,
                      "zoom %d col %d field %d squares %g vs %g", ncols, c, f, m.field[f].sq, want.field[f].sq);
            cr_assert_eq(m.hwm, want.hwm, "zoom %d col %d hwm", ncols, c);
            cr_assert_eq(m.flags, want.flags, "zoom %d col %d flags", ncols, c);
        }
    }
}

Test(tiers, a_three_day_run_matches_brute_force_at_every_zoom)
{
    mw__tiers t;
    mw__tiers_init(&t, 100000); /* the default -H */
    uint64_t n = 3ull * 86400 * 10; /* three days at 100 ms */
    push_run(&t, 0, n);
    expect_whole(&t);
    cr_assert_eq(mw__tiers_at(&t, 0)->t_first, 0, "the run's first sample is still there");
    check_zoom(&t, 1);
    check_zoom(&t, 7);
    check_zoom(&t, 200);
    check_zoom(&t, 3000);
    /* the whole run in one bucket: its peak is the run's */
    mw__bucket all = *mw__tiers_at(&t, 0), want;
    for (size_t i = 1; i < mw__tiers_count(&t); i++)
        mw__bucket_merge(&all, mw__tiers_at(&t, i));
    brute(0, n, MW__FIELD_RSS, &want);
    cr_assert_gt(want.field[MW__FIELD_RSS].max, 700 * MIB, "the run has a spike to find");
    cr_assert_eq(all.field[MW__FIELD_RSS].max, want.field[MW__FIELD_RSS].max);
    mw__tiers_destroy(&t);
}

Test(tiers, memory_stays_bounded_when_pushing_ten_times_more)
{
    mw__tiers t;
    mw__tiers_init(&t, 1000);
    size_t bytes = mw__tiers_bytes(&t);
    cr_assert_leq(bytes, 1000 * sizeof(mw__sample) > MW__TIERS_MIN_BUCKETS * sizeof(mw__bucket)
                             ? 1000 * sizeof(mw__sample) : MW__TIERS_MIN_BUCKETS * sizeof(mw__bucket),
                  "no more than the ring, or the minimum");
    push_run(&t, 0, 100000);
    expect_whole(&t);
    const mw__bucket *mem = t.mem;
    size_t count = mw__tiers_count(&t);
    push_run(&t, 100000, 1100000);
    expect_whole(&t);
    cr_assert_eq(t.mem, mem, "no allocation after the first");
    cr_assert_eq(mw__tiers_bytes(&t), bytes);
    cr_assert_leq(mw__tiers_count(&t), t.nbuckets + 1);
    cr_assert_gt(count, t.nbuckets / 2, "the budget is used, not left idle");
    check_zoom(&t, 50);
    mw__tiers_destroy(&t);
}

Test(tiers, marks_and_spike_flags_survive_merging)
{
    mw__tiers t;
    mw__tiers_init(&t, 2000);
    uint64_t n = 2000000;
    push_run(&t, 0, n);
    int marks = 0, spikes = 0;
    for (size_t i = 0; i < mw__tiers_count(&t); i++) {
        const mw__bucket *b = mw__tiers_at(&t, i);
        mw__bucket want;
        brute(b->seq_first, b->seq_end, MW__FIELD_RSS, &want);
        cr_assert_eq(b->flags & MW_SAMPLE_MARK, want.flags & MW_SAMPLE_MARK, "bucket %zu", i);
        cr_assert_eq(b->flags & MW_SAMPLE_HWM_ROSE, want.flags & MW_SAMPLE_HWM_ROSE, "bucket %zu", i);
        cr_assert_eq(b->hwm, want.hwm, "bucket %zu keeps its highest hidden peak", i);
        marks += (b->flags & MW_SAMPLE_MARK) != 0;
        spikes += b->hwm != 0;
    }
    cr_assert_geq(marks, 2, "the run has marks to keep");
    cr_assert_geq(spikes, 10, "the run has hidden peaks to keep");
    mw__tiers_destroy(&t);
}

Test(tiers, resolution_stays_even_however_long_the_run)
{
    mw__tiers t;
    mw__tiers_init(&t, 2000);
    push_run(&t, 0, 3000000);
    size_t n = mw__tiers_count(&t), first_half = 0;
    uint64_t widest = 0;
    for (size_t i = 0; i < n; i++) {
        const mw__bucket *b = mw__tiers_at(&t, i);
        uint64_t w = b->seq_end - b->seq_first;
        widest = w > widest ? w : widest;
        first_half += b->seq_end <= 1500000;
    }
    /* no bucket swallows the old history: the run's first half is spread over many buckets */
    cr_expect_leq(widest, 3000000 / (t.nbuckets / MW__TIERS_LEVELS) * 2, "widest %llu",
                  (unsigned long long)widest);
    cr_expect_geq(first_half, t.nbuckets / MW__TIERS_LEVELS / 4, "%zu", first_half);
    mw__tiers_destroy(&t);
}

Test(tiers, a_tree_high_water_mark_has_no_height)
{
    mw__tiers t;
    mw__tiers_init(&t, 100);
    mw__sample s;
    fake(&s, 0);
    s.flags = MW_SAMPLE_HWM_ROSE;
    s.hwm = 5 * s.rss;
    s.nprocs = 3;
    cr_assert_eq(mw__tiers_push(&t, &s), 0);
    const mw__bucket *b = mw__tiers_at(&t, 0);
    cr_assert_eq(b->hwm, 0);
    cr_assert_eq(b->flags, MW_SAMPLE_HWM_ROSE);
    mw__tiers_destroy(&t);
}

Test(tiers, unknown_fields_are_no_values)
{
    mw__tiers t;
    mw__tiers_init(&t, 100000);
    push_run(&t, 0, 64); /* (seq / 1000) % 3 == 0: no PSS anywhere */
    const mw__bucket *b = mw__tiers_at(&t, 0);
    cr_assert_eq(b->field[MW__FIELD_PSS].known, 0);
    cr_assert_eq(b->field[MW__FIELD_RSS].known, 64);
    cr_assert_eq(mw__tiers_count(&t), 1);
    cr_assert_eq(mw__tiers_seek_time(&t, 1000 * 100 * MS), 1, "none so late: count");
    mw__tiers_destroy(&t);
}

Test(tiers, the_whole_history_in_one_read_is_every_bucket_merged)
{
    mw__tiers t;
    mw__tiers_init(&t, 1000);
    mw__bucket all;
    cr_assert_not(mw__tiers_all(&t, &all));
    for (uint64_t n = 0; n < 40000; n += 3331) {
        push_run(&t, mw__tiers_end(&t), n + 1);
        cr_assert(mw__tiers_all(&t, &all));
        mw__bucket want;
        brute(0, mw__tiers_end(&t), MW__FIELD_PSS, &want);
        cr_assert_eq(all.seq_first, 0);
        cr_assert_eq(all.seq_end, mw__tiers_end(&t));
        cr_assert_eq(all.field[MW__FIELD_PSS].known, want.field[MW__FIELD_PSS].known);
        if (want.field[MW__FIELD_PSS].known) {
            cr_assert_eq(all.field[MW__FIELD_PSS].max, want.field[MW__FIELD_PSS].max);
            cr_assert_eq(all.field[MW__FIELD_PSS].min, want.field[MW__FIELD_PSS].min);
            cr_assert_eq(all.field[MW__FIELD_PSS].last, want.field[MW__FIELD_PSS].last);
        }
        cr_assert_eq(all.flags, want.flags);
    }
    mw__tiers_destroy(&t);
}

/* A paused view scrolled into the tiers ends with the bucket holding a sample, and shows that
 * bucket's edge samples as the raw samples they are (issue 19). */
Test(tiers, the_bucket_holding_a_sample_and_its_edge_samples_are_exact)
{
    mw__tiers t;
    mw__tiers_init(&t, 1000);
    push_run(&t, 0, 50000);
    mw__sample want, got;
    for (uint64_t seq = 0; seq < 50000; seq += 997) {
        const mw__bucket *b = mw__tiers_holding(&t, seq);
        cr_assert_not_null(b, "seq %llu", (unsigned long long)seq);
        cr_assert(b->seq_first <= seq && seq < b->seq_end, "seq %llu in [%llu, %llu)",
                  (unsigned long long)seq, (unsigned long long)b->seq_first, (unsigned long long)b->seq_end);
        for (int last = 0; last <= 1; last++) {
            mw__bucket_edge_sample(b, last, &got);
            fake(&want, last ? b->seq_end - 1 : b->seq_first);
            cr_expect_eq(got.t_ns, want.t_ns);
            cr_expect_eq(got.rss, want.rss, "seq %llu", (unsigned long long)seq);
            cr_expect_eq(got.vsz, want.vsz);
            /* PSS comes and goes: an edge sample never claims another sample's */
            if (mw__field_known(MW__FIELD_PSS, got.valid)) {
                cr_expect(mw__field_known(MW__FIELD_PSS, want.valid), "seq %llu", (unsigned long long)seq);
                cr_expect_eq(got.pss_kib, want.pss_kib);
            }
        }
    }
    cr_expect_null(mw__tiers_holding(&t, 50000), "past the tiers' end");
    mw__tiers_destroy(&t);
}
