/* SPDX-License-Identifier: MIT */
/* main.c — memwatch's entry point: parse options, pick the mode, and run it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "compare.h"
#include "csv.h"
#include "loadcsv.h"
#include "summary_json.h"
#include "markctl.h"
#include "outnames.h"
#include "plotfile.h"
#include "tui.h"
#include "units.h"

static int check_terminal(void)
{
    char err[256];
    if (app_tui_check(err, sizeof(err)) != 0) {
        fprintf(stderr, "memwatch: %s\n", err);
        return APP_EXIT_USAGE;
    }
    return 0;
}

static int run_replay(const app_options *o)
{
    app_plot_out *plot; /* --plot: made first, so a name taken is said before a long load */
    int rc = app_plot_open(o, &plot);
    if (rc != 0)
        return rc;
    mw__capture cap;
    if ((rc = app_capture_load(o->replay_path, o->history, "--replay", &cap)) != 0) {
        app_plot_discard(plot);
        return rc;
    }
    app_compare *k = NULL;
    if ((rc = app_compare_open(o, &k)) == 0 && k && o->compare_at &&
        !app_compare_align_mark(k, &cap)) { /* a saved run will not reach it: refused */
        fprintf(stderr, "memwatch: --compare-at: %s has no mark '%s'\n", o->replay_path,
                o->compare_at);
        rc = APP_EXIT_USAGE;
    }
    if (rc != 0)
        app_plot_discard(plot);
    else if (plot) /* the picture instead of the dashboard: no terminal needed */
        rc = app_plot_replayed(plot, o, &cap, k);
    else if ((rc = check_terminal()) == 0)
        rc = app_dashboard_run(NULL, &cap, k, o);
    app_compare_free(k);
    mw__capture_destroy(&cap);
    return rc;
}

static int start_target(const app_options *o, app_target *t)
{
    memset(t, 0, sizeof(*t));
    switch (o->mode) {
    case APP_MODE_LAUNCH: { /* headless -o - or --summary-json -: its stdout is not memwatch's */
        mw__cgroup_where cw = {0};
        int cgfd = -1, rc;
        if (o->new_cgroup && (rc = app_cglaunch_prepare(o, &cw, &cgfd)) != 0)
            return rc;
        rc = app_launch(o->command, o->log_path, !o->no_tui,
                        app_output_is_stdout(o) || app_summary_json_to_stdout(o), cgfd, t);
        app_cglaunch_adopt(t, &cw, cgfd, rc == 0);
        return rc;
    }
    case APP_MODE_DEMO: return app_demo_launch(t);
    case APP_MODE_CGROUP: return app_cgroup_resolve(o->cgroup, t);
    default: break;
    }
    t->pid = o->pid;
    /* One real sample now, so a PID that is missing or closed to us is reported before any file
     * is created or the terminal is touched. */
    mw_stats probe;
    int rc = mw_get_process_memory_stats(o->pid, &probe);
    mw_process_info info;
    if (rc == MW_ENOPROC && mw_process_get_info(o->pid, &info) == 0 &&
        (info.state == 'Z' || info.state == 'X')) {
        char name[4 * sizeof(info.name)]; /* its own choice of bytes: escaped for the terminal */
        fprintf(stderr, "memwatch: PID %ld (%s) has already exited: it is a zombie, waiting for "
                        "its parent to collect its status\n", (long)o->pid,
                mw__safe_text(name, sizeof(name), info.name));
        return APP_EXIT_USAGE;
    }
    if (rc == MW_ENOPROC || rc == MW_EPERM || rc == MW_EUNSUPPORTED || rc == MW_EKTHREAD)
        return app_report_watch_error(o->pid, rc);
    app_target_refresh(t); /* a system error, if any, is reported when sampling starts */
    return 0;
}

/* The -o stream: a new file, or a copy of standard output for -o - (the stream closes its copy;
 * stdout itself stays). Prints one line and returns the exit status on failure. */
