/* SPDX-License-Identifier: MIT */
/* where.c — the smaps worker thread: baselines and diffs off the main thread; the diff's summary line and export name. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uistate.h"
#include "units.h"
#include "where.h"

#define JOBS_MAX 16 /* marks are user actions: more waiting than this means a stuck read */

typedef struct job {
    bool baseline;
    char since[96];
} job;

struct app_where {
    pid_t pid;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    /* under lock */
    job queue[JOBS_MAX];
    size_t head, count;
    bool running_job, stop;
    bool running_show;     /* the job under way is a show (a diff will come of it) */
    bool have_result;
    app_where_result result;
    /* the worker's own (never touched by the main thread) */
    mw__smaps_table base, now;
    int base_rc;           /* why the baseline read failed (0: it did not) */
    char base_since[96];
    int64_t t0_ns;         /* the worker's start (the first sample): the CSV's clock */
    int64_t base_ms;       /* when the baseline was read, since t0 */
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t since_t0_ms(const app_where *w) { return (mono_ns() - w->t0_ns) / 1000000; }

/* The baseline is of another program: the process exec'd since (same PID, same start time). */
static bool execd(const mw__smaps_table *then, const mw__smaps_table *now)
{
    return then->exe_ino && now->exe_ino && /* both known */
           (then->exe_dev != now->exe_dev || then->exe_ino != now->exe_ino);
}

/* The one line a failed read becomes: it names the file and why. */
static void read_error(char *buf, size_t n, pid_t pid, int rc)
{
    const char *why = rc == MW_ENOPROC  ? "the process has exited (or exited during the read)"
                      : rc == MW_EPERM  ? "permission denied (another user's process: run "
                                          "memwatch as that user or as root)"
                      : rc == MW_EUNSUPPORTED ? "not on this system (smaps is Linux only)"
                                              : mw_strerror(rc);
    snprintf(buf, n, "cannot read /proc/%ld/smaps: %s", (long)pid, why);
}

/* The process exec'd since the baseline: never a diff across programs. This read becomes the
 * baseline, and this result lists everything as new "since the exec". */
static void rebase_at_exec(app_where *w, app_where_result *r, int64_t now_ms)
{
    mw__smaps_table t = w->base;
    w->base = w->now;
    w->now = t;
    w->base_ms = now_ms;
    snprintf(w->base_since, sizeof(w->base_since), "the exec");
    snprintf(r->since, sizeof(r->since), "the exec (no baseline: the process ran a new program "
             "after it was read; this read is the baseline from now on)");
    mw__smaps_table empty;
    mw__smaps_table_init(&empty);
    r->rc = mw__smaps_diff_make(&empty, &w->base, &r->diff);
    r->diff.then_ms = -1;
}

static void run_show(app_where *w, app_where_result *r)
{
    memset(r, 0, sizeof(*r));
    r->rc = mw__probe_smaps(w->pid, &w->now, &r->cost);
    int64_t now_ms = since_t0_ms(w);
    if (r->rc != 0) {
        read_error(r->error, sizeof(r->error), w->pid, r->rc);
        return;
    }
    r->mappings = w->now.mappings;
    if (w->base_rc == 0 && execd(&w->base, &w->now)) {
        rebase_at_exec(w, r, now_ms);
    } else if (w->base_rc == 0) {
        snprintf(r->since, sizeof(r->since), "%s", w->base_since);
        r->rc = mw__smaps_diff_make(&w->base, &w->now, &r->diff);
        r->diff.then_ms = w->base_ms;
    } else {
        char why[256];
        read_error(why, sizeof(why), w->pid, w->base_rc);
        snprintf(r->since, sizeof(r->since), "nothing (no baseline: %s)", why);
        r->rc = mw__smaps_diff_make(&w->base, &w->now, &r->diff);
        r->diff.then_ms = -1;
    }
    if (r->rc != 0) {
        read_error(r->error, sizeof(r->error), w->pid, r->rc);
        return;
    }
    snprintf(r->diff.since, sizeof(r->diff.since), "%s",
             r->diff.then_ms < 0 && w->base_rc != 0 ? "nothing" : w->base_since);
    r->diff.now_ms = now_ms;
}

static void run_job(app_where *w, const job *j)
{
    if (j->baseline) {
        mw__smaps_cost cost;
        w->base_rc = mw__probe_smaps(w->pid, &w->base, &cost);
        w->base_ms = since_t0_ms(w);
        snprintf(w->base_since, sizeof(w->base_since), "%s", j->since);
        return;
    }
    app_where_result r;
    run_show(w, &r);
    pthread_mutex_lock(&w->lock);
    if (w->have_result)
        app_where_result_free(&w->result); /* never taken: the newer one wins */
    w->result = r;
    w->have_result = true;
    pthread_mutex_unlock(&w->lock);
}

static void *worker(void *arg)
{
    app_where *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && w->count == 0) {
            w->running_job = w->running_show = false;
            pthread_cond_broadcast(&w->idle);
            pthread_cond_wait(&w->wake, &w->lock);
        }
        if (w->stop)
            break;
        job j = w->queue[w->head];
        w->head = (w->head + 1) % JOBS_MAX;
        w->count--;
        w->running_job = true;
        w->running_show = !j.baseline;
        pthread_mutex_unlock(&w->lock);
        run_job(w, &j); /* the read: no lock held, the main thread goes on */
        pthread_mutex_lock(&w->lock);
    }
    w->running_job = false;
    pthread_cond_broadcast(&w->idle);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int app_where_create(pid_t pid, app_where **out)
{
    app_where *w = calloc(1, sizeof(*w));
    if (!w)
        return MW_ENOMEM;
    w->pid = pid;
    w->base_rc = MW_ENODATA;
    w->t0_ns = mono_ns();
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    /* Signals (SIGCHLD, SIGINT, SIGWINCH) belong to the main thread's loop: the worker blocks them all. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int created = pthread_create(&w->thread, NULL, worker, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (created != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        pthread_cond_destroy(&w->idle);
        free(w);
        return MW_ESYS;
    }
    *out = w;
    return 0;
}

void app_where_destroy(app_where *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    if (w->have_result)
        app_where_result_free(&w->result);
    mw__smaps_table_free(&w->base);
    mw__smaps_table_free(&w->now);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->idle);
    free(w);
}

static void enqueue(app_where *w, bool baseline, const char *since)
{
    pthread_mutex_lock(&w->lock);
    /* A show last in the queue answers a second press too; one queued before a baseline does
     * not (it diffs against the older baseline). */
    bool dup = !baseline && w->count > 0 &&
               !w->queue[(w->head + w->count - 1) % JOBS_MAX].baseline;
    if (!dup && w->count < JOBS_MAX) {
        job *j = &w->queue[(w->head + w->count) % JOBS_MAX];
        j->baseline = baseline;
        snprintf(j->since, sizeof(j->since), "%s", since ? since : "");
        w->count++;
        w->running_job = true; /* busy from now, not from when the worker wakes */
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
}

void app_where_baseline(app_where *w, const char *since) { enqueue(w, true, since); }
void app_where_show(app_where *w) { enqueue(w, false, NULL); }

bool app_where_busy(app_where *w, bool *show_coming)
{
    pthread_mutex_lock(&w->lock);
    bool busy = w->running_job || w->count > 0;
    bool show = w->running_show;
    for (size_t i = 0; i < w->count; i++)
        show |= !w->queue[(w->head + i) % JOBS_MAX].baseline;
    pthread_mutex_unlock(&w->lock);
    if (show_coming)
        *show_coming = show;
    return busy;
}

int app_where_take(app_where *w, app_where_result *out)
{
    pthread_mutex_lock(&w->lock);
    int got = w->have_result;
    if (got) {
        *out = w->result;
        w->have_result = false;
    }
    pthread_mutex_unlock(&w->lock);
    return got;
}

void app_where_result_free(app_where_result *r) { mw__smaps_diff_free(&r->diff); }

void app_where_wait(app_where *w)
{
    pthread_mutex_lock(&w->lock);
    while (w->running_job || w->count > 0)
        pthread_cond_wait(&w->idle, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void app_where_top(const mw__smaps_diff *d, size_t max, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < d->n && i < max && used + 1 < n; i++) {
        char v[32];
        int k = snprintf(buf + used, n - used, "%s%s %s", i ? ", " : "", d->rows[i].name,
                         mw__format_bytes_signed(v, sizeof(v), d->rows[i].growth));
        if (k < 0 || (size_t)k >= n - used) {
            buf[used] = '\0'; /* a group that does not fit whole is left out */
            break;
        }
        used += (size_t)k;
    }
}

int app_where_export(const mw__smaps_diff *d, long pid, char *path, size_t pathlen, char *err,
                     size_t errlen)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    int rc = 0;
    /* Named like the e key's export, so both of one moment sort together; never replaced. */
    for (int n = 1; n < 100; n++) {
        if (n == 1)
            snprintf(path, pathlen, "memwatch-%ld-%s-smaps.csv", pid, stamp);
        else
            snprintf(path, pathlen, "memwatch-%ld-%s-%d-smaps.csv", pid, stamp, n);
        rc = mw__smaps_diff_export(d, path, err, errlen);
        if (rc != MW_EALREADY)
            break;
    }
    return rc;
}

void app_where_line(const app_where_result *r, char *buf, size_t n)
{
    if (r->rc != 0) {
        snprintf(buf, n, "where it went: %s", r->error);
        return;
    }
    char top[1024], ms[32], all[32];
    app_where_top(&r->diff, 5, top, sizeof(top));
    snprintf(ms, sizeof(ms), "%lld ms", (long long)((r->cost.read_ns + 500000) / 1000000));
    /* The total always: the top five alone can hide what shrank (a "gone" row sorts last). */
    mw__format_bytes_signed(all, sizeof(all), r->diff.total_growth);
    snprintf(buf, n, "where it went since %s: all mappings %s; %s (smaps of %zu mappings read in "
             "%s)", r->since, all, top, r->mappings, ms);
}

/* ---- the dashboard's side ---------------------------------------------------------------------- */

bool app_where_ui_tick(app_where_ui *u, pid_t pid, bool have_sample)
{
    if (!u->w && !u->failed && have_sample) {
        if (app_where_create(pid, &u->w) != 0)
            u->failed = true;
        else
            app_where_baseline(u->w, "start");
    }
    app_where_result r;
    if (!u->w || !app_where_take(u->w, &r))
        return false;
    if (u->have)
        app_where_result_free(&u->res);
    u->res = r;
    u->have = true;
    return true;
}

void app_where_ui_mark(app_where_ui *u, const char *label)
{
    char since[96];
    if (!u->w)
        return;
    snprintf(since, sizeof(since), "mark '%s'", label);
    app_where_baseline(u->w, since);
}

void app_where_ui_fill(const app_where_ui *u, mw__where_info *out)
{
    memset(out, 0, sizeof(*out));
    bool show = false;
    out->busy = u->w && app_where_busy(u->w, &show);
    out->busy_baseline = out->busy && !show;
    if (!u->have)
        return;
    const app_where_result *r = &u->res;
    out->have = true;
    out->error = r->rc ? r->error : NULL;
    out->diff = &r->diff;
    out->since = r->since;
    out->read_ns = r->cost.read_ns;
    out->group_ns = r->cost.group_ns;
    out->bytes = r->cost.bytes;
    out->mappings = r->mappings;
}

bool app_where_ui_export(app_where_ui *u, long pid, char *msg, size_t n)
{
    if (!u->have || u->res.rc != 0) {
        snprintf(msg, n, "nothing to export: %s", u->have ? u->res.error : "the smaps read is not done yet");
        return true;
    }
    char path[128], err[768];
    if (app_where_export(&u->res.diff, pid, path, sizeof(path), err, sizeof(err)) != 0) {
        snprintf(msg, n, "export failed: %s", err);
        return true;
    }
    char cwd[512];
    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = '\0';
    snprintf(msg, n, "exported %zu smaps groups to %s%s%s", u->res.diff.n, cwd, cwd[0] ? "/" : "",
             path);
    return false;
}

void app_where_ui_free(app_where_ui *u)
{
    app_where_destroy(u->w);
    if (u->have)
        app_where_result_free(&u->res);
    memset(u, 0, sizeof(*u));
}
