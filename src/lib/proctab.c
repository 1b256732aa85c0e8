/* SPDX-License-Identifier: MIT */
/* proctab.c — publish the sampler's per-process records for readers on other threads, sorted, with PSS joined. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "proctab.h"

int mw__proctab_init(mw__proctab *t)
{
    memset(t, 0, sizeof(*t));
    return pthread_mutex_init(&t->lock, NULL) == 0 ? 0 : MW_ESYS;
}

void mw__proctab_destroy(mw__proctab *t)
{
    pthread_mutex_destroy(&t->lock);
    free(t->rows);
    free(t->stage);
    free(t->pids);
    memset(t, 0, sizeof(*t));
}

/* Largest RSS first; equal ones by PID, so the order is stable from one frame to the next. */
static int by_rss_desc(const void *a, const void *b)
{
    const mw_tree_process *x = a, *y = b;
    if (x->rss != y->rss)
        return x->rss < y->rss ? 1 : -1;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

void mw__proctab_publish(mw__proctab *t, const mw_tree_process *rows, size_t n, mw__pss *pss)
{
    if (n > t->stage_cap) {
        size_t cap = t->stage_cap ? t->stage_cap : 16;
        while (cap < n)
            cap *= 2;
        mw_tree_process *s = realloc(t->stage, cap * sizeof(*s));
        if (!s)
            return;
        t->stage = s;
        t->stage_cap = cap;
    }
    if (n)
        memcpy(t->stage, rows, n * sizeof(*rows));
    if (pss)
        mw__pss_fill(pss, t->stage, n);
    qsort(t->stage, n, sizeof(*t->stage), by_rss_desc);
    const mw_tree_process *spike = NULL;
    for (size_t i = 0; i < n; i++)
        if ((t->stage[i].flags & MW_PROC_SPIKE) && (!spike || t->stage[i].hwm > spike->hwm))
            spike = &t->stage[i];

    pthread_mutex_lock(&t->lock);
    mw_tree_process *old = t->rows;
    size_t old_cap = t->cap;
    t->rows = t->stage;
    t->cap = t->stage_cap;
    t->n = n;
    if (spike && (!t->have_spike || spike->hwm > t->top_spike.hwm)) {
        t->top_spike = *spike;
        t->have_spike = true;
    }
    pthread_mutex_unlock(&t->lock);
    t->stage = old;
    t->stage_cap = old_cap;
}

size_t mw__proctab_get(mw__proctab *t, mw_tree_process *out, size_t cap, size_t *count)
{
    pthread_mutex_lock(&t->lock);
    size_t n = t->n < cap ? t->n : cap;
    if (n && out)
        memcpy(out, t->rows, n * sizeof(*out));
    if (count)
        *count = t->n;
    pthread_mutex_unlock(&t->lock);
    return out ? n : 0;
}

int mw__proctab_top_spike(mw__proctab *t, mw_tree_process *out)
{
    pthread_mutex_lock(&t->lock);
    bool have = t->have_spike;
    if (have)
        *out = t->top_spike;
    pthread_mutex_unlock(&t->lock);
    return have ? 0 : MW_ENODATA;
}

void mw__proctab_publish_sample(mw__proctab *t, const mw_tree_process *rows, size_t n, pid_t pid,
                                const mw_stats *st, mw__pss *pss)
{
    mw_tree_process one;
    if (n == 0) {
        memset(&one, 0, sizeof(one));
        one.pid = pid;
        one.rss = one.first_rss = one.max_rss = st->physical_size;
        one.hwm = st->peak_physical_size;
        one.valid = st->valid & MW_HAVE_HWM;
        one.first_seen = st->timestamp;
        one.flags = MW_PROC_ROOT;
        rows = &one;
        n = 1;
    }
    if (pss) {
        if (n > t->pids_cap) {
            pid_t *p = realloc(t->pids, n * sizeof(*p));
            if (p) {
                t->pids = p;
                t->pids_cap = n;
            }
        }
        size_t k = n < t->pids_cap ? n : t->pids_cap;
        for (size_t i = 0; i < k; i++)
            t->pids[i] = rows[i].pid;
        mw__pss_set_pids(pss, t->pids, k);
    }
    mw__proctab_publish(t, rows, n, pss);
}
