/* SPDX-License-Identifier: MIT */
/* app.h — what memwatch's modes share: the watched target, and a live session feeding a capture. */
#ifndef MW_APP_H
#define MW_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "capture.h"
#include "cgroup.h"
#include "csv.h"
#include "gaps.h"
#include "headroom.h"
#include "memwatch.h"
#include "sample.h"
#include "options.h"

/* ---- the target process ------------------------------------------------------------------------ */
typedef struct app_target {
    pid_t pid;
    bool launched;          /* memwatch started it (launch or demo mode) and must reap it */
    bool gone;              /* known to have ended (or its PID was reused) */
    bool reused;            /* its PID now belongs to another process */
    bool reaped;            /* launched and waited for: status is known */
    int wait_status;        /* waitpid status, when reaped */
    uint64_t maxrss_bytes;  /* the kernel's max RSS for it, from wait4 (0 if unknown) */
    mw_process_info info;   /* latest description */
    bool have_info;
    uint64_t start_time;    /* start time seen first: a different one means PID reuse */
    char first_name[64];    /* name seen first: a different one means it exec'd */
    char log_path[4096];    /* launched: where its stdout/stderr go ("": memwatch's own) */
    bool log_remove_if_empty; /* the dashboard's default log: removed at the end when empty */
    dev_t log_dev;          /* the log memwatch created, so that only that file is removed */
    ino_t log_ino;
    pid_t pgid;             /* launched: its own process group (its PID), 0 for the demo and
                             * once the group is empty (the number may then be a stranger's) */
    bool job;               /* launched as a job (jobs.c): own group, orphans adopted */
    bool tty_lent;          /* headless: the terminal (tty_fd) is lent to the command's group */
    int tty_fd;
    bool ending;            /* memwatch is ending it: a stop is not relayed (jobs.c) */
    bool signalled;         /* memwatch signalled the command while it ran: its SIGKILL may be
                             * memwatch's, not the OOM killer's (limits.c) */
    pid_t ppid_at_start;    /* demo child: its parent, to notice the parent's death */
    /* --new-cgroup: the command's own memory cgroup (cglaunch.c), joined before exec; "" when
     * none or once removed. A cgroup watch can be pointed at this directory. */
    char cgroup_path[MW__CG_PATH_MAX];
    int cgroup_version;     /* 1 or 2 */
    /* --cgroup (cgwatch.c): the memory cgroup the watcher samples; with pid 0, alone. */
    char cg_watch[MW__CG_PATH_MAX]; /* its directory, as mw__cgroup_find resolved it ("": none) */
    int cg_watch_version;   /* 1 or 2 */
    bool cg_removed;        /* the watch ended because it was removed */
} app_target;

/* Describe the target's state for humans: "running", "sleeping", "exited (status 3)",
 * "killed by SIGKILL", "exited", "PID reused by another process". */
void app_target_state_text(const app_target *t, char *buf, size_t n);
/* True when the target's name differs from the one first seen: it ran exec. */
bool app_target_execd(const app_target *t);
/* Refresh info; notices exec (name change) and PID reuse. Main thread. */
void app_target_refresh(app_target *t);
/* Launched targets: reap without blocking. Returns true if it was reaped just now. With the
 * terminal lent to the command, a stop (Ctrl-Z) is relayed to memwatch's own job first. */
bool app_target_reap(app_target *t);
/* Record a launched target's wait status (and rusage, for its max RSS): it is reaped. */
void app_target_set_status(app_target *t, int status, const struct rusage *ru);
/* Launched targets: the command's whole process group gets SIGTERM, then SIGKILL after
 * grace_ms; reaps the command; a group left behind by a command that already ended is ended
 * the same way (and said so); the terminal, if lent, is taken back. (jobs.c) */
void app_target_terminate(app_target *t, int grace_ms);
/* Remove the dashboard's default log if it is still the empty file memwatch created. */
void app_target_remove_empty_log(const app_target *t);

/* ---- the launched command as a job (jobs.c) ----------------------------------------------------
 * It leads its own process group; headless, when memwatch is the terminal's foreground job, the
 * terminal is lent to that group (see jobs.c for why). */
/* Before fork: adopt orphans; lend_tty (headless): the terminal's fd when memwatch is in its
 * foreground (SIGTTOU then blocked, SIGCHLD wakes the headless loop), else -1. */
