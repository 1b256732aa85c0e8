/* SPDX-License-Identifier: MIT */
/* plotfile.c — --plot FILE.svg: the file made at start, the picture written at the end or from a replay. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "loadcsv.h"
#include "plotfile.h"
#include "svgcompare.h"
#include "svgplot.h"

struct app_plot_out {
    mw__atomicfile *file;
    char *path;
    const app_options *o;
    bool compare;       /* --compare: other holds the other capture */
    mw__capture other;
};

static void say(const char *path, const char *cause)
{
    char err[768];
    mw__file_error(err, sizeof(err), "write the plot to", path, cause);
    fprintf(stderr, "memwatch: --plot: %s\n", err);
}

/* --compare: the other capture, loaded at start; a --compare-at mark it lacks is refused. */
static int open_compare(app_plot_out *f)
{
    int64_t t;
    int rc = app_capture_load(f->o->compare, f->o->history, "--compare", &f->other);
    if (rc != 0)
        return rc;
    f->compare = true;
    if (f->o->compare_at && !mw__compare_anchor(&f->other, f->o->compare_at, &t)) {
        fprintf(stderr, "memwatch: --compare-at: %s has no mark '%s'\n", f->o->compare,
                f->o->compare_at);
        return APP_EXIT_USAGE;
    }
    return 0;
}

int app_plot_open(const app_options *o, app_plot_out **out)
{
    *out = NULL;
    if (!o->plot)
        return 0;
    app_plot_out *f = calloc(1, sizeof(*f));
    if (!f || !(f->path = strdup(o->plot))) {
        free(f);
        fprintf(stderr, "memwatch: --plot: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    f->o = o;
    if (mw__atomicfile_create(o->plot, false, &f->file) != 0) {
        say(o->plot, strerror(errno));
        free(f->path);
        free(f);
        return APP_EXIT_USAGE;
    }
    int rc = o->compare ? open_compare(f) : 0;
    if (rc != 0) {
        app_plot_discard(f);
        return rc;
    }
    *out = f;
    return 0;
}

void app_plot_discard(app_plot_out *f)
{
    if (!f)
        return;
    mw__atomicfile_destroy(f->file);
    if (f->compare)
        mw__capture_destroy(&f->other);
    free(f->path);
    free(f);
}

/* Draw, write, commit, free f. One line and -1 on failure. */
static int write_plot(app_plot_out *f, const mw__capture *c, const mw__plot_info *info)
{
    char *svg = NULL;
    size_t len = 0;
    int rc = mw__svg_plot(c, f->compare ? &f->other : NULL, info, &svg, &len);
    int e = ENOMEM;
    if (rc == 0) {
        rc = mw__atomicfile_write(f->file, svg, len);
        if (rc == 0)
            rc = mw__atomicfile_commit(f->file);
        e = errno;
    }
    if (rc != 0)
        say(f->path, strerror(e));
    free(svg);
    app_plot_discard(f);
    return rc ? -1 : 0;
}

int app_plot_finish(app_session *s)
{
    app_plot_out *f = s->plot;
    if (!f)
        return 0;
    s->plot = NULL;
    mw__capture_settle_marks(&s->cap);
    char title[320];
    if (s->opt->mode != APP_MODE_PID && s->cap.command[0]) /* what the user ran */
        snprintf(title, sizeof(title), "%s", s->cap.command);
    else /* the PID is what the user named */
        snprintf(title, sizeof(title), "PID %ld%s%s", (long)s->target.pid,
                 s->cap.command[0] ? ": " : "", s->cap.command);
    mw__plot_info info = {
        .title = title,
        .interval_ms = s->interval_ms,
        .rss_counts = s->opt->children ? "tree total (-c)" : "process",
        .other_name = s->opt->compare,
    };
    return write_plot(f, &s->cap, &info);
}

int app_plot_replayed(app_plot_out *f, const app_options *o, const mw__capture *c)
{
    char title[320];
    snprintf(title, sizeof(title), "PID %ld (%s)", (long)c->pid, o->replay_path);
    mw__plot_info info = {.title = c->command[0] ? NULL : title, .other_name = o->compare,
                          .align_mark = o->compare_at};
    int64_t t;
    if (o->compare_at && !mw__compare_anchor(c, o->compare_at, &t)) {
        fprintf(stderr, "memwatch: --compare-at: %s has no mark '%s'\n", o->replay_path,
                o->compare_at);
        app_plot_discard(f);
        return APP_EXIT_USAGE;
    }
    return write_plot(f, c, &info) == 0 ? APP_EXIT_OK : APP_EXIT_RUNTIME;
}
