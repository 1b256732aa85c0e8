/* SPDX-License-Identifier: MIT */
/* test_watcher.c — the sampler thread against real processes: RSS, lifecycle, callbacks, timing. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "memwatch.h"

#include "sanitized.h"

#include "watch_fixtures.h"

/* ---- callbacks that count ---------------------------------------------------------------------- */

#define TRACE_MAX 4096
typedef struct counter {
    atomic_uint_fast64_t calls;
    atomic_int inside;    /* 1 while a callback runs */
    int sleep_ms;         /* make each callback slow, to widen races */
    int64_t t_ns[TRACE_MAX]; /* the timestamp each call saw, in call order */
} counter;

static void count_cb(const mw_stats *s, void *user)
{
    counter *c = user;
    atomic_store(&c->inside, 1);
    if (c->sleep_ms)
        sleep_ms(c->sleep_ms);
    uint64_t i = atomic_load(&c->calls);
    if (i < TRACE_MAX)
        c->t_ns[i] = ts_ns(&s->timestamp);
    atomic_store(&c->inside, 0);
    atomic_fetch_add(&c->calls, 1);
}

static counter *counter_new(void)
{
    counter *c = calloc(1, sizeof(*c));
    cr_assert_not_null(c);
    atomic_init(&c->calls, 0);
    atomic_init(&c->inside, 0);
    return c;
}

/* A watchdog instead of Criterion's .timeout (which leaks in Criterion 2.4's runner when tests
 * run in parallel, failing the ASan suite): a hung test (a join that never returns, a child that
 * never answers) dies of SIGALRM and is reported as a crash. */
static void arm_watchdog(void) { alarm(180); }

TestSuite(watcher, .init = arm_watchdog);

/* ---- configuration and lifecycle --------------------------------------------------------------- */

Test(watcher, new_rejects_bad_config)
{
    mw_config c = mw_config_default();
    c.interval_ms = 0;
    cr_expect_null(mw_watcher_new(&c));
    c.interval_ms = 3600001;
    cr_expect_null(mw_watcher_new(&c));
    c = mw_config_default();
    c.history_size = 0;
    cr_expect_null(mw_watcher_new(&c));
    c = mw_config_default();
    c.pid = -1;
    cr_expect_null(mw_watcher_new(&c));

    c = mw_config_default();
    c.interval_ms = 1;
    mw_watcher *w = mw_watcher_new(&c);
    cr_expect_not_null(w);
    mw_watcher_free(w);
    c.interval_ms = 3600000;
    c.history_size = 1;
    w = mw_watcher_new(&c);
    cr_expect_not_null(w);
    mw_watcher_free(w);
}

Test(watcher, defaults_and_status_before_start)
{
    mw_config d = mw_config_default();
    cr_expect_eq(d.interval_ms, 1000);
    cr_expect_eq(d.history_size, 3600);
    cr_expect_eq(d.pid, 0);
    mw_watcher *w = mw_watcher_new(NULL);
    cr_assert_not_null(w);
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_not(st.running);
    cr_expect_eq(st.pid, getpid(), "pid 0 resolves to this process");
    cr_expect_eq(st.interval_ms, 1000);
    cr_expect_eq(st.capacity, 3600);
    cr_expect_eq(st.samples, 0);
    cr_expect_not(mw_watcher_is_running(w));
    mw_stats s;
    cr_expect_eq(mw_watcher_current_stats(w, &s), MW_ENODATA);
    cr_expect_eq(mw_watcher_max_stats(w, &s), MW_ENODATA);
    cr_expect_eq(mw_watcher_history(w, &s, 1), 0);
    cr_expect_eq(mw_watcher_memory_growth(w), 0);
    cr_expect_eq(mw_watcher_end_reason(w), 0);
    cr_expect_eq(mw_watcher_set_interval(w, 0), MW_EINVAL);
    cr_expect_eq(mw_watcher_set_interval(w, 3600001), MW_EINVAL);
    mw_watcher_stop(w); /* not running: a no-op */
    mw_watcher_free(w);
}