static int open_output(const app_options *o, mw__csv_stream **out)
{
    *out = NULL;
    char err[512];
    if (!o->output)
        return 0;
    const mw__export_format *fmt = mw__export_find(o->format ? o->format : "csv");
    if (!app_output_is_stdout(o)) {
        if (mw__stream_open(o->output, fmt, out, err, sizeof(err)) == 0)
            return 0;
        fprintf(stderr, "memwatch: %s\n", err);
        return APP_EXIT_USAGE;
    }
    int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) {
        fprintf(stderr, "memwatch: cannot record to standard output: %s\n", strerror(errno));
        return APP_EXIT_USAGE;
    }
    if (mw__stream_open_fd(fd, "standard output", fmt, out) != 0) {
        fprintf(stderr, "memwatch: cannot record to standard output: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    return 0;
}

/* The files a live run writes, each made at start so that a failure is an error before anything
 * is launched: the -o stream, the --summary-json document, the --prom-textfile. */
typedef struct app_files {
    mw__csv_stream *out;
    app_summary_out *summary;
    app_promfile *prom;
    app_plot_out *plot;
    app_compare *compare; /* not a file written, but read at start like them: --compare */
} app_files;

static void discard_files(app_files *f)
{
    mw__csv_stream_discard(f->out);
    app_summary_json_discard(f->summary);
    app_promfile_discard(f->prom);
    app_plot_discard(f->plot);
    app_compare_free(f->compare);
    *f = (app_files){0};
}

/* Opens them all or none: one made before a later one fails is taken back. */
static int open_files(const app_options *o, app_files *f)
{
    int rc;
    *f = (app_files){0};
    if ((rc = app_compare_open(o, &f->compare)) != 0 || (rc = open_output(o, &f->out)) != 0 || (rc = app_summary_json_open(o, &f->summary)) != 0 ||
        (rc = app_promfile_open(o, &f->prom)) != 0 || (rc = app_plot_open(o, &f->plot)) != 0) {
        discard_files(f);
        return rc;
    }
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, ""); /* the dashboard draws Unicode only in a UTF-8 locale */
    app_options o;
    int rc = app_options_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.demo_child)
        app_demo_workload();
    if (o.mark_pid)
        return app_mark_client(o.mark_pid, o.mark_label);
    app_signals_install();
    app_tui_set_color((app_color)o.color);

    /* A replay's file problems come first: they are what the user needs to hear about. */
    if (o.mode == APP_MODE_REPLAY)
        return run_replay(&o);
    if ((rc = app_outputs_distinct(&o)) >= 0) /* two outputs on one file: refused by name */
        return rc;
    /* No target: the picker (or -n NAME) chooses one, then it is `memwatch PID`. */
    if (o.mode == APP_MODE_PICK && (rc = app_pick_run(&o)) >= 0)
        return rc;
    if (o.mode == APP_MODE_NAME && (rc = app_name_resolve(&o)) >= 0)
        return rc;
    /* A bad PID is the first thing to hear about; then the terminal and the -o file are checked
     * before launching anything, so a failure leaves nothing behind (no process started, no
     * stray log or capture file). */
    app_target t;
    bool early = o.mode == APP_MODE_PID || o.mode == APP_MODE_CGROUP; /* nothing to launch */
    if (early && (rc = start_target(&o, &t)) != 0)
        return rc;
    if (!o.no_tui && (rc = check_terminal()) != 0)
        return rc;
    app_files f;
    if ((rc = open_files(&o, &f)) != 0)
        return rc;

    /* A run that cannot start takes back the files it made: nothing is left behind. */
    if (!early && (rc = start_target(&o, &t)) != 0) {
        discard_files(&f);
        return rc;
    }
    app_session s;
    rc = app_session_open(&s, &o, &t, f.out);
    s.summary = f.summary; /* ours to discard below, or written at the run's end */
    s.prom = f.prom;       /* the session's from here: rewritten as it polls, freed with it */
    s.plot = f.plot;       /* as the summary */
    s.compare = f.compare; /* borrowed: freed below */
    if (rc != 0) {
        app_promfile_discard(s.prom);
        s.prom = NULL;
        app_target_terminate(&s.target, APP_TERMINATE_GRACE_MS);
        app_cglaunch_finish(&s, false); /* --new-cgroup: emptied and removed, as at the end */
        app_target_remove_empty_log(&s.target); /* the dashboard's default log, as at the end */
        mw__csv_stream_discard(s.out);
        s.out = NULL;
        app_summary_json_discard(s.summary);
        app_plot_discard(s.plot);
        app_session_destroy(&s);
        app_compare_free(f.compare);
        return rc;
    }
    rc = o.no_tui ? app_headless_run(&s) : app_dashboard_run(&s, NULL, NULL, &o);
    app_summary_json_discard(s.summary); /* a run that ended without its summary (EPIPE) */
    app_plot_discard(s.plot);
    app_session_destroy(&s);
    app_compare_free(f.compare);
    return rc;
}
