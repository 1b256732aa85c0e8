/* SPDX-License-Identifier: MIT */
/* watcher_read.c — reading a watcher from any thread: latest and peak samples, history, status, the process table. */
#include "config.h"

#include <string.h>

#include "sample.h"
#include "watcher_impl.h"

static int copy_summary_sample(const mw_watcher *w, mw_stats *out, bool peak)
{
    if (!w || !out)
        return MW_EINVAL;
    int rc = 0;
    lock_w(w);
    if (w->summary.n == 0)
        rc = MW_ENODATA;
    else
        mw__sample_to_stats(out, peak ? &w->summary.peak_rss : &w->summary.last);
    unlock_w(w);
    return rc;
}

int mw_watcher_current_stats(const mw_watcher *w, mw_stats *out)
{
    return copy_summary_sample(w, out, false);
}

int mw_watcher_max_stats(const mw_watcher *w, mw_stats *out)
{
    return copy_summary_sample(w, out, true);
}

/* Copy ring samples [from, ...) as mw_stats in chunks; called with the lock held. */
static size_t copy_out(const mw_watcher *w, uint64_t from, mw_stats *buf, size_t cap)
{
    const mw__sample *a, *b;
    size_t na, nb;
    mw__ring_span(&w->ring, from, from + cap, &a, &na, &b, &nb);
    for (size_t i = 0; i < na; i++)
        mw__sample_to_stats(&buf[i], &a[i]);
    for (size_t i = 0; i < nb; i++)
        mw__sample_to_stats(&buf[na + i], &b[i]);
    return na + nb;
}

size_t mw_watcher_history(const mw_watcher *w, mw_stats *buf, size_t cap)
{
    if (!w || !buf || cap == 0)
        return 0;
    lock_w(w);
    size_t count = mw__ring_count(&w->ring);
    size_t n = count < cap ? count : cap;
    size_t got = copy_out(w, mw__ring_end(&w->ring) - n, buf, n);
    unlock_w(w);
    return got;
}

size_t mw_watcher_history_since(const mw_watcher *w, uint64_t *seq, mw_stats *buf, size_t cap,
                                uint64_t *lost)
{
    if (!w || !seq || !buf || cap == 0)
        return 0;
    lock_w(w);
    uint64_t first = mw__ring_first(&w->ring);
    uint64_t from = *seq;
    if (from < first) {
        if (lost)
            *lost += first - from;
        from = first;
    }
    size_t got = copy_out(w, from, buf, cap);
    *seq = from + got;
    unlock_w(w);
    return got;
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

int mw_watcher_get_status(const mw_watcher *w, mw_watcher_status *out)
{
    if (!w || !out)
        return MW_EINVAL;
    lock_w(w);
    out->running = w->running;
    out->end_reason = w->end_reason;
    out->pid = w->pid;
    out->interval_ms = (uint64_t)(w->period_ns / 1000000);
    out->capacity = w->ring.cap;
    out->stored = mw__ring_count(&w->ring);
    out->samples = mw__ring_end(&w->ring);
    out->dropped = mw__ring_dropped(&w->ring);
    out->peak_reset_error = w->peak_reset_error;
    out->pss_unreadable = w->pss_unreadable;
    unlock_w(w);
    return 0;
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