Test(watcher, start_twice_is_ealready)
{
    mw_watcher *w = watcher_for(0, 50, 100);
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_expect(mw_watcher_is_running(w));
    cr_expect_eq(mw_watcher_start(w), MW_EALREADY);
    cr_expect(mw_watcher_is_running(w));
    mw_watcher_stop(w);
    cr_expect_not(mw_watcher_is_running(w));
    mw_watcher_stop(w); /* twice: a no-op */
    mw_watcher_free(w);
}

Test(watcher, first_sample_is_taken_at_once)
{
    mw_watcher *w = watcher_for(0, 3600000, 10); /* an hour: only the immediate sample can come */
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_expect(poll_until(samples_of(w) >= 1, SOON_MS));
    mw_stats s;
    cr_assert_eq(mw_watcher_current_stats(w, &s), 0);
    cr_expect_gt(s.physical_size, 0);
    cr_expect_gt(s.virtual_size, s.physical_size);
    mw_watcher_stop(w);
    mw_watcher_free(w);
}

Test(watcher, restart_continues_the_same_history)
{
    mw_watcher *w = watcher_for(0, 2, 1000);
    run_until_samples(w, 5, SOON_MS);
    run_until_samples(w, samples_of(w) + 5, SOON_MS);
    mw_stats h[1000];
    size_t got = mw_watcher_history(w, h, 1000);
    cr_expect_eq(got, samples_of(w));
    for (size_t i = 1; i < got; i++)
        cr_expect_gt(ts_ns(&h[i].timestamp), ts_ns(&h[i - 1].timestamp));
    mw_watcher_free(w);
}

/* ---- a real child allocating on command -------------------------------------------------------- */

Test(watcher, rss_rises_by_allocated_mib_and_stats_agree)
{
    child c;
    child_spawn(&c);
    char reply[256];
    child_cmd(&c, "rss", reply, sizeof(reply)); /* the child is up and answering */
    mw_watcher *w = watcher_for(c.pid, 10, 100000);
    cr_assert_eq(mw_watcher_start(w), 0);

    /* Baseline: a sample taken while the child sits idle. */
    cr_assert(poll_until(samples_of(w) >= 2, SOON_MS));
    mw_stats before, after, s;
    cr_assert_eq(mw_watcher_current_stats(w, &before), 0);
    child_cmd(&c, "rss", reply, sizeof(reply));
    int64_t child_before = reply_rss(reply);

    child_cmd(&c, "alloc 64", reply, sizeof(reply)); /* answers once the pages are touched */
    int64_t t_alloc = now_ns();
    int64_t child_rise = reply_rss(reply) - child_before;
    cr_assert(poll_until(mw_watcher_current_stats(w, &after) == 0 &&
                             ts_ns(&after.timestamp) > t_alloc, SOON_MS));
    int64_t delta = (int64_t)after.physical_size - (int64_t)before.physical_size;
    /* Sanitizers add shadow memory to the child's own rise (ASan 1/8); the watcher must still
     * agree with what the child sees of itself. */
    int64_t expect = SANITIZED ? child_rise : 64 * MIB;
    cr_expect_geq(child_rise, 64 * MIB * 95 / 100, "the child saw its RSS rise by %.2f MiB",
                  (double)child_rise / MIB);
    cr_expect(delta >= expect * 95 / 100 && delta <= expect * 105 / 100,
              "RSS rose by %.2f MiB for 64 MiB allocated (the child saw %.2f MiB)",
              (double)delta / MIB, (double)child_rise / MIB);

    child_cmd(&c, "freeall", reply, sizeof(reply));
    int64_t t_free = now_ns();
    cr_assert(poll_until(mw_watcher_current_stats(w, &s) == 0 && ts_ns(&s.timestamp) > t_free,
                         SOON_MS));
    mw_watcher_stop(w);

    /* Growth, current and max agree with the recorded history. */
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_assert_lt(st.samples, 100000, "the whole run is in the ring");
    mw_stats *h = calloc(st.samples, sizeof(*h));
    cr_assert_not_null(h);
    size_t n = mw_watcher_history(w, h, st.samples);
    cr_assert_eq(n, st.samples);
    mw_stats cur, max;
    cr_assert_eq(mw_watcher_current_stats(w, &cur), 0);
    cr_assert_eq(mw_watcher_max_stats(w, &max), 0);
    cr_expect_eq(cur.physical_size, h[n - 1].physical_size);
    cr_expect_eq(ts_ns(&cur.timestamp), ts_ns(&h[n - 1].timestamp));
    cr_expect_eq(mw_watcher_memory_growth(w),
                 (int64_t)h[n - 1].physical_size - (int64_t)h[0].physical_size);
    size_t imax = 0;
    for (size_t i = 1; i < n; i++)
        if (h[i].physical_size > h[imax].physical_size)
            imax = i;
    cr_expect_eq(max.physical_size, h[imax].physical_size);
    cr_expect_eq(ts_ns(&max.timestamp), ts_ns(&h[imax].timestamp), "earliest sample at the peak");
    int64_t peak_rise = (int64_t)max.physical_size - (int64_t)before.physical_size;
    cr_expect(peak_rise >= expect * 95 / 100 && peak_rise <= expect * 105 / 100,
              "peak %.2f MiB above the baseline", (double)peak_rise / MIB);
    int64_t fell = (int64_t)max.physical_size - (int64_t)cur.physical_size;
    cr_expect(fell >= 64 * MIB * 95 / 100, "RSS fell by %.2f MiB after freeall", (double)fell / MIB);
    /* VmHWM keeps the peak, give or take the kernel's per-CPU RSS counter slack (~200 KiB). */
    if (h[n - 1].valid & MW_HAVE_HWM)
        cr_expect_geq(h[n - 1].peak_physical_size + 1 * MIB, max.physical_size,
                      "VmHWM %llu below the peak seen %llu",
                      (unsigned long long)h[n - 1].peak_physical_size,
                      (unsigned long long)max.physical_size);
    free(h);
    mw_watcher_free(w);
    child_reap(&c);
}

