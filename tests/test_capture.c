/* SPDX-License-Identifier: MIT */
/* test_capture.c — the program's session record: t0, counts, marks and their labels, clocks. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "file_fixtures.h"

static mw__capture cap;

static void setup(void) { cr_assert_eq(mw__capture_init(&cap, 8), 0); }
static void teardown(void) { mw__capture_destroy(&cap); }

static void add_at(int64_t t_ns, uint64_t rss)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = t_ns;
    s.rss = rss;
    mw__capture_add(&cap, &s);
}

static int64_t clock_now_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return mw__ts_to_ns(&ts);
}

Test(capture, init_rejects_zero_capacity)
{
    mw__capture c;
    cr_expect_eq(mw__capture_init(&c, 0), MW_EINVAL);
    mw__capture_destroy(&c); /* safe after a failed init */
}

Test(capture, add_sets_t0_and_counts, .init = setup, .fini = teardown)
{
    cr_expect_not(cap.have_t0);
    add_at(5000000000, 100);
    cr_expect(cap.have_t0);
    cr_expect_eq(cap.t0_ns, 5000000000);
    for (int i = 1; i < 12; i++)
        add_at(5000000000 + i * 1000000, 100 + (uint64_t)i);
    cr_expect_eq(cap.t0_ns, 5000000000, "only the first sample fixes t0");
    cr_expect_eq(cap.all.n, 12, "the summary counts every sample");
    cr_expect_eq(mw__ring_end(&cap.ring), 12);
    cr_expect_eq(mw__ring_count(&cap.ring), 8);
    cr_expect_eq(cap.all.first.rss, 100, "the summary keeps the overwritten first sample");
    cr_expect_eq(cap.all.last.rss, 111);
}

/* The marker cell of sample seq of `cap` (every label on it, joined), or NULL. */
#define label_of(seq) marker_of(&cap, (seq))

Test(capture, mark_before_any_sample_is_nodata, .init = setup, .fini = teardown)
{
    cr_expect_eq(mw__capture_mark(&cap, "early"), MW_ENODATA);
    cr_expect_eq(cap.nmarks, 0);
    cr_expect_null(mw__capture_last_mark(&cap));
}

Test(capture, mark_flags_newest_sample_and_is_found_by_seq, .init = setup, .fini = teardown)
{
    add_at(0, 1);
    add_at(1000, 2);
    cr_assert_eq(mw__capture_mark(&cap, "first"), 0);
    add_at(2000, 3);
    add_at(3000, 4);
    cr_assert_eq(mw__capture_mark(&cap, NULL), 0);
    cr_expect(mw__ring_at(&cap.ring, 1)->flags & MW_SAMPLE_MARK);
    cr_expect_not(mw__ring_at(&cap.ring, 2)->flags & MW_SAMPLE_MARK);
    cr_expect(mw__ring_at(&cap.ring, 3)->flags & MW_SAMPLE_MARK);
    cr_expect(cap.all.last.flags & MW_SAMPLE_MARK);
    cr_expect_str_eq(label_of(1), "first");
    cr_expect_str_eq(label_of(3), "M2", "an unlabelled mark is numbered by its ordinal");
    cr_expect_null(label_of(0));
    cr_expect_null(label_of(2));
    cr_expect_null(label_of(99));
    cr_assert_not_null(mw__capture_last_mark(&cap));
    cr_expect_eq(mw__capture_last_mark(&cap)->seq, 3);
}

Test(capture, every_mark_on_one_sample_is_kept_and_joined, .init = setup, .fini = teardown)
{
    add_at(0, 1);
    cr_assert_eq(mw__capture_mark(&cap, "before"), 0);
    cr_assert_eq(mw__capture_mark(&cap, "after"), 0);
    cr_assert_eq(mw__capture_mark(&cap, ""), 0);
    cr_expect_eq(cap.nmarks, 3);
    cr_expect_str_eq(label_of(0), "before | after | M3");
    cr_expect_str_eq(mw__capture_last_mark(&cap)->label, "M3");
}

Test(capture, unlabelled_marks_count_every_mark_of_the_run, .init = setup, .fini = teardown)
{
    add_at(0, 1);
    cr_assert_eq(mw__capture_mark(&cap, NULL), 0);
    add_at(1, 1);
    cr_assert_eq(mw__capture_mark(&cap, "named"), 0);
    cr_assert_eq(mw__capture_mark(&cap, NULL), 0);
    cr_expect_str_eq(label_of(0), "M1");
    cr_expect_str_eq(label_of(1), "named | M3");
}

