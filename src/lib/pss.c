/* SPDX-License-Identifier: MIT */
/* pss.c — the PSS sweep thread: reads smaps_rollup of the tree's processes every period, publishes sums and per-PID figures. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pss.h"
#include "sample.h"
#include "sleeper.h"

/* One process's figures from a sweep (kept sorted by pid for mw__pss_fill's binary search). */
typedef struct pss_row {
    pid_t pid;
    mw__rollup r;
} pss_row;

/* Everything below lock is guarded by it; rows/nrows are replaced whole at the end of a sweep.
 * todo is the sampler's latest PID list; the thread copies it out before reading. */
struct mw__pss {
    int64_t period_ns;
    pthread_t thread;
    mw__sleeper sleeper;
    pthread_mutex_t lock;
    bool stop;
    pid_t *todo;
    size_t ntodo, todo_cap;
    bool have_todo;
    pss_row *rows;
    size_t nrows;
    mw__pss_sum latest;
    bool have_latest;
};

static int cmp_row(const void *a, const void *b)
{
    pid_t x = ((const pss_row *)a)->pid, y = ((const pss_row *)b)->pid;
    return (x > y) - (x < y);
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* Add one process's figures; the sum keeps only the bits every process had, so a part that one
 * kernel line lacked is never shown as a sum of some processes. */
static void add_rollup(mw__pss_sum *s, const mw__rollup *r)
{
    s->sum.have = s->nread ? s->sum.have & r->have : r->have;
    s->sum.pss = sat_add(s->sum.pss, r->pss);
    s->sum.pss_anon = sat_add(s->sum.pss_anon, r->pss_anon);
    s->sum.pss_file = sat_add(s->sum.pss_file, r->pss_file);
    s->sum.pss_shmem = sat_add(s->sum.pss_shmem, r->pss_shmem);
    s->sum.uss = sat_add(s->sum.uss, r->uss);
    s->sum.swap_pss = sat_add(s->sum.swap_pss, r->swap_pss);
    s->nread++;
}

/* One sweep over pids (the thread's own copy); publishes the result. */
static void sweep(mw__pss *s, const pid_t *pids, size_t n)
{
    int64_t t0 = mw__now_ns();
    pss_row *rows = n ? malloc(n * sizeof(*rows)) : NULL;
    size_t nrows = 0;
    mw__pss_sum sum;
    memset(&sum, 0, sizeof(sum));
    for (size_t i = 0; i < n; i++) {
        mw__rollup r;
        int rc = mw__probe_rollup(pids[i], &r);
        if (rc == MW_ENOPROC)
            continue; /* it exited meanwhile: not in the tree any more */
        if (rc != 0) {
            sum.unreadable++;
            continue;
        }
        add_rollup(&sum, &r);
        if (rows)
            rows[nrows++] = (pss_row){pids[i], r};
    }
    if (rows)
        qsort(rows, nrows, sizeof(*rows), cmp_row);
    sum.t_ns = mw__now_ns();
    sum.took_ns = sum.t_ns - t0;
    pthread_mutex_lock(&s->lock);
    pss_row *old = s->rows;
    s->rows = rows;
    s->nrows = nrows;
    s->latest = sum;
    s->have_latest = true;
    pthread_mutex_unlock(&s->lock);
    free(old);
}

static void *sweeper_main(void *arg)
{
    mw__pss *s = arg;
    pid_t *mine = NULL;
    size_t cap = 0;
    int64_t next = mw__now_ns();
    for (;;) {
        pthread_mutex_lock(&s->lock);
        bool stop = s->stop, have = s->have_todo;
        size_t n = s->ntodo;
        if (have && n > cap) {
            pid_t *m = realloc(mine, n * sizeof(*m));
            if (m) {
                mine = m;
                cap = n;
            }
        }
        if (n > cap)
            n = cap; /* out of memory: read what fits this time */
        if (have && n)
            memcpy(mine, s->todo, n * sizeof(*mine));
        pthread_mutex_unlock(&s->lock);
        if (stop)
            break;
        if (!have || mw__now_ns() < next) {
            mw__sleeper_wait(&s->sleeper, have ? next : mw__now_ns() + 1000000000);
            continue;
        }
        sweep(s, mine, n);
        /* A sweep longer than the period starts the next one at once, never in a burst. */
        next += s->period_ns;
        int64_t now = mw__now_ns();
        if (next < now)
            next = now;
    }
    free(mine);
    return NULL;
}

int mw__pss_create(int64_t period_ns, mw__pss **out)
{
    if (!out || period_ns < 1000000)
        return MW_EINVAL;
    *out = NULL;
    mw__pss *s = calloc(1, sizeof(*s));
    if (!s)
        return MW_ENOMEM;
    s->period_ns = period_ns;
    if (mw__sleeper_init(&s->sleeper) != 0) {
        free(s);
        return MW_ESYS;
    }
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        mw__sleeper_destroy(&s->sleeper);
        free(s);
        return MW_ESYS;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int created = pthread_create(&s->thread, NULL, sweeper_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (created != 0) {
        pthread_mutex_destroy(&s->lock);
        mw__sleeper_destroy(&s->sleeper);
        free(s);
        return MW_ESYS;
    }
    *out = s;
    return 0;
}

void mw__pss_destroy(mw__pss *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_mutex_unlock(&s->lock);
    mw__sleeper_wake(&s->sleeper);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    mw__sleeper_destroy(&s->sleeper);
    free(s->todo);
    free(s->rows);
    free(s);
}

void mw__pss_set_pids(mw__pss *s, const pid_t *pids, size_t n)
{
    bool first;
    pthread_mutex_lock(&s->lock);
    if (n > s->todo_cap) {
        pid_t *t = realloc(s->todo, n * sizeof(*t));
        if (t) {
            s->todo = t;
            s->todo_cap = n;
        }
    }
    if (n > s->todo_cap)
        n = s->todo_cap;
    if (n)
        memcpy(s->todo, pids, n * sizeof(*pids));
    s->ntodo = n;
    first = !s->have_todo;
    s->have_todo = true;
    pthread_mutex_unlock(&s->lock);
    if (first)
        mw__sleeper_wake(&s->sleeper); /* the first sweep starts now, not a period later */
}

int mw__pss_latest(mw__pss *s, mw__pss_sum *out)
{
    pthread_mutex_lock(&s->lock);
    bool have = s->have_latest;
    if (have)
        *out = s->latest;
    pthread_mutex_unlock(&s->lock);
    return have ? 0 : MW_ENODATA;
}

void mw__pss_fill(mw__pss *s, mw_tree_process *rows, size_t n)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n; i++) {
        pss_row key = {.pid = rows[i].pid};
        const pss_row *r = s->nrows ? bsearch(&key, s->rows, s->nrows, sizeof(*s->rows), cmp_row)
                                    : NULL;
        rows[i].valid &= ~(uint32_t)(MW_HAVE_PSS | MW_HAVE_USS);
        if (!r)
            continue;
        rows[i].pss = r->r.pss;
        rows[i].uss = r->r.uss;
        rows[i].valid |= r->r.have & (MW_HAVE_PSS | MW_HAVE_USS);
    }
    pthread_mutex_unlock(&s->lock);
}

int mw__pss_apply(mw__pss *s, mw_stats *st, uint32_t *unreadable)
{
    mw__pss_sum p;
    int rc = mw__pss_latest(s, &p);
    if (rc != 0)
        return rc;
    *unreadable = p.unreadable;
    if (p.nread == 0 || p.unreadable)
        return 0; /* a sum that leaves a process out is no tree's PSS: unknown instead */
    st->pss_size = p.sum.pss;
    st->pss_anon_size = p.sum.pss_anon;
    st->pss_file_size = p.sum.pss_file;
    st->pss_shmem_size = p.sum.pss_shmem;
    st->uss_size = p.sum.uss;
    st->swap_pss_size = p.sum.swap_pss;
    st->valid |= p.sum.have & (MW_HAVE_PSS | MW_HAVE_PSS_PARTS | MW_HAVE_USS | MW_HAVE_SWAP_PSS);
    st->pss_timestamp = mw__ns_to_ts(p.t_ns);
    return 0;
}
