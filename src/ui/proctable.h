/* SPDX-License-Identifier: MIT */
/* proctable.h — the process table overlay (key t): the tree's processes, largest RSS first. */
#ifndef MW_PROCTABLE_H
#define MW_PROCTABLE_H

#include "canvas.h"
#include "uistate.h"

/* Draw the table of p's rows in the rectangle (x, y, w, h) of cv, cleared first:
 *   "processes of PID 4242: 37 (3 not readable)  share of RSS  * the target  ! peak ..."
 *   "    PID   NAME             RSS        PSS  SHARE GROWTH                  SPIKE"
 *   then one row per process, sorted by RSS (largest first, then by PID), from st->table_top.
 * Columns that do not fit drop from the right (PSS only when some row has MW_HAVE_PSS); names
 * are escaped (a process chooses its own bytes). Keeps st->table_top in range and sets
 * st->table_page to the rows shown; sorts in st's scratch buffer (given order if that cannot
 * grow). pid names the watched process in the title. Any size is safe. */
void mw__proctable_draw(mw__canvas *cv, int x, int y, int w, int h, const mw__proc_rows *p,
                        long pid, mw__ui_state *st);

#endif
