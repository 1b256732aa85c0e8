/* SPDX-License-Identifier: MIT */
/* watch_fixtures.h — test helpers shared by the watcher tests: clocks, polling, a real mw-alloc child. */
#ifndef MW_WATCH_FIXTURES_H
#define MW_WATCH_FIXTURES_H

/* Included by tests/test_watcher.c, tests/test_pss.c and tests/test_runsummary.c only (each a test binary of its own), so
 * everything is static. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "memwatch.h"

#define MIB (1024ll * 1024ll)
#define MS (1000000ll)
/* Deadlines are generous: these tests must pass on 2 loaded cores, they are not benchmarks. */
#define SOON_MS 10000

static inline int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t ts_ns(const struct timespec *ts) { return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec; }

static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Re-evaluate cond every millisecond until it holds or timeout_ms passes; yields its last value.
 * Waiting for something always goes through here: no fixed sleeps hoping it happened. */
#define poll_until(cond, timeout_ms)                                                              \
    ({                                                                                            \
        int64_t poll_deadline_ = now_ns() + (int64_t)(timeout_ms) * MS;                           \
        bool poll_ok_;                                                                            \
        while (!(poll_ok_ = (cond)) && now_ns() < poll_deadline_)                                 \
            sleep_ms(1);                                                                          \
        poll_ok_;                                                                                 \
    })

static inline uint64_t samples_of(const mw_watcher *w)
{
    mw_watcher_status st;
    cr_assert_eq(mw_watcher_get_status(w, &st), 0);
    return st.samples;
}

/* A build without a memory probe (--with-probe=none) cannot watch: such tests skip. */
static inline void need_probe(void)
{
    mw_stats probe_check;
    if (mw_get_memory_stats(&probe_check) == MW_EUNSUPPORTED)
        cr_skip_test("no memory probe in this build (see test_unsupported)");
}

static inline mw_watcher *watcher_for(pid_t pid, uint64_t interval_ms, size_t history)
{
    need_probe();
    mw_config cfg = mw_config_default();
    cfg.pid = pid;
    cfg.interval_ms = interval_ms;
    cfg.history_size = history;
    mw_watcher *w = mw_watcher_new(&cfg);
    cr_assert_not_null(w);
    return w;
}

/* Start (or restart) w, let it run until it has taken `total` samples in all, then stop it. */
static inline void run_until_samples(mw_watcher *w, uint64_t total, int timeout_ms)
{
    cr_assert_eq(mw_watcher_start(w), 0);
    cr_assert(poll_until(samples_of(w) >= total, timeout_ms), "fewer than %llu samples in %d ms",
              (unsigned long long)total, timeout_ms);
    mw_watcher_stop(w);
}

/* ---- a real child: tests/helpers/mw-alloc, driven line by line over pipes ------------------ */

typedef struct child {
    pid_t pid;
    FILE *to;   /* its stdin */
    FILE *from; /* its stdout */
} child;

static inline void child_spawn(child *c)
{
    const char *path = getenv("MW_ALLOC");
    if (!path || !*path)
        path = "tests/helpers/mw-alloc"; /* run by hand from the build directory */
    if (access(path, X_OK) != 0)
        cr_skip_test("mw-alloc helper not found (set MW_ALLOC)");
    int in[2], out[2];
    cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
    cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c->pid = pid;
    c->to = fdopen(in[1], "w");
    c->from = fdopen(out[0], "r");
    cr_assert(c->to && c->from);
}

/* Send one command and return its one-line answer (which must start with "ok"). A hung child
 * is caught by the suite's watchdog. */
static inline void child_cmd(child *c, const char *cmd, char *reply, size_t n)
{
    cr_assert_gt(fprintf(c->to, "%s\n", cmd), 0);
    cr_assert_eq(fflush(c->to), 0);
    cr_assert_not_null(fgets(reply, (int)n, c->from), "mw-alloc gave no answer to '%s'", cmd);
    cr_assert_eq(strncmp(reply, "ok", 2), 0, "mw-alloc: '%s' -> %s", cmd, reply);
}

/* The child's own view of its RSS, from an "ok rss_kib=K" answer, in bytes. */
static inline int64_t reply_rss(const char *reply)
{
    long long kib = -1;
    const char *p = strstr(reply, "rss_kib=");
    cr_assert(p && sscanf(p, "rss_kib=%lld", &kib) == 1 && kib > 0, "no rss_kib in: %s", reply);
    return kib * 1024;
}

/* Reap the child if it has not been reaped yet; returns its wait status. */
static inline int child_reap(child *c)
{
    int status = 0;
    if (c->pid > 0) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, &status, 0);
        c->pid = 0;
    }
    if (c->to)
        fclose(c->to);
    if (c->from)
        fclose(c->from);
    c->to = c->from = NULL;
    return status;
}

#endif
