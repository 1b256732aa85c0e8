/* SPDX-License-Identifier: MIT */
/* uistate.h — the dashboard's state and the facts every UI part shares: info, ladders, window. */
#ifndef MW_UISTATE_H
#define MW_UISTATE_H

/* Why a file of its own: the view (view.c), its fixed rows (viewparts.c) and the key handling
 * (keys.c) all read this state; keeping it here lets each of them depend on it alone, and on
 * nothing of each other's. */

#include <stdbool.h>
#include <stdint.h>
#include "capture.h"
#include "chart.h"
#include "verdict.h"

/* Minimum terminal size for the dashboard; below it the view shows a short centred message. */
#define MW__VIEW_MIN_W 40
#define MW__VIEW_MIN_H 10
/* Rows of notes (mw__view_info.notes) the view can show. */
#define MW__VIEW_NOTES 3

/* The process table (key t): the tree's processes as the program fetched them for this frame
 * (mw_watcher_get_processes). The view only draws them: it never calls the library. */
typedef struct mw__proc_rows {
    bool on;                      /* the program has a process list (live); false in replay */
    bool tree;                    /* -c: the whole tree is watched (else the table needs -c) */
    const mw_tree_process *rows;  /* borrowed for the call; any order (the view sorts by RSS) */
    size_t n;                     /* rows given */
    size_t total;                 /* processes in the tree (more than n if the buffer was short) */
    uint32_t unreadable;          /* processes found but not readable: not in the rows */
    int64_t now_ns;               /* CLOCK_MONOTONIC of the sample the rows come from ("in 1m20s") */
} mw__proc_rows;

/* The "where it went" overlay (key w): the newest smaps diff the program's worker thread made,
 * borrowed for the call. The view only draws it: it never reads smaps. */
typedef struct mw__where_info {
    bool busy;                    /* a read is under way (the first, or a newer one) */
    bool busy_baseline;           /* ... and it is only a baseline (a mark's): no new diff comes */
    bool have;                    /* a result: diff, or error */
    const char *error;            /* why smaps could not be read (one line); NULL: diff is valid */
    const struct mw__smaps_diff *diff;
    const char *since;            /* what the diff counts from: "start", "mark 'M2'" */
    int64_t read_ns, group_ns;    /* what the read and the grouping took */
    size_t bytes, mappings;       /* smaps text read, mappings in it */
} mw__where_info;

/* What only the program knows, filled each frame (strings are borrowed for the call).
 * Sample counts, capacity, lost samples and the process count come from the capture itself. */
typedef struct mw__view_info {
    long pid;                 /* 0: the capture's */
    bool cgroup;              /* a cgroup watched alone: the header says "cgroup", command its
                                 directory and version */
    const char *command;      /* NULL: the capture's command line */
    const char *state;        /* "running", "sleeping", "exited (status 3)", "killed by SIGKILL",
                                 "PID reused by another process"; NULL: nothing shown */
    bool gone;                /* the process ended: no more samples will come */
    int64_t elapsed_ns;       /* since watching began (replay: the capture's length) */
    uint64_t interval_ms;     /* the sampler's interval now (ignored in replay) */
    uint64_t gaps;            /* times between samples over twice the interval (live only) */
    bool replay;              /* showing a saved capture */
    const char *replay_file;  /* its name, for the header */
    const char *log_file;     /* where a launched command's output goes, for the header; NULL */
    uint64_t alert_bytes;     /* --alert threshold, 0 = none */
    const char *gate;         /* a --fail-* gate over its limit, with figure and limit; NULL */
    const char *message;      /* status line text (export path, errors); NULL: a hint */
    bool message_error;       /* show the message as an error */
    uint64_t pss_interval_ms; /* how often PSS is read (--pss), for the PSS chart's title; 0: off */
    mw__proc_rows procs;      /* the process table's rows, while st->table is open */
    mw__where_info where;     /* the where overlay's content, while st->where is open */
    /* --compare: another capture drawn over the charts as dots, and a row comparing the two */
    const mw__capture *other; /* NULL: none */
    const char *other_name;   /* its file, for the legends (already safe to show) */
    int64_t other_shift_ns;   /* added to its times to put them on this capture's clock */
    const char *aligned;      /* how: "t=0 at each start", "t=0 at mark 'warm'" */
    const char *compare_line; /* "peak 120 MiB vs 95 MiB (+26%), growth ..., trend ..."; NULL */
    /* Sentences under the figures, one row each, only while true (the program decides): "at
     * this rate RSS uses up MemAvailable (11.8 GiB) in ~3.1 h", --new-cgroup's true peak.
     * Unused entries have text NULL; rows for them only on a screen of 18 rows or more. */
    struct { const char *text; mw__style style; } notes[MW__VIEW_NOTES];
} mw__view_info;

/* Where the view drew a chart last frame, for the mouse (mouse.h): its rectangle, the plot's
 * columns (right of the y-axis labels) and the window they slice into equal times. */
