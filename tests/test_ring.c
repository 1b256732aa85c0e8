/* SPDX-License-Identifier: MIT */
/* test_ring.c — the sample ring: push/overwrite, sequence addressing, spans and copy-out order. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "ring.h"

/* A sample that carries its own sequence number, so order is checkable after copies. */
static mw__sample sample_n(uint64_t n)
{
    mw__sample s;
    memset(&s, 0, sizeof(s));
    s.t_ns = (int64_t)n * 1000000;
    s.rss = 1000 + n;
    s.vsz = 2000 + n;
    return s;
}

static void push_n(mw__ring *r, uint64_t from, uint64_t to)
{
    for (uint64_t i = from; i < to; i++) {
        mw__sample s = sample_n(i);
        mw__ring_push(r, &s);
    }
}

/* A ring of capacity cap with samples 0 .. n-1 pushed. */
static mw__ring ring_pushed(size_t cap, uint64_t n)
{
    mw__ring r;
    cr_assert_eq(mw__ring_init(&r, cap), 0);
    push_n(&r, 0, n);
    return r;
}

/* The ring holds [first, end): count, first, end and dropped must all agree. */
static void expect_bounds(const mw__ring *r, size_t count, uint64_t first, uint64_t end)
{
    cr_expect_eq(mw__ring_count(r), count);
    cr_expect_eq(mw__ring_first(r), first);
    cr_expect_eq(mw__ring_end(r), end);
    cr_expect_eq(mw__ring_dropped(r), first);
}

Test(ring, init_rejects_zero_capacity)
{
    mw__ring r;
    cr_expect_eq(mw__ring_init(&r, 0), MW_EINVAL);
    cr_expect_eq(mw__ring_init(NULL, 4), MW_EINVAL);
    cr_expect_eq(mw__ring_init(&r, SIZE_MAX), MW_EINVAL);
}

Test(ring, empty_ring_has_nothing)
{
    mw__ring r;
    cr_assert_eq(mw__ring_init(&r, 4), 0);
    expect_bounds(&r, 0, 0, 0);
    cr_expect_null(mw__ring_last(&r));
    cr_expect_null(mw__ring_at(&r, 0));
    mw__sample out[4];
    cr_expect_eq(mw__ring_copy(&r, 0, out, 4, NULL), 0);
    mw__ring_destroy(&r);
}

Test(ring, push_counts_and_returns_stored_copy)
{
    mw__ring r;
    cr_assert_eq(mw__ring_init(&r, 4), 0);
    mw__sample s = sample_n(7);
    mw__sample *stored = mw__ring_push(&r, &s);
    cr_expect_neq(stored, &s);
    cr_expect_eq(stored->rss, s.rss);
    push_n(&r, 1, 3);
    expect_bounds(&r, 3, 0, 3);
    cr_expect_eq(mw__ring_last(&r)->rss, sample_n(2).rss);
    mw__ring_destroy(&r);
}

Test(ring, push_when_full_drops_oldest)
{
    mw__ring r = ring_pushed(4, 10);
    expect_bounds(&r, 4, 6, 10);
    for (uint64_t seq = 6; seq < 10; seq++) {
        const mw__sample *s = mw__ring_at(&r, seq);
        cr_assert_not_null(s, "seq %llu", (unsigned long long)seq);
        cr_expect_eq(s->rss, sample_n(seq).rss);
    }
    cr_expect_eq(mw__ring_last(&r)->rss, sample_n(9).rss);
    mw__ring_destroy(&r);
}

Test(ring, at_out_of_range_is_null)
{
    mw__ring r = ring_pushed(3, 5); /* holds 2, 3, 4 */
    cr_expect_null(mw__ring_at(&r, 0));
    cr_expect_null(mw__ring_at(&r, 1));
    cr_expect_not_null(mw__ring_at(&r, 2));
    cr_expect_not_null(mw__ring_at(&r, 4));
    cr_expect_null(mw__ring_at(&r, 5));
    cr_expect_null(mw__ring_at(&r, UINT64_MAX));
    mw__ring_destroy(&r);
}

Test(ring, copy_out_is_oldest_first_across_wrap)
{
    mw__ring r = ring_pushed(5, 13); /* holds 8..12, physically starting at slot 3 */
    mw__sample out[8];
    uint64_t from = 99;
    size_t n = mw__ring_copy(&r, 8, out, 8, &from);
    cr_assert_eq(n, 5);
    cr_expect_eq(from, 8);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(out[i].rss, sample_n(8 + i).rss, "out[%zu]", i);
    mw__ring_destroy(&r);
}

