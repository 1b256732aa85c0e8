/* SPDX-License-Identifier: MIT */
/* picker.h — the process picker's screen (memwatch with no target): the model drawn into a canvas. */
#ifndef MW_PICKER_H
#define MW_PICKER_H

#include <stdbool.h>

#include "canvas.h"
#include "proclist.h"

/* What the screen shows beside the model. */
typedef struct mw__picker_opts {
    bool children; /* Enter will watch the tree (-c) */
    bool ascii;
    const char *error; /* a scan that failed: one line instead of the rows, or NULL */
} mw__picker_opts;

/* Draw the whole picker into cv (cleared first):
 *   title  "memwatch: pick a process to watch (yours, by RSS)  12 of 180"
 *   filter "filter: fire_"                                   "tree (-c): off"
 *   header "    PID NAME             RSS    GROWTH COMMAND"
 *   rows, the selection in reverse video, from l->top (kept in range so the selection shows)
 *   help   "Enter watch  c tree  type to filter  Esc clear/quit  q quit"
 * Columns that do not fit drop from the right (COMMAND takes what is left, cut with '…'); the
 * name is escaped. Any size is safe. */
void mw__picker_draw(mw__canvas *cv, mw__proclist *l, const mw__picker_opts *o);
/* Rows of processes the screen of height h shows: PgUp/PgDn move by this. */
int mw__picker_page(int h);
/* The shown row (index into l->shown) on screen row y of a picker last drawn h rows high, or
 * -1 for any other row (title, filter, column names, help, below the last process): what a
 * click lands on. */
long mw__picker_row_at(const mw__proclist *l, int h, int y);

#endif