Test(watcher, pid_that_does_not_exist_is_enoproc)
{
    /* A PID that surely existed a moment ago and no longer does. */
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0)
        _exit(0);
    cr_assert_eq(waitpid(pid, NULL, 0), pid);
    mw_watcher *w = watcher_for(pid, 10, 10);
    cr_expect_eq(mw_watcher_start(w), MW_ENOPROC);
    cr_expect_not(mw_watcher_is_running(w));
    mw_watcher_stop(w);
    mw_watcher_free(w);
}

/* Watch a child at 10 ms, make it exit; optionally leave it a zombie (not reaped). */
static void check_exit_mid_watch(bool reap)
{
    child c;
    child_spawn(&c);
    char reply[256];
    child_cmd(&c, "alloc 8", reply, sizeof(reply));
    mw_watcher *w = watcher_for(c.pid, 10, 1000);
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_assert(poll_until(samples_of(w) >= 3, SOON_MS));

    cr_assert_gt(fprintf(c.to, "exit 3\n"), 0);
    fflush(c.to);
    if (reap) {
        int status;
        cr_assert_eq(waitpid(c.pid, &status, 0), c.pid);
        cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 3);
        c.pid = 0;
    }
    cr_assert(poll_until(!mw_watcher_is_running(w), SOON_MS), "the sampler stops by itself");
    cr_expect_eq(mw_watcher_end_reason(w), MW_ENOPROC);
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_not(st.running);
    cr_expect_eq(st.end_reason, MW_ENOPROC);
    cr_expect_geq(st.samples, 3, "history kept");
    mw_stats h[1000], max;
    cr_assert_eq(mw_watcher_history(w, h, 1000), st.samples);
    cr_expect_eq(mw_watcher_max_stats(w, &max), 0);
    cr_expect_gt(max.physical_size, 8 * MIB);
    /* A process that is exiting has detached its memory before it turns zombie: /proc shows no
     * Vm* lines then. That must end the watch (MW_ENOPROC), not be recorded as 0 bytes. */
    for (uint64_t i = 0; i < st.samples; i++)
        cr_expect(h[i].physical_size > 0 && h[i].virtual_size > 0,
                  "sample %llu of %llu records an exiting process as 0 bytes",
                  (unsigned long long)i, (unsigned long long)st.samples);
    uint64_t n = st.samples;
    sleep_ms(50); /* a window for a wrongly-alive sampler to add samples */
    cr_expect_eq(samples_of(w), n);
    cr_expect_eq(mw_watcher_start(w), MW_ENOPROC, "restarting on the dead PID");
    mw_watcher_stop(w);
    mw_watcher_free(w);
    child_reap(&c);
}