int app_job_prepare(bool lend_tty);
/* In the child before exec: lead a new group; take the terminal if tty_fd >= 0. */
void app_job_child_enter(int tty_fd);
/* In the parent after fork: the same from its side (whichever runs first), recorded in t. */
void app_job_parent_enter(app_target *t, pid_t pid, int tty_fd);
/* The command was stopped (Ctrl-Z): stop memwatch's job too; once continued, continue it. */
void app_job_relay_stop(app_target *t);
/* Take the terminal back if the command's group holds it (not from a shell after `bg`); close it. */
void app_job_release_tty(app_target *t);
/* Collect orphans adopted by memwatch that have exited (never the command itself). */
void app_job_reap_adopted(const app_target *t);
/* Each poll of a job, reaped or not: collect exited adopted orphans; forget the group's number
 * (pgid = 0) once the group is empty, so that no stranger's group is ever signalled. */
void app_job_poll(app_target *t);
/* After the group has ended: name on stderr every process still running below memwatch. */
void app_job_name_escapees(const app_target *t);
/* Exit status memwatch should end with for a reaped launched target (code, or 128+signal). */
int app_target_exit_status(const app_target *t);

/* Launch argv (fork+execvp, never a shell) in its own process group. Its stdout/stderr go to
 * log_path if given, else with own_tty (the dashboard owns the terminal) to a new
 * memwatch-PID.log in the current directory, else stay memwatch's (headless, as under time(1)).
 * A log is always a new file: an existing path or a link is refused. own_tty: the command gets
 * /dev/null as stdin; headless it keeps memwatch's stdin and, when memwatch is the terminal's
 * foreground job, the terminal. On failure prints one line, leaves no log, and returns the exit
 * status to use (2 when the command cannot be run or the log not created); 0 on success.
 * stdout_is_capture (headless -o -): with no log, the command's stdout goes to memwatch's stderr,
 * so that it never lands in the CSV on memwatch's stdout. */
int app_launch(char **argv, const char *log_path, bool own_tty, bool stdout_is_capture,
               int cgroup_procs_fd, app_target *t);
/* (cgroup_procs_fd: >= 0, --new-cgroup's cgroup.procs: the child joins it before exec, and a
 * failure to is reported as the launch's.) */
/* Fork the built-in demo workload as a child. Returns 0 or an exit status. */
int app_demo_launch(app_target *t);
/* The demo workload itself (runs in the child; never returns). */
void app_demo_workload(void) __attribute__((noreturn));

/* ---- --cgroup (cgwatch.c) ---------------------------------------------------------------------- */
/* Resolve --cgroup's spec into t (pid 0: no process) and check its memory files open. On
 * failure one line on stderr; returns APP_EXIT_USAGE (no mount, not a cgroup, no memory
 * controller, no permission, none or several of that name) or 0. */
int app_cgroup_resolve(const char *spec, app_target *t);
/* Whether t is a cgroup watched alone (no process). */
bool app_cgroup_only(const app_target *t);
/* The cgroup's state for humans: "watched", "removed". */
void app_cgroup_state_text(const app_target *t, char *buf, size_t n);
/* The end of the watch, for stderr: "cgroup PATH was removed" (n bytes; "" if it was not). */
void app_cgroup_end_text(const app_target *t, char *buf, size_t n);
/* A stored sample's cgroup events (MW_SAMPLE_CG_*) as marks on the capture's newest sample:
 * "oom_kill", "at limit", "over high". */
void app_cgroup_mark_events(mw__capture *c, unsigned flags);
struct app_session;
/* Count a sample's events into s->cg_events and mark them (app_cgroup_mark_events); headless,
 * one stderr line each ("memwatch: cgroup: oom_kill at 00:00:02.800"). */
void app_cgroup_note_events(struct app_session *s, unsigned flags);
struct app_json;
/* --summary-json's "cgroup": null without one; else its path, version, whether it was removed,
 * its limit at the end (null: none) and memory.high (null: none or v1), the kernel's peak and
 * the headroom left (null without a limit), and the samples with each event. */
void app_cgroup_json(struct app_json *j, const struct app_session *s);
/* The summary of a cgroup watched alone (headless.c's app_summary_print calls it). */
void app_cgroup_summary_print(FILE *f, const struct app_session *s);

