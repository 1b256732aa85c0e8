/* SPDX-License-Identifier: MIT */
/* pick.c — choosing the process when none was given: the full-screen picker, and -n NAME. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "picker.h"
#include "probe.h"
#include "proclist.h"
#include "tui.h"
#include "units.h"

/* Why here and not in dashboard.c: the picker runs before any session exists, on its own
 * terminal session (started and stopped here); once a process is chosen, main carries on
 * exactly as for `memwatch PID` (the same checks, the same dashboard or --no-tui). */

#define REFRESH_MS 1000

typedef struct picker {
    mw__proclist l;
    mw__proc_brief *scan;
    size_t nscan, scan_cap;
    mw__picker_opts view;
    char err[160];
} picker;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Command lines are fetched once per process (PID + start time): the model caches them. */
static int fetch_cmdline(void *ctx, pid_t pid, uint64_t start, char *line, size_t n)
{
    (void)ctx;
    char argv0[8];
    return mw__probe_cmdline(pid, start, line, n, argv0, sizeof(argv0));
}

/* No process list on this OS: said as memory sampling's absence is (exit 1, the OS named). */
static int unsupported(const char *what)
{
    fprintf(stderr, "memwatch: %s is not supported on this operating system (%s): give a PID\n",
            what, MW_HOST_OS);
    return APP_EXIT_RUNTIME;
}

static int refresh(picker *p)
{
    int rc = mw__probe_list_processes(p->l.all_users, &p->scan, &p->nscan, &p->scan_cap);
    if (rc == 0)
        rc = mw__proclist_update(&p->l, p->scan, p->nscan, fetch_cmdline, NULL);
    if (rc != 0)
        snprintf(p->err, sizeof(p->err), "cannot list the processes: %s", mw_strerror(rc));
    p->view.error = rc != 0 ? p->err : NULL;
    return rc;
}

enum { GO_ON = -1, WATCH = -2 };

/* One key: GO_ON, WATCH, or the exit status. Esc clears a filter with text, else quits; q and c
 * are keys only while the filter is empty (then they type: names hold those letters); Tab
 * toggles the tree at any time. */
/* The mouse, as in htop: the wheel moves the selection three rows, a click selects the row under
 * it, and a click on the selected row watches it (Enter). */
static int on_mouse(picker *p, const mw__mouse *ev, int h)
{
    if (!ev)
        return GO_ON;
    if (ev->button == MW__MOUSE_WHEEL_UP || ev->button == MW__MOUSE_WHEEL_DOWN) {
        mw__proclist_move(&p->l, ev->button == MW__MOUSE_WHEEL_UP ? -3 : 3);
        return GO_ON;
    }
    long k = mw__picker_row_at(&p->l, h, ev->y);
    if (ev->button != MW__MOUSE_CLICK || k < 0)
        return GO_ON;
    if ((size_t)k == p->l.sel)
        return WATCH;
    mw__proclist_move(&p->l, k - (long)p->l.sel);
    return GO_ON;
}

static int on_key(picker *p, mw__key k, int page)
{
    bool typing = p->l.filter[0] != '\0';
    switch (k) {
    case MW__KEY_ENTER: return mw__proclist_selected(&p->l) ? WATCH : GO_ON;
    case MW__KEY_ESC:
        if (!typing)
            return APP_EXIT_OK;
        mw__proclist_clear_filter(&p->l);
        return GO_ON;
    case MW__KEY_F10: return APP_EXIT_OK;
    case MW__KEY_BACKSPACE: mw__proclist_backspace(&p->l); return GO_ON;
    case MW__KEY_UP: mw__proclist_move(&p->l, -1); return GO_ON;
    case MW__KEY_DOWN: mw__proclist_move(&p->l, 1); return GO_ON;
    case MW__KEY_PGUP: mw__proclist_move(&p->l, -page); return GO_ON;
    case MW__KEY_PGDN: mw__proclist_move(&p->l, page); return GO_ON;
    case MW__KEY_HOME: mw__proclist_home(&p->l); return GO_ON;
    case MW__KEY_END: mw__proclist_end(&p->l); return GO_ON;
    case '\t': p->view.children = !p->view.children; return GO_ON;
    default: break;
    }
    if (k == 'q' && !typing)
        return APP_EXIT_OK;
    if (k == 'c' && !typing) {
        p->view.children = !p->view.children;
        return GO_ON;
    }
    if (k >= 0x20 && k != 0x7f)
        mw__proclist_type(&p->l, (uint32_t)k);
    return GO_ON;
}