Test(watcher, process_exit_mid_watch_stops_sampler_and_keeps_history)
{
    check_exit_mid_watch(true);
}

Test(watcher, zombie_counts_as_exited) { check_exit_mid_watch(false); }

/* ---- stop, free, callbacks -------------------------------------------------------------------- */

Test(watcher, stop_joins_no_callback_after_it_returns)
{
    counter *c = counter_new();
    c->sleep_ms = 2; /* each callback takes a while: stop will often land inside one */
    mw_watcher *w = watcher_for(0, 1, 100);
    cr_assert_eq(mw_watcher_add_callback(w, count_cb, c), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_assert(poll_until(atomic_load(&c->calls) >= 5, SOON_MS));
    mw_watcher_stop(w);
    cr_expect_eq(atomic_load(&c->inside), 0, "a callback still running after stop returned");
    uint64_t n = atomic_load(&c->calls);
    cr_expect_eq(n, samples_of(w));
    for (int i = 0; i < 5; i++) {
        sleep_ms(10); /* several intervals of 1 ms */
        cr_expect_eq(atomic_load(&c->calls), n, "a callback ran after stop returned");
    }
    mw_watcher_free(w);
    free(c);
}

Test(watcher, free_while_running)
{
    counter *c = counter_new();
    mw_watcher *w = watcher_for(0, 1, 16);
    cr_assert_eq(mw_watcher_add_callback(w, count_cb, c), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_assert(poll_until(atomic_load(&c->calls) >= 20, SOON_MS)); /* the ring has wrapped */
    mw_watcher_free(w); /* stops first; ASan / valgrind see no leak */
    uint64_t n = atomic_load(&c->calls);
    sleep_ms(10);
    cr_expect_eq(atomic_load(&c->calls), n);
    free(c);
}

Test(watcher, callbacks_called_exactly_once_per_sample)
{
    counter *a = counter_new(), *b = counter_new();
    mw_watcher *w = watcher_for(0, 1, TRACE_MAX);
    cr_assert_eq(mw_watcher_add_callback(w, count_cb, a), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_assert(poll_until(atomic_load(&a->calls) >= 10, SOON_MS));
    cr_assert_eq(mw_watcher_add_callback(w, count_cb, b), 0); /* added while running */
    cr_assert(poll_until(atomic_load(&b->calls) >= 50, SOON_MS));
    mw_watcher_stop(w);
    uint64_t samples = samples_of(w);
    cr_assert_lt(samples, TRACE_MAX);
    cr_expect_eq(atomic_load(&a->calls), samples);
    cr_expect_lt(atomic_load(&b->calls), samples);
    /* Each call saw its own sample, in order: the trace equals the history. */
    mw_stats *h = calloc(samples, sizeof(*h));
    cr_assert_not_null(h);
    cr_assert_eq(mw_watcher_history(w, h, samples), samples);
    for (uint64_t i = 0; i < samples; i++)
        cr_expect_eq(a->t_ns[i], ts_ns(&h[i].timestamp), "call %llu", (unsigned long long)i);
    uint64_t off = samples - atomic_load(&b->calls);
    for (uint64_t i = 0; i < atomic_load(&b->calls); i++)
        cr_expect_eq(b->t_ns[i], ts_ns(&h[off + i].timestamp));
    free(h);
    mw_watcher_free(w);
    free(a);
    free(b);
}

Test(watcher, add_callback_limits)
{
    mw_watcher *w = watcher_for(0, 1000, 10);
    counter *c = counter_new();
    cr_expect_eq(mw_watcher_add_callback(w, NULL, c), MW_EINVAL);
    cr_expect_eq(mw_watcher_add_callback(NULL, count_cb, c), MW_EINVAL);
    int rc = 0, added = 0;
    while ((rc = mw_watcher_add_callback(w, count_cb, c)) == 0 && added < 100)
        added++;
    cr_expect_eq(rc, MW_ENOMEM);
    cr_expect_eq(added, 16);
    mw_watcher_free(w);
    free(c);
}

/* A callback that tries to stop, free and restart its own watcher: all refused, no deadlock. */
typedef struct self_stopper {
    mw_watcher *w;
    atomic_int calls;
    atomic_int start_rc;
} self_stopper;

static void stop_self_cb(const mw_stats *s, void *user)
{
    self_stopper *x = user;
    mw_watcher_stop(x->w);
    mw_watcher_free(x->w);
    atomic_store(&x->start_rc, mw_watcher_start(x->w));
    mw_watcher_status st;
    mw_watcher_get_status(x->w, &st); /* reading the watcher from its callback is allowed */
    atomic_fetch_add(&x->calls, 1);
}

Test(watcher, callback_stopping_its_own_watcher_does_not_deadlock)
{
    self_stopper x;
    x.w = watcher_for(0, 1, 100);
    atomic_init(&x.calls, 0);
    atomic_init(&x.start_rc, 0);
    cr_assert_eq(mw_watcher_add_callback(x.w, stop_self_cb, &x), 0);
    cr_assert_eq(mw_watcher_start(x.w), 0);
    cr_expect(poll_until(atomic_load(&x.calls) >= 10, SOON_MS), "sampling went on");
    cr_expect(mw_watcher_is_running(x.w));
    cr_expect_eq(atomic_load(&x.start_rc), MW_EALREADY);
    mw_watcher_stop(x.w);
    mw_watcher_free(x.w);
}

/* ---- timing ----------------------------------------------------------------------------------- */

Test(watcher, set_interval_takes_effect_within_one_interval)
{
    mw_watcher *w = watcher_for(0, 1000, 1000);
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_assert(poll_until(samples_of(w) >= 1, SOON_MS));

    /* 1000 ms -> 10 ms: the next sample comes at once, not a second later. */
    int64_t t_set = now_ns();
    cr_assert_eq(mw_watcher_set_interval(w, 10), 0);
    cr_expect(poll_until(samples_of(w) >= 2, 500), "still waiting out the old 1000 ms interval");
    cr_expect(poll_until(samples_of(w) >= 22, SOON_MS));
    cr_expect_lt(now_ns() - t_set, 5000 * MS, "20 samples at 10 ms took over 5 s");

    /* 10 ms -> 2000 ms: samples stop arriving at once (one may already be under way). */
    cr_assert_eq(mw_watcher_set_interval(w, 2000), 0);
    uint64_t n = samples_of(w);
    sleep_ms(400); /* a window in which 10 ms sampling would add ~40 */
    cr_expect_leq(samples_of(w), n + 1, "still sampling fast after set_interval(2000)");
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_eq(st.interval_ms, 2000);
    mw_watcher_stop(w);
    mw_watcher_free(w);
}

Test(watcher, timestamps_monotonic_on_absolute_deadlines)
{
    mw_watcher *w = watcher_for(0, 10, 1000);
    run_until_samples(w, 100, 30000);
    mw_stats h[100];
    uint64_t seq = 0;
    cr_assert_eq(mw_watcher_history_since(w, &seq, h, 100, NULL), 100);
    for (int i = 1; i < 100; i++)
        cr_expect_gt(ts_ns(&h[i].timestamp), ts_ns(&h[i - 1].timestamp), "sample %d not after %d",
                     i, i - 1);
    /* Deadlines are start + i * interval. Timestamps are taken after each read, so the first
     * one's cost (slow under valgrind) shifts t0 a little: 50 ms of slack. Never much earlier
     * (no bursts, the interval is honoured), never far later (no drift): loose bounds. */
    int64_t span = ts_ns(&h[99].timestamp) - ts_ns(&h[0].timestamp);
    cr_expect_geq(span, 990 * MS - 50 * MS, "100 samples at 10 ms within %.1f ms", (double)span / MS);
    cr_expect_lt(span, 990 * MS + 1500 * MS, "the 100th sample came %.1f ms after the first",
                 (double)span / MS);
    mw_watcher_free(w);
}

/* ---- incremental reads ------------------------------------------------------------------------- */

Test(watcher, history_since_reports_lost_samples_after_wrap)
{
    mw_watcher *w = watcher_for(0, 1, 16);
    run_until_samples(w, 40, SOON_MS);
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    cr_expect_eq(st.stored, 16);
    cr_expect_eq(st.dropped, st.samples - 16);

    mw_stats all[16], part[8];
    cr_assert_eq(mw_watcher_history(w, all, 16), 16);
    uint64_t seq = 0, lost = 0;
    cr_assert_eq(mw_watcher_history_since(w, &seq, part, 8, &lost), 8);
    cr_expect_eq(lost, st.samples - 16);
    cr_expect_eq(seq, st.samples - 8);
    for (int i = 0; i < 8; i++)
        cr_expect_eq(ts_ns(&part[i].timestamp), ts_ns(&all[i].timestamp));
    cr_assert_eq(mw_watcher_history_since(w, &seq, part, 8, &lost), 8);
    cr_expect_eq(lost, st.samples - 16, "nothing more lost");
    cr_expect_eq(seq, st.samples);
    cr_expect_eq(ts_ns(&part[7].timestamp), ts_ns(&all[15].timestamp));
    cr_expect_eq(mw_watcher_history_since(w, &seq, part, 8, &lost), 0, "up to date");
    cr_expect_eq(seq, st.samples);

    /* history with a small buffer gives the newest samples. */
    cr_assert_eq(mw_watcher_history(w, part, 4), 4);
    cr_expect_eq(ts_ns(&part[0].timestamp), ts_ns(&all[12].timestamp));
    cr_expect_eq(ts_ns(&part[3].timestamp), ts_ns(&all[15].timestamp));
    mw_watcher_free(w);
}

Test(watcher, history_since_reads_incrementally_while_running)
{
    mw_watcher *w = watcher_for(0, 1, 64);
    cr_assert_eq(mw_watcher_start(w), 0);
    uint64_t seq = 0, lost = 0, read = 0;
    int64_t prev = INT64_MIN;
    mw_stats buf[5];
    int64_t deadline = now_ns() + SOON_MS * MS;
    while (read + lost < 300 && now_ns() < deadline) {
        uint64_t before = seq, lost_before = lost;
        size_t n = mw_watcher_history_since(w, &seq, buf, 5, &lost);
        cr_assert_eq(seq, before + (lost - lost_before) + n, "seq advances by lost + copied");
        for (size_t i = 0; i < n; i++) {
            int64_t t = ts_ns(&buf[i].timestamp);
            cr_assert_gt(t, prev, "oldest first, no repeats");
            prev = t;
        }
        read += n;
        if (n == 0)
            sleep_ms(1);
    }
    mw_watcher_stop(w);
    size_t n;
    while ((n = mw_watcher_history_since(w, &seq, buf, 5, &lost)) > 0)
        read += n;
    cr_expect_eq(read + lost, samples_of(w), "every sample either read or counted lost");
    cr_expect_eq(seq, samples_of(w));
    mw_watcher_free(w);
}

/* ---- every field through every public path ----------------------------------------------------- */

/* What the callbacks last saw of the kernel's virtual peak (written on the sampler thread, read
 * after stop has joined it). */
typedef struct vpeak_seen {
    atomic_uint_fast64_t calls;
    uint64_t vpeak;
    uint32_t valid;
} vpeak_seen;

static void vpeak_cb(const mw_stats *s, void *user)
{
    vpeak_seen *v = user;
    v->vpeak = s->peak_virtual_size;
    v->valid = s->valid;
    atomic_fetch_add(&v->calls, 1);
}

/* Once claimed known, a field must carry its value through whichever public call reads it: the
 * stored sample once dropped VmPeak but kept its MW_HAVE_VPEAK bit, so the watcher answered 0.
 * (VmPeak is no CSV column, so export and replay have nothing of it to agree on.) */
static void expect_vpeak(const mw_stats *s, uint64_t want, const char *path)
{
    cr_expect(s->valid & MW_HAVE_VPEAK, "%s: MW_HAVE_VPEAK not set", path);
    cr_expect_eq(s->peak_virtual_size, want, "%s: peak_virtual_size %llu, one-shot read %llu", path,
                 (unsigned long long)s->peak_virtual_size, (unsigned long long)want);
}

Test(watcher, vpeak_through_every_public_path)
{
    need_probe();
    child c;
    child_spawn(&c);
    char reply[256];
    /* A peak well above the current size, then an idle child: VmPeak stays put from here on. */
    child_cmd(&c, "alloc 64", reply, sizeof(reply));
    child_cmd(&c, "freeall", reply, sizeof(reply));
    mw_stats one;
    cr_assert_eq(mw_get_process_memory_stats(c.pid, &one), 0);
    if (!(one.valid & MW_HAVE_VPEAK))
        cr_skip_test("this probe reports no virtual peak");
    uint64_t want = one.peak_virtual_size;
    cr_assert_geq(want, one.virtual_size + 64 * MIB, "VmPeak %llu does not hold the 64 MiB peak",
                  (unsigned long long)want);

    mw_watcher *w = watcher_for(c.pid, 5, 1000);
    vpeak_seen *seen = calloc(1, sizeof(*seen));
    cr_assert_not_null(seen);
    atomic_init(&seen->calls, 0);
    cr_assert_eq(mw_watcher_add_callback(w, vpeak_cb, seen), 0);
    run_until_samples(w, 3, SOON_MS);
    mw_stats again;
    cr_assert_eq(mw_get_process_memory_stats(c.pid, &again), 0);
    cr_assert_eq(again.peak_virtual_size, want, "the idle child's VmPeak moved: test premise broken");

    mw_stats s, h[1000];
    cr_assert_eq(mw_watcher_current_stats(w, &s), 0);
    expect_vpeak(&s, want, "mw_watcher_current_stats");
    cr_assert_eq(mw_watcher_max_stats(w, &s), 0);
    expect_vpeak(&s, want, "mw_watcher_max_stats");
    size_t n = mw_watcher_history(w, h, 1000);
    cr_assert_geq(n, 3);
    for (size_t i = 0; i < n; i++)
        expect_vpeak(&h[i], want, "mw_watcher_history");
    uint64_t seq = 0;
    n = mw_watcher_history_since(w, &seq, h, 1000, NULL);
    cr_assert_geq(n, 3);
    for (size_t i = 0; i < n; i++)
        expect_vpeak(&h[i], want, "mw_watcher_history_since");
    cr_assert_geq(atomic_load(&seen->calls), 3);
    mw_stats cb = {.peak_virtual_size = seen->vpeak, .valid = seen->valid};
    expect_vpeak(&cb, want, "callback");
    free(seen);
    mw_watcher_free(w);
    child_reap(&c);
}

/* ---- signals: the sampler thread takes none ------------------------------------------------ */

typedef struct mask_seen {
    atomic_int calls;
    atomic_int blocked; /* how many of SIGCHLD, SIGINT, SIGTERM, SIGHUP the sampler blocks */
} mask_seen;

static void mask_cb(const mw_stats *s, void *user)
{
    (void)s;
    mask_seen *m = user;
    sigset_t cur;
    pthread_sigmask(SIG_BLOCK, NULL, &cur);
    int n = sigismember(&cur, SIGCHLD) + sigismember(&cur, SIGINT) + sigismember(&cur, SIGTERM) +
            sigismember(&cur, SIGHUP);
    atomic_store(&m->blocked, n);
    atomic_fetch_add(&m->calls, 1);
}

/* A signal sent to the process must reach the program's threads (its SIGCHLD handler wakes a
 * nap), never the sampler; and starting must not change the caller's own mask. */
Test(watcher, sampler_thread_blocks_every_signal_caller_mask_kept)
{
    sigset_t mine, after;
    sigemptyset(&mine);
    sigaddset(&mine, SIGUSR2);
    pthread_sigmask(SIG_SETMASK, &mine, NULL);
    mask_seen *m = calloc(1, sizeof(*m));
    cr_assert_not_null(m);
    mw_watcher *w = watcher_for(0, 1, 16);
    cr_assert_eq(mw_watcher_add_callback(w, mask_cb, m), 0);
    cr_assert_eq(mw_watcher_start(w), 0);
    pthread_sigmask(SIG_BLOCK, NULL, &after);
    cr_assert(poll_until(atomic_load(&m->calls) >= 1, SOON_MS));
    mw_watcher_free(w);
    cr_expect_eq(atomic_load(&m->blocked), 4, "the sampler thread blocks only %d of SIGCHLD, "
                 "SIGINT, SIGTERM, SIGHUP", atomic_load(&m->blocked));
    cr_expect(sigismember(&after, SIGUSR2) && !sigismember(&after, SIGINT) &&
                  !sigismember(&after, SIGCHLD),
              "mw_watcher_start changed the caller's signal mask");
    sigemptyset(&mine);
    pthread_sigmask(SIG_SETMASK, &mine, NULL);
    free(m);
}
