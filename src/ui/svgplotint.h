/* SPDX-License-Identifier: MIT */
/* svgplotint.h — --plot's picture inside: the page's geometry and the plot being drawn (svgplot.c, svgheader.c). */
#ifndef MW_SVGPLOTINT_H
#define MW_SVGPLOTINT_H

#include <stdbool.h>
#include <stdint.h>
#include "svgplot.h"
#include "svgtext.h"

/* The page: a header (title, subtitle, legend), then the panels stacked between TOP and BOTTOM
 * over one time axis, whose labels sit under the last panel. */
#define PX0 80
#define PX1 880
#define NCOLS (PX1 - PX0) /* one column per pixel: the most a band ever holds */
#define TOP 72
#define BOTTOM 552
#define GAP 24 /* between panels: the next panel's title */
#define INK "#222222"
#define GRID "#dddddd"
#define PEAK_COLOUR "#c0392b"
#define SPIKE_COLOUR "#e67e00"
#define MARK_COLOUR "#6a3d9a"
#define OTHER_COLOUR "#d81b60" /* --compare: the other capture, dashed, with its own peak dot */
#define ROW 16 /* --compare: the compare line's row pushes the legend and panels down */

typedef struct col {
    uint64_t min, max; /* of the known values in the column */
    uint64_t hwm;      /* highest kernel high-water mark of an HWM_ROSE sample, 0 if none */
    uint32_t n, known; /* samples in the column; those that knew the field */
} col;

typedef struct panel {
    const char *name, *note, *colour;
    const char *who;      /* the other capture's name for its peak label (--compare), or NULL */
    mw__field f;
    bool spikes;          /* mark high-water marks above the column's samples (RSS) */
    int y0, y1;           /* the plot area, top and bottom pixel */
    uint64_t lo, hi, step; /* the axis */
    uint64_t nknown, peak;
    int64_t peak_t;       /* CLOCK_MONOTONIC of the (first) peak sample */
    bool has_spike;
} panel;

typedef struct plot {
    const mw__capture *c;
    const mw__capture *o; /* --compare: the other capture, or NULL */
    const mw__ring *r;
    uint64_t from, to;    /* the ring's samples */
    int64_t t_from, span; /* the time window, ns (span >= 1), in c's clock */
    int64_t anchor;       /* elapsed time 0, in c's clock */
    int64_t shift;        /* added to the drawn capture's times: 0 for c, other_shift for the
                             other capture (--compare) */
    int64_t other_shift;  /* the other capture's times onto c's clock, t=0 on t=0 */
    const char *other_name;
    col cols[NCOLS];
    mw__svgbuf b;
} plot;

/* Title (what was watched, and when in UTC), subtitle, the --compare line, legend. */
void mw__svg_header(plot *pl, const mw__plot_info *info, const panel *ps, int np);

#endif
