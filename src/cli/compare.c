/* SPDX-License-Identifier: MIT */
/* compare.c — --compare: the other capture, loaded at start, and how it lines up with this run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "loadcsv.h"
#include "svgcompare.h"
#include "units.h"

#define LINE_EVERY_NS 1000000000LL /* the line reads both captures whole: once a second */

struct app_compare {
    mw__capture other;
    const char *at;        /* --compare-at, or NULL */
    char name[256];        /* the file's name, escaped for the screen */
    char aligned[160];     /* "t=0 at mark 'warm'" */
    char line[320];        /* mw__compare_line, as of line_ns */
    bool have_line;
    int64_t line_ns;
    uint64_t line_end;     /* the ring's end it was computed for */
};

int app_compare_open(const app_options *o, app_compare **out)
{
    *out = NULL;
    if (!o->compare)
        return 0;
    app_compare *k = calloc(1, sizeof(*k));
    if (!k) {
        fprintf(stderr, "memwatch: --compare: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    int rc = app_capture_load(o->compare, o->history, "--compare", &k->other);
    if (rc != 0) {
        free(k);
        return rc;
    }
    int64_t t;
    k->at = o->compare_at;
    if (k->at && !mw__compare_anchor(&k->other, k->at, &t)) {
        fprintf(stderr, "memwatch: --compare-at: %s has no mark '%s'\n", o->compare, k->at);
        app_compare_free(k);
        return APP_EXIT_USAGE;
    }
    mw__safe_text(k->name, sizeof(k->name), o->compare);
    *out = k;
    return 0;
}

void app_compare_free(app_compare *k)
{
    if (!k)
        return;
    mw__capture_destroy(&k->other);
    free(k);
}

const mw__capture *app_compare_other(const app_compare *k) { return &k->other; }

const char *app_compare_align_mark(const app_compare *k, const mw__capture *c)
{
    int64_t t;
    return k->at && mw__compare_anchor(c, k->at, &t) ? k->at : NULL;
}

void app_compare_fill(app_compare *k, const mw__capture *c, int64_t now_ns, mw__view_info *info)
{
    int64_t a, b;
    const char *at = app_compare_align_mark(k, c);
    char label[4 * MW__MARK_LABEL_MAX];
    if (!mw__compare_anchor(c, at, &a) || !mw__compare_anchor(&k->other, at, &b))
        return; /* no sample of this run yet: nothing to line up */
    if (at)
        snprintf(k->aligned, sizeof(k->aligned), "t=0 at mark '%s'",
                 mw__safe_text(label, sizeof(label), at));
    else if (k->at) /* a live run that has not reached the mark: at the starts until then */
        snprintf(k->aligned, sizeof(k->aligned), "t=0 at each start until mark '%s'",
                 mw__safe_text(label, sizeof(label), k->at));
    else
        snprintf(k->aligned, sizeof(k->aligned), "t=0 at each start");
    uint64_t end = mw__ring_end(&c->ring);
    if (!k->have_line || (end != k->line_end && now_ns - k->line_ns >= LINE_EVERY_NS)) {
        mw__compare_line(k->line, sizeof(k->line), c, &k->other);
        k->have_line = true;
        k->line_ns = now_ns;
        k->line_end = end;
    }
    info->other = &k->other;
    info->other_name = k->name;
    info->other_shift_ns = a - b;
    info->aligned = k->aligned;
    info->compare_line = k->line;
}
