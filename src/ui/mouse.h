/* SPDX-License-Identifier: MIT */
/* mouse.h — a mouse event plus where the view drew its charts -> a key to act on, or a readout. */
#ifndef MW_MOUSE_H
#define MW_MOUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"
#include "keys.h"
#include "uistate.h"

/* Why pure: tui.c alone talks to curses and turns its report into this struct; what a click or
 * the wheel means is decided here, where tests can give it any event and any layout. */
typedef enum mw__mouse_button {
    MW__MOUSE_NONE = 0,
    MW__MOUSE_CLICK,      /* the left button went down */
    MW__MOUSE_WHEEL_UP,   /* away from the user */
    MW__MOUSE_WHEEL_DOWN
} mw__mouse_button;

typedef struct mw__mouse {
    int x, y;             /* cell, 0-based from the top left */
    mw__mouse_button button;
    bool ctrl, shift;     /* as the terminal reported them (many report neither on the wheel) */
} mw__mouse;

/* The meaning of ev over the charts the view drew last frame (st->places). Returns a key for the
 * key handling (the wheel scrolls as the arrows do and zooms as z / Z do: one behaviour, one
 * place) or MW__KEY_NONE, and writes to text the click's readout, else "":
 *   wheel over a chart's plot: up = back in time (the left arrow), down = forward (right);
 *   wheel with Ctrl or Shift, or over a chart's time axis row: up = zoom in (z), down = out (Z);
 *   click on a chart: "00:00:12.250  RSS 41.3 MiB", the sample nearest the column's middle;
 *   click or wheel elsewhere: nothing (the readout is cleared). */
mw__key mw__mouse_key(const mw__ui_state *st, const mw__capture *c, const mw__mouse *ev,
                      char *text, size_t n);

#endif
