/* SPDX-License-Identifier: MIT */
/* plotfile.c — --plot FILE.svg: the file made at start, the picture written at the end or from a replay. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "compare.h"
#include "plotfile.h"
#include "svgplot.h"

struct app_plot_out {
    mw__atomicfile *file;
    char *path;
    const app_options *o;
};

static void say(const char *path, const char *cause)
{
    char err[768];
    mw__file_error(err, sizeof(err), "write the plot to", path, cause);
    fprintf(stderr, "memwatch: --plot: %s\n", err);
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
    *out = f;
    return 0;
}

void app_plot_discard(app_plot_out *f)
{
    if (!f)
        return;
    mw__atomicfile_destroy(f->file);
    free(f->path);
    free(f);
}

/* Draw, write, commit, free f. One line and -1 on failure. */
static int write_plot(app_plot_out *f, const mw__capture *c, const app_compare *k,
                      const mw__plot_info *info)
{
    char *svg = NULL;
    size_t len = 0;
    int rc = mw__svg_plot(c, k ? app_compare_other(k) : NULL, info, &svg, &len);
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
    if (s->compare) {
        info.align_mark = app_compare_align_mark(s->compare, &s->cap);
        if (s->opt->compare_at && !info.align_mark)
            fprintf(stderr, "memwatch: --compare-at: this run has no mark '%s': the plot aligns "
                            "both captures at their first samples\n", s->opt->compare_at);
    }
    return write_plot(f, &s->cap, s->compare, &info);
}

int app_plot_replayed(app_plot_out *f, const app_options *o, const mw__capture *c,
                      const app_compare *k)
{
    char title[320];
    snprintf(title, sizeof(title), "PID %ld (%s)", (long)c->pid, o->replay_path);
    mw__plot_info info = {.title = c->command[0] ? NULL : title, .other_name = o->compare,
                          .align_mark = o->compare_at};
    return write_plot(f, c, k, &info) == 0 ? APP_EXIT_OK : APP_EXIT_RUNTIME;
}
