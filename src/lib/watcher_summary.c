/* SPDX-License-Identifier: MIT */
/* watcher_summary.c — a watcher's whole run (merged history and ring) summarised over a time range. */
#include "config.h"

#include <string.h>

#include "sample.h"
#include "sized.h"
#include "verdict.h"
#include "watcher_impl.h"

/* Which figure of mw_run_summary each field of the table fills: a row per public figure. A field
 * added to the table without a figure here is simply not in the summary (yet). */
static const struct {
    mw__field field;
    size_t offset;
} figures[] = {
    {MW__FIELD_RSS, offsetof(mw_run_summary, physical_size)},
    {MW__FIELD_VSZ, offsetof(mw_run_summary, virtual_size)},
    {MW__FIELD_SHARED, offsetof(mw_run_summary, shared_size)},
    {MW__FIELD_ANON, offsetof(mw_run_summary, anon_size)},
    {MW__FIELD_FILE, offsetof(mw_run_summary, file_size)},
    {MW__FIELD_SHMEM, offsetof(mw_run_summary, shmem_size)},
    {MW__FIELD_SWAP, offsetof(mw_run_summary, swap_size)},
    {MW__FIELD_HWM, offsetof(mw_run_summary, peak_physical_size)},
    {MW__FIELD_VPEAK, offsetof(mw_run_summary, peak_virtual_size)},
    {MW__FIELD_PSS, offsetof(mw_run_summary, pss_size)},
    {MW__FIELD_PSS_ANON, offsetof(mw_run_summary, pss_anon_size)},
    {MW__FIELD_PSS_FILE, offsetof(mw_run_summary, pss_file_size)},
    {MW__FIELD_PSS_SHMEM, offsetof(mw_run_summary, pss_shmem_size)},
    {MW__FIELD_USS, offsetof(mw_run_summary, uss_size)},
    {MW__FIELD_SWAP_PSS, offsetof(mw_run_summary, swap_pss_size)},
    {MW__FIELD_CG_CURRENT, offsetof(mw_run_summary, cg_current_size)},
    {MW__FIELD_CG_PEAK, offsetof(mw_run_summary, cg_peak_size)},
    {MW__FIELD_CG_LIMIT, offsetof(mw_run_summary, cg_limit)},
    {MW__FIELD_CG_HIGH, offsetof(mw_run_summary, cg_high)},
    {MW__FIELD_CG_ANON, offsetof(mw_run_summary, cg_anon_size)},
    {MW__FIELD_CG_FILE, offsetof(mw_run_summary, cg_file_size)},
    {MW__FIELD_CG_KERNEL, offsetof(mw_run_summary, cg_kernel_size)},
    {MW__FIELD_CG_SWAP, offsetof(mw_run_summary, cg_swap_size)},
};

/* What the range holds, merged as buckets merge (tiers.h): per field first, last, min, max and
 * its time, sum and count. */
typedef struct range_acc {
    mw__bucket all;
    uint64_t samples, merged, max_merged;
    bool any;
} range_acc;

static void acc_add(range_acc *a, const mw__bucket *b, bool merged)
{
    uint64_t n = b->seq_end - b->seq_first;
    if (!a->any)
        a->all = *b;
    else
        mw__bucket_merge(&a->all, b);
    a->any = true;
    a->samples += n;
    if (merged) {
        a->merged += n;
        if (n > a->max_merged)
            a->max_merged = n;
    }
}

/* The buckets whose span meets [from, to]: whole, as they are all that is known of it. */
static void add_tiers(range_acc *a, const mw__tiers *t, int64_t from, int64_t to)
{
    mw__tiers_walk wk;
    mw__tiers_walk_from(&wk, t, mw__tiers_seek_time(t, from));
    for (const mw__bucket *b; (b = mw__tiers_walk_next(&wk)) != NULL && b->t_first <= to;)
        acc_add(a, b, true);
}

static void add_ring(range_acc *a, const mw__ring *r, int64_t from, int64_t to)
{
    uint64_t end = mw__ring_end(r);
    for (uint64_t seq = mw__ring_seek_time(r, mw__ring_first(r), end, from); seq < end; seq++) {
        const mw__sample *s = mw__ring_at(r, seq);
        if (s->t_ns > to)
            break;
        mw__bucket b;
        mw__bucket_from_sample(&b, s, seq);
        acc_add(a, &b, false);
    }
}

static void fill(mw_run_summary *out, const range_acc *a)
{
    memset(out, 0, sizeof(*out));
    const mw__bucket *b = &a->all;
    out->first_time = mw__ns_to_ts(b->t_first);
    out->last_time = mw__ns_to_ts(b->t_last);
    out->samples = a->samples;
    out->merged = a->merged;
    out->max_merged = a->merged ? a->max_merged : 1;
    out->spike_hwm = b->hwm;
    out->flags = b->flags;
    for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
        const mw__bucket_field *bf = &b->field[figures[i].field];
        mw_figure *fg = (mw_figure *)((char *)out + figures[i].offset);
        if (!bf->known)
            continue;
        out->valid |= mw__fields[figures[i].field].have;
        fg->known = bf->known;
        fg->first = bf->first;
        fg->last = bf->last;
        fg->min = bf->min;
        fg->max = bf->max;
        fg->min_time = mw__ns_to_ts(bf->min_t);
        fg->max_time = mw__ns_to_ts(bf->max_t);
        fg->mean = bf->sum / (double)bf->known;
    }
}

static bool ts_ok(const struct timespec *ts)
{
    return !ts || (ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000);
}

int mw_watcher_summary_sized(const mw_watcher *w, const struct timespec *from,
                             const struct timespec *to, mw_run_summary *out, size_t out_size)
{
    if (!w || !out || out_size < MW__SUMMARY_SIZE_MIN || !ts_ok(from) || !ts_ok(to))
        return MW_EINVAL;
    int64_t t0 = from ? mw__ts_to_ns(from) : INT64_MIN, t1 = to ? mw__ts_to_ns(to) : INT64_MAX;
    if (t0 > t1)
        return MW_EINVAL;
    range_acc a;
    memset(&a, 0, sizeof(a));
    lock_w(w);
    /* The tiers end where the ring begins (unless they could not be allocated). */
    if (mw__tiers_end(&w->tiers) == mw__ring_first(&w->ring))
        add_tiers(&a, &w->tiers, t0, t1);
    add_ring(&a, &w->ring, t0, t1);
    unlock_w(w);
    mw_run_summary sum;
    if (a.any)
        fill(&sum, &a);
    else
        memset(&sum, 0, sizeof(sum));
    mw__copy_out(out, out_size, &sum, sizeof(sum));
    return a.any ? 0 : MW_ENODATA;
}

int(mw_watcher_summary)(const mw_watcher *w, const struct timespec *from, const struct timespec *to,
                        mw_run_summary *out)
{
    return mw_watcher_summary_sized(w, from, to, out, MW__SUMMARY_SIZE_1);
}

/* The verdict over the whole run, as the dashboard's: the merged history's floors (each bucket's
 * lowest RSS and its time) and the ring's samples. Judged under the lock: O(samples stored),
 * about a millisecond for a ring of 100,000, once per call. */
int mw_watcher_leak_verdict(const mw_watcher *w, mw_leak_result *out)
{
    if (!w || !out)
        return MW_EINVAL;
    lock_w(w);
    /* The tiers end where the ring begins (unless they could not be allocated). */
    const mw__tiers *t = mw__tiers_end(&w->tiers) == mw__ring_first(&w->ring) ? &w->tiers : NULL;
    int rc = mw__verdict_of_run(&w->ring, t, out);
    unlock_w(w);
    return rc;
}