Test(ring, copy_from_below_first_starts_at_first)
{
    mw__ring r = ring_pushed(4, 11); /* holds 7..10 */
    mw__sample out[4];
    uint64_t from = 0;
    size_t n = mw__ring_copy(&r, 2, out, 4, &from);
    cr_assert_eq(n, 4);
    cr_expect_eq(from, 7);
    cr_expect_eq(out[0].rss, sample_n(7).rss);
    cr_expect_eq(out[3].rss, sample_n(10).rss);
    mw__ring_destroy(&r);
}

Test(ring, copy_is_bounded_by_cap_and_end)
{
    mw__ring r = ring_pushed(8, 6);
    mw__sample out[8];
    cr_expect_eq(mw__ring_copy(&r, 1, out, 2, NULL), 2);
    cr_expect_eq(out[0].rss, sample_n(1).rss);
    cr_expect_eq(out[1].rss, sample_n(2).rss);
    cr_expect_eq(mw__ring_copy(&r, 4, out, 8, NULL), 2);
    cr_expect_eq(mw__ring_copy(&r, 6, out, 8, NULL), 0);
    cr_expect_eq(mw__ring_copy(&r, 100, out, 8, NULL), 0);
    cr_expect_eq(mw__ring_copy(&r, 0, out, 0, NULL), 0);
    mw__ring_destroy(&r);
}

Test(ring, span_splits_into_two_runs_across_wrap)
{
    mw__ring r = ring_pushed(5, 8); /* holds 3..7: slots 3,4 then 0,1,2 */
    const mw__sample *a, *b;
    size_t na, nb;
    mw__ring_span(&r, 3, 8, &a, &na, &b, &nb);
    cr_assert_eq(na, 2);
    cr_assert_eq(nb, 3);
    cr_expect_eq(a[0].rss, sample_n(3).rss);
    cr_expect_eq(a[1].rss, sample_n(4).rss);
    cr_expect_eq(b[0].rss, sample_n(5).rss);
    cr_expect_eq(b[2].rss, sample_n(7).rss);
    cr_expect_eq(b, r.buf, "the second run starts at the beginning of the buffer");
    mw__ring_destroy(&r);
}

Test(ring, span_within_one_run_and_clamped)
{
    mw__ring r = ring_pushed(5, 8);
    const mw__sample *a, *b;
    size_t na, nb;
    /* [5, 7) lies in slots 0, 1: a single run. */
    mw__ring_span(&r, 5, 7, &a, &na, &b, &nb);
    cr_expect_eq(na, 2);
    cr_expect_eq(nb, 0);
    cr_expect_null(b);
    cr_expect_eq(a[0].rss, sample_n(5).rss);
    /* Clamped to what is stored: [0, 100) -> [3, 8). */
    mw__ring_span(&r, 0, 100, &a, &na, &b, &nb);
    cr_expect_eq(na + nb, 5);
    cr_expect_eq(a[0].rss, sample_n(3).rss);
    /* Empty and inverted ranges. */
    mw__ring_span(&r, 6, 6, &a, &na, &b, &nb);
    cr_expect_eq(na + nb, 0);
    cr_expect_null(a);
    mw__ring_span(&r, 7, 4, &a, &na, &b, &nb);
    cr_expect_eq(na + nb, 0);
    mw__ring_destroy(&r);
}

Test(ring, capacity_one_keeps_only_newest)
{
    mw__ring r = ring_pushed(1, 3);
    expect_bounds(&r, 1, 2, 3);
    cr_expect_eq(mw__ring_at(&r, 2)->rss, sample_n(2).rss);
    cr_expect_null(mw__ring_at(&r, 1));
    mw__ring_destroy(&r);
}

Test(ring, clear_restarts_sequence)
{
    mw__ring r = ring_pushed(4, 6);
    mw__ring_clear(&r);
    expect_bounds(&r, 0, 0, 0);
    cr_expect_null(mw__ring_last(&r));
    push_n(&r, 0, 1);
    cr_expect_eq(mw__ring_at(&r, 0)->rss, sample_n(0).rss);
    mw__ring_destroy(&r);
}