#define MW__PLACES_MAX 8
typedef struct mw__chart_place {
    int x, y, w, h;
    int plot_x, plot_w;
    int chart;                /* its row in mw__charts */
    int64_t t_from, t_to;
    uint64_t from, to;
} mw__chart_place;

/* The dashboard's own state: changed only by mw__ui_apply (keys.h) and read by the view.
 * Initialise with mw__ui_init, free with mw__ui_destroy. */
typedef struct mw__ui_state {
    bool paused;              /* the view is frozen; sampling continues underneath */
    uint64_t paused_at;       /* ring end (samples ever added) when paused: "+N new" */
    uint64_t view_end;        /* while paused: one past the newest sample shown */
    int zoom;                 /* index into the zoom ladder (mw__zoom_span_ns); 0 = all */
    bool help;                /* help overlay shown */
    bool ascii;               /* ASCII charts and markers instead of Unicode */
    bool color;               /* for tui.c: colours allowed (NO_COLOR / monochrome clear it) */
    bool have_baseline;       /* `r` was pressed: growth since then is shown */
    uint64_t baseline_rss;    /* RSS and time of the sample shown when `r` was pressed (kept */
    int64_t baseline_t_ns;    /*   by value: the sample itself may leave the ring) */
    bool prompt;              /* typing a mark label */
    char label[MW__MARK_LABEL_MAX]; /* the label typed (UTF-8), also after Enter for the caller */
    mw__chart_index index;    /* min/max cache over the capture's ring (see chart.h) */
    mw__chart_index other_index; /* ... and over --compare's other capture */
    mw__floor floor;          /* the RSS floor index behind the leak verdict (verdict.h) */
    bool table;               /* the process table is open (key t) */
    size_t table_top;         /* its first row shown (scrolling); the view keeps it in range */
    int table_page;           /* rows it showed last frame: what PgUp / PgDn move by */
    const mw_tree_process **table_order; /* the view's scratch: the rows sorted by RSS (owned) */
    bool where;               /* the "where it went" overlay is open (key w) */
    size_t where_top;         /* its first row shown; the view keeps it in range */
    int where_page;           /* rows it showed last frame (PgUp / PgDn) */
    size_t table_order_cap;
    bool y_zero;              /* key 0: the y-axis starts at 0 (default: fitted to the data) */
    bool wall_time;           /* key T: chart times in local wall-clock time, not elapsed */
    mw__chart_place places[MW__PLACES_MAX]; /* the view's record of its charts (mouse.h) */
    int nplaces;
    const mw__capture *other; /* ... and of --compare's capture drawn over them (info's, kept */
    int64_t other_shift_ns;   /*   by the program until the next frame), for a click's readout */
    const char *other_name;
} mw__ui_state;

void mw__ui_init(mw__ui_state *st);
void mw__ui_destroy(mw__ui_state *st);

/* The zoom ladder: spans in ns, index 0 is 0 = everything. */
#define MW__ZOOM_LEVELS 8
int64_t mw__zoom_span_ns(int zoom);

/* The interval ladder 10ms 20ms 50ms 100ms 250ms 500ms 1s 2s 5s 10s: the next rung faster
 * (shorter) or slower (longer). A value off the ladder snaps to the next rung in that direction
 * (300 -> 250 faster, 500 slower; 60000 -> 10000 faster); with no rung that way (10 faster,
 * 10000 or 60000 slower) the value is returned unchanged. */
uint64_t mw__interval_faster(uint64_t ms);
uint64_t mw__interval_slower(uint64_t ms);

/* The window on screen: samples [from, to) covering times [t_from, t_to] (CLOCK_MONOTONIC ns).
 * empty when the capture has no sample. A paused view scrolled back past the ring's oldest
 * sample ends in the tiers (st->view_end below the ring's first): it then ends with a whole
 * bucket (end_bucket; t_to its last sample's time) and holds no ring sample (from == to == the
 * ring's first). */
typedef struct mw__window {
    bool empty;
    uint64_t from, to;
    int64_t t_from, t_to;
    int64_t t_first;          /* time of the run's first sample (in the tiers once it left the ring) */
    const mw__bucket *end_bucket; /* the window ends in the tiers, with this bucket; NULL: in the ring */
} mw__window;
void mw__view_window(const mw__ui_state *st, const mw__capture *c, mw__window *w);

/* The sequence number of the run's first sample the capture still knows of: the tiers' first
 * when the run outgrew the ring, else the ring's first. */
uint64_t mw__run_first(const mw__capture *c);
/* The run's first sample at or after time t that the capture knows exactly, up to the window's
 * newest: the ring's, or in the tiers the first sample of the bucket holding t (a little before
 * t: buckets know no finer), built in *buf. */
const mw__sample *mw__run_sample_at(const mw__capture *c, const mw__window *w, int64_t t,
                                    mw__sample *buf);
/* The newest sample shown: the ring's, or (a window ending in the tiers) its end bucket's last
 * sample, built in *buf. NULL for an empty window. */
const mw__sample *mw__window_newest(const mw__capture *c, const mw__window *w, mw__sample *buf);

#endif