/* ---- signals (signals.c) ----------------------------------------------------------------------- */
/* Set by the handlers for SIGINT, SIGTERM, SIGHUP: the signal number, 0 if none. */
extern volatile sig_atomic_t app_quit_signal;
/* Set by SIGUSR1's handler: add an unlabelled mark (taken by app_session_poll, markctl.c). */
extern volatile sig_atomic_t app_mark_signal;
/* Install the quit handlers (no SA_RESTART so blocking waits return) and SIGUSR1's; ignore
 * SIGPIPE. */
void app_signals_install(void);
/* In a forked child before exec: undo app_signals_install (default dispositions). */
void app_signals_restore(void);

/* ---- a live session: watcher -> capture (+ -o file) ---------------------------------------- */

typedef struct app_summary_out app_summary_out; /* --summary-json's file (summary_json.c) */

/* The ceilings memory can reach, read at most once a second (limits.c). */
typedef struct app_limits {
    int64_t read_ns;        /* when last read (0: never) */
    bool have_avail;        /* MemAvailable known */
    uint64_t avail;
    bool have_as;           /* the target has a soft RLIMIT_AS (not unlimited) */
    uint64_t as;
    bool have_oom0;         /* the machine's OOM kill count at the start */
    uint64_t oom0;
    bool have_oom1;         /* ... and when the target was first seen gone: kills after that */
    uint64_t oom1;          /*     (a dashboard left open) are not the run's */
} app_limits;
typedef struct app_plot_out app_plot_out;       /* --plot's file (plotfile.c) */

typedef struct app_session {
    const app_options *opt;
    app_target target;
    mw_watcher *watcher;
    uint64_t interval_ms;   /* current sampling interval */
    mw__capture cap;
    mw__gaps gaps;          /* times between samples over twice the interval (header, summary) */
    uint64_t next_seq;      /* next watcher sample to copy into the capture */
    mw_stats *buf;          /* drain buffer */
    size_t bufcap;
    int end_reason;         /* why the sampler ended by itself (0 while running) */
    bool peak_reset_warned; /* --interval-peaks failure already handed out (once per run) */
    uint32_t pss_unreadable_said; /* --pss: the unreadable count last handed out */
    /* -o FILE */
    mw__csv_stream *out;
    bool out_failed;
    int out_errno;          /* errno of the failure (EPIPE: the reader went away) */
    char out_err[512];
    uint64_t out_rows;      /* complete rows that reached the -o file (set when it is closed) */
    uint32_t cg_events[3];  /* --cgroup: samples with an oom_kill, at limit, over high event */
    bool out_held;          /* the newest sample's row is not written yet: marks may still join
                             * it; written when the next sample comes or the session is closed */
    int64_t last_flush_ns;
    struct app_promfile *prom; /* --prom-textfile, or NULL (promfile.c) */
    /* --alert */
    bool alert_crossed;     /* RSS is at/above the threshold */
    bool alert_fired;       /* crossed at least once: ring the bell once */
    int64_t started_ns;     /* CLOCK_MONOTONIC when the session began */
    int64_t last_info_ns;   /* when the target's info was last refreshed */
    app_summary_out *summary; /* --summary-json: made at start, written by app_run_conclude */
    app_plot_out *plot;       /* --plot: made at start, drawn by app_run_conclude */
    struct app_compare *compare; /* --compare's capture (borrowed from main.c), or NULL */
    struct app_markctl *ctl; /* marks from outside: the control socket and SIGUSR1 (markctl.h) */
    app_limits lim;         /* MemAvailable, RLIMIT_AS, the OOM count at start (limits.c) */
    bool cg_have_end;       /* --new-cgroup: its figures read at the end, before removal */
    mw__cgroup_sample cg_end;
    mw__cgroup *cg_live;    /* ... and while it runs, read with the limits (once a second) */
    bool cg_have_now;
    mw__cgroup_sample cg_now;
} app_session;