static int loop(picker *p, app_tui *tui)
{
    mw__canvas cv = {0};
    int64_t next = now_ms() + REFRESH_MS;
    int rc = GO_ON;
    while (rc == GO_ON) {
        if (app_quit_signal) {
            rc = 128 + app_quit_signal;
            break;
        }
        int w, h;
        app_tui_size(tui, &w, &h);
        if (mw__canvas_resize(&cv, w, h) != 0) {
            rc = APP_EXIT_RUNTIME;
            break;
        }
        mw__picker_draw(&cv, &p->l, &p->view);
        app_tui_draw(tui, &cv);
        int64_t wait = next - now_ms();
        mw__key k = app_tui_key(tui, wait > 0 ? (int)wait : 0);
        if (k == MW__KEY_RESIZE)
            app_tui_invalidate(tui);
        else if (k == MW__KEY_CTRL_C)
            rc = 128 + 2;
        else if (k == MW__KEY_MOUSE)
            rc = on_mouse(p, app_tui_mouse_last(tui), h);
        else if (k != MW__KEY_NONE)
            rc = on_key(p, k, mw__picker_page(h));
        if (now_ms() >= next) {
            refresh(p);
            next = now_ms() + REFRESH_MS;
        }
    }
    mw__canvas_destroy(&cv);
    return rc;
}

int app_pick_run(app_options *o)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return app_options_no_target();
    char err[256];
    if (app_tui_check(err, sizeof(err)) != 0) {
        fprintf(stderr, "memwatch: %s\n", err);
        return APP_EXIT_USAGE;
    }
    picker p;
    memset(&p, 0, sizeof(p));
    p.l.self = getpid();
    p.l.all_users = geteuid() == 0;
    p.view.children = o->children;
    int rc = refresh(&p);
    app_tui *tui = NULL;
    if (rc == MW_EUNSUPPORTED) {
        rc = unsupported("the process picker");
    } else if (app_tui_start(&tui, o->ascii, err, sizeof(err)) != 0) {
        fprintf(stderr, "memwatch: %s\n", err);
        rc = APP_EXIT_RUNTIME;
    } else {
        p.view.ascii = !app_tui_unicode(tui);
        if (!o->no_mouse)
            app_tui_mouse_on(tui);
        rc = loop(&p, tui);
        app_tui_stop(tui);
    }
    if (rc == WATCH) { /* from here on as `memwatch [-c] PID` */
        o->pid = mw__proclist_selected(&p.l)->pid;
        o->children = p.view.children;
        o->mode = APP_MODE_PID;
        rc = -1;
    }
    mw__proclist_destroy(&p.l);
    free(p.scan);
    return rc;
}

/* ---- -n NAME ------------------------------------------------------------------------------- */

typedef struct named {
    pid_t pid;
    uint64_t rss;
    char cmdline[160]; /* a listing line: the start of it tells them apart */
} named;

static int by_pid(const void *a, const void *b)
{
    pid_t x = ((const named *)a)->pid, y = ((const named *)b)->pid;
    return (x > y) - (x < y);
}

/* The user's processes whose comm or argv[0]'s basename is exactly name, into *out (n of them). */
static int find_named(const char *name, named **out, size_t *n)
{
    mw__proc_brief *list = NULL;
    size_t nl = 0, cap = 0;
    int rc = mw__probe_list_processes(geteuid() == 0, &list, &nl, &cap);
    *out = rc == 0 ? calloc(nl ? nl : 1, sizeof(**out)) : NULL;
    *n = 0;
    if (rc == 0 && !*out)
        rc = MW_ENOMEM;
    for (size_t i = 0; rc == 0 && i < nl; i++) {
        named *m = &(*out)[*n];
        char argv0[256];
        if (list[i].pid == getpid() ||
            mw__probe_cmdline(list[i].pid, list[i].start_time, m->cmdline, sizeof(m->cmdline),
                              argv0, sizeof(argv0)) != 0)
            continue; /* gone meanwhile */
        if (strncmp(list[i].name, name, sizeof(list[i].name)) != 0 && strcmp(argv0, name) != 0)
            continue;
        m->pid = list[i].pid;
        m->rss = list[i].rss;
        (*n)++;
    }
    free(list);
    return rc;
}

int app_name_resolve(app_options *o)
{
    named *m = NULL;
    size_t n = 0;
    char shown[256], rss[32];
    mw__safe_text(shown, sizeof(shown), o->name);
    int rc = find_named(o->name, &m, &n);
    if (rc == MW_EUNSUPPORTED)
        return unsupported("-n NAME");
    if (rc != 0)
        fprintf(stderr, "memwatch: -n: cannot list the processes: %s\n", mw_strerror(rc));
    else if (n == 0)
        fprintf(stderr, "memwatch: no process %sis named '%s'\n", geteuid() == 0 ? "" : "of yours ",
                shown); /* root looks at everyone's */
    else if (n > 1) {
        qsort(m, n, sizeof(*m), by_pid);
        fprintf(stderr, "memwatch: %zu processes are named '%s':\n", n, shown);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "  %7ld  %10s  %s\n", (long)m[i].pid,
                    mw__format_bytes(rss, sizeof(rss), m[i].rss), m[i].cmdline);
    } else {
        o->pid = m[0].pid;
        o->mode = APP_MODE_PID;
    }
    free(m);
    if (o->mode == APP_MODE_PID)
        return -1;
    return rc == 0 ? APP_EXIT_USAGE : APP_EXIT_RUNTIME;
}
