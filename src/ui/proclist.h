/* SPDX-License-Identifier: MIT */
/* proclist.h — the process picker's model: scans merged, growth since opening, filter, sort, selection (pure). */
#ifndef MW_PROCLIST_H
#define MW_PROCLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe.h"

/* Why pure: the scan (mw__probe_list_processes) is I/O; everything a user sees it become is
 * here, fed with briefs, so the tests can drive it with made-up processes and refreshes. */

typedef struct mw__pick_row {
    pid_t pid;
    uint64_t start_time;
    uint64_t rss, rss0;  /* now, and at the first refresh it was seen in */
    bool appeared;       /* not there at the picker's first refresh: growth is "new" */
    bool have_cmdline;   /* cmdline fetched (once per process: PID + start time) */
    char name[64];       /* raw comm */
    char cmdline[512];   /* joined and escaped by the probe ("" until fetched, or none) */
} mw__pick_row;

/* Fetch one process's command line (escaped) into line; 0 or an MW_E*. The picker passes
 * mw__probe_cmdline's; tests pass their own. */
typedef int (*mw__cmdline_fn)(void *ctx, pid_t pid, uint64_t start_time, char *line, size_t n);

typedef struct mw__proclist {
    mw__pick_row *rows;  /* the processes of the latest refresh, in no order */
    size_t n, cap;
    size_t *shown;       /* indexes into rows: the filter's matches, largest RSS first */
    size_t nshown, shown_cap;
    char filter[64];     /* UTF-8 typed by the user */
    size_t sel;          /* index into shown (0 when empty) */
    size_t top;          /* first shown row on screen (the view keeps it in range) */
    pid_t sel_pid;       /* the selection follows this process across refreshes */
    uint64_t sel_start;
    unsigned refreshes;
    pid_t self;          /* never listed (memwatch itself) */
    bool all_users;      /* root: everyone's processes (the title says so) */
} mw__proclist;

/* A zeroed struct is empty; destroy frees. */
void mw__proclist_destroy(mw__proclist *l);
/* Merge one scan: rows kept by PID + start time keep their rss0 and cmdline; new ones get
 * their cmdline from fetch (may be NULL); self is dropped. Re-sorts and re-filters, keeping
 * the selection on the same process when it is still shown. 0 or MW_ENOMEM. */
int mw__proclist_update(mw__proclist *l, const mw__proc_brief *b, size_t n, mw__cmdline_fn fetch,
                        void *ctx);
/* Filter editing: append one code point (as UTF-8), or take the last one off. The selection
 * stays on its process if it still matches, else goes to the top. */
void mw__proclist_type(mw__proclist *l, uint32_t cp);
void mw__proclist_backspace(mw__proclist *l);
void mw__proclist_clear_filter(mw__proclist *l);
/* Move the selection by delta rows (clamped), or to the first / last. */
void mw__proclist_move(mw__proclist *l, long delta);
void mw__proclist_home(mw__proclist *l);
void mw__proclist_end(mw__proclist *l);
/* The selected row, or NULL when nothing is shown. */
const mw__pick_row *mw__proclist_selected(const mw__proclist *l);
/* Case-insensitive (ASCII) substring test of the filter against name or cmdline. */
bool mw__proclist_matches(const mw__proclist *l, const mw__pick_row *r);

#endif