/* ---- limits and the OOM killer (limits.c) ------------------------------------------------------ */
/* At the session's start: the OOM kill count, and the first reading of the ceilings. */
void app_limits_start(app_session *s);
/* Re-read MemAvailable and the target's RLIMIT_AS if a second has passed (each poll). */
void app_limits_refresh(app_session *s);
/* The time to the nearest ceiling (headroom.h): MemAvailable for RSS, RLIMIT_AS for VSZ (not
 * with --cgroup alone), the sampled cgroup's limit (--cgroup's or --new-cgroup's; MemAvailable
 * when it has none) for its usage, and the nextra ceilings the caller adds. False, out
 * cleared, when nothing is true enough to say. */
bool app_headroom(const app_session *s, const mw__ceiling *extra, size_t nextra, mw__headroom *out);
/* "killed by the OOM killer at RSS 31.9 MiB (limit 32.0 MiB), last sampled": the target ended
 * (a launched one by SIGKILL) and an OOM kill count rose (--new-cgroup's own, else the
 * machine's); false otherwise. */
bool app_oom_text(const app_session *s, char *buf, size_t n);

/* ---- --new-cgroup (cglaunch.c) ---------------------------------------------------------------- */
/* Before launching: make the cgroup (and its --cgroup-limit), open its cgroup.procs. Prints one
 * line and returns the exit status on failure (2: not permitted or no memory controller). */
int app_cglaunch_prepare(const app_options *o, mw__cgroup_where *w, int *procs_fd);
/* After app_launch: close procs_fd; record w in t, or remove it when nothing was launched. */
void app_cglaunch_adopt(app_target *t, const mw__cgroup_where *w, int procs_fd, bool launched);
/* At the run's end, the command's group ended: read the cgroup's final figures into s, then
 * kill what is left in it and remove it (leave_running: leave it, and say where). Also on
 * error paths; a no-op without a cgroup. */
void app_cglaunch_finish(app_session *s, bool leave_running);
/* The summary's line: the kernel's peak of the whole tree, incl. page cache. */
void app_cglaunch_summary(FILE *f, const app_session *s);
/* The dashboard's note: "cgroup memwatch-1-0 (the whole tree): now 80.2 MiB, peak 101.9 MiB
 * incl. page cache, limit 128.0 MiB"; false without one, or before its first reading. */
bool app_cglaunch_note(const app_session *s, char *buf, size_t n);
/* Read the running cgroup into s->cg_now (opened on first use), with the limits' cadence: its
 * note and the OOM line. */
void app_cglaunch_poll(app_session *s);

/* Start watching t (already launched or resolved), recording to out (an opened -o stream, or
 * NULL; the session owns it from here, even on failure). Prints one line and returns an exit
 * status on failure (2 for a PID that does not exist or is not readable, 1 otherwise); 0 on
 * success. A launched command that ended before the first sample is not a failure. */
int app_session_open(app_session *s, const app_options *o, const app_target *t, mw__csv_stream *out);
/* Print why PID cannot be watched (rc from the library: no such process, permission denied,
 * unsupported OS, other) as one line; returns the exit status (2 for the user's mistakes). */
int app_report_watch_error(pid_t pid, int rc);
/* Main thread, often: reap a launched child, copy new samples into the capture (and -o), flush
 * the file when due, refresh the target's info. Returns the number of new samples. */
size_t app_session_poll(app_session *s);
/* --interval-peaks: why resetting the peak fails (an MW_E* code), the first time it is asked
 * after the sampler reported it; 0 when it works, is not asked for, or was already handed out. */
int app_session_peak_reset_news(app_session *s);
/* Change the sampling interval now. Returns 0 or MW_EINVAL. */
int app_session_set_interval(app_session *s, uint64_t ms);
/* Drop a mark (label may be NULL: numbered M<n>) on the next sample (or the last one if the
 * target is gone). Returns 0 or the capture's error (MW_EINVAL: that sample has too many). */
int app_session_mark(app_session *s, const char *label);
/* True once the sampler has stopped for good (target exited, reused, unreadable). */
bool app_session_ended(const app_session *s);
/* Stop sampling, copy the last samples, flush and close -o. The capture stays readable. */
void app_session_stop(app_session *s);
/* The watched process's row of the latest process table (its own sampled peak: max_rss).
 * False when there is none (no sample yet). */
bool app_session_root(const app_session *s, mw_tree_process *out);
/* --pss: how many processes the PSS reading could not read, when that changed to a non-zero
 * count since last asked (0 otherwise): PSS is then not shown, and the user must hear why. */
