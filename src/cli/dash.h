/* SPDX-License-Identifier: MIT */
/* dash.h — the dashboard's state, shared by its loop (dashboard.c) and its questions (dashquit.c). */
#ifndef APP_DASH_H
#define APP_DASH_H

#include <stdbool.h>
#include <stdint.h>
#include "app.h"
#include "canvas.h"
#include "compare.h"
#include "keys.h"
#include "tui.h"
#include "uistate.h"
#include "where.h"

/* What `q` is waiting for an answer to, in this order: the export, then the launched command. */
typedef enum quit_question { ASK_NONE = 0, ASK_EXPORT, ASK_COMMAND } quit_question;

typedef struct dash {
    app_session *s;        /* NULL in replay */
    mw__capture *cap;     /* the session's capture, or the replayed one */
    const app_options *o;
    app_tui *tui;
    mw__canvas cv;
    mw__ui_state st;
    char msg[1024];
    bool msg_error;
    quit_question confirm_quit; /* asking before quitting (ASK_NONE: not asking) */
    uint64_t exported_n;  /* samples ever taken (all.n) at the last export that succeeded */
    int64_t exported_t;   /* time of the newest sample in it */
    bool leave_running;   /* the user chose to quit and leave it running */
    int peak_reset_error; /* last reported --interval-peaks failure */
    bool out_reported;    /* the -o failure has been shown */
    char state[512];      /* the header's state and command, escaped (names are the process's */
    char command[4096];   /*   own choice of bytes): filled each frame */
    char gate[256];       /* a gate over its limit, for the growth row */
    char notes[MW__VIEW_NOTES][256]; /* headroom, --new-cgroup, OOM: the view's notes (limits.c) */
    mw_tree_process *procs; /* the process table's rows, fetched each frame while it is open */
    size_t procs_cap;
    app_where_ui where;   /* "where it went": the smaps worker (live only) and its newest diff */
    app_compare *compare; /* --compare: drawn over the charts; NULL */
} dash;

/* Set the status line (an error in its style when error). Formats are always literals; user text
 * only ever fills a %s. */
void app_dash_say(dash *d, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Key e: the capture to a new memwatch-PID-TIME.csv in the working directory (never replacing a
 * file), said on the status line either way. */
void app_dash_export(dash *d);
/* q (or F10): ask about what quitting would lose, the capture first (from ASK_EXPORT), then the
 * launched command; true when there is nothing (left) to ask. */
bool app_dash_ask_before_quit(dash *d, quit_question from);
/* The answer k to the question asked. True when the loop should end. */
bool app_dash_answer_quit(dash *d, mw__key k);

#endif
