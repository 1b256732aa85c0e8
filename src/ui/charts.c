/* SPDX-License-Identifier: MIT */
/* charts.c — the dashboard's chart table: which charts it shows, top to bottom (see chart.h). */
#include "config.h"

#include "chart.h"

const mw__chart_row mw__charts[] = {
    /* title field           style        weight hwm_peaks alert needs        note  pss_cadence */
    {"RSS", MW__FIELD_RSS, MW__ST_RSS, 3, true, true, 0, NULL, false},
    /* PSS only with --pss, once a sweep finished; a page shared by N processes counts 1/N. */
    {"PSS", MW__FIELD_PSS, MW__ST_PSS, 2, false, false, MW_HAVE_PSS, "shared pages divided", true},
    {"VSZ", MW__FIELD_VSZ, MW__ST_VSZ, 2, false, false, 0, NULL, false},
};
const int mw__charts_n = (int)(sizeof(mw__charts) / sizeof(mw__charts[0]));
