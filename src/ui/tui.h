/* SPDX-License-Identifier: MIT */
/* tui.h — the only door to curses: start/stop the terminal, read keys, copy a canvas to the screen. */
#ifndef MW_TUI_H
#define MW_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "keys.h"
#include "mouse.h"

/* Owned by the main thread; curses is never touched from any other thread. */
typedef struct app_tui app_tui;

/* Can the dashboard run here? stdin and stdout must be a terminal whose TERM curses knows and
 * that can address the cursor. On failure err gets one line (suggesting --no-tui). */
int app_tui_check(char *err, size_t n);

/* --color: auto uses colour when the terminal has it and NO_COLOR is unset or empty; always
 * ignores NO_COLOR (still only on a terminal with colours); never draws none. */
typedef enum app_color { APP_COLOR_AUTO = 0, APP_COLOR_ALWAYS, APP_COLOR_NEVER } app_color;
/* Set once from the command line, before app_tui_start (the picker's and the dashboard's). */
void app_tui_set_color(app_color mode);

/* Take over the terminal (alternate screen, no echo, keypad). ascii forces ASCII output; colour
 * follows app_tui_set_color. Returns 0 or -1 with err set. */
int app_tui_start(app_tui **out, bool ascii, char *err, size_t n);
/* Give the terminal back exactly as it was. Idempotent; NULL is a no-op. */
void app_tui_stop(app_tui *t);
/* Whether Unicode glyphs may be drawn (UTF-8 locale and not --ascii), and colour is on. */
bool app_tui_unicode(const app_tui *t);
bool app_tui_color(const app_tui *t);
/* The current terminal size. */
void app_tui_size(const app_tui *t, int *w, int *h);
/* Wait up to timeout_ms for a key; returns it as an mw__key, or MW__KEY_NONE on timeout or when
 * a signal interrupted the wait. */
mw__key app_tui_key(app_tui *t, int timeout_ms);
/* Report the mouse (click, wheel) as MW__KEY_MOUSE keys; off unless called (--no-mouse leaves
 * the terminal's own selection working). app_tui_mouse_last gives that key's event. */
void app_tui_mouse_on(app_tui *t);
const mw__mouse *app_tui_mouse_last(const app_tui *t);
/* Copy the canvas to the screen, sending only the cells that changed since the last frame. */
void app_tui_draw(app_tui *t, const mw__canvas *cv);
/* Forget what is on screen so the next draw repaints everything (after a resize). */
void app_tui_invalidate(app_tui *t);
/* Ring the terminal bell (or flash it). */
void app_tui_bell(app_tui *t);

#endif
