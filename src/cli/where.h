/* SPDX-License-Identifier: MIT */
/* where.h — "where it went": smaps reads on a worker thread (baselines at the start and at marks, diffs on demand). */
#ifndef APP_WHERE_H
#define APP_WHERE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "probe.h"
#include "smapsparse.h"
#include "uistate.h"

/* Why a thread: reading smaps of a process with 100,000 mappings takes a good part of a second
 * (the kernel walks every page table), so the dashboard and the headless loop only queue reads
 * and pick the results up when they are done; the keys and the charts never wait. One worker per
 * watched process; jobs run in the order queued. The worker owns the baseline table; a finished
 * diff is handed over whole (app_where_take) and then belongs to the caller. */
typedef struct app_where app_where;

/* What a "show" job produced. */
typedef struct app_where_result {
    int rc;               /* 0, or why smaps could not be read (MW_ENOPROC, MW_EPERM...) */
    char error[256];      /* rc != 0: one line naming the file and why */
    mw__smaps_diff diff;  /* rc == 0: every group since the baseline, largest growth first */
    mw__smaps_cost cost;  /* the read that made it */
    size_t mappings;      /* mappings read */
    char since[352];      /* what the diff counts from: "start", "mark 'M2'", or "nothing (the
                             baseline read failed: ...)" */
} app_where_result;

/* Start the worker for pid. Returns 0 or MW_ENOMEM / MW_ESYS (no thread). */
int app_where_create(pid_t pid, app_where **out);
/* Stop the worker (waits for a read under way) and free everything. NULL is a no-op. */
void app_where_destroy(app_where *w);
/* Queue a new baseline read, labelled since ("start", "mark 'M2'"); later diffs count from it. */
void app_where_baseline(app_where *w, const char *since);
/* Queue a read of now and its diff against the baseline. */
void app_where_show(app_where *w);
/* A read or diff is queued or under way. *show_coming (may be NULL): one of them is a show, so a
 * new result will come (false: only baselines are being read). */
bool app_where_busy(app_where *w, bool *show_coming);
/* Take the newest finished result, if any came since the last take: 1 (into *out, which the
 * caller frees with app_where_result_free), else 0. */
int app_where_take(app_where *w, app_where_result *out);
void app_where_result_free(app_where_result *r);
/* Wait until every queued job is done (headless, at the end of a run). */
void app_where_wait(app_where *w);

/* "[heap] +84.0 MiB, anon 7f3a12340000 +12.0 MiB, /usr/lib/libfoo.so +0 B": the first max
 * groups of a diff, into buf. */
void app_where_top(const mw__smaps_diff *d, size_t max, char *buf, size_t n);

/* "where it went since start: all mappings +84.0 MiB; [heap] +84.0 MiB, ... (smaps of 412
 * mappings read in 3 ms)", or "where it went: WHY" when the read failed: one line, into buf. */
void app_where_line(const app_where_result *r, char *buf, size_t n);

/* The file name an export of the diff gets: memwatch-PID-YYYYmmdd-HHMMSS-smaps.csv (-2, -3... if
 * taken); written into path (relative to the current directory). Returns 0 or the error, with
 * err set as mw__smaps_diff_export sets it. */
int app_where_export(const mw__smaps_diff *d, long pid, char *path, size_t pathlen, char *err,
                     size_t errlen);

/* ---- the dashboard's side: one worker, its newest result, what the overlay shows ----------------
 * Main thread only. Zero it to start; app_where_ui_free at the end. */
typedef struct app_where_ui {
    app_where *w;          /* started at the first sample (baseline "start"); NULL before */
    bool failed;           /* the worker could not start: said once, never retried */
    bool have;             /* res holds a result */
    app_where_result res;
} app_where_ui;

/* Each loop turn: start the worker (and its "start" baseline) once a first sample is in, and
 * pick up a finished result. Returns true when a new result came (redraw). */
bool app_where_ui_tick(app_where_ui *u, pid_t pid, bool have_sample);
/* A mark was made: later diffs count from it (a baseline read labelled "mark 'LABEL'"). */
void app_where_ui_mark(app_where_ui *u, const char *label);
/* What the overlay draws now (borrowed from u until the next tick). */
void app_where_ui_fill(const app_where_ui *u, struct mw__where_info *out);
/* Export the shown diff; msg gets the status line ("exported 12 groups to /dir/file.csv" or
 * why not). Returns true when it is an error. */
bool app_where_ui_export(app_where_ui *u, long pid, char *msg, size_t n);
void app_where_ui_free(app_where_ui *u);

#endif