uint32_t app_session_pss_news(app_session *s);
/* Free everything (stops first). */
void app_session_destroy(app_session *s);

/* ---- --prom-textfile (promfile.c) --------------------------------------------------------------
 * The file is created at start like every output (a new file, no link: an error at start, exit
 * 2); from then on memwatch replaces its own file atomically (a temporary + rename) every 5 s (or
 * the interval, if longer) and once more at the end with memwatch_target_running 0. */
typedef struct app_promfile app_promfile;
/* Create o->prom_textfile (out NULL when not asked). Prints one line and returns an exit status
 * on failure; 0 on success (a name not ending in .prom gets a note: node_exporter skips it). */
int app_promfile_open(const app_options *o, app_promfile **out);
/* A run that never started: remove the file if it is still ours, and free. NULL is a no-op. */
void app_promfile_discard(app_promfile *p);
void app_promfile_free(app_promfile *p);
/* Rewrite s->prom when due (from the first sample on), or now with final (the run's end, once). */
void app_promfile_tick(app_session *s, bool final);
/* A rewrite failed: say so on stderr (once) and return true. */
bool app_promfile_report(const app_session *s);

/* ---- the end of a live run (finish.c) ----------------------------------------------------------
 * Shared by the dashboard and headless, so both end a run by the same rules. */

/* How long a launched command gets between SIGTERM and SIGKILL when memwatch ends it. */
#define APP_TERMINATE_GRACE_MS 2000

typedef struct app_run_end {
    int quit_signal;      /* the signal that stopped memwatch (SIGINT, SIGTERM, SIGHUP), or 0 */
    bool leave_running;   /* the user chose to quit and leave the launched command running */
    bool out_reported;    /* the -o failure is already on stderr */
    bool ended_by_us;     /* set by app_run_finish: memwatch ended the launched command */
    bool gate_tripped;    /* set by app_run_conclude: a --fail-* gate tripped */
    bool reader_gone;     /* -o -'s reader went away (EPIPE): a filter's end, not a failure */
} app_run_end;

/* Stop sampling, flush and close -o; then a launched command still running is left running
 * (how->leave_running: one line says where) or ended (SIGTERM, SIGKILL after the grace) and
 * reaped. */
void app_run_finish(app_session *s, app_run_end *how);
/* The exit status, in this order: 1 if the -o file failed (printed now unless out_reported);
 * 128+N for a quit signal N; in launch mode the command's own status when it ended by itself
 * and failed; 3 when a gate tripped (how->gate_tripped); else 0. */
int app_run_exit_status(const app_session *s, const app_run_end *how);
/* After app_run_finish (and the dashboard's terminal restored): judge the gates (a tripped one
 * is one line on stderr), then the exit status, then --summary-json (1 if it cannot be written).
 * Returns the exit status. */
int app_run_conclude(app_session *s, app_run_end *how);
/* "memwatch: recording to 'FILE' failed: CAUSE" on stderr (still_watching: the run goes on). */
void app_run_report_output(const app_session *s, bool still_watching);

/* ---- the modes --------------------------------------------------------------------------------- */
/* Record without a dashboard; prints the summary. Returns the exit status. */
int app_headless_run(app_session *s);
/* Print the end-of-run summary of a capture to f. */
void app_summary_print(FILE *f, const app_session *s);
/* The dashboard on a live session (s; its compare is s->compare) or a replayed capture (s ==
 * NULL, replay != NULL; compare: --compare's capture, or NULL).
 * Returns the exit status. */
int app_dashboard_run(app_session *s, mw__capture *replay, struct app_compare *compare,
                      const app_options *o);

/* ---- choosing the process (pick.c) --------------------------------------------------------------
 * Both return -1 once o names one process (o->mode = APP_MODE_PID, o->pid; the picker also sets
 * o->children from its toggle), else the exit status with the reason printed. */
/* The full-screen picker (no target on a terminal): 0 when the user quit it (Esc, q), 2 when
 * stdin/stdout is not a terminal (the usage error), 1 when this OS has no process list. */
int app_pick_run(app_options *o);
/* -n NAME: a unique process of the user's named so (comm or argv[0]'s basename); none, or
 * several (listed on stderr), is 2; no process list on this OS, 1. */
int app_name_resolve(app_options *o);

#endif
