/* SPDX-License-Identifier: MIT */
/* finish.c — the end of a live run, one path for dashboard and headless: stop, end or leave the command, exit status. */
#include "config.h"

#include <stdio.h>

#include "app.h"
#include "gates.h"
#include "plotfile.h"
#include "summary_json.h"

void app_run_report_output(const app_session *s, bool still_watching)
{
    fprintf(stderr, "memwatch: recording to '%s' failed: %s%s\n", s->opt->output, s->out_err,
            still_watching ? " (still watching; the summary comes at the end)" : "");
}

void app_run_finish(app_session *s, app_run_end *how)
{
    app_session_stop(s);
    app_target *t = &s->target;
    if (!t->launched)
        return;
    if (how->leave_running && !t->reaped) {
        fprintf(stderr, "memwatch: left PID %ld running (its output goes to %s)\n",
                (long)t->pid, t->log_path);
        app_cglaunch_finish(s, true);
        return;
    }
    /* A command still running when memwatch stops (a quit, -t, a signal) is ended with its whole
     * process group, never left behind as an orphan; its status is then not memwatch's. What
     * escaped the group is named. */
    how->ended_by_us = !t->reaped && !app_session_ended(s) && !t->gone;
    app_target_terminate(t, APP_TERMINATE_GRACE_MS);
    app_cglaunch_finish(s, false); /* --new-cgroup: its peak read, what is left killed, removed */
    if (t->job)
        app_job_name_escapees(t);
    app_target_remove_empty_log(t);
}

int app_run_exit_status(const app_session *s, const app_run_end *how)
{
    /* A recording that failed is news a script must get, even after Ctrl-C or a command that
     * exited by itself: the file it asked for is incomplete. */
    if (s->out_failed && !how->reader_gone) {
        if (!how->out_reported)
            app_run_report_output(s, false);
        return APP_EXIT_RUNTIME;
    }
    if (app_promfile_report(s))
        return APP_EXIT_RUNTIME; /* as -o: the file a scraper reads stopped being true */
    if (how->quit_signal)
        return 128 + how->quit_signal;
    int own = 0;
    if (s->opt->mode == APP_MODE_LAUNCH && !how->ended_by_us)
        own = app_target_exit_status(&s->target); /* as time(1) does */
    /* A command that failed by itself fails the job for its own reason; the gate still said. */
    if (own)
        return own;
    return how->gate_tripped ? APP_EXIT_GATE : APP_EXIT_OK;
}

int app_run_conclude(app_session *s, app_run_end *how)
{
    app_gates g;
    app_gates_eval(s, NULL, &g);
    app_gates_report(stderr, &g);
    how->gate_tripped = app_gates_tripped(&g);
    int rc = app_run_exit_status(s, how);
    if (app_summary_json_finish(s, how, &g, rc) != 0)
        rc = APP_EXIT_RUNTIME; /* the document a script asked for is missing */
    if (app_plot_finish(s) != 0)
        rc = APP_EXIT_RUNTIME; /* so is the picture */
    return rc;
}
