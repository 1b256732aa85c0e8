/* SPDX-License-Identifier: MIT */
/* tui.h — the only door to curses: start/stop the terminal, read keys, copy a canvas to the screen. */
#ifndef MW_TUI_H
#define MW_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "keys.h"

/* Owned by the main thread; curses is never touched from any other thread. */
typedef struct mw_tui mw_tui;

/* Can the dashboard run here? stdin and stdout must be a terminal whose TERM curses knows and
 * that can address the cursor. On failure err gets one line (suggesting --no-tui). */
int mw_tui_check(char *err, size_t n);

/* Take over the terminal (alternate screen, no echo, keypad). ascii forces ASCII output; colour
 * is used when the terminal has it and NO_COLOR is not set. Returns 0 or -1 with err set. */
int mw_tui_start(mw_tui **out, bool ascii, char *err, size_t n);
/* Give the terminal back exactly as it was. Idempotent; NULL is a no-op. */
void mw_tui_stop(mw_tui *t);
/* Whether Unicode glyphs may be drawn (UTF-8 locale and not --ascii), and colour is on. */
bool mw_tui_unicode(const mw_tui *t);
bool mw_tui_color(const mw_tui *t);
/* The current terminal size. */
void mw_tui_size(const mw_tui *t, int *w, int *h);
/* Wait up to timeout_ms for a key; returns it as an mw__key, or MW__KEY_NONE on timeout or when
 * a signal interrupted the wait. */
mw__key mw_tui_key(mw_tui *t, int timeout_ms);
/* Copy the canvas to the screen, sending only the cells that changed since the last frame. */
void mw_tui_draw(mw_tui *t, const mw__canvas *cv);
/* Forget what is on screen so the next draw repaints everything (after a resize). */
void mw_tui_invalidate(mw_tui *t);
/* Ring the terminal bell (or flash it). */
void mw_tui_bell(mw_tui *t);

#endif
