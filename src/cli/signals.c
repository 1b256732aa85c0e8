/* SPDX-License-Identifier: MIT */
/* signals.c — memwatch's signal dispositions: quit requests and SIGUSR1 (a mark) become flags, SIGPIPE and SIGXFSZ errors; children get them back. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "app.h"

/* Who owns what: main() installs once before any thread starts; the loops (dashboard,
 * headless) read and clear app_quit_signal; a forked child calls app_signals_restore before exec. */
volatile sig_atomic_t app_quit_signal;
volatile sig_atomic_t app_mark_signal;

static void on_quit(int sig) { app_quit_signal = sig; }
static void on_mark(int sig) { (void)sig; app_mark_signal = 1; }

void app_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_quit; /* no SA_RESTART: a blocking wait returns EINTR and sees the flag */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* SIGUSR1 marks (markctl.c takes the flag at the next poll). SA_RESTART: a mark is no reason
     * for a write to the -o file or a read of /proc to fail with EINTR; sleeps still wake. */
    sa.sa_handler = on_mark;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is an EPIPE write error, handled where it occurs */
    /* A file-size limit (ulimit -f) is then an EFBIG write error, reported like a full disk
     * instead of killing memwatch with the -o file cut and a launched command left behind. */
    signal(SIGXFSZ, SIG_IGN);
}

void app_signals_restore(void)
{
    sigset_t ttou; /* blocked while memwatch lends the terminal (jobs.c) */
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_UNBLOCK, &ttou, NULL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGXFSZ, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
}
