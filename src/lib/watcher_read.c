/* SPDX-License-Identifier: MIT */
/* watcher_read.c — reading a watcher from any thread: latest and peak samples, history, status, the process table. */
#include "config.h"

#include <string.h>

#include "sample.h"
#include "sized.h"
#include "watcher_impl.h"

static int copy_summary_sample(const mw_watcher *w, mw_stats *out, size_t out_size, bool peak)
{
    if (!w || !out || out_size < MW__STATS_SIZE_MIN)
        return MW_EINVAL;
    int rc = 0;
    mw_stats st;
    lock_w(w);
    if (w->summary.n == 0)
        rc = MW_ENODATA;
    else
        mw__sample_to_stats(&st, peak ? &w->summary.peak_rss : &w->summary.last);
    unlock_w(w);
    if (rc == 0)
        mw__copy_out(out, out_size, &st, sizeof(st));
    return rc;
}

int mw_watcher_current_stats_sized(const mw_watcher *w, mw_stats *out, size_t out_size)
{
    return copy_summary_sample(w, out, out_size, false);
}

int mw_watcher_max_stats_sized(const mw_watcher *w, mw_stats *out, size_t out_size)
{
    return copy_summary_sample(w, out, out_size, true);
}

int(mw_watcher_current_stats)(const mw_watcher *w, mw_stats *out)
{
    return copy_summary_sample(w, out, MW__STATS_SIZE_1, false);
}

int(mw_watcher_max_stats)(const mw_watcher *w, mw_stats *out)
{
    return copy_summary_sample(w, out, MW__STATS_SIZE_1, true);
}

/* Copy ring samples [from, ...) into buf's elements of elem bytes; called with the lock held. */
static size_t copy_out(const mw_watcher *w, uint64_t from, mw_stats *buf, size_t cap, size_t elem)
{
    const mw__sample *a, *b;
    size_t na, nb;
    mw__ring_span(&w->ring, from, from + cap, &a, &na, &b, &nb);
    mw_stats st;
    for (size_t i = 0; i < na + nb; i++) {
        mw__sample_to_stats(&st, i < na ? &a[i] : &b[i - na]);
        mw__copy_out((char *)buf + i * elem, elem, &st, sizeof(st));
    }
    return na + nb;
}

size_t mw_watcher_history_sized(const mw_watcher *w, mw_stats *buf, size_t cap, size_t elem_size)
{
    if (!w || !buf || cap == 0 || elem_size < MW__STATS_SIZE_MIN)
        return 0;
    lock_w(w);
    size_t count = mw__ring_count(&w->ring);
    size_t n = count < cap ? count : cap;
    size_t got = copy_out(w, mw__ring_end(&w->ring) - n, buf, n, elem_size);
    unlock_w(w);
    return got;
}

size_t(mw_watcher_history)(const mw_watcher *w, mw_stats *buf, size_t cap)
{
    return mw_watcher_history_sized(w, buf, cap, MW__STATS_SIZE_1);
}

size_t mw_watcher_history_since_sized(const mw_watcher *w, uint64_t *seq, mw_stats *buf, size_t cap,
                                      uint64_t *lost, size_t elem_size)
{
    if (!w || !seq || !buf || cap == 0 || elem_size < MW__STATS_SIZE_MIN)
        return 0;
    lock_w(w);
    uint64_t first = mw__ring_first(&w->ring);
    uint64_t from = *seq;
    if (from < first) {
        if (lost)
            *lost += first - from;
        from = first;
    }
    size_t got = copy_out(w, from, buf, cap, elem_size);
    *seq = from + got;
    unlock_w(w);
    return got;
}

size_t(mw_watcher_history_since)(const mw_watcher *w, uint64_t *seq, mw_stats *buf, size_t cap,
                                 uint64_t *lost)
{
    return mw_watcher_history_since_sized(w, seq, buf, cap, lost, MW__STATS_SIZE_1);
}

int64_t mw_watcher_memory_growth(const mw_watcher *w)
{
    if (!w)
        return 0;
    lock_w(w);
    int64_t g = mw__summary_growth(&w->summary);
    unlock_w(w);
    return g;
}

int mw_watcher_end_reason(const mw_watcher *w)
{
    if (!w)
        return MW_EINVAL;
    lock_w(w);
    int r = w->end_reason;
    unlock_w(w);
    return r;
}

int mw_watcher_get_status_sized(const mw_watcher *w, mw_watcher_status *out, size_t out_size)
{
    if (!w || !out || out_size < MW__STATUS_SIZE_MIN)
        return MW_EINVAL;
    mw_watcher_status st;
    memset(&st, 0, sizeof(st));
    lock_w(w);
    st.running = w->running;
    st.end_reason = w->end_reason;
    st.pid = w->pid;
    st.interval_ms = (uint64_t)(w->period_ns / 1000000);
    st.capacity = w->ring.cap;
    st.stored = mw__ring_count(&w->ring);
    st.samples = mw__ring_end(&w->ring);
    st.dropped = mw__ring_dropped(&w->ring);
    st.peak_reset_error = w->peak_reset_error;
    st.pss_unreadable = w->pss_unreadable;
    unlock_w(w);
    mw__copy_out(out, out_size, &st, sizeof(st));
    return 0;
}

int(mw_watcher_get_status)(const mw_watcher *w, mw_watcher_status *out)
{
    return mw_watcher_get_status_sized(w, out, MW__STATUS_SIZE_1);
}

size_t mw_watcher_get_processes(const mw_watcher *w, mw_tree_process *out, size_t cap,
                                size_t *count)
{
    if (!w) {
        if (count)
            *count = 0;
        return 0;
    }
    return mw__proctab_get((mw__proctab *)&w->procs, out, cap, count);
}

int mw_watcher_top_spike(const mw_watcher *w, mw_tree_process *out)
{
    if (!w || !out)
        return MW_EINVAL;
    return mw__proctab_top_spike((mw__proctab *)&w->procs, out);
}