Test(capture, marks_for_the_next_sample_all_wait_for_it, .init = setup, .fini = teardown)
{
    add_at(0, 1);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(mw__capture_mark_next(&cap, i == 2 ? "build | done" : NULL), 0);
    cr_expect_not(mw__ring_at(&cap.ring, 0)->flags & MW_SAMPLE_MARK);
    cr_expect_null(label_of(0));
    add_at(1, 2);
    cr_expect(mw__ring_at(&cap.ring, 1)->flags & MW_SAMPLE_MARK);
    cr_expect(cap.all.last.flags & MW_SAMPLE_MARK);
    cr_expect_str_eq(label_of(1), "M1 | M2 | build || done | M4 | M5", "'|' doubled");
    add_at(2, 3);
    cr_expect_not(mw__ring_at(&cap.ring, 2)->flags & MW_SAMPLE_MARK);
}

Test(capture, waiting_marks_settle_on_the_newest_sample, .init = setup, .fini = teardown)
{
    mw__capture_settle_marks(&cap); /* no sample: nothing to do */
    add_at(0, 1);
    cr_assert_eq(mw__capture_mark(&cap, "on 0"), 0);
    cr_assert_eq(mw__capture_mark_next(&cap, "late"), 0);
    cr_assert_eq(mw__capture_mark(&cap, "now"), 0); /* settles "late" first: order kept */
    cr_expect_str_eq(label_of(0), "on 0 | late | now");
    cr_assert_eq(mw__capture_mark_next(&cap, "last"), 0);
    mw__capture_settle_marks(&cap);
    cr_expect_str_eq(label_of(0), "on 0 | late | now | last");
    cr_expect_eq(mw__capture_last_mark(&cap)->seq, 0);
}

