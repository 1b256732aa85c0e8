/* SPDX-License-Identifier: MIT */
/* charts.c — the dashboard's chart table: which charts it shows, top to bottom (see chart.h). */
#include "config.h"

#include "chart.h"

const mw__chart_row mw__charts[] = {
    /* title field           style        weight hwm_peaks alert needs        note  pss_cadence */
    /*                                                                    process cg_limits */
    {"RSS", MW__FIELD_RSS, MW__ST_RSS, 3, true, true, 0, NULL, false, true, false},
    /* PSS only with --pss, once a sweep finished; a page shared by N processes counts 1/N. */
    {"PSS", MW__FIELD_PSS, MW__ST_PSS, 2, false, false, MW_HAVE_PSS, "shared pages divided", true,
     true, false},
    {"VSZ", MW__FIELD_VSZ, MW__ST_VSZ, 2, false, false, 0, NULL, false, true, false},
    /* --cgroup: everything charged to it (page cache too), its limit as a line, then its parts
     * as the hierarchy gives them (v1 has no kernel figure: that chart is not drawn). */
    {"cgroup", MW__FIELD_CG_CURRENT, MW__ST_CG, 3, false, false, MW_HAVE_CG_CURRENT,
     "page cache included", false, false, true},
    {"anon", MW__FIELD_CG_ANON, MW__ST_CG_ANON, 1, false, false, MW_HAVE_CG_ANON,
     "cgroup's anonymous", false, false, false},
    {"file", MW__FIELD_CG_FILE, MW__ST_CG_FILE, 1, false, false, MW_HAVE_CG_FILE,
     "cgroup's page cache", false, false, false},
    {"kernel", MW__FIELD_CG_KERNEL, MW__ST_CG_KERNEL, 1, false, false, MW_HAVE_CG_KERNEL,
     "cgroup's kernel memory", false, false, false},
};
const int mw__charts_n = (int)(sizeof(mw__charts) / sizeof(mw__charts[0]));
