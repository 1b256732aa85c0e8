/* SPDX-License-Identifier: MIT */
/* soak_watcher.c — races readers, callbacks, interval changes and stop/start against the sampler. */
#include "config.h"

/* Not a unit test: CI runs it under ASan+UBSan and under TSan with a time bound, e.g.
 *     tests/soak_watcher 60
 * The watcher samples this process at 1-3 ms into a 1000-slot ring (so it wraps every second or
 * so) while two reader threads copy history, the callbacks record every sample, and the main
 * thread changes the interval, stops and restarts, and frees other watchers while they run; a
 * third reader summarises the whole run and random ranges of it (mw_watcher_summary: the ring
 * and the merged history behind it, as the sampler pushes into both).
 * At the end every sample a reader got must be the very sample the callbacks saw under the same
 * sequence number. Exit 0 when every invariant held, 1 (with messages) otherwise, 2 on bad usage. */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memwatch.h"
#include "watcher.h"

#define RING 1000

static atomic_int failures;
static atomic_bool done;
/* Fast mode (SAMPLES given): readers pause briefly between rounds so that the sampler, not lock
 * hand-offs, sets the pace; they still overlap every sample many times over. */
static atomic_bool fast;

__attribute__((format(printf, 1, 2))) static void fail(const char *fmt, ...)
{
    if (atomic_fetch_add(&failures, 1) >= 20)
        return; /* the first few say enough */
    va_list ap;
    va_start(ap, fmt);
    fputs("soak_watcher: FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t ts_ns(const mw_stats *s)
{
    return (int64_t)s->timestamp.tv_sec * 1000000000 + s->timestamp.tv_nsec;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* A growable array of timestamps indexed by sequence number (0 = not seen). */
typedef struct trace {
    int64_t *t;
    size_t n, cap;
} trace;

static void trace_set(trace *tr, uint64_t seq, int64_t t)
{
    if (seq >= tr->cap) {
        size_t ncap = tr->cap ? tr->cap : 4096;
        while (ncap <= seq)
            ncap *= 2;
        int64_t *nt = realloc(tr->t, ncap * sizeof(*nt));
        if (!nt) {
            fputs("soak_watcher: out of memory\n", stderr);
            exit(1);
        }
        memset(nt + tr->cap, 0, (ncap - tr->cap) * sizeof(*nt));
        tr->t = nt;
        tr->cap = ncap;
    }
    tr->t[seq] = t;
    if (seq + 1 > tr->n)
        tr->n = (size_t)seq + 1;
}

/* ---- callbacks: run on the sampler thread, one at a time (successive threads are joined) ----- */

typedef struct cb_state {
    mw_watcher *w;
    trace seen;       /* every sample, by its sequence number (= call number) */
    int64_t last_t;
    uint64_t calls;
} cb_state;

static void record_cb(const mw_stats *s, void *user)
{
    cb_state *c = user;
    int64_t t = ts_ns(s);
    if (t <= c->last_t)
        fail("callback: sample %" PRIu64 " at %" PRId64 " not after the previous %" PRId64,
             c->calls, t, c->last_t);
    c->last_t = t;
    trace_set(&c->seen, c->calls, t);
    c->calls++;

    /* Re-entering the watcher from its own callback: reads work, stop is refused. */
    mw_stats cur;
    if (mw_watcher_current_stats(c->w, &cur) != 0 || ts_ns(&cur) < t)
        fail("callback: current_stats is older than the sample being delivered");
    if (c->calls % 997 == 0)
        mw_watcher_stop(c->w);
    if (s->physical_size == 0 || s->virtual_size < s->physical_size)
        fail("callback: implausible sample rss %" PRIu64 " vsz %" PRIu64, s->physical_size,
             s->virtual_size);
}

static void count_cb(const mw_stats *s, void *user)
{
    (void)s;
    atomic_fetch_add((atomic_uint_fast64_t *)user, 1);
}

/* ---- reader 1: incremental history_since, keeping its own copy by sequence number ------------ */

typedef struct reader1 {
    mw_watcher *w;
    trace got;
    uint64_t seq, lost, read, calls, idle;
} reader1;

static void *reader1_main(void *arg)
{
    reader1 *r = arg;
    mw_stats buf[64];
    int64_t prev = INT64_MIN;
    unsigned k = 0;
    for (;;) {
        bool last_round = atomic_load(&done); /* drain once more after the watcher stopped */
        size_t cap = 1 + (k++ % 64);          /* vary the chunk size */
        uint64_t before = r->seq, lost_before = r->lost;
        size_t n = mw_watcher_history_since(r->w, &r->seq, buf, cap, &r->lost);
        r->calls++;
        if (n > cap)
            fail("reader1: %zu samples copied into a buffer of %zu", n, cap);
        if (r->seq != before + (r->lost - lost_before) + n)
            fail("reader1: seq %" PRIu64 " != %" PRIu64 " + lost %" PRIu64 " + %zu", r->seq,
                 before, r->lost - lost_before, n);
        uint64_t first = r->seq - n;
        for (size_t i = 0; i < n; i++) {
            int64_t t = ts_ns(&buf[i]);
            if (t <= prev)
                fail("reader1: sample %" PRIu64 " not after the previous one", first + i);
            prev = t;
            trace_set(&r->got, first + i, t);
        }
        r->read += n;
        if (n == 0) {
            if (last_round)
                break;
            /* Usually keep up; every few seconds stall past a whole ring so samples are lost. */
            sleep_us(++r->idle % 1500 == 0 ? 3000000 : 200 + (k % 7) * 300);
        }
    }
    return NULL;
}

/* ---- reader 2: snapshots and counters --------------------------------------------------------- */

typedef struct reader2 {
    mw_watcher *w;
    atomic_uint_fast64_t late_calls; /* a callback added while running */
    uint64_t rounds;
} reader2;

static void *reader2_main(void *arg)
{
    reader2 *r = arg;
    mw_stats *buf = malloc(RING * sizeof(*buf));
    if (!buf) {
        fail("reader2: out of memory");
        return NULL;
    }
    uint64_t prev_samples = 0;
    int64_t prev_cur = INT64_MIN;
    while (!atomic_load(&done)) {
        if (atomic_load(&fast))
            sleep_us(50);
        mw_watcher_status st;
        if (mw_watcher_get_status(r->w, &st) != 0)
            fail("reader2: get_status failed");
        if (st.samples < prev_samples)
            fail("reader2: samples went back from %" PRIu64 " to %" PRIu64, prev_samples,
                 st.samples);
        if (st.capacity != RING || st.stored != (st.samples < RING ? st.samples : RING) ||
            st.dropped != st.samples - st.stored)
            fail("reader2: inconsistent status: samples %" PRIu64 " stored %zu dropped %" PRIu64,
                 st.samples, st.stored, st.dropped);
        if (st.interval_ms > 3)
            fail("reader2: interval %" PRIu64 " was never set", st.interval_ms);
        prev_samples = st.samples;

        size_t cap = r->rounds % 4 ? 1 + (size_t)(r->rounds * 37 % RING) : RING;
        size_t n = mw_watcher_history(r->w, buf, cap);
        uint64_t want = st.samples < cap ? st.samples : cap;
        if (n < want || n > cap)
            fail("reader2: history gave %zu samples, status said at least %" PRIu64, n, want);
        for (size_t i = 1; i < n; i++)
            if (ts_ns(&buf[i]) <= ts_ns(&buf[i - 1]))
                fail("reader2: history not oldest first at %zu", i);

        mw_tree_process procs[4], spike;
        size_t nprocs = 0, got = mw_watcher_get_processes(r->w, procs, 4, &nprocs);
        if (st.samples && (got == 0 || got > 4 || !(procs[0].flags & MW_PROC_ROOT) ||
                           procs[0].pid != getpid()))
            fail("reader2: process table gave %zu rows (of %zu), first %ld", got, nprocs,
                 got ? (long)procs[0].pid : -1L);
        if (mw_watcher_top_spike(r->w, &spike) == 0 && !(spike.flags & MW_PROC_SPIKE))
            fail("reader2: a top spike without its flag");

        mw_stats cur, max;
        if (mw_watcher_current_stats(r->w, &cur) == 0) {
            if (ts_ns(&cur) < prev_cur)
                fail("reader2: current_stats went back in time");
            prev_cur = ts_ns(&cur);
            if (n && ts_ns(&cur) < ts_ns(&buf[n - 1]))
                fail("reader2: current_stats older than the history read before it");
            if (mw_watcher_max_stats(r->w, &max) != 0 || max.physical_size < cur.physical_size)
                fail("reader2: max RSS below the current RSS read before it");
        }
        (void)mw_watcher_memory_growth(r->w);
        (void)mw_watcher_is_running(r->w);
        (void)mw_watcher_end_reason(r->w);
        if (r->rounds++ == 10 && mw_watcher_add_callback(r->w, count_cb, &r->late_calls) != 0)
            fail("reader2: add_callback while running failed");
        if (r->rounds % 2)
            sleep_us(100); /* leave the lock to the sampler now and then */
    }
    free(buf);
    return NULL;
}

/* ---- reader 3: range summaries over the ring and the merged history ---------------------------- */

typedef struct reader3 {
    mw_watcher *w;
    uint64_t rounds, empty, merged_seen;
    int64_t first_t; /* the run's first sample, as the whole-run summary says (0 before) */
} reader3;

static int64_t tsp_ns(const struct timespec *ts) { return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec; }

/* What holds for any summary: each figure's first, last and mean within its min..max, its max
 * dated within the samples summarised, merged samples a part of them. */
static void check_summary(const mw_run_summary *s, const char *what)
{
    int64_t a = tsp_ns(&s->first_time), b = tsp_ns(&s->last_time);
    if (s->samples == 0 || a > b || s->merged > s->samples || s->max_merged < 1 ||
        (s->merged == 0 && s->max_merged != 1))
        fail("reader3: %s: %" PRIu64 " samples (%" PRIu64 " merged, widest %" PRIu64 ") from %"
             PRId64 " to %" PRId64, what, s->samples, s->merged, s->max_merged, a, b);
    const mw_figure *f[] = {&s->physical_size, &s->virtual_size};
    for (size_t i = 0; i < 2; i++) {
        if (f[i]->known != s->samples || f[i]->min > f[i]->max || f[i]->first < f[i]->min ||
            f[i]->first > f[i]->max || f[i]->last < f[i]->min || f[i]->last > f[i]->max ||
            f[i]->mean < (double)f[i]->min || f[i]->mean > (double)f[i]->max ||
            tsp_ns(&f[i]->max_time) < a || tsp_ns(&f[i]->max_time) > b)
            fail("reader3: %s: figure %zu: known %" PRIu64 " of %" PRIu64 ", min %" PRIu64
                 " mean %.0f max %" PRIu64 ", first %" PRIu64 " last %" PRIu64, what, i,
                 f[i]->known, s->samples, f[i]->min, f[i]->mean, f[i]->max, f[i]->first,
                 f[i]->last);
    }
}

static void *reader3_main(void *arg)
{
    reader3 *r = arg;
    uint64_t prev_n = 0, prev_max = 0;
    unsigned seed = 12345;
    while (!atomic_load(&done)) {
        sleep_us(2000); /* a summary walks the ring and every bucket: dearer than a copy */
        mw_watcher_status before, after;
        mw_stats peak;
        mw_run_summary all, part;
        mw_watcher_get_status(r->w, &before);
        int rc = mw_watcher_summary(r->w, NULL, NULL, &all);
        mw_watcher_get_status(r->w, &after);
        r->rounds++;
        if (rc == MW_ENODATA && before.samples == 0)
            continue;
        if (rc != 0) {
            fail("reader3: whole-run summary: %s", mw_strerror(rc));
            continue;
        }
        check_summary(&all, "the whole run");
        if (all.samples < before.samples || all.samples > after.samples || all.samples < prev_n)
            fail("reader3: the run's %" PRIu64 " samples, between %" PRIu64 " and %" PRIu64
                 " (%" PRIu64 " before)", all.samples, before.samples, after.samples, prev_n);
        if (r->first_t && tsp_ns(&all.first_time) != r->first_t)
            fail("reader3: the run's first sample moved (the start was forgotten)");
        r->first_t = tsp_ns(&all.first_time);
        if (all.physical_size.max < prev_max ||
            (mw_watcher_max_stats(r->w, &peak) == 0 && peak.physical_size < all.physical_size.max))
            fail("reader3: the run's peak RSS %" PRIu64 " went back, or past max_stats",
                 all.physical_size.max);
        prev_n = all.samples;
        prev_max = all.physical_size.max;
        r->merged_seen += all.merged > 0;
        /* A random range of the run summarised above: a slice of it (newer samples, and the
         * merging they cause, only ever take older ones into buckets), or nothing there (a
         * stop's gap). */
        int64_t last = tsp_ns(&all.last_time), span = last - r->first_t;
        int64_t x = r->first_t + (span > 0 ? (int64_t)(rand_r(&seed) % (uint64_t)span) : 0);
        int64_t y = x + (span > 0 ? (int64_t)(rand_r(&seed) % (uint64_t)(span / 8 + 1)) : 0);
        y = y < last ? y : last;
        struct timespec from = {(time_t)(x / 1000000000), (long)(x % 1000000000)};
        struct timespec to = {(time_t)(y / 1000000000), (long)(y % 1000000000)};
        rc = mw_watcher_summary(r->w, &from, &to, &part);
        if (rc == MW_ENODATA) {
            r->empty++;
        } else if (rc != 0) {
            fail("reader3: range summary: %s", mw_strerror(rc));
        } else {
            check_summary(&part, "a range");
            if (part.physical_size.max > all.physical_size.max || part.samples > all.samples ||
                tsp_ns(&part.last_time) > last)
                fail("reader3: a range of the run read before it holds more than the run");
        }
    }
    return NULL;
}

/* ---- main: the controller ---------------------------------------------------------------------- */

/* Create, start, and free a watcher while it runs, its callback mid-flight. */
static void free_while_running(void)
{
    mw_config cfg = mw_config_default();
    cfg.interval_ms = 1;
    cfg.history_size = 8;
    mw_watcher *w = mw_watcher_new(&cfg);
    atomic_uint_fast64_t calls;
    atomic_init(&calls, 0);
    if (!w || mw_watcher_add_callback(w, count_cb, &calls) != 0 || mw_watcher_start(w) != 0) {
        fail("free_while_running: could not start a watcher");
        mw_watcher_free(w);
        return;
    }
    sleep_us(1500);
    mw_watcher_free(w);
    uint64_t n = atomic_load(&calls);
    sleep_us(2000);
    if (atomic_load(&calls) != n)
        fail("free_while_running: a callback ran after mw_watcher_free returned");
}

int main(int argc, char **argv)
{
    long seconds = 20;
    long long target = 0; /* fast mode: run until this many samples (within SECONDS) */
    if (argc > 3 || (argc >= 2 && (seconds = strtol(argv[1], NULL, 10)) <= 0) ||
        (argc == 3 && (target = strtoll(argv[2], NULL, 10)) <= 0)) {
        fprintf(stderr, "usage: %s [SECONDS [SAMPLES]]   (default 20 s; with SAMPLES, sample "
                        "back to back until that many are taken, failing after SECONDS)\n",
                argv[0]);
        return 2;
    }
    mw_config cfg = mw_config_default();
    cfg.interval_ms = 1;
    cfg.history_size = RING;
    /* The tree path and the PSS sweeper race too: the process table is published every sample
     * while reader 2 copies it, and the sweeper thread reads and publishes beside the sampler
     * (every 50 ms: a smaps_rollup read is dear, most under TSan; the race is the point). */
    cfg.include_children = true;
    cfg.pss_interval_ms = 50;
    mw_watcher *w = mw_watcher_new(&cfg);
    if (!w) {
        fprintf(stderr, "soak_watcher: mw_watcher_new failed\n");
        return 1;
    }
    static cb_state cb;
    cb.w = w;
    cb.last_t = INT64_MIN;
    if (mw_watcher_add_callback(w, record_cb, &cb) != 0) {
        fprintf(stderr, "soak_watcher: add_callback failed\n");
        return 1;
    }
    /* Fast mode: back-to-back sampling (period 0) instead of 1..3 ms, so millions of samples wrap the ring
     * in bounded time (interval changes re-set 0); everything else races as in the timed mode. */
    if (target) {
        atomic_store(&fast, true);
        mw__watcher_set_period_ns(w, 0);
    }
    int rc = mw_watcher_start(w);
    if (rc != 0) {
        fprintf(stderr, "soak_watcher: start: %s\n", mw_strerror(rc));
        return 1;
    }

    static reader1 r1;
    static reader2 r2;
    static reader3 r3;
    r1.w = r2.w = r3.w = w;
    atomic_init(&r2.late_calls, 0);
    pthread_t t1, t2, t3;
    if (pthread_create(&t1, NULL, reader1_main, &r1) != 0 ||
        pthread_create(&t2, NULL, reader2_main, &r2) != 0 ||
        pthread_create(&t3, NULL, reader3_main, &r3) != 0) {
        fprintf(stderr, "soak_watcher: pthread_create failed\n");
        return 1;
    }

    unsigned seed = (unsigned)now_ns();
    uint64_t restarts = 0, interval_changes = 0, frees = 0;
    char *churn = NULL;
    int64_t end = now_ns() + seconds * 1000000000ll;
    while (now_ns() < end) {
        if (target) {
            mw_watcher_status now;
            mw_watcher_get_status(w, &now);
            if (now.samples >= (uint64_t)target)
                break;
        }
        switch (rand_r(&seed) % (target ? 64 : 16)) {
        case 0:
            mw_watcher_stop(w);
            if (mw_watcher_is_running(w))
                fail("main: running after stop");
            if ((rc = mw_watcher_start(w)) != 0)
                fail("main: restart: %s", mw_strerror(rc));
            if (mw_watcher_start(w) != MW_EALREADY)
                fail("main: second start was not MW_EALREADY");
            restarts++;
            break;
        case 1:
        case 2:
        case 3:
            if (target ? mw__watcher_set_period_ns(w, 0) != 0
                       : mw_watcher_set_interval(w, 1 + rand_r(&seed) % 3) != 0)
                fail("main: set_interval refused a valid interval");
            interval_changes++;
            break;
        case 4: /* vary the RSS so peaks move */
            free(churn);
            churn = malloc((size_t)(1 + rand_r(&seed) % 8) << 20);
            if (churn)
                memset(churn, 1, 1 << 20);
            break;
        case 5:
            if (rand_r(&seed) % 8 == 0) {
                free_while_running();
                frees++;
            }
            break;
        default:
            sleep_us(500 + rand_r(&seed) % 1500);
        }
    }
    free(churn);
    mw_watcher_stop(w);
    atomic_store(&done, true);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_join(t3, NULL);

    /* Everything is quiet now: check the books. */
    mw_watcher_status st;
    mw_watcher_get_status(w, &st);
    if (target && st.samples < (uint64_t)target)
        fail("only %" PRIu64 " of %lld samples in %ld s", st.samples, target, seconds);
    if (cb.calls != st.samples)
        fail("callbacks ran %" PRIu64 " times for %" PRIu64 " samples", cb.calls, st.samples);
    if (atomic_load(&r2.late_calls) > st.samples)
        fail("a late callback ran more often than there were samples");
    if (r1.read + r1.lost != st.samples || r1.seq != st.samples)
        fail("reader1 read %" PRIu64 " + lost %" PRIu64 " (seq %" PRIu64 ") of %" PRIu64
             " samples", r1.read, r1.lost, r1.seq, st.samples);
    uint64_t matched = 0;
    for (size_t seq = 0; seq < r1.got.n; seq++) {
        if (r1.got.t[seq] == 0)
            continue; /* lost */
        if (seq >= cb.seen.n || r1.got.t[seq] != cb.seen.t[seq]) {
            fail("reader1's sample %zu is not the one the callback saw under that number", seq);
            break;
        }
        matched++;
    }
    if (matched != r1.read)
        fail("reader1 matched %" PRIu64 " of the %" PRIu64 " samples it read", matched, r1.read);
    /* The whole run, start included, however far the ring wrapped. */
    mw_run_summary all;
    if (mw_watcher_summary(w, NULL, NULL, &all) != 0 || all.samples != st.samples ||
        (cb.seen.n && (tsp_ns(&all.first_time) != cb.seen.t[0] ||
                       tsp_ns(&all.last_time) != cb.seen.t[cb.seen.n - 1])) ||
        (st.dropped && all.merged != st.dropped))
        fail("the run's summary: %" PRIu64 " samples (%" PRIu64 " merged) of %" PRIu64
             " (%" PRIu64 " overwritten), or not from the first sample to the last",
             all.samples, all.merged, st.samples, st.dropped);
    check_summary(&all, "the whole run, at the end");
    if (st.dropped && !r3.merged_seen)
        fail("reader3 never saw merged history in %" PRIu64 " rounds", r3.rounds);

    printf("soak_watcher: %lds, %" PRIu64 " samples (%" PRIu64 " overwritten), reader1 %" PRIu64
           " read / %" PRIu64 " lost in %" PRIu64 " calls, reader2 %" PRIu64 " rounds, "
           "reader3 %" PRIu64 " summaries (%" PRIu64 " empty ranges), "
           "%" PRIu64 " restarts, %" PRIu64 " interval changes, %" PRIu64
           " watchers freed while running: %s\n",
           seconds, st.samples, st.dropped, r1.read, r1.lost, r1.calls, r2.rounds, r3.rounds,
           r3.empty, restarts, interval_changes, frees, atomic_load(&failures) ? "FAILED" : "ok");
    mw_watcher_free(w);
    free(cb.seen.t);
    free(r1.got.t);
    return atomic_load(&failures) ? 1 : 0;
}
