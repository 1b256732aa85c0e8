/* SPDX-License-Identifier: MIT */
/* keys.h — keys to actions, and the pure UI state transitions they cause (no curses here). */
#ifndef MW_KEYS_H
#define MW_KEYS_H

#include <stdint.h>
#include "capture.h"
#include "uistate.h"

/* A key as tui.c reports it: a Unicode code point (>= 0) for ordinary characters, or one of
 * these negative codes. Enter, Backspace, Esc and Ctrl-C also arrive as plain control codes
 * ('\r' / '\n', 127 / 8, 27, 3); both forms are understood. */
typedef int32_t mw__key;
enum {
    MW__KEY_NONE = -1,
    MW__KEY_LEFT = -2,
    MW__KEY_RIGHT = -3,
    MW__KEY_HOME = -4,
    MW__KEY_END = -5,
    MW__KEY_ESC = -6,
    MW__KEY_ENTER = -7,
    MW__KEY_BACKSPACE = -8,
    MW__KEY_CTRL_C = -9,
    MW__KEY_RESIZE = -10,
    MW__KEY_UP = -11,
    MW__KEY_DOWN = -12,
    MW__KEY_F1 = -13,
    MW__KEY_F10 = -14,
    MW__KEY_PGUP = -15,
    MW__KEY_PGDN = -16,
    MW__KEY_MOUSE = -17   /* a click or a wheel turn: the event is app_tui_mouse_last's */
};

typedef enum mw__action {
    MW__ACT_NONE = 0,
    /* for the caller: side effects the pure state cannot perform */
    MW__ACT_QUIT,         /* restore the terminal and leave (ask first about an unexported
                             capture, then about a launched child that runs) */
    MW__ACT_FASTER,       /* set the sampler to mw__interval_faster(current) */
    MW__ACT_SLOWER,       /* set the sampler to mw__interval_slower(current) */
    MW__ACT_EXPORT,       /* write the capture to CSV, put the result in the status message */
    MW__ACT_MARK,         /* mw__capture_mark(capture, st->label) */
    MW__ACT_REDRAW,       /* the terminal was resized */
    MW__ACT_ZOOM_IN_LIMIT,  /* z changed nothing (closest step, or all shorter than it): say so */
    MW__ACT_ZOOM_OUT_LIMIT, /* Z changed nothing (everything is on screen): say so */
    MW__ACT_TABLE_OPENED, /* t opened the process table: fetch its rows, or close it again
                             (st->table = false) and say why (no -c, replay) */
    MW__ACT_WHERE_OPENED, /* w opened the "where it went" overlay: read smaps (off the main
                             thread) and show the diff, or close it again and say why (replay) */
    MW__ACT_WHERE_EXPORT, /* e over that overlay: write its diff to CSV, say where */
    /* handled by mw__ui_apply */
    MW__ACT_PAUSE,        /* toggle */
    MW__ACT_LEFT,         /* scroll back a quarter of the window (pauses the view) */
    MW__ACT_RIGHT,
    MW__ACT_HOME,         /* the run's first sample, in the tiers once old (pauses the view) */
    MW__ACT_END,          /* newest sample (stays paused: space resumes) */
    MW__ACT_ZOOM_IN,
    MW__ACT_ZOOM_OUT,
    MW__ACT_BASELINE,     /* growth "since baseline" counts from the newest sample shown */
    MW__ACT_HELP,         /* toggle the help overlay */
    MW__ACT_CLOSE,        /* Esc, or q over the help: close the help overlay (else the table) */
    MW__ACT_TABLE,        /* t: open / close the process table (opening returns TABLE_OPENED) */
    MW__ACT_TABLE_UP,     /* scroll the open table by a row / a page (nothing when closed) */
    MW__ACT_TABLE_DOWN,
    MW__ACT_TABLE_PGUP,
    MW__ACT_TABLE_PGDN,
    MW__ACT_WHERE,        /* w: open / close the "where it went" overlay (opening returns
                             WHERE_OPENED); the arrows scroll it while it is open */
    MW__ACT_MARK_BEGIN,   /* open the label prompt */
    MW__ACT_PROMPT_CHAR,  /* append the key to the label */
    MW__ACT_PROMPT_BACK,  /* delete the label's last character */
    MW__ACT_MARK_CANCEL,  /* close the prompt, no mark */
    MW__ACT_Y_ZERO,       /* toggle: the y-axis starts at 0 instead of fitting the data */
    MW__ACT_WALL_TIME     /* toggle: chart times as wall-clock time instead of elapsed */
} mw__action;

/* ---- The key table ----------------------------------------------------------------------------
 * Every key the dashboard knows, once: the key handling, the help overlay (one line per row, in
 * table order) and the footer (rows with a footer place, in that order) read it, and
 * tests/keytable.c prints it for tests/e2e/ship_docs.sh, which checks that README.md and
 * memwatch.1 name the same keys. Adding a key: one row here (and its action above if new). */
#define MW__KEYROW_BINDS 4

typedef struct mw__keybind {
    mw__key key;              /* 0 ends the list (NUL is never a key) */
    mw__action action;
} mw__keybind;

typedef struct mw__keyrow {
    mw__keybind bind[MW__KEYROW_BINDS];
    const char *help_keys;    /* the help overlay's key column; arrows in Unicode (ASCII mode
                                 spells them <- ->) */
    const char *help;         /* the help overlay's text */
    int footer;               /* place in the footer, 1 first; 0: not in the footer */
    const char *footer_keys;
    const char *footer_label;
    const char *footer_label_paused; /* NULL: footer_label */
} mw__keyrow;

extern const mw__keyrow mw__keytab[];
extern const int mw__keytab_n;

/* What a key means in the current state (the prompt takes typed characters first). */
mw__action mw__key_action(const mw__ui_state *st, mw__key k);

/* Apply an action's pure part to st; returns the action the caller must still carry out
 * (QUIT, FASTER, SLOWER, EXPORT, MARK, REDRAW, ZOOM_*_LIMIT, TABLE_OPENED, WHERE_OPENED,
 * WHERE_EXPORT) or MW__ACT_NONE.
 * k is the key that produced it (used by PROMPT_CHAR). c may be NULL for actions that do not
 * look at the data. */
mw__action mw__ui_apply(mw__ui_state *st, mw__action a, mw__key k, const mw__capture *c);

/* Both at once: the usual call from the input loop. */
mw__action mw__ui_key(mw__ui_state *st, mw__key k, const mw__capture *c);

#endif
