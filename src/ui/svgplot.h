/* SPDX-License-Identifier: MIT */
/* svgplot.h — --plot: a capture as an SVG picture (RSS and VSZ over time, peak, marks, spikes). */
#ifndef MW_SVGPLOT_H
#define MW_SVGPLOT_H

#include <stddef.h>
#include <stdint.h>
#include "capture.h"

/* Pure: a capture in, the document's bytes out; no files, no clocks. The size is bounded
 * whatever the number of samples: past one sample per pixel column each column keeps only its
 * min and max (a band), so a million samples make a file of the same size as a thousand. */

typedef struct mw__plot_info {
    const char *title;      /* what was watched: "./server --port 80", "PID 4242 (nginx)";
                               NULL: the capture's command, else its PID */
    uint64_t interval_ms;   /* the sampling interval; 0: estimated from the samples ("~") */
    const char *rss_counts; /* "process", "tree total (-c)"; NULL: from the samples (a tree
                               when one of them counted several processes) */
    const char *other_name; /* --compare: the other capture's name (its file), for the legend */
    const char *align_mark; /* --compare-at: t=0 at this mark in both; NULL: each first sample */
} mw__plot_info;

#define MW__PLOT_WIDTH 900
#define MW__PLOT_HEIGHT 600

/* The picture of the ring's samples of c, into *out (malloc'd, NUL-terminated, *len bytes).
 * Panels: RSS (with the peak, and spikes between samples: kernel high-water marks above every
 * sample), VSZ, and PSS when some sample knew it; an unknown value is a gap, never 0. Marks are
 * vertical lines with their labels. A capture with no samples makes a picture that says so.
 * other (--compare), or NULL: a capture drawn over each panel, dashed in its own colour with its
 * own peak, on one time axis (t=0: each capture's first sample, or its align_mark) and one
 * y-axis over both, with a line comparing their peak, growth and trend; it must hold samples,
 * and align_mark be a mark of both (else MW_EINVAL). Returns 0, MW_EINVAL, MW_ENOMEM. */
int mw__svg_plot(const mw__capture *c, const mw__capture *other, const mw__plot_info *info,
                 char **out, size_t *len);

#endif