Test(capture, a_full_marker_cell_refuses_more_and_says_so, .init = setup, .fini = teardown)
{
    add_at(0, 1);
    char label[MW__MARK_LABEL_MAX];
    memset(label, 'x', sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    int n = 0, rc;
    while ((rc = mw__capture_mark(&cap, label)) == 0)
        n++;
    cr_expect_eq(rc, MW_EINVAL);
    cr_expect_eq(n, (MW__MARKER_MAX + 3) / (MW__MARK_LABEL_MAX - 1 + 3));
    cr_expect_leq(strlen(label_of(0)), MW__MARKER_MAX);
    cr_expect_eq(cap.nmarks, (size_t)n, "the refused mark left nothing behind");
}

/* Marks of 47 `ch`s for the next sample, until one is refused (its cell is full): how many. */
static size_t fill_next(char ch)
{
    char label[MW__MARK_LABEL_MAX];
    memset(label, ch, sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    size_t n = 0;
    while (mw__capture_mark_next(&cap, label) == 0)
        n++;
    return n;
}

Test(capture, a_cell_settled_past_the_live_limit_splits_back_whole, .init = setup, .fini = teardown)
{
    /* A full cell on sample 1, then a full cell waiting for sample 2, which never comes. */
    add_at(0, 1);
    size_t n = fill_next('a');
    add_at(1, 1);
    n += fill_next('b');
    mw__capture_settle_marks(&cap);
    char cell[MW__MARKER_CELL + 128];
    snprintf(cell, sizeof(cell), "%s", label_of(1));
    cr_assert_gt(strlen(cell), MW__MARKER_MAX, "settling joined two full cells: %zu", strlen(cell));
    cr_assert_leq(strlen(cell), MW__MARKER_SETTLED_MAX);
    mw__capture back;
    cr_assert_eq(mw__capture_init(&back, 4), 0);
    mw__sample s = {.t_ns = 0, .rss = 1};
    mw__capture_add(&back, &s);
    cr_assert_eq(mw__capture_cell_len(&back, cell, strlen(cell)), strlen(cell));
    cr_assert_eq(mw__capture_mark_cell(&back, cell, strlen(cell)), 0, "what is written loads back");
    cr_assert_eq(back.nmarks, n);
    cr_assert_str_eq(marker_of(&back, 0), cell);
    /* Past what memwatch ever writes: refused whole, nothing added. */
    strcat(cell, " | zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz | zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
    mw__capture_add(&back, &s);
    cr_assert_gt(mw__capture_cell_len(&back, cell, strlen(cell)), MW__MARKER_SETTLED_MAX);
    cr_assert_eq(mw__capture_mark_cell(&back, cell, strlen(cell)), MW_EINVAL);
    cr_assert_eq(back.nmarks, n, "a refused cell adds no mark");
    mw__capture_destroy(&back);
}

Test(capture, a_marker_cell_splits_back_into_the_same_marks, .init = setup, .fini = teardown)
{
    static const char *const labels[] = {"a | b", "|", " lead", "trail |", "||x", "M9", " | "};
    const size_t n = sizeof(labels) / sizeof(labels[0]);
    add_at(0, 1);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(mw__capture_mark(&cap, labels[i]), 0);
    char cell[MW__MARKER_CELL];
    snprintf(cell, sizeof(cell), "%s", label_of(0));
    mw__capture back;
    cr_assert_eq(mw__capture_init(&back, 4), 0);
    mw__sample s = {.t_ns = 0, .rss = 1};
    mw__capture_add(&back, &s);
    cr_assert_eq(mw__capture_mark_cell(&back, cell, strlen(cell)), 0);
    cr_assert_eq(back.nmarks, n, "cell '%s'", cell);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(back.marks[i].label, labels[i]);
    cr_assert_eq(mw__capture_mark_cell(&back, "", 0), 0);
    cr_expect_str_eq(back.marks[n].label, "M8", "an empty cell is one unlabelled mark");
    mw__capture_destroy(&back);
}

Test(capture, label_control_characters_become_spaces, .init = setup, .fini = teardown)
{
    add_at(0, 1);
    cr_assert_eq(mw__capture_mark(&cap, "a\tb\nc\rd\x1b[31me\x7f"), 0);
    cr_expect_str_eq(label_of(0), "a b c d [31me ");
    add_at(1, 1);
    cr_assert_eq(mw__capture_mark(&cap, "caf\xc3\xa9 \xe2\x82\xac"), 0); /* "café €" kept as is */
    cr_expect_str_eq(label_of(1), "caf\xc3\xa9 \xe2\x82\xac");
}

/* A label of `pad` 'a's followed by `tail`, marked on a new sample; returns the stored label. */
static const char *mark_padded(size_t pad, const char *tail)
{
    char label[128];
    memset(label, 'a', pad);
    strcpy(label + pad, tail);
    add_at((int64_t)mw__ring_end(&cap.ring), 1);
    cr_assert_eq(mw__capture_mark(&cap, label), 0);
    return mw__capture_last_mark(&cap)->label;
}

Test(capture, long_label_is_cut_to_fit, .init = setup, .fini = teardown)
{
    const size_t max = MW__MARK_LABEL_MAX - 1; /* bytes of text that fit */
    const char *l = mark_padded(max, "");
    cr_expect_eq(strlen(l), max, "exactly full: kept whole");
    l = mark_padded(100, "");
    cr_expect_eq(strlen(l), max);
}

Test(capture, truncation_never_splits_a_utf8_sequence, .init = setup, .fini = teardown)
{
    const size_t max = MW__MARK_LABEL_MAX - 1;
    /* "é" (2 bytes) straddling the cut: dropped whole. */
    const char *l = mark_padded(max - 1, "\xc3\xa9xyz");
    cr_expect_eq(strlen(l), max - 1);
    cr_expect_eq(l[max - 2], 'a');
    /* "€" (3 bytes) with two of them before the cut: dropped whole. */
    l = mark_padded(max - 2, "\xe2\x82\xacxyz");
    cr_expect_eq(strlen(l), max - 2);
    /* A 4-byte sequence with three before the cut. */
    l = mark_padded(max - 3, "\xf0\x9f\x98\x80xyz");
    cr_expect_eq(strlen(l), max - 3);
    /* "é" ending exactly at the cut is complete: kept. */
    l = mark_padded(max - 2, "\xc3\xa9xyz");
    cr_expect_eq(strlen(l), max);
    cr_expect_eq((unsigned char)l[max - 1], 0xa9);
    /* "€" ending exactly at the cut: kept. */
    l = mark_padded(max - 3, "\xe2\x82\xacxyz");
    cr_expect_eq(strlen(l), max);
}

Test(capture, a_label_cut_to_nothing_is_numbered, .init = setup, .fini = teardown)
{
    /* Stray UTF-8 continuation bytes past the cut are dropped whole, leaving no text: such a
     * mark is numbered, as an unlabelled one is, so a replay of its (empty) cell reads the same
     * mark back (fuzz_csv found the round trip giving "" first and "M1" after). */
    char label[MW__MARK_LABEL_MAX * 2];
    memset(label, 0x8d, sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    add_at(1000, 1);
    cr_assert_eq(mw__capture_mark(&cap, label), 0);
    char cell[MW__MARKER_CELL];
    cr_expect_str_eq(mw__capture_marker(&cap, 0, cell, sizeof(cell)), "M1");
}

Test(capture, oldest_marks_are_forgotten_past_max, .init = setup, .fini = teardown)
{
    for (uint64_t i = 0; i < MW__MARKS_MAX + 3; i++) {
        add_at((int64_t)i, 1);
        char label[16];
        snprintf(label, sizeof(label), "m%llu", (unsigned long long)i);
        cr_assert_eq(mw__capture_mark(&cap, label), 0);
    }
    cr_expect_eq(cap.nmarks, MW__MARKS_MAX);
    cr_expect_null(label_of(0));
    cr_expect_null(label_of(2));
    cr_expect_str_eq(label_of(3), "m3");
    cr_expect_str_eq(label_of(2000), "m2000");
    cr_expect_eq(mw__capture_last_mark(&cap)->seq, MW__MARKS_MAX + 2);
    cr_expect_eq(cap.marks[0].seq, 3, "still oldest first");
}

Test(capture, elapsed_counts_from_first_sample, .init = setup, .fini = teardown)
{
    mw__sample later;
    memset(&later, 0, sizeof(later));
    later.t_ns = 7500000000;
    cr_expect_float_eq(mw__capture_elapsed_s(&cap, &later), 0.0, 1e-12, "no t0 yet");
    add_at(5000000000, 1);
    cr_expect_float_eq(mw__capture_elapsed_s(&cap, &later), 2.5, 1e-12);
}

Test(capture, wall_clock_follows_realtime_at_first_sample, .init = setup, .fini = teardown)
{
    int64_t mono = clock_now_ns(CLOCK_MONOTONIC);
    add_at(mono, 1);
    int64_t real = clock_now_ns(CLOCK_REALTIME);
    mw__sample s = *mw__ring_last(&cap.ring);
    int64_t wall = mw__capture_wall_ns(&cap, &s);
    cr_expect(wall <= real && real - wall < 1000000000, "wall %lld real %lld", (long long)wall,
              (long long)real);
    s.t_ns += 3000000000;
    cr_expect_eq(mw__capture_wall_ns(&cap, &s), wall + 3000000000);
}

Test(capture, preset_wall_offset_is_kept, .init = setup, .fini = teardown)
{
    cap.wall_offset_ns = 1700000000000000000; /* replay: taken from the file */
    add_at(2000000000, 1);
    cr_expect_eq(cap.wall_offset_ns, 1700000000000000000);
    cr_expect_eq(mw__capture_wall_ns(&cap, mw__ring_last(&cap.ring)), 1700000002000000000);
}

Test(capture, samples_leaving_the_ring_go_into_the_tiers, .init = setup, .fini = teardown)
{
    for (int i = 0; i < 100; i++) {
        add_at(1000000000 + i * 1000000LL, 100 + (uint64_t)(i == 40 ? 9000 : i));
        if (i == 3)
            cr_assert_eq(mw__capture_mark(&cap, "early"), 0);
    }
    cr_expect_eq(mw__ring_first(&cap.ring), 92);
    cr_expect_eq(mw__tiers_end(&cap.tiers), 92, "the tiers end where the ring begins");
    size_t n = mw__tiers_count(&cap.tiers);
    cr_assert_gt(n, 0);
    const mw__bucket *b0 = mw__tiers_at(&cap.tiers, 0);
    cr_expect_eq(b0->seq_first, 0);
    cr_expect_eq(b0->field[MW__FIELD_RSS].first, 100, "the run's first sample");
    cr_expect_eq(b0->t_first, cap.t0_ns);
    uint64_t peak = 0;
    bool marked = false;
    for (size_t i = 0; i < n; i++) {
        const mw__bucket *b = mw__tiers_at(&cap.tiers, i);
        if (b->field[MW__FIELD_RSS].max > peak)
            peak = b->field[MW__FIELD_RSS].max;
        if (b->seq_first <= 3 && 3 < b->seq_end)
            marked = (b->flags & MW_SAMPLE_MARK) != 0;
    }
    cr_expect_eq(peak, 9100, "the peak that left the ring is kept");
    cr_expect(marked, "and so is the mark");
}
