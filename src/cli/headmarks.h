/* SPDX-License-Identifier: MIT */
/* headmarks.h — headless, marks from outside: a line for each, and where it went since the one before. */
#ifndef APP_HEADMARKS_H
#define APP_HEADMARKS_H

#include <stdbool.h>
#include <stdio.h>

#include "app.h"
#include "where.h"

#define APP_HEADMARKS_MAX 16

/* Marks whose "where it went" is still to be read. One show at a time, each queued only when the
 * worker is idle: the worker keeps only its newest result, so a second show would hide the first
 * mark's line. A mark's baseline is therefore read when its turn comes (a few ms on a small
 * process; the read of a huge one takes longer). Zero it to start. */
typedef struct app_headmarks {
    char pending[APP_HEADMARKS_MAX][MW__MARK_LABEL_MAX];
    size_t head, n;
    bool showing; /* the worker's next result is the oldest mark's diff */
} app_headmarks;

/* Each headless loop turn, after app_session_poll and app_where_ui_tick (got: it took a result):
 * "memwatch: mark 'LABEL' at 00:00:12" on f for each new mark from outside, then, once read,
 * "memwatch: where it went since start|mark 'X': ..." and a new baseline labelled by the mark. */
void app_headmarks_turn(app_headmarks *h, app_where_ui *w, app_session *s, bool got, FILE *f);
/* True while a mark's diff is being read or waits: the loop wakes sooner to print it. */
bool app_headmarks_busy(const app_headmarks *h);
/* At the end, before the last read of where it went: wait for the marks' diffs (while the
 * process still runs) and print them, so the end's line counts from the last mark. */
void app_headmarks_end(app_headmarks *h, app_where_ui *w, app_session *s, FILE *f);

#endif
