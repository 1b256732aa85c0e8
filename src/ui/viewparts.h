/* SPDX-License-Identifier: MIT */
/* viewparts.h — the dashboard's fixed rows and overlays, drawn by viewparts.c for view.c. */
#ifndef MW_VIEWPARTS_H
#define MW_VIEWPARTS_H

#include "canvas.h"
#include "capture.h"
#include "uistate.h"

/* Two header rows at the top: who is watched and how. */
void mw__view_header(mw__canvas *cv, const mw__capture *c, const mw__view_info *info,
                     const mw__ui_state *st);
/* The status line (message, mark prompt, or where the view is) at row y; merged: how coarse the
 * history shown before the ring is ("merged: 64 samples/bucket"), or NULL. */
void mw__view_status(mw__canvas *cv, int y, const mw__view_info *info, const mw__ui_state *st,
                     const char *merged);
/* The key hints at row y. */
void mw__view_footer(mw__canvas *cv, int y, const mw__ui_state *st);
/* A framed box filled blank (the overlays' frame): bw x bh cells from (x0, y0). */
void mw__view_box(mw__canvas *cv, int x0, int y0, int bw, int bh, bool ascii);
/* The "where it went" overlay (key w): the smaps diff the program put in info->where. */
void mw__view_where(mw__canvas *cv, const mw__view_info *info, mw__ui_state *st);
/* The help overlay, centred over whatever is drawn. */
void mw__view_help(mw__canvas *cv, const mw__ui_state *st);
/* ---- a watched cgroup (cgview.c) ---- */
/* Whether s is a sample of a cgroup watched alone (no process: nprocs 0, its figure known). */
bool mw__view_cgroup_only(const mw__sample *s);
/* The limit field f (MW__FIELD_CG_LIMIT or _HIGH) of s as a line to draw: 0 when unknown or
 * "no limit". s may be NULL. */
uint64_t mw__view_cg_line(const mw__sample *s, mw__field f);
/* Its figures from row y, `rows` rows (1: current, peak, limit and headroom; 2: its parts too). */
void mw__view_cgroup_rows(mw__canvas *cv, int y, int rows, const mw__sample *s);
/* The message shown instead of a layout that cannot fit. */
void mw__view_too_small(mw__canvas *cv);

#endif
