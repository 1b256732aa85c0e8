/* SPDX-License-Identifier: MIT */
/* view.h — the whole dashboard screen as a pure function of a capture, program info and UI state. */
#ifndef MW_VIEW_H
#define MW_VIEW_H

#include "canvas.h"
#include "capture.h"
#include "uistate.h"

/* Draw the whole screen on cv at its current size (resize it to the terminal first). Also
 * brings st->index up to date with the capture's ring, hence the non-const state. Never fails;
 * any size from 0x0 up is safe. */
void mw__view_build(mw__canvas *cv, const mw__capture *c, const mw__view_info *info,
                    mw__ui_state *st);

#endif
